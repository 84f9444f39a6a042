"""Borderless tables with vertically centred cells (extract/pdf_centred.py), and the glyph rules they needed:
header words folded like normalize folds them, runs cut at a column boundary with a gap, stray runs of a
fallback font put back on their line. The geometry is that of Chromium's prints (6.86-pt CJK, 10-pt pitch)."""

from __future__ import annotations

from kaoping.extract.pdf_band import band_header, band_labels, centred_header_matrix
from kaoping.extract.pdf_centred import interleaved
from kaoping.extract.pdf_centred_cuts import Strip, split_centred
from kaoping.extract.pdf_lines import Line, begins_header_word, cut_at_bounds, is_header_word
from kaoping.extract.pdf_text import chars_to_lines

SIZE = 6.86


def glyphs(text: str, x0: float, top: float, size: float = SIZE) -> list[tuple]:
    return [(ch, x0 + k * size, x0 + (k + 1) * size, top, top + size, size) for k, ch in enumerate(text)]


def line(*pieces: tuple[str, float], top: float) -> Line:
    return Line(1, [g for text, x0 in pieces for g in glyphs(text, x0, top)])


# the header of the 2022 notice as a browser centres it: parents at the top, labels spanning both header rows
# in the middle (权/重, 完/成/时/限 wrapped glyph by glyph), children below (序/号 wrapped)
CENTRED_BAND = [
    line(("目标内容", 262), ("完", 478), ("责任分解", 506), top=140.4),
    line(("权", 467), ("成", 478), top=150.4),
    line(("项目", 61), ("序", 90), ("分管", 489), top=155.7),
    line(("文件依据", 154), ("一级指标", 274), ("二级指标", 388), ("重", 467), ("时", 478), top=160.4),
    line(("号", 90), ("领导", 489), top=167.3),
    line(("限", 478), top=170.4),
]


def test_header_words_are_folded_like_normalize_folds_them() -> None:
    assert is_header_word("⼀级指标")  # a Kangxi radical, as Chromium's PDFs print 一
    assert is_header_word("权 重")
    assert begins_header_word("⽂件") and not begins_header_word("泉州")


def test_a_band_of_labels_centred_at_several_heights_is_a_header() -> None:
    lines = [line(("附件：2022年度绩效目标考评表", 47), top=120.0), *CENTRED_BAND,
             line(("职能", 51), ("重点", 71), top=181.5)]
    assert band_header(lines, 0, 3) is None  # a title line is no band
    assert band_header(lines, 1, 3) == 7  # the body's short first line stays out
    labels = [lb.text for lb in band_labels(lines[1:7])]
    assert {"目标内容", "完成时限", "权重", "项目", "序号", "分管领导", "文件依据", "一级指标", "二级指标"} <= set(labels)


def test_a_header_set_top_aligned_is_not_a_centred_band() -> None:
    lines = [line(("项目", 61), ("目标内容", 200), ("权重", 467), top=140.0),
             line(("序号", 90), ("文件依据", 154), ("一级指标", 274), top=150.0)]
    assert band_header(lines, 0, 3) is None  # labels begin at two heights: the line reader's header


def test_a_parent_goes_over_its_children_and_spanning_labels_span_down() -> None:
    bounds = [50, 68, 87, 99, 235, 339, 465, 476, 486, 505, 529, 553]
    top, low = centred_header_matrix(CENTRED_BAND, bounds)
    assert top[0] == "项目" and top[2] == "目标内容" and top[6] == "权重" and top[7] == "完成时限"
    assert top[8] == "责任分解" and not any(top[c] for c in (3, 4, 5, 9, 10))
    assert low[2] == "序号" and low[3] == "文件依据" and low[4] == "一级指标" and low[5] == "二级指标"
    assert low[8] == "分管领导" and not low[0] and not low[6]


def strip_of(tops: list[float]) -> Strip:
    return Strip(tops, [t + SIZE for t in tops], 10.0)


