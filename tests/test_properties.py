"""Property tests: a damaged text table never crashes and never loses a row unaccounted;
random bytes fed to any extractor raise only kaoping's own errors."""

from __future__ import annotations

import functools
import hashlib
import io

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kaoping.extract import REGISTRY, extract_document, get_extractor
from kaoping.extract.text import text_to_raw
from kaoping.normalize.pipeline import raw_to_document
from kaoping.schema.errors import InputError, KaopingError
from kaoping.schema.models import Accounting, NoticeDocument
from kaoping.schema.raw import SourceInfo
from support import SAMPLES

SAMPLE_TEXT = (SAMPLES / "notice_2022.txt").read_text(encoding="utf-8")
SAMPLE_LINES = SAMPLE_TEXT.split("\n")
TABLE_LINES = [i for i, line in enumerate(SAMPLE_LINES) if "\t" in line]
WHITESPACE = [" ", "  ", "\u3000", "\u00a0", " \u3000 "]

FAST = settings()  # examples per test come from the profile (tests/conftest.py)


def info(data: bytes, fmt: str = "text") -> SourceInfo:
    return SourceInfo(format=fmt, file=f"t.{fmt}", sha256=hashlib.sha256(data).hexdigest(), size=len(data))  # type: ignore[arg-type]


def text_to_document(text: str) -> NoticeDocument:
    data = text.encode("utf-8")
    return raw_to_document(text_to_raw(data, info(data)))


def accounted(acc: Accounting) -> int:
    return (acc.indicators + acc.header_rows + acc.total_rows + acc.continuation_rows + acc.blank_rows
            + acc.unparsed_rows)


def table_line_count(text: str) -> int:
    return sum(1 for line in text.split("\n") if "\t" in line)


# --- mutations of the text form ------------------------------------------------------------


def blank_cells(lines: list[str], picks: list[tuple[int, int]]) -> list[str]:
    """Empty cell ``col`` of table line ``row`` (both taken modulo what exists); tabs stay."""
    out = list(lines)
    for row, col in picks:
        i = TABLE_LINES[row % len(TABLE_LINES)]
        cells = out[i].split("\t")
        cells[col % len(cells)] = ""
        out[i] = "\t".join(cells)
    return out


def shift_rows(lines: list[str], picks: list[tuple[int, int]]) -> list[str]:
    """Shift a table line right (a leading empty cell) or left (drop its first cell, keeping a tab)."""
    out = list(lines)
    for row, how in picks:
        i = TABLE_LINES[row % len(TABLE_LINES)]
        if how % 2:
            out[i] = "\t" + out[i]
        else:
            cells = out[i].split("\t")
            out[i] = "\t".join(cells[1:]) if len(cells) > 2 else out[i]
    return out


def shuffle_whitespace(lines: list[str], picks: list[tuple[int, int, int, int]]) -> list[str]:
    """Pad cells with spaces / ideographic spaces, or turn a space inside a cell into another kind."""
    out = list(lines)
    for row, col, ws, side in picks:
        i = TABLE_LINES[row % len(TABLE_LINES)]
        cells = out[i].split("\t")
        k = col % len(cells)
        pad = WHITESPACE[ws % len(WHITESPACE)]
        if side % 3 == 0:
            cells[k] = pad + cells[k]
        elif side % 3 == 1:
            cells[k] = cells[k] + pad
        else:
            cells[k] = cells[k].replace(" ", pad)
        out[i] = "\t".join(cells)
    return out


def insert_blank_rows(lines: list[str], picks: list[int]) -> list[str]:
    """Insert tab-only lines (rows with every cell blank) after some table lines."""
    out = list(lines)
    for row in sorted({p % len(TABLE_LINES) for p in picks}, reverse=True):
        i = TABLE_LINES[row]
        out.insert(i + 1, "\t" * (out[i].count("\t")))
    return out


PAIRS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 50)), min_size=1, max_size=12)


def check_accounting(text: str) -> NoticeDocument:
    doc = text_to_document(text)
    acc = doc.accounting
    assert acc.rows_seen == table_line_count(text)
    assert acc.rows_seen == accounted(acc), acc
    assert acc.indicators == len(doc.indicators)
    assert acc.unparsed_rows == sum(1 for i in doc.issues if i.kind == "unparsed_row")
    return doc


def test_sample_text_accounts_for_every_row() -> None:
    acc = check_accounting(SAMPLE_TEXT).accounting
    assert acc == Accounting(rows_seen=82, indicators=61, header_rows=18, total_rows=3)


