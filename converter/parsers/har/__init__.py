"""HAR recordings (Chrome, Firefox, Safari, Charles, Fiddler, mitmproxy, Playwright...) -> Scenario.

Steps: read and type-check the file (:mod:`.load`), order entries by start time, filter (junk, preflight,
static assets, hosts, URLs, redirect hops), group into transactions (pages, or idle gaps), derive think
times and status checks, convert bodies (:mod:`.bodies`), and replace recorded credentials by variables
(:mod:`.secrets`; where a request carries them: :mod:`.credentials`). Every entry gets exactly one ledger row.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import SplitResult, urlsplit

from converter.diagnostics import Location, define, first_few
from converter.gcpause import collector_paused
from converter.model import (
    Body,
    Case,
    LoadProfile,
    Request,
    Scenario,
    SourceInfo,
    Stage,
    Step,
    Think,
    Transaction,
    TransactionRef,
    Variable,
)
from converter.parsers.har.bodies import (
    BodyResult,
    convert_body,
    with_boundary,
)
from converter.parsers.har.collect import SecretCollector
from converter.parsers.har.context import Context
from converter.parsers.har.credentials import (
    body_texts,
    credentials_in,
    in_clear,
    places_of,
)
from converter.parsers.har.entry import (
    BLANKS,
    Entry,
    chain_ms,
    complete_request,
    recorded_text,
    site_of,
    status_of,
    timestamp,
)
from converter.parsers.har.filters import (
    cache_reason,
    host_reason,
    is_preflight,
    is_websocket,
    junk_reason,
    static_reason,
)
from converter.parsers.har.issued import Issued, issued_by_server, location_of
from converter.parsers.har.load import producer, read_har
from converter.parsers.har.oauth import (
    AUTHORIZATION_CODE,
    CODE_VERIFIER,
    SAML_RESPONSE,
)
from converter.parsers.har.redirects import CREDENTIAL_HEADERS, RedirectFolder
from converter.parsers.har.secrets import (
    SecretBook,
    is_secret_field,
    is_secret_header,
    redact_header,
    spellings,
)

HAR_FILTERED = define("HAR001", "info", "entry filtered out (static asset, host, URL, preflight, junk)")
HAR_HEADERS = define("HAR003", "info", "transport headers dropped (pseudo-headers, Host, Content-Length...)")
HAR_SECRET = define("HAR004", "info", "recorded credential replaced by a variable to fill at upload")
HAR_SECRET_KEPT = define("HAR005", "warning", "recorded credentials kept in the plan (--keep-secrets)")
HAR_FILE_PART = define("HAR006", "warning", "multipart file part replaced by a placeholder")
HAR_BINARY = define("HAR007", "error", "binary request body not converted; request sent without it")
HAR_WEBSOCKET = define("HAR008", "error", "websocket connection and messages not converted")
HAR_PARAMS = define("HAR009", "warning", "form params and text disagree; params used")
HAR_NO_TIME = define("HAR010", "warning", "entry has no usable startedDateTime; file order kept")
HAR_SECRET_LEFT = define("HAR021", "error", "recorded credential left in the plan: it could not be replaced")
HAR_SECRET_SHARED = define(
    "HAR022", "warning", "one variable stands for different credential values recorded on different sites"
)
HAR_USERINFO = define(
    "HAR020", "warning", "credentials in the URL (user:password@ or a token@): replaced by a variable"
)
HAR_SURROGATES = define("HAR019", "warning", "lone UTF-16 surrogate escapes replaced by U+FFFD")
HAR_BAD_HEADER = define("HAR034", "error", "header with a line break or control character not converted")
HAR_DOLLAR_BRACE = define(
    "HAR033", "warning", "recorded text contains '${', which PerfTest reads as a variable reference"
)
HAR_ISSUED = define(
    "HAR032", "warning", "recorded credential was handed out by the server: a fixed value replays it"
)
HAR_INTERLEAVED = define(
    "HAR031", "warning", "pages recorded interleaved: requests grouped by page run in another order"
)
HAR_METHOD_CASE = define(
    "HAR037",
    "warning",
    "method recorded in lower or mixed case: sent in upper case (methods are case-sensitive)",
)
HAR_COOKIES_MERGED = define("HAR038", "info", "several Cookie headers merged into one (HTTP/2 splits them)")
HAR_HOSTS = define("HAR039", "warning", "several Host headers recorded: only the first used")
HAR_HEADER_NAME = define(
    "HAR045", "warning", "header name recorded with whitespace around it (sent without) or empty (left out)"
)
HAR_EVENT_STREAM = define(
    "HAR042", "warning", "response was a server-sent event stream: replayed as one request, not as a stream"
)
HAR_OAUTH_CODE = define(
    "HAR043",
    "warning",
    "recorded OAuth authorization code sent: it is accepted once, so the request fails on replay",
)
HAR_SAML_RESPONSE = define(
    "HAR044",
    "warning",
    "recorded SAML response sent: a signed assertion accepted once, for minutes; fails on replay",
)
HAR_BODY_MISSING = define("HAR017", "warning", "request body not kept by the recording: sent without it")
HAR_UNTIMED_FILE = define("HAR016", "info", "no entry has a start time: file order kept, no think times")
HAR_SCHEME = define("HAR011", "error", "URL scheme not supported")
HAR_304 = define("HAR012", "info", "recorded 304 expected as 200 once cache validators are dropped")
HAR_MULTIPART_TYPE = define(
    "HAR013", "info", "recorded multipart Content-Type dropped; PerfTest sets the boundary"
)
HAR_NO_ENTRIES = define("HAR014", "warning", "no request left to convert")
HAR_REBUILT = define(
    "HAR015", "warning", "request body rebuilt from postData.params: the recording kept no text"
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
# Codes of request(), entries() and build(): what they keep, assume or warn about.
HAR_HOST = define(
    "HAR025", "warning", "recorded Host header names another host than the URL: kept (virtual host)"
)
HAR_NAIVE_TIME = define("HAR028", "warning", "timestamps without a time zone read as UTC")
HAR_SANITIZED = define(
    "HAR050",
    "info",
    "a Chrome recording without any Cookie, Set-Cookie or Authorization header: probably a sanitized export",
)
HAR_LONG_THINK = define(
    "HAR029", "warning", "think time longer than 5 minutes or than the whole test, kept as recorded"
)
LONG_THINK_MS = 5 * 60 * 1000


@dataclass
class HarOptions:
    keep_static: bool = False
    include_hosts: list[str] = field(default_factory=list)
    exclude_hosts: list[str] = field(default_factory=list)
    exclude_urls: list[str] = field(default_factory=list)
    group_gap_ms: int = 1000
    think: Literal["recorded", "none", "fixed"] = "recorded"
    think_fixed_ms: int = 0
    think_min_ms: int = 500
    think_scale: float = 1.0
    think_max_ms: int | None = None
    status_checks: bool = True
    keep_secrets: bool = False
    users: int = 1
    ramp_s: int = 0
    duration_s: int = 60
    iterations: int | None = None


class _HarReader:
    def __init__(self, path: Path, options: HarOptions) -> None:
        self.path = path
        self.options = options
        self.ctx = Context(options)
        self.diag, self.book, self.stats, self.callbacks = (
            self.ctx.diag,
            self.ctx.book,
            self.ctx.stats,
            self.ctx.callbacks,
        )
        self.producer = ""
        self.used: dict[str, Request] = {}  # ${names} the converted requests refer to -> the first that does
        self.sent_to: dict[str, set[str]] = {}  # ${names} -> the sites the converted requests send them to
        self.exclude_urls = [re.compile(p) for p in options.exclude_urls]
        # secret variable -> the recorded value the server handed out, and the response that did
        self.issued: dict[str, tuple[str, Issued]] = {}
        self.issued_sent: dict[str, Location] = {}  # secret variable -> the first request sending that value
        # secret variable -> the first request of the plan sending that value before the response handed it out
        self.sent_before: dict[str, Location] = {}
        self.order: dict[int, int] = {}  # entry index -> its position in recorded order
        self.redacted: dict[tuple[str, str], str] = {}  # (credential header, recorded value) -> value sent
        self.in_raw_forms: set[str] = set()  # variables sent inside a form kept as its recorded text
        self.collector = SecretCollector(self.book, self.callbacks)
        self.single_use = self.collector.single_use
        self.redirects = RedirectFolder(self.ctx, self.collector, self.exclude_urls)
        self.retargeted = self.redirects.retargeted
        self.folded_into = self.redirects.folded_into

    def redact(self, name: str, value: str, source: str) -> str:
        """A credential header's value to send (the same recorded header repeats on most entries)."""
        key = (name, value)
        sent = self.redacted.get(key)
        if sent is None:
            sent = self.redacted[key] = redact_header(self.book, name, value, source)
        return sent

    def filtered(self, entry: Entry, reason: str, detail: str) -> None:
        self.diag.set_status(entry.source, "filtered")
        self.ctx.count(f"filtered.{reason}")
        self.diag.report(
            HAR_FILTERED,
            self.ctx.loc(entry),
            f"{reason}: {detail}",
            action="left out",
        )

    # ---- the whole file -----------------------------------------------------------------------------
    def run(self) -> Scenario:
        log, digest, repaired = read_har(self.path)
        self.producer = producer(log)
        entries = self.entries(log["entries"])
        if repaired:
            self.report_repaired(repaired, entries)
        self.ctx.count("entries", len(entries))
        if (
            self.producer.startswith("WebInspector")
            and any(e.start is not None and e.start >= _CHROME_130 for e in entries)
            and not _any_credential_header(entries)
        ):
            login = _signs_of_a_login(entries, self.book)
            self.diag.report(
                HAR_SANITIZED,
                None,
                f"none of the {len(entries)} entries has a Cookie, Set-Cookie or Authorization header"
                + (" although the recording logs in (a password field, or a 401/403 answer)" if login else "")
                + ": Chrome's 'Export HAR (sanitized)', the default since Chrome 130, leaves them out",
                action="converted as recorded: the requests carry no session, so a test of pages behind a login "
                "will not be logged in",
                hint="if the session needed them, export with sensitive data (DevTools setting 'Allow to generate "
                "HAR with sensitive data', then 'Export HAR (with sensitive data)'), or add the login in PerfTest",
                severity="warning" if login else "info",
            )
        kept = self.filter(entries)
        self.redirects.fold(kept, entries)
        kept = [e for e in kept if self.ctx.status(e) != "filtered"]
        self.ctx.count("requests", len(kept))
        self.ctx.count("kept", sum(1 for e in entries if self.ctx.status(e) != "filtered"))
        groups = self.group(kept, log.get("pages") or [])
        if not self.options.keep_secrets:
            self.issued = self.find_issued(entries)
        return self.build(groups, digest)

    def find_issued(self, entries: list[Entry]) -> dict[str, tuple[str, Issued]]:
        """Variable -> the recorded value handed out first, before it was sent, and the response that did
        (correlation)."""
        secrets = self.book.secrets
        if not secrets:
            return {}
        first_use = {}
        for value, secret in secrets.items():
            found = _ENTRY_SOURCE.fullmatch(secret.first_source)
            if found:
                first_use[value] = int(found.group(1))
        tokens = [v for v, secret in secrets.items() if not secret.where.startswith("cookie ")]
        order = self.order = {entry.index: position for position, entry in enumerate(entries)}
        responses = ((entry.index, entry.raw.get("response")) for entry in entries)
        out: dict[str, tuple[str, Issued]] = {}
        for value, issued in issued_by_server(responses, first_use, order, tokens).items():
            variable = secrets[value].variable
            known = out.get(variable)
            if known is None or order[issued.index] < order[known[1].index]:
                out[variable] = (value, issued)
        return out

    def report_repaired(self, paths: list[str], entries: list[Entry]) -> None:
        """Where lone surrogate escapes were replaced: at each entry concerned, or for the file."""
        by_index = {entry.index: entry for entry in entries}
        places: dict[int | None, list[str]] = {}
        for path in paths:
            found = _ENTRY_PATH.match(path)
            places.setdefault(int(found.group(1)) if found else None, []).append(path.lstrip("."))
        for index, where in places.items():
            self.diag.report(
                HAR_SURROGATES,
                None if index is None else self.ctx.loc(by_index[index]),
                f"lone UTF-16 surrogate escapes in {', '.join(where[:3])}"
                + (" ..." if len(where) > 3 else ""),
                action="each replaced by U+FFFD (a lone surrogate is no character and cannot be written)",
            )

    def entries(self, raw_entries: list[dict[str, Any]]) -> list[Entry]:
        out = []
        untimed = 0
        for index, raw in enumerate(raw_entries):
            request = raw["request"]
            spaced_names = complete_request(request)
            post = request.get("postData")
            if post and (post.get("_file") or post.get("_sha1")) and not post.get("text"):
                _read_attached_body(post, self.path.parent)
            start = timestamp(raw.get("startedDateTime"))
            duration = raw.get("time")
            entry = Entry(
                index=index,
                raw=raw,
                start=start,
                end=None if start is None else start + max(float(duration or 0), 0.0) / 1000.0,
                source=f"har:entries[{index}]",
                method=request["method"].strip(),
                url=request["url"].strip().partition("#")[0],  # a fragment never reaches the server
                status=status_of(raw),
                pageref=raw.get("pageref"),
                spaced_names=spaced_names,
            )
            entry.final_status = entry.status
            out.append(entry)
            if start is None:
                untimed += 1
        for entry in out:  # the callbacks of OAuth logins first: a code is recognised there (oauth.py)
            self.callbacks.note_request(entry.url)
            if entry.status is not None and 300 <= entry.status < 400:
                self.callbacks.note_redirect(location_of(entry.raw.get("response")))
        # Collect credentials from every entry first, so that no ledger name or message shows one.
        if not self.options.keep_secrets:
            for entry in out:
                self.collector.collect_request(entry)
            self.book.separate()
            for entry in out:  # after every request, so that a value a request sent is first recorded there
                self.collector.collect_location(entry)
        some_timed = untimed < len(out)
        for entry in out:
            self.diag.track(entry.source, "entry", self.ctx.loc(entry).name or "")
            if entry.start is None and len(out) > 1 and some_timed:
                self.diag.report(
                    HAR_NO_TIME,
                    self.ctx.loc(entry),
                    "no usable startedDateTime",
                    action="kept in file order; no think time derived around it",
                )
        naive = sum(1 for entry in out if entry.start is not None and entry.naive_time)
        if naive:  # one note for the file, however many entries it concerns
            self.diag.report(
                HAR_NAIVE_TIME,
                None,
                f"{naive} of {len(out)} startedDateTime values have no time zone",
                action="read as UTC: if the recording's clock was in another zone, the order and think times "
                "around them are off by its offset",
            )
        if len(out) > 1 and not some_timed:  # a hand-written HAR: one note for the file, not one per entry
            self.diag.report(
                HAR_UNTIMED_FILE,
                None,
                "no entry has a usable startedDateTime",
                action="entries kept in file order; no think times derived",
            )
        # Stable sort by start time; untimed entries keep their place relative to their predecessor.
        last = float("-inf")
        keys = []
        for entry in out:
            if entry.start is not None:
                last = entry.start
            keys.append((last, entry.index))
        order = sorted(range(len(out)), key=lambda i: keys[i])
        return [out[i] for i in order]

    def filter(self, entries: list[Entry]) -> list[Entry]:
        kept = []
        gecko = any(name in self.producer.lower() for name in _GECKO_PRODUCERS)
        for entry in entries:
            reason = junk_reason(entry)
            if reason:
                self.filtered(entry, "junk", reason)
                continue
            reason = cache_reason(entry, gecko)
            if reason:  # the recorded session put no load on the server for it
                self.filtered(entry, "cache", reason)
                continue
            if is_websocket(entry):
                messages = len(entry.raw.get("_webSocketMessages") or [])
                if not messages:
                    self.filtered(entry, "junk", "websocket upgrade without recorded messages")
                    continue
                self.ctx.count("websocket")
                self.diag.report(
                    HAR_WEBSOCKET,
                    self.ctx.loc(entry),
                    f"websocket connection with {messages} recorded messages",
                    action="left out",
                    hint="PerfTest has WebSocket requests (protocol 9); add them by hand for now",
                )
                continue
            if is_preflight(entry):
                self.filtered(entry, "preflight", "CORS preflight OPTIONS request")
                continue
            reason = host_reason(
                entry, self.options.include_hosts, self.options.exclude_hosts, self.exclude_urls
            )
            if reason:
                self.filtered(entry, "host_or_url", reason)
                continue
            if not self.options.keep_static:
                reason = static_reason(entry)
                if reason:
                    self.filtered(entry, "static", reason)
                    continue
            scheme = entry.parts.scheme.lower()
            if scheme not in ("http", "https"):
                self.ctx.count("unsupported_scheme")
                self.diag.report(
                    HAR_SCHEME, self.ctx.loc(entry), f"scheme {scheme or '(none)'}", action="left out"
                )
                continue
            kept.append(entry)
        return kept

    def group(
        self, kept: list[Entry], pages: list[dict[str, Any]]
    ) -> list[tuple[str, Location | None, list[Entry]]]:
        titles: dict[str, tuple[str, str]] = {}
        redacting = not self.options.keep_secrets
        for number, page in enumerate(pages):
            if isinstance(page.get("id"), str):
                title = str(page.get("title") or page["id"])
                if redacting:  # titles become transaction names and descriptions: no credential in them
                    self.collector.collect_title(title)
                    title = self.book.scrub(title)
                titles[page["id"]] = (title, f"har:pages[{number}]")
        groups: list[tuple[str, Location | None, list[Entry]]] = []
        by_page: dict[str, int] = {}
        interleaved: set[str] = set()
        previous_end: float | None = None
        for entry in kept:  # one pass: pages keyed by pageref, the rest split by idle gaps
            page_id = entry.pageref if entry.pageref in titles else None
            if page_id is not None:
                if page_id not in by_page:
                    title, source = titles[page_id]
                    by_page[page_id] = len(groups)
                    groups.append((title, Location(source=source, name=title), []))
                position = by_page[page_id]
                if position != len(groups) - 1 and page_id not in interleaved:
                    interleaved.add(page_id)  # once per page
                    self.diag.report(
                        HAR_INTERLEAVED,
                        self.ctx.loc(entry),
                        f"page {groups[position][0]!r} has requests recorded after "
                        + (
                            f"page {groups[-1][0]!r}"
                            if groups[-1][1] is not None
                            else f"requests without a page (grouped as {groups[-1][0]!r})"
                        )
                        + " began (several tabs, or requests made late)",
                        action="kept in their page's transaction: the requests no longer run in the recorded order",
                    )
                groups[position][2].append(entry)
            else:
                gap = (
                    None
                    if previous_end is None or entry.start is None
                    else (entry.start - previous_end) * 1000
                )
                last_is_gap_group = bool(groups) and groups[-1][1] is None
                if not last_is_gap_group or (gap is not None and gap > self.options.group_gap_ms):
                    url = self.book.scrub(entry.url) if redacting else entry.url
                    groups.append(
                        (_group_title(entry.parts if url == entry.url else urlsplit(url)), None, [])
                    )
                groups[-1][2].append(entry)
            if entry.end is not None:
                previous_end = max(previous_end or entry.end, entry.end)
        return groups

    # ---- requests ---------------------------------------------------------------------------------
    def request(self, entry: Entry) -> Request:
        """One kept entry as a request of the plan: its headers and body as the plan sends them (credentials
        replaced by variables, unless --keep-secrets), a check of the status its redirect chain ended with, and
        a note for each thing sent otherwise than recorded."""
        loc = self.ctx.loc(entry)
        raw_request = entry.raw["request"]
        post = raw_request.get("postData")
        converted = convert_body(with_boundary(post, raw_request.get("headers") or ()))
        multipart = converted.body is not None and converted.body.kind == "multipart"
        headers = self.headers_to_send(entry, multipart)
        self.report_body(loc, raw_request, post, converted)
        body = converted.body
        if (
            body is not None
            and body.kind == "raw"
            and body.content_type
            and not any(h["name"].lower() == "content-type" for h in headers)
        ):  # only the postData kept the type (hand-written HARs): without it many APIs answer 415
            headers.append({"name": "Content-Type", "value": body.content_type})
        body = self.body_to_send(converted)
        checks = self.status_checks(entry)
        url = self.ctx.sent(entry.url)
        self.report_sent_otherwise(entry)
        method = entry.method.upper()
        path = (entry.parts if url == entry.url else urlsplit(url)).path or "/"
        request = Request.model_validate(
            {
                "name": f"{method} {path}"[:120],
                "protocol": "https" if entry.parts.scheme.lower() == "https" else "http",
                "method": method,
                "url": url,
                "headers": headers,  # (validated once, inside Request)
                "body": body,
                "checks": checks,
                "source": loc,
                "recorded_ms": chain_ms(entry),
            }
        )
        if not self.options.keep_secrets:
            self.note_used(entry, request)
        return request

    def headers_to_send(self, entry: Entry, multipart: bool) -> list[dict[str, str]]:
        """The recorded headers as the request sends them: the HTTP client's own left out (HAR003), and so are
        a multipart body's recorded Content-Type (HAR013), headers that cannot be written (HAR034) and Host
        headers after the first (HAR039); the Cookie headers HTTP/2 splits merged into one (HAR038)."""
        loc = self.ctx.loc(entry)
        headers: list[dict[str, str]] = []
        dropped: list[str] = []
        hosts: list[str] = []  # the recorded Host headers' values
        cookie_at: int | None = None  # where the first Cookie header is in ``headers``
        cookies = 0  # further Cookie headers merged into it
        hop_only = entry.connection_options()
        if entry.spaced_names:
            self.diag.report(
                HAR_HEADER_NAME,
                loc,
                f"header name{'s' if len(entry.spaced_names) > 1 else ''} recorded with whitespace around: "
                + ", ".join(repr(self.ctx.sent(name)) for name in entry.spaced_names),
                action="read and sent without it ("
                + ", ".join(repr(self.ctx.sent(name.strip(" \t"))) for name in entry.spaced_names)
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
            if not self.options.keep_secrets and is_secret_header(name):
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
            self.diag.report(
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
            self.diag.report(HAR_MULTIPART_TYPE, loc, f"Content-Type: {value}", action="header dropped")
            return True
        if not name:
            self.diag.report_once(
                HAR_HEADER_NAME, loc, "a header without a name", action="header left out (it cannot be sent)"
            )
            return True
        if _UNSENDABLE.search(name + value):  # a line break would end the header (or forge another)
            self.diag.report(
                HAR_BAD_HEADER,
                loc,
                f"header {self.ctx.sent(name)!r}: its name or value holds a line break or a control character",
                action="header left out",
            )
            return True
        return False

    def report_headers(self, loc: Location, hosts: list[str], cookies: int, dropped: list[str]) -> None:
        """The notes on a request's headers as a whole: several Host headers (HAR039), Cookie headers merged
        (``cookies``: how many were merged into the first, HAR038), the client's own left out (HAR003)."""
        if len(hosts) > 1:
            self.diag.report(
                HAR_HOSTS,
                loc,
                f"{len(hosts)} Host headers: " + ", ".join(repr(self.ctx.sent(h)) for h in hosts),
                action=f"only the first ({self.ctx.sent(hosts[0])!r}) used; the others left out (a request has one "
                "Host, RFC 9112 3.2)",
            )
        if cookies:
            self.diag.report(
                HAR_COOKIES_MERGED,
                loc,
                f"{cookies + 1} Cookie headers (HTTP/2 lets a browser split its cookies)",
                action="merged into one Cookie header, joined by '; ': an HTTP/1.1 request carries one "
                "(RFC 9113 8.2.3, RFC 6265 5.4)",
            )
        if dropped:
            self.ctx.count("headers.dropped", len(dropped))
            self.diag.report(
                HAR_HEADERS,
                loc,
                ", ".join(dropped),
                action="not sent: connections, body framing and cache validation are the HTTP client's",
            )

    def report_body(
        self, loc: Location, raw_request: dict[str, Any], post: dict[str, Any] | None, converted: BodyResult
    ) -> None:
        """The notes on a request's body: not kept by the recording (HAR017), binary (HAR007), rebuilt from
        params (HAR015), params and text that disagree (HAR009), the converter's own notes, file parts
        replaced by placeholders (HAR006)."""
        missing = _body_not_kept(raw_request, post)
        if missing:
            self.diag.report(
                HAR_BODY_MISSING,
                loc,
                missing,
                action="request sent without a body",
                hint="record again with request bodies, or add the body in PerfTest",
            )
        if converted.problem:
            self.diag.report(HAR_BINARY, loc, converted.problem, action="request sent without a body")
        if converted.rebuilt:
            self.diag.report(
                HAR_REBUILT, loc, converted.rebuilt, action="sent as rebuilt; byte order may differ"
            )
        if converted.params_over_text:
            self.diag.report(
                HAR_PARAMS, loc, "postData.params and postData.text differ", action="params sent"
            )
        for note in converted.notes:
            self.diag.report(note.code, loc, note.message, action=note.action, hint=note.hint)
        if converted.file_parts:
            self.diag.report(
                HAR_FILE_PART,
                loc,
                "file parts: " + ", ".join(converted.file_parts),
                action="file content replaced by a placeholder",
                hint="attach the file in PerfTest, or replace the placeholder value",
            )

    def body_to_send(self, converted: BodyResult) -> Body | None:
        """The converted body as the plan sends it: its recorded credentials replaced by their variables (in a
        form kept as its text, its secret-named fields whatever their charset), unless --keep-secrets."""
        body = converted.body
        if body is None or self.options.keep_secrets:
            return body
        if converted.form_text:
            book = self.book
            body = converted.replace_form_values(lambda name, value: _field_placeholder(book, name, value))
            self.in_raw_forms.update(_PLACEHOLDER.findall(body.text))
        return _scrub_body(body, self.book)

    def status_checks(self, entry: Entry) -> list[dict[str, Any]]:
        """The check of the status the request's redirect chain ended with in the recording (none when unknown
        or with --no-status-checks); a recorded 304 is expected as 200 (HAR012: validators are not sent)."""
        status = entry.final_status
        if not self.options.status_checks or status is None or status <= 0:
            return []
        if status == 304:
            self.diag.report(HAR_304, self.ctx.loc(entry), "recorded 304 Not Modified", action="expects 200")
            status = 200
        return [{"target": "status", "operator": "equals", "values": [str(status)]}]

    def note_used(self, entry: Entry, request: Request) -> None:
        """The secret variables a converted request's texts (URL, header values, body) refer to (the plan
        declares only those), each with the first request of the plan that sends it (HAR004 and HAR022 are
        said there) and the sites the plan sends it to (HAR022); for a variable whose value the server handed
        out, the first request that sends that value after that response in recorded order (HAR032)."""
        texts = [request.url, *(h.value for h in request.headers), *body_texts(request.body)]
        site = site_of(entry.url)
        for name in _PLACEHOLDER.findall("\n".join(t for t in texts if "${" in t)):
            if name not in self.used:
                self.used[name] = request
            self.sent_to.setdefault(name, set()).add(site)
            issued = self.issued.get(name)
            if issued is not None and name not in self.issued_sent and _carries(entry, issued[0]):
                if self.order[entry.index] > self.order[issued[1].index]:
                    self.issued_sent[name] = self.ctx.loc(entry)
                else:  # recorded before the response that handed it out: the value was known already
                    self.sent_before.setdefault(name, self.ctx.loc(entry))

    def report_sent_otherwise(self, entry: Entry) -> None:
        """The notes on what a request's replay does otherwise than the recording: an event stream read as one
        response (HAR042), a method not in upper case (HAR037), '${' that PerfTest reads as a reference
        (HAR033)."""
        loc = self.ctx.loc(entry)
        if _event_stream(entry.raw.get("response")):
            recorded = chain_ms(entry)
            self.diag.report(
                HAR_EVENT_STREAM,
                loc,
                "the response was a text/event-stream (server-sent events"
                + (f", open for {_duration_text(recorded)} in the recording)" if recorded else ")"),
                action="sent as one request: PerfTest reads the stream to its end or to the request's timeout, "
                "and events are neither waited for one by one nor checked",
                hint="a stream the server keeps open ends at the timeout; set it (and a think time) to the "
                "listening time you want",
            )
        method = entry.method.upper()
        if method != entry.method:
            self.report_method_case(entry, method)
        if "${" in recorded_text(entry):
            self.diag.report(
                HAR_DOLLAR_BRACE,
                loc,
                "the recorded request contains '${', which PerfTest reads as a variable or function reference",
                action="sent as recorded: PerfTest may replace that text before sending it",
                hint="if the text must reach the server as it is, change it in PerfTest (the API reference "
                "documents no escape for it)",
            )

    def report_method_case(self, entry: Entry, method: str) -> None:
        """HTTP methods are case-sensitive (RFC 9110 9.1) and a plan's are upper case: say so when the recorded
        one was not. Browsers upper-case the standard methods they send (Fetch "normalize"), so a lower-case
        GET or POST comes from an edited recording or another client; PATCH and others they send as written."""
        normalized = method in _FETCH_NORMALIZED
        self.diag.report(
            HAR_METHOD_CASE,
            self.ctx.loc(entry),
            f"method recorded as {entry.method!r}"
            + (
                " (a browser sends it in upper case: the recording was probably written or edited by hand)"
                if normalized
                else " (a browser sends it as the page wrote it)"
            ),
            action=f"upper-cased to {method}",
            hint="" if normalized else "a server that tells methods apart by case may answer it otherwise",
        )

    def think_ms(self, previous: Entry | None, entry: Entry, busy_until: float | None) -> int | None:
        """The pause before ``entry``: the recorded idle time since every earlier request had ended
        (``busy_until``; requests run in parallel in a browser), not since the previous one ended."""
        opts = self.options
        if previous is None or opts.think == "none":
            return None
        if opts.think == "fixed":
            return opts.think_fixed_ms or None
        if previous.end is None or entry.start is None or busy_until is None:
            return None  # no think time around an untimed entry (HAR010 says so)
        gap = (entry.start - busy_until) * 1000
        if gap < opts.think_min_ms:
            return None
        scaled = gap * opts.think_scale
        if opts.think_max_ms is not None:
            scaled = min(scaled, opts.think_max_ms)
        if not math.isfinite(scaled):  # a NaN or infinite scale given through the API (the CLI refuses them)
            return None
        value = round(scaled)
        # an overnight break, a clock jump, or a pause longer than the whole test: the test would stall on it
        test_ms = None if opts.iterations is not None else opts.duration_s * 1000
        limit = LONG_THINK_MS if test_ms is None else min(LONG_THINK_MS, test_ms)
        if value > limit:
            self.diag.report(
                HAR_LONG_THINK,
                self.ctx.loc(entry),
                f"a think time of {_duration_text(value)} before this request (the recording paused "
                f"{_duration_text(gap)})"
                + (f", longer than the test's {opts.duration_s} s" if limit == test_ms else ""),
                action=f"think time of {value} ms before it",
                hint="cap recorded pauses with --think-max MS (or record the session again without the break)",
            )
        return value if value > 0 else None

    def build(self, groups: list[tuple[str, Location | None, list[Entry]]], digest: str) -> Scenario:
        transactions: dict[str, Transaction] = {}
        case_steps: list[Step] = []
        previous: Entry | None = None
        busy_until: float | None = None  # when every request so far had ended
        for title, where, group in groups:
            key = title
            number = 2
            while key in transactions:
                key = f"{title} #{number}"
                number += 1
            steps: list[Step] = []
            for position, entry in enumerate(group):
                think = self.think_ms(previous, entry, busy_until)
                if think:
                    self.ctx.count("think_steps")
                    (case_steps if position == 0 else steps).append(
                        Think(ms=think, source=self.ctx.loc(entry))
                    )
                steps.append(self.request(entry))
                previous = entry
                if entry.end is not None:
                    busy_until = entry.end if busy_until is None else max(busy_until, entry.end)
            transactions[key] = Transaction(name=title, steps=steps, source=where)
            case_steps.append(TransactionRef(transaction=key, source=where))
        if not transactions:
            total = self.stats.get("entries", 0)
            filtered = sum(n for name, n in self.stats.items() if name.startswith("filtered."))
            message = f"none of the {total} entries became a request ({filtered} filtered out)"
            self.diag.report(
                HAR_NO_ENTRIES,
                None,
                message if total else "the recording has no entries",
                action="the case is empty",
            )
        variables = self.variables(transactions)
        opts = self.options
        if opts.iterations is not None:
            stage = Stage(users=opts.users, ramp_s=opts.ramp_s, iterations=opts.iterations)
        else:
            stage = Stage(users=opts.users, ramp_s=opts.ramp_s, hold_s=opts.duration_s)
        name = self.path.stem
        case = Case(name=name, steps=case_steps, load=LoadProfile(stages=[stage]))
        return Scenario(
            name=name,
            source=SourceInfo(kind="har", path=self.path.name, sha256=digest),
            variables=variables,
            transactions=transactions,
            cases=[case],
            diagnostics=self.diag.diagnostics,
            ledger=self.diag.ledger,
            stats=self.stats,
            producer=self.producer,
        )

    def variables(self, transactions: dict[str, Transaction]) -> list[Variable]:
        requests = [s for t in transactions.values() for s in t.steps if isinstance(s, Request)]
        self.report_userinfo(requests)
        if self.options.keep_secrets:
            self.report_single_use_kept(requests)
            kept = list(
                dict.fromkeys(
                    w for r in requests for w, v in credentials_in(r, self.callbacks.place) if in_clear(v)
                )
            )
            if kept:
                shown = ", ".join(kept[:6]) + (f" and {len(kept) - 6} more" if len(kept) > 6 else "")
                self.diag.report(
                    HAR_SECRET_KEPT,
                    None,
                    f"recorded credentials are written into the plan: {shown}",
                    action="kept as recorded",
                    hint="drop --keep-secrets to replace them by variables",
                )
            return []
        self.report_left(requests)
        shared = self.book.shared_across_sites()
        single_use = {self.book.secrets[v].variable: kind for v, kind in self.single_use.items()}
        out = []
        for name, values in self.book.variables():
            first = self.used.get(name)  # the first request of the plan that sends it
            if first is None:
                continue
            kind = single_use.get(name)
            if name in shared:
                self.report_shared(name, values, shared[name], first)
            issued = self.issued[name][1] if name in self.issued else None
            if kind in (AUTHORIZATION_CODE, SAML_RESPONSE):  # said with what it means for the replay
                senders = [r.source for r in requests if _sends(r, name)]
                self.report_single_use(kind, f"${{{name}}}", senders, issued)
            elif issued is not None:
                self.report_issued(name, issued)
            out.append(Variable(name=name, kind="text", values=[], secret=True))
            recorded = "" if values == 1 else f" ({values} recorded values)"
            places = first_few(places_of(first, f"${{{name}}}", kind or ""))
            self.diag.report(
                HAR_SECRET,
                first.source,
                f"{self.book.scrub(places)} -> ${{{name}}}{recorded}",  # (a scheme may be a JWT)
                action="value not written; fill it with --set at upload, or in PerfTest",
                hint=(
                    "it is sent inside a form kept as its recorded text (not UTF-8, see HAR027): enter the value "
                    "percent-encoded in that form's charset (%E9 for an é in ISO-8859-1; %26 for &, %25 for %, "
                    "%2B for +, + for a space)"
                    if name in self.in_raw_forms
                    else "fill it with the recorded code_verifier: it must match the code_challenge that the "
                    "authorization request sends as recorded (RFC 7636 4.6)"
                    if kind == CODE_VERIFIER
                    else "a recorded value fails on replay: extract it in PerfTest rather than fill it (HAR043)"
                    if kind == AUTHORIZATION_CODE
                    else "a recorded value fails on replay: extract it in PerfTest rather than fill it (HAR044)"
                    if kind == SAML_RESPONSE
                    else ""
                ),
            )
        self.ctx.count("secrets", len(out))
        return out

    def report_shared(self, name: str, values: int, sites: list[str], first: Request) -> None:
        """A variable that stands for different values recorded on different sites (``sites``): said at the
        first request of the plan that sends it, with the sites the plan sends it to when not all of them."""
        sent_to = [site for site in sites if site in self.sent_to.get(name, ())]
        self.diag.report(
            HAR_SECRET_SHARED,
            first.source,
            f"${{{name}}} stands for {values} recorded values sent to different sites: "
            + ", ".join(sites[:4])
            + (" ..." if len(sites) > 4 else "")
            + (
                f" (the plan sends it only to {', '.join(sent_to[:4])}{' ...' if len(sent_to) > 4 else ''})"
                if 0 < len(sent_to) < len(sites)
                else ""
            ),
            action="one value is sent to every site",
            hint="if they are distinct credentials, give each site's requests a variable of its own",
        )

    def report_issued(self, name: str, issued: Issued) -> None:
        """A variable whose recorded value the server handed out: said at the first request of the plan that
        sends that value after the response that handed it out (one that sends it before is named: the value
        was known already, it cannot come from that response there); when none does (the requests that did
        were filtered out, or folded into a redirect chain), at the first recorded one, and the message says
        so."""
        first = self.issued_sent.get(name)
        before = self.sent_before.get(name)
        recorded = f"har:entries[{issued.sent_by}]"
        after = " after that response" if before else ""
        self.diag.report(
            HAR_ISSUED,
            first or Location(source=recorded),
            f"${{{name}}}: the recorded value was handed out by the server, in {self.handed_out(issued)}"
            + (
                ""
                if first
                else f"; no request of the plan sends that value{after} ({recorded} sent it first)"
            )
            + (
                f"; {before.source} sends it before that response (the value was known before it was handed out)"
                if before
                else ""
            ),
            action="sent as a fixed value: every virtual user replays the recorded one",
            hint="that request is not in the plan (its ledger row says why): keep it (--keep-static for a static "
            "asset, or the host and URL options) to extract the value from its response in PerfTest, or to let "
            "PerfTest's cookie handling take a cookie it sets"
            if self.not_in_plan(issued.index)
            else "extract it from that response in PerfTest (regular expression or JSONPath) and send "
            "the extracted variable; a cookie the server sets may be left to PerfTest's cookie handling",
        )

    def not_in_plan(self, index: int) -> bool:
        """Whether the plan leaves entry ``index`` out (filtered, not folded into a request it sends)."""
        source = f"har:entries[{index}]"
        return source not in self.folded_into and self.diag.status_of(source) == "filtered"

    def handed_out(self, issued: Issued) -> str:
        """The response that handed a value out, for a message, with what became of its request when the plan
        does not send it as such: folded into the request that started its redirect chain, or left out."""
        source = f"har:entries[{issued.index}]"
        head = self.folded_into.get(source)
        fate = (
            f"; that request is folded into {head}"
            if head
            else "; that request is left out of the plan"
            if self.not_in_plan(issued.index)
            else ""
        )
        return f"the response to {source} ({issued.how}{fate})"

    def extract_from(self, issued: Issued | None) -> str:
        """Where a hint sends the user to extract a single-use value: the response that handed it out, named by
        the request of the plan that gets it (the head of its redirect chain, when that request is folded; the
        message names the recorded response)."""
        if issued is None:
            return "the response that carried it"
        source = f"har:entries[{issued.index}]"
        head = self.folded_into.get(source)
        if head:
            return f"the redirects of {head}"
        return f"the response to {source}"

    def report_single_use(
        self, kind: str, shown: str, senders: list[Location | None], issued: Issued | None
    ) -> None:
        """An OAuth authorization code or a SAML response sent by the plan (``shown``: its variable, or that it is
        kept as recorded): once, at the first request that sends it, with where it came from when recorded."""
        if not senders:
            return
        others = [s.source for s in senders[1:] if s is not None]
        origin = f", handed out in {self.handed_out(issued)}" if issued else ""
        also = (
            f"; also sent by {', '.join(others[:4])}" + (" ..." if len(others) > 4 else "") if others else ""
        )
        came_from = self.extract_from(issued)
        if kind == AUTHORIZATION_CODE:
            in_page = issued is not None and issued.how == "response body"  # a form_post page
            carrier, regex = (
                ("the page that posts it", 'name="code" value="([^"]+)"')
                if in_page
                else ("its Location header, or the URL its redirect ends at", "[?&]code=([^&#]+)")
            )
            self.diag.report(
                HAR_OAUTH_CODE,
                senders[0],
                f"{shown}: a recorded OAuth authorization code{origin}{also}",
                action="sent as a fixed value: a code is accepted once, and only minutes after its issue "
                "(RFC 6749 4.1.2), so the request fails for every virtual user",
                hint=f"in PerfTest, extract the code from {came_from} ({carrier}) with a regular expression "
                f"such as {regex}, send the extracted variable instead, and run the login steps for every "
                "virtual user; state and nonce are sent as recorded (a client that checks state against its "
                "session needs it extracted too)",
            )
        else:
            self.diag.report(
                HAR_SAML_RESPONSE,
                senders[0],
                f"{shown}: a recorded SAML response{origin}{also}",
                action="sent as a fixed value: the identity provider's signed assertion is valid for minutes and "
                "accepted once, so the request fails for every virtual user",
                hint=f"in PerfTest, extract SAMLResponse from {came_from} (the identity provider's page that "
                'posts it) with a regular expression such as name="SAMLResponse" value="([^"]+)", send the '
                "extracted variable instead, and run the login steps for every virtual user",
            )

    def report_single_use_kept(self, requests: list[Request]) -> None:
        """With --keep-secrets: the OAuth codes and SAML responses the plan sends in clear fail all the same."""
        senders: dict[tuple[str, str], list[Location | None]] = {}
        for request in requests:
            for where, value in credentials_in(request, self.callbacks.place):
                for kind in (AUTHORIZATION_CODE, SAML_RESPONSE):
                    if where.endswith(f"({kind})") and in_clear(value):
                        sent = senders.setdefault((kind, value), [])
                        if request.source not in sent:
                            sent.append(request.source)
        for (kind, _), sources in senders.items():
            self.report_single_use(kind, "kept as recorded (--keep-secrets)", sources, None)

    def report_left(self, requests: list[Request]) -> None:
        """The last check before the plan is written: a credential still in clear where the collection would
        find one (a spelling or a place the scrubber does not know) is an error, never a silent leak."""
        for request in requests:
            left = list(
                dict.fromkeys(
                    where for where, value in credentials_in(request, self.callbacks.place) if in_clear(value)
                )
            )
            if left:
                self.diag.report(
                    HAR_SECRET_LEFT,
                    request.source,
                    "recorded credentials could not be replaced: " + ", ".join(left),
                    action="left in the plan as recorded",
                    hint="replace them by hand before sharing the plan, and report the case",
                )

    def report_userinfo(self, requests: list[Request]) -> None:
        """Requests whose URL carries ``user:password@``: browsers never send it so, they send the pair as
        Basic credentials after a 401; the plan keeps the URL as recorded, with the password as a variable."""
        for request in requests:
            if "@" not in request.url:
                continue
            parts = urlsplit(request.url)
            secret = parts.password or parts.username  # a user name alone ("token@", "sk_...:@") is the token
            what = "password" if parts.password else "user name (alone, a token)"
            if not secret:
                continue
            if self.options.keep_secrets:
                action = "kept in the URL as recorded (--keep-secrets)"
            elif _PLACEHOLDER.fullmatch(secret):  # (the message never shows the recorded value)
                action = f"{what} replaced by {secret}" + (
                    "; the user name is kept" if parts.password else ""
                )
            else:
                action = f"{what} left in the URL: it could not be replaced"
            self.diag.report(
                HAR_USERINFO,
                request.source,
                f"credentials in the URL of {parts.hostname or 'the request'}",
                action=action,
                hint="or remove them from the URL and send an Authorization: Basic header in PerfTest",
            )


# the methods Fetch upper-cases whatever the page wrote ("normalize a method"); others are sent as written
_FETCH_NORMALIZED = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})
_UNSENDABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # control characters but tab (RFC 9110 5.5)
_ENTRY_SOURCE = re.compile(r"har:entries\[(\d+)\]")
_ENTRY_PATH = re.compile(r"\.log\.entries\[(\d+)\]")
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def _carries(entry: Entry, value: str) -> bool:
    """Whether an entry's recorded request carries ``value`` (in one of the spellings the scrubber searches)."""
    text = recorded_text(entry)
    return any(spelled in text for spelled in spellings(value))


