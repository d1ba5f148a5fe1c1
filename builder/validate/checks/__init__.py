"""The project's own checks, beyond what frictionless verifies inside one package: one module per check.

Each module declares `NAME` (as the validation report lists it), `TITLE` (what it checks), `RULES` (the
rule ids it reports, each with its title and wording) and `check(ctx) -> list[Problem]`, where `ctx` is a
`validate.context.Context`. CHECKS is the order they run in.
"""

from __future__ import annotations

from builder.validate.checks import (
    acceptance_year,
    cross_package_keys,
    document_files,
    field_metadata,
    label_fields,
    list_items,
    package_files,
    printed_totals,
    registry_reconciliation,
    resource_paths,
    transcriptions,
    urls,
    uscc,
)

CHECKS = [
    field_metadata,
    label_fields,
    resource_paths,
    urls,
    cross_package_keys,
    list_items,
    printed_totals,
    document_files,
    transcriptions,
    uscc,
    acceptance_year,
    registry_reconciliation,
    package_files,  # the import's file-level rules (encoding, BOM, formulas, invisible characters, personal data …)
]
