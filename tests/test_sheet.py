"""Spreadsheets: merged, flat and unseen sheets give the .docx's records; cells print as the sheet shows them.

Fixtures: tests/fixtures/office/*.xlsx|.xls|.ods (tests/fixtures/make_office.py); truth
samples/notice_2022.expected.json unchanged, compared with tests/test_office.py's ``golden_misses``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kaoping.extract import extract_document, sheet
from kaoping.extract.sheet import sheet_to_raw
from kaoping.extract.sheet_cells import value_to_text
from kaoping.extract.sheet_layout import Cell, unflatten
from kaoping.normalize.pipeline import raw_to_document
from kaoping.schema.errors import InputError
from kaoping.schema.raw import RawDocument, SourceInfo
from support import SAMPLES
from test_office import OFFICE, assert_accounted, document, golden_misses, needs_soffice


def info(data: bytes, fmt: str = "xlsx") -> SourceInfo:
    return SourceInfo(format=fmt, file=f"t.{fmt}", sha256=hashlib.sha256(data).hexdigest(), size=len(data))  # type: ignore[arg-type]


def grid(raw: RawDocument, skip_cols: frozenset[int] = frozenset()) -> list[tuple]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in raw.tables[0].cells if c.col not in skip_cols)


def xlsx_bytes(rows: list[list[object]], merges: tuple[str, ...] = (), title: str = "Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- golden ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["notice_2022_merged.xlsx", "notice_2022_flat.xlsx", "notice_2022_unseen.xlsx"])
def test_sheet_matches_golden(name: str) -> None:
    doc = document(OFFICE / name)
    assert golden_misses(doc) == []
    assert_accounted(doc)
    assert doc.notice.source_file == name and {i.source.format for i in doc.indicators} == {"xlsx"}


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize(("name", "fmt"), [("notice_2022_merged.ods", "ods"), ("notice_2022_flat.xls", "xls")])
def test_converted_sheet_matches_golden(name: str, fmt: str) -> None:
    doc = document(OFFICE / name)
    assert golden_misses(doc) == []
    assert_accounted(doc)
    assert (doc.notice.source_format, doc.notice.source_file) == (fmt, name)


def test_rows_above_the_header_are_the_notice() -> None:
    """Title, 参评单位 and a real date cell are paragraphs; the year comes from the title, so deadlines date."""
    for name in ("notice_2022_merged.xlsx", "notice_2022_unseen.xlsx"):
        n = document(OFFICE / name).notice
        assert n.attachment_title == "2022年度泉州市直机关政府系列和部分省部属驻泉单位绩效目标考评表"
        assert (n.year, n.table_unit, str(n.table_date)) == (2022, "泉州市国资委", "2022-07-27")
    assert document(OFFICE / "notice_2022_unseen.xlsx").indicators[0].deadline_date == dt.date(2022, 7, 31)


def test_merged_sheet_is_the_word_grid() -> None:
    assert grid(extract_document(OFFICE / "notice_2022_merged.xlsx")) == grid(extract_document(SAMPLES / "notice_2022.docx"))


def test_flat_sheet_is_merged_again_except_per_row_columns() -> None:
    """Repeated hierarchy text becomes the sample's merges; responsibility columns (8-10) stay per row."""
    responsibility = frozenset({8, 9, 10})
    flat, merged = extract_document(OFFICE / "notice_2022_flat.xlsx"), extract_document(OFFICE / "notice_2022_merged.xlsx")
    assert grid(flat, responsibility) == grid(merged, responsibility)


def test_several_sheets_say_which_was_read() -> None:
    raw = extract_document(OFFICE / "notice_2022_unseen.xlsx")
    assert raw.warnings == ["workbook has 2 sheets: read sheet '考评表（汇总）' (the first with a 考评表 header)"]
    assert raw.tables[0].n_cols == 11  # column A and the spacer column are not part of the table


# --- the flat-sheet rules on small sheets --------------------------------------------------------

HEADER = ["项目", "项目", "序号", "一级指标", "二级指标", "权重", "完成时限", "责任人"]


def flat_doc(rows: list[list[object]]) -> list:
    data = xlsx_bytes([["2024年度某局绩效目标考评表"], HEADER, *rows])
    return raw_to_document(sheet_to_raw(data, info(data))).indicators


def test_flat_runs_make_one_level1_and_infer_a_missing_code() -> None:
    got = flat_doc([["职能目标（75分）", "重点目标", "1-1-1", "甲目标。2分", "做甲", 1, "6月底前", "张三"],
                    ["职能目标（75分）", "重点目标", None, "甲目标。2分", "做乙", 1, "6月底前", "张三"]])
    assert [(i.code, i.code_inferred, i.level1, i.level1_points) for i in got] == [
        ("1-1-1", False, "甲目标。", 2.0), ("1-1-2", True, "甲目标。", 2.0)]
    assert got[0].deadline_date == dt.date(2024, 6, 30)  # year from the title row


def test_same_level1_text_in_two_code_blocks_stays_two_blocks() -> None:
    got = flat_doc([["职能目标（75分）", "重点目标", "1-1-1", "同一目标", "做甲", 1, "6月底前", "张三"],
                    ["职能目标（75分）", "重点目标", "1-2-1", "同一目标", "做乙", 1, "6月底前", "张三"]])
    assert [(i.code, i.level1_code, "level1" in i.source.inherited) for i in got] == [
        ("1-1-1", "1-1", False), ("1-2-1", "1-2", False)]