def _joined_cookies(first: str, more: str) -> str:
    """Two Cookie header values as one, joined by '; ' (no ';' in a cookie), without empty pieces."""
    pieces = (piece.strip() for value in (first, more) for piece in value.split(";"))
    return "; ".join(piece for piece in pieces if piece)


def _sends(request: Request, variable: str) -> bool:
    """Whether a converted request sends ``${variable}`` in its URL or its body (where a login credential is
    sent; a header naming it is a Referer, which a server does not check)."""
    placeholder = "${" + variable + "}"
    return any(placeholder in text for text in (request.url, *body_texts(request.body)))


_MAX_ATTACHED_BODY = 10 * 1024 * 1024


def _read_attached_body(post: dict[str, Any], folder: Path) -> None:
    """A body Playwright saved beside the HAR (``recordHar`` with ``content: "attach"``: ``postData._file``, or
    ``_sha1`` in a trace) becomes the postData's text: UTF-8 as text, anything else base64 (then reported as a
    binary body). Only a plain file name in the HAR's own folder is read: the HAR is untrusted input and must not
    make the converter copy another file into a plan. Left as is when the file is not there (reported later)."""
    name = post.get("_file") or post.get("_sha1")
    if not isinstance(name, str) or not name or name.startswith(".") or "/" in name or "\\" in name:
        return
    path = folder / name
    try:  # (a link could point anywhere: only a plain file of the folder is read)
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_ATTACHED_BODY:
            return
        data = path.read_bytes()
    except OSError:
        return
    try:
        post["text"] = data.decode("utf-8")
    except UnicodeDecodeError:
        post["text"] = base64.b64encode(data).decode("ascii")
        post["encoding"] = "base64"


