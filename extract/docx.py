"""Word (.docx) input: body paragraphs and tables with their real merges, read from the XML.

python-docx repeats a merged cell's object in every grid slot it covers, which hides where a
merge starts. Like docling's Word backend, we walk ``w:tr``/``w:tc`` ourselves: ``w:gridSpan``
(and ``w:gridBefore``/``w:gridAfter``) move along the grid, and a ``w:vMerge`` that does not say
``restart`` extends the cell above in the same grid column. Each real cell is emitted once, at its
top-left slot, with its spans.

The archive is checked before anything is inflated (zip bombs), and only the main document part
is read, so a hostile member elsewhere in the package is never decompressed. Whatever goes wrong
while reading raises :class:`InputError`; no third-party exception escapes.
"""

from __future__ import annotations

import io
import logging
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from kaoping.schema.errors import InputError
from kaoping.schema.limits import LimitError, current_limits
from kaoping.schema.raw import RawCell, RawDocument, RawParagraph, RawRow, RawTable, SourceInfo
from lxml import etree

log = logging.getLogger(__name__)

MAIN_PART = "word/document.xml"
PACKAGE_RELS = "_rels/.rels"
OFFICE_DOCUMENT_REL = "/officeDocument"

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # the default of Limits.max_part_bytes; the run's value is current_limits()
MAX_COMPRESSION_RATIO = 200
#: the ratio check applies only to members that inflate to at least this many bytes
RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024
#: spans and grid offsets are clamped to this (Word itself allows 63 columns)
MAX_GRID_SPAN = 1000

#: transitional and strict WordprocessingML namespaces
WORD_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

#: containers that wrap paragraphs, tables, rows or cells without meaning anything for the grid
WRAPPERS = frozenset({"sdt", "sdtContent", "customXml", "ins", "moveTo"})
#: subtrees of a paragraph that hold no visible text of that paragraph
SKIP_IN_PARAGRAPH = frozenset({"pPr", "rPr", "del", "moveFrom", "txbxContent", "instrText", "delText"})
FALSE_VALUES = frozenset({"0", "false", "off"})


class WordTags:
    """Qualified tag names for one namespace (transitional or strict)."""

    def __init__(self, namespace: str) -> None:
        self.ns = "{" + namespace + "}"

    def __call__(self, local: str) -> str:
        return self.ns + local

    def local(self, el: etree._Element) -> str | None:
        """Local name of a WordprocessingML element; None for other namespaces, comments, PIs."""
        tag = el.tag
        if isinstance(tag, str) and tag.startswith(self.ns):
            return tag[len(self.ns):]
        return None


@dataclass
class _Cell:
    row: int
    col: int
    colspan: int
    text: str
    rowspan: int = 1


# --- the package ---------------------------------------------------------------------------


def bytes_to_zip(data: bytes) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        raise InputError("corrupt DOCX: not a valid zip archive") from None
    return zf


def check_zip_limits(zf: zipfile.ZipFile) -> None:
    """Refuse archives that would inflate beyond the limits, before inflating anything."""
    limit = current_limits().max_part_bytes
    total = 0
    for info in zf.infolist():
        total += info.file_size
        large = info.file_size >= RATIO_CHECK_MIN_BYTES
        if large and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise InputError("DOCX too large when uncompressed (zip bomb?)")
    if total > limit:
        raise InputError("DOCX too large when uncompressed (zip bomb?)")


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        with zf.open(name) as fh:
            data = fh.read(current_limits().max_part_bytes + 1)
        if len(data) > current_limits().max_part_bytes:  # the directory understated the size
            raise LimitError("max_part_bytes", current_limits().max_part_bytes, None, f"DOCX part {name}")
        return data
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise InputError(f"corrupt DOCX: cannot read {name} ({_short(exc)})") from None
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encrypted member
        raise InputError(f"corrupt DOCX: cannot read {name} ({_short(exc)})") from None


