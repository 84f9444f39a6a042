"""Sheets saved as text (.csv, Excel's "Unicode Text"): read as sheets, told apart from Word's text export.

Fixtures: tests/fixtures/make_delimited.py writes the spreadsheet fixtures (merged, flat, unseen layout) the
way Excel saves them; the truth is samples/notice_2022.expected.json unchanged (``golden_misses``).
"""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from fixtures import make_delimited
from kaoping.extract import extract_document, sniff_format
from kaoping.extract.delimited import sniff_delimiter
from kaoping.schema.errors import InputError
from kaoping.schema.limits import LimitError
from support import SAMPLES
from test_office import OFFICE, assert_accounted, document, golden_misses, needs_soffice

from kaoping.api import extract

SHAPES = Path(__file__).resolve().parent / "fixtures" / "shapes"


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in make_delimited.build(tmp_path_factory.mktemp("delimited"))}


EXPORTS = [f"{sheet}.{kind}" for sheet in make_delimited.SHEETS
           for kind in ("utf8.csv", "gbk.csv", "unicode.txt", "semicolon.csv", "short.csv")]


@pytest.mark.parametrize("name", EXPORTS)
def test_sheet_saved_as_text_matches_golden(exports: dict[str, Path], name: str) -> None:
    doc = document(exports[name])
    assert golden_misses(doc) == []
    assert_accounted(doc)
    assert {i.source.format for i in doc.indicators} == {"csv"}
    assert doc.notice.doc_number == extract(OFFICE / "notice_2022_merged.xlsx").notice.doc_number


def test_merged_cells_left_blank_are_inherited_and_marked(exports: dict[str, Path]) -> None:
    """The export keeps a merged range's text in its top-left slot only; the rows below inherit it, marked as
    the merged sheet marks them — category and group each on its own: a row that starts a group prints the
    group and inherits the category."""
    sheet = extract(OFFICE / "notice_2022_merged.xlsx")
    doc = extract(exports["notice_2022_merged.utf8.csv"])

    def marks(d: object) -> list[set[str]]:
        return [set(i.source.inherited) for i in d.indicators]  # type: ignore[attr-defined]

    assert marks(doc) == marks(sheet)
    assert sum(1 for m in marks(doc) if {"level1", "basis"} <= m) == 15  # the second rows of 1-x blocks
    assert doc.indicators[1].group == doc.indicators[0].group and "group" in doc.indicators[1].source.inherited
    starts = [(i.group, sorted({"category", "group"} & set(i.source.inherited)))
              for k, i in enumerate(doc.indicators) if k and i.group != doc.indicators[k - 1].group]
    assert starts == [("常规工作目标", ["category"]), ("思想建设", []), ("依法办事", ["category"]),
                      ("高效服务", ["category"]), ("廉洁建设", ["category"]), ("管理创新", ["category"])]


def test_rows_keep_the_file_line_they_start_on(exports: dict[str, Path]) -> None:
    """A quoted field with line breaks spans file lines: a row's line is the file line its record starts on."""
    path = exports["notice_2022_merged.utf8.csv"]
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    starts, line = {}, 1
    for record in csv.reader(io.StringIO(text)):  # the record starting on each line, counted independently
        starts[line] = record
        line += sum(field.count("\n") for field in record) + 1
    doc = extract(path)
    printed = [i for i in doc.indicators if i.code and not i.code_inferred]
    assert len(printed) > 50
    for ind in printed:
        assert ind.code in starts[ind.source.lines[0]], (ind.code, ind.source.lines)


def test_a_cell_with_line_breaks_is_one_field_and_rows_count_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("某单位绩效目标考评表,,,,\n项目,序号,二级指标,权重,责任人\n"
                    '职能工作目标,1-1,"做好第一项工作，\n按季度报送",2,"张三\n李四"\n'
                    ",1-2,完成第二项工作,3,王五\n", encoding="utf-8")
    doc = extract(path)
    assert [(i.code, i.item, i.weight, i.owners, i.source.lines) for i in doc.indicators] == [
        ("1-1", "做好第一项工作，按季度报送", 2.0, ["张三", "李四"], [3]),
        ("1-2", "完成第二项工作", 3.0, ["王五"], [6]),  # the record above spans lines 3-5
    ]
    assert doc.indicators[1].category == "职能工作目标" and "category" in doc.indicators[1].source.inherited


