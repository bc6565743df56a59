"""OAuth 2.0 / OpenID Connect and SAML logins: the authorization code, the PKCE verifier and the SAML response
are recognised by their context (not every field called ``code``), replaced by variables, and reported as
values a replay cannot reuse; every recorded value of the flow stays out of every output byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from converter.model import Request, Scenario
from converter.parsers.har import HarOptions, parse_har
from converter.parsers.har.issued import Issued, issued_by_server
from converter.parsers.har.oauth import (
    AT_CALLBACK,
    AUTHORIZATION_CODE,
    CODE_VERIFIER,
    SAML_RESPONSE,
    single_use_fields,
)
from tests.conftest import har_doc, har_entry, run_cli, ts

APP, IDP, API = "https://app.example", "https://idp.example/realms/demo", "https://api.example"
CODE = "6b1f0c3e-27aa-4c1e-9f5e.8d2b7a10-4c3b-4d6e-a1f0.0d9e8c7b-6a5f"  # a Keycloak-like code
STATE = "St4te9f8e7d6c5b4a3"
NONCE = "N0nce1a2b3c4d5e6f7"
SESSION_STATE = "5e55a0b1-c2d3-4e4f-8a9b-0c1d2e3f4a5b"
VERIFIER = "Verif1erR4ndomLongEnough43charsXXXXXXXXXXXX"
CHALLENGE = "Ch4llengeS256HashOfTheVerifierXXXXXXXXXXXX"
PASSWORD = "Pw0rdAlice99"
ACCESS = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlQWNjZXNz"
REFRESH = "Refr3shT0kenOpaque0123456789"
ACCESS_2 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6Mn0.c2lnbmF0dXJlQWNjMjI"
SAML = "PHNhbWxwOlJlc3BvbnNlIElEPSJfYWJjMTIzIj48L3NhbWxwOlJlc3BvbnNlPg+/="


def _requests(scenario: Scenario) -> list[Request]:
    return [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]


def _form(url: str, text: str, start: float, **extra: Any) -> dict[str, Any]:
    post = {"mimeType": "application/x-www-form-urlencoded", "text": text}
    return har_entry(url, method="POST", start=ts(start), post=post, **extra)


def _json_response(entry: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    entry["response"]["content"] = {"mimeType": "application/json", "text": json.dumps(data)}
    return entry


def _redirect(entry: dict[str, Any], location: str, status: int = 302) -> dict[str, Any]:
    entry["response"]["status"] = status
    entry["response"]["headers"] = [{"name": "Location", "value": location}]
    return entry


def _callback_query(code: str = CODE) -> str:
    return f"state={STATE}&session_state={SESSION_STATE}&code={code}"


def _flow() -> list[dict[str, Any]]:
    """A recorded Keycloak login of a single-page app (authorization code with PKCE), then API calls."""
    authorize = (
        f"{IDP}/protocol/openid-connect/auth?client_id=app&redirect_uri={quote(APP + '/callback', safe='')}"
        f"&response_type=code&scope=openid&state={STATE}&nonce={NONCE}&code_challenge={CHALLENGE}"
        "&code_challenge_method=S256"
    )
    login = _form(f"{IDP}/login-actions/authenticate", f"username=alice&password={PASSWORD}", 2)
    token_form = (
        f"grant_type=authorization_code&code={quote(CODE)}&code_verifier={VERIFIER}"
        f"&redirect_uri={quote(APP + '/callback', safe='')}&client_id=app"
    )
    tokens = {"access_token": ACCESS, "refresh_token": REFRESH, "token_type": "Bearer"}
    refreshed = {"access_token": ACCESS_2, "refresh_token": REFRESH, "token_type": "Bearer"}
    return [
        har_entry(f"{APP}/", start=ts(0)),
        har_entry(authorize, start=ts(1)),
        _redirect(login, f"{APP}/callback?{_callback_query()}"),
        har_entry(f"{APP}/callback?{_callback_query()}", start=ts(2.1)),  # followed: folded into the login
        _json_response(_form(f"{IDP}/protocol/openid-connect/token", token_form, 3), tokens),
        har_entry(f"{API}/me", start=ts(4), headers=[("Authorization", f"Bearer {ACCESS}")]),
        _json_response(
            _form(
                f"{IDP}/protocol/openid-connect/token",
                f"grant_type=refresh_token&refresh_token={REFRESH}&client_id=app",
                5,
            ),
            refreshed,
        ),
        har_entry(f"{API}/orders", start=ts(6), headers=[("Authorization", f"Bearer {ACCESS_2}")]),
    ]


def _outputs(path: Path, tmp_path: Path, *options: str) -> str:
    """Plan, report and console output of the CLI, as one text."""
    plan, report = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("har", str(path), "--dry-run", "-o", str(plan), "--report", str(report), *options)
    assert result.exit_code == 0, result.output
    return plan.read_text() + report.read_text() + result.stdout + result.stderr


def test_recognised_only_where_oauth_and_saml_put_them() -> None:
    # a random state makes a code an authorization code only at a callback (re-audit: a regions query,
    # ?code=US-CALIFORNIA-NORTH&state=California2, was taken for one)
    assert single_use_fields([("code", CODE), ("state", STATE)], AT_CALLBACK) == {"code": AUTHORIZATION_CODE}
    assert single_use_fields([("code", CODE), ("state", STATE)]) == {}
    assert single_use_fields([("code", CODE), ("iss", IDP)]) == {"code": AUTHORIZATION_CODE}
    assert single_use_fields([("code", CODE), ("session_state", SESSION_STATE)]) == {
        "code": AUTHORIZATION_CODE
    }
    assert single_use_fields([("code", CODE), ("state", "applied")], AT_CALLBACK) == {}  # a word: no state
    assert single_use_fields([("code", CODE), ("iss", "acme")]) == {}
    assert single_use_fields(
        [("code", "short"), ("grant_type", "authorization_code"), ("code_verifier", "v")]
    ) == {
        "code": AUTHORIZATION_CODE,
        "code_verifier": CODE_VERIFIER,
    }
    assert single_use_fields([("SAMLResponse", SAML), ("RelayState", "/home")]) == {
        "SAMLResponse": SAML_RESPONSE
    }
    assert single_use_fields([("code", "FR")]) == {}
    assert single_use_fields([("code", CODE)]) == {}  # no state: any form's code
    assert single_use_fields([("code", "FR"), ("state", "CA")]) == {}  # a country and a US state
    assert single_use_fields([("code", "94105123456789012"), ("state", "CA")]) == {}  # a number
    assert single_use_fields([("code", "SUMMERSALE2024"), ("state", STATE)], AT_CALLBACK) == {}  # too short
    assert single_use_fields([("code", CODE), ("grant_type", "client_credentials"), ("state", STATE)]) == {}


def test_a_code_in_a_location_query_or_fragment_was_handed_out_by_the_server() -> None:
    def redirect(location: str) -> dict[str, Any]:
        return {"status": 302, "headers": [{"name": "Location", "value": location}], "content": {}}

    responses = [
        (0, redirect(f"{APP}/callback?{_callback_query()}")),
        (1, redirect(f"{APP}/spa#state={STATE}&code={quote(VERIFIER)}")),
        (2, {"status": 302, "redirectURL": f"{APP}/cb?code={REFRESH}&state={STATE}", "headers": []}),
    ]
    found = issued_by_server(
        responses, {CODE: 3, VERIFIER: 3, REFRESH: 3, "short": 3}, {i: i for i in range(4)}
    )
    assert found == {
        CODE: Issued(0, "Location query field code", sent_by=3),
        VERIFIER: Issued(1, "Location fragment field code", sent_by=3),
        REFRESH: Issued(2, "Location query field code", sent_by=3),  # a redirectURL without the header
    }


def test_a_login_flow_gives_the_diagnostics_a_user_needs_once_each(write_har) -> None:
    scenario = parse_har(write_har(har_doc(_flow())))
    requests = {r.source.source: r for r in _requests(scenario) if r.source is not None}
    assert sorted(requests) == [f"har:entries[{i}]" for i in (0, 1, 2, 4, 5, 6, 7)]  # the callback is folded
    token = requests["har:entries[4]"]
    assert token.body is not None
    assert {f.name: f.value for f in token.body.fields} == {
        "grant_type": "authorization_code",
        "code": "${oauth_code}",
        "code_verifier": "${code_verifier}",
        "redirect_uri": f"{APP}/callback",
        "client_id": "app",
    }
    # state, nonce and the PKCE challenge are the client's own values, not credentials: sent as recorded
    assert f"state={STATE}&nonce={NONCE}&code_challenge={CHALLENGE}" in requests["har:entries[1]"].url
    found = sorted(
        (d.code, d.location.source if d.location else None, d.message)
        for d in scenario.diagnostics
        if d.code in ("HAR004", "HAR021", "HAR032", "HAR043")
    )
    assert [(code, source) for code, source, _ in found] == [
        ("HAR004", "har:entries[2]"),  # password
        ("HAR004", "har:entries[4]"),  # code_verifier
        ("HAR004", "har:entries[4]"),  # the code, at the first request of the plan that sends it (not the
        # folded callback, which sent it first in the recording)
        ("HAR004", "har:entries[5]"),  # Authorization (2 recorded values)
        ("HAR004", "har:entries[6]"),  # refresh_token
        ("HAR032", "har:entries[5]"),  # the access token, from the token response
        ("HAR032", "har:entries[6]"),  # the refresh token, from the token response
        ("HAR043", "har:entries[4]"),  # the code, at the first request of the plan that sends it
    ]
    messages = {code + (source or ""): message for code, source, message in found}
    assert messages["HAR043har:entries[4]"] == (
        "${oauth_code}: a recorded OAuth authorization code, handed out in the response to har:entries[2] "
        "(Location query field code)"
    )
    assert [
        message for code, source, message in found if source == "har:entries[4]" and code == "HAR004"
    ] == [  # where the token request sends them (the callback, folded, had the code in its query)
        "form field code (OAuth authorization code) -> ${oauth_code}",
        "form field code_verifier (PKCE code verifier) -> ${code_verifier}",
    ]
    assert messages["HAR032har:entries[5]"].startswith("${authorization}: ")
    assert "response to har:entries[4] (response body)" in messages["HAR032har:entries[5]"]
    verifier = next(d for d in scenario.diagnostics if d.code == "HAR004" and "code_verifier" in d.message)
    assert "code_challenge" in verifier.hint
    code = next(d for d in scenario.diagnostics if d.code == "HAR004" and "oauth_code" in d.message)
    assert code.hint.endswith("extract it in PerfTest rather than fill it (HAR043)")
    warning = next(d for d in scenario.diagnostics if d.code == "HAR043")
    assert "har:entries[2]" in warning.hint and "[?&]code=" in warning.hint
    assert {v.name for v in scenario.variables} == {
        "authorization",
        "code_verifier",
        "oauth_code",
        "password",
        "refresh_token",
    }
    ledger = {row.source: row.status for row in scenario.ledger}
    assert ledger["har:entries[4]"] == "approximated" and ledger["har:entries[3]"] == "filtered"


def test_no_recorded_value_of_the_flow_in_any_output_byte(write_har, tmp_path: Path) -> None:
    path = write_har(har_doc(_flow()))
    text = _outputs(path, tmp_path)
    for value in (CODE, quote(CODE), VERIFIER, PASSWORD, ACCESS, ACCESS_2, REFRESH, SESSION_STATE):
        assert value not in text, value
    assert STATE in text and NONCE in text  # decided: not credentials
    kept = _outputs(path, tmp_path, "--keep-secrets")
    assert quote(CODE) in kept and VERIFIER in kept
    report = json.loads((tmp_path / "report.json").read_text())
    codes = [d["code"] for d in report["diagnostics"]]
    assert codes.count("HAR043") == 1 and "HAR005" in codes and "HAR032" not in codes
    warning = next(d for d in report["diagnostics"] if d["code"] == "HAR043")
    assert warning["location"]["source"] == "har:entries[4]"
    assert warning["message"] == "kept as recorded (--keep-secrets): a recorded OAuth authorization code"


def test_a_callback_the_plan_sends_is_warned_at_with_the_token_request(write_har, tmp_path: Path) -> None:
    """The callback starts long after the 302 (not its automatic follow-up): the plan sends it, with the code."""
    entries = _flow()
    entries[3]["startedDateTime"] = ts(3.2)
    entries[4]["startedDateTime"] = ts(3.5)
    path = write_har(har_doc(entries))
    scenario = parse_har(path)
    callback = next(r for r in _requests(scenario) if r.url.startswith(f"{APP}/callback"))
    assert (
        callback.url == f"{APP}/callback?state={STATE}&session_state=${{session_state}}&code=${{oauth_code}}"
    )
    warnings = [d for d in scenario.diagnostics if d.code == "HAR043"]
    assert [(d.location.source if d.location else None) for d in warnings] == ["har:entries[3]"]
    assert warnings[0].message.endswith("(Location query field code); also sent by har:entries[4]")
    assert CODE not in _outputs(path, tmp_path)  # nor in the HAR018 message that names the 302's target
    open_redirect = next(d for d in scenario.diagnostics if d.code == "HAR018")
    assert "code=${oauth_code}" in open_redirect.message


def test_a_code_only_in_a_location_is_not_written_into_messages(write_har, tmp_path: Path) -> None:
    """The callback was not recorded (another host, left out): the 302's message names its target."""
    login = _redirect(
        har_entry(f"{IDP}/auth?client_id=app", start=ts(0)), f"{APP}/cb?code={CODE}&state={STATE}"
    )
    path = write_har(har_doc([login, har_entry(f"{APP}/cb?code={CODE}&state={STATE}", start=ts(0.1))]))
    text = _outputs(path, tmp_path, "--exclude-host", "app.example")
    assert "HAR018" in text and CODE not in text
    assert (
        "HAR043" not in text
    )  # the plan never sends it: PerfTest follows the redirect and gets a fresh code


