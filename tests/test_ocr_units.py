"""OCR path, fast parts: deskew and the ruled grid on drawn pages, glyph spacing, the missing-extra message,
and the roster / confidence step on a raw document whose confidences are set by hand."""

from __future__ import annotations

import sys

import pytest
from kaoping.normalize.pipeline import raw_to_document
from kaoping.schema.errors import InputError
from kaoping.schema.raw import RawDocument
from support import SAMPLES

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")


def drawn_table(angle: float = 0.0):
    """A white 1600×1100 page with a 3×4 ruled table whose top-left cell spans two columns and whose
    last column's two lower cells are one (rowspan 2), rotated by ``angle`` degrees."""
    page = np.full((1100, 1600), 255, np.uint8)
    xs, ys = [100, 400, 700, 1000, 1500], [200, 400, 600, 800]
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 0, 3)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), 0, 3)
    page[ys[0] + 3:ys[1] - 2, xs[1] - 2:xs[1] + 3] = 255  # merge (0,0)+(0,1)
    page[ys[2] - 2:ys[2] + 3, xs[3] + 3:xs[4] - 2] = 255  # merge (1,3)+(2,3)
    m = cv2.getRotationMatrix2D((800, 550), angle, 1.0)
    return cv2.warpAffine(page, m, (1600, 1100), borderValue=255)


def test_deskew_finds_the_tilt_of_the_rules() -> None:
    from kaoping.extract.ocr_rules import deskew

    _, removed = deskew(drawn_table(1.2))
    assert removed == pytest.approx(-1.2, abs=0.1)
    _, none = deskew(drawn_table(0.0))
    assert none == 0.0


def drawn_text(angle: float):
    """A white page of ten text lines without any rule (glyph-sized blocks 20 px apart, 60 px leading, ragged
    right ends), rotated by ``angle`` degrees as ``drawn_table`` is."""
    page = np.full((1100, 1600), 255, np.uint8)
    for k in range(10):
        y = 200 + 60 * k
        for x in range(120, 1500 - 90 * (k % 4), 26):
            page[y:y + 22, x:x + 20] = 0
    m = cv2.getRotationMatrix2D((800, 550), angle, 1.0)
    return cv2.warpAffine(page, m, (1600, 1100), borderValue=255)


@pytest.mark.parametrize("angle", [1.2, -0.6])
def test_deskew_levels_a_page_without_rules(angle: float) -> None:
    """No rule to measure: the rows of text are lined up, and the page turned back by its tilt (a sign error
    here once doubled the tilt of every borderless scan: its table read as one row)."""
    from kaoping.extract.ocr_rules import binarise, deskew, skew_from_text

    level, removed = deskew(drawn_text(angle))
    assert removed == pytest.approx(-angle, abs=0.15)
    assert skew_from_text(binarise(level)) == pytest.approx(0.0, abs=0.15)


def test_missing_rules_become_spans() -> None:
    from kaoping.extract.ocr_rules import deskew, page_to_tables

    level, _ = deskew(drawn_table(0.8))
    tables, _ = page_to_tables(level)
    assert len(tables) == 1
    boxes = tables[0]
    assert len(boxes) == 12 - 1 - 1  # 12 slots, two merges
    widths = sorted(round((b[2] - b[0]) / 100) for b in boxes)
    heights = sorted(round((b[3] - b[1]) / 100) for b in boxes)
    assert widths.count(6) == 1 and heights.count(4) == 1  # the colspan-2 and the rowspan-2 cell


