"""Chrome's sanitized HAR export: since Chrome 130, DevTools' "Export HAR" leaves out Cookie, Set-Cookie and
Authorization headers unless asked otherwise, so a recording of a logged-in session replays without its session.
A Chrome recording made since then without any of them is said once for the file (HAR050), as a warning when the
recording shows a login (a password-like field, or a 401/403 answer)."""

from __future__ import annotations

import re

from converter.diagnostics import define
from converter.parsers.har.context import Context
from converter.parsers.har.entry import BLANKS, Entry
from converter.parsers.har.redirects import CREDENTIAL_HEADERS
from converter.parsers.har.secrets import ONE_TIME, PASSWORD_LIKE, SecretBook, credential_kind

HAR_SANITIZED = define(
    "HAR050",
    "info",
    "a Chrome recording without any Cookie, Set-Cookie or Authorization header: probably a sanitized export",
)


def report_sanitized(ctx: Context, producer: str, entries: list[Entry]) -> None:
    """HAR050, when the recording looks like Chrome's sanitized export."""
    if (
        producer.startswith("WebInspector")
        and any(e.start is not None and e.start >= _CHROME_130 for e in entries)
        and not _any_credential_header(entries)
    ):
        login = _signs_of_a_login(entries, ctx.book)
        ctx.diag.report(
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
    if any(
        _PASSWORD_LIKE.search(secret.where) or credential_kind(secret.field_name) in (PASSWORD_LIKE, ONE_TIME)
        for secret in book.secrets.values()
    ):
        return True
    return any(entry.status in (401, 403) for entry in entries)


_PASSWORD_LIKE = re.compile(r"pass|pwd|otp", re.I)
