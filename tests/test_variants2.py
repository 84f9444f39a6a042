"""Notices we have not seen, second probe: hierarchy shapes, 一级指标 wordings, deadlines, notice
metadata, text-export mess and total rows.

Each variant edits the 2022 sample (its text export, or :func:`tests.test_variants.records_to_text`
/ :func:`~tests.test_variants.build_docx` of the expected records) and applies the same edit to
``samples/notice_2022.expected.json`` (or asserts the metadata field it changed). Failing variants
are ``xfail(strict=True)`` naming the rule and file at fault; most sit next to a minimal input
(``split_level1``, raw cells, a few-line notice from ``tests.conftest.text_notice``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from kaoping.normalize.hierarchy import split_level1
from kaoping.schema.models import Notice, NoticeDocument
from support import PREAMBLE, text_notice
from support.variants import (
    LEAF_ROW,
    TOP_ROW,
    Record,
    build_docx,
    deadline_variant,
    extract_records,
    field_diffs,
    grid_to_records,
    map_body_cells,
    raw_grid,
    record_to_cells,
    records,
    records_to_text,
    sample_text,
    write,
)

from kaoping.api import extract

SAMPLE = sample_text
HIER = ["category", "category_points", "group", "group_points"]
LEVEL1 = ["level1", "level1_points", "level1_note", "item", "basis", "weight"]


def regroup(recs: list[Record], pick: Callable[[Record], bool], **update: object) -> list[Record]:
    for r in recs:
        if pick(r):
            r.update(update)
    return recs


def extract_records_from(doc: NoticeDocument) -> list[Record]:
    return [i.model_dump(mode="json") for i in doc.indicators]


def check(gold: list[Record], text: str, tmp_path: Path, fields: list[str] | None = None) -> None:
    pred = extract_records(write(tmp_path, text))
    assert field_diffs(gold, pred, *([fields] if fields else [])) == []


# ---------------------------------------------------------------- 1. hierarchy

def test_three_categories(tmp_path: Path) -> None:
    gold = regroup(records(), lambda r: r["group"] == "常规工作目标", category="专项工作目标", category_points=10)
    check(gold, records_to_text(gold), tmp_path)


def test_category_and_group_in_one_cell_printed_once(tmp_path: Path) -> None:
    """'职能工作目标（75分） 重点工作目标' in one cell on the first row, blank below."""
    out = []
    for line in records_to_text(records()).split("\n"):
        if "\t" in line:
            c = line.split("\t")
            c[0:2] = [" ".join(x for x in c[0:2] if x)]
            line = "\t".join(c)
        out.append(line)
    check(records(), "\n".join(out), tmp_path)


def test_category_and_group_printed_on_every_row(tmp_path: Path) -> None:
    gold, lines, out, i = records(), records_to_text(records()).split("\n"), [], -2
    for line in lines:
        if "\t" in line:
            if i >= 0:
                c, cells = line.split("\t"), record_to_cells(gold[i])
                c[0], c[1] = cells["category"], cells["group"]
                line = "\t".join(c)
            i += 1
        out.append(line)
    check(gold, "\n".join(out), tmp_path)


@pytest.mark.parametrize("form", [
    "（{}分）", "({} 分)", "", "{}分", " {}分",
])
def test_group_points_wordings(form: str, tmp_path: Path) -> None:
    gold, text = records(), records_to_text(records())
    for r in gold:
        if r["group_points"] is not None:
            text = text.replace(f"{r['group']}（{r['group_points']:g}分）", r["group"] + form.format(f"{r['group_points']:g}"))
            if not form:
                r["group_points"] = None
    check(gold, text, tmp_path, HIER)


@pytest.mark.parametrize("fmt", ["text", "docx"])
def test_category_whose_items_have_no_groups(fmt: str, tmp_path: Path) -> None:
    gold = regroup(records(), lambda r: r["category"] == "行政能力目标", group=None, group_points=None)
    path = write(tmp_path, records_to_text(gold)) if fmt == "text" else build_docx(gold, tmp_path / "v.docx")
    assert field_diffs(gold, extract_records(path), HIER) == []


def test_minimal_second_category_without_groups() -> None:
    row = ["1-1", "依据", "做事。4分", "推进工作。", "2", "12月底前", "张三", "办公室", "李四"]
    rows = [TOP_ROW, LEAF_ROW, ["甲类目标（75分）", "重点工作目标", *row], ["乙类目标（25分）", "", "2-1", *row[1:]]]
    recs = grid_to_records(raw_grid(rows, 2, ragged=True))
    assert [(r["category"], r["group"]) for r in recs] == [("甲类目标", "重点工作目标"), ("乙类目标", None)]


def test_group_name_shared_by_two_categories(tmp_path: Path) -> None:
    gold = regroup(records(), lambda r: r["group"] == "高效服务", group="常规工作目标")
    check(gold, SAMPLE().replace("高效服务 (5分)", "常规工作目标 (5分)"), tmp_path, HIER)


# ---------------------------------------------------------------- 2. 一级指标 wordings

def reprint_level1(fmt: Callable[[str, str | None, str | None], str]) -> str:
    """records_to_text with every printed 一级指标 cell rewritten as fmt(text, note, points)."""
    text = records_to_text(records())
    for r in records():
        if r["level1"]:
            pts = f"{r['level1_points']:g}" if r["level1_points"] else None
            text = text.replace(f"\t{record_to_cells(r)['level1']}\t", f"\t{fmt(r['level1'], r['level1_note'], pts)}\t")
    return text


def _n(n: str | None, o: str = "（", c: str = "）") -> str:
    return f"{o}{n}{c}" if n else ""


def _p(p: str | None, f: str = "{}分") -> str:
    return f.format(p) if p else ""


LEVEL1_FORMS = {
    "（4分）": (lambda t, n, p: t + _n(n) + _p(p, "（{}分）"), None),
    "4 分": (lambda t, n, p: t + _n(n) + _p(p, "{} 分"), None),
    "(属…) ascii": (lambda t, n, p: t + _n(n, "(", ")") + _p(p), None),
    "分值：4": (lambda t, n, p: t + _n(n) + _p(p, "分值：{}"), None),
    "【属…】": (lambda t, n, p: t + _n(n, "【", "】") + _p(p), None),
    "4分（属…）": (lambda t, n, p: t + _p(p) + _n(n), None),
    "（4分）（属…）": (lambda t, n, p: t + _p(p, "（{}分）") + _n(n), None),
}


@pytest.mark.parametrize("name", list(LEVEL1_FORMS))
def test_level1_wordings(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    fmt, fault = LEVEL1_FORMS[name]
    if fault:
        request.applymarker(pytest.mark.xfail(strict=True, reason=fault))
    check(records(), reprint_level1(fmt), tmp_path, LEVEL1)


def test_level1_without_note_and_points(tmp_path: Path) -> None:
    gold = regroup(records(), lambda r: True, level1_note=None, level1_points=None, level1_cites=[])
    check(gold, reprint_level1(lambda t, n, p: t), tmp_path, [*LEVEL1, "level1_cites"])


def test_level1_note_without_shu(tmp_path: Path) -> None:
    gold = records()
    for r in gold:
        if r["level1_note"]:
            r["level1_note"] = "依据" + r["level1_note"].removeprefix("属")
    text = reprint_level1(lambda t, n, p: t + _n(n and "依据" + n.removeprefix("属")) + _p(p))
    check(gold, text, tmp_path, LEVEL1)


@pytest.mark.parametrize("cell,expected", [
    ("做事。（属某项）4分", ("做事。", "属某项", 4.0)),
    ("做事。（属某项）（4分）", ("做事。", "属某项", 4.0)),
    ("做事。", ("做事。", None, None)),
    ("做事。4分（属某项）", ("做事。", "属某项", 4.0)),
    ("做事。【属某项】4分", ("做事。", "属某项", 4.0)),
    ("做事。（属某项）分值：4", ("做事。", "属某项", 4.0)),
])
def test_minimal_split_level1(cell: str, expected: tuple) -> None:
    assert split_level1(cell) == expected


# ---------------------------------------------------------------- 3. deadlines

@pytest.mark.parametrize("new,date", [
    ("2023年6月30日", "2023-06-30"), ("6月30日", "2022-06-30"), ("12月31日前", "2022-12-31"),
    ("11月中旬", "2022-11-20"), ("2022年12月31日前", "2022-12-31"),
    ("下半年", "2022-12-31"), ("2022.12.31", "2022-12-31"), ("全年", "2022-12-31"),
])
def test_deadline_dates(new: str, date: str, tmp_path: Path) -> None:
    text, gold = deadline_variant(new, date)
    check(gold, text, tmp_path, ["deadline", "deadline_date", "weight", "item"])


@pytest.mark.parametrize("new", ["长期", "每季度"])
def test_deadline_without_date_is_kept_and_warned(new: str, tmp_path: Path) -> None:
    text, gold = deadline_variant(new, None)
    doc = extract(write(tmp_path, text))
    assert field_diffs(gold, extract_records_from(doc), ["deadline", "deadline_date", "weight"]) == []
    assert any(i.kind == "deadline_unparsed" and i.code == "1-1-1" for i in doc.issues)


def test_unreadable_deadline_reported_once(tmp_path: Path) -> None:
    text, _ = deadline_variant("长期", None)
    doc = extract(write(tmp_path, text))
    assert len([i for i in doc.issues if i.kind == "deadline_unparsed" and i.code == "1-1-1"]) == 1



# ---------------------------------------------------------------- 4. notice metadata

def notice_of(text: str, tmp_path: Path) -> Notice:
    return extract(write(tmp_path, text)).notice


def test_date_in_chinese_numerals(tmp_path: Path) -> None:
    n = notice_of(SAMPLE().replace("\n2022年8月3日\n", "\n二〇二二年八月三日\n", 1), tmp_path)
    assert (n.date, n.signer) == (dt.date(2022, 8, 3), "泉州市国资委")


def test_minimal_date_in_chinese_numerals(tmp_path: Path) -> None:
    pre = [("二〇二四年三月一日" if p == "2024年3月1日" else p) for p in PREAMBLE]
    row = "甲类目标（75分）\t1-1-1\t依据\t做事。4分\t推进工作。\t2\t12月底前\t张三\t办公室\t李四"
    assert notice_of(text_notice([row], preamble=pre), tmp_path).date == dt.date(2024, 3, 1)


@pytest.mark.parametrize("edit,field,value", [
    (("泉州市国资委办公室\n\n2022年8月3日印发", "泉州市国资委办公室 2022年8月3日印发"), "printer", "泉州市国资委办公室"),
    (("泉州市国资委办公室\n\n2022年8月3日印发", "泉州市国资委办公室　　　　2022年8月3日印发"), "print_date", dt.date(2022, 8, 3)),
    (("抄送：驻委纪检监察组，各所出资企业。\n", ""), "cc", []),
    (("抄送：驻委纪检监察组，各所出资企业。\n", ""), "printer", "泉州市国资委办公室"),
    (("本委各科室：", "各县（市、区）国资委，各所出资企业，本委各科室："), "addressee", "各县（市、区）国资委，各所出资企业，本委各科室"),
    (("泉国资办〔2022〕196号", "泉国资办[2022]196号"), "doc_number", "泉国资办〔2022〕196号"),
    (("泉国资办〔2022〕196号", "泉国资办（2022）196号"), "doc_number", "泉国资办〔2022〕196号"),
    (("泉国资办〔2022〕196号", "泉国资办〔2022〕第196号"), "doc_number", "泉国资办〔2022〕196号"),
    (("\n2022年度泉州市直机关政府系列和部分省部属驻泉单位绩效目标考评表\n", "\n"), "attachment_title", None),
    (("\n2022年度泉州市直机关政府系列和部分省部属驻泉单位绩效目标考评表\n", "\n"), "year", 2022),
    (("\n2022年度泉州市直机关政府系列和部分省部属驻泉单位绩效目标考评表\n", "\n"), "table_unit", "泉州市国资委"),
    (("泉州市国资委关于印发2022年度 绩效评估工作方案的通知", "泉州市国资委关于印发2022年度\n\n绩效评估工作方案的通知"),
     "title", "泉州市国资委关于印发2022年度绩效评估工作方案的通知"),
    (("泉国资办〔2022〕196号", "泉国资办〔2022〕196号　　　　签发人：黄金顺"), "doc_number", "泉国资办〔2022〕196号"),
])
def test_notice_metadata(edit: tuple[str, str], field: str, value: object, tmp_path: Path) -> None:
    old, new = edit
    assert SAMPLE().count(old) >= 1
    assert getattr(notice_of(SAMPLE().replace(old, new, 1), tmp_path), field) == value


# ---------------------------------------------------------------- 5. text-export mess

def broken_row(form: str) -> str:
    """Row 4-3's item broken after its first clause; the rest on the next line."""
    lines = SAMPLE().split("\n")
    i = next(k for k, s in enumerate(lines) if "\t4-3\t" in s)
    cells = lines[i].split("\t")
    item = next(r["item"] for r in records() if r["code"] == "4-3")
    k, cut = cells.index(item), item.index("，") + 1
    cells[k] = item[:cut]
    if form == "leading tabs":
        lines[i:i + 1] = ["\t".join(cells), "\t" * k + item[cut:]]
    elif form == "leading and trailing tabs":
        lines[i:i + 1] = ["\t".join(cells), "\t" * k + item[cut:] + "\t" * (len(cells) - k - 1)]
    else:  # a line break inside the cell: the rest of the row follows the continuation
        lines[i:i + 1] = ["\t".join(cells[:k + 1]), "\t".join([item[cut:], *cells[k + 1:]])]
    return "\n".join(lines)


