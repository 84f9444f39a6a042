from __future__ import annotations

import json
import subprocess
import sys

import pytest
from kaoping.normalize.references import indicators_to_references, title_to_issuer
from kaoping.schema.models import Indicator, Issue, Reference, Source
from support import EXPECTED, ROOT, SAMPLES

TEXT = SAMPLES / "notice_2022.txt"
_FIELDS = set(Indicator.model_fields) - {"seq", "source", "basis_refs", "level1_cites", "targets"}


def _body() -> list[str]:
    lines = TEXT.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if "\t" not in line and line.strip()]


def _expected_indicators() -> tuple[list[dict], list[Indicator]]:
    records = json.loads(EXPECTED.read_text(encoding="utf-8"))
    indicators = [
        Indicator(seq=i, source=Source(format="text", file="x"), **{k: v for k, v in r.items() if k in _FIELDS})
        for i, r in enumerate(records, start=1)
    ]
    return records, indicators


def _ind(seq: int, basis: str | None, note: str | None = None, code: str | None = None,
         level1_code: str | None = None) -> Indicator:
    return Indicator(seq=seq, code=code, level1_code=level1_code, level1_note=note, item=f"item {seq}",
                     basis=basis, source=Source(format="text", file="x"))


@pytest.fixture(scope="module")
def sample() -> tuple[list[dict], tuple[list[Indicator], list[Reference], list, list[Issue]], list[Indicator]]:
    records, indicators = _expected_indicators()
    return records, indicators_to_references(indicators, _body(), 2022), indicators


def test_sample_refs_and_cites_match_expected(sample) -> None:
    records, (out, _, _, _), _ = sample
    assert len(out) == len(records) == 61
    for ind, rec in zip(out, records, strict=True):
        assert (ind.code, ind.basis_refs) == (rec["code"], rec["basis_refs"])
        assert (ind.code, ind.level1_cites) == (rec["code"], rec["level1_cites"])


def test_inputs_are_not_mutated(sample) -> None:
    _, _, indicators = sample
    assert all(ind.basis_refs == [] and ind.level1_cites == [] for ind in indicators)


def test_sample_registry(sample) -> None:
    _, (_, refs, _, _), _ = sample
    by_id = {r.id: r for r in refs}
    assert len(refs) == 15
    assert "泉国资办〔2022〕196号" not in by_id  # the notice's own number is not a citation
    assert [r.id for r in refs][:2] == ["泉效综〔2022〕3号", "泉市直政府绩效办〔2022〕1号"]  # body first

    monitor = by_id["泉效综〔2022〕3号"]
    assert monitor.titles == [
        "关于印发2022年度泉州市经济社会运行和高质量发展监测与绩效管理工作的通知",
        "关于做好经济社会运行和高质量发展监测与绩效管理工作的通知",
    ]
    assert monitor.title == monitor.titles[0]
    assert (monitor.issuer_code, monitor.year, monitor.serial) == ("泉效综", 2022, 3)
    assert monitor.cited_in == ["body", "1-3-1", "1-3-2", "1-4-1", "1-4-2", "1-11-1", "1-11-2"]

    plan = by_id["三定方案"]
    assert (plan.doc_number, plan.issuer, plan.titles) == (None, None, ["三定方案"])
    assert plan.cited_in == ["1-15-1", "1-15-2", "1-16-1", "1-16-2", "#34", "#35", "#36", "#37"]

    report = by_id["泉政办〔2022〕2号"]
    assert report.title == "关于印发2022年市《政府工作报告》目标任务责任分解表的通知"  # issuer prefix dropped
    assert len(report.titles) == 1


def test_sample_issuers(sample) -> None:
    _, (_, refs, _, issues), _ = sample
    issuer = {r.issuer_code: (r.issuer, r.issuer_status) for r in refs if r.issuer_code}
    assert issuer["泉政办"] == ("泉州市人民政府办公室", "confirmed")
    assert issuer["泉政文"] == ("泉州市人民政府", "confirmed")
    assert issuer["泉效综"] == ("泉州市机关效能建设领导小组", "confirmed")
    assert issuer["泉市直政府绩效办"] == ("泉州市直机关政府系列绩效目标考评办公室", "confirmed")
    assert issuer["泉政办明传"] == ("泉州市人民政府办公室", "notice")  # printed before its title in 1-1-1
    assert issuer["泉委办"] == ("中共泉州市委办公室", "inferred")
    assert issuer["泉防控指办"][1] == "inferred"
    assert not [i for i in issues if i.kind in ("unknown_issuer", "issuer_variant")]


def test_sample_citations_and_issues(sample) -> None:
    _, (_, _, citations, issues), _ = sample
    santi = [c for c in citations if c.code == "1-6-1" and c.reference_id == "泉委办〔2022〕25号"]
    assert [(c.alias, c.locator) for c in santi] == [("“三提三效”优化营商环境", "第29页第15项")]
    assert not [c for c in citations if c.code in ("1-15-1", "1-15-2", "1-16-1", "1-16-2")]
    unresolved = [(i.severity, i.code) for i in issues if i.kind == "unresolved_citation"]
    assert unresolved == [("info", "1-15"), ("info", "1-16")]
    weak = [(i.code, c.confidence) for i in issues if i.kind == "weak_citation"
            for c in citations if c.code == i.code + "-1" and c.reference_id == "泉效综〔2022〕3号"]
    assert [code for code, _ in weak] == ["1-3", "1-4", "1-11"]
    assert all(conf < 0.6 for _, conf in weak)
    assert all(i.severity == "warning" for i in issues if i.kind == "weak_citation")


