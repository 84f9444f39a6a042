from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from kaoping.schema.arrow import model_to_arrow_schema
from support import SAMPLES

from kaoping.cli import main
from kaoping.writers.tables import TABLES

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


@pytest.mark.slow
def test_python_dash_m_runs(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kaoping", "extract", str(SAMPLE), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "61 indicators" in proc.stdout



QUICK_EXIT_RUN = """
import atexit, sys
from kaoping.cli import run
atexit.register(lambda: sys.stderr.write("exit handlers ran\\n"))
sys.argv = ["kaoping", *sys.argv[1:]]
run()
"""


def test_console_script_exits_without_teardown_but_flushes_and_keeps_the_code(tmp_path: Path) -> None:
    """``run`` ends with os._exit (cli.exit_without_teardown): the piped stdout must still arrive whole, exit
    handlers still run, and the exit code is the command's (0 for schema, 2 for a usage error)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a pipe's stdout is block-buffered
    proc = subprocess.run([sys.executable, "-c", QUICK_EXIT_RUN, "schema"], capture_output=True, text=True,
                          check=False, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Indicator" in json.loads(proc.stdout)["$defs"]
    assert proc.stdout.endswith("}\n")  # print's last write (its newline) stays buffered until the flush
    assert proc.stderr == "exit handlers ran\n"
    proc = subprocess.run([sys.executable, "-c", QUICK_EXIT_RUN, "extract", str(SAMPLE)], capture_output=True,
                          text=True, check=False, env=env)
    assert proc.returncode == 2
    assert proc.stderr == ("kaoping: error: the following arguments are required: -o/--out\n"
                           "exit handlers ran\n")

OWN_PROCESS_RUN = """
import sys
from kaoping.cli import main
code = main(["extract", sys.argv[1], "-q", "-o", sys.argv[2]], own_process=sys.argv[3] == "own")
import pyarrow as pa
print(code, "numpy" in sys.modules, pa.lib.np is not None)
"""


def test_own_process_leaves_numpy_out_and_writes_the_same_bytes(tmp_path: Path) -> None:
    """The console script loads pyarrow without numpy (writers.tables.load_pyarrow_without_numpy); the
    files are byte-identical to a library run, and a library run keeps pyarrow's numpy for its caller."""
    runs = {}
    for mode in ("own", "library"):
        out = tmp_path / mode
        proc = subprocess.run([sys.executable, "-c", OWN_PROCESS_RUN, str(SAMPLE), str(out), mode],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        runs[mode] = proc.stdout.split(), {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert runs["own"][0] == ["0", "False", "False"]  # exit 0, numpy never loaded, pyarrow without it
    assert runs["library"][0] == ["0", "True", "True"]  # a library caller's pyarrow still converts to numpy
    assert runs["own"][1] == runs["library"][1] and "notice.parquet" in runs["own"][1]


def test_own_process_ingest_loads_neither_numpy_nor_pandas(tmp_path: Path) -> None:
    """pyarrow is loaded without numpy before ingest imports it (else pyarrow's pandas shim imports pandas
    on the first pa.array: ~0.3 s in the parent that every forked worker waits behind)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "n.txt").write_bytes(SAMPLE.read_bytes())
    run = ("import sys\nfrom kaoping.cli import main\n"
           "code = main(['ingest', sys.argv[1], '-o', sys.argv[2], '-j', '1'], own_process=True)\n"
           "print(code, 'numpy' in sys.modules, 'pandas' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", run, str(inbox), str(tmp_path / "ds")], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[-3:] == ["0", "False", "False"]
    assert len(list((tmp_path / "ds" / "indicators").glob("year=2022/*.parquet"))) == 1


def _sample_with_weight(tmp_path: Path, code: str, weight: str) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    for n, line in enumerate(lines):
        cells = line.split("\t")
        if code in cells:
            w = next(i for i, c in enumerate(cells) if i > cells.index(code) and c.strip().replace(".", "").isdigit())
            cells[w] = weight
            lines[n] = "\t".join(cells)
            break
    path = tmp_path / "changed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_changed_weight_is_an_error_and_strict_exits_1(tmp_path: Path) -> None:
    changed = _sample_with_weight(tmp_path, "1-2-1", "3")
    assert main(["extract", str(changed), "-o", str(tmp_path / "a"), "-q"]) == 0
    assert main(["extract", str(changed), "-o", str(tmp_path / "b"), "-q", "--strict"]) == 1
    doc = json.loads((tmp_path / "b" / "notice.json").read_text(encoding="utf-8"))
    errors = [i for i in doc["issues"] if i["severity"] == "error"]
    assert any(i["kind"] == "level1_sum" and "1-2" in i["message"] and "5" in i["message"] and "4分" in i["message"]
               for i in errors)
    assert {i["kind"] for i in errors} == {"level1_sum", "category_sum", "total_row_sum", "grand_total_sum"}
    assert main(["extract", str(SAMPLE), "-o", str(tmp_path / "c"), "-q", "--strict"]) == 0


def test_aliases_file_corrects_names_and_keeps_printed(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("variant,canonical\n李昫,李昀\n李响,李昀\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["extract", str(SAMPLE), "-o", str(out), "-q", "--aliases", str(aliases)]) == 0
    doc = json.loads((out / "notice.json").read_text(encoding="utf-8"))
    by_code = {i["code"]: i for i in doc["indicators"]}
    assert by_code["1-3-1"]["owners"] == ["李昀"] and by_code["1-3-1"]["owners_printed"] == ["李昫"]
    assert not [i for i in doc["issues"] if i["kind"] == "name_variant"]


def test_bad_aliases_file_is_an_input_error(tmp_path: Path, capsys) -> None:
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("nonsense", encoding="utf-8")
    assert main(["extract", str(SAMPLE), "-o", str(tmp_path / "o"), "--aliases", str(aliases)]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"kaoping: error: {aliases}") and err.count("\n") == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_diff_command_writes_json_parquet_html(tmp_path: Path, capsys) -> None:
    changed = _sample_with_weight(tmp_path, "1-2-1", "3")
    earlier = tmp_path / "earlier"
    assert main(["extract", str(SAMPLES / "notice_2022.pdf"), "-o", str(earlier), "-q"]) == 0
    out = tmp_path / "diff"
    assert main(["diff", str(earlier / "notice.json"), str(changed), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith(f"61 paired (1 changed), 0 added, 0 removed → {out}")
    assert sorted(p.name for p in out.iterdir()) == ["diff.html", "diff.json", "diff.parquet"]
    diff = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    changed_pairs = [p for p in diff["pairs"] if p["changes"]]
    assert [(p["old_code"], p["new_code"], p["changes"]) for p in changed_pairs] == [
        ("1-2-1", "1-2-1", {"weight": {"old": 2.0, "new": 3.0}})]
    rows = pq.read_table(out / "diff.parquet").to_pylist()
    assert [(r["new_code"], r["field"], r["old"], r["new"]) for r in rows] == [("1-2-1", "weight", "2", "3")]
