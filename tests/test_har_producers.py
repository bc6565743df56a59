"""HAR producers' own ways of saying what happened: Safari's and Firefox's cache hits, Firefox's left-out bodies."""

from __future__ import annotations

from typing import Any

import pytest

from converter.model import Request, Think
from converter.parsers.har import HarOptions, parse_har
from converter.parsers.har.entry import iso_for_python310
from tests.conftest import har_doc, har_entry, run_cli, ts


def _urls(scenario) -> list[str]:
    return [
        step.url
        for transaction in scenario.transactions.values()
        for step in transaction.steps
        if isinstance(step, Request)
    ]


def _row(scenario, index: int):
    return next(r for r in scenario.ledger if r.source == f"har:entries[{index}]")


def test_safari_cache_hits_are_filtered_and_network_loads_kept(write_har) -> None:
    # WebKit's HARBuilder: _fetchType "Memory Cache" / "Disk Cache" for a cache hit, "Network Load" otherwise
    doc = har_doc(
        [
            har_entry("https://a.test/api/one", start=ts(0), _fetchType="Network Load"),
            har_entry("https://a.test/api/two", start=ts(0.1), _fetchType="Memory Cache"),
            har_entry("https://a.test/api/three", start=ts(0.2), _fetchType="Disk Cache"),
            har_entry("https://a.test/api/four", start=ts(0.3), _fetchType="Service Worker"),
        ]
    )
    scenario = parse_har(write_har(doc))
    assert _urls(scenario) == ["https://a.test/api/one", "https://a.test/api/four"]
    assert scenario.stats["filtered.cache"] == 2
    two = _row(scenario, 1)
    assert (two.status, two.codes) == ("filtered", ["HAR001"])
    [message] = [d.message for d in scenario.diagnostics if d.location and d.location.source.endswith("[2]")]
    assert message == "cache: served from the browser cache (Disk Cache)"


def _firefox(url: str, start: float, *, status: int = 200, transferred: int, cache: dict[str, Any]) -> dict:
    entry = har_entry(url, start=ts(start), status=status, cache=cache)
    entry["response"]["bodySize"] = transferred
    entry["response"]["content"]["size"] = 5120
    return entry


def test_firefox_cache_hits_are_filtered_but_revalidations_and_transfers_kept(write_har) -> None:
    # Firefox fills cache.afterRequest only for a response taken from its cache; bodySize is what was transferred
    hit = {"afterRequest": {"expires": "", "lastAccess": "", "eTag": "", "hitCount": "3"}}
    post = _firefox("https://a.test/api/post", 0.5, transferred=0, cache=hit)
    post["request"]["method"] = "POST"
    entries = [
        _firefox("https://a.test/api/hit", 0, transferred=0, cache=hit),
        _firefox("https://a.test/api/hit-no-entry", 0.1, transferred=0, cache={"afterRequest": None}),
        _firefox("https://a.test/api/revalidated", 0.2, status=304, transferred=0, cache=hit),
        _firefox("https://a.test/api/fetched", 0.3, transferred=5120, cache=hit),
        _firefox("https://a.test/api/plain", 0.4, transferred=0, cache={}),
        post,  # a cache never answers a POST (nor a redirect)
        _firefox("https://a.test/api/moved", 0.6, status=302, transferred=0, cache=hit),
    ]
    doc = har_doc(entries)
    doc["log"]["creator"] = {"name": "Firefox", "version": "128.0"}
    scenario = parse_har(write_har(doc))
    assert _urls(scenario) == [
        "https://a.test/api/revalidated",
        "https://a.test/api/fetched",
        "https://a.test/api/plain",
        "https://a.test/api/post",
        "https://a.test/api/moved",
    ]
    assert [_row(scenario, i).status for i in (0, 1)] == ["filtered", "filtered"]
    assert scenario.stats["filtered.cache"] == 2


