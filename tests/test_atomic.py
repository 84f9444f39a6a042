"""Outputs are deterministic (byte-identical across runs and hash seeds) and atomic (a crash midway,
or a failing final rename, leaves the previous output exactly as it was and no temp folders)."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from kaoping.schema.errors import OutputError
from kaoping.schema.models import NoticeDocument
from support import ROOT, SAMPLES

import kaoping.writers.output as emit
from kaoping.api import extract
from kaoping.writers.output import write_document
from kaoping.writers.tables import TABLES

KAOPING = ROOT / ".venv" / "bin" / "kaoping"
ALL_FORMATS = ("json", "parquet", "html", "xlsx", "csv")


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def doc() -> NoticeDocument:
    return extract(SAMPLES / "notice_2022.txt")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["notice_2022.txt", "notice_2022.docx", "notice_2022.pdf"])
def test_two_runs_are_byte_identical(name: str, tmp_path: Path) -> None:
    """Separate processes with different hash seeds: set/dict order must never reach the output."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([str(KAOPING), "extract", str(SAMPLES / name), "-o", str(out), "-q",
                               "--format", ",".join(ALL_FORMATS)], capture_output=True, text=True, env=env,
                              check=False, cwd=tmp_path)
        assert (proc.returncode, proc.stderr) == (0, "")
        outs.append(digests(out))
    assert outs[0] == outs[1]
    names = set(outs[0])
    assert {"notice.json", "report.html", "notice.xlsx", "indicators.csv"} <= names
    assert {f"{t}.parquet" for t in TABLES} <= names


def test_rewriting_in_process_is_byte_identical(doc: NoticeDocument, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_document(doc, a, ALL_FORMATS)
    write_document(extract(SAMPLES / "notice_2022.txt"), b, ALL_FORMATS)
    assert digests(a) == digests(b)
    write_document(doc, a, ALL_FORMATS)  # over the earlier output
    assert digests(a) == digests(b)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("table", ["indicators", "notice"])
def test_crash_midway_keeps_previous_output(table: str, doc: NoticeDocument, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_document(doc, out)
    (out / "notice.json").write_text('{"earlier": true}\n', encoding="utf-8")  # mark the previous output
    before = digests(out)
    changed = doc.model_copy(update={"indicators": doc.indicators[:5]})
    with pytest.raises(RuntimeError, match=f"^injected failure after {table}.parquet$"):
        write_document(changed, out, _fail_after=table)
    assert digests(out) == before
    assert leftovers(tmp_path) == []


def test_crash_midway_without_previous_output_leaves_nothing(doc: NoticeDocument, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="^injected failure after indicators.parquet$"):
        write_document(doc, tmp_path / "out", _fail_after="indicators")
    assert list(tmp_path.iterdir()) == []


def test_failed_final_rename_restores_previous_output(doc: NoticeDocument, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_document(doc, out)
    before = digests(out)
    real_replace = os.replace

    def replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        if Path(src).name.startswith(".out.tmp-"):  # the new output moving into place
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(emit.os, "replace", replace)
    with pytest.raises(OutputError, match="^cannot write output: No space left on device$") as info:
        write_document(doc.model_copy(update={"indicators": []}), out)
    assert info.value.path == str(out) and info.value.exit_code == 4
    assert digests(out) == before
    assert leftovers(tmp_path) == []


def test_write_error_is_an_output_error(doc: NoticeDocument, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(emit, "write_parquet", full_disk)
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="^cannot write output: No space left on device$"):
        write_document(doc, out)
    assert list(tmp_path.iterdir()) == []


def test_output_folder_changed_during_write_is_not_replaced(doc: NoticeDocument, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone drops a file into OUTDIR while kaoping writes: the final check refuses to delete it."""
    out = tmp_path / "out"
    out.mkdir()
    real = emit.document_to_json

    def json_and_intruder(d: NoticeDocument) -> str:
        (out / "mine.docx").write_bytes(b"PK")
        return real(d)

    monkeypatch.setattr(emit, "document_to_json", json_and_intruder)
    with pytest.raises(OutputError, match="^output folder holds 'mine.docx', which kaoping did not write"):
        write_document(doc, out)
    assert sorted(p.name for p in out.iterdir()) == ["mine.docx"]
    assert leftovers(tmp_path) == []


def test_nested_output_folder_is_created(doc: NoticeDocument, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    write_document(doc, out, ("json",))
    assert sorted(digests(out)) == ["notice.json"]
    assert leftovers(out.parent) == []


@pytest.mark.parametrize("stranger", ["sub/notes.txt", ".hidden", "link.json"])
def test_check_replaceable_refuses_strangers(stranger: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "notice.json").write_text("{}", encoding="utf-8")
    if stranger == "link.json":
        (out / stranger).symlink_to(out / "notice.json")
    else:
        (out / stranger).write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=f"^output folder holds '{stranger}'"):
        emit.check_replaceable(out)


def test_check_replaceable_accepts_earlier_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("notice.json", "indicators.parquet", "report.html", "notice.xlsx", "indicators.csv"):
        (out / name).write_text("x", encoding="utf-8")
    emit.check_replaceable(out)
    (out / "my_data.csv").write_text("x", encoding="utf-8")  # a user's own file with an output-like suffix
    with pytest.raises(OutputError, match="my_data.csv"):
        emit.check_replaceable(out)
    emit.check_replaceable(tmp_path / "missing")
