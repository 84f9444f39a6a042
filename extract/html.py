"""Web pages (.html/.htm/.shtml): the article's paragraphs and its data tables, as the .docx reader gives them.

A notice published on a government site comes wrapped in site chrome and pasted from Word. The page is
decoded (BOM, then the ``<meta>`` charset, then strict UTF-8, else GB18030), parsed with lxml's HTML
parser (no network, no entities, comments and processing instructions dropped), and walked in document
order:

* chrome that is no part of the article (``<nav>``, ``<header>``, ``<footer>``, ``<aside>``, forms,
  scripts, styles) is dropped;
* every block (``<p>``, ``<div>``, ``<h1>``…, ``<li>``) and every ``<br>`` outside a table ends a paragraph;
* a table that has a single column, or holds a table at least as long as itself, lays the page out: its
  cells are read as blocks, in order, and the tables inside them are found there;
* every other table becomes a :class:`RawTable`: rowspan/colspan are placed on the grid exactly as the
  HTML table model does (a cell skips the slots that a rowspan from above still covers), so a merged cell
  appears once, at its top-left slot, with its spans — the grid the .docx reader builds from vMerge/gridSpan.
  A cell's paragraphs and ``<br>`` become ``"\\n"``; ``&nbsp;`` is a space, so a cell holding only
  ``&nbsp;`` is empty.

A site's metadata table (索引号, 发布机构, 生成日期, 文号 …) is such a data table, kept as one: it has no
考评表 header and no weighted rows, so ``normalize`` skips it and says so (``skipped_table``), and its
cells never reach the notice's paragraphs, where 文号/生成日期 would be taken for the notice's own
发文字号 and 成文日期. Header markup (``<th>``, ``<thead>``) is not trusted to mark header rows — sites use it
for looks as often as for meaning, and a metadata table with ``<th>`` labels must not pass for a 考评表; the
header vocabulary decides, as for text exports.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kaoping.schema.errors import InputError
from kaoping.schema.raw import RawCell, RawDocument, RawParagraph, RawRow, RawTable, SourceInfo
from lxml import etree
from lxml import html as lxml_html

log = logging.getLogger(__name__)

#: a published notice page is well under 5 MB; pages with inlined images reach tens of MB. Beyond this it is
#: not a notice page (and the parser's memory grows with it)
MAX_HTML_BYTES = 64 * 1024 * 1024
#: WHATWG's prescan reads 1024 bytes; pages pasted from Word carry kilobytes of <style> before the <meta>
CHARSET_SCAN_BYTES = 16 * 1024
#: the HTML table model clamps colspan at 1000 and rowspan at 65534
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534

#: the GB family: a page labelled with any of these is decoded as GB18030, its superset (real pages labelled
#: gb2312 hold GBK characters such as 昫)
GB_LABELS = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "ms936", "euc-cn",
                       "csgb2312", "chinese", "iso-ir-58", "gb_2312-80", "gb_2312"})
#: single-byte Western labels decode anything and are never right for a Chinese notice: servers send them by
#: default, so the bytes are examined instead
WESTERN_CODECS = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"})
FALLBACK_ENCODINGS = ("utf-8", "gb18030")

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

#: elements whose content is never part of the article
SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
                  "head", "title", "nav", "header", "footer", "aside", "form", "select", "button", "input",
                  "textarea", "option", "map", "canvas", "audio", "video"})
#: ARIA landmarks of site chrome (the same regions as <nav>, <header>, <footer> on older templates)
SKIP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
#: elements that start and end a line of their own
BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                    "blockquote", "pre", "address", "article", "section", "main", "center", "figure",
                    "figcaption", "hr", "caption", "table", "tr", "td", "th", "thead", "tbody", "tfoot",
                    "fieldset", "legend", "details", "summary", "body", "html"})
CELLS = frozenset({"td", "th"})
ROW_GROUPS = ("thead", "tbody", "tfoot")
#: HTML whitespace collapses to one space (a no-break space does not: it is kept, then read as a space)
_SPACES = re.compile(r"[ \t\n\r\f]+")
#: content that is never shown: Word's HTML keeps a hidden row of column widths, sites a hidden print copy
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.IGNORECASE)


# --- bytes to text -----------------------------------------------------------------------------


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta charset>`` or ``<meta http-equiv="content-type">`` names, as a codec name."""
    m = _META_CHARSET.search(data[:CHARSET_SCAN_BYTES])
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").lower()
    if label in GB_LABELS:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name in WESTERN_CODECS else name


