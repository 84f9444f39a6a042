"""Text exports without tabs (extract/text.py): a table printed one cell per line is refused, saying so.

LibreOffice's own "Text" export writes every paragraph of every cell on its own line and a covered slot of
a merged cell as a blank line, so a blank line may be a merged slot, an empty cell or a cell's empty
paragraph: the cell boundaries are not in the file. kaoping says what it found and what to do, never
"no 考评表 found" for a file that holds one. Tab-separated exports are read as before (test_golden.py).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from kaoping.extract.text import cell_per_line_header, text_to_raw
from kaoping.schema.errors import InputError
from kaoping.schema.raw import SourceInfo
from support import PREAMBLE, SAMPLES, text_notice

from kaoping.api import extract
from kaoping.cli import main

SOURCE = SourceInfo(format="text", file="n.txt", sha256="0" * 64, size=0)
#: a 考评表 as LibreOffice's Text export prints it: header cells one per line, merged slots blank
CELL_PER_LINE = ["项目", "", "目标内容", "", "权重", "完成时限", "责任分解", "", "序号", "文件依据", "一级指标",
                 "二级指标（分）", "", "", "分管领导", "责任部门", "责任人", "职能工作目标", "1-1-1", "某文件",
                 "某一级指标", "某二级指标", "2", "7月底前", "张三", "办公室", "李四"]


def _text(lines: list[str]) -> bytes:
    return "\n".join([*PREAMBLE, *lines, "", "抄送：各单位。"]).encode("utf-8")


def test_cell_per_line_table_is_refused_with_the_way_out() -> None:
    with pytest.raises(InputError) as err:
        text_to_raw(_text(CELL_PER_LINE), SOURCE)
    message = str(err.value)
    assert "without tab-separated rows" in message and "Save the notice as .docx or PDF" in message
    assert f"line {len(PREAMBLE) + 1}" in message and "项目 目标内容 权重 完成时限" in message
    assert "no 考评表 found" not in message


def test_header_labels_are_the_header_vocabulary() -> None:
    found = cell_per_line_header(["附件", "序号", "", "权重（分）", "完成时限", "责任部门"])
    assert found == (2, ["序号", "权重（分）", "完成时限", "责任部门"])
    assert cell_per_line_header(["序号", "权重", "完成时限", "序号"]) is None  # three distinct labels: too few


def test_labels_scattered_through_prose_are_not_a_table() -> None:
    lines = []
    for label in ("序号", "权重", "完成时限", "责任部门", "责任人"):
        lines += [label] + ["本委各科室要高度重视绩效评估工作。"] * 45
    doc = text_to_raw(_text(lines), SOURCE)
    assert doc.tables == [] and len(doc.paragraphs) > 200


def test_a_file_with_tab_rows_is_read_as_before(write_notice) -> None:
    """Header words on lines of their own beside a tab-separated table change nothing."""
    rows = ["职能工作目标（75分）\t1-1-1\t某文件\t某一级指标\t某二级指标\t2\t7月底前\t张三\t办公室\t李四"]
    path = write_notice(rows, preamble=[*PREAMBLE, *CELL_PER_LINE[:17]])
    doc = extract(path)
    assert [i.code for i in doc.indicators] == ["1-1-1"]


def test_a_text_without_any_table_still_says_no_table(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text("\n".join(PREAMBLE), encoding="utf-8")
    with pytest.raises(InputError, match="no 考评表 found"):
        extract(path)


def test_conftest_notice_is_untouched() -> None:
    doc = text_to_raw(text_notice(["\t1-1-1\t依据\t指标\t内容\t2\t7月底前\t甲\t乙\t丙"]).encode("utf-8"), SOURCE)
    assert len(doc.tables) == 1 and doc.tables[0].n_cols == 10


@pytest.mark.slow
def test_libreoffice_text_export_of_the_sample_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    src = tmp_path / "notice.docx"
    shutil.copyfile(SAMPLES / "notice_2022.docx", src)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    exported = tmp_path / "notice.txt"
    assert b"\t" not in exported.read_bytes()
    assert main(["extract", str(exported), "-o", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kaoping: error: {exported}: text export without tab-separated rows")
    assert "Save the notice as .docx or PDF" in err and "\n" not in err
