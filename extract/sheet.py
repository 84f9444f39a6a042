"""Spreadsheets (.xlsx; .xls and .ods through LibreOffice): the sheet holding the 考评表, as the raw model.

openpyxl reads the workbook in normal mode (read_only mode does not report merged ranges). Each cell is
its printed text (extract/sheet_cells.py); merged ranges become spans; the first sheet with a 考评表 header
row is read, the rows above its header become the notice's paragraphs, and a "flat" sheet's repeated
values become merges again (extract/sheet_layout.py). .xls and .ods are converted to .xlsx by LibreOffice
first (extract/office.py's converter); ``source`` keeps naming the original file.

The archive is checked before openpyxl inflates anything (zip bombs), and sheets larger than any
考评表 are refused before their cells are walked. Every failure is an :class:`InputError`.
"""

from __future__ import annotations

import io
import logging
import warnings
import zipfile
from typing import Any

from kaoping.extract.docx import check_zip_limits
from kaoping.extract.office import convert
from kaoping.extract.sheet_cells import cell_to_text
from kaoping.extract.sheet_layout import Cell, find_table_start, sheet_to_parts
from kaoping.schema.errors import InputError
from kaoping.schema.raw import RawDocument, SourceInfo

log = logging.getLogger(__name__)

#: a 考评表 runs to a few hundred rows and a dozen or two columns; a sheet beyond these limits is not one
#: (and walking its cells would cost seconds and memory), so it is skipped with a warning
MAX_ROWS = 10_000
MAX_COLS = 200


def load_workbook(data: bytes) -> Any:
    """The workbook, values as last computed (data_only), or InputError for anything unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip_limits(zf)
            names = set(zf.namelist())
    except InputError:
        raise InputError("XLSX too large when uncompressed (zip bomb?)") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
        raise InputError("corrupt XLSX: not a valid zip archive") from None
    if "xl/workbook.xml" not in names:
        raise InputError("corrupt XLSX: xl/workbook.xml missing")
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True, keep_links=False)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises whatever its XML parsing meets on a damaged file
        raise InputError(f"corrupt XLSX: {_short(exc)}") from None


def sheet_to_cells(ws: Any) -> tuple[list[Cell], int, int]:
    """A worksheet as cells (merged ranges as spans, 0-based from its top-left filled slot), rows, columns."""
    texts: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
        for cell in row:
            text = cell_to_text(cell) if cell.value is not None else ""
            if text.strip():
                texts[(cell.row - 1, cell.column - 1)] = text
    spans = {(m.min_row - 1, m.min_col - 1): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
             for m in ws.merged_cells.ranges}
    covered = {(r, k) for (r0, k0), (h, w) in spans.items() for r in range(r0, r0 + h) for k in range(k0, k0 + w)
               if (r, k) != (r0, k0)}
    filled = [rc for rc, t in texts.items() if t.strip() and rc not in covered]
    if not filled:
        return [], 0, 0
    top, left = min(r for r, _ in filled), min(k for _, k in filled)
    bottom, right = max(r for r, _ in filled) + 1, max(k for _, k in filled) + 1
    cells = []
    for (r, k), text in texts.items():
        if (r, k) in covered or not (top <= r < bottom and left <= k < right):
            continue
        h, w = spans.get((r, k), (1, 1))
        cells.append(Cell(r - top, k - left, min(h, bottom - r), min(w, right - k), text, merged=(h, w) != (1, 1)))
    return cells, bottom - top, right - left


def choose_sheet(wb: Any, warnings_out: list[str]) -> tuple[Any, list[Cell], int, int]:
    """The first sheet holding a 考评表 header row; else the first sheet with anything in it."""
    candidates = []
    for ws in wb.worksheets:
        if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLS:
            warnings_out.append(f"sheet {ws.title!r} skipped: {ws.max_row} rows × {ws.max_column} columns is "
                                f"beyond any 考评表 (limit {MAX_ROWS} × {MAX_COLS})")
            continue
        cells, n_rows, n_cols = sheet_to_cells(ws)
        if cells:
            candidates.append((ws, cells, n_rows, n_cols))
    if not candidates:
        raise InputError("the workbook has no sheet with any text in it" if wb.worksheets else
                         "the workbook has no worksheets")
    with_header = [c for c in candidates if find_table_start(c[1], c[2]) is not None]
    chosen = with_header[0] if with_header else candidates[0]
    if len(wb.worksheets) > 1:
        others = [c[0].title for c in with_header[1:]]
        why = "the first with a 考评表 header" if with_header else "no sheet has a 考评表 header; the first with text"
        note = f"; sheets {others} also have a 考评表 header and were not read" if others else ""
        warnings_out.append(f"workbook has {len(wb.worksheets)} sheets: read sheet {chosen[0].title!r} ({why}){note}")
    return chosen


def xlsx_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    wb = load_workbook(data)
    notes: list[str] = []
    try:
        _, cells, n_rows, n_cols = choose_sheet(wb, notes)
    finally:
        wb.close()
    paragraphs, table = sheet_to_parts(cells, n_rows, n_cols)
    log.debug("sheet: %d paragraphs, table %s", len(paragraphs), table and (len(table.rows), table.n_cols))
    return RawDocument(source=source, paragraphs=paragraphs, tables=[table] if table else [], warnings=notes)


def sheet_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    """Read a .xlsx, .xls or .ods notice table (the latter two converted to .xlsx by LibreOffice first)."""
    if source.format in ("xls", "ods"):
        data = convert(data, source.format, "xlsx")
    try:
        return xlsx_to_raw(data, source)
    except RecursionError:
        raise InputError("corrupt XLSX: nesting too deep") from None


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


__all__ = ["MAX_COLS", "MAX_ROWS", "sheet_to_raw"]
