"""HAR requests replayed as recorded: slow responses keep their time to answer, recorded '${' is reported."""

from __future__ import annotations

from converter.convert import convert_har
from tests.conftest import har_doc, har_entry, ts


def _cards(conversion) -> list[dict]:
    out = []
    for op in conversion.plan.operations:
        if op.operation == "UpdateTemp":
            out.extend(
                c["content"]
                for step in op.body["contents"]
                for c in step["content"]
                if c["content_type"] == 2
            )
    return out


def test_a_response_slower_than_the_default_timeout_gets_twice_its_recorded_time(write_har) -> None:
    slow = har_entry("https://a.test/report", start=ts(0), time=12_500)
    slow["timings"] = {"send": 1, "wait": 11_990, "receive": 10}
    fast = har_entry("https://a.test/ok", start=ts(20), time=80)
    endless = har_entry("https://a.test/export", start=ts(40), time=400_000)  # no timings: the whole time
    conversion = convert_har(write_har(har_doc([slow, fast, endless])))
    assert [c["return_timeout"] for c in _cards(conversion)] == [24_000, 5000, 300_000]
    notes = [d for d in conversion.plan.diagnostics if d.code in ("PT024", "PT006")]
    assert [(d.code, d.location.source if d.location else None) for d in notes] == [
        ("PT024", "har:entries[0]"),
        ("PT006", "har:entries[2]"),  # slower than PerfTest's maximum: the replay times out, a warning
    ]
    assert "12000 ms" in notes[0].message and "(PerfTest's maximum)" in notes[1].action


def test_recorded_dollar_brace_is_reported_but_redaction_placeholders_are_not(write_har) -> None:
    dashboard = {"mimeType": "application/json", "text": '{"datasource": "${DS_PROMETHEUS}"}'}
    entries = [
        har_entry("https://grafana.test/api/dashboards", method="POST", start=ts(0), post=dashboard),
        har_entry(
            "https://grafana.test/api/me", start=ts(1), headers=[("Cookie", "grafana_session=abcdef123456")]
        ),
    ]
    conversion = convert_har(write_har(har_doc(entries)))
    warned = [d for d in conversion.plan.diagnostics if d.code == "HAR033"]
    assert [d.location.source for d in warned if d.location] == ["har:entries[0]"]
    assert warned[0].severity == "warning"


def test_multipart_boundary_taken_from_the_header_when_the_mime_type_lacks_it(write_har) -> None:
    text = (
        '------b1\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        '------b1\r\nContent-Disposition: form-data; name="password"\r\n\r\nPw0rdAlice99\r\n------b1--\r\n'
    )
    entry = har_entry(
        "https://a.test/upload",
        method="POST",
        headers=[("Content-Type", "multipart/form-data; boundary=----b1")],
        post={"mimeType": "multipart/form-data", "text": text},
    )
    conversion = convert_har(write_har(har_doc([entry])))
    request = _cards(conversion)[0]
    assert request["bodys"] == [{"key": "a", "value": "1"}, {"key": "password", "value": "${password}"}]
    assert not [d for d in conversion.plan.diagnostics if d.code in ("HAR007", "HAR021")]


def test_a_header_with_a_line_break_is_left_out_with_an_error(write_har) -> None:
    headers = [("X-Note", "a\r\nX-Injected: 1"), ("Accept", "text/html"), ("X-Tab", "a\tb")]
    conversion = convert_har(write_har(har_doc([har_entry("https://a.test/", headers=headers)])))
    sent = [(h["key"], h["value"]) for h in _cards(conversion)[0]["headers"]]
    assert sent == [("Accept", "text/html"), ("X-Tab", "a\tb")]
    assert [(d.code, d.severity) for d in conversion.plan.diagnostics if d.code == "HAR034"] == [
        ("HAR034", "error")
    ]


def test_a_slow_redirect_follow_up_counts_in_the_requests_time(write_har) -> None:
    """PerfTest follows the redirect within the one request: its timeout must cover the page it leads to."""
    hop = har_entry("https://a.test/go", status=302, start=ts(0), time=50)
    hop["response"]["headers"] = [{"name": "Location", "value": "/report"}]
    page = har_entry("https://a.test/report", start=ts(0.06), time=12_000)
    conversion = convert_har(write_har(har_doc([hop, page])))
    assert [c["return_timeout"] for c in _cards(conversion)] == [25_000]
