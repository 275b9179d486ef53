"""JSON Schema of lesson and quiz files, for editors (yaml-language-server and the like).

``tutor schema`` prints it; a copy ships in ``tutor/schemas/`` so that a new file's
``# yaml-language-server: $schema=...`` line has something to point at without a network.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("lesson", "quiz")
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema(kind: str) -> dict[str, Any]:
    """The schema of one kind of file (``lesson`` or ``quiz``), or of either (``both``)."""
    from tutor.core.models import Lesson, Quiz

    models = {"lesson": Lesson, "quiz": Quiz}
    if kind in models:
        body = models[kind].model_json_schema(by_alias=True)
        return {"$schema": DRAFT, **body}
    doc: dict[str, Any] = {"$schema": DRAFT, "title": "Landscape Tutor lesson or quiz",
                           "anyOf": [{"$ref": "#/$defs/Lesson"}, {"$ref": "#/$defs/Quiz"}], "$defs": {}}
    for name, model in models.items():
        body = model.model_json_schema(by_alias=True)
        doc["$defs"].update(body.pop("$defs", {}))
        doc["$defs"][name.capitalize()] = body
    return doc


def text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def shipped(kind: str) -> Path:
    """The copy of the schema in the installed package."""
    return SCHEMA_DIR / f"{kind}.schema.json"
