"""One check per unit: each check module declares its name, title and rules, and reports only its own rules.

Each check runs on the shipped packages (no problem, or only its documented warnings) and on a copy broken
in the one way it exists to catch; the problem it reports names file, row, field and value.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest

from builder.data.load import load
from builder.importing.messages import RULES as IMPORT_RULES
from builder.validate import validate
from builder.validate.checks import CHECKS
from builder.validate.context import Context
from builder.validate.messages import RULES
from helpers import DATA

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def shipped():
    return load(DATA)


def test_every_check_declares_name_title_rules_and_a_check_function():
    names = [check.NAME for check in CHECKS]
    assert len(names) == len(set(names))
    for check in CHECKS:
        assert CJK.search(check.TITLE), check.__name__
        assert callable(check.check)
        for rule in check.RULES:
            assert rule.id in RULES and RULES[rule.id] is rule, rule.id  # declared once, in the registry
            assert CJK.search(rule.title), rule.id


def test_the_registry_names_every_rule_the_report_lists(shipped):
    result = validate(DATA)
    assert result.valid
    for name, title in result.checks_run:
        assert CJK.search(title), name
    assert [name for name, _ in result.checks_run] == ["frictionless", *[c.NAME for c in CHECKS]]


def _break_field_metadata(catalog):
    table = catalog["reference"].tables["cities"]
    table.descriptor["schema"]["fields"][1]["title"] = "City name"
    return "reference", "cities", None, table.fields[1]["name"], None


def _break_label_fields(catalog):
    table = catalog["reference"].tables["cities"]
    table.descriptor["schema"]["x-labelField"] = "city_nmae"
    return "reference", "cities", None, "x-labelField", "city_nmae"


def _break_resource_paths(catalog):
    table = catalog["reference"].tables["sectors"]
    table.descriptor["path"] = "data/sectors.csv"
    return "reference", "sectors", None, "path", "data/sectors.csv"


def _break_urls(catalog):
    catalog["policies"].descriptor.setdefault("sources", []).append({"title": "x", "path": "javascript:alert(1)"})
    return "policies", None, None, "sources.path", "javascript:alert(1)"


def _break_cross_package_keys(catalog):
    frame = catalog["audit-statistics"].tables["acceptances"].frame
    row = frame.index[0]
    frame.loc[row, "city_code"] = "449999"
    return "audit-statistics", "acceptances", int(row), "city_code", "449999"


def _break_list_items(catalog):
    for table in catalog["technology-cases"].tables.values():
        for field in table.fields:
            if field.get("x-itemEnum"):
                row = table.frame.index[0]
                table.frame.at[row, field["name"]] = ["不存在的类别"]
                return "technology-cases", table.name, int(row), field["name"], "不存在的类别"
    pytest.fail("no list field with x-itemEnum in the shipped data")


def _break_printed_totals(catalog):
    frame = catalog["audit-statistics"].tables["printed_totals"].frame
    row = frame.index[0]
    frame.loc[row, "value"] = frame.loc[row, "value"] + 1
    return "audit-statistics", "printed_totals", int(row), "value", str(frame.loc[row, "value"])


def _break_document_files(catalog):
    frame = catalog["policies"].tables["policies"].frame
    row = frame["body"].first_valid_index()
    frame.loc[row, "body"] = "documents/missing.md"
    return "policies", "policies", int(row), "body", "documents/missing.md"


def _break_transcriptions(catalog):
    frame = catalog["audit-statistics"].tables["acceptances"].frame
    row = frame.index[0]
    frame.loc[row, "enterprises"] = frame.loc[row, "enterprises"] + 1
    return "audit-statistics", "acceptances", int(row), "enterprises", str(frame.loc[row, "enterprises"])


def _break_uscc(catalog):
    frame = catalog["enterprises"].tables["accepted_enterprises"].frame
    row = frame.index[0]
    wrong = "91350100M000100Y40"  # GB 32100's own example code (check character 3), with a wrong 18th character
    frame.loc[row, "uscc"] = wrong
    return "enterprises", "accepted_enterprises", int(row), "uscc", wrong


def _break_acceptance_year(catalog):
    frame = catalog["enterprises"].tables["accepted_enterprises"].frame
    row = frame["acceptance_date"].first_valid_index()
    frame.loc[row, "acceptance_date"] = datetime.date(1999, 1, 1)
    return "enterprises", "accepted_enterprises", int(row), "acceptance_year", str(frame.loc[row, "acceptance_year"])


def _break_registry_reconciliation(catalog):
    table = catalog["enterprises"].tables["accepted_enterprises"]
    first = table.frame.iloc[0]
    # One record fewer than the official count.
    catalog["enterprises"].tables["accepted_enterprises"] = dataclasses.replace(table, frame=table.frame.iloc[1:])
    return "enterprises", "accepted_enterprises", None, "city_code", first["city_code"]


def _break_package_files(catalog):
    table = catalog["reference"].tables["cities"]  # a private copy (data_copy): the file itself is changed
    table.path.write_bytes(b"\xef\xbb\xbf" + table.path.read_bytes())
    return "reference", "cities", None, None, None


BREAKERS = {
    "check_field_metadata": _break_field_metadata,
    "check_label_fields": _break_label_fields,
    "check_resource_paths": _break_resource_paths,
    "check_urls": _break_urls,
    "check_cross_package_keys": _break_cross_package_keys,
    "check_list_items": _break_list_items,
    "check_printed_totals": _break_printed_totals,
    "check_document_files": _break_document_files,
    "check_transcriptions": _break_transcriptions,
    "check_uscc": _break_uscc,
    "check_acceptance_year": _break_acceptance_year,
    "check_registry_reconciles": _break_registry_reconciliation,
    "check_package_files": _break_package_files,
}


def test_every_check_has_its_own_test_below():
    assert sorted(BREAKERS) == sorted(check.NAME for check in CHECKS)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.NAME)
def test_each_check_passes_the_shipped_data_and_catches_its_own_fault(check, shipped, data_copy):
    assert [p for p in check.check(Context(catalog=shipped)) if p.is_error] == []
    catalog = load(data_copy)  # each test breaks its own copy
    package, resource, row, field, value = BREAKERS[check.NAME](catalog)
    found = check.check(Context(catalog=catalog))
    assert found, f"{check.NAME} found nothing in the broken copy"
    own = {rule.id for rule in check.RULES} or set(IMPORT_RULES)
    assert {p.rule for p in found} <= own
    located = [
        p
        for p in found
        if p.package == package
        and p.resource == resource
        and (row is None or p.row == row)
        and (field is None or p.field == field)
        and (value is None or p.value == value)
    ]
    assert located, [(p.package, p.resource, p.row, p.field, p.value, p.message) for p in found]
    assert all(CJK.search(p.message) for p in found)
