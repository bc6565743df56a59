"""The credential rules the collection (which replaces recorded credentials) and the final check (HAR021, and
the --keep-secrets list HAR005) share: where they once differed, and where the first request that sends a
replaced credential is (HAR004, HAR032)."""

from __future__ import annotations

from typing import Any

import pytest

from converter.diagnostics import Diagnostic
from converter.model import Request, Scenario
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import har_doc, har_entry, ts

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlMQ"


def _requests(scenario: Scenario) -> list[Request]:
    return [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]


def _diags(scenario: Scenario, code: str) -> list[Diagnostic]:
    return [d for d in scenario.diagnostics if d.code == code]


def _at(diagnostic: Diagnostic) -> str:
    return diagnostic.location.source if diagnostic.location else ""


# ---- one rule for credential headers ---------------------------------------------------------------------------
def test_a_jwt_where_an_authorization_scheme_stands_is_part_of_one_credential(write_har) -> None:
    """A JWT is no scheme: the collection once left it in clear (HAR021), then replaced it apart; the whole value
    is one credential now, and no diagnostic shows it."""
    headers = [("Authorization", f"{JWT} AppSecretValue123")]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/x", headers=headers)])))
    [request] = _requests(scenario)
    assert [(h.name, h.value) for h in request.headers] == [("Authorization", "${authorization}")]
    assert not _diags(scenario, "HAR021")
    assert [d.message for d in _diags(scenario, "HAR004")] == ["header Authorization -> ${authorization}"]
    assert not [d for d in scenario.diagnostics if JWT in f"{d.message} {d.action} {d.location}"]


@pytest.mark.parametrize(
    ("value", "sent", "variables"),
    [
        # the first word is a token, not a scheme: never sent in clear, never in a variable's name
        ("abcdef123456789 xyz", "${authorization}", ["authorization"]),
        ("Zm9vOmJhcg0123456789abcdefXYZ extra", "${authorization}", ["authorization"]),
        # letters only, but not a word: a run too long for one, random case, no vowel (audit F2: the first
        # word was sent in clear and named the variable)
        ("Abcdefghijklmnopqrstuvwx tok1234567893w", "${authorization}", ["authorization"]),
        ("qwertyuiopasdfghjklzx rest", "${authorization}", ["authorization"]),
        ("QwErTyUiOp tok1234567890", "${authorization}", ["authorization"]),
        ("xkcdqwrtzp tok1234567890", "${authorization}", ["authorization"]),
        ("XvquWralVBeq 0ZkKZIBBiHWAV5", "${authorization}", ["authorization"]),
        # known schemes (IANA's registry, well-known services) in any case, and words that read as a scheme
        (
            "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==",
            "NTLM ${authorization}",
            ["authorization"],
        ),
        ("SSWS 00QCjAl4MlV-WPXM-ABCDEFGHIJKLMNOPQRSTUVWXYZ", "SSWS ${authorization}", ["authorization"]),
        ("bearer tok1234567890", "bearer ${authorization}", ["authorization"]),
        ("Custom-Auth tok1234567890", "Custom-Auth ${authorization}", ["authorization"]),
        ("Bearer abc.def", "Bearer ${authorization}", ["authorization"]),
        ("Digest username=alice, response=6629fae4", "Digest ${authorization}", ["authorization"]),
        (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x, Signature=fe5f",
            "AWS4-HMAC-SHA256 ${authorization}",
            ["authorization"],
        ),
    ],
)
def test_only_a_word_that_reads_as_a_scheme_is_sent_as_recorded(
    write_har, value: str, sent: str, variables: list[str]
) -> None:
    entry = har_entry("https://a.test/x", headers=[("Authorization", value)])
    scenario = parse_har(write_har(har_doc([entry])))
    [request] = _requests(scenario)
    assert [(h.name, h.value) for h in request.headers] == [("Authorization", sent)]
    assert [v.name for v in scenario.variables] == variables
    assert not _diags(scenario, "HAR021")
    first = value.split(" ")[0]
    if sent == "${authorization}":
        assert not [d for d in scenario.diagnostics if first in f"{d.message} {d.action} {d.location}"]
    kept = parse_har(write_har(har_doc([entry]), "kept.har"), HarOptions(keep_secrets=True))
    [warning] = _diags(kept, "HAR005")
    assert warning.message == "recorded credentials are written into the plan: header Authorization"