@pytest.mark.parametrize("path", [SAMPLES / "notice_2022.txt", *sorted(SHAPES.glob("*.txt"))],
                         ids=lambda p: p.name)
def test_word_text_exports_stay_text(path: Path) -> None:
    """Word separates a table's cells with tabs too, but writes paragraphs as one-field lines: not a sheet."""
    assert sniff_format(path.read_bytes()) == "text"


def test_sniffed_by_content_not_by_suffix(exports: dict[str, Path], tmp_path: Path) -> None:
    renamed = tmp_path / "notice.txt"
    renamed.write_bytes(exports["notice_2022_merged.gbk.csv"].read_bytes())
    assert sniff_format(renamed.read_bytes()) == "csv"
    assert extract_document(renamed).source.format == "csv"


@pytest.mark.parametrize(("text", "expected"), [
    ("标题,,,\n项目,序号,二级指标,权重\n职能,1-1,做好工作,2\n,1-2,完成任务,3\n", ","),
    ("a\tb\tc\n1\t2\t3\n4\t5\t6\n7\t8\t9\n", "\t"),
    ("标题\n正文第一段,说明,内容\n第二段\n第三段,有一个逗号\n第四段\n", None),  # prose with ASCII commas
    ("项目\t序号\t权重\n一、工作\n1-1\t做好\t2\n二、要求\n", None),  # Word: tab rows between paragraphs
    ('a,b,c\n"unclosed,2,3\n4,5,6\n7,8,9\n', None),  # a quote never closed: no reading is a sheet
])
def test_sniff_delimiter(text: str, expected: str | None) -> None:
    assert sniff_delimiter(text) == expected


def test_a_csv_without_a_table_says_so(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("姓名,部门,电话\n张三,办公室,123\n李四,财务科,456\n王五,党建科,789\n", encoding="utf-8")
    with pytest.raises(InputError, match="考评表"):
        extract(path)


@pytest.mark.slow
@needs_soffice
def test_libreoffice_csv_export_matches_golden(tmp_path: Path) -> None:
    """The CSV LibreOffice Calc itself writes from the merged sheet (UTF-8, quoted text fields)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path),
                        str(OFFICE / "notice_2022_merged.xlsx")], check=True, capture_output=True, timeout=300)
    doc = document(tmp_path / "notice_2022_merged.csv")
    assert golden_misses(doc) == []
    assert_accounted(doc)



def test_a_field_beyond_any_cell_is_a_clean_input_error(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    rows = "项目,序号,二级指标,权重\n" * 3
    path.write_text(rows + '职能,1-1,"' + "很" * 300_000 + '",2\n', encoding="utf-8")
    with pytest.raises(LimitError, match=r"line 4: a field \(300000 characters\) exceeds .*max_cell_chars"):
        extract(path)


def test_a_sheet_saved_unmerged_repeats_its_labels_and_reads_as_merged(tmp_path: Path) -> None:
    """Every merged range saved unmerged with its text in each slot: a 合计 label repeated across the row is
    one total row (not an indicator), and a blank 序号 under a row printing the same 一级指标 again continues
    its sibling's code."""
    path = tmp_path / "n.csv"
    level1 = "做好第一项工作。（属年度重点工作）4分"
    path.write_text("某单位绩效目标考评表,,,,\n项目,序号,一级指标,二级指标,权重\n"
                    f"职能工作目标,1-1-1,{level1},按季度报送,2\n"
                    f"职能工作目标,,{level1},按年度总结,2\n"
                    "职能工作目标,1-2-1,做好第二项工作。3分,完成第二项,3\n"
                    "合计,合计,合计,合计,7\n", encoding="utf-8")
    doc = extract(path)
    assert [(i.code, i.code_inferred, i.level1_code, i.weight) for i in doc.indicators] == [
        ("1-1-1", False, "1-1", 2.0), ("1-1-2", True, "1-1", 2.0), ("1-2-1", False, "1-2", 3.0)]
    assert [(t.label, t.value) for t in doc.totals] == [("合计", 7.0)]
