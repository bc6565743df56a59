"""HAR reading: ordering, filters, redirects, grouping and think time."""

from __future__ import annotations

from pathlib import Path

from converter.model import Request, Think, TransactionRef
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import har_doc, har_entry, ts


def _requests(scenario) -> list[Request]:
    out = []
    for transaction in scenario.transactions.values():
        out.extend(s for s in transaction.steps if isinstance(s, Request))
    return out


def _status(scenario, index: int) -> str:
    return next(r.status for r in scenario.ledger if r.source == f"har:entries[{index}]")


def test_entries_are_ordered_by_start_time(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/second", start=ts(2)),
            har_entry("https://a.test/first", start=ts(1)),
            har_entry("https://a.test/third", start=ts(3)),
        ]
    )
    scenario = parse_har(write_har(doc))
    assert [r.url for r in _requests(scenario)] == [
        "https://a.test/first",
        "https://a.test/second",
        "https://a.test/third",
    ]


def test_static_assets_filtered_by_type_mime_and_extension_unless_kept(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/page", start=ts(0)),
            har_entry("https://a.test/x", start=ts(0.1), _resourceType="image"),
            har_entry("https://a.test/style", start=ts(0.2), mime="text/css"),
            har_entry("https://a.test/lib/app.js?v=3", start=ts(0.3), mime="text/plain"),
            har_entry("https://a.test/api/data.json", start=ts(0.4), mime="application/json"),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    assert [r.url for r in _requests(scenario)] == ["https://a.test/page", "https://a.test/api/data.json"]
    assert scenario.stats["filtered.static"] == 3
    assert [_status(scenario, i) for i in range(5)] == [
        "converted",
        "filtered",
        "filtered",
        "filtered",
        "converted",
    ]
    kept = parse_har(path, HarOptions(keep_static=True))
    assert len(_requests(kept)) == 5
    assert "filtered.static" not in kept.stats


def test_host_globs_and_url_regex(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://api.shop.test/a", start=ts(0)),
            har_entry("https://cdn.shop.test/b", start=ts(0.1)),
            har_entry("https://tracker.other.test/c", start=ts(0.2)),
            har_entry("https://api.shop.test/health", start=ts(0.3)),
        ]
    )
    path = write_har(doc)
    only_shop = parse_har(path, HarOptions(include_hosts=["*.shop.test"]))
    assert [r.url for r in _requests(only_shop)] == [
        "https://api.shop.test/a",
        "https://cdn.shop.test/b",
        "https://api.shop.test/health",
    ]
    no_cdn = parse_har(
        path, HarOptions(include_hosts=["*.shop.test"], exclude_hosts=["cdn.*"], exclude_urls=["/health$"])
    )
    assert [r.url for r in _requests(no_cdn)] == ["https://api.shop.test/a"]
    assert no_cdn.stats["filtered.host_or_url"] == 3


def test_preflight_and_junk_filtered(write_har) -> None:
    doc = har_doc(
        [
            har_entry(
                "https://a.test/api",
                method="OPTIONS",
                start=ts(0),
                headers=[("Access-Control-Request-Method", "POST")],
            ),
            har_entry("https://a.test/options-for-real", method="OPTIONS", start=ts(0.1)),
            har_entry("data:text/plain,hello", start=ts(0.2)),
            har_entry("blob:https://a.test/1", start=ts(0.3)),
            har_entry("chrome-extension://x/y", start=ts(0.4)),
            har_entry("https://a.test/cancelled", status=0, start=ts(0.5)),
            har_entry("https://a.test:443", method="CONNECT", start=ts(0.6)),
            har_entry("wss://a.test/ws", status=101, start=ts(0.7)),
        ]
    )
    scenario = parse_har(write_har(doc))
    assert [r.url for r in _requests(scenario)] == ["https://a.test/options-for-real"]
    assert scenario.stats["filtered.preflight"] == 1
    assert scenario.stats["filtered.junk"] == 6
    assert scenario.stats["kept"] + 7 == scenario.stats["entries"]


