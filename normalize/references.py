"""The reference registry: every document a notice cites, in its body and its 文件依据 column, once.

A document is identified by its normalised 发文字号, or by its title when it has none (三定方案).  Its
issuer comes from the notice itself where a title carries it (泉州市人民政府办公室关于印发… → 泉政办),
else from ``data/issuers.csv``; a 代字 found in neither stays unexpanded, with an info issue.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from kaoping.normalize.citations import Resolution, TitleIndex, fold_spaces, note_to_resolutions, plain
from kaoping.normalize.docnumber import DocNumber, find_docnumbers
from kaoping.normalize.facts import data_lines, data_rows
from kaoping.normalize.issues import indicator_ref
from kaoping.schema.models import Citation, Indicator, Issue, Reference

log = logging.getLogger(__name__)


# GB/T 9704 titles read 发文机关 + 关于 + 事由 + 文种; an issuer name ends in an organ word.
_PIECE_SPLIT_RE = re.compile(r"[；;]+")
_EDGE = "\t 　，,。.：:、（(）)"
_OPEN = "（("
_CLOSE = "）)"


@dataclass(frozen=True)
class Issuer:
    code: str
    name: str
    status: str  # confirmed / inferred
    note: str = ""


@dataclass(frozen=True)
class Mention:
    """One citation of a document as printed: in the body or in one indicator's 文件依据."""

    number: DocNumber | None
    title: str | None  # without the issuer prefix
    wording: str | None  # as printed
    issuer: str | None  # the issuer name printed before the title
    where: str  # "body" or the indicator's label


@cache
def csv_to_issuers() -> dict[str, Issuer]:
    """data/issuers.csv (code,name,status,note) → {代字: Issuer}. Never complete: codes change between years."""
    return {
        row["code"].strip(): Issuer(row["code"].strip(), row["name"].strip(), row["status"].strip(), row.get("note") or "")
        for row in data_rows("issuers.csv")
        if row.get("code") and row.get("name")
    }


def _strip_book_marks(text: str) -> str:
    text = text.strip(_EDGE)
    if text.startswith("《") and text.endswith("》") and text.count("《") == 1:
        text = text[1:-1]
    return text.strip(_EDGE)


def title_to_issuer(title: str, known_names: Iterable[str] = ()) -> tuple[str | None, str]:
    """'泉州市人民政府办公室关于印发…的通知' → ('泉州市人民政府办公室', '关于印发…的通知')."""
    m = re.search("|".join(map(re.escape, data_lines("title_verbs.txt"))), title)
    if not m or m.start() < 2:
        return None, title
    prefix = title[: m.start()]
    if prefix in set(known_names) or (
        prefix.endswith(data_lines("issuer_endings.txt")) and not re.search(r"[0-9《》“”\"「」的]", prefix)
    ):
        return prefix, title[m.start() :]
    return None, title


def _mention(number: DocNumber | None, wording: str, where: str, names: Sequence[str]) -> Mention:
    wording = _strip_book_marks(wording)
    if not wording:
        return Mention(number, None, None, None, where)
    issuer, title = title_to_issuer(wording, names)
    return Mention(number, title, wording, issuer, where)


def text_to_mentions(text: str | None, where: str, issuers: dict[str, Issuer]) -> list[Mention]:
    """A 文件依据 cell → one mention per cited document (pieces separated by ；)."""
    names = [i.name for i in issuers.values()]
    mentions: list[Mention] = []
    for piece in _PIECE_SPLIT_RE.split(fold_spaces(text or "")):
        piece = piece.strip(_EDGE)
        if not piece:
            continue
        found = find_docnumbers(piece, issuers)
        if not found:
            mentions.append(_mention(None, piece, where, names))
            continue
        start = 0  # each number's title is the text since the previous number
        for hit in found:
            wording = piece[start : hit.start].rstrip(_OPEN + " ")
            mentions.append(_mention(hit.number, wording, where, names))
            start = hit.end
    return mentions


def _join_open_titles(body: Sequence[str]) -> list[str]:
    """Paragraphs, with a line that leaves a 《 open joined to the lines that close it (a wrapped title)."""
    joined: list[str] = []
    for para in body:
        text = fold_spaces(para)
        if joined and joined[-1].count("《") > joined[-1].count("》"):
            joined[-1] += text
        else:
            joined.append(text)
    return joined


