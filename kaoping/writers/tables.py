"""The tables a notice is written as (one Parquet/CSV/sheet each) and the JSON and Parquet writers.

This module sits below every writer and feature that needs the table list, so none of them imports another.
"""

from __future__ import annotations

import json
import sys
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


def load_pyarrow_without_numpy() -> None:
    """Load pyarrow with numpy left out, for a process that is kaoping's alone (the console script).

    pyarrow (16 and later) looks numpy up once, when it is imported, and works without it; kaoping builds
    its Arrow tables from JSON and writes Parquet, never handing arrays to numpy, and the files are
    byte-identical either way (tests/test_cli.py). Loading numpy is most of pyarrow's start-up: CPU 0.13-0.17 s
    with it, 0.05 s without (this machine, 2026-11-30), the largest fixed cost of a run. Only a process kaoping
    owns may do this, because pyarrow keeps the choice: a library user's later ``to_pandas()`` would fail.
    Does nothing once numpy or pyarrow is loaded (OCR loads numpy to read the page images).
    """
    if "numpy" in sys.modules or "pyarrow" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" raises ImportError: absent
    try:
        import pyarrow  # noqa: F401
    finally:
        del sys.modules["numpy"]
