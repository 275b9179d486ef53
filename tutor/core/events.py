"""Events: every step viewed, experiment run, hint, submission and completion.

Each goes to the learner's store and, with ``--events FILE``, to a JSON Lines file, one object a
line, flushed as it is written so a killed process leaves a readable file.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import IO, Any

from tutor.core.store import Store

KINDS = ("session_start", "step_viewed", "experiment_run", "hint_shown", "question_submitted", "lesson_completed")


class Events:
    def __init__(self, store: Store | None = None, path: Path | str | None = None):
        self.store = store
        self._file: IO[str] | None = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115 (kept open for the session)

    def emit(self, event: str, **data: Any) -> dict[str, Any]:
        at = time.time()
        line = {"event": event, "time": at, **data}
        if self.store is not None:
            self.store.record(event, data, at)
        if self._file is not None:
            self._file.write(json.dumps(line, default=str) + "\n")
            self._file.flush()
        return line

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
