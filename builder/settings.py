"""The one settings object, built once at the entry point and passed down.

In: command-line options and the process environment (read here only).
Out: a frozen `Settings`.
"""

from __future__ import annotations

import os
import subprocess
import time
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Contact:
    """Where readers write about the site and its data: a name, and an e-mail and/or a web address when known."""

    name: str = ""
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class Settings:
    root: Path
    data_dir: Path
    out_dir: Path
    source_date_epoch: int
    # Contacts that may be published (e.g. an office e-mail); anything else the privacy audit finds blocks publishing.
    public_contacts: frozenset[str] = frozenset()
    # Absolute base URL, for the few outputs that need one (the Atom feed); mkdocs.yml reads the same variable.
    site_url: str = "http://127.0.0.1:8000/"
    # Mappings are kept as sorted (key, value) pairs, not dicts or MappingProxyType: the settings stay frozen
    # and hashable; callers read them with dict(settings.default_license).
    default_license: tuple = (
        ("name", "CC-BY-4.0"),
        ("path", "https://creativecommons.org/licenses/by/4.0/"),
        ("title", "Creative Commons Attribution 4.0"),
    )
    publisher: str = "广东省清洁生产信息公共服务平台开放数据"
    # Who answers readers' corrections (纠错). No e-mail or address is shipped until a real one is known.
    contact: Contact = Contact(name="广东省清洁生产信息公共服务平台开放数据维护组")
    # Whether this site is the official platform itself; when not, every page says so and links to it.
    official: bool = False
    official_platform: tuple = (("name", "广东省清洁生产信息公共服务平台"), ("url", "http://www.gdqjsc.com/"))
    # [tool.builder.import_limits] as given (checked by importing.limits.Limits.from_options when an import runs).
    import_limits: tuple = ()

    @property
    def publishable_contacts(self) -> frozenset[str]:
        """Contacts the privacy audit lets through: the listed public ones and the configured contact e-mail."""
        return self.public_contacts | ({self.contact.email} if self.contact.email else set())

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def docs_dir(self) -> Path:
        """Hand-written pages, copied into the generated docs before rendering."""
        return self.root / "docs"

    @property
    def work_dir(self) -> Path:
        """Everything the builder generates before the site generator runs (git-ignored)."""
        return self.root / "build"

    @property
    def generated_docs(self) -> Path:
        """The site generator's docs_dir (see mkdocs.yml)."""
        return self.work_dir / "docs"

    @property
    def releases_dir(self) -> Path:
        """Earlier data releases, kept in the repository for changelogs and downloads."""
        return self.root / "releases"

    @property
    def mkdocs_config(self) -> Path:
        return self.root / "mkdocs.yml"


def _git_commit_epoch(root: Path) -> int | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(out) if out.isdigit() else None


def source_date_epoch(environ: os._Environ[str] | dict[str, str], root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, so builds of one commit agree."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {value!r}")
        return int(value)
    return _git_commit_epoch(root) or int(time.time())


def project_options(root: Path) -> dict:
    """[tool.builder] in pyproject.toml: project-wide options that are not secrets or paths."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("builder", {})


def _contact(given: dict) -> Contact:
    unknown = set(given) - set(asdict(Settings.contact))
    if unknown:
        raise ValueError(
            f"pyproject.toml [tool.builder] contact 只能有 name、email、url，多了：{'、'.join(sorted(unknown))}"
        )
    return Contact(**{**asdict(Settings.contact), **given})


def _flag(options: dict, name: str, default: bool) -> bool:
    value = options.get(name, default)
    if not isinstance(value, bool):  # "false" in quotes would read as true and drop the disclaimer
        raise ValueError(f"pyproject.toml [tool.builder] {name} 必须是 true 或 false（不加引号），现为 {value!r}")
    return value


LOCAL_SITE_URL = "http://127.0.0.1:8000/"


def _with_slash(url: str) -> str:
    """Pages and files are joined to the address: it ends with a slash."""
    return url if url.endswith("/") else url + "/"


class PublishingAddressError(ValueError):
    """A build meant for publishing without a public SITE_URL."""


def publishing_address(environ: Mapping[str, str]) -> str:
    """The public address a build for publishing needs: SITE_URL, absolute http(s), not this machine.

    Citations, canonical links, the sitemap, the DCAT catalogue and the feeds all carry it."""
    url = (environ.get("SITE_URL") or "").strip()
    if not url:
        raise PublishingAddressError(
            "发布构建需要网站的公开地址：请设置环境变量 SITE_URL（例如 SITE_URL=https://example.org/gd/ "
            "make publish）。没有它，引用、规范链接、站点地图和 DCAT 目录都会指向本机。"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PublishingAddressError(f"SITE_URL 必须是以 http:// 或 https:// 开头的完整地址，现为 {url!r}")
    if (parts.hostname or "") in ("localhost", "127.0.0.1", "::1", "0.0.0.0"):
        raise PublishingAddressError(f"SITE_URL 指向本机（{url}），不能用于发布：请设置网站的公开地址")
    return url if url.endswith("/") else url + "/"


def make_settings(
    data_dir: str | None = None, out_dir: str | None = None, environ: os._Environ[str] | dict[str, str] | None = None
) -> Settings:
    environ = os.environ if environ is None else environ
    root = PROJECT_ROOT
    options = project_options(root)
    return Settings(
        root=root,
        data_dir=Path(data_dir).resolve() if data_dir else root / "datapackages",
        out_dir=Path(out_dir).resolve() if out_dir else root / "site",
        source_date_epoch=source_date_epoch(environ, root),
        public_contacts=frozenset(options.get("public_contacts", [])),
        site_url=_with_slash(environ.get("SITE_URL") or LOCAL_SITE_URL),
        default_license=tuple(sorted(options.get("default_license", dict(Settings.default_license)).items())),
        publisher=options.get("publisher", Settings.publisher),
        contact=_contact(options.get("contact", {})),
        official=_flag(options, "official", Settings.official),
        official_platform=tuple(sorted(options.get("official_platform", dict(Settings.official_platform)).items())),
        import_limits=tuple(sorted((options.get("import_limits") or {}).items())),
    )
