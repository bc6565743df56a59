"""A recorded request's headers as the plan sends them: the HTTP client's own left out (connection, framing,
cache validation), headers that cannot be written left out, several Host headers reduced to the first, the
Cookie headers HTTP/2 splits merged, credential headers' values replaced by variables; each said with a code."""

from __future__ import annotations

import re

from converter.diagnostics import Location, define
from converter.parsers.har.context import Context
from converter.parsers.har.entry import Entry
from converter.parsers.har.secrets import is_secret_header, redact_header

HAR_HEADERS = define("HAR003", "info", "transport headers dropped (pseudo-headers, Host, Content-Length...)")
HAR_MULTIPART_TYPE = define(
    "HAR013", "info", "recorded multipart Content-Type dropped; PerfTest sets the boundary"
)
HAR_HOST = define(
    "HAR025", "warning", "recorded Host header names another host than the URL: kept (virtual host)"
)
HAR_BAD_HEADER = define("HAR034", "error", "header with a line break or control character not converted")
HAR_COOKIES_MERGED = define("HAR038", "info", "several Cookie headers merged into one (HTTP/2 splits them)")
HAR_HOSTS = define("HAR039", "warning", "several Host headers recorded: only the first used")
HAR_HEADER_NAME = define(
    "HAR045", "warning", "header name recorded with whitespace around it (sent without) or empty (left out)"
)
HAR_NOT_A_TOKEN = define(
    "HAR046",
    "warning",
    "header name with characters HTTP forbids in a field name (space, ':', non-ASCII...): left out",
)

# Connection-specific and framing headers (RFC 9110 7.6.1, RFC 9112 6) are the HTTP client's own, as are cache
# validators (they would turn the recorded answer into a 304); so are the names a recorded Connection lists.
DROPPED_HEADERS = {
    "content-length",
    "host",
    "connection",
    "if-none-match",
    "if-modified-since",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-connection",
    "expect",
}


def _before_colon(name: str) -> str:
    """A header name up to a ':' in it, then "...": "X-Api-Key: ..." for "X-Api-Key: Abc123..."."""
    before, colon, _ = name.partition(":")
    return f"{before}: ..." if colon else name


