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
from kaoping.schema.limits import Limits
from kaoping.schema.raw import Format, RawDocument, SourceInfo

log = logging.getLogger(__name__)

Extractor = Callable[[bytes, SourceInfo], RawDocument]

#: format -> "module:function"; the only place that knows which code reads which format.
REGISTRY: dict[Format, str] = {
    "text": "kaoping.extract.text:text_to_raw",
    "docx": "kaoping.extract.docx:docx_to_raw",
    "pdf": "kaoping.extract.pdf:pdf_to_raw",
    # legacy and OpenDocument word processing: LibreOffice converts to .docx, then the .docx reader
    "doc": "kaoping.extract.office:office_to_raw",
    "rtf": "kaoping.extract.office:office_to_raw",
    "odt": "kaoping.extract.office:office_to_raw",
    "wps": "kaoping.extract.office:office_to_raw",
    "html": "kaoping.extract.html:html_to_raw",
    "xlsx": "kaoping.extract.sheet:sheet_to_raw",
    "xls": "kaoping.extract.sheet:sheet_to_raw",
    "ods": "kaoping.extract.sheet:sheet_to_raw",
    "csv": "kaoping.extract.delimited:delimited_to_raw",
    "image": "kaoping.extract.image:image_to_raw",
}

#: what a suffix suggests; content decides (a suffix that lies changes nothing), and ``ingest`` takes every
#: file with one of these suffixes as a notice
SUFFIX_HINTS: dict[str, Format] = {
    ".txt": "text", ".text": "text", ".docx": "docx", ".pdf": "pdf", ".doc": "doc", ".rtf": "rtf",
    ".odt": "odt", ".wps": "wps", ".htm": "html", ".html": "html", ".shtml": "html", ".xlsx": "xlsx",
    ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "csv", ".tsv": "csv", ".png": "image", ".jpg": "image", ".jpeg": "image",
    ".tif": "image", ".tiff": "image", ".bmp": "image",
}

#: kinds a user may well send that kaoping cannot read: suffix -> the way out
UNSUPPORTED_SUFFIXES: dict[str, str] = {
    ".ofd": "OFD is not supported yet: export it as PDF",
    ".mht": "a single-file web page (.mht) is not supported: save the page as .html",
    ".mhtml": "a single-file web page (.mhtml) is not supported: save the page as .html",
    ".pptx": "presentations are not notices: export the table as PDF or .docx",
    ".zip": "an archive: unpack it and give kaoping the notice inside",
}

MAX_INPUT_BYTES = Limits.max_input_bytes  # the default; the run's value is current_limits()

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
_HTML_MARKS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-le")


