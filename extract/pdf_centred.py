"""Borderless tables whose cells are centred vertically: a web page's table printed by a browser (a ``<td>``'s
``vertical-align`` is ``middle`` unless the page says otherwise) or a Word table set to centre, with no rules.

Line by line such a table cannot be read: the 序号 of a row sits halfway down its row, the lines of its
neighbours' cells interleave, and a header label prints at whatever height centres it in its box
(项目 halfway down a two-row header, 序号 under 目标内容 lower still). What holds instead is symmetry:

* the header is a band of short pieces; a label is the pieces stacked in one place, one line pitch apart,
  and its height in the band says its header row (a parent's centre is above the band's middle, a label
  spanning both rows is centred on it, a child's is below);
* a row's centre is the centre of its 序号 (or weight); in every column, the cell of that row is the block
  of lines centred on it. A column's lines run on from one row's cell into the next's when both fill their
  rows, so a run of lines is cut where each part is centred on a row in turn;
* a run centred on no row (or not cut so) is a merged cell; it begins at the row whose top, with the
  bottom of some row below, centres it — the first such after the column's previous cell.

Page breaks: the lines of page n+1 follow the last line of page n one line pitch down (a browser fills
its pages and cuts a row's cells where the page ends).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from statistics import median

from kaoping.extract.pdf_grid import (
    CODE_LINE,
    JOINERS,
    SECTION,
    Grid,
    assign_lines,
    merging_columns,
    piece_text,
    points_columns,
    spanning_starts,
    wrapping_columns,
)
from kaoping.extract.pdf_lines import Line
from kaoping.extract.pdf_pages import ENDED, NUMBER
from kaoping.extract.pdf_text import Char

ADJACENT = 1.6  # pitches: lines of one cell follow at most this far apart in one column (pdf_grid.ADJACENT)
CENTRE_TOL = 0.5  # pitches: a block is centred on a row when the two centres differ by less than half a line
CENTRED_SHARE = 0.4  # share of rows whose 序号 sits inside a running text block of the widest column: 0 when
# cells are set top-aligned (a row's text starts on its 序号's line), most rows when centred (0.6–0.9 seen)
SKIP_INSIDE = 4.0  # pitches: the cost of a row inside a run taking no block — more than a block a line or two
# off its centre costs (a page break shifts a column's lines by up to a line), so it is only chosen when needed
IN_CELL_CUT = 0.25  # pitches: the cost of a cut where lines follow at a cell's pitch (a tie-breaker: a quarter
# line is less than any centring a line off costs, half a line)
CELL_GAP = 1.08  # pitches: lines further apart are in two cells (Chromium's 2-px paddings: 1.2 pitches; one
# cell's lines: the pitch itself, ±2 % for rounding)
MIN_CENTRED_ROWS = 3  # rows needed before the layout is called centred
SERIAL = re.compile(r"^\d{1,3}[.．、]?$")  # a 序号 numbering rows one level: 1. 2. 3. (or 1 2 3)


# ---------------------------------------------------------------- the body


@dataclass
class Strip:
    """Body lines on one continuous strip: ``tops``/``bottoms`` per line, pages joined end to end."""

    tops: list[float]
    bottoms: list[float]
    pitch: float
    pages: list[int] = field(default_factory=list)


def body_strip(body: list[Line], grid: Grid) -> Strip:
    pitch = column_pitch(body, grid)
    tops, bottoms = [], []
    offset = 0.0
    for i, line in enumerate(body):
        if i and line.page != body[i - 1].page:
            first = min(ln.top for ln in body[i:] if ln.page == line.page)
            offset = tops[i - 1] + pitch - first
        tops.append(line.top + offset)
        bottoms.append(line.bottom + offset)
    return Strip(tops, bottoms, pitch, [line.page for line in body])


def column_pitch(body: list[Line], grid: Grid) -> float:
    """The line pitch inside one cell: consecutive lines of one column on one page (the lines of a centred
    table's neighbouring cells interleave, so consecutive body lines are often half a pitch apart)."""
    steps = []
    last: dict[int, int] = {}
    for i, piece in enumerate(grid.pieces):
        for c in piece:
            p = last.get(c)
            if p is not None and body[p].page == body[i].page and 0 < body[i].top - body[p].top < 3 * body[i].size:
                steps.append(body[i].top - body[p].top)
            last[c] = i
    return median(steps) if steps else 1.3 * median(ln.size for ln in body)


def column_runs(grid: Grid, strip: Strip, c: int) -> list[list[int]]:
    """Column ``c``'s lines in runs of lines no more than ADJACENT pitches apart."""
    runs: list[list[int]] = []
    for i, piece in enumerate(grid.pieces):
        if c not in piece:
            continue
        if runs and strip.tops[i] - strip.tops[runs[-1][-1]] < ADJACENT * strip.pitch:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


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
    is centred between them, and no per-row text is."""
    tol = CENTRE_TOL * strip.pitch
    centres = sorted(y for _, lines, y in rows if lines)
    out = closing_rows(grid, strip, rows)
    taken = {i for i, _, _ in out} | {k for first, lines, _ in rows for k in (first, *lines)}
    candidates = []
    for i in weight_lines(grid):  # a weight on a 序号's own line is that row's (a cut row's, set from the top)
        centre = (strip.tops[i] + strip.bottoms[i]) / 2
        k = bisect_right(centres, centre)
        if i not in taken and all(abs(centre - y) > tol for y in centres[max(0, k - 1):k + 1]):
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
    column prints nothing, beside which another column prints a run of one line on that line itself (a 合计
    label beside its figure)."""
    trial = sorted([*rows, *candidates])
    centres = [y for _, _, y in trial]
    anchors = page_end_rows(strip, [first for first, _, _ in trial])
    index = {first: r for r, (first, _, _) in enumerate(trial)}
    own = set()
    for run in runs.get(wide, []):
        own.update(r for r, _ in split_centred(run, strip, centres, anchors) or [])
    lone = {run[0] for c, col_runs in runs.items() if c != wide for run in col_runs if len(run) == 1}
    covered = [(strip.tops[run[0]], strip.bottoms[run[-1]]) for run in runs.get(wide, [])]
    return [row for row in candidates if index[row[0]] in own
            or (row[0] in lone and not any(top <= row[2] <= bottom for top, bottom in covered))]


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


def close_around(grid: Grid, strip: Strip, col: int, i: int, from_own: bool) -> int | None:
    """The line of ``col`` above line ``i`` when the column's next line (from ``i`` itself, or strictly
    after it) follows it within ADJACENT pitches, as lines of one cell do; else None."""
    above = first_line(grid, col, range(i - 1, -1, -1))
    below = first_line(grid, col, range(i if from_own else i + 1, len(grid.pieces)))
    close = above is not None and below is not None and strip.tops[below] - strip.tops[above] < ADJACENT * strip.pitch
    return above if close else None


def runs_through(grid: Grid, strip: Strip, col: int, i: int) -> bool:
    """Column ``col`` prints consecutive lines of one cell above and below line ``i`` (strictly): the line
    of a 序号 centred between the two lines of a 2-line cell. Set top-aligned, every cell of a row begins
    on its 序号's line, so no cell's lines straddle it."""
    return close_around(grid, strip, col, i, from_own=False) is not None


def widest_runs_on(grid: Grid, strip: Strip, wide: int, i: int) -> bool:
    """The widest column's text runs through the line of the row's 序号: its line above is close and does
    not end a sentence (top-aligned, the line above ends the previous row's cell)."""
    above = close_around(grid, strip, wide, i, from_own=True)
    return above is not None and not ENDED.search(piece_text(grid.pieces[above][wide]))


def is_centred(grid: Grid, strip: Strip, rows: list[tuple[int, list[int], float]]) -> bool:
    """Cells are centred: at CENTRED_SHARE of the rows the widest column's text runs through the line of the
    row's 序号 (or weight), or at MIN_CENTRED_ROWS rows a cell's lines straddle that line (runs_through: a
    landscape print sets most cells on one line, and only its few 2-line cells show how cells sit)."""
    wide = widest_column(grid)
    if wide is None:
        return False
    cols = [c for c in range(len(grid.bounds) - 1) if c not in (grid.code_col, grid.weight_col)]
    figures = [i for i, lines, _ in rows if lines]
    inside = sum(widest_runs_on(grid, strip, wide, i) for i in figures)
    straddled = sum(any(runs_through(grid, strip, c, i) for c in cols) for i in figures)
    return len(figures) >= MIN_CENTRED_ROWS and (inside >= CENTRED_SHARE * len(figures)
                                                 or straddled >= MIN_CENTRED_ROWS)


def split_centred(run: list[int], strip: Strip, centres: list[float], anchors: dict[int, float] | None = None
                  ) -> list[tuple[int, list[int]]] | None:
    """Cut a column's run of lines into blocks, one per row whose centre it covers, the cuts chosen together
    so the blocks are best centred on their rows (:func:`best_cuts`; a row a page break may have cut, in
    ``anchors``, may instead begin at its 序号's top); None when the cut blocks are not centred (a merged
    cell: centred on no row, or on the middle of several)."""
    tol = CENTRE_TOL * strip.pitch
    anchors = anchors or {}
    top, bottom = strip.tops[run[0]], strip.bottoms[run[-1]]
    rows = [r for r, y in enumerate(centres) if top - tol <= y <= bottom + tol]
    out = best_cuts(run, strip, [(r, centres[r], anchors.get(r)) for r in rows])
    centred = sum(block_miss(strip, b, centres[r], anchors.get(r)) <= tol for r, b in out)
    # one block off centre is forgiven in a long run (a line misjudged at a page break), none in two or one:
    # a merged cell over two rows cut in two has its second half off centre
    needed = len(out) - 1 if len(out) > 2 else len(out)
    return out if out and centred >= needed else None


def block_miss(strip: Strip, block: list[int], centre: float, anchor: float | None) -> float:
    """How far ``block`` is from sitting as a cell of its row: centred on the row's centre, or, for a row a
    page break cut (``anchor``: its 序号's top), beginning at the row's top — a browser sets the cells of a
    row it splits across pages from the top, not centred."""
    miss = abs((strip.tops[block[0]] + strip.bottoms[block[-1]]) / 2 - centre)
    return miss if anchor is None else min(miss, abs(strip.tops[block[0]] - anchor))


def cut_cost(strip: Strip, run: list[int], j: int) -> float:
    """What cutting ``run`` before its line ``j`` costs: nothing at the run's end or where the lines are
    further apart than a cell's pitch (two cells' paddings between them), IN_CELL_CUT pitches inside a
    cell's pitch — cuts a line either side of the true ones centre a block as well, and only the gap
    tells them apart (where a page prints no padding every gap is a pitch and the cost is the same for all)."""
    if j >= len(run):
        return 0.0
    gap = strip.tops[run[j]] - strip.tops[run[j - 1]]
    return IN_CELL_CUT * strip.pitch if gap <= CELL_GAP * strip.pitch else 0.0


def best_cuts(run: list[int], strip: Strip, rows: list[tuple[int, float, float | None]]
              ) -> list[tuple[int, list[int]]]:
    """The blocks of ``run`` (consecutive, covering it) for ``rows`` (row, centre, anchor), in order, a row
    taking none when it prints nothing here, that least miss their rows (:func:`block_miss`) in sum. Chosen
    cut by cut, a long run of cells that fill their rows drifts: one block a line short is still 'centred'
    and pushes every later block a line off until a row goes missing (seen over 30 rows of a browser print).
    Dynamic programming over (row, lines taken). A row centred within the run's reach cannot print nothing
    here (the cells of its neighbours stay in their own rows: a run never crosses an empty cell, and a row
    centred half a line above a run's top ends above it), so skipping it costs SKIP_INSIDE pitches — a
    merged cell over three equal rows, centred on the middle one, then fails the centring and stays merged."""
    tol = CENTRE_TOL * strip.pitch
    n = len(run)
    states: dict[int, tuple[float, list[tuple[int, list[int]]]]] = {0: (0.0, [])}  # lines taken -> best
    for p, (r, y, anchor) in enumerate(rows):
        limit = rows[p + 1][1] + tol if p + 1 < len(rows) else float("inf")  # a block ends above the next centre
        skip = SKIP_INSIDE * strip.pitch
        new = {k: (cost + skip, blocks) for k, (cost, blocks) in states.items()}
        for k, (cost, blocks) in states.items():
            if k == n or strip.tops[run[k]] > y + tol:
                continue  # nothing left, or this row's cell would start below its own centre
            for j in range(k + 1, n + 1):
                if strip.bottoms[run[j - 1]] > limit and j > k + 1 and anchor is None:
                    break
                total = cost + block_miss(strip, run[k:j], y, anchor) + cut_cost(strip, run, j)
                if j not in new or total < new[j][0]:
                    new[j] = (total, [*blocks, (r, run[k:j])])
        states = new
    return states[n][1] if n in states else []


def page_end_rows(strip: Strip, firsts: list[int]) -> dict[int, float]:
    """Row -> the top of its first line, for the rows a page break may have cut: a page's last row, the next
    row beginning on a later page (``firsts``: each row's first line, in order)."""
    return {r: strip.tops[a] for r, (a, b) in enumerate(zip(firsts, firsts[1:], strict=False))
            if strip.pages and strip.pages[b] > strip.pages[a]}


def row_bounds(extents: dict[int, tuple[float, float]], n: int, strip: Strip) -> list[tuple[float, float]]:
    """Each row's (top, bottom) on the strip: halfway between the text of neighbouring rows."""
    cuts = [strip.tops[0]]
    for r in range(1, n):
        cuts.append((extents[r - 1][1] + extents[r][0]) / 2)
    cuts.append(strip.bottoms[-1])
    return [(cuts[r], cuts[r + 1]) for r in range(n)]


def row_at(bounds: list[tuple[float, float]], y: float) -> int:
    return next((r for r, (_, bottom) in enumerate(bounds) if y < bottom), len(bounds) - 1)


def merged_span(run: list[int], strip: Strip, bounds: list[tuple[float, float]], after: int,
                sections: list[int]) -> tuple[int, int]:
    """(first row, last row) of the merged cell printed as ``run``: it covers its text, is centred on it and
    crosses no section row (一、… runs across the table); of such spans, the first beginning right after the
    column's previous cell (row ``after``), else the best centred one."""
    centre = (strip.tops[run[0]] + strip.bottoms[run[-1]]) / 2
    first, last = row_at(bounds, strip.tops[run[0]]), row_at(bounds, strip.bottoms[run[-1]])
    after = max([after, *(r for r in sections if r < first)])
    stop = min([len(bounds), *(r for r in sections if r > last)])
    spans = [(abs((bounds[s][0] + bounds[e][1]) / 2 - centre), s, e)
             for s in range(min(after + 1, first), first + 1) for e in range(last, max(stop, last + 1))]
    good = [span for span in spans if span[0] <= CENTRE_TOL * strip.pitch]
    _, s, e = min(good, key=lambda span: (span[1], span[0])) if good else min(spans)
    return s, e


def place_column(runs: list[list[int]], splits: list[list[tuple[int, list[int]]] | None], strip: Strip,
                 bounds: list[tuple[float, float]], sections: list[int]) -> dict[int, list[int]]:
    """Row -> lines of one column's cells, top-down: split runs as cut, merged runs by merged_span."""
    cells: dict[int, list[int]] = {}
    after = -1
    for run, split in zip(runs, splits, strict=True):
        if split is not None:
            cells.update(split)
            after = max(after, *(r for r, _ in split))
            continue
        s, e = merged_span(run, strip, bounds, after, sections)
        cells[s] = sorted(cells.get(s, []) + run)
        after = max(after, e)
    return cells


def centred_cells(grid: Grid, strip: Strip, rows: list[tuple[int, list[int], float]]
                  ) -> tuple[list[int], dict[tuple[int, int], list[int]]]:
    """Row of each body line and the lines of each (row, column) cell, for a table of centred cells whose
    rows are ``rows`` (row_figures)."""
    centres = [y for _, _, y in rows]
    col = grid.code_col if grid.code_col is not None else grid.weight_col
    cells: dict[tuple[int, int], list[int]] = {}
    for r, (first, lines, _) in enumerate(rows):
        if lines or col in grid.pieces[first]:  # a 序号 (or what a closing row prints in its column)
            cells[(r, col)] = lines or [first]
        elif 0 in grid.pieces[first]:  # a section row, its text moved to the first column
            cells[(r, 0)] = [first]
    columns = {c: column_runs(grid, strip, c) for c in range(len(grid.bounds) - 1) if c != col}
    anchors = page_end_rows(strip, [first for first, _, _ in rows])
    splits = {c: [split_centred(run, strip, centres, anchors) for run in runs] for c, runs in columns.items()}
    blocks = [(r, lines) for r, (_, lines, _) in enumerate(rows) if lines]
    blocks += [b for col_splits in splits.values() for split in col_splits if split for b in split]
    extents: dict[int, tuple[float, float]] = {}
    for r, lines in blocks:
        top, bottom = extents.get(r, (float("inf"), float("-inf")))
        extents[r] = (min(top, strip.tops[lines[0]]), max(bottom, strip.bottoms[lines[-1]]))
    for r, (_, _, y) in enumerate(rows):  # a section row whose line went to a merged cell: its own line
        extents.setdefault(r, (y - strip.pitch / 2, y + strip.pitch / 2))
    bounds = row_bounds(extents, len(rows), strip)
    sections = [r for r, (_, lines, _) in enumerate(rows) if not lines]
    for c, runs in columns.items():
        cells.update({(r, c): lines for r, lines in place_column(runs, splits[c], strip, bounds, sections).items()})
    return lines_to_rows(strip, bounds, rows), cells


def table_cells(body: list[Line], grid: Grid, starts: list[bool], centred_header: bool
                ) -> tuple[list[int], dict[tuple[int, int], list[int]]]:
    """Row of each body line and the lines of each cell: centred cells by symmetry, cells set top-aligned
    line by line (pdf_grid; ``starts`` as pdf_borderless forced them). Cells are taken for centred only under
    a centred header (pdf_band): a top-aligned table's short cells (6月 / 底前) run into the next row's
    序号 line just as well, with nothing to end them."""
    sections_to_first_column(grid)
    if centred_header:
        strip = body_strip(body, grid)
        rows = row_figures(grid, strip)
        if is_centred(grid, strip, rows):
            return centred_cells(grid, strip, rows)
    starts = spanning_starts(grid, starts)
    grid.wraps = wrapping_columns(body, grid, starts)
    grid.merging = merging_columns(grid, starts)
    grid.points = points_columns(grid)
    return assign_lines(body, grid, starts)


def lines_to_rows(strip: Strip, bounds: list[tuple[float, float]], rows: list[tuple[int, list[int], float]]
                  ) -> list[int]:
    """Row of each body line: the row whose bounds hold its centre (a figure's own line is its row's)."""
    out = []
    for top, bottom in zip(strip.tops, strip.bottoms, strict=True):
        centre = (top + bottom) / 2
        out.append(next((r for r, (_, b) in enumerate(bounds) if centre < b), len(bounds) - 1))
    for r, (first, _, _) in enumerate(rows):
        out[first] = r
    return out


__all__ = ["is_centred", "split_centred", "table_cells"]
