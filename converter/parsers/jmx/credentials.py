"""Literal credentials written in a JMeter plan: the headers, cookies, parameters and variables the HTTP(S) Test
Script Recorder saves as recorded (an ``Authorization: Bearer eyJ...``, a ``password`` field), or an author typed.

Each literal value becomes a secret variable declared without a value, filled at upload (``--set``,
``--set-file``), and the plan's text refers to it (``Bearer ${authorization}``); a value that is already a
``${...}`` reference (the usual practice in a JMX) is left alone. ``--keep-secrets`` keeps them in clear, said
once (JMX361). What is a credential is HAR's rule (:mod:`converter.parsers.har.secrets`: header and field names,
JSON Web Tokens by value), so both inputs redact the same things. The recorded value is never written: not in the
plan, not in a diagnostic; a last pass (:func:`scrub_scenario`) replaces any other occurrence of a distinctive
one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

from converter.diagnostics import Location, define, first_few
from converter.model import Body, Request, Scenario, Variable

# (shared with the HAR reader: candidates for a module of their own)
from converter.parsers.har.secrets import (
    JWT,
    header_parts,
    is_secret_field,
    is_secret_header,
    looks_like_a_credential,
    name_words,
    spellings,
)

if TYPE_CHECKING:
    from converter.parsers.jmx.context import Context
    from converter.parsers.jmx.tree import Node

JMX_SECRET = define("JMX360", "info", "literal credential replaced by a variable to fill at upload")
JMX_SECRET_KEPT = define("JMX361", "warning", "literal credentials kept in the plan (--keep-secrets)")
JMX_SECRET_CSV = define(
    "JMX362",
    "info",
    "CSV Data Set column named like a credential: the data file's values are written into the plan",
)

ACTION = "value not written; fill it with --set at upload, or in PerfTest"
# What a variable's ledger of notes holds (HeaderSet.notes): (code, message, action, hint)
Note = tuple[str, str, str, str]
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]+")
_REFERENCE = re.compile(r"\$\{([^${}()]+)\}")


def is_literal(value: str) -> bool:
    """A value written as it is sent: not empty, and no ``${...}`` reference in it (a variable or function
    JMeter evaluates, which holds no recorded value)."""
    return bool(value.strip()) and "${" not in value


def _fill_hint(variable: str) -> str:
    return f"perftest-convert upload plan.json --set {variable}=..."


def replace(
    ctx: Context,
    node: Node,
    value: str,
    suggested: str,
    where: str,
    kind: str = "",
    deferred: tuple[list[Variable], list[Note]] | None = None,
) -> str:
    """What the plan writes for ``value``, found at ``where`` ("header Authorization (Bearer)", "form field pin")
    of ``node``: a literal becomes ``${variable}``, a secret variable declared without a value and said (JMX360);
    with --keep-secrets it is kept and listed (JMX361). ``deferred``: a Cookie Manager's variables and notes,
    declared and said only where a sampler uses it."""
    if not is_literal(value):
        return value
    if ctx.keep_secrets:
        ctx.secrets_kept.setdefault(where, None)
        return value
    variable = _variable_for(ctx, value, suggested, kind)
    declared = Variable(name=variable, kind="text", values=[""], secret=True, source=node.loc)
    note = (JMX_SECRET, f"{where} -> ${{{variable}}}", ACTION, _fill_hint(variable))
    if deferred is None:
        ctx.add_variable(declared, node)
        ctx.secrets_said.setdefault(note[1], {}).setdefault(node.path, node)  # said by report_secrets
    else:
        deferred[0].append(declared)
        deferred[1].append(note)
    return "${" + variable + "}"


def _variable_for(ctx: Context, value: str, suggested: str, kind: str) -> str:
    """The variable of a literal credential: the one its value already has, else one per credential name (and
    ``kind``: an Authorization scheme), as HAR's book gives; a name the plan uses otherwise gets a number."""
    known = ctx.secret_values.get(value)
    if known is not None:
        return known
    base = _NAME_CHARS.sub("_", suggested).strip("_").lower() or "secret"
    base = "v_" + base if base[0].isdigit() else base
    key = f"{base}\n{kind}"
    name = ctx.secret_names.get(key)
    if name is None:
        taken = _reserved(ctx)
        name = base if base not in taken else f"{base}_{kind.lower()}" if kind else ""
        number = 2
        while not name or name in taken:
            name = f"{base}_{number}"
            number += 1
        ctx.secret_names[key] = name
    ctx.secret_values[value] = name
    return name


