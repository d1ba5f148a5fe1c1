"""Cell helpers the checks share: a blank cell, and the values of a column missing from a known set."""

from __future__ import annotations

from collections.abc import Container

import pandas as pd


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value == ""


def single(fields: str | list[str]) -> str:
    """A key's one field, whether the schema wrote it as a string or a one-item list."""
    return fields if isinstance(fields, str) else fields[0]


def unknown(values: pd.Series, known: Container[object]) -> list[tuple[int, object]]:
    """(row, value) for each non-blank value of a column that is not in `known`; a list field's cells item by item."""
    found = []
    for row, value in zip(values.index, values.tolist()):
        if isinstance(value, list):
            found += [(row, item) for item in value if not is_blank(item) and item not in known]
        elif value not in known and not is_blank(value):
            found.append((row, value))
    return found
