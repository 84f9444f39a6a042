"""The dataset contract: pydantic models for every table kaoping writes.

JSON Schema (``kaoping schema``) and the Arrow schema of every Parquet table
(:mod:`schema.arrow`) are derived from these classes; nothing is written twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from kaoping.schema.raw import Format
from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "2.1"

Severity = Literal["error", "warning", "info"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(Record):
    """Where an indicator came from, and which of its fields were inherited from a merged cell."""

    format: Format
    file: str
    pages: list[int] = Field(default_factory=list, description="page number(s) the row spans (PDF)")
    lines: list[int] = Field(default_factory=list, description="line number(s) in the text file")
    rows: list[int] = Field(default_factory=list, description="0-based row index(es) in the source table")
    table: int = 0
    inherited: list[str] = Field(
        default_factory=list, description="fields whose value comes from a merged/blank cell above"
    )


class ExtraField(Record):
    """A printed column with no field of its own: kept under its header so no cell is dropped."""

    header: str = Field(description="the column's header as printed (parent / child joined by ' / ')")
    text: str


class Target(Record):
    """A quantitative target parsed from an item's text (300个以上 → metric, ≥, 300, 个)."""

    seq: int = Field(description="seq of the indicator it belongs to")
    code: str | None = None
    metric: str | None = Field(default=None, description="the noun phrase counted, e.g. 公共停车位")
    comparator: Literal[">=", "<=", "="] = "="
    value: float
    unit: str | None = Field(default=None, description="unit after the multiplier is applied (元, 个, 公里)")
    raw: str = Field(description="the span as printed")


class Indicator(Record):
    seq: int = Field(description="1-based order in the table")
    code: str | None = Field(default=None, description="序号 as printed (1-1-1); null where none is printed")
    code_inferred: bool = False
    category: str | None = None
    category_points: float | None = None
    group: str | None = None
    group_points: float | None = None
    level1_code: str | None = None
    level1: str | None = Field(default=None, description="一级指标 text without its note and points")
    level1_points: float | None = None
    level1_note: str | None = Field(default=None, description="the 属… note without brackets")
    item: str = Field(description="二级指标, or the single text of a row that has no level-1")
    weight: float | None = None
    criteria: str | None = Field(default=None, description="考评标准 / 评分标准: how the item is scored")
    deadline: str | None = Field(default=None, description="完成时限 as printed (12月底前)")
    deadline_date: dt.date | None = Field(default=None, description="last day of that month in the notice's year")
    leaders: list[str] = Field(default_factory=list, description="分管领导")
    departments: list[str] = Field(default_factory=list, description="责任部门")
    owners: list[str] = Field(default_factory=list, description="责任人")
    leaders_printed: list[str] = Field(default_factory=list, description="leaders as printed, before --aliases")
    owners_printed: list[str] = Field(default_factory=list, description="owners as printed, before --aliases")
    basis: str | None = Field(default=None, description="文件依据 text")
    basis_refs: list[str] = Field(default_factory=list, description="reference ids the 文件依据 cites")
    level1_cites: list[str] = Field(default_factory=list, description="reference ids the 属… note points at")
    targets: list[Target] = Field(default_factory=list)
    extra: list[ExtraField] = Field(default_factory=list, description="header → text for every printed column "
                                    "that has no field (nothing printed is dropped)")
    source: Source


class BodyPart(Record):
    number: str = Field(description="一 / 二 …")
    title: str
    text: str = ""


class Step(Record):
    number: str = Field(description="（一）…")
    title: str
    date_text: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    text: str = ""


class Role(Record):
    role: str = Field(description="组长 / 副组长 / 成员")
    name: str | None = None
    position: str | None = None


class PrintedColumn(Record):
    field: str = Field(description="the indicator field the column fills (level1, item_points …)")
    header: str = Field(description="the column's header as printed (parent / child joined by ' / ')")


