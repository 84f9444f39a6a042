"""The views rebuilt from the dataset at the end of a run: ``_manifest.json`` (every notice, source, failure,
copy and skipped file), ``dataset.xlsx`` (the analyst's workbook) and ``csv/<table>.csv``.

They are derived, never the truth (that is ``_state/`` and the tables): a run killed before it rewrote them
leaves them stale, and the next run rewrites them (``_state/views-stale`` says so)."""

from __future__ import annotations

from pathlib import Path

from kaoping.features.dataset import store
from kaoping.features.dataset.tables import ALL_TABLES, read_dataset_table
from kaoping.schema.errors import OutputError

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


def write_book_and_csv(dataset: Path, jobs: int = 1) -> None:
    """Rebuild ``dataset.xlsx`` and ``csv/<table>.csv`` from the tables (each file replaced atomically).

    With two or more jobs the workbook is built in a forked process while this one writes the CSVs: the
    end of a run is then not one core's work while the others idle."""
    from kaoping.writers.dataset_book import dataset_to_csv

    tables = {name: read_dataset_table(dataset, name) for name in ALL_TABLES}
    present = {name: t for name, t in tables.items() if t is not None}
    child = None
    if jobs > 1:
        import multiprocessing

        child = multiprocessing.get_context("fork").Process(target=_book_child, args=(dataset, present), daemon=True)
        child.start()
    else:
        _write_book(dataset, present)
    for name, table in present.items():
        store.write_atomic(dataset, f"{CSV_DIR}/{name}.csv", dataset_to_csv(name, table))
    for name in set(ALL_TABLES) - set(present):
        (dataset / CSV_DIR / f"{name}.csv").unlink(missing_ok=True)
    if child is not None:
        child.join()
        if child.exitcode:
            raise OutputError(f"cannot write {BOOK} (status {child.exitcode})", str(dataset))


def _book_child(dataset: Path, tables: dict) -> None:
    """The forked workbook writer: its status is the only thing it reports (the parent names the error)."""
    import os

    try:
        _write_book(dataset, tables)
    except BaseException:
        os._exit(4)
    os._exit(0)


def _write_book(dataset: Path, tables: dict) -> None:
    from kaoping.writers.dataset_book import dataset_to_xlsx

    store.write_atomic(dataset, BOOK, dataset_to_xlsx(tables))
