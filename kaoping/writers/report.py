"""``report.html``: one self-contained page in Chinese that an analyst reads, not scrolls.

Findings first (counts, what each kind means, a filter by severity / kind / department and sortable columns,
in a few lines of plain JavaScript inside the page), then the weight each department carries (an inline SVG
chart), the scoring hierarchy with every row that has a finding marked, the cited documents and the people.
The page reads what the pipeline computed — the findings, the people, the targets — and only lays it out:
whether a level adds up is the pipeline's finding, not a sum done again here. Works offline, from file://.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from kaoping.normalize.targets import amount_text
from kaoping.normalize.textfold import format_number
from kaoping.schema.models import Indicator, Issue, NoticeDocument, Person, Reference, Target, TotalRow
from kaoping.writers.labels import kind_explanation, kind_name, labels, row_label, value_label
from kaoping.writers.report_assets import CSS, SCRIPT, weight_chart

SEVERITIES = ("error", "warning", "info")
#: a row code or #seq named inside a finding's message (the other rows it concerns: 1-3-1, 1-4-2, #35)
ROW_TOKEN = re.compile(r"#\d+|(?<![\d-])\d+(?:-\d+)+(?![\d-])")
#: findings about a level of the hierarchy rather than one row: the anchor prefix of that level's row
LEVEL_KINDS = {"category_sum": "cat", "group_sum": "grp", "level1_sum": "l1"}
TOTAL_KINDS = ("total_row_sum", "grand_total_sum", "total_row_unmatched")
SEP = "|"  # joins the values of a data-* attribute the filter script looks in


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _names(values: Iterable[str]) -> str:
    return _e("、".join(values))


def _points(value: float | None) -> str:
    return "" if value is None else _e(format_number(value))


def _location(page: int | None, line: int | None, row: int | None) -> tuple[int | None, int | None, int | None]:
    return (page, line, row)


def _first_location(ind: Indicator) -> tuple[int | None, int | None, int | None]:
    src = ind.source
    return _location(src.pages[0] if src.pages else None, src.lines[0] if src.lines else None,
                     src.rows[0] if src.rows else None)


# ---------------------------------------------------------------- layout: runs of rows, anchors


def _level1_key(ind: Indicator) -> tuple | None:
    if not ind.level1 and ind.level1_points is None:
        return None  # a row that is its own 一级指标 (1-17) or a group item (4-1)
    return (ind.category, ind.group, ind.level1_code or ind.level1)


class Layout:
    """Where each row, level and total sits on the page, and which findings concern which of them."""

    def __init__(self, doc: NoticeDocument) -> None:
        self.doc = doc
        inds = doc.indicators
        self.cat_first = [k for k, i in enumerate(inds) if k == 0 or i.category != inds[k - 1].category]
        self.grp_first = [k for k, i in enumerate(inds) if i.group and (
            k == 0 or (i.category, i.group) != (inds[k - 1].category, inds[k - 1].group))]
        self.l1_first = [k for k, i in enumerate(inds) if _level1_key(i) is not None and (
            k == 0 or _level1_key(i) != _level1_key(inds[k - 1]))]
        self.by_label: dict[str, list[str]] = defaultdict(list)
        self.by_location: dict[tuple, Indicator] = {}
        for ind in inds:
            self.by_label[row_label(ind)].append(f"ind-{ind.seq}")
            self.by_label.setdefault(f"#{ind.seq}", [f"ind-{ind.seq}"])
            self.by_location.setdefault(_first_location(ind), ind)
        for k in self.l1_first:
            if inds[k].level1_code:
                self.by_label.setdefault(inds[k].level1_code or "", []).append(f"l1-{inds[k].seq}")
        self.total_at = {_location(t.page, t.line, t.row): f"total-{k}" for k, t in enumerate(doc.totals)}
        self.issues_at: dict[str, list[Issue]] = defaultdict(list)
        self.anchors_of: list[list[str]] = []
        for issue in doc.issues:
            anchors = self.anchors(issue)
            self.anchors_of.append(anchors)
            for anchor in anchors:
                self.issues_at[anchor].append(issue)

    def run(self, starts: list[int], k: int) -> list[Indicator]:
        """The indicators of the run (category, group or level-1 block) that starts at index ``k``."""
        later = [s for s in starts if s > k]
        end = later[0] if later else len(self.doc.indicators)
        first = self.doc.indicators[k]
        if starts is self.l1_first:
            return [i for i in self.doc.indicators[k:end] if _level1_key(i) == _level1_key(first)]
        return self.doc.indicators[k:end]

    def anchors(self, issue: Issue) -> list[str]:
        """Every row the finding concerns: its own, and those its message names."""
        where = _location(issue.page, issue.line, issue.row)
        if issue.kind in TOTAL_KINDS and where in self.total_at:
            return [self.total_at[where]]
        if issue.kind in LEVEL_KINDS and issue.kind != "level1_sum" and where in self.by_location:
            return [f"{LEVEL_KINDS[issue.kind]}-{self.by_location[where].seq}"]
        tokens = ([issue.code] if issue.code else []) + ROW_TOKEN.findall(issue.message)
        if issue.kind == "level1_sum":
            found = [a for t in tokens for a in self.by_label.get(t, []) if a.startswith("l1-")]
            if found:
                return found[:1]
        found = []
        for token in tokens:
            for anchor in self.by_label.get(token, []):
                if anchor not in found and (anchor.startswith("ind-") or token == issue.code):
                    found.append(anchor)
        if not found and where in self.by_location and where != (None, None, None):
            found.append(f"ind-{self.by_location[where].seq}")
        return found

    def departments_of(self, anchors: list[str]) -> list[str]:
        """The 责任部门 of the rows a finding concerns (of every item of a level it concerns)."""
        starts = {"cat": self.cat_first, "grp": self.grp_first, "l1": self.l1_first}
        index = {ind.seq: k for k, ind in enumerate(self.doc.indicators)}
        out: list[str] = []
        for anchor in anchors:
            kind, _, number = anchor.partition("-")
            if kind == "ind":
                items = [self.doc.indicators[index[int(number)]]]
            elif kind in starts:
                items = self.run(starts[kind], index[int(number)])
            else:
                items = []
            for ind in items:
                out += [d for d in ind.departments if d not in out]
        return out


def _label(anchor: str, layout: Layout) -> str:
    kind, _, number = anchor.partition("-")
    if kind == "ind":
        ind = next(i for i in layout.doc.indicators if i.seq == int(number))
        return row_label(ind)
    if kind == "total":
        return layout.doc.totals[int(number)].label
    ind = next(i for i in layout.doc.indicators if i.seq == int(number))
    return {"cat": ind.category, "grp": ind.group, "l1": ind.level1_code or ind.level1}.get(kind) or kind


# ---------------------------------------------------------------- header and findings


def _header(doc: NoticeDocument) -> str:
    notice = doc.notice
    facts = []
    for attr, label in labels()["notice_facts"].items():
        value = getattr(notice, attr)
        if value not in (None, "", []) and attr not in ("sha256", "schema_version"):
            text = "、".join(value) if isinstance(value, list) else value_label("format", value) \
                if attr == "source_format" else value
            facts.append(f"<dt>{_e(label)}</dt><dd>{_e(text)}</dd>")
    counts = Counter(i.severity for i in doc.issues)
    chips = [f"<li>指标 <b>{len(doc.indicators)}</b></li>"]
    chips += [f'<li class="{s}"><a href="#findings">{_e(value_label("severity", s))} <b>{counts[s]}</b></a></li>'
              for s in SEVERITIES]
    chips += [f'<li><a href="#refs">引用文件 <b>{len(doc.references)}</b></a></li>',
              f'<li><a href="#people">人员 <b>{len(doc.people)}</b></a></li>']
    title = notice.attachment_title or notice.title or notice.source_file
    return (f'<header class="top"><h1>{_e(title)}</h1><dl class="facts">{"".join(facts)}</dl>'
            f'<ul class="counts">{"".join(chips)}</ul></header>')


def _filters(doc: NoticeDocument) -> str:
    kinds = sorted({i.kind for i in doc.issues}, key=lambda k: kind_name(k))
    depts = sorted({d for i in doc.indicators for d in i.departments})
    sev = "".join(f'<option value="{s}">{_e(value_label("severity", s))}</option>' for s in SEVERITIES)
    kind = "".join(f'<option value="{_e(k)}">{_e(kind_name(k))}</option>' for k in kinds)
    dept = "".join(f'<option value="{_e(d)}">{_e(d)}</option>' for d in depts)
    return ('<nav class="filters"><b>筛选</b>'
            f'<label>严重程度 <select name="sev"><option value="">全部</option>{sev}</select></label>'
            f'<label>类型 <select name="kind"><option value="">全部</option>{kind}</select></label>'
            f'<label>责任部门 <select name="dept"><option value="">全部</option>{dept}</select></label>'
            f'<span class="muted">显示 <span id="shown">{len(doc.issues)}</span> 条问题；指标表同时筛选</span>'
            '<a href="#findings">问题</a><a href="#chart">权重</a><a href="#hierarchy">指标</a>'
            '<a href="#refs">引用文件</a><a href="#people">人员</a></nav>')


def _badge(issue: Issue) -> str:
    return (f'<span class="badge {_e(issue.severity)}" title="{_e(issue.message)}">'
            f"{_e(kind_name(issue.kind))}</span>")


def _kinds_table(issues: list[Issue]) -> str:
    counts = Counter((i.severity, i.kind) for i in issues)
    order = sorted(counts, key=lambda sk: (SEVERITIES.index(sk[0]), -counts[sk], sk[1]))
    rows = []
    for sev, kind in order:
        zh, en = kind_explanation(kind)
        rows.append(f'<tr><td><span class="badge {sev}">{_e(kind_name(kind))}</span></td>'
                    f'<td class="num">{counts[(sev, kind)]}</td><td>{_e(zh)}<br><span class="muted">'
                    f"{_e(kind)}: {_e(en)}</span></td></tr>")
    return ('<div class="wrap"><table id="kinds"><thead><tr><th>类型</th><th>条数</th><th>说明</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _findings(doc: NoticeDocument, layout: Layout) -> str:
    if not doc.issues:
        return '<section id="findings"><h2>问题</h2><p class="muted">没有发现问题。</p></section>'
    rows = []
    for issue, anchors in sorted(zip(doc.issues, layout.anchors_of, strict=True),
                                 key=lambda pair: SEVERITIES.index(pair[0].severity)):
        where = "、".join(f'<a href="#{a}">{_e(_label(a, layout))}</a>' for a in anchors) or _e(issue.code or "")
        depts = layout.departments_of(anchors)
        rows.append(
            f'<tr data-sev="{issue.severity}" data-kind="{_e(issue.kind)}" data-dept="{_e(SEP.join(depts))}">'
            f'<td data-key="{SEVERITIES.index(issue.severity)}"><span class="badge {issue.severity}">'
            f'{_e(value_label("severity", issue.severity))}</span></td><td class="nowrap">{_e(kind_name(issue.kind))}</td>'
            f'<td class="nowrap">{where}</td><td>{_names(depts)}</td><td class="num">{_e(issue.page)}</td>'
            f'<td class="num">{_e(issue.line)}</td><td class="msg">{_e(issue.message)}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("严重程度", "类型", "位置", "责任部门", "页码", "行号", "说明"))
    return (f'<section id="findings"><h2>问题（{len(doc.issues)}）</h2>{_kinds_table(doc.issues)}'
            f'<h3>逐条</h3><div class="wrap"><table class="sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody id="finding-rows">{"".join(rows)}</tbody></table></div></section>')


def _chart(doc: NoticeDocument) -> str:
    """Weight per 责任部门; a row with several departments gives each an equal share of its weight."""
    shares: dict[str, float] = defaultdict(float)
    for ind in doc.indicators:
        if ind.weight is not None:
            depts = ind.departments or ["（未写部门）"]
            for dept in depts:
                shares[dept] += ind.weight / len(depts)
    total = sum(i.weight for i in doc.indicators if i.weight is not None)
    ordered = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    return ('<section id="chart"><h2>各责任部门权重</h2><p class="muted">一项指标有多个责任部门时，其权重由各部门平均分摊；'
            f"合计 {_e(format_number(total))}。</p>{weight_chart(ordered, total)}</section>")


# ---------------------------------------------------------------- hierarchy


def _target_text(t: Target) -> str:
    sign = {">=": "≥", "<=": "≤", "=": ""}[t.comparator]
    return f"{t.metric or '（未识别）'} {sign}{amount_text(t.value, t.unit)}"


def _cell(ind: Indicator, field: str, text: str) -> str:
    """A value, marked when the row inherited it from a merged cell above."""
    if field in ind.source.inherited and text:
        return f'<span class="inh" title="继承自上方合并单元格">{text}</span>'
    return text


def _basis(ind: Indicator, ref_anchor: dict[str, str]) -> str:
    links = "<br>".join(f'<a href="#{ref_anchor[r]}">{_e(r)}</a>' if r in ref_anchor else _e(r)
                        for r in ind.basis_refs)
    text = links or _e(ind.basis)
    return _cell(ind, "basis", f'<span title="{_e(ind.basis)}">{text}</span>' if text else "")


def _item_row(ind: Indicator, layout: Layout, ref_anchor: dict[str, str], pages: bool) -> str:
    issues = layout.issues_at.get(f"ind-{ind.seq}", [])
    worst = next((s for s in SEVERITIES if any(i.severity == s for i in issues)), None)
    cls = f' class="flag-{worst}"' if worst else ""
    seen: list[tuple[str, str]] = []
    for i in issues:
        if (i.severity, i.kind) not in seen:
            seen.append((i.severity, i.kind))
    badges = "".join(_badge(next(i for i in issues if (i.severity, i.kind) == sk)) for sk in seen)
    extra = "".join(f'<div class="muted">{_e(x.header)}：{_e(x.text)}</div>' for x in ind.extra)
    if ind.criteria:
        extra = f'<div class="muted">考评标准：{_e(ind.criteria)}</div>' + extra
    targets = "".join(f"<span>{_e(_target_text(t))}</span>" for t in ind.targets)
    targets = f'<div class="targets">目标：{targets}</div>' if targets else ""
    data = (f' data-sev="{SEP.join(sorted({i.severity for i in issues}))}" '
            f'data-kind="{_e(SEP.join(sorted({i.kind for i in issues})))}" data-dept="{_e(SEP.join(ind.departments))}"')
    page = f'<td class="num">{_e(_pages(ind))}</td>' if pages else ""
    return (f'<tr id="ind-{ind.seq}"{cls}{data}><td class="code">{_e(row_label(ind))}</td>'
            f'<td class="item">{_e(ind.item)}{targets}{extra}{f"<div>{badges}</div>" if badges else ""}</td>'
            '<td class="num"></td>'
            f'<td class="num">{_cell(ind, "weight", _points(ind.weight))}</td>'
            f'<td class="nowrap">{_cell(ind, "deadline", _e(ind.deadline))}</td>'
            f'<td>{_cell(ind, "leaders", _names(ind.leaders))}</td>'
            f'<td>{_cell(ind, "departments", _names(ind.departments))}</td>'
            f'<td>{_cell(ind, "owners", _names(ind.owners))}</td><td class="basis">{_basis(ind, ref_anchor)}</td>{page}</tr>')


def _pages(ind: Indicator) -> str:
    """4, or 4–5 for a row broken across pages."""
    found = ind.source.pages
    if not found:
        return ""
    return str(found[0]) if found[0] == found[-1] else f"{found[0]}–{found[-1]}"


def _check(issues: list[Issue], items: list[Indicator], printed: float | None) -> str:
    """The pipeline's verdict on a level: its findings, or ✓ with the items' sum when it found none."""
    if issues:
        return "".join(f'<div class="bad">✗ {_badge(i)} {_e(i.message)}</div>' for i in issues)
    weights = [i.weight for i in items]
    if not items or any(w is None for w in weights):
        return '<span class="none">权重不全</span>'
    total = _points(sum(w for w in weights if w is not None))
    return f'<span class="ok">✓ Σ {total}</span>' if printed is not None else f'<span class="none">Σ {total}</span>'


def _level_row(cls: str, anchor: str, code: str, label: str, points: float | None, layout: Layout,
               items: list[Indicator], span: int) -> str:
    """A category / group / 一级指标 / total row: the sum findings in its check cell, other findings as badges."""
    issues = layout.issues_at.get(anchor, [])
    sums = [i for i in issues if i.kind in LEVEL_KINDS or i.kind in TOTAL_KINDS]
    badges = "".join(_badge(i) for i in issues if i not in sums)
    worst = next((s for s in SEVERITIES if any(i.severity == s for i in issues)), None)
    flag = f" flag-{worst}" if worst else ""
    return (f'<tr class="{cls}{flag}" id="{anchor}"><td class="code">{_e(code)}</td><td class="item">{_e(label)}'
            f'{f"<div>{badges}</div>" if badges else ""}</td><td class="num">{_points(points)}</td>'
            f'<td colspan="{span}">{_check(sums, items, points)}</td></tr>')


def _is_grand(total: TotalRow) -> bool:
    return total.level == "grand" or total.category is None


def _closes(total: TotalRow, ind: Indicator) -> bool:
    """Does this 合计 / 小计 / 总分 row close the indicator (as the pipeline assigned it)?"""
    if _is_grand(total):
        return True
    return ind.category == total.category and (total.level != "group" or ind.group == total.group)


def _hierarchy(doc: NoticeDocument, layout: Layout, ref_anchor: dict[str, str]) -> str:
    inds = doc.indicators
    pages = any(i.source.pages for i in inds)
    span = 7 if pages else 6
    totals_after: dict[int, list[int]] = defaultdict(list)  # index of the last item a total row closes → totals
    for k, t in enumerate(doc.totals):
        scope = [n for n, i in enumerate(inds) if _closes(t, i)]
        totals_after[scope[-1] if scope and not _is_grand(t) else len(inds) - 1].append(k)
    rows = []
    for n, ind in enumerate(inds):
        if n in layout.cat_first:
            items = layout.run(layout.cat_first, n)
            rows.append(_level_row("category", f"cat-{ind.seq}", "", ind.category or "（无类别）", ind.category_points,
                                   layout, items, span))
        if n in layout.grp_first:
            items = layout.run(layout.grp_first, n)
            printed = next((i.group_points for i in items if i.group_points is not None), None)
            rows.append(_level_row("group", f"grp-{ind.seq}", "", ind.group or "", printed, layout, items, span))
        if n in layout.l1_first:
            items = layout.run(layout.l1_first, n)
            note = f"（{ind.level1_note}）" if ind.level1_note else ""
            rows.append(_level_row("level1", f"l1-{ind.seq}", ind.level1_code or "", f"{ind.level1 or ''}{note}",
                                   ind.level1_points, layout, items, span))
        rows.append(_item_row(ind, layout, ref_anchor, pages))
        for k in totals_after.get(n, []):
            t = doc.totals[k]
            items = [i for i in inds if _closes(t, i)]
            rows.append(_level_row("total", f"total-{k}", "", t.label, t.value, layout, items, span))
    head = "".join(f"<th>{h}</th>" for h in ("序号", "指标", "分值", "权重", "完成时限", "分管领导", "责任部门", "责任人",
                                             "文件依据", *(["页码"] if pages else [])))
    legend = ('<p class="muted">红色：有错误；黄色：有警告；<span class="inh">灰色斜体</span>：该值继承自上方合并单元格；'
              "“目标”为从指标内容中识别的量化目标。</p>")
    return (f'<section id="hierarchy"><h2>指标（{len(inds)}）</h2>{legend}<div class="wrap"><table>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>')


# ---------------------------------------------------------------- references and people


def _references(refs: list[Reference]) -> str:
    rows = []
    for k, r in enumerate(refs):
        status = value_label("issuer_status", r.issuer_status)
        cited = "、".join(r.cited_in)
        rows.append(f'<tr id="ref-{k}"><td class="nowrap">{_e(r.doc_number or "")}</td><td>{_e(r.title)}</td>'
                    f"<td>{_e(r.issuer)}</td><td>{_e(status)}</td><td>{_e(cited)}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("发文字号", "标题", "发文机关", "机关确认", "引用位置"))
    return (f'<section id="refs"><h2>引用文件（{len(refs)}）</h2><div class="wrap"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div></section>')


def _people(people: list[Person], layout: Layout) -> str:
    by_dept: dict[str, list[str]] = defaultdict(list)
    for p in people:
        if p.role == "owner":
            for d in p.departments:
                by_dept[d].append(p.name)
    dept_rows = "".join(f"<tr><td>{_e(d)}</td><td>{_names(names)}</td></tr>" for d, names in by_dept.items())
    rows = []
    for p in people:
        links = " ".join(f'<a href="#{a}">{_e(c)}</a>' for c in p.codes for a in layout.by_label.get(c, [])[:1])
        variants = f'<span class="bad">{_names(p.variants)}</span>' if p.variants else ""
        rows.append(f'<tr><td class="nowrap">{_e(p.name)}</td><td class="nowrap">{_e(value_label("role", p.role))}</td>'
                    f"<td>{_names(p.departments)}</td><td>{variants}</td><td>{links}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("姓名", "角色", "部门", "其他写法", "涉及指标"))
    return (f'<section id="people"><h2>人员（{len(people)}）</h2><h3>各部门责任人</h3><div class="wrap"><table>'
            f'<thead><tr><th>责任部门</th><th>责任人</th></tr></thead><tbody>{dept_rows}</tbody></table></div>'
            f'<h3>名单</h3><div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table></div></section>")


def document_to_html(doc: NoticeDocument) -> str:
    """One self-contained HTML page for a notice document."""
    layout = Layout(doc)
    ref_anchor = {r.id: f"ref-{k}" for k, r in enumerate(doc.references)}
    title = doc.notice.doc_number or doc.notice.title or doc.notice.source_file
    body = (_header(doc) + _filters(doc) + "<main>" + _findings(doc, layout) + _chart(doc)
            + _hierarchy(doc, layout, ref_anchor) + _references(doc.references) + _people(doc.people, layout)
            + "</main>")
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)} · 考评表报告</title><style>{CSS}</style></head>"
            f"<body>{body}<script>{SCRIPT}</script></body></html>\n")
