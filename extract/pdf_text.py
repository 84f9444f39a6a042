"""PDF cell text: glyphs → lines → one string, with the soft-wrap rules.

A wrap between CJK characters, or where the line ran to the cell edge, joins with nothing; a line
that clearly ended early (the next line's first unbreakable piece would have fitted) ends at a
space. Space-separated list cells (names, departments) get their ambiguous wraps resolved against
the lengths of the whole entries seen in the same column.
"""

from __future__ import annotations

import re
import unicodedata

from kaoping.schema.raw import BBox, RawCell

#: glyph: text, x0, x1, top, bottom, font size
Char = tuple[str, float, float, float, float, float]

EARLY_END = 0.8  # a line ending this many font sizes short of the cell edge ended early
# room below a cell's last line, in font sizes, in which one more line would have fitted: CJK lines in the
# fixture prints (Word, LibreOffice, Chromium) advance 1.2–2.0 font sizes, so 1.2 is one line at the tightest.
# Not the cell's own pitch: Chromium's 2-size pitch would take a short text centred in a two-row box (room
# ~1.5 sizes) for a full one; a cut cell of a looser leading may be missed (none seen so far)
LINE_ROOM = 1.2
# at a page's cut, room left under a cell's last line that still held no line: Chromium's landscape print
# (1.46-size pitch) left 1.96 sizes under 行政/能力/目标 and set （25分） on the next page
OPEN_LINE_ROOM = 2.1
OPENING = set("([{（［｛〔【〖《〈「『“‘")
CLOSING = set(")]}）］｝〕】〗》〉」』”’，。、；：！？,.;:!?…%％")
SOFT = "\ue000"  # private-use mark for an ambiguous wrap inside a space-separated list cell
PAGE_NUMBER = re.compile(r"^[\s\-—–－~·.第页共/|PpageOf]*\d+[\s\-—–－~·.第页共/|PpageOf\d]*$")


# ---------------------------------------------------------------- text


def chars_to_lines(chars: list[Char]) -> list[list[Char]]:
    """Group glyphs into lines (top within tolerance), each sorted left to right, lines top-down."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c[3], c[1])):
        if lines and abs(ch[3] - lines[-1][0][3]) <= max(2.0, 0.4 * ch[5]):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return reattach_strays([sorted(line, key=lambda c: c[1]) for line in lines])


# font sizes: a run of glyphs touches a glyph of another line when the gap between them is below this (CJK
# is set solid; a Latin space is ~0.25)
TOUCH = 0.3
STRAY_OFFSET = 0.5  # points: a run set this far off its line's usual top may have strayed (1.5 seen)


def x_runs(line: list[Char]) -> list[list[Char]]:
    """A line's glyphs (left to right) in runs set solid (gaps below TOUCH font sizes)."""
    runs: list[list[Char]] = []
    for ch in line:
        if runs and ch[1] - runs[-1][-1][2] < TOUCH * ch[5]:
            runs[-1].append(ch)
        else:
            runs.append([ch])
    return runs


def touching(run: list[Char], line: list[Char]) -> list[Char]:
    """Glyphs of ``line`` that ``run`` continues on either side, set at its height (within the line
    tolerance); none when the run would overprint a glyph of the line."""
    size = run[0][5]
    if any(ch[1] < run[-1][2] and run[0][1] < ch[2] for ch in line):
        return []
    return [ch for ch in line if abs(ch[3] - run[0][3]) <= max(2.0, 0.4 * size)
            and (0 <= run[0][1] - ch[2] < TOUCH * size or 0 <= ch[1] - run[-1][2] < TOUCH * size)]


def strays_home(run: list[Char], home_top: float, lines: list[list[Char]], k: int) -> int | None:
    """The neighbouring line ``run`` belongs to: one it continues, set nearer its height than its own line's
    usual top ``home_top`` (a run at home in its line stays, whatever it touches)."""
    home = abs(run[0][3] - home_top)
    for j in (k - 1, k + 1):
        if 0 <= j < len(lines):
            near = touching(run, lines[j])
            if near and min(abs(run[0][3] - ch[3]) for ch in near) < home:
                return j
    return None


