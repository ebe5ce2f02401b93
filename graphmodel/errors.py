"""The one error hierarchy: everything FamilyGraph raises on purpose is a FamilyGraphError."""

from __future__ import annotations

__all__ = ["FamilyGraphError", "UserInputError"]


class FamilyGraphError(Exception):
    """A failure a person can act on; the CLI prints it as one line and exits non-zero."""

    exit_code = 1


class UserInputError(FamilyGraphError, ValueError):
    """An argument or value given by a person is not in an accepted form; the message lists the accepted forms."""

    exit_code = 2
