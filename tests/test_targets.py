"""Quantitative targets parsed from item text (normalize/targets.py)."""

from __future__ import annotations

import json

import pytest
from kaoping.normalize.numerals import chinese_to_number
from kaoping.normalize.targets import amount_text, indicators_to_targets, text_to_targets
from kaoping.schema.models import Indicator, Source
from support import SAMPLES


def one(text: str) -> tuple[str | None, str, float, str | None, str]:
    found = text_to_targets(text)
    assert len(found) == 1, found
    t = found[0]
    return (t.metric, t.comparator, t.value, t.unit, t.raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("设立规模2亿元以上的天使投资基金", ("天使投资基金", ">=", 200_000_000.0, "元", "2亿元以上")),
        ("预计减免租金1.2亿元以上。", ("减免租金", ">=", 120_000_000.0, "元", "1.2亿元以上")),
        ("投资800亿元以上，", ("投资", ">=", 80_000_000_000.0, "元", "800亿元以上")),
        ("改造供水管网6公里以上，", ("供水管网", ">=", 6.0, "公里", "6公里以上")),
        ("计划购置各类新能源车型96辆，", ("各类新能源车型", "=", 96.0, "辆", "96辆")),
        ("对花巷等29条古城街巷进行整治", ("古城街巷", "=", 29.0, "条", "29条")),
        ("对接洽谈项目3个以上，", ("对接洽谈项目", ">=", 3.0, "个", "3个以上")),
        ("提供300个以上优质动态储备岗位，", ("优质动态储备岗位", ">=", 300.0, "个", "300个以上")),
        ("新建500个以上公共停车位。", ("公共停车位", ">=", 500.0, "个", "500个以上")),
        ("推进东海片区支十五路等四条支路、东海片区经八路北段", ("支路", "=", 4.0, "条", "四条")),
        ("策划生成项目不少于10个。", ("策划生成项目", ">=", 10.0, "个", "不少于10个")),
        ("开通至少1条中心市区跨区域公交线路", ("中心市区跨区域公交线路", ">=", 1.0, "条", "至少1条")),
        ("至少形成1项具有创新性、成效性的创新成果，", ("创新成果", ">=", 1.0, "项", "至少形成1项")),
        ("会议费用不超过5万元", ("会议费用", "<=", 50_000.0, "元", "不超过5万元")),
        ("差旅支出控制在30万元以内", ("差旅支出", "<=", 300_000.0, "元", "控制在30万元以内")),
        ("服务企业超过20家", ("服务企业", ">=", 20.0, "家", "超过20家")),
        ("网上办件率达到95%以上", ("网上办件率", ">=", 95.0, "%", "95%以上")),  # the verb ends the phrase
        # a threshold per project is a count of projects with a condition, not a total of 10亿元
        ("签约落地投资额10亿元以上项目至少1个", ("签约落地投资额10亿元以上项目", ">=", 1.0, "个", "10亿元以上项目至少1个")),
        ("推动投资超过5亿元的工业项目3个", ("投资超过5亿元的工业项目", "=", 3.0, "个", "超过5亿元的工业项目3个")),
        # generic nouns keep their clause, so that a metric compares across years
        ("新增项目3个", ("新增项目", "=", 3.0, "个", "3个")),
        ("完成投资20亿元", ("完成投资", "=", 2_000_000_000.0, "元", "20亿元")),
        ("新开工项目10个", ("新开工项目", "=", 10.0, "个", "10个")),
        ("推进两项公交规划编制工作", ("公交规划编制工作", "=", 2.0, "项", "两项")),
        ("新增充电桩一千二百个", ("充电桩", "=", 1200.0, "个", "一千二百个")),
        ("建成绿道１５公里", ("绿道", "=", 15.0, "公里", "１５公里")),
    ],
)
def test_examples(text: str, expected: tuple) -> None:
    assert one(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2022年",
        "组织开展所出资企业2021年度经营业绩考核",
        "2019-2021年任期考核",
        "所出资企业2020—2021年度职业技能提升培训",
        "9月底前完成募集",
        "7月底前",
        "2022年7月10日前",
        "（泉政办〔2022〕2号）",
        "《整体规划（2022年-2025年）》",
        "见1-3-1",
        "第13页",
        "第65项",
        "第五届市直机关体制机制创新优秀案例",
        "毕业5年内来泉",
        "C2标大坝左岸一期导流工程",
        "提升12345政务服务热线群众诉求办理质量",
        "严格执行中央八项规定",
        "开展国企改革三年行动",
        "作为一项基本制度",
        "推动交发集团争创信用评级AAA级",
        "做好党的二十大代表候选人初步人选推荐工作",
        "把服务送到千家万户",
    ],
)
def test_not_targets(text: str) -> None:
    assert text_to_targets(text) == []


