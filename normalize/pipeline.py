"""The normalisation pipeline: one explicit, ordered list of small steps, raw document → records.

Each step takes the draft and returns a new one; the order is the contract:
invisible characters → radical code points → grid repair → notice metadata → hierarchy → text folding → names (→ aliases) → dates → references
→ targets → checks (arithmetic, structure, people).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from kaoping.normalize.checks import indicators_to_check_issues
from kaoping.normalize.fields import date_indicators, fold_indicator_texts, split_indicator_names
from kaoping.normalize.grid import GridResult, is_evaluation_table, table_to_rows
from kaoping.normalize.hierarchy import rows_to_indicators
from kaoping.normalize.invisible import raw_to_visible
from kaoping.normalize.notes import notes_to_issues, table_paragraph_notes
from kaoping.normalize.notice import paragraphs_to_notice
from kaoping.normalize.ocr import step_ocr
from kaoping.normalize.paragraphs import join_wrapped_paragraphs
from kaoping.normalize.people import apply_aliases, indicators_to_people
from kaoping.normalize.radicals import raw_to_ideographs
from kaoping.normalize.references import indicators_to_references
from kaoping.normalize.targets import indicators_to_targets
from kaoping.schema.errors import InputError
from kaoping.schema.models import (
    Accounting,
    Citation,
    Indicator,
    Issue,
    Notice,
    NoticeDocument,
    Person,
    PrintedColumn,
    Reference,
    TotalRow,
)
from kaoping.schema.raw import RawDocument

log = logging.getLogger(__name__)

#: weights are printed with at most two decimals; sums closer than this are equal
TOTAL_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Draft:
    raw: RawDocument
    grid: GridResult = field(default_factory=GridResult)
    notice: Notice | None = None
    indicators: list[Indicator] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    before: list[str] = field(default_factory=list)  # paragraphs before the 考评表, wrapped lines joined
    after: list[str] = field(default_factory=list)  # and after it

    @property
    def year(self) -> int | None:
        return self.notice.year if self.notice else None


def step_visible(d: Draft) -> Draft:
    """Zero-width, bidi and control characters out of every cell and paragraph (normalize/invisible.py)."""
    raw, issues = raw_to_visible(d.raw)
    return d if not issues else replace(d, raw=raw, issues=[*d.issues, *issues])


def step_radicals(d: Draft) -> Draft:
    """Radical code points a PDF font maps ideographs to (⾏ for 行) read as the ideographs (normalize/radicals.py)."""
    raw, issues = raw_to_ideographs(d.raw)
    return d if not issues else replace(d, raw=raw, issues=[*d.issues, *issues])


def step_grid(d: Draft) -> Draft:
    grid = GridResult()
    issues = [Issue(severity="warning", kind="extract_warning", message=w) for w in d.raw.warnings]
    for table in d.raw.tables:
        if is_evaluation_table(table):
            table_to_rows(table, grid)
            grid.tables_read.append(table.index)
        else:
            first = [c.text for c in table.cells if c.row == 0]
            issues.append(Issue(severity="info", kind="skipped_table", cells=first, page=table.rows[0].page if table.rows else None,
                                line=table.rows[0].line if table.rows else None,
                                message=f"table {table.index + 1} ({len(table.rows)} rows) has no 考评表 header and no "
                                        "weighted rows; not read as indicators"))
    if not grid.rows:
        raise InputError("no 考评表 found: the document has no table with indicator rows")
    return replace(d, grid=grid, issues=[*d.issues, *issues, *grid.issues])


def step_notice(d: Draft) -> Draft:
    """Split the paragraphs at the first table read as a 考评表 (a small table before it is no boundary)."""
    first = next(t for t in d.raw.tables if t.index == d.grid.tables_read[0])
    before = join_wrapped_paragraphs(d.raw.paragraphs[: first.paragraphs_before])
    after = join_wrapped_paragraphs(d.raw.paragraphs[first.paragraphs_before:])
    notice = paragraphs_to_notice(before, after, d.raw.source)
    columns = [PrintedColumn(field=name, header=header) for name, header in d.grid.columns]
    return replace(d, notice=notice.model_copy(update={"columns": columns}), before=before, after=after)


def step_hierarchy(d: Draft) -> Draft:
    indicators, issues = rows_to_indicators(d.grid.rows, d.raw.source.format, d.raw.source.file)
    used = {(i.source.table, r) for i in indicators for r in i.source.rows}
    unparsed = [r for r in d.grid.rows if r.kind == "body" and (r.table, r.row) not in used]
    for r in unparsed:
        issues.append(Issue(severity="warning", kind="unparsed_row", page=r.page, line=r.line, row=r.row,
                            cells=r.cells, message="row has neither an item text nor a weight; kept here unparsed"))
    notes = [*(r for r in d.grid.rows if r.kind == "note"), *table_paragraph_notes(d.raw)]
    issues += notes_to_issues(notes, indicators)
    acc = d.grid.accounting.model_copy(update={"indicators": len(indicators), "unparsed_rows": len(unparsed)})
    totals = _assign_total_categories(d.grid.totals, indicators)
    grid = replace(d.grid, accounting=acc, totals=totals)
    return replace(d, grid=grid, indicators=indicators, issues=[*d.issues, *issues])


def _assign_total_categories(totals: list[TotalRow], indicators: list[Indicator]) -> list[TotalRow]:
    """A 合计/小计 row closes the category (group) of the rows above it; a 合计 whose value is the sum of every
    category's printed points closes the table (a grand total worded 合计)."""
    out = []
    for t in totals:
        before = [i for i in indicators if i.source.table == t.table and i.source.rows and i.source.rows[0] < (t.row or 0)]
        last = before[-1] if before and t.level != "grand" else None
        if last is not None and t.level == "category" and _closes_table(t, before, last):
            out.append(t.model_copy(update={"level": "grand", "category": None, "group": None}))
            continue
        out.append(t.model_copy(update={"category": last.category if last else None,
                                        "group": last.group if last and t.level == "group" else None}))
    return out


