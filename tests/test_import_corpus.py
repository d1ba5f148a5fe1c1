"""The corpus of messy spreadsheet exports (tests/import_corpus/): each file is refused with its exact error at its
exact place, or accepted with exactly the documented normalizations — and a refused file never touches the target."""

from __future__ import annotations

import pytest

from builder.importing.run import import_file
from builder.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "tests" / "import_corpus"
TARGETS = "audit-statistics/targets"
PLATFORM = "audit-statistics/platform_completions"
SOURCES = "audit-statistics/sources"

# file, target, [(rule, row, source line, Excel column, field, value)] — every error, in order.
REFUSED = [
    # the file
    ("undecodable.csv", TARGETS, [("undecodable", None, 3, None, None, "\\xff")]),
    ("mixed-encoding.csv", TARGETS, [("mixed-encoding", None, 1, None, None, None)]),
    ("utf16-unicode-text.csv", TARGETS, [("utf16", None, 1, None, None, None)]),
    (
        "ambiguous-encoding.csv",
        "reference/sectors",
        [("ambiguous-encoding", None, 2, None, None, "printing_dyeing,ӡȾ,Textile printing and dyeing,6,true,false,")],
    ),
    ("unclosed-quote.csv", TARGETS, [("csv-syntax", None, 3, None, None, None)]),
    # the header
    (
        "title-row.csv",
        TARGETS,
        [("title-row", 1, 1, "A", None, "2022年各地清洁生产审核预期目标"), ("title-row", 2, 2, "A", None, "单位：家")],
    ),
    ("merged-header.csv", TARGETS, [("merged-header", 1, 1, "A", None, "基本信息 | 目标情况")]),
    (
        "merged-title.xlsx",
        TARGETS,
        [("title-row", 1, 1, "A", None, "2022年各地清洁生产审核预期目标"), ("merged-header", 1, 1, "A", None, "A1:D1")],
    ),
    ("blank-header.csv", TARGETS, [("blank-header", 1, 1, "D", None, "")]),
    ("duplicate-header.csv", TARGETS, [("duplicate-header", 1, 1, "E", "city_code", "行政区划代码")]),
    ("unknown-column.csv", TARGETS, [("unknown-column", 1, 1, "E", None, "联系电话")]),
    ("missing-column.csv", TARGETS, [("missing-column", 1, 1, None, "source_id", None)]),
    ("no-header.csv", TARGETS, [("no-header", 1, 1, None, None, None)]),
    ("extra-header-row.csv", TARGETS, [("extra-header-row", 2, 2, "A", None, "年度 | 行政区划代码 | 预期目标 | 来源")]),
    # rows
    ("footer-total.csv", TARGETS, [("footer-row", 5, 5, "A", None, "合计")]),
    (
        "footer-note.csv",
        TARGETS,
        [
            (
                "footer-row",
                5,
                5,
                "A",
                None,
                "注：表中数据为工业和信息化、生态环境主管部门组织实施清洁生产审核企业的合计数。",
            )
        ],
    ),
    ("blank-row.csv", TARGETS, [("blank-row", 3, 3, None, None, None)]),
    ("ragged-row.csv", TARGETS, [("ragged-row", 3, 3, None, None, None)]),
    ("duplicate-key.csv", TARGETS, [("duplicate-key", 5, 5, "A", "year", "2022，440100")]),
    # cells
    ("whitespace-only.csv", TARGETS, [("whitespace-only", 3, 3, "D", "source_id", "\u3000")]),
    ("unit-wan.csv", TARGETS, [("number-with-unit", 2, 2, "C", "target", "1.2万")]),
    ("qualifier-approx.csv", TARGETS, [("number-with-unit", 3, 3, "C", "target", "约100")]),
    ("percent.csv", TARGETS, [("number-with-unit", 4, 4, "C", "target", "85%")]),
    ("thousands-separator.csv", TARGETS, [("thousands-separator", 2, 2, "C", "target", "1,500")]),
    ("placeholder-dash.csv", TARGETS, [("placeholder-value", 3, 3, "C", "target", "-")]),
    ("type-error.csv", TARGETS, [("type-error", 3, 3, "C", "target", "一百")]),
    ("unknown-city.csv", TARGETS, [("cross-package-key", 2, 2, "B", "city_code", "广州府")]),
    (
        "excel-scientific.csv",
        "enterprises/accepted_enterprises",
        [("excel-scientific", 2, 2, "C", "uscc", "9.14401E+17")],
    ),
    ("impossible-date.csv", PLATFORM, [("impossible-date", 2, 2, "D", "as_of", "2022-02-30")]),
    ("ambiguous-date-month.csv", PLATFORM, [("ambiguous-date", 2, 2, "D", "as_of", "2021年3月")]),
    ("ambiguous-date-day-first.csv", PLATFORM, [("ambiguous-date", 2, 2, "D", "as_of", "03/10/2022")]),
    ("excel-serial-date.csv", PLATFORM, [("excel-serial-date", 2, 2, "D", "as_of", "44630")]),
    ("date-with-time.csv", PLATFORM, [("date-with-time", 2, 2, "D", "as_of", "2022/3/10 0:00")]),
    (
        "formula-equals.csv",
        SOURCES,
        [("formula-text", 2, 2, "C", "title", '=HYPERLINK("http://example.invalid","点此")')],
    ),
    ("formula-fullwidth.csv", SOURCES, [("formula-text", 3, 3, "H", "note", "＋1 见附件")]),
    ("formula-cell.xlsx", TARGETS, [("formula-cell", 5, 5, "C", "target", "=SUM(C2:C4)")]),
    ("excel-error.xlsx", TARGETS, [("excel-error", 4, 4, "C", "target", "#DIV/0!")]),
    (
        "merged-data-cell.xlsx",
        TARGETS,
        [("merged-cell", 2, 2, "B", None, "B2:B3"), ("constraint-error", 3, 3, "B", "city_code", "")],
    ),
    (
        "control-character.csv",
        SOURCES,
        [
            (
                "control-character",
                2,
                2,
                "C",
                "title",
                "广东省工业和信息化厅\u200b 广东省生态环境厅关于2022年清洁生产推行工作的通知",
            )
        ],
    ),
    ("bidi-override.csv", SOURCES, [("bidi-control", 2, 2, "H", "note", "统计截至\u202e01-30-2202\u202c。")]),
    ("private-use.csv", SOURCES, [("private-use-character", 2, 2, "H", "note", "统计截至2022年3月10日\ue000。")]),
    (
        "replacement-character.csv",
        SOURCES,
        [("replacement-character", 2, 2, "B", "issuers", "广东省工业和信息化厅；广东省生态环境\ufffd")],
    ),
    ("mojibake.csv", SOURCES, [("mojibake", 3, 3, "B", "issuers", "骞夸笢鐪佸伐涓氬拰淇℃伅鍖栧巺；广东省生态环境厅")]),
    ("personal-mobile.csv", SOURCES, [("personal-data", 2, 2, "H", "note", "联系人手机 13812345678")]),
    ("personal-id-card.csv", SOURCES, [("personal-data", 2, 2, "H", "note", "经办人身份证 11010519491231002X")]),
    ("personal-email.csv", SOURCES, [("personal-data", 3, 3, "H", "note", "联系邮箱 someone@example.com")]),
]