class Notice(Record):
    """The notice itself: the GB/T 9704 elements present, the body as data, and the source."""

    issuer_mark: str | None = Field(default=None, description="发文机关标志")
    doc_number: str | None = Field(default=None, description="发文字号, normalised")
    title: str | None = Field(default=None, description="标题")
    addressee: str | None = Field(default=None, description="主送机关")
    signer: str | None = Field(default=None, description="署名 (发文机关署名)")
    date: dt.date | None = Field(default=None, description="成文日期")
    attachment_note: str | None = Field(default=None, description="附件说明")
    attachment_title: str | None = Field(default=None, description="附件标题: the table's own title")
    table_unit: str | None = Field(default=None, description="参评单位")
    table_date: dt.date | None = None
    cc: list[str] = Field(default_factory=list, description="抄送")
    printer: str | None = Field(default=None, description="印发机关")
    print_date: dt.date | None = Field(default=None, description="印发日期")
    year: int | None = None
    parts: list[BodyPart] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    leadership: list[Role] = Field(default_factory=list)
    columns: list[PrintedColumn] = Field(
        default_factory=list, description="the 考评表's columns as its header prints them and the field each "
        "fills (the first table read; a 三级指标 table's 二级指标 is level1)")
    source_file: str
    source_format: Format
    sha256: str
    pages: int | None = None
    schema_version: str = SCHEMA_VERSION


class Reference(Record):
    """One cited document, however many times and wordings it is cited with."""

    id: str = Field(description="normalised 发文字号, or the title of an unnumbered document")
    doc_number: str | None = None
    issuer_code: str | None = Field(default=None, description="机关代字 (泉政办)")
    issuer: str | None = Field(default=None, description="expanded issuer name")
    issuer_status: Literal["confirmed", "inferred", "notice", "unknown"] | None = None
    year: int | None = None
    serial: int | None = None
    title: str | None = Field(default=None, description="fullest title seen, without an issuer prefix")
    titles: list[str] = Field(default_factory=list, description="every wording seen")
    cited_in: list[str] = Field(default_factory=list, description="'body' and/or indicator codes (or #seq)")


class Citation(Record):
    """One part of a 属… note resolved to a reference."""

    seq: int
    code: str | None = None
    reference_id: str | None = None
    alias: str = Field(description="how the note names the document")
    locator: str | None = Field(default=None, description="pages / items / 附件N")
    part: str = Field(description="the note part as printed")
    confidence: float = 0.0


class Issue(Record):
    """A non-fatal finding, recorded as data."""

    severity: Severity
    kind: str = Field(description="machine-readable kind, e.g. unparsed_row, weight_sum, name_variant")
    message: str
    code: str | None = Field(default=None, description="indicator code (or #seq) it concerns")
    page: int | None = None
    line: int | None = None
    row: int | None = None
    cells: list[str] = Field(default_factory=list, description="raw cells of the row concerned")


class Person(Record):
    name: str
    role: Literal["leader", "owner"]
    departments: list[str] = Field(default_factory=list)
    codes: list[str] = Field(default_factory=list, description="indicator codes (or #seq)")
    variants: list[str] = Field(default_factory=list, description="spellings seen that look like this name")


class TotalRow(Record):
    """A 合计 / 得分 row: kept for the arithmetic checks."""

    label: str
    value: float | None = None
    level: Literal["group", "category", "grand"] = Field(
        default="category", description="what the row totals: a group (小计), a category (合计) or everything (得分/总分)")
    category: str | None = Field(default=None, description="the category a 合计/小计 closes (None for the grand total)")
    group: str | None = Field(default=None, description="the group a 小计 closes")
    table: int = 0
    page: int | None = None
    line: int | None = None
    row: int | None = None


class Accounting(Record):
    """Every source table row ends in exactly one of these buckets."""

    rows_seen: int = 0
    indicators: int = 0
    header_rows: int = 0
    total_rows: int = 0
    continuation_rows: int = 0
    blank_rows: int = 0
    heading_rows: int = Field(default=0, description="section / group rows (一、…（30分）): read as the category "
                              "or group of the rows below, not as indicators")
    note_rows: int = Field(default=0, description="注：/备注：/说明： lines inside the table: kept as table_note issues")
    unparsed_rows: int = 0


class NoticeDocument(Record):
    """``notice.json``: everything one notice yields."""

    notice: Notice
    indicators: list[Indicator] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    totals: list[TotalRow] = Field(default_factory=list)
    accounting: Accounting = Field(default_factory=Accounting)


class DiffChange(Record):
    """diff.parquet: one row per change between two notices (added/removed indicators included)."""

    old_code: str | None = None
    new_code: str | None = None
    old_seq: int | None = None
    new_seq: int | None = None
    field: str = Field(description="item, weight, deadline, leaders, … targets, or added / removed")
    metric: str | None = Field(default=None, description="for targets: the metric that moved")
    old: str | None = None
    new: str | None = None
