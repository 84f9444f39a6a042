"""Rows and merged cells that a page break cut, rejoined from geometry and content together.

A table stitched from page fragments meets each break with two rows: the last row above the break and
the first body row below it (after any repeated header). Word processors cut a table there in three ways:

- the row itself was split (it began on the page's last lines): the row below has no 序号 and no
  weight, and every cell of it is the rest of the cell above → left as a row of its own, marked
  ``page_start``: normalize joins it to the row above as a continuation (so the record keeps both
  pages and the accounting counts it);
- a merged cell (一级指标, 文件依据, category…) went on past the break: below it, in the same column, is a
  blank box (the text all fitted above) or the rest of its text → the box joins the cell above; in a
  hierarchy column (left of the 序号), or inside one block, the box above may be the blank
  one: a spreadsheet prints a merged cell's centred (or bottom-set) text on the page where it falls → the
  text, or the blank box, joins the box above;
- a new row: its cells stay its own.

The evidence for "the rest of the cell above", column by column: the box below is blank and either
spans several rows (a blank merged box means "as above"), or sits left of the 序号 column (hierarchy
columns: blank means as above), or its row's 序号 shares the parent code of the row above (1-63-2 after
1-63-1: same 一级指标 block); or the box holds text, the cell above fills its box (its text reaches
the bottom and the first piece of the text below would not have fitted after its last line) without
ending a sentence or a points figure (unless the box below is itself merged), and — right of the
序号 — the two rows share the parent code (a merged cell goes on only inside its own block). Joined text follows the
soft-wrap rule: CJK on both sides joins with nothing. A joined cell covers the rows under it (its
rowspan grows), so it is read once, never duplicated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kaoping.extract.pdf_text import EARLY_END, is_cjk, is_list_cell, text_unit_ems
from kaoping.schema.raw import RawCell

CODE_JOINERS = "-－—.．"  # a code cut next to one of these goes on across the break
CODE = re.compile(r"^\d+(?:\s*[-－—.．]\s*\d+)+$")  # 1-2-3, 4.1: a hierarchical 序号
NUMBER = re.compile(r"^\d+(?:\.\d+)?$")  # a bare weight figure
POINTS_ONLY = re.compile(r"^[（(]?\d+(?:\.\d+)?\s*分[）)]?$")  # a 一级指标's points, the last line of its cell
ENDED = re.compile(r"(\d分|[。；;！？!?）)」』】〕])$")  # text that ends a sentence or a points figure
PAST, SNUG = "past", "snug"  # how a cell's text sat in its box (extract/pdf.py Fragment.fits)
MIN_VOTES = 3  # a column is the 序号/weight column when at least this many of its cells say so ...
MIN_SHARE = 0.5  # ... and they are at least half of its non-blank cells


@dataclass
class PageBreak:
    last_row: int  # the last row above the break
    first_row: int  # the first body row below it (after the repeated header rows)


def column_matching(cells: list[RawCell], pattern: re.Pattern[str], header_rows: set[int],
                    skip: int | None = None) -> int | None:
    """The column whose body cells most often match ``pattern`` (None when no column clearly does)."""
    votes: dict[int, int] = {}
    filled: dict[int, int] = {}
    for c in cells:
        text = c.text.strip()
        if c.row in header_rows or not text or c.colspan > 1 or c.col == skip:
            continue
        filled[c.col] = filled.get(c.col, 0) + 1
        votes[c.col] = votes.get(c.col, 0) + bool(pattern.match(text))
    good = [col for col, v in votes.items() if v >= MIN_VOTES and v >= MIN_SHARE * filled[col]]
    return max(good, key=lambda col: (votes[col], -col)) if good else None


def near_break(cells: list[RawCell], brk: PageBreak) -> list[int]:
    """Indices, in order, of the cells on the rows either side of the break (and between them): all that
    ``covering`` needs to look at there. Scanning every cell of a 600-row table for each box at each of its
    100 breaks was a second of CPU (tests/bench.py, the 106-page notice); joins only grow a cell listed here."""
    return [i for i, c in enumerate(cells) if c.row <= brk.first_row and c.row + c.rowspan > brk.last_row]


def covering(cells: list[RawCell], row: int, col: int, among: list[int]) -> int | None:
    """The first cell of ``among`` (indices into ``cells``) that covers the slot."""
    for i in among:
        c = cells[i]
        if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
            return i
    return None


def text_at(cells: list[RawCell], row: int, col: int | None, among: list[int]) -> str:
    if col is None:
        return ""
    i = covering(cells, row, col, among)
    return cells[i].text.strip() if i is not None and cells[i].row == row else ""


def parent_code(code: str) -> str | None:
    parts = re.split(r"\s*[-－—.．]\s*", code)
    return "-".join(parts[:-1]) if len(parts) >= 2 else None


def join_cut_text(above: str, below: str) -> str:
    """A cell's text cut by a page break, put together again (the soft-wrap rule of the cell reader)."""
    if not above or not below:
        return above or below
    return above + ("" if is_cjk(above[-1]) or is_cjk(below[0]) else " ") + below


