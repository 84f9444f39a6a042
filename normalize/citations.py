"""属… notes → citations: each note part's alias and locator, and the alias matched to a reference.

Matching works on characters only: book-title 《》 and quoted “” names contained in a title, numeric or
initial abbreviations of a title's quoted clauses (“三提三效” ↔ “提高效率、提升效能、提增效益”), the
longest common substring, and, for what is left, rare shared bigrams among the documents the same
indicator's 文件依据 cites (elimination).  jieba is imported only to break a tie between two such weak
candidates, so a notice whose notes resolve on characters never pays for loading its dictionary.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from kaoping.normalize.facts import data_lines, data_rows
from kaoping.normalize.numerals import chinese_to_number
from kaoping.normalize.settings import TUNABLES
from kaoping.normalize.textfold import fold_text

log = logging.getLogger(__name__)


_QUOTE_RE = re.compile(r"《([^《》]+)》|“([^“”]+)”|\"([^\"]+)\"|「([^「」]+)」|『([^『』]+)』|‘([^‘’]+)’|〈([^〈〉]+)〉")
_DQUOTE_RE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"|「([^「」]+)」|『([^『』]+)』")
_PUNCT_RE = re.compile(r"[\s《》“”\"「」『』‘’〈〉、，,。；;：:（）()〔〕\[\]【】·—\-]")
_CLAUSE_SEP_RE = re.compile(r"[、，,；;·\s]+")
_AR = r"[0-9０-９]+"
_CN = r"[0-9０-９一二三四五六七八九十百零〇两]+"
_SEP = r"\s*[、，,\-－—~～至到]\s*"
_NUMS = rf"(?:第\s*{_CN}(?:{_SEP}{_CN})*|{_AR}(?:{_SEP}{_AR})*)"
_HAN = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’"
_PART_SPLIT_RE = re.compile(r"[；;]")
_TRAIL_RE = re.compile(r"[\s。.，,）)的]+$")
_NUMERAL = "一二三四五六七八九十两"
_NUMERIC_ABBR_RE = re.compile(rf"([{_NUMERAL}])([^{_NUMERAL}]+)")

# the tunables and where their values came from: normalize/settings.py
STRONG_IN_CONTEXT = TUNABLES.strong_in_context
STRONG_ANYWHERE = TUNABLES.strong_anywhere
WEAK_CEILING = TUNABLES.weak_ceiling
_TIE = TUNABLES.tie
MAX_ALIAS_CHARS = TUNABLES.max_alias_chars


@dataclass(frozen=True)
class NotePart:
    part: str  # as printed
    alias: str
    locator: str | None


@dataclass(frozen=True)
class Resolution:
    part: NotePart
    reference_id: str | None
    confidence: float
    method: str  # exact, quoted, abbreviation, substring, elimination, previous, none, ambiguous
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    reference_id: str
    strength: float
    cover: float
    evidence: float
    method: str


@cache
def generic_words() -> tuple[str, ...]:
    return tuple(sorted(data_lines("generic_title_words.txt"), key=len, reverse=True))


def fold_spaces(text: str) -> str:
    """Drop the stray spaces a wrap or an export leaves next to Chinese characters and digits."""
    return fold_text(text)


def plain(text: str) -> str:
    """Text without spaces, quotes, brackets and punctuation: what matching compares."""
    return _PUNCT_RE.sub("", text)


def quoted_names(text: str) -> list[str]:
    return [plain(next(g for g in m.groups() if g)) for m in _QUOTE_RE.finditer(text)]


@cache
def _locator_re() -> re.Pattern[str]:
    """A locator: numbers followed by a unit word (页/项 …), or an attachment word and its number
    (data/locator_words.csv), optionally after a lead word (任务)."""
    words: dict[str, list[str]] = {"lead": [], "unit": [], "attachment": []}
    for row in data_rows("locator_words.csv"):
        words[row["role"]].append(re.escape(row["word"]))
    lead, unit, attachment = ("|".join(words[k]) for k in ("lead", "unit", "attachment"))
    return re.compile(rf"(?:(?:{lead})\s*)?(?:{_NUMS}\s*(?:{unit})|(?:{attachment})\s*{_CN})")


@cache
def _lead_re() -> re.Pattern[str]:
    """Brackets and the note word that opens a note (属, 依据, 来源 …: data/note_words.csv) before its alias."""
    words = "|".join(re.escape(r["word"]) for r in data_rows("note_words.csv"))
    return re.compile(rf"^[\s（(]*(?:(?:{words})[\s（(]*)?")


def _mask_quotes(text: str) -> str:
    return _QUOTE_RE.sub(lambda m: "\0" * len(m[0]), text)


def note_to_parts(note: str | None) -> list[NotePart]:
    """'属市《政府工作报告》任务65项；省政府工作涉及泉州任务附件2第40项' → alias + locator per part."""
    parts: list[NotePart] = []
    for raw in _PART_SPLIT_RE.split(fold_spaces(note or "")):
        text = _TRAIL_RE.sub("", _lead_re().sub("", raw.strip()))
        if not text:
            continue
        m = _locator_re().search(_mask_quotes(text))
        alias = text[: m.start()] if m else text
        locator = text[m.start() :].strip() if m else None
        parts.append(NotePart(part=raw.strip(), alias=_TRAIL_RE.sub("", alias.strip()), locator=locator))
    return parts


def longest_common_substring(a: str, b: str) -> int:
    """Length of the longest common substring. If a common substring of length L exists, so does one of
    L - 1, so the length is binary-searched and each probe is C-speed ``in`` tests: O(len(a) log len(a))
    substring searches instead of a len(a)·len(b) Python loop (30 ms of the sample's 60 ms of references)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if any(a[i:i + mid] in b for i in range(len(a) - mid + 1)):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _clauses(wording: str) -> list[list[str]]:
    """The quoted phrases of a title split into clauses: “提高效率、提升效能、提增效益” → 3 clauses."""
    found = []
    for m in _DQUOTE_RE.finditer(wording):
        text = next(g for g in m.groups() if g)
        clauses = [c for c in _CLAUSE_SEP_RE.split(text) if c]
        if len(clauses) >= 2:
            found.append(clauses)
    return found


def is_abbreviation(short: str, clauses: Sequence[str]) -> bool:
    """三提三效 ↔ 提高效率、提升效能、提增效益 (N clauses share a character);
    放管服 ↔ 简政放权、放管结合、优化服务 (one character from each clause, in order)."""
    if len(short) < 2 or len(clauses) < 2:
        return False
    pairs = _NUMERIC_ABBR_RE.findall(short)
    if pairs and "".join(n + s for n, s in pairs) == short:
        return all(
            sum(1 for c in clauses if all(ch in c for ch in chars)) == chinese_to_number(n) for n, chars in pairs
        )
    return len(short) == len(clauses) and all(ch in c for ch, c in zip(short, clauses, strict=True))


def _strip_generic(text: str) -> str:
    for w in generic_words():
        text = text.replace(w, "\0")
    return text


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if "\0" not in text[i : i + 2]}


