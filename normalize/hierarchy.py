"""Hierarchy: placed rows → indicators with category, group, 一级指标 block, inheritance and codes.

General rules only:
- project cells hold one or two labels, each maybe with points: "职能工作目标（75分） 重点工作目标";
  a label seen first in a pair is a category, second a group. Points printed with a lone group
  label that equal its category's points belong to the category.
- "text（属…）4分" splits into level-1 text, note and points.
- blank cells inherit from the row above inside the same block (一级指标 block for 文件依据 and
  一级指标; the group for the three responsibility columns) and are marked as inherited.
- a missing code in a block is inferred from its sibling (1-15-1 → 1-15-2); a group that prints
  no codes keeps code null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kaoping.normalize.facts import data_rows
from kaoping.normalize.rows import FieldRow
from kaoping.normalize.textfold import code_depth, fold_code, fold_text, parse_number, squash
from kaoping.schema.models import Indicator, Issue, Source
from kaoping.schema.raw import Format

_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]|(?<![\d.])(\d+(?:\.\d+)?)\s*分")
_POINTS_TAIL = re.compile(r"(?:[（(【]?\s*(\d+(?:\.\d+)?)\s*分\s*[）)】]?|分值\s*[:：]?\s*(\d+(?:\.\d+)?)\s*分?)\s*$")
_OPENERS, _CLOSERS = "（(【[", "）)】]"
_NOTE_OPEN = re.compile(
    "[" + re.escape(_OPENERS) + "]\\s*(?:" + "|".join(r["word"] for r in data_rows("note_words.csv")) + ")")
RESPONSIBILITY = ("leaders", "departments", "owners")

#: a project label: text, points printed with it, and which project column it sat in (None: one column only)
Label = tuple[str, float | None, int | None]


def _cell_labels(text: str) -> list[tuple[str, float | None]]:
    """'职能工作目标（75分） 重点工作目标' → [('职能工作目标', 75), ('重点工作目标', None)]; brackets that are not
    points stay in the label ('共性工作目标（含党建）（20分）'); points may be unbracketed ('思想建设5分')."""
    s = fold_text(text).replace(" ", "")
    out: list[tuple[str, float | None]] = []
    pos = 0
    for m in _POINTS.finditer(s):
        if label := s[pos : m.start()].strip():
            out.append((label, float(m.group(1) or m.group(2))))
        pos = m.end()
    if rest := s[pos:].strip():
        out.append((rest, None))
    return out


def text_to_labels(texts: list[str]) -> list[Label]:
    """'职 能 工 作 目 标 (75分)' + '重点 工 作 目 标' → [('职能工作目标', 75.0, 0), ('重点工作目标', None, 1)]"""
    positional = len(texts) >= 2
    out: list[Label] = []
    for k, text in enumerate(texts):
        for label, points in _cell_labels(text):
            if out and out[-1][0] == label:  # the same label printed twice (a repeated merged cell)
                out[-1] = (label, out[-1][1] if points is None else points, out[-1][2])
            else:
                out.append((label, points, k if positional else None))
    return out


def labels_to_pair(labels: list[Label]) -> tuple[tuple[str, float | None] | None, tuple[str, float | None] | None]:
    """(category, group) the labels print for sure; (None, None) when a lone label is ambiguous.

    Two project columns say which is which; one column with two labels is category then group."""
    first = [(t, p) for t, p, k in labels if k == 0]
    second = [(t, p) for t, p, k in labels if k == 1]
    if first and second:
        return first[0], second[0]
    if len(first) >= 2:
        return first[0], first[1]
    if first:
        return first[0], None
    if second:
        return None, second[0]
    if len(labels) >= 2:
        return (labels[0][0], labels[0][1]), (labels[1][0], labels[1][1])
    return None, None


def _note_span(s: str) -> tuple[int, int] | None:
    """(start, end) of the bracketed 属…/依据… note, brackets included; None when there is none."""
    for m in _NOTE_OPEN.finditer(s):
        depth = 0
        for j in range(m.start(), len(s)):
            if s[j] in _OPENERS:
                depth += 1
            elif s[j] in _CLOSERS:
                depth -= 1
                if depth == 0:
                    return m.start(), j + 1
        return m.start(), len(s)
    return None


def split_level1(text: str) -> tuple[str, str | None, float | None]:
    """'实施…目标。（属市《政府工作报告》任务65项）4分' → (text, note, 4.0).

    The note is a bracketed part opening with a note word (属, 依据 …: data/note_words.csv), in any
    bracket; the points are 'N分' or '分值：N' at the end, before or after the note."""
    s = fold_text(text)
    note = None
    if span := _note_span(s):
        note = s[span[0] + 1 : span[1] - 1].strip() or None
        s = (s[: span[0]] + s[span[1] :]).strip()
    points = None
    if m := _POINTS_TAIL.search(s):
        points = float(m.group(1) or m.group(2))
        s = s[: m.start()].rstrip()
    return s, note, points


@dataclass
class _Known:
    categories: dict[str, float | None] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=dict)  # group → categories it was printed under

    def learn(self, labels: list[Label]) -> None:
        cat, grp = labels_to_pair(labels)
        if cat is not None:
            if cat[1] is not None or cat[0] not in self.categories:
                self.categories[cat[0]] = cat[1] if cat[1] is not None else self.categories.get(cat[0])
            if grp is not None and cat[0] not in self.parents.setdefault(grp[0], []):
                self.parents[grp[0]].append(cat[0])


@dataclass
class _State:
    category: str | None = None
    category_points: dict[str, float | None] = field(default_factory=dict)
    group: str | None = None
    group_points: dict[tuple[str | None, str], float | None] = field(default_factory=dict)

    def set_category(self, name: str, points: float | None) -> None:
        if name != self.category:
            self.category, self.group = name, None
        if points is not None:
            self.category_points[name] = points

    def set_group(self, name: str, points: float | None) -> None:
        self.group = name
        if points is not None:
            self.group_points[(self.category, name)] = points


def _apply_labels(state: _State, known: _Known, labels: list[Label]) -> None:
    cat, grp = labels_to_pair(labels)
    if cat is not None or grp is not None:
        if cat is not None:
            state.set_category(*cat)
        if grp is not None:
            state.set_group(*grp)
        return
    label, points, _ = labels[0]  # one label in the only project column: category or group?
    parents = known.parents.get(label, [])
    if label in known.categories and not parents:
        state.set_category(label, points)
        return
    if parents:
        parent = state.category if state.category in parents else parents[0]
        cat_points = known.categories.get(parent)
        if points is not None and (cat_points is None or cat_points == points):
            state.set_category(parent, points)  # a lone group printed with its category's points
            points = None
        else:
            state.set_category(parent, None)
    elif state.category is None:
        state.set_category(label, points)
        return
    state.set_group(label, points)


def _prefix(code: str) -> str:
    return code.rsplit("-", 1)[0]


def _next_code(code: str) -> str:
    head, last = code.rsplit("-", 1)
    return f"{head}-{int(last) + 1}"


@dataclass(frozen=True)
class _Prev:
    """What a row may inherit from the indicator above it."""

    category: str | None
    group: str | None
    code: str | None
    block: str | None  # the 一级指标 block a dashed code belongs to ('1-3' for 1-3-1)
    level1: tuple[str | None, str | None, float | None]  # text, note, points
    basis: str
    resp: dict[str, str]


def _row_texts(row: FieldRow) -> dict[str, str]:
    """The row's field texts; a row with a single text (no 二级指标) has that text as its item."""
    v = {k: row.values.get(k, "") for k in ("code", "basis", "level1", "item", "weight", "deadline", *RESPONSIBILITY)}
    own_texts = [f for f in ("level1", "basis") if squash(v[f]) and f not in row.merged]
    if not squash(v["item"]) and len(own_texts) == 1:
        v["item"], v[own_texts[0]] = v[own_texts[0]], ""
    return v


