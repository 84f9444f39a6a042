"""Text folding: the whitespace a plain-text export or a PDF wrap leaves inside Chinese words."""

from __future__ import annotations

import re
import unicodedata

# CJK ideographs, CJK symbols/punctuation, full-width forms, general punctuation used in Chinese text.
_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2026\u00b7"
_CJK_CLASS = f"[{_CJK}]"
_WS = re.compile(r"\s+")
_SPACE_BETWEEN = re.compile(rf"(?<={_CJK_CLASS})\s+(?={_CJK_CLASS})|(?<={_CJK_CLASS})\s+(?=[0-9])|(?<=[0-9])\s+(?={_CJK_CLASS})")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "－": "-", "―": "-"})
CODE_RE = re.compile(r"^\d+(?:-\d+)+$")
_NUMERALS = "一二三四五六七八九十百"
ORDINAL_RE = re.compile(rf"^(?:[(（](?:\d+|[{_NUMERALS}]+)[)）]|(?:\d+|[{_NUMERALS}]+)[、.]|[{_NUMERALS}]+)$")
NUMBER_RE = re.compile(r"^\d+(?:\.\d+)?$")


def is_cjk(ch: str) -> bool:
    return bool(re.match(_CJK_CLASS, ch))


def fold_text(text: str | None) -> str:
    """Remove whitespace between CJK characters and between CJK and digits; collapse the rest to one space."""
    if not text:
        return ""
    text = _WS.sub(" ", text.replace("\u3000", " ")).strip()
    return _SPACE_BETWEEN.sub("", text)


def squash(text: str | None) -> str:
    """All whitespace removed and NFKC-folded: for matching labels, never for output."""
    if not text:
        return ""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def fold_code(text: str | None) -> str | None:
    """A 序号: '1-10-\\n1' or '１－１０－１' → '1-10-1'; printed ordinals '一、' → '一', '（1）' → '(1)',
    '3.' → '3'. None when the text is not a 序号 (a bare number is a weight, not a code)."""
    s = squash(text).translate(_DASHES)
    if CODE_RE.match(s):
        return s
    if ORDINAL_RE.match(s):
        return s.rstrip("、.").replace("（", "(").replace("）", ")")
    return None


def code_depth(code: str | None) -> int:
    """Levels of a dashed code ('1-3-1' → 3); 0 for printed ordinals, which say nothing of the hierarchy."""
    return code.count("-") + 1 if code and CODE_RE.match(code) else 0


def format_number(value: float) -> str:
    """4.0 → '4', 1.5 → '1.5': a weight or points as printed."""
    rounded = round(value, 6)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


#: a figure as a weight or points cell prints it: 5, 5分, （5分）, 10% (a weight given as a share of the whole)
FIGURE_RE = re.compile(r"^[（(]?(\d+(?:\.\d+)?)\s*(?:分|%|％)?[）)]?$")


def parse_number(text: str | None) -> float | None:
    """'5' / '5分' → the figure: what anchors a row's weight by content (a 100% target value is no weight)."""
    s = squash(text)
    if s.endswith("分"):
        s = s[:-1]
    return float(s) if NUMBER_RE.match(s) else None


def parse_weight(text: str | None) -> float | None:
    """A cell the header says is a weight, points or a total: '5' / '5分' / '（5分）' / '10%' → the figure; None
    for anything else ('5分/项', '约5')."""
    s = squash(text)
    m = FIGURE_RE.match(s)
    if m is None or (s[0] in "（(") != (s[-1] in "）)"):
        return None
    return float(m.group(1))
