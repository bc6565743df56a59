"""One focused test per HAR diagnostic code that no other test made: each converts a small inline recording with
the real CLI and asserts the code, its severity, the entry it points at, the ledger row and what the plan holds
instead."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import har_doc, har_entry, run_cli, ts


def run(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Convert with ``perftest-convert har --dry-run --report``: (plan, report)."""
    out, report = path.with_suffix(".plan.json"), path.with_suffix(".report.json")
    result = run_cli("har", str(path), "--dry-run", "-q", "-o", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text("utf-8")), json.loads(report.read_text("utf-8"))


def urls(plan_doc: dict[str, Any]) -> list[str]:
    """The URL of every request card of the plan, in document order."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "protocol_type" in value:
                found.append(value["url"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk([op["body"] for op in plan_doc["operations"]])
    return found


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
