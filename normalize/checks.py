"""Data-quality checks on built indicators: the scoring arithmetic and the code structure.

A notice is a scoring scheme, so its numbers must add up at every level: items → 一级指标,
items → printed group points, items → category points and its 合计 row, everything → the
grand total row. Findings are returned as :class:`schema.models.Issue` records; nothing is
corrected. People checks live in :mod:`normalize.people`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kaoping.normalize.issues import indicator_ref, issue_at
from kaoping.normalize.textfold import CODE_RE, fold_code, format_number
from kaoping.schema.models import Indicator, Issue, TotalRow
from kaoping.schema.vocabulary import level_depth

log = logging.getLogger(__name__)

TOLERANCE = 1e-6
LABEL_WIDTH = 12


@dataclass
class Subtotal:
    """One level of the hierarchy with its printed points and the sum of its items' weights."""

    level: str  # "level1" | "group" | "category" | "total_row" | "grand_total"
    label: str
    printed: float | None
    items: list[Indicator] = field(default_factory=list)
    total: TotalRow | None = None

    @property
    def weight_sum(self) -> float:
        return sum(i.weight for i in self.items if i.weight is not None)

    @property
    def complete(self) -> bool:
        """True when every item has a weight, so the sum means something."""
        return all(i.weight is not None for i in self.items)

    @property
    def ok(self) -> bool | None:
        """None when there is nothing to compare."""
        if self.printed is None or not self.complete:
            return None
        return points_equal(self.weight_sum, self.printed)