def body_to_mentions(body: Sequence[str], issuers: dict[str, Issuer]) -> list[Mention]:
    """Numbers cited in the body: a number in brackets, after the 《title》 it belongs to if any.
    A bare number (the notice's own 发文字号 line) is not a citation."""
    names = [i.name for i in issuers.values()]
    mentions: list[Mention] = []
    for text in _join_open_titles(body):
        for hit in find_docnumbers(text, issuers):
            before, after = text[: hit.start].rstrip(), text[hit.end :].lstrip()
            if not (before.endswith(tuple(_OPEN)) and after.startswith(tuple(_CLOSE))):
                continue
            before = before[:-1].rstrip()
            wording = before[before.rfind("《") :] if before.endswith("》") and "《" in before else ""
            mentions.append(_mention(hit.number, wording, "body", names))
    return mentions


def _issuer_for(
    code: str, printed: Counter[str], issuers: dict[str, Issuer], issues: list[Issue]
) -> tuple[str | None, str]:
    row = issuers.get(code)
    seen = printed.most_common(1)[0][0] if printed else None
    if row and row.status == "confirmed":
        if seen and plain(seen) != plain(row.name):
            issues.append(Issue(severity="info", kind="issuer_variant",
                                message=f"{code}: the notice names {seen}, issuers.csv {row.name}"))
        return row.name, "confirmed"
    if seen:
        return seen, "notice"
    if row:
        return row.name, row.status if row.status in ("confirmed", "inferred") else "inferred"
    issues.append(Issue(severity="info", kind="unknown_issuer",
                        message=f"机关代字 {code} is not in issuers.csv and the notice does not name its issuer"))
    return None, "unknown"


def mentions_to_ids(mentions: Sequence[Mention]) -> list[str]:
    """The registry id of each mention: its number, else the number of a document printed with the same
    title, else the title itself."""
    by_title = {plain(m.title): str(m.number) for m in mentions if m.number and m.title}
    return [
        str(m.number) if m.number else by_title.get(plain(m.title or ""), m.title or m.wording or "")
        for m in mentions
    ]


def mentions_to_references(
    mentions: Sequence[Mention], issuers: dict[str, Issuer], year: int | None = None
) -> tuple[list[Reference], list[Issue]]:
    """One Reference per distinct document, in order of first citation (cited_in left empty)."""
    issues: list[Issue] = []
    ids = mentions_to_ids(mentions)
    grouped: dict[str, list[Mention]] = {}
    for rid, m in zip(ids, mentions, strict=True):
        if rid:
            grouped.setdefault(rid, []).append(m)
    printed: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.number and m.issuer:
            printed.setdefault(m.number.code, Counter())[m.issuer] += 1
    expanded: dict[str, tuple[str | None, str]] = {}
    refs: list[Reference] = []
    for rid, ms in grouped.items():
        number = next((m.number for m in ms if m.number), None)
        titles = list({plain(t): t for t in reversed([m.title for m in ms if m.title])}.values())[::-1]
        title = max(titles, key=lambda t: len(plain(t))) if titles else None
        if number:
            if number.code not in expanded:
                expanded[number.code] = _issuer_for(number.code, printed.get(number.code, Counter()), issuers, issues)
            issuer, status = expanded[number.code]
        else:
            names = Counter(m.issuer for m in ms if m.issuer)
            issuer, status = (names.most_common(1)[0][0], "notice") if names else (None, None)
        if number and year and number.year > year:
            issues.append(Issue(severity="warning", kind="reference_after_notice",
                                message=f"{rid} is dated after the notice's year {year}"))
        refs.append(Reference(
            id=rid, doc_number=str(number) if number else None, issuer_code=number.code if number else None,
            issuer=issuer, issuer_status=status, year=number.year if number else None,
            serial=number.serial if number else None, title=title, titles=titles,
        ))
    return refs, issues


def _citation_issue(res: Resolution, where: str) -> Issue | None:
    part = res.part.part
    if res.method == "none":
        return Issue(severity="info", kind="unresolved_citation", code=where,
                     message=f"note part {part!r} names no document of this notice; no citation")
    if res.method == "ambiguous":
        return Issue(severity="warning", kind="ambiguous_citation", code=where,
                     message=f"note part {part!r} matches {', '.join(res.candidates)} equally; no citation")
    if res.method == "elimination":
        return Issue(severity="warning", kind="weak_citation", code=where,
                     message=f"note part {part!r} → {res.reference_id} only because it is the 文件依据 document "
                     f"no other part names (confidence {res.confidence})")
    return None


