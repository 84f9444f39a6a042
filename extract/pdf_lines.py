"""Printed lines of a PDF page as the borderless table reader sees them: glyph runs, header words, and
the columns their gutters imply (pdfplumber's text strategy / camelot's stream parser, on glyphs).

A gutter is an x-range that (almost) no body line covers; between two neighbouring labels of a header
line with no such gutter, the least covered x-range is the boundary (cells spanning columns cross it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from statistics import median
from typing import NamedTuple

from kaoping.extract.pdf_text import Char, is_cjk, line_to_text
from kaoping.schema.raw import BBox
from kaoping.schema.vocabulary import header_key, header_synonyms

RUN_GAP = 0.6  # font sizes: a wider gap separates two runs (CJK text runs glyph to glyph, a Latin space
# is ~0.25 em; Word/LibreOffice pad each side of a cell with 0.19 cm, ~0.6 em at 10.5 pt)
GRID_STEP = 0.5  # points: resolution of the coverage profile
MIN_GUTTER = 0.6  # font sizes: narrowest gap between two columns (LibreOffice/Word pad cells ~0.2 cm)
SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")  # 一、 （一）: a section
CUT = re.compile(r"^\d+[-－.．]$")  # a 序号 or weight a narrow column cut after its first joiner
MIN_ISLAND = 3  # lines: a column printing on this many lines of a little covered range is a column
ISLAND_SHARE = 0.5  # ... where the coverage is above this share of the range's peak
SOLID_GAP = 0.15  # font sizes: a wider gap between two glyphs on either side of a column boundary parts two
# cells (CJK is set solid; justified lines stretch ~0.1; cells of a browser print leave 0.38; LibreOffice Calc
# leaves 0.19 between a right-aligned weight and the left-aligned 完成时限 of the next cell)
GUTTER_NOISE = 0.02  # share of body lines that may cross a gutter (合计 labels spanning columns)
NARROW_GUTTER = 0.3  # font sizes: a narrower gap is a gutter only where the text right of it starts at one x on
# MIN_ALIGNED lines (a left-aligned column's edge): LibreOffice Calc pads cells ~0.05 cm, which left 0.52 sizes
# between a full cell and the next at 58 % zoom (5.8-pt type) and leaves ~0.3 at 100 %
MIN_ALIGNED = 5


@cache
def header_words() -> frozenset[str]:
    """Words that locate a borderless table: every label of the header vocabulary, plus labels that only
    help find the table (data/header_words.txt: 得分, 配合单位 … — normalize keeps them under their header)."""
    text = resources.files("kaoping.extract").joinpath("data", "header_words.txt").read_text(encoding="utf-8")
    extra = {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(header_synonyms()) | frozenset(extra)


@dataclass
class Line:
    page: int
    chars: list[Char]
    text: str = ""
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    runs: list[Run] = field(default_factory=list)

    def __post_init__(self) -> None:
        ink = [c for c in self.chars if not c[0].isspace()] or self.chars
        self.text = line_to_text(self.chars)
        self.top, self.bottom = min(c[3] for c in ink), max(c[4] for c in ink)
        self.x0, self.x1 = min(c[1] for c in ink), max(c[2] for c in ink)
        self.size = median(c[5] for c in ink)
        self.runs = chars_to_runs(sorted(self.chars, key=lambda c: c[1]))

    @cached_property
    def labels(self) -> list[Run]:
        """The line's runs parted where a header's narrow cells touch (:func:`label_runs`), made once."""
        return label_runs(self)

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


class Run(NamedTuple):
    """A run of glyphs (see :func:`chars_to_glyph_runs`) with its extent."""

    text: str
    x0: float
    x1: float


def chars_to_glyph_runs(chars: list[Char]) -> list[list[Char]]:
    """Glyphs (left to right) closer than RUN_GAP font sizes: one word, one cell's text on that line."""
    out: list[list[Char]] = []
    right = 0.0  # the rightmost edge of the last run, kept as it grows (a rescan per glyph is quadratic)
    for ch in chars:
        if out and ch[1] - right <= RUN_GAP * ch[5]:
            out[-1].append(ch)
            right = max(right, ch[2])
        elif ch[0].strip():
            out.append([ch])
            right = ch[2]
    return out