def parse_xml(xml: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"corrupt DOCX: {name} is not well-formed XML ({_short(exc)})") from None
    if root is None:
        raise InputError(f"corrupt DOCX: {name} is empty")
    return root


def main_part_name(zf: zipfile.ZipFile) -> str:
    """The main document part: the package's officeDocument relationship, else word/document.xml."""
    names = set(zf.namelist())
    if PACKAGE_RELS in names:
        try:
            rels = parse_xml(read_member(zf, PACKAGE_RELS), PACKAGE_RELS)
        except InputError as exc:
            log.debug("ignoring unreadable %s: %s", PACKAGE_RELS, exc)
        else:
            for rel in rels:
                if str(rel.get("Type", "")).endswith(OFFICE_DOCUMENT_REL):
                    target = posixpath.normpath(str(rel.get("Target", "")).lstrip("/"))
                    if target in names:
                        return target
    if MAIN_PART in names:
        return MAIN_PART
    raise InputError("corrupt DOCX: word/document.xml missing")


def docx_to_body(data: bytes) -> tuple[etree._Element, WordTags]:
    """Open the package safely and return the document body and its tag namespace."""
    zf = bytes_to_zip(data)
    with zf:
        check_zip_limits(zf)
        name = main_part_name(zf)
        root = parse_xml(read_member(zf, name), name)
    for namespace in WORD_NAMESPACES:
        w = WordTags(namespace)
        if root.tag == w("document"):
            body = root.find(w("body"))
            if body is None:
                raise InputError(f"corrupt DOCX: {name} has no document body")
            return body, w
    raise InputError(f"corrupt DOCX: {name} is not a WordprocessingML document")


# --- text ------------------------------------------------------------------------------------


def iter_blocks(parent: etree._Element, w: WordTags) -> Iterator[etree._Element]:
    """``w:p`` and ``w:tbl`` children in document order, looking through content controls."""
    for child in parent:
        local = w.local(child)
        if local in ("p", "tbl"):
            yield child
        elif local in WRAPPERS:
            yield from iter_blocks(child, w)


def paragraph_text(p: etree._Element, w: WordTags) -> str:
    """The visible text of one paragraph: runs, tabs and breaks; no deleted text, no field codes."""
    parts: list[str] = []
    _collect_text(p, w, parts)
    return "".join(parts)


def _collect_text(el: etree._Element, w: WordTags, parts: list[str]) -> None:
    for child in el:
        if child.tag == MC_FALLBACK:
            continue
        local = w.local(child)
        if local in SKIP_IN_PARAGRAPH:
            continue
        if local == "t":
            parts.append(child.text or "")
        elif local == "tab":
            parts.append("\t")
        elif local in ("br", "cr"):
            parts.append("\n")
        elif local == "noBreakHyphen":
            parts.append("-")
        else:
            _collect_text(child, w, parts)


def textbox_paragraphs(p: etree._Element, w: WordTags) -> Iterator[etree._Element]:
    """Paragraphs of the outermost text boxes anchored in ``p`` (preferred rendering, not the fallback)."""
    for box in p.iter(w("txbxContent")):
        if all(a.tag not in (MC_FALLBACK, w("txbxContent")) for a in _ancestors_below(box, p)):
            yield from iter_blocks(box, w)


def _ancestors_below(el: etree._Element, top: etree._Element) -> Iterator[etree._Element]:
    for ancestor in el.iterancestors():
        if ancestor is top:
            return
        yield ancestor


def cell_text(tc: etree._Element, w: WordTags, depth: int = 0) -> str:
    """A cell's paragraphs joined with newlines; nested tables flattened in place (``depth`` levels deep
    so far: bounded by the max_table_depth limit)."""
    parts: list[str] = []
    for block in iter_blocks(tc, w):
        text = paragraph_text(block, w) if w.local(block) == "p" else nested_table_text(block, w, depth + 1)
        if text.strip():
            parts.append(text)
    return "\n".join(parts)


