"""Builders for notices we have not seen: variants of the 2022 sample and their truth.

Every variant applies one edit to the sample input (text export, or a new Word file built from the
2022 records) and the same edit to ``samples/notice_2022.expected.json``. Shared by the variant tests.

``tests/fixtures/notice_portrait.pdf`` is :func:`build_docx` of the records :data:`PORTRAIT_CODES`
(A4 portrait, narrow columns) converted by LibreOffice; ``tests/fixtures/regenerate.py`` rebuilds it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from kaoping.normalize.grid import table_to_rows
from kaoping.normalize.hierarchy import rows_to_indicators
from kaoping.schema.raw import RawCell, RawRow, RawTable

from kaoping.api import extract
from support import EXPECTED, SAMPLES, norm

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


FIELDS = ["code", "category", "category_points", "group", "group_points", "level1_code", "level1", "level1_points",
          "level1_note", "item", "weight", "deadline", "deadline_date", "leaders", "departments", "owners", "basis",
          "basis_refs", "level1_cites"]


PEOPLE = ("leaders", "departments", "owners")


Record = dict[str, Any]


@cache
def sample_text() -> str:
    return (SAMPLES / "notice_2022.txt").read_text(encoding="utf-8")


def records() -> list[Record]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def extract_records(path: Path) -> list[Record]:
    return [json.loads(i.model_dump_json()) for i in extract(path).indicators]


def field_diffs(gold: list[Record], pred: list[Record], fields: list[str] = FIELDS) -> list[tuple]:
    """(record key, field, expected, got) for every mismatch; a missing or extra record is one entry.

    Records pair in order when the counts agree (the variants keep the order), else by item text.
    """
    out: list[tuple] = []
    if len(gold) != len(pred):
        by_item = {norm(p["item"]): p for p in pred}
        pairs = [(g, by_item.get(norm(g["item"]))) for g in gold]
        out += [("extra", p["code"], None, p["item"]) for p in pred
                if norm(p["item"]) not in {norm(g["item"]) for g in gold}]
    else:
        pairs = list(zip(gold, pred, strict=True))
    for g, p in pairs:
        key = g["code"] or g["item"][:12]
        if p is None:
            out.append((key, "missing", g["item"], None))
            continue
        out += [(key, f, g.get(f), p.get(f)) for f in fields if norm(g.get(f)) != norm(p.get(f))]
    return out


def write(tmp_path: Path, text: str, name: str = "v.txt", encoding: str = "utf-8", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


HEADER_PREFIXES = ("项目\t", "\t序号\t")


def deep_replace(obj: Any, old: str, new: str) -> Any:
    if isinstance(obj, str):
        return obj.replace(old, new)
    if isinstance(obj, list):
        return [deep_replace(x, old, new) for x in obj]
    if isinstance(obj, dict):
        return {k: deep_replace(v, old, new) for k, v in obj.items()}
    return obj


def map_table_lines(text: str, fn: Callable[[list[str], bool], list[str]]) -> str:
    """Apply ``fn(cells, is_header)`` to every tab-separated line."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            line = "\t".join(fn(line.split("\t"), line.startswith(HEADER_PREFIXES)))
        out.append(line)
    return "\n".join(out)


def relabel_headers(text: str, mapping: dict[str, str]) -> str:
    return map_table_lines(text, lambda cells, hdr: [mapping.get(c, c) for c in cells] if hdr else cells)


def map_body_cells(text: str, fn: Callable[[str], str]) -> str:
    return map_table_lines(text, lambda cells, hdr: cells if hdr else [fn(c) for c in cells])


def variant_year_2023() -> tuple[str, list[Record]]:
    return sample_text().replace("2022", "2023"), deep_replace(records(), "2022", "2023")


def _shift(code: str | None, dropped: int) -> str | None:
    m = re.fullmatch(r"1-(\d+)(.*)", code or "")
    return f"1-{int(m.group(1)) - 1}{m.group(2)}" if m and int(m.group(1)) > dropped else code


