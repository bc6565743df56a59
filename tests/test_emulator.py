"""The PerfTest emulator over real HTTP on loopback: auth, validation, 404s, round trips, faults, persistence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from converter import api, signing
from converter.emulator import serve

TOKEN = "test-token"
AK, SK = "EMULATORAK", "emulator-secret-key"
CP = "cloudproj"  # the IAM project id of the paths
JSON = {"Content-Type": "application/json"}  # required on every request (reference table 3-1)


class Client:
    """Calls documented operations by name; remembers which ones it called."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.http = httpx.Client(base_url=url, headers=headers or {"X-Auth-Token": TOKEN}, timeout=5)
        self.called: set[str] = set()

    def call(
        self, name: str, body: Any = None, query: dict[str, Any] | None = None, **params: Any
    ) -> httpx.Response:
        op = api.OPERATIONS[name]
        params.setdefault("project_id", CP)
        self.called.add(name)
        content = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        return self.http.request(
            op.method, op.render(**params), params=query, content=content, headers=headers
        )

    def ok(self, name: str, body: Any = None, query: dict[str, Any] | None = None, **params: Any) -> Any:
        """Call and assert the documented success status and top-level keys; returns the JSON body (or None)."""
        op = api.OPERATIONS[name]
        r = self.call(name, body, query, **params)
        assert r.status_code == op.success_status, (name, r.status_code, r.text)
        if not op.response_keys:
            assert r.content in (b"", b'{"code": "SVCSTG.CPTS.0000000", "message": "success"}'), name
            return r.json() if r.content else None
        data = r.json()
        assert set(data) == set(op.response_keys), name
        # ListProjectSets' example (4.1.1) shows the other documented spelling of the success code.
        assert data["code"] == (api.LEGACY_SUCCESS_CODE if name == "ListProjectSets" else api.SUCCESS_CODE)
        return data

    def create(self, name: str, body: Any, **params: Any) -> int:
        created = api.OPERATIONS[name].extract_id(self.ok(name, body, **params))
        assert isinstance(created, int)
        return created


@pytest.fixture
def server() -> Iterator[tuple[Any, str]]:
    srv, url = serve(token=TOKEN, ak=AK, sk=SK)
    yield srv, url
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def client(server) -> Iterator[Client]:
    c = Client(server[1])
    yield c
    c.http.close()