def test_items_sharing_item_weight_and_deadline_text_are_not_merged() -> None:
    cells = [Cell(0, 0, 1, 1, "二级指标"), Cell(0, 1, 1, 1, "权重"), Cell(0, 2, 1, 1, "完成时限"),
             *(Cell(r, k, 1, 1, t) for r in (1, 2) for k, t in enumerate(["开展检查", "2", "12月底前"]))]
    out = unflatten(cells, range(0, 1), 3, 3)
    assert sorted((c.row, c.col, c.rowspan, c.colspan) for c in out) == sorted(
        (c.row, c.col, 1, 1) for c in cells)


def test_real_vertical_merges_are_kept_as_the_sheet_has_them() -> None:
    cells = [Cell(0, 0, 1, 1, "一级指标"), Cell(0, 1, 1, 1, "二级指标"), Cell(1, 0, 2, 1, "甲", merged=True),
             Cell(3, 0, 1, 1, "甲"), Cell(1, 1, 1, 1, "a"), Cell(2, 1, 1, 1, "b"), Cell(3, 1, 1, 1, "c")]
    out = unflatten(cells, range(0, 1), 4, 2)
    assert [(c.row, c.rowspan) for c in out if c.col == 0 and c.row > 0] == [(1, 2), (3, 1)]


# --- printed text ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fmt", "text"), [
    (2.0, "General", "2"), (0.5, "General", "0.5"), (0.1 + 0.2, "General", "0.3"), (2, "0.0", "2.0"),
    (0.25, "0%", "25%"), (1234.5, "#,##0.00", "1,234.50"), (True, "General", "TRUE"),
    (dt.datetime(2022, 7, 27), 'yyyy"年"m"月"d"日"', "2022年7月27日"), (dt.datetime(2022, 7, 27), "yyyy/m/d", "2022/7/27"),
    (44769.0, 'm"月"d"日"', "7月27日"), (dt.datetime(2022, 7, 27, 13, 5), "yyyy-mm-dd hh:mm", "2022-07-27 13:05"),
    (dt.datetime(2022, 7, 27), "General", "2022-07-27"), ("a\r\nb", "@", "a\nb"),
])
def test_cells_print_as_displayed(value: object, fmt: str, text: str) -> None:
    assert value_to_text(value, fmt) == text


def test_chinese_builtin_date_format_is_a_date() -> None:
    """numFmtId 31 (zh-CN 'yyyy"年"m"月"d"日"') is one openpyxl calls General: still printed as a date."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = dt.datetime(2022, 7, 27)
    ws["A1"].number_format = 'yyyy"年"m"月"d"日"'
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        members = {n: z.read(n) for n in z.namelist()}
    styles = members["xl/styles.xml"].decode()
    import re

    custom = re.search(r'<numFmt numFmtId="(\d+)"', styles).group(1)  # type: ignore[union-attr]
    members["xl/styles.xml"] = styles.replace(f'numFmtId="{custom}"', 'numFmtId="31"').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    cells, _, _ = sheet.sheet_to_cells(sheet.load_workbook(out.getvalue()).active)
    assert [c.text for c in cells] == ["2022年7月27日"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=20),
       cut=st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_damaged_workbook_raises_only_input_errors(edits: list[tuple[int, int]], cut: float | None) -> None:
    data = bytearray((OFFICE / "notice_2022_merged.xlsx").read_bytes())
    for pos, value in edits:
        data[pos % len(data)] = value
    if cut is not None:
        data = data[: int(len(data) * cut)]
    try:
        raw = sheet_to_raw(bytes(data), info(bytes(data)))
    except InputError as exc:
        assert exc.message and "\n" not in exc.message
        return
    assert raw.source.format == "xlsx"


@pytest.mark.parametrize(("value", "text"), [(float("inf"), "inf"), (float("nan"), "nan")])
def test_non_finite_numbers_print_without_crashing(value: float, text: str) -> None:
    assert value_to_text(value, "General") == value_to_text(value, "0.00") == text


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "reason"), [
    (b"PK\x03\x04" + b"\x00" * 64, "corrupt XLSX: not a valid zip archive"),
    (b"\x00\x01garbage", "corrupt XLSX: not a valid zip archive"),
])
def test_garbage_is_an_input_error(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as err:
        sheet_to_raw(data, info(data))
    assert err.value.exit_code == 3


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", "<x/>")
    with pytest.raises(InputError, match="xl/workbook.xml missing"):
        sheet_to_raw(buf.getvalue(), info(buf.getvalue()))


def test_zip_bomb_is_refused_before_inflating() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<x/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (120 * 1024 * 1024))
    with pytest.raises(InputError, match="zip bomb"):
        sheet_to_raw(buf.getvalue(), info(buf.getvalue()))


def test_oversized_sheet_is_skipped_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    data = xlsx_bytes([["x"]] * 5)
    with pytest.raises(InputError, match="no sheet with any text"):
        sheet_to_raw(data, info(data))


def test_sheet_without_merges_and_blank_covered_slots_is_the_merged_sheet(tmp_path) -> None:
    """A sheet typed (or a CSV re-saved) without merging: each merged value in its first slot only, the rest
    blank, header labels included (项目 over two columns and two rows). Same records as the merged sheet."""
    from fixtures.make_delimited import sheet_records

    rows = sheet_records(OFFICE / "notice_2022_merged.xlsx")
    numbers = [[float(v) if v.replace(".", "", 1).isdigit() else (v or None) for v in r] for r in rows]
    path = tmp_path / "blank.xlsx"
    path.write_bytes(xlsx_bytes(numbers))
    doc = document(path)
    assert golden_misses(doc) == []
    assert_accounted(doc)
