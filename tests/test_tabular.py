"""--format xlsx / csv: one Chinese sheet or file per table, read back with openpyxl and pandas, compared with notice.json."""

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
from kaoping.schema.models import ExtraField, Indicator, Notice, NoticeDocument, Source
from openpyxl import load_workbook
from support import SAMPLES

from kaoping.cli import main
from kaoping.writers.labels import indicator_rows_zh
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


ANALYST_HEADERS = ["序号", "类别", "分组", "一级指标", "分值", "二级指标", "权重", "完成时限", "分管领导", "责任部门",
                   "责任人", "文件依据"]
SHEETS = ["指标", "引用文件", "引用", "量化目标", "问题", "人员", "合计", "通知"]


def test_xlsx_has_one_chinese_sheet_per_table_with_frozen_bold_header(out: Path, doc: dict) -> None:
    wb = load_workbook(out / "notice.xlsx")
    assert wb.sheetnames == SHEETS and len(SHEETS) == len(TABLES)
    ws = wb["指标"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:AD{61 + 1}"
    header = [c.value for c in ws[1]]
    assert all(c.font.bold for c in ws[1])
    assert header[:12] == ANALYST_HEADERS  # the sample has no 考评标准 column and no extra column
    assert header[12:19] == ["解析·一级指标序号", "解析·一级指标说明", "解析·类别分值", "解析·分组分值", "解析·完成日期",
                             "解析·文件依据文号", "解析·说明引用文号"]
    assert header[19:] == ["来源·行次", "来源·序号系推断", "来源·继承合并单元格", "来源·分管领导原文", "来源·责任人原文",
                           "来源·格式", "来源·文件", "来源·页码", "来源·行号", "来源·表格行", "来源·表格"]
    assert ws.column_dimensions["M"].outlineLevel == 1 and ws.column_dimensions["L"].outlineLevel == 0
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(doc["indicators"]) == 61
    for row, rec in zip(rows, doc["indicators"], strict=True):
        assert row["序号"] == rec["code"] and row["二级指标"] == rec["item"] and row["权重"] == rec["weight"]
        assert row["责任人"] == (joined(rec["owners"]) or None)
        assert row["责任部门"] == (joined(rec["departments"]) or None)
        assert row["来源·行号"] == joined(rec["source"]["lines"])
        assert row["来源·格式"] == "纯文本" and row["来源·序号系推断"] == ("是" if rec["code_inferred"] else "否")
        expected_date = rec["deadline_date"] and dt.datetime.fromisoformat(rec["deadline_date"])
        assert row["解析·完成日期"] == expected_date
    # readable widths: the item column is wide, the code column narrow
    width = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(header) if i < 26}
    assert width["二级指标"] == 60 and width["序号"] < 12
    assert ws["F2"].alignment.wrap_text
    notice_ws = wb["通知"]
    assert [c.value for c in notice_ws[1]] == ["部分", "编号", "名称", "内容", "时间", "开始日期", "结束日期"]
    nrows = list(notice_ws.iter_rows(min_row=2, values_only=True))
    assert ("基本信息", None, "发文字号", doc["notice"]["doc_number"]) == nrows[1][:4]
    roles = [r[1:4] for r in nrows if r[0] == "领导小组"]
    assert roles == [(x["role"], x["name"], x["position"]) for x in doc["notice"]["leadership"]] and roles
    steps = [r[1:3] for r in nrows if r[0] == "实施步骤"]
    assert steps == [(x["number"], x["title"]) for x in doc["notice"]["steps"]] and steps
    assert sum(1 for r in nrows if r[0] == "正文") == len(doc["notice"]["parts"]) > 0
    issues_ws = wb["问题"]
    assert [c.value for c in issues_ws[1]][:4] == ["严重程度", "类型", "类型说明", "说明"]
    severities = [r[0] for r in issues_ws.iter_rows(min_row=2, values_only=True)]
    assert severities == [{"error": "错误", "warning": "警告", "info": "提示"}[i["severity"]] for i in doc["issues"]]
    roles = {r[1] for r in wb["人员"].iter_rows(min_row=2, values_only=True)}
    assert roles == {"分管领导", "责任人"}
    status = {r[4] for r in wb["引用文件"].iter_rows(min_row=2, values_only=True)}
    assert status <= {"已确认", "推断", "本通知", "未知", None} and "已确认" in status


def test_csv_one_file_per_table_with_bom_and_the_workbook_headers(out: Path, doc: dict) -> None:
    wb = load_workbook(out / "notice.xlsx")
    for name in TABLES:
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        header = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, nrows=0).columns.tolist()
        assert header == [c.value for c in wb[SHEETS[list(TABLES).index(name)]][1]], name
    df = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(df) == 61
    for row, rec in zip(df.to_dict("records"), doc["indicators"], strict=True):
        assert row["序号"] == (rec["code"] or "") and row["二级指标"] == rec["item"]
        assert float(row["权重"]) == rec["weight"]
        assert row["分管领导"] == joined(rec["leaders"]) and row["责任人"] == joined(rec["owners"])
        assert row["解析·完成日期"] == (rec["deadline_date"] or "")
        assert row["来源·文件"] == "notice_2022.txt"
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(issues["类型"]) == [i["kind"] for i in doc["issues"]]


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


def test_empty_tables_undated_notice_criteria_extra_and_inherited_cells() -> None:
    notice = Notice(source_file="x.pdf", source_format="pdf", sha256="0" * 64)
    ind = Indicator(seq=1, item="某项工作", owners=["张三", "李四"], criteria="每少一项扣0.5分", departments=["办公室"],
                    extra=[ExtraField(header="备注", text="新增")],
                    source=Source(format="pdf", file="x.pdf", pages=[3], inherited=["departments"]))
    data = document_to_xlsx(NoticeDocument(notice=notice, indicators=[ind]))
    assert data == document_to_xlsx(NoticeDocument(notice=notice, indicators=[ind]))
    wb = load_workbook(io.BytesIO(data))
    assert wb["引用文件"].max_row == 1 and wb["引用文件"]["A1"].value == "标识"
    header = [c.value for c in wb["指标"][1]]
    assert header[:14] == ["序号", "类别", "分组", "一级指标", "分值", "二级指标", "权重", "考评标准", "完成时限", "分管领导",
                           "责任部门", "责任人", "文件依据", "备注"]
    row = dict(zip(header, [c.value for c in wb["指标"][2]], strict=True))
    assert row["责任人"] == "张三、李四" and row["考评标准"] == "每少一项扣0.5分" and row["备注"] == "新增"
    assert row["来源·页码"] == "3" and row["来源·继承合并单元格"] == "责任部门"
    dept = wb["指标"].cell(row=2, column=header.index("责任部门") + 1)
    assert dept.font.italic and not wb["指标"].cell(row=2, column=header.index("责任人") + 1).font.italic
    headers, rows = indicator_rows_zh([ind], with_criteria=False)
    assert "考评标准" not in headers and len(rows[0]) == len(headers)


def test_column_width_counts_cjk_double_and_clamps() -> None:
    assert column_width("code", ["1-1-1"]) == 7
    assert column_width("x", ["中文"]) == 6
    assert column_width("x", ["中" * 10]) == 22
    assert column_width("x", ["中" * 100]) == 60
