"""Place a row's cells in fields: by header for true grids, by content for ragged text rows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kaoping.normalize.facts import deadline_words
from kaoping.normalize.headers import (
    EXTRA,
    FAMILIES,
    FIELD_ORDER,
    LEAF_ROLES,
    extra_role,
    header_role,
    is_extra,
)
from kaoping.normalize.rows import GridCell, TableRow
from kaoping.normalize.textfold import fold_code, parse_number, parse_weight, squash
from kaoping.schema.vocabulary import POINTS, level_roles

DEADLINE_RE = re.compile(r"(\d{1,2}月|季度|旬|日前|底前|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})")
TEXT_FIELDS = ("basis", "level1", "item")


def is_deadline(text: str) -> bool:
    s = squash(text)
    return bool(s) and len(s) <= 16 and (bool(DEADLINE_RE.search(s)) or any(w in s for w in deadline_words()))


def find_weight_index(texts: list[str], deadline_after: bool = True, code_first: bool = False) -> int | None:
    """The weight cell: a bare number next to a deadline (or, failing that, the last bare number); in a row
    with no bare number, the same among shares (a table weighting its items 15%, 10% …) — a share beside a bare
    number is a target value, not the weight."""
    first = 1 if code_first else 0  # a header beginning with 序号: a bare number first is the code ('1')
    numbers = [i for i, t in enumerate(texts) if i >= first and parse_number(t) is not None and fold_code(t) is None]
    numbers = numbers or [i for i, t in enumerate(texts)
                          if i >= first and parse_weight(t) is not None and fold_code(t) is None]
    for i in numbers:
        side = texts[i + 1:] if deadline_after else texts[:i][::-1]
        neighbour = next((t for t in side if squash(t)), "")
        if is_deadline(neighbour):
            return i
    return numbers[-1] if numbers else None


def pointed_row_in_place(texts: list[str], order: tuple[str, ...]) -> bool:
    """A text-export row of a table printing its levels' points (分值 beside each level) with one cell per
    header column: every cell is where its column is — anchoring on a figure would take a level's points
    for the weight when the item's weight prints no figure (5分/项) or none."""
    return len(texts) == len(order) and any(r.startswith(POINTS) for r in order)