def test_entries_served_from_the_browser_cache_are_filtered(write_har) -> None:
    def served(url: str, second: float, response: dict | None = None, **extra: object) -> dict:
        entry = har_entry(url, start=ts(second), mime="application/json", **extra)
        entry["response"].update(response or {})
        return entry

    doc = har_doc(
        [
            served("https://a.test/api/config", 0, _fromCache="memory"),
            served("https://a.test/api/user", 1, _fromCache="disk"),
            served(
                "https://a.test/sw-cache",
                2,
                {"_fetchedViaServiceWorker": True, "_serviceWorkerResponseSource": "cache-storage"},
            ),
            served(
                "https://a.test/sw-network",
                3,
                {"_fetchedViaServiceWorker": True, "_serviceWorkerResponseSource": "network"},
            ),
            served("https://a.test/sw-unknown", 4, {"_fetchedViaServiceWorker": True}),
            served("https://a.test/plain", 5, {"_fetchedViaServiceWorker": False}),
            served("https://a.test/said-no", 6, _fromCache="false"),  # a recorder writing the word
        ]
    )
    scenario = parse_har(write_har(doc))
    kept = [r.url.rsplit("/", 1)[1] for r in _requests(scenario)]
    assert kept == ["sw-network", "sw-unknown", "plain", "said-no"]
    assert scenario.stats["filtered.cache"] == 3
    reasons = [d.message for d in scenario.diagnostics if d.code == "HAR001"]
    assert reasons == [
        "cache: served from the browser cache (memory)",
        "cache: served from the browser cache (disk)",
        "cache: served from the browser cache (a service worker answered from its Cache Storage)",
    ]


def test_websocket_messages_reported_not_converted(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/", start=ts(0)),
            har_entry(
                "wss://a.test/live",
                status=101,
                start=ts(1),
                _webSocketMessages=[{"type": "send", "data": "x"}],
            ),
        ]
    )
    scenario = parse_har(write_har(doc))
    assert _status(scenario, 1) == "not_converted"
    assert any(d.code == "HAR008" and d.severity == "error" for d in scenario.diagnostics)


def test_redirect_chain_collapsed_into_first_request_with_final_status(write_har) -> None:
    first = har_entry("https://a.test/login", method="POST", status=302, start=ts(0))
    first["response"]["redirectURL"] = "/step2"
    second = har_entry("https://a.test/step2", status=301, start=ts(0.1))
    second["response"]["headers"] = [{"name": "Location", "value": "https://a.test/home"}]
    third = har_entry("https://a.test/home", status=200, start=ts(0.2))
    scenario = parse_har(write_har(har_doc([first, second, third])))
    requests = _requests(scenario)
    assert [r.url for r in requests] == ["https://a.test/login"]
    assert requests[0].checks[0].values == ["200"]
    assert scenario.stats["filtered.redirect"] == 2
    assert [_status(scenario, i) for i in range(3)] == ["converted", "filtered", "filtered"]


def test_pages_become_transactions_named_by_title_grouped_in_one_pass(write_har) -> None:
    pages = [
        {"id": "p1", "title": "Home", "startedDateTime": ts(0)},
        {"id": "p2", "title": "Search results", "startedDateTime": ts(5)},
    ]
    doc = har_doc(
        [
            har_entry("https://a.test/", start=ts(0), pageref="p1"),
            har_entry("https://a.test/api/a", start=ts(0.5), pageref="p1"),
            har_entry("https://a.test/search", start=ts(5), pageref="p2"),
            har_entry("https://a.test/api/late", start=ts(6), pageref="p1"),
        ],
        pages,
    )
    scenario = parse_har(write_har(doc))
    assert list(scenario.transactions) == ["Home", "Search results"]
    home = [s.url for s in scenario.transactions["Home"].steps if isinstance(s, Request)]
    assert home == ["https://a.test/", "https://a.test/api/a", "https://a.test/api/late"]
    refs = [s.transaction for s in scenario.cases[0].steps if isinstance(s, TransactionRef)]
    assert refs == ["Home", "Search results"]


