"""`kaoping diff OLD NEW -o OUTDIR`: diff.json, diff.parquet and diff.html, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from kaoping.api import extract
from kaoping.features.diff import diff_documents, diff_to_rows, load_notice_document
from kaoping.features.diff_html import diff_to_html
from kaoping.schema.errors import KaopingError
from kaoping.schema.models import DiffChange, NoticeDocument
from kaoping.writers.output import atomic_dir
from kaoping.writers.tables import write_parquet


def load_any(path: Path) -> NoticeDocument:
    """A notice in any supported format, or an earlier notice.json output."""
    path = Path(path)
    if path.is_dir() and (path / "notice.json").is_file():
        path = path / "notice.json"
    try:
        if path.is_file() and path.read_bytes()[:64].lstrip().startswith(b"{"):
            return load_notice_document(path)
        return extract(path)
    except KaopingError as exc:
        if exc.path is None:  # the error is about this input, never about diff's output folder
            exc.path = str(path)
        raise


def diff_paths(old: Path, new: Path, out: Path) -> dict:
    """Diff two notices and write diff.json, diff.parquet and diff.html into ``out``; return the diff."""
    old_doc, new_doc = load_any(old), load_any(new)
    diff = diff_documents(old_doc, new_doc)
    changes = [DiffChange.model_validate(r) for r in diff_to_rows(diff)]
    with atomic_dir(out) as tmp:
        (tmp / "diff.json").write_text(json.dumps(diff, ensure_ascii=False, indent=2, default=str) + "\n",
                                       encoding="utf-8")
        write_parquet(changes, DiffChange, frozenset(), tmp / "diff.parquet")
        (tmp / "diff.html").write_text(diff_to_html(diff, old_doc, new_doc), encoding="utf-8")
    return diff