# file, target, [(rule, row, Excel column, field, before, after)] — every warning, in order; and the rows written.
ACCEPTED = [
    (
        "normalize-gb18030-excel-export.csv",
        TARGETS,
        [
            ("decoded", None, None, None, None, None),
            ("line-endings", None, None, None, None, None),
            ("city-alias", 2, "B", "city_code", "广州", "440100"),
            ("nfkc", 2, "C", "target", "１５０", "150"),
            ("trimmed", 3, "B", "city_code", "\u3000深圳市", "深圳市"),
            ("city-alias", 3, "B", "city_code", "深圳市", "440300"),
            ("nfkc", 4, "A", "year", "２０２２", "2022"),
            ("city-alias", 4, "B", "city_code", "Zhuhai", "440400"),
            ("trimmed", 4, "C", "target", "50\xa0", "50"),
        ],
        [
            "2022,440100,150,gd-2022-notice-att2",
            "2022,440300,100,gd-2022-notice-att2",
            "2022,440400,50,gd-2022-notice-att2",
        ],
    ),
    (
        "normalize-bom-dates.csv",
        PLATFORM,
        [
            ("bom-removed", None, None, None, None, None),
            ("line-endings", None, None, None, None, None),
            ("date-iso", 2, "D", "as_of", "2022/3/10", "2022-03-10"),
            ("date-iso", 3, "D", "as_of", "2022年3月10日", "2022-03-10"),
            ("date-iso", 4, "D", "as_of", "2022.3.10", "2022-03-10"),
            ("nfkc", 5, "D", "as_of", "２０２２－０３－１０", "2022-03-10"),
        ],
        [f"2021,{city},89,2022-03-10,gd-2022-notice-att1" for city in ("440100", "440300", "440400", "440500")],
    ),
    (
        "normalize-header-labels.csv",
        TARGETS,
        [
            ("header-normalized", 1, "A", "year", " year\u3000", "year"),
            ("header-normalized", 1, "B", "city_code", "ｃｉｔｙ_code", "city_code"),
            ("header-normalized", 1, "C", "target", "预期目标 ", "target"),
            ("trailing-blank-rows", 5, None, None, None, None),
        ],
        [
            "2022,440100,150,gd-2022-notice-att2",
            "2022,440300,100,gd-2022-notice-att2",
            "2022,440400,50,gd-2022-notice-att2",
        ],
    ),
    (
        "normalize-blank-column.csv",
        TARGETS,
        [
            ("blank-column", 1, "E", None, "", None),
        ],
        [
            "2022,440100,150,gd-2022-notice-att2",
            "2022,440300,100,gd-2022-notice-att2",
            "2022,440400,50,gd-2022-notice-att2",
        ],
    ),
    (
        "normalize-sectors-excel-booleans.csv",
        "reference/sectors",
        [
            ("decoded", None, None, None, None, None),
            ("line-endings", None, None, None, None, None),
            ("boolean-case", 2, "E", "in_national_list", "TRUE", "true"),
            ("boolean-case", 2, "F", "vocs_sector", "FALSE", "false"),
        ],
        ["energy,能源,Energy,1,true,false,"],
    ),
]