@pytest.mark.parametrize("name", ["notice_2022.txt", "notice_2022.docx", "notice_2022.pdf"])
def test_every_sample_accounts_for_every_row(name: str) -> None:
    raw = extract_document(SAMPLES / name)
    doc = raw_to_document(raw)
    acc = doc.accounting
    assert acc.rows_seen == sum(len(t.rows) for t in raw.tables)
    assert acc.rows_seen == accounted(acc), acc
    assert (acc.indicators, acc.total_rows, acc.unparsed_rows) == (61, 3, 0)
    # the two-line header: once in Word (repeated by tblHeader, not as rows), printed again on every page
    # of the PDF and the text export
    assert acc.header_rows == {"notice_2022.txt": 18, "notice_2022.docx": 2, "notice_2022.pdf": 20}[name]
    assert len(doc.totals) == acc.total_rows


@FAST
@given(PAIRS)
def test_blank_cells_never_lose_a_row(picks: list[tuple[int, int]]) -> None:
    check_accounting("\n".join(blank_cells(SAMPLE_LINES, picks)))


@FAST
@given(PAIRS)
def test_shifted_rows_never_lose_a_row(picks: list[tuple[int, int]]) -> None:
    check_accounting("\n".join(shift_rows(SAMPLE_LINES, picks)))


@FAST
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 50), st.integers(0, 10), st.integers(0, 2)),
                min_size=1, max_size=20))
def test_shuffled_whitespace_never_loses_a_row(picks: list[tuple[int, int, int, int]]) -> None:
    doc = check_accounting("\n".join(shuffle_whitespace(SAMPLE_LINES, picks)))
    assert len(doc.indicators) == 61  # padding is not content


@FAST
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=8))
def test_blank_rows_are_counted_as_blank(picks: list[int]) -> None:
    text = "\n".join(insert_blank_rows(SAMPLE_LINES, picks))
    doc = check_accounting(text)
    assert doc.accounting.blank_rows == len({p % len(TABLE_LINES) for p in picks})
    assert len(doc.indicators) == 61


@FAST
@given(PAIRS, PAIRS, st.lists(st.integers(0, 10_000), max_size=4))
def test_mixed_damage_never_crashes_or_loses_a_row(blanks: list[tuple[int, int]], shifts: list[tuple[int, int]],
                                                   empties: list[int]) -> None:
    lines = insert_blank_rows(shift_rows(blank_cells(SAMPLE_LINES, blanks), shifts), empties)
    check_accounting("\n".join(lines))


# --- random bytes into every extractor -----------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAGIC = {"text": b"", "docx": b"PK\x03\x04", "pdf": b"%PDF-1.4\n", "doc": OLE2, "wps": OLE2, "xls": OLE2,
         "rtf": b"{\\rtf1", "odt": b"PK\x03\x04", "ods": b"PK\x03\x04", "xlsx": b"PK\x03\x04"}


@pytest.mark.parametrize("fmt", sorted(REGISTRY))
@FAST
@given(data=st.binary(min_size=0, max_size=4096), magic=st.booleans())
def test_random_bytes_raise_only_kaoping_errors(fmt: str, data: bytes, magic: bool) -> None:
    data = (MAGIC.get(fmt, b"") if magic else b"") + data
    try:
        raw = get_extractor(fmt)(data, info(data, fmt))  # type: ignore[arg-type]
    except KaopingError as exc:
        assert isinstance(exc, InputError), exc
        assert exc.message and "\n" not in exc.message
        return
    assert raw.source.format == fmt


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for pos, value in edits:
        out[pos % len(out)] = value
    return bytes(out)


@functools.cache
def small_sample(fmt: str) -> bytes:
    """The docx sample, or two table pages of the PDF sample (fast enough to mutate many times)."""
    if fmt == "docx":
        return (SAMPLES / "notice_2022.docx").read_bytes()
    reader = pypdf.PdfReader(SAMPLES / "notice_2022.pdf")
    writer = pypdf.PdfWriter()
    for page in reader.pages[2:4]:
        writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=30),
       cut=st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_damaged_samples_raise_only_kaoping_errors(fmt: str, edits: list[tuple[int, int]],
                                                   cut: float | None) -> None:
    data = mutate(small_sample(fmt), edits)
    if cut is not None:
        data = data[: int(len(data) * cut)]
    try:
        raw = get_extractor(fmt)(data, info(data, fmt))  # type: ignore[arg-type]
    except KaopingError as exc:
        assert isinstance(exc, InputError), exc
        return
    assert raw.source.format == fmt