def test_fields_called_code_elsewhere_are_sent_as_recorded(write_har) -> None:
    entries = [
        har_entry("https://shop.test/countries?code=FR", start=ts(0)),
        har_entry(f"https://shop.test/lookup?code={CODE}", start=ts(1)),  # a code without state
        har_entry("https://shop.test/zip?code=94105&state=CA", start=ts(2)),
        _form("https://shop.test/cart/promo", "code=SUMMERSALE2024&state=open", 3),
        _form("https://shop.test/address", "city=SF&code=94105123456789012&state=CA", 4),
        har_entry(
            "https://shop.test/api/promo",
            method="POST",
            start=ts(5),
            post={"mimeType": "application/json", "text": '{"code": "WELCOME-2024-XYZ", "state": "applied"}'},
        ),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    sent = [(r.url, r.body) for r in _requests(scenario)]
    assert [url for url, _ in sent[:3]] == [e["request"]["url"] for e in entries[:3]]
    assert sent[3][1] is not None and {f.name: f.value for f in sent[3][1].fields}["code"] == "SUMMERSALE2024"
    assert (
        sent[4][1] is not None and {f.name: f.value for f in sent[4][1].fields}["code"] == "94105123456789012"
    )
    assert sent[5][1] is not None and "WELCOME-2024-XYZ" in sent[5][1].text
    assert scenario.variables == []
    assert not [d for d in scenario.diagnostics if d.code in ("HAR004", "HAR021", "HAR043")]


def test_a_form_post_callback_and_a_json_token_request(write_har, tmp_path: Path) -> None:
    """response_mode=form_post: the provider's page posts code and state to the callback; the app then sends
    the code to its backend as JSON with its PKCE verifier."""
    page = har_entry(f"{IDP}/auth?client_id=app&response_mode=form_post", start=ts(0))
    page["response"]["content"] = {
        "mimeType": "text/html",
        "text": f'<form method="post"><input name="code" value="{CODE}"><input name="state" value="{STATE}">',
    }
    callback = _form(f"{APP}/callback", f"code={quote(CODE)}&state={STATE}", 1)
    exchange = har_entry(
        f"{APP}/api/session",
        method="POST",
        start=ts(2),
        post={"mimeType": "application/json", "text": json.dumps({"code": CODE, "code_verifier": VERIFIER})},
    )
    path = write_har(har_doc([page, callback, exchange]))
    scenario = parse_har(path)
    bodies = [r.body for r in _requests(scenario)]
    assert bodies[1] is not None and {f.name: f.value for f in bodies[1].fields}["code"] == "${oauth_code}"
    assert bodies[2] is not None and json.loads(bodies[2].text) == {
        "code": "${oauth_code}",
        "code_verifier": "${code_verifier}",
    }
    (warning,) = [d for d in scenario.diagnostics if d.code == "HAR043"]
    assert warning.location is not None and warning.location.source == "har:entries[1]"
    assert warning.message.endswith("har:entries[0] (response body); also sent by har:entries[2]")
    assert (
        'the page that posts it) with a regular expression such as name="code" value="([^"]+)"'
        in warning.hint
    )
    text = _outputs(path, tmp_path)
    assert CODE not in text and VERIFIER not in text


def test_a_saml_response_is_replaced_and_reported(write_har, tmp_path: Path) -> None:
    page = har_entry("https://idp.example/sso/saml", start=ts(0))
    page["response"]["content"] = {
        "mimeType": "text/html; charset=utf-8",
        "text": f'<form action="{APP}/saml/acs"><input type="hidden" name="SAMLResponse" value="{SAML}"/>'
        '<input type="hidden" name="RelayState" value="/home"/></form>',
    }
    acs = _form(f"{APP}/saml/acs", f"SAMLResponse={quote(SAML, safe='')}&RelayState=%2Fhome", 1)
    path = write_har(har_doc([page, acs]))
    scenario = parse_har(path)
    body = _requests(scenario)[1].body
    assert body is not None
    assert [(f.name, f.value) for f in body.fields] == [
        ("SAMLResponse", "${saml_response}"),
        ("RelayState", "/home"),
    ]
    found = [(d.code, d.location.source if d.location else None) for d in scenario.diagnostics]
    assert ("HAR044", "har:entries[1]") in found and ("HAR004", "har:entries[1]") in found
    assert not [code for code, _ in found if code in ("HAR032", "HAR021")]  # said once, by HAR044
    (warning,) = [d for d in scenario.diagnostics if d.code == "HAR044"]
    assert (
        warning.message
        == "${saml_response}: a recorded SAML response, handed out in the response to har:entries[0] (response body)"
    )
    assert "SAMLResponse" in warning.hint
    (variable,) = [d for d in scenario.diagnostics if d.code == "HAR004"]
    assert variable.message == "form field SAMLResponse (SAML response) -> ${saml_response}"
    assert variable.hint.endswith("(HAR044)")
    text = _outputs(path, tmp_path)
    assert SAML not in text and quote(SAML, safe="") not in text
    kept = parse_har(path, HarOptions(keep_secrets=True))
    assert [d.code for d in kept.diagnostics if d.code == "HAR044"] == ["HAR044"]


def test_a_token_request_sent_as_multipart_text(write_har, tmp_path: Path) -> None:
    boundary = "----WebKitFormBoundaryOauth1"
    fields = [("grant_type", "authorization_code"), ("code", "shortC0de"), ("code_verifier", VERIFIER)]
    body = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields
    )
    post = {"mimeType": f"multipart/form-data; boundary={boundary}", "text": body + f"--{boundary}--\r\n"}
    path = write_har(har_doc([har_entry(f"{IDP}/token", method="POST", post=post)]))
    scenario = parse_har(path)
    body = _requests(scenario)[0].body
    assert body is not None
    assert [(p.name, p.value) for p in body.parts] == [
        ("grant_type", "authorization_code"),
        ("code", "${oauth_code}"),  # short, but a token request's code: replaced where it is named
        ("code_verifier", "${code_verifier}"),
    ]
    assert [d.code for d in scenario.diagnostics if d.code in ("HAR021", "HAR043")] == ["HAR043"]
    text = _outputs(path, tmp_path)
    assert "shortC0de" not in text and VERIFIER not in text