class TitleIndex:
    """Every wording of every reference, prepared for matching, with bigram document frequencies."""

    def __init__(self, wordings: Mapping[str, Iterable[str]]) -> None:
        self.ids = list(wordings)
        self.wordings = {rid: list(dict.fromkeys(ws)) for rid, ws in wordings.items()}
        self.plain = {rid: [plain(w) for w in ws] for rid, ws in self.wordings.items()}
        self.clauses = {rid: [c for w in ws for c in _clauses(w)] for rid, ws in self.wordings.items()}
        self.grams = {rid: set().union(*(_bigrams(_strip_generic(p)) for p in ps)) for rid, ps in self.plain.items()}
        self.df: dict[str, int] = {}
        for grams in self.grams.values():
            for g in grams:
                self.df[g] = self.df.get(g, 0) + 1

    def _idf(self, gram: str) -> float:
        return math.log((len(self.ids) + 1) / (self.df.get(gram, 0) + 1)) + 1.0

    def evidence(self, alias: str, rid: str) -> float:
        """Share (idf-weighted) of the alias's non-generic bigrams that also occur in the reference's titles,
        counting only bigrams rare in this notice (in at most half its documents)."""
        grams = _bigrams(_strip_generic(plain(alias)))
        if not grams:
            return 0.0
        n = len(self.ids)
        rare = {g for g in grams & self.grams[rid] if n < 4 or self.df.get(g, 0) <= n / 2}
        return sum(self._idf(g) for g in rare) / sum(self._idf(g) for g in grams)

    def match(self, alias: str, rid: str) -> Match:
        a = plain(alias)
        names = [q for q in quoted_names(alias) if len(q) >= 2]
        best = Match(rid, 0.0, 0.0, self.evidence(alias, rid), "none")
        for wp in self.plain[rid]:
            lcs = longest_common_substring(a, wp) if a and len(a) <= MAX_ALIAS_CHARS else 0
            cover = lcs / len(a) if a else 0.0
            strength, method = 0.0, "none"
            if a and a == wp:
                strength, method = 1.0, "exact"
            elif names and all(q in wp for q in names):
                strength, method = 0.95, "quoted"
            elif names and all(
                q in wp or any(is_abbreviation(q, cl) for cl in self.clauses[rid]) for q in names
            ):
                strength, method = 0.85, "abbreviation"
            if lcs >= 4 and cover >= 0.6 and 0.45 + 0.5 * cover > strength:
                strength, method = 0.45 + 0.5 * cover, "substring"
            if (strength, cover) > (best.strength, best.cover):
                best = Match(rid, round(strength, 3), round(cover, 3), best.evidence, method)
        return best


