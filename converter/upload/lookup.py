"""Finding resources by name: adopting a create whose response was lost, and noting what existed before.

A create whose outcome is unknown (its response was lost, or the process died after sending it) is looked up
by name in the project before anything is re-sent: ListProjectSets for projects, ShowTempSet for transactions,
ShowTaskSet for tasks, ListVariables for variables, ShowTask's ``case_list`` for cases. Ids that existed before
the upload started, and ids this upload already holds, are never adopted.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from converter.upload.client import PerfTestClient

#: Create operation -> the kind of resource it makes (keys of the journal's ``preexisting`` record).
KIND_OF_CREATE: dict[str, str] = {
    "CreateProject": "projects",
    "CreateVariable": "variables",
    "CreateTemp": "temps",
    "CreateTask": "tasks",
    "CreateCase": "cases",
}


def resource_name(operation: str, body: Any) -> str | None:
    """The name a create gives its resource (CreateVariable: the last element, whose id comes back)."""
    if operation == "CreateVariable":
        if isinstance(body, list) and body and isinstance(body[-1], dict):
            return _str(body[-1].get("name"))
        return None
    return _str(body.get("name")) if isinstance(body, dict) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _rows(reply_body: Any, key: str) -> list[dict[str, Any]]:
    value = reply_body.get(key) if isinstance(reply_body, dict) else None
    return [row for row in value or [] if isinstance(row, dict)] if isinstance(value, list) else []


def named_ids(
    client: PerfTestClient, operation: str, context: str, name: str, body: Any, suite_id: int | None
) -> list[int]:
    """Ids of the resources of ``operation``'s kind called ``name`` in the project (or task, for cases);
    ``context`` says why, in error messages."""
    kind = KIND_OF_CREATE[operation]
    id_key = "id"
    if kind == "projects":
        reply = client.call("ListProjectSets", context, client.op_path("ListProjectSets"))
        rows = _rows(reply.body, "projects")
    elif kind == "temps":
        path = client.op_path("ShowTempSet", test_suite_id=suite_id)
        rows = _rows(client.call("ShowTempSet", context, path).body, "temps")
    elif kind == "tasks":
        path = client.op_path("ShowTaskSet", test_suite_id=suite_id)
        rows = _rows(client.call("ShowTaskSet", context, path).body, "tasks")
    elif kind == "variables":
        vtype = body[-1].get("variable_type", 0) if isinstance(body, list) and body else 0
        path = client.op_path("ListVariables", variable_type=vtype, test_suite_id=suite_id)
        rows = _rows(client.call("ListVariables", context, path).body, "variable_list")
    else:  # cases: the task's case_list
        task_id = body.get("task_id") if isinstance(body, dict) else None
        path = client.op_path("ShowTask", task_id=task_id)
        info = client.call("ShowTask", context, path).body
        rows = _rows(info.get("taskInfo") if isinstance(info, dict) else None, "case_list")
        id_key = "case_id"
    return [row[id_key] for row in rows if row.get("name") == name and isinstance(row.get(id_key), int)]


def find_created(
    client: PerfTestClient,
    operation: str,
    item: str,
    body: Any,
    suite_id: int | None,
    exclude: Collection[int],
) -> int | None:
    """The id of the resource a lost create made, or None when there is none (then it is safe to re-send).
    Several candidates (a duplicate made earlier) give the newest, the highest id."""
    name = resource_name(operation, body)
    if name is None:
        return None
    context = f"looking up plan item {item} after a lost response"
    candidates = [i for i in named_ids(client, operation, context, name, body, suite_id) if i not in exclude]
    return max(candidates) if candidates else None
