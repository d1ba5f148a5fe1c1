"""Where generated files live in the site, shared by the stages that write and link them.

In: package, resource and entity names. Out: paths relative to the docs root (POSIX).
"""

from __future__ import annotations

DOWNLOADS = "downloads"


def download_path(package: str, resource: str, ext: str) -> str:
    return f"{DOWNLOADS}/{package}/{resource}.{ext}"


def download_folder(package: str, version: str | None = None) -> str:
    return f"{DOWNLOADS}/{package}" + (f"/{version}" if version else "")


def package_page(package: str) -> str:
    return f"data/{package}.md"


CATALOG_JSONLD = "data/catalog.jsonld"


def changelog_page(package: str) -> str:
    return f"data/{package}/changelog.md"


def changelog_json(package: str) -> str:
    return f"data/{package}/changelog.json"


def descriptor_download_path(package: str) -> str:
    return f"{DOWNLOADS}/{package}/datapackage.json"


def policy_page(policy_id: str) -> str:
    return f"policies/{policy_id}.md"


def city_page(city_code: str) -> str:
    return f"cities/{city_code}.md"


CASES_PAGE = "cases/index.md"
CASES_JSON = "cases/cases.json"
CASES_FEED = "cases/feed.xml"
SECTORS_PAGE = "sectors/index.md"
GUIDE_PAGE = "guide/index.md"


def case_page(case_id: str) -> str:
    return f"cases/{case_id}.md"


def sector_page(sector_code: str) -> str:
    return f"sectors/{sector_code}.md"


def page_url(page_md: str) -> str:
    """The site-relative URL a page is served at (use_directory_urls)."""
    path = page_md[:-3]
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    else:
        path += "/"
    return path


CHARTS = "charts"
VENDOR_ECHARTS = "assets/vendor/echarts.min.js"


def chart_data_path(chart_id: str, ext: str) -> str:
    return f"{CHARTS}/{chart_id}.{ext}"


def _url_parts(page_md: str) -> list[str]:
    return [part for part in page_url(page_md).split("/") if part]


def asset_url(target: str, page_md: str) -> str:
    """Relative URL from the page built from page_md to a file (for raw HTML, which MkDocs leaves alone)."""
    return "../" * len(_url_parts(page_md)) + target


DIRECTORY_PAGE = "enterprises/index.md"
DIRECTORY_JSON = "enterprises/directory.json"
RECONCILIATION_PAGE = "enterprises/reconciliation.md"


def directory_view(page: str, **filters: str) -> str:
    """A link to the directory with filters in its query string (a URL, so not checked by MkDocs)."""
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return page_link(DIRECTORY_PAGE, page) + (f"?{query}" if query else "")


def page_link(target_md: str, page_md: str) -> str:
    """Relative URL from the page built from page_md to the page built from target_md."""
    start, target = _url_parts(page_md), _url_parts(target_md)
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    path = "/".join([".."] * (len(start) - common) + target[common:])
    return f"{path}/" if path else "./"


# The site's tabs (mkdocs.yml nav) by first path segment: search results name their section.
SECTION_TITLES = {
    "": "首页",
    "guide": "办事指南",
    "policies": "政策文件",
    "cities": "地市统计",
    "enterprises": "企业名录",
    "cases": "技术案例",
    "sectors": "重点行业",
    "data": "开放数据",
    "api": "开放数据",
    "partners": "粤港清洁生产伙伴",
    "about": "关于本站",
}
SEARCH_SECTIONS = list(SECTION_TITLES)
SEARCH_PAGE = "search.md"
