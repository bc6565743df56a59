"""Read-back verification: GET what the upload created and report every field the server dropped or changed.

Each transaction is read with ShowTemp and compared with the last body sent for it (its UpdateTemp, else its
CreateTemp); each task with ShowTask, compared with CreateTask, UpdateTaskRelatedTestCase (``case_id_list``
against ``case_list``) and, per case, CreateCase and every UpdateCase. Keys the server adds are ignored; an
empty value (null, "", [], {}) that comes back missing is not a difference. This is how an inferred card
shape the real service does not keep shows up on the first upload.
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
