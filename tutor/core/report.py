"""Gradebook export: scores re-checked from the raw answers, in the forms lecturers import."""

from __future__ import annotations

import csv
import io
import json
import statistics
from typing import Any

from tutor.core.loader import Catalog
from tutor.core.models import Quiz
from tutor.core.quiz import regrade
from tutor.core.quizstore import QuizStore

FORMATS = ("csv", "canvas", "moodle", "json", "log")


def build(quiz: Quiz, cat: Catalog, store: QuizStore) -> dict[str, Any]:
    rows = store.all_submissions(quiz.id)
    grades = regrade(quiz, cat, rows)
    runs = store.runs(quiz.id)
    keys = [f"{q.lesson}/{q.question}" for q in quiz.questions]
    possible = sum(q.points for q in quiz.questions)
    for student in runs:
        grades.setdefault(student, {"scores": dict.fromkeys(keys, 0.0), "total": 0.0, "attempts": 0})
    return {"quiz": quiz.id, "title": quiz.title, "questions": keys, "possible": possible,
            "points": {f"{q.lesson}/{q.question}": q.points for q in quiz.questions},
            "students": {s: {**g, **runs.get(s, {})} for s, g in sorted(grades.items())}, "log": rows}


def _num(x: float) -> str:
    return f"{x:g}"


def render(report: dict[str, Any], fmt: str) -> str:
    out = io.StringIO()
    students = report["students"]
    keys = report["questions"]
    if fmt == "json":
        return json.dumps(report, indent=2, default=str) + "\n"
    w = csv.writer(out, lineterminator="\n")
    if fmt == "csv":
        w.writerow(["student", *keys, "total", "possible"])
        for s, g in students.items():
            w.writerow([s, *(_num(g["scores"].get(k, 0.0)) for k in keys), _num(g["total"]), _num(report["possible"])])
    elif fmt == "canvas":
        # Canvas imports: Student, ID, SIS User ID, SIS Login ID, Section, then one column per assignment;
        # a second row may give "Points Possible".
        column = f"{report['title']} ({report['quiz']})"
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column])
        w.writerow(["Points Possible", "", "", "", "", _num(report["possible"])])
        for s, g in students.items():
            w.writerow(["", "", s, s, "", _num(g["total"])])
    elif fmt == "moodle":
        # Moodle's grade import maps an identifier column (here the username) to users
        w.writerow(["Username", report["title"]])
        for s, g in students.items():
            w.writerow([s, _num(g["total"])])
    elif fmt == "log":
        w.writerow(["student", "question", "attempt", "seed", "answer", "recorded_correct", "submitted_at"])
        for r in report["log"]:
            w.writerow([r["student"], r["question"], r["attempt"], r["seed"], r["answer"], int(r["recorded_correct"]), f"{r['submitted_at']:.3f}"])
    else:
        raise ValueError(fmt)
    return out.getvalue()


def summary(report: dict[str, Any]) -> str:
    students = report["students"]
    if not students:
        return f"{report['title']}: no submissions yet."
    totals = [g["total"] for g in students.values()]
    lines = [f"{report['title']} ({report['quiz']}): {len(totals)} student{'s' * (len(totals) != 1)}, out of {_num(report['possible'])} points",
             f"  mean {statistics.mean(totals):.2f}   spread (sd) {statistics.pstdev(totals):.2f}   min {_num(min(totals))}   max {_num(max(totals))}",
             "  questions, hardest first:"]
    rates = []
    for k in report["questions"]:
        got = sum(1 for g in students.values() if g["scores"].get(k, 0) > 0)
        rates.append((got / len(students), k))
    for rate, k in sorted(rates):
        lines.append(f"    {rate * 100:5.1f}% right  {k}")
    return "\n".join(lines)
