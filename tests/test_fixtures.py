"""Fixtures are regenerated only on purpose (tests/fixtures/regenerate.py), and never while testing."""

from __future__ import annotations

import os
import subprocess
import sys

from support import FIXTURES, expected_records
from support.variants import PORTRAIT_CODES


def test_regeneration_is_switched_off() -> None:
    assert not os.environ.get("KAOPING_REGENERATE"), "unset KAOPING_REGENERATE: fixtures are being regenerated"


def test_regeneration_refuses_without_the_flag() -> None:
    env = {k: v for k, v in os.environ.items() if k != "KAOPING_REGENERATE"}
    run = subprocess.run([sys.executable, str(FIXTURES / "regenerate.py")], env=env, capture_output=True, text=True)
    assert run.returncode == 2 and "KAOPING_REGENERATE=1" in run.stderr


def test_portrait_cut_truth_is_the_sample_records() -> None:
    """The recipe's expected file is the sample's truth, cut to the portrait codes, unchanged."""
    cut = [r for r in expected_records() if r["code"] in PORTRAIT_CODES]
    assert expected_records(FIXTURES / "notice_portrait.expected.json") == cut
