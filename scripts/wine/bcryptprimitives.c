/* For testing under wine only, never shipped: wine 8.0 has no bcryptprimitives.dll, which the
 * Rust standard library imports on Windows (ProcessPrng, since Rust 1.78). This stand-in
 * provides ProcessPrng over RtlGenRandom (advapi32's SystemFunction036), which wine has.
 * Real Windows 10/11 ship bcryptprimitives.dll; there this file is not used. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
