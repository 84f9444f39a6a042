"""Checks for a notice read by OCR: low-confidence cells, and names checked against the notice's roster.

Runs only when ``raw.source.ocr``. Each indicator's source rows lead back to the raw cells it was built
from (table, row span); each cell carries the recognition confidence of its weakest glyph.

- An indicator built from cells below :data:`LOW_CONFIDENCE` gets one ``ocr_low_confidence`` naming the
  fields built from them, with those cells.
- A name (分管领导, 责任人) or department (责任部门) from a low-confidence cell is looked up in the notice's
  own roster: the same kind of entry read with good confidence elsewhere in the notice, the leadership
  list in the body, and the alias file's canonical forms. If it is not there but exactly one roster
  entry of the same length differs from it in one character, OCR most likely confused a rare
  character: the roster form is used and ``ocr_name_corrected`` says so (the printed reading is kept in
  the message). Otherwise the entry stays as read and ``ocr_name_unverified`` asks for a look.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from kaoping.normalize.issues import issue_at
from kaoping.schema.models import Indicator, Issue
from kaoping.schema.raw import RawCell, RawDocument

#: a cell whose weakest glyph is below this is reported. Measured on 200 dpi scans of the sample: correctly
#: read short cells of common characters (weights, deadlines, most names) are ≥ 0.98; the rare-character
#: misreading 李昫 → 李响 comes at 0.65–0.93, wrong or dropped characters in long texts at 0.4–0.9
LOW_CONFIDENCE = 0.95
LIST_FIELDS = ("leaders", "departments", "owners")
TEXT_FIELDS = ("code", "category", "group", "level1", "level1_note", "item", "criteria", "deadline", "basis")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def indicator_cells(raw: RawDocument, ind: Indicator) -> list[RawCell]:
    """The raw cells whose rows cover the indicator's source rows (merged cells above included)."""
    tables = [t for t in raw.tables if t.index == ind.source.table]
    rows = set(ind.source.rows)
    if not tables or not rows:
        return []
    return [c for c in tables[0].cells if c.text and any(c.row <= r < c.row + c.rowspan for r in rows)]


def cell_fields(ind: Indicator, cell: RawCell) -> list[str]:
    """Fields of ``ind`` whose value was read from this cell (their text lies in the cell's, or the reverse)."""
    text = squash(cell.text)
    found = []
    for name in TEXT_FIELDS:
        value = squash(str(getattr(ind, name) or ""))
        if value and (value in text or (len(text) >= 2 and text in value)):
            found.append(name)
    tokens = cell.text.split()
    for name in LIST_FIELDS:
        values = set(getattr(ind, name))
        if tokens and sum(t in values for t in tokens) * 2 >= len(tokens):  # a list cell of these entries
            found.append(name)
    if ind.weight is not None and squash(cell.text).rstrip("分") in {f"{ind.weight:g}", str(ind.weight)}:
        found.append("weight")
    return found


def is_low(cell: RawCell) -> bool:
    return cell.confidence is not None and cell.confidence < LOW_CONFIDENCE


Roster = dict[str, Counter[str]]  # field (or "owners@<department>") -> entries read with good confidence
#                                    ("<field>*": every reading, whatever its confidence)


def pairing(ind: Indicator) -> str | None:
    """The department of a row that pairs exactly one department with one owner (the owner belongs to it)."""
    return ind.departments[0] if len(ind.departments) == 1 and len(ind.owners) == 1 else None


def build_roster(raw: RawDocument, indicators: list[Indicator], leadership: list[str],
                 aliases: dict[str, str]) -> Roster:
    """Per list field, the entries read with good confidence (and how often); owners also per department
    where a row pairs one department with one owner; plus the body's leadership names (as leaders and
    owners) and the alias file's canonical forms (in every field)."""
    roster: Roster = {name: Counter() for name in LIST_FIELDS}
    for name in LIST_FIELDS:
        roster[f"{name}*"] = Counter(v for ind in indicators for v in getattr(ind, name))
    for ind in indicators:
        good = [c for c in indicator_cells(raw, ind) if not is_low(c)]
        for name in LIST_FIELDS:
            for value in getattr(ind, name):
                if any(value in squash(c.text) for c in good):
                    roster[name][value] += 1
                    if name == "owners" and (dept := pairing(ind)) is not None:
                        roster.setdefault(f"owners@{dept}", Counter())[value] += 1
    for name in leadership:
        roster["leaders"][name] += 1
        roster["owners"][name] += 1
    for canonical in set(aliases.values()):
        for counter in roster.values():
            counter[canonical] += 1
    return roster