def zip_to_format(data: bytes) -> Format:
    """Tell the zip-based office formats apart by their members (the central directory, not a byte scan)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype")[:100].decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        # a truncated package has no central directory: guess from the local member names, and let that
        # reader say precisely what is broken
        first = data[:65536]
        if b"word/" in first:
            return "docx"
        if b"xl/" in first:
            return "xlsx"
        raise InputError("corrupt or truncated zip archive (not a readable .docx, .xlsx or .odt)") from None
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    if mimetype.endswith("opendocument.text") or (not mimetype and "content.xml" in names and "styles.xml" in names):
        return "odt"
    if mimetype.endswith("opendocument.spreadsheet"):
        return "ods"
    if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
        raise InputError("OFD is not supported yet: export it as PDF")
    raise InputError("zip archive that is neither a Word (.docx), Excel (.xlsx) nor OpenDocument file")


def ole_to_format(data: bytes) -> Format:
    """A Compound File (OLE2): Excel 97 keeps a 'Workbook' (or 'Book') stream; Word and WPS a 'WordDocument'."""
    head = data[: 1 << 20]
    if _utf16("Workbook") in head or _utf16("Book\x00") in head:
        return "xls"
    if _utf16("WordDocument") in head:
        return "doc"
    return "doc"  # LibreOffice tells the rest apart itself, and says so when it cannot


def _looks_like_html(head: bytes) -> bool:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return lowered.startswith(b"<") and any(mark in lowered for mark in _HTML_MARKS)


def sniff_format(data: bytes) -> Format:
    """Decide the format from the content alone (a suffix that lies changes nothing)."""
    if not data.strip():
        raise InputError("empty file")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return zip_to_format(data)
    if data[:8] == _OLE2:
        return ole_to_format(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith((b"GIF8", b"RIFF")):
        raise InputError("GIF/WebP image: save the scan as PNG, JPEG, TIFF or PDF")
    if _looks_like_html(head):
        return "html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and utf16_byte_order(data) is None:
        raise InputError("unknown format: binary data that is not a notice kaoping reads "
                         "(PDF, Word, OpenDocument, web page, Excel, image or text)")
    from kaoping.extract.delimited import is_delimited

    return "csv" if is_delimited(data) else "text"


def get_extractor(fmt: Format) -> Extractor:
    module_name, func = REGISTRY[fmt].split(":")
    return getattr(importlib.import_module(module_name), func)


def _read_capped(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a regular file: a file that grows while read, or lies about its size
    (/proc, a FUSE mount), still costs no more than the limit."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode  # of what was opened, not of what the name pointed to a moment before
        if stat.S_ISDIR(mode):
            raise InputError("is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise InputError("not a regular file (a device, FIFO or socket): give kaoping a saved notice", str(path))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_source(path: Path) -> tuple[bytes, SourceInfo]:
    """Read a file and describe it; raise InputError for what cannot be a notice.

    Only regular files are read (a FIFO would block, /dev/zero never ends), and never more than the
    ``max_input_bytes`` limit plus one byte, whatever the file's stated size.
    """
    from kaoping.schema.limits import LimitError, current_limits

    limit = current_limits().max_input_bytes
    try:
        if path.is_dir():
            raise InputError("is a directory", str(path))
        size = path.stat().st_size
        if size > limit:
            raise LimitError("max_input_bytes", limit, size, "file", str(path))
        data = _read_capped(path, limit)
        if len(data) > limit:
            raise LimitError("max_input_bytes", limit, None, "file", str(path))
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except PermissionError:
        raise InputError("permission denied", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    unsupported = UNSUPPORTED_SUFFIXES.get(path.suffix.lower())
    if unsupported and not data.startswith(b"%PDF-"):
        raise InputError(unsupported, str(path))
    fmt = sniff_format(data)
    hint = SUFFIX_HINTS.get(path.suffix.lower())
    if hint and hint != fmt:
        log.info("%s: suffix says %s but content is %s; reading as %s", path.name, hint, fmt, fmt)
    info = SourceInfo(format=fmt, file=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return data, info


def extract_document(path: Path | str, limits: Limits | None = None) -> RawDocument:
    """Read ``path`` with the extractor its content calls for, under ``limits`` (default: the current ones)."""
    from kaoping.schema.limits import using_limits

    path = Path(path)
    try:
        with using_limits(limits) as active:
            data, info = read_source(path)
            raw = get_extractor(info.format)(data, info)
            check_raw_limits(raw, active)
            return raw
    except InputError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise


def check_raw_limits(raw: RawDocument, limits: Limits) -> None:
    """The reader-independent limits, before normalize's work: cells, characters per cell and in all.

    Readers check the same limits earlier where they can (before building the objects); this catches
    a reader that does not yet.
    """
    limits.check("max_table_cells", sum(len(t.cells) for t in raw.tables), "table cells")
    total = 0
    for table in raw.tables:
        for cell in table.cells:
            limits.check("max_cell_chars", len(cell.text), f"table {table.index + 1}: a cell")
            total += len(cell.text)
    total += sum(len(p.text) for p in raw.paragraphs)
    limits.check("max_document_chars", total, "the document's text")


__all__ = ["REGISTRY", "SUFFIX_HINTS", "UNSUPPORTED_SUFFIXES", "Extractor", "extract_document", "check_raw_limits", "get_extractor", "read_source", "sniff_format"]
