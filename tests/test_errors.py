"""Bad input gets one clear stderr line, a documented exit code and no output folder.

Contract: ``kaoping: error: FILE: reason`` on stderr, exit 2 usage / 3 input / 4 output / 1 findings
with --strict or internal error; no traceback unless --debug. Every broken file is made here.
"""

from __future__ import annotations

import io
import json
import random
import struct
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import kaoping.extract.docx as dx
import pypdf
import pypdfium2
import pytest
from kaoping.schema.errors import InputError
from support import ROOT, SAMPLES, zip_bytes

from kaoping.cli import main

TXT, DOCX, PDF = (SAMPLES / f"notice_2022.{ext}" for ext in ("txt", "docx", "pdf"))
KAOPING = ROOT / ".venv" / "bin" / "kaoping"


# --- helpers --------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() and not out.is_symlink()
    if out.parent.exists():  # no temp or backup folders next to where the output would go
        assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")) == []


def fails(capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path) -> tuple[int, str]:
    """Run ``kaoping extract PATH -o OUT``; return exit code and stderr; check nothing was written."""
    out = tmp_path / "outputs" / "out"
    code, stdout, err = run(capsys, "extract", str(path), "-o", str(out))
    assert stdout == ""
    assert_nothing_written(out)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return code, err


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path




def docx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(DOCX) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def pdf_bytes(writer: pypdf.PdfWriter) -> bytes:
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf(algorithm: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=PDF)
    writer.encrypt("secret", algorithm=algorithm)
    return pdf_bytes(writer)


def image_only_pdf() -> bytes:
    """Rasterise the sample's first table page into a PDF that is just a picture (like a scan)."""
    page = pypdfium2.PdfDocument(PDF.read_bytes())[2]
    image = page.render(scale=1).to_pil().convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="PDF")
    return buf.getvalue()


def blank_page_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    return pdf_bytes(writer)


def cover_page_pdf() -> bytes:
    """The sample's first page only: real text, but no table."""
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(PDF).pages[0])
    return pdf_bytes(writer)


def random_binary() -> bytes:
    rng = random.Random(7)
    return bytes([0, 1, 2, 3]) + bytes(rng.randrange(256) for _ in range(4096))


def docx_without_table() -> bytes:
    document = docx.Document()
    for line in ("泉州市某局文件", "关于印发绩效评估工作方案的通知", "各科室：现将方案印发给你们。"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def ratio_zip_bomb() -> bytes:
    """One member that inflates past the ratio limit (a classic bomb)."""
    return zip_bytes({"[Content_Types].xml": b"<Types/>",
                      "word/document.xml": b"<a>" + b" " * (dx.RATIO_CHECK_MIN_BYTES + 1024) + b"</a>"})


def total_size_zip_bomb() -> bytes:
    """Many members, each under the ratio check's size, together past the total limit."""
    size = dx.RATIO_CHECK_MIN_BYTES - 1
    count = dx.MAX_UNCOMPRESSED_BYTES // size + 1
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<a/>"}
    members.update({f"word/media/pad{i}.xml": b"\0" * size for i in range(count)})
    return zip_bytes(members)


def forged_size_zip_bomb() -> bytes:
    """A member whose headers claim 4 KiB but whose stream inflates to 20 MiB: reading must stop early."""
    data = bytearray(zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (20 << 20)}))
    name = b"word/document.xml"
    for signature, size_at, name_len_at, header_len in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        i = data.find(signature)
        while i != -1:
            n = struct.unpack_from("<H", data, i + name_len_at)[0]
            if bytes(data[i + header_len:i + header_len + n]) == name:
                struct.pack_into("<I", data, i + size_at, 4096)
            i = data.find(signature, i + 4)
    return bytes(data)


def utf16_with_lone_surrogate() -> bytes:
    units = TXT.read_text(encoding="utf-8").encode("utf-16-le")
    return units[:3000] + "\ud800".encode("utf-16-le", "surrogatepass") + units[3000:]


