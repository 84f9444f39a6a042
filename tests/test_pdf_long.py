"""Long PDFs: every page break of a many-page 考评表 joined or plainly a new row (extract/pdf_pages.py).

Hand-made cells check each rule of the page-break rejoiner; the slow tests build, with
``tests/fixtures/make_pdf.py``, a 600-indicator notice (about 106 pages, A4 landscape, 10.5 pt) and a 2023-style
portrait notice with narrow columns (160 indicators, codes, weights, dates and names wrapping), and
compare every record with the records the generator typeset. Those two PDFs are committed in tests/fixtures/long
(printed by LibreOffice; ``KAOPING_REGENERATE=1 python tests/fixtures/regenerate.py long`` prints them again).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures import make_pdf
from kaoping.extract.pdf_pages import PageBreak, rejoin_page_breaks
from kaoping.schema.raw import RawCell
from support import norm

from kaoping.api import extract

# ---------------------------------------------------------------- the rules, on hand-made cells
# columns: 0 category, 1 code, 2 level1, 3 item, 4 weight; row 0 above the break, row 1 below it

CODES = ["1-1-1", "1-1-2", "1-1-3"]  # three rows so that the 序号 and weight columns are recognised


def cells(above: dict[int, str], below: dict[int, str], below_span: dict[int, int] | None = None,
          codes: tuple[str, str] = ("1-1-1", "1-1-2")) -> list[RawCell]:
    out = [RawCell(row=0, col=c, text=t) for c, t in {1: codes[0], 4: "2", **above}.items()]
    spans = below_span or {}
    out += [RawCell(row=1, col=c, text=t, rowspan=spans.get(c, 1)) for c, t in {1: codes[1], 4: "1", **below}.items()]
    out += [RawCell(row=2 + k, col=c, text=t) for k, code in enumerate(CODES) for c, t in ((1, code), (3, "x"), (4, "1"))]
    return out


def rejoin(cs: list[RawCell], open_cols: set[int] = frozenset()) -> dict[tuple[int, int], tuple[str, int]]:
    rooms = [0.0 if c.row == 0 and c.col in open_cols else None for c in cs]  # full to the bottom-right
    out = rejoin_page_breaks(cs, rooms, [PageBreak(last_row=0, first_row=1)], header_rows=set())
    return {(c.row, c.col): (c.text, c.rowspan) for c in out if c.row < 2}


def test_blank_merged_box_below_the_break_continues_the_cell_above() -> None:
    got = rejoin(cells({2: "一级指标文字。4分", 3: "甲。"}, {2: "", 3: "乙。"}, {2: 2}))
    assert got[(0, 2)] == ("一级指标文字。4分", 3) and (1, 2) not in got
    assert got[(1, 3)] == ("乙。", 1)  # the item of the new row stays its own


def test_blank_box_of_a_new_block_stays_blank() -> None:
    got = rejoin(cells({2: "一级指标。4分"}, {2: ""}, codes=("1-1-2", "1-2-1")))
    assert got[(1, 2)] == ("", 1)


def test_blank_box_left_of_the_code_is_as_above() -> None:
    got = rejoin(cells({0: "职能工作目标（75分）"}, {0: ""}, codes=("1-1-2", "1-2-1")))
    assert got[(0, 0)] == ("职能工作目标（75分）", 2)


def test_without_a_code_column_a_blank_box_in_a_merging_column_is_as_above() -> None:
    """Levels printed as columns, no 序号 (一级指标 | 二级指标 | 三级指标 | 分值): a spreadsheet's print splits a
    二级指标 merged over two rows at the break — its text above, a blank box below. That column merges cells
    elsewhere, so the blank box is the merged cell's rest; a column that merges nowhere keeps its blank."""
    rows = [("经济增长", "甲", "5"), ("", "乙", "5"), ("项目投资", "丙", "5"), ("", "丁", "5"), ("财政收入", "戊", "5")]
    cs = [RawCell(row=r, col=c, text=t, rowspan=2 if (r, c) == (2, 0) else 1) for r, row in enumerate(rows)
          for c, t in enumerate(row) if (r, c) != (3, 0)]
    cs += [RawCell(row=0, col=3, text="备注"), RawCell(row=1, col=3, text="")]
    out = rejoin_page_breaks(cs, [None] * len(cs), [PageBreak(last_row=0, first_row=1)], header_rows=set())
    got = {(c.row, c.col): (c.text, c.rowspan) for c in out}
    assert got[(0, 0)] == ("经济增长", 2) and (1, 0) not in got
    assert got[(1, 3)] == ("", 1)  # 备注 merges nowhere: its blank is its own
    # a column right of the weights that merges elsewhere (考核单位 over two rows) is no level: a blank box
    # above the break and a department below stay two cells
    units = [RawCell(row=0, col=3, text=""), RawCell(row=1, col=3, text="县教育局"),
             RawCell(row=2, col=3, text="县卫健局", rowspan=2)]
    out = rejoin_page_breaks([c for c in cs if c.col != 3] + units, [None] * len(cs),
                             [PageBreak(last_row=0, first_row=1)], header_rows=set())
    got = {(c.row, c.col): (c.text, c.rowspan) for c in out}
    assert got[(0, 3)] == ("", 1) and got[(1, 3)] == ("县教育局", 1)