def chars_to_runs(chars: list[Char]) -> list[Run]:
    runs = [Run(re.sub(r"\s+", "", "".join(c[0] for c in g)), g[0][1], g[-1][2]) for g in chars_to_glyph_runs(chars)]
    return [r for r in runs if r.text]


def label_runs(line: Line) -> list[Run]:
    """A header line's labels: its runs, cut where two CJK glyphs are more than SOLID_GAP apart — CJK is set
    solid, so such a gap is two cells' padding (a spreadsheet's narrow columns print 完成时限 and 责任分解 0.2
    sizes apart, one run by RUN_GAP)."""
    out: list[Run] = []
    for run in chars_to_glyph_runs(sorted(line.chars, key=lambda c: c[1])):  # left to right, as Line.runs
        ink = [c for c in run if c[0].strip()]
        cuts = [k for k in range(1, len(ink)) if is_cjk(ink[k - 1][0]) and is_cjk(ink[k][0])
                and ink[k][1] - ink[k - 1][2] > SOLID_GAP * ink[k][5]]
        for a, b in zip([0, *cuts], [*cuts, len(ink)], strict=True):
            out.append(Run("".join(c[0] for c in ink[a:b]), ink[a][1], ink[b - 1][2]))
    return [r for r in out if r.text]


def is_header_word(text: str) -> bool:
    """A printed label is a header word once folded as normalize folds it: a browser's PDF prints 目 as the
    Kangxi radical ⽬ (U+2F6C), a fullwidth or spaced label is the same word."""
    return header_key(text) in header_words()


def begins_header_word(text: str) -> bool:
    """``text`` is the start of a header word, or a header word followed by more."""
    key = header_key(text)
    return bool(key) and any(w.startswith(key) or key.startswith(w) for w in header_words())


def ends_label(label: str, text: str) -> bool:
    """A whole header word does not go on with a piece that begins another (目标内容 over 序号), unless the
    two begin a longer header word together."""
    return (is_header_word(label) and begins_header_word(text)
            and not any(w.startswith(header_key(label + text)) for w in header_words()))


def header_count(line: Line) -> int:
    return sum(is_header_word(r.text) for r in line.labels)


# ---------------------------------------------------------------- columns


def coverage(lines: list[Line], left: float, n: int) -> list[int]:
    """How many lines have ink at each GRID_STEP-wide x-slot of the table."""
    cover = [0] * n
    for line in lines:
        seen: set[int] = set()
        for ch in line.chars:
            if not ch[0].isspace():
                seen.update(range(max(0, int((ch[1] - left) / GRID_STEP)), min(n, int((ch[2] - left) / GRID_STEP) + 1)))
        for k in seen:
            cover[k] += 1
    return cover


def low_runs(cover: list[int], limit: int, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Maximal slot ranges [k, j) inside [lo, hi) where the coverage is at most ``limit``."""
    hi = len(cover) if hi is None else hi
    out: list[tuple[int, int]] = []
    k = lo
    while k < hi:
        if cover[k] <= limit:
            j = k
            while j < hi and cover[j] <= limit:
                j += 1
            out.append((k, j))
            k = j
        else:
            k += 1
    return out


def valley_middle(cover: list[int], k: int, j: int) -> int:
    """The middle slot of the widest least-covered stretch of [k, j): a gutter crossed by a few
    spanning cells, or the gap between two sparse columns, splits at its emptiest point."""
    least = min(cover[k:j])
    a, b = max(low_runs(cover, least, k, j), key=lambda r: r[1] - r[0])
    return (a + b) // 2


def run_to_slots(cover: list[int], k: int, j: int, width: float) -> list[int]:
    """Boundaries inside a little covered x-range [k, j): a column printing on few lines (a category
    named once per block) is an island of ink there, and the gaps beside it are gutters, except on the
    side of the page's margin; a range without such an island is one gutter unless at the margin."""
    peak = max(cover[k:j], default=0)
    islands = [(a, b) for a, b in low_runs([-c for c in cover], -ISLAND_SHARE * peak - 1e-9, k, j)]
    islands = [(a, b) for a, b in islands if a > k and b < j] if peak >= MIN_ISLAND else []
    if not islands:
        return [valley_middle(cover, k, j)] if k > 0 and j < len(cover) and j - k >= width else []
    edges = [k, *(e for a, b in islands for e in (a, b)), j]
    gaps = [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=True)
            if b - a >= width and not (a == 0 or b == len(cover))]
    return [valley_middle(cover, a, b) for a, b in gaps]


