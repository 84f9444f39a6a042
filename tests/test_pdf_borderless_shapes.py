"""Borderless PDF tables of other shapes: header labels wrapped over several lines, 序号 and weights
cut by narrow columns, the portrait 2023-style notice as a 三线表 (``make_pdf.build_portrait_three_line``).
"""

from __future__ import annotations

import json
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from fixtures import make_pdf
from kaoping.normalize.grid import table_to_rows
from kaoping.schema.raw import RawCell, RawRow, RawTable
from test_pdf import Page, build_pdf
from test_pdf_borderless import raw_of, table_rows
from test_pdf_long import check_notice, pdf_pages
from test_shapes import accuracy

from kaoping.api import extract

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")

# ---------------------------------------------------------------- a hand-written narrow table

NARROW = [40.0, 62.0, 200.0, 222.0, 250.0]  # 序号, 二级指标, 权重, 完成时限, 责任部门: three columns 2 glyphs wide


def narrow_page(header: list[str], rows: list[tuple[str, ...]], top: float = 60.0) -> Page:
    """A title, header lines then body lines (cells joined by '|', one string per printed line, one
    tuple per row), 11 points apart as a narrow table sets them; no rule."""
    page = Page(width=360.0, height=400.0)
    page.text(40, 30, "某局绩效目标考评表", size=16)
    y = top
    for line in header + [ln for row in rows for ln in row]:
        for x, text in zip(NARROW, line.split("|"), strict=True):
            if text:
                page.text(x, y, text)
        y += 11
    page.text(40, y + 20, "抄送：各科室。", size=14)
    return page


STACKED = ["序|二级指标|权|完成|责任", "号||重|时限|部门"]
CUT_ROWS = [
    ("1-|推进国企改革重点任务。|1.|6月|发改", "1||5|底前|科"),
    ("1-|加强资产监管，完成年度|2|12|资本", "2|目标。||月底|科"),
    ("1-|做好安全生产。|0.|12|办公", "3||5|月底|室"),
]


def test_header_labels_wrapped_glyph_by_glyph_are_one_label_each() -> None:
    doc = raw_of(build_pdf([narrow_page(STACKED, CUT_ROWS)]))
    rows = table_rows(doc)
    assert [r.header for r in doc.tables[0].rows] == [True, False, False, False]
    assert rows[0] == ["序号", "二级指标", "权重", "完成时限", "责任部门"]


def test_codes_and_weights_cut_by_a_narrow_column_start_one_row_each() -> None:
    doc = raw_of(build_pdf([narrow_page(STACKED, CUT_ROWS)]))
    assert table_rows(doc)[1:] == [
        ["1-1", "推进国企改革重点任务。", "1.5", "6月底前", "发改科"],
        ["1-2", "加强资产监管，完成年度目标。", "2", "12月底", "资本科"],
        ["1-3", "做好安全生产。", "0.5", "12月底", "办公室"],
    ]


def test_a_parent_label_over_its_children_is_a_header_row_of_its_own() -> None:
    """责任分解 over 分管/领导 and 责任/部门: two header rows, the parent spanning its children."""
    page = Page(width=420.0, height=400.0)
    xs = [40.0, 70.0, 200.0, 222.0, 250.0, 290.0]
    lines = ["序号|二级指标|权|完成|责任分解|", "||重|时限|分管|责任", "||||领导|部门",
             "1-1|推进改革。|2|6月|张三|发改", "|||底前||科", "1-2|加强监管。|1|9月|李四|资本",
             "|||底前||科", "1-3|做好安全生产。|1|7月|王五|办公", "|||底前||室"]
    y = 60.0
    for line in lines:
        for x, text in zip(xs, line.split("|"), strict=True):
            if text:
                page.text(x, y, text)
        y += 11
    doc = raw_of(build_pdf([page]))
    table = doc.tables[0]
    heads = sorted((c.row, c.col, c.colspan, c.rowspan, c.text) for c in table.cells if table.rows[c.row].header)
    assert heads == [(0, 0, 1, 2, "序号"), (0, 1, 1, 2, "二级指标"), (0, 2, 1, 2, "权重"), (0, 3, 1, 2, "完成时限"),
                     (0, 4, 2, 1, "责任分解"), (1, 4, 1, 1, "分管领导"), (1, 5, 1, 1, "责任部门")]
    assert table_rows(doc)[2] == ["1-1", "推进改革。", "2", "6月底前", "张三", "发改科"]


# ---------------------------------------------------------------- the portrait notice as a 三线表


@pytest.mark.slow
@needs_soffice
def test_portrait_three_line_notice_with_stacked_header_and_cut_codes(tmp_path: Path) -> None:
    [pdf] = make_pdf.build_portrait_three_line(tmp_path)
    check_notice(pdf, 160, pdf_pages(pdf))


# ---------------------------------------------------------------- a garbled repeated header (normalize)


