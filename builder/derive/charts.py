"""Derive stage, charts: the numbers behind every chart, as plain data.

In: derived city statistics and the registry summary. Out: `Chart`s. Each chart is published
three ways from the same object, so they cannot disagree: the table under the chart (render),
its CSV and JSON (export), and the ECharts figure drawn from that JSON in the browser.
A chart of sample data carries the sample mark in all three: its title, every series' column title
(which the CSV header and the chart's legend both use) and, in the JSON, `sample` with the package's note.
A target is compared with the registry only when the registry is real data (derive computes no progress
from a sample).
Pure functions: no file is read or written here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from builder.data.sample_mark import SAMPLE_LABEL, SAMPLE_MARK
from builder.derive.statistics import CityRow, CityStatistics, RegistrySummary
from builder.render.formatting import date_zh  # a caption is running text: 2022年3月10日


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | int | None]
    unit: str
    stack: str | None = None
    kind: str = "bar"  # "bar" or "line"
    axis: int = 0  # 0 = left value axis, 1 = right


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    caption: str
    source: str
    category_title: str
    categories: list[str]
    category_codes: list[str]
    series: list[Series]
    sample: bool = False
    notes: list[str] = field(default_factory=list)
    sample_note: str | None = None
    dataset: str = ""  # the package its figures come from (the 纠错 link beside the chart names it)

    def rows(self) -> list[list]:
        """The chart as a table: one row per category, one column per series."""
        return [[category, *[s.values[i] for s in self.series]] for i, category in enumerate(self.categories)]

    def series_label(self, series: Series) -> str:
        """A series' column title and legend entry: with the sample mark when its figures are sample data."""
        return f"{series.name}（{series.unit}，{SAMPLE_LABEL}）" if self.sample else f"{series.name}（{series.unit}）"

    def header(self) -> list[str]:
        return [self.category_title, *[self.series_label(s) for s in self.series]]

    def to_json(self) -> dict:
        return {**asdict(self), "labels": [self.series_label(s) for s in self.series]}


# The packages the charts draw on.
STATISTICS_PACKAGE, REGISTRY_PACKAGE = "audit-statistics", "enterprises"


def _registry_chart(
    registry: RegistrySummary,
    chart_id: str,
    title: str,
    caption: str,
    source: str,
    category_title: str,
    categories: list[str],
    category_codes: list[str],
    series: list[Series],
) -> Chart:
    """A chart of registry figures: titled, sourced and flagged as sample data when the registry is a sample."""
    mark = SAMPLE_MARK if registry.sample else ""
    return Chart(
        chart_id,
        title + mark,
        caption,
        source + mark,
        category_title,
        categories,
        category_codes,
        series,
        sample=registry.sample,
        sample_note=registry.sample_note,
        dataset=REGISTRY_PACKAGE,
    )