def gutters_to_bounds(lines: list[Line], header: list[list[Run]], left: float, right: float) -> list[float]:
    """Column boundaries: gutters that (almost) no body line covers, plus, between two neighbouring
    labels of a header row (``header``: each row's labels left to right) with no such gutter between them,
    the least covered x-range (there cells spanning several columns, rows without 一级指标 say, cross
    the gutter)."""
    n = int((right - left) / GRID_STEP) + 2
    cover = coverage([ln for ln in lines if not is_section_run(ln)], left, n)
    size = median(ln.size for ln in lines)
    noise = int(GUTTER_NOISE * len(lines))
    slots = [m for k, j in low_runs(cover, noise) for m in run_to_slots(cover, k, j, MIN_GUTTER * size / GRID_STEP)]
    edges = line_edges(lines, left, n, SOLID_GAP * size)
    labels = [(int((r.x0 - left) / GRID_STEP), int((r.x1 - left) / GRID_STEP)) for runs in header for r in runs]
    slots += narrow_gutters(cover, edges, noise, size, labels)
    for runs in header:
        for a, b in zip(runs, runs[1:], strict=False):
            k, j = int((a.x1 - left) / GRID_STEP) + 1, int((b.x0 - left) / GRID_STEP)
            ca, cb = (int(((r.x0 + r.x1) / 2 - left) / GRID_STEP) for r in (a, b))
            # no boundary parts the two labels yet — one under label a itself (a gutter inside its column: a
            # short label set left over figures set right) does not
            if j > k and not any(ca <= m < cb and m >= k - 1 for m in slots):
                slots.append(label_gap_slot(cover, edges[0], k, j))
    slots = label_set_apart(sorted(set(slots)), cover, labels)
    return [left, *(left + m * GRID_STEP for m in slots), right]


def label_set_apart(slots: list[int], cover: list[int], labels: list[tuple[int, int]]) -> list[int]:
    """Boundaries less those between a header label over almost no text (fewer than MIN_ISLAND lines: a 合计)
    and text under no label: one column whose label is set left and its figures right (a sheet's 序号 as
    numbers), not two."""
    bounds = [0, *slots, len(cover)]
    return [m for k, m in enumerate(slots)
            if not (labelled(labels, bounds[k], m) and not labelled(labels, m, bounds[k + 2])
                    and max(cover[bounds[k]:m], default=0) < MIN_ISLAND)]


