"""Place a row's cells in fields: by header for true grids, by content for ragged text rows."""

from __future__ import annotations

import re

from kaoping.normalize.facts import deadline_words
from kaoping.normalize.headers import FIELD_ORDER, PARENT_CHILDREN, header_role
from kaoping.normalize.rows import GridCell, TableRow
from kaoping.normalize.textfold import fold_code, parse_number, squash

DEADLINE_RE = re.compile(r"(\d{1,2}月|季度|旬|日前|底前|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})")
TEXT_FIELDS = ("basis", "level1", "item")


def is_deadline(text: str) -> bool:
    s = squash(text)
    return bool(s) and len(s) <= 16 and (bool(DEADLINE_RE.search(s)) or any(w in s for w in deadline_words()))


def find_weight_index(texts: list[str], deadline_after: bool = True) -> int | None:
    """The weight cell: a bare number next to a deadline (or, failing that, the last bare number)."""
    numbers = [i for i, t in enumerate(texts) if parse_number(t) is not None and fold_code(t) is None]
    for i in numbers:
        side = texts[i + 1:] if deadline_after else texts[:i][::-1]
        neighbour = next((t for t in side if squash(t)), "")
        if is_deadline(neighbour):
            return i
    return numbers[-1] if numbers else None


def ragged_row_to_fields(texts: list[str], order: tuple[str, ...] = FIELD_ORDER) -> tuple[list[str], dict[str, str]]:
    """Content-based placement for a plain-text row whose merged cells were dropped or shifted.

    The header gives the order of the fields; the content gives their positions. Anchor on the
    weight (a number next to a deadline); the fields the header puts right of 权重 follow it in
    order; to its left come the 序号 (found by pattern), project cells before it and the text
    fields right-aligned after it.
    """
    if "weight" not in order:
        order = FIELD_ORDER
    w_at = order.index("weight")
    right_roles = order[w_at + 1:]
    text_roles = [r for r in order[:w_at] if r not in ("project", "code")]
    values: dict[str, str] = {}
    w = find_weight_index(texts, deadline_after="deadline" in right_roles)
    if w is None:
        left, right = texts, []
    else:
        values["weight"] = texts[w]
        left, right = texts[:w], texts[w + 1:]
    for name, text in zip(right_roles, right, strict=False):
        values[name] = text
    code_at = next((i for i, t in enumerate(left) if fold_code(t)), None)
    if code_at is not None:
        values["code"] = left[code_at]
        project, texts_part = left[:code_at], left[code_at + 1:]
    else:
        n_text = min(len(text_roles), max(len(left) - 1, 1)) if left else 0
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
    return project, values


def infer_unknown_roles(roles: list[str | None], labels: list[str], parents: list[str | None]) -> list[str | None]:
    """Give unknown header labels a role: under a parent heading (目标内容, 责任分解) whose children are
    missing exactly as many roles as it has unknown columns, the columns take them in the usual order."""
    roles, parents = list(roles), list(parents)
    child_of = {child: parent for parent, children in PARENT_CHILDREN.items() for child in children}
    for c, role in enumerate(roles):  # no heading above: the family of the known neighbours decides
        if role is None and parents[c] is None and squash(labels[c]):
            near = {child_of.get(roles[k]) for k in (c - 1, c + 1) if 0 <= k < len(roles) and roles[k]} - {None}
            if len(near) == 1:
                parents[c] = near.pop()
    for parent, children in PARENT_CHILDREN.items():
        unknown = [c for c, r in enumerate(roles) if r is None and squash(labels[c]) and parents[c] == parent]
        missing = [r for r in children if r not in roles]
        if unknown and len(unknown) == len(missing):
            for c, role in zip(unknown, missing, strict=True):
                roles[c] = role
    return roles


def header_texts_to_roles(matrix: list[list[str]]) -> list[str | None]:
    """Header rows (top to bottom, one text per column) → the field role of each column.

    The lowest row naming a leaf field decides; a parent heading (目标内容, 责任分解) stands over the
    columns to its right up to the next heading, so an unknown label there can take the role the
    heading is missing (see :func:`infer_unknown_roles`)."""
    width = max(len(r) for r in matrix)
    roles: list[str | None] = [None] * width
    labels, parents = [""] * width, [None] * width
    for c in range(width):
        for row in reversed(matrix):
            text = row[c] if c < len(row) else ""
            role = header_role(text)
            if role in FIELD_ORDER:
                roles[c] = role
                break
            if squash(text) and not labels[c] and role is None:
                labels[c] = text
        for row in matrix:
            left = next((row[k] for k in range(min(c, len(row) - 1), -1, -1) if squash(row[k])), "")
            if header_role(left) in PARENT_CHILDREN:
                parents[c] = header_role(left)
                break
    return infer_unknown_roles(roles, labels, parents)


def header_rows_to_order(header_rows: list[TableRow]) -> tuple[str, ...]:
    """The order of the leaf fields as the header rows print them (ragged text: by cell position).

    Fields the header does not print are absent (a table without 一级指标); without 权重 or 二级指标
    the header says too little and the usual order is assumed.
    """
    roles = header_texts_to_roles([r.texts for r in header_rows])
    order = tuple(dict.fromkeys(r for r in roles if r is not None))
    return order if "weight" in order and "item" in order else FIELD_ORDER


def header_rows_to_roles(header_rows: list[TableRow], cells: list[GridCell]) -> list[str | None]:
    """Column → field role for a true grid: each column reads the header cell that covers it."""
    return header_texts_to_roles([[cells[s.cell].text if s else "" for s in r.slots] for r in header_rows])


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
        covered = {roles[k] for k in range(cell.col, min(cell.col + cell.colspan, len(roles)))}
        target = "item" if "item" in covered and role in TEXT_FIELDS else role
        if target == "project":
            project.append(cell.text)
            if not slot.origin and squash(cell.text):
                merged.add("project")
            continue
        values[target] = cell.text
        if not slot.origin and squash(cell.text):
            merged.add(target)
    return project, values, merged
