"""PDF extractor (extract/pdf.py): the 2022 sample, plus small PDFs written by the test itself.

The small PDFs are built by hand (no PDF library needed): ruled cells are stroked lines, ASCII is set
in Courier (every glyph 0.6 em wide) and everything else in the predefined CID font STSong-Light
(every glyph 1 em wide), which pdfminer maps back to Unicode through its bundled CMaps.
"""

from __future__ import annotations

import hashlib
import io
import random
import zlib
from pathlib import Path

import pytest
from kaoping.extract.pdf import Fragment, pdf_to_raw, remap_columns
from kaoping.extract.pdf_text import first_unit_width
from kaoping.schema.errors import InputError
from kaoping.schema.raw import RawCell, RawDocument, RawTable, SourceInfo
from support import SAMPLES

SAMPLE = SAMPLES / "notice_2022.pdf"


# ---------------------------------------------------------------- a tiny PDF writer


class Page:
    def __init__(self, width: float = 600.0, height: float = 400.0) -> None:
        self.width, self.height, self.ops = width, height, []

    def box(self, x0: float, top: float, x1: float, bottom: float) -> None:
        h = self.height
        self.ops.append(f"0.5 w {x0} {h - bottom} {x1 - x0} {bottom - top} re S")

    def text(self, x: float, baseline: float, s: str, size: float = 9.0) -> float:
        """Write ``s`` with its baseline ``baseline`` points below the page top; return the end x."""
        y = self.height - baseline
        runs: list[tuple[bool, str]] = []
        for ch in s:
            if runs and runs[-1][0] == (ord(ch) < 128):
                runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            else:
                runs.append((ord(ch) < 128, ch))
        for ascii_run, run in runs:
            if ascii_run:
                esc = run.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                self.ops.append(f"BT /F1 {size} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm ({esc}) Tj ET")
                x += 0.6 * size * len(run)
            else:
                hexs = "".join(f"{ord(c):04X}" for c in run)
                self.ops.append(f"BT /F2 {size} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{hexs}> Tj ET")
                x += size * len(run)
        return x

    def cell(self, x0: float, top: float, x1: float, bottom: float, *lines: str, pad: float = 3.0) -> None:
        """A ruled cell with one text line per argument, 12 points apart."""
        self.box(x0, top, x1, bottom)
        for i, line in enumerate(lines):
            self.text(x0 + pad, top + pad + 9 + 12 * i, line)


