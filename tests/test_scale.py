"""The benchmark's scale generator: deterministic, the counts asked for, and data that validate."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from builder.settings import PROJECT_ROOT
from builder.validate import validate

try:
    from benchmarks import scale
except ImportError:  # pytest run without the project root on sys.path (python -m pytest adds it)
    import sys

    sys.path.insert(0, str(PROJECT_ROOT))
    from benchmarks import scale

DATA = PROJECT_ROOT / "datapackages"
# Small, so the test stays fast, but above the shipped counts: every year and variant path is used.
ENTERPRISES, CASES = 2400, 240


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scaled") / "datapackages"
    scale.write_scaled(out, ENTERPRISES, CASES)
    return out


def test_same_arguments_give_the_same_bytes(scaled, tmp_path):
    again = tmp_path / "again"
    scale.write_scaled(again, ENTERPRISES, CASES)
    assert tree(again) == tree(scaled)


def test_multiple_one_is_the_shipped_data(tmp_path):
    out = tmp_path / "x1"
    counts = scale.resolve_counts(multiple=1)
    scale.write_scaled(out, counts["enterprises"], counts["cases"])
    copied = tree(out)
    copied.pop(scale.MARKER)
    assert copied == tree(DATA)


def test_the_requested_numbers_of_rows(scaled):
    enterprises = rows(scaled / scale.ENTERPRISES_CSV)
    cases = rows(scaled / scale.CASES_CSV)
    assert len(enterprises) == ENTERPRISES
    assert len(cases) == CASES


def test_2021_matches_attachment_1_and_other_years_spread_over_ten_years(scaled):
    enterprises = rows(scaled / scale.ENTERPRISES_CSV)
    official = {
        (r["city_code"], r["lead_department"]): int(r["enterprises"])
        for r in rows(DATA / "audit-statistics" / "acceptances.csv")
        if r["year"] == "2021"
    }
    counted = Counter((r["city_code"], r["lead_department"]) for r in enterprises if r["acceptance_year"] == "2021")
    assert counted == Counter(official)
    years = Counter(int(r["acceptance_year"]) for r in enterprises)
    assert sorted(years) == list(range(2013, 2023))
    others = [n for year, n in years.items() if year != 2021]
    assert max(others) - min(others) <= 1, "the records outside 2021 are spread evenly"


def test_record_and_case_ids_follow_the_schema_patterns(scaled):
    record_ids = [r["record_id"] for r in rows(scaled / scale.ENTERPRISES_CSV)]
    assert len(set(record_ids)) == len(record_ids)
    assert all(re.fullmatch(r"GD-\d{4}-\d{5}", i) for i in record_ids)
    assert all(i[3:7] == r["acceptance_year"] for i, r in zip(record_ids, rows(scaled / scale.ENTERPRISES_CSV)))
    cases = rows(scaled / scale.CASES_CSV)
    assert len({c["case_id"] for c in cases}) == len(cases)
    assert len({c["title"] for c in cases}) == len(cases), "variants have titles of their own"
    shipped = rows(DATA / "technology-cases" / "technology_cases.csv")
    assert cases[: len(shipped)] == shipped, "the shipped cases come first, unchanged"


def test_a_thousand_cases_fit_the_id_pattern():
    ids = [scale.case_id(n) for n in range(1, scale.MAX_CASES + 1)]
    assert len(set(ids)) == 1000 and all(re.fullmatch(r"TC-\d{3}", i) for i in ids)
    assert ids[-1] == "TC-000"
    with pytest.raises(scale.ScaleError):
        scale.case_id(1001)


def test_the_scaled_packages_validate_without_warnings(scaled):
    result = validate(scaled)
    assert result.valid, result.problems[:5]
    assert not result.problems, [p.message for p in result.problems[:5]]
    assert result.rows >= ENTERPRISES + CASES


def test_too_few_records_for_attachment_1_are_refused(tmp_path):
    with pytest.raises(scale.ScaleError):
        scale.write_scaled(tmp_path / "small", 1000, 109)


def test_a_folder_it_did_not_write_is_never_replaced(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(scale.ScaleError):
        scale.write_scaled(precious, ENTERPRISES, CASES)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_command_line(tmp_path, capsys):
    out = tmp_path / "cli"
    assert scale.main(["--enterprises", str(ENTERPRISES), "--cases", "120", "--out", str(out)]) == 0
    assert len(rows(out / scale.CASES_CSV)) == 120
    assert scale.main(["--cases", "1001", "--out", str(tmp_path / "too-many")]) == 2