def test_a_run_over_two_rows_is_cut_where_each_part_is_centred() -> None:
    # row 0 centred at 25 (three lines 10..43), row 1 at 70.4 (five lines 50..93): one run, no gap
    strip = strip_of([10, 20, 30, 50, 60, 70, 80, 90])  # (40 is row 0's last line's bottom + padding)
    strip.tops[3:] = [40, 50, 60, 70, 80]
    strip.bottoms[3:] = [t + SIZE for t in strip.tops[3:]]
    assert split_centred(list(range(8)), strip, [(10 + 36.86) / 2, (40 + 86.86) / 2]) == [(0, [0, 1, 2]),
                                                                                         (1, [3, 4, 5, 6, 7])]


def test_a_merged_cell_centred_between_two_rows_is_not_cut() -> None:
    strip = strip_of([30, 40, 50])  # centred at 43.4, between rows centred at 25 and 61
    assert split_centred([0, 1, 2], strip, [25.0, 61.0]) is None


def test_a_run_crossing_a_boundary_with_a_gap_is_two_cells() -> None:
    bounds = [230.0, 338.0, 465.0]
    two = glyphs("属市", 323.6, 227.4) + glyphs("制推", 339.9, 226.9)  # 2.6 pt apart: two cells
    assert ["".join(g[0] for g in part) for part in cut_at_bounds(two, bounds)] == ["属市", "制推"]
    solid = glyphs("一二三四", 325, 227.4)  # one cell's text spanning the boundary, set solid
    assert len(cut_at_bounds(solid, bounds)) == 1


def test_digits_of_a_fallback_font_stay_on_their_line_between_interleaved_lines() -> None:
    # a basis line at 329.78 whose 2022 (another font) sits 1.5 pt lower, a cell line of the next column at
    # 334.0 and a 序号 line at 328.2: by top alone the digits would open a line and take the 334.0 glyphs
    chars = (glyphs("关于印发", 102, 329.78) + glyphs("2022", 129.5, 331.27) + glyphs("年市", 157, 329.78)
             + glyphs("底", 478, 328.2) + glyphs("监管平台", 340, 334.0))
    texts = ["".join(g[0] for g in ln) for ln in chars_to_lines(chars)]
    assert any("关于印发2022年市" in t for t in texts)
    assert not any("2022" in t and "监管" in t for t in texts)


def test_a_one_row_header_centring_its_wrapped_labels_is_a_centred_band() -> None:
    # 序/号, 分/值 wrapped in narrow columns around one-line labels that share their centre
    lines = [line(("序", 40), ("分", 328), top=256.5), line(("考评项目", 77), ("考评内容", 210), ("考评标准", 396), top=264.0),
             line(("号", 40), ("值", 328), top=271.5)]
    assert band_header(lines, 0, 3) == 3
    top_aligned = [line(("序", 40), ("考评项目", 77), ("考评内容", 210), top=256.5), line(("号", 40), top=264.0)]
    assert band_header(top_aligned, 0, 3) is None  # the wrapped label's centre is below the others'


def test_top_aligned_wrapped_labels_sharing_a_centre_are_not_a_centred_band() -> None:
    # LibreOffice's two-row header set top-aligned: 完/成/时/限 from the first row and 序/号 of the second
    # share a centre by chance; 项目 and 文件依据 do not
    lines = [line(("项目", 40), ("目标内容", 150), ("完", 400), top=100.0),
             line(("序", 90), ("文件依据", 150), ("成", 400), top=110.0),
             line(("号", 90), ("时", 400), top=120.0), line(("限", 400), top=130.0)]
    assert band_header(lines, 0, 3) is None


def test_a_run_of_cells_filling_their_rows_is_cut_where_all_blocks_sit() -> None:
    # row 0 prints 4 lines (10..46.86), row 1 two (52..68.86), a 12-pt gap between the cells, a 10-pt pitch
    # inside one; row 0's 序号 measures 4 pt high (24 for 28.43). Cut row by row, row 0 ends a line early
    # (still 'centred' on 24) and row 1's block, given that line, is off: no split. Chosen together, and a
    # cut inside a cell's pitch costing more than one at a gap, each block sits on its row
    tops = [10.0, 20.0, 30.0, 40.0, 52.0, 62.0]
    strip = Strip(tops, [t + SIZE for t in tops], 10.0)
    assert split_centred(list(range(6)), strip, [24.0, (52 + 68.86) / 2]) == [(0, [0, 1, 2, 3]), (1, [4, 5])]


