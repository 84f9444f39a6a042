"""Each normalisation rule on small synthetic text notices (not the 2022 sample)."""

from __future__ import annotations

import datetime as dt

from support import HEADER

from kaoping.api import extract

ROWS = [
    "业务工作目标（80分） 重点任务\t2-1-1\t某市人民政府关于印发某方案的通知（某政〔2024〕5号）\t推进某项改革。（属某方案第3项）4分\t完成改革 任务\t2\t6月底前\t张 三\t综合科\t王 五",
    "\t2-1-2\t\t\t开展评估工作\t2\t12月底前\t张三\t综合科\t王五",
    "\t2-2-1\t三定方案\t加强某项管理。3分\t建立制度\t1.5\t12月底前\t张三 李四\t综合科 财务科\t王五 赵六",
    "\t\t\t\t推进信息化\t1.5\t12月底前\t李四\t财务科\t赵六",
    *HEADER,  # a header row repeated in the middle of the table
    "\t2-3\t\t\t专项工作\t5\t12月底前\t李四\t财务科\t赵六",
    "业务工作目标（80分）\t日常任务\t三定方案\t做好日常工作。3分\t日常一\t1.5\t12月底前\t张三\t综合科\t王五",
    "\t三定方案\t做好其他工作。3分\t日常二\t1.5\t12月底前\t张三\t综合科\t王五",
    "合计\t\t\t\t\t80\t\t\t\t",
    "能力建设目标 (20分)\t作风建设 (5分)\t3-1\t落实作风建设责任。\t\t2\t12月底前\t李四\t财务科\t赵六",
    "\t\t3-2\t完成学习任务。\t\t3\t12月底前\t\t\t",
    "合计\t\t\t\t\t20\t\t\t\t",
    "考评得分（业务+能力）\t\t\t\t\t100\t\t\t\t",
]


def test_synthetic_notice_hierarchy(write_notice) -> None:
    doc = extract(write_notice(ROWS))
    inds = doc.indicators
    assert [i.code for i in inds] == ["2-1-1", "2-1-2", "2-2-1", "2-2-2", "2-3", None, None, "3-1", "3-2"]
    first = inds[0]
    assert (first.category, first.category_points, first.group, first.group_points) == ("业务工作目标", 80, "重点任务", None)
    assert (first.level1_code, first.level1, first.level1_note, first.level1_points) == (
        "2-1", "推进某项改革。", "属某方案第3项", 4.0)
    assert first.item == "完成改革任务"  # spaces between CJK folded
    assert first.leaders == ["张三"] and first.owners == ["王五"]  # split names rejoined
    assert first.deadline_date == dt.date(2024, 6, 30)
    assert first.basis_refs == ["某政〔2024〕5号"]
    # blank 文件依据 and 一级指标 inherit inside the block, and are marked as inherited
    second = inds[1]
    assert second.level1 == "推进某项改革。" and second.basis == first.basis
    assert {"level1", "basis"} <= set(second.source.inherited)
    assert "weight" not in second.source.inherited and "item" not in second.source.inherited
    # a missing code in a block is inferred from its sibling
    assert inds[3].code_inferred and inds[3].level1_code == "2-2" and inds[3].level1 == "加强某项管理。"
    assert any(i.kind == "code_inferred" and i.code == "2-2-2" for i in doc.issues)
    # a two-part code among three-part codes is a level-1 of its own: nothing inherited from the block above
    lone = inds[4]
    assert (lone.level1_code, lone.level1, lone.basis, lone.item) == ("2-3", None, None, "专项工作")
    # a group that prints no codes keeps code null; a row missing its 序号 cell (shifted left) still places right
    daily = inds[5:7]
    assert [i.group for i in daily] == ["日常任务", "日常任务"]
    assert [i.level1 for i in daily] == ["做好日常工作。", "做好其他工作。"]
    assert [i.item for i in daily] == ["日常一", "日常二"] and daily[1].basis == "三定方案"
    # single-text rows of a scored group: the text is the item, no level-1
    ability = inds[7:]
    assert [(i.category, i.category_points, i.group, i.group_points) for i in ability] == [
        ("能力建设目标", 20, "作风建设", 5)] * 2
    assert ability[0].item == "落实作风建设责任。" and ability[0].level1 is None and ability[0].level1_code is None
    # blank responsibility cells inherit inside the group
    assert ability[1].leaders == ["李四"] and "leaders" in ability[1].source.inherited
    # totals kept, header rows counted, every row accounted for
    assert [(t.label, t.value, t.category, t.level) for t in doc.totals] == [
        ("合计", 80, "业务工作目标", "category"), ("合计", 20, "能力建设目标", "category"),
        ("考评得分(业务+能力)", 100, None, "grand")]
    acc = doc.accounting
    assert (acc.indicators, acc.header_rows, acc.total_rows, acc.unparsed_rows) == (9, 4, 3, 0)
    assert acc.rows_seen == acc.indicators + acc.header_rows + acc.total_rows + acc.blank_rows + acc.unparsed_rows
    assert doc.notice.doc_number == "某局办〔2024〕9号" and doc.notice.year == 2024