#: Recorders built on Firefox's network panel (their HAR's creator or browser names them).
_GECKO_PRODUCERS = ("firefox", "firebug", "floorp", "waterfox", "librewolf", "iceweasel", "seamonkey")
#: Chrome 130's release (2024-10-15, UTC): from then on DevTools' "Export HAR" leaves out Cookie, Set-Cookie and
#: Authorization headers unless asked otherwise; an older recording without them had none to leave out.
_CHROME_130 = 1728950400.0


def _any_credential_header(entries: list[Entry]) -> bool:
    """Whether any request of the recording carries a Cookie or Authorization header or cookies, or any response a
    Set-Cookie (the headers Chrome's sanitized export removes)."""
    for entry in entries:
        request = entry.raw["request"]
        if request.get("cookies"):
            return True
        for header in request.get("headers") or ():
            if str(header.get("name", "")).lower() in CREDENTIAL_HEADERS:
                return True
        response = entry.raw.get("response")
        if isinstance(response, dict):
            if response.get("cookies"):
                return True
            headers = response.get("headers")
            for header in headers if isinstance(headers, list) else ():
                if (
                    isinstance(header, dict)
                    and str(header.get("name", "")).strip(BLANKS).lower() == "set-cookie"
                ):
                    return True
    return False


def _signs_of_a_login(entries: list[Entry], book: SecretBook) -> bool:
    """Whether the recording shows that its session needed credentials: a password-like field was recorded, or
    the server answered 401 or 403."""
    if any(_PASSWORD_LIKE.search(secret.where) for secret in book.secrets.values()):
        return True
    return any(entry.status in (401, 403) for entry in entries)


