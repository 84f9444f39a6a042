"""One PDF page parsed by pdfminer and kept only as far as kaoping reads it.

pdfplumber's ``Page.chars`` makes a pdfminer ``LTChar`` object per glyph and then a dict of all its
resolved attributes (font, colours, marked-content tag, matrix …): on the 13-page sample those two steps
are ~28 % of a page's parse (cProfile: ``process_object`` 0.47 s and ``LTChar`` 0.09 s of 2.12 s), and the
reader needs six values per glyph. Here pdfminer's interpreter renders the page into a device that keeps
each glyph as a :data:`Char` tuple — with ``LTChar``'s own box arithmetic, so the numbers are the same
(tests/test_pdf.py compares them with ``page.chars`` on every fixture PDF) — and only the objects that
carry ruling lines (rects, lines, curves) become dicts, with the coordinates pdfplumber computes. They are
handed to the page as its ``objects``, so ``find_tables()`` is pdfplumber's own table finder on the same
edges as before.

Glyphs drawn where the page shows nothing are not read: outside the page's CropBox, or outside the clipping
rectangle in force when they are drawn. A spreadsheet printer (LibreOffice Calc) draws a merged cell that
goes on over a page break on every page it covers, at the cell's full height, clipped to the part on that
page: the text of a cell begun on page 3 is drawn again above the top margin of page 4 (and at negative
heights on later pages), invisible there. The clip kept is the bounding box of the clipping path (``W``),
intersected with the one before and restored by ``Q`` — rectangles are what printers clip cells with.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kaoping.extract.pdf_text import Char
from pdfminer.converter import PDFPageAggregator
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_rect
from pdfplumber.table import merge_edges

EDGE_KINDS = {"LTRect": "rect", "LTLine": "line", "LTCurve": "curve"}  # pdfplumber's names for them
Glyph = tuple[str, float, float, float, float, float]  # text, x0, y0, x1, y1 (pdfminer's frame), size


class GlyphDevice(PDFPageAggregator):
    """pdfminer's page aggregator with glyphs kept as tuples, in the order they are drawn (which is the
    order pdfplumber lists them: depth first through Form XObjects)."""

    def __init__(self, rsrcmgr: Any, pageno: int) -> None:
        super().__init__(rsrcmgr, pageno=pageno, laparams=None)
        self.glyphs: list[Glyph] = []
        self.clip: Rect | None = None  # set by ClipInterpreter: where the page shows what is drawn
        self.hidden: list[Glyph] = []  # drawn where the page shows nothing: not read as text (see pdf.py)

    def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
                    ncs: Any, graphicstate: Any) -> float:
        """pdfminer's ``render_char`` and ``LTChar.__init__`` box, without the object."""
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        adv = font.char_width(cid) * fontsize * scaling
        vertical = font.is_vertical()
        if vertical:
            vx, vy = font.char_disp(cid)
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            box = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            box = (0, descent + rise, adv, descent + rise + fontsize)
        x0, y0, x1, y1 = apply_matrix_rect(matrix, box)
        x0, x1 = (x1, x0) if x1 < x0 else (x0, x1)
        y0, y1 = (y1, y0) if y1 < y0 else (y0, y1)
        glyph = (text, x0, y0, x1, y1, x1 - x0 if vertical else y1 - y0)
        if shown(self.clip, (x0 + x1) / 2, (y0 + y1) / 2):
            self.glyphs.append(glyph)
        elif not text.isspace():
            self.hidden.append(glyph)
        return adv


Rect = tuple[float, float, float, float]
EDGE_TOL = 0.25  # points: a centre this near a clip's edge is on it (Calc's page parts disagree by ~0.06 pt)


def shown(clip: Rect | None, x: float, y: float) -> bool:
    """A glyph centred at (x, y) is visible inside ``clip`` (None: nothing clips). By its centre: a line a page
    break cuts through (a merged cell's text drawn on both pages, clipped to each) is read once, on the page
    that shows the larger part of it; a line the break halves (its centre within EDGE_TOL of both clips' edges —
    Calc's positions are rounded to twips) is read on the page above, where it is at its clip's lower edge."""
    return clip is None or (clip[0] - EDGE_TOL <= x < clip[2] - EDGE_TOL and clip[1] - EDGE_TOL <= y < clip[3] - EDGE_TOL)


def intersect(a: Rect | None, b: Rect) -> Rect:
    if a is None:
        return b
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


class ClipInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter keeping the clipping rectangle in device space (pdfminer ignores ``W``), shared
    with the device, which drops glyphs drawn outside it."""

    inherited_clip: Rect | None = None

    def dup(self) -> ClipInterpreter:
        twin = super().dup()
        twin.inherited_clip = self.clip  # type: ignore[attr-defined]  # a Form XObject draws inside our clip
        return twin  # type: ignore[return-value]

    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        self.clips: list[Rect | None] = []
        self.set_clip(self.inherited_clip)

    def set_clip(self, clip: Rect | None) -> None:
        self.clip = clip
        self.device.clip = clip  # type: ignore[attr-defined]

    def process_page(self, page: Any) -> None:
        self.inherited_clip = apply_matrix_rect(_page_ctm(page.rotate, page.mediabox), tuple(page.cropbox))
        super().process_page(page)

    def do_q(self) -> None:
        super().do_q()
        self.clips.append(self.clip)

    def do_Q(self) -> None:
        super().do_Q()
        if self.clips:
            self.set_clip(self.clips.pop())

    def do_Do(self, xobjid_arg: Any) -> None:
        super().do_Do(xobjid_arg)
        self.set_clip(self.clip)  # the form's own interpreter moved the device's clip

    def do_W(self) -> None:
        coords = [(seg[k], seg[k + 1]) for seg in self.curpath for k in range(1, len(seg) - 1, 2)]
        if coords:
            xs, ys = [float(x) for x, _ in coords], [float(y) for _, y in coords]
            self.set_clip(intersect(self.clip, apply_matrix_rect(self.ctm, (min(xs), min(ys), max(xs), max(ys)))))

    do_W_a = do_W


def _page_ctm(rotate: int, mediabox: Any) -> tuple[float, float, float, float, float, float]:
    """The matrix pdfminer's ``process_page`` starts the page with (its rotation and MediaBox offset)."""
    x0, y0, x1, y1 = mediabox
    return {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
            270: (0, 1, -1, 0, y1, -x0)}.get(rotate, (1, 0, 0, 1, -x0, -y0))


def walk(objs: list[Any]) -> Iterator[Any]:
    """Leaf objects in document order; containers (Form XObjects) are entered, as pdfplumber does
    when no layout analysis is asked for."""
    for obj in objs:
        children = getattr(obj, "_objs", None)
        if children is not None:
            yield from walk(children)
        else:
            yield obj


class PageFrame:
    """pdfplumber's coordinate change for one page: pdfminer's y runs up from the MediaBox; kaoping's
    (pdfplumber's) ``top`` runs down from the page's top edge."""

    def __init__(self, page: Any) -> None:
        self.height = page.height  # not cast: pdfplumber keeps integer coordinates integers
        self.x0, self.top = page.mediabox[0], page.mediabox[1]
        self.doctop = page.initial_doctop

    def char(self, glyph: Glyph) -> Char:
        text, x0, y0, x1, y1, size = glyph
        return (text, float(x0 + self.x0), float(x1 + self.x0), float(self.height - y1 + self.top),
                float(self.height - y0 + self.top), float(size))

    def edge_object(self, obj: Any, kind: str) -> dict[str, Any]:
        top = self.height - obj.y1 + self.top
        found = {"object_type": kind, "x0": obj.x0 + self.x0, "x1": obj.x1 + self.x0, "y0": obj.y0,
                 "y1": obj.y1, "top": top, "bottom": self.height - obj.y0 + self.top,
                 "doctop": self.doctop + top, "width": obj.width, "height": obj.height}
        if kind == "curve":
            found["pts"] = [(self.x0 + x, self.top + self.height - y) for x, y in obj.pts]
        return found


def render(page: Any) -> GlyphDevice:
    """Run pdfminer's interpreter over one pdfplumber page (what ``page.layout`` does, with our device)."""
    device = GlyphDevice(page.pdf.rsrcmgr, page.page_number)
    ClipInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    return device


def page_to_objects(page: Any) -> tuple[list[Char], dict[str, list[dict[str, Any]]], list[Char]]:
    """(glyphs, pdfplumber-shaped rect/line/curve objects, glyphs not shown) of a pdfplumber page, parsed once."""
    device = render(page)
    frame = PageFrame(page)
    objects: dict[str, list[dict[str, Any]]] = {}
    for obj in walk(device.get_result()._objs):
        if (kind := EDGE_KINDS.get(type(obj).__name__)) is not None:
            objects.setdefault(kind, []).append(frame.edge_object(obj, kind))
    return [frame.char(g) for g in device.glyphs], objects, [frame.char(g) for g in device.hidden]


