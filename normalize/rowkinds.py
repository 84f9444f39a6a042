"""Rows a 考评表 prints besides indicators: section / group headings and note lines.

- A **note** row opens with a note word and a colon (注： 备注： 说明：, data/note_row_words.csv): it is
  attached to the table (or to the row it names), never read as an indicator or merged into one.
- A **heading** row prints one label for the rows below it and nothing an item has (no deadline, no
  standard, no department): a single cell starting at the first column that spans the table, or that
  carries a printed ordinal (一、 （一）) or points (（30分）); or a heading ordinal in the 序号 column
  beside one label (and its points in the 分值 column). Its level is its ordinal style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kaoping.normalize.facts import data_rows
from kaoping.normalize.ordinals import leading_ordinal, ordinal_style
from kaoping.normalize.textfold import format_number, parse_number, parse_weight, squash

#: ordinal styles that number a level above items (1. and (1) number the items themselves)
HEADING_STYLES = ("cn", "paren_cn")
#: an unnumbered heading spans at least three columns: the 泉国资办 layout's category cell spans its two
#: 项目 columns and is not a row of its own (a page break can leave it alone on a row)
MIN_HEADING_SPAN = 3


@cache
def _note_opening() -> re.Pattern[str]:
    words = sorted((r["word"] for r in data_rows("note_row_words.csv")), key=len, reverse=True)
    return re.compile(r"^\s*(?:" + "|".join(map(re.escape, words)) + r")\s*\d*\s*[：:]")


@dataclass(frozen=True)
class Filled:
    """A printed cell of a row: its text, first column and how many columns it spans."""

    text: str
    col: int
    span: int = 1


def note_text(filled: list[Filled]) -> str | None:
    """The note when the row's first printed cell opens with 注：/备注：/说明：…, else None."""
    if filled and _note_opening().match(filled[0].text):
        return "\n".join(f.text for f in filled).strip()
    return None


def _is_label(text: str) -> bool:
    return bool(squash(text)) and parse_number(text) is None and ordinal_style(text) is None


def _single_heading(cell: Filled, width: int) -> tuple[str, str] | None:
    style, _, _ = leading_ordinal(cell.text)
    if cell.col != 0 or not _is_label(cell.text):
        return None
    if style in HEADING_STYLES:
        return cell.text, style  # type: ignore[return-value]
    if cell.span >= min(MIN_HEADING_SPAN, max(width - 1, 2)):
        return cell.text, style or "span"
    return None


def _ordinal_heading(filled: list[Filled]) -> tuple[str, str] | None:
    """（一） | 预算管理 [| 14]: a heading ordinal in the first column, one label, maybe its points."""
    style = ordinal_style(filled[0].text)
    if filled[0].col != 0 or style not in HEADING_STYLES or not 2 <= len(filled) <= 3 or not _is_label(filled[1].text):
        return None
    if len(filled) == 3 and parse_weight(filled[2].text) is None:
        return None
    points = f"（{format_number(parse_weight(filled[2].text))}分）" if len(filled) == 3 else ""  # type: ignore[arg-type]
    return f"{squash(filled[0].text)}{filled[1].text}{points}", style  # type: ignore[return-value]


def heading_of(filled: list[Filled], width: int) -> tuple[str, str] | None:
    """(text, level key) when the row is a heading, else None."""
    if len(filled) == 1:
        return _single_heading(filled[0], width)
    if filled:
        return _ordinal_heading(filled)
    return None
