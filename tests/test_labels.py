"""The analyst's vocabulary (kaoping/writers/labels_zh.yaml): every finding kind the code emits is explained,
and the writers read what the pipeline computed instead of importing its checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kaoping.writers.labels import (
    column_label,
    indicator_rows_zh,
    kind_explanation,
    kind_name,
    known_kinds,
    sheet_name,
    value_label,
)

ROOT = Path(__file__).resolve().parent.parent
KIND_PATTERNS = (
    re.compile(r'kind="([a-z_0-9]+)"'),
    re.compile(r'"(?:error|warning|info)",\s*(?:kind=)?"([a-z_0-9]+)"'),
    re.compile(r'_row_issue\(\s*"([a-z_0-9]+)"'),
    re.compile(r'"([a-z_0-9]+_sum)"'),
)


def kinds_in_code() -> set[str]:
    found: set[str] = set()
    for folder in ("extract", "normalize", "schema"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in KIND_PATTERNS:
                found.update(pattern.findall(text))
    # checks.py builds the sum kinds from the level name: f"{sub.level}_sum"
    row_kinds = {"body", "heading", "note"}  # FieldRow.kind (normalize/rows.py) is a row's bucket, not a finding
    return (found - {"error", "warning", "info"} - row_kinds) | {"level1_sum", "group_sum", "category_sum"}


def test_every_kind_the_code_emits_has_a_chinese_name_and_explanation() -> None:
    kinds = kinds_in_code()
    assert len(kinds) >= 28
    missing = sorted(kinds - set(known_kinds()))
    assert missing == [], f"add these kinds to kaoping/writers/labels_zh.yaml: {missing}"
    for kind in kinds:
        zh, en = kind_explanation(kind)
        assert kind_name(kind) != kind and zh and en, kind


def test_unknown_kinds_and_values_fall_back_to_their_machine_names() -> None:
    assert kind_name("brand_new_kind") == "brand_new_kind" and kind_explanation("brand_new_kind") == ("", "")
    assert value_label("severity", "error") == "错误" and value_label("severity", "odd") == "odd"
    assert value_label("role", "owner") == "责任人" and value_label("issuer_status", "inferred") == "推断"
    assert sheet_name("indicators") == "指标" and column_label("issues", "severity") == "严重程度"


def test_indicator_rows_zh_is_importable_for_a_dataset() -> None:
    headers, rows = indicator_rows_zh([], with_criteria=True)
    assert headers[:8] == ["序号", "类别", "分组", "一级指标", "分值", "二级指标", "权重", "考评标准"] and rows == []


@pytest.mark.parametrize("module", ["report.py", "report_assets.py", "tabular.py", "labels.py"])
def test_writers_import_no_checks_and_no_people_step(module: str) -> None:
    text = (ROOT / "kaoping" / "writers" / module).read_text(encoding="utf-8")
    assert "normalize.checks" not in text and "normalize.people" not in text
    assert "kaoping.features" not in text
