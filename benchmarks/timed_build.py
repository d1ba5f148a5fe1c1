"""One timed build, in a process of its own, so that its peak memory is the build's alone.

In: a project root (mkdocs.yml, docs/, templates/, node_modules), a data folder and an output folder.
Out: a JSON report on stdout (or --json FILE): seconds per stage, peak memory of this process and of
its children (MkDocs runs as a subprocess), pages and files, and the validation summary.

The stages are timed by wrapping the public functions of the stage modules and then running
`builder.pipeline.build` itself, so the benchmark always measures the order and the calls the
pipeline really makes (a call made from inside another timed call counts towards the outer one).
Time spent outside every stage module is reported as "other".

Run: python -m benchmarks.timed_build --root DIR --data DIR --out DIR [--site-url URL] [--json FILE]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import os
import resource
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

START = time.perf_counter()  # before builder, pandas and frictionless are imported

from builder import pipeline  # noqa: E402
from builder.settings import make_settings  # noqa: E402

# Stage folders of builder/ and the row of the benchmark table their modules count towards. A builder
# module the pipeline imports from elsewhere is timed too, under its own name, so new stages cannot hide.
STAGE_FOLDERS = {
    "validate": "validate",
    "data": "load and derive",
    "derive": "load and derive",
    "render": "render",
    "export": "export",
    "formats": "export",
    "publish": "site generator",
}
STAGES = {"builder.importing.package_check": "validate", "builder.layout": "render"}
# pipeline.publish runs every step after render and export (MkDocs, direct pages, search index,
# privacy audit): timed as one stage, its steps shown as its parts.
PIPELINE_STAGES = {"publish": "site generator"}
STAGE_ORDER = ["validate", "load and derive", "render", "export", "site generator"]
NOT_STAGES = {"builder.settings", "builder.pipeline", "builder.problems"}
FIXED_EPOCH = 1648080000  # 2022-03-24, as in the tests: dates on the pages do not vary between runs


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (MkDocs), user and system.

    Wall time on a shared machine grows with other processes' load; CPU time much less so.
    """
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


class StageClock:
    """Seconds (wall and CPU) per stage, counting only the outermost timed call of each thread.

    The timed calls made directly inside a stage's call are also added up by function (`parts`),
    which tells where in a stage the time goes (for example MkDocs itself against the privacy audit).
    """

    def __init__(self) -> None:
        self.seconds = {stage: 0.0 for stage in STAGE_ORDER}
        self.cpu = {stage: 0.0 for stage in STAGE_ORDER}
        self.calls = {stage: 0 for stage in STAGE_ORDER}
        self.parts: dict[str, dict[str, float]] = {stage: {} for stage in STAGE_ORDER}
        self._local = threading.local()

    def add_stage(self, stage: str) -> None:
        self.seconds.setdefault(stage, 0.0)
        self.cpu.setdefault(stage, 0.0)
        self.calls.setdefault(stage, 0)
        self.parts.setdefault(stage, {})

    def wrap(self, function, stage: str):
        name = f"{function.__module__.removeprefix('builder.')}.{function.__name__}"

        @functools.wraps(function)
        def timed(*args, **kwargs):
            depth = getattr(self._local, "depth", 0)
            if depth >= 2:
                return function(*args, **kwargs)
            if depth == 1:
                self._local.depth = 2
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    parts = self.parts[self._local.stage]
                    parts[name] = parts.get(name, 0.0) + time.perf_counter() - started
                    self._local.depth = 1
            self._local.depth, self._local.stage = 1, stage
            started, cpu = time.perf_counter(), cpu_seconds()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self.cpu[stage] += cpu_seconds() - cpu
                self.calls[stage] += 1
                self._local.depth = 0

        return timed


def stage_modules() -> dict[str, str]:
    """Module name → stage, for the known stage modules and every builder module pipeline imports."""
    modules = {}
    for folder, stage in STAGE_FOLDERS.items():
        package = importlib.import_module(f"builder.{folder}")
        for module in sorted(Path(package.__file__).parent.glob("*.py")):
            name = package.__name__ + ("" if module.stem == "__init__" else f".{module.stem}")
            modules[name] = stage
    for name, stage in STAGES.items():
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        modules[name] = stage
    for value in vars(pipeline).values():
        if inspect.ismodule(value) and value.__name__.startswith("builder.") and value.__name__ not in NOT_STAGES:
            modules.setdefault(value.__name__, value.__name__.removeprefix("builder."))
    return modules


