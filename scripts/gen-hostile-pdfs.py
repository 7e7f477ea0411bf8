#!/usr/bin/env python3
"""Hostile and unreadable PDFs for tests/hostile_pdf.rs, written byte by byte (no tools needed).
Run from the repository root: python3 scripts/gen-hostile-pdfs.py"""
import zlib

OUT = "tests/data/pdf-hostile/"


def pdf(objects, trailer_extra=b"", root=1):
    """objects: list of bytes bodies, numbered from 1. Writes a valid xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page_objs(content, resources=b"<< /Font << /F1 5 0 R >> >>"):
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources " + resources + b" >>",
            stream(content), FONT]


def write(name, data):
    with open(OUT + name, "wb") as f:
        f.write(data)


# Deep nesting: an array 100,000 levels deep inside the page dictionary.
deep = page_objs(b"BT /F1 12 Tf 72 700 Td (x) Tj ET")
deep[2] = deep[2][:-2] + b"/Deep " + b"[" * 100000 + b"]" * 100000 + b" >>"
write("deep-nesting.pdf", pdf(deep))

# A zip bomb: a content stream that inflates to 256 MB of zeros.
comp = zlib.compressobj(9)
bomb = b"".join(comp.compress(b"\0" * (1 << 20)) for _ in range(256)) + comp.flush()
write("zip-bomb.pdf", pdf(page_objs(b"")[:3] + [stream(bomb, b"/Filter /FlateDecode "), FONT]))

# A huge stream: its /Length claims 8 GB.
huge = page_objs(b"")
huge[3] = b"<< /Length 8000000000 >>\nstream\n" + b"BT ET\n" * 1000 + b"\nendstream"
write("huge-stream.pdf", pdf(huge))

# A loop in the page tree: the page list holds its own parent.
loop = page_objs(b"BT /F1 12 Tf 72 700 Td (x) Tj ET")
loop[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
write("page-tree-loop.pdf", pdf(loop))

# 10,000 pages (one page object listed 10,000 times).
many = page_objs(b"BT /F1 12 Tf 72 700 Td (x) Tj ET")
many[1] = b"<< /Type /Pages /Kids [" + b"3 0 R " * 10000 + b"] /Count 10000 >>"
write("ten-thousand-pages.pdf", pdf(many))

# Damaged: a real PDF cut in half, then garbage.
with open("tests/data/pdf/d_stsong_noTU_000.pdf", "rb") as f:
    real = f.read()
write("damaged.pdf", real[: len(real) // 3] + bytes(range(256)) * 8)

# Encrypted with a user password (standard handler, RC4 40-bit; /U cannot match "").
enc = page_objs(b"BT /F1 12 Tf 72 700 Td (x) Tj ET")
enc.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>")
write("encrypted.pdf", pdf(enc, b"/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] "))

# Scanned: one page that is only an image (a grey 200x300 picture), no text.
img = stream(zlib.compress(b"\x80" * 200 * 300), b"/Type /XObject /Subtype /Image /Width 200 /Height 300 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode ")
scan = page_objs(b"q 400 0 0 600 100 100 cm /Im1 Do Q", b"<< /XObject << /Im1 5 0 R >> >>")
scan[4] = img
write("scanned.pdf", pdf(scan))

# Text that decodes to private-use characters: a ToUnicode map pointing every glyph there.
cmap = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Garbage def 1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <00> <FF> <E000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"""
garb = page_objs(b"BT /F1 12 Tf 72 700 Td (" + bytes(range(65, 123)) + b") Tj 0 -20 Td (" + bytes(range(65, 123)) + b") Tj ET")
garb[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
garb.append(stream(cmap))
write("no-unicode-map.pdf", pdf(garb))


# Work bombs: small files that make a reader decode and interpret the same content again
# and again (each stream stays under the per-stream inflate cap).
def bomb_stream(mb):
    comp = zlib.compressobj(9)
    return b"".join(comp.compress(b"\0" * (1 << 20)) for _ in range(mb)) + comp.flush()


def many_pages(n, deflated):
    """n pages sharing one deflated content stream (object 3) and the font (object 4)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
            stream(deflated, b"/Filter /FlateDecode "), FONT]
    for _ in range(n):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                    b"/Resources << /Font << /F1 4 0 R >> >> >>")
    return pdf(objs)


# One 31 MB stream as the content of 200 pages.
write("shared-bomb.pdf", many_pages(200, bomb_stream(31)))

# One page whose content array names a 31 MB stream 100 times.
arr = page_objs(b"")
arr[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [" + b"4 0 R " * 100 +
          b"] /Resources << /Font << /F1 5 0 R >> >> >>")
arr[3] = stream(bomb_stream(31), b"/Filter /FlateDecode ")
write("contents-array.pdf", pdf(arr))

# 2 MB of tiny text operators shared by 200 pages (400 MB to interpret).
tiny = b"BT /F1 12 Tf 72 700 Td " + b"(x) Tj " * ((2 << 20) // 7) + b"ET"
write("text-bomb.pdf", many_pages(200, zlib.compress(tiny, 9)))

# A form holding 2 MB of text, drawn at 500 places on one page.
page = b"".join(b"q 1 0 0 1 %d 0 cm /X1 Do Q " % i for i in range(500))
fan = page_objs(page, b"<< /XObject << /X1 6 0 R >> /Font << /F1 5 0 R >> >>")
fan.append(stream(zlib.compress(tiny, 9), b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Filter /FlateDecode "
                  b"/Resources << /Font << /F1 5 0 R >> >> "))
write("form-fan.pdf", pdf(fan))

# Five million graphics states saved and never restored.
saves = b"q " * 5000000 + b"BT /F1 12 Tf 72 700 Td (x) Tj ET"
write("saved-states.pdf", pdf(page_objs(b"")[:3] + [stream(zlib.compress(saves, 9), b"/Filter /FlateDecode "), FONT]))
