"""Encodings, line ends and file names: re-encoded copies of the text sample give the same records."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from kaoping.extract import sniff_format
from kaoping.extract.text import bytes_to_text, utf16_byte_order
from kaoping.schema.errors import InputError
from kaoping.schema.models import NoticeDocument
from support import ROOT, SAMPLES

from kaoping.api import extract
from kaoping.cli import main

TXT = SAMPLES / "notice_2022.txt"
TEXT = TXT.read_text(encoding="utf-8")

ENCODINGS = {
    "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "gbk-crlf": lambda t: t.replace("\n", "\r\n").encode("gbk"),
    "utf-16-bom": lambda t: t.encode("utf-16"),
    "utf-16-le": lambda t: t.encode("utf-16-le"),
    "utf-16-be": lambda t: t.encode("utf-16-be"),
}


def records(doc: NoticeDocument) -> dict[str, object]:
    """What must not depend on the bytes: indicators (minus ``source``), issues, totals, accounting."""
    return {
        "indicators": [i.model_dump(mode="json", exclude={"source"}) for i in doc.indicators],
        "lines": [i.source.lines for i in doc.indicators],
        "issues": [i.model_dump(mode="json") for i in doc.issues],
        "totals": [t.model_dump(mode="json") for t in doc.totals],
        "accounting": doc.accounting.model_dump(),
        "notice": doc.notice.model_dump(mode="json", exclude={"source_file", "sha256"}),
    }


@pytest.fixture(scope="module")
def original() -> dict[str, object]:
    doc = extract(TXT)
    assert len(doc.indicators) == 61
    return records(doc)


def test_sample_is_plain_utf8() -> None:
    data = TXT.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert data.decode("utf-8") == TEXT


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_reencoded_copy_gives_the_same_records(name: str, original: dict[str, object], tmp_path: Path) -> None:
    data = ENCODINGS[name](TEXT)
    assert data != TXT.read_bytes()
    path = tmp_path / f"notice_{name}.txt"
    path.write_bytes(data)
    doc = extract(path)
    assert doc.notice.source_file == path.name
    assert records(doc) == original


@pytest.mark.parametrize("name", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_is_recognised(name: str) -> None:
    data = ENCODINGS[name](TEXT)
    assert utf16_byte_order(data) == name
    assert sniff_format(data) == "text"
    assert bytes_to_text(data) == TEXT


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    TEXT.encode("gb18030"),
    bytes(range(256)) * 8,  # zero bytes spread evenly: binary, not UTF-16
    "序号".encode("utf-16-le"),  # too short to tell
])
def test_utf16_sniff_needs_evidence(data: bytes) -> None:
    assert utf16_byte_order(data) is None


def test_binary_with_zero_bytes_is_still_unknown() -> None:
    with pytest.raises(InputError, match="^unknown format: binary data"):
        sniff_format(b"\x00\x01" * 100 + bytes(range(256)))


def test_invalid_bytes_are_refused_not_guessed() -> None:
    # UTF-8 with one byte that is invalid in GB18030 as well (0x80/0xFF never start a GB18030 character)
    data = TEXT.encode("utf-8")
    cut = data.index("考评表".encode())
    with pytest.raises(InputError, match=r"^cannot decode text: not UTF-8, UTF-16 or GB18030/GBK$"):
        bytes_to_text(data[:cut] + b"\xff" + data[cut:])


def test_gb18030_only_characters_survive() -> None:
    text = "考评表\t𠀀\t㐀\n"  # a CJK Extension B and an Extension A character: outside GBK
    assert bytes_to_text(text.encode("gb18030")) == text


def test_path_with_spaces_and_chinese(original: dict[str, object], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "泉州 国资委" / "2022 年度"
    folder.mkdir(parents=True)
    path = folder / "绩效 考评表 (2022).txt"
    path.write_bytes(ENCODINGS["gbk-crlf"](TEXT))
    out = folder / "输出 结果"
    assert main(["extract", str(path), "-o", str(out), "--format", "json"]) == 0
    assert capsys.readouterr().out.startswith("绩效 考评表 (2022).txt: 61 indicators,")
    doc = NoticeDocument.model_validate_json((out / "notice.json").read_text(encoding="utf-8"))
    assert doc.notice.source_file == "绩效 考评表 (2022).txt"
    assert records(doc) == original


def test_installed_command_with_chinese_path(tmp_path: Path) -> None:
    path = tmp_path / "考评 表.txt"
    path.write_bytes(ENCODINGS["utf-8-bom"](TEXT))
    out = tmp_path / "结果 目录"
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "kaoping"), "extract", str(path), "-o", str(out),
                           "--format", "json"], capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("考评 表.txt: 61 indicators, weight total 100,")
    notice = json.loads((out / "notice.json").read_text(encoding="utf-8"))["notice"]
    assert notice["source_file"] == "考评 表.txt"
