"""Commands for authors: check (with --watch), new, preview, schema, docs."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tutor.cli.base import Context, cli, fail

if TYPE_CHECKING:
    from tutor.core.errors import Problem
    from tutor.core.preview import QuestionPreview


# ----------------------------------------------------------------------------- check


def run_check(obj: Context, paths: Sequence[str], variants: int, no_run: bool, keys: list[Any] | None = None) -> tuple[list[Problem], int]:
    """Every problem in the files under ``paths`` (or on the lesson path), and how many files; with
    ``keys`` (a list), the right choices of every choice question per variant are collected there."""
    from tutor.core.loader import catalog, lesson_dirs
    from tutor.core.selftest import check_lesson, check_quiz

    targets = [Path(p) for p in paths] or lesson_dirs(obj.extra)
    cat = catalog(targets)
    # quizzes may refer to lessons anywhere on the lesson path
    full = catalog(list(lesson_dirs(obj.extra)) + targets) if paths else cat
    problems = list(cat.problems)
    for f in cat.files:
        if f.lesson and not f.problems and not no_run:
            problems += check_lesson(f, variants, keys)
        elif f.quiz and not f.problems:
            problems += check_quiz(f, full)
    return sorted(problems), len(cat.files)


def _report(problems: list[Problem], n: int) -> None:
    for p in problems:
        click.echo(str(p))
    files = f"{n} file{'s' * (n != 1)}"
    if problems:
        click.echo(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files}.", err=True)
    elif n == 0:
        click.echo("No lesson or quiz files (*.yaml, *.yml) found.", err=True)
    else:
        click.echo(f"{files} checked, no problems.", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--variants", default=5, show_default=True, type=click.IntRange(0, 100), help="Seeded variants to self-test.")
@click.option("--no-run", is_flag=True, help="Validate only; do not run experiments.")
@click.option("--watch", is_flag=True, help="Check again whenever a file changes, until Ctrl+C.")
@click.option("--keys", is_flag=True, help="Show, per variant, which choices of every choice question are right.")
@click.pass_obj
def check(obj: Context, paths: tuple[str, ...], variants: int, no_run: bool, watch: bool, keys: bool) -> None:
    """Validate lessons and quizzes and self-test every question.

    Prints path:line:col: message per problem; exit 0 when clean, 1 when not. A question whose
    right choices change with the parameters gets a note on stderr (not a problem); --keys shows,
    per variant, the right choices of every choice question.
    """
    from tutor.core.selftest import Key, flipping, key_table

    for p in paths:
        if not Path(p).exists():
            fail(f"tutor check: {p}: no such file or folder")
    if watch:
        watch_files(lambda: _report(*run_check(obj, paths, variants, no_run)), [Path(p) for p in paths] or _lesson_path(obj))
        return
    found: list[Key] = []
    problems, n = run_check(obj, paths, variants, no_run, found)
    for note in [] if keys else flipping(found):
        click.echo(note, err=True)
    _report(problems, n)
    for line in key_table(found) if keys else []:
        click.echo(line)
    if problems:
        sys.exit(1)


def _lesson_path(obj: Context) -> list[Path]:
    from tutor.core.paths import lesson_dirs

    return lesson_dirs(obj.extra)


def stamps(paths: Sequence[Path]) -> dict[Path, tuple[int, int]]:
    """(modification time, size) of every lesson file under ``paths``: what a save changes."""
    from tutor.core.paths import SUFFIXES

    found: dict[Path, tuple[int, int]] = {}
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            if f.suffix in SUFFIXES:
                try:
                    st = f.stat()
                except OSError:  # deleted between listing and stat: the next poll sees it gone
                    continue
                found[f] = (st.st_mtime_ns, st.st_size)
    return found


def watch_files(check_once: Callable[[], None], paths: Sequence[Path], interval: float = 0.3,
                wait: Callable[[float], None] = time.sleep) -> None:
    """Run ``check_once`` now and after every change to the files under ``paths``, until Ctrl+C.

    Polls modification times: a few stat calls per interval for a folder of lessons, no
    dependency, and it works the same on every platform, network drives included (where
    inotify-style events often do not arrive). Editors that save by writing a new file and
    renaming it are seen too, because the path's time and size are compared, not a handle's.
    """
    tty = sys.stdout.isatty()
    try:
        seen = stamps(paths)
        while True:
            if tty:
                click.clear()
            click.echo(f"── tutor check  {time.strftime('%H:%M:%S')}  ({len(seen)} file{'s' * (len(seen) != 1)})")
            check_once()
            click.echo("Watching for changes; Ctrl+C to stop.", err=True)
            sys.stdout.flush()
            while True:
                wait(interval)
                now = stamps(paths)
                if now != seen:
                    seen = now
                    wait(interval / 3)  # let an editor finish writing before reading
                    seen = stamps(paths)
                    break
    except KeyboardInterrupt:
        click.echo("Stopped watching.", err=True)


# ----------------------------------------------------------------------------- new


@cli.group()
def new() -> None:
    """Start a new lesson or quiz file that already passes `tutor check`."""


def _write_new(kind: str, ident: str, directory: str, force: bool, body: str, schema_url: str | None) -> Path:
    import re

    from tutor.core import jsonschema

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", ident):
        fail(f"tutor new {kind}: {ident!r} is not a valid id: use lower-case letters, digits, - and _ (at most 64)")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ident}.yaml"
    if path.exists() and not force:
        fail(f"tutor new {kind}: {path} exists; pick another id or pass --force to overwrite it")
    if schema_url is None:
        schema_file = folder / f"{kind}.schema.json"
        schema_file.write_text(jsonschema.shipped(kind).read_text(encoding="utf-8"), encoding="utf-8")
        schema_url = f"./{schema_file.name}"
    path.write_text(f"# yaml-language-server: $schema={schema_url}\n{body}", encoding="utf-8")
    click.echo(f"Wrote {path}" + ("" if schema_url.startswith(("http:", "https:", "/")) else f" and {folder / schema_url[2:]}"))
    return path


_SCHEMA_HELP = "Where the editor finds the JSON Schema (a URL or path); default: a copy written beside the file."


@new.command("lesson")
@click.argument("ident", metavar="ID")
@click.option("--dir", "directory", default=".", show_default=True, type=click.Path(file_okay=False), help="Folder to write into.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--schema-url", default=None, metavar="URL", help=_SCHEMA_HELP)
def new_lesson(ident: str, directory: str, force: bool, schema_url: str | None) -> None:
    """Write ID.yaml: a short lesson with a parameter, a prediction, an experiment and a computed question."""
    from tutor.cli.templates import LESSON, title_of

    body = LESSON.format(id=ident, title=title_of(ident), filename=f"{ident}.yaml")
    path = _write_new("lesson", ident, directory, force, body, schema_url)
    click.echo(f"Next: `tutor check --watch {path}` in one terminal, your editor in another.")


@new.command("quiz")
@click.argument("ident", metavar="ID")
@click.option("--dir", "directory", default=".", show_default=True, type=click.Path(file_okay=False), help="Folder to write into.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--schema-url", default=None, metavar="URL", help=_SCHEMA_HELP)
@click.pass_obj
def new_quiz(obj: Context, ident: str, directory: str, force: bool, schema_url: str | None) -> None:
    """Write ID.yaml: a quiz over the questions of the lessons in the folder (or the built-in ones)."""
    from tutor.cli.templates import QUIZ, title_of
    from tutor.core.loader import catalog, lesson_dirs

    local = catalog([Path(directory)]) if Path(directory).is_dir() else None
    cat = local if local and local.lessons else catalog(lesson_dirs(obj.extra))
    picks: list[tuple[str, str]] = []
    for lid, f in cat.lessons.items():
        assert f.lesson is not None
        picks += [(lid, qid) for qid in list(f.lesson.questions())[:2]]
        if len(picks) >= 3:
            break
    if not picks:
        fail("tutor new quiz: no lesson with questions found; write a lesson first (`tutor new lesson ID`)")
    rows = "".join(f"  - {{lesson: {lid}, question: {qid}, points: 1}}\n" for lid, qid in picks[:3])
    body = QUIZ.format(id=ident, title=title_of(ident), filename=f"{ident}.yaml", questions=rows)
    path = _write_new("quiz", ident, directory, force, body, schema_url)
    target = path.parent if local and local.lessons else path
    click.echo(f"Next: `tutor check {target}`; see a lesson's questions and answers with `tutor preview LESSON`.")


# ----------------------------------------------------------------------------- preview


@cli.command()
@click.argument("lesson")
@click.option("--seed", type=int, default=None, help="The variant drawn with this seed (default: the parameters' defaults).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def preview(obj: Context, lesson: str, seed: int | None, as_json: bool) -> None:
    """A variant of LESSON worked out: its numbers, every answer, every choice's verdict.

    For authors and lecturers: nothing is recorded.
    """
    from tutor.core.preview import preview as build

    p = build(obj.catalog.lesson(lesson), seed)
    if as_json:
        click.echo(json.dumps(p.to_json(), indent=2, default=str))
        return
    from tutor.core.params import fmt

    variant = "the defaults" if seed is None else f"seed {seed}"
    click.echo(f"{p.title}  ({p.id}, {variant})")
    if p.params:
        click.echo("Parameters: " + ", ".join(f"{k} = {fmt(v)}" for k, v in p.params.items()))
    for e in p.experiments:
        click.echo(f"\nExperiment {e.id}: {e.run} on {e.problem}")
        if e.error:
            click.echo(f"  FAILS: {e.error}")
        width = max((len(k) for k, _ in e.summary), default=0)
        for k, v in e.summary:
            click.echo(f"  {k.ljust(width)}  {v}")
    for q in p.questions:
        tags = [q.kind] + (["prediction"] if q.prediction else []) + ([f"decided by {q.decided_by}"] if q.decided_by else [])
        click.echo(f"\nQuestion {q.id} ({', '.join(tags)})")
        click.echo(f"  {q.prompt.strip().splitlines()[0] if q.prompt.strip() else ''}")
        for line in answer_lines(q):
            click.echo(f"  {line}")


def answer_lines(q: QuestionPreview) -> list[str]:
    """A question's right answer, or each choice with its verdict (shared with `tutor quiz preview`)."""
    if q.error:
        return [f"CANNOT BE ANSWERED: {q.error}"]
    lines = []
    for c in q.choices:
        rule = f"   [correct_if: {c.rule}]" if c.rule else ""
        lines.append(f"{c.number}. {'right' if c.right else 'wrong':5s}  {c.text}{rule}")
    if not q.choices:
        lines.append(f"answer: {q.answer}" + (f"   (tolerance {q.tolerance})" if q.tolerance else ""))
    return lines


