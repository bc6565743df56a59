"""The uploader under faults, over loopback against the emulator: throttling storms, random 5xx, dropped
responses, failures with resume and rollback, uploads into an existing project, and plain HTTP errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from converter.convert import convert_jmx
from converter.plan import Plan, load_plan
from converter.upload.client import ApiError, RetryPolicy
from converter.upload.journal import JournalError
from converter.upload.runner import PlanError, UploadOptions, check_plan
from converter.upload.verify import compare, verify_upload
from tests.conftest import FIXTURES
from tests.upload_support import (
    CP,
    assert_uploaded_as_planned,
    emulator,
    journal_records,
    planned,
    run_upload,
    stored,
    synthetic_jmx,
    token_client,
)

SHOP = FIXTURES / "har" / "shop.plan.json"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """4 cases of 6 transactions: 67 operations."""
    return convert_jmx(synthetic_jmx(tmp_path_factory.mktemp("jmx") / "synthetic.jmx", 4, 6)).plan


def _no_duplicates(server, plan: Plan) -> None:
    assert stored(server) == planned(plan)


def test_429_storm_completes(synthetic: Plan, tmp_path: Path) -> None:
    storm = set(range(3, 40))  # 37 calls in a row throttled
    with emulator(fail_status=429, fail_nth=storm) as (server, url):
        client = token_client(url, retries=25)
        result = run_upload(synthetic, client, tmp_path / "j.jsonl")
        assert result.ok, result.error
        assert client.stats.retries >= len(storm)
        _no_duplicates(server, synthetic)
        assert_uploaded_as_planned(synthetic, client, result)


@pytest.mark.parametrize("status", [500, 503])
def test_random_5xx_complete_without_duplicates(synthetic: Plan, tmp_path: Path, status: int) -> None:
    with emulator(fail_status=status, fail_rate=0.3, seed=7) as (server, url):
        client = token_client(url, retries=12)
        result = run_upload(synthetic, client, tmp_path / "j.jsonl", concurrency=6)
        assert result.ok, result.error
        assert client.stats.retries > 5
        _no_duplicates(server, synthetic)
        assert_uploaded_as_planned(synthetic, client, result)


def test_dropped_responses_do_not_duplicate(synthetic: Plan, tmp_path: Path) -> None:
    # Sequential calls: 1 ListProjectSets, 2 CreateProject, then creates and updates; every 4th call dropped.
    drops = {2, *range(6, 120, 4)}
    with emulator(drop_nth=drops) as (server, url):
        client = token_client(url, retries=12)
        journal = tmp_path / "j.jsonl"
        result = run_upload(synthetic, client, journal, concurrency=1)
        assert result.ok, result.error
        assert client.stats.lost >= 10 and client.stats.adopted >= 5
        _no_duplicates(server, synthetic)
        assert_uploaded_as_planned(synthetic, client, result)
        adopted = [r["op"] for r in journal_records(journal) if r["type"] == "done" and r["adopted"]]
        assert "project" in adopted
        assert {c.item for c in result.created if c.adopted} == set(adopted)


def test_lost_create_is_found_past_the_first_page_of_the_list(synthetic: Plan, tmp_path: Path) -> None:
    """The service returns at most 3 rows per list call: the lookup after a lost CreateTemp reads every page
    (offset/limit, 4.5.1) and adopts the transaction instead of creating it twice."""
    # Sequential calls: 1 ListProjectSets, 2 CreateProject, 3.. the CreateTemps; call 12 is the tenth.
    with emulator(max_page=3, drop_nth={12}) as (server, url):
        client = token_client(url)
        journal = tmp_path / "j.jsonl"
        result = run_upload(synthetic, client, journal, concurrency=1)
        assert result.ok, result.error
        adopted = [r["op"] for r in journal_records(journal) if r["type"] == "done" and r["adopted"]]
        temps = [op.id for op in synthetic.operations if op.operation == "CreateTemp"]
        assert adopted == [temps[9]] and client.stats.adopted == 1
        _no_duplicates(server, synthetic)
        assert_uploaded_as_planned(synthetic, client, result)


def test_lost_project_create_never_adopts_an_older_project_of_the_same_name(tmp_path: Path) -> None:
    plan = load_plan(SHOP)
    with emulator() as (server, url):
        first = run_upload(plan, token_client(url), tmp_path / "a.jsonl")
        server.config.drop_nth = frozenset({server.calls + 2})  # the CreateProject of the second upload
        second = run_upload(plan, token_client(url), tmp_path / "b.jsonl")
        assert first.ok and second.ok
        assert first.captured["project"]["id"] != second.captured["project"]["id"]
        assert stored(server)["projects"]["shop"] == 2
        assert journal_records(tmp_path / "b.jsonl")[0]["preexisting"] == {
            "projects": [first.captured["project"]["id"]]
        }


def test_documented_501_text_names_the_plan_item(tmp_path: Path) -> None:
    """Every operation documents 501 "unknown error" with a bare String body (e.g. 4.5.2 table 4-158)."""
    plan = load_plan(SHOP)
    temps = [i for i, op in enumerate(plan.operations) if op.operation == "CreateTemp"]
    # Sequential calls: 1 ListProjectSets (an empty first page), then one call per operation.
    with emulator(fail_status=501, fail_nth={2 + temps[0]}) as (_, url):
        result = run_upload(plan, token_client(url, retries=0), tmp_path / "j.jsonl", concurrency=1)
    error = result.error or ""
    assert not result.ok and f"CreateTemp (plan item {plan.operations[temps[0]].id})" in error
    assert "HTTP 501: unknown error" in error


def test_failure_keeps_then_resume_creates_each_resource_once(synthetic: Plan, tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with emulator(fail_nth={30}) as (server, url):
        failed = run_upload(synthetic, token_client(url, retries=0), journal)
        assert not failed.ok and "(plan item " in (failed.error or "") and "HTTP 500" in (failed.error or "")
        assert failed.created and journal_records(journal)[-1]["result"] == "failed"
        resumed = run_upload(synthetic, token_client(url), journal, resume=True)
        assert resumed.ok, resumed.error
        assert resumed.skipped >= len(failed.created)
        _no_duplicates(server, synthetic)
        assert_uploaded_as_planned(synthetic, token_client(url), resumed)


def test_resume_of_a_begun_create_adopts_instead_of_recreating(tmp_path: Path) -> None:
    """A create that was sent but never journaled as done (the process died) is looked up, not re-sent."""
    plan = load_plan(SHOP)
    journal = tmp_path / "j.jsonl"
    with emulator() as (server, url):
        run_upload(plan, token_client(url), journal)
        lines = journal.read_text().splitlines()
        # Forget that the task and everything after it completed, but keep every "begin" (written before sending).
        cut = next(i for i, line in enumerate(lines) if '"type": "done"' in line and '"op": "task"' in line)
        begun = [line for line in lines[cut:] if '"type": "begin"' in line]
        journal.write_text("\n".join(lines[:cut] + begun) + "\n")
        resumed = run_upload(plan, token_client(url), journal, resume=True)
        assert resumed.ok, resumed.error
        assert {"task", "case:shop"} <= {c.item for c in resumed.created if c.adopted}
        _no_duplicates(server, plan)


def test_resume_refuses_another_plan(synthetic: Plan, tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with emulator() as (_, url):
        assert run_upload(load_plan(SHOP), token_client(url), journal).ok
        with pytest.raises(JournalError, match="another plan"):
            run_upload(synthetic, token_client(url), journal, resume=True)


def _failing_last(plan: Plan) -> Plan:
    """The plan with its last operation (linking cases to the task) made invalid: a 400 at the very end."""
    data = plan.model_dump(mode="json")
    data["operations"][-1]["body"]["name"] = "x" * 43
    return Plan.model_validate(data)


def test_rollback_deletes_everything_created(synthetic: Plan, tmp_path: Path) -> None:
    with emulator() as (server, url):
        result = run_upload(
            _failing_last(synthetic), token_client(url), tmp_path / "j.jsonl", on_error="rollback"
        )
        assert (
            not result.ok
            and "HTTP 400" in (result.error or "")
            and "name must be 1-42" in (result.error or "")
        )
        assert "UpdateTaskRelatedTestCase (plan item task:cases)" in (result.error or "")
        assert len(result.rolled_back) == len(result.created) > 0 and not result.rollback_errors
        assert [r.item for r in result.rolled_back][-1] == "project"
        assert all(not names for names in stored(server).values())
        assert journal_records(tmp_path / "j.jsonl")[-1]["result"] == "rolled_back"


def test_existing_test_suite_upload_and_rollback_leaves_it_empty(synthetic: Plan, tmp_path: Path) -> None:
    with emulator() as (server, url):
        client = token_client(url)
        suite = client.call("CreateProject", "setup", client.op_path("CreateProject"), {"name": "mine"}).body
        suite_id = suite["project_id"]
        ok = run_upload(synthetic, client, tmp_path / "a.jsonl", test_suite_id=suite_id)
        assert ok.ok and ok.captured["project"] == {"id": suite_id}
        assert "project" not in {c.item for c in ok.created}
        assert stored(server)["projects"] == {"mine": 1}
        assert stored(server)["temps"] == planned(synthetic)["temps"]
        failed = run_upload(
            _failing_last(synthetic),
            client,
            tmp_path / "b.jsonl",
            test_suite_id=suite_id,
            on_error="rollback",
        )
        assert not failed.ok and failed.rolled_back
        assert stored(server)["temps"] == planned(synthetic)["temps"]  # the first upload's, untouched
        temps = client.call("ShowTempSet", "t", client.op_path("ShowTempSet", test_suite_id=suite_id)).body
        assert len(temps["temps"]) == len(planned(synthetic)["temps"])


def test_unknown_test_suite_is_a_clear_error(tmp_path: Path) -> None:
    with emulator() as (_, url):
        result = run_upload(load_plan(SHOP), token_client(url), tmp_path / "j.jsonl", test_suite_id=999)
        assert not result.ok and not result.started
        assert "ShowProject (checking --test-suite-id 999)" in (result.error or "") and "404" in (
            result.error or ""
        )


def test_fills_are_sent_but_never_journaled(tmp_path: Path) -> None:
    plan = load_plan(SHOP)
    secret = "pa55-w0rd-filled-at-send"
    with emulator() as (server, url):
        journal = tmp_path / "j.jsonl"
        result = run_upload(plan, token_client(url), journal, values={"password": secret})
        assert result.ok
        values = {v["name"]: v["variable"] for v in server.state.tables["variables"].values()}
        assert values["password"] == [secret] and values["authorization"] == [""]
        assert secret.encode() not in journal.read_bytes()


def test_plan_checks_before_sending() -> None:
    plan = load_plan(SHOP)
    assert check_plan(plan, UploadOptions()) == [
        "authorization",
        "cookie_sessionid",
        "cookie_theme",
        "password",
    ]
    with pytest.raises(PlanError, match="--set nope: the plan has no value"):
        check_plan(plan, UploadOptions(values={"nope": "secret-value"}))
    data = plan.model_dump(mode="json")
    data["operations"][1]["fill"] = {"/0/missing": "x"}
    with pytest.raises(PlanError, match="does not point into the body"):
        check_plan(Plan.model_validate(data), UploadOptions())
    data = plan.model_dump(mode="json")
    data["operations"][0]["expect"] = 200
    with pytest.raises(PlanError, match="status 201 in the API contract"):
        check_plan(Plan.model_validate(data), UploadOptions())
    data = plan.model_dump(mode="json")  # a body edited by hand since the dry run
    data["operations"][0]["body"]["undocumented"] = 1
    with pytest.raises(PlanError, match="does not follow the PerfTest API contract: body at undocumented"):
        check_plan(Plan.model_validate(data), UploadOptions())


def test_concurrency_overlaps_calls(synthetic: Plan, tmp_path: Path) -> None:
    # the server counts the calls it answers at once (no timing: speed goals live in benchmarks/)
    with emulator(latency_ms=20) as (server, url):
        client = token_client(url)
        assert run_upload(synthetic, client, tmp_path / "j.jsonl", concurrency=8).ok
        assert server.peak_in_flight >= 4, server.peak_in_flight
    with emulator(latency_ms=5) as (server, url):
        assert run_upload(synthetic, token_client(url), tmp_path / "k.jsonl", concurrency=1).ok
        assert server.peak_in_flight == 1


# -- plain HTTP errors from a stub server on loopback ------------------------------------------------------------


Reply = tuple[int, dict[str, str], bytes]


class _Stub(BaseHTTPRequestHandler):
    replies: ClassVar[list[Reply]] = []
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, body = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        self.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def stub() -> Iterator[tuple[type[_Stub], str]]:
    class Handler(_Stub):
        replies: ClassVar[list[Reply]] = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _create_project(url: str, retry: RetryPolicy | None = None) -> object:
    client = token_client(url, retries=2)
    if retry is not None:
        client.retry = retry
    return client.call("CreateProject", "plan item project", client.op_path("CreateProject"), {"name": "p"})


def test_501_text_becomes_a_clear_message(stub) -> None:
    handler, url = stub
    handler.replies.append((501, {"Content-Type": "text/plain"}, b"unknown error"))
    with pytest.raises(ApiError) as caught:
        _create_project(url)
    assert str(caught.value).startswith("CreateProject (plan item project)")
    assert "HTTP 501: unknown error" in str(caught.value)


def test_success_status_with_an_error_code_fails(stub) -> None:
    handler, url = stub
    handler.replies.append((201, {}, b'{"code": "CPTS.9999", "message": "quota exceeded", "project_id": 3}'))
    with pytest.raises(ApiError, match=r"code 'CPTS\.9999': quota exceeded"):
        _create_project(url)


def test_undocumented_success_status_is_not_success(stub) -> None:
    """CreateProject documents 201 (4.1.2); a 200, even with the success code, is said plainly, not retried."""
    handler, url = stub
    handler.replies.append(
        (200, {}, b'{"code": "SVCSTG.CPTS.0000000", "message": "success", "project_id": 3}')
    )
    with pytest.raises(ApiError) as caught:
        _create_project(url)
    message = str(caught.value)
    assert "answered HTTP 200 where the PerfTest API reference documents 201" in message
    assert "--resume looks it up" in message and caught.value.status == 200 and len(handler.replies) == 1


def test_a_created_id_that_is_not_an_integer_stops_the_upload(stub, tmp_path: Path) -> None:
    handler, url = stub
    handler.replies += [
        (200, {}, b'{"code": "SVCSTG.CPTS.0000000", "message": "success", "projects": []}'),
        (201, {}, b'{"code": "SVCSTG.CPTS.0000000", "message": "success", "project_id": "7"}'),
    ]
    plan = load_plan(SHOP)
    result = run_upload(plan, token_client(url), tmp_path / "j.jsonl")
    assert not result.ok and "the reply's project_id is not an integer id: '7'" in (result.error or "")


def test_other_4xx_are_not_retried(stub) -> None:
    handler, url = stub
    handler.replies.append((400, {}, b'{"error_code": "CPTS.0400", "error_msg": "bad name"}'))
    with pytest.raises(ApiError, match=r"HTTP 400 CPTS.0400: bad name") as caught:
        _create_project(url)
    assert caught.value.status == 400 and len(handler.replies) == 1


def test_retry_after_is_honoured(stub) -> None:
    handler, url = stub
    reply = (201, {}, b'{"code": "SVCSTG.CPTS.0000000", "message": "ok", "project_id": 5}')
    handler.replies += [(429, {"Retry-After": "3"}, b"{}"), reply, reply]
    slept: list[float] = []
    retry = RetryPolicy(retries=2, base_delay=0.001, max_delay=0.01, sleep=slept.append)
    assert _create_project(url, retry).body["project_id"] == 5  # type: ignore[attr-defined]
    assert slept == [3.0]


def test_connection_refused_is_retried_then_reported() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = token_client(f"http://127.0.0.1:{port}", retries=2)
    with pytest.raises(ApiError, match=r"failed after 3 attempt\(s\): cannot connect"):
        client.call("ShowTask", "task", client.op_path("ShowTask", task_id=1))
    assert client.stats.requests == 3


def test_paths_carry_the_cloud_project() -> None:
    client = token_client("http://127.0.0.1:9")
    assert client.path("/v1/{project_id}/templates") == f"/v1/{CP}/templates"


# -- read-back verification -----------------------------------------------------------------------------------------


def test_verify_reports_what_the_server_dropped_or_changed(tmp_path: Path) -> None:
    plan = load_plan(SHOP)
    with emulator() as (server, url):
        client = token_client(url)
        result = run_upload(plan, client, tmp_path / "j.jsonl")
        assert verify_upload(plan, client, result.captured) == []
        temp = server.state.tables["temps"][result.captured["temp:checkout"]["id"]]
        card = temp["contents"][0]["content"][0]["content"]
        del card["return_timeout"]
        card["method"] = "PATCH"
        case = server.state.tables["cases"][result.captured["case:shop"]["id"]]
        case["stages"] = []
        found = {(d.item, d.where, d.kind) for d in verify_upload(plan, client, result.captured)}
    prefix = "contents[0].content[0].content"
    assert ("temp:checkout", f"{prefix}.return_timeout", "dropped") in found
    assert ("temp:checkout", f"{prefix}.method", "changed") in found
    case_id = result.captured["case:shop"]["id"]
    assert ("case:shop", f"case_list[{case_id}].stages", "changed") in found


def test_verify_reads_variables_back_without_showing_set_values(tmp_path: Path) -> None:
    plan = load_plan(SHOP)  # four CreateVariable items, each filled by --set
    values = {"authorization": "Bearer s3cr3t-token-value", "password": "hunter2-pass"}
    with emulator() as (server, url):
        client = token_client(url)
        result = run_upload(plan, client, tmp_path / "j.jsonl", values=values)
        assert result.ok, result.error
        assert verify_upload(plan, client, result.captured, values) == []
        table = server.state.tables["variables"]
        table[result.captured["var:authorization"]["id"]]["variable"] = ["Bearer s3cr3t"]  # truncated
        table[result.captured["var:password"]["id"]]["is_quoted"] = False
        del table[result.captured["var:cookie-theme"]["id"]]
        differences = verify_upload(plan, client, result.captured, values)
    found = {(d.item, d.where, d.kind) for d in differences}
    assert found == {
        ("var:authorization", "variable[0]", "changed"),
        ("var:password", "is_quoted", "changed"),
        ("var:cookie-theme", "variable_list", "dropped"),
    }
    text = "\n".join(str(d) for d in differences)
    assert "authorization did not come back as sent" in text and "s3cr3t" not in text


def test_verify_hides_a_set_value_when_the_whole_list_that_holds_it_changed(tmp_path: Path) -> None:
    # a difference reported on the list that holds a --set value (not on the value's own place) is masked too
    plan = load_plan(SHOP)
    values = {"authorization": "Bearer s3cr3t-token-value", "password": "hunter2-pass"}
    with emulator() as (server, url):
        client = token_client(url)
        result = run_upload(plan, client, tmp_path / "j.jsonl", values=values)
        assert result.ok, result.error
        table = server.state.tables["variables"]
        table[result.captured["var:authorization"]["id"]]["variable"] = "Bearer s3cr3t-token-value!"
        differences = verify_upload(plan, client, result.captured, values)
    [difference] = [d for d in differences if d.item == "var:authorization"]
    assert (difference.where, difference.kind) == ("variable", "changed")
    assert difference.detail == "the value given for authorization did not come back as sent (not shown)"


def test_compare_ignores_added_keys_and_missing_empty_values() -> None:
    assert compare({"a": 1, "b": None, "c": [], "d": ""}, {"a": 1, "extra": 2}) == []
    assert compare({"a": True}, {"a": 1}) == [("a", "changed", "sent true, got 1")]
    assert compare({"a": [1, 2]}, {"a": [1]}) == [("a", "changed", "sent 2 item(s), got 1")]
    assert compare({"a": 5000}, {"a": 5000.0}) == []
