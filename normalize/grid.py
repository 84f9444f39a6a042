"""Grid repair: raw tables → body rows with fields placed, plus header/total/continuation accounting.

Works on any format: true grids (DOCX, PDF) are expanded from their spans and placed by header;
ragged text rows are placed by content. Repeated header rows are recognised by their wording
(data/headers.csv), a row that a page break split is rejoined with the row above, total rows
(合计, 得分) are kept aside for the checks, section/group headings and note lines are marked as such
(:mod:`normalize.rowkinds`). Every raw row ends in exactly one bucket.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from kaoping.normalize.columns import (
    find_weight_index,
    grid_row_to_fields,
    header_rows_to_order,
    header_rows_to_printed,
    header_rows_to_roles,
    is_deadline,
    ragged_row_to_fields,
)
from kaoping.normalize.headers import (
    FIELD_ORDER,
    is_extra,
    looks_like_header_row,
    total_words,
    unknown_header_labels,
)
from kaoping.normalize.rowkinds import Filled, heading_of, note_text
from kaoping.normalize.rows import FieldRow, GridCell, Slot, TableRow
from kaoping.normalize.textfold import fold_code, parse_weight, squash
from kaoping.schema.models import Accounting, Issue, TotalRow
from kaoping.schema.raw import RawTable

log = logging.getLogger(__name__)

#: a 合计/得分 label is short; a longer cell mentioning 合计 is text, not a total row
MAX_TOTAL_LABEL = 40
#: a total row prints its label and at most a remark beside its numbers; an item row prints item,
#: standard, department… (the 2022 notice's total rows print one text; two leaves room for a remark)
MAX_TOTAL_TEXTS = 2


@dataclass
class GridResult:
    rows: list[FieldRow] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    accounting: Accounting = field(default_factory=Accounting)
    tables_read: list[int] = field(default_factory=list)  # raw table indexes read as a 考评表
    columns: list[tuple[str, str]] = field(default_factory=list)  # (field, printed header): the first header


def table_to_grid(table: RawTable) -> tuple[list[TableRow], list[GridCell]]:
    """Expand spans: every row gets one slot per column pointing at the cell that covers it."""
    cells = [GridCell(c.text, c.row, c.col, c.rowspan, c.colspan, c.page, c.line) for c in table.cells]
    n_rows = len(table.rows)
    slots: list[list[Slot | None]] = [[None] * table.n_cols for _ in range(n_rows)]
    texts: list[list[str]] = [[] for _ in range(n_rows)]
    for i, c in enumerate(cells):
        if c.row < n_rows:
            texts[c.row].append(c.text)
        for r in range(c.row, min(c.row + c.rowspan, n_rows)):
            for k in range(c.col, min(c.col + c.colspan, table.n_cols)):
                slots[r][k] = Slot(i, origin=(r == c.row))
    rows = [
        TableRow(
            table=table.index, index=r.index, page=r.page, line=r.line, texts=texts[r.index],
            slots=slots[r.index], header=r.header, page_start=r.page_start,
            pages=[r.page] if r.page else [], lines=[r.line] if r.line else [], rows=[r.index],
        )
        for r in table.rows
    ]
    return rows, cells


def _row_issue(kind: str, message: str, row: TableRow) -> Issue:
    return Issue(severity="warning", kind=kind, message=message, page=row.page, line=row.line, row=row.index,
                 cells=list(row.texts))


def _total_kind(row: TableRow) -> str | None:
    """合计/小计/得分 rows: a short label with a total word, numbers beside it and little else (a scoring
    rule that says 不得分 is an item's text, not a total row)."""
    if any(fold_code(t) for t in row.texts) or any(is_deadline(t) for t in row.texts):
        return None
    # distinct texts: a label repeated in every slot (a sheet's merged 合计 saved unmerged, then printed) is one
    if len({squash(t) for t in row.texts if squash(t) and parse_weight(t) is None}) > MAX_TOTAL_TEXTS:
        return None
    for t in row.texts:
        s = squash(t)
        if len(s) > MAX_TOTAL_LABEL:
            continue
        for word, kind in total_words().items():
            if word in s and f"不{word}" not in s:
                return kind
    return None


def _row_to_total(row: TableRow, kind: str) -> TotalRow:
    label = next(squash(t) for t in row.texts if squash(t) and parse_weight(t) is None)
    value = next((parse_weight(t) for t in row.texts if parse_weight(t) is not None), None)  # 100, 100分, 100%
    return TotalRow(label=label, value=value, category=None, level=kind, table=row.table,
                    page=row.page, line=row.line, row=row.index)


def _merge_continuation(prev: TableRow, cont: TableRow, later: list[TableRow], cells: list[GridCell]) -> None:
    """Append a page-break continuation's cell texts to the row above; repoint merges that hung off it."""
    for c, slot in enumerate(cont.slots):
        target = prev.slots[c] if c < len(prev.slots) else None
        if slot is None or target is None or not slot.origin or slot.cell == target.cell:
            continue
        extra = cells[slot.cell].text
        if squash(extra):
            cells[target.cell].text = f"{cells[target.cell].text}\n{extra}"
        end = cells[slot.cell].row + cells[slot.cell].rowspan  # only the rows its span covers hold its slots
        for row in later:
            if row.index >= end:
                break
            for k, s in enumerate(row.slots):
                if s is not None and s.cell == slot.cell:
                    row.slots[k] = Slot(target.cell, origin=False)
    prev.texts = [*prev.texts, *cont.texts]
    prev.pages += [p for p in cont.pages if p not in prev.pages]
    prev.rows += cont.rows


def _is_continuation(row: TableRow, roles: list[str | None], cells: list[GridCell]) -> bool:
    def text_of(role: str) -> str:
        for c, r in enumerate(roles):
            slot = row.slots[c] if c < len(row.slots) else None
            if r == role and slot is not None and slot.origin:
                return squash(cells[slot.cell].text)
        return ""
    if not any(roles):  # a table without a header row (its header is on an earlier table): the texts decide
        return (not _is_complete(row.texts) and not any(fold_code(t) for t in row.texts)
                and any(squash(t) for t in row.texts))
    return not text_of("code") and not text_of("weight") and any(squash(t) for t in row.texts)


def is_evaluation_table(table: RawTable) -> bool:
    """A 考评表 has a header row with known labels, or at least two rows with a weight next to a deadline."""
    rows = [TableRow(table.index, r.index, r.page, r.line, [c.text for c in table.cells if c.row == r.index],
                     header=r.header) for r in table.rows]
    if any(r.header or looks_like_header_row(r.texts) for r in rows):
        return True
    weighted = 0
    for r in rows:
        w = find_weight_index(r.texts)
        if w is not None and any(is_deadline(t) for t in r.texts[w + 1 : w + 2] + r.texts[max(w - 1, 0) : w]):
            weighted += 1
    return weighted >= 2


def _is_complete(texts: list[str]) -> bool:
    return any(is_deadline(t) for t in texts) or find_weight_index(texts) is not None


def _join_broken_line(prev: TableRow, row: TableRow) -> bool:
    """A text-export row broken over two lines: join ``row`` into ``prev`` when it is plainly the rest.

    Either the line is a fragment (no 序号, number or deadline; one or two texts past the 序号
    column), which continues the cells above it; or ``prev`` stopped before its weight and ``row``,
    without a 序号, goes on from the cell where ``prev`` broke off."""
    filled = [k for k, t in enumerate(row.texts) if squash(t)]
    if any(fold_code(t) for t in row.texts):
        return False
    if not _is_complete(row.texts) and 1 <= len(filled) <= 2 and filled[0] >= 2:
        for k in filled:
            if k < len(prev.texts):
                prev.texts[k] = f"{prev.texts[k]}\n{row.texts[k]}"
            else:
                prev.texts.append(row.texts[k])
    elif not _is_complete(prev.texts) and _is_complete(row.texts) and squash(row.texts[0]):
        prev.texts = [*prev.texts[:-1], f"{prev.texts[-1]}\n{row.texts[0]}", *row.texts[1:]]
    else:
        return False
    prev.lines += row.lines
    prev.rows += row.rows
    return True


@dataclass
class _TableState:
    """What reading one table carries from row to row."""

    table: RawTable
    rows: list[TableRow]
    cells: list[GridCell]
    result: GridResult
    roles: list[str | None] = field(default_factory=list)
    kept_roles: list[str | None] | None = None  # the roles of the last header block that ended
    row_roles: dict[int, list[str | None]] = field(default_factory=dict)  # body row -> roles placing it
    order: tuple[str, ...] = FIELD_ORDER
    header_block: list[TableRow] = field(default_factory=list)
    body: list[tuple[TableRow, tuple[str, ...]]] = field(default_factory=list)
    marks: list[FieldRow] = field(default_factory=list)  # heading and note rows, in table order
    after_page_break: bool = False

    @property
    def acc(self) -> Accounting:
        return self.result.accounting


def row_to_filled(row: TableRow, cells: list[GridCell], ragged: bool) -> list[Filled]:
    """The row's printed cells left to right (a grid cell once, at the row where it starts, with its span)."""
    if ragged:
        return [Filled(t, k) for k, t in enumerate(row.texts) if squash(t)]
    seen: dict[int, Filled] = {}
    for s in row.slots:
        if s is not None and s.origin and s.cell not in seen and squash(cells[s.cell].text):
            c = cells[s.cell]
            seen[s.cell] = Filled(c.text, c.col, c.colspan)
    return sorted(seen.values(), key=lambda f: f.col)


def _take_header(st: _TableState, i: int, row: TableRow) -> bool:
    if not (row.header or looks_like_header_row(row.texts)):
        return False
    st.acc.header_rows += 1
    st.header_block.append(row)
    if not st.result.tables_read and not st.body:  # the first table's first header (not a repeat after a break)
        st.result.columns = header_rows_to_printed(st.header_block, st.cells, st.table.ragged) or st.result.columns
    if st.table.ragged:
        st.order = header_rows_to_order(st.header_block)
    else:
        roles = header_rows_to_roles(st.header_block, st.cells)
        kept = st.kept_roles
        st.roles = roles if kept is None or roles_replace(roles, kept) else kept
        if kept is not None and st.roles is roles and not roles_replace(kept, roles):
            for index, used in st.row_roles.items():  # the header in force mapped less: it was garbled
                st.row_roles[index] = roles if used is kept else used
    for label in unknown_header_labels(row.texts):
        message = f"unknown header label {squash(label)!r}"
        if not any(x.kind == "unknown_header" and x.message == message for x in st.result.issues):
            st.result.issues.append(_row_issue("unknown_header", message, row))
    return True


def roles_replace(new: list[str | None], kept: list[str | None]) -> bool:
    """A repeated header's roles replace the ones in force only when that header is complete and
    consistent itself: every field the kept roles fill it fills as often, and it gives no field to
    more columns than they did. A repeat garbled by a page break (a label cut, two labels run
    together) maps fewer fields or one field twice and is not followed; a repeat that maps more
    (the header in force was garbled) is followed by the rows above it too."""
    def known(roles: list[str | None]) -> Counter[str]:
        return Counter(r for r in roles if r is not None and not is_extra(r))

    fresh, old = known(new), known(kept)
    return all(fresh[r] >= n for r, n in old.items()) and all(n <= max(old[r], 1) for r, n in fresh.items())


def _take_blank(st: _TableState, i: int, row: TableRow) -> bool:
    if any(squash(t) for t in row.texts):
        return False
    st.acc.blank_rows += 1
    return True


def _take_total(st: _TableState, i: int, row: TableRow) -> bool:
    if (kind := _total_kind(row)) is None:
        return False
    st.acc.total_rows += 1
    st.result.totals.append(_row_to_total(row, kind))
    st.after_page_break = False
    return True


def _mark(row: TableRow, kind: str, text: str, style: str | None = None) -> FieldRow:
    return FieldRow(table=row.table, row=row.index, project=[], values={}, merged=set(), cells=list(row.texts),
                    page=row.page, line=row.line, pages=row.pages, lines=row.lines, rows=row.rows, kind=kind,
                    text=text, style=style)


def _take_note(st: _TableState, i: int, row: TableRow) -> bool:
    if (text := note_text(row_to_filled(row, st.cells, st.table.ragged))) is None:
        return False
    st.acc.note_rows += 1
    st.marks.append(_mark(row, "note", text))
    st.after_page_break = False
    return True


def _take_heading(st: _TableState, i: int, row: TableRow) -> bool:
    heading = heading_of(row_to_filled(row, st.cells, st.table.ragged), st.table.n_cols)
    if heading is None:
        return False
    st.acc.heading_rows += 1
    st.marks.append(_mark(row, "heading", *heading))
    st.after_page_break = False
    return True


def _take_continuation(st: _TableState, i: int, row: TableRow) -> bool:
    """A grid row a page break split: its texts go to the row above."""
    if not (st.after_page_break and st.body and not st.table.ragged
            and _is_continuation(row, st.roles, st.cells)):
        return False
    _merge_continuation(st.body[-1][0], row, st.rows[i + 1:], st.cells)
    st.acc.continuation_rows += 1
    st.after_page_break = False
    return True


def _take_broken_line(st: _TableState, i: int, row: TableRow) -> bool:
    if not (st.table.ragged and st.body and _join_broken_line(st.body[-1][0], row)):
        return False
    st.acc.continuation_rows += 1
    return True


def _take_body(st: _TableState, i: int, row: TableRow) -> bool:
    st.after_page_break = False
    st.body.append((row, st.order))
    st.row_roles[row.index] = st.roles
    return True


#: the rules a table row is tried against, in order; the first that takes it decides its bucket
ROW_RULES: tuple[Callable[[_TableState, int, TableRow], bool], ...] = (
    _take_header, _take_blank, _take_total, _take_note, _take_heading, _take_continuation, _take_broken_line,
    _take_body,
)


def _placed_rows(st: _TableState) -> list[FieldRow]:
    """Body rows placed in fields, with the heading and note rows in table order."""
    body_rows = {r.index for r, _ in st.body}
    fill_blanks = st.table.ragged or not any(c.rowspan > 1 and c.row in body_rows for c in st.table.cells)
    placed = []
    for row, row_order in st.body:
        p = _place(row, st.cells, st.row_roles.get(row.index, st.roles), st.table.ragged, row_order)
        p.fill_blanks = fill_blanks
        placed.append(p)
    return sorted([*placed, *st.marks], key=lambda r: r.row)


def table_to_rows(table: RawTable, result: GridResult | None = None) -> GridResult:
    """One raw table → placed body rows, headings, notes, totals, issues and row accounting (appended to
    ``result``). Each row goes to the first of :data:`ROW_RULES` that takes it."""
    result = result or GridResult()
    rows, cells = table_to_grid(table)
    st = _TableState(table, rows, cells, result)
    for i, row in enumerate(rows):
        st.acc.rows_seen += 1
        st.after_page_break = st.after_page_break or row.page_start
        if not _take_header(st, i, row):
            if st.header_block:
                st.kept_roles = st.roles
            st.header_block = []
            next(rule for rule in ROW_RULES[1:] if rule(st, i, row))
    result.rows.extend(_placed_rows(st))
    return result


def _place(row: TableRow, cells: list[GridCell], roles: list[str | None], ragged: bool,
           order: tuple[str, ...]) -> FieldRow:
    if ragged or not any(roles):
        project, values = ragged_row_to_fields(row.texts, order)
        merged: set[str] = set()
    else:
        project, values, merged = grid_row_to_fields(row, cells, roles)
    return FieldRow(table=row.table, row=row.index, project=project, values=values, merged=merged,
                    cells=list(row.texts), page=row.page, line=row.line, pages=row.pages, lines=row.lines,
                    rows=row.rows)
