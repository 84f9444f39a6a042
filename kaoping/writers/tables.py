"""The tables a notice is written as (one Parquet/CSV/sheet each) and the JSON and Parquet writers.

This module sits below every writer and feature that needs the table list, so none of them imports another.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from kaoping.schema.models import (
    Citation,
    Indicator,
    Issue,
    Notice,
    NoticeDocument,
    Person,
    Reference,
    Target,
    TotalRow,
)

#: table name → (record model, fields left out, how to get the records from a document)
TABLES: dict[str, tuple[type, frozenset[str], Callable[[NoticeDocument], list]]] = {
    "indicators": (Indicator, frozenset({"targets"}), lambda d: d.indicators),
    "references": (Reference, frozenset(), lambda d: d.references),
    "citations": (Citation, frozenset(), lambda d: d.citations),
    "targets": (Target, frozenset(), lambda d: [t for i in d.indicators for t in i.targets]),
    "issues": (Issue, frozenset(), lambda d: d.issues),
    "people": (Person, frozenset(), lambda d: d.people),
    "totals": (TotalRow, frozenset(), lambda d: d.totals),
    "notice": (Notice, frozenset(), lambda d: [d.notice]),
}


def document_to_json(doc: NoticeDocument) -> str:
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def write_parquet(records: list, model: type, exclude: frozenset[str], path: Path) -> None:
    import pyarrow.parquet as pq  # only when Parquet is asked for: --format json stays light

    from kaoping.schema.arrow import records_to_table

    pq.write_table(records_to_table(records, model, exclude), path, compression="zstd")
