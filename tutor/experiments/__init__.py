"""The laboratory: problems (losses with gradient and Hessian) and tools that run experiments.

Pure numpy, no Textual and no plotting. This module itself imports nothing heavy: ``options``
(pydantic only) validates experiment steps without loading numpy; ``run`` loads the numerics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.core.models import Experiment
    from tutor.experiments.tools import Result


def run(run: str, problem: dict[str, Any], with_: dict[str, Any] | None = None) -> Result:
    """Run one experiment: a tool by name on a problem given as ``{name: ..., options...}``."""
    import numpy as np

    from tutor.core.errors import ExperimentError
    from tutor.experiments import options as O
    from tutor.experiments import problems, tools

    popts, topts = O.validate(run, problem, with_ or {})
    p = problems.make(problem["name"], popts)
    try:
        with np.errstate(all="ignore"):
            result = tools.TOOLS[run](p, topts)
    except ExperimentError:
        raise
    except (np.linalg.LinAlgError, FloatingPointError, OverflowError, ValueError) as exc:
        raise ExperimentError(f"{run} on {problem['name']} failed: {exc}") from None
    result.problem = dict(problem)
    result.with_ = dict(with_ or {})
    return result


def run_step(step: Experiment) -> Result:
    """Run an experiment step of a lesson (its placeholders already filled in)."""
    return run(step.run, {"name": step.problem.name, **step.problem.options}, step.with_)
