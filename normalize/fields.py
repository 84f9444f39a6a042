"""Field-level steps: text folding, names, dates. Each is indicators → indicators, pure."""

from __future__ import annotations

from kaoping.normalize.dates import deadline_to_date
from kaoping.normalize.facts import data_rows
from kaoping.normalize.names import break_after_suffixes, cells_to_vocabulary, split_names
from kaoping.normalize.textfold import fold_text
from kaoping.schema.models import Indicator


def unit_suffixes() -> tuple[str, ...]:
    """How department names end (data/unit_suffixes.csv)."""
    return tuple(r["suffix"] for r in data_rows("unit_suffixes.csv"))


TEXT_FIELDS = ("category", "group", "level1", "level1_note", "item", "criteria", "deadline", "basis")


def fold_indicator_texts(indicators: list[Indicator]) -> list[Indicator]:
    """Remove the spaces a text export or a PDF wrap leaves inside Chinese words."""
    out = []
    for i in indicators:
        update = {f: (fold_text(getattr(i, f)) or None) for f in TEXT_FIELDS}
        update["item"] = update["item"] or ""
        update["extra"] = [e.model_copy(update={"text": fold_text(e.text)}) for e in i.extra]
        out.append(i.model_copy(update=update))
    return out


def printed_cells(indicators: list[Indicator], fields: tuple[str, ...]) -> list[str]:
    """The texts of ``fields`` as printed: a merged cell once, in the row it starts in, not again in every row
    that inherits it (five rows under one 分管领导 cell are one printed cell, not five sightings of its
    tokens — a wrap inside it must not become a word of the vocabulary by repetition)."""
    return [t for i in indicators for f in fields if f not in i.source.inherited for t in getattr(i, f)]


def split_indicator_names(indicators: list[Indicator]) -> list[Indicator]:
    """'王建国 张 伟' → ['王建国', '张伟'] for leaders, departments and owners; printed forms kept.

    People (leaders and owners) and departments each get a vocabulary from the whole notice, so a
    cell whose spaces were lost or misplaced splits like the cells that print the entries alone.
    """
    people = cells_to_vocabulary(printed_cells(indicators, ("leaders", "owners")), compounds=False)
    suffixes = unit_suffixes()
    units = cells_to_vocabulary(printed_cells(indicators, ("departments",)))
    longest = max((len(u) for u in units), default=4)
    out = []
    for i in indicators:
        leaders = [n for t in i.leaders for n in split_names(t, people)]
        owners = [n for t in i.owners for n in split_names(t, people)]
        departments = [n for t in i.departments for n in split_names(break_after_suffixes(t, suffixes, longest), units)]
        out.append(i.model_copy(update={"leaders": leaders, "owners": owners, "departments": departments,
                                        "leaders_printed": leaders, "owners_printed": owners}))
    return out


def date_indicators(indicators: list[Indicator], year: int | None) -> list[Indicator]:
    """deadline_date = last day of the printed month in the notice's year (unreadable ones: the checks say so)."""
    return [i.model_copy(update={"deadline_date": deadline_to_date(i.deadline, year)}) for i in indicators]
