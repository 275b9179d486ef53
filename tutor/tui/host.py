"""What the screens need from the app, as a protocol: screens never import the app module, so the
app, the catalog and the lesson screen do not import each other in a circle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from tutor.core.index import Index
from tutor.core.store import ProgressRow, Store

if TYPE_CHECKING:
    from textual.widget import Widget


class Host(Protocol):
    ascii: bool
    index: Index
    store: Store

    def progress(self) -> dict[str, ProgressRow]: ...

    def open_lesson(self, ident: str) -> None: ...

    def pop_to_catalog(self) -> None: ...

    def hold_keys(self) -> None: ...  # tutor.tui.keyhold.HoldsKeys

    def deliver_keys(self, widget: Widget | None) -> None: ...

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None,
               markup: bool = True) -> None: ...
