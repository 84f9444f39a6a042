"""Fuzzing the text, .docx and PDF readers (issue 17): whatever the bytes, a reader returns a RawDocument or
raises InputError (exit 3), and the pipeline on what the text and .docx readers return a NoticeDocument or InputError: never another exception.

``make test`` runs a small budget (a few seconds); ``make fuzz`` sets KAOPING_FUZZ_EXAMPLES to a larger one.
Every input that ever crashed is kept in tests/fuzz_regressions/ (written by the failing run itself) and
replayed here on every run.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kaoping.schema.errors import InputError
from kaoping.schema.raw import SourceInfo

from tests.fixtures.make_hostile import ROWS, docx_bytes, pages_pdf, text_notice, text_page

REGRESSIONS = Path(__file__).parent / "fuzz_regressions"
#: examples per reader in ``make test``; ``make fuzz`` multiplies (KAOPING_FUZZ_EXAMPLES)
SCALE = int(os.environ.get("KAOPING_FUZZ_EXAMPLES", "1"))
BUDGET = {"text": 40 * SCALE, "docx": 30 * SCALE, "pdf": 6 * SCALE}

TEXT_SEED = text_notice()
DOCX_SEED = docx_bytes(
    "<w:p><w:r><w:t>通知</w:t></w:r></w:p><w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
    + "".join(f"<w:tr><w:tc><w:p><w:r><w:t>{a}</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr>"
              f"<w:p><w:r><w:t>{b}</w:t></w:r></w:p></w:tc></w:tr>" for a, b in (("序号", "权重"), ("1-1", "2")))
    + "</w:tbl>")
PDF_SEED = pages_pdf([text_page(["Notice", "1-1 item 2"]), text_page(["page two"])])


def read(kind: str, data: bytes) -> None:
    """Run one reader (and, for text and .docx, the whole pipeline); keep any crash as a regression file."""
    from kaoping.extract import get_extractor

    info = SourceInfo(format=kind, file=f"fuzz.{kind}", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    try:
        raw = get_extractor(kind)(data, info)
        if kind in ("text", "docx"):
            from kaoping.normalize.pipeline import raw_to_document

            raw_to_document(raw)
    except InputError:
        pass
    except BaseException:
        REGRESSIONS.mkdir(exist_ok=True)
        (REGRESSIONS / f"{kind}-{info.sha256[:16]}.bin").write_bytes(data)
        raise


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few byte-level edits: flips, deletions, insertions, duplications, truncation."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "delete", "insert", "repeat", "truncate"]))
        if edit == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif edit == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 256))] * draw(st.integers(2, 50))
        else:
            del data[at:]
    return bytes(data)


_TEXT_CHARS = st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "Cc", "Cf"))


@st.composite
def text_notices(draw: st.DrawFn) -> bytes:
    """A table of a notice with random cells: tabs, invisible characters, long runs, numbers, codes."""
    cell = st.one_of(st.text(_TEXT_CHARS, max_size=30), st.sampled_from(["", "1-1", "2", "12月底前", "合计", "张三 李四"]))
    rows = draw(st.lists(st.lists(cell, min_size=1, max_size=12).map("\t".join), max_size=12))
    return text_notice([*ROWS, *rows])


_VALUES = st.one_of(st.integers(-3, 70).map(str), st.sampled_from(["", "x", "99999999999", "restart", "continue"]))


@st.composite
def docx_tables(draw: st.DrawFn) -> bytes:
    """A .docx whose table has random spans, merges, grid offsets and nested tables."""

    def cell(depth: int) -> str:
        props = "".join(f'<w:{tag} w:val="{draw(_VALUES)}"/>'
                        for tag in draw(st.lists(st.sampled_from(["gridSpan", "vMerge", "hMerge"]), max_size=2)))
        inner = table(depth + 1) if depth < 2 and draw(st.booleans()) else ""
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{escape(draw(st.text(_TEXT_CHARS.filter(str.isprintable), max_size=8)))}</w:t></w:r></w:p>{inner}</w:tc>"

    def row(depth: int) -> str:
        offsets = "".join(f'<w:{tag} w:val="{draw(_VALUES)}"/>'
                          for tag in draw(st.lists(st.sampled_from(["gridBefore", "gridAfter"]), max_size=2)))
        return f"<w:tr><w:trPr>{offsets}</w:trPr>" + "".join(cell(depth) for _ in range(draw(st.integers(0, 4)))) + "</w:tr>"

    def table(depth: int) -> str:
        grid = "<w:tblGrid>" + "<w:gridCol/>" * draw(st.integers(0, 5)) + "</w:tblGrid>"
        return "<w:tbl>" + grid + "".join(row(depth) for _ in range(draw(st.integers(0, 4)))) + "</w:tbl>"

    return docx_bytes(table(0))


@settings(max_examples=BUDGET["text"], deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(text_notices(), mutated(TEXT_SEED), st.binary(max_size=512)))
def test_text_reader_and_pipeline_never_crash(data: bytes) -> None:
    read("text", data)


@settings(max_examples=BUDGET["docx"], deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(mutated(DOCX_SEED), docx_tables()))
def test_docx_reader_never_crashes(data: bytes) -> None:
    read("docx", data)


@settings(max_examples=BUDGET["pdf"], deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated(PDF_SEED))
def test_pdf_reader_never_crashes(data: bytes) -> None:
    read("pdf", data)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.bin")), ids=lambda p: p.name)
def test_every_crash_found_stays_fixed(path: Path) -> None:
    read(path.name.split("-")[0], path.read_bytes())
