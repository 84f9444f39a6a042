"""Hierarchy: placed rows → indicators with category, group, 一级指标 block, inheritance and codes.

The levels a notice prints are the levels it gets. Field mapping:
- heading rows (:mod:`normalize.rowkinds`) number their level by ordinal style, in order of first
  appearance in the table: the first level is ``category``, the second ``group``, a third ``level1``.
  A table with one heading level: a section row (一、… or an unnumbered cell spanning the table) is a
  ``category``; a lone （一） level is a ``group`` (one grouping level above items).
- a 考评项目 column (role ``group``) prints the group, with its points, beside or above its items.
- the 泉国资办 project columns (项目) hold one or two labels: a label seen first in a pair is a
  category, second a group; a cell spanning both project columns is a category; points printed with
  a lone group label that equal its category's points belong to the category.
- ordinals before a label are its number: 「（一）预算管理（14分）」 → 预算管理, 14 points; an item's 序号
  「1.」 is code ``1``.
- blank cells inherit from the row above inside the same block (一级指标 block for 文件依据 and
  一级指标; the group for the three responsibility columns) and are marked as inherited.
- a missing code in a block is inferred from its sibling (1-15-1 → 1-15-2); a group that prints
  no codes keeps code null.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kaoping.normalize.headers import EXTRA, is_extra
from kaoping.normalize.labels import (  # noqa: F401  (re-exported: the label rules' public names)
    Label,
    cell_labels,
    labels_to_pair,
    split_level1,
    text_to_labels,
)
from kaoping.normalize.rows import FieldRow
from kaoping.normalize.textfold import code_depth, fold_code, parse_weight, squash
from kaoping.schema.models import ExtraField, Indicator, Issue, Source
from kaoping.schema.raw import Format

RESPONSIBILITY = ("leaders", "departments", "owners")
Level1 = tuple[str | None, str | None, float | None]  # text, note, points
#: ordinal styles that start an outline (一、 or an unnumbered spanning cell): a lone level of them is a category
SECTION_STYLES = ("cn", "span")


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
    heading_level1: Level1 | None = None  # a third heading level: the 一级指标 of the rows below

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
    if (label in known.categories and not parents) or label == state.category:  # (printed again: the same one)
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


# ---------------------------------------------------------------- heading rows → levels


def heading_fields(rows: list[FieldRow]) -> dict[tuple[int, str], str]:
    """(table, heading style) → the field that level fills (category, group or level1)."""
    out: dict[tuple[int, str], str] = {}
    for table in dict.fromkeys(r.table for r in rows):
        styles = list(dict.fromkeys(r.style or "span" for r in rows if r.table == table and r.kind == "heading"))
        if len(styles) == 1:
            out[(table, styles[0])] = "category" if styles[0] in SECTION_STYLES else "group"
            continue
        for k, style in enumerate(styles):
            out[(table, style)] = ("category", "group", "level1")[min(k, 2)]
    return out


def heading_to_label(text: str) -> tuple[str, float | None]:
    """'一、职能工作（60分）' → ('职能工作', 60.0): the ordinal is the level's number, the points its points."""
    labels = cell_labels(text)
    return labels[0] if labels else (squash(text), None)


def apply_heading(state: _State, row: FieldRow, level: str) -> None:
    label, points = heading_to_label(row.text)
    if level == "category":
        state.set_category(label, points)
    elif level == "group":
        state.set_group(label, points)
    state.heading_level1 = (label, None, points) if level == "level1" else None


def apply_category_column(state: _State, row: FieldRow) -> None:
    """A category cell printed on this row (the top of four levels printed as columns) names the category."""
    text = row.values.get("category", "")
    if squash(text) and "category" not in row.merged:
        state.set_category(*heading_to_label(text))


def apply_group_column(state: _State, row: FieldRow) -> None:
    """A 考评项目 cell printed on this row (not continued from above) names the group."""
    text = row.values.get("group", "")
    if squash(text) and "group" not in row.merged:
        state.set_group(*heading_to_label(text))


