"""The raw document model every extractor returns, whatever the input format.

A document is paragraphs plus tables. A table is a grid of cells; each cell knows its
row/column, its spans and where it came from (page, line, bbox). ``normalize`` turns this
into indicator records and never needs to know which format it came from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

#: the kind of file a notice arrived as (the original file, not an intermediate conversion)
Format = Literal["text", "docx", "pdf", "doc", "rtf", "odt", "wps", "html", "xlsx", "xls", "ods", "csv", "image"]
BBox = tuple[float, float, float, float]


class RawCell(BaseModel):
    """One cell as the source has it. A merged cell appears once, at its top-left slot."""

    row: int = Field(description="0-based row index in the table")
    col: int = Field(description="0-based column index in the table grid")
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    page: int | None = Field(default=None, description="1-based page number (PDF, text with form feeds)")
    line: int | None = Field(default=None, description="1-based line number in the text file")
    bbox: BBox | None = Field(default=None, description="x0, top, x1, bottom in PDF points (OCR: page pixels)")
    confidence: float | None = Field(default=None, description="OCR recognition confidence (0–1); None when read "
                                     "from a text layer")


class RawRow(BaseModel):
    index: int
    page: int | None = None
    line: int | None = None
    header: bool = Field(default=False, description="the source marks this row as a (repeated) header row")
    page_start: bool = Field(
        default=False, description="first body row of a table fragment that starts on a new page"
    )


class RawTable(BaseModel):
    index: int
    n_cols: int
    rows: list[RawRow]
    cells: list[RawCell]
    ragged: bool = Field(
        default=False,
        description="cells are not aligned to a true grid (plain-text export: merged cells blank or dropped, "
        "columns shifting); normalize then places cells by content",
    )
    paragraphs_before: int = Field(default=0, description="how many document paragraphs precede this table")


class RawParagraph(BaseModel):
    """One line or paragraph of text outside the tables (PDF: one printed line, with its box)."""

    index: int
    text: str
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    confidence: float | None = Field(default=None, description="OCR recognition confidence (0–1)")


class SourceInfo(BaseModel):
    format: Format
    file: str = Field(description="file name as given (no directories)")
    sha256: str
    size: int
    pages: int | None = None
    ocr: bool = Field(default=False, description="the text was recognised from page images (a scan)")


class RawDocument(BaseModel):
    source: SourceInfo
    paragraphs: list[RawParagraph] = Field(default_factory=list)
    tables: list[RawTable] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="non-fatal extraction remarks")
