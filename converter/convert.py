"""One conversion end to end: read the input, build the scenario, emit the plan, keep the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from converter.diagnostics import LedgerRow
from converter.emit.perftest import emit_plan
from converter.model import Scenario
from converter.parsers.har import HarOptions, parse_har
from converter.parsers.jmx import parse_jmx
from converter.plan import Plan


@dataclass
class Conversion:
    scenario: Scenario
    plan: Plan
    ledger: list[LedgerRow]

    def not_converted(self) -> int:
        """How many input items were not converted (an `error` diagnostic or a not_converted ledger row)."""
        rows = sum(1 for row in self.ledger if row.status == "not_converted")
        loose = sum(1 for d in self.plan.diagnostics if d.severity == "error" and d.location is None)
        return rows + loose

    def report(self) -> dict[str, Any]:
        """The ``--report`` document: summary, every diagnostic, and one ledger row per input item."""
        statuses: dict[str, int] = {}
        for row in self.ledger:
            statuses[row.status] = statuses.get(row.status, 0) + 1
        summary = dict(self.plan.summary)
        summary["ledger"] = {
            k: statuses.get(k, 0) for k in ("converted", "approximated", "not_converted", "filtered")
        }
        return {
            "summary": summary,
            "diagnostics": [d.model_dump(mode="json") for d in self.plan.diagnostics],
            "ledger": [row.model_dump(mode="json") for row in self.ledger],
        }


def _finish(scenario: Scenario) -> Conversion:
    emitted = emit_plan(scenario)
    return Conversion(scenario=scenario, plan=emitted.plan, ledger=emitted.ledger)


def convert_har(path: Path, options: HarOptions | None = None) -> Conversion:
    return _finish(parse_har(path, options))


def convert_jmx(
    path: Path, properties: dict[str, str] | None = None, data_dir: Path | None = None
) -> Conversion:
    return _finish(parse_jmx(path, properties=properties or {}, data_dir=data_dir))
