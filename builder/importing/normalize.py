"""The documented normalizations of one cell. Each returns the new value; the caller reports the change.

In: a cell's text and its field.
Out: the normalized text, or `Refused` naming the rule that stops it (a value is never guessed).

- trim: spaces at either end, including U+3000 (全角空格) and U+00A0 (no-break space); never inside.
- nfkc: Unicode NFKC (全角 → 半角) on codes, numbers, dates and booleans only, never on display names.
- city: 广州 / 广州市 / Guangzhou → 440100, for fields that reference reference/cities.
- iso_date: 2022/3/10, 2022.3.10, 2022年3月10日, 2022-3-10 → 2022-03-10.
- number: a unit the field declares in x-multipliers, e.g. {"万": 10000}: 1.2万 → 12000.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from builder.importing.target import FieldSpec

# Every Unicode space separator (Zs): ASCII space, U+00A0, U+3000, U+2000–U+200A, U+202F, U+205F, U+1680.
SPACES = "".join(chr(c) for c in range(0x3001) if unicodedata.category(chr(c)) == "Zs")


class Refused(Exception):
    def __init__(self, rule: str, **details: Any):  # the message's placeholders
        super().__init__(rule)
        self.rule = rule
        self.details = details


def trim(value: str) -> str:
    return value.strip(SPACES)


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def city(value: str, names: dict[str, str]) -> str | None:
    return names.get(value.casefold())


# --- dates --------------------------------------------------------------------------------------------------

_DATES = [
    re.compile(p)
    for p in (
        r"(\d{4})-(\d{1,2})-(\d{1,2})",
        r"(\d{4})/(\d{1,2})/(\d{1,2})",
        r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
        r"(\d{4})年(\d{1,2})月(\d{1,2})日",
    )
]
_YEAR_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月)?|(\d{4})年")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})")
_SHORT_YEAR = re.compile(r"(\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_WITH_TIME = re.compile(r"(.+?)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")
_SERIAL = re.compile(r"\d{5}(\.0+)?")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def iso_date(value: str) -> str:
    for pattern in _DATES:
        match = pattern.fullmatch(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError as error:
                why = "月份应为 1–12" if not 1 <= month <= 12 else f"{year} 年 {month} 月没有 {day} 日"
                raise Refused("impossible-date", why=why) from error
    if _WITH_TIME.fullmatch(value):
        raise Refused("date-with-time")
    if _SERIAL.fullmatch(value):
        guess = EXCEL_EPOCH + dt.timedelta(days=int(float(value)))
        raise Refused("excel-serial-date", guess=guess.isoformat())
    if _YEAR_MONTH.fullmatch(value):
        raise Refused("ambiguous-date", why="只有年或年月，没有日，不能猜测是哪一天")
    if _DAY_FIRST.fullmatch(value):
        raise Refused("ambiguous-date", why="年份不在前面，无法确定是“月/日/年”还是“日/月/年”")
    if _SHORT_YEAR.fullmatch(value):
        raise Refused("ambiguous-date", why="年份只有两位，无法确定世纪")
    raise Refused("unrecognized-date")


# --- numbers ------------------------------------------------------------------------------------------------

_PLAIN = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "year": re.compile(r"[0-9]{4}"),
    "number": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
}
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+")
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:[, ][0-9]{3})+(?:\.[0-9]+)?")
_NUMERIC_PART = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
PLACEHOLDERS = {
    "-",
    "--",
    "—",
    "——",
    "/",
    "\\",
    "无",
    "空",
    "暂无",
    "N/A",
    "n/a",
    "NA",
    "null",
    "NULL",
    "#N/A",
    "？",
    "?",
}


def is_scientific(value: str) -> bool:
    return bool(_SCIENTIFIC.fullmatch(value))


def _decimal_text(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def number(value: str, spec: FieldSpec) -> tuple[str, str | None]:
    """The number as text, and the multiplier unit used (None when the text was already a plain number)."""
    plain = _PLAIN.get(spec.type, _PLAIN["number"])
    if plain.fullmatch(value):
        return value, None
    if value in PLACEHOLDERS:
        raise Refused("placeholder-value", kind="数字")
    if _SCIENTIFIC.fullmatch(value):
        raise Refused("excel-scientific")
    if _THOUSANDS.fullmatch(value):
        raise Refused("thousands-separator")
    for unit, factor in spec.multipliers.items():
        if value.endswith(unit) and _PLAIN["number"].fullmatch(value[: -len(unit)].strip()):
            result = Decimal(value[: -len(unit)].strip()) * factor
            if spec.type == "integer" and result != result.to_integral_value():
                raise Refused("multiplier-not-integer", unit=unit, factor=factor, result=_decimal_text(result))
            return _decimal_text(result), unit
    numeric = _NUMERIC_PART.search(value)
    if numeric:
        extra = (value[: numeric.start()] + value[numeric.end() :]).strip()
        unit = f"（单位：{spec.unit}）" if spec.unit else ""
        raise Refused("number-with-unit", extra=extra, unit=unit)
    return value, None  # no digit at all (e.g. 一百): the schema check reports it as a type error
