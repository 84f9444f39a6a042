"""Which way up a scanned page is: quarter and half turns found before the page is read.

A 考评表 is printed landscape and scanned, often enough, on a portrait feeder: the page image then lies
turned a quarter, its text lines standing upright; a sheet fed the wrong way round is upside down. The
text detector runs once on a small copy of the page: when most line boxes stand upright the page is
turned a quarter one way or the other, else it is upright or upside down. The longest few lines are then
recognised each way the page could be turned, and the page is turned the way whose reading is surer —
reading, not a guess from the layout, decides. An upright page costs one detection on the small copy and
three line recognitions (~0.4 s of CPU against ~7 s for reading the page).
"""

from __future__ import annotations

from typing import Any

from kaoping.extract.ocr_engine import engine

ORIENT_SIDE = 1024  # px: long side of the copy the detector sees (PaddleOCR's own detector default is 960;
#                     a 9 pt line of a 200 dpi A4 scan is still ~11 px high there)
ELONGATED = 2.0  # a line box this many times longer than it is thick is a text line, not a lone glyph
MIN_LINES = 6  # fewer text lines than this (a blank or picture page) are no evidence: the page is left as it is
SAMPLES = 3  # the longest lines recognised. On the test scans a line read the right way up scores 0.98-0.99,
#              the wrong way 0.0: three lines decide as surely as six (measured) for 0.15 s less CPU
SURE = 0.8  # a reading this sure settles it: the other way is not tried


def quarter_turns(gray: Any) -> int:
    """How many times to turn the page a quarter counter-clockwise (``numpy.rot90``'s ``k``) to set its
    text upright: 0, 1, 2 or 3."""
    boxes, scale = line_boxes(gray)
    wide = [b for b in boxes if b[2] - b[0] >= ELONGATED * (b[3] - b[1])]
    tall = [b for b in boxes if b[3] - b[1] >= ELONGATED * (b[2] - b[0])]
    if max(len(wide), len(tall)) < MIN_LINES:
        return 0
    upright = len(tall) <= len(wide)
    lines = sorted(wide if upright else tall, key=lambda b: -max(b[2] - b[0], b[3] - b[1]))[:SAMPLES]
    crops = [full_size_crop(gray, b, scale) for b in lines]
    likely, other = (0, 2) if upright else (1, 3)  # a quarter turn clockwise is how a feeder turns a page
    first = reading_score(crops, likely)
    if first >= SURE:
        return likely
    return other if reading_score(crops, other) > first else likely


def line_boxes(gray: Any) -> tuple[list[tuple[float, float, float, float]], float]:
    """The detector's line boxes (x0, y0, x1, y1) on a copy of the page ORIENT_SIDE px long, and its scale."""
    import cv2
    import numpy as np

    scale = min(1.0, ORIENT_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    found, _ = engine()(np.stack([small] * 3, axis=-1), use_det=True, use_cls=False, use_rec=False)
    boxes = []
    for quad in found or []:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        boxes.append((float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys))))
    return boxes, scale


def full_size_crop(gray: Any, box: tuple[float, float, float, float], scale: float) -> Any:
    h, w = gray.shape
    x0, y0, x1, y1 = (int(v / scale) for v in box)
    return gray[max(0, y0):min(h, y1), max(0, x0):min(w, x1)]


def reading_score(crops: list[Any], k: int) -> float:
    """Mean recognition score of the crops turned ``k`` quarters (an unreadable crop scores 0)."""
    import numpy as np

    scores = []
    for crop in crops:
        turned = np.ascontiguousarray(np.rot90(crop, k))
        result, _ = engine()(np.stack([turned] * 3, axis=-1), use_det=False, use_cls=False)
        scores.append(max((float(r[1]) for r in result or [] if r and r[0]), default=0.0))
    return sum(scores) / len(scores) if scores else 0.0


def unturn_point(x: float, y: float, k: int, width: int, height: int) -> tuple[float, float]:
    """A point of the page turned ``k`` quarters back in the pixels of the page as scanned (``width`` ×
    ``height``): ``numpy.rot90`` takes (x, y) to (y, W - x) per counter-clockwise quarter, W the width of
    the image it turns — the scan's width before an odd number of quarters, its height before an even one."""
    for done in range(k % 4, 0, -1):  # undo the last quarter first
        w = width if (done - 1) % 2 == 0 else height
        x, y = w - y, x
    return x, y
