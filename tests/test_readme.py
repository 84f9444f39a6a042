"""The README documents the contract: every field of every output model is named there."""


import pytest
from kaoping.schema.models import (
    Accounting,
    Citation,
    DiffChange,
    Indicator,
    Issue,
    Notice,
    Person,
    Reference,
    Source,
    Step,
    Target,
    TotalRow,
)
from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "model", [Indicator, Source, Notice, Step, Reference, Citation, Target, Issue, Person, TotalRow, Accounting,
              DiffChange]
)
def test_every_field_is_documented(model) -> None:
    missing = [name for name in model.model_fields if f"`{name}`" not in README]
    assert missing == []


def test_readme_gives_the_two_setup_commands() -> None:
    assert "make run" in README and "make test" in README


def test_every_finding_kind_is_explained() -> None:
    from kaoping.writers.labels import known_kinds

    missing = [kind for kind in known_kinds() if f"`{kind}`" not in README]
    assert missing == []


def test_every_limit_flag_is_documented() -> None:
    from kaoping.schema.limits import Limits

    flags = [f.metadata.get("flag") for f in __import__("dataclasses").fields(Limits)]
    missing = [flag for flag in flags if flag and f"`{flag}`" not in README]
    assert missing == []
