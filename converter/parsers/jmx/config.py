"""Config elements: HTTP Request Defaults, Header/Cookie/Cache/Authorization/DNS managers, TCP defaults,
and the variable sources (User Defined Variables, User Parameters, CSV Data Set, Random Variable, Counter)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from converter.diagnostics import define, first_few
from converter.expressions import EXP_APPROXIMATED
from converter.model import Header, Variable
from converter.parsers.jmx import credentials, props
from converter.parsers.jmx.classify import normalise
from converter.parsers.jmx.context import JMX_VARIABLE_REDEFINED, Context
from converter.parsers.jmx.tree import Node

JMX_UDV = define("JMX301", "info", "User Defined Variables converted to enum variables")
JMX_USER_PARAMETERS = define(
    "JMX302", "warning", "User Parameters converted to enum variables (one value per user)"
)
JMX_CSV_COLUMNS = define("JMX303", "warning", "CSV Data Set converted to one enum variable per column")
JMX_CSV_MISSING = define(
    "JMX304", "error", "CSV Data Set file not found or unreadable: variables not created"
)
JMX_CSV_TOO_BIG = define("JMX305", "error", "CSV Data Set file too large to inline as enum variables")
JMX_COOKIES_ENGINE = define("JMX306", "warning", "Cookie Manager: cookie handling left to PerfTest's engine")
JMX_COOKIES_HEADER = define(
    "JMX307", "warning", "Cookie Manager's user-defined cookies sent as a Cookie header"
)
JMX_CACHE = define("JMX308", "warning", "Cache Manager not emulated: every request is sent")
JMX_DNS = define("JMX309", "warning", "DNS Cache Manager not emulated: the load generators' resolver is used")
JMX_DNS_HOSTS = define("JMX310", "error", "DNS Cache Manager static hosts / custom resolvers not converted")
JMX_AUTH_BASIC = define("JMX311", "warning", "Authorization Manager (Basic) became an Authorization header")
JMX_AUTH_OTHER = define("JMX312", "error", "Authorization Manager mechanism not converted (only Basic is)")
JMX_CONFIG_UNSUPPORTED = define("JMX313", "error", "config element not converted")
JMX_RANDOM_VARIABLE = define("JMX314", "warning", "Random Variable converted to an int_range variable")
JMX_COUNTER = define(
    "JMX317",
    "warning",
    "Counter converted to an int_range variable; PerfTest's stepping and sharing may differ",
)
JMX_SUPERSEDED = define(
    "JMX318", "info", "Cookie/Authorization Manager superseded by another in scope: not applied, as in JMeter"
)
JMX_CONFIG_FILTERED = define("JMX315", "info", "non-load config element (e.g. Property Display) skipped")
JMX_CSV_EOF = define(
    "JMX316", "warning", "CSV Data Set end-of-file behaviour (stop thread, no recycle) not reproduced"
)
JMX_COOKIES_CLEARED = define(
    "JMX330", "warning", "Cookie Manager clears the cookies at each iteration: not reproduced"
)

CSV_MAX_BYTES = 1_000_000
CSV_MAX_ROWS = 10_000


class HttpArg(NamedTuple):
    """One HTTP parameter (``HTTPArgument``), expressions rendered."""

    name: str
    value: str
    encode: (
        bool  # HTTPArgument.always_encode: JMeter URL-encodes it; otherwise it is taken as already encoded
    )
    equals: str = "="  # Argument.metadata: what joins name and value in a query string


@dataclass
class HttpDefaults:
    values: dict[str, str]
    args: list[HttpArg]
    raw_body: bool | None  # HTTPSampler.postBodyRaw; None when the element does not set it
    # the settings written with ${...} references, as written (``values`` holds them rendered): for messages
    written: dict[str, str] = field(default_factory=dict)


@dataclass
class HeaderSet:
    role: Literal["manager", "cookie", "auth"]
    headers: list[Header] = field(default_factory=list)
    node: Node | None = None  # the Cookie / Authorization Manager it comes from
    # What applying a Cookie / Authorization Manager means: reported, and its variables declared, only where a
    # sampler really uses it (JMeter ignores all but one of them in a scope: samplers.kept_manager).
    notes: list[tuple[str, str, str, str]] = field(default_factory=list)  # (code, message, action, hint)
    variables: list[Variable] = field(default_factory=list)


@dataclass
class TcpDefaults:
    values: dict[str, str]


ConfigResult = HttpDefaults | HeaderSet | TcpDefaults | None


def is_http_defaults(node: Node) -> bool:
    return node.kind == "ConfigTestElement" and (
        node.guiclass == "HttpDefaultsGui" or node.has("HTTPSampler.domain")
    )


def http_arguments(ctx: Context, node: Node) -> list[HttpArg]:
    """The sampler's or defaults' parameters, in order, expressions rendered."""
    el = node.element("HTTPsampler.Arguments")
    if el is None:
        return []
    expr = ctx.expr
    out: list[HttpArg] = []
    for item in props.collection(el, "Arguments.arguments"):  # as props.arguments, without the tuples
        if item.tag != "elementProp":
            continue
        values = props.scalars(item)
        name = values.get("Argument.name")
        if name is None:
            name = item.get("name") or ""
        value = values.get("Argument.value") or ""
        metadata = values.get("Argument.metadata")
        out.append(
            HttpArg(
                expr(node, name) if "${" in name else name,
                expr(node, value) if "${" in value else value,
                props.value_flag(values.get("HTTPArgument.always_encode")),
                "=" if metadata is None else metadata,
            )
        )
    return out


def prepare(ctx: Context, node: Node) -> ConfigResult:
    """Convert a scoped config element once; variable sources register global variables."""
    kind = normalise(node.kind)
    if kind == "ConfigTestElement":
        return _config_test_element(ctx, node)
    if kind == "Arguments":
        _udv(ctx, node, node.el)
        return None
    if kind == "HeaderManager":
        headers: list[Header] = []
        for h in node.collection("HeaderManager.headers"):
            values = props.scalars(h)  # props.text(h, name) for both names, in one pass
            name = values.get("Header.name") or ""
            if name.strip():
                name = ctx.expr(node, name)
                value = ctx.expr(node, values.get("Header.value") or "")
                headers.append(Header(name=name, value=credentials.header_value(ctx, node, name, value)))
        return HeaderSet("manager", headers)
    if kind == "CookieManager":
        return _cookies(ctx, node)
    if kind == "CacheManager":
        ctx.report(
            JMX_CACHE, node, "PerfTest does not emulate a browser cache", action="every request is sent"
        )
        return None
    if kind == "AuthManager":
        return _auth(ctx, node)
    if kind == "DNSCacheManager":
        hosts = node.collection("DNSCacheManager.hosts")
        # DNSCacheManager.requestLookup: a custom resolver without DNS servers falls back to the system one
        servers = [s for s in node.collection("DNSCacheManager.servers") if (s.text or "").strip()]
        if hosts or (servers and node.flag("DNSCacheManager.isCustomResolver")):
            ctx.report(
                JMX_DNS_HOSTS,
                node,
                f"custom DNS resolution ({len(hosts)} static host(s), {len(servers)} DNS server(s)) cannot be "
                "expressed in PerfTest",
                action="not converted; the load generators' resolver is used",
                hint="point the host names at the right addresses in DNS, or use IP addresses in the URLs",
            )
        else:
            ctx.report(JMX_DNS, node, "DNS caching is left to the load generators", action="skipped")
        return None
    if kind == "CSVDataSet":
        _csv(ctx, node)
        return None
    if kind == "RandomVariableConfig":
        _random_variable(ctx, node)
        return None
    if kind == "CounterConfig":
        _counter(ctx, node)
        return None
    ctx.report(
        JMX_CONFIG_UNSUPPORTED,
        node,
        f"{node.kind} has no PerfTest equivalent",
        action="not converted",
    )
    return None


def _config_test_element(ctx: Context, node: Node) -> ConfigResult:
    if is_http_defaults(node):
        named = node.named("HTTPSampler.")
        values = {name: ctx.expr(node, text) for name, text in named}
        written = {name: text for name, text in named if "${" in text}
        for name, text in values.items():
            # an empty boolProp is false, and hides the outer defaults' value as any non-empty text does
            if not text and props.empty_typed(node.tag_of(name)) == "false":
                values[name] = "false"
        raw = node.flag("HTTPSampler.postBodyRaw") if node.has("HTTPSampler.postBodyRaw") else None
        return HttpDefaults(values, http_arguments(ctx, node), raw, written)
    if node.guiclass == "TCPConfigGui" or node.has("TCPSampler.server"):
        values = {
            ch.get("name"): ctx.expr(node, ch.text or "")
            for ch in node.el
            if isinstance(ch.tag, str) and (ch.get("name") or "").startswith("TCPSampler.")
        }
        return TcpDefaults(values)
    if node.guiclass == "PropertyControlGui":
        ctx.collector.set_status(node.path, "filtered")
        ctx.report(
            JMX_CONFIG_FILTERED, node, "Property Display only shows properties in the GUI", action="skipped"
        )
        return None
    ctx.report(
        JMX_CONFIG_UNSUPPORTED,
        node,
        f"config element {node.guiclass or node.kind} has no PerfTest equivalent",
        action="not converted",
    )
    return None


_UDV_REF = re.compile(r"\$\{([^${}()]+)\}")


def _udv(ctx: Context, node: Node, el: object) -> None:
    """JMeter evaluates User Defined Variables once, at the start, in order: a value may use the variables
    defined before it (substituted here) and its functions yield one value for the whole test."""
    count = 0
    defined = ctx.udv_values
    first: dict[str, str] = {}  # this table's names: Arguments.getArgumentsAsMap keeps the first of each
    secret: set[str] = set()  # this table's names whose values became secret variables
    for name, value, _item in props.arguments(el):
        name = ctx.expr(node, name).strip()
        if not name:
            continue
        text = ctx.expr(node, value)
        if name in first:  # a row JMeter leaves out: reported when its value differs
            if text == first[name]:
                continue
            hidden = name in secret  # (a secret's values are written nowhere)
            ctx.report(
                JMX_VARIABLE_REDEFINED,
                node,
                f"variable {name!r} is listed again in this table"
                + ("" if hidden else f" with the value {text!r}")
                + ": JMeter keeps the first row of a name (Arguments.getArgumentsAsMap)",
                action="kept the first value" + ("" if hidden else f", {first[name]!r},") + " as JMeter",
            )
            continue
        if credentials.secret_variable(ctx, node, name, [text], "User Defined Variable"):
            ctx.add_variable(
                Variable(name=name, kind="text", values=[""], secret=True, source=node.loc), node
            )
            first[name] = text  # (the first row of a name is JMeter's, a later one is left out above)
            secret.add(name)
            continue  # (not in ``defined``: a later variable refers to it as ${name})
        if "${" in text:
            text = _UDV_REF.sub(lambda m: defined.get(m.group(1), m.group(0)), text)
        if "${" in text and credentials.derived_secret(ctx, node, name, text):
            ctx.add_variable(
                Variable(name=name, kind="text", values=[""], secret=True, source=node.loc), node
            )
            first[name] = text
            secret.add(name)
            continue
        if "${" in text:
            ctx.report(
                EXP_APPROXIMATED,
                node,
                f"variable {name!r} = {text!r}: JMeter evaluates this once when the test starts",
                action="kept as text; PerfTest may evaluate it at each use or send it literally",
                hint="replace it by a fixed value or a PerfTest variable",
            )
        defined[name] = first[name] = text
        ctx.add_variable(Variable(name=name, kind="enum", values=[text], source=node.loc), node)
        count += 1
    if count:
        ctx.report(JMX_UDV, node, f"{count} variable(s) converted to enum variables", action="one value each")


def plan_variables(ctx: Context, plan: Node) -> None:
    """The Test Plan's own User Defined Variables."""
    udv = props.element(plan.el, "TestPlan.user_defined_variables")
    if udv is not None:
        _udv(ctx, plan, udv)