def variant_drop_block(dropped: int = 5) -> tuple[str, list[Record]]:
    """Level-1 block 1-<dropped> is gone; every later 1-x code shifts down; its project cell moves down."""
    lines = sample_text().split("\n")
    first = next(i for i, s in enumerate(lines) if f"\t1-{dropped}-1\t" in s)
    last = max(i for i, s in enumerate(lines) if f"\t1-{dropped}-" in s)
    project = lines[first].split("\t")[0]
    nxt = lines[last + 1].split("\t")
    nxt[0] = nxt[0] or project
    lines[first:last + 2] = ["\t".join(nxt)]
    text = map_body_cells("\n".join(lines),
                          lambda c: _shift(c, dropped) if re.fullmatch(r"1-\d+(-\d+)?", c) else c)  # type: ignore[return-value]
    gold = [r for r in records() if r["level1_code"] != f"1-{dropped}"]
    for r in gold:
        r["code"], r["level1_code"] = _shift(r["code"], dropped), _shift(r["level1_code"], dropped)
    return text, gold


def variant_single_header() -> str:
    """The header printed once: later header repeats and the blank lines between the tables are gone."""
    out: list[str] = []
    seen = False
    for line in sample_text().split("\n"):
        if line.startswith(HEADER_PREFIXES):
            if seen:
                continue
            seen = line.startswith("\t序号")
        out.append(line)
    return _drop_blank_lines_between_rows(out)


def variant_double_header() -> str:
    """Two pages' header repeats merged: every header block printed twice, tables run together."""
    h1, h2 = [s for s in sample_text().split("\n") if s.startswith(HEADER_PREFIXES)][:2]
    out: list[str] = []
    for line in sample_text().split("\n"):
        out.append(line)
        if line.startswith("\t序号"):
            out += [h1, h2]
    return _drop_blank_lines_between_rows(out)


def _drop_blank_lines_between_rows(lines: list[str]) -> str:
    keep = [s for i, s in enumerate(lines)
            if s or not (0 < i < len(lines) - 1 and "\t" in lines[i - 1] and "\t" in lines[i + 1])]
    return "\n".join(keep)


def swap_after_deadline(cells: list[str], is_header: bool, a: int, b: int) -> list[str]:
    """Swap the cells at offsets a, b from the 完成时限 cell (in the lower header row: from 二级指标 + 2)."""
    cells = list(cells)
    at = next((i for i, c in enumerate(cells) if re.fullmatch(r"\d+月底前|完成时限", c.strip())), None)
    if at is None and is_header and "二级指标" in cells:
        at = cells.index("二级指标") + 2
    if at is None:
        return cells
    cells += [""] * (at + max(a, b) + 1 - len(cells))
    cells[at + a], cells[at + b] = cells[at + b], cells[at + a]
    return cells


def reword(code_or_start: str, new_item: str) -> tuple[str, list[Record]]:
    gold = records()
    [rec] = [r for r in gold if r["code"] == code_or_start or (r["code"] is None and r["item"].startswith(code_or_start))]
    old, rec["item"] = rec["item"], new_item
    assert sample_text().count(old) == 1
    return sample_text().replace(old, new_item), gold


def _spaced_labels(cell: str) -> str:
    s = cell.strip()
    if re.fullmatch(r"[\u4e00-\u9fff]+ ?[（(]\d+分[）)]( [\u4e00-\u9fff]+)?|[\u4e00-\u9fff]+工作目标", s):
        return re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", " ", cell)
    return cell


def _clean_spaces(cell: str) -> str:
    if len(cell) < 20 and ("分" in cell or cell.startswith("重点 ")):
        cell = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", cell)
    return cell.replace("李 昀", "李昀").replace("林 鹏", "林鹏")


SYNONYMS_1 = {"完成时限": "完成时间", "责任部门": "责任科室", "分管领导": "分管委领导", "权重": "分值", "文件依据": "依据"}


SYNONYMS_2 = {"二级指标": "二级目标", "一级指标": "一级目标", "序号": "编号", "目标内容": "考评内容",
              "责任分解": "责任落实", "项目": "类别"}