def test_without_pages_idle_gaps_split_groups(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/1", start=ts(0), time=100),
            har_entry("https://a.test/2", start=ts(0.5), time=100),
            har_entry("https://a.test/3", start=ts(3), time=100),
            har_entry("https://a.test/4", start=ts(3.2), time=100),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    assert [len(t.steps) for t in scenario.transactions.values()] == [2, 2]
    # the pause between the groups is a think step of the case, between the two transactions
    assert [s.kind for s in scenario.cases[0].steps] == ["transaction_ref", "think", "transaction_ref"]
    assert scenario.cases[0].steps[1].ms == 2400
    one_group = parse_har(path, HarOptions(group_gap_ms=5000))
    assert len(one_group.transactions) == 1


def test_think_time_from_gaps_min_scale_max_none_fixed(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/1", start=ts(0), time=100),
            har_entry("https://a.test/2", start=ts(0.4), time=100),  # gap 300 ms: below the minimum
            har_entry("https://a.test/3", start=ts(2.5), time=100),  # gap 2000 ms
        ]
    )
    path = write_har(doc)

    def thinks(options: HarOptions) -> list[int]:
        scenario = parse_har(path, options)
        steps = list(scenario.cases[0].steps)
        for transaction in scenario.transactions.values():
            steps.extend(transaction.steps)
        return sorted(s.ms for s in steps if isinstance(s, Think))

    assert thinks(HarOptions(group_gap_ms=10_000)) == [2000]
    assert thinks(HarOptions(group_gap_ms=10_000, think_min_ms=200)) == [300, 2000]
    assert thinks(HarOptions(group_gap_ms=10_000, think_scale=0.5)) == [1000]
    assert thinks(HarOptions(group_gap_ms=10_000, think_max_ms=1500)) == [1500]
    assert thinks(HarOptions(group_gap_ms=10_000, think="none")) == []
    assert thinks(HarOptions(group_gap_ms=10_000, think="fixed", think_fixed_ms=250)) == [250, 250]


def test_think_time_counts_from_the_end_of_everything_before_not_the_previous_entry(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/long", start=ts(0), time=3000),
            har_entry("https://a.test/short", start=ts(0.1), time=50),  # in parallel, ends first
            har_entry("https://a.test/next", start=ts(5), time=10),
        ]
    )
    scenario = parse_har(write_har(doc), HarOptions(group_gap_ms=10_000))
    thinks = [s.ms for t in scenario.transactions.values() for s in t.steps if isinstance(s, Think)]
    assert thinks == [2000]  # 5 s - 3 s, not 5 s - 0.15 s


