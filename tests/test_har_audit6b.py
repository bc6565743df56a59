"""HAR audit 6b: pacing on the plan's serial timeline (long-lived requests, redirect chains, interleaved pages),
requests the browser ran side by side, PT004 truncation, think-time and load diagnostics, host globs, split
transaction names and the recorded HTTP version."""

from __future__ import annotations

import json
from typing import Any

from converter.diagnostics import Diagnostic
from converter.model import Request, Scenario, Think, TransactionRef
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import har_doc, har_entry, run_cli, ts


def _diags(scenario: Any, code: str) -> list[Diagnostic]:
    return [d for d in scenario.diagnostics if d.code == code]


def _layout(scenario: Scenario) -> list[Any]:
    """The case as a list: think times as numbers, transactions as (name, [paths and think times])."""

    def show(step: Any) -> Any:
        if isinstance(step, Think):
            return step.ms
        if isinstance(step, Request):
            return step.url.split("/", 3)[3]
        assert isinstance(step, TransactionRef)
        return (step.transaction, [show(s) for s in scenario.transactions[step.transaction].steps])

    return [show(step) for step in scenario.cases[0].steps]


# ---- finding 1: a long-lived request does not swallow the pauses recorded while it was open ---------------------
def _long_poll(poll_ms: float = 60_000) -> list[dict[str, Any]]:
    return [
        har_entry("https://a.test/", start=ts(0), time=300),
        har_entry("https://a.test/poll", start=ts(0.5), time=poll_ms),
        har_entry("https://a.test/search", start=ts(5), time=200),
        har_entry("https://a.test/item", start=ts(15), time=200),
        har_entry("https://a.test/cart", method="POST", start=ts(30), time=200),
        har_entry("https://a.test/checkout", start=ts(70), time=200),
    ]


def test_a_long_poll_keeps_the_user_pauses_and_actions_apart(write_har) -> None:
    scenario = parse_har(write_har(har_doc(_long_poll())), HarOptions(group_gap_ms=3000))
    assert _layout(scenario) == [
        ("a.test", ["", "poll"]),
        4700,
        ("a.test search", ["search"]),
        9800,
        ("a.test item", ["item"]),
        14800,
        ("a.test cart", ["cart"]),
        39800,  # from the end of the cart request: the poll's end at 60.5 s was no action of the user
        ("a.test checkout", ["checkout"]),
    ]
    [warned] = _diags(scenario, "HAR056")
    assert warned.location is not None and warned.location.source == "har:entries[1]"
    assert warned.message == (
        "the request was open for 60 s in the recording while 3 later request(s) started: the page did not wait "
        "for it"
    )
    assert "the next step waits for this request's response" in warned.action
    # the plan waits for the poll: its run is much longer than the recording, which HAR057 says
    [slower] = _diags(scenario, "HAR057")
    assert "take 130.2 s instead of the recorded 70.2 s" in slower.message


def test_a_slow_request_nothing_ran_beside_is_waited_for_as_recorded(write_har) -> None:
    """A 12 s download the user waited for: the pause after it runs from its end, and it is no background one."""
    entries = [
        har_entry("https://a.test/report", start=ts(0), time=12_000),
        har_entry("https://a.test/next", start=ts(14), time=100),
    ]
    scenario = parse_har(write_har(har_doc(entries)), HarOptions(group_gap_ms=60_000))
    assert _layout(scenario) == [("a.test report", ["report", 2000, "next"])]
    assert not _diags(scenario, "HAR056")


def test_an_event_stream_is_a_background_request_however_short(write_har) -> None:
    stream = har_entry("https://a.test/events", start=ts(0.5), time=8000, mime="text/event-stream")
    entries = [
        har_entry("https://a.test/", start=ts(0), time=200, pageref="p"),
        {**stream, "pageref": "p"},
        har_entry("https://a.test/a", start=ts(4), time=100, pageref="p"),
    ]
    pages = [{"id": "p", "title": "Dashboard", "startedDateTime": ts(0)}]
    scenario = parse_har(write_har(har_doc(entries, pages)))
    assert _layout(scenario) == [("Dashboard", ["", "events", 3800, "a"])]
    assert [d.location.source for d in _diags(scenario, "HAR056") if d.location] == ["har:entries[1]"]