def test_a_referer_that_names_the_callback_is_scrubbed_but_not_warned_at(write_har, tmp_path: Path) -> None:
    """After the callback, same-origin requests carry its full URL, code included, as their Referer."""
    config = har_entry(
        f"{APP}/api/config", start=ts(2.5), headers=[("Referer", f"{APP}/callback?{_callback_query()}")]
    )
    path = write_har(har_doc([*_flow(), config]))
    scenario = parse_har(path)
    sent = next(r for r in _requests(scenario) if r.url == f"{APP}/api/config")
    assert (
        sent.headers[0].value
        == f"{APP}/callback?state={STATE}&session_state=${{session_state}}&code=${{oauth_code}}"
    )
    (warning,) = [d for d in scenario.diagnostics if d.code == "HAR043"]
    assert warning.location is not None and warning.location.source == "har:entries[4]"
    assert "also sent by" not in warning.message
    assert CODE not in _outputs(path, tmp_path)


def test_a_code_sent_only_in_a_referer_is_redacted_but_not_redeemed(write_har, tmp_path: Path) -> None:
    """The callback request was not converted (here: excluded), so the only request of the plan that carries
    the code is a later one whose Referer names the callback: a Referer redeems nothing, so no HAR043, and
    HAR004's hint does not send the user to it; the code is a variable all the same, in every output."""
    login = _redirect(_form(f"{IDP}/login-actions/authenticate", f"password={PASSWORD}", 2), _callback())
    config = har_entry(f"{APP}/api/config", start=ts(3), headers=[("Referer", _callback())])
    path = write_har(har_doc([login, har_entry(_callback(), start=ts(2.1)), config]))
    scenario = parse_har(path, HarOptions(exclude_urls=["/callback"]))
    sent = next(r for r in _requests(scenario) if r.url == f"{APP}/api/config")
    assert sent.headers[0].value.endswith("&code=${oauth_code}")
    assert [d.code for d in scenario.diagnostics if d.code in ("HAR032", "HAR043")] == [
        "HAR032"
    ]  # state only
    (noted,) = [d for d in scenario.diagnostics if d.code == "HAR004" and "oauth_code" in d.message]
    assert noted.message == "query field code (OAuth authorization code) in header Referer -> ${oauth_code}"
    assert "HAR043 does not apply" in noted.hint and "extract" not in noted.hint
    assert CODE not in _outputs(path, tmp_path, "--exclude-url", "/callback")
    kept = parse_har(path, HarOptions(exclude_urls=["/callback"], keep_secrets=True))
    assert [d.code for d in kept.diagnostics if d.code == "HAR043"] == []


