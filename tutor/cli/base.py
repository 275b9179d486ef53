"""The ``tutor`` command. Imports lazily: ``tutor --version`` and ``tutor list`` load no numpy,
Textual or plotext."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from tutor import __version__
from tutor.core.errors import LessonError


def fail(message: str, code: int = 2) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


class Context:
    def __init__(self, lessons: tuple[str, ...]):
        self.extra = lessons
        self._catalog = None

    @property
    def catalog(self):
        if self._catalog is None:
            from tutor.core.loader import catalog, lesson_dirs

            self._catalog = catalog(lesson_dirs(self.extra))
        return self._catalog

    def store(self):
        from tutor.core.store import Store

        return Store()


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
            fail("Interrupted. Everything submitted so far is saved.", 130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback in a file
            fail(_crash_report(exc), 3)


def _crash_report(exc: Exception) -> str:
    import traceback

    from tutor.core.store import default_home

    text = "".join(traceback.format_exception(exc))
    try:
        log = default_home() / "crash.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as f:
            f.write(text + "\n")
        where = f" The details are in {log}."
    except OSError:
        where = ""
    return f"tutor: internal error ({type(exc).__name__}: {exc}). Your progress is saved.{where} Please report it."


@click.group(cls=TutorGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="tutor")
@click.option("--lessons", "lessons", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Another folder of lessons (repeatable; also TUTOR_LESSONS).")
@click.pass_context
def cli(ctx: click.Context, lessons: tuple[str, ...]) -> None:
    """Landscape Tutor: why the loss of a neural network is not a simple bowl.

    Run without a command to open the app. Learner data lives in TUTOR_HOME when set.
    """
    ctx.obj = Context(lessons)
    if ctx.invoked_subcommand is None:
        _app(ctx.obj, None)


def _app(obj: Context, lesson: str | None) -> None:
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        if lesson:
            fail(f"tutor: no terminal here; use `tutor plain {lesson}` for line mode.")
        fail("tutor: no terminal here; `tutor list` shows lessons and `tutor plain LESSON` runs one in line mode.")
    from tutor.tui.app import run_app

    run_app(obj.extra, lesson)


def _problem(where: str, msg: str):
    from tutor.core.errors import Problem

    return Problem(where, 1, 1, msg)


def _bar(fraction: float, width: int = 10) -> str:
    full = round(fraction * width)
    return "[" + "#" * full + "." * (width - full) + "]"
