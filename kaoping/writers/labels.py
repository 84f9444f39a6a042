"""The Chinese an analyst reads: sheet names, column headers, value labels and finding kinds.

The vocabulary lives in ``labels_zh.yaml`` beside this module; this module only looks words up and lays
a notice's tables out as (headers, rows) with those words. The Excel/CSV writer, the HTML report, the diff
page and the dataset workbook of ``ingest`` all use these functions, so an analyst sees one vocabulary.

Public functions (stable): :func:`indicator_rows_zh`, :func:`table_rows_zh`, :func:`notice_rows_zh`,
:func:`sheets_zh`, :func:`sheet_name`, :func:`column_label`, :func:`value_label`, :func:`kind_name`,
:func:`kind_explanation`, :func:`row_label`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from kaoping.schema.models import Indicator, Notice, NoticeDocument
from kaoping.writers.tables import TABLES

LIST_JOINER = "、"

Rows = tuple[list[str], list[list[Any]]]


@cache
def labels() -> dict[str, Any]:
    """labels_zh.yaml, read once."""
    from kaoping.normalize.facts import load_yaml

    return load_yaml(resources.files("kaoping.writers").joinpath("labels_zh.yaml").read_text(encoding="utf-8"))


def sheet_name(table: str) -> str:
    """指标 for ``indicators`` …; the table name itself when none is listed."""
    return labels()["sheets"].get(table, table)


def column_label(table: str, column: str) -> str:
    """The Chinese header of one column of one table (the machine name when none is listed)."""
    return labels()["columns"].get(table, {}).get(column, column)


def value_label(column: str, value: Any) -> Any:
    """错误 for severity ``error`` …; any value without a label is returned as it is."""
    names = labels()["values"].get(column)
    if names is None or isinstance(value, list | dict) or value is None:
        return value
    return names.get(value, value)


def kind_name(kind: str) -> str:
    """A finding kind's short Chinese name (一级指标分值不符); the machine name when unknown."""
    entry = labels()["kinds"].get(kind)
    return entry["name"] if entry else kind


def kind_explanation(kind: str) -> tuple[str, str]:
    """(Chinese, English) one-line explanation of a finding kind; empty strings when unknown."""
    entry = labels()["kinds"].get(kind)
    return (entry["zh"], entry["en"]) if entry else ("", "")


def known_kinds() -> list[str]:
    return list(labels()["kinds"])


def row_label(ind: Indicator) -> str:
    """How a row is named everywhere an analyst reads: its printed 序号, or #行次 when none is printed
    (the same form the findings' ``code`` uses)."""
    return ind.code or f"#{ind.seq}"


def joined(values: list[Any]) -> str:
    return LIST_JOINER.join("" if v is None else str(v) for v in values)


def _cell(column: str, value: Any) -> Any:
    """A value as a cell: labelled when it has a label, lists joined with 、."""
    if isinstance(value, list):
        return joined([value_label(column, v) for v in value]) or None
    return value_label(column, value)


# ---------------------------------------------------------------- indicators


def _has_criteria(indicators: list[Indicator]) -> bool:
    return any(i.criteria for i in indicators)


def extra_headers(indicators: list[Indicator]) -> list[str]:
    """Headers of the printed columns with no field, in order of first appearance."""
    seen: list[str] = []
    for ind in indicators:
        for extra in ind.extra:
            if extra.header not in seen:
                seen.append(extra.header)
    return seen


def indicator_columns(indicators: list[Indicator], with_criteria: bool | None = None) -> list[tuple[str, str]]:
    """(group, field) of every indicator column in sheet order: ``main``, ``extra``, ``derived``, ``source``."""
    lab = labels()
    criteria = _has_criteria(indicators) if with_criteria is None else with_criteria
    main = [("main", f) for f in lab["indicator_columns"] if f != "criteria" or criteria]
    extra = [("extra", h) for h in extra_headers(indicators)]
    derived = [("derived", f) for f in lab["indicator_derived"]]
    source = [("source", f) for f in lab["indicator_source"]]
    return main + extra + derived + source


def indicator_header(group: str, name: str) -> str:
    lab = labels()
    if group == "main":
        return lab["indicator_columns"][name]
    if group == "derived":
        return lab["indicator_derived_prefix"] + lab["indicator_derived"][name]
    if group == "source":
        return lab["indicator_source_prefix"] + lab["indicator_source"][name]
    return name  # an extra column keeps the header the notice printed


def _field_label(name: str) -> str:
    lab = labels()
    return lab["indicator_columns"].get(name) or lab["indicator_derived"].get(name) or name


