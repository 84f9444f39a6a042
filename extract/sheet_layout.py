"""Sheet layout: where the 考评表 starts, what above it is notice text, and flat sheets made merged again.

A sheet is a rectangle of cells with merged ranges. The table starts at its first header row (known header
labels, the header vocabulary shared with normalize (schema/data/headers.csv, kaoping.schema.vocabulary); no normalize code is
imported); the rows above it (title, 参评单位, date) are the notice's paragraphs, one per filled cell.

A "flat" sheet prints a merged value again in every row it covers. Rebuilt as merges (general rules):
- header rows: identical neighbouring labels are one label (horizontally, then vertically);
- body rows, horizontally: identical neighbours in the 目标内容 columns (project, code, basis, level1,
  item) are one cell, as a Word cell spanning 文件依据..二级指标 is;
- body rows, vertically: only in the hierarchy columns (project, level1, basis), whose text names the block
  a row belongs to, a run of identical text is one merged cell. A run ends where a column ranked above it
  (project columns left to right, then 一级指标, then 文件依据) starts a new non-empty cell, and, for
  一级指标/文件依据, where the 序号's block changes (1-3-2 → 1-4-1). 二级指标, 权重, 完成时限 and the
  responsibility columns hold per-row facts and are never merged, so two items that share a value stay two.
- a column that already has real vertical merges is left as the sheet has it: its author said what they meant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kaoping.schema.raw import RawCell, RawParagraph, RawRow, RawTable
from kaoping.schema.vocabulary import header_role, level_roles

CONTENT_ROLES = frozenset({"project", "code", "basis", "level1", "item"})
#: vertical-run columns, ranked: a run in a later role is cut where an earlier one starts a new cell
HIERARCHY_RANK = ("project", "category", "group", "level1", "basis")
#: the levels above the 一级指标 block: cut only where a level above them starts a cell, not by 序号 blocks
TOP_LEVELS = frozenset({"project", "category", "group"})
LEAF_ROLES = frozenset({"project", "code", "basis", "level1", "item", "weight", "deadline", "leaders",
                        "departments", "owners"})
#: without a header row, the table starts at the first row with this many filled cells (a title or a
#: 参评单位 line has one or two; every 考评表 header or body row has more)
MIN_TABLE_ROW_CELLS = 3
_WS = re.compile(r"\s+")
_CODE = re.compile(r"^\d+(?:-\d+)+$")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "－": "-", "―": "-"})


@dataclass
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    merged: bool = False  # a real merged range of the sheet (not rebuilt from repeated text)

    @property
    def key(self) -> str:
        return _WS.sub("", unicodedata.normalize("NFKC", self.text))


# --- vocabulary ------------------------------------------------------------------------------


def looks_like_header(texts: list[str]) -> bool:
    """At least two filled cells are known header labels, and they are most of the row (as normalize)."""
    filled = [t for t in texts if t.strip()]
    known = sum(1 for t in filled if header_role(t))
    return known >= 2 and known * 2 >= len(filled)


def code_block(text: str) -> str | None:
    """'1-3-2' → '1-3'; '4-1' → '4-1' (a two-part code is its own block); None for no dashed code."""
    s = _WS.sub("", unicodedata.normalize("NFKC", text)).translate(_DASHES)
    if not _CODE.match(s):
        return None
    return s.rsplit("-", 1)[0] if s.count("-") >= 2 else s


# --- the grid --------------------------------------------------------------------------------


def owners(cells: list[Cell], n_rows: int, n_cols: int) -> list[list[int | None]]:
    """slot → index of the cell covering it."""
    grid: list[list[int | None]] = [[None] * n_cols for _ in range(n_rows)]
    for i, c in enumerate(cells):
        for r in range(c.row, min(c.row + c.rowspan, n_rows)):
            for k in range(c.col, min(c.col + c.colspan, n_cols)):
                grid[r][k] = i
    return grid


def row_texts(cells: list[Cell], row: int) -> list[str]:
    return [c.text for c in sorted(cells, key=lambda c: c.col) if c.row == row]


def find_table_start(cells: list[Cell], n_rows: int) -> tuple[int, int] | None:
    """(first header row, first body row), or None when no row reads as a 考评表 header."""
    start = next((r for r in range(n_rows) if looks_like_header(row_texts(cells, r))), None)
    if start is None:
        return None
    end = start
    while end < n_rows and looks_like_header(row_texts(cells, end)):
        end += 1
    return start, end


def structural_start(cells: list[Cell], n_rows: int) -> int:
    """No header row: the first row with several filled cells starts the table."""
    for r in range(n_rows):
        if sum(1 for c in cells if c.row == r and c.text.strip()) >= MIN_TABLE_ROW_CELLS:
            return r
    return 0


def drop_empty_columns(cells: list[Cell], n_cols: int) -> tuple[list[Cell], int]:
    """Columns where no filled cell starts (spacers, the margin left of a table at column B) go; spans shrink."""
    used = sorted({c.col for c in cells if c.text.strip()})
    keep = {col: i for i, col in enumerate(used)}
    out = []
    for c in cells:
        cols = [keep[k] for k in range(c.col, c.col + c.colspan) if k in keep]
        if cols:
            out.append(Cell(c.row, cols[0], c.rowspan, cols[-1] - cols[0] + 1, c.text, c.merged))
    return out, len(used) if used else min(n_cols, 1)


def column_roles(cells: list[Cell], header_rows: range, n_cols: int) -> list[str | None]:
    """Each column's field: the lowest header row whose label over that column names a leaf field."""
    grid = owners(cells, header_rows.stop, n_cols)
    roles: list[str | None] = [None] * n_cols
    labels: list[str | None] = [None] * n_cols
    for k in range(n_cols):
        for r in reversed(header_rows):
            i = grid[r][k]
            role = header_role(cells[i].text) if i is not None else None
            if role in LEAF_ROLES:
                roles[k], labels[k] = role, cells[i].text
                break
    return level_roles(labels, roles)