def test_a_code_sent_in_a_url_and_in_a_referer_is_warned_at_where_it_is_redeemed(write_har) -> None:
    login = _redirect(_form(f"{IDP}/login-actions/authenticate", f"password={PASSWORD}", 2), _callback())
    config = har_entry(f"{APP}/api/config", start=ts(2.5), headers=[("Referer", _callback())])
    path = write_har(har_doc([login, config, har_entry(_callback(), start=ts(4))]))  # (not the follow-up)
    scenario = parse_har(path)
    (warning,) = [d for d in scenario.diagnostics if d.code == "HAR043"]
    assert warning.location is not None and warning.location.source == "har:entries[2]"
    (noted,) = [d for d in scenario.diagnostics if d.code == "HAR004" and "oauth_code" in d.message]
    assert noted.location is not None and noted.location.source == "har:entries[1]"  # the Referer comes first
    assert noted.hint.endswith("extract it in PerfTest rather than fill it (HAR043)")


def _callback() -> str:
    return f"{APP}/callback?{_callback_query()}"


def test_a_token_in_a_redirect_fragment_was_handed_out_by_the_server(write_har) -> None:
    """The implicit flow: the access token comes in the fragment of the provider's redirect."""
    authorize = _redirect(
        har_entry(f"{IDP}/auth?response_type=token&client_id=app", start=ts(0)),
        f"{APP}/cb#access_token={ACCESS}&token_type=Bearer&state={STATE}",
    )
    api = har_entry(f"{API}/me", start=ts(1), headers=[("Authorization", f"Bearer {ACCESS}")])
    scenario = parse_har(write_har(har_doc([authorize, har_entry(f"{APP}/cb", start=ts(0.1)), api])))
    (issued,) = [d for d in scenario.diagnostics if d.code == "HAR032"]
    assert issued.location is not None and issued.location.source == "har:entries[2]"
    assert issued.message.endswith("har:entries[0] (Location fragment field access_token)")


