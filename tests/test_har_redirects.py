"""HAR redirects: which recorded request is a redirect's automatic follow-up, browser-made hops, page order."""

from __future__ import annotations

from typing import Any

from converter.model import Request
from converter.parsers.har import parse_har
from converter.parsers.har.entry import resource_key
from tests.conftest import har_doc, har_entry, ts


def _requests(scenario: Any) -> list[Request]:
    out = []
    for transaction in scenario.transactions.values():
        out.extend(s for s in transaction.steps if isinstance(s, Request))
    return out


def _codes(scenario: Any, index: int) -> list[str]:
    return next(r.codes for r in scenario.ledger if r.source == f"har:entries[{index}]")


def _redirect(url: str, target: str, *, status: int = 302, method: str = "GET", start: float = 0) -> dict:
    entry = har_entry(url, method=method, status=status, start=ts(start), time=10)
    entry["response"]["headers"] = [{"name": "Location", "value": target}]
    return entry


def test_follow_up_found_after_many_parallel_requests(write_har) -> None:
    """A busy page: the follow-up starts right after the 3xx but comes seven entries later in the file."""
    entries = [_redirect("https://h.test/start", "/landing")]
    entries += [har_entry(f"https://h.test/api/{n}", start=ts(0.001 * (n + 1)), time=50) for n in range(6)]
    entries.append(har_entry("https://h.test/landing", start=ts(0.04)))
    scenario = parse_har(write_har(har_doc(entries)))
    urls = [r.url for r in _requests(scenario)]
    assert "https://h.test/landing" not in urls  # PerfTest follows the 302 itself: not requested twice
    assert "HAR002" in _codes(scenario, 7)
    assert _requests(scenario)[0].checks[0].values == ["200"]


def test_follow_up_matches_whatever_the_host_case_and_default_port(write_har) -> None:
    entries = [
        _redirect("https://h.test/a", "https://H.TEST:443/b"),
        har_entry("https://h.test/b", start=ts(0.02)),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [r.url for r in _requests(scenario)] == ["https://h.test/a"]
    assert "HAR018" not in _codes(scenario, 0)


def test_a_later_request_to_the_target_is_the_users_own(write_har) -> None:
    """Three seconds after a 302 to /login the user POSTs the login form: not the redirect's follow-up."""
    form = {"mimeType": "application/x-www-form-urlencoded", "text": "user=alice"}
    entries = [
        _redirect("https://app.test/start", "/login"),
        har_entry("https://app.test/login", method="POST", start=ts(3), post=form),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    requests = _requests(scenario)
    assert [(r.method, r.url) for r in requests] == [
        ("GET", "https://app.test/start"),
        ("POST", "https://app.test/login"),
    ]
    assert requests[1].body is not None and requests[1].body.fields[0].value == "alice"
    assert requests[0].checks == []  # where the 302 led was not recorded: its status is unknown
    assert "HAR018" in _codes(scenario, 0)


def test_follow_up_method_follows_the_status(write_har) -> None:
    """307 keeps the method: a GET right after a POST's 307 is not its follow-up; 303 turns POST into GET."""
    kept = parse_har(
        write_har(
            har_doc(
                [
                    _redirect("https://a.test/pay", "/done", status=307, method="POST"),
                    har_entry("https://a.test/done", start=ts(0.02)),
                ]
            )
        )
    )
    assert [r.url for r in _requests(kept)] == ["https://a.test/pay", "https://a.test/done"]
    folded = parse_har(
        write_har(
            har_doc(
                [
                    _redirect("https://a.test/pay", "/done", status=303, method="POST"),
                    har_entry("https://a.test/done", start=ts(0.02)),
                ]
            )
        )
    )
    assert [r.url for r in _requests(folded)] == ["https://a.test/pay"]


def test_browser_made_hsts_redirect_is_left_out_and_its_target_kept(write_har) -> None:
    hop = _redirect("http://secure.test/dashboard", "https://secure.test/dashboard", status=307)
    hop["time"] = 0
    hop["response"]["headers"].append({"name": "Non-Authoritative-Reason", "value": "HSTS"})
    entries = [hop, har_entry("https://secure.test/dashboard", start=ts(0.001))]
    scenario = parse_har(write_har(har_doc(entries)))
    requests = _requests(scenario)
    assert [r.url for r in requests] == ["https://secure.test/dashboard"]
    assert requests[0].protocol == "https"
    assert next(r for r in scenario.ledger if r.source == "har:entries[0]").status == "filtered"
    assert "HAR030" in _codes(scenario, 0)
    # with nothing recorded after it, what the browser sent is the request to the target: sent there,
    # its answer unknown
    alone = parse_har(write_har(har_doc([hop]), "alone.har"))
    [request] = _requests(alone)
    assert (request.url, request.protocol, request.checks) == ("https://secure.test/dashboard", "https", [])
    assert _codes(alone, 0) == ["HAR036"]


def test_interleaved_pages_are_reported(write_har) -> None:
    pages = [
        {"id": "a", "title": "Tab A", "startedDateTime": ts(0)},
        {"id": "b", "title": "Tab B", "startedDateTime": ts(1)},
    ]
    entries = [
        har_entry("https://h.test/a1", start=ts(0), pageref="a"),
        har_entry("https://h.test/b1", start=ts(1), pageref="b"),
        har_entry("https://h.test/a2", start=ts(2), pageref="a"),
        har_entry("https://h.test/b2", start=ts(3), pageref="b"),
    ]
    scenario = parse_har(write_har(har_doc(entries, pages)))
    assert [r.url for r in _requests(scenario)] == [
        "https://h.test/a1",
        "https://h.test/a2",
        "https://h.test/b1",
        "https://h.test/b2",
    ]
    warned = [d for d in scenario.diagnostics if d.code == "HAR031"]
    assert len(warned) == 1 and warned[0].location is not None
    assert warned[0].location.source == "har:entries[2]"
    entries[2]["startedDateTime"] = ts(0.5)  # a2 before b1: each page's requests together
    contiguous = parse_har(write_har(har_doc(entries, pages)))
    assert not [d for d in contiguous.diagnostics if d.code == "HAR031"]


def test_follow_up_matches_a_target_the_browser_percent_encoded() -> None:
    """A Location with a space, non-ASCII text, an encoded unreserved character or dot segments names the same
    resource as the request the browser then sent."""
    same = [
        ("https://h.test/café menu", "https://h.test/caf%C3%A9%20menu"),
        ("https://h.test/%7euser/", "https://h.test/~user/"),
        ("https://h.test/a/./b/../c?x=%2f", "https://h.test/a/c?x=%2F"),
        ("https://H.TEST:443", "https://h.test/"),
        ("https://bücher.test/", "https://xn--bcher-kva.test/"),
    ]
    for written, sent in same:
        assert resource_key(written) == resource_key(sent), written
    assert resource_key("https://h.test/a?") != resource_key("https://h.test/a")
    assert resource_key("https://h.test/A") != resource_key("https://h.test/a")  # paths are case-sensitive
