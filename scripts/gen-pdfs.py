#!/usr/bin/env python3
"""Test PDFs from our own bulletins (tests/data/convert/*.src.txt, not the seeds), in shapes the
shared test PDFs do not cover. Needs: python3-reportlab, fpdf2 (pip), fonts-wqy-microhei; for the
tagged PDF also libreoffice-writer-nogui and python3-docx (skipped with a note when missing).
Run from the repository root: python3 scripts/gen-pdfs.py

  own_2col_reportlab.pdf   masthead, two columns flowed column by column, running head and
                           "— N —" footers, a picture with its caption, labels, a poem
  own_rows_fpdf2.pdf       two columns written row by row (content order interleaves the
                           columns), fonts without ToUnicode (recovered from the embedded font),
                           a last page that is only a scanned image
  own_tagged_lo.pdf        a tagged PDF (LibreOffice from .docx), "第 N 页" footers

For benchmarks (not committed): python3 scripts/gen-pdfs.py --big PAGES OUT.pdf writes a bulletin
of at least PAGES pages in the first shape, from our own bulletins and the seeds repeated.
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
OUT = "tests/data/pdf-own/"
LABELS = {"渝工建功", "渝工港湾", "渝工铸魂", "渝工之家"}


def blocks(path):
    """Seed-style source -> [(role, text)]: label, title, body, verse (lines), caption."""
    text = open(path, encoding="utf-8").read()
    out = []
    for p in re.split(r"\n\s*\n", text):
        p = p.strip()
        if not p:
            continue
        if "\n" in p:
            out.append(("verse", p.split("\n")))
        elif p in LABELS:
            out.append(("label", p))
        elif p.startswith("▲"):
            out.append(("caption", p))
        elif len(p) <= 40 and "。" not in p:
            out.append(("title", p))
        else:
            out.append(("body", p))
    return out


def grey_png(w=240, h=150):
    from PIL import Image
    buf = io.BytesIO()
    Image.new("L", (w, h), 160).save(buf, "PNG")
    buf.seek(0)
    return buf


def reportlab_two_columns(src, dst):
    """src: a source file, or a list of (role, text) blocks. Returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import BaseDocTemplate, Frame, Image, PageTemplate, Paragraph, Spacer

    pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
    W, H = A4
    def style(size, **kw):
        kw.setdefault("leading", size * 1.5)
        return ParagraphStyle("s%s" % size, fontName="WQY", fontSize=size, wordWrap="CJK", **kw)
    body = style(10.5, firstLineIndent=21)
    title = style(15, alignment=1, spaceBefore=8, spaceAfter=6)
    label = style(12, spaceBefore=6, spaceAfter=4, textColor="#b00000")
    caption = style(8, alignment=1, spaceAfter=6)
    verse = style(10.5, leftIndent=21, leading=16)

    def first(c, doc):
        c.setFont("WQY", 30)
        c.setFillColor("#c00000")
        c.drawCentredString(W / 2, H - 80, "渝工简报")
        c.setFillColor("black")
        c.setFont("WQY", 11)
        c.drawCentredString(W / 2, H - 105, "2024年第9期（总第156期）")
        c.drawString(60, H - 128, "重庆市总工会办公室编")
        c.drawRightString(W - 60, H - 128, "2024年9月25日")
        c.setStrokeColor("#c00000")
        c.line(60, H - 136, W - 60, H - 136)
        footer(c, doc)

    def later(c, doc):
        c.setFont("WQY", 9)
        c.drawCentredString(W / 2, H - 40, "渝工简报")
        footer(c, doc)

    def footer(c, doc):
        c.setFont("WQY", 9)
        c.drawCentredString(W / 2, 30, "— %d —" % doc.page)

    gap, colw = 20, (W - 120 - 20) / 2
    f1 = [Frame(60, 50, colw, H - 200, id="l1"), Frame(60 + colw + gap, 50, colw, H - 200, id="r1")]
    f2 = [Frame(60, 50, colw, H - 110, id="l2"), Frame(60 + colw + gap, 50, colw, H - 110, id="r2")]
    doc = BaseDocTemplate(dst, pagesize=A4, title="渝工简报")
    doc.addPageTemplates([PageTemplate("first", f1, onPage=first, autoNextPageTemplate="later"),
                          PageTemplate("later", f2, onPage=later)])
    story = []
    for role, text in (blocks(src) if isinstance(src, str) else src):
        if role == "caption":
            story += [Image(grey_png(), width=colw - 20, height=(colw - 20) * 0.6), Paragraph(text, caption)]
        elif role == "verse":
            story += [Paragraph(l, verse) for l in text] + [Spacer(1, 4)]
        else:
            story.append(Paragraph(text, {"label": label, "title": title, "body": body}[role]))
    doc.build(story)
    return doc.page


