"""Chinese search recall: fixed queries, the pages each must find (from the source data), and a runner.

In: a loaded `Packages` (the data the site was built from) and a Playwright page on the built site.
Out: per query, the expected pages, the pages the site's search returns, and the ones it missed.

Expected pages are computed from the data, never from the built site: a page is expected for a query
when the query is a word of its title or summary, as jieba cuts them (the usual Chinese segmenter:
"热" is not a word of "余热发电", "余热" is); Latin words are runs of letters and digits, compared
without case. A place or sector query also expects its own city or sector page.

The queries run through the site's own search (docs/assets/search.js, its exported `gdSearch.query`), the
very function behind the search box, over both index files; `ui_result_count` checks that the box
reports the same number of results.

The relevance set (benchmarks/relevance.csv, `run_relevance`) judges ranking: success at 1 and at 3
per kind of query, and recall against a plain substring scan of the built index.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jieba

from builder import layout
from builder.data.load import Packages
from builder.publish import search_terms

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise

PLACES = ["广州", "深圳市", "佛山", "东莞市", "湛江", "韶关市", "潮州", "云浮市"]
SECTORS = ["电镀", "印染", "造纸", "钢铁", "焦化", "建材", "有色金属", "涂装"]
TECHNOLOGIES = ["余热", "废水", "脱硫", "脱硝", "污泥", "活性炭", "锅炉", "蓄热", "焚烧", "冷凝", "溶剂回收", "VOCs"]
QUERIES = {**{q: "place" for q in PLACES}, **{q: "sector" for q in SECTORS}, **{q: "technology" for q in TECHNOLOGIES}}

HAN = re.compile(r"[\u4e00-\u9fff]+")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)?")


def words(text: str | None) -> set[str]:
    """The words of a text: jieba's cut of each run of Chinese characters, Latin words lower-cased."""
    if not text:
        return set()
    found = {word for run in HAN.findall(text) for word in jieba.cut(run)}
    found |= {word.lower() for word in LATIN_WORD.findall(text)}
    return found


@dataclass(frozen=True)
class Page:
    location: str  # as in search/pages.json: site-relative, e.g. "cases/TC-001/"
    title: str
    summary: str | None = None
    city_code: str | None = None
    sector_code: str | None = None


def pages(catalog: Packages) -> list[Page]:
    """The pages that carry a title (and perhaps a summary) straight from the data."""
    reference = catalog["reference"].tables
    found = [
        Page(layout.page_url(layout.city_page(c["city_code"])), c["city_name"], None, c["city_code"], None)
        for c in reference["cities"].frame.to_dict("records")
    ]
    found += [
        Page(layout.page_url(layout.sector_page(s["sector_code"])), s["name_zh"], None, None, s["sector_code"])
        for s in reference["sectors"].frame.to_dict("records")
    ]
    if "policies" in catalog:
        found += [
            Page(layout.page_url(layout.policy_page(p["policy_id"])), p["title"], p.get("summary"))
            for p in catalog["policies"].tables["policies"].frame.to_dict("records")
        ]
    if "technology-cases" in catalog:
        found += [
            Page(layout.page_url(layout.case_page(c["case_id"])), c["title"], c.get("summary"))
            for c in catalog["technology-cases"].tables["technology_cases"].frame.to_dict("records")
        ]
    return found


def _own_page(query: str, kind: str, page: Page, catalog: Packages) -> bool:
    """A place query's city page, a sector query's sector page."""
    if kind == "place" and page.city_code:
        return page.title.startswith(query)
    if kind == "sector" and page.sector_code:
        return query in words(page.title) or page.title == query
    return False


def expected_pages(catalog: Packages, queries: dict[str, str] = QUERIES) -> dict[str, set[str]]:
    every = [(page, words(page.title) | words(page.summary)) for page in pages(catalog)]
    expected = {}
    for query, kind in queries.items():
        word = query.lower()
        expected[query] = {
            page.location for page, vocabulary in every if word in vocabulary or _own_page(query, kind, page, catalog)
        }
    return expected


