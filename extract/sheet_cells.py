"""A spreadsheet cell as it is printed: its value through its number format, never the stored float.

A weight stored as 2.0 prints "2"; a date prints as its format says ('yyyy"年"m"月"d"日"' → 2022年7月27日),
and a date whose format Excel keeps as a locale-dependent built-in id (the zh-CN ids 27-36 and 50-58, which
openpyxl reports as 'General') is still printed as a date rather than as its serial number.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

#: ECMA-376 Part 1, 18.8.30: the zh-CN built-in date/time formats openpyxl does not know (it says 'General'),
#: and id 14, the system short date, shown as a Chinese system shows it rather than as US mm-dd-yy
CJK_BUILTIN_FORMATS = {
    14: "yyyy/m/d", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: 'h"时"mm"分"', 35: 'h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"',
    55: 'h"时"mm"分"', 56: 'h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}
#: Excel's 1900 date system: serial 1 is 1900-01-01, with the fictitious 1900-02-29 (hence 1899-12-30)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
#: a general-format number shows at most this many significant digits (Excel shows 11 in a normal-width
#: column and stores 15; 15 keeps every digit a person typed and hides float noise such as 0.30000000000000004)
GENERAL_DIGITS = 15

_DATE_TOKEN = re.compile(r'"[^"]*"|\\.|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|AM/PM|上午/下午|e|.',
                         re.IGNORECASE)
_DECIMALS = re.compile(r"0\.(0+)")


def number_format_of(cell: Any) -> str:
    """The cell's format string, with the locale built-ins openpyxl leaves out restored."""
    style = getattr(cell, "_style", None)
    fmt_id = getattr(style, "numFmtId", None)
    if isinstance(fmt_id, int) and fmt_id in CJK_BUILTIN_FORMATS:
        return CJK_BUILTIN_FORMATS[fmt_id]
    return str(getattr(cell, "number_format", "General") or "General")


def is_date_format(fmt: str) -> bool:
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)
    return bool(re.search(r"[ymdhs]", bare, re.IGNORECASE))


def format_general(value: float) -> str:
    """2.0 → '2', 0.5 → '0.5', 1e20 → '1e+20': the shortest text that shows the number."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{GENERAL_DIGITS}g}"


def format_number(value: float, fmt: str) -> str:
    """Decimals, thousands separators and percent as the format prints them; anything else as General."""
    if not math.isfinite(value):
        return str(value)
    section = fmt.split(";")[0]
    bare = re.sub(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', "", section)
    if not re.search(r"[0#]", bare):
        return format_general(value)
    percent = "%" in bare
    shown = value * 100 if percent else value
    m = _DECIMALS.search(bare)
    decimals = len(m.group(1)) if m else 0
    text = f"{shown:,.{decimals}f}" if "," in bare else f"{shown:.{decimals}f}"
    return text + ("%" if percent else "")


def format_date(value: dt.datetime | dt.date | dt.time, fmt: str) -> str:
    """A date through an Excel date format: y/m/d/h/s tokens, quoted and escaped literals, [..] dropped."""
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1900, 1, 1), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    section = re.sub(r"\[[^\]]*\]", "", fmt.split(";")[0])
    tokens = _DATE_TOKEN.findall(section)
    out: list[str] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if tok.startswith('"'):
            out.append(tok[1:-1])
        elif tok.startswith("\\"):
            out.append(tok[1:])
        elif low in ("yyyy", "e"):
            out.append(f"{value.year:04d}")
        elif low == "yy":
            out.append(f"{value.year % 100:02d}")
        elif low in ("m", "mm") and _is_minute(tokens, i):
            out.append(f"{value.minute:02d}" if low == "mm" else str(value.minute))
        elif low in ("m", "mm", "mmm", "mmmm"):
            out.append(f"{value.month:02d}" if low == "mm" else str(value.month))
        elif low in ("d", "dd"):
            out.append(f"{value.day:02d}" if low == "dd" else str(value.day))
        elif low in ("h", "hh"):
            out.append(f"{value.hour:02d}" if low == "hh" else str(value.hour))
        elif low in ("s", "ss"):
            out.append(f"{value.second:02d}" if low == "ss" else str(value.second))
        elif low in ("ddd", "dddd", "am/pm", "上午/下午"):
            out.append("")  # weekday names and 12-hour markers: not part of any date a notice prints
        else:
            out.append(tok)
    text = "".join(out).strip()
    return text or value.date().isoformat()


def _is_minute(tokens: list[str], i: int) -> bool:
    """'m' is minutes right after an hour or right before seconds (Excel's rule)."""
    before = next((t.lower() for t in reversed(tokens[:i]) if t.strip() and t.lower()[0] in "ymdhs"), "")
    after = next((t.lower() for t in tokens[i + 1:] if t.strip() and t.lower()[0] in "ymdhs"), "")
    return before.startswith("h") or after.startswith("s")


def value_to_text(value: Any, fmt: str) -> str:
    """One stored value and its number format → the text the sheet prints."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return format_date(value, fmt if is_date_format(fmt) else "yyyy-mm-dd")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        if is_date_format(fmt) and 0 < value < 2958466:  # a serial under a date format (up to 9999-12-31)
            return format_date(EXCEL_EPOCH + dt.timedelta(days=float(value)), fmt)
        return format_number(float(value), fmt)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def cell_to_text(cell: Any) -> str:
    return value_to_text(cell.value, number_format_of(cell))


__all__ = ["cell_to_text", "format_date", "format_number", "value_to_text"]
