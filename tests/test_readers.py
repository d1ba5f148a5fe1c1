"""Every reader: Chinese typography and language, the 404 page, 长辈模式 (the elderly-friendly mode) and print.

长辈模式 is checked against the measurable rules of 工业和信息化部《互联网网站适老化通用设计规范》 as this site
applies them: type at least 1.25 times larger, body text contrast of at least 7:1, targets of at least
44 × 44 px, full keyboard operation, the choice kept across pages and visits, and pages that still reflow
on a phone without sideways scrolling.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from helpers import PHONE

PAGES = [
    "",
    "guide/",
    "cities/",
    "cities/440300/",
    "policies/gd-2022-cleaner-production-notice/",
    "data/audit-statistics/",
    "partners/",
    "cases/TC-001/",
]

# Relative luminance contrast of an element's text against the page (WCAG 2 formula), in the page.
CONTRAST = """(element) => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  let fg = rgb(getComputedStyle(element).color);
  let node = element, bg = null;
  while (node && !bg) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length < 4 || c[3] > 0) bg = c;
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  if (fg.length === 4) fg = fg.slice(0, 3).map((c, i) => c * fg[3] + bg[i] * (1 - fg[3]));
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("page", ["index.html", "guide/index.html", "cities/440300/index.html", "404.html"])
def test_pages_say_they_are_simplified_chinese_and_offer_the_mode(built_site, page):
    html = (built_site / page).read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in html
    assert re.search(
        r'<button type="button" class="md-header__button elder-toggle" data-elder-toggle aria-pressed="false"', html
    )
    # The mode's stylesheet is fetched only by readers who chose it.
    assert '<link rel="stylesheet" href' not in html.split("elder.css")[0][-200:]


def test_the_404_page_is_in_chinese_with_search_and_ways_in(built_site):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<h1>找不到这个页面</h1>" in html and "Not found" not in html
    assert "data-site-search-input" in html
    for target in ("guide/", "policies/", "cities/", "data/", "search/"):
        assert f'href="/{target}"' in html and (built_site / target / "index.html").is_file(), target
    assert 'href="/">首页' in html


