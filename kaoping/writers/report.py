"""``report.html``: one self-contained page an analyst can read (inline CSS, no scripts, no assets).

Header facts of the notice, the scoring hierarchy with its subtotals checked at every level,
the findings grouped by severity with links to the rows they concern, and the roster.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable

from kaoping.normalize.checks import (
    Subtotal,
    category_subtotals,
    format_points,
    group_subtotals,
    indicator_ref,
    level1_blocks,
    points_equal,
)
from kaoping.normalize.people import Roster
from kaoping.schema.models import Indicator, Issue, Notice, NoticeDocument, Person, TotalRow

log = logging.getLogger(__name__)

ANCHOR_LABELS = {"cat": "category", "grp": "group", "total": "total row", "l1": "一级指标"}
SEVERITIES = (("error", "Errors"), ("warning", "Warnings"), ("info", "Info"))

NOTICE_FACTS = (
    ("doc_number", "发文字号"),
    ("issuer_mark", "发文机关标志"),
    ("title", "标题"),
    ("addressee", "主送机关"),
    ("signer", "署名"),
    ("date", "成文日期"),
    ("attachment_title", "附件标题"),
    ("table_unit", "参评单位"),
    ("year", "年度"),
    ("printer", "印发机关"),
    ("print_date", "印发日期"),
    ("source_file", "source file"),
    ("source_format", "format"),
    ("pages", "pages"),
    ("sha256", "sha256"),
)

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;
font-size:14px;line-height:1.45}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;border-bottom:2px solid #ccc;padding-bottom:4px;margin-top:32px}
h3{font-size:15px;margin:18px 0 6px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}
dl.facts dt{color:#666}dl.facts dd{margin:0}
.summary span{display:inline-block;margin-right:12px;padding:2px 10px;border-radius:10px;background:#eee}
.summary .error{background:#fbd5d5}.summary .warning{background:#fdf0c4}.summary .info{background:#dbe8fb}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}
td.num{text-align:right;white-space:nowrap}
tr.category td{background:#e7eef8;font-weight:bold}
tr.group td{background:#f2f6fb;font-weight:bold}
tr.level1 td{background:#fafafa}
tr.total td{background:#eef5ea;font-weight:bold}
tr.flag-error td:first-child{border-left:4px solid #d33}
tr.flag-warning td:first-child{border-left:4px solid #e0a800}
tr.flag-info td:first-child{border-left:4px solid #5b8def}
tr:target td{outline:2px solid #5b8def}
.ok{color:#1a7f37;white-space:nowrap}.bad{color:#c62828;font-weight:bold}.none{color:#888}
.badge{display:inline-block;font-size:11px;padding:0 5px;border-radius:6px;margin:1px 2px 0 0}
.badge.error{background:#fbd5d5}.badge.warning{background:#fdf0c4}.badge.info{background:#dbe8fb}
td.item{max-width:520px}td.code,td.nowrap{white-space:nowrap}
.muted{color:#888}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _names(values: Iterable[str]) -> str:
    return _e("、".join(values))


def _check_cell(sub: Subtotal | None, printed: float | None = None, weight_sum: float | None = None) -> str:
    """✓, or the mismatch, for a subtotal (or for an explicit printed/sum pair)."""
    if sub is not None:
        printed, weight_sum = sub.printed, (sub.weight_sum if sub.complete else None)
    if weight_sum is None:
        return '<span class="none">weights missing</span>'
    if printed is None:
        return f'<span class="none">Σ {_e(format_points(weight_sum))}</span>'
    if points_equal(weight_sum, printed):
        return f'<span class="ok">✓ {_e(format_points(weight_sum))}</span>'
    return (f'<span class="bad">✗ items sum to {_e(format_points(weight_sum))}, '
            f'{_e(format_points(printed))} printed</span>')


def _points(value: float | None) -> str:
    return "" if value is None else _e(format_points(value))


class _Anchors:
    """Where each finding links to: an indicator row, a level-1 row or a total row."""

    def __init__(self, indicators: list[Indicator], blocks: list[Subtotal], totals: list[TotalRow]) -> None:
        self.by_code: dict[str, str] = {}
        self.by_line: dict[int, str] = {}
        for ind in indicators:
            anchor = f"ind-{ind.seq}"
            self.by_code.setdefault(indicator_ref(ind), anchor)
            self.by_code.setdefault(f"#{ind.seq}", anchor)
            if ind.source.lines:
                self.by_line.setdefault(ind.source.lines[0], anchor)
        for block in blocks:
            first = block.items[0]
            if first.level1_code:
                self.by_code.setdefault(first.level1_code, f"l1-{first.seq}")
        firsts: dict[tuple[str | None, str | None], Indicator] = {}
        for ind in indicators:
            firsts.setdefault((ind.category, None), ind)
            if ind.group:
                firsts.setdefault((ind.category, ind.group), ind)
        for (_, group), ind in sorted(firsts.items(), key=lambda kv: kv[0][1] is None):
            if ind.source.lines:  # code-less findings at a level's first row concern the level
                self.by_line[ind.source.lines[0]] = f"{'grp' if group else 'cat'}-{ind.seq}"
        for k, row in enumerate(totals):
            if row.line is not None:
                self.by_line.setdefault(row.line, f"total-{k}")

    def of(self, issue: Issue) -> str | None:
        if issue.code and issue.code in self.by_code:
            return self.by_code[issue.code]
        if issue.line is not None:
            return self.by_line.get(issue.line)
        return None


def _header(notice: Notice, doc: NoticeDocument) -> str:
    facts = []
    for attr, label in NOTICE_FACTS:
        value = getattr(notice, attr)
        if value not in (None, "", []):
            facts.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    counts = {sev: sum(1 for i in doc.issues if i.severity == sev) for sev, _ in SEVERITIES}
    summary = "".join(
        f'<span class="{sev}"><a href="#{sev}s">{_e(title)}: {counts[sev]}</a></span>' for sev, title in SEVERITIES
    )
    title = notice.attachment_title or notice.title or notice.source_file
    return (f"<header><h1>{_e(title)}</h1><dl class=\"facts\">{''.join(facts)}</dl>"
            f'<p class="summary"><span>{len(doc.indicators)} indicators</span>{summary}'
            f'<span><a href="#roster">roster: {len(doc.people)} people</a></span></p></header>')


def _issue_badges(issues: list[Issue]) -> str:
    return "".join(f'<span class="badge {_e(i.severity)}" title="{_e(i.message)}">{_e(i.kind)}</span>'
                   for i in issues)


def _item_row(ind: Indicator, issues: list[Issue]) -> str:
    worst = next((sev for sev, _ in SEVERITIES if any(i.severity == sev for i in issues)), None)
    cls = f' class="flag-{worst}"' if worst else ""
    return (f'<tr id="ind-{ind.seq}"{cls}><td class="code">{_e(indicator_ref(ind))}</td>'
            f'<td class="item">{_e(ind.item)}{_issue_badges(issues)}</td><td class="num"></td>'
            f'<td class="num">{_points(ind.weight)}</td><td class="nowrap">{_e(ind.deadline)}</td>'
            f"<td>{_names(ind.leaders)}</td><td>{_names(ind.departments)}</td><td>{_names(ind.owners)}</td></tr>")


def _level_row(cls: str, anchor: str, code: str, label: str, points: float | None, check: str) -> str:
    anchor_attr = f' id="{_e(anchor)}"' if anchor else ""
    return (f'<tr class="{cls}"{anchor_attr}><td class="code">{_e(code)}</td><td class="item">{_e(label)}</td>'
            f'<td class="num">{_points(points)}</td><td colspan="5">{check}</td></tr>')


def _total_row(k: int, row: TotalRow, weight_sum: float | None) -> str:
    check = _check_cell(None, row.value, weight_sum)
    return (f'<tr class="total" id="total-{k}"><td></td><td>{_e(row.label)}</td>'
            f'<td class="num">{_points(row.value)}</td><td colspan="5">{check}</td></tr>')


def _hierarchy(doc: NoticeDocument, blocks: list[Subtotal]) -> str:
    indicators, totals = doc.indicators, doc.totals
    issues_by_code: dict[str, list[Issue]] = {}
    for issue in doc.issues:
        if issue.code:
            issues_by_code.setdefault(issue.code, []).append(issue)
    categories = {c.items[0].category: c for c in category_subtotals(indicators, totals) if c.items}
    groups = {(g.items[0].category, g.label): g for g in group_subtotals(indicators)}
    block_of = {id(ind): b for b in blocks for ind in b.items}
    total_index = {id(row): k for k, row in enumerate(totals)}
    rows: list[str] = []
    current_cat: object = object()
    current_group: object = object()
    current_block: Subtotal | None = None
    for n, ind in enumerate(indicators):
        if ind.category != current_cat:
            current_cat, current_group = ind.category, object()
            cat = categories[ind.category]
            rows.append(_level_row("category", f"cat-{ind.seq}", "", ind.category or "(no category)",
                                   cat.printed, _check_cell(cat)))
        if ind.group != current_group:
            current_group = ind.group
            if ind.group:
                group = groups[(ind.category, ind.group)]
                rows.append(_level_row("group", f"grp-{ind.seq}", "", ind.group, group.printed,
                                       _check_cell(group)))
        block = block_of.get(id(ind))
        if block is not None and block is not current_block:
            first = block.items[0]
            rows.append(_level_row("level1", f"l1-{first.seq}", first.level1_code or "",
                                   first.level1 or "", block.printed, _check_cell(block)))
        current_block = block
        rows.append(_item_row(ind, issues_by_code.get(indicator_ref(ind), [])))
        last_of_cat = n + 1 == len(indicators) or indicators[n + 1].category != ind.category
        if last_of_cat and categories[ind.category].total is not None:
            cat = categories[ind.category]
            row = cat.total
            assert row is not None
            rows.append(_total_row(total_index[id(row)], row, cat.weight_sum if cat.complete else None))
    complete = all(i.weight is not None for i in indicators)
    grand = sum(i.weight for i in indicators if i.weight is not None) if complete else None
    for k, row in enumerate(totals):
        if row.level != "category" or row.category is None:
            rows.append(_total_row(k, row, grand))
    head = ("<tr><th>序号</th><th>指标</th><th>分值</th><th>权重</th><th>完成时限</th>"
            "<th>分管领导</th><th>责任部门</th><th>责任人</th></tr>")
    return f'<section id="hierarchy"><h2>Hierarchy</h2><table>{head}{"".join(rows)}</table></section>'


def _findings(issues: list[Issue], anchors: _Anchors) -> str:
    parts = ['<section id="findings"><h2>Findings</h2>']
    for sev, title in SEVERITIES:
        found = [i for i in issues if i.severity == sev]
        parts.append(f'<h3 id="{sev}s">{_e(title)} ({len(found)})</h3>')
        if not found:
            parts.append('<p class="muted">none</p>')
            continue
        parts.append("<table><tr><th>where</th><th>kind</th><th>page</th><th>line</th><th>message</th></tr>")
        for issue in found:
            anchor = anchors.of(issue)
            label = _e(issue.code or ANCHOR_LABELS.get((anchor or "").split("-")[0], "row"))
            where = f'<a href="#{_e(anchor)}">{label}</a>' if anchor else label
            parts.append(f"<tr><td>{where}</td><td>{_e(issue.kind)}</td><td class=\"num\">{_e(issue.page)}</td>"
                         f'<td class="num">{_e(issue.line)}</td><td>{_e(issue.message)}</td></tr>')
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def _roster(indicators: list[Indicator], people: list[Person], anchors: _Anchors) -> str:
    roster = Roster(indicators)
    parts = ['<section id="roster"><h2>Roster</h2><h3>Departments</h3>',
             "<table><tr><th>责任部门</th><th>责任人 (one department paired with one owner)</th></tr>"]
    for dept, owners in roster.owners.items():
        parts.append(f"<tr><td>{_e(dept)}</td><td>{_names(owners)}</td></tr>")
    parts.append("</table><h3>People</h3><table><tr><th>name</th><th>role</th><th>departments</th>"
                 "<th>variants</th><th>indicators</th></tr>")
    for person in people:
        links = " ".join(
            f'<a href="#{_e(anchors.by_code[c])}">{_e(c)}</a>' if c in anchors.by_code else _e(c)
            for c in person.codes
        )
        variants = f'<span class="bad">{_names(person.variants)}</span>' if person.variants else ""
        parts.append(f'<tr><td class="nowrap">{_e(person.name)}</td><td>{_e(person.role)}</td>'
                     f"<td>{_names(person.departments)}</td><td>{variants}</td><td>{links}</td></tr>")
    parts.append("</table></section>")
    return "".join(parts)


def document_to_html(doc: NoticeDocument) -> str:
    """One self-contained HTML page for a notice document."""
    blocks = level1_blocks(doc.indicators)
    anchors = _Anchors(doc.indicators, blocks, doc.totals)
    title = doc.notice.doc_number or doc.notice.title or doc.notice.source_file
    body = (_header(doc.notice, doc) + _hierarchy(doc, blocks) + _findings(doc.issues, anchors)
            + _roster(doc.indicators, doc.people, anchors))
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{_e(title)} · kaoping report</title><style>{CSS}</style></head>"
            f"<body>{body}</body></html>\n")
