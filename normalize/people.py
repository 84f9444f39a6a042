"""The accountability map: a roster of departments and owners, name variants, alias files.

The roster is built from the notice itself: for each 责任部门, the 责任人 seen on rows that
pair exactly one department with exactly one owner. Everything that disagrees with it is a
warning; nothing is corrected unless the analyst supplies an alias file (variant → canonical; it is
read by :mod:`kaoping.aliases` at the edge and arrives here as a mapping).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict

from kaoping.normalize.issues import indicator_ref, issue_at
from kaoping.schema.models import Indicator, Issue, Person

log = logging.getLogger(__name__)

MIN_LEADER_VARIANT_LENGTH = 3  # two-character leader names one character apart are too often two people


# ---------------------------------------------------------------- aliases


def apply_aliases(indicators: list[Indicator], aliases: dict[str, str]) -> list[Indicator]:
    """Canonical names in leaders/owners; the printed ones kept in leaders_printed/owners_printed."""
    out: list[Indicator] = []
    for ind in indicators:
        leaders_printed = ind.leaders_printed or list(ind.leaders)
        owners_printed = ind.owners_printed or list(ind.owners)
        out.append(ind.model_copy(update={
            "leaders": [aliases.get(n, n) for n in leaders_printed],
            "owners": [aliases.get(n, n) for n in owners_printed],
            "leaders_printed": leaders_printed,
            "owners_printed": owners_printed,
        }))
    return out


# ---------------------------------------------------------------- roster


def one_char_apart(a: str, b: str) -> bool:
    """Same length, exactly one character different."""
    return len(a) == len(b) and len(a) >= 2 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _variant_map(names: list[str], counts: Counter[str], min_length: int = 2) -> dict[str, str]:
    """Among names (first-seen order), map each less frequent spelling to the more frequent one
    it is one character apart from. Ties go to the spelling seen first."""
    order = sorted(names, key=lambda n: (-counts[n], names.index(n)))
    canonicals: list[str] = []
    mapping: dict[str, str] = {}
    for name in order:
        match = next((c for c in canonicals if len(name) >= min_length and one_char_apart(c, name)), None)
        if match is None:
            canonicals.append(name)
        else:
            mapping[name] = match
    return mapping


class Roster:
    """Departments → owners, owner spelling variants per department, and where each pair was seen."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.owner_counts: Counter[str] = Counter(n for ind in indicators for n in ind.owners)
        self.pair_rows: dict[tuple[str, str], list[Indicator]] = defaultdict(list)
        singles: dict[str, list[str]] = defaultdict(list)
        for ind in indicators:
            if len(ind.departments) == len(ind.owners):
                for dept, name in zip(ind.departments, ind.owners, strict=True):
                    self.pair_rows[(dept, name)].append(ind)
            if len(ind.departments) == 1 and len(ind.owners) == 1:
                singles[ind.departments[0]].append(ind.owners[0])
        by_dept: dict[str, list[str]] = defaultdict(list)
        for dept, name in self.pair_rows:
            by_dept[dept].append(name)
        self.variants: dict[tuple[str, str], str] = {}
        for dept, names in by_dept.items():
            for variant, canonical in _variant_map(names, self.owner_counts).items():
                self.variants[(dept, variant)] = canonical
        self.owners: dict[str, list[str]] = {}
        for dept, names in singles.items():
            canon = [self.canonical(dept, n) for n in names]
            self.owners[dept] = sorted(set(canon), key=lambda n: (-canon.count(n), canon.index(n)))

    def canonical(self, dept: str, name: str) -> str:
        return self.variants.get((dept, name), name)

    def departments_of(self, name: str) -> list[str]:
        return [d for d, names in self.owners.items() if name in names]

    def fits(self, dept: str, name: str) -> bool:
        """True when the roster has name for dept, or knows nothing about dept."""
        return dept not in self.owners or self.canonical(dept, name) in self.owners[dept]


def _variant_issues(roster: Roster) -> list[Issue]:
    issues: list[Issue] = []
    for (dept, variant), canonical in roster.variants.items():
        rows = roster.pair_rows[(dept, variant)]
        codes = ", ".join(indicator_ref(i) for i in rows)
        message = (f"责任人 {variant} ({dept}; {codes}) differs by one character from {canonical}, "
                   f"the {dept} owner named on {roster.owner_counts[canonical]} rows; not corrected")
        issues.append(issue_at(rows[0], "warning", "name_variant", message))
    return issues


def _leader_variant_issues(indicators: list[Indicator]) -> tuple[dict[str, str], list[Issue]]:
    counts: Counter[str] = Counter(n for ind in indicators for n in ind.leaders)
    mapping = _variant_map(list(counts), counts, MIN_LEADER_VARIANT_LENGTH)
    issues: list[Issue] = []
    for variant, canonical in mapping.items():
        rows = [i for i in indicators if variant in i.leaders]
        codes = ", ".join(indicator_ref(i) for i in rows)
        message = (f"分管领导 {variant} ({codes}) differs by one character from {canonical}, "
                   f"named on {counts[canonical]} rows; not corrected")
        issues.append(issue_at(rows[0], "warning", "name_variant", message))
    return mapping, issues