def test_lone_group_label_points_belong_to_category(write_notice) -> None:
    rows = [
        "重点任务（80分）\t2-1-1\t三定方案\t推进改革。4分\t任务甲\t2\t12月底前\t张三\t综合科\t王五",
        "\t2-1-2\t\t\t任务乙\t2\t12月底前\t张三\t综合科\t王五",
        "业务工作目标（80分） 重点任务\t2-2-1\t三定方案\t推进管理。4分\t任务丙\t4\t12月底前\t张三\t综合科\t王五",
    ]
    inds = extract(write_notice(rows)).indicators
    assert [(i.category, i.category_points, i.group, i.group_points) for i in inds] == [
        ("业务工作目标", 80, "重点任务", None)] * 3


def test_note_row_is_a_table_note_with_its_cells(write_notice) -> None:
    rows = [
        "业务目标（10分） 重点\t1-1\t三定方案\t\t任务甲\t10\t12月底前\t张三\t综合科\t王五",
        "备注：以上由办公室汇总\t\t\t\t\t\t\t\t\t",
    ]
    doc = extract(write_notice(rows))
    assert len(doc.indicators) == 1
    [note] = [i for i in doc.issues if i.kind == "table_note"]
    assert note.message == "备注：以上由办公室汇总" and "备注：以上由办公室汇总" in note.cells
    assert note.line is not None and (doc.accounting.note_rows, doc.accounting.unparsed_rows) == (1, 0)


def test_unparsed_row_is_an_issue_with_its_cells(write_notice) -> None:
    rows = [
        "业务目标（10分） 重点\t1-1\t三定方案\t\t任务甲\t10\t12月底前\t张三\t综合科\t王五",
        "\t1-2\t\t\t\t\t\t\t\t",
    ]
    doc = extract(write_notice(rows))
    assert len(doc.indicators) == 1
    unparsed = [i for i in doc.issues if i.kind == "unparsed_row"]
    assert len(unparsed) == 1 and "1-2" in unparsed[0].cells
    assert unparsed[0].line is not None and doc.accounting.unparsed_rows == 1


def test_unknown_header_label_is_reported(write_notice) -> None:
    header = ["项目\t目标内容\t\t\t\t权重\t完成时限\t责任分解\t\t\t备注栏",
              "\t序号\t文件依据\t一级指标\t二级指标\t\t\t分管领导\t责任部门\t责任人"]
    rows = ["业务目标（10分） 重点\t1-1\t三定方案\t\t任务甲\t10\t12月底前\t张三\t综合科\t王五"]
    doc = extract(write_notice(rows, header=header))
    assert [i.message for i in doc.issues if i.kind == "unknown_header"] == ["unknown header label '备注栏'"]


def test_header_synonyms_and_gbk_input(write_notice) -> None:
    header = ["项目\t考评内容\t\t\t\t分值\t完成时间\t责任落实\t\t",
              "\t编号\t依据\t一级目标\t二级目标\t\t\t分管委领导\t责任科室\t责任人"]
    rows = ["业务目标（10分） 重点\t1-1-1\t三定方案\t推进改革。10分\t任务甲\t10\t9月底前\t张 三\t综合科\t王五"]
    doc = extract(write_notice(rows, header=header, encoding="gb18030"))
    (ind,) = doc.indicators
    assert (ind.code, ind.weight, ind.deadline, ind.leaders, ind.level1_points) == ("1-1-1", 10, "9月底前", ["张三"], 10)
    assert not [i for i in doc.issues if i.kind == "unknown_header"]
    assert doc.accounting.header_rows == 2


def test_total_rows_by_wording_and_short_label(write_notice) -> None:
    rows = [
        "业务目标（10分） 重点\t1-1\t三定方案\t\t做好合计报表的汇总工作\t10\t12月底前\t张三\t综合科\t王五",
        "\t业务目标小计\t\t\t\t10\t\t\t\t",
        "总分\t\t\t\t\t10\t\t\t\t",
    ]
    doc = extract(write_notice(rows))
    assert [i.item for i in doc.indicators] == ["做好合计报表的汇总工作"]  # 合计 inside an item is no total row
    assert [(t.label, t.value, t.level, t.category, t.group) for t in doc.totals] == [
        ("业务目标小计", 10, "group", "业务目标", "重点"), ("总分", 10, "grand", None, None)]


