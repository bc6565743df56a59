"""Findings of the HAR re-audit: forms recorded under another type, ordinary ``code`` fields, browser-made
redirects sent to another site, and short OAuth codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from converter.model import Request, Scenario
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import har_doc, har_entry, run_cli, ts


def _requests(scenario: Scenario) -> list[Request]:
    return [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]


def _post(url: str, mime: str, text: str, start: float = 0, **extra: Any) -> dict[str, Any]:
    return har_entry(url, method="POST", start=ts(start), post={"mimeType": mime, "text": text}, **extra)


def _outputs(path: Path, tmp_path: Path, *options: str) -> str:
    """Plan, report and console output of the CLI, as one text."""
    plan, report = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("har", str(path), "--dry-run", "-o", str(plan), "--report", str(report), *options)
    assert result.exit_code == 0, result.output
    return plan.read_text() + report.read_text() + result.stdout + result.stderr


# ---- 1. a form recorded as text/plain, or under a type its text does not match -------------------------


def test_a_form_recorded_as_text_plain_or_as_json_has_its_password_replaced(
    write_har, tmp_path: Path
) -> None:
    entries = [
        _post("https://a.test/login", "text/plain;charset=UTF-8", "username=alice&password=PlainTextPw12345"),
        _post("https://a.test/a", "application/json", "password=MismatchPw12345&qty=77", 1),
        _post("https://a.test/b", "application/x-www-form-urlencoded", '{"token":"MismatchTok98765"}', 2),
        _post("https://a.test/c", "text/plain", "note=short&pass=abc", 3),
    ]
    path = write_har(har_doc(entries))
    scenario = parse_har(path)
    bodies = [(r.body.kind, r.body.text, r.body.content_type) for r in _requests(scenario) if r.body]
    assert bodies == [
        ("raw", "username=alice&password=${password}", "text/plain;charset=UTF-8"),
        ("raw", "password=${password}&qty=77", "application/json"),
        ("raw", '{"token":"${token}"}', "application/x-www-form-urlencoded"),  # sent as its text
        ("raw", "note=short&pass=${pass}", "text/plain"),  # a short value, where it is named
    ]
    assert not [d for d in scenario.diagnostics if d.code == "HAR021"]
    text = _outputs(path, tmp_path)
    for value in ("PlainTextPw12345", "MismatchPw12345", "MismatchTok98765", "pass=abc"):
        assert value not in text


def test_text_bodies_that_are_no_form_are_left_alone(write_har) -> None:
    entries = [
        _post("https://a.test/t", "text/plain", "password reset for alice: x=1"),
        _post("https://a.test/u", "text/plain", "hello world", 1),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [r.body.text for r in _requests(scenario) if r.body] == [
        "password reset for alice: x=1",
        "hello world",
    ]
    assert scenario.variables == []


def test_the_final_check_sees_a_password_in_a_text_plain_form(write_har, monkeypatch) -> None:
    from converter.parsers.har import secrets

    kept = parse_har(
        write_har(har_doc([_post("https://a.test/l", "text/plain", "user=a&password=PlainTextPw12345")])),
        HarOptions(keep_secrets=True),
    )
    assert [d.message for d in kept.diagnostics if d.code == "HAR005"] == [
        "recorded credentials are written into the plan: form field password"
    ]
    # a scrubber that knows no spelling stands for any spelling it does not know
    monkeypatch.setattr(secrets.SecretBook, "scrub", lambda self, text: text)
    scenario = parse_har(
        write_har(har_doc([_post("https://a.test/l", "text/plain", "user=a&password=PlainTextPw12345")]))
    )
    assert [d.message for d in scenario.diagnostics if d.code == "HAR021"] == [
        "recorded credentials could not be replaced: form field password"
    ]


# ---- 2. ordinary fields called "code" are no OAuth authorization codes ---------------------------------

CODE = "6b1f0c3e-27aa-4c1e-9f5e.8d2b7a10-4c3b-4d6e-a1f0"
STATE = "St4te9f8e7d6c5b4a3"


def _json_post(url: str, data: Any, start: float) -> dict[str, Any]:
    return _post(url, "application/json", json.dumps(data), start)


def test_codes_of_ordinary_apis_are_sent_as_recorded(write_har) -> None:
    entries = [
        _json_post(
            "https://shop.test/api/giftcard/redeem",
            {"code": "GIFT-ABCD-EFGH-IJKL", "state": "x9k2Lq8Zr4TbW"},
            0,
        ),
        har_entry("https://shop.test/api/regions?code=US-CALIFORNIA-NORTH&state=California2", start=ts(1)),
        har_entry(
            "https://shop.test/api/warehouses?code=WAREHOUSE-EAST-0001&state=NY-region-07", start=ts(2)
        ),
        _post(
            "https://shop.test/api/address",
            "application/x-www-form-urlencoded",
            "code=DISCOUNTCODEABCDEFG&state=shipping_pending",
            3,
        ),
        _json_post(
            "https://shop.test/api/err",
            {"error": {"code": "INVALID_ARGUMENT_XYZ", "state": "FAILED_PRECONDITION"}},
            4,
        ),
        _json_post(
            "https://shop.test/api/coupons",
            {
                "items": [
                    {"code": "COUPON-SUMMER-2025-X", "state": "ACTIVE_PENDING"},
                    {"code": "COUPON-WINTER-2025-Y"},
                ]
            },
            5,
        ),
        # a random state, but neither at a callback nor next to what only OpenID providers add
        har_entry(f"https://shop.test/api/lookup?code={CODE}&state={STATE}", start=ts(6)),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    requests = _requests(scenario)
    assert [r.url for r in requests] == [e["request"]["url"] for e in entries]
    assert [r.body.text if r.body and r.body.kind == "raw" else None for r in requests][4] == json.dumps(
        {"error": {"code": "INVALID_ARGUMENT_XYZ", "state": "FAILED_PRECONDITION"}}
    )
    assert "GIFT-ABCD-EFGH-IJKL" in requests[0].body.text and "COUPON-WINTER-2025-Y" in requests[5].body.text
    assert {f.name: f.value for f in requests[3].body.fields}["code"] == "DISCOUNTCODEABCDEFG"
    assert scenario.variables == []
    assert not [d for d in scenario.diagnostics if d.code in ("HAR004", "HAR021", "HAR043")]


def test_a_code_at_a_callback_with_a_random_state_is_an_authorization_code(write_har) -> None:
    entries = [
        # at a path named like a callback
        har_entry(f"https://app.test/auth/callback?code={CODE}&state={STATE}", start=ts(0)),
        # at the redirect_uri an authorize request named, whatever its path
        har_entry(
            "https://idp.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Freturn",
            start=ts(1),
        ),
        har_entry(f"https://app.test/return?code={CODE}x&state={STATE}", start=ts(2)),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    urls = [r.url for r in _requests(scenario)]
    assert urls[0] == f"https://app.test/auth/callback?code=${{oauth_code}}&state={STATE}"
    assert urls[2] == f"https://app.test/return?code=${{oauth_code}}&state={STATE}"
    assert [d.code for d in scenario.diagnostics if d.code in ("HAR021", "HAR043")] == ["HAR043"]


# ---- 4. a short code, or one without state, at the redirect_uri an authorize request named ------------


def test_a_short_code_without_state_at_the_named_redirect_uri_is_an_authorization_code(
    write_har, tmp_path: Path
) -> None:
    authorize = har_entry(
        "https://idp.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb",
        start=ts(0),
    )
    authorize["response"]["status"] = 302
    authorize["response"]["headers"] = [{"name": "Location", "value": "https://app.test/cb?code=Spl4xQ"}]
    callback = har_entry("https://app.test/cb?code=Spl4xQ", start=ts(5))  # not the automatic follow-up
    path = write_har(har_doc([authorize, callback]))
    scenario = parse_har(path)
    urls = [r.url for r in _requests(scenario)]
    assert urls[1:] == ["https://app.test/cb?code=${oauth_code}"]
    (warning,) = [d for d in scenario.diagnostics if d.code == "HAR043"]
    assert warning.message.endswith("har:entries[0] (Location query field code)")
    assert "cb?code=Spl4xQ" not in _outputs(path, tmp_path)


# ---- 3. a browser-made redirect sent to its target (HAR036) --------------------------------------------

JWT_IN_PATH = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz"


def _browser_redirect(url: str, target: str, start: float, headers: list[tuple[str, str]]) -> dict[str, Any]:
    entry = har_entry(url, start=ts(start), status=307, headers=headers)
    entry["response"]["headers"] = [
        {"name": "Location", "value": target},
        {"name": "Non-Authoritative-Reason", "value": "Delegate"},
    ]
    return entry


def test_a_browser_made_redirect_to_another_host_goes_without_the_hops_cookie_and_authorization(
    write_har, tmp_path: Path
) -> None:
    credentials = [
        ("Cookie", "sid=ASessionVal12345"),
        ("Authorization", "Bearer HopTok3n98765"),
        ("X-Api-Key", "K3yValue123456"),
    ]
    entries = [
        _browser_redirect("http://a.test/x", "https://b.test/y", 0, credentials),
        _browser_redirect("http://a.test/z", "https://a.test/z", 1, credentials[:1]),  # the same host
        _browser_redirect("http://a.test/p", "https://user:Us3rPassw0rd@a.test/p", 2, []),
        _browser_redirect("http://a.test/j", f"https://b.test/reset/{JWT_IN_PATH}", 3, []),
    ]
    path = write_har(har_doc(entries))
    scenario = parse_har(path)
    sent = [(r.url, [(h.name, h.value) for h in r.headers]) for r in _requests(scenario)]
    assert sent == [
        ("https://b.test/y", [("X-Api-Key", "${x_api_key}")]),  # Fetch keeps the page's own headers
        ("https://a.test/z", [("Cookie", "sid=${cookie_sid}")]),
        ("https://user:${url_password}@a.test/p", []),
        ("https://b.test/reset/${jwt}", []),
    ]
    moved = [d for d in scenario.diagnostics if d.code == "HAR036"]
    assert moved[0].action.startswith(
        "sent to https://b.test/y with the recorded method, headers and body, as the browser sent it, but "
        "without its Cookie and Authorization headers (to another host, the browser sends that host's own "
        "cookies, which the recording does not have, and no Authorization)"
    )
    assert "without" not in moved[1].action
    assert not [d for d in scenario.diagnostics if d.code == "HAR021"]
    text = _outputs(path, tmp_path)
    for value in ("Us3rPassw0rd", JWT_IN_PATH, "ASessionVal12345", "HopTok3n98765"):
        assert value not in text
