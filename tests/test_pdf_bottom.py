"""Borderless tables set at the foot of their cells (a spreadsheet printed as saved): extract/pdf_bottom.py,
and the header rules such a print needs (extract/pdf_borderless.py).

A hand-written PDF (no LibreOffice) checks the reader on a small table; Calc's prints of whole sheets are in
tests/test_calc_prints.py (``*.bottom.norules.pdf``).
"""

from __future__ import annotations

from kaoping.extract.pdf_borderless import parents_above
from kaoping.extract.pdf_bottom import merged_to_top, mirror_lines, turn_back
from kaoping.extract.pdf_grid import Grid
from kaoping.extract.pdf_header_rows import header_to_cells, label_role
from kaoping.extract.pdf_lines import Line
from test_pdf import Page, build_pdf
from test_pdf_borderless import raw_of, table_rows

COLS = [40.0, 90.0, 200.0, 400.0, 440.0]  # 序号, 一级指标, 二级指标, 权重, 完成时限
FULL = 16  # ideographs of a full 二级指标 line at 10 pt: 200 -> 360, the column's edge


def foot_page(rows: list[list[str]]) -> Page:
    """A header, then rows of lines (cells joined by '|'), each row's cells ending on its last line (the line
    of its 序号): set at the foot, no rule."""
    page = Page(width=560.0, height=400.0)
    for x, label in zip(COLS, ["序号", "一级指标", "二级指标", "权重", "完成时限"], strict=True):
        page.text(x, 60, label, size=10)
    y = 80.0
    for row in rows:
        for line in row:
            for x, text in zip(COLS, line.split("|"), strict=True):
                if text:
                    page.text(x, y, text, size=10)
            y += 13
        y += 6
    return page


ITEM = "推进国企改革三年行动重点任务按期"  # one full line (FULL ideographs), the text goes on below it
assert len(ITEM) == FULL
ROWS = [
    ["||" + ITEM + "||", "1-1-1||完成年度目标。|2|6月底前"],
    ["||" + ITEM + "||", "1-1-2|国企改革|完成专项任务。|1|12月底前"],  # 国企改革: merged over 1-1-1 and 1-1-2
    ["||" + ITEM + "||", "1-2-1||完成监管任务。|1|12月底前"],  # a block of one row: no 一级指标 printed
    ["||" + ITEM + "||", "1-3-1|资产监管|完成资产任务。|1|12月底前"],
]


def test_a_table_set_at_the_foot_is_read_from_the_foot_up() -> None:
    """Each row's wrapped item ends on its 序号's line: the line above is its start, not the row above's
    end; the merged 一级指标 printed in its last row is the first row's (blank below: as above); the next
    block's 一级指标 does not move up into a block that printed none."""
    doc = raw_of(build_pdf([foot_page(ROWS)]))
    assert table_rows(doc)[1:] == [
        ["1-1-1", "国企改革", ITEM + "完成年度目标。", "2", "6月底前"],
        ["1-1-2", "", ITEM + "完成专项任务。", "1", "12月底前"],
        ["1-2-1", "", ITEM + "完成监管任务。", "1", "12月底前"],
        ["1-3-1", "资产监管", ITEM + "完成资产任务。", "1", "12月底前"],
    ]


def test_the_same_table_set_at_the_top_is_read_as_before() -> None:
    """Each row's lines turned the other way round (序号 on the first line): rows begin at the 序号."""
    top = [[f"{r[1].split('|')[0]}|{r[1].split('|')[1]}|{ITEM}|{r[1].split('|')[3]}|{r[1].split('|')[4]}",
            "||" + r[1].split("|")[2] + "||"] for r in ROWS]
    rows = table_rows(raw_of(build_pdf([foot_page(top)])))[1:]
    assert [r[0] for r in rows] == ["1-1-1", "1-1-2", "1-2-1", "1-3-1"]
    assert rows[0][2] == ITEM + "完成年度目标。" and rows[1][1] == "国企改革"


def line(page: int, top: float, *pieces: tuple[float, str]) -> Line:
    chars = [(ch, x + 10 * k, x + 10 * k + 10, top, top + 10, 10.0) for x, text in pieces for k, ch in enumerate(text)]
    return Line(page, chars)


