"""The authors' docs: where they are, and the reference generated from the registry.

``python -m tutor.docs`` rewrites the generated files of a checkout (``docs/reference.md`` and the
JSON Schemas in ``tutor/schemas/``); ``python -m tutor.docs --check`` says whether they are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def docs_dir() -> Path:
    """The docs shipped with the package (in a wheel) or beside it (in a checkout)."""
    packaged = HERE / "_docs"
    return packaged if packaged.is_dir() else HERE.parent / "docs"


def reference() -> str:
    """docs/reference.md: every problem and tool, each option and each value, from the registry."""
    from tutor.docsref import reference as build

    return build()


def generated(root: Path) -> dict[Path, str]:
    """Every generated file of a checkout at ``root``, with the text it should have."""
    from tutor.core import jsonschema

    files = {root / "docs" / "reference.md": reference()}
    for kind in jsonschema.KINDS:
        files[root / "tutor" / "schemas" / f"{kind}.schema.json"] = jsonschema.text(kind)
    return files


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = HERE.parent
    stale = [p for p, text in generated(root).items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    if "--check" in args:
        for p in stale:
            print(f"{p.relative_to(root)} is out of date: run `python -m tutor.docs`", file=sys.stderr)
        return 1 if stale else 0
    for p, text in generated(root).items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    print(f"{len(stale)} file{'s' * (len(stale) != 1)} updated.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