def instrument(clock: StageClock) -> None:
    """Replace each stage module's public functions (and pipeline's imported names) with timed ones."""
    replaced = {}
    for name, stage in stage_modules().items():
        clock.add_stage(stage)
        module = importlib.import_module(name)
        for attribute, value in list(vars(module).items()):
            if inspect.isfunction(value) and value.__module__ == name and not attribute.startswith("_"):
                replaced[value] = clock.wrap(value, stage)
                setattr(module, attribute, replaced[value])
    for attribute, value in list(vars(pipeline).items()):
        if inspect.isfunction(value) and value in replaced:
            setattr(pipeline, attribute, replaced[value])
    for attribute, stage in PIPELINE_STAGES.items():
        setattr(pipeline, attribute, clock.wrap(getattr(pipeline, attribute), stage))
    # Registries of functions (checks.CHECKS) hold the originals: time their entries too. This process
    # only builds once, so changing the lists in place harms nothing.
    for name in stage_modules():
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, list):
                value[:] = [replaced.get(item, item) if inspect.isfunction(item) else item for item in value]


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports kilobytes


def _status_kb(pid: int | str, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found += [int(child) for child in children.read().split()]
        except OSError:
            continue
    return found


def _descendants(root: int) -> list[int]:
    """Children, grandchildren …: read from /proc/<pid>/task/<tid>/children, which costs far less than
    scanning every process (the sampler must not slow the build it measures)."""
    found, todo = [], [root]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


class MemorySampler(threading.Thread):
    """Resident memory of this process and all its descendants, sampled every `interval` seconds.

    getrusage(RUSAGE_CHILDREN) cannot measure MkDocs on Linux: a child's ru_maxrss starts from the
    parent's resident set at fork (exec keeps the old high-water mark), so it reports the builder's own
    peak again. /proc/<pid>/status VmHWM is per address space, so it is MkDocs' own.
    """

    def __init__(self, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.stop = threading.Event()
        self.tree_peak_kb = 0
        self.child_hwm_kb: dict[int, int] = {}
        self.samples = 0

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.is_set():
            total = _status_kb(me, "VmRSS")
            for pid in _descendants(me):
                total += _status_kb(pid, "VmRSS")
                self.child_hwm_kb[pid] = max(self.child_hwm_kb.get(pid, 0), _status_kb(pid, "VmHWM"))
            self.tree_peak_kb = max(self.tree_peak_kb, total)
            self.samples += 1
            self.stop.wait(self.interval)


def run(root: Path, data: Path, out: Path, site_url: str, epoch: int) -> dict:
    clock = StageClock()
    instrument(clock)
    # The project's own settings (pyproject options included), pointed at the copy: build/ goes under root.
    environ = {"SOURCE_DATE_EPOCH": str(epoch), "SITE_URL": site_url}
    settings = replace(make_settings(data_dir=str(data), out_dir=str(out), environ=environ), root=root)
    sampler = MemorySampler()
    sampler.start()
    started = time.perf_counter()
    result = pipeline.build(settings)
    build_seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    problems = result.validation.problems
    return {
        "valid": result.validation.valid,
        "validation": result.validation.summary(),
        "errors": sum(1 for p in problems if p.is_error),
        "warnings": sum(1 for p in problems if not p.is_error),
        "first_problems": [f"{p.rule}: {p.message}" for p in problems[:5]],
        "site": str(result.site) if result.site else None,
        "pages": result.pages,
        "files": result.files,
        "stages": clock.seconds,
        "stages_cpu": clock.cpu,
        "stage_parts": clock.parts,
        "cpu_seconds": cpu_seconds(),
        "calls": clock.calls,
        "build_seconds": build_seconds,
        "startup_seconds": started - START,
        "other_seconds": build_seconds - sum(clock.seconds.values()),
        "peak_self_mb": peak_mb(resource.RUSAGE_SELF),
        "peak_children_mb_rusage": peak_mb(resource.RUSAGE_CHILDREN),
        "peak_children_mb": max(sampler.child_hwm_kb.values(), default=0) / 1024,
        "peak_tree_mb": sampler.tree_peak_kb / 1024,
        "memory_samples": sampler.samples,
    }


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(prog="python -m benchmarks.timed_build")
    args.add_argument("--root", required=True)
    args.add_argument("--data", required=True)
    args.add_argument("--out", required=True)
    args.add_argument("--site-url", default="http://127.0.0.1:8000/")
    args.add_argument("--epoch", type=int, default=FIXED_EPOCH)
    args.add_argument("--json", metavar="FILE")
    options = args.parse_args(argv)
    report = run(Path(options.root), Path(options.data), Path(options.out), options.site_url, options.epoch)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if options.json:
        Path(options.json).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0 if report["valid"] else 1


if __name__ == "__main__":
    sys.exit(main())