def test_a_row_a_page_break_cut_may_begin_at_its_top() -> None:
    # row 0 centred at 25 (lines 10..36.86); row 1 is the page's last row, cut by the break: its cells are set
    # from its top (its 序号 at 42), its text running on past its centre (47) to the next page
    tops = [10.0, 20.0, 30.0, 42.0, 52.0, 62.0, 72.0, 82.0]
    strip = Strip(tops, [t + SIZE for t in tops], 10.0, pages=[1] * 6 + [2] * 2)
    centres = [(10 + 36.86) / 2, 42 + SIZE / 2]
    assert split_centred(list(range(8)), strip, centres) is None  # centred only, the long block is off
    assert split_centred(list(range(8)), strip, centres, {1: 42.0}) == [(0, [0, 1, 2]), (1, [3, 4, 5, 6, 7])]


def test_a_printed_line_split_in_two_body_lines_is_one_piece_again() -> None:
    # 6月30日 where the digits sit 1.5 pt below the CJK: line clustering put them on the next body line;
    # in the column they overlap the CJK by most of a glyph and lie between its glyphs
    from types import SimpleNamespace

    from kaoping.extract.pdf_grid import piece_text, rejoin_split_pieces

    cjk = [("月", 20.0, 27.0, 100.0, 107.0, 7.0), ("日", 37.0, 44.0, 100.0, 107.0, 7.0)]
    digits = [("6", 16.0, 20.0, 101.5, 108.5, 7.0), ("3", 27.0, 31.0, 101.5, 108.5, 7.0),
              ("0", 31.0, 35.0, 101.5, 108.5, 7.0)]
    below = [("前", 20.0, 27.0, 110.0, 117.0, 7.0)]
    body = [SimpleNamespace(page=1)] * 3
    pieces, reach = rejoin_split_pieces(body, [{2: cjk}, {2: digits, 3: below}, {2: below}], [{2: 2}, {2: 2, 3: 3}, {2: 2}])
    assert piece_text(pieces[0][2]) == "6月30日" and 2 not in pieces[1] and pieces[1][3] == below
    assert piece_text(pieces[2][2]) == "前"  # the next line of the cell stays a line


def test_blocks_cut_only_inside_a_cells_pitch_are_one_merged_cell_where_cells_are_padded() -> None:
    # six lines a pitch apart over two rows of equal height (centres 25 and 55): cut 3 + 3, each half is
    # centred on its row as well as two cells would be. Where the page pads its cells apart (gapped), two
    # cells would show a longer step between them: none here, so it is one cell merged over both rows
    tops = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
    centres = [(10 + 36.86) / 2, (40 + 66.86) / 2]
    padded = Strip(tops, [t + SIZE for t in tops], 10.0, pages=[1] * 6, gapped=True, cell_pitch=10.0)
    assert split_centred(list(range(6)), padded, centres) is None
    # asked only whether text sits on the rows (where rows are found), the gaps say nothing
    assert split_centred(list(range(6)), padded, centres, merged=False) == [(0, [0, 1, 2]), (1, [3, 4, 5])]
    assert split_centred(list(range(6)), Strip(tops, [t + SIZE for t in tops], 10.0, pages=[1] * 6),
                         centres) == [(0, [0, 1, 2]), (1, [3, 4, 5])]  # no paddings anywhere: no sign
    apart = [10.0, 20.0, 30.0, 42.0, 52.0, 62.0]  # the same with a 12-pt step between the halves: two cells
    strip = Strip(apart, [t + SIZE for t in apart], 10.0, pages=[1] * 6, gapped=True, cell_pitch=10.0)
    assert split_centred(list(range(6)), strip, [(10 + 36.86) / 2, (42 + 68.86) / 2]) == [(0, [0, 1, 2]),
                                                                                         (1, [3, 4, 5])]