_PASSWORD_LIKE = re.compile(r"pass|pwd|otp", re.I)


def _body_not_kept(request: dict[str, Any], post: dict[str, Any] | None) -> str:
    """Why the request had a body the recording did not keep ('' when nothing says so): no postData although
    ``bodySize`` counts bytes, or an empty postData whose producer says it left the body out (Firefox writes
    ``comment`` "Request body not included" for a body too large for its panel) or whose ``Content-Length``
    header counts bytes."""
    recorded = request.get("bodySize")
    size = int(recorded) if isinstance(recorded, int | float) and 0 < recorded < math.inf else 0  # (not NaN)
    sized = size > 0
    if post is None:
        return f"the request carried a {size}-byte body the recording did not keep" if sized else ""
    if post.get("text") or post.get("params"):
        return ""
    attached = post.get("_file") or post.get("_sha1")
    if isinstance(attached, str) and attached:
        return (
            f"the body is in the file {attached[:80]!r} Playwright saved with the recording, which is not next to "
            "the HAR (or not a plain file name, or a link, or over 10 MB)"
        )
    if attached:
        return "the body is in a file Playwright saved with the recording, but postData names it with no file name"
    comment = post.get("comment")
    if (
        isinstance(comment, str) and comment.strip()
    ):  # (free text of the recording: not quoted, it may hold data)
        return "the recording left the request body out (its postData.comment says so)"
    length = next(
        (
            str(h.get("value") or "").strip()
            for h in request.get("headers") or ()
            if str(h.get("name", "")).lower() == "content-length"
        ),
        "",
    )
    if length.isdigit() and int(length) > 0:
        return f"the request carried a {int(length)}-byte body (Content-Length) the recording did not keep"
    if sized:
        return f"the request carried a {size}-byte body the recording did not keep"
    return ""


