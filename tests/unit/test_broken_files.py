"""Broken lesson files: each gives a clear path:line:col message, never a traceback, and never
hides the good lessons."""

import re

import pytest

from tests.conftest import GOOD_LESSON, tutor, write
from tutor.core.loader import catalog, load_file

BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
) + "\n"

CASES = {
    "bad-yaml": ("format: 1\nid: x\ntitle: [unclosed\nsteps: []\n", 4, "YAML"),
    "python-tag": ("format: 1\nid: x\ntitle: !!python/object/apply:os.system ['echo hi']\nsteps:\n  - text: hi\n", 3, "python/object"),
    "python-tag-map": ("format: 1\nid: x\ntitle: t\nsteps: !!python/object:os.Foo {a: 1}\n", 4, "not allowed"),
    "unknown-key": (GOOD_LESSON.replace("      hints: [Solve y - w^2 = 0.]", "      hint: [Solve y - w^2 = 0.]"), 17, "unknown key 'hint'"),
    "wrong-type": (GOOD_LESSON.replace("title: A good lesson", "title: A good lesson\nlevel: expert"), 4, "level"),
    "answer-from-nowhere": (GOOD_LESSON.replace("answer: {from: curve,", "answer: {from: cruve,"), 16, "does not have"),
    "two-right-choices": (GOOD_LESSON.replace("{text: A minimum, feedback: It bends down there.}", "{text: A minimum, correct: true}"), 18, "exactly one correct"),
    "both-text-and-question": (GOOD_LESSON.replace("  - text: Hello, y = {y}.", "  - text: Hello\n    experiment: {id: e, run: curve, problem: output-square}"), 7, "exactly one of"),
    "not-utf8": (b"format: 1\nid: x\ntitle: caf\xe9\nsteps:\n  - text: hi\n", 3, "not UTF-8"),
    "alias-bomb": (BOMB, 6, "too many nodes"),
    "a-list": ("- 1\n- 2\n", 1, "mapping"),
    "empty": ("", 1, "empty"),
    "bad-option": (GOOD_LESSON.replace('target: "{y}"}', 'target: "{y}", tagret: 2}'), 11, "unknown option 'tagret'"),
    "unknown-placeholder": (GOOD_LESSON.replace('target: "{y}"}', 'target: "{z}"}'), 8, "placeholder {z}"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_file_is_located(tmp_path, name):
    text, line, fragment = CASES[name]
    path = write(tmp_path / f"{name}.yaml", text)
    result = load_file(path)
    assert not result.ok
    messages = [str(p) for p in result.problems]
    assert any(m.startswith(f"{path}:{line}:") and fragment in m for m in messages), messages


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    text = GOOD_LESSON.replace("title: A good lesson", "title: A good lesson\nlevel: 9").replace("prompt: What is w = 0?", "promt: What is w = 0?")
    result = load_file(write(tmp_path / "two.yaml", text))
    messages = " | ".join(str(p) for p in result.problems)
    assert "level" in messages and "unknown key 'promt'" in messages and "(did you mean 'prompt'?)" in messages


def test_a_50_megabyte_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "w") as f:
        f.write("format: 1\n")
        chunk = "# " + "x" * 1021 + "\n"
        for _ in range(50 * 1024):
            f.write(chunk)
    result = load_file(path)
    assert [str(p) for p in result.problems] == [f"{path}:1:1: file is {path.stat().st_size:,} bytes; a lesson may be at most 1,000,000"]


def test_duplicate_ids_and_requires_cycles(tmp_path):
    write(tmp_path / "a.yaml", GOOD_LESSON.replace("id: good-one", "id: a\nrequires: [b]"))
    write(tmp_path / "b.yaml", GOOD_LESSON.replace("id: good-one", "id: b\nrequires: [a]"))
    write(tmp_path / "c.yaml", GOOD_LESSON.replace("id: good-one", "id: c\nrequires: [nowhere]"))
    write(tmp_path / "d1.yaml", GOOD_LESSON.replace("id: good-one", "id: d"))
    write(tmp_path / "d2.yaml", GOOD_LESSON.replace("id: good-one", "id: d"))
    cat = catalog([tmp_path])
    text = "\n".join(str(p) for p in cat.problems)
    assert "requires form a cycle: a -> b -> a" in text
    assert re.search(r"c\.yaml:3:\d+: requires 'nowhere'", text)
    assert re.search(r"d2\.yaml:2:1: id 'd' is already used by .*d1\.yaml", text)
    assert set(cat.lessons) == {"d"}


def test_cli_check_prints_locations_and_exits_1(tmp_path):
    for name in ("bad-yaml", "unknown-key", "alias-bomb", "not-utf8"):
        text, _, _ = CASES[name]
        write(tmp_path / f"{name}.yaml", text)
    r = tutor("check", str(tmp_path), timeout=30)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 4 and all(re.match(r"^.+\.yaml:\d+:\d+: .+", ln) for ln in lines), lines


def test_one_broken_file_never_hides_the_good_ones(tmp_path):
    write(tmp_path / "good.yaml", GOOD_LESSON)
    write(tmp_path / "bad.yaml", CASES["python-tag"][0])
    r = tutor("--lessons", str(tmp_path), "list")
    assert r.returncode == 0
    assert "good-one" in r.stdout and "A good lesson" in r.stdout
    assert "bad.yaml: does not load" in r.stderr
    r = tutor("--lessons", str(tmp_path), "list", "--json")
    import json

    data = json.loads(r.stdout)
    assert "good-one" in [x["id"] for x in data["lessons"]]
    assert data["broken"][0]["path"].endswith("bad.yaml")


def test_opening_a_broken_lesson_exits_2_with_its_problems(tmp_path):
    write(tmp_path / "bad.yaml", CASES["unknown-key"][0])
    r = tutor("--lessons", str(tmp_path), "plain", "good-one", input="")
    assert r.returncode == 2
    assert "unknown key 'hint'" in r.stderr and "Traceback" not in r.stderr
    r = tutor("plain", "no-such-lesson", input="")
    assert r.returncode == 2 and "no lesson 'no-such-lesson'" in r.stderr
    r = tutor("plain", str(write(tmp_path / "bomb.yaml", BOMB)), input="")
    assert r.returncode == 2 and "too many nodes" in r.stderr


def test_builtin_lessons_pass_the_self_test():
    r = tutor("check", timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no problems" in r.stderr


CONTROL = {"\x0c": "a form feed", "\x1b": "an escape (ESC)", "\x01": "a control character", "\x7f": "a delete (DEL)"}


@pytest.mark.parametrize("char", sorted(CONTROL))
def test_a_control_character_is_located_and_named(tmp_path, char):
    path = write(tmp_path / "ctl.yaml", f'format: 1\nid: ctl\ntitle: "pasted{char}text"\nsteps:\n  - text: hi\n')
    messages = [str(p) for p in load_file(path).problems]
    assert messages == [f"{path}:3:15: YAML: unacceptable character #x{ord(char):04x} ({CONTROL[char]}); delete it "
                        "(such characters often come from copy and paste and are invisible in most editors)"]


def test_a_control_character_file_never_hides_the_good_lessons(tmp_path):
    folder = tmp_path / "les"
    write(folder / "good.yaml", GOOD_LESSON)
    write(folder / "ctl.yaml", GOOD_LESSON.replace("id: good-one", "id: ctl").replace("Hello", "Hel\x0clo"))
    r = tutor("--lessons", str(folder), "list")
    assert r.returncode == 0, r.stderr
    assert "good-one" in r.stdout and "tour" in r.stdout
    assert "ctl.yaml: does not load (1 problem" in r.stderr
    r = tutor("--lessons", str(folder), "plain", "tour", input="")
    assert r.returncode == 1 and "How the tutor works" in r.stdout and "internal error" not in r.stderr
    r = tutor("--lessons", str(folder), "plain", "good-one", input="")
    assert r.returncode == 1 and "Hello, y = 1" in r.stdout
    r = tutor("check", "--no-run", str(folder))
    assert r.returncode == 1
    assert r.stdout == f"{folder / 'ctl.yaml'}:7:14: YAML: unacceptable character #x000c (a form feed); delete it (such characters often come from copy and paste and are invisible in most editors)\n"


def test_a_huge_student_id_is_not_echoed_back_whole():
    r = tutor("quiz", "take", "landscapes-week1", "--student", "a" * 120_000, "--plain", input="")
    assert r.returncode == 2
    assert r.stderr == (f"tutor: student id {'a' * 40!r}… (120,000 characters) is not usable: use 1 to 64 letters, digits "
                        "and . _ @ + - (starting with a letter or digit), such as a university login or student number\n")


def test_a_long_inline_experiment_spec_is_not_taken_for_a_file_name():
    caption = "x" * 300
    r = tutor("experiment", "run", f"{{run: curve, problem: {{name: output-square, target: 2}}, caption: {caption}}}", "--json")
    assert r.returncode == 0, r.stderr
    import json

    assert json.loads(r.stdout)["values"]["minima"] == pytest.approx([-2 ** 0.5, 2 ** 0.5])
