"""Where generated files live in the site, shared by the stages that write and link them.

In: package, resource and entity names. Out: paths relative to the docs root (POSIX).
"""

from __future__ import annotations

DOWNLOADS = "downloads"
DOWNLOAD_FORMATS = ("csv", "json")


def download_path(package: str, resource: str, ext: str) -> str:
    return f"{DOWNLOADS}/{package}/{resource}.{ext}"


def descriptor_download_path(package: str) -> str:
    return f"{DOWNLOADS}/{package}/datapackage.json"


def policy_page(policy_id: str) -> str:
    return f"policies/{policy_id}.md"


def city_page(city_code: str) -> str:
    return f"cities/{city_code}.md"
