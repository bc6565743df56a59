"""What the plan says about the recorded credentials it sends, once every request is built: the secret
variables it declares (HAR004), each with what its replay means (one variable for values of several hosts,
HAR022; a value the server handed out, HAR032; a single-use OAuth code, SAML response, device or user code,
WS-Federation token: HAR043/HAR044/HAR047/HAR048),
credentials kept in clear (--keep-secrets, HAR005) or left in the plan (HAR021, the last check), and
credentials in a URL (HAR020). While the requests are built, :meth:`CredentialReport.note_used` records which
variables each sends."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from converter.diagnostics import Location, define, first_few
from converter.model import Request, Transaction, Variable
from converter.parsers.har.context import Context
from converter.parsers.har.credentials import body_texts, credentials_in, in_clear, places_of
from converter.parsers.har.entry import Entry, host_in, recorded_text
from converter.parsers.har.issued import Issued, issued_by_server
from converter.parsers.har.oauth import (
    AUTHORIZATION_CODE,
    CODE_VERIFIER,
    DEVICE_CODE,
    SAML_RESPONSE,
    SINGLE_USE,
    USER_CODE,
    WSFED_TOKEN,
)
from converter.parsers.har.request import PLACEHOLDER
from converter.parsers.har.secrets import spellings

HAR_SECRET = define("HAR004", "info", "recorded credential replaced by a variable to fill at upload")
HAR_SECRET_KEPT = define("HAR005", "warning", "recorded credentials kept in the plan (--keep-secrets)")
HAR_USERINFO = define(
    "HAR020", "warning", "credentials in the URL (user:password@ or a token@): replaced by a variable"
)
HAR_SECRET_LEFT = define("HAR021", "error", "recorded credential left in the plan: it could not be replaced")
HAR_SECRET_SHARED = define(
    "HAR022", "warning", "one variable stands for different credential values recorded on different hosts"
)
HAR_ISSUED = define(
    "HAR032", "warning", "recorded credential was handed out by the server: a fixed value replays it"
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
HAR_DEVICE_CODE = define(
    "HAR047",
    "warning",
    "recorded OAuth device or user code sent (RFC 8628): approved once by a person, for minutes; fails on replay",
)
HAR_WSFED_TOKEN = define(
    "HAR048",
    "warning",
    "recorded WS-Federation token (wresult) sent: a signed token accepted once, for minutes; fails on replay",
)
# the code that says a single-use kind (oauth.py) is sent
_SINGLE_USE_CODES = {
    AUTHORIZATION_CODE: HAR_OAUTH_CODE,
    SAML_RESPONSE: HAR_SAML_RESPONSE,
    DEVICE_CODE: HAR_DEVICE_CODE,
    USER_CODE: HAR_DEVICE_CODE,
    WSFED_TOKEN: HAR_WSFED_TOKEN,
}


class CredentialReport:
    """The secret variables of the plan and the notes on them. ``single_use``: recorded OAuth and SAML login
    credentials -> which (collect.py); ``folded_into``: a redirect's follow-up -> the request its chain is
    folded into (redirects.py); ``in_raw_forms``: variables sent inside a form kept as its text (request.py)."""

    def __init__(
        self, ctx: Context, single_use: dict[str, str], folded_into: dict[str, str], in_raw_forms: set[str]
    ) -> None:
        self.ctx = ctx
        self.single_use = single_use
        self.folded_into = folded_into
        self.in_raw_forms = in_raw_forms
        self.used: dict[str, Request] = {}  # ${names} the converted requests refer to -> the first that does
        self.sent_to: dict[str, set[str]] = {}  # ${names} -> the hosts the converted requests send them to
        # secret variable -> the recorded value the server handed out, and the response that did
        self.issued: dict[str, tuple[str, Issued]] = {}
        self.issued_sent: dict[str, Location] = {}  # secret variable -> the first request sending that value
        # secret variable -> the first request of the plan sending that value before the response handed it out
        self.sent_before: dict[str, Location] = {}
        self.order: dict[int, int] = {}  # entry index -> its position in recorded order

    def find_issued(self, entries: list[Entry]) -> None:
        """The recorded credentials the server handed out (correlation): ``issued``, variable -> the recorded
        value handed out first, before it was sent, and the response that did."""
        secrets = self.ctx.book.secrets
        if not secrets:
            return
        first_use = {}
        for value, secret in secrets.items():
            found = _ENTRY_SOURCE.fullmatch(secret.first_source)
            if found:
                first_use[value] = int(found.group(1))
        tokens = [v for v, secret in secrets.items() if not secret.where.startswith("cookie ")]
        order = self.order = {entry.index: position for position, entry in enumerate(entries)}
        responses = ((entry.index, entry.raw.get("response")) for entry in entries)
        out = self.issued
        for value, issued in issued_by_server(responses, first_use, order, tokens).items():
            variable = secrets[value].variable
            known = out.get(variable)
            if known is None or order[issued.index] < order[known[1].index]:
                out[variable] = (value, issued)

    def note_used(self, entry: Entry, request: Request) -> None:
        """The secret variables a converted request's texts (URL, header values, body) refer to (the plan
        declares only those), each with the first request of the plan that sends it (HAR004 and HAR022 are
        said there) and the hosts the plan sends it to (HAR022); for a variable whose value the server handed
        out, the first request that sends that value after that response in recorded order (HAR032)."""
        texts = [request.url, *(h.value for h in request.headers), *body_texts(request.body)]
        host = host_in(entry.url)
        for name in PLACEHOLDER.findall("\n".join(t for t in texts if "${" in t)):
            if name not in self.used:
                self.used[name] = request
            self.sent_to.setdefault(name, set()).add(host)
            issued = self.issued.get(name)
            if issued is not None and name not in self.issued_sent and _carries(entry, issued[0]):
                if self.order[entry.index] > self.order[issued[1].index]:
                    self.issued_sent[name] = self.ctx.loc(entry)
                else:  # recorded before the response that handed it out: the value was known already
                    self.sent_before.setdefault(name, self.ctx.loc(entry))

    def variables(self, transactions: dict[str, Transaction]) -> list[Variable]:
        requests = [s for t in transactions.values() for s in t.steps if isinstance(s, Request)]
        self.report_userinfo(requests)
        if self.ctx.options.keep_secrets:
            self.report_single_use_kept(requests)
            kept = list(
                dict.fromkeys(
                    w for r in requests for w, v in credentials_in(r, self.ctx.callbacks.place) if in_clear(v)
                )
            )
            if kept:
                shown = ", ".join(kept[:6]) + (f" and {len(kept) - 6} more" if len(kept) > 6 else "")
                self.ctx.diag.report(
                    HAR_SECRET_KEPT,
                    None,
                    f"recorded credentials are written into the plan: {shown}",
                    action="kept as recorded",
                    hint="drop --keep-secrets to replace them by variables",
                )
            return []
        self.report_left(requests)
        shared = self.ctx.book.shared_across_hosts()
        single_use = {self.ctx.book.secrets[v].variable: kind for v, kind in self.single_use.items()}
        out = []
        for name, values in self.ctx.book.variables():
            first = self.used.get(name)  # the first request of the plan that sends it
            if first is None:
                continue
            kind = single_use.get(name)
            if name in shared:
                self.report_shared(name, values, shared[name], first)
            issued = self.issued[name][1] if name in self.issued else None
            redeemed = True  # whether the plan sends it where a server takes it (not only in a Referer)
            if kind in SINGLE_USE:  # said with what it means for the replay
                senders = [r.source for r in requests if _sends(r, name)]
                redeemed = bool(senders)
                self.report_single_use(kind, f"${{{name}}}", senders, issued)
            elif issued is not None:
                self.report_issued(name, issued)
            out.append(Variable(name=name, kind="text", values=[], secret=True))
            recorded = "" if values == 1 else f" ({values} recorded values)"
            places = first_few(places_of(first, f"${{{name}}}", kind or ""))
            self.ctx.diag.report(
                HAR_SECRET,
                first.source,
                f"{self.ctx.book.scrub(places)} -> ${{{name}}}{recorded}",  # (a scheme may be a JWT)
                action="value not written; fill it with --set at upload, or in PerfTest",
                hint=self.fill_hint(name, kind or "", redeemed),
            )
        self.ctx.count("secrets", len(out))
        return out

    def fill_hint(self, name: str, kind: str, redeemed: bool) -> str:
        """HAR004's hint on filling variable ``name`` (``kind``: which OAuth or SAML login credential it stands
        for, if one; ``redeemed``: whether a request sends it in its URL or body, where a server takes it)."""
        if name in self.in_raw_forms:
            return (
                "it is sent inside a form kept as its recorded text (not UTF-8, see HAR027): enter the value "
                "percent-encoded in that form's charset (%E9 for an é in ISO-8859-1; %26 for &, %25 for %, "
                "%2B for +, + for a space)"
            )
        if kind == CODE_VERIFIER:
            return (
                "fill it with the recorded code_verifier: it must match the code_challenge that the "
                "authorization request sends as recorded (RFC 7636 4.6)"
            )
        if kind not in SINGLE_USE:
            return ""
        code = _SINGLE_USE_CODES[kind]
        if redeemed:
            return f"a recorded value fails on replay: extract it in PerfTest rather than fill it ({code})"
        return (
            f"the plan sends it only in a header (such as a Referer naming the page the {kind} was delivered to), where "
            f"no server redeems it: any value will do, so {code} does not apply"
        )

    def report_shared(self, name: str, values: int, hosts: list[str], first: Request) -> None:
        """A variable that stands for different values recorded on different hosts (``hosts``): said at the
        first request of the plan that sends it, with the hosts the plan sends it to when not all of them."""
        sent_to = [host for host in hosts if host in self.sent_to.get(name, ())]
        self.ctx.diag.report(
            HAR_SECRET_SHARED,
            first.source,
            f"${{{name}}} stands for {values} recorded values sent to different hosts: "
            + ", ".join(hosts[:4])
            + (" ..." if len(hosts) > 4 else "")
            + (
                f" (the plan sends it only to {', '.join(sent_to[:4])}{' ...' if len(sent_to) > 4 else ''})"
                if 0 < len(sent_to) < len(hosts)
                else ""
            ),
            action="one value is sent to every host",
            hint="if they are distinct credentials, give each host's requests a variable of its own",
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
        self.ctx.diag.report(
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
        return source not in self.folded_into and self.ctx.diag.status_of(source) == "filtered"

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
        """A single-use login credential (oauth.py: an OAuth authorization, device or user code, a SAML response,
        a WS-Federation token) sent by the plan (``shown``: its variable, or that it is kept as recorded): once, at
        the first request that sends it, with where it came from when recorded."""
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
            self.ctx.diag.report(
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
        elif kind == SAML_RESPONSE:
            self.ctx.diag.report(
                HAR_SAML_RESPONSE,
                senders[0],
                f"{shown}: a recorded SAML response{origin}{also}",
                action="sent as a fixed value: the identity provider's signed assertion is valid for minutes and "
                "accepted once, so the request fails for every virtual user",
                hint=f"in PerfTest, extract SAMLResponse from {came_from} (the identity provider's page that "
                'posts it) with a regular expression such as name="SAMLResponse" value="([^"]+)", send the '
                "extracted variable instead, and run the login steps for every virtual user",
            )
        elif kind == WSFED_TOKEN:
            self.ctx.diag.report(
                HAR_WSFED_TOKEN,
                senders[0],
                f"{shown}: a recorded WS-Federation token (wresult){origin}{also}",
                action="sent as a fixed value: the identity provider's signed token is valid for minutes and "
                "accepted once, so the request fails for every virtual user",
                hint=f"in PerfTest, extract wresult from {came_from} (the identity provider's page that posts it) "
                'with a regular expression such as name="wresult" value="([^"]+)", send the extracted variable '
                "instead, and run the login steps for every virtual user",
            )
        else:  # the device authorization grant's device code or user code
            name = "device_code" if kind == DEVICE_CODE else "user_code"
            self.ctx.diag.report(
                HAR_DEVICE_CODE,
                senders[0],
                f"{shown}: a recorded {kind}{origin}{also}",
                action="sent as a fixed value: a device sign-in's codes are issued for that sign-in, approved once "
                "by a person at the verification page, and expire in minutes (RFC 8628 3.2, 3.5), so the request "
                "fails for every virtual user",
                hint=f"in PerfTest, extract {name} from {came_from} (the device authorization response) with a "
                f'regular expression such as "{name}"\\s*:\\s*"([^"]+)" and send the extracted variable instead; '
                "a person's approval cannot be replayed, so a load test of the token endpoint needs a grant that "
                "runs unattended (client credentials, refresh token)",
            )

    def report_single_use_kept(self, requests: list[Request]) -> None:
        """With --keep-secrets: the single-use login credentials the plan sends in clear fail all the same."""
        senders: dict[tuple[str, str], list[Location | None]] = {}
        for request in requests:
            for where, value in credentials_in(request, self.ctx.callbacks.place):
                for kind in SINGLE_USE:
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
                    where
                    for where, value in credentials_in(request, self.ctx.callbacks.place)
                    if in_clear(value)
                )
            )
            if left:
                self.ctx.diag.report(
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
            if self.ctx.options.keep_secrets:
                action = "kept in the URL as recorded (--keep-secrets)"
            elif PLACEHOLDER.fullmatch(secret):  # (the message never shows the recorded value)
                action = f"{what} replaced by {secret}" + (
                    "; the user name is kept" if parts.password else ""
                )
            else:
                action = f"{what} left in the URL: it could not be replaced"
            self.ctx.diag.report(
                HAR_USERINFO,
                request.source,
                f"credentials in the URL of {parts.hostname or 'the request'}",
                action=action,
                hint="or remove them from the URL and send an Authorization: Basic header in PerfTest",
            )


_ENTRY_SOURCE = re.compile(r"har:entries\[(\d+)\]")


def _carries(entry: Entry, value: str) -> bool:
    """Whether an entry's recorded request carries ``value`` (in one of the spellings the scrubber searches)."""
    text = recorded_text(entry)
    return any(spelled in text for spelled in spellings(value))


def _sends(request: Request, variable: str) -> bool:
    """Whether a converted request sends ``${variable}`` in its URL or its body (where a login credential is
    sent; a header naming it is a Referer, which a server does not check)."""
    placeholder = "${" + variable + "}"
    return any(placeholder in text for text in (request.url, *body_texts(request.body)))