# Loads the site's search script if the page has not yet, then runs every query through it.
_RUN_QUERIES = """
async (queries) => {
  const config = JSON.parse(document.getElementById('__config').textContent);
  const base = new URL(config.base + '/', location.href);
  const {gdSearch} = await import(new URL('assets/search.js', base).href); // the page's own module instance
  const started = performance.now();
  await gdSearch.query('');
  const fetched = performance.now();
  const results = {};
  for (const query of queries) {
    const t = performance.now();
    const found = await gdSearch.query(query);
    results[query] = {ms: performance.now() - t, pages: found.map((result) => result.page)};
  }
  return {fetch_ms: fetched - started, results};
}
"""


@dataclass
class QueryResult:
    query: str
    kind: str
    expected: set[str]
    found: list[str]
    ms: float

    @property
    def missing(self) -> list[str]:
        return sorted(self.expected - set(self.found))


@dataclass
class Recall:
    results: list[QueryResult]
    fetch_ms: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(len(r.expected) for r in self.results)

    @property
    def hits(self) -> int:
        return sum(len(r.expected) - len(r.missing) for r in self.results)

    @property
    def value(self) -> float:
        return self.hits / self.expected if self.expected else 1.0

    @property
    def complete_queries(self) -> int:
        return sum(1 for r in self.results if not r.missing)


def run_queries(page, catalog: Packages, queries: dict[str, str] = QUERIES) -> Recall:
    """Run every query through the search of the site open in `page` (any page of it)."""
    expected = expected_pages(catalog, queries)
    answer = page.evaluate(_RUN_QUERIES, list(queries))
    results = [
        QueryResult(q, kind, expected[q], answer["results"][q]["pages"], answer["results"][q]["ms"])
        for q, kind in queries.items()
    ]
    return Recall(results, answer["fetch_ms"])


def ui_result_count(page, query: str, timeout_ms: int = 60_000) -> int:
    """The number of results the search box reports for a query (its meta line: "找到 N 个结果")."""
    search = page.locator("input.md-search__input")
    search.click()
    search.fill(query)  # an input event, as an IME's commit gives
    page.locator(".md-search-result__link").first.wait_for(timeout=timeout_ms)
    meta = page.locator(".md-search-result__meta")
    # The count is final once the text index has arrived ("正在检索全文" is gone).
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('正在')", timeout=timeout_ms
    )
    digits = re.search(r"\d[\d,]*", meta.inner_text())
    return int(digits.group(0).replace(",", "")) if digits else 0


# --- the relevance set (benchmarks/relevance.csv) ----------------------------------------------------
#
# Queries as readers type them, each with the page(s) that answer it and whether they must be the first
# result (within 1) or among the first three (within 3; every listed page must be there). The same
# queries also check recall: every page whose indexed text holds each of the query's folded terms (a
# plain substring scan of the built index, title, summary, each heading and each section's text apart,
# folded by builder/publish/search_terms.py) must be among the results.

RELEVANCE_CSV = Path(__file__).with_name("relevance.csv")
KINDS = (
    "simplified",
    "unspaced",
    "traditional",
    "punctuation",
    "abbreviation",
    "synonym",
    "width",
    "english",
    "pinyin",
    "docnumber",
)


@dataclass(frozen=True)
class Judgement:
    query: str
    kind: str
    expected: tuple[str, ...]
    within: int
    note: str = ""


class RelevanceError(ValueError):
    pass