def test_a_code_handed_out_by_a_folded_redirect_names_the_request_it_is_folded_into(write_har) -> None:
    """The login's 302 goes to the provider's resume URL, whose 302 carries the code to the callback: both hops
    after the login are folded into it, so HAR043 says the code's response is folded into the login request."""
    login = _redirect(_form(f"{IDP}/login-actions/authenticate", f"password={PASSWORD}", 2), f"{IDP}/resume")
    resume = _redirect(har_entry(f"{IDP}/resume", start=ts(2.05)), f"{APP}/callback?{_callback_query()}")
    token = _form(f"{IDP}/protocol/openid-connect/token", f"grant_type=authorization_code&code={CODE}", 3)
    entries = [login, resume, har_entry(f"{APP}/callback?{_callback_query()}", start=ts(2.1)), token]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [r.source.source for r in _requests(scenario) if r.source] == ["har:entries[0]", "har:entries[3]"]
    [warning] = [d for d in scenario.diagnostics if d.code == "HAR043"]
    assert warning.location is not None and warning.location.source == "har:entries[3]"
    assert warning.message == (
        "${oauth_code}: a recorded OAuth authorization code, handed out in the response to har:entries[1] "
        "(Location query field code; that request is folded into har:entries[0])"
    )
    # the hint sends the user to the request of the plan whose redirects carry the code
    assert warning.hint.startswith(
        "in PerfTest, extract the code from the redirects of har:entries[0] (its Location header, or the URL "
        "its redirect ends at)"
    )