def test_columns_in_another_order_follow_the_header(write_notice) -> None:
    """A later year swaps columns: 完成时限 before 权重, 责任部门 before 分管领导."""
    header = ["项目\t目标内容\t\t\t\t完成时限\t权重\t责任分解\t\t",
              "\t序号\t文件依据\t一级指标\t二级指标\t\t\t责任部门\t分管领导\t责任人"]
    rows = [
        "业务目标（10分） 重点\t1-1-1\t三定方案\t推进改革。10分\t任务甲\t9月底前\t6\t综合科\t张三\t王五",
        "\t\t\t\t任务乙\t12月底前\t4\t财务科\t李四\t赵六",
    ]
    doc = extract(write_notice(rows, header=header))
    got = [(i.code, i.item, i.deadline, i.weight, i.departments, i.leaders, i.owners) for i in doc.indicators]
    assert got == [("1-1-1", "任务甲", "9月底前", 6, ["综合科"], ["张三"], ["王五"]),
                   ("1-1-2", "任务乙", "12月底前", 4, ["财务科"], ["李四"], ["赵六"])]


def test_an_unrelated_table_beside_the_evaluation_table_is_skipped_and_said(write_notice) -> None:
    preamble = ["某局文件", "", "联系人名单", "姓名\t电话\t单位", "张三\t123456\t办公室", "", "附表", ""]
    rows = ["业务目标（10分） 重点\t1-1\t三定方案\t\t任务甲\t10\t12月底前\t张三\t综合科\t王五"]
    doc = extract(write_notice(rows, preamble=preamble))
    assert [i.item for i in doc.indicators] == ["任务甲"]
    skipped = [i for i in doc.issues if i.kind == "skipped_table"]
    assert len(skipped) == 1 and skipped[0].cells == ["姓名", "电话", "单位"] and skipped[0].severity == "info"


def test_extractor_warnings_become_issues() -> None:
    from kaoping.normalize.pipeline import raw_to_document
    from kaoping.schema.raw import RawCell, RawDocument, RawRow, RawTable, SourceInfo

    rows = [["业务目标（10分） 重点", "1-1", "三定方案", "", "任务甲", "6", "12月底前", "张三", "综合科", "王五"],
            ["", "1-2", "三定方案", "", "任务乙", "4", "12月底前", "张三", "综合科", "王五"]]
    table = RawTable(index=0, n_cols=10, rows=[RawRow(index=0), RawRow(index=1)], ragged=True,
                     cells=[RawCell(row=r, col=i, text=t) for r, texts in enumerate(rows) for i, t in enumerate(texts)])
    raw = RawDocument(source=SourceInfo(format="text", file="x.txt", sha256="0", size=1), tables=[table],
                      warnings=["vMerge continue with no cell above in table 1 row 3"])
    doc = raw_to_document(raw)
    assert [(i.kind, i.message) for i in doc.issues if i.kind == "extract_warning"] == [
        ("extract_warning", "vMerge continue with no cell above in table 1 row 3")]


def test_a_small_table_before_the_evaluation_table_does_not_cut_the_notice(write_notice) -> None:
    from support import PREAMBLE

    preamble = [*PREAMBLE[:10], "联系人\t张三\t电话\t12345", "", *PREAMBLE[10:]]
    rows = ["业务目标（10分） 重点\t1-1\t三定方案\t\t任务甲\t10\t12月底前\t张三\t综合科\t王五"]
    n = extract(write_notice(rows, preamble=preamble)).notice
    assert (n.doc_number, n.attachment_title, str(n.date)) == ("某局办〔2024〕9号", "2024年度某局绩效目标考评表", "2024-03-01")


def test_doc_number_line_with_a_signer_beside_it(write_notice) -> None:
    from support import PREAMBLE

    preamble = [p if p != "某局办〔2024〕9号" else "某局办〔2024〕9号　　签发人：王建国" for p in PREAMBLE]
    rows = ["业务目标（10分） 重点\t1-1\t三定方案\t\t任务甲\t10\t12月底前\t张三\t综合科\t王五"]
    n = extract(write_notice(rows, preamble=preamble)).notice
    assert (n.doc_number, n.issuer_mark) == ("某局办〔2024〕9号", "某市某局文件")


