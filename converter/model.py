"""The scenario model: the one vocabulary between the readers (JMX, HAR) and the PerfTest emitter.

It knows neither input format nor PerfTest's JSON. Every object validates itself on construction
(pydantic v2) and :func:`scenario_json_schema` exports the JSON Schema (``perftest-convert schema``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from converter.diagnostics import Diagnostic, LedgerRow, Location


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Header(_Model):
    name: str
    value: str


class FormField(_Model):
    name: str
    value: str


class Part(_Model):
    """One multipart/form-data part; a file part carries a placeholder value, never file bytes."""

    name: str
    value: str = ""
    filename: str | None = None
    content_type: str | None = None


class Body(_Model):
    """A request body: ``raw`` text with its content type, url-encoded ``form`` fields, or ``multipart`` parts."""

    kind: Literal["raw", "form", "multipart"]
    text: str = ""
    content_type: str | None = None
    fields: list[FormField] = Field(default_factory=list)
    parts: list[Part] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Body:
        if self.kind != "raw" and self.text:
            raise ValueError("only a raw body has text")
        if self.kind != "form" and self.fields:
            raise ValueError("only a form body has fields")
        if self.kind != "multipart" and self.parts:
            raise ValueError("only a multipart body has parts")
        return self


class Check(_Model):
    """An assertion on the response. ``values`` are combined with ``combine``; ``negate`` inverts each."""

    target: Literal["status", "header", "body", "url", "message", "duration", "size"]
    operator: Literal["equals", "contains", "regex", "lt", "le", "gt", "ge"]
    values: list[str] = Field(min_length=1)
    combine: Literal["and", "or"] = "and"
    negate: bool = False
    header: str | None = None  # target == "header": which header (None: all headers)
    origin: Location | None = None  # the assertion it comes from: its problems are reported there


class Extract(_Model):
    """Pull a value out of a response into a (case-local) variable."""

    variable: str = Field(min_length=1)
    source: Literal["body", "headers", "url", "status"] = "body"
    kind: Literal["regex", "jsonpath", "xpath", "boundary", "css"]
    expression: str
    right: str | None = None  # boundary extractor: right boundary (expression holds the left one)
    attribute: str | None = None  # css extractor: attribute ("" / None = text)
    match_no: int = 1  # 1-based; 0 = random; -1 = all
    group: int = 1
    default: str = ""
    origin: Location | None = None  # the extractor it comes from: its problems are reported there


class Request(_Model):
    kind: Literal["request"] = "request"
    name: str
    protocol: Literal["http", "https", "tcp", "websocket", "mqtt"] = "https"
    method: str
    url: str
    headers: list[Header] = Field(default_factory=list)
    body: Body | None = None
    # None: not set, or no limit of the source's own (the operating system's wait): the target's default
    # applies, as the target documents no maximum that could stand for "none" (unlike the response timeout)
    connect_timeout_ms: int | None = None
    response_timeout_ms: int | None = Field(default=None, ge=0)  # None: not set; 0: wait without limit
    recorded_ms: int | None = Field(default=None, ge=0)  # how long the response took in a recording
    follow_redirects: bool = True
    checks: list[Check] = Field(default_factory=list)
    extracts: list[Extract] = Field(default_factory=list)
    source: Location | None = None


class Think(_Model):
    """Pause before the next step (PerfTest treats think time as a minimum pacing)."""

    kind: Literal["think"] = "think"
    ms: int = Field(ge=0)
    source: Location | None = None


class TransactionRef(_Model):
    kind: Literal["transaction_ref"] = "transaction_ref"
    transaction: str  # the Transaction's key in Scenario.transactions
    source: Location | None = None


class Loop(_Model):
    """Repeat the children ``count`` times, or while ``condition`` holds (count None)."""

    kind: Literal["loop"] = "loop"
    name: str = ""
    count: int | None = Field(default=None, ge=0)
    condition: str | None = None
    steps: list[Step] = Field(default_factory=list)
    source: Location | None = None


class Condition(_Model):
    """Run the children when ``left operator right`` holds."""

    kind: Literal["condition"] = "condition"
    name: str = ""
    left: str
    operator: Literal["==", "!=", ">", ">=", "<", "<=", "contains", "not_contains", "expression"]
    right: str = ""
    steps: list[Step] = Field(default_factory=list)
    source: Location | None = None


class Rendezvous(_Model):
    """Hold virtual users until ``count`` have arrived (0: all the users of the case running it) or
    ``timeout_ms`` passed; ``timeout_ms`` 0 means no limit (JMeter's Synchronizing Timer timeout 0), as a
    request's 0 response timeout does: the target's nearest setting is the emitter's to choose and say."""

    kind: Literal["rendezvous"] = "rendezvous"
    name: str
    count: int = Field(ge=0)
    timeout_ms: int = Field(ge=0)
    source: Location | None = None


class Throughput(_Model):
    """Run the children for ``percent`` of the iterations (``by="throughput"``) or of the users (``"users"``)."""

    kind: Literal["throughput"] = "throughput"
    name: str = ""
    percent: float = Field(ge=0, le=100)
    by: Literal["throughput", "users"] = "throughput"
    steps: list[Step] = Field(default_factory=list)
    source: Location | None = None


Step = Annotated[
    Request | Think | TransactionRef | Loop | Condition | Rendezvous | Throughput,
    Field(discriminator="kind"),
]

for _container in (Loop, Condition, Throughput):
    _container.model_rebuild()


class Transaction(_Model):
    """A named, reusable group of steps (JMeter Transaction Controller; a HAR page)."""

    name: str
    steps: list[Step] = Field(default_factory=list)
    source: Location | None = None


class Stage(_Model):
    """One load stage: ramp from the previous stage's users to ``users`` over ``ramp_s`` (up or down), then hold
    for ``hold_s`` seconds or run ``iterations`` iterations per user. ``tps`` caps the rate; with ``tps_start``
    the ramp is a rate ramp instead: ``users`` hold from the start while the target goes linearly from
    ``tps_start`` to ``tps`` over ``ramp_s`` (JMeter's throughput schedules and arrival ramps)."""

    users: int = Field(ge=0)
    ramp_s: int = Field(default=0, ge=0)
    hold_s: int | None = Field(default=None, ge=0)
    iterations: int | None = Field(default=None, ge=1)
    tps: int | None = Field(default=None, ge=0)
    tps_start: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_length(self) -> Stage:
        if (self.hold_s is None) == (self.iterations is None):
            raise ValueError("a stage runs either for hold_s seconds or for a number of iterations")
        if self.tps_start is not None and (self.tps is None or self.iterations is not None):
            raise ValueError("a rate ramp (tps_start) needs a tps target and a duration")
        return self


class LoadProfile(_Model):
    stages: list[Stage] = Field(min_length=1)
    delay_s: int = Field(default=0, ge=0)  # start delay (JMeter scheduler delay)


class Case(_Model):
    """One load case (a JMeter thread group, or the whole HAR recording)."""

    name: str
    steps: list[Step] = Field(default_factory=list)
    load: LoadProfile
    role: Literal["main", "setup", "teardown"] = "main"
    source: Location | None = None


class Variable(_Model):
    """A PerfTest global variable. ``secret`` ones carry no value: the user fills them at upload time.

    ``read_mode``: each read takes the next value in order (``sequential``, back to the first after the last) or
    any value (``random``). ``share_mode``: who reads one sequence of values in turn: every user of every case
    (``all``), the users of one case (``case``), or each user its own copy from the first value (``user``)."""

    name: str = Field(min_length=1)
    kind: Literal["int_range", "enum", "file", "text"]
    values: list[Any] = Field(default_factory=list)
    read_mode: Literal["sequential", "random"] = "sequential"
    share_mode: Literal["all", "case", "user"] = "all"
    secret: bool = False
    source: Location | None = None

    @model_validator(mode="after")
    def _shape(self) -> Variable:
        if self.kind == "int_range" and (
            len(self.values) != 2 or not all(isinstance(v, int) for v in self.values)
        ):
            raise ValueError("an int_range variable has exactly two integer values [min, max]")
        if self.secret and any(v != "" for v in self.values):
            raise ValueError("a secret variable carries no recorded value")
        return self


class SourceInfo(_Model):
    kind: Literal["har", "jmx"]
    path: str
    sha256: str


class Scenario(_Model):
    name: str
    source: SourceInfo
    variables: list[Variable] = Field(default_factory=list)
    transactions: dict[str, Transaction] = Field(default_factory=dict)
    cases: list[Case] = Field(default_factory=list)
    parallel: bool = True  # cases run in parallel (JMeter: not serialize_threadgroups)
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    ledger: list[LedgerRow] = Field(default_factory=list)
    stats: dict[str, int] = Field(default_factory=dict)  # reader counters, e.g. "filtered.static"
    properties_used: dict[str, str] = Field(default_factory=dict)
    producer: str = ""  # the tool that wrote the input, e.g. "WebInspector 537.36" or "JMeter 5.5"

    @model_validator(mode="after")
    def _refs_resolve(self) -> Scenario:
        for case in self.cases:
            _check_refs(case.steps, self.transactions)
        for transaction in self.transactions.values():
            _check_refs(transaction.steps, self.transactions)
        return self


def _check_refs(steps: list[Any], transactions: dict[str, Transaction]) -> None:
    # (a module function: a recursive closure would form a reference cycle holding the whole scenario)
    for step in steps:
        if isinstance(step, TransactionRef) and step.transaction not in transactions:
            raise ValueError(f"step refers to unknown transaction {step.transaction!r}")
        if isinstance(step, Loop | Condition | Throughput):
            _check_refs(step.steps, transactions)


def scenario_json_schema() -> dict[str, Any]:
    return Scenario.model_json_schema()
