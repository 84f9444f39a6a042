"""PDF input: ruled tables via pdfplumber, rebuilt as a span-aware grid, plus the text around them.

pdfminer parses each page once (:mod:`kaoping.extract.pdf_objects`: glyphs kept as tuples, ruling objects
as pdfplumber shapes them); pdfplumber's ``find_tables()`` gives the cell boxes. Everything after that is plain geometry on those two lists: cell boxes become a grid with
row/column spans, glyphs are dealt to the cell (or the paragraph flow) their centre falls in, and
the lines of a cell are joined with the soft-wrap rules of :func:`join_wrapped_lines`. Fragments of
one table on consecutive pages are stitched into one :class:`RawTable`; leading rows that every later
fragment repeats verbatim are marked ``header`` (no wording involved), and the first row of each later
fragment ``page_start``. Text outside the tables becomes one paragraph per printed line.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kaoping.extract.pdf_borderless import borderless_tables, ruled_candidate
from kaoping.extract.pdf_overflow import absorb_overflow, hidden_overflow, sized_to_text
from kaoping.extract.pdf_pages import PAST, SNUG, PageBreak, rejoin_page_breaks
from kaoping.extract.pdf_stitch import (
    continues,
    nearest,
    remap_columns,
    repeated_header_rows,
    restore_cut_labels,
)
from kaoping.extract.pdf_text import (
    Char,
    chars_to_lines,
    join_wrapped_lines,
    line_to_text,
    page_number_like,
    resolve_soft_wraps,
    room_left,
    split_at_gutters,
)
from kaoping.schema.errors import InputError
from kaoping.schema.raw import BBox, RawCell, RawDocument, RawParagraph, RawRow, RawTable, SourceInfo

log = logging.getLogger(__name__)


SNAP = 1.5  # points: cell edges closer than this are one grid line
MAX_FRAMES = 4  # boxes (the largest) checked for holding others: a page and a table frame, with room to spare
ENCRYPTION_ERRORS = {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}
MAX_LISTED = 8  # pages named in the warning about glyphs not shown (the count covers them all)


@dataclass
class Fragment:
    """One table as found on one page: a grid of cells with spans and their text."""

    page: int
    top: float
    xs: list[float]
    ys: list[float]
    cells: list[RawCell] = field(default_factory=list)
    rooms: dict[int, float] = field(default_factory=dict)  # cells whose text reaches the bottom: room left, em
    fits: dict[int, str] = field(default_factory=dict)  # cells sized to their text (SNUG) or painted past it (PAST)


class TextLine(NamedTuple):
    """A line of text outside the tables, with its box (x0, top, x1, bottom), and its pieces (text, box) where
    a gutter parts columns of the page's layout on it (:func:`split_at_gutters`): each is a paragraph."""

    text: str
    bbox: BBox
    pieces: tuple[tuple[str, BBox], ...] = ()


@dataclass
class PageLayout:
    number: int
    height: float
    chars: list[Char]
    tables: list[list[BBox]]  # cell boxes of each table found on the page
    warnings: list[str] = field(default_factory=list)  # what the parser logged while reading the page
    opened: list[tuple[float, float, float]] = field(default_factory=list)  # rules put back at open ends: y, x0, x1
    hidden: list[Char] = field(default_factory=list)  # drawn outside the page or the clip in force: not shown,
    # not read as text (pdf_objects) — counted in a warning, and a cell whose text goes on hidden under the
    # page's table was cut by the page break (a spreadsheet draws a merged cell on each page it covers, clipped)


