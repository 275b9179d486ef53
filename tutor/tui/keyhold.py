"""Keys typed while the next answer box is on its way land in it, in order.

A new question is on screen (its header, its prompt) a frame or two before its answer box exists
and has the focus: the box is composed when its panel is mounted, and Textual moves the focus a
message later. Keys that arrive in between went to whatever had the focus (the page, which ignores
them) and were lost: a learner over SSH who reads the new question and types at once lost the
first characters, or an Enter.

An app with ``HoldsKeys`` is told ``hold_keys()`` when it starts showing a new question and
``deliver_keys(widget)`` once the widget the keys belong to is there: the widget gets the focus at
once and every key held meanwhile, in the order typed, as if it had had the focus all along
(an ``AnswerInput`` then applies editing keys in order too; keys it does not use, F2 or Esc, go on
to the app's bindings as usual). Keys already on their way back from the page to the app when the
hold starts are caught too. Priority bindings (Ctrl+Q) are never held. A hold that nothing
delivers gives its keys to whatever has the focus after ``MAX_HOLD`` seconds, so no key is ever
swallowed.

The same root bites without a new question: Textual hands a key to the widget that has the focus
when the key arrives, and a key that widget does not use comes back up to the app, which then
looks it up in the bindings of the widget that has the focus *now*. In a burst ``n 2 Enter`` the
``2`` and the Enter were handed to the page before ``n`` moved the focus to the answer box: the 2
came back and was dropped, the Enter came back and submitted the still empty box. So a key that
comes back unused from a widget that has lost the focus meanwhile is handed to the widget that has
it now, as if it had been typed there (which, for the learner, it was).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.widget import Widget

    Base = App
else:
    Base = object

MAX_HOLD = 1.0  # seconds: longer than any question takes to appear, shorter than a learner waits


class HoldsKeys(Base):
    """An App mixin (put it before ``App`` in the bases)."""

    _held: list[events.Key | events.Paste] | None = None
    _hold_timer: Timer | None = None
    _aimed: dict[int, tuple[events.Event, Widget | None]] | None = None  # id(key) -> (key, focused when it came)

    @property
    def holding_keys(self) -> bool:
        return self._held is not None

    def hold_keys(self) -> None:
        """From now on, keys wait for ``deliver_keys`` (or ``MAX_HOLD`` seconds)."""
        if self._held is None:
            self._held = []
            self._hold_timer = self.set_timer(MAX_HOLD, self._hold_expired)

    def deliver_keys(self, widget: Widget | None) -> None:
        """Focus ``widget`` now (None: leave the focus where it is) and hand it the keys held, in order."""
        held, self._held = self._held or [], None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if widget is not None and widget.focusable:
            self.screen.set_focus(widget)
        for event in held:
            self._hand_on(event)

    def _hand_on(self, event: events.Key | events.Paste) -> None:
        """A copy of ``event`` to the widget with the focus (or the screen), as if typed there now."""
        again: events.Key | events.Paste = (events.Paste(event.text) if isinstance(event, events.Paste)
                                            else events.Key(event.key, event.character))
        self._aim(again)
        (self.focused or self.screen)._forward_event(again)  # forwarded: the app does not route it again

    def _aim(self, event: events.Event) -> None:
        aimed = self._aimed if self._aimed is not None else {}
        self._aimed = aimed
        aimed[id(event)] = (event, self.focused)
        while len(aimed) > 64:  # keys a widget used never come back
            del aimed[next(iter(aimed))]

    def _hold_expired(self) -> None:
        self._hold_timer = None
        if self._held is not None:
            self.deliver_keys(None)

    def _priority(self, event: events.Key) -> bool:
        active = self.screen.active_bindings.get(event.key)
        return active is not None and active.binding.priority

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)):
            if self._held is not None:
                # a raw key from the terminal, or one that has come back up from the page unused
                if not (isinstance(event, events.Key) and self._priority(event)):
                    event.stop()
                    self._held.append(event)
                    return
            elif not event.is_forwarded:
                self._aim(event)  # the app forwards it to the widget with the focus now
            else:
                came = (self._aimed or {}).pop(id(event), None)
                if came is not None and came[0] is event and came[1] is not self.focused and self.focused is not None:
                    event.stop()
                    self._hand_on(event)  # unused by a widget that has lost the focus since
                    return
        await super().on_event(event)
