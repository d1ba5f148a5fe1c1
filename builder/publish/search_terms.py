"""What the site's search folds and which terms it knows, prepared once at build time.

In: the text of the search index (titles, summaries, headings, section text) and the reference package
(read by builder.data.load: cities, sectors, glossary).
Out: `fold(text)`, the folding docs/assets/lib/search-rank.js applies to the index and the query alike, and
`browser_data(...)`, what pages.json carries for it:
  "t2s"   — the traditional → simplified character pairs the site's text needs, from OpenCC's tables
            (t2s, tw2s, hk2s): a variant is shipped only when its simplified form occurs in the index,
            so that 清潔生產 finds 清洁生产 while the table stays a few kB;
  "terms" — the groups of terms that name one thing ([page number or -1, anchor, term, synonym, …]):
            a city (全称, 简称, English, pinyin), a sector (中文, English), a glossary term and its
            synonyms and abbreviations. Every form of a group finds what the others find;
  "words" — the words of the page titles (jieba's cut, two characters or more), space-separated,
            which together with the groups split an unspaced query (东莞电镀 → 东莞 + 电镀).

Folding: NFKD without combining marks (pinyin tones), NFKC (全角 → 半角), lower case, traditional →
simplified, and every punctuation mark, space, control and format character dropped (“”《》（）、，。).
lib/search-rank.js does the same in the browser; tests/js/search-rank.test.mjs and tests/test_search_chinese.py
check both agree.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from builder import layout
from builder.data import load

# OpenCC's configurations read traditional text of the mainland, Taiwan and Hong Kong standards.
OPENCC_CONFIGS = ("t2s", "tw2s", "hk2s")
# The blocks of Chinese characters whose traditional forms OpenCC knows (CJK, Extension A, compatibility).
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
DROPPED_CATEGORIES = ("P", "Z", "Cc", "Cf")
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
MIN_WORD = 2


def _dropped(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "PZ" or category in DROPPED_CATEGORIES


def fold_width_and_case(text: str) -> str:
    """Every folding step but traditional → simplified."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")
    lowered = unicodedata.normalize("NFKC", bare).lower()
    return "".join(c for c in lowered if not _dropped(c))


@functools.lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    """Every Chinese character OpenCC turns into another single character, traditional → simplified.

    A character that is itself a simplified form (OpenCC's s2t changes it: 么 → 麼) keeps its place,
    even where a regional standard reads it as a variant of another (hk2s: 么 → 幺)."""
    import opencc  # only the build needs it

    converters = [opencc.OpenCC(config) for config in OPENCC_CONFIGS]
    to_traditional = opencc.OpenCC("s2t")
    table = {}
    for first, last in HAN_RANGES:
        for point in range(first, last + 1):
            char = chr(point)
            if to_traditional.convert(char) != char:
                continue
            for converter in converters:
                simple = converter.convert(char)
                if simple != char and len(simple) == 1:
                    table[char] = simple
                    break
    return table


def fold(text: str) -> str:
    table = traditional_to_simplified()
    return "".join(table.get(c, c) for c in fold_width_and_case(text or ""))


def pairs_needed(index_text: str) -> str:
    """The pairs "繁简繁简…" for every traditional variant of a character the folded index holds."""
    table = traditional_to_simplified()
    present = set(fold(index_text))
    return "".join(t + s for t, s in sorted(table.items()) if s in present)


# --- the terms --------------------------------------------------------------------------------------


def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin  # only the build needs it

    return "".join(lazy_pinyin(name))


def term_groups(data_dir: Path, page_of: dict[str, int]) -> list[list]:
    """[page number or -1, anchor, folded forms…] per city, sector and glossary term."""
    tables = load.load_package(data_dir / "reference").tables
    groups = []

    def rows(name: str) -> list[dict]:
        return tables[name].frame.to_dict("records")

    def add(url: str, anchor: str, *forms: str) -> None:
        folded = list(dict.fromkeys(f for f in (fold(form) for form in forms if form) if f))
        if folded:
            groups.append([page_of.get(url, -1), anchor] + folded)

    for city in rows("cities"):
        add(
            layout.page_url(layout.city_page(city["city_code"])),
            "",
            city["city_name"],
            city["city_short"],
            city["city_en"],
            _pinyin(city["city_name"]),
            _pinyin(city["city_short"]),
        )
    for sector in rows("sectors"):
        add(layout.page_url(layout.sector_page(sector["sector_code"])), "", sector["name_zh"], sector["name_en"])
    for entry in rows("glossary"):
        add(
            layout.page_url(layout.GUIDE_PAGE),
            f"term-{entry['term_id']}",
            entry["term"],
            *(entry.get("synonyms") or []),
        )
    return groups


def title_words(titles: list[str], known: set[str]) -> str:
    """The words of the titles as jieba cuts them, two characters or more, not already a group's form."""
    import jieba  # only the build needs it

    jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
    found: set[str] = set()
    for title in titles:
        for run in HAN_RUN.findall(fold(title)):
            found.update(w for w in jieba.cut(run) if len(w) >= MIN_WORD)
    return " ".join(sorted(found - known))


def browser_data(index_text: str, titles: list[str], data_dir: Path | None, page_of: dict[str, int]) -> dict:
    groups = term_groups(data_dir, page_of) if data_dir else []
    known = {form for group in groups for form in group[2:]}
    return {"t2s": pairs_needed(index_text + "".join(known)), "terms": groups, "words": title_words(titles, known)}