def test_text_printed_below_a_blank_box_is_the_merged_cell_s_own() -> None:
    """A spreadsheet's print sets a merged cell's text where its alignment puts it (centred, at the bottom):
    over a page break the box above is blank and the text is below. Left of the 序号, and right of it inside one
    一级指标 block, the text is the whole cell's; right of it across blocks, or after a two-part code whose
    row below may start another group, the blank box stays blank."""
    assert rejoin(cells({0: ""}, {0: "职能工作目标（75分）"}, {0: 2}))[(0, 0)] == ("职能工作目标（75分）", 3)

    def level1(above: str, below: str, codes: tuple[str, str] = ("1-1-1", "1-1-2")) -> dict:
        return rejoin(merged_elsewhere(cells({2: above}, {2: below}, codes=codes), 2))  # a column that merges

    assert level1("", "一级指标。4分")[(0, 2)] == ("一级指标。4分", 2)
    assert level1("", "一级指标。4分", ("1-1-2", "1-2-1"))[(1, 2)] == ("一级指标。4分", 1)
    assert level1("", "三定方案", ("1-17", ""))[(1, 2)] == ("三定方案", 1)
    assert level1("", "三定方案", ("1-1-2", ""))[(0, 2)] == ("三定方案", 2)


def test_points_alone_below_a_sentence_that_ended_are_its_rest() -> None:
    """A 一级指标 cut by the break after its note: the box below holds only its points (4分)."""
    got = rejoin(merged_elsewhere(cells({2: "加强安全生产。（属年度重点工作）"}, {2: "4分"}), 2), open_cols={2})
    assert got[(0, 2)] == ("加强安全生产。（属年度重点工作）4分", 2)
    other = rejoin(merged_elsewhere(cells({2: "加强安全生产。（属年度重点工作）"}, {2: "新的一级指标。3分"}), 2),
                   open_cols={2})
    assert other[(1, 2)] == ("新的一级指标。3分", 1)


def merged_elsewhere(cs: list[RawCell], col: int) -> list[RawCell]:
    """The same cells with a box of ``col`` merged over two rows further down (a column that merges)."""
    return [*[c for c in cs if not (c.row == 2 and c.col == col)], RawCell(row=2, col=col, rowspan=2, text="另一个。3分")]


def test_cut_text_of_a_full_box_joins_without_duplication() -> None:
    cut = cells({2: "实施国企发展赶超计划，如期完成国企改革三年"}, {2: "行动目标。4分"})
    got = rejoin(merged_elsewhere(cut, 2), open_cols={2})
    assert got[(0, 2)] == ("实施国企发展赶超计划，如期完成国企改革三年行动目标。4分", 2)


