"""Every shape fixture through every channel a notice arrives by, read and scored — a measuring tool, not a test.

    .venv/bin/python tests/channel_matrix.py OUT_DIR [--only=NAME,...] [--no-ocr]

For the sample and each shape of ``tests/fixtures/shapes`` (their .docx and hand-checked .expected.json) it
makes, under OUT_DIR/in: the .docx itself; LibreOffice's .doc, .html and PDF of it; Calc's .xlsx/.xls/.ods of
that .html, the .csv of that .xlsx, and Calc's PDF of that .xlsx made print-ready (``make_calc_prints``: ruled,
text top and centre; without rules, top); LibreOffice's PDF of the .docx with every border removed; a 200-dpi
scan of LibreOffice's PDF; the plain page of ``make_web.borderless_page`` ruled (1 px) and without borders,
printed by Chromium in A4 portrait and landscape; the ruled portrait print scanned at 150 and 200 dpi
(``make_scans.degrade``: tilt, noise, blur, JPEG); the two borderless prints (LibreOffice's, Chromium's
portrait) scanned at 200 dpi. Each file is read with the ``kaoping``
command into OUT_DIR/out/FILE and scored against the truth **in order** (record k against record k: office7's
codes restart per group, so a scorer matching by code cannot be used), on every field of the truth, values
compared as the shared scorer compares them (NFKC, no whitespace). Prints one line per file: records expected,
records read, field accuracy, and the fields most often wrong. Needs LibreOffice, Chromium and the OCR extra;
about 10 minutes on 2 cores (most of it OCR).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from fixtures.make_calc_prints import print_ready  # noqa: E402
from fixtures.make_scans import degrade  # noqa: E402
from fixtures.make_web import borderless_page  # noqa: E402
from support import norm  # noqa: E402
from support.browser import print_page  # noqa: E402

SHAPES = {"sample": ROOT / "samples" / "notice_2022", **{p.stem: p.with_suffix("") for p in
                                                       sorted((HERE / "fixtures" / "shapes").glob("*.docx"))}}
SKIP = {"source"}
RULE = "1px solid #000"
CSV_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76,1"  # commas, quotes, UTF-8 (the default is the locale's)


def soffice(src: Path, target: str, out_dir: Path, infilter: str | None = None) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless"]
        cmd += [f"--infilter={infilter}"] if infilter else []
        subprocess.run([*cmd, "--convert-to", target, "--outdir", str(out_dir), str(src)], check=True,
                       capture_output=True, timeout=300)
    return out_dir / f"{src.stem}.{target.split(':')[0]}"


def without_rules(docx: Path, work: Path) -> Path:
    """The .docx with every table border removed (make_pdf.set_rules): LibreOffice then prints it borderless,
    cells set from their tops."""
    from docx import Document
    from fixtures.make_pdf import set_rules

    doc = Document(str(docx))
    for table in doc.tables:
        set_rules(table, False)
    (work / "norules").mkdir(exist_ok=True)
    path = work / "norules" / docx.name
    doc.save(str(path))
    return path


def scan(pdf: Path, dest: Path, dpi: int) -> Path:
    """The PDF's pages rasterised at ``dpi`` and degraded as a scanner does, as an image-only PDF."""
    import pypdfium2 as pdfium
    from PIL import Image

    source = pdfium.PdfDocument(str(pdf))
    pages = [Image.open(io.BytesIO(degrade(source[i].render(scale=dpi / 72).to_pil().convert("L"),
                                           (0.6, -1.1, 0.3)[i % 3], seed=i))) for i in range(len(source))]
    source.close()
    pages[0].save(dest, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return dest


def make(name: str, base: Path, inbox: Path, ocr: bool) -> list[Path]:
    work = inbox / "work" / name
    work.mkdir(parents=True, exist_ok=True)
    docx = Path(shutil.copy(base.with_suffix(".docx"), work / f"{name}.docx"))
    made = [Path(shutil.copy(docx, inbox / f"{name}.docx"))]
    for target, label in (("doc", "doc"), ("html", "lo.html"), ("pdf", "ruled.pdf")):
        made.append(Path(shutil.copy(soffice(docx, target, work), inbox / f"{name}.{label}")))
    for target in ("xlsx", "xls", "ods"):
        made.append(Path(shutil.copy(soffice(work / f"{name}.html", target, work, "HTML (StarCalc)"),
                                     inbox / f"{name}.calc.{target}")))
    made.append(Path(shutil.copy(soffice(work / f"{name}.xlsx", CSV_UTF8, work), inbox / f"{name}.calc.csv")))
    for valign, ruled in (("top", True), ("center", True), ("top", False)):  # the sheet made print-ready, printed
        label = f"calcprint.{valign}.{'ruled' if ruled else 'norules'}"
        ready = print_ready(work / f"{name}.xlsx", work / f"{name}.{label}.xlsx", valign, ruled)
        made.append(Path(shutil.copy(soffice(ready, "pdf", work), inbox / f"{name}.{label}.pdf")))
    bare = without_rules(docx, work)
    made.append(Path(shutil.copy(soffice(bare, "pdf", bare.parent), inbox / f"{name}.norules.pdf")))
    for rule, label in ((RULE, "web"), ("none", "nob")):
        page = work / f"{name}.{label}.html"
        page.write_text(borderless_page(docx, rule=rule), encoding="utf-8")
        for landscape, orient in ((False, ""), (True, "land")):
            print_page(page, inbox / f"{name}.{label}{orient}.pdf", landscape=landscape)
            made.append(inbox / f"{name}.{label}{orient}.pdf")
    if ocr:
        made.append(scan(inbox / f"{name}.ruled.pdf", inbox / f"{name}.scan200.pdf", 200))
        made += [scan(inbox / f"{name}.web.pdf", inbox / f"{name}.webscan{dpi}.pdf", dpi) for dpi in (150, 200)]
        made += [scan(inbox / f"{name}.{kind}.pdf", inbox / f"{name}.{kind}scan200.pdf", 200) for kind in ("norules", "nob")]
    return made


def read(path: Path, out: Path) -> Path:
    target = out / path.name
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([str(ROOT / ".venv" / "bin" / "kaoping"), "extract", str(path), "-o", str(target)],
                   capture_output=True, timeout=1800)
    return target / "notice.json"


def score(expected: list[dict], result: Path) -> tuple[int, float, dict[str, int]]:
    if not result.exists():
        return 0, 0.0, {"(no output)": 1}
    got = json.loads(result.read_text(encoding="utf-8"))["indicators"]
    ok = total = 0
    wrong: dict[str, int] = {}
    for k, e in enumerate(expected):
        g = got[k] if k < len(got) else {}
        for field, value in e.items():
            if field in SKIP:
                continue
            total += 1
            if norm(value) == norm(g.get(field)):
                ok += 1
            else:
                wrong[field] = wrong.get(field, 0) + 1
    return len(got), ok / total, wrong


def main(argv: list[str]) -> None:
    out_dir = Path(argv[0]) if argv and not argv[0].startswith("--") else Path(tempfile.mkdtemp(prefix="kaoping-channels-"))
    only = next((a.split("=", 1)[1].split(",") for a in argv if a.startswith("--only=")), list(SHAPES))
    inbox, out = out_dir / "in", out_dir / "out"
    inbox.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    for name in only:
        files = make(name, SHAPES[name], inbox, ocr="--no-ocr" not in argv)
        expected = json.loads(SHAPES[name].with_suffix(".expected.json").read_text(encoding="utf-8"))
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda f: (f, read(f, out)), files))
        for f, result in results:
            n, accuracy, wrong = score(expected, result)
            worst = " ".join(f"{k}:{v}" for k, v in sorted(wrong.items(), key=lambda kv: -kv[1])[:5])
            print(f"{f.name:30s} {len(expected):3d} {n:3d} {accuracy:.4f}  {worst}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
