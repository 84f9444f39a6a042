"""Place a row's cells in fields: by header for true grids, by content for ragged text rows."""

from __future__ import annotations

import re

from normalize.headers import FIELD_ORDER
from normalize.rows import GridCell, TableRow
from normalize.textfold import fold_code, parse_number, squash

DEADLINE_RE = re.compile(r"(\d{1,2}月|年底|年末|季度|上半年|下半年|旬|日前|底前|长期|全年)")
TEXT_FIELDS = ("basis", "level1", "item")
RIGHT_FIELDS = ("deadline", "leaders", "departments", "owners")


def is_deadline(text: str) -> bool:
    s = squash(text)
    return bool(s) and len(s) <= 16 and bool(DEADLINE_RE.search(s))


def find_weight_index(texts: list[str]) -> int | None:
    """The weight cell: a bare number followed by a deadline (or, failing that, the last bare number)."""
    numbers = [i for i, t in enumerate(texts) if parse_number(t) is not None and fold_code(t) is None]
    for i in numbers:
        nxt = next((t for t in texts[i + 1:] if squash(t)), "")
        if is_deadline(nxt):
            return i
    return numbers[-1] if numbers else None


def ragged_row_to_fields(texts: list[str]) -> tuple[list[str], dict[str, str]]:
    """Content-based placement for a plain-text row whose merged cells were dropped or shifted.

    Anchor on the weight (a number followed by a deadline); to its right come deadline, leaders,
    departments, owners; to its left the 序号 (by pattern), project cells before it and the
    texts (文件依据, 一级指标, 二级指标) right-aligned after it.
    """
    values: dict[str, str] = {}
    w = find_weight_index(texts)
    if w is None:
        left, right = texts, []
    else:
        values["weight"] = texts[w]
        left, right = texts[:w], texts[w + 1:]
    for name, text in zip(RIGHT_FIELDS, right, strict=False):
        values[name] = text
    code_at = next((i for i, t in enumerate(left) if fold_code(t)), None)
    if code_at is not None:
        values["code"] = left[code_at]
        project, texts_part = left[:code_at], left[code_at + 1:]
    else:
        n_text = min(len(TEXT_FIELDS), max(len(left) - 1, 1)) if left else 0
        project, texts_part = left[: len(left) - n_text], left[len(left) - n_text:]
    extra = texts_part[: max(len(texts_part) - len(TEXT_FIELDS), 0)]
    texts_part = texts_part[len(extra):]
    for name, text in zip(TEXT_FIELDS[len(TEXT_FIELDS) - len(texts_part):], texts_part, strict=True):
        values[name] = text
    if extra:
        values["basis"] = "\n".join([*extra, values.get("basis", "")]).strip()
    return project, values


def header_rows_to_roles(header_rows: list[TableRow], cells: list[GridCell], roles_of: dict[str, str]) -> list[str | None]:
    """Column → field role, from the lowest header row whose cell over the column names a leaf field."""
    n = max(len(r.slots) for r in header_rows)
    roles: list[str | None] = [None] * n
    for c in range(n):
        for row in reversed(header_rows):
            slot = row.slots[c] if c < len(row.slots) else None
            if slot is None:
                continue
            role = roles_of.get(squash(cells[slot.cell].text))
            if role in FIELD_ORDER:
                roles[c] = role
                break
    return roles


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