class HeaderWriter:
    """Writes the headers of each request (``to_send``); ``retargeted``: the browser-made redirect hops sent to
    their target (by id), whose recorded Host named the hop's host."""

    def __init__(self, ctx: Context, retargeted: set[int]) -> None:
        self.ctx = ctx
        self.retargeted = retargeted
        self.redacted: dict[tuple[str, str], str] = {}  # (credential header, recorded value) -> value sent

    def redact(self, name: str, value: str, source: str) -> str:
        """A credential header's value to send (the same recorded header repeats on most entries)."""
        key = (name, value)
        sent = self.redacted.get(key)
        if sent is None:
            sent = self.redacted[key] = redact_header(self.ctx.book, name, value, source)
        return sent

    def to_send(self, entry: Entry, multipart: bool) -> list[dict[str, str]]:
        """The recorded headers as the request sends them: the HTTP client's own left out (HAR003), and so are
        a multipart body's recorded Content-Type (HAR013), headers that cannot be written (HAR034, HAR046) and
        Host headers after the first (HAR039); the Cookie headers HTTP/2 splits merged into one (HAR038)."""
        loc = self.ctx.loc(entry)
        headers: list[dict[str, str]] = []
        dropped: list[str] = []
        hosts: list[str] = []  # the recorded Host headers' values
        cookie_at: int | None = None  # where the first Cookie header is in ``headers``
        cookies = 0  # further Cookie headers merged into it
        hop_only = entry.connection_options()
        not_tokens: list[str] = []  # names HTTP forbids (HAR046)
        # (a name that is no token once stripped is left out all the same: HAR046 says it)
        spaced = [name for name in entry.spaced_names if _TOKEN.fullmatch(name.strip(" \t"))]
        if spaced:
            self.ctx.diag.report(
                HAR_HEADER_NAME,
                loc,
                f"header name{'s' if len(spaced) > 1 else ''} recorded with whitespace around: "
                + ", ".join(repr(self.ctx.sent(name)) for name in spaced),
                action="read and sent without it ("
                + ", ".join(repr(self.ctx.sent(name.strip(" \t"))) for name in spaced)
                + "): a field name is a token, and a server rejects whitespace before the colon (RFC 9110 5.1, "
                "RFC 9112 5.1)",
            )
        for header in entry.raw["request"].get("headers") or ():
            name = header["name"]
            value = str(header.get("value") or "")
            lowered = name.lower()
            if lowered == "host":
                hosts.append(value)
                if len(hosts) > 1:  # a request has one Host (RFC 9112 3.2): the first recorded decides
                    continue
            if self.clients_own(entry, name, value, hop_only):
                dropped.append(name)
                continue
            if self.left_out(loc, name, value, multipart):
                continue
            if not _TOKEN.fullmatch(name):
                not_tokens.append(name)
                continue
            if not self.ctx.options.keep_secrets and is_secret_header(name):
                value = self.redact(name, value, entry.source)
            if lowered == "cookie":
                if cookie_at is not None:  # HTTP/2 lets a browser split its cookies over several headers
                    cookies += 1
                    first = headers[cookie_at]
                    first["value"] = _joined_cookies(first["value"], self.ctx.sent(value))
                    continue
                cookie_at = len(headers)
            headers.append({"name": name, "value": self.ctx.sent(value)})
        self.report_headers(loc, hosts, cookies, dropped)
        if not_tokens:
            self.report_not_tokens(loc, not_tokens)
        return headers

    def clients_own(self, entry: Entry, name: str, value: str, hop_only: set[str]) -> bool:
        """Whether a recorded header is the HTTP client's own, not sent (``hop_only``: the names the recorded
        Connection header lists): pseudo-headers, connection, framing and cache validation headers, a Host
        naming the URL's host. A Host naming another host is kept, with a warning (a virtual host, HAR025)."""
        lowered = name.lower()
        if (
            lowered == "host"
            and value.strip()
            and id(entry) not in self.retargeted  # (the recorded Host named the hop's host)
            and entry.names_another_host(value)
        ):
            self.ctx.diag.report(
                HAR_HOST,
                self.ctx.loc(entry),
                f"Host: {value} for a request to {entry.parts.netloc.rpartition('@')[2]}",
                action="Host header kept: the request goes to the URL's address, for the site it names",
                hint="check that the URL's address serves that site from where PerfTest runs",
            )
            return False
        return name[:1] == ":" or lowered in DROPPED_HEADERS or lowered in hop_only

    def left_out(self, loc: Location, name: str, value: str, multipart: bool) -> bool:
        """Whether a recorded header is left out, said at ``loc``: a multipart body's recorded Content-Type
        (PerfTest sets the boundary, HAR013), a header without a name (HAR045), or one with a line break or a
        control character (HAR034)."""
        if multipart and name.lower() == "content-type":
            self.ctx.diag.report(HAR_MULTIPART_TYPE, loc, f"Content-Type: {value}", action="header dropped")
            return True
        if not name:
            self.ctx.diag.report_once(
                HAR_HEADER_NAME, loc, "a header without a name", action="header left out (it cannot be sent)"
            )
            return True
        if _UNSENDABLE.search(name + value):  # a line break would end the header (or forge another)
            self.ctx.diag.report(
                HAR_BAD_HEADER,
                loc,
                f"header {self.ctx.sent(name)!r}: its name or value holds a line break or a control character",
                action="header left out",
            )
            return True
        return False

    def report_not_tokens(self, loc: Location, names: list[str]) -> None:
        """Header names with characters a field name cannot hold (it is a token, RFC 9110 5.1 and 5.6.2): no
        browser sends one, so the recording was written or changed by a tool; such a header is left out, as a
        server answers a request carrying it with 400 (RFC 9112 5)."""
        self.ctx.diag.report(
            HAR_NOT_A_TOKEN,
            loc,
            f"header name{'s' if len(names) > 1 else ''} with characters a field name cannot hold: "
            # (up to a ':': what follows is a value pasted into the name, a credential maybe)
            + ", ".join(repr(self.ctx.sent(_before_colon(name))) for name in names),
            action=f"header{'s' if len(names) > 1 else ''} left out: a field name is a token (letters, digits "
            "and !#$%&'*+-.^_`|~, RFC 9110 5.6.2); no browser sends another, and a server rejects the request",
            hint="if the server needs the header, add it in PerfTest under its correct name",
        )

    def report_headers(self, loc: Location, hosts: list[str], cookies: int, dropped: list[str]) -> None:
        """The notes on a request's headers as a whole: several Host headers (HAR039), Cookie headers merged
        (``cookies``: how many were merged into the first, HAR038), the client's own left out (HAR003)."""
        if len(hosts) > 1:
            self.ctx.diag.report(
                HAR_HOSTS,
                loc,
                f"{len(hosts)} Host headers: " + ", ".join(repr(self.ctx.sent(h)) for h in hosts),
                action=f"only the first ({self.ctx.sent(hosts[0])!r}) used; the others left out (a request has one "
                "Host, RFC 9112 3.2)",
            )
        if cookies:
            self.ctx.diag.report(
                HAR_COOKIES_MERGED,
                loc,
                f"{cookies + 1} Cookie headers (HTTP/2 lets a browser split its cookies)",
                action="merged into one Cookie header, joined by '; ': an HTTP/1.1 request carries one "
                "(RFC 9113 8.2.3, RFC 6265 5.4)",
            )
        if dropped:
            self.ctx.count("headers.dropped", len(dropped))
            self.ctx.diag.report(
                HAR_HEADERS,
                loc,
                ", ".join(dropped),
                action="not sent: connections, body framing and cache validation are the HTTP client's",
            )


def _joined_cookies(first: str, more: str) -> str:
    """Two Cookie header values as one, joined by '; ' (no ';' in a cookie), without empty pieces."""
    pieces = (piece.strip() for value in (first, more) for piece in value.split(";"))
    return "; ".join(piece for piece in pieces if piece)


_TOKEN = re.compile(r"[-!#$%&'*+.^_`|~0-9A-Za-z]+")  # a field name (RFC 9110 5.1, 5.6.2)
_UNSENDABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # control characters but tab (RFC 9110 5.5)