def _best(matches: list[Match], floor: float) -> tuple[Match | None, tuple[str, ...]]:
    """The clear best match at or above floor; (None, tied ids) when two are equally good."""
    good = sorted((m for m in matches if m.strength >= floor), key=lambda m: (m.strength, m.cover), reverse=True)
    if not good:
        return None, ()
    tied = tuple(m.reference_id for m in good if (m.strength, m.cover) == (good[0].strength, good[0].cover))
    return (good[0], ()) if len(tied) == 1 else (None, tied)


def _word_overlap(alias: str, wordings: Iterable[str]) -> float:
    """Share of the alias's jieba words found in the wordings (jieba loaded here, and only here)."""
    import jieba  # deferred: its dictionary takes most of a second to load

    jieba.setLogLevel(logging.WARNING)
    generic = set(generic_words())
    words = {w for w in jieba.lcut(plain(alias)[:MAX_ALIAS_CHARS]) if len(w) >= 2 and w not in generic}
    if not words:
        return 0.0
    text = "".join(plain(w) for w in wordings)
    return sum(1 for w in words if w in text) / len(words)


def _eliminate(part: NotePart, remaining: list[str], index: TitleIndex) -> Resolution:
    scored = sorted(((index.evidence(part.alias, rid), rid) for rid in remaining), reverse=True)
    scored = [(e, rid) for e, rid in scored if e > 0]
    if not scored:
        return Resolution(part, None, 0.0, "none")
    if len(scored) > 1 and scored[0][0] - scored[1][0] < _TIE:
        tied = [rid for e, rid in scored if scored[0][0] - e < _TIE]
        words = sorted(((_word_overlap(part.alias, index.wordings[r]), r) for r in tied), reverse=True)
        if words[0][0] == 0 or (len(words) > 1 and words[0][0] - words[1][0] < _TIE):
            return Resolution(part, None, 0.0, "ambiguous", tuple(tied))
        scored = [(next(e for e, r in scored if r == words[0][1]), words[0][1])]
    evidence, rid = scored[0]
    return Resolution(part, rid, round(min(WEAK_CEILING, 0.3 + 0.3 * evidence), 3), "elimination")


def note_to_resolutions(note: str | None, context: Sequence[str], index: TitleIndex) -> list[Resolution]:
    """Resolve each part of a 属… note: first against `context` (the ids the indicator's 文件依据 cites),
    then against every reference in `index`; what is left may take a context document no other part
    took, on weak evidence only; a part that names no document resolves to None."""
    parts = note_to_parts(note)
    context = [rid for rid in dict.fromkeys(context) if rid in index.wordings]
    found = [part_to_match(part, context, index) if part.alias else None for part in parts]
    return unmatched_to_resolutions(parts, found, context, index)


def part_to_match(part: NotePart, context: list[str], index: TitleIndex) -> Resolution | None:
    """A strong match among the row's own documents, else (a little discounted) among the others; an
    ambiguous resolution on a tie; None when nothing is strong enough."""
    best, tied = _best([index.match(part.alias, rid) for rid in context], STRONG_IN_CONTEXT)
    if best is None and not tied:
        others = [rid for rid in index.ids if rid not in context]
        best, tied = _best([index.match(part.alias, rid) for rid in others], STRONG_ANYWHERE)
        if best is not None:
            best = Match(best.reference_id, round(best.strength * 0.9, 3), best.cover, 0.0, best.method)
    if best is not None:
        return Resolution(part, best.reference_id, best.strength, best.method)
    return Resolution(part, None, 0.0, "ambiguous", tied) if tied else None


def unmatched_to_resolutions(parts: list[NotePart], found: list[Resolution | None], context: list[str],
                             index: TitleIndex) -> list[Resolution]:
    """Parts left unmatched: a part naming no document takes the previous part's; one naming an unknown
    document may take, by elimination, a context document no other part took."""
    taken = {r.reference_id for r in found if r is not None and r.reference_id}
    resolutions: list[Resolution] = []
    for part, res in zip(parts, found, strict=True):
        if res is None and not part.alias:
            prev = resolutions[-1] if resolutions else None
            ref = prev.reference_id if prev else None
            res = Resolution(part, ref, prev.confidence if prev and ref else 0.0, "previous" if ref else "none")
        elif res is None:
            res = _eliminate(part, [rid for rid in context if rid not in taken], index)
            if res.reference_id:
                taken.add(res.reference_id)
        resolutions.append(res)
    return resolutions
