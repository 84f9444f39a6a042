"""Note lines of a 考评表 (注：… inside the table, or the lines right under it) → ``table_note`` issues.

A note is kept as an info :class:`Issue` of kind ``table_note`` — its text in ``message``, the raw
cells in ``cells``, where it was printed in page/line/row — and, when it names an indicator by its
code (``注：4-2项由办公室牵头``; ``第5项``), that indicator's code in ``code``. Never a record, never
merged into one: a note says something *about* rows, it is not one.
"""

from __future__ import annotations

import re

from kaoping.normalize.rowkinds import Filled, note_text
from kaoping.normalize.rows import FieldRow
from kaoping.schema.models import Indicator, Issue
from kaoping.schema.raw import RawDocument

_DASHED = re.compile(r"(?<![\d-])\d+(?:-\d+)+(?![\d-])")
_NTH = re.compile(r"第\s*(\d+)\s*项")


def table_paragraph_notes(raw: RawDocument) -> list[FieldRow]:
    """The note paragraphs printed right under each table (before any other paragraph)."""
    out: list[FieldRow] = []
    starts = sorted(t.paragraphs_before for t in raw.tables)
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(raw.paragraphs)
        for p in raw.paragraphs[start:end]:
            if note_text([Filled(p.text, 0)]) is None:
                break
            out.append(FieldRow(table=-1, row=-1, project=[], values={}, merged=set(), cells=[p.text], page=p.page,
                                line=p.line, kind="note", text=p.text.strip()))
    return out


def note_to_code(text: str, codes: set[str]) -> str | None:
    """The first indicator code the note names: a dashed code (4-2) or 第N项 when N is a printed code."""
    for m in _DASHED.finditer(text):
        if m.group(0) in codes:
            return m.group(0)
    for m in _NTH.finditer(text):
        if m.group(1) in codes:
            return m.group(1)
    return None


def notes_to_issues(notes: list[FieldRow], indicators: list[Indicator]) -> list[Issue]:
    codes = {i.code for i in indicators if i.code}
    return [Issue(severity="info", kind="table_note", message=n.text, code=note_to_code(n.text, codes),
                  page=n.page, line=n.line, row=n.row if n.row >= 0 else None, cells=n.cells) for n in notes]