def _count_issue(ind: Indicator) -> Issue:
    message = (f"{indicator_ref(ind)} names {len(ind.departments)} departments ({'、'.join(ind.departments)}) "
               f"but {len(ind.owners)} owners ({'、'.join(ind.owners)}); they cannot be paired")
    return issue_at(ind, "warning", "owner_count", message)


def _matching(allowed: list[list[bool]]) -> list[int] | None:
    """A perfect matching rows → columns in a boolean grid (augmenting paths), or None."""
    match_of_col: dict[int, int] = {}

    def assign(row: int, visited: set[int]) -> bool:
        for col, ok in enumerate(allowed[row]):
            if ok and col not in visited:
                visited.add(col)
                if col not in match_of_col or assign(match_of_col[col], visited):
                    match_of_col[col] = row
                    return True
        return False

    if not all(assign(r, set()) for r in range(len(allowed))):
        return None
    result = [0] * len(allowed)
    for col, row in match_of_col.items():
        result[row] = col
    return result


def _order_issue(ind: Indicator, roster: Roster) -> Issue | None:
    depts, names = ind.departments, ind.owners
    bad = [k for k, (d, n) in enumerate(zip(depts, names, strict=True)) if not roster.fits(d, n)]
    if not bad:
        return None
    wrong = "、".join(f"{depts[k]} with {names[k]}" for k in bad)
    expected = "、".join(f"{depts[k]} → {'/'.join(roster.owners[depts[k]])}" for k in bad)
    allowed = [[roster.fits(d, n) for n in names] for d in depts]
    if _matching(allowed) is not None:
        message = (f"{indicator_ref(ind)} pairs {wrong}, but the roster has {expected}; "
                   f"the owners seem listed in a different order than the departments")
        return issue_at(ind, "warning", "owner_order", message)
    if any(roster.departments_of(roster.canonical(depts[k], names[k])) for k in bad):
        message = f"{indicator_ref(ind)} pairs {wrong}, but the roster has {expected}"
        return issue_at(ind, "warning", "owner_department", message)
    return None


def _people(indicators: list[Indicator], roster: Roster, leader_variants: dict[str, str]) -> list[Person]:
    people: dict[tuple[str, str], Person] = {}

    def person(name: str, role: str) -> Person:
        key = (role, name)
        if key not in people:
            people[key] = Person(name=name, role=role)  # type: ignore[arg-type]
        return people[key]

    owner_variants = {variant: canonical for (_, variant), canonical in roster.variants.items()}
    for ind in indicators:
        ref = indicator_ref(ind)
        sole_leader = len(ind.leaders) == 1
        for name in ind.leaders:
            p = person(leader_variants.get(name, name), "leader")
            _add(p.codes, ref)
            if name != p.name:
                _add(p.variants, name)
            if sole_leader:
                for dept in ind.departments:
                    _add(p.departments, dept)
        for printed, name in _printed_pairs(ind.leaders_printed, ind.leaders):
            _add(person(leader_variants.get(name, name), "leader").variants, printed)
        paired = len(ind.departments) == len(ind.owners)
        for printed, name in _printed_pairs(ind.owners_printed, ind.owners):
            _add(person(owner_variants.get(name, name), "owner").variants, printed)
        for k, name in enumerate(ind.owners):
            canonical = roster.canonical(ind.departments[k], name) if paired else owner_variants.get(name, name)
            p = person(canonical, "owner")
            _add(p.codes, ref)
            if name != canonical:
                _add(p.variants, name)
            if paired and roster.fits(ind.departments[k], name):
                _add(p.departments, ind.departments[k])
    for p in people.values():
        if p.role == "owner" and not p.departments:
            p.departments = roster.departments_of(p.name)
    leaders = [p for (role, _), p in people.items() if role == "leader"]
    owners = [p for (role, _), p in people.items() if role == "owner"]
    return leaders + owners


def _printed_pairs(printed: list[str], names: list[str]) -> list[tuple[str, str]]:
    """(printed, canonical) where an alias file changed a name."""
    if len(printed) != len(names):
        return []
    return [(p, n) for p, n in zip(printed, names, strict=True) if p != n]


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def indicators_to_people(indicators: list[Indicator]) -> tuple[list[Person], list[Issue]]:
    """Person records (leaders then owners, in order of first appearance) and the people findings:
    one-character spelling variants, department/owner count mismatches, owners listed out of order."""
    roster = Roster(indicators)
    issues = _variant_issues(roster)
    leader_variants, leader_issues = _leader_variant_issues(indicators)
    issues.extend(leader_issues)
    any_owners = any(ind.owners for ind in indicators)
    for ind in indicators:
        if len(ind.departments) != len(ind.owners):
            if any_owners and ind.departments:
                issues.append(_count_issue(ind))
        elif len(ind.departments) > 1:
            found = _order_issue(ind, roster)
            if found is not None:
                issues.append(found)
    log.debug("people: roster of %d departments, %d findings", len(roster.owners), len(issues))
    return _people(indicators, roster, leader_variants), issues
