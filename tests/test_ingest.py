"""kaoping ingest: a Hive-partitioned dataset over many notices; idempotent, one notice per 发文字号."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from support import SAMPLES

from kaoping.cli import main
from kaoping.features.ingest import (
    MANIFEST,
    IngestedSource,
    choose_primary,
    collect_inputs,
    notice_stem,
)

TEXT_2022 = (SAMPLES / "notice_2022.txt").read_text(encoding="utf-8")


def later_year_text() -> str:
    """The 2022 notice turned into a 2023 one: every year shifted (incl. the 发文字号), two items dropped,
    one reworded."""
    text = TEXT_2022.replace("2023", "2024").replace("2022", "2023").replace("〕196号", "〕58号")
    lines = [ln for ln in text.split("\n") if not ln.startswith(("\t1-1-2\t", "\t1-2-2\t"))]
    return "\n".join(lines).replace("开展决战决胜国企改革三年行动", "巩固深化国企改革三年行动成果")


def corrected_2022_text() -> str:
    """Same 发文字号, later 成文日期, one item reworded: a corrected re-issue (no more error findings)."""
    text = TEXT_2022.replace("\n2022年8月3日\n", "\n2022年9月1日\n", 1)
    assert text != TEXT_2022
    return text.replace("开展决战决胜国企改革三年行动", "巩固深化国企改革三年行动成果")


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def query(dataset: Path, sql: str) -> list[tuple]:
    """Run SQL where ``T(name)`` stands for the dataset table ``name`` read with hive partitioning."""
    import re

    sql = re.sub(r"T\((\w+)\)", lambda m: f"read_parquet('{dataset}/{m.group(1)}/*/*.parquet', "
                 "hive_partitioning=true)", sql)
    return duckdb.sql(sql).fetchall()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "2023").mkdir(parents=True)
    shutil.copy(SAMPLES / "notice_2022.txt", folder / "notice_2022.txt")
    shutil.copy(SAMPLES / "notice_2022.docx", folder / "notice_2022.docx")
    (folder / "2023" / "notice_2023.txt").write_text(later_year_text(), encoding="utf-8")
    (folder / ".hidden.txt").write_text(TEXT_2022, encoding="utf-8")  # never read: hidden
    (folder / "notes.md").write_text("not a notice", encoding="utf-8")  # unsupported suffix when walking
    return folder


def test_ingest_years_sources_and_idempotence(inbox: Path, tmp_path: Path, capsys) -> None:
    ds = tmp_path / "ds"
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "2"]) == 0
    out = capsys.readouterr().out
    # whichever worker finishes first, the Word file ends up giving the rows
    assert "泉国资办〔2022〕196号 (2022): rows from notice_2022.docx" in out
    # every file skipped is reported with its reason (issue 12), and listed in the manifest
    assert ".hidden.txt: skipped (hidden file)" in out
    assert "notes.md: skipped (not a kind of notice kaoping reads (.md))" in out

    per_year = query(ds, "select year, count(*), sum(weight) from T(indicators) group by year order by year")
    assert per_year == [(2022, 61, 100.0), (2023, 59, 96.0)]
    notices = query(ds, "select year, notice_id, doc_number, notice_year from T(notices) order by year")
    assert notices == [(2022, "泉国资办〔2022〕196号", "泉国资办〔2022〕196号", 2022),
                       (2023, "泉国资办〔2023〕58号", "泉国资办〔2023〕58号", 2023)]
    # both sources of the 2022 notice are listed, the Word file gives the rows
    sources = query(ds, 'select year, file, format, "primary" from T(sources) order by year, file')
    # sources are named by their path relative to the inbox
    assert sources == [(2022, "notice_2022.docx", "docx", True), (2022, "notice_2022.txt", "text", False),
                       (2023, "2023/notice_2023.txt", "text", True)]
    assert query(ds, "select distinct source.format from T(indicators) where year = 2022") == [("docx",)]
    # every table has its notice_id; a record's own year never collides with the partition
    refs = query(ds, "select count(*), count(distinct notice_id), min(reference_year) from T(references) "
                     "where year = 2023")
    assert refs[0][0] > 0 and refs[0][1] == 1 and refs[0][2] <= 2023
    changed = query(ds, "select item from T(indicators) where year = 2023 and code = '1-1-1'")[0][0]
    assert changed.startswith("巩固深化国企改革三年行动成果")
    # pandas reads the folder as is
    df = pd.read_parquet(ds / "indicators")
    assert sorted(df.groupby(df["year"].astype(int), observed=True).size().items()) == [(2022, 61), (2023, 59)]

    manifest = json.loads((ds / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["notices"]) == ["泉国资办〔2022〕196号", "泉国资办〔2023〕58号"]
    assert (ds / MANIFEST).read_text(encoding="utf-8") == json.dumps(manifest, ensure_ascii=False,
                                                                     sort_keys=True, indent=1) + "\n"
    assert {s["file"]: s["reason"] for s in manifest["skipped"]} == {
        ".hidden.txt": "hidden file", "notes.md": "not a kind of notice kaoping reads (.md)"}

    before = digests(ds)
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "2"]) == 0
    assert digests(ds) == before
    # a renamed copy (elsewhere, under another name) changes no table; the manifest lists it as a copy
    copy = tmp_path / "elsewhere" / "国资委考评表.txt"
    copy.parent.mkdir()
    shutil.copy(inbox / "notice_2022.txt", copy)
    assert main(["ingest", str(copy), "-o", str(ds), "-j", "1"]) == 0
    assert "unchanged (already ingested as notice_2022.txt" in capsys.readouterr().out
    after = digests(ds)
    assert {k: v for k, v in after.items() if not k.startswith(("_manifest", "_state"))} == {
        k: v for k, v in before.items() if not k.startswith(("_manifest", "_state"))}
    manifest = json.loads((ds / MANIFEST).read_text(encoding="utf-8"))
    assert list(manifest["duplicates"].values()) == [["notice_2022.txt", "国资委考评表.txt"]]


def test_failed_file_is_reported_and_the_others_land(tmp_path: Path, capsys) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "notice_2022.txt", inbox / "a.txt")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    (inbox / "empty.txt").write_bytes(b"")
    ds = tmp_path / "ds"
    assert main(["ingest", str(inbox), str(tmp_path / "missing.pdf"), "-o", str(ds), "-j", "1"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("kaoping: error: ") for line in err)
    assert any("broken.pdf: " in line for line in err) and any("empty.txt: empty file" in line for line in err)
    assert any("missing.pdf: no such file or folder" in line for line in err)
    assert query(ds, "select year, count(*) from T(indicators) group by year") == [(2022, 61)]
    manifest = json.loads((ds / MANIFEST).read_text(encoding="utf-8"))
    assert [s["file"] for s in manifest["sources"].values()] == ["a.txt"]


def test_ingest_applies_the_input_limits_and_retries_when_one_is_raised(tmp_path: Path, capsys) -> None:
    """ingest takes extract's size limits (--max-cell-chars …); a file refused by one stays failing while the
    limits stay the same, and is read again when the limit is raised."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "notice_2022.txt", inbox / "a.txt")
    ds = tmp_path / "ds"
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "1", "--max-cell-chars", "40"]) == 1
    err = capsys.readouterr().err
    assert "a.txt: " in err and "--max-cell-chars" in err and not (ds / "indicators").exists()
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "1", "--max-cell-chars", "40"]) == 0
    assert "a.txt: still failing" in capsys.readouterr().out
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "1"]) == 0  # the default, 20,000, is higher
    assert query(ds, "select year, count(*) from T(indicators) group by year") == [(2022, 61)]