def province_charts(
    stats: CityStatistics, registry: RegistrySummary | None, sector_names: dict[str, str]
) -> list[Chart]:
    names = [row.city["city_name"] for row in stats.cities]
    codes = [row.city["city_code"] for row in stats.cities]
    departments = stats.departments
    year = stats.acceptance_year
    charts = [
        Chart(
            f"acceptances-{year}-by-department",
            f"{year} 年通过清洁生产审核验收企业数（按牵头部门）",
            "按地市堆叠显示两个牵头部门的验收企业数，柱高为各市合计。",
            stats.acceptance_source,
            "地市",
            names,
            codes,
            [
                Series(
                    f"{d['short_zh']}牵头",
                    [row.figures.accepted_by_department.get(d["department_code"]) for row in stats.cities],
                    "家",
                    stack="accepted",
                )
                for d in departments
            ],
            dataset=STATISTICS_PACKAGE,
        ),
        Chart(
            f"platform-beside-acceptances-{year}",
            f"“平台”完成验收流程企业数与验收企业数（{year} 年）",
            "两组数字并排显示，不是比例：“平台”数按平台流程统计（截至 "
            f"{date_zh(stats.platform_as_of)}），与验收企业数口径不同"
            + (
                f"，{'、'.join(stats.platform_above_accepted)}的“平台”数大于验收数。"
                if stats.platform_above_accepted
                else "。"
            ),
            stats.acceptance_source,
            "地市",
            names,
            codes,
            [
                Series("通过审核验收", [row.figures.accepted_total for row in stats.cities], "家"),
                Series("“平台”完成验收流程", [row.figures.platform_completions for row in stats.cities], "家"),
            ],
            dataset=STATISTICS_PACKAGE,
        ),
    ]
    if len(stats.acceptance_years) > 1:
        years = stats.acceptance_years
        charts.append(
            Chart(
                f"acceptances-{years[0]}-{years[-1]}",
                f"历年通过清洁生产审核验收企业数（{years[0]}—{years[-1]} 年）",
                "每市每年一组，两个牵头部门合计；空白表示该年的统计中没有该市。",
                stats.history_source,
                "地市",
                names,
                codes,
                [
                    Series(f"{year} 年", [row.accepted_by_year.get(year) for row in stats.cities], "家")
                    for year in years
                ],
                dataset=STATISTICS_PACKAGE,
            )
        )
    if registry is None:
        return charts
    for target_year in sorted({p.year for p in registry.progress}):  # none for a sample registry
        progress = {p.city_code: p for p in registry.progress if p.year == target_year}
        charts.append(
            _registry_chart(
                registry,
                f"target-vs-registry-{target_year}",
                f"{target_year} 年预期目标与名录中当年验收企业数",
                "柱为目标数和名录中当年验收的企业数，折线为完成率（右轴）。",
                f"{stats.target_source}；企业名录数据包",
                "地市",
                names,
                codes,
                [
                    Series("预期目标", [progress[c].target if c in progress else None for c in codes], "家"),
                    Series("名录中当年验收", [progress[c].achieved if c in progress else None for c in codes], "家"),
                    Series(
                        "完成率",
                        [progress[c].percent if c in progress else None for c in codes],
                        "%",
                        kind="line",
                        axis=1,
                    ),
                ],
            )
        )
    span = f"{registry.years[0]}–{registry.years[-1]}" if len(registry.years) > 1 else str(registry.years[0])
    by_city = {c: [registry.by_city_year.get((c, y)) for y in registry.years] for c in codes}
    charts.append(
        _registry_chart(
            registry,
            "registry-reduction-by-city",
            f"名录企业减碳量与节能量（按地市，{span} 年合计）",
            "实施清洁生产方案后的年度减碳量和节能量，按验收企业所在地市汇总。",
            "企业名录数据包",
            "地市",
            names,
            codes,
            [
                Series("减碳量", [_total(by_city[c], "co2_reduction_t") for c in codes], "tCO2e/a"),
                Series("节能量", [_total(by_city[c], "energy_saving_tce") for c in codes], "tce/a", axis=1),
            ],
        )
    )
    sector_codes = [c for c in sector_names if any((c, y) in registry.by_sector_year for y in registry.years)]
    by_sector = {c: [registry.by_sector_year.get((c, y)) for y in registry.years] for c in sector_codes}
    charts.append(
        _registry_chart(
            registry,
            "registry-reduction-by-sector",
            f"名录企业减碳量与节能量（按重点行业，{span} 年合计）",
            "按企业所属重点行业汇总；不属于重点行业的企业未列入。",
            "企业名录数据包",
            "行业",
            [sector_names[c] for c in sector_codes],
            sector_codes,
            [
                Series("减碳量", [_total(by_sector[c], "co2_reduction_t") for c in sector_codes], "tCO2e/a"),
                Series("节能量", [_total(by_sector[c], "energy_saving_tce") for c in sector_codes], "tce/a", axis=1),
            ],
        )
    )
    return charts


