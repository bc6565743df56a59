"""Read-back verification: GET what the upload created and report every field the server dropped or changed.

Each transaction is read with ShowTemp and compared with the last body sent for it (its UpdateTemp, else its
CreateTemp); each task with ShowTask, compared with CreateTask, UpdateTaskRelatedTestCase (``case_id_list``
against ``case_list``) and, per case, CreateCase and every UpdateCase; each variable with ListVariables (one
call per variable type), its row (by the id CreateVariable returned) compared with the element sent. Keys the
server adds are ignored; an empty value (null, "", [], {}) that comes back missing is not a difference. This
is how an inferred card shape the real service does not keep shows up on the first upload.

A value filled at send time (``--set``) that does not come back as sent is reported without showing either
value: the difference names the value, never its content.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from converter.plan import Operation, Plan
from converter.upload.client import ApiError, PerfTestClient
from converter.upload.credentials import redact
from converter.upload.refs import request_for

Kind = Literal["dropped", "changed", "unreadable"]


@dataclass
class Difference:
    item: str  # plan item read back
    where: str  # JSON path inside the read-back object
    kind: Kind
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.item}: {self.where}: {self.kind}" + (f" ({self.detail})" if self.detail else "")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _same_scalar(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def compare(sent: Any, got: Any, where: str = "") -> list[tuple[str, Kind, str]]:
    """(path, kind, detail) for every sent value that did not come back as sent."""
    if isinstance(sent, dict):
        if not isinstance(got, dict):
            return [(where or "(root)", "changed", f"sent an object, got {_show(got)}")]
        out: list[tuple[str, Kind, str]] = []
        for key, value in sent.items():
            here = f"{where}.{key}" if where else key
            if key not in got:
                if not _empty(value):
                    out.append((here, "dropped", f"sent {_show(value)}"))
            else:
                out.extend(compare(value, got[key], here))
        return out
    if isinstance(sent, list):
        if not isinstance(got, list):
            if got is None and not sent:
                return []
            return [(where, "changed", f"sent a list, got {_show(got)}")]
        out = []
        if len(sent) != len(got):
            out.append((where, "changed", f"sent {len(sent)} item(s), got {len(got)}"))
        for index, (a, b) in enumerate(zip(sent, got, strict=False)):
            out.extend(compare(a, b, f"{where}[{index}]"))
        return out
    if _same_scalar(sent, got) or (_empty(sent) and _empty(got)):
        return []
    return [(where, "changed", f"sent {_show(sent)}, got {_show(got)}")]


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


class _Reader:
    def __init__(
        self,
        plan: Plan,
        client: PerfTestClient,
        captured: Mapping[str, Mapping[str, Any]],
        values: Mapping[str, str],
    ) -> None:
        self.plan = plan
        self.client = client
        self.captured = captured
        self.values = values
        self._updates: dict[tuple[str, str], list[Operation]] = {}  # (item, operation) -> ops referring to it
        for op in plan.operations:
            for target in {target for target, _ in op.refs()}:
                self._updates.setdefault((target, op.operation), []).append(op)

    def sent(self, op: Operation) -> Any:
        return request_for(op, self.captured, self.values)[1]

    def updates_of(self, item: str, operation: str) -> list[Operation]:
        """Operations of kind ``operation`` that refer to plan item ``item``, in plan order."""
        return self._updates.get((item, operation), [])

    def temp(self, create: Operation) -> list[Difference]:
        temp_id = self.captured[create.id]["id"]
        updates = self.updates_of(create.id, "UpdateTemp")
        expected = self.sent(updates[-1] if updates else create)
        reply = self.client.call(
            "ShowTemp",
            f"verifying plan item {create.id}",
            self.client.op_path("ShowTemp", template_id=temp_id),
        )
        got = reply.body.get("temp_info") if isinstance(reply.body, dict) else None
        return [Difference(create.id, w, k, d) for w, k, d in compare(expected, got)]

    def variables(self, creates: list[Operation], suite: int, variable_type: Any) -> list[Difference]:
        """The variables of ``creates`` (all of one ``variable_type``) against one ListVariables reply."""
        path = self.client.op_path("ListVariables", variable_type=variable_type, test_suite_id=suite)
        reply = self.client.call("ListVariables", f"verifying plan item {creates[0].id}", path)
        listed = reply.body.get("variable_list") if isinstance(reply.body, dict) else None
        rows = {row.get("id"): row for row in listed or [] if isinstance(row, dict)}
        found: list[Difference] = []
        for create in creates:
            variable_id = self.captured[create.id]["id"]
            row = rows.get(variable_id)
            if row is None:
                found.append(
                    Difference(create.id, "variable_list", "dropped", f"variable {variable_id} is not listed")
                )
                continue
            sent = self.sent(create)
            index = len(sent) - 1  # the element whose id came back
            element = {key: value for key, value in sent[index].items() if key != "id"}
            filled = _filled_places(create, index)
            for where, kind, detail in compare(element, row):
                name = next((n for place, n in filled.items() if _overlaps(where, place)), None)
                if name is not None:
                    detail = f"the value given for {name} did not come back as sent (not shown)"
                found.append(Difference(create.id, where, kind, detail))
        return found

    def task(self, create: Operation) -> list[Difference]:
        task_id = self.captured[create.id]["id"]
        reply = self.client.call(
            "ShowTask", f"verifying plan item {create.id}", self.client.op_path("ShowTask", task_id=task_id)
        )
        info = reply.body.get("taskInfo") if isinstance(reply.body, dict) else None
        if not isinstance(info, dict):
            return [Difference(create.id, "taskInfo", "dropped", "ShowTask returned no taskInfo")]
        found = [Difference(create.id, w, k, d) for w, k, d in compare(self.sent(create), info)]
        cases = {c.get("case_id"): c for c in info.get("case_list") or [] if isinstance(c, dict)}
        for link in self.updates_of(create.id, "UpdateTaskRelatedTestCase"):
            body = dict(self.sent(link))
            listed = body.pop("case_id_list", [])
            found += [Difference(link.id, w, k, d) for w, k, d in compare(body, info)]
            returned = [c.get("case_id") for c in info.get("case_list") or [] if isinstance(c, dict)]
            if listed != returned:
                found.append(Difference(link.id, "case_list", "changed", f"linked {listed}, got {returned}"))
        for case_op in self.updates_of(create.id, "CreateCase"):
            case_id = self.captured.get(case_op.id, {}).get("id")
            case = cases.get(case_id)
            if case is None:
                found.append(
                    Difference(case_op.id, "case_list", "dropped", f"case {case_id} is not in the task")
                )
                continue
            wanted = {"name": self.sent(case_op).get("name")}
            for update in self.updates_of(case_op.id, "UpdateCase"):
                wanted.update(self.sent(update))
            found += [
                Difference(case_op.id, f"case_list[{case_id}].{w}", k, d) for w, k, d in compare(wanted, case)
            ]
        return found


def _filled_places(op: Operation, index: int) -> dict[str, str]:
    """``compare`` paths (inside array element ``index``) of the body places ``op`` fills -> the value name."""
    out: dict[str, str] = {}
    for pointer, name in op.fill.items():
        tokens = pointer.split("/")[1:]
        if not tokens or tokens[0] != str(index):
            continue
        where = ""
        for token in tokens[1:]:
            where += f"[{token}]" if token.isdigit() else (f".{token}" if where else token)
        out[where] = name
    return out


def _overlaps(a: str, b: str) -> bool:
    """True when ``compare`` paths ``a`` and ``b`` are the same place or one lies inside the other."""
    short, long = sorted((a, b), key=len)
    return long == short or not short or long.startswith((f"{short}.", f"{short}["))


def _suite_of(plan: Plan, captured: Mapping[str, Mapping[str, Any]]) -> int | None:
    project = next((op for op in plan.operations if op.operation == "CreateProject"), None)
    value = captured.get(project.id, {}).get("id") if project is not None else None
    return value if isinstance(value, int) else None


def verify_upload(
    plan: Plan,
    client: PerfTestClient,
    captured: Mapping[str, Mapping[str, Any]],
    values: Mapping[str, str] | None = None,
    concurrency: int = 4,
) -> list[Difference]:
    """Every difference between what was sent and what the server returns (see module doc)."""
    reader = _Reader(plan, client, captured, values or {})
    jobs: list[tuple[str, Callable[[], list[Difference]]]] = []
    for op in plan.operations:
        if op.id not in captured:
            continue
        if op.operation == "CreateTemp":
            jobs.append((op.id, partial(reader.temp, op)))
        elif op.operation == "CreateTask":
            jobs.append((op.id, partial(reader.task, op)))
    suite = _suite_of(plan, captured)
    by_type: dict[Any, list[Operation]] = {}
    for op in plan.operations:
        if op.operation == "CreateVariable" and op.id in captured and isinstance(op.body, list) and op.body:
            by_type.setdefault(op.body[-1].get("variable_type"), []).append(op)
    if suite is not None:
        for variable_type, creates in by_type.items():
            jobs.append((creates[0].id, partial(reader.variables, creates, suite, variable_type)))

    def run(job: tuple[str, Callable[[], list[Difference]]]) -> list[Difference]:
        try:
            return job[1]()
        except ApiError as exc:
            return [Difference(job[0], "(read back)", "unreadable", str(exc))]

    with ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="verify") as pool:
        results = list(pool.map(run, jobs))
    secrets = [*client.secrets, *(values or {}).values()]
    return [
        Difference(d.item, d.where, d.kind, redact(d.detail, secrets)) for found in results for d in found
    ]
