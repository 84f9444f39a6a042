"""The dataset as an analyst opens it: one Excel workbook over every year and one CSV per table, under
Chinese headers with Chinese values where an analyst reads them — the per-notice workbook's vocabulary
(:mod:`kaoping.writers.labels`) first, then this module's own table for the dataset's columns
(``dataset_headers.csv``, ``dataset_values.csv``); the machine names stay in the Parquet tables.

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

from kaoping.schema.arrow import repeated

LIST_JOINER = "、"
EXCEL_MAX_ROWS = 1_048_576  # Excel's sheet limit; the CSV of a longer table holds every row
FIXED_STAMP = dt.datetime(2000, 1, 1)  # the workbook's created/modified stamp: any fixed value keeps bytes stable
MIN_WIDTH, MAX_WIDTH, WIDTH_SAMPLE = 6, 60, 500  # widths from the first rows: enough to size, cheap on big sheets
WRAP_CHARS = MAX_WIDTH // 2  # a cell longer than this (CJK counts double) cannot fit the widest column: it wraps
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
    """The per-notice workbook's header (kaoping.writers.labels, one vocabulary for the analyst) where it has
    one; else this module's table (the dataset's own columns: 年度, 通知, the sources' fields …)."""
    from kaoping.writers.labels import column_label

    shared = column_label("notice" if table == "notices" else table, column)
    if shared != column:
        return shared
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
        from kaoping.writers.labels import value_label

        shared = value_label(column, value)
        return shared if shared != value else value_labels().get((column, value), value)
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


# ---------------------------------------------------------------- one notice's share (built in its worker)


def _with_year(table: pa.Table, year: int | None) -> pa.Table:
    return table.append_column(pa.field("year", pa.int64()), repeated(year, pa.int64(), table.num_rows))


def _csv_text(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v if isinstance(v, str) else _text(v) for v in row])
    return buf.getvalue()


def _aggregates(tables: dict[str, pa.Table], year: int | None) -> dict[str, Any]:
    """What the analysis sheets need from one notice: targets per (metric, unit), items per owner, weight per
    department (an item shared by n departments counts weight/n for each)."""
    targets: dict[str, float] = {}
    for r in tables["targets"].select(["metric", "unit", "value"]).to_pylist() if "targets" in tables else []:
        key = json.dumps([r["metric"] or "", r["unit"] or ""], ensure_ascii=False)
        targets[key] = max(targets.get(key, r["value"]), r["value"])
    owners: dict[str, int] = defaultdict(int)
    departments: dict[str, float] = defaultdict(float)
    rows = tables["indicators"].select(["owners", "departments", "weight"]).to_pylist() if "indicators" in tables else []
    for r in rows:
        for owner in r["owners"] or []:
            owners[owner] += 1
        for dept in r["departments"] or []:
            departments[dept] += (r["weight"] or 0) / len(r["departments"])
    return {"year": year, "targets": targets, "owners": dict(owners), "departments": dict(departments)}


def notice_fragment(tables: dict[str, pa.Table], year: int | None) -> dict[str, Any]:
    """One notice's rows of every sheet and CSV, rendered (JSON-ready): the end of an ingest run only
    concatenates these, in (year, notice) order, whatever the number of notices."""
    from kaoping.schema.models import SCHEMA_VERSION
    from kaoping.writers.xlsx_lite import rows_xml

    # the contract it was rendered under: a dataset's older shares are rendered again (views.notice_fragments)
    fragment: dict[str, Any] = {"headers": {}, "csv": {}, "sheets": {}, "rows": {}, "widths": {},
                                "schema_version": SCHEMA_VERSION}
    for name, table in tables.items():
        headers, rows = table_to_rows(name, _with_year(table, year))
        fragment["headers"][name] = headers
        fragment["csv"][name] = _csv_text(rows)
        fragment["rows"][name] = len(rows)
        if name in SHEETS:
            fragment["sheets"][name] = rows_xml(rows, WRAP_CHARS)
            fragment["widths"][name] = [_width([h, *(r[i] for r in rows)]) for i, h in enumerate(headers)]
    fragment["analyses"] = _aggregates(tables, year)
    return fragment


# ---------------------------------------------------------------- the example analyses (from the notices' shares)


def _years(fragments: list[dict]) -> list[int]:
    return sorted({f["analyses"]["year"] for f in fragments if f["analyses"]["year"] is not None})


