"""Worker processes for ``kaoping ingest``: one file at a time each, bounded in time and memory.

A small pool of our own rather than :class:`concurrent.futures.ProcessPoolExecutor`, because a file that
hangs must be killable on its own (a pool cannot cancel a running task) and a worker that dies (killed,
out of memory) must cost only its file (a ``ProcessPoolExecutor`` becomes ``BrokenProcessPool`` and drops
every pending file). Each worker:

* is forked from the parent after the readers are imported, so it starts at no import cost;
* dies with its parent (``PR_SET_PDEATHSIG`` on Linux; elsewhere it notices its pipe closing);
* has an address-space limit (``RLIMIT_AS``): a decompression bomb ends as a MemoryError in that file;
* parses PDF pages in its own process (``KAOPING_PDF_WORKERS=1``): ``-j N`` is the whole parallelism,
  never N × the PDF reader's own page workers.

The parent kills a worker whose file runs past the time limit and starts a fresh one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

#: the PDF reader's page workers (extract/pdf.py) read this; inside ingest workers it is always 1
PDF_WORKERS_ENV = "KAOPING_PDF_WORKERS"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

Work = Callable[[Any], Any]


@dataclass
class Limits:
    timeout: float  # seconds of wall time per file
    memory_mib: int  # address space a worker may add on top of what it inherits (0: no limit)


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _address_space_now() -> int:
    """Bytes of address space this process holds (Linux /proc; 0 where unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(memory_mib: int) -> None:
    if memory_mib <= 0:
        return
    import resource

    limit = _address_space_now() + memory_mib * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_loop(conn: Connection, work: Work, parent_pid: int, memory_mib: int) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.environ[PDF_WORKERS_ENV] = "1"
    _limit_memory(memory_mib)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        try:
            outcome = ("ok", work(task))
        except MemoryError:
            outcome = ("error", f"memory limit reached ({memory_mib} MiB per worker; raise it with --max-memory)")
        except BaseException as exc:  # the work function reports its own errors; this is the last resort
            outcome = ("error", f"internal error: {type(exc).__name__}: {exc}")
        try:
            conn.send(outcome)
        except MemoryError:
            conn.send(("error", f"memory limit reached ({memory_mib} MiB per worker; raise it with --max-memory)"))
    conn.close()


class _Worker:
    def __init__(self, work: Work, limits: Limits) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_loop, args=(child, work, os.getpid(), limits.memory_mib), daemon=True)
        self.proc.start()
        child.close()
        self.task: Any = None
        self.deadline = 0.0

    def give(self, task: Any, timeout: float) -> None:
        self.task, self.deadline = task, time.monotonic() + timeout
        self.conn.send(task)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        self.conn.close()


def _death_reason(proc: multiprocessing.process.BaseProcess) -> str:
    proc.join(5)
    code = proc.exitcode
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"worker process killed by {signal.Signals(-code).name}"
    return f"worker process exited unexpectedly (status {code})"


def run_pool(tasks: list[Any], work: Work, jobs: int, limits: Limits) -> Iterator[tuple[Any, Any, str | None]]:
    """Yield ``(task, result, None)`` or ``(task, None, reason)`` for every task, as they finish.

    A task that times out or whose worker dies fails alone; the pool replaces the worker and goes on.
    """
    pending = deque(tasks)
    workers = [_Worker(work, limits) for _ in range(min(jobs, len(tasks)))]
    busy: list[_Worker] = []

    def feed(w: _Worker) -> None:
        if pending:
            w.give(pending.popleft(), limits.timeout)
            busy.append(w)

    try:
        for w in workers:
            feed(w)
        while busy:
            wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for))
            done: list[tuple[Any, Any, str | None]] = []
            for w in list(busy):
                # poll too: ``ready`` may be stale after a slow commit, and a finished file is never a timeout
                finished = w.conn in ready or w.proc.sentinel in ready or w.conn.poll(0)
                if not finished and time.monotonic() < w.deadline:
                    continue
                busy.remove(w)
                task, result, error = w.task, None, None
                if finished:
                    try:
                        status, value = w.conn.recv()
                        result, error = (value, None) if status == "ok" else (None, value)
                    except (EOFError, OSError):
                        error = _death_reason(w.proc)
                else:
                    error = f"timed out after {limits.timeout:g} s (raise the limit with --timeout)"
                if error is not None and not w.proc.is_alive() or not finished:
                    w.kill()
                    workers.remove(w)
                    w = _Worker(work, limits)
                    workers.append(w)
                feed(w)  # the next file starts before this one's result is committed
                done.append((task, result, error))
            yield from done  # every finished worker is fed before any result is committed
    finally:
        for w in workers:
            if w in busy:
                w.kill()
            else:
                w.stop()
