"""Command line: a thin layer over kaoping.api. Errors: one line on stderr, documented exit codes.

Exit codes: 0 ok (findings allowed), 1 error findings with --strict / some files failed / internal error,
2 usage, 3 input (unreadable notice), 4 output folder not writable.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kaoping.schema.errors import KaopingError, OutputError, UsageError

if TYPE_CHECKING:
    from kaoping.schema.models import NoticeDocument

EXIT_OK, EXIT_FINDINGS = 0, 1  # usage (2), input (3) and output (4) come with their KaopingError subclass
THIRD_PARTY_LOGGERS = ("pdfminer", "pdfplumber", "PIL")
ALL_FORMATS = ("json", "parquet", "html", "xlsx", "csv")
DEFAULT_FORMATS = ("json", "parquet", "html")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kaoping")
    except PackageNotFoundError:  # running from a checkout that was never installed
        from kaoping import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kaoping", description="Chinese performance-evaluation notices → structured data.")
    p.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    p.add_argument("--version", action="version", version=f"kaoping {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    ex = sub.add_parser("extract", help="extract one notice into OUTDIR")
    ex.add_argument("input", type=Path, help="the notice: PDF (ruled, borderless or scanned), Word (.docx/.doc/.wps/.rtf/.odt), web page, Excel (.xlsx/.xls/.ods), image or text export")
    ex.add_argument("-o", "--out", type=Path, required=True, help="output folder (replaced atomically)")
    ex.add_argument("--format", default=",".join(DEFAULT_FORMATS),
                    help=f"comma-separated outputs from {', '.join(ALL_FORMATS)}, or 'all'; a leading + adds to the "
                         f"default set instead of replacing it (--format +xlsx). Default: {','.join(DEFAULT_FORMATS)} "
                         "(notice.json, one .parquet per table, report.html)")
    ex.add_argument("--strict", action="store_true", help="exit 1 when any error-severity finding exists")
    ex.add_argument("--aliases", type=Path, help="CSV (UTF-8 or GBK), .xlsx or YAML file mapping a printed name variant to its canonical name (headers: variant,canonical or 别名,规范名 …)")
    ex.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    ex.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    add_limit_flags(ex)
    sub.add_parser("schema", help="print the JSON Schema of notice.json")
    df = sub.add_parser("diff", help="compare two notices (any format, or notice.json outputs)")
    df.add_argument("old", type=Path)
    df.add_argument("new", type=Path)
    df.add_argument("-o", "--out", type=Path, required=True)
    df.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    ing = sub.add_parser("ingest", help="extract many notices into a Hive-partitioned Parquet dataset")
    ing.add_argument("inputs", nargs="+", type=Path, help="files or folders")
    ing.add_argument("-o", "--out", type=Path, required=True, help="dataset folder")
    ing.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: number of cores)")
    ing.add_argument("--aliases", type=Path, help="CSV (UTF-8 or GBK), .xlsx or YAML file mapping a printed name variant to its canonical name (headers: variant,canonical or 别名,规范名 …)")
    ing.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                     help="wall-clock limit per file (default 300); a file past it fails alone")
    ing.add_argument("--max-memory", type=int, default=None, metavar="MIB",
                     help="address space a worker may add per file (default 2048; 0 = no limit)")
    ing.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                     help="how long to wait for another ingest writing the same dataset (default 600)")
    ing.add_argument("--promote-worse", action="store_true",
                     help="let a newer version with more error findings replace the one in use")
    ing.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    add_limit_flags(ing, skip=INGEST_OWN_LIMITS)
    return p


#: limits ingest applies its own way: a worker's wall-clock time per file (--timeout) and its memory
#: (--max-memory); the PDF parser runs inside the worker there, so the parser's own two would be doubles
INGEST_OWN_LIMITS = frozenset({"parse_timeout", "max_memory_mb"})


def add_limit_flags(parser: argparse.ArgumentParser, skip: frozenset[str] = frozenset()) -> None:
    """--max-pages N, --max-cell-chars N, … one flag per field of kaoping.schema.limits.Limits."""
    import dataclasses

    from kaoping.schema.limits import Limits, describe, flag_value, takes_megabytes

    group = parser.add_argument_group("limits (input beyond them is refused with exit 3)")
    defaults = Limits()
    for f in dataclasses.fields(Limits):
        if f.name in skip:
            continue
        flag, unit, _ = describe(f.name)
        shown = flag_value(f.name, getattr(defaults, f.name))
        in_mb = takes_megabytes(f.name)
        group.add_argument(flag, dest=f.name, type=float if f.type in (float, "float") or in_mb else int,
                           default=None, metavar="N", help=f"default {shown} {'MB' if in_mb else unit}")


def args_to_limits(args: argparse.Namespace):  # -> Limits (imported lazily)
    """The limits a command line asks for: defaults, with each flag given replacing its value."""
    import dataclasses

    from kaoping.schema.limits import MIB, Limits, describe, takes_megabytes

    changes = {}
    for f in dataclasses.fields(Limits):
        value = getattr(args, f.name, None)
        if value is None:
            continue
        if value <= 0:
            raise UsageError(f"{describe(f.name)[0]} must be positive")
        changes[f.name] = int(value * MIB) if takes_megabytes(f.name) else value
    return Limits().replace(**changes)


def _cmd_extract(args: argparse.Namespace) -> int:
    from kaoping.api import extract, summary
    from kaoping.writers.output import write_document

    formats = parse_formats(args.format)
    aliases = None
    if args.aliases:
        from kaoping.aliases import load_aliases

        aliases = load_aliases(args.aliases)
    doc = extract(args.input, aliases=aliases, limits=args_to_limits(args))
    if args.own_process:
        from kaoping.writers.tables import load_pyarrow_without_numpy

        load_pyarrow_without_numpy()
    write_document(doc, args.out, formats)
    s = summary(doc)
    if not args.quiet:
        left_out = [f for f in DEFAULT_FORMATS if f not in formats]
        note = f" (not written: {', '.join(left_out)}; --format all writes every output)" if left_out else ""
        print(f"{args.input.name}: {s['indicators']} indicators, weight total {s['weight_total']:g}, "
              f"{s['references']} references, {s['errors']} errors, {s['warnings']} warnings, "
              f"{s['info']} info → {args.out}{note}")
    for alarm in [] if args.quiet else _hierarchy_alarms(doc):
        print(f"kaoping: warning: {args.input.name}: hierarchy inconsistent: {alarm}", file=sys.stderr)
    return EXIT_FINDINGS if args.strict and s["errors"] else EXIT_OK


def parse_formats(text: str) -> tuple[str, ...]:
    """``json,xlsx`` → exactly those; ``all`` → every output; ``+xlsx`` → the default set and xlsx."""
    items = [f.strip() for f in text.split(",") if f.strip()]
    chosen: list[str] = list(DEFAULT_FORMATS) if any(f.startswith("+") for f in items) else []
    for item in items:
        name = item.lstrip("+").strip()
        names = ALL_FORMATS if name == "all" else (name,)
        if name not in ALL_FORMATS and name != "all":
            raise UsageError(f"unknown output format {name!r} (choose from {', '.join(ALL_FORMATS)} or all)")
        chosen += [n for n in names if n not in chosen]
    if not chosen:
        raise UsageError(f"--format names no output (choose from {', '.join(ALL_FORMATS)} or all)")
    return tuple(f for f in ALL_FORMATS if f in chosen)


def _hierarchy_alarms(doc: NoticeDocument) -> list[str]:
    """One line per category or group whose items do not sum to its printed points, naming its rows (by
    dashed code; by seq where the notice prints ordinals that restart, or nothing)."""
    from kaoping.normalize.checks import category_subtotals, format_points, group_subtotals, level_names
    from kaoping.normalize.textfold import CODE_RE

    out = []
    names = level_names({c.field: c.header for c in reversed(doc.notice.columns)})
    for sub in [*category_subtotals(doc.indicators, doc.totals), *group_subtotals(doc.indicators)]:
        if sub.ok is False and sub.printed is not None:
            rows = ", ".join(i.code if CODE_RE.match(i.code or "") else f"#{i.seq}" for i in sub.items)
            out.append(f"{names.get(sub.level, sub.level)} {sub.label} prints {format_points(sub.printed)} but its items sum to "
                       f"{format_points(sub.weight_sum)} (rows {rows})")
    return out


def _cmd_schema(args: argparse.Namespace) -> int:
    from kaoping.schema.models import NoticeDocument

    print(json.dumps(NoticeDocument.model_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from kaoping.features.diff_command import diff_paths

    diff = diff_paths(args.old, args.new, args.out)
    changed = sum(1 for p in diff["pairs"] if p["changes"])
    print(f"{args.old.name} → {args.new.name}: {len(diff['pairs'])} paired ({changed} changed), "
          f"{len(diff['added'])} added, {len(diff['removed'])} removed → {args.out}")
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    if args.own_process:  # before anything imports pyarrow, and before the workers are forked
        from kaoping.writers.tables import load_pyarrow_without_numpy

        load_pyarrow_without_numpy()
    from kaoping.features.ingest import run_ingest

    limits = {k: v for k, v in (("timeout", args.timeout), ("max_memory", args.max_memory), ("wait", args.wait))
              if v is not None}
    return run_ingest(args.inputs, args.out, args.jobs, report=TerminalReport, aliases=args.aliases,
                      promote_worse=args.promote_worse, input_limits=args_to_limits(args), **limits)


class TerminalReport:
    """A progress bar on a terminal, one line per file otherwise; errors always one line on stderr."""

    def __init__(self, total: int, live: bool | None = None) -> None:
        self.live = sys.stderr.isatty() if live is None else live
        self.progress = None
        if self.live and total:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                     console=Console(stderr=True, highlight=False), transient=True,
                                     auto_refresh=False)  # no refresh thread: workers fork safely
            self.task = self.progress.add_task("ingest", total=total)
            self.progress.start()

    def line(self, text: str) -> None:
        if self.progress is not None:
            self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()

    def error(self, path: Path | str, reason: str) -> None:
        text = f"kaoping: error: {path}: {reason}"
        if self.progress is not None:
            self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True, style="red")
        else:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()

    def advance(self) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)
            self.progress.refresh()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


COMMANDS = {"extract": _cmd_extract, "schema": _cmd_schema, "diff": _cmd_diff, "ingest": _cmd_ingest}


def _subject(args: argparse.Namespace | None, exc: KaopingError) -> str:
    """The file an error is about: the one it names, else the output folder for an output error and the input
    (if the command has one) for any other; never the output folder for an error about the input or the flags."""
    if exc.path:
        return f"{exc.path}: "
    path = getattr(args, "out", None) if isinstance(exc, OutputError) else getattr(args, "input", None)
    return f"{path}: " if path else ""


def run() -> None:
    """The console script and ``python -m kaoping``: the process is kaoping's own."""
    exit_without_teardown(main(own_process=True))