def rows_to_indicators(rows: list[FieldRow], fmt: Format, file: str) -> tuple[list[Indicator], list[Issue]]:
    known = _Known()
    parsed = [text_to_labels(r.project) for r in rows]
    for labels in parsed:
        known.learn(labels)
    state = _State()
    issues: list[Issue] = []
    out: list[Indicator] = []
    prev = _Prev(None, None, None, None, (None, None, None), "", dict.fromkeys(RESPONSIBILITY, ""))
    for row, labels in zip(rows, parsed, strict=True):
        inherited = set(row.merged) - {"project"}
        if labels:
            _apply_labels(state, known, labels)
        if not labels or "project" in row.merged:
            inherited |= {"category", "group"}
        v = _row_texts(row)
        if not squash(v["item"]) and not squash(v["weight"]):
            continue  # not an indicator; the caller accounts for it
        same_group = bool(out) and (prev.category, prev.group) == (state.category, state.group)
        code, code_inferred = fold_code(v["code"]), False
        if code is None and same_group and code_depth(prev.code) >= 3 \
                and (not squash(v["level1"]) or "level1" in row.merged):
            code, code_inferred = _next_code(prev.code), True  # reported by the checks
        depth = code_depth(code)
        block = _prefix(code) if depth >= 3 else code if depth == 2 else None  # printed ordinals: no block
        inherit_block = row.fill_blanks and same_group and block == prev.block
        inherit_group = row.fill_blanks and same_group
        if squash(v["level1"]):
            level1 = split_level1(v["level1"])
        elif inherit_block and prev.level1[0]:
            level1 = prev.level1
            inherited.add("level1")
        else:
            level1 = (None, None, None)
        basis = v["basis"]
        if not squash(basis) and inherit_block and prev.basis:
            basis = prev.basis
            inherited.add("basis")
        resp = {name: v[name] for name in RESPONSIBILITY}
        for name in RESPONSIBILITY:
            if not squash(resp[name]) and inherit_group and prev.resp[name]:
                resp[name] = prev.resp[name]
                inherited.add(name)
        ind = Indicator(
            seq=len(out) + 1, code=code, code_inferred=code_inferred, category=state.category,
            category_points=state.category_points.get(state.category or ""),
            group=state.group, group_points=state.group_points.get((state.category, state.group or "")),
            level1=level1[0] or None, level1_note=level1[1], level1_points=level1[2], item=v["item"],
            weight=parse_number(v["weight"]), deadline=v["deadline"] or None,
            **{name: [resp[name]] if squash(resp[name]) else [] for name in RESPONSIBILITY},
            basis=basis or None,
            source=Source(format=fmt, file=file, pages=row.pages, lines=row.lines, rows=row.rows, table=row.table,
                          inherited=sorted(inherited)),
        )
        if not squash(ind.item):  # an unreadable weight is reported by the checks (missing_weight)
            issues.append(Issue(severity="warning", kind="missing_item", code=code, page=row.page, line=row.line,
                                row=row.row, message="row has a weight but no item text", cells=row.cells))
        out.append(ind)
        prev = _Prev(state.category, state.group, code, block, level1, basis, resp)
    return _set_level1_codes(_backfill_points(out)), issues


def _backfill_points(indicators: list[Indicator]) -> list[Indicator]:
    """Points printed once (on any row) hold for the whole category / group."""
    cat_points = {i.category: i.category_points for i in indicators if i.category_points is not None}
    grp_points = {(i.category, i.group): i.group_points for i in indicators if i.group_points is not None}
    return [
        i.model_copy(update={"category_points": cat_points.get(i.category),
                             "group_points": grp_points.get((i.category, i.group))})
        for i in indicators
    ]


def _set_level1_codes(indicators: list[Indicator]) -> list[Indicator]:
    """'1-3-1' → '1-3'; a two-part code is a level-1 itself in a group that has three-part codes."""
    depth: dict[tuple[str | None, str | None], int] = {}
    for i in indicators:
        key = (i.category, i.group)
        depth[key] = max(depth.get(key, 0), code_depth(i.code))
    out = []
    for i in indicators:
        l1 = None
        d, max_d = code_depth(i.code), depth[(i.category, i.group)]
        if d >= 3:
            l1 = _prefix(i.code)  # type: ignore[arg-type]
        elif d == 2 and max_d >= 3:
            l1 = i.code
        out.append(i.model_copy(update={"level1_code": l1}))
    return out
