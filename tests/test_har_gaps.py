"""HAR edge cases of the second re-audit: browser-made redirects without their follow-up, where a server-issued
credential is reported, method case, split Cookie headers, host filters, Host headers, multipart oddities."""

from __future__ import annotations

from typing import Any

from converter.diagnostics import Diagnostic
from converter.model import Request, Think
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import har_doc, har_entry, ts


def _requests(scenario: Any) -> list[Request]:
    return [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]


def _row(scenario: Any, index: int) -> Any:
    return next(r for r in scenario.ledger if r.source == f"har:entries[{index}]")


def _diags(scenario: Any, code: str) -> list[Diagnostic]:
    return [d for d in scenario.diagnostics if d.code == code]


def _internal_hop(url: str, target: str, reason: str = "Delegate") -> dict[str, Any]:
    hop = har_entry(url, status=307, start=ts(0), time=0)
    hop["response"]["headers"] = [
        {"name": "Location", "value": target},
        {"name": "Non-Authoritative-Reason", "value": reason},
    ]
    return hop


# ---- N9: a browser-made redirect whose follow-up is missing ---------------------------------------------------
def test_browser_redirect_without_recorded_follow_up_is_sent_to_its_target(write_har) -> None:
    """An extension redirected /c to another site and the request it led to was not recorded: the browser
    never asked h.test for /c, it asked other.test; that is what the plan sends."""
    hop = _internal_hop("https://h.test/c", "https://other.test/c?x=1")
    hop["request"]["headers"] = [{"name": "Host", "value": "h.test"}, {"name": "X-App", "value": "1"}]
    scenario = parse_har(write_har(har_doc([hop])))
    [request] = _requests(scenario)
    assert request.url == "https://other.test/c?x=1"
    assert [(h.name, h.value) for h in request.headers] == [("X-App", "1")]  # not the hop's Host
    assert request.checks == []  # its answer was not recorded
    [warned] = _diags(scenario, "HAR036")
    assert warned.severity == "warning" and "not recorded" in warned.message
    assert "HAR018" not in _row(scenario, 0).codes and "HAR030" not in _row(scenario, 0).codes


def test_browser_redirect_whose_follow_up_was_filtered_is_left_out_with_it(write_har) -> None:
    """The follow-up was recorded but the user excluded its host: the hop, never sent, goes with it; the
    message names the filtered request instead of claiming it is kept."""
    entries = [
        _internal_hop("https://h.test/c", "https://other.test/c"),
        har_entry("https://other.test/c", start=ts(0.001)),
        har_entry("https://h.test/next", start=ts(1)),
    ]
    options = HarOptions(exclude_hosts=["other.test"])
    scenario = parse_har(write_har(har_doc(entries)), options)
    assert [r.url for r in _requests(scenario)] == ["https://h.test/next"]
    assert _row(scenario, 0).status == "filtered"
    [warned] = _diags(scenario, "HAR035")
    assert warned.severity == "info"  # nothing the browser sent to a server is lost: the filter said so
    assert "har:entries[1], is filtered out" in warned.message
    assert "is kept" not in warned.action
    # not recorded at all, its target's host excluded: left out too, saying why
    alone = parse_har(write_har(har_doc(entries[:1] + entries[2:]), "alone.har"), options)
    assert [r.url for r in _requests(alone)] == ["https://h.test/next"]
    [warned] = _diags(alone, "HAR035")
    assert "its target https://other.test/c is filtered out (host other.test excluded)" in warned.message


