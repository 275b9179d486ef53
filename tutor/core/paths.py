"""Where lessons and learner data are: importable without YAML or pydantic (start-up path)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


def builtin_lessons_dir() -> Path:
    """The curriculum shipped with the package (in a wheel) or beside it (in a checkout)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_lessons"
    return packaged if packaged.is_dir() else here.parent / "lessons"


def lesson_dirs(extra: Sequence[str | Path] = ()) -> list[Path]:
    """Built-in lessons, then ``TUTOR_LESSONS`` (path-separated), then ``--lessons`` folders."""
    dirs = [builtin_lessons_dir()]
    env = os.environ.get("TUTOR_LESSONS", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += [Path(p) for p in extra]
    seen: list[Path] = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return seen
