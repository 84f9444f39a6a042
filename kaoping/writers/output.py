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
    never for, say, the folder the input notices live in.
    """
    if not outdir.exists() and not outdir.is_symlink():
        return
    if not outdir.is_dir() or outdir.is_symlink():
        raise OutputError("output path exists and is not a folder", str(outdir))
    for top, dirs, files in os.walk(outdir):  # stops at the first stranger, however big the folder
        dirs.sort()
        for name in sorted(files):
            path = Path(top, name)
            if path.is_symlink() or not path.is_file() or top != str(outdir) or name not in OUTPUT_NAMES:
                rel = path.relative_to(outdir).as_posix()
                raise OutputError(f"output folder holds {rel!r}, which kaoping did not write; "
                                  "choose a new or empty folder", str(outdir))


@contextmanager
def atomic_dir(outdir: Path) -> Iterator[Path]:
    """Yield a temp folder next to ``outdir``; on success it replaces ``outdir`` in one rename."""
    outdir = Path(outdir)
    if not outdir.name or outdir.name in (".", ".."):
        outdir = outdir.resolve()
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
