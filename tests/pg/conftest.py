from __future__ import annotations

import os

import pytest

from tests.pg import server as pgserver


@pytest.fixture(scope="session")
def pg():
    """A fresh PostgreSQL server for this test process. Missing PostgreSQL skips on a developer's
    machine, but fails in CI (CI=true), where `.ci/run` installs it: skipped is not passed."""
    try:
        srv = pgserver.start()
    except (FileNotFoundError, OSError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests cannot run in CI: {exc}")
        pytest.skip(str(exc))
    yield srv
    srv.stop()
