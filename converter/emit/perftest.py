"""Scenario -> Plan: the PerfTest API calls that recreate a scenario, in order (DESIGN.md section 4).

All PerfTest JSON comes from :mod:`converter.emit.cards`; this module decides which cards and calls a
scenario needs, enforces PerfTest's limits, and reports (``PT…`` codes) what it had to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from converter import api
from converter.diagnostics import Collector, LedgerRow, Location, count_by_severity, define, first_few
from converter.emit import cards
from converter.emit.checks import check_cards, extract_card
from converter.emit.names import NameRegistry, slug, with_suffix
from converter.emit.stages import stages
from converter.gcpause import collector_paused
from converter.model import (
    Case,
    Condition,
    Loop,
    Rendezvous,
    Request,
    Scenario,
    Step,
    Think,
    Throughput,
    Transaction,
    TransactionRef,
    Variable,
)
from converter.plan import Operation, Plan, PlanSource, path_ref, ref

PT_NAME = define("PT001", "info", "name changed to fit PerfTest's rules (1–42 characters, unique, plain)")
PT_METHOD = define("PT002", "error", "HTTP method not supported by PerfTest (GET/POST/PUT/PATCH/DELETE only)")
PT_SPLIT = define(
    "PT003", "warning", "transaction split: PerfTest allows at most 40 requests per transaction"
)
PT_STEPS = define("PT004", "error", "case truncated: PerfTest allows at most 1024 steps per case")
PT_BIG_CONTROLLER = define(
    "PT045",
    "error",
    "controller in a transaction holds more than 40 requests: PerfTest cannot store it there",
)
PT_TIMEOUT = define("PT006", "warning", "response timeout clamped to PerfTest's range (20 ms – 5 min)")
PT_SLOW = define(
    "PT024", "info", "response slower than PerfTest's default timeout in the recording: timeout raised"
)
PT_NO_TIMEOUT = define(
    "PT023",
    "warning",
    "requests that wait without limit (JMeter: no response timeout) get PerfTest's maximum",
)
PT_RENDEZVOUS_NO_TIMEOUT = define(
    "PT026", "warning", "rendezvous without a timeout (no limit in the source) gets a fixed one of 1 hour"
)
# a rendezvous needs a number and PerfTest documents no "no limit" value nor a maximum for it: one hour, far
# beyond any sane wait, still releases users if some never arrive
RENDEZVOUS_NO_TIMEOUT_MS = 3_600_000
PT_REDIRECT = define("PT012", "warning", "request does not follow redirects; PerfTest has no such switch")
PT_ROLE = define("PT014", "warning", "setUp/tearDown case: run order is kept only when cases run serially")
PT_EMPTY = define("PT015", "warning", "case has no steps")
PT_NON_HTTP = define("PT016", "warning", "TCP/WebSocket action sent with an inferred request-card method")
PT_VARIABLE_MODE = define(
    "PT030",
    "warning",
    "variable read at random or per user: CreateVariable has no field for its read or share mode",
)

MAX_REQUESTS_PER_TEMP = api.MAX_REQUESTS_PER_TEMP
MAX_STEPS_PER_CASE = api.MAX_STEPS_PER_CASE
ALLOWED_METHODS = api.ALLOWED_METHODS


@dataclass
class Emitted:
    plan: Plan
    ledger: list[LedgerRow]


@dataclass
class _TempPart:
    op_id: str
    name: str
    steps: list[Step]
    description: str = ""
    requests: int = 0  # request cards it holds
    refs: list[str] = field(default_factory=list)  # the parts its steps refer to


@dataclass
class _Emitter:
    scenario: Scenario
    diag: Collector
    operations: list[Operation] = field(default_factory=list)
    temp_parts: dict[str, list[_TempPart]] = field(default_factory=dict)
    op_ids: set[str] = field(default_factory=set)
    requests: int = 0
    # requests that do not follow redirects, by source (PT012 is said once per plan: see no_redirects)
    no_redirect: dict[str, tuple[Location | None, str]] = field(default_factory=dict)
    # after a case was cut at MAX_STEPS_PER_CASE (PT004): the parts its kept steps refer to, by case, and the
    # model steps cut from cases directly
    case_refs: list[str] = field(default_factory=list)
    truncated: bool = False

    # ---- helpers -------------------------------------------------------------------------------
    def op_id(self, prefix: str, name: str) -> str:
        base = f"{prefix}:{slug(name) or 'x'}"
        candidate, number = base, 2
        while candidate in self.op_ids:
            candidate = f"{base}-{number}"
            number += 1
        self.op_ids.add(candidate)
        return candidate

    def add(self, op: Operation) -> None:
        # Every operation follows the documented contract (Operation.contract_problem): the tests check each one
        # the golden, corpus and property plans hold, and the uploader checks every plan before it sends anything.
        self.operations.append(op)

    def claim(
        self,
        registry: NameRegistry,
        wanted: str,
        fallback: str,
        where: Location | None,
        original: str = "",
        *,
        described: bool = True,
    ) -> str:
        """A valid unique name for ``wanted``; PT001 when it is not ``original`` (default: ``wanted``).
        ``described``: the resource's create body has a description that keeps the original (CreateTemp has;
        CreateCase, table 4-106, has none)."""
        name = registry.claim(wanted, fallback)
        original = original or wanted
        if name != original:
            self.diag.report(
                PT_NAME,
                where,
                f"name {original!r} became {name!r}",
                action="the original name is kept in the description"
                if described
                else "the case keeps only the new name (CreateCase has no description field)",
            )
        return name

    def scenario_names(self) -> tuple[str, str, str]:
        """The project's and the task's names (both the scenario's) and the project's description, which keeps
        the original name when it had to change (PT001, once for both: CreateTask, table 4-79, has no
        description field)."""
        scenario = self.scenario
        project = NameRegistry().claim(scenario.name, "perftest-project")
        task = NameRegistry().claim(scenario.name, "perftest-task")
        description = f"Converted from {scenario.source.kind.upper()} {PurePath(scenario.source.path).name}"
        if project != scenario.name and scenario.name.strip():
            description += f": {scenario.name}"
            self.diag.report(
                PT_NAME,
                None,
                f"project and task name {scenario.name!r} became {project!r}",
                action="the original name is kept in the project's description (the task has no description)",
            )
        return project, task, description

    def report_mode(self, variable: Variable) -> None:
        """The reference documents a variable's read mode (sequential / random) and share mode (case / each user
        its own sequence) only in what ListVariables returns (VariableDetail, table 4-133): the create and update
        bodies (tables 4-137, 4-143) have no field for them, so the plan cannot set them."""
        wanted = []
        if variable.read_mode == "random":
            wanted.append("values taken at random (read mode: random)")
        if variable.share_mode == "user":
            wanted.append(
                "each virtual user reading its own sequence from the first value (share mode: concurrency)"
            )
        if wanted:
            self.diag.report(
                PT_VARIABLE_MODE,
                variable.source,
                f"${{{variable.name}}} wants " + " and ".join(wanted),
                action="created without a mode (CreateVariable, table 4-137, has none): PerfTest's default applies",
                hint=f"set the mode of {variable.name} in PerfTest's variable settings after the upload",
            )

    # ---- requests and cards --------------------------------------------------------------------
    def response_timeout(self, req: Request) -> int:
        """The request's response timeout; when it sets none, PerfTest's default, unless the recording shows a
        response slower than that: then twice the recorded time (whole seconds), so the replay can succeed."""
        recorded = req.recorded_ms
        if req.response_timeout_ms is None and recorded is not None and recorded > cards.DEFAULT_TIMEOUT_MS:
            wanted = -(-recorded * 2 // 1000) * 1000
            chosen = min(wanted, cards.MAX_TIMEOUT_MS)
            self.diag.report(
                PT_SLOW
                if chosen == wanted
                else PT_TIMEOUT,  # (slower than the maximum: the replay times out)
                req.source,
                f"the response took {recorded} ms in the recording, over PerfTest's default timeout "
                f"of {cards.DEFAULT_TIMEOUT_MS} ms",
                action=f"response timeout set to {chosen} ms"
                + ("" if chosen == wanted else " (PerfTest's maximum)"),
            )
            return chosen
        return self.timeout(req.response_timeout_ms, "response timeout", req.source)

    def timeout(self, value: int | None, what: str, where: Location | None) -> int:
        if value == 0 and what == "response timeout":
            # the source waits without limit (JMeter's unset timeout); PerfTest needs one, and its maximum is
            # the nearest to none. Said once per plan: it is the same for every such request.
            self.diag.report_once(
                PT_NO_TIMEOUT,
                None,
                "requests without a response timeout: the source waits for their responses without limit",
                action=f"they wait at most {cards.MAX_TIMEOUT_MS} ms, PerfTest's maximum "
                f"(not its default {cards.DEFAULT_TIMEOUT_MS} ms)",
                hint="set a response timeout on the samplers or HTTP Request Defaults to choose another one",
            )
            return cards.MAX_TIMEOUT_MS
        if value is None or value <= 0:
            return cards.DEFAULT_TIMEOUT_MS
        clamped = min(max(value, cards.MIN_TIMEOUT_MS), cards.MAX_TIMEOUT_MS)
        if clamped != value:
            self.diag.report(PT_TIMEOUT, where, f"{what} of {value} ms", action=f"set to {clamped} ms")
        return clamped

    def rendezvous_timeout(self, item: Rendezvous) -> int:
        """The model's 0 (no limit) as a long fixed timeout, said once per plan."""
        if item.timeout_ms:
            return item.timeout_ms
        self.diag.report_once(
            PT_RENDEZVOUS_NO_TIMEOUT,
            None,
            "rendezvous steps without a timeout: the source holds the users without limit",
            action=f"they wait at most {RENDEZVOUS_NO_TIMEOUT_MS} ms (PerfTest documents no 'no limit')",
            hint="set the timeout the users should really wait",
        )
        return RENDEZVOUS_NO_TIMEOUT_MS

    def request_cards(self, req: Request, after_think: bool = False) -> list[dict[str, Any]] | None:
        """The cards of a request (None when PerfTest cannot send it: PT002). ``after_think``: a think time
        step comes right before it, which is kept when the request is left out (the source pauses there)."""
        where = req.source
        method = req.method.upper()
        if req.protocol not in ("http", "https") and method not in ALLOWED_METHODS:
            mapped = cards.NON_HTTP_METHODS.get(method)
            if mapped is not None:
                self.diag.report(
                    PT_NON_HTTP,
                    where,
                    f"{req.protocol} {method} {req.url}",
                    action=f"sent as a {req.protocol} request card with method {mapped}",
                    hint="check the step in PerfTest after upload; the card shape for this protocol is inferred",
                )
                method = mapped
        if method not in ALLOWED_METHODS:
            self.diag.report(
                PT_METHOD,
                where,
                f"{method} {req.url}",
                action="request left out of the PerfTest test"
                + (
                    "; the think time before it is kept (the source pauses there before sending it)"
                    if after_think
                    else ""
                ),
                hint="PerfTest requests can only be GET, POST, PUT, PATCH or DELETE",
            )
            return None
        if not req.follow_redirects:
            key = (
                where.source if where is not None else f"#{len(self.no_redirect)}"
            )  # (no source: each its own)
            self.no_redirect.setdefault(key, (where, f"{method} {req.url}"))
        body_text: str | None = None
        bodys: list[tuple[str, str]] = []
        body_type = cards.BODY_RAW
        if req.body is not None:
            if req.body.kind == "raw":
                body_text = req.body.text
            elif req.body.kind == "form":
                body_type = cards.BODY_URLENCODED
                bodys = [(f.name, f.value) for f in req.body.fields]
            else:
                body_type = cards.BODY_MULTIPART
                bodys = [(p.name, p.value) for p in req.body.parts]
        out = [
            cards.request_card(
                name=req.name or method,  # no documented length rule for card names: kept whole
                protocol_type=cards.PROTOCOL_TYPES[req.protocol],
                method=method,
                url=req.url,
                headers=[(h.name, h.value) for h in req.headers],
                body_type=body_type,
                body=body_text,
                bodys=bodys,
                # no documented range: the source's own value, as it is (cards.DEFAULT_CONNECT_TIMEOUT_MS)
                connect_timeout_ms=req.connect_timeout_ms or cards.DEFAULT_CONNECT_TIMEOUT_MS,
                return_timeout_ms=self.response_timeout(req),
            )
        ]
        if req.checks:
            out.extend(check_cards(req.checks, where, self.diag))
        for extract in req.extracts:
            card = extract_card(extract, where, self.diag)
            if card is not None:
                out.append(card)
        self.requests += 1
        return out

    def no_redirects(self) -> None:
        """PT012 once for every request that does not follow redirects (a hand-written plan leaves the flag
        unset on every sampler): at the first, naming the first three and the count; every request's ledger
        row still gets the code, and the status a warning implies (a filtered row stays filtered)."""
        if not self.no_redirect:
            return
        (first, text), *others = self.no_redirect.values()
        message = text
        if others:
            names = first_few(
                [
                    repr(loc.name if loc is not None and loc.name else what)
                    for loc, what in self.no_redirect.values()
                ]
            )
            message = f"{len(self.no_redirect)} requests ({names}) do not follow redirects; the first: {text}"
        self.diag.report(
            PT_REDIRECT,
            first,
            message,
            action="sent as plain requests" if others else "sent as a plain request",
            hint="PerfTest has no per-request redirect switch: check the steps that expect a 3xx response",
        )
        for loc, _ in others:
            if loc is not None:
                self.diag.mark(loc.source, PT_REDIRECT)

    # ---- steps -----------------------------------------------------------------------------------
    def steps(self, steps: list[Step], *, in_case: bool, users: int) -> list[dict[str, Any]]:
        """The step envelopes of ``steps``: a case's (``in_case``) or a transaction's. ``users`` is the most users of
        the case(s) that run them: the count of a rendezvous of "all the users" (count 0)."""
        out: list[dict[str, Any]] = []
        previous: Step | None = None
        for item in steps:
            after_think = isinstance(previous, Think)
            out.extend(
                self.one_step(item, index=len(out), in_case=in_case, users=users, after_think=after_think)
            )
            previous = item
        for number, envelope in enumerate(out):
            envelope["index"] = number
        return out

    def envelope(self, in_case: bool, index: int, cards_: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
        if in_case or kw:
            return cards.step(index=index, cards=cards_, **kw)
        return cards.temp_step(index=index, cards=cards_)

    def one_step(
        self, item: Step, *, index: int, in_case: bool, users: int, after_think: bool = False
    ) -> list[dict[str, Any]]:
        if isinstance(item, Request):
            request_cards = self.request_cards(item, after_think)
            return [] if request_cards is None else [self.envelope(in_case, index, request_cards)]
        if isinstance(item, Think):
            return [self.envelope(in_case, index, [cards.think_card("think_time", item.ms)])]
        if isinstance(item, TransactionRef):
            return [
                cards.step(
                    index=index + n,
                    cards=[],
                    content_id=ref(part.op_id),
                    selected_temp_name=part.name,
                )
                for n, part in enumerate(self.temp_parts[item.transaction])
            ]
        if isinstance(item, Loop):
            data = cards.loop_data(
                count=item.count,
                condition=item.condition,
                children=self.steps(item.steps, in_case=in_case, users=users),
            )
            return [cards.step(index=index, cards=[], data_type=cards.STEP_LOOP, data=data)]
        if isinstance(item, Condition):
            data, conditions = cards.condition_parts(
                left=item.left,
                operator=item.operator,
                right=item.right,
                children=self.steps(item.steps, in_case=in_case, users=users),
            )
            return [
                cards.step(
                    index=index, cards=[], data_type=cards.STEP_CONDITION, data=data, conditions=conditions
                )
            ]
        if isinstance(item, Rendezvous):
            count = item.count or users  # 0: every user of the case, as JMeter's group size 0
            data = cards.rendezvous_data(
                name=item.name, count=count, timeout_ms=self.rendezvous_timeout(item)
            )
            return [cards.step(index=index, cards=[], data_type=cards.STEP_RENDEZVOUS, data=data)]
        assert isinstance(item, Throughput)
        kind = cards.STEP_THROUGHPUT if item.by == "throughput" else cards.STEP_VU_PERCENT
        data = cards.percent_data(
            percent=item.percent, children=self.steps(item.steps, in_case=in_case, users=users)
        )
        return [cards.step(index=index, cards=[], data_type=kind, data=data)]

    # ---- transactions ------------------------------------------------------------------------------
    def fitting(self, transaction: Transaction) -> list[Step]:
        """The transaction's steps without its controllers that hold more than 40 requests (PT045).

        A transaction is split only between its top-level steps: cutting a loop or a condition into several
        would repeat or re-test what JMeter runs or tests once (a loop of 3 over requests 1-45 is not loops of 3
        over 1-40 then over 41-45; a condition re-tested after request 40 may have changed), so such a
        controller cannot fit in any transaction, and UpdateTemp would be refused."""
        kept: list[Step] = []
        for item in transaction.steps:
            size = _count_requests([item])
            if isinstance(item, Loop | Condition | Throughput) and size > MAX_REQUESTS_PER_TEMP:
                kind = {Loop: "loop", Condition: "condition", Throughput: "throughput"}[type(item)]
                self.diag.report(
                    PT_BIG_CONTROLLER,
                    item.source or transaction.source,
                    f"transaction {transaction.name!r}: a {kind} controller holds {size} requests "
                    f"(a transaction holds at most {MAX_REQUESTS_PER_TEMP})",
                    action=f"the controller and its {size} requests left out of the transaction",
                    hint="move the controller out of the Transaction Controller, or split it into controllers "
                    f"of at most {MAX_REQUESTS_PER_TEMP} requests each",
                )
                for source in _request_sources(item.steps):
                    self.diag.mark(source, PT_BIG_CONTROLLER)
                continue
            kept.append(item)
        return kept

    def transactions(self, registry: NameRegistry) -> None:
        for key, transaction in self.scenario.transactions.items():
            kept = self.fitting(transaction)
            chunks = _split(kept)
            if len(chunks) > 1:
                self.diag.report(
                    PT_SPLIT,
                    transaction.source,
                    f"transaction {transaction.name!r} has {_count_requests(kept)} requests",
                    action=f"split into {len(chunks)} consecutive transactions",
                )
            parts = []
            for number, chunk in enumerate(chunks, start=1):
                if len(chunks) == 1:
                    name = self.claim(registry, transaction.name, "transaction", transaction.source)
                    description = transaction.name
                else:  # the part's number kept whatever the title's length, and said in the description
                    suffix = f" part {number}"
                    fitted = with_suffix(transaction.name, suffix, "transaction")
                    name = self.claim(
                        registry, fitted, "transaction", transaction.source, transaction.name + suffix
                    )
                    description = f"{transaction.name} (part {number} of {len(chunks)})"
                parts.append(
                    _TempPart(op_id=self.op_id("temp", name), name=name, steps=chunk, description=description)
                )
            self.temp_parts[key] = parts
        # Create every transaction first, then fill them: steps may refer to nothing but variables.
        for key, parts in self.temp_parts.items():
            transaction = self.scenario.transactions[key]
            for part in parts:
                self.add(
                    Operation(
                        id=part.op_id,
                        operation="CreateTemp",
                        method="POST",
                        path="/v1/{project_id}/templates",
                        body=cards.temp_create_body(
                            project=ref("project"), name=part.name, description=part.description
                        ),
                        expect=201,
                        capture={"id": "tempId"},
                        depends_on=["project"],
                    )
                )
        users_of = _users_by_transaction(self.scenario)
        for key, parts in self.temp_parts.items():
            transaction = self.scenario.transactions[key]
            for part in parts:
                before = self.requests
                envelopes = self.steps(part.steps, in_case=False, users=users_of.get(key, 1))
                part.requests, part.refs = self.requests - before, _refs(envelopes)
                self.add(
                    Operation(
                        id=f"{part.op_id}:steps",
                        operation="UpdateTemp",
                        method="PUT",
                        path=f"/v1/{{project_id}}/templates/{path_ref(part.op_id)}",
                        body=cards.temp_update_body(
                            temp=ref(part.op_id),
                            project=ref("project"),
                            name=part.name,
                            description=part.description,
                            steps=envelopes,
                        ),
                        expect=204,
                        depends_on=["project", part.op_id],
                    )
                )

    # ---- PerfTest's step limit ------------------------------------------------------------------------
    def truncate(
        self,
        case: Case,
        steps: list[dict[str, Any]],
        emitted: list[tuple[Step, list[dict[str, Any]], int]],
        total: int,
    ) -> list[dict[str, Any]]:
        """The first MAX_STEPS_PER_CASE top-level steps of a case, without the pauses that stood before a cut step
        (PT004). Requests cut from the case itself are no longer converted; the transactions no case refers to
        any more are left out after every case is built (:meth:`drop_unreferenced`)."""
        kept, cut = steps[:MAX_STEPS_PER_CASE], steps[MAX_STEPS_PER_CASE:]
        if any(not _is_think(envelope) for envelope in cut):
            while kept and _is_think(kept[-1]):  # the pause before a step that is not sent
                cut.insert(0, kept.pop())
        self.truncated = True
        thinks = sum(1 for envelope in steps if _is_think(envelope))
        cut_names = [e["selected_temp_name"] for e in cut if isinstance(e.get("content_id"), dict)]
        self.diag.report(
            PT_STEPS,
            case.source,
            f"case {case.name!r} has {total} steps ({thinks} of them think times)",
            action=f"only the first {len(kept)} top-level steps are kept; {len(cut)} are not sent"
            + (
                f", with the transactions from {cut_names[0]!r} to {cut_names[-1]!r}"
                if len(cut_names) > 1
                else f", with the transaction {cut_names[0]!r}"
                if cut_names
                else ""
            ),
            hint="split the recording, or give fewer transactions (a larger --group-gap) and pauses "
            "(--think-min, --think-time none)",
        )
        position = 0
        for item, envelopes, requests in emitted:
            position += len(envelopes)
            if position > len(kept) and envelopes and not isinstance(item, TransactionRef):
                self.requests -= requests
                for source in _request_sources([item]):
                    self.diag.mark(source, PT_STEPS)
        return kept

    def drop_unreferenced(self) -> None:
        """After a case was cut (PT004): the transaction parts no kept step refers to, directly or through another
        part, are not created, and their requests are no longer converted."""
        by_id = {part.op_id: part for parts in self.temp_parts.values() for part in parts}
        reached: set[str] = set()
        pending = list(self.case_refs)
        while pending:
            op_id = pending.pop()
            if op_id not in reached and op_id in by_id:
                reached.add(op_id)
                pending.extend(by_id[op_id].refs)
        dropped = {op_id for op_id in by_id if op_id not in reached}
        if not dropped:
            return
        self.operations = [op for op in self.operations if op.id.removesuffix(":steps") not in dropped]
        for key, parts in self.temp_parts.items():
            for part in parts:
                if part.op_id in dropped:
                    self.requests -= part.requests
                    for source in _request_sources(part.steps):
                        self.diag.mark(source, PT_STEPS)
            transaction = self.scenario.transactions[key]
            if transaction.source is not None and all(p.op_id in dropped for p in parts):
                self.diag.mark(transaction.source.source, PT_STEPS)
            self.temp_parts[key] = [p for p in parts if p.op_id not in dropped]

    # ---- the whole plan ------------------------------------------------------------------------------
    def run(self) -> Plan:
        scenario = self.scenario
        project_name, task_name, description = self.scenario_names()
        self.add(
            Operation(
                id="project",
                operation="CreateProject",
                method="POST",
                path="/v1/{project_id}/test-suites",
                body=cards.project_body(name=project_name, description=description),
                expect=201,
                capture={"id": "project_id"},
            )
        )
        for variable in scenario.variables:
            values = [""] if variable.secret else variable.values
            self.report_mode(variable)
            self.add(
                Operation(
                    id=self.op_id("var", variable.name),
                    operation="CreateVariable",
                    method="POST",
                    path="/v1/{project_id}/variables/{project.id}",
                    body=cards.variable_body(name=variable.name, kind=variable.kind, values=values),
                    expect=201,
                    capture={"id": "json.variable_id"},
                    depends_on=["project"],
                    fill={"/0/variable/0": variable.name} if variable.secret else {},
                )
            )
        self.transactions(NameRegistry())

        bench = max((s.users for c in scenario.cases for s in c.load.stages), default=1) or 1
        self.add(
            Operation(
                id="task",
                operation="CreateTask",
                method="POST",
                path="/v1/{project_id}/tasks",
                body=cards.task_create_body(project=ref("project"), name=task_name, bench_concurrent=bench),
                expect=201,
                capture={"id": "task_id"},
                depends_on=["project"],
            )
        )
        case_registry = NameRegistry()
        case_ops: list[str] = []
        ordered = sorted(scenario.cases, key=lambda c: {"setup": 0, "main": 1, "teardown": 2}[c.role])
        for case in ordered:
            if case.role != "main":
                self.diag.report(
                    PT_ROLE,
                    case.source,
                    f"{case.role} case {case.name!r}",
                    action="placed "
                    + ("first" if case.role == "setup" else "last")
                    + " in the task"
                    + ("" if not scenario.parallel else "; cases run in parallel, so it does not run alone"),
                )
            name = self.claim(case_registry, case.name, "case", case.source, described=False)
            self.case_operations(case, name, case_ops)
        self.add(
            Operation(
                id="task:cases",
                operation="UpdateTaskRelatedTestCase",
                method="PUT",
                path="/v3/{project_id}/tasks/{task.id}",
                body=cards.task_link_body(
                    project=ref("project"),
                    name=task_name,
                    parallel=scenario.parallel,
                    cases=[ref(op) for op in case_ops],
                ),
                expect=200,
                depends_on=["project", "task", *case_ops],
            )
        )
        if self.truncated:
            self.drop_unreferenced()
        self.no_redirects()
        diagnostics = self.diag.diagnostics
        summary: dict[str, Any] = {
            "operations": len(self.operations),
            "transactions": sum(len(p) for p in self.temp_parts.values()),
            "cases": len(scenario.cases),
            "requests": self.requests,
            "variables": len(scenario.variables),
            "diagnostics": count_by_severity(diagnostics),
            "input": dict(sorted(scenario.stats.items())),
            "inferred": _inferred(self.operations),
        }
        if scenario.producer:
            summary["producer"] = scenario.producer
        if scenario.properties_used:
            summary["properties_used"] = dict(sorted(scenario.properties_used.items()))
        return Plan(
            source=PlanSource(**scenario.source.model_dump()),
            operations=self.operations,
            diagnostics=diagnostics,
            summary=summary,
        )

    def case_operations(self, case: Case, name: str, case_ops: list[str]) -> None:
        op = self.op_id("case", name)
        case_ops.append(op)
        self.add(
            Operation(
                id=op,
                operation="CreateCase",
                method="POST",
                path="/v1/{project_id}/task-cases",
                body=cards.case_create_body(task=ref("task"), name=name),
                expect=201,
                capture={"id": "json.task_case_id"},
                depends_on=["task"],
            )
        )
        users = _peak_users(case)
        emitted: list[tuple[Step, list[dict[str, Any]], int]] = []  # each step, its envelopes, its requests
        previous: Step | None = None
        for item in case.steps:
            before = self.requests
            envelopes = self.one_step(
                item, index=0, in_case=True, users=users, after_think=isinstance(previous, Think)
            )
            emitted.append((item, envelopes, self.requests - before))
            previous = item
        steps = [envelope for _, envelopes, _ in emitted for envelope in envelopes]
        for number, envelope in enumerate(steps):
            envelope["index"] = number
        if not steps:
            self.diag.report(
                PT_EMPTY, case.source, f"case {case.name!r} has no steps", action="created empty"
            )
        total = api.count_case_steps(steps)
        if total > MAX_STEPS_PER_CASE:
            steps = self.truncate(case, steps, emitted, total)
        self.case_refs.extend(_refs(steps))
        temps = sorted({r for r in _refs(steps)})
        self.add(
            Operation(
                id=f"{op}:content",
                operation="UpdateCase",
                method="PUT",
                path=f"/v1/{{project_id}}/task-cases/{path_ref(op)}/target/content",
                body=cards.contents_body(steps),
                expect=202,
                depends_on=[op, *temps],
            )
        )
        self.add(
            Operation(
                id=f"{op}:stage",
                operation="UpdateCase",
                method="PUT",
                path=f"/v1/{{project_id}}/task-cases/{path_ref(op)}/target/stage",
                body=cards.stages_body(stages(case, self.diag)),
                expect=202,
                depends_on=[op],
            )
        )


def _is_think(envelope: dict[str, Any]) -> bool:
    content = envelope.get("content")
    return (
        not isinstance(envelope.get("content_id"), dict)
        and not envelope.get("data")
        and isinstance(content, list)
        and len(content) == 1
        and content[0].get("content_type") == cards.CARD_THINK
    )


def _request_sources(steps: list[Step]) -> list[str]:
    """The sources of the requests among ``steps`` and in their controllers (not in referenced transactions)."""
    out: list[str] = []
    for item in steps:
        if isinstance(item, Request) and item.source is not None:
            out.append(item.source.source)
        elif isinstance(item, Loop | Condition | Throughput):
            out.extend(_request_sources(item.steps))
    return out


def _peak_users(case: Case) -> int:
    return max((stage.users for stage in case.load.stages), default=1) or 1


def _users_by_transaction(scenario: Scenario) -> dict[str, int]:
    """The most users of any case that runs each transaction (directly or through another one)."""
    out: dict[str, int] = {}
    for case in scenario.cases:
        users = _peak_users(case)
        pending = list(case.steps)
        seen: set[str] = set()
        while pending:
            item = pending.pop()
            if isinstance(item, TransactionRef) and item.transaction not in seen:
                seen.add(item.transaction)
                out[item.transaction] = max(out.get(item.transaction, 0), users)
                pending.extend(scenario.transactions[item.transaction].steps)
            elif isinstance(item, Loop | Condition | Throughput):
                pending.extend(item.steps)
    return out


def _count_requests(steps: list[Step]) -> int:
    total = 0
    for item in steps:
        if isinstance(item, Request):
            total += 1
        elif isinstance(item, Loop | Condition | Throughput):
            total += _count_requests(item.steps)
    return total


def _split(steps: list[Step]) -> list[list[Step]]:
    """Cut a transaction's top-level steps into runs of at most 40 requests (a controller is not cut); a part
    does not end with the pauses before the next part's first step: they start that part."""
    chunks: list[list[Step]] = [[]]
    count = 0
    for item in steps:
        size = _count_requests([item])
        if count + size > MAX_REQUESTS_PER_TEMP and chunks[-1]:
            lead: list[Step] = []  # the pauses before the request that starts the next part go with it
            while chunks[-1] and isinstance(chunks[-1][-1], Think):
                lead.insert(0, chunks[-1].pop())
            chunks.append(lead)
            count = 0
        chunks[-1].append(item)
        count += size
    return chunks


def _inferred(operations: list[Operation]) -> dict[str, Any]:
    """How much of the plan rests on inferred shapes (cards.py): the operations whose body uses one, and, per
    shape, how many operations use it."""
    shapes: dict[str, int] = {}
    operations_using = 0
    for op in operations:
        used = cards.inferred_shapes(op.body)
        operations_using += bool(used)
        for shape in used:
            shapes[shape] = shapes.get(shape, 0) + 1
    return {"operations": operations_using, "shapes": dict(sorted(shapes.items()))}


def _refs(steps: list[dict[str, Any]]) -> list[str]:
    out = []
    for envelope in steps:
        content_id = envelope.get("content_id")
        if isinstance(content_id, dict):
            out.append(content_id["$ref"].rpartition(".")[0])
        data = envelope.get("data")
        if isinstance(data, dict) and isinstance(data.get("contents"), list):
            out.extend(_refs(data["contents"]))
    return out


def emit_plan(scenario: Scenario) -> Emitted:
    """Translate a scenario into its plan; PerfTest diagnostics join the scenario's own."""
    with collector_paused():  # many small dicts and models, no garbage cycles
        emitter = _Emitter(scenario=scenario, diag=Collector.resume(scenario.diagnostics, scenario.ledger))
        plan = emitter.run()
    return Emitted(plan=plan, ledger=emitter.diag.ledger)
