"""Invisible characters: zero-width marks, bidirectional controls, NUL and other control codes.

They print nothing, yet make 刘\u200b海祥 a different string from 刘海祥 (one person becomes two) and a NUL
cell a leader named "\\x00". This step, the first of the pipeline, removes them from every cell and
paragraph of the raw document, so every field after it is clean, and records what it removed as an
``invisible_chars`` finding with the cleaned text (the person is the same; the finding says why).
"""

from __future__ import annotations

import re
import unicodedata

from kaoping.schema.models import Issue
from kaoping.schema.raw import RawDocument

#: C0 controls but tab, line feed, vertical tab, form feed and carriage return (layout the readers use);
#: DEL and C1 controls; soft hyphen; Mongolian vowel separator; zero-width space/non-joiner/joiner and the
#: LRM/RLM marks; bidi embeddings and overrides; word joiner and invisible operators; bidi isolates and
#: deprecated format controls; the zero-width no-break space (a BOM inside text); interlinear annotation
INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                          "\u2066-\u206f\ufeff\ufff9-\ufffb]")
#: findings listed one by one up to this many; the rest are counted in one more (a hostile file may hold
#: millions, and the report must stay readable)
MAX_FINDINGS = 50


def char_names(found: list[str]) -> str:
    names = []
    for ch in dict.fromkeys(found):
        names.append(f"U+{ord(ch):04X} {unicodedata.name(ch, 'CONTROL')}")
    return ", ".join(names)


def raw_to_visible(raw: RawDocument) -> tuple[RawDocument, list[Issue]]:
    """The raw document without invisible characters, and one finding per cell or paragraph cleaned."""
    issues: list[Issue] = []
    hidden = 0

    def clean(text: str, where: str, **at: int | None) -> str:
        nonlocal hidden
        found = INVISIBLE_RE.findall(text)
        if not found:
            return text
        cleaned = INVISIBLE_RE.sub("", text)
        if len(issues) < MAX_FINDINGS:
            issues.append(Issue(severity="warning", kind="invisible_chars", cells=[cleaned[:200]],
                                message=f"{where}: removed {len(found)} invisible character(s) ({char_names(found)}); "
                                        f"read as {cleaned[:80]!r}", **at))
        else:
            hidden += 1
        return cleaned

    tables = []
    for table in raw.tables:
        cells = []
        for cell in table.cells:
            text = clean(cell.text, f"table {table.index + 1} row {cell.row + 1} column {cell.col + 1}",
                         page=cell.page, line=cell.line, row=cell.row)
            cells.append(cell if text is cell.text else cell.model_copy(update={"text": text}))
        tables.append(table.model_copy(update={"cells": cells}))
    paragraphs = []
    for p in raw.paragraphs:
        text = clean(p.text, f"paragraph {p.index + 1}", page=p.page, line=p.line)
        paragraphs.append(p if text is p.text else p.model_copy(update={"text": text}))
    if not issues:
        return raw, []
    if hidden:
        issues.append(Issue(severity="warning", kind="invisible_chars",
                            message=f"invisible characters removed from {hidden} more cells or paragraphs"))
    return raw.model_copy(update={"tables": tables, "paragraphs": paragraphs}), issues