def city_history_charts(row: CityRow, stats: CityStatistics) -> list[Chart]:
    """A city's acceptances year by year, once the data hold more than one year."""
    years = stats.acceptance_years
    if len(years) < 2:
        return []
    code = row.city["city_code"]
    return [
        Chart(
            f"city-{code}-acceptances-by-year",
            f"{row.city['city_name']}历年通过清洁生产审核验收企业数",
            "两个牵头部门合计；空白表示该年的统计中没有该市。",
            stats.history_source,
            "年度",
            [f"{y} 年" for y in years],
            [str(y) for y in years],
            [Series("验收企业数", [row.accepted_by_year.get(y) for y in years], "家")],
            dataset=STATISTICS_PACKAGE,
        )
    ]


def city_charts(city: dict, registry: RegistrySummary | None, sector_names: dict[str, str]) -> list[Chart]:
    if registry is None:
        return []
    code = city["city_code"]
    sector_codes = [s for s in sector_names if (code, s) in registry.by_city_sector]
    if not sector_codes:
        return []
    sums = [registry.by_city_sector[(code, s)] for s in sector_codes]
    return [
        _registry_chart(
            registry,
            f"city-{code}-reduction-by-sector",
            f"{city['city_name']}名录企业减碳量与节能量（按重点行业）",
            "按企业所属重点行业汇总名录中全部年度的验收企业；不属于重点行业的企业未列入。",
            "企业名录数据包",
            "行业",
            [sector_names[s] for s in sector_codes],
            sector_codes,
            [
                Series("减碳量", [s["co2_reduction_t"] for s in sums], "tCO2e/a"),
                Series("节能量", [s["energy_saving_tce"] for s in sums], "tce/a", axis=1),
            ],
        )
    ]


def _total(parts: list[dict | None], name: str) -> float | None:
    values = [p[name] for p in parts if p and p[name] is not None]
    return round(sum(values), 1) if values else None


@dataclass(frozen=True)
class Tile:
    city_code: str
    city_name: str
    col: int
    row: int
    values: dict[str, float | int | None]


def tile_indicators(stats: CityStatistics, registry: RegistrySummary | None) -> dict[str, str]:
    """The tile map's indicators and their labels, from the data: years, the note beside the target, the
    sample mark on registry figures; target attainment only against a real registry."""
    target = f"{stats.target_year} 年预期目标（家）"
    indicators = {
        "accepted": f"{stats.acceptance_year} 年验收企业数（家）",
        "platform": "“平台”完成验收流程（家）",
        "target": f"{target}：{stats.target_note}" if stats.target_note else target,
    }
    if registry is None:
        return indicators
    if any(p.year == stats.target_year for p in registry.progress):
        indicators["attainment"] = f"{stats.target_year} 年目标完成率（%，按企业名录）"
    indicators["co2"] = f"名录企业减碳量（tCO2e/a{'，' + SAMPLE_LABEL if registry.sample else ''}）"
    return indicators


def tiles(stats: CityStatistics, registry: RegistrySummary | None) -> list[Tile]:
    """One tile per city, holding a value for each of `tile_indicators`."""
    indicators = tile_indicators(stats, registry)
    progress = {p.city_code: p for p in (registry.progress if registry else []) if p.year == stats.target_year}
    result = []
    for row in stats.cities:
        code = row.city["city_code"]
        values: dict[str, float | int | None] = {
            "accepted": row.figures.accepted_total,
            "platform": row.figures.platform_completions,
            "target": row.figures.target,
        }
        if "attainment" in indicators:
            values["attainment"] = progress[code].percent if code in progress else None
        if registry is not None and "co2" in indicators:  # tile_indicators offers co2 only with a registry
            values["co2"] = _total([registry.by_city_year.get((code, y)) for y in registry.years], "co2_reduction_t")
        result.append(Tile(code, row.city["city_name"], row.city["tile_col"], row.city["tile_row"], values))
    return result


@dataclass(frozen=True)
class ChartSet:
    """Every chart and the tile map, grouped by the page that shows them."""

    province: list[Chart]
    by_city: dict[str, list[Chart]]
    tiles: list[Tile]
    indicators: dict[str, str] = field(default_factory=dict)  # the tile map's, by key (tile_indicators)

    def all(self) -> list[Chart]:
        return self.province + [chart for charts in self.by_city.values() for chart in charts]