def _duration_text(ms: float) -> str:
    seconds = ms / 1000
    if seconds < 120:
        return f"{seconds:.0f} s"
    minutes = seconds / 60
    return (
        f"{minutes:.0f} min"
        if minutes < 120
        else f"{minutes / 60:.0f} h"
        if minutes < 2880
        else f"{minutes / 1440:,.0f} days"
    )


def _event_stream(response: Any) -> bool:
    """Whether a recorded response was a server-sent event stream (its content's or its header's type)."""
    if not isinstance(response, dict):
        return False
    content = response.get("content")
    types = [content.get("mimeType") if isinstance(content, dict) else None]
    headers = response.get("headers")
    for header in headers if isinstance(headers, list) else ():
        if isinstance(header, dict) and str(header.get("name")).lower() == "content-type":
            types.append(header.get("value"))
    return any(isinstance(t, str) and t.strip().lower().startswith("text/event-stream") for t in types)


def _group_title(parts: SplitResult) -> str:
    """A readable name for a group of requests without a page: the first request's host and path (of the
    scrubbed URL: a token in the path must not become part of a name)."""
    words = [parts.hostname or "", *[w for w in (parts.path or "").split("/") if w]]
    return " ".join(w for w in words if w) or "requests"


def _scrub_value(book: SecretBook, name: str, value: str) -> str:
    placeholder = _field_placeholder(book, name, value)
    return book.scrub(value) if placeholder is None else placeholder


def _field_placeholder(book: SecretBook, name: str, value: str) -> str | None:
    """The variable reference for a form field's value when it is a credential recorded under that name (a
    secret-named field, or an OAuth or SAML field recognised by its context, such as an authorization code)."""
    secret = book.secrets.get(value)
    if secret is None or not (is_secret_field(name) or secret.field_name == name):
        return None
    return "${" + secret.variable + "}"


def _scrub_body(body: Body, book: SecretBook) -> Body:
    if body.kind == "raw":
        text = book.scrub(body.text)
        return body if text == body.text else body.model_copy(update={"text": text})
    if body.kind == "form":
        fields = [f.model_copy(update={"value": _scrub_value(book, f.name, f.value)}) for f in body.fields]
        return body.model_copy(update={"fields": fields})
    parts = [p.model_copy(update={"value": _scrub_value(book, p.name, p.value)}) for p in body.parts]
    return body.model_copy(update={"parts": parts})


def parse_har(path: Path, options: HarOptions | None = None) -> Scenario:
    """Convert one HAR file into a scenario (raises InputError when the file is unusable)."""
    with collector_paused():  # millions of parsed JSON objects and no garbage cycles
        return _HarReader(path, options or HarOptions()).run()
