#!/usr/bin/env python3
"""A bulletin as an office suite prints it, for tests/data/convert-tools (converter text of a
producer and layout the other fixtures do not have). Reads a bulletin's structure from
`kanbao export` (so roles come from the parser, not from guesses here), writes a .docx with
python-docx in Word's usual shape: titles flush left in 20pt bold (they wrap before the body's
width), labels and kickers 14pt, captions 10pt centred, body 12pt with a two-character first-line
indent, a running head and "— N —" footers. LibreOffice turns it into a PDF and a plain-text file.
Usage (repository root): python3 scripts/gen-office-bulletin.py KANBAO SOURCE OUT_STEM
writes OUT_STEM.pdf and OUT_STEM.soffice.txt. Needs python3-docx and libreoffice-writer-nogui."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

kanbao, source, stem = sys.argv[1:4]
exported = json.loads(subprocess.run([kanbao, "export", "--no-bundled", source], check=True,
                                     capture_output=True, text=True).stdout)
bulletin = exported["bulletins"][0]

d = docx.Document()
d.styles["Normal"].font.name = "WenQuanYi Micro Hei"


def para(text, size, bold=False, centre=False, indent=False):
    p = d.add_paragraph()
    r = p.add_run(text)
    r.font.name = "WenQuanYi Micro Hei"
    r.font.size = Pt(size)
    r.bold = bold
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * size)
    p.paragraph_format.space_after = Pt(4)


section = None
for a in bulletin["articles"]:
    if a.get("section") and a["section"] != section:
        section = a["section"]
        para(section, 14, bold=True)
    if a.get("kicker"):
        para(a["kicker"], 14)
    para(a["title"], 20, bold=True)
    if a.get("subtitle"):
        para(a["subtitle"], 14)
    for c in a.get("captions", []):
        para(c, 10, centre=True)
    for p in a["paragraphs"]:
        para(p, 12, indent=True)

header = d.sections[0].header.paragraphs[0]
date = bulletin.get("date")
header.text = "重庆工会信息" + ("　%s年%s月" % tuple(date.split("-")) if date else "")
footer = d.sections[0].footer.paragraphs[0]
footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
footer.add_run("— ")
footer._p.append(parse_xml('<w:fldSimple %s w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>' % nsdecls("w")))
footer.add_run(" —")

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "bulletin.docx")
    d.save(path)
    for fmt in ["pdf", "txt:Text (encoded):UTF8"]:
        subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", tmp, path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.copy(os.path.join(tmp, "bulletin.pdf"), stem + ".pdf")
    shutil.copy(os.path.join(tmp, "bulletin.txt"), stem + ".soffice.txt")
