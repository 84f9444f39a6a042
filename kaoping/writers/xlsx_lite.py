"""A minimal, fast, deterministic .xlsx writer: inline strings, numbers, dates, a bold frozen header row, an
auto filter and column widths — what the dataset workbook needs, at string-join speed.

openpyxl builds a Python object per cell (about 40,000 cells a second here); a dataset of thousands of
notices has millions of cells, written at the end of every ingest run that changed something. The XML
below is the SpreadsheetML subset Excel, LibreOffice and openpyxl all read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Sequence
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape, quoteattr

ZIP_STAMP = (1980, 1, 1, 0, 0, 0)  # fixed entry timestamps: same content, same bytes
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (its 1900 leap-year bug included)
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell's text; longer text is cut here (the CSV keeps all of it)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# characters XML 1.0 cannot hold, and text that already looks like OOXML's _xHHHH_ escape
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_STYLES = f"""<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>\
</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>\
</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/>\
</xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
HEADER_STYLE, DATE_STYLE, WRAP_STYLE = 1, 2, 3


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape_char(m: re.Match) -> str:
    text = m.group(0)
    return f"_x{ord(text):04X}_" if len(text) == 1 else "_x005F" + text


def _text_cell(text: str, wrap_chars: int) -> str:
    text = _ILLEGAL.sub(_escape_char, text[:MAX_CELL_CHARS])
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    s = f' s="{WRAP_STYLE}"' if len(text) > wrap_chars else ""
    return f'<c{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def cell_xml(value: Any, wrap_chars: int = MAX_CELL_CHARS) -> str:
    """One cell without a reference: cells and rows follow each other (``r`` is optional in SpreadsheetML),
    so rows rendered apart — one notice's in its worker — concatenate as they are."""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or isinstance(value, float) and math.isfinite(value):
        return f"<c><v>{value!r}</v></c>"
    if isinstance(value, dt.date):
        return f'<c s="{DATE_STYLE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    return _text_cell(str(value), wrap_chars)


def rows_xml(rows: Sequence[Sequence[Any]], wrap_chars: int = MAX_CELL_CHARS) -> str:
    """``<row>`` elements for ``rows``; text longer than ``wrap_chars`` characters wraps."""
    out = []
    for row in rows:
        cells = [cell_xml(v, wrap_chars) for v in row]
        while cells and cells[-1] == "<c/>":
            cells.pop()
        out.append("<row>" + "".join(cells) + "</row>")
    return "".join(out)


def sheet_xml(headers: Sequence[str], body: Sequence[str], n_rows: int, widths: Sequence[float]) -> str:
    """A worksheet: bold frozen header, the ``body`` row fragments in order, widths, an auto filter."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    head = "".join(f'<c s="{HEADER_STYLE}" t="inlineStr"><is><t>{escape(h)}</t></is></c>' for h in headers)
    ref = f'<autoFilter ref="A1:{column_letter(len(headers))}{n_rows + 1}"/>' if headers else ""
    return "".join([f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" '
                    'topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    '<sheetFormatPr defaultRowHeight="15"/>', f"<cols>{cols}</cols>" if cols else "",
                    f"<sheetData><row>{head}</row>", *body, "</sheetData>", ref, "</worksheet>"])


def workbook_bytes(sheets: list[tuple[str, str]], filters: list[str | None], creator: str,
                   stamp: dt.datetime) -> bytes:
    """The .xlsx bytes of ``(sheet name, sheet XML)`` pairs; ``filters[i]`` is sheet i's filter range."""
    n = len(sheets)
    names = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                    for i, (name, _) in enumerate(sheets, start=1))
    defined = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                      f"{escape(repr_sheet(sheets[i][0]))}!{ref}</definedName>"
                      for i, ref in enumerate(filters) if ref)
    workbook = (f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{names}</sheets>'
                + (f"<definedNames>{defined}</definedNames>" if defined else "") + "</workbook>")
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, n + 1))
    rels += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" '
        f'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>{overrides}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
        f'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
        'Target="docProps/core.xml"/></Relationships>',
        "docProps/core.xml": '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>{escape(creator)}</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>',
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG_REL}">{rels}</Relationships>',
        "xl/styles.xml": _STYLES,
        **{f"xl/worksheets/sheet{i}.xml": xml for i, (_, xml) in enumerate(sheets, start=1)},
    }
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (_XML_HEAD + text).encode("utf-8"))
    return buf.getvalue()


def repr_sheet(name: str) -> str:
    """A sheet name as a formula reference: quoted, inner quotes doubled."""
    return "'" + name.replace("'", "''") + "'"