def html_bytes_to_text(data: bytes, warnings: list[str]) -> str:
    """Decode a page: byte order mark, else the declared charset, else strict UTF-8, else GB18030."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                raise InputError(f"web page starts with a {enc} byte order mark but is not {enc}") from None
    declared = declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            warnings.append(f"web page says charset {declared} but is not; the encoding was detected instead")
    for enc in FALLBACK_ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("cannot decode web page: no usable charset declared, and not UTF-8 or GB18030/GBK")


def text_to_tree(text: str) -> etree._Element:
    """Parse with libxml2's HTML parser: no network, no entity loading, comments and PIs dropped."""
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                                  huge_tree=False, default_doctype=False)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"unreadable web page ({' '.join(str(exc).split())[:100] or type(exc).__name__})") from None
    if root is None:
        raise InputError("empty web page")
    for error in parser.error_log:
        # libxml2 stops at 256 levels of nesting (huge_tree off) and keeps what it read so far: refuse rather
        # than return a page with its end silently missing
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise InputError(f"unreadable web page: elements nested too deep ({error.message.split(',')[0]})")
    return root


# --- text of elements --------------------------------------------------------------------------


def tag_of(el: etree._Element) -> str | None:
    """Lower-case tag name; None for comments, processing instructions and entities."""
    return el.tag.lower() if isinstance(el.tag, str) else None


def is_skipped(el: etree._Element) -> bool:
    tag = tag_of(el)
    if tag is None or tag in SKIP:
        return True
    role = str(el.get("role") or "").strip().lower()
    return role in SKIP_ROLES or el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


@dataclass
class Lines:
    """Text gathered line by line: inline text runs together, a block or <br> ends the line."""

    done: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def end(self) -> str | None:
        """Close the current line; return it when it holds visible text."""
        line = _SPACES.sub(" ", "".join(self.parts)).replace("\xa0", " ").strip()
        self.parts = []
        if line:
            self.done.append(line)
            return line
        return None


def gather_text(el: etree._Element, lines: Lines) -> None:
    """An element's visible text into ``lines``; tables inside it are flattened (cells tab-separated)."""
    tag = tag_of(el)
    if tag == "br":
        lines.end()
        return
    if tag == "table":
        lines.end()
        lines.done += nested_table_lines(el)  # tabs kept between its cells, as the .docx reader keeps them
        return
    block = tag in BLOCKS
    if block:
        lines.end()
    lines.add(el.text)
    for child in el:
        if not is_skipped(child):
            gather_text(child, lines)
        lines.add(child.tail)
    if block:
        lines.end()


def cell_text(td: etree._Element) -> str:
    """A cell's lines (paragraphs, <br>) joined with newlines; empty lines dropped, as in the .docx reader."""
    lines = Lines()
    gather_text(td, lines)
    lines.end()
    return "\n".join(lines.done)


def nested_table_lines(table: etree._Element) -> list[str]:
    """A table inside a cell as text, like the .docx reader: cells of a row joined with tabs."""
    out = []
    for tr in iter_rows(table):
        texts = [cell_text(td).replace("\n", " ") for td in iter_cells(tr)]
        line = "\t".join(t for t in texts if t)
        if line:
            out.append(line)
    return out


# --- tables --------------------------------------------------------------------------------------


def iter_row_groups(table: etree._Element) -> Iterator[list[etree._Element]]:
    """The table's rows by row group (a rowspan never reaches past its group), thead first, tfoot last."""
    groups: dict[str, list[list[etree._Element]]] = {"thead": [], "tbody": [], "tfoot": []}
    loose: list[etree._Element] = []
    for child in table:
        tag = tag_of(child)
        if tag in ROW_GROUPS and not is_skipped(child):
            groups[tag].append([tr for tr in child if tag_of(tr) == "tr" and not is_skipped(tr)])
        elif tag == "tr" and not is_skipped(child):
            loose.append(child)
    yield from groups["thead"]
    if loose:
        yield loose
    yield from groups["tbody"]
    yield from groups["tfoot"]


def iter_rows(table: etree._Element) -> Iterator[etree._Element]:
    for group in iter_row_groups(table):
        yield from group


def iter_cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        if tag_of(child) in CELLS and not is_skipped(child):
            yield child