def test_cache_after_request_means_nothing_from_other_producers(write_har) -> None:
    # Playwright writes cache.afterRequest null on every entry: its requests did reach the server
    doc = har_doc([_firefox("https://a.test/api/x", 0, transferred=0, cache={"afterRequest": None})])
    doc["log"]["creator"] = {"name": "Playwright", "version": "1.48.0"}
    scenario = parse_har(write_har(doc))
    assert _urls(scenario) == ["https://a.test/api/x"] and "filtered.cache" not in scenario.stats


def test_firefox_body_left_out_of_the_recording_is_reported(write_har) -> None:
    # Firefox writes an empty text and a comment when a request body was too large for its panel
    discarded = {
        "mimeType": "application/json",
        "params": [],
        "text": "",
        "comment": "Request body not included",
    }
    sized = {"mimeType": "application/json", "params": [], "text": ""}
    empty = {"mimeType": "application/json", "params": [], "text": ""}
    doc = har_doc(
        [
            har_entry("https://a.test/upload", method="POST", start=ts(0), post=discarded),
            har_entry(
                "https://a.test/sized",
                method="POST",
                start=ts(1),
                post=sized,
                headers=[("Content-Length", "2048")],
            ),
            har_entry(
                "https://a.test/empty",
                method="POST",
                start=ts(2),
                post=empty,
                headers=[("Content-Length", "0")],
            ),
        ]
    )
    scenario = parse_har(write_har(doc))
    found = [
        (d.code, d.severity, d.location.source, d.message) for d in scenario.diagnostics if d.code == "HAR017"
    ]
    assert found == [
        (
            "HAR017",
            "warning",
            "har:entries[0]",
            "the recording left the request body out (its postData.comment says so)",
        ),
        (
            "HAR017",
            "warning",
            "har:entries[1]",
            "the request carried a 2048-byte body (Content-Length) the recording did not keep",
        ),
    ]
    assert [_row(scenario, i).status for i in range(3)] == ["approximated", "approximated", "converted"]
    assert _urls(scenario) == ["https://a.test/upload", "https://a.test/sized", "https://a.test/empty"]


def _attached(name: str, mime: str = "application/json") -> dict[str, Any]:
    # Playwright's recordHar with content "attach": the body is a file next to the HAR, the text is empty
    return {"mimeType": mime, "text": "", "params": [], "_file": name}


def test_playwright_attached_body_is_read_from_beside_the_har(write_har, tmp_path) -> None:
    (tmp_path / "0a1b.json").write_text('{"user": "ann", "password": "Hunter2-Secret!"}', encoding="utf-8")
    (tmp_path / "9f9f.dat").write_bytes(b"\x00\xff\xfe binary")
    (tmp_path / "outside.json").write_text('{"x": "must not be read"}', encoding="utf-8")
    doc = har_doc(
        [
            har_entry("https://a.test/login", method="POST", start=ts(0), post=_attached("0a1b.json")),
            har_entry("https://a.test/missing", method="POST", start=ts(1), post=_attached("feed.json")),
            har_entry("https://a.test/escape", method="POST", start=ts(2), post=_attached("../outside.json")),
            har_entry(
                "https://a.test/bin", method="POST", start=ts(3), post=_attached("9f9f.dat", "image/png")
            ),
        ]
    )
    scenario = parse_har(write_har(doc))
    login = next(
        step
        for transaction in scenario.transactions.values()
        for step in transaction.steps
        if isinstance(step, Request) and step.url.endswith("/login")
    )
    assert login.body is not None and login.body.text == '{"user": "ann", "password": "${password}"}'
    codes = {(d.location.source, d.code) for d in scenario.diagnostics if d.location is not None}
    assert ("har:entries[1]", "HAR017") in codes and ("har:entries[2]", "HAR017") in codes
    assert ("har:entries[3]", "HAR007") in codes
    [missing] = [
        d.message for d in scenario.diagnostics if d.code == "HAR017" and d.location.source.endswith("[1]")
    ]
    assert missing.startswith("the body is in the file 'feed.json' Playwright saved with the recording")
    assert "must not be read" not in scenario.model_dump_json()
    # a link next to the HAR could point anywhere; a file named by something other than text is no file name
    (tmp_path / "link.json").symlink_to(tmp_path / "outside.json")
    odd = [
        har_entry("https://a.test/link", method="POST", start=ts(0), post=_attached("link.json")),
        har_entry("https://a.test/num", method="POST", start=ts(1), post={**_attached("x"), "_file": 12}),
    ]
    linked = parse_har(write_har(har_doc(odd), "odd.har"))
    assert [d.code for d in linked.diagnostics] == ["HAR017", "HAR017"]
    assert "must not be read" not in linked.model_dump_json()
    plan, report = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli(
        "har", str(tmp_path / "input.har"), "--dry-run", "-o", str(plan), "--report", str(report)
    )
    assert result.exit_code == 0, result.output
    written = plan.read_bytes() + report.read_bytes()
    assert (
        b"${password}" in plan.read_bytes()
        and b"Hunter2" not in written
        and b"must not be read" not in written
    )


