"""The import's small rules, one by one: Excel column letters, the fixed list of date patterns, numbers and
declared multipliers, strict decoding, and mojibake found without false alarms on the shipped text."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from builder.data.load import load
from builder.importing import decode as decoding
from builder.importing import normalize, rules
from builder.importing.findings import Place, column_letter
from builder.importing.normalize import Refused
from builder.importing.run import import_file
from builder.importing.target import FieldSpec
from builder.settings import PROJECT_ROOT
from builder.validate import validate

PLACE = Place("p", "r", "f.csv")


@pytest.mark.parametrize("index,letter", [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_excel_column_letters(index, letter):
    assert column_letter(index) == letter


@pytest.mark.parametrize(
    "text,iso",
    [
        ("2022-03-10", "2022-03-10"),
        ("2022-3-1", "2022-03-01"),
        ("2022/3/10", "2022-03-10"),
        ("2022.03.10", "2022-03-10"),
        ("2022年3月10日", "2022-03-10"),
        ("2024年2月29日", "2024-02-29"),
    ],
)
def test_the_fixed_date_patterns_become_iso_8601(text, iso):
    assert normalize.iso_date(text) == iso


@pytest.mark.parametrize(
    "text,rule",
    [
        ("2022-02-29", "impossible-date"),
        ("2022-13-01", "impossible-date"),
        ("2022/4/31", "impossible-date"),
        ("2021年3月", "ambiguous-date"),
        ("2021-03", "ambiguous-date"),
        ("2021", "ambiguous-date"),
        ("3/10/2022", "ambiguous-date"),
        ("10.3.2022", "ambiguous-date"),
        ("22-3-10", "ambiguous-date"),
        ("44630", "excel-serial-date"),
        ("2022-03-10 08:30", "date-with-time"),
        ("2022-03-10T00:00:00", "date-with-time"),
        ("三月十日", "unrecognized-date"),
        ("20220310", "unrecognized-date"),
    ],
)
def test_dates_are_never_guessed(text, rule):
    with pytest.raises(Refused) as refused:
        normalize.iso_date(text)
    assert refused.value.rule == rule


INTEGER = FieldSpec("n", "数量", "integer", "number", True, unit="家")
WAN = FieldSpec("n", "数量", "integer", "number", True, multipliers={"万": Decimal(10000)})
NUMBER_WAN = FieldSpec("x", "金额", "number", "number", False, multipliers={"万": Decimal(10000), "亿": Decimal(10**8)})


@pytest.mark.parametrize(
    "spec,text,result",
    [
        (INTEGER, "150", ("150", None)),
        (INTEGER, "-5", ("-5", None)),
        (INTEGER, "一百", ("一百", None)),
        (WAN, "1.2万", ("12000", "万")),
        (WAN, "3万", ("30000", "万")),
        (NUMBER_WAN, "1.25亿", ("125000000", "亿")),
        (NUMBER_WAN, "0.00015万", ("1.5", "万")),
        (NUMBER_WAN, "2.5", ("2.5", None)),
    ],
)
def test_numbers_and_declared_multipliers(spec, text, result):
    assert normalize.number(text, spec) == result


@pytest.mark.parametrize(
    "spec,text,rule",
    [
        (INTEGER, "1.2万", "number-with-unit"),
        (INTEGER, "约100", "number-with-unit"),
        (INTEGER, "85%", "number-with-unit"),
        (INTEGER, "100家", "number-with-unit"),
        (INTEGER, "100以上", "number-with-unit"),
        (INTEGER, "1,234", "thousands-separator"),
        (INTEGER, "9.14401E+17", "excel-scientific"),
        (INTEGER, "—", "placeholder-value"),
        (WAN, "1.23456万", "multiplier-not-integer"),
        (WAN, "1.2亿", "number-with-unit"),
    ],
)
def test_units_and_qualifiers_are_refused_unless_declared(spec, text, rule):
    with pytest.raises(Refused) as refused:
        normalize.number(text, spec)
    assert refused.value.rule == rule


def test_a_declared_multiplier_is_applied_on_import_and_validate_accepts_it(data_copy, tmp_path):
    descriptor_path = data_copy / "audit-statistics" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    targets = next(r for r in descriptor["resources"] if r["name"] == "targets")
    next(f for f in targets["schema"]["fields"] if f["name"] == "target")["x-multipliers"] = {"万": 10000}
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    source = tmp_path / "targets.csv"
    source.write_text(
        (data_copy / "audit-statistics" / "targets.csv")
        .read_text(encoding="utf-8")
        .replace("2022,440100,150,", "2022,440100,0.015万,"),
        encoding="utf-8",
    )
    report = import_file(source, "audit-statistics/targets", data_copy)
    assert report.valid, report.errors
    assert [(p.rule, p.row, p.column, p.value, p.after) for p in report.warnings] == [
        ("multiplier", 2, "C", "0.015万", "150")
    ]
    assert validate(data_copy).valid


def test_strict_decoding_order():
    text = "年度,行政区划代码\n2022,广州\n"
    assert decoding.decode(text.encode("utf-8"), None, PLACE)[0].encoding == "utf-8"
    assert decoding.decode(text.encode("gbk"), None, PLACE)[0].encoding == "gb18030"
    assert decoding.decode(text.encode("gbk"), "gbk", PLACE)[0].encoding == "gbk"
    decoded, problems = decoding.decode(b"\xef\xbb\xbf" + text.encode("utf-8"), None, PLACE)
    assert decoded.text == text and [p.rule for p in problems] == ["bom-removed"]
    assert [p.rule for p in decoding.decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "gbk", PLACE)[1]] == [
        "bom-conflict"
    ]
    # GB18030 decodes almost anything; a byte it cannot decode is named with its line, never replaced.
    _, problems = decoding.decode(text.encode("gbk") + b"2023,\x80\n", None, PLACE)
    assert [(p.rule, p.line, p.value) for p in problems] == [("undecodable", 3, "\\x80")]


def test_utf8_chinese_read_as_gbk_is_not_taken_for_gbk():
    """A UTF-8 line of Chinese is valid GB18030 too (as mojibake): it still counts as UTF-8."""
    mixed = "名称\n广州\n".encode() + "深圳\n".encode("gbk")
    _, problems = decoding.decode(mixed, None, PLACE)
    assert [(p.rule, p.line) for p in problems] == [("mixed-encoding", 1)]
    assert "第 1 行是 UTF-8，第 3 行是 GB18030/GBK" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "广东省工业和信息化厅".encode().decode("gb18030"),
        "清洁生产审核验收".encode().decode("gb18030") + "（示例）",
        "广州市".encode().decode("cp1252"),
        "锟斤拷锟斤拷",
    ],
)
def test_mojibake_is_found(text):
    found = rules.corrupted(text)
    assert found and found[0] == "mojibake"


def test_no_shipped_text_looks_like_mojibake():
    catalog = load(PROJECT_ROOT / "datapackages")
    cells = [
        str(v)
        for package in catalog.values()
        for table in package.tables.values()
        for column in table.frame.columns
        for v in table.frame[column]
        if isinstance(v, str)
    ]
    assert len(cells) > 10000
    assert [c for c in cells if rules.corrupted(c)] == []


def test_invisible_characters_are_named():
    assert rules.invisible("a\u202eb\u200bc\ue000") == [
        ("bidi-control", "U+202E（RIGHT-TO-LEFT OVERRIDE）"),
        ("control-character", "U+200B（ZERO WIDTH SPACE）"),
        ("private-use-character", "U+E000"),
    ]
    assert rules.invisible("广州　市 ℃") == []


def test_trim_removes_ideographic_and_no_break_spaces_only_at_the_ends():
    assert normalize.trim("\u3000\xa0 广州 市\u3000") == "广州 市"


def test_nfkc_is_never_applied_to_display_names(data_copy, tmp_path):
    source = tmp_path / "departments.csv"
    shipped = (data_copy / "reference" / "departments.csv").read_text(encoding="utf-8")
    source.write_text(shipped.replace("Department of Industry", "Ｄｅｐａｒｔｍｅｎｔ of Industry"), encoding="utf-8")
    report = import_file(source, "reference/departments", data_copy)
    assert report.valid and report.warnings == []
    assert "Ｄｅｐａｒｔｍｅｎｔ of Industry" in (data_copy / "reference" / "departments.csv").read_text(
        encoding="utf-8"
    )


def test_a_question_mark_in_a_gbk_file_is_flagged_as_a_possible_lost_character(data_copy, tmp_path):
    source = tmp_path / "basins.csv"
    shipped = (data_copy / "reference" / "basins.csv").read_text(encoding="utf-8")
    source.write_bytes(shipped.replace("Guangzhou–Foshan", "Guangzhou?Foshan").encode("gbk"))
    report = import_file(source, "reference/basins", data_copy)
    assert report.valid
    assert [(p.rule, p.row, p.column, p.value) for p in report.warnings if p.rule == "question-mark"] == [
        ("question-mark", 2, "C", "Guangzhou?Foshan cross-boundary rivers")
    ]
