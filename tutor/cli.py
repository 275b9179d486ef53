"""The ``tutor`` command. Imports lazily: ``tutor --version`` and ``tutor list`` load no numpy,
Textual or plotext."""

from __future__ import annotations

import json
import sys
from pathlib import Path
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
        from tutor.core.errors import LessonError, TutorError

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


@cli.command("open")
@click.argument("lesson")
@click.pass_obj
def open_(obj: Context, lesson: str) -> None:
    """Open the app straight into LESSON, where you stopped."""
    obj.catalog.lesson(lesson)  # a clear error before the screen changes
    _app(obj, lesson)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(obj: Context, as_json: bool) -> None:
    """Lessons found, with ids, titles and progress."""
    cat = obj.catalog
    progress = obj.store().all_progress()
    rows = []
    for ident, f in sorted(cat.lessons.items(), key=lambda kv: (kv[1].lesson.level, kv[1].path.name, kv[0])):  # type: ignore[union-attr]
        les = f.lesson
        p = progress.get(ident)
        rows.append({"id": ident, "title": les.title, "level": les.level, "minutes": les.minutes, "summary": les.summary,
                     "requires": les.requires, "path": str(f.path), "progress": round(p.fraction, 3) if p else 0.0,
                     "completed": bool(p and p.completed_at)})
    broken = [{"path": str(f.path), "id": f.id, "problems": [str(p) for p in f.problems]} for f in cat.broken]
    if as_json:
        click.echo(json.dumps({"lessons": rows, "broken": broken, "quizzes": sorted(cat.quizzes)}, indent=2))
        return
    if not rows:
        click.echo("No lessons found.")
    width = max((len(r["id"]) for r in rows), default=0)
    for r in rows:
        bar = _bar(r["progress"])
        done = "done" if r["completed"] else f"{r['progress'] * 100:3.0f}%"
        click.echo(f"{r['id'].ljust(width)}  L{r['level']}  {bar} {done:>4}  {r['title']}")
    if cat.quizzes:
        click.echo(f"Quizzes: {', '.join(sorted(cat.quizzes))}  (tutor quiz take QUIZ --student ID)")
    for b in broken:
        click.echo(f"! {b['path']}: does not load ({len(b['problems'])} problem{'s' * (len(b['problems']) != 1)}; `tutor check {b['path']}`)", err=True)


