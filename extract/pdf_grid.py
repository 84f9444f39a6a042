"""Rows and cells of a borderless table: rows from the 序号 and weight columns, merged cells followed
across rows (see :mod:`kaoping.extract.pdf_borderless`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from kaoping.extract.pdf_lines import (
    CUT,
    SECTION,
    Line,
    Run,
    column_by_content,
    gutters_to_bounds,
    split_line,
)
from kaoping.extract.pdf_pages import CODE, ENDED, NUMBER, parent_code
from kaoping.extract.pdf_text import (
    CLOSING,
    EARLY_END,
    Char,
    first_unit_width,
    is_list_cell,
    join_wrapped_lines,
    line_to_text,
)

ADJACENT = 1.6  # lines closer than this many median pitches are consecutive lines of one text block
LIST_SHARE = 0.2  # a column is a list of names when this share of its lines separate CJK words by spaces
CODE_LINE = re.compile(r"^\d+(?:\s*[-－.．]\s*\d+)+\s*[-－.．]?$")  # a 序号, possibly wrapped after a dash
JOINERS = "-－.．"
POINTS_END = re.compile(r"\d分[）)]?$")  # a text ending with its points: 4分, （75分）
MIN_POINTS = 3  # lines ending so that make a column of texts ending with their points
SAME_LINE = 0.5  # font sizes: glyphs of one printed line overlap vertically by most of a glyph (a digit set
# 1-2 pt below its CJK neighbours); two lines of a cell never overlap (they are a pitch, 1.2+ sizes, apart)
MERGE_BLANKS = 0.1  # share of rows a column must leave blank to hold merged cells (合计 rows leave
# every per-row column blank too: 2 of 160 rows in a 160-indicator notice; a merged 一级指标 leaves
# most rows of its block blank)


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
    merging: set[int] = field(default_factory=set)  # columns left blank in some rows (merged cells)
    points: set[int] = field(default_factory=set)  # columns whose texts end with their points (4分)
    lists: set[int] = field(default_factory=set)  # columns of space-separated names/departments
    page_tops: dict[int, tuple[float, float]] = field(default_factory=dict)  # page: first, last line top
    turned: bool = False  # the body is read turned over (pdf_bottom): line p+1 is printed above line p


def rejoin_split_pieces(body: list[Line], pieces: list[dict[int, list[Char]]], reach: list[dict[int, int]]
                        ) -> tuple[list[dict[int, list[Char]]], list[dict[int, int]]]:
    """A column's piece on the next line that shares its printed line with the piece above — their glyphs
    overlap vertically by SAME_LINE of a glyph and none lies on another — is that line's rest: where the lines of
    neighbouring columns interleave (cells centred), a line's digits, set a point lower than its CJK, fall
    into the next body line (〔 〕 then 2022 below: '〔〕2022号'). New lists; the inputs are not changed."""
    pieces = [dict(p) for p in pieces]
    reach = [dict(r) for r in reach]
    last: dict[int, int] = {}
    for j, piece in enumerate(pieces):
        for c in list(piece):
            i = last.get(c)
            if i is not None and body[i].page == body[j].page and same_printed_line(pieces[i][c], piece[c]):
                pieces[i][c] = sorted(pieces[i][c] + piece.pop(c), key=lambda g: g[1])
                reach[i][c] = max(reach[i][c], reach[j].pop(c))
            else:
                last[c] = j
    return pieces, reach


def same_printed_line(a: list[Char], b: list[Char]) -> bool:
    overlap = min(max(g[4] for g in a), max(g[4] for g in b)) - max(min(g[3] for g in a), min(g[3] for g in b))
    if overlap < SAME_LINE * min(a[0][5], b[0][5]):
        return False
    return all(g[2] <= h[1] + 0.1 * g[5] or h[2] <= g[1] + 0.1 * g[5] for g in a for h in b)  # none on another


def piece_text(chars: list[Char]) -> str:
    return re.sub(r"\s+", "", "".join(ch[0] for ch in chars))


def body_to_grid(body: list[Line], header_lines: list[Line], header_rows: list[list[Run]] | None = None) -> Grid:
    """``header_rows``: the header's labels row by row, left to right (default: each header line's runs)."""
    left = min(ln.x0 for ln in body + header_lines)
    right = max(ln.x1 for ln in body + header_lines)
    rows = [ln.labels for ln in header_lines] if header_rows is None else header_rows
    bounds = gutters_to_bounds(body, rows, left - 1, right + 1)
    split = [split_line(ln, bounds) for ln in body]
    pieces, reach = rejoin_split_pieces(body, [p for p, _ in split], [r for _, r in split])
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
    lists = {c for c in edges_l if LIST_SHARE * sum(c in p for p in pieces)
             <= sum(is_list_cell([line_to_text(p[c])]) for p in pieces if c in p)}
    for c in range(len(bounds) - 1):  # a column only ever run into from the left has no ink of its own
        edges_r.setdefault(c, bounds[c + 1])
        edges_l.setdefault(c, bounds[c])
    page_tops: dict[int, tuple[float, float]] = {}
    for ln in body:
        first, last = page_tops.get(ln.page, (ln.top, ln.top))
        page_tops[ln.page] = (min(first, ln.top), max(last, ln.top))
    return Grid(bounds, pieces, reach, edges_r, edges_l, pitch, code_col, weight_col, lists=lists,
                page_tops=page_tops)


def adjacent(body: list[Line], grid: Grid, p: int, q: int) -> bool:
    """Line ``q`` follows line ``p`` in one text block: within ADJACENT pitches on one page, or ``p``
    among the last lines of its page and ``q`` among the first of the next."""
    a, b = body[p], body[q]
    reach = ADJACENT * grid.pitch
    if a.page == b.page:
        return 0 < b.top - a.top < reach
    return (b.page == a.page + 1 and grid.page_tops[a.page][1] - a.top < reach
            and b.top - grid.page_tops[b.page][0] < reach)


def starts_figure(body: list[Line], grid: Grid, i: int, col: int | None, full: re.Pattern[str]) -> bool:
    """Line ``i`` starts a figure in column ``col`` (a 序号 for ``CODE_LINE``, a weight for
    ``NUMBER``): the piece matches, or a narrow column cut it after its joiner (1- / 1-1, 1. / 5) and
    the next line completes it; the rest of a figure cut on the line above starts nothing."""
    if col is None:
        return False
    text = piece_text(grid.pieces[i].get(col, []))
    p = i - 1
    while p > 0 and not grid.pieces[p]:  # a line emptied by rejoin_split_pieces (its digits, set lower, went
        p -= 1  # back up to their printed line) is no line between
    prev = piece_text(grid.pieces[p].get(col, [])) if i else ""
    if prev[:1].isdigit() and adjacent(body, grid, p, i) and (prev[-1:] in JOINERS or set(grid.pieces[i]) == {col}):
        return False  # the rest of a figure cut on the line above (190.5 as 19 / 0. / 5: a line with
        # nothing but a figure is no row of its own)
    if full.match(text):
        return True
    after = piece_text(grid.pieces[i + 1].get(col, [])) if i + 1 < len(body) else ""
    return (bool(CUT.match(text)) and bool(after) and adjacent(body, grid, i, i + 1)
            and bool(full.match(text + after)))


def row_starts(body: list[Line], grid: Grid) -> list[bool]:
    """A row starts where the 序号 column starts a code, the weight column holds a bare number, or the
    table's first column starts a section (一、共性工作（40分）: a row of its own between two items)."""
    return [starts_figure(body, grid, i, grid.code_col, CODE_LINE)
            or starts_figure(body, grid, i, grid.weight_col, NUMBER)
            or bool(SECTION.match(piece_text(grid.pieces[i].get(0, [])))) for i in range(len(body))]


