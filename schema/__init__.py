"""kaoping's dataset contract: pydantic models, the raw document model, errors, Arrow schemas.

Names are resolved on first use (PEP 562), so importing ``kaoping.schema.errors`` — as the CLI does before it
knows what it will run — does not pay for building the pydantic models.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    **dict.fromkeys(["InputError", "KaopingError", "OutputError", "UsageError"], "errors"),
    **dict.fromkeys(["SCHEMA_VERSION", "Accounting", "BodyPart", "Citation", "Indicator", "Issue", "Notice",
                     "NoticeDocument", "Person", "Reference", "Role", "Source", "Step", "Target", "TotalRow"], "models"),
    **dict.fromkeys(["RawCell", "RawDocument", "RawParagraph", "RawRow", "RawTable", "SourceInfo"], "raw"),
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)


__all__ = [
    "SCHEMA_VERSION",
    "Accounting",
    "BodyPart",
    "Citation",
    "Indicator",
    "InputError",
    "Issue",
    "KaopingError",
    "Notice",
    "NoticeDocument",
    "OutputError",
    "Person",
    "RawCell",
    "RawDocument",
    "RawParagraph",
    "RawRow",
    "RawTable",
    "Reference",
    "Role",
    "Source",
    "SourceInfo",
    "Step",
    "Target",
    "TotalRow",
    "UsageError",
]
