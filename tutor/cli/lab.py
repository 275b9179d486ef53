"""`tutor experiment`: the laboratory on its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from tutor.cli.base import _problem, cli
from tutor.core.errors import LessonError


@cli.group()
def experiment() -> None:
    """Run the tutor's experiments directly."""


@experiment.command("list")
def experiment_list() -> None:
    """The problems and tools, with their options."""
    from tutor.core import lab_schema as S

    def opts(model: Any) -> str:
        parts = []
        for name, field in model.model_fields.items():
            key = field.alias or name
            default = "" if field.is_required() else f"={_short(field.get_default(call_default_factory=True))}"
            parts.append(f"{key}{default}")
        return ", ".join(parts)

    click.echo("Problems (problem: {name: NAME, ...options}):")
    for name, spec in S.PROBLEMS.items():
        click.echo(f"  {name:20s} {opts(spec.options)}")
    click.echo("\nTools (run: NAME, with: {...options}):")
    for name, spec in S.TOOLS.items():
        click.echo(f"  {name:20s} {opts(spec.options)}")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, or with a NUL in it
        return False


def _short(v: Any) -> str:
    if hasattr(v, "model_dump"):
        v = v.model_dump()
    s = json.dumps(v, default=str)
    return s if len(s) < 30 else s[:27] + "..."


@experiment.command("run")
@click.argument("spec")
@click.option("--json", "as_json", is_flag=True, help='Print {"run", "problem", "with", "values"} as JSON.')
@click.option("--ascii", "ascii_", is_flag=True, default=None, help="Plain ASCII plot.")
@click.option("--width", type=click.IntRange(40, 300), default=None)
@click.option("--height", type=click.IntRange(8, 100), default=None)
def experiment_run(spec: str, as_json: bool, ascii_: bool | None, width: int | None, height: int | None) -> None:
    """Run SPEC: a YAML/JSON file or an inline mapping shaped like an experiment step, e.g.

    tutor experiment run '{run: curve, problem: {name: output-square, target: 2}}'
    """
    from tutor.core import yamlsrc
    from tutor.core.errors import TutorError
    from tutor.core.lab_schema import OptionError
    from tutor.experiments import run, to_json

    path = Path(spec)
    inline = spec.lstrip().startswith(("{", "[")) or "\n" in spec  # never stat'ed: a long one is "File name too long"
    if not inline and (path.suffix in (".yaml", ".yml", ".json") or _is_file(path)):
        data, _ = yamlsrc.load(path)
        where = str(path)
    else:
        data, _ = yamlsrc.load("<spec>", text=spec)
        where = "<spec>"
    if isinstance(data, dict) and "experiment" in data and isinstance(data["experiment"], dict):
        data = data["experiment"]
    if not isinstance(data, dict) or "run" not in data or "problem" not in data:
        raise LessonError([_problem(where, "a spec is a mapping with run, problem and optionally with")])
    problem = data["problem"]
    if isinstance(problem, str):
        problem = {"name": problem}
    if not isinstance(problem, dict):
        raise LessonError([_problem(where, "problem must be a mapping with a name")])
    unknown = set(data) - {"run", "problem", "with", "id", "caption", "controls", "text"}
    if unknown:
        raise LessonError([_problem(where, f"unknown key {sorted(unknown)[0]!r} in the spec")])
    with_ = data.get("with") or {}
    try:
        result = run(str(data["run"]), problem, with_)
    except OptionError as exc:
        raise TutorError(f"{where}: {exc}") from None
    if as_json:
        click.echo(json.dumps(to_json(str(data["run"]), problem, with_, result), indent=2))
        return
    import shutil

    from tutor.plots.render import to_text

    cols = width or min(120, shutil.get_terminal_size((80, 24)).columns)
    for p in result.plots:
        click.echo(to_text(p, cols, height or max(12, min(24, cols // 4)), ascii=ascii_ or None))
    key = max((len(k) for k, _ in result.summary), default=0)
    for k, v in result.summary:
        click.echo(f"  {k.ljust(key)}  {v}")