def test_a_page_a_break_cut_keeps_its_open_rows_and_its_merged_columns() -> None:
    """A browser's print, scanned: the column rules run from the page top to the page bottom without a rule at
    either end (rows cut by the breaks), and the two left columns (merged cells going on over both breaks)
    have no horizontal rule at all, so their side rules touch nothing. Both are one table with the rest, and
    the cut rows at the top and bottom are rows (their text is not lost as page text)."""
    from kaoping.extract.ocr_rules import page_to_tables

    page = np.full((1100, 1600), 255, np.uint8)
    xs, ys = [100, 250, 400, 700, 1000, 1500], [300, 600, 850]
    for x in xs:
        cv2.line(page, (x, 100), (x, 1000), 0, 3)
    for y in ys:
        cv2.line(page, (xs[2], y), (xs[-1], y), 0, 3)
    tables, _ = page_to_tables(page)
    assert len(tables) == 1
    boxes = tables[0]
    assert min(b[0] for b in boxes) == pytest.approx(100, abs=6)  # the merged columns are in the table
    assert min(b[1] for b in boxes) == pytest.approx(100, abs=6) and max(b[3] for b in boxes) == pytest.approx(1000, abs=6)
    left = sorted((b for b in boxes if b[0] < 200), key=lambda b: b[1])
    assert len(left) == 1 and left[0][3] - left[0][1] == pytest.approx(900, abs=12)  # one box, top to bottom
    assert len([b for b in boxes if b[0] > 650 and b[2] < 1050]) == 4  # cut top row, two whole rows, cut bottom


def test_a_column_narrower_than_the_rule_kernel_keeps_its_rows_and_its_table() -> None:
    """A weight column 30 px wide on a 1600-px page: its horizontal rules are shorter than the opening's kernel
    (1/40 of the side), so the table fell into two components and the column's cells into one. The parts join
    into one table and the column's rows stay rows."""
    from kaoping.extract.ocr_rules import page_to_tables

    page = np.full((1100, 1600), 255, np.uint8)
    xs, ys = [100, 600, 900, 930, 1300], [200, 400, 600, 800]
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), 0, 2)
    for y in ys:
        for a, b in zip(xs, xs[1:], strict=False):
            cv2.line(page, (a, y), (b, y), 0, 2)  # each cell's own border piece, as a browser draws it
        page[y - 3:y + 4, xs[2] - 1:xs[2] + 2] = 255  # the narrow column's rule pieces do not touch its sides
        page[y - 3:y + 4, xs[3] - 1:xs[3] + 2] = 255
    [boxes] = page_to_tables(page)[0]
    narrow = [b for b in boxes if 880 < b[0] < 920]
    assert len(narrow) == 3 and all(abs((b[3] - b[1]) - 200) < 10 for b in narrow)
    assert len(boxes) == 12


def test_a_text_stroke_as_long_as_the_kernel_is_no_row_rule() -> None:
    """At 150 dpi a run of glyph strokes (城/建) can be as long as the rule kernel: a 60-px stroke inside a
    500-px cell made a grid line, and where a narrow column's glyph had a stroke at that height (一 in a
    30-px 完成时限 column) the short rules filled the slot and cut its cell into two rows. A rule runs from
    one column rule to the next; the stroke covers a fraction of its cell, so it is no grid line."""
    from kaoping.extract.ocr_rules import page_to_tables

    page = np.full((1100, 1600), 255, np.uint8)
    xs, ys = [100, 600, 900, 930, 1300], [200, 400, 600, 800]
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), 0, 2)
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 0, 2)
    page[499:502, 200:260] = 0  # the long stroke, in the first column's middle cell
    page[499:502, 905:926] = 0  # a glyph's stroke across the narrow column, at the same height
    [boxes] = page_to_tables(page)[0]
    assert len(boxes) == 12  # 3 rows of 4 cells, none cut at y 500
    assert not any(abs(b[1] - 500) < 10 or abs(b[3] - 500) < 10 for b in boxes)


def test_bands_of_one_table_that_touch_are_one_table() -> None:
    """A faint rule scanned breaks where two cells' border pieces meet: the table falls into bands of rows that
    touch without a pixel in common. Regions within a few pixels of each other are one table."""
    from kaoping.extract.ocr_rules import join_touching

    bands = [(300, 121, 1860, 645), (300, 646, 1860, 1220), (300, 1221, 1860, 1539), (1908, 117, 2208, 1539)]
    assert sorted(join_touching(bands, 10)) == [(300, 121, 1860, 1539), (1908, 117, 2208, 1539)]
    assert sorted(join_touching([(0, 0, 100, 100), (0, 150, 100, 300)], 10)) == [(0, 0, 100, 100), (0, 150, 100, 300)]