def _chrome(entries: list[dict[str, Any]]) -> dict[str, Any]:
    doc = har_doc(entries)  # (recorded in 2026: after Chrome 130 made the sanitized export the default)
    doc["log"]["creator"] = {"name": "WebInspector", "version": "537.36"}
    return doc


def test_a_chrome_recording_without_any_session_header_is_flagged_as_sanitized(write_har) -> None:
    # Chrome's default "Export HAR (sanitized)" removes Cookie, Set-Cookie and Authorization headers
    bare = [har_entry("https://a.test/account", start=ts(0)), har_entry("https://a.test/orders", start=ts(1))]
    scenario = parse_har(write_har(_chrome(bare)))
    [diag] = [d for d in scenario.diagnostics if d.code == "HAR050"]
    # a public site needs no session: said, not warned
    assert (diag.severity, diag.location) == ("info", None)
    assert diag.message.startswith("none of the 2 entries has a Cookie, Set-Cookie or Authorization header:")
    assert "with sensitive data" in diag.hint
    assert len(_urls(scenario)) == 2  # converted as recorded
    # a recording that logs in (a password field, or a 401/403 answer) and carries no session: a warning
    login = har_entry(
        "https://a.test/login",
        method="POST",
        start=ts(0),
        post={"mimeType": "application/x-www-form-urlencoded", "text": "user=ann&password=Hunter2-Secret"},
    )
    denied = har_entry("https://a.test/orders", start=ts(1), status=403)
    for entries in ([login, bare[0]], [bare[0], denied]):
        [diag] = [d for d in parse_har(write_har(_chrome(entries))).diagnostics if d.code == "HAR050"]
        assert diag.severity == "warning" and "although the recording logs in" in diag.message
    # response headers of the wrong type are no reason to stop
    odd = har_entry("https://a.test/x", start=ts(0))
    odd["response"]["headers"] = 7
    assert [d.code for d in parse_har(write_har(_chrome([odd]))).diagnostics if d.code == "HAR050"] == [
        "HAR050"
    ]

    with_cookie = [har_entry("https://a.test/account", start=ts(0), headers=[("Cookie", "sid=abcdef123456")])]
    set_cookie = har_entry("https://a.test/login", start=ts(0))
    set_cookie["response"]["headers"] = [{"name": "Set-Cookie", "value": "sid=abcdef123456; HttpOnly"}]
    for entries in (with_cookie, [set_cookie]):
        assert not [d for d in parse_har(write_har(_chrome(entries))).diagnostics if d.code == "HAR050"]
    # another producer (a proxy) without cookies says nothing of Chrome's export, nor does an older Chrome recording
    assert not [d for d in parse_har(write_har(har_doc(bare))).diagnostics if d.code == "HAR050"]
    old = [har_entry("https://a.test/account", start="2023-07-15T13:37:26.093Z")]
    assert not [d for d in parse_har(write_har(_chrome(old))).diagnostics if d.code == "HAR050"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2019-02-05T10:20:30.1234567+01:00", "2019-02-05T10:20:30.123456+01:00"),  # .NET / Fiddler: 7 digits
        ("2019-02-05T10:20:30.5+01:00", "2019-02-05T10:20:30.500000+01:00"),
        ("2019-02-05T10:20:30,25+0100", "2019-02-05T10:20:30.250000+01:00"),
        ("2019-02-05 10:20:30.123456789-05", "2019-02-05 10:20:30.123456-05:00"),
        ("2019-02-05T10:20:30+00:00", "2019-02-05T10:20:30+00:00"),  # already in the strict spelling
        ("2019-02-05T10:20:30", "2019-02-05T10:20:30"),  # no zone: left for the caller (read as UTC)
        ("yesterday", "yesterday"),
    ],
)
def test_start_times_are_spelt_as_python_310_reads_them(written: str, expected: str) -> None:
    # Python 3.10 (supported) reads only 6-digit fractions and +HH:MM zones; 3.11 reads these spellings itself
    assert iso_for_python310(written) == expected


