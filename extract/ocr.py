"""Scanned pages -> RawDocument: the same document the PDF reader builds, from page images.

Each page: deskew → ruling lines and cell boxes (:mod:`ocr_rules`) → rules erased → OCR glyphs with
their confidence (:mod:`ocr_engine`). The glyphs and cell boxes are then handed, in PDF points, to the
PDF reader's own page → document chain (:func:`kaoping.extract.pdf.layouts_to_document`): glyphs are
dealt to cells by their centre, the lines of a cell are joined with the same soft-wrap rules, fragments
are stitched across pages and repeated headers marked, the text outside the tables becomes paragraphs.
Afterwards every cell and paragraph gets the confidence of its weakest glyph and its box in the pixels
of the page as scanned (before the skew was removed).

Pages are independent, so they run in parallel processes when cores are free; a progress bar shows on a
terminal. The output does not depend on the number of workers (see :mod:`ocr_engine`).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from kaoping.extract.ocr_engine import Glyph, glyph_width, recognise, recognise_crop, require_ocr
from kaoping.extract.ocr_orient import quarter_turns, unturn_point
from kaoping.extract.ocr_rules import binarise, deskew, page_to_tables
from kaoping.extract.ocr_unread import read_unread
from kaoping.schema.errors import InputError
from kaoping.schema.raw import BBox, RawDocument, SourceInfo

log = logging.getLogger(__name__)

#: image-only PDF pages are rendered at the scan's own resolution within these bounds. Measured on the
#: 200 dpi test scan (pages 4–5, 2012 characters): 150 dpi 3.5% character errors at 6.0 s/page CPU,
#: 200 dpi 3.5% at 7.6 s, 300 dpi 3.4% at 13.2 s — above 200 dpi the recogniser (which scales every text
#: line to 48 px) gains nothing for 1.7× the time; below 150 dpi a 9 pt glyph is under 19 px high
RENDER_DPI = (150.0, 200.0)
FULL_PAGE = 0.9  # an image covering 90% of the page is the page's scan (scanners leave no wider margin)
A4_LONG_INCHES = 11.69  # an image without a resolution is taken as an A4 page (GB/T 9704 notices are A4)
PLAUSIBLE_DPI = (72, 1200)  # a resolution tag outside this is a placeholder, not the scanner's
#: the year of a document number is printed in 〔〕 (GB/T 9704); the recogniser reads those thin hexagonal
#: brackets as square ones at low confidence, and a square bracket never encloses a bare year in a notice;
#: at 150-200 dpi it also reads one of the pair as ） or ] (〔2022）2号, 〔2022]5号), and no print mixes two pairs
YEAR_BRACKETS = re.compile(r"[\[［【〔]\s*((?:19|20)\d\d)\s*[\]］】〕)）]|[\[［【(（]\s*((?:19|20)\d\d)\s*〕")
#: glyphs left out of a cell's confidence: the square brackets that repair_text turns back into 〔〕 come at
#: 0.5–0.7 however clean the scan, and would mark every cell that cites a document number
SQUARE_BRACKETS = set("[]［］【】")
CELL_MARGIN = 5  # pixels: the edge of a cell box left out when looking for ink (remains of an erased rule)
MIN_INK = 30  # pixels: a printed "1" at 150 dpi is ~20×2 px of ink; what survives binarising noise is specks
BLANK_INK = 1e-4  # share of pixels darker than mid-grey below which a page is blank: one line of 9 pt
#                   text on an A4 page at 150 dpi is already ~0.1%, scanner noise never gets that dark
NO_TEXT = "no text found: no text layer, and OCR read nothing on any page (blank or unreadable scan?)"
ERASE_GROW = 3  # pixels: rules are erased a little wider than detected, blur leaves a grey fringe


@dataclass
class OcrPage:
    number: int
    width: int
    height: int
    dpi: float
    skew: float
    glyphs: list[Glyph]
    tables: list[list[BBox]]
    turns: int = 0  # quarter turns (counter-clockwise) that set the scan upright (ocr_orient)
    scan_size: tuple[int, int] = (0, 0)  # width, height of the page as scanned, before those turns


# ---------------------------------------------------------------- one page


def erase_rules(gray: Any, rules: Any) -> Any:
    """White out the ruling lines so the text detector never runs a text line across a cell border."""
    import cv2

    grown = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (ERASE_GROW, ERASE_GROW)))
    out = gray.copy()
    out[grown > 0] = 255
    return out


def drop_doubles(glyphs: list[Glyph]) -> list[Glyph]:
    """One printed character read twice (two overlapping detections, or the recogniser repeating itself):
    the same text on the same line with centres under half its width apart is one glyph; the surer one
    stays. A character printed twice in a row ("常常", "11") is a whole glyph width apart."""
    by_text: dict[str, list[int]] = {}
    for i, g in enumerate(glyphs):
        by_text.setdefault(g.text, []).append(i)
    drop: set[int] = set()
    for same in by_text.values():
        for a, b in _pairs(same, glyphs):
            ga, gb = glyphs[a], glyphs[b]
            if a in drop or b in drop:
                continue
            cy_a, cy_b = (ga.top + ga.bottom) / 2, (gb.top + gb.bottom) / 2
            near = glyph_width(ga.text, ga.size) / 2  # half a glyph: "11" printed is a whole digit apart
            if abs(cy_a - cy_b) < ga.size / 2 and abs((ga.x0 + ga.x1) / 2 - (gb.x0 + gb.x1) / 2) < near:
                drop.add(b if gb.confidence <= ga.confidence else a)
    return [g for i, g in enumerate(glyphs) if i not in drop]


def _pairs(indices: list[int], glyphs: list[Glyph]) -> list[tuple[int, int]]:
    """Pairs of same-text glyphs near each other: sorted by position, each with the next few."""
    order = sorted(indices, key=lambda i: (glyphs[i].top, glyphs[i].x0))
    return [(a, b) for k, a in enumerate(order) for b in order[k + 1:k + 4]]


def fill_empty_cell(clean: Any, ink: Any, box: BBox, glyphs: list[Glyph]) -> list[Glyph]:
    """A cell with ink but no glyph (the detector skips a lone narrow digit such as a weight's "1"):
    recognise the ink's own box alone."""
    if any(box[0] <= (g.x0 + g.x1) / 2 <= box[2] and box[1] <= (g.top + g.bottom) / 2 <= box[3] for g in glyphs):
        return []
    m = CELL_MARGIN
    x0, y0, x1, y1 = int(box[0]) + m, int(box[1]) + m, int(box[2]) - m, int(box[3]) - m
    if x1 <= x0 or y1 <= y0:
        return []
    ys, xs = (ink[y0:y1, x0:x1] > 0).nonzero()
    if len(xs) < MIN_INK:
        return []
    h, w = ink.shape
    pad = 2 * m
    crop = (max(0, x0 + int(xs.min()) - pad), max(0, y0 + int(ys.min()) - pad),
            min(w, x0 + int(xs.max()) + pad), min(h, y0 + int(ys.max()) + pad))
    return recognise_crop(clean, crop)


def image_to_page(gray: Any, number: int, dpi: float) -> OcrPage:
    import numpy as np

    scan_size = (int(gray.shape[1]), int(gray.shape[0]))
    if (gray < 128).mean() < BLANK_INK:  # a blank page (or one with a few specks): nothing to read
        return OcrPage(number, *scan_size, dpi, 0.0, [], [], 0, scan_size)
    turns = quarter_turns(gray)
    if turns:
        gray = np.ascontiguousarray(np.rot90(gray, turns))
    level, skew = deskew(gray)
    tables, rules = page_to_tables(level)
    clean = erase_rules(level, rules)
    ink = binarise(clean)
    glyphs = recognise(clean, ink)
    glyphs = drop_doubles(glyphs)
    glyphs += [g for boxes in tables for box in boxes for g in fill_empty_cell(clean, ink, box, glyphs)]
    glyphs += read_unread(clean, ink, glyphs)  # lone figures the detector skipped, with or without cells
    return OcrPage(number, int(gray.shape[1]), int(gray.shape[0]), dpi, skew, glyphs, tables, turns, scan_size)


# ---------------------------------------------------------------- many pages, in parallel

_PAGES: list[tuple[Any, float]] = []  # the page images, set before forking so workers inherit them


def _work(i: int) -> OcrPage:
    gray, dpi = _PAGES[i]
    return image_to_page(gray, i + 1, dpi)


def ocr_workers(n_pages: int) -> int:
    """Processes for OCR: one per core that is not busy, never more than pages.

    ``KAOPING_OCR_WORKERS`` overrides; a process that is itself a worker (``kaoping ingest``) reads alone.
    """
    env = os.environ.get("KAOPING_OCR_WORKERS", "")
    if env.isdigit():
        return max(1, min(int(env), n_pages))
    if multiprocessing.parent_process() is not None or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    busy = int(os.getloadavg()[0]) if hasattr(os, "getloadavg") else 0
    return max(1, min(cores - busy, n_pages))


def progress(total: int) -> tuple[Callable[[], None], Callable[[], None]]:
    """(advance, close) of a per-page progress bar on stderr; both do nothing when stderr is no terminal."""
    if total < 2 or not sys.stderr.isatty():
        return (lambda: None), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("OCR"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task("pages", total=total)
    bar.start()
    return (lambda: bar.advance(task)), bar.stop


def images_to_pages(images: Sequence[tuple[Any, float]]) -> list[OcrPage]:
    """OCR every (greyscale page, dpi); pages come back in page order whatever finished first."""
    require_ocr()
    global _PAGES
    _PAGES = list(images)
    workers = ocr_workers(len(_PAGES))
    advance, close = progress(len(_PAGES))
    pages: list[OcrPage] = []
    try:
        if workers == 1:
            for i in range(len(_PAGES)):
                pages.append(_work(i))
                advance()
        else:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                for future in as_completed([pool.submit(_work, i) for i in range(len(_PAGES))]):
                    pages.append(future.result())
                    advance()
    finally:
        close()
        _PAGES = []
    log.debug("ocr: %d pages with %d workers", len(pages), workers)
    return sorted(pages, key=lambda p: p.number)


# ---------------------------------------------------------------- pages -> document


def page_to_layout(page: OcrPage, layout: Callable[..., Any]) -> Any:
    """An OCR'd page in the PDF reader's terms (its ``PageLayout``): glyphs and cell boxes in points."""
    s = 72.0 / page.dpi
    # a glyph's size is its line box's height: never below one pixel (a degenerate box of no height)
    chars = [(g.text, g.x0 * s, g.x1 * s, g.top * s, g.bottom * s, max(g.size, 1.0) * s) for g in page.glyphs]
    tables = [[(b[0] * s, b[1] * s, b[2] * s, b[3] * s) for b in boxes] for boxes in page.tables]
    return layout(page.number, page.height * s, chars, tables)


def weakest(page: OcrPage, box_pt: BBox) -> float | None:
    """Confidence of the weakest glyph whose centre lies in ``box_pt`` (points), None when none does."""
    s = 72.0 / page.dpi
    scores = [g.confidence for g in page.glyphs if g.text not in SQUARE_BRACKETS
              and box_pt[0] <= (g.x0 + g.x1) / 2 * s <= box_pt[2] and box_pt[1] <= (g.top + g.bottom) / 2 * s <= box_pt[3]]
    return min(scores) if scores else None


def to_pixels(box: BBox, page: OcrPage) -> BBox:
    """A box in points on the levelled page -> the box it covers in the pixels of the page as scanned
    (the skew rotation undone about the page centre, then any quarter turns; a tilted box is given by its
    bounding box)."""
    k = page.dpi / 72.0
    cx, cy = page.width / 2, page.height / 2
    a = math.radians(page.skew)
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x * k - cx, y * k - cy
        px, py = unturn_point(cx + math.cos(a) * dx - math.sin(a) * dy, cy + math.sin(a) * dx + math.cos(a) * dy,
                              page.turns, *page.scan_size)
        xs.append(px)
        ys.append(py)
    return (round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1))


def repair_text(text: str) -> str:
    return YEAR_BRACKETS.sub(lambda m: f"〔{m[1] or m[2]}〕", text)


def attach_ocr_facts(doc: RawDocument, pages: list[OcrPage]) -> RawDocument:
    """Confidence of every cell and paragraph, boxes back in page pixels, the source marked as OCR."""
    by_number = {p.number: p for p in pages}
    for table in doc.tables:
        for cell in table.cells:
            page = by_number.get(cell.page or 0)
            if page is not None and cell.bbox is not None:
                cell.confidence = weakest(page, cell.bbox) if cell.text else None
                cell.text = repair_text(cell.text)
                cell.bbox = to_pixels(cell.bbox, page)
    for para in doc.paragraphs:
        page = by_number.get(para.page or 0)
        if page is not None and para.bbox is not None:
            para.confidence = weakest(page, para.bbox)
            para.text = repair_text(para.text)
            para.bbox = to_pixels(para.bbox, page)
    for page in pages:
        if page.skew:
            log.debug("page %d: skew %.2f° removed", page.number, page.skew)
        if page.turns:  # worth a look: the reading decided which way up the page is
            doc.warnings.append(f"page {page.number}: scanned turned {90 * page.turns}° clockwise; read after "
                                "turning it upright (boxes are given in the pixels as scanned)")
    doc.source = doc.source.model_copy(update={"ocr": True, "pages": len(pages)})
    return doc


def images_to_raw(images: Sequence[tuple[Any, float]], source: SourceInfo, assemble: Callable[..., RawDocument],
                  layout: Callable[..., Any]) -> RawDocument:
    """Greyscale page images with their resolution -> the raw document, read by OCR.

    ``assemble`` and ``layout`` are the PDF reader's ``layouts_to_document`` and ``PageLayout``, passed in by
    the caller so that this module and the PDF reader do not import each other."""
    pages = images_to_pages(images)
    if not any(p.glyphs for p in pages):
        raise InputError(NO_TEXT)
    doc = assemble([page_to_layout(p, layout) for p in pages], source)
    return attach_ocr_facts(doc, pages)


# ---------------------------------------------------------------- image-only PDF


def page_scan(page: Any) -> tuple[Any, float] | None:
    """The page's own scan when one image covers it (≥ 90% of its area): its pixels as stored, greyscale,
    and their resolution; None for anything else (then the page is rendered)."""
    import numpy as np
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) < FULL_PAGE * width * height:
            continue
        bitmap = obj.get_bitmap(render=False)
        pixels = bitmap.to_numpy()
        if pixels.ndim == 3:  # BGR(x): to greyscale with the usual luma weights
            pixels = (pixels[:, :, 2] * 0.299 + pixels[:, :, 1] * 0.587 + pixels[:, :, 0] * 0.114).astype(np.uint8)
        dpi = round(pixels.shape[1] / ((right - left) / 72.0), 2)
        if 0.99 * RENDER_DPI[0] <= dpi <= 1.01 * RENDER_DPI[1] and abs(bitmap.width / bitmap.height - (right - left) / (top - bottom)) < 0.01:
            return np.ascontiguousarray(pixels), dpi
        return None
    return None


