"""An Input that never loses or reorders keys.

Textual's Input (8.x) inserts a printable key in its own ``_on_key`` at once, but its editing keys
(Backspace, Delete, arrows, Home/End, Ctrl+V, Enter) are bindings: the key event bubbles up to the
app, which then runs the widget's action a few messages later. Keys that arrive in one burst (a
fast typist, a paste, keys over SSH) are then applied out of order: ``BSpace BSpace BSpace 4`` ends
with the 4 deleted, and after a wrong answer ``BSpace 2 Enter`` re-submits the old answer.
Upstream: Textualize/textual issue #6605, fix proposed in PR #6631 (not merged as of 8.2.8).

``AnswerInput`` runs its own (non-priority) bindings inline in ``_on_key``, in the order the keys
came, the way that PR does; and so it does the bindings of the screen and the app (F3 skip, Esc),
so that in ``F3 7`` the skip comes first and the 7 is not typed into the box F3 leaves. A key that
comes while the app holds keys for a new answer box, or after the focus has moved on, is not this
box's: it goes up unused, and the app hands it to where the focus is now (tutor/tui/keyhold.py).
Keys nobody binds (Tab without a binding, F-keys) bubble up as before.
Drop the own-bindings half once Textual ships the fix (the regression test in
tests/tui/test_answerbox.py then passes on the plain Input too).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class AnswerInput(Input):
    """Input whose editing keys are applied in order with the characters typed around them."""

    async def _on_key(self, event: events.Key) -> None:
        if not self.has_focus or getattr(self.app, "holding_keys", False):
            event.prevent_default()  # not this box's any more (Input's own handler must not type it):
            return  # it bubbles up to the app, which hands it on
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if binding.priority:
                    continue  # the app ran priority bindings before the key reached us
                if await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
            # the screen's and the app's bindings, here, in order with the keys typed after them
            if await self.app._check_bindings(event.key):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
