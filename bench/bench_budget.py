"""The work budget's time estimate against measured time, for every experiment the lessons and the
benchmarks run (tutor.core.lab_schema.budget, issue 14).

For each case: the estimate (seconds), the measured wall time (the median of a few runs after a
first one, in this process, BLAS on one thread as the tutor runs it) and their ratio. The target
is every ratio within 3x either way; the summary line says how many are outside and the extremes,
and the next lists the lesson experiments over 100 ms (issue 14's budget).
Cases: each lesson's experiments with its default parameters and every combination of its choice
parameters (placeholders filled as a session fills them), bench_lab's tools table and its
10 000-parameter spectrum, and bench_limits' calibration cases (bigger: seconds each; --no-big
skips them).

    python bench/bench_budget.py [--no-big] [--only TOOL] [--worst 20] [--cpu] [--reuse FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
Case = tuple[str, dict[str, Any], dict[str, Any]]  # (tool, problem with its name, with)
LESSON_BUDGET = 0.100  # seconds: every lesson experiment, measured as here


def bench_module(name: str) -> ModuleType:
    """A sibling benchmark loaded by path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def lesson_cases(folder: Path = ROOT / "lessons") -> list[tuple[str, Case]]:
    """Every distinct experiment of the built-in lessons, for the default parameters and every
    combination of the choice parameters, as (where, case)."""
    from tutor.core.loader import catalog
    from tutor.core.params import draw
    from tutor.core.session import Session

    class Caught(Exception):
        pass

    seen: dict[str, tuple[str, Case]] = {}
    cat = catalog([folder])
    got: list[Any] = []

    def catch(step: Any) -> Any:
        got.append(step)
        raise Caught

    for ident in sorted(cat.lessons):
        lesson = cat.lessons[ident].lesson
        got.clear()

        choices = [[(name, v) for v in p.choices] for name, p in lesson.params.items() if p.choices]
        for combo in itertools.product(*choices):
            session = Session(lesson, params={**draw(lesson.params, None), **dict(combo)}, record=False, runner=catch)
            for exp_id in lesson.experiments():
                try:
                    session.result(exp_id, emit=False)
                except Caught:
                    pass
        for step in got:
            case: Case = (step.run, {"name": step.problem.name, **step.problem.options}, dict(step.with_))
            seen.setdefault(json.dumps(case, sort_keys=True, default=str), (f"{ident}/{step.id}", case))
    return list(seen.values())


def bench_cases(big: bool = True) -> list[tuple[str, Case]]:
    lab = bench_module("bench_lab")
    out = [(f"bench_lab {k}", (t, p, w)) for k, (t, p, w) in enumerate(lab.TOOLS)]
    out.append(("bench_lab spectrum 10k", ("spectrum", lab.BIG, lab.BIG_WITH)))
    if big:
        limits = bench_module("bench_limits")
        out += [(f"bench_limits {k}", c) for k, c in enumerate(limits.CASES)]
    return out


def measure(case: Case, runs: int = 5, enough: float = 0.5, clock: Any = time.perf_counter) -> float:
    """Median wall time (or ``clock``'s) of a run (the problem built, the tool run) after a first call; a
    case slower than ``enough`` runs once more. The budget is not asked: a case it refuses is measured."""
    import numpy as np

    from tutor.experiments import registry
    from tutor.experiments.nets.blas import single_thread

    registry.load()
    single_thread()  # as tutor.experiments.run does
    tool, problem, with_ = case
    p, o = _parse(tool, problem, with_)

    def once() -> float:
        t = clock()
        with np.errstate(all="ignore"):
            registry.TOOLS[tool](registry.make(problem["name"], p), o)
        return clock() - t

    first = once()
    return statistics.median(once() for _ in range(1 if first > enough else runs))


def estimate(case: Case) -> float:
    from tutor.core.lab_schema import budget

    tool, problem, with_ = case
    p, t = _parse(tool, problem, with_)
    return float(budget.describe(tool, problem["name"], p, t)["seconds"])


def _parse(tool: str, problem: dict[str, Any], with_: dict[str, Any]) -> tuple[Any, Any]:
    """The options without the budget's check (a case the budget refuses is still measured)."""
    from tutor.core import lab_schema as S

    p = S.PROBLEMS[problem["name"]].options.model_validate({k: v for k, v in problem.items() if k != "name"})
    return p, S.TOOLS[tool].options.model_validate(with_)


