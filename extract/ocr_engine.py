"""The OCR engine: rapidocr-onnxruntime (PP-OCRv4 detection + recognition, models inside the wheel).

One engine per process, made on first use. Every call recognises one page image and returns glyphs in
the shape the PDF reader deals to cells — ``(text, x0, x1, top, bottom, size)`` — plus each glyph's own
recognition confidence, so a cell's confidence is that of its weakest glyph.

The engine always runs single-threaded: pages are parallel across processes instead (see
:mod:`kaoping.extract.ocr`), which keeps the floating-point work — and so every confidence and every
character — identical whatever the number of workers.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kaoping.schema.errors import InputError

INSTALL_HINT = "scanned notice: OCR is not installed; run: pip install 'kaoping[ocr]'"
#: the engine shrinks pages whose long side exceeds this (its default, 2000, would throw away a third of a
#: 300 dpi A4 page); 4000 px is an A4 long side at 340 dpi, above any resolution we rasterise at
MAX_SIDE = 4000
#: recognition results below this mean score are dropped as noise by the engine (its default, 0.5);
#: everything kept carries its confidence on, and the normalize step reports the low ones
TEXT_SCORE = 0.5

_ENGINE: Any = None


class Glyph(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    confidence: float


def require_ocr() -> None:
    """Raise the install hint when the ``ocr`` extra is missing (checked before any page is rendered)."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        raise InputError(INSTALL_HINT) from None


def engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        require_ocr()
        from rapidocr_onnxruntime import RapidOCR

        _ENGINE = RapidOCR(max_side_len=MAX_SIDE, text_score=TEXT_SCORE, use_cls=False,
                           intra_op_num_threads=1, inter_op_num_threads=1)
    return _ENGINE


PUNCTUATION = set("，。、；：？！（）《》〈〉「」『』【】〔〕“”‘’…—·,.;:?!()[]")
#: blank ink between two ideographs, in ems, that is a printed space. Measured on 200 dpi scans of the
#: sample (em 24–25 px): inside a word the blank run between two glyphs is 1–4 px (≤ 0.17 em), across the
#: single space between two names 8–9 px (0.33–0.37 em)
WIDE_SPACE = 0.25
#: next to a digit or a Latin letter the blank run is 7–9 px without any space (narrow glyphs, wide side
#: bearings), so only a gap of more than half an em is taken as a space there
NARROW_SPACE = 0.6
EM_PER_HEIGHT = 0.86  # the detector's line box is ~1.16 font sizes high (29 px boxes around 9 pt at 200 dpi)


def is_wide(ch: str) -> bool:
    """Full-width glyph (CJK, full-width punctuation): one em wide; everything else half an em."""
    return ord(ch[0]) >= 0x2E80


def is_ideograph(text: str) -> bool:
    return len(text) == 1 and is_wide(text) and text not in PUNCTUATION


def glyph_width(text: str, em: float) -> float:
    return sum(em if is_wide(ch) else 0.5 * em for ch in text)


