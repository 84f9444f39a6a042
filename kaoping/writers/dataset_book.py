"""The dataset as an analyst opens it: one Excel workbook over every year and one CSV per table, under
Chinese headers (``dataset_headers.csv``) with Chinese values where an analyst reads them
(``dataset_values.csv``); the machine names stay in the Parquet tables.

Sheets: 指标 (with 年度), 通知, 引用文件, 问题 — and the README's example analyses as sheets an analyst can
filter: 目标逐年 (the same measurable target across years), 责任人逐年 (items per 责任人 per year),
部门权重逐年 (weight per department and year, an item shared by n departments counting weight/n each).
Same tables → same bytes (fixed workbook stamps and zip timestamps).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import unicodedata
from collections import defaultdict
from importlib import resources
from typing import Any

import pyarrow as pa

LIST_JOINER = "、"
EXCEL_MAX_ROWS = 1_048_576  # Excel's sheet limit; the CSV of a longer table holds every row
FIXED_STAMP = dt.datetime(2000, 1, 1)  # the workbook's created/modified stamp: any fixed value keeps bytes stable
MIN_WIDTH, MAX_WIDTH, WIDTH_SAMPLE = 6, 60, 500  # widths from the first rows: enough to size, cheap on big sheets
#: dataset table → sheet name (the tables an analyst reads first; every table has its CSV)
SHEETS = {"indicators": "指标", "notices": "通知", "references": "引用文件", "issues": "问题"}


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("kaoping.writers").joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


@functools.cache
def header_labels() -> dict[str, str]:
    return {row["key"]: row["label"] for row in _data_rows("dataset_headers.csv")}


@functools.cache
def value_labels() -> dict[tuple[str, str], str]:
    return {(row["column"], row["value"]): row["label"] for row in _data_rows("dataset_values.csv")}


def label(table: str, column: str) -> str:
    labels = header_labels()
    return labels.get(f"{table}.{column}") or labels.get(column) or column


def _flat(table: pa.Table) -> pa.Table:
    while any(pa.types.is_struct(f.type) for f in table.schema):
        table = table.flatten()
    return table.rename_columns([n.replace(".", "_") for n in table.column_names])


def _ordered_columns(table: str, columns: list[str]) -> list[str]:
    """The columns the header table lists first, in its order; the rest as stored."""
    rank = {key.split(".")[-1]: i for i, key in enumerate(header_labels())}
    return sorted(columns, key=lambda c: (rank.get(c, len(rank)), columns.index(c)))


def _cell(column: str, value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            return json.dumps(value, ensure_ascii=False, default=str)
        return LIST_JOINER.join("" if v is None else _text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        return value_labels().get((column, value), value)
    return value


def _text(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_to_rows(name: str, table: pa.Table) -> tuple[list[str], list[list[Any]]]:
    """(Chinese headers, rows of cell values) of one dataset table."""
    flat = _flat(table)
    columns = _ordered_columns(name, flat.column_names)
    data = {c: flat.column(c).to_pylist() for c in columns}
    rows = [[_cell(c, data[c][i]) for c in columns] for i in range(flat.num_rows)]
    return [label(name, c) for c in columns], rows


# ---------------------------------------------------------------- the example analyses


def _years(*tables: pa.Table | None) -> list[int]:
    return sorted({y for t in tables if t is not None for y in t.column("year").to_pylist() if y is not None})


def targets_by_year(targets: pa.Table | None) -> tuple[list[str], list[list[Any]]]:
    """目标逐年: one row per (metric, unit), the largest value per year (README: targets by year)."""
    years = _years(targets)
    cells: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for r in (targets.select(["metric", "unit", "value", "year"]).to_pylist() if targets is not None else []):
        if r["year"] is not None:
            per_year = cells[(r["metric"] or "", r["unit"] or "")]
            per_year[r["year"]] = max(per_year.get(r["year"], r["value"]), r["value"])
    headers = [label("targets", "metric"), label("targets", "unit"), *(f"{y}年" for y in years)]
    return headers, [[m, u, *(v.get(y) for y in years)] for (m, u), v in sorted(cells.items())]


def owners_by_year(indicators: pa.Table | None) -> tuple[list[str], list[list[Any]]]:
    """责任人逐年: items per 责任人 per year, most items in the latest year first (README: items per owner)."""
    years = _years(indicators)
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r in (indicators.select(["owners", "year"]).to_pylist() if indicators is not None else []):
        for owner in r["owners"] or []:
            counts[owner][r["year"]] += 1
    order = sorted(counts, key=lambda o: ([-counts[o].get(y, 0) for y in reversed(years)], o))
    return ["责任人", *(f"{y}年事项数" for y in years)], [[o, *(counts[o].get(y, 0) for y in years)] for o in order]


def department_weight_by_year(indicators: pa.Table | None) -> tuple[list[str], list[list[Any]]]:
    """部门权重逐年: weight per department and year, shared items split evenly (README: weight per department)."""
    years = _years(indicators)
    weights: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for r in (indicators.select(["departments", "weight", "year"]).to_pylist() if indicators is not None else []):
        for dept in r["departments"] or []:
            weights[dept][r["year"]] += (r["weight"] or 0) / len(r["departments"])
    rows = [[d, *(round(weights[d].get(y, 0.0), 2) for y in years)] for d in sorted(weights)]
    return ["责任部门", *(f"{y}年权重" for y in years)], rows


ANALYSES = {"目标逐年": ("targets", targets_by_year), "责任人逐年": ("indicators", owners_by_year),
            "部门权重逐年": ("indicators", department_weight_by_year)}


# ---------------------------------------------------------------- files


def _width(values: list[Any]) -> float:
    def one(v: Any) -> int:
        text = "" if v is None else _text(v) if not isinstance(v, str) else v
        line = max(text.split("\n"), key=len) if text else ""
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)

    return float(min(MAX_WIDTH, max(MIN_WIDTH, max(map(one, values), default=0) + 2)))


def _sheet(headers: list[str], rows: list[list[Any]]) -> tuple[str, str | None]:
    """(sheet XML, filter range): widths from the first rows, long columns wrapped, Excel's row limit kept."""
    from kaoping.writers.xlsx_lite import column_letter, sheet_xml

    kept = rows[: EXCEL_MAX_ROWS - 1]
    widths = [_width([h, *(r[i] for r in rows[:WIDTH_SAMPLE])]) for i, h in enumerate(headers)]
    xml = sheet_xml(headers, kept, widths, [w >= MAX_WIDTH for w in widths])
    return xml, f"$A$1:${column_letter(len(headers))}${len(kept) + 1}" if headers else None


def dataset_to_xlsx(tables: dict[str, pa.Table]) -> bytes:
    """The workbook's bytes: the analyst's tables, then the analyses."""
    from kaoping.writers.xlsx_lite import workbook_bytes

    contents = [(title, table_to_rows(name, tables[name])) for name, title in SHEETS.items() if name in tables]
    contents += [(title, analysis(tables.get(name))) for title, (name, analysis) in ANALYSES.items()]
    sheets = [(title, _sheet(headers, rows)) for title, (headers, rows) in contents]
    return workbook_bytes([(title, xml) for title, (xml, _) in sheets], [ref for _, (_, ref) in sheets],
                          "kaoping", FIXED_STAMP)


def dataset_to_csv(name: str, table: pa.Table) -> bytes:
    """One table as CSV: UTF-8 with a BOM (Excel on Chinese Windows reads it), CRLF, the workbook's headers."""
    headers, rows = table_to_rows(name, table)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v if isinstance(v, str) else _text(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
