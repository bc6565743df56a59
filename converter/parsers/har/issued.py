"""Recorded credentials the server handed out during the recording (correlation).

A session cookie set by a login response, a CSRF token written into a page, an access token returned as JSON:
the recording replays them as fixed values, but on a real run each virtual user gets its own from the server.
This module finds, for each recorded credential value, the first response that carried it before the
credential was sent, so the reader can say so instead of presenting the fixed variable as equivalent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from converter.parsers.har.entry import BLANKS
from converter.parsers.har.secrets import looks_like_a_credential

_TEXT_TYPES = ("json", "html", "xml", "text/", "javascript")


@dataclass(frozen=True)
class Issued:
    """Where the server handed a credential value out: the entry whose response carried it, and how."""

    index: int  # the entry's index in the file
    how: str  # e.g. "Set-Cookie sessionid", "response header X-Auth-Token", "response body"
    sent_by: int  # the index of the first entry that sent the value handed out (after this response)


def issued_by_server(
    responses: Iterable[tuple[int, Any]],
    first_use: Mapping[str, int],
    order: Mapping[int, int],
    in_bodies: Iterable[str] = (),
) -> dict[str, Issued]:
    """For each credential value in ``first_use`` (value -> index of the first entry that sent it), the first
    response before that entry that carried it: in a Set-Cookie or another header, or, for the values of
    ``in_bodies`` (tokens; cookies come in Set-Cookie headers), in a text body. ``responses`` are ``(entry
    index, raw response)`` in recorded order, and ``order`` maps an entry index to its position in that order."""
    found: dict[str, Issued] = {}
    # only values distinctive enough to be searched for in any text (the scrubber's own rule)
    spellings: dict[str, str] = {}  # as a body may write it -> the value (JSON may escape "/" as "\\/")
    for value in in_bodies:
        if looks_like_a_credential(value) and value in first_use:
            spellings[value] = spellings[value.replace("/", "\\/")] = value
    pattern = (
        re.compile("|".join(re.escape(v) for v in sorted(spellings, key=len, reverse=True)))
        if spellings
        else None
    )
    for index, response in responses:
        if not isinstance(response, dict):
            continue
        here = order[index]
        for spelled, how in _carried(response, first_use, pattern):
            value = spellings.get(spelled, spelled)
            if value not in found and here < order[first_use[value]]:
                found[value] = Issued(index=index, how=how, sent_by=first_use[value])
        if len(found) == len(first_use):
            break
    return found


def _carried(
    response: dict[str, Any], values: Mapping[str, int], pattern: re.Pattern[str] | None
) -> Iterable[tuple[str, str]]:
    """(value, how) for each credential value the response carries: cookies it sets, header values, its text."""
    headers = response.get("headers")
    for header in headers if isinstance(headers, list) else ():  # (only a 3xx's headers are type-checked)
        value = header.get("value") if isinstance(header, dict) else None
        if value.__class__ is not str:
            continue
        name = header.get("name")
        if name.__class__ is not str:
            continue
        if name and (name[0] in BLANKS or name[-1] in BLANKS):  # "Set-Cookie ": the field all the same
            name = name.strip(BLANKS)
        if len(name) == 8 and name.lower() == "location":  # a redirect's query or fragment (an OAuth code...)
            yield from _in_location(value, values)
        elif len(name) == 10 and name.lower() == "set-cookie":
            for line in value.split("\n"):  # Firefox joins several Set-Cookie headers with newlines
                cookie, _, cookie_value = line.partition(";")[0].partition("=")
                if cookie_value.strip() in values:
                    yield cookie_value.strip(), f"Set-Cookie {cookie.strip()}"
        else:
            for credential in (value, value.partition(" ")[2].strip()):  # or "Bearer <token>": the token
                if credential in values and looks_like_a_credential(credential):
                    yield credential, f"response header {name}"
                    break
    target = response.get("redirectURL")  # (some producers record it without the Location header)
    if isinstance(target, str) and "=" in target:
        yield from _in_location(target, values)
    if pattern is None:
        return
    content = response.get("content")
    if not isinstance(content, dict) or content.get("encoding") == "base64":
        return
    text, mime = content.get("text"), content.get("mimeType")
    if (
        not isinstance(text, str)
        or not isinstance(mime, str)
        or not any(k in mime.lower() for k in _TEXT_TYPES)
    ):
        return
    for match in pattern.finditer(text):
        yield match.group(0), "response body"


def _in_location(location: str, values: Mapping[str, int]) -> Iterable[tuple[str, str]]:
    """(value, how) for each credential value in a redirect target's query or fragment: a distinctive value
    under any name, a shorter one under ``code`` (an authorization code some providers issue short)."""
    for where, credential in _location_fields(location):
        if credential in values and (looks_like_a_credential(credential) or where.endswith(" field code")):
            yield credential, f"Location {where}"


def location_of(response: Any) -> str:
    """A response's redirect target as recorded (``redirectURL``, or else its Location header), or ""."""
    if not isinstance(response, dict):
        return ""
    target = response.get("redirectURL")
    if isinstance(target, str) and target:
        return target
    headers = response.get("headers")
    for header in headers if isinstance(headers, list) else ():
        if isinstance(header, dict) and str(header.get("name")).strip(BLANKS).lower() == "location":
            value = header.get("value")
            return value if isinstance(value, str) else ""
    return ""


def _location_fields(location: str) -> list[tuple[str, str]]:
    """(where, value) of the fields of a redirect target's query and fragment (where OAuth puts its answers):
    "query field code", "fragment field access_token"."""
    if "=" not in location:
        return []
    before, _, fragment = location.partition("#")
    return [
        (f"{part} field {name}", value)
        for part, text in (("query", before.partition("?")[2]), ("fragment", fragment))
        for name, value in parse_qsl(text)
    ]
