"""`tutor quiz`: take a quiz, export the gradebook."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tutor.cli.base import Context, cli, isatty, need_stdin
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


DB_HELP = ("The class's quiz store: postgresql://… for a server that grades (see README), or a SQLite file "
           "for practice (default: TUTOR_QUIZ_DB, else TUTOR_HOME/quiz.sqlite3).")


def _quiz_store(db: str | None, *, must_exist: bool = False):
    from tutor.core.quizdb import open_store

    return open_store(db, must_exist=must_exist)


def _server(db: str | None):
    from tutor.core.errors import TutorError
    from tutor.core.quizdb import is_server, open_store, resolve

    if not is_server(resolve(db)):
        raise TutorError("this command is for a PostgreSQL quiz server: give --db postgresql://… (or set TUTOR_QUIZ_DB); "
                         "a SQLite store needs no setup and has no roles")
    return open_store(db)


@quiz.command("take")
@click.argument("quiz_id", metavar="QUIZ")
@click.option("--student", help="Your student id. Required with a SQLite store; on a server you are your login, and if given it must match.")
@click.option("--plain", "plain_mode", is_flag=True, help="Line mode instead of the app.")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def quiz_take(obj: Context, quiz_id: str, student: str | None, plain_mode: bool, db: str | None) -> None:
    """Take QUIZ; leave with :quit and come back to the same numbers."""
    from tutor.core.quiz import QuizRun, check_student

    need_stdin(f"tutor quiz take {quiz_id}")
    if student is not None:
        check_student(student)
    q, cat = _quiz(obj, quiz_id)
    run = QuizRun(q, cat, student, _quiz_store(db))
    if plain_mode or not (isatty(sys.stdin) and isatty(sys.stdout)):
        from tutor.lines.quiz import QuizLines

        sys.exit(QuizLines(run).run())
    from tutor.tui.quizapp import run_quiz_app

    run_quiz_app(run)


@quiz.command("setup")
@click.option("--db", help="postgresql://… address, connecting as the lecturer (the role that will own the quiz tables).")
def quiz_setup(db: str | None) -> None:
    """Create (or update) the tables, grants, row-level security and rules on a PostgreSQL server; safe to run again."""
    from tutor.core.quizdb.pgadmin import setup

    click.echo(setup(_server(db)))


@quiz.command("enrol")
@click.argument("quiz_id", metavar="QUIZ")
@click.option("--db", help="postgresql://… address, connecting as the lecturer.")
@click.option("--roster", "roster", required=True, type=click.Path(dir_okay=False, exists=True),
              help="CSV with a header: id, and optionally name, email, section.")
@click.option("--out", "out", type=click.Path(dir_okay=False),
              help="Give new students passwords (for a central server) and write student,password here. Without it, "
                   "roles have no password: students log in by peer authentication on the lab machine.")
@click.pass_obj
def quiz_enrol(obj: Context, quiz_id: str, db: str | None, roster: str, out: str | None) -> None:
    """Register QUIZ's rules on the server and one database role per student of the roster."""
    import csv
    import os

    from tutor.core.quizdb.pgadmin import enrol, read_roster

    q, _cat = _quiz(obj, quiz_id)
    students = read_roster(Path(roster))
    store = _server(db)
    created, notes = enrol(store, q, students, passwords=bool(out))
    if out:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["student", "password"])
            w.writerows(created)
    for note in notes:
        click.echo(note, err=True)
    click.echo(f"{q.id}: {len(students)} students enrolled on {store.where} ({len(created)} new roles"
               + (f", passwords in {out}" if out else ", peer authentication") + ").")


@quiz.command("preview")
@click.argument("quiz_id", metavar="QUIZ")
@click.option("--student", required=True, help="The student whose variant to show.")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def quiz_preview(obj: Context, quiz_id: str, student: str, db: str | None) -> None:
    """A student's variant of QUIZ with the answers (for the lecturer: needs the variant secret)."""
    from tutor.cli.author import answer_lines
    from tutor.core import latex
    from tutor.core.params import fmt
    from tutor.core.preview import question_preview
    from tutor.core.quiz import build_items, check_student, lessons_of

    check_student(student)
    q, cat = _quiz(obj, quiz_id)
    store = _quiz_store(db, must_exist=True)
    items = build_items(q, cat, student, store.grading_seeds(q, student, lessons_of(q)))
    click.echo(f"{q.title} ({q.id}), as {student} sees it:")
    for it in sorted(items, key=lambda i: i.number):
        numbers = ", ".join(f"{k} = {fmt(v)}" for k, v in it.params.items()) or "no numbers"
        click.echo(f"\n{it.number}. {it.key} ({it.points:g} pt; {numbers})")
        click.echo("   " + latex.to_unicode(it.q.prompt.strip()).replace("\n", "\n   "))
        click.echo("   answer: " + latex.to_unicode(it.session.answer_text(it.q)))
        if it.q.choices:  # and each choice's verdict, as `tutor preview` shows them
            for line in answer_lines(question_preview(it.session, it.q)):
                click.echo("     " + latex.to_unicode(line))


@quiz.command("report")
@click.argument("quiz_id", metavar="QUIZ")
@click.option("--format", "fmt", type=click.Choice(["csv", "canvas", "moodle", "json", "log"]), default="csv", show_default=True,
              help="csv: per student and question; canvas/moodle: gradebook import; json: everything; log: the raw attempts.")
@click.option("--db", help=DB_HELP)
@click.option("--roster", type=click.Path(dir_okay=False, exists=True),
              help="Names, emails and sections for the export (a server has them from `enrol`).")
@click.option("--times", is_flag=True, help="Add started, finished and last-submission times (UTC) to csv, canvas and moodle.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@click.pass_obj
def quiz_report(obj: Context, quiz_id: str, fmt: str, db: str | None, roster: str | None, times: bool, output: str | None) -> None:
    """Scores re-checked from the answers the rules admit; a summary (and what was refused) on stderr."""
    from dataclasses import asdict

    from tutor.core import report
    from tutor.core.quizdb.pgadmin import read_roster

    q, cat = _quiz(obj, quiz_id)
    store = _quiz_store(db, must_exist=True)
    names = None
    if roster:
        names = {s.id: {k: v for k, v in asdict(s).items() if k != "id"} for s in read_roster(Path(roster))}
    rep = report.build(q, cat, store, names)
    text = report.render(rep, fmt, times=times)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(report.summary(rep), err=True)