def test_title_variants_merge_into_one_entry() -> None:
    body = ["根据《某某市领导小组关于印发2022年度某某工作的通知》（某效综〔2022〕3 号）等文件要求"]
    inds = [_ind(1, "关于做好某某工作的通知（某效综[2022]03号）", code="1-1"),
            _ind(2, "关于做好某某工作的通知", code="1-2")]
    out, refs, _, _ = indicators_to_references(inds, body, 2022)
    assert [r.id for r in refs] == ["某效综〔2022〕3号"]
    assert refs[0].titles == ["关于印发2022年度某某工作的通知", "关于做好某某工作的通知"]
    assert (refs[0].issuer, refs[0].issuer_status) == ("某某市领导小组", "notice")
    assert refs[0].cited_in == ["body", "1-1", "1-2"]
    assert [i.basis_refs for i in out] == [["某效综〔2022〕3号"], ["某效综〔2022〕3号"]]


def test_unknown_code_stays_unexpanded() -> None:
    inds = [_ind(1, "关于印发某某考评实施方案的通知（泉直政府效办〔2024〕1号）", code="1-1")]
    _, refs, _, issues = indicators_to_references(inds, [], 2024)
    assert (refs[0].issuer_code, refs[0].issuer, refs[0].issuer_status) == ("泉直政府效办", None, "unknown")
    assert [(i.severity, i.kind) for i in issues] == [("info", "unknown_issuer")]


def test_reference_dated_after_the_notice() -> None:
    _, _, _, issues = indicators_to_references([_ind(1, "关于某事的通知（泉政办〔2023〕5号）")], [], 2022)
    assert [(i.severity, i.kind) for i in issues] == [("warning", "reference_after_notice")]


def test_unresolvable_note_gives_no_citation() -> None:
    inds = [_ind(1, "三定方案", "属年度重中之重工作", code="1-1-1", level1_code="1-1")]
    out, _, citations, issues = indicators_to_references(inds, [], 2022)
    assert out[0].basis_refs == ["三定方案"]
    assert out[0].level1_cites == [] and citations == []
    assert [(i.severity, i.kind, i.code) for i in issues] == [("info", "unresolved_citation", "1-1")]


def test_note_shared_by_a_level1_uses_every_row_basis() -> None:
    note = "属“项目攻坚2022”第13页；市对县绩效考核指标第42页"
    inds = [
        _ind(1, "关于印发《泉州市“项目攻坚2022”活动方案》的通知（泉委办〔2022〕2号）；"
                "关于做好经济社会运行和高质量发展监测与绩效管理工作的通知（泉效综〔2022〕3号）", note, "1-1-1", "1-1"),
        _ind(2, "关于印发《泉州市“项目攻坚2022”活动方案》的通知（泉委办〔2022〕2号）", note, "1-1-2", "1-1"),
    ]
    out, _, citations, _ = indicators_to_references(inds, [], 2022)
    assert [i.level1_cites for i in out] == [["泉委办〔2022〕2号", "泉效综〔2022〕3号"]] * 2
    assert [(c.seq, c.reference_id) for c in citations] == [
        (1, "泉委办〔2022〕2号"), (1, "泉效综〔2022〕3号"), (2, "泉委办〔2022〕2号"), (2, "泉效综〔2022〕3号")]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("泉州市人民政府办公室关于印发某某的通知", ("泉州市人民政府办公室", "关于印发某某的通知")),
        ("泉州市人民政府关于促进知识产权高质量发展的若干意见", ("泉州市人民政府", "关于促进知识产权高质量发展的若干意见")),
        ("关于印发《关于开展“涌泉”行动的若干措施》的通知", (None, "关于印发《关于开展“涌泉”行动的若干措施》的通知")),
        ("知识产权保护中心建设情况的通报", (None, "知识产权保护中心建设情况的通报")),
        ("2022年市委市政府关于某事的通知", (None, "2022年市委市政府关于某事的通知")),
    ],
)
def test_title_to_issuer(title: str, expected: tuple[str | None, str]) -> None:
    assert title_to_issuer(title) == expected


def test_sample_does_not_load_jieba() -> None:
    code = (
        "import sys, json\n"
        "from test_references import _expected_indicators, _body\n"
        "from kaoping.normalize.references import indicators_to_references\n"
        "indicators_to_references(_expected_indicators()[1], _body(), 2022)\n"
        "print('jieba' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "tests", capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_wrapped_and_unseparated_basis() -> None:
    basis = "泉州市人民政府办公室关于印发某某\n方案的通知（泉政办〔2022〕 2 号）\n关于做好某事的通知(泉政文(2022)第07号)"
    out, refs, _, _ = indicators_to_references([_ind(1, basis, code="1-1")], [], 2022)
    assert out[0].basis_refs == ["泉政办〔2022〕2号", "泉政文〔2022〕7号"]
    assert [r.title for r in refs] == ["关于印发某某方案的通知", "关于做好某事的通知"]


def test_body_title_wrapped_over_two_lines() -> None:
    body = ["泉国资办〔2022〕196号", "根据《泉州市机关效能建设领导小组关于印发某某", "工作的通知》（泉效综〔2022〕3号）等文件"]
    _, refs, _, _ = indicators_to_references([], body, 2022)
    assert [(r.id, r.title, r.issuer, r.cited_in) for r in refs] == [
        ("泉效综〔2022〕3号", "关于印发某某工作的通知", "泉州市机关效能建设领导小组", ["body"])]
