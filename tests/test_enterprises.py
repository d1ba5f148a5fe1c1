"""The accepted-enterprise registry: schema rules, the labelled sample, reconciliation, derived figures."""

import dataclasses
import json
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import pipeline
from builder.data import load
from builder.data.sample_enterprises import write_sample
from builder.derive import statistics
from builder.derive.enterprise_directory import LIST_FIELDS, encode_column
from builder.validate.checks import registry_reconciliation
from builder.validate.checks.uscc import uscc_check_character
from helpers import DATA, only, settings_for

REGISTRY = DATA / "enterprises" / "accepted_enterprises.csv"


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return pd.read_csv(REGISTRY, dtype=str, keep_default_na=False)


def set_cell(data_dir, record_id: str, field: str, value: str) -> int:
    """Edit one cell of the registry copy; returns its spreadsheet row number."""
    path = data_dir / "enterprises" / "accepted_enterprises.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    index = frame.index[frame["record_id"] == record_id][0]
    frame.loc[index, field] = value
    frame.to_csv(path, index=False, lineterminator="\n")
    return int(index) + 2


# --- schema and checks -------------------------------------------------------------------------


def test_uscc_check_character_follows_gb_32100():
    assert uscc_check_character("91350100M000100Y4") == "3"  # the standard's own example code


def test_a_wrong_uscc_check_digit_is_an_error(data_copy):
    row = set_cell(data_copy, "GD-2021-00010", "uscc", "91350100M000100Y44")
    problem = only(validate_problems(data_copy), "uscc-check-digit")[0]
    assert (problem.row, problem.field, problem.value) == (row, "uscc", "91350100M000100Y44")
    assert "应为 3" in problem.message


def test_a_correct_uscc_passes(data_copy):
    set_cell(data_copy, "GD-2021-00010", "uscc", "91350100M000100Y43")
    assert not [p for p in validate_problems(data_copy) if p.rule == "uscc-check-digit"]


def test_an_unknown_city_is_an_error(data_copy):
    row = set_cell(data_copy, "GD-2021-00011", "city_code", "449900")
    problem = only(validate_problems(data_copy), "cross-package-key")[0]
    assert (problem.row, problem.field, problem.value) == (row, "city_code", "449900")


def test_a_negative_figure_is_an_error(data_copy):
    row = set_cell(data_copy, "GD-2021-00012", "co2_reduction_t", "-5")
    problem = only(validate_problems(data_copy), "constraint-error")[0]
    assert (problem.row, problem.field, problem.value) == (row, "co2_reduction_t", "-5")
    assert "最小值" in problem.message


def test_a_duplicate_record_id_is_an_error(data_copy):
    row = set_cell(data_copy, "GD-2021-00013", "record_id", "GD-2021-00001")
    problems = [p for p in validate_problems(data_copy) if p.rule in ("primary-key", "unique-error")]
    assert problems and problems[0].row == row


def test_acceptance_year_must_match_the_date(data_copy):
    row = set_cell(data_copy, "GD-2021-00014", "acceptance_year", "2020")
    problem = only(validate_problems(data_copy), "acceptance-year")[0]
    assert problem.row == row


def validate_problems(data_dir):
    from builder.validate import validate

    return validate(data_dir).problems


# --- the sample ---------------------------------------------------------------------------------


def test_sample_2021_cohort_reproduces_attachment_1_exactly(registry):
    official = pd.read_csv(DATA / "audit-statistics" / "acceptances.csv", dtype={"city_code": str})
    official = official[official["year"] == 2021].set_index(["city_code", "lead_department"])["enterprises"]
    cohort = registry[registry["acceptance_year"] == "2021"]
    counted = cohort.groupby(["city_code", "lead_department"]).size()
    for key, expected in official.items():
        assert counted.get(key, 0) == expected, key
    assert len(cohort) == 1901 == official.sum()


def test_sample_2022_cohort_is_below_target_in_some_cities_and_above_in_others(registry):
    targets = pd.read_csv(DATA / "audit-statistics" / "targets.csv", dtype={"city_code": str}).set_index("city_code")[
        "target"
    ]
    counts = registry[registry["acceptance_year"] == "2022"].groupby("city_code").size()
    below = [c for c in targets.index if counts.get(c, 0) < targets[c]]
    above = [c for c in targets.index if counts.get(c, 0) > targets[c]]
    assert below and above


def test_sample_is_evidently_fictitious_and_holds_no_personal_data(registry):
    assert registry["enterprise_name"].str.endswith("（示例）").all()
    assert (registry["uscc"] == "").all() and (registry["list_doc_number"] == "").all()
    forbidden = re.compile(r"contact|phone|mobile|email|e_mail|id_card|person|联系人|电话|邮箱|身份证")
    assert not [c for c in registry.columns if forbidden.search(c)]
    text = REGISTRY.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), "no mobile numbers"
    assert "@" not in text


