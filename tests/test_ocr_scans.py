"""Scans of the sample notice read by OCR (slow: each scan is OCR'd once per session and asserted on many
ways). The scans are made at test time by tests/fixtures/make_scans.py: 200 dpi, tilted 0.3–1.5°, noise,
blur, JPEG; as an image-only PDF, a multi-page TIFF, one PNG table page, and a PNG of plain prose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from kaoping.normalize.pipeline import raw_to_document
from support import EXPECTED, ROOT, norm
from support.browser import CHROMIUM, NO_CHROMIUM, print_page

from kaoping.cli import main

pytest.importorskip("rapidocr_onnxruntime")
pytestmark = pytest.mark.slow

FIELDS = ["code", "category", "category_points", "group", "group_points", "level1_code", "level1", "level1_points",
          "level1_note", "item", "weight", "deadline", "deadline_date", "leaders", "departments", "owners", "basis",
          "basis_refs", "level1_cites"]  # the shared scorer's fields
PEOPLE = ("leaders", "departments", "owners")
FLAGS = {"ocr_low_confidence", "ocr_name_unverified", "ocr_name_corrected"}


@pytest.fixture(scope="session")
def scans(tmp_path_factory) -> dict[str, Path]:
    from fixtures.make_scans import build

    return {p.name: p for p in build(tmp_path_factory.mktemp("scans"))}


def read(path: Path):
    from kaoping.extract import extract_document

    raw = extract_document(path)
    return raw, raw_to_document(raw)


@pytest.fixture(scope="session")
def pdf_scan(scans):
    return read(scans["notice_scan.pdf"])


def records(doc) -> list[dict]:
    return [i.model_dump(mode="json", exclude={"source"}) for i in doc.indicators]


def matched(expected: list[dict], doc) -> list[tuple[dict, dict | None]]:
    """Each expected record with its counterpart, found as the shared scorer finds it: by code, else by the
    first 14 characters of the item (an OCR'd code can be misread)."""
    got = records(doc)
    by_code = {norm(g["code"]): g for g in got if g["code"]}
    by_item = {(norm(g["item"]) or "")[:14]: g for g in got}
    return [(e, by_code.get(norm(e["code"])) or by_item.get((norm(e["item"]) or "")[:14])) for e in expected]


def test_scan_pdf_meets_the_golden_records(pdf_scan) -> None:
    _, doc = pdf_scan
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    pairs = matched(expected, doc)
    assert len(doc.indicators) == len(expected) == 61 and all(g is not None for _, g in pairs)
    right = sum(norm(e.get(f)) == norm(g.get(f)) for e, g in pairs if g for f in FIELDS)
    assert right / (len(expected) * len(FIELDS)) >= 0.98


def test_every_wrong_name_or_department_is_flagged(pdf_scan) -> None:
    _, doc = pdf_scan
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    flagged = {(i.code, i.kind) for i in doc.issues}
    wrong = [(g["code"], f) for e, g in matched(expected, doc) if g for f in PEOPLE if norm(e[f]) != norm(g[f])]
    assert wrong, "the scan has misread names (李昫 → 李响): this test must see them"
    assert [(code, f) for code, f in wrong if not any((code, k) in flagged for k in FLAGS)] == []


def test_scan_carries_confidence_and_pixel_provenance(pdf_scan) -> None:
    raw, doc = pdf_scan
    assert raw.source.ocr and raw.source.pages == 13 and raw.source.format == "pdf"
    cells = [c for t in raw.tables for c in t.cells if c.text]
    assert all(c.confidence is not None and 0 < c.confidence <= 1 for c in cells)
    assert all(c.page and c.bbox and c.bbox[2] <= 2339 + 1 and c.bbox[3] <= 1654 + 1 for c in cells)  # 200 dpi A4
    assert any(c.bbox[2] > 842 for c in cells)  # pixels, not points
    assert doc.notice.doc_number == "泉国资办〔2022〕196号" and doc.notice.year == 2022
    low = [i for i in doc.issues if i.kind == "ocr_low_confidence"]
    assert low and all(i.page and i.cells for i in low)


def test_tiff_gives_the_same_records_as_the_pdf(scans, pdf_scan) -> None:
    """Two table pages as a multi-page TIFF and as an image-only PDF: the same records, which are the
    thirteen-page scan's records that start on those pages."""
    from fixtures.make_scans import TABLE_PAGE

    tif, pdf = read(scans["notice_scan_pages.tif"]), read(scans["notice_scan_pages.pdf"])
    assert tif[0].source.format == "image" and tif[0].source.pages == pdf[0].source.pages == 2
    assert records(tif[1]) == records(pdf[1])
    starting = [i.code for i in pdf_scan[1].indicators if i.source.pages[0] in (TABLE_PAGE, TABLE_PAGE + 1)]
    assert len(starting) >= 4 and set(starting) <= {i.code for i in tif[1].indicators}


@pytest.fixture(scope="session")
def png_page(scans):
    return read(scans["notice_scan_page.png"])


def test_single_png_page_gives_that_pages_records(png_page, pdf_scan) -> None:
    from fixtures.make_scans import TABLE_PAGE

    raw, doc = png_page
    assert raw.source.pages == 1
    whole = {i.code: i for i in pdf_scan[1].indicators}
    on_page = [i for i in pdf_scan[1].indicators if i.source.pages[0] == TABLE_PAGE]  # rows that start there
    assert on_page and [i.code for i in doc.indicators if i.source.rows[0] > 0][-len(on_page):] == [
        i.code for i in on_page]
    for ind in on_page[:-1]:  # the last row runs on to the next page: only its start is on this one
        got = next(i for i in doc.indicators if i.code == ind.code)
        for f in ("item", "weight", "deadline", "leaders", "departments"):
            assert norm(getattr(got, f)) == norm(getattr(whole[ind.code], f)), (ind.code, f)


def test_a_scan_of_prose_is_a_clean_exit_3(scans, tmp_path, capsys) -> None:
    assert main(["extract", str(scans["prose_scan.png"]), "-o", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kaoping: error: ") and "no 考评表" in err[0]


@pytest.mark.parametrize(("name", "degrees"), [("notice_scan_page_cw.png", 90), ("notice_scan_page_180.png", 180)])
def test_a_page_scanned_turned_is_read_upright(scans, png_page, name: str, degrees: int) -> None:
    """The table page turned a quarter clockwise (landscape fed in portrait) and upside down: read upright,
    the same records as the upright scan, a warning that says so, boxes in the pixels of the file."""
    raw, doc = read(scans[name])
    assert records(doc) == records(png_page[1]) and len(records(doc)) == 4  # the rows that start on the page
    assert raw.warnings == [f"page 1: scanned turned {degrees}° clockwise; read after turning it upright "
                            "(boxes are given in the pixels as scanned)"]
    from PIL import Image

    with Image.open(scans["notice_scan_page.png"]) as img:
        width, height = img.size  # of the upright page
    for up, got in zip(png_page[0].tables[0].cells, raw.tables[0].cells, strict=True):
        x0, y0, x1, y1 = up.bbox
        want = (height - y1, x0, height - y0, x1) if degrees == 90 else (width - x1, height - y1, width - x0, height - y0)
        assert (got.row, got.col, got.text) == (up.row, up.col, up.text)
        assert got.bbox == pytest.approx(want, abs=1.5)


def scanned(printed: Path, dest: Path, dpi: int) -> Path:
    """``printed`` rasterised at ``dpi`` and degraded as make_scans degrades a page (tilt, noise, blur, JPEG)."""
    import io

    import pypdfium2 as pdfium
    from fixtures.make_scans import degrade
    from PIL import Image

    source = pdfium.PdfDocument(str(printed))
    jpegs = [degrade(source[i].render(scale=dpi / 72).to_pil().convert("L"), (0.6, -1.1, 0.3)[i % 3], seed=i)
             for i in range(len(source))]
    source.close()
    images = [Image.open(io.BytesIO(j)) for j in jpegs]
    images[0].save(dest, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return dest


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_a_150_dpi_scan_of_a_browser_print_keeps_its_rows(tmp_path) -> None:
    """Another office's plain ruled web page printed by Chromium on A4 portrait (1-px rules, narrow columns),
    scanned at 150 dpi (the low end of office scanners) the way make_scans degrades a page. Glyph strokes as
    long as the rule kernel made grid lines that cut rows in two: 16 records for 30 and 0.5684 of the fields
    before; now every record, its code, weight and deadline, and >= 560 of the 570 fields in order."""
    from fixtures.make_web import borderless_page

    from kaoping.api import extract

    shape = ROOT / "tests" / "fixtures" / "shapes" / "office7"
    page = tmp_path / "office7.html"
    page.write_text(borderless_page(shape.with_suffix(".docx"), rule="1px solid #000"), encoding="utf-8")
    printed = tmp_path / "printed.pdf"
    print_page(page, printed, landscape=False)
    got = [i.model_dump(mode="json") for i in extract(scanned(printed, tmp_path / "scan.pdf", 150)).indicators]
    expected = json.loads(shape.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert [(g["code"], g["weight"], g["deadline"]) for g in got] == [
        (e["code"], e["weight"], e["deadline"]) for e in expected]
    same = sum(norm(g[k]) == norm(e[k]) for g, e in zip(got, expected, strict=True) for k in e if k != "source")
    assert same >= 560


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_scan_of_a_table_printed_without_rules_reads_like_the_print(tmp_path) -> None:
    """Another office's notice printed by LibreOffice with every table border removed, scanned at 200 dpi
    (tilted 0.6°/-1.1°/0.3°, noise, JPEG): the borderless reader on the OCR'd glyphs. It read 0 of 30 records
    before (the tilt of a page without rules was doubled, short lines' sizes ended the table as prose); now
    every record with its code, weight and deadline, and all but a few of the 570 fields."""
    from fixtures.make_pdf import borderless_shape

    from kaoping.api import extract

    printed = borderless_shape(tmp_path, "office7_no_rules")
    got = [i.model_dump(mode="json") for i in extract(scanned(printed, tmp_path / "scan.pdf", 200)).indicators]
    expected = json.loads(printed.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert [(g["code"], g["weight"], g["deadline"]) for g in got] == [
        (e["code"], e["weight"], e["deadline"]) for e in expected]
    same = sum(norm(g[k]) == norm(e[k]) for g, e in zip(got, expected, strict=True) for k in e if k != "source")
    assert same >= 565  # 570 of 570 measured on 2026-12-01


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_lone_weights_of_a_scan_without_rules_are_read(tmp_path) -> None:
    """The sample printed without rules (serif 9 pt, landscape), scanned at 200 dpi. The text detector boxes no
    lone 1 or 2 standing in the weight column, and without rules there is no empty cell to re-read: 13 of the
    61 weights were missing (1-1-1, 1-4-1, 4-2 …). The ink no read glyph covers is now read blob by blob
    (extract/ocr_unread.py): every weight."""
    from fixtures.make_pdf import borderless_shape

    from kaoping.api import extract

    printed = borderless_shape(tmp_path, "notice_2022_serif9_no_rules")
    got = extract(scanned(printed, tmp_path / "scan.pdf", 200)).indicators
    expected = json.loads(printed.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert len(got) == len(expected) == 61
    assert [i.weight for i in got] == [e["weight"] for e in expected]