@pytest.mark.parametrize("form", ["leading tabs", "leading and trailing tabs", "break inside the cell"])
def test_row_broken_over_two_lines(form: str, tmp_path: Path) -> None:
    check(records(), broken_row(form), tmp_path)


def test_minimal_row_broken_over_two_lines(tmp_path: Path) -> None:
    rows = ["甲类目标（75分）\t1-1-1\t依据\t做事。4分\t推进工作，\t2\t12月底前\t张三\t办公室\t李四", "\t\t\t\t完成任务。"]
    recs = extract_records(write(tmp_path, text_notice(rows)))
    assert [r["item"] for r in recs] == ["推进工作，完成任务。"]


def insert_before_codes(text: str, line: str, codes: tuple[str, ...] = ("1-9-2", "4-3", "6-1")) -> str:
    lines = text.split("\n")
    for code in codes:
        i = next(k for k, s in enumerate(lines) if f"\t{code}\t" in s)
        lines[i:i] = [line]
    return "\n".join(lines)


@pytest.mark.parametrize("line", ["— 5 —", "- 5 -", "第 5 页", "5", "", "\f"])
def test_page_number_or_blank_lines_between_rows(line: str, tmp_path: Path) -> None:
    check(records(), insert_before_codes(SAMPLE(), line), tmp_path)