def _closes_table(t: TotalRow, before: list[Indicator], last: Indicator) -> bool:
    """The value is the sum of the printed points of every category above (two or more), not the last one's."""
    points = {i.category: i.category_points for i in before}
    if t.value is None or len(points) < 2 or any(p is None for p in points.values()):
        return False
    return abs(sum(points.values()) - t.value) < TOTAL_TOLERANCE  # type: ignore[arg-type]


def step_fold(d: Draft) -> Draft:
    return replace(d, indicators=fold_indicator_texts(d.indicators))


def step_names(d: Draft) -> Draft:
    return replace(d, indicators=split_indicator_names(d.indicators))


def step_dates(d: Draft) -> Draft:
    return replace(d, indicators=date_indicators(d.indicators, d.year))


def step_aliases(d: Draft) -> Draft:
    if not d.aliases:
        return d
    return replace(d, indicators=apply_aliases(d.indicators, d.aliases))


def step_references(d: Draft) -> Draft:
    indicators, refs, citations, issues = indicators_to_references(d.indicators, [*d.before, *d.after], d.year)
    return replace(d, indicators=indicators, references=refs, citations=citations, issues=[*d.issues, *issues])


def step_targets(d: Draft) -> Draft:
    return replace(d, indicators=indicators_to_targets(d.indicators))


def step_checks(d: Draft) -> Draft:
    people, people_issues = indicators_to_people(d.indicators)
    issues = indicators_to_check_issues(d.indicators, d.grid.totals, dict(reversed(d.grid.columns)))
    return replace(d, people=people, issues=[*d.issues, *issues, *people_issues])


STEPS: list[Callable[[Draft], Draft]] = [
    step_visible,
    step_radicals,
    step_grid,
    step_notice,
    step_hierarchy,
    step_fold,
    step_names,
    step_aliases,
    step_ocr,  # scans only: low-confidence cells, names checked against the notice's roster
    step_dates,
    step_references,
    step_targets,
    step_checks,
]


def raw_to_document(raw: RawDocument, aliases: dict[str, str] | None = None) -> NoticeDocument:
    """Run every step in order and assemble ``notice.json``'s document."""
    draft = Draft(raw=raw, aliases=aliases or {})
    for step in STEPS:
        log.debug("step %s", step.__name__)
        draft = step(draft)
    assert draft.notice is not None
    accounting: Accounting = draft.grid.accounting
    return NoticeDocument(
        notice=draft.notice, indicators=draft.indicators, references=draft.references, citations=draft.citations,
        issues=draft.issues, people=draft.people, totals=draft.grid.totals, accounting=accounting,
    )


def path_to_document(path: Path | str, aliases: dict[str, str] | None = None) -> NoticeDocument:
    from kaoping.extract import extract_document

    return raw_to_document(extract_document(path), aliases)