def objects_to_pdf(objs: list[bytes], root: int) -> bytes:
    """Numbered objects (1-based) with a cross-reference table and a trailer naming ``root``."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def add_base_fonts(add) -> tuple[int, int]:
    """Courier (Latin) and the STSong-Light CID font (Adobe-GB1) as numbered objects: (Courier, CID font)."""
    f1 = add("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    desc = add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
               "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
    cid = add("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
              f"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor {desc} 0 R /DW 1000 >>")
    return f1, cid


def build_pdf(pages: list[Page]) -> bytes:
    objs: list[bytes] = []

    def add(body: str | bytes) -> int:
        objs.append(body.encode() if isinstance(body, str) else body)
        return len(objs)

    f1, cid = add_base_fonts(add)
    f2 = add("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
             f"/DescendantFonts [{cid} 0 R] >>")
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for p in pages:
        data = zlib.compress("\n".join(p.ops).encode("ascii"))
        c = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {p.width} {p.height}] "
                        f"/Resources << /Font << /F1 {f1} 0 R /F2 {f2} 0 R >> >> /Contents {c} 0 R >>"))
    refs = " ".join(f"{k} 0 R" for k in kids)
    add(f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>")
    root = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    return objects_to_pdf(objs, root)


def read(data: bytes) -> RawDocument:
    info = SourceInfo(format="pdf", file="t.pdf", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return pdf_to_raw(data, info)


def cell(table: RawTable, row: int, col: int) -> RawCell:
    found = [c for c in table.cells if c.row == row and c.col == col]
    assert len(found) == 1, (row, col, found)
    return found[0]


# ---------------------------------------------------------------- small made-up notices

# columns: group | code | item | weight | names
XS = [40.0, 90.0, 124.0, 280.0, 300.0, 351.0]


def header(p: Page, top: float) -> float:
    """Two header rows: 'group' and 'weight' merged vertically, 'detail' over code+item."""
    p.cell(XS[0], top, XS[1], top + 36, "Group")
    p.cell(XS[1], top, XS[3], top + 18, "Detail")
    p.cell(XS[3], top, XS[4], top + 36, "权", "重")
    p.cell(XS[4], top, XS[5], top + 36, "Names")
    p.cell(XS[1], top + 18, XS[2], top + 36, "Code")
    p.cell(XS[2], top + 18, XS[3], top + 36, "Item")
    return top + 36


def two_page_notice() -> bytes:
    p1, p2 = Page(), Page()
    p1.text(40, 30, "Notice title 2099")
    p1.text(40, 45, "附件")
    top = header(p1, 60)
    p1.cell(XS[0], top, XS[1], top + 100, "重点工作")  # group cell: vertical merge over two rows
    p1.cell(XS[1], top, XS[2], top + 60, "1-10-", "1")  # "1-10-" runs to the right edge
    p1.cell(XS[2], top, XS[3], top + 60, "first item")
    p1.cell(XS[3], top, XS[4], top + 60, "2")
    p1.cell(XS[4], top, XS[5], top + 60, "刘海祥 汪", "亚彬 李维", "芳 林鹏", "周俊杰")
    p1.cell(XS[1], top + 60, XS[2], top + 100, "1-11")
    p1.cell(XS[2], top + 60, XS[4], top + 100, "spans item", "and weight")  # horizontal merge
    p1.cell(XS[4], top + 60, XS[5], top + 100, "李昀 苏颖慧", "黄华明")
    p1.text(280, 385, "— 1 —")
    top = header(p2, 20)
    p2.cell(XS[0], top, XS[1], top + 30)
    p2.cell(XS[1], top, XS[2], top + 30)  # row broken by the page: code and weight empty
    p2.cell(XS[2], top, XS[3], top + 30, "the rest of", "the item")
    p2.cell(XS[3], top, XS[4], top + 30)
    p2.cell(XS[4], top, XS[5], top + 30)
    p2.text(40, top + 50, "抄送：各单位。")
    p2.text(280, 385, "— 2 —")
    return build_pdf([p1, p2])


@pytest.fixture(scope="module")
def made() -> RawDocument:
    return read(two_page_notice())


def test_made_fragments_stitched_into_one_table(made: RawDocument) -> None:
    assert made.source.pages == 2
    assert len(made.tables) == 1
    table = made.tables[0]
    assert table.n_cols == 5
    assert [r.page for r in table.rows] == [1, 1, 1, 1, 2, 2, 2]
    assert [r.index for r in table.rows] == list(range(7))
    assert [r.page_start for r in table.rows] == [False] * 4 + [True, False, False]
    # the header rows repeat verbatim on page 2, so both copies are marked without knowing any wording
    assert [r.header for r in table.rows] == [True, True, False, False, True, True, False]


def test_made_spans_and_text(made: RawDocument) -> None:
    t = made.tables[0]
    assert (cell(t, 0, 1).text, cell(t, 0, 1).colspan) == ("Detail", 2)
    assert (cell(t, 0, 3).text, cell(t, 0, 3).rowspan) == ("权重", 2)
    assert (cell(t, 2, 0).text, cell(t, 2, 0).rowspan) == ("重点工作", 2)
    assert cell(t, 2, 1).text == "1-10-1"
    assert (cell(t, 3, 2).text, cell(t, 3, 2).colspan) == ("spans item and weight", 2)
    assert not [c for c in t.cells if c.row == 3 and c.col == 3]  # covered by the merge: no cell
    assert cell(t, 2, 4).text == "刘海祥 汪亚彬 李维芳 林鹏 周俊杰"
    assert cell(t, 3, 4).text == "李昀 苏颖慧 黄华明"  # the space swallowed by the wrap comes back
    assert [c.text for c in sorted((c for c in t.cells if c.row == 6), key=lambda c: c.col)] == [
        "", "", "the rest of the item", "", ""]
    assert all(c.page in (1, 2) and c.bbox is not None for c in t.cells)
    assert cell(t, 6, 2).bbox == (124.0, 56.0, 280.0, 86.0)


def test_made_paragraphs_around_the_table(made: RawDocument) -> None:
    texts = [p.text for p in made.paragraphs]
    assert texts == ["Notice title 2099", "附件", "— 1 —", "抄送：各单位。", "— 2 —"]
    assert [p.page for p in made.paragraphs] == [1, 1, 1, 2, 2]
    assert made.tables[0].paragraphs_before == 2


def test_text_between_pages_starts_a_new_table() -> None:
    pages = []
    for title in ("Table one", "Table two"):
        p = Page()
        p.text(40, 30, title)
        header(p, 60)
        pages.append(p)
    doc = read(build_pdf(pages))
    assert [t.paragraphs_before for t in doc.tables] == [1, 2]
    assert all(not r.page_start for t in doc.tables for r in t.rows)


def test_running_head_and_page_footer_do_not_split_a_table() -> None:
    pages = []
    for n in (1, 2):
        p = Page()
        p.text(40, 20, "考评表 2099")  # running head, repeated on every page
        top = header(p, 40)
        p.cell(XS[0], top, XS[5], top + 20, f"row {n}")
        p.text(280, 385, f"第 {n} 页")
        pages.append(p)
    doc = read(build_pdf(pages))
    assert len(doc.tables) == 1
    assert [r.page_start for r in doc.tables[0].rows] == [False, False, False, True, False, False]
    assert [p.text for p in doc.paragraphs] == ["考评表 2099", "第 1 页", "考评表 2099", "第 2 页"]


def test_text_without_ruled_table_is_not_an_error() -> None:
    p = Page()
    p.text(40, 30, "只有正文，没有表格。")
    doc = read(build_pdf([p]))
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs] == ["只有正文，没有表格。"]


def test_a_table_with_its_own_columns_on_the_next_page_is_a_new_table() -> None:
    """Same outer edges are not enough: the next page's columns must line up with this page's (one grid
    within the other, as a page whose rows merge some columns has fewer boundaries)."""
    from kaoping.extract.pdf import continues

    def frag(page: int, xs: list[float]) -> Fragment:
        return Fragment(page=page, top=0.0, xs=xs, ys=[0.0, 10.0], cells=[])

    first = frag(11, [35, 68, 88, 109, 240, 343, 460, 478, 496, 520, 549, 576])
    assert continues(first, frag(12, [35, 68, 88, 109, 240, 343, 460, 478, 496, 520, 549, 576]))
    assert continues(first, frag(12, [35, 68, 109, 343, 576]))  # merged columns: fewer boundaries, same grid
    second = frag(12, [36, 74, 111, 128, 148, 207, 409, 432, 453, 487, 533, 576])  # a second table
    assert not continues(first, second)
    assert continues(second, frag(13, [35, 75, 111, 128, 409, 432, 453, 487, 533, 576]))
    # each page lacks a different inner boundary (a faint rule a scan lost, merged cells): still one table
    assert continues(first, frag(12, [35, 68, 109, 240, 343, 460, 478, 496, 520, 549, 576]))
    assert continues(frag(11, [35, 68, 109, 240, 343, 576]), frag(12, [35, 68, 88, 240, 343, 576]))


def test_remap_columns_maps_a_fragment_with_fewer_columns_by_nearest_boundary() -> None:
    frag = Fragment(page=2, top=0.0, xs=[0.0, 51.0, 149.0], ys=[0.0, 10.0],
                    cells=[RawCell(row=0, col=0), RawCell(row=0, col=1)])
    cells = remap_columns(frag, [0.0, 50.0, 100.0, 150.0])
    assert [(c.col, c.colspan) for c in cells] == [(0, 1), (1, 2)]


def test_first_unit_width_keeps_brackets_and_punctuation_with_their_glyph() -> None:
    def glyphs(s: str, x: float = 0.0) -> list[tuple[str, float, float, float, float, float]]:
        out = []
        for ch in s:
            w = 4.5 if ord(ch) < 128 else 9.0
            out.append((ch, x, x + w, 0.0, 9.0, 9.0))
            x += w
        return out

    assert first_unit_width(glyphs("周俊杰")) == 9.0
    assert first_unit_width(glyphs("〔2022〕3号")) == 9 + 18 + 9
    assert first_unit_width(glyphs("页；“抓开放")) == 36.0
    assert first_unit_width(glyphs("40项")) == 9.0


# ---------------------------------------------------------------- errors


def test_encrypted_pdf() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(two_page_notice())))
    writer.encrypt("secret", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(InputError, match=r"^encrypted PDF: remove the password first$"):
        read(buf.getvalue())


def test_truncated_pdf() -> None:
    data = SAMPLE.read_bytes()
    with pytest.raises(InputError, match=r"^corrupt or truncated PDF: \S"):
        read(data[: len(data) // 2])


@pytest.mark.parametrize("n", [0, 200, 20000])
def test_random_bytes_after_pdf_header(n: int) -> None:
    data = b"%PDF-1.7\n" + random.Random(n).randbytes(n)
    with pytest.raises(InputError, match=r"^corrupt or truncated PDF: "):
        read(data)


def test_pdf_without_text_layer() -> None:
    p = Page()
    p.box(50, 50, 300, 200)
    p.box(300, 50, 500, 200)
    # no text layer: read as a scan by OCR (or the install hint without the ocr extra), which finds no text
    with pytest.raises(InputError, match=r"^(no text found: no text layer, and OCR read nothing|scanned notice: OCR)"):
        read(build_pdf([p]))


# ---------------------------------------------------------------- the 2022 sample


@pytest.fixture(scope="module")
def sample() -> RawDocument:
    return read(SAMPLE.read_bytes())


def row_of(table: RawTable, code: str) -> int:
    rows = [c.row for c in table.cells if c.text == code]
    assert len(rows) == 1, code
    return rows[0]


def test_sample_one_table_of_eleven_columns(sample: RawDocument) -> None:
    assert sample.source.pages == 13
    assert len(sample.tables) == 1
    t = sample.tables[0]
    assert t.n_cols == 11
    assert {r.page for r in t.rows} == set(range(4, 14))
    starts = [r for r in t.rows if r.page_start]
    assert [r.page for r in starts] == list(range(5, 14))
    assert all(r == next(x for x in t.rows if x.page == r.page) for r in starts)
    assert sum(r.header for r in t.rows) == 2 * 10
    assert all(c.page is not None and c.bbox is not None for c in t.cells)


def test_sample_cells(sample: RawDocument) -> None:
    t = sample.tables[0]
    assert cell(t, 0, 6).text == "权重"
    r = row_of(t, "1-10-1")
    assert cell(t, r, 8).text == "刘海祥 林鹏"
    r = row_of(t, "1-1-1")
    level1 = cell(t, r, 4)
    assert level1.rowspan == 2 and level1.text.startswith("实施国企发展赶超计划，如期完成")
    assert level1.text.endswith("附件2第40项）4分")
    assert cell(t, r, 8).text == "刘海祥 汪亚彬 李维芳 林鹏 周俊杰"
    assert cell(t, r, 10).text == "李昀 陈瑞典 苏颖慧 黄华明 陈建新 陈天铃 苏大庆"
    assert cell(t, r, 3).text.endswith("（泉政办〔2022〕2号）；泉州市人民政府办公室关于印发2022年省政府工作"
                                       "涉及泉州市主要任务责任分工方案的通知（泉政办明传〔2022〕7号）")
    r = row_of(t, "1-17")
    assert (cell(t, r, 4).text, cell(t, r, 4).colspan) == ("全国文明城市创建工作", 2)
    r = row_of(t, "4-1")
    assert cell(t, r, 3).colspan == 3
    assert cell(t, r, 3).text.startswith("落实从严治党主体责任")
    assert cell(t, r, 3).page == 10 and cell(t, r, 3).bbox is not None


def test_sample_page_break_continuation_row(sample: RawDocument) -> None:
    t = sample.tables[0]
    first5 = next(r for r in t.rows if r.page == 5)
    assert first5.page_start
    assert first5.header and cell(t, first5.index, 0).text == "项目"  # the repeated header comes first
    body = first5.index + 2  # after the two repeated header rows
    assert cell(t, body, 2).text == "" and cell(t, body, 6).text == ""
    assert cell(t, body, 3).text.startswith("〔2022〕2号）；关于印发《泉州市“抓开放招商促项目落地”")


def test_sample_paragraphs(sample: RawDocument) -> None:
    paras = sample.paragraphs
    texts = [p.text for p in paras]
    assert "泉国资办〔2022〕196号" in texts
    before = sample.tables[0].paragraphs_before
    assert texts[before - 1] == "2022年7月27日" and paras[before - 1].page == 3
    assert texts[before:] == ["抄送：驻委纪检监察组，各所出资企业。", "泉州市国资委办公室", "2022年8月3日印发"]
    assert paras[before].page == 13


@pytest.mark.slow
def test_parallel_page_parsing_gives_the_same_layouts(monkeypatch) -> None:
    from kaoping.extract.pdf import page_to_layout
    from kaoping.extract.pdf_guard import parse_layouts
    from kaoping.schema.limits import Limits

    data = (SAMPLES / "notice_2022.pdf").read_bytes()
    monkeypatch.setenv("KAOPING_PDF_WORKERS", "1")
    alone = parse_layouts(data, Limits(), 1, page_to_layout)
    monkeypatch.setenv("KAOPING_PDF_WORKERS", "2")
    assert parse_layouts(data, Limits(), 2, page_to_layout) == alone and len(alone[0]) == 13


@pytest.mark.slow
def test_parser_warnings_on_damaged_streams_become_issues(tmp_path: Path) -> None:
    """Text the parser loses to a corrupted stream is not silent: its warning reaches notice.json's issues."""
    import re

    from kaoping.api import extract

    data = (SAMPLES / "notice_2022.pdf").read_bytes()
    start = list(re.finditer(rb"stream\r?\n", data))[30].end()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[: start + 200] + bytes(range(80)) + data[start + 280 :])
    warnings = [i for i in extract(damaged).issues if i.kind == "extract_warning"]
    assert warnings and all(i.severity == "warning" for i in warnings)
    assert any("Data-loss while decompressing corrupted data" in i.message for i in warnings)


