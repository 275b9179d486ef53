"""Thread workers that let go of their screen once they are done.

``@work(thread=True)`` runs the function in the event loop's default thread pool and, first, sets
Textual's current-worker variable in that pool thread's *own* context, where nothing unsets it.
The pool thread stays alive, idle, holding the last worker it ran, and the worker holds its node
and its function (a method of the screen): a lesson left stayed in memory with all its results
until some other job happened to land on the same pool thread.

``thread_work`` keeps Textual's worker (groups, ``exclusive``, cancellation, ``Worker.StateChanged``)
but makes it an async worker, whose context lives and dies with its task, and runs the function
with ``asyncio.to_thread``, which enters a copy of that context for the call and leaves it after:
``get_current_worker()`` still works in the thread, and nothing is left behind in the pool.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from textual import work

T = TypeVar("T")


def thread_work(*, group: str, exclusive: bool = False) -> Callable[[Callable[..., T]], Callable[..., Any]]:
    """Like ``@work(thread=True, group=group, exclusive=exclusive, exit_on_error=False)``."""

    def decorate(fn: Callable[..., T]) -> Callable[..., Any]:
        @functools.wraps(fn)
        async def in_thread(self: Any, *args: Any, **kwargs: Any) -> T:
            return await asyncio.to_thread(fn, self, *args, **kwargs)

        runner: Callable[..., Coroutine[Any, Any, T]] = in_thread
        return work(group=group, exclusive=exclusive, exit_on_error=False)(runner)

    return decorate
