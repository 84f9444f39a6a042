"""The views rebuilt from the dataset at the end of a run: ``_manifest.json`` (every notice, source, failure,
copy and skipped file), ``dataset.xlsx`` (the analyst's workbook) and ``csv/<table>.csv``.

They are derived, never the truth (that is ``_state/`` and the tables): a run killed before it rewrote them
leaves them stale, and the next run rewrites them (``_state/views-stale`` says so)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from kaoping.features.dataset import store
from kaoping.features.dataset.tables import (
    ALL_TABLES,
    DATASET_TABLES,
    SOURCES_TABLE,
    conform,
    dataset_schema,
    read_dataset_table,
    table_file,
)

MANIFEST_VERSION = 2
BOOK, CSV_DIR = "dataset.xlsx", "csv"


def state_to_manifest(notices: dict[str, dict], failed: dict[str, dict], skipped: list[tuple[str, str]]) -> dict:
    """The manifest: a readable summary of the state (``skipped`` is the last run's)."""
    from kaoping.features.dataset.run import entry_held

    sources, duplicates, summary = {}, {}, {}
    for notice_id, entry in sorted(notices.items()):
        held = entry_held(entry)
        summary[notice_id] = {"primary": entry["primary"], "stem": entry["stem"], "year": entry["year"],
                              "held": sorted(held)}
        for sha, rec in entry["sources"].items():
            sources[sha] = {**rec, "notice_id": notice_id}
            if rec.get("copies"):
                duplicates[sha] = [rec["file"], *rec["copies"]]
    return {"version": MANIFEST_VERSION, "notices": summary, "sources": sources, "duplicates": duplicates,
            "failed": failed, "skipped": [{"file": name, "reason": reason} for name, reason in skipped]}


def notice_fragments(dataset: Path, notices: dict[str, dict]) -> list[dict]:
    """Every notice's share of the views in (year, notice) order — the tables' order. A notice without one (a
    dataset from before them), or with one rendered under another contract (a notice an older kaoping
    ingested: its columns differ), has it rebuilt from its Parquet files, conformed to the current contract,
    and kept for the next run."""
    from kaoping.schema.models import SCHEMA_VERSION

    order = sorted(notices.values(), key=lambda e: (e["year"] is None, e["year"] or 0, f"{e['stem']}.parquet"))
    fragments = []
    for entry in order:
        rel = f"{store.VIEWS_DIR}/{entry['stem']}.json"
        fragment = json.loads((dataset / rel).read_text(encoding="utf-8")) if (dataset / rel).is_file() else None
        if fragment is None or fragment.get("schema_version") != SCHEMA_VERSION:
            fragment = rebuilt_fragment(dataset, entry)
            store.write_atomic(dataset, rel, json.dumps(fragment, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        fragments.append(fragment)
    return fragments


def rebuilt_fragment(dataset: Path, entry: dict) -> dict:
    """A notice's share rendered again from its Parquet files, each table in the current contract's columns."""
    from kaoping.writers.dataset_book import notice_fragment

    tables = {name: conform(pq.ParquetFile(dataset / table_file(name, entry["year"], entry["stem"])).read(),
                            dataset_schema(name))
              for name in DATASET_TABLES if (dataset / table_file(name, entry["year"], entry["stem"])).is_file()}
    return notice_fragment(tables, entry["year"])


def write_book_and_csv(dataset: Path, notices: dict[str, dict]) -> None:
    """Rebuild ``dataset.xlsx`` and ``csv/<table>.csv`` (each file replaced atomically) by concatenating the
    notices' rendered rows: the end of a run costs what the bytes cost, not a second rendering."""
    from kaoping.writers.dataset_book import fragments_to_csv, fragments_to_xlsx, table_to_csv

    fragments = notice_fragments(dataset, notices)
    store.write_atomic(dataset, BOOK, fragments_to_xlsx(fragments))
    for name in ALL_TABLES:
        if name == SOURCES_TABLE:
            table = read_dataset_table(dataset, name)
            data = None if table is None else table_to_csv(name, table)
        else:
            data = fragments_to_csv(name, fragments)
        if data is None:
            (dataset / CSV_DIR / f"{name}.csv").unlink(missing_ok=True)
        else:
            store.write_atomic(dataset, f"{CSV_DIR}/{name}.csv", data)
