"""发文字号 (document numbers): 机关代字 + 〔year〕 + serial + 号, as real documents print them.

Accepted variants: the year in 〔〕 [] () （） 【】 ［］ 〖〗 ｛｝; spaces anywhere between the parts;
full-width digits; 第 before the serial; zero-padded serials.  Everything normalises to
``代字〔YYYY〕N号``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kaoping.normalize.facts import data_lines

_OPEN = "〔[(（【［〖｛{"
_CLOSE = "〕])）】］〗｝}"
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TAIL = (
    rf"\s*[{re.escape(_OPEN)}]\s*(?P<year>[0-9０-９]{{4}})\s*[{re.escape(_CLOSE)}]"
    r"\s*(?:第\s*)?(?P<serial>[0０]*[0-9０-９]{1,6})\s*"
)
# In running text the 代字 is the run of Han characters right before the bracket (no spaces: a
# space there more often separates the number from the words before it). The run is bounded: an unbounded
# ``+`` backtracks over the whole run at every start, quadratic in a long paragraph of Han text; only its
# last _MAX_CODE characters (or a known 代字) are ever kept, and no 代字 is near _MAX_RUN long.
_MAX_RUN = 64
_FIND_RE = re.compile(rf"(?P<code>[{_HAN}]{{1,{_MAX_RUN}}}){_TAIL}号")
# A string that is meant to be one number may have spaces inside the 代字 and may omit 号.
_FULL_RE = re.compile(rf"^\s*(?P<code>[{_HAN}](?:[\s{_HAN}]*[{_HAN}])?){_TAIL}号?\s*$")
# Words that end a title: when a 代字 run has no bracket before it, cut after the last of them.
_MAX_CODE = 10


@cache
def _title_end_re() -> re.Pattern[str]:
    """Document-type endings of a title (data/title_endings.txt), longest first."""
    return re.compile("|".join(map(re.escape, sorted(data_lines("title_endings.txt"), key=len, reverse=True))))


@dataclass(frozen=True, order=True)
class DocNumber:
    code: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.serial}号"


@dataclass(frozen=True)
class DocNumberMatch:
    number: DocNumber
    start: int
    end: int


def _int(digits: str) -> int:
    return int(unicodedata.normalize("NFKC", digits))


def _clean_code(code: str) -> str:
    code = re.sub(r"\s+", "", code)
    return code[:-1] if code.endswith("第") else code


def last_word_code(code: str) -> str:
    """The 代字 of a line that prints a word before it ('政务公开 泉国资办': a web page's sidebar beside the
    number, one line in its print): words of two or more characters on both sides of the last space. A code
    letter-spaced by justification ('泉 国 资 办', '泉 国资办') keeps all its pieces."""
    words = code.split()
    return words[-1] if len(words) >= 2 and len(words[-1]) >= 2 and len(words[-2]) >= 2 else code


def text_to_docnumber(text: str | None) -> DocNumber | None:
    """'泉效综〔2022〕3 号', '泉政办[2022]02号', '泉委办（2022）第5号' → DocNumber; None when not a number."""
    if not text:
        return None
    m = _FULL_RE.match(text)
    if not m:
        return None
    code = _clean_code(last_word_code(m["code"]))
    if not code or "第" in code or "号" in code:
        return None
    return DocNumber(code, _int(m["year"]), _int(m["serial"]))


def _trim_code(run: str, known_codes: Iterable[str]) -> str:
    """The 代字 at the end of a Han run that may also hold the end of a title."""
    suffixes = [c for c in known_codes if run.endswith(c)]
    if suffixes:
        return max(suffixes, key=len)
    cut = 0
    for m in _title_end_re().finditer(run):
        if len(run) - m.end() >= 2:
            cut = m.end()
    code = run[cut:]
    return code[-_MAX_CODE:] if len(code) > _MAX_CODE else code


def find_docnumbers(text: str, known_codes: Iterable[str] = ()) -> list[DocNumberMatch]:
    """Every 发文字号 in a running text, with its span (start at the 代字 as trimmed)."""
    known = tuple(known_codes)
    found: list[DocNumberMatch] = []
    for m in _FIND_RE.finditer(text):
        code = _trim_code(_clean_code(m["code"]), known)
        if not code:
            continue
        start = m.end("code") - len(code)
        found.append(DocNumberMatch(DocNumber(code, _int(m["year"]), _int(m["serial"])), start, m.end()))
    return found


def normalise_docnumber(text: str | None) -> str | None:
    """Normalised form of a printed number, or None when it is not one."""
    number = text_to_docnumber(text)
    return str(number) if number else None
