"""Browser figures: what a visitor's headless Chromium measures on loopback.

In: a Playwright `Browser` and the URL the site is served at (benchmarks.serve: gzip, as a host would).
Out: plain dicts of milliseconds and bytes. Every measurement starts in a fresh browser context, so
nothing is cached. Times come from performance.now() inside the page (0 = navigation start); bytes
from the Resource Timing API (transferSize: compressed body plus headers), which, unlike Playwright's
request sizes, also sees files fetched by scripts the page loads later.
"""

from __future__ import annotations

import statistics
from urllib.parse import urlsplit

VIEWPORT = {"width": 1280, "height": 900}
SETTLE_MS = 1000

# Installed before any page script runs: resource entries are kept (the default buffer holds 250),
# the first directory row and the first search result are timestamped the moment they enter the DOM,
# and so is the input event of the query typed into the search box.
_MARKS = """
(() => {
  if (performance.setResourceTimingBufferSize) performance.setResourceTimingBufferSize(100000);
  window.__marks = {};
  const watch = new MutationObserver(() => {
    const m = window.__marks;
    if (!m.firstRow && document.querySelector('#enterprise-directory #dir-table tbody tr')) m.firstRow = performance.now();
    if (!m.firstResult && m.typed && document.querySelector('.md-search-result__link')) m.firstResult = performance.now();
  });
  watch.observe(document, {childList: true, subtree: true});
  document.addEventListener('input', (event) => {
    if (event.target && event.target.matches && event.target.matches('input.md-search__input') && !window.__marks.typed)
      window.__marks.typed = performance.now();
  }, true);
})();
"""

_DOWNLOADS = """
(until) => {
  const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
  return entries.filter((e) => e && (until === null || e.responseEnd <= until))
    .map((e) => ({url: e.name, type: e.initiatorType, bytes: e.transferSize, body: e.encodedBodySize,
                  raw: e.decodedBodySize, end: e.responseEnd}));
}
"""


def new_page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(_MARKS)
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return context, page


def _path(url: str) -> str:
    return urlsplit(url).path


def downloads(page, until: float | None = None) -> list[dict]:
    return page.evaluate(_DOWNLOADS, until)


def summarize_downloads(entries: list[dict]) -> dict:
    """Bytes in all, by kind of file, and the heaviest files."""
    kinds: dict[str, int] = {}
    for entry in entries:
        path = _path(entry["url"])
        kind = (
            "search index"
            if path.startswith("/search/") and path.endswith(".json")
            else "html"
            if entry["type"] == "navigation" or path.endswith((".html", "/"))
            else "css"
            if path.endswith(".css")
            else "js"
            if path.endswith(".js")
            else "font"
            if path.endswith((".woff", ".woff2", ".ttf", ".otf"))
            else "json"
            if path.endswith(".json")
            else "other"
        )
        kinds[kind] = kinds.get(kind, 0) + entry["bytes"]
    heaviest = sorted(entries, key=lambda e: -e["bytes"])[:5]
    return {
        "bytes": sum(e["bytes"] for e in entries),
        "files": len(entries),
        "by_kind": kinds,
        "heaviest": [(_path(e["url"]), e["bytes"]) for e in heaviest],
    }


# --- the directory ---------------------------------------------------------------------------------


def directory_first_render(browser, url: str, runs: int = 3) -> dict:
    """Navigation start → first table row of the directory, over `runs` cold loads.

    The loopback server gzips each file on its first request (a host serves precompressed files),
    so one untimed visit comes first: the browser is cold in every timed load, the server warm.
    """
    context, page = new_page(browser)
    try:
        page.goto(url + "/enterprises/", wait_until="networkidle", timeout=120_000)
    finally:
        context.close()
    times, arrivals, loaded = [], [], None
    for _ in range(runs):
        context, page = new_page(browser)
        try:
            page.goto(url + "/enterprises/", wait_until="load", timeout=120_000)
            page.locator("#dir-table tbody tr").first.wait_for(timeout=120_000)
            times.append(page.evaluate("window.__marks.firstRow"))
            page.wait_for_load_state("networkidle")
            entries = downloads(page)
            arrivals += [e["end"] for e in entries if _path(e["url"]).endswith("/directory.json")][:1]
            loaded = summarize_downloads(entries)
            errors = list(page.console_errors)
        finally:
            context.close()
    return {
        "ms": statistics.median(times),
        "runs": times,
        "json_arrived_ms": statistics.median(arrivals) if arrivals else None,
        "downloads": loaded,
        "errors": errors,
    }


