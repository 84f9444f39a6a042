"""diff.html: one self-contained page that shows a year-over-year diff side by side.

No external assets: the CSS is inline and a checkbox hides unchanged rows without JavaScript (a renumbered row
is a change and stays). Rows are named as in report.html (printed 序号, or #行次 where none is printed). In a
list (分管领导, 责任部门, 责任人 …) only the names that came or went are marked, not the whole list.
Rows follow the new notice's order, removed rows sit after their old predecessor, and consecutive rows
are grouped under their category → group → 一级指标 heading. Changed characters are marked with
difflib on characters (``<del>`` on the old side, ``<ins>`` on the new). Every text is escaped.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from html import escape
from typing import Any

from kaoping.features.diff import target_text
from kaoping.normalize.textfold import format_number
from kaoping.schema.models import Indicator, NoticeDocument
from kaoping.writers.labels import row_label

log = logging.getLogger(__name__)

LABELS = {
    "item": "二级指标",
    "weight": "权重",
    "deadline": "完成时限",
    "leaders": "分管领导",
    "departments": "责任部门",
    "owners": "责任人",
    "level1": "一级指标",
    "basis_refs": "文件依据",
    "targets": "量化目标",
}
META_FIELDS = ("weight", "deadline", "leaders", "departments", "owners", "basis_refs")

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:0;color:#1f2328;background:#f6f8fa;font-size:14px;line-height:1.55}
header{background:#fff;border-bottom:1px solid #d0d7de;padding:16px 24px;position:sticky;top:0;z-index:2}
h1{font-size:20px;margin:0 0 8px}
.files{color:#57606a;margin-bottom:8px}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;list-style:none}
.counts li{border:1px solid #d0d7de;border-radius:6px;padding:2px 10px;background:#f6f8fa}
.counts b{font-size:16px;margin-right:4px}
.toggle{margin-top:8px;display:inline-block;color:#0969da;cursor:pointer;user-select:none}
.toggle::before{content:"☐ "}
#hide-same:checked ~ header .toggle::before{content:"☑ "}
main{padding:8px 24px 48px}
h2{font-size:17px;margin:24px 0 4px;border-bottom:2px solid #d0d7de}
h3{font-size:15px;margin:14px 0 4px;color:#0b4f8a}
h4{font-size:14px;margin:10px 0 4px;font-weight:normal;color:#57606a}
table{width:100%;border-collapse:collapse;table-layout:fixed;background:#fff}
td{border:1px solid #d0d7de;padding:6px 8px;vertical-align:top;width:50%}
tr.same td{color:#57606a}
tr.renumbered td.new .code{background:#ddf4ff}
tr.added td.new{background:#e6ffec}
tr.removed td.old{background:#ffebe9}
td.blank{background:#f6f8fa}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:bold;margin-right:6px}
.badge{font-size:12px;border-radius:10px;padding:0 8px;margin-left:6px;border:1px solid}
.badge.changed{color:#9a6700;border-color:#d4a72c}
.badge.added{color:#1a7f37;border-color:#4ac26b}
.badge.removed{color:#cf222e;border-color:#ff8182}
.badge.renumbered{color:#0969da;border-color:#54aeff}
.badge.sim{color:#57606a;border-color:#d0d7de}
.meta{color:#57606a;font-size:12.5px;margin-top:4px}
.meta span{margin-right:10px}
.meta .chg{color:#1f2328}
.meta .chg b{font-weight:normal;background:#fff8c5}
.moved{margin:4px 0 0;padding-left:18px;font-size:13px}
del{background:#ffc1c0;text-decoration:line-through}
ins{background:#abf2bc;text-decoration:none}
#hide-same:checked ~ main tr.same,#hide-same:checked ~ main section.same{display:none}
"""


@dataclass
class Row:
    kind: str  # "pair", "added", "removed"
    old: Indicator | None = None
    new: Indicator | None = None
    pair: dict[str, Any] = field(default_factory=dict)

    @property
    def anchor(self) -> Indicator:
        return self.new or self.old  # type: ignore[return-value]


def mark_changes(old: str, new: str) -> tuple[str, str]:
    """Both texts escaped, with the characters that differ wrapped in <del> / <ins>."""
    a, b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            a.append(escape(old[i1:i2]))
            b.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            a.append(f"<del>{escape(old[i1:i2])}</del>")
        if j2 > j1:
            b.append(f"<ins>{escape(new[j1:j2])}</ins>")
    return "".join(a), "".join(b)


