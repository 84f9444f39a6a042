"""Printed ordinals before a label (一、 （一） 1. (1)): the level's number, never part of the name.

An ordinal's *style* says which level of a notice's outline it numbers (GB/T 9704 prints 一、 for the
first level, （一） for the second, 1. for the third, (1) for the fourth), so rows that print the same
style are the same level of the table's hierarchy.
"""

from __future__ import annotations

import re

from kaoping.normalize.textfold import squash

_CN = "一二三四五六七八九十百零〇"
#: style name → pattern of the ordinal at the start of a text (NFKC-folded: （一） reads as (一))
_STYLES = (
    ("cn", rf"[{_CN}]+\s*[、.]"),
    ("paren_cn", rf"\(\s*[{_CN}]+\s*\)"),
    ("num", r"\d+\s*[、.](?!\d)"),
    ("paren_num", r"\(\s*\d+\s*\)"),
)
_LEADING = re.compile("^\\s*(?:" + "|".join(f"(?P<{name}>{pat})" for name, pat in _STYLES) + ")\\s*")
#: the usual outline order of the styles, for ranking levels a table prints
STYLE_RANK = {name: k for k, (name, _) in enumerate(_STYLES)}


def _fold(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text or "")


def leading_ordinal(text: str) -> tuple[str | None, str | None, str]:
    """'（一）预算管理（14分）' → ('paren_cn', '一', '预算管理（14分）'); no ordinal → (None, None, text).

    The ordinal must be followed by a label: '1.' alone is a 序号, not a labelled heading."""
    folded = _fold(text)
    m = _LEADING.match(folded)
    if not m or not folded[m.end():].strip():
        return None, None, text
    style = m.lastgroup
    number = re.sub(r"[\s、.()]", "", m.group(style or ""))
    rest = text[m.end():] if len(folded) == len(text) else folded[m.end():]  # keep the printed brackets
    return style, number, rest.strip()


def ordinal_style(text: str) -> str | None:
    """The style of a cell that is only an ordinal ('（一）' → 'paren_cn', '1.' → 'num'); None otherwise."""
    s = squash(text)
    for name, pat in _STYLES:
        if s and re.fullmatch(pat, s):
            return name
    return None


def strip_ordinal(text: str) -> str:
    return leading_ordinal(text)[2]
