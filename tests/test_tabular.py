"""--format xlsx / csv: one sheet or file per table, read back with openpyxl and pandas, compared with notice.json."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from kaoping.schema.models import Indicator, Notice, NoticeDocument, Source
from openpyxl import load_workbook
from support import SAMPLES

from kaoping.cli import main
from kaoping.writers.tables import TABLES
from kaoping.writers.tabular import LIST_JOINER, column_width, document_to_xlsx


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tab") / "out"
    assert main(["extract", str(SAMPLES / "notice_2022.txt"), "-o", str(folder), "-q",
                 "--format", "json,xlsx,csv"]) == 0
    return folder


@pytest.fixture(scope="module")
def doc(out: Path) -> dict:
    return json.loads((out / "notice.json").read_text(encoding="utf-8"))


def joined(values: list) -> str:
    return LIST_JOINER.join(str(v) for v in values)


def test_xlsx_has_one_sheet_per_table_with_frozen_bold_header(out: Path, doc: dict) -> None:
    wb = load_workbook(out / "notice.xlsx")
    assert wb.sheetnames == list(TABLES)
    ws = wb["indicators"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert all(c.font.bold for c in ws[1])
    assert header[:3] == ["seq", "code", "code_inferred"] and "targets" not in header
    assert {"source_format", "source_file", "source_pages", "source_lines", "source_rows"} <= set(header)
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(doc["indicators"]) == 61
    for row, rec in zip(rows, doc["indicators"], strict=True):
        assert row["code"] == rec["code"] and row["item"] == rec["item"] and row["weight"] == rec["weight"]
        assert row["owners"] == (joined(rec["owners"]) or None)
        assert row["departments"] == (joined(rec["departments"]) or None)
        assert row["source_lines"] == joined(rec["source"]["lines"])
        expected_date = rec["deadline_date"] and dt.datetime.fromisoformat(rec["deadline_date"])
        assert row["deadline_date"] == expected_date
    # readable widths: the item column is wide, the seq column narrow
    width = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(header) if i < 26}
    assert width["item"] >= 40 and width["seq"] < 12
    notice_ws = wb["notice"]
    nh = [c.value for c in notice_ws[1]]
    nrow = dict(zip(nh, next(notice_ws.iter_rows(min_row=2, values_only=True)), strict=True))
    assert nrow["doc_number"] == doc["notice"]["doc_number"]
    assert json.loads(nrow["leadership"]) == doc["notice"]["leadership"]  # records as JSON text


def test_csv_one_file_per_table_with_bom_read_by_pandas(out: Path, doc: dict) -> None:
    for name in TABLES:
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
    df = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(df) == 61
    for row, rec in zip(df.to_dict("records"), doc["indicators"], strict=True):
        assert row["code"] == (rec["code"] or "") and row["item"] == rec["item"]
        assert float(row["weight"]) == rec["weight"]
        assert row["leaders"] == joined(rec["leaders"]) and row["owners"] == joined(rec["owners"])
        assert row["deadline_date"] == (rec["deadline_date"] or "")
        assert row["source_file"] == "notice_2022.txt"
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(issues["kind"]) == [i["kind"] for i in doc["issues"]]


def test_outputs_are_byte_identical_across_runs(out: Path, tmp_path: Path) -> None:
    time.sleep(1.1)  # a clock-stamped zip entry or core.xml would now differ
    again = tmp_path / "again"
    assert main(["extract", str(SAMPLES / "notice_2022.txt"), "-o", str(again), "-q",
                 "--format", "xlsx,csv"]) == 0
    for p in again.iterdir():
        assert hashlib.sha256(p.read_bytes()).digest() == hashlib.sha256((out / p.name).read_bytes()).digest(), p
    with zipfile.ZipFile(again / "notice.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2022-08-03T00:00:00Z" in z.read("docProps/core.xml")


def test_empty_tables_and_undated_notice() -> None:
    notice = Notice(source_file="x.txt", source_format="text", sha256="0" * 64)
    ind = Indicator(seq=1, item="某项工作", owners=["张三", "李四"], source=Source(format="text", file="x.txt"))
    data = document_to_xlsx(NoticeDocument(notice=notice, indicators=[ind]))
    assert data == document_to_xlsx(NoticeDocument(notice=notice, indicators=[ind]))
    wb = load_workbook(io.BytesIO(data))
    assert wb["references"].max_row == 1 and wb["references"]["A1"].value == "id"
    assert [c.value for c in wb["indicators"][2]][list(Indicator.model_fields).index("owners")] == "张三、李四"


def test_column_width_counts_cjk_double_and_clamps() -> None:
    assert column_width("code", ["1-1-1"]) == 7
    assert column_width("x", ["中文"]) == 6
    assert column_width("x", ["中" * 10]) == 22
    assert column_width("x", ["中" * 100]) == 60
