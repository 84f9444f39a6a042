"""Borderless PDF tables (三线表: only top/bottom/header rules, or none): found from the header row's words.

pdfplumber finds no cell boxes without vertical rules, so such a table is rebuilt from the glyphs:

1. the header: the first printed line holding at least three header words (``data/header_words.txt``)
   as separate words, plus the lines just below it up to the last one holding two or more;
2. the body: the lines after it, page after page (repeated headers, page numbers and running heads set
   aside), up to the first line that is prose (another font size, or one run of text wider than a
   column can be, or starting left of the table);
3. the columns: the gutters, x-ranges that (almost) no body glyph covers — the text strategy of
   pdfplumber and camelot's stream parser, on the glyphs of the body only (a header label may span
   several columns);
4. the rows: a row starts at a line whose 序号 column starts a code (1-2-3) or whose weight column holds a
   bare number (columns found by content); every other line belongs to the row above it, across page
   breaks too (a row cut by a break is one row);
5. merged cells: a merged cell prints its text once, in its first row, and blank below — the blank run of
   the text reader, which normalize reads as "as above". A merged cell whose text runs past the next
   row's top line (lines adjacent, the line before runs to the column's edge, the text has not ended,
   and another column ends at the same line) stays one cell.

Header cells span by the same blank-run rule: a label covers the blank cells to its right in its header
row and the blank cells below it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from statistics import median
from typing import NamedTuple

from kaoping.extract.pdf_pages import CODE, ENDED, NUMBER, parent_code
from kaoping.extract.pdf_text import (
    EARLY_END,
    Char,
    chars_to_lines,
    first_unit_width,
    is_list_cell,
    join_wrapped_lines,
    line_to_text,
    resolve_soft_wraps,
)
from kaoping.schema.raw import BBox, RawCell, RawParagraph, RawRow, RawTable

MIN_HEADER_WORDS = 3  # a line is a header row when it holds this many header words ...
MIN_MORE_HEADER_WORDS = 2  # ... and a second header row below it this many
HEADER_REACH = 8  # lines below the first header line that may still belong to the header
RUN_GAP = 0.6  # font sizes: a wider gap separates two runs (CJK text runs glyph to glyph, a Latin space
# is ~0.25 em; Word/LibreOffice pad each side of a cell with 0.19 cm, ~0.6 em at 10.5 pt)
GRID_STEP = 0.5  # points: resolution of the coverage profile
MIN_GUTTER = 0.6  # font sizes: narrowest gap between two columns (LibreOffice/Word pad cells ~0.2 cm)
GUTTER_NOISE = 0.02  # share of body lines that may cross a gutter (合计 labels spanning columns)
PROSE_SIZE = 0.15  # a line whose font size differs more than this from the table's is not in it
PROSE_WIDTH = 0.7  # one run of text wider than this share of the table is prose (a cell spanning the
# three text columns of a row without 一级指标 reaches 0.45 in the 2022 layout)
ADJACENT = 1.6  # lines closer than this many median pitches are consecutive lines of one text block
LIST_SHARE = 0.2  # a column is a list of names when this share of its lines separate CJK words by spaces
CODE_LINE = re.compile(r"^\d+(?:\s*[-－.．]\s*\d+)+\s*[-－.．]?$")  # a 序号, possibly wrapped after a dash


@cache
def header_words() -> frozenset[str]:
    text = resources.files("kaoping.extract").joinpath("data", "header_words.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


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

    @property
    def words(self) -> list[str]:
        return [r.text for r in self.runs]

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
    for ch in chars:
        if out and ch[1] - max(c[2] for c in out[-1]) <= RUN_GAP * ch[5]:
            out[-1].append(ch)
        elif ch[0].strip():
            out.append([ch])
    return out


def chars_to_runs(chars: list[Char]) -> list[Run]:
    runs = [Run(re.sub(r"\s+", "", "".join(c[0] for c in g)), g[0][1], g[-1][2]) for g in chars_to_glyph_runs(chars)]
    return [r for r in runs if r.text]


def header_count(line: Line) -> int:
    return sum(w in header_words() for w in line.words)


# ---------------------------------------------------------------- locating the table


@dataclass
class Found:
    header: list[list[Line]]  # header blocks (the first, then each repeat)
    body: list[Line]
    used: set[int]  # ids of the lines in the table


def header_block(lines: list[Line], start: int) -> int:
    """Index one past the last line of the header that begins at ``lines[start]``."""
    end = start + 1
    for k in range(start + 1, min(start + 1 + HEADER_REACH, len(lines))):
        if lines[k].page != lines[start].page:
            break
        if header_count(lines[k]) >= MIN_MORE_HEADER_WORDS:
            end = k + 1
    return end


def is_prose(line: Line, size: float, left: float, width: float) -> bool:
    widest = max((r.x1 - r.x0 for r in line.runs), default=0.0)
    return (abs(line.size - size) > PROSE_SIZE * size or widest > PROSE_WIDTH * width
            or line.x0 < left - line.size)


def find_table(lines: list[Line], marginal: Callable[[str], bool]) -> Found | None:
    start = next((i for i, ln in enumerate(lines) if header_count(ln) >= MIN_HEADER_WORDS), None)
    if start is None:
        return None
    end = header_block(lines, start)
    headers = [lines[start:end]]
    size = median(ln.size for ln in headers[0])
    left = min(ln.x0 for ln in headers[0])
    width = max(ln.x1 for ln in headers[0]) - left
    body: list[Line] = []
    used = {id(ln) for ln in headers[0]}
    i = end
    while i < len(lines):
        line = lines[i]
        if header_count(line) >= MIN_HEADER_WORDS and body:  # before marginal: a repeated header
            # recurs at the top of every page, like a running head
            stop = header_block(lines, i)
            headers.append(lines[i:stop])
            used |= {id(ln) for ln in lines[i:stop]}
            i = stop
            continue
        if marginal(line.text):
            i += 1
            continue
        if is_prose(line, size, left, width):
            break
        body.append(line)
        used.add(id(line))
        i += 1
    return Found(headers, body, used) if body else None


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


def gutters_to_bounds(lines: list[Line], header: list[Line], left: float, right: float) -> list[float]:
    """Column boundaries: gutters that (almost) no body line covers, plus, between two neighbouring
    labels of a header line with no such gutter between them, the least covered x-range (there cells
    spanning several columns, rows without 一级指标 say, cross the gutter)."""
    n = int((right - left) / GRID_STEP) + 2
    cover = coverage(lines, left, n)
    size = median(ln.size for ln in lines)
    noise = int(GUTTER_NOISE * len(lines))
    slots = [valley_middle(cover, k, j) for k, j in low_runs(cover, noise)
             if k > 0 and j < n and (j - k) * GRID_STEP >= MIN_GUTTER * size]
    for line in header:
        for a, b in zip(line.runs, line.runs[1:], strict=False):
            k, j = int((a.x1 - left) / GRID_STEP) + 1, int((b.x0 - left) / GRID_STEP)
            if j > k and not any(k <= m < j for m in slots):
                slots.append(valley_middle(cover, k, j))
    return [left, *(left + m * GRID_STEP for m in sorted(set(slots))), right]


def column_of(bounds: list[float], x: float) -> int:
    for c in range(len(bounds) - 1):
        if x < bounds[c + 1]:
            return c
    return len(bounds) - 2


def split_line(line: Line, bounds: list[float]) -> tuple[dict[int, list[Char]], dict[int, int]]:
    """A body line -> the glyphs of each column, and the last column each piece reaches: a run of text
    crossing a gutter (a cell spanning columns) stays whole, in the column where it starts."""
    pieces: dict[int, list[Char]] = {}
    reach: dict[int, int] = {}
    for run in chars_to_glyph_runs(line.chars):
        first = column_of(bounds, (run[0][1] + run[0][2]) / 2)
        last = column_of(bounds, (run[-1][1] + run[-1][2]) / 2)
        pieces.setdefault(first, []).extend(run)
        reach[first] = max(reach.get(first, first), last)
    return pieces, reach


def column_by_content(pieces: list[dict[int, list[Char]]], pattern: re.Pattern[str],
                      skip: int | None = None) -> int | None:
    """The column whose line pieces most often match ``pattern`` (at least three, at least a third)."""
    votes: dict[int, int] = {}
    filled: dict[int, int] = {}
    for piece in pieces:
        for c, chars in piece.items():
            if c == skip:
                continue
            filled[c] = filled.get(c, 0) + 1
            votes[c] = votes.get(c, 0) + bool(pattern.match(re.sub(r"\s+", "", "".join(ch[0] for ch in chars))))
    good = [c for c, v in votes.items() if v >= 3 and 3 * v >= filled[c]]
    return max(good, key=lambda c: votes[c]) if good else None


# ---------------------------------------------------------------- rows and cells


@dataclass
class Grid:
    bounds: list[float]
    pieces: list[dict[int, list[Char]]]  # per body line: column -> its glyphs
    reach: list[dict[int, int]]  # per body line: column -> the last column its text runs into
    right: dict[int, float]  # per column: the rightmost ink (the edge a full line runs to)
    left: dict[int, float]
    pitch: float
    code_col: int | None
    weight_col: int | None
    wraps: set[int] = field(default_factory=set)  # columns whose text wraps inside a row somewhere
    lists: set[int] = field(default_factory=set)  # columns of space-separated names/departments


def piece_text(chars: list[Char]) -> str:
    return re.sub(r"\s+", "", "".join(ch[0] for ch in chars))


def body_to_grid(body: list[Line], header_lines: list[Line]) -> Grid:
    left = min(ln.x0 for ln in body + header_lines)
    right = max(ln.x1 for ln in body + header_lines)
    bounds = gutters_to_bounds(body, header_lines, left - 1, right + 1)
    split = [split_line(ln, bounds) for ln in body]
    pieces, reach = [p for p, _ in split], [r for _, r in split]
    edges_r: dict[int, float] = {}
    edges_l: dict[int, float] = {}
    for piece, ends in zip(pieces, reach, strict=True):
        for c, chars in piece.items():
            if ends[c] == c:  # the edge a full line runs to: text of this column alone
                edges_r[c] = max(edges_r.get(c, 0.0), max(ch[2] for ch in chars))
            edges_l[c] = min(edges_l.get(c, 1e9), min(ch[1] for ch in chars))
    steps = [b.top - a.top for a, b in zip(body, body[1:], strict=False)
             if a.page == b.page and 0 < b.top - a.top < 3 * a.size]
    pitch = median(steps) if steps else 1.3 * median(ln.size for ln in body)
    code_col = column_by_content(pieces, CODE_LINE)
    weight_col = column_by_content(pieces, NUMBER, skip=code_col)
    for c in edges_l:
        edges_r.setdefault(c, bounds[c + 1])
    lists = {c for c in edges_l if LIST_SHARE * sum(c in p for p in pieces)
             <= sum(is_list_cell([line_to_text(p[c])]) for p in pieces if c in p)}
    return Grid(bounds, pieces, reach, edges_r, edges_l, pitch, code_col, weight_col, lists=lists)


def adjacent(body: list[Line], p: int, q: int, pitch: float) -> bool:
    """Line ``q`` follows line ``p`` in one text block: within ADJACENT pitches on one page, or ``p``
    among the last lines of its page and ``q`` among the first of the next."""
    a, b = body[p], body[q]
    if a.page == b.page:
        return 0 < b.top - a.top < ADJACENT * pitch
    if b.page != a.page + 1:
        return False
    last_top = max(ln.top for ln in body if ln.page == a.page)
    first_top = min(ln.top for ln in body if ln.page == b.page)
    return last_top - a.top < ADJACENT * pitch and b.top - first_top < ADJACENT * pitch


def row_starts(body: list[Line], grid: Grid) -> list[bool]:
    """A row starts where the 序号 column starts a code or the weight column holds a bare number."""
    out = []
    for i, piece in enumerate(grid.pieces):
        code = piece_text(piece.get(grid.code_col, [])) if grid.code_col is not None else ""
        prev = piece_text(grid.pieces[i - 1].get(grid.code_col, [])) if i and grid.code_col is not None else ""
        wrapped = bool(prev) and prev[-1] in "-－.．" and adjacent(body, i - 1, i, grid.pitch)
        weight = piece_text(piece.get(grid.weight_col, [])) if grid.weight_col is not None else ""
        out.append((bool(CODE_LINE.match(code)) and not wrapped) or bool(NUMBER.match(weight)))
    return out


def wrapped(grid: Grid, i: int, c: int, after: list[Char]) -> bool:
    """Line ``i``'s text in column ``c`` was forced to wrap: the first unbreakable piece of ``after`` (the
    next line's text there) would not have fitted in the room left (the rule of join_wrapped_lines). A
    list of names breaks anywhere too, so a list line that ends at a name with room for a glyph and a
    space ended there: only a line at the very edge runs on."""
    chars = grid.pieces[i][c]
    size = chars[-1][5]
    room = grid.right[grid.reach[i][c]] - max(ch[2] for ch in chars)
    if room < EARLY_END * size:
        return True
    return c not in grid.lists and \
        first_unit_width(sorted(after, key=lambda g: g[1])) + 0.5 * size > room


def next_line(grid: Grid, body: list[Line], p: int, c: int) -> int | None:
    """The next line after ``p`` with text in column ``c``, if it follows ``p`` in one text block."""
    for q in range(p + 1, len(body)):
        if c in grid.pieces[q]:
            return q if adjacent(body, p, q, grid.pitch) else None
        if not adjacent(body, p, q, grid.pitch) and body[q].page == body[p].page:
            return None
    return None


def runs_on(grid: Grid, body: list[Line], p: int, c: int) -> bool:
    """Column ``c``'s text on line ``p`` goes on in the next line without a break of its own."""
    q = next_line(grid, body, p, c)
    return (q is not None and wrapped(grid, p, c, grid.pieces[q][c])
            and not ENDED.search(piece_text(grid.pieces[p][c])))