def span_of(td: etree._Element, name: str, limit: int) -> int:
    """rowspan/colspan as a browser reads it: leading digits; absent or invalid is 1; rowspan 0 is "to the end"."""
    m = re.match(r"\s*(\d+)", str(td.get(name) or ""))
    if not m:
        return 1
    value = int(m.group(1))
    if value == 0:
        return limit if name == "rowspan" else 1
    return min(value, limit)


def is_layout_table(table: etree._Element) -> bool:
    """A table that arranges the page rather than holding data: it has one column, or a table inside it has
    at least as many rows as it has (the content is inside it, not a detail of one of its cells — a data
    table with a small table in a cell keeps it, flattened, as the .docx reader does)."""
    n_rows = sum(1 for _ in iter_rows(table))
    if any(sum(1 for _ in iter_rows(el)) >= n_rows for el in table.iterdescendants("table")):
        return True
    return all(sum(span_of(td, "colspan", MAX_COLSPAN) for td in iter_cells(tr)) <= 1 for tr in iter_rows(table))


def table_to_raw(table: etree._Element, index: int, paragraphs_before: int) -> RawTable | None:
    """The HTML table model: each cell takes the first grid slot its row has free, and covers its spans."""
    rows: list[RawRow] = []
    cells: list[RawCell] = []
    n_cols = 0
    for group in iter_row_groups(table):
        base = len(rows)
        covered: dict[int, int] = {}  # grid column -> first row (table index) no longer covered from above
        for r, tr in enumerate(group, start=base):
            rows.append(RawRow(index=r))
            col = 0
            for td in iter_cells(tr):
                while covered.get(col, 0) > r:
                    col += 1
                rowspan = min(span_of(td, "rowspan", MAX_ROWSPAN), base + len(group) - r)
                colspan = span_of(td, "colspan", MAX_COLSPAN)
                cells.append(RawCell(row=r, col=col, rowspan=rowspan, colspan=colspan, text=cell_text(td)))
                for k in range(col, col + colspan):
                    covered[k] = r + rowspan
                col += colspan
                n_cols = max(n_cols, col)
    if not rows:
        return None
    return RawTable(index=index, n_cols=n_cols, rows=rows, cells=cells, paragraphs_before=paragraphs_before)


# --- the page --------------------------------------------------------------------------------------


@dataclass
class Page:
    paragraphs: list[RawParagraph] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    lines: Lines = field(default_factory=Lines)

    def end_line(self) -> None:
        line = self.lines.end()
        if line is not None:
            self.paragraphs.append(RawParagraph(index=len(self.paragraphs), text=line))

    def add_table(self, table: etree._Element) -> None:
        self.end_line()
        for caption in table.iterchildren("caption"):  # the table's title: a paragraph before it, as in Word
            walk(caption, self)
        raw = table_to_raw(table, len(self.tables), len(self.paragraphs))
        if raw is not None:
            self.tables.append(raw)


def walk(el: etree._Element, page: Page) -> None:
    """The article in document order: blocks and <br> end paragraphs, data tables become tables."""
    tag = tag_of(el)
    if tag == "br":
        page.end_line()
        return
    if tag == "table" and not is_layout_table(el):
        page.add_table(el)
        return
    block = tag in BLOCKS
    if block:
        page.end_line()
    page.lines.add(el.text)
    for child in el:
        if not is_skipped(child):
            walk(child, page)
        page.lines.add(child.tail)
    if block:
        page.end_line()


def html_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    """Read a web page into the article's paragraphs and its data tables (real merged cells)."""
    if len(data) > MAX_HTML_BYTES:
        raise InputError(f"web page too large ({len(data)} bytes; limit {MAX_HTML_BYTES})")
    warnings: list[str] = []
    root = text_to_tree(html_bytes_to_text(data, warnings))
    body = root.find("body")
    page = Page()
    try:
        walk(root if body is None else body, page)
    except RecursionError:
        raise InputError("unreadable web page: elements nested too deep") from None
    page.end_line()
    log.debug("html: %d paragraphs, %d tables", len(page.paragraphs), len(page.tables))
    return RawDocument(source=source, paragraphs=page.paragraphs, tables=page.tables, warnings=warnings)


__all__ = ["html_to_raw", "html_bytes_to_text", "declared_charset", "table_to_raw", "cell_text"]