def raw_table(rows: list[tuple[bool, list[str]]]) -> RawTable:
    cells = [RawCell(row=r, col=c, text=t) for r, (_, texts) in enumerate(rows) for c, t in enumerate(texts) if t]
    return RawTable(index=0, n_cols=len(rows[0][1]), cells=cells,
                    rows=[RawRow(index=r, header=h, page=1 + r // 3) for r, (h, _) in enumerate(rows)])


HEAD = ["序号", "二级指标", "权重", "完成时限", "责任部门"]


def placed(rows: list[tuple[bool, list[str]]]) -> list[dict[str, str]]:
    return [r.values for r in table_to_rows(raw_table(rows)).rows if r.kind == "body"]


def test_a_garbled_repeated_header_does_not_remap_the_rows() -> None:
    body = [["1-1", "推进改革。", "2", "6月底前", "发改科"], ["1-2", "加强监管。", "1", "9月底前", "资本科"]]
    good = placed([(True, HEAD), (False, body[0]), (True, HEAD), (False, body[1])])
    garbled = placed([(True, HEAD), (False, body[0]), (True, ["序号", "二级指标权重", "", "完成", "时限责任部门"]),
                      (False, body[1])])
    assert garbled == good
    assert good[1]["item"] == "加强监管。" and good[1]["weight"] == "1" and good[1]["departments"] == "资本科"


def test_a_complete_new_header_still_remaps_the_rows_below_it() -> None:
    """A repeat naming every field of the first, in another column order, is followed."""
    swapped = ["序号", "二级指标", "权重", "责任部门", "完成时限"]
    rows = placed([(True, HEAD), (False, ["1-1", "推进改革。", "2", "6月底前", "发改科"]),
                   (True, swapped), (False, ["1-2", "加强监管。", "1", "资本科", "9月底前"])])
    assert [(r["deadline"], r["departments"]) for r in rows] == [("6月底前", "发改科"), ("9月底前", "资本科")]


# ---------------------------------------------------------------- small ruled boxes beside a borderless table


def test_small_ruled_boxes_do_not_switch_the_borderless_reader_off() -> None:
    """A ruled one-row metadata table above and a boxed 附件 label: not the 考评表; the table without
    rules below is still read, and the boxes' text is kept as paragraphs."""
    page = narrow_page(STACKED, CUT_ROWS, top=130.0)
    xs = [40.0, 90.0, 160.0, 210.0, 300.0]
    for (x0, x1), text in zip(pairwise(xs), ["索引号", "001", "发布机构", "某局"], strict=True):
        page.cell(x0, 45, x1, 62, text)
    page.cell(40, 80, 80, 97, "附件")
    doc = raw_of(build_pdf([page]))
    assert len(doc.tables) == 1
    assert table_rows(doc)[0] == ["序号", "二级指标", "权重", "完成时限", "责任部门"]
    assert len(table_rows(doc)) == 4
    texts = " ".join(p.text for p in doc.paragraphs)
    assert "索引号" in texts and "发布机构" in texts and "附件" in texts


def test_a_ruled_table_with_header_words_keeps_the_ruled_path() -> None:
    page = Page(width=420.0, height=300.0)
    xs = [40.0, 80.0, 200.0, 240.0, 300.0]
    for r, row in enumerate([["序号", "二级指标", "权重", "完成时限"], ["1-1", "推进改革。", "2", "6月底前"]]):
        for (x0, x1), text in zip(pairwise(xs), row, strict=True):
            page.cell(x0, 40 + 20 * r, x1, 60 + 20 * r, text)
    doc = raw_of(build_pdf([page]))
    assert len(doc.tables) == 1 and doc.tables[0].n_cols == 4
    assert doc.tables[0].cells[0].bbox is not None  # ruled cells carry their boxes


def test_a_garbled_first_header_gives_way_to_a_complete_repeat_for_every_row() -> None:
    body = [["1-1", "推进改革。", "2", "6月底前", "发改科"], ["1-2", "加强监管。", "1", "9月底前", "资本科"]]
    garbled = ["序号", "二级指标权重", "", "完成", "时限责任部门"]
    rows = placed([(True, garbled), (False, body[0]), (True, HEAD), (False, body[1])])
    assert [(r["item"], r["weight"], r["departments"]) for r in rows] == [
        ("推进改革。", "2", "发改科"), ("加强监管。", "1", "资本科")]


# ---------------------------------------------------------------- other shapes without rules (LibreOffice)


@pytest.fixture(scope="module")
def shape_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("borderless_shapes")
    return {pdf.stem: pdf for pdf in make_pdf.build_borderless_shapes(out)}


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("name", list(make_pdf.BORDERLESS_SHAPES))
def test_other_shapes_without_rules_match_their_truth(shape_pdfs: dict[str, Path], name: str) -> None:
    """Field for field, in order (the shapes' codes restart per group: 1., 2.)."""
    pdf = shape_pdfs[name]
    gold = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
    doc = extract(pdf)
    pred = [json.loads(i.model_dump_json()) for i in doc.indicators]
    score, bad = accuracy(gold, pred)
    assert (len(pred), bad) == (len(gold), [])
    assert score == 1.0
    acc = doc.accounting
    assert acc.unparsed_rows == 0
    assert acc.rows_seen == (acc.indicators + acc.header_rows + acc.total_rows + acc.continuation_rows
                             + acc.blank_rows + acc.heading_rows + acc.note_rows + acc.unparsed_rows)
