"""The PDF parser under guard, and the process model of reading a PDF.

pdfminer can loop or balloon on crafted files (object graphs that reference themselves, a content stream
that inflates to gigabytes), so the parse runs in a forked child process with

- an address-space limit (``RLIMIT_AS``: the child's size at fork plus ``max_memory_mb``),
- a deadline (``parse_timeout``): the parent waits that long, then kills the child's process group,
- a bounded inflater: every FlateDecode stream inflates to at most ``max_stream_bytes`` (pdfminer calls
  ``zlib.decompress`` with no bound; inside the child its module sees :class:`BoundedInflate` instead),
- the page and text limits checked page by page, before the next page is parsed.

Each ends in a clean :class:`~kaoping.schema.limits.LimitError` (exit 3) naming the limit and its flag.

The guard child is also the page worker: it parses alone unless the PDF has enough pages and the machine
has free cores (``os.sched_getaffinity`` minus the load average); then it forks helpers for the other
shares, never more processes than free cores. ``KAOPING_PDF_WORKERS=N`` overrides; a process that is itself
a worker (``kaoping ingest``) parses alone. Without ``fork`` (Windows) the parse runs in-process, unguarded.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import signal
import time
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from kaoping.schema.errors import InputError
from kaoping.schema.limits import MIB, LimitError, Limits

log = logging.getLogger(__name__)

#: the PDF reader's page function, (pdfplumber page, 1-based number) -> its layout (chars, tables, number),
#: and its exception translator; passed in by extract/pdf.py so that this module does not import it back
PageReader = Callable[[Any, int], Any]
ErrorReader = Callable[[BaseException], InputError]

PARALLEL_MIN_PAGES = 6  # fewer pages per process than this are not worth a fork (a fork + import ~0.1 s)
INFLATE_CHUNK = 4096  # compressed bytes fed at a time when a damaged stream is inflated up to its damage
CRC_BYTES = 3  # a zlib error this close to the end is a bad checksum: the data before it is kept (as pdfminer)


# ---------------------------------------------------------------- a bounded inflater for pdfminer


class BoundedInflate:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``: same calls, bounded output.

    ``decompress`` inflates at most ``limit`` bytes (more raises LimitError); a damaged stream raises
    ``zlib.error`` as before, and :meth:`corrupted` (pdfminer's ``decompress_corrupted``) keeps what
    inflates before the damage in linear time (pdfminer's version concatenates byte by byte: quadratic).
    ``failures`` counts streams that could not be decoded at all.
    """

    error = zlib.error

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.failures = 0

    def _over(self) -> LimitError:
        return LimitError("max_stream_bytes", self.limit, None, "a PDF stream, inflated")

    def decompress(self, data: bytes, *args: Any, **kwargs: Any) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, self.limit + 1)
        if len(out) > self.limit or d.unconsumed_tail:
            raise self._over()
        if not d.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args: Any, **kwargs: Any) -> Any:
        return zlib.decompressobj(*args, **kwargs)

    def corrupted(self, data: bytes) -> bytes:
        d = zlib.decompressobj()
        parts: list[bytes] = []
        total = 0
        for start in range(0, len(data), INFLATE_CHUNK):
            saved = d.copy()
            try:
                chunk = d.decompress(data[start:start + INFLATE_CHUNK])
            except zlib.error:
                d = saved
                return b"".join(parts) + self._up_to_damage(d, data, start)
            total += len(chunk)
            if total > self.limit:
                raise self._over()
            parts.append(chunk)
        return b"".join(parts)

    def _up_to_damage(self, d: Any, data: bytes, start: int) -> bytes:
        parts = []
        for i in range(start, min(len(data), start + INFLATE_CHUNK)):
            try:
                parts.append(d.decompress(data[i:i + 1]))
            except zlib.error:
                if i < len(data) - CRC_BYTES:
                    self.failures += 1
                    raise
                logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing corrupted data")
                break
        return b"".join(parts)


def install_inflater(limit: int) -> BoundedInflate:
    """Make pdfminer inflate through a :class:`BoundedInflate` (in this process only: the guard child)."""
    from pdfminer import pdftypes

    inflater = BoundedInflate(limit)
    pdftypes.zlib = inflater  # type: ignore[assignment]
    pdftypes.decompress_corrupted = inflater.corrupted  # type: ignore[assignment]
    return inflater


