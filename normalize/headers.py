"""Header synonyms (from data/headers.csv): which column a header label stands for."""

from __future__ import annotations

import re
from functools import cache

from kaoping.normalize.facts import data_rows
from kaoping.normalize.textfold import squash

#: the leaf fields of an indicator row, in the usual left-to-right order of the table
FIELD_ORDER = ("project", "code", "basis", "level1", "item", "weight", "deadline", "leaders", "departments", "owners")
#: the leaf fields a parent heading (目标内容, 责任分解) stands over, in their usual order
PARENT_CHILDREN = {"content": ("code", "basis", "level1", "item"), "responsibility": ("leaders", "departments", "owners")}


@cache
def header_synonyms() -> dict[str, str]:
    """squashed synonym → role"""
    return {squash(r["synonym"]): r["role"] for r in data_rows("headers.csv")}


@cache
def total_words() -> dict[str, str]:
    return {r["word"]: r["kind"] for r in data_rows("totals.csv")}


_UNIT = re.compile(r"[（(][^（()）]{1,6}[)）]$")


def header_role(label: str) -> str | None:
    """'权 重' → weight; a trailing unit or remark in brackets is ignored: '权重（分）' → weight."""
    key = squash(label)
    return header_synonyms().get(key) or header_synonyms().get(_UNIT.sub("", key))


def looks_like_header_row(texts: list[str]) -> bool:
    """At least two non-empty cells are known header labels, and they are most of the row."""
    filled = [t for t in texts if squash(t)]
    if not filled:
        return False
    known = sum(1 for t in filled if header_role(t))
    return known >= 2 and known * 2 >= len(filled)


def unknown_header_labels(texts: list[str]) -> list[str]:
    return [t for t in texts if squash(t) and not header_role(t)]