def user_parameters(ctx: Context, node: Node) -> None:
    names = [ctx.expr(node, n.text or "").strip() for n in node.collection("UserParameters.names")]
    columns = [
        [ctx.expr(node, v.text or "") for v in col if isinstance(v.tag, str)]
        for col in node.collection("UserParameters.thread_values")
        if col.tag == "collectionProp"
    ]
    for i, name in enumerate(names):
        if not name:
            continue
        values = [col[i] for col in columns if i < len(col)] or [""]
        if credentials.secret_variable(ctx, node, name, values, "User Parameter"):
            ctx.add_variable(
                Variable(name=name, kind="text", values=[""], secret=True, source=node.loc), node
            )
            continue
        ctx.add_variable(
            Variable(
                name=name,
                kind="enum",
                values=values,
                read_mode="sequential",
                share_mode="case",  # user n takes the n-th value: the group's users read one sequence in turn
                source=node.loc,
            ),
            node,
        )
    ctx.report(
        JMX_USER_PARAMETERS,
        node,
        f"{len([n for n in names if n])} parameter(s) became enum variables with one value per user",
        action="values are handed out in order; per-iteration updates are not reproduced",
    )


def _cookies(ctx: Context, node: Node) -> ConfigResult:
    pairs = []
    secrets: tuple[list[Variable], list[tuple[str, str, str, str]]] = ([], [])  # declared where it is used
    for cookie in node.collection("CookieManager.cookies"):
        name = cookie.get("name") or props.text(cookie, "Cookie.name")
        if name:
            name = ctx.expr(node, name)
            value = ctx.expr(node, props.text(cookie, "Cookie.value"))
            pairs.append(f"{name}={credentials.cookie_value(ctx, node, name, value, secrets)}")
    ctx.report(
        JMX_COOKIES_ENGINE,
        node,
        "cookies set by responses are assumed to be kept per virtual user by PerfTest",
        action="no explicit cookie handling in the plan",
        hint="check the first run: if sessions break, add Cookie headers or extraction steps",
    )
    # CookieManager.testIterationStart puts back the manager's own cookies (initialCookies): when it follows the
    # thread group (controlledByThreadGroup), where 'Same user on each iteration' is off (JMX209), and its own
    # 'Clear cookies each iteration' is not read; otherwise when that flag is on
    if node.flag("CookieManager.clearEachIteration") and not node.flag(
        "CookieManager.controlledByThreadGroup"
    ):
        start = (
            f"with only the manager's {len(pairs)} user-defined cookie(s) (CookieManager.testIterationStart "
            "restores them), without those responses set"
            if pairs
            else "without cookies"
        )
        ctx.report(
            JMX_COOKIES_CLEARED,
            node,
            f"'Clear cookies each iteration' is on: in JMeter every iteration starts {start} (a new session, e.g. "
            "a fresh login)",
            action="no per-iteration clearing in the plan (the API reference does not say what PerfTest does "
            "with cookies between iterations)",
            hint="check in the first run that each iteration starts a new session where the plan expects one",
        )
    if not pairs:
        # still the sampler's Cookie Manager (HTTPSamplerBase.setCookieManager: it supersedes the inner ones,
        # and it is what makes JMeter send cookies back at all, JMX227)
        return HeaderSet("cookie", [], node)
    note = (
        JMX_COOKIES_HEADER,
        f"{len(pairs)} user-defined cookie(s) sent as a Cookie header (domain/path/expiry not applied)",
        "a Cookie header on every request in scope",
        "",
    )
    cookie = Header(name="Cookie", value="; ".join(pairs))
    return HeaderSet("cookie", [cookie], node, [note, *secrets[1]], secrets[0])


