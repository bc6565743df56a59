"""One function per documented PerfTest operation: apply a validated ``Call`` to the state, return a ``Reply``.

Handlers run under the state lock (the server takes it) and raise ``ApiError`` for 400/404. Bodies have
already passed schema validation (``api.Operation.validate_body``) and the user-guide rules
(``api.rule_violations``); what is checked here is what needs the state: ids exist, ids agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from converter import api
from converter.emulator import reports
from converter.emulator.common import Call, Reply, bad_request, need, not_found, now, ok, page
from converter.emulator.state import Record
from converter.emulator.views import (
    project_set_view,
    project_view,
    referenced_temp_ids,
    task_cases,
    task_info_view,
    task_set_view,
    temp_info_view,
    temp_set_view,
    variable_view,
)

Handler = Callable[[Call], Reply]

# -- 4.1 projects ------------------------------------------------------------------------------------------------


def list_project_sets(call: Call) -> Reply:
    rows = [project_set_view(p) for p in call.state.select("projects", call.cloud_project)]
    reply = ok(200, projects=page(rows, call))
    assert reply.body is not None
    reply.body["code"] = api.LEGACY_SUCCESS_CODE  # as the reference's ListProjectSets example (4.1.1) shows
    return reply


def create_project(call: Call) -> Reply:
    stamp = now()
    record = {
        "id": call.state.new_id(),
        "cloud_project": call.cloud_project,
        "name": call.body["name"],
        "description": call.body.get("description") or "",
        "group": "emulator-domain",
        "source": 0,
        "external_params": {},
        "variables_no_file": [],
        "create_time": stamp,
        "update_time": stamp,
    }
    call.state.add("projects", record)
    return ok(201, project_id=record["id"])


def show_project(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    return ok(200, project=project_view(project))


def update_project(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    if call.body["id"] != project["id"]:
        raise bad_request(f"body id {call.body['id']} differs from path test_suite_id {project['id']}")
    for key in ("name", "description", "variables_no_file", "source", "external_params"):
        if key in call.body:
            project[key] = call.body[key]
    project["update_time"] = now()
    return Reply(204)


def delete_project(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    state, cp, pid = call.state, call.cloud_project, project["id"]
    for task in list(state.select("tasks", cp, project_id=pid)):
        _drop_task(call, task)
    for kind in ("temps", "variables", "runs"):
        for record in list(state.select(kind, cp, project_id=pid)):
            state.remove(kind, record["id"])
    state.remove("projects", pid)
    return Reply(204)


def show_process(call: Call) -> Reply:
    return ok(200, json={"details": [], "process_status": 1}, extend=None)


# -- 4.2 tasks ---------------------------------------------------------------------------------------------------


def show_task_set(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    rows = [
        task_set_view(t) for t in call.state.select("tasks", call.cloud_project, project_id=project["id"])
    ]
    return ok(200, extend=[], tasks=page(rows, call))


def show_task(call: Call) -> Reply:
    task = need(call, "tasks", call.int_param("task_id"), "task")
    return ok(200, taskInfo=task_info_view(call.state, task))


def _same_project(call: Call, task: Record, project_id: int) -> None:
    need(call, "projects", project_id, "project")
    if project_id != task["project_id"]:
        raise bad_request(f"task {task['id']} belongs to project {task['project_id']}, not {project_id}")


def update_task(call: Call) -> Reply:
    task = need(call, "tasks", call.int_param("task_id"), "task")
    body = call.body
    if body["id"] != task["id"]:
        raise bad_request(f"body id {body['id']} differs from path task_id {task['id']}")
    _same_project(call, task, body["project_id"])
    # Listed cases get their fields merged; membership is unchanged (the reference's rename example sends
    # "case_list": [] to a task that keeps its cases). All ids are checked before anything changes.
    merges = [
        (need(call, "cases", item["case_id"], "case"), item)
        for item in body.get("case_list") or []
        if item.get("case_id") is not None
    ]
    for key in ("name", "description", "operate_mode", "bench_concurrent", "run_status"):
        if body.get(key) is not None:
            task[key] = body[key]
    for case, item in merges:
        case.update({k: v for k, v in item.items() if k not in ("case_id", "sort")})
    task["update_time"] = now()
    return ok(200, taskInfo=task_info_view(call.state, task))


def _drop_task(call: Call, task: Record) -> None:
    for case in list(call.state.select("cases", call.cloud_project, task_id=task["id"])):
        call.state.remove("cases", case["id"])
    call.state.remove("tasks", task["id"])


def delete_task(call: Call) -> Reply:
    _drop_task(call, need(call, "tasks", call.int_param("task_id"), "task"))
    return Reply(204)


def create_task(call: Call) -> Reply:
    project = need(call, "projects", call.body["project_id"], "project")
    stamp = now()
    record = {
        "id": call.state.new_id(),
        "cloud_project": call.cloud_project,
        "project_id": project["id"],
        "name": call.body["name"],
        "description": "",
        "temps": call.body.get("temps") or [],
        "operate_mode": call.body.get("operate_mode") if call.body.get("operate_mode") is not None else 2,
        "bench_concurrent": call.body.get("bench_concurrent") or 0,
        "parallel": False,
        "run_status": 9,
        "case_ids": [],
        "related_temp_running_data": [],
        "create_time": stamp,
        "update_time": stamp,
    }
    call.state.add("tasks", record)
    return ok(201, task_id=record["id"])


def _task_in_suite(call: Call) -> Record:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    task = need(call, "tasks", call.int_param("task_id"), "task")
    if task["project_id"] != project["id"]:
        raise not_found(f"task in project {project['id']}:", task["id"])
    return task


def update_task_status(call: Call) -> Reply:
    task = _task_in_suite(call)
    body = call.body
    if body["cluster_type"] not in api.CLUSTER_TYPES:
        raise bad_request(f"cluster_type must be one of {sorted(api.CLUSTER_TYPES)}")
    if body["network_info"]["network_type"] != api.NETWORK_TYPE_INTERNET:
        raise bad_request("network_info.network_type must be 'internet'")
    if body["status"] == api.TASK_START:
        return ok(200, extend=None, result={"task_run_id": _start_run(call, task)})
    if body["status"] == api.TASK_STOP:
        run = call.state.get("runs", task.get("last_run_id", 0), call.cloud_project)
        if run is not None and run["status"] == 0:
            _finish_run(call, task, run)
        return ok(200, extend=None, result={"task_run_id": run["id"] if run else 0})
    raise bad_request("status must be 9 (start) or 2 (stop)")


def _start_run(call: Call, task: Record) -> int:
    cases = task_cases(call.state, task)
    if not cases:
        raise bad_request(f"task {task['id']} has no case to run")
    run = {
        "id": call.state.new_id(),
        "cloud_project": call.cloud_project,
        "project_id": task["project_id"],
        "task_id": task["id"],
        "status": 0,
        "start_time": now(),
        "start_epoch": int(time.time()),
        "end_time": None,
        "case_runs": [],
    }
    for case in cases:
        run["case_runs"].append({"id": call.state.new_id(), "case_id": case["id"], "name": case["name"]})
    call.state.add("runs", run)
    task["last_run_id"] = run["id"]
    task["run_status"] = 0
    task["related_temp_running_data"] = [
        reports.running_data(run, cr, case, 0) for cr, case in zip(run["case_runs"], cases, strict=True)
    ]
    return int(run["id"])


def _finish_run(call: Call, task: Record, run: Record) -> None:
    run["status"] = 2
    run["end_time"] = now()
    run["continue_time"] = max(int(time.time()) - run.get("start_epoch", 0), 0)
    task["run_status"] = 2
    for item in task.get("related_temp_running_data", []):
        item["temp_running_status"] = 2


def update_task_related_test_case(call: Call) -> Reply:
    task = need(call, "tasks", call.int_param("task_id"), "task")
    body = call.body
    _same_project(call, task, body["project_id"])
    for case_id in body["case_id_list"]:
        need(call, "cases", case_id, "case")
    task.update(
        name=body["name"],
        parallel=body["parallel"],
        operate_mode=body["operate_mode"],
        case_ids=list(body["case_id_list"]),
        update_time=now(),
    )
    return ok(200, taskInfo=task_info_view(call.state, task))


# -- 4.3 cases ---------------------------------------------------------------------------------------------------


def create_case(call: Call) -> Reply:
    task = need(call, "tasks", call.body["task_id"], "task")
    if call.body["type"] not in api.CASE_TYPES:
        raise bad_request(f"type must be one of {sorted(api.CASE_TYPES)}")
    stamp = now()
    record = {
        "id": call.state.new_id(),
        "cloud_project": call.cloud_project,
        "task_id": task["id"],
        "project_id": task["project_id"],
        "name": call.body["name"],
        "case_type": call.body["type"],  # CreateCase.type (0 regular, 1 video stream, 2 preset)
        "create_time": stamp,
        "update_time": stamp,
    }
    call.state.add("cases", record)
    task["case_ids"] = [*task.get("case_ids", []), record["id"]]
    return ok(201, json={"task_case_id": record["id"]})


def delete_case(call: Call) -> Reply:
    case = need(call, "cases", call.int_param("case_id"), "case")
    for task in call.state.select("tasks", call.cloud_project):
        if case["id"] in task.get("case_ids", []):
            task["case_ids"] = [i for i in task["case_ids"] if i != case["id"]]
    call.state.remove("cases", case["id"])
    return Reply(204)


#: Keys an UpdateCase body must carry for each target (the reference's three examples).
_TARGET_KEYS: dict[str, tuple[str, ...]] = {
    "content": ("contents",),
    "stage": ("stages", "increase_setting"),
    "name": ("name",),
}


def update_case(call: Call) -> Reply:
    case = need(call, "cases", call.int_param("case_id"), "case")
    target = str(call.params["target"])
    if target not in _TARGET_KEYS:
        raise bad_request(f"unknown target {target!r}; documented examples: {', '.join(api.CASE_TARGETS)}")
    keys = _TARGET_KEYS[target]
    if not any(call.body.get(k) is not None for k in keys):
        raise bad_request(f"target {target} needs {' or '.join(keys)} in the body")
    if "case_id" in call.body and call.body["case_id"] not in (None, case["id"]):
        raise bad_request(f"body case_id {call.body['case_id']} differs from path case_id {case['id']}")
    # Stored as sent, including the stage example's {"increase_setting": [{"stages": [...]}]} form, which is
    # kept under increase_setting (the schema form {"stages": [...]} is what ShowTask reports as stages).
    case.update({k: v for k, v in call.body.items() if k not in ("case_id", "sort")})
    case["update_time"] = now()
    return Reply(202)


def debug_case(call: Call) -> Reply:
    need(call, "projects", call.int_param("test_suite_id"), "project")
    if call.int_param("task_id") != 0:
        need(call, "tasks", call.int_param("task_id"), "task")
    body = call.body
    if body["status"] != api.TASK_START:
        raise bad_request("status must be 9 (start debugging)")
    if body["cluster_type"] not in api.CLUSTER_TYPES:
        raise bad_request(f"cluster_type must be one of {sorted(api.CLUSTER_TYPES)}")
    # type 0 (the default) debugs a transaction, 1 a case; the path parameter is case_id either way.
    kind, label = ("cases", "case") if body.get("type") == 1 else ("temps", "transaction")
    record = need(call, kind, call.int_param("case_id"), label)
    return ok(200, extend=None, result=reports.debug_results(record.get("contents")))


# -- 4.4 variables -----------------------------------------------------------------------------------------------


def list_variables(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    vtype = call.int_param("variable_type")
    rows = call.state.select("variables", call.cloud_project, project_id=project["id"])
    # Inferred: a documented variable type filters; any other value (e.g. 0) lists every variable.
    chosen = [v for v in rows if vtype not in api.VARIABLE_TYPES or v["variable_type"] == vtype]
    return ok(200, variable_list=[variable_view(v) for v in chosen])


def _check_variable(item: dict[str, Any]) -> None:
    if item["variable_type"] not in api.VARIABLE_TYPES:
        raise bad_request(f"variable_type must be one of {sorted(api.VARIABLE_TYPES)}")
    if not item["name"]:
        raise bad_request("variable name must not be empty")


def create_variable(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    if not call.body:
        raise bad_request("the body must hold at least one variable")
    for item in call.body:
        _check_variable(item)
    last = 0
    for item in call.body:  # the id sent (required by the table) is ignored: ids are assigned
        last = call.state.new_id()
        call.state.add(
            "variables",
            {
                "id": last,
                "cloud_project": call.cloud_project,
                "project_id": project["id"],
                "name": item["name"],
                "variable_type": item["variable_type"],
                "variable": item["variable"],
                "is_quoted": item["is_quoted"],
            },
        )
    # One id comes back for an array: the last created (the reference does not say which).
    return ok(201, json={"variable_id": last})


def update_variable(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    if not call.body:
        raise bad_request("the body must hold at least one variable")
    records = []
    for item in call.body:
        _check_variable(item)
        record = need(call, "variables", item["id"], "variable")
        if record["project_id"] != project["id"]:
            raise not_found(f"variable in project {project['id']}:", item["id"])
        records.append((record, item))
    for record, item in records:
        record.update(name=item["name"], variable_type=item["variable_type"], variable=item["variable"])
    return ok(201, json={"variable_id": records[-1][0]["id"]})


def delete_variable(call: Call) -> Reply:
    project = need(call, "projects", call.query["test_suite_id"], "project")
    record = need(call, "variables", call.query["variable_id"], "variable")
    if record["project_id"] != project["id"]:
        raise not_found(f"variable in project {project['id']}:", record["id"])
    call.state.remove("variables", record["id"])
    return ok(200)


# -- 4.5 transactions --------------------------------------------------------------------------------------------


def show_temp_set(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    quoted = referenced_temp_ids(call.state, call.cloud_project, project["id"])
    temps = call.state.select("temps", call.cloud_project, project_id=project["id"])
    rows = [temp_set_view(t, t["id"] in quoted) for t in temps]
    return ok(200, temps=page(rows, call))


def create_temp(call: Call) -> Reply:
    project = need(call, "projects", call.body["project_id"], "project")
    stamp = now()
    record = {
        "id": call.state.new_id(),
        "cloud_project": call.cloud_project,
        "project_id": project["id"],
        "name": call.body["name"],
        "description": call.body.get("description") or "",
        "temp_type": call.body["temp_type"],
        "contents": call.body.get("contents") or [],
        "for_loop_params": [],
        "enable_pre": False,
        "create_time": stamp,
        "update_time": stamp,
    }
    call.state.add("temps", record)
    return ok(201, tempId=record["id"])


def show_temp(call: Call) -> Reply:
    temp = need(call, "temps", call.int_param("template_id"), "transaction")
    return ok(200, temp_info=temp_info_view(temp))


def update_temp(call: Call) -> Reply:
    temp = need(call, "temps", call.int_param("template_id"), "transaction")
    body = call.body
    if body["id"] != temp["id"]:
        raise bad_request(f"body id {body['id']} differs from path template_id {temp['id']}")
    need(call, "projects", body["project_id"], "project")
    if body["project_id"] != temp["project_id"]:
        raise bad_request(f"transaction {temp['id']} belongs to project {temp['project_id']}")
    for key in ("name", "temp_type", "description", "for_loop_params", "enable_pre", "contents"):
        if key in body:
            temp[key] = body[key]
    temp["update_time"] = now()
    return Reply(204)


def delete_temp(call: Call) -> Reply:
    temp = need(call, "temps", call.int_param("template_id"), "transaction")
    call.state.remove("temps", temp["id"])
    return ok(200)


# -- 4.6 reports, 4.7 directories --------------------------------------------------------------------------------


def show_report(call: Call) -> Reply:
    run = need(call, "runs", call.int_param("task_run_id"), "task run")
    case_run_id = call.int_param("case_run_id")
    case_run = next((cr for cr in run["case_runs"] if cr["id"] == case_run_id), None)
    if case_run is None:
        raise not_found("case run", case_run_id)
    case = call.state.get("cases", case_run["case_id"], call.cloud_project) or {
        "id": case_run["case_id"],
        "name": case_run["name"],
    }
    points = call.query["brokens_limit_count"]
    return ok(200, extend=None, result=reports.report(run, case_run, case, points))


def show_history_run_info(call: Call) -> Reply:
    task = need(call, "tasks", call.int_param("task_id"), "task")
    runs = call.state.select("runs", call.cloud_project, task_id=task["id"])
    entries = [reports.history_entry(task, r, [cr["name"] for cr in r["case_runs"]]) for r in runs]
    return ok(200, log_list=entries)


def list_project_test_case(call: Call) -> Reply:
    project = need(call, "projects", call.int_param("test_suite_id"), "project")
    rows = []
    for task in call.state.select("tasks", call.cloud_project, project_id=project["id"]):
        for case in task_cases(call.state, task):
            rows.append(
                {
                    "id": case["id"],
                    "name": case["name"],
                    "status": case.get("status", 1),
                    "create_time": case["create_time"],
                    "update_time": case["update_time"],
                    "parent_id": 0,
                    "type": 2,
                }
            )
    return ok(200, directory=rows)


#: Operation name -> handler; exactly the operations of ``api.OPERATIONS``.
HANDLERS: dict[str, Handler] = {
    "ListProjectSets": list_project_sets,
    "CreateProject": create_project,
    "ShowProject": show_project,
    "UpdateProject": update_project,
    "DeleteProject": delete_project,
    "ShowProcess": show_process,
    "ShowTaskSet": show_task_set,
    "ShowTask": show_task,
    "UpdateTask": update_task,
    "DeleteTask": delete_task,
    "CreateTask": create_task,
    "UpdateTaskStatus": update_task_status,
    "UpdateTaskRelatedTestCase": update_task_related_test_case,
    "CreateCase": create_case,
    "DeleteCase": delete_case,
    "UpdateCase": update_case,
    "DebugCase": debug_case,
    "ListVariables": list_variables,
    "CreateVariable": create_variable,
    "UpdateVariable": update_variable,
    "DeleteVariable": delete_variable,
    "ShowTempSet": show_temp_set,
    "CreateTemp": create_temp,
    "ShowTemp": show_temp,
    "UpdateTemp": update_temp,
    "DeleteTemp": delete_temp,
    "ShowReport": show_report,
    "ShowHistoryRunInfo": show_history_run_info,
    "ListProjectTestCase": list_project_test_case,
}