def nested_table_text(tbl: etree._Element, w: WordTags, depth: int = 1) -> str:
    """A table inside a cell as text: cells of a row joined with tabs, rows with newlines."""
    current_limits().check("max_table_depth", depth, "tables nested in table cells")
    lines = []
    for tr in iter_rows(tbl, w):
        texts = [cell_text(tc, w, depth) for tc in iter_cells(tr, w)]
        line = "\t".join(t for t in texts if t.strip())
        if line:
            lines.append(line)
    return "\n".join(lines)


# --- tables ----------------------------------------------------------------------------------


def iter_rows(tbl: etree._Element, w: WordTags) -> Iterator[etree._Element]:
    for child in tbl:
        local = w.local(child)
        if local == "tr":
            if child.find(f"{w('trPr')}/{w('del')}") is None:  # a deleted row (tracked change)
                yield child
        elif local in WRAPPERS:
            yield from iter_rows(child, w)


def iter_cells(tr: etree._Element, w: WordTags) -> Iterator[etree._Element]:
    for child in tr:
        local = w.local(child)
        if local == "tc":
            yield child
        elif local in WRAPPERS:
            yield from iter_cells(child, w)


def _val(el: etree._Element | None, w: WordTags) -> str | None:
    return None if el is None else el.get(w("val"))


def _int_val(el: etree._Element | None, w: WordTags, default: int) -> int:
    if el is None:
        return default
    try:
        return min(max(int(str(_val(el, w))), 0), MAX_GRID_SPAN)
    except ValueError:
        return default


def _on(el: etree._Element | None, w: WordTags) -> bool:
    """An OOXML on/off property: present and not switched off."""
    return el is not None and str(_val(el, w)).lower() not in FALSE_VALUES


def table_to_raw(tbl: etree._Element, w: WordTags, index: int, paragraphs_before: int,
                 warnings: list[str]) -> RawTable | None:
    """One ``w:tbl`` as a grid of real cells; None for a table without rows."""
    grid = tbl.find(w("tblGrid"))
    n_cols = 0 if grid is None else len(grid.findall(w("gridCol")))
    n_grid = n_cols  # what the table declares; a span beyond it is corrupt, not a wider table
    slots = 0
    rows: list[RawRow] = []
    cells: list[_Cell] = []
    above: dict[int, _Cell] = {}  # grid column -> last cell that started there
    for r, tr in enumerate(iter_rows(tbl, w)):
        tr_pr = tr.find(w("trPr"))
        header = tr_pr is not None and _on(tr_pr.find(w("tblHeader")), w)
        rows.append(RawRow(index=r, header=header))
        col = 0 if tr_pr is None else _int_val(tr_pr.find(w("gridBefore")), w, 0)
        previous: _Cell | None = None
        for tc in iter_cells(tr, w):
            tc_pr = tc.find(w("tcPr"))
            span, vmerge, hmerge = 1, None, None
            if tc_pr is not None:
                span = max(_int_val(tc_pr.find(w("gridSpan")), w, 1), 1)
                if n_grid and span > n_grid:
                    raise InputError(f"corrupt DOCX: table {index + 1} row {r + 1}: a cell's gridSpan {span} is wider "
                                     f"than the table's grid of {n_grid} columns")
                vmerge = tc_pr.find(w("vMerge"))
                hmerge = tc_pr.find(w("hMerge"))
            text = cell_text(tc, w)
            if vmerge is not None and _val(vmerge, w) != "restart":
                origin = above.get(col)
                if origin is not None and origin.row + origin.rowspan == r:
                    origin.rowspan += 1
                    if text.strip():
                        origin.text = f"{origin.text}\n{text}" if origin.text else text
                    previous = origin
                    col += span
                    continue
                warnings.append(f"table {index} row {r}: vertical merge at grid column {col} "
                                "continues no cell above; kept as its own cell")
            if (hmerge is not None and _val(hmerge, w) != "restart" and previous is not None
                    and previous.row == r and previous.col + previous.colspan == col):
                previous.colspan += span  # legacy horizontal merge
                if text.strip():
                    previous.text = f"{previous.text}\n{text}" if previous.text else text
                col += span
                continue
            cell = _Cell(row=r, col=col, colspan=span, text=text)
            cells.append(cell)
            above[col] = cell
            previous = cell
            col += span
        if tr_pr is not None:
            col += _int_val(tr_pr.find(w("gridAfter")), w, 0)
        n_cols = max(n_cols, col)
        slots += n_cols  # grid slots, what normalize lays out: checked row by row, before the table is built
        current_limits().check("max_table_cells", slots, f"table {index + 1}: grid slots")
    if not rows:
        return None
    return RawTable(
        index=index,
        n_cols=n_cols,
        rows=rows,
        cells=[RawCell(row=c.row, col=c.col, rowspan=c.rowspan, colspan=c.colspan, text=c.text)
               for c in cells],
        paragraphs_before=paragraphs_before,
    )