def is_row_continuation(cells: list[RawCell], brk: PageBreak, code_col: int | None, weight_col: int | None,
                        near: list[int]) -> bool:
    """The row below the break is the rest of the row above: no 序号, no weight, some text."""
    if code_col is None and weight_col is None:
        return False
    if text_at(cells, brk.first_row, code_col, near) or text_at(cells, brk.first_row, weight_col, near):
        return False
    return any(cells[i].text.strip() for i in near if cells[i].row == brk.first_row)


def is_cut(above: RawCell, below: RawCell, room: float | None) -> bool:
    """The text above reaches the bottom of its box and the first piece of the text below would not have
    fitted in the room its last line left. A list of names breaks anywhere and a line of whole names
    often ends at the edge: only a line at the edge above a box merged over several rows."""
    if room is None:
        return False
    if is_list_cell([above.text]):
        return room < EARLY_END and below.rowspan > 1
    return room < max(EARLY_END, text_unit_ems(below.text) + 0.5)


def in_block(col: int, code_col: int | None, same_block: bool) -> bool:
    """A cell in ``col`` may go on over the break: a hierarchy column left of the 序号 always; right of it a
    merged cell goes on only inside its own 一级指标 block (or when no 序号 column is known)."""
    return code_col is None or col < code_col or same_block


def box_continues(above: RawCell, below: RawCell, above_room: float | None, col: int, code_col: int | None,
                  same_block: bool, level1_block: bool = False, merges: bool = False) -> bool:
    """Is the box below the break the rest of the (merged) cell above it? See the module docstring.
    ``merges``: the column merges cells over rows elsewhere (merged_body_columns) — where no 序号 column says
    which columns are the hierarchy's (levels printed as columns, 一级指标 | 二级指标 | 三级指标), a blank box
    against the break in such a column is a merged cell's blank part."""
    upper = code_col is not None and col < code_col  # a hierarchy column left of the 序号
    upper = upper or (code_col is None and merges)
    if not above.text.strip():
        # a cell merged over rows on both sides of the break, its text centred or set at the bottom: a
        # spreadsheet's print shows the text on the page where it falls, the boxes above are the same cell's
        # blank top (blank boxes join too, so a later page's text reaches the first) — in a hierarchy column,
        # or right of the 序号 inside one 一级指标 block (Excel sets text at the bottom unless told otherwise)
        return upper or level1_block
    if not below.text.strip():
        return below.rowspan > 1 or upper or same_block
    in_scope = in_block(col, code_col, same_block)
    # a sentence that ends at the box's edge may still go on (a 一级指标 with its 属… note and points),
    # when the box below is itself merged over several rows of the same block, or is just the points
    ended = ENDED.search(above.text.strip()) and below.rowspan < 2 and not POINTS_ONLY.match(below.text.strip())
    return in_scope and is_cut(above, below, above_room) and not ended


def merged_body_columns(cells: list[RawCell], code_col: int | None, weight_col: int | None) -> set[int]:
    """Columns where some box from the first 序号 (or weight) on is merged over rows, on its own page before
    any break is rejoined; the header above, merged or not, says nothing of the body's cells."""
    firsts = [c.row for c in cells if (c.col == code_col and CODE.match(c.text.strip()))
              or (c.col == weight_col and NUMBER.match(c.text.strip()))]
    first = min(firsts, default=0)
    return {col for c in cells if c.rowspan > 1 and c.row >= first for col in range(c.col, c.col + c.colspan)}


def one_box_per_row(above: RawCell, below: RawCell, new_row: bool, merging: set[int], snug: bool) -> bool:
    """Across a break whose row below is a new row (its own 序号 or weight), a one-row box with text below is
    its row's own cell when the box above is as tall as its text (``snug``: it made its rows that tall, as a
    browser's narrow 完成时限 or 责任部门 column does, 12/月/底/前 above 12/月/底/前; a 14-line 分管领导 merged
    over three rows) or, one row itself, its column merges nowhere in the table (a 序号 ``3.`` above ``4.``).
    A full box is otherwise evidence of a cut."""
    if not (new_row and below.rowspan < 2 and below.text.strip()):
        return False
    return snug or (above.rowspan < 2 and not merging.intersection(range(below.col, below.col + below.colspan)))


def join_cut_figure(cells: list[RawCell], brk: PageBreak, col: int | None, joiners: str, near: list[int]) -> None:
    """A 序号 or weight the break cut (``1-`` above, ``3-2`` below; ``1.`` / ``5``) is one figure, in the
    row above: the row below is then plainly the rest of that row."""
    if col is None:
        return
    a, b = covering(cells, brk.last_row, col, near), covering(cells, brk.first_row, col, near)
    if a is None or b is None or a == b or cells[b].row != brk.first_row:
        return
    above, below = cells[a].text.strip(), cells[b].text.strip()
    if above and below and (above[-1] in joiners or below[0] in joiners):
        cells[a].text = above + below
        cells[b].text = ""


