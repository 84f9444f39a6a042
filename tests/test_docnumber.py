from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kaoping.normalize.docnumber import DocNumber, find_docnumbers, normalise_docnumber, text_to_docnumber


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("泉效综〔2022〕3号", "泉效综〔2022〕3号"),
        ("泉效综〔2022〕3 号", "泉效综〔2022〕3号"),
        ("泉政办[2022]2号", "泉政办〔2022〕2号"),
        ("泉政办(2022)2号", "泉政办〔2022〕2号"),
        ("泉政办（2022）2号", "泉政办〔2022〕2号"),
        ("泉政办【2022】2号", "泉政办〔2022〕2号"),
        ("泉政办［2022］2号", "泉政办〔2022〕2号"),
        ("泉委办〔2022〕第5号", "泉委办〔2022〕5号"),
        ("泉委办〔2022〕005号", "泉委办〔2022〕5号"),
        ("泉委办 〔 2022 〕 第 05 号", "泉委办〔2022〕5号"),
        ("泉 市直政府绩效办〔2022〕1号", "泉市直政府绩效办〔2022〕1号"),
        ("泉政办明传〔２０２２〕７号", "泉政办明传〔2022〕7号"),
        ("泉防控指办〔2022〕220号", "泉防控指办〔2022〕220号"),
    ],
)
def test_variants_normalise(printed: str, expected: str) -> None:
    assert normalise_docnumber(printed) == expected


def test_parts() -> None:
    assert text_to_docnumber("泉政办明传〔2022〕07号") == DocNumber("泉政办明传", 2022, 7)


@pytest.mark.parametrize("text", ["", "三定方案", "泉政办2022年2号", "〔2022〕2号", "泉政办〔22〕2号", "泉政办〔2022〕号"])
def test_not_numbers(text: str) -> None:
    assert text_to_docnumber(text) is None


def test_find_in_running_text() -> None:
    text = "根据《…的通知》（泉效综〔2022〕3 号）和《…实施方案的通知》（泉市直政府绩效办〔2022〕1 号）等文件要求"
    found = find_docnumbers(text)
    assert [str(f.number) for f in found] == ["泉效综〔2022〕3号", "泉市直政府绩效办〔2022〕1号"]
    assert text[found[0].start : found[0].end] == "泉效综〔2022〕3 号"


def test_find_trims_title_glued_to_code() -> None:
    glued = "关于做好区域核酸检测相关工作的通知泉防控指办〔2022〕220号"
    assert [str(f.number) for f in find_docnumbers(glued)] == ["泉防控指办〔2022〕220号"]
    glued = "关于印发某某行动方案泉委办〔2022〕5号"
    assert [str(f.number) for f in find_docnumbers(glued, known_codes=["委办", "泉委办"])] == ["泉委办〔2022〕5号"]


_CODES = st.text(alphabet="泉政办文委效综市直府绩国资防控指明传发闽厦漳莆宁岩", min_size=1, max_size=8)
_BRACKETS = st.sampled_from(["〔〕", "[]", "()", "（）", "【】", "［］", "〖〗"])
_SPACE = st.sampled_from(["", " ", "  ", "\u3000"])


@given(code=_CODES, year=st.integers(1949, 2099), serial=st.integers(1, 99999), brackets=_BRACKETS,
       pad=st.integers(0, 3), di=st.booleans(), spaces=st.lists(_SPACE, min_size=6, max_size=6))
def test_round_trip(code: str, year: int, serial: int, brackets: str, pad: int, di: bool, spaces: list[str]) -> None:
    o, c = brackets
    s = spaces
    printed = f"{code}{s[0]}{o}{s[1]}{year}{s[2]}{c}{s[3]}{'第' if di else ''}{s[4]}{'0' * pad}{serial}{s[5]}号"
    number = text_to_docnumber(printed)
    assert number == DocNumber(code, year, serial)
    assert str(number) == f"{code}〔{year}〕{serial}号"
    assert text_to_docnumber(str(number)) == number
    found = find_docnumbers(f"（{printed}）", known_codes=[code])
    assert [f.number for f in found] == [number]


def test_a_word_printed_before_the_number_on_its_line_is_not_its_code() -> None:
    # a web page's sidebar (政务公开) prints on the number's line; a justified code's letters stay one code
    assert text_to_docnumber("政务公开 泉国资办〔2022〕196号") == DocNumber("泉国资办", 2022, 196)
    assert text_to_docnumber("泉 国 资 办〔2022〕196号") == DocNumber("泉国资办", 2022, 196)
    assert text_to_docnumber("泉 国资办〔2022〕196号") == DocNumber("泉国资办", 2022, 196)
