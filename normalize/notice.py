"""Notice metadata from the paragraphs around the table (GB/T 9704 elements) and the body as data."""

from __future__ import annotations

import re
from functools import cache

from kaoping.normalize.dates import line_to_date, text_to_date_range
from kaoping.normalize.docnumber import DocNumber, find_docnumbers, text_to_docnumber
from kaoping.normalize.facts import data_rows
from kaoping.normalize.textfold import fold_text
from kaoping.schema.models import BodyPart, Notice, Role, Step
from kaoping.schema.raw import SourceInfo

TITLE_MAX_LINES = 3  # a 标题 printed over more lines than this is not taken as one
TABLE_LEAD_LINES = 3  # lines before a table without its own title that may hold 参评单位 and a date
SIGNER_MAX_CHARS = 30  # a 署名 above the 成文日期 is an office name; a longer line is body text (GB/T 9704 7.3.5)
PART = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
SUBPART = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*([^。；;]+?)[。；;]\s*(.*)$")
ROLE = re.compile(r"(副?组长|成员)由(.+?)(?:担任|组成)")
YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
PRINTED = re.compile(r"^(.*?)\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*印发$")


@cache
def _positions() -> list[str]:
    return sorted((r["word"] for r in data_rows("positions.csv")), key=len, reverse=True)


def _role_person(role: str, phrase: str) -> Role:
    """'市某局党组书记、局长王建国' → Role(组长, 王建国, 市某局党组书记、局长)."""
    phrase = fold_text(phrase)
    cut = -1
    for word in _positions():
        pos = phrase.rfind(word)
        if pos >= 0 and pos + len(word) > cut:
            cut = pos + len(word)
    name = phrase[cut:] if cut >= 0 else ""
    if 2 <= len(name) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", name):
        return Role(role=role, name=name, position=phrase[:cut] or None)
    return Role(role=role, name=None, position=phrase)


def _doc_number(text: str) -> DocNumber | None:
    """The 发文字号 line: the number alone, or beside a short label such as 签发人：… (上行文)."""
    number = text_to_docnumber(text)
    if number is None and len(text) <= 40 and "《" not in text:
        found = find_docnumbers(text)
        number = found[0].number if found else None
    return number


def _is_addressee(text: str) -> bool:
    return text.endswith(("：", ":")) and len(text) <= 60


def _title(lines: list[str]) -> str | None:
    """The 标题: the line after the 发文字号, with its continuation lines when the 主送 line follows them."""
    lines = [p for p in lines if p]
    end = next((i for i, p in enumerate(lines[:TITLE_MAX_LINES + 1]) if _is_addressee(p)), None)
    if end is not None and end > 1:
        return "".join(lines[:end])
    return lines[0] if lines else None


def paragraphs_to_notice(before: list[str], after: list[str], source: SourceInfo) -> Notice:
    """The notice's elements from the paragraphs before and after its 考评表 (lines already joined).

    One rule per GB/T 9704 element, each reading the paragraphs and returning the fields it found.
    """
    fields: dict = {}
    for rule in (heading_fields, addressee_fields, date_fields, attachment_fields):
        fields.update(rule(before))
    fields.update(table_fields(before, fields.get("attachment_title")))
    fields.update(cc_fields(after))
    fields.update(printer_fields(after))
    fields.update(_body(before))
    fields["year"] = _year(fields)
    return Notice(**fields, source_file=source.file, source_format=source.format, sha256=source.sha256,
                  pages=source.pages)


def heading_fields(before: list[str]) -> dict:
    """发文字号, the 发文机关标志 above it and the 标题 below it; without a number the first line is the title."""
    number_at = next((i for i, p in enumerate(before) if _doc_number(p)), None)
    if number_at is None:
        return {"title": before[0]} if before else {}
    return {"doc_number": str(_doc_number(before[number_at])),
            "issuer_mark": next((p for p in reversed(before[:number_at]) if p), None),
            "title": _title(before[number_at + 1:])}


def addressee_fields(before: list[str]) -> dict:
    """主送机关: the first short line ending in a colon."""
    return {"addressee": next((p.rstrip("：:") for p in before if _is_addressee(p)), None)}


