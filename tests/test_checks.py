"""Arithmetic and structure checks (normalize.checks) on the sample and on small synthetic notices."""

from __future__ import annotations

import json

import pytest
from kaoping.normalize.checks import indicators_to_check_issues, level1_blocks, parse_code
from kaoping.schema.models import Indicator, Issue, Source, TotalRow
from support import EXPECTED


def sample_indicators() -> list[Indicator]:
    records = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return [Indicator(seq=n, source=Source(format="text", file="x", lines=[200 + n]), **r)
            for n, r in enumerate(records, start=1)]


def sample_totals() -> list[TotalRow]:
    return [
        TotalRow(label="合计", value=75, category="职能工作目标", line=190),
        TotalRow(label="合计", value=25, category="行政能力目标", line=191),
        TotalRow(label="绩效目标考评得分", value=100, category=None, line=192),
    ]


def ind(seq: int, code: str | None, weight: float | None = 1.0, **kw: object) -> Indicator:
    """A synthetic indicator; defaults make a well-formed row."""
    fields: dict[str, object] = {"item": f"item {seq}", "deadline": "12月底前", "deadline_date": "2030-12-31",
                                 "category": "A"}
    fields.update(kw)
    return Indicator(seq=seq, code=code, weight=weight, source=Source(format="text", file="t", lines=[seq * 10]),
                     **fields)


def by_kind(issues: list[Issue], kind: str) -> list[Issue]:
    return [i for i in issues if i.kind == kind]


# ---------------------------------------------------------------- the sample


def test_sample_has_no_error_and_no_structure_warning() -> None:
    issues = indicators_to_check_issues(sample_indicators(), sample_totals())
    assert [i for i in issues if i.severity != "info"] == []
    assert [(i.kind, i.code, i.line) for i in issues] == [
        ("code_inferred", "1-15-2", 230), ("code_inferred", "1-16-2", 232)]


def test_sample_level1_blocks_include_the_uncoded_ones() -> None:
    blocks = level1_blocks(sample_indicators())
    assert len(blocks) == 16 + 2  # 1-1 … 1-16 and two uncoded 常规工作目标 blocks; 1-17 is its own row
    uncoded = [b for b in blocks if b.items[0].level1_code is None]
    assert [[i.seq for i in b.items] for b in uncoded] == [[34, 35], [36, 37]]
    assert [(b.printed, b.weight_sum, b.ok) for b in uncoded] == [(3.0, 3.0, True), (3.0, 3.0, True)]


def test_sample_with_one_weight_changed_names_the_level1_and_every_total() -> None:
    indicators = sample_indicators()
    k = next(n for n, i in enumerate(indicators) if i.code == "1-2-1")
    assert indicators[k].weight == 2.0
    indicators[k] = indicators[k].model_copy(update={"weight": 3.0})
    errors = [i for i in indicators_to_check_issues(indicators, sample_totals()) if i.severity == "error"]
    assert [(e.kind, e.code) for e in errors] == [
        ("level1_sum", "1-2"), ("category_sum", None), ("total_row_sum", None), ("grand_total_sum", None)]
    assert errors[0].message.startswith("一级指标 1-2 ")
    assert errors[0].message.endswith(": item weights sum to 5 but 4分 is printed")
    assert errors[0].line == 203  # the block's first row
    assert errors[1].message == "category 职能工作目标: item weights sum to 76 but 75分 is printed"
    assert errors[2].message == "合计 row of 职能工作目标: item weights sum to 76 but 75 is printed"
    assert errors[2].line == 190
    assert errors[3].message == "grand total row 绩效目标考评得分: item weights sum to 101 but 100 is printed"


# ---------------------------------------------------------------- arithmetic, synthetic


def test_level1_half_points_add_up_and_a_shortfall_is_an_error() -> None:
    good = [ind(1, "1-1-1", 1.5, level1_code="1-1", level1="甲", level1_points=3),
            ind(2, "1-1-2", 1.5, level1_code="1-1", level1="甲", level1_points=3)]
    assert indicators_to_check_issues(good, []) == []
    bad = [good[0], good[1].model_copy(update={"weight": 1.0})]
    (issue,) = indicators_to_check_issues(bad, [])
    assert (issue.severity, issue.kind, issue.code, issue.line) == ("error", "level1_sum", "1-1", 10)
    assert issue.message == "一级指标 1-1 甲: item weights sum to 2.5 but 3分 is printed"


