"""Where a request carries credentials: the rules the reader's collection (which gives each recorded credential
a variable, see :mod:`.secrets`) and its final check (which makes sure none is left in clear in the plan,
HAR021, or lists those --keep-secrets keeps, HAR005) share, so the two read a request the same way: its headers
(credential headers, the query of a URL in another header, JWTs), secret-named query and form fields, OAuth and
SAML login credentials (:mod:`.oauth`), and fields inside values written as JSON or XML (GraphQL arguments,
SOAP logins).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

from converter.model import Body, Request
from converter.parsers.har.bodies import is_json_text, looks_like_form
from converter.parsers.har.oauth import IN_JSON, IN_QUERY, VARIABLES, may_name_one, single_use_fields
from converter.parsers.har.secrets import (
    ENCODED_EQUALS,
    JWT,
    header_parts,
    is_secret_header,
    is_secret_pair,
    may_name_a_secret,
    path_token_places,
    path_tokens,
)


def credentials_in(request: Request, place: Callable[[str, bool], int]) -> Iterator[tuple[str, str]]:
    """Every credential a request sends, as (where, value sent): those of its headers
    (:func:`header_credentials`), a URL password, secret-named query, form, multipart and JSON fields, JWTs
    anywhere, and single-use tokens in the URL's path (:func:`path_tokens`). The same rules as the collection,
    applied to what is written into the plan (``place``: where a URL's query or form is, for OAuth codes, see
    oauth.py)."""
    for header in request.headers:
        yield from (
            (found.label, found.value) for found in header_credentials(header.name, header.value, place)
        )
    url = request.url
    if "@" in url:  # (a URL split only where there can be a password: it is costly on large recordings)
        parts = urlsplit(url)
        if parts.password:
            yield "password in the URL", parts.password
        elif parts.username:
            yield "user name in the URL", parts.username
    at = place(url, "code" in url)
    yield from ((where, value) for _, where, value, _ in url_credentials(url, at))
    if "eyJ" in request.url:
        yield from (("JWT in the URL", token) for token in JWT.findall(request.url))
    body = request.body
    if body is None:
        return
    if body.kind == "raw":
        text = body.text
        at = place(url, "code" in text)
        if "x-www-form-urlencoded" in (body.content_type or "").lower() and not is_json_text(text):
            # a form kept as its text (not UTF-8)
            yield from ((where, value) for _, where, value, _ in secret_pairs(text, "form field", at))
        elif looks_like_form(text):  # a form under another type (text/plain...)
            yield from ((where, value) for _, where, value, _ in secret_pairs(text, "form field", at))
        else:
            kind = "XML" if text.lstrip().startswith("<") else "JSON"
            yield from (
                (f"{kind} field {name}" + kind_note(what), value)
                for name, value, what in nested_secret_fields(text)
            )
        if "eyJ" in body.text:
            yield from (("JWT in the body", token) for token in JWT.findall(body.text))
        return
    pairs = [(f.name, f.value) for f in body.fields] if body.kind == "form" else []
    pairs += [(p.name, p.value) for p in body.parts if p.filename is None]
    at = place(url, any(name == "code" for name, _ in pairs))
    yield from ((where, value) for _, where, value, _ in secret_fields(pairs, f"{body.kind} field", at))


def places_of(request: Request, placeholder: str, kind: str = "") -> list[str]:
    """Where a request of the plan sends ``placeholder`` (a variable reference), in the collection's words
    (HAR004 says them at that request) and in the request's order: each cookie or Authorization credential,
    query field (of the URL, or of a URL in another header: ``query field token in header Referer``), form or
    multipart field (``field password in form field payload`` inside a value written as JSON or XML, ``JSON
    field token`` in such a body) it stands in; otherwise the header, the URL or the body as a whole.
    ``kind``: which OAuth or SAML login credential its variable stands for (oauth.py), noted after a field."""
    places: list[str] = []
    for header in request.headers:
        value = header.value
        if placeholder not in value:
            continue
        if is_secret_header(header.name):
            in_header = [p.where for p in header_parts(header.name, value) if placeholder in p.value]
        else:  # a URL's query (Referer...)
            query = value.partition("?")[2].partition("#")[0] if "://" in value else ""
            pairs = parse_qsl(query, keep_blank_values=True)
            in_header = [
                f"{p} in header {header.name}"
                for p in _fields_sending(pairs, "query field", placeholder, kind)
            ]
        places += in_header or [f"header {header.name}"]
    url = request.url
    if placeholder in url:
        in_url = []
        if "@" in url:
            parts = urlsplit(url)
            if placeholder in (parts.password or ""):
                in_url.append(f"password in the URL of {parts.hostname or ''}")
            elif placeholder in (parts.username or ""):
                in_url.append(f"user name in the URL of {parts.hostname or ''}")
        query = url.partition("#")[0].partition("?")[2]
        in_url += _fields_sending(parse_qsl(query, keep_blank_values=True), "query field", placeholder, kind)
        in_url += path_token_places(url, placeholder)
        places += in_url or ["the URL"]
    body = request.body
    if body is not None and any(placeholder in text for text in body_texts(body)):
        places += _body_places(body, placeholder, kind) or ["the body"]
    return list(dict.fromkeys(places))


def _body_places(body: Body, placeholder: str, kind: str) -> list[str]:
    """:func:`places_of` in a body: its form or multipart fields, or the fields of a raw form, JSON or XML."""
    if body.kind == "form":
        return _fields_sending([(f.name, f.value) for f in body.fields], "form field", placeholder, kind)
    if body.kind == "multipart":
        parts = [(p.name, p.value) for p in body.parts if p.filename is None]
        return _fields_sending(parts, "multipart field", placeholder, kind)
    text = body.text
    if ("x-www-form-urlencoded" in (body.content_type or "").lower() and not is_json_text(text)) or (
        looks_like_form(text)
    ):
        return _fields_sending(parse_qsl(text, keep_blank_values=True), "form field", placeholder, kind)
    what = "XML" if text.lstrip().startswith("<") else "JSON"
    return [
        f"{what} field {name}" + kind_note(inner or kind)
        for name, value, inner in nested_secret_fields(text)
        if placeholder in value
    ]


def _fields_sending(fields: Iterable[tuple[str, str]], what: str, placeholder: str, kind: str) -> list[str]:
    """The fields among (name, value) pairs whose value holds ``placeholder``: ``{what} {name}``, or the secret
    fields inside a value written as JSON or XML (``field token in form field payload``)."""
    places = []
    for name, value in fields:
        if placeholder in value:
            inner = [
                f"field {inner} in {what} {name}" + kind_note(inner_kind or kind)
                for inner, secret, inner_kind in value_secret_fields(value)
                if placeholder in secret
            ]
            places += inner or [f"{what} {name}" + kind_note(kind)]
    return places


class Credential(NamedTuple):
    """A credential in a request header (:func:`header_credentials`), with what the collection and the final
    check each say of it."""

    label: str  # what the final check calls it (HAR021, HAR005): "cookie sid", "JWT in header X-Id"
    value: str
    where: str  # what the collection calls it (HAR004): "header Authorization (Bearer)", "query field token"
    suggested: str  # the name of its variable, before the book makes it unique
    field_name: str = ""  # the field or cookie it was recorded under
    # what tells apart credentials of one name (an Authorization scheme, a cookie's exact name)
    kind: str = ""
    login: str = ""  # which OAuth or SAML login credential it is (oauth.py), if one


def header_credentials(name: str, value: str, place: Callable[[str, bool], int]) -> list[Credential]:
    """The credentials one request header carries, the one rule of the collection (on the recorded header) and
    of the final check (on the header written into the plan): a credential header's parts (each cookie, what
    follows an Authorization scheme...: :func:`header_parts`); another header's URL (Referer...), the secret
    fields of its query (``place``: where they were, see oauth.py); and JWTs anywhere in the value, named after
    the header when they are the whole of it (X-Csrf-Jwt...). Pieces without a value are given too."""
    found: list[Credential] = []
    if is_secret_header(name):
        found += (
            Credential(part.label, part.value, part.where, part.suggested, part.field_name, part.kind)
            for part in header_parts(name, value)
        )
    elif "://" in value or value.startswith("/"):
        # a URL (Referer, Origin...) or a path (X-Original-URL): its query's and fragment's fields, its path's
        # tokens
        for field_name, where, secret, login in url_credentials(value, place(value, "code" in value)):
            suggested = VARIABLES[login] if login else field_name
            found.append(
                Credential(f"{where} in header {name}", secret, where, suggested, field_name, "", login)
            )
    if "eyJ" in value:
        suggested = name if JWT.fullmatch(value.strip()) is not None else "jwt"
        found += (
            Credential(f"JWT in header {name}", token, f"header {name}", suggested)
            for token in JWT.findall(value)
        )
    return found


def url_credentials(url: str, place: int = IN_QUERY, what: str = "") -> list[tuple[str, str, str, str]]:
    """(name, where, value, kind) of the credentials a URL (or a path) holds, the one rule for every URL read
    (a request's, a nested one, a Location, a header's, a page title): the secret fields of its query and of its
    fragment (``{what}query field token``, ``{what}fragment field access_token``; ``place``: see oauth.py), and
    the single-use tokens of its path (:func:`path_tokens`: name the variable's suggested name)."""
    before, _, fragment = url.partition("#")
    found = list(secret_pairs(before.partition("?")[2], f"{what}query field", place))
    if "=" in fragment:
        found += secret_pairs(fragment, f"{what}fragment field", place)
    found += [(suggested, where, token, "") for where, token, suggested in path_tokens(before)]
    return found


def secret_pairs(text: str, what: str, place: int = IN_QUERY) -> Iterator[tuple[str, str, str, str]]:
    """:func:`secret_fields` of a query or url-encoded form."""
    return secret_fields(parse_qsl(text, keep_blank_values=True) if text else [], what, place)


def secret_fields(
    fields: Iterable[tuple[str, str]], what: str, place: int = IN_QUERY, depth: int = 0
) -> Iterator[tuple[str, str, str, str]]:
    """(name, where, value, kind) of the credentials among the (name, value) fields of a query or a form, for
    the collection and the final check alike: secret-named fields, OAuth and SAML login credentials (``kind``
    says which, see oauth.py; "" for the others, ``place`` where the fields were, :data:`IN_QUERY`...), and the
    same inside a value written as JSON or XML, or holding a URL or a query (:func:`value_secret_fields`;
    ``depth``: how deep in such values the fields are)."""
    fields = list(fields)
    single = single_use_fields(fields, place)
    for name, value in fields:
        kind = single.get(name, "")
        if kind:
            yield name, f"{what} {name} ({kind})", value, kind
        elif is_secret_pair(name, value):
            yield name, f"{what} {name}", value, ""
        else:
            for inner, secret, inner_kind in value_secret_fields(value, depth):
                yield inner, f"field {inner} in {what} {name}" + kind_note(inner_kind), secret, inner_kind


def value_secret_fields(value: str, depth: int = 0) -> list[tuple[str, str, str]]:
    """(name, value, kind) of the credentials inside a field's value: one written as JSON or XML
    (:func:`nested_secret_fields`), or one holding a URL or a query (:func:`query_secret_fields`)."""
    if value[:1] in ("{", "[", "<"):
        return nested_secret_fields(value)
    return url_value_fields(value, depth)


def url_value_fields(value: str, depth: int = 0) -> list[tuple[str, str, str]]:
    """(name, value, kind) of the credentials of a URL, a path or a query held in a field's value
    (``return_to=/invitations/<token>/accept``, ``next=https%3A%2F%2F...%3Ftoken%3D...``): its query's fields
    (:func:`query_secret_fields`) and its path's tokens (:func:`path_tokens`), decoded up to twice."""
    found = query_secret_fields(value, depth) if may_hold_a_query(value) else []
    text = value
    for _ in range(3):
        if "/" in text:
            found += [(suggested, token, "") for _, token, suggested in path_tokens(text)]
            break
        if "%" not in text:
            break
        text = unquote(text)
    return found


# a query without a URL ("a=b&c=d"): names without spaces, slashes or the query's own delimiters
_BARE_QUERY = re.compile(r"[^=&\s?#/]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*&?")
_MAX_NESTING = 4  # URLs in queries in URLs...: deeper is no recording's


def may_hold_a_query(value: str) -> bool:
    """Whether a field's value may hold a URL with a query or a query (a quick test: an "=", spelt as is or
    percent-encoded)."""
    return "=" in value or ("%" in value and ENCODED_EQUALS.search(value) is not None)


def query_in(value: str) -> str | None:
    """The query a field's value holds, decoded up to twice until one shows (``returnUrl=%2Freset%3Ftoken%3D...``,
    ``next=https%253A%252F%252F...``): a URL's or a path's query and its fragment's fields
    (``/cb#access_token=...``), or the whole value when it is a bare query (``a=b&c=d``); None for another value."""
    text = value
    for _ in range(3):
        if "=" in text:
            if "?" in text or "#" in text:
                before, _, fragment = text.partition("#")
                query = "&".join(q for q in (before.partition("?")[2], fragment) if "=" in q)
                if query:
                    return query
            elif _BARE_QUERY.fullmatch(text.strip()):
                return text.strip()
        if "%" not in text:
            return None
        text = unquote(text)
    return None


def query_secret_fields(value: str, depth: int = 0) -> list[tuple[str, str, str]]:
    """(name, value, kind) of the credentials in the query a field's value holds (:func:`query_in`), by the rules
    of a request's query, also in values nested deeper (up to a few levels)."""
    query = query_in(value) if depth < _MAX_NESTING else None
    if not query:
        return []
    pairs = parse_qsl(query, keep_blank_values=True)
    return [
        (name, secret, kind) for name, _, secret, kind in secret_fields(pairs, "query field", depth=depth + 1)
    ]


def kind_note(kind: str) -> str:
    return f" ({kind})" if kind else ""


def json_secret_fields(text: str) -> list[tuple[str, str, str]]:
    """(name, value, kind) of the secret-named fields of a JSON text and of its OAuth and SAML login credentials
    (``kind``, see oauth.py): at any depth, every one of duplicate keys, and inside strings that are JSON
    themselves (GraphQL variables sent as a string)."""
    if not may_name_a_secret(text) and not may_name_one(text):
        return []
    try:
        data = json.loads(text, object_pairs_hook=_Pairs)
    except (ValueError, RecursionError):
        return []
    found: list[tuple[str, str, str]] = []
    _collect_secret_fields(data, found)
    return found


class _Pairs(list):  # type: ignore[type-arg]
    """A JSON object as its (key, value) pairs, duplicates kept (``json.loads`` keeps only the last one)."""


def _collect_secret_fields(value: Any, found: list[tuple[str, str, str]]) -> None:
    if isinstance(value, _Pairs):
        named = _named_value(value)
        if named is not None:  # {"name": ..., "value": ...}: only the value can be a credential
            if is_secret_pair(*named):
                found.append((*named, ""))
            return
        single = single_use_fields([(str(k), v) for k, v in value if isinstance(v, str)], IN_JSON)
        _collect_graphql_variables(value, found)
        for key, item in value:
            kind = single.get(str(key), "") if isinstance(item, str) else ""
            if kind:
                if item:
                    found.append((str(key), item, kind))
            elif (
                isinstance(item, str | int)
                and not isinstance(item, bool)
                and is_secret_pair(str(key), str(item))
            ):
                if str(item):
                    found.append((str(key), str(item), ""))
            elif key == "query" and isinstance(item, str) and ":" in item:
                _collect_graphql_arguments(item, found)
            else:
                _collect_secret_fields(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect_secret_fields(item, found)
    elif isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        found.extend(json_secret_fields(value))
    elif isinstance(value, str) and (may_hold_a_query(value) or "/" in value or "%" in value):
        found.extend(url_value_fields(value))  # a URL or query: returnUrl, next, redirect...


_PAIR_NAMES = frozenset({"name", "key", "field"})


def _named_value(pairs: _Pairs) -> tuple[str, str] | None:
    """(name, value) of a name/value-pair object (``{"name": "password", "value": "..."}``: jQuery's
    serializeArray, form builders; ``{"key": ..., "value": ...}``; member names in any case), its value a string
    or a number; else None."""
    if len(pairs) != 2:
        return None
    # member names in any case: "Name"/"Value" from .NET and Java serialisers
    fields = {str(key).lower(): item for key, item in pairs}
    if len(fields) != 2:
        return None
    value = fields.get("value")
    names = [fields[key] for key in _PAIR_NAMES.intersection(fields) if isinstance(fields[key], str)]
    if len(names) != 1 or not isinstance(value, str | int) or isinstance(value, bool) or not str(value):
        return None
    return names[0], str(value)


# an XML element holding text only: <password>...</password>, <ns:Token attr="...">...</ns:Token>, or a CDATA
# section: <password><![CDATA[...]]></password>
_XML_FIELD = re.compile(
    r"<((?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*))(?:\s[^<>]*)?>"
    r"(?:([^<>]+)|\s*<!\[CDATA\[(.*?)\]\]>\s*)</\1\s*>",
    re.S,
)
# the attributes of an XML start tag: <session token="..."/>
_XML_TAG = re.compile(r"<[A-Za-z_][\w.:-]*(\s[^<>]*?)/?>")
_XML_ATTRIBUTE = re.compile(
    r"""(?:^|\s)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')"""
)


def nested_secret_fields(text: str) -> list[tuple[str, str, str]]:
    """Secret-named fields of a body or a field value written as JSON or XML (a SOAP login...)."""
    stripped = text.lstrip()[:1]
    if stripped in ("{", "["):
        return json_secret_fields(text)
    if stripped == "<":
        return xml_secret_fields(text)
    return []


def xml_secret_fields(text: str) -> list[tuple[str, str, str]]:
    """(name, value, kind) of the credentials of an XML text: secret-named elements (their text as written, or
    their CDATA section's) and attributes (``<session token="..."/>``), and the credentials of a URL or query
    in another element's text (``<ReturnUrl>https://...?access_token=...&amp;state=1</ReturnUrl>``)."""
    found: list[tuple[str, str, str]] = []
    secret_named = may_name_a_secret(text)
    for match in _XML_FIELD.finditer(text):
        name, value = match.group(2), match.group(3) if match.group(3) is not None else match.group(4)
        if not value.strip():
            continue
        if secret_named and is_secret_pair(name, value):
            found.append((name, value, ""))
        elif ("=" in value or "/" in value) and match.group(4) is None:
            found += url_value_fields(html.unescape(value))
    if secret_named and "=" in text:
        for tag in _XML_TAG.finditer(text):
            for attribute in _XML_ATTRIBUTE.finditer(tag.group(1)):
                name = attribute.group(1)
                value = attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
                if value and is_secret_pair(name, value):
                    found.append((name, value, ""))
    return found


# a GraphQL argument given inline as a string or an integer: login(username: "alice", password: "..."),
# verifyPin(pin: 482913); or as the variable reference that replaced one (where the plan sends it: places_of)
_GRAPHQL_ARGUMENT = re.compile(
    r'([_A-Za-z][_0-9A-Za-z]*)\s*:\s*(?:"((?:[^"\\\n]|\\.)*)"|(-?[0-9]+(?![\w.])|\$\{[\w.-]+\}))'
)


def _collect_graphql_arguments(query: str, found: list[tuple[str, str, str]]) -> None:
    """Secret-named string and integer arguments written into a GraphQL document (rather than passed as variables)."""
    if not may_name_a_secret(query):
        return
    for name, literal, number in _GRAPHQL_ARGUMENT.findall(query):
        if number and is_secret_pair(name, number):
            found.append((name, number, ""))
        elif literal and is_secret_pair(name, literal):
            try:
                found.append((name, json.loads(f'"{literal}"'), ""))
            except ValueError:  # a GraphQL escape JSON does not know: the literal as written
                found.append((name, literal, ""))


# a GraphQL argument given a variable: login(password: $p) — the variable's value is the argument's
_GRAPHQL_VARIABLE_ARGUMENT = re.compile(r"([_A-Za-z][_0-9A-Za-z]*)\s*:\s*\$([_A-Za-z][_0-9A-Za-z]*)")


def _collect_graphql_variables(request: _Pairs, found: list[tuple[str, str, str]]) -> None:
    """The values of the ``variables`` of a GraphQL request (``{"query": ..., "variables": {...}}``) that its
    query passes to secret-named arguments under other names (``login(password: $p)`` with ``"p": "..."``):
    found under the variable's own name, where the body sends the value."""
    query = next((item for key, item in request if key == "query" and isinstance(item, str)), None)
    variables = next((item for key, item in request if key == "variables" and isinstance(item, _Pairs)), None)
    if query is None or variables is None or "$" not in query or not may_name_a_secret(query):
        return
    arguments: dict[str, list[str]] = {}  # variable -> the arguments it is given to
    for argument, variable in _GRAPHQL_VARIABLE_ARGUMENT.findall(query):
        arguments.setdefault(variable, []).append(argument)
    for key, item in variables:
        if not isinstance(item, str | int) or isinstance(item, bool) or not str(item):
            continue
        text = str(item)
        if any(is_secret_pair(a, text) for a in arguments.get(str(key), ())) and not is_secret_pair(
            str(key), text
        ):
            found.append((str(key), str(item), ""))


def body_texts(body: Body | None) -> list[str]:
    if body is None:
        return []
    if body.kind == "raw":
        return [body.text]
    if body.kind == "form":
        return [f.value for f in body.fields]
    return [p.value for p in body.parts]


def in_clear(value: str) -> bool:
    """A credential's value as sent is the recorded one: not empty and no variable reference in it."""
    return bool(value.strip()) and "${" not in value
