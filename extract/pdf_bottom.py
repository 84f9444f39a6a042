"""Borderless tables whose cells are set at their foot: a spreadsheet printed as it was saved (Excel and
LibreOffice Calc set a cell's text at its bottom unless told otherwise, and print no grid unless told to).

Such a table is a top-aligned table upside down: a row's cells end on the line of its 序号 (or weight), as a
top-aligned row's begin there, and a merged cell prints its text in its last row, blank above. So it is read
with the top-aligned reader (``pdf_centred.table_cells``) on the body turned over — lines last to first,
each page's glyphs mirrored top to bottom — and the rows and lines it finds are turned back. A merged cell's
text then sits in the last of its rows; it is moved to the first of them (the first row under the previous
text of its column, or under a row that is no indicator's), so that the blanks below it read "as above",
as every other reader's do.

Telling the foot from the top: where a cell's text wraps onto the 序号's line from the line above, that line
runs to the column's edge without ending (the text goes on); set at the top, the line that goes on is the
序号's own, onto the line below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from kaoping.extract.pdf_centred import interleaved, table_cells
from kaoping.extract.pdf_grid import Grid, adjacent, cell_reach, piece_text
from kaoping.extract.pdf_lines import Line
from kaoping.extract.pdf_pages import CODE, ENDED, parent_code
from kaoping.extract.pdf_text import EARLY_END, Char
from kaoping.schema.vocabulary import POINTS

MIN_FOOT = 3  # wrapped cells running onto their row's 序号 line from above: at least this many ...
FOOT_SHARE = 0.2  # ... and those running on below it at most this share of them. Measured on the Calc prints
# (tests/fixtures/make_calc_prints.py) and the browser and Writer prints of the channel matrix: set at the
# foot 67-242 above / 0-2 below; set at the top 0-60 above / 9-131 below (a top-set row's text filling its
# row ends full on the line before the next 序号: 60 of 113 in a print of narrow columns); centred 0-13 / 0-39
# (and never asked: lines that interleave are centred cells, pdf_centred.interleaved)
#: the fields whose cells a 考评表 merges over rows (normalize reads their blanks "as above": the project columns,
#: 文件依据 and 一级指标 within a block, the responsibility columns within a group); an item, weight, deadline,
#: criterion or remark is each row's own
MERGED_ROLES = frozenset({"project", "category", "group", "basis", "level1", "leaders", "departments", "owners"})
MIRROR = 10_000.0  # points: a page's glyphs are turned over about this height (any height above the page's)

GridMaker = Callable[[list[Line]], tuple[Grid, list[bool]]]
Cells = dict[tuple[int, int], list[int]]


def runs_to_edge(grid: Grid, i: int, c: int) -> bool:
    """Line ``i``'s text in column ``c`` reaches the column's right edge and does not end there: it goes on."""
    chars = grid.pieces[i][c]
    right = grid.right[grid.reach[i][c]]
    return right - max(g[2] for g in chars) < EARLY_END * chars[0][5] and not ENDED.search(piece_text(chars))


def wrap_votes(body: list[Line], grid: Grid, starts: list[bool]) -> tuple[int, int]:
    """(onto, below): cells of a row's 序号 line whose text runs onto it from the line above, and those whose
    text runs on from it to the line below (the 序号 and weight columns and lists of names aside)."""
    onto = below = 0
    skip = {grid.code_col, grid.weight_col} | grid.lists
    for i in range(1, len(body)):
        if not starts[i]:
            continue
        for c in set(grid.pieces[i]) - skip:
            if c in grid.pieces[i - 1] and not starts[i - 1] and adjacent(body, grid, i - 1, i):
                onto += runs_to_edge(grid, i - 1, c)
            if i + 1 < len(body) and c in grid.pieces[i + 1] and not starts[i + 1] and adjacent(body, grid, i, i + 1):
                below += runs_to_edge(grid, i, c)
    return onto, below


def is_foot_set(body: list[Line], grid: Grid, starts: list[bool]) -> bool:
    if (grid.code_col is None and grid.weight_col is None) or interleaved(body):
        return False
    onto, below = wrap_votes(body, grid, starts)
    return onto >= MIN_FOOT and below <= FOOT_SHARE * onto


def mirror_char(ch: Char) -> Char:
    return (ch[0], ch[1], ch[2], MIRROR - ch[4], MIRROR - ch[3], ch[5])


def mirror_lines(body: list[Line]) -> list[Line]:
    """The body turned over: last line first, pages in reverse (numbered on, so that the page after a page
    is still its number plus one), glyphs mirrored top to bottom."""
    last = max(ln.page for ln in body) + min(ln.page for ln in body)
    return [Line(last - ln.page, [mirror_char(ch) for ch in ln.chars]) for ln in reversed(body)]


def turn_back(row_of: list[int], cells: Cells, n_lines: int) -> tuple[list[int], Cells]:
    """Rows and cells of the turned-over body, in the body's own order (a row's lines first to last)."""
    n_rows = max(row_of, default=-1) + 1
    rows = [n_rows - 1 - r if r >= 0 else r for r in reversed(row_of)]
    return rows, {(n_rows - 1 - r, c): sorted(n_lines - 1 - i for i in lines) for (r, c), lines in cells.items()}


def indicator_rows(cells: Cells, grid: Grid) -> set[int]:
    """Rows with a 序号, or a weight and text right of the 序号 column (a section or note row has neither; a
    total row's 合计 sits in the hierarchy columns, left of it)."""
    coded = {r for r, c in cells if c == grid.code_col}
    weighed = {r for r, c in cells if c == grid.weight_col}
    first = -1 if grid.code_col is None else grid.code_col
    itemised = {r for r, c in cells if c > first and c != grid.weight_col}
    return coded | (weighed & itemised)


def row_blocks(cells: Cells, grid: Grid, rows: set[int]) -> dict[int, str | None]:
    """Each indicator row's 一级指标 block: the parent of its 序号 (1-2 of 1-2-1); a plain 序号's row is a block
    of its own (as normalize inherits no 一级指标 between 2 and 3); a row whose 序号 was left blank right under a
    row of a three-part code is that row's sibling (as normalize infers its code); otherwise None."""
    codes = {r: "".join(piece_text(grid.pieces[i][c]) for i in lines) for (r, c), lines in cells.items()
             if c == grid.code_col}
    out: dict[int, str | None] = {}
    for r in sorted(rows):
        code = codes.get(r, "")
        above = out.get(r - 1)
        if CODE.match(code):
            out[r] = parent_code(code)
        elif code:  # a plain 序号 (1, 2, 3 under a group label): a block of its own row
            out[r] = f"{r}:{code}"
        else:
            out[r] = above if above is not None and CODE.match(above) else None
    return out


def merged_to_top(cells: Cells, grid: Grid, movable: set[int]) -> Cells:
    """Each text of a column moved up over the blank cells above it, as a merged cell set at its foot covers
    them: left of the 序号, up to the row after the previous text of its column or after the last row that is
    no indicator's; right of it, only over the rows of its own 一级指标 block (1-2-1 above 1-2-2) — a column
    left blank for a whole section (行政能力 items have no 文件依据) is blank, and a total row's 合计 or a
    block's first text goes nowhere. Only ``movable`` columns move (those whose field a merged cell fills:
    a 备注 printed on one row of three is that row's); a text spanning columns stays."""
    rows = indicator_rows(cells, grid)
    blocks = row_blocks(cells, grid, rows)
    n_rows = max((r for r, _ in cells), default=-1) + 1
    out: Cells = {}
    for c in range(len(grid.bounds) - 1):
        hierarchy = grid.code_col is None or c < grid.code_col
        top = 0
        for r in range(n_rows):
            lines = cells.get((r, c))
            if lines is not None:
                moves = r in rows and c in movable and cell_reach(grid, lines, c) == c
                out[(top if moves else r, c)] = lines
            if lines is not None or r not in rows or not (hierarchy or r + 1 in rows and same_block(blocks, r, r + 1)):
                top = r + 1
    return out


def same_block(blocks: dict[int, str | None], a: int, b: int) -> bool:
    """Two indicator rows are in one block: the same parent code, or both uncoded (as pdf_grid.same_block)."""
    return blocks.get(a) == blocks.get(b)


def movable_columns(roles: list[str | None]) -> set[int]:
    """Columns merged cells fill: MERGED_ROLES, and a level's own 分值 (``points:group``), merged like its level."""
    return {c for c, role in enumerate(roles) if role in MERGED_ROLES or (role or "").startswith(POINTS)}


def foot_cells(body: list[Line], make_grid: GridMaker, roles: list[str | None]) -> tuple[list[int], Cells, Grid]:
    """Row of each body line, the lines of each (row, column) cell, and the grid their texts are read on (its
    lines in the body's order) of a table set at the foot; ``roles``: each column's field by its header label
    (schema/data/headers.csv), None where unknown."""
    turned = mirror_lines(body)
    grid, starts = make_grid(turned)
    grid.turned = True
    row_of, cells = table_cells(turned, grid, starts, False)
    row_of, cells = turn_back(row_of, cells, len(body))
    grid = replace(grid, pieces=grid.pieces[::-1], reach=grid.reach[::-1], page_tops={}, turned=False)
    return row_of, merged_to_top(cells, grid, movable_columns(roles)), grid


__all__ = ["foot_cells", "is_foot_set"]
