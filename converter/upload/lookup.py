"""Finding resources by name: adopting a create whose response was lost, and noting what existed before.

A create whose outcome is unknown (its response was lost, or the process died after sending it) is looked up
by name in the project before anything is re-sent: ListProjectSets for projects, ShowTempSet for transactions,
ShowTaskSet for tasks, ListVariables for variables, ShowTask's ``case_list`` for cases. Ids that existed before
the upload started, and ids this upload already holds, are never adopted.

The three set calls that document ``offset``/``limit`` (ListProjectSets 4.1.1, ShowTaskSet 4.2.1, ShowTempSet
4.5.1) are read page by page to the end, so that a resource past the first page is found. The reference says
only "查询偏移" (query offset) and "查询数量" (query count); ``offset`` is taken to count rows, as Huawei's own
Terraform provider pages ListProjectSets (``OffsetPager``: next offset = offset + rows received, until an empty
page). A page that brings no new id (a service ignoring ``offset``) also ends the listing.
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
#: Rows asked for per page of a paged set call.
PAGE_LIMIT = 100
#: Safety stop for a service that never returns an empty page.
_MAX_PAGES = 10_000


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


def paged_rows(
    client: PerfTestClient, operation: str, context: str, path: str, key: str
) -> list[dict[str, Any]]:
    """Every row of a paged set call (``key``: the list in its reply), read page by page (see module doc)."""
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    offset = 0
    for _ in range(_MAX_PAGES):
        query = {"offset": offset, "limit": PAGE_LIMIT}
        page = _rows(client.call(operation, context, path, query=query).body, key)
        fresh = [row for row in page if isinstance(row.get("id"), int) and row["id"] not in seen]
        if not fresh:
            break
        seen.update(row["id"] for row in fresh)
        rows.extend(fresh)
        offset += len(page)
    return rows


def listing_key(operation: str, body: Any) -> tuple[Any, ...]:
    """What ``listing`` depends on besides the test suite: two creates with the same key share one listing."""
    kind = KIND_OF_CREATE[operation]
    if kind == "variables":
        return (kind, _variable_type(body))
    if kind == "cases":
        return (kind, body.get("task_id") if isinstance(body, dict) else None)
    return (kind,)


def _variable_type(body: Any) -> Any:
    return (
        body[-1].get("variable_type", 0)
        if isinstance(body, list) and body and isinstance(body[-1], dict)
        else 0
    )


def listing(
    client: PerfTestClient, operation: str, context: str, body: Any, suite_id: int | None
) -> list[tuple[str, int]]:
    """(name, id) of every resource of ``operation``'s kind in the project (or in the task, for cases);
    ``context`` says why, in error messages."""
    kind = KIND_OF_CREATE[operation]
    id_key = "id"
    if kind == "projects":
        rows = paged_rows(client, "ListProjectSets", context, client.op_path("ListProjectSets"), "projects")
    elif kind == "temps":
        path = client.op_path("ShowTempSet", test_suite_id=suite_id)
        rows = paged_rows(client, "ShowTempSet", context, path, "temps")
    elif kind == "tasks":
        path = client.op_path("ShowTaskSet", test_suite_id=suite_id)
        rows = paged_rows(client, "ShowTaskSet", context, path, "tasks")
    elif kind == "variables":  # ListVariables documents no paging
        path = client.op_path("ListVariables", variable_type=_variable_type(body), test_suite_id=suite_id)
        rows = _rows(client.call("ListVariables", context, path).body, "variable_list")
    else:  # cases: the task's case_list (ShowTask documents no paging)
        task_id = body.get("task_id") if isinstance(body, dict) else None
        path = client.op_path("ShowTask", task_id=task_id)
        info = client.call("ShowTask", context, path).body
        rows = _rows(info.get("taskInfo") if isinstance(info, dict) else None, "case_list")
        id_key = "case_id"
    return [
        (row["name"], row[id_key])
        for row in rows
        if isinstance(row.get("name"), str) and isinstance(row.get(id_key), int)
    ]


def named_ids(
    client: PerfTestClient, operation: str, context: str, name: str, body: Any, suite_id: int | None
) -> list[int]:
    """Ids of the resources of ``operation``'s kind called ``name`` (see ``listing``)."""
    return [rid for found, rid in listing(client, operation, context, body, suite_id) if found == name]


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