def fpdf2_rows(src, dst):
    """Two columns per page, written row by row; ToUnicode maps removed afterwards; then a
    scanned (image-only) page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_compression(False)
    pdf.add_font("wqy", fname=FONT)
    colw, left, right, size = 85.0, 15.0, 110.0, 10.5

    def wrap(text, indent=True, size=size):
        n = int(colw / (size * 0.3528))
        text = ("\u3000\u3000" if indent else "") + text
        return [text[i:i + n] for i in range(0, len(text), n)]

    lines = []  # (size, text)
    for role, text in blocks(src):
        if role == "title":
            lines += [(14, t) for t in wrap(text, False, 14)]
        elif role == "label":
            lines.append((12, text))
        elif role == "verse":
            lines += [(size, "\u3000\u3000" + l) for l in text]
        elif role == "caption":
            lines.append((8, text))
        else:
            lines += [(size, t) for t in wrap(text)]
    half = (len(lines) + 1) // 2
    cols = [lines[:half], lines[half:]]
    pdf.add_page()
    pdf.set_font("wqy", size=9)
    pdf.set_xy(0, 8)
    pdf.cell(210, 6, "渝工简报　2024年第9期", align="C")
    y = 22.0
    for i in range(half):  # one row: the left line, then the right line
        step = 0
        for x, col in ((left, cols[0]), (right, cols[1])):
            if i < len(col):
                s, t = col[i]
                pdf.set_font("wqy", size=s)
                pdf.set_xy(x, y)
                pdf.cell(colw, s * 0.3528 * 1.4, t)
                step = max(step, s * 0.3528 * 1.6)
        y += step
    pdf.add_page()
    png = grey_png(600, 840)
    pdf.image(png, x=10, y=10, w=190)
    data = bytes(pdf.output())
    # Drop the ToUnicode maps: text can only come from the embedded font's own cmap.
    data = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), data)
    open(dst, "wb").write(data)


def libreoffice_tagged(src, dst):
    if not shutil.which("soffice"):
        print("skipped own_tagged_lo.pdf: soffice not found (apt install libreoffice-writer-nogui)")
        return
    try:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt
    except ImportError:
        print("skipped own_tagged_lo.pdf: python-docx missing (apt install python3-docx)")
        return
    d = docx.Document()
    for role, text in blocks(src):
        for t in (text if role == "verse" else [text]):
            p = d.add_paragraph()
            r = p.add_run(t)
            r.font.name = "WenQuanYi Micro Hei"
            r.font.size = Pt({"title": 20, "label": 15, "caption": 10}.get(role, 15))
            r.bold = role in ("title", "label")
            if role in ("title", "caption"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if role == "body":
                p.paragraph_format.first_line_indent = Pt(30)
                p.paragraph_format.line_spacing = 1.8
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    footer = d.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    footer._p.append(parse_xml('<w:fldSimple %s w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>' % nsdecls("w")))
    footer.add_run(" 页")
    header = d.sections[0].header.paragraphs[0]
    header.text = "工会工作简报　2024年第3期"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "own_tagged_lo.docx")
        d.save(path)
        flt = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
        subprocess.run(["soffice", "--headless", "--convert-to", flt, "--outdir", tmp, path], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, "own_tagged_lo.pdf"), dst)


def big(pages, dst):
    """A bulletin of at least `pages` pages: our own bulletins and the seeds, repeated."""
    import glob
    import math
    sources = sorted(glob.glob("tests/data/convert/*.src.txt")) + sorted(glob.glob("seeds/*.txt"))
    once = [b for src in sources for b in blocks(src)]
    per_copy = reportlab_two_columns(once, dst)
    copies = math.ceil(pages / per_copy)
    got = per_copy
    while got < pages:
        got = reportlab_two_columns(once * copies, dst)
        copies += 1
    print("%s: %d pages" % (dst, got))


if len(sys.argv) == 4 and sys.argv[1] == "--big":
    big(int(sys.argv[2]), sys.argv[3])
    sys.exit(0)
os.makedirs(OUT, exist_ok=True)
reportlab_two_columns("tests/data/convert/autumn.src.txt", OUT + "own_2col_reportlab.pdf")
fpdf2_rows("tests/data/convert/autumn.src.txt", OUT + "own_rows_fpdf2.pdf")
libreoffice_tagged("tests/data/convert/spring.src.txt", OUT + "own_tagged_lo.pdf")
