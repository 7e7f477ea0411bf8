#!/usr/bin/env bash
# Converter text from real tools, committed as fixtures for tests/convert_tools.rs (so `cargo test`
# needs none of these tools). Each PDF in tests/data/pdf and tests/data/pdf-own goes through:
#   pdftotext (poppler-utils): default mode, -layout, -raw
#   pdf2txt.py (pip install pdfminer.six)
# own_rows_fpdf2.pdf is left out: its fonts have no ToUnicode map, these tools print garbage.
# own_2col_reportlab.pdf (two columns) only in -raw mode: the other modes interleave the columns
# line by line (default, pdfminer) or print them side by side (-layout); no text front end can
# undo that, so those outputs are not fixtures.
# own_tagged_lo.pdf (LibreOffice, quotation marks in another font) in -raw and pdfminer modes
# neither: those tools print the quotation marks away from their words ("“ ”" on a line of
# their own), so the titles cannot be what the page shows.
# Run from the repository root: bash scripts/gen-converter-fixtures.sh
set -euo pipefail
out=tests/data/convert-tools
mkdir -p "$out"
pdftotext -enc UTF-8 -raw tests/data/pdf-own/own_2col_reportlab.pdf "$out/own_2col_reportlab.pdftotext-raw.txt"
for pdf in tests/data/pdf/*.pdf tests/data/pdf-own/own_tagged_lo.pdf; do
    stem=$(basename "$pdf" .pdf)
    pdftotext -enc UTF-8 "$pdf" "$out/$stem.pdftotext.txt"
    pdftotext -enc UTF-8 -layout "$pdf" "$out/$stem.pdftotext-layout.txt"
    [ "$stem" = own_tagged_lo ] || pdftotext -enc UTF-8 -raw "$pdf" "$out/$stem.pdftotext-raw.txt"
    [ "$stem" = own_tagged_lo ] && continue
    if command -v pdf2txt.py >/dev/null; then
        pdf2txt.py "$pdf" >"$out/$stem.pdfminer.txt"
    else
        echo "skipped $stem.pdfminer.txt: pdf2txt.py not found (pip install pdfminer.six)"
    fi
done

# An office suite's bulletin (scripts/gen-office-bulletin.py: .docx -> LibreOffice PDF and plain
# text) from a seed no other fixture comes from and from one of our own bulletins: pdftotext
# default and -layout of the PDF, and LibreOffice's own text export (one paragraph a line).
if command -v soffice >/dev/null && python3 -c "import docx" 2>/dev/null; then
    cargo build --quiet
    tmp=$(mktemp -d)
    for src in seeds/004_*.txt tests/data/convert/autumn.src.txt; do
        name=$(basename "$src" .txt)
        case "$name" in
            0*) stem=e_office_${name%%_*} ;;
            *) stem=e_office_${name%.src} ;;
        esac
        python3 scripts/gen-office-bulletin.py target/debug/kanbao "$src" "$tmp/$stem"
        pdftotext -enc UTF-8 "$tmp/$stem.pdf" "$out/$stem.pdftotext.txt"
        pdftotext -enc UTF-8 -layout "$tmp/$stem.pdf" "$out/$stem.pdftotext-layout.txt"
        cp "$tmp/$stem.soffice.txt" "$out/$stem.soffice.txt"
    done
    rm -r "$tmp"
else
    echo "skipped e_office_*: soffice or python-docx missing (apt install libreoffice-writer-nogui python3-docx)"
fi
