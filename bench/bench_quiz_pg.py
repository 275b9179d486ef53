"""100 students take a quiz at once on a PostgreSQL server: nothing lost, the report right (issue 12).

Starts a throwaway server (as tests/pg do), sets up and enrols 100 password roles with the real
commands, then has all 100 students take the quiz at the same moment, each over their own
connection in plain mode (QuizRun + QuizLines, what `tutor quiz take --plain` runs), answering a
planned mix of right and wrong answers. The students are spread over --processes worker processes
(threads inside each), because 100 Python processes with numpy need more memory than a shared
2-core machine has; `--processes 100` gives one process per student. Prints the wall time,
submissions stored against those sent, students who failed, and whether `tutor quiz report` gives
every student the planned total.

    python bench/bench_quiz_pg.py [--students 100] [--processes 4]
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


def worker() -> None:
    """Take the quiz for each (student, url, answers) read from stdin, all at once, one thread each."""
    import json
    import threading

    from tutor.core.loader import catalog, lesson_dirs
    from tutor.core.quiz import QuizRun
    from tutor.core.quizdb.pg import PgStore
    from tutor.lines.quiz import QuizLines
    from tutor.main import install_runner

    install_runner()
    # plotext draws on one global figure: the students of this process take turns at drawing (each
    # student of a real class is a process of their own)
    from tutor.plots import render

    drawing, to_text = threading.Lock(), render.to_text

    def one_at_a_time(*args: object, **kw: object) -> str:
        with drawing:
            return to_text(*args, **kw)  # type: ignore[arg-type]

    render.to_text = one_at_a_time  # type: ignore[assignment]
    cat = catalog(lesson_dirs(()))
    quiz = cat.quizzes["landscapes-week1"].quiz
    jobs = json.loads(sys.stdin.read())
    out: dict[str, str] = {}
    barrier = threading.Barrier(len(jobs))

    def take(student: str, url: str, answers: str) -> None:
        text = io.StringIO()
        try:
            store = PgStore(url)
            barrier.wait()
            QuizLines(QuizRun(quiz, cat, None, store), inp=io.StringIO(answers), out=text, echo=False).run()
            out[student] = text.getvalue()
        except Exception as exc:  # reported, and counted as a failure
            out[student] = f"FAILED {type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=take, args=tuple(j)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(out))


def main() -> None:
    import json

    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100)
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker()
    n = args.students
    from tutor.main import install_runner

    install_runner()
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

        k = max(1, min(args.processes, n))
        groups = [students[i::k] for i in range(k)]

        def run_group(group: list[str]) -> dict[str, str]:
            jobs = [(s, srv.url(s, passwords[s]), plans[s][0]) for s in group]
            r = subprocess.run([sys.executable, __file__, "--worker"], input=json.dumps(jobs), capture_output=True, text=True,
                               timeout=900, env={**os.environ, "TUTOR_HOME": str(tmp / "home")})
            return json.loads(r.stdout) if r.returncode == 0 else dict.fromkeys(group, "FAILED " + r.stderr[-300:])

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=k) as pool:
            results = {s: text for part in pool.map(run_group, groups) for s, text in part.items()}
        wall = time.perf_counter() - t0
        failed = [(s, results.get(s, "missing")[-300:]) for s in students if "Quiz submitted." not in results.get(s, "")]
        stored = lect._one("SELECT count(*) FROM tutor.submissions")[0]
        sent = sum(p[2] for p in plans.values())
        t0 = time.perf_counter()
        rep = tutor("quiz", "report", "landscapes-week1", "--db", lecturer, "--format", "csv")
        report_s = time.perf_counter() - t0
        got = {row["student"]: float(row["total"]) for row in csv.DictReader(io.StringIO(rep.stdout))}
        right = got == {s: p[1] for s, p in plans.items()}
        print(f"| students at once (processes) | wall time | submissions stored / sent | students failed | report | report right | enrol {n} roles |")
        print("|---|---|---|---|---|---|---|")
        print(f"| {n} ({k}) | {wall:.1f} s | {stored} / {sent} | {len(failed)} | {report_s:.2f} s | {'yes' if right else 'NO'} | {enrol_s:.2f} s |")
        for s, err in failed[:5]:
            print("failed:", s, err)
        if failed or stored != sent or not right:
            sys.exit(1)
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
