"""The work budget (tutor.core.lab_schema.budget): every experiment the lessons and the benchmarks run
is accepted, and every problem and tool states its own cost where its options are declared. How
close the estimate is to measured time is a benchmark (bench/bench_budget.py), not a test."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pydantic import Field

from tutor.core import lab_schema as S
from tutor.core.lab_schema import budget
from tutor.core.lab_schema.base import Opts, problem, tool
from tutor.core.lab_schema.cost import Cost, Size, Work

ROOT = Path(__file__).resolve().parents[2]


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


BENCH = _bench("bench_budget")
LESSON_CASES = BENCH.lesson_cases(ROOT / "lessons")
BENCH_CASES = BENCH.bench_cases(big=False)


def test_the_lessons_experiments_are_all_collected():
    # every lesson with experiments contributes, with its choice parameters' variants
    lessons = {where.split("/")[0] for where, _ in LESSON_CASES}
    assert len(lessons) >= 19 and len(LESSON_CASES) > 100
    assert {case[0] for _, case in LESSON_CASES} >= {"curve", "surface", "stationary", "descent", "convexity", "symmetry", "census",
                                                     "spectrum", "sharpness", "path"}


@pytest.mark.parametrize("where, case", LESSON_CASES + BENCH_CASES, ids=[w for w, _ in LESSON_CASES + BENCH_CASES])
def test_every_experiment_of_the_lessons_and_benchmarks_is_within_the_budget(where, case):
    tool_, problem_, with_ = case
    S.validate(tool_, problem_, with_)  # raises OptionError when the budget refuses it


def test_the_ten_thousand_parameter_spectrum_of_issue_14_fits_with_room_to_spare():
    lab = _bench("bench_lab")
    p, t = BENCH._parse("spectrum", lab.BIG, lab.BIG_WITH)
    est = budget.describe("spectrum", "mlp", p, t)
    assert est["dim"] == 10_903
    assert est["seconds"] < budget.TIME_LIMIT / 10  # about a second, not the two minutes estimated before


def test_a_heavier_experiment_costs_more():
    net = {"name": "mlp", "data": "iris", "hidden": [100, 100], "activation": "tanh", "output": "softmax", "loss": "cross-entropy"}
    p, _ = BENCH._parse("spectrum", net, {})

    def seconds(tool_: str, with_: dict) -> float:
        return budget.describe(tool_, "mlp", p, S.TOOLS[tool_].options.model_validate(with_))["seconds"]

    assert seconds("spectrum", {"method": "lanczos", "top": 20}) > seconds("spectrum", {"method": "lanczos", "top": 5})
    assert seconds("spectrum", {"method": "lanczos", "probes": 1000}) > seconds("spectrum", {"method": "lanczos", "probes": 100})
    assert seconds("sharpness", {"steps": 2000}) > seconds("sharpness", {"steps": 1000}) > seconds("sharpness", {"steps": 1000, "every": 100})


def test_a_tool_or_problem_must_state_its_cost_where_it_is_declared():
    with pytest.raises(RuntimeError, match="states no cost"):
        @tool("no-cost", "a tool without a cost", {})
        class NoCost(Opts):
            n: int = Field(1)

    with pytest.raises(RuntimeError, match="states no size"):
        @problem("no-size", "a problem without a size")
        class NoSize(Opts):
            n: int = Field(1)

    assert "no-cost" not in S.TOOLS and "no-size" not in S.PROBLEMS
    for spec in S.TOOLS.values():
        assert callable(getattr(spec.options, "cost", None)), spec.name
    for spec in S.PROBLEMS.values():
        assert callable(getattr(spec.options, "size", None)), spec.name


def test_work_adds_up_and_a_batch_pays_its_calls_once():
    w = Work(calls=10, floats=100, macs=1000, lapack=0)
    assert (3 * w).calls == 30 and (3 * w).floats == 300
    assert w.batch(3).calls == 10 and w.batch(3).floats == 300 and w.batch(3).macs == 3000
    assert (w + w).seconds == pytest.approx(2 * w.seconds)
    s = Size(4, w, w, w, w, 1, 1, "")
    assert s.curvature(64).calls == 2 * w.calls  # Hessians 32 points at a time
    assert Cost(10, w).bytes == 80
