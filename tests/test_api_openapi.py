"""The static API: JSON with Chinese as it is, documentation with the real base address, reachable from the
开放数据 menu, and an OpenAPI 3.1 description every file matches."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from builder.derive import api


@pytest.fixture(scope="module")
def description(built_site) -> dict:
    return json.loads((built_site / api.OPENAPI_PATH).read_text(encoding="utf-8"))


def api_files(built_site) -> dict[str, object]:
    return {
        p.relative_to(built_site).as_posix(): json.loads(p.read_text(encoding="utf-8"))
        for p in (built_site / "api" / "v1").rglob("*.json")
    }


def test_api_files_hold_chinese_as_it_is(built_site):
    for path in (built_site / "api").rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "\\u" not in text, path
    assert "广州市" in (built_site / "api/v1/cities.json").read_text(encoding="utf-8")


def test_every_api_file_matches_the_openapi_description(built_site, description):
    assert description["openapi"].startswith("3.1")
    files = api_files(built_site)
    covered = set()
    for template, operation in description["paths"].items():
        get = operation["get"]
        schema = get["responses"]["200"]["content"]["application/json"]["schema"]
        parameters = get.get("parameters", [])
        values = parameters[0]["schema"]["enum"] if parameters else [None]
        for value in values:
            path = (
                template.lstrip("/").replace(f"{{{parameters[0]['name']}}}", value)
                if parameters
                else template.lstrip("/")
            )
            assert path in files, path
            jsonschema.validate(files[path], schema, cls=jsonschema.Draft202012Validator)
            covered.add(path)
    assert covered == set(files), set(files) - covered


def test_the_description_rejects_a_document_that_changed_shape(built_site, description):
    schema = description["paths"]["/api/v1/cities/{city_code}.json"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    document = json.loads((built_site / "api/v1/cities/440300.json").read_text(encoding="utf-8"))
    del document["acceptances"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    document = json.loads((built_site / "api/v1/cities/440300.json").read_text(encoding="utf-8"))
    document["sample"] = "yes"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def test_the_documentation_shows_the_real_base_address_and_chinese(built_site, description):
    html = (built_site / "api/index.html").read_text(encoding="utf-8")
    base = description["servers"][0]["url"] + "/"
    assert f'<code class="api-base">{base}</code>' in html and "本站地址" not in html
    assert f"{base}api/v1/cities/440300.json" in html
    example = re.search(r'<pre class="api-example"><code>(.*?)</code></pre>', html, re.S).group(1)
    assert "\\u" not in example and "深圳市" in example
    assert "openapi.json" in html


def test_the_api_page_is_in_the_open_data_menu(built_site):
    html = (built_site / "data/index.html").read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary')
    section = html[html.index("开放数据", start) : html.index('<nav class="md-nav md-nav--secondary"')]
    assert re.search(r'<a href="\.\./api/" class="md-nav__link">\s*<span class="md-ellipsis">\s*JSON 接口', section)
