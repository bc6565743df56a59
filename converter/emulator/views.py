"""Stored records -> the documented response shapes (ShowProject, ShowTask, ShowTemp, the set/list calls)."""

from __future__ import annotations

from typing import Any

from converter import api
from converter.emulator.state import Record, State

#: Defaults of CaseInfoDetail keys a case has before any UpdateCase (ShowTask example: a fresh case shows
#: ``"contents": null``, empty for_loop_params/increase_setting/stages, status 1, temp_id 0, user_replicas 0).
CASE_DEFAULTS: dict[str, Any] = {
    "contents": None,
    "for_loop_params": [],
    "increase_setting": [],
    "stages": [],
    "status": 1,
    "temp_id": 0,
    "user_replicas": 0,
}


def project_view(p: Record) -> dict[str, Any]:
    """Table 4-12 ``Project``."""
    return {
        "create_time": p["create_time"],
        "description": p.get("description") or "",
        "group": p["group"],
        "id": p["id"],
        "name": p["name"],
        "source": p.get("source", 0),
        "update_time": p["update_time"],
    }


def project_set_view(p: Record) -> dict[str, Any]:
    """Table 4-4 ``ProjectsSet`` (note the CamelCase CreateTime / UpdateTime keys)."""
    return {
        "CreateTime": p["create_time"],
        "UpdateTime": p["update_time"],
        "description": p.get("description") or "",
        "id": p["id"],
        "name": p["name"],
        "source": p.get("source", 0),
        "external_params": p.get("external_params") or {},
        "variables_no_file": p.get("variables_no_file") or [],
    }


def case_view(c: Record, sort: int) -> dict[str, Any]:
    """Table 4-33 ``CaseInfoDetail``: every documented key, stored values as stored."""
    view: dict[str, Any] = {}
    for key in sorted(api.documented_case_keys()):
        if key in c:
            view[key] = c[key]
        elif key in CASE_DEFAULTS:
            default = CASE_DEFAULTS[key]
            view[key] = list(default) if isinstance(default, list) else default
    view["case_id"] = c["id"]
    view["sort"] = sort
    return view


def task_cases(state: State, task: Record) -> list[Record]:
    """The task's cases, in the task's order, skipping ids deleted meanwhile."""
    cases = []
    for case_id in task.get("case_ids", []):
        case = state.get("cases", case_id, task["cloud_project"])
        if case is not None:
            cases.append(case)
    return cases


def task_info_view(state: State, t: Record) -> dict[str, Any]:
    """Table 4-32 ``TaskInfo``."""
    return {
        "bench_concurrent": t.get("bench_concurrent", 0),
        "case_list": [case_view(c, i + 1) for i, c in enumerate(task_cases(state, t))],
        "create_time": t["create_time"],
        "description": t.get("description") or "",
        "name": t["name"],
        "operate_mode": t.get("operate_mode", 2),
        "parallel": t.get("parallel", False),
        "project_id": t["project_id"],
        "related_temp_running_data": t.get("related_temp_running_data", []),
        "run_status": t.get("run_status", 9),
        "update_time": t["update_time"],
    }


def task_set_view(t: Record) -> dict[str, Any]:
    """Table 4-27 ``Task``."""
    return {
        "bench_concurrent": t.get("bench_concurrent", 0),
        "description": t.get("description") or "",
        "id": t["id"],
        "name": t["name"],
        "operate_mode": t.get("operate_mode", 2),
        "task_run_info": {"id": t.get("last_run_id", 0), "run_type": 0},
        "update_time": t["update_time"],
        "parallel": t.get("parallel", False),
    }


def temp_info_view(t: Record) -> dict[str, Any]:
    """Table 4-161 ``TempInfo``; ``contents`` exactly as stored."""
    return {
        "id": t["id"],
        "project_id": t["project_id"],
        "name": t["name"],
        "description": t.get("description") or "",
        "variables": None,
        "contents": t.get("contents") or [],
        "temp_type": t.get("temp_type", 0),
        "for_loop_params": t.get("for_loop_params") or [],
        "logic_controller": {"for_loop_params": None, "condition": None},
        "enable_pre": t.get("enable_pre", False),
    }


def temp_set_view(t: Record, quoted: bool) -> dict[str, Any]:
    """Table 4-153 ``TempDetailInfo``."""
    return {
        "description": t.get("description") or "",
        "id": t["id"],
        "is_quoted": quoted,
        "name": t["name"],
        "temp_type": t.get("temp_type", 0),
        "update_time": t["update_time"],
    }


def variable_view(v: Record) -> dict[str, Any]:
    """Table 4-133 ``VariableDetail``."""
    return {
        "file_size": v.get("file_size", 0),
        "id": v["id"],
        "is_quoted": v.get("is_quoted", False),
        "name": v["name"],
        "variable": v["variable"],
        "variable_type": v["variable_type"],
        "variable_mode": v.get("variable_mode", 0),
        "share_mode": v.get("share_mode", 0),
    }


def referenced_temp_ids(state: State, cloud_project: str, project_id: int) -> set[int]:
    """Ids of transactions referenced (``content_id``) by a step of any case of the project's tasks."""
    found: set[int] = set()
    for task in state.select("tasks", cloud_project, project_id=project_id):
        for case in task_cases(state, task):
            _collect_content_ids(case.get("contents"), found)
    return found


def _collect_content_ids(node: Any, found: set[int]) -> None:
    if isinstance(node, dict):
        cid = node.get("content_id")
        if isinstance(cid, int) and cid:
            found.add(cid)
        for value in node.values():
            _collect_content_ids(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect_content_ids(item, found)


def request_cards(contents: Any) -> list[dict[str, Any]]:
    """Inner JSON of every request card under ``contents`` (nested controller data included), in order."""
    return [dict(card) for card in api.iter_request_cards(contents)]