def _bar(fraction: float, width: int = 10) -> str:
    full = round(fraction * width)
    return "[" + "#" * full + "." * (width - full) + "]"


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--variants", default=5, show_default=True, type=click.IntRange(0, 100), help="Seeded variants to self-test.")
@click.option("--no-run", is_flag=True, help="Validate only; do not run experiments.")
@click.pass_obj
def check(obj: Context, paths: tuple[str, ...], variants: int, no_run: bool) -> None:
    """Validate lessons and quizzes and self-test every question.

    Prints path:line:col: message per problem; exit 0 when clean, 1 when not.
    """
    from tutor.core.loader import catalog, lesson_dirs
    from tutor.core.selftest import check_lesson, check_quiz

    targets = [Path(p) for p in paths] or lesson_dirs(obj.extra)
    for t in targets:
        if not t.exists():
            fail(f"tutor check: {t}: no such file or folder")
    cat = catalog(targets)
    # quizzes may refer to lessons anywhere on the lesson path
    full = catalog(list(lesson_dirs(obj.extra)) + targets) if paths else cat
    problems = list(cat.problems)
    checked = 0
    for f in cat.files:
        if f.lesson and not f.problems:
            checked += 1
            if not no_run:
                problems += check_lesson(f, variants)
        elif f.quiz and not f.problems:
            checked += 1
            problems += check_quiz(f, full)
    for p in sorted(problems):
        click.echo(str(p))
    n = len(cat.files)
    if problems:
        click.echo(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {n} file{'s' * (n != 1)}.", err=True)
        sys.exit(1)
    click.echo(f"{n} file{'s' * (n != 1)} checked, no problems.", err=True)


@cli.command()
@click.argument("lesson")
@click.option("--seed", type=int, default=None, help="Draw this variant of the lesson's parameters.")
@click.option("--events", "events_path", type=click.Path(dir_okay=False), help="Append JSON Lines events to FILE.")
@click.option("--restart", is_flag=True, help="Begin the lesson again instead of resuming.")
@click.option("--ascii", "ascii_", is_flag=True, default=None, help="Plain ASCII plots.")
@click.option("--width", type=click.IntRange(40, 200), default=None, help="Line width (default: the terminal's).")
@click.pass_obj
def plain(obj: Context, lesson: str, seed: int | None, events_path: str | None, restart: bool, ascii_: bool | None, width: int | None) -> None:
    """LESSON in plain line mode: no TUI, works with piped stdin."""
    from tutor.core.events import Events
    from tutor.core.session import Session
    from tutor.plain import Plain

    les = obj.catalog.lesson(lesson)
    store = obj.store()
    events = Events(store, events_path)
    try:
        session = Session(les, store=store, events=events, seed=seed, resume=not restart)
        code = Plain(session, width=width, ascii=ascii_ or None).run()
    finally:
        events.close()
    sys.exit(code)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def progress(obj: Context, as_json: bool) -> None:
    """Your progress in every lesson."""
    rows = obj.store().all_progress()
    lessons = obj.catalog.lessons
    out = []
    for ident, p in sorted(rows.items()):
        title = lessons[ident].lesson.title if ident in lessons else "(lesson not found)"  # type: ignore[union-attr]
        out.append({"id": ident, "title": title, "step": p.position, "steps": p.steps, "progress": round(p.fraction, 3),
                    "completed": bool(p.completed_at)})
    if as_json:
        click.echo(json.dumps(out, indent=2))
        return
    if not out:
        click.echo("No progress yet. `tutor list` shows the lessons.")
    for r in out:
        state = "done" if r["completed"] else f"step {r['step'] + 1} of {r['steps']}"
        click.echo(f"{r['id']}  {_bar(r['progress'])}  {state}  {r['title']}")


@cli.command()
@click.argument("lesson")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def reset(obj: Context, lesson: str, yes: bool) -> None:
    """Forget your progress in LESSON (its event log is kept)."""
    if not yes and sys.stdin.isatty():
        click.confirm(f"Forget your progress in {lesson}?", abort=True)
    if obj.store().reset(lesson):
        click.echo(f"Progress in {lesson} reset.")
    else:
        click.echo(f"No progress in {lesson} to reset.")


@cli.command()
@click.option("--kind", type=click.Choice(["lesson", "quiz", "both"]), default="both", show_default=True)
def schema(kind: str) -> None:
    """JSON Schema of lesson and quiz files, for editors."""
    from tutor.core.models import Lesson, Quiz

    schemas = {"lesson": Lesson.model_json_schema(by_alias=True), "quiz": Quiz.model_json_schema(by_alias=True)}
    if kind == "both":
        doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Landscape Tutor lesson or quiz",
               "anyOf": [{"$ref": "#/$defs/Lesson"}, {"$ref": "#/$defs/Quiz"}], "$defs": {}}
        for name, sch in schemas.items():
            defs = sch.pop("$defs", {})
            doc["$defs"].update(defs)
            doc["$defs"][name.capitalize()] = sch
    else:
        doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schemas[kind]}
    click.echo(json.dumps(doc, indent=2))


@cli.group()
def experiment() -> None:
    """Run the tutor's experiments directly."""


@experiment.command("list")
def experiment_list() -> None:
    """The problems and tools, with their options."""
    from tutor.experiments import options as O

    def opts(model: Any) -> str:
        parts = []
        for name, field in model.model_fields.items():
            key = field.alias or name
            default = "" if field.is_required() else f"={_short(field.get_default(call_default_factory=True))}"
            parts.append(f"{key}{default}")
        return ", ".join(parts)

    click.echo("Problems (problem: {name: NAME, ...options}):")
    for name, model in O.PROBLEMS.items():
        click.echo(f"  {name:20s} {opts(model)}")
    click.echo("\nTools (run: NAME, with: {...options}):")
    for name, model in O.TOOLS.items():
        click.echo(f"  {name:20s} {opts(model)}")


def _short(v: Any) -> str:
    if hasattr(v, "model_dump"):
        v = v.model_dump()
    s = json.dumps(v, default=str)
    return s if len(s) < 30 else s[:27] + "..."


