"""The one Chinese-numeral reader: 四, 十五, 两百, 一千二百三十, 二〇二二 (digit by digit) → numbers.

Dates (八月三十一日), targets (十五个), citation counts (两项) and ordinals (一、) all read numerals here.
"""

from __future__ import annotations

CHINESE_DIGITS = dict(zip("〇零一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
CHINESE_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def chinese_to_number(text: str) -> int | None:
    """四 → 4, 十五 → 15, 两百 → 200, 一千二百三十 → 1230; None if it is not a numeral."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CHINESE_DIGITS:
            if digit and ch not in "〇零":
                return None  # 二三 is not a numeral
            digit = CHINESE_DIGITS[ch]
        elif ch in CHINESE_SCALES:
            scale = CHINESE_SCALES[ch]
            if scale >= 10_000:
                section = (section + (digit or 0)) * scale
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * scale
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def chinese_digits_to_number(text: str) -> int | None:
    """A numeral written digit by digit, as years are (二〇二二 → 2022); None if a character is no digit."""
    if not text or any(ch not in CHINESE_DIGITS for ch in text):
        return None
    return int("".join(str(CHINESE_DIGITS[ch]) for ch in text))
