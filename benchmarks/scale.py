"""Scale generator: a copy of the data packages at a chosen multiple of the shipped sample.

In: the shipped datapackages/ (the reference and audit-statistics packages through `builder.data.load`,
the technology cases as raw CSV text).
Out: OUT/<package>/ for every package, copied byte for byte, except two regenerated files:

- enterprises/accepted_enterprises.csv: 2021 exactly as the notice's Attachment 1 (city by city,
  department by department, so validation reconciles without warnings); every other record spread
  evenly over 2013–2020 and 2022, across cities in proportion to their 2021 totals and across the two
  lead departments in each city's 2021 proportion. Records come from `builder.data.sample_enterprises`
  (same names, sectors, figures and 示例 labels), numbered GD-YYYY-NNNNN.
- technology-cases/technology_cases.csv: the shipped cases first, unchanged; then copies of them as
  variants, titled "…（变体 k）", with their figures scaled by one factor per variant (so payback stays
  consistent), a new recommendation date and a new id. The schema's id pattern is TC-\\d{3}: ids run
  TC-001 … TC-999 and the thousandth case is TC-000, so at most 1,000 cases fit without a schema change.

A count equal to the shipped one copies the shipped file unchanged, so `--multiple 1` is exactly the
shipped sample. Same arguments, same bytes: every random choice comes from fixed seeds.

Run: python -m benchmarks.scale --multiple N --out DIR
     python -m benchmarks.scale --enterprises 20000 --cases 1000 --out DIR
     python -m benchmarks.scale --preset province --out DIR
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from builder.data import load, sample_enterprises
from builder.settings import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "datapackages"
ENTERPRISES_CSV = Path("enterprises") / "accepted_enterprises.csv"
CASES_CSV = Path("technology-cases") / "technology_cases.csv"
MARKER = "SCALE.json"  # written into OUT: what was generated, and proof that OUT may be replaced

OFFICIAL_YEAR = 2021  # the only year with official per-city counts (Attachment 1)
OTHER_YEARS = [2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2022]
MAX_CASES = 1000  # TC-\d{3}: TC-001 … TC-999, then TC-000
CASE_SEED = 20220325
CASE_FIGURES = [
    "investment_cny_10k",
    "annual_benefit_cny_10k",
    "energy_saving_tce",
    "water_saving_t",
    "co2_reduction_t",
    "cod_reduction_t",
    "vocs_reduction_t",
    "heavy_metal_reduction_kg",
]
RECOMMENDED_YEARS = (2019, 2025)  # the schema's minimum and maximum

PRESETS = {
    "sample": None,  # the shipped data, unchanged
    "province": {"enterprises": 20000, "cases": 1000},
}


class ScaleError(ValueError):
    pass


# --- counts ----------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def shipped_counts(source: Path = SHIPPED) -> dict[str, int]:
    return {"enterprises": _csv_rows(source / ENTERPRISES_CSV), "cases": _csv_rows(source / CASES_CSV)}


def counts_for_multiple(multiple: float, source: Path = SHIPPED) -> dict[str, int]:
    shipped = shipped_counts(source)
    return {
        "enterprises": round(shipped["enterprises"] * multiple),
        "cases": min(MAX_CASES, round(shipped["cases"] * multiple)),
    }


def apportion(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to weights that add up to total exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


# --- enterprises -----------------------------------------------------------------------------------


def enterprise_plan(catalog: load.Packages, total: int) -> list[tuple[str, str, int, int]]:
    """(city_code, lead_department, year, count) for every group of records."""
    official = catalog["audit-statistics"].tables["acceptances"].frame.to_dict("records")
    official = [row for row in official if row["year"] == OFFICIAL_YEAR]
    fixed = sum(row["enterprises"] for row in official)
    if total < fixed:
        raise ScaleError(f"至少需要 {fixed} 条企业记录：{OFFICIAL_YEAR} 年的记录数必须与通知附件 1 一致。")
    plan = [(row["city_code"], row["lead_department"], OFFICIAL_YEAR, row["enterprises"]) for row in official]
    by_city: dict[str, dict[str, int]] = {}
    for row in official:
        by_city.setdefault(row["city_code"], {})[row["lead_department"]] = row["enterprises"]
    cities = sorted(catalog["reference"].tables["cities"].frame["city_code"])
    # +1: a city without 2021 acceptances still accepts a few enterprises in other years.
    city_weights = [sum(by_city.get(code, {}).values()) + 1 for code in cities]
    departments = sorted(catalog["reference"].tables["departments"].frame["department_code"])
    for year, year_total in zip(OTHER_YEARS, apportion(total - fixed, [1] * len(OTHER_YEARS))):
        for code, city_total in zip(cities, apportion(year_total, city_weights)):
            split = [by_city.get(code, {}).get(d, 0) + 1 for d in departments]
            for department, count in zip(departments, apportion(city_total, split)):
                if count:
                    plan.append((code, department, year, count))
    return plan


def enterprise_rows(catalog: load.Packages, total: int) -> list[dict]:
    rng = random.Random(sample_enterprises.SEED)
    return sample_enterprises.numbered_records(rng, catalog, enterprise_plan(catalog, total))


def enterprise_csv(catalog: load.Packages, total: int) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=sample_enterprises.FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(enterprise_rows(catalog, total))
    return out.getvalue()


# --- technology cases ------------------------------------------------------------------------------


def case_id(number: int) -> str:
    """The id of the number-th case (1-based): TC-001 … TC-999, and TC-000 for the thousandth."""
    if not 1 <= number <= MAX_CASES:
        raise ScaleError(f"案例编号格式 TC-三位数字 最多容纳 {MAX_CASES} 个案例。")
    return f"TC-{number % 1000:03d}"


def _scaled(text: str, factor: float) -> str:
    if text == "":
        return text
    decimals = len(text.split(".")[1]) if "." in text else 0
    value = round(float(text) * factor, decimals)
    return f"{value:.{decimals}f}"


def _variant(rng: random.Random, row: dict, variant: int, number: int) -> dict:
    factor = rng.uniform(0.6, 1.6)
    year = rng.randint(*RECOMMENDED_YEARS)
    day = date(year, 1, 1) + timedelta(days=rng.randrange(0, 365))
    copy = {
        **row,
        "case_id": case_id(number),
        "title": f"{row['title']}（变体 {variant}）",
        "recommended_year": str(year),
        "recommended_date": day.isoformat(),
    }
    for name in CASE_FIGURES:
        copy[name] = _scaled(row[name], factor)
    return copy


def case_csv(source_csv: Path, total: int) -> str:
    with source_csv.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, shipped = list(reader.fieldnames or []), list(reader)
    if total > MAX_CASES:
        raise ScaleError(f"案例编号格式 TC-三位数字 最多容纳 {MAX_CASES} 个案例，请求了 {total} 个。")
    rng = random.Random(CASE_SEED)
    rows = []
    for i in range(total):
        base = shipped[i % len(shipped)]
        variant = i // len(shipped)
        rows.append({**base, "case_id": case_id(i + 1)} if variant == 0 else _variant(rng, base, variant, i + 1))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# --- the copy --------------------------------------------------------------------------------------


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise ScaleError(f"{out} 已存在且不是本工具生成的目录，拒绝覆盖。")
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)


def write_scaled(out: Path, enterprises: int, cases: int, source: Path = SHIPPED) -> dict:
    """Write the scaled copy into `out` (replacing an earlier one); returns what was written."""
    out = Path(out)
    _prepare(out)
    out.mkdir(parents=True, exist_ok=True)
    # The marker first: an interrupted run leaves a folder the next run may replace.
    (out / MARKER).write_text(json.dumps({"complete": False}) + "\n", encoding="utf-8")
    shutil.copytree(source, out, dirs_exist_ok=True)
    shipped = shipped_counts(source)
    if enterprises != shipped["enterprises"]:
        catalog = {name: load.load_package(source / name) for name in ("reference", "audit-statistics")}
        (out / ENTERPRISES_CSV).write_text(enterprise_csv(catalog, enterprises), encoding="utf-8")
    if cases != shipped["cases"]:
        (out / CASES_CSV).write_text(case_csv(source / CASES_CSV, cases), encoding="utf-8")
    summary = {
        "enterprises": _csv_rows(out / ENTERPRISES_CSV),
        "cases": _csv_rows(out / CASES_CSV),
        "shipped": shipped,
        "complete": True,
    }
    (out / MARKER).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary


def resolve_counts(
    preset: str | None = None,
    multiple: float | None = None,
    enterprises: int | None = None,
    cases: int | None = None,
    source: Path = SHIPPED,
) -> dict[str, int]:
    """The row counts a preset, a multiple or explicit counts ask for (explicit counts win)."""
    if preset is not None and preset not in PRESETS:
        raise ScaleError(f"未知的规模 {preset!r}：可选 {', '.join(PRESETS)}，或一个倍数。")
    counts = shipped_counts(source)
    if preset is not None and PRESETS[preset]:
        counts = dict(PRESETS[preset])
    if multiple is not None:
        counts = counts_for_multiple(multiple, source)
    if enterprises is not None:
        counts["enterprises"] = enterprises
    if cases is not None:
        counts["cases"] = cases
    return counts


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m benchmarks.scale", description="按倍数生成数据包副本（确定性），用于基准测试。"
    )
    main.add_argument("--out", required=True, metavar="DIR", help="输出目录（不存在、为空或由本工具生成）")
    main.add_argument("--preset", choices=list(PRESETS), help="sample = 随附数据；province = 20000 家企业、1000 个案例")
    main.add_argument("--multiple", type=float, metavar="N", help="随附数据的倍数（企业和案例同倍，案例最多 1000 个）")
    main.add_argument("--enterprises", type=int, metavar="N", help="企业记录数（覆盖倍数）")
    main.add_argument("--cases", type=int, metavar="N", help="技术案例数（覆盖倍数，最多 1000）")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        counts = resolve_counts(args.preset, args.multiple, args.enterprises, args.cases)
        summary = write_scaled(Path(args.out), counts["enterprises"], counts["cases"])
    except ScaleError as error:
        print(f"✗ {error}", file=sys.stderr)
        return 2
    print(f"已写入 {args.out}：企业记录 {summary['enterprises']} 条，技术案例 {summary['cases']} 个")
    return 0


if __name__ == "__main__":
    sys.exit(main())
