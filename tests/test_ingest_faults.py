"""kaoping ingest under faults and concurrency: kills at random points, two writers, a full disk, hung or
dying workers, hostile inbox entries. The dataset must always end equal to the one a clean run writes."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from support import ROOT
from support.dataset import (
    dataset_contents,
    distinct_notice,
    ingest_command,
    leftovers,
    run_ingest_process,
    write_notices,
)

from kaoping.cli import main
from kaoping.features.dataset import store
from kaoping.features.dataset.workers import Limits, run_pool

N_NOTICES = 6


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """An inbox of distinct notices and the contents of the dataset one uninterrupted run writes."""
    root = tmp_path_factory.mktemp("clean")
    write_notices(root / "inbox", range(N_NOTICES))
    ds = root / "ds"
    done = run_ingest_process(str(root / "inbox"), "-o", str(ds), "-j", "2")
    assert done.returncode == 0, done.stderr
    contents = dataset_contents(ds)
    assert len(contents["notices"]) == N_NOTICES and len(contents["indicators"]) == 61 * N_NOTICES
    return root / "inbox", contents


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun_equals_a_clean_run(clean: tuple[Path, dict], tmp_path: Path) -> None:
    """Each attempt kills ingest twice — once k notices are committed (k random), plus a random instant —
    then lets a run finish; the dataset must equal the clean run's every time."""
    inbox, expected = clean
    rng = random.Random(17)
    partial = 0
    for attempt in range(5):
        ds = tmp_path / f"ds{attempt}"
        for _kill in range(2):
            committed = _committed(ds)
            if committed >= N_NOTICES:
                break
            target = rng.randint(committed, N_NOTICES - 1)
            proc = subprocess.Popen(ingest_command(str(inbox), "-o", str(ds), "-j", "2"), cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while _committed(ds) < target and proc.poll() is None:
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 0.3))
            workers = _children(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            partial += 0 < _committed(ds) < N_NOTICES
            deadline = time.monotonic() + 10
            while any(_state(w) != "Z" for w in workers):
                assert time.monotonic() < deadline, "workers outlived their killed parent"
                time.sleep(0.1)
        done = run_ingest_process(str(inbox), "-o", str(ds), "-j", "2")
        assert done.returncode == 0, done.stderr
        assert dataset_contents(ds) == expected
        assert leftovers(ds) == []
    assert partial > 0  # the kills did land between notices, not only before or after the run


def _committed(ds: Path) -> int:
    return len(list((ds / "_state" / "notices").glob("*.json")))


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def test_a_crash_inside_a_commit_is_finished_or_undone_by_the_next_run(tmp_path: Path, monkeypatch) -> None:
    """Every point of the commit protocol: before the journal exists (undone), after k of its renames (redone)."""
    ds = tmp_path / "ds"
    writes = {"indicators/year=2022/n.parquet": b"new rows", "_state/notices/n.json": b"{}\n"}
    deletes = ["indicators/year=2021/n.parquet"]
    for k in range(len(writes)):  # killed after k of the journal's renames
        (ds / "indicators/year=2021").mkdir(parents=True, exist_ok=True)
        (ds / "indicators/year=2021/n.parquet").write_bytes(b"old rows")
        for rel in writes:
            (ds / rel).unlink(missing_ok=True)
        real_replace, calls = os.replace, []

        def crashing_replace(src, dst, k=k, calls=calls, real_replace=real_replace):
            calls.append(dst)
            if len(calls) > k + 1:  # call 1 commits the journal; then k renames succeed
                raise KeyboardInterrupt("killed")
            return real_replace(src, dst)

        monkeypatch.setattr(os, "replace", crashing_replace)
        with pytest.raises(KeyboardInterrupt):
            store.commit(ds, "n", writes, deletes)
        monkeypatch.setattr(os, "replace", real_replace)
        assert store.recover(ds) == 1
        assert {rel: (ds / rel).read_bytes() for rel in writes} == writes
        assert not (ds / "indicators/year=2021/n.parquet").exists()
        assert leftovers(ds) == []
    # killed before the journal: the staged files are swept, the old file stays
    (ds / "indicators/year=2021/n.parquet").write_bytes(b"old rows")
    store.stage_file(ds, "indicators/year=2021/n.parquet", b"half")
    store.mark(ds, store.RUNNING, True)
    assert store.recover(ds) == 0
    assert (ds / "indicators/year=2021/n.parquet").read_bytes() == b"old rows" and leftovers(ds) == []


@pytest.mark.slow
def test_two_ingests_at_once_on_overlapping_folders(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_notices(first, range(0, 5))
    write_notices(second, range(3, 8))  # notices 3 and 4 are in both folders
    together = tmp_path / "together"
    assert run_ingest_process(str(first), str(second), "-o", str(together), "-j", "2").returncode == 0
    ds = tmp_path / "ds"
    procs = [subprocess.Popen(ingest_command(str(folder), "-o", str(ds), "-j", "1"), cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for folder in (first, second)]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert dataset_contents(ds) == dataset_contents(together)
    assert leftovers(ds) == []
    assert len(dataset_contents(ds)["notices"]) == 8


def test_a_second_writer_waits_then_says_who_holds_the_lock(tmp_path: Path, capsys) -> None:
    inbox = tmp_path / "inbox"
    write_notices(inbox, [0])
    ds = tmp_path / "ds"
    (ds / "_state").mkdir(parents=True)
    with open(ds / "_state" / "lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242\n")
        held.flush()
        started = time.monotonic()
        assert main(["ingest", str(inbox), "-o", str(ds), "--wait", "0.5"]) == 4
        assert time.monotonic() - started >= 0.5
    err = capsys.readouterr().err
    assert "another kaoping ingest (pid 4242) is writing this dataset; waited 0.5 s" in err
    assert main(["ingest", str(inbox), "-o", str(ds), "--wait", "0.5"]) == 0  # released: it runs


def test_disk_full_is_exit_4_and_nothing_half_written(tmp_path: Path, monkeypatch, capsys) -> None:
    inbox = tmp_path / "inbox"
    write_notices(inbox, range(3))
    clean_ds = tmp_path / "clean"
    assert main(["ingest", str(inbox), "-o", str(clean_ds), "-j", "1"]) == 0
    ds = tmp_path / "ds"
    real_stage, staged = store.stage_file, []

    def full_disk(dataset: Path, rel: str, data: bytes) -> str:
        if any(r.startswith("_state/journal/") for r in staged):  # the first notice fits, the next does not
            raise OSError(errno.ENOSPC, "No space left on device")
        staged.append(rel)
        return real_stage(dataset, rel, data)

    monkeypatch.setattr(store, "stage_file", full_disk)
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "1"]) == 4
    assert "no space left on device; nothing half-written" in capsys.readouterr().err
    assert leftovers(ds) == []
    notices = list((ds / "notices").glob("*/*.parquet"))
    assert len(notices) == 1 and len(list((ds / "indicators").glob("*/*.parquet"))) == 1
    assert len(list((ds / "_state" / "notices").glob("*.json"))) == 1
    monkeypatch.setattr(store, "stage_file", real_stage)
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "1"]) == 0
    assert dataset_contents(ds) == dataset_contents(clean_ds)


