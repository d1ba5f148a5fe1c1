"""The download files are written quickly, and exactly as their plain definitions say."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.export import downloads


def excel_csv_by_rows(source: bytes) -> bytes:
    """The definition: every row read and written again with CRLF, after a BOM."""
    rows = list(csv.reader(io.StringIO(source.decode("utf-8"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "中", ",", "\n", " ", '"', "\r", "\x0c", "\u2028", "1.5", ""]), max_size=30).map(
        "".join
    )
)
def test_excel_csv_is_the_rows_written_again(text):
    source = text.encode("utf-8")
    try:
        expected = excel_csv_by_rows(source)
    except csv.Error:  # a quote in the wrong place under strict reading cannot happen here, but be exact
        return
    assert downloads.excel_csv(source) == expected


def records_by_dicts(frame: pd.DataFrame) -> str:
    """The definition: each row a dict of JSON values, through json.dumps."""
    rows = [{k: downloads.json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
    return json.dumps(rows, ensure_ascii=False, indent=1)


CELLS = (
    st.none()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=5)
    | st.booleans()
    | st.dates()
    | st.lists(st.text(max_size=3), max_size=3)
)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 4), st.integers(0, 4), st.data())
def test_records_json_is_json_dumps_of_the_records(rows, columns, data):
    names = [f"f{i}%s" if i % 2 else f"字段{i}" for i in range(columns)]
    values = [[data.draw(CELLS) for _ in names] for _ in range(rows)]
    frame = pd.DataFrame(values, columns=names, dtype=object)
    assert downloads.records_json(frame) == records_by_dicts(frame)


def test_records_json_of_a_table_with_dates_and_gaps():
    frame = pd.DataFrame(
        [["a", 1.5, date(2021, 3, 4), None], ["b", float("nan"), None, ["x", "y"]]],
        columns=["id", "n", "day", "tags"],
        dtype=object,
    )
    assert downloads.records_json(frame) == records_by_dicts(frame)
