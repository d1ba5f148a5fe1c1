"""Labels wherever codes are stored: a coded field takes its Chinese label (or the code table's other names), a
header may be a declared `x-aliases` label (地市 → city_code), each reported as a normalisation; an unknown value's
error lists the accepted codes with their labels."""

from __future__ import annotations

import json

from builder.importing.run import import_file

INTO = "audit-statistics/acceptances"
ROW = "2021,广州,{department},199,gd-2022-notice-att1\n"


def _strip_aliases(data_copy):
    path = data_copy / "audit-statistics" / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for spec in resource["schema"]["fields"]:
            spec.pop("x-aliases", None)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def test_a_department_label_becomes_its_code_and_is_reported(data_copy, tmp_path):
    path = tmp_path / "更正.csv"
    path.write_text(
        "年度,行政区划代码,牵头主管部门,验收企业数,来源\n" + ROW.format(department="工业和信息化"), encoding="utf-8"
    )
    report = import_file(path, INTO, data_copy, mode="update")
    assert report.valid and report.written, report.errors
    alias = next(p for p in report.warnings if p.rule == "code-alias")
    assert (alias.value, alias.after, alias.field) == ("工业和信息化", "industry_it", "lead_department")
    assert "2021,440100,industry_it,199," in (data_copy / "audit-statistics" / "acceptances.csv").read_text(
        encoding="utf-8"
    )


def test_an_unknown_department_lists_the_accepted_codes_and_labels(data_copy, tmp_path):
    path = tmp_path / "更正.csv"
    path.write_text(
        "年度,行政区划代码,牵头主管部门,验收企业数,来源\n" + ROW.format(department="工信"), encoding="utf-8"
    )
    report = import_file(path, INTO, data_copy, mode="update")
    assert [p.rule for p in report.errors] == ["cross-package-key"]
    hint = report.errors[0].hint
    assert (
        "industry_it（广东省工业和信息化厅、工业和信息化）" in hint
        and "ecology_environment（广东省生态环境厅、生态环境）" in hint
    )


def test_declared_header_aliases_name_their_field(data_copy, tmp_path):
    path = tmp_path / "更正.csv"
    path.write_text(
        "年度,地市,牵头部门,验收企业数,来源\n" + ROW.format(department="生态环境").replace("199", "20"),
        encoding="utf-8",
    )
    report = import_file(path, INTO, data_copy, mode="update")
    assert report.valid, report.errors
    assert report.merge.changes[0].before == "19" and report.merge.changes[0].after == "20"


def test_without_the_alias_the_header_is_unknown(data_copy, tmp_path):
    _strip_aliases(data_copy)
    path = tmp_path / "更正.csv"
    path.write_text("年度,地市,牵头主管部门,验收企业数,来源\n" + ROW.format(department="生态环境"), encoding="utf-8")
    report = import_file(path, INTO, data_copy, mode="update")
    assert "unknown-column" in [p.rule for p in report.errors]


def test_each_item_of_a_coded_list_takes_its_label(data_copy, tmp_path):
    shipped = (data_copy / "technology-cases" / "technology_cases.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "案例.csv"
    path.write_text(shipped[0] + "\n" + shipped[1].replace(",energy,", ",能源;钢铁,", 1) + "\n", encoding="utf-8")
    report = import_file(path, "technology-cases/technology_cases", data_copy, mode="update", check=True)
    assert report.valid, report.errors
    alias = next(p for p in report.warnings if p.rule == "code-alias")
    assert (alias.value, alias.after) == ("能源;钢铁", "energy;steel")
