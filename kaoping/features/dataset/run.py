"""One ``kaoping ingest`` run under the dataset's lock: classify the inputs, then commit each notice as its
worker finishes (see :mod:`kaoping.features.dataset.store` for the commit and
:mod:`kaoping.features.dataset.versions` for which source gives the rows)."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from kaoping import __version__
from kaoping.features.dataset import store
from kaoping.features.dataset.inbox import InboxFile, file_sha256
from kaoping.features.dataset.tables import (
    ALL_TABLES,
    SOURCES_TABLE,
    notice_stem,
    sources_to_table,
    table_file,
    table_to_parquet_bytes,
)
from kaoping.features.dataset.versions import IngestedSource, decide
from kaoping.features.dataset.workers import Limits
from kaoping.schema.limits import Limits as InputLimits

log = logging.getLogger(__name__)


def entry_sources(entry: dict) -> list[IngestedSource]:
    return [IngestedSource(sha256=sha, notice_id=entry["notice_id"],
                           **{k: v for k, v in rec.items() if k != "copies"}) for sha, rec in entry["sources"].items()]


def entry_held(entry: dict) -> set[str]:
    return decide(entry_sources(entry))[1] if entry["sources"] else set()


class Run:
    """One ingest run under the dataset's lock: classify the inputs, extract in workers, commit each notice."""

    def __init__(self, out: Path, reporter, limits: Limits, promote_worse: bool,
                 input_limits: InputLimits | None = None) -> None:
        self.out, self.reporter, self.limits, self.promote_worse = out, reporter, limits, promote_worse
        self.input_limits = dataclasses.asdict(input_limits or InputLimits())
        self.by_id = {e["notice_id"]: e for e in store.load_entries(out, store.NOTICES_DIR).values()}
        self.by_sha = {sha: e for e in self.by_id.values() for sha in e["sources"]}
        self.failed = store.load_entries(out, store.FAILED_DIR)
        self.generation = max((s["generation"] for e in self.by_id.values() for s in e["sources"].values()),
                              default=0) + 1
        self.new_failures = self.extracted = self.unchanged = self.still_failing = self.duplicates = 0
        self.touched: set[str] = set()
        self.views_stale = (out / store.VIEWS_STALE).exists()

    # ---- before extraction

    def classify(self, files: list[InboxFile]) -> dict[str, tuple[str, int, InboxFile, list[str]]]:
        """path → (sha256, size, file, copies) of every file to extract; reports the others."""
        groups: dict[str, list[tuple[InboxFile, int]]] = {}
        for f in files:
            try:
                sha, size = file_sha256(f.path)
            except OSError as exc:
                self.reporter.error(f.rel, exc.strerror or str(exc))
                self.new_failures += 1
                continue
            groups.setdefault(sha, []).append((f, size))
        todo = {}
        for sha, items in groups.items():
            items.sort(key=lambda item: (item[0].rel, str(item[0].path)))
            first, size = items[0]
            copies = [f.rel for f, _ in items[1:]]
            for rel in copies:
                self.duplicates += 1
                self.reporter.line(f"{rel}: same bytes as {first.rel}")
            if sha in self.by_sha and not self._reread_held(sha):
                self._known(sha, first, copies)
            elif sha in self.failed and not self._retry(self.failed[sha]):
                self.still_failing += 1
                self.reporter.line(f"{first.rel}: still failing ({self.failed[sha]['reason']})")
            else:
                todo[str(first.path)] = (sha, size, first, copies)
        return todo

    def _reread_held(self, sha: str) -> bool:
        entry = self.by_sha[sha]
        return self.promote_worse and sha in entry_held(entry) and not entry["sources"][sha].get("forced")

    def _retry(self, failure: dict) -> bool:
        """A failed file is read again only when kaoping changed or a limit it hit was raised."""
        def more(now: float, then: float) -> bool:
            return (now or float("inf")) > (then or float("inf"))

        earlier = failure.get("input_limits") or dataclasses.asdict(InputLimits())  # older records: the defaults
        return (failure.get("kaoping") != __version__ or more(self.limits.timeout, failure.get("timeout", 0))
                or more(self.limits.memory_mib, failure.get("max_memory", 0))
                or any(more(value, earlier.get(name, 0)) for name, value in self.input_limits.items()))

    def _known(self, sha: str, f: InboxFile, copies: list[str]) -> None:
        entry = self.by_sha[sha]
        rec = entry["sources"][sha]
        self.unchanged += 1
        self.reporter.line(f"{f.rel}: unchanged (already ingested as {rec['file']}, {entry['notice_id']})")
        new = sorted(set(rec.get("copies", [])) | {f.rel, *copies} - {rec["file"]})
        if new != rec.get("copies", []):  # a new name for known bytes: listed, no table changes
            rec["copies"] = new
            store.write_atomic(self.out, f"{store.NOTICES_DIR}/{entry['stem']}.json", store.json_bytes(entry))

    # ---- after extraction

    def fail(self, sha: str, size: int, f: InboxFile, reason: str) -> None:
        self.reporter.error(f.rel, reason)
        if sha not in self.failed:
            self.new_failures += 1
        self.failed[sha] = {"file": f.rel, "reason": reason, "size": size, "kaoping": __version__,
                            "timeout": self.limits.timeout, "max_memory": self.limits.memory_mib,
                            "input_limits": self.input_limits}
        store.write_atomic(self.out, f"{store.FAILED_DIR}/{sha}.json", store.json_bytes(self.failed[sha]))

    def land(self, size: int, f: InboxFile, copies: list[str], result: dict) -> None:
        rec = dict(result["record"])
        sha, notice_id = rec.pop("sha256"), rec.pop("notice_id")
        self.extracted += 1
        s = result["summary"]
        self.reporter.line(f"{f.rel}: {notice_id}, year {rec['notice_year']}, {s['indicators']} indicators, "
                           f"{s['errors']} errors, {s['warnings']} warnings")
        if not result["doc_number"]:
            self.reporter.line(f"warning: {f.rel}: no 发文字号 found: the notice is identified by its content only "
                               f"({notice_id}); a corrected copy will be a separate notice")
        entry = self.by_id.get(notice_id) or {"notice_id": notice_id, "stem": notice_stem(notice_id), "year": None,
                                              "primary": None, "sources": {}}
        old = entry["sources"].get(sha)
        held_before = entry_held(entry)
        entry = {**entry, "sources": {**entry["sources"], sha: {
            **rec, "file": old["file"] if old else f.rel, "size": size,
            "generation": old["generation"] if old else self.generation, "forced": self.promote_worse,
            "copies": sorted(set(copies) | set(old.get("copies", []) if old else []))}}}
        self._commit(entry, sha, f, result, held_before)

    def _commit(self, entry: dict, sha: str, f: InboxFile, result: dict, held_before: set[str]) -> None:
        sources = entry_sources(entry)
        primary, held = decide(sources)
        stem, notice_id = entry["stem"], entry["notice_id"]
        writes: dict[str, bytes] = {}
        deletes: list[str] = []
        if primary.sha256 != entry["primary"]:
            if primary.sha256 != sha:  # cannot happen (see versions): keep the rows we have
                log.warning("%s: primary %s has no rows in this run; kept %s", notice_id, primary.sha256, entry["primary"])
                primary = next(s for s in sources if s.sha256 == entry["primary"])
            else:
                year = primary.notice_year
                if entry["primary"] is not None and entry["year"] != year:
                    deletes = [table_file(t, entry["year"], stem) for t in ALL_TABLES]
                writes = {table_file(t, year, stem): data for t, data in result["tables"].items()}
                writes[f"{store.VIEWS_DIR}/{stem}.json"] = result["fragment"]
                entry["year"], entry["primary"] = year, sha
                others = ", ".join(sorted(s.file for s in sources if s.sha256 != sha))
                self.reporter.line(f"{notice_id} ({year}): rows from {f.rel}" + (f" (over {others})" if others else ""))
        rows = sorted((s.model_copy(update={"primary": s.sha256 == entry["primary"], "held": s.sha256 in held})
                       for s in sources), key=lambda s: s.sha256)
        writes[table_file(SOURCES_TABLE, entry["year"], stem)] = table_to_parquet_bytes(sources_to_table(rows, notice_id))
        writes[f"{store.NOTICES_DIR}/{stem}.json"] = store.json_bytes(entry)
        if sha in self.failed:
            deletes.append(f"{store.FAILED_DIR}/{sha}.json")
        if not self.views_stale:
            store.mark(self.out, store.VIEWS_STALE, True)
            self.views_stale = True
        store.commit(self.out, stem, writes, deletes)
        self.failed.pop(sha, None)
        self.by_id[notice_id] = entry
        self.by_sha.update(dict.fromkeys(entry["sources"], entry))
        self.touched.add(notice_id)
        for h in sorted(held - held_before):
            self._warn_held(entry, h, primary)

    def _warn_held(self, entry: dict, sha: str, primary: IngestedSource) -> None:
        src, best = entry["sources"][sha], entry["sources"][primary.sha256]
        self.reporter.line(
            f"warning: {src['file']}: a newer version of {entry['notice_id']} with {src['errors']} error findings, "
            f"more than the {best['errors']} of the version in use ({best['file']}): kept as a version, not "
            f"promoted; to use it anyway: kaoping ingest {src['file']} -o {self.out} --promote-worse")