def error_of(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error_code", "error_msg"} and body["error_msg"]
    return str(body["error_code"])


CARD = {
    "body_type": 0,
    "bodys": [],
    "connect_timeout": 5000,
    "headers": [{"key": "Content-Type", "value": "application/json"}],
    "http_version": "HTTP/1.1",
    "method": "GET",
    "name": "home",
    "protocol_type": 2,
    "return_timeout": 5000,
    "url": "https://www.example.com/",
}


def step(method: str = "GET", content_id: int = 0) -> dict[str, Any]:
    return {
        "content_id": content_id,
        "content": [{"content_type": 2, "content": {**CARD, "method": method}}],
        "index": 0,
        "selected_temp_name": "",
        "data": None,
        "data_type": 0,
        "conditions": None,
        "is_disabled": False,
    }


STAGE = {
    "name": "s1",
    "operate_mode": 0,
    "pressure_mode": 0,
    "time": 120,
    "issue_num": 7,
    "current_user_num": 7,
}
START = {
    "cluster_id": 0,
    "cluster_type": "shared-cluster-internet",
    "without_package": 0,
    "network_info": {"network_type": "internet"},
    "status": 9,
}


def build(c: Client) -> dict[str, int]:
    """The emitter's create path (DESIGN section 4); returns the ids."""
    pid = c.create("CreateProject", {"name": "proj", "description": "d"})
    var = c.create(
        "CreateVariable", [{"id": 0, "name": "v", "variable_type": 2, "variable": ["a"], "is_quoted": False}],
        test_suite_id=pid,
    )  # fmt: skip
    temp = c.create(
        "CreateTemp", {"project_id": pid, "temp_type": 0, "name": "login", "description": "", "contents": []}
    )
    c.ok(
        "UpdateTemp",
        {
            "id": temp,
            "project_id": pid,
            "name": "login",
            "temp_type": 0,
            "description": "",
            "contents": [step()],
        },
        template_id=temp,
    )
    task = c.create(
        "CreateTask",
        {"name": "task", "project_id": pid, "temps": [], "operate_mode": 2, "bench_concurrent": 7},
    )
    case = c.create("CreateCase", {"name": "case", "type": 0, "task_id": task})
    c.ok("UpdateCase", {"contents": [step(content_id=temp), step("POST")]}, case_id=case, target="content")
    c.ok("UpdateCase", {"stages": [STAGE]}, case_id=case, target="stage")
    body = {"name": "task", "parallel": True, "project_id": pid, "operate_mode": 2, "case_id_list": [case]}
    c.ok("UpdateTaskRelatedTestCase", body, task_id=task)
    return {"project": pid, "variable": var, "temp": temp, "task": task, "case": case}


# -- auth -------------------------------------------------------------------------------------------------------


def test_auth_refused(server):
    url = server[1]
    for headers in ({}, {"X-Auth-Token": "wrong"}, {"Authorization": "Basic eDp5"}):
        r = httpx.get(f"{url}/v1/{CP}/test-suites", headers=headers)
        assert error_of(r, 401) == api.ERR_AUTH
    signed = signing.sign("GET", f"{url}/v1/{CP}/test-suites", {}, b"", AK, "wrong-sk")
    assert error_of(httpx.get(f"{url}/v1/{CP}/test-suites", headers=signed), 401) == api.ERR_AUTH


def test_auth_token_and_aksk_accepted(server):
    url = server[1]
    assert httpx.get(f"{url}/v1/{CP}/test-suites", headers={"X-Auth-Token": TOKEN, **JSON}).status_code == 200
    body = json.dumps({"name": "signed"}).encode()
    target = f"{url}/v1/{CP}/test-suites"
    headers = {"Content-Type": "application/json", "X-Project-Id": CP}
    headers.update(signing.sign("POST", target, headers, body, AK, SK))
    r = httpx.post(target, content=body, headers=headers)
    assert r.status_code == 201 and r.json()["project_id"] >= 1
    # the same signature does not cover another body
    r = httpx.post(target, content=json.dumps({"name": "other"}).encode(), headers=headers)
    assert error_of(r, 401) == api.ERR_AUTH
    # query strings are signed too
    target_q = f"{url}/v1/{CP}/test-suites?limit=5&offset=0"
    signed = {**JSON, **signing.sign("GET", target_q, JSON, b"", AK, SK)}
    assert httpx.get(target_q, headers=signed).status_code == 200
    assert error_of(httpx.get(target_q.replace("limit=5", "limit=6"), headers=signed), 401) == api.ERR_AUTH


def test_official_sdk_client_against_emulator(server):
    """The official SDK (AK/SK signing, routing, bodies, response parsing) works against the emulator."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcpts.v1 import CptsClient
    from huaweicloudsdkcpts.v1 import model as m

    client = (
        CptsClient.new_builder()
        .with_credentials(BasicCredentials(AK, SK, CP))
        .with_endpoint(server[1])
        .build()
    )
    pid = client.create_project(
        m.CreateProjectRequest(body=m.CreateProjectRequestBody(name="sdk"))
    ).project_id
    body = m.CreateTempRequestBody(project_id=pid, temp_type=0, name="t", contents=[])
    temp_id = client.create_temp(m.CreateTempRequest(body=body)).temp_id
    shown = client.show_temp(m.ShowTempRequest(template_id=temp_id)).temp_info
    assert (shown.id, shown.name, shown.project_id) == (temp_id, "t", pid)
    names = [t.name for t in client.show_temp_set(m.ShowTempSetRequest(test_suite_id=pid)).temps]
    assert names == ["t"]


def test_open_mode_without_credentials():
    srv, url = serve()
    try:
        assert httpx.get(f"{url}/v1/{CP}/test-suites", headers=JSON).status_code == 200
    finally:
        srv.shutdown()
        srv.server_close()


def test_content_type_is_required_and_json(server):
    """Table 3-1: Content-Type is required on every request and is application/json."""
    url, auth = server[1], {"X-Auth-Token": TOKEN}
    target = f"{url}/v1/{CP}/test-suites"
    assert error_of(httpx.get(target, headers=auth), 400) == api.ERR_BAD_REQUEST
    r = httpx.post(target, content=b'{"name": "p"}', headers=auth)
    assert error_of(r, 400) == api.ERR_BAD_REQUEST and "Content-Type" in r.json()["error_msg"]
    r = httpx.post(target, content=b'{"name": "p"}', headers={**auth, "Content-Type": "text/plain"})
    assert error_of(r, 415) == api.ERR_MEDIA_TYPE
    r = httpx.post(
        target, content=b'{"name": "p"}', headers={**auth, "Content-Type": "Application/JSON; charset=utf-8"}
    )
    assert r.status_code == 201
    assert httpx.get(target, headers={**auth, **JSON}).json()["projects"][0]["name"] == "p"


# -- validation -------------------------------------------------------------------------------------------------


def test_validation_rules_give_400(client):
    pid = client.create("CreateProject", {"name": "p"})
    temp_body = {"project_id": pid, "temp_type": 0, "name": "t"}
    cases = [
        ("CreateProject", {}, {}),  # missing required field
        ("CreateProject", {"name": 1}, {}),  # wrong type
        ("CreateTemp", {**temp_body, "project_id": str(pid)}, {}),  # wrong type (string for integer)
        ("CreateProject", {"name": "p", "colour": "red"}, {}),  # unknown top-level field
        ("CreateTemp", {**temp_body, "name": "x" * 43}, {}),  # name longer than 42
        ("CreateTemp", {**temp_body, "name": ""}, {}),  # empty name
        ("CreateTemp", {**temp_body, "contents": [step("HEAD")]}, {}),  # method not allowed
        ("CreateTemp", {**temp_body, "contents": [step("TRACE")]}, {}),
        ("CreateTemp", {**temp_body, "contents": [step()] * 41}, {}),  # > 40 requests per transaction
        ("CreateVariable", {"id": 0, "name": "v", "variable_type": 1, "variable": [1], "is_quoted": False}, {"test_suite_id": pid}),  # not an array
        ("CreateVariable", [{"name": "v", "variable_type": 1, "variable": [1], "is_quoted": False}], {"test_suite_id": pid}),  # id required
    ]  # fmt: skip
    for name, body, params in cases:
        r = client.call(name, body, **params)
        assert error_of(r, 400) == api.ERR_BAD_REQUEST, (name, body)
    assert client.ok("ShowTempSet", test_suite_id=pid)["temps"] == []  # nothing was created


def test_body_and_parameter_format_errors(server, client):
    url = server[1]
    headers = {"X-Auth-Token": TOKEN, "Content-Type": "application/json"}
    for content in (b"{not json", b"", b"[1, 2", b'{"name": NaN}', b"\xff\xfe"):
        r = httpx.post(f"{url}/v1/{CP}/test-suites", content=content, headers=headers)
        assert error_of(r, 400) == api.ERR_BAD_REQUEST, content
    r = httpx.get(f"{url}/v1/{CP}/tasks/abc", headers=headers)  # non-integer path parameter
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    r = client.call("DeleteVariable", query={"test_suite_id": 1})  # required query missing
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    r = client.call("DeleteVariable", query={"test_suite_id": 1, "variable_id": "x"})
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    r = client.call("ShowReport", task_run_id=1, case_run_id=1)  # brokens_limit_count required
    assert error_of(r, 400) == api.ERR_BAD_REQUEST


def test_case_rules(client):
    ids = build(client)
    case = ids["case"]
    r = client.call("UpdateCase", {"contents": [step("OPTIONS")]}, case_id=case, target="content")
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    r = client.call("UpdateCase", {"stages": [STAGE] * 1025}, case_id=case, target="stage")
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    r = client.call("UpdateCase", {"contents": [step()] * 1025}, case_id=case, target="content")
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    r = client.call("UpdateCase", {"name": "x"}, case_id=case, target="colour")  # undocumented target
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    r = client.call("UpdateCase", {"name": "x"}, case_id=case, target="content")  # target without its key
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    r = client.call("UpdateCase", {"contents": [], "oops": 1}, case_id=case, target="content")
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    stored = client.ok("ShowTask", task_id=ids["task"])["taskInfo"]["case_list"][0]
    assert len(stored["contents"]) == 2 and stored["stages"] == [STAGE]  # nothing changed


# -- 404 --------------------------------------------------------------------------------------------------------


def test_unknown_ids_and_routes(client):
    ids = build(client)
    for name, params in [
        ("ShowProject", {"test_suite_id": 999}),
        ("ShowTask", {"task_id": 999}),
        ("ShowTemp", {"template_id": 999}),
        ("DeleteCase", {"case_id": 999}),
        ("ShowTemp", {"template_id": ids["task"]}),  # a task id is not a template id
        ("ShowTask", {"task_id": ids["task"], "project_id": "another-cloud-project"}),
    ]:
        assert error_of(client.call(name, **params), 404) == api.ERR_NOT_FOUND, name
    r = client.call("CreateCase", {"name": "c", "type": 0, "task_id": 999})
    assert error_of(r, 404) == api.ERR_NOT_FOUND
    r = client.call("UpdateTaskRelatedTestCase", {"name": "t", "parallel": False, "project_id": ids["project"],
                    "operate_mode": 2, "case_id_list": [ids["case"], 999]}, task_id=ids["task"])  # fmt: skip
    assert error_of(r, 404) == api.ERR_NOT_FOUND
    assert error_of(client.http.get(f"/v1/{CP}/nothing-here"), 404) == api.ERR_NO_SUCH_API
    assert error_of(client.http.patch(f"/v1/{CP}/test-suites"), 404) == api.ERR_NO_SUCH_API


# -- round trips over all 29 operations -------------------------------------------------------------------------


def test_all_operations_round_trip(client):
    ids = build(client)
    pid, temp, task, case = ids["project"], ids["temp"], ids["task"], ids["case"]
    assert sorted(ids.values()) == list(range(1, 6))  # integer ids, incrementing

    projects = client.ok("ListProjectSets")["projects"]
    assert [(p["id"], p["name"]) for p in projects] == [(pid, "proj")]
    assert client.ok("ShowProject", test_suite_id=pid)["project"]["name"] == "proj"
    client.ok("UpdateProject", {"id": pid, "name": "proj2", "description": "x"}, test_suite_id=pid)
    assert client.ok("ShowProject", test_suite_id=pid)["project"]["name"] == "proj2"
    assert client.ok("ShowProcess")["json"]["process_status"] == 1

    temp_info = client.ok("ShowTemp", template_id=temp)["temp_info"]
    assert temp_info["contents"] == [step()] and temp_info["project_id"] == pid
    temps = client.ok("ShowTempSet", test_suite_id=pid)["temps"]
    assert [(t["id"], t["name"], t["is_quoted"]) for t in temps] == [(temp, "login", True)]

    info = client.ok("ShowTask", task_id=task)["taskInfo"]
    assert info["parallel"] is True and info["project_id"] == pid
    (case_view,) = info["case_list"]
    assert (case_view["case_id"], case_view["name"], case_view["case_type"], case_view["sort"]) == (
        case,
        "case",
        0,
        1,
    )
    assert case_view["contents"] == [step(content_id=temp), step("POST")]
    assert case_view["stages"] == [STAGE]
    assert set(case_view) == api.documented_case_keys() - {"directory_id", "setup_contents", "collect_log_policy",
                                                            "link_app_list", "case_info"}  # fmt: skip
    tasks = client.ok("ShowTaskSet", test_suite_id=pid)["tasks"]
    assert [(t["id"], t["name"]) for t in tasks] == [(task, "task")]
    updated = client.ok(
        "UpdateTask", {"id": task, "name": "task2", "project_id": pid, "case_list": []}, task_id=task
    )
    assert updated["taskInfo"]["name"] == "task2" and len(updated["taskInfo"]["case_list"]) == 1

    variables = client.ok("ListVariables", variable_type=2, test_suite_id=pid)["variable_list"]
    assert [(v["id"], v["name"], v["variable"]) for v in variables] == [(ids["variable"], "v", ["a"])]
    assert client.ok("ListVariables", variable_type=1, test_suite_id=pid)["variable_list"] == []
    upd = [{"id": ids["variable"], "name": "v2", "variable_type": 1, "variable": [1, 9]}]
    assert client.create("UpdateVariable", upd, test_suite_id=pid) == ids["variable"]
    assert client.ok("ListVariables", variable_type=1, test_suite_id=pid)["variable_list"][0]["name"] == "v2"

    debug_body = {
        "status": 9,
        "cluster_id": 0,
        "cluster_type": "shared-cluster-internet",
        "without_package": 0,
    }
    debug = client.ok("DebugCase", {**debug_body, "type": 1}, test_suite_id=pid, task_id=task, case_id=case)
    assert [d["url"] for d in debug["result"]] == [
        "GET https://www.example.com/",
        "POST https://www.example.com/",
    ]
    run_id = client.create("UpdateTaskStatus", START, test_suite_id=pid, task_id=task)
    running = client.ok("ShowTask", task_id=task)["taskInfo"]
    assert running["run_status"] == 0
    (rel,) = running["related_temp_running_data"]
    assert rel["task_run_info_id"] == run_id and rel["temp_id"] == case
    report = client.ok("ShowReport", query={"brokens_limit_count": 4}, task_run_id=run_id,
                       case_run_id=rel["related_temp_running_id"])["result"]  # fmt: skip
    assert len(report["brokens"]["tps_brokens"]["tps"]) == 4
    assert report["outline"]["maxUsers"] == 7 and report["outline"]["duration"] == 120
    assert len(report["details"]["data"][0]["detailDatas"]) == 2
    stop = {**START, "status": 2}
    assert client.create("UpdateTaskStatus", stop, test_suite_id=pid, task_id=task) == run_id
    assert client.ok("ShowTask", task_id=task)["taskInfo"]["run_status"] == 2
    (hist,) = client.ok("ShowHistoryRunInfo", task_id=task)["log_list"]
    assert hist["run_id"] == run_id and hist["temp_names"] == [{"name": "case"}]
    directory = client.ok("ListProjectTestCase", test_suite_id=pid)["directory"]
    assert [(d["id"], d["type"]) for d in directory] == [(case, 2)]

    client.ok("DeleteVariable", query={"variable_id": ids["variable"], "test_suite_id": pid})
    assert client.ok("ListVariables", variable_type=0, test_suite_id=pid)["variable_list"] == []
    client.ok("DeleteCase", case_id=case)
    assert client.ok("ShowTask", task_id=task)["taskInfo"]["case_list"] == []
    client.ok("DeleteTemp", template_id=temp)
    assert error_of(client.call("ShowTemp", template_id=temp), 404) == api.ERR_NOT_FOUND
    client.ok("DeleteTask", task_id=task)
    assert error_of(client.call("ShowTask", task_id=task), 404) == api.ERR_NOT_FOUND
    client.ok("DeleteProject", test_suite_id=pid)
    assert client.ok("ListProjectSets")["projects"] == []
    assert client.called == set(api.OPERATIONS)


def test_stage_example_form_is_stored_as_sent(client):
    ids = build(client)
    wrapped = {"increase_setting": [{"stages": [STAGE]}]}
    client.ok("UpdateCase", wrapped, case_id=ids["case"], target="stage")
    (case_view,) = client.ok("ShowTask", task_id=ids["task"])["taskInfo"]["case_list"]
    assert case_view["increase_setting"] == wrapped["increase_setting"]


def test_delete_project_cascades(client):
    ids = build(client)
    client.ok("DeleteProject", test_suite_id=ids["project"])
    for name, params in [
        ("ShowTask", {"task_id": ids["task"]}),
        ("ShowTemp", {"template_id": ids["temp"]}),
        ("DeleteCase", {"case_id": ids["case"]}),
        ("ListVariables", {"variable_type": 0, "test_suite_id": ids["project"]}),
    ]:
        assert error_of(client.call(name, **params), 404) == api.ERR_NOT_FOUND, name


def test_start_needs_cases_and_valid_cluster(client):
    pid = client.create("CreateProject", {"name": "p"})
    task = client.create("CreateTask", {"name": "t", "project_id": pid})
    r = client.call("UpdateTaskStatus", START, test_suite_id=pid, task_id=task)
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    client.create("CreateCase", {"name": "c", "type": 0, "task_id": task})
    r = client.call("UpdateTaskStatus", {**START, "cluster_type": "mine"}, test_suite_id=pid, task_id=task)
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    other = client.create("CreateProject", {"name": "q"})
    r = client.call("UpdateTaskStatus", START, test_suite_id=other, task_id=task)  # task not in that project
    assert error_of(r, 404) == api.ERR_NOT_FOUND


# -- fault injection --------------------------------------------------------------------------------------------


def _faulty(**config: Any) -> tuple[Any, Client]:
    srv, url = serve(token=TOKEN, **config)
    return srv, Client(url)


def _close(srv: Any, c: Client) -> None:
    c.http.close()
    srv.shutdown()
    srv.server_close()


def test_fail_nth_fails_without_effect():
    srv, c = _faulty(fail_nth={2})
    try:
        pid = c.create("CreateProject", {"name": "p"})  # call 1
        r = c.call("CreateTemp", {"project_id": pid, "temp_type": 0, "name": "t"})  # call 2
        assert error_of(r, 500) == api.ERR_UNKNOWN
        assert c.ok("ShowTempSet", test_suite_id=pid)["temps"] == []  # call 3
    finally:
        _close(srv, c)


@pytest.mark.parametrize("status", [429, 503])
def test_retryable_statuses_send_retry_after(status):
    srv, c = _faulty(fail_nth={1}, fail_status=status, retry_after=1)
    try:
        r = c.call("ListProjectSets")
        error_of(r, status)
        assert r.headers["Retry-After"] == "1"
        assert c.call("ListProjectSets").status_code == 200
    finally:
        _close(srv, c)


def test_fail_501_is_the_documented_text_reply():
    srv, c = _faulty(fail_nth={1}, fail_status=501)
    try:
        r = c.call("ListProjectSets")
        assert (r.status_code, r.text) == (501, "unknown error")
        assert r.headers["Content-Type"].startswith("text/plain")
    finally:
        _close(srv, c)


def test_fail_rate_is_seeded():
    def pattern(seed: int) -> list[int]:
        srv, c = _faulty(fail_rate=0.5, seed=seed)
        try:
            return [c.call("ListProjectSets").status_code for _ in range(24)]
        finally:
            _close(srv, c)

    first = pattern(7)
    assert first == pattern(7)
    assert set(first) == {200, 500}
    srv, c = _faulty(fail_rate=1.0)
    try:
        assert all(c.call("ListProjectSets").status_code == 500 for _ in range(3))
    finally:
        _close(srv, c)


def test_latency():
    srv, c = _faulty(latency_ms=120)
    try:
        started = time.monotonic()
        c.call("ListProjectSets")
        assert time.monotonic() - started >= 0.12
    finally:
        _close(srv, c)


def test_drop_nth_commits_but_drops():
    srv, c = _faulty(drop_nth={2})
    try:
        pid = c.create("CreateProject", {"name": "p"})
        with pytest.raises(httpx.TransportError):
            c.call("CreateTemp", {"project_id": pid, "temp_type": 0, "name": "lost-response"})
        temps = c.ok("ShowTempSet", test_suite_id=pid)["temps"]
        assert [t["name"] for t in temps] == ["lost-response"]  # adoptable by name
    finally:
        _close(srv, c)


def test_list_pages_offset_limit_and_max_page():
    srv, url = serve(token=TOKEN, max_page=2)
    try:
        c = Client(url)
        pid = c.create("CreateProject", {"name": "p"})
        for n in range(5):
            c.create("CreateTemp", {"project_id": pid, "temp_type": 0, "name": f"t{n}"})

        def names(query: dict[str, int]) -> list[str]:
            return [t["name"] for t in c.ok("ShowTempSet", query=query, test_suite_id=pid)["temps"]]

        assert names({}) == ["t0", "t1"]  # capped even without a limit
        assert names({"offset": 1, "limit": 10}) == ["t1", "t2"]  # offset counts rows
        assert names({"offset": 3, "limit": 1}) == ["t3"]
        assert names({"offset": 5, "limit": 2}) == []
    finally:
        srv.shutdown()
        srv.server_close()


def test_bad_fault_config_rejected():
    for bad in ({"fail_rate": 1.5}, {"fail_status": 404}, {"ak": "x"}, {"max_page": 0}):
        with pytest.raises(ValueError):
            serve(**bad)


# -- persistence ------------------------------------------------------------------------------------------------


def test_state_persists_across_restarts(tmp_path: Path):
    path = tmp_path / "state.json"
    srv, c = _faulty(state_path=str(path))
    try:
        ids = build(c)
    finally:
        _close(srv, c)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert [t["name"] for t in saved["temps"]] == ["login"]
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp file left behind

    srv, c = _faulty(state_path=str(path))
    try:
        assert c.ok("ShowTemp", template_id=ids["temp"])["temp_info"]["contents"] == [step()]
        assert c.ok("ShowTask", task_id=ids["task"])["taskInfo"]["case_list"][0]["stages"] == [STAGE]
        new = c.create("CreateProject", {"name": "again"})
        assert new > max(ids.values())  # ids are not reused
    finally:
        _close(srv, c)


def test_module_runs_and_prints_url_first(tmp_path: Path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PERFTEST_TOKEN", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")
    }
    env["PERFTEST_TOKEN"] = TOKEN
    proc = subprocess.Popen(
        [sys.executable, "-m", "converter.emulator", "--port", "0", "--state", str(tmp_path / "s.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/v1/{CP}/test-suites").status_code == 401
        r = httpx.post(f"{url}/v1/{CP}/test-suites", json={"name": "cli"}, headers={"X-Auth-Token": TOKEN})
        assert r.status_code == 201
    finally:
        proc.terminate()
        proc.wait(timeout=5)
    assert json.loads((tmp_path / "s.json").read_text())["projects"][0]["name"] == "cli"


def test_concurrent_creates_get_distinct_ids(server):
    from concurrent.futures import ThreadPoolExecutor

    def create(i: int) -> int:
        with httpx.Client(base_url=server[1], headers={"X-Auth-Token": TOKEN}) as http:
            r = http.post(f"/v1/{CP}/test-suites", json={"name": f"p{i}"})
            assert r.status_code == 201
            return int(r.json()["project_id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(24)))
    assert sorted(ids) == list(range(1, 25))
    headers = {"X-Auth-Token": TOKEN, **JSON}
    listed = httpx.get(f"{server[1]}/v1/{CP}/test-suites", headers=headers).json()["projects"]
    assert len(listed) == 24