@experiment.command("run")
@click.argument("spec")
@click.option("--json", "as_json", is_flag=True, help='Print {"run", "problem", "with", "values"} as JSON.')
@click.option("--ascii", "ascii_", is_flag=True, default=None, help="Plain ASCII plot.")
@click.option("--width", type=click.IntRange(40, 300), default=None)
@click.option("--height", type=click.IntRange(8, 100), default=None)
def experiment_run(spec: str, as_json: bool, ascii_: bool | None, width: int | None, height: int | None) -> None:
    """Run SPEC: a YAML/JSON file or an inline mapping shaped like an experiment step, e.g.

    tutor experiment run '{run: curve, problem: {name: output-square, target: 2}}'
    """
    from tutor.core import yamlsrc
    from tutor.core.errors import LessonError, TutorError
    from tutor.experiments import run
    from tutor.experiments.options import OptionError

    path = Path(spec)
    if path.suffix in (".yaml", ".yml", ".json") or (len(spec) < 4096 and path.is_file()):
        data, _ = yamlsrc.load(path)
        where = str(path)
    else:
        data, _ = yamlsrc.load("<spec>", text=spec)
        where = "<spec>"
    if isinstance(data, dict) and "experiment" in data and isinstance(data["experiment"], dict):
        data = data["experiment"]
    if not isinstance(data, dict) or "run" not in data or "problem" not in data:
        raise LessonError([_problem(where, "a spec is a mapping with run, problem and optionally with")])
    problem = data["problem"]
    if isinstance(problem, str):
        problem = {"name": problem}
    if not isinstance(problem, dict):
        raise LessonError([_problem(where, "problem must be a mapping with a name")])
    unknown = set(data) - {"run", "problem", "with", "id", "caption", "controls", "text"}
    if unknown:
        raise LessonError([_problem(where, f"unknown key {sorted(unknown)[0]!r} in the spec")])
    try:
        result = run(str(data["run"]), problem, data.get("with") or {})
    except OptionError as exc:
        raise TutorError(f"{where}: {exc}") from None
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    from tutor.plots.render import to_text

    import shutil

    cols = width or min(120, shutil.get_terminal_size((80, 24)).columns)
    for p in result.plots:
        click.echo(to_text(p, cols, height or max(12, min(24, cols // 4)), ascii=ascii_ or None))
    key = max((len(k) for k, _ in result.summary), default=0)
    for k, v in result.summary:
        click.echo(f"  {k.ljust(key)}  {v}")


@cli.group()
def quiz() -> None:
    """Graded quizzes: take one, or export the gradebook."""


def _quiz(obj: Context, ident: str):
    from tutor.core.errors import NotFound
    from tutor.core.loader import load_file

    cat = obj.catalog
    if ident in cat.quizzes:
        return cat.quizzes[ident].quiz, cat
    path = Path(ident)
    if path.exists():
        f = load_file(path)
        if f.problems:
            raise LessonError(f.problems)
        if f.quiz is None:
            raise NotFound(f"{ident} is a lesson, not a quiz")
        from tutor.core.selftest import check_quiz

        problems = check_quiz(f, cat)
        if problems:
            raise LessonError(problems)
        return f.quiz, cat
    for f in cat.files:
        if f.problems and f.id == ident:
            raise LessonError(f.problems)
    known = ", ".join(sorted(cat.quizzes)) or "none"
    raise NotFound(f"no quiz {ident!r} (quizzes found: {known})")


def _quiz_store(db: str | None):
    from tutor.core.quizstore import QuizStore

    return QuizStore(db)


@quiz.command("take")
@click.argument("quiz_id", metavar="QUIZ")
@click.option("--student", required=True, help="Your student id (letters, digits, . _ @ + -).")
@click.option("--plain", "plain_mode", is_flag=True, help="Line mode instead of the app.")
@click.option("--db", type=click.Path(dir_okay=False), help="The class's quiz store (default: TUTOR_QUIZ_DB, else TUTOR_HOME).")
@click.pass_obj
def quiz_take(obj: Context, quiz_id: str, student: str, plain_mode: bool, db: str | None) -> None:
    """Take QUIZ as STUDENT; leave with :quit and come back to the same numbers."""
    from tutor.core.quiz import QuizRun, check_student

    check_student(student)
    q, cat = _quiz(obj, quiz_id)
    run = QuizRun(q, cat, student, _quiz_store(db))
    if plain_mode or not (sys.stdin.isatty() and sys.stdout.isatty()):
        from tutor.quizplain import PlainQuiz

        sys.exit(PlainQuiz(run).run())
    from tutor.tui.quizapp import run_quiz_app

    run_quiz_app(run)


@quiz.command("report")
@click.argument("quiz_id", metavar="QUIZ")
@click.option("--format", "fmt", type=click.Choice(["csv", "canvas", "moodle", "json", "log"]), default="csv", show_default=True,
              help="csv: per student and question; canvas/moodle: gradebook import; json: everything; log: the raw attempts.")
@click.option("--db", type=click.Path(dir_okay=False), help="The class's quiz store.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@click.pass_obj
def quiz_report(obj: Context, quiz_id: str, fmt: str, db: str | None, output: str | None) -> None:
    """Scores re-checked from the raw answers, and a summary on stderr."""
    from tutor.core import report

    q, cat = _quiz(obj, quiz_id)
    store = _quiz_store(db)
    if not store.path.exists():
        raise LessonError([_problem(str(store.path), "no quiz store here yet")])
    rep = report.build(q, cat, store)
    text = report.render(rep, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(report.summary(rep), err=True)


def _problem(where: str, msg: str):
    from tutor.core.errors import Problem

    return Problem(where, 1, 1, msg)


def main() -> None:
    try:
        cli(prog_name="tutor")
    except KeyboardInterrupt:
        fail("Interrupted.", 130)


if __name__ == "__main__":
    main()