def test_a_credential_header_recorded_with_whitespace_around_its_name_is_one(write_har) -> None:
    """'Cookie ' and '\tAuthorization' (a hand-written or proxy-made HAR): HTTP matches the name without the
    whitespace, which a server rejects before the colon; they were sent in clear, with no HAR021 (audit P2).
    The names are read and sent without it, and HAR045 says so."""
    headers = [("Cookie ", "sid=AAAA1111bbbb"), ("\tAuthorization", "Bearer tok1234567890x")]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/x", headers=headers)])))
    [request] = _requests(scenario)
    assert [(h.name, h.value) for h in request.headers] == [
        ("Cookie", "sid=${cookie_sid}"),
        ("Authorization", "Bearer ${authorization}"),
    ]
    assert not _diags(scenario, "HAR021")
    [note] = _diags(scenario, "HAR045")
    assert (_at(note), note.message) == (
        "har:entries[0]",
        "header names recorded with whitespace around: 'Cookie ', '\\tAuthorization'",
    )
    assert note.action.startswith("read and sent without it ('Cookie', 'Authorization')")


def test_a_header_without_a_name_is_left_out_and_said(write_har) -> None:
    """A header whose name is empty or blanks only cannot be sent: it was sent as recorded, silently."""
    headers = [("", "v1"), ("  ", "SecretValue12345678"), ("Accept", "text/html")]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/x", headers=headers)])))
    [request] = _requests(scenario)
    assert [(h.name, h.value) for h in request.headers] == [("Accept", "text/html")]
    assert [(_at(d), d.message, d.action) for d in _diags(scenario, "HAR045")] == [
        ("har:entries[0]", "a header without a name", "header left out (it cannot be sent)")
    ]


def test_a_header_name_http_forbids_is_left_out_and_said(write_har, tmp_path) -> None:
    """A field name is a token (RFC 9110 5.6.2): 'X A', 'X:Y', 'Wert-ä', '(x)' or 'X\tY' cannot come from a
    browser (a hand-edited or tool-made HAR) and a server rejects them: they were sent as recorded, silently.
    Left out, said once for the request, names shown with their credentials replaced; the token characters
    !#$%&'*+-.^_`|~ stay, and a name with whitespace around it that is no token inside is said by HAR046 only."""
    headers = [
        ("X A", "1"),
        ("X:Y", "2"),
        ("Wert-\u00e4", "3"),
        ("(x)", "4"),
        ("X\tY", "5"),
        (" Bad Name ", "6"),
        ("X-Ok!#$%&'*+-.^_`|~9", "7"),
        ("Accept", "text/html"),
    ]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/x", headers=headers)])))
    [request] = _requests(scenario)
    assert [(h.name, h.value) for h in request.headers] == [
        ("X-Ok!#$%&'*+-.^_`|~9", "7"),
        ("Accept", "text/html"),
    ]
    [note] = _diags(scenario, "HAR046")
    assert (_at(note), note.severity, note.message) == (
        "har:entries[0]",
        "warning",
        "header names with characters a field name cannot hold: 'X A', 'X: ...', 'Wert-\u00e4', '(x)', 'X\\tY', "
        "'Bad Name'",
    )
    assert note.action.startswith("headers left out: a field name is a token")
    assert not _diags(scenario, "HAR045") and not _diags(scenario, "HAR034")


def test_a_credential_in_a_header_name_http_forbids_is_not_shown(write_har) -> None:
    """The name is shown as the plan would send it: a recorded credential in it is replaced."""
    headers = [("Authorization", f"Bearer {JWT}"), (f"X {JWT}", "1")]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/x", headers=headers)])))
    [note] = _diags(scenario, "HAR046")
    assert note.message == "header name with characters a field name cannot hold: 'X ${authorization}'"
    assert [h.name for h in _requests(scenario)[0].headers] == ["Authorization"]