@dataclass
class AuthEntry:
    """One entry of an Authorization Manager and the converted requests JMeter gives it."""

    index: int  # 1-based, in the manager's order
    url: str  # as JMeter compares it: expressions rendered, variables with one value substituted
    mechanism: str  # BASIC (BASIC_DIGEST is its deprecated alias), DIGEST, KERBEROS
    user: str
    variable: str = ""  # the secret variable of its Basic header, named at the first request that carries it
    sent: list[str] = field(default_factory=list)  # requests whose card carries its Basic header
    superseded: list[str] = field(default_factory=list)  # requests whose Header Manager's Authorization wins
    unsent: list[str] = field(
        default_factory=list
    )  # requests it applies to that get nothing (Digest/Kerberos)


@dataclass
class AuthSet(HeaderSet):
    """An Authorization Manager: its entries are matched against each request's URL when the request is
    converted (:func:`authorize`), and reported once the walk is done (:func:`report_auth`)."""

    entries: list[AuthEntry] = field(default_factory=list)
    # requests whose URL is known only at run time: (request, URL, the first entry that can match, header sent)
    unknown: list[tuple[str, str, AuthEntry, bool]] = field(default_factory=list)
    kept: bool = False  # the manager some sampler uses (samplers.kept_manager)
    superseded_by: bool = False  # another manager wins over it for some sampler (JMX318)