def pitch_em(centres: list[float], texts: list[str], height: float) -> float | None:
    """The line's em from its glyphs: the median pitch of neighbouring ideographs (one character box is
    loose, the pitch over a line is not); None when the line has fewer than three such pairs."""
    pitches = sorted(b - a for a, b, ta, tb in zip(centres, centres[1:], texts, texts[1:], strict=False)
                     if is_ideograph(ta) and is_ideograph(tb) and b - a < 1.5 * height)
    return pitches[len(pitches) // 2] if len(pitches) >= 3 else None


def page_ems(lines: list[tuple[list[float], list[str], float, float]]) -> list[float]:
    """Each line's em (lines as centres, texts, top, bottom): its own pitch, or for a line too short to have
    one (题整改。, 12月底前, 1., a lone 一 split off its header label) the pitch of the nearest line above or
    below that has one: text next to text is set in its size. Its own box says little — the detector pads it
    unevenly (a flat 一, digits hugging their ink): taken as EM_PER_HEIGHT × the box, such cell lines came out
    17-24 % larger or half as large as the lines around them, and ended a borderless table as 'prose in
    another size'. EM_PER_HEIGHT × the box height only on a page where no line has a pitch."""
    own = [pitch_em(centres, texts, bottom - top) for centres, texts, top, bottom in lines]
    pitched = [((top + bottom) / 2, em) for (_, _, top, bottom), em in zip(lines, own, strict=True) if em]
    measured = [em for _, em in pitched]
    ems = []
    for (_, _, top, bottom), em in zip(lines, own, strict=True):
        if em is None:
            middle = (top + bottom) / 2
            nearest = min(pitched, key=lambda p: abs(p[0] - middle), default=None)
            em = nearest[1] if nearest is not None else EM_PER_HEIGHT * (bottom - top)
        ems.append(one_size(em, measured))
    return ems


#: measured pitches of one printed size spread ±15 % on a 200 dpi scan (a table's lines at 8.6-10.4 pt for
#: 9 pt); prose set apart from a table differs by 30 % or more (12 pt under 9 pt, 16 pt under 10.5 pt)
SAME_SIZE = 0.2


def one_size(em: float, measured: list[float]) -> float:
    """``em`` read as the size it was printed in: the median of the page's measured pitches within SAME_SIZE
    of it. One printed size then reads as one size — a cell line measured 16 % large ended a borderless table
    as 'prose in another size' — while a title or a paragraph in another size keeps its own."""
    near = sorted(e for e in measured if abs(e - em) <= SAME_SIZE * em)
    return near[len(near) // 2] if near else em


def blank_run(ink_columns: Any, a: float, b: float) -> int:
    """Longest run of ink-free columns between x = a and x = b (the white between two glyphs)."""
    best = run = 0
    for has_ink in ink_columns[max(0, int(a)):max(0, int(b))]:
        run = 0 if has_ink else run + 1
        best = max(best, run)
    return best


def spaced(a: str, b: str, blank: float, em: float) -> bool:
    """Was a space printed between neighbouring glyphs ``a`` and ``b`` with ``blank`` px of white between?
    Never next to punctuation (a CJK text has none there, and the marks' ink sits off-centre)."""
    if a[-1] in PUNCTUATION or b[0] in PUNCTUATION:
        return False
    return blank >= (WIDE_SPACE if is_ideograph(a) and is_ideograph(b) else NARROW_SPACE) * em


def line_to_glyphs(chars: list[str], centres: list[float], scores: list[float], top: float,
                   bottom: float, ink_columns: Any, em: float | None = None) -> list[Glyph]:
    """Glyphs of one recognised line at their centres; neighbours touch unless a space was printed, then
    they keep half an em apart (the PDF reader reads a gap over 0.3 em as a space). ``em``: the line's em
    (:func:`page_ems`), else from this line alone."""
    if em is None:
        em = page_ems([(centres, chars, top, bottom)])[0]
    edges = [[c - glyph_width(ch, em) / 2, c + glyph_width(ch, em) / 2] for ch, c in zip(chars, centres, strict=True)]
    for i in range(len(chars) - 1):
        a, b = edges[i], edges[i + 1]
        mid = (centres[i] + centres[i + 1]) / 2
        if spaced(chars[i], chars[i + 1], blank_run(ink_columns, centres[i], centres[i + 1]), em):
            a[1], b[0] = min(a[1], mid - em / 4), max(b[0], mid + em / 4)
        else:
            a[1] = b[0] = mid
    return [Glyph(ch, e[0], e[1], top, bottom, em, round(float(sc), 4))
            for ch, e, sc in zip(chars, edges, scores, strict=True)]


def result_to_glyphs(result: list | None, ink: Any) -> list[Glyph]:
    """The engine's lines (box, text, score, char boxes, chars, char scores) -> one glyph per character.
    ``ink`` is the binarised page (ink > 0), to see the white between two glyphs."""
    lines = [result_line(line) for line in result or []]
    ems = page_ems([(centres, chars, top, bottom) for chars, centres, _, top, bottom in lines])
    spans = line_spans([(chars, top, bottom) for chars, _, _, top, bottom in lines])
    glyphs: list[Glyph] = []
    for (chars, centres, scores, _, _), (top, bottom), em in zip(lines, spans, ems, strict=True):
        ink_columns = ink[max(0, int(top)):int(bottom) + 1, :].max(axis=0) > 0
        glyphs.extend(line_to_glyphs(chars, centres, scores, top, bottom, ink_columns, em))
    return glyphs


def line_spans(lines: list[tuple[list[str], float, float]]) -> list[tuple[float, float]]:
    """Each line's top and bottom (lines as texts, top, bottom). A line without a wide glyph (a weight 1, a
    序号 2.) gets a box that hugs its ink — set lower than the text it is printed with by 0.4 sizes, and read
    as a line of its own (the weight of a row went to the next row's line); inside the box of a line with
    wide glyphs, it takes that line's top and bottom (the nearest such line by its middle)."""
    wide = [(top, bottom) for texts, top, bottom in lines if any(is_wide(t) for t in texts)]
    spans = []
    for texts, top, bottom in lines:
        middle = (top + bottom) / 2
        around = [w for w in wide if w[0] <= middle <= w[1]] if not any(is_wide(t) for t in texts) else []
        spans.append(min(around, key=lambda w: abs((w[0] + w[1]) / 2 - middle)) if around else (top, bottom))
    return spans


def result_line(line: list) -> tuple[list[str], list[float], list[float], float, float]:
    """One line of the engine's result -> (characters, their centres, their scores, top, bottom)."""
    box, text, score = line[0], line[1], float(line[2])
    ys = [p[1] for p in box]
    char_boxes, chars, scores = (line[3], line[4], line[5]) if len(line) >= 6 else ([], [], [])
    if not chars or len(chars) != len(char_boxes) or "".join(chars) != text:
        char_boxes, chars, scores = even_char_boxes(box, text), list(text), [score] * len(text)
    centres = [(min(p[0] for p in cb) + max(p[0] for p in cb)) / 2 for cb in char_boxes]
    return list(chars), centres, list(scores), float(min(ys)), float(max(ys))


def even_char_boxes(box: list, text: str) -> list[list[tuple[float, float]]]:
    """A line without character boxes: spread its characters evenly (full-width one em, the rest half)."""
    xs = [p[0] for p in box]
    x0, x1 = float(min(xs)), float(max(xs))
    weights = [1.0 if is_wide(ch) else 0.5 for ch in text]
    unit = (x1 - x0) / (sum(weights) or 1.0)
    out, x = [], x0
    for w in weights:
        out.append([(x, 0.0), (x + w * unit, 0.0)])
        x += w * unit
    return out


def recognise_crop(gray: Any, box: tuple[int, int, int, int]) -> list[Glyph]:
    """Recognition alone on one box of the page (x0, y0, x1, y1): for a cell the detector left empty."""
    import numpy as np

    x0, y0, x1, y1 = box
    result, _ = engine()(np.stack([gray[y0:y1, x0:x1]] * 3, axis=-1), use_det=False, use_cls=False)
    glyphs: list[Glyph] = []
    for text, score in [(r[0], float(r[1])) for r in result or [] if r and r[0]]:
        if score < TEXT_SCORE:
            continue
        boxes = even_char_boxes([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], text)
        centres = [(cb[0][0] + cb[1][0]) / 2 for cb in boxes]
        ink_columns = np.zeros(gray.shape[1], dtype=bool)  # evenly spread: no spaces to find
        glyphs.extend(line_to_glyphs(list(text), centres, [score] * len(text), float(y0), float(y1), ink_columns))
    return glyphs


def recognise(gray: Any, ink: Any) -> list[Glyph]:
    """Glyphs of one greyscale page image, in page pixels; ``ink`` is its binarised copy (ink > 0)."""
    import numpy as np

    result, _ = engine()(np.stack([gray] * 3, axis=-1), return_word_box=True)
    return result_to_glyphs(result, ink)
