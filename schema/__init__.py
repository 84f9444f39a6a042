"""kaoping's dataset contract: pydantic models, the raw document model, errors, Arrow schemas."""

from kaoping.schema.errors import InputError, KaopingError, OutputError, UsageError
from kaoping.schema.models import (
    SCHEMA_VERSION,
    Accounting,
    BodyPart,
    Citation,
    Indicator,
    Issue,
    Notice,
    NoticeDocument,
    Person,
    Reference,
    Role,
    Source,
    Step,
    Target,
    TotalRow,
)
from kaoping.schema.raw import RawCell, RawDocument, RawParagraph, RawRow, RawTable, SourceInfo

__all__ = [
    "SCHEMA_VERSION",
    "Accounting",
    "BodyPart",
    "Citation",
    "Indicator",
    "InputError",
    "Issue",
    "KaopingError",
    "Notice",
    "NoticeDocument",
    "OutputError",
    "Person",
    "RawCell",
    "RawDocument",
    "RawParagraph",
    "RawRow",
    "RawTable",
    "Reference",
    "Role",
    "Source",
    "SourceInfo",
    "Step",
    "Target",
    "TotalRow",
    "UsageError",
]
