"""Diagnostics: what the converter noticed, where, and what it did instead.

Every code is declared once with :func:`define` (next to the module that emits it) and lands in
:data:`CATALOG`, so the README's code list and ``perftest-convert codes`` are generated from one place.
A :class:`Collector` gathers diagnostics and the source *ledger* (one row per input element or HAR entry,
with its conversion status) while a parser and an emitter run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["info", "warning", "error"]
Status = Literal["converted", "approximated", "not_converted", "filtered"]

SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class Strictness(str, Enum):
    """How far diagnostics go (after sqlglot's error levels)."""

    IGNORE = "ignore"  # collect, never fail
    WARN = "warn"  # collect and print (default)
    RAISE = "raise"  # --strict: any `error` diagnostic makes the command fail


@dataclass(frozen=True)
class CodeInfo:
    code: str
    severity: Severity
    title: str


CATALOG: dict[str, CodeInfo] = {}


def define(code: str, severity: Severity, title: str) -> str:
    """Declare a stable diagnostic code; returns the code so modules can keep it in a constant."""
    known = CATALOG.get(code)
    if known is not None and (known.severity, known.title) != (severity, title):
        raise ValueError(f"diagnostic code {code} declared twice with different meanings")
    CATALOG[code] = CodeInfo(code, severity, title)
    return code


class Location(BaseModel):
    """Where in the input: ``har:entries[17]`` or ``jmx:/TestPlan/ThreadGroup[1]/HTTPSamplerProxy[3]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    name: str | None = None  # HAR: "METHOD URL"; JMX: the element's testname


class Diagnostic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    severity: Severity
    location: Location | None = None
    message: str
    action: str = Field(default="", description="what was done instead")
    hint: str = ""


class LedgerRow(BaseModel):
    """One input element or entry and what became of it."""

    model_config = ConfigDict(extra="forbid")

    source: str
    kind: str
    name: str
    status: Status
    codes: list[str] = Field(default_factory=list)


# Validated constructors for the objects made once per input element (``Model.model_validate`` without the
# Python-level call around it; a ledger row and a diagnostic per entry of a large recording).
_new_diagnostic = Diagnostic.__pydantic_validator__.validate_python
_new_ledger_row = LedgerRow.__pydantic_validator__.validate_python

_STATUS_FOR_SEVERITY: dict[str, Status] = {
    "info": "converted",
    "warning": "approximated",
    "error": "not_converted",
}
_STATUS_RANK: dict[str, int] = {"converted": 0, "approximated": 1, "not_converted": 2, "filtered": 3}


def first_few(names: Sequence[str], shown: int = 3) -> str:
    """``names`` for a message about many elements: the first ``shown``, then how many more ("'a', 'b', 'c' and
    2 more")."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


class Collector:
    """Collects diagnostics and ledger rows; a row's status follows the worst diagnostic at its source."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._ledger: dict[str, LedgerRow] = {}
        self._shared: set[str] = set()  # rows still shared with the collector this one resumed
        self._once: set[tuple[str, str, str]] = set()  # (code, source, message) reported with report_once

    @classmethod
    def resume(cls, diagnostics: list[Diagnostic], ledger: list[LedgerRow]) -> Collector:
        """Continue collecting where a reader stopped (the emitter adds PerfTest diagnostics)."""
        collector = cls()
        collector.diagnostics = list(diagnostics)  # diagnostics are never changed, only added
        # Rows are copied on first change only: a large recording has many rows and few later diagnostics.
        collector._ledger = {row.source: row for row in ledger}
        collector._shared = set(collector._ledger)
        return collector

    def _row(self, source: str) -> LedgerRow:
        """The row at ``source``, owned by this collector (so it may be changed)."""
        row = self._ledger[source]
        if source in self._shared:
            row = row.model_copy(update={"codes": list(row.codes)})
            self._ledger[source] = row
            self._shared.discard(source)
        return row

    def report(
        self,
        code: str,
        location: Location | None,
        message: str,
        *,
        action: str = "",
        hint: str = "",
        severity: Severity | None = None,
    ) -> Diagnostic:
        info = CATALOG.get(code)
        if info is None:
            raise KeyError(f"undeclared diagnostic code {code}")
        diag: Diagnostic = _new_diagnostic(
            {
                "code": code,
                "severity": severity or info.severity,
                "location": location,
                "message": message,
                "action": action,
                "hint": hint,
            }
        )
        self.diagnostics.append(diag)
        if location is not None:
            self.mark(location.source, code, diag.severity)
        return diag

    def mark(self, source: str, code: str, severity: Severity | None = None) -> None:
        """Give the ledger row at ``source`` (if any) ``code`` and the status its severity implies, a filtered row
        staying filtered: what :meth:`report` does for the row it is located at, and what a diagnostic said once
        for many elements does for each of the others."""
        if source not in self._ledger:
            return
        row = self._row(source)
        if code not in row.codes:
            row.codes.append(code)
        if row.status != "filtered":
            new = _STATUS_FOR_SEVERITY[severity or CATALOG[code].severity]
            if _STATUS_RANK[new] > _STATUS_RANK[row.status]:
                row.status = new

    def report_once(
        self, code: str, location: Location | None, message: str, *, action: str = "", hint: str = ""
    ) -> None:
        """:meth:`report`, unless the same diagnostic (code, location, message) was reported this way before:
        an element applied to many requests (an assertion in a thread group's scope) is reported once."""
        key = (code, location.source if location is not None else "", message)
        if key not in self._once:
            self._once.add(key)
            self.report(code, location, message, action=action, hint=hint)

    def track(self, source: str, kind: str, name: str, status: Status = "converted") -> LedgerRow:
        """Register an input element in the ledger (once); later diagnostics refine its status."""
        if source in self._ledger:
            return self._row(source)
        row: LedgerRow = _new_ledger_row({"source": source, "kind": kind, "name": name, "status": status})
        self._ledger[source] = row
        return row

    def status_of(self, source: str) -> Status:
        return self._ledger[source].status

    def set_status(self, source: str, status: Status) -> None:
        self._row(source).status = status

    @property
    def ledger(self) -> list[LedgerRow]:
        return list(self._ledger.values())

    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def count_by_severity(diagnostics: list[Diagnostic]) -> dict[str, int]:
    counts = Counter(d.severity for d in diagnostics)
    return {sev: counts.get(sev, 0) for sev in ("info", "warning", "error")}