# ---- the device authorization grant (RFC 8628) and WS-Federation -------------------------------------------------
DEVICE_CODE = "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS"  # RFC 8628's example
USER_CODE = "WDJB-MJHT"
DEVICE_GRANT = quote("urn:ietf:params:oauth:grant-type:device_code", safe="")
RSTR = (
    '<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust"><t:RequestedSecurityToken>'
    '<saml:Assertion AssertionID="_a1b2c3d4e5">S1gnedAssertionValue</saml:Assertion></t:RequestedSecurityToken>'
    "</t:RequestSecurityTokenResponse>"
)


def test_device_and_user_codes_and_wresult_are_recognised_by_their_context() -> None:
    grant = "urn:ietf:params:oauth:grant-type:device_code"
    assert single_use_fields([("grant_type", grant), ("device_code", DEVICE_CODE)]) == {
        "device_code": "OAuth device code"
    }
    assert single_use_fields([("device_code", "iPhone12,1")]) == {}  # no device grant: a device model
    assert single_use_fields([("user_code", USER_CODE)]) == {"user_code": "OAuth user code"}
    assert single_use_fields([("user_code", "019-450-730")]) == {"user_code": "OAuth user code"}
    assert single_use_fields([("user_code", "42")]) == {}  # too short for one
    assert single_use_fields([("user_code", "a user's own code!")]) == {}  # not a typed code's shape
    assert single_use_fields([("wa", "wsignin1.0"), ("wresult", RSTR)]) == {"wresult": "WS-Federation token"}


