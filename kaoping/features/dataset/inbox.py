"""What an ingest run reads: the files under its inputs, each with the name it is recorded under, and every
file it skips with the reason (hidden, lock file, not a notice kind, FIFO, device, symlink loop …)."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kaoping.extract import SUFFIX_HINTS, UNSUPPORTED_SUFFIXES


@dataclass(frozen=True)
class InboxFile:
    """A file to ingest: where it is, and the name it is recorded under (relative to its input folder)."""

    path: Path
    rel: str


@dataclass
class Inbox:
    files: list[InboxFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    missing: list[tuple[Path, str]] = field(default_factory=list)  # inputs that cannot be read at all


def _kind_reason(mode: int) -> str | None:
    """Why a non-regular file is skipped (reading a FIFO or a device would hang or never end)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def entry_skip_reason(path: Path, name: str) -> str | None:
    """Why a file met while walking a folder is not a notice to read; None when it is one."""
    if name.startswith("~$"):
        return "Office lock file"
    if name.startswith("."):
        return "hidden file"
    suffix = Path(name).suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        return UNSUPPORTED_SUFFIXES[suffix]
    if suffix not in SUFFIX_HINTS:
        return f"not a kind of notice kaoping reads ({suffix or 'no suffix'})"
    return path_skip_reason(path)


def path_skip_reason(path: Path) -> str | None:
    """Why a path cannot be read as a file: a symlink loop, a dangling link, a FIFO, a device …"""
    try:
        mode = os.stat(path).st_mode  # follows a symlink to a file; a loop raises ELOOP
    except OSError as exc:
        if path.is_symlink():
            return f"symbolic link that cannot be followed ({exc.strerror or exc})"
        return exc.strerror or str(exc)
    return _kind_reason(mode)


def _walk(folder: Path, out_resolved: Path, box: Inbox) -> None:
    def onerror(exc: OSError) -> None:
        box.skipped.append((str(exc.filename or folder), f"cannot read folder ({exc.strerror or exc})"))

    for root, dirs, names in os.walk(folder, onerror=onerror):  # never follows folder symlinks: no loops
        root_path = Path(root)
        keep = []
        for d in sorted(dirs):
            sub = root_path / d
            rel = sub.relative_to(folder).as_posix()
            if sub.is_symlink():
                box.skipped.append((rel, "symbolic link to a folder (not followed)"))
            elif d.startswith("."):
                box.skipped.append((rel, "hidden folder"))
            elif sub.resolve() != out_resolved:
                keep.append(d)
        dirs[:] = keep
        for name in sorted(names):
            path = root_path / name
            rel = path.relative_to(folder).as_posix()
            reason = entry_skip_reason(path, name)
            if reason:
                box.skipped.append((rel, reason))
            else:
                box.files.append(InboxFile(path, rel))


def collect_inbox(inputs: Iterable[Path], out: Path) -> Inbox:
    """Files to ingest (folders walked recursively, sorted), every file skipped with its reason, and the
    inputs that do not exist. A file given by name is taken whatever its suffix (content decides)."""
    out_resolved = Path(out).resolve()
    box = Inbox()
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            _walk(item, out_resolved, box)
        elif os.path.lexists(item):
            reason = path_skip_reason(item)
            if reason:
                box.missing.append((item, reason))
            else:
                box.files.append(InboxFile(item, item.name))
        else:
            box.missing.append((item, "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in box.files:
        key = f.path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    box.files = unique
    return box


def collect_inputs(inputs: Iterable[Path], out: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to ingest and the inputs that do not exist (the skipped ones are in :func:`collect_inbox`)."""
    box = collect_inbox(inputs, out)
    return [f.path for f in box.files], box.missing


def file_sha256(path: Path) -> tuple[str, int]:
    """(sha256, size) of a regular file, opened without blocking (a FIFO swapped in is refused, not waited on)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(0, _kind_reason(mode))
        h = hashlib.sha256()
        size = 0
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size