def test_a_label_centred_on_a_gutter_begins_at_the_unlabelled_column_left_of_it() -> None:
    from kaoping.extract.pdf_band import spanned_column

    bounds = [40.0, 60.0, 100.0, 130.0]  # a narrow category column, a wide group column, 序号
    # 项目 centred over both (at 68), its glyphs inside the group column: the category column's header
    assert spanned_column(bounds, 68.0, labelled={2}) == 0
    assert spanned_column(bounds, 80.0, labelled={2}) == 1  # centred on its own column
    assert spanned_column(bounds, 68.0, labelled={0, 2}) == 1  # the column left of it has its own label


def test_a_cell_cut_by_a_page_break_a_line_above_the_pages_last_line_stays_one_run() -> None:
    from kaoping.extract.pdf_centred_cuts import column_runs
    from kaoping.extract.pdf_grid import Grid

    # column 0 prints 目标 a line above the page's last line (column 1's), then （25 at the next page's top:
    # the strip puts that a pitch under the page's last line, two under 目标 — one cell all the same
    tops = [10.0, 20.0, 30.0, 40.0, 50.0]
    pieces = [{0: glyphs("行政", 0, 10)}, {0: glyphs("目标", 0, 20)}, {1: glyphs("分）", 20, 30)},
              {0: glyphs("（25", 0, 40)}, {0: glyphs("分）", 0, 50)}]
    grid = Grid([0.0, 20.0, 40.0], pieces, [dict.fromkeys(p, min(p)) for p in pieces], {}, {}, 10.0, None, None)
    strip = Strip(tops, [t + SIZE for t in tops], 10.0, pages=[1, 1, 1, 2, 2])
    assert column_runs(grid, strip, 0) == [[0, 1, 3, 4]]
    same_page = Strip(tops, [t + SIZE for t in tops], 10.0, pages=[1] * 5)
    assert column_runs(grid, same_page, 0) == [[0, 1], [3, 4]]  # on one page two lines' gap parts cells


def test_a_nested_columns_first_cell_in_its_parents_cell_begins_with_it() -> None:
    from kaoping.extract.pdf_centred import begin_with_parent

    # category cells begin at rows 0 and 5; the group label of the second is centred on row 7 of 5..9
    assert begin_with_parent({0: [1], 7: [40, 41]}, [0, 5], 10) == {0: [1], 5: [40, 41]}
    assert begin_with_parent({0: [1], 5: [40]}, [0, 5], 10) == {0: [1], 5: [40]}  # already there
    assert begin_with_parent({3: [9]}, [], 10) == {3: [9]}  # nothing to nest in


def _span(tops: list[float], pages: list[int], text: tuple[float, float], fence: tuple[int, int]) -> tuple[int, int]:
    from kaoping.extract.pdf_centred import merged_span

    # rows 20 pt tall from 0; the run is one line per 10 pt of ``text``
    bounds = [(20.0 * r, 20.0 * r + 20) for r in range(len(tops))]
    lines = [text[0] + 10 * k for k in range(int((text[1] - text[0]) / 10))]
    strip = Strip(lines, [t + 8 for t in lines], 10.0, pages=[1] * len(lines))
    return merged_span(list(range(len(lines))), strip, bounds, fence, (tops, pages))


def test_a_merged_cell_is_the_best_centred_span_or_begins_at_its_rows_top_when_a_page_break_cuts_it() -> None:
    tops = [20.0 * r + 6 for r in range(8)]  # rows 20 pt tall; each row's text begins 6 pt under its top
    # a 2-line label (38..56, centre 47) in rows 1..: the best centred span is rows 1..3 (20..80, centre 50)
    assert _span(tops, [1] * 8, (38.0, 58.0), (1, 8)) == (1, 3)
    # a label at 51..69 (centre 60) beginning where row 2's text begins (51): on one page it is centred over
    # rows 1..4 (and 2..3 as well: the first to begin); where rows 2.. run onto the next page, a browser set
    # it from the top of its first row, so it begins at row 2
    tops[2] = 51.0
    assert _span(tops, [1] * 8, (51.0, 71.0), (1, 5)) == (1, 4)
    assert _span(tops, [1, 1, 1, 1, 2, 2, 2, 2], (51.0, 71.0), (1, 5))[0] == 2


