"""Delimited sheet exports (.csv, tab-delimited .txt/.tsv): a spreadsheet saved as text, read as a sheet.

Excel, WPS and LibreOffice save a sheet as text the same way: one record per row of the used range, every
record with the same number of fields (commas, tabs or semicolons), a field holding a delimiter, a quote or
a line break quoted (RFC 4180). What the export loses is the merges: a merged cell's text is in its
top-left slot and the slots it covered are empty. So the records become a sheet's cells and go through the
sheet reader's layout rules (extract/sheet_layout.py: where the table starts, header labels that lost their
merges, flat sheets); every row keeps the file line it starts on.

Told apart from a plain-text export (Word's, whose table rows are tab-separated too) by its shape: nearly
every record has the same number of fields, paragraphs included ("title",,,,). Word writes a paragraph as a
line without tabs and drops or blanks merged slots, so its lines are ragged and it stays "text".
"""

from __future__ import annotations

import csv
import io
import logging

from kaoping.extract.sheet_layout import Cell, sheet_to_parts
from kaoping.extract.text import bytes_to_text
from kaoping.schema.errors import InputError
from kaoping.schema.limits import current_limits
from kaoping.schema.raw import RawDocument, SourceInfo

log = logging.getLogger(__name__)

#: a 考评表 has 8–12 columns; a record of fewer than 3 fields is no sheet row (a title alone has one field,
#: but an export pads it to the sheet's width)
MIN_FIELDS = 3
#: the sniff looks at this many records: a sheet's title, header and first body rows are well within it
SNIFF_RECORDS = 60
MIN_RECORDS = 4
#: share of records with exactly the widest record's field count. Sheet exports write every record to the
#: used range's width (1.0), but Excel drops the trailing delimiters of a 16-row block where no row reaches
#: the last column (Microsoft KB 77295), so a title alone may print as one field. No text but a sheet export
#: separates cells with commas or semicolons: half of the records will do. Word's own text export separates
#: a table's cells with tabs and writes each paragraph as a one-field line (0.47-0.76 of the lines of the
#: shape fixtures' .txt are table rows): a tab-delimited sheet must be uniform to be read as one.
UNIFORM_SHARE = {",": 0.5, ";": 0.5, "\t": 0.9}


def records(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """(first line, fields) of every record that has any text; csv.Error for a malformed quote."""
    out: list[tuple[int, list[str]]] = []
    # the csv module refuses fields over 128 KiB; kaoping's own limits (max_cell_chars) name the problem better
    csv.field_size_limit(max(csv.field_size_limit(), current_limits().max_document_chars))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    line = 1
    for fields in reader:
        if any(f.strip() for f in fields):
            out.append((line, fields))
            if limit is not None and len(out) >= limit:
                break
        line = reader.line_num + 1
    return out


def uniform_width(recs: list[tuple[int, list[str]]], share: float) -> int | None:
    """The records' common field count when at least ``share`` of them have it (a sheet's rows), else None."""
    if len(recs) < MIN_RECORDS:
        return None
    width = max(len(fields) for _, fields in recs)
    same = sum(1 for _, fields in recs if len(fields) == width)
    return width if width >= MIN_FIELDS and same >= share * len(recs) else None


def sniff_delimiter(text: str) -> str | None:
    """The delimiter of a sheet export, or None for any other text (the widest uniform reading wins)."""
    best: tuple[int, str] | None = None
    for delimiter in UNIFORM_SHARE:
        if delimiter not in text[:65536]:
            continue
        try:
            width = uniform_width(records(text, delimiter, SNIFF_RECORDS), UNIFORM_SHARE[delimiter])
        except csv.Error:
            continue
        if width is not None and (best is None or width > best[0]):
            best = (width, delimiter)
    return best[1] if best else None


def is_delimited(data: bytes) -> bool:
    """For the format sniffer: text that is a sheet export."""
    try:
        return sniff_delimiter(bytes_to_text(data)) is not None
    except InputError:
        return False


def records_to_cells(recs: list[tuple[int, list[str]]]) -> tuple[list[Cell], int]:
    """The filled fields as single-slot cells (row = record number), and the widest record."""
    limits = current_limits()
    limits.check("max_table_cells", sum(len(fields) for _, fields in recs), "table cells")
    cells = []
    for r, (line, fields) in enumerate(recs):
        for k, text in enumerate(fields):
            limits.check("max_cell_chars", len(text), f"line {line}: a field")
            if text.strip():
                cells.append(Cell(r, k, 1, 1, text.replace("\r\n", "\n")))
    return cells, max((len(fields) for _, fields in recs), default=0)


def delimited_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    text = bytes_to_text(data)
    current_limits().check("max_document_chars", len(text), "the document's text")
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        raise InputError("not a sheet saved as text: its lines do not have the same number of fields; "
                         "save the sheet as .xlsx, or as CSV from the spreadsheet program")
    try:
        recs = records(text, delimiter)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}") from None
    cells, width = records_to_cells(recs)
    paragraphs, table = sheet_to_parts(cells, len(recs), width, lines=[line for line, _ in recs])
    log.debug("delimited %r: %d records, %d fields wide", delimiter, len(recs), width)
    return RawDocument(source=source, paragraphs=paragraphs, tables=[table] if table else [])


__all__ = ["delimited_to_raw", "is_delimited", "sniff_delimiter"]
