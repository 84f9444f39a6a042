"""Write a notice's outputs: notice.json, one Parquet file per table, report.html — atomically.

Everything is written into a temporary sibling folder which then replaces OUTDIR in one rename,
so a failure midway leaves the previous output (or nothing) in place, never a half-written one.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kaoping.schema.errors import OutputError
from kaoping.schema.models import NoticeDocument
from kaoping.writers.tables import TABLES, document_to_json, write_parquet

log = logging.getLogger(__name__)

#: every file name an extract or diff output folder can hold; anything else makes the folder not ours
OUTPUT_NAMES = frozenset({"notice.json", "report.html", "notice.xlsx", "diff.json", "diff.parquet", "diff.html",
                          *(f"{name}.{ext}" for name in TABLES for ext in ("parquet", "csv"))})


def check_replaceable(outdir: Path) -> None:
    """Refuse an OUTDIR that is a file, or a folder holding something kaoping would not have written.

    Replacing OUTDIR deletes what was there; that is only safe for an earlier output (or an empty folder),
    never for, say, the folder the input notices live in. A sub-folder, even an empty one, is the user's.
    """
    if not outdir.exists() and not outdir.is_symlink():
        return
    if not outdir.is_dir() or outdir.is_symlink():
        raise OutputError("output path exists and is not a folder", str(outdir))
    stranger = first_stranger(outdir)
    if stranger is not None:
        raise OutputError(f"output folder holds {stranger!r}, which kaoping did not write; "
                          "choose a new or empty folder", str(outdir))


def first_stranger(folder: Path) -> str | None:
    """The first entry of ``folder`` kaoping would not have written (a sub-folder, a link, a foreign file)."""
    with os.scandir(folder) as entries:  # stops at the first stranger, however big the folder
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                return _first_inside(Path(entry.path), folder) or entry.name + "/"
            if entry.is_symlink() or not entry.is_file(follow_symlinks=False) or entry.name not in OUTPUT_NAMES:
                return entry.name
    return None


def _first_inside(sub: Path, top: Path) -> str | None:
    for here, dirs, files in os.walk(sub):
        dirs.sort()
        if files:
            return Path(here, sorted(files)[0]).relative_to(top).as_posix()
    return None


def recover_interrupted(outdir: Path) -> None:
    """Finish what a killed run left next to ``outdir``.

    A kill between the swap's two renames leaves the previous output in ``.NAME.old-*/NAME`` and no
    ``NAME``: it is put back. A kill after them leaves an ``.old-*`` beside a new ``NAME``, and a kill while
    writing leaves a ``.NAME.tmp-*``: both hold only kaoping's own files and are removed. Anything that
    holds something else is left alone (logged), never deleted.
    """
    parent = outdir.parent
    if not parent.is_dir():
        return
    for left in sorted(parent.glob(f".{glob_escape(outdir.name)}.old-*")):
        previous = left / outdir.name
        missing = not outdir.exists() and not outdir.is_symlink()
        if missing and previous.is_dir() and not previous.is_symlink() and first_stranger(previous) is None:
            os.replace(previous, outdir)
            log.warning("%s: restored the previous output an interrupted run had set aside", outdir)
        _remove_own(left, nested=outdir.name)
    for left in sorted(parent.glob(f".{glob_escape(outdir.name)}.tmp-*")):
        _remove_own(left)


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


def _remove_own(folder: Path, nested: str | None = None) -> None:
    """Delete a left-over folder of ours: only kaoping's files (or one nested output folder of them)."""
    if not folder.is_dir() or folder.is_symlink():
        return
    inner = folder / nested if nested else None
    if inner is not None and inner.is_dir() and not inner.is_symlink():
        if first_stranger(inner) is not None:
            log.warning("%s: left in place (holds files kaoping did not write)", folder)
            return
        with os.scandir(folder) as entries:
            if any(e.name != nested for e in entries):
                log.warning("%s: left in place (holds files kaoping did not write)", folder)
                return
        shutil.rmtree(folder, ignore_errors=True)
        return
    if first_stranger(folder) is None:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        log.warning("%s: left in place (holds files kaoping did not write)", folder)


@contextmanager
def atomic_dir(outdir: Path) -> Iterator[Path]:
    """Yield a temp folder next to ``outdir``; on success it replaces ``outdir`` in one rename."""
    outdir = Path(outdir)
    if not outdir.name or outdir.name in (".", ".."):
        outdir = outdir.resolve()
    try:
        recover_interrupted(outdir)
    except OSError as exc:
        log.warning("%s: could not tidy up after an interrupted run: %s", outdir, exc)
    check_replaceable(outdir)
    parent = outdir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.tmp-", dir=parent))
    except (FileExistsError, NotADirectoryError):
        raise OutputError("cannot create output folder: a parent path is a file", str(outdir)) from None
    except OSError as exc:
        raise OutputError(f"cannot create output folder: {exc.strerror or exc}", str(outdir)) from None
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        check_replaceable(outdir)  # it may have changed while we were writing
        if outdir.exists():
            _swap(tmp, outdir)
        else:
            os.replace(tmp, outdir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write output: {exc.strerror or exc}", str(outdir)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(tmp: Path, outdir: Path) -> None:
    """Replace the existing ``outdir`` by ``tmp``; if the second rename fails, put the old one back."""
    old = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.old-", dir=outdir.parent))
    try:
        os.replace(outdir, old / outdir.name)
    except BaseException:
        old.rmdir()
        raise
    try:
        os.replace(tmp, outdir)
    except BaseException:
        os.replace(old / outdir.name, outdir)  # should this fail too, the previous output stays in ``old``
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_document(doc: NoticeDocument, outdir: Path, formats: tuple[str, ...] = ("json", "parquet", "html"),
                   _fail_after: str | None = None) -> Path:
    """Write every output of one notice into ``outdir`` (replaced atomically)."""
    with atomic_dir(outdir) as tmp:
        if "json" in formats:
            (tmp / "notice.json").write_text(document_to_json(doc), encoding="utf-8")
        if "parquet" in formats:
            for name, (model, exclude, getter) in TABLES.items():
                write_parquet(getter(doc), model, exclude, tmp / f"{name}.parquet")
                if _fail_after == name:
                    raise RuntimeError(f"injected failure after {name}.parquet")
        if "html" in formats:
            from kaoping.writers.report import document_to_html

            (tmp / "report.html").write_text(document_to_html(doc), encoding="utf-8")
        extra = [f for f in formats if f not in ("json", "parquet", "html")]
        if extra:
            from kaoping.writers.tabular import write_tabular

            for fmt in extra:
                write_tabular(doc, tmp, fmt)
    return outdir
