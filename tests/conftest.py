"""Shared test helpers: paths, a HAR builder, and running the CLI in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"


def header_list(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"name": n, "value": v} for n, v in pairs]


def har_entry(
    url: str,
    *,
    method: str = "GET",
    status: int = 200,
    start: str = "2026-01-01T00:00:00.000Z",
    time: float = 10,
    headers: list[tuple[str, str]] | None = None,
    mime: str = "text/html",
    post: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "startedDateTime": start,
        "time": time,
        "request": {
            "method": method,
            "url": url,
            "httpVersion": "HTTP/1.1",
            "headers": header_list(*(headers or [])),
        },
        "response": {
            "status": status,
            "headers": [],
            "content": {"mimeType": mime, "size": 0},
            "redirectURL": "",
        },
    }
    if post is not None:
        entry["request"]["postData"] = post
    entry.update(extra)
    return entry


def har_doc(entries: list[dict[str, Any]], pages: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    log: dict[str, Any] = {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}
    if pages is not None:
        log["pages"] = pages
    return {"log": log}


def ts(seconds: float) -> str:
    """An ISO timestamp `seconds` after a fixed origin."""
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    return f"2026-01-01T00:{whole // 60:02d}:{whole % 60:02d}.{millis:03d}Z"


def request_cards(plan_doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every request card of a plan document (case contents and transactions), in document order."""

    def walk(value: Any) -> list[dict[str, Any]]:
        if isinstance(value, dict):
            own = [value] if "protocol_type" in value else []
            return own + [card for item in value.values() for card in walk(item)]
        if isinstance(value, list):
            return [card for item in value for card in walk(item)]
        return []

    return walk([op["body"] for op in plan_doc["operations"]])


@pytest.fixture
def write_har(tmp_path: Path):
    def write(doc: dict[str, Any] | str, name: str = "input.har") -> Path:
        path = tmp_path / name
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
        return path

    return write


def run_cli(*args: str) -> Result:
    from converter.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def har_outputs(path: Path, tmp_path: Path, *options: str) -> str:
    """Plan, report and console output of ``perftest-convert har PATH --dry-run``, as one text (leak checks)."""
    plan, report = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("har", str(path), "--dry-run", "-o", str(plan), "--report", str(report), *options)
    assert result.exit_code == 0, result.output
    return plan.read_text() + report.read_text() + result.stdout + result.stderr