# --- the document ----------------------------------------------------------------------------


def is_layout_table(tbl: etree._Element, w: WordTags) -> bool:
    """A table that arranges the page rather than holding data (a web page's layout table saved or converted
    to Word): a table inside it has more rows than it has — the content is inside it, not a detail of one of
    its cells. A data table with a small table in a cell keeps it, flattened into the cell's text; a
    one-column table stays a table (a boxed note in a Word file). Stricter than the web reader's "at least as
    many": in Word a small grid in a small table's cell is more often data."""
    n_rows = sum(1 for _ in iter_rows(tbl, w))
    return any(sum(1 for _ in iter_rows(t, w)) > n_rows for t in tbl.iter(w("tbl")) if t is not tbl)


def content_blocks(parent: etree._Element, w: WordTags, depth: int = 0) -> Iterator[etree._Element]:
    """Paragraphs and data tables in reading order, a layout table's cells read as the page they lay out."""
    for block in iter_blocks(parent, w):
        if w.local(block) == "tbl" and is_layout_table(block, w):
            current_limits().check("max_table_depth", depth + 1, "tables nested in table cells")
            for tr in iter_rows(block, w):
                for tc in iter_cells(tr, w):
                    yield from content_blocks(tc, w, depth + 1)
        else:
            yield block


def body_to_raw(body: etree._Element, w: WordTags, source: SourceInfo) -> RawDocument:
    paragraphs: list[RawParagraph] = []
    tables: list[RawTable] = []
    warnings: list[str] = []

    def add_paragraph(p: etree._Element) -> None:
        # a line break inside a paragraph (w:br: a web page's <br> saved as Word) starts a new line of the
        # notice as a new paragraph would: 发文字号, title and addressee are each their own line
        for line in paragraph_text(p, w).split("\n"):
            if line.strip():
                paragraphs.append(RawParagraph(index=len(paragraphs), text=line.strip()))
        for inner in textbox_paragraphs(p, w):
            if w.local(inner) == "p":
                add_paragraph(inner)

    for block in content_blocks(body, w):
        if w.local(block) == "p":
            add_paragraph(block)
            continue
        table = table_to_raw(block, w, len(tables), len(paragraphs), warnings)
        if table is not None:
            tables.append(table)
    log.debug("docx: %d paragraphs, %d tables", len(paragraphs), len(tables))
    return RawDocument(source=source, paragraphs=paragraphs, tables=tables, warnings=warnings)


def docx_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    """Read a Word document into paragraphs and tables of real (merged) cells."""
    body, w = docx_to_body(data)
    try:
        return body_to_raw(body, w, source)
    except RecursionError:
        raise InputError("corrupt DOCX: document nesting too deep") from None


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


__all__ = ["docx_to_raw", "docx_to_body", "check_zip_limits", "table_to_raw", "cell_text", "paragraph_text"]
