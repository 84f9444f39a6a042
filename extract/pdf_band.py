"""The header of a borderless table whose cells are centred vertically (see :mod:`kaoping.extract.pdf_centred`):
a band of short pieces where each label is the pieces stacked in one place, one line pitch apart, and its
height in the band says its header row — a parent's centre is above the band's middle, a label spanning both
header rows is centred on it, a child's is below."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from kaoping.extract.pdf_grid import SECTION
from kaoping.extract.pdf_lines import Line, Run, column_of, ends_label, is_header_word

BAND_GAP = 2.5  # font sizes: pieces of one wrapped label follow at most this far apart (1.46 and 2.0 in
# Chromium's prints seen); a child under its parent can be as close (2.2), so whole header words part them
BAND_PIECE = 6  # glyphs: the most a header label puts on one line of a centred band (pdf_borderless.HEADER_PIECE)
BAND_REACH = 10  # lines a header band may take (two header rows of labels wrapped glyph by glyph)
MIN_BAND_TOPS = 3  # heights at which a centred band's labels begin (parents, spanning labels, children)
SAME_TOP = 1.0  # points: labels beginning closer than this begin at one height
MIDDLE_TOL = 0.3  # font sizes: a label whose centre is this close to the band's middle spans both rows
LEVEL_GAP = 0.5  # font sizes: label centres further apart than this are at different heights (one row's labels
# centre within a glyph's rounding; the rows of a band are 1.4+ sizes apart)
# (Chromium centres to the pixel; a label wrapped over lines of two fonts drifts ~0.05)

# ---------------------------------------------------------------- the header band


@dataclass
class Label:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    last: int  # index (into the band's lines) of the line of its last piece
    size: float  # font size

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre_x(self) -> float:
        return (self.x0 + self.x1) / 2


def short_pieces(line: Line) -> bool:
    return bool(line.runs) and all(len(r.text) <= BAND_PIECE and not r.text[0].isdigit()
                                   and not SECTION.match(r.text) for r in line.runs)


def band_end(lines: list[Line], i: int) -> int:
    """Index one past the band of short-piece lines beginning at ``lines[i]`` (each close under the last)."""
    k = i
    while k < min(len(lines), i + BAND_REACH) and short_pieces(lines[k]) and (
            k == i or (lines[k].page == lines[i].page and 0 < lines[k].top - lines[k - 1].top < BAND_GAP * lines[k].size)):
        k += 1
    return k


def band_labels(lines: list[Line]) -> list[Label]:
    """The labels of a band: each piece goes on with the label printed just above it, overlapping it."""
    labels: list[Label] = []
    for k, line in enumerate(lines):
        for run in line.runs:
            near = [lb for lb in labels if run.x0 < lb.x1 and lb.x0 < run.x1
                    and 0 < line.top - lines[lb.last].top < BAND_GAP * line.size]
            label = near[-1] if near else None
            if label is None or ends_label(label.text, run.text) or completes(label.text, run.text):
                labels.append(Label(run.text, run.x0, run.x1, line.top, line.bottom, k, line.size))
            else:
                label.text += run.text
                label.x0, label.x1 = min(label.x0, run.x0), max(label.x1, run.x1)
                label.bottom, label.last = line.bottom, k
    return labels


def completes(text: str, more: str) -> bool:
    """``text`` is a whole header word and ``more`` would make it none: the next piece is not its rest (the
    body's first line, set a line under a wrapped 分管领/导, is no part of 分管领导)."""
    return is_header_word(text) and not is_header_word(text + more)


def centred_labels(words: list[Label]) -> bool:
    """Labels set centred in their boxes: they begin at MIN_BAND_TOPS heights or more, or at two and all
    share one centre (a one-row header whose long labels wrap: 序/号 around 考评项目). Set top-aligned, labels
    begin at the top of each header row, and a wrapped label's centre is below a one-line label's (a
    4-line 完成时限 and a 2-line 序号 of the next row may share one, the 1-line 项目 does not)."""
    tops = sorted(lb.top for lb in words)
    heights = 1 + sum(b - a > SAME_TOP for a, b in zip(tops, tops[1:], strict=False))
    centres = [lb.centre for lb in words]
    return heights >= MIN_BAND_TOPS or (
        heights == 2 and max(centres) - min(centres) <= MIDDLE_TOL * median(lb.size for lb in words))


def band_header(lines: list[Line], i: int, min_words: int) -> int | None:
    """Index one past the centred header band beginning at ``lines[i]``: its labels hold ``min_words`` header
    words and are set centred (centred_labels). The band ends at the last line of a header word (short
    body lines may follow it closely)."""
    end = band_end(lines, i)
    words = [lb for lb in band_labels(lines[i:end]) if is_header_word(lb.text)]
    if len(words) < min_words or not centred_labels(words):
        return None
    return i + 1 + max(lb.last for lb in words)


def centre_levels(labels: list[Label], size: float) -> list[list[Label]]:
    """The labels grouped by the height of their centres, top to bottom: a new level wherever two centres
    (in order) are more than LEVEL_GAP sizes apart."""
    levels: list[list[Label]] = []
    for lb in sorted(labels, key=lambda lb: lb.centre):
        if levels and lb.centre - levels[-1][-1].centre <= LEVEL_GAP * size:
            levels[-1].append(lb)
        else:
            levels.append([lb])
    return levels


def band_rows(labels: list[Label], size: float) -> tuple[list[Label], list[Label], list[Label]]:
    """(parents, labels spanning the band, children), by where each label's centre sits in the band: with
    three heights of centres, the top, the middle and the bottom ones (the rows of a spreadsheet's header need
    not be alike tall: Calc's spanning 项目 sits 0.4 sizes below the band's middle); else by the middle."""
    levels = centre_levels(labels, size)
    if len(levels) == 3:
        return levels[0], levels[1], levels[2]
    middle = (min(lb.top for lb in labels) + max(lb.bottom for lb in labels)) / 2
    children = [lb for lb in labels if lb.centre > middle + MIDDLE_TOL * size]
    parents = [lb for lb in labels if lb.centre < middle - MIDDLE_TOL * size]
    return parents, [lb for lb in labels if lb not in children and lb not in parents], children


def leaf_rows(block: list[Line]) -> list[list[Run]]:
    """The band's leaf labels (spanning and children), left to right, as one header row for the gutters."""
    parents, spanning, children = band_rows(band_labels(block), median(ln.size for ln in block))
    return [[Run(lb.text, lb.x0, lb.x1) for lb in sorted(spanning + children, key=lambda lb: lb.x0)]]


def parent_of(child: Label, parents: list[Label], spanning: list[Label]) -> Label:
    """The parent over ``child``: the nearest with no label spanning the band between them (二级指标 is under
    目标内容, not under 责任分解 beyond 权重 and 完成时限)."""
    def apart(p: Label) -> bool:
        lo, hi = sorted((p.centre_x, child.centre_x))
        return any(lo < s.centre_x < hi for s in spanning)

    return min(parents, key=lambda p: (apart(p), abs(p.centre_x - child.centre_x)))


def spanned_column(bounds: list[float], x: float, labelled: set[int]) -> int:
    """The first column of a label centred at ``x`` spanning both header rows: its own column, or the one to
    its left when ``x`` is nearer the gutter between them than its column's centre and nothing else labels
    that column (项目 over the category and group columns, centred on their gutter, printed inside the wider
    group column: the category column had no header). header_to_cells spans it over the blank after."""
    c = column_of(bounds, x)
    nearer_gutter = abs(x - bounds[c]) < abs(x - (bounds[c] + bounds[c + 1]) / 2)
    return c - 1 if c > 0 and nearer_gutter and c - 1 not in labelled else c


def centred_header_matrix(block: list[Line], bounds: list[float]) -> list[list[str]]:
    """Header lines of a centred band -> one or two header rows (see the module docstring). A parent
    goes to the first column of the run of columns left blank in the first row around its centre, so that
    the blank-run spans of header_to_cells give it its children's columns."""
    parents, spanning, children = band_rows(band_labels(block), median(ln.size for ln in block))
    n = len(bounds) - 1
    top = [""] * n
    labelled = {column_of(bounds, lb.centre_x) for lb in parents + children}
    for lb in spanning:
        top[spanned_column(bounds, (lb.x0 + lb.x1) / 2, labelled)] += lb.text
    for lb in parents:  # at its first child's column (header_to_cells spans it over the blanks after it)
        mine = [ch for ch in children if parent_of(ch, parents, spanning) is lb]
        top[min(column_of(bounds, ch.centre_x) for ch in mine) if mine else column_of(bounds, lb.centre_x)] += lb.text
    if not children:
        return [top]
    low = [""] * n
    for lb in children:
        low[column_of(bounds, (lb.x0 + lb.x1) / 2)] += lb.text
    return [top, low]


