"""How the site writes numbers and dates for readers (the data files keep their own forms).

The rules, the same in the page templates and in the scripts (docs/assets/lib/format.js formatNumber,
which every script imports; the directory's first page builder/derive/enterprise_directory.py writes too):
- a number keeps its unit: no rescaling to 万/亿 under a header that names another unit;
- a whole number has no decimals (12000, never 12000.0); other numbers keep the digits the data
  have, rounded only to shed floating-point noise from sums and medians;
- thousands separators (",") only from five integer digits up: 12,345 but 1901 and 2022, so that
  four-digit counts and years read alike everywhere;
- a date in running text is written 2022年3月24日; data files, tables of data and code keep ISO 8601.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

MISSING = "—"
# Sums and medians of decimal data pick up binary noise (0.30000000000000004); the data themselves
# never carry more than a few decimals, so rounding here drops only the noise.
_NOISE_PLACES = 6
SEPARATOR_FROM = 10_000  # five integer digits


def group(whole: str) -> str:
    """An unsigned integer's digits, with thousands separators from five digits up."""
    return f"{int(whole):,}" if len(whole) >= len(str(SEPARATOR_FROM)) else whole


def number(value: Any, places: int | None = None) -> str:  # a cell: int, float, Decimal, text …
    """A figure for reading: see the module's rules. `places` rounds first (e.g. a derived ratio)."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    value = round(float(value), _NOISE_PLACES if places is None else places)
    if value.is_integer():
        text = str(int(value))
    else:
        text = repr(value)  # the shortest form that reads back as the same number, as in JavaScript
        if "e" in text:
            text = f"{value:.{_NOISE_PLACES}f}".rstrip("0")
    sign = "-" if text.startswith("-") else ""
    whole, dot, fraction = text.lstrip("-").partition(".")
    return sign + group(whole) + dot + fraction


def date_zh(value: object) -> str:
    """An ISO date (text, date or datetime) as Chinese running text writes it: 2022年3月24日.
    A year-month (2022-03) becomes 2022年3月; anything else is returned as it is."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    text = str(value).strip()
    parts = text[:10].split("-")
    if len(text) in (7, 10) and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        year, month = int(parts[0]), int(parts[1])
        return f"{year}年{month}月{int(parts[2])}日" if len(parts) == 3 else f"{year}年{month}月"
    return text
