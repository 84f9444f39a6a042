"""Borderless tables whose cells are centred vertically: a web page's table printed by a browser (a ``<td>``'s
``vertical-align`` is ``middle`` unless the page says otherwise) or a Word table set to centre, with no rules.

Line by line such a table cannot be read: the 序号 of a row sits halfway down its row, the lines of its
neighbours' cells interleave, and a header label prints at whatever height centres it in its box
(项目 halfway down a two-row header, 序号 under 目标内容 lower still). What holds instead is symmetry:

* the header is a band of short pieces; a label is the pieces stacked in one place, one line pitch apart,
  and its height in the band says its header row (a parent's centre is above the band's middle, a label
  spanning both rows is centred on it, a child's is below);
* a row's centre is the centre of its 序号 (or weight; a weight printed without a 序号 is a row of its own
  when text sits on it: ``pdf_centred_rows``); in every column, the cell of that row is the block of lines
  centred on it. A column's lines run on from one row's cell into the next's when both fill their rows, so a
  run of lines is cut where each part sits on its row, the cuts chosen together (``pdf_centred_cuts``);
* a run centred on no row (or not cut so) is a merged cell: the span of rows best centred on it, inside the
  rows it may not leave (see ``merged_span``).

Page breaks: the lines of page n+1 follow the last line of page n one line pitch down (a browser fills
its pages and cuts a row's cells where the page ends, and sets the cells of a row it cuts from the top).
"""

from __future__ import annotations

from bisect import bisect_right

from kaoping.extract.pdf_centred_cuts import (
    ADJACENT,
    CENTRE_TOL,
    Strip,
    body_strip,
    bracket_glued,
    column_runs,
    column_strip,
    page_end_rows,
    split_centred,
)
from kaoping.extract.pdf_centred_rows import (
    first_line,
    is_section_line,
    row_figures,
    sections_to_first_column,
    widest_column,
)
from kaoping.extract.pdf_grid import (
    Grid,
    assign_lines,
    merging_columns,
    piece_text,
    points_columns,
    spanning_starts,
    wrapping_columns,
)
from kaoping.extract.pdf_lines import Line
from kaoping.extract.pdf_pages import ENDED

CENTRED_SHARE = 0.4  # share of rows whose 序号 sits inside a running text block of the widest column: 0 when
# cells are set top-aligned (a row's text starts on its 序号's line), most rows when centred (0.6–0.9 seen)
Split = list[tuple[int, list[int]]] | None  # a run cut into rows' blocks (row, lines), or None: merged
MERGING_SHARE = 0.5  # a column with cells in no more than this share of the rows is mostly merged cells (group
# labels: 9 cells in 33 rows; the 一级指标 of the 2022 layout: 31 in 61)
TOP_TOL = 0.25  # pitches: a merged cell's text beginning this near a row's text top begins at that row (the same
# line: tops differ by a glyph's ascent at most)
AS_CENTRED = 0.25  # pitches: a wider span is as well centred as the best one within this (a 2-line label over
# three one-line rows: the middle row and all three miss by ~0; one row more than the cell misses by half a row)
MIN_CENTRED_ROWS = 3  # rows needed before the layout is called centred
STEP = 0.9  # sizes: a line this near the one before it is not the next line of a cell (a pitch is 1.2-1.6) ...
INTERLEAVED = 0.3  # ... and this share of such steps says cells are centred. Measured: centred prints (Chromium,
# Calc) 0.40-0.71 of the steps, top- and foot-set prints (Writer, Calc, Chromium) 0-0.09


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


def row_bounds(extents: dict[int, tuple[float, float]], n: int, strip: Strip) -> list[tuple[float, float]]:
    """Each row's (top, bottom) on the strip: halfway between the text of neighbouring rows."""
    cuts = [strip.tops[0]]
    for r in range(1, n):
        cuts.append((extents[r - 1][1] + extents[r][0]) / 2)
    cuts.append(strip.bottoms[-1])
    return [(cuts[r], cuts[r + 1]) for r in range(n)]


