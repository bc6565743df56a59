"""Every HAR of the shared corpus converts: exit 0, a valid plan, a ledger row for every entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converter.plan import Plan
from tests.conftest import CORPUS, run_cli

HARS = sorted((CORPUS / "har").glob("*.har")) if (CORPUS / "har").is_dir() else []


@pytest.mark.skipif(not HARS, reason="shared corpus not present")
@pytest.mark.parametrize("path", HARS, ids=lambda p: p.name)
def test_corpus_har_converts(path: Path, tmp_path: Path) -> None:
    plan_path, report_path = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("har", str(path), "--dry-run", "-o", str(plan_path), "--report", str(report_path))
    assert result.exit_code == 0, result.stderr
    plan = Plan.from_json(plan_path.read_text(encoding="utf-8"))
    report = json.loads(report_path.read_text(encoding="utf-8"))

    entries = json.loads(path.read_bytes().decode("utf-8-sig"))["log"]["entries"]
    sources = [row["source"] for row in report["ledger"]]
    assert sorted(sources) == sorted(f"har:entries[{i}]" for i in range(len(entries)))
    assert len(set(sources)) == len(sources)

    summary = plan.summary["input"]
    filtered = sum(v for k, v in summary.items() if k.startswith("filtered."))
    assert summary["kept"] + filtered == summary["entries"] == len(entries)
    assert sum(1 for row in report["ledger"] if row["status"] == "filtered") == filtered
    assert plan.summary["requests"] == summary["requests"] - _method_drops(plan)
    # every not-converted or approximated entry carries the code that says why
    for row in report["ledger"]:
        if row["status"] in ("not_converted", "approximated", "filtered"):
            assert row["codes"], row


def _method_drops(plan: Plan) -> int:
    return sum(1 for d in plan.diagnostics if d.code == "PT002")


def test_corpus_has_hars_when_present() -> None:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present")
    assert len(HARS) >= 10
