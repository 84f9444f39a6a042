"""report.html: structure checked with html.parser (self-contained, Chinese, findings first, every affected row
marked, anchors resolve)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from kaoping.normalize.checks import indicators_to_check_issues
from kaoping.normalize.people import indicators_to_people
from kaoping.normalize.targets import indicators_to_targets
from kaoping.schema.models import Indicator, Notice, NoticeDocument, Reference, Source, TotalRow
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
        self.classes_by_id: dict[str, str] = {}
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
            self.classes_by_id[found["id"] or ""] = found.get("class") or ""
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


def sample_document(change_weight: bool = False, pdf: bool = False) -> NoticeDocument:
    records = json.loads(EXPECTED.read_text(encoding="utf-8"))
    fmt = "pdf" if pdf else "text"
    indicators = [Indicator(seq=n, source=Source(format=fmt, file="x", lines=[] if pdf else [200 + n],
                                                 pages=[n // 5 + 1, (n + 1) // 5 + 1] if pdf else [],
                                                 rows=[n] if pdf else [],
                                                 inherited=["departments"] if n == 4 else []), **r)
                  for n, r in enumerate(records, start=1)]
    if change_weight:
        indicators[2] = indicators[2].model_copy(update={"weight": 3.0})
    indicators = indicators_to_targets(indicators)
    totals = [TotalRow(label="合计", value=75, category="职能工作目标", line=190),
              TotalRow(label="合计", value=25, category="行政能力目标", line=191),
              TotalRow(label="绩效目标考评得分", value=100, line=192)]
    people, people_issues = indicators_to_people(indicators)
    notice = Notice(doc_number="泉国资办〔2022〕196号", title="关于印发<script>alert(1)</script>的通知",
                    source_file="notice_2022.txt", source_format=fmt, sha256="0" * 64, year=2022)
    refs = [Reference(id="泉政办〔2022〕2号", doc_number="泉政办〔2022〕2号", issuer_status="confirmed")]
    return NoticeDocument(notice=notice, indicators=indicators, totals=totals, people=people, references=refs,
                          issues=indicators_to_check_issues(indicators, totals) + people_issues)


def test_report_is_self_contained_well_formed_chinese_and_escaped() -> None:
    text = document_to_html(sample_document())
    page = Page(text)
    assert text.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert page.stack == []
    assert page.tags.count("style") == 1 and page.tags.count("script") == 1  # the filter, inline
    assert "link" not in page.tags and "img" not in page.tags and page.srcs == []
    assert "http://" not in text and "https://" not in text
    assert "<script>alert(1)</script>" in page.text  # shown as text, not markup
    assert len(page.ids) == len(set(page.ids))
    assert page.hrefs and all(h.startswith("#") for h in page.hrefs)
    assert {h[1:] for h in page.hrefs} <= set(page.ids)
    for heading in ("问题（6）", "各责任部门权重", "指标（61）", "引用文件（1）", "人员（"):
        assert heading in page.text


def test_findings_come_first_with_counts_and_an_explanation_of_each_kind() -> None:
    text = document_to_html(sample_document())
    page = Page(text)
    assert text.index('id="findings"') < text.index('id="chart"') < text.index('id="hierarchy"')
    assert "错误 0" in page.text and "警告 4" in page.text and "提示 2" in page.text
    kinds = page.text_by_id["kinds"]
    assert "姓名疑似异写2姓名与常见写法只差一个字，未更正" in kinds
    assert "name_variant: a name differs by one character from the usual spelling; not corrected" in kinds
    assert "序号系推断" in kinds and "责任人顺序疑误" in kinds
    # the filter: one select per facet, every finding row carries what it is filtered on
    assert '<select name="sev">' in text and '<select name="kind">' in text and '<select name="dept">' in text
    assert text.count('<tr data-sev="warning" data-kind="name_variant"') == 2
    assert 'data-dept="发改科"' in text and 'class="sortable"' in text


def test_every_affected_row_is_marked_not_the_first_only() -> None:
    doc = sample_document()
    page = Page(document_to_html(doc))
    # 李昫 is named on 1-3-1, 1-3-2, 1-4-1 and 1-4-2: each of those rows has the badge and the warning colour
    for seq in (5, 6, 7, 8):
        assert "姓名疑似异写" in page.text_by_id[f"ind-{seq}"], seq
        assert page.classes_by_id[f"ind-{seq}"] == "flag-warning"
    assert page.classes_by_id.get("ind-1", "") == ""
    inferred = [i.seq for i in doc.indicators if i.code_inferred]
    assert len(inferred) == 2 and all("序号系推断" in page.text_by_id[f"ind-{s}"] for s in inferred)
    assert "姓名疑似异写" in page.text_by_id["ind-35"]  # 李响 on the uncoded row #35


def test_the_hierarchy_shows_the_pipelines_verdict_at_every_level() -> None:
    page = Page(document_to_html(sample_document()))
    assert page.text_by_id["l1-3"].startswith("1-2推进龙头企业培优扶强工程")
    assert page.text_by_id["l1-3"].endswith("4✓ Σ 4")
    assert page.text_by_id["cat-1"] == "职能工作目标75✓ Σ 75"
    assert page.text_by_id["total-2"] == "绩效目标考评得分100✓ Σ 100"
    assert "✗" not in page.text_by_id["hierarchy"]
    page = Page(document_to_html(sample_document(change_weight=True)))
    assert "错误 4" in page.text
    assert "✗ 一级指标分值不符" in page.text_by_id["l1-3"] and "5 but 4分 is printed" in page.text_by_id["l1-3"]
    assert page.classes_by_id["l1-3"] == "level1 flag-error"
    assert "✗ 类别分值不符" in page.text_by_id["cat-1"]
    assert "✗ 合计行不符" in page.text_by_id["total-0"] and "76 but 75 is printed" in page.text_by_id["total-0"]
    assert "✗ 总分不符" in page.text_by_id["total-2"]


def test_inherited_values_targets_basis_links_and_pages() -> None:
    text = document_to_html(sample_document(pdf=True))
    page = Page(text)
    assert '<span class="inh" title="继承自上方合并单元格">资本科、发改科</span>' in text  # row 4 inherited them
    assert "目标：对接洽谈项目 ≥3个签约落地投资额10亿元以上项目 ≥1个" in page.text_by_id["ind-5"]
    assert '<a href="#ref-0">泉政办〔2022〕2号</a>' in text
    assert page.text_by_id["ind-4"].endswith("1–2")  # a row broken across pages 1 and 2
    assert "<th>页码</th>" in text
    assert "<th>页码</th>" not in document_to_html(sample_document()).split('id="hierarchy"')[1]


def test_weight_per_department_chart() -> None:
    text = document_to_html(sample_document())
    chart = text.split('id="chart"')[1].split("</section>")[0]
    assert chart.count("<rect") == 8  # the sample's eight departments
    assert "机关支部：0.33（<1%）" in chart
    assert "资本科：24.75（25%）" in chart and "合计 100" in chart


def test_roster_lists_departments_and_variants() -> None:
    page = Page(document_to_html(sample_document()))
    people = page.text_by_id["people"]
    assert "发改科李昀" in people
    assert "李昀责任人发改科李昫、李响" in people