# ---- finding 3: a folded redirect chain ends where its last hop ended ---------------------------------------------
def test_a_folded_redirect_chain_ends_with_its_last_hop(write_har) -> None:
    login = har_entry("https://a.test/login", method="POST", status=302, start=ts(0), time=100)
    login["response"]["headers"] = [{"name": "Location", "value": "/home"}]
    login["response"]["redirectURL"] = "/home"
    entries = [
        login,
        har_entry("https://a.test/home", start=ts(0.15), time=4000),
        har_entry("https://a.test/next", start=ts(5), time=100),
    ]
    scenario = parse_har(write_har(har_doc(entries)), HarOptions(group_gap_ms=5000))
    assert _layout(scenario) == [
        ("a.test login", ["login", 850, "next"])
    ]  # not 4900: the chain ended at 4.15 s


# ---- finding 4: each request keeps its own pause when pages are regrouped -------------------------------------------
def test_interleaved_pages_keep_each_request_s_recorded_pause(write_har) -> None:
    entries = [
        har_entry("https://a.test/", start=ts(0), time=100, pageref="A"),
        har_entry("https://a.test/a1", start=ts(1), time=100, pageref="A"),
        har_entry("https://a.test/search", start=ts(5), time=100, pageref="B"),
        har_entry("https://a.test/b1", start=ts(6), time=100, pageref="B"),
        har_entry("https://a.test/a-late", start=ts(20), time=100, pageref="A"),
        har_entry("https://a.test/b2", start=ts(30), time=100, pageref="B"),
    ]
    pages = [
        {"id": "A", "title": "Home", "startedDateTime": ts(0)},
        {"id": "B", "title": "Search", "startedDateTime": ts(5)},
    ]
    scenario = parse_har(write_har(har_doc(entries, pages)))
    assert _layout(scenario) == [
        ("Home", ["", 900, "a1", 13900, "a-late"]),
        3900,
        ("Search", ["search", 900, "b1", 9900, "b2"]),
    ]
    [warned] = _diags(scenario, "HAR031")
    assert "each keeps the pause recorded before it" in warned.action


