"""`tutor quiz`: take a quiz, export the gradebook."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tutor.cli.base import Context, _problem, cli
from tutor.core.errors import LessonError


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