TEXT_VARIANTS: dict[str, Callable[[], tuple[str, list[Record]]]] = {
    "year_2023": variant_year_2023,
    "drop_block_1-5": variant_drop_block,
    "header_synonyms": lambda: (relabel_headers(sample_text(), SYNONYMS_1), records()),
    "header_synonyms_2": lambda: (relabel_headers(sample_text(), SYNONYMS_2), records()),
    "header_units_in_parentheses": lambda: (relabel_headers(sample_text(), {"权重": "权重（分）"}), records()),
    "header_spaced": lambda: (relabel_headers(sample_text(), {"权重": "权 重", "二级指标": "二 级 指 标"}), records()),
    "header_unknown_same_order": lambda: (relabel_headers(sample_text(), {"责任部门": "牵头科室"}), records()),
    "header_once": lambda: (variant_single_header(), records()),
    "header_twice": lambda: (variant_double_header(), records()),
    "spaces_removed": lambda: (map_body_cells(sample_text(), _clean_spaces), records()),
    "spaces_in_labels": lambda: (map_body_cells(sample_text(), _spaced_labels), records()),
    "spaces_in_deadlines": lambda: (
        map_body_cells(sample_text(), lambda c: c.replace("月底", " 月 底") if re.fullmatch(r"\d+月底前", c) else c),
        records()),
    "spaces_in_codes": lambda: (
        map_body_cells(sample_text(), lambda c: c.replace("-", " - ") if re.fullmatch(r"\d+(-\d+)+", c) else c),
        records()),
    "spaces_in_names": lambda: (
        map_body_cells(sample_text(), lambda c: " ".join(c) if c in ("汪亚彬", "刘海祥") else c), records()),
    "columns_leaders_departments_swapped": lambda: (
        map_table_lines(sample_text(), lambda c, h: swap_after_deadline(c, h, 1, 2)), records()),
    "columns_weight_deadline_swapped": lambda: (
        map_table_lines(sample_text(), lambda c, h: swap_after_deadline(c, h, -1, 0)), records()),
    "reword_short_item_with_month": lambda: reword("1-9-2", "6月底前完成招商"),
    "reword_uncoded_item_with_deadline_word": lambda: reword("加强所出资企业投资活动", "年底前建立项目库"),
    "reword_item_with_total_word": lambda: reword("加强所出资企业投资活动", "提高考核得分"),
    "reword_item_a_bare_number": lambda: reword("4-3", "2"),
}


COLS = ["category", "group", "code", "basis", "level1", "item", "weight", "deadline", "leaders", "departments", "owners"]


WIDTHS_CM = [1.0, 1.0, 0.9, 2.6, 2.6, 3.6, 0.8, 1.0, 1.2, 1.2, 1.2]


TOP_LABELS = {"category": "项目", "code": "目标内容", "weight": "权重", "deadline": "完成时限", "leaders": "责任分解"}


LEAF_LABELS = {"code": "序号", "basis": "文件依据", "level1": "一级指标", "item": "二级指标", "leaders": "分管领导",
               "departments": "责任部门", "owners": "责任人"}


def _pts(v: float) -> str:
    return f"{v:g}"


def record_to_cells(r: Record) -> dict[str, str]:
    """The printed cells of one record (points back in the labels, the 属… note back in the level-1 text)."""
    level1 = ""
    if r["level1"]:
        level1 = r["level1"] + (f"（{r['level1_note']}）" if r["level1_note"] else "") + (
            f"{_pts(r['level1_points'])}分" if r["level1_points"] else "")
    return {
        "category": r["category"] + (f"（{_pts(r['category_points'])}分）" if r["category_points"] is not None else ""),
        "group": (r["group"] or "") + (f"（{_pts(r['group_points'])}分）" if r["group_points"] is not None else ""),
        "code": r["code"] or "", "basis": r["basis"] or "", "level1": level1, "item": r["item"],
        "weight": _pts(r["weight"]), "deadline": r["deadline"] or "",
        **{k: " ".join(r[k]) for k in PEOPLE},
    }