JMX_AUTH_UNUSED = define(
    "JMX350",
    "info",
    "Authorization Manager entry that no converted request matches: no credentials sent for it",
)
JMX_AUTH_UNKNOWN = define(
    "JMX351",
    "warning",
    "Authorization Manager: a variable known only at run time decides which entry JMeter gives a request",
)
JMX_AUTH_HEADER_WINS = define(
    "JMX352",
    "info",
    "Authorization Manager entry superseded by a Header Manager's Authorization header: not applied, as in JMeter",
)
_BASIC = ("BASIC", "BASIC_DIGEST")  # AuthManager.Mechanism: BASIC_DIGEST is the deprecated alias of BASIC


def _auth(ctx: Context, node: Node) -> AuthSet:
    """An Authorization Manager's entries, in order. JMeter keeps the manager for the samplers in its scope even
    when it has no entry (it then supersedes the others in scope as any other would)."""
    entries = []
    for i, auth in enumerate(node.collection("AuthManager.auth_list"), start=1):
        values = props.scalars(auth)
        url = values.get("Authorization.url") or ""
        entries.append(
            AuthEntry(
                index=i,
                url=ctx.value(node, url) if "${" in url else url,
                mechanism=(values.get("Authorization.mechanism") or "BASIC").upper(),
                user=values.get("Authorization.username") or "",
            )
        )
    return AuthSet("auth", [], node, entries=entries)


_AUTH_URL = re.compile(r"(?i)(https?)://([^/?#]*)([^?#]*)")


