"""The roster, people findings, and alias files (normalize.people)."""

from __future__ import annotations

import json

from kaoping.normalize.people import apply_aliases, indicators_to_people, one_char_apart
from kaoping.schema.models import Indicator, Source
from support import EXPECTED


def sample_indicators() -> list[Indicator]:
    records = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return [Indicator(seq=n, source=Source(format="text", file="x", lines=[200 + n]), **r)
            for n, r in enumerate(records, start=1)]


def row(seq: int, departments: list[str], owners: list[str], leaders: list[str] | None = None) -> Indicator:
    return Indicator(seq=seq, code=f"1-{seq}", item=f"item {seq}", weight=1, deadline="12月底前",
                     departments=departments, owners=owners, leaders=leaders or ["领导甲"],
                     source=Source(format="text", file="t", lines=[seq]))


# ---------------------------------------------------------------- the sample


def test_sample_people_warnings_are_exactly_the_known_ones() -> None:
    _, issues = indicators_to_people(sample_indicators())
    assert [(i.severity, i.kind, i.code) for i in issues] == [
        ("warning", "name_variant", "1-3-1"),
        ("warning", "name_variant", "#35"),
        ("warning", "owner_count", "4-1"),
        ("warning", "owner_order", "7-1"),
    ]
    assert issues[0].message.startswith("责任人 李昫 (发改科; 1-3-1, 1-3-2, 1-4-1, 1-4-2) differs by one character "
                                        "from 李昀")
    assert issues[1].message.startswith("责任人 李响 (发改科; #35) differs by one character from 李昀")
    assert "3 departments" in issues[2].message and "2 owners" in issues[2].message
    assert "发改科 with 陈建新" in issues[3].message and "监督科 with 李昀" in issues[3].message
    assert issues[3].line == 253


def test_sample_people_records() -> None:
    people, _ = indicators_to_people(sample_indicators())
    owners = {p.name: p for p in people if p.role == "owner"}
    leaders = {p.name: p for p in people if p.role == "leader"}
    assert set(owners) == {"李昀", "陈瑞典", "苏颖慧", "黄华明", "陈建新", "陈天铃", "苏大庆"}
    assert set(leaders) == {"刘海祥", "汪亚彬", "李维芳", "林鹏", "周俊杰", "刘振华", "谢自力"}
    li = owners["李昀"]
    assert li.variants == ["李昫", "李响"]
    assert li.departments == ["发改科"]
    assert {"1-3-1", "#35", "7-1"} <= set(li.codes)
    assert owners["陈建新"].departments == ["监督科"]  # 7-1's swapped pair is not taken as a department
    assert owners["陈天铃"].codes[-1] == "8-4" and "4-1" in owners["陈天铃"].codes
    assert leaders["谢自力"].codes == ["1-17"]
    assert [p.role for p in people] == ["leader"] * 7 + ["owner"] * 7


# ---------------------------------------------------------------- synthetic


def test_one_char_apart() -> None:
    assert one_char_apart("王小明", "王小名")
    assert not one_char_apart("王小明", "王小明")
    assert not one_char_apart("王小明", "王明")
    assert not one_char_apart("王小明", "李大明")
    assert not one_char_apart("王", "李")


def test_the_less_frequent_spelling_in_the_same_department_is_the_variant() -> None:
    rows = [row(1, ["甲科"], ["王小名"]), row(2, ["甲科"], ["王小明"]), row(3, ["甲科"], ["王小明"]),
            row(4, ["乙科"], ["王小亮"])]  # one char from 王小明 but another department: another person
    people, issues = indicators_to_people(rows)
    (issue,) = issues
    assert (issue.kind, issue.code, issue.line) == ("name_variant", "1-1", 1)
    assert "王小名" in issue.message and "王小明" in issue.message and "not corrected" in issue.message
    owners = {p.name: p for p in people if p.role == "owner"}
    assert owners["王小明"].variants == ["王小名"] and owners["王小明"].codes == ["1-1", "1-2", "1-3"]
    assert owners["王小亮"].variants == [] and owners["王小亮"].departments == ["乙科"]


def test_indicators_are_never_changed_by_the_checks() -> None:
    rows = [row(1, ["甲科"], ["王小名"]), row(2, ["甲科"], ["王小明"]), row(3, ["甲科"], ["王小明"])]
    before = [r.model_dump() for r in rows]
    indicators_to_people(rows)
    assert [r.model_dump() for r in rows] == before


