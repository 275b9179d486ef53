"""How a session gets experiments run without the core importing the numerics.

A ``Session`` is handed a runner: any callable that takes an experiment step (placeholders filled
in) and returns its result. Sessions built without one use the default installed here; the entry
point (``tutor.main.install_runner``) installs ``tutor.experiments.run_step``. ``tutor.core`` itself never imports ``tutor.experiments`` (an import-linter
contract in pyproject.toml says so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.core.models import Experiment

Runner = Callable[["Experiment"], Any]

_default: Runner | None = None


def install(runner: Runner) -> None:
    """Make ``runner`` the one sessions use when they are not handed their own."""
    global _default
    _default = runner


def default() -> Runner:
    if _default is None:
        from tutor.core.errors import ExperimentError

        raise ExperimentError("no experiment runner: hand the session one (Session(..., runner=...)) or install one in tutor.core.runner")
    return _default