def points_equal(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


format_points = format_number


def shorten(text: str | None, width: int = LABEL_WIDTH) -> str:
    text = (text or "").strip()
    return text if len(text) <= width else text[:width] + "…"


# ---------------------------------------------------------------- hierarchy


def level1_blocks(indicators: list[Indicator]) -> list[Subtotal]:
    """The 一级指标 blocks: coded ones by (category, level1_code); uncoded ones by consecutive rows
    with the same category, group and level-1 text. Rows with neither level-1 text nor level-1
    points (a row that is its own level-1, or a group item) are not in any block."""
    blocks: list[Subtotal] = []
    by_code: dict[tuple[str | None, str], Subtotal] = {}
    previous: Subtotal | None = None
    previous_key: tuple[str | None, str | None, str] | None = None
    for ind in indicators:
        if not ind.level1 and ind.level1_points is None:
            previous, previous_key = None, None  # a row that is its own level-1 (1-17 style)
        elif ind.level1_code:
            key = (ind.category, ind.level1_code)
            block = by_code.get(key)
            if block is None:
                label = f"{ind.level1_code} {shorten(ind.level1)}".strip()
                block = Subtotal("level1", label, ind.level1_points)
                by_code[key] = block
                blocks.append(block)
            block.items.append(ind)
            previous, previous_key = None, None
        elif ind.level1:
            key3 = (ind.category, ind.group, ind.level1)
            if previous is None or key3 != previous_key:
                previous = Subtotal("level1", shorten(ind.level1), ind.level1_points)
                previous_key = key3
                blocks.append(previous)
            previous.items.append(ind)
    return blocks


def group_subtotals(indicators: list[Indicator]) -> list[Subtotal]:
    """Groups (by category and group name) in order of appearance, printed points if any."""
    groups: dict[tuple[str | None, str], Subtotal] = {}
    for ind in indicators:
        if not ind.group:
            continue
        key = (ind.category, ind.group)
        if key not in groups:
            groups[key] = Subtotal("group", ind.group, None)
        sub = groups[key]
        if sub.printed is None and ind.group_points is not None:
            sub.printed = ind.group_points
        sub.items.append(ind)
    return list(groups.values())


def category_subtotals(indicators: list[Indicator], totals: Iterable[TotalRow] = ()) -> list[Subtotal]:
    """Categories in order of appearance with printed points and their 合计 row, if any."""
    cats: dict[str | None, Subtotal] = {}
    for ind in indicators:
        if ind.category not in cats:
            cats[ind.category] = Subtotal("category", ind.category or "", None)
        sub = cats[ind.category]
        if sub.printed is None and ind.category_points is not None:
            sub.printed = ind.category_points
        sub.items.append(ind)
    for row in totals:
        if row.level != "category" or row.category is None:
            continue
        if row.category in cats and cats[row.category].total is None:
            cats[row.category].total = row
    return list(cats.values())


# ---------------------------------------------------------------- arithmetic


def _sum_issue(sub: Subtotal, what: str, printed_text: str) -> Issue:
    message = f"{what}: item weights sum to {format_points(sub.weight_sum)} but {printed_text} is printed"
    first = sub.items[0]
    issue = issue_at(first, "error", f"{sub.level}_sum", message)
    if sub.level == "level1":
        return issue.model_copy(update={"code": first.level1_code or indicator_ref(first)})
    return issue.model_copy(update={"code": None})


#: how a finding names a level, unless the table prints the level under a level label of its own (三级指标 …)
LEVEL_NAMES = {"level1": "一级指标", "group": "group", "category": "category"}


def level_names(printed: dict[str, str] | None = None) -> dict[str, str]:
    """:data:`LEVEL_NAMES`, a level the header labels as an indicator level (一级指标, 二级指标 …) named so: in a
    三级指标 table the level-1 field holds the 二级指标, and a finding says 二级指标."""
    names = dict(LEVEL_NAMES)
    for name, header in (printed or {}).items():
        leaf = header.split(" / ")[-1]
        if name in names and level_depth(leaf):
            names[name] = leaf
    return names


def arithmetic_issues(indicators: list[Indicator], totals: list[TotalRow],
                      names: dict[str, str] | None = None) -> list[Issue]:
    """Points and totals at every level, one rule each: printed points vs item weights (level-1, group,
    category), then printed 小计/合计/得分 rows vs the weights they close; ``names``: :func:`level_names`."""
    names = names or LEVEL_NAMES
    return [*level1_sum_issues(indicators, names["level1"]), *group_sum_issues(indicators, names["group"]),
            *category_sum_issues(indicators, totals, names["category"]),
            *group_total_row_issues(indicators, totals), *other_total_row_issues(indicators, totals)]


def _points_issues(subtotals: list[Subtotal], what: str) -> list[Issue]:
    return [_sum_issue(s, f"{what}{s.label}", f"{format_points(s.printed)}分")
            for s in subtotals if s.ok is False and s.printed is not None]


def level1_sum_issues(indicators: list[Indicator], name: str = LEVEL_NAMES["level1"]) -> list[Issue]:
    """A 一级指标's printed points differ from its items' weights."""
    return _points_issues(level1_blocks(indicators), f"{name} ")


def group_sum_issues(indicators: list[Indicator], name: str = LEVEL_NAMES["group"]) -> list[Issue]:
    """A group's printed points differ from its items' weights."""
    return _points_issues(group_subtotals(indicators), f"{name} ")


def category_sum_issues(indicators: list[Indicator], totals: list[TotalRow],
                        name: str = LEVEL_NAMES["category"]) -> list[Issue]:
    """A category's printed points, and the 合计 row that closes it, against its items' weights."""
    issues: list[Issue] = []
    for cat in category_subtotals(indicators, totals):
        issues.extend(_points_issues([cat], f"{name} "))
        row = cat.total
        if row is not None and row.value is not None and cat.complete and cat.items \
                and not points_equal(cat.weight_sum, row.value):
            issues.append(_total_issue(row, cat.weight_sum, f"{row.label} row of {cat.label}"))
    return issues


def group_total_row_issues(indicators: list[Indicator], totals: list[TotalRow]) -> list[Issue]:
    """A 小计 row against the weights of the group it closes."""
    issues: list[Issue] = []
    for group in group_subtotals(indicators):
        key = (group.items[0].category, group.label) if group.items else None
        row = next((t for t in totals if t.level == "group" and (t.category, t.group) == key), None)
        if row is not None and row.value is not None and group.complete and group.items \
                and not points_equal(group.weight_sum, row.value):
            issues.append(_total_issue(row, group.weight_sum, f"{row.label} row of group {group.label}"))
    return issues


def other_total_row_issues(indicators: list[Indicator], totals: list[TotalRow]) -> list[Issue]:
    """A 合计 row naming a category without items; a grand total (得分/总分) against every weight."""
    categories = {i.category for i in indicators}
    weights_known = all(i.weight is not None for i in indicators)
    grand = sum(i.weight for i in indicators if i.weight is not None)
    issues: list[Issue] = []
    for row in totals:
        if row.level == "group":
            continue
        if row.level == "grand" and row.category is not None:
            row = row.model_copy(update={"category": None})
        if row.category is not None and row.category not in categories:
            issues.append(Issue(severity="warning", kind="total_row_unmatched",
                                message=f"{row.label} row names category {row.category!r}, which has no items",
                                page=row.page, line=row.line, row=row.row))
        elif row.category is None and row.value is not None and weights_known and indicators \
                and not points_equal(grand, row.value):
            issues.append(_total_issue(row, grand, f"grand total row {row.label}"))
    return issues


def _total_issue(row: TotalRow, weight_sum: float, what: str) -> Issue:
    kind = "total_row_sum" if row.category is not None else "grand_total_sum"
    message = (
        f"{what}: item weights sum to {format_points(weight_sum)} "
        f"but {format_points(row.value or 0.0)} is printed"
    )
    return Issue(severity="error", kind=kind, message=message, page=row.page, line=row.line, row=row.row)


# ---------------------------------------------------------------- structure


def parse_code(code: str | None) -> tuple[int, ...] | None:
    """"1-2-1" → (1, 2, 1); None for anything that is not dash-separated numbers."""
    if not code:
        return None
    code = fold_code(code) or code.strip()
    if not (CODE_RE.match(code) or code.isdigit()):
        return None
    return tuple(int(p) for p in code.split("-"))


def _code_key(ind: Indicator) -> tuple:
    """A dashed code is unique in the notice; a printed ordinal (1. 2. …) restarts under each category and
    group, so it is unique only there."""
    return (ind.code,) if CODE_RE.match(ind.code or "") else (ind.category, ind.group, ind.code)


def structure_issues(indicators: list[Indicator]) -> list[Issue]:
    issues: list[Issue] = []
    first_by_code: dict[tuple, Indicator] = {}
    prints_deadlines = any((i.deadline or "").strip() for i in indicators)  # a table without 完成时限 has none
    for ind in indicators:
        if ind.code:
            key = _code_key(ind)
            if key in first_by_code:
                issues.append(issue_at(ind, "error", "duplicate_code",
                                       f"code {ind.code} is used again (first at #{first_by_code[key].seq})"))
            else:
                first_by_code[key] = ind
        if ind.weight is None:
            issues.append(issue_at(ind, "error", "missing_weight", f"{indicator_ref(ind)} has no weight"))
        if not (ind.deadline or "").strip() and prints_deadlines:
            issues.append(issue_at(ind, "error", "missing_deadline", f"{indicator_ref(ind)} has no deadline"))
        elif (ind.deadline or "").strip() and ind.deadline_date is None:  # none printed: nothing to read
            issues.append(issue_at(ind, "warning", "deadline_unparsed",
                                   f"{indicator_ref(ind)}: deadline {ind.deadline!r} could not be read as a date"))
        if ind.code_inferred:
            issues.append(issue_at(ind, "info", "code_inferred",
                                   f"code {indicator_ref(ind)} is not printed; it was inferred from its neighbours"))
    issues.extend(sequence_issues(indicators))
    return issues


def sequence_issues(indicators: list[Indicator]) -> list[Issue]:
    """Within each parent code (1 for 1-1…1-17, 1-1 for 1-1-1, 1-1-2), children must run 1, 2, 3…
    in order of appearance: a missing number is a gap, a number lower than or equal to the one
    before is a jump. Top-level numbers are not checked (uncoded blocks may sit between them)."""
    children: dict[tuple[int, ...], list[tuple[int, Indicator]]] = defaultdict(list)
    seen: set[tuple[int, ...]] = set()
    for ind in indicators:
        for code in (ind.level1_code, ind.code):
            parts = parse_code(code)
            if parts is None:
                continue
            for depth in range(2, len(parts) + 1):
                prefix = parts[:depth]
                if prefix not in seen:
                    seen.add(prefix)
                    children[prefix[:-1]].append((prefix[-1], ind))
    found: list[tuple[int, Issue]] = []
    for parent, kids in children.items():
        name = "-".join(map(str, parent))
        expected = 1
        for number, ind in kids:
            child = f"{name}-{number}"
            if number > expected:
                missing = ", ".join(f"{name}-{n}" for n in range(expected, number))
                where = f"follows {name}-{expected - 1}" if expected > 1 else f"is the first under {name}"
                found.append((ind.seq, issue_at(ind, "warning", "code_gap", f"{child} {where}: {missing} missing",
                                                child)))
            elif number < expected:
                found.append((ind.seq, issue_at(ind, "warning", "code_jump",
                                                f"{child} comes after {name}-{expected - 1}: numbers go backwards",
                                                child)))
            expected = max(expected, number + 1)
    return [issue for _, issue in sorted(found, key=lambda pair: pair[0])]


# ---------------------------------------------------------------- entry point


def indicators_to_check_issues(indicators: list[Indicator], totals: list[TotalRow],
                               printed: dict[str, str] | None = None) -> list[Issue]:
    """Arithmetic and structure findings, in that order; ``printed``: field → the header its column printed
    (the notice's columns), for naming levels. People findings come from
    :func:`normalize.people.indicators_to_people`."""
    issues = arithmetic_issues(indicators, totals, level_names(printed)) + structure_issues(indicators)
    log.debug("checks: %d findings on %d indicators", len(issues), len(indicators))
    return issues
