"""Extractors: one module per input format, one signature, one registry keyed by sniffed format.

Every extractor is ``(data: bytes, source: SourceInfo) -> RawDocument``. Modules are imported
lazily so that reading a text file never pays for pdfplumber or python-docx.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Callable
from pathlib import Path

from kaoping.extract.text import utf16_byte_order
from kaoping.schema.errors import InputError
from kaoping.schema.raw import Format, RawDocument, SourceInfo

log = logging.getLogger(__name__)

Extractor = Callable[[bytes, SourceInfo], RawDocument]

#: format -> "module:function"; the only place that knows which code reads which format.
REGISTRY: dict[Format, str] = {
    "text": "kaoping.extract.text:text_to_raw",
    "docx": "kaoping.extract.docx:docx_to_raw",
    "pdf": "kaoping.extract.pdf:pdf_to_raw",
}

SUFFIX_HINTS: dict[str, Format] = {".txt": "text", ".text": "text", ".docx": "docx", ".pdf": "pdf"}

MAX_INPUT_BYTES = 200 * 1024 * 1024


def sniff_format(data: bytes) -> Format:
    """Decide the format from the content alone (a suffix that lies changes nothing)."""
    if not data.strip():
        raise InputError("empty file")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        if b"word/document.xml" in data or b"word/" in data[:65536]:
            return "docx"
        raise InputError("zip archive without word/document.xml: not a Word document")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("legacy Word/OLE file (.doc) is not supported: save it as .docx")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise InputError("image file: kaoping reads PDF, Word (.docx) or text")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and utf16_byte_order(data) is None:
        raise InputError("unknown format: binary data that is neither PDF, Word (.docx) nor text")
    return "text"


def get_extractor(fmt: Format) -> Extractor:
    module_name, func = REGISTRY[fmt].split(":")
    return getattr(importlib.import_module(module_name), func)


def read_source(path: Path) -> tuple[bytes, SourceInfo]:
    """Read a file and describe it; raise InputError for what cannot be a notice."""
    try:
        if path.is_dir():
            raise InputError("is a directory", str(path))
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"file too large ({size} bytes; limit {MAX_INPUT_BYTES})", str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except PermissionError:
        raise InputError("permission denied", str(path)) from None
    fmt = sniff_format(data)
    hint = SUFFIX_HINTS.get(path.suffix.lower())
    if hint and hint != fmt:
        log.info("%s: suffix says %s but content is %s; reading as %s", path.name, hint, fmt, fmt)
    info = SourceInfo(format=fmt, file=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return data, info


def extract_document(path: Path | str) -> RawDocument:
    """Read ``path`` with the extractor its content calls for."""
    path = Path(path)
    try:
        data, info = read_source(path)
        return get_extractor(info.format)(data, info)
    except InputError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise


__all__ = ["REGISTRY", "Extractor", "extract_document", "get_extractor", "read_source", "sniff_format"]
