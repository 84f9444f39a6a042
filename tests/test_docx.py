"""extract.docx: real merges from the Word XML, paragraphs, and safe refusal of bad archives."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile

import docx
import kaoping.extract.docx as dx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from kaoping.extract import get_extractor
from kaoping.schema.errors import InputError
from kaoping.schema.raw import RawCell, RawDocument, RawTable, SourceInfo
from support import SAMPLES, zip_bytes

SAMPLE = SAMPLES / "notice_2022.docx"


def read(data: bytes) -> RawDocument:
    info = SourceInfo(format="docx", file="t.docx", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return dx.docx_to_raw(data, info)


def to_bytes(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def cell_at(table: RawTable, row: int, col: int) -> RawCell:
    found = [c for c in table.cells if c.row == row and c.col == col]
    assert len(found) == 1, f"no single cell starts at ({row}, {col}): {found}"
    return found[0]


def slots(table: RawTable) -> dict[tuple[int, int], str]:
    """Every grid slot -> text of the real cell covering it; asserts no slot is covered twice."""
    out: dict[tuple[int, int], str] = {}
    for c in table.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                assert (r, k) not in out, f"slot {(r, k)} covered twice"
                out[(r, k)] = c.text
    return out


def grid_doc(rows: int, cols: int) -> tuple[docx.document.Document, docx.table.Table]:
    document = docx.Document()
    document.add_paragraph("标题")
    table = document.add_table(rows=rows, cols=cols)
    for r in range(rows):
        for c in range(cols):
            table.cell(r, c).text = f"r{r}c{c}"
    document.add_paragraph("落款")
    return document, table


def add_row_property(tr, name: str, val: str | None = None) -> None:
    el = OxmlElement(name)
    if val is not None:
        el.set(qn("w:val"), val)
    tr.get_or_add_trPr().append(el)


# --- the sample ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> RawDocument:
    return read(SAMPLE.read_bytes())


def test_sample_table_shape(sample: RawDocument) -> None:
    assert len(sample.tables) == 1
    table = sample.tables[0]
    assert table.n_cols == 11
    assert len(table.rows) == 66
    assert [r.index for r in table.rows if r.header] == [0, 1]
    assert all(r.page is None and r.line is None for r in table.rows)
    assert all(c.bbox is None and c.page is None for c in table.cells)
    assert not table.ragged
    assert sample.warnings == []
    assert len(slots(table)) == 66 * 11  # every slot covered exactly once


def test_sample_header_merges(sample: RawDocument) -> None:
    table = sample.tables[0]
    assert (cell_at(table, 0, 0).text, cell_at(table, 0, 0).rowspan, cell_at(table, 0, 0).colspan) == ("项目", 2, 2)
    assert (cell_at(table, 0, 2).text, cell_at(table, 0, 2).colspan) == ("目标内容", 4)
    assert (cell_at(table, 0, 6).text, cell_at(table, 0, 6).rowspan) == ("权重", 2)
    assert (cell_at(table, 0, 8).text, cell_at(table, 0, 8).colspan) == ("责任分解", 3)
    assert [cell_at(table, 1, k).text for k in (2, 3, 4, 5, 8, 9, 10)] == [
        "序号", "文件依据", "一级指标", "二级指标", "分管领导", "责任部门", "责任人"]


def test_sample_body_merges(sample: RawDocument) -> None:
    table = sample.tables[0]
    category = cell_at(table, 2, 0)
    assert category.text == "职能工作目标（75分）"
    assert (category.rowspan, category.colspan) == (37, 1)
    level1 = cell_at(table, 2, 4)
    assert level1.text.startswith("实施国企发展赶超计划") and level1.rowspan == 2
    # 1-17: the item text spans the 一级指标 and 二级指标 columns
    assert cell_at(table, 34, 2).text == "1-17"
    assert (cell_at(table, 34, 4).text, cell_at(table, 34, 4).colspan) == ("全国文明城市创建工作", 2)
    # 4-1: the item text spans 文件依据, 一级指标 and 二级指标
    assert cell_at(table, 40, 2).text == "4-1"
    assert cell_at(table, 40, 3).colspan == 3
    assert cell_at(table, 40, 3).text.startswith("落实从严治党主体责任")
    # 4-4: 分管领导/责任部门/责任人 shared with 4-5
    assert cell_at(table, 43, 2).text == "4-4"
    assert [(cell_at(table, 43, k).text, cell_at(table, 43, k).rowspan) for k in (8, 9, 10)] == [
        ("汪亚彬", 2), ("办公室", 2), ("陈瑞典", 2)]
    assert not [c for c in table.cells if c.row == 44 and c.col >= 8]
    total = cell_at(table, 64, 0)
    assert (total.text, total.colspan, total.rowspan) == ("合计", 6, 1)
    assert cell_at(table, 64, 6).text == "25"


def test_sample_paragraphs(sample: RawDocument) -> None:
    assert sample.paragraphs[0].text == "泉州市人民政府国有资产监督管理委员会文件"
    assert [p.index for p in sample.paragraphs] == list(range(len(sample.paragraphs)))
    table = sample.tables[0]
    assert (table.paragraphs_before, len(sample.paragraphs)) == (32, 35)
    assert sample.paragraphs[table.paragraphs_before - 1].text == "2022年7月27日"
    assert sample.paragraphs[table.paragraphs_before].text.startswith("抄送")
    assert all(p.text == p.text.strip() and p.text for p in sample.paragraphs)


def test_registry_points_here() -> None:
    assert get_extractor("docx") is dx.docx_to_raw


# --- built documents: each merge kind -----------------------------------------------------------


def test_plain_grid_and_paragraphs_before() -> None:
    document, _ = grid_doc(2, 3)
    raw = read(to_bytes(document))
    table = raw.tables[0]
    assert (table.n_cols, len(table.rows), len(table.cells)) == (3, 2, 6)
    assert cell_at(table, 1, 2).text == "r1c2"
    assert table.paragraphs_before == 1
    assert [p.text for p in raw.paragraphs] == ["标题", "落款"]


def test_horizontal_grid_span() -> None:
    document, table = grid_doc(2, 4)
    table.cell(0, 1).merge(table.cell(0, 2))
    raw = read(to_bytes(document)).tables[0]
    merged = cell_at(raw, 0, 1)
    assert merged.colspan == 2 and merged.rowspan == 1
    assert merged.text == "r0c1\nr0c2"  # python-docx moves the merged paragraphs into one cell
    assert cell_at(raw, 0, 3).text == "r0c3"
    assert len([c for c in raw.cells if c.row == 0]) == 3
    assert len(slots(raw)) == 8


def test_vertical_merge_restart_continue() -> None:
    document, table = grid_doc(4, 2)
    table.cell(0, 0).merge(table.cell(2, 0))
    assert 'w:vMerge w:val="restart"' in table._tbl.xml  # the merge is really written as vMerge
    raw = read(to_bytes(document)).tables[0]
    top = cell_at(raw, 0, 0)
    assert (top.rowspan, top.colspan) == (3, 1)
    assert top.text.split("\n") == ["r0c0", "r1c0", "r2c0"]
    assert cell_at(raw, 3, 0).rowspan == 1
    assert not [c for c in raw.cells if c.col == 0 and c.row in (1, 2)]
    assert [cell_at(raw, r, 1).text for r in range(4)] == ["r0c1", "r1c1", "r2c1", "r3c1"]


def test_two_vertical_merges_in_one_column_stay_apart() -> None:
    document, table = grid_doc(4, 2)
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(2, 0).merge(table.cell(3, 0))
    raw = read(to_bytes(document)).tables[0]
    assert [(c.row, c.rowspan) for c in raw.cells if c.col == 0] == [(0, 2), (2, 2)]


def test_horizontal_and_vertical_combined() -> None:
    document, table = grid_doc(3, 4)
    table.cell(0, 1).merge(table.cell(1, 2))  # a 2x2 block
    raw = read(to_bytes(document)).tables[0]
    block = cell_at(raw, 0, 1)
    assert (block.rowspan, block.colspan) == (2, 2)
    assert block.text.startswith("r0c1")
    assert cell_at(raw, 1, 3).text == "r1c3"
    assert cell_at(raw, 1, 0).text == "r1c0"
    assert len(slots(raw)) == 12
    assert len(raw.cells) == 12 - 3


def test_grid_before_and_after_shift_cells() -> None:
    document, table = grid_doc(2, 3)
    tr = table.rows[1]._tr
    tr.remove(tr.tc_lst[0])  # the row starts one grid column in ...
    tr.remove(tr.tc_lst[-1])  # ... and ends one early
    add_row_property(tr, "w:gridBefore", "1")
    add_row_property(tr, "w:gridAfter", "1")
    raw = read(to_bytes(document)).tables[0]
    assert raw.n_cols == 3
    assert [(c.col, c.text) for c in raw.cells if c.row == 1] == [(1, "r1c1")]


def test_header_rows_flagged_and_switched_off() -> None:
    document, table = grid_doc(3, 2)
    add_row_property(table.rows[0]._tr, "w:tblHeader")
    add_row_property(table.rows[1]._tr, "w:tblHeader", "false")
    raw = read(to_bytes(document)).tables[0]
    assert [r.header for r in raw.rows] == [True, False, False]


def test_nested_table_flattened_into_cell() -> None:
    document, table = grid_doc(2, 2)
    outer = table.cell(1, 1)
    inner = outer.add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "甲"
    inner.cell(0, 1).text = "乙"
    inner.cell(1, 0).text = "丙"
    raw = read(to_bytes(document))
    assert len(raw.tables) == 1
    assert cell_at(raw.tables[0], 1, 1).text == "r1c1\n甲\t乙\n丙"
    assert [p.text for p in raw.paragraphs] == ["标题", "落款"]  # no inner text leaks out


def test_a_layout_table_around_the_table_is_read_as_the_page() -> None:
    """A web page saved or converted to Word keeps its layout table: the notice's lines and the 考评表 are in
    its cell. A table whose inner table is longer than it is a layout table: its paragraphs are the notice's
    paragraphs (a <br> line break starts a new one), the inner table is the document's table."""
    document = docx.Document()
    document.add_paragraph("网站导航")
    outer = document.add_table(rows=2, cols=1)
    head = outer.cell(0, 0).paragraphs[0]
    head.add_run("某局文件")
    head.add_run().add_break()
    head.add_run("某政办〔2022〕3号")
    inner = outer.cell(0, 0).add_table(rows=4, cols=3)
    for r, row in enumerate([("序号", "二级指标", "权重"), ("1", "做好甲。", "2"), ("2", "做好乙。", "1"),
                             ("3", "做好丙。", "1")]):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    outer.cell(1, 0).text = "抄送：各科室。"
    raw = read(to_bytes(document))
    assert len(raw.tables) == 1 and len(raw.tables[0].rows) == 4
    assert cell_at(raw.tables[0], 2, 1).text == "做好乙。"
    assert [p.text for p in raw.paragraphs] == ["网站导航", "某局文件", "某政办〔2022〕3号", "抄送：各科室。"]
    assert raw.tables[0].paragraphs_before == 3


