"""Recorded credentials in the places and spellings the HAR audit found leaking, and scrubbing that must not
touch unrelated data. Each test converts a small inline HAR and checks the scenario and every output byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from converter.model import Request, Scenario
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import har_doc, har_entry, har_outputs, ts


def _requests(scenario: Scenario) -> list[Request]:
    return [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]


def _post(url: str, mime: str, text: str, start: float = 0, **extra: Any) -> dict[str, Any]:
    return har_entry(url, method="POST", start=ts(start), post={"mimeType": mime, "text": text}, **extra)


def test_headers_named_like_secret_fields_and_jwt_values_are_redacted(write_har, tmp_path: Path) -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoiaGVhZGVyIn0.c2lnbmF0dXJl"
    headers = [
        ("X-CSRFToken", "csrfHeaderValue9876"),
        ("X-Amz-Security-Token", "AmzSessTokValue5555"),
        ("Private-Token", "glpat-PrivTok000111"),
        ("X-Authorization", "XAuthzValue77777"),
        ("Ocp-Apim-Subscription-Key", "ApimKey0123456789"),
        ("X-Trace-Context", jwt),  # an unremarkable name, but the value is a JWT
        ("Accept", "text/html"),
    ]
    path = write_har(har_doc([har_entry("https://a.test/d", headers=headers)]))
    sent = {h.name: h.value for h in _requests(parse_har(path))[0].headers}
    assert sent["X-CSRFToken"] == "${x_csrftoken}"
    assert sent["Ocp-Apim-Subscription-Key"] == "${ocp_apim_subscription_key}"
    assert sent["X-Trace-Context"] == "${x_trace_context}"
    assert sent["Accept"] == "text/html"
    text = har_outputs(path, tmp_path)
    for _, value in headers[:-1]:
        assert value not in text


def test_nonces_named_like_tokens_are_sent_as_recorded(write_har) -> None:
    """Postman's per-request Postman-Token and the WebSocket handshake key are no credentials."""
    headers = [
        ("Postman-Token", "ea19464c-ddd4-4724-abe9-5e2b254c2723"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZQ=="),
    ]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/d", headers=headers)])))
    assert [(h.name, h.value) for h in _requests(scenario)[0].headers] == headers
    assert not scenario.variables


def test_page_titles_and_gap_group_names_are_scrubbed(write_har, tmp_path: Path) -> None:
    title = "https://app.test/welcome?access_token=PageTitleTok12345"
    doc = har_doc(
        [
            har_entry("https://app.test/home", start=ts(0), pageref="p1"),
            har_entry("https://app.test/x?reset_token=PathSecretTok98765", start=ts(5)),
            har_entry("https://app.test/verify/PathSecretTok98765", start=ts(10)),
        ],
        pages=[{"id": "p1", "title": title, "startedDateTime": ts(0), "pageTimings": {}}],
    )
    path = write_har(doc)
    scenario = parse_har(path)
    # the title's token was never requested: it is collected from the title itself
    names = list(scenario.transactions)
    assert names[0] == "https://app.test/welcome?access_token=${access_token}"
    assert names[2] == "app.test verify ${reset_token}"
    text = har_outputs(path, tmp_path)
    assert "PageTitleTok12345" not in text and "PathSecretTok98765" not in text


def test_multipart_text_body_password_is_redacted(write_har, tmp_path: Path) -> None:
    boundary = "----WebKitFormBoundaryAbC123"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\nMultipartPw99\r\n'
        f"--{boundary}--\r\n"
    )
    path = write_har(
        har_doc([_post("https://a.test/login", f"multipart/form-data; boundary={boundary}", body)])
    )
    scenario = parse_har(path)
    parts = _requests(scenario)[0].body.parts
    assert [(p.name, p.value) for p in parts] == [("username", "alice"), ("password", "${password}")]
    assert [d.message for d in scenario.diagnostics if d.code == "HAR004"] == [
        "multipart field password -> ${password}"
    ]
    assert "MultipartPw99" not in har_outputs(path, tmp_path)