MIN_RULE = 10.0  # points: a rule shorter than this is a glyph stroke, a tick or the cap of a rule drawn as a thin box
MIN_COLUMNS = 3  # vertical rules ending at one height: the sides of a row of at least two cells
END_TOL = 1.5  # points: rule ends this close are one height (pdfplumber's own snap is 3)
# a cell's edge is ruled when rules cover this much of it: Chromium draws each cell's own piece (100 % less
# the joins, ~1 pt of 45–200 pt); an open edge has 0 % — 0.9 sits between with room for a rule drawn short
RULED_SHARE = 0.9


def open_row_ends(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal rules a page break left out, as pdfplumber line objects.

    A browser (Chromium's print) cuts a table row at the page edge without drawing its border there: the
    column rules of the cut row simply stop, the cells are open, and pdfplumber's finder, which needs
    closed cells, finds no table on a page the row fills. Where at least MIN_COLUMNS vertical rules end at
    one height (the edge of a row) and the edge between any two of them is open, the missing rule is put
    back across all of them: a cut row leaves every stretch open, and a merged cell that goes on over the
    break (category, 一级指标 beside a row that ended just above the break) leaves its own stretch of the
    edge open — one open cell is enough to lose its text from the page's table (:func:`edge_is_ruled`).
    A ruled table (every stretch covered) gets nothing."""
    # a rule drawn in pieces (one per row, as Chromium draws a row-spanning cell's sides) is one rule: the
    # joins between its pieces are not ends; pdfplumber's own snap and join tolerances (3 points)
    joined = merge_edges([e for e in edges if e["orientation"] == "v"], 3, 3, 3, 3)
    verticals = [e for e in joined if e["height"] >= MIN_RULE]
    horizontals = [e for e in edges if e["orientation"] == "h" and e["width"] >= MIN_RULE]  # not a rule's own cap
    added: list[dict[str, Any]] = []
    for end in ("top", "bottom"):
        for group in ends_to_groups(verticals, end):
            y = sorted(e[end] for e in group)[len(group) // 2]
            crossing = [e["x0"] for e in verticals if e["top"] < y - END_TOL and e["bottom"] > y + END_TOL]
            if edge_is_ruled([e["x0"] for e in group], crossing,
                             [h for h in horizontals if abs(h["top"] - y) <= 2 * END_TOL]):
                continue
            x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)  # the whole row: its rules all end here
            added.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0,
                          "height": 0.0, "doctop": y})
    return added


def edge_is_ruled(ends: list[float], crossing: list[float], rules: list[dict[str, Any]]) -> bool:
    """Every cell edge along this height has a horizontal rule (rules cover RULED_SHARE of it). A cell edge is
    the stretch between two neighbouring vertical rules that both end here (``ends``); a stretch beside a rule
    that runs on through this height (``crossing``) is inside a taller cell (a header label over two rows),
    not an edge. A merged cell that goes on over the break has its sides met by its neighbours' borders and
    only its own stretch open, so the stretches are checked, not the rule ends."""
    xs = sorted([(x, True) for x in ends] + [(x, False) for x in crossing])
    for (a, a_ends), (b, b_ends) in zip(xs, xs[1:], strict=False):
        if not (a_ends and b_ends) or b - a <= 2 * END_TOL:
            continue  # beside a taller cell, or one rule drawn twice (a doubled border)
        if covered_length(a, b, rules) < RULED_SHARE * (b - a):
            return False
    return True


def covered_length(a: float, b: float, rules: list[dict[str, Any]]) -> float:
    """How much of a..b the rules cover, overlaps counted once (a border drawn twice is not twice as long)."""
    pieces = sorted((max(a, h["x0"]), min(b, h["x1"])) for h in rules if h["x1"] > a and h["x0"] < b)
    total, reach = 0.0, a
    for lo, hi in pieces:
        total += max(0.0, hi - max(lo, reach))
        reach = max(reach, hi)
    return total


def ends_to_groups(verticals: list[dict[str, Any]], end: str) -> list[list[dict[str, Any]]]:
    """Vertical rules grouped by where their ``end`` ("top" or "bottom") lies; groups of MIN_COLUMNS or more."""
    groups: list[list[dict[str, Any]]] = []
    for e in sorted(verticals, key=lambda e: e[end]):
        if groups and e[end] - groups[-1][-1][end] <= END_TOL:
            groups[-1].append(e)
        else:
            groups.append([e])
    return [g for g in groups if len({round(e["x0"]) for e in g}) >= MIN_COLUMNS]
