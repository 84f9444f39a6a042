"""``make bench``: wall time and peak memory of ``kaoping extract`` per sample format, the PDF overhead over a
bare pdfplumber pass, and batch throughput of ``kaoping ingest`` with 1 and 2 workers. Prints tables; asserts nothing.

Every figure is measured on a separate child process (``os.wait4`` gives that child's own rusage, so one
large child does not mask the next as the cumulative RUSAGE_CHILDREN would).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FORMATS = ("txt", "docx", "pdf")
REPEATS = 3
BATCH_COPIES = 50
BARE_PDF = """import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
"""


def kaoping_command() -> list[str]:
    exe = Path(sys.executable).parent / "kaoping"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kaoping"]


def run_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KiB, exit code) of one child process."""
    start = time.perf_counter()
    child_env = {**os.environ, **env} if env else None
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode:
        sys.stderr.write(f"bench: {' '.join(cmd)} exited {proc.returncode}: {err[-300:]}\n")
    rss = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024  # macOS reports bytes
    return wall, rss, proc.returncode


def median_run(make_cmd: Callable[[int], list[str]], repeats: int = REPEATS,
               env: dict[str, str] | None = None) -> tuple[float, int]:
    """Median wall time and the largest peak RSS over ``repeats`` runs."""
    runs = [run_child(make_cmd(i), env) for i in range(repeats)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"


# ---------------------------------------------------------------- content-varied copies


def sample_identity() -> tuple[str, list[str]]:
    """The sample's 发文字号 and its item texts, read by kaoping itself (nothing about the sample is hard-coded)."""
    from kaoping.api import extract

    doc = extract(SAMPLES / "notice_2022.txt")
    return doc.notice.doc_number or "", [i.item for i in doc.indicators]


def vary_text(text: str, doc_number: str, items: list[str], n: int) -> str:
    """A distinct notice: another serial in the 发文字号 and one item reworded."""
    new_number = re.sub(r"\d+(?=号$)", str(1000 + n), doc_number)
    text = text.replace(doc_number, new_number)
    for item in items[n % len(items):] + items:  # the first item whose opening words are found verbatim
        head = item[:8]
        if head and head in text:
            return text.replace(head, f"{head}（第{n}稿）", 1)
    return text


def vary_docx(data: bytes, doc_number: str, items: list[str], n: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                body = vary_text(body.decode("utf-8"), doc_number, items, n).encode("utf-8")
            dst.writestr(info, body)
    return out.getvalue()


def vary_pdf(data: bytes, doc_number: str, n: int) -> bytes | None:
    """A distinct notice from the PDF: the 发文字号 serial redrawn, on page 1, with other digits its font
    already has (read from the font's ToUnicode map); None when that is not possible."""
    from pypdf import PdfWriter

    serial = re.search(r"(\d+)号$", doc_number)
    writer = PdfWriter(clone_from=io.BytesIO(data))
    page = writer.pages[0]
    content = page.get_contents()
    if serial is None or content is None:
        return None
    stream = content.get_data()
    for font in page["/Resources"]["/Font"].values():
        cmap = font.get_object().get("/ToUnicode")
        if cmap is None:
            continue
        pairs = re.findall(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>", cmap.get_object().get_data())
        codes = {chr(int(u, 16)): c.decode().upper() for c, u in pairs}
        if not all(d in codes for d in serial.group(1)):
            continue
        target = "".join(codes[d] for d in serial.group(1))
        digits = sorted(d for d in codes if d.isdigit())
        new, k = "", n + 1  # n + 1 written with the digits the font has, as long as the printed serial
        for _ in serial.group(1):
            new, k = digits[k % len(digits)] + new, k // len(digits)
        replacement = ("<" + "".join(codes[d] for d in new) + ">Tj").encode()
        for m in re.finditer(rb"\[((?:<[0-9A-Fa-f]+>\s*-?[\d.]*\s*)+)\]\s*TJ|<([0-9A-Fa-f]+)>\s*Tj", stream):
            if b"".join(re.findall(rb"<([0-9A-Fa-f]+)>", m.group(0))).decode().upper() == target:
                content.set_data(stream[: m.start()] + replacement + stream[m.end():])
                page.replace_contents(content)
                out = io.BytesIO()
                writer.write(out)
                return out.getvalue()
    return None


def make_batch(folder: Path, copies: int) -> dict[str, int]:
    """``copies`` files rotating over the sample formats, each a distinct notice: another 发文字号 (and, for
    text and Word, one item changed). A PDF whose serial cannot be redrawn falls back to a byte-level
    copy, which folds into the same notice."""
    doc_number, items = sample_identity()
    text = (SAMPLES / "notice_2022.txt").read_text(encoding="utf-8")
    docx = (SAMPLES / "notice_2022.docx").read_bytes()
    pdf = (SAMPLES / "notice_2022.pdf").read_bytes()
    counts = dict.fromkeys(FORMATS, 0)
    for n in range(copies):
        fmt = FORMATS[n % len(FORMATS)]
        counts[fmt] += 1
        path = folder / f"copy_{n:03d}.{fmt}"
        if fmt == "txt":
            path.write_text(vary_text(text, doc_number, items, n), encoding="utf-8")
        elif fmt == "docx":
            path.write_bytes(vary_docx(docx, doc_number, items, n))
        else:
            path.write_bytes(vary_pdf(pdf, doc_number, n) or pdf + f"\n%kaoping bench copy {n}\n".encode())
    return counts


# ---------------------------------------------------------------- the benchmark


def bench_formats(tmp: Path) -> tuple[str, dict[str, float]]:
    rows, times = [], {}
    for fmt in FORMATS:
        sample = SAMPLES / f"notice_2022.{fmt}"
        wall, rss = median_run(lambda i, s=sample, f=fmt: [*kaoping_command(), "extract", str(s), "-q",
                                                         "-o", str(tmp / f"extract_{f}_{i}")])
        times[fmt] = wall
        rows.append([sample.name, f"{wall:.2f}", f"{rss / 1024:.0f}"])
    return table(["kaoping extract", "wall s (median of 3)", "peak RSS MiB"], rows), times


TEXT_FLOOR = "import pyarrow.parquet, pydantic"
CPU_REPEATS = 5


def cpu_seconds(cmd: list[str]) -> float:
    """User+system CPU seconds of one child process, its own children included."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=bench_env())
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.stderr.write(f"bench: {' '.join(cmd)} exited {os.waitstatus_to_exitcode(status)}\n")
    return usage.ru_utime + usage.ru_stime


def bench_env() -> dict[str, str]:
    """Runs as a user's would: byte code cached (some shells export PYTHONDONTWRITEBYTECODE, which makes
    every run recompile kaoping's modules: ~0.06 s of CPU that no installed copy pays)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def long_notice(tmp: Path) -> Path | None:
    """A 600-indicator notice over 100+ pages (tests/fixtures/long, printed by LibreOffice from make_pdf.py)."""
    path = ROOT / "tests" / "fixtures" / "long" / "notice_long.pdf"
    return path if path.exists() else None


def bench_cpu_ratios(tmp: Path) -> str:
    """CPU seconds of ``kaoping extract`` against its floor, runs interleaved with the floor's, median of 5:
    a PDF against a bare pdfplumber process that runs extract_tables() on every page; the text notice
    against a process that only imports what writing the dataset needs (pyarrow.parquet, pydantic)."""
    script = tmp / "bare_pdfplumber.py"
    script.write_text(BARE_PDF, encoding="utf-8")
    cases = [("notice_2022.pdf (13 pages)", SAMPLES / "notice_2022.pdf", [sys.executable, str(script)]),
             ("notice_2022.txt", SAMPLES / "notice_2022.txt", [sys.executable, "-c", TEXT_FLOOR])]
    long_pdf = long_notice(tmp)
    if long_pdf is not None:
        cases.insert(1, ("600 indicators, 106 pages (generated)", long_pdf, [sys.executable, str(script)]))
    rows = []
    for label, path, floor in cases:
        floor_cmd = [*floor, str(path)] if floor[-1] == str(script) else floor
        ours = [*kaoping_command(), "extract", str(path), "-q", "-o", str(tmp / "cpu_out")]
        cpu_seconds(ours)  # warm: byte code and the file cache
        mine, base = [], []
        for _ in range(CPU_REPEATS):
            base.append(cpu_seconds(floor_cmd))
            mine.append(cpu_seconds(ours))
        m, f = statistics.median(mine), statistics.median(base)
        rows.append([label, f"{m:.2f}", f"{f:.2f}", f"{m / f:.2f}"])
    return table(["kaoping extract, CPU s (median of 5)", "kaoping", "floor", "ratio"], rows) + (
        "floors: PDF = bare pdfplumber extract_tables() on every page; text = `python -c "
        f"'{TEXT_FLOOR}'`. Goals (issue 16): PDF <= 1.15, text <= 2.0\n")


def bench_importtime(tmp: Path, top: int = 12) -> str:
    """The heaviest imports of a text extract (python -X importtime, cumulative microseconds)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "kaoping", "extract",
                           str(SAMPLES / "notice_2022.txt"), "-q", "-o", str(tmp / "imp_out")],
                          capture_output=True, text=True, env=bench_env())
    entries = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            entries.append((int(parts[1]), parts[2].rstrip()))
    entries.sort(reverse=True)
    return table(["import (python -X importtime, text extract)", "cumulative ms"],
                 [[name.strip(), f"{us / 1000:.0f}"] for us, name in entries[:top]])


def run_child_cpu(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds user+sys, exit code) of one child process, its own waited-for children
    (ingest's workers) included: ``os.wait4`` reports them in the child's rusage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def bench_ingest(tmp: Path, copies: int = BATCH_COPIES, repeats: int = REPEATS) -> str:
    """``kaoping ingest`` of ``copies`` distinct notices with 1 and 2 workers, runs interleaved (j1, j2, j1 …)
    so that the machine's load falls on both alike; median wall and CPU seconds per worker count.

    On a machine shared with other work, wall time alone says little: CPU seconds show what the run costs
    (equal for 1 and 2 workers when parallelism adds no overhead) and CPU/wall how many cores it got."""
    inbox = tmp / "ingest_batch"
    inbox.mkdir()
    counts = make_batch(inbox, copies)
    runs: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for i in range(repeats):
        for jobs in (1, 2):
            dataset = tmp / f"ingest_j{jobs}_{i}"
            wall, cpu, code = run_child_cpu([*kaoping_command(), "ingest", str(inbox), "-o", str(dataset),
                                             "-j", str(jobs)])
            if code:
                sys.stderr.write(f"bench: ingest -j {jobs} exited {code}\n")
            runs[jobs].append((wall, cpu))
            shutil.rmtree(dataset, ignore_errors=True)
    med = {j: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for j, r in runs.items()}
    rows = [[f"-j {j}", f"{w:.1f}", f"{copies / w:.2f}", f"{c:.1f}", f"{c / w:.2f}"] for j, (w, c) in med.items()]
    speedup = med[1][0] / med[2][0]
    overhead = med[2][1] / med[1][1]
    try:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    mix = ", ".join(f"{n} {fmt}" for fmt, n in counts.items())
    return (table(["kaoping ingest", f"wall s (median of {repeats})", "files/s", "CPU s", "CPU/wall"], rows)
            + f"{copies} distinct notices ({mix}); speed-up with 2 workers: {speedup:.2f}x wall; CPU of -j 2 is "
            f"{overhead:.2f}x that of -j 1; {os.cpu_count()} cores, load average {load}\n")


# ---------------------------------------------------------------- OCR (scanned notices)

BARE_OCR = """import sys, numpy as np, pypdfium2 as pdfium
from rapidocr_onnxruntime import RapidOCR
engine = RapidOCR()
pdf = pdfium.PdfDocument(sys.argv[1])
for i in range(len(pdf)):
    gray = pdf[i].render(scale=float(sys.argv[2]) / 72, grayscale=True).to_numpy()
    engine(np.stack([gray] * 3, axis=-1))
"""


def bench_ocr(tmp: Path) -> str:
    """Seconds per page of ``kaoping extract`` on the image-only scan of the sample (tests/fixtures/make_scans),
    with 1 OCR worker and with the default, against a bare rapidocr pass (its default settings, all threads)
    over the same page images: the floor of this approach. One run each: OCR is minutes, not milliseconds."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return "OCR: skipped (pip install 'kaoping[ocr]')\n"
    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures.make_scans import DPI, build

    scan = build(tmp / "scans")[0]
    pages = 13
    script = tmp / "bare_ocr.py"
    script.write_text(BARE_OCR, encoding="utf-8")
    bare, bare_rss, _ = run_child([sys.executable, str(script), str(scan), str(DPI)])
    rows = [["bare rapidocr", f"{bare:.1f}", f"{bare / pages:.2f}", "1.00", f"{bare_rss / 1024:.0f}"]]
    for label, env in (("kaoping, 1 worker", {"KAOPING_OCR_WORKERS": "1"}), ("kaoping, default", None)):
        wall, rss, code = run_child([*kaoping_command(), "extract", str(scan), "-o", str(tmp / "ocr_out"), "-q"], env)
        rows.append([label, f"{wall:.1f}", f"{wall / pages:.2f}", f"{wall / bare:.2f}", f"{rss / 1024:.0f}"
                     + ("" if code == 0 else f" (exit {code})")])
    return (table(["OCR, 13-page scan", "wall s", "s/page", "x bare", "peak RSS MiB"], rows)
            + f"{DPI} dpi scan; load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="kaoping-bench-"))
    if sys.argv[1:] == ["ingest"]:  # only the ingest throughput: python tests/bench.py ingest
        try:
            sys.stdout.write(bench_ingest(tmp))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return 0
    try:
        for section in (lambda: bench_formats(tmp)[0], lambda: bench_cpu_ratios(tmp), lambda: bench_importtime(tmp),
                        lambda: bench_ingest(tmp), lambda: bench_ocr(tmp)):
            sys.stdout.write(section() + "\n")
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