# ---------------------------------------------------------------- workers


def free_cores() -> int:
    """Cores this process may use that the load average leaves idle (at least 1)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    return max(1, int(cores - load))


def page_workers(n_pages: int, free: int) -> int:
    """Processes to parse ``n_pages`` with: enough pages for each, never more than ``free`` cores."""
    env = os.environ.get("KAOPING_PDF_WORKERS", "")
    if env.isdigit():
        return max(1, min(int(env), n_pages))
    return max(1, min(free, n_pages // PARALLEL_MIN_PAGES))


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies (a killed kaoping leaves no parser running)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _share(data: bytes, numbers: Sequence[int], stream_limit: int, read_page: PageReader) -> tuple[list[Any], int]:
    """Parse the given 1-based pages (one helper's share)."""
    import pdfplumber

    _die_with_parent()
    inflater = install_inflater(stream_limit)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [read_page(pdf.pages[n - 1], n) for n in numbers], inflater.failures


def _checked(layout: Any, limits: Limits, totals: list[int]) -> Any:
    """Count a page's characters and table cells against the document limits, page by page."""
    totals[0] += len(layout.chars)
    totals[1] += sum(len(boxes) for boxes in layout.tables)
    limits.check("max_document_chars", totals[0], f"the document's text (to page {layout.number})")
    limits.check("max_table_cells", totals[1], f"table cells (to page {layout.number})")
    return layout


def _skip_pdfminer_debug() -> None:
    """pdfminer calls ``log.debug`` once per token (278,000 calls on the 13-page sample, 0.11 s of CPU even
    with debug logging off). Unless debug logging is on, each pdfminer logger's ``debug`` becomes a no-op;
    its warnings (damaged streams …) still reach the log and become issues."""
    import logging

    import pdfminer  # noqa: F401 - its modules are loaded by pdfplumber.open

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("pdfminer")]:
        logger = logging.getLogger(name)
        if not logger.isEnabledFor(logging.DEBUG):
            logger.debug = _no_debug  # type: ignore[method-assign]


def _no_debug(*_args: Any, **_kwargs: Any) -> None:
    return None


def parse_layouts(data: bytes, limits: Limits, free: int, read_page: PageReader) -> tuple[list[Any], int]:
    """Every page's layout and how many streams could not be decoded; limits checked as pages come."""
    import pdfplumber
    import pdfplumber.page  # noqa: F401 - loads pdfminer's interpreter, parser and converter modules

    _skip_pdfminer_debug()

    inflater = install_inflater(limits.max_stream_bytes)
    totals = [0, 0]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        n_pages = len(pdf.pages)
        limits.check("max_pages", n_pages, "pages")
        workers = page_workers(n_pages, free)
        if workers == 1:
            layouts = [_checked(read_page(page, n), limits, totals) for n, page in enumerate(pdf.pages, 1)]
            return layouts, inflater.failures
    from concurrent.futures import ProcessPoolExecutor

    shares = [list(range(1 + i, n_pages + 1, workers)) for i in range(workers)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers - 1, mp_context=context) as pool:
        futures = [pool.submit(_share, data, share, limits.max_stream_bytes, read_page) for share in shares[1:]]
        layouts, failures = _share(data, shares[0], limits.max_stream_bytes, read_page)
        for future in futures:
            more, lost = future.result()
            layouts += more
            failures += lost
    layouts.sort(key=lambda layout: layout.number)
    return [_checked(layout, limits, totals) for layout in layouts], failures + inflater.failures


# ---------------------------------------------------------------- the guard


