"""Which source of a notice gives its rows: identity, versions, precedence, and newer-but-worse holds.

* **Identity.** A notice is its 发文字号 (``notice.doc_number``), else ``sha256-<hex>`` of its source.
* **Versions.** Sources of one notice whose *content* is equal (title, 成文日期 and every indicator apart
  from its ``source``) are one version in several formats. Versions are ordered oldest → newest by
  成文日期, then 印发日期, then ingest generation; a tie left after that puts the version whose best
  source wins the format rule last (newest).
* **Which source of a version.** The more structured format wins (:data:`FORMAT_RANK`); same format →
  the lexicographically smallest sha256.
* **Newer but worse is held.** Walking the versions oldest → newest, a version with more error findings
  than the one it would replace is *held*: kept and listed, never promoted silently. A version ingested
  with ``--promote-worse`` (``forced``) is promoted anyway. The rule only looks at the set of sources,
  so the result never depends on the order files were read in.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

#: lower wins: the more structured source gives the rows (unlisted formats rank after these, by name)
FORMAT_RANK: dict[str, int] = {"docx": 0, "doc": 1, "odt": 1, "wps": 1, "rtf": 1, "xlsx": 2, "xls": 2, "ods": 2,
                               "html": 3, "csv": 4, "pdf": 5, "text": 6, "image": 7}


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
    errors: int = 0
    primary: bool = False
    held: bool = False
    forced: bool = False


def document_notice_id(doc) -> str:  # doc: NoticeDocument (not imported: this module stays light)
    return doc.notice.doc_number or f"sha256-{doc.notice.sha256}"


def document_fingerprint(doc) -> str:
    """Content of a version, whatever format carried it: title, 成文日期 and the indicators minus ``source``."""
    content = {"title": doc.notice.title, "date": doc.notice.date and doc.notice.date.isoformat(),
               "indicators": [i.model_dump(mode="json", exclude={"source"}) for i in doc.indicators]}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _source_key(s: IngestedSource) -> tuple[int, str]:
    return FORMAT_RANK.get(s.format, 99), s.sha256


def versions_oldest_first(sources: list[IngestedSource]) -> list[list[IngestedSource]]:
    """The versions of one notice, oldest first; each version's sources best first."""
    groups: dict[str, list[IngestedSource]] = {}
    for s in sources:
        groups.setdefault(s.fingerprint, []).append(s)
    versions = [sorted(ss, key=_source_key) for ss in groups.values()]
    versions.sort(key=lambda v: _source_key(v[0]), reverse=True)  # in a full tie the better format is newer
    versions.sort(key=lambda v: (v[0].date or "", v[0].print_date or "", min(s.generation for s in v)))
    return versions


def decide(sources: list[IngestedSource]) -> tuple[IngestedSource, set[str]]:
    """(primary source, sha256s of held sources) for one notice's sources."""
    versions = versions_oldest_first(sources)
    current = versions[0]
    held: set[str] = set()
    for version in versions[1:]:
        if version[0].errors > current[0].errors and not any(s.forced for s in version):
            held.update(s.sha256 for s in version)
        else:
            current = version
    return current[0], held


def choose_primary(sources: list[IngestedSource]) -> IngestedSource:
    """The source whose rows represent the notice (see the module docstring for the rules)."""
    return decide(sources)[0]
