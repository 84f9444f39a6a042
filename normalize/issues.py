"""How findings are built: one Issue constructor and the indicator reference every finding uses.

It sits below every step, so a step that raises findings (references, people, checks …) imports this
module and never a later step's.
"""

from __future__ import annotations

from kaoping.schema.models import Indicator, Issue, Severity


def indicator_ref(ind: Indicator) -> str:
    """The indicator's code, or "#seq" when none is printed."""
    return ind.code or f"#{ind.seq}"


def _location(ind: Indicator) -> dict[str, int | None]:
    src = ind.source
    return {
        "page": src.pages[0] if src.pages else None,
        "line": src.lines[0] if src.lines else None,
        "row": src.rows[0] if src.rows else None,
    }


def issue_at(ind: Indicator, severity: Severity, kind: str, message: str, code: str | None = None) -> Issue:
    """An Issue located at an indicator's source row."""
    return Issue(severity=severity, kind=kind, message=message, code=code or indicator_ref(ind), **_location(ind))
