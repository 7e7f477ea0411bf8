#!/usr/bin/env python3
"""Writes N synthetic bulletin .txt files in the style of seeds/*.txt, for load/start benchmarks.

    scripts/gen-archive.py 1000 /tmp/kanbao-1k
    scripts/gen-archive.py 10000 /tmp/kanbao-10k --seed 7
    scripts/gen-archive.py 50 /tmp/kanbao-mixed --mixed-encodings   # some GB18030/UTF-16/BOM/CRLF
    scripts/gen-archive.py 1 /tmp/kanbao-long --long 60       # one bulletin, first article ~250 lines

Python 3 standard library only; about 2 s for 10,000 files (100 MB). The same seed gives the same files
on every machine. The text is recombined from the seed bulletins in the repository's seeds/
folder (read at run time), so it has what the parser must cope with:

- section labels (渝工建功, 重点办好职工实事·渝工铸魂, 图片新闻 ...) standing alone;
- headlines (seed headlines, or halves of two of them joined by a space), sometimes a kicker
  above or a subtitle below, in some files marked `#` / `##` as in one seed;
- paragraphs (seed paragraphs, page-break splits joined back first) separated by one blank line;
  some are split again by a "page break" mid-sentence at a random place ("打造\\n\\n渝工品牌");
- image gaps (3 or 4 blank lines) with short captions, before or after an article;
- QR prompts (扫码参与更多精彩活动), picture-news items with no headline;
- dates ("5月29日,") re-drawn around the bulletin's month, years ("2023年度") set to the bulletin's
  year, district names (full or short: 秀山土家族苗族自治县, 秀山县) re-drawn among the 41;
- ASCII "," and "(" inside Chinese in some files, full-width "，" "（" in others.

Seed fragments are classified by simple rules (length, closing punctuation, blank-line gaps):
they only need to be plausible material, the layout is generated. File names look like the
seeds': NNNNN_<16 hex>.txt. Each file's year and month are random (2015-2025), so several
bulletins share a month, as kanbao's "2023-05b" ids expect.
"""

import argparse
import codecs
import os
import random
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# 38 districts and counties plus the three areas; short forms beside the full ones.
DISTRICTS = (
    "万州区 黔江区 涪陵区 渝中区 大渡口区 江北区 沙坪坝区 九龙坡区 南岸区 北碚区 綦江区 大足区 渝北区 巴南区 "
    "长寿区 江津区 合川区 永川区 南川区 璧山区 铜梁区 潼南区 荣昌区 开州区 梁平区 武隆区 城口县 丰都县 垫江县 "
    "忠县 云阳县 奉节县 巫山县 巫溪县 石柱土家族自治县 秀山土家族苗族自治县 酉阳土家族苗族自治县 "
    "彭水苗族土家族自治县 两江新区 西部科学城重庆高新区 万盛经开区"
).split()
SHORT = {"石柱土家族自治县": "石柱县", "秀山土家族苗族自治县": "秀山县", "酉阳土家族苗族自治县": "酉阳县",
         "彭水苗族土家族自治县": "彭水县", "西部科学城重庆高新区": "重庆高新区"}
ALL_FORMS = sorted(set(DISTRICTS) | set(SHORT.values()), key=len, reverse=True)
SECTIONS = ["渝工铸魂", "渝工建功", "渝工之家", "渝工港湾", "渝工暖心",
            "重点办好职工实事·渝工铸魂", "重点办好职工实事·渝工建功"]
QR = ["扫码参与更多精彩活动", "扫码查看详细名单", "扫码了解更多", "扫码观看直播回放"]
CLOSE = "。！？!?…”」』）)"
LABEL_RE = re.compile(r"^(重点办好职工实事·)?(渝工..|图片新闻)$")
SLOT_RE = re.compile(r"(\d{1,2})月(\d{1,2})日|(20\d\d)年|(" + "|".join(map(re.escape, ALL_FORMS)) + ")")
LEAD_RE = re.compile(r"^(\d{1,2}月\d{1,2}日|近日|日前|当天)")
TO_FULL = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "!": "！", "?": "？"})
TO_ASCII = str.maketrans({v: k for k, v in zip(",():;!?", "，（）：；！？")})