def _sample_paragraphs() -> tuple[list[str], list[str]]:
    lines = sample_text().split("\n")
    first = next(i for i, s in enumerate(lines) if "\t" in s)
    last = max(i for i, s in enumerate(lines) if "\t" in s)
    return lines[:first], lines[last + 1:]


def records_to_text(recs: list[Record], drop: tuple[str, ...] = ()) -> str:
    """The sample's paragraphs around a tab-separated table of ``recs``; repeated merged cells left blank."""
    cols = [c for c in COLS if c not in drop]
    top = dict(TOP_LABELS)
    if "code" in drop:
        top["basis"] = top.pop("code")
    lines = ["\t".join(top.get(c, "") for c in cols), "\t".join(LEAF_LABELS.get(c, "") for c in cols)]
    prev: Record | None = None
    for r in recs:
        cells = record_to_cells(r)
        if prev is not None:
            if prev["category"] == r["category"]:
                cells["category"] = ""
            if (prev["category"], prev["group"]) == (r["category"], r["group"]):
                cells["group"] = ""
            same_block = prev["group"] == r["group"] and \
                (prev["level1_code"] or prev["level1"]) == (r["level1_code"] or r["level1"])
            if same_block and record_to_cells(prev)["level1"] == cells["level1"]:
                cells["level1"] = ""
            if same_block and prev["basis"] == r["basis"]:
                cells["basis"] = ""
        lines.append("\t".join(cells[c] for c in cols))
        prev = r
    before, after = _sample_paragraphs()
    return "\n".join(before + lines + after)


def without_level1(recs: list[Record]) -> list[Record]:
    out = copy.deepcopy(recs)
    for r in out:
        r.update(level1=None, level1_points=None, level1_note=None, level1_cites=[])
    return out


CN_DIGITS = "一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN_DIGITS[tens - 1]) + "十" if tens else "") + (CN_DIGITS[ones - 1] if ones else "")


def with_printed_numbers(recs: list[Record], style: str) -> list[Record]:
    """序号 printed 一、二、… (numbered per category) or (1)(2)… (per group) instead of 1-1-1."""
    out = copy.deepcopy(recs)
    prev, k = None, 0
    for r in out:
        key = r["category"] if style == "一、" else (r["category"], r["group"])
        k = k + 1 if key == prev else 1
        prev = key
        r["code"] = f"{chinese_numeral(k)}、" if style == "一、" else f"({k})"
        r["level1_code"] = None
    return out