def _target_file(data, into: str):
    package, resource = into.split("/")
    return data / package / f"{resource}.csv"


def test_the_corpus_has_a_file_for_every_case():
    files = {path.name for path in CORPUS.iterdir()}
    listed = {name for name, _, _ in REFUSED} | {name for name, _, _, _ in ACCEPTED}
    assert files == listed
    assert len(REFUSED) >= 30


@pytest.mark.parametrize("name,into,expected", REFUSED, ids=[case[0] for case in REFUSED])
def test_bad_file_is_refused_with_its_exact_error(data_copy, name, into, expected):
    target = _target_file(data_copy, into)
    before = target.read_bytes()
    report = import_file(CORPUS / name, into, data_copy)
    found = [(p.rule, p.row, p.line, p.column, p.field, p.value) for p in report.errors]
    assert found == expected
    for problem in report.errors:
        assert problem.message and problem.hint, problem
        assert problem.path.startswith(str(CORPUS / name))
    assert not report.written and target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []
    counts = report.counts
    assert counts.rows_read == counts.rows_written + counts.rows_refused and counts.rows_written == 0


@pytest.mark.parametrize("name,into,expected,rows", ACCEPTED, ids=[case[0] for case in ACCEPTED])
def test_messy_but_faithful_file_is_written_with_each_normalization_reported(data_copy, name, into, expected, rows):
    report = import_file(CORPUS / name, into, data_copy, delete_missing=True)  # a few rows stand for the table
    assert report.errors == []
    found = [(p.rule, p.row, p.column, p.field, p.value, p.after) for p in report.warnings]
    assert found == expected
    written = _target_file(data_copy, into).read_bytes()
    header = ",".join(spec["name"] for spec in _schema_fields(data_copy, into))
    assert written == ("\n".join([header, *rows]) + "\n").encode("utf-8")
    assert report.counts.rows_read == report.counts.rows_written == len(rows)


def _schema_fields(data, into: str) -> list[dict]:
    import json

    package, resource = into.split("/")
    descriptor = json.loads((data / package / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in descriptor["resources"] if r["name"] == resource)["schema"]["fields"]