def test_glyph_spacing_reads_the_white_between_names() -> None:
    from kaoping.extract.ocr_engine import line_to_glyphs
    from kaoping.extract.pdf_text import line_to_text

    # two names, 25 px pitch, with an extra 9 px of white between 祥 and 汪; the character boxes are loose
    centres = [12.0, 37.0, 62.0, 96.0, 121.0, 146.0]
    ink = np.ones(200, bool)
    ink[75:84] = False
    glyphs = line_to_glyphs(list("刘海祥汪亚彬"), centres, [0.99] * 6, 0.0, 29.0, ink)
    line = [(g.text, g.x0, g.x1, g.top, g.bottom, g.size) for g in glyphs]
    assert line_to_text(line) == "刘海祥 汪亚彬"
    ink[:] = True  # no white: one word, and never a space after punctuation
    glyphs = line_to_glyphs(list("工作，加快"), [12.0, 37.0, 62.0, 96.0, 121.0], [0.99] * 5, 0.0, 29.0, ink)
    assert line_to_text([(g.text, g.x0, g.x1, g.top, g.bottom, g.size) for g in glyphs]) == "工作，加快"


def test_a_short_line_takes_the_em_of_the_nearest_line_with_a_pitch() -> None:
    """A line too short for a pitch (fewer than three ideograph pairs: 题整改。, 12月底前, a lone 一 or 1) gets the
    pitch of the nearest line above or below that has one — not a share of its own box, which the detector
    pads unevenly."""
    from kaoping.extract.ocr_engine import EM_PER_HEIGHT, page_ems

    def line(text: str, pitch: float, top: float, height: float = 30.0) -> tuple[list[float], list[str], float, float]:
        return [10.0 + pitch * i for i in range(len(text))], list(text), top, top + height

    lines = [line("附件附件附件", 50.0, 0.0, 60.0), line("编制部门预算草案", 28.0, 200.0), line("题整改。", 40.0, 240.0, 34.0),
             line("1", 0.0, 262.0, 13.0), line("按月通报各单位", 40.0, 300.0), line("一", 0.0, 420.0, 8.0)]
    assert page_ems(lines) == [50.0, 28.0, 28.0, 40.0, 40.0, 40.0]  # the 1 is nearer the line below
    assert page_ems([line("附件", 50.0, 0.0, 60.0)]) == [EM_PER_HEIGHT * 60.0]  # no line with a pitch


def test_digits_alone_take_the_box_of_the_line_they_are_printed_in() -> None:
    """The detector boxes a lone weight 1 tight around its ink, 0.4 sizes below the text of its row: inside
    the box of a line with wide glyphs it takes that line's top and bottom; elsewhere, and for text, its own."""
    from kaoping.extract.ocr_engine import line_spans

    lines = [(list("严格执行中央八项规定"), 388.0, 400.0), (list("1"), 391.7, 397.1), (list("前"), 401.4, 413.3),
             (list("2."), 430.0, 436.0), (list("题整改。"), 389.0, 401.0)]
    assert line_spans(lines) == [(388.0, 400.0), (388.0, 400.0), (401.4, 413.3), (430.0, 436.0), (389.0, 401.0)]


def test_year_brackets_are_repaired() -> None:
    from kaoping.extract.ocr import repair_text

    assert repair_text("泉政办[2022]2号；泉委办［ 2021 ］5号") == "泉政办〔2022〕2号；泉委办〔2021〕5号"
    assert repair_text("附件[2]第3项") == "附件[2]第3项"
    assert repair_text("泉政办〔2022）2号；泉委办〔2022]5号；泉政文（2022〕7号") == "泉政办〔2022〕2号；泉委办〔2022〕5号；泉政文〔2022〕7号"
    assert repair_text("泉委办（2022）第5号；2022）年") == "泉委办（2022）第5号；2022）年"  # a pair as printed stays


def test_without_the_ocr_extra_a_scan_names_the_install(monkeypatch, tmp_path) -> None:
    from kaoping.extract import extract_document

    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import now raises ImportError
    path = tmp_path / "scan.png"
    cv2.imwrite(str(path), drawn_table())
    with pytest.raises(InputError, match=r"pip install 'kaoping\[ocr\]'"):
        extract_document(path)


# ---------------------------------------------------------------- confidence and roster


