"""The header vocabulary: printed 考评表 column labels → the contract field each fills (``data/headers.csv``).

It sits with the contract because it names contract fields, and because readers need it too: a sheet, a
tab-less text export or a borderless PDF is located by its header words before normalize maps its columns.
One file, one reader, for both layers.
"""

from __future__ import annotations

import csv
import re
import unicodedata
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
