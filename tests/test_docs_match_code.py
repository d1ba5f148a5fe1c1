"""The docs are tested against the code: the README lists every command and option, the page table covers
every page, and the navigation the docs and the search name is the one mkdocs.yml declares."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import yaml

from builder import cli, layout
from builder.render import page_table
from builder.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_readme_lists_every_command_and_each_of_its_options():
    commands = _subcommands()
    assert set(commands) >= {"validate", "build", "import", "serve", "pages", "clean"}
    for name, sub in commands.items():
        lines = [
            line for line in README.splitlines() if re.match(rf"python -m builder {re.escape(name)}\b", line.strip())
        ]
        assert lines, f"README does not show `python -m builder {name}`"
        # An option may continue on the indented lines below the command.
        start = README.index(lines[0])
        block = README[start : README.find("\npython -m builder", start + 1)]
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in block, f"README's `python -m builder {name}` lacks {option}"


def _nav_titles() -> dict[str, str]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    titles = {}
    for entry in config["nav"]:
        ((title, target),) = entry.items()
        first = (
            target
            if isinstance(target, str)
            else next(iter(t if isinstance(t, str) else next(iter(t.values())) for t in target))
        )
        titles[first.split("/")[0].removesuffix(".md").replace("index", "")] = title
    return titles


def test_every_navigation_section_is_the_one_mkdocs_yml_declares():
    nav = _nav_titles()
    for folder, title in nav.items():
        assert layout.SECTION_TITLES.get(folder) == title, (folder, title)
    # Every section the search labels results with is in the navigation, or is a page inside a section.
    for folder, title in layout.SECTION_TITLES.items():
        assert title in nav.values() or folder == "partners", (folder, title)


def test_the_page_table_covers_every_page_of_the_built_site(built_site):
    result = subprocess.run(
        [sys.executable, "-m", "builder", "pages"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    listed = {page_table.normalise(line.split()[0]) for line in result.stdout.splitlines() if line.strip()}
    html = {
        page_table.normalise(p.parent.relative_to(built_site).as_posix() + "/") for p in built_site.rglob("index.html")
    }
    assert len(html) > 100 and html <= listed, sorted(html - listed)[:10]


def test_one_page_shows_its_template_and_its_own_data():
    run = [sys.executable, "-m", "builder", "pages"]
    city = subprocess.run(
        run + ["/cities/440300/"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "templates/cities/city.md.j2" in city and re.search(r"本页数据\s+row\b", city)
    case = subprocess.run(run + ["cases/TC-001"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    assert "templates/cases/case.html.j2" in case and "直接生成" in case
    missing = subprocess.run(run + ["/no-such-page/"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert missing.returncode == 2 and "/no-such-page/" in missing.stderr
