"""The checked-in expected records (samples/notice_2022.expected.json) are the golden file.

Compared field by field with the same folding as the shared scorer (NFKC, whitespace removed,
numbers as numbers). Never regenerated: a mismatch is a failure to look at.
"""

from __future__ import annotations

import json

import pytest
from kaoping.schema.models import NoticeDocument
from support import EXPECTED, SAMPLES, field_misses, norm, sample_document

from kaoping.api import extract

FORMATS = ("txt", "docx", "pdf")


def _doc(fmt: str) -> NoticeDocument:
    return sample_document(fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_matches_golden_records(fmt: str) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    got = _doc(fmt).model_dump(mode="json")["indicators"]
    assert len(got) == len(expected) == 61
    assert field_misses(expected, got) == []


def test_three_formats_give_identical_indicators() -> None:
    def strip(doc: NoticeDocument) -> list[dict]:
        return [i.model_dump(mode="json", exclude={"source"}) for i in doc.indicators]

    assert strip(_doc("txt")) == strip(_doc("docx")) == strip(_doc("pdf"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_notice_metadata(fmt: str) -> None:
    n = _doc(fmt).notice
    assert n.doc_number == "泉国资办〔2022〕196号"
    assert n.title is not None and n.title.startswith("泉州市国资委关于印发2022年度")
    assert (n.year, n.date.isoformat() if n.date else None) == (2022, "2022-08-03")
    assert n.addressee == "本委各科室"
    assert n.attachment_title == "2022年度泉州市直机关政府系列和部分省部属驻泉单位绩效目标考评表"
    assert n.cc == ["驻委纪检监察组", "各所出资企业"]
    assert (n.printer, str(n.print_date)) == ("泉州市国资委办公室", "2022-08-03")
    assert [p.title for p in n.parts] == ["组织机构", "实施步骤", "工作要求"]
    assert [(s.number, s.title, str(s.date_end)) for s in n.steps][:2] == [
        ("一", "制定工作方案", "2022-07-10"), ("二", "推进公布实施", "2022-07-31")]
    assert [(r.role, r.name) for r in n.leadership][:2] == [("组长", "黄金顺"), ("副组长", "汪亚彬")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_rows_all_accounted_for(fmt: str) -> None:
    acc = _doc(fmt).accounting
    assert acc.indicators == 61 and acc.total_rows == 3 and acc.unparsed_rows == 0
    assert acc.rows_seen == (acc.indicators + acc.header_rows + acc.total_rows + acc.continuation_rows
                             + acc.blank_rows + acc.unparsed_rows)


def test_pdf_continuation_rows_are_merged() -> None:
    acc = _doc("pdf").accounting
    assert acc.continuation_rows == 7  # the 7 rows split by page breaks are rejoined, not lost
    by_code = {i.code: i for i in _doc("pdf").indicators}
    assert by_code["6-3"].leaders == ["刘海祥", "汪亚彬", "李维芳", "林鹏", "周俊杰"]
    assert by_code["6-3"].source.pages == [11, 12]


def test_notice_body_is_the_same_from_every_format() -> None:
    """PDF lines that wrap a paragraph are rejoined, so steps and roles match the text export."""
    txt = _doc("txt").notice
    for fmt in ("docx", "pdf"):
        other = _doc(fmt).notice
        assert other.steps == txt.steps
        assert other.leadership == txt.leadership
        assert [p.title for p in other.parts] == [p.title for p in txt.parts]
    assert len(txt.steps) == 7 and txt.leadership[2].position == "各科室负责人"


def test_clean_text_export_with_every_grid_cell_tabbed(tmp_path) -> None:
    """Another text layout: the Word grid exported with one tab per grid cell, spanned cells blank."""
    from kaoping.extract import extract_document

    raw = extract_document(SAMPLES / "notice_2022.docx")
    table = raw.tables[0]
    grid = [[""] * table.n_cols for _ in table.rows]
    for c in table.cells:
        grid[c.row][c.col] = c.text.replace("\n", "")
    paras = [p.text for p in raw.paragraphs]
    lines = [*paras[: table.paragraphs_before], *("\t".join(r) for r in grid), *paras[table.paragraphs_before:]]
    path = tmp_path / "clean.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    got = [i.model_dump(mode="json", exclude={"source"}) for i in extract(path).indicators]
    assert got == [i.model_dump(mode="json", exclude={"source"}) for i in _doc("txt").indicators]


@pytest.mark.slow
def test_portrait_pdf_with_narrow_columns_matches_golden() -> None:
    """The same 61 records typeset as an A4 portrait Word table with narrow columns (built by
    tests/test_variants.py's ``build_docx``) and printed to PDF by LibreOffice: codes, dates and
    names wrap inside cells, rows break across pages, names run together one per line."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    got = extract(SAMPLES.parent / "tests" / "fixtures" / "notice_2022_portrait.pdf").model_dump(mode="json")
    misses = [
        (e.get("code") or e["item"][:10], field, e[field], g.get(field))
        for e, g in zip(expected, got["indicators"], strict=True)
        for field in e
        if field != "code_inferred"  # this typesetting prints 1-15-2 and 1-16-2, which the original leaves blank
        and norm(e[field]) != norm(g.get(field))
    ]
    assert misses == []
