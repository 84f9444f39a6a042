"""Ink the text detector left unread, read alone: a lone narrow figure (a weight's 1 or 2 in its own column, a
序号 3.) is too small for PP-OCR's detector to box, on borderless pages as in ruled cells.

On a ruled page an empty cell with ink is re-read (``ocr.fill_empty_cell``); without rules there are no cells, so
the page's ink is looked at directly: every glyph's box (padded) is blanked out of the ink mask, what is left is
joined into word-sized blobs, and each blob the size of a short piece of text is recognised by itself. A blob
taller or wider than that (a stamp, a signature, a line the detector missed whole) is left alone, as are specks.
"""

from __future__ import annotations

from statistics import median
from typing import Any

from kaoping.extract.ocr_engine import Glyph, recognise_crop

GLYPH_PAD = 0.15  # ems around a read glyph's box that are its ink (antialiasing, a box cut tight on a stroke)
JOIN = 0.3  # ems: strokes this close side by side are one blob (1 . 5 of 1.5; 1 2 of 12)
MIN_HEIGHT, MAX_HEIGHT = 0.4, 1.6  # ems: a blob of text is a glyph high (a 1 is ~0.7 em; a stamp is 5+)
MAX_WIDTH = 3.0  # ems: a short piece of text (1.5, 12, 3.) — a longer one the detector does box
MIN_INK = 30  # pixels of ink (as ocr.MIN_INK: a printed 1 at 150 dpi is ~20x2 px; specks are fewer)
NEAR = 0.5  # ems: a blob this near a read glyph on its line is that glyph's ink (measured: 90% read 90%%)
CROP_PAD = 0.3  # ems of margin around a blob for the recogniser (it wants some white around the ink)
MAX_BLOBS = 200  # blobs a page may leave (each is one recognition, ~20 ms): a 考评表 page leaves its lone figures
# (0-2 a page measured on the sample's 200-dpi scans, ruled and not); a page with more is noise, read alone in seconds
SURE = 0.8  # a blob read alone is kept only this sure: a lone figure reads at 0.9+, noise far lower


def unread_blobs(ink: Any, glyphs: list[Glyph]) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of each text-sized blob of ink outside every read glyph's box."""
    import cv2
    import numpy as np

    em = median(g.size for g in glyphs)
    pad = GLYPH_PAD * em
    left = (ink > 0).astype(np.uint8)
    for g in glyphs:
        left[max(0, int(g.top - pad)):int(g.bottom + pad) + 1, max(0, int(g.x0 - pad)):int(g.x1 + pad) + 1] = 0
    joined = cv2.dilate(left, np.ones((1, max(1, int(JOIN * em))), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:n]:
        box = (int(x), int(y), int(x + w), int(y + h))
        if (MIN_HEIGHT * em <= h <= MAX_HEIGHT * em and w <= MAX_WIDTH * em
                and left[y:y + h, x:x + w].sum() >= MIN_INK and not beside_a_glyph(box, glyphs, em)):
            out.append(box)
    return out


def beside_a_glyph(box: tuple[int, int, int, int], glyphs: list[Glyph], em: float) -> bool:
    """The blob touches a read glyph on its line (within NEAR ems): the rest of that glyph's ink, its box cut
    short (the right half of a % read as % again), not a figure of its own — a lone weight sits in its own
    column, a gutter (1+ em) from any text."""
    x0, y0, x1, y1 = box
    return any(g.top < y1 and y0 < g.bottom and g.x0 - NEAR * em < x1 and x0 < g.x1 + NEAR * em for g in glyphs)


def read_unread(clean: Any, ink: Any, glyphs: list[Glyph]) -> list[Glyph]:
    """Glyphs read from the blobs the detector left (see the module docstring); none on a page without glyphs."""
    if not glyphs:
        return []
    em = median(g.size for g in glyphs)
    height, width = ink.shape
    blobs = unread_blobs(ink, glyphs)
    if len(blobs) > MAX_BLOBS:  # a page speckled all over (a bad scan, a halftone): bounded time, none read
        return []
    out: list[Glyph] = []
    for x0, y0, x1, y1 in blobs:
        m = int(CROP_PAD * em)
        crop = (max(0, x0 - m), max(0, y0 - m), min(width, x1 + m), min(height, y1 + m))
        out += [g for g in recognise_crop(clean, crop) if g.confidence >= SURE]
    return out


__all__ = ["read_unread", "unread_blobs"]