@pytest.mark.slow
def test_parser_warnings_are_kept_even_when_the_cli_silenced_the_parser_log(tmp_path: Path, capsys) -> None:
    import json
    import re

    from kaoping.cli import main

    data = (SAMPLES / "notice_2022.pdf").read_bytes()
    start = list(re.finditer(rb"stream\r?\n", data))[30].end()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[: start + 200] + bytes(range(80)) + data[start + 280 :])
    assert main(["extract", str(damaged), "-o", str(tmp_path / "o"), "-q"]) == 0
    assert capsys.readouterr().err == ""  # nothing printed ...
    doc = json.loads((tmp_path / "o" / "notice.json").read_text(encoding="utf-8"))
    assert any("Data-loss" in i["message"] for i in doc["issues"] if i["kind"] == "extract_warning")  # ... but kept


# ---------------------------------------------------------------- the lean page reader equals pdfplumber's


def odd_pages_pdf() -> bytes:
    """Pages that take the rarer paths of pdfminer/pdfplumber geometry: a MediaBox not at the origin, a
    rotated page, a Form XObject holding text and rules, Bézier curves, and vertical (-V) CJK text."""
    pages = [
        ("[30 40 630 440]", "", "0.5 w 60 300 200 40 re S BT /F1 9 Tf 1 0 0 1 70 320 Tm (offset box) Tj ET"),
        ("[0 0 600 400]", "/Rotate 90", "0.5 w 50 50 m 250 50 l S BT /F2 12 Tf 1 0 0 1 60 60 Tm <8003 8BC4> Tj ET"),
        ("[0 0 600 400]", "", "q 1 0 0 1 20 30 cm /X1 Do Q 0.5 w 10 10 m 100 10 200 120 300 10 c S"),
        ("[0 0 600 400]", "", "BT /F3 11 Tf 1 0 0 1 300 350 Tm <8003 8BC4 8868> Tj ET 0.5 w 290 100 20 260 re S"),
    ]
    form = ("0.5 w 0 0 150 60 re S BT /F1 8 Tf 1 0 0 1 5 20 Tm (inside a form) Tj ET "
            "BT /F2 9 Tf 1 0 0 1 5 40 Tm <7EE9 6548> Tj ET")
    objs: list[bytes] = []

    def add(body: str | bytes) -> int:
        objs.append(body.encode() if isinstance(body, str) else body)
        return len(objs)

    f1, cid = add_base_fonts(add)
    f2 = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [{cid} 0 R] >>")
    f3 = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-V /DescendantFonts [{cid} 0 R] >>")
    fonts = f"/Font << /F1 {f1} 0 R /F2 {f2} 0 R /F3 {f3} 0 R >>"
    xobj = add(f"<< /Type /XObject /Subtype /Form /BBox [0 0 150 60] /Resources << {fonts} >> /Length {len(form)} >>"
               f"\nstream\n{form}\nendstream")
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for box, extra, ops in pages:
        c = add(f"<< /Length {len(ops)} >>\nstream\n{ops}\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox {box} {extra} "
                        f"/Resources << {fonts} /XObject << /X1 {xobj} 0 R >> >> /Contents {c} 0 R >>"))
    add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>")
    root = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    return objects_to_pdf(objs, root)