def test_float_sums_use_a_tolerance() -> None:
    rows = [ind(n, f"1-1-{n}", w, level1_code="1-1", level1="乙", level1_points=0.6)
            for n, w in enumerate((0.1, 0.2, 0.3), start=1)]
    assert 0.1 + 0.2 + 0.3 != 0.6
    assert indicators_to_check_issues(rows, []) == []


def test_uncoded_level1_blocks_are_consecutive_rows_with_the_same_text() -> None:
    rows = [ind(1, None, 2, level1="甲", level1_points=4, group="G"),
            ind(2, None, 2, level1="甲", level1_points=4, group="G"),
            ind(3, None, 1, level1="乙", level1_points=1, group="G"),
            ind(4, None, 4, level1="甲", level1_points=4, group="G")]
    blocks = level1_blocks(rows)
    assert [[i.seq for i in b.items] for b in blocks] == [[1, 2], [3], [4]]
    assert indicators_to_check_issues(rows, []) == []
    rows[1] = rows[1].model_copy(update={"weight": 1.0})
    (issue,) = indicators_to_check_issues(rows, [])
    assert (issue.kind, issue.code) == ("level1_sum", "#1")
    assert issue.message == "一级指标 甲: item weights sum to 3 but 4分 is printed"


def test_group_points_must_equal_their_items() -> None:
    rows = [ind(n, f"4-{n}", 1, group="思想建设", group_points=5) for n in range(1, 5)]
    (issue,) = indicators_to_check_issues(rows, [])
    assert (issue.severity, issue.kind, issue.code) == ("error", "group_sum", None)
    assert issue.message == "group 思想建设: item weights sum to 4 but 5分 is printed"


def test_category_points_total_rows_and_grand_total() -> None:
    rows = [ind(1, "1-1", 60, category="A", category_points=60),
            ind(2, "2-1", 40, category="B", category_points=40)]
    totals = [TotalRow(label="合计", value=60, category="A", line=3),
              TotalRow(label="合计", value=40, category="B", line=4),
              TotalRow(label="总分", value=100, line=5)]
    assert indicators_to_check_issues(rows, totals) == []
    totals[1] = totals[1].model_copy(update={"value": 45.0})
    totals[2] = totals[2].model_copy(update={"value": 99.0})
    rows[0] = rows[0].model_copy(update={"category_points": 65.0})
    issues = indicators_to_check_issues(rows, totals)
    assert [(i.kind, i.message) for i in issues] == [
        ("category_sum", "category A: item weights sum to 60 but 65分 is printed"),
        ("total_row_sum", "合计 row of B: item weights sum to 40 but 45 is printed"),
        ("grand_total_sum", "grand total row 总分: item weights sum to 100 but 99 is printed"),
    ]
    assert [i.line for i in issues] == [10, 4, 5]


def test_a_total_row_for_an_unknown_category_is_a_warning() -> None:
    (issue,) = indicators_to_check_issues([ind(1, "1-1")], [TotalRow(label="合计", value=1, category="Z")])
    assert (issue.severity, issue.kind) == ("warning", "total_row_unmatched")


def test_a_missing_weight_is_an_error_and_skips_the_sums_it_would_distort() -> None:
    rows = [ind(1, "1-1-1", None, level1_code="1-1", level1="甲", level1_points=2, category_points=2),
            ind(2, "1-1-2", 1, level1_code="1-1", level1="甲", level1_points=2, category_points=2)]
    issues = indicators_to_check_issues(rows, [TotalRow(label="合计", value=2)])
    assert [(i.severity, i.kind, i.code) for i in issues] == [("error", "missing_weight", "1-1-1")]


# ---------------------------------------------------------------- structure, synthetic


def test_deadlines_missing_unparsed_and_inferred_codes() -> None:
    rows = [ind(1, "1-1", deadline=None, deadline_date=None),
            ind(2, "1-2", deadline="年内", deadline_date=None),
            ind(3, "1-3", code_inferred=True)]
    issues = indicators_to_check_issues(rows, [])
    assert [(i.severity, i.kind, i.code) for i in issues] == [
        ("error", "missing_deadline", "1-1"), ("warning", "deadline_unparsed", "1-2"),
        ("info", "code_inferred", "1-3")]
    assert "'年内'" in issues[1].message


def test_duplicate_codes_are_errors() -> None:
    issues = indicators_to_check_issues([ind(1, "1-1"), ind(2, "1-2"), ind(3, "1-2")], [])
    (issue,) = issues
    assert (issue.severity, issue.kind, issue.code, issue.line) == ("error", "duplicate_code", "1-2", 30)
    assert "#2" in issue.message


