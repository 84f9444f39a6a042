"""Notices of other shapes (tests/fixtures/make_shapes.py): each format read to its hand-written truth.

- office7: another office's 7-column table (序号 | 考评项目 | 考评内容 | 分值 | 考评标准 | 责任科室 | 完成时限),
  section rows, 考评项目 with points above numbered items, no leader/owner columns;
- reworded2022: the 2022 notice with renamed headers, a category spanning both 项目 columns and a 注： row;
- twolevel: 序号 | 工作任务 | 评分标准 | 分值 | 责任单位 | 备注 with section rows and a 注： line under the table
  (built as an unseen shape: the rules were not tuned on it).

The .txt/.docx and truths are committed; the PDFs are printed by LibreOffice at test time (slow).
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fixtures import make_shapes
from support import norm

from kaoping.api import extract

SHAPES_DIR = Path(__file__).resolve().parent / "fixtures" / "shapes"
FIELDS = ["code", "category", "category_points", "group", "group_points", "level1_code", "level1", "level1_points",
          "level1_note", "item", "weight", "criteria", "deadline", "deadline_date", "leaders", "departments", "owners",
          "basis", "extra"]
NOTES = {"office7": 0, "reworded2022": 1, "twolevel": 1, "threelevel": 0, "levelpoints": 0}
#: the code a note names (注：4-2项…, 第5项…), or None
NOTE_CODES = {"reworded2022": "4-2", "twolevel": "5"}
MIN_ACCURACY = 0.99


def truth(name: str) -> list[dict[str, Any]]:
    return json.loads((SHAPES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))


def accuracy(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> tuple[float, list[tuple]]:
    """Field accuracy in order (the shapes keep their order); a missing or extra record costs all its fields."""
    bad = [(g["code"], f, g.get(f), p.get(f)) for g, p in zip(gold, pred, strict=False) for f in FIELDS
           if norm(g.get(f)) != norm(p.get(f))]
    total = max(len(gold), len(pred)) * len(FIELDS)
    wrong = len(bad) + abs(len(gold) - len(pred)) * len(FIELDS)
    return 1 - wrong / total, bad


@cache
def _pdf_dir() -> Path:
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="kaoping-shapes-"))
    for name in make_shapes.SHAPES:
        make_shapes.docx_to_pdf(SHAPES_DIR / f"{name}.docx", out)
    return out


def _check(path: Path, name: str) -> None:
    doc = extract(path)
    pred = [json.loads(i.model_dump_json()) for i in doc.indicators]
    gold = truth(name)
    score, bad = accuracy(gold, pred)
    assert len(pred) == len(gold), "no extra or missing records"
    assert score >= MIN_ACCURACY, bad[:10]
    notes = [i for i in doc.issues if i.kind == "table_note"]
    assert len(notes) == NOTES[name]
    assert [n.code for n in notes] == ([NOTE_CODES[name]] if name in NOTE_CODES else [])
    assert not any(n.message[:6] in p["item"] for n in notes for p in pred), "a note merged into a record"
    acc = doc.accounting
    assert acc.rows_seen == (acc.indicators + acc.header_rows + acc.total_rows + acc.continuation_rows
                             + acc.blank_rows + acc.heading_rows + acc.note_rows + acc.unparsed_rows)
    assert acc.unparsed_rows == 0
    assert not [i for i in doc.issues if i.severity == "error"], "the sums of every shape close"


@pytest.mark.parametrize("name", list(make_shapes.SHAPES))
@pytest.mark.parametrize("ext", ["txt", "docx"])
def test_shape(name: str, ext: str) -> None:
    _check(SHAPES_DIR / f"{name}.{ext}", name)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice prints the PDFs")
@pytest.mark.parametrize("name", list(make_shapes.SHAPES))
def test_shape_pdf(name: str) -> None:
    _check(_pdf_dir() / f"{name}.pdf", name)


def test_office7_exact_in_text_export() -> None:
    """The text export places cells by content: the 考评标准 is criteria, the department departments, the
    deadline deadline; no leader/owner column means none, nothing shifted."""
    [first, *_] = extract(SHAPES_DIR / "office7.txt").indicators
    assert (first.code, first.category, first.category_points, first.group, first.group_points) == (
        "1", "职能工作", 60, "预算管理", 14)
    assert (first.criteria, first.departments, first.deadline, first.leaders, first.owners) == (
        "未按时报送扣2分；项目细化率低于90%扣1分。", ["预算股"], "11月底前", [], [])


def test_generator_reproduces_the_committed_fixtures(tmp_path: Path) -> None:
    """The committed text exports and truths are what the generator writes (regenerate on purpose only)."""
    make_shapes.build(tmp_path)
    for name in make_shapes.SHAPES:
        for suffix in (".txt", ".expected.json"):
            assert (tmp_path / "shapes" / f"{name}{suffix}").read_text(encoding="utf-8") == \
                (SHAPES_DIR / f"{name}{suffix}").read_text(encoding="utf-8"), f"{name}{suffix}"


def test_wrong_structure_is_loud_and_strict_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One item's weight raised (4 → 5): its group and category no longer close; stderr says so and names the
    rows, --strict exits 1; the consistent original says nothing."""
    from kaoping.cli import main

    text = (SHAPES_DIR / "office7.txt").read_text(encoding="utf-8")
    row = "编制2025年度部门预算草案，细化到具体项目和经济分类科目。\t4\t"
    assert text.count(row) == 1
    bad = tmp_path / "bad.txt"
    bad.write_text(text.replace(row, row.replace("\t4\t", "\t5\t")), encoding="utf-8")
    assert main(["extract", str(bad), "-o", str(tmp_path / "out"), "--strict"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "kaoping: warning: bad.txt: hierarchy inconsistent: category 职能工作 prints 60 but its items sum to 61 "
        "(rows " + ", ".join(f"#{k}" for k in range(1, 19)) + ")",
        "kaoping: warning: bad.txt: hierarchy inconsistent: group 预算管理 prints 14 but its items sum to 15 "
        "(rows #1, #2, #3, #4)",
    ]
    assert main(["extract", str(SHAPES_DIR / "office7.txt"), "-o", str(tmp_path / "ok"), "--strict"]) == 0
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- the rules alone, on raw cells


def _grid(rows: list[list[str]], header_rows: int, spans: dict[tuple[int, int], int] | None = None):
    """A raw grid; ``spans`` gives (row, col) → colspan, the slots a span covers left out."""
    from kaoping.schema.raw import RawCell, RawRow, RawTable

    spans = spans or {}
    covered = {(r, c + k) for (r, c), n in spans.items() for k in range(1, n)}
    cells = [RawCell(row=r, col=c, text=t, colspan=spans.get((r, c), 1))
             for r, row in enumerate(rows) for c, t in enumerate(row) if (r, c) not in covered]
    return RawTable(index=0, n_cols=max(len(r) for r in rows), cells=cells,
                    rows=[RawRow(index=r, header=r < header_rows) for r in range(len(rows))])


def test_parent_heading_is_decided_by_the_span_not_the_word() -> None:
    """工作任务 names an item column alone, but spanning 序号…二级指标 above their labels it is their parent."""
    from kaoping.normalize.columns import header_rows_to_roles
    from kaoping.normalize.grid import table_to_grid

    top = ["工作任务", "", "", "", "分值"]
    leaf = ["序号", "文件依据", "一级指标", "二级指标", ""]
    rows, cells = table_to_grid(_grid([top, leaf], 2, {(0, 0): 4}))
    assert header_rows_to_roles(rows, cells) == ["code", "basis", "level1", "item", "weight"]
    rows, cells = table_to_grid(_grid([["序号", "工作任务", "分值", "备注"]], 1))
    assert header_rows_to_roles(rows, cells) == ["code", "item", "weight", "extra:备注"]


def test_section_row_ordinals_and_criteria_on_raw_cells() -> None:
    from kaoping.normalize.grid import table_to_rows
    from kaoping.normalize.hierarchy import rows_to_indicators

    table = _grid([
        ["序号", "考评项目", "考评内容", "分值", "考评标准", "责任科室"],
        ["一、业务工作（10分）", "", "", "", "", ""],
        ["1.", "（一）甲项（10分）", "做好甲。", "10", "未做不得分。", "甲股"],
        ["注：第1项由甲股牵头。", "", "", "", "", ""],
    ], 1, {(1, 0): 6, (3, 0): 6})
    grid = table_to_rows(table)
    [ind], _ = rows_to_indicators(grid.rows, "docx", "x.docx")
    assert (ind.code, ind.category, ind.category_points, ind.group, ind.group_points, ind.item, ind.criteria) == (
        "1", "业务工作", 10, "甲项", 10, "做好甲。", "未做不得分。")
    acc = grid.accounting
    assert (acc.heading_rows, acc.note_rows, acc.total_rows) == (1, 1, 0)


@pytest.mark.parametrize("text,expected", [
    ("（一）预算管理（14分）", ("paren_cn", "一", "预算管理（14分）")),
    ("一、职能工作", ("cn", "一", "职能工作")),
    ("(2)依法行政", ("paren_num", "2", "依法行政")),
    ("1.5分", (None, None, "1.5分")),
    ("12345便民服务", (None, None, "12345便民服务")),
])
def test_leading_ordinal(text: str, expected: tuple) -> None:
    from kaoping.normalize.ordinals import leading_ordinal

    assert leading_ordinal(text) == expected


def test_header_less_table_row_after_a_page_break_with_weight_and_deadline_is_a_record() -> None:
    """A table the reader could not stitch to the one with the header (a browser print put a cell's overflow
    between them) has no column roles: a row after its page break that has a weight and a deadline is a row
    of its own, not the rest of the row above; a row with neither still is."""
    from kaoping.normalize.grid import table_to_rows

    table = _grid([
        ["1-8-2", "提供岗位。", "2", "12月底前", "汪亚彬"],
        ["1-9-1", "推进支路建设。", "2", "12月底前", "刘海祥"],
        ["", "新建停车位。", "", "", ""],
        ["1-9-2", "做好停车场管理。", "", "", ""],  # its own 序号: a row, even without a weight
    ], 0)
    table.rows[1].page_start = table.rows[2].page_start = table.rows[3].page_start = True
    grid = table_to_rows(table)
    assert [r.cells[0] for r in grid.rows] == ["1-8-2", "1-9-1", "1-9-2"]
    assert grid.accounting.continuation_rows == 1


def test_blank_level1_under_a_printed_code_of_the_same_block_is_that_block_level1() -> None:
    """A conversion that kept some merges and lost others (LibreOffice's HTML → xlsx): 1-1-2's 一级指标 box is
    blank and not merged, yet its printed code puts it in 一级指标 1-1 — that one, marked inherited. A row of
    another block never takes it."""
    from kaoping.normalize.grid import table_to_rows
    from kaoping.normalize.hierarchy import rows_to_indicators
    from kaoping.schema.raw import RawCell, RawRow, RawTable

    rows = [["序号", "一级指标", "二级指标", "权重"], ["1-1-1", "做好甲。（属甲文件）4分", "做甲。", "2"],
            ["1-1-2", "", "做乙。", "2"], ["1-2-1", "做好丙。3分", "做丙。", "1.5"], ["1-2-2", None, "做丁。", "1.5"],
            ["1-3-1", "", "做戊。", "2"]]
    cells = [RawCell(row=r, col=c, text=t, rowspan=2 if (r, c) == (3, 1) else 1)
             for r, row in enumerate(rows) for c, t in enumerate(row) if t is not None]
    table = RawTable(index=0, n_cols=4, cells=cells, rows=[RawRow(index=r, header=r == 0) for r in range(len(rows))])
    inds, _ = rows_to_indicators(table_to_rows(table).rows, "xlsx", "x.xlsx")
    assert [(i.code, i.level1, i.level1_points) for i in inds] == [
        ("1-1-1", "做好甲。", 4.0), ("1-1-2", "做好甲。", 4.0), ("1-2-1", "做好丙。", 3.0), ("1-2-2", "做好丙。", 3.0),
        ("1-3-1", None, None)]
    assert "level1" in inds[1].source.inherited and "level1" not in inds[4].source.inherited


def test_the_notice_says_which_printed_column_fed_which_field(tmp_path: Path) -> None:
    """notice.columns: a 三级指标 table's 二级指标 is level1, a level's own 分值 its points; a sum that does not
    close names the level as the table prints it (二级指标, not 一级指标)."""
    three = extract(SHAPES_DIR / "threelevel.docx").notice.columns
    assert [(c.field, c.header) for c in three] == [("group", "一级指标"), ("level1", "二级指标"), ("item", "三级指标"),
                                                    ("weight", "分值"), ("criteria", "评分标准")]
    points = extract(SHAPES_DIR / "levelpoints.txt").notice.columns
    assert [c.field for c in points][:5] == ["group", "group_points", "level1", "level1_points", "item"]
    text = (SHAPES_DIR / "levelpoints.txt").read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(text.replace("\t预算执行率\t10\t", "\t预算执行率\t12\t"), encoding="utf-8")
    sums = {i.kind: i.message for i in extract(bad).issues if i.kind.endswith("_sum")}
    assert sums["level1_sum"].startswith("二级指标 预算执行: item weights sum to 12 but 10分")
    assert sums["group_sum"].startswith("一级指标 投入: item weights sum to 22 but 20分")
    sample = extract(SHAPES_DIR.parents[2] / "samples" / "notice_2022.docx").notice.columns
    assert ("level1", "目标内容 / 一级指标") in [(c.field, c.header) for c in sample]


FOUR_LEVELS = """某政办〔2024〕21号
某某县人民政府办公室关于印发2024年度绩效考评指标的通知
2024年3月1日
附件

一级指标\t二级指标\t三级指标\t四级指标\t分值\t评分标准
发展质量（60分）\t经济发展（40分）\t经济增长（20分）\t地区生产总值增速\t10\t完成得满分。
\t\t\t规上工业增加值增速\t10\t完成得满分。
\t\t项目投资（20分）\t固定资产投资增速\t20\t完成得满分。
\t社会民生（20分）\t民生保障（20分）\t新增就业人数\t20\t完成得满分。
党的建设（40分）\t基层党建（40分）\t组织建设（25分）\t党组织标准化建设\t25\t按细则评分。
\t\t党风廉政（15分）\t责任制落实\t15\t按细则评分。
合计\t\t\t\t100\t
"""


def test_four_levels_printed_as_columns_fill_category_group_level1_and_item(tmp_path: Path) -> None:
    """一级 … 四级指标: the category, group, level-1 and item by depth; a second 一级指标 is a new category, not
    a group under the first; every sum closes."""
    path = tmp_path / "four.txt"
    path.write_text(FOUR_LEVELS, encoding="utf-8")
    doc = extract(path)
    got = [(i.category, i.category_points, i.group, i.group_points, i.level1, i.level1_points, i.item, i.weight)
           for i in doc.indicators]
    assert got[0] == ("发展质量", 60, "经济发展", 40, "经济增长", 20, "地区生产总值增速", 10)
    assert got[3] == ("发展质量", 60, "社会民生", 20, "民生保障", 20, "新增就业人数", 20)
    assert got[5] == ("党的建设", 40, "基层党建", 40, "党风廉政", 15, "责任制落实", 15)
    assert not [i for i in doc.issues if i.severity == "error"]
    assert [c.field for c in doc.notice.columns][:4] == ["category", "group", "level1", "item"]


def test_levels_fill_fields_by_depth_and_points_columns_follow_their_level() -> None:
    from kaoping.schema.vocabulary import level_roles

    def roles(labels: list[str], named: list[str | None]) -> list[str | None]:
        return level_roles(labels, named)

    # the 2022 layout (一级 / 二级) as it was; three levels shift by one; beside a 考核内容 column the levels are its
    # parents; a fifth level has no field left
    assert roles(["序号", "一级指标", "二级指标", "权重"], ["code", "level1", "item", "weight"]) == [
        "code", "level1", "item", "weight"]
    assert roles(["一级指标", "二级指标", "三级指标", "分值"], ["level1", "item", "item", "weight"]) == [
        "group", "level1", "item", "weight"]
    assert roles(["一级指标", "二级指标", "考核内容", "分值"], ["level1", "item", "item", "weight"]) == [
        "group", "level1", "item", "weight"]
    assert roles(["一级指标", "二级指标", "三级指标", "四级指标", "分值"], ["level1", "item", "item", "item", "weight"]) == [
        "category", "group", "level1", "item", "weight"]
    # a 分值 after each level is its points, the last one the item's weight; one 分值 column stays the weight
    assert roles(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值"],
                 ["level1", "weight", "item", "weight", "item", "weight"]) == [
        "group", "points:group", "level1", "points:level1", "item", "weight"]
    assert roles(["项目", "分值", "考评内容", "完成时限"], ["project", "weight", "item", "deadline"]) == [
        "project", "weight", "item", "deadline"]


def test_weights_printed_as_shares_or_in_brackets_are_figures_and_other_text_is_kept(tmp_path: Path) -> None:
    """权重 15% (a share of the whole) and （10分） are the figures; '5分/项' is no figure: the record has no weight
    (missing_weight) and the text is kept, with the row's cells, in a weight_unparsed finding."""
    notice = make_shapes.twolevel_notice()
    body = [r for r in notice.table.rows if r[0].isdigit()]
    for row, weight in zip(body, ["15%", "（10分）", "5分/项"], strict=False):
        row[3] = weight
    doc = extract(make_shapes.notice_to_docx(notice, tmp_path / "weights.docx"))
    assert [i.weight for i in doc.indicators[:4]] == [15, 10, None, 10]
    [unparsed] = [i for i in doc.issues if i.kind == "weight_unparsed"]
    assert "'5分/项'" in unparsed.message and "5分/项" in unparsed.cells
    assert any(i.kind == "missing_weight" and i.code == "3" for i in doc.issues)


REVIEW_HEAD = "某财绩〔2024〕6号\n关于印发绩效评价指标的通知\n2024年2月20日\n附件\n\n"


def _text_table(tmp_path: Path, table: str) -> Any:
    path = tmp_path / "t.txt"
    path.write_text(REVIEW_HEAD + table + "\n\n抄送：审计局。\n", encoding="utf-8")
    return extract(path)


def test_a_share_in_another_column_is_no_weight_and_heading_points_print_any_way(tmp_path: Path) -> None:
    """A 目标值 of 100% beside the 分值 is not the weight (a share counts as a figure only where the header says
    weight); a heading row's points in brackets or as a share are its points."""
    doc = _text_table(tmp_path, "序号\t考核内容\t分值\t目标值\t完成时限\n1\t完成率\t10\t100%\t12月底前\n"
                                "2\t覆盖率\t5\t95%\t11月底前")
    assert [(i.code, i.item, i.weight, i.deadline) for i in doc.indicators] == [
        ("1", "完成率", 10, "12月底前"), ("2", "覆盖率", 5, "11月底前")]
    doc = _text_table(tmp_path, "序号\t考核内容\t分值\t完成时限\n（一）\t预算管理\t（14分）\t\n1\t预算编制\t14\t12月底前\n"
                                "（二）\t资产管理\t10%\t\n2\t资产清查\t10\t12月底前")
    assert [(i.group, i.group_points, i.item) for i in doc.indicators] == [
        ("预算管理", 14, "预算编制"), ("资产管理", 10, "资产清查")]


def test_a_category_column_above_four_levels_stays_the_category(tmp_path: Path) -> None:
    """类别 | 一级 … 四级指标: 类别 is the category; the levels fill group, level-1 and item, and the one level left
    over is kept under its header."""
    doc = _text_table(tmp_path, "类别\t一级指标\t二级指标\t三级指标\t四级指标\t分值\n"
                                "共性\t发展（20分）\t经济（20分）\t增长（20分）\t增速\t20\n"
                                "个性\t民生（10分）\t保障（10分）\t就业（10分）\t就业人数\t10")
    assert [(i.category, i.group, i.level1, i.item) for i in doc.indicators] == [
        ("共性", "经济", "增长", "增速"), ("个性", "保障", "就业", "就业人数")]
    assert [(e.header, e.text) for e in doc.indicators[1].extra] == [("一级指标", "民生（10分）")]


def test_a_points_table_exported_as_text_keeps_its_cells_in_place(tmp_path: Path) -> None:
    """一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值: a row printing every cell is read in place, so an item
    weight with no figure (5分/项) is neither replaced by a level's points nor lost."""
    doc = _text_table(tmp_path, "一级指标\t分值\t二级指标\t分值\t三级指标\t分值\t评分标准\n"
                                "投入\t20\t预算编制\t10\t预算编制科学性\t5分/项\t好得5分\n"
                                "\t\t\t\t预算编制合理性\t5\t好\n\t\t预算执行\t10\t预算执行率\t10\t好")
    got = [(i.group, i.group_points, i.level1, i.level1_points, i.item, i.weight) for i in doc.indicators]
    assert got[0] == ("投入", 20, "预算编制", 10, "预算编制科学性", None)
    assert got[2] == ("投入", 20, "预算执行", 10, "预算执行率", 10)
    assert [i.kind for i in doc.issues if i.kind in ("weight_unparsed", "missing_weight")] == [
        "weight_unparsed", "missing_weight"]


def test_a_text_export_weighting_its_items_in_shares_is_read_by_its_shares(tmp_path: Path) -> None:
    """序号 | 一级目标 | 二级目标 | 三级目标 | 权重 (15%, 10% …): with no bare figure in a row the share is the weight,
    and the 序号 printed first is the code, never the weight."""
    doc = _text_table(tmp_path, "序号\t一级目标\t二级目标\t三级目标\t权重\t考核标准\t牵头单位\n"
                                "1\t履职成效\t重点任务\t完成年度重点项目建设任务\t15%\t每延误一个节点扣1分。\t区发改局\n"
                                "2\t\t\t落实优化营商环境改革举措\t10%\t满意率每低1个百分点扣0.5分。\t区营商办\n"
                                "3\t\t常规工作\t按时完成统计报表\t10%\t迟报一次扣0.5分。\t区统计局")
    assert [(i.code, i.group, i.level1, i.item, i.weight, i.departments) for i in doc.indicators] == [
        ("1", "履职成效", "重点任务", "完成年度重点项目建设任务", 15, ["区发改局"]),
        ("2", "履职成效", "重点任务", "落实优化营商环境改革举措", 10, ["区营商办"]),
        ("3", "履职成效", "常规工作", "按时完成统计报表", 10, ["区统计局"])]
