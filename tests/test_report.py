"""report.html: structure checked with html.parser (self-contained, escaped, anchors resolve)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from kaoping.normalize.checks import indicators_to_check_issues
from kaoping.normalize.people import indicators_to_people
from kaoping.schema.models import Indicator, Notice, NoticeDocument, Source, TotalRow
from support import EXPECTED

from kaoping.writers.report import document_to_html


class Page(HTMLParser):
    """Collects tags, ids, hrefs, text per element id, and checks that tags nest."""

    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.stack: list[tuple[str, str | None]] = []
        self.text_by_id: dict[str, str] = {}
        self.text = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if "href" in found:
            self.hrefs.append(found["href"] or "")
        if "src" in found:
            self.srcs.append(found["src"] or "")
        if tag not in self.VOID:
            self.stack.append((tag, found.get("id")))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        for _, element_id in self.stack:
            if element_id:
                self.text_by_id[element_id] = self.text_by_id.get(element_id, "") + data


def sample_document(change_weight: bool = False) -> NoticeDocument:
    records = json.loads(EXPECTED.read_text(encoding="utf-8"))
    indicators = [Indicator(seq=n, source=Source(format="text", file="x", lines=[200 + n]), **r)
                  for n, r in enumerate(records, start=1)]
    if change_weight:
        indicators[2] = indicators[2].model_copy(update={"weight": 3.0})
    totals = [TotalRow(label="合计", value=75, category="职能工作目标", line=190),
              TotalRow(label="合计", value=25, category="行政能力目标", line=191),
              TotalRow(label="绩效目标考评得分", value=100, line=192)]
    people, people_issues = indicators_to_people(indicators)
    notice = Notice(doc_number="泉国资办〔2022〕196号", title="关于印发<script>alert(1)</script>的通知",
                    source_file="notice_2022.txt", source_format="text", sha256="0" * 64, year=2022)
    return NoticeDocument(notice=notice, indicators=indicators, totals=totals, people=people,
                          issues=indicators_to_check_issues(indicators, totals) + people_issues)


def test_report_is_self_contained_well_formed_and_escaped() -> None:
    text = document_to_html(sample_document())
    page = Page(text)
    assert text.startswith("<!DOCTYPE html>")
    assert page.stack == []
    assert page.tags.count("style") == 1
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert page.srcs == []
    assert "<script>alert(1)</script>" in page.text  # shown as text, not markup
    assert len(page.ids) == len(set(page.ids))
    assert page.hrefs and all(h.startswith("#") for h in page.hrefs)
    assert {h[1:] for h in page.hrefs} <= set(page.ids)


def test_report_sections_and_header_facts() -> None:
    page = Page(document_to_html(sample_document()))
    for section in ("hierarchy", "findings", "roster", "errors", "warnings", "infos"):
        assert section in page.ids
    assert "泉国资办〔2022〕196号" in page.text
    assert "61 indicators" in page.text
    assert page.text_by_id["errors"] == "Errors (0)"
    assert page.text_by_id["warnings"] == "Warnings (4)"
    assert page.text_by_id["infos"] == "Info (2)"


def test_report_hierarchy_checks_every_level() -> None:
    page = Page(document_to_html(sample_document()))
    assert page.ids.count("ind-1") == 1 and "ind-61" in page.ids
    assert page.text_by_id["l1-3"].startswith("1-2推进龙头企业培优扶强工程")
    assert page.text_by_id["l1-3"].endswith("4✓ 4")
    assert page.text_by_id["cat-1"] == "职能工作目标75✓ 75"
    assert page.text_by_id["total-2"] == "绩效目标考评得分100✓ 100"
    assert "✗" not in page.text_by_id["hierarchy"]


def test_report_shows_the_mismatch_and_links_the_findings_to_their_rows() -> None:
    text = document_to_html(sample_document(change_weight=True))
    page = Page(text)
    assert page.text_by_id["errors"] == "Errors (4)"
    assert page.text_by_id["l1-3"].endswith("4✗ items sum to 5, 4 printed")
    assert page.text_by_id["total-0"] == "合计75✗ items sum to 76, 75 printed"
    assert page.text_by_id["total-2"] == "绩效目标考评得分100✗ items sum to 101, 100 printed"
    assert '<a href="#l1-3">1-2</a>' in text
    assert '<a href="#cat-1">category</a>' in text
    assert '<a href="#total-0">total row</a>' in text
    assert '<a href="#ind-53">7-1</a>' in text  # the order warning


def test_report_roster_lists_departments_and_variants() -> None:
    page = Page(document_to_html(sample_document()))
    roster = page.text_by_id["roster"]
    assert "发改科李昀" in roster
    assert "李昀owner发改科李昫、李响" in roster
