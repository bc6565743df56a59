"""Scenario -> plan: call order, PerfTest limits and the diagnostics they produce."""

from __future__ import annotations

from typing import Any

from converter.diagnostics import Location
from converter.emit.names import NAME_MAX, NameRegistry, sanitize
from converter.emit.perftest import emit_plan
from converter.model import (
    Body,
    Case,
    Check,
    Condition,
    Extract,
    LoadProfile,
    Loop,
    Rendezvous,
    Request,
    Scenario,
    SourceInfo,
    Stage,
    Think,
    Throughput,
    Transaction,
    TransactionRef,
    Variable,
)


def _req(n: int = 0, **kw: Any) -> Request:
    kw.setdefault("response_timeout_ms", 5000)  # an unset one is the subject of its own tests
    return Request(name=f"r{n}", method=kw.pop("method", "GET"), url=f"https://a.test/{n}", **kw)


def _scenario(
    steps: list, transactions: dict | None = None, stages: list[Stage] | None = None, **kw: Any
) -> Scenario:
    return Scenario(
        name="demo",
        source=SourceInfo(kind="jmx", path="demo.jmx", sha256="0" * 64),
        transactions=transactions or {},
        cases=[
            Case(name="main", steps=steps, load=LoadProfile(stages=stages or [Stage(users=5, hold_s=30)]))
        ],
        **kw,
    )


def _ops(scenario: Scenario) -> dict[str, Any]:
    return {op.id: op for op in emit_plan(scenario).plan.operations}


def test_call_order_follows_the_documented_create_path() -> None:
    scenario = _scenario([TransactionRef(transaction="t")], {"t": Transaction(name="t", steps=[_req()])})
    plan = emit_plan(scenario).plan
    assert [op.operation for op in plan.operations] == [
        "CreateProject",
        "CreateTemp",
        "UpdateTemp",
        "CreateTask",
        "CreateCase",
        "UpdateCase",
        "UpdateCase",
        "UpdateTaskRelatedTestCase",
    ]
    assert [op.expect for op in plan.operations] == [201, 201, 204, 201, 201, 202, 202, 200]
    content = plan.operations[5].body["contents"][0]
    assert content["content_id"] == {"$ref": "temp:t.id"}
    assert content["selected_temp_name"] == "t"
    assert plan.operations[3].body["bench_concurrent"] == 5


def test_unsupported_method_is_left_out_with_an_error() -> None:
    where = Location(source="jmx:/TestPlan/ThreadGroup[1]/HTTPSamplerProxy[1]", name="head")
    emitted = emit_plan(_scenario([_req(1, method="HEAD", source=where), _req(2)]))
    contents = emitted.plan.operations[-3].body["contents"]
    assert [c["content"][0]["content"]["method"] for c in contents] == ["GET"]
    errors = [d for d in emitted.plan.diagnostics if d.severity == "error"]
    assert [(d.code, d.location) for d in errors] == [("PT002", where)]


def test_transaction_with_more_than_40_requests_is_split() -> None:
    transaction = Transaction(name="big", steps=[_req(n) for n in range(85)])
    ops = _ops(_scenario([TransactionRef(transaction="big")], {"big": transaction}))
    updates = [op for op in ops.values() if op.operation == "UpdateTemp"]
    assert [len(op.body["contents"]) for op in updates] == [40, 40, 5]
    assert [op.body["name"] for op in updates] == ["big part 1", "big part 2", "big part 3"]
    case_steps = ops["case:main:content"].body["contents"]
    assert [s["selected_temp_name"] for s in case_steps] == ["big part 1", "big part 2", "big part 3"]
    assert [s["index"] for s in case_steps] == [0, 1, 2]


def test_names_sanitised_truncated_unique() -> None:
    registry = NameRegistry()
    long = "x" * 60
    first, second = registry.claim(long, "f"), registry.claim(long, "f")
    assert len(first) == NAME_MAX and len(second) == NAME_MAX and first != second
    assert sanitize("a/b\\c<d>", "f") == "a_b_c_d"
    assert sanitize("***", "fallback") == "fallback"
    assert registry.claim("结账 流程", "f") == "结账 流程"