def test_several_targets_in_one_clause_each_get_their_own_metric() -> None:
    found = text_to_targets(
        "对接洽谈项目3个以上，签约落地投资额10亿元以上项目至少1个，策划生成项目不少于10个。"
    )
    assert [(t.metric, t.comparator, t.value, t.unit) for t in found] == [
        ("对接洽谈项目", ">=", 3.0, "个"),
        ("签约落地投资额10亿元以上项目", ">=", 1.0, "个"),  # one count with a condition, not 10亿元 + 1 个
        ("策划生成项目", ">=", 10.0, "个"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [("四", 4), ("十", 10), ("十五", 15), ("二十三", 23), ("两百", 200), ("一千零五", 1005), ("三万", 30000)],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_number(text) == value


def test_not_a_numeral() -> None:
    assert chinese_to_number("二三") is None
    assert chinese_to_number("十大") is None


def sample_indicators() -> list[Indicator]:
    records = json.loads((SAMPLES / "notice_2022.expected.json").read_text(encoding="utf-8"))
    fields = set(Indicator.model_fields) - {"seq", "source", "targets", "deadline_date"}
    return [
        Indicator(
            seq=i, source=Source(format="text", file="x"), **{k: v for k, v in r.items() if k in fields}
        )
        for i, r in enumerate(records, 1)
    ]


def test_every_sample_item() -> None:
    indicators = indicators_to_targets(sample_indicators())
    by_code = {ind.code: ind for ind in indicators if ind.code}
    # the item mentioning 300个以上优质动态储备岗位
    [t] = by_code["1-8-2"].targets
    assert (t.seq, t.code, t.metric, t.comparator, t.value, t.unit, t.raw) == (
        16,
        "1-8-2",
        "优质动态储备岗位",
        ">=",
        300.0,
        "个",
        "300个以上",
    )
    assert [(t.metric, t.value, t.unit) for t in by_code["1-15-1"].targets] == [
        ("公交线路", 3.0, "条"),
        ("中心市区跨区域公交线路", 1.0, "条"),
        ("各类新能源车型", 96.0, "辆"),
        ("公交规划编制工作", 2.0, "项"),
    ]
    assert [(t.metric, t.value) for t in by_code["1-15-2"].targets] == [("供水管网", 6.0)]
    assert [(t.metric, t.value) for t in by_code["1-12-2"].targets] == [("减免租金", 120_000_000.0)]
    assert [(t.metric, t.value) for t in by_code["1-11-2"].targets] == [("内部审计项目", 45.0)]
    # items full of years, dates, codes and 〔〕 numbers yield nothing
    for code in ("1-2-1", "1-7-1", "1-7-2", "1-11-1", "1-16-1", "5-5", "6-3", "1-14-2"):
        assert by_code[code].targets == [], code
    # every target has a value, a unit and its raw span inside the item
    all_targets = [t for ind in indicators for t in ind.targets]
    assert len(all_targets) == 19  # 10亿元以上项目至少1个 is one target
    assert [(t.metric, t.value) for t in by_code["1-3-2"].targets] == [("合同协议项目", 40.0),
                                                                      ("合同协议项目投资", 80_000_000_000.0)]
    generic = {"项目", "投资", "资金", "企业"}
    assert not [t.metric for t in all_targets if t.metric in generic]
    for ind in indicators:
        for t in ind.targets:
            assert t.raw in ind.item.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
            assert t.unit and t.value >= 1  # the sample has no fractional or zero target


def test_indicators_are_copies() -> None:
    indicators = sample_indicators()
    filled = indicators_to_targets(indicators)
    assert all(ind.targets == [] for ind in indicators)
    assert filled[15].targets and filled[15].item == indicators[15].item


@pytest.mark.parametrize(("value", "unit", "text"), [
    (1_000_000_000.0, "元", "10亿元"), (50_000_000.0, "元", "5000万元"), (150_000_000.0, "元", "1.5亿元"),
    (12_345.0, "元", "12345元"), (300.0, "个", "300个"), (20_000.0, "人", "2万人"), (6.0, "公里", "6公里"),
    (95.0, "%", "95%"),
])
def test_amount_text_reads_as_printed(value: float, unit: str, text: str) -> None:
    assert amount_text(value, unit) == text
