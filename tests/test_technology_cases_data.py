"""The sample catalogue of cleaner-production technology cases: coverage, codes, figures and plain text."""

import csv
import json
from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "datapackages"
PACKAGE = DATA / "technology-cases"
TEXT_FIELDS = ["title", "summary", "principle", "process", "key_indicators", "applicability", "case_enterprise"]
MARKUP = ["<", ">", "](", "**", "`", "\n", "\r"]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def descriptor() -> dict:
    return json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return read_csv(PACKAGE / "technology_cases.csv")


@pytest.fixture(scope="module")
def sector_codes() -> list[str]:
    return [row["sector_code"] for row in read_csv(DATA / "reference" / "sectors.csv")]


def field(descriptor: dict, name: str) -> dict:
    resource = next(r for r in descriptor["resources"] if r["name"] == "technology_cases")
    return next(f for f in resource["schema"]["fields"] if f["name"] == name)


def items(value: str) -> list[str]:
    return [item for item in value.split(";") if item]


def number(value: str) -> float | None:
    return float(value) if value != "" else None


def test_the_package_is_labelled_as_sample(descriptor):
    sample = descriptor.get("x-sample")
    assert sample and sample["note"].strip() and sample["as_of"] == "2026-11-01"
    assert not sample["note"].startswith("示例数据")
    assert descriptor["title"].endswith("（示例数据）")
    sources = read_csv(PACKAGE / "sources.csv")
    assert [s["is_sample"] for s in sources] == ["true"]


def test_the_catalogue_has_between_80_and_150_cases(cases):
    assert 80 <= len(cases) <= 150
    assert len({c["case_id"] for c in cases}) == len(cases)


def test_every_sector_has_at_least_five_cases(cases, sector_codes):
    counts = {code: 0 for code in sector_codes}
    for case in cases:
        for code in items(case["sector_codes"]):
            counts[code] = counts.get(code, 0) + 1
    assert {code: n for code, n in counts.items() if n < 5} == {}


def test_sector_codes_and_categories_are_known(cases, sector_codes, descriptor):
    allowed = set(field(descriptor, "categories")["x-itemEnum"])
    for case in cases:
        assert items(case["sector_codes"]) and set(items(case["sector_codes"])) <= set(sector_codes), case["case_id"]
        assert items(case["categories"]) and set(items(case["categories"])) <= allowed, case["case_id"]


def test_case_enterprises_are_empty_or_labelled_fictitious(cases):
    named = [c["case_enterprise"] for c in cases if c["case_enterprise"]]
    assert all(name.endswith("（示例）") for name in named)
    assert len(named) < len(cases) / 2


def test_payback_matches_investment_over_annual_benefit(cases):
    for case in cases:
        investment, payback, benefit = (
            number(case[k]) for k in ("investment_cny_10k", "payback_years", "annual_benefit_cny_10k")
        )
        if None in (investment, payback, benefit) or benefit == 0:
            continue
        expected = investment / benefit
        assert abs(payback - expected) <= 0.4 * expected, case["case_id"]


def test_co2_from_energy_saving_is_consistent(cases):
    for case in cases:
        tce, co2 = number(case["energy_saving_tce"]), number(case["co2_reduction_t"])
        if tce:
            assert co2 is not None and 2.5 <= co2 / tce <= 2.8, case["case_id"]


def test_text_fields_are_plain_text(cases):
    for case in cases:
        for name in TEXT_FIELDS:
            assert not [m for m in MARKUP if m in case[name]], (case["case_id"], name)


def test_recommended_date_falls_in_recommended_year(cases):
    for case in cases:
        year = int(case["recommended_year"])
        assert 2019 <= year <= 2025
        assert date.fromisoformat(case["recommended_date"]).year == year, case["case_id"]
