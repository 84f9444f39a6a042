"""Header synonyms (from data/headers.csv): which field a header label stands for.

A label only names a *leaf* field; whether a header cell is a parent heading over other columns
(目标内容 over 序号…二级指标, 责任分解 over the three responsibility columns) is decided by the grid in
:mod:`normalize.columns`, never by the label.
"""

from __future__ import annotations

from functools import cache

from kaoping.normalize.facts import data_rows
from kaoping.normalize.textfold import squash
from kaoping.schema.vocabulary import header_role, header_synonyms  # noqa: F401 - re-exported to the steps

#: the usual left-to-right order of the 泉国资办 layout: the order assumed when a header says too little
FIELD_ORDER = ("project", "code", "basis", "level1", "item", "weight", "deadline", "leaders", "departments", "owners")
#: every field a column can fill; ``extra`` (a column kept under its header) is the role of the rest
LEAF_ROLES = (*FIELD_ORDER, "group", "criteria")
EXTRA = "extra"
#: families of leaf fields printed under one parent heading, in their usual order (unknown labels under a
#: parent take the roles its family is missing)
FAMILIES = {"content": ("code", "basis", "level1", "item"), "responsibility": ("leaders", "departments", "owners")}


@cache
def total_words() -> dict[str, str]:
    return {r["word"]: r["kind"] for r in data_rows("totals.csv")}


def extra_role(header: str) -> str:
    """The role of a column kept under its printed header: 'extra:备注'."""
    return f"{EXTRA}:{header}"


def is_extra(role: str | None) -> bool:
    return bool(role) and (role == EXTRA or role.startswith(EXTRA + ":"))  # type: ignore[union-attr]


def looks_like_header_row(texts: list[str]) -> bool:
    """At least two non-empty cells are known header labels, and they are most of the row."""
    filled = [t for t in texts if squash(t)]
    if not filled:
        return False
    known = sum(1 for t in filled if header_role(t))
    return known >= 2 and known * 2 >= len(filled)


def unknown_header_labels(texts: list[str]) -> list[str]:
    return [t for t in texts if squash(t) and not header_role(t)]