# ---- finding 2: requests the browser ran side by side -----------------------------------------------------------
def test_parallel_requests_run_serially_are_reported_with_the_spans(write_har) -> None:
    entries = [
        har_entry("https://a.test/", start=ts(0), time=500),
        *(har_entry(f"https://a.test/api/{n}", start=ts(0.6 + n / 100), time=1000) for n in range(6)),
        har_entry("https://a.test/next", start=ts(10), time=200),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert _layout(scenario)[1:] == [8350, ("a.test next", ["next"])]
    [warned] = _diags(scenario, "HAR057")
    assert warned.severity == "warning" and warned.location is None
    assert warned.message == (
        "5 requests started while an earlier one was still running; one after another, the requests and "
        "recorded pauses take 15.0 s instead of the recorded 10.2 s; transactions: 'a.test' 1.7 s -> 6.5 s"
    )
    assert "--users" in warned.hint
    # two requests overlapping a little: not worth a warning
    small = [
        har_entry("https://a.test/", start=ts(0), time=500),
        har_entry("https://a.test/b", start=ts(0.4), time=300),
    ]
    assert not _diags(parse_har(write_har(har_doc(small), "small.har")), "HAR057")


# ---- finding 5: a case cut at PerfTest's step limit ----------------------------------------------------------------
def test_a_case_cut_at_the_step_limit_leaves_out_what_it_does_not_send(tmp_path) -> None:
    """520 requests 2 s apart: 520 transactions and 519 pauses between them, 1039 steps. The case keeps 1023
    (not the pause before the first transaction cut); the 8 transactions cut are not created and their
    requests are not converted."""
    entries = [har_entry(f"https://a.test/r{n}", start=ts(2 * n), time=5) for n in range(520)]
    har = tmp_path / "steps.har"
    har.write_text(json.dumps(har_doc(entries)), encoding="utf-8")
    plan_path, report_path = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("har", str(har), "--dry-run", "-q", "-o", str(plan_path), "--report", str(report_path))
    assert result.exit_code == 0, result.output
    plan, report = json.loads(plan_path.read_text()), json.loads(report_path.read_text())
    [contents] = [op["body"]["contents"] for op in plan["operations"] if op["id"].endswith(":content")]
    assert len(contents) == 1023
    assert contents[-1]["selected_temp_name"] == "a.test r511"  # a transaction, no pause after it
    temps = [op["body"]["name"] for op in plan["operations"] if op["operation"] == "CreateTemp"]
    assert len(temps) == 512 and temps[-1] == "a.test r511"
    assert (report["summary"]["requests"], report["summary"]["transactions"]) == (512, 512)
    rows = {row["source"]: row for row in report["ledger"]}
    assert rows["har:entries[511]"]["status"] == "converted"
    assert rows["har:entries[512]"] == {
        **rows["har:entries[512]"],
        "status": "not_converted",
        "codes": ["PT004"],
    }
    assert report["summary"]["ledger"]["not_converted"] == 8
    [cut] = [d for d in report["diagnostics"] if d["code"] == "PT004"]
    assert cut["message"] == "case 'steps' has 1039 steps (519 of them think times)"
    assert cut["action"] == (
        "only the first 1023 top-level steps are kept; 16 are not sent, with the transactions from "
        "'a.test r512' to 'a.test r519'"
    )


# ---- finding 8: think-time and load diagnostics ----------------------------------------------------------------
def test_a_fixed_think_time_longer_than_the_test_is_reported_once(write_har) -> None:
    entries = [har_entry(f"https://a.test/{n}", start=ts(n)) for n in range(3)]
    scenario = parse_har(write_har(har_doc(entries)), HarOptions(think="fixed", think_fixed_ms=600_000))
    [warned] = _diags(scenario, "HAR029")
    assert warned.location is None
    assert warned.message == (
        "a fixed think time of 10 min (--think-time fixed:600000) before every request but the first, longer "
        "than the test's 60 s"
    )
    short = parse_har(write_har(har_doc(entries), "b.har"), HarOptions(think="fixed", think_fixed_ms=30_000))
    assert not _diags(short, "HAR029")


def test_a_long_pause_is_compared_with_the_ramp_and_the_hold(write_har) -> None:
    entries = [
        har_entry("https://a.test/1", start=ts(0), time=10),
        har_entry("https://a.test/2", start=ts(90)),
    ]
    path = write_har(har_doc(entries))
    # 90 s: longer than a 60 s hold, not than a 60 s ramp + 60 s hold
    assert [d.message for d in _diags(parse_har(path), "HAR029")] == [
        "a think time of 90 s before this request (the recording paused 90 s), longer than the test's 60 s"
    ]
    assert not _diags(parse_har(path, HarOptions(users=5, ramp_s=60, duration_s=60)), "HAR029")
    [warned] = _diags(parse_har(path, HarOptions(users=5, ramp_s=20, duration_s=60)), "HAR029")
    assert warned.message.endswith("longer than the test's 80 s (20 s ramp + 60 s)")


def test_an_iteration_ramp_is_worded_without_jmeter_and_duration_with_iterations_is_refused(tmp_path) -> None:
    har = tmp_path / "load.har"
    har.write_text(json.dumps(har_doc([har_entry("https://a.test/")])), encoding="utf-8")
    report = tmp_path / "report.json"
    common = ("har", str(har), "--dry-run", "-q", "-o", str(tmp_path / "plan.json"), "--report", str(report))
    result = run_cli(*common, "--iterations", "5", "--users", "3", "--ramp", "10")
    assert result.exit_code == 0
    [ramp] = [d for d in json.loads(report.read_text())["diagnostics"] if d["code"] == "PT021"]
    assert ramp["message"] == (
        "case 'load': a ramp-up of 10 s would start 3 users one after another, each stopping after 5 iteration(s)"
    )
    refused = run_cli(*common, "--iterations", "5", "--duration", "600")
    assert refused.exit_code == 2
    assert "--duration and --iterations exclude each other" in refused.output


# ---- finding 7: internationalised host globs, as browsers spell the hosts (IDNA 2008, UTS 46) ---------------------
def test_idn_host_globs_use_idna_2008_as_browsers(write_har) -> None:
    entries = [
        har_entry("https://xn--fa-hia.de/track", start=ts(0)),  # faß.de as a browser records it
        har_entry("https://xn--nxasmm1c.example/ad", start=ts(1)),  # βόλος.example
        har_entry("https://fass.de/other", start=ts(2)),  # another host: IDNA 2003 would take faß.de for it
        har_entry("https://shop.test/", start=ts(3)),
    ]
    path = write_har(har_doc(entries))

    def kept(**options: Any) -> list[str]:
        scenario = parse_har(path, HarOptions(**options))
        return [s.url for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]

    assert kept(exclude_hosts=["faß.de", "βόλος.example"]) == ["https://fass.de/other", "https://shop.test/"]
    assert kept(include_hosts=["FAß.de"]) == ["https://xn--fa-hia.de/track"]
    assert kept(include_hosts=["*.example"]) == ["https://xn--nxasmm1c.example/ad"]
    # a host recorded in Unicode matches its punycode glob
    unicode_host = write_har(har_doc([har_entry("https://faß.de/x")]), "unicode.har")
    scenario = parse_har(unicode_host, HarOptions(include_hosts=["xn--fa-hia.de"]))
    assert [s.url for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)] == [
        "https://faß.de/x"
    ]


