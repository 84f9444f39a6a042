"""Every size, depth and time limit on input, in one settings object, checked before the expensive step.

A notice is a few dozen pages of text and one table; input far beyond that is a wrong file, a careless
export or an attack, and the honest answer is a clear error (exit 3) naming the limit, its value and the
flag that raises it, never a hang, an out-of-memory kill or a misleading "no 考评表 found".

How a reader uses it (every reader; the text, .docx and PDF readers already do)::

    from kaoping.schema.limits import current_limits

    limits = current_limits()              # the run's limits (set by kaoping.api.extract / the CLI flags)
    limits.check("max_pages", n_pages)     # raises LimitError when n_pages > limits.max_pages
    limits.check("max_cell_chars", len(text), "a table cell")

Callers set them for one run with ``using_limits(Limits(max_pages=2000))`` (a context variable, so
threads and forked workers see the value of the run that started them), or pass ``limits=`` to
:func:`kaoping.api.extract`. ``Limits.FLAGS`` maps each field to its command-line flag.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from kaoping.schema.errors import InputError

MIB = 1024 * 1024


def _limit(default: float, flag: str, unit: str, origin: str) -> float:
    return field(default=default, metadata={"flag": flag, "unit": unit, "origin": origin})


@dataclass(frozen=True)
class Limits:
    """Limits on one input file. Each value says where the number came from."""

    max_input_bytes: int = _limit(  # type: ignore[assignment]
        200 * MIB, "--max-input-mb", "bytes",
        "the largest notice seen is a 105-page PDF of 6 MB; 200 MB is 30x that (and kaoping's old fixed limit)")
    max_pages: int = _limit(  # type: ignore[assignment]
        500, "--max-pages", "pages",
        "the longest notice known is ~110 pages (600 indicators); a 1,000-page PDF took 93 s and 641 MB")
    max_table_cells: int = _limit(  # type: ignore[assignment]
        200_000, "--max-table-cells", "table cells",
        "a 600-indicator notice has ~8,000 cells; a 1,000,000-tab line took 11 s and 1.4 GB")
    max_cell_chars: int = _limit(  # type: ignore[assignment]
        20_000, "--max-cell-chars", "characters",
        "the longest cell in the known notices is ~600 characters (a 考评标准); 20,000 is a printed page x 10")
    max_document_chars: int = _limit(  # type: ignore[assignment]
        2_000_000, "--max-document-chars", "characters",
        "a 110-page notice is ~200,000 characters; 2,000,000 keeps a run within seconds and 1 GB")
    max_stream_bytes: int = _limit(  # type: ignore[assignment]
        256 * MIB, "--max-stream-mb", "bytes",
        "page content streams of real notices inflate to < 1 MB, embedded fonts to < 20 MB; a 2 GB bomb took 4.2 GB")
    max_part_bytes: int = _limit(  # type: ignore[assignment]
        100 * MIB, "--max-part-mb", "bytes",
        "a .docx document.xml of a 100-page notice is ~5 MB; the .docx reader's zip-bomb limit since 0.1")
    max_table_depth: int = _limit(  # type: ignore[assignment]
        8, "--max-table-depth", "levels",
        "Word notices nest a table in a cell at most once or twice; 5,000 nested tables hung the reader")
    max_memory_mb: int = _limit(  # type: ignore[assignment]
        1024, "--max-memory-mb", "MB",
        "the PDF parser's address space on top of the process: a 110-page notice needs ~300 MB")
    parse_timeout: float = _limit(  # type: ignore[assignment]
        300.0, "--timeout", "seconds",
        "the 110-page notice parses in ~40 s on a busy 2-core machine; 300 s leaves 7x for slower ones")

    #: fixed by the XML parser (libxml2 without XML_PARSE_HUGE), not a setting: documented here only
    XML_MAX_DEPTH = 256
    #: field -> command-line flag
    FLAGS = {}  # filled below from the field metadata

    def check(self, name: str, value: float, what: str | None = None) -> None:
        """Raise :class:`LimitError` when ``value`` exceeds the limit ``name``."""
        limit = getattr(self, name)
        if value > limit:
            raise LimitError(name, limit, value, what)

    def replace(self, **changes: float | None) -> Limits:
        """A copy with the given limits changed (None values are ignored: 'not given on the command line')."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


Limits.FLAGS = {f.name: f.metadata["flag"] for f in dataclasses.fields(Limits)}


def describe(name: str) -> tuple[str, str, str]:
    """(flag, unit, where the default came from) of one limit: for --help and the README."""
    meta = next(f.metadata for f in dataclasses.fields(Limits) if f.name == name)
    return meta["flag"], meta["unit"], meta["origin"]


def _shown(name: str, value: float) -> str:
    unit = describe(name)[1]
    if unit == "bytes" and value >= MIB:
        return f"{value / MIB:g} MB"
    return f"{int(value)} {unit}" if float(value).is_integer() else f"{value:g} {unit}"


def flag_value(name: str, limit: float) -> str:
    """The value to pass to a limit's flag: MB flags take megabytes."""
    value = limit / MIB if takes_megabytes(name) else limit
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def takes_megabytes(name: str) -> bool:
    """The flag of a limit held in bytes takes megabytes (--max-stream-mb 512)."""
    flag, unit, _ = describe(name)
    return flag.endswith("-mb") and unit == "bytes"


class LimitError(InputError):
    """The input exceeds a limit (exit 3): names the limit, its value and the flag that raises it."""

    def __init__(self, name: str, limit: float, value: float | None = None, what: str | None = None,
                 path: str | None = None) -> None:
        flag = describe(name)[0]
        subject = what or name.removeprefix("max_").replace("_", " ")
        found = f" ({_shown(name, value)})" if value is not None else ""
        super().__init__(f"{subject}{found} exceeds the limit {name}={_shown(name, limit)}; "
                         f"raise it with {flag} N if this file is genuine", path)
        self.name = name
        self.limit = limit


_CURRENT: ContextVar[Limits] = ContextVar("kaoping_limits", default=Limits())  # noqa: B039 (frozen: immutable)


def current_limits() -> Limits:
    """The limits of the run in progress (the defaults unless a caller set others)."""
    return _CURRENT.get()


@contextmanager
def using_limits(limits: Limits | None) -> Iterator[Limits]:
    """Run the enclosed reading under ``limits`` (None: keep the current ones)."""
    if limits is None:
        yield current_limits()
        return
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


__all__ = ["Limits", "LimitError", "current_limits", "describe", "flag_value", "takes_megabytes", "using_limits"]