def _auth_forms(url: str) -> list[str]:
    """The strings AuthManager.getAuthForURL tests an entry's URL against (String.startsWith): the request's
    URL as HttpClient 4's PreemptiveAuthRequestInterceptor rebuilds it (scheme, host, port as given, the path
    without the query; an empty path is "/", as the request line has it), and the same with the scheme's
    default port written out, or left out when it is written."""
    m = _AUTH_URL.match(url)
    if m is None:
        return [url]
    scheme, authority, path = m.group(1).lower(), m.group(2), m.group(3) or "/"
    host, port = authority, ""
    split = re.fullmatch(r"(.*):([0-9]*)", authority)
    if split is not None and not authority.endswith("]"):
        host, port = split.groups()
    default = "80" if scheme == "http" else "443"
    forms = [f"{scheme}://{authority}{path}"]
    if not port:
        forms.append(f"{scheme}://{host}:{default}{path}")
    elif port == default:
        forms.append(f"{scheme}://{host}{path}")
    return forms


def _starts_with(text: str, prefix: str) -> bool | None:
    """Whether ``text`` starts with ``prefix``; None when a ``${...}`` left in either decides it."""
    lit, open_text = _literal_head(text)
    head, open_prefix = _literal_head(prefix)
    if not open_prefix and lit.startswith(prefix):
        return True
    n = min(len(lit), len(head))
    if lit[:n] != head[:n]:
        return False  # they differ before any variable
    if open_text:
        return None
    # ``text`` is known: a prefix longer than it, or known and not starting it, cannot start it
    return None if open_prefix and len(head) <= len(lit) else False


def _literal_head(text: str) -> tuple[str, bool]:
    """The text before its first ``${`` and whether there is one."""
    cut = text.find("${")
    return (text, False) if cut < 0 else (text[:cut], True)


def _auth_entry(auth: AuthSet, url: str) -> tuple[AuthEntry | None, bool]:
    """The entry AuthManager.getAuthForURL gives the request to ``url`` (the first whose URL starts it, in
    either form of :func:`_auth_forms`; None when none does), and whether that is known here: False when a
    ``${...}`` left in a URL makes an entry before it possible but not certain (that entry is returned)."""
    forms = _auth_forms(url)
    for entry in auth.entries:
        found = [_starts_with(form, entry.url) for form in forms]
        if True in found:
            return entry, True
        if None in found:
            return entry, False
    return None, True


def authorize(ctx: Context, auth: AuthSet, request: str, url: str, has_header: bool) -> Header | None:
    """The Authorization header the request ``request`` to ``url`` gets from the manager: JMeter's HttpClient 4
    sends a Basic entry's credentials preemptively (PreemptiveAuthRequestInterceptor -> fillAuthCache) for the
    entry AuthManager.getAuthForURL gives the URL, and nothing when none matches; a Digest or Kerberos entry
    answers the server's challenge, which the plan cannot do. A request that has an Authorization header from a
    Header Manager keeps it (HttpClient generates no other when the request has one). What is done is recorded
    on the manager for :func:`report_auth`."""
    entry, known = _auth_entry(auth, ctx.constant(url))
    header = None
    if entry is None:
        pass
    elif entry.mechanism not in _BASIC:
        entry.unsent.append(request)
    elif has_header:
        entry.superseded.append(request)
    else:
        entry.sent.append(request)
        header = Header(name="Authorization", value=f"Basic ${{{_auth_variable(ctx, auth, entry)}}}")
    if not known and entry is not None:  # an entry that may match, or not, at run time
        auth.unknown.append((request, url, entry, header is not None))
    return header


def _auth_variable(ctx: Context, auth: AuthSet, entry: AuthEntry) -> str:
    """The secret variable of a Basic entry's header, declared with the first request that carries it:
    auth_basic for entry 1, auth_basic_N for entry N, with a further number when the name is taken (another
    manager's entry, or a variable of the plan)."""
    if not entry.variable:
        base = "auth_basic" if entry.index == 1 else f"auth_basic_{entry.index}"
        name, n = base, 1
        while name in ctx.variables:
            n += 1
            name = f"{base}_{n}"
        entry.variable = name
        node = auth.node
        assert node is not None
        ctx.add_variable(Variable(name=name, kind="text", values=[""], secret=True, source=node.loc), node)
    return entry.variable


