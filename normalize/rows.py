"""Intermediate row types shared by grid repair and hierarchy (plain dataclasses, not part of the contract)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    line: int | None = None


@dataclass
class Slot:
    cell: int
    origin: bool  # False when the slot continues a cell that started in a row above


@dataclass
class TableRow:
    table: int
    index: int
    page: int | None
    line: int | None
    texts: list[str]
    slots: list[Slot | None] = field(default_factory=list)
    header: bool = False
    page_start: bool = False
    pages: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@dataclass
class FieldRow:
    """A body row with its cells placed in fields; blanks are still blank (filled by hierarchy)."""

    table: int
    row: int
    project: list[str]
    values: dict[str, str]
    merged: set[str]
    cells: list[str]
    page: int | None = None
    line: int | None = None
    pages: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    fill_blanks: bool = True  # a blank cell means "as above" (text exports; grids that never merge vertically)
    kind: str = "body"  # "body" (an indicator row), "heading" (a section / group row), "note" (注：…)
    text: str = ""  # a heading's or a note's printed text
    style: str | None = None  # a heading's level key: its ordinal style, or "span" for an unnumbered spanning cell