# One measurement: act, then wait for #dir-count to change (MutationObserver: after the handler's
# synchronous work) and for the frame after that (requestAnimationFrame, then a task: after the paint).
_FILTER = """
async ({kind, steps}) => {
  const count = document.getElementById('dir-count');
  const search = document.getElementById('dir-q');
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const measure = (act) => new Promise((resolve) => {
    let updated = null;
    const done = (painted) => { observer.disconnect(); clearTimeout(timer);
                                resolve({ms: updated, paint: painted, text: count.textContent}); };
    const observer = new MutationObserver(() => {
      if (updated !== null) return;
      updated = performance.now() - t0;
      requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
    });
    observer.observe(count, {childList: true, characterData: true, subtree: true});
    const timer = setTimeout(() => done(null), 5000);
    const t0 = performance.now();
    act();
  });
  const out = [];
  for (const step of steps) {
    await frame(); await frame();
    if (kind === 'ime') {
      out.push(await measure(() => {
        search.value = step;
        search.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: step}));
      }));
    } else if (kind === 'input') {
      out.push(await measure(() => {
        search.value = step;
        search.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: step}));
      }));
    } else {
      const select = document.getElementById(step.id);
      out.push(await measure(() => {
        select.value = step.value;
        select.dispatchEvent(new Event('change', {bubbles: true}));
      }));
    }
  }
  return out;
}
"""

# Chinese terms a visitor commits with an IME: city names, name keywords, sectors' words.
SEARCH_TERMS = [
    "广州",
    "深圳",
    "佛山",
    "东莞",
    "电镀",
    "陶瓷",
    "印染",
    "华锦",
    "粤润",
    "恒泰",
    "嘉禾",
    "化工",
    "纸业",
    "电路",
    "食品",
    "包装",
    "汽配",
    "钢铁",
    "铝业",
    "制药",
    "热电",
    "家具",
]


