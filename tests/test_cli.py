from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kaoping.cli import main
from kaoping.emit import TABLES
from schema.arrow import model_to_arrow_schema
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "notice_2022.txt"


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_extract_writes_every_output(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["extract", str(SAMPLE), "-o", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("notice_2022.txt: 61 indicators, weight total 100,") and "0 errors" in line
    names = {p.name for p in out.iterdir()}
    assert {"notice.json", "report.html", *(f"{t}.parquet" for t in TABLES)} <= names
    doc = json.loads((out / "notice.json").read_text(encoding="utf-8"))
    assert set(doc) >= {"notice", "indicators", "references", "issues", "accounting"}
    assert "泉国资办" in (out / "notice.json").read_text(encoding="utf-8")  # ensure_ascii=False
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders left


def test_parquet_schemas_are_derived_from_the_models(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["extract", str(SAMPLE), "-o", str(out), "-q"]) == 0
    for name, (model, exclude, _) in TABLES.items():
        schema = pq.read_schema(out / f"{name}.parquet")
        assert schema.remove_metadata() == model_to_arrow_schema(model, exclude)
    table = pq.read_table(out / "indicators.parquet")
    assert table.num_rows == 61
    assert str(table.schema.field("deadline_date").type) == "date32[day]"
    leaders = table.schema.field("leaders").type
    assert pa.types.is_list(leaders) and leaders.value_type == pa.string()


def test_extract_twice_is_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert main(["extract", str(SAMPLE), "-o", str(out), "-q"]) == 0
    assert _digests(a) == _digests(b)
    assert main(["extract", str(SAMPLE), "-o", str(a), "-q"]) == 0  # over an existing output
    assert _digests(a) == _digests(b)


def test_schema_command_prints_json_schema(capsys) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "Indicator" in schema["$defs"]
    assert "deadline_date" in schema["$defs"]["Indicator"]["properties"]


def test_usage_error_is_one_line_exit_2(capsys) -> None:
    assert main(["extract", str(SAMPLE)]) == 2
    err = capsys.readouterr().err
    assert err == "kaoping: error: the following arguments are required: -o/--out\n"


def test_python_dash_m_runs(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kaoping", "extract", str(SAMPLE), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "61 indicators" in proc.stdout
