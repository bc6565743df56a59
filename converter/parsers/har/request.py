"""One kept entry as a request of the plan: its headers (:mod:`.headers`) and body as the plan sends them,
recorded credentials replaced by variables (unless --keep-secrets), a check of the status its redirect chain
ended with, and a note for each thing sent otherwise than recorded (a body not kept or not convertible, a
method's case, an event stream, text PerfTest reads as a variable reference)."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from converter.diagnostics import Location, define
from converter.model import Body, Request
from converter.parsers.har.bodies import HAR_ONE_TIME_CODE, BodyResult, convert_body, with_boundary
from converter.parsers.har.context import Context
from converter.parsers.har.entry import Entry, chain_ms, recorded_text
from converter.parsers.har.headers import HeaderWriter
from converter.parsers.har.secrets import SecretBook, is_one_time_field, is_secret_field, path_tokens

HAR_LINK_TOKEN = define(
    "HAR053", "warning", "recorded token of a reset, verification or invitation link sent: fails on replay"
)
HAR_FILE_PART = define("HAR006", "warning", "multipart file part replaced by a placeholder")
HAR_BINARY = define("HAR007", "error", "binary request body not converted; request sent without it")
HAR_PARAMS = define("HAR009", "warning", "form params and text disagree; params used")
HAR_304 = define("HAR012", "info", "recorded 304 expected as 200 once cache validators are dropped")
HAR_REBUILT = define(
    "HAR015", "warning", "request body rebuilt from postData.params: the recording kept no text"
)
HAR_BODY_MISSING = define("HAR017", "warning", "request body not kept by the recording: sent without it")
HAR_DOLLAR_BRACE = define(
    "HAR033", "warning", "recorded text contains '${', which PerfTest reads as a variable reference"
)
HAR_METHOD_CASE = define(
    "HAR037",
    "warning",
    "method recorded in lower or mixed case: sent in upper case (methods are case-sensitive)",
)
HAR_EVENT_STREAM = define(
    "HAR042", "warning", "response was a server-sent event stream: replayed as one request, not as a stream"
)


class RequestBuilder:
    """Builds the plan's request of each kept entry (``request``); remembers the variables sent inside a form
    kept as its recorded text (``in_raw_forms``: their value must be entered percent-encoded)."""

    def __init__(self, ctx: Context, headers: HeaderWriter) -> None:
        self.ctx = ctx
        self.headers = headers
        self.in_raw_forms: set[str] = set()  # variables sent inside a form kept as its recorded text

    def request(self, entry: Entry) -> Request:
        """One kept entry as a request of the plan: its headers and body as the plan sends them (credentials
        replaced by variables, unless --keep-secrets), a check of the status its redirect chain ended with, and
        a note for each thing sent otherwise than recorded."""
        loc = self.ctx.loc(entry)
        raw_request = entry.raw["request"]
        post = raw_request.get("postData")
        converted = convert_body(with_boundary(post, raw_request.get("headers") or ()))
        multipart = converted.body is not None and converted.body.kind == "multipart"
        headers = self.headers.to_send(entry, multipart)
        self.report_body(loc, raw_request, post, converted)
        self.report_single_use_url(loc, entry)
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
        return request

    def report_single_use_url(self, loc: Location, entry: Entry) -> None:
        """One-time codes in the URL's query (HAR051, as in a body) and tokens in the path of a reset, verification
        or invitation link (HAR053): a recorded value the server accepts once, so the replay fails (said with
        --keep-secrets too)."""
        query = entry.parts.query if "?" in entry.url else ""
        codes = (
            [n for n, v in parse_qsl(query, keep_blank_values=True) if v and is_one_time_field(n)]
            if query
            else []
        )
        if codes:
            self.ctx.diag.report(
                HAR_ONE_TIME_CODE,
                loc,
                "the URL's query sends one-time codes (a TOTP, SMS, e-mail or backup code): "
                + ", ".join(f"query field {name}" for name in dict.fromkeys(codes)),
                action="sent as a fixed value (a variable, unless --keep-secrets): a one-time code is accepted "
                "once and only for minutes, so the request fails for every virtual user",
                hint="in PerfTest, send a code each virtual user gets afresh (from a test mailbox or SMS gateway, "
                "or computed from a test account's TOTP secret), or record with test accounts that have no "
                "second factor",
            )
        links = path_tokens(entry.url)
        if links:
            self.ctx.diag.report(
                HAR_LINK_TOKEN,
                loc,
                "; ".join(where for where, _, _ in links),
                action="sent as a fixed value (a variable, unless --keep-secrets): a reset, verification or "
                "invitation link's token is accepted once or expires, so the request fails on replay",
                hint="in PerfTest, create the link for every virtual user (the request that has it sent) and "
                "extract its token from the response or the mail that carries it",
            )

    def report_body(
        self, loc: Location, raw_request: dict[str, Any], post: dict[str, Any] | None, converted: BodyResult
    ) -> None:
        """The notes on a request's body: not kept by the recording (HAR017), binary (HAR007), rebuilt from
        params (HAR015), params and text that disagree (HAR009), the converter's own notes, file parts
        replaced by placeholders (HAR006)."""
        missing = _body_not_kept(raw_request, post)
        if missing:
            self.ctx.diag.report(
                HAR_BODY_MISSING,
                loc,
                missing,
                action="request sent without a body",
                hint="record again with request bodies, or add the body in PerfTest",
            )
        if converted.problem:
            self.ctx.diag.report(HAR_BINARY, loc, converted.problem, action="request sent without a body")
        if converted.rebuilt:
            self.ctx.diag.report(
                HAR_REBUILT, loc, converted.rebuilt, action="sent as rebuilt; byte order may differ"
            )
        if converted.params_over_text:
            self.ctx.diag.report(
                HAR_PARAMS, loc, "postData.params and postData.text differ", action="params sent"
            )
        for note in converted.notes:
            self.ctx.diag.report(note.code, loc, note.message, action=note.action, hint=note.hint)
        if converted.file_parts:
            self.ctx.diag.report(
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
        if body is None or self.ctx.options.keep_secrets:
            return body
        if converted.form_text:
            book = self.ctx.book
            body = converted.replace_form_values(lambda name, value: _field_placeholder(book, name, value))
            self.in_raw_forms.update(PLACEHOLDER.findall(body.text))
        return _scrub_body(body, self.ctx.book)

    def status_checks(self, entry: Entry) -> list[dict[str, Any]]:
        """The check of the status the request's redirect chain ended with in the recording (none when unknown
        or with --no-status-checks); a recorded 304 is expected as 200 (HAR012: validators are not sent)."""
        status = entry.final_status
        if not self.ctx.options.status_checks or status is None or status <= 0:
            return []
        if status == 304:
            self.ctx.diag.report(
                HAR_304, self.ctx.loc(entry), "recorded 304 Not Modified", action="expects 200"
            )
            status = 200
        return [{"target": "status", "operator": "equals", "values": [str(status)]}]

    def report_sent_otherwise(self, entry: Entry) -> None:
        """The notes on what a request's replay does otherwise than the recording: an event stream read as one
        response (HAR042), a method not in upper case (HAR037), '${' that PerfTest reads as a reference
        (HAR033)."""
        loc = self.ctx.loc(entry)
        if _event_stream(entry.raw.get("response")):
            recorded = chain_ms(entry)
            self.ctx.diag.report(
                HAR_EVENT_STREAM,
                loc,
                "the response was a text/event-stream (server-sent events"
                + (f", open for {duration_text(recorded)} in the recording)" if recorded else ")"),
                action="sent as one request: PerfTest reads the stream to its end or to the request's timeout, "
                "and events are neither waited for one by one nor checked",
                hint="a stream the server keeps open ends at the timeout; set it (and a think time) to the "
                "listening time you want",
            )
        method = entry.method.upper()
        if method != entry.method:
            self.report_method_case(entry, method)
        if "${" in recorded_text(entry):
            self.ctx.diag.report(
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
        self.ctx.diag.report(
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


# the methods Fetch upper-cases whatever the page wrote ("normalize a method"); others are sent as written
_FETCH_NORMALIZED = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})

PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


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


def duration_text(ms: float) -> str:
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


def is_event_stream(entry: Entry) -> bool:
    """Whether the entry's response was a server-sent event stream."""
    return _event_stream(entry.raw.get("response"))


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
