"""100 students take a quiz at once on a PostgreSQL server: nothing lost, the report right (issue 12).

Starts a throwaway server (as tests/pg do), sets up and enrols 100 password roles with the real
commands, then runs 100 `tutor quiz take --plain` processes at the same moment, each answering a
planned mix of right and wrong answers. Prints the wall time, submissions stored against those
sent, processes that failed, and whether `tutor quiz report` gives every student the planned total.

    python bench/bench_quiz_pg.py [--students 100]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pg import server as pgserver  # noqa: E402


def tutor(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, input=input, timeout=900,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100)
    n = ap.parse_args().students
    from tutor.core.loader import catalog, lesson_dirs
    from tutor.core.quiz import build_items, lessons_of
    from tutor.core.quizdb.pg import PgStore

    cat = catalog(lesson_dirs(()))
    quiz = cat.quizzes["landscapes-week1"].quiz
    keys = [f"{q.lesson}/{q.question}" for q in quiz.questions]
    srv = pgserver.start()
    tmp = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    try:
        lecturer = srv.url("lecturer", "lecturer-pw")
        students = [f"s{k:03d}" for k in range(n)]
        (tmp / "roster.csv").write_text("id,name\n" + "".join(f"{s},Student {s}\n" for s in students))
        assert tutor("quiz", "setup", "--db", lecturer).returncode == 0
        t0 = time.perf_counter()
        r = tutor("quiz", "enrol", "landscapes-week1", "--db", lecturer, "--roster", str(tmp / "roster.csv"), "--out", str(tmp / "pw.csv"))
        enrol_s = time.perf_counter() - t0
        assert r.returncode == 0, r.stderr
        passwords = {row["student"]: row["password"] for row in csv.DictReader(io.StringIO((tmp / "pw.csv").read_text()))}
        lect = PgStore(lecturer)
        plans: dict[str, tuple[str, float, int]] = {}
        for k, s in enumerate(students):
            items = build_items(quiz, cat, s, lect.grading_seeds(quiz, s, lessons_of(quiz)))
            wrong = {keys[k % len(keys)]} if k % 3 else set()
            lines, total = [], 0.0
            for it in items:
                if it.key in wrong:
                    lines += ["12345", "54321"]
                else:
                    v = it.session.expected(it.q)
                    lines.append(", ".join(repr(float(x)) for x in v) if isinstance(v, list) else repr(float(v)))
                    total += it.points
            plans[s] = ("\n".join(lines) + "\n", total, len(lines))

        def take(s: str) -> subprocess.CompletedProcess:
            return tutor("quiz", "take", "landscapes-week1", "--plain", env={"TUTOR_QUIZ_DB": srv.url(s, passwords[s]),
                                                                               "TUTOR_HOME": str(tmp / "home")}, input=plans[s][0])

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=n) as pool:
            results = list(pool.map(take, students))
        wall = time.perf_counter() - t0
        failed = [(s, r.stderr[-300:]) for s, r in zip(students, results) if r.returncode != 0 or "Quiz submitted." not in r.stdout]
        stored = lect._one("SELECT count(*) FROM tutor.submissions")[0]
        sent = sum(p[2] for p in plans.values())
        t0 = time.perf_counter()
        rep = tutor("quiz", "report", "landscapes-week1", "--db", lecturer, "--format", "csv")
        report_s = time.perf_counter() - t0
        got = {row["student"]: float(row["total"]) for row in csv.DictReader(io.StringIO(rep.stdout))}
        right = got == {s: p[1] for s, p in plans.items()}
        print(f"| students at once | wall time | submissions stored / sent | failed processes | report | report right | enrol {n} roles |")
        print("|---|---|---|---|---|---|---|")
        print(f"| {n} | {wall:.1f} s | {stored} / {sent} | {len(failed)} | {report_s:.2f} s | {'yes' if right else 'NO'} | {enrol_s:.2f} s |")
        for s, err in failed[:5]:
            print("failed:", s, err)
        if failed or stored != sent or not right:
            sys.exit(1)
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