def _device_flow() -> list[dict[str, Any]]:
    """A device signs in (RFC 8628): its authorization request, a person entering the user code, two polls."""
    authorize = _json_response(
        _form(f"{IDP}/device_authorization", "client_id=tv&scope=openid", 0),
        {
            "device_code": DEVICE_CODE,
            "user_code": USER_CODE,
            "verification_uri": f"{IDP}/device",
            "interval": 5,
        },
    )
    token_form = f"grant_type={DEVICE_GRANT}&device_code={DEVICE_CODE}&client_id=tv"
    return [
        authorize,
        _form(f"{IDP}/token", token_form, 5),  # authorization_pending
        _form(f"{IDP}/device", f"user_code={USER_CODE}&approve=yes", 8),
        _json_response(
            _form(f"{IDP}/token", token_form, 10), {"access_token": ACCESS, "token_type": "Bearer"}
        ),
    ]


def test_a_device_sign_in_sends_its_codes_as_variables_and_says_they_fail(write_har, tmp_path: Path) -> None:
    path = write_har(har_doc(_device_flow()))
    scenario = parse_har(path)
    fields = [[(f.name, f.value) for f in r.body.fields] for r in _requests(scenario) if r.body]
    assert fields[1] == [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("device_code", "${device_code}"),
        ("client_id", "tv"),
    ]
    assert fields[2] == [("user_code", "${user_code}"), ("approve", "yes")]
    assert {v.name for v in scenario.variables} == {"device_code", "user_code"}
    warnings = [d for d in scenario.diagnostics if d.code == "HAR047"]
    assert [(d.location.source if d.location else "", d.severity, d.message) for d in warnings] == [
        (
            "har:entries[1]",
            "warning",
            "${device_code}: a recorded OAuth device code, handed out in the response to har:entries[0] "
            "(response body); also sent by har:entries[3]",
        ),
        ("har:entries[2]", "warning", "${user_code}: a recorded OAuth user code"),
    ]
    assert "approved once by a person" in warnings[0].action
    assert "extract device_code from the response to har:entries[0]" in warnings[0].hint
    noted = [d.hint for d in scenario.diagnostics if d.code == "HAR004"]
    assert (
        noted == ["a recorded value fails on replay: extract it in PerfTest rather than fill it (HAR047)"] * 2
    )
    assert not [d for d in scenario.diagnostics if d.code in ("HAR021", "HAR032")]
    text = _outputs(path, tmp_path)
    assert DEVICE_CODE not in text and USER_CODE not in text