def same_block(codes: tuple[str, str]) -> bool:
    """Two rows' 序号 leave them in one block: the same parent code (1-7-2, 1-7-3), or both uncoded."""
    if not any(codes):
        return True
    parents = [parent_code(c) if CODE.match(c) else None for c in codes]
    return parents[0] is not None and parents[0] == parents[1]


def goes_on(grid: Grid, body: list[Line], p: int, c: int, text_above: str, codes: tuple[str, str]) -> bool:
    """Column ``c``'s text after line ``p``, past a row start, is the rest of a merged cell from the row
    above: the column wraps text at all, line ``p`` was forced to wrap and did not end the text, the
    row did not end there only because of this column (another column has text on line ``p``), and,
    right of the 序号, both rows are in one block (a merged 一级指标 goes on only inside its block)."""
    if c in (grid.code_col, grid.weight_col) or c not in grid.wraps or ENDED.search(text_above):
        return False
    if grid.code_col is not None and c > grid.code_col and not same_block(codes):
        return False
    return runs_on(grid, body, p, c) and any(d != c for d in grid.pieces[p])


def wrapping_columns(body: list[Line], grid: Grid, starts: list[bool]) -> set[int]:
    """Columns where some text is forced to wrap inside one row (a column of short entries never runs
    on, however close its entries come to the column's edge)."""
    out: set[int] = set()
    for p, piece in enumerate(grid.pieces):
        for c in piece:
            q = next_line(grid, body, p, c)
            if c not in out and q is not None and not any(starts[p + 1:q + 1]) \
                    and wrapped(grid, p, c, grid.pieces[q][c]):
                out.add(c)
    return out