def ocr_raw(misread: dict[str, tuple[str, float, bool]]) -> RawDocument:
    """The sample's text export as if OCR had read it: every cell at 0.99, except cells printed as a key of
    ``misread``: {printed: (read as, confidence, every occurrence or only the first)}."""
    from kaoping.extract import extract_document

    raw = extract_document(SAMPLES / "notice_2022.txt")
    raw.source = raw.source.model_copy(update={"ocr": True})
    done: set[str] = set()
    for table in raw.tables:
        for cell in table.cells:
            cell.confidence = 0.99 if cell.text else None
            printed = cell.text.replace(" ", "")
            if printed in misread and printed not in done:
                read, conf, every = misread[printed]
                cell.text, cell.confidence = read, conf
                if not every:
                    done.add(printed)
    return raw


def owners_of(doc, code: str) -> list[str]:
    return next(i.owners for i in doc.indicators if i.code == code)


def test_a_misread_name_takes_the_roster_form_and_says_so() -> None:
    doc = raw_to_document(ocr_raw({"苏颖慧": ("苏颖惠", 0.7, False)}))  # the first 苏颖慧 alone misread
    assert not [i for i in doc.indicators if "苏颖惠" in i.owners]
    corrected = [i for i in doc.issues if i.kind == "ocr_name_corrected"]
    assert len(corrected) == 1 and "'苏颖惠'" in corrected[0].message and "'苏颖慧'" in corrected[0].message
    assert corrected[0].cells == ["苏颖惠"]
    assert next(i for i in doc.indicators if i.code == corrected[0].code).owners == ["苏颖慧"]
    low = [i for i in doc.issues if i.kind == "ocr_low_confidence"]
    assert [(i.code, i.cells) for i in low] == [(corrected[0].code, ["苏颖惠"])] and "owners" in low[0].message


def test_one_person_is_never_silently_turned_into_another() -> None:
    # OCR reads the rare 昫 as 响: 李响 exists in this notice (another department), and under 发改科 both
    # 李昫 and 李昀 are one character away, so nothing is changed and each row is flagged
    doc = raw_to_document(ocr_raw({"李昫": ("李响", 0.7, False)}))
    assert owners_of(doc, "1-3-1") == ["李响"]
    [flag] = [i for i in doc.issues if i.kind == "ocr_name_unverified"]
    assert flag.code == "1-3-1" and "'李昀' and '李昫' one character away" in flag.message
    doc = raw_to_document(ocr_raw({"李昫": ("李响", 0.7, True)}))  # every occurrence misread alike
    unverified = [i for i in doc.issues if i.kind == "ocr_name_unverified"]
    assert {i.code for i in unverified} == {"1-3-1", "1-3-2", "1-4-1", "1-4-2"}
    assert not [i for i in doc.issues if i.kind == "ocr_name_corrected"]


def test_a_confident_read_is_trusted_and_text_input_is_untouched() -> None:
    doc = raw_to_document(ocr_raw({}))
    assert not [i for i in doc.issues if i.kind.startswith("ocr_")]
    raw = ocr_raw({"李昫": ("李响", 0.7, False)})
    raw.source = raw.source.model_copy(update={"ocr": False})
    assert not [i for i in raw_to_document(raw).issues if i.kind.startswith("ocr_")]


def test_a_glyph_read_twice_is_one_but_a_printed_double_stays() -> None:
    from kaoping.extract.ocr import drop_doubles
    from kaoping.extract.ocr_engine import Glyph

    def g(text: str, x: float, conf: float = 0.99) -> Glyph:
        w = 24.0 if ord(text) > 0x2E80 else 12.0
        return Glyph(text, x - w / 2, x + w / 2, 0.0, 29.0, 24.0, conf)

    twice = [g("发", 100.0, 0.62), g("发", 104.0), g("改", 128.0)]
    assert [x.text for x in drop_doubles(twice)] == ["发", "改"] and drop_doubles(twice)[0].confidence == 0.99
    # digits of a Latin font sit 0.44 em apart at 200 dpi (10.5 px for a 24 px em): closer than half an em
    printed = [g("1", 100.0), g("-", 110.5), g("1", 121.0), g("1", 131.5), g("-", 142.0), g("2", 152.5)]
    assert "".join(x.text for x in drop_doubles(printed)) == "1-11-2"
    assert "".join(x.text for x in drop_doubles([g("常", 100.0), g("常", 124.0)])) == "常常"