# ---- N7: HAR032 where the issued value was first sent ---------------------------------------------------------
def test_issued_credential_is_reported_where_the_issued_value_was_first_sent(write_har) -> None:
    """entries[0] sends an old session and receives a new one, first sent by entries[1]: the warning stands at
    entries[1], after the response it names, not at the variable's first use."""
    first = har_entry("https://h.test/", start=ts(0), headers=[("Cookie", "sid=OldSessionValue1111")])
    first["response"]["headers"] = [{"name": "Set-Cookie", "value": "sid=NewSessionValue2222; Path=/"}]
    entries = [
        first,
        har_entry("https://h.test/a", start=ts(1), headers=[("Cookie", "sid=NewSessionValue2222")]),
        har_entry("https://h.test/b", start=ts(2), headers=[("Cookie", "sid=NewSessionValue2222")]),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    [issued] = _diags(scenario, "HAR032")
    assert issued.location is not None and issued.location.source == "har:entries[1]"
    assert "in the response to har:entries[0] (Set-Cookie sid)" in issued.message


# ---- method case ----------------------------------------------------------------------------------------------
def test_a_lower_case_method_is_sent_upper_case_and_reported(write_har) -> None:
    entries = [
        har_entry("https://h.test/a", method="get", start=ts(0)),
        har_entry(
            "https://h.test/b", method="patch", start=ts(1), post={"mimeType": "text/plain", "text": "x"}
        ),
        har_entry("https://h.test/c", method="GET", start=ts(2)),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert [r.method for r in _requests(scenario)] == ["GET", "PATCH", "GET"]
    warned = _diags(scenario, "HAR037")
    assert [(d.location.source if d.location else "", d.severity, d.action) for d in warned] == [
        ("har:entries[0]", "warning", "upper-cased to GET"),
        ("har:entries[1]", "warning", "upper-cased to PATCH"),
    ]
    assert "written or edited by hand" in warned[0].message and "as the page wrote it" in warned[1].message
    assert _row(scenario, 2).codes == []


# ---- several Cookie headers ------------------------------------------------------------------------------------
def test_split_cookie_headers_are_merged_into_one_and_every_crumb_is_replaced(write_har) -> None:
    """HTTP/2 lets a browser send its cookies in several cookie headers; an HTTP/1.1 request carries one. A
    cookie without a name (sent as its value alone) is a credential like the others."""
    headers = [
        ("cookie", "a=AlphaValue1234"),
        ("x-a", "1"),
        ("cookie", "NamelessCrumb99887766; sid=SessValue5678"),
        ("cookie", ""),
    ]
    path = write_har(har_doc([har_entry("https://h.test/1", headers=headers)]))
    scenario = parse_har(path)
    [request] = _requests(scenario)
    assert [(h.name, h.value) for h in request.headers] == [
        ("cookie", "a=${cookie_a}; ${cookie}; sid=${cookie_sid}"),
        ("x-a", "1"),
    ]
    assert sorted(v.name for v in scenario.variables) == ["cookie", "cookie_a", "cookie_sid"]
    [merged] = _diags(scenario, "HAR038")
    assert merged.message.startswith("3 Cookie headers")
    assert "NamelessCrumb99887766" not in scenario.model_dump_json()
    assert not _diags(scenario, "HAR021")


# ---- host filters: IDN and IPv6 -------------------------------------------------------------------------------
def _kept_urls(write_har: Any, include: list[str], exclude: list[str] | None = None) -> list[str]:
    entries = [
        har_entry("https://xn--bcher-kva.example/c", start=ts(0)),  # as a browser records an IDN host
        har_entry("https://straße.example/s", start=ts(1)),  # as a hand-written HAR may spell one
        har_entry("https://[::1]:8443/d", start=ts(2)),
        har_entry("http://[::1]/e", start=ts(3)),
        har_entry("http://localhost:8080/f", start=ts(4)),
    ]
    options = HarOptions(include_hosts=include, exclude_hosts=exclude or [])
    return [r.url for r in _requests(parse_har(write_har(har_doc(entries)), options))]


def test_host_globs_match_idn_hosts_in_either_spelling(write_har) -> None:
    assert _kept_urls(write_har, ["bücher.example"]) == ["https://xn--bcher-kva.example/c"]
    assert _kept_urls(write_har, ["XN--BCHER-KVA.example."]) == ["https://xn--bcher-kva.example/c"]
    # IDNA 2008 (UTS 46 non-transitional, as browsers): straße.example is xn--strae-oqa.example, not strasse
    assert _kept_urls(write_har, ["*.example"], ["xn--strae-oqa.example"]) == [
        "https://xn--bcher-kva.example/c"
    ]
    assert _kept_urls(write_har, ["*.example"], ["strasse.example"]) == [
        "https://xn--bcher-kva.example/c",
        "https://straße.example/s",
    ]


def test_host_globs_match_ipv6_literals_and_ports(write_har) -> None:
    both = ["https://[::1]:8443/d", "http://[::1]/e"]
    assert _kept_urls(write_har, ["[::1]"]) == both  # brackets are the literal's, not a character class
    assert _kept_urls(write_har, ["::1"]) == both
    assert _kept_urls(write_har, ["[::1]:8443"]) == both[:1]
    assert _kept_urls(write_har, ["[::1]:80"]) == both[1:]  # the scheme's default port
    assert _kept_urls(write_har, ["localhost:8080"]) == ["http://localhost:8080/f"]
    assert _kept_urls(write_har, ["*"], ["[::1]:*"]) == [
        "https://xn--bcher-kva.example/c",
        "https://straße.example/s",
        "http://localhost:8080/f",
    ]


def test_host_globs_starting_with_a_character_class_are_still_globs(write_har) -> None:
    # brackets without a colon are fnmatch's character class, as before IPv6 literals were read
    assert _kept_urls(write_har, ["[l]ocalhost*"]) == ["http://localhost:8080/f"]
    assert _kept_urls(write_har, ["*"], ["[!l]*"]) == ["http://localhost:8080/f"]


def test_merged_cookie_headers_keep_no_empty_pieces_with_recorded_values(write_har) -> None:
    headers = [("cookie", " ; "), ("cookie", "a=1;; b=2;"), ("cookie", "")]
    path = write_har(har_doc([har_entry("https://h.test/1", headers=headers)]))
    [request] = _requests(parse_har(path, HarOptions(keep_secrets=True)))
    assert [(h.name, h.value) for h in request.headers] == [("cookie", "a=1; b=2")]


# ---- Host headers ---------------------------------------------------------------------------------------------
def test_a_trailing_dot_host_is_the_urls_host_and_only_one_host_is_sent(write_har) -> None:
    entries = [
        har_entry("https://Example.test/a", start=ts(0), headers=[("Host", "example.test.")]),
        har_entry("https://example.test:8443/b", start=ts(1), headers=[("Host", "example.test.:8443")]),
        har_entry(
            "http://10.0.0.5/h", start=ts(2), headers=[("Host", "a.example.test"), ("Host", "b.example.test")]
        ),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    a, b, h = _requests(scenario)
    assert a.headers == [] and b.headers == []  # the same host: dropped like any Host (HAR003)
    assert "HAR025" not in _row(scenario, 0).codes and "HAR025" not in _row(scenario, 1).codes
    assert [(x.name, x.value) for x in h.headers] == [("Host", "a.example.test")]
    [several] = _diags(scenario, "HAR039")
    assert several.location is not None and several.location.source == "har:entries[2]"
    assert "only the first ('a.example.test') used" in several.action


# ---- multipart edge cases -------------------------------------------------------------------------------------
def _multipart_request(write_har: Any, text: str) -> tuple[Any, Request]:
    post = {"mimeType": "multipart/form-data; boundary=b1", "text": text}
    scenario = parse_har(write_har(har_doc([har_entry("https://h.test/m", method="POST", post=post)])))
    [request] = _requests(scenario)
    return scenario, request


def test_an_empty_file_input_is_an_empty_field_not_a_file_placeholder(write_har) -> None:
    """A form's file input with no file chosen: the browser sends filename="" and no content."""
    text = (
        '--b1\r\nContent-Disposition: form-data; name="title"\r\n\r\nhi\r\n'
        '--b1\r\nContent-Disposition: form-data; name="upload"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n--b1--\r\n"
    )
    scenario, request = _multipart_request(write_har, text)
    assert request.body is not None
    assert [(p.name, p.value) for p in request.body.parts] == [("title", "hi"), ("upload", "")]
    assert not _diags(scenario, "HAR006")
    [note] = _diags(scenario, "HAR040")
    assert note.severity == "info" and note.message.endswith(": upload")
    # the same from postData.params (Firefox)
    params = [{"name": "upload", "fileName": "", "value": ""}, {"name": "doc", "fileName": "a.pdf"}]
    post = {"mimeType": "multipart/form-data; boundary=b1", "params": params}
    scenario = parse_har(
        write_har(har_doc([har_entry("https://h.test/m", method="POST", post=post)]), "p.har")
    )
    [request] = _requests(scenario)
    assert request.body is not None
    assert [(p.name, p.value) for p in request.body.parts] == [("upload", ""), ("doc", "<file:a.pdf>")]
    assert [d.message for d in _diags(scenario, "HAR006")] == ["file parts: doc"]


def test_multipart_names_with_escaped_quotes_and_browser_backslashes(write_har) -> None:
    text = (
        '--b1\r\nContent-Disposition: form-data; name="a\\"b"\r\n\r\nq\r\n'  # name="a\"b": a"b
        '--b1\r\nContent-Disposition: form-data; name="dir\\"; filename="C:\\x\\f.txt"\r\n\r\nF\r\n'
        '--b1\r\nContent-Disposition: form-data; name="c;d"\r\n\r\nv\r\n--b1--\r\n'
    )
    _, request = _multipart_request(write_har, text)
    assert request.body is not None
    assert [(p.name, p.filename) for p in request.body.parts] == [
        ('a"b', None),
        ("dir\\", "C:\\x\\f.txt"),  # a browser leaves backslashes as they are
        ("c;d", None),
    ]


def test_a_multipart_body_cut_before_its_closing_boundary_is_noted(write_har) -> None:
    scenario, request = _multipart_request(
        write_har, '--b1\r\nContent-Disposition: form-data; name="a"\r\n\r\ntrunc'
    )
    assert request.body is not None and [(p.name, p.value) for p in request.body.parts] == [("a", "trunc")]
    [note] = _diags(scenario, "HAR041")
    assert "part 'a'" in note.message and note.action == "parts sent as read"
    closed, _ = _multipart_request(
        write_har, '--b1\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b1--'
    )
    assert not _diags(closed, "HAR041")


# ---- server-sent events ---------------------------------------------------------------------------------------
def test_an_event_stream_response_is_reported_as_not_replayed_as_a_stream(write_har) -> None:
    stream = har_entry("https://h.test/events", mime="text/event-stream", start=ts(0), time=30000)
    by_header = har_entry("https://h.test/feed", mime="", start=ts(31))
    by_header["response"]["headers"] = [{"name": "Content-Type", "value": "Text/Event-Stream; charset=utf-8"}]
    plain = har_entry("https://h.test/page", start=ts(32))
    scenario = parse_har(write_har(har_doc([stream, by_header, plain])))
    assert len(_requests(scenario)) == 3  # still sent
    warned = _diags(scenario, "HAR042")
    assert [d.location.source for d in warned if d.location] == ["har:entries[0]", "har:entries[1]"]
    assert "open for 30 s in the recording" in warned[0].message
    assert "HAR042" not in _row(scenario, 2).codes


# ---- smaller items --------------------------------------------------------------------------------------------
def test_a_non_utf8_raw_form_secret_says_how_to_enter_its_value(write_har) -> None:
    post = {
        "mimeType": "application/x-www-form-urlencoded; charset=ISO-8859-1",
        "text": "name=Jos%E9&password=Pw%E91234",
    }
    utf8 = {"mimeType": "application/x-www-form-urlencoded", "text": "user=a&password=Other5678"}
    entries = [
        har_entry("https://h.test/login", method="POST", post=post, start=ts(0)),
        har_entry(
            "https://h.test/other", method="POST", post=utf8, start=ts(1), headers=[("X-Api-Key", "K1234567")]
        ),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    hints = {d.message.partition(" -> ${")[2].partition("}")[0]: d.hint for d in _diags(scenario, "HAR004")}
    assert "percent-encoded in that form's charset" in hints["password"]
    assert hints["x_api_key"] == ""


def test_a_lower_case_z_zone_is_utc(write_har) -> None:
    entries = [
        har_entry("https://h.test/a", start="2024-01-01T10:00:00.000z", time=0),
        har_entry("https://h.test/b", start="2024-01-01T10:00:04.000Z", time=0),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    assert not _diags(scenario, "HAR010") and not _diags(scenario, "HAR028")
    steps = [*scenario.cases[0].steps, *(s for t in scenario.transactions.values() for s in t.steps)]
    assert [s.ms for s in steps if isinstance(s, Think)] == [4000]  # the recorded pause, both times read


def test_interleaving_with_requests_without_a_page_does_not_call_them_a_page(write_har) -> None:
    entries = [
        har_entry("https://h.test/a1", start=ts(0), pageref="a"),
        har_entry("https://api.test/nopage", start=ts(1)),
        har_entry("https://h.test/a2", start=ts(2), pageref="a"),
    ]
    scenario = parse_har(
        write_har(har_doc(entries, [{"id": "a", "title": "Page A", "startedDateTime": ts(0)}]))
    )
    [warned] = _diags(scenario, "HAR031")
    assert "after requests without a page (grouped as 'api.test nopage') began" in warned.message


def test_a_wrong_type_error_names_each_expected_type_once(write_har) -> None:
    from converter.errors import InputError

    entry = har_entry("https://h.test/a", headers=[("X-A", "1")])
    entry["request"]["headers"][0]["value"] = ["a", "list"]
    try:
        parse_har(write_har(har_doc([entry])))
    except InputError as error:
        assert "expected a string or a number, found a list" in str(error)
    else:
        raise AssertionError("a list header value was accepted")


def test_a_user_name_token_with_an_empty_password_is_reported(write_har) -> None:
    """Stripe's https://sk_test_...:@api/ (an empty password after the key) is a token in the URL like
    https://ghp_...@host/: replaced and reported with HAR020."""
    scenario = parse_har(
        write_har(har_doc([har_entry("https://sk_test_StripeKey0123456:@api.test/v1/charges")]))
    )
    assert _requests(scenario)[0].url == "https://${url_user}:@api.test/v1/charges"
    [warned] = _diags(scenario, "HAR020")
    assert warned.action == "user name (alone, a token) replaced by ${url_user}"


def test_the_final_check_sees_a_secret_in_a_referer_query_as_the_collection_does(write_har) -> None:
    """The collection replaces a secret-named query field of a URL in a header (Referer); the last check (and
    the --keep-secrets warning) looks at the same place."""
    headers = [("Referer", "https://h.test/cb?code=1&access_token=RefTok12345678#x")]
    path = write_har(har_doc([har_entry("https://h.test/next", headers=headers)]))
    redacted = parse_har(path)
    assert (
        _requests(redacted)[0].headers[0].value == "https://h.test/cb?code=1&access_token=${access_token}#x"
    )
    assert not _diags(redacted, "HAR021")
    [kept] = _diags(parse_har(path, HarOptions(keep_secrets=True)), "HAR005")
    assert "query field access_token in header Referer" in kept.message


def test_a_secret_in_url_encoded_json_in_a_query_is_replaced_and_checked(write_har, tmp_path) -> None:
    """?filter={"password":"pw1"} percent-encoded, as a browser sends it: the collection finds the short value
    under its name; it is now replaced in that spelling too, and a raw non-UTF-8 form is checked like others."""
    form = {
        "mimeType": "application/x-www-form-urlencoded; charset=ISO-8859-1",
        "text": "a=%E9&password=Pw%E9x",
    }
    entries = [
        har_entry("https://h.test/q?filter=%7B%22password%22%3A%22pw1%22%7D", start=ts(0)),
        har_entry("https://h.test/f", method="POST", post=form, start=ts(1)),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    first, second = _requests(scenario)
    assert first.url == "https://h.test/q?filter=%7B%22password%22%3A%22${password}%22%7D"
    assert second.body is not None and second.body.text == "a=%E9&password=${password}"
    assert not _diags(scenario, "HAR021")
    kept = parse_har(write_har(har_doc(entries), "k.har"), HarOptions(keep_secrets=True))
    [listed] = _diags(kept, "HAR005")
    assert (
        "field password in query field filter" in listed.message and "form field password" in listed.message
    )


def test_browser_redirect_to_an_unsendable_target_is_left_out_saying_so(write_har) -> None:
    for number, target in enumerate(
        ["http://[bad/x", "chrome-extension://abc/page.html", "https://h.test:99999/"]
    ):
        scenario = parse_har(write_har(har_doc([_internal_hop("https://h.test/c", target)]), f"{number}.har"))
        assert _requests(scenario) == []
        [warned] = _diags(scenario, "HAR035")
        assert "is not a URL the plan can send" in warned.message


def test_json_inside_form_params_and_multipart_parts_is_collected_as_the_check_reads_it(write_har) -> None:
    """A form recorded as params only (Firefox) or as multipart text, one field holding JSON with a password:
    replaced like the same JSON in a url-encoded text, not left for the final check to report."""
    params = {
        "mimeType": "application/x-www-form-urlencoded",
        "params": [{"name": "payload", "value": '{"password":"pwshort"}'}],
    }
    multipart = {
        "mimeType": "multipart/form-data; boundary=b1",
        "text": '--b1\r\nContent-Disposition: form-data; name="payload"\r\n\r\n{"password":"pwother"}\r\n--b1--\r\n',
    }
    entries = [
        har_entry("https://h.test/p", method="POST", post=params, start=ts(0)),
        har_entry("https://h.test/m", method="POST", post=multipart, start=ts(1)),
    ]
    scenario = parse_har(write_har(har_doc(entries)))
    first, second = _requests(scenario)
    assert first.body is not None and [f.value for f in first.body.fields] == ['{"password":"${password}"}']
    assert second.body is not None and [p.value for p in second.body.parts] == ['{"password":"${password}"}']
    assert not _diags(scenario, "HAR021")
    assert "pwshort" not in scenario.model_dump_json() and "pwother" not in scenario.model_dump_json()
