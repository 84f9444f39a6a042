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

Steps 1, 2 and the header rows are here; step 3 is :mod:`kaoping.extract.pdf_lines`, steps 4 and 5
:mod:`kaoping.extract.pdf_grid`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from kaoping.extract.pdf_band import band_header, centred_header_matrix, leaf_rows
from kaoping.extract.pdf_bottom import foot_cells, is_foot_set
from kaoping.extract.pdf_centred import table_cells
from kaoping.extract.pdf_grid import (
    SECTION,
    Grid,
    body_to_grid,
    cell_reach,
    cell_text,
    row_starts,
    trailing_prose,
)
from kaoping.extract.pdf_header_rows import ADJACENT_LINES, column_roles, header_matrix, header_to_cells
from kaoping.extract.pdf_lines import Line, header_count, is_header_word
from kaoping.extract.pdf_text import Char, chars_to_lines, line_to_text, resolve_soft_wraps
from kaoping.schema.raw import RawCell, RawParagraph, RawRow, RawTable

MIN_HEADER_WORDS = 3  # a line is a header row when it holds this many header words ...
MIN_MORE_HEADER_WORDS = 2  # ... and a second header row below it this many
HEADER_REACH = 8  # lines below the first header line that may still belong to the header
HEADER_PIECE = 6  # glyphs: the most a header label wrapped in a narrow column puts on one line
FLOW_SIZE = 0.15  # share of a size: lines of one flow are set in one size (a scan measures sizes to ~±15 %)
IN_FLOW = 2.0  # font sizes, top to top: a line this near its neighbour is in the text's flow (body lines: 1.2-1.6; a
# page number sits a margin away, 3+)
CANDIDATE_ROWS = 8  # a ruled table this long and ... (a metadata table of a web page or a cover
CANDIDATE_COLS = 4  # ... this wide may be the 考评表 without a known header word; has 3-5 rows)
COPY_TOL = 0.3  # font sizes: a repeated header's glyph sits where the first header's did, shifted down — in a
#               text PDF to the hundredth of a point; on a scan within a few pixels (the lone 一 of 一级指标
#               1.1 pt off at 200 dpi stayed in the body as a line of its own), never a line (1+ sizes) off
PROSE_SIZE = 0.15  # a line whose font size differs more than this from the table's is not in it ...
PROSE_MIN_GLYPHS = 3  # ... when it has at least this many glyphs: a scan's size of one or two (a lone 一 of a
#                       repeated header's 一级指标, a 序号 1) is its detector box's, off by 20-50 %, and prose
#                       after a table is never one or two characters (page numbers are marginal lines) ...
PROSE_MAX_RUNS = 2  # ... and at most this many runs: text in three runs apart is cells of a row, whatever its
#                     size (a scan's line over narrow cells, 分） 芳 林鹏 科 监督科, measures 17 % large)
MIN_BODY_LINES = 3  # body lines from which the table's own size is taken (before: the header's): the median of
#                     three already outvotes one odd line (a scan's tall box around brackets)
SIZE_SAMPLE = 50  # ... of at most its first this many lines: the size is settled by then, and the check stays
#                   linear on a hostile file of a hundred thousand lines
UNDER_LABEL = 1.0  # sizes: a run whose centre is this near the first header label's is centred under it (a
#                   browser centres both in the column; prose beginning at the margin is rarely centred there)
PROSE_WIDTH = 0.7  # one run of text wider than this share of the table is prose (a cell spanning the
# three text columns of a row without 一级指标 reaches 0.45 in the 2022 layout) ...
PROSE_INDENT = 3.0  # ... when it begins within this many sizes of the body's left edge (a paragraph's first
# line is indented two characters; a spanning cell begins at an inner column, 8+ sizes in)


# ---------------------------------------------------------------- locating the table


@dataclass
class Found:
    header: list[list[Line]]  # header blocks (the first, then each repeat)
    body: list[Line]
    used: set[int]  # ids of the lines in the table
    lines: list[Line]  # every line, repeated headers split off the lines they were printed over
    centred: bool = False  # the header is a band of labels centred in their boxes (pdf_centred)


def continues_header(line: Line, above: list[Line]) -> bool:
    """A line carrying only the rest of header labels wrapped in narrow columns (完/成/时/限 stacked,
    分管/领导) or the child labels of a parent: just below the last of the lines ``above`` (the header so
    far), every piece short, one under a piece of one of those lines — not always the last: labels of two
    header rows set at the top interleave (时 of 完成时限 under 成, with 分管 文件依据 … printed between) — and
    none starting with a digit or a section ordinal (a 序号, a weight, 一、: the body has begun)."""
    last = above[-1]
    if line.page != last.page or not 0 < line.top - last.top < ADJACENT_LINES * line.size:
        return False
    near = [a for ln in above if line.top - ln.top < ADJACENT_LINES * line.size for a in ln.runs]
    return all(len(r.text) <= HEADER_PIECE and not r.text[0].isdigit() and not SECTION.match(r.text)
               for r in line.runs) and any(r.x0 < a.x1 and a.x0 < r.x1 for r in line.runs for a in near)