def labelled(labels: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """A header label is centred over the slots [lo, hi) (its column: a label set left over figures set
    right reaches into the figures' part)."""
    return any(lo <= (x0 + x1) // 2 < hi for x0, x1 in labels)


def under_label(labels: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """Some header label (its slot range) lies over the slots [lo, hi)."""
    return any(x0 < hi and x1 > lo for x0, x1 in labels)


def line_edges(lines: list[Line], left: float, n: int, gap: float) -> tuple[list[int], list[int]]:
    """How many lines have a piece of text starting / ending at each x-slot: a glyph with no ink ``gap``
    points before it (after it)."""
    starts, ends = [0] * n, [0] * n
    for line in lines:
        ink = [ch for ch in line.chars if not ch[0].isspace()]
        for prev, ch in zip([None, *ink], ink, strict=False):
            if prev is None or ch[1] - prev[2] >= gap:
                starts[min(n - 1, max(0, int((ch[1] - left) / GRID_STEP)))] += 1
                if prev is not None:
                    ends[min(n - 1, max(0, int((prev[2] - left) / GRID_STEP)))] += 1
        if ink:
            ends[min(n - 1, max(0, int((ink[-1][2] - left) / GRID_STEP)))] += 1
    return starts, ends


def aligned(starts: list[int], j: int) -> bool:
    """Text starts at slot ``j`` (within a slot either way) on MIN_ALIGNED lines or more: a column's left edge."""
    return sum(starts[max(0, j - 1) : j + 2]) >= MIN_ALIGNED


def narrow_gutters(cover: list[int], edges: tuple[list[int], list[int]], noise: int, size: float,
                   labels: list[tuple[int, int]]) -> list[int]:
    """Gaps narrower than MIN_GUTTER that are a column's edge: the text right of them starts at one x (NARROW_GUTTER
    or wider), or — down to SOLID_GAP — the text left of them also ends at one x (right-aligned figures); never
    under a header label (``labels``: their slot ranges), which says the gap is inside its column (12月底前 set
    by LibreOffice Writer: every line's 12 is spaced from its 月, one x on every line)."""
    starts, ends = edges
    lo, tight, hi = (f * size / GRID_STEP for f in (NARROW_GUTTER, SOLID_GAP, MIN_GUTTER))
    # a gap of w slots measures w to w + 1 (glyph edges are rounded to slots): w + 1 is held to the bounds
    return [valley_middle(cover, k, j) for k, j in low_runs(cover, noise)
            if tight <= j - k + 1 and j - k < hi and k > 0 and j < len(cover) and aligned(starts, j)
            and (j - k + 1 >= lo or aligned(ends, k - 1)) and not under_label(labels, k, j)]


def label_gap_slot(cover: list[int], starts: list[int], k: int, j: int) -> int:
    """The boundary between two header labels with no gutter between them: the middle of the least covered
    stretch of [k, j) — the one before a column's left edge when there is one (a right-aligned weight and the
    deadline beside it leave 0.19 sizes before the deadlines and a wide gap before the weights), else the widest."""
    least = min(cover[k:j])
    a, b = max(low_runs(cover, least, k, j), key=lambda r: (aligned(starts, r[1]), r[1] - r[0]))
    return (a + b) // 2


def is_section_run(line: Line) -> bool:
    """A line that is one run beginning a section (一、业务工作（70分）): a row spanning the table, over its
    gutters — it says nothing of where the columns are."""
    return len(line.runs) == 1 and bool(SECTION.match(line.runs[0].text))


def column_of(bounds: list[float], x: float) -> int:
    for c in range(len(bounds) - 1):
        if x < bounds[c + 1]:
            return c
    return len(bounds) - 2


def cut_at_bounds(run: list[Char], bounds: list[float]) -> list[list[Char]]:
    """A run cut where it crosses a column boundary with a gap between the two glyphs there: CJK is set
    solid, so text spanning columns crosses a boundary without one, while two cells whose texts nearly touch
    (a browser's 1-px cell padding: 2.6 pt at 6.9 pt) leave one."""
    parts = [[run[0]]]
    for a, b in zip(run, run[1:], strict=False):
        crosses = column_of(bounds, (a[1] + a[2]) / 2) != column_of(bounds, (b[1] + b[2]) / 2)
        if crosses and b[1] - a[2] > SOLID_GAP * b[5]:
            parts.append([])
        parts[-1].append(b)
    return parts


def split_line(line: Line, bounds: list[float]) -> tuple[dict[int, list[Char]], dict[int, int]]:
    """A body line -> the glyphs of each column, and the last column each piece reaches: a run of text
    crossing a gutter (a cell spanning columns) stays whole, in the column where it starts."""
    pieces: dict[int, list[Char]] = {}
    reach: dict[int, int] = {}
    for run in (part for whole in chars_to_glyph_runs(line.chars) for part in cut_at_bounds(whole, bounds)):
        first = column_of(bounds, (run[0][1] + run[0][2]) / 2)
        last = column_of(bounds, (run[-1][1] + run[-1][2]) / 2)
        pieces.setdefault(first, []).extend(run)
        reach[first] = max(reach.get(first, first), last)
    return pieces, reach


def glyphs_text(chars: list[Char]) -> str:
    return re.sub(r"\s+", "", "".join(ch[0] for ch in chars))


def column_by_content(pieces: list[dict[int, list[Char]]], pattern: re.Pattern[str],
                      skip: int | None = None) -> int | None:
    """The column whose line pieces most often match ``pattern`` (at least three, at least a third)."""
    votes: dict[int, int] = {}
    filled: dict[int, int] = {}
    for i, piece in enumerate(pieces):
        for c, chars in piece.items():
            if c == skip:
                continue
            filled[c] = filled.get(c, 0) + 1
            text = glyphs_text(chars)
            if CUT.match(text) and i + 1 < len(pieces):  # 1- / 2: a figure cut by a narrow column
                text += glyphs_text(pieces[i + 1].get(c, []))
            votes[c] = votes.get(c, 0) + bool(pattern.match(text))
    good = [c for c, v in votes.items() if v >= 3 and 3 * v >= filled[c]]
    return max(good, key=lambda c: votes[c]) if good else None


