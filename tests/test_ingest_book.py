"""kaoping ingest for the analyst: the dataset workbook and CSVs (Chinese headers, the README's analyses as
sheets), --aliases, failures remembered, newer-but-worse copies held, every kind of notice taken or its skip
explained, and an output folder that is not ours refused."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from support import SAMPLES
from support.dataset import TEXT_2022, dataset_contents, write_notices

from kaoping.api import extract
from kaoping.cli import main

LEADING = ["年度", "通知（发文字号）", "序号", "类别", "分组", "一级指标", "分值", "二级指标", "权重", "完成时限",
           "分管领导", "责任部门", "责任人", "文件依据", "考评标准"]


def query(ds: Path, sql: str) -> list[tuple]:
    import re

    sql = re.sub(r"T\((\w+)\)", lambda m: f"read_parquet('{ds}/{m.group(1)}/*/*.parquet', hive_partitioning=true)",
                 sql)
    return duckdb.sql(sql).fetchall()


def sheet_rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("book")
    write_notices(root / "inbox", [2, 3])  # 2022 and 2023
    assert main(["ingest", str(root / "inbox"), "-o", str(root / "ds"), "-j", "2"]) == 0
    return root / "ds"


def test_workbook_sheets_and_chinese_headers(two_years: Path) -> None:
    wb = load_workbook(two_years / "dataset.xlsx")
    assert wb.sheetnames == ["指标", "通知", "引用文件", "问题", "目标逐年", "责任人逐年", "部门权重逐年"]
    rows = sheet_rows(wb["指标"])
    assert rows[0][: len(LEADING)] == LEADING
    years = [r[0] for r in rows[1:]]
    assert years.count(2022) == 61 and years.count(2023) == 61 and len(years) == 122
    # lists joined with 、 as in the notice; booleans and severities in Chinese
    owners = rows[0].index("责任人")
    first_owners = query(two_years, "select owners from T(indicators) where year = 2022 and seq = 1")[0][0]
    assert rows[1][owners] == "、".join(first_owners)
    issues = sheet_rows(wb["问题"])
    assert {r[issues[0].index("严重程度")] for r in issues[1:]} <= {"错误", "警告", "提示"}
    notices = sheet_rows(wb["通知"])
    assert notices[0][:4] == ["年度", "通知（发文字号）", "发文机关标志", "发文字号"]
    assert [r[3] for r in notices[1:]] == ["泉国资办〔2022〕502号", "泉国资办〔2023〕503号"]
    assert wb["指标"].freeze_panes == "A2" and wb["指标"].auto_filter.ref.startswith("A1:")


def test_analysis_sheets_agree_with_the_readme_queries(two_years: Path) -> None:
    wb = load_workbook(two_years / "dataset.xlsx")
    targets = sheet_rows(wb["目标逐年"])
    assert targets[0] == ["指标内容", "单位", "2022年", "2023年"]
    expected = query(two_years, """
        SELECT coalesce(metric, ''), coalesce(unit, ''), max(value) FILTER (WHERE year = 2022),
               max(value) FILTER (WHERE year = 2023)
        FROM T(targets) GROUP BY ALL ORDER BY 1, 2""")
    assert [tuple(r) for r in targets[1:]] == [tuple(None if v is None else v for v in r) for r in expected]
    owners = sheet_rows(wb["责任人逐年"])
    assert owners[0] == ["责任人", "2022年事项数", "2023年事项数"]
    per_owner = dict((o, (a, b)) for o, a, b in query(two_years, """
        SELECT owner, count(*) FILTER (WHERE year = 2022), count(*) FILTER (WHERE year = 2023)
        FROM (SELECT year, unnest(owners) AS owner FROM T(indicators)) GROUP BY owner"""))
    assert {r[0]: (r[1], r[2]) for r in owners[1:]} == per_owner
    assert [r[2] for r in owners[1:]] == sorted((r[2] for r in owners[1:]), reverse=True)
    depts = sheet_rows(wb["部门权重逐年"])
    assert depts[0] == ["责任部门", "2022年权重", "2023年权重"]
    per_dept = query(two_years, """
        SELECT department, year, round(sum(weight / len(departments)), 2)
        FROM (SELECT year, weight, departments, unnest(departments) AS department FROM T(indicators))
        GROUP BY ALL""")
    assert {(d, y): w for d, y, w in per_dept} == {
        (r[0], year): w for r in depts[1:] for year, w in zip((2022, 2023), r[1:], strict=True)}


def test_csv_per_table_with_the_workbook_headers(two_years: Path) -> None:
    names = sorted(p.name for p in (two_years / "csv").glob("*.csv"))
    assert names == sorted(f"{t}.csv" for t in ["indicators", "references", "citations", "targets", "issues",
                                                  "people", "totals", "notices", "sources"])
    data = (two_years / "csv" / "indicators.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][: len(LEADING)] == LEADING and len(rows) == 123
    wb = load_workbook(two_years / "dataset.xlsx")
    assert rows[0] == [c.value for c in wb["指标"][1]]


def test_workbook_bytes_do_not_depend_on_worker_count(two_years: Path, tmp_path: Path) -> None:
    write_notices(tmp_path / "inbox", [3, 2])
    assert main(["ingest", str(tmp_path / "inbox"), "-o", str(tmp_path / "ds"), "-j", "1"]) == 0
    assert (tmp_path / "ds" / "dataset.xlsx").read_bytes() == (two_years / "dataset.xlsx").read_bytes()


def test_aliases_make_one_person_across_notices(tmp_path: Path, capsys) -> None:
    owner = extract(SAMPLES / "notice_2022.txt").indicators[0].owners[0]
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(f"variant,canonical\n{owner},{owner}同志\n", encoding="utf-8")
    write_notices(tmp_path / "inbox", [2, 3])
    ds = tmp_path / "ds"
    assert main(["ingest", str(tmp_path / "inbox"), "-o", str(ds), "--aliases", str(aliases)]) == 0
    rows = query(ds, f"select year, count(*) from T(indicators) where list_contains(owners, '{owner}同志') "
                     f"and list_contains(owners_printed, '{owner}') group by year order by year")
    assert [r[0] for r in rows] == [2022, 2023] and all(r[1] > 0 for r in rows)
    assert query(ds, f"select count(*) from T(indicators) where list_contains(owners, '{owner}')") == [(0,)]
    # a later run under another mapping (here: none) says that the earlier notices keep theirs
    write_notices(tmp_path / "inbox", [4])
    capsys.readouterr()
    assert main(["ingest", str(tmp_path / "inbox"), "-o", str(ds)]) == 0
    assert "warning: the --aliases mapping differs from the one earlier runs applied" in capsys.readouterr().out


def test_failures_are_remembered_and_only_new_ones_fail_the_run(tmp_path: Path, capsys) -> None:
    inbox = tmp_path / "inbox"
    write_notices(inbox, [0])
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    ds = tmp_path / "ds"
    assert main(["ingest", str(inbox), "-o", str(ds)]) == 1
    manifest = json.loads((ds / "_manifest.json").read_text(encoding="utf-8"))
    [(sha, failure)] = manifest["failed"].items()
    assert len(sha) == 64 and failure["file"] == "broken.pdf" and failure["reason"].startswith("corrupt")
    capsys.readouterr()
    write_notices(inbox, [1])
    assert main(["ingest", str(inbox), "-o", str(ds)]) == 0  # the old failure is not new
    out = capsys.readouterr().out
    assert f"broken.pdf: still failing ({failure['reason']})" in out and "1 extracted" in out
    (inbox / "broken2.pdf").write_bytes(b"%PDF-1.4\nanother broken one\n")
    assert main(["ingest", str(inbox), "-o", str(ds)]) == 1


def worse_2022_text() -> str:
    """Same 发文字号, later 成文日期, one item dropped: a newer copy whose weights no longer add up (an error)."""
    text = TEXT_2022.replace("\n2022年8月3日\n", "\n2022年9月1日\n", 1)
    assert text != TEXT_2022
    return "\n".join(ln for ln in text.split("\n") if not ln.startswith("\t1-1-2\t"))


def test_newer_copy_with_more_errors_is_held_until_forced(tmp_path: Path, capsys) -> None:
    original, worse = tmp_path / "original.txt", tmp_path / "newer.txt"
    original.write_text(TEXT_2022, encoding="utf-8")
    worse.write_text(worse_2022_text(), encoding="utf-8")
    ds = tmp_path / "ds"
    assert main(["ingest", str(original), "-o", str(ds)]) == 0
    capsys.readouterr()
    assert main(["ingest", str(worse), "-o", str(ds)]) == 0
    out = capsys.readouterr().out
    assert "warning: newer.txt: a newer version of 泉国资办〔2022〕196号 with " in out
    assert f"kept as a version, not promoted; to use it anyway: kaoping ingest newer.txt -o {ds} --promote-worse" in out
    assert query(ds, "select count(*) from T(indicators)") == [(61,)]
    assert query(ds, 'select file, "primary", held from T(sources) order by file') == [
        ("newer.txt", False, True), ("original.txt", True, False)]
    # in one run, in any order, the same decision: it depends on the set of sources only
    ds2 = tmp_path / "ds2"
    assert main(["ingest", str(worse), str(original), "-o", str(ds2), "-j", "2"]) == 0
    assert dataset_contents(ds2) == dataset_contents(ds)
    assert main(["ingest", str(worse), "-o", str(ds), "--promote-worse"]) == 0
    assert query(ds, "select count(*) from T(indicators)") == [(60,)]
    assert query(ds, 'select file, "primary", held, forced from T(sources) order by file') == [
        ("newer.txt", True, False, True), ("original.txt", False, False, False)]


def test_notice_without_a_doc_number_is_warned_about(tmp_path: Path, capsys) -> None:
    path = tmp_path / "anonymous.txt"
    number = extract(SAMPLES / "notice_2022.txt").notice.doc_number
    path.write_text(TEXT_2022.replace(number, ""), encoding="utf-8")
    assert main(["ingest", str(path), "-o", str(tmp_path / "ds")]) == 0
    out = capsys.readouterr().out
    assert "warning: anonymous.txt: no 发文字号 found: the notice is identified by its content only (sha256-" in out


def test_every_kind_is_a_notice_and_every_skip_has_its_reason(tmp_path: Path, capsys) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "notice_2022.docx", inbox / "a.docx")
    for i, name in enumerate(["b.doc", "c.xlsx", "d.html", "e.png", "f.odt"]):
        (inbox / name).write_bytes(b"\n" * (i + 1))  # taken as notices (failing: empty), never skipped silently
    (inbox / "g.ofd").write_bytes(b"PK\x03\x04")
    (inbox / "h.zip").write_bytes(b"PK\x03\x04")
    (inbox / "i.md").write_text("notes", encoding="utf-8")
    (inbox / "~$a.docx").write_bytes(b"lock")
    ds = tmp_path / "ds"
    assert main(["ingest", str(inbox), "-o", str(ds)]) == 1
    captured = capsys.readouterr()
    for name in ["b.doc", "c.xlsx", "d.html", "e.png", "f.odt"]:
        assert f"kaoping: error: {name}: empty file" in captured.err
    manifest = json.loads((ds / "_manifest.json").read_text(encoding="utf-8"))
    assert {s["file"]: s["reason"] for s in manifest["skipped"]} == {
        "g.ofd": "OFD is not supported yet: export it as PDF",
        "h.zip": "an archive: unpack it and give kaoping the notice inside",
        "i.md": "not a kind of notice kaoping reads (.md)", "~$a.docx": "Office lock file"}
    assert "g.ofd: skipped (OFD is not supported yet: export it as PDF)" in captured.out


def test_output_folder_not_written_by_ingest_is_refused(tmp_path: Path, capsys) -> None:
    inbox = tmp_path / "inbox"
    write_notices(inbox, [0])
    assert main(["ingest", str(inbox), "-o", str(inbox)]) == 4
    assert "dataset folder holds 'notice_00.txt', which kaoping ingest did not write" in capsys.readouterr().err
    ds = tmp_path / "ds"
    assert main(["ingest", str(inbox), "-o", str(ds)]) == 0
    (ds / "indicators" / "mine.txt").write_text("x", encoding="utf-8")
    assert main(["ingest", str(inbox), "-o", str(ds)]) == 4
    assert "dataset folder holds 'indicators/mine.txt'" in capsys.readouterr().err
