"""Year-over-year diff (kaoping/diff.py): a later notice built from the 2022 records inside the test."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from kaoping.normalize.targets import indicators_to_targets
from kaoping.schema.errors import InputError
from kaoping.schema.models import Indicator, Notice, NoticeDocument, Source
from support import SAMPLES

from kaoping.features.diff import diff_documents, diff_to_rows, load_notice_document, match_indicators
from kaoping.features.diff_html import diff_to_html, mark_changes

FIELDS = set(Indicator.model_fields) - {"seq", "source", "targets"}


def records_2022() -> list[dict[str, Any]]:
    return json.loads((SAMPLES / "notice_2022.expected.json").read_text(encoding="utf-8"))


def records_to_document(records: list[dict[str, Any]], year: int) -> NoticeDocument:
    indicators = [
        Indicator(
            seq=i, source=Source(format="text", file="x"), **{k: v for k, v in r.items() if k in FIELDS}
        )
        for i, r in enumerate(records, 1)
    ]
    notice = Notice(source_file=f"notice_{year}.json", source_format="text", sha256="0" * 64, year=year)
    return NoticeDocument(notice=notice, indicators=indicators_to_targets(indicators))  # as the pipeline does


def shift_code(code: str | None, start: int) -> str | None:
    """1-13-1 → 1-12-1 for every level-1 block numbered from ``start`` on."""
    m = re.fullmatch(r"1-(\d+)(.*)", code or "")
    if m and int(m.group(1)) >= start:
        return f"1-{int(m.group(1)) - 1}{m.group(2)}"
    return code


def by_code(records: list[dict[str, Any]], code: str) -> dict[str, Any]:
    [r] = [r for r in records if r["code"] == code]
    return r


NEW_BLOCK_LEVEL1 = "实施国企数字化转型行动，推进数据要素市场化配置。"
NEW_ITEMS = [
    "建成国资国企在线监管平台二期，接入所出资企业财务、投资、产权等数据，实现实时监测预警。",
    "培育数字经济企业5家以上，推动数据资产入表试点，打造国资数据共享中心。",
]
REWORDED_1_9_2 = "深化国企智慧停车项目建设，新建800个以上公共停车位，推动停车资源共享。"
REPLACED_1_14_2 = "组织所出资企业参加全市职工运动会，举办国资系统青年干部读书分享会和书画摄影展。"


def records_2023() -> list[dict[str, Any]]:
    """The 2022 table, one year on."""
    recs = copy.deepcopy(records_2022())
    # a whole level-1 block is dropped, so every later 1-x code shifts down by one
    recs = [r for r in recs if r["level1_code"] != "1-12"]
    for r in recs:
        r["code"], r["level1_code"] = shift_code(r["code"], 13), shift_code(r["level1_code"], 13)
    # numbers rise
    r = by_code(recs, "1-8-2")
    r["item"] = r["item"].replace("300个以上", "500个以上")
    by_code(recs, "1-9-2")["item"] = REWORDED_1_9_2  # rewritten, and the number rises
    r = by_code(recs, "1-14-2")  # was 1-15-2
    r["item"] = r["item"].replace("6公里以上", "8公里以上")
    # a deadline, a weight, a person
    r = by_code(recs, "1-1-1")
    r["deadline"], r["deadline_date"] = "6月底前", "2023-06-30"
    by_code(recs, "1-1-2")["weight"] = 3.0
    by_code(recs, "1-3-1")["owners"] = ["王明"]
    by_code(recs, "1-15-2")["leaders"] = ["周俊杰", "陈志强"]  # was 1-16-2
    # a reworded item that is still the same target
    r = by_code(recs, "1-10-2")
    r["item"] = (
        r["item"].replace("办好各类文旅节庆活动", "举办各类文旅节庆活动").replace("构筑智慧旅游云平台，", "")
    )
    # an item replaced by an unrelated one inside the same block
    by_code(recs, "1-13-2")["item"] = REPLACED_1_14_2  # was 1-14-2
    # a new block after the last 重点工作目标 block
    template = by_code(recs, "1-16")  # was 1-17
    new_block = []
    for k, item in enumerate(NEW_ITEMS, 1):
        r = copy.deepcopy(template)
        r.update(code=f"1-17-{k}", level1_code="1-17", level1=NEW_BLOCK_LEVEL1, item=item, weight=2.0)
        new_block.append(r)
    at = recs.index(template) + 1
    recs[at:at] = new_block
    # an uncoded row reworded for the new year
    uncoded = [r for r in recs if r["code"] is None]
    uncoded[2]["item"] = (
        uncoded[2]["item"]
        .replace("2021年度和任期（2019-2021年度）", "2022年度")
        .replace("2022年委管", "2023年委管")
    )
    # 4-5 dropped (it is nearly identical to 4-4: content, not position, must decide)
    recs = [r for r in recs if r["code"] != "4-5"]
    # 5-1 and 5-2 trade places: the codes swap, the contents do not change
    a, b = by_code(recs, "5-1"), by_code(recs, "5-2")
    ia, ib = recs.index(a), recs.index(b)
    recs[ia], recs[ib] = b, a
    a["code"], b["code"] = "5-2", "5-1"
    return recs


@pytest.fixture(scope="module")
def diff() -> dict[str, Any]:
    return diff_documents(
        records_to_document(records_2022(), 2022), records_to_document(records_2023(), 2023)
    )


def key(code: str | None, seq: int) -> str:
    return code or f"#{seq}"


def test_every_indicator_is_accounted_for_once(diff: dict[str, Any]) -> None:
    old, new = records_2022(), records_2023()
    old_seqs = [p["old_seq"] for p in diff["pairs"]] + [r["seq"] for r in diff["removed"]]
    new_seqs = [p["new_seq"] for p in diff["pairs"]] + [a["seq"] for a in diff["added"]]
    assert sorted(old_seqs) == list(range(1, len(old) + 1))
    assert sorted(new_seqs) == list(range(1, len(new) + 1))


def test_added_and_removed(diff: dict[str, Any]) -> None:
    old = records_2022()
    assert [(r["code"], r["item"]) for r in diff["removed"]] == [
        ("1-12-1", by_code(old, "1-12-1")["item"]),
        ("1-12-2", by_code(old, "1-12-2")["item"]),
        ("1-14-2", by_code(old, "1-14-2")["item"]),
        ("4-5", by_code(old, "4-5")["item"]),
    ]
    assert diff["removed"][0]["item"].startswith("根据市疫情防控指挥部统一部署")
    assert [(a["code"], a["item"]) for a in diff["added"]] == [
        ("1-13-2", REPLACED_1_14_2),
        ("1-17-1", NEW_ITEMS[0]),
        ("1-17-2", NEW_ITEMS[1]),
    ]


def expected_pairs() -> dict[tuple[str, str], set[str]]:
    """(old code, new code) → changed fields, for every pair."""
    old = records_2022()
    gone = {"1-12-1", "1-12-2", "1-14-2", "4-5"}
    pairs: dict[tuple[str, str], set[str]] = {}
    for seq, r in enumerate(old, 1):
        if r["code"] in gone:
            continue
        new_code = {"5-1": "5-2", "5-2": "5-1"}.get(r["code"], shift_code(r["code"], 13))
        pairs[(key(r["code"], seq), new_code or "")] = set()  # uncoded rows: "#seq" → ""
    pairs[("1-8-2", "1-8-2")] = {"item", "targets"}
    pairs[("1-9-2", "1-9-2")] = {"item", "targets"}
    pairs[("1-15-2", "1-14-2")] = {"item", "targets"}
    pairs[("1-1-1", "1-1-1")] = {"deadline"}
    pairs[("1-1-2", "1-1-2")] = {"weight"}
    pairs[("1-3-1", "1-3-1")] = {"owners"}
    pairs[("1-16-2", "1-15-2")] = {"leaders"}
    pairs[("1-10-2", "1-10-2")] = {"item"}
    pairs[("#36", "")] = {"item"}  # the third uncoded row
    return pairs


def test_pairs_and_changed_fields_exactly(diff: dict[str, Any]) -> None:
    got = {(key(p["old_code"], p["old_seq"]), p["new_code"] or ""): set(p["changes"]) for p in diff["pairs"]}
    assert len(got) == len(diff["pairs"])
    assert got == expected_pairs()


def test_uncoded_rows_pair_in_order(diff: dict[str, Any]) -> None:
    uncoded = [(p["old_seq"], p["new_seq"]) for p in diff["pairs"] if p["old_code"] is None]
    # two rows dropped from 1-12 and two added in 1-17 before them: the seqs happen to line up
    assert uncoded == [(34, 34), (35, 35), (36, 36), (37, 37)]


def test_change_values(diff: dict[str, Any]) -> None:
    pairs = {(p["old_code"], p["new_code"]): p for p in diff["pairs"] if p["old_code"]}
    assert pairs[("1-1-1", "1-1-1")]["changes"] == {"deadline": {"old": "7月底前", "new": "6月底前"}}
    assert pairs[("1-1-2", "1-1-2")]["changes"] == {"weight": {"old": 2.0, "new": 3.0}}
    assert pairs[("1-3-1", "1-3-1")]["changes"]["owners"] == {"old": ["李昫"], "new": ["王明"]}
    assert pairs[("1-16-2", "1-15-2")]["changes"]["leaders"] == {
        "old": ["周俊杰", "刘振华"],
        "new": ["周俊杰", "陈志强"],
    }
    [moved] = pairs[("1-8-2", "1-8-2")]["changes"]["targets"]["moved"]
    assert moved["metric"] == "优质动态储备岗位"
    assert (moved["old"]["value"], moved["new"]["value"]) == (300.0, 500.0)
    assert moved["old"]["comparator"] == moved["new"]["comparator"] == ">="
    [moved] = pairs[("1-15-2", "1-14-2")]["changes"]["targets"]["moved"]
    assert (moved["metric"], moved["old"]["raw"], moved["new"]["raw"]) == (
        "供水管网",
        "6公里以上",
        "8公里以上",
    )
    # renumbering alone changes no content, but it is flagged
    assert pairs[("1-13-1", "1-12-1")]["changes"] == {} and pairs[("1-13-1", "1-12-1")]["renumbered"]
    assert not pairs[("1-1-1", "1-1-1")]["renumbered"]
    assert pairs[("1-17", "1-16")]["changes"] == {}
    assert pairs[("5-1", "5-2")]["changes"] == {}
    assert pairs[("1-13-1", "1-12-1")]["similarity"] == 1.0


def test_summary(diff: dict[str, Any]) -> None:
    s = diff["summary"]
    assert (s["old_indicators"], s["new_indicators"]) == (61, 60)
    assert (s["pairs"], s["added"], s["removed"]) == (57, 3, 4)
    assert (s["changed"], s["unchanged"]) == (9, 40)  # 8 more pairs were only renumbered
    # 1-13-1 1-13-2 1-14-1 1-15-1 1-15-2 1-16-1 1-16-2 1-17 shifted, 5-1 and 5-2 swapped
    assert s["renumbered"] == 10
    assert s["changes_by_field"] == {
        "item": 5,
        "weight": 1,
        "deadline": 1,
        "leaders": 1,
        "owners": 1,
        "targets": 3,
    }
    assert (s["old_year"], s["new_year"]) == (2022, 2023)


def test_rows(diff: dict[str, Any]) -> None:
    rows = diff_to_rows(diff)
    assert len(rows) == 12 + 10 + 3 + 4  # content changes, renumberings, added, removed
    assert all(isinstance(r["old"], str | None) and isinstance(r["new"], str | None) for r in rows)
    target_rows = [r for r in rows if r["field"] == "targets"]
    assert {(r["old_code"], r["new_code"], r["metric"], r["old"], r["new"]) for r in target_rows} == {
        ("1-8-2", "1-8-2", "优质动态储备岗位", "≥300个", "≥500个"),
        ("1-9-2", "1-9-2", "公共停车位", "≥500个", "≥800个"),
        ("1-15-2", "1-14-2", "供水管网", "≥6公里", "≥8公里"),
    }
    code_rows = [(r["old_code"], r["new_code"], r["old"], r["new"]) for r in rows if r["field"] == "code"]
    assert len(code_rows) == 10 and ("5-1", "5-2", "5-1", "5-2") in code_rows
    assert ("1-17", "1-16", "1-17", "1-16") in code_rows
    [w] = [r for r in rows if r["field"] == "weight"]
    assert (w["old"], w["new"]) == ("2", "3")
    [o] = [r for r in rows if r["field"] == "owners"]
    assert (o["old"], o["new"]) == ("李昫", "王明")
    assert [r["new_code"] for r in rows if r["field"] == "added"] == ["1-13-2", "1-17-1", "1-17-2"]
    assert [r["old_code"] for r in rows if r["field"] == "removed"] == ["1-12-1", "1-12-2", "1-14-2", "4-5"]


def test_unrelated_items_are_not_forced_into_pairs() -> None:
    old = records_to_document(records_2022()[:3], 2022)
    new_records = copy.deepcopy(records_2022()[40:43])
    new = records_to_document(new_records, 2023)
    d = diff_documents(old, new)
    assert d["pairs"] == []
    assert [r["code"] for r in d["removed"]] == ["1-1-1", "1-1-2", "1-2-1"]
    assert [a["code"] for a in d["added"]] == [r["code"] for r in new_records]


def test_empty_documents() -> None:
    old = records_to_document(records_2022()[:2], 2022)
    empty = records_to_document([], 2023)
    d = diff_documents(old, empty)
    assert (d["pairs"], d["added"], [r["code"] for r in d["removed"]]) == ([], [], ["1-1-1", "1-1-2"])
    assert match_indicators([], old.indicators) == []


def test_whitespace_and_width_are_not_changes() -> None:
    recs = records_2022()[:1]
    later = copy.deepcopy(recs)
    later[0]["item"] = later[0]["item"].replace("，", ",", 2).replace("三年行动", "三年\n行动")
    d = diff_documents(records_to_document(recs, 2022), records_to_document(later, 2023))
    assert [p["changes"] for p in d["pairs"]] == [{}]


def test_targets_come_from_the_documents_never_parsed_again() -> None:
    old = records_to_document(records_2022(), 2022)
    bare = NoticeDocument(notice=old.notice, indicators=[i.model_copy(update={"targets": []}) for i in old.indicators])
    d = diff_documents(old, bare)
    moved = [p for p in d["pairs"] if "targets" in p["changes"]]
    assert len(moved) == sum(1 for i in old.indicators if i.targets)  # the new document carries none
    assert all(p["changes"]["targets"]["new"] == [] for p in moved)


def test_target_amounts_read_as_printed() -> None:
    recs = [r for r in records_2022() if r["code"] == "1-12-2"]
    later = copy.deepcopy(recs)
    later[0]["item"] = later[0]["item"].replace("1.2亿元以上", "1.5亿元以上")
    d = diff_documents(records_to_document(recs, 2022), records_to_document(later, 2023))
    [row] = [r for r in diff_to_rows(d) if r["field"] == "targets"]
    assert (row["old"], row["new"]) == ("≥1.2亿元", "≥1.5亿元")


def test_load_notice_document(tmp_path: Path) -> None:
    doc = records_to_document(records_2022(), 2022)
    path = tmp_path / "notice.json"
    path.write_text(doc.model_dump_json(), encoding="utf-8")
    loaded = load_notice_document(path)
    assert loaded == doc
    bad = tmp_path / "bad.json"
    bad.write_text('{"indicators": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not a kaoping notice.json"):
        load_notice_document(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_notice_document(tmp_path / "missing.json")


# --- diff.html -------------------------------------------------------------------------------


class TagCounter(HTMLParser):
    """Counts start tags by (tag, class) and checks that block tags are balanced."""

    VOID = {"meta", "input", "br", "link", "img"}

    def __init__(self) -> None:
        super().__init__()
        self.starts: Counter[tuple[str, str]] = Counter()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts[(tag, dict(attrs).get("class") or "")] += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_mark_changes() -> None:
    assert mark_changes("提供300个以上", "提供500个以上") == (
        "提供<del>3</del>00个以上",
        "提供<ins>5</ins>00个以上",
    )
    assert mark_changes("a<b", "a<c") == ("a&lt;<del>b</del>", "a&lt;<ins>c</ins>")


def test_html_structure(diff: dict[str, Any]) -> None:
    old, new = records_to_document(records_2022(), 2022), records_to_document(records_2023(), 2023)
    page = diff_to_html(diff, old, new)
    parser = TagCounter()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    rows = {cls: n for (tag, cls), n in parser.starts.items() if tag == "tr"}
    assert rows == {"added": 3, "removed": 4, "changed": 9, "renumbered": 8, "same": 40}
    assert parser.starts[("h2", "")] == 2  # 职能工作目标, 行政能力目标
    assert parser.starts[("h3", "")] == 7  # 重点工作目标, 常规工作目标, 思想建设, 依法办事 … 管理创新
    # counts at the top, before any row
    counts = page.index('class="counts"')
    assert counts < page.index("<tr")
    assert "<b>57</b>配对" in page and "<b>3</b>新增" in page and "<b>4</b>删除" in page
    # the moved number is highlighted on both sides
    assert "提供<del>3</del>00个以上" in page and "提供<ins>5</ins>00个以上" in page
    assert "优质动态储备岗位：≥300个" in page and "优质动态储备岗位：≥500个" in page
    # a renumbered row shows both codes with the changed digit marked; uncoded rows are #行次 as in the report
    assert '<span class="code">1-1<del>3</del>-1</span>' in page and '<span class="code">1-1<ins>2</ins>-1</span>' in page
    assert '<span class="code">#34</span>' in page
    # in a list only the name that changed is marked
    assert "分管领导：周俊杰、<del>刘振华</del>" in page and "分管领导：周俊杰、<ins>陈志强</ins>" in page
    # self-contained: no scripts, stylesheets, images or links to elsewhere
    for needle in ("<script", "<link", "src=", "http://", "https://", "url("):
        assert needle not in page


def test_html_escapes_text() -> None:
    recs = records_2022()[:1]
    later = copy.deepcopy(recs)
    later[0]["item"] = recs[0]["item"] + "<script>alert(1)</script>&"
    later[0]["owners"] = ["<b>王明</b>"]
    old, new = records_to_document(recs, 2022), records_to_document(later, 2023)
    page = diff_to_html(diff_documents(old, new), old, new)
    assert "<script" not in page and "<b>王明" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in page
    assert "&lt;b&gt;王明&lt;/b&gt;" in page


# --- through the real pipeline: the later notice written as text ----------------------------


def shift_cell(cell: str) -> str:
    return shift_code(cell, 13) if re.fullmatch(r"1-\d+(-\d+)?", cell) else cell  # type: ignore[return-value]


def text_2023() -> str:
    """samples/notice_2022.txt edited line by line into next year's table."""
    out = []
    for line in (SAMPLES / "notice_2022.txt").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        code = next((c for c in cells if re.fullmatch(r"\d+-\d+(-\d+)?", c)), None)
        if code in ("1-12-1", "1-12-2", "4-5"):
            continue
        k = cells.index(code) if code else -1
        if code == "1-1-1":
            cells[k + 5] = "6月底前"
        elif code == "1-1-2":
            cells[k + 4] = "3"
        elif code == "1-3-1":
            cells[k + 8] = "王 明"
        elif code == "1-8-2":
            cells[k + 3] = cells[k + 3].replace("300个以上", "500个以上")
        elif code == "1-10-2":
            cells[k + 3] = cells[k + 3].replace("办好各类文旅节庆活动", "举办各类文旅节庆活动")
        out.append("\t".join(shift_cell(c) for c in cells))
        if code == "1-17":
            out.append(
                "\t".join(["", "1-17", "", "", NEW_ITEMS[1], "2", "12月底前", "林鹏", "资本科", "苏颖慧", ""])
            )
    return "\n".join(out) + "\n"