def test_ramp_becomes_staircase_then_hold() -> None:
    ops = _ops(_scenario([_req()], stages=[Stage(users=100, ramp_s=50, hold_s=600)]))
    stages = ops["case:main:stage"].body["stages"]
    assert [s["issue_num"] for s in stages] == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100]
    assert [s["time"] for s in stages] == [5] * 10 + [600]
    assert sum(s["time"] for s in stages[:-1]) == 50


def test_iterations_and_tps_stages() -> None:
    ops = _ops(_scenario([_req()], stages=[Stage(users=3, iterations=7), Stage(users=3, hold_s=10, tps=50)]))
    first, second = ops["case:main:stage"].body["stages"]
    assert (first["operate_mode"], first["count"], first["pressure_mode"]) == (1, 21, 0)  # 3 users x 7
    assert (second["operate_mode"], second["time"], second["pressure_mode"], second["tps_value"]) == (
        0,
        10,
        1,
        50,
    )


def test_controllers_checks_extracts_and_think_cards() -> None:
    request = _req(
        1,
        method="POST",
        body=Body(kind="raw", text='{"a":1}', content_type="application/json"),
        checks=[
            Check(target="status", operator="equals", values=["200"]),
            Check(target="body", operator="contains", values=["ok", "fine"], combine="or", negate=True),
            Check(target="header", operator="regex", values=["appl.*json"], header="Content-Type"),
            Check(target="duration", operator="le", values=["500"]),
        ],
        extracts=[
            Extract(variable="id", kind="jsonpath", expression="$.id"),
            Extract(variable="tok", kind="boundary", expression="a[", right="]"),
            Extract(variable="x", kind="xpath", expression="//a"),
        ],
    )
    steps = [
        Think(ms=250),
        Loop(count=3, steps=[request]),
        Condition(left="${flag}", operator="==", right="1", steps=[_req(2)]),
        Rendezvous(name="sync", count=10, timeout_ms=5000),
        Throughput(percent=25, steps=[_req(3)]),
    ]
    emitted = emit_plan(_scenario(steps))
    contents = emitted.plan.operations[-3].body["contents"]
    assert [c["data_type"] for c in contents] == [0, 201, 202, 301, 204]
    assert contents[0]["content"] == [{"content_type": 1, "content": {"name": "think_time", "t": 250}}]
    loop_child = contents[1]["data"]["contents"][0]
    assert contents[1]["data"]["loop_count"] == 3
    cards_ = loop_child["content"]
    assert [c["content_type"] for c in cards_] == [2, 3, 3, 3, 4, 4]
    assert cards_[0]["content"]["body"] == '{"a":1}' and cards_[0]["content"]["body_type"] == 0
    assert cards_[1]["content"]["code"] == "200"
    assert cards_[2]["content"]["body"] == [
        {"condition": "not_contains", "value": "ok"},
        {"condition": "not_contains", "value": "fine"},
    ]
    assert cards_[2]["content"]["rule"] == "or"
    assert cards_[3]["content"]["headers"] == [
        {"key": "Content-Type", "condition": "regex", "value": "appl.*json"}
    ]
    assert cards_[4]["content"]["range"] == "json" and cards_[4]["content"]["json_key"] == "$.id"
    assert cards_[5]["content"]["regexp"] == r"a\[([\s\S]*?)\]"  # indexOf spans lines
    assert contents[2]["conditions"] == {"left": "${flag}", "operator": "==", "right": "1"}
    assert contents[3]["data"] == {"name": "sync", "count": 10, "timeout": 5000}
    assert contents[4]["data"]["percent"] == 25
    codes = sorted(d.code for d in emitted.plan.diagnostics)
    assert codes == ["PT008", "PT010"]


def test_case_step_limit_reports_truncation() -> None:
    emitted = emit_plan(_scenario([Think(ms=1) for _ in range(1030)]))
    assert len(emitted.plan.operations[-3].body["contents"]) == 1024
    assert [d.code for d in emitted.plan.diagnostics] == ["PT004"]


