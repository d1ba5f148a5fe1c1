"""One cell, from the text in the file to the text that is published: refusals first, then normalizations.

In: the cell's text, its field, the import target and where the cell is.
Out: the value to write and the problems found: a warning (before → after) for each normalization applied,
an error for each refusal. A refused cell's value is never used.
"""

from __future__ import annotations

from typing import Any

from builder.importing import normalize, rules
from builder.importing.findings import ImportProblem, Place, make
from builder.importing.normalize import Refused
from builder.importing.target import FieldSpec, Target


def refusals(raw: str, spec: FieldSpec, place: Place, allowed: frozenset[str] = frozenset()) -> list[ImportProblem]:
    """The rules that need no normalization; `validate` applies exactly these to the package files."""
    problems = [make(rule, place, raw, chars=chars) for rule, chars in rules.invisible(raw)]
    corrupted = rules.corrupted(raw)
    if corrupted:
        rule, details = corrupted
        problems.append(make(rule, place, raw, **details))
    lead = rules.formula_lead(raw, spec)
    if lead:
        problems.append(make("formula-text", place, raw, lead=lead))
    found = rules.personal(raw, allowed)
    if found:
        problems.append(make("personal-data", place, raw, kind=found[0], text=found[1]))
    return problems


def _boolean(value: str, spec: FieldSpec) -> str:
    matches = {declared for declared in spec.booleans if declared.casefold() == value.casefold()}
    return matches.pop() if len(matches) == 1 else value


def _normalized(value: str, spec: FieldSpec, target: Target, place: Place) -> tuple[str, list[ImportProblem]]:
    warnings = []

    def step(rule: str, new: str, **details: Any) -> str:
        if new != value:
            warnings.append(make(rule, place, value, after=new, **details))
        return new

    if spec.kind != "text":
        folded = normalize.nfkc(value)
        # An allowed value keeps the schema's spelling: “仅见转载，待核对原件” keeps its full-width comma,
        # and a half-width variant of it becomes that spelling.
        spelled = {normalize.nfkc(allowed): allowed for allowed in spec.enum}
        value = step("nfkc", spelled.get(folded, folded))
    if spec.name in target.city_fields:
        code = normalize.city(value, target.city_names)
        if code:
            value = step("city-alias", code)
    elif target.code_names.get(spec.name):
        names = target.code_names[spec.name]
        items = value.split(spec.delimiter) if spec.delimiter else [value]
        codes = [normalize.city(item.strip(), names) or item for item in items]
        value = step("code-alias", (spec.delimiter or "").join(codes), label=spec.title)
    if spec.kind == "date":
        value = step("date-iso", normalize.iso_date(value))
    elif spec.kind == "number":
        number, unit = normalize.number(value, spec)
        if unit:
            value = step("multiplier", number, unit=unit, factor=spec.multipliers[unit])
    elif spec.kind == "boolean":
        value = step("boolean-case", _boolean(value, spec))
    elif normalize.is_scientific(value) and spec.kind == "code":
        raise Refused("excel-scientific")
    return value, warnings


def clean(raw: str, spec: FieldSpec, target: Target, place: Place) -> tuple[str, list[ImportProblem]]:
    problems = [make(rule, place, raw, chars=chars) for rule, chars in rules.invisible(raw)]
    corrupted = rules.corrupted(raw)
    if corrupted:
        problems.append(make(corrupted[0], place, raw, **corrupted[1]))
    if problems:
        return raw, problems
    value = normalize.trim(raw)
    if value != raw:
        if not value and spec.required:
            return raw, [make("whitespace-only", place, raw)]
        problems.append(make("trimmed", place, raw, after=value))
    if not value:
        return "", problems
    try:
        value, warnings = _normalized(value, spec, target, place)
    except Refused as refused:
        return raw, problems + [make(refused.rule, place, raw, **refused.details)]
    problems += warnings
    # Formulas and personal data are judged on what would be published.
    lead = rules.formula_lead(value, spec)
    if lead:
        problems.append(make("formula-text", place, raw, lead=lead))
    found = rules.personal(value, target.public_contacts)
    if found:
        problems.append(make("personal-data", place, raw, kind=found[0], text=found[1]))
    return value, problems
