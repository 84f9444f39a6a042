"""``kaoping ingest``: many notices → one Hive-partitioned Parquet dataset that DuckDB, pandas and Spark read as is,
plus an Excel workbook and a CSV per table for analysts who do not write code.

Layout and guarantees: :mod:`kaoping.features.dataset.store` (one writer at a time, each notice committed
atomically, recovery at the start of the next run). Which source gives a notice's rows:
:mod:`kaoping.features.dataset.versions`. Workers bounded in time and memory:
:mod:`kaoping.features.dataset.workers`. What is read and what is skipped: :mod:`kaoping.features.dataset.inbox`.

* **Same file again.** A source already in the dataset (same bytes, whatever its name) is not read again; a
  new name for it is listed as a copy. A file that failed is recorded with its reason and not re-read while
  its bytes, kaoping's version and the limits stay the same ("still failing").
* **Exit code.** 0 when nothing new failed in this run, 1 when a file failed for the first time (or an
  input does not exist), 4 when the dataset cannot be written (a full disk included), 2 for bad usage.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from kaoping.features.dataset import store
from kaoping.features.dataset.inbox import collect_inbox, collect_inputs
from kaoping.features.dataset.tables import (
    ALL_TABLES,
    document_to_tables,
    notice_stem,
    table_to_parquet_bytes,
)
from kaoping.features.dataset.versions import (
    IngestedSource,
    choose_primary,
    document_fingerprint,
    document_notice_id,
)
from kaoping.features.dataset.views import BOOK, CSV_DIR
from kaoping.features.dataset.workers import PDF_WORKERS_ENV, Limits, run_pool
from kaoping.schema.errors import KaopingError, OutputError, UsageError
from kaoping.schema.limits import Limits as InputLimits

log = logging.getLogger(__name__)

MANIFEST = store.MANIFEST
MANIFEST_VERSION = 2
DEFAULT_TIMEOUT = 300.0  # s per file: a 105-page PDF takes ~10 s on a busy 2-core machine; 30× headroom
DEFAULT_MEMORY_MIB = 2048  # per worker: peak RSS of a 105-page PDF is ~300 MiB; a bomb stops well before OOM
ALIASES_STATE = f"{store.STATE}/aliases.json"  # which --aliases mapping the dataset's notices were read with
DEFAULT_WAIT = 600.0  # s a second ingest waits for the first one's lock before giving up

__all__ = ["MANIFEST", "IngestedSource", "choose_primary", "collect_inputs", "notice_stem", "run_ingest"]


# ---------------------------------------------------------------- in the worker


def extract_for_dataset(path: str, aliases: dict[str, str] | None = None, limits: InputLimits | None = None) -> dict:
    """Worker: one file → its source record, its tables as Parquet bytes and its summary, or an error."""
    from kaoping.api import extract, summary

    try:
        doc = extract(path, aliases=aliases, limits=limits)
    except KaopingError as exc:
        return {"error": exc.message}
    notice_id = document_notice_id(doc)
    n, s = doc.notice, summary(doc)
    record = {"sha256": n.sha256, "format": n.source_format, "notice_id": notice_id, "notice_year": n.year,
              "date": n.date.isoformat() if n.date else None,
              "print_date": n.print_date.isoformat() if n.print_date else None,
              "fingerprint": document_fingerprint(doc), "indicators": s["indicators"], "errors": s["errors"]}
    from kaoping.writers.dataset_book import notice_fragment

    arrow = document_to_tables(doc, notice_id)
    tables = {name: table_to_parquet_bytes(t) for name, t in arrow.items()}
    fragment = json.dumps(notice_fragment(arrow, n.year), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return {"record": record, "tables": tables, "fragment": fragment, "summary": s, "doc_number": n.doc_number}


def preload_readers() -> None:
    """Import every reader before forking workers, so each worker starts with them loaded (copy-on-write)."""
    from kaoping.extract import REGISTRY

    importlib.import_module("kaoping.normalize.pipeline")
    importlib.import_module("kaoping.writers.xlsx_lite")
    from kaoping.writers.dataset_book import header_labels, value_labels
    from kaoping.writers.labels import labels

    header_labels(), value_labels(), labels()
    for target in sorted(set(REGISTRY.values())):
        try:
            importlib.import_module(target.split(":")[0])
        except ImportError:  # a reader whose optional dependency is missing says so when it is needed
            log.debug("reader %s not preloaded", target, exc_info=True)


# ---------------------------------------------------------------- reporting


class Report(Protocol):
    """Where ingest tells what happens to each file (the CLI shows it; the library default keeps it)."""

    def line(self, text: str) -> None: ...
    def error(self, path: Path | str, reason: str) -> None: ...
    def advance(self) -> None: ...
    def close(self) -> None: ...


class KeptReport:
    """The library default: lines and errors kept in lists, nothing printed."""

    def __init__(self, total: int) -> None:
        self.total, self.lines, self.errors = total, [], []  # type: list[str]

    def line(self, text: str) -> None:
        self.lines.append(text)

    def error(self, path: Path | str, reason: str) -> None:
        self.errors.append(f"{path}: {reason}")

    def advance(self) -> None:
        pass

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- the dataset folder


def check_dataset_folder(out: Path) -> None:
    """Refuse a folder holding anything ``kaoping ingest`` would not have written (like ``extract -o``)."""
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir():
        raise OutputError("dataset path exists and is not a folder", str(out))
    allowed = {MANIFEST, store.STATE, BOOK, CSV_DIR, *ALL_TABLES}
    for top, dirs, files in os.walk(out):
        rel_top = Path(top).relative_to(out)
        depth = len(rel_top.parts)
        if depth == 0:  # a concurrent run's hidden temporary views are ours too
            strangers = [n for n in sorted(dirs + files) if not (n in files and n.endswith(store.TMP_SUFFIX))
                         and (n not in allowed or (n in files) != (n in (MANIFEST, BOOK)))]
        elif rel_top.parts[0] == store.STATE:
            dirs[:] = []
            continue
        elif rel_top.parts[0] == CSV_DIR:
            strangers = [n for n in sorted(dirs + files) if n in dirs or not n.endswith((".csv", store.TMP_SUFFIX))]
        elif depth == 1:
            strangers = [n for n in sorted(dirs + files) if n in files or not n.startswith("year=")]
        else:
            strangers = [n for n in sorted(dirs + files) if n in dirs or not n.endswith((".parquet", store.TMP_SUFFIX))]
        if strangers:
            rel = (rel_top / strangers[0]).as_posix()
            raise OutputError(f"dataset folder holds {rel!r}, which kaoping ingest did not write; "
                              "choose a new or empty folder", str(out))


def migrate_v1(out: Path) -> None:
    """A dataset written before per-notice state (one ``_manifest.json``, version 1) gets its state entries."""
    path = out / MANIFEST
    if (out / store.NOTICES_DIR).is_dir() or not path.is_file():
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"unreadable manifest: {exc}", str(path)) from None
    if data.get("version") != 1:
        return
    for notice_id, n in data.get("notices", {}).items():
        sources = {sha: {**{k: v for k, v in rec.items() if k != "notice_id"}, "errors": 0, "forced": False,
                         "copies": []} for sha, rec in data["sources"].items() if rec["notice_id"] == notice_id}
        entry = {"notice_id": notice_id, "stem": n["stem"], "year": n["year"], "primary": n["primary"],
                 "sources": sources}
        store.write_atomic(out, f"{store.NOTICES_DIR}/{n['stem']}.json", store.json_bytes(entry))




# ---------------------------------------------------------------- the run


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_ingest(inputs: list[Path], out: Path, jobs: int | None = None,
               report: Callable[[int], Report] = KeptReport, *, aliases: Path | None = None,
               timeout: float = DEFAULT_TIMEOUT, max_memory: int = DEFAULT_MEMORY_MIB, wait: float = DEFAULT_WAIT,
               promote_worse: bool = False, input_limits: InputLimits | None = None) -> int:
    """Ingest files and folders into the dataset ``out``; 0 when nothing new failed, 1 when something did.

    ``report(total)`` makes the object told about each file (the CLI passes a terminal reporter);
    ``input_limits`` are the size limits every file is read under (kaoping.schema.limits, the defaults when None)."""
    if jobs is not None and jobs < 1:
        raise UsageError(f"-j must be at least 1, not {jobs}")
    if timeout <= 0 or max_memory < 0 or wait < 0:
        raise UsageError("--timeout must be positive; --max-memory and --wait must not be negative")
    out = Path(out)
    check_dataset_folder(out)
    alias_map, alias_id = None, None
    if aliases:
        from kaoping.aliases import load_aliases

        alias_map = load_aliases(aliases)
        alias_id = hashlib.sha256(json.dumps(alias_map, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create dataset folder: {exc.strerror or exc}", str(out)) from None
    with store.writer_lock(out, wait):
        store.recover(out)
        migrate_v1(out)
        store.mark(out, store.RUNNING, True)
        code = _run(inputs, out, jobs or available_cores(), report, (alias_map, alias_id),
                    Limits(timeout, max_memory), promote_worse, input_limits or InputLimits())
        store.mark(out, store.RUNNING, False)
    return code


def _aliases_changed(out: Path, alias_id: str | None, has_notices: bool) -> bool:
    """Record which alias mapping this run applies; True when notices were ingested under another one."""
    path = out / ALIASES_STATE
    before = json.loads(path.read_text(encoding="utf-8")).get("sha256") if path.is_file() else None
    store.write_atomic(out, ALIASES_STATE, store.json_bytes({"sha256": alias_id}))
    return has_notices and before != alias_id


def _run(inputs: list[Path], out: Path, jobs: int, report: Callable[[int], Report],
         aliases: tuple[dict[str, str] | None, str | None], limits: Limits, promote_worse: bool,
         input_limits: InputLimits) -> int:
    from kaoping.features.dataset.run import Run
    from kaoping.features.dataset.views import state_to_manifest, write_book_and_csv

    box = collect_inbox(inputs, out)
    reporter = report(len(box.files))
    run = Run(out, reporter, limits, promote_worse, input_limits)
    if _aliases_changed(out, aliases[1], bool(run.by_id)):
        reporter.line("warning: the --aliases mapping differs from the one earlier runs applied: notices already "
                      "in the dataset keep the names as corrected then; ingest into a new dataset to apply it to all")
    for path, reason in box.missing:
        reporter.error(path, reason)
    for name, reason in box.skipped:
        reporter.line(f"{name}: skipped ({reason})")
    try:
        todo = run.classify(box.files)
        for _ in range(len(box.files) - len(todo)):
            reporter.advance()
        if todo:
            preload_readers()
            os.environ[PDF_WORKERS_ENV] = "1"  # also in the parent, should a reader run here
        work = functools.partial(extract_for_dataset, aliases=aliases[0], limits=input_limits)
        largest_first = sorted(todo, key=lambda p: (-todo[p][1], p))  # the longest jobs first: no long tail
        for path, result, error in run_pool(largest_first, work, jobs, limits):
            reporter.advance()
            sha, size, f, copies = todo[path]
            error = error or (result or {}).get("error")
            if error:
                run.fail(sha, size, f, error)
            else:
                run.land(size, f, copies, result)
    finally:
        reporter.close()
    if run.views_stale or not (out / BOOK).exists():
        write_book_and_csv(out, run.by_id)
        store.mark(out, store.VIEWS_STALE, False)
    manifest = state_to_manifest(run.by_id, run.failed, box.skipped)
    store.write_atomic(out, MANIFEST, store.json_bytes(manifest))
    failed = run.new_failures + len(box.missing)
    reporter.line(f"{len(box.files) + len(box.missing)} files: {run.extracted} extracted, {failed} failed, "
                  f"{run.still_failing} still failing, {run.unchanged} unchanged, {run.duplicates} duplicates, "
                  f"{len(box.skipped)} skipped; {len(run.touched)} notices updated, {len(run.by_id)} notices in {out}")
    return 1 if failed else 0
