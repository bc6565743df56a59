"""Emitted bodies against the PerfTest API reference (audit 6): controllers too big for a transaction, the
steps of a case, the emulator's documented allowed values, renamed project and task names, broken extractor
patterns, connect timeouts, and the count of inferred shapes in the plan's summary."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest

from converter import api
from converter.emit.perftest import emit_plan
from converter.emulator import serve
from converter.model import (
    Body,
    Case,
    Condition,
    Extract,
    LoadProfile,
    Loop,
    Request,
    Scenario,
    SourceInfo,
    Stage,
    Think,
    Transaction,
    TransactionRef,
)
from converter.plan import Operation, Plan
from converter.upload.runner import PlanError, UploadOptions, check_plan
from tests.conftest import FIXTURES, run_cli
from tests.test_emulator import CARD, STAGE, TOKEN, Client, build, error_of, step
from tests.test_jmx_support import convert, el, http, plan, s, tg


def _req(n: int) -> Request:
    return Request(name=f"r{n}", method="GET", url=f"https://a.test/{n}", response_timeout_ms=5000)


def _scenario(steps: list[Any], transactions: dict[str, Transaction] | None = None, **kw: Any) -> Scenario:
    return Scenario(
        name=kw.pop("name", "demo"),
        source=SourceInfo(kind="jmx", path="demo.jmx", sha256="0" * 64),
        transactions=transactions or {},
        cases=[Case(name="main", steps=steps, load=LoadProfile(stages=[Stage(users=5, hold_s=30)]))],
        **kw,
    )


def _diags(p: Plan, code: str) -> list[str]:
    return [f"{d.message} | {d.action}" for d in p.diagnostics if d.code == code]


# -- finding 1: a controller holding more than 40 requests inside a transaction ------------------------------


def test_controller_over_40_requests_in_a_transaction_is_left_out_with_pt045() -> None:
    big = Condition(left="${ok}", operator="==", right="1", steps=[_req(n) for n in range(45)])
    small = Loop(count=2, steps=[_req(100 + n) for n in range(3)])
    txn = Transaction(name="Txn", steps=[_req(99), big, small])
    p = emit_plan(_scenario([TransactionRef(transaction="t")], {"t": txn})).plan
    assert _diags(p, "PT045") == [
        "transaction 'Txn': a condition controller holds 45 requests (a transaction holds at most 40) | "
        "the controller and its 45 requests left out of the transaction"
    ]
    assert [d.severity for d in p.diagnostics if d.code == "PT045"] == ["error"]
    temp = next(op for op in p.operations if op.operation == "UpdateTemp")
    assert [step["data_type"] for step in temp.body["contents"]] == [0, 201]  # r99, then the small loop
    assert p.summary["requests"] == 4
    assert [op.id for op in p.operations if op.contract_problem()] == []


def test_pt045_marks_the_requests_of_the_controller_in_the_ledger(tmp_path: pathlib.Path) -> None:
    samplers = "".join(http(f"R{n}", f"/{n}", domain="h") for n in range(41))
    loop = el("LoopController", "L", s("LoopController.loops", "2"), samplers, guiclass="LoopControlPanel")
    txn = el("TransactionController", "Txn", "", loop, guiclass="TransactionControllerGui")
    sc = convert(tmp_path, plan(tg(txn)))
    emitted = emit_plan(sc)
    assert [d.code for d in emitted.plan.diagnostics if d.code == "PT045"] == ["PT045"]
    rows = {r.name: r for r in emitted.ledger}
    assert rows["R40"].status == "not_converted" and "PT045" in rows["R40"].codes


def test_the_pre_upload_check_refuses_a_transaction_over_40_requests() -> None:
    card = {"content_type": 2, "content": {"name": "r", "method": "GET", "url": "https://a.test/"}}
    steps = [{"content_id": 0, "content": [card] * 41, "index": 0, "data": None, "data_type": 0}]
    body = {"id": {"$ref": "temp:t.id"}, "project_id": {"$ref": "project.id"}, "name": "t", "contents": steps}
    op = Operation(
        id="temp:t:steps",
        operation="UpdateTemp",
        method="PUT",
        path="/v1/{project_id}/templates/{temp:t.id}",
        body=body,
        expect=204,
        depends_on=["project", "temp:t"],
    )
    assert op.contract_problem() == "a transaction holds at most 40 requests, got 41"
    p = emit_plan(_scenario([TransactionRef(transaction="t")], {"t": Transaction(name="t", steps=[_req(0)])}))
    data = p.plan.model_dump(mode="json")
    data["operations"] = [
        o if o["operation"] != "UpdateTemp" else {**o, "body": body} for o in data["operations"]
    ]
    with pytest.raises(PlanError, match="at most 40 requests, got 41"):
        check_plan(Plan.model_validate(data), UploadOptions())


# -- finding 2: one count of a case's steps ------------------------------------------------------------------


def test_steps_of_a_case_are_its_top_level_steps_for_the_emitter_and_the_rules() -> None:
    nested = emit_plan(_scenario([Loop(count=3, steps=[_req(n) for n in range(1100)])])).plan
    assert _diags(nested, "PT004") == []  # one step holding 1100: nothing cut, nothing reported
    content = next(op for op in nested.operations if op.id.endswith(":content"))
    assert api.count_case_steps(content.body["contents"]) == 1
    assert api.rule_violations("UpdateCase", content.body) == []
    flat = emit_plan(_scenario([_req(n) for n in range(1025)])).plan
    assert _diags(flat, "PT004") == [
        "case 'main' has 1025 steps (0 of them think times) | only the first 1024 top-level steps are kept; "
        "1 are not sent"
    ]
    content = next(op for op in flat.operations if op.id.endswith(":content"))
    assert api.count_case_steps(content.body["contents"]) == 1024
    assert api.rule_violations("UpdateCase", {"contents": [{}] * 1025}) == [
        "a case holds at most 1024 steps, got 1025"
    ]


# -- finding 4: the emulator accepts only the documented values -----------------------------------------------


@pytest.fixture
def emu() -> Iterator[Client]:
    srv, url = serve(token=TOKEN)
    c = Client(url)
    yield c
    c.http.close()
    srv.shutdown()
    srv.server_close()


def _card(**changes: Any) -> dict[str, Any]:
    out = step()
    out["content"] = [{"content_type": 2, "content": {**CARD, **changes}}]
    return out


@pytest.mark.parametrize(
    ("what", "contents", "stage"),
    [
        ("protocol_type 5 (4-119: 1 2 3 4 7 9 10 11)", [_card(protocol_type=5)], None),
        ("body_type 2 (4-119: 0 1 3)", [_card(body_type=2)], None),
        ("negative connect_timeout", [_card(connect_timeout=-1)], None),
        (
            "content_type 99 (4-118: 1-4)",
            [{**step(), "content": [{"content_type": 99, "content": {}}]}],
            None,
        ),
        ("data_type 777 (4-117)", [{**step(), "data_type": 777}], None),
        ("stage operate_mode 5 (4-114: 0 1)", None, {**STAGE, "operate_mode": 5}),
        ("pressure_mode 42 (4-114: 0-7)", None, {**STAGE, "pressure_mode": 42}),
        ("negative issue_num", None, {**STAGE, "issue_num": -3}),
        ("negative time", None, {**STAGE, "time": -60}),
        ("negative count", None, {**STAGE, "operate_mode": 1, "count": -1}),
        ("negative current_user_num", None, {**STAGE, "current_user_num": -1}),
        ("a boolean operate_mode", None, {**STAGE, "operate_mode": True}),
    ],
)
def test_emulator_refuses_undocumented_case_values(emu: Client, what: str, contents: Any, stage: Any) -> None:
    ids = build(emu)
    if contents is not None:
        r = emu.call("UpdateCase", {"contents": contents}, case_id=ids["case"], target="content")
    else:
        r = emu.call("UpdateCase", {"stages": [stage]}, case_id=ids["case"], target="stage")
    assert error_of(r, 400) == api.ERR_BAD_REQUEST, what
    r = emu.call("UpdateTemp", {"id": ids["temp"], "project_id": ids["project"], "name": "login",
                                "contents": contents or [_card(protocol_type=5)]}, template_id=ids["temp"])  # fmt: skip
    assert error_of(r, 400) == api.ERR_BAD_REQUEST, what


def test_emulator_refuses_undocumented_task_and_variable_values(emu: Client) -> None:
    ids = build(emu)
    task = {"name": "t2", "project_id": ids["project"], "temps": [], "operate_mode": 9, "bench_concurrent": 1}
    assert error_of(emu.call("CreateTask", task), 400) == api.ERR_BAD_REQUEST  # 4-79: 0 1 2
    r = emu.call("CreateTask", {**task, "operate_mode": 2, "bench_concurrent": -1})
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    link = {"name": "task", "parallel": True, "project_id": ids["project"], "case_id_list": [ids["case"]]}
    r = emu.call("UpdateTaskRelatedTestCase", {**link, "operate_mode": 7}, task_id=ids["task"])
    assert "must be one of [2], got 7" in r.json()["error_msg"]  # 4-89: "pass the fixed value 2 here"
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    variable = {"id": 0, "name": "n", "variable_type": 1, "variable": ["a", "b"], "is_quoted": True}
    r = emu.call(
        "CreateVariable", [variable], test_suite_id=ids["project"]
    )  # 4-137: integers, example [1, 10]
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    assert "integer variable 'n' (variable_type 1) holds integers only, got 'a'" in r.json()["error_msg"]
    r = emu.call("CreateVariable", [{**variable, "variable": [1, True]}], test_suite_id=ids["project"])
    assert error_of(r, 400) == api.ERR_BAD_REQUEST
    assert emu.create("CreateVariable", [{**variable, "variable": [1, 10]}], test_suite_id=ids["project"])
    assert emu.create("CreateTask", {**task, "operate_mode": 0})


# -- finding 5: renamed project and task ------------------------------------------------------------------------


def test_renamed_project_and_task_report_pt001_and_keep_the_original_in_the_description() -> None:
    p = emit_plan(_scenario([_req(0)], name="Checkout: login & pay (v2)")).plan
    ops = {op.operation: op.body for op in p.operations}
    assert ops["CreateProject"] == {
        "name": "Checkout_ login _ pay (v2)",
        "description": "Converted from JMX demo.jmx: Checkout: login & pay (v2)",
    }
    assert (
        ops["CreateTask"]["name"] == ops["UpdateTaskRelatedTestCase"]["name"] == "Checkout_ login _ pay (v2)"
    )
    assert _diags(p, "PT001") == [
        "project and task name 'Checkout: login & pay (v2)' became 'Checkout_ login _ pay (v2)' | "
        "the original name is kept in the project's description (the task has no description)"
    ]
    long = emit_plan(_scenario([_req(0)], name="P" * 82)).plan
    assert [op.body["name"] for op in long.operations if op.operation == "CreateProject"] == ["P" * 42]
    assert len(_diags(long, "PT001")) == 1
    kept = emit_plan(_scenario([_req(0)], name="shop")).plan
    assert _diags(kept, "PT001") == []
    assert kept.operations[0].body["description"] == "Converted from JMX demo.jmx"


def test_a_renamed_case_does_not_claim_a_description() -> None:
    p = emit_plan(_scenario([_req(0)]).model_copy(update={"cases": [
        Case(name="a/b", steps=[_req(0)], load=LoadProfile(stages=[Stage(users=1, hold_s=1)]))
    ]})).plan  # fmt: skip
    assert _diags(p, "PT001") == [
        "name 'a/b' became 'a_b' | the case keeps only the new name (CreateCase has no description field)"
    ]


# -- finding 6: broken extractor patterns --------------------------------------------------------------------


def test_an_extractor_with_an_invalid_pattern_is_left_out_with_pt046() -> None:
    extracts = [
        Extract(variable="g", kind="regex", expression="*global*", default="default_value"),
        Extract(variable="n", kind="regex", expression="*tg1hr1"),
        Extract(variable="ok", kind="regex", expression='id="(\\d+)" ${suffix}'),
    ]
    req = _req(0).model_copy(update={"extracts": extracts})
    p = emit_plan(_scenario([req])).plan
    assert _diags(p, "PT046") == [
        "extractor for ${g}: '*global*' is not a valid regular expression | extraction left out (JMeter logs "
        "'Error in pattern' and extracts nothing); JMeter sets ${g} to its default 'default_value' after each "
        "sample; PerfTest leaves the variable as it was",
        "extractor for ${n}: '*tg1hr1' is not a valid regular expression | extraction left out (JMeter logs "
        "'Error in pattern' and extracts nothing); ${n} keeps its value, as in JMeter",
    ]
    content = next(op for op in p.operations if op.id.endswith(":content"))
    cards = content.body["contents"][0]["content"]
    assert [c["content"]["name"] for c in cards if c["content_type"] == 4] == ["ok"]


# -- finding 9: connect timeouts ----------------------------------------------------------------------------------


def test_connect_timeouts_are_sent_as_they_are_only_the_response_timeout_is_clamped() -> None:
    steps = [
        _req(0).model_copy(update={"connect_timeout_ms": 999_999, "response_timeout_ms": 999_999}),
        _req(1).model_copy(update={"connect_timeout_ms": 10}),
        _req(2),
    ]
    p = emit_plan(_scenario(steps)).plan
    content = next(op for op in p.operations if op.id.endswith(":content"))
    timeouts = [
        (s["content"][0]["content"]["connect_timeout"], s["content"][0]["content"]["return_timeout"])
        for s in content.body["contents"]
    ]
    assert timeouts == [(999_999, 300_000), (10, 5000), (5000, 5000)]
    assert _diags(p, "PT006") == ["response timeout of 999999 ms | set to 300000 ms"]
    assert api.rule_violations("UpdateCase", content.body) == []


# -- finding 8: how much of the plan rests on inference ----------------------------------------------------------


def test_summary_counts_the_operations_whose_bodies_use_inferred_shapes() -> None:
    posted = _req(1).model_copy(update={"method": "POST", "body": Body(kind="raw", text="{}")})
    txn = Transaction(name="t", steps=[_req(0), Think(ms=100)])
    p = emit_plan(
        _scenario([TransactionRef(transaction="t"), Loop(count=2, steps=[posted])], {"t": txn})
    ).plan
    # UpdateTemp (think time), the case's contents (loop, raw body), its stages (the {"stages"} placement)
    assert p.summary["inferred"] == {
        "operations": 3,
        "shapes": {"loop": 1, "raw_body": 1, "stage_placement": 1, "think_time": 1},
    }
    plain = emit_plan(
        _scenario([TransactionRef(transaction="t")], {"t": Transaction(name="t", steps=[_req(0)])})
    )
    assert plain.plan.summary["inferred"] == {"operations": 1, "shapes": {"stage_placement": 1}}


def test_the_cli_summary_names_the_inferred_shapes() -> None:
    result = run_cli("jmx", str(FIXTURES / "jmx" / "shop.jmx"), "--dry-run", "-o", "-")
    assert (
        "  inferred        3 operations: checkpoint, condition, extraction, loop, raw_body, stage_placement, "
        "think_time\n" in result.stderr
    )
    assert json.loads(result.stdout)["summary"]["inferred"]["operations"] == 3


def test_stage_numbers_beyond_the_api_integer_are_set_to_its_maximum() -> None:
    """A source may ask for any length or rate (JMeter reads longs and doubles): the stage body takes the
    reference's Integer at most, and PT047 says which numbers were set to it."""
    scenario = _scenario([_req(1)])
    huge = Stage(users=3, hold_s=2**63 - 1, tps=10**20)
    scenario.cases[0].load.stages[0] = huge
    p = emit_plan(scenario).plan
    [stage] = next(op.body for op in p.operations if op.id == "case:main:stage")["stages"]
    assert (stage["time"], stage["tps_value"], stage["current_tps"]) == (2**31 - 1,) * 3
    assert _diags(p, "PT047") == [f"case 'main': hold_s {2**63 - 1}, tps {10**20} | set to {2**31 - 1}"]