def cells_in_place(texts: list[str], order: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    values = dict(zip(order, texts, strict=True))
    project = [values.pop("project")] if "project" in values else []
    for role in [r for r in order if r.startswith(POINTS)]:
        fold_points(role[len(POINTS):], values.pop(role), project, values)
    return project, values


def ragged_row_to_fields(texts: list[str], order: tuple[str, ...] = FIELD_ORDER) -> tuple[list[str], dict[str, str]]:
    """Content-based placement for a plain-text row whose merged cells were dropped or shifted.

    The header gives the order of the fields; the content gives their positions. Anchor on the
    weight (a number next to a deadline); the fields the header puts right of 权重 follow it in
    order; to its left come the 序号 (found by pattern), project cells before it and the text
    fields right-aligned after it.
    """
    if "weight" not in order:
        order = FIELD_ORDER
    if pointed_row_in_place(texts, order):
        return cells_in_place(texts, order)
    w_at = order.index("weight")
    right_roles = order[w_at + 1:]
    text_roles = [r for r in order[:w_at] if r not in ("project", "code")]
    values: dict[str, str] = {}
    w = find_weight_index(texts, deadline_after="deadline" in right_roles, code_first=order[0] == "code")
    if w is None:
        left, right = texts, []
    else:
        values["weight"] = texts[w]
        left, right = texts[:w], texts[w + 1:]
    for name, text in zip(right_roles, right, strict=False):
        values[name] = text
    # a header printing its levels' points (分值 beside 一级指标) and no 序号: a bare number there is points
    pointed = "code" not in order and any(r.startswith(POINTS) for r in order)
    code_at = None if pointed else next((i for i, t in enumerate(left) if fold_code(t)), None)
    if code_at is None and order[0] == "code" and left and squash(left[0]).isdigit():
        code_at = 0  # a 序号 printed as a bare number ('1') in the first column is the code, not a weight
    if code_at is not None:
        values["code"] = left[code_at]
        project, texts_part = left[:code_at], left[code_at + 1:]
    else:
        # a header without a project column (项目) puts text fields in every cell left of the weight
        keep_project = 1 if "project" in order else 0
        n_text = min(len(text_roles), max(len(left) - keep_project, 1)) if left else 0
        project, texts_part = left[: len(left) - n_text], left[len(left) - n_text:]
        while project and not squash(project[-1]):  # without a 序号 to anchor on, a trailing blank
            project = project[:-1]  # may be the 序号 cell itself: it says nothing about the hierarchy
    extra = texts_part[: max(len(texts_part) - len(text_roles), 0)]
    texts_part = texts_part[len(extra):]
    for name, text in zip(text_roles[len(text_roles) - len(texts_part):], texts_part, strict=True):
        values[name] = text
    if extra and text_roles:
        first = text_roles[len(text_roles) - len(texts_part)] if texts_part else text_roles[0]
        values[first] = "\n".join([*extra, values.get(first, "")]).strip()
    for role in [r for r in order if r.startswith(POINTS) and r in values]:
        fold_points(role[len(POINTS):], values.pop(role), project, values)
    return project, values


@dataclass(frozen=True)
class HeaderSlot:
    """One header row's view of one column: the label printed there, and the header cell covering it (a
    grid cell's span; in a text export the nearest label to the left, since merged slots print blank)."""

    text: str
    owner: tuple[int, int] | None = None
    owner_text: str = ""


@dataclass(frozen=True)
class HeaderColumn:
    label: str  # the leaf label (the lowest header row printing one), '' when none
    parent: tuple[int, int] | None  # the header cell above the leaf that spans it, if any
    header: str  # as printed: 'parent / leaf' or 'leaf'


def slots_to_column(matrix: list[list[HeaderSlot]], c: int) -> HeaderColumn:
    """The lowest header row printing a label in column ``c`` names it; a header cell above that spans the
    column (a different cell) is its parent — parenthood comes from the grid, not from the wording."""
    for r in range(len(matrix) - 1, -1, -1):
        slot = matrix[r][c] if c < len(matrix[r]) else HeaderSlot("")
        if not squash(slot.text):
            continue
        above = matrix[r - 1][c] if r > 0 and c < len(matrix[r - 1]) else HeaderSlot("")
        if squash(above.owner_text) and above.owner != slot.owner:
            return HeaderColumn(slot.text, above.owner, f"{squash(above.owner_text)} / {squash(slot.text)}")
        return HeaderColumn(slot.text, None, squash(slot.text))
    return HeaderColumn("", None, "")


def column_to_role(col: HeaderColumn) -> str | None:
    role = header_role(col.label) if squash(col.label) else None
    if role == EXTRA:
        return extra_role(col.header)
    return role if role in LEAF_ROLES else None


def _family_of(roles: list[str | None]) -> str | None:
    """The one family the known roles belong to (None when none or several)."""
    found = {f for f, members in FAMILIES.items() for r in roles if r in members}
    return found.pop() if len(found) == 1 else None


def columns_to_families(cols: list[HeaderColumn], roles: list[str | None]) -> list[str | None]:
    """Which family each unknown column belongs to: that of its siblings under the same parent heading,
    else that of its known neighbours."""
    out: list[str | None] = [None] * len(cols)
    for c, col in enumerate(cols):
        if roles[c] is not None or not squash(col.label):
            continue
        if col.parent is not None:
            out[c] = _family_of([roles[k] for k, o in enumerate(cols) if o.parent == col.parent])
        if out[c] is None:  # no parent, or one that says nothing (a text export's blank-extended label)
            out[c] = _family_of([roles[k] for k in (c - 1, c + 1) if 0 <= k < len(roles)])
    return out


def infer_unknown_roles(roles: list[str | None], families: list[str | None]) -> list[str | None]:
    """Unknown labels of a family take the roles the family is missing, in the usual order, when exactly
    as many are missing as there are unknown columns."""
    roles = list(roles)
    for family, children in FAMILIES.items():
        unknown = [c for c, f in enumerate(families) if f == family and roles[c] is None]
        missing = [r for r in children if r not in roles]
        if unknown and len(unknown) == len(missing):
            for c, role in zip(unknown, missing, strict=True):
                roles[c] = role
    return roles


def header_slots_to_roles(matrix: list[list[HeaderSlot]]) -> list[str | None]:
    """Header rows (top to bottom) → each column's role: a leaf field, ``extra:<header>`` for a printed
    column with no field, None for a column no header row labels."""
    width = max((len(r) for r in matrix), default=0)
    cols = [slots_to_column(matrix, c) for c in range(width)]
    roles = level_roles([col.label for col in cols], [column_to_role(col) for col in cols])
    roles = infer_unknown_roles(roles, columns_to_families(cols, roles))
    return [role if role is not None or not col.header else extra_role(col.header) for role, col in zip(roles, cols,
                                                                                                       strict=True)]


def ragged_header_slots(texts: list[str], r: int) -> list[HeaderSlot]:
    """A text-export header row: a blank slot belongs to the nearest label on its left (a merged cell)."""
    out, owner, owner_text = [], None, ""
    for c, t in enumerate(texts):
        if squash(t):
            owner, owner_text = (r, c), t
        out.append(HeaderSlot(t, owner, owner_text))
    return out


def header_texts_to_roles(matrix: list[list[str]]) -> list[str | None]:
    return header_slots_to_roles([ragged_header_slots(row, r) for r, row in enumerate(matrix)])


def header_rows_to_order(header_rows: list[TableRow]) -> tuple[str, ...]:
    """The order of the columns as the header rows print them (ragged text: by cell position).

    Fields the header does not print are absent (a table without 一级指标); without 权重 or an item column
    the header says too little and the usual order is assumed.
    """
    roles = header_texts_to_roles([r.texts for r in header_rows])
    order = tuple(dict.fromkeys(r for r in roles if r is not None))
    return order if "weight" in order and "item" in order else FIELD_ORDER


def header_rows_to_roles(header_rows: list[TableRow], cells: list[GridCell]) -> list[str | None]:
    """Column → role for a true grid: each column reads the header cells that cover it."""
    matrix = [[HeaderSlot(cells[s.cell].text, (s.cell, 0), cells[s.cell].text) if s else HeaderSlot("")
               for s in r.slots] for r in header_rows]
    return header_slots_to_roles(matrix)


def roles_to_printed(roles: list[str | None], headers: list[str]) -> list[tuple[str, str]]:
    """(field, header as printed) of each column that fills a field, left to right: 项目 columns are the
    category, then the group; a level's own 分值 is its points (``group_points``); extra columns are left
    out (their header is with their text)."""
    out: list[tuple[str, str]] = []
    projects = iter(("category", "group"))
    for role, header in zip(roles, headers, strict=False):
        if role is None or is_extra(role) or not squash(header):
            continue
        name: str | None = role
        if role == "project":
            name = next(projects, None)
        elif role.startswith(POINTS):
            level = role[len(POINTS):]
            name = f"{'category' if level == 'project' else level}_points"
        if name is not None:
            out.append((name, squash(header) if " / " not in header else header))
    return out


def header_rows_to_printed(header_rows: list[TableRow], cells: list[GridCell], ragged: bool) -> list[tuple[str, str]]:
    """:func:`roles_to_printed` of a header block (a text export's by its ragged cells)."""
    if ragged:
        matrix = [ragged_header_slots(r.texts, k) for k, r in enumerate(header_rows)]
    else:
        matrix = [[HeaderSlot(cells[s.cell].text, (s.cell, 0), cells[s.cell].text) if s else HeaderSlot("")
                   for s in r.slots] for r in header_rows]
    width = max((len(r) for r in matrix), default=0)
    return roles_to_printed(header_slots_to_roles(matrix), [slots_to_column(matrix, c).header for c in range(width)])


def covered_roles(cell: GridCell, roles: list[str | None]) -> list[str | None]:
    return [roles[k] for k in range(cell.col, min(cell.col + cell.colspan, len(roles)))]


def repeated_end(row: TableRow, cells: list[GridCell], roles: list[str | None], cell: GridCell) -> int:
    """One past the last column of ``cell`` and of the cells right of it in the 目标内容 text fields that print
    its text again: a cell spanning 文件依据..二级指标 saved unmerged (a flat sheet, then printed) is one cell."""
    key, end = squash(cell.text), cell.col + cell.colspan
    while key and end < min(len(row.slots), len(roles)) and roles[end] in TEXT_FIELDS:
        slot = row.slots[end]
        nxt = cells[slot.cell] if slot is not None else None
        if nxt is None or nxt is cell or squash(nxt.text) != key:
            break
        end = nxt.col + nxt.colspan
    return end


POINTS_PRINTED = re.compile(r"\d\s*分")


def fold_points(level: str, text: str, project: list[str], values: dict[str, str]) -> None:
    """A level's points printed in a column of their own (一级指标 | 分值) join its label as the label would print
    them ('投入' + '20' → '投入（20分）'), so that one rule reads points however they are printed. A label that
    prints points already, or a points cell that is no number, keeps the cell as ``extra:分值``."""
    number = parse_weight(text)
    label = (project[-1] if project else "") if level == "project" else values.get(level, "")
    if not squash(text):
        return
    if number is None or not squash(label) or POINTS_PRINTED.search(label):
        values[extra_role("分值")] = "\n".join(t for t in (values.get(extra_role("分值")), text.strip()) if t)
        return
    joined = f"{label.strip()}（{number:g}分）"
    if level == "project":
        project[-1] = joined
    else:
        values[level] = joined


def grid_row_to_fields(
    row: TableRow, cells: list[GridCell], roles: list[str | None]
) -> tuple[list[str], dict[str, str], set[str]]:
    """Header-based placement for a true grid. A cell spanning the 二级指标 column is the item."""
    project: list[str] = []
    values: dict[str, str] = {}
    merged: set[str] = set()
    seen: set[int] = set()
    for c, slot in enumerate(row.slots):
        role = roles[c] if c < len(roles) else None
        if slot is None or role is None or slot.cell in seen:
            continue
        seen.add(slot.cell)
        cell = cells[slot.cell]
        end = repeated_end(row, cells, roles, cell) if role in TEXT_FIELDS else cell.col + cell.colspan
        seen.update(s.cell for s in row.slots[cell.col + cell.colspan:end] if s is not None)  # the repeats only
        covered = {roles[k] for k in range(cell.col, min(end, len(roles)))}
        target = "item" if "item" in covered and role in TEXT_FIELDS else role
        if target.startswith(POINTS):
            fold_points(target[len(POINTS):], cell.text, project, values)
            continue
        if target == "project":
            first = len(project)
            project.append(cell.text)  # a cell spanning every project column is the top level: it holds
            project += [""] * (sum(1 for r in covered_roles(cell, roles) if r == "project") - 1)  # them all
            if not slot.origin and squash(cell.text):  # continued from above: which project columns
                merged |= {"project", *(f"project:{k}" for k in range(first, len(project)))}
            continue
        values[target] = cell.text
        if not slot.origin and squash(cell.text):
            merged.add(target)
    return project, values, merged