def _indicator_value(ind: Indicator, group: str, name: str) -> Any:
    if group == "extra":
        return "\n".join(e.text for e in ind.extra if e.header == name) or None
    if group == "source":
        if name == "inherited":
            return joined([_field_label(f) for f in ind.source.inherited]) or None
        if name in ("seq", "code_inferred", "leaders_printed", "owners_printed"):
            return _cell(name, getattr(ind, name))
        return _cell(name, getattr(ind.source, name))
    return _cell(name, getattr(ind, name))


def indicator_rows_zh(doc: NoticeDocument | list[Indicator], with_criteria: bool | None = None) -> Rows:
    """The indicators as an analyst reads them: (Chinese headers, rows).

    序号 类别 分组 一级指标 分值 二级指标 权重 [考评标准] 完成时限 分管领导 责任部门 责任人 文件依据, then the
    printed columns with no field under their own header, then ``解析·…`` (what kaoping derived) and
    ``来源·…`` (where each row came from, inherited fields, names as printed). 考评标准 is there when the
    notice has it (``with_criteria`` forces it on or off, e.g. for a dataset of many notices).
    """
    indicators = doc.indicators if isinstance(doc, NoticeDocument) else doc
    columns = indicator_columns(indicators, with_criteria)
    headers = [indicator_header(g, n) for g, n in columns]
    rows = [[_indicator_value(ind, g, n) for g, n in columns] for ind in indicators]
    return headers, rows


def inherited_cells(doc: NoticeDocument | list[Indicator], with_criteria: bool | None = None) -> set[tuple[int, int]]:
    """(row index, column index) of the cells of :func:`indicator_rows_zh` whose value was inherited from a
    merged cell above, so a writer can mark them."""
    indicators = doc.indicators if isinstance(doc, NoticeDocument) else doc
    columns = indicator_columns(indicators, with_criteria)
    where = {name: k for k, (g, name) in enumerate(columns) if g in ("main", "derived")}
    return {(r, where[f]) for r, ind in enumerate(indicators) for f in ind.source.inherited if f in where}


# ---------------------------------------------------------------- other tables


def _flat_record(record: Any) -> dict[str, Any]:
    return {k: v for k, v in record.model_dump(mode="python").items() if not isinstance(v, dict)}


def table_rows_zh(doc: NoticeDocument, table: str) -> Rows:
    """Any table of :data:`TABLES` with Chinese headers and values (the indicators and the notice have
    their own layouts: :func:`indicator_rows_zh`, :func:`notice_rows_zh`)."""
    if table == "indicators":
        return indicator_rows_zh(doc)
    if table == "notice":
        return notice_rows_zh(doc.notice)
    model, exclude, getter = TABLES[table]
    fields = [f for f in model.model_fields if f not in exclude]
    columns: list[str] = []
    for f in fields:
        columns.append(f)
        if table == "issues" and f == "kind":
            columns.append("kind_label")
    rows = []
    for record in getter(doc):
        flat = _flat_record(record)
        if table == "issues":
            flat["kind_label"] = kind_name(flat["kind"])
        rows.append([_cell(c, flat.get(c)) for c in columns])
    return [column_label(table, c) for c in columns], rows


def notice_rows_zh(notice: Notice) -> Rows:
    """The notice as rows: one per fact (发文字号 …), body part, step and leadership role."""
    lab = labels()
    sections = lab["notice_sections"]
    rows: list[list[Any]] = []
    for name, label in lab["notice_facts"].items():
        value = getattr(notice, name)
        if value not in (None, "", []):
            rows.append([sections["facts"], None, label, _cell(name, value), None, None, None])
    for part in notice.parts:
        rows.append([sections["parts"], part.number, part.title, part.text or None, None, None, None])
    for step in notice.steps:
        rows.append([sections["steps"], step.number, step.title, step.text or None, step.date_text,
                     step.date_start, step.date_end])
    for role in notice.leadership:
        rows.append([sections["leadership"], role.role, role.name, role.position, None, None, None])
    for col in notice.columns:  # which printed column fed which field (a 三级指标 table's 二级指标 is level1)
        rows.append([sections["columns"], col.field, _field_label(col.field), col.header, None, None,
                     None])
    return list(lab["notice_columns"]), rows


def sheets_zh(doc: NoticeDocument) -> dict[str, Rows]:
    """table name → (Chinese headers, rows), in :data:`TABLES` order (sheet names: :func:`sheet_name`)."""
    return {table: table_rows_zh(doc, table) for table in TABLES}