def test_full_one_row_boxes_of_a_column_that_never_merges_stay_each_rows_own() -> None:
    """A browser's narrow 完成时限 column: 12/月/底/前 fills its box above the break (it made the row that tall)
    and the new row below has its own; the column merges nowhere, so nothing was cut."""
    got = rejoin(cells({2: "12月底前"}, {2: "6月底前"}), open_cols={2})
    assert got[(0, 2)] == ("12月底前", 1) and got[(1, 2)] == ("6月底前", 1)
    joined = rejoin(merged_elsewhere(cells({2: "12月底前"}, {2: "6月底前"}), 2), open_cols={2})
    assert joined[(0, 2)] == ("12月底前6月底前", 2)  # where the column does merge, a full box still goes on


def test_text_below_a_cell_that_ended_is_a_new_cell() -> None:
    got = rejoin(cells({2: "完成目标。4分"}, {2: "新的一级指标。3分"}), open_cols={2})
    assert got[(1, 2)] == ("新的一级指标。3分", 1)


def test_code_and_weight_cut_by_the_break_are_joined_and_the_row_left_to_continue() -> None:
    got = rejoin(cells({1: "1-1-", 3: "推进改革", 4: "1."}, {1: "2", 3: "工作。", 4: "5"}))
    assert got[(0, 1)] == ("1-1-2", 1) and got[(0, 4)] == ("1.5", 1)
    # the rest of the row stays a row without 序号 or weight: normalize joins it as a continuation row
    assert got[(1, 1)] == ("", 1) and got[(1, 3)] == ("工作。", 1)


def test_merged_box_in_a_continuation_row_joins_the_cell_above_and_covers_the_rows_below() -> None:
    """A browser's cut row (no 序号, no weight below the break) whose 一级指标 box reaches past it into the next
    row: that box is the rest of the 一级指标 above, so the joined cell covers the next row too; the row's own
    boxes are left for normalize to join as a continuation."""
    cs = cells({2: "开展“涌泉”行动，落实优惠政策。（属“涌泉”行动第2、", 3: "制定方案，做好"},
               {1: "", 2: "三、七项）4分", 3: "优待工作。", 4: ""}, {2: 2})
    cs.append(RawCell(row=2, col=1, text="1-1-2"))  # the next row, under the merged box
    cs = [c for c in cs if not (c.row == 2 and c.col == 1 and c.text == "1-1-1")]
    out = rejoin_page_breaks(cs, [None] * len(cs), [PageBreak(last_row=0, first_row=1)], header_rows=set())
    got = {(c.row, c.col): (c.text, c.rowspan) for c in out if c.row < 3}
    assert got[(0, 2)] == ("开展“涌泉”行动，落实优惠政策。（属“涌泉”行动第2、三、七项）4分", 3)
    assert (1, 2) not in got and got[(1, 3)] == ("优待工作。", 1)


def test_text_centred_in_a_tall_box_did_not_run_out_of_room() -> None:
    """Text centred in its box (a browser's cells) has room below its last line: it did not run out of room,
    so the box below a break is a new cell even in the same 一级指标 block (1-3-1 and 1-3-2 stay two rows)."""
    from kaoping.extract.pdf_text import room_left

    def line(top: float, text: str) -> list[tuple]:
        return [(ch, 100 + 8 * i, 108 + 8 * i, top, top + 8, 8.0) for i, ch in enumerate(text)]

    box = (98.0, 0.0, 140.0, 60.0)
    assert room_left([line(26, "12月")], box) is None  # centred, one short line: room for more lines
    assert room_left([[("字", 100, 108, 52, 62, 0.0)]], box) is None  # a glyph of no size: no evidence, no crash
    assert room_left([line(2, "12月底前，"), line(50, "完成")], box) == pytest.approx((140 - 2 - 116) / 8)