# --- input errors: (file name, bytes builder, exact reason) ---------------------------------

INPUT_ERRORS: list[tuple[str, Callable[[], bytes], str]] = [
    ("empty.txt", lambda: b"", "empty file"),
    ("blank.txt", lambda: b" \r\n\t\n\x0c", "empty file"),
    ("random.bin", random_binary, "unknown format: binary data that is not a notice kaoping reads (PDF, Word, OpenDocument, web page, Excel, image or text)"),
    ("random.pdf", random_binary, "unknown format: binary data that is not a notice kaoping reads (PDF, Word, OpenDocument, web page, Excel, image or text)"),
    ("enc-rc4.pdf", lambda: encrypted_pdf("RC4-128"), "encrypted PDF: remove the password first"),
    ("enc-aes128.pdf", lambda: encrypted_pdf("AES-128"), "encrypted PDF: remove the password first"),
    ("enc-aes256.pdf", lambda: encrypted_pdf("AES-256"), "encrypted PDF: remove the password first"),
    ("scan.pdf", image_only_pdf, "PDF has no text layer (scanned image?): run OCR first"),
    ("blank-page.pdf", blank_page_pdf, "PDF has no text layer (scanned image?): run OCR first"),
    ("not-a-zip.docx", lambda: b"PK\x03\x04" + b"word/document.xml garbage " * 20,
     "corrupt DOCX: not a valid zip archive"),
    ("half.docx", lambda: DOCX.read_bytes()[: DOCX.stat().st_size // 2], "corrupt DOCX: not a valid zip archive"),
    ("no-document.docx", lambda: zip_bytes({"word/styles.xml": b"<styles/>"}),
     "corrupt DOCX: word/document.xml missing"),
    ("archive.zip", lambda: zip_bytes({"notes/readme.md": b"hello"}),
     "an archive: unpack it and give kaoping the notice inside"),
    ("renamed.bin", lambda: zip_bytes({"notes/readme.md": b"hello"}),
     "zip archive that is neither a Word (.docx), Excel (.xlsx) nor OpenDocument file"),
    ("notice.ofd", lambda: zip_bytes({"OFD.xml": b"<ofd/>"}), "OFD is not supported yet: export it as PDF"),
    ("bad-xml.docx", lambda: zip_bytes({**docx_members(), "word/document.xml": b"<w:document><unclosed"}),
     "corrupt DOCX: word/document.xml is not well-formed XML (Namespace prefix w on document is not defined, "
     "line 1, column 12 (<string>, line 1))"),
    ("bomb.docx", ratio_zip_bomb, "DOCX too large when uncompressed (zip bomb?)"),
    ("wide-bomb.docx", total_size_zip_bomb, "DOCX too large when uncompressed (zip bomb?)"),
    ("forged-bomb.docx", forged_size_zip_bomb,
     "corrupt DOCX: cannot read word/document.xml (Bad CRC-32 for file 'word/document.xml')"),
    ("invalid.txt", lambda: "考评表\t序号\n".encode() + b"\x80\xff\xfe\x81\n",
     "cannot decode text: not UTF-8, UTF-16 or GB18030/GBK"),
    ("lone-surrogate.txt", utf16_with_lone_surrogate, "cannot decode text: not UTF-8, UTF-16 or GB18030/GBK"),
    ("no-table.txt", lambda: "某局文件\n关于印发考评方案的通知\n没有表格。\n".encode(),
     "no 考评表 found: the document has no table with indicator rows"),
    ("no-table.docx", docx_without_table, "no 考评表 found: the document has no table with indicator rows"),
    ("no-table.pdf", cover_page_pdf, "no 考评表 found: the document has no table with indicator rows"),
]


@pytest.mark.parametrize(("name", "build", "reason"), INPUT_ERRORS, ids=[c[0] for c in INPUT_ERRORS])
def test_bad_input_is_one_line_exit_3(name: str, build: Callable[[], bytes], reason: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, name, build())
    code, err = fails(capsys, path, tmp_path)
    assert err == f"kaoping: error: {path}: {reason}\n"
    assert code == 3


@pytest.mark.parametrize("keep", [0.05, 0.33, 0.9])
def test_truncated_pdf_is_corrupt(keep: float, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = PDF.read_bytes()
    path = write(tmp_path, "cut.pdf", data[: int(len(data) * keep)])
    code, err = fails(capsys, path, tmp_path)
    assert code == 3
    # the reason after the colon is pdfminer's own (e.g. "Unexpected EOF"): one short line
    assert err.startswith(f"kaoping: error: {path}: corrupt or truncated PDF: ")
    assert len(err) < len(str(path)) + 180


def test_pdf_header_without_body_is_corrupt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "stub.pdf", b"%PDF-1.7\n%%EOF\n")
    code, err = fails(capsys, path, tmp_path)
    assert code == 3
    assert err == f"kaoping: error: {path}: corrupt or truncated PDF: No /Root object! - Is this really a PDF?\n"


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere" / "notice.pdf"
    code, err = fails(capsys, path, tmp_path)
    assert (code, err) == (3, f"kaoping: error: {path}: no such file\n")


def test_directory_as_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    code, err = fails(capsys, folder, tmp_path)
    assert (code, err) == (3, f"kaoping: error: {folder}: is a directory\n")


# --- a lying suffix: the content decides ----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("source", "name"), [(PDF, "notice.txt"), (DOCX, "notice.pdf"), (TXT, "notice.docx")])
def test_suffix_that_lies_is_sniffed(source: Path, name: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, name, source.read_bytes())
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "extract", str(path), "-o", str(out), "--format", "json")
    assert (code, err) == (0, "")
    assert stdout.startswith(f"{name}: 61 indicators, weight total 100,")
    doc = json.loads((out / "notice.json").read_text(encoding="utf-8"))
    assert len(doc["indicators"]) == 61
    assert doc["notice"]["source_format"] == {".pdf": "pdf", ".docx": "docx", ".txt": "text"}[source.suffix]


# --- output errors (exit 4): nothing of the user's is lost ----------------------------------


def test_output_path_that_is_a_file_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = write(tmp_path, "report.txt", b"precious")
    code, stdout, err = run(capsys, "extract", str(TXT), "-o", str(target))
    assert (code, stdout) == (4, "")
    assert err == f"kaoping: error: {target}: output path exists and is not a folder\n"
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_output_below_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = write(tmp_path, "blocker", b"x")
    out = blocker / "sub" / "out"
    code, _, err = run(capsys, "extract", str(TXT), "-o", str(out))
    assert code == 4
    assert err == f"kaoping: error: {out}: cannot create output folder: a parent path is a file\n"
    assert blocker.read_bytes() == b"x"


def test_folder_with_foreign_files_is_not_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    keep = write(folder, "notice_2022.pdf", b"%PDF- mine")
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "extract", str(TXT), "-o", str(folder))
    assert code == 4
    assert err == (f"kaoping: error: {folder}: output folder holds 'notes.json', which kaoping did not "
                   "write; choose a new or empty folder\n")
    assert keep.read_bytes() == b"%PDF- mine"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.json", "notice_2022.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notices"]


