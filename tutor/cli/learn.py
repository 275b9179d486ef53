"""Commands for learners and authors: open, list, check, plain, progress, reset, schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tutor.cli.base import Context, _app, _bar, cli, fail


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
    from tutor.lines.lesson import LessonLines

    les = obj.catalog.lesson(lesson)
    store = obj.store()
    events = Events(store, events_path)
    try:
        session = Session(les, store=store, events=events, seed=seed, resume=not restart)
        code = LessonLines(session, width=width, ascii=ascii_ or None).run()
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