def _cookies_sent(scenario: Scenario) -> list[str]:
    return [h.value for r in _requests(scenario) for h in r.headers if h.name == "Cookie"]


def test_two_values_of_one_cookie_name_in_one_request_get_two_variables(write_har) -> None:
    """Two 'sid' cookies (for two paths) in one Cookie header were one variable, so the request sent one value
    twice (audit P3); a nameless cookie and one named '' shared ${cookie} the same way."""
    headers = [("Cookie", "sid=AAAA1111bbbb; sid=CCCC2222dddd; NamelessValue1; =EmptyNamed2222")]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/x", headers=headers)])))
    assert _cookies_sent(scenario) == ["sid=${cookie_sid}; sid=${cookie_sid_2}; ${cookie}; =${cookie_2}"]
    assert [v.name for v in scenario.variables] == ["cookie", "cookie_2", "cookie_sid", "cookie_sid_2"]
    assert sorted(d.message for d in _diags(scenario, "HAR004")) == sorted(
        [
            "cookie sid -> ${cookie_sid}",
            "cookie sid -> ${cookie_sid_2}",
            "cookie with an empty name -> ${cookie_2}",
            "cookie without a name -> ${cookie}",
        ]
    )


def test_a_value_sent_alone_keeps_its_variable_when_a_later_request_sends_it_with_another(write_har) -> None:
    """The root path's session is sent alone first, then after the app path's one (longer paths first, RFC
    6265 5.4): the app's session gets a variable of its own, in every request that sends it."""
    entries = [
        har_entry("https://a.test/", start=ts(0), headers=[("Cookie", "sid=RootSession1111")]),
        har_entry(
            "https://a.test/app/x",
            start=ts(1),
            headers=[("Cookie", "sid=AppSession2222; sid=RootSession1111")],
        ),
        har_entry("https://a.test/app/y", start=ts(2), headers=[("Cookie", "sid=AppSession2222")]),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert _cookies_sent(scenario) == [
        "sid=${cookie_sid}",
        "sid=${cookie_sid_2}; sid=${cookie_sid}",
        "sid=${cookie_sid_2}",
    ]


def test_values_sent_together_in_several_requests_get_variables_apart_in_each(write_har) -> None:
    """A with B, B with C, then A with C: deciding request by request (once tried) moved a value into the
    variable of one it was sent with elsewhere; every request sends each value under a variable of its own."""
    pairs = ["sid=AAAA1111aaaa; sid=BBBB2222bbbb", "sid=BBBB2222bbbb; sid=CCCC3333cccc"]
    pairs.append("sid=AAAA1111aaaa; sid=CCCC3333cccc")
    entries = [
        har_entry(f"https://a.test/{n}", start=ts(n), headers=[("Cookie", pair)])
        for n, pair in enumerate(pairs)
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert _cookies_sent(scenario) == [
        "sid=${cookie_sid}; sid=${cookie_sid_2}",
        "sid=${cookie_sid_2}; sid=${cookie_sid_3}",
        "sid=${cookie_sid}; sid=${cookie_sid_3}",
    ]
    assert not _diags(scenario, "HAR021")


def test_an_authorization_scheme_with_a_blank_credential_is_one_credential_for_both(write_har) -> None:
    """'Bearer' and blanks: the collection replaces the whole value (nothing follows the scheme); the check read
    the blanks as the credential and let the recorded value pass, so --keep-secrets did not list it."""
    entry = har_entry("https://a.test/x", headers=[("Authorization", "Bearer   ")])
    replaced = parse_har(write_har(har_doc([entry])))
    assert [(h.name, h.value) for h in _requests(replaced)[0].headers] == [
        ("Authorization", "${authorization}")
    ]
    kept = parse_har(write_har(har_doc([entry]), "kept.har"), HarOptions(keep_secrets=True))
    [warning] = _diags(kept, "HAR005")
    assert warning.message == "recorded credentials are written into the plan: header Authorization"


# ---- HAR004 and HAR032 at the first request of the plan that sends the value ----------------------------------
def _located(scenario: Scenario, code: str) -> list[tuple[str, str]]:
    return [(_at(d), d.message) for d in _diags(scenario, code)]


def test_a_credential_first_recorded_on_a_filtered_static_entry_is_reported_at_the_first_converted_request(
    write_har,
) -> None:
    """The script the page loaded first sent the session cookie; it is filtered out (a static asset), so the
    variable is first sent by the page's API call, where HAR004 now stands."""
    cookie = [("Cookie", "sid=SessionValue12345678")]
    entries = [
        har_entry("https://h.test/app.js", start=ts(0), headers=cookie, mime="application/javascript"),
        har_entry("https://h.test/api/me", start=ts(1), headers=cookie, mime="application/json"),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [r.source.source for r in _requests(scenario) if r.source] == ["har:entries[1]"]
    assert _located(scenario, "HAR004") == [("har:entries[1]", "cookie sid -> ${cookie_sid}")]
    [note] = _diags(scenario, "HAR004")
    assert note.location is not None and note.location.name == "GET https://h.test/api/me"


def test_a_value_handed_out_and_first_sent_by_a_folded_redirect_follow_up_is_reported_where_the_plan_sends_it(
    write_har,
) -> None:
    """The login's 302 sets a session that the browser's automatic follow-up sends first: the follow-up is
    folded into the login (PerfTest follows the redirect itself), so the plan first sends the session in the
    next request, where HAR004 and HAR032 stand (both stood at the folded follow-up)."""
    login = _post_login()
    login["response"]["headers"] = [
        {"name": "Location", "value": "https://h.test/home"},
        {"name": "Set-Cookie", "value": "sid=IssuedSession87654321; Path=/"},
    ]
    cookie = [("Cookie", "sid=IssuedSession87654321")]
    entries = [
        login,
        har_entry("https://h.test/home", start=ts(0.2), headers=cookie),  # the follow-up: folded
        har_entry("https://h.test/account", start=ts(3), headers=cookie),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [r.source.source for r in _requests(scenario) if r.source] == ["har:entries[0]", "har:entries[2]"]
    assert _located(scenario, "HAR004") == [("har:entries[2]", "cookie sid -> ${cookie_sid}")]
    [(where, message)] = _located(scenario, "HAR032")
    assert where == "har:entries[2]"
    assert message == (
        "${cookie_sid}: the recorded value was handed out by the server, in the response to har:entries[0] "
        "(Set-Cookie sid)"
    )


def test_a_handed_out_value_no_converted_request_sends_is_reported_at_the_recorded_one_saying_so(
    write_har,
) -> None:
    """The page sends the old session and gets a new one, which only a stylesheet (filtered out) sent: no
    request of the plan sends the handed-out value, so HAR032 stays at the stylesheet and says why."""
    page = har_entry("https://h.test/page", start=ts(0), headers=[("Cookie", "sid=OldSession11111111")])
    page["response"]["headers"] = [{"name": "Set-Cookie", "value": "sid=NewSession22222222; Path=/"}]
    entries = [
        page,
        har_entry(
            "https://h.test/site.css",
            start=ts(1),
            headers=[("Cookie", "sid=NewSession22222222")],
            mime="text/css",
        ),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert _located(scenario, "HAR004") == [
        ("har:entries[0]", "cookie sid -> ${cookie_sid} (2 recorded values)")
    ]
    [(where, message)] = _located(scenario, "HAR032")
    assert where == "har:entries[1]"
    assert message.endswith(
        "in the response to har:entries[0] (Set-Cookie sid); no request of the plan sends that value "
        "(har:entries[1] sent it first)"
    )


def test_a_handed_out_value_is_reported_at_the_request_that_sends_it_not_at_one_sending_the_old_one(
    write_har,
) -> None:
    """A variable with two recorded values: HAR032 stands at the first request of the plan that sends the
    value the server handed out, not at the first that sends the variable."""
    first = har_entry("https://h.test/", start=ts(0), headers=[("Cookie", "sid=OldSessionValue1111")])
    first["response"]["headers"] = [{"name": "Set-Cookie", "value": "sid=NewSessionValue2222; Path=/"}]
    entries = [
        first,
        har_entry(
            "https://h.test/a.png",
            start=ts(1),
            headers=[("Cookie", "sid=NewSessionValue2222")],
            mime="image/png",
        ),
        har_entry("https://h.test/b", start=ts(2), headers=[("Cookie", "sid=NewSessionValue2222")]),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [where for where, _ in _located(scenario, "HAR004")] == ["har:entries[0]"]
    assert [where for where, _ in _located(scenario, "HAR032")] == ["har:entries[2]"]


def test_a_handed_out_value_is_reported_at_a_request_after_the_response_not_at_one_sending_it_before(
    write_har,
) -> None:
    """The search sent the preference before the server set it as a cookie: HAR032 stood at the search (the
    first request of the plan sending the value), whose hint (extract it from a later response) cannot apply;
    it stands at the first request after that response, and names the one before. HAR004 stays at the search."""
    setter = har_entry("https://a.test/set", start=ts(1))
    setter["response"]["headers"] = [{"name": "Set-Cookie", "value": "pref=darkmode7; Path=/"}]
    entries = [
        har_entry("https://a.test/search?pref=darkmode7", start=ts(0)),
        setter,
        har_entry("https://a.test/home", start=ts(2), headers=[("Cookie", "pref=darkmode7")]),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert _located(scenario, "HAR004") == [("har:entries[0]", "query field pref -> ${cookie_pref}")]
    assert _located(scenario, "HAR032") == [
        (
            "har:entries[2]",
            "${cookie_pref}: the recorded value was handed out by the server, in the response to har:entries[1] "
            "(Set-Cookie pref); har:entries[0] sends it before that response (the value was known before it "
            "was handed out)",
        )
    ]


def test_a_handed_out_value_only_sent_before_the_response_by_the_plan_is_reported_at_the_recorded_sender(
    write_har,
) -> None:
    """Only a filtered stylesheet sent the preference after the server set it: no request of the plan sends it
    after that response (the search, before it, does not count), and HAR032 says both."""
    setter = har_entry("https://a.test/set", start=ts(1))
    setter["response"]["headers"] = [{"name": "Set-Cookie", "value": "pref=darkmode7; Path=/"}]
    entries = [
        har_entry("https://a.test/search?pref=darkmode7", start=ts(0)),
        setter,
        har_entry(
            "https://a.test/site.css", start=ts(2), headers=[("Cookie", "pref=darkmode7")], mime="text/css"
        ),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    [(where, message)] = _located(scenario, "HAR032")
    assert where == "har:entries[2]"
    assert message.endswith(
        "(Set-Cookie pref); no request of the plan sends that value after that response (har:entries[2] sent it "
        "first); har:entries[0] sends it before that response (the value was known before it was handed out)"
    )


def _post_login() -> dict[str, Any]:
    post = {"mimeType": "application/x-www-form-urlencoded", "text": "user=ann"}
    return har_entry("https://h.test/login", method="POST", status=302, start=ts(0), time=100, post=post)


# ---- HAR022 at the first request of the plan that sends the variable ------------------------------------------
def _two_site_sessions(*more: dict[str, Any]) -> list[dict[str, Any]]:
    """One cookie name, two values on two sites, each first sent by a script (filtered out: a static asset)."""
    return [
        har_entry(
            "https://cdn.a.test/app.js",
            start=ts(0),
            headers=[("Cookie", "sid=SessionOfSiteA1234")],
            mime="application/javascript",
        ),
        har_entry(
            "https://b.test/lib.js",
            start=ts(0.5),
            headers=[("Cookie", "sid=SessionOfSiteB5678")],
            mime="application/javascript",
        ),
        *more,
    ]


def test_a_variable_of_two_hosts_is_reported_at_the_first_converted_request_that_sends_it(write_har) -> None:
    """HAR022 stood at the filtered script that sent the cookie first; it is now where the plan first sends it,
    with the hosts the plan sends it to when fewer than recorded."""
    entries = _two_site_sessions(
        har_entry("https://www.a.test/home", start=ts(2), headers=[("Cookie", "sid=SessionOfSiteA1234")]),
        har_entry("https://api.b.test/me", start=ts(3), headers=[("Cookie", "sid=SessionOfSiteB5678")]),
    )
    scenario = parse_har(write_har(har_doc(entries)))
    assert [r.source.source for r in _requests(scenario) if r.source] == ["har:entries[2]", "har:entries[3]"]
    [shared] = _diags(scenario, "HAR022")
    assert (_at(shared), shared.message) == (
        "har:entries[2]",
        "${cookie_sid} stands for 2 recorded values sent to different hosts: api.b.test, b.test, cdn.a.test, "
        "www.a.test (the plan sends it only to api.b.test, www.a.test)",
    )
    assert shared.location is not None and shared.location.name == "GET https://www.a.test/home"


def test_a_variable_of_two_hosts_the_plan_sends_to_one_says_so(write_har) -> None:
    """Only site A's page is converted: the plan sends the variable to that host only, and the warning says so."""
    entries = _two_site_sessions(
        har_entry("https://www.a.test/home", start=ts(2), headers=[("Cookie", "sid=SessionOfSiteA1234")])
    )
    scenario = parse_har(write_har(har_doc(entries)))
    assert [(_at(d), d.message) for d in _diags(scenario, "HAR022")] == [
        (
            "har:entries[2]",
            "${cookie_sid} stands for 2 recorded values sent to different hosts: b.test, cdn.a.test, www.a.test "
            "(the plan sends it only to www.a.test)",
        )
    ]


# ---- HAR004 says where the request it stands at sends the value -------------------------------------------------
def test_the_replaced_credential_is_described_where_the_request_of_the_plan_sends_it(write_har) -> None:
    """The token was first recorded in a filtered script's header; the first converted request sends it in its
    query: HAR004 names the query field, not the header it stands at no more."""
    token = "TokenValue1234567890"
    entries = [
        har_entry(
            "https://h.test/app.js",
            start=ts(0),
            headers=[("X-Auth-Token", token)],
            mime="application/javascript",
        ),
        har_entry(f"https://h.test/api/items?access_token={token}", start=ts(1), mime="application/json"),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [(_at(d), d.message) for d in _diags(scenario, "HAR004")] == [
        ("har:entries[1]", "query field access_token -> ${x_auth_token}")
    ]


def test_a_credential_the_request_sends_in_several_places_lists_them_in_the_request_order(write_har) -> None:
    """Header, query field and JSON body field of one request, each named."""
    token = "TokenValue1234567890"
    post = {"mimeType": "application/json", "text": f'{{"auth_token": "{token}", "n": 1}}'}
    entry = har_entry(
        f"https://h.test/api?api_key={token}", method="POST", headers=[("X-Api-Key", token)], post=post
    )
    scenario = parse_har(write_har(har_doc([entry])))
    assert [(_at(d), d.message) for d in _diags(scenario, "HAR004")] == [
        ("har:entries[0]", "header X-Api-Key, query field api_key, JSON field auth_token -> ${x_api_key}")
    ]


def test_a_credential_the_request_sends_in_no_named_place_is_said_to_be_in_its_url_or_body(write_har) -> None:
    """The token was recorded in an Authorization header the plan leaves out (--exclude-url); the converted
    requests send it inside a URL path and in an unnamed text body: HAR004 says 'the URL', no token shown."""
    token = "OtherToken0987654321"
    entries = [
        har_entry("https://h.test/next", headers=[("Authorization", f"Bearer {token}")]),
        har_entry(f"https://h.test/files/{token}/list", start=ts(1)),
        har_entry(
            "https://h.test/echo",
            method="POST",
            start=ts(2),
            post={"mimeType": "text/plain", "text": f"sent {token} here"},
        ),
    ]
    scenario = parse_har(write_har(har_doc(entries)), HarOptions(exclude_urls=["/next"]))
    assert [r.url for r in _requests(scenario)] == [
        "https://h.test/files/${authorization}/list",
        "https://h.test/echo",
    ]
    [note] = _diags(scenario, "HAR004")
    assert (_at(note), note.message) == ("har:entries[1]", "the URL -> ${authorization}")
    body_only = parse_har(
        write_har(har_doc([entries[0], entries[2]]), "body.har"), HarOptions(exclude_urls=["/next"])
    )
    assert [d.message for d in _diags(body_only, "HAR004")] == ["the body -> ${authorization}"]
    assert token not in str(
        [(d.message, d.action, d.hint) for d in scenario.diagnostics + body_only.diagnostics]
    )


# ---- HAR032 says what became of the request whose response handed the value out --------------------------------
def test_a_value_handed_out_by_a_filtered_response_says_that_request_is_left_out(write_har) -> None:
    """A script's response set the cookie the page's API call then sends: the script is filtered out (a static
    asset), so the plan never receives that response, and the warning says so."""
    script = har_entry("https://h.test/app.js", start=ts(0), mime="application/javascript")
    script["response"]["headers"] = [{"name": "Set-Cookie", "value": "vid=VisitorValue12345678; Path=/"}]
    entries = [
        script,
        har_entry("https://h.test/api/me", start=ts(1), headers=[("Cookie", "vid=VisitorValue12345678")]),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    [(where, message)] = _located(scenario, "HAR032")
    assert where == "har:entries[1]"
    assert message == (
        "${cookie_vid}: the recorded value was handed out by the server, in the response to har:entries[0] "
        "(Set-Cookie vid; that request is left out of the plan)"
    )
    [warning] = _diags(scenario, "HAR032")
    assert warning.hint.startswith("that request is not in the plan (its ledger row says why): keep it")


def test_a_value_handed_out_by_a_folded_follow_up_names_the_request_it_is_folded_into(write_har) -> None:
    """The login's 302 leads to /home, whose response sets the session: /home is folded into the login (PerfTest
    follows the redirect), so the response comes to the login request of the plan."""
    login = _post_login()
    login["response"]["headers"] = [{"name": "Location", "value": "https://h.test/home"}]
    home = har_entry("https://h.test/home", start=ts(0.2))
    home["response"]["headers"] = [{"name": "Set-Cookie", "value": "sid=IssuedSession87654321; Path=/"}]
    entries = [
        login,
        home,
        har_entry("https://h.test/account", start=ts(3), headers=[("Cookie", "sid=IssuedSession87654321")]),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [r.source.source for r in _requests(scenario) if r.source] == ["har:entries[0]", "har:entries[2]"]
    [(where, message)] = _located(scenario, "HAR032")
    assert where == "har:entries[2]"
    assert message.endswith(
        "in the response to har:entries[1] (Set-Cookie sid; that request is folded into har:entries[0])"
    )


def test_a_credential_in_the_query_of_a_url_in_another_header_names_that_header(write_har) -> None:
    """A Referer whose URL's query carries the token (its page was filtered out): the query field, in that
    header."""
    token = "RefTokenValue1234567"
    entries = [
        har_entry(f"https://h.test/page.css?token={token}", mime="text/css"),
        har_entry(
            "https://h.test/api", start=ts(1), headers=[("Referer", f"https://h.test/p?token={token}&a=1")]
        ),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [(_at(d), d.message) for d in _diags(scenario, "HAR004")] == [
        ("har:entries[1]", "query field token in header Referer -> ${token}")
    ]


def test_response_header_names_recorded_with_whitespace_are_the_fields_all_the_same(write_har) -> None:
    """A "Set-Cookie " handed the value out (HAR032 at its use) and a "Location " names the redirect's target
    (the follow-up is folded), as for request headers (HAR045)."""
    login = har_entry("https://a.test/login", method="POST", status=302)
    login["response"]["headers"] = [
        {"name": "Set-Cookie ", "value": "sid=S3ssionValue0123456789; Path=/"},
        {"name": " Location", "value": "https://a.test/home"},
    ]
    home = har_entry(
        "https://a.test/home", start=ts(0.05), headers=[("Cookie", "sid=S3ssionValue0123456789")]
    )
    api = har_entry("https://a.test/api", start=ts(2), headers=[("Cookie", "sid=S3ssionValue0123456789")])
    scenario = parse_har(write_har(har_doc([login, home, api])))
    assert [r.url for r in _requests(scenario)] == [
        "https://a.test/login",
        "https://a.test/api",
    ]  # home folded
    [(where, message)] = _located(scenario, "HAR032")
    assert where == "har:entries[2]" and "in the response to har:entries[0] (Set-Cookie sid" in message