def test_timeouts_default_and_clamp() -> None:
    emitted = emit_plan(
        _scenario(
            [
                _req(1, response_timeout_ms=5),
                _req(2, response_timeout_ms=600_000),
                _req(3, response_timeout_ms=None),
                _req(4, response_timeout_ms=0),
            ]
        )
    )
    cards_ = [c["content"][0]["content"] for c in emitted.plan.operations[-3].body["contents"]]
    # not set (None): PerfTest's default; 0, waiting without limit (a JMeter sampler without a response
    # timeout): PerfTest's maximum, said once for the plan
    assert [c["return_timeout"] for c in cards_] == [20, 300_000, 5000, 300_000]
    assert [c["connect_timeout"] for c in cards_] == [5000, 5000, 5000, 5000]
    assert [d.code for d in emitted.plan.diagnostics] == ["PT006", "PT006", "PT023"]
    assert emitted.plan.diagnostics[-1].location is None


def test_an_unset_timeout_of_a_har_request_keeps_perftests_default() -> None:
    scenario = _scenario([_req(1, response_timeout_ms=None)])
    scenario = scenario.model_copy(update={"source": SourceInfo(kind="har", path="a.har", sha256="0" * 64)})
    emitted = emit_plan(scenario)  # (the source's kind plays no part: an unset timeout is PerfTest's default)
    card = emitted.plan.operations[-3].body["contents"][0]["content"][0]["content"]
    assert card["return_timeout"] == 5000 and not emitted.plan.diagnostics


def test_protocol_and_form_bodies() -> None:
    form = _req(
        1, protocol="http", method="POST", body=Body(kind="form", fields=[{"name": "a", "value": "1"}])
    )
    multipart = _req(2, method="POST", body=Body(kind="multipart", parts=[{"name": "f", "value": "v"}]))
    cards_ = [
        c["content"][0]["content"]
        for c in emit_plan(_scenario([form, multipart])).plan.operations[-3].body["contents"]
    ]
    assert (cards_[0]["protocol_type"], cards_[0]["body_type"], cards_[0]["bodys"]) == (
        1,
        3,
        [{"key": "a", "value": "1"}],
    )
    assert (cards_[1]["protocol_type"], cards_[1]["body_type"], cards_[1]["bodys"]) == (
        2,
        1,
        [{"key": "f", "value": "v"}],
    )
    assert "body" not in cards_[0]


def test_operations_are_checked_against_the_documented_contract() -> None:
    from converter.plan import Operation

    good = dict(id="t", operation="CreateTemp", method="POST", path="/v1/{project_id}/templates", expect=201)
    body = {"project_id": {"$ref": "project.id"}, "temp_type": 0, "name": "n"}
    assert Operation(**good, body=body).contract_problem() is None
    extra = Operation(**good, body={**body, "extra": 1}).contract_problem()
    assert extra is not None and "extra" in extra
    wrong_type = Operation(**good, body={**body, "temp_type": "0"}).contract_problem()
    assert wrong_type is not None and "temp_type" in wrong_type
    status = Operation(**{**good, "expect": 200}, body=body).contract_problem()
    assert status is not None and "200" in status
    route = Operation(**{**good, "path": "/v1/{project_id}/tasks"}, body=body).contract_problem()
    assert route is not None and "/v1/{project_id}/tasks" in route


def test_every_emitted_operation_follows_the_contract() -> None:
    post = _req(
        1,
        method="POST",
        body=Body(kind="raw", text="{}"),
        checks=[Check(target="status", operator="equals", values=["200"])],
    )
    steps = [
        Think(ms=250),
        TransactionRef(transaction="t"),
        Loop(
            count=3,
            steps=[post, _req(4, extracts=[Extract(variable="id", kind="jsonpath", expression="$.id")])],
        ),
        Condition(left="${flag}", operator="==", right="1", steps=[_req(2)]),
        Rendezvous(name="sync", count=10, timeout_ms=5000),
        Throughput(percent=25, steps=[_req(3)]),
    ]
    transactions = {"t": Transaction(name="t", steps=[_req(n) for n in range(45)])}
    variables = [
        Variable(name="v", kind="enum", values=["a", "b"]),
        Variable(name="s", kind="text", secret=True),
    ]
    plan = emit_plan(_scenario(steps, transactions, variables=variables)).plan
    assert plan.operations
    assert [op.id for op in plan.operations if op.contract_problem() is not None] == []