def stacked_labels(lines: list[Line], i: int) -> list[str]:
    """The labels of a header beginning at ``lines[i]``, each run with the pieces wrapped below it."""
    texts = [[r.x0, r.x1, r.text] for r in lines[i].runs]
    k = i + 1
    while k < min(len(lines), i + 1 + HEADER_REACH) and continues_header(lines[k], lines[i:k]):
        for r in lines[k].runs:
            under = next((t for t in texts if r.x0 < t[1] and t[0] < r.x1), None)
            if under is not None:
                under[2] += r.text
        k += 1
    return [t[2] for t in texts]


def header_score(lines: list[Line], i: int) -> int:
    """Header words ``lines[i]`` prints, whole or wrapped over the lines below it (序/号, 完/成/时/限)."""
    whole = header_count(lines[i])
    if whole >= MIN_HEADER_WORDS or not lines[i].runs or max(len(r.text) for r in lines[i].runs) > 2 * HEADER_PIECE:
        return whole
    return max(whole, sum(is_header_word(t) for t in stacked_labels(lines, i)))


def header_block(lines: list[Line], start: int) -> int:
    """Index one past the last line of the header that begins at ``lines[start]``."""
    end = start + 1
    for k in range(start + 1, min(start + 1 + HEADER_REACH, len(lines))):
        if lines[k].page != lines[start].page:
            break
        if header_count(lines[k]) >= MIN_MORE_HEADER_WORDS:
            end = k + 1
    while end < len(lines) and continues_header(lines[end], lines[start:end]):
        end += 1
    return end


def is_copy(ch: Char, first: list[Char], dy: float) -> bool:
    tol = COPY_TOL * ch[5]
    return any(ch[0] == h[0] and abs(ch[1] - h[1]) < tol and abs(ch[3] - dy - h[3]) < tol for h in first)


def repeated_header(lines: list[Line], i: int, first: list[Line]) -> int | None:
    """A header repeated at ``lines[i]`` as a copy of the first one (the same glyphs at the same
    offsets): its glyphs are taken out of the lines it covers, even where the renderer overprinted a
    clipped label onto the first body line (LibreOffice does so with a repeated 完/成/时/限). The
    header's lines are put in place of the glyphs; returns the index past them, or None when
    ``lines[i]`` is not such a copy."""
    dy = lines[i].top - first[0].top
    glyphs = [ch for ln in first for ch in ln.chars if ch[0].strip()]
    if not all(is_copy(ch, glyphs, dy) for ch in lines[i].chars if ch[0].strip()):
        return None
    bottom = max(ln.bottom for ln in first) + dy
    k = i
    head: list[Line] = []
    while k < len(lines) and lines[k].page == lines[i].page and lines[k].top < bottom:
        copy = [ch for ch in lines[k].chars if is_copy(ch, glyphs, dy)]
        rest = [ch for ch in lines[k].chars if not is_copy(ch, glyphs, dy) and ch[0].strip()]
        if copy:
            head.append(Line(lines[k].page, copy))
        if rest:
            lines[k] = Line(lines[k].page, rest)
            break
        del lines[k]
    lines[i:i] = head
    return i + len(head)


def under_first_label(line: Line, first_label: tuple[float, float] | None) -> bool:
    """The line's first run is centred under the header's leftmost label (within UNDER_LABEL sizes): a centred
    first-column cell wider than its label (发展质量（60分） under 一级指标) begins left of the header, in its
    column all the same."""
    if first_label is None or not line.runs:
        return False
    run = line.runs[0]
    return abs((run.x0 + run.x1) / 2 - sum(first_label) / 2) < UNDER_LABEL * line.size


