"""Pytest wiring: fixtures and a builder for small synthetic text notices (helpers live in tests/support)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# shared helpers live in tests/support; re-exported here for tests that import them from conftest
from support import EXPECTED, ROOT, SAMPLES, norm, text_notice  # noqa: F401

# property tests: the full suite keeps their power, the edit loop (`make test-fast`) a quick taste
settings.register_profile("default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fast", max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


def pytest_configure(config: pytest.Config) -> None:
    """Fixture regeneration is a deliberate act: a run with it switched on must not pass unnoticed."""
    import os

    if os.environ.get("KAOPING_REGENERATE"):
        config.issue_config_time_warning(pytest.PytestWarning(
            "KAOPING_REGENERATE is set: tests/test_fixtures.py fails until it is unset"), stacklevel=2)


@pytest.fixture
def write_notice(tmp_path: Path):
    def _write(rows: list[str], name: str = "n.txt", encoding: str = "utf-8", **kw) -> Path:
        path = tmp_path / name
        path.write_bytes(text_notice(rows, **kw).encode(encoding))
        return path

    return _write
