"""Validation finds each kind of error and says where it is: file, row, field, value, rule."""

import json

from builder.validate import validate
from helpers import only, replace_once


def test_shipped_data_is_valid(data_copy):
    result = validate(data_copy)
    assert result.valid, result.problems
    assert result.packages == sorted(p.parent.name for p in data_copy.glob("*/datapackage.json"))
    assert {"audit-statistics", "enterprises", "policies", "reference", "technology-cases"} <= set(result.packages)
    assert result.rows == sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in data_copy.glob("*/*.csv"))


def test_changed_city_figure_breaks_the_city_and_province_totals(data_copy):
    acceptances = data_copy / "audit-statistics" / "acceptances.csv"
    replace_once(acceptances, "2021,440300,industry_it,37,", "2021,440300,industry_it,38,")
    problems = only(validate(data_copy).problems, "printed-total")
    city = next(p for p in problems if "440300" in p.message)
    assert city.path.endswith("audit-statistics/printed_totals.csv")
    assert (city.field, city.value) == ("value", "103")
    assert 4 in city.related_rows, "the changed row (row 4 of acceptances.csv) is named"
    assert "第 4 行（38）" in city.message and "104" in city.message
    assert {p.value for p in problems} == {"103", "861", "1901"}


def test_type_error_names_row_field_and_value(data_copy):
    replace_once(data_copy / "audit-statistics" / "targets.csv", "2022,440300,100,", "2022,440300,一百,")
    problem = only(validate(data_copy).problems, "type-error")[0]
    assert problem.path.endswith("audit-statistics/targets.csv")
    assert (problem.row, problem.field, problem.value) == (3, "target", "一百")
    assert "integer" in problem.message


def test_constraint_error_is_explained_in_chinese(data_copy):
    replace_once(
        data_copy / "reference" / "cities.csv", "440300,深圳市,深圳,Shenzhen,珠三角", "440300,深圳市,深圳,Shenzhen,珠江"
    )
    problem = only(validate(data_copy).problems, "constraint-error")[0]
    assert (problem.row, problem.field, problem.value) == (4, "region", "珠江")
    assert "允许的取值" in problem.message


def test_unknown_city_code_across_packages_is_reported(data_copy):
    replace_once(data_copy / "audit-statistics" / "platform_completions.csv", "2021,440300,170,", "2021,449900,170,")
    problem = only(validate(data_copy).problems, "cross-package-key")[0]
    assert problem.path.endswith("platform_completions.csv")
    assert (problem.row, problem.field, problem.value) == (3, "city_code", "449900")
    assert "reference/cities.city_code" in problem.message


def test_foreign_key_inside_a_package_is_reported(data_copy):
    replace_once(
        data_copy / "audit-statistics" / "targets.csv",
        "2022,440300,100,gd-2022-notice-att2",
        "2022,440300,100,gd-2022-notice-att9",
    )
    problem = only(validate(data_copy).problems, "foreign-key")[0]
    assert problem.row == 3 and problem.path.endswith("targets.csv")


def test_every_error_is_reported_however_many(data_copy):
    """frictionless stops at 1,000 errors by default; a maintainer must see all of them."""
    targets = data_copy / "audit-statistics" / "targets.csv"
    header = targets.read_text(encoding="utf-8").splitlines()[0]
    bad = [f"2022,440100,x{i},gd-2022-notice-att2" for i in range(1500)]
    targets.write_text("\n".join([header, *bad]) + "\n", encoding="utf-8")
    problems = only(validate(data_copy).problems, "type-error")
    assert len(problems) == 1500
    assert not [p for p in validate(data_copy).problems if p.rule == "validation-limit"]


def test_field_without_chinese_title_is_reported(data_copy):
    descriptor = data_copy / "reference" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["resources"][0]["schema"]["fields"][3]["title"] = "English name"
    descriptor.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    problem = only(validate(data_copy).problems, "field-metadata")[0]
    assert (problem.resource, problem.field) == ("cities", "city_en")


def test_missing_policy_body_is_reported(data_copy):
    (data_copy / "policies" / "documents" / "gd-2022-cleaner-production-notice.md").unlink()
    problem = only(validate(data_copy).problems, "document-file")[0]
    assert (problem.row, problem.field) == (2, "body")


def test_unreadable_descriptor_is_reported_not_raised(data_copy):
    (data_copy / "policies" / "datapackage.json").write_text("{ not json", encoding="utf-8")
    problem = only(validate(data_copy).problems, "descriptor")[0]
    assert problem.package == "policies"


def test_only_http_links_are_accepted(data_copy):
    descriptor = data_copy / "policies" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["licenses"][0]["path"] = "javascript:alert(1)"
    descriptor.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    problem = only(validate(data_copy).problems, "url-scheme")[0]
    assert (problem.field, problem.value) == ("licenses.path", "javascript:alert(1)")


def test_a_resource_path_outside_the_package_is_reported_not_raised(data_copy):
    descriptor = data_copy / "reference" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["resources"][0]["path"] = "../audit-statistics/targets.csv"
    descriptor.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    result = validate(data_copy)
    assert not result.valid
    assert any(p.package == "reference" for p in result.problems)
