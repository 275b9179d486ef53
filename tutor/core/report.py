"""Gradebook export: the answers the rules admit, re-checked against each student's own numbers.

The report trusts neither the recorded "correct" flag nor, on a SQLite store, the rows themselves:
a submission from an unusable or unenrolled id, to a question the quiz does not have, without a
start, before the start, after the time limit or after finishing, beyond the attempts, or to other
numbers than the student's is refused and listed, not graded. Every exported cell that a
spreadsheet would run as a formula (``= + - @``, tab, carriage return) is neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from tutor.core.loader import Catalog
from tutor.core.models import Quiz
from tutor.core.numbers import number
from tutor.core.quiz import STUDENT_ID, Item, build_items, lessons_of, regrade
from tutor.core.quizdb.base import GradeSource

FORMATS = ("csv", "canvas", "moodle", "json", "log")
GRACE = 2.0  # seconds: a submission checked just before the deadline is stored a moment after it
RISKY = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading ' before anything it would evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(RISKY) else text


def when(t: float | None) -> str:
    return "" if t is None else datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def admit(quiz: Quiz, rows: list[dict[str, Any]], runs: dict[str, dict[str, Any]], roster: dict[str, dict[str, str]],
          items_for: Callable[[str], list[Item]], rules: dict[str, Any] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split the stored rows into those the quiz's rules admit and those refused (with the reason)."""
    rules = rules or {}
    attempts = int(rules.get("attempts") or quiz.quiz.attempts)
    limit = rules.get("time_limit", quiz.quiz.time_limit)
    keys = {f"{q.lesson}/{q.question}" for q in quiz.questions}
    used: dict[tuple[str, str], int] = {}
    admitted, refused = [], []
    for n, r in enumerate(rows):
        student, run = r["student"], runs.get(r["student"])
        item = None
        why = ""
        if not STUDENT_ID.fullmatch(student or ""):
            why = "not a usable student id"
        elif roster and student not in roster:
            why = "not on the roster"
        elif r["question"] not in keys:
            why = "not a question of this quiz"
        elif run is None:
            why = "no start recorded for this student"
        elif not isinstance(r["submitted_at"], (int, float)) or r["submitted_at"] < run["started_at"]:
            why = "submitted before the recorded start"
        elif limit is not None and r["submitted_at"] > run["started_at"] + limit * 60 + GRACE:
            why = f"submitted {(r['submitted_at'] - run['started_at']) / 60:.1f} min after the start, over the {limit:g}-min limit"
        elif run.get("finished_at") is not None and r["submitted_at"] > run["finished_at"] + GRACE:
            why = "submitted after the quiz was handed in"
        elif used.get((student, r["question"]), 0) >= attempts or r.get("attempt") != used.get((student, r["question"]), 0) + 1:
            why = f"attempt {r.get('attempt')} is not the next of the {attempts} allowed"
        else:
            item = next(it for it in items_for(student) if it.key == r["question"])
            if (r.get("seed") is not None and r["seed"] != item.seed) or (r.get("params") is not None and r["params"] != item.params):
                why = "answered other numbers than this student's"
        if why:
            refused.append({**r, "refused": why, "row": n})
        else:
            used[(student, r["question"])] = used.get((student, r["question"]), 0) + 1
            admitted.append(r)
    return admitted, refused


