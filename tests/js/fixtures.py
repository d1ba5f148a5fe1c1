"""What the Node tests of docs/assets/lib/ compare with: the builder's own output on the same inputs.

Run by tests/js/python.mjs (`python tests/js/fixtures.py`), which the tests call; prints one JSON object:
  numbers  — [value, formatting.number(value)] per figure
  columns  — [values, encode_column(values, key)] per column, as directory.json holds them
  folding  — {"pairs": the t2s pairs search/pages.json would ship for these queries, "folded": [[query, fold(query)]]}
  table    — enterprise_directory.table_spec(), what directory.json's "table" holds
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from builder.derive.enterprise_directory import encode_column, table_spec  # noqa: E402
from builder.publish.search_terms import fold, pairs_needed  # noqa: E402
from builder.render.formatting import number  # noqa: E402

FIGURES = [
    0,
    7,
    4.7,
    12000,
    12000.0,
    1901,
    2022,
    9999.5,
    10000,
    60060,
    1234567.25,
    -12345,
    -0.5,
    0.35,
    402087,
    33149.9,
    0.1 + 0.2,
    1e-7,
    -1e-7,
    99999.9999999,
    123456789012,
    5545.1,
    1e15,
]

COLUMNS = [
    # the key field in runs: a gap, a second prefix, a wider number, and an identifier without digits
    ([f"GD-2021-{n:05d}" for n in (*range(1, 20), *range(21, 30))] + [f"GD-2022-{n:05d}" for n in range(1, 13)], True),
    (["X"] + [f"GD-2021-{n:04d}" for n in range(99, 102)] + [f"R{n:03d}" for n in range(1, 13)], True),
    # a key field out of sequence: the values themselves
    (["GD-3", "GD-1", "GD-2", "A"], True),
    # few distinct values: a dictionary (null, 1, 1.0 and True kept apart)
    (["440100", "440300", "440100", None, "440300", "440100", "440100", "440300"] * 2, False),
    ([1, 1.0, True, 1, 1.0, True, 1, 1.0, True, 1, 1.0, True], False),
    # many distinct values: the values themselves
    ([12.5, None, 3.0, 4, "2022-03-24", "深圳（示例）", 7.25, 8], False),
]

QUERIES = [
    "清潔生產審核",
    "ＶＯＣｓ 排放",
    "“电镀”（东莞）",
    "Guǎngzhōu",
    "廣東省 · 節能減排",
    " 空格\tand\u00a0nbsp ",
    "東莞電鍍",
    "臺灣、香港",
    "《清洁生产促进法》第十条",
    "COD\u200b减排",
    "Ⅻ号",
    "干熄焦（CDQ）",
    "𠀀字",
]


def main() -> None:
    folded = [[query, fold(query)] for query in QUERIES]
    print(
        json.dumps(
            {
                "numbers": [[value, number(value)] for value in FIGURES],
                "columns": [[values, encode_column(values, key)] for values, key in COLUMNS],
                "folding": {"pairs": pairs_needed(" ".join(f for _, f in folded)), "folded": folded},
                "table": table_spec(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