def row_at(bounds: list[tuple[float, float]], y: float) -> int:
    return next((r for r, (_, bottom) in enumerate(bounds) if y < bottom), len(bounds) - 1)


def merged_span(run: list[int], strip: Strip, bounds: list[tuple[float, float]], fence: tuple[int, int],
                facts: tuple[list[float], list[int]], widest: bool = False) -> tuple[int, int]:
    """(first row, last row) of the merged cell printed as ``run``: it covers its text and stays inside
    ``fence`` (rows it may not leave: after the column's previous cell, within a section and within the
    cell of the column it is nested in); of such spans, the best centred on the text. But a browser sets a
    cell a page break cuts from its top, not centred: when the text begins where a row's text begins
    (``facts``: each row's text top and page) and the cell may run from that row over a page break (to the
    column's next text, or the fence), it begins at that row (a category merged over 24 rows and three pages
    prints at its first row's top, and spans centred on it run from anywhere). In a column mostly left blank
    (``widest``) of the spans centred on the text the widest: a 2-line group label over three 1-line rows
    fits the middle row alone as well, and a blank cell between two labels is the rarer reading."""
    tops, pages = facts
    first, last = row_at(bounds, strip.tops[run[0]]), row_at(bounds, strip.bottoms[run[-1]])
    low, stop = fence
    starts = range(min(low, first), first + 1)
    level = [r for r in starts if abs(tops[r] - strip.tops[run[0]]) <= TOP_TOL * strip.pitch]
    if level and pages[level[-1]] != pages[max(stop, last + 1) - 1]:
        return level[-1], max(level[-1], last)
    centre = (strip.tops[run[0]] + strip.bottoms[run[-1]]) / 2
    spans = [(abs((bounds[s][0] + bounds[e][1]) / 2 - centre), s, e)
             for s in starts for e in range(last, max(stop, last + 1))]
    best = min(spans)[0]
    centred = [span for span in spans if span[0] <= min(CENTRE_TOL, best / strip.pitch + AS_CENTRED) * strip.pitch]
    _, s, e = max(centred, key=lambda span: (span[2] - span[1], -span[0])) if widest and centred else min(spans)
    return s, e


def place_column(runs: list[list[int]], splits: list[list[tuple[int, list[int]]] | None], strip: Strip,
                 bounds: list[tuple[float, float]], fences: tuple[list[int], list[int]],
                 facts: tuple[list[float], list[int]], widest: bool = False) -> dict[int, list[int]]:
    """Row -> lines of one column's cells, top-down: split runs as cut, merged runs by merged_span, fenced
    by ``fences``: section rows (a cell begins after one) and the starts of the cells of the column it is
    nested in (a cell begins at one or after it); a merged cell also ends before the row where the column's
    next text begins."""
    sections, parent = fences
    cells: dict[int, list[int]] = {}
    after = -1
    firsts = [row_at(bounds, strip.tops[run[0]]) for run in runs]
    for k, (run, split) in enumerate(zip(runs, splits, strict=True)):
        if split is not None:
            cells.update(split)
            after = max(after, *(r for r, _ in split))
            continue
        top = firsts[k]
        low = max([after + 1, *(r + 1 for r in sections if r <= top), *(r for r in parent if r <= top)])
        stop = min([len(bounds), *(r for r in sections + parent + firsts[k + 1:] if r > top)])
        s, e = merged_span(run, strip, bounds, (low, stop), facts, widest)
        cells[s] = sorted(cells.get(s, []) + run)
        after = max(after, e)
    return cells


def begin_with_parent(placed: dict[int, list[int]], parent: list[int], n_rows: int) -> dict[int, list[int]]:
    """A nested column's first cell inside each cell of its parent column begins with it: a group's label
    names the group from its first row (a 4-line 思想建设 over five 4-line rows is centred on the middle row,
    just as a cell of that row alone would be). New dict."""
    out = dict(placed)
    for p, end in zip(parent, [*parent[1:], n_rows], strict=False):
        inside = sorted(r for r in out if p <= r < end)
        if inside and inside[0] > p:
            out[p] = out.pop(inside[0])
    return out