def _reserved(ctx: Context) -> set[str]:
    """Names a new secret variable may not take: the plan's variables and every name its elements refer to."""

    def scan() -> frozenset[str]:
        names: set[str] = set()
        for root in ctx.top:
            for node in root.walk():
                if node.el is not None:
                    for text in node.el.itertext():
                        if "${" in text:
                            names.update(_REFERENCE.findall(text))
        return frozenset(names)

    referenced = ctx.cached(ctx.top[0], "secret-reserved", scan) if ctx.top else frozenset()
    return set(referenced) | set(ctx.variables) | set(ctx.secret_names.values())


def secret_variable(ctx: Context, node: Node, name: str, values: list[str], what: str) -> bool:
    """Whether variable ``name`` of a User Defined Variables or User Parameters element (``what``), with these
    values, is a credential written in clear (named like one, or a JSON Web Token) that becomes a secret
    variable of that name: said here (JMX360), its values never written; with --keep-secrets, kept and
    listed."""
    literal = [v for v in values if is_literal(v)]
    jwt = any(JWT.fullmatch(v.strip()) for v in literal)
    if not literal or not (jwt or (is_secret_field(name) and not _describes_a_credential(name))):
        return False
    where = f"{what} {name}"
    if ctx.keep_secrets:
        ctx.secrets_kept.setdefault(where, None)
        return False
    for value in literal:
        ctx.secret_values.setdefault(value, name)
    ctx.secret_names.setdefault(f"{name}\n", name)
    several = (
        f" ({len(values)} per-user values: every user reads the one value filled at upload)"
        if len(values) > 1
        else ""
    )
    hint = _fill_hint(name) + (
        "; to give each user a credential of its own, make it a file variable in PerfTest" if several else ""
    )
    ctx.report(JMX_SECRET, node, f"{where} -> ${{{name}}}{several}", action=ACTION, hint=hint)
    return True


def derived_secret(ctx: Context, node: Node, name: str, text: str) -> bool:
    """Whether User Defined Variable ``name``, whose value ``text`` still refers to a secret variable once the
    variables defined before it are substituted (``auth=${user}:${password}``), is a secret too: JMeter computes
    it once from the credential; the plan cannot (a variable's value is not evaluated), so it is filled at upload
    as well (JMX360)."""
    secrets = [
        ref for ref in _REFERENCE.findall(text) if (v := ctx.variables.get(ref)) is not None and v.secret
    ]
    if not secrets:
        return False
    ctx.secret_names.setdefault(f"{name}\n", name)
    made_from = ", ".join(f"${{{ref}}}" for ref in dict.fromkeys(secrets))
    ctx.report(
        JMX_SECRET,
        node,
        f"User Defined Variable {name} (made from {made_from}) -> ${{{name}}}",
        action=ACTION,
        hint=_fill_hint(name) + f" (with the value JMeter computes from {made_from})",
    )
    return True


# The last word of a variable's name that makes it a setting about a credential, not one: a test plan's variables
# name its endpoints and settings too ("token_url", "auth_host", "session_timeout", "csrf_header_name")
_SETTING_WORDS = frozenset(
    {
        "url",
        "uri",
        "endpoint",
        "path",
        "host",
        "hostname",
        "domain",
        "port",
        "timeout",
        "count",
        "header",
        "name",
    }
    | {"type", "length", "ttl", "expiry", "field", "param", "enabled", "mode", "realm", "scope", "file"}
)


def _describes_a_credential(name: str) -> bool:
    """Whether a variable named like a credential is a setting about one (its last word says so)."""
    words = name_words(name)
    return bool(words) and words[-1] in _SETTING_WORDS


def header_value(ctx: Context, node: Node, name: str, value: str) -> str:
    """A Header Manager's header value as the plan writes it: each literal credential of a credential header
    (HAR's :func:`header_parts`: the cookies of a Cookie header, what follows an Authorization scheme, the whole
    value of any other) replaced, and a JSON Web Token in any header."""
    if not value.strip():
        return value
    if is_secret_header(name):
        sent, replaced = [], False
        for part in header_parts(name, value):
            new = replace(ctx, node, part.value, part.suggested, part.where, part.kind) if part.value else ""
            replaced = replaced or new != part.value
            sent.append(part.prefix + new)
        # (as written when nothing is replaced: header_parts joins a Cookie header's cookies with "; ")
        return "; ".join(piece for piece in sent if piece) if replaced else value
    for token in JWT.findall(value) if "eyJ" in value else []:
        variable = replace(ctx, node, token, f"jwt_{name}", f"JWT in header {name}")
        value = value.replace(token, variable)
    return value