def test_owners_listed_in_another_order_than_their_departments() -> None:
    rows = [row(1, ["甲科"], ["张三"]), row(2, ["乙科"], ["李四"]), row(3, ["丙科"], ["王五"]),
            row(4, ["甲科", "乙科", "丙科"], ["张三", "李四", "王五"]),
            row(5, ["甲科", "乙科", "丙科"], ["李四", "王五", "张三"])]
    _, issues = indicators_to_people(rows)
    (issue,) = issues
    assert (issue.kind, issue.code) == ("owner_order", "1-5")
    assert "甲科 with 李四" in issue.message and "甲科 → 张三" in issue.message


def test_an_owner_from_another_department_that_no_order_explains() -> None:
    rows = [row(1, ["甲科"], ["张三"]), row(2, ["乙科"], ["李四"]), row(3, ["丙科"], ["王五"]),
            row(4, ["甲科", "乙科"], ["王五", "李四"])]
    _, issues = indicators_to_people(rows)
    assert [(i.kind, i.code) for i in issues] == [("owner_department", "1-4")]


def test_an_owner_not_on_any_roster_is_not_flagged() -> None:
    rows = [row(1, ["甲科"], ["张三"]), row(2, ["甲科", "乙科"], ["张三", "赵六"])]
    assert indicators_to_people(rows)[1] == []


def test_departments_and_owners_of_different_lengths() -> None:
    rows = [row(1, ["甲科", "乙科"], ["张三"]), row(2, ["甲科"], ["张三"]), row(3, ["甲科"], [])]
    _, issues = indicators_to_people(rows)
    assert [(i.kind, i.code) for i in issues] == [("owner_count", "1-1"), ("owner_count", "1-3")]
    assert issues[0].message == "1-1 names 2 departments (甲科、乙科) but 1 owners (张三); they cannot be paired"


def test_a_notice_without_owners_gives_no_count_warnings() -> None:
    people, issues = indicators_to_people([row(1, ["甲科"], []), row(2, ["甲科", "乙科"], [])])
    assert issues == []
    assert [(p.name, p.role) for p in people] == [("领导甲", "leader")]


def test_leader_variants_need_three_characters() -> None:
    rows = [row(1, ["甲科"], ["张三"], ["刘海洋"]), row(2, ["甲科"], ["张三"], ["刘海洋"]),
            row(3, ["甲科"], ["张三"], ["刘海祥"]), row(4, ["甲科"], ["张三"], ["林鹏"]),
            row(5, ["甲科"], ["张三"], ["林鸥"])]
    people, issues = indicators_to_people(rows)
    assert [(i.kind, i.code) for i in issues] == [("name_variant", "1-3")]
    assert "分管领导 刘海祥" in issues[0].message
    leaders = {p.name: p for p in people if p.role == "leader"}
    assert set(leaders) == {"刘海洋", "林鹏", "林鸥"}
    assert leaders["刘海洋"].variants == ["刘海祥"] and leaders["刘海洋"].departments == ["甲科"]


# ---------------------------------------------------------------- aliases


def test_apply_aliases_keeps_the_printed_names_and_silences_the_variant_warnings() -> None:
    indicators = sample_indicators()
    aliases = {"李昫": "李昀", "李响": "李昀", "刘海祥": "刘海翔"}
    fixed = apply_aliases(indicators, aliases)
    r35 = fixed[34]
    assert r35.owners == ["苏颖慧", "李昀"] and r35.owners_printed == ["苏颖慧", "李响"]
    assert r35.leaders == ["刘海翔", "林鹏"] and r35.leaders_printed == ["刘海祥", "林鹏"]
    assert indicators[34].owners == ["苏颖慧", "李响"]  # the input is not modified
    assert apply_aliases(fixed, aliases) == fixed  # aliases apply to the printed names: idempotent
    people, issues = indicators_to_people(fixed)
    assert [i.kind for i in issues] == ["owner_count", "owner_order"]
    # the printed spellings the alias file replaced stay visible on the person
    assert next(p for p in people if p.name == "李昀").variants == ["李昫", "李响"]
    assert next(p for p in people if p.name == "刘海翔").variants == ["刘海祥"]