def label(case: Case) -> str:
    tool, problem, with_ = case
    p = {k: v for k, v in problem.items() if k not in ("name", "weights")}
    return f"{tool} {problem['name']} {json.dumps(p, separators=(',', ':'))} {json.dumps(with_, separators=(',', ':'))}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-big", action="store_true", help="skip bench_limits' cases (seconds each)")
    ap.add_argument("--only", help="only this tool")
    ap.add_argument("--worst", type=int, default=0, help="print only the N cases furthest from 1x")
    ap.add_argument("--cpu", action="store_true", help="measure CPU time instead of wall time (one BLAS thread: the same on a "
                    "quiet machine, and less disturbed by a busy one)")
    ap.add_argument("--reuse", metavar="FILE", help="measured times from FILE where it has them (else measured and added to it): "
                    "for trying new estimates without measuring again")
    args = ap.parse_args()
    from tutor.experiments import registry
    from tutor.experiments.nets.blas import single_thread

    registry.load()
    single_thread()
    cases = lesson_cases() + bench_cases(not args.no_big)
    if args.only:
        cases = [c for c in cases if c[1][0] == args.only]
    load0 = os.getloadavg()[0]
    saved: dict[str, float] = json.loads(Path(args.reuse).read_text()) if args.reuse and Path(args.reuse).exists() else {}
    rows = []
    for where, case in cases:
        key = json.dumps(case, sort_keys=True, default=str)
        if key not in saved:
            saved[key] = measure(case, clock=time.process_time if args.cpu else time.perf_counter)
        est, got = estimate(case), saved[key]
        rows.append((where, case, est, got, est / got))
        print(f"{where[:34]:34s} {est * 1e3:10.1f} {got * 1e3:10.1f} {est / got:7.2f}x  {label(case)[:90]}", file=sys.stderr)
    if args.reuse:
        Path(args.reuse).write_text(json.dumps(saved))
    shown = sorted(rows, key=lambda r: -abs(_log(r[4])))[: args.worst] if args.worst else rows
    print(f"{'CPU' if args.cpu else 'wall'} time; load average {load0:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores; "
          f"{len(rows)} cases\n")
    print(f"| {'where':34s} | {'case':70s} | {'estimate':>9s} | {'measured':>9s} | {'ratio':>6s} |")
    print(f"|{'-' * 36}|{'-' * 72}|{'-' * 11}|{'-' * 11}|{'-' * 8}|")
    for where, case, est, got, ratio in shown:
        print(f"| {where[:34]:34s} | {label(case)[:70]:70s} | {_ms(est):>9s} | {_ms(got):>9s} | {ratio:5.2f}x |")
    ratios = [r[4] for r in rows]
    out = [r for r in ratios if not 1 / 3 <= r <= 3]
    print(f"\nratio estimate/measured: min {min(ratios):.2f}x, median {statistics.median(ratios):.2f}x, max {max(ratios):.2f}x; "
          f"{len(out)} of {len(ratios)} outside [1/3, 3]")
    lessons = [r for r in rows if not r[0].startswith("bench_")]
    slow = sorted((r for r in lessons if r[3] > LESSON_BUDGET), key=lambda r: -r[3])
    print(f"lesson experiments over {LESSON_BUDGET * 1e3:.0f} ms (issue 14's budget for every tool at the sizes lessons use): "
          f"{len(slow)} of {len(lessons)}" + "".join(f"\n  {w}: {_ms(got)}" for w, _, _, got, _ in slow))
    by_tool: dict[str, list[float]] = {}
    for _, case, _, _, ratio in rows:
        by_tool.setdefault(case[0], []).append(ratio)
    for tool, rs in sorted(by_tool.items()):
        print(f"  {tool:11s} {len(rs):3d} cases  {min(rs):6.2f}x .. {max(rs):6.2f}x")


def _ms(t: float) -> str:
    return f"{t * 1e3:.1f}ms" if t < 10 else f"{t:.1f}s"


def _log(x: float) -> float:
    import math

    return math.log(x)


if __name__ == "__main__":
    main()
