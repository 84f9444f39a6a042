"""Centred cells, the rows: where a borderless table of centred cells has its rows — its 序号 (wrapped 1- / 1-1
over lines), a section line printed across the table (一、…), a weight printed without a 序号 (a row the
notice left unnumbered, or a 合计 closing a block) — each as (first line, figure lines, centre) on the strip.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from kaoping.extract.pdf_centred_cuts import (
    ADJACENT,
    CENTRE_TOL,
    Strip,
    column_runs,
    page_end_rows,
    split_centred,
)
from kaoping.extract.pdf_grid import CODE_LINE, JOINERS, SECTION, Grid, piece_text
from kaoping.extract.pdf_pages import NUMBER
from kaoping.extract.pdf_text import Char

SAME_ROW = 1.05  # pitches: a weight this near a 序号's line is on that row's lines (rows' lines are a pitch and
# two paddings apart: 1.16 pitches between a 合计 and the next 序号 in a browser print; exactly 1.0 when a
# row set from the top wrapped its 序号, the weight on the line above the 序号's last)
SERIAL = re.compile(r"^\d{1,3}[.．、]?$")  # a 序号 numbering rows one level: 1. 2. 3. (or 1 2 3)


def figure_lines(grid: Grid, strip: Strip, col: int | None, i: int) -> list[int]:
    """Line ``i`` and the next lines of column ``col`` while the figure so far ends with a joiner (1- / 1-1):
    the next line *of the column*, other columns' lines printed between them (centred, they interleave)."""
    lines = [i]
    text = piece_text(grid.pieces[i].get(col, [])) if col is not None else ""
    while text[-1:] in JOINERS and text:
        k = first_line(grid, col, range(lines[-1] + 1, len(grid.pieces)))
        if k is None or strip.tops[k] - strip.tops[lines[-1]] >= ADJACENT * strip.pitch:
            break
        text += piece_text(grid.pieces[k][col])
        lines.append(k)
    return lines


def serial_codes(grid: Grid) -> bool:
    """The 序号 column numbers its rows 1. 2. 3. (restarting per group), not 1-1 1-2: more of its pieces are
    serials than hierarchical codes. A serial's dot ends it (1. then 2. on the next line is two rows)."""
    texts = [piece_text(p[grid.code_col]) for p in grid.pieces if grid.code_col in p]
    return sum(bool(SERIAL.match(t)) for t in texts) > sum(bool(CODE_LINE.match(t)) for t in texts)


def row_figures(grid: Grid, strip: Strip) -> list[tuple[int, list[int], float]]:
    """(first line, lines, centre) of each row's 序号 (its weight when there is no 序号 column): centred, a
    row's figures sit on different lines, so one column alone says where rows are; a figure wrapped in a
    narrow column goes on in the column's next line (the rest of it starts nothing). A section line (一、…
    printed alone across columns) is a row of its own without a figure: (line, [], its centre)."""
    col = grid.code_col if grid.code_col is not None else grid.weight_col
    serial = grid.code_col is not None and serial_codes(grid)
    pattern = SERIAL if serial else CODE_LINE if grid.code_col is not None else NUMBER
    out = []
    rest: set[int] = set()
    for i, piece in enumerate(grid.pieces):
        if is_section_line(grid, i):
            out.append((i, [], (strip.tops[i] + strip.bottoms[i]) / 2))
        if col not in piece or i in rest:
            continue
        lines = [i] if serial else figure_lines(grid, strip, col, i)
        if pattern.match("".join(piece_text(grid.pieces[k][col]) for k in lines)):
            out.append((i, lines, (strip.tops[i] + strip.bottoms[lines[-1]]) / 2))
            rest.update(lines[1:])
    if col == grid.code_col and grid.weight_col is not None:
        out = sorted(out + unnumbered_rows(grid, strip, out), key=lambda row: row[0])
    return out


def weight_lines(grid: Grid) -> list[int]:
    return [i for i, piece in enumerate(grid.pieces)
            if grid.weight_col in piece and NUMBER.match(piece_text(piece[grid.weight_col]))]


def unnumbered_rows(grid: Grid, strip: Strip, rows: list[tuple[int, list[int], float]]
                    ) -> list[tuple[int, list[int], float]]:
    """Rows printed without a 序号: a weight-column figure off every 序号 row's centre that closes a block
    (:func:`closing_rows`) or on which the widest column's text sits as on a row of its own
    (:func:`sitting_rows`, tried with all such figures at once, then each alone). A weight merged over rows
    is centred between them, and no per-row text is. Nor is a weight within a pitch of a 序号's line: two rows'
    lines are a pitch and two paddings apart, so it is on that row's lines (a row set from the top whose 序号
    wrapped: the weight on its first line, the 序号's centre a line lower)."""
    tol = CENTRE_TOL * strip.pitch
    centres = sorted(y for _, lines, y in rows if lines)
    figure_lines = sorted((strip.tops[k] + strip.bottoms[k]) / 2 for _, lines, _ in rows for k in lines)
    out = closing_rows(grid, strip, rows)
    taken = {i for i, _, _ in out} | {k for first, lines, _ in rows for k in (first, *lines)}
    candidates = []
    for i in weight_lines(grid):  # a weight on a 序号's own line is that row's (a cut row's, set from the top)
        centre = (strip.tops[i] + strip.bottoms[i]) / 2
        k, f = bisect_right(centres, centre), bisect_right(figure_lines, centre)
        if (i not in taken and all(abs(centre - y) > tol for y in centres[max(0, k - 1):k + 1])
                and all(abs(centre - y) > SAME_ROW * strip.pitch for y in figure_lines[max(0, f - 1):f + 1])):
            candidates.append((i, [], centre))
    wide = widest_column(grid)
    runs = {c: column_runs(grid, strip, c) for c in range(len(grid.bounds) - 1)
            if c not in (grid.code_col, grid.weight_col)}
    found = sitting_rows(strip, runs, wide, rows, candidates)
    for row in candidates:
        if row not in found and sitting_rows(strip, runs, wide, rows, [row]):
            found.append(row)
    return out + found


