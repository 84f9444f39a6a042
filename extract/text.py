"""Plain-text exports: table rows are tab-separated lines; everything else is a paragraph.

Merged cells come out blank or are dropped altogether, so the table is marked ``ragged`` and
``normalize`` places cells by content. Form feeds, when present, count pages.

A text export with no tab-separated row but a 考评表 header laid out one cell per line (LibreOffice's
own "Text" export writes every paragraph of every cell on a line of its own, and a covered slot of a merged
cell as a blank line) is refused with what was found and what to do: in it a blank line may be a merged
slot, an empty cell or a cell's empty paragraph, and a second line may be a cell's second paragraph or the
next cell, so the cell boundaries are not in the file and any reading of it would be a guess.
"""

from __future__ import annotations

import logging

from kaoping.schema.errors import InputError
from kaoping.schema.limits import current_limits
from kaoping.schema.raw import RawCell, RawDocument, RawParagraph, RawRow, RawTable, SourceInfo
from kaoping.schema.vocabulary import header_role

log = logging.getLogger(__name__)

ENCODINGS = ("utf-8", "gb18030")
UTF16_SNIFF_BYTES = 4096
UTF16_MIN_ZEROS = 8  # ASCII code units (tabs, digits, line ends) a UTF-16 notice has plenty of
UTF16_ZERO_RATIO = 4  # zero bytes on one parity at least this many times the other
UTF16_PRINTABLE = 0.95
#: a 考评表 header has 8–12 labels; a one-cell-per-line export prints them within ~25 lines (merged header
#: cells add blank lines), and prose never puts four bare column labels on lines of their own that close
HEADER_WINDOW_LINES = 40
HEADER_MIN_LABELS = 4


def utf16_byte_order(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when BOM-less bytes look like UTF-16 text, else None.

    Every ASCII code unit leaves a zero byte on the same side of its pair, so UTF-16 text has zero
    bytes piled on one parity (random binary spreads them evenly), and its head decodes to printable text.
    """
    head = data[:UTF16_SNIFF_BYTES]
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for order, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros < UTF16_MIN_ZEROS or zeros < UTF16_ZERO_RATIO * other:
            continue
        sample = head.decode(order, errors="ignore")
        printable = sum(1 for ch in sample if ch.isprintable() or ch in "\t\n\r\f")
        if sample and printable >= UTF16_PRINTABLE * len(sample):
            return order
    return None


def bytes_to_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (with BOM, or recognisably without), or GB18030/GBK.

    GB18030 maps nearly every byte sequence to some character, so it is tried last; bytes that are
    invalid even there (e.g. a lone 0x80 or 0xFF) raise :class:`InputError`. Line ends are unified.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings: tuple[str, ...] = ("utf-8",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif order := utf16_byte_order(data):
        encodings = (order,)
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
    limits = current_limits()
    text = bytes_to_text(data)
    limits.check("max_document_chars", len(text), "the document's text")
    n_cells = 0
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
            n_cells += line.count("\t") + 1  # counted before a million-tab line becomes a million cells
            limits.check("max_table_cells", n_cells, "table cells")
            parts = line.split("\t")
            limits.check("max_cell_chars", max(len(part) for part in parts), f"line {lineno}: a cell")
            current.n_cols = max(current.n_cols, len(parts))
            current.cells.extend(
                RawCell(row=r, col=c, text=part, page=page, line=lineno) for c, part in enumerate(parts)
            )
        elif line.strip():
            current = None
            paragraphs.append(RawParagraph(index=len(paragraphs), text=line.strip(), page=page, line=lineno))
    if not tables:
        refuse_cell_per_line_table(text)
    source = source.model_copy(update={"pages": page if page > 1 else None})
    log.debug("text: %d paragraphs, %d tables", len(paragraphs), len(tables))
    return RawDocument(source=source, paragraphs=paragraphs, tables=tables)


def is_header_label(line: str) -> bool:
    return header_role(line) is not None


def cell_per_line_header(lines: list[str]) -> tuple[int, list[str]] | None:
    """(1-based line, labels) of the first run of lines that are 考评表 column labels, one per line."""
    hits = [(i, line.strip()) for i, line in enumerate(lines) if is_header_label(line)]
    for k, (start, _) in enumerate(hits):
        window = [label for i, label in hits[k:] if i - start < HEADER_WINDOW_LINES]
        if len(set(window)) >= HEADER_MIN_LABELS:
            return start + 1, window
    return None


def refuse_cell_per_line_table(text: str) -> None:
    """Raise :class:`InputError` for a table exported one cell per line (no tab-separated rows)."""
    found = cell_per_line_header(text.replace("\f", "").split("\n"))
    if found is None:
        return
    line, labels = found
    raise InputError(
        f"text export without tab-separated rows: a 考评表 header is printed one cell per line from line {line} "
        f"({' '.join(labels[:6])} …), as LibreOffice's 'Text' export writes tables; its cell boundaries and "
        "merged cells are lost, so it cannot be read reliably. Save the notice as .docx or PDF instead "
        "(or as plain text from Word, which separates cells with tabs)")
