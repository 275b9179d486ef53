"""The laboratory: problems (losses with gradient and Hessian) and tools that run experiments.

Pure numpy/scipy, no Textual and no plotting. What each problem and tool accepts (and the names of
the values a tool returns) is registered in ``tutor.core.lab_schema``, which loads no numpy; the
implementations bind themselves to those entries (``tutor.experiments.registry``). This module
itself imports nothing heavy: ``run`` loads the numerics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.core.models import Experiment
    from tutor.experiments.tools.base import Result


def run(run: str, problem: dict[str, Any], with_: dict[str, Any] | None = None, *, live: bool = False) -> Result:
    """Run one experiment: a tool by name on a problem given as ``{name: ..., options...}``.

    ``live``: the result also carries a ``Live`` stepper (descent only) for a view to play."""
    import numpy as np

    from tutor.core import lab_schema as S
    from tutor.core.errors import ExperimentError
    from tutor.experiments import registry
    from tutor.experiments.nets.blas import single_thread

    single_thread()
    popts, topts = S.validate(run, problem, with_ or {})
    p = registry.make(problem["name"], popts)
    try:
        with np.errstate(all="ignore"):
            result = registry.TOOLS[run](p, topts)
            if live:
                import dataclasses

                from tutor.experiments.live import Live

                result = dataclasses.replace(result, live=Live(p, topts))  # type: ignore[arg-type]
            return result
    except ExperimentError:
        raise
    except (np.linalg.LinAlgError, FloatingPointError, OverflowError, ValueError) as exc:
        raise ExperimentError(f"{run} on {problem['name']} failed: {exc}") from None


def run_step(step: Experiment) -> Result:
    """Run an experiment step of a lesson (its placeholders already filled in): the runner a
    ``Session`` is handed."""
    return run(step.run, {"name": step.problem.name, **step.problem.options}, step.with_, live=step.live)


def to_json(run: str, problem: dict[str, Any], with_: dict[str, Any] | None, result: Result) -> dict[str, Any]:
    """``{"run", "problem", "with", "values"}`` with numbers JSON can carry."""
    from tutor.experiments.tools.base import jsonable

    return {"run": run, "problem": dict(problem), "with": dict(with_ or {}), "values": jsonable(result.values)}