def test_later_notice_as_text_through_the_pipeline(tmp_path: Path) -> None:
    from kaoping.api import extract

    path = tmp_path / "notice_2023.txt"
    path.write_text(text_2023(), encoding="utf-8")
    old, new = extract(SAMPLES / "notice_2022.txt"), extract(path)
    assert len(new.indicators) == len(old.indicators) - 3 + 1
    d = diff_documents(old, new)
    assert [r["code"] for r in d["removed"]] == ["1-12-1", "1-12-2", "4-5"]
    assert [(a["code"], a["item"]) for a in d["added"]] == [("1-17", NEW_ITEMS[1])]
    changed = {(p["old_code"], p["new_code"]): p["changes"] for p in d["pairs"] if p["changes"]}
    assert changed.keys() == {
        ("1-1-1", "1-1-1"),
        ("1-1-2", "1-1-2"),
        ("1-3-1", "1-3-1"),
        ("1-8-2", "1-8-2"),
        ("1-10-2", "1-10-2"),
    }
    assert changed[("1-1-1", "1-1-1")] == {"deadline": {"old": "7月底前", "new": "6月底前"}}
    assert changed[("1-1-2", "1-1-2")] == {"weight": {"old": 2.0, "new": 3.0}}
    assert changed[("1-3-1", "1-3-1")]["owners"]["new"] == ["王明"]
    assert set(changed[("1-8-2", "1-8-2")]) == {"item", "targets"}
    [moved] = changed[("1-8-2", "1-8-2")]["targets"]["moved"]
    assert (moved["metric"], moved["old"]["value"], moved["new"]["value"]) == (
        "优质动态储备岗位",
        300.0,
        500.0,
    )
    assert set(changed[("1-10-2", "1-10-2")]) == {"item"}
    renumbered = {(p["old_code"], p["new_code"]) for p in d["pairs"] if p["old_code"] != p["new_code"]}
    assert renumbered == {
        ("1-13-1", "1-12-1"),
        ("1-13-2", "1-12-2"),
        ("1-14-1", "1-13-1"),
        ("1-14-2", "1-13-2"),
        ("1-15-1", "1-14-1"),
        ("1-15-2", "1-14-2"),
        ("1-16-1", "1-15-1"),
        ("1-16-2", "1-15-2"),
        ("1-17", "1-16"),
    }
    assert d["summary"]["pairs"] == len(old.indicators) - 3