def one_apart(a: str, b: str) -> bool:
    return len(a) == len(b) >= 2 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def roster_form(value: str, known: Counter[str]) -> str | None:
    """The single roster entry one character away from ``value`` (same length, ≥ 2 characters), or None."""
    close = [k for k in known if one_apart(value, k)]
    return close[0] if len(close) == 1 else None


def check_entry(ind: Indicator, name: str, value: str, roster: Roster) -> tuple[str | None, str]:
    """(roster form to use or None, why). An owner on a row with one department is checked against the
    owners read under that department. A reading that names someone the notice has elsewhere is never
    replaced by a look-alike: OCR must not turn one real person into another, so that case is flagged."""
    dept = pairing(ind) if name == "owners" else None
    known = roster.get(f"owners@{dept}", Counter()) if dept else roster[name]
    if known[value]:
        return value, "known"
    close = sorted(k for k in known if one_apart(value, k))
    if roster[name][value]:
        near = f"; {' and '.join(repr(k) for k in close)} one character away there" if close else ""
        return None, f"read elsewhere in the notice, but not under {dept}{near}"
    better = roster_form(value, known) or (roster_form(value, roster[name]) if dept else None)
    if better is not None and roster[f"{name}*"][value] < roster[name][better]:
        return better, "corrected"  # a rare reading of a name the notice prints surely, and more often
    times = roster[f"{name}*"][value]
    seen = "found nowhere else in the notice" if times < 2 else f"read {times} times, never surely"
    if close:
        return None, f"{seen}; the notice surely has {' and '.join(repr(k) for k in close)} one character away"
    return None, seen


def review_names(ind: Indicator, cells: list[RawCell], roster: Roster) -> tuple[Indicator, list[Issue]]:
    """Names and departments read from low-confidence cells: corrected to the roster form, or flagged."""
    low = [c for c in cells if is_low(c)]
    issues: list[Issue] = []
    update: dict[str, list[str]] = {}
    for name in LIST_FIELDS:
        values = list(getattr(ind, name))
        for i, value in enumerate(values):
            source = [c for c in low if value and value in squash(c.text)]
            if not source:
                continue
            conf = min(c.confidence or 0.0 for c in source)
            form, why = check_entry(ind, name, value, roster)
            if why == "known":
                continue
            if form is not None:
                values[i] = form
                issue = issue_at(ind, "warning", "ocr_name_corrected",
                                 f"{name}: read {value!r} at confidence {conf:.2f}; the notice elsewhere has "
                                 f"{form!r} (one character apart), used that")
            else:
                issue = issue_at(ind, "warning", "ocr_name_unverified",
                                 f"{name}: {value!r} read at confidence {conf:.2f} and {why}; check it against "
                                 "the scan")
            issues.append(issue.model_copy(update={"cells": [c.text for c in source]}))
        if values != list(getattr(ind, name)):
            update[name] = values
    return (ind.model_copy(update=update) if update else ind), issues


def low_confidence_issue(ind: Indicator, cells: list[RawCell]) -> list[Issue]:
    """One finding per indicator: the fields built from cells below LOW_CONFIDENCE, with those cells."""
    low = [c for c in cells if is_low(c)]
    if not low:
        return []
    fields = list(dict.fromkeys(f for c in low for f in cell_fields(ind, c)))
    where = ", ".join(fields) if fields else "cells of this row"
    confs = ", ".join(f"{c.confidence:.2f}" for c in low)
    severity = "warning" if set(fields) & set(LIST_FIELDS) else "info"  # names matter most; long texts are
    issue = issue_at(ind, severity, "ocr_low_confidence",  # rarely read with every glyph sure
                     f"{where} built from {len(low)} cell(s) read by OCR at confidence {confs}: check against the scan")
    return [issue.model_copy(update={"page": low[0].page, "cells": [c.text for c in low]})]


def ocr_review(raw: RawDocument, indicators: list[Indicator], leadership: list[str],
               aliases: dict[str, str]) -> tuple[list[Indicator], list[Issue]]:
    if not raw.source.ocr:
        return indicators, []
    roster = build_roster(raw, indicators, leadership, aliases)
    out: list[Indicator] = []
    issues: list[Issue] = []
    for ind in indicators:
        cells = indicator_cells(raw, ind)
        issues += low_confidence_issue(ind, cells)
        reviewed, name_issues = review_names(ind, cells, roster)
        out.append(reviewed)
        issues += name_issues
    return out, issues


def step_ocr(d: Any) -> Any:
    """Pipeline step: confidence findings and roster checks for a scanned notice (no-op otherwise)."""
    leadership = [r.name for r in d.notice.leadership if r.name] if d.notice else []
    indicators, issues = ocr_review(d.raw, d.indicators, leadership, d.aliases)
    return replace(d, indicators=indicators, issues=[*d.issues, *issues])


__all__ = ["LOW_CONFIDENCE", "ocr_review", "step_ocr"]