def test_a_ws_federation_sign_in_sends_its_token_as_a_variable_and_says_it_fails(
    write_har, tmp_path: Path
) -> None:
    """WS-Federation posts the identity provider's signed token to the relying party as wresult, as SAML posts
    SAMLResponse: accepted once, for minutes."""
    posted = _form(f"{APP}/", f"wa=wsignin1.0&wresult={quote(RSTR, safe='')}&wctx=rm%3D0", 1)
    path = write_har(har_doc([posted]))
    scenario = parse_har(path)
    [request] = _requests(scenario)
    assert request.body is not None
    assert [(f.name, f.value) for f in request.body.fields] == [
        ("wa", "wsignin1.0"),
        ("wresult", "${wsfed_token}"),
        ("wctx", "rm=0"),
    ]
    [warning] = [d for d in scenario.diagnostics if d.code == "HAR048"]
    assert (warning.severity, warning.message) == (
        "warning",
        "${wsfed_token}: a recorded WS-Federation token (wresult)",
    )
    assert 'name="wresult" value="([^"]+)"' in warning.hint
    [noted] = [d for d in scenario.diagnostics if d.code == "HAR004"]
    assert noted.message == "form field wresult (WS-Federation token) -> ${wsfed_token}"
    text = _outputs(path, tmp_path)
    assert "S1gnedAssertionValue" not in text and "RequestSecurityTokenResponse" not in text


def test_kept_device_codes_and_wresult_are_said_to_fail_all_the_same(write_har) -> None:
    posted = _form(f"{APP}/", f"wa=wsignin1.0&wresult={quote(RSTR, safe='')}", 20)
    scenario = parse_har(write_har(har_doc([*_device_flow(), posted])), HarOptions(keep_secrets=True))
    said = [
        (d.code, d.location.source if d.location else "")
        for d in scenario.diagnostics
        if d.code in ("HAR047", "HAR048")
    ]
    assert sorted(said) == [
        ("HAR047", "har:entries[1]"),
        ("HAR047", "har:entries[2]"),
        ("HAR048", "har:entries[4]"),
    ]
    assert all(
        "kept as recorded (--keep-secrets)" in d.message for d in scenario.diagnostics if d.code == "HAR047"
    )