def page_image_dpi(page: Any) -> float | None:
    """Resolution of the largest image drawn on a PDF page (pixels per inch of its placed width)."""
    import pypdfium2.raw as pdfium_c

    best: tuple[int, float] | None = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, _bottom, right, _top = obj.get_bounds()
        px_w, px_h = obj.get_px_size()
        if right - left > 0 and (best is None or px_w * px_h > best[0]):
            best = (px_w * px_h, px_w / ((right - left) / 72.0))
    return best[1] if best else None


def render_dpi(native: float | None) -> float:
    """Render at the scan's own resolution, kept within RENDER_DPI."""
    return RENDER_DPI[1] if native is None else min(RENDER_DPI[1], max(RENDER_DPI[0], round(native)))


def scanned_pdf_to_raw(data: bytes, source: SourceInfo, assemble: Callable[..., RawDocument],
                       layout: Callable[..., Any]) -> RawDocument:
    """An image-only PDF: each page's scan (or the page rendered) read by OCR; see :func:`images_to_raw`.
    A PDF with neither text nor any image has nothing to read: it is not sent to OCR."""
    import pypdfium2 as pdfium

    require_ocr()
    try:
        pdf = pdfium.PdfDocument(data)
        try:
            images = pdf_page_images(pdf)
        finally:
            pdf.close()
    except pdfium.PdfiumError as exc:
        raise InputError(f"corrupt or truncated PDF: {' '.join(str(exc).split())[:120]}") from None
    if images is None:
        raise InputError(NO_TEXT)
    return images_to_raw(images, source, assemble, layout)


def pdf_page_images(pdf: Any) -> list[tuple[Any, float]] | None:
    """Greyscale image and dpi of every page; None when no page holds an image."""
    import numpy as np
    import pypdfium2.raw as pdfium_c

    if not any(next(iter(pdf[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)), None)
               for i in range(len(pdf))):
        return None
    images = []
    for i in range(len(pdf)):
        scan = page_scan(pdf[i])  # the stored pixels as they are: nothing resampled
        if scan is None:
            dpi = render_dpi(page_image_dpi(pdf[i]))
            gray = pdf[i].render(scale=dpi / 72.0, grayscale=True).to_numpy()
            scan = np.ascontiguousarray(gray.reshape(gray.shape[0], gray.shape[1], -1)[:, :, 0]), dpi
        images.append(scan)
    return images
