"""Page geometry of a scan: skew, ruling lines, and the cell boxes of each ruled table.

A chain of small steps on a greyscale page (numpy, OpenCV):
binarise → estimate skew from the long horizontal rules (or, on a page without rules, from the text
rows) → rotate it away → horizontal / vertical openings give the rules → rules that touch form a table →
grid lines are the clustered rule positions → a slot merges with its neighbour where the rule between
them is missing → the merged slots are the cell boxes, in the shape pdfplumber gives the PDF reader.
"""

from __future__ import annotations

from typing import Any

from kaoping.schema.raw import BBox

MAX_SKEW = 3.0  # degrees: a feeder tilts a page by 0.5–2°; more than this is a rotated page, not skew
RULE_FRACTION = 40  # an opening kernel 1/40 of the page side keeps rules and drops text strokes (a CJK glyph
#                     at 200 dpi is ~30 px, a page side 1650–2340 px: kernels of 40–60 px)
MIN_TABLE_SIDE = 0.08  # a ruled region narrower or lower than 8% of the page is a box or a stamp, not a table
SIDE_RULE_WIDTH = 3  # a lone vertical rule is at most this many wander tolerances wide (+4 px of dilation)
# ... and runs at least half the table's height beside it: a merged column's side rules run the whole cut page
# (100 %), a margin note's box or a stamp's edge is far shorter
SIDE_RULE_SHARE = 0.5
SHORT_FRACTION = 120  # the short opening: 1/120 of the page side (15–28 px), under a 35-px narrow column
# of the page height: how far the parts of one cut table may end apart (17 px, 1.4 %, in a 150-dpi scan of a
# browser print, where the merged columns' rules run a row's padding past the rest)
SIDE_REACH = 0.03
SIDE_GAP = 0.1  # of the page width: how far beside the table such a rule may stand (a column; Chromium's ~50 pt
#                 columns are 0.06 of a landscape A4 page)
PRESENT = 0.6  # a rule counts as printed between two grid lines when 60% of that stretch has rule pixels
                # (noise and JPEG blur break a scanned rule into dashes; a missing rule has ~0%)


def binarise(gray: Any) -> Any:
    """Ink = 255: Otsu on a lightly blurred page (scanner noise would otherwise speckle the mask)."""
    import cv2

    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    _, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def rule_masks(ink: Any) -> tuple[Any, Any]:
    """Horizontal and vertical rules: openings with long thin kernels keep only long straight strokes."""
    import cv2

    h, w = ink.shape
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // RULE_FRACTION, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // RULE_FRACTION)))
    return horiz, vert


def short_rules(ink: Any) -> Any:
    """Horizontal rules as short as a narrow column's (a weight column 35 px wide at 150 dpi, shorter than the
    long opening's kernel): used only to tell whether a rule runs along a grid line the long rules found, where
    a text stroke never lies (text keeps its cell's padding off the rules)."""
    import cv2

    w = ink.shape[1]
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(8, w // SHORT_FRACTION), 1)))


def skew_from_rules(horiz: Any) -> float | None:
    """Median angle (degrees) of the long horizontal rule segments, or None when there are none."""
    import cv2
    import numpy as np

    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz)
    w = horiz.shape[1]
    angles = []
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_WIDTH] < w // 5:  # short pieces give a coarse angle
            continue
        ys, xs = np.nonzero(labels == i)
        slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
        angles.append(float(np.degrees(np.arctan(slope))))
    return float(np.median(angles)) if angles else None


def skew_from_text(ink: Any) -> float:
    """Angle at which the row profile of the ink is sharpest (text rows line up): coarse then fine search."""
    import cv2
    import numpy as np

    small = cv2.resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    h, w = small.shape

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        profile = cv2.warpAffine(small, m, (w, h)).sum(axis=1, dtype=np.float64)
        return float(np.var(profile))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5), key=sharpness)
    return float(max(np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1), key=sharpness))


def deskew(gray: Any) -> tuple[Any, float]:
    """The page rotated level, and the skew (degrees) that was removed. Skew beyond MAX_SKEW is left alone."""
    import cv2

    ink = binarise(gray)
    horiz, _ = rule_masks(ink)
    angle = skew_from_rules(horiz)
    if angle is None:
        angle = skew_from_text(ink)  # the rotation at which the rows line up is the one that levels the page
    if abs(angle) < 0.05 or abs(angle) > MAX_SKEW:  # below 0.05° a rotation only blurs
        return gray, 0.0
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    level = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    return level, angle


