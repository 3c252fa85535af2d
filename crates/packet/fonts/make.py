#!/usr/bin/python3
"""Regenerates the fallback fonts bundled into the PDF report from Debian's font packages.

Run on Debian 12 from this folder (needs python3-fonttools):
    apt-get download fonts-noto-cjk fonts-noto-core fonts-symbola
    for d in *.deb; do dpkg-deb -x "$d" deb; done
    /usr/bin/python3 make.py deb && rm -rf deb *.deb

What is kept, and why (see README.md): the report only needs a glyph for every character a case value can
hold; characters no bundled font covers are shown as their code points, never as missing glyphs.
"""
import os
import shutil
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

root = sys.argv[1]
noto = os.path.join(root, "usr/share/fonts/truetype/noto")
options = subset.Options()
options.layout_features = ["*"]
options.name_IDs = ["*"]
options.notdef_outline = True
options.hinting = False


def save_subset(src, number, unicodes, out):
    font = TTFont(src, fontNumber=number)
    s = subset.Subsetter(options)
    s.populate(unicodes=unicodes)
    s.subset(font)
    font.save(out)


# CJK: the hanzi of GB 2312, the level-1 kanji of JIS X 0208, the 2,350 hangul syllables of KS X 1001, kana,
# CJK punctuation and full-width forms: what names are written with, in 3.8 MB instead of 19.
cjk = set()
for cp in range(0x2E80, 0xFFFF):
    ch = chr(cp)
    try:
        ch.encode("gb2312")
        cjk.add(cp)
        continue
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("shift_jis")
        if len(b) == 2 and (b[0] < 0x98 or (b[0] == 0x98 and b[1] <= 0x72)):
            cjk.add(cp)
    except UnicodeEncodeError:
        pass
for cp in range(0xAC00, 0xD7A4):
    try:
        if len(chr(cp).encode("euc_kr")) == 2:
            cjk.add(cp)
    except UnicodeEncodeError:
        pass
cjk |= set(range(0x3000, 0x3100)) | set(range(0x3130, 0x3190)) | set(range(0xFF00, 0xFFF0))
save_subset(
    os.path.join(root, "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    2,  # Noto Sans CJK SC
    cjk,
    "NotoSansCJKsc-Subset.otf",
)

# Emoji and pictographic symbols (monochrome), from Symbola.
emoji = (
    set(range(0x2190, 0x2200))
    | set(range(0x2300, 0x2400))
    | set(range(0x2600, 0x27C0))
    | set(range(0x2B00, 0x2C00))
    | set(range(0x1F000, 0x1F100))
    | set(range(0x1F1E6, 0x1F200))
    | set(range(0x1F300, 0x1F700))
    | set(range(0x1F900, 0x1FA00))
)
save_subset(
    os.path.join(root, "usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
    0,
    emoji,
    "Symbola-Emoji.ttf",
)

# Whole fonts for scripts that need shaping (joining, reordering, stacking).
for name in [
    "NotoSansArabic-Regular.ttf",
    "NotoSansArmenian-Regular.ttf",
    "NotoSansBengali-Regular.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansGeorgian-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansKhmer-Regular.ttf",
    "NotoSansTamil-Regular.ttf",
    "NotoSansThai-Regular.ttf",
]:
    shutil.copy(os.path.join(noto, name), name)
