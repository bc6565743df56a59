"""Helpers of the upload tests: a loopback emulator, fast clients, synthetic plans, read-back through the API."""

from __future__ import annotations

import collections
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from converter.emulator import EmulatorServer, serve
from converter.plan import Plan
from converter.upload.client import PerfTestClient, RetryPolicy
from converter.upload.credentials import Credentials
from converter.upload.journal import Journal, read_journal
from converter.upload.runner import Runner, UploadOptions, UploadResult

TOKEN = "tok-9f3a7c1e5b2d4a68-upload"
AK = "AKUPLOADTEST7Q2W9E4R"
SK = "sk-upload-Secret/Key+v4lu3=="
SECURITY_TOKEN = "sts-temporary-7d1f0c9b2a"
CP = "cp-upload"
CREDENTIAL_ENV = (
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "PERFTEST_TOKEN",
    "PERFTEST_ENDPOINT",
)
KIND_OF = {
    "CreateProject": "projects",
    "CreateVariable": "variables",
    "CreateTemp": "temps",
    "CreateTask": "tasks",
    "CreateCase": "cases",
}


@contextmanager
def emulator(**config: Any) -> Iterator[tuple[EmulatorServer, str]]:
    """A running emulator (token credentials unless given otherwise), shut down afterwards."""
    if "ak" not in config:
        config.setdefault("token", TOKEN)
    server, url = serve(**config)
    try:
        yield server, url
    finally:
        server.shutdown()
        server.server_close()


def fast_retry(retries: int = 10) -> RetryPolicy:
    return RetryPolicy(retries=retries, base_delay=0.002, max_delay=0.02)


def token_client(url: str, retries: int = 10, timeout: float = 5.0, token: str = TOKEN) -> PerfTestClient:
    return PerfTestClient(
        url, CP, Credentials(source="PERFTEST_TOKEN", token=token), timeout=timeout, retry=fast_retry(retries)
    )


def run_upload(
    plan: Plan, client: PerfTestClient, journal: Path, resume: bool = False, **options: Any
) -> UploadResult:
    """Upload in-process; ``resume`` continues ``journal``."""
    state = read_journal(journal) if resume else None
    handle = Journal.append_to(journal) if resume else Journal.create(journal)
    try:
        return Runner(plan, client, handle, UploadOptions(**options)).run(state)
    finally:
        handle.close()


def clean_env(**values: str) -> dict[str, str]:
    """os.environ without any credential variable, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_ENV}
    env.update(values)
    return env


def stored(server: EmulatorServer, project: str = CP) -> dict[str, collections.Counter[str]]:
    """Names of the emulator's records per kind (a Counter: duplicates show as counts above 1)."""
    with server.state.lock:
        return {
            kind: collections.Counter(
                r.get("name", "") for r in server.state.tables[kind].values() if r["cloud_project"] == project
            )
            for kind in ("projects", "variables", "temps", "tasks", "cases")
        }


def planned(plan: Plan, test_suite: bool = False) -> dict[str, collections.Counter[str]]:
    """What ``stored`` should show after uploading ``plan`` once."""
    out: dict[str, collections.Counter[str]] = {
        k: collections.Counter() for k in ("projects", "variables", "temps", "tasks", "cases")
    }
    for op in plan.operations:
        kind = KIND_OF.get(op.operation)
        if kind is None or (test_suite and kind == "projects"):
            continue
        body = op.body[-1] if isinstance(op.body, list) else op.body
        out[kind][body["name"]] += 1
    return out


def resolve(value: Any, captured: dict[str, dict[str, Any]]) -> Any:
    """The plan's ``$ref``s replaced by captured ids (a test-local resolver)."""
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            target, _, name = value["$ref"].rpartition(".")
            return captured[target][name]
        return {k: resolve(v, captured) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, captured) for v in value]
    return value


def _get(client: PerfTestClient, operation: str, **params: Any) -> Any:
    return client.call(operation, "test", client.op_path(operation, **params)).body