def cookie_value(
    ctx: Context, node: Node, name: str, value: str, deferred: tuple[list[Variable], list[Note]]
) -> str:
    """A Cookie Manager's user-defined cookie value: a literal one is a credential when the cookie is named like
    one (``sid``, ``JSESSIONID``, ``auth_token``) or the value is distinctive enough to be a session's (HAR's
    :func:`looks_like_a_credential`: 8 characters or more, not a plain word or number; a JWT). An author sets
    other cookies on purpose (``lang=en``, ``product_list_limit=30``): they are sent as written. (A recorded
    Cookie header of a Header Manager has every cookie replaced, as for HAR.)"""
    if not (is_secret_field(name) or looks_like_a_credential(value.strip())):
        return value
    return replace(ctx, node, value, f"cookie_{name}", f"cookie {name}", name, deferred)


# scheme://user:password@ (the password up to the @ that ends the userinfo)
_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://[^/?#@\s:]*:)([^/?#@\s]+)@", re.I)
# name=value pairs of a query or a form-encoded body
_PAIR = re.compile(r"(^|[?&])([^=&#?\s]+)=([^&#\s]*)")
_FORM_TEXT = re.compile(r"[^=&\s{}\[\]\"]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*")
# an XML element holding text only (a SOAP body's <wsse:Password>, <password>): start tag, name, local name,
# text, end tag
_XML_ELEMENT = re.compile(r"(<((?:[\w.-]+:)?([\w.-]+))(?:\s[^<>]*)?>)([^<]*)(</\2\s*>)")
# a JSON member: "name": "string" or "name": number
_JSON_MEMBER = re.compile(r'"((?:[^"\\\n]|\\.)*)"(\s*:\s*)("(?:[^"\\\n]|\\.)*"|-?[0-9][0-9.eE+-]*)')


def url(ctx: Context, node: Node, text: str) -> str:
    """A sampler's URL as the plan writes it: the literal values of its query's fields named like credentials
    (HAR's :func:`is_secret_field`: ``token``, ``api_key``, ``pin``...) and a password in its userinfo
    (``https://user:password@host/``, a path written as a whole URL) replaced."""
    if "@" in text:
        text = _USERINFO.sub(
            lambda m: (
                m.group(1) + replace(ctx, node, m.group(2), "url_password", "password in the URL") + "@"
            ),
            text,
        )
    if "?" not in text or "=" not in text:
        return text
    path, _, query = text.partition("?")
    return path + "?" + _PAIR.sub(lambda m: _pair(ctx, node, m, "query field"), query)


def body(ctx: Context, node: Node, sent: Body | None) -> Body | None:
    """A sampler's body as the plan writes it: the literal values of its form's or multipart form's fields
    named like credentials, of such members of a JSON body, and of such pairs of a form-encoded raw body,
    replaced."""
    if sent is None:
        return None
    if sent.kind == "form":
        fields = [
            f.model_copy(update={"value": replace(ctx, node, f.value, f.name, f"form field {f.name}")})
            if is_secret_field(f.name)
            else f
            for f in sent.fields
        ]
        return sent.model_copy(update={"fields": fields})
    if sent.kind == "multipart":
        parts = [
            p.model_copy(update={"value": replace(ctx, node, p.value, p.name, f"multipart field {p.name}")})
            if p.filename is None and is_secret_field(p.name)
            else p
            for p in sent.parts
        ]
        return sent.model_copy(update={"parts": parts})
    text = sent.text
    if text.lstrip().startswith(("{", "[")):
        text = _JSON_MEMBER.sub(lambda m: _member(ctx, node, m), text)
    elif text.lstrip().startswith("<"):
        text = _XML_ELEMENT.sub(lambda m: _element(ctx, node, m), text)
    elif _FORM_TEXT.fullmatch(text.strip()):
        text = _PAIR.sub(lambda m: _pair(ctx, node, m, "body field"), text)
    return sent if text == sent.text else sent.model_copy(update={"text": text})


def _element(ctx: Context, node: Node, match: re.Match[str]) -> str:
    name = match.group(3)
    if not is_secret_field(name):
        return match.group(0)
    value = replace(ctx, node, match.group(4), name, f"XML element {name}")
    return match.group(1) + value + match.group(5)


def _pair(ctx: Context, node: Node, match: re.Match[str], what: str) -> str:
    name, raw = unquote_plus(match.group(2)), match.group(3)
    if "${" in raw or not is_secret_field(name):
        return match.group(0)
    value = replace(ctx, node, unquote_plus(raw), name, f"{what} {name}")
    return f"{match.group(1)}{match.group(2)}={value}"


def _member(ctx: Context, node: Node, match: re.Match[str]) -> str:
    name, spacing, literal = match.group(1), match.group(2), match.group(3)
    if not is_secret_field(name):
        return match.group(0)
    value = literal[1:-1] if literal.startswith('"') else literal
    new = replace(ctx, node, value, name, f"JSON field {name}")
    if new == value:
        return match.group(0)
    return f'"{name}"{spacing}' + (f'"{new}"' if literal.startswith('"') else new)


