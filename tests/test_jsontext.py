"""The JSON files are the text json.dumps writes, built faster."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.formats import jsontext

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=8)
    | st.sampled_from(["", "\x00\x01", "}\x00{", "\n", '"', "\\", "中文", "\u2028"])
)
KEYS = st.text(max_size=5) | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=4)
        | st.lists(st.dictionaries(st.text(max_size=3), SCALARS, max_size=3), max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(DOCUMENTS, st.sampled_from([1, 2, 4]))
def test_as_json_dumps_writes_it(document, indent):
    assert jsontext.text(document, indent) == json.dumps(document, ensure_ascii=False, indent=indent)


@pytest.mark.parametrize(
    "document",
    [
        [],
        {},
        [{}],
        [{}, {"a": 1}],
        [{"a": 1}, {}],
        [[]],
        {"a": []},
        ("x", 1),
        {1: "a", 2.5: None, True: [1, {}]},  # noqa: F601 (True and 1 collide)
        [{"k": math.inf, "n": None, "b": False}],
        [{"k": [1, 2]}, {"k": 3}],
        "}\x00{",
    ],
)
def test_edge_cases(document):
    assert jsontext.text(document) == json.dumps(document, ensure_ascii=False, indent=1)
