"""Project labels and level-1 cells: the text, the points printed with it, and the 属… note.

- project cells hold one or two labels, each maybe with points: "职能工作目标（75分） 重点工作目标";
  an ordinal printed before a label (一、 （一）) is its number, not its name.
- "text（属…）4分" splits into level-1 text, note and points.
"""

from __future__ import annotations

import re

from kaoping.normalize.facts import data_rows
from kaoping.normalize.ordinals import strip_ordinal
from kaoping.normalize.textfold import fold_text

# points in brackets (the closing one may be missing at the end of the text: a scan's OCR drops a small ）), or bare
_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*(?:[）)]|$)|(?<![\d.])(\d+(?:\.\d+)?)\s*分")
_POINTS_TAIL = re.compile(r"(?:[（(【]?\s*(\d+(?:\.\d+)?)\s*分\s*[）)】]?|分值\s*[:：]?\s*(\d+(?:\.\d+)?)\s*分?)\s*$")
_OPENERS, _CLOSERS = "（(【[", "）)】]"
_NOTE_OPEN = re.compile(
    "[" + re.escape(_OPENERS) + "]\\s*(?:" + "|".join(r["word"] for r in data_rows("note_words.csv")) + ")")

#: a project label: text, points printed with it, and which project column it sat in (None: one column only)
Label = tuple[str, float | None, int | None]


def cell_labels(text: str) -> list[tuple[str, float | None]]:
    """'职能工作目标（75分） 重点工作目标' → [('职能工作目标', 75), ('重点工作目标', None)]; brackets that are not
    points stay in the label ('共性工作目标（含党建）（20分）'); points may be unbracketed ('思想建设5分')."""
    s = strip_ordinal(fold_text(text).replace(" ", ""))
    out: list[tuple[str, float | None]] = []
    pos = 0
    for m in _POINTS.finditer(s):
        if label := s[pos : m.start()].strip():
            out.append((label, float(m.group(1) or m.group(2))))
        pos = m.end()
    if rest := s[pos:].strip():
        out.append((rest, None))
    return out


def text_to_labels(texts: list[str]) -> list[Label]:
    """'职 能 工 作 目 标 (75分)' + '重点 工 作 目 标' → [('职能工作目标', 75.0, 0), ('重点工作目标', None, 1)]"""
    positional = len(texts) >= 2
    out: list[Label] = []
    for k, text in enumerate(texts):
        for label, points in cell_labels(text):
            if out and out[-1][0] == label:  # the same label printed twice (a repeated merged cell)
                out[-1] = (label, out[-1][1] if points is None else points, out[-1][2])
            else:
                out.append((label, points, k if positional else None))
    return out


def labels_to_pair(labels: list[Label]) -> tuple[tuple[str, float | None] | None, tuple[str, float | None] | None]:
    """(category, group) the labels print for sure; (None, None) when a lone label is ambiguous.

    Two project columns say which is which; one column with two labels is category then group."""
    first = [(t, p) for t, p, k in labels if k == 0]
    second = [(t, p) for t, p, k in labels if k == 1]
    if first and second:
        return first[0], second[0]
    if len(first) >= 2:
        return first[0], first[1]
    if first:
        return first[0], None
    if second:
        return None, second[0]
    if len(labels) >= 2:
        return (labels[0][0], labels[0][1]), (labels[1][0], labels[1][1])
    return None, None


def _note_span(s: str) -> tuple[int, int] | None:
    """(start, end) of the bracketed 属…/依据… note, brackets included; None when there is none."""
    for m in _NOTE_OPEN.finditer(s):
        depth = 0
        for j in range(m.start(), len(s)):
            if s[j] in _OPENERS:
                depth += 1
            elif s[j] in _CLOSERS:
                depth -= 1
                if depth == 0:
                    return m.start(), j + 1
        return m.start(), len(s)
    return None


def split_level1(text: str) -> tuple[str, str | None, float | None]:
    """'实施…目标。（属市《政府工作报告》任务65项）4分' → (text, note, 4.0).

    The note is a bracketed part opening with a note word (属, 依据 …: data/note_words.csv), in any
    bracket; the points are 'N分' or '分值：N' at the end, before or after the note."""
    s = fold_text(text)
    note = None
    if span := _note_span(s):
        note = s[span[0] + 1 : span[1] - 1].strip() or None
        s = (s[: span[0]] + s[span[1] :]).strip()
    points = None
    if m := _POINTS_TAIL.search(s):
        points = float(m.group(1) or m.group(2))
        s = s[: m.start()].rstrip()
    return s, note, points