def test_boxes_are_given_in_the_pixels_of_the_page_as_scanned() -> None:
    from kaoping.extract.ocr import OcrPage, to_pixels

    # a 2000×1000 px page at 200 dpi levelled by 1°: the box at the centre keeps its place, a box at the
    # right edge moves by ~sin(1°) × 1000 px ≈ 17 px vertically
    page = OcrPage(1, 2000, 1000, 200.0, 1.0, [], [])
    k = 72.0 / 200.0
    centre = to_pixels((990 * k, 490 * k, 1010 * k, 510 * k), page)
    assert centre == pytest.approx((990, 490, 1010, 510), abs=0.5)
    edge = to_pixels((1980 * k, 490 * k, 2000 * k, 510 * k), page)
    assert edge[1] == pytest.approx(490 + 17.3, abs=1.0) and edge[0] == pytest.approx(1980, abs=1.0)


def test_a_photo_tagged_as_turned_is_read_upright() -> None:
    """EXIF orientation 6 ("rotate 90° clockwise to view"): the frame comes out upright, 300 wide and 200
    high, with the mark that sat at the stored image's top left now at its top right."""
    import io

    from kaoping.extract.image import bytes_to_frames
    from PIL import Image

    stored = Image.new("L", (200, 300), 255)
    stored.paste(0, (0, 0, 40, 40))  # a black mark at the stored top left
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    stored.save(buf, format="JPEG", exif=exif, dpi=(200, 200))
    [(gray, dpi)] = bytes_to_frames(buf.getvalue())
    assert gray.shape == (200, 300) and dpi == 200
    assert gray[:40, -40:].mean() < 60 and gray[:40, :40].mean() > 200


def test_one_printed_size_reads_as_one_size() -> None:
    """Measured pitches of one printed size spread ±15 %: a line takes the median of the page's measured sizes
    within 20 % of its own, so a table's 10.4 among its 9.0s reads 9.0, and a title at 1.33 times keeps its own."""
    from kaoping.extract.ocr_engine import one_size

    measured = [9.0, 9.0, 9.0, 9.0, 9.0, 10.4, 12.0, 12.0, 12.0]
    assert one_size(10.4, measured) == 9.0
    assert one_size(12.0, measured) == 12.0
    assert one_size(30.0, measured) == 30.0  # no measured size near it: its own


def test_ink_no_glyph_covers_is_a_blob_to_read_when_it_is_text_sized() -> None:
    """The detector read a line (a glyph box over its ink) but skipped a lone figure beside it: that figure's ink
    is a blob to recognise alone; a stamp-sized blot and a speck are not (extract/ocr_unread.py)."""
    from kaoping.extract.ocr_engine import Glyph
    from kaoping.extract.ocr_unread import unread_blobs

    ink = np.zeros((600, 800), np.uint8)
    ink[100:124, 100:300] = 255  # a line of text the detector read ...
    read = [Glyph("某", 100.0 + 25 * k, 125.0 + 25 * k, 100.0, 124.0, 25.0, 0.99) for k in range(8)]
    ink[102:120, 400:404] = 255  # ... a lone "1" it skipped (18 px high, 4 px wide: 72 px of ink)
    ink[300:450, 300:450] = 255  # a stamp: six ems high
    ink[500:503, 600:603] = 255  # a speck
    assert unread_blobs(ink, read) == [(397, 102, 407, 120)]  # widened by the 7-px (0.3 em) joining kernel


def test_ink_beside_a_read_glyph_is_that_glyph_s_not_a_figure() -> None:
    """A % boxed short of its right half: the half is the %'s ink (read alone it gave 90%%), not a lone figure."""
    from kaoping.extract.ocr_engine import Glyph
    from kaoping.extract.ocr_unread import unread_blobs

    ink = np.zeros((300, 400), np.uint8)
    ink[100:124, 100:160] = 255  # 90% printed; the % box ends at 150, its ink at 160
    read = [Glyph("9", 100.0, 112.0, 100.0, 124.0, 25.0, 0.99), Glyph("0", 112.0, 124.0, 100.0, 124.0, 25.0, 0.99),
            Glyph("%", 124.0, 150.0, 100.0, 124.0, 25.0, 0.99)]
    assert unread_blobs(ink, read) == []
