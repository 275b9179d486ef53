"""The PostgreSQL layout: tables, row-level security, grants, and the functions that keep the rules.

Everything lives in schema ``tutor``, owned by the lecturer's role (whoever runs ``tutor quiz
setup``). Students belong to the group role ``tutor_student`` and may, through row-level security,
only INSERT and SELECT rows whose ``student`` is their own login (``session_user``, which a
student cannot change). They hold no UPDATE, DELETE or TRUNCATE on anything. Triggers that run
with the owner's rights stamp every row with the server's clock and refuse what the quiz's rules
do not allow: a second start, a submission before the start, after the time limit or after
finishing, beyond the attempts, or to a question the quiz does not have. Variant seeds are an
HMAC of a secret only the owner can read; students get their own through ``tutor.my_seeds``.
"""

from __future__ import annotations

VERSION = 1
STUDENTS = "tutor_student"

# %(students)s is the group role; the whole text runs in one transaction under an advisory lock
SETUP = r"""
CREATE SCHEMA IF NOT EXISTS tutor;
REVOKE ALL ON SCHEMA tutor FROM PUBLIC;
GRANT USAGE ON SCHEMA tutor TO {students};

CREATE TABLE IF NOT EXISTS tutor.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS tutor.secret (id int PRIMARY KEY CHECK (id = 1), key bytea NOT NULL CHECK (length(key) >= 32));
CREATE TABLE IF NOT EXISTS tutor.quizzes (
    quiz text PRIMARY KEY,
    title text NOT NULL,
    attempts int NOT NULL CHECK (attempts BETWEEN 1 AND 20),
    time_limit interval,
    per_student boolean NOT NULL,
    questions text[] NOT NULL
);
CREATE TABLE IF NOT EXISTS tutor.roster (
    quiz text NOT NULL REFERENCES tutor.quizzes ON DELETE CASCADE,
    student text NOT NULL,
    name text, email text, section text,
    PRIMARY KEY (quiz, student)
);
CREATE TABLE IF NOT EXISTS tutor.runs (
    quiz text NOT NULL,
    student text NOT NULL DEFAULT session_user,
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (quiz, student)
);
CREATE TABLE IF NOT EXISTS tutor.finishes (
    quiz text NOT NULL,
    student text NOT NULL DEFAULT session_user,
    finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (quiz, student)
);
CREATE TABLE IF NOT EXISTS tutor.submissions (
    id bigserial PRIMARY KEY,
    quiz text NOT NULL,
    student text NOT NULL DEFAULT session_user,
    question text NOT NULL,
    attempt int NOT NULL CHECK (attempt >= 1),
    params jsonb NOT NULL DEFAULT '{{}}' CHECK (length(params::text) <= 10000),
    answer text NOT NULL CHECK (length(answer) <= 2000),
    correct boolean NOT NULL,
    submitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (quiz, student, question, attempt)
);

-- HMAC-SHA256(k, msg), first 63 bits: the same as tutor.core.quizdb.base.variant_seed
CREATE OR REPLACE FUNCTION tutor.hmac63(k bytea, msg text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE kp bytea; ip bytea; op bytea; d bytea;
BEGIN
    IF length(k) > 64 THEN k := sha256(k); END IF;
    kp := k || decode(repeat('00', 64 - length(k)), 'hex');
    ip := kp; op := kp;
    FOR i IN 0..63 LOOP
        ip := set_byte(ip, i, get_byte(kp, i) # 54);
        op := set_byte(op, i, get_byte(kp, i) # 92);
    END LOOP;
    d := sha256(op || sha256(ip || convert_to(msg, 'UTF8')));
    RETURN ((('x' || encode(substring(d FROM 1 FOR 8), 'hex'))::bit(64)) >> 1)::bigint;
END $$;

CREATE OR REPLACE FUNCTION tutor.my_seeds(p_quiz text, p_names text[]) RETURNS TABLE (name text, seed bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE per boolean; k bytea; who text;
BEGIN
    SELECT q.per_student INTO per FROM tutor.quizzes q WHERE q.quiz = p_quiz;
    IF NOT FOUND THEN RAISE EXCEPTION 'no quiz % on this server', p_quiz USING ERRCODE = 'TQ001'; END IF;
    IF NOT EXISTS (SELECT 1 FROM tutor.roster r WHERE r.quiz = p_quiz AND r.student = session_user) THEN
        RAISE EXCEPTION '% is not enrolled in quiz %', session_user, p_quiz USING ERRCODE = 'TQ001';
    END IF;
    SELECT s.key INTO k FROM tutor.secret s;
    who := CASE WHEN per THEN session_user::text ELSE '' END;
    RETURN QUERY SELECT n, tutor.hmac63(k, p_quiz || chr(31) || who || chr(31) || n) FROM unnest(p_names) AS n;
END $$;

CREATE OR REPLACE FUNCTION tutor.guard_run() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tutor.roster r WHERE r.quiz = NEW.quiz AND r.student = NEW.student) THEN
        RAISE EXCEPTION '% is not enrolled in quiz %', NEW.student, NEW.quiz USING ERRCODE = 'TQ001';
    END IF;
    IF TG_TABLE_NAME = 'finishes' THEN
        IF NOT EXISTS (SELECT 1 FROM tutor.runs r WHERE r.quiz = NEW.quiz AND r.student = NEW.student) THEN
            RAISE EXCEPTION 'quiz % was never started', NEW.quiz USING ERRCODE = 'TQ002';
        END IF;
        NEW.finished_at := clock_timestamp();
    ELSE
        NEW.started_at := clock_timestamp();
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tutor.guard_submission() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE q tutor.quizzes; started timestamptz; used int;
BEGIN
    SELECT * INTO q FROM tutor.quizzes WHERE quiz = NEW.quiz;
    IF NOT FOUND THEN RAISE EXCEPTION 'no quiz % on this server', NEW.quiz USING ERRCODE = 'TQ001'; END IF;
    IF NOT EXISTS (SELECT 1 FROM tutor.roster r WHERE r.quiz = NEW.quiz AND r.student = NEW.student) THEN
        RAISE EXCEPTION '% is not enrolled in quiz %', NEW.student, NEW.quiz USING ERRCODE = 'TQ001';
    END IF;
    IF NOT (NEW.question = ANY (q.questions)) THEN
        RAISE EXCEPTION 'quiz % has no question %', NEW.quiz, NEW.question USING ERRCODE = 'TQ002';
    END IF;
    -- one student's submissions queue here, so the attempt count below cannot race
    SELECT r.started_at INTO started FROM tutor.runs r WHERE r.quiz = NEW.quiz AND r.student = NEW.student FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'quiz % was never started', NEW.quiz USING ERRCODE = 'TQ002'; END IF;
    IF EXISTS (SELECT 1 FROM tutor.finishes f WHERE f.quiz = NEW.quiz AND f.student = NEW.student) THEN
        RAISE EXCEPTION 'this quiz is already submitted' USING ERRCODE = 'TQ003';
    END IF;
    IF q.time_limit IS NOT NULL AND clock_timestamp() > started + q.time_limit THEN
        RAISE EXCEPTION 'time is up: the quiz is closed and nothing more can be submitted' USING ERRCODE = 'TQ004';
    END IF;
    SELECT count(*) INTO used FROM tutor.submissions s WHERE s.quiz = NEW.quiz AND s.student = NEW.student AND s.question = NEW.question;
    IF used >= q.attempts THEN
        RAISE EXCEPTION 'no attempts left on this question' USING ERRCODE = 'TQ003';
    END IF;
    NEW.attempt := used + 1;
    NEW.submitted_at := clock_timestamp();
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS guard ON tutor.runs;
CREATE TRIGGER guard BEFORE INSERT ON tutor.runs FOR EACH ROW EXECUTE FUNCTION tutor.guard_run();
DROP TRIGGER IF EXISTS guard ON tutor.finishes;
CREATE TRIGGER guard BEFORE INSERT ON tutor.finishes FOR EACH ROW EXECUTE FUNCTION tutor.guard_run();
DROP TRIGGER IF EXISTS guard ON tutor.submissions;
CREATE TRIGGER guard BEFORE INSERT ON tutor.submissions FOR EACH ROW EXECUTE FUNCTION tutor.guard_submission();

REVOKE ALL ON ALL TABLES IN SCHEMA tutor FROM PUBLIC, {students};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA tutor FROM PUBLIC, {students};
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA tutor FROM PUBLIC, {students};
GRANT SELECT ON tutor.meta, tutor.quizzes TO {students};
GRANT SELECT ON tutor.roster TO {students};
GRANT SELECT, INSERT ON tutor.runs, tutor.finishes, tutor.submissions TO {students};
GRANT USAGE ON SEQUENCE tutor.submissions_id_seq TO {students};
GRANT EXECUTE ON FUNCTION tutor.my_seeds(text, text[]) TO {students};
"""

POLICIES = ["roster", "runs", "finishes", "submissions"]


def policy_sql(table: str, students: str) -> str:
    """Row-level security: a student sees and adds only rows that are their own."""
    own = "student = session_user"
    parts = [f"ALTER TABLE tutor.{table} ENABLE ROW LEVEL SECURITY;",
             f"DROP POLICY IF EXISTS own_rows ON tutor.{table};",
             f"DROP POLICY IF EXISTS add_own ON tutor.{table};",
             f"CREATE POLICY own_rows ON tutor.{table} FOR SELECT TO {students} USING ({own});"]
    if table != "roster":
        parts.append(f"CREATE POLICY add_own ON tutor.{table} FOR INSERT TO {students} WITH CHECK ({own});")
    return "\n".join(parts)