def test_a_box_as_tall_as_its_text_is_not_cut_above_a_new_row() -> None:
    """A 分管领导 box whose 14 lines made the rows above the break as tall as they are (SNUG: as much room below
    its last line as above its first; one name per line, so no spaces), in a column that merges elsewhere,
    and the new row below with its own 序号 and its own 汪亚彬: each is its own cell. Not known to be snug,
    the full box is taken for a cut, and the two join."""
    from kaoping.extract.pdf_pages import SNUG

    cs = merged_elsewhere(cells({2: "刘海祥汪亚彬李维芳林鹏周俊杰"}, {2: "汪亚彬"}), 2)
    rooms = [0.0 if (c.row, c.col) == (0, 2) else None for c in cs]
    brk = [PageBreak(last_row=0, first_row=1)]

    def texts(fits: list[str | None] | None) -> dict[tuple[int, int], str]:
        return {(c.row, c.col): c.text for c in rejoin_page_breaks(cs, rooms, brk, header_rows=set(), fits=fits)}

    own = texts([SNUG if (c.row, c.col) == (0, 2) else None for c in cs])
    assert own[(0, 2)] == "刘海祥汪亚彬李维芳林鹏周俊杰" and own[(1, 2)] == "汪亚彬"
    assert texts(None)[(0, 2)] == "刘海祥汪亚彬李维芳林鹏周俊杰汪亚彬"


def test_row_without_a_code_below_the_break_stays_in_the_block_and_its_own_row() -> None:
    """Some notices print a block's second 序号 blank (1-15-1, then a row with none): below a break that row
    still belongs to the block — its blank 一级指标 box is "as above" — but its blank 序号 box is not the
    code above: it stays a row of its own (with its weight), not a continuation of 1-15-1."""
    got = rejoin(cells({2: "推动所出资企业履行社会责任。4分", 3: "完善公交线网。"}, {1: "", 2: "", 3: "推进水务一体化。"},
                       codes=("1-15-1", "")))
    assert got[(0, 2)] == ("推动所出资企业履行社会责任。4分", 2) and got[(0, 1)] == ("1-15-1", 1)
    assert got[(1, 1)] == ("", 1) and got[(1, 3)] == ("推进水务一体化。", 1) and got[(1, 4)] == ("1", 1)


def test_a_blank_merged_weight_box_below_the_break_is_the_weight_above() -> None:
    """A weight merged over three rows and cut after the first: the blank box below, itself merged over the
    other two, is "as above" (only a one-row blank 序号 or weight is a row's own)."""
    got = rejoin(cells({4: "8"}, {4: ""}, {4: 2}))
    assert got[(0, 4)] == ("8", 3) and (1, 4) not in got

def test_text_overflowing_a_merged_cell_under_the_table_goes_back_into_it() -> None:
    """Chromium paints the last line of a merged cell that goes on over a page break under the table's last
    rule: a line inside the cell's column exactly one of its line pitches below its last line is its text;
    a page number further down or a line across columns is not."""
    from kaoping.extract.pdf_overflow import absorb_overflow
    from kaoping.extract.pdf_text import chars_to_lines, line_to_text

    def line(x: float, top: float, text: str) -> list[tuple]:
        return [(ch, x + 9 * i, x + 9 * (i + 1), top, top + 9, 9.0) for i, ch in enumerate(text)]

    boxes = [(234.0, 256.0, 288.0, 730.9), (288.0, 256.0, 344.0, 730.9)]
    cell_chars = [[line(246, 705.7, "第6-7页") + line(246, 723.7, "1、2、4"), line(300, 705.7, "作。")]]
    free = line(246, 741.7, "项）4分") + line(280, 790.0, "12") + line(100, 759.7, "此行跨过几个栏位的正文")
    left, taken = absorb_overflow([(boxes, 730.9)], cell_chars, free)
    assert taken == [{0}]
    assert [line_to_text(ln) for ln in chars_to_lines(cell_chars[0][0])][-1] == "项）4分"
    assert sorted(line_to_text(ln) for ln in chars_to_lines(left)) == ["12", "此行跨过几个栏位的正文"]