# ---- finding 11: host globs that cannot match ------------------------------------------------------------------
def test_a_host_glob_with_a_scheme_path_or_space_is_a_usage_error(tmp_path) -> None:
    har = tmp_path / "hosts.har"
    har.write_text(json.dumps(har_doc([har_entry("https://api.shop.test/")])), encoding="utf-8")
    for option, glob in (
        ("--include-host", "https://api.shop.test"),
        ("--exclude-host", "api.shop.test/v1"),
        ("--include-host", "api shop.test"),
        ("--exclude-host", ""),
    ):
        result = run_cli("har", str(har), "--dry-run", "-q", "-o", str(tmp_path / "p.json"), option, glob)
        assert result.exit_code == 2, (option, glob)
        assert f"bad option: {option} {glob!r}: a host glob names a host" in result.output


def test_a_host_glob_that_matches_no_host_is_reported(write_har) -> None:
    entries = [har_entry("https://shop.test/", start=ts(0)), har_entry("https://api.shop.test/", start=ts(1))]
    options = HarOptions(include_hosts=["shop.test", "api.shop.tes"], exclude_hosts=["*.cdn.test"])
    scenario = parse_har(write_har(har_doc(entries)), options)
    assert [(d.severity, d.message, d.action, d.hint) for d in _diags(scenario, "HAR058")] == [
        (
            "warning",
            "--include-host 'api.shop.tes' matches no host of the recording",
            "no request is kept for it",
            "the recorded hosts: api.shop.test, shop.test",
        ),
        (
            "warning",
            "--exclude-host '*.cdn.test' matches no host of the recording",
            "it filters nothing",
            "the recorded hosts: api.shop.test, shop.test",
        ),
    ]
    assert not _diags(
        parse_har(write_har(har_doc(entries), "b.har"), HarOptions(include_hosts=["*"])), "HAR058"
    )


# ---- finding 10: split transactions keep their part numbers, and their pauses before the next part ---------------
def test_split_parts_keep_their_number_and_the_pause_before_the_next_part(write_har) -> None:
    title = "Checkout – Payment details and confirmation page"
    entries = [
        har_entry(f"https://a.test/r{n}", start=ts(n * 0.1 + (5 if n >= 40 else 0)), time=5, pageref="p")
        for n in range(45)
    ]
    pages = [{"id": "p", "title": title, "startedDateTime": ts(0)}]
    scenario = parse_har(write_har(har_doc(entries, pages)))
    from converter.emit.perftest import emit_plan

    plan = emit_plan(scenario).plan
    temps = [op.body for op in plan.operations if op.operation == "UpdateTemp"]
    assert [(t["name"], t["description"]) for t in temps] == [
        ("Checkout _ Payment details and conf part 1", f"{title} (part 1 of 2)"),
        ("Checkout _ Payment details and conf part 2", f"{title} (part 2 of 2)"),
    ]
    first, second = (t["contents"] for t in temps)
    assert first[-1]["content"][0]["content_type"] == 2  # ends with its last request
    assert second[0]["content"][0]["content"] == {"name": "think_time", "t": 5095}  # the pause before r40
    renamed = [d.message for d in plan.diagnostics if d.code == "PT001"]
    assert renamed[0] == f"name '{title} part 1' became 'Checkout _ Payment details and conf part 1'"