def template(text):
    """Literal pieces and slots: ('D',) a date, ('Y',) a year, ('Q',) a district."""
    out, pos = [], 0
    for m in SLOT_RE.finditer(text):
        out.append(text[pos:m.start()])
        out.append("D" if m.group(1) else "Y" if m.group(3) else "Q")
        pos = m.end()
    out.append(text[pos:])
    return out  # even indices literal, odd indices slot kinds


def read_seeds(folder):
    """Pools of fragments from the seed files: headlines, captions, lead and body paragraphs."""
    heads, caps, leads, bodies = [], [], [], []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8-sig") as f:
            lines = f.read().replace("\r\n", "\n").split("\n")
        items, gap = [], 0  # (text, blank lines before)
        for line in lines:
            if line.strip():
                items.append([line.strip().lstrip("#").strip(), gap])
                gap = 0
            else:
                gap += 1
        for i, (t, g) in enumerate(items):
            g_after = items[i + 1][1] if i + 1 < len(items) else 9
            short = len(t) <= 40 and not re.search("[,，。;；]", t) and not t.endswith("。")
            if LABEL_RE.match(t) or t.startswith("扫码"):
                continue
            if short and (g >= 3 or g_after >= 3 or t[0] in "▲◀《"):
                caps.append(t)
            elif short:
                heads.append(t)
        # paragraphs: long lines, page-break splits joined back
        paras, cur = [], ""
        for t, g in items:
            short = len(t) <= 40 and not re.search("[,，。;；]", t)
            if short and not cur:
                continue
            if cur and g == 1 and not cur.endswith(tuple(CLOSE)):
                cur += t
                continue
            if cur:
                paras.append(cur)
            cur = "" if short else t
        if cur:
            paras.append(cur)
        for p in paras:
            p = p.translate(TO_ASCII)
            (leads if LEAD_RE.match(p) else bodies).append(template(p))
    heads = [template(h.translate(TO_ASCII)) for h in heads]
    caps = [template(c.translate(TO_ASCII)) for c in caps]
    if not (heads and leads and bodies):
        sys.exit(f"gen-archive: found no usable text in {folder}")
    return heads, caps, leads, bodies