def test_cell_paragraphs_joined_and_empty_skipped() -> None:
    document, table = grid_doc(1, 2)
    cell = table.cell(0, 0)
    cell.add_paragraph("")
    cell.add_paragraph("second")
    run = cell.add_paragraph("a").add_run()
    run.add_break()
    run.add_text("b")
    raw = read(to_bytes(document)).tables[0]
    assert cell_at(raw, 0, 0).text == "r0c0\nsecond\na\nb"


def test_tables_count_and_empty_body_paragraphs() -> None:
    document, _ = grid_doc(1, 1)
    document.add_paragraph("   ")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "second"
    raw = read(to_bytes(document))
    assert [t.index for t in raw.tables] == [0, 1]
    assert [t.paragraphs_before for t in raw.tables] == [1, 2]
    assert cell_at(raw.tables[1], 0, 0).text == "second"


# --- refusing what cannot be read -------------------------------------------------------------




def test_random_bytes_is_not_a_zip() -> None:
    data = random.Random(7).randbytes(4096)
    with pytest.raises(InputError) as err:
        read(data)
    assert err.value.message == "corrupt DOCX: not a valid zip archive"
    with pytest.raises(InputError) as err:
        read(b"PK\x03\x04" + data)
    assert err.value.message == "corrupt DOCX: not a valid zip archive"