# ---------------------------------------------------------------- the worker pool


def _work(task: str) -> str:
    if task == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if task == "hang":
        time.sleep(60)
    if task == "bomb":
        return str(len(bytearray(1 << 30)))  # 1 GiB, past the limit below
    if task == "env":
        from kaoping.extract.pdf_guard import page_workers

        return f"{os.environ.get('KAOPING_PDF_WORKERS')} {page_workers(100, 2)}"
    return task.upper()


@pytest.mark.slow
def test_pool_survives_a_killed_worker_a_hang_and_a_memory_bomb() -> None:
    tasks = ["a", "die", "b", "hang", "c", "bomb", "d", "env"]
    started = time.monotonic()
    results = {t: (r, e) for t, r, e in run_pool(tasks, _work, 2, Limits(timeout=3, memory_mib=256))}
    assert time.monotonic() - started < 30
    assert {t: results[t][0] for t in "abcd"} == {"a": "A", "b": "B", "c": "C", "d": "D"}
    assert results["die"] == (None, "worker process killed by SIGKILL")
    assert results["hang"] == (None, "timed out after 3 s (raise the limit with --timeout)")
    assert results["bomb"] == (None, "memory limit reached (256 MiB per worker; raise it with --max-memory)")
    # inside an ingest worker the PDF reader parses its pages alone: -j N is the whole parallelism
    assert results["env"] == ("1 1", None)


