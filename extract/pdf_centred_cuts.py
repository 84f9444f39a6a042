"""Centred cells, the geometry: a borderless table's body lines on one strip (pages joined end to end), each
column's runs of lines, and the cutting of a run into the blocks of the rows it covers.

A run of lines in one column (lines no more than ADJACENT pitches apart) is one cell, or the cells of several
rows that fill their rows and so touch. It is cut where each part sits on its row: centred on the row's 序号,
or, for a row a page break cut, from the row's top (a browser sets a row it splits across pages from the
top). The cuts are chosen together (:func:`best_cuts`), not one after another.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from statistics import median

from kaoping.extract.pdf_grid import Grid, piece_text
from kaoping.extract.pdf_lines import Line

ADJACENT = 1.6  # pitches: lines of one cell follow at most this far apart in one column (pdf_grid.ADJACENT)
CENTRE_TOL = 0.5  # pitches: a block is centred on a row when the two centres differ by less than half a line
BRACKET_REACH = 3  # lines: a bracket a cell's line opens is closed within this many more (（属… 工作） wraps
#                    over two or three lines in a narrow column); further, it is a misread, not a cell's text
SKIP_INSIDE = 4.0  # pitches: the cost of a row inside a run taking no block — more than a block a line or two
# off its centre costs (a page break shifts a column's lines by up to a line), so it is only chosen when needed
BEAM = 48  # states kept per row in best_cuts: the cheapest; a run's plausible cuts at a row are a few lines
# either side of its centre, and a hostile run of thousands of lines stays linear
IN_CELL_CUT = 0.25  # pitches: the cost of a cut where lines follow at a cell's pitch (a tie-breaker: a quarter
# line is less than any centring a line off costs, half a line)
GAPPED_SHARE = 0.03  # share of a column's steps longer than CELL_GAP pitches when cells are padded apart
# (0.14 and 0.25 in Chromium prints with 2-px paddings, 0.033-0.043 with 4-px paddings round cells of 10+ lines
# in serif 14 px, where a cell's own steps outnumber the boundaries; none in a table set without)
CELL_PITCH_SHARE = 0.1  # share of column steps that must repeat a step for it to be a cell's pitch (0.10 seen
# for the 2-line cells of a landscape print, 0.62 portrait)
CELL_GAP = 1.08  # pitches: lines further apart are in two cells (Chromium's 2-px paddings: 1.2 pitches; one
# cell's lines: the pitch itself, ±2 % for rounding)


@dataclass
class Strip:
    """Body lines on one continuous strip: ``tops``/``bottoms`` per line, pages joined end to end."""

    tops: list[float]
    bottoms: list[float]
    pitch: float
    pages: list[int] = field(default_factory=list)
    gapped: bool = False  # cells are set apart by paddings: lines of two cells are further apart than a pitch
    cell_pitch: float = 0.0  # the pitch of lines inside one cell (0: as ``pitch``)
    shift: list[float] = field(default_factory=list)  # per line: where its page begins on the strip


def body_strip(body: list[Line], grid: Grid) -> Strip:
    steps = column_steps(body, grid)
    pitch = median(steps) if steps else 1.3 * median(ln.size for ln in body)
    inside = cell_pitch(steps) or pitch
    gapped = sum(CELL_GAP * inside < s < ADJACENT * pitch for s in steps) >= GAPPED_SHARE * len(steps)
    tops, bottoms = [], []
    offset = 0.0
    for i, line in enumerate(body):
        if i and line.page != body[i - 1].page:
            first = min(ln.top for ln in body[i:] if ln.page == line.page)
            offset = tops[i - 1] + pitch - first
        tops.append(line.top + offset)
        bottoms.append(line.bottom + offset)
    shift = [t - line.top for t, line in zip(tops, body, strict=True)]
    return Strip(tops, bottoms, pitch, [line.page for line in body], gapped and bool(steps), inside, shift)


def column_strip(strip: Strip, grid: Grid, c: int) -> Strip:
    """The strip as column ``c`` sees it: its lines where its own glyphs are. A body line's top is its highest
    glyph in any column, and a neighbour's digits or a fallback font's glyph sit a point or two off, so steps
    between a column's lines measured on body lines wander by ±1.5 pt (13.3, 15.4 for a 14.25 pitch) and blur
    the step between two cells. New strip; the other lines as they are."""
    tops, bottoms = list(strip.tops), list(strip.bottoms)
    for i, piece in enumerate(grid.pieces):
        if c in piece and strip.shift:
            tops[i] = min(ch[3] for ch in piece[c]) + strip.shift[i]
            bottoms[i] = max(ch[4] for ch in piece[c]) + strip.shift[i]
    return Strip(tops, bottoms, strip.pitch, strip.pages, strip.gapped, strip.cell_pitch, strip.shift)


def cell_pitch(steps: list[float]) -> float:
    """The pitch of lines inside one cell: the shortest step that a tenth of the steps repeat (within 3 %).
    Not the median: where most cells print one line (a landscape print), most steps are from one row's
    cell to the next row's, a padding longer; shorter steps than the pitch (a glyph set alone) are rare."""
    ordered = sorted(steps)
    for k, step in enumerate(ordered):
        if bisect_right(ordered, step * 1.03) - k >= CELL_PITCH_SHARE * len(ordered):
            return median(ordered[k:bisect_right(ordered, step * 1.03)])
    return 0.0