def test_empty_folder_and_earlier_output_are_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert run(capsys, "extract", str(TXT), "-o", str(out), "--format", "json")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["notice.json"]
    assert run(capsys, "extract", str(TXT), "-o", str(out), "--format", "json,html")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["notice.json", "report.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# --- usage, findings, internal errors, --debug ----------------------------------------------


def test_no_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys) == (2, "", "kaoping: error: a command is required: extract, schema, diff or ingest "
                                  "(see kaoping --help)\n")


def test_unknown_output_format_is_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, err = run(capsys, "extract", str(TXT), "-o", str(out), "--format", "json,pdf")
    assert code == 2
    assert err == (f"kaoping: error: {TXT}: unknown output format 'pdf' "
                   "(choose from json, parquet, html, xlsx, csv or all)\n")
    assert_nothing_written(out)


def weight_changed_notice(tmp_path: Path) -> Path:
    """The sample with one item weight raised: its group, category and totals no longer add up."""
    text = TXT.read_text(encoding="utf-8")
    line = next(x for x in text.split("\n") if x.startswith("\t\t8-2\t"))
    assert "\t1\t12月底前" in line
    return write(tmp_path, "changed.txt", text.replace(line, line.replace("\t1\t12月底前", "\t2\t12月底前")).encode())


