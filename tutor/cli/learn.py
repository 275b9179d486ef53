"""Commands for learners: open, list, plain, progress, reset. (Authors' commands are in ``author``.)"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from tutor.cli.base import Context, _app, _bar, cli, fail, isatty, need_stdin, warn


@cli.command("open")
@click.argument("lesson")
@click.option("--events", "events_path", type=click.Path(dir_okay=False), metavar="FILE", help="Append JSON Lines events to FILE.")
@click.option("--ascii", "ascii_", is_flag=True, default=None, help="Plain ASCII on screen.")
@click.pass_obj
def open_(obj: Context, lesson: str, events_path: str | None, ascii_: bool | None) -> None:
    """Open the app straight into LESSON, where you stopped."""
    obj.events = events_path or obj.events
    obj.ascii = ascii_ or obj.ascii
    obj.catalog.lesson(lesson)  # a clear error before the screen changes
    _app(obj, lesson)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(obj: Context, as_json: bool) -> None:
    """Lessons found, with ids, titles and progress."""
    cat = obj.catalog
    progress = obj.store().all_progress()
    rows: list[dict[str, Any]] = []
    for ident, f in sorted(cat.lessons.items(), key=lambda kv: (kv[1].lesson.level if kv[1].lesson else 0, kv[1].path.name, kv[0])):
        les = f.lesson
        assert les is not None  # the catalog's lessons all loaded
        p = progress.get(ident)
        rows.append({"id": ident, "title": les.title, "level": les.level, "minutes": les.minutes, "summary": les.summary,
                     "requires": les.requires, "path": str(f.path), "progress": round(p.fraction, 3) if p else 0.0,
                     "completed": bool(p and p.completed_at)})
    broken: list[dict[str, Any]] = [{"path": str(f.path), "id": f.id, "problems": [str(p) for p in f.problems]} for f in cat.broken]
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

    need_stdin(f"tutor plain {lesson}")
    les = obj.catalog.lesson(lesson)
    store = obj.store()
    events = Events(store, events_path, warn=warn)
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
    out: list[dict[str, Any]] = []
    for ident, p in sorted(rows.items()):
        found = lessons[ident].lesson if ident in lessons else None
        title = found.title if found else "(lesson not found)"
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
    if not yes and isatty(sys.stdin):
        click.confirm(f"Forget your progress in {lesson}?", abort=True)
    store = obj.store()
    if not store.saving:
        fail(f"tutor: cannot reset {lesson}: the progress store {store.path} cannot be written (see above).")
    if store.reset(lesson):
        click.echo(f"Progress in {lesson} reset.")
    else:
        click.echo(f"No progress in {lesson} to reset.")
