"""One conversion end to end: read the input, build the scenario, emit the plan, keep the ledger."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_core import to_json

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
        return json.loads(self.report_json())

    def report_json(self) -> str:
        """:meth:`report` as the text ``--report`` writes (indented; serialised by pydantic-core in one pass,
        which matters with a ledger row per entry of a large recording)."""
        statuses: dict[str, int] = {}
        for row in self.ledger:
            statuses[row.status] = statuses.get(row.status, 0) + 1
        summary = dict(self.plan.summary)
        summary["ledger"] = {
            k: statuses.get(k, 0) for k in ("converted", "approximated", "not_converted", "filtered")
        }
        document = {"summary": summary, "diagnostics": self.plan.diagnostics, "ledger": self.ledger}
        return to_json(document, indent=2).decode("utf-8") + "\n"


def _finish(scenario: Scenario) -> Conversion:
    emitted = emit_plan(scenario)
    return Conversion(scenario=scenario, plan=emitted.plan, ledger=emitted.ledger)


def convert_har(path: Path, options: HarOptions | None = None) -> Conversion:
    return _finish(parse_har(path, options))


def convert_jmx(
    path: Path,
    properties: dict[str, str] | None = None,
    data_dir: Path | None = None,
    keep_secrets: bool = False,
) -> Conversion:
    scenario = parse_jmx(path, properties=properties or {}, data_dir=data_dir, keep_secrets=keep_secrets)
    return _finish(scenario)
