"""The library API the CLI is a thin layer over."""

from __future__ import annotations

from pathlib import Path

from kaoping.normalize.pipeline import path_to_document
from kaoping.schema.limits import Limits, using_limits
from kaoping.schema.models import NoticeDocument


def extract(path: Path | str, aliases: dict[str, str] | None = None, limits: Limits | None = None) -> NoticeDocument:
    """Read one notice (PDF, DOCX or text) and return its full document (indicators, references, issues…).

    ``limits`` (default: the current ones, normally :class:`Limits`' defaults) bounds what the file may
    hold; input beyond a limit raises :class:`kaoping.schema.limits.LimitError` (an InputError, exit 3).
    """
    with using_limits(limits):
        return path_to_document(path, aliases)


def summary(doc: NoticeDocument) -> dict[str, float | int]:
    sev = {s: sum(1 for i in doc.issues if i.severity == s) for s in ("error", "warning", "info")}
    total = sum(i.weight or 0 for i in doc.indicators)
    return {"indicators": len(doc.indicators), "weight_total": round(total, 4), "references": len(doc.references),
            "errors": sev["error"], "warnings": sev["warning"], "info": sev["info"]}
