from __future__ import annotations

import random

import pytest
from kaoping.normalize.citations import TitleIndex, is_abbreviation, note_to_parts, note_to_resolutions

REPORT = "泉政办〔2022〕2号"
PROVINCE = "泉政办明传〔2022〕7号"
YONGQUAN = "泉委办发〔2022〕5号"
SANTI = "泉委办〔2022〕25号"
BUSINESS = "泉委办〔2022〕99号"
PROJECT = "泉委办〔2022〕2号"
MONITOR = "泉效综〔2022〕3号"
TOURISM = "泉政文〔2022〕7号"
PLAN = "三定方案"

TITLES = {
    REPORT: ["关于印发2022年市《政府工作报告》目标任务责任分解表的通知"],
    PROVINCE: ["关于印发2022年省政府工作涉及泉州市主要任务责任分工方案的通知"],
    YONGQUAN: ["关于印发《关于开展“涌泉”行动集聚各类人才在泉创业就业的若干措施》的通知"],
    SANTI: ["关于印发《泉州市贯彻落实“提高效率、提升效能、提增效益”优化营商环境攻坚行动方案》的通知"],
    BUSINESS: ["关于印发《泉州市进一步优化营商环境若干措施》的通知"],
    PROJECT: ["关于印发《泉州市“项目攻坚2022”活动方案》的通知"],
    MONITOR: ["关于做好经济社会运行和高质量发展监测与绩效管理工作的通知",
              "关于印发2022年度泉州市经济社会运行和高质量发展监测与绩效管理工作的通知"],
    TOURISM: ["关于加快推进旅游业高质量发展的实施意见"],
    PLAN: [PLAN],
}


@pytest.fixture(scope="module")
def index() -> TitleIndex:
    return TitleIndex({rid: [*ws, rid] for rid, ws in TITLES.items()})


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("属市《政府工作报告》任务65项；省政府工作涉及泉州任务附件2第40项",
         [("市《政府工作报告》", "任务65项"), ("省政府工作涉及泉州", "任务附件2第40项")]),
        ("属“涌泉”行动第2、3、5页第一、二、三、七项", [("“涌泉”行动", "第2、3、5页第一、二、三、七项")]),
        ("“抓开放招商促项目落地”2022年专项行动7-9页", [("“抓开放招商促项目落地”2022年专项行动", "7-9页")]),
        ("属“项目攻坚2022”第13、15页", [("“项目攻坚2022”", "第13、15页")]),
        ("属生态环境保护责任清单第26-27页第三十四项国资委职责",
         [("生态环境保护责任清单", "第26-27页第三十四项国资委职责")]),
        ("属 党建2022年工作要点 第14页 20项、第18页27项", [("党建2022年工作要点", "第14页20项、第18页27项")]),
        ("属年度重中之重工作", [("年度重中之重工作", None)]),
        ("属“十项举措”第3项", [("“十项举措”", "第3项")]),
    ],
)
def test_note_to_parts(note: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(p.alias, p.locator) for p in note_to_parts(note)] == expected


def test_abbreviations() -> None:
    assert is_abbreviation("三提三效", ["提高效率", "提升效能", "提增效益"])
    assert is_abbreviation("放管服", ["简政放权", "放管结合", "优化服务"])
    assert not is_abbreviation("两提三效", ["提高效率", "提升效能", "提增效益"])
    assert not is_abbreviation("三提三效", ["提高效率", "提升效能"])


def _resolve(index: TitleIndex, note: str, context: list[str]) -> list[tuple[str | None, str]]:
    return [(r.reference_id, r.method) for r in note_to_resolutions(note, context, index)]


def test_book_title_name(index: TitleIndex) -> None:
    assert _resolve(index, "属市《政府工作报告》任务65项", [REPORT, PROVINCE]) == [(REPORT, "quoted")]


def test_quoted_name(index: TitleIndex) -> None:
    assert _resolve(index, "属“涌泉”行动第8页第十四项", [PROJECT, YONGQUAN]) == [(YONGQUAN, "quoted")]


def test_abbreviated_quoted_name_beats_shared_words(index: TitleIndex) -> None:
    # both titles contain 优化营商环境; only one carries the clauses “三提三效” abbreviates
    assert _resolve(index, "属“三提三效”优化营商环境第29页第15项", [BUSINESS, SANTI]) == [(SANTI, "abbreviation")]


def test_plain_words_as_substring(index: TitleIndex) -> None:
    assert _resolve(index, "属省政府工作涉及泉州任务附件2第40项", [REPORT, PROVINCE]) == [(PROVINCE, "substring")]
    assert _resolve(index, "属加快推进旅游业高质量发展第7页第16项", [MONITOR, TOURISM]) == [(TOURISM, "substring")]