def reattach_strays(lines: list[list[Char]]) -> list[list[Char]]:
    """A run set in another font sits a little lower than its line (a browser's digits in a fallback font:
    1.5 pt under the CJK glyphs at 6.9 pt); where lines of neighbouring cells interleave half a line apart
    (a centred borderless table) it falls into the next line by top alone. A run continuing a glyph of a
    neighbouring line, nearer that glyph's height than its own line's, goes to that line. Only runs off
    their line's usual top are looked at: linear on a line of one font, however long (a hostile file)."""
    out = [list(line) for line in lines]
    for k in range(len(out)):
        tops = sorted(ch[3] for ch in out[k])
        home_top = tops[len(tops) // 2]
        for run in x_runs(out[k]):
            if abs(run[0][3] - home_top) < STRAY_OFFSET:
                continue
            target = strays_home(run, home_top, out, k)
            if target is not None:
                moved = {id(ch) for ch in run}
                out[k] = [ch for ch in out[k] if id(ch) not in moved]
                out[target] = sorted(out[target] + run, key=lambda c: c[1])
    return [line for line in out if line]


# font sizes of blank between two glyphs of one line that part two columns of a page's layout (a web page's
# sidebar beside the notice, 发布机构 … 生成日期 on one line): 2.9 and 11.5 in the prints seen; no gap in running
# text or a title reaches 1.5 (the sample PDF has none)
GUTTER = 2.5


def split_at_gutters(line: list[Char]) -> list[list[Char]]:
    """One printed line (glyphs left to right) cut where a gutter parts two columns of the page's layout."""
    out: list[list[Char]] = []
    right: float | None = None
    for ch in line:
        if ch[0].strip() and right is not None and out and ch[1] - right > GUTTER * max(ch[5], 1.0):
            out.append([])
        if not out:
            out.append([])
        out[-1].append(ch)
        if ch[0].strip():
            right = ch[2]
    return out


def line_to_text(line: list[Char]) -> str:
    """Glyphs of one line -> text; a gap wider than ~0.3 em becomes one space."""
    out: list[str] = []
    prev_x1: float | None = None
    for text, x0, x1, _top, _bottom, size in line:
        if prev_x1 is not None and x0 - prev_x1 > 0.3 * size and out and out[-1] != " ":
            out.append(" ")
        out.append(text)
        prev_x1 = x1
    return re.sub(r"\s+", " ", "".join(out)).strip()


def is_cjk(ch: str) -> bool:
    if not ch:
        return False
    o = ord(ch[0])
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x3000 <= o <= 0x303F or 0x20000 <= o <= 0x2FFFF) or ch in "“”‘’…—"


def first_unit_width(line: list[Char]) -> float:
    """Width of the leading piece a line breaker will not split: opening marks, a CJK glyph or a
    Latin word, then any run of punctuation (an opening mark in it pulls the next glyph/word in)."""
    glyphs = [c for c in line if not c[0].isspace()]
    if not glyphs:
        return 0.0
    i = -1
    while i + 1 < len(glyphs):
        i += 1
        while i < len(glyphs) - 1 and glyphs[i][0] in OPENING:
            i += 1
        if not is_cjk(glyphs[i][0]) and glyphs[i][0].isalnum():
            while (i + 1 < len(glyphs) and glyphs[i + 1][0].isalnum() and not is_cjk(glyphs[i + 1][0])
                   and glyphs[i + 1][1] - glyphs[i][2] < 0.3 * glyphs[i][5]):
                i += 1
        while i + 1 < len(glyphs) and glyphs[i + 1][0] in CLOSING | OPENING:
            i += 1
        if glyphs[i][0] not in OPENING:
            break
    return glyphs[i][2] - glyphs[0][1]


def is_list_cell(texts: list[str]) -> bool:
    """Space-separated CJK tokens (names, departments): a line that ends early ended at a space."""
    return any(re.search(r"[^\x00-\xff] +[^\x00-\xff]", t) for t in texts)


def join_wrapped_lines(lines: list[list[Char]], box: BBox) -> str:
    """Join the lines of one cell: soft wraps vanish, wraps that fell at a space keep one space.

    A line "ended early" when it keeps a trailing space glyph, or when the gap to the cell's right
    edge (less the cell padding) is at least 0.8 font sizes and either the cell is a space-separated
    list whose next line's first glyph would have fitted there, or the next line's first unbreakable
    piece would have fitted there with room to spare: then
    the break fell at a space (or a paragraph end) and one space is kept. Otherwise the wrap was
    forced: CJK on either side joins directly, Latin words keep their space, a trailing hyphen joins.
    """
    texts = [line_to_text(line) for line in lines]
    kept = [(line, text) for line, text in zip(lines, texts, strict=True) if text]
    if not kept:
        return ""
    ink = [[c for c in line if not c[0].isspace()] for line, _ in kept]
    left_pad = min(g[0][1] for g in ink) - box[0]
    right_pad = box[2] - max(g[-1][2] for g in ink)
    pad = max(0.0, min(left_pad, right_pad))
    right_edge = box[2] - pad
    out = kept[0][1]
    listy = is_list_cell([t for _, t in kept])
    for k, ((prev, prev_text), (line, text)) in enumerate(zip(kept, kept[1:], strict=False)):
        last = ink[k][-1]
        gap = right_edge - last[2]
        # a list breaks at a space when its next glyph would have fitted (a whole next name may not have);
        # when not even that glyph fits, the break may be one a spreadsheet forces inside a name (周 / 俊杰)
        fits = (listy and ink[k + 1][0][2] - ink[k + 1][0][1] <= gap) or first_unit_width(line) + 0.5 * last[5] <= gap
        early = gap >= EARLY_END * last[5] and fits
        a, b = prev_text[-1], text[0]
        if prev[-1][0].isspace() or early:
            sep = " "
        elif listy and is_cjk(a) and is_cjk(b):
            sep = SOFT  # a name may be cut here, or a space was swallowed: resolve_soft_wraps decides
        elif is_cjk(a) or is_cjk(b) or a in "-‐/" or " " not in prev_text:
            sep = ""  # forced wrap: CJK, after a hyphen, or a word longer than the cell
        else:
            sep = " "  # forced wrap between Latin words fell at a space
        out += sep + text
    return out