def load_relevance(path: Path = RELEVANCE_CSV) -> list[Judgement]:
    """The relevance set; a malformed row stops with the file, row, field and value named."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    judgements = []
    for number, row in enumerate(rows, start=2):

        def wrong(name: str, why: str, number=number, row=row) -> RelevanceError:
            return RelevanceError(f"{path.name} 第 {number} 行，字段 {name}，值 “{row.get(name)}”：{why}")

        if not (row.get("query") or "").strip():
            raise wrong("query", "查询不能为空")
        if row.get("kind") not in KINDS:
            raise wrong("kind", "类别应为 " + "、".join(KINDS) + " 之一")
        if row.get("within") not in ("1", "3"):
            raise wrong("within", "应为 1（第一条结果）或 3（前三条结果）")
        expected = tuple(p for p in (row.get("expected") or "").split(";") if p)
        if not expected or len(expected) > int(row["within"]) or any(not p.endswith("/") for p in expected):
            raise wrong("expected", "应为一个或几个以 / 结尾的页面地址，用 ; 分隔，且不多于 within 条")
        judgements.append(Judgement(row["query"], row["kind"], expected, int(row["within"]), row.get("note") or ""))
    return judgements


def index_fields(site: Path) -> dict[str, list[str]]:
    """Per page address, its folded title, summary, headings and section texts, read from the built index."""
    pages = json.loads((site / "search" / "pages.json").read_text(encoding="utf-8"))
    text = json.loads((site / "search" / "text.json").read_text(encoding="utf-8"))
    fields = {p[0]: [search_terms.fold(p[1]), search_terms.fold(p[2])] for p in pages["pages"]}
    urls = [p[0] for p in pages["pages"]]
    for number, _anchor, heading, body in text["sections"]:
        fields[urls[number]] += [search_terms.fold(heading), search_terms.fold(body)]
    return fields


def substring_scan(fields: dict[str, list[str]], query: str) -> set[str]:
    """The pages in which some field holds each folded term of the query."""
    terms = [t for t in (search_terms.fold(part) for part in query.split()) if t]
    return {url for url, texts in fields.items() if terms and all(any(t in f for f in texts) for t in terms)}


@dataclass
class Judged:
    judgement: Judgement
    found: list[str]
    scanned: set[str]

    @property
    def at(self) -> dict[int, bool]:
        return {k: all(p in self.found[:k] for p in self.judgement.expected) for k in (1, 3)}

    @property
    def success(self) -> bool:
        return self.at[self.judgement.within]

    @property
    def missed_by_search(self) -> list[str]:
        return sorted(self.scanned - set(self.found))


@dataclass
class Relevance:
    judged: list[Judged]

    def rate(self, k: int, kind: str | None = None) -> float:
        chosen = [j for j in self.judged if kind in (None, j.judgement.kind)]
        return sum(j.at[k] for j in chosen) / len(chosen) if chosen else 1.0

    @property
    def success(self) -> float:
        """Each query judged at its own depth (within 1 or within 3)."""
        return sum(j.success for j in self.judged) / len(self.judged) if self.judged else 1.0

    @property
    def recall(self) -> float:
        wanted = sum(len(j.scanned) for j in self.judged)
        return sum(len(j.scanned) - len(j.missed_by_search) for j in self.judged) / wanted if wanted else 1.0

    def summary(self) -> dict:
        return {
            "queries": len(self.judged),
            "success": self.success,
            "at1": self.rate(1),
            "at3": self.rate(3),
            "recall": self.recall,
            "scanned": sum(len(j.scanned) for j in self.judged),
            "per_kind": {
                kind: {
                    "n": sum(j.judgement.kind == kind for j in self.judged),
                    "at1": self.rate(1, kind),
                    "at3": self.rate(3, kind),
                }
                for kind in KINDS
                if any(j.judgement.kind == kind for j in self.judged)
            },
            "failed": {j.judgement.query: j.found[:3] for j in self.judged if not j.success},
            "missed": {j.judgement.query: j.missed_by_search for j in self.judged if j.missed_by_search},
        }


def run_relevance(page, site: Path, judgements: list[Judgement] | None = None) -> Relevance:
    """Every query of the set through the site's search in `page` (one session), judged and scanned."""
    judgements = load_relevance() if judgements is None else judgements
    answer = page.evaluate(_RUN_QUERIES, [j.query for j in judgements])["results"]
    fields = index_fields(site)
    return Relevance([Judged(j, answer[j.query]["pages"], substring_scan(fields, j.query)) for j in judgements])
