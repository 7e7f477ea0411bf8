//! How the process asks the C allocator for memory (glibc only; elsewhere these do nothing).

/// Grows the heap in large steps. A load of 10,000 bulletins makes about half a million small
/// allocations on several threads; with glibc's default 128 KiB of slack each thread's heap
/// grows a page run at a time, one `brk` or `mprotect` call each (a tenth of `kanbao list`'s
/// time). Pages set aside this way and never touched cost no memory.
pub fn grow_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}

/// Hands freed memory back to the system. A replaced corpus was built on a loader thread, in
/// that thread's malloc arena, and freed on another: glibc keeps such pages, so without this
/// every `R` reload left the process larger.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the system; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}
