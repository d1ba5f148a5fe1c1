"""Derive stage, glossary: the terms behind the guide, the pages' tooltips and search.

In: the loaded catalog (reference/glossary, policies/policies).
Out: template-ready glossary entries (each with the policies it cites resolved) and the
abbreviation lines Python-Markdown's `abbr` extension turns into tooltips.
Pure functions: no file is read or written here.
"""

from __future__ import annotations

import re

from builder.data.load import Packages
from builder.data.sample_mark import records

# Markdown's abbr extension matches whole words (\b…\b). Between two CJK characters there is no word
# boundary, so only Latin abbreviations (VOCs, COD, TRT) make reliable tooltips.
_LATIN_ABBREVIATION = re.compile(r"[A-Za-z][A-Za-z0-9₂₃\-]*")


def entries(catalog: Packages) -> list[dict]:
    """Glossary rows in file order, each with `sources`: the cited policies as dicts (id, title)."""
    reference = catalog["reference"].tables
    if "glossary" not in reference:
        return []
    titles = dict(
        zip(
            catalog["policies"].tables["policies"].frame["policy_id"],
            catalog["policies"].tables["policies"].frame["title"],
        )
    )
    return [
        {
            **row,
            "synonyms": row["synonyms"] or [],
            "sources": [{"policy_id": pid, "title": titles[pid]} for pid in row["source_policy_ids"] or []],
        }
        for row in records(reference["glossary"].frame)
    ]


def abbreviations(glossary: list[dict]) -> dict[str, str]:
    """Latin abbreviation → tooltip text ("挥发性有机物：…"), first definition wins."""
    found: dict[str, str] = {}
    for entry in glossary:
        for word in entry["synonyms"]:
            if _LATIN_ABBREVIATION.fullmatch(word) and word not in found:
                found[word] = entry["term"]
    return found


def abbreviation_block(glossary: list[dict]) -> str:
    """Lines `*[VOCs]: 挥发性有机物` for the end of a Markdown page (abbr drops those the page does not use)."""
    return "".join(f"\n*[{word}]: {term}" for word, term in sorted(abbreviations(glossary).items()))