def test_mirrored_lines_run_last_to_first_and_keep_their_pages_consecutive() -> None:
    body = [line(3, 100, (40, "甲")), line(3, 120, (40, "乙")), line(4, 50, (40, "丙"))]
    turned = mirror_lines(body)
    assert [ln.text for ln in turned] == ["丙", "乙", "甲"]
    assert [ln.page for ln in turned] == [3, 4, 4]  # page 4 first, then page 3: numbered on
    assert turned[1].top < turned[2].top  # 乙 was below 甲: turned over, it is above


def test_rows_and_cells_turn_back_to_the_body_order() -> None:
    row_of, cells = turn_back([0, 0, 1, 2], {(0, 0): [0, 1], (1, 0): [2], (2, 1): [3]}, 4)
    assert row_of == [0, 1, 2, 2]
    assert cells == {(2, 0): [2, 3], (1, 0): [1], (0, 1): [0]}


def grid_of(n_cols: int, code_col: int | None, weight_col: int | None, pieces: list[dict[int, str]]) -> Grid:
    chars = [{c: [(ch, 10.0 * k, 10.0 * k + 10, 0.0, 10.0, 10.0) for k, ch in enumerate(t)] for c, t in p.items()}
             for p in pieces]
    return Grid(bounds=[100.0 * k for k in range(n_cols + 1)], pieces=chars, reach=[{c: c for c in p} for p in pieces],
                right={}, left={}, pitch=12.0, code_col=code_col, weight_col=weight_col)


def test_merged_text_moves_up_over_blanks_of_its_block_and_a_total_row_stops_it() -> None:
    """Columns: 0 项目 (left of the 序号), 1 序号, 2 一级指标, 3 权重, 4 备注. A group label set at its merge's foot goes
    to the group's first row; a 一级指标 only within its block; the 合计 row (a weight, no item) is no
    indicator's row: nothing crosses it, its own 合计 stays."""
    pieces = [{1: "1-1-1", 3: "2"}, {1: "1-1-2", 3: "1", 4: "一票否决"}, {0: "重点工作", 1: "1-2-1", 2: "资产监管", 3: "1"},
              {0: "合计", 3: "4"}, {1: "2-1-1", 3: "1"}, {0: "常规工作", 1: "2-2-1", 2: "安全", 3: "1"}]
    grid = grid_of(5, 1, 3, pieces)
    cells = {(r, c): [r] for r, p in enumerate(pieces) for c in p}
    moved = merged_to_top(cells, grid, {0, 2})
    assert moved[(0, 0)] == [2] and (2, 0) not in moved  # 重点工作 to the group's first row
    assert moved[(2, 2)] == [2]  # 资产监管: its block (1-2) begins at its own row
    assert moved[(3, 0)] == [3]  # 合计 stays
    assert moved[(4, 0)] == [5]  # 常规工作: up to the row after the total row, not over it
    assert moved[(5, 2)] == [5]  # 安全 (block 2-2) does not move into 2-1-1's blank
    assert moved[(1, 4)] == [1]  # a remark (column 4: not movable) is its own row's


def test_a_parent_label_line_just_above_the_header_line_is_the_header_s() -> None:
    lines = [line(1, 20, (40, "某局绩效目标考评表")), line(1, 40, (90, "目标内容"), (400, "责任分解")),
             line(1, 60, (40, "项目"), (90, "序号"), (200, "一级指标"), (400, "分管领导"))]
    assert parents_above(lines, 2) == 1
    assert parents_above(lines, 1) == 1  # the title is no line of labels


def test_a_leaf_label_spans_only_the_columns_no_header_cell_covers() -> None:
    cells = header_to_cells([["", "", "目标内容", ""], ["项目", "", "序号", "一级指标"]], 0, 1)
    assert [(c.text, c.row, c.col, c.colspan, c.rowspan) for c in cells] == [
        ("目标内容", 0, 2, 2, 1), ("项目", 1, 0, 2, 1), ("序号", 1, 2, 1, 1), ("一级指标", 1, 3, 1, 1)]
    cells = header_to_cells([["", "权重", ""], ["二级指标", "", "完成时限"]], 0, 1)
    assert [(c.text, c.colspan) for c in cells] == [("权重", 2), ("二级指标", 1), ("完成时限", 1)]


def test_a_label_with_a_body_piece_glued_on_keeps_its_field() -> None:
    assert label_role("文件依据省政府工") == "basis" and label_role("一级指标") == "level1"
    assert label_role("备注") == "extra" and label_role("人") is None
