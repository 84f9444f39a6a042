"""Plain-text exports: table rows are tab-separated lines; everything else is a paragraph.

Merged cells come out blank or are dropped altogether, so the table is marked ``ragged`` and
``normalize`` places cells by content. Form feeds, when present, count pages.
"""

from __future__ import annotations

import logging

from schema.errors import InputError
from schema.raw import RawCell, RawDocument, RawParagraph, RawRow, RawTable, SourceInfo

log = logging.getLogger(__name__)

ENCODINGS = ("utf-8", "gb18030")


def bytes_to_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; unify line ends."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings: tuple[str, ...] = ("utf-8",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ENCODINGS
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise InputError("cannot decode text: not UTF-8, UTF-16 or GB18030/GBK")


def text_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    text = bytes_to_text(data)
    paragraphs: list[RawParagraph] = []
    tables: list[RawTable] = []
    current: RawTable | None = None
    page = 1
    for lineno, line in enumerate(text.split("\n"), start=1):
        page += line.count("\f")
        line = line.replace("\f", "")
        if "\t" in line:
            if current is None:
                current = RawTable(index=len(tables), n_cols=0, rows=[], cells=[], ragged=True,
                                   paragraphs_before=len(paragraphs))
                tables.append(current)
            r = len(current.rows)
            current.rows.append(RawRow(index=r, page=page, line=lineno))
            parts = line.split("\t")
            current.n_cols = max(current.n_cols, len(parts))
            current.cells.extend(
                RawCell(row=r, col=c, text=part, page=page, line=lineno) for c, part in enumerate(parts)
            )
        elif line.strip():
            current = None
            paragraphs.append(RawParagraph(index=len(paragraphs), text=line.strip(), page=page, line=lineno))
    source = source.model_copy(update={"pages": page if page > 1 else None})
    log.debug("text: %d paragraphs, %d tables", len(paragraphs), len(tables))
    return RawDocument(source=source, paragraphs=paragraphs, tables=tables)