def _all(client: PerfTestClient, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a paged set call, page by page (offset counts rows; an empty page ends it)."""
    rows: list[dict[str, Any]] = []
    while True:
        query = {"offset": len(rows), "limit": 50}
        page = client.call(operation, "test", client.op_path(operation, **params), query=query).body[key]
        if not page:
            return rows
        rows.extend(page)


def assert_uploaded_as_planned(plan: Plan, client: PerfTestClient, result: UploadResult) -> None:
    """Read everything back through the API and compare with the plan's bodies."""
    captured = result.captured
    suite = next(captured[op.id]["id"] for op in plan.operations if op.operation == "CreateProject")
    ops = {op.id: op for op in plan.operations}
    last: dict[str, dict[str, Any]] = {}  # create's plan item -> its body merged with its updates' bodies
    for op in plan.operations:
        owner = op.id
        if op.operation in ("UpdateTemp", "UpdateCase"):
            creator = "CreateTemp" if op.operation == "UpdateTemp" else "CreateCase"
            owner = next(t for t, _ in op.refs() if ops[t].operation == creator)
        body = resolve(op.body, captured)
        last.setdefault(owner, {}).update(body if isinstance(body, dict) else {})
    temps = _all(client, "ShowTempSet", "temps", test_suite_id=suite)
    temp_ops = [op for op in plan.operations if op.operation == "CreateTemp"]
    assert sorted(t["name"] for t in temps) == sorted(op.body["name"] for op in temp_ops)
    for op in temp_ops:
        info = _get(client, "ShowTemp", template_id=captured[op.id]["id"])["temp_info"]
        expected = last[op.id]
        for key in ("name", "description", "temp_type", "contents"):
            assert info[key] == expected[key], (op.id, key)
    task_ops = [op for op in plan.operations if op.operation == "CreateTask"]
    tasks = _all(client, "ShowTaskSet", "tasks", test_suite_id=suite)
    assert sorted(t["name"] for t in tasks) == sorted(op.body["name"] for op in task_ops)
    for task_op in task_ops:
        info = _get(client, "ShowTask", task_id=captured[task_op.id]["id"])["taskInfo"]
        case_ops = [
            op for op in plan.operations if op.operation == "CreateCase" and (task_op.id, "id") in op.refs()
        ]
        by_id = {c["case_id"]: c for c in info["case_list"]}
        assert sorted(by_id) == sorted(captured[op.id]["id"] for op in case_ops)
        for op in case_ops:
            case = by_id[captured[op.id]["id"]]
            for key, value in last[op.id].items():
                if key not in ("task_id", "type"):
                    assert case[key] == value, (op.id, key)
    var_ops = [op for op in plan.operations if op.operation == "CreateVariable"]
    variables = _get(client, "ListVariables", variable_type=0, test_suite_id=suite)["variable_list"]
    assert sorted(v["name"] for v in variables) == sorted(op.body[-1]["name"] for op in var_ops)


def journal_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def synthetic_jmx(path: Path, cases: int, per_case: int, *, users: int = 2, ramp_s: int = 1) -> Path:
    """A JMX with ``cases`` thread groups of ``per_case`` transaction controllers of one request each
    (also used by benchmarks/upload_bench.py)."""

    def sampler(name: str, url_path: str) -> str:
        return (
            f'<HTTPSamplerProxy testclass="HTTPSamplerProxy" testname={quoteattr(name)} enabled="true">'
            '<stringProp name="HTTPSampler.domain">shop.example.test</stringProp>'
            '<stringProp name="HTTPSampler.protocol">https</stringProp>'
            f'<stringProp name="HTTPSampler.path">{url_path}</stringProp>'
            '<stringProp name="HTTPSampler.method">GET</stringProp></HTTPSamplerProxy><hashTree/>'
        )

    groups = []
    for c in range(cases):
        transactions = "".join(
            f'<TransactionController testclass="TransactionController" testname="tx {c}-{t}" enabled="true"/>'
            f"<hashTree>{sampler(f'req {c}-{t}', f'/c{c}/t{t}')}</hashTree>"
            for t in range(per_case)
        )
        groups.append(
            f'<ThreadGroup testclass="ThreadGroup" testname="users {c}" enabled="true">'
            f'<stringProp name="ThreadGroup.num_threads">{users}</stringProp>'
            f'<stringProp name="ThreadGroup.ramp_time">{ramp_s}</stringProp></ThreadGroup>'
            f"<hashTree>{transactions}</hashTree>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><jmeterTestPlan version="1.2"><hashTree>'
        '<TestPlan testclass="TestPlan" testname="synthetic" enabled="true"/>'
        f"<hashTree>{''.join(groups)}</hashTree></hashTree></jmeterTestPlan>",
        encoding="utf-8",
    )
    return path