@pytest.mark.slow
def test_one_hung_file_fails_alone_and_is_not_read_again(tmp_path: Path, monkeypatch, capsys) -> None:
    inbox = tmp_path / "inbox"
    write_notices(inbox, range(2))
    (inbox / "slow.txt").write_text("stands for a file that makes a reader loop", encoding="utf-8")
    from kaoping.features import ingest

    real = ingest.extract_for_dataset

    def extract_or_hang(path: str, aliases=None, limits=None) -> dict:
        if path.endswith("slow.txt"):
            time.sleep(60)
        return real(path, aliases, limits)

    monkeypatch.setattr(ingest, "extract_for_dataset", extract_or_hang)
    ds = tmp_path / "ds"  # a text notice takes ~0.5 s: 6 s is the hang, with room for a loaded machine
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "2", "--timeout", "6"]) == 1
    err = capsys.readouterr().err
    assert "slow.txt: timed out after 6 s (raise the limit with --timeout)" in err
    assert len(list((ds / "notices").glob("*/*.parquet"))) == 2
    # unchanged and with the same limits: listed as still failing, not read, and not a new failure
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "2", "--timeout", "6"]) == 0
    assert "slow.txt: still failing (timed out after 6 s" in capsys.readouterr().out


def test_parent_killed_takes_its_workers_with_it(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_notices(inbox, range(8))
    proc = subprocess.Popen(ingest_command(str(inbox), "-o", str(tmp_path / "ds"), "-j", "2"), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, "no workers seen"
        time.sleep(0.05)
    workers = _children(proc.pid)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_state(w) != "Z" for w in workers):
        assert time.monotonic() < deadline, "a worker outlived its parent"
        time.sleep(0.1)


# ---------------------------------------------------------------- hostile inbox entries


def test_symlink_loops_fifos_and_devices_are_skipped_with_a_reason(tmp_path: Path, capsys) -> None:
    inbox = tmp_path / "inbox"
    write_notices(inbox, [0])
    (inbox / "self.txt").symlink_to("self.txt")
    (inbox / "ping.txt").symlink_to("pong.txt")
    (inbox / "pong.txt").symlink_to("ping.txt")
    (inbox / "gone.txt").symlink_to("nowhere.txt")
    (inbox / "up").symlink_to("..")
    (inbox / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(inbox / "pipe.txt")
    ds = tmp_path / "ds"
    assert main(["ingest", str(inbox), "-o", str(ds), "-j", "1", "--timeout", "60"]) == 0
    out = capsys.readouterr().out
    for line in ["self.txt: skipped (symbolic link that cannot be followed (Too many levels of symbolic links))",
                 "ping.txt: skipped (symbolic link that cannot be followed (Too many levels of symbolic links))",
                 "gone.txt: skipped (symbolic link that cannot be followed (No such file or directory))",
                 "up: skipped (symbolic link to a folder (not followed))",
                 "zero.txt: skipped (a device, not a file)",
                 "pipe.txt: skipped (a FIFO (named pipe), not a file)"]:
        assert line in out
    assert len(list((ds / "notices").glob("*/*.parquet"))) == 1


@pytest.mark.slow
def test_a_notice_with_a_huge_cell_is_bounded_and_the_others_land(tmp_path: Path) -> None:
    """One 2.5 MB cell (issue 17: minutes of work today) costs at most --timeout; the other notices land."""
    inbox = tmp_path / "inbox"
    write_notices(inbox, range(2))
    lines = distinct_notice(9).split("\n")
    row = next(i for i, line in enumerate(lines) if "\t1-1-1\t" in line)
    lines[row] = "\t".join([*lines[row].split("\t")[:-1], "李" * 2_500_000])
    (inbox / "huge_cell.txt").write_text("\n".join(lines), encoding="utf-8")
    ds = tmp_path / "ds"
    done = run_ingest_process(str(inbox), "-o", str(ds), "-j", "2", "--timeout", "15", "--max-memory", "1024")
    assert done.returncode in (0, 1), done.stderr
    manifest = json.loads((ds / "_manifest.json").read_text(encoding="utf-8"))
    landed = {s["file"] for s in manifest["sources"].values()}
    assert {"notice_00.txt", "notice_01.txt"} <= landed
    failed = {f["file"]: f["reason"] for f in manifest["failed"].values()}
    assert ("huge_cell.txt" in landed) != ("huge_cell.txt" in failed)  # landed, or failed with its reason
    if failed:
        assert f"kaoping: error: huge_cell.txt: {failed['huge_cell.txt']}" in done.stderr
