"""The authors' docs say what the tutor does: the guide's own lesson and quiz, built from the code
blocks of docs/guide.md, pass `tutor check` and run; format.md's examples check; the generated
files (reference, JSON Schemas) are what the code produces; links resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tutor.core.loader import catalog, lesson_dirs, load_file
from tutor.core.selftest import check_lesson, check_quiz

DOCS = ROOT / "docs"
BLOCK = re.compile(r"<!-- (guide|example): (\S+)(?: (\S+))? -->\n```yaml\n(.*?)```", re.S)


def guide_files(folder: Path) -> list[tuple[Path, str]]:
    """Write the guide's files as a reader following it would: each block either starts a file
    (`new`) or is added at its end (`append`). Returns every stage, in the guide's order."""
    stages = []
    for kind, mode, name, body in BLOCK.findall((DOCS / "guide.md").read_text(encoding="utf-8")):
        if kind != "guide":
            continue
        path = folder / name
        path.write_text(body if mode == "new" else path.read_text(encoding="utf-8") + body, encoding="utf-8")
        stages.append((path, path.read_text(encoding="utf-8")))
    return stages


def problems_of(path: Path, text: str, folder: Path) -> list[str]:
    path.write_text(text, encoding="utf-8")
    f = load_file(path)
    found = list(f.problems)
    if f.lesson and not f.problems:
        found += check_lesson(f, variants=5)
    elif f.quiz and not f.problems:
        found += check_quiz(f, catalog([*lesson_dirs(), folder]))
    return [str(p) for p in found]


def test_every_stage_of_the_guide_passes_check(tmp_path):
    stages = guide_files(tmp_path)
    names = [p.name for p, _ in stages]
    assert names.count("narrow-valley.yaml") >= 4 and "week-1.yaml" in names, names
    for i, (path, text) in enumerate(stages):
        assert problems_of(path, text, tmp_path) == [], f"stage {i + 1} of the guide ({path.name}):\n{text}"


def test_the_guides_lesson_has_what_the_guide_promises(tmp_path):
    guide_files(tmp_path)
    lesson = load_file(tmp_path / "narrow-valley.yaml").lesson
    assert lesson is not None
    qs = lesson.questions()
    # a computed question, a prediction (its experiment comes later), parameters and plots
    assert qs["step-limit"].answer.from_ == "hessian"  # type: ignore[union-attr]
    assert {e.run for e in lesson.experiments().values()} >= {"surface", "descent"}
    order = [(s.experiment or s.question).id for s in lesson.steps if s.experiment or s.question]  # type: ignore[union-attr]
    assert qs["predict"].from_ == "descent" and order.index("predict") < order.index("descent")
    assert lesson.params["kappa"].choices


