"""Year over year: match the indicators of two notices by content and list what changed.

Matching never trusts codes: a later notice drops a block and every later code shifts. Each pair of
(old, new) indicators gets a score from the characters of their texts (rapidfuzz's normalised Indel
similarity, so Chinese needs no word segmentation):

    similarity = 0.8 · sim(item) + 0.2 · sim(context)

where the context is the 一级指标 text, or the group for rows that have none (4-1 …). Pairs below
``threshold`` are excluded; among the rest one global assignment (scipy's ``linear_sum_assignment``)
maximises the total of similarity plus weak hints (+0.05 same group, +0.02 same code) that only break
near-ties between look-alike items. Indicators left without a pair become ``removed`` (old) and
``added`` (new) rather than a forced pair. ``similarity`` in a pair is the text score, hints excluded. A pair
whose code differs is ``renumbered``: its content ``changes`` may be empty, but it is a change an analyst sees
(diff.parquet has a ``code`` row for it, diff.html keeps it when unchanged rows are hidden).

Text fields are compared after NFKC and with whitespace removed, so a full-width comma or a line break
from another format is not a change. Lists (leaders, departments, owners, basis_refs) are compared in
order, because the first name is the lead. Targets are the ones each document carries (parsed once, by the
pipeline; the diff never parses text); they are paired by metric, then by unit in reading order; a ``targets``
change lists each metric whose comparator, value or unit moved.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from scipy.optimize import linear_sum_assignment

from kaoping.normalize.targets import amount_text
from kaoping.normalize.textfold import format_number, squash
from kaoping.schema.errors import InputError
from kaoping.schema.models import Indicator, NoticeDocument, Target

log = logging.getLogger(__name__)

FIELDS = ("item", "weight", "deadline", "leaders", "departments", "owners", "level1", "basis_refs", "targets")
TEXT_FIELDS = ("item", "deadline", "level1")
THRESHOLD = 0.5
ITEM_WEIGHT = 0.8
GROUP_HINT = 0.05
CODE_HINT = 0.02


def load_notice_document(path: Path) -> NoticeDocument:
    """Read an earlier ``notice.json`` output."""
    try:
        return NoticeDocument.model_validate_json(Path(path).read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", str(path)) from exc
    except ValidationError as exc:
        raise InputError(
            f"{path} is not a kaoping notice.json: {exc.error_count()} problem(s)", str(path)
        ) from exc


def text_key(text: str | None) -> str:
    """The form texts are compared in: NFKC, no whitespace."""
    return squash(text)


def _context(ind: Indicator) -> str:
    return text_key(ind.level1 or ind.group or ind.category)


def similarity_matrix(old: list[Indicator], new: list[Indicator]) -> np.ndarray:
    """Text similarity in [0, 1] of every (old, new) pair: 0.8 · item + 0.2 · context."""
    if not old or not new:
        return np.zeros((len(old), len(new)))
    item = cdist([text_key(i.item) for i in old], [text_key(i.item) for i in new], scorer=fuzz.ratio) / 100
    ctx = cdist([_context(i) for i in old], [_context(i) for i in new], scorer=fuzz.ratio) / 100
    return ITEM_WEIGHT * item + (1 - ITEM_WEIGHT) * ctx


def hint_matrix(old: list[Indicator], new: list[Indicator]) -> np.ndarray:
    """The weak hints: a small bonus for the same group and for the same code."""
    groups_old = np.array([text_key(i.group) for i in old], dtype=object).reshape(-1, 1)
    groups_new = np.array([text_key(i.group) for i in new], dtype=object).reshape(1, -1)
    codes_old = np.array([i.code or "" for i in old], dtype=object).reshape(-1, 1)
    codes_new = np.array([i.code or "" for i in new], dtype=object).reshape(1, -1)
    same_code = (codes_old == codes_new) & (codes_old != "")
    return GROUP_HINT * (groups_old == groups_new) + CODE_HINT * same_code


def match_indicators(
    old: list[Indicator], new: list[Indicator], threshold: float = THRESHOLD
) -> list[tuple[int, int, float]]:
    """(old index, new index, text similarity) of the best one-to-one matching above ``threshold``.

    Only pairs whose text similarity reaches the threshold may be chosen; the hints then help the
    assignment choose between look-alikes but never lift an unrelated pair over the threshold.
    """
    if not old or not new:
        return []
    sim = similarity_matrix(old, new)
    objective = np.where(sim >= threshold, sim + hint_matrix(old, new), 0.0)
    rows, cols = linear_sum_assignment(objective, maximize=True)
    pairs = [
        (int(r), int(c), float(sim[r, c])) for r, c in zip(rows, cols, strict=True) if objective[r, c] > 0
    ]
    return sorted(pairs, key=lambda p: p[1])


def target_to_dict(t: Target) -> dict[str, Any]:
    return {"metric": t.metric, "comparator": t.comparator, "value": t.value, "unit": t.unit, "raw": t.raw}


def _same_amount(a: Target, b: Target) -> bool:
    return (a.comparator, a.value, a.unit) == (b.comparator, b.value, b.unit)


def pair_targets(old: list[Target], new: list[Target]) -> list[tuple[Target | None, Target | None]]:
    """Pair targets by metric, then leftovers by unit in reading order; the rest stand alone."""
    left_old, left_new = list(old), list(new)
    pairs: list[tuple[Target | None, Target | None]] = []
    for key in (lambda t: (t.metric, t.unit), lambda t: t.metric, lambda t: t.unit):
        for o in list(left_old):
            match = next((n for n in left_new if key(n) == key(o) and key(o) is not None), None)
            if match is not None:
                pairs.append((o, match))
                left_old.remove(o)
                left_new.remove(match)
    pairs += [(o, None) for o in left_old] + [(None, n) for n in left_new]
    return pairs


def target_changes(old: list[Target], new: list[Target]) -> dict[str, Any] | None:
    """The ``targets`` change of a pair, or None if no metric moved."""
    moved = []
    for o, n in pair_targets(old, new):
        if o is not None and n is not None and _same_amount(o, n):
            continue
        metric = (n or o).metric if (n or o) else None  # type: ignore[union-attr]
        moved.append(
            {
                "metric": metric,
                "old": target_to_dict(o) if o else None,
                "new": target_to_dict(n) if n else None,
            }
        )
    if not moved:
        return None
    return {"old": [target_to_dict(t) for t in old], "new": [target_to_dict(t) for t in new], "moved": moved}


def indicator_changes(old: Indicator, new: Indicator) -> dict[str, dict[str, Any]]:
    """{field: {"old", "new"}} for every compared field that differs (never the code)."""
    changes: dict[str, dict[str, Any]] = {}
    for field in FIELDS:
        if field == "targets":
            moved = target_changes(old.targets, new.targets)
            if moved:
                changes["targets"] = moved
            continue
        a, b = getattr(old, field), getattr(new, field)
        same = text_key(a) == text_key(b) if field in TEXT_FIELDS else a == b
        if not same:
            changes[field] = {"old": a, "new": b}
    return changes


def _entry(ind: Indicator) -> dict[str, Any]:
    return {"code": ind.code, "seq": ind.seq, "item": ind.item}


def diff_documents(old: NoticeDocument, new: NoticeDocument, threshold: float = THRESHOLD) -> dict[str, Any]:
    """The diff.json structure: pairs (with changes), added, removed and a summary of counts."""
    olds, news = old.indicators, new.indicators
    matched = match_indicators(olds, news, threshold)
    pairs = []
    for i, j, sim in matched:
        o, n = olds[i], news[j]
        pairs.append(
            {
                "old_code": o.code,
                "new_code": n.code,
                "old_seq": o.seq,
                "new_seq": n.seq,
                "old_item": o.item,
                "new_item": n.item,
                "similarity": round(sim, 3),
                "renumbered": o.code != n.code,
                "changes": indicator_changes(o, n),
            }
        )
    paired_old = {i for i, _, _ in matched}
    paired_new = {j for _, j, _ in matched}
    added = [_entry(n) for j, n in enumerate(news) if j not in paired_new]
    removed = [_entry(o) for i, o in enumerate(olds) if i not in paired_old]
    by_field = Counter(field for p in pairs for field in p["changes"])
    summary = {
        "old_indicators": len(olds),
        "new_indicators": len(news),
        "pairs": len(pairs),
        "changed": sum(1 for p in pairs if p["changes"]),
        "unchanged": sum(1 for p in pairs if not p["changes"] and not p["renumbered"]),
        "renumbered": sum(1 for p in pairs if p["renumbered"]),
        "added": len(added),
        "removed": len(removed),
        "changes_by_field": {f: by_field[f] for f in FIELDS if by_field[f]},
        "old_year": old.notice.year,
        "new_year": new.notice.year,
    }
    log.debug("diff: %s", summary)
    return {"summary": summary, "pairs": pairs, "added": added, "removed": removed}


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def target_text(t: dict[str, Any] | None) -> str | None:
    """≥300个, ≥10亿元 — a target as one short string, its amount as a notice prints it."""
    if t is None:
        return None
    sign = {">=": "≥", "<=": "≤", "=": ""}[t["comparator"]]
    return f"{sign}{amount_text(t['value'], t['unit'])}"


def diff_to_rows(diff: dict[str, Any]) -> list[dict[str, Any]]:
    """diff.parquet: one row per change (one per moved metric for targets; a ``code`` row per renumbering;
    added/removed rows too)."""
    rows: list[dict[str, Any]] = []

    def row(p: dict[str, Any], field: str, old: Any, new: Any, metric: str | None = None) -> None:
        rows.append(
            {
                "old_code": p.get("old_code"),
                "new_code": p.get("new_code"),
                "old_seq": p.get("old_seq"),
                "new_seq": p.get("new_seq"),
                "field": field,
                "metric": metric,
                "old": old,
                "new": new,
            }
        )

    for p in diff["pairs"]:
        if p.get("renumbered", p.get("old_code") != p.get("new_code")):
            row(p, "code", p.get("old_code"), p.get("new_code"))
        for field, change in p["changes"].items():
            if field == "targets":
                for m in change["moved"]:
                    row(p, field, target_text(m["old"]), target_text(m["new"]), m["metric"])
            else:
                row(p, field, _as_text(change["old"]), _as_text(change["new"]))
    for a in diff["added"]:
        row({"new_code": a["code"], "new_seq": a.get("seq")}, "added", None, a["item"])
    for r in diff["removed"]:
        row({"old_code": r["code"], "old_seq": r.get("seq")}, "removed", r["item"], None)
    return rows