LEAN_CASES = {"sample": lambda: SAMPLE.read_bytes(), "made": two_page_notice, "odd pages": odd_pages_pdf,
              **{p.name: p.read_bytes for p in sorted((SAMPLES.parent / "tests" / "fixtures").glob("*.pdf"))}}


@pytest.mark.parametrize("name", sorted(LEAN_CASES))
def test_lean_page_reader_gives_pdfplumbers_glyphs_and_tables(name: str) -> None:
    """extract/pdf_objects.py re-does pdfminer's glyph boxes and pdfplumber's coordinate change: on every
    page of every fixture (and pages with an offset MediaBox, rotation, a Form XObject, curves and vertical
    text) its glyphs and table cells must equal pdfplumber's own, value for value and in the same order."""
    import pdfplumber
    from kaoping.extract.pdf_objects import page_to_objects

    data = LEAN_CASES[name]()
    glyphs, tables = [], 0
    with pdfplumber.open(io.BytesIO(data)) as ours, pdfplumber.open(io.BytesIO(data)) as theirs:
        for mine, ref in zip(ours.pages, theirs.pages, strict=True):
            chars, mine._objects, _ = page_to_objects(mine)
            assert chars == [(c["text"], float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]),
                              float(c["size"])) for c in ref.chars]
            assert [t.cells for t in mine.find_tables()] == [t.cells for t in ref.find_tables()]
            assert mine.edges == [{k: e[k] for k in mine.edges[i]} for i, e in enumerate(ref.edges)]
            glyphs.append(len(chars))
            tables += len(ref.find_tables())
    assert min(glyphs) > 0 and (tables > 0 or name == "odd pages")
    if name == "odd pages":  # offset box, rotated 考评, form text + 绩效, vertical 考评表
        assert glyphs == [10, 2, 15, 3]


