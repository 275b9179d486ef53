"""The registry: each problem and tool is declared once, with what an author needs to use it."""

import json
import subprocess
import sys

from tutor.core import lab_schema as S
from tutor.experiments import registry


def test_every_registered_name_has_exactly_one_implementation():
    registry.load()
    assert set(registry.PROBLEMS) == set(S.PROBLEMS)
    assert set(registry.TOOLS) == set(S.TOOLS)
    for name, cls in registry.PROBLEMS.items():
        assert cls.name == name


def test_every_option_and_value_is_described_for_the_reference():
    for spec in [*S.PROBLEMS.values(), *S.TOOLS.values()]:
        assert spec.summary
        for opt in S.options(spec.options):
            assert opt.description, f"{spec.kind} {spec.name}: option {opt.name} has no description"
            assert opt.type
    for spec in S.TOOLS.values():
        assert spec.values and all(spec.values.values()), spec.name
    curve = {o.name: o for o in S.options(S.TOOLS["curve"].options)}
    assert curve["from"].default is None and curve["points"].default == 401 and curve["points"].bounds == "≥ 5, ≤ 20,001"
    assert S.options(S.PROBLEMS["linear-regression"].options)[0].default == S.REQUIRED
    json.dumps(S.catalog(), default=list)


def test_the_values_a_tool_returns_are_the_ones_it_declares():
    from tutor.experiments import run

    declared = set(S.TOOLS["convexity"].values)
    assert set(run("convexity", {"name": "output-square"}, {"pairs": 5}).values) == declared
    declared = set(S.TOOLS["census"].values)
    assert set(run("census", {"name": "mlp"}, {"starts": 3, "steps": 5}).values) == declared


def test_option_classes_do_not_share_names_with_the_numeric_classes():
    registry.load()
    numeric = {cls.__name__ for cls in registry.PROBLEMS.values()}
    options = {spec.options.__name__ for spec in [*S.PROBLEMS.values(), *S.TOOLS.values()]}
    assert not numeric & options


def test_validating_options_loads_no_numerics():
    code = ("import sys; from tutor.core import lab_schema as S; S.validate('census', {'name': 'mlp'}, {'starts': 3});"
            "print([m for m in ('numpy', 'scipy', 'tutor.experiments') if m in sys.modules])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "[]", r.stderr
