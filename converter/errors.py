"""Errors that end a conversion cleanly: the CLI prints them as one message and exits 2."""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be converted at all (not a HAR, not XML, refused XML, wrong types...).

    ``where`` names the place inside the file (a JSON path like ``log.entries[3].request.url``,
    or a line number), so the message points the user at the fix.
    """

    def __init__(self, path: str, message: str, where: str | None = None) -> None:
        self.path = path
        self.where = where
        self.message = message
        place = f" at {where}" if where else ""
        super().__init__(f"{path}{place}: {message}")


class UsageError(Exception):
    """An option or option combination the user has to change."""
