"""HAR bodies of each kind, secret redaction, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converter.errors import InputError
from converter.model import Request
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import har_doc, har_entry, run_cli, ts


def _only_request(scenario) -> Request:
    requests = [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]
    assert len(requests) == 1
    return requests[0]


def test_json_body_kept_exactly(write_har) -> None:
    text = '{\n  "b": 1,   "a": [true, null]\n}'
    post = {"mimeType": "application/json; charset=utf-8", "text": text}
    request = _only_request(
        parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=post)])))
    )
    assert request.body is not None and request.body.kind == "raw"
    assert request.body.text == text
    assert request.body.content_type == "application/json; charset=utf-8"


def test_urlencoded_from_text_and_params_win_over_text(write_har) -> None:
    from_text = {"mimeType": "application/x-www-form-urlencoded", "text": "q=blue+shoes&empty=&x=%26"}
    request = _only_request(
        parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=from_text)])))
    )
    assert request.body.kind == "form"
    assert [(f.name, f.value) for f in request.body.fields] == [
        ("q", "blue shoes"),
        ("empty", ""),
        ("x", "&"),
    ]

    both = {
        "mimeType": "application/x-www-form-urlencoded",
        "text": "a=1",
        "params": [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}],
    }
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=both)])))
    assert [(f.name, f.value) for f in _only_request(scenario).body.fields] == [("a", "1"), ("b", "2")]
    assert any(d.code == "HAR009" for d in scenario.diagnostics)


def test_chrome_form_params_spelled_as_the_text_are_decoded_not_encoded_twice(write_har) -> None:
    text = "email=alice%40example.com&q=blue+shoes&n=%C3%A9"
    chrome = [("email", "alice%40example.com"), ("q", "blue+shoes"), ("n", "%C3%A9")]
    firefox = [("email", "alice@example.com"), ("q", "blue shoes"), ("n", "é")]
    for params in (chrome, firefox):
        post = {
            "mimeType": "application/x-www-form-urlencoded",
            "text": text,
            "params": [{"name": n, "value": v} for n, v in params],
        }
        scenario = parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=post)])))
        assert [(f.name, f.value) for f in _only_request(scenario).body.fields] == firefox
        assert not [d for d in scenario.diagnostics if d.code == "HAR009"]
    # params that really differ still win, decoded when they are spelled as the text is
    post["params"] = [{"name": "email", "value": "alice%40example.com"}, {"name": "extra", "value": "1"}]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=post)])))
    fields = [(f.name, f.value) for f in _only_request(scenario).body.fields]
    assert fields == [("email", "alice@example.com"), ("extra", "1")]
    assert [d.code for d in scenario.diagnostics if d.code == "HAR009"] == ["HAR009"]


def test_multipart_params_and_text_file_parts_become_placeholders(write_har) -> None:
    params = {
        "mimeType": "multipart/form-data; boundary=XYZ",
        "params": [
            {"name": "title", "value": "hi"},
            {"name": "doc", "fileName": "a.pdf", "contentType": "application/pdf"},
        ],
    }
    scenario = parse_har(
        write_har(
            har_doc(
                [
                    har_entry(
                        "https://a.test/",
                        method="POST",
                        post=params,
                        headers=[("Content-Type", "multipart/form-data; boundary=XYZ")],
                    )
                ]
            )
        )
    )
    request = _only_request(scenario)
    assert request.body.kind == "multipart"
    assert [(p.name, p.value, p.filename) for p in request.body.parts] == [
        ("title", "hi", None),
        ("doc", "<file:a.pdf>", "a.pdf"),
    ]
    assert all(h.name.lower() != "content-type" for h in request.headers)
    assert scenario.ledger[0].status == "approximated"

    text = '--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello\r\n--XYZ\r\nContent-Disposition: form-data; name="f"; filename="b.txt"\r\nContent-Type: text/plain\r\n\r\nsecret file bytes\r\n--XYZ--\r\n'
    raw = {"mimeType": "multipart/form-data; boundary=XYZ", "text": text}
    request = _only_request(
        parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=raw)])))
    )
    assert [(p.name, p.value, p.content_type) for p in request.body.parts] == [
        ("title", "hello", None),
        ("f", "<file:b.txt>", "text/plain"),
    ]
    assert "secret file bytes" not in request.model_dump_json()


def test_multipart_text_parameters_in_any_order_unquoted_and_unreadable_parts_reported(write_har) -> None:
    text = (
        "preamble\r\n--B\r\n"
        'Content-Disposition: form-data; filename="secret.txt"; name="doc"\r\nContent-Type: text/plain\r\n\r\n'
        "FILE-CONTENT\r\n--B\r\n"
        "Content-Disposition: form-data; name=unquoted\r\n\r\nUQ\r\n--B\r\n"
        'content-disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--B\r\n'
        "Content-Disposition: form-data; filename*=UTF-8''na%C3%AFve.txt; name=\"f2\"\r\n\r\nBYTES\r\n--B\r\n"
        "Content-Type: text/plain\r\n\r\nno disposition\r\n--B\r\n"
        'Content-Disposition: form-data; name="note"\r\n\r\nline\r\n\r\n--B--\r\nepilogue'
    )
    post = {"mimeType": "multipart/form-data; boundary=B", "text": text}
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=post)])))
    parts = _only_request(scenario).body.parts
    assert [(p.name, p.value, p.filename) for p in parts] == [
        ("doc", "<file:secret.txt>", "secret.txt"),
        ("unquoted", "UQ", None),
        ("meta", '{"a":1}', None),
        ("f2", "<file:naïve.txt>", "naïve.txt"),
        ("note", "line\r\n", None),
    ]
    assert "FILE-CONTENT" not in scenario.model_dump_json()
    notes = {d.message: d.action for d in scenario.diagnostics if d.code == "HAR026"}
    assert notes == {
        "unreadable multipart parts: part 5: no Content-Disposition": "left out of the body",
        "part headers the plan cannot send: 'meta' (Content-Type: application/json)": (
            "sent as plain text fields, without their own headers"
        ),
    }
    assert next(d for d in scenario.diagnostics if d.code == "HAR006").message == "file parts: doc, f2"


def test_a_type_kept_only_in_post_data_is_sent_as_content_type(write_har) -> None:
    post = {"mimeType": "application/json", "text": '{"a":1}'}
    typed = har_entry("https://a.test/typed", method="POST", post=post, headers=[("content-type", "text/x")])
    untyped = har_entry("https://a.test/untyped", method="POST", post=post, start=ts(1))
    scenario = parse_har(write_har(har_doc([typed, untyped])))
    requests = [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]
    assert [[(h.name, h.value) for h in r.headers] for r in requests] == [
        [("content-type", "text/x")],
        [("Content-Type", "application/json")],
    ]


def test_a_form_not_in_utf8_is_sent_as_its_recorded_text_secrets_still_redacted(write_har) -> None:
    latin = "application/x-www-form-urlencoded; charset=ISO-8859-1"
    declared = {"mimeType": latin, "text": "name=Jos%E9&password=p%E9ss%21"}
    undeclared = {"mimeType": "application/x-www-form-urlencoded", "text": "name=Jos%E9"}
    utf8 = {"mimeType": latin, "text": "name=Jos%C3%A9+M"}  # UTF-8 escapes, in a form that says Latin-1
    ascii_only = {"mimeType": latin, "text": "a=1%2B1"}
    entries = [
        har_entry(
            f"https://a.test/{n}",
            method="POST",
            post=p,
            start=ts(n),
            headers=[("Content-Type", p["mimeType"])],
        )
        for n, p in enumerate((declared, undeclared, utf8, ascii_only))
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    requests = [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]
    first, second, third, fourth = (r.body for r in requests)
    assert (first.kind, first.text) == ("raw", "name=Jos%E9&password=${password}")
    assert (second.kind, second.text) == ("raw", "name=Jos%E9")
    assert [h.value for h in requests[0].headers] == [latin]
    assert third.kind == "raw"  # declared Latin-1: %C3%A9 means two characters there, not é
    assert (fourth.kind, [(f.name, f.value) for f in fourth.fields]) == ("form", [("a", "1+1")])
    notes = [(d.location.source, d.message) for d in scenario.diagnostics if d.code == "HAR027"]
    assert notes == [
        ("har:entries[0]", "url-encoded body in charset ISO-8859-1"),
        ("har:entries[1]", "url-encoded body with %-escapes that are not UTF-8 (byte 0xE9)"),
        ("har:entries[2]", "url-encoded body in charset ISO-8859-1"),
    ]
    assert "p%E9ss" not in scenario.model_dump_json()


def test_binary_body_not_converted(write_har) -> None:
    post = {"mimeType": "application/octet-stream", "text": "\x00\x01\x02"}
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=post)])))
    assert _only_request(scenario).body is None
    assert scenario.ledger[0].status == "not_converted"
    assert [d.code for d in scenario.diagnostics if d.severity == "error"] == ["HAR007"]


SECRETS = [
    "Bearer-ONLY-abc123XYZ",
    "s3ss10n-cookie-value",
    "hunter2-password",
    "ak-1234567890",
    "tok-in-json-999",
]


def _secret_har() -> dict:
    return har_doc(
        [
            har_entry(
                f"https://a.test/api?access_token={SECRETS[3]}&page=2",
                start=ts(0),
                headers=[
                    ("Authorization", f"Bearer {SECRETS[0]}"),
                    ("Cookie", f"sid={SECRETS[1]}; lang=en"),
                    ("X-Api-Key", SECRETS[3]),
                ],
            ),
            har_entry(
                "https://a.test/login",
                method="POST",
                start=ts(0.2),
                post={
                    "mimeType": "application/x-www-form-urlencoded",
                    "text": f"user=bob&password={SECRETS[2]}",
                },
            ),
            har_entry(
                "https://a.test/json",
                method="POST",
                start=ts(0.4),
                post={
                    "mimeType": "application/json",
                    "text": json.dumps({"auth": {"token": SECRETS[4]}, "n": 1}),
                },
            ),
            har_entry(f"https://a.test/static/{SECRETS[4]}.png", start=ts(0.5), _resourceType="image"),
        ]
    )


def test_secrets_appear_in_no_output_byte(write_har, tmp_path: Path) -> None:
    path = write_har(_secret_har())
    plan, report = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("har", str(path), "--dry-run", "-o", str(plan), "--report", str(report))
    assert result.exit_code == 0, result.output
    outputs = plan.read_bytes() + report.read_bytes() + result.stdout.encode() + result.stderr.encode()
    for secret in SECRETS:
        assert secret.encode() not in outputs
    document = json.loads(plan.read_text())
    names = {op["body"][0]["name"] for op in document["operations"] if op["operation"] == "CreateVariable"}
    # one recorded value, one variable: the API key sent as a header and as a query field share it
    assert {"authorization", "cookie_sid", "cookie_lang", "password", "x_api_key", "token"} == names
    for op in document["operations"]:
        if op["operation"] == "CreateVariable":
            assert op["body"][0]["variable"] == [""]
            assert op["fill"] == {"/0/variable/0": op["body"][0]["name"]}
    text = plan.read_text()
    assert "Bearer ${authorization}" in text
    assert "sid=${cookie_sid}; lang=${cookie_lang}" in text
    assert "?access_token=${x_api_key}&page=2" in text
    reported = [d for d in json.loads(report.read_text())["diagnostics"] if d["code"] == "HAR004"]
    assert len(reported) == len(names)


def test_keep_secrets_keeps_them_with_a_warning(write_har) -> None:
    scenario = parse_har(write_har(_secret_har()), HarOptions(keep_secrets=True))
    dumped = scenario.model_dump_json()
    assert SECRETS[0] in dumped and SECRETS[2] in dumped
    assert scenario.variables == []
    assert any(d.code == "HAR005" for d in scenario.diagnostics)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "empty"),
        ("{not json", "not JSON"),
        ("[1, 2]", 'no top-level "log"'),
        ('{"log": {"entries": {}}}', "log.entries"),
        ('{"log": {"entries": [{"request": {"method": "GET"}}]}}', "log.entries[0].request.url"),
        (
            '{"log": {"entries": [{"request": {"method": "GET", "url": "https://a.test", "headers": [{"name": 3}]}}]}}',
            "headers[0].name",
        ),
        (
            '{"log": {"entries": [{"request": {"method": "GET", "url": "u"}, "response": {"status": "200"}}]}}',
            "response.status",
        ),
        ('{"log": {"entries": [], "pages": 7}}', "log.pages"),
        (
            '{"log": {"entries": [{"request": {"method": "GET", "url": "u"}, "response": {"status": 302, '
            '"headers": [{"name": "Location", "value": []}]}}]}}',
            "response.headers[0].value",
        ),
    ],
)
def test_bad_input_is_one_clear_error(write_har, tmp_path: Path, content: str, fragment: str) -> None:
    path = write_har(content)
    with pytest.raises(InputError) as caught:
        parse_har(path)
    assert fragment in str(caught.value)
    out = tmp_path / "plan.json"
    result = run_cli("har", str(path), "--dry-run", "-o", str(out))
    assert result.exit_code == 2
    assert fragment in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not list(tmp_path.glob(".plan.json.*"))


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.har"
    path.write_bytes(b'{"log": "\xe9"}')
    assert run_cli("har", str(path), "--dry-run").exit_code == 2
    missing = run_cli("har", str(tmp_path / "none.har"), "--dry-run")
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def test_short_secrets_replaced_where_they_are_named(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/q?sid=42&page=42", start=ts(0)),
            har_entry(
                "https://a.test/login",
                method="POST",
                start=ts(0.1),
                post={"mimeType": "application/x-www-form-urlencoded", "text": "user=bob&password=pw1"},
            ),
            har_entry(
                "https://a.test/j",
                method="POST",
                start=ts(0.2),
                post={"mimeType": "application/json", "text": '{"hint": "pw1", "password": "pw1"}'},
            ),
        ]
    )
    scenario = parse_har(write_har(doc))
    requests = [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]
    assert requests[0].url == "https://a.test/q?sid=${sid}&page=42"
    assert [(f.name, f.value) for f in requests[1].body.fields] == [
        ("user", "bob"),
        ("password", "${password}"),
    ]
    assert requests[2].body.text == '{"hint": "pw1", "password": "${password}"}'


def test_json_body_recorded_as_params_only_is_rebuilt_with_a_warning(write_har) -> None:
    array = {
        "mimeType": "application/json",
        "params": [{"name": "0", "value": {"a": 1}}, {"name": "1", "value": "x"}],
    }
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/log", method="POST", post=array)])))
    request = _only_request(scenario)
    assert (request.body.kind, request.body.text) == ("raw", '[{"a":1},"x"]')
    assert [d.code for d in scenario.diagnostics] == ["HAR015"]
    assert scenario.ledger[0].status == "approximated"

    members = {"mimeType": "application/json", "params": [{"name": "q", "value": "shoes"}]}
    request = _only_request(
        parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=members)])))
    )
    assert request.body.text == '{"q":"shoes"}'

    untyped = {"mimeType": "text/plain", "params": [{"name": "a", "value": "1"}]}
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/", method="POST", post=untyped)])))
    assert _only_request(scenario).body.kind == "form"
    assert [d.code for d in scenario.diagnostics] == ["HAR015"]


def test_a_body_the_recording_did_not_keep_is_reported(write_har) -> None:
    entry = har_entry("https://a.test/log", method="POST")
    entry["request"]["bodySize"] = 966
    scenario = parse_har(
        write_har(har_doc([entry, har_entry("https://a.test/ok", method="POST", start=ts(1))]))
    )
    assert [d.code for d in scenario.diagnostics] == ["HAR017"]
    assert [row.status for row in scenario.ledger] == ["approximated", "converted"]


def test_plain_cookie_values_are_not_rewritten_inside_other_text(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/", headers=[("Cookie", "s_cc=true; theme=darkness; sid=9f8e7d6c5b4a")]),
            har_entry(
                "https://a.test/api?flag=true&x=darkness&s=9f8e7d6c5b4a",
                method="POST",
                start=ts(0.1),
                post={"mimeType": "application/json", "text": '{"isMobile": true, "theme": "darkness"}'},
            ),
        ]
    )
    requests = [
        s for t in parse_har(write_har(doc)).transactions.values() for s in t.steps if isinstance(s, Request)
    ]
    assert requests[0].headers[0].value == "s_cc=${cookie_s_cc}; theme=${cookie_theme}; sid=${cookie_sid}"
    assert requests[1].url == "https://a.test/api?flag=true&x=darkness&s=${cookie_sid}"
    # the JSON field named like the cookie carries the cookie's value: replaced where named; "true" is left alone
    assert requests[1].body.text == '{"isMobile": true, "theme": "${cookie_theme}"}'


def test_json_secret_under_an_escaped_name_is_still_found(write_har) -> None:
    body = '{"user": "bob", "pass\\u0077ord": "pw-recorded-1", "note": "plain"}'
    doc = har_doc(
        [
            har_entry(
                "https://a.test/login",
                method="POST",
                start=ts(0),
                post={"mimeType": "application/json", "text": body},
            )
        ]
    )
    scenario = parse_har(write_har(doc))
    dumped = scenario.model_dump_json()
    assert "pw-recorded-1" not in dumped
    assert [v.name for v in scenario.variables] == ["password"]
    plain = parse_har(
        write_har(
            har_doc(
                [
                    har_entry(
                        "https://a.test/j",
                        method="POST",
                        start=ts(0),
                        post={"mimeType": "application/json", "text": '{"q": 1}'},
                    )
                ]
            )
        )
    )
    assert plain.variables == []


def test_response_headers_are_only_read_and_checked_to_follow_a_redirect(write_har) -> None:
    entry = har_entry("https://a.test/ok", start=ts(0))
    entry["response"]["headers"] = [{"name": "X-Odd", "value": {"nested": True}}]  # never read for a 200
    scenario = parse_har(write_har(har_doc([entry])))
    assert [s.url for s in scenario.transactions[next(iter(scenario.transactions))].steps] == [
        "https://a.test/ok"
    ]


def test_lone_surrogate_escapes_are_replaced_and_reported_not_a_traceback(tmp_path: Path) -> None:
    # Only the standard library's parser accepts "\ud800"; it is no character, so no plan could hold it.
    text = (
        '{"log": {"pages": [{"id": "p", "title": "T\\udc00"}], "entries": [{"pageref": "p", '
        '"startedDateTime": "2026-01-01T00:00:00Z", "request": {"method": "GET", "url": "https://a.test/x", '
        '"headers": [{"name": "X-Odd", "value": "a\\ud800b"}]}, "response": {"status": 200}}]}}'
    )
    path = tmp_path / "surrogate.har"
    path.write_text(text, encoding="utf-8")
    out, report = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("har", str(path), "--dry-run", "-o", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "a\ufffdb" in out.read_text(encoding="utf-8")
    found = [d for d in json.loads(report.read_text())["diagnostics"] if d["code"] == "HAR019"]
    assert [d["location"] and d["location"]["source"] for d in found] == ["har:entries[0]", None]
    assert "request.headers[0].value" in found[0]["message"] and "pages[0].title" in found[1]["message"]


def test_scrub_cache_follows_secrets_learned_later() -> None:
    from converter.parsers.har.secrets import SecretBook

    book = SecretBook()
    book.variable_for("first-secret-1", "token", "query field token", "har:entries[0]", "token")
    text = "a=first-secret-1&b=second-secret-2"
    assert book.scrub(text) == "a=${token}&b=second-secret-2"
    book.variable_for("second-secret-2", "password", "form field password", "har:entries[1]", "password")
    assert book.scrub(text) == "a=${token}&b=${password}"  # the cached result is not reused