def test_blank_line_after_every_row(tmp_path: Path) -> None:
    check(records(), "\n".join(s + ("\n" if "\t" in s else "") for s in SAMPLE().split("\n")), tmp_path)


@pytest.mark.parametrize("pad", ["  ", "\u3000"])
def test_trailing_spaces_in_every_cell(pad: str, tmp_path: Path) -> None:
    check(records(), map_body_cells(SAMPLE(), lambda c: c + pad), tmp_path)


# ---------------------------------------------------------------- 6. totals

def with_group_subtotals(label_col: int) -> str:
    """A 小计 row closing each group of 行政能力目标 (codes 4-x … 8-x), label in column label_col."""
    out, lines = [], SAMPLE().split("\n")
    for k, s in enumerate(lines):
        out.append(s)
        m = re.search(r"\t([4-8])-\d\t", s)
        nxt = next((x for x in lines[k + 1:] if "\t" in x), "")
        if m and not re.search(rf"\t{m.group(1)}-\d\t", nxt):
            cells = [""] * 10
            cells[label_col], cells[5] = "小计", "5"
            out.append("\t".join(cells))
    return "\n".join(out)


@pytest.mark.parametrize("label_col", [0, 4])
def test_group_subtotal_rows_are_totals_not_indicators(label_col: int, tmp_path: Path) -> None:
    doc = extract(write(tmp_path, with_group_subtotals(label_col)))
    assert field_diffs(records(), extract_records_from(doc)) == []
    assert [(t.label, t.value) for t in doc.totals if t.label == "小计"] == [("小计", 5.0)] * 5


def test_group_subtotal_rows_raise_no_false_error(tmp_path: Path) -> None:
    doc = extract(write(tmp_path, with_group_subtotals(0)))
    assert [i.message for i in doc.issues if i.severity == "error"] == []


@pytest.mark.parametrize("old,new", [
    ("绩效目标考评得分(职能工作目标+行政能力目标)\t", "总分\t"),
    ("绩效目标考评得分(职能工作目标+行政能力目标)\t", "\t\t\t\t总分"),
    ("合计\t\t\t\t\t75", "\t\t\t\t合计\t75"),
    ("合计\t\t\t\t\t75", "合  计\t\t\t\t\t75分"),
])
def test_total_row_wordings_and_positions(old: str, new: str, tmp_path: Path) -> None:
    assert SAMPLE().count(old) == 1
    doc = extract(write(tmp_path, SAMPLE().replace(old, new)))
    assert field_diffs(records(), extract_records_from(doc)) == []
    assert [(t.value, t.level) for t in doc.totals] == [(75.0, "category"), (25.0, "category"), (100.0, "grand")]
    assert [i.message for i in doc.issues if i.severity == "error"] == []