def build(quiz: Quiz, cat: Catalog, store: GradeSource, roster: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    rows = store.all_submissions(quiz.id)
    runs = store.runs(quiz.id)
    roster = roster if roster is not None else store.roster(quiz.id)
    rules = getattr(store, "rules", lambda _q: None)(quiz.id)
    cache: dict[str, list[Item]] = {}

    def items_for(student: str) -> list[Item]:
        if student not in cache:
            cache[student] = build_items(quiz, cat, student, store.grading_seeds(quiz, student, lessons_of(quiz)))
        return cache[student]

    admitted, refused = admit(quiz, rows, runs, roster, items_for, rules)
    grades = regrade(quiz, cat, admitted, items_for)
    keys = [f"{q.lesson}/{q.question}" for q in quiz.questions]
    possible = sum(q.points for q in quiz.questions)
    known = [s for s in runs if STUDENT_ID.fullmatch(s) and (not roster or s in roster)]
    for student in [*known, *roster]:
        grades.setdefault(student, {"scores": dict.fromkeys(keys, 0.0), "total": 0.0, "attempts": 0})
    strays = sorted(s for s in runs if s not in grades)
    last: dict[str, float] = {}
    for r in admitted:
        last[r["student"]] = max(last.get(r["student"], 0.0), r["submitted_at"])
    students = {s: {**g, **runs.get(s, {"started_at": None, "finished_at": None}), "last_submitted_at": last.get(s),
                    **roster.get(s, {})} for s, g in sorted(grades.items())}
    return {"quiz": quiz.id, "title": quiz.title, "questions": keys, "possible": possible,
            "points": {f"{q.lesson}/{q.question}": q.points for q in quiz.questions},
            "students": students, "log": rows, "refused": refused, "unknown_students": strays}


def _num(x: float) -> str:
    return number(x)  # the one formatter a learner's scores are shown with


TIMES = ["started_at", "finished_at", "last_submitted_at"]


def render(report: dict[str, Any], fmt: str, *, times: bool = False) -> str:
    out = io.StringIO()
    students = report["students"]
    keys = report["questions"]
    if fmt == "json":
        return json.dumps(report, indent=2, default=str) + "\n"
    raw = csv.writer(out, lineterminator="\n")

    def row(cells: list[Any], g: dict[str, Any] | None = None) -> None:
        extra = ([when(g.get(t)) for t in TIMES] if g is not None else TIMES) if times else []
        raw.writerow([neutral(c) for c in [*cells, *extra]])

    if fmt == "csv":
        row(["student", *keys, "total", "possible"])
        for s, g in students.items():
            row([s, *(_num(g["scores"].get(k, 0.0)) for k in keys), _num(g["total"]), _num(report["possible"])], g)
    elif fmt == "canvas":
        # Canvas imports: Student, ID, SIS User ID, SIS Login ID, Section, then one column per assignment;
        # a second row may give "Points Possible".
        row(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", f"{report['title']} ({report['quiz']})"])
        raw.writerow([neutral(c) for c in ["Points Possible", "", "", "", "", _num(report["possible"])]] + [""] * (3 if times else 0))
        for s, g in students.items():
            row([g.get("name") or s, s, s, g.get("email") or s, g.get("section", ""), _num(g["total"])], g)
    elif fmt == "moodle":
        # Moodle's grade import maps an identifier column (username, ID number or email) to users
        row(["Username", "ID number", "Email address", "Full name", report["title"]])
        for s, g in students.items():
            row([s, s, g.get("email", ""), g.get("name", ""), _num(g["total"])], g)
    elif fmt == "log":
        refused = {r["row"]: r["refused"] for r in report["refused"]}
        raw.writerow([neutral(c) for c in ["student", "question", "attempt", "params", "answer", "recorded_correct", "submitted_at", "counted"]])
        for n, r in enumerate(report["log"]):
            why = refused.get(n)
            raw.writerow([neutral(c) for c in [r["student"], r["question"], r.get("attempt"), json.dumps(r.get("params")), r["answer"],
                                                int(r["recorded_correct"]), when(r["submitted_at"]) if isinstance(r["submitted_at"], (int, float)) else r["submitted_at"],
                                                "refused: " + why if why else "yes"]])
    else:
        raise ValueError(fmt)
    return out.getvalue()


def summary(report: dict[str, Any]) -> str:
    students = report["students"]
    lines: list[str] = []
    if not students:
        lines.append(f"{report['title']}: no submissions yet.")
    else:
        totals = [g["total"] for g in students.values()]
        lines += [f"{report['title']} ({report['quiz']}): {len(totals)} student{'s' * (len(totals) != 1)}, out of {_num(report['possible'])} points",
                  f"  mean {statistics.mean(totals):.2f}   spread (sd) {statistics.pstdev(totals):.2f}   min {_num(min(totals))}   max {_num(max(totals))}",
                  "  questions, hardest first:"]
        rates = []
        for k in report["questions"]:
            got = sum(1 for g in students.values() if g["scores"].get(k, 0) > 0)
            rates.append((got / len(students), k))
        for rate, k in sorted(rates):
            lines.append(f"    {rate * 100:5.1f}% right  {k}")
    refused = report["refused"]
    if refused:
        lines.append(f"  REFUSED {len(refused)} stored submission{'s' * (len(refused) != 1)} (not graded; --format log marks them):")
        for r in refused[:10]:
            lines.append(f"    {r['student'][:40]!r} {r['question'][:60]} attempt {r.get('attempt')}: {r['refused']}")
        if len(refused) > 10:
            lines.append(f"    … and {len(refused) - 10} more")
    if report["unknown_students"]:
        lines.append(f"  IGNORED start records of unknown ids: {', '.join(repr(s[:40]) for s in report['unknown_students'][:10])}")
    return "\n".join(lines)
