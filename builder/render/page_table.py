"""Page → template → data, as a table a newcomer can print: `python -m builder pages [URL]`.

In: the page plan (`site_pages.plan`) and the hand-written pages under docs/. Out: one row per page: its
address, what produces it (template, shell or hand-written file), how it is turned into HTML, and the
context keys its template receives beyond those every page receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from builder import layout
from builder.render.site_pages import PlannedPage


@dataclass(frozen=True)
class PageRow:
    url: str
    source: str  # templates/…, docs/… or the shell
    how: str
    keys: tuple[str, ...]  # the page's own context keys


def rows(plan: list[PlannedPage], common: dict, docs_dir: Path) -> list[PageRow]:
    found = []
    for page in plan:
        own = tuple(sorted(k for k in page.context if k not in common and k != "page_path"))
        if page.template is None:
            found.append(PageRow(page.url, f"（外壳）{page.path}", "站点生成器生成外壳，再填入直接生成的页面", own))
        elif page.direct:
            found.append(
                PageRow(page.url, f"templates/{page.template}", "直接生成 HTML，填入外壳（不经站点生成器）", own)
            )
        elif page.path.endswith(".md"):
            found.append(
                PageRow(page.url, f"templates/{page.template}", "生成 Markdown，由站点生成器（MkDocs）生成 HTML", own)
            )
        else:
            found.append(PageRow(page.path, f"templates/{page.template}", "生成文件（原样发布）", own))
    for source in sorted(docs_dir.rglob("*.md")):
        relative = source.relative_to(docs_dir).as_posix()
        found.append(PageRow(layout.page_url(relative), f"docs/{relative}", "手写 Markdown，由站点生成器生成 HTML", ()))
    return found


def normalise(address: str) -> str:
    """/cities/440300/, cities/440300, http://host/cities/440300/index.html → cities/440300/ (home: "")."""
    path = urlsplit(address).path if "://" in address else address
    path = path.strip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")].rstrip("/")
    return "" if path in ("", ".") else (path if "." in path.rsplit("/", 1)[-1] else path + "/")


def find(table: list[PageRow], address: str) -> PageRow | None:
    wanted = normalise(address)
    return next((row for row in table if normalise(row.url) == wanted), None)


def format_table(table: list[PageRow]) -> str:
    width = max(len(row.url or "/") for row in table)
    return "\n".join(f"{('/' + row.url) if row.url else '/':<{width + 1}}  {row.source}" for row in table)


def format_row(row: PageRow, common: dict) -> str:
    return "\n".join(
        [
            f"页面    /{row.url}",
            f"来源    {row.source}",
            f"生成    {row.how}",
            f"本页数据  {'、'.join(row.keys) if row.keys else '（无）'}",
            f"共同数据  {'、'.join(sorted(common))}"
            if not row.source.startswith("docs/")
            else "共同数据  （手写页面不经模板）",
        ]
    )
