"""One lab machine: peer authentication over the local socket makes the login account the role.
Students run the real `tutor` command as their own OS accounts (created here; needs root, as CI has)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

from tests.conftest import LESSONS, tutor, write
from tests.pg import server as pgserver
from tutor.core import report
from tutor.core.loader import catalog
from tutor.core.quiz import build_items, lessons_of
from tutor.core.quizdb.pg import PgStore

CAT = catalog([LESSONS])
QUIZ = CAT.quizzes["landscapes-week1"].quiz
LAB = ("tqlab1", "tqlab2")


@pytest.fixture(scope="module")
def lab(pg, tmp_path_factory):
    if not pgserver.is_root():
        if os.environ.get("CI"):
            pytest.fail("peer-authentication tests need root in CI (to create the students' OS accounts)")
        pytest.skip("peer authentication needs OS accounts for the students: run as root (CI does)")
    made = [u for u in LAB if pgserver.ensure_os_user(u)]
    tmp = tmp_path_factory.mktemp("lab")
    lecturer = pg.url("lecturer")  # peer as well: the test account is mapped to the lecturer role
    roster = write(tmp / "roster.csv", "id,name\n" + "".join(f"{u},Student {u}\n" for u in LAB))
    for cmd in (["quiz", "setup", "--db", lecturer], ["quiz", "enrol", "landscapes-week1", "--db", lecturer, "--roster", str(roster)]):
        r = tutor(*cmd)
        assert r.returncode == 0, r.stderr
    homes = {}
    for u in LAB:
        homes[u] = tempfile.mkdtemp(prefix=f"tutor-{u}-")
        shutil.chown(homes[u], u)
    yield {"lecturer": lecturer, "pg": pg, "homes": homes}
    for h in homes.values():
        shutil.rmtree(h, ignore_errors=True)
    for u in made:
        subprocess.run(["userdel", u], capture_output=True)


def take_as(lab, user: str, student: str | None = None, db: str | None = None, *, input: str) -> tuple[int, str]:
    """Run the quiz client (QuizRun and plain mode, as `tutor quiz take --plain` does) in a child
    process that has become the OS user ``user``: the server sees that account on its socket.

    A fork rather than `runuser python …`: the interpreter may live where students cannot read
    it (a root-only pyenv); everything the child needs is loaded before it gives up root."""
    import io
    import pwd

    from tutor.core.errors import TutorError
    from tutor.core.quiz import QuizRun, context
    from tutor.lines.lesson import LessonLines
    from tutor.lines.quiz import QuizLines

    # load now what the child would import lazily (plotext, _strptime, ...): after setuid it may not
    # be able to read the interpreter's folder
    for it in build_items(QUIZ, CAT, user, PgStore(lab["lecturer"]).grading_seeds(QUIZ, user, lessons_of(QUIZ))):
        for step in context(it):
            if step.experiment is not None:
                LessonLines(it.session, io.StringIO(), io.StringIO(), width=80, echo=False).experiment(step.experiment.id)
    pw = pwd.getpwnam(user)
    url = db or lab["pg"].url(user).replace(f"{user}@", "")  # no user in the address: libpq asks the OS
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become the student, take the quiz, report through the pipe
        code, out = 3, io.StringIO()
        try:
            os.close(rfd)
            os.setgroups([])
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
            os.environ.update(HOME=lab["homes"][user], TUTOR_HOME=lab["homes"][user], USER=user, PGUSER=user)
            run = QuizRun(QUIZ, CAT, student, PgStore(url))
            code = QuizLines(run, inp=io.StringIO(input), out=out, echo=True).run()
        except TutorError as exc:
            out.write(f"tutor: {exc}\n")
            code = 2
        except BaseException as exc:  # anything else is reported to the parent
            out.write(f"crash: {type(exc).__name__}: {exc}\n")
        finally:
            os.write(wfd, out.getvalue().encode())
            os._exit(code)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as f:
        text = f.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), text


def test_the_login_account_is_the_student(lab):
    lect = PgStore(lab["lecturer"])
    items = build_items(QUIZ, CAT, "tqlab1", lect.grading_seeds(QUIZ, "tqlab1", lessons_of(QUIZ)))
    answers = []
    for it in items:
        v = it.session.expected(it.q)
        answers.append(", ".join(repr(float(x)) for x in v) if isinstance(v, list) else repr(float(v)))
    code, out = take_as(lab, "tqlab1", input="\n".join(answers) + "\n")
    assert code == 0, out
    assert "student tqlab1" in out and "Score: 7 of 7." in out
    grades = report.build(QUIZ, CAT, lect)["students"]
    assert grades["tqlab1"]["total"] == 7 and grades["tqlab2"]["total"] == 0


def test_a_student_cannot_log_in_as_a_classmate(lab):
    before = report.render(report.build(QUIZ, CAT, PgStore(lab["lecturer"])), "csv")
    code, out = take_as(lab, "tqlab2", student="tqlab1", input="1\n")
    assert code == 2 and "connected to the quiz server as tqlab2" in out, out
    # naming the classmate's role in the address: peer authentication refuses it
    code, out = take_as(lab, "tqlab2", db=lab["pg"].url("tqlab1"), input="1\n")
    assert code == 2 and "cannot connect to the quiz server" in out and "Peer authentication failed" in out, out
    assert report.render(report.build(QUIZ, CAT, PgStore(lab["lecturer"])), "csv") == before