def column_steps(body: list[Line], grid: Grid) -> list[float]:
    """Steps between consecutive lines of one column on one page: their median is the line pitch inside one
    cell (the lines of a centred table's neighbouring cells interleave, so consecutive body lines are often
    half a pitch apart); the longer steps are between cells. Body-line tops, not the column's glyphs: the
    pitch is a table-wide measure, and from glyph tops it came out shorter where glyphs stand alone."""
    steps = []
    last: dict[int, int] = {}
    for i, piece in enumerate(grid.pieces):
        for c in piece:
            p = last.get(c)
            if p is not None and body[p].page == body[i].page and 0 < body[i].top - body[p].top < 3 * body[i].size:
                steps.append(body[i].top - body[p].top)
            last[c] = i
    return steps


def column_runs(grid: Grid, strip: Strip, c: int) -> list[list[int]]:
    """Column ``c``'s lines in runs of lines no more than ADJACENT pitches apart — a pitch more across a page
    break: the strip joins pages at their last line, and a column's next line may not have fitted where a
    neighbour's, set half a line higher, did (a cut category cell's 目标 / page / （25分） fell in two)."""
    runs: list[list[int]] = []
    for i, piece in enumerate(grid.pieces):
        if c not in piece:
            continue
        reach = ADJACENT + (1 if runs and strip.pages and strip.pages[i] != strip.pages[runs[-1][-1]] else 0)
        if runs and strip.tops[i] - strip.tops[runs[-1][-1]] < reach * strip.pitch:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def bracket_glued(grid: Grid, run: list[int], c: int) -> frozenset[int]:
    """Places ``k`` in ``run`` (a cut before ``run[k]``) where no cell ends: inside a bracket a line opens and
    one of the next BRACKET_REACH lines closes — 教育卫生（15 / 分）, a label wrapped at its points in a cell
    merged over two one-line rows, centres each half on a row as well as it centres the whole."""
    glued: set[int] = set()
    opened: list[int] = []  # the lines of the brackets still open, innermost last
    for k, i in enumerate(run):
        for ch in piece_text(grid.pieces[i][c]):
            if ch in "（(":
                opened.append(k)
            elif ch in "）)" and opened:
                first = opened.pop()
                if k - first <= BRACKET_REACH:
                    glued.update(range(first + 1, k + 1))
    return frozenset(glued)


def split_centred(run: list[int], strip: Strip, centres: list[float], anchors: dict[int, float] | None = None,
                  merged: bool = True, glued: frozenset[int] = frozenset()) -> list[tuple[int, list[int]]] | None:
    """Cut a column's run of lines into blocks, one per row whose centre it covers, the cuts chosen together
    so the blocks are best centred on their rows (:func:`best_cuts`; a row a page break may have cut, in
    ``anchors``, may instead begin at its 序号's top); None when the cut blocks are not centred (a merged
    cell: centred on no row, or on the middle of several; with ``merged``, also blocks that only a cell's
    pitch parts, :func:`one_cell`)."""
    tol = CENTRE_TOL * strip.pitch
    anchors = anchors or {}
    top, bottom = strip.tops[run[0]], strip.bottoms[run[-1]]
    rows = [r for r, y in enumerate(centres) if top - tol <= y <= bottom + tol]
    out = best_cuts(run, strip, [(r, centres[r], anchors.get(r)) for r in rows], glued)
    centred = sum(block_miss(strip, b[0], b[-1], centres[r], anchors.get(r)) <= tol for r, b in out)
    # one block off centre is forgiven in a long run (a line misjudged at a page break), none in two or one:
    # a merged cell over two rows cut in two has its second half off centre
    needed = len(out) - 1 if len(out) > 2 else len(out)
    return out if out and centred >= needed and not (merged and one_cell(strip, run, out)) else None


