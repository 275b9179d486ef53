"""Students on a real PostgreSQL server try every tampering of the reliability review (S1–S3, S9):
the server refuses each one, and the lecturer's report is the same after every attempt."""

from __future__ import annotations

import csv
import io
import threading

import psycopg
import pytest

from tests.conftest import LESSONS, tutor, write
from tutor.core import report
from tutor.core.errors import TutorError
from tutor.core.loader import catalog
from tutor.core.params import seed_of
from tutor.core.quiz import QuizRun, TimeUp, build_items, lessons_of
from tutor.core.quizdb.pg import PgStore

CAT = catalog([LESSONS])
QUIZ = CAT.quizzes["landscapes-week1"].quiz
STUDENTS = ("alice", "bob", "mallory")


def right(item) -> str:
    v = item.session.expected(item.q)
    return ", ".join(repr(float(x)) for x in v) if isinstance(v, list) else repr(float(v))


@pytest.fixture(scope="module")
def course(pg, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("course")
    lecturer = pg.url("lecturer", "lecturer-pw")
    roster = write(tmp / "roster.csv", "id,name,email,section\nalice,Alice Ames,alice@uni.example,L1\n"
                   "bob,Bob Brown,bob@uni.example,L2\nmallory,Mallory M,mallory@uni.example,L1\n")
    for cmd in (["quiz", "setup", "--db", lecturer],
                ["quiz", "enrol", "landscapes-week1", "--db", lecturer, "--roster", str(roster), "--out", str(tmp / "pw.csv")]):
        r = tutor(*cmd)
        assert r.returncode == 0, r.stderr
    passwords = {row["student"]: row["password"] for row in csv.DictReader(io.StringIO((tmp / "pw.csv").read_text()))}
    assert set(passwords) == set(STUDENTS) and all(len(p) >= 12 for p in passwords.values())
    urls = {s: pg.url(s, passwords[s]) for s in STUDENTS}
    # bob answers everything right; mallory gets her first question wrong once
    bob = QuizRun(QUIZ, CAT, None, PgStore(urls["bob"]))
    for it in bob.items:
        assert bob.submit(it, right(it)).verdict.correct
    mal = QuizRun(QUIZ, CAT, None, PgStore(urls["mallory"]))
    assert not mal.submit(mal.items[0], "12345").verdict.correct
    return {"lecturer": lecturer, "urls": urls, "pg": pg, "tmp": tmp}


def gradebook(course) -> str:
    store = PgStore(course["lecturer"])
    rep = report.build(QUIZ, CAT, store)
    return report.render(rep, "csv", times=True) + report.render(rep, "log") + repr(rep["refused"])


def student_sql(course, who: str, sql: str, args=()):
    with psycopg.connect(course["urls"][who], autocommit=True) as c:
        cur = c.execute(sql, args)
        return cur.fetchall() if cur.description else None


def test_the_baseline_report(course):
    r = tutor("quiz", "report", "landscapes-week1", "--db", course["lecturer"], "--format", "canvas")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    by_id = {row[1]: row for row in rows[2:]}
    assert by_id["bob"][0] == "Bob Brown" and by_id["bob"][3] == "bob@uni.example" and by_id["bob"][4] == "L2"
    assert by_id["bob"][5] == "7" and by_id["mallory"][5] == "0" and by_id["alice"][5] == "0"
    assert "REFUSED" not in r.stderr


TAMPERINGS = {
    "lower a classmate's answers": ("mallory", "UPDATE tutor.submissions SET answer = '0' WHERE student = 'bob'"),
    "raise one's own answer": ("mallory", "UPDATE tutor.submissions SET answer = '1', correct = true WHERE student = 'mallory'"),
    "delete a classmate's rows": ("mallory", "DELETE FROM tutor.submissions WHERE student = 'bob'"),
    "delete one's own start to reset the clock": ("mallory", "DELETE FROM tutor.runs WHERE student = 'mallory'"),
    "move one's own start later": ("mallory", "UPDATE tutor.runs SET started_at = now() + interval '1 hour'"),
    "empty the table": ("mallory", "TRUNCATE tutor.submissions"),
    "add a fake student": ("mallory", "INSERT INTO tutor.runs (quiz, student) VALUES ('landscapes-week1', '=HYPERLINK(\"http://evil.example\",\"Bob\")')"),
    "answer in a classmate's name": ("mallory", "INSERT INTO tutor.submissions (quiz, student, question, attempt, answer, correct) "
                                                "VALUES ('landscapes-week1', 'alice', 'tour/x', 1, '0', false)"),
    "give oneself 20 attempts": ("mallory", "UPDATE tutor.quizzes SET attempts = 20"),
    "lift the time limit": ("mallory", "UPDATE tutor.quizzes SET time_limit = NULL"),
    "read the variant secret": ("mallory", "SELECT key FROM tutor.secret"),
    "compute a classmate's seed with the secret function": ("mallory", "SELECT tutor.hmac63('\\x00'::bytea, 'x')"),
    "switch the triggers off": ("mallory", "SET session_replication_role = replica"),
    "drop the guard": ("mallory", "DROP TRIGGER guard ON tutor.submissions"),
    "become a classmate": ("mallory", "SET ROLE bob"),
    "enrol a friend": ("mallory", "INSERT INTO tutor.roster (quiz, student) VALUES ('landscapes-week1', 'friend')"),
    "create a role": ("mallory", "CREATE ROLE friend LOGIN PASSWORD 'x'"),
    "bulk-load rows": ("mallory", "COPY tutor.submissions (quiz, student, question, attempt, answer, correct) FROM STDIN"),
}


@pytest.mark.parametrize("what", list(TAMPERINGS))
def test_each_tampering_is_refused_and_the_report_is_unchanged(course, what):
    before = gradebook(course)
    who, sql = TAMPERINGS[what]
    with pytest.raises(psycopg.Error) as err:
        student_sql(course, who, sql)
    assert err.value.sqlstate in ("42501", "42P01", "42883", "0A000", "TQ001", "TQ002", "TQ003"), (what, err.value.sqlstate, err.value)
    assert gradebook(course) == before, what


def test_students_read_only_their_own_rows(course):
    before = gradebook(course)
    assert {r[0] for r in student_sql(course, "mallory", "SELECT student FROM tutor.submissions")} == {"mallory"}
    assert student_sql(course, "alice", "SELECT * FROM tutor.submissions") == []
    assert {r[0] for r in student_sql(course, "mallory", "SELECT student FROM tutor.roster")} == {"mallory"}
    assert {r[0] for r in student_sql(course, "mallory", "SELECT student FROM tutor.runs")} == {"mallory"}
    with pytest.raises(psycopg.errors.UndefinedColumn):
        student_sql(course, "mallory", "SELECT seed FROM tutor.submissions")  # no seed to replay in `tutor plain --seed`
    # SET ROLE to the group does not make the others' rows visible: the rules use session_user
    with psycopg.connect(course["urls"]["mallory"], autocommit=True) as c:
        c.execute("SET ROLE tutor_student")
        assert c.execute("SELECT count(*) FROM tutor.submissions WHERE student = 'bob'").fetchone() == (0,)
    assert gradebook(course) == before


def test_seeds_come_from_the_secret_and_only_ones_own(course):
    lect = PgStore(course["lecturer"])
    names = lessons_of(QUIZ)
    mine = PgStore(course["urls"]["alice"]).seeds(QUIZ, "alice", names)
    assert mine == lect.grading_seeds(QUIZ, "alice", names), "the server's HMAC and the report's agree"
    assert mine != lect.grading_seeds(QUIZ, "bob", names)
    assert all(mine[n] != seed_of(QUIZ.id, "alice", n) for n in names), "not the public seed the package could compute"
    # asking for bob's seeds as alice gives alice's: the function uses the login, not an argument
    assert student_sql(course, "alice", "SELECT seed FROM tutor.my_seeds('landscapes-week1', ARRAY[%s])", (names[0],)) == [(mine[names[0]],)]


def test_forged_times_and_attempt_numbers_are_replaced_by_the_servers(course):
    before_start = student_sql(course, "alice", "SELECT started_at FROM tutor.runs")
    assert before_start == []
    student_sql(course, "alice", "INSERT INTO tutor.runs (quiz, student, started_at) VALUES ('landscapes-week1', 'alice', now() + interval '10 years')")
    (start,) = student_sql(course, "alice", "SELECT started_at FROM tutor.runs")[0]
    assert start.year < 2100 and abs(start.timestamp() - PgStore(course["lecturer"]).now()) < 60
    # a second start is not a new start
    with pytest.raises(psycopg.errors.UniqueViolation):
        student_sql(course, "alice", "INSERT INTO tutor.runs (quiz, student) VALUES ('landscapes-week1', 'alice')")
    assert student_sql(course, "alice", "SELECT started_at FROM tutor.runs") == [(start,)]
    key = f"{QUIZ.questions[2].lesson}/{QUIZ.questions[2].question}"
    row = student_sql(course, "alice", "INSERT INTO tutor.submissions (quiz, student, question, attempt, answer, correct, submitted_at) "
                      "VALUES ('landscapes-week1', 'alice', %s, 7, '0', true, now() - interval '1 day') RETURNING attempt, submitted_at", (key,))
    assert row[0][0] == 1 and row[0][1] >= start
    student_sql(course, "alice", "INSERT INTO tutor.submissions (quiz, student, question, attempt, answer, correct) "
                "VALUES ('landscapes-week1', 'alice', %s, 1, '0', false)", (key,))
    with pytest.raises(psycopg.Error, match="no attempts left"):
        student_sql(course, "alice", "INSERT INTO tutor.submissions (quiz, student, question, attempt, answer, correct) "
                    "VALUES ('landscapes-week1', 'alice', %s, 3, '0', false)", (key,))
    with pytest.raises(psycopg.Error, match="has no question"):
        student_sql(course, "alice", "INSERT INTO tutor.submissions (quiz, student, question, attempt, answer, correct) "
                    "VALUES ('landscapes-week1', 'alice', 'tour/name-it', 1, 'x', true)")


def test_time_limit_and_hand_in_are_kept_by_the_server(course, pg):
    run = QuizRun(QUIZ, CAT, None, PgStore(course["urls"]["mallory"]))
    before = gradebook(course)
    # an hour passes (the lecturer moves mallory's start back: the only way to make time pass in a test)
    with psycopg.connect(course["lecturer"], autocommit=True) as c:
        c.execute("UPDATE tutor.runs SET started_at = started_at - interval '1 hour' WHERE student = 'mallory'")
    try:
        late = QuizRun(QUIZ, CAT, None, PgStore(course["urls"]["mallory"]))
        assert late.timed_out
        # a modified client that ignores its own clock is refused by the server
        late.clock = lambda: 0.0
        with pytest.raises(TimeUp):
            late.submit(late.items[1], right(late.items[1]))
        with pytest.raises(psycopg.Error, match="time is up"):
            student_sql(course, "mallory", "INSERT INTO tutor.submissions (quiz, student, question, attempt, answer, correct) "
                        "VALUES ('landscapes-week1', 'mallory', %s, 1, '1', true)", (late.items[1].key,))
    finally:
        with psycopg.connect(course["lecturer"], autocommit=True) as c:
            c.execute("UPDATE tutor.runs SET started_at = started_at + interval '1 hour' WHERE student = 'mallory'")
    assert gradebook(course) == before
    run.finish()
    before = gradebook(course)
    with pytest.raises(TutorError, match="already submitted"):
        run.store.submit(QUIZ, "mallory", run.items[2].key, 0, run.items[2].params, right(run.items[2]), True, 0.0)
    assert gradebook(course) == before


def test_two_windows_of_one_student_queue_on_the_server(course):
    """Six connections of bob's classmate alice answer the same question at once: the two attempts
    are stored, the other four get a clear refusal, nobody crashes."""
    it_key = f"{QUIZ.questions[3].lesson}/{QUIZ.questions[3].question}"
    runs = [QuizRun(QUIZ, CAT, "alice", PgStore(course["urls"]["alice"])) for _ in range(6)]
    outcome: list[str] = []
    barrier = threading.Barrier(6)

    def go(run):
        item = next(i for i in run.items if i.key == it_key)
        barrier.wait()
        try:
            outcome.append(f"stored {run.submit(item, '99').attempt}")
        except TutorError as exc:
            outcome.append(str(exc))

    threads = [threading.Thread(target=go, args=(r,)) for r in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(o for o in outcome if o.startswith("stored")) == ["stored 1", "stored 2"]
    assert [o for o in outcome if not o.startswith("stored")] == ["no attempts left on this question"] * 4
    assert len(student_sql(course, "alice", "SELECT 1 FROM tutor.submissions WHERE question = %s", (it_key,))) == 2


def test_student_option_must_be_the_login(course):
    r = tutor("quiz", "take", "landscapes-week1", "--db", course["urls"]["mallory"], "--student", "bob", "--plain", input=":quit\n")
    assert r.returncode == 2 and "connected to the quiz server as mallory" in r.stderr
    r = tutor("quiz", "take", "landscapes-week1", "--db", course["pg"].url("bob", "wrong-password"), "--plain", input=":quit\n")
    assert r.returncode == 2 and "cannot connect to the quiz server" in r.stderr and "wrong-password" not in r.stderr


def test_a_newer_layout_is_refused_by_name(course):
    with psycopg.connect(course["lecturer"], autocommit=True) as c:
        c.execute("UPDATE tutor.meta SET value = '99' WHERE key = 'schema_version'")
    try:
        r = tutor("quiz", "take", "landscapes-week1", "--db", course["urls"]["alice"], "--plain", input=":quit\n")
        assert r.returncode == 2 and "newer tutor (layout 99" in r.stderr
    finally:
        with psycopg.connect(course["lecturer"], autocommit=True) as c:
            c.execute("UPDATE tutor.meta SET value = '1' WHERE key = 'schema_version'")


def test_setup_again_changes_nothing(course):
    before = gradebook(course)
    r = tutor("quiz", "setup", "--db", course["lecturer"])
    assert r.returncode == 0 and "updated the quiz tables" in r.stdout
    assert gradebook(course) == before


def test_preview_shows_the_students_numbers_and_answers(course):
    r = tutor("quiz", "preview", "landscapes-week1", "--db", course["lecturer"], "--student", "bob")
    assert r.returncode == 0, r.stderr
    lect = PgStore(course["lecturer"])
    items = build_items(QUIZ, CAT, "bob", lect.grading_seeds(QUIZ, "bob", lessons_of(QUIZ)))
    for it in items:
        assert f"{it.number}. {it.key}" in r.stdout
        assert "answer: " + it.session.answer_text(it.q) in r.stdout