def report_auth(ctx: Context, auth: AuthSet) -> None:
    """Every entry of a manager some sampler uses (or none: one in the scope of no sampler), once the walk has
    matched the requests: Basic ones sent (JMX311), superseded by a Header Manager (JMX352) or matching no
    request (JMX350); Digest and Kerberos ones not converted (JMX312); the requests whose URL decides it only at
    run time (JMX351)."""
    node = auth.node
    assert node is not None
    for entry in auth.entries:
        what = f"entry {entry.index} for {entry.url or 'any URL'} (user {entry.user!r})"
        if entry.mechanism not in _BASIC:
            applies = (
                f": JMeter answers the server's challenge with it for {len(entry.unsent)} request(s) "
                f"({first_few([repr(r) for r in entry.unsent])})"
                if entry.unsent
                else ""
            )
            ctx.report(
                JMX_AUTH_OTHER,
                node,
                f"entry {entry.index} ({entry.url or 'any URL'}) uses {entry.mechanism}{applies}",
                action="not converted" + ("; those requests carry no credentials" if entry.unsent else ""),
            )
            continue
        if entry.sent:
            ctx.report(
                JMX_AUTH_BASIC,
                node,
                f"{what} became 'Authorization: Basic ${{{entry.variable}}}' on the {len(entry.sent)} request(s) "
                f"JMeter gives it ({first_few([repr(r) for r in entry.sent])}): the first entry whose URL starts "
                "the request's (AuthManager.getAuthForURL)",
                action="the credentials are a secret variable, sent only with those requests",
                hint=f"set {entry.variable} to base64('user:password') when uploading",
            )
        if entry.superseded:
            ctx.report(
                JMX_AUTH_HEADER_WINS,
                node,
                f"{what}: the {len(entry.superseded)} request(s) it applies to "
                f"({first_few([repr(r) for r in entry.superseded])}) have an Authorization header from a Header "
                "Manager, which HttpClient sends instead",
                action="not applied to them, as in JMeter; no secret variable for them",
            )
        if not entry.sent and not entry.superseded:
            ctx.report(
                JMX_AUTH_UNUSED,
                node,
                f"{what} matches none of the converted requests in its scope (JMeter gives a request the first "
                "entry whose URL starts the request's)",
                action="not used: no credentials sent for it",
            )
    by_entry: dict[tuple[int, bool], list[tuple[str, str]]] = {}
    for request, url, candidate, sent in auth.unknown:
        by_entry.setdefault((candidate.index, sent), []).append((request, url))
    for (index, sent), requests in by_entry.items():
        candidate = auth.entries[index - 1]
        done = f"entry {index} ({candidate.url or 'any URL'}), the first that can match, " + (
            f"applied: 'Authorization: Basic ${{{candidate.variable}}}'"
            if sent
            else f"uses {candidate.mechanism}: no credentials sent"
            if candidate.mechanism not in _BASIC
            else "superseded by the Header Manager's Authorization header"
        )
        ctx.report(
            JMX_AUTH_UNKNOWN,
            node,
            f"{len(requests)} request(s) ({first_few([repr(r) for r, _ in requests])}; the first to "
            f"{requests[0][1]!r}): JMeter gives each the first entry whose URL starts the request's, and a "
            "variable known only at run time (in the request's URL or an entry's) decides it",
            action=done,
            hint="check which host the variables hold at run time; give the URL a fixed host if the credentials "
            "must go to one server only",
        )