def test_gaps_and_jumps_within_a_parent_are_warnings() -> None:
    gap = indicators_to_check_issues([ind(1, "4-1"), ind(2, "4-2"), ind(3, "4-5")], [])
    assert [(i.severity, i.kind, i.code) for i in gap] == [("warning", "code_gap", "4-5")]
    assert gap[0].message == "4-5 follows 4-2: 4-3, 4-4 missing"
    jump = indicators_to_check_issues([ind(1, "4-1"), ind(2, "4-2"), ind(3, "4-3"), ind(4, "4-2-1")], [])
    assert jump == []  # 4-2-1 re-enters a parent already seen, but its own numbering (1) is right
    back = indicators_to_check_issues([ind(1, "4-1"), ind(2, "4-3"), ind(3, "4-2")], [])
    assert [(i.kind, i.code) for i in back] == [("code_gap", "4-3"), ("code_jump", "4-2")]


def test_sequences_count_level1_codes_and_item_codes_together() -> None:
    rows = [ind(1, "1-1-1", level1_code="1-1", level1="甲"), ind(2, "1-1-2", level1_code="1-1", level1="甲"),
            ind(3, "1-2-2", level1_code="1-2", level1="乙"), ind(4, "1-4")]
    issues = indicators_to_check_issues(rows, [])
    assert [(i.kind, i.code, i.message) for i in issues] == [
        ("code_gap", "1-2-2", "1-2-2 is the first under 1-2: 1-2-1 missing"),
        ("code_gap", "1-4", "1-4 follows 1-2: 1-3 missing"),
    ]


def test_top_level_numbers_are_not_a_sequence() -> None:
    assert indicators_to_check_issues([ind(1, "1-1"), ind(2, "4-1"), ind(3, "5-1")], []) == []


@pytest.mark.parametrize(("code", "parts"), [("1-2-1", (1, 2, 1)), ("4－5", (4, 5)), ("12", (12,)),
                                             ("一", None), ("1-", None), (None, None)])
def test_parse_code(code: str | None, parts: tuple[int, ...] | None) -> None:
    assert parse_code(code) == parts


def test_a_row_marked_grand_is_the_grand_total_whatever_its_category() -> None:
    rows = [ind(1, "1-1", 60, category="A"), ind(2, "2-1", 40, category="B")]
    (issue,) = indicators_to_check_issues(rows, [TotalRow(label="得分", value=60, level="grand", category="A")])
    assert (issue.kind, issue.message) == ("grand_total_sum",
                                           "grand total row 得分: item weights sum to 100 but 60 is printed")


def test_a_merged_names_cell_counts_once_for_the_vocabulary() -> None:
    """A 分管领导 cell merged over five rows and wrapped inside a name by a browser (刘海祥 汪 / 亚彬李维 芳) is one
    printed cell: its pieces are not 'seen in two cells' five times over, so the names printed whole on other
    rows split it (before: 刘海祥汪, 亚彬李维, 芳林鹏 became words and every row carried them)."""
    from kaoping.normalize.fields import split_indicator_names

    wrapped = "刘海祥 汪\n亚彬李维 芳 林鹏 周俊杰"
    rows = [ind(1, "1-1", leaders=["刘海祥 汪亚彬 李维芳 林鹏 周俊杰"]), ind(2, "1-2", leaders=["汪亚彬"]),
            ind(3, "1-3", leaders=["李维芳"]), ind(4, "1-4", leaders=["刘海祥 林鹏"])]
    rows += [ind(5 + k, f"5-{k + 1}", leaders=[wrapped]) for k in range(5)]
    rows = [r if k < 5 else r.model_copy(update={"source": r.source.model_copy(update={"inherited": ["leaders"]})})
            for k, r in enumerate(rows)]
    out = split_indicator_names(rows)
    assert [i.leaders for i in out[4:]] == [["刘海祥", "汪亚彬", "李维芳", "林鹏", "周俊杰"]] * 5


def test_a_table_without_deadlines_gets_no_deadline_findings() -> None:
    """No row prints a 完成时限 (the table has no such column): neither missing nor unreadable."""
    rows = [ind(1, "1", deadline=None, deadline_date=None), ind(2, "2", deadline=None, deadline_date=None)]
    assert [i.kind for i in indicators_to_check_issues(rows, [])] == []
