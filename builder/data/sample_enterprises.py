"""Writes the labelled sample of accepted enterprises (deterministic: same code, same file).

In: the reference and audit-statistics packages (city counts per department in 2021, 2022 targets).
Out: datapackages/enterprises/accepted_enterprises.csv, whose 2021 rows match Attachment 1
city by city and department by department. Every name ends in （示例）; no USCC, no document
numbers, no consultancies: nothing that could pass for an official record.

Run: python -m builder generate-sample [--data DIR]
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from builder.data import load

K = TypeVar("K")

SEED = 20220324
AS_OF = date(2026, 11, 1)  # the sample's "data date", also in datapackage.json x-sample.as_of
SOURCE_ID = "sample-generator"

# Plausible key sectors per city, weighted by what each city's industry is known for.
CITY_SECTORS = {
    "440100": {
        "petrochemical_chemical": 3,
        "industrial_coating": 3,
        "agri_food_processing": 2,
        "pharmaceutical_api": 2,
        "packaging_printing": 2,
        "electroplating": 1,
    },
    "440200": {"steel": 3, "nonferrous_metals": 3, "energy": 2, "building_materials": 2},
    "440300": {"pcb": 4, "electroplating": 3, "industrial_coating": 2, "packaging_printing": 2},
    "440400": {"pcb": 3, "petrochemical_chemical": 2, "industrial_coating": 2, "energy": 1},
    "440500": {"printing_dyeing": 4, "packaging_printing": 3, "electroplating": 2, "industrial_coating": 1},
    "440600": {
        "building_materials": 4,
        "industrial_coating": 3,
        "nonferrous_metals": 3,
        "printing_dyeing": 2,
        "electroplating": 1,
    },
    "440700": {"industrial_coating": 3, "papermaking": 2, "electroplating": 2, "agri_food_processing": 1},
    "440800": {"steel": 2, "petrochemical_chemical": 2, "papermaking": 2, "agri_food_processing": 3},
    "440900": {"petrochemical_chemical": 4, "agri_food_processing": 2, "building_materials": 1},
    "441200": {"nonferrous_metals": 3, "building_materials": 2, "industrial_coating": 2},
    "441300": {"petrochemical_chemical": 3, "pcb": 3, "industrial_coating": 2, "electroplating": 1},
    "441400": {"building_materials": 3, "energy": 2, "pcb": 2},
    "441500": {"energy": 2, "agri_food_processing": 2},
    "441600": {"pcb": 2, "building_materials": 2, "energy": 1},
    "441700": {"steel": 3, "nonferrous_metals": 1, "agri_food_processing": 2},
    "441800": {"building_materials": 3, "nonferrous_metals": 2, "electroplating": 1},
    "441900": {
        "pcb": 3,
        "papermaking": 3,
        "printing_dyeing": 2,
        "industrial_coating": 2,
        "electroplating": 2,
        "packaging_printing": 2,
    },
    "442000": {"industrial_coating": 3, "packaging_printing": 2, "electroplating": 1},
    "445100": {"building_materials": 2, "packaging_printing": 2, "electroplating": 2, "printing_dyeing": 1},
    "445200": {"petrochemical_chemical": 2, "printing_dyeing": 2, "electroplating": 1},
    "445300": {"building_materials": 4, "energy": 1},
}

CITY_COUNTIES = {
    "440100": ["黄埔区", "番禺区", "增城区", "花都区", "南沙区", "白云区", "从化区"],
    "440200": ["曲江区", "浈江区", "武江区", "乐昌市", "南雄市", "翁源县"],
    "440300": ["宝安区", "龙岗区", "光明区", "坪山区", "龙华区"],
    "440400": ["金湾区", "斗门区", "香洲区"],
    "440500": ["潮阳区", "潮南区", "澄海区", "濠江区", "金平区", "龙湖区"],
    "440600": ["顺德区", "南海区", "三水区", "高明区", "禅城区"],
    "440700": ["蓬江区", "江海区", "新会区", "鹤山市", "开平市", "台山市", "恩平市"],
    "440800": ["赤坎区", "霞山区", "麻章区", "坡头区", "廉江市", "遂溪县", "雷州市", "吴川市"],
    "440900": ["茂南区", "电白区", "高州市", "化州市", "信宜市"],
    "441200": ["端州区", "鼎湖区", "高要区", "四会市", "广宁县"],
    "441300": ["惠城区", "惠阳区", "博罗县", "惠东县", "龙门县"],
    "441400": ["梅江区", "梅县区", "兴宁市", "蕉岭县", "平远县"],
    "441500": ["城区", "海丰县", "陆丰市", "陆河县"],
    "441600": ["源城区", "东源县", "和平县", "龙川县", "紫金县"],
    "441700": ["江城区", "阳东区", "阳春市", "阳西县"],
    "441800": ["清城区", "清新区", "英德市", "佛冈县", "连州市"],
    "441900": ["长安镇", "虎门镇", "厚街镇", "塘厦镇", "麻涌镇"],
    "442000": ["火炬开发区", "小榄镇", "古镇镇", "三乡镇", "南头镇"],
    "445100": ["湘桥区", "潮安区", "饶平县"],
    "445200": ["榕城区", "揭东区", "普宁市", "揭西县", "惠来县"],
    "445300": ["云城区", "云安区", "罗定市", "新兴县", "郁南县"],
}

# Industry names as a list might print them, and the name keyword a company of that kind might use.
SECTOR_INDUSTRIES = {
    "energy": [("火力发电", "电力"), ("热力生产和供应", "热电")],
    "steel": [("炼钢", "钢铁"), ("钢压延加工", "特钢")],
    "building_materials": [("建筑陶瓷制品制造", "陶瓷"), ("水泥制造", "水泥"), ("平板玻璃制造", "玻璃")],
    "nonferrous_metals": [("铝压延加工", "铝业"), ("铜冶炼", "铜业"), ("稀有稀土金属冶炼", "金属")],
    "petrochemical_chemical": [("原油加工及石油制品制造", "石化"), ("涂料制造", "化工"), ("合成树脂制造", "新材料")],
    "printing_dyeing": [("棉印染精加工", "印染"), ("化纤织物染整精加工", "染整")],
    "papermaking": [("机制纸及纸板制造", "纸业"), ("纸和纸板容器制造", "纸品")],
    "pharmaceutical_api": [("化学药品原料药制造", "制药")],
    "electroplating": [("金属表面处理及热处理加工", "表面处理"), ("电镀加工", "电镀")],
    "pcb": [("电子电路制造", "电路"), ("印制电路板制造", "线路板")],
    "agri_food_processing": [("制糖业", "糖业"), ("屠宰及肉类加工", "食品"), ("饲料加工", "饲料")],
    "industrial_coating": [("金属家具制造", "家具"), ("汽车零部件及配件制造", "汽配"), ("家用电力器具制造", "电器")],
    "packaging_printing": [("包装装潢及其他印刷", "包装"), ("塑料包装箱及容器制造", "包装印刷")],
    "coking": [("炼焦", "焦化")],
}
OTHER_INDUSTRIES = [
    ("塑料制品业", "塑胶"),
    ("纺织服装、服饰业", "服饰"),
    ("通用设备制造业", "机械"),
    ("电子元件及电子专用材料制造", "电子"),
]

NAME_PARTS = [
    "华锦",
    "粤润",
    "恒泰",
    "嘉禾",
    "新澜",
    "明达",
    "瑞丰",
    "宏远",
    "金穗",
    "海晟",
    "南翔",
    "丰源",
    "永盛",
    "安和",
    "汇川",
    "德信",
]

# Typical annual outcomes per sector (median tCO2e/a reduced; water-, COD-, VOCs- and metal-relevant flags).
SECTOR_PROFILE = {
    "energy": (8000, False, False, False, False),
    "steel": (20000, True, False, False, False),
    "building_materials": (3000, False, False, False, False),
    "nonferrous_metals": (2500, True, False, False, True),
    "petrochemical_chemical": (6000, True, True, True, False),
    "printing_dyeing": (1200, True, True, False, False),
    "papermaking": (2500, True, True, False, False),
    "pharmaceutical_api": (800, True, True, True, False),
    "electroplating": (150, True, True, False, True),
    "pcb": (600, True, True, False, True),
    "agri_food_processing": (500, True, True, False, False),
    "industrial_coating": (200, False, False, True, False),
    "packaging_printing": (120, False, False, True, False),
    "coking": (9000, True, True, True, False),
    None: (100, False, False, False, False),
}

FIELDS = [
    "record_id",
    "enterprise_name",
    "uscc",
    "city_code",
    "county",
    "sector_code",
    "industry_name",
    "basin_code",
    "audit_nature",
    "audit_mode",
    "lead_department",
    "list_year",
    "list_doc_number",
    "acceptance_date",
    "acceptance_year",
    "consultancy",
    "certificate_valid_until",
    "status",
    "co2_reduction_t",
    "energy_saving_tce",
    "water_saving_t",
    "cod_reduction_t",
    "vocs_reduction_t",
    "heavy_metal_reduction_kg",
    "investment_cny_10k",
    "economic_benefit_cny_10k",
    "options_low_cost",
    "options_high_cost",
    "source_id",
]


def _weighted(rng: random.Random, weights: Mapping[K, float]) -> K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _figure(rng: random.Random, median: float, spread: float = 0.8) -> float:
    return round(rng.lognormvariate(0, spread) * median, 1)


def _years_later(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _record(rng: random.Random, city: dict, department: str, year: int, basins: list[str]) -> dict:
    code = city["city_code"]
    sector = _weighted(rng, CITY_SECTORS[code]) if rng.random() < 0.8 else None
    industry, keyword = rng.choice(SECTOR_INDUSTRIES[sector] if sector else OTHER_INDUSTRIES)
    first, second = rng.sample(NAME_PARTS, 2)
    name = f"{city['city_short']}{first}{second}{keyword}有限公司（示例）"
    accepted = date(year, 1, 1) + timedelta(days=rng.randrange(20, 350))
    valid_until = _years_later(accepted, 5) - timedelta(days=1)
    status = "revoked" if rng.random() < 0.005 else ("valid" if valid_until >= AS_OF else "expired")
    heavy = sector in ("electroplating", "pcb", "nonferrous_metals")
    nature = (
        "mandatory"
        if (heavy or (department == "ecology_environment" and rng.random() < 0.8))
        else ("mandatory" if rng.random() < 0.2 else "voluntary")
    )
    co2_median, water, cod, vocs, metal = SECTOR_PROFILE[sector]
    co2 = _figure(rng, co2_median)
    investment = _figure(rng, co2_median * 0.12 + 30)
    return {
        "enterprise_name": name,
        "uscc": "",
        "city_code": code,
        "county": rng.choice(CITY_COUNTIES[code]),
        "sector_code": sector or "",
        "industry_name": industry,
        "basin_code": rng.choice(basins) if basins and rng.random() < 0.35 else "",
        "audit_nature": nature,
        "audit_mode": _weighted(rng, {"regular": 80, "simplified": 10, "special": 7, "cluster": 3}),
        "lead_department": department,
        "list_year": year - 1,
        "list_doc_number": "",
        "acceptance_date": accepted.isoformat(),
        "acceptance_year": year,
        "consultancy": "",
        "certificate_valid_until": valid_until.isoformat(),
        "status": status,
        "co2_reduction_t": co2,
        "energy_saving_tce": round(co2 / rng.uniform(2.4, 2.8), 1),
        "water_saving_t": _figure(rng, 20000 if water else 1500) if rng.random() < 0.9 else "",
        "cod_reduction_t": _figure(rng, 8) if cod else "",
        "vocs_reduction_t": _figure(rng, 5) if vocs else "",
        "heavy_metal_reduction_kg": _figure(rng, 30) if metal else "",
        "investment_cny_10k": investment,
        "economic_benefit_cny_10k": _figure(rng, investment * 0.35),
        "options_low_cost": rng.randint(6, 30),
        "options_high_cost": rng.randint(1, 6),
        "source_id": SOURCE_ID,
    }


def sample_rows(catalog: load.Packages) -> list[dict]:
    rng = random.Random(SEED)
    stats = catalog["audit-statistics"].tables
    plan: list[tuple[str, str, int, int]] = []
    # 2021: exactly Attachment 1, city by city and department by department.
    for row in stats["acceptances"].frame.to_dict("records"):
        plan.append((row["city_code"], row["lead_department"], row["year"], row["enterprises"]))
    # 2022: around each city's target, below in some cities and above in others.
    for row in stats["targets"].frame.to_dict("records"):
        count = round(row["target"] * rng.uniform(0.6, 1.3))
        industry = round(count * rng.uniform(0.35, 0.6))
        plan += [
            (row["city_code"], "industry_it", row["year"], industry),
            (row["city_code"], "ecology_environment", row["year"], count - industry),
        ]
    return numbered_records(rng, catalog, plan)


def numbered_records(rng: random.Random, catalog: load.Packages, plan: list[tuple[str, str, int, int]]) -> list[dict]:
    """Draw `count` records for each (city, department, year, count) in the plan; number them per year."""
    reference = catalog["reference"].tables
    cities = {c["city_code"]: c for c in reference["cities"].frame.to_dict("records")}
    basins: dict[str, list[str]] = {}
    for link in reference["basin_cities"].frame.to_dict("records"):
        basins.setdefault(link["city_code"], []).append(link["basin_code"])
    records = []
    for city_code, department, year, count in sorted(plan):
        for _ in range(count):
            records.append(_record(rng, cities[city_code], department, year, sorted(basins.get(city_code, []))))
    records.sort(key=lambda r: (r["acceptance_year"], r["city_code"], r["acceptance_date"], r["lead_department"]))
    counters: dict[int, int] = {}
    for record in records:
        year = record["acceptance_year"]
        counters[year] = counters.get(year, 0) + 1
        record["record_id"] = f"GD-{year}-{counters[year]:05d}"
    return records


def write_sample(data_dir: Path) -> Path:
    catalog = {name: load.load_package(data_dir / name) for name in ("reference", "audit-statistics")}
    target = data_dir / "enterprises" / "accepted_enterprises.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sample_rows(catalog))
    return target