def printed_levels(state: _State, row: FieldRow, labels: list[Label]) -> set[str]:
    """Which of category/group the row prints itself; the others it inherits (from a merged cell, a heading
    above, or — a lone group's category — from where that group was printed before)."""
    texts = {text for text, _, k in labels if not _continued(row, k)}
    for level in ("category", "group"):
        if squash(text := row.values.get(level, "")) and level not in row.merged:
            texts.add(heading_to_label(text)[0])
    return {name for name, value in (("category", state.category), ("group", state.group)) if value in texts}


def _continued(row: FieldRow, column: int | None) -> bool:
    """A project label from a merged cell continued from a row above (``project:K``: its column K)."""
    return "project" in row.merged and (column is None or f"project:{column}" in row.merged)


# ---------------------------------------------------------------- one body row → its fields


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
    level1: Level1
    basis: str
    resp: dict[str, str]


_NO_PREV = _Prev(None, None, None, None, (None, None, None), "", dict.fromkeys(RESPONSIBILITY, ""))


def _row_texts(row: FieldRow) -> dict[str, str]:
    """The row's field texts; a row with a single text (no 二级指标) has that text as its item."""
    v = {k: row.values.get(k, "") for k in ("code", "basis", "level1", "item", "weight", "deadline", "criteria",
                                            *RESPONSIBILITY)}
    own_texts = [f for f in ("level1", "basis") if squash(v[f]) and f not in row.merged]
    if not squash(v["item"]) and len(own_texts) == 1:
        v["item"], v[own_texts[0]] = v[own_texts[0]], ""
    return v


def cell_to_code(text: str) -> str | None:
    """The 序号 cell: a dashed code or printed ordinal (fold_code), or a bare number printed as 序号 ('1')."""
    code = fold_code(text)
    if code is None and squash(text).isdigit():
        code = str(int(squash(text)))
    return code


def row_code(v: dict[str, str], row: FieldRow, prev: _Prev, same_group: bool) -> tuple[str | None, bool]:
    """(code, inferred): a blank 序号 in a block of three-part codes continues its sibling — its 一级指标 blank,
    merged from above, or the same text printed again (a sheet whose merged cells were saved unmerged)."""
    code = cell_to_code(v["code"])
    if code is None and same_group and code_depth(prev.code) >= 3 and (
            not squash(v["level1"]) or "level1" in row.merged or split_level1(v["level1"]) == prev.level1):
        return _next_code(prev.code), True  # type: ignore[arg-type]  # reported by the checks
    return code, False


def code_block(code: str | None) -> str | None:
    depth = code_depth(code)
    return _prefix(code) if depth >= 3 else code if depth == 2 else None  # type: ignore[arg-type]


def row_level1(v: dict[str, str], state: _State, prev: _Prev, inherit_block: bool, inherited: set[str]) -> Level1:
    if squash(v["level1"]):
        return split_level1(v["level1"])
    if inherit_block and prev.level1[0]:
        inherited.add("level1")
        return prev.level1
    return state.heading_level1 or (None, None, None)


def row_basis(v: dict[str, str], prev: _Prev, inherit_block: bool, inherited: set[str]) -> str:
    if not squash(v["basis"]) and inherit_block and prev.basis:
        inherited.add("basis")
        return prev.basis
    return v["basis"]


def row_responsibility(v: dict[str, str], prev: _Prev, inherit_group: bool, inherited: set[str]) -> dict[str, str]:
    resp = {name: v[name] for name in RESPONSIBILITY}
    for name in RESPONSIBILITY:
        if not squash(resp[name]) and inherit_group and prev.resp[name]:
            resp[name] = prev.resp[name]
            inherited.add(name)
    return resp


def row_extra(row: FieldRow) -> list[ExtraField]:
    """Printed columns with no field, kept under their header (nothing printed is dropped)."""
    return [ExtraField(header=role[len(EXTRA) + 1:] or EXTRA, text=text.strip())
            for role, text in row.values.items() if is_extra(role) and squash(text)]


# ---------------------------------------------------------------- the chain


