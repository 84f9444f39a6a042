"""Facts live in data files under ``normalize/data/`` (not in code); this is the one place that reads them.

Each file is read once per process. A newer notice that needs another header synonym, issuer,
unit or deadline word gets a line in a data file, not a code change.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any


@cache
def data_text(name: str) -> str:
    return resources.files("kaoping.normalize").joinpath("data", name).read_text(encoding="utf-8")


@cache
def data_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a CSV file (first line that is not a ``#`` comment: column names)."""
    return tuple(csv.DictReader(line for line in data_text(name).splitlines() if not line.startswith("#")))


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """The non-blank lines of a word list, ``#`` comments left out."""
    return tuple(w.strip() for w in data_text(name).splitlines() if w.strip() and not w.lstrip().startswith("#"))


def load_yaml(text: str) -> Any:
    """Safe YAML, through libyaml's C parser when PyYAML has it (about 10× the pure-Python one's speed:
    the two data files every run reads cost 50 ms of CPU with the Python parser, 5 ms with the C one)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 — a safe loader


@cache
def data_yaml(name: str) -> Any:
    return load_yaml(data_text(name))


@cache
def deadline_words() -> dict[str, int | None]:
    """Deadline words without a month number (data/deadline_words.csv): word → month it ends, or None."""
    return {r["word"]: int(r["month"]) if r["month"] else None for r in data_rows("deadline_words.csv")}