def test_corrected_version_replaces_rows_and_old_copy_does_not_win_back(tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    original = tmp_path / "original.txt"
    original.write_text(TEXT_2022, encoding="utf-8")
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(corrected_2022_text(), encoding="utf-8")
    assert main(["ingest", str(original), "-o", str(ds), "-j", "1"]) == 0
    assert query(ds, "select count(*) from T(indicators)") == [(61,)]
    assert main(["ingest", str(corrected), "-o", str(ds), "-j", "1"]) == 0
    assert query(ds, "select count(*), min(notice_id) from T(indicators)") == [(61, "泉国资办〔2022〕196号")]
    assert query(ds, "select count(*) from T(indicators) where item like '巩固深化国企改革三年行动成果%'") == [(1,)]
    assert query(ds, "select date from T(notices)")[0][0].isoformat() == "2022-09-01"
    assert query(ds, 'select file, "primary" from T(sources) order by file') == [
        ("corrected.txt", True), ("original.txt", False)]
    # ingesting both again changes nothing; and in the other order the earlier 成文日期 still loses
    before = digests(ds)
    assert main(["ingest", str(original), str(corrected), "-o", str(ds), "-j", "1"]) == 0
    assert digests(ds) == before
    ds2 = tmp_path / "ds2"
    assert main(["ingest", str(corrected), "-o", str(ds2), "-j", "1"]) == 0
    assert main(["ingest", str(original), "-o", str(ds2), "-j", "1"]) == 0
    assert query(ds2, "select date from T(notices)")[0][0].isoformat() == "2022-09-01"
    assert query(ds2, 'select file from T(sources) where "primary"') == [("corrected.txt",)]


def _src(sha: str, fmt: str, fingerprint: str = "v1", date: str = "2022-08-03", generation: int = 1) -> IngestedSource:
    return IngestedSource(sha256=sha, file=f"{sha}.{fmt}", format=fmt, size=1, notice_id="n", date=date,
                          fingerprint=fingerprint, generation=generation)


def test_choose_primary_rules() -> None:
    # one version: docx > pdf > text, then the smallest sha256
    assert choose_primary([_src("c", "text"), _src("b", "pdf"), _src("d", "docx")]).sha256 == "d"
    assert choose_primary([_src("f", "pdf"), _src("e", "pdf")]).sha256 == "e"
    # two versions: the later 成文日期 wins whatever the format or the generation
    newer = _src("z", "text", "v2", date="2022-09-01", generation=1)
    assert choose_primary([_src("a", "docx", generation=2), newer]).sha256 == "z"
    # same dates: the later ingest generation is the correction
    assert choose_primary([_src("a", "docx"), _src("z", "text", "v2", generation=2)]).sha256 == "z"
    # full tie: the version whose best source wins the format rule
    assert choose_primary([_src("y", "text", "v2"), _src("x", "pdf", "v1")]).sha256 == "x"
    # order of the input never matters
    items = [_src("y", "text", "v2"), _src("x", "pdf", "v1"), _src("w", "docx", "v1", generation=3)]
    assert choose_primary(items).sha256 == choose_primary(items[::-1]).sha256 == "w"


def test_collect_inputs_skips_hidden_lock_unsupported_and_the_dataset(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for rel in ["b.pdf", "a/c.docx", "a/.git/x.txt", ".h.txt", "~$lock.docx", "x.json", "ds/notes.txt", "d.TXT"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    files, missing = collect_inputs([root, root / "b.pdf", tmp_path / "nope"], root / "ds")
    assert [str(f.relative_to(root)) for f in files] == ["b.pdf", "d.TXT", "a/c.docx"]
    assert missing == [(tmp_path / "nope", "no such file or folder")]


def test_notice_stem_is_safe_and_distinct() -> None:
    assert notice_stem("泉国资办〔2022〕196号") == "泉国资办〔2022〕196号"
    assert "/" not in notice_stem("a/b") and notice_stem("a/b") != notice_stem("a_b")
    assert not notice_stem(".x").startswith(".")


def test_a_dataset_from_before_per_notice_state_is_taken_over(inbox: Path, tmp_path: Path, capsys) -> None:
    """A version-1 dataset (one _manifest.json, no _state/) gets its state from the manifest: nothing is
    extracted again and no table changes."""
    ds = tmp_path / "ds"
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "1"]) == 0
    manifest = json.loads((ds / MANIFEST).read_text(encoding="utf-8"))
    old_fields = {"file", "format", "size", "notice_id", "notice_year", "date", "print_date", "fingerprint",
                  "generation", "indicators"}
    v1 = {"version": 1, "notices": {k: {f: v[f] for f in ("primary", "stem", "year")}
                                    for k, v in manifest["notices"].items()},
          "sources": {sha: {f: v for f, v in rec.items() if f in old_fields} for sha, rec in manifest["sources"].items()}}
    shutil.rmtree(ds / "_state")
    for name in ("dataset.xlsx", MANIFEST):
        (ds / name).unlink()
    (ds / MANIFEST).write_text(json.dumps(v1, ensure_ascii=False), encoding="utf-8")
    tables = {k: v for k, v in digests(ds).items() if k.endswith(".parquet") and not k.startswith("sources/")}
    capsys.readouterr()
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert "0 extracted" in out and "3 unchanged" in out
    assert {k: v for k, v in digests(ds).items() if k in tables} == tables
    assert sorted(json.loads((ds / MANIFEST).read_text(encoding="utf-8"))["notices"]) == sorted(manifest["notices"])


def test_notices_an_older_kaoping_ingested_stay_readable_beside_new_ones(tmp_path: Path) -> None:
    """A dataset written under an older contract (its notices table without a column the contract has since
    gained, its rendered share without a contract version) takes new notices: the workbook and CSVs are
    rebuilt with the older notice's missing column empty, and its share is rendered once, then kept."""
    import pyarrow.parquet as pq

    first, second, ds = tmp_path / "a", tmp_path / "b", tmp_path / "ds"
    first.mkdir()
    second.mkdir()
    (first / "n2022.txt").write_text(TEXT_2022, encoding="utf-8")
    (second / "n2023.txt").write_text(later_year_text(), encoding="utf-8")
    assert main(["ingest", str(first), "-o", str(ds), "-j", "1"]) == 0
    [notices] = (ds / "notices").glob("year=2022/*.parquet")
    pq.write_table(pq.read_table(notices).drop(["columns"]), notices)  # as kaoping 2.0 wrote it
    [share] = (ds / "_state" / "views").glob("*.json")
    old = json.loads(share.read_text(encoding="utf-8"))
    del old["schema_version"]
    share.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    assert main(["ingest", str(second), "-o", str(ds), "-j", "1"]) == 0
    table = pd.read_csv(ds / "csv" / "notices.csv", encoding="utf-8-sig")
    assert list(table["发文字号"]) == ["泉国资办〔2022〕196号", "泉国资办〔2023〕58号"]
    assert table["表头对照"].isna().tolist() == [True, False]
    assert json.loads(share.read_text(encoding="utf-8"))["schema_version"] == "2.1"