def test_an_overflow_of_many_lines_is_followed_line_by_line() -> None:
    """A merged cell cut by the page with five lines left to print: Chromium paints them all under the last
    rule, one pitch apart, the last ones far past the first's reach. Each line within reach of the one
    taken before it goes back into the cell; a line further down is not."""
    from kaoping.extract.pdf_overflow import absorb_overflow
    from kaoping.extract.pdf_text import chars_to_lines, line_to_text

    def line(x: float, top: float, text: str) -> list[tuple]:
        return [(ch, x + 9 * i, x + 9 * (i + 1), top, top + 9, 9.0) for i, ch in enumerate(text)]

    boxes = [(234.0, 256.0, 288.0, 730.9)]
    cell_chars = [[line(246, 700.0, "关于印发") + line(246, 715.0, "年市《政")]]
    rest = ["府工作报", "告》目标", "任务责任", "分解表的", "通知。"]
    free = [ch for k, text in enumerate(rest) for ch in line(246, 730.0 + 15 * k, text)] + line(246, 850.0, "附件")
    left, taken = absorb_overflow([(boxes, 730.9)], cell_chars, free)
    assert taken == [{0}] and [line_to_text(ln) for ln in chars_to_lines(cell_chars[0][0])][2:] == rest
    assert [line_to_text(ln) for ln in chars_to_lines(left)] == ["附件"]


# ---------------------------------------------------------------- the long notices (LibreOffice)



def check_notice(pdf: Path, n: int, n_pages: int) -> None:
    """Every record of ``pdf`` equals the one the generator typeset (its .expected.json beside a PDF made
    now; make_pdf.LONG for a committed one)."""
    truth = pdf.with_suffix(".expected.json")
    expected = json.loads(truth.read_text(encoding="utf-8") if truth.exists() else json.dumps(make_pdf.LONG[pdf.stem]()))
    doc = extract(pdf)
    got = doc.model_dump(mode="json")["indicators"]
    assert len(expected) == n and len(got) == n  # no record lost, none extra (no `100-1` fragments)
    misses = [(e["code"], f, e[f], g.get(f)) for e, g in zip(expected, got, strict=True) for f in e
              if norm(e[f]) != norm(g.get(f))]
    assert misses == []  # every page break joined: no half row, no fragment, no duplicated text
    acc = doc.accounting
    assert acc.rows_seen == (acc.indicators + acc.header_rows + acc.total_rows + acc.continuation_rows
                             + acc.blank_rows + acc.unparsed_rows)
    assert acc.unparsed_rows == 0 and acc.indicators == n
    pages = {p for i in doc.indicators for p in i.source.pages}
    assert pages >= set(range(2, n_pages))  # records on every page: each break was crossed and read


def pdf_pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return len(doc.pages)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "n", "min_pages"), [("notice_long", 600, 100), ("notice_2023_portrait", 160, 15)])
def test_committed_long_notice(name: str, n: int, min_pages: int) -> None:
    """600 indicators over 100+ landscape pages; a 2023-style portrait notice with narrow columns."""
    pdf = make_pdf.LONG_DIR / f"{name}.pdf"
    n_pages = pdf_pages(pdf)
    assert n_pages >= min_pages
    check_notice(pdf, n, n_pages)