def wider_than_row(grid: Grid, i: int, first: int) -> bool:
    """Every piece of line ``i`` runs over a column gutter further than any text of the row starting
    at line ``first`` did in that column: text wrapped inside a cell is never wider than the cell's
    first line, so the line is not in that row (a 注： row across the table, 抄送：… under it)."""
    ends = grid.reach[i]
    return any(ends[c] > c for c in ends) and all(
        not any(c in grid.pieces[p] and grid.reach[p][c] >= ends[c] for p in range(first, i)) for c in ends)


def trailing_prose(grid: Grid, starts: list[bool]) -> int:
    """Index of the first line under the last row that is not in it (see :func:`wider_than_row`), or
    the length of the body."""
    last = max(i for i, s in enumerate(starts) if s)
    return next((i for i in range(last + 1, len(grid.pieces)) if wider_than_row(grid, i, last)), len(grid.pieces))


def spanning_starts(grid: Grid, starts: list[bool]) -> list[bool]:
    """Row starts, plus the lines wider than the row they would join: a row of their own."""
    out = list(starts)
    first = 0
    for i in range(len(out)):
        if not out[i] and wider_than_row(grid, i, first):
            out[i] = True
        first = i if out[i] else first
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
    return c not in grid.lists and unit_width(sorted(after, key=lambda g: g[1])) + 0.5 * size > room


def unit_width(line: list[Char]) -> float:
    """:func:`first_unit_width`, with a figure glued to a closing mark (题。4.5分: LibreOffice breaks
    neither between 。 and 4 nor inside 4.5)."""
    width = first_unit_width(line)
    end = next((k for k, g in enumerate(line) if g[2] >= line[0][1] + width - 0.01), len(line) - 1)
    k = end
    while k + 1 < len(line) and line[end][0] in CLOSING and (line[k + 1][0].isdigit() or line[k + 1][0] in ".．%"):
        k += 1
    return line[k][2] - line[0][1]


def next_line(grid: Grid, body: list[Line], p: int, c: int) -> int | None:
    """The next line after ``p`` with text in column ``c``, if it follows ``p`` in one text block."""
    for q in range(p + 1, len(body)):
        if c in grid.pieces[q]:
            return q if adjacent(body, grid, p, q) else None
        if not adjacent(body, grid, p, q) and body[q].page == body[p].page:
            return None
    return None