def test_non_http_actions_become_cards_with_an_inferred_method() -> None:
    ws = [
        Request(name="open", protocol="websocket", method="OPEN", url="ws://a.test/s"),
        Request(
            name="send",
            protocol="websocket",
            method="SEND",
            url="ws://a.test/s",
            body=Body(kind="raw", text="hi"),
        ),
        Request(
            name="tcp", protocol="tcp", method="SEND", url="tcp://a.test:9", body=Body(kind="raw", text="x")
        ),
        Request(name="bad", protocol="https", method="SEND", url="https://a.test/"),
    ]
    emitted = emit_plan(_scenario(ws))
    cards_ = [c["content"][0]["content"] for c in emitted.plan.operations[-3].body["contents"]]
    assert [(c["protocol_type"], c["method"], c.get("body")) for c in cards_] == [
        (9, "GET", None),
        (9, "POST", "hi"),
        (3, "POST", "x"),
    ]
    assert [d.code for d in emitted.plan.diagnostics if d.code != "PT023"] == [
        "PT016",
        "PT016",
        "PT016",
        "PT002",
    ]


def test_all_and_random_matches_are_approximations() -> None:
    request = _req(
        1,
        extracts=[
            Extract(variable="every", kind="regex", expression="(a)", match_no=-1),
            Extract(variable="any", kind="regex", expression="(a)", match_no=0),
            Extract(variable="third", kind="regex", expression="(a)", match_no=3),
        ],
    )
    emitted = emit_plan(_scenario([request]))
    cards_ = emitted.plan.operations[-3].body["contents"][0]["content"][1:]
    assert [c["content"]["match_index"] for c in cards_] == [1, 0, 3]
    assert [d.code for d in emitted.plan.diagnostics] == ["PT011", "PT011"]


def test_valid_names_are_left_alone() -> None:
    assert sanitize("grafana__har-to-k6__multipart-formdata", "f") == "grafana__har-to-k6__multipart-formdata"
    assert sanitize("Login (step 1)", "f") == "Login (step 1)"
    assert sanitize("a: b // c", "f") == "a_ b _ c"


def test_plain_text_regex_checks_become_contains_or_equals() -> None:
    request = _req(
        1,
        checks=[
            Check(target="status", operator="regex", values=["200"]),
            Check(target="status", operator="regex", values=["^(?:201)$"]),
            Check(target="body", operator="regex", values=["Errors:"], negate=True),
            Check(target="body", operator="regex", values=["^(?:${name} ok)$"], negate=True),
            Check(target="body", operator="regex", values=["a.b"], negate=True),
            Check(target="status", operator="regex", values=["2.."]),
            Check(target="body", operator="regex", values=["Out of stock."], negate=True),
        ],
    )
    emitted = emit_plan(_scenario([request]))
    cards_ = [c["content"] for c in emitted.plan.operations[-3].body["contents"][0]["content"][1:]]
    assert [c["code"] for c in cards_[:2]] == ["200", "201"]
    assert cards_[2]["body"] == [{"condition": "not_contains", "value": "Errors:"}]
    assert cards_[3]["body"] == [{"condition": "not_equals", "value": "${name} ok"}]
    # "a.b" negated and the status pattern "2.." stay regular expressions, so they cannot be sent
    assert cards_[4]["body"] == [{"condition": "not_contains", "value": "Out of stock"}]
    assert len(cards_) == 5
    assert [d.code for d in emitted.plan.diagnostics] == ["PT008", "PT008", "PT009"]