def is_prose(line: Line, size: float, left: float, width: float, inner: float = float("-inf"),
             first_label: tuple[float, float] | None = None) -> bool:
    """A line in another size (three glyphs or more in at most two runs), or left of the table (``left``), or
    with a run wider than PROSE_WIDTH of the table beginning at the table's left edge (a paragraph under it;
    ``inner``: the body's leftmost glyph so far) — a wide run beginning further in is a cell spanning the
    text columns (a landscape print's 行政能力 rows: 0.71 of the table)."""
    widest = max(line.runs, key=lambda r: r.x1 - r.x0, default=None)
    wide = widest is not None and widest.x1 - widest.x0 > PROSE_WIDTH * width
    sized = sum(1 for ch in line.chars if ch[0].strip()) >= PROSE_MIN_GLYPHS and len(line.runs) <= PROSE_MAX_RUNS
    # left of the table: of its header and of its body so far — a header centred over its columns begins right
    # of the table's edge (项目 over the category and group columns), where the body's lines begin; and three
    # runs apart are cells of a row wherever they begin (the body's first line)
    outside = (line.x0 < min(left, inner) - line.size and len(line.runs) <= PROSE_MAX_RUNS
               and not under_first_label(line, first_label))
    return ((sized and abs(line.size - size) > PROSE_SIZE * size) or outside
            or (wide and widest.x0 < inner + PROSE_INDENT * line.size))


def body_size(body: list[Line], header_size: float) -> float:
    """The table's text size: its first body lines' median once there are a few (a header is often set larger
    or bold, and an OCR'd line's size is its box's height, which varies line to line), the header's before."""
    return median(ln.size for ln in body[:SIZE_SAMPLE]) if len(body) >= MIN_BODY_LINES else header_size


def at_page_edge(lines: list[Line], i: int, marginal: Callable[[str], bool]) -> bool:
    """Only marginal lines between ``lines[i]`` and the top or the bottom of its page: a page number or
    running line, not a cell line that looks like one (2020—2021 wrapped alone in a narrow column)."""
    page = lines[i].page
    above = [ln for ln in lines[:i] if ln.page == page]
    below = [ln for ln in lines[i + 1:] if ln.page == page]
    return all(marginal(ln.text) for ln in above) or all(marginal(ln.text) for ln in below)


def in_flow(lines: list[Line], i: int) -> bool:
    """``lines[i]`` is set in the flow of the lines next to it on its page (the next or the one before within
    IN_FLOW sizes, top to top, in the same size): a cell's last glyphs carried to the next page's top (the 1 of
    1-15- / 1), not a page number, which a page's margin keeps apart from the text, nor a running head set in
    its own size (Calc's "Sheet1", 12 pt over 10-pt cells, 22 pt above them)."""
    line = lines[i]
    near = [ln for ln in lines[max(0, i - 1):i + 2] if ln is not line and ln.page == line.page]
    return any(abs(ln.top - line.top) <= IN_FLOW * line.size and abs(ln.size - line.size) <= FLOW_SIZE * line.size
               for ln in near)


def header_at(lines: list[Line], i: int, centred: bool) -> int | None:
    """Index past the header beginning at ``lines[i]``, or None: with ``centred`` a band of labels centred
    at several heights (pdf_centred), else a line of header words (wrapped labels stacked under it)."""
    if centred:
        return band_header(lines, i, MIN_HEADER_WORDS)
    return header_block(lines, i) if header_score(lines, i) >= MIN_HEADER_WORDS else None


def is_parent_line(line: Line) -> bool:
    """A line of parent labels only (目标内容 … 责任分解): at least two, every label a header word."""
    return len(line.labels) >= MIN_MORE_HEADER_WORDS and all(is_header_word(r.text) for r in line.labels)


def parents_above(lines: list[Line], i: int) -> int:
    """Index of the first of the parent-label lines printed just above the header line ``lines[i]`` on its
    page (``i`` when none): a header set at the foot of its cells prints a parent's label at the foot of its
    own row, over the line of every label its row shares (项目, 权重 and the children: a spreadsheet's
    default alignment)."""
    k = i
    while k > max(0, i - HEADER_REACH) and lines[k - 1].page == lines[i].page and is_parent_line(lines[k - 1]):
        k -= 1
    return k


def find_header(lines: list[Line]) -> tuple[int, int, bool] | None:
    """(first line, line past it, centred) of the table's first header: a centred band is tried first at
    each line (its lowest line alone may hold three header words: 文件依据 一级指标 二级指标)."""
    for i in range(len(lines)):
        for centred in (True, False):
            end = header_at(lines, i, centred)
            if end is not None:
                return (i if centred else parents_above(lines, i)), end, centred
    return None


def take_back_parents(lines: list[Line], i: int, body: list[Line], used: set[int]) -> int:
    """The parent-label lines just above a repeated header line were read as body lines: they are the
    header's (taken out of ``body`` and ``used``); returns the index of the header's first line."""
    k = parents_above(lines, i)
    while i > k and body and body[-1] is lines[i - 1]:
        used.discard(id(body.pop()))
        i -= 1
    return i