# ---------------------------------------------------------------- rules -> grids -> cells


def positions(mask: Any, axis: int, lo: int, hi: int, tol: int, min_run: int) -> list[float]:
    """Centres of the rules in ``mask`` within [lo, hi) along ``axis`` (0: rows of a horizontal mask);
    a row (column) holds a rule when at least ``min_run`` pixels of it are rule pixels."""
    import numpy as np

    band = mask[lo:hi, :] if axis == 0 else mask[:, lo:hi]
    profile = (band > 0).sum(axis=1 - axis)
    hits = np.nonzero(profile >= min_run)[0]
    out: list[list[int]] = []
    for v in hits:
        if out and v - out[-1][-1] <= tol:
            out[-1].append(int(v))
        else:
            out.append([int(v)])
    return [lo + (run[0] + run[-1]) / 2 for run in out]


def coverage(mask: Any, fixed: float, a: float, b: float, horizontal: bool, tol: int) -> float:
    """Share of the stretch a..b on the rule at ``fixed`` that has rule pixels (within ±tol)."""
    f, lo, hi = int(round(fixed)), int(round(a)), int(round(b))
    if hi <= lo:
        return 0.0
    band = mask[max(0, f - tol): f + tol + 1, lo:hi] if horizontal else mask[lo:hi, max(0, f - tol): f + tol + 1]
    return float((band.max(axis=0 if horizontal else 1) > 0).mean())


def spanning(lines: list[float], across: list[float], mask: Any, horizontal: bool, tol: int) -> list[float]:
    """The grid lines that are rules across at least one whole slot between two crossing lines. A rule
    runs from one crossing rule to the next; a text stroke as long as the opening's kernel (a 45-px run of
    城/建 strokes in a 150-dpi scan's 236-px column) lies inside a cell and covers a fraction of it."""
    return [v for v in lines
            if any(coverage(mask, v, a, b, horizontal, tol) >= PRESENT for a, b in zip(across, across[1:], strict=False))]


