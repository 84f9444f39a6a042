"""The header vocabulary: printed 考评表 column labels → the contract field each fills (``data/headers.csv``).

It sits with the contract because it names contract fields, and because readers need it too: a sheet, a
tab-less text export or a borderless PDF is located by its header words before normalize maps its columns.
One file, one reader, for both layers.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from importlib import resources

_WS = re.compile(r"\s+")
#: '权重（分）': a short bracketed unit or remark after a label does not change what the label is
_UNIT = re.compile(r"[（(][^（()）]{1,6}[)）]$")


def header_key(text: str | None) -> str:
    """A label as it is matched: NFKC-folded, every whitespace removed ('权 重' → '权重')."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


@cache
def header_synonyms() -> dict[str, str]:
    """header key → role (field name, or a parent/extra role)."""
    text = resources.files("kaoping.schema").joinpath("data", "headers.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {header_key(r["synonym"]): r["role"] for r in rows}


def header_role(label: str | None) -> str | None:
    """'权 重' → weight; '权重（分）' → weight; None for a label the vocabulary does not know."""
    key = header_key(label)
    return header_synonyms().get(key) or header_synonyms().get(_UNIT.sub("", key))


#: the fields indicator levels fill, deepest level first
LEVEL_FIELDS = ("item", "level1", "group", "category")


@cache
def level_depths() -> dict[str, int]:
    """header key → depth of the indicator level it names (``data/levels.csv``: 一级指标 1, 三级指标 3)."""
    text = resources.files("kaoping.schema").joinpath("data", "levels.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {header_key(r["synonym"]): int(r["depth"]) for r in rows}


def level_depth(label: str | None) -> int | None:
    key = header_key(label)
    return level_depths().get(key) or level_depths().get(_UNIT.sub("", key))


def roles_by_level(labels: Sequence[str | None], roles: Sequence[str | None]) -> list[str | None]:
    """Columns labelled by indicator levels (一级指标 | 二级指标 | 三级指标) fill the fields by depth: the
    deepest level printed is the item, the one above it the level-1, then the group, then the category
    (:data:`LEVEL_FIELDS`), each skipping a field another column's label claims (beside a 考核内容 column,
    the item, the levels are its parents). A level beyond the fields gets None (the column is kept as extra).
    Fewer than two levels printed: the roles as they are (一级指标 alone is the level-1)."""
    depths = {c: d for c, label in enumerate(labels) if (d := level_depth(label))}
    if len(set(depths.values())) < 2:
        return list(roles)
    claimed = {r for c, r in enumerate(roles) if c not in depths and r}
    if "project" in claimed:  # a 类别/项目 column is the category: the levels are below it
        claimed.add("category")
    free = [f for f in LEVEL_FIELDS if f not in claimed]
    field_of = dict(zip(sorted(set(depths.values()), reverse=True), free, strict=False))
    out = [field_of.get(depths[c]) if c in depths else r for c, r in enumerate(roles)]
    if "group" in field_of.values() and out.count("project") == 1:
        out[out.index("project")] = "category"  # one 类别 column above levels down to a group: the category
    return out


def level_roles(labels: Sequence[str | None], roles: Sequence[str | None]) -> list[str | None]:
    """:func:`roles_by_level`, then :func:`points_beside_levels`: the roles of a header's columns."""
    return points_beside_levels(roles_by_level(labels, roles))


#: the levels whose points a weight column printed beside them holds (一级指标 | 分值 | 二级指标 | 分值 | …)
POINTED_LEVELS = ("project", "category", "group", "level1")
POINTS = "points:"


def points_beside_levels(roles: Sequence[str | None]) -> list[str | None]:
    """A table printing several weight columns (分值) gives each level its own: every weight column but the
    last that follows a level column (category, group, level-1; blank columns between skipped) holds that
    level's points (``points:group``); the last is the item's weight. One weight column: as it is."""
    weights = [c for c, r in enumerate(roles) if r == "weight"]
    out = list(roles)
    for c in weights[:-1]:
        left = next((r for r in reversed(roles[:c]) if r), None)
        if left in POINTED_LEVELS:
            out[c] = POINTS + left
    return out
