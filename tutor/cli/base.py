"""The ``tutor`` command. Imports lazily: ``tutor --version`` and ``tutor list`` load no numpy,
Textual or plotext."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from tutor import __version__
from tutor.core.errors import LessonError

if TYPE_CHECKING:
    from tutor.core.loader import Catalog
    from tutor.core.store import Store


def fail(message: str, code: int = 2) -> NoReturn:
    warn(message)
    sys.exit(code)


def warn(message: str) -> None:
    """A message on stderr; a closed or broken stderr is not a reason to crash."""
    try:
        click.echo(message, err=True)
    except (OSError, ValueError, AttributeError):
        pass


def clip(text: str, limit: int = 60) -> str:
    """What a person typed, short enough to echo back in a message."""
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


class Context:
    def __init__(self, lessons: tuple[str, ...], events: str | None = None, ascii: bool | None = None):
        self.extra = lessons
        self.events = events  # --events FILE: JSON Lines, as in plain mode
        self.ascii = ascii  # --ascii; None: tutor.charset.ascii_mode decides
        self._catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from tutor.core.loader import catalog, lesson_dirs

            self._catalog = catalog(lesson_dirs(self.extra))
        return self._catalog

    def store(self) -> Store:
        from tutor.core.store import Store

        return Store(warn=warn)


class TutorGroup(click.Group):
    """Turns every TutorError into a message on stderr and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from tutor.core.errors import TutorError

        try:
            return super().invoke(ctx)
        except LessonError as exc:
            fail(str(exc))
        except TutorError as exc:
            fail(f"tutor: {exc}")
        except KeyboardInterrupt:
            from tutor.core.store import saved_so_far

            fail("Interrupted. Everything submitted so far is saved." if saved_so_far() is not False else "Interrupted.", 130)
        except BrokenPipeError:
            _quiet_stdout()
            sys.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except OSError as exc:
            if exc.errno in _OUTPUT_ERRNOS and exc.filename is None and _stdout_failed():
                _quiet_stdout()
                fail(f"tutor: cannot write to standard output ({exc.strerror}).")
            fail(_crash_report(exc), 3)
        except Exception as exc:  # a bug: say so plainly, keep the traceback in a file
            fail(_crash_report(exc), 3)


_OUTPUT_ERRNOS = {5, 28, 32, 122}  # EIO, ENOSPC, EPIPE, EDQUOT


def _stdout_failed() -> bool:
    """Whether standard output is what failed (/dev/full, a full disk, a closed pipe): one more byte
    is written to it. Only asked after an output-like OSError, so a healthy stdout gets a newline."""
    import os

    try:
        if sys.stdout is None:
            return True
        os.write(sys.stdout.fileno(), b"\n")
        return False
    except (OSError, ValueError):
        return True


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that Python's own flush at exit cannot fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _crash_report(exc: Exception) -> str:
    import traceback

    from tutor.core.store import default_home, saved_so_far

    text = "".join(traceback.format_exception(exc))
    try:
        log = default_home() / "crash.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as f:
            f.write(text + "\n")
        where = f" The details are in {log}."
    except OSError:
        where = ""
    saved = saved_so_far()
    progress = {True: " Your progress up to here is saved.", False: " Your progress was not saved (see the warning above).",
                None: ""}[saved]
    return f"tutor: internal error ({type(exc).__name__}: {clip(str(exc), 300)}).{progress}{where} Please report it."


@click.group(cls=TutorGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="tutor")
@click.option("--lessons", "lessons", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Another folder of lessons (repeatable; also TUTOR_LESSONS).")
@click.option("--events", "events_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Append JSON Lines events to FILE (as `tutor plain --events`).")
@click.option("--ascii", "ascii_", is_flag=True, default=None, help="Plain ASCII on screen: borders, marks, plots and text.")
@click.pass_context
def cli(ctx: click.Context, lessons: tuple[str, ...], events_path: str | None, ascii_: bool | None) -> None:
    """Landscape Tutor: why the loss of a neural network is not a simple bowl.

    Run without a command to open the app. Learner data lives in TUTOR_HOME when set.
    """
    ctx.obj = Context(lessons, events_path, ascii_)
    if ctx.invoked_subcommand is None:
        _app(ctx.obj, None)


def isatty(stream: Any) -> bool:
    """``stream.isatty()``, False for a closed stream (``tutor <&-`` leaves ``sys.stdin`` None)."""
    try:
        return stream is not None and bool(stream.isatty())
    except (ValueError, OSError):
        return False


def need_stdin(command: str) -> None:
    if sys.stdin is None or getattr(sys.stdin, "closed", False):
        fail(f"tutor: standard input is closed; `{command}` reads your answers from it. "
             "Run it in a terminal, or give the answers on standard input (a pipe or `< FILE`).")


def _app(obj: Context, lesson: str | None) -> None:
    if not isatty(sys.stdout) or not isatty(sys.stdin):
        if lesson:
            fail(f"tutor: no terminal here; use `tutor plain {lesson}` for line mode.")
        fail("tutor: no terminal here; `tutor list` shows lessons and `tutor plain LESSON` runs one in line mode.")
    from tutor.tui.app import run_app

    run_app(obj.extra, lesson, events=obj.events, ascii=obj.ascii)


def _problem(where: str, msg: str):
    from tutor.core.errors import Problem

    return Problem(where, 1, 1, msg)


def _bar(fraction: float, width: int = 10) -> str:
    full = round(fraction * width)
    return "[" + "#" * full + "." * (width - full) + "]"
