"""The dataset on disk and its guarantees: one writer at a time, every notice committed on its own.

Layout (``DATASET/``)::

    <table>/year=YYYY/<notice>.parquet    the tables (Hive partitions), one file per notice
    _state/notices/<notice>.json          the truth about a notice: its sources, its primary, its year
    _state/failed/<sha256>.json           a file that failed, with its reason
    _state/views/<notice>.json            the notice's rows of dataset.xlsx and csv/, rendered by its worker
    _state/journal/<notice>.json          a commit in flight (redo log)
    _state/lock                           the writer's advisory lock (fcntl.flock)
    _manifest.json, dataset.xlsx, csv/    views rebuilt from the above at the end of a run

**Commit.** A notice's new files are first written as hidden temporary files next to their final names,
its state entry too; then one journal file naming every rename and deletion is created in one rename —
that is the commit point; then the renames are applied and the journal removed. A run killed before the
journal exists leaves only temporary files, which the next run deletes; a run killed after it leaves a
journal, which the next run replays (renames and deletions are idempotent). So a crash loses at most the
notice in flight, and readers never see a notice whose tables and state disagree once recovery ran.
Files are not fsync'ed (speed): a killed process loses nothing committed, a power cut may.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from kaoping.schema.errors import OutputError

STATE = "_state"
NOTICES_DIR = f"{STATE}/notices"
FAILED_DIR = f"{STATE}/failed"
VIEWS_DIR = f"{STATE}/views"  # each notice's rows of the workbook and CSVs, rendered by its worker
JOURNAL_DIR = f"{STATE}/journal"
LOCK = f"{STATE}/lock"
RUNNING = f"{STATE}/running"  # exists while a run is between start and its clean end
VIEWS_STALE = f"{STATE}/views-stale"  # tables changed since the workbook/CSV/manifest views were written
MANIFEST = "_manifest.json"
TMP_SUFFIX = ".tmp"
LOCK_POLL_SECONDS = 0.2  # how often a waiting ingest retries the lock; short against a run's length


def output_error(exc: OSError, path: Path | str) -> OutputError:
    """An OSError while writing the dataset as the exit-4 error (ENOSPC named as such)."""
    if exc.errno == errno.ENOSPC:
        return OutputError("no space left on device; nothing half-written (rerun when there is room)", str(path))
    return OutputError(f"cannot write dataset: {exc.strerror or exc}", str(path))


def json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------- the lock


@contextlib.contextmanager
def writer_lock(dataset: Path, wait_seconds: float) -> Iterator[None]:
    """Hold the dataset's advisory lock; wait up to ``wait_seconds`` for another ingest to finish."""
    path = dataset / LOCK
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise output_error(exc, dataset) from None
    try:
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise OutputError(f"another kaoping ingest (pid {holder}) is writing this dataset; waited "
                                      f"{wait_seconds:g} s (wait longer with --wait SECONDS)", str(dataset)) from None
                time.sleep(LOCK_POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


# ---------------------------------------------------------------- writing


def stage_file(dataset: Path, rel: str, data: bytes) -> str:
    """Write ``data`` to a hidden temporary sibling of ``rel``; return the temporary's relative path.

    Plain string paths (os.path), not pathlib: a run stages a dozen files per notice, and building Path
    objects was a tenth of the ingest parent's CPU while its workers wait on it."""
    folder, name = os.path.split(rel)
    os.makedirs(os.path.join(dataset, folder), exist_ok=True)
    tmp_rel = f"{folder}/.{name}.{secrets.token_hex(4)}{TMP_SUFFIX}" if folder else f".{name}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    tmp = os.path.join(dataset, tmp_rel)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp_rel


def write_atomic(dataset: Path, rel: str, data: bytes) -> bool:
    """Replace one file in one rename; False (and nothing touched) when it already holds ``data``."""
    final = dataset / rel
    if final.is_file() and final.read_bytes() == data:
        return False
    try:
        tmp = stage_file(dataset, rel, data)
        os.replace(dataset / tmp, final)
    except OSError as exc:
        raise output_error(exc, dataset) from None
    return True


def apply_journal(dataset: Path, journal: dict) -> None:
    """Redo a committed notice: renames whose temporary is gone were done already; deletions are idempotent."""
    for tmp, final in journal["renames"]:
        if os.path.exists(os.path.join(dataset, tmp)):
            os.makedirs(os.path.dirname(os.path.join(dataset, final)), exist_ok=True)
            os.replace(os.path.join(dataset, tmp), os.path.join(dataset, final))
    for rel in journal["deletes"]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(dataset, rel))


def unchanged(path: str, data: bytes) -> bool:
    """The file at ``path`` holds exactly ``data`` (its size is compared before its bytes are read)."""
    try:
        return os.path.getsize(path) == len(data) and Path(path).read_bytes() == data
    except OSError:
        return False


def commit(dataset: Path, name: str, writes: dict[str, bytes], deletes: list[str]) -> None:
    """Write every file of one notice and delete the ones it no longer has, as one atomic step."""
    staged: list[tuple[str, str]] = []
    journal_rel = f"{JOURNAL_DIR}/{name}.json"
    try:
        for rel, data in sorted(writes.items()):
            if unchanged(os.path.join(dataset, rel), data):
                continue  # unchanged files keep their bytes and their mtime
            staged.append((stage_file(dataset, rel, data), rel))
        journal = {"renames": staged, "deletes": sorted(deletes)}
        tmp = stage_file(dataset, journal_rel, json_bytes(journal))
        os.replace(dataset / tmp, dataset / journal_rel)  # the commit point
    except OSError as exc:
        for tmp_rel, _ in staged:
            (dataset / tmp_rel).unlink(missing_ok=True)
        raise output_error(exc, dataset) from None
    try:
        apply_journal(dataset, journal)
        (dataset / journal_rel).unlink()
    except OSError as exc:  # committed: the next run finishes it
        raise output_error(exc, dataset) from None


# ---------------------------------------------------------------- recovery


def recover(dataset: Path) -> int:
    """Finish what a killed run committed and delete what it had not; returns the journals replayed."""
    replayed = 0
    journal_dir = dataset / JOURNAL_DIR
    if journal_dir.is_dir():
        for path in sorted(journal_dir.glob("*.json")):
            try:
                journal = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                path.unlink(missing_ok=True)  # cannot happen (written by rename), but never block a run
                continue
            apply_journal(dataset, journal)
            path.unlink()
            replayed += 1
    if (dataset / RUNNING).exists() or replayed:
        sweep_temporaries(dataset)
    return replayed


def sweep_temporaries(dataset: Path) -> None:
    """Delete the hidden temporary files a killed run left (only ever ours: ``.<name>.<hex>.tmp``)."""
    for top, _dirs, files in os.walk(dataset):
        for name in files:
            if name.startswith(".") and name.endswith(TMP_SUFFIX):
                Path(top, name).unlink(missing_ok=True)


# ---------------------------------------------------------------- state


def load_entries(dataset: Path, rel_dir: str) -> dict[str, dict]:
    """Every JSON entry of a state folder, by file stem."""
    folder = dataset / rel_dir
    entries: dict[str, dict] = {}
    if not folder.is_dir():
        return entries
    for path in sorted(folder.glob("*.json")):
        try:
            entries[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OutputError(f"unreadable dataset state {path.name}: {exc}", str(dataset)) from None
    return entries


def mark(dataset: Path, rel: str, on: bool) -> None:
    path = dataset / rel
    try:
        if on:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        else:
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise output_error(exc, dataset) from None
