"""Helpers for the ingest tests: distinct notices built from the sample, and a dataset's contents compared."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from kaoping.features.dataset.tables import ALL_TABLES, read_dataset_table
from support import ROOT, SAMPLES

TEXT_2022 = (SAMPLES / "notice_2022.txt").read_text(encoding="utf-8")
SAMPLE_NUMBER = "〔2022〕196号"  # the sample's own 发文字号 serial; every copy gets another one


def distinct_notice(n: int) -> str:
    """The sample as notice ``n``: its own year (2020 + n % 5, every date shifted with it) and 发文字号 serial."""
    assert SAMPLE_NUMBER in TEXT_2022
    year = 2020 + n % 5
    text = TEXT_2022.replace(SAMPLE_NUMBER, f"〔2022〕{500 + n}号")
    text = text.replace("2023", "\0").replace("2022", str(year)).replace("\0", str(year + 1))
    return text


def write_notices(folder: Path, numbers: range | list[int]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        path = folder / f"notice_{n:02d}.txt"
        path.write_text(distinct_notice(n), encoding="utf-8")
        paths.append(path)
    return paths


def ingest_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kaoping", "ingest", *args]


def run_ingest_process(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(ingest_command(*args), capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONHASHSEED": "0"})


def dataset_contents(ds: Path) -> dict[str, object]:
    """Everything a reader sees, in a canonical order: each table's rows (the ``generation`` of a source —
    which run brought it — aside), the workbook's bytes and every CSV but the sources one."""
    contents: dict[str, object] = {}
    for name in ALL_TABLES:
        table = read_dataset_table(ds, name)
        rows = [] if table is None else table.to_pylist()
        if name == "sources":
            rows = [{k: v for k, v in r.items() if k != "generation"} for r in rows]
        contents[name] = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in rows)
    book = ds / "dataset.xlsx"
    contents["dataset.xlsx"] = hashlib.sha256(book.read_bytes()).hexdigest() if book.exists() else None
    for csv in sorted((ds / "csv").glob("*.csv")):
        if csv.name != "sources.csv":
            contents[f"csv/{csv.name}"] = hashlib.sha256(csv.read_bytes()).hexdigest()
    return contents


def leftovers(ds: Path) -> list[str]:
    """Temporary files and journals a finished run must not leave."""
    return sorted(str(p.relative_to(ds)) for p in ds.rglob("*")
                  if p.name.endswith(".tmp") or "journal" in p.parts and p.is_file())
