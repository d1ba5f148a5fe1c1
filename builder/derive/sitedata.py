"""What the derive stage hands to render and export: one frozen bundle instead of a dozen arguments."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.data.load import Packages, Release
from builder.derive.charts import ChartSet
from builder.derive.public_record import PublicRecord
from builder.derive.statistics import CityStatistics, RegistrySummary, SectorCases
from builder.validate import Validation


@dataclass(frozen=True, kw_only=True)
class SiteData:
    catalog: Packages
    validation: Validation
    stats: CityStatistics
    policies: list[dict]
    registry: RegistrySummary | None
    reconciliation: list[dict]
    cases: list[dict]
    sectors: list[SectorCases]
    figures: ChartSet
    datasets: list[dict]
    api: dict[str, object]
    releases: dict[str, list[Release]]
    changelogs: dict[str, dict]
    glossary: list[dict] = field(default_factory=list)  # reference/glossary, its cited policies resolved
    public_record: PublicRecord | None = None  # the real records read in public copies (package public-record)
    # reference code table → code → (short) name, from each table's declared label field (derive/code_names.py)
    code_names: dict[str, dict[str, str]] = field(default_factory=dict)