def wraps_into(grid: Grid, p: int, q: int, c: int) -> bool:
    """Column ``c``'s text on line ``p`` was forced to wrap onto line ``q`` (the next with text there) — on a
    turned body (pdf_bottom) line ``q`` is printed above, and it is ``q``'s text that wrapped onto ``p``."""
    upper, lower = (q, p) if grid.turned else (p, q)
    return wrapped(grid, upper, c, grid.pieces[lower][c])


def runs_on(grid: Grid, body: list[Line], p: int, c: int) -> bool:
    """Column ``c``'s text on line ``p`` goes on in the next line without a break of its own (the upper of
    the two lines, on a turned body the next, did not end the text)."""
    q = next_line(grid, body, p, c)
    return (q is not None and wraps_into(grid, p, q, c)
            and not ended_in(grid, c, piece_text(grid.pieces[q if grid.turned else p][c])))


def ended(text: str) -> bool:
    """The text of a merged cell ends: a sentence or a points figure, closing every bracket it opened
    (职能工作目标（190.5分 goes on: its ） is still to come). A ； separates the clauses of one 一级指标
    as often as it ends one, so it ends nothing here."""
    return (bool(ENDED.search(text)) and text[-1] not in "；;"
            and sum(text.count(o) for o in "（(") <= sum(text.count(c) for c in "）)"))


def ended_in(grid: Grid, c: int, text: str) -> bool:
    """:func:`ended`, and in a column whose texts end with their points (一级指标 …。（属…）4分) only
    at the points: a sentence end there may be followed by the note and points of the same cell."""
    return ended(text) and (c not in grid.points or bool(POINTS_END.search(text)))


def points_columns(grid: Grid) -> set[int]:
    """Columns where at least MIN_POINTS lines end with a points figure, more than end otherwise."""
    ends = [(c, piece_text(chars)) for piece in grid.pieces for c, chars in piece.items()]
    points = {c: sum(bool(POINTS_END.search(t)) for d, t in ends if d == c) for c in {c for c, _ in ends}}
    other = {c: sum(ended(t) and not POINTS_END.search(t) for d, t in ends if d == c) for c in points}
    return {c for c, n in points.items() if n >= MIN_POINTS and n > other[c]}


def same_block(codes: tuple[str, str]) -> bool:
    """Two rows' 序号 leave them in one block: the same parent code (1-7-2, 1-7-3), or both uncoded."""
    if not any(codes):
        return True
    parents = [parent_code(c) if CODE.match(c) else None for c in codes]
    return parents[0] is not None and parents[0] == parents[1]


def goes_on(grid: Grid, body: list[Line], p: int, c: int, text_above: str, codes: tuple[str, str]) -> bool:
    """Column ``c``'s text after line ``p``, past a row start, is the rest of a merged cell from the row
    above: the column wraps text at all and merges somewhere, line ``p`` was forced to wrap and did not end
    the text, and, right of the 序号, both rows are in one block (a merged 一级指标 goes on only inside its
    block). The line need not share the row's last line with another column: a merged 文件依据 over 1-6-1 and
    1-6-2 is often the only text in 1-6-1's last lines (Calc's print without rules split it there)."""
    if c in (grid.code_col, grid.weight_col) or c not in grid.wraps & grid.merging:
        return False
    if not grid.turned and ended_in(grid, c, text_above):  # turned, the text read so far is the cell's end
        return False
    if grid.code_col is not None and c > grid.code_col and not same_block(codes):
        return False
    return runs_on(grid, body, p, c)


def wrapping_columns(body: list[Line], grid: Grid, starts: list[bool]) -> set[int]:
    """Columns where some text is forced to wrap inside one row (a column of short entries never runs
    on, however close its entries come to the column's edge)."""
    out: set[int] = set()
    for p, piece in enumerate(grid.pieces):
        for c in piece:
            q = next_line(grid, body, p, c)
            if c not in out and q is not None and not any(starts[p + 1:q + 1]) and wraps_into(grid, p, q, c):
                out.add(c)
    return out


def merging_columns(grid: Grid, starts: list[bool]) -> set[int]:
    """Columns a merged cell may run through: blank in at least MERGE_BLANKS of the rows (a merged
    cell prints its text once and leaves the rows below it blank). A column with text in (almost)
    every row holds one entry per row (weights, deadlines, names): in a narrow column such an entry
    can reach the row's last line without running on into the next row."""
    rows: list[set[int]] = []
    for i, piece in enumerate(grid.pieces):
        if starts[i]:
            rows.append(set())
        if rows:
            rows[-1] |= set(piece)
    return {c for c in range(len(grid.bounds) - 1) if sum(c not in r for r in rows) > MERGE_BLANKS * len(rows)}


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
            if open_cell is not None and p is not None and adjacent(body, grid, p, i):
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


