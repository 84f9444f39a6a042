"""Quantitative targets read out of an item's text (300个以上优质动态储备岗位 → ≥ 300 个 优质动态储备岗位).

A target is a number followed by a unit from ``data/units.csv``. The rules:

* **value** — Arabic (1.2, 300) or Chinese (四, 十五, 两) numerals, times the unit's multiplier:
  2亿元 → 200000000 元; 6公里 → 6 公里. A lone Chinese 一 (一项, 一条) is read as the article
  "a", not as a count, and a numeral that starts with 百/千/万 is idiom (千家万户), not a count;
  written as digits (1项, 1000家) they count.
* **comparator** — a word before the number (至少, 不少于, 超过 → ``>=``; 不超过 → ``<=``), also with a
  short verb between (至少形成1项), or after the unit (以上 → ``>=``; 以内 → ``<=``); none → ``=``.
  The words live in ``data/target_words.yaml``.
* **metric** — the noun phrase counted. For a count unit (个, 条, 辆 …) it is the text right after the
  unit and comparator, up to clause punctuation (， 。 ； 、), a stop word (进行, 等 …), another number
  or a comparator, and after the last 的 of the clause (1项具有创新性的创新成果 → 创新成果). When nothing
  follows the unit, or for a measure unit (元, 公里, % …), it is the phrase before the number, from the
  clause start or the previous number, from after the last verb listed in ``data/target_words.yaml``
  (改造供水管网6公里 → 供水管网). A measure followed by 的 qualifies the noun after it
  (规模2亿元以上的天使投资基金 → 天使投资基金).
* **not targets** — years and dates (年 and 月 are not units: 2022年, 2021年度, 7月底前, 5年内), document
  numbers (〔2022〕2号) and anything inside 《》 or 〔〕, codes and ranges (1-3-1, 2019-2021: a number
  touching - / . is skipped), ordinals (第13页, 第五届), numbers touching Latin letters (C2), and fixed
  expressions listed in ``not_targets`` (中央八项规定).
* **percentages** (95%, 3个百分点) are targets: in these tables a printed percentage is a rate to reach.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

from kaoping.normalize.facts import data_rows, data_yaml
from kaoping.normalize.numerals import CHINESE_DIGITS, CHINESE_SCALES, chinese_to_number
from kaoping.normalize.textfold import format_number
from kaoping.schema.models import Indicator, Target

log = logging.getLogger(__name__)


FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
CLAUSE_END = "，。；;,：:！？!?（）()【】\n"
PHRASE_END = CLAUSE_END + "、"
SENTENCE_END = "。；;！？!?\n"
#: how far after a number its metric may run: a counted noun phrase (个公共停车位, 亿元以上项目) is a few words;
#: bounding the look keeps a clause full of numbers linear (each number looked at the whole clause before)
PHRASE_WINDOW = 60
VERB_GAP = 2  # characters allowed between a comparator and its number (至少形成1项)
THRESHOLD_NOUN = 8  # longest noun between a threshold and its count (10亿元以上[工业技改项目]3个); 8 covers a compound noun
ENCLOSURES = (("《", "》"), ("〔", "〕"), ("[", "]"))


@dataclass(frozen=True)
class Unit:
    unit: str
    multiplier: Decimal
    base_unit: str
    kind: str  # "count" or "measure"


@dataclass(frozen=True)
class ParsedTarget:
    metric: str | None
    comparator: str
    value: float
    unit: str | None
    raw: str
    start: int = 0
    end: int = 0
    kind: str = "count"  # the unit's kind: a count of things, or a measure (元, 公里, %)
    context: str = ""  # the noun phrase printed before the number (签约落地投资额 in …投资额10亿元以上…)


@dataclass(frozen=True)
class Lexicon:
    units: dict[str, Unit]
    before: dict[str, str]  # comparator word printed before the number -> comparator
    after: dict[str, str]  # comparator word printed after the unit -> comparator
    verbs: tuple[str, ...]
    stop_words: tuple[str, ...]
    not_targets: tuple[str, ...]
    generic: frozenset[str]
    neighbours: str
    pattern: re.Pattern[str]


@cache
def load_lexicon() -> Lexicon:
    """data/units.csv and data/target_words.yaml, read once."""
    units = {
        row["unit"]: Unit(row["unit"], Decimal(row["multiplier"]), row["base_unit"], row["kind"])
        for row in data_rows("units.csv")
    }
    words = data_yaml("target_words.yaml")
    before = {w: comp for comp, d in words["comparators"].items() for w in d.get("before", [])}
    after = {w: comp for comp, d in words["comparators"].items() for w in d.get("after", [])}

    def alternation(items: object) -> str:
        return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))  # type: ignore[arg-type]

    cn = "".join(CHINESE_DIGITS) + "".join(CHINESE_SCALES)
    pattern = re.compile(
        rf"(?P<pre>{alternation(before)})?"
        rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{cn}]+)"
        rf"(?P<unit>{alternation(units)})"
        rf"(?P<post>{alternation(after)})?"
    )
    return Lexicon(
        units=units,
        before=before,
        after=after,
        verbs=tuple(words.get("verbs", [])),
        stop_words=tuple(words.get("stop_words", [])),
        not_targets=tuple(words.get("not_targets", [])),
        generic=frozenset(words.get("generic_metrics", [])),
        neighbours=str(words.get("number_neighbours", "")),
        pattern=pattern,
    )


def _enclosed(text: str, pos: int) -> bool:
    """Is ``pos`` inside 《…》 or 〔…〕?"""
    for left, right in ENCLOSURES:
        opened = text.rfind(left, 0, pos)
        if opened != -1 and text.rfind(right, opened, pos) == -1 and text.find(right, pos) != -1:
            return True
    return False


def _rejected(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    start, end = m.start("num"), m.end("num")
    num = m.group("num")
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before and (before in lex.neighbours or before.isascii() and before.isalnum()):
        return True
    if after in lex.neighbours and after:
        return True
    if before == "第" or _enclosed(text, start):
        return True
    if (
        num == "一"
        or num[0] in "百千万亿"
        or (not num[0].isdigit() and before in CHINESE_DIGITS | CHINESE_SCALES)
    ):
        return True
    window = text[max(0, start - 4) : m.end() + 4]
    return any(p in window and _covers(text, p, start) for p in lex.not_targets)


def _covers(text: str, phrase: str, pos: int) -> bool:
    i = text.find(phrase)
    while i != -1:
        if i <= pos < i + len(phrase):
            return True
        i = text.find(phrase, i + 1)
    return False


def _after_last_verb(phrase: str, lex: Lexicon) -> str:
    """The part of ``phrase`` after the last verb in it (改造供水管网 → 供水管网)."""
    cut = 0
    for verb in lex.verbs:
        i = phrase.rfind(verb)
        if i != -1:
            cut = max(cut, i + len(verb))
    return phrase[cut:]


def _cut(phrase: str, stops: str) -> str:
    m = re.search(f"[{re.escape(stops)}]", phrase)
    return phrase[: m.start()] if m else phrase


def _phrase_after(text: str, end: int, lex: Lexicon) -> str:
    clause = _cut(text[end:end + PHRASE_WINDOW], CLAUSE_END)
    if "的" in clause:
        clause = clause[clause.rindex("的") + 1 :]
    clause = _cut(clause, "、")
    cut = len(clause)
    for word in (*lex.stop_words, *lex.before, *lex.after):
        i = clause.find(word)
        if i != -1:
            cut = min(cut, i)
    digit = re.search(r"\d", clause)
    if digit:
        cut = min(cut, digit.start())
    return clause[:cut].strip()


def _phrase_before(text: str, start: int, floor: int, lex: Lexicon) -> str:
    head = text[floor:start]
    for i in range(len(head) - 1, -1, -1):
        if head[i] in PHRASE_END:
            head = head[i + 1 :]
            break
    head = head.strip()
    if head.startswith("的"):
        head = head[1:]
    return _after_last_verb(head, lex).strip() or _without_trailing_verbs(head, lex)


def _without_trailing_verbs(phrase: str, lex: Lexicon) -> str:
    """网上办件率达到 → 网上办件率: when a verb ends the phrase, the noun is the part before it."""
    changed = True
    while phrase and changed:
        changed = False
        for verb in sorted(lex.verbs, key=len, reverse=True):
            if phrase.endswith(verb):
                phrase, changed = phrase[: -len(verb)].rstrip(), True
                break
    return phrase


def _clause_head(text: str, start: int, floor: int) -> str:
    """The clause before a number, verbs kept (新增项目): context for a metric too generic to compare."""
    head = text[floor:start]
    for i in range(len(head) - 1, -1, -1):
        if head[i] in PHRASE_END:
            head = head[i + 1 :]
            break
    return head.strip().removeprefix("的")


def _metric(text: str, m: re.Match[str], floor: int, unit: Unit, lex: Lexicon) -> str | None:
    end = m.end()
    after = _phrase_after(text, end, lex)
    qualifies_next = text[end : end + 1] == "的" and bool(after)
    before = _phrase_before(text, m.start(), floor, lex)
    after_first = unit.kind == "count" or qualifies_next
    metric = (after or before) if after_first else (before or after)
    if metric and metric == before and metric in lex.generic:
        metric = _clause_head(text, m.start(), floor)  # bare 项目 / 投资 cannot be compared: keep verb and clause
    return metric or None


def _comparator_before(text: str, start: int, floor: int, lex: Lexicon) -> tuple[str, int] | None:
    """A comparator word a few characters before the number, with only a verb between (至少形成1项)."""
    head = text[max(floor, start - len(max(lex.before, key=len)) - VERB_GAP) : start]
    best: tuple[str, int] | None = None
    for word, comparator in lex.before.items():
        i = head.rfind(word)
        gap = head[i + len(word) :] if i != -1 else ""
        if i != -1 and len(gap) <= VERB_GAP and not any(ch in PHRASE_END or ch.isdigit() for ch in gap):
            pos = start - len(head) + i
            if best is None or pos > best[1]:
                best = (comparator, pos)
    return best


def text_to_targets(text: str) -> list[ParsedTarget]:
    """Every quantitative target printed in ``text``, in reading order."""
    lex = load_lexicon()
    norm = text.translate(FULLWIDTH)
    found: list[ParsedTarget] = []
    floor = 0
    for m in lex.pattern.finditer(norm):
        if _rejected(norm, m, lex):
            continue
        num = m.group("num")
        if num[0].isdigit():
            amount = Decimal(num.replace(",", ""))
        else:
            parsed = chinese_to_number(num)
            if not parsed:
                continue
            amount = Decimal(parsed)
        unit = lex.units[m.group("unit")]
        comparator, raw_start = "=", m.start()
        if m.group("pre"):
            comparator = lex.before[m.group("pre")]
        elif gapped := _comparator_before(norm, m.start(), floor, lex):
            comparator, raw_start = gapped
        if m.group("post"):
            comparator = lex.after[m.group("post")]
        found.append(
            ParsedTarget(
                metric=_metric(norm, m, floor, unit, lex),
                comparator=comparator,
                value=float(amount * unit.multiplier),
                unit=unit.base_unit,
                raw=text[raw_start : m.end()],
                start=raw_start,
                end=m.end(),
                kind=unit.kind,
                context=_phrase_before(norm, m.start(), floor, lex),
            )
        )
        floor = m.end()
    return _qualify_generic(norm, _merge_thresholds(norm, text, found), lex)


def _qualify_generic(norm: str, found: list[ParsedTarget], lex: Lexicon) -> list[ParsedTarget]:
    """A metric still bare (投资) after a target of the same sentence takes that target's metric as its
    subject: 形成合同协议项目40个以上，投资800亿元以上 → 合同协议项目投资."""
    out: list[ParsedTarget] = []
    for t in found:
        prev = out[-1] if out else None
        same_sentence = prev is not None and not any(ch in SENTENCE_END for ch in norm[prev.end : t.start])
        if t.metric in lex.generic and prev is not None and prev.metric and same_sentence \
                and prev.metric not in lex.generic:
            t = replace(t, metric=f"{prev.metric}{t.metric}")
        out.append(t)
    return out


def _threshold_noun(norm: str, measure: ParsedTarget, count: ParsedTarget) -> str | None:
    """The noun between a measure with a comparator and a count right after it (10亿元以上[项目]至少1个),
    or None when the two are not one threshold-and-count target."""
    if measure.kind != "measure" or count.kind != "count" or measure.comparator == "=":
        return None
    between = norm[measure.end : count.start]
    noun = between.removeprefix("的")
    if not noun or len(noun) > THRESHOLD_NOUN or any(ch in PHRASE_END or ch.isdigit() for ch in noun):
        return None
    return between


def _merge_thresholds(norm: str, text: str, found: list[ParsedTarget]) -> list[ParsedTarget]:
    """签约落地投资额10亿元以上项目至少1个 is a count of projects with a condition, not a total of 10亿元:
    one target ≥ 1 个 whose metric carries the condition (签约落地投资额10亿元以上项目)."""
    out: list[ParsedTarget] = []
    k = 0
    while k < len(found):
        measure = found[k]
        count = found[k + 1] if k + 1 < len(found) else None
        noun = _threshold_noun(norm, measure, count) if count else None
        if count is None or noun is None:
            out.append(measure)
            k += 1
            continue
        metric = f"{measure.context}{text[measure.start:measure.end]}{noun}"
        out.append(ParsedTarget(metric=metric, comparator=count.comparator, value=count.value, unit=count.unit,
                                raw=text[measure.start : count.end], start=measure.start, end=count.end,
                                kind=count.kind))
        k += 2
    return out


def amount_text(value: float, unit: str | None) -> str:
    """1000000000, 元 → 10亿元; 50000, 元 → 5万元; 300, 个 → 300个: the largest unit of ``data/units.csv`` with
    the same base in which the amount is a whole number of at most two decimals."""
    lex = load_lexicon()
    best = f"{format_number(value)}{unit or ''}"
    scales = sorted((u for u in lex.units.values() if u.base_unit == unit and u.multiplier > 1
                     and u.unit.startswith(("万", "亿"))), key=lambda u: u.multiplier, reverse=True)
    for scale in scales:
        scaled = Decimal(str(value)) / scale.multiplier
        if scaled >= 1 and scaled == scaled.quantize(Decimal("0.01")):
            return f"{format_number(float(scaled))}{scale.unit}"
    return best


def indicators_to_targets(indicators: list[Indicator]) -> list[Indicator]:
    """Copies of ``indicators`` with ``targets`` parsed from each item."""
    out = []
    for ind in indicators:
        targets = [
            Target(
                seq=ind.seq,
                code=ind.code,
                metric=t.metric,
                comparator=t.comparator,  # type: ignore[arg-type]
                value=t.value,
                unit=t.unit,
                raw=t.raw,
            )
            for t in text_to_targets(ind.item)
        ]
        out.append(ind.model_copy(update={"targets": targets}))
    return out