def grid_to_boxes(xs: list[float], ys: list[float], horiz: Any, vert: Any, tol: int) -> list[BBox]:
    """Slots of the grid merged where the rule between them is missing; one box per merged cell."""
    parent = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}

    def root(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            k = parent[k]
        return k

    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            inset_y, inset_x = tol * 2, tol * 2  # ignore the corners, where crossing rules fill the band
            if c + 1 < len(xs) - 1 and coverage(vert, xs[c + 1], ys[r] + inset_y, ys[r + 1] - inset_y, False, tol) < PRESENT:
                parent[root((r, c + 1))] = root((r, c))
            if r + 1 < len(ys) - 1 and coverage(horiz, ys[r + 1], xs[c] + inset_x, xs[c + 1] - inset_x, True, tol) < PRESENT:
                parent[root((r + 1, c))] = root((r, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k in parent:
        groups.setdefault(root(k), []).append(k)
    boxes = []
    for slots in groups.values():
        r0, r1 = min(r for r, _ in slots), max(r for r, _ in slots) + 1
        c0, c1 = min(c for _, c in slots), max(c for _, c in slots) + 1
        boxes.append((xs[c0], ys[r0], xs[c1], ys[r1]))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def wander(width: int) -> int:
    """Pixels a scanned rule's centre wanders: a rule is 2–4 px thick at 200 dpi (±3 on an A4 side)."""
    return max(2, width // 500)


def table_regions(horiz: Any, vert: Any) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x0, y0, x1, y1) of the groups of touching rules large enough to be tables, each with
    the lone column rules beside it (see :func:`absorb_side_rules`)."""
    import cv2

    joined = cv2.dilate(cv2.bitwise_or(horiz, vert), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    h, w = horiz.shape
    boxes = [tuple(int(v) for v in stats[i, :4]) for i in range(1, n)]
    out = [(x, y, x + bw, y + bh) for x, y, bw, bh in boxes if bw >= MIN_TABLE_SIDE * w and bh >= MIN_TABLE_SIDE * h]
    tol = wander(w)
    thin = SIDE_RULE_WIDTH * tol + 4  # a rule (2–4 px at 200 dpi, tol 3) with its wander and the 5×5 dilation
    rules = [(x, y, x + bw, y + bh) for x, y, bw, bh in boxes if bw <= thin and bh >= MIN_TABLE_SIDE * h]
    out = join_touching(out, 2 * tol + 4)
    grown = [absorb_side_rules(r, rules + out, int(SIDE_GAP * w), int(SIDE_REACH * h)) for r in out]
    kept = [g for g in grown if not any(o != g and contains(o, g) for o in grown)]
    return sorted(set(kept), key=lambda b: (b[1], b[0]))


def join_touching(regions: list[tuple[int, int, int, int]], margin: int) -> list[tuple[int, int, int, int]]:
    """Regions whose boxes come within ``margin`` of each other are one: a browser draws each cell's border as
    its own piece, and a faint 1–2 px rule scanned at 200 dpi breaks where two pieces meet, so one table can
    fall into bands of rows that touch without a pixel in common. (Regions on one page are few: ≥ 8 % of
    its side each.)"""
    boxes = list(regions)
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if a[0] - margin <= b[2] and b[0] - margin <= a[2] and a[1] - margin <= b[3] and b[1] - margin <= a[3]:
                    boxes[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return boxes


def contains(outer: tuple[int, int, int, int], inner: tuple[int, int, int, int]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def absorb_side_rules(region: tuple[int, int, int, int], rules: list[tuple[int, int, int, int]],
                      gap: int, reach: int) -> tuple[int, int, int, int]:
    """A table region widened by the lone vertical rules (and the other parts of the table) standing beside it
    within its height: on a page a break cut, the columns of merged cells that go on (category, group) have
    side rules but no horizontal rule touching them, and a column narrower than the rule opening's kernel
    loses its horizontal rules, so the table falls into separate components; each one within ``gap`` of the
    region (or of a part already joined) and within ``reach`` of its top and bottom joins it. One sorted walk outward on each side:
    a page of hostile stripes stays linear."""
    x0, y0, x1, y1 = region
    tall = [r for r in rules if r[1] >= y0 - reach and r[3] <= y1 + reach and r[3] - r[1] >= SIDE_RULE_SHARE * (y1 - y0)]
    for r in sorted((r for r in tall if r[2] < x0), key=lambda r: -r[2]):
        if r[2] < x0 - gap:
            break
        x0 = min(x0, r[0])
    for r in sorted((r for r in tall if r[0] > x1), key=lambda r: r[0]):
        if r[0] > x1 + gap:
            break
        x1 = max(x1, r[2])
    return x0, y0, x1, y1


def close_open_ends(ys: list[float], top: int, bottom: int, reach: int) -> list[float]:
    """Grid lines with the table's open ends closed: where the column rules run on past the first or last
    horizontal rule (a row a page break cut, printed without its border, as a browser prints it; a merged
    cell going on), the ends of the rules are a grid line, so that row's text stays in the table. ``reach`` is
    the shortest rule the opening keeps: a shorter overshoot is a crossing's stub, not a row."""
    if not ys:
        return ys
    edge = 2  # pixels the 5×5 dilation of table_regions adds around the rules
    out = list(ys)
    if out[0] - top >= reach:
        out.insert(0, float(top + edge))
    if bottom - out[-1] >= reach:
        out.append(float(bottom - edge))
    return out


def page_to_tables(gray: Any) -> tuple[list[list[BBox]], Any]:
    """Cell boxes of each ruled table on a level page, and the rule mask (to erase rules before OCR)."""
    import cv2

    ink = binarise(gray)
    horiz, vert = rule_masks(ink)
    tol = wander(gray.shape[1])
    tables = []
    short = short_rules(ink)
    for x0, y0, x1, y1 in table_regions(horiz, vert):
        ys = positions(horiz[:, x0:x1], 0, y0, y1, tol, gray.shape[1] // RULE_FRACTION)
        xs = positions(vert[y0:y1, :], 1, x0, x1, tol, gray.shape[0] // RULE_FRACTION)
        ys = spanning(ys, xs, horiz, True, tol)
        xs = spanning(xs, ys, vert, False, tol)
        ys = close_open_ends(ys, y0, y1, gray.shape[0] // RULE_FRACTION)
        if len(xs) >= 2 and len(ys) >= 2:
            tables.append(grid_to_boxes(xs, ys, cv2.bitwise_or(horiz, short), vert, tol))
    return tables, cv2.bitwise_or(horiz, vert)
