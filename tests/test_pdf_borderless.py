"""Borderless PDF tables (三线表, or no rules at all): extract/pdf_borderless.py.

A hand-written PDF (no LibreOffice needed) checks the reader's pieces; the 2022 sample typeset as a
三线表 and as a table without any rule (10.5 pt, A3, wider columns), built by
``tests/fixtures/make_pdf.py``, must give the sample's 61 records field for field.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fixtures import make_pdf
from kaoping.extract import pdf as pdf_module
from kaoping.extract.pdf import pdf_to_raw
from kaoping.schema.raw import RawDocument, SourceInfo
from support import SAMPLES, norm
from test_pdf import Page, build_pdf

from kaoping.api import extract


def raw_of(data: bytes) -> RawDocument:
    return pdf_to_raw(data, SourceInfo(format="pdf", file="t.pdf", sha256="0", size=len(data)))


def table_rows(doc: RawDocument) -> list[list[str]]:
    table = doc.tables[0]
    grid = [[""] * table.n_cols for _ in table.rows]
    for c in table.cells:
        grid[c.row][c.col] = c.text
    return grid


# ---------------------------------------------------------------- a hand-written borderless table

COLS = [40.0, 90.0, 300.0, 340.0, 420.0]  # 序号, 二级指标, 权重, 完成时限, 责任部门


def borderless_page(rows: list[tuple[str, ...]], header: bool = True, title: bool = True,
                    closing: bool = True) -> Page:
    """A title in 16 pt, a header line, rows of one or more printed lines (cells joined by '|' per
    line, one tuple per table row), a closing line in 14 pt; no rule anywhere."""
    page = Page(width=520.0, height=400.0)
    if title:
        page.text(40, 30, "某局绩效目标考评表", size=16)
    y = 60.0
    if header:
        for x, label in zip(COLS, ["序号", "二级指标", "权重", "完成时限", "责任部门"], strict=True):
            page.text(x, y, label)
        y += 16
    for row in rows:
        for line in row:
            for x, text in zip(COLS, line.split("|"), strict=True):
                if text:
                    page.text(x, y, text)
            y += 12
        y += 2
    if closing:
        page.text(40, y + 20, "抄送：各科室。", size=14)
    return page


ROWS = [
    ("1-1|推进国企改革三年行动重点任务，完成|2|6月底前|发改科", "|年度目标。|||"),
    ("1-2|加强资产监管。|1.5|12月底前|资本科",),
    ("|做好安全生产。|1|12月底前|办公室",),
]


def test_borderless_table_columns_rows_and_wrapped_cells() -> None:
    doc = raw_of(build_pdf([borderless_page(ROWS)]))
    assert len(doc.tables) == 1
    assert table_rows(doc) == [
        ["序号", "二级指标", "权重", "完成时限", "责任部门"],
        ["1-1", "推进国企改革三年行动重点任务，完成年度目标。", "2", "6月底前", "发改科"],
        ["1-2", "加强资产监管。", "1.5", "12月底前", "资本科"],
        ["", "做好安全生产。", "1", "12月底前", "办公室"],  # no 序号: its weight starts the row
    ]
    assert [r.header for r in doc.tables[0].rows] == [True, False, False, False]
    texts = [p.text for p in doc.paragraphs]
    assert texts == ["某局绩效目标考评表", "抄送：各科室。"]  # prose around the table, not in it
    assert doc.tables[0].paragraphs_before == 1


def test_body_lines_set_the_table_size_once_there_are_a_few() -> None:
    """A header set larger than the body (or an OCR'd page, where a line's size is its box's height): a body
    line 15 % smaller than the header but near the body's own size is still the table; prose after it, in
    another size, still ends it."""
    page = Page(width=520.0, height=400.0)
    for x, label in zip(COLS, ["序号", "二级指标", "权重", "完成时限", "责任部门"], strict=True):
        page.text(x, 60, label, size=10.6)
    y = 76.0
    for k, size in enumerate([9.6, 9.6, 9.6, 9.0]):
        for x, text in zip(COLS, [f"1-{k + 1}", f"做好第{k + 1}项工作。", "2", "12月底前", "办公室"], strict=True):
            page.text(x, y, text, size=size)
        y += 14
    page.text(40, y + 20, "抄送：各科室。", size=14)
    doc = raw_of(build_pdf([page]))
    assert [row[0] for row in table_rows(doc)] == ["序号", "1-1", "1-2", "1-3", "1-4"]
    assert [p.text for p in doc.paragraphs] == ["抄送：各科室。"]


def test_borderless_row_cut_by_a_page_break_is_one_row() -> None:
    """The second half of 1-1's item prints on the next page, above a repeated header: one row."""
    first = borderless_page([ROWS[0][:1]], closing=False)
    second = borderless_page([("|年度目标。|||",), *ROWS[1:]], title=False)
    doc = raw_of(build_pdf([first, second]))
    body = [r for r, row in zip(table_rows(doc), doc.tables[0].rows, strict=True) if not row.header]
    assert body[0] == ["1-1", "推进国企改革三年行动重点任务，完成年度目标。", "2", "6月底前", "发改科"]
    assert len(body) == 3


def test_without_header_words_a_borderless_pdf_has_no_table() -> None:
    page = Page()
    page.text(40, 40, "某局关于做好年度工作的通知", size=16)
    page.text(40, 70, "各科室：请按时完成。")
    assert raw_of(build_pdf([page])).tables == []


def test_ruled_pdf_never_takes_the_borderless_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("borderless reader called for a ruled PDF")

    monkeypatch.setattr(pdf_module, "borderless_tables", refuse)
    data = (SAMPLES / "notice_2022.pdf").read_bytes()
    assert len(raw_of(data).tables) >= 1


# ---------------------------------------------------------------- the sample as a 三线表 (LibreOffice)

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def three_line_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_pdf.build_three_line(tmp_path_factory.mktemp("three_line"))


def field_misses(pdf: Path) -> tuple[list[tuple], int, int]:
    expected = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
    doc = extract(pdf)
    got = doc.model_dump(mode="json")["indicators"]
    misses = [(e["code"] or e["item"][:10], f, e[f], g.get(f))
              for e, g in zip(expected, got, strict=False) for f in e if norm(e[f]) != norm(g.get(f))]
    return misses, len(expected), len(got)


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("which", [0, 1], ids=["three_line", "no_rules_a3_10pt"])
def test_sample_as_borderless_pdf_matches_the_golden_records(three_line_pdfs: list[Path], which: int) -> None:
    misses, n_expected, n_got = field_misses(three_line_pdfs[which])
    assert (n_got, misses) == (n_expected, [])


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("which", [0, 1], ids=["three_line", "no_rules_a3_10pt"])
def test_sample_as_borderless_pdf_accounting_holds(three_line_pdfs: list[Path], which: int) -> None:
    doc = extract(three_line_pdfs[which])
    acc = doc.accounting
    assert acc.indicators == 61 and acc.unparsed_rows == 0
    assert acc.rows_seen == (acc.indicators + acc.header_rows + acc.total_rows + acc.continuation_rows
                             + acc.blank_rows + acc.unparsed_rows)
    assert acc.header_rows >= 2 * 7  # the two header rows, repeated on every page of the table


def _line(pieces: list[tuple[float, str]], size: float, top: float = 500.0):
    """A printed line: each piece (x, text) set solid from x in ``size``-point glyphs."""
    from kaoping.extract.pdf_lines import Line

    chars = [(ch, x + k * size, x + (k + 1) * size, top, top + size, size) for x, text in pieces
             for k, ch in enumerate(text)]
    return Line(1, chars)


def test_prose_by_size_needs_a_few_glyphs_in_a_run_or_two() -> None:
    """Under a 10-pt table: a 12-pt sentence is prose; a lone 一 or 1 measured large (a scan's box) and a line
    of three cells apart measured 17 % large (a scan's line over narrow cells) are the table's."""
    from kaoping.extract.pdf_borderless import is_prose

    def prose(line) -> bool:
        return is_prose(line, 10.0, 40.0, 700.0, inner=40.0)

    assert prose(_line([(100.0, "泉州市国资委办公室")], 12.0))
    assert prose(_line([(100.0, "泉州市国资委"), (400.0, "2022年8月3日")], 12.0))
    assert not prose(_line([(300.0, "一")], 14.0))
    assert not prose(_line([(45.0, "12")], 5.0))
    assert not prose(_line([(100.0, "分）"), (300.0, "芳 林鹏"), (500.0, "科 监督科")], 11.7))
    assert not prose(_line([(100.0, "泉州市国资委办公室")], 10.5))


def test_a_column_only_run_into_from_the_left_has_edges() -> None:
    """A header label whose column no body text starts in (every line's text runs into it from the left, set
    solid) still has a left and right edge: reading the cell that runs into it was a KeyError (an internal
    error) on a spreadsheet's print."""
    from kaoping.extract.pdf_grid import body_to_grid, cell_text

    header = _line([(50.0, "序号"), (150.0, "名称"), (250.0, "说明"), (400.0, "权重")], 10.0, top=100.0)
    body = [_line([(50.0, f"1-{k}"), (150.0, "做好某项工作并按季度报送进展情况"), (400.0, "2")], 10.0, top=120.0 + 14 * k)
            for k in range(1, 5)]
    grid = body_to_grid(body, [header])
    assert len(grid.bounds) == 5
    assert [grid.reach[i][1] for i in range(4)] == [2, 2, 2, 2]  # the text runs into the 说明 column
    assert cell_text(grid, [0], 1) == "做好某项工作并按季度报送进展情况"
    assert grid.left[2] < grid.right[2]


def test_a_narrow_gap_is_a_gutter_where_the_text_right_of_it_is_aligned() -> None:
    """A spreadsheet's print pads cells little: a full 考评项目 cell ends 0.4 sizes before the 序号 column. That
    gap is a gutter because every 序号 starts at one x; the same gap before text starting anywhere is not."""
    from kaoping.extract.pdf_lines import gutters_to_bounds

    def table(code_x: list[float]) -> list:
        rows = [_line([(110.0, "思想建设（5分）"), (x, "4-1"), (260.0, "落实工作")], 10.0, top=100.0 + 14 * k)
                for k, x in enumerate(code_x)]
        return rows + [_line([(x, "4-2"), (260.0, "落实工作")], 10.0, top=300.0 + 14 * k) for k, x in enumerate(code_x)]

    aligned = gutters_to_bounds(table([194.0] * 4), [], 99.0, 301.0)
    assert any(190.0 <= b <= 194.0 for b in aligned)
    ragged = gutters_to_bounds(table([194.0, 200.0, 197.0, 203.0]), [], 99.0, 301.0)
    assert not any(190.0 <= b <= 194.0 for b in ragged)


def test_a_weight_and_the_deadline_beside_it_part_at_a_boundary() -> None:
    """A right-aligned weight and the next cell's left-aligned 完成时限 0.19 sizes apart (LibreOffice Calc) are two
    cells; glyphs set solid across a boundary (one cell's text) stay one."""
    from kaoping.extract.pdf_lines import cut_at_bounds

    size = 10.0
    run = [("2", 100.0, 105.0, 0.0, size, size), ("1", 106.9, 111.9, 0.0, size, size),
           ("2", 111.9, 116.9, 0.0, size, size), ("月", 116.9, 126.9, 0.0, size, size)]
    assert [[g[0] for g in part] for part in cut_at_bounds(run, [90.0, 106.0, 140.0])] == [["2"], ["1", "2", "月"]]
    solid = [("工", 100.0, 110.0, 0.0, size, size), ("作", 110.5, 120.5, 0.0, size, size)]
    assert len(cut_at_bounds(solid, [90.0, 110.2, 140.0])) == 1


def test_right_aligned_figures_and_left_aligned_text_part_at_a_tight_gap_between_header_labels() -> None:
    """权重 over right-aligned weights and 完成时限 over left-aligned deadlines 0.19 sizes after them: the
    boundary is that tight gap (text ends at one x left of it and starts at one x right of it), not the wide
    blank under the end of 权重; the same tight gap under one header label (12 and 月 of 12月底前 spaced apart
    on every line) is inside its column."""
    from kaoping.extract.pdf_lines import Run, gutters_to_bounds

    size = 10.0  # weights right-aligned to end at 236.1, 0.19 sizes before the deadlines at 238
    weights = [_line([(100.0, "做好某项工作"), (236.1 - size * len(w), w), (238.0, "12月底前")], size, top=100.0 + 14 * k)
               for k, w in enumerate(["2", "3", "2", "1", "3", "2"])]
    header = [[Run("权重", 200.0, 220.0), Run("完成时限", 238.0, 278.0)]]
    bounds = gutters_to_bounds(weights, header, 99.0, 320.0)
    assert [b for b in bounds if 200.0 < b < 238.0] and all(236.0 <= b <= 238.0 for b in bounds if 200.0 < b < 238.0)
    under_one_label = gutters_to_bounds(weights, [[Run("权重完成时限", 200.0, 280.0)]], 99.0, 320.0)
    assert not [b for b in under_one_label if 237.0 <= b <= 238.5]


def test_a_label_set_left_over_figures_set_right_is_one_column() -> None:
    """A sheet's 序号 as numbers: the label 序号 set left, the figures right-aligned against the item column
    (0.2 sizes apart), a 合计 under the label. The figures are the 序号 column, not a column of their own; a
    section line across the table (一、…) does not hide the tight gap before the items."""
    from kaoping.extract.pdf_lines import Run, gutters_to_bounds

    size = 10.0
    body = [_line([(150.0 - size * len(str(k)), str(k)), (152.0, "开展某项专项行动"), (300.0, "10")], size,
                  top=100.0 + 14 * k) for k in range(1, 7)]
    body.insert(3, _line([(60.0, "一、业务工作（70分）")], size, top=135.0))
    body.append(_line([(60.0, "合计"), (300.0, "60")], size, top=200.0))
    header = [[Run("序号", 60.0, 80.0), Run("工作任务", 152.0, 192.0), Run("分值", 300.0, 320.0)]]
    bounds = gutters_to_bounds(body, header, 59.0, 330.0)
    assert [b for b in bounds if 59.0 < b < 152.0] == [b for b in bounds if 150.0 <= b <= 152.0] != []


def test_a_running_head_in_its_own_size_is_not_in_the_text_flow() -> None:
    """Calc's page head "Sheet1" (12 pt) sits 22 pt above the next page's 10-pt cells: near, but in another
    size, so it is a running head, not a cell's glyphs carried over the break (those are in the cells' size)."""
    from kaoping.extract.pdf_borderless import in_flow

    head = _line([(400.0, "Sheet1")], 12.0, top=55.0)
    carried = _line([(100.0, "1")], 10.0, top=60.0)
    cell = _line([(100.0, "完成药品检查")], 10.0, top=77.0)
    assert not in_flow([head, cell], 0)
    assert in_flow([carried, cell], 0)


def test_header_labels_of_narrow_cells_part_at_their_padding() -> None:
    """完成时限 and 责任分解 in a spreadsheet's narrow columns print 0.2 sizes apart — one run by the run gap, two
    labels: CJK is set solid, so a gap between two ideographs is two cells' padding. Latin keeps its words."""
    from kaoping.extract.pdf_lines import label_runs

    line = _line([(100.0, "完成时限"), (142.0, "责任分解"), (200.0, "权重")], 10.0)
    assert [r.text for r in label_runs(line)] == ["完成时限", "责任分解", "权重"]
    assert [r.text for r in label_runs(_line([(100.0, "完成时限责任分解")], 10.0))] == ["完成时限责任分解"]


def test_a_header_of_narrow_cells_counts_its_words_and_a_weight_set_right_stays_under_its_label() -> None:
    """A sheet's narrow header cells print their labels 0.2 sizes apart (one run by the run gap): they still
    count as header words; and 分值 set left over weights set right (a label reaching into the figures' part)
    is one column with them."""
    from kaoping.extract.pdf_lines import Run, gutters_to_bounds, header_count

    size = 10.0
    header = _line([(100.0, "考评项目"), (142.0, "考评内容"), (184.0, "分值"), (220.0, "考评标准")], size)
    assert header_count(header) == 4
    body = [_line([(100.0, "预算管理"), (142.0, "编制预算"), (212.0 - size * len(w), w), (220.0, "未按时扣2分")],
                  size, top=100.0 + 14 * k) for k, w in enumerate(["4", "3", "4", "10", "3"])]
    runs = [[Run("考评项目", 100.0, 140.0), Run("考评内容", 142.0, 182.0), Run("分值", 184.0, 204.0),
             Run("考评标准", 220.0, 260.0)]]
    bounds = gutters_to_bounds(body, runs, 99.0, 300.0)
    assert [round(b) for b in bounds if 182.0 < b < 220.0] == [187, 216]  # before the weights and after them


def test_a_gutter_under_a_short_label_over_right_aligned_figures_does_not_part_it_from_the_next_label() -> None:
    """一级指标 | 分值 | 二级指标 as a spreadsheet prints it without rules: 分值 set left, its points right-aligned
    0.2 sizes before the next column's left-aligned labels, and a long 一级指标 reaching under 分值. The blank
    under 分值 is a gutter inside its column; the boundary before 二级指标 is still the tight gap after the points."""
    from kaoping.extract.pdf_lines import Run, gutters_to_bounds

    size = 10.0
    rows = [("投入", "20", "预算编制"), ("", "", "预算执行"), ("过程", "30", "资金管理"), ("", "", "项目管理"),
            ("产出与效益", "50", "履职产出"), ("", "", "履职效益")]
    body = [_line([p for p in ((57.7, top_), (144.4 - size * len(pts), pts), (146.5, second)) if p[1]], size,
                  top=100.0 + 14 * k) for k, (top_, pts, second) in enumerate(rows)]
    header = [[Run("一级指标", 57.7, 97.7), Run("分值", 102.1, 122.1), Run("二级指标", 146.5, 186.5)]]
    bounds = gutters_to_bounds(body, header, 56.7, 190.0)
    assert [b for b in bounds if 122.1 < b < 146.5] and all(144.4 <= b <= 146.5 for b in bounds if 122.1 < b < 146.5)


def test_a_centred_first_column_cell_wider_than_its_label_is_no_prose_left_of_the_table() -> None:
    """A browser centres 发展质量（60分） in the first column under 一级指标: it begins left of the header, yet is
    centred under its label — a cell; a short line at the page margin (抄送) is left of the table."""
    from kaoping.extract.pdf_borderless import is_prose

    size = 7.0
    label = (58.0, 86.0)  # 一级指标, centred at 72
    cell = _line([(72.0 - 4.5 * size, "发展质量（60分）")], size)
    margin = _line([(30.0, "抄送：县审计局。")], size)
    assert not is_prose(cell, size, 58.0, 480.0, inner=148.0, first_label=label)
    assert is_prose(cell, size, 58.0, 480.0, inner=148.0)  # without the label: taken for prose, as before
    assert is_prose(margin, size, 58.0, 480.0, inner=148.0, first_label=label)