class _Collect(logging.Handler):
    """Keeps the parser's warnings (e.g. 'Data-loss while decompressing corrupted data') as data."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())[:200]
        if message not in self.messages:
            self.messages.append(message)


# ---------------------------------------------------------------- reading the file


def page_to_layout(page: Any, number: int) -> PageLayout:
    from kaoping.extract.pdf_objects import (  # pdfminer: loaded when a PDF is read
        open_row_ends,
        page_to_objects,
    )

    collect = _Collect()
    parser_log = logging.getLogger("pdfminer")
    saved = parser_log.level, parser_log.propagate
    parser_log.addHandler(collect)  # the parser's warnings become data here, not log lines
    parser_log.setLevel(logging.WARNING)
    parser_log.propagate = False
    try:
        chars, page._objects, hidden = page_to_objects(page)  # pdfplumber's table finder reads these edges
        closing = open_row_ends(page.edges)  # rules a page break left out (a browser's print)
        found = page.find_tables({"explicit_horizontal_lines": closing} if closing else None)
        tables = [list(t.cells) for t in found]
    finally:
        parser_log.removeHandler(collect)
        parser_log.setLevel(saved[0])
        parser_log.propagate = saved[1]
    layout = PageLayout(number, float(page.height), chars, tables, collect.messages,
                        [(c["top"], c["x0"], c["x1"]) for c in closing], hidden)
    page.close()
    return layout


def exception_to_input_error(exc: BaseException) -> InputError:
    """A parser exception -> the pinned 'encrypted' message or 'corrupt or truncated PDF: <reason>'."""
    chain = [exc]
    while (nxt := chain[-1].__cause__ or chain[-1].__context__) is not None and nxt not in chain:
        chain.append(nxt)
    if any(type(e).__name__ in ENCRYPTION_ERRORS or "password" in str(e).lower() for e in chain):
        return InputError("encrypted PDF: remove the password first")
    reason = " ".join(str(chain[-1]).split())[:120] or type(chain[-1]).__name__
    return InputError(f"corrupt or truncated PDF: {reason}")


# ---------------------------------------------------------------- geometry


def values_to_bounds(values: list[float], tol: float = SNAP) -> list[float]:
    """Cluster coordinates closer than ``tol`` into grid lines (sorted)."""
    bounds: list[float] = []
    for v in sorted(values):
        if bounds and v - bounds[-1] <= tol:
            continue
        bounds.append(v)
    return bounds


def frame_cells(frag: Fragment) -> set[int]:
    """Cells whose box holds other cells' boxes: a web page's layout table printed with its frame around the
    考评表 (and the notice's text inside that frame). Cells of one grid never overlap, so a box around another
    is a frame, and its own text is the page's text, not a cell's; it stays in the grid (its rules keep the
    page's table the same width as the next page's). Only the few largest boxes can hold others."""
    def area(c: RawCell) -> float:
        return c.rowspan * c.colspan

    def holds(outer: RawCell, inner: RawCell) -> bool:
        return (outer is not inner and outer.row <= inner.row and outer.col <= inner.col
                and inner.row + inner.rowspan <= outer.row + outer.rowspan
                and inner.col + inner.colspan <= outer.col + outer.colspan)

    largest = sorted(range(len(frag.cells)), key=lambda i: -area(frag.cells[i]))[:MAX_FRAMES]
    return {i for i in largest if any(holds(frag.cells[i], c) for c in frag.cells)}


def boxes_to_fragment(boxes: list[BBox], page: int) -> Fragment:
    """Cell boxes -> grid lines and one RawCell (empty text) per distinct box, with its spans."""
    xs = values_to_bounds([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = values_to_bounds([b[1] for b in boxes] + [b[3] for b in boxes])
    frag = Fragment(page=page, top=ys[0], xs=xs, ys=ys)
    seen: set[tuple[int, int]] = set()
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        r, c = nearest(ys, b[1]), nearest(xs, b[0])
        if (r, c) in seen:
            continue
        seen.add((r, c))
        rs, cs = max(1, nearest(ys, b[3]) - r), max(1, nearest(xs, b[2]) - c)
        frag.cells.append(RawCell(row=r, col=c, rowspan=rs, colspan=cs, page=page,
                                  bbox=tuple(round(v, 2) for v in b)))
    return frag


def cell_at(frag: Fragment, slots: dict[tuple[int, int], int], x: float, y: float) -> int | None:
    """Index of the cell whose box holds point (x, y), or None."""
    if not (frag.xs[0] <= x <= frag.xs[-1] and frag.ys[0] <= y <= frag.ys[-1]):
        return None
    c = min(bisect_right(frag.xs, x) - 1, len(frag.xs) - 2)
    r = min(bisect_right(frag.ys, y) - 1, len(frag.ys) - 2)
    return slots.get((r, c))


def fragment_slots(frag: Fragment) -> dict[tuple[int, int], int]:
    """Grid slot -> the cell that holds it. Where boxes overlap (a web page's layout table printed with its
    frame around the real table), a slot belongs to the smallest box over it, so the inner cells get their
    text and the frame only what lies outside them; in a plain grid no boxes overlap."""
    slots: dict[tuple[int, int], int] = {}
    for i, cell in sorted(enumerate(frag.cells), key=lambda ic: -(ic[1].rowspan * ic[1].colspan)):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                slots[(r, c)] = i
    return slots


# ---------------------------------------------------------------- pages -> document


NO_BOX: BBox = (0.0, 0.0, 0.0, 0.0)


def open_bottom(box: BBox | None, opened: list[tuple[float, float, float]]) -> bool:
    """The cell's bottom edge is a rule put back at an open end (the page cut the cell; nothing closed it)."""
    return box is not None and any(abs(box[3] - y) <= SNAP and x0 - SNAP <= box[0] and box[2] <= x1 + SNAP
                                   for y, x0, x1 in opened)


def chars_to_cells(frags: list[Fragment], chars: list[Char]) -> tuple[list[list[list[Char]]], list[Char]]:
    """Each glyph to the cell that holds it (the smallest box over it), or to the page's free text — a layout
    frame's own text is the page's."""
    frames = [frame_cells(f) for f in frags]
    for frag, held in zip(frags, frames, strict=True):
        if held:  # the table starts where its cells do: the frame's text above them reads before it
            frag.top = min(c.bbox[1] for i, c in enumerate(frag.cells) if i not in held and c.bbox)
    slot_maps = [fragment_slots(f) for f in frags]
    cell_chars: list[list[list[Char]]] = [[[] for _ in f.cells] for f in frags]
    free: list[Char] = []
    for ch in chars:
        cx, cy = (ch[1] + ch[2]) / 2, (ch[3] + ch[4]) / 2
        for fi, frag in enumerate(frags):
            idx = cell_at(frag, slot_maps[fi], cx, cy)
            if idx is not None:
                (free if idx in frames[fi] else cell_chars[fi][idx]).append(ch)
                break
        else:
            free.append(ch)
    return cell_chars, free


def fill_cells(frag: Fragment, per_cell: list[list[Char]], opened: list[tuple[float, float, float]]) -> None:
    """The fragment's cells get their text (wraps joined) and, where the text reaches the bottom, its room."""
    for i, (cell, chars) in enumerate(zip(frag.cells, per_cell, strict=True)):
        if chars and cell.bbox is not None:
            lines = chars_to_lines(chars)
            cell.text = join_wrapped_lines(lines, cell.bbox)
            if sized_to_text(lines, cell.bbox):
                frag.fits[i] = SNUG
            if (room := room_left(lines, cell.bbox, open_bottom(cell.bbox, opened))) is not None:
                frag.rooms[i] = room


def glyphs_box(glyphs: list[Char]) -> BBox:
    return (min(c[1] for c in glyphs), min(c[3] for c in glyphs), max(c[2] for c in glyphs), max(c[4] for c in glyphs))


def layout_to_items(layout: PageLayout) -> list[tuple[float, TextLine | Fragment]]:
    """One page -> its text lines and table fragments (cells filled), top to bottom."""
    frags = [boxes_to_fragment(boxes, layout.number) for boxes in layout.tables if boxes]
    cell_chars, free = chars_to_cells(frags, layout.chars)
    # only a cell whose bottom was open (its rule put back) can have text painted past it
    bottoms = [([c.bbox if open_bottom(c.bbox, layout.opened) else NO_BOX for c in f.cells], f.ys[-1]) for f in frags]
    free, taken = absorb_overflow(bottoms, cell_chars, free)
    taken_hidden = hidden_overflow(bottoms, layout.hidden)  # the same, clipped away: its text is on the next page
    for frag, per_cell, cut, cut_hidden in zip(frags, cell_chars, taken, taken_hidden, strict=True):
        fill_cells(frag, per_cell, layout.opened)
        frag.fits.update(dict.fromkeys(cut | cut_hidden, PAST))  # text past the rule: cut, however snug its box
    items: list[tuple[float, TextLine | Fragment]] = []
    for line in chars_to_lines(free):
        if text := line_to_text(line):
            pieces = tuple((t, glyphs_box(p)) for p in split_at_gutters(line) if (t := line_to_text(p)))
            items.append((glyphs_box(line)[1], TextLine(text, glyphs_box(line), pieces if len(pieces) > 1 else ())))
    items.extend((f.top, f) for f in frags)
    items.sort(key=lambda it: (it[0], isinstance(it[1], TextLine)))
    return items


def running_lines(pages: list[list[tuple[float, TextLine | Fragment]]], heights: list[float]) -> set[str]:
    """Running heads/feet: lines (digits ignored) that recur in the top or bottom 10% of 2+ pages."""
    seen: dict[str, set[int]] = {}
    for n, (items, height) in enumerate(zip(pages, heights, strict=True)):
        for top, item in items:
            if isinstance(item, TextLine) and (top < 0.1 * height or top > 0.9 * height):
                seen.setdefault(re.sub(r"\d+", "#", item.text), set()).add(n)
    return {text for text, where in seen.items() if len(where) >= 2}


def is_marginal(text: str, running: set[str]) -> bool:
    """Page numbers and running heads/feet: lines that may sit between two fragments of one table."""
    return page_number_like(text) or re.sub(r"\d+", "#", text) in running


def fragments_to_table(frags: list[Fragment], index: int, paragraphs_before: int,
                       warnings: list[str]) -> RawTable:
    ref = max(frags, key=lambda f: len(f.xs)).xs
    placed = []
    for f in frags:
        if len(f.xs) != len(ref):
            warnings.append(f"page {f.page}: table fragment with {len(f.xs) - 1} columns "
                            f"mapped onto {len(ref) - 1}")
        placed.append(remap_columns(f, ref))
    resolve_soft_wraps([c for fcells in placed for c in fcells])
    n_rows = [len(f.ys) - 1 for f in frags]
    n_head = repeated_header_rows(placed, n_rows)
    for fcells in placed[1:]:
        restore_cut_labels(placed[0], fcells, n_head)
    rows: list[RawRow] = []
    cells: list[RawCell] = []
    rooms: list[float | None] = []
    fits: list[str | None] = []
    breaks: list[PageBreak] = []
    for j, (f, fcells) in enumerate(zip(frags, placed, strict=True)):
        offset = len(rows)
        if j > 0 and n_rows[j] > n_head:
            breaks.append(PageBreak(last_row=offset - 1, first_row=offset + n_head))
        rows.extend(RawRow(index=offset + r, page=f.page, header=r < n_head, page_start=j > 0 and r == 0)
                    for r in range(n_rows[j]))
        cells.extend(c.model_copy(update={"row": c.row + offset}) for c in fcells)
        fits.extend(f.fits.get(i) for i in range(len(fcells)))
        rooms.extend(f.rooms.get(i) for i in range(len(fcells)))
    cells = rejoin_page_breaks(cells, rooms, breaks, header_rows={r.index for r in rows if r.header}, fits=fits)
    return RawTable(index=index, n_cols=len(ref) - 1, rows=rows, cells=cells,
                    paragraphs_before=paragraphs_before)


def group_is_candidate(frags: list[Fragment]) -> bool:
    """A ruled table (its fragments) that may be the 考评表 (see :func:`ruled_candidate`)."""
    rows = [[c.text for c in f.cells if c.row == r] for f in frags for r in range(len(f.ys) - 1)]
    return ruled_candidate(rows, max(len(f.xs) - 1 for f in frags))


def hidden_warning(layouts: list[PageLayout]) -> list[str]:
    """One line saying how many glyphs the PDF draws where nothing shows (clipped or off the page), and where:
    they were not read — a cell's text cut off at its edge is not on the printed page either."""
    pages = [(lay.number, len(lay.hidden)) for lay in layouts if lay.hidden]
    if not pages:
        return []
    where = ", ".join(f"{n} ({k})" for n, k in pages[:MAX_LISTED]) + (" …" if len(pages) > MAX_LISTED else "")
    return [f"{sum(k for _, k in pages)} glyphs drawn outside the visible page or their clipping area were not "
            f"read (text cut off at a cell's edge, or a merged cell drawn again past a page break); pages "
            f"(glyphs): {where}"]


def layouts_to_document(layouts: list[PageLayout], source: SourceInfo) -> RawDocument:
    paragraphs: list[RawParagraph] = []
    groups: list[tuple[int, list[Fragment]]] = []  # (paragraphs before, fragments)
    open_group: list[Fragment] | None = None
    pages = [layout_to_items(layout) for layout in layouts]
    running = running_lines(pages, [layout.height for layout in layouts])
    for layout, items in zip(layouts, pages, strict=True):
        for _top, item in items:
            if isinstance(item, TextLine):
                for text, box in item.pieces or ((item.text, item.bbox),):  # a line is whole for running heads
                    paragraphs.append(RawParagraph(index=len(paragraphs), text=text, page=layout.number, bbox=box))
                if open_group is not None and not is_marginal(item.text, running):
                    open_group = None
            elif open_group is not None and continues(open_group[-1], item):
                open_group.append(item)
            else:
                open_group = [item]
                groups.append((len(paragraphs), open_group))
    warnings = [f"page {layout.number}: PDF parser: {m}" for layout in layouts for m in layout.warnings]
    warnings += hidden_warning(layouts)
    if not any(group_is_candidate(frags) for _, frags in groups) and (
            borderless := borderless_tables([(lay.number, lay.chars) for lay in layouts],
                                            lambda text: is_marginal(text, running))):
        paragraphs, tables = borderless  # no ruled 考评表 (small boxes at most): a 三线表 or no rules
    else:
        tables = [fragments_to_table(frags, i, before, warnings) for i, (before, frags) in enumerate(groups)]
    source = source.model_copy(update={"pages": len(layouts)})
    return RawDocument(source=source, paragraphs=paragraphs, tables=tables, warnings=warnings)


def pdf_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    """Read a PDF: paragraphs line by line, ruled tables stitched across pages with spans.

    The parse runs under guard (extract/pdf_guard.py: a child process with memory, time and size limits,
    which also decides whether page workers pay); what follows is plain geometry in this process.
    """
    from kaoping.extract.pdf_guard import guarded_layouts
    from kaoping.schema.limits import current_limits

    layouts, undecoded = guarded_layouts(data, current_limits(), page_to_layout, exception_to_input_error)
    if not layouts:
        raise InputError("corrupt or truncated PDF: no pages")
    if not any(ch[0].strip() for layout in layouts for ch in layout.chars):
        if undecoded:  # the truth: the text may be there, but its streams cannot be read
            raise InputError(f"corrupt PDF: {undecoded} compressed stream(s) cannot be decoded, so no text "
                             "could be read")
        from kaoping.extract.ocr import scanned_pdf_to_raw  # a scan: read the page images by OCR

        return scanned_pdf_to_raw(data, source, layouts_to_document, PageLayout)
    doc = layouts_to_document(layouts, source)
    if undecoded:
        doc.warnings.append(f"PDF parser: {undecoded} compressed stream(s) could not be decoded; "
                            "text on those pages may be missing")
    log.debug("pdf: %d pages, %d paragraphs, %d tables", len(layouts), len(doc.paragraphs), len(doc.tables))
    return doc
