"""Page images (PNG, JPEG, TIFF, BMP) -> RawDocument by OCR; a multi-page TIFF gives one page per frame.

The pages are then assembled by the PDF reader's own chain (cells, soft wraps, stitched tables)."""

from __future__ import annotations

import io
from typing import Any

from kaoping.extract.ocr import A4_LONG_INCHES, PLAUSIBLE_DPI, images_to_raw
from kaoping.extract.ocr_engine import require_ocr
from kaoping.extract.pdf import PageLayout, layouts_to_document
from kaoping.schema.errors import InputError
from kaoping.schema.raw import RawDocument, SourceInfo


def frame_dpi(frame: Any) -> float:
    """The resolution the image says it has, else the one that makes its long side an A4 page."""
    tagged = frame.info.get("dpi")
    if tagged and PLAUSIBLE_DPI[0] <= float(tagged[0]) <= PLAUSIBLE_DPI[1]:
        return float(tagged[0])
    return max(frame.size) / A4_LONG_INCHES


def bytes_to_frames(data: bytes) -> list[tuple[Any, float]]:
    """Every frame of the image as a greyscale numpy array with its dpi, turned upright as its EXIF
    orientation tag says (a camera or a phone scanner stores the pixels as the sensor saw them and records
    the turn in the tag: a page photographed sideways is tagged "rotate 90")."""
    import numpy as np
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            frames = [(np.asarray(ImageOps.exif_transpose(f).convert("L")), frame_dpi(f))
                      for f in ImageSequence.Iterator(img)]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"corrupt or unreadable image: {reason}") from None
    if not frames:
        raise InputError("image with no frames")
    return frames


def image_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    """Read a scanned notice from page images."""
    require_ocr()
    return images_to_raw(bytes_to_frames(data), source, layouts_to_document, PageLayout)