def test_a_cells_last_glyph_carried_to_the_next_pages_top_is_no_page_number() -> None:
    from kaoping.extract.pdf_borderless import in_flow

    # the 1 of a 序号 1-15- / 1 cut by a page break heads the next page, a line's pitch above the text (9.6 pt
    # for 6.86-pt glyphs); a page number sits a margin away
    carried = [line(("1", 120), top=40.0), line(("年度重中之重工作）4", 200), top=49.6)]
    page_number = [line(("1", 300), top=20.0), line(("年度重中之重工作）4", 200), top=49.6)]
    assert in_flow(carried, 0) and not in_flow(page_number, 0)


def test_a_wide_run_beginning_at_an_inner_column_is_a_spanning_cell_not_prose() -> None:
    from kaoping.extract.pdf_borderless import is_prose

    # a table 56..790 wide (734 pt); 80 glyphs of 6.86 pt = 549 pt, 0.75 of it, in one run
    text = "推进治理理念创新" * 10
    spanning = line((text, 140), ("月", 700), top=100.0)  # begins at the 文件依据 column, 12 sizes in
    paragraph = line((text, 70), top=100.0)  # begins two characters in from the table's left edge
    assert not is_prose(spanning, SIZE, float("-inf"), 734.0, 56.0)
    assert is_prose(paragraph, SIZE, float("-inf"), 734.0, 56.0)


def test_in_a_column_mostly_blank_a_lone_block_or_lines_cut_one_by_one_are_a_merged_label() -> None:
    from kaoping.extract.pdf_centred import as_merged, covered_rows

    splits = [[(6, [16, 17])], [(8, [15]), (9, [16])], [(3, [4, 5]), (4, [6, 7])], [(19, [50]), (20, [51])]]
    # a 2-line label centred on the middle of three rows; a label's two lines each on a row of one line;
    # two cells of two lines (kept); the 合计 labels of two closing rows (19, 20 are fences: kept)
    assert as_merged(splits, fences=[19, 20]) == [None, None, splits[2], splits[3]]
    strip = Strip([10.0, 50.0, 90.0], [18.0, 58.0, 98.0], 10.0)
    assert covered_rows(strip, [[0], [2]], [14.0, 34.0, 54.0, 74.0, 94.0]) == 2  # rows 0 and 4 have a line


def test_a_column_sees_its_lines_where_its_own_glyphs_are() -> None:
    from kaoping.extract.pdf_centred_cuts import column_strip
    from kaoping.extract.pdf_grid import Grid

    # body line 0's top is a neighbour's digit (2 pt above column 0's glyph); column 0 sees its own glyph
    pieces = [{0: glyphs("刘", 0, 12.0), 1: glyphs("2", 20, 10.0)}, {0: glyphs("海", 0, 26.25)}]
    grid = Grid([0.0, 20.0, 40.0], pieces, [dict.fromkeys(p, min(p)) for p in pieces], {}, {}, 14.25, None, None)
    strip = Strip([10.0, 26.25], [18.86, 33.11], 14.25, pages=[1, 1], shift=[0.0, 0.0])
    seen = column_strip(strip, grid, 0)
    assert seen.tops == [12.0, 26.25] and seen.tops[1] - seen.tops[0] == 14.25  # the true pitch, not 16.25
    assert column_strip(strip, grid, 1).tops == [10.0, 26.25]


def test_a_whole_header_word_takes_no_body_line_as_its_rest() -> None:
    from kaoping.extract.pdf_band import band_labels

    # 分管领 / 导 wrapped in a narrow column, the body's first line (刘) set close under it
    labels = band_labels([line(("分管领", 500), top=100.0), line(("导", 505), top=110.0),
                          line(("刘", 505), top=125.0)])
    assert [lb.text for lb in labels] == ["分管领导", "刘"]


def test_a_section_line_is_taken_out_of_its_columns_runs() -> None:
    from kaoping.extract.pdf_centred import without

    assert without([[1, 2, 3, 4, 5], [8]], {3}) == [[1, 2], [4, 5], [8]]
    assert without([[3], [4, 5]], {3}) == [[4, 5]]