def _address_space() -> int:
    """This process's virtual size in bytes (Linux /proc), 0 when unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(budget_mb: int) -> None:
    import resource

    base = _address_space()
    if not base:
        return
    soft = base + budget_mb * MIB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def exception_to_reply(exc: BaseException, to_error: ErrorReader) -> tuple[str, Any]:
    """What the child tells the parent; pdfplumber wraps pdfminer's exceptions, so the cause is looked
    for along the chain (a limit hit deep inside the parser is still that limit)."""
    chain = [exc]
    while (nxt := chain[-1].__cause__ or chain[-1].__context__) is not None and nxt not in chain:
        chain.append(nxt)
    for e in chain:
        if isinstance(e, LimitError):
            return "limit", (e.name, e.limit, e.message)
    for e in chain:
        if isinstance(e, MemoryError):
            return "memory", None
        if isinstance(e, RecursionError):
            return "input", "corrupt PDF: its objects reference each other too deeply (a reference loop?)"
        if isinstance(e, InputError):
            return "input", e.message
    return "input", to_error(exc).message


def _child(conn: Any, data: bytes, limits: Limits, free: int, read_page: PageReader, to_error: ErrorReader) -> None:
    """The guard child: its own process group (the parent kills it whole), memory-limited, with a
    last-resort alarm should the parent itself be gone."""
    os.setpgid(0, 0)
    _die_with_parent()
    signal.alarm(int(limits.parse_timeout) + 30)
    try:
        _limit_memory(limits.max_memory_mb)
        reply: tuple[str, Any] = ("ok", parse_layouts(data, limits, free, read_page))
    except BaseException as exc:  # noqa: BLE001 - every parser failure becomes one message
        reply = exception_to_reply(exc, to_error)
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("memory", None))
    conn.close()


def _memory_error(limits: Limits) -> LimitError:
    return LimitError("max_memory_mb", limits.max_memory_mb, None, "the PDF parser's memory")


def guarded_layouts(data: bytes, limits: Limits, read_page: PageReader, to_error: ErrorReader) -> tuple[list[Any], int]:
    """Parse a PDF in a guarded child, each page with ``read_page``; (layouts, streams that could not be decoded).

    Every failure is an InputError: LimitError for a limit, ``to_error(exc)`` for what the parser raised."""
    free = free_cores() if multiprocessing.parent_process() is None else 1  # an ingest worker parses alone
    # a daemonic process (an ``ingest`` worker) may not fork children; it runs under its own memory limit and
    # per-file timeout, so it parses in-process — the bounded inflater and the page/character limits still apply
    if multiprocessing.current_process().daemon or "fork" not in multiprocessing.get_all_start_methods():
        try:
            return parse_layouts(data, limits, 1, read_page)
        except InputError:
            raise
        except Exception as exc:
            raise to_error(exc) from None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    proc = context.Process(target=_child, args=(sender, data, limits, free, read_page, to_error),
                           name="kaoping-pdf")
    started = time.monotonic()
    _fork_frozen(proc)
    sender.close()
    try:
        if not receiver.poll(limits.parse_timeout):
            raise LimitError("parse_timeout", limits.parse_timeout, None, "parsing the PDF")
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            proc.join(1)
            if proc.exitcode is not None and proc.exitcode < 0 and -proc.exitcode != signal.SIGKILL:
                raise InputError(f"the PDF parser died (signal {-proc.exitcode})") from None
            raise _memory_error(limits) from None
    finally:
        _stop(proc)
        receiver.close()
    log.debug("pdf: guarded parse in %.2f s", time.monotonic() - started)
    if kind == "ok":
        return payload
    if kind == "limit":
        name, limit, message = payload
        error = LimitError(name, limit)
        error.message = message
        error.args = (message,)
        raise error
    if kind == "memory":
        raise _memory_error(limits)
    raise InputError(payload)


def _fork_frozen(proc: Any) -> None:
    """Start the guard child with every object the parent holds moved out of the collector's sight (the
    advice of the ``gc.freeze`` documentation for a fork without exec): the child's collections then never
    walk — and copy-on-write — the parent's modules and models. CPU of a 13-page PDF run 0.875 → 0.857 s
    (median of 9, this machine, 2026-12-01). The parent's own objects are collectable again right after."""
    gc.freeze()
    try:
        proc.start()
    finally:
        gc.unfreeze()


def _stop(proc: Any) -> None:
    """Kill the guard child and any helpers it forked (its process group), then reap it."""
    if proc.is_alive():
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
    proc.join()


__all__ = ["BoundedInflate", "free_cores", "guarded_layouts", "page_workers", "parse_layouts"]