def test_a_wrap_in_a_list_of_names_is_settled_by_the_names_printed_whole_elsewhere() -> None:
    """Chromium wraps a narrow cell of names anywhere: 陈瑞|典 is one name cut, 李昀|陈天铃 two names; the
    column's names printed whole on one line elsewhere decide (the length rule alone, against the longest
    token of the column, 苏颖慧李响, joined 李昀陈天铃)."""
    from kaoping.extract.pdf_text import SOFT, resolve_soft_wraps

    cells = [RawCell(row=0, col=1, text=f"陈瑞{SOFT}典 苏颖慧 陈建新 李昀{SOFT}陈天铃 苏{SOFT}大庆"),
             RawCell(row=1, col=1, text="李昀"), RawCell(row=2, col=1, text="陈天铃 陈瑞典"),
             RawCell(row=3, col=1, text="苏大庆 陈建新 苏颖慧李响")]  # a cell that runs two names together
    resolve_soft_wraps(cells)
    assert cells[0].text == "陈瑞典 苏颖慧 陈建新 李昀 陈天铃 苏大庆"


def test_only_a_cell_whose_bottom_was_open_takes_the_line_under_the_table() -> None:
    """A ruled table whose last cell is closed (Word, LibreOffice) keeps the line printed under it — a heading
    such as 附件2 at the cell's own pitch — as the page's text; the same page with that bottom rule put back
    at an open end (a browser's cut) gives the line to the cell."""
    from kaoping.extract.pdf import PageLayout, TextLine, layout_to_items

    def glyphs(x: float, top: float, text: str) -> list[tuple]:
        return [(ch, x + 9 * i, x + 9 * (i + 1), top, top + 9, 9.0) for i, ch in enumerate(text)]

    boxes = [(40.0, 100.0, 200.0, 160.0), (200.0, 100.0, 400.0, 160.0)]
    chars = glyphs(50, 130, "备注：第一行") + glyphs(50, 148, "第二行") + glyphs(50, 166, "附件2：考评细则")
    for opened, absorbed in (([], False), ([(160.0, 40.0, 400.0)], True)):
        items = layout_to_items(PageLayout(number=1, height=800.0, chars=list(chars), tables=[boxes], opened=opened))
        lines = [it.text for _, it in items if isinstance(it, TextLine)]
        assert lines == ([] if absorbed else ["附件2：考评细则"])


def test_a_gutter_parts_two_columns_of_the_page_on_one_line() -> None:
    """A web page's sidebar (政务公开) prints on the 发文字号's line, 2.9 font sizes to its left: two lines of
    text, so the number stands alone; the blank of a word space does not part a line."""
    from kaoping.extract.pdf_text import line_to_text, split_at_gutters

    def glyphs(x: float, text: str) -> list[tuple]:
        return [(ch, x + 11 * i, x + 11 * (i + 1), 67.0, 78.0, 11.0) for i, ch in enumerate(text)]

    line = glyphs(36, "政务公开") + glyphs(36 + 44 + 32, "泉国资办〔2022〕196号")
    assert [line_to_text(p) for p in split_at_gutters(line)] == ["政务公开", "泉国资办〔2022〕196号"]
    spaced = glyphs(36, "泉州市国资委") + glyphs(36 + 66 + 11, "2022年8月3日")
    assert [line_to_text(p) for p in split_at_gutters(spaced)] == ["泉州市国资委 2022年8月3日"]


def test_text_going_on_hidden_under_the_table_marks_its_cell_cut() -> None:
    """A spreadsheet draws a merged cell's text past the page's last row, clipped away (pdf_objects keeps those
    glyphs apart): under a bottom cell, within reach, it says the cell goes on; far under the table, above it,
    or under a cell that is not at the bottom it says nothing."""
    from kaoping.extract.pdf_overflow import hidden_overflow

    boxes = [(100.0, 50.0, 200.0, 300.0), (200.0, 50.0, 300.0, 300.0), (300.0, 50.0, 400.0, 200.0)]

    def glyph(x: float, top: float) -> tuple:
        return ("字", x, x + 9.0, top, top + 9.0, 9.0)

    assert hidden_overflow([(boxes, 300.0)], [glyph(150.0, 301.0), glyph(250.0, 330.0)]) == [{0}]
    assert hidden_overflow([(boxes, 300.0)], [glyph(150.0, 100.0), glyph(350.0, 301.0)]) == [set()]
