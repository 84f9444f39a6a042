"""``kaoping ingest``: many notices → one Hive-partitioned Parquet dataset that DuckDB, pandas and Spark read as is.

Layout: ``DATASET/<table>/year=YYYY/<notice>.parquet`` for every table of :data:`kaoping.writers.output.TABLES`
(``notice`` is called ``notices`` here) plus ``sources`` (every file seen for a notice), and
``DATASET/_manifest.json``. Every row carries ``notice_id``; a record field named like the partition
key (``year``) is renamed ``<model>_year`` so the partition value never silently overwrites it.

Rules (also in the README):

* **Identity.** A notice is its 发文字号 (``notice.doc_number``), else ``sha256-<hex>`` of its source.
  A source already in the manifest (same bytes, whatever its name) is not read again: a second run,
  or a renamed copy, changes no file.
* **Versions.** Sources of one notice whose *content* is equal (title, 成文日期 and every indicator
  apart from its ``source``) are one version in several formats. Of two versions the newer wins:
  later 成文日期, then later 印发日期, then the later ingest generation (a run that brings new
  sources gets generation = last + 1). A tie left after that goes to the version whose best source
  wins the next rule.
* **Which source of a version.** The more structured format wins: docx > pdf > text; same format →
  the lexicographically smallest sha256. All sources stay listed in ``sources`` (``primary`` marks
  the winner); only the winner's rows are in the other tables.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from kaoping.api import summary
from kaoping.extract import SUFFIX_HINTS
from kaoping.schema.arrow import records_to_table
from kaoping.schema.errors import KaopingError, OutputError, UsageError
from kaoping.schema.models import NoticeDocument
from kaoping.writers.tables import TABLES

log = logging.getLogger(__name__)

MANIFEST = "_manifest.json"
MANIFEST_VERSION = 1
PARTITION = "year"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Hive's (and DuckDB's) spelling of a NULL partition value
#: lower wins: the more structured source gives the rows
FORMAT_RANK: dict[str, int] = {"docx": 0, "pdf": 1, "text": 2}
#: dataset table name → kaoping.writers.output.TABLES name
DATASET_TABLES: dict[str, str] = {("notices" if name == "notice" else name): name for name in TABLES}
SOURCES_TABLE = "sources"
_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]|^\.')


class IngestedSource(BaseModel):
    """One file ingested (row of the ``sources`` table; the manifest keeps the same fields)."""

    sha256: str
    file: str
    format: str
    size: int
    notice_id: str
    notice_year: int | None = None
    date: str | None = None
    print_date: str | None = None
    fingerprint: str
    generation: int
    indicators: int = 0
    primary: bool = False


# ---------------------------------------------------------------- inputs


def collect_inputs(inputs: Iterable[Path], out: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to ingest (folders walked recursively, sorted; hidden files, lock files and ``out`` skipped)
    and the inputs that do not exist."""
    out_resolved = out.resolve()
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for item in inputs:
        if item.is_file():
            files.append(item)
        elif item.is_dir():
            for root, dirs, names in os.walk(item):
                root_path = Path(root)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and (root_path / d).resolve() != out_resolved)
                files.extend(root_path / n for n in sorted(names)
                             if not n.startswith((".", "~$")) and Path(n).suffix.lower() in SUFFIX_HINTS)
        else:
            missing.append((item, "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, missing


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_file(path: str) -> tuple[str, NoticeDocument | None, str | None]:
    """Worker: (path, document, None) or (path, None, reason). Runs in a child process."""
    from kaoping.api import extract

    try:
        return path, extract(path), None
    except KaopingError as exc:
        return path, None, exc.message
    except Exception as exc:  # one bad file must not stop the batch
        log.debug("internal error on %s", path, exc_info=True)
        return path, None, f"internal error: {type(exc).__name__}: {exc}"


# ---------------------------------------------------------------- identity and precedence


def document_notice_id(doc: NoticeDocument) -> str:
    return doc.notice.doc_number or f"sha256-{doc.notice.sha256}"


def document_fingerprint(doc: NoticeDocument) -> str:
    """Content of a version, whatever format carried it: title, 成文日期 and the indicators minus ``source``."""
    content = {"title": doc.notice.title, "date": doc.notice.date and doc.notice.date.isoformat(),
               "indicators": [i.model_dump(mode="json", exclude={"source"}) for i in doc.indicators]}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def choose_primary(sources: list[IngestedSource]) -> IngestedSource:
    """The source whose rows represent the notice (see the module docstring for the rules)."""
    versions: dict[str, list[IngestedSource]] = {}
    for s in sources:
        versions.setdefault(s.fingerprint, []).append(s)
    best = {fp: min(ss, key=lambda s: (FORMAT_RANK.get(s.format, 99), s.sha256)) for fp, ss in versions.items()}
    order = sorted(versions, key=lambda fp: (FORMAT_RANK.get(best[fp].format, 99), best[fp].sha256))
    order.sort(key=lambda fp: (versions[fp][0].date or "", versions[fp][0].print_date or "",
                               min(s.generation for s in versions[fp])), reverse=True)  # stable: ties keep order
    return best[order[0]]


def notice_stem(notice_id: str) -> str:
    """A file name for a notice: the id itself when it is safe, else a cleaned id plus a short hash."""
    clean = _UNSAFE.sub("_", notice_id)
    if clean == notice_id and len(clean.encode()) <= 200:
        return clean
    return f"{clean[:60]}-{hashlib.sha256(notice_id.encode()).hexdigest()[:10]}"


# ---------------------------------------------------------------- tables and files


def _with_notice_id(table: pa.Table, notice_id: str, model: type) -> pa.Table:
    if PARTITION in table.column_names:
        table = table.rename_columns([f"{model.__name__.lower()}_{PARTITION}" if c == PARTITION else c
                                      for c in table.column_names])
    column = pa.array([notice_id] * table.num_rows, pa.string())
    return table.add_column(0, pa.field("notice_id", pa.string(), nullable=False), column)


def document_to_tables(doc: NoticeDocument, notice_id: str) -> dict[str, pa.Table]:
    """dataset table name → Arrow table with ``notice_id`` first, derived from the models."""
    tables = {}
    for name, emit_name in DATASET_TABLES.items():
        model, exclude, getter = TABLES[emit_name]
        tables[name] = _with_notice_id(records_to_table(getter(doc), model, exclude), notice_id, model)
    return tables


def sources_to_table(sources: list[IngestedSource], notice_id: str) -> pa.Table:
    return _with_notice_id(records_to_table(sources, IngestedSource, {"notice_id"}), notice_id, IngestedSource)


def _partition(year: int | None) -> str:
    return f"{PARTITION}={NULL_PARTITION if year is None else year}"


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename; leave it untouched when it already holds those bytes."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def table_to_parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_notice_files(dataset: Path, stem: str, year: int | None, tables: dict[str, pa.Table],
                       old_year: int | None | str = "none") -> None:
    """Write one notice's file in every table (atomically each), removing it from a previous year's partition."""
    for name, table in tables.items():
        write_bytes_atomic(dataset / name / _partition(year) / f"{stem}.parquet", table_to_parquet_bytes(table))
        if old_year != "none" and old_year != year:
            (dataset / name / _partition(old_year) / f"{stem}.parquet").unlink(missing_ok=True)  # type: ignore[arg-type]


# ---------------------------------------------------------------- manifest


def load_manifest(dataset: Path) -> dict:
    path = dataset / MANIFEST
    if not path.exists():
        return {"version": MANIFEST_VERSION, "notices": {}, "sources": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"unreadable manifest: {exc}", str(path)) from None
    if data.get("version") != MANIFEST_VERSION:
        raise OutputError(f"manifest version {data.get('version')!r} is not {MANIFEST_VERSION}", str(path))
    return data


def manifest_to_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------- the run


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


def extract_files(paths: list[Path], jobs: int,
                  on_result: Callable[[str, NoticeDocument | None, str | None], None]) -> None:
    """Extract every path, in ``jobs`` worker processes (in this process when one job suffices)."""
    if jobs == 1 or len(paths) <= 1:
        for p in paths:
            on_result(*extract_file(str(p)))
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        futures = [pool.submit(extract_file, str(p)) for p in paths]
        for fut in as_completed(futures):
            on_result(*fut.result())


def _source_record(doc: NoticeDocument, generation: int) -> IngestedSource:
    n = doc.notice
    return IngestedSource(
        sha256=n.sha256, file=n.source_file, format=n.source_format, size=0, notice_id=document_notice_id(doc),
        notice_year=doc.notice.year, date=n.date.isoformat() if n.date else None,
        print_date=n.print_date.isoformat() if n.print_date else None, fingerprint=document_fingerprint(doc),
        generation=generation, indicators=len(doc.indicators))


def run_ingest(inputs: list[Path], out: Path, jobs: int | None,
               report: Callable[[int], Report] = KeptReport) -> int:
    """Ingest files and folders into the dataset ``out``; 0 when every file landed, 1 when some failed.

    ``report(total)`` makes the object told about each file (the CLI passes a terminal reporter)."""
    if jobs is not None and jobs < 1:
        raise UsageError(f"-j must be at least 1, not {jobs}")
    jobs = jobs or os.cpu_count() or 1
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create dataset folder: {exc.strerror or exc}", str(out)) from None
    manifest = load_manifest(out)
    known: dict[str, dict] = manifest["sources"]
    files, missing = collect_inputs(inputs, out)
    reporter = report(len(files))
    failed = len(missing)
    for path, reason in missing:
        reporter.error(path, reason)

    by_sha: dict[str, Path] = {}
    sizes: dict[str, int] = {}
    for path in files:
        try:
            sha = file_sha256(path)
        except OSError as exc:
            reporter.error(path, exc.strerror or str(exc))
            failed += 1
            reporter.advance()
            continue
        sizes[sha] = path.stat().st_size
        if sha in known:
            reporter.line(f"{path}: unchanged (already ingested as {known[sha]['file']}, {known[sha]['notice_id']})")
            reporter.advance()
        elif sha in by_sha:
            first = min(by_sha[sha], path, key=lambda p: (p.name, str(p)))
            reporter.line(f"{max(by_sha[sha], path, key=lambda p: (p.name, str(p)))}: same bytes as {first}")
            by_sha[sha] = first
            reporter.advance()
        else:
            by_sha[sha] = path

    generation = max((s["generation"] for s in known.values()), default=0) + 1
    docs: dict[str, NoticeDocument] = {}

    def on_result(path: str, doc: NoticeDocument | None, error: str | None) -> None:
        nonlocal failed
        reporter.advance()
        if doc is None:
            failed += 1
            reporter.error(path, error or "failed")
            return
        docs[doc.notice.sha256] = doc
        s = summary(doc)
        reporter.line(f"{path}: {document_notice_id(doc)}, year {doc.notice.year}, "
                      f"{s['indicators']} indicators, {s['errors']} errors, {s['warnings']} warnings")

    try:
        extract_files(sorted(by_sha.values()), jobs, on_result)
    finally:
        reporter.close()

    for sha, doc in sorted(docs.items()):
        record = _source_record(doc, generation).model_copy(update={"size": sizes.get(sha, 0)})
        known[sha] = record.model_dump(exclude={"sha256", "primary"})
    touched = sorted({document_notice_id(d) for d in docs.values()})
    for notice_id in touched:
        _update_notice(out, manifest, notice_id, docs, reporter)
    write_bytes_atomic(out / MANIFEST, manifest_to_bytes(manifest))
    reporter.line(f"{len(files) + len(missing)} files: {len(docs)} extracted, {failed} failed, "
                  f"{len(touched)} notices updated, {len(manifest['notices'])} notices in {out}")
    return 1 if failed else 0


def _update_notice(out: Path, manifest: dict, notice_id: str, docs: dict[str, NoticeDocument],
                   reporter: Report) -> None:
    """Re-decide a notice's primary source and rewrite its files where they changed."""
    sources = sorted((IngestedSource(sha256=sha, **rec) for sha, rec in manifest["sources"].items()
                      if rec["notice_id"] == notice_id), key=lambda s: s.sha256)
    primary = choose_primary(sources)
    previous = manifest["notices"].get(notice_id)
    stem = previous["stem"] if previous else notice_stem(notice_id)
    year = primary.notice_year
    old_year = previous["year"] if previous else "none"
    rows = [s.model_copy(update={"primary": s.sha256 == primary.sha256}) for s in sources]
    tables: dict[str, pa.Table] = {}
    if not previous or previous["primary"] != primary.sha256:
        tables = document_to_tables(docs[primary.sha256], notice_id)
        others = ", ".join(s.file for s in sources if s.sha256 != primary.sha256)
        reporter.line(f"{notice_id} ({year}): rows from {primary.file}" + (f" (over {others})" if others else ""))
    tables[SOURCES_TABLE] = sources_to_table(rows, notice_id)
    write_notice_files(out, stem, year, tables, old_year)
    manifest["notices"][notice_id] = {"primary": primary.sha256, "stem": stem, "year": year}