def row_codes(grid: Grid, starts: list[bool]) -> list[str]:
    """Each row's 序号, with the lines a narrow column wrapped it over (1-10- / 2)."""
    codes: list[str] = []
    for i, piece in enumerate(grid.pieces):
        text = piece_text(piece.get(grid.code_col, [])) if grid.code_col is not None else ""
        if starts[i]:
            codes.append(text)
        elif codes and codes[-1][-1:] in ("-", "－", ".", "．") and text:
            codes[-1] += text
    return codes


def assign_lines(body: list[Line], grid: Grid, starts: list[bool]) -> tuple[list[int], dict[tuple[int, int], list[int]]]:
    """Row of each body line (-1 before the first row) and the lines of each (row, column) cell: a
    column's text that follows its previous line in one block stays in that cell, unless a row
    started in between and :func:`goes_on` says the text does not run on into the new row."""
    row_of: list[int] = []
    cells: dict[tuple[int, int], list[int]] = {}
    owner: dict[int, tuple[int, int]] = {}  # column -> the cell its text block belongs to
    last: dict[int, int] = {}  # column -> the last line with text there
    row = -1
    codes = row_codes(grid, starts)
    for i, piece in enumerate(grid.pieces):
        row += starts[i]
        row_of.append(row)
        if row < 0:
            continue
        for c in sorted(piece):
            open_cell, p = owner.get(c), last.get(c)
            key = (row, c)
            if open_cell is not None and p is not None and adjacent(body, p, i, grid.pitch):
                crossed = any(starts[p + 1:i + 1])
                text = cell_plain(grid, cells[open_cell], c)
                if not crossed or goes_on(grid, body, p, c, text, (codes[open_cell[0]], codes[row])):
                    key = open_cell
            cells.setdefault(key, []).append(i)
            owner[c], last[c] = key, i
    return row_of, cells