def targets_by_year(fragments: list[dict]) -> tuple[list[str], list[list[Any]]]:
    """目标逐年: one row per (metric, unit), the largest value per year (README: targets by year)."""
    years = _years(fragments)
    cells: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for f in fragments:
        year = f["analyses"]["year"]
        for key, value in f["analyses"]["targets"].items() if year is not None else ():
            per_year = cells[tuple(json.loads(key))]
            per_year[year] = max(per_year.get(year, value), value)
    headers = [label("targets", "metric"), label("targets", "unit"), *(f"{y}年" for y in years)]
    return headers, [[m, u, *(v.get(y) for y in years)] for (m, u), v in sorted(cells.items())]


def owners_by_year(fragments: list[dict]) -> tuple[list[str], list[list[Any]]]:
    """责任人逐年: items per 责任人 per year, most items in the latest year first (README: items per owner)."""
    years = _years(fragments)
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for f in fragments:
        for owner, n in f["analyses"]["owners"].items():
            counts[owner][f["analyses"]["year"]] += n
    order = sorted(counts, key=lambda o: ([-counts[o].get(y, 0) for y in reversed(years)], o))
    return ["责任人", *(f"{y}年事项数" for y in years)], [[o, *(counts[o].get(y, 0) for y in years)] for o in order]


def department_weight_by_year(fragments: list[dict]) -> tuple[list[str], list[list[Any]]]:
    """部门权重逐年: weight per department and year, shared items split evenly (README: weight per department)."""
    years = _years(fragments)
    weights: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for f in fragments:
        for dept, w in f["analyses"]["departments"].items():
            weights[dept][f["analyses"]["year"]] += w
    rows = [[d, *(round(weights[d].get(y, 0.0), 2) for y in years)] for d in sorted(weights)]
    return ["责任部门", *(f"{y}年权重" for y in years)], rows


ANALYSES = {"目标逐年": targets_by_year, "责任人逐年": owners_by_year, "部门权重逐年": department_weight_by_year}


# ---------------------------------------------------------------- files


def _width(values: list[Any]) -> float:
    def one(v: Any) -> int:
        text = "" if v is None else _text(v) if not isinstance(v, str) else v
        line = max(text.split("\n"), key=len) if text else ""
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)

    return float(min(MAX_WIDTH, max(MIN_WIDTH, max(map(one, values), default=0) + 2)))


def _table_sheet(name: str, fragments: list[dict]) -> tuple[str, str | None]:
    from kaoping.writers.xlsx_lite import column_letter, sheet_xml

    parts = [f for f in fragments if name in f["sheets"]]
    headers = parts[0]["headers"][name] if parts else []
    body, n_rows = [], 0
    for f in parts:
        if n_rows + f["rows"][name] >= EXCEL_MAX_ROWS:
            break  # Excel's limit: the CSV holds every row
        body.append(f["sheets"][name])
        n_rows += f["rows"][name]
    widths = [max(ws) for ws in zip(*(f["widths"][name] for f in parts), strict=True)] if parts else []
    ref = f"$A$1:${column_letter(len(headers))}${n_rows + 1}" if headers else None
    return sheet_xml(headers, body, n_rows, widths), ref


def _analysis_sheet(headers: list[str], rows: list[list[Any]]) -> tuple[str, str | None]:
    from kaoping.writers.xlsx_lite import column_letter, rows_xml, sheet_xml

    widths = [_width([h, *(r[i] for r in rows[:WIDTH_SAMPLE])]) for i, h in enumerate(headers)]
    ref = f"$A$1:${column_letter(len(headers))}${len(rows) + 1}"
    return sheet_xml(headers, [rows_xml(rows)], len(rows), widths), ref


def fragments_to_xlsx(fragments: list[dict]) -> bytes:
    """The workbook's bytes from the notices' shares, in the order given (year, then notice)."""
    from kaoping.writers.xlsx_lite import workbook_bytes

    sheets = [(title, _table_sheet(name, fragments)) for name, title in SHEETS.items()]
    sheets += [(title, _analysis_sheet(*analysis(fragments))) for title, analysis in ANALYSES.items()]
    return workbook_bytes([(title, xml) for title, (xml, _) in sheets], [ref for _, (_, ref) in sheets],
                          "kaoping", FIXED_STAMP)


def fragments_to_csv(name: str, fragments: list[dict]) -> bytes | None:
    """One table as CSV (UTF-8 with a BOM, CRLF, the workbook's headers); None when no notice has the table."""
    parts = [f for f in fragments if name in f["csv"]]
    if not parts:
        return None
    return _csv_text([parts[0]["headers"][name]]).encode("utf-8-sig") + "".join(
        f["csv"][name] for f in parts).encode("utf-8")


def table_to_csv(name: str, table: pa.Table) -> bytes:
    """A table that is not built per notice (``sources``) as the same kind of CSV."""
    headers, rows = table_to_rows(name, table)
    return _csv_text([headers, *rows]).encode("utf-8-sig")
