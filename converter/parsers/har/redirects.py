"""Redirect chains: a recorded 3xx whose automatic follow-up was recorded too is one request of the plan, the
first of its chain (PerfTest follows redirects itself), checking the status the chain ended with; a redirect the
browser made up without the network (an HSTS upgrade, ``Non-Authoritative-Reason``) is never sent as such."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from converter.diagnostics import define
from converter.parsers.har.collect import SecretCollector
from converter.parsers.har.context import Context
from converter.parsers.har.entry import Entry, host_of, resource_key
from converter.parsers.har.filters import host_reason, redirect_target

HAR_REDIRECT = define("HAR002", "info", "redirect hop folded into the request that started the chain")
HAR_REDIRECT_OPEN = define(
    "HAR018", "warning", "redirect target not recorded or filtered: the final status is unknown"
)
HAR_INTERNAL_REDIRECT = define(
    "HAR030", "info", "redirect made inside the browser (HSTS...) left out; the request it led to is kept"
)
HAR_INTERNAL_REDIRECT_DROPPED = define(
    "HAR035", "info", "redirect made inside the browser left out with the request it led to (filtered out)"
)
HAR_INTERNAL_REDIRECT_ALONE = define(
    "HAR036", "warning", "redirect made inside the browser, its follow-up not recorded: sent to its target"
)
#: The request headers that carry a session: a browser does not send them to another host on a redirect.
CREDENTIAL_HEADERS = frozenset(("cookie", "authorization"))


class RedirectFolder:
    """Folds the recorded redirect chains of the kept entries (``fold``); remembers the hops sent to their
    target (``retargeted``, by id) and which request each folded follow-up went into (``folded_into``)."""

    def __init__(self, ctx: Context, collector: SecretCollector, exclude_urls: list[re.Pattern[str]]) -> None:
        self.ctx = ctx
        self.collector = collector  # (a retargeted hop's new query credentials)
        self.exclude_urls = exclude_urls
        self.retargeted: set[int] = set()  # browser-made redirect hops sent to their target (by id)
        self.folded_into: dict[
            str, str
        ] = {}  # a redirect's follow-up -> the request its chain is folded into

    def fold(self, kept: list[Entry], entries: list[Entry]) -> None:
        """A 3xx whose automatic follow-up was recorded: keep the first request of the chain only (PerfTest
        follows redirects itself), checking the status the chain ended with. The follow-up is the first request
        to the target (same resource once scheme, host case and default port are set aside) with the method
        the status implies, starting within a second after the 3xx ended; a later or different request to the
        same URL is the user's own and stays. A hop the browser made up without the network (HSTS upgrade,
        ``Non-Authoritative-Reason``) is never sent: see :meth:`internal_redirect`."""
        by_position = {id(e): n for n, e in enumerate(kept)}
        everywhere = {id(e): n for n, e in enumerate(entries)}
        for entry in kept:
            reason = _internal_redirect(entry)
            target = redirect_target(entry) if reason is not None else None
            if target and self.ctx.status(entry) != "filtered":
                self.internal_redirect(entry, reason or "", target, kept, by_position, entries, everywhere)
        for entry in kept:
            if self.ctx.status(entry) == "filtered" or id(entry) in self.retargeted:
                continue
            current = entry
            while current.status is not None and 300 <= current.status < 400 and current.status != 304:
                target = redirect_target(current)
                if not target:
                    break
                follower = self.follow_up(kept, by_position[id(current)], current, target)
                if follower is None:
                    # PerfTest follows redirects (the chains above are folded on that basis): the status at the
                    # end of this one was not recorded, so no status is checked
                    entry.final_status = None
                    self.ctx.diag.report(
                        HAR_REDIRECT_OPEN,
                        self.ctx.loc(entry),
                        f"{current.status} to {self.ctx.book.scrub(target)}: its automatic follow-up is not among "
                        "the converted requests (not recorded, filtered, or not right after it)",
                        action="no status check for this request",
                    )
                    break
                self.ctx.diag.set_status(follower.source, "filtered")
                self.folded_into[follower.source] = entry.source
                self.ctx.count("filtered.redirect")
                self.ctx.diag.report(
                    HAR_REDIRECT,
                    self.ctx.loc(follower),
                    f"followed automatically after {current.status} from {self.ctx.book.scrub(current.url)}",
                    action=f"folded into {entry.source}",
                )
                entry.final_status = follower.status
                entry.followed.append(follower)
                current = follower

    def internal_redirect(
        self,
        hop: Entry,
        reason: str,
        target: str,
        kept: list[Entry],
        by_position: dict[int, int],
        entries: list[Entry],
        everywhere: dict[int, int],
    ) -> None:
        """A redirect the browser made up (``Non-Authoritative-Reason``) reached no server: what was sent is the
        request it led to, with the same method and body (the browser answers 307). That request, recorded,
        is kept and the hop left out; filtered, both are left out; not recorded, the hop is sent to the target
        instead, as the browser did, its answer unknown."""
        if self.follow_up(kept, by_position[id(hop)], hop, target) is not None:
            self.ctx.diag.set_status(hop.source, "filtered")
            self.ctx.count("filtered.redirect")
            self.ctx.diag.report(
                HAR_INTERNAL_REDIRECT,
                self.ctx.loc(hop),
                f"{hop.status} made by the browser ({reason}), never sent to the server",
                action="left out; the request it led to is kept",
            )
            return
        shown = self.ctx.book.scrub(target)
        follower = self.follow_up(entries, everywhere[id(hop)], hop, target, filtered_too=True)
        if follower is None and _sendable(target):
            moved = replace(hop, url=target, _parts=None, location=hop.location)
            why = host_reason(
                moved, self.ctx.options.include_hosts, self.ctx.options.exclude_hosts, self.exclude_urls
            )
            if why is None:
                self.retarget(hop, moved, reason, shown)
                return
            detail = f"its target {shown} is filtered out ({self.ctx.book.scrub(why)})"
        elif follower is None:
            detail = f"its target {shown!r} is not a URL the plan can send"
        else:
            detail = f"the request it led to, {follower.source}, is filtered out"
        self.ctx.diag.set_status(hop.source, "filtered")
        self.ctx.count("filtered.redirect")
        self.ctx.diag.report(
            HAR_INTERNAL_REDIRECT_DROPPED,
            self.ctx.loc(hop),
            f"{hop.status} made by the browser ({reason}), never sent to the server; {detail}",
            action="left out, like the request it led to",
        )

    def retarget(self, hop: Entry, moved: Entry, reason: str, shown: str) -> None:
        """The hop of a browser-made redirect whose follow-up was not recorded, sent to its target. To another
        host, without the hop's cookies and Authorization: the browser sends the target's own cookies (not
        recorded) and drops Authorization on a redirect to another origin (Fetch, "HTTP-redirect fetch")."""
        if not self.ctx.options.keep_secrets and "?" in moved.url:  # the target's own query credentials
            self.collector.collect_target(moved.url, hop.source)
        left_out = leave_credentials(hop) if host_of(moved) != host_of(hop) else []
        hop.url, hop._parts, hop.final_status = moved.url, None, None
        self.retargeted.add(id(hop))
        without = (
            f", but without its {' and '.join(left_out)} header{'s' if len(left_out) > 1 else ''} (to another host, "
            "the browser sends that host's own cookies, which the recording does not have, and no Authorization)"
            if left_out
            else ""
        )
        self.ctx.diag.report(
            HAR_INTERNAL_REDIRECT_ALONE,
            self.ctx.loc(hop),
            f"{hop.status} made by the browser ({reason}) to {shown}; the request it led to was not recorded",
            action=f"sent to {shown} with the recorded method, headers and body, as the browser sent it{without}; "
            "no status check (its answer is unknown)",
        )

    def follow_up(
        self, kept: list[Entry], position: int, hop: Entry, target: str, filtered_too: bool = False
    ) -> Entry | None:
        """The recorded request that followed redirect ``hop`` to ``target`` automatically, if any."""
        wanted = resource_key(target)
        method = _method_after(hop.status or 0, hop.method)
        if hop.end is None:  # no times: the old rule, the next few requests only
            candidates = kept[position + 1 : position + 6]
        else:
            candidates = []
            for later in kept[position + 1 :]:
                if later.start is not None and later.start > hop.end + _FOLLOW_UP_S:
                    break  # entries are in start order: nothing later can be the follow-up
                candidates.append(later)
        for later in candidates:
            if (
                (filtered_too or self.ctx.status(later) != "filtered")
                and later.method.upper() in method
                and resource_key(later.url) == wanted
            ):
                return later
        return None


_FOLLOW_UP_S = 1.0  # a browser sends the follow-up of a redirect as soon as the 3xx has arrived


def _method_after(status: int, method: str) -> tuple[str, ...]:
    """The methods a client may use to follow a ``status`` redirect of a ``method`` request (RFC 9110 15.4):
    303 turns anything but HEAD into GET; 301 and 302 may turn POST into GET (browsers do); 307 and 308 keep it."""
    method = method.upper()
    if status == 303 and method != "HEAD":
        return ("GET",)
    if status in (301, 302) and method == "POST":
        return ("GET", "POST")
    return (method,)


def _internal_redirect(entry: Entry) -> str | None:
    """Why a 3xx was made up by the browser itself (Chrome's ``Non-Authoritative-Reason`` response header: an
    HSTS upgrade, a redirect by an extension or for CORS...), or None for a redirect the server sent."""
    if entry.status is None or not 300 <= entry.status < 400:
        return None
    response = entry.raw.get("response") or {}
    for header in response.get("headers") or ():
        if header["name"].lower() == "non-authoritative-reason":
            return f"Non-Authoritative-Reason: {header.get('value') or ''}".strip()
    return None


def _sendable(url: str) -> bool:
    """Whether ``url`` is one a request card can send: http or https, with a host (and a usable port)."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # (raises on a port that is no number or out of range)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def leave_credentials(hop: Entry) -> list[str]:
    """The hop's Cookie and Authorization headers taken off its recorded request (it goes to another host):
    their names, in recorded order."""
    request = hop.raw["request"]
    headers = request.get("headers") or []
    kept = [h for h in headers if str(h.get("name")).lower() not in CREDENTIAL_HEADERS]
    if len(kept) == len(headers):
        return []
    request["headers"] = kept
    return list(dict.fromkeys(h["name"] for h in headers if h not in kept))
