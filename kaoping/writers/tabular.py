"""Excel and CSV outputs of one notice: one sheet / one CSV file per table of :data:`kaoping.writers.output.TABLES`.

Columns are derived from the same Arrow schema as the Parquet tables (nothing restated): nested
structs are flattened (``source.pages`` → ``source_pages``), lists of scalars are joined with 、,
lists of records (the notice's parts, steps, leadership) become JSON text. Both writers produce
the same bytes for the same document: the workbook's created/modified stamps and the zip entries'
timestamps are fixed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from kaoping.normalize.textfold import format_number
from kaoping.schema.arrow import records_to_table
from kaoping.schema.errors import UsageError
from kaoping.schema.models import NoticeDocument
from kaoping.writers.tables import TABLES

LIST_JOINER = "、"
#: what the workbook says it was created/modified at when the notice has no 成文日期 (any fixed value works)
FIXED_STAMP = dt.datetime(2000, 1, 1)
#: zip entries carry this timestamp so that two runs give identical bytes
ZIP_STAMP = (1980, 1, 1, 0, 0, 0)
MIN_WIDTH, MAX_WIDTH = 6, 60


def _flat_table(table: pa.Table) -> pa.Table:
    """Flatten struct columns until none is left; ``a.b`` becomes ``a_b``."""
    while any(pa.types.is_struct(f.type) for f in table.schema):
        table = table.flatten()
    return table.rename_columns([n.replace(".", "_") for n in table.column_names])


def _cell(value: Any) -> Any:
    """One value as a spreadsheet cell: scalars as they are, lists joined, records as JSON."""
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            return json.dumps(value, ensure_ascii=False, default=str)
        return LIST_JOINER.join("" if v is None else _scalar_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _scalar_text(value: Any) -> str:
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def document_to_sheets(doc: NoticeDocument) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """table name → (column names, rows of cell values), in :data:`TABLES` order."""
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for name, (model, exclude, getter) in TABLES.items():
        table = _flat_table(records_to_table(getter(doc), model, exclude))
        columns = table.column_names
        rows = [[_cell(row[c]) for c in columns] for row in table.to_pylist()]
        sheets[name] = (columns, rows)
    return sheets


def _display_width(value: Any) -> int:
    text = _scalar_text(value) if value is not None else ""
    line = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def column_width(header: str, values: list[Any]) -> float:
    """A readable width: the widest of the header and the values (CJK counts double), clamped."""
    widest = max([_display_width(header), *(_display_width(v) for v in values)])
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps and attributes, entries in their original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_STAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def document_to_xlsx(doc: NoticeDocument) -> bytes:
    """The workbook's bytes: one sheet per table, bold frozen header row, auto filter, readable widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    bold, top = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    for name, (columns, rows) in document_to_sheets(doc).items():
        ws = wb.create_sheet(title=name[:31])
        ws.append(columns)
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        if columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
        for i, col in enumerate(columns, start=1):
            width = column_width(col, [r[i - 1] for r in rows])
            ws.column_dimensions[get_column_letter(i)].width = width
            if width >= MAX_WIDTH:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.alignment = top
    stamp = dt.datetime.combine(doc.notice.date, dt.time()) if doc.notice.date else FIXED_STAMP
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "kaoping"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not openpyxl.save_workbook: it stamps "modified" with the clock
    return _normalise_zip(buf.getvalue())


def table_to_csv(columns: list[str], rows: list[list[Any]]) -> bytes:
    """CSV bytes in UTF-8 with a BOM (so Excel reads Chinese), CRLF line ends, ISO dates."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else _scalar_text(v) if not isinstance(v, str) else v for v in row])
    return buf.getvalue().encode("utf-8-sig")


def write_tabular(doc: NoticeDocument, outdir: Path, fmt: str) -> None:
    """Write ``notice.xlsx`` (fmt ``xlsx``) or one ``<table>.csv`` per table (fmt ``csv``) into ``outdir``."""
    if fmt == "xlsx":
        (outdir / "notice.xlsx").write_bytes(document_to_xlsx(doc))
    elif fmt == "csv":
        for name, (columns, rows) in document_to_sheets(doc).items():
            (outdir / f"{name}.csv").write_bytes(table_to_csv(columns, rows))
    else:
        raise UsageError(f"unknown tabular format {fmt!r} (choose xlsx or csv)")