def test_dotnet_seven_digit_start_times_give_think_times(write_har) -> None:
    # Fiddler writes .NET's "o" format; its gaps must give the same think times as any other producer's
    doc = har_doc(
        [
            har_entry("https://a.test/1", start="2019-02-05T10:20:30.1234567+01:00", time=100),
            har_entry("https://a.test/2", start="2019-02-05T10:20:33.1234567+0100", time=100),
        ]
    )
    scenario = parse_har(write_har(doc), HarOptions(group_gap_ms=10_000))
    steps = [s for t in scenario.transactions.values() for s in t.steps] + list(scenario.cases[0].steps)
    assert [s.ms for s in steps if isinstance(s, Think)] == [2900]


def _via_worker(entry: dict[str, Any], source: str | None = "network") -> dict[str, Any]:
    entry["response"]["_fetchedViaServiceWorker"] = True
    if source is not None:
        entry["response"]["_serviceWorkerResponseSource"] = source
    return entry


def test_a_service_worker_fetch_of_a_page_request_is_sent_once(write_har) -> None:
    """Chrome lists a request a service worker passed on to the network twice: the page's (answered via the
    worker) and the worker's own fetch. The server got one: the plan sends it once, from the page's entry."""
    order = {"mimeType": "application/json", "text": '{"item": 1}'}
    doc = har_doc(
        [
            _via_worker(
                har_entry("https://app.test/api/order", method="POST", start=ts(0), time=200, post=order)
            ),
            har_entry("https://app.test/api/order", method="POST", start=ts(0.005), time=150, post=order),
            # the same order placed again later by the user: a request of its own
            har_entry("https://app.test/api/order", method="POST", start=ts(5), time=100, post=order),
            # another body during the page's request: not the worker's fetch of it
            har_entry(
                "https://app.test/api/order",
                method="POST",
                start=ts(0.01),
                time=100,
                post={"mimeType": "application/json", "text": '{"item": 2}'},
            ),
        ]
    )
    scenario = parse_har(write_har(doc), HarOptions(group_gap_ms=60_000))
    assert _row(scenario, 1).status == "filtered"
    assert [_row(scenario, i).status for i in (0, 2, 3)] == ["converted"] * 3
    [note] = [d for d in scenario.diagnostics if d.location and d.location.source == "har:entries[1]"]
    assert note.code == "HAR001"
    assert note.message.startswith("service_worker: the service worker's own fetch of the page's request")
    assert "har:entries[0]" in note.message
    assert scenario.stats["filtered.service_worker"] == 1
    assert len(_urls(scenario)) == 3


def test_a_worker_answer_without_its_fetch_recorded_is_kept(write_har) -> None:
    """Without the worker's own fetch in the recording the page's entry is the only trace of the request; a
    worker answer from its Cache Storage was no request at all."""
    doc = har_doc(
        [
            _via_worker(har_entry("https://app.test/api/feed", start=ts(0), time=100), source=None),
            _via_worker(
                har_entry("https://app.test/api/menu", start=ts(1), time=100), source="cache-storage"
            ),
            # the same URL fetched after the page's request ended: not its worker fetch
            har_entry("https://app.test/api/feed", start=ts(0.5), time=100),
        ]
    )
    scenario = parse_har(write_har(doc), HarOptions(group_gap_ms=60_000))
    assert [_row(scenario, i).status for i in range(3)] == ["converted", "filtered", "converted"]
    assert "filtered.service_worker" not in scenario.stats
