"""Ideographs a PDF's font maps to radical code points: 行 extracted as ⾏ (U+2F8F KANGXI RADICAL WALK).

Some PDF producers (Chromium's print, some Word exports) give a font a ToUnicode map that sends a glyph to
the Kangxi Radicals (U+2F00–U+2FDF) or CJK Radicals Supplement (U+2E80–U+2EFF) block instead of the
ideograph it draws: 行政能力目标 comes out as ⾏政能⼒⽬标, 黄华明 as ⻩华明, looks the same, and matches
nothing — no header, no category, no name. Each such character is read as the ideograph it stands for
(``data/radical_ideographs.csv``: Unicode's compatibility mapping for the Kangxi radicals, and the
supplement's radicals that a Chinese font draws with an ideograph's own glyph). A radical with no
ideograph of its own (⺮, the bamboo top) stays. One finding per document says how many, with examples.
"""

from __future__ import annotations

import re
from functools import cache

from kaoping.normalize.facts import data_rows
from kaoping.schema.models import Issue
from kaoping.schema.raw import RawDocument

RADICALS_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


@cache
def radical_table() -> dict[str, str]:
    return {r["radical"]: r["ideograph"] for r in data_rows("radical_ideographs.csv")}


def ideograph(ch: str) -> str:
    """The unified ideograph a radical code point stands for, or the character itself."""
    return radical_table().get(ch, ch)


def radicals_to_ideographs(text: str) -> str:
    return RADICALS_RE.sub(lambda m: ideograph(m.group()), text) if RADICALS_RE.search(text) else text


def raw_to_ideographs(raw: RawDocument) -> tuple[RawDocument, list[Issue]]:
    """The raw document with radical code points read as their ideographs, and one finding when any were."""
    found: dict[str, int] = {}

    def fix(text: str) -> str:
        fixed = radicals_to_ideographs(text)
        if fixed is not text:
            for a, b in zip(text, fixed, strict=True):
                if a != b:
                    found[a] = found.get(a, 0) + 1
        return fixed

    tables = [t.model_copy(update={"cells": [c if (x := fix(c.text)) is c.text else c.model_copy(update={"text": x})
                                             for c in t.cells]}) for t in raw.tables]
    paragraphs = [p if (x := fix(p.text)) is p.text else p.model_copy(update={"text": x}) for p in raw.paragraphs]
    if not found:
        return raw, []
    examples = ", ".join(f"{a}→{ideograph(a)}" for a in sorted(found, key=lambda a: -found[a])[:8])
    issue = Issue(severity="info", kind="radical_chars",
                  message=f"{sum(found.values())} characters were printed as radical code points and read as the "
                          f"ideographs they stand for ({examples}): the file's font maps them so")
    return raw.model_copy(update={"tables": tables, "paragraphs": paragraphs}), [issue]
