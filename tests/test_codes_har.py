"""One focused test per HAR diagnostic code that no other test made: each converts a small inline recording with
the real CLI and asserts the code, its severity, the entry it points at, the ledger row and what the plan holds
instead."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import har_doc, har_entry, request_cards, run_cli, ts


def run(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Convert with ``perftest-convert har --dry-run --report``: (plan, report)."""
    out, report = path.with_suffix(".plan.json"), path.with_suffix(".report.json")
    result = run_cli("har", str(path), "--dry-run", "-q", "-o", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text("utf-8")), json.loads(report.read_text("utf-8"))


def urls(plan_doc: dict[str, Any]) -> list[str]:
    """The URL of every request card of the plan, in document order."""
    return [card["url"] for card in request_cards(plan_doc)]


def test_har011_entries_with_a_scheme_other_than_http_are_left_out(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://shop.example.com/", start=ts(0)),
            har_entry("ftp://files.example.com/report.csv", start=ts(1), mime="text/csv"),
            har_entry("file:///C:/Users/me/saved.html", start=ts(2)),
            har_entry("HTTP://shop.example.com/cart", start=ts(3)),  # a scheme is case-insensitive
        ]
    )
    plan_doc, report = run(write_har(doc))
    found = [d for d in report["diagnostics"] if d["code"] == "HAR011"]
    assert [(d["severity"], d["location"], d["message"], d["action"]) for d in found] == [
        ("error", {"source": "har:entries[1]", "name": "GET ftp://files.example.com/report.csv"}, "scheme ftp", "left out"),
        ("error", {"source": "har:entries[2]", "name": "GET file:///C:/Users/me/saved.html"}, "scheme file", "left out"),
    ]  # fmt: skip
    rows = {r["source"]: (r["status"], r["codes"]) for r in report["ledger"]}
    assert rows["har:entries[1]"] == rows["har:entries[2]"] == ("not_converted", ["HAR011"])
    assert rows["har:entries[3]"][0] == "converted"
    assert report["summary"]["input"]["unsupported_scheme"] == 2
    assert urls(plan_doc) == ["https://shop.example.com/", "HTTP://shop.example.com/cart"]


def test_har014_no_request_left_says_why(write_har) -> None:
    only_static = har_doc([har_entry("https://shop.example.com/app.js", mime="application/javascript")])
    only_ftp = har_doc([har_entry("ftp://files.example.com/report.csv", mime="text/csv")])
    messages = []
    for name, doc in (("static.har", only_static), ("ftp.har", only_ftp), ("empty.har", har_doc([]))):
        plan_doc, report = run(write_har(doc, name))
        [diag] = [d for d in report["diagnostics"] if d["code"] == "HAR014"]
        assert (diag["severity"], diag["location"], diag["action"]) == ("warning", None, "the case is empty")
        messages.append(diag["message"])
        assert urls(plan_doc) == []
        content = next(op for op in plan_doc["operations"] if op["id"].endswith(":content"))
        assert content["body"] == {"contents": []}  # the case is created, empty (PT015)
        assert "PT015" in {d["code"] for d in report["diagnostics"]}
    assert messages == [
        "none of the 1 entries became a request (1 filtered out)",
        "none of the 1 entries became a request (0 filtered out)",  # not converted (HAR011), not filtered
        "the recording has no entries",
    ]


def test_har012_recorded_304_expected_as_200(write_har) -> None:
    # the cache validators that made the server answer 304 are dropped, so PerfTest's request gets a 200
    revalidated = har_entry(
        "https://shop.example.com/api/cart", status=304, headers=[("If-None-Match", '"abc"')]
    )
    plan_doc, report = run(write_har(har_doc([revalidated])))
    [diag] = [d for d in report["diagnostics"] if d["code"] == "HAR012"]
    assert (diag["severity"], diag["location"], diag["message"], diag["action"]) == (
        "info", {"source": "har:entries[0]", "name": "GET https://shop.example.com/api/cart"},
        "recorded 304 Not Modified", "expects 200",
    )  # fmt: skip
    text = json.dumps(plan_doc["operations"])
    assert "If-None-Match" not in text and '"304"' not in text and '"200"' in text


def test_har013_recorded_multipart_content_type_dropped(write_har) -> None:
    boundary = "----WebKitFormBoundaryX"
    post = {
        "mimeType": f"multipart/form-data; boundary={boundary}",
        "params": [{"name": "title", "value": "hello"}],
    }
    entry = har_entry("https://shop.example.com/upload", method="POST", post=post,
                      headers=[("Content-Type", f"multipart/form-data; boundary={boundary}"), ("Accept", "*/*")])  # fmt: skip
    plan_doc, report = run(write_har(har_doc([entry])))
    [diag] = [d for d in report["diagnostics"] if d["code"] == "HAR013"]
    assert (diag["severity"], diag["location"]["source"], diag["action"]) == (
        "info",
        "har:entries[0]",
        "header dropped",
    )
    assert diag["message"] == f"Content-Type: multipart/form-data; boundary={boundary}"
    [card] = request_cards(plan_doc)
    assert card["headers"] == [{"key": "Accept", "value": "*/*"}] and card["body_type"] == 1