def test_rules_a_page_break_left_out_are_put_back() -> None:
    """Chromium prints a row cut by the page edge without its top rule: the column rules just stop. Where
    three or more vertical rules end at one height and no horizontal rule spans them, the rule is put back;
    a fully ruled table gets nothing."""
    from kaoping.extract.pdf_objects import open_row_ends

    def v(x: float, top: float, bottom: float) -> dict:
        return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom, "height": bottom - top}

    def h(x0: float, x1: float, y: float) -> dict:
        return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "height": 0.0, "width": x1 - x0}

    cut = [v(x, 27.7, 544.5) for x in (34, 79, 125, 173)] + [h(34, 173, 544.5)]
    [line] = open_row_ends(cut)
    assert (line["top"], line["bottom"], line["x0"], line["x1"], line["object_type"]) == (27.7, 27.7, 34, 173, "line")
    assert open_row_ends([*cut, h(34, 173, 27.7)]) == []  # ruled at both ends: nothing to add
    assert open_row_ends([v(34, 10, 200), v(79, 10, 200), h(34, 79, 200)]) == []  # two rules are not a row of cells
    caps = [h(x, x + 0.75, 27.7) for x in (34, 79, 125, 173)]  # rules drawn as thin boxes have 0.75-pt caps
    assert [(e["top"], e["x0"], e["x1"]) for e in open_row_ends([*cut, *caps])] == [(27.7, 34, 173)]
    # a merged cell going on over the break: its neighbours are closed, its own rules and the outer ones are
    # open; the rule goes back across the whole row, so the merged cell is closed too
    row = [v(x, 256.5, 731.2) for x in (34, 79, 125, 173, 235, 288)] + [h(34, 288, 256.5), h(125, 173, 731.2)]
    assert [(e["top"], e["x0"], e["x1"]) for e in open_row_ends(row)] == [(731.2, 34, 288)]
    # the row above the break ended there (its own cells ruled) while the category column's merged cell goes
    # on: its two open rules are enough, else the column drops out of the page's table
    ended = [v(x, 42.7, 519.0) for x in (49, 99, 147, 195, 321)] + [h(147, 321, 519.0), h(49, 321, 42.7)]
    assert [(e["top"], e["x0"], e["x1"]) for e in open_row_ends(ended)] == [(519.0, 49, 321)]
    # a merged cell in the middle goes on (平和县's 债务监管 group cell): every rule end is met by a neighbour's
    # border, only its own stretch of the edge is open; each cell's border drawn as its own piece
    middle = [v(x, 296.0, 552.0) for x in (78, 180, 285, 389)] + [h(78, 180, 552.0), h(285, 389, 552.0),
                                                                 h(78, 180, 296.0), h(180, 285, 296.0), h(285, 389, 296.0)]
    assert [(e["top"], e["x0"], e["x1"]) for e in open_row_ends(middle)] == [(552.0, 78, 389)]
    assert open_row_ends([*middle, h(180, 285, 552.0)]) == []  # its piece drawn: ruled
    # a two-level header (LibreOffice's portrait print): sub-column rules start under the spanning labels'
    # rule, while 权重/完成时限 (two rows tall) run on through that height — beside them is no cell edge
    header = ([v(x, 87.6, 769.1) for x in (182.7, 226.5, 270.3, 445.5, 489.3)]
              + [v(x, 72.5, 769.1) for x in (51.3, 138.9, 314.1, 357.9, 401.7, 533.1)]
              + [h(51.0, 533.4, 72.5), h(138.7, 314.4, 87.6), h(401.4, 532.9, 87.6), h(51.5, 533.4, 769.1)])
    assert open_row_ends(header) == []
    # half a cell's edge drawn twice is still half: open
    twice = [v(x, 50.0, 300.0) for x in (0, 100, 200, 300)] + [h(0, 100, 300.0), h(200, 300, 300.0),
                                                                h(100, 150, 300.0), h(100, 150, 300.0), h(0, 300, 50.0)]
    assert [(e["top"], e["x0"], e["x1"]) for e in open_row_ends(twice)] == [(300.0, 0, 300)]


