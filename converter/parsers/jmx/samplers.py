"""Samplers: HTTP Request (every field, merged with the HTTP Request Defaults in scope), TCP, the Luminis
WebSocket samplers and Flow Control Action pauses; every other sampler is reported as not converted."""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from converter.diagnostics import define, first_few
from converter.expressions import Text, parse
from converter.model import Body, Check, Extract, FormField, Header, Part, Request, Step, Think
from converter.parsers.jmx import credentials, props
from converter.parsers.jmx.classify import normalise
from converter.parsers.jmx.config import (
    AuthSet,
    HeaderSet,
    HttpArg,
    HttpDefaults,
    TcpDefaults,
    authorize,
    http_arguments,
)
from converter.parsers.jmx.context import JMX_BAD_NUMBER, JMX_NOT_JAVA_NUMBER, Context
from converter.parsers.jmx.timers import JMX_TIMER_EXPRESSION
from converter.parsers.jmx.tree import Node

JMX_NO_HOST = define(
    "JMX101",
    "warning",
    "HTTP Request has no host (nor a default one): JMeter has no server to send it to; the URL stays relative",
)
JMX_EMBEDDED = define("JMX102", "warning", "embedded resources are not downloaded")
JMX_FILE_UPLOAD = define("JMX103", "warning", "file upload: the part is sent without the file's bytes")
JMX_SAMPLER_UNSUPPORTED = define("JMX104", "error", "sampler not converted (no PerfTest protocol for it)")
JMX_MQTT = define("JMX105", "error", "MQTT sampler not converted (no documented PerfTest mapping)")
JMX_ENCODING = define("JMX106", "warning", "content encoding other than UTF-8 not modelled")
JMX_PROXY = define("JMX107", "warning", "proxy / source-address settings of the sampler dropped")
JMX_TCP = define(
    "JMX108", "warning", "TCP Sampler converted: client class, EOL byte and reuse settings dropped"
)
JMX_WEBSOCKET = define("JMX109", "warning", "WebSocket sampler converted to a WebSocket request")
JMX_PART_TYPE = define(
    "JMX151",
    "warning",
    "multipart parameter with its own Content-Type: the card's form item has none, the part goes without it",
)
JMX_BINARY_PAYLOAD = define(
    "JMX150",
    "error",
    "binary TCP client or binary WebSocket payload: the hex text is sent as text, so the server receives other bytes",
)
JMX_FLOW_ACTION = define("JMX110", "error", "Flow Control Action other than a pause not converted")
JMX_FLOW_NOTHING = define(
    "JMX140", "info", "Flow Control Action whose action or target JMeter does not know: it does nothing"
)
JMX_WS_UNSUPPORTED = define("JMX111", "error", "WebSocket sampler kind not converted")
JMX_PROTOCOL_UNKNOWN = define(
    "JMX120",
    "warning",
    "HTTP Request protocol is a variable unknown at conversion time: the card is typed HTTP",
)
JMX_MULTIPART_CONTENT_TYPE = define(
    "JMX121", "info", "Content-Type header of a multipart request dropped: the body sets its own boundary"
)
JMX_ENCODE_VARIABLE = define(
    "JMX122", "warning", "'URL Encode?' parameter holds a variable: its runtime value is sent unencoded"
)
JMX_NO_KEEPALIVE = define(
    "JMX123", "warning", "'Use KeepAlive' off: JMeter closes the connection after each request"
)
JMX_URL_PATH_ARGS = define(
    "JMX126", "info", "query parameters of a sampler whose path is a whole URL are ignored, as in JMeter"
)
JMX_TIMEOUT_VARIABLE = define("JMX125", "warning", "timeout known only at run time: PerfTest's default used")
JMX_URL_PATH_CASE = define(
    "JMX129", "warning", "path starts with an upper-case HTTP:// or HTTPS://: JMeter sends it as a path"
)
JMX_NO_CONNECT_TIMEOUT = define(
    "JMX128", "info", "no connect timeout: JMeter waits as long as the OS does; PerfTest's default applies"
)
JMX_WS_AFTER_CLOSE = define(
    "JMX127",
    "warning",
    "WebSocket sampler reuses a connection a Close sampler closed: not converted (JMeter fails it)",
)
JMX_BAD_ADDRESS = define(
    "JMX130",
    "warning",
    "server, protocol, port or path JMeter cannot send to (spaces, bad port): its sample fails",
)
JMX_TCP_NO_SERVER = define(
    "JMX131",
    "warning",
    "TCP Sampler has no server (nor a default one): JMeter connects to its own host; the URL has no host",
)
JMX_WS_REUSE = define(
    "JMX124", "warning", "WebSocket sampler reuses the connection opened by an earlier sampler"
)

