"""What the screens need from the app, as a protocol: screens never import the app module, so the
app, the catalog and the lesson screen do not import each other in a circle."""

from __future__ import annotations

from typing import Protocol

from tutor.core.index import Index
from tutor.core.store import ProgressRow, Store


class Host(Protocol):
    ascii: bool
    index: Index
    store: Store

    def progress(self) -> dict[str, ProgressRow]: ...

    def open_lesson(self, ident: str) -> None: ...

    def pop_to_catalog(self) -> None: ...

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None,
               markup: bool = True) -> None: ...