def test_sample_is_marked_as_sample_in_its_metadata():
    descriptor = json.loads((DATA / "enterprises" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["x-sample"]["note"]
    sources = pd.read_csv(DATA / "enterprises" / "sources.csv")
    assert sources["is_sample"].all()


def test_sample_generation_is_deterministic(data_copy):
    written = write_sample(data_copy)
    assert written.read_bytes() == REGISTRY.read_bytes(), "regenerating must reproduce the committed file"


# --- reconciliation and derived figures ---------------------------------------------------------


def test_a_registry_that_disagrees_with_official_counts_gives_warnings_not_errors(data_copy):
    set_cell(data_copy, "GD-2021-00001", "city_code", "440300")  # a 广州 record moved to 深圳
    from builder.validate import validate

    result = validate(data_copy)
    assert result.valid, "a reconciliation difference is a warning"
    warnings = only(result.problems, "registry-reconciliation")
    assert all(w.severity == "warning" for w in warnings)
    messages = " ".join(w.message for w in warnings)
    assert "440100" in messages and "440300" in messages and "相差 -1" in messages and "相差 +1" in messages
    # The message says what to do: a sample is regenerated, real records are corrected.
    assert all("python -m builder generate-sample" in w.message for w in warnings)
    descriptor = data_copy / "enterprises" / "datapackage.json"
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    meta.pop("x-sample")
    descriptor.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    real = only(validate(data_copy).problems, "registry-reconciliation")
    assert real and all("generate-sample" not in w.message and "核对名录" in w.message for w in real)


def test_the_shipped_sample_reconciles_exactly():
    rows = registry_reconciliation.reconciliation(load.load(DATA))
    assert len(rows) == 42 and not [r for r in rows if r["difference"]]


def test_city_parts_add_up_to_the_province(registry):
    summary = statistics.registry_summary(load.load(DATA))
    for year in summary.years:
        cities = [v for (c, y), v in summary.by_city_year.items() if y == year]
        sectors = [v for (s, y), v in summary.by_sector_year.items() if y == year]
        for parts in (cities, sectors):
            assert sum(p["count"] for p in parts) == summary.by_year[year]["count"]
            assert sum(p["co2_reduction_t"] or 0 for p in parts) == pytest.approx(
                summary.by_year[year]["co2_reduction_t"]
            )
    expected = pd.to_numeric(registry["co2_reduction_t"]).groupby(registry["acceptance_year"]).sum()
    assert summary.by_year[2021]["co2_reduction_t"] == pytest.approx(expected["2021"], abs=0.1)


def test_a_sample_registry_yields_no_target_progress():
    summary = statistics.registry_summary(load.load(DATA))
    assert summary.sample and summary.sample_note
    assert summary.progress == [] and summary.province_progress == {}


def test_target_progress_labels_of_a_real_registry(registry):
    catalog = load.load(DATA)
    package = catalog["enterprises"]
    catalog["enterprises"] = dataclasses.replace(
        package, descriptor={k: v for k, v in package.descriptor.items() if k != "x-sample"}
    )
    summary = statistics.registry_summary(catalog)
    assert not summary.sample and summary.progress
    counts = registry[registry["acceptance_year"] == "2022"].groupby("city_code").size()
    for progress in summary.progress:
        assert progress.achieved == counts.get(progress.city_code, 0)
        assert progress.status == ("达标" if progress.achieved >= progress.target else "未达标")
    assert summary.province_progress[2022].target == 1275


# --- pages --------------------------------------------------------------------------------------


def test_pages_show_registry_figures_and_the_sample_banner(built_site):
    city = (built_site / "cities/440300/index.html").read_text(encoding="utf-8")
    assert 'class="sample-banner"' in city and "city-registry-by-year" in city
    assert "target-progress" not in city and "达标" not in city, "no verdict from a sample registry"
    assert 'href="../../enterprises/?city=440300"' in city
    province = (built_site / "cities/index.html").read_text(encoding="utf-8")
    assert "registry-by-sector" in province
    assert "target-progress" not in province and "达标" not in province and "完成率" not in province
    reconciliation = (built_site / "enterprises/reconciliation/index.html").read_text(encoding="utf-8")
    assert 'data-mismatches="0"' in reconciliation
    directory = json.loads((built_site / "enterprises/directory.json").read_text(encoding="utf-8"))
    assert directory["count"] == len(pd.read_csv(REGISTRY)) and directory["sample"]["note"]
    assert [f["name"] for f in directory["fields"]] == list(pd.read_csv(REGISTRY, nrows=0).columns)


def test_real_data_without_the_sample_mark_shows_no_banner(project_copy):
    descriptor_path = project_copy / "datapackages/enterprises/datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    del descriptor["x-sample"]
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    result = pipeline.build(settings_for(project_copy, project_copy / "site"))
    pages = [p.read_text(encoding="utf-8") for p in result.site.rglob("*.html")]
    assert not [p for p in pages if 'data-sample-package="enterprises"' in p]
    assert 'class="sample-banner"' not in (result.site / "enterprises/index.html").read_text(encoding="utf-8")
    assert json.loads((result.site / "enterprises/directory.json").read_text(encoding="utf-8"))["sample"] is None


def test_reconciliation_page_highlights_differences(project_copy):
    set_cell(project_copy / "datapackages", "GD-2021-00001", "city_code", "440300")
    result = pipeline.build(settings_for(project_copy, project_copy / "site"))
    html = (result.site / "enterprises/reconciliation/index.html").read_text(encoding="utf-8")
    # One record moved within its department: 广州 one short, 深圳 one over.
    assert 'data-mismatches="2"' in html
    marked = re.findall(r'<tr class="mismatch"><td>2021</td><td>(\w+)</td>.*?≠ ([+-]\d+)', html)
    assert sorted(marked) == [("广州市", "-1"), ("深圳市", "+1")]


# --- the directory's data ----------------------------------------------------------------------


def decode_column(column: dict, count: int) -> list:
    """A column of the directory's JSON as docs/assets/directory.js reads it (format: builder/derive/enterprise_directory.py)."""
    if "runs" in column:
        values = [
            prefix + (str(first + i).zfill(width) if width else "")
            for prefix, first, length, width in column["runs"]
            for i in range(length)
        ]
    elif "dict" in column:
        values = [column["dict"][code] for code in column["codes"]]
    else:
        values = column["values"]
    assert len(values) == count
    return values


def directory_records(site) -> list[dict]:
    """Every record as the browser rebuilds it: the list's columns, then each details file's."""
    folder = site / "enterprises"
    directory = json.loads((folder / "directory.json").read_text(encoding="utf-8"))
    count = directory["count"]
    columns = {name: decode_column(column, count) for name, column in directory["columns"].items()}
    details = directory["details"]
    for i, file in enumerate(details["files"]):
        chunk = json.loads((folder / file).read_text(encoding="utf-8"))
        assert chunk["start"] == i * details["size"] and chunk["count"] == min(details["size"], count - chunk["start"])
        for name in details["fields"]:
            columns.setdefault(name, []).extend(decode_column(chunk["columns"][name], chunk["count"]))
    names = [field["name"] for field in directory["fields"]]
    # As the directory's own downloads do: a sample's records start with its mark.
    mark = {directory["sample"]["mark"]["name"]: directory["sample"]["mark"]["value"]} if directory["sample"] else {}
    return [{**mark, **{name: columns[name][r] for name in names}} for r in range(count)]


def test_directory_list_and_details_rebuild_the_json_download(built_site):
    directory = json.loads((built_site / "enterprises/directory.json").read_text(encoding="utf-8"))
    names = [field["name"] for field in directory["fields"]]
    # The list holds what the table shows, searches and filters on; every other field waits in the details.
    assert set(directory["columns"]) == set(LIST_FIELDS)
    assert set(directory["details"]["fields"]) == set(names) - set(LIST_FIELDS)
    assert len(directory["details"]["files"]) > 1
    assert set(directory["columns"]["record_id"]) == {"runs"}
    assert set(directory["columns"]["city_code"]) == {"dict", "codes"}
    years = directory["columns"]["acceptance_year"]
    assert set(years) == {"dict", "codes"} and all(isinstance(year, int) for year in years["dict"])
    assert set(directory["columns"]["enterprise_name"]) == {"values"}
    download = json.loads((built_site / "downloads/enterprises/accepted_enterprises.json").read_text(encoding="utf-8"))
    assert directory_records(built_site) == download


_IDS = st.builds(
    lambda prefix, number, width: prefix + (str(number).zfill(width) if width else ""),
    st.sampled_from(["GD-2021-", "GD-2022-", "A", ""]),
    st.integers(0, 120),
    st.integers(0, 4),
)
_CELLS = st.one_of(
    st.none(), _IDS, st.text(max_size=5), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False)
)


@given(st.lists(_IDS, max_size=60) | st.lists(_CELLS, max_size=60), st.booleans())
def test_a_directory_column_reads_back_as_its_values(values, key):
    written = json.loads(json.dumps(encode_column(values, key)))
    assert decode_column(written, len(values)) == values


def test_consecutive_record_ids_become_one_run_each():
    ids = [f"GD-2021-{n:05d}" for n in range(1, 9)] + [f"GD-2022-{n:05d}" for n in range(1, 5)]
    assert encode_column(ids, key=True) == {"runs": [["GD-2021-", 1, 8, 5], ["GD-2022-", 1, 4, 5]]}
    # Digits other than 0-9 are text to the browser, so they never become run numbers.
    arabic = [f"A{chr(0x660 + n)}" for n in range(10)]
    assert decode_column(json.loads(json.dumps(encode_column(arabic, key=True))), 10) == arabic