def test_three_heights_of_label_centres_are_parents_spanning_labels_and_children() -> None:
    """Calc centres each header cell in its own row, and its two header rows are not alike tall: 项目, 权重 and
    完成时限 (spanning both) sit 0.34 sizes below the band's middle — by the middle alone they were children
    of 目标内容, which then went over 项目's column. Three heights of centres say which is which."""
    band = [line(("目标内容", 178), ("责任分解", 963), top=105.4),
            line(("项目", 83), ("权重", 873), ("完成时限", 915), top=119.3),
            line(("序号", 178), ("文件依据", 228), ("一级指标", 395), ("二级指标", 633), ("分管领导", 963),
                 ("责任部门", 1013), ("责任人", 1063), top=128.5)]
    bounds = [60, 170, 220, 390, 630, 860, 910, 960, 1010, 1060, 1110]
    top, low = centred_header_matrix(band, bounds)
    assert top == ["项目", "目标内容", "", "", "", "权重", "完成时限", "责任分解", "", ""]
    assert low == ["", "序号", "文件依据", "一级指标", "二级指标", "", "", "分管领导", "责任部门", "责任人"]


def test_interleaved_lines_say_cells_are_centred() -> None:
    """Cells centred in their rows print their lines half a pitch apart from their neighbours' (Calc: 0.4-0.7
    of the steps under 0.9 sizes); set at the top or the foot, lines keep the pitch (1.2-1.6 sizes)."""
    centred = [line(("甲", 40 + 100 * (k % 3)), top=100 + 3.5 * k) for k in range(12)]
    aligned = [line(("甲", 40), ("乙", 140), top=100 + 10 * k) for k in range(12)]
    assert interleaved(centred) and not interleaved(aligned)


def _grid_of(texts: list[str]):
    from kaoping.extract.pdf_grid import Grid

    pieces = [{0: glyphs(t, 100, 10.0 * k)} for k, t in enumerate(texts)]
    return Grid([90.0, 300.0], pieces, [{0: 0} for _ in texts], {0: 300.0}, {0: 100.0}, 10.0, None, None)


def test_a_label_wrapped_inside_its_brackets_is_never_cut_between_its_lines() -> None:
    """教育卫生（15 / 分）: the bracket the first line opens, the next closes — one cell's text, though each line
    sits on the centre of a one-line row (a label merged over two rows, as a browser centres it)."""
    from kaoping.extract.pdf_centred_cuts import bracket_glued

    grid = _grid_of(["财政收入（8分）", "教育卫生（15", "分）", "社会保障（20", "分）"])
    assert bracket_glued(grid, [0, 1, 2, 3, 4], 0) == {2, 4}
    assert bracket_glued(_grid_of(["（未闭合", "甲", "乙", "丙", "丁）"]), [0, 1, 2, 3, 4], 0) == set()  # too far: a misread
    strip = strip_of([30, 40])  # each line on its own row's centre
    centres = [30 + SIZE / 2, 40 + SIZE / 2]
    assert split_centred([0, 1], strip, centres, merged=False) == [(0, [0]), (1, [1])]
    assert split_centred([0, 1], strip, centres, merged=False, glued=frozenset({1})) != [(0, [0]), (1, [1])]


def test_in_a_column_mostly_blank_a_bracketed_block_is_placed_as_a_merged_label_of_its_own() -> None:
    from kaoping.extract.pdf_centred import held_apart

    runs, splits = held_apart([[4, 5, 6], [9]], [[(4, [4]), (5, [5, 6])], [(7, [9])]], [frozenset({2}), frozenset()])
    assert runs == [[4], [5, 6], [9]] and splits == [[(4, [4])], None, [(7, [9])]]


def test_the_widest_span_is_taken_only_among_spans_as_well_centred_as_the_best() -> None:
    """A 2-line label centred on rows 0–1 (one line each): rows 0–2 miss it by under half a line, but by far
    more than rows 0–1 do; the widest of the spans centred alike is rows 0–1."""
    from kaoping.extract.pdf_centred import merged_span

    bounds = [(0.0, 18.0), (18.0, 36.0), (36.0, 52.0), (52.0, 70.0)]
    strip = Strip([5.9, 23.1], [12.9, 30.1], 17.2, pages=[1, 1])
    facts = ([0.5, 18.5, 36.5, 52.5], [1, 1, 1, 1])
    assert merged_span([0, 1], strip, bounds, (0, 4), facts, widest=True) == (0, 1)
