"""HAR recordings (Chrome, Firefox, Safari, Charles, Fiddler, mitmproxy, Playwright...) -> Scenario.

Steps: read and type-check the file (:mod:`.load`), collect the recorded credentials (:mod:`.collect`), order
entries by start time, filter (junk, cache, preflight, static assets, hosts, URLs: :mod:`.filters`), fold
redirect chains (:mod:`.redirects`), group into transactions (pages, or idle gaps), derive think times, build
each request (:mod:`.request`, :mod:`.headers`, bodies: :mod:`.bodies`) with recorded credentials replaced by
variables (:mod:`.secrets`, :mod:`.credentials`, :mod:`.oauth`), and report on them (:mod:`.secret_report`).
This module holds the public entry (:func:`parse_har`, :class:`HarOptions`) and the steps' order. Every entry
gets exactly one ledger row.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import SplitResult, urlsplit

from converter.diagnostics import Location, define, first_few
from converter.gcpause import collector_paused
from converter.model import (
    Case,
    LoadProfile,
    Scenario,
    SourceInfo,
    Stage,
    Step,
    Think,
    Transaction,
    TransactionRef,
)
from converter.parsers.har.collect import SecretCollector
from converter.parsers.har.context import Context
from converter.parsers.har.entry import Entry, complete_request, host_of, status_of, timestamp
from converter.parsers.har.filters import (
    cache_reason,
    host_reason,
    is_preflight,
    is_websocket,
    junk_reason,
    service_worker_fetches,
    static_reason,
    unmatched_globs,
)
from converter.parsers.har.headers import HeaderWriter
from converter.parsers.har.issued import location_of
from converter.parsers.har.load import producer, read_attached_body, read_har
from converter.parsers.har.pacing import Timeline, span, timeline
from converter.parsers.har.redirects import RedirectFolder
from converter.parsers.har.request import HAR_BODY_MISSING as HAR_BODY_MISSING  # (tests report with it)
from converter.parsers.har.request import RequestBuilder, duration_text, is_event_stream
from converter.parsers.har.sanitized import report_sanitized
from converter.parsers.har.secret_report import CredentialReport

HAR_FILTERED = define(
    "HAR001",
    "info",
    "entry filtered out (static asset, host, URL, preflight, junk, cache, service worker's fetch)",
)
HAR_WEBSOCKET = define("HAR008", "error", "websocket connection and messages not converted")
HAR_NO_TIME = define("HAR010", "warning", "entry has no usable startedDateTime; file order kept")
HAR_SURROGATES = define("HAR019", "warning", "lone UTF-16 surrogate escapes replaced by U+FFFD")
HAR_INTERLEAVED = define(
    "HAR031", "warning", "pages recorded interleaved: requests grouped by page run in another order"
)
HAR_UNTIMED_FILE = define("HAR016", "info", "no entry has a start time: file order kept, no think times")
HAR_SCHEME = define("HAR011", "error", "URL scheme not supported")
HAR_NO_ENTRIES = define("HAR014", "warning", "no request left to convert")

HAR_NAIVE_TIME = define("HAR028", "warning", "timestamps without a time zone read as UTC")
HAR_LONG_THINK = define(
    "HAR029", "warning", "think time longer than 5 minutes or than the whole test, kept as recorded"
)
LONG_THINK_MS = 5 * 60 * 1000
#: A think card's time is an Integer in PerfTest's API (a Java int): a longer pause is capped (HAR029 says it).
MAX_THINK_MS = 2_147_483_647
HAR_GLOB_UNMATCHED = define("HAR058", "warning", "host glob (--include-host, --exclude-host) matched no host")
HAR_HTTP_VERSION = define(
    "HAR059",
    "info",
    "requests recorded over HTTP/2 or HTTP/3 are sent over HTTP/1.1 (PerfTest's request card)",
)
HAR_BACKGROUND = define(
    "HAR056",
    "warning",
    "long-lived request (event stream, long poll, slow download) the page did not wait for: the plan does",
)
HAR_SERIAL = define(
    "HAR057",
    "warning",
    "requests the browser sent side by side run one after another: the plan takes much longer than the recording",
)


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
    """Reads one HAR file into a scenario: runs the steps in order, with the parts that share a :class:`Context`."""

    def __init__(self, path: Path, options: HarOptions) -> None:
        self.path = path
        self.options = options
        self.ctx = Context(options)
        self.producer = ""
        self.exclude_urls = [re.compile(p) for p in options.exclude_urls]
        self.collector = SecretCollector(self.ctx.book, self.ctx.callbacks)
        self.redirects = RedirectFolder(self.ctx, self.collector, self.exclude_urls)
        self.requests = RequestBuilder(self.ctx, HeaderWriter(self.ctx, self.redirects.retargeted))
        self.timeline = Timeline()
        self.report = CredentialReport(
            self.ctx, self.collector.single_use, self.redirects.folded_into, self.requests.in_raw_forms
        )

    def filtered(self, entry: Entry, reason: str, detail: str) -> None:
        self.ctx.diag.set_status(entry.source, "filtered")
        self.ctx.count(f"filtered.{reason}")
        self.ctx.diag.report(
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
        report_sanitized(self.ctx, self.producer, entries)
        kept = self.filter(entries)
        self.redirects.fold(kept, entries)
        kept = [e for e in kept if self.ctx.status(e) != "filtered"]
        self.ctx.count("requests", len(kept))
        self.report_http_versions(kept)
        self.ctx.count("kept", sum(1 for e in entries if self.ctx.status(e) != "filtered"))
        self.timeline = timeline(kept, is_event_stream)
        groups = self.group(kept, log.get("pages") or [])
        if not self.options.keep_secrets:
            self.report.find_issued(entries)
        return self.build(groups, digest)

    def report_repaired(self, paths: list[str], entries: list[Entry]) -> None:
        """Where lone surrogate escapes were replaced: at each entry concerned, or for the file."""
        by_index = {entry.index: entry for entry in entries}
        places: dict[int | None, list[str]] = {}
        for path in paths:
            found = _ENTRY_PATH.match(path)
            places.setdefault(int(found.group(1)) if found else None, []).append(path.lstrip("."))
        for index, where in places.items():
            self.ctx.diag.report(
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
                read_attached_body(post, self.path.parent)
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
            self.ctx.callbacks.note_request(entry.url)
            if entry.status is not None and 300 <= entry.status < 400:
                self.ctx.callbacks.note_redirect(location_of(entry.raw.get("response")))
        # Collect credentials from every entry first, so that no ledger name or message shows one.
        if not self.options.keep_secrets:
            for entry in out:
                self.collector.collect_request(entry)
            self.ctx.book.separate()
            for entry in out:  # after every request, so that a value a request sent is first recorded there
                self.collector.collect_location(entry)
        some_timed = untimed < len(out)
        for entry in out:
            self.ctx.diag.track(entry.source, "entry", self.ctx.loc(entry).name or "")
            if entry.start is None and len(out) > 1 and some_timed:
                self.ctx.diag.report(
                    HAR_NO_TIME,
                    self.ctx.loc(entry),
                    "no usable startedDateTime",
                    action="kept in file order; no think time derived around it",
                )
        naive = sum(1 for entry in out if entry.start is not None and entry.naive_time)
        if naive:  # one note for the file, however many entries it concerns
            self.ctx.diag.report(
                HAR_NAIVE_TIME,
                None,
                f"{naive} of {len(out)} startedDateTime values have no time zone",
                action="read as UTC: if the recording's clock was in another zone, the order and think times "
                "around them are off by its offset",
            )
        if len(out) > 1 and not some_timed:  # a hand-written HAR: one note for the file, not one per entry
            self.ctx.diag.report(
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

    def report_http_versions(self, kept: list[Entry]) -> None:
        """One note for the recording when requests went over HTTP/2 or HTTP/3: the plan's request cards say
        HTTP/1.1 (issue #2), so multiplexing and header compression differ under load."""
        counts = {"HTTP/2": 0, "HTTP/3": 0}
        for entry in kept:
            version = _major_version(entry.raw["request"].get("httpVersion"))
            if version in counts:
                counts[version] += 1
        if not any(counts.values()):
            return
        shown = ", ".join(f"{n} over {name}" for name, n in counts.items() if n)
        self.ctx.diag.report(
            HAR_HTTP_VERSION,
            None,
            f"{sum(counts.values())} of {len(kept)} requests were recorded over HTTP/2 or HTTP/3 ({shown})",
            action="the plan sends every request as HTTP/1.1: no multiplexing nor header compression, and the "
            "server's HTTP/2 or HTTP/3 handling is not load-tested",
        )

    def report_unmatched_globs(self, entries: list[Entry]) -> None:
        """A host glob that matches no host of the recording: a typo, or a host the recording never reached."""
        hosts = sorted({host_of(entry) for entry in entries} - {""})
        if not self.options.keep_secrets:  # (a host is no credential, but a recorded value may look like one)
            hosts = [self.ctx.book.scrub(host) for host in hosts]
        for option, globs in (
            ("--include-host", self.options.include_hosts),
            ("--exclude-host", self.options.exclude_hosts),
        ):
            for glob in unmatched_globs(entries, globs):
                self.ctx.diag.report(
                    HAR_GLOB_UNMATCHED,
                    None,
                    f"{option} {glob!r} matches no host of the recording",
                    action="it filters nothing"
                    if option == "--exclude-host"
                    else "no request is kept for it",
                    hint="the recorded hosts: " + first_few(hosts, 5),
                )

    def filter(self, entries: list[Entry]) -> list[Entry]:
        if self.options.include_hosts or self.options.exclude_hosts:
            self.report_unmatched_globs(entries)
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
                self.ctx.diag.report(
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
                self.ctx.diag.report(
                    HAR_SCHEME, self.ctx.loc(entry), f"scheme {scheme or '(none)'}", action="left out"
                )
                continue
            kept.append(entry)
        for fetch, request in service_worker_fetches(kept):
            self.filtered(
                fetch,
                "service_worker",
                f"the service worker's own fetch of the page's request har:entries[{request.index}], which "
                "the plan sends (the server got one request)",
            )
        return [e for e in kept if self.ctx.status(e) != "filtered"]

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
                    title = self.ctx.book.scrub(title)
                titles[page["id"]] = (title, f"har:pages[{number}]")
        groups: list[tuple[str, Location | None, list[Entry]]] = []
        by_page: dict[str, int] = {}
        interleaved: set[str] = set()
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
                    self.ctx.diag.report(
                        HAR_INTERLEAVED,
                        self.ctx.loc(entry),
                        f"page {groups[position][0]!r} has requests recorded after "
                        + (
                            f"page {groups[-1][0]!r}"
                            if groups[-1][1] is not None
                            else f"requests without a page (grouped as {groups[-1][0]!r})"
                        )
                        + " began (several tabs, or requests made late)",
                        action="kept in their page's transaction: the requests no longer run in the recorded "
                        "order; each keeps the pause recorded before it",
                    )
                groups[position][2].append(entry)
            else:
                gap = self.timeline.gaps.get(entry.source)
                last_is_gap_group = bool(groups) and groups[-1][1] is None
                if not last_is_gap_group or (gap is not None and gap > self.options.group_gap_ms):
                    url = self.ctx.book.scrub(entry.url) if redacting else entry.url
                    groups.append(
                        (_group_title(entry.parts if url == entry.url else urlsplit(url)), None, [])
                    )
                groups[-1][2].append(entry)
        return groups

    # ---- requests ---------------------------------------------------------------------------------

    def test_ms(self) -> int | None:
        """How long the test runs: the ramp's staircase and the hold after it (None: a number of iterations)."""
        opts = self.options
        return None if opts.iterations is not None else (opts.ramp_s + opts.duration_s) * 1000

    def long_think_limit(self) -> int:
        """A think time above this gets HAR029: five minutes, or the whole test when it is shorter."""
        test_ms = self.test_ms()
        return LONG_THINK_MS if test_ms is None else min(LONG_THINK_MS, test_ms)

    def longer_than_test(self, value: int | None = None) -> str:
        """The words for HAR029 when the think time is longer than the whole test."""
        opts, test_ms = self.options, self.test_ms()
        value = opts.think_fixed_ms if value is None else value
        if test_ms is None or value <= test_ms:
            return ""
        if not opts.ramp_s:
            return f", longer than the test's {opts.duration_s} s"
        return f", longer than the test's {opts.ramp_s + opts.duration_s} s ({opts.ramp_s} s ramp + {opts.duration_s} s)"

    def think_ms(self, previous: Entry | None, entry: Entry) -> int | None:
        """The pause before ``entry``: the recorded idle time before it (:mod:`.pacing`), measured in recorded
        order whatever the transaction it went to."""
        opts = self.options
        if previous is None or opts.think == "none":
            return None
        if opts.think == "fixed":
            if opts.think_fixed_ms > self.long_think_limit():
                self.ctx.diag.report_once(
                    HAR_LONG_THINK,
                    None,
                    f"a fixed think time of {duration_text(opts.think_fixed_ms)} (--think-time fixed:"
                    f"{opts.think_fixed_ms}) before every request but the first{self.longer_than_test()}",
                    action=f"think time of {opts.think_fixed_ms} ms before each request but the first",
                    hint="give a shorter --think-time fixed:MS",
                )
            return opts.think_fixed_ms or None
        gap = self.timeline.pauses.get(entry.source)
        if gap is None:
            return None  # no think time around an untimed entry (HAR010 says so)
        if gap < opts.think_min_ms:
            return None
        scaled = gap * opts.think_scale
        if opts.think_max_ms is not None:
            scaled = min(scaled, opts.think_max_ms)
        if not math.isfinite(scaled):  # a NaN or infinite scale given through the API (the CLI refuses them)
            return None
        value = min(round(scaled), MAX_THINK_MS)
        # an overnight break, a clock jump, or a pause longer than the whole test: the test would stall on it
        if value > self.long_think_limit():
            self.ctx.diag.report(
                HAR_LONG_THINK,
                self.ctx.loc(entry),
                f"a think time of {duration_text(value)} before this request (the recording paused "
                f"{duration_text(gap)}){self.longer_than_test(value)}",
                action=f"think time of {value} ms before it",
                hint="cap recorded pauses with --think-max MS (or record the session again without the break)",
            )
        return value if value > 0 else None

    def report_pacing(self, groups: list[tuple[str, list[Entry]]]) -> None:
        """What the plan's one-after-another run does otherwise than the recording's timeline: the long-lived
        requests it waits for (HAR056), and a run much longer than the recording (HAR057)."""
        for item in self.timeline.background:
            self.ctx.diag.report(
                HAR_BACKGROUND,
                self.ctx.loc(item.entry),
                f"the request was open for {duration_text(_open_ms(item.entry, item.end))} in the recording "
                f"while {item.started_meanwhile} later request(s) started: the page did not wait for it",
                action="the pauses recorded during and after it are measured from the other requests; the plan "
                "runs its steps one after another, so the next step waits for this request's response",
                hint="if the server holds it open, give it a short response timeout, or leave it out "
                "(--exclude-url) and load it from its own case",
            )
        if self.options.think == "none":
            return  # no pause at all: the plan is shorter than the recording anyway
        think_min = self.options.think_min_ms
        pauses = self.timeline.pauses
        spans = [s for s in (span(key, group, pauses, think_min) for key, group in groups) if s]
        slow = sorted(
            (s for s in spans if s.much_slower), key=lambda s: s.serial_ms / s.recorded_ms, reverse=True
        )
        whole = span("", [e for _, group in groups for e in group], pauses, think_min)
        if not slow and not (whole is not None and whole.much_slower):
            return
        shown = first_few([f"{s.name!r} {_seconds(s.recorded_ms)} -> {_seconds(s.serial_ms)}" for s in slow])
        self.ctx.diag.report(
            HAR_SERIAL,
            None,
            f"{self.timeline.overlapping} requests started while an earlier one was still running"
            + (
                f"; one after another, the requests and recorded pauses take {_seconds(whole.serial_ms)} "
                f"instead of the recorded {_seconds(whole.recorded_ms)}"
                if whole is not None
                else ""
            )
            + (f"; transactions: {shown}" if slow else ""),
            action="sent one after another, as a PerfTest user runs its steps: transactions take longer and each "
            "user sends fewer requests per second than the browser did",
            hint="raise --users to reach the recorded request rate, or leave out requests the page made on the "
            "side (static files, --exclude-url)",
        )

    def build(self, groups: list[tuple[str, Location | None, list[Entry]]], digest: str) -> Scenario:
        transactions: dict[str, Transaction] = {}
        case_steps: list[Step] = []
        previous: Entry | None = None
        for title, where, group in groups:
            key = title
            number = 2
            while key in transactions:
                key = f"{title} #{number}"
                number += 1
            steps: list[Step] = []
            for position, entry in enumerate(group):
                think = self.think_ms(previous, entry)
                if think:
                    self.ctx.count("think_steps")
                    (case_steps if position == 0 else steps).append(
                        Think(ms=think, source=self.ctx.loc(entry))
                    )
                request = self.requests.request(entry)
                if not self.options.keep_secrets:
                    self.report.note_used(entry, request)
                steps.append(request)
                previous = entry
            transactions[key] = Transaction(name=title, steps=steps, source=where)
            case_steps.append(TransactionRef(transaction=key, source=where))
        if not transactions:
            total = self.ctx.stats.get("entries", 0)
            filtered = sum(n for name, n in self.ctx.stats.items() if name.startswith("filtered."))
            message = f"none of the {total} entries became a request ({filtered} filtered out)"
            self.ctx.diag.report(
                HAR_NO_ENTRIES,
                None,
                message if total else "the recording has no entries",
                action="the case is empty",
            )
        self.report_pacing([(key, group) for key, (_, _, group) in zip(transactions, groups, strict=True)])
        variables = self.report.variables(transactions)
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
            diagnostics=self.ctx.diag.diagnostics,
            ledger=self.ctx.diag.ledger,
            stats=self.ctx.stats,
            producer=self.producer,
        )


_ENTRY_PATH = re.compile(r"\.log\.entries\[(\d+)\]")


#: Recorders built on Firefox's network panel (their HAR's creator or browser names them).
_GECKO_PRODUCERS = ("firefox", "firebug", "floorp", "waterfox", "librewolf", "iceweasel", "seamonkey")


def _major_version(recorded: Any) -> str | None:
    """ "HTTP/2" or "HTTP/3" for the spellings recorders use ("h2", "http/2.0", "HTTP/2", "h3", "h3-29",
    "HTTP/3"); None for anything else."""
    text = str(recorded or "").strip().lower()
    for major in ("2", "3"):
        if text.startswith((f"h{major}", f"http/{major}")):
            return f"HTTP/{major}"
    return None


def _seconds(ms: float) -> str:
    """A span for a message: tenths of a second below ten minutes."""
    return f"{ms / 1000:.1f} s" if ms < 600_000 else duration_text(ms)


def _open_ms(entry: Entry, end: float) -> float:
    return (end - (entry.start or end)) * 1000


def _group_title(parts: SplitResult) -> str:
    """A readable name for a group of requests without a page: the first request's host and path (of the
    scrubbed URL: a token in the path must not become part of a name)."""
    words = [parts.hostname or "", *[w for w in (parts.path or "").split("/") if w]]
    return " ".join(w for w in words if w) or "requests"


def parse_har(path: Path, options: HarOptions | None = None) -> Scenario:
    """Convert one HAR file into a scenario (raises InputError when the file is unusable)."""
    with collector_paused():  # millions of parsed JSON objects and no garbage cycles
        return _HarReader(path, options or HarOptions()).run()
