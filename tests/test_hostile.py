"""Hostile and oversized inputs (issue 17): each ends with exit 0 or exit 3 and one line naming the cause,
within bounded memory. The files are built at test time by tests/fixtures/make_hostile.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.make_hostile import CASES

#: a run past this is a hang (not a timing assertion: the issue's cases ran minutes to hours)
HANG_SECONDS = 120
PEAK_RSS_LIMIT_KB = 1024 * 1024  # 1 GB, the bound for every case
SLOW = {"name_cell_10k.txt", "han_paragraph_100k.txt", "paragraph_10mb.txt", "cell_5mb.txt", "long_line.pdf",
        "pages_1000.pdf", "bomb.pdf"}


def case_params() -> list:
    return [pytest.param(name, marks=pytest.mark.slow) if name in SLOW else name for name in CASES]


@pytest.mark.parametrize("name", case_params())
def test_hostile_case_ends_cleanly(name: str, tmp_path: Path) -> None:
    builder, expected = CASES[name]
    path = tmp_path / name
    path.write_bytes(builder())
    # a fresh interpreter measures this case alone: its RUSAGE_CHILDREN covers only the kaoping run
    probe = (
        "import resource, subprocess, sys, json;"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "print(json.dumps([p.returncode, p.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    argv = [sys.executable, "-c", probe, sys.executable, "-m", "kaoping", "extract", str(path),
            "-o", str(tmp_path / "out"), "-q"]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=HANG_SECONDS, cwd=tmp_path)
    code, err, peak_kb = json.loads(proc.stdout)
    lines = err.strip().splitlines()
    assert code in (0, 3), err
    assert peak_kb < PEAK_RSS_LIMIT_KB, f"{name}: peak RSS {peak_kb // 1024} MB"
    if code == 3:
        assert len(lines) == 1 and lines[0].startswith(f"kaoping: error: {path}: "), err
        assert "internal error" not in err
    if expected == "ok":
        assert code == 0, err
        assert (tmp_path / "out" / "notice.json").is_file()
    elif expected:
        assert code == 3 and expected in lines[0], err


def test_limit_flag_raises_the_limit(tmp_path: Path) -> None:
    from tests.fixtures.make_hostile import name_cell_notice

    path = tmp_path / "n.txt"
    path.write_bytes(name_cell_notice(3_000))
    proc = subprocess.run([sys.executable, "-m", "kaoping", "extract", str(path), "-o", str(tmp_path / "o"), "-q",
                           "--max-cell-chars", "1000"], capture_output=True, text=True, timeout=HANG_SECONDS)
    assert proc.returncode == 3
    assert proc.stderr.strip() == (f"kaoping: error: {path}: line 24: a cell (3000 characters) exceeds the limit "
                                   "max_cell_chars=1000 characters; raise it with --max-cell-chars N if this file "
                                   "is genuine")
    proc = subprocess.run([sys.executable, "-m", "kaoping", "extract", str(path), "-o", str(tmp_path / "o"), "-q",
                           "--max-cell-chars", "5000"], capture_output=True, text=True, timeout=HANG_SECONDS)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_devices_and_fifos_are_refused_without_reading(special: str, tmp_path: Path) -> None:
    from kaoping.extract import read_source
    from kaoping.schema.errors import InputError

    path = Path(special)
    if special == "fifo":
        path = tmp_path / "notice.txt"
        os.mkfifo(path)  # nobody writes: reading it would block forever
    with pytest.raises(InputError, match="not a regular file"):
        read_source(path)


def test_reading_stops_at_the_limit_whatever_the_stated_size(tmp_path: Path) -> None:
    from kaoping.extract import read_source
    from kaoping.schema.limits import LimitError, Limits, using_limits

    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    with using_limits(Limits(max_input_bytes=4096)), pytest.raises(LimitError, match="max_input_bytes"):
        read_source(path)


def test_pdf_guard_timeout_and_memory_are_clean_limit_errors(tmp_path: Path) -> None:
    from kaoping.extract import extract_document
    from kaoping.schema.limits import LimitError, Limits

    from tests.fixtures.make_hostile import bomb_pdf, many_pages_pdf

    slow = tmp_path / "slow.pdf"
    slow.write_bytes(many_pages_pdf(3000))  # ~2 s of parsing, ten times the timeout
    with pytest.raises(LimitError) as err:
        extract_document(slow, Limits(parse_timeout=0.2))
    assert err.value.name == "parse_timeout" and "--timeout N" in err.value.message
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(600 * 1024 * 1024))
    with pytest.raises(LimitError) as err:
        extract_document(bomb, Limits(max_stream_bytes=1 << 30, max_memory_mb=200))
    assert err.value.name == "max_memory_mb" and "--max-memory-mb N" in err.value.message
    with pytest.raises(LimitError) as err:
        extract_document(bomb, Limits(max_stream_bytes=64 << 20))
    assert err.value.name == "max_stream_bytes" and "--max-stream-mb N" in err.value.message


def test_undecodable_streams_are_named_not_called_a_scan(tmp_path: Path) -> None:
    from kaoping.extract import extract_document
    from kaoping.schema.errors import InputError

    from tests.fixtures.make_hostile import undecodable_pdf

    path = tmp_path / "u.pdf"
    path.write_bytes(undecodable_pdf())
    with pytest.raises(InputError) as err:
        extract_document(path)
    assert err.value.message == "corrupt PDF: 2 compressed stream(s) cannot be decoded, so no text could be read"


def test_page_workers_never_exceed_free_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    from kaoping.extract.pdf_guard import page_workers

    monkeypatch.delenv("KAOPING_PDF_WORKERS", raising=False)
    assert page_workers(3, 8) == 1  # too few pages to pay for a fork
    assert page_workers(100, 1) == 1  # a busy machine: no workers
    assert page_workers(100, 2) == 2
    assert page_workers(12, 8) == 2  # six pages at least per process
    monkeypatch.setenv("KAOPING_PDF_WORKERS", "3")
    assert page_workers(100, 1) == 3  # an explicit override wins