def test_exact_title_of_unnumbered_document(index: TitleIndex) -> None:
    assert _resolve(index, "属三定方案第3页", [PLAN]) == [(PLAN, "exact")]


def test_elimination_in_the_same_basis(index: TitleIndex) -> None:
    note = "属“项目攻坚2022”第13、15页；省对市、市对县绩效考核指标指标数据对接单位第15页；加快推进旅游业高质量发展第7页"
    res = note_to_resolutions(note, [PROJECT, MONITOR, TOURISM], index)
    assert [r.reference_id for r in res] == [PROJECT, MONITOR, TOURISM]
    assert res[1].method == "elimination"
    assert res[1].confidence < 0.6 <= min(res[0].confidence, res[2].confidence)


def test_outside_the_basis_needs_a_strong_match(index: TitleIndex) -> None:
    res = note_to_resolutions("属“涌泉”行动第2页", [TOURISM], index)
    assert [(r.reference_id, r.method) for r in res] == [(YONGQUAN, "quoted")]
    assert res[0].confidence < 0.95
    # only a shared word with a document outside the basis: no citation
    assert _resolve(index, "属省对市绩效考核指标第14页", [TOURISM]) == [(None, "none")]


def test_part_without_a_document_gives_none(index: TitleIndex) -> None:
    assert _resolve(index, "属年度重中之重工作", [PLAN]) == [(None, "none")]


def test_part_with_only_a_locator_follows_the_previous_part(index: TitleIndex) -> None:
    assert _resolve(index, "属市《政府工作报告》任务65项；第70项", [REPORT]) == [(REPORT, "quoted"), (REPORT, "previous")]


def test_equal_candidates_are_ambiguous(index: TitleIndex) -> None:
    twins = TitleIndex({"甲〔2022〕1号": ["关于印发“涌泉”行动方案的通知"], "乙〔2022〕1号": ["关于印发“涌泉”行动方案的通知"]})
    res = note_to_resolutions("属“涌泉”行动第2页", ["甲〔2022〕1号", "乙〔2022〕1号"], twins)
    assert [(r.reference_id, r.method) for r in res] == [(None, "ambiguous")]
    assert res[0].candidates == ("甲〔2022〕1号", "乙〔2022〕1号")


@pytest.mark.slow
def test_jieba_words_break_a_tie_of_weak_candidates() -> None:
    # 品监 and 监管 are equally rare bigrams of the alias; only 监管 is a word of it
    index = TitleIndex({"甲〔2022〕1号": ["关于产品监测站建设的通知"], "乙〔2022〕2号": ["关于加强安全监管的通知"],
                        "丙〔2022〕3号": ["关于某事的通知"], "丁〔2022〕4号": ["关于别的事的通知"]})
    res = note_to_resolutions("属食品监管考核第3页", ["甲〔2022〕1号", "乙〔2022〕2号"], index)
    assert [(r.reference_id, r.method) for r in res] == [("乙〔2022〕2号", "elimination")]
    assert res[0].confidence < 0.6


@pytest.mark.parametrize("word", ["属", "依据", "来源", "出自"])
def test_every_note_word_opens_a_note(index: TitleIndex, word: str) -> None:
    """The note words are data (note_words.csv): each one is stripped before the alias, not only 属."""
    parts = note_to_resolutions(f"{word}省政府工作涉及泉州任务附件2第40项", [REPORT, PROVINCE], index)
    assert [(p.reference_id, p.method, p.part.alias) for p in parts] == [(PROVINCE, "substring", "省政府工作涉及泉州")]


def test_issuer_endings_are_words_not_a_header() -> None:
    from kaoping.normalize.facts import data_lines

    endings = data_lines("issuer_endings.txt")
    assert "word" not in endings and "办公室" in endings


def test_longest_common_substring_matches_the_dynamic_programme() -> None:
    from kaoping.normalize.citations import longest_common_substring

    def table(a: str, b: str) -> int:  # the textbook O(len(a)·len(b)) programme
        best, prev = 0, [0] * (len(b) + 1)
        for ca in a:
            cur = [0]
            for j, cb in enumerate(b, start=1):
                cur.append(prev[j - 1] + 1 if ca == cb else 0)
                best = max(best, cur[-1])
            prev = cur
        return best

    rng = random.Random(5)
    for _ in range(500):
        a = "".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(0, 12)))
        b = "".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(0, 12)))
        assert longest_common_substring(a, b) == table(a, b), (a, b)
    assert longest_common_substring("优化营商环境三提三效", "关于优化营商环境的通知") == 6