def date_fields(before: list[str]) -> dict:
    """成文日期 (the first line that is a date alone) and the 署名 on the short line above it."""
    date_at = next((i for i, p in enumerate(before) if line_to_date(p)), None)
    if date_at is None:
        return {}
    fields: dict = {"date": line_to_date(before[date_at])}
    if date_at > 0 and len(before[date_at - 1]) <= SIGNER_MAX_CHARS:
        fields["signer"] = before[date_at - 1]
    return fields


def attachment_fields(before: list[str]) -> dict:
    """附件说明 (附件：…) and the 附件标题, the last line naming a 表 (the table's own title)."""
    fields: dict = {}
    note = next((p for p in before if re.match(r"^附件\s*[:：]", p)), None)
    if note:
        fields["attachment_note"] = re.sub(r"^附件\s*[:：]\s*", "", note)
    titles = [p for p in before if p.endswith("表") and not p.startswith("附件")]
    if titles:
        fields["attachment_title"] = titles[-1]
    return fields


def table_fields(before: list[str], table_title: str | None) -> dict:
    """参评单位 and the table's date, from the lines between its title (or the last few lines) and the table."""
    tail = before[before.index(table_title) + 1:] if table_title else before[-TABLE_LEAD_LINES:]
    unit = next((p for p in tail if p.startswith("参评单位")), None)
    fields: dict = {}
    if unit:
        fields["table_unit"] = re.split(r"[:：]", unit, maxsplit=1)[-1].strip() or None
    if table_title or unit:
        fields["table_date"] = next((line_to_date(p) for p in tail if line_to_date(p)), None)
    return fields


def cc_fields(after: list[str]) -> dict:
    """抄送: the bodies it lists (the last 抄送 line wins)."""
    fields: dict = {}
    for p in after:
        if p.startswith("抄送"):
            body = re.split(r"[:：]", p, maxsplit=1)[-1].rstrip("。")
            fields["cc"] = [x.strip() for x in re.split(r"[，,、]", body) if x.strip()]
    return fields


def printer_fields(after: list[str]) -> dict:
    """印发机关 and 印发日期 (… 2022年8月3日印发), the office on the line before when the line has none."""
    fields: dict = {}
    for i, p in enumerate(after):
        if m := PRINTED.match(p):
            printer = m.group(1) or (after[i - 1] if i > 0 else "")
            fields["printer"] = printer or None
            fields["print_date"] = line_to_date(m.group(2))
    return fields


def _year(fields: dict) -> int | None:
    for key in ("attachment_title", "title"):
        if fields.get(key) and (m := YEAR.search(fields[key])):
            return int(m.group(1))
    if fields.get("doc_number"):
        return text_to_docnumber(fields["doc_number"]).year  # type: ignore[union-attr]
    return fields["date"].year if fields.get("date") else None


def _body(paras: list[str]) -> dict:
    """Numbered parts (一、…), the dated implementation steps (（一）…。2022年7月10日前…), the leadership group."""
    parts: list[BodyPart] = []
    subparts: dict[int, list[Step]] = {}
    roles: list[Role] = []
    year = next((int(m.group(1)) for p in paras if (m := YEAR.search(p))), None)
    for p in paras:
        if m := PART.match(p):
            parts.append(BodyPart(number=m.group(1), title=m.group(2).rstrip("。"), text=""))
            continue
        if parts:
            parts[-1].text = f"{parts[-1].text}\n{p}".strip()
        for m in ROLE.finditer(p):
            roles.append(_role_person(m.group(1), m.group(2)))
        if (m := SUBPART.match(p)) and parts:
            start, end = text_to_date_range(m.group(3)[:24], year)
            lead = re.match(r"^([^，,。]*)", m.group(3))
            date_text = lead.group(1) if (start or end) and lead else None
            subparts.setdefault(len(parts) - 1, []).append(
                Step(number=m.group(1), title=m.group(2), date_text=date_text, date_start=start, date_end=end,
                     text=m.group(3)))
    # the steps are the sub-items of the part(s) whose sub-items mostly carry dates
    steps = [s for group in subparts.values() if 2 * sum(1 for s in group if s.date_text) >= len(group) for s in group]
    return {"parts": parts, "steps": steps, "leadership": roles}
