"""Properties of the import (hypothesis): no accepted row is lost or altered beyond the documented normalizations,
each normalization is reported as a chain from the cell in the file to the value written, importing is
idempotent, and a file with one bad row is refused whole with every row accounted for."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.importing.run import import_file
from builder.settings import PROJECT_ROOT

FIELDS = [
    {
        "name": "item_id",
        "type": "string",
        "title": "编号",
        "description": "编号。",
        "constraints": {"required": True, "pattern": "IT-\\d{4}"},
    },
    {"name": "name", "type": "string", "title": "名称", "description": "名称。", "constraints": {"required": True}},
    {
        "name": "city_code",
        "type": "string",
        "title": "地市",
        "description": "地市代码。",
        "constraints": {"required": True},
    },
    {"name": "count", "type": "integer", "title": "数量", "description": "单位：家。", "constraints": {"minimum": 0}},
    {"name": "amount", "type": "number", "title": "金额", "description": "单位：万元。"},
    {"name": "day", "type": "date", "title": "日期", "description": "日期。"},
    {"name": "note", "type": "string", "title": "备注说明", "description": "说明。"},
]
DESCRIPTOR = {
    "name": "demo",
    "title": "演示",
    "resources": [
        {
            "name": "items",
            "title": "条目",
            "path": "items.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "encoding": "utf-8",
            "schema": {
                "fields": FIELDS,
                "primaryKey": ["item_id"],
                "x-foreignKeys": [
                    {
                        "fields": "city_code",
                        "reference": {"package": "reference", "resource": "cities", "fields": "city_code"},
                    }
                ],
            },
        }
    ],
}
NAMES = [f["name"] for f in FIELDS]
CITIES = list(
    csv.DictReader(io.StringIO((PROJECT_ROOT / "datapackages/reference/cities.csv").read_text(encoding="utf-8")))
)

# Display text: common hanzi from the shipped data, ASCII letters, digits, inner spaces and the punctuation
# a maintainer types (the comma and quote exercise CSV quoting).
HANZI = "广东省工业和信息化厅生态环境清洁生产审核企业有限公司示例技术节能减排废水回用深圳珠海汕头佛山"
TEXT = st.text(alphabet=HANZI + "abcXYZ0123456789 ，。（）、,\"'", min_size=1, max_size=14).filter(
    lambda s: s.strip() == s and s[0] not in "=+-@" and "  " not in s
)
FULL_WIDTH = str.maketrans("0123456789-.", "０１２３４５６７８９－．")
PADS = st.sampled_from(["", " ", "\u3000", "\xa0"])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("import-properties")
    shutil.copytree(PROJECT_ROOT / "datapackages" / "reference", root / "data" / "reference")
    (root / "data" / "demo").mkdir()
    (root / "data" / "demo" / "datapackage.json").write_text(
        json.dumps(DESCRIPTOR, ensure_ascii=False), encoding="utf-8"
    )
    return root


@st.composite
def records(draw):
    ids = draw(st.lists(st.integers(0, 9998), min_size=1, max_size=6, unique=True))  # IT-9999: the bad row
    rows = []
    for number in ids:
        rows.append(
            {
                "item_id": f"IT-{number:04d}",
                "name": draw(TEXT),
                "city_code": draw(st.sampled_from(CITIES))["city_code"],
                "count": str(draw(st.integers(0, 10**9))),
                "amount": draw(st.from_regex(r"[1-9][0-9]{0,5}(\.[0-9]{1,3})?|0\.[0-9]{1,3}", fullmatch=True)),
                "day": draw(st.dates(min_value=__import__("datetime").date(2000, 1, 1))).isoformat(),
                "note": draw(st.one_of(st.just(""), TEXT)),
            }
        )
    return rows


def canonical(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NAMES)
    writer.writerows([row[n] for n in NAMES] for row in rows)
    return out.getvalue().encode("utf-8")


@st.composite
def messy_cell(draw, name: str, value: str) -> str:
    """How Excel on a maintainer's machine may render a value; each change is a documented normalization."""
    if value and name in ("item_id", "count", "amount") and draw(st.booleans()):
        value = value.translate(FULL_WIDTH)
    if name == "city_code" and draw(st.booleans()):
        city = next(c for c in CITIES if c["city_code"] == value)
        value = city[draw(st.sampled_from(["city_name", "city_short", "city_en"]))]
    if name == "day" and value:
        year, month, day = (int(p) for p in value.split("-"))
        value = draw(
            st.sampled_from([value, f"{year}/{month}/{day}", f"{year}年{month}月{day}日", f"{year}.{month}.{day}"])
        )
    return draw(PADS) + value + draw(PADS)