def test_strict_exits_1_on_error_findings_but_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = weight_changed_notice(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "extract", str(path), "-o", str(out), "--strict")
    assert code == 1  # the sums no longer close: said on stderr, with the rows named
    assert err.startswith("kaoping: warning: changed.txt: hierarchy inconsistent: category 行政能力目标 prints 25 but "
                          "its items sum to 26 (rows 4-1, 4-2,")
    assert "61 indicators, weight total 101," in stdout
    assert (out / "notice.json").is_file()
    assert run(capsys, "extract", str(path), "-o", str(out), "-q")[:3] == (0, "", "")
    assert run(capsys, "extract", str(TXT), "-o", str(out), "-q", "--strict") == (0, "", "")


def test_internal_error_is_one_line_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*_: object, **__: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("kaoping.api.extract", boom)
    out = tmp_path / "out"
    code, _, err = run(capsys, "extract", str(TXT), "-o", str(out))
    assert code == 1
    assert err == (f"kaoping: error: {TXT}: internal error: ZeroDivisionError: division by zero "
                   "(rerun with --debug)\n")
    assert_nothing_written(out)


def test_debug_lets_the_exception_through(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", b"")
    with pytest.raises(InputError, match="^empty file$"):
        main(["--debug", "extract", str(path), "-o", str(tmp_path / "out")])
    assert_nothing_written(tmp_path / "out")


@pytest.mark.slow
def test_damaged_pdf_chatter_stays_off_stderr(tmp_path: Path) -> None:
    """pdfminer logs warnings for a damaged stream; the CLI keeps stderr to its one-line contract."""
    data = bytearray(PDF.read_bytes())
    start = data.index(b"stream", data.index(b"stream") + 500)
    for k in range(start + 40, start + 60):
        data[k] ^= 0x55
    path = write(tmp_path, "damaged.pdf", bytes(data))
    proc = subprocess.run([str(KAOPING), "extract", str(path), "-o", str(tmp_path / "out"), "-q", "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


# --- the installed command, for real --------------------------------------------------------


@pytest.mark.slow
def test_installed_command_reports_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "坏 文件.pdf", PDF.read_bytes()[:5000])
    out = tmp_path / "out"
    proc = subprocess.run([str(KAOPING), "extract", str(path), "-o", str(out)], capture_output=True, text=True,
                          check=False, cwd=tmp_path)
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"kaoping: error: {path}: corrupt or truncated PDF: ")
    assert proc.stderr.count("\n") == 1
    assert_nothing_written(out)
    debug = subprocess.run([str(KAOPING), "--debug", "extract", str(path), "-o", str(out)], capture_output=True,
                           text=True, check=False, cwd=tmp_path)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert "kaoping.schema.errors.InputError: corrupt or truncated PDF: " in debug.stderr
    assert_nothing_written(out)


def test_unrelated_table_is_no_evaluation_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "关于开会的通知\n姓名\t电话\t单位\n张三\t123456\t办公室\n李四\t654321\t财务科\n"
    path = write(tmp_path, "contacts.txt", text.encode())
    code, err = fails(capsys, path, tmp_path)
    assert (code, err) == (3, f"kaoping: error: {path}: no 考评表 found: the document has no table with "
                              "indicator rows\n")
