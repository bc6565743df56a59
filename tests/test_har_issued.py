"""Credentials the recorded server issued (session cookies, CSRF and access tokens): found, and reported."""

from __future__ import annotations

from typing import Any

from converter.parsers.har import HarOptions, parse_har
from converter.parsers.har.issued import Issued, issued_by_server
from tests.conftest import har_doc, har_entry, ts


def _response(headers: list[tuple[str, str]] = (), text: str = "", mime: str = "text/html") -> dict[str, Any]:
    return {
        "status": 200,
        "headers": [{"name": n, "value": v} for n, v in headers],
        "content": {"mimeType": mime, "text": text},
    }


def test_cookie_header_and_body_tokens_found_before_their_first_use() -> None:
    responses = [
        (
            0,
            _response([("Set-Cookie", "csrftoken=CsrfCookie111; Path=/")], '<input value="CsrfFromPage111">'),
        ),
        (
            1,
            _response(
                [("Set-Cookie", "sessionid=SessFromServer999; HttpOnly")], '{"access_token":"Jwt777abc"}'
            ),
        ),
        (2, _response([("X-Auth-Token", "HeaderTok12345")])),
    ]
    first_use = {
        "CsrfCookie111": 1,
        "CsrfFromPage111": 1,
        "SessFromServer999": 2,
        "Jwt777abc": 2,
        "HeaderTok12345": 3,
        "OwnPassword1": 1,
    }
    found = issued_by_server(
        responses,
        first_use,
        {0: 0, 1: 1, 2: 2, 3: 3},
        in_bodies=["CsrfFromPage111", "Jwt777abc", "HeaderTok12345", "OwnPassword1"],
    )
    assert found == {
        "CsrfCookie111": Issued(0, "Set-Cookie csrftoken", sent_by=1),
        "CsrfFromPage111": Issued(0, "response body", sent_by=1),
        "SessFromServer999": Issued(1, "Set-Cookie sessionid", sent_by=2),
        "Jwt777abc": Issued(1, "response body", sent_by=2),
        "HeaderTok12345": Issued(2, "response header X-Auth-Token", sent_by=3),
    }  # the user's own password was never handed out


def test_a_value_echoed_after_it_was_sent_is_not_issued() -> None:
    """An echo service returns the request's cookies and token in its body: that response came after the use."""
    responses = [
        (0, _response([("Set-Cookie", "sid=Echoed12345")], '{"token": "Echoed67890"}', "application/json"))
    ]
    found = issued_by_server(
        responses, {"Echoed12345": 0, "Echoed67890": 0}, {0: 0}, in_bodies=["Echoed67890"]
    )
    assert found == {}


def test_bodies_are_searched_only_for_tokens_and_only_when_text() -> None:
    cookie_in_page = [(0, _response([], "document.cookie='sid=CookieValue123'"))]
    assert issued_by_server(cookie_in_page, {"CookieValue123": 1}, {0: 0, 1: 1}) == {}
    binary = [(0, _response([], "..TokenValue123..", "image/png"))]
    assert issued_by_server(binary, {"TokenValue123": 1}, {0: 0, 1: 1}, in_bodies=["TokenValue123"]) == {}
    page = [(0, _response([], "..TokenValue123..", "text/html"))]
    assert issued_by_server(page, {"TokenValue123": 1}, {0: 0, 1: 1}, in_bodies=["TokenValue123"]) != {}
    short = [(0, _response([], '{"code": "1234567"}', "application/json"))]
    assert issued_by_server(short, {"1234567": 1}, {0: 0, 1: 1}, in_bodies=["1234567"]) == {}


def test_firefox_newline_joined_set_cookie_and_malformed_headers() -> None:
    response = _response([("Set-Cookie", "a=1; Path=/\nsid=SecondCookie42; HttpOnly")])
    response["headers"].append({"name": 7, "value": None})  # only a 3xx's headers are type-checked on reading
    assert issued_by_server([(0, response)], {"SecondCookie42": 1}, {0: 0, 1: 1}) == {
        "SecondCookie42": Issued(0, "Set-Cookie sid", sent_by=1)
    }
    assert issued_by_server([(0, {"headers": 5, "content": None})], {"x": 1}, {0: 0, 1: 1}) == {}


def test_reader_warns_where_a_replayed_credential_came_from_the_server(write_har) -> None:
    login_page = har_entry("https://app.test/login", start=ts(0))
    login_page["response"]["headers"] = [{"name": "Set-Cookie", "value": "csrftoken=CsrfCookie111; Path=/"}]
    form = {"mimeType": "application/x-www-form-urlencoded", "text": "password=Pw0rdAlice99"}
    login = har_entry(
        "https://app.test/login",
        method="POST",
        start=ts(1),
        headers=[("Cookie", "csrftoken=CsrfCookie111")],
        post=form,
    )
    login["response"]["content"] = {"mimeType": "application/json", "text": '{"access_token":"Jwt777abcdef"}'}
    me = har_entry("https://app.test/api/me", start=ts(2), headers=[("Authorization", "Bearer Jwt777abcdef")])
    scenario = parse_har(write_har(har_doc([login_page, login, me])))
    issued = {d.message.split(":")[0]: d for d in scenario.diagnostics if d.code == "HAR032"}
    assert sorted(issued) == ["${authorization}", "${cookie_csrftoken}"]  # not the user's own password
    assert "har:entries[1] (response body)" in issued["${authorization}"].message
    assert issued["${cookie_csrftoken}"].location is not None
    assert issued["${cookie_csrftoken}"].location.source == "har:entries[1]"
    assert next(r for r in scenario.ledger if r.source == "har:entries[1]").status == "approximated"
    text = " ".join(d.message for d in scenario.diagnostics)
    assert "Jwt777abcdef" not in text and "CsrfCookie111" not in text
    kept = parse_har(write_har(har_doc([login_page, login, me])), HarOptions(keep_secrets=True))
    assert not [d for d in kept.diagnostics if d.code == "HAR032"]


def test_a_token_behind_an_auth_scheme_or_json_escaped_slashes_is_found() -> None:
    responses = [
        (0, _response([("Authorization", "Bearer HeaderTok12345")])),
        (1, _response([], '{"token": "a1b2\\/c3d4e5f6"}', "application/json")),
    ]
    found = issued_by_server(
        responses, {"HeaderTok12345": 2, "a1b2/c3d4e5f6": 2}, {0: 0, 1: 1, 2: 2}, in_bodies=["a1b2/c3d4e5f6"]
    )
    assert found == {
        "HeaderTok12345": Issued(0, "response header Authorization", sent_by=2),
        "a1b2/c3d4e5f6": Issued(1, "response body", sent_by=2),
    }