# ---- finding 6: the recorded HTTP version --------------------------------------------------------------------
def test_requests_recorded_over_http2_or_http3_are_counted_once(write_har) -> None:
    versions = ["h2", "h3", "HTTP/2.0", "http/1.1", "HTTP/3", ""]
    entries = [har_entry(f"https://a.test/{n}", start=ts(n)) for n in range(len(versions))]
    for entry, version in zip(entries, versions, strict=True):
        entry["request"]["httpVersion"] = version
    scenario = parse_har(write_har(har_doc(entries)))
    [note] = _diags(scenario, "HAR059")
    assert (note.severity, note.location) == ("info", None)
    assert (
        note.message == "4 of 6 requests were recorded over HTTP/2 or HTTP/3 (2 over HTTP/2, 2 over HTTP/3)"
    )
    assert "HTTP/1.1" in note.action
    from converter.emit.perftest import emit_plan

    cards_ = [c for op in emit_plan(scenario).plan.operations for c in _request_cards(op.body)]
    assert {c["http_version"] for c in cards_} == {"HTTP/1.1"}  # issue #2
    plain = parse_har(write_har(har_doc([har_entry("https://a.test/")]), "plain.har"))
    assert not _diags(plain, "HAR059")


def _request_cards(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        own = [value] if "http_version" in value else []
        return own + [c for item in value.values() for c in _request_cards(item)]
    if isinstance(value, list):
        return [c for item in value for c in _request_cards(item)]
    return []


# ---- finding 9: load and think numbers PerfTest's Integer fields can hold ----------------------------------------
def test_load_numbers_beyond_a_java_int_are_usage_errors(tmp_path) -> None:
    har = tmp_path / "load.har"
    har.write_text(json.dumps(har_doc([har_entry("https://a.test/")])), encoding="utf-8")
    common = ("har", str(har), "--dry-run", "-q", "-o", str(tmp_path / "plan.json"))
    for args in (
        ("--users", "2147483648"),
        ("--duration", "99999999999"),
        ("--iterations", "2147483648"),
        ("--ramp", "2147483648"),
        ("--think-max", "2147483648"),
    ):
        result = run_cli(*common, *args)
        assert result.exit_code == 2 and "2147483647" in result.output, args
    product = run_cli(*common, "--users", "100000", "--iterations", "30000")
    assert product.exit_code == 2
    assert "--users 100000 x --iterations 30000 = 3000000000 iterations in all" in product.output
    fixed = run_cli(*common, "--think-time", "fixed:2147483648")
    assert fixed.exit_code == 2 and "at most 2147483647 ms" in fixed.output
    assert run_cli(*common, "--users", "46340", "--iterations", "46340").exit_code == 0  # 2147395600


def test_a_scaled_pause_beyond_a_java_int_is_capped(write_har) -> None:
    entries = [
        har_entry("https://a.test/1", start=ts(0), time=0),
        har_entry("https://a.test/2", start=ts(3000)),
    ]
    scenario = parse_har(write_har(har_doc(entries)), HarOptions(think_scale=1000, group_gap_ms=10**7))
    [think] = [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Think)]
    assert think.ms == 2_147_483_647
    assert _diags(scenario, "HAR029")


def test_an_untimed_request_gives_no_pause_but_the_idle_gap_still_splits_groups(write_har) -> None:
    entries = [
        har_entry("https://a.test/1", start=ts(0), time=100),
        har_entry("https://a.test/2", start=ts(0.2), time=100),
        har_entry("https://a.test/3", start=ts(5), time=100),
    ]
    entries[1]["startedDateTime"] = "not a time"
    scenario = parse_har(write_har(har_doc(entries)))
    assert _layout(scenario) == [("a.test 1", ["1", "2"]), ("a.test 3", ["3"])]  # no think around /2 (HAR010)
