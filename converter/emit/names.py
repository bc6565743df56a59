"""PerfTest name rules: 1–42 characters, a conservative character set, unique within their scope.

Names that had to change keep the original in the resource's ``description`` and get a diagnostic.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 42

# Letters (any script), digits, and a few separators; everything else becomes "_".
_DISALLOWED = re.compile(r"[^\w\-. ()]+", re.UNICODE)  # a run of them becomes one "_"


def sanitize(name: str, fallback: str) -> str:
    """A name PerfTest accepts (may still collide; see :class:`NameRegistry`)."""
    text = unicodedata.normalize("NFC", name)
    text = _DISALLOWED.sub("_", text).strip(" _.")
    if not text:
        text = fallback
    return text[:NAME_MAX].rstrip(" ") or fallback[:NAME_MAX]


def with_suffix(name: str, suffix: str, fallback: str) -> str:
    """``name + suffix`` made valid, with ``name`` cut when needed so that ``suffix`` (" part 2") still fits in
    NAME_MAX characters."""
    whole = sanitize(name + suffix, fallback)
    if whole.endswith(suffix):
        return whole
    return sanitize(name, fallback)[: NAME_MAX - len(suffix)].rstrip(" ") + suffix


class NameRegistry:
    """Hands out unique, valid names within one scope (transactions of a project; cases of a task)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, wanted: str, fallback: str) -> str:
        base = sanitize(wanted, fallback)
        name = base
        number = 2
        while name.casefold() in self._used:
            suffix = f"_{number}"
            name = base[: NAME_MAX - len(suffix)] + suffix
            number += 1
        self._used.add(name.casefold())
        return name


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """A readable operation-id fragment: lower-case ASCII words joined by '-' (may be empty)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG.sub("-", ascii_text).strip("-")[:40].strip("-")
