"""Events: every step viewed, experiment run, hint, submission and completion.

Each goes to the learner's store and, with ``--events FILE``, to a JSON Lines file, one object a
line, flushed as it is written so a killed process leaves a readable file.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from tutor.core.errors import TutorError
from tutor.core.store import Store

KINDS = ("session_start", "step_viewed", "experiment_run", "hint_shown", "question_submitted", "lesson_completed")


class Events:
    """``warn`` hears when the events file stops accepting lines (a full disk); the lesson goes on."""

    def __init__(self, store: Store | None = None, path: Path | str | None = None, *, warn: Callable[[str], None] | None = None):
        self.store = store
        self.path = path
        self.warn = warn
        try:
            self._file: IO[str] | None = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115 (kept open for the session)
        except OSError as exc:
            raise TutorError(f"cannot write events to {path}: {exc.strerror or exc}; choose another --events file") from None

    def emit(self, event: str, **data: Any) -> dict[str, Any]:
        at = time.time()
        line = {"event": event, "time": at, **data}
        if self.store is not None:
            self.store.record(event, data, at)
        if self._file is not None:
            try:
                self._file.write(json.dumps(line, default=str) + "\n")
                self._file.flush()
            except OSError as exc:
                self._drop(f"tutor: could not write to the events file {self.path} ({exc.strerror or exc}); "
                           "no more events go there in this session.")
        return line

    def _drop(self, message: str) -> None:
        file, self._file = self._file, None
        try:
            if file is not None:
                file.close()
        except OSError:
            pass
        if self.warn is not None:
            self.warn(message)

    def close(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError:
                pass
            self._file = None