def _value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def _rows_in_order(diff: dict[str, Any], old: NoticeDocument, new: NoticeDocument) -> list[Row]:
    old_by_seq = {i.seq: i for i in old.indicators}
    new_by_seq = {i.seq: i for i in new.indicators}
    by_new: dict[int, Row] = {}
    for p in diff["pairs"]:
        by_new[p["new_seq"]] = Row("pair", old_by_seq.get(p["old_seq"]), new_by_seq.get(p["new_seq"]), p)
    for a in diff["added"]:
        by_new[a["seq"]] = Row("added", None, new_by_seq.get(a["seq"]))
    new_of_old = {p["old_seq"]: p["new_seq"] for p in diff["pairs"]}
    after: dict[int, list[Row]] = {}  # new seq (0 = start) → removed rows that follow it
    for r in diff["removed"]:
        prev = r["seq"] - 1
        while prev > 0 and prev not in new_of_old:
            prev -= 1
        after.setdefault(new_of_old.get(prev, 0), []).append(Row("removed", old_by_seq.get(r["seq"])))
    rows = list(after.get(0, []))
    for seq in sorted(by_new):
        rows.append(by_new[seq])
        rows += after.get(seq, [])
    return [r for r in rows if r.anchor is not None]


def _changed_value_html(change: dict[str, Any], side: str) -> str:
    """A changed value on one side: in a list only the names missing on the other side are marked
    (<del> old, <ins> new); a scalar is marked whole."""
    mine, other = change[side], change["new" if side == "old" else "old"]
    tag = "del" if side == "old" else "ins"
    if isinstance(mine, list) and isinstance(other, list | type(None)):
        others = other or []
        names = [f"<{tag}>{escape(str(v))}</{tag}>" if v not in others else escape(str(v)) for v in mine]
        if mine and all(v in others for v in mine) and mine != others:  # same names, another order
            names = [f"<{tag}>{n}</{tag}>" for n in names]
        return "、".join(names) or "—"
    return f"<{tag}>{escape(_value_text(mine))}</{tag}>"


def _side(ind: Indicator | None, item_html: str, changes: dict[str, Any], css: str, badges: str,
          code_html: str | None = None) -> str:
    if ind is None:
        return f'<td class="{css} blank"></td>'
    side = "old" if css == "old" else "new"
    meta = []
    for name in META_FIELDS:
        value = changes[name][side] if name in changes else getattr(ind, name)
        if name in changes:
            meta.append(f'<span class="chg">{LABELS[name]}：{_changed_value_html(changes[name], side)}</span>')
        elif value not in (None, []):
            meta.append(f"<span>{LABELS[name]}：{escape(_value_text(value))}</span>")
    extra = ""
    if "level1" in changes:
        old_l1, new_l1 = mark_changes(changes["level1"]["old"] or "", changes["level1"]["new"] or "")
        extra += f'<div class="meta">{LABELS["level1"]}：{old_l1 if side == "old" else new_l1}</div>'
    if "targets" in changes:
        moved = "".join(
            f"<li>{escape(m['metric'] or '—')}：{escape(target_text(m[side]) or '—')}</li>"
            for m in changes["targets"]["moved"]
        )
        extra += f'<ul class="moved" title="{LABELS["targets"]}">{moved}</ul>'
    code = f'<span class="code">{code_html or escape(row_label(ind))}</span>'
    return f'<td class="{css}">{code}{badges}{item_html}<div class="meta">{"".join(meta)}</div>{extra}</td>'