# --- sheets that lost their merges ---------------------------------------------------------


def fill_header_blanks(cells: list[Cell], header: range, n_cols: int) -> list[Cell]:
    """A header that lost its merges (a CSV export, a sheet typed without merging) leaves a merged label's
    other slots blank: in the first header row a blank belongs to the label on its left (目标内容 over
    序号..二级指标), in a later one to the label above it (权重 over both header rows). Spelled out as
    repeated labels, the flat-sheet rules below merge them back. A header with any real merge is left."""
    if any(c.merged for c in cells if c.row in header):
        return cells
    at = {(c.row, c.col): c for c in cells if c.row in header and c.key}
    filled: list[Cell] = []
    for r in header:
        for k in range(n_cols):
            if (r, k) in at:
                continue
            source = at.get((r - 1, k)) if r > header.start else at.get((r, k - 1))
            if source is not None:
                at[(r, k)] = Cell(r, k, 1, 1, source.text)
                filled.append(at[(r, k)])
    return [*cells, *filled]


# --- flat sheets ---------------------------------------------------------------------------


def merge_across(cells: list[Cell], rows: range, allowed: list[bool]) -> list[Cell]:
    """Identical neighbouring single-row cells in ``rows`` become one cell (only over allowed columns)."""
    out: list[Cell] = []
    for c in sorted(cells, key=lambda c: (c.row, c.col)):
        last = out[-1] if out else None
        if (last is not None and c.row in rows and last.row == c.row and last.col + last.colspan == c.col
                and last.rowspan == c.rowspan == 1 and not c.merged and c.key and c.key == last.key
                and all(allowed[k] for k in range(last.col, c.col + c.colspan))):
            last.colspan += c.colspan
            continue
        out.append(Cell(c.row, c.col, c.rowspan, c.colspan, c.text, c.merged))
    return out


def merge_down(cells: list[Cell], rows: range, cols: list[int], cuts: set[int]) -> list[Cell]:
    """In each column of ``cols``, a cell identical to the cell right above it (same columns) joins it,
    unless a cut falls between them (``cuts``: rows where a new block starts)."""
    col_set = set(cols)
    out: list[Cell] = []
    above: dict[tuple[int, int], Cell] = {}  # (col, colspan) → last kept cell there
    for c in sorted(cells, key=lambda c: (c.row, c.col)):
        prev = above.get((c.col, c.colspan))
        if (prev is not None and c.col in col_set and c.row in rows and prev.row in rows
                and prev.row + prev.rowspan == c.row and c.rowspan == 1 and not c.merged
                and c.key and c.key == prev.key and c.row not in cuts):
            prev.rowspan += 1
            continue
        kept = Cell(c.row, c.col, c.rowspan, c.colspan, c.text, c.merged)
        out.append(kept)
        above[(c.col, c.colspan)] = kept
    return out