def one_cell(strip: Strip, run: list[int], blocks: list[tuple[int, list[int]]]) -> bool:
    """Where cells are set apart by paddings (``strip.gapped``), blocks every cut between which falls inside
    a cell's pitch are one cell's lines: a merged cell over rows of equal height can be cut into blocks each
    centred on its row as well as cells can, and only the missing gaps tell (names merged over five rows).
    A cut at a page break says nothing (the strip joins pages a pitch apart), nor do blocks of one line each
    (rows of one line follow at a row's step, which a landscape print's few 2-line cells may not outnumber
    enough to be taken for the cell's pitch)."""
    cuts = [(b[-1], c[0]) for (_, b), (_, c) in zip(blocks, blocks[1:], strict=False)]
    return (strip.gapped and bool(cuts) and any(len(b) > 1 for _, b in blocks)
            and all(strip.pages[i] == strip.pages[j] and within_pitch(strip, i, j) for i, j in cuts))


def within_pitch(strip: Strip, i: int, j: int) -> bool:
    """Lines ``i`` and ``j`` follow at a cell's own pitch: no padding between them, so no cell boundary."""
    return strip.tops[j] - strip.tops[i] <= CELL_GAP * (strip.cell_pitch or strip.pitch)


def block_miss(strip: Strip, first: int, last: int, centre: float, anchor: float | None) -> float:
    """How far the block of lines ``first``..``last`` is from sitting as a cell of its row: centred on the
    row's centre, or, for a row a
    page break cut (``anchor``: its 序号's top), beginning at the row's top — a browser sets the cells of a
    row it splits across pages from the top, not centred."""
    miss = abs((strip.tops[first] + strip.bottoms[last]) / 2 - centre)
    return miss if anchor is None else min(miss, abs(strip.tops[first] - anchor))


def cut_cost(strip: Strip, run: list[int], j: int) -> float:
    """What cutting ``run`` before its line ``j`` costs: nothing at the run's end or where the lines are
    further apart than a cell's pitch (two cells' paddings between them), IN_CELL_CUT pitches inside a
    cell's pitch — cuts a line either side of the true ones centre a block as well, and only the gap
    tells them apart (where a page prints no padding every gap is a pitch and the cost is the same for all)."""
    if j >= len(run):
        return 0.0
    return IN_CELL_CUT * strip.pitch if within_pitch(strip, run[j - 1], run[j]) else 0.0


def best_cuts(run: list[int], strip: Strip, rows: list[tuple[int, float, float | None]],
              glued: frozenset[int] = frozenset()) -> list[tuple[int, list[int]]]:
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
    Chain = tuple | None  # blocks so far, as a chain of (earlier, (row, first, end)): O(1) to extend
    states: dict[int, tuple[float, Chain]] = {0: (0.0, None)}  # lines taken -> (cost, blocks)
    for p, (r, y, anchor) in enumerate(rows):
        limit = rows[p + 1][1] + tol if p + 1 < len(rows) else float("inf")  # a block ends above the next centre
        new = {k: (cost + SKIP_INSIDE * strip.pitch, chain) for k, (cost, chain) in states.items()}
        for k, (cost, chain) in states.items():
            if k == n or strip.tops[run[k]] > y + tol:
                continue  # nothing left, or this row's cell would start below its own centre
            for j in range(k + 1, n + 1):
                if strip.bottoms[run[j - 1]] > limit and j > k + 1:
                    break
                if j in glued:
                    continue  # a block cannot end inside a bracket (bracket_glued)
                total = cost + block_miss(strip, run[k], run[j - 1], y, anchor) + cut_cost(strip, run, j)
                if j not in new or total < new[j][0]:
                    new[j] = (total, (chain, (r, k, j)))
        states = dict(sorted(new.items(), key=lambda item: item[1][0])[:BEAM])  # bounded on a hostile run
    if n not in states:
        return []
    out: list[tuple[int, list[int]]] = []
    chain = states[n][1]
    while chain is not None:
        chain, (r, k, j) = chain
        out.append((r, run[k:j]))
    return out[::-1]


def page_end_rows(strip: Strip, firsts: list[int]) -> dict[int, float]:
    """Row -> the top of its first line, for the rows a page break may have cut: a page's last row, the next
    row beginning on a later page (``firsts``: each row's first line, in order)."""
    return {r: strip.tops[a] for r, (a, b) in enumerate(zip(firsts, firsts[1:], strict=False))
            if strip.pages and strip.pages[b] > strip.pages[a]}


__all__ = ["ADJACENT", "CENTRE_TOL", "Strip", "best_cuts", "bracket_glued", "body_strip", "column_runs", "column_strip", "page_end_rows",
           "split_centred"]