def boxes_across(cells: list[RawCell], brk: PageBreak, dropped: set[int], near: list[int]
                 ) -> Iterator[tuple[int, int]]:
    """(above, below): each box of the first row below the break with the box of the same columns above it."""
    for b in near:
        below = cells[b]
        if b in dropped or below.row != brk.first_row:
            continue
        a = covering(cells, brk.last_row, below.col, near)
        if a is not None and a not in dropped and (cells[a].col, cells[a].colspan) == (below.col, below.colspan):
            yield a, b


def join_box(cells: list[RawCell], a: int, b: int, dropped: set[int], ends: list[list] | None = None) -> None:
    """The box below is the rest of the cell above: its text joins, the cell covers its rows, the box goes.
    ``ends``: per-cell lists (rooms, fits) that describe a cell's last box — the joined cell's is now the box's."""
    above, below = cells[a], cells[b]
    above.text = join_cut_text(above.text, below.text)
    above.rowspan = below.row + below.rowspan - above.row
    dropped.add(b)
    for per_cell in ends or []:
        per_cell[a] = per_cell[b]


def join_merged_rest(cells: list[RawCell], brk: PageBreak, dropped: set[int], near: list[int]) -> None:
    """In a row that continues the row above, every box merged over several rows joins the cell above it."""
    for a, b in boxes_across(cells, brk, dropped, near):
        if cells[b].rowspan >= 2:
            join_box(cells, a, b, dropped)


def rejoin_page_breaks(cells: list[RawCell], rooms: list[float | None], breaks: list[PageBreak],
                       header_rows: set[int], fits: list[str | None] | None = None) -> list[RawCell]:
    """Cells of a stitched table with every cut row and merged cell joined across its page break.
    ``fits``, per cell: PAST — its text was painted past the page's last rule, so it was certainly cut and
    the box below it in its block is its rest, whatever its text ends with; SNUG — its box is as tall as
    its text (it made its row that tall), so above a new row it was not cut."""
    fits = list(fits) if fits else [None] * len(cells)
    rooms = list(rooms)  # a joined cell takes its last box's room and fit: ours to change, not the caller's
    cells = [c.model_copy() for c in cells]
    code_col = column_matching(cells, CODE, header_rows)
    weight_col = column_matching(cells, NUMBER, header_rows, skip=code_col)
    merging = merged_body_columns(cells, code_col, weight_col)
    dropped: set[int] = set()
    for brk in breaks:
        near = near_break(cells, brk)
        join_cut_figure(cells, brk, code_col, CODE_JOINERS, near)
        join_cut_figure(cells, brk, weight_col, ".．", near)
        if is_row_continuation(cells, brk, code_col, weight_col, near):
            # the row goes on: normalize joins it to the row above, pages and accounting kept — except the
            # boxes of merged cells that reach past it into the rows below (一级指标 over this row and the
            # next): those are the rest of the cell above and must cover those rows, not start there
            join_merged_rest(cells, brk, dropped, near)
            continue
        codes = text_at(cells, brk.last_row, code_col, near), text_at(cells, brk.first_row, code_col, near)
        parents = [parent_code(c) if CODE.match(c) else None for c in codes]
        # a row below with no 序号 at all (some notices leave a block's second code out) does not leave the block
        same_block = parents[0] is not None and (parents[0] == parents[1] or not codes[1])
        # ... and a block of one 一级指标 for sure: both codes printed, or the parent above is itself a code
        # (1-16 of 1-16-1; the 1 of 1-17 is a group's number, and the row below may start another group)
        level1_block = same_block and (bool(codes[1]) or bool(CODE.match(parents[0] or "")))
        new_row = bool(codes[1] or text_at(cells, brk.first_row, weight_col, near))
        for a, b in boxes_across(cells, brk, dropped, near):
            below = cells[b]
            if below.col in (code_col, weight_col) and below.rowspan < 2 and not below.text.strip():
                continue  # a row's own 序号 or weight left blank is not "as above" (a blank merged box still is)
            if fits[a] == PAST and in_block(below.col, code_col, same_block):
                join_box(cells, a, b, dropped, [rooms, fits])
                continue
            if one_box_per_row(cells[a], below, new_row, merging, fits[a] == SNUG):
                continue
            # without a 序号 column, rows known by their weights (levels printed as columns) say a merging
            # column's blank box left of the weights (the hierarchy's side: 考核单位, 备注 are right of them) is a
            # merged cell's part; with neither, nothing says what a row is
            if box_continues(cells[a], below, rooms[a], below.col, code_col, same_block, level1_block,
                             below.col in merging and weight_col is not None and below.col < weight_col):
                join_box(cells, a, b, dropped, [rooms, fits])
    return [c for i, c in enumerate(cells) if i not in dropped]
