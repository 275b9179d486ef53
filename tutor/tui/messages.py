"""Messages the app's parts send up."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class ExperimentReady(Message):
    """An experiment has run in a worker (or failed); the screen hands it to the session."""

    def __init__(self, exp_id: str, version: int, result: Any = None, error: str | None = None, quiet: bool = False):
        super().__init__()
        self.exp_id = exp_id
        self.version = version
        self.result = result
        self.error = error
        self.quiet = quiet  # from the prefetch: no notification unless the step is on screen
