#!/usr/bin/env python3
"""Makes converter-shaped text (as pdftotext and the like print a bulletin) from seed-style
sources in tests/data/convert/*.src.txt: hard-wrapped lines, indents, page numbers, running
heads, a masthead and the closing distribution block. The sources are our own bulletins (not
the seeds). Run from the repository root: python3 scripts/gen-converter-text.py"""
import glob
import unicodedata

STYLES = {
    # name: (width in cells, indent, title centred, form feeds, page number format, running head,
    #        lines per page, masthead lines)
    "autumn": (44, "\u3000\u3000", True, True, "- {} -", "渝工简报", 30,
               ["渝工简报", "2024年第9期（总第156期）", "重庆市总工会办公室编　　　　2024年9月25日",
                "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━"]),
    "spring": (40, "  ", False, False, "第 {} 页", "重庆市总工会", 26,
               ["工会工作简报", "第3期", "重庆市总工会办公室　　2024年3月28日"]),
}


def cells(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def wrap(text, width, first=""):
    lines, cur = [], first
    for c in text:
        if cells(cur + c) > width:
            lines.append(cur)
            cur = ""
        cur += c
    lines.append(cur)
    return lines


def convert(name, src):
    width, indent, centred, ff, pageno, head, per_page, masthead = STYLES[name]
    paras = [p.strip() for p in src.split("\n\n") if p.strip()]
    out = list(masthead) + [""]
    for p in paras:
        lines = p.split("\n")
        if len(lines) > 1:  # verse: a line each, at the paragraph indent
            out += [indent + l for l in lines]
        elif p.endswith(("。", "”")) or len(p) > 40:
            out += wrap(p, width, indent)
        elif centred:
            out.append("")
            for l in wrap(p, width):
                out.append(" " * max(0, (width - cells(l)) // 2) + l)
            out.append("")
        else:
            out += wrap(p, width)
    out += ["", "━" * 20, "报：市总工会领导班子成员", "发：各区县总工会，各产业工会，市总工会各部门",
            "重庆市总工会办公室　　　　　　2024年9月25日印发"]
    pages, page = [], []
    for l in out:
        page.append(l)
        if len(page) >= per_page:
            pages.append(page)
            page = []
    pages.append(page)
    text = []
    for i, page in enumerate(pages):
        if i > 0:
            text.append(" " * 20 + head)
        text += page
        text.append(" " * (width // 2 - 2) + pageno.format(i + 1))
        if i + 1 < len(pages):
            text.append("\f" if ff else "")
    return "\n".join(text).replace("\n\f\n", "\n\f") + "\n"


for path in sorted(glob.glob("tests/data/convert/*.src.txt")):
    name = path.split("/")[-1].split(".")[0]
    with open(path, encoding="utf-8") as f:
        src = f.read()
    with open(path.replace(".src.txt", ".converted.txt"), "w", encoding="utf-8") as f:
        f.write(convert(name, src))