def find_table(lines: list[Line], marginal: Callable[[str], bool]) -> Found | None:
    """The table of ``lines`` (a copy is edited: repeated headers split off overprinted lines)."""
    lines = list(lines)
    header = find_header(lines)
    if header is None:
        return None
    start, end, centred = header
    headers = [lines[start:end]]
    size = median(ln.size for ln in headers[0])
    left = min(ln.x0 for ln in headers[0])
    width = max(ln.x1 for ln in headers[0]) - left
    first = min((r for ln in headers[0] for r in ln.runs), key=lambda r: r.x0, default=None)
    first_label = (first.x0, first.x1) if first is not None else None
    if centred:  # a label centred in its column says nothing of where the column begins, nor does a
        left = float("-inf")  # centred cell line (能工作 under 职 under 项目): prose is told by size and width
    body: list[Line] = []
    inner = float("inf")  # the body's leftmost glyph so far (kept as it grows: linear on a long body)
    used = {id(ln) for ln in headers[0]}
    i = end
    while i < len(lines):
        line = lines[i]
        if body and (block_end := header_at(lines, i, centred)) is not None:  # before marginal: a repeated
            # header recurs at the top of every page, like a running head
            i = take_back_parents(lines, i, body, used) if not centred else i
            stop = repeated_header(lines, i, headers[0])
            stop = block_end if stop is None else stop
            headers.append(lines[i:stop])
            used |= {id(ln) for ln in lines[i:stop]}
            i = stop
            continue
        if marginal(line.text) and at_page_edge(lines, i, marginal) and not in_flow(lines, i):
            i += 1
            continue
        if is_prose(line, body_size(body, size), left, width, inner, first_label):
            break
        body.append(line)
        inner = min(inner, line.x0)
        used.add(id(line))
        i += 1
    return Found(headers, body, used, lines, centred) if body else None


# ---------------------------------------------------------------- the document


def ruled_candidate(rows: list[list[str]], n_cols: int) -> bool:
    """A ruled table that may be the 考评表: a row holding MIN_HEADER_WORDS header words, or a grid of
    at least CANDIDATE_ROWS x CANDIDATE_COLS. A frame around a stamp, a boxed 附件 label or a ruled
    metadata table (索引号 | … | 发布机构 | …) is none, and leaves the borderless reader to look for
    the header of a table without rules."""
    if any(sum(is_header_word(t) for t in row) >= MIN_HEADER_WORDS for row in rows):
        return True
    return len(rows) >= CANDIDATE_ROWS and n_cols >= CANDIDATE_COLS



def layouts_to_lines(pages: list[tuple[int, list[Char]]]) -> list[Line]:
    return [Line(number, line) for number, chars in pages for line in chars_to_lines(chars)
            if line_to_text(line)]


def grid_and_starts(found: Found) -> tuple[Grid, list[bool]]:
    return body_grid(found.body, found.header[0], found.centred)


def body_grid(body: list[Line], header: list[Line], centred: bool) -> tuple[Grid, list[bool]]:
    grid = body_to_grid(body, header, leaf_rows(header) if centred else None)
    starts = row_starts(body, grid)
    starts[0] = True  # the header's wrapped lines are in found.header: a line above the first 序号 or
    # weight is a row of its own (a section row 一、职能工作（60分）), not more header
    return grid, starts


def found_to_table(found: Found, index: int, paragraphs_before: int) -> RawTable:
    """The table of ``found``; lines printed under its last row that are not in it (抄送：… at the
    table's width) go back to the paragraphs (taken out of ``found.body`` and ``found.used``)."""
    grid, starts = grid_and_starts(found)
    end = trailing_prose(grid, starts)
    if end < len(found.body):
        found.used -= {id(ln) for ln in found.body[end:]}
        found.body = found.body[:end]
        grid, starts = grid_and_starts(found)
    if is_foot_set(found.body, grid, starts):  # a spreadsheet's default: read from the foot up (pdf_bottom)
        row_of, cell_lines, grid = foot_cells(found.body, lambda body: body_grid(body, found.header[0], found.centred),
                                              column_roles(found.header[0], found.centred, grid.bounds))
    else:
        row_of, cell_lines = table_cells(found.body, grid, starts, found.centred)
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
            matrix = (centred_header_matrix if found.centred else header_matrix)(blocks[k], grid.bounds)
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
    lines = found.lines
    first = min(i for i, ln in enumerate(lines) if id(ln) in found.used)
    before = sum(1 for ln in lines[:first] if id(ln) not in found.used)
    table = found_to_table(found, 0, before)
    paragraphs = [RawParagraph(index=k, text=ln.text, page=ln.page, bbox=tuple(round(v, 2) for v in ln.bbox))
                  for k, ln in enumerate(ln for ln in lines if id(ln) not in found.used)]
    return paragraphs, [table]