def test_naive_timestamps_are_utc_whatever_the_machine_zone_and_reported_once(write_har, monkeypatch) -> None:
    import time

    doc = har_doc(
        [
            har_entry("https://a.test/first", start="2024-01-01T10:00:00Z", time=50),
            har_entry("https://a.test/second", start="2024-01-01T10:00:05", time=50),
            har_entry("https://a.test/third", start="2024-01-01T10:00:09.000", time=50),
        ]
    )
    path = write_har(doc)
    plans = []
    for zone in ("UTC", "Asia/Shanghai", "America/New_York"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        scenario = parse_har(path, HarOptions(group_gap_ms=60_000))
        plans.append(scenario.model_dump_json())
    monkeypatch.undo()  # the zone the process had, for the tests that follow
    time.tzset()
    assert plans[0] == plans[1] == plans[2]
    assert [r.url.rsplit("/", 1)[1] for r in _requests(scenario)] == ["first", "second", "third"]
    [note] = [d for d in scenario.diagnostics if d.code == "HAR028"]
    assert note.location is None and note.message == "2 of 3 startedDateTime values have no time zone"


def test_a_pause_of_more_than_five_minutes_is_a_warning_unless_capped(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/1", start="2024-01-01T18:00:00Z", time=50),
            har_entry("https://a.test/2", start="2024-01-02T09:00:00Z", time=50),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    [warning] = [d for d in scenario.diagnostics if d.code == "HAR029"]
    assert warning.message == (
        "a think time of 15 h before this request (the recording paused 15 h), longer than the test's 60 s"
    )
    assert "--think-max" in warning.hint and warning.location.source == "har:entries[1]"
    capped = parse_har(path, HarOptions(think_max_ms=60_000))
    assert not [d for d in capped.diagnostics if d.code == "HAR029"]
    # shorter than 5 minutes, but longer than the whole (default 60 s) test: it would stall there too
    short = write_har(
        har_doc(
            [
                har_entry("https://a.test/1", start="2024-01-01T18:00:00Z", time=50),
                har_entry("https://a.test/2", start="2024-01-01T18:03:20Z", time=50),
            ]
        ),
        "short.har",
    )
    assert [d.message for d in parse_har(short).diagnostics if d.code == "HAR029"] == [
        "a think time of 3 min before this request (the recording paused 3 min), longer than the test's 60 s"
    ]
    assert not [d for d in parse_har(short, HarOptions(duration_s=600)).diagnostics if d.code == "HAR029"]


def test_transport_headers_dropped_order_and_duplicates_kept(write_har) -> None:
    headers = [
        (":method", "GET"),
        ("Host", "a.test"),
        ("X-One", "1"),
        ("Content-Length", "0"),
        ("Connection", "keep-alive"),
        ("If-None-Match", '"e"'),
        ("If-Modified-Since", "Mon"),
        ("X-Dup", "a"),
        ("Accept", "*/*"),
        ("X-Dup", "b"),
    ]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/", headers=headers)])))
    request = _requests(scenario)[0]
    assert [(h.name, h.value) for h in request.headers] == [
        ("X-One", "1"),
        ("X-Dup", "a"),
        ("Accept", "*/*"),
        ("X-Dup", "b"),
    ]


def test_connection_specific_headers_dropped_and_another_host_kept_with_a_warning(write_har) -> None:
    headers = [
        ("Host", "SHOP.example.test:443"),
        ("Transfer-Encoding", "chunked"),
        ("TE", "trailers"),
        ("Trailer", "X-Sum"),
        ("Upgrade", "h2c"),
        ("Proxy-Connection", "keep-alive"),
        ("Expect", "100-continue"),
        ("Connection", "Upgrade, X-Hop"),
        ("X-Hop", "1"),
        ("Accept", "*/*"),
    ]
    same_host = har_entry("https://shop.example.test/a", method="POST", headers=headers)
    virtual_host = har_entry(
        "http://10.0.0.5:8080/health", start=ts(1), headers=[("Host", "shop.example.test")]
    )
    scenario = parse_har(write_har(har_doc([same_host, virtual_host])))
    first, second = _requests(scenario)
    assert [(h.name, h.value) for h in first.headers] == [("Accept", "*/*")]
    dropped = next(
        d for d in scenario.diagnostics if d.code == "HAR003" and d.location.source.endswith("[0]")
    )
    assert dropped.message == (
        "Host, Transfer-Encoding, TE, Trailer, Upgrade, Proxy-Connection, Expect, Connection, X-Hop"
    )
    assert [(h.name, h.value) for h in second.headers] == [("Host", "shop.example.test")]
    assert [(d.code, d.severity, d.location.source) for d in scenario.diagnostics if d.code == "HAR025"] == [
        ("HAR025", "warning", "har:entries[1]")
    ]
    assert _status(scenario, 1) == "approximated"


def test_status_checks_follow_recording_and_can_be_switched_off(write_har) -> None:
    doc = har_doc(
        [har_entry("https://a.test/", status=201), har_entry("https://a.test/c", status=304, start=ts(0.1))]
    )
    path = write_har(doc)
    checks = [r.checks for r in _requests(parse_har(path))]
    assert [c[0].values for c in checks] == [["201"], ["200"]]
    assert all(not r.checks for r in _requests(parse_har(path, HarOptions(status_checks=False))))


def test_missing_response_and_time_tolerated(write_har) -> None:
    doc = {"log": {"entries": [{"request": {"method": "GET", "url": "https://a.test/x"}}]}}
    scenario = parse_har(write_har(doc))
    request = _requests(scenario)[0]
    assert request.checks == []
    assert scenario.ledger[0].status == "converted"


def test_bom_is_accepted(tmp_path: Path) -> None:
    import json

    path = tmp_path / "bom.har"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(har_doc([har_entry("https://a.test/")])).encode())
    assert len(_requests(parse_har(path))) == 1


def test_url_fragment_is_not_sent(write_har) -> None:
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/app?x=1#/settings")])))
    assert _requests(scenario)[0].url == "https://a.test/app?x=1"


def test_untimed_entries_reported_per_entry_or_once_per_file(write_har) -> None:
    def untimed(url: str) -> dict:
        entry = har_entry(url)
        del entry["startedDateTime"]
        return entry

    mixed = parse_har(
        write_har(har_doc([har_entry("https://a.test/1", start=ts(0)), untimed("https://a.test/2")]))
    )
    assert [(d.code, d.location.source) for d in mixed.diagnostics if d.code == "HAR010"] == [
        ("HAR010", "har:entries[1]")
    ]
    assert _status(mixed, 1) == "approximated"
    none = parse_har(write_har(har_doc([untimed("https://a.test/1"), untimed("https://a.test/2")])))
    assert not [d for d in none.diagnostics if d.code == "HAR010"]
    notes = [d for d in none.diagnostics if d.code == "HAR016"]
    assert len(notes) == 1 and notes[0].location is None and notes[0].severity == "info"
    assert [_status(none, i) for i in range(2)] == ["converted", "converted"]
    assert [r.url for r in _requests(none)] == ["https://a.test/1", "https://a.test/2"]


def test_cookies_and_query_kept_only_in_the_har_arrays_are_sent(write_har) -> None:
    entry = har_entry("https://a.test/search")
    entry["request"]["cookies"] = [{"name": "lang", "value": "en-GB-long"}]
    entry["request"]["queryString"] = [{"name": "q", "value": "blue shoes"}, {"name": "page", "value": "2"}]
    both = har_entry("https://a.test/x?y=1", start=ts(1), headers=[("Cookie", "a=b")])
    both["request"]["cookies"] = [{"name": "other", "value": "zzz"}]
    both["request"]["queryString"] = [{"name": "y", "value": "1"}]
    first, second = _requests(parse_har(write_har(har_doc([entry, both])), HarOptions(keep_secrets=True)))
    assert first.url == "https://a.test/search?q=blue+shoes&page=2"
    assert [(h.name, h.value) for h in first.headers] == [("Cookie", "lang=en-GB-long")]
    assert second.url == "https://a.test/x?y=1"
    assert [(h.name, h.value) for h in second.headers] == [("Cookie", "a=b")]


def test_query_array_fills_a_url_ending_in_a_bare_question_mark(write_har) -> None:
    bare = har_entry("https://a.test/q2?")
    bare["request"]["queryString"] = [{"name": "z", "value": "1"}]
    in_fragment = har_entry("https://a.test/app#/x?y=2", start=ts(1))
    in_fragment["request"]["queryString"] = [{"name": "z", "value": "3"}]
    scenario = parse_har(write_har(har_doc([bare, in_fragment])))
    assert [r.url for r in _requests(scenario)] == ["https://a.test/q2?z=1", "https://a.test/app?z=3"]


def test_redirect_to_an_unrecorded_target_checks_no_status(write_har) -> None:
    login = har_entry("https://a.test/login", method="POST", status=302, start=ts(0))
    login["response"]["redirectURL"] = "https://sso.other.test/start#frag"
    sso = har_entry("https://sso.other.test/start", start=ts(0.1))
    scenario = parse_har(write_har(har_doc([login, sso])), HarOptions(exclude_hosts=["sso.*"]))
    request = _requests(scenario)[0]
    assert request.checks == []
    assert "HAR018" in next(r for r in scenario.ledger if r.source == "har:entries[0]").codes
    followed = parse_har(write_har(har_doc([login, sso])))
    assert [r.url for r in _requests(followed)] == ["https://a.test/login"]
    assert _requests(followed)[0].checks[0].values == ["200"]