def test_truncated_sample() -> None:
    data = SAMPLE.read_bytes()
    with pytest.raises(InputError) as err:
        read(data[: len(data) // 2])
    assert err.value.message == "corrupt DOCX: not a valid zip archive"


def test_zip_without_document_xml() -> None:
    with pytest.raises(InputError) as err:
        read(zip_bytes({"word/styles.xml": b"<x/>", "hello.txt": b"hi"}))
    assert err.value.message == "corrupt DOCX: word/document.xml missing"


def test_document_xml_not_xml() -> None:
    with pytest.raises(InputError) as err:
        read(zip_bytes({"word/document.xml": b"<w:document><oops"}))
    assert err.value.message.startswith("corrupt DOCX: word/document.xml is not well-formed XML (")


def test_document_xml_of_another_kind() -> None:
    with pytest.raises(InputError) as err:
        read(zip_bytes({"word/document.xml": b"<html><body/></html>"}))
    assert err.value.message == "corrupt DOCX: word/document.xml is not a WordprocessingML document"


def test_zip_bomb_member_ratio() -> None:
    bomb = zip_bytes({"word/document.xml": b"<x/>", "word/media/blank.bin": bytes(16 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(InputError) as err:
        read(bomb)
    assert err.value.message == "DOCX too large when uncompressed (zip bomb?)"


def test_zip_total_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    document, _ = grid_doc(1, 1)
    data = to_bytes(document)
    read(data)  # fine under the real limit
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    from kaoping.schema.limits import Limits, using_limits

    with using_limits(Limits(max_part_bytes=total - 1)), pytest.raises(InputError) as err:
        read(data)
    assert err.value.message == "DOCX too large when uncompressed (zip bomb?)"


def test_damaged_sample_raises_input_error_only() -> None:
    data = SAMPLE.read_bytes()
    rng = random.Random(2022)
    outcomes = set()
    for _ in range(60):
        damaged = bytearray(data)
        for _ in range(4):
            damaged[rng.randrange(len(damaged))] ^= 0xFF
        try:
            read(bytes(damaged))
            outcomes.add("ok")
        except InputError as exc:
            assert exc.message.startswith(("corrupt DOCX: ", "DOCX too large"))
            outcomes.add("error")
    assert "error" in outcomes


# --- hand-written XML: rarer constructs ---------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def word_xml(body: str, ns: str = W_NS) -> bytes:
    return (f'<w:document xmlns:w="{ns}" xmlns:mc="{MC_NS}"><w:body>{body}</w:body></w:document>').encode()


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>"


def test_orphan_vmerge_continue_kept_with_warning() -> None:
    body = f'<w:tbl><w:tr>{tc("a")}{tc("b", "<w:vMerge/>")}</w:tr></w:tbl>'
    raw = read(zip_bytes({"word/document.xml": word_xml(body)}))
    assert [(c.col, c.text, c.rowspan) for c in raw.tables[0].cells] == [(0, "a", 1), (1, "b", 1)]
    assert raw.warnings == ["table 0 row 0: vertical merge at grid column 1 continues no cell above; "
                            "kept as its own cell"]


def test_absurd_grid_span_is_clamped() -> None:
    huge = tc("a", '<w:gridSpan w:val="99999999"/>')
    junk = tc("b", '<w:gridSpan w:val="x"/>')
    body = f"<w:tbl><w:tr>{huge}{junk}</w:tr></w:tbl>"
    raw = read(zip_bytes({"word/document.xml": word_xml(body)})).tables[0]
    assert [(c.col, c.colspan) for c in raw.cells] == [(0, dx.MAX_GRID_SPAN), (dx.MAX_GRID_SPAN, 1)]
    assert raw.n_cols == dx.MAX_GRID_SPAN + 1


def test_legacy_hmerge() -> None:
    restart = tc("a", "<w:hMerge w:val='restart'/>")
    body = (f'<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>'
            f'<w:tr>{restart}{tc("", "<w:hMerge/>")}{tc("c")}</w:tr></w:tbl>')
    raw = read(zip_bytes({"word/document.xml": word_xml(body)})).tables[0]
    assert [(c.col, c.colspan, c.text) for c in raw.cells] == [(0, 2, "a"), (2, 1, "c")]


def test_content_controls_deleted_text_and_strict_namespace() -> None:
    body = (f"<w:sdt><w:sdtContent>{p('在控件里')}</w:sdtContent></w:sdt>"
            "<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删掉</w:delText></w:r></w:del>"
            "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:r><w:tab/><w:t>尾</w:t></w:r></w:p>"
            f"<w:tbl><w:sdt><w:sdtContent><w:tr>{tc('x')}</w:tr></w:sdtContent></w:sdt></w:tbl>")
    for ns in (W_NS, "http://purl.oclc.org/ooxml/wordprocessingml/main"):
        raw = read(zip_bytes({"word/document.xml": word_xml(body, ns)}))
        assert [q.text for q in raw.paragraphs] == ["在控件里", "保留插入\t尾"]
        assert [c.text for c in raw.tables[0].cells] == ["x"]
        assert raw.tables[0].paragraphs_before == 2


def test_text_box_read_once_from_preferred_rendering() -> None:
    box = f"<w:txbxContent>{p('文件头')}</w:txbxContent>"
    body = ("<w:p><w:r><mc:AlternateContent>"
            f"<mc:Choice><w:drawing>{box}</w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>")
    raw = read(zip_bytes({"word/document.xml": word_xml(body)}))
    assert [q.text for q in raw.paragraphs] == ["正文", "文件头"]


def test_main_part_found_through_package_relationships() -> None:
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document2.xml"/></Relationships>')
    raw = read(zip_bytes({"_rels/.rels": rels.encode(), "word/document2.xml": word_xml(p("主文档"))}))
    assert [q.text for q in raw.paragraphs] == ["主文档"]