@dataclass
class _Walk:
    """What the walk over a notice's rows carries along."""

    known: _Known
    levels: dict[tuple[int, str], str]
    fmt: Format
    file: str
    state: _State = field(default_factory=_State)
    prev: _Prev = _NO_PREV
    out: list[Indicator] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _row_to_indicator(w: _Walk, row: FieldRow, labels: list[Label]) -> Indicator | None:
    state, prev = w.state, w.prev
    inherited = {m for m in row.merged if m != "group" and not m.startswith("project")}
    if labels:
        _apply_labels(state, w.known, labels)
    apply_category_column(state, row)
    apply_group_column(state, row)
    # a level this row does not print is inherited from the rows above — when there is one to inherit
    inherited |= {f for f in ("category", "group") if getattr(state, f)} - printed_levels(state, row, labels)
    v = _row_texts(row)
    if not squash(v["item"]) and not squash(v["weight"]):
        return None  # not an indicator; the caller accounts for it
    same_group = bool(w.out) and (prev.category, prev.group) == (state.category, state.group)
    code, code_inferred = row_code(v, row, prev, same_group)
    block = code_block(code)
    inherit_block = row.fill_blanks and same_group and block == prev.block
    # a printed 1-2-2 under 1-2-1 is in 一级指标 1-2 by its code: a blank 一级指标 there is that one, even in a
    # table whose merges a conversion lost (LibreOffice's HTML → xlsx keeps some rowspans and drops others)
    in_printed_block = same_group and not code_inferred and code_depth(code) >= 3 and block == prev.block
    level1 = row_level1(v, state, prev, inherit_block or in_printed_block, inherited)
    basis = row_basis(v, prev, inherit_block, inherited)
    resp = row_responsibility(v, prev, row.fill_blanks and same_group, inherited)
    w.prev = _Prev(state.category, state.group, code, block, level1, basis, resp)
    return Indicator(
        seq=len(w.out) + 1, code=code, code_inferred=code_inferred, category=state.category,
        category_points=state.category_points.get(state.category or ""),
        group=state.group, group_points=state.group_points.get((state.category, state.group or "")),
        level1=level1[0] or None, level1_note=level1[1], level1_points=level1[2], item=v["item"],
        weight=parse_weight(v["weight"]), criteria=v["criteria"].strip() or None, deadline=v["deadline"] or None,
        **{name: [resp[name]] if squash(resp[name]) else [] for name in RESPONSIBILITY},
        basis=basis or None, extra=row_extra(row),
        source=Source(format=w.fmt, file=w.file, pages=row.pages, lines=row.lines, rows=row.rows, table=row.table,
                      inherited=sorted(inherited)),
    )


def _weight_unparsed(row: FieldRow, ind: Indicator) -> Issue:
    """A weight cell that prints something other than a figure ('5分/项', '酌情'): kept here with the row's
    cells, since no field holds it (the checks add missing_weight)."""
    text = row.values["weight"].strip()
    return Issue(severity="warning", kind="weight_unparsed", code=ind.code, page=row.page, line=row.line, row=row.row,
                 message=f"#{ind.seq}: weight {text!r} is not a figure", cells=row.cells)


def _missing_item(row: FieldRow, code: str | None) -> Issue:
    return Issue(severity="warning", kind="missing_item", code=code, page=row.page, line=row.line, row=row.row,
                 message="row has a weight but no item text", cells=row.cells)


def rows_to_indicators(rows: list[FieldRow], fmt: Format, file: str) -> tuple[list[Indicator], list[Issue]]:
    """Walk the placed rows in order: a heading sets its level, a body row becomes an indicator; notes and
    rows with neither item nor weight are left to the caller (they are accounted for there)."""
    parsed = [text_to_labels(r.project) if r.kind == "body" else [] for r in rows]
    known = _Known()
    for labels in parsed:
        known.learn(labels)
    w = _Walk(known, heading_fields(rows), fmt, file)
    for row, labels in zip(rows, parsed, strict=True):
        if row.kind == "heading":
            apply_heading(w.state, row, w.levels[(row.table, row.style or "span")])
            continue
        if row.kind != "body" or (ind := _row_to_indicator(w, row, labels)) is None:
            continue
        if not squash(ind.item):  # an unreadable weight is reported by the checks (missing_weight)
            w.issues.append(_missing_item(row, ind.code))
        if ind.weight is None and squash(row.values.get("weight", "")):
            w.issues.append(_weight_unparsed(row, ind))
        w.out.append(ind)
    return _set_level1_codes(_backfill_points(w.out)), w.issues


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