def without(runs: list[list[int]], lines: set[int]) -> list[list[int]]:
    """``runs`` with ``lines`` taken out, a run cut in two where one was."""
    out: list[list[int]] = []
    for run in runs:
        part: list[int] = []
        for i in run:
            if i in lines:
                out += [part] if part else []
                part = []
            else:
                part.append(i)
        out += [part] if part else []
    return out


def covered_rows(strip: Strip, runs: list[list[int]], centres: list[float]) -> int:
    """How many rows have a line of the column (its runs) within half a line of their centre."""
    tol = CENTRE_TOL * strip.pitch
    mids = sorted((strip.tops[i] + strip.bottoms[i]) / 2 for run in runs for i in run)
    return sum(bisect_right(mids, y + tol) > bisect_right(mids, y - tol) for y in centres)


def figure_cells(grid: Grid, rows: list[tuple[int, list[int], float]], col: int | None
                 ) -> dict[tuple[int, int], list[int]]:
    """The 序号 cell of each row (or what a closing row prints in that column), and a section row's text in
    the first column."""
    cells: dict[tuple[int, int], list[int]] = {}
    for r, (first, lines, _) in enumerate(rows):
        if lines or col in grid.pieces[first]:
            cells[(r, col)] = lines or [first]
        elif 0 in grid.pieces[first]:
            cells[(r, 0)] = [first]
    return cells


def fence_rows(grid: Grid, rows: list[tuple[int, list[int], float]], sections: set[int],
               splits: dict[int, list[Split]]) -> list[int]:
    """Rows no merged cell crosses: ``sections``, and rows without a 序号 that print nothing in the widest
    column (合计; a row the notice left unnumbered prints its item there)."""
    texts = {r for split in splits.get(widest_column(grid), []) if split for r, _ in split}
    return [r for r, (_, lines, _) in enumerate(rows) if r in sections or (not lines and r not in texts)]


def as_merged(splits: list[Split], fences: list[int]) -> list[Split]:
    """A column mostly left blank: a lone block is a label merged over rows around it, and blocks of a line
    each are one label's lines (a pitch apart where rows of one line are a row's step) — unless one sits on
    a fence (the 合计 labels of two closing rows). New list."""
    fenced = set(fences)
    return [None if split is not None and not any(r in fenced for r, _ in split)
            and (len(split) == 1 or all(len(b) == 1 for _, b in split)) else split for split in splits]


def held_apart(runs: list[list[int]], splits: list[Split], glued: list[frozenset[int]]
               ) -> tuple[list[list[int]], list[Split]]:
    """A column mostly left blank: a cut block whose lines a bracket holds together is a label of its own,
    placed as a merged cell (merged_span) — a 2-line 教育卫生（15 / 分） over two one-line rows is centred on
    neither, and the cut put it on the first only. The run's other blocks stay cut. New lists."""
    out_runs: list[list[int]] = []
    out_splits: list[Split] = []
    for run, split, held in zip(runs, splits, glued, strict=True):
        joined = {run[k] for k in held}
        if split is None or not any(i in joined for _, block in split for i in block):
            out_runs.append(run)
            out_splits.append(split)
            continue
        for r, block in split:
            out_runs.append(block)
            out_splits.append(None if any(i in joined for i in block) else [(r, block)])
    return out_runs, out_splits


def row_extents(strip: Strip, rows: list[tuple[int, list[int], float]], splits: dict[int, list[Split]]
                ) -> dict[int, tuple[float, float]]:
    """Each row's text extent: its 序号 and the blocks cut for it (a row whose line went to a merged cell, a
    section's: its own line)."""
    blocks = [(r, lines) for r, (_, lines, _) in enumerate(rows) if lines]
    blocks += [b for col_splits in splits.values() for split in col_splits if split for b in split]
    extents: dict[int, tuple[float, float]] = {}
    for r, lines in blocks:
        top, bottom = extents.get(r, (float("inf"), float("-inf")))
        extents[r] = (min(top, strip.tops[lines[0]]), max(bottom, strip.bottoms[lines[-1]]))
    for r, (_, _, y) in enumerate(rows):
        extents.setdefault(r, (y - strip.pitch / 2, y + strip.pitch / 2))
    return extents