def sitting_rows(strip: Strip, runs: dict[int, list[list[int]]], wide: int | None,
                 rows: list[tuple[int, list[int], float]], candidates: list[tuple[int, list[int], float]]
                 ) -> list[tuple[int, list[int], float]]:
    """The ``candidates`` (rows on a weight's line) that, added to ``rows``, get a block of their own when the
    widest column's text is cut into blocks sitting on the rows (:func:`split_centred`); or, where the widest
    column prints nothing, a one-line row: another column's text on the figure's own line is a block of its
    own, alone in its run or cut from the next row's cell it touches (a 合计 label beside its figure, then
    the next block's first item)."""
    trial = sorted([*rows, *candidates])
    centres = [y for _, _, y in trial]
    anchors = page_end_rows(strip, [first for first, _, _ in trial])
    index = {first: r for r, (first, _, _) in enumerate(trial)}
    tol = CENTRE_TOL * strip.pitch
    asked = [y for _, _, y in candidates]
    near = {c: [run for run in col_runs  # a run can give a row a block only if it reaches the row's centre
                if any(strip.tops[run[0]] - tol <= y <= strip.bottoms[run[-1]] + tol for y in asked)]
            for c, col_runs in runs.items()}
    blocks = {c: [b for run in col_runs  # whether text sits on a row, not whether a cell is merged
                  for b in split_centred(run, strip, centres, anchors, merged=c != wide) or []]
              for c, col_runs in near.items()}
    own = {r for r, _ in blocks.get(wide, [])}
    lone = {(r, lines[0]) for c, col_blocks in blocks.items() if c != wide for r, lines in col_blocks
            if len(lines) == 1}
    covered = [(strip.tops[run[0]], strip.bottoms[run[-1]]) for run in runs.get(wide, [])]
    return [row for row in candidates if index[row[0]] in own
            or ((index[row[0]], row[0]) in lone and not any(top <= row[2] <= bottom for top, bottom in covered))]


def closing_rows(grid: Grid, strip: Strip, rows: list[tuple[int, list[int], float]]) -> list[tuple[int, list[int], float]]:
    """Rows without a 序号 that close a block: a weight-column figure below the block's last 序号 row (off its
    line) with no 序号 row after it before the next section line or the table's end — a 合计 row. A weight
    merged over rows is centred between 序号 rows, never after the last. (line, [], centre), as sections."""
    firsts = [first for first, _, _ in rows]  # rows come in line order
    out = []
    for i, piece in enumerate(grid.pieces):
        if grid.weight_col not in piece or not NUMBER.match(piece_text(piece[grid.weight_col])):
            continue
        centre = (strip.tops[i] + strip.bottoms[i]) / 2
        k = bisect_right(firsts, i)  # rows[:k] begin at or above line i
        last = next((y for _, lines, y in reversed(rows[:k]) if lines), None)
        if last is not None and centre - last > CENTRE_TOL * strip.pitch and (k == len(rows) or not rows[k][1]):
            out.append((i, [], centre))
    return out


def sections_to_first_column(grid: Grid) -> None:
    """A section line printed across the table (centred, its text falls in some middle column) is the first
    column's text spanning the table, as a ruled table or a text export has it: the reader's grid is
    rewritten so (its own working state, built for this table), and both cell readers see it so."""
    for i in range(len(grid.pieces)):
        if is_section_line(grid, i):
            (chars,) = grid.pieces[i].values()
            grid.pieces[i], grid.reach[i] = {0: chars}, {0: len(grid.bounds) - 2}


def is_section_line(grid: Grid, i: int) -> bool:
    """Line ``i`` prints one piece only that begins a section (一、职能工作) and spans the table: it runs over a
    column gutter, or it fits one wide column but is centred on the table and not on that column."""
    piece = grid.pieces[i]
    if len(piece) != 1:
        return False
    (c, chars), = piece.items()
    if not SECTION.match(unicodedata.normalize("NFKC", piece_text(chars))):  # ⼀、 is 一、
        return False
    return grid.reach[i][c] > c or centred_on_table(grid, chars, c)


def centred_on_table(grid: Grid, chars: list[Char], c: int) -> bool:
    """The glyphs are centred on the table (within a font size) and their column is not: a cell spanning
    every column, its text centred, lying inside the widest column."""
    size = max(ch[5] for ch in chars)
    middle = (min(ch[1] for ch in chars) + max(ch[2] for ch in chars)) / 2
    table, column = (grid.bounds[0] + grid.bounds[-1]) / 2, (grid.bounds[c] + grid.bounds[c + 1]) / 2
    return abs(middle - table) <= size < abs(column - table)


def widest_column(grid: Grid) -> int | None:
    """The column printing the most glyphs (the 二级指标 or 考评标准 text), 序号 and weight aside."""
    counts: dict[int, int] = {}
    for piece in grid.pieces:
        for c, chars in piece.items():
            if c not in (grid.code_col, grid.weight_col):
                counts[c] = counts.get(c, 0) + len(chars)
    return max(counts, key=lambda c: (counts[c], -c)) if counts else None


def first_line(grid: Grid, col: int | None, lines: range) -> int | None:
    """The first of ``lines`` (in their order) with text in column ``col``."""
    return next((k for k in lines if col in grid.pieces[k]), None)


__all__ = ["first_line", "is_section_line", "row_figures", "sections_to_first_column", "widest_column"]
