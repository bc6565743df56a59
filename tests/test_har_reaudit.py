"""Findings of the HAR re-audit: forms recorded under another type, ordinary ``code`` fields, browser-made
redirects sent to another site, and short OAuth codes."""

from __future__ import annotations

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
        _post("https://a.test/a", "application/json", "password=MismatchPw12345&pin=77", 1),
        _post("https://a.test/b", "application/x-www-form-urlencoded", '{"token":"MismatchTok98765"}', 2),
        _post("https://a.test/c", "text/plain", "note=short&pass=abc", 3),
    ]
    path = write_har(har_doc(entries))
    scenario = parse_har(path)
    bodies = [(r.body.kind, r.body.text, r.body.content_type) for r in _requests(scenario) if r.body]
    assert bodies == [
        ("raw", "username=alice&password=${password}", "text/plain;charset=UTF-8"),
        ("raw", "password=${password}&pin=77", "application/json"),
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