def test_project_labels_keep_inner_brackets_and_read_bare_points() -> None:
    from kaoping.normalize.hierarchy import text_to_labels

    assert text_to_labels(["共性工作目标（含党建）（20分）"]) == [("共性工作目标（含党建）", 20.0, None)]
    assert text_to_labels(["思想建设5分"]) == [("思想建设", 5.0, None)]
    assert text_to_labels(["职 能 工 作 目 标 (75分)", "重点 工 作 目 标"]) == [
        ("职能工作目标", 75.0, 0), ("重点工作目标", None, 1)]
    assert text_to_labels(["重点工作目标（75分） 重点工作目标"]) == [("重点工作目标", 75.0, None)]
    # OCR dropped the small closing bracket at the end of the cell (a 150-dpi scan): no stray ( in the label
    assert text_to_labels(["职能工作目标(75分"]) == [("职能工作目标", 75.0, None)]


def test_a_blank_code_under_the_same_level1_printed_again_continues_its_sibling() -> None:
    """A ruled print of a sheet saved unmerged: every row prints its 一级指标 (nothing is merged), the 序号 of
    a block's second row was left blank. The same 一级指标 text says it is the same block: 1-1-2, inferred;
    a different one does not."""
    from kaoping.normalize.hierarchy import rows_to_indicators
    from kaoping.normalize.rows import FieldRow

    def row(k: int, code: str, level1: str, item: str) -> FieldRow:
        values = {"code": code, "level1": level1, "item": item, "weight": "2"}
        return FieldRow(table=0, row=k, project=["职能工作目标（75分）"], values=values, merged=set(),
                        cells=[code, level1, item, "2"], fill_blanks=False)

    same = "做好第一项工作。（属年度重点工作）4分"
    got, _ = rows_to_indicators([row(1, "1-1-1", same, "甲"), row(2, "", same, "乙"), row(3, "", "另一项。3分", "丙")],
                                "pdf", "t.pdf")
    assert [(i.code, i.code_inferred, i.level1_code) for i in got] == [
        ("1-1-1", False, "1-1"), ("1-1-2", True, "1-1"), (None, False, None)]
    assert [(i.category, i.group) for i in got] == [("职能工作目标", None)] * 3  # the label again: the same one


def test_a_row_printing_one_text_in_basis_level1_and_item_is_one_cell(tmp_path) -> None:
    """A flat sheet (every merge saved as repeated text) printed or saved as a web page: a row whose item spans
    文件依据..二级指标 prints the same text in the three cells. It is one cell, the item — not a 文件依据 and a
    一级指标 that repeat it; two different texts side by side stay apart."""
    head = "".join(f"<th>{h}</th>" for h in ("序号", "文件依据", "一级指标", "二级指标", "权重", "完成时限"))
    same = "落实从严治党主体责任情况。"
    rows = [("4-1", same, same, same), ("4-2", "三定方案", "做好某项工作。3分", "按季度报送")]
    body = "".join("<tr>" + "".join(f"<td>{t}</td>" for t in (*r, "1", "12月底前")) + "</tr>" for r in rows)
    path = tmp_path / "n.html"
    path.write_text(f"<html><body><p>某单位绩效目标考评表</p><table><tr>{head}</tr>{body}</table></body></html>",
                    encoding="utf-8")
    got = [(i.code, i.basis, i.level1, i.item) for i in extract(path).indicators]
    assert got == [("4-1", None, None, same), ("4-2", "三定方案", "做好某项工作。", "按季度报送")]


def test_a_cell_whose_span_runs_over_the_next_cell_leaves_that_cell_its_text() -> None:
    """A borderless reader may give a note line a span reaching into the 二级指标 column while the item has its
    own cell there: the item keeps its text (the repeated-text rule takes only the cells that repeat)."""
    from kaoping.normalize.columns import grid_row_to_fields
    from kaoping.normalize.rows import GridCell, Slot, TableRow

    cells = [GridCell("4-2", 0, 0), GridCell("注：4-2项由办公室牵头。", 0, 1, colspan=3), GridCell("做好分类工作。", 0, 3),
             GridCell("1", 0, 4)]
    row = TableRow(0, 0, None, None, [c.text for c in cells],
                   slots=[Slot(0, True), Slot(1, True), Slot(1, True), Slot(2, True), Slot(3, True)])
    _, values, _ = grid_row_to_fields(row, cells, ["code", "basis", "level1", "item", "weight"])
    assert values["item"] == "做好分类工作。" and values["weight"] == "1"