def test_a_frame_around_the_table_gives_its_own_text_to_the_page() -> None:
    """A web page's layout table printed with its frame: the frame's box holds the whole grid. Each slot
    belongs to the smallest box over it, so glyphs inside the inner cells go to those cells; the frame's own
    glyphs (the notice's text around the 考评表) are the page's lines, before the table (whose top is its
    cells' top), not a cell every record would inherit."""
    from kaoping.extract.pdf import PageLayout, TextLine, layout_to_items

    frame = (0.0, 0.0, 300.0, 300.0)
    inner = [(100.0, 100.0, 200.0, 150.0), (200.0, 100.0, 300.0, 150.0), (100.0, 150.0, 200.0, 300.0),
             (200.0, 150.0, 300.0, 300.0)]

    def glyphs(x: float, y: float, text: str) -> list[tuple]:
        return [(ch, x + 9 * i, x + 9 * (i + 1), y, y + 9, 9.0) for i, ch in enumerate(text)]

    chars = glyphs(20, 40, "附件：考评表") + glyphs(110, 120, "序号") + glyphs(210, 200, "1-1")
    items = layout_to_items(PageLayout(number=1, height=400.0, chars=chars, tables=[[frame, *inner]]))
    assert [type(it).__name__ for _, it in items] == ["TextLine", "Fragment"]
    line, frag = items[0][1], items[1][1]
    assert isinstance(line, TextLine) and line.text == "附件：考评表" and frag.top == 100.0
    assert sorted(c.text for c in frag.cells) == ["", "", "", "1-1", "序号"]  # the frame: empty


