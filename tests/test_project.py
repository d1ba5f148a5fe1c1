"""The project's promises to a newcomer and to CI, checked against the files that make them."""

import re
import tomllib

import yaml

from builder.settings import PROJECT_ROOT


def test_readme_names_the_two_commands_and_ci_runs_the_test_command():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme and "make test" in readme
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_dependencies_are_pinned_exactly():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    pins = [re.match(r"([A-Za-z0-9_.-]+)(.*)", r).groups() for r in requirements]
    assert pins and all(spec.startswith("==") for _, spec in pins), pins
    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    for name, spec in pins:
        assert re.search(rf"^{re.escape(name)}{re.escape(spec)}$", lock, re.M | re.I), f"{name} not locked at {spec}"


def test_pages_workflow_builds_and_publishes_with_least_privilege():
    workflow = yaml.safe_load((PROJECT_ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    steps = [step for job in jobs.values() for step in job["steps"]]
    for step in steps:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), (
                f"not pinned to a commit: {step['uses']}"
            )
    upload = next(s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert any(s.get("run") == "make site" for s in jobs["build"]["steps"])
    assert any(s.get("run") == "./.ci/run" for s in jobs["test"]["steps"])


def test_generated_output_is_never_committed():
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "/build/" in ignored and "/site/" in ignored
