"""Excel and CSV outputs of one notice, made for the analyst: one sheet / one CSV file per table of
:data:`kaoping.writers.tables.TABLES`, with the Chinese sheet names, headers and values of
:mod:`kaoping.writers.labels` (the English machine names stay in notice.json and the Parquet files).

The indicators sheet leads with the notice's own columns (序号 类别 分组 一级指标 分值 二级指标 权重 …);
what kaoping derived (``解析·…``) and where each row came from (``来源·…``) follow to the right as two
labelled column groups (an Excel outline, collapsible). Cells whose value was inherited from a merged cell
are grey italic. Lists are joined with 、; the notice's facts, parts, steps and leadership are rows. Both
writers produce the same bytes for the same document: the workbook's created/modified stamps and the zip
entries' timestamps are fixed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from kaoping.normalize.textfold import format_number
from kaoping.schema.errors import UsageError
from kaoping.schema.models import NoticeDocument
from kaoping.writers.labels import LIST_JOINER, inherited_cells, labels, sheet_name, sheets_zh

__all__ = ["LIST_JOINER", "column_width", "document_to_sheets", "document_to_xlsx", "table_to_csv", "write_tabular"]
#: what the workbook says it was created/modified at when the notice has no 成文日期 (any fixed value works)
FIXED_STAMP = dt.datetime(2000, 1, 1)
#: zip entries carry this timestamp so that two runs give identical bytes
ZIP_STAMP = (1980, 1, 1, 0, 0, 0)
MIN_WIDTH, MAX_WIDTH = 6, 60


def _scalar_text(value: Any) -> str:
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def document_to_sheets(doc: NoticeDocument) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """table name → (Chinese headers, rows of cell values), in :data:`TABLES` order."""
    return sheets_zh(doc)


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


def _group_of(header: str) -> str | None:
    """Which labelled column group a header of the indicators sheet belongs to (None: the notice's own)."""
    lab = labels()
    for key in ("indicator_derived_prefix", "indicator_source_prefix"):
        if header.startswith(lab[key]):
            return key
    return None


def _style_sheet(ws: Any, columns: list[str], rows: list[list[Any]]) -> None:
    """Bold frozen header, auto filter, readable widths, wrapped long text, outlined column groups."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, top = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    group_fill = PatternFill("solid", fgColor="EDEDED")  # the derived / source groups read as "not printed"
    for cell in ws[1]:
        cell.font = bold
        if _group_of(str(cell.value)):
            cell.fill = group_fill
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        width = column_width(col, [r[i - 1] for r in rows])
        ws.column_dimensions[letter].width = width
        if _group_of(col):
            ws.column_dimensions[letter].outlineLevel = 1
        if width >= MAX_WIDTH or any(isinstance(r[i - 1], str) and "\n" in r[i - 1] for r in rows):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = top


def _mark_inherited(ws: Any, doc: NoticeDocument) -> None:
    """Grey italic for a value the row inherited from a merged cell above (来源·继承合并单元格 names them)."""
    from openpyxl.styles import Font

    inherited = Font(italic=True, color="808080")
    for r, c in inherited_cells(doc):
        ws.cell(row=r + 2, column=c + 1).font = inherited


def document_to_xlsx(doc: NoticeDocument) -> bytes:
    """The workbook's bytes: one Chinese-named sheet per table, styled for reading."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    for table, (columns, rows) in document_to_sheets(doc).items():
        ws = wb.create_sheet(title=sheet_name(table)[:31])
        ws.append(columns)
        for row in rows:
            ws.append(row)
        _style_sheet(ws, columns, rows)
        if table == "indicators":
            _mark_inherited(ws, doc)
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
    """Write ``notice.xlsx`` (fmt ``xlsx``) or one ``<table>.csv`` per table (fmt ``csv``, Chinese headers as in
    the workbook) into ``outdir``."""
    if fmt == "xlsx":
        (outdir / "notice.xlsx").write_bytes(document_to_xlsx(doc))
    elif fmt == "csv":
        for name, (columns, rows) in document_to_sheets(doc).items():
            (outdir / f"{name}.csv").write_bytes(table_to_csv(columns, rows))
    else:
        raise UsageError(f"unknown tabular format {fmt!r} (choose xlsx or csv)")
