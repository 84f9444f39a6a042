"""The CLI around the outputs: --format sets, and error messages that name the input that failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from kaoping.schema.errors import UsageError
from openpyxl import load_workbook
from support import SAMPLES

from kaoping.cli import DEFAULT_FORMATS, build_parser, main, parse_formats

SAMPLE = SAMPLES / "notice_2022.txt"


@pytest.mark.parametrize(("text", "formats"), [
    ("json,parquet,html", ("json", "parquet", "html")),
    ("xlsx", ("xlsx",)),
    ("all", ("json", "parquet", "html", "xlsx", "csv")),
    ("+xlsx", ("json", "parquet", "html", "xlsx")),
    ("csv, +xlsx", ("json", "parquet", "html", "xlsx", "csv")),
])
def test_format_sets(text: str, formats: tuple[str, ...]) -> None:
    assert parse_formats(text) == formats


@pytest.mark.parametrize("text", ["pdf", "", " , "])
def test_bad_format_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_formats(text)


def test_help_states_the_default_set() -> None:
    ex = build_parser()._subparsers._group_actions[0].choices["extract"]  # type: ignore[union-attr]
    help_text = ex.format_help().replace("\n", " ")
    assert "Default: json,parquet,html" in " ".join(help_text.split()) and "'all'" in help_text
    assert DEFAULT_FORMATS == ("json", "parquet", "html")


def test_format_all_writes_every_output_and_the_workbook_opens_with_chinese_headers(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert main(["extract", str(SAMPLE), "-o", str(out), "-q", "--format", "all"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"notice.json", "report.html", "notice.xlsx", "indicators.parquet", "indicators.csv"} <= names
    wb = load_workbook(out / "notice.xlsx", read_only=True)
    header = next(wb["指标"].iter_rows(max_row=1, values_only=True))
    assert list(header[:12]) == ["序号", "类别", "分组", "一级指标", "分值", "二级指标", "权重", "完成时限", "分管领导",
                                 "责任部门", "责任人", "文件依据"]


def test_leaving_a_default_output_out_is_said(tmp_path: Path, capsys) -> None:
    assert main(["extract", str(SAMPLE), "-o", str(tmp_path / "o"), "--format", "xlsx"]) == 0
    line = capsys.readouterr().out
    assert "not written: json, parquet, html; --format all writes every output" in line
    assert main(["extract", str(SAMPLE), "-o", str(tmp_path / "p"), "--format", "+xlsx"]) == 0
    assert "not written" not in capsys.readouterr().out
    assert (tmp_path / "p" / "report.html").is_file()


def test_diff_with_a_bad_notice_names_that_notice(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是考评表\n", encoding="utf-8")
    out = tmp_path / "d"
    assert main(["diff", str(bad), str(SAMPLE), "-o", str(out)]) == 3
    assert capsys.readouterr().err == f"kaoping: error: {bad}: no 考评表 found: the document has no table with indicator rows\n"
    assert main(["diff", str(SAMPLE), str(bad), "-o", str(out)]) == 3
    assert capsys.readouterr().err.startswith(f"kaoping: error: {bad}: ")


def test_a_usage_error_names_no_output_folder(tmp_path: Path, capsys) -> None:
    out = tmp_path / "dataset"
    assert main(["ingest", str(SAMPLE), "-o", str(out), "-j", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kaoping: error: ") and str(out) not in err and "-j" in err