def ink_lines(lines: list[list[Char]]) -> list[list[Char]]:
    """The lines' inked glyphs (spaces out), lines with none left out."""
    return [g for g in ([c for c in line if not c[0].isspace()] for line in lines) if g]


def vertical_room(ink: list[list[Char]], box: BBox) -> tuple[float, float]:
    """(room above the first inked line, room below the last) in the box, in points."""
    return min(c[3] for c in ink[0]) - box[1], box[3] - max(c[4] for c in ink[-1])


def room_left(lines: list[list[Char]], box: BBox, open_end: bool = False) -> float | None:
    """When the cell's text reaches the bottom of its box (no more room below the last line than above
    the first, give or take 0.8 font sizes, and not room for one more line: a browser centres text
    vertically, so a short text in a tall box has equal room above and below): the room left after its
    last line, in font sizes, up to the right edge (less the padding its lines keep on the left). None when
    the text ended higher up. Text that fills its box may go on past it (a cell cut by a page break).

    A box whose bottom the page cut (``open_end``: no rule closed it) with text from its very top also
    reaches the bottom when less than OPEN_LINE_ROOM is left: the page's last line box must fit whole."""
    ink = ink_lines(lines)
    if not ink or ink[-1][-1][5] <= 0:  # a glyph of no size (a zero font matrix, an OCR box of no height)
        return None
    last = ink[-1][-1]
    room_above, room_below = vertical_room(ink, box)
    cut_short = open_end and room_above < EARLY_END * last[5] and room_below < OPEN_LINE_ROOM * last[5]
    if room_below >= room_above + EARLY_END * last[5] and not cut_short:
        return None
    if room_below >= LINE_ROOM * last[5] and not cut_short:  # another line would have fitted: text centred in a tall box ended
        return None
    pad = max(0.0, min(g[0][1] for g in ink) - box[0])
    return max(0.0, box[2] - pad - last[2]) / last[5]


def text_unit_ems(text: str) -> float:
    """Width in font sizes of the first piece of ``text`` a line breaker keeps whole (the text form of
    :func:`first_unit_width`: CJK glyphs 1 em, other glyphs about half an em)."""
    glyphs = [(ch, 0.0, 1.0 if is_cjk(ch) or ch in OPENING | CLOSING and ord(ch) > 0xFF else 0.55, 0.0, 0.0, 1.0)
              for ch in text.strip()]
    x = 0.0
    placed = []
    for ch, _x0, w, *_ in glyphs:
        placed.append((ch, x, x + w, 0.0, 1.0, 1.0))
        x += w
    return first_unit_width(placed)


def resolve_soft_wraps(cells: list[RawCell]) -> None:
    """Settle the SOFT marks of list cells column by column, from the column's whole tokens (names printed
    on one line elsewhere): a wrap joins two pieces that make a known token (陈瑞 + 典), separates two known
    tokens (李昀 + 陈天铃), and otherwise joins them when the result is no longer than the longest whole
    token of the column, else the wrap swallowed a space."""
    known: dict[int, set[str]] = {}
    for cell in cells:
        known.setdefault(cell.col, set()).update(tok for tok in cell.text.split(" ") if tok and SOFT not in tok)
    longest = {col: max(map(len, toks), default=0) for col, toks in known.items()}
    for cell in cells:
        if SOFT in cell.text:
            cell.text = " ".join(settle_token(tok, known.get(cell.col, set()), longest.get(cell.col, 0))
                                 for tok in cell.text.split(" "))


def settle_token(tok: str, known: set[str], limit: int) -> str:
    """One space-separated token with SOFT marks → its pieces joined or separated (see resolve_soft_wraps)."""
    pieces = tok.split(SOFT)
    word = pieces[0]
    for piece in pieces[1:]:
        tail = word.rsplit(" ", 1)[-1]
        if tail + piece in known:  # a name printed whole elsewhere (its halves may be known too: a page cut it)
            word += piece
        elif (tail in known and piece in known) or (limit and len(tail) + len(piece) > limit):
            word += " " + piece
        else:
            word += piece
    return word


def page_number_like(text: str) -> bool:
    return bool(PAGE_NUMBER.match(unicodedata.normalize("NFKC", text)))