def test_the_guides_lesson_and_quiz_check_and_run_as_a_reader_would(tmp_path, run_tutor):
    guide_files(tmp_path)
    r = run_tutor("check", str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 files checked, no problems" in r.stderr
    # answer every question with what `tutor preview` says is right, in plain mode
    preview = json.loads(run_tutor("preview", str(tmp_path / "narrow-valley.yaml"), "--json").stdout)
    answers = []
    for q in preview["questions"]:
        answers.append(str(next(c["number"] for c in q["choices"] if c["right"])) if q["choices"] else q["answer"])
    r = run_tutor("plain", str(tmp_path / "narrow-valley.yaml"), input="\n".join(answers) + "\n")
    assert r.returncode == 0, r.stderr
    assert "Lesson complete" in r.stdout and "2 of 2 questions right" in r.stdout
    # the variant with kappa = 120 is the one where descent blows up
    blow_up = next(s for s in range(1, 100)
                   if json.loads(run_tutor("preview", str(tmp_path / "narrow-valley.yaml"), "--seed", str(s), "--json").stdout)
                   ["params"]["kappa"] == 120)
    data = json.loads(run_tutor("preview", str(tmp_path / "narrow-valley.yaml"), "--seed", str(blow_up), "--json").stdout)
    predict = next(q for q in data["questions"] if q["id"] == "predict")
    assert [c["text"] for c in predict["choices"] if c["right"]] == ["It blows up"]
    assert predict["prediction"] is True


def test_format_examples_check(tmp_path):
    blocks = [(mode, body) for kind, mode, _, body in BLOCK.findall((DOCS / "format.md").read_text(encoding="utf-8"))
              if kind == "example"]
    params = "".join(body for mode, body in blocks if mode == "params")
    steps = "".join(body for mode, body in blocks if mode == "steps")
    quiz = next(body for mode, body in blocks if mode == "quiz")
    assert params and steps.count("- experiment") >= 2
    lesson = "format: 1\nid: format-examples\ntitle: The examples of format.md\n" + params + "steps:\n" + steps
    assert problems_of(tmp_path / "l.yaml", lesson, tmp_path) == []
    assert problems_of(tmp_path / "q.yaml", quiz, tmp_path) == []


def test_generated_files_are_what_the_code_produces():
    from tutor import docs

    for path, text in docs.generated(ROOT).items():
        assert path.is_file(), f"{path} is missing: run `python -m tutor.docs`"
        assert path.read_text(encoding="utf-8") == text, f"{path.relative_to(ROOT)} is out of date: run `python -m tutor.docs`"


def _anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("page", ["guide.md", "format.md", "reference.md"])
def test_links_between_the_pages_resolve(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(([\w.-]*\.md)?(?:#([\w-]+))?\)", text):
        doc = DOCS / (target or page)
        assert doc.is_file(), f"{page} links to {target}, which does not exist"
        if anchor:
            headings = {_anchor(h) for h in re.findall(r"^#+ (.+)$", doc.read_text(encoding="utf-8"), re.M)}
            assert anchor in headings, f"{page} links to {doc.name}#{anchor}, which has no such heading"


def test_the_readme_sends_authors_to_the_docs_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "shared/spec" not in readme
    assert "docs/guide.md" in readme and "docs/reference.md" in readme


def test_a_lesson_written_from_the_docs_alone_validates_and_runs(tmp_path, run_tutor):
    """weight-decay-valley.yaml was written by reading only docs/ (a topic the curriculum lacks)."""
    src = ROOT / "tests" / "unit" / "data" / "weight-decay-valley.yaml"
    r = run_tutor("check", str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    # its numbers are right: two minima at a = b = ±sqrt(1 − λ/2) with loss λ − λ²/4 below λ = 2, else the origin
    for seed in range(1, 6):
        data = json.loads(run_tutor("preview", str(src), "--seed", str(seed), "--json").stdout)
        lam = data["params"]["lam"]
        q = {x["id"]: x for x in data["questions"]}
        right = [c["text"] for c in q["how-many"]["choices"] if c["right"]]
        assert right == (["Two, on the diagonal a = b"] if lam < 2 else ["One, at the origin"]), lam
        assert q["lowest"]["value"] == pytest.approx(lam - lam**2 / 4 if lam < 2 else 1.0, rel=1e-6)
    answers = "2\n0.4375\nlam - lam^2/4\n"  # the defaults: λ = 0.5
    r = run_tutor("plain", str(src), input=answers)
    assert r.returncode == 0, r.stderr
    assert "3 of 3 questions right" in r.stdout


@pytest.mark.parametrize("box", ["3", "[-3, 3]", "[[-6, 6], [-3, 3]]"])
@pytest.mark.parametrize("run", ["stationary", "convexity", "descent"])
def test_every_form_of_box_the_docs_name_is_accepted(tmp_path, run, box):
    format_md = (DOCS / "format.md").read_text(encoding="utf-8")
    assert "one range per coordinate, `[[lo, hi], [lo, hi], ...]`" in format_md
    extra = ", starts: 4" if run == "descent" else ""
    lesson = (f"format: 1\nid: box\ntitle: Box\nsteps:\n  - experiment: {{id: e, run: {run}, "
              f"problem: {{name: function, expr: \"x**2 + y**2\", vars: [x, y]}}, with: {{box: {box}{extra}}}}}\n")
    assert problems_of(tmp_path / "box.yaml", lesson, tmp_path) == []


def test_a_box_with_the_wrong_number_of_ranges_says_so(tmp_path):
    lesson = ("format: 1\nid: box\ntitle: Box\nsteps:\n  - experiment: {id: e, run: stationary, "
              "problem: {name: function, expr: \"x**2 + y**2\", vars: [x, y]}, with: {box: [[-6, 6], [-3, 3], [0, 1]]}}\n")
    found = problems_of(tmp_path / "box.yaml", lesson, tmp_path)
    assert len(found) == 1 and "3 ranges" in found[0] and "2 parameters" in found[0], found