def _repeat_as_header(row: Any) -> None:
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def build_docx(recs: list[Record], path: Path, top: dict[str, str] | None = None, leaf: dict[str, str] | None = None,
               drop: tuple[str, ...] = (), merge: tuple[str, ...] = ("category", "group", "basis", "level1"),
               totals: bool = True) -> Path:
    """One table, A4 portrait, narrow columns; two header rows repeated on every page (tblHeader);
    vertical merges (python-docx ``cell.merge``) for runs of equal category/group and, inside a
    level-1 block, 文件依据/一级指标; a 合计 row after each category and a grand total."""
    top = {**TOP_LABELS, **(top or {})}
    leaf = {**LEAF_LABELS, **(leaf or {})}
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    before, after = _sample_paragraphs()
    for s in before:
        if s.strip():
            doc.add_paragraph(s.strip())
    cols = [c for c in COLS if c not in drop]
    ix = {c: k for k, c in enumerate(cols)}
    body: list[tuple[str, Any]] = []
    for i, r in enumerate(recs):
        body.append(("record", r))
        if totals and (i + 1 == len(recs) or recs[i + 1]["category"] != r["category"]):
            body.append(("total", r["category_points"]))
    if totals:
        body.append(("total", 100))
    table = doc.add_table(rows=2 + len(body), cols=len(cols))
    table.style = "Table Grid"
    table.autofit = False
    for row in table.rows:
        for k, cell in enumerate(row.cells):
            cell.width = Cm(WIDTHS_CM[COLS.index(cols[k])])
    h1, h2 = table.rows[0], table.rows[1]
    _repeat_as_header(h1)
    _repeat_as_header(h2)
    content = [c for c in ("code", "basis", "level1", "item") if c in ix]
    spans = [("category", "group", True), (content[0], content[-1], False), ("weight", "weight", True),
             ("deadline", "deadline", True), ("leaders", "owners", False)]
    for first, last, down in spans:
        cell = h1.cells[ix[first]]
        cell.text = top[first] if first in top else top["code"]
        cell = cell.merge(h1.cells[ix[last]])
        if down:
            cell.merge(h2.cells[ix[last]])
    for c, label in leaf.items():
        if c in ix:
            h2.cells[ix[c]].text = label
    rows = table.rows[2:]
    for (kind, value), row in zip(body, rows, strict=True):
        if kind == "total":
            row.cells[0].text = "合计" if value != 100 else "绩效目标考评得分"
            row.cells[0].merge(row.cells[ix["item"]])
            row.cells[ix["weight"]].text = _pts(value)
            continue
        cells = record_to_cells(value)
        for c in cols:
            row.cells[ix[c]].text = cells[c]

    def run_key(r: Record, c: str) -> tuple:
        if c == "category":
            return (r["category"],)
        if c == "group":
            return (r["category"], r["group"])
        return (r["category"], r["group"], r["level1_code"] or r["level1"], record_to_cells(r)[c])

    for c in (m for m in merge if m in ix):
        k = 0
        while k < len(body):
            j = k
            while body[k][0] == "record" and j + 1 < len(body) and body[j + 1][0] == "record" \
                    and run_key(body[j + 1][1], c) == run_key(body[k][1], c):
                j += 1
            if j > k and record_to_cells(body[k][1])[c]:
                for m in range(k + 1, j + 1):
                    rows[m].cells[ix[c]].text = ""
                rows[k].cells[ix[c]].merge(rows[j].cells[ix[c]]).text = record_to_cells(body[k][1])[c]
            k = j + 1
    for s in after:
        if s.strip():
            doc.add_paragraph(s.strip())
    doc.save(str(path))
    return path


def raw_grid(rows: list[list[str]], header_rows: int, ragged: bool = False) -> RawTable:
    cells = [RawCell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return RawTable(index=0, n_cols=max(len(r) for r in rows), ragged=ragged, cells=cells,
                    rows=[RawRow(index=r, header=r < header_rows) for r in range(len(rows))])


def grid_to_records(table: RawTable) -> list[Record]:
    indicators, _ = rows_to_indicators(table_to_rows(table).rows, "docx", "x.docx")
    return [json.loads(i.model_dump_json()) for i in indicators]


LEAF_ROW = ["", "序号", "文件依据", "一级指标", "二级指标", "", "", "分管领导", "责任部门", "责任人"]


TOP_ROW = ["项目", "目标内容", "", "", "", "权重", "完成时限", "责任分解", "", ""]


ONE_ROW = ["常规工作目标", "3-1", "三定方案", "加强资产监管。3分", "推进资产交易。", "1.5", "12月底前", "林鹏", "资本科", "苏颖慧"]


PORTRAIT_CODES = ("1-1-1", "1-1-2", "1-2-1", "1-2-2", "1-15-1", "1-15-2", "4-1", "4-2", "5-1", "5-2")


NOT_PEOPLE = [f for f in FIELDS if f not in PEOPLE]


@cache
def portrait_pdf() -> tuple[list[Record], list[Record]]:
    gold = json.loads((FIXTURES / "notice_portrait.expected.json").read_text(encoding="utf-8"))
    return gold, extract_records(FIXTURES / "notice_portrait.pdf")


def deadline_variant(new: str, date: str | None) -> tuple[str, list[Record]]:
    """1-1-1's 7月底前 reworded; the other rows unchanged."""
    gold = records()
    gold[0]["deadline"], gold[0]["deadline_date"] = new, date
    assert sample_text().count("\t7月底前\t") == 1
    return sample_text().replace("\t7月底前\t", f"\t{new}\t"), gold