def indicators_to_references(
    indicators: list[Indicator], body: list[str], year: int | None
) -> tuple[list[Indicator], list[Reference], list[Citation], list[Issue]]:
    """Return indicators with basis_refs and level1_cites set, the registry, citations and issues.

    A chain of steps: mentions (body, then each 文件依据) → references → the ids each 文件依据 cites →
    the title index → each 属… note resolved against the ids its block cites → where each reference is cited.
    """
    issuers = csv_to_issuers()
    body_mentions = body_to_mentions(body, issuers)
    per_indicator = [text_to_mentions(ind.basis, indicator_ref(ind), issuers) for ind in indicators]
    everything = body_mentions + [m for ms in per_indicator for m in ms]
    refs, issues = mentions_to_references(everything, issuers, year)
    all_ids = mentions_to_ids(everything)
    basis_refs = ids_to_basis_refs(all_ids[len(body_mentions):], per_indicator)
    index = TitleIndex(mentions_to_wordings(refs, everything, all_ids))
    cites, citations, note_issues = notes_to_citations(indicators, basis_refs, index)
    refs = with_cited_in(refs, indicators, mentions_to_ids(body_mentions), basis_refs, cites)
    out = [
        ind.model_copy(update={"basis_refs": b, "level1_cites": c})
        for ind, b, c in zip(indicators, basis_refs, cites, strict=True)
    ]
    return out, refs, citations, [*issues, *note_issues]


def ids_to_basis_refs(ids: list[str | None], per_indicator: list[list[Mention]]) -> list[list[str]]:
    """Cut the flat list of mention ids back into each indicator's 文件依据 ids (first mention order)."""
    out: list[list[str]] = []
    for ms in per_indicator:
        out.append(list(dict.fromkeys(i for i in ids[: len(ms)] if i)))
        ids = ids[len(ms):]
    return out


def mentions_to_wordings(refs: list[Reference], mentions: list[Mention], ids: list[str | None]) -> dict[str, list[str]]:
    """Every wording a reference is known by: its titles, its id and each mention's own wording."""
    wordings: dict[str, list[str]] = {r.id: [*r.titles, r.id] for r in refs}
    for rid, m in zip(ids, mentions, strict=True):
        if rid and m.wording:
            wordings[rid].append(m.wording)
    return wordings


def level1_note_blocks(indicators: list[Indicator]) -> dict[tuple[str | None, str | None, str], list[int]]:
    """Indicators sharing one 一级指标 note (by level-1 code, text and note), by position."""
    blocks: dict[tuple[str | None, str | None, str], list[int]] = {}
    for i, ind in enumerate(indicators):
        if ind.level1_note and ind.level1_note.strip():
            blocks.setdefault((ind.level1_code, ind.level1, ind.level1_note), []).append(i)
    return blocks


def notes_to_citations(
    indicators: list[Indicator], basis_refs: list[list[str]], index: TitleIndex
) -> tuple[list[list[str]], list[Citation], list[Issue]]:
    """Resolve each block's 属… note once, against the ids the block's 文件依据 cite; cite it on every member."""
    cites: list[list[str]] = [[] for _ in indicators]
    citations: list[Citation] = []
    issues: list[Issue] = []
    for (level1_code, _, note), members in level1_note_blocks(indicators).items():
        context = [rid for i in members for rid in basis_refs[i]]
        resolutions = note_to_resolutions(note, context, index)
        where = level1_code or indicator_ref(indicators[members[0]])
        issues.extend(x for res in resolutions if (x := _citation_issue(res, where)))
        resolved = [r for r in resolutions if r.reference_id]
        for i in members:
            ind = indicators[i]
            cites[i] = list(dict.fromkeys(r.reference_id for r in resolved))
            citations.extend(Citation(seq=ind.seq, code=ind.code, reference_id=r.reference_id, alias=r.part.alias,
                                      locator=r.part.locator, part=r.part.part, confidence=r.confidence)
                             for r in resolved)
    return cites, citations, issues


def with_cited_in(refs: list[Reference], indicators: list[Indicator], body_ids: list[str | None],
                  basis_refs: list[list[str]], cites: list[list[str]]) -> list[Reference]:
    """Each reference with where it is cited: 'body' first, then indicator codes in table order."""
    cited_in: dict[str, list[str]] = {r.id: [] for r in refs}
    for rid in dict.fromkeys(i for i in body_ids if i):
        cited_in.setdefault(rid, []).append("body")
    for ind, b, c in zip(indicators, basis_refs, cites, strict=True):
        for rid in dict.fromkeys([*b, *c]):
            cited_in.setdefault(rid, []).append(indicator_ref(ind))
    return [r.model_copy(update={"cited_in": cited_in.get(r.id, [])}) for r in refs]