@pytest.mark.browser
def test_headings_and_text_use_a_chinese_font_stack_and_read_clearly(desktop, site_url):
    tab = desktop
    tab.goto(site_url + "/cities/")
    family = tab.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
    for font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
        assert font in family
    h1 = tab.locator("article h1")
    assert int(h1.evaluate("e => getComputedStyle(e).fontWeight")) >= 600
    assert h1.evaluate(CONTRAST) >= 7


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_the_mode_enlarges_and_darkens_every_page_kind_without_sideways_scrolling(phone, site_url, path):
    phone.goto(f"{site_url}/{path}")
    paragraph = phone.locator("article p").first
    before = float(paragraph.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    phone.locator("[data-elder-toggle]").click()
    phone.wait_for_function("document.getElementById('elder-css') && document.getElementById('elder-css').sheet")
    after = float(paragraph.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert after >= 1.25 * before - 0.01, (before, after)
    assert paragraph.evaluate(CONTRAST) >= 7
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    for button in phone.locator(".md-header__button:visible").all():
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (button.get_attribute("class"), box)


@pytest.mark.browser
def test_the_mode_is_kept_across_pages_and_visits_and_can_be_turned_off(browser, site_url):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    tab = context.new_page()
    tab.goto(site_url + "/")
    toggle = tab.locator("[data-elder-toggle]")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    tab.goto(site_url + "/guide/")
    # Applied before the first paint, by the head script, not after the page's scripts ran.
    assert tab.evaluate("document.documentElement.classList.contains('elder')")
    assert tab.locator("[data-elder-toggle]").get_attribute("aria-pressed") == "true"
    second = context.new_page()  # a later visit in the same browser
    second.goto(site_url + "/cities/")
    assert second.evaluate("document.documentElement.classList.contains('elder')")
    second.locator("[data-elder-toggle]").click()
    second.reload()
    assert not second.evaluate("document.documentElement.classList.contains('elder')")
    assert second.evaluate("document.getElementById('elder-css')") is None
    context.close()


@pytest.mark.browser
def test_the_mode_is_operated_by_keyboard_and_named_for_screen_readers(desktop, site_url):
    tab = desktop
    # Every module of the page has run (the 纠错 links and page modules arrive after the load event).
    tab.goto(site_url + "/policies/", wait_until="networkidle")
    toggle = tab.get_by_role("button", name="长辈模式")
    assert toggle.count() == 1
    for _ in range(40):  # Tab until the button has focus
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement && document.activeElement.hasAttribute('data-elder-toggle')"):
            break
    else:
        pytest.fail("the 长辈模式 button is not reached by Tab")
    tab.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    # Focus stays on the button: under CI load the search module, asked for when the Tab loop passed the
    # search box, once arrived here and pulled focus back to the box (fixed in site.js; see the test of a
    # late search module below).
    tab.wait_for_function("document.getElementById('elder-css') && document.getElementById('elder-css').sheet")
    assert tab.evaluate("document.activeElement.hasAttribute('data-elder-toggle')"), "focus left the button"
    tab.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-pressed", "false")


@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["policies/gd-2022-cleaner-production-notice/", "cities/440300/", "data/audit-statistics/"]
)
def test_printed_pages_carry_their_address_and_date_and_no_navigation(desktop, site_url, path):
    tab = desktop
    tab.goto(f"{site_url}/{path}")
    tab.emulate_media(media="print")
    meta = tab.locator(".print-meta")
    assert meta.is_visible()
    assert re.fullmatch(
        rf"本页地址：{re.escape(site_url)}/{re.escape(path)} · 本站生成于 \d{{4}}年\d{{1,2}}月\d{{1,2}}日",
        meta.inner_text().strip(),
    )
    for hidden in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"):
        assert not tab.locator(hidden).first.is_visible(), hidden
    tab.emulate_media(media="screen")
    assert not meta.is_visible()


@pytest.mark.browser
def test_on_a_phone_the_cities_table_shows_total_and_target_first_in_readable_type(phone, site_url):
    phone.goto(site_url + "/cities/")
    row = phone.locator("#city-table tbody tr", has_text="深圳市")
    cells = row.locator("td")
    for index in (0, 1, 2):  # city, total, target
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (index, box)
    assert [cells.nth(i).inner_text() for i in (1, 2)] == ["103", "100"]
    size = float(cells.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 15
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_feeds_are_announced_to_feed_readers(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head)
    assert links and all((built_site / link).is_file() for link in links)


@pytest.mark.browser
def test_a_page_asks_for_nothing_that_is_not_there(page, site_url):
    """The theme fetches sitemap.xml beside every link[rel=alternate] it can see: the feed links must not be seen."""
    missing = []
    page.on("response", lambda response: response.status >= 400 and missing.append(response.url))
    for path in ("/", "/cities/", "/enterprises/"):
        page.goto(site_url + path, wait_until="networkidle")
    assert missing == [] and page.console_errors == []


@pytest.mark.browser
def test_the_search_page_label_reads_on_one_line_on_a_phone(phone, site_url):
    phone.goto(site_url + "/search/?q=电镀")
    label = phone.locator(".site-search-page__form label")
    box = label.bounding_box()
    line = float(
        label.evaluate(
            "e => parseFloat(getComputedStyle(e).lineHeight) || parseFloat(getComputedStyle(e).fontSize) * 1.6"
        )
    )
    assert box["height"] < 1.9 * line, box


@pytest.mark.browser
def test_the_search_overlay_closes_when_focus_leaves_it_or_on_escape(desktop, site_url):
    tab = desktop
    tab.goto(site_url + "/policies/")
    toggle = tab.locator("#__search")
    for _ in range(10):  # Tab into the search box: the overlay opens
        tab.keyboard.press("Tab")
        if toggle.is_checked():
            break
    assert toggle.is_checked()
    for _ in range(6):  # and on past it: the overlay closes once focus is outside
        tab.keyboard.press("Tab")
        if not tab.evaluate("document.querySelector('.md-search').contains(document.activeElement)"):
            break
    assert not toggle.is_checked()
    tab.locator("[data-site-search-input]").focus()
    assert toggle.is_checked()
    tab.keyboard.type("电镀")
    tab.locator(".md-search-result__link").first.wait_for()
    tab.keyboard.press("Escape")
    assert not toggle.is_checked()
    # A result is still followed when clicked.
    tab.locator("[data-site-search-input]").focus()
    first = tab.locator(".md-search-result__link").first
    href = first.get_attribute("href")
    first.click()
    tab.wait_for_url(href)


@pytest.mark.browser
def test_a_search_module_that_arrives_late_leaves_focus_where_the_reader_went(desktop, site_url):
    # On a slow connection the search module arrives after a keyboard reader has tabbed past the box: it must
    # not reopen the dialog and pull focus back to the box (this once made the 长辈模式 keyboard test flaky).
    tab = desktop
    held = []
    tab.route("**/assets/search.js", lambda route: held.append(route))
    tab.goto(site_url + "/policies/", wait_until="networkidle")
    toggle = tab.locator("#__search")
    for _ in range(10):  # Tab into the search box: the overlay opens and the module is asked for
        tab.keyboard.press("Tab")
        if toggle.is_checked():
            break
    assert toggle.is_checked()
    for _ in range(6):  # and on past it before the module has come
        tab.keyboard.press("Tab")
        if not tab.evaluate("document.querySelector('.md-search').contains(document.activeElement)"):
            break
    assert not toggle.is_checked()
    went_to = tab.evaluate_handle("document.activeElement")
    for _ in range(100):
        if held:
            break
        tab.wait_for_timeout(50)
    assert held, "the search module was not requested when the box got focus"
    held[0].continue_()
    # The page's own instance of the module, once it has run; then a turn for what site.js does with it.
    tab.evaluate(
        "import(new URL('/assets/search.js', location.origin).href).then(() => new Promise((r) => setTimeout(r, 100)))"
    )
    assert tab.evaluate("(el) => document.activeElement === el", went_to), "focus was pulled back to the search box"
    assert not toggle.is_checked()


# The focused element's visible ring: an outline, or Material's box-shadow ring on form controls.
FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  return {ring: outline || shadow, visible: box.width > 0 && box.height > 0,
          what: el.tagName + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "")};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "cities/", "cities/440300/", "enterprises/", "cases/", "data/audit-statistics/"])
def test_the_first_tab_is_a_skip_link_and_every_focus_stop_shows_a_ring(desktop, site_url, path):
    tab = desktop
    tab.goto(f"{site_url}/{path}")
    tab.keyboard.press("Tab")
    skip = tab.evaluate("document.activeElement.className")
    assert "md-skip" in skip, f"the first Tab stop is {skip!r}, not the skip link"
    assert tab.locator(".md-skip").is_visible()
    tab.keyboard.press("Enter")  # to the content: the next Tab lands inside the article, not the header
    tab.keyboard.press("Tab")
    assert tab.evaluate("!!document.activeElement.closest('.md-content, .md-main')"), "the skip link does not skip"
    tab.goto(f"{site_url}/{path}")
    missing = []
    for _ in range(30):
        tab.keyboard.press("Tab")
        state = tab.evaluate(FOCUS_RING)
        if state and state["visible"] and not state["ring"]:
            missing.append(state["what"])
    assert not missing, f"focus stops without a visible ring: {sorted(set(missing))}"