def _csv(ctx: Context, node: Node) -> None:
    # the file is opened once per test: User Defined Variables (and -J properties) are known by then
    filename = ctx.value(node, node.text("filename")).strip()
    # CSVDataSet.iterationStart: "\\t" is a tab, empty is ","; unquoted lines split on the whole delimiter
    # string, quoted ones on its first character; Variable Names are ALWAYS comma-separated
    delimiter = node.text("delimiter", ",")
    delimiter = "\t" if delimiter == "\\t" else delimiter or ","
    names = [n.strip() for n in ctx.expr(node, node.text("variableNames")).split(",")]
    names = [n for n in names if n]
    if not filename:
        ctx.report(JMX_CSV_MISSING, node, "no data file name", action="not converted")
        return
    if "${" in filename:
        unknown = ", ".join(sorted(set(_UDV_REF.findall(filename)))) or "a function"
        ctx.report(
            JMX_CSV_MISSING,
            node,
            f"data file {filename!r} cannot be resolved at conversion time (no fixed value for {unknown})",
            action="not converted",
            hint="give the variable one value in User Defined Variables, or pass -J NAME=VALUE for the "
            "property it reads with __P",
        )
        return
    path = ctx.resolve_data_file(filename)
    if path is None:
        ctx.report(
            JMX_CSV_MISSING,
            node,
            f"data file {filename!r} not found next to the plan or in --data-dir",
            action="not converted",
            hint="pass --data-dir with the folder holding the CSV files",
        )
        return
    try:
        size = path.stat().st_size
        if size > CSV_MAX_BYTES:
            ctx.report(
                JMX_CSV_TOO_BIG,
                node,
                f"{filename} is {size} bytes (limit {CSV_MAX_BYTES})",
                action="not converted",
            )
            return
        encoding = node.text("fileEncoding").strip() or "utf-8"
        try:
            content = path.read_bytes().decode(encoding, errors="replace")
        except LookupError:
            content = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        ctx.report(JMX_CSV_MISSING, node, f"{filename} cannot be read: {exc}", action="not converted")
        return
    content = content.lstrip("\ufeff")
    if node.flag("quotedData"):
        table = [row for row in csv.reader(io.StringIO(content), delimiter=delimiter[0])]
    else:
        table = [line.split(delimiter) for line in content.splitlines()]
    table = [row for row in table if row and any(cell for cell in row)]
    if not names:
        if not table:
            ctx.report(
                JMX_CSV_MISSING, node, f"{filename} is empty and names no variables", action="not converted"
            )
            return
        first = table.pop(0)
        header = next((line for line in content.splitlines() if line.strip()), "")
        if not node.flag(
            "quotedData"
        ):  # the header is always split quote-aware (CSVSaveService.csvSplitString)
            first = next(csv.reader([header], delimiter=delimiter[0]), first)
        names = [c.strip() for c in first]
    elif node.flag("ignoreFirstLine") and table:
        table.pop(0)
    if len(table) > CSV_MAX_ROWS:
        ctx.report(
            JMX_CSV_TOO_BIG,
            node,
            f"{filename} has {len(table)} rows (limit {CSV_MAX_ROWS})",
            action="not converted",
        )
        return
    share = node.text("shareMode", "shareMode.all").strip() or "shareMode.all"
    share_mode: Literal["all", "case", "user"] = (
        "case" if share == "shareMode.group" else "user" if share == "shareMode.thread" else "all"
    )
    if share not in ("shareMode.all", "shareMode.group", "shareMode.thread"):
        ctx.report(
            JMX_CSV_COLUMNS,
            node,
            f"sharing mode {share!r} shares the file among the elements that name the same identifier",
            action="shared by all users of all cases",
        )
    recycle = node.flag("recycle", True)
    stop_thread = node.flag("stopThread")
    if stop_thread and not recycle:
        ctx.report(
            JMX_CSV_EOF,
            node,
            f"'Stop thread on EOF': in JMeter each user stops once the {len(table)} row(s) are used up",
            action="PerfTest keeps handing out values; the run is not limited by the file",
            hint="limit the iterations or the duration of the case to match",
        )
    elif not recycle:
        ctx.report(
            JMX_CSV_EOF,
            node,
            f"'Recycle on EOF' is off: in JMeter the variables become '<EOF>' after the {len(table)} row(s)",
            action="PerfTest keeps handing out values from the start",
        )
    for col, name in enumerate(names):
        if not name:
            continue
        values = [row[col] if col < len(row) else "" for row in table] or [""]
        ctx.add_variable(
            Variable(
                name=name,
                kind="enum",
                values=values,
                read_mode="sequential",
                share_mode=share_mode,
                source=node.loc,
            ),
            node,
        )
    ctx.report(
        JMX_CSV_COLUMNS,
        node,
        f"{filename}: {len(table)} row(s) became {len(names)} enum variable(s) ({', '.join(names)})",
        action="one enum variable per column, read sequentially",
        hint="PerfTest does not guarantee the columns stay aligned row by row",
    )


def _random_variable(ctx: Context, node: Node) -> None:
    name = ctx.expr(node, node.text("variableName")).strip()
    # RandomVariableConfig.init: Long.parseLong of each bound, 0 when it throws (unset, empty, " 5", "5.0")
    low = _java_long(ctx, node, "minimumValue", "minimum")
    high = _java_long(ctx, node, "maximumValue", "maximum")
    if not name or low is None or high is None:
        ctx.report(
            JMX_CONFIG_UNSUPPORTED,
            node,
            "Random Variable without a name or integer bounds",
            action="not converted",
        )
        return
    if low > high:  # RandomVariableConfig.init: "maximum must be >= minimum", and the variable is never set
        ctx.report(
            JMX_CONFIG_UNSUPPORTED,
            node,
            f"Random Variable {name}: maximum {high} is below minimum {low}, so JMeter never sets it",
            action="not converted",
        )
        return
    ctx.add_variable(
        Variable(name=name, kind="int_range", values=[low, high], read_mode="random", source=node.loc), node
    )
    dropped = []  # what JMeter does with the number that the int_range variable does not
    output_format = node.text("outputFormat")
    if output_format.strip():
        dropped.append(f"output format {output_format!r} (the int_range variable holds plain numbers)")
    seed = node.text("randomSeed")
    if seed.strip():
        dropped.append(f"seed {seed!r} (JMeter seeds its generator with it; the variable has no seed)")
    if node.flag("perThread"):
        dropped.append("per-thread generator")
    ctx.report(
        JMX_RANDOM_VARIABLE,
        node,
        f"{name} in [{low}, {high}]" + (f"; dropped: {', '.join(dropped)}" if dropped else ""),
        action="converted to an int_range variable",
    )


