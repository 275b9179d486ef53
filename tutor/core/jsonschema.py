"""JSON Schema of lesson and quiz files, for editors (yaml-language-server and the like).

``tutor schema`` prints it; a copy ships in ``tutor/schemas/`` so that a new file's
``# yaml-language-server: $schema=...`` line has something to point at without a network.

The lesson schema knows the registry: ``run`` completes to the tools, ``problem.name`` to the
problems, and ``with`` and the problem's options are checked against the chosen tool's and
problem's options. Wherever an option takes a number, a list or true/false, a whole-string
placeholder (``"{y}"``) is accepted too, since the lesson fills it in before the option is read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("lesson", "quiz")
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
PLACEHOLDER = {"type": "string", "pattern": r"\{[A-Za-z_][A-Za-z0-9_]*\}",
               "description": "a lesson parameter, {name}, filled in before the option is read"}


def schema(kind: str) -> dict[str, Any]:
    """The schema of one kind of file (``lesson`` or ``quiz``), or of either (``both``)."""
    from pydantic import BaseModel

    from tutor.core.models import Lesson, Quiz

    models: dict[str, type[BaseModel]] = {"lesson": Lesson, "quiz": Quiz}
    if kind in models:
        body = models[kind].model_json_schema(by_alias=True)
        if kind == "lesson":
            _experiments(body)
        return {"$schema": DRAFT, **body}
    doc: dict[str, Any] = {"$schema": DRAFT, "title": "Landscape Tutor lesson or quiz",
                           "anyOf": [{"$ref": "#/$defs/Lesson"}, {"$ref": "#/$defs/Quiz"}], "$defs": {}}
    for name in KINDS:
        body = schema(name)
        body.pop("$schema")
        doc["$defs"].update(body.pop("$defs", {}))
        doc["$defs"][name.capitalize()] = body
    return doc


def _experiments(lesson: dict[str, Any]) -> None:
    """Give the experiment step the registry's tools and problems, with their options."""
    from tutor.core import lab_schema as S

    defs = lesson.setdefault("$defs", {})
    exp = defs["Experiment"]
    props = exp["properties"]
    props["run"] = {"enum": list(S.TOOLS), "description": "the tool: " + "; ".join(f"{n}: {s.summary}" for n, s in S.TOOLS.items())}
    problems = []
    for name, spec in S.PROBLEMS.items():
        opts = _options(spec.options, defs)
        opts["properties"] = {"name": {"const": name, "description": spec.summary}, **opts.get("properties", {})}
        opts["required"] = ["name", *opts.get("required", [])]
        problems.append(opts)
    props["problem"] = {"anyOf": [{"enum": list(S.PROBLEMS), "description": "a problem with every option at its default"}, *problems],
                        "description": "the loss: {name: PROBLEM, option: value, ...}"}
    exp["allOf"] = [{"if": {"properties": {"run": {"const": name}}, "required": ["run"]},
                     "then": {"properties": {"with": _options(spec.options, defs)}}}
                    for name, spec in S.TOOLS.items()]


def _options(model: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """An option model's schema, its definitions moved into ``defs``, placeholders allowed."""
    body = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    for name, sub in body.pop("$defs", {}).items():
        defs.setdefault(name, _placeholders(sub))
    return _placeholders(body)


def _placeholders(node: Any) -> Any:
    """Let every non-text value also be a whole-string placeholder."""
    if isinstance(node, list):
        return [_placeholders(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _placeholders(v) for k, v in node.items()}
    if out.get("type") in ("number", "integer", "boolean", "array") or ("const" in out and not isinstance(out["const"], str)):
        return {"anyOf": [out, PLACEHOLDER]}
    return out


def text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def shipped(kind: str) -> Path:
    """The copy of the schema in the installed package."""
    return SCHEMA_DIR / f"{kind}.schema.json"