def cell_plain(grid: Grid, lines: list[int], c: int) -> str:
    return "".join(piece_text(grid.pieces[i][c]) for i in lines)


def cell_reach(grid: Grid, lines: list[int], c: int) -> int:
    return max(grid.reach[i][c] for i in lines)


def cell_text(grid: Grid, lines: list[int], c: int) -> str:
    chars = [grid.pieces[i][c] for i in lines]
    box = (grid.left[c], 0.0, grid.right[cell_reach(grid, lines, c)], 0.0)
    return join_wrapped_lines([sorted(ch, key=lambda g: g[1]) for ch in chars], box)


# ---------------------------------------------------------------- header rows


def header_matrix(block: list[Line], bounds: list[float]) -> list[list[str]]:
    """Header lines -> header rows of column texts; a line without two header words wraps the row above.
    A label goes to the column holding its centre (a label may run over a narrow column's gutter)."""
    n = len(bounds) - 1
    rows: list[list[str]] = []
    for k, line in enumerate(block):
        if k == 0 or header_count(line) >= MIN_MORE_HEADER_WORDS:
            rows.append([""] * n)
        for run in line.runs:
            c = column_of(bounds, (run.x0 + run.x1) / 2)
            rows[-1][c] += run.text
    return rows


def header_to_cells(matrix: list[list[str]], first_row: int, page: int) -> list[RawCell]:
    """Header texts -> cells spanning by blank runs: right over blanks in their row (not the lowest
    row: its labels are the leaves), down over rows blank in every column they cover."""
    out: list[RawCell] = []
    n_rows, n_cols = len(matrix), len(matrix[0]) if matrix else 0
    for r, texts in enumerate(matrix):
        for c, text in enumerate(texts):
            if not text:
                continue
            span = 1
            while r < n_rows - 1 and c + span < n_cols and not texts[c + span]:
                span += 1
            down = 1
            while r + down < n_rows and not any(matrix[r + down][c:c + span]):
                down += 1
            out.append(RawCell(row=first_row + r, col=c, colspan=span, rowspan=down, text=text, page=page))
    return out


