"""The exception hierarchy. Messages are part of the contract: tests pin them.

Fatal problems raise one of these; non-fatal ones become :class:`schema.models.Issue` records.
"""

from __future__ import annotations


class KaopingError(Exception):
    """Base of every error kaoping raises on purpose. ``exit_code`` is the CLI's exit status."""

    exit_code = 1

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


class UsageError(KaopingError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


class InputError(KaopingError):
    """The input file cannot be read as a notice: empty, corrupt, encrypted, no table... (exit 3)."""

    exit_code = 3


class OutputError(KaopingError):
    """The output folder cannot be written (exit 4)."""

    exit_code = 4
