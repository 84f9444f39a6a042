"""Notices of other shapes (tests/fixtures/make_shapes.py): each format read to its hand-written truth.

- office7: another office's 7-column table (序号 | 考评项目 | 考评内容 | 分值 | 考评标准 | 责任科室 | 完成时限),
  section rows, 考评项目 with points above numbered items, no leader/owner columns;
- reworded2022: the 2022 notice with renamed headers, a category spanning both 项目 columns and a 注： row;
- twolevel: 序号 | 工作任务 | 评分标准 | 分值 | 责任单位 | 备注 with section rows and a 注： line under the table
  (built as an unseen shape: the rules were not tuned on it).

The .txt/.docx and truths are committed; the PDFs are printed by LibreOffice at test time (slow).
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kaoping.api import extract
from tests.conftest import norm
from tests.fixtures import make_shapes

SHAPES_DIR = Path(__file__).resolve().parent / "fixtures" / "shapes"
FIELDS = ["code", "category", "category_points", "group", "group_points", "level1_code", "level1", "level1_points",
          "level1_note", "item", "weight", "criteria", "deadline", "deadline_date", "leaders", "departments", "owners",
          "basis", "extra"]
NOTES = {"office7": 0, "reworded2022": 1, "twolevel": 1}
#: the code a note names (注：4-2项…, 第5项…), or None
NOTE_CODES = {"reworded2022": "4-2", "twolevel": "5"}
MIN_ACCURACY = 0.99


def truth(name: str) -> list[dict[str, Any]]:
    return json.loads((SHAPES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))


def accuracy(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> tuple[float, list[tuple]]:
    """Field accuracy in order (the shapes keep their order); a missing or extra record costs all its fields."""
    bad = [(g["code"], f, g.get(f), p.get(f)) for g, p in zip(gold, pred, strict=False) for f in FIELDS
           if norm(g.get(f)) != norm(p.get(f))]
    total = max(len(gold), len(pred)) * len(FIELDS)
    wrong = len(bad) + abs(len(gold) - len(pred)) * len(FIELDS)
    return 1 - wrong / total, bad


@cache
def _pdf_dir() -> Path:
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="kaoping-shapes-"))
    for name in make_shapes.SHAPES:
        make_shapes.docx_to_pdf(SHAPES_DIR / f"{name}.docx", out)
    return out


def _check(path: Path, name: str) -> None:
    doc = extract(path)
    pred = [json.loads(i.model_dump_json()) for i in doc.indicators]
    gold = truth(name)
    score, bad = accuracy(gold, pred)
    assert len(pred) == len(gold), "no extra or missing records"
    assert score >= MIN_ACCURACY, bad[:10]
    notes = [i for i in doc.issues if i.kind == "table_note"]
    assert len(notes) == NOTES[name]
    assert [n.code for n in notes] == ([NOTE_CODES[name]] if name in NOTE_CODES else [])
    assert not any(n.message[:6] in p["item"] for n in notes for p in pred), "a note merged into a record"
    acc = doc.accounting
    assert acc.rows_seen == (acc.indicators + acc.header_rows + acc.total_rows + acc.continuation_rows
                             + acc.blank_rows + acc.heading_rows + acc.note_rows + acc.unparsed_rows)
    assert acc.unparsed_rows == 0
    assert not [i for i in doc.issues if i.severity == "error"], "the sums of every shape close"


@pytest.mark.parametrize("name", list(make_shapes.SHAPES))
@pytest.mark.parametrize("ext", ["txt", "docx"])
def test_shape(name: str, ext: str) -> None:
    _check(SHAPES_DIR / f"{name}.{ext}", name)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice prints the PDFs")
@pytest.mark.parametrize("name", list(make_shapes.SHAPES))
def test_shape_pdf(name: str) -> None:
    _check(_pdf_dir() / f"{name}.pdf", name)


def test_office7_exact_in_text_export() -> None:
    """The text export places cells by content: the 考评标准 is criteria, the department departments, the
    deadline deadline; no leader/owner column means none, nothing shifted."""
    [first, *_] = extract(SHAPES_DIR / "office7.txt").indicators
    assert (first.code, first.category, first.category_points, first.group, first.group_points) == (
        "1", "职能工作", 60, "预算管理", 14)
    assert (first.criteria, first.departments, first.deadline, first.leaders, first.owners) == (
        "未按时报送扣2分；项目细化率低于90%扣1分。", ["预算股"], "11月底前", [], [])


def test_generator_reproduces_the_committed_fixtures(tmp_path: Path) -> None:
    """The committed text exports and truths are what the generator writes (regenerate on purpose only)."""
    make_shapes.build(tmp_path, pdf=False)
    for name in make_shapes.SHAPES:
        for suffix in (".txt", ".expected.json"):
            assert (tmp_path / f"{name}{suffix}").read_text(encoding="utf-8") == \
                (SHAPES_DIR / f"{name}{suffix}").read_text(encoding="utf-8"), f"{name}{suffix}"
