"""Whether a package holds sample data, and the mark that travels with its figures and files.

In: a package (or a kept release). Out: the sample label, note and marked JSON documents.
A package whose descriptor has `x-sample` holds sample data: its figures may be summed and shown with
the mark, but never compared with a real target.
"""

from __future__ import annotations

import pandas as pd

from builder.data.load import DataPackage, Release

SAMPLE_LABEL = "示例数据"
SAMPLE_MARK = f"（{SAMPLE_LABEL}）"


def is_sample(package: DataPackage | Release | None) -> bool:
    """Whether a package holds sample data: its descriptor's `x-sample`, and nothing else, says so."""
    return package is not None and bool(package.descriptor.get("x-sample"))


def sample_note(package: DataPackage | Release | None) -> str | None:
    """The package's own sample note (x-sample.note), or None for a package of real data."""
    if package is None or not is_sample(package):
        return None
    marked = package.descriptor["x-sample"]
    note = marked.get("note") if isinstance(marked, dict) else None
    return note or f"本数据包为{SAMPLE_LABEL}，不是官方信息。"


def with_sample_mark(document: dict, package: DataPackage | Release | None) -> dict:
    """A JSON document of a package's records, saying first whether they are sample data and why."""
    note = sample_note(package)
    return {"sample": note is not None, "sample_note": note, **document}


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts, a missing cell (None or NaN) as None."""
    return [
        {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]
