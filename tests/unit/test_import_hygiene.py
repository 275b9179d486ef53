"""The core never imports Textual or plotext; start-up commands import no numerics."""

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys
sys.argv = {argv!r}
from tutor import cli
try:
    cli.main()
except SystemExit:
    pass
heavy = [m for m in ("numpy", "scipy", "textual", "plotext", "rich") if m in sys.modules]
print("HEAVY", heavy, file=sys.stderr)
"""


def heavy_modules(*argv: str) -> list[str]:
    r = subprocess.run([sys.executable, "-c", PROBE.format(argv=["tutor", *argv])], capture_output=True, text=True, cwd=ROOT)
    line = [ln for ln in r.stderr.splitlines() if ln.startswith("HEAVY")][-1]
    return eval(line.split(" ", 1)[1])  # a list literal we printed ourselves


def test_version_and_list_import_no_numerics_or_ui():
    assert heavy_modules("--version") == []
    assert heavy_modules("list") == []
    assert heavy_modules("list", "--json") == []


def test_core_and_experiments_import_neither_textual_nor_plotext():
    code = (
        "import sys, tutor.core.session, tutor.core.loader, tutor.core.selftest, tutor.experiments.tools, tutor.experiments.problems\n"
        "print([m for m in ('textual', 'plotext', 'textual_plotext') if m in sys.modules])"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip() == "[]", r.stderr


def test_source_of_core_mentions_no_ui_library():
    for path in list((ROOT / "tutor" / "core").rglob("*.py")) + list((ROOT / "tutor" / "experiments").rglob("*.py")):
        text = path.read_text()
        assert "import textual" not in text and "from textual" not in text and "plotext" not in text, path