# the port a URL leaves out: an HTTP Request's scheme (http or https; one known only at run time has none), and a
# Luminis WebSocket sampler's (ws, or wss with its TLS flag)
_HTTP_PORTS = {"http": "80", "https": "443"}
_WS_PORTS = {"ws": "80", "wss": "443"}
# HTTPSamplerBase.getUrl: only GET, DELETE and OPTIONS carry the parameters in the query string
_QUERY_METHODS = {"GET", "DELETE", "OPTIONS"}
# HTTPHC4Impl: requests with an entity (GET only gets one when it has a raw body or a body file)
_ENTITY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Applied:
    """What the scope contributes to one sampler (outer -> inner).

    The walk shares one ``Applied`` between the samplers of a scope, so what is derived from it (merged
    headers, the defaults' values) is computed once, on first use.
    """

    http: list[HttpDefaults] = field(default_factory=list)
    tcp: list[TcpDefaults] = field(default_factory=list)
    headers: list[HeaderSet] = field(default_factory=list)
    # by the Authorization header the request gets from the Authorization Manager ("" for none)
    _merged: dict[str, tuple[list[Header], str | None]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _http: tuple[list[HttpArg], bool] | None = field(default=None, repr=False, compare=False)
    _given: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def merged_headers(self, auth: Header | None = None) -> tuple[list[Header], str | None]:
        """The headers a request in this scope gets, with ``auth`` from the Authorization Manager (it depends on
        the request's URL: :func:`authorization`), and their Content-Type (None when unset)."""
        key = auth.value if auth is not None else ""
        merged = self._merged.get(key)
        if merged is None:
            headers = merge_headers(self.headers, auth)
            content_type = next((h.value for h in headers if h.name.lower() == "content-type"), None)
            merged = self._merged[key] = (headers, content_type)
        return merged

    def http_defaults(self) -> tuple[list[HttpArg], bool]:
        """From the HTTP Request Defaults in scope: their parameters, nearest defaults first; the nearest
        raw-body flag (False when none sets it)."""
        if self._http is None:
            args: list[HttpArg] = []
            for d in reversed(self.http):
                args += d.args
            raw = next((d.raw_body for d in reversed(self.http) if d.raw_body is not None), False)
            self._http = (args, raw)
        return self._http

    def written_default(self, key: str) -> str:
        """The text, as written (``${...}`` not rendered), of the setting :meth:`given_defaults` takes from
        the HTTP Request Defaults ("" when none sets it): for messages."""
        for d in reversed(self.http):
            value = d.values.get(key)
            if value:
                return d.written.get(key, value)
        return ""

    def given_defaults(self) -> dict[str, str]:
        """Per setting, the innermost HTTP Request Defaults' text that is not empty, as it is: what JMeter
        merges into a sampler whose own text is empty (AbstractTestElement.addProperty replaces only a
        missing or empty property, and the nearest defaults come first). A blank text (" ") is not empty: it
        hides the outer defaults' text as it hides the defaults' from a sampler."""
        if self._given is None:
            given: dict[str, str] = {}
            for d in reversed(self.http):  # inner -> outer: the first non-empty text stays
                for key, value in d.values.items():
                    if value and key not in given:
                        given[key] = value
            self._given = given
        return self._given


@functools.lru_cache(maxsize=4096)  # a pure function of its arguments; plans repeat parameters a lot
def _encode(text: str, always: bool) -> str:
    """URL-encode literal text but keep ``${...}`` references intact."""
    if not always:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        j = text.find("${", i)
        if j < 0:
            out.append(urllib.parse.quote_plus(text[i:]))
            break
        k = text.find("}", j)
        if k < 0:
            out.append(urllib.parse.quote_plus(text[i:]))
            break
        out.append(urllib.parse.quote_plus(text[i:j]))
        out.append(text[j : k + 1])
        i = k + 1
    return "".join(out)


def _literal(text: str, fn: Callable[[str], str]) -> str:
    """``fn`` applied to the text outside ``${...}`` references: a variable name is case-sensitive and its
    value is only known at run time."""
    if "${" not in text:
        return fn(text)
    out: list[str] = []
    i = 0
    while i < len(text):
        j = text.find("${", i)
        k = text.find("}", j) if j >= 0 else -1
        if k < 0:
            out.append(fn(text[i:]))
            break
        out += [fn(text[i:j]), text[j : k + 1]]
        i = k + 1
    return "".join(out)


def _protocol(ctx: Context, node: Node, text: str) -> str:
    """The scheme. JMeter lower-cases a typed protocol, but ``${PROTOCOL}`` is a case-sensitive variable
    name: constants (single-valued User Defined Variables, ``-J`` properties) are substituted first."""
    if "${" in text:
        text = ctx.constant(text)
    if "${" in text:
        ctx.report(
            JMX_PROTOCOL_UNKNOWN,
            node,
            f"protocol {text!r} is only known at run time",
            action="request card typed HTTP; the URL keeps the reference",
            hint="give the variable one fixed value (User Defined Variables or -J), "
            "or set the request's protocol in PerfTest after upload",
        )
        return _literal(text, str.lower)
    return text.lower() or "http"


def _port(ctx: Context, node: Node, text: str) -> str:
    """HTTPSamplerBase.getPortIfSpecified: ``Integer.parseInt(text.trim())``, 0 (unspecified) when that
    throws; so "+8080" and " 8080 " are 8080, and 0, -1 (the URL's 'no port') or text Integer.parseInt
    refuses ("80.0": JMX224 when it meant another number) mean the protocol's default port. Any other
    negative port makes getUrl's ``new URL(protocol, host, port, file)`` throw ("Invalid port number"), and
    one above 65535 the HTTP client's InetSocketAddress: the sample fails (JMX130); the request keeps the
    default port. A port written as a variable is read as JMeter reads it once the variable is replaced, when
    the variable has one value (as the TCP Sampler's: :func:`_tcp_port`): kept as written when that value is
    a port, else treated as that value would be: the URL then leaves the reference out, as it leaves out the
    text written out (the plan still declares the variable, with its value, as JMeter defines it). Text that
    is no number at all ("abc") is the default port too, said with JMX902."""
    text = props.java_trim(text)
    value = props.java_trim(ctx.constant(text)) if "${" in text else text
    if "${" in value:
        return text
    port = props.java_int(value)
    shown = repr(text) if value == text else ctx.reading(text, value)
    left_out = _port_left_out(text)
    if port is None and value:
        meant = props.integer(value)
        if meant:
            ctx.report(
                JMX_NOT_JAVA_NUMBER,
                node,
                f"port {shown} is not a whole number as Java reads it (Integer.parseInt of the trimmed text): "
                f"JMeter reads it as 0, no port, and sends to the protocol's default port, not {meant}",
                action="the protocol's default port, as in JMeter" + left_out,
                hint=f"write the port as digits only if {meant} was meant",
            )
        elif meant is None:
            ctx.report(
                JMX_BAD_NUMBER,
                node,
                f"port {shown} is not a number: JMeter reads it as 0, no port (getPortIfSpecified), and sends to "
                "the protocol's default port",
                action="the protocol's default port, as in JMeter" + left_out,
                hint="set the port the server listens on, or leave it empty for the protocol's default",
            )
    elif port is not None and port < -1:
        ctx.report(
            JMX_BAD_ADDRESS,
            node,
            f"port {shown}: JMeter cannot build the URL (java.net.URL: 'Invalid port number :{port}'), so the "
            "sample fails without sending anything",
            action="request kept with the protocol's default port" + left_out,
            hint="set the port the server listens on, or leave it empty for the protocol's default",
        )
    elif port is not None and port > 65535:
        ctx.report(
            JMX_BAD_ADDRESS,
            node,
            f"port {shown} is out of range (0-65535): JMeter builds the URL, but its HTTP client cannot connect "
            "to it (InetSocketAddress: port out of range), so the sample fails without sending anything",
            action="request kept with the protocol's default port" + left_out,
            hint="set the port the server listens on, or leave it empty for the protocol's default",
        )
    if port is None or not 0 < port <= 65535:
        return ""
    return text if "${" in text else str(port)  # a variable with one value stays a variable


def _port_left_out(text: str) -> str:
    """For an action: a port written with a variable that the URL leaves out (its value is no port)."""
    return f"; the URL leaves out {text!r}, the plan's variables keep their values" if "${" in text else ""


def _unencoded_refs(ctx: Context, node: Node, args: list[HttpArg], where: str) -> None:
    """JMeter URL-encodes a parameter marked 'URL Encode?' after substituting its variables; here only the
    literal text around a ``${...}`` is encoded (PerfTest documents no encoding function)."""
    names = [a.name or "(nameless)" for a in args if a.encode and "${" in a.name + a.value]
    if names:
        ctx.report(
            JMX_ENCODE_VARIABLE,
            node,
            f"{where} parameter(s) {', '.join(names)}: JMeter URL-encodes the value of the variable",
            action="the variable's value is sent as it is, not URL-encoded",
            hint="values with spaces, '+', '&', '=' or '/' (tokens, base64) must be URL-encoded before use",
        )


def _decode(text: str, always: bool) -> str:
    """A form field as the HTTP client gets it: text not marked 'URL Encode?' is URL-decoded first."""
    if always or ("%" not in text and "+" not in text):
        return text
    return urllib.parse.unquote_plus(text)


def merge_headers(sets: list[HeaderSet], auth: Header | None = None) -> list[Header]:
    """Header Managers merged as JMeter does (the inner one wins per name); then the Authorization Manager's
    header ``auth`` and the cookie headers, only if not set, from the Cookie Manager that JMeter keeps
    (:func:`kept_manager`)."""
    # JMeter hands a sampler its Header Managers innermost first (``sets`` reversed); HeaderManager.merge keeps
    # all of the first one's headers, then adds each header of the next whose name is not in the list it is
    # building: duplicate names survive in the first manager only.
    managers = [s for s in reversed(sets) if s.role == "manager"]
    result: list[Header] = list(managers[0].headers) if managers else []
    have = {h.name.lower() for h in result}
    for hs in managers[1:]:
        for h in hs.headers:
            if h.name.lower() not in have:
                have.add(h.name.lower())
                result.append(h)
    if auth is not None and auth.name.lower() not in have:
        have.add(auth.name.lower())
        result.append(auth)
    kept = kept_manager(sets, "cookie")
    if kept is not None:
        result.extend(h for h in kept.headers if h.name.lower() not in have)
    return result


def authorization(ctx: Context, node: Node, applied: Applied, url: str) -> Header | None:
    """The Authorization header the request to ``url`` gets from the Authorization Manager JMeter keeps for
    the sampler (:func:`config.authorize`), unless a Header Manager sets one."""
    kept = kept_manager(applied.headers, "auth")
    if not isinstance(kept, AuthSet) or not kept.entries:
        return None
    headers, _ = applied.merged_headers()
    has_header = any(h.name.lower() == "authorization" for h in headers)
    return authorize(ctx, kept, node.name or url, url, has_header)


def kept_manager(sets: list[HeaderSet], role: str) -> HeaderSet | None:
    """The one Cookie (or Authorization) Manager a sampler uses when several are in scope. JMeter hands a
    sampler its config elements innermost level first, in document order within a level, and each further
    Cookie/Authorization Manager supersedes the one it has (HTTPSamplerBase.setCookieManager/setAuthManager):
    the OUTERMOST level's last one wins. ``sets`` runs outer -> inner, each level in reverse document order,
    so that is the first of them."""
    return next((s for s in sets if s.role == role), None)


def _timeouts(ctx: Context, node: Node, connect: str, response: str) -> tuple[int | None, int | None]:
    """(connect, response) timeouts in ms, read as JMeter reads them (``getPropertyAsInt``: Integer.parseInt
    of the text as it is, untrimmed, else 0 (JMX224 when the text meant another number); a timeout is set only
    when it is > 0): an unset connect timeout is None (PerfTest's default), an unset response timeout 0
    (JMeter waits without limit). A variable that holds one value is replaced; one known only at run time is
    reported and left to PerfTest's default."""
    out: list[int | None] = []
    for what, text in (("connect", connect), ("response", response)):
        text = ctx.constant(text)
        if "${" in text:
            ctx.report(
                JMX_TIMEOUT_VARIABLE,
                node,
                f"{what} timeout {text!r} is known only at run time",
                action="PerfTest's default timeout",
                hint="define the variable with one value (User Defined Variables or -J) to keep the timeout",
            )
            out.append(None)
            continue
        value = ctx.java_number(node, f"{what} timeout", text)
        if what == "connect" and value <= 0:
            # HTTPHC4Impl/TCPClientImpl set a connect timeout only when it is > 0: the socket's own (the
            # operating system's, about 2 minutes on Linux) applies. Said once per plan, as it is the same
            # for every such sampler.
            ctx.report(
                JMX_NO_CONNECT_TIMEOUT,
                None,
                "samplers without a connect timeout: JMeter waits for a connection as long as the operating "
                "system does (about 2 minutes on Linux)",
                action="the request card's default connect timeout applies, not the system's (see the README)",
                hint="set a connect timeout on the samplers or HTTP Request Defaults to choose another one",
            )
        out.append(value if value > 0 else (0 if what == "response" else None))
    return out[0], out[1]


def _ws_timeout(ctx: Context, node: Node, name: str, label: str) -> int | None:
    """A Luminis WebSocket sampler's timeout (ms): Integer.parseInt of the text, which the sampler's
    validateArguments requires to be a non-negative int (else every sample fails). None (PerfTest's default)
    when unset or invalid (reported: JMX902); 0 is no limit (the socket's timeout 0): the model's 0 for the
    read timeout, PerfTest's default for the connect timeout, as for HTTP samplers."""
    text = ctx.value(node, node.text(name)).strip()
    value = props.java_int(text) if "${" not in text else props.integer(text)
    if text and "${" not in text and (value is None or value < 0):
        ctx.report(
            JMX_BAD_NUMBER,
            node,
            f"{label} {text!r} is not a valid timeout (a non-negative Java int): the sampler fails in JMeter",
            action="PerfTest's default timeout",
        )
    if value is None or value < 0 or (value == 0 and name == "connectTimeout"):
        return None
    return value


def _own_settings(ctx: Context, node: Node) -> dict[str, str | None]:
    """The sampler's ``HTTPSampler.*`` settings by name, expressions rendered (absent or None: not set)."""
    values = node.plain_values()
    # Most samplers have no expression in any property: then their texts are the settings as they are (the
    # lookups are by full ``HTTPSampler.`` names; None marks an elementProp). NUL cannot occur in XML text.
    if values is not None and "${" not in "\0".join(filter(None, values.values())):
        return values
    expr = ctx.expr
    return {name: expr(node, text) if "${" in text else text for name, text in node.named("HTTPSampler.")}


# a setting's text by its full name; "" when neither the sampler nor a default sets it
Setting = Callable[[str], str]
File = tuple[str, str, str]  # one of the sampler's files, as saved: (path, parameter name, MIME type)


def http_request(
    ctx: Context, node: Node, applied: Applied, checks: list[Check], extracts: list[Extract]
) -> Request | None:
    """An HTTP Request sampler, merged with the HTTP Request Defaults and Header Managers in scope, as the
    request JMeter sends: URL and query, body and files, timeouts and redirects; what is not carried over is
    reported. None when its protocol is neither http nor https (JMX104)."""
    own = _own_settings(ctx, node)
    given = _given_settings(node, own, applied)
    get = _settings(given)
    method = (own.get("HTTPSampler.method", "") or "GET").strip().upper() or "GET"
    address = _url(ctx, node, own, applied, given)
    if address is None:
        return None
    url, protocol, whole_url = address
    args, raw = _parameters(ctx, node, applied)
    files = _files(node)
    url = credentials.url(ctx, node, _with_query(ctx, node, url, whole_url, method, args, raw))
    headers, content_type = applied.merged_headers(authorization(ctx, node, applied, url))
    if not _java_implementation(given):
        _uri_refused(ctx, node, url)
    # HTTPHC4Impl sends a raw body as StringEntity(body, contentEncoding): text/plain in the sampler's encoding
    # (UTF-8 when unset, HTTPSamplerBaseSchema), the Content-Type HttpClient's RequestContent adds when none is set
    encoding = get("HTTPSampler.contentEncoding").strip() or "UTF-8"
    plain = None if _java_implementation(given) else f"text/plain; charset={_charset_name(encoding)}"
    body, headers = _body(ctx, node, method, args, raw, files, headers, content_type, plain)
    body = credentials.body(ctx, node, body)
    _dropped_settings(ctx, node, own, get, given)
    _keepalive(ctx, node, given)
    # both flags are false when unset (getFollowRedirects / getAutoRedirects)
    follow = node.flag("HTTPSampler.follow_redirects") or node.flag("HTTPSampler.auto_redirects")
    connect_ms, response_ms = _timeouts(
        ctx, node, given("HTTPSampler.connect_timeout"), given("HTTPSampler.response_timeout")
    )
    return Request(
        name=node.name or url,
        protocol="https" if protocol == "https" else "http",
        method=method,
        url=url,
        headers=headers,
        body=body,
        connect_timeout_ms=connect_ms,
        response_timeout_ms=response_ms,
        follow_redirects=follow,
        checks=checks,
        extracts=extracts,
        source=node.loc,
    )


def _settings(given: Setting) -> Setting:
    """The reader of a sampler's settings as JMeter merges them (:func:`_given_settings`), stripped: for the
    settings read as words and flags (content encoding, keep-alive, embedded resources)."""
    return lambda key: given(key).strip()


def _given_settings(node: Node, own: dict[str, str | None], applied: Applied) -> Setting:
    """The reader of a setting's text as JMeter merges it, not stripped: the sampler's own unless it is an
    empty string property (or missing), else the innermost HTTP Request Defaults' that is not empty
    (:meth:`Applied.given_defaults`). AbstractTestElement.addProperty replaces only a missing property or an
    empty StringProperty: a blank text (" ") is kept, and so is an empty boolProp (false, as JMeter loads it)
    or an empty intProp / longProp (which JMeter cannot load at all: JMX132)."""
    given = applied.given_defaults()
    own_get = own.get

    def get(key: str) -> str:
        text = own_get(key)
        if text:
            return text
        if text == "":
            kept = props.empty_typed(node.tag_of(key))
            if kept is not None:
                return kept
        return given.get(key, "")

    return get


def _url(
    ctx: Context, node: Node, own: dict[str, str | None], applied: Applied, given: Setting
) -> tuple[str, str, bool] | None:
    """(URL without the query, scheme, whether the path is the whole URL), as HTTPSamplerBase.getUrl builds
    them from the merged texts (``given``): a path that starts with "http://" or "https://" (String.startsWith:
    case-sensitive) is the whole URL, sent as it is; otherwise protocol, server name, port (:func:`_port`; left
    out when it is the scheme's default) and path. The path is taken as it is, its spaces encoded (getPath:
    encodeSpaces); no server name leaves the URL relative (JMX101). Server name and protocol are not trimmed
    by JMeter: with a space or control character in them, or such a character left in the path, JMeter cannot
    build or send the URL and the sample fails (JMX130); the request keeps them trimmed. None for a protocol
    other than http or https (:func:`_not_http`): the sampler is not converted."""
    java = _java_implementation(given)
    path = _literal(given("HTTPSampler.path"), lambda text: text.replace(" ", "%20"))
    if _CONTROL.search(path):
        jmeter = (
            "no HTTP request line can carry it, and the sampler's 'Java' implementation hands the URL to "
            "HttpURLConnection as it is (HTTPJavaImpl: url.openConnection, no java.net.URI), so JMeter cannot "
            "send the path written"
            if java
            else "java.net.URI refuses it, so JMeter's sample fails without sending anything"
        )
        ctx.report(
            JMX_BAD_ADDRESS,
            node,
            f"path {path!r} holds a control character (tab, line break): {jmeter}",
            action="those at either end dropped",
            hint="remove the control characters from the path",
        )
        path = props.java_trim(path)
    if path.startswith(("http://", "https://")):
        return path, path.split(":", 1)[0].lower(), True
    protocol_text = given("HTTPSampler.protocol")
    # what JMeter reads once the variables with one value are replaced (the sample's protocol)
    protocol_value = ctx.constant(protocol_text) if "${" in protocol_text else protocol_text
    protocol = _protocol(ctx, node, protocol_value.strip())
    if protocol not in ("http", "https") and "${" not in protocol:
        shown = ctx.reading(_written(node, own, applied, "HTTPSampler.protocol"), protocol)
        where = _kept_over_default(own, applied, "HTTPSampler.protocol")
        _not_http(ctx, node, shown, protocol, path, where, java)
        return None
    if path.lower().startswith(("http://", "https://")):  # "HTTP://..." is a path like any other
        ctx.report(
            JMX_URL_PATH_CASE,
            node,
            f"path {path!r} looks like a whole URL, but JMeter takes only a lower-case 'http://' or 'https://' "
            "prefix for one",
            action="sent as a path on the sampler's server, as in JMeter",
            hint="write the scheme in lower case if the whole URL was meant",
        )
    if _spaced(protocol_value):
        shown = ctx.reading(_written(node, own, applied, "HTTPSampler.protocol"), protocol_value)
        ctx.report(
            JMX_BAD_ADDRESS,
            node,
            f"protocol {shown}{_kept_over_default(own, applied, 'HTTPSampler.protocol')} holds a "
            "space or control character: java.net.URL knows no such protocol (MalformedURLException: unknown "
            "protocol), so JMeter's sample fails without sending anything",
            action=f"sent as {protocol}",
            hint="write the protocol without spaces (http or https), or leave it empty for http",
        )
    domain_text = given("HTTPSampler.domain")
    domain = domain_text.strip()
    refused = (
        "JMeter builds the URL with it as it is and the sampler's 'Java' implementation connects to that name "
        "(HTTPJavaImpl: url.openConnection), which no host has"
        if java
        else "JMeter builds the URL with it as it is, which java.net.URI refuses (illegal character in authority)"
    )
    if _spaced(domain_text):
        ctx.report(
            JMX_BAD_ADDRESS,
            node,
            f"server name {domain_text!r}{_kept_over_default(own, applied, 'HTTPSampler.domain')} "
            + ("is blank" if not domain else "holds a space or control character")
            + f": {refused}, so the sample fails without sending anything",
            action=f"server name {domain!r}, trimmed" if domain else "relative URL kept (no server name)",
            hint="remove the spaces from the server name, or empty it to use the HTTP Request Defaults' one",
        )
    elif not domain:
        _no_host(ctx, node, protocol, path, java)
    else:
        where = _kept_over_default(own, applied, "HTTPSampler.domain")
        _spaced_value(ctx, node, "server name", domain_text, refused, where)
    port = _port(ctx, node, given("HTTPSampler.port"))
    if path and not path.startswith("/"):
        path = "/" + path
    netloc = f"[{domain}]" if _ipv6_literal(domain) else domain
    if port and port != _HTTP_PORTS.get(protocol):
        netloc = f"{netloc}:{port}"
    url = f"{protocol}://{netloc}{path}" if domain else path or "/"
    return url, protocol, False


def _ipv6_literal(domain: str) -> bool:
    """Whether the server name is an IPv6 address written without brackets (``::1``, ``fe80::1%eth0``): JMeter's
    ``new URL(protocol, host, port, file)`` brackets a host that holds ':' and does not start with '['."""
    if ":" not in domain or domain.startswith("["):
        return False
    try:
        ipaddress.IPv6Address(domain.split("%", 1)[0])
    except ValueError:
        return False
    return True


# protocols java.net.URL has a handler for in every JDK JMeter runs on, besides http, https and file
_URL_HANDLERS = ("ftp", "jar", "mailto")


def _written(node: Node, own: dict[str, str | None], applied: Applied, key: str) -> str:
    """A setting's text as written (``${...}`` not rendered) where :func:`_given_settings` takes it from: the
    sampler's own when that is not empty, else the HTTP Request Defaults'. For messages, which show what the
    user wrote and what JMeter reads from it (:meth:`Context.reading`)."""
    if own.get(key):
        return next((text for name, text in reversed(node.named(key)) if name == key), "")
    return applied.written_default(key)


def _not_http(ctx: Context, node: Node, shown: str, protocol: str, path: str, where: str, java: bool) -> None:
    """JMX104 for an HTTP Request whose protocol (lower-cased, constants substituted) is neither http nor https:
    a PerfTest HTTP card sends only those, and JMeter sends nothing for it either. HTTPSamplerBase.sample reads
    a "file" URL's path as a local file of the machine JMeter runs on (fileSample); for any other protocol
    getUrl calls ``new URL(protocol, host, port, file)``, which throws for a protocol java.net.URL has no
    handler for ("unknown protocol"); for one it has (ftp, jar, mailto), HTTPHC4Impl's client registers
    connection factories for "http" and "https" only, so HttpClient throws UnsupportedSchemeException
    ("ftp protocol is not supported"), and the 'Java' implementation (``java``) casts url.openConnection() to
    HttpURLConnection (HTTPJavaImpl.setupConnection), which such a URL's connection is not: the
    ClassCastException fails the sample (HTTPSamplerBase.sample catches any Exception). Either way the sample
    fails without sending anything. ``shown`` is the
    protocol as written, with what JMeter reads from it where that differs; ``where`` says where its text came
    from."""
    if protocol == "file":
        jmeter = (
            f"JMeter sends no request: it reads the file {path!r} on the machine it runs on "
            "(HTTPSamplerBase.sample: fileSample)"
        )
    elif protocol in _URL_HANDLERS and java:
        jmeter = (
            "JMeter builds the URL, but the sampler's 'Java' implementation takes its connection for an HTTP one "
            f"(HTTPJavaImpl.setupConnection: (HttpURLConnection) url.openConnection()), which a {protocol} URL's "
            "is not (ClassCastException), so the sample fails without sending anything"
        )
    elif protocol in _URL_HANDLERS:
        jmeter = (
            f"JMeter builds the URL, but its HTTP client connects only for http and https "
            f"(HttpClient: UnsupportedSchemeException '{protocol} protocol is not supported'), so the sample "
            "fails without sending anything"
        )
    else:
        jmeter = (
            f"java.net.URL knows no such protocol (MalformedURLException: unknown protocol: {protocol}), so "
            "JMeter's sample fails without sending anything"
        )
    ctx.report(
        JMX_SAMPLER_UNSUPPORTED,
        node,
        f"HTTP Request with protocol {shown}{where}: {jmeter}; a PerfTest HTTP request card carries only http or https",
        action="not converted: the plan has no request for this sampler (JMeter sends none either)",
        hint="a WebSocket connection needs a WebSocket sampler"
        if protocol in ("ws", "wss")
        else "set the protocol to http or https if the sampler was meant to reach an HTTP server",
    )


def _java_implementation(given: Setting) -> bool:
    """Whether the sampler runs on JMeter's "Java" implementation (HTTPSamplerFactory.getImplementation: "Java"
    or "HTTPSampler"; blank is the default HttpClient4, "HttpClient3.1" is HttpClient4 too). HTTPJavaImpl opens
    the URL with url.openConnection(): it neither parses it as a java.net.URI nor uses HttpClient."""
    return given("HTTPSampler.implementation") in ("Java", "HTTPSampler")


def _no_host(ctx: Context, node: Node, protocol: str, path: str, java: bool) -> None:
    """JMX101: no server name in the sampler nor in any HTTP Request Defaults in scope. HTTPSamplerBase.getUrl
    then builds the URL with an empty host (java.net.URL prints it without "//": "http:/a"); with the default
    HttpClient4 implementation, HTTPHC4Impl.sample hands its URI to HttpClient, whose determineTarget finds no
    host in it and throws ClientProtocolException ("URI does not specify a valid host name"): the sample fails
    without sending anything. The "Java" implementation hands the URL to HttpURLConnection instead."""
    shown = f"{protocol}:{path if path.startswith('/') else '/' + path}"
    jmeter = (
        "hands it to HttpURLConnection (the sampler's 'Java' implementation), which has no server of the "
        "plan's to send it to"
        if java
        else "its HTTP client refuses it (ClientProtocolException: URI does not specify a valid host name), "
        "so JMeter's sample fails without sending anything"
    )
    ctx.report(
        JMX_NO_HOST,
        node,
        "no server name in the sampler nor in any HTTP Request Defaults in scope: JMeter builds the URL "
        f"without a host ({shown!r}) and {jmeter}",
        action="relative URL kept",
        hint="the request has no server to send to until one is set: set the server name on the sampler or in "
        "HTTP Request Defaults, or in PerfTest after upload",
    )


# java.net.URI's grammar (RFC 2396), as HTTPHC4Impl.sample's url.toURI() parses the URL: besides ASCII letters and
# digits, a path takes these; a query or fragment takes "?", "[" and "]" too; "%" must start an escape pair
_PATH_MARKS = "-_.!~*'()" + ":@&=+$,;/"
_QUERY_MARKS = _PATH_MARKS + "?[]"
# ${name} and ${__function(plain, arguments)}: text JMeter replaces before it builds the URL (nested ones are left
# to the full reading in _uri_refusals)
_SIMPLE_REFERENCE = re.compile(r"\$\{[^{}]*\}")
# a fast first look: a character outside the path's set ("[" and "]" included: fine in a query only), or a "%"
# not followed by two hex digits
_URI_SUSPECT = re.compile(r"[^A-Za-z0-9\-_.!~*'():@&=+$,;/?#%]|%(?![0-9A-Fa-f]{2})")


def _uri_refused(ctx: Context, node: Node, url: str) -> None:
    """JMX130 for characters java.net.URI refuses in the path, query or fragment JMeter sends (``|``, ``{``,
    ``}``, ``"``, ``<``, ``>``, ``^``, backslash, backtick; ``[``, ``]`` in a path; a "%" that starts no escape
    pair; a non-ASCII space): HTTPSamplerBase.sample builds the URL (getUrl only encodes the path's spaces) and
    HTTPHC4Impl.sample calls ``url.toURI()`` on it without escaping anything (ConversionUtils.sanitizeUrl is
    only used for embedded resources and redirects): URISyntaxException, the sample fails. The text of
    ``${...}`` references is left out (JMeter replaces it first); control characters are reported by
    :func:`_url`. The URL is kept as written. The message shows the path, never the query (it may hold
    credentials). Not for the "Java" implementation (:func:`_java_implementation`), which sends the URL as it
    is."""
    tail = _url_tail(url)
    literal = _SIMPLE_REFERENCE.sub("", tail) if "${" in tail else tail  # (what JMeter replaces first)
    if not _URI_SUSPECT.search(literal) and tail.count("#") < 2:
        return
    found, parts = _uri_refusals(tail)
    if found:
        path = tail.split("?", 1)[0].split("#", 1)[0]
        shown = path if len(path) <= 80 else path[:77] + "..."
        ctx.report(
            JMX_BAD_ADDRESS,
            node,
            f"URL with the path {shown!r}: its {parts} holds {found}, which java.net.URI refuses: JMeter's "
            "HTTP client parses the URL (url.toURI()) without "
            "escaping it first, so the sample fails without sending anything (URISyntaxException)",
            action="URL kept as written",
            hint="percent-encode those characters (e.g. '|' as %7C, '{' as %7B), or tick 'URL Encode?' on the "
            "parameter that holds them",
        )


def _url_tail(url: str) -> str:
    """The path, query and fragment of ``url`` (all of it when it is relative)."""
    start = url.find("://")
    if start < 0:
        return url
    ends = [i for i in (url.find(c, start + 3) for c in "/?#") if i >= 0]
    return url[min(ends) :] if ends else ""


@functools.lru_cache(maxsize=1024)
def _uri_refusals(tail: str) -> tuple[str, str]:
    """What java.net.URI refuses in the literal text of ``tail`` (a path, then "?" query, then "#" fragment),
    for a message ("" when nothing), and in which parts ("path and query"). Control characters are left to
    :func:`_url`."""
    bad: list[str] = []
    bad_escape = False
    part = "path"
    where: list[str] = []
    tokens = parse(tail)
    for n, tok in enumerate(tokens):
        if not isinstance(tok, Text):
            continue
        text = tok.value
        for i, c in enumerate(text):
            if part == "path" and c == "?":
                part = "query"
            elif part != "fragment" and c == "#":
                part = "fragment"
            elif c == "%":
                pair = text[i + 1 : i + 3]
                followed = n + 1 < len(tokens) and len(pair) < 2  # a reference gives the rest: unknown
                if not followed and not (len(pair) == 2 and all(h in "0123456789abcdefABCDEF" for h in pair)):
                    bad_escape = True
                    where += [part] if part not in where else []
            elif c >= " " and _refused_by_uri(c, _PATH_MARKS if part == "path" else _QUERY_MARKS):
                bad += [c] if c not in bad else []
                where += [part] if part not in where else []
    what = [repr(c) for c in bad] + (
        ["a '%' that starts no escape pair (two hex digits)"] if bad_escape else []
    )
    return ", ".join(what), " and ".join(where)


def _refused_by_uri(c: str, marks: str) -> bool:
    """Whether java.net.URI refuses ``c`` there: an ASCII character that is neither a letter, a digit nor one
    of ``marks``; a non-ASCII one only when Java calls it a space or an ISO control character."""
    if c.isascii():
        return not (c.isalnum() or c in marks)
    return ord(c) <= 0x9F or unicodedata.category(c) in ("Zs", "Zl", "Zp")


# Java's notion of a space or control character: what String.trim removes (up to U+0020), Character.isISOControl
# (U+007F-U+009F too) and Character.isSpaceChar (the Unicode space separators: a no-break space, U+2000-U+200A,
# U+3000...; the line and paragraph separators)
_SPACE_OR_CONTROL = re.compile("[\x00- \x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_CONTROL = re.compile("[\x00-\x1f]")


def _spaced(text: str) -> bool:
    """Whether ``text`` holds a space or a control character as Java reads them (:data:`_SPACE_OR_CONTROL`):
    what java.net.URL and URI refuse in a protocol or a host name, and InetAddress cannot resolve. Python's
    ``str.strip`` removes a no-break space where JMeter keeps it (String.trim does not)."""
    return _SPACE_OR_CONTROL.search(text) is not None


def _spaced_value(ctx: Context, node: Node, what: str, text: str, jmeter: str, where: str = "") -> None:
    """JMX130 for a server name written with variables whose one value (single-valued User Defined Variables,
    ``-J`` properties) holds a space or control character (:func:`_spaced`): JMeter replaces the variable
    first, then fails as with the text written out. The request keeps the reference, and the plan's variable
    the value as it is. ``what`` names the setting; ``where`` says where its text came from."""
    if "${" not in text:
        return
    value = ctx.constant(text)
    if value == text or not _spaced(value):
        return
    ctx.report(
        JMX_BAD_ADDRESS,
        node,
        f"{what} {ctx.reading(text, value)}{where} holds a space or control character once the variable is replaced: {jmeter}, so the sample fails "
        "without sending anything",
        action="the URL keeps the reference; the variable keeps its value as it is",
        hint="remove the spaces from the variable's value",
    )


def _kept_over_default(own: dict[str, str | None], applied: Applied, key: str) -> str:
    """For a message: the sampler's own blank text hid the HTTP Request Defaults' (said only when they set
    one), or the text came from the defaults."""
    own_text = own.get(key)
    if not own_text:
        return " (from HTTP Request Defaults)"
    default = applied.given_defaults().get(key, "")
    if own_text.strip() or not default:
        return ""
    return (
        f" (the sampler's own: JMeter merges the HTTP Request Defaults' {default!r} only into an empty one)"
    )


def _parameters(ctx: Context, node: Node, applied: Applied) -> tuple[list[HttpArg], bool]:
    """The sampler's parameters followed by those of every HTTP Request Defaults in scope (JMeter appends
    them without de-duplication, nearest defaults first: ConfigTestElement merge of the Arguments
    collection), and whether their values are sent as the raw body
    (HTTPSamplerBase.getSendParameterValuesAsPostBody: the 'Body Data' flag, or parameters none of which has
    a name)."""
    default_args, default_raw = applied.http_defaults()
    args = http_arguments(ctx, node)
    if default_args:
        args += default_args
        ctx.count("http.default_args", len(default_args))
    # unset on the sampler: the nearest defaults that set it decide
    has_raw = node.has("HTTPSampler.postBodyRaw")
    raw_flag = node.flag("HTTPSampler.postBodyRaw") if has_raw else default_raw
    return args, raw_flag or (bool(args) and not any(a.name for a in args))


def _files(node: Node) -> list[File]:
    """The sampler's files ('Files Upload'), those with neither a path nor a parameter name left out."""
    files_el = node.element("HTTPsampler.Files")
    files = [
        (props.text(f, "File.path"), props.text(f, "File.paramname"), props.text(f, "File.mimetype"))
        for f in (props.collection(files_el, "HTTPFileArgs.files") if files_el is not None else [])
    ]
    return [f for f in files if f[0].strip() or f[1].strip()]


def _with_query(
    ctx: Context, node: Node, url: str, whole_url: bool, method: str, args: list[HttpArg], raw: bool
) -> str:
    """``url`` with the named parameters as its query where JMeter puts them there (HTTPSamplerBase.getUrl:
    GET, DELETE and OPTIONS; not a GET whose parameters are its raw body, nor a path that is a whole URL,
    whose parameters JMeter leaves out: JMX126). Nameless parameters are skipped, as JMeter does."""
    named = [a for a in args if a.name]
    if whole_url and named and method in _QUERY_METHODS and not (method == "GET" and raw):
        ctx.report(
            JMX_URL_PATH_ARGS,
            node,
            f"the path is a whole URL, so JMeter sends it without the {len(named)} parameter(s)",
            action="parameters left out, as in JMeter",
            hint="put the parameters into the URL, or split it into server name and path",
        )
    elif method in _QUERY_METHODS and not (method == "GET" and raw and not named):
        query = "&".join(f"{_encode(a.name, a.encode)}{a.equals}{_encode(a.value, a.encode)}" for a in named)
        if query:
            url += ("&" if "?" in url else "?") + query
            _unencoded_refs(ctx, node, named, "query")
    return url


def _body(
    ctx: Context,
    node: Node,
    method: str,
    args: list[HttpArg],
    raw: bool,
    files: list[File],
    headers: list[Header],
    content_type: str | None,
    plain: str | None = None,
) -> tuple[Body | None, list[Header]]:
    """The body JMeter sends, and the headers once the body has had its say: multipart (parameters and file
    parts), one file as the whole body, the parameters' values as a raw body, or a URL-encoded form; None when
    the request has no entity (HTTPHC4Impl: POST, PUT, PATCH and DELETE have one; GET only with a raw body or
    a body file). Files the request does not send are reported."""
    named = [a for a in args if a.name]  # JMeter skips nameless parameters in forms and parts
    # getSendFileAsPostBody: exactly one file with a path and no parameter name is the whole body
    file_as_body = len(files) == 1 and bool(files[0][0].strip()) and not files[0][1].strip()
    entity = method in _ENTITY_METHODS or (method == "GET" and (raw or (file_as_body and not args)))
    multipart = method in _ENTITY_METHODS and (
        node.flag("HTTPSampler.DO_MULTIPART_POST") or (bool(files) and not file_as_body)
    )
    body: Body | None = None
    if entity and multipart:
        body, headers = _multipart(ctx, node, named, files, headers, content_type)
        _part_types(ctx, node, args)
    elif entity and file_as_body and not args:
        ctx.report(
            JMX_FILE_UPLOAD,
            node,
            f"{method} sends file {files[0][0]!r} as its whole body",
            action="empty raw body placeholder",
            hint="paste the file content into the request body in PerfTest",
        )
        body = Body(kind="raw", text="", content_type=content_type or files[0][2] or None)
    elif entity and raw:
        # the values of all parameters (named ones from defaults included) concatenated, URL-encoded where
        # 'URL Encode?' is ticked: exactly the body JMeter sends
        text = "".join(_encode(a.value, a.encode) for a in args)
        _unencoded_refs(ctx, node, args, "body")
        body = Body(
            kind="raw", text=text, content_type=content_type or (files[0][2] if files else None) or plain
        )
    elif entity and named:
        # the HTTP client URL-encodes each field: parameters not marked 'URL Encode?' are taken as already
        # encoded and decoded first (HTTPHC4Impl.createUrlEncodedFormEntity)
        body = Body(
            kind="form",
            fields=[
                FormField(name=_decode(a.name, a.encode), value=_decode(a.value, a.encode)) for a in named
            ],
            content_type=content_type,
        )
    if body is not None and body.kind == "raw" and content_type is None and body.content_type:
        # no Content-Type from a Header Manager: JMeter sends the first file's MIME type
        headers = [*headers, Header(name="Content-Type", value=body.content_type)]
    if files and (body is None or body.kind == "form"):
        ctx.report(
            JMX_FILE_UPLOAD,
            node,
            f"{len(files)} file(s) listed but a {method} request of this shape does not send them in JMeter",
            action="files ignored, as JMeter does",
        )
    return body, headers


def _part_types(ctx: Context, node: Node, args: list[HttpArg]) -> None:
    """JMX151 for the sampler's named parameters that have a Content-Type of their own (HTTPArgument.content_type,
    'text/plain' when unset): HTTPHC4Impl.setupHttpEntityEnclosingRequestData sends each as a StringBody of that
    type; the card's form items are key/value pairs only (API reference, bodys), so the part loses it."""
    el = node.element("HTTPsampler.Arguments")
    if el is None:
        return
    items = [item for item in props.collection(el, "Arguments.arguments") if item.tag == "elementProp"]
    typed = []
    for arg, item in zip(args, items, strict=False):  # the sampler's own come first, in the same order
        mime = ctx.expr(node, props.scalars(item).get("HTTPArgument.content_type") or "").strip()
        if arg.name and mime and mime.split(";", 1)[0].strip().lower() != "text/plain":
            typed.append(f"{arg.name!r} ({mime})")
    if typed:
        ctx.report(
            JMX_PART_TYPE,
            node,
            f"{len(typed)} multipart parameter(s) with a Content-Type of their own: {first_few(typed)}; JMeter "
            "sends each part with that type",
            action="sent as plain form items (a card's form item is a key and a value, no type): the part's "
            "type is left to PerfTest",
            hint="a server that reads the part by its type (a JSON part, e.g. Spring @RequestPart) may reject "
            "it: check the part in PerfTest",
        )


def _charset_name(encoding: str) -> str:
    """A charset as Java's Charset.name() writes it in a Content-Type (UTF-8 for its spellings)."""
    return "UTF-8" if encoding.lower().replace("-", "").replace("_", "") == "utf8" else encoding


def _multipart(
    ctx: Context,
    node: Node,
    named: list[HttpArg],
    files: list[File],
    headers: list[Header],
    content_type: str | None,
) -> tuple[Body, list[Header]]:
    """A multipart body: one part per named parameter, then one per file (sent without its bytes: JMX103);
    a Content-Type from a Header Manager is dropped, as JMeter drops it (JMX121)."""
    parts = [Part(name=a.name, value=a.value) for a in named]
    for fpath, param, mime in files:
        fname = ctx.expr(node, fpath).replace("\\", "/").rsplit("/", 1)[-1]
        parts.append(
            Part(name=ctx.expr(node, param) or "file", filename=fname or None, content_type=mime or None)
        )
    if files:
        names = ", ".join(p.name for p in parts[len(named) :])
        ctx.report(
            JMX_FILE_UPLOAD,
            node,
            f"{len(files)} file part(s) ({names}) are sent as empty text fields",
            action="the file's bytes, name and MIME type are not in the PerfTest card",
            hint="attach the files in PerfTest after upload",
        )
    if content_type is not None:
        # HTTPHC4Impl.setupHttpEntityEnclosingRequestData removes it: a recorded boundary would not match
        headers = [h for h in headers if h.name.lower() != "content-type"]
        ctx.report(
            JMX_MULTIPART_CONTENT_TYPE,
            node,
            f"Content-Type {content_type!r} from a Header Manager on a multipart request",
            action="dropped, as JMeter does; the multipart body sets its own",
        )
    return Body(kind="multipart", parts=parts), headers


def _dropped_settings(
    ctx: Context, node: Node, own: dict[str, str | None], get: Setting, given: Setting
) -> None:
    """Report the settings the request does not carry: embedded resources (JMX102; the flag read untrimmed, as
    getPropertyAsBoolean reads it), a content encoding other than UTF-8 (JMX106), the sampler's proxy or source
    address (JMX107)."""
    if props.value_flag(given("HTTPSampler.image_parser")):
        ctx.report(
            JMX_EMBEDDED,
            node,
            "'Retrieve all embedded resources' is on",
            action="only the main request is sent",
        )
    encoding = get("HTTPSampler.contentEncoding")
    if encoding and encoding.lower().replace("-", "") not in ("utf8",):
        ctx.report(JMX_ENCODING, node, f"content encoding {encoding!r}", action="text kept as UTF-8")
    if (own.get("HTTPSampler.proxyHost") or "").strip() or (own.get("HTTPSampler.ipSource") or "").strip():
        ctx.report(JMX_PROXY, node, "the sampler sets a proxy or a source IP address", action="dropped")


def _keepalive(ctx: Context, node: Node, given: Setting) -> None:
    """Report 'Use KeepAlive' off (JMX123): unset is off too, and " true " is off (HTTPSamplerBase.getUseKeepAlive:
    getPropertyAsBoolean of the untrimmed text). Said once for all the samplers that share it (a hand-written
    plan leaves it unset on every request)."""
    keepalive = given("HTTPSampler.use_keepalive")
    if props.value_flag(keepalive):
        return
    ctx.report_grouped(
        JMX_NO_KEEPALIVE,
        node,
        f"'Use KeepAlive' is {'off' if keepalive else 'not set (off)'}: JMeter sends 'Connection: close' "
        "and opens a new connection (TCP, and TLS for HTTPS, handshakes) for every request",
        action="PerfTest's engine keeps its own connection handling",
        hint="if the plan means to reuse connections, tick 'Use KeepAlive'; to open one per request in "
        "PerfTest too, add a 'Connection: close' header there",
    )


def tcp_request(
    ctx: Context, node: Node, applied: Applied, checks: list[Check], extracts: list[Extract]
) -> Request:
    """A TCP Sampler, merged with the TCP Sampler Configs in scope as JMeter merges them, as the request to
    ``tcp://server:port`` with the text payload (sent as it is: TCPClientImpl.write of getRequestData)."""

    def given(key: str) -> str:
        """The text as JMeter merges it, not stripped: the sampler's own unless it is an empty string
        property (or missing), else the nearest TCP Sampler Config's that is not (AbstractTestElement
        .addProperty: a blank own text, an empty boolProp or intProp are kept)."""
        name = f"TCPSampler.{key}"
        own = ctx.expr(node, node.text(name))
        if not own and node.has(name):
            kept = props.empty_typed(node.tag_of(name))  # an empty boolProp / intProp is not replaced
            if kept is not None:
                return kept
        return own or next((v for d in reversed(applied.tcp) if (v := d.values.get(name))), "")

    server_text, port_text = given("server"), given("port")
    server = server_text.strip()
    if _spaced(server_text):
        ctx.report(
            JMX_BAD_ADDRESS,
            node,
            f"server {server_text!r} "
            + ("is blank" if not server else "holds a space or control character")
            + ": JMeter looks the name up as it is (TCPSampler.getServer), finds no such host and the sample "
            "fails without sending anything",
            action=f"server {server!r}, trimmed" if server else "no server",
            hint="remove the spaces from the server name",
        )
    elif server_text:
        _spaced_value(
            ctx,
            node,
            "server",
            server_text,
            "JMeter looks the name up as it is (TCPSampler.getServer) and finds no such host",
        )
    else:
        # TCPSampler.getSocket: new InetSocketAddress("", port) resolves "" as InetAddress.getByName does: the
        # loopback address of the machine JMeter runs on
        ctx.report(
            JMX_TCP_NO_SERVER,
            node,
            "no server in the TCP Sampler nor in any TCP Sampler Config in scope: JMeter connects to the "
            'loopback address of the machine it runs on (InetAddress.getByName("")); in PerfTest that would be '
            "the load generator itself, not a server under test, so no host is guessed",
            action="request kept with no host in its URL",
            hint="set the server the plan means to reach (on the sampler, a TCP Sampler Config, or in PerfTest)",
        )
    port = _tcp_port(ctx, node, port_text)
    ctx.report(
        JMX_TCP,
        node,
        f"TCP request to {server or '(no server)'}" + (f":{port}" if port else " (no port)"),
        action="sent as a TCP request with the text payload; client class and socket options dropped",
    )
    _binary_tcp(ctx, node, given("classname").strip(), given("request"))
    # TCPSampler.getConnectTimeout / getTimeout: getPropertyAsInt, the text as it is
    connect_ms, response_ms = _timeouts(ctx, node, given("ctimeout"), given("timeout"))
    return Request(
        name=node.name or f"tcp {server}",
        protocol="tcp",
        method="SEND",
        url=f"tcp://{server}:{port}" if port else f"tcp://{server}",
        body=Body(kind="raw", text=given("request")),
        connect_timeout_ms=connect_ms,
        response_timeout_ms=response_ms,
        checks=checks,
        extracts=extracts,
        source=node.loc,
    )


# the TCP Sampler's clients that write the request as bytes decoded from hex (TCPSampler.classname, short or
# with its package): BinaryTCPClientImpl.write = os.write(hexStringToByteArray(request)); the length-prefixed one
# writes the byte count first (2 bytes by default, tcp.binarylength.prefix.length); both read the response back
# as hex text (JOrphanUtils.baToHexString), which is what JMeter's assertions and extractors see
_BINARY_CLIENTS = {"BinaryTCPClientImpl": "", "LengthPrefixedBinaryTCPClientImpl": ", after a length prefix"}
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")


def _binary_tcp(ctx: Context, node: Node, classname: str, request: str) -> None:
    """JMX150 for a TCP Sampler whose client class writes bytes decoded from the hex request text: the plan's
    TCP card sends the text itself (no documented card field carries bytes)."""
    prefix = _BINARY_CLIENTS.get(classname.rsplit(".", 1)[-1])
    if prefix is None:
        return
    if "${" in request or _HEX.fullmatch(request):
        jmeter = (
            f"JMeter's {classname} decodes the request {request!r} from hex and writes those "
            + ("bytes" if "${" in request else f"{len(request) // 2} byte(s)")
            + prefix
        )
    else:
        jmeter = (
            f"JMeter's {classname} cannot decode the request {request!r} from hex (hexStringToByteArray: an even "
            "number of hex digits), so its sample fails without sending anything"
        )
    ctx.report(
        JMX_BINARY_PAYLOAD,
        node,
        f"{jmeter}; the response is read back as hex text for its assertions and extractors",
        action=f"sent as the text {request!r} ({len(request.encode())} byte(s) of text): the server receives other "
        "bytes, and the checks on the response see its raw bytes, not hex",
        hint="replace the request by a text protocol message, or send the bytes with a PerfTest request edited "
        "by hand if PerfTest offers it",
    )


def _tcp_port(ctx: Context, node: Node, text: str) -> str:
    """The TCP Sampler's port for the URL. TCPSampler.getPort is getPropertyAsInt: Integer.parseInt of the
    text as it is (" 80" and "80.0" are 0), 0 when empty or refused; JMeter then connects to that port of
    the server (``new InetSocketAddress(server, port)``): 0 is refused by the operating system and a port out
    of 0-65535 makes the constructor throw, so the sample fails (JMX130) and the URL gets no port. A port
    written as a variable is kept as written (checked when the variable has one value)."""
    value = ctx.value(node, text)
    if "${" in value:
        return text.strip()
    port = props.java_int(value)
    if port is not None and 0 < port <= 65535:
        return text.strip() if "${" in text else str(port)  # a variable with one value stays a variable
    meant = props.integer(value)
    shown = ctx.reading(text, value)
    if port is not None and port != 0:
        why = f"port {shown} is out of range (0-65535): JMeter's InetSocketAddress throws"
    else:
        if port == 0:
            why = f"port {shown}"
        elif not value:
            why = "no port is set (TCPSampler.getPort reads 0)"
        elif meant is not None:
            why = (
                f"port {shown} is not a whole number as Java reads it (Integer.parseInt of the text as it is: "
                f"an optional sign and digits): JMeter reads it as 0, not {meant}"
            )
        else:
            why = f"port {shown} is not a number: JMeter reads it as 0"
        why += "; connecting to port 0 is refused"
    ctx.report(
        JMX_BAD_ADDRESS,
        node,
        why + ", so JMeter's sample fails without sending anything",
        action="the URL has no port" + _port_left_out(text.strip()),
        hint=f"write the port as digits only ({meant})"
        if meant is not None and 0 < meant <= 65535 and meant != port
        else "set the port the server listens on",
    )
    return ""


_WS_KINDS: dict[str, Literal["OPEN", "SEND", "READ", "CLOSE"]] = {
    "OpenWebSocketSampler": "OPEN",
    "RequestResponseWebSocketSampler": "SEND",
    "SingleWriteWebSocketSampler": "SEND",
    "SingleReadWebSocketSampler": "READ",
    "CloseWebSocketSampler": "CLOSE",
}


def _opens_connection(node: Node) -> bool:
    """Luminis samplers: Open always connects; Close never; the others when 'createNewConnection' is set."""
    short = node.kind.rsplit(".", 1)[-1]
    return short == "OpenWebSocketSampler" or (
        short != "CloseWebSocketSampler" and node.flag("createNewConnection")
    )


def _ws_url(ctx: Context, node: Node) -> str | None:
    """The ws:// or wss:// URL a Luminis sampler connects to (None without a server)."""
    server = ctx.expr(node, node.text("server")).strip()
    if not server:
        return None
    port = ctx.expr(node, node.text("port")).strip()
    path = ctx.expr(node, node.text("path")).strip()
    scheme = "wss" if node.flag("TLS") else "ws"
    netloc = server if not port or port == _WS_PORTS[scheme] else f"{server}:{port}"
    if path and not path.startswith("/"):
        path = "/" + path
    return f"{scheme}://{netloc}{path}"


def websocket_request(
    ctx: Context, node: Node, checks: list[Check], extracts: list[Extract]
) -> Request | None:
    short = node.kind.rsplit(".", 1)[-1]
    action = _WS_KINDS.get(short)
    if action is None:
        ctx.report(
            JMX_WS_UNSUPPORTED,
            node,
            f"{node.kind} has no WebSocket request equivalent",
            action="not converted",
        )
        return None
    if _opens_connection(node):
        url = _ws_url(ctx, node) or ctx.expr(node, node.text("path")).strip() or "/"
        ctx.websocket = _ws_url(ctx, node) or ctx.websocket
        if not ctx.conditional:
            ctx.websocket_may_close = None
    elif short == "CloseWebSocketSampler":
        url = ctx.websocket or "/"
        if ctx.conditional:  # under a controller that may skip it: the connection may stay open
            ctx.websocket_may_close = node.name or short
        else:
            ctx.websocket, ctx.websocket_closed = None, ctx.websocket
    elif ctx.websocket is None and ctx.websocket_closed is not None:
        # the Luminis samplers fail without an open connection ("no connection" sample): nothing is sent
        ctx.report(
            JMX_WS_AFTER_CLOSE,
            node,
            f"{short} reuses the thread's connection, but an earlier Close sampler closed it "
            f"({ctx.websocket_closed}): in JMeter the sample fails and nothing is sent",
            action="not converted, as nothing is sent",
            hint="open a new connection (tick 'create new connection') if the plan means to send this",
        )
        return None
    else:
        opened = ctx.websocket  # the thread's connection, along the walk (Module Controllers inlined)
        url = opened or "/"
        may_close = ctx.websocket_may_close if opened else None
        ctx.report(
            JMX_WS_REUSE,
            node,
            f"{short} uses the connection the thread opened earlier"
            + (f" ({opened})" if opened else "; no earlier sampler of this thread group opens one")
            + (
                f"; the Close sampler {may_close!r} before it runs under a controller that may skip it, so "
                "in JMeter the connection may be closed by then (the sample then fails)"
                if may_close
                else ""
            ),
            action="the card targets that URL; PerfTest decides which connection it uses"
            if opened
            else "the card has no target URL",
            hint="check in PerfTest that the message goes over the connection the JMeter plan opened",
        )
    payload = ctx.expr(node, node.text("requestData"))
    if short in ("RequestResponseWebSocketSampler", "SingleWriteWebSocketSampler") and _ws_binary(node):
        ctx.report(
            JMX_BINARY_PAYLOAD,
            node,
            f"binary payload {payload!r}: JMeter parses it as bytes (BinaryUtils.parseBinaryString: '0xca 0xfe' or "
            "'ca fe') and sends a binary frame",
            action="sent as a text frame holding that text: the server receives other bytes, in a frame of "
            "another type",
            hint="use a text payload in the plan, or edit the WebSocket request in PerfTest if it offers binary "
            "frames",
        )
    ctx.report(
        JMX_WEBSOCKET,
        node,
        f"{short} -> WebSocket {action} {url}",
        action="connection reuse follows PerfTest's WebSocket semantics",
    )
    return Request(
        name=node.name or short,
        protocol="websocket",
        method=action,
        url=url,
        body=Body(kind="raw", text=payload) if payload else None,
        connect_timeout_ms=_ws_timeout(ctx, node, "connectTimeout", "connect timeout"),
        response_timeout_ms=_ws_timeout(ctx, node, "readTimeout", "read timeout"),
        checks=checks,
        extracts=extracts,
        source=node.loc,
    )


def _ws_binary(node: Node) -> bool:
    """Whether a Luminis request-response / single-write sampler sends a binary frame
    (WebsocketGeneralSampler.getType: 'payloadType' when set, else the legacy 'binaryPayload' flag)."""
    if node.has("payloadType"):
        return node.text("payloadType").strip() == "Binary"
    return node.flag("binaryPayload")


_ACTIONS = {0: "stop", 2: "stop now", 3: "go to the next iteration of the thread loop",
            4: "go to the next iteration of the current loop", 5: "break the current loop"}  # fmt: skip


def flow_control_action(ctx: Context, node: Node) -> list[Step]:
    """A Flow Control Action (TestAction.sample): getAction and getTarget are getPropertyAsInt (Integer.parseInt,
    0 when unset, empty or not a Java int: " 1" is 0, stop, JMX224); 1 pauses for Long.parseLong of the
    duration; stop (0) and stop now (2) act only on the target 0 (thread) or 2 (test); any other action
    does nothing. A pause known only at run time is reported as a timer's delay (JMX502), the action and
    target read leniently, as before."""
    text = node.given("ActionProcessor.action")
    action = ctx.java_number(node, "action", text)
    if action == 1:
        # TestAction.pause: Long.parseLong of the duration, 0 when empty or not a Java long
        text = node.given("ActionProcessor.duration")
        value = ctx.value(node, text) if text is not None else ""
        if "${" in value:  # ${__Random(1000,3000)}: as a timer's delay known only at run time (JMX502)
            ctx.report(
                JMX_TIMER_EXPRESSION,
                node,
                f"pause duration = {value!r} is known only at run time",
                action="no think time",
                hint="add a think time in PerfTest where the pause was",
            )
            return []
        ms = ctx.java_number(node, "pause duration", text, bits=64)
        return [Think(ms=max(ms, 0), source=node.loc)]
    target_text = node.given("ActionProcessor.target")
    target = ctx.java_number(node, "target", target_text) if action in (0, 2) else 0
    what = _ACTIONS.get(action)
    if what is None or target not in (0, 2):
        ctx.report(
            JMX_FLOW_NOTHING,
            node,
            f"Flow Control Action {action} with target {target}: JMeter's TestAction does nothing for it",
            action="no step, as in JMeter",
        )
        return []
    ctx.report(
        JMX_FLOW_ACTION,
        node,
        f"Flow Control Action {action} ({what}"
        + (f" {'the thread' if target == 0 else 'the test'}" if action in (0, 2) else "")
        + ") not converted",
        action="skipped",
    )
    return []


def convert(
    ctx: Context, node: Node, applied: Applied, checks: list[Check], extracts: list[Extract]
) -> list[Step]:
    """The steps for one sampler (an empty list when it is not converted); a request gets the ``checks``
    and ``extracts`` in scope."""
    kind = normalise(node.kind)
    if kind in ("HTTPSamplerProxy", "HTTPSampler", "HTTPSampler2"):
        request = http_request(ctx, node, applied, checks, extracts)
        return [request] if request else []
    if kind == "TCPSampler":
        return [tcp_request(ctx, node, applied, checks, extracts)]
    if kind.startswith("eu.luminis.jmeter.wssampler."):
        request = websocket_request(ctx, node, checks, extracts)
        return [request] if request else []
    if kind == "TestAction":
        return flow_control_action(ctx, node)
    if kind.startswith("net.xmeter.") or "mqtt" in kind.lower():
        ctx.report(
            JMX_MQTT, node, f"{node.kind} (MQTT) has no documented PerfTest mapping", action="not converted"
        )
        return []
    ctx.report(
        JMX_SAMPLER_UNSUPPORTED,
        node,
        f"{node.kind} cannot be expressed as a PerfTest request",
        action="not converted",
    )
    return []