def block_cuts(cells: list[Cell], roles: list[str | None], body: range) -> set[int]:
    """Rows whose 序号 starts another block than the last 序号 above it (1-3-2 → 1-4-1)."""
    code_cols = {k for k, r in enumerate(roles) if r == "code"}
    cuts: set[int] = set()
    last: str | None = None
    for c in sorted((c for c in cells if c.col in code_cols and c.row in body), key=lambda c: c.row):
        block = code_block(c.text)
        if block is not None:
            if last is not None and block != last:
                cuts.add(c.row)
            last = block
    return cuts


def starts_in(cells: list[Cell], cols: list[int], body: range) -> set[int]:
    """Rows where a filled cell starts in one of ``cols``: a new block for every column ranked below."""
    return {c.row for c in cells if c.col in cols and c.row in body and c.key}


def has_real_vertical_merge(cells: list[Cell], col: int, body: range) -> bool:
    return any(c.col <= col < c.col + c.colspan and c.rowspan > 1 and c.merged and c.row in body for c in cells)


def unflatten(cells: list[Cell], header: range, n_rows: int, n_cols: int) -> list[Cell]:
    """Rebuild the merges a flat sheet spelled out as repeated text (rules in the module docstring)."""
    cells = merge_across(fill_header_blanks(cells, header, n_cols), header, [True] * n_cols)
    cells = merge_down(cells, header, list(range(n_cols)), set())
    roles = column_roles(cells, header, n_cols)
    body = range(header.stop, n_rows)
    cells = merge_across(cells, body, [r in CONTENT_ROLES for r in roles])
    cuts = block_cuts(cells, roles, body)
    ranked: list[int] = []
    for role in HIERARCHY_RANK:
        for col in (k for k, r in enumerate(roles) if r == role):
            if not has_real_vertical_merge(cells, col, body):
                col_cuts = starts_in(cells, ranked, body) if role in TOP_LEVELS else cuts | starts_in(cells, ranked, body)
                cells = merge_down(cells, body, [col], col_cuts)
            ranked.append(col)
    return cells


# --- to the raw model ----------------------------------------------------------------------


def fill_grid(cells: list[Cell], n_rows: int, n_cols: int) -> list[Cell]:
    """Every slot no cell covers gets an empty cell, as a Word table has a cell in every slot."""
    grid = owners(cells, n_rows, n_cols)
    blanks = [Cell(r, k, 1, 1, "") for r in range(n_rows) for k in range(n_cols) if grid[r][k] is None]
    return sorted([*cells, *blanks], key=lambda c: (c.row, c.col))


def sheet_to_parts(cells: list[Cell], n_rows: int, n_cols: int,
                   lines: list[int] | None = None) -> tuple[list[RawParagraph], RawTable | None]:
    """Paragraphs above the table and the table itself (rows re-numbered from its first header row).
    ``lines``: the file line each sheet row starts on, for a sheet read from text (provenance)."""
    found = find_table_start(cells, n_rows)
    start, body = found if found else (structural_start(cells, n_rows), None)
    line_of = lines.__getitem__ if lines else lambda _row: None
    paragraphs = [RawParagraph(index=i, text=c.text.strip(), line=line_of(c.row)) for i, c in enumerate(
        c for c in sorted(cells, key=lambda c: (c.row, c.col)) if c.row < start and c.text.strip())]
    table_cells = [Cell(c.row - start, c.col, min(c.rowspan, n_rows - c.row), c.colspan, c.text, c.merged)
                   for c in cells if c.row >= start]
    n = n_rows - start
    if n <= 0 or not any(c.text.strip() for c in table_cells):
        return paragraphs, None
    table_cells, width = drop_empty_columns(table_cells, n_cols)
    if body is not None:
        table_cells = unflatten(table_cells, range(0, body - start), n, width)
    table_cells = fill_grid(table_cells, n, width)
    table = RawTable(
        index=0, n_cols=width, rows=[RawRow(index=r, line=line_of(start + r)) for r in range(n)],
        paragraphs_before=len(paragraphs),
        cells=[RawCell(row=c.row, col=c.col, rowspan=c.rowspan, colspan=c.colspan, text=c.text) for c in table_cells],
    )
    return paragraphs, table


__all__ = ["Cell", "find_table_start", "header_role", "sheet_to_parts", "unflatten"]