def report_secrets(ctx: Context) -> None:
    """After the walk: each replacement once (JMX360), at the first element it was made in, with how many others
    made it too (the Recorder writes a Header Manager with the same Authorization for every sampler), each of
    whose ledger rows gets the code; with --keep-secrets, the literal credentials written in clear (JMX361)."""
    for message, nodes in ctx.secrets_said.items():
        first, *others = nodes.values()
        also = f" (also in {len(others)} other element(s))" if others else ""
        variable = message.rpartition("${")[2].rstrip("}")
        ctx.report(JMX_SECRET, first, message + also, action=ACTION, hint=_fill_hint(variable))
        for other in others:
            ctx.collector.mark(other.path, JMX_SECRET)
    if ctx.secrets_kept:
        ctx.report(
            JMX_SECRET_KEPT,
            None,
            f"literal credentials are written into the plan: {first_few(list(ctx.secrets_kept), 6)}",
            action="kept as written",
            hint="drop --keep-secrets to replace them by variables",
        )


def csv_column(ctx: Context, node: Node, variable: Variable) -> None:
    """A CSV Data Set column named like a credential (JMX362): the data is the user's own file, not redacted,
    but its values are written into the plan (an enum variable), which the user may not expect of a plan to
    share."""
    if is_secret_field(variable.name) and any(is_literal(str(v)) for v in variable.values):
        ctx.report(
            JMX_SECRET_CSV,
            node,
            f"column {variable.name!r} is named like a credential: its {len(variable.values)} value(s) are "
            "written into the plan as the enum variable's values",
            action="kept as in the data file (it is your own test data)",
            hint="use test accounts' credentials in the file, or keep the plan as private as the file",
        )


def scrub_scenario(ctx: Context, scenario: Scenario) -> None:
    """A last pass: every distinctive literal credential (HAR's :func:`looks_like_a_credential`) replaced
    wherever else the plan or a diagnostic still writes it (the JWT of a header copied into a body, a password
    repeated in a URL), in its usual spellings; any other where a diagnostic quotes it (the default of a
    ``__P`` property that became a credential: "using '123123q'") and as a property's value read."""
    pairs = [
        (form, "${" + variable + "}")
        for value, variable in ctx.secret_values.items()
        if looks_like_a_credential(value)
        for form in spellings(value)
    ]
    quoted = [
        (f"{quote}{value}{quote}", f"{quote}${{{variable}}}{quote}")
        for value, variable in ctx.secret_values.items()
        for quote in ("'", '"')
    ]
    for name, value in scenario.properties_used.items():
        if value in ctx.secret_values:
            scenario.properties_used[name] = "${" + ctx.secret_values[value] + "}"
    if not quoted:
        return
    pairs.sort(key=lambda pair: -len(pair[0]))

    def clean(text: str, pairs: list[tuple[str, str]] = pairs) -> str:
        for form, placeholder in pairs:
            if form in text:
                text = text.replace(form, placeholder)
        return text

    for request in _requests(scenario) if pairs else ():
        request.name = clean(request.name)  # (the Recorder names a sampler by its URL)
        request.source = _located(request.source, clean)
        request.url = clean(request.url)
        for header in request.headers:
            header.value = clean(header.value)
        body = request.body
        if body is not None:
            body.text = clean(body.text)
            for field in body.fields:
                field.value = clean(field.value)
            for part in body.parts:
                part.value = clean(part.value)
        for check in request.checks:
            check.values = [clean(v) for v in check.values]
    in_messages = sorted(pairs + quoted, key=lambda pair: -len(pair[0]))
    for row in scenario.ledger if pairs else ():
        row.name = clean(row.name)
    for diagnostic in scenario.diagnostics:
        diagnostic.location = _located(diagnostic.location, clean)
        diagnostic.message = clean(diagnostic.message, in_messages)
        diagnostic.action = clean(diagnostic.action, in_messages)
        diagnostic.hint = clean(diagnostic.hint, in_messages)


def _located(location: Location | None, clean: Callable[[str], str]) -> Location | None:
    """``location`` with its element's name cleaned (a Location is frozen)."""
    if location is None or not location.name:
        return location
    name = clean(location.name)
    return location if name == location.name else location.model_copy(update={"name": name})


def _requests(scenario: Scenario) -> Iterator[Request]:
    stack: list[object] = [*scenario.cases, *scenario.transactions.values()]
    while stack:
        item = stack.pop()
        if isinstance(item, Request):
            yield item
        stack.extend(getattr(item, "steps", ()))
