"""Dates as printed in notices → ISO dates: 12月底前, 2022年7月10日前, 2022年9月至12月, 2023年1月中旬."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cache

from kaoping.normalize.facts import data_lines, data_rows, deadline_words
from kaoping.normalize.numerals import chinese_digits_to_number, chinese_to_number
from kaoping.normalize.textfold import squash

_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?")
_DOTTED = re.compile(r"(\d{4})[.\-/／](\d{1,2})[.\-/／](\d{1,2})")

_QUARTER = re.compile(r"(?:第)?([一二三四1-4])季度")

_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _arabic(s: str) -> str:
    """Chinese-numeral and dotted dates in Arabic 年月日 form: 二〇二二年八月三日, 2022.12.31 → 2022年12月31日."""
    def cn(m: re.Match[str]) -> str:
        year = chinese_digits_to_number(m.group(1))
        day = f"{chinese_to_number(m.group(3))}日" if m.group(3) else ""
        return f"{year}年{chinese_to_number(m.group(2))}月{day}"

    s = _CN_DATE.sub(cn, s)
    return _DOTTED.sub(lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", s)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def text_to_date_range(text: str | None, year: int | None) -> tuple[dt.date | None, dt.date | None]:
    """The first date expression in ``text`` as (start, end); a single day gives start == end.

    '2022年9月至12月' → (2022-09-01, 2022-12-31); '7月底前' → (None, 2022-07-31) ('前' = deadline).
    """
    s = _arabic(squash(text))
    if not s:
        return None, None
    matches = list(_ymd_re().finditer(s))
    if not matches:
        month = next((m for w, m in deadline_words().items() if w in s and m), None)
        if year and month:
            return None, _month_end(year, month)
        if year and (q := _QUARTER.search(s)):
            n = chinese_to_number(q.group(1)) or int(q.group(1))
            return None, _month_end(year, n * 3)
        return None, None
    first = matches[0]
    if year is not None and s[: first.start()].endswith(data_lines("next_year_words.txt")):
        year += 1  # 次年1月底前: the month of the year after the notice's
    y = int(first.group(1)) if first.group(1) else year
    if y is None:
        return None, None
    start, end = _span(y, first)
    if start is None and end is None:
        return None, None
    tail = s[first.end():]
    if len(matches) > 1 and re.match(r"^(至|到|-|—|～|~)", tail):
        second = matches[1]
        y2 = int(second.group(1)) if second.group(1) else y
        end = _span(y2, second)[1]
        return start, end
    if tail.startswith("前") or tail.startswith("以前"):
        return None, end
    return start, end


@cache
def _month_parts() -> dict[str, tuple[int | None, int | None]]:
    """上旬 → (1, 10), 底 → (None, None): the days a month part covers (data/month_parts.csv)."""
    return {r["word"]: (int(r["first_day"]) if r["first_day"] else None, int(r["last_day"]) if r["last_day"] else None)
            for r in data_rows("month_parts.csv")}


@cache
def _ymd_re() -> re.Pattern[str]:
    parts = "|".join(sorted(map(re.escape, _month_parts()), key=len, reverse=True))
    return re.compile(rf"(?:(\d{{4}})年)?(\d{{1,2}})月(?:(\d{{1,2}})日|({parts}))?")


def _span(year: int, m: re.Match[str]) -> tuple[dt.date | None, dt.date | None]:
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None, None
    day, part = m.group(3), m.group(4)
    if day:
        d = _safe(year, month, int(day))
        return d, d
    last = _month_end(year, month)
    if part is None:
        return dt.date(year, month, 1), last
    first_day, last_day = _month_parts()[part]
    end = dt.date(year, month, last_day) if last_day else last
    return (dt.date(year, month, first_day) if first_day else end), end


def deadline_to_date(deadline: str | None, year: int | None) -> dt.date | None:
    """'12月底前' → 2022-12-31 (last day of that month in the notice's year); None when unparseable."""
    return text_to_date_range(deadline, year)[1]


def line_to_date(text: str | None) -> dt.date | None:
    """A paragraph that is nothing but a date (成文日期, 2022年8月3日)."""
    m = _DATE_LINE.match(_arabic(squash(text)))
    return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