def _facet_steps(page, changes: int) -> list[dict]:
    """Facet choices cycling through city, sector and year options, each a different selection."""
    options = page.evaluate("""() => ['dir-facet-city', 'dir-facet-sector', 'dir-facet-year'].map((id) => {
        const select = document.getElementById(id);
        return select ? {id, values: [...select.options].map((o) => o.value).filter((v) => v)} : {id, values: []};
    })""")
    options = [o for o in options if o["values"]]
    steps = []
    for i in range(changes):
        facet = options[i % len(options)]
        value = facet["values"][(i // len(options)) % len(facet["values"])]
        steps.append({"id": facet["id"], "value": value})
    # Back to "all" for each facet at the end: three more changes of a different kind (widening).
    return steps + [{"id": o["id"], "value": ""} for o in options]


def _stats(samples: list[dict], key: str, steps: list) -> dict:
    timed = [(s[key], step) for s, step in zip(samples, steps) if s[key] is not None]
    missing = len(samples) - len(timed)
    if not timed:
        return {"n": 0, "median": None, "worst": None, "worst_step": None, "missing": missing, "all": []}
    worst = max(timed, key=lambda pair: pair[0])
    return {
        "n": len(timed),
        "median": statistics.median(t for t, _ in timed),
        "worst": worst[0],
        "worst_step": worst[1],
        "missing": missing,
        "all": [round(t, 1) for t, _ in timed],
    }


def filter_latency(browser, url: str, changes: int = 21) -> dict:
    """Search-box and facet changes on the full directory, each timed to the update of #dir-count."""
    context, page = new_page(browser)
    try:
        page.goto(url + "/enterprises/", wait_until="load", timeout=120_000)
        page.locator("#dir-table tbody tr").first.wait_for(timeout=120_000)
        page.wait_for_load_state("networkidle")
        # Let the page settle, so that late work of the page's scripts does not land in the first keystrokes' times.
        page.wait_for_timeout(SETTLE_MS)
        rows = page.locator("#dir-count").get_attribute("data-count")
        terms = (SEARCH_TERMS * 2)[: max(changes, 20)] + [""]
        ime = page.evaluate(_FILTER, {"kind": "ime", "steps": terms})
        typed_terms = terms[:10] + [""]
        typed = page.evaluate(_FILTER, {"kind": "input", "steps": typed_terms})
        facet_steps = _facet_steps(page, changes)
        facets = page.evaluate(_FILTER, {"kind": "facet", "steps": facet_steps})
        errors = list(page.console_errors)
    finally:
        context.close()
    facet_labels = [f"{step['id'].removeprefix('dir-facet-')}={step['value'] or 'all'}" for step in facet_steps]
    return {
        "rows": int(rows) if rows and rows.isdigit() else None,
        "ime": _stats(ime, "ms", terms),
        "ime_paint": _stats(ime, "paint", terms),
        "facet": _stats(facets, "ms", facet_labels),
        "facet_paint": _stats(facets, "paint", facet_labels),
        "input": _stats(typed, "ms", typed_terms),
        "errors": errors,
    }


# --- search ------------------------------------------------------------------------------------------


def _search_once(browser, url: str, query: str, path: str) -> dict:
    context, page = new_page(browser)
    try:
        page.goto(url + path, wait_until="load", timeout=120_000)
        search = page.locator("input.md-search__input")
        search.click()
        search.fill(query)  # one input event, as an IME's commit of Chinese text gives
        page.locator(".md-search-result__link").first.wait_for(timeout=120_000)
        marks = page.evaluate("window.__marks")
        before = summarize_downloads(downloads(page, marks["firstResult"]))
        errors = list(page.console_errors)
    finally:
        context.close()
    return {
        "ms_from_typing": marks["firstResult"] - marks["typed"],
        "ms_from_navigation": marks["firstResult"],
        "typed_at": marks["typed"],
        "downloads": before,
        "errors": errors,
    }


# Cold visits on this 2-core machine vary a lot (14–128 ms for the same build in one minute): seven
# visits make the median a figure one can compare between builds; three did not.
SEARCH_RUNS = 7


def search_first_result(
    browser, url: str, query: str = "清洁生产审核", path: str = "/", runs: int = SEARCH_RUNS
) -> dict:
    """A visitor lands on a page and types a query at once: bytes and time until the first result.

    The search script and its first index file are fetched when the box gets the focus, so the time
    includes them; it is the median of `runs` cold visits; the bytes are those of the median visit.
    """
    visits = sorted((_search_once(browser, url, query, path) for _ in range(runs)), key=lambda v: v["ms_from_typing"])
    median = visits[len(visits) // 2]
    return {
        **median,
        "query": query,
        "path": path,
        "runs": [v["ms_from_typing"] for v in visits],
        "errors": [e for v in visits for e in v["errors"]],
    }


# --- page weight -------------------------------------------------------------------------------------


def page_weight(browser, url: str, path: str) -> dict:
    """Everything a cold visit of one page downloads until the network is idle (compressed)."""
    context, page = new_page(browser)
    try:
        page.goto(url + path, wait_until="networkidle", timeout=120_000)
        # A reader who reads on to the charts: they fetch their library only when one comes near the screen.
        page.evaluate("document.querySelector('.chart[data-chart]')?.scrollIntoView()")
        page.wait_for_timeout(300)  # late requests (charts drawn when visible, the sitemap) finish
        page.wait_for_load_state("networkidle")
        result = summarize_downloads(downloads(page))
        result["errors"] = list(page.console_errors)
    finally:
        context.close()
    result["path"] = path
    return result