# ---------------------------------------------------------------- the document


def layouts_to_lines(pages: list[tuple[int, list[Char]]]) -> list[Line]:
    return [Line(number, line) for number, chars in pages for line in chars_to_lines(chars)
            if line_to_text(line)]


def found_to_table(found: Found, index: int, paragraphs_before: int) -> RawTable:
    grid = body_to_grid(found.body, found.header[0])
    starts = row_starts(found.body, grid)
    grid.wraps = wrapping_columns(found.body, grid, starts)
    row_of, cell_lines = assign_lines(found.body, grid, starts)
    first_block = list(found.header[0]) + [ln for ln, r in zip(found.body, row_of, strict=True) if r < 0]
    blocks = [first_block, *found.header[1:]]
    n_body = max(row_of, default=-1) + 1
    # rows in reading order: each header block sits before the first body row printed after it
    first_line = [next(i for i, r in enumerate(row_of) if r == k) for k in range(n_body)]
    order: list[tuple[tuple[int, float], str, int]] = [
        ((found.body[i].page, found.body[i].top), "body", k) for k, i in enumerate(first_line)]
    order += [((b[0].page, b[0].top), "head", j) for j, b in enumerate(blocks)]
    order.sort(key=lambda o: (o[0], o[1] == "body"))
    rows: list[RawRow] = []
    cells: list[RawCell] = []
    body_index: dict[int, int] = {}
    for (page, _top), kind, k in order:
        if kind == "head":
            matrix = header_matrix(blocks[k], grid.bounds)
            cells += header_to_cells(matrix, len(rows), page)
            rows += [RawRow(index=len(rows) + r, page=page, header=True) for r in range(len(matrix))]
        else:
            body_index[k] = len(rows)
            rows.append(RawRow(index=len(rows), page=page))
    for (row, col), lines in sorted(cell_lines.items()):
        first, last = found.body[lines[0]], found.body[lines[-1]]
        # one cell per row, however far its text runs: the rows below a merged cell stay blank, which
        # normalize reads as "as above" (a grid without vertical spans, as from a text export)
        cells.append(RawCell(row=body_index[row], col=col, colspan=cell_reach(grid, lines, col) - col + 1,
                             text=cell_text(grid, lines, col), page=first.page,
                             bbox=(round(grid.left[col], 2), round(first.top, 2), round(grid.right[col], 2),
                                   round(last.bottom, 2))))
    resolve_soft_wraps(cells)
    return RawTable(index=index, n_cols=len(grid.bounds) - 1, rows=rows, cells=cells,
                    paragraphs_before=paragraphs_before)


def borderless_tables(pages: list[tuple[int, list[Char]]], marginal: Callable[[str], bool]
                      ) -> tuple[list[RawParagraph], list[RawTable]] | None:
    """Paragraphs and the borderless 考评表 of a PDF without ruled tables, or None when no header row is
    found. ``pages``: (page number, glyphs) of every page; ``marginal``: page numbers and running lines."""
    lines = layouts_to_lines(pages)
    found = find_table(lines, marginal)
    if found is None:
        return None
    first = min(i for i, ln in enumerate(lines) if id(ln) in found.used)
    paragraphs = [RawParagraph(index=k, text=ln.text, page=ln.page, bbox=tuple(round(v, 2) for v in ln.bbox))
                  for k, ln in enumerate(ln for ln in lines if id(ln) not in found.used)]
    before = sum(1 for ln in lines[:first] if id(ln) not in found.used)
    return paragraphs, [found_to_table(found, 0, before)]