# A Counter without an end counts up to Long.MAX_VALUE in JMeter; the variable's range stops at
# Integer.MAX_VALUE, a bound chosen here (the API reference documents none for an integer variable)
_COUNTER_UNBOUNDED = 2**31 - 1


def _java_long(ctx: Context, node: Node, name: str, label: str) -> int | None:
    """A Counter or Random Variable setting as JMeter reads it (Long.parseLong, 0 when unset, empty or not a
    Java long, JMX224); None when it is known only at run time (not converted, as before)."""
    text = node.given(name)
    if text is not None and "${" in ctx.value(node, text):
        return None
    return ctx.java_number(node, label, text, bits=64)


def _counter(ctx: Context, node: Node) -> None:
    """JMeter's Counter (start, increment, end, per user) as a sequential integer range variable."""
    name = ctx.expr(node, node.text("CounterConfig.name")).strip()
    # CounterConfig.getStart/getIncrement: getPropertyAsLong (Long.parseLong, 0 when unset, empty or not a Java
    # long); getEnd: the same, but Long.MAX_VALUE when the text is empty (or the property unset)
    start = _java_long(ctx, node, "CounterConfig.start", "start")
    end_text = ctx.value(node, node.text("CounterConfig.end"))
    end = _java_long(ctx, node, "CounterConfig.end", "end") if end_text else _COUNTER_UNBOUNDED
    step = _java_long(ctx, node, "CounterConfig.incr", "increment")
    if not name or start is None or end is None or step is None:
        ctx.report(
            JMX_CONFIG_UNSUPPORTED,
            node,
            "Counter without a variable name or with non-integer start/end/increment",
            action="not converted",
        )
        return
    per_user = node.flag("CounterConfig.per_user")
    # CounterConfig.iterationStart: the value goes back to the start once it passes the end (value > end), and
    # never moves by 0; a negative increment moves away from the end, so it never passes it, unless its first
    # step already does (start above the end, start + increment still above it): then the start every time
    still = step == 0 or (end < start and start + step > end)
    # CounterConfig.iterationStart, per-user branch only: with 'Reset counter on each Thread Group Iteration' the
    # value goes back to the start when the thread group's iteration number changes. The counter is a
    # LoopIterationListener of its nearest controller (TestCompiler.trackIterationListeners): directly under the
    # thread group it is called once per iteration, so JMeter sets the start every time (exact, as ``still``)
    reset = per_user and node.flag("CounterConfig.reset_on_tg_iteration") and not still
    at_group = node.parent is not None and node.parent.family == "threadgroup"
    if reset and at_group:
        still = True
    descending = step < 0 and not still
    low, high = (start, start) if still else (min(start, end), max(start, end))
    ctx.add_variable(
        Variable(
            name=name,
            kind="int_range",
            values=[low, high],
            read_mode="sequential",
            share_mode="user" if per_user else "all",
            source=node.loc,
        ),
        node,
    )
    details = [
        f"{name} from {start}"
        if reset and at_group
        else f"{name} from {start} to {end}"
        if end_text
        else f"{name} from {start} without an end (JMeter counts up to Long.MAX_VALUE; the variable's range "
        f"ends at {_COUNTER_UNBOUNDED})"
    ]
    if descending:
        details.append(
            f"increment {step}: JMeter counts down from {start} ({start}, {start + step}, ...) and never goes "
            f"back to it (only a value above the end does); the int_range variable counts up from {low} to {high}"
        )
    elif reset and at_group:
        details.append(
            "'Reset counter on each Thread Group Iteration' on a counter of the thread group itself: JMeter sets "
            f"{start} at every iteration, and so does the variable"
        )
    elif still:
        details.append(
            f"{'increment 0' if step == 0 else f'end {end} below the start'}: JMeter sets {start} every time"
        )
    elif step != 1:
        details.append(
            f"increment {step} not kept: JMeter adds {step} each time, the int_range variable has no step"
        )
    if per_user:
        details.append("counted per user")
    if reset and not at_group:
        details.append(
            f"'Reset counter on each Thread Group Iteration': in JMeter each user starts again from {start} at "
            "each iteration of the thread group; the variable does not reset, it goes on from where it was"
        )
    if node.text("CounterConfig.format").strip():
        details.append("number format dropped")
    ctx.report(
        JMX_COUNTER, node, "; ".join(details), action="converted to an int_range variable read in order"
    )