# ----------------------------------------------------------------------------- schema, docs


@cli.command()
@click.option("--kind", type=click.Choice(["lesson", "quiz", "both"]), default="both", show_default=True)
def schema(kind: str) -> None:
    """JSON Schema of lesson and quiz files, for editors."""
    from tutor.core import jsonschema

    click.echo(jsonschema.text(kind), nl=False)


@cli.command()
@click.argument("page", type=click.Choice(["guide", "format", "reference", "where"]), default="where")
def docs(page: str) -> None:
    """The authors' docs: guide, format, reference (generated from the installed tutor), or where they are."""
    from tutor import docs as D

    if page == "reference":
        click.echo(D.reference(), nl=False)
        return
    from tutor.core.paths import builtin_lessons_dir

    folder = D.docs_dir()
    if page == "where":
        click.echo(f"{folder}\n  guide.md      from an empty file to a lesson and a quiz\n"
                   "  format.md     every key of lesson and quiz files\n"
                   "  reference.md  every problem and tool: options, bounds, values\n"
                   f"{builtin_lessons_dir()}\n  the built-in lessons, examples of everything in use")
        return
    path = folder / f"{page}.md"
    if not path.is_file():
        fail(f"tutor docs: {path} is missing from this installation")
    click.echo(path.read_text(encoding="utf-8"), nl=False)