def test_invalid_regex_checks_are_left_out_and_single_user_ramps_are_exact() -> None:
    request = _req(
        1,
        checks=[
            Check(target="body", operator="regex", values=["*"]),
            Check(target="body", operator="regex", values=["(${x})+"]),
        ],
    )
    emitted = emit_plan(_scenario([request], stages=[Stage(users=1, ramp_s=30, hold_s=60)]))
    cards_ = emitted.plan.operations[-3].body["contents"][0]["content"]
    assert [c["content_type"] for c in cards_] == [2, 3]
    assert [d.code for d in emitted.plan.diagnostics] == ["PT008"]
    assert emitted.plan.operations[-2].body["stages"] == [
        {
            "name": "Stage-1",
            "operate_mode": 0,
            "pressure_mode": 0,
            "issue_num": 1,
            "current_user_num": 1,
            "time": 90,  # the single user starts at once and runs through the ramp time too
        }
    ]


def test_rendezvous_of_all_users_counts_the_users_of_the_case_running_it() -> None:
    """JMeter's group size 0 (the Synchronizing Timer's default) waits for every thread of the group."""
    sync_all = Rendezvous(name="all", count=0, timeout_ms=1000)
    transactions = {
        "t": Transaction(name="t", steps=[_req(1), sync_all]),
        "inner": Transaction(name="inner", steps=[sync_all]),
    }
    scenario = Scenario(
        name="demo",
        source=SourceInfo(kind="jmx", path="demo.jmx", sha256="0" * 64),
        transactions=transactions,
        cases=[
            Case(
                name="small",
                steps=[sync_all, Loop(count=2, steps=[TransactionRef(transaction="inner")])],
                load=LoadProfile(stages=[Stage(users=4, hold_s=10), Stage(users=7, hold_s=10)]),
            ),
            Case(
                name="big",
                steps=[TransactionRef(transaction="t")],
                load=LoadProfile(stages=[Stage(users=20, hold_s=10)]),
            ),
        ],
    )
    ops = _ops(scenario)
    case_step = ops["case:small:content"].body["contents"][0]
    assert case_step["data"] == {"name": "all", "count": 7, "timeout": 1000}
    temp = ops["temp:t:steps"].body["contents"][1]
    assert temp["data"]["count"] == 20
    inner = ops["temp:inner:steps"].body["contents"][0]
    assert inner["data"]["count"] == 7  # run by the small case only, inside its loop


def test_a_slow_rate_ramp_sends_what_jmeter_sends_and_zero_tps_is_reported() -> None:
    """0 -> 1 TPS over 600 s: JMeter's linear rate sends 300 requests; whole-TPS steps must not send twice that."""
    scenario = _scenario([_req()], stages=[Stage(users=5, ramp_s=600, hold_s=0, tps_start=0, tps=1)])
    emitted = emit_plan(scenario)
    stages = next(op.body["stages"] for op in emitted.plan.operations if op.id == "case:main:stage")
    assert sum(st["tps_value"] * st["time"] for st in stages) == 300
    assert {st["issue_num"] for st in stages} == {5} and sum(st["time"] for st in stages) == 600
    zero = [d for d in emitted.plan.diagnostics if d.code == "PT025"]
    assert len(zero) == 1 and zero[0].severity == "warning"  # the first steps' target rounds to 0 TPS


def test_more_stages_than_perftest_allows_are_truncated_with_an_error() -> None:
    scenario = _scenario([_req()], stages=[Stage(users=1 + n % 3, hold_s=5) for n in range(1030)])
    emitted = emit_plan(scenario)
    stages = next(op.body["stages"] for op in emitted.plan.operations if op.id == "case:main:stage")
    assert len(stages) == 1024
    assert [d.severity for d in emitted.plan.diagnostics if d.code == "PT005"] == ["error"]


def test_pt012_names_requests_without_a_source_and_keeps_them_apart() -> None:
    # one PT012 per plan; requests with no source location are each counted and named by method and URL
    steps = [_req(1, follow_redirects=False), _req(2, follow_redirects=False), _req(3)]
    [warning] = [d for d in emit_plan(_scenario(steps)).plan.diagnostics if d.code == "PT012"]
    assert warning.location is None
    assert warning.message == (
        "2 requests ('GET https://a.test/1', 'GET https://a.test/2') do not follow redirects; "
        "the first: GET https://a.test/1"
    )