class Bulletin:
    def __init__(self, rng, pools, hash_marks, long=0):
        self.rng = rng
        self.heads, self.caps, self.leads, self.bodies = pools
        self.year = rng.randint(2015, 2025)
        self.month = rng.randint(1, 12)
        self.hash_marks = hash_marks
        self.long = long
        self.out = []
        self.used = set()
        self.body = []

    def district(self):
        d = self.rng.choice(DISTRICTS)
        return SHORT[d] if d in SHORT and self.rng.random() < 0.5 else d

    def fill(self, tpl, lead=False):
        rng, parts = self.rng, []
        for i, piece in enumerate(tpl):
            if i % 2 == 0:
                parts.append(piece)
            elif piece == "D":
                m = self.month if lead or rng.random() < 0.5 else max(1, self.month - rng.randint(0, 2))
                parts.append(f"{m}月{rng.randint(1, 28)}日")
            elif piece == "Y":
                parts.append(f"{self.year}年")
            else:
                parts.append(self.district())
        return "".join(parts)

    def headline(self):
        rng = self.rng
        for _ in range(4):  # a headline not yet used in this bulletin
            h = self.fill(rng.choice(self.heads))
            if rng.random() < 0.35:  # halves of two seed headlines that have two parts
                b = self.fill(rng.choice(self.heads))
                if " " in h and " " in b:
                    h = h.split(" ", 1)[0] + " " + b.split(" ", 1)[1]
            if h not in self.used:
                break
        self.used.add(h)
        return h

    def block(self, text, gap=1):
        self.out.append("\n" * (gap + 1) + text if self.out else "\n" * gap + text)

    def paragraph(self, text):
        rng = self.rng
        self.body.append(text)
        # A page break splits it mid-sentence. As in the seeds the first part is long (a short
        # line without closing punctuation would read as a headline); the rest may be short.
        if len(text) > 50 and rng.random() < 0.15:
            for _ in range(8):
                k = rng.randint(max(40, len(text) // 2), len(text) - 3)
                if text[k - 1] not in CLOSE + ",，、:：;；" and text[k] not in CLOSE + ",，、":
                    self.block(text[:k])
                    self.block(text[k:])
                    return
        self.block(text)

    def image(self, n=1):
        for _ in range(n):
            self.block(self.fill(self.rng.choice(self.caps)), gap=self.rng.choice((3, 3, 4)))

    def article(self, first):
        rng = self.rng
        if rng.random() < 0.2:
            self.block(self.headline())  # kicker (引题)
        mark = ("# " if first else "## ") if self.hash_marks else ""
        self.block(mark + self.headline())
        if rng.random() < 0.15:
            self.block(self.headline())  # subtitle (副题)
        if rng.random() < 0.25:
            self.image(rng.randint(1, 3))
            self.out.append("\n\n")  # the gap closes with three blank lines too
        self.paragraph(self.fill(rng.choice(self.leads), lead=True))
        for _ in range(self.long if first and self.long else rng.randint(1, 6)):
            self.paragraph(self.fill(rng.choice(self.bodies)))
        if rng.random() < 0.2:
            self.image()
        if rng.random() < 0.1:
            self.block(rng.choice(QR))

    def text(self):
        rng = self.rng
        self.out.append("\n" * rng.randint(2, 4))
        section = None
        for i in range(rng.randint(3, 7)):
            if rng.random() < 0.5:
                s = rng.choice(SECTIONS)
                if s != section:
                    self.block(s)
                    section = s
            self.article(i == 0)
        if rng.random() < 0.3:  # picture news: no headline, a caption-like lead paragraph
            self.block("图片新闻")
            self.image()
            self.out.append("\n\n")
            self.paragraph(self.fill(rng.choice(self.leads), lead=True))
        text = "".join(self.out) + "\n"
        # a dated event and year evidence somewhere, as in the seeds (kanbao dates by them)
        body = "".join(self.body)  # headlines do not count as evidence
        dated, year = re.search(r"\d月\d{1,2}日", body), f"{self.year}年" in body
        if not (dated and year):
            when = f"{self.month}月{rng.randint(1, 28)}日," if not dated else ""
            text += f"\n{when}会上通报表彰了{self.year}年度{self.district()}总工会等{rng.randint(5, 90)}个先进集体。\n"
        return text


def encode(rng, text, mixed):
    """UTF-8, or with --mixed-encodings a mix of what users add: GB18030, UTF-16, BOM, CRLF."""
    if not mixed:
        return text.encode("utf-8")
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
    r = rng.random()
    if r < 0.15:
        return text.encode("gb18030")
    if r < 0.2:
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if r < 0.3:
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of bulletin files")
    ap.add_argument("outdir", help="folder to write them to (created if missing)")
    ap.add_argument("--clean", action="store_true", help="delete the *.txt already in OUTDIR first")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--seeds-dir", default=os.path.join(ROOT, "seeds"), help="default: the repo's seeds/")
    ap.add_argument("--mixed-encodings", action="store_true",
                    help="write some files as GB18030, UTF-16LE+BOM, UTF-8+BOM, CRLF")
    ap.add_argument("--long", type=int, default=0, metavar="K",
                    help="give each bulletin's first article K body paragraphs (a long article to scroll)")
    args = ap.parse_args()
    t0 = time.time()
    pools = read_seeds(args.seeds_dir)
    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    old = [f for f in os.listdir(args.outdir) if f.endswith(".txt")]
    if old and not args.clean:
        sys.exit(f"gen-archive: {args.outdir} already has {len(old)} .txt files (--clean deletes them)")
    for f in old:
        os.remove(os.path.join(args.outdir, f))
    width = max(3, len(str(args.n - 1)))
    total = 0
    for i in range(args.n):
        b = Bulletin(rng, pools, hash_marks=rng.random() < 0.2, long=args.long)
        text = b.text()
        if rng.random() < 0.4:
            text = text.translate(TO_FULL)
        data = encode(rng, text, args.mixed_encodings)
        name = f"{i:0{width}d}_{rng.getrandbits(64):016x}.txt"
        with open(os.path.join(args.outdir, name), "wb") as f:
            f.write(data)
        total += len(data)
    print(f"gen-archive: {args.n} files, {total / 1e6:.1f} MB in {args.outdir} ({time.time() - t0:.1f} s)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