def exit_without_teardown(code: int) -> None:
    """End kaoping's own process without the interpreter's teardown: exit handlers run, logs and the standard
    streams are flushed, then ``os._exit``. Tearing down frees every object and module one by one — CPU
    0.03-0.04 s after a 13-page PDF, 0.12 s after an ingest of 50 notices (this machine, 2026-12-01), work whose
    result nobody sees. Every file kaoping writes is closed (and renamed into place) before a command returns."""
    import atexit
    import contextlib
    import os

    atexit._run_exitfuncs()  # multiprocessing reaps its workers, weakref finalizers remove temporary folders
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that closed the pipe: nothing left to say
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None, *, own_process: bool = False) -> int:
    """Run one command; ``own_process``: nothing else will run in this process (see :func:`run`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not debug:  # a damaged PDF makes pdfminer log freely; the contract is one stderr line
        for name in THIRD_PARTY_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        args.own_process = own_process
        if not args.command:
            raise UsageError("a command is required: extract, schema, diff or ingest (see kaoping --help)")
        return COMMANDS[args.command](args)
    except KaopingError as exc:
        if debug:
            raise
        print(f"kaoping: error: {_subject(args, exc)}{exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kaoping: error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: still one line unless --debug
        if debug:
            raise
        where = getattr(args, "input", None) if args else None
        prefix = f"{where}: " if where else ""
        print(f"kaoping: error: {prefix}internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
              file=sys.stderr)
        return EXIT_FINDINGS
