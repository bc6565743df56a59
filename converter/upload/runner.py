"""Executing a plan: dependency-driven concurrency, the journal, resume, lost-response adoption, rollback.

An operation starts once every operation it depends on is done, at most ``concurrency`` at a time, in plan
order among those ready (so all transactions go out together, then all cases). Each create is journaled as
``begin`` before it is sent and as ``done`` with its ids after; a resumed upload skips what is done and looks
up by name what was begun but never answered. On failure nothing new starts, what is in flight finishes, and
``rollback`` deletes what the upload created, newest first; ``keep`` leaves it for ``--resume``.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Literal

from converter import api
from converter.plan import Operation, Plan
from converter.upload.client import ApiError, PerfTestClient
from converter.upload.journal import FORMAT, Journal, JournalError, JournalState
from converter.upload.lookup import KIND_OF_CREATE, find_created, listing, listing_key, resource_name
from converter.upload.refs import check_fill, request_for

OnError = Literal["keep", "rollback"]


class PlanError(ValueError):
    """The plan cannot be uploaded as it is, with these options (a usage error: nothing was sent)."""


@dataclass
class UploadOptions:
    concurrency: int = 4
    on_error: OnError = "keep"
    test_suite_id: int | None = None
    values: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass
class Created:
    """A resource this upload made (or adopted after a lost response)."""

    item: str
    operation: str
    name: str
    id: int
    adopted: bool = False


@dataclass
class UploadResult:
    ok: bool
    created: list[Created]
    captured: dict[str, dict[str, Any]]
    error: str | None = None
    started: bool = True  # False: failed before the journal's start record (nothing was created)
    skipped: int = 0  # operations already done according to the resumed journal
    rolled_back: list[Created] = field(default_factory=list)
    rollback_errors: list[str] = field(default_factory=list)


def plan_digest(plan: Plan) -> str:
    return hashlib.sha256(plan.to_json().encode("utf-8")).hexdigest()


def check_plan(plan: Plan, options: UploadOptions) -> list[str]:
    """Raise ``PlanError`` for what would fail before anything is sent; return the fill names given no value."""
    fill_names: set[str] = set()
    for op in plan.operations:
        documented = api.OPERATIONS[op.operation]
        if (op.method, op.expect) != (documented.method, documented.success_status):
            raise PlanError(
                f"plan item {op.id}: {op.operation} is {documented.method} with status "
                f"{documented.success_status} in the API contract, the plan says {op.method} {op.expect}"
            )
        problem = op.contract_problem()  # e.g. a plan edited by hand since the dry run
        if problem is not None:
            raise PlanError(f"plan item {op.id}: does not follow the PerfTest API contract: {problem}")
        for pointer, name in op.fill.items():
            try:
                check_fill(op.body, pointer)
            except ValueError as exc:
                raise PlanError(f"plan item {op.id}: fill {name}: {exc}") from None
            fill_names.add(name)
    unknown = sorted(set(options.values) - fill_names)
    if unknown:
        known = ", ".join(sorted(fill_names)) or "nothing"
        raise PlanError(
            f"--set {', '.join(unknown)}: the plan has no value of that name to fill (it fills {known})"
        )
    if options.test_suite_id is not None and _project_op(plan) is None:
        raise PlanError("--test-suite-id: this plan creates no PerfTest project to replace")
    if options.concurrency < 1:
        raise PlanError("--concurrency must be at least 1")
    return sorted(fill_names - set(options.values))


def _project_op(plan: Plan) -> Operation | None:
    return next((op for op in plan.operations if op.operation == "CreateProject"), None)


class Runner:
    """One upload of one plan through one client, recorded in one journal."""

    def __init__(
        self,
        plan: Plan,
        client: PerfTestClient,
        journal: Journal,
        options: UploadOptions,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.plan = plan
        self.client = client
        self.journal = journal
        self.options = options
        self.on_progress = on_progress or (lambda item: None)
        self.ops = {op.id: op for op in plan.operations}
        self.project_op = _project_op(plan)
        self.captured: dict[str, dict[str, Any]] = {}
        self.done: list[str] = []  # completion order, journal first
        self.adopted: set[str] = set()
        self.uncertain: set[str] = set()
        self.preexisting: dict[str, list[int]] = {}

    # -- start and resume --------------------------------------------------------------------------------------

    def pending_count(self, resume: JournalState | None) -> int:
        """How many operations are left to run (for the progress bar)."""
        done = set(resume.done) if resume else set()
        skip = {self.project_op.id} if self.project_op and self._suite_bound(resume) else set()
        return sum(1 for op in self.plan.operations if op.id not in done | skip)

    def _suite_bound(self, resume: JournalState | None) -> bool:
        if resume is not None:
            return resume.start.get("test_suite_id") is not None
        return self.options.test_suite_id is not None

    def _start(self) -> None:
        suite = self.options.test_suite_id
        if suite is not None:
            self.client.call(
                "ShowProject",
                f"checking --test-suite-id {suite}",
                self.client.op_path("ShowProject", test_suite_id=suite),
            )
        self.preexisting = self._snapshot(suite)
        self.journal.write(
            "start",
            format=FORMAT,
            plan_sha256=plan_digest(self.plan),
            plan_source=self.plan.source.path,
            endpoint=self.client.endpoint,
            project_id=self.client.project_id,
            test_suite_id=suite,
            preexisting=self.preexisting,
        )

    def _snapshot(self, suite: int | None) -> dict[str, list[int]]:
        """Ids of same-named resources that exist before the upload: they are never adopted. Each kind is
        listed once (variables once per variable type), however many plan items it has."""
        out: dict[str, list[int]] = {}
        listings: dict[tuple[Any, ...], list[tuple[str, int]]] = {}
        for op in self.plan.operations:
            kind = KIND_OF_CREATE.get(op.operation)
            name = resource_name(op.operation, op.body)
            if kind is None or name is None or kind == "cases":
                continue
            if kind == "projects" and suite is not None:
                continue
            if kind != "projects" and suite is None:
                continue  # a new project holds nothing yet
            key = listing_key(op.operation, op.body)
            if key not in listings:
                listings[key] = listing(
                    self.client, op.operation, "looking up existing names", op.body, suite
                )
            ids = out.setdefault(kind, [])
            ids.extend(rid for found, rid in listings[key] if found == name and rid not in ids)
        return {kind: ids for kind, ids in out.items() if ids}

    def _resume(self, state: JournalState) -> None:
        start = state.start
        if start.get("plan_sha256") != plan_digest(self.plan):
            raise JournalError(f"{self.journal.path} records an upload of another plan (or of a changed one)")
        for key, mine in (("endpoint", self.client.endpoint), ("project_id", self.client.project_id)):
            if start.get(key) != mine:
                raise JournalError(f"{self.journal.path} was an upload to another {key.replace('_', ' ')}")
        suite = self.options.test_suite_id
        if suite is not None and suite != start.get("test_suite_id"):
            raise JournalError(
                f"{self.journal.path} was an upload to test suite {start.get('test_suite_id')}"
            )
        self.options.test_suite_id = start.get("test_suite_id")
        self.preexisting = {k: list(v) for k, v in (start.get("preexisting") or {}).items()}
        for item, record in state.done.items():
            if item in self.ops:
                self.captured[item] = dict(record.get("ids") or {})
                if record.get("adopted"):
                    self.adopted.add(item)
        self.done = [item for item in state.order if item in self.ops]
        self.uncertain = {item for item in state.pending if item in self.ops and item not in state.done}
        self.journal.write("resume", pending=sorted(self.uncertain))

    # -- running -----------------------------------------------------------------------------------------------

    def run(self, resume: JournalState | None = None) -> UploadResult:
        skipped = 0
        try:
            if resume is None:
                self._start()
            else:
                self._resume(resume)
                skipped = len(self.done)
        except ApiError as exc:
            return UploadResult(False, [], self.captured, error=str(exc), started=resume is not None)
        suite = self.options.test_suite_id
        if suite is not None and self.project_op is not None:
            self.captured[self.project_op.id] = {name: suite for name in self.project_op.capture}
        error = self._execute()
        result = UploadResult(error is None, self.created(), self.captured, error=error, skipped=skipped)
        if error is not None and self.options.on_error == "rollback":
            result.rolled_back, result.rollback_errors = self._rollback()
        outcome = (
            "ok" if error is None else "rolled_back" if self.options.on_error == "rollback" else "failed"
        )
        self.journal.write("end", result=outcome)
        return result

    def _execute(self) -> str | None:
        finished = set(self.captured)
        order = {op.id: index for index, op in enumerate(self.plan.operations)}
        waiting = {
            op.id: (set(op.depends_on) | {target for target, _ in op.refs()}) - finished
            for op in self.plan.operations
            if op.id not in finished
        }
        dependents: dict[str, list[str]] = {}
        for item, needs in waiting.items():
            for need in needs:
                dependents.setdefault(need, []).append(item)
        ready = [(order[item], item) for item, needs in waiting.items() if not needs]
        heapq.heapify(ready)
        error: str | None = None
        inflight: dict[Future[dict[str, Any]], Operation] = {}
        with ThreadPoolExecutor(self.options.concurrency, thread_name_prefix="upload") as pool:
            while True:
                while error is None and ready and len(inflight) < self.options.concurrency:
                    op = self.ops[heapq.heappop(ready)[1]]
                    inflight[pool.submit(self._perform, op)] = op
                if not inflight:
                    break
                try:
                    done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                except KeyboardInterrupt:
                    error = error or "interrupted"
                    continue
                for future in done:
                    op = inflight.pop(future)
                    try:
                        captures = future.result()
                    except ApiError as exc:
                        error = error or str(exc)
                        self.journal.write("failed", op=op.id, operation=op.operation, error=str(exc))
                        continue
                    self.captured[op.id] = captures
                    self.done.append(op.id)
                    finished.add(op.id)
                    self.journal.write(
                        "done", op=op.id, operation=op.operation, ids=captures, adopted=op.id in self.adopted
                    )
                    self.on_progress(op.id)
                    for item in dependents.get(op.id, []):
                        waiting[item].discard(op.id)
                        if not waiting[item]:
                            heapq.heappush(ready, (order[item], item))
        if error is None and len(finished) < len(self.plan.operations):
            error = "some operations could not start (unsatisfied dependencies)"
        return error

    def _perform(self, op: Operation) -> dict[str, Any]:
        """Send one operation (in a worker thread); returns what it captured."""
        path, body = request_for(op, self.captured, self.options.values)
        path = self.client.path(path)
        recover: Callable[[], int | None] | None = None
        if op.operation in KIND_OF_CREATE:
            suite = self._suite_id()

            def recover() -> int | None:
                return find_created(
                    self.client, op.operation, op.id, body, suite, self._claimed(op.operation)
                )

            if op.id in self.uncertain:  # begun by an earlier run that never heard back
                found = recover()
                if found is not None:
                    self.adopted.add(op.id)
                    return {name: found for name in op.capture}
            self.journal.write("begin", op=op.id, operation=op.operation)
        reply = self.client.call(op.operation, f"plan item {op.id}", path, body, recover=recover)
        if reply.adopted_id is not None:
            self.adopted.add(op.id)
            return {name: reply.adopted_id for name in op.capture}
        return {name: _dig(reply.body, where, op) for name, where in op.capture.items()}

    def _suite_id(self) -> int | None:
        if self.project_op is None:
            return None
        value = self.captured.get(self.project_op.id, {}).get("id")
        return value if isinstance(value, int) else None

    def _claimed(self, operation: str) -> set[int]:
        """Ids not to adopt for a create of ``operation``: pre-existing ones and those this upload holds."""
        kind = KIND_OF_CREATE[operation]
        out = set(self.preexisting.get(kind, []))
        for item, captures in list(self.captured.items()):
            if self.ops[item].operation == operation:
                out.update(v for v in captures.values() if isinstance(v, int))
        return out

    # -- results and rollback ----------------------------------------------------------------------------------

    def created(self) -> list[Created]:
        """Resources of this upload in creation order (a bound --test-suite-id project is not one)."""
        out = []
        for item in self.done:
            op = self.ops[item]
            if op.operation not in KIND_OF_CREATE:
                continue
            value = self.captured[item].get("id")
            if isinstance(value, int):
                name = resource_name(op.operation, op.body) or ""
                out.append(Created(item, op.operation, name, value, item in self.adopted))
        return out

    def _rollback(self) -> tuple[list[Created], list[str]]:
        removed: list[Created] = []
        problems: list[str] = []
        for resource in reversed(self.created()):
            try:
                self._delete(resource)
            except ApiError as exc:
                if exc.status != 404:
                    problems.append(str(exc))
                    continue
            removed.append(resource)
            self.journal.write("deleted", op=resource.item, operation=resource.operation, id=resource.id)
        return removed, problems

    def _delete(self, resource: Created) -> None:
        c, item, rid = self.client, f"rolling back plan item {resource.item}", resource.id
        if resource.operation == "CreateTemp":
            c.call("DeleteTemp", item, c.op_path("DeleteTemp", template_id=rid))
        elif resource.operation == "CreateCase":
            c.call("DeleteCase", item, c.op_path("DeleteCase", case_id=rid))
        elif resource.operation == "CreateTask":
            c.call("DeleteTask", item, c.op_path("DeleteTask", task_id=rid))
        elif resource.operation == "CreateVariable":
            query = {"variable_id": rid, "test_suite_id": self._suite_id() or 0}
            c.call("DeleteVariable", item, c.op_path("DeleteVariable"), query=query)
        elif resource.operation == "CreateProject":
            c.call("DeleteProject", item, c.op_path("DeleteProject", test_suite_id=rid))


def _dig(body: Any, where: str, op: Operation) -> Any:
    """The value at ``where`` in a success body; every id the plan captures is documented as an Integer
    (project_id, json.variable_id, tempId, task_id, json.task_case_id), so anything else is refused here
    rather than sent on in later paths and bodies."""
    value = body
    for key in where.split("."):
        if not isinstance(value, Mapping) or key not in value:
            raise ApiError(f"{op.operation} (plan item {op.id}): the reply carries no {where}")
        value = value[key]
    if not isinstance(value, int) or isinstance(value, bool):
        shown = type(value).__name__ if value is None or isinstance(value, bool) else repr(value)[:40]
        raise ApiError(
            f"{op.operation} (plan item {op.id}): the reply's {where} is not an integer id: {shown}"
        )
    return value
