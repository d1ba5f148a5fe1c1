"""The chart library is fetched only when a chart comes near the screen (issue 15, point 9: it was most of
the blocking time of a city page on a phone), and the charts are then all drawn."""

from __future__ import annotations

import pytest


@pytest.fixture
def phone(browser, site_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["cities/", "cities/440300/"])
def test_charts_below_the_first_screen_cost_nothing_until_the_reader_gets_there(phone, site_url, path):
    phone.goto(f"{site_url}/{path}")
    phone.wait_for_load_state("networkidle")
    charts = phone.locator(".chart[data-chart]")
    count = charts.count()
    assert count >= 1
    assert charts.first.bounding_box()["y"] > 2 * 844, "the first chart is not below the first two screens any more"
    assert not [u for u in phone.requests if "echarts" in u], "the chart library was fetched before any chart was near"
    assert phone.evaluate("typeof window.echarts") == "undefined"
    charts.first.scroll_into_view_if_needed()
    phone.wait_for_function(f"document.querySelectorAll('.chart[data-drawn] svg').length === {count}", timeout=15_000)
    assert [u for u in phone.requests if "echarts" in u]