def centred_cells(grid: Grid, strip: Strip, rows: list[tuple[int, list[int], float]]
                  ) -> tuple[list[int], dict[tuple[int, int], list[int]]]:
    """Row of each body line and the lines of each (row, column) cell, for a table of centred cells whose
    rows are ``rows`` (row_figures)."""
    centres = [y for _, _, y in rows]
    # a section row prints its line across the table and nothing else: no column's text is cut for it, and
    # its line (placed in the first column) is no column's text
    sections = {r for r, (first, lines, _) in enumerate(rows) if not lines and is_section_line(grid, first)}
    cut_for = [float("nan") if r in sections else y for r, y in enumerate(centres)]
    section_lines = {rows[r][0] for r in sections}
    col = grid.code_col if grid.code_col is not None else grid.weight_col
    cells = figure_cells(grid, rows, col)
    strips = {c: column_strip(strip, grid, c) for c in range(len(grid.bounds) - 1) if c != col}
    columns = {c: without(column_runs(grid, strips[c], c), section_lines) for c in strips}
    anchors = page_end_rows(strip, [first for first, _, _ in rows])
    glued = {c: [bracket_glued(grid, run, c) for run in runs] for c, runs in columns.items()}
    splits = {c: [split_centred(run, strips[c], cut_for, anchors, glued=g) for run, g in zip(runs, glued[c], strict=True)]
              for c, runs in columns.items()}
    merging = {c for c, runs in columns.items()
               if covered_rows(strips[c], runs, centres) <= MERGING_SHARE * len(rows)}
    fences = fence_rows(grid, rows, sections, splits)
    splits.update({c: as_merged(splits[c], fences) for c in merging})
    for c in merging:
        columns[c], splits[c] = held_apart(columns[c], splits[c], glued[c])
    extents = row_extents(strip, rows, splits)
    bounds = row_bounds(extents, len(rows), strip)
    facts = ([extents[r][0] for r in range(len(rows))], [strip.pages[first] for first, _, _ in rows])
    code = grid.code_col
    for c, runs in columns.items():  # left to right: a column left of the 序号 nests in the one left of it
        parent = [r for (r, k) in cells if k == c - 1] if code is not None and 0 < c < code else []
        placed = place_column(runs, splits[c], strips[c], bounds, (fences, parent), facts, c in merging)
        cells.update({(r, c): lines for r, lines in begin_with_parent(placed, sorted(parent), len(rows)).items()})
    return lines_to_rows(strip, bounds, rows), cells


def interleaved(body: list[Line]) -> bool:
    """The lines of neighbouring cells interleave: at INTERLEAVED of the steps from a body line to the next
    the next is less than a line (STEP sizes) below — cells centred, each on its own row's middle, whatever
    the header (a spreadsheet saved unmerged repeats its labels on two plain header lines)."""
    steps = [(b.top - a.top) / a.size for a, b in zip(body, body[1:], strict=False) if a.page == b.page]
    return bool(steps) and sum(0 < s < STEP for s in steps) >= INTERLEAVED * len(steps)


def table_cells(body: list[Line], grid: Grid, starts: list[bool], centred_header: bool
                ) -> tuple[list[int], dict[tuple[int, int], list[int]]]:
    """Row of each body line and the lines of each cell: centred cells by symmetry, cells set top-aligned
    line by line (pdf_grid; ``starts`` as pdf_borderless forced them). Cells are taken for centred only under
    a centred header (pdf_band): a top-aligned table's short cells (6月 / 底前) run into the next row's
    序号 line just as well, with nothing to end them."""
    sections_to_first_column(grid)
    if centred_header or interleaved(body):
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