def test_glyphs_the_page_does_not_show_are_not_read() -> None:
    """Text drawn outside the clipping rectangle in force (a spreadsheet's merged cell drawn again on the next
    page, clipped away) or off the page is invisible and not read; ``Q`` restores the clip before it."""
    p = Page()
    p.text(50, 40, "Title shown")
    p.ops.append("q 40 300 300 50 re W n")  # a clip 50–100 points below the page top
    p.text(50, 80, "inside the clip")
    p.ops.append("q 40 300 100 50 re W n")  # nested: narrower, the clips intersect
    p.text(200, 90, "right of the inner clip")
    p.ops.append("Q")
    p.text(50, 200, "below the clip")
    p.ops.append("Q")
    p.text(50, 430, "below the page")
    p.text(50, 150, "after the restore")
    doc = read(build_pdf([p]))
    assert [para.text for para in doc.paragraphs] == ["Title shown", "inside the clip", "after the restore"]
    hidden = [w for w in doc.warnings if "not read" in w]  # said, with the count and the page: 19 + 12 + 12 glyphs
    assert len(hidden) == 1 and hidden[0].startswith("43 glyphs drawn outside") and hidden[0].endswith("1 (43)")


def test_a_line_a_page_break_halves_is_read_once() -> None:
    """A spreadsheet draws a merged cell's text on both pages of a break, clipped to each page's part; a line
    whose middle falls on the break is half on each (the two parts' edges disagree by Calc's rounding, 0.06 pt).
    It is read once: on the page above, where it sits on its clip's lower edge."""
    size, base = 9.0, 200.0  # Page.text baselines: the glyph's centre is ~0.3 size above its baseline
    centre = base - 0.38 * size  # STSong-Light: descent 0.12, so the box's middle is 0.38 size above the baseline
    upper, lower = Page(), Page()
    upper.ops.append(f"q 40 {upper.height - centre - 0.03:.2f} 300 100 re W n")  # the clip ends at the centre
    upper.text(50, 150, "上一行")
    upper.text(50, base, "刘海祥汪")
    upper.ops.append("Q")
    lower.ops.append(f"q 40 {lower.height - centre - 100 + 0.03:.2f} 300 100 re W n")  # the next part starts there
    lower.text(50, base, "刘海祥汪")
    lower.text(50, base + 12, "亚彬")
    lower.ops.append("Q")
    doc = read(build_pdf([upper, lower]))
    assert [(p.page, p.text) for p in doc.paragraphs] == [(1, "上一行"), (1, "刘海祥汪"), (2, "亚彬")]


def test_a_list_wrapped_where_its_next_glyph_would_not_fit_may_be_a_name_cut() -> None:
    """A spreadsheet wraps a list of names anywhere (林鹏 周 / 俊杰): with no room for the next line's first glyph
    the break may be inside a name (left to the column's whole names to settle); with room for it, the break
    fell at a space."""
    from kaoping.extract.pdf_text import SOFT, join_wrapped_lines

    def glyphs(text: str, top: float) -> list[tuple]:
        out, x = [], 0.0
        for ch in text:
            w = 1.9 if ch == " " else 7.6
            out.append((ch, x, x + w, top, top + 7.6, 7.6))
            x += w
        return out

    lines = [glyphs("林鹏 周", 0.0), glyphs("俊杰", 9.0)]
    assert join_wrapped_lines(lines, (0.0, 0.0, 31.7, 20.0)) == f"林鹏 周{SOFT}俊杰"  # 7.0 points left: no 俊
    assert join_wrapped_lines(lines, (0.0, 0.0, 40.0, 20.0)) == "林鹏 周 俊杰"  # 俊 would have fitted
