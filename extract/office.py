"""Legacy Word (.doc), WPS (.wps), RTF and OpenDocument text (.odt): LibreOffice converts, the .docx reader reads.

One converter for every format LibreOffice knows: ``soffice --headless --convert-to`` run in a fresh
temporary folder with its own user profile (``-env:UserInstallation``), so calls never share or lock a
profile and nothing of the user's LibreOffice setup is touched; the folder (input copy, converted file,
profile) is removed whatever happens. The spreadsheet reader uses the same converter for .xls and .ods.

Before LibreOffice is started (seconds per call) the bytes get a cheap structural check, so garbage is
refused at once with a precise reason instead of being handed to a converter that may read anything as
plain text. Every failure is an :class:`InputError` (exit 3).
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from kaoping.extract.docx import check_zip_limits, docx_to_raw
from kaoping.schema.errors import InputError
from kaoping.schema.raw import RawDocument, SourceInfo

log = logging.getLogger(__name__)

#: seconds one conversion may take. Measured here: the 12-page sample converts in about 3 s including
#: LibreOffice's start with a fresh profile (the slow part); on a loaded machine we saw up to ~15 s.
#: 120 s leaves that ample headroom while still ending a conversion that hangs (LibreOffice can wait
#: forever on a malformed file or a dialog it thinks it is showing).
CONVERT_TIMEOUT_S = 120
INSTALL_HINT = {
    "docx": "Debian/Ubuntu: apt-get install libreoffice-writer-nogui",
    "xlsx": "Debian/Ubuntu: apt-get install libreoffice-calc-nogui",
}
#: LibreOffice's export filter per target (the Calc one also names the program that must be installed)
EXPORT_FILTER = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: a Compound File header is one 512-byte sector; a real file has at least the header, a FAT and a directory
OLE2_MIN_BYTES = 1536
#: zip mimetype member of each OpenDocument kind we read
ODF_MIMETYPES = {"odt": "application/vnd.oasis.opendocument.text",
                 "ods": "application/vnd.oasis.opendocument.spreadsheet"}
KIND_NAMES = {"doc": "Word 97-2003 (.doc)", "wps": "WPS (.wps)", "rtf": "RTF", "odt": "OpenDocument text (.odt)",
              "xls": "Excel 97-2003 (.xls)", "ods": "OpenDocument spreadsheet (.ods)"}


# --- cheap checks before LibreOffice starts ------------------------------------------------


def check_ole2(data: bytes, kind: str) -> None:
    """A Compound File (.doc, .wps, .xls): magic, byte-order mark, a version and sector size that exist."""
    name = KIND_NAMES.get(kind, kind)
    if not data.startswith(OLE2_MAGIC):
        raise InputError(f"not a {name} file: no Compound File signature")
    if len(data) < OLE2_MIN_BYTES:
        raise InputError(f"corrupt {name} file: truncated ({len(data)} bytes)")
    major = int.from_bytes(data[26:28], "little")
    byte_order = data[28:30]
    sector_shift = int.from_bytes(data[30:32], "little")
    if byte_order != b"\xfe\xff" or (major, sector_shift) not in ((3, 9), (4, 12)):
        raise InputError(f"corrupt {name} file: damaged Compound File header")


def check_rtf(data: bytes) -> None:
    """RTF is 7-bit text in balanced braces; a NUL byte or unbalanced braces mean binary or a truncated file."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError("not an RTF file: it does not start with {\\rtf")
    if b"\x00" in data and b"\\bin" not in data:  # \binN is the one place raw bytes are allowed
        raise InputError("corrupt RTF file: binary data (NUL bytes) in the text")
    depth, escaped = 0, False
    for byte in data:
        if escaped:
            escaped = False
        elif byte == 0x5C:  # backslash: the next character is escaped (\{, \}, \\)
            escaped = True
        elif byte == 0x7B:
            depth += 1
        elif byte == 0x7D:
            depth -= 1
            if depth < 0:
                break
    if depth != 0:
        raise InputError("corrupt RTF file: its braces do not balance (truncated or damaged)")


def check_odf(data: bytes, kind: str) -> None:
    """An OpenDocument package: a readable zip within the size limits, with content.xml."""
    name = KIND_NAMES.get(kind, kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip_limits(zf)
            names = set(zf.namelist())
    except InputError:
        raise InputError(f"{name} too large when uncompressed (zip bomb?)") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
        raise InputError(f"corrupt {name} file: not a valid zip archive") from None
    if "content.xml" not in names:
        raise InputError(f"corrupt {name} file: content.xml missing")


def check_input(data: bytes, kind: str) -> None:
    if kind in ("doc", "wps", "xls"):
        check_ole2(data, kind)
    elif kind == "rtf":
        check_rtf(data)
    elif kind in ("odt", "ods"):
        check_odf(data, kind)


# --- the converter ---------------------------------------------------------------------------


def find_soffice(target: str) -> str:
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    raise InputError(f"LibreOffice is needed to read this file and `soffice` was not found on PATH: "
                     f"install it ({INSTALL_HINT[target]}) or save the file as .{target}")


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run LibreOffice in its own process group, so a timeout ends soffice.bin too, not only its launcher."""
    env = {**os.environ, "HOME": str(cwd)}  # anything LibreOffice writes outside the profile stays in cwd
    with subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=CONVERT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def convert(data: bytes, kind: str, target: str) -> bytes:
    """``data`` (a ``kind`` file) converted by LibreOffice to ``target`` ('docx' or 'xlsx'); nothing is left behind."""
    check_input(data, kind)
    soffice = find_soffice(target)
    name = KIND_NAMES.get(kind, kind)
    work = Path(tempfile.mkdtemp(prefix="kaoping-office-"))
    try:
        src = work / f"input.{kind}"
        src.write_bytes(data)
        out_dir = work / "out"
        cmd = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nologo", "--nolockcheck", "--nodefault", "--convert-to", EXPORT_FILTER[target],
               "--outdir", str(out_dir), str(src)]
        try:
            done = _run(cmd, work)
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice did not finish converting this {name} file within "
                             f"{CONVERT_TIMEOUT_S} s; open it and save it as .{target}") from None
        except OSError as exc:
            raise InputError(f"LibreOffice could not be started ({exc.strerror or exc})") from None
        result = out_dir / f"input.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            reason = _last_line(done.stderr) or f"exit status {done.returncode}"
            raise InputError(f"LibreOffice could not convert this {name} file ({reason}); "
                             f"open it and save it as .{target}")
        log.debug("soffice converted %s to %s (%d bytes)", kind, target, result.stat().st_size)
        return result.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _last_line(stderr: bytes) -> str:
    lines = [x.strip() for x in stderr.decode("utf-8", "replace").splitlines()
             if x.strip() and "javaldx" not in x]  # the Java launcher warning says nothing about the file
    text = lines[-1] if lines else ""
    return text if len(text) <= 120 else text[:117] + "..."


def office_to_raw(data: bytes, source: SourceInfo) -> RawDocument:
    """Read a .doc, .wps, .rtf or .odt notice: LibreOffice makes a .docx, the .docx reader reads it.

    ``source`` keeps naming the original file and its format; the intermediate .docx is never seen."""
    converted = convert(data, source.format, "docx")
    try:
        raw = docx_to_raw(converted, source)
    except InputError as exc:
        raise InputError(f"{KIND_NAMES.get(source.format, source.format)} file converted by LibreOffice, "
                         f"but the result is unreadable: {exc.message}") from None
    return raw


__all__ = ["CONVERT_TIMEOUT_S", "check_input", "convert", "find_soffice", "office_to_raw"]