def _row_html(row: Row) -> str:
    old, new = row.old, row.new
    if new is not None and old is None:
        badge = '<span class="badge added">新增</span>'
        return f'<tr class="added">{_side(None, "", {}, "old", "")}{_side(new, escape(new.item), {}, "new", badge)}</tr>'
    if old is not None and new is None:
        badge = '<span class="badge removed">删除</span>'
        return f'<tr class="removed">{_side(old, escape(old.item), {}, "old", badge)}{_side(None, "", {}, "new", "")}</tr>'
    assert old is not None and new is not None
    changes = row.pair["changes"]
    if "item" in changes:
        old_html, new_html = mark_changes(old.item, new.item)
    else:
        old_html, new_html = escape(old.item), escape(new.item)
    badges = ""
    if changes:
        names = "、".join(LABELS[f] for f in changes)
        badges += f'<span class="badge changed">变更：{escape(names)}</span>'
    renumbered = _renumbered(row.pair)
    old_code = new_code = None
    if renumbered:
        badges += '<span class="badge renumbered">重编号</span>'
        old_code, new_code = mark_changes(row_label(old), row_label(new)) if old.code and new.code else \
            (f"<del>{escape(row_label(old))}</del>", f"<ins>{escape(row_label(new))}</ins>")
    css = "changed" if changes else "renumbered" if renumbered else "same"
    if row.pair["similarity"] < 0.995:
        badges += f'<span class="badge sim">相似度 {row.pair["similarity"]:.2f}</span>'
    return (f'<tr class="{css}">{_side(old, old_html, changes, "old", "", old_code)}'
            f'{_side(new, new_html, changes, "new", badges, new_code)}</tr>')


def _renumbered(pair: dict[str, Any]) -> bool:
    return bool(pair.get("renumbered", pair["old_code"] != pair["new_code"]))


def _blocks_html(rows: list[Row]) -> list[str]:
    """Consecutive rows under one category → group → 一级指标 heading; an all-unchanged block can hide."""
    out: list[str] = []
    heading: tuple[str | None, str | None, str | None] = (None, None, None)
    block: list[Row] = []

    def flush() -> None:
        if not block:
            return
        ind = block[0].anchor
        same = all(r.kind == "pair" and not r.pair["changes"] and not _renumbered(r.pair) for r in block)
        title = ""
        if ind.level1:
            code = f'<span class="code">{escape(ind.level1_code)}</span>' if ind.level1_code else ""
            from_old = " <small>（旧表）</small>" if block[0].new is None else ""
            title = f"<h4>{code}{escape(ind.level1)}{from_old}</h4>"
        rows_html = "".join(_row_html(r) for r in block)
        out.append(
            f'<section class="{"same" if same else "block"}">{title}<table>{rows_html}</table></section>'
        )
        block.clear()

    for row in rows:
        ind = row.anchor
        key = (ind.category, ind.group, ind.level1)
        if key != heading:
            flush()
            if key[0] != heading[0] and key[0]:
                out.append(f"<h2>{escape(key[0])}</h2>")
            if key[:2] != heading[:2] and key[1]:
                out.append(f"<h3>{escape(key[1])}</h3>")
            heading = key
        block.append(row)
    flush()
    return out


def _title(doc: NoticeDocument) -> str:
    n = doc.notice
    parts = [str(n.year) if n.year else None, n.doc_number, n.title or n.attachment_title]
    return " ".join(p for p in parts if p) or n.source_file


def diff_to_html(diff: dict[str, Any], old_notice: NoticeDocument, new_notice: NoticeDocument) -> str:
    """The whole page as one string."""
    s = diff["summary"]
    counts = [
        ("旧表指标", s["old_indicators"]),
        ("新表指标", s["new_indicators"]),
        ("配对", s["pairs"]),
        ("有变更", s["changed"]),
        ("无变更", s["unchanged"]),
        ("重编号", s["renumbered"]),
        ("新增", s["added"]),
        ("删除", s["removed"]),
    ] + [(LABELS.get(f, f) + "变更", n) for f, n in s.get("changes_by_field", {}).items()]
    counts_html = "".join(f"<li><b>{n}</b>{escape(label)}</li>" for label, n in counts)
    body = "".join(_blocks_html(_rows_in_order(diff, old_notice, new_notice)))
    old_title, new_title = escape(_title(old_notice)), escape(_title(new_notice))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{old_title} → {new_title}</title><style>{CSS}</style></head><body>"
        '<input type="checkbox" id="hide-same" hidden>'
        f"<header><h1>考评表对比</h1>"
        f'<div class="files">旧：{old_title}（{escape(old_notice.notice.source_file)}）　'
        f"新：{new_title}（{escape(new_notice.notice.source_file)}）</div>"
        f'<ul class="counts">{counts_html}</ul>'
        '<label class="toggle" for="hide-same">隐藏无变更的指标</label></header>'
        f"<main>{body}</main></body></html>\n"
    )