@st.composite
def messy_files(draw):
    rows = draw(records())
    header = [f["name"] if draw(st.booleans()) else f["title"] for f in FIELDS]
    cells = [[draw(messy_cell(name, row[name])) for name in NAMES] for row in rows]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(cells)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return rows, cells, text.encode(encoding)


def _import(data_dir, data: bytes, name: str = "messy.csv"):
    source = data_dir / name
    source.write_bytes(data)
    return import_file(source, "demo/items", data_dir / "data", delete_missing=True)  # each draw is the whole table


# No example database: the tests leave nothing behind in the working tree.
PROPERTY = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(messy_files())
def test_accepted_rows_are_written_exactly_up_to_documented_normalizations(data_dir, messy):
    rows, cells, data = messy
    report = _import(data_dir, data)
    assert report.errors == []
    written = (data_dir / "data" / "demo" / "items.csv").read_bytes()
    assert written == canonical(rows)
    assert report.counts.rows_read == report.counts.rows_written == len(rows)
    # Each changed cell is explained by its warnings: a chain from the text in the file to the value written.
    for line, (row, raw) in enumerate(zip(rows, cells), 2):
        for column, name in enumerate(NAMES):
            chain = [p for p in report.warnings if p.row == line and p.field == name]
            value = raw[column]
            for warning in chain:
                assert warning.value == value and warning.column == "ABCDEFG"[column]
                value = warning.after
            assert value == row[name], (name, raw[column], chain)


@PROPERTY
@given(messy_files())
def test_importing_is_idempotent(data_dir, messy):
    _, _, data = messy
    first = _import(data_dir, data)
    once = (data_dir / "data" / "demo" / "items.csv").read_bytes()
    again = _import(data_dir, data)
    assert first.valid and again.valid
    assert (data_dir / "data" / "demo" / "items.csv").read_bytes() == once
    canonical_again = _import(data_dir, once, "canonical.csv")
    assert canonical_again.valid and canonical_again.warnings == [] and not canonical_again.changed


BAD_ROWS = {
    "blank-row": "",
    "footer-row": "合计,,,100,,,",
    "number-with-unit": "IT-9999x,名称,440100,1.2万,,,",
    "formula-text": "IT-9999x,=1+1,440100,1,,,",
    "ragged-row": "IT-9999x,名称,440100,1,,,,",
}


@PROPERTY
@given(records(), st.sampled_from(sorted(BAD_ROWS)), st.data())
def test_a_bad_row_refuses_the_file_and_every_row_is_accounted_for(data_dir, rows, rule, data):
    target = data_dir / "data" / "demo" / "items.csv"
    target.write_bytes(canonical(rows))
    lines = canonical(rows).decode("utf-8").splitlines()
    position = data.draw(st.integers(1, len(lines) - 1 if rule == "blank-row" else len(lines)))
    lines.insert(position, BAD_ROWS[rule].replace("IT-9999x", "IT-9999"))
    report = _import(data_dir, ("\n".join(lines) + "\n").encode("utf-8"))
    assert not report.valid and not report.written
    assert [(p.rule, p.row) for p in report.errors] == [(rule, position + 1)]
    assert target.read_bytes() == canonical(rows)
    counts = report.counts
    assert counts.rows_read == len(rows) + 1 == counts.rows_written + counts.rows_refused
    assert counts.rows_with_errors == 1