def test_secrets_are_replaced_in_every_spelling(write_har, tmp_path: Path) -> None:
    doc = har_doc(
        [
            har_entry("https://h.test/a?access_token=Tok%2fLower%3d%3dAAAA", start=ts(0)),
            har_entry("https://h.test/b?access_token=Tok/Partial%3D%3DBBBB", start=ts(0.1)),
            _post("https://h.test/c", "application/json", '{"password":"Slash\\/Escaped123"}', 0.2),
            # the same token later, under no secret name, in other spellings
            har_entry("https://h.test/d?next=Tok%2FLower%3D%3DAAAA&x=Tok%2fPartial%3d%3dBBBB", start=ts(0.3)),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    urls = [r.url for r in _requests(scenario)]
    assert urls[0] == "https://h.test/a?access_token=${access_token}"
    assert urls[1] == "https://h.test/b?access_token=${access_token}"
    assert urls[3] == "https://h.test/d?next=${access_token}&x=${access_token}"
    assert _requests(scenario)[2].body.text == '{"password":"${password}"}'
    text = har_outputs(path, tmp_path)
    for fragment in ("Lower", "Partial", "Escaped123"):
        assert fragment not in text


def test_url_userinfo_password_becomes_a_variable_with_a_warning(write_har, tmp_path: Path) -> None:
    path = write_har(har_doc([har_entry("https://alice:S3cretPassw0rd@api.test/basic")]))
    scenario = parse_har(path)
    assert _requests(scenario)[0].url == "https://alice:${url_password}@api.test/basic"
    assert [v.name for v in scenario.variables] == ["url_password"]
    warned = [d for d in scenario.diagnostics if d.code == "HAR020"]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert "${url_password}" in (warned[0].action or "")
    assert "S3cretPassw0rd" not in har_outputs(path, tmp_path)
    # a short password is replaced too: in the userinfo it is a credential by definition
    short = parse_har(write_har(har_doc([har_entry("https://bob:pw@api.test/")]), "short.har"))
    assert _requests(short)[0].url == "https://bob:${url_password}@api.test/"
    # a user name alone is a token (a GitHub token, Stripe's secret key): it is the credential
    token = write_har(har_doc([har_entry("https://ghp_SecretTok123456@api.test/repos")]), "token.har")
    assert _requests(parse_har(token))[0].url == "https://${url_user}@api.test/repos"
    assert "SecretTok123456" not in har_outputs(token, tmp_path)


def test_numbers_and_plain_values_are_replaced_only_where_named(write_har) -> None:
    doc = har_doc(
        [
            har_entry(
                "https://a.test/a", start=ts(0), headers=[("Cookie", "UIDR=1510574583; _tap_path=/rum.gif")]
            ),
            har_entry("https://a.test/pixel?rnd=1510574583823&ref=/rum.gif&UIDR=1510574583", start=ts(0.1)),
            _post(
                "https://a.test/j",
                "application/json",
                '{"sessionCount": 12345678, "total": 912345678}',
                0.2,
                headers=[("X-Request-Id", "req-0123456789")],
            ),
        ]
    )
    requests = _requests(parse_har(write_har(doc)))
    assert requests[0].headers[0].value == "UIDR=${cookie_uidr}; _tap_path=${cookie__tap_path}"
    # other numbers and paths are left alone; the cookie's own name still marks its value
    assert requests[1].url == "https://a.test/pixel?rnd=1510574583823&ref=/rum.gif&UIDR=${cookie_uidr}"
    assert requests[2].headers[0].value == "req-0123456789"
    assert requests[2].body.text == '{"sessionCount": ${sessioncount}, "total": 912345678}'


def test_distinct_credentials_get_distinct_variables(write_har) -> None:
    doc = har_doc(
        [
            har_entry(
                "https://a.test/x",
                start=ts(0),
                headers=[("Cookie", "SID=UpperSid1234567; sid=LowerSid7654321")],
            ),
            har_entry(
                "https://a.test/basic",
                start=ts(0.1),
                headers=[("Authorization", "Basic YWxpY2U6cGFzc3dvcmQ=")],
            ),
            har_entry(
                "https://a.test/bearer", start=ts(0.2), headers=[("Authorization", "Bearer tok-1234567890")]
            ),
            har_entry(
                "https://a.test/again", start=ts(0.3), headers=[("Authorization", "Basic Ym9iOnNlY3JldA==")]
            ),
        ]
    )
    scenario = parse_har(write_har(doc))
    sent = [r.headers[0].value for r in _requests(scenario)]
    assert sent == [
        "SID=${cookie_sid}; sid=${cookie_sid_2}",
        "Basic ${authorization}",
        "Bearer ${authorization_bearer}",
        "Basic ${authorization}",  # another user's Basic credentials: the same credential, another value
    ]
    messages = sorted(d.message for d in scenario.diagnostics if d.code == "HAR004")
    assert messages == [
        "cookie SID -> ${cookie_sid}",
        "cookie sid -> ${cookie_sid_2}",
        "header Authorization (Basic) -> ${authorization} (2 recorded values)",
        "header Authorization (Bearer) -> ${authorization_bearer}",
    ]


def test_keep_secrets_warns_for_query_form_and_json_credentials(write_har) -> None:
    def kept(entry: dict[str, Any]) -> list[str]:
        scenario = parse_har(write_har(har_doc([entry])), HarOptions(keep_secrets=True))
        return [d.message for d in scenario.diagnostics if d.code == "HAR005"]

    form = "application/x-www-form-urlencoded"
    assert kept(
        _post("https://a.test/login?api_key=QueryKey123456", form, "user=a&password=FormPw123456")
    ) == ["recorded credentials are written into the plan: query field api_key, form field password"]
    assert kept(_post("https://a.test/j", "application/json", '{"auth": {"token": "tok-99999999"}}')) == [
        "recorded credentials are written into the plan: JSON field token"
    ]
    assert kept(har_entry("https://a.test/plain?page=2")) == []


def test_secrets_under_short_or_unusual_names_are_redacted(write_har, tmp_path: Path) -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2VjcmV0MTIz"
    form = "application/x-www-form-urlencoded"
    graphql = 'mutation { login(username: "alice", password: "GqlInlinePw42", otp: "4711") { token } }'
    doc = har_doc(
        [
            har_entry("https://maps.test/api?key=AIzaSyD-RealGoogleKey000", start=ts(0)),
            har_entry("https://blob.test/f.txt?sv=2022-11-02&sig=AzureSasSig0123456789%3D", start=ts(0.1)),
            _post(
                "https://a.test/c", "application/json", json.dumps({"data": {"token_v": 1, "x": jwt}}), 0.2
            ),
            _post("https://a.test/l", form, "user=alice&pass=ShortPw1&passphrase=horse&otp=123456", 0.3),
            har_entry(f"https://a.test/cb/{jwt}?monkey=banana", start=ts(0.4)),
            _post("https://a.test/graphql", "application/json", json.dumps({"query": graphql}), 0.5),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    requests = _requests(scenario)
    assert requests[0].url == "https://maps.test/api?key=${key}"
    assert requests[1].url == "https://blob.test/f.txt?sv=2022-11-02&sig=${sig}"
    assert requests[2].body.text == '{"data": {"token_v": ${token_v}, "x": "${jwt}"}}'
    assert [(f.name, f.value) for f in requests[3].body.fields] == [
        ("user", "alice"),
        ("pass", "${pass}"),
        ("passphrase", "${passphrase}"),
        ("otp", "${otp}"),
    ]
    assert requests[4].url == "https://a.test/cb/${jwt}?monkey=banana"  # "key" only as a whole name
    assert 'password: \\"${password}\\"' in requests[5].body.text
    assert 'otp: \\"${otp}\\"' in requests[5].body.text  # short: replaced only where it is named
    text = har_outputs(path, tmp_path)
    secrets = (
        "AIzaSyD-RealGoogleKey000",
        "AzureSasSig0123456789",
        jwt,
        "ShortPw1",
        "horse",
        "123456",
        "GqlInline",
    )
    for value in secrets:
        assert value not in text


def test_form_param_recorded_as_a_number_is_redacted(write_har) -> None:
    post = {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "qty", "value": 1}]}
    post["params"].append({"name": "password", "value": 12345})
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/l", method="POST", post=post)])))
    fields = [(f.name, f.value) for f in _requests(scenario)[0].body.fields]
    assert fields == [("qty", "1"), ("password", "${password}")]


def test_a_credential_the_scrubber_misses_is_an_error_not_a_claim(write_har, monkeypatch) -> None:
    from converter.parsers.har import secrets

    # a scrubber that knows no spelling stands for any spelling it does not know
    monkeypatch.setattr(secrets.SecretBook, "scrub", lambda self, text: text)
    path = write_har(har_doc([har_entry("https://a.test/q?access_token=QueryTok123456&page=2")]))
    scenario = parse_har(path)
    assert _requests(scenario)[0].url == "https://a.test/q?access_token=QueryTok123456&page=2"
    left = [d for d in scenario.diagnostics if d.code == "HAR021"]
    assert [(d.severity, d.message) for d in left] == [
        ("error", "recorded credentials could not be replaced: query field access_token")
    ]
    assert "QueryTok123456" not in f"{left[0].message} {left[0].action} {left[0].hint}"
    assert not [d for d in scenario.diagnostics if d.code == "HAR004"]  # no replacement is claimed


def test_secrets_in_a_referer_url_are_redacted(write_har) -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2ln"
    headers = [
        ("Referer", f"https://a.test/cb?state=1&code=7&token=abc&x={jwt}"),
        ("X-Trace", jwt),
    ]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/next", headers=headers)])))
    sent = [h.value for h in _requests(scenario)[0].headers]
    # the page that carried them was not recorded: the Referer's own query names them
    assert sent == ["https://a.test/cb?state=1&code=7&token=${token}&x=${jwt}", "${jwt}"]
    assert [v.name for v in scenario.variables] == ["jwt", "token"]  # a JWT inside another value is "jwt"


def test_one_variable_for_values_of_different_hosts_is_a_warning(write_har) -> None:
    def shared(*cookies: tuple[str, str]) -> list[str]:
        entries = [
            har_entry(url, start=ts(n), headers=[("Cookie", f"SID={value}")])
            for n, (url, value) in enumerate(cookies)
        ]
        scenario = parse_har(write_har(har_doc(entries)))
        assert [v.name for v in scenario.variables] == ["cookie_sid"]
        return [d.message for d in scenario.diagnostics if d.code == "HAR022"]

    assert shared(
        ("https://a.example.test/", "UpperSid1234567"), ("https://b.other.test/", "OtherSid999999")
    ) == ["${cookie_sid} stands for 2 recorded values sent to different hosts: a.example.test, b.other.test"]
    # two subdomains each sent their own value (host-only session cookies of two backends): one value cannot
    # serve both, whichever is filled (found by the HAR audit: the subdomains were taken for one site)
    assert shared(
        ("https://www.shop.co.uk/", "SidOne1234567"), ("https://api.shop.co.uk/", "SidTwo1234567")
    ) == [
        "${cookie_sid} stands for 2 recorded values sent to different hosts: api.shop.co.uk, www.shop.co.uk"
    ]
    # a domain cookie renewed while the user moved between subdomains: a host saw both values, one credential
    assert (
        shared(
            ("https://www.shop.co.uk/", "SidOne1234567"),
            ("https://www.shop.co.uk/cart", "SidTwo1234567"),
            ("https://api.shop.co.uk/", "SidTwo1234567"),
        )
        == []
    )
    # ... also when the renewed value then went to other hosts only (joined through the host both were sent to)
    assert (
        shared(
            ("https://api.shop.test/", "SidOne1234567"),
            ("https://www.shop.test/", "SidOne1234567"),
            ("https://www.shop.test/", "SidTwo1234567"),
            ("https://img.shop.test/", "SidThree123456"),
            ("https://www.shop.test/me", "SidThree123456"),
        )
        == []
    )


def test_credentials_one_encoding_deeper_are_redacted(write_har, tmp_path: Path) -> None:
    """JSON inside a form field, GraphQL variables sent as a JSON string, an XML (SOAP) login, duplicate keys."""
    entries = [
        _post(
            "https://a.test/f", "application/x-www-form-urlencoded", 'payload={"password":"NestedPw123456"}'
        ),
        _post(
            "https://a.test/g",
            "application/json",
            '{"query":"q","variables":"{\\"password\\":\\"StrJsonPw99999\\"}"}',
        ),
        _post(
            "https://a.test/x", "text/xml", "<login><user>al</user><password>XmlPw55555555</password></login>"
        ),
        _post(
            "https://a.test/d", "application/json", '{"password":"Dup1234567890","password":"Other123456"}'
        ),
    ]
    path = write_har(har_doc([dict(e, startedDateTime=ts(n)) for n, e in enumerate(entries)]))
    text = har_outputs(path, tmp_path)
    for value in ("NestedPw123456", "StrJsonPw99999", "XmlPw55555555", "Dup1234567890", "Other123456"):
        assert value not in text, value
    scenario = parse_har(path)
    assert not [d for d in scenario.diagnostics if d.code == "HAR021"]
    assert "<user>al</user>" in str(_requests(scenario)[2].body)  # only the secret-named element is replaced
