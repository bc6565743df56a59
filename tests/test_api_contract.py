"""converter.api against the reference (hand-copied facts) and the official SDK models (attribute_map/openapi_types)."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from converter import api

sdk = pytest.importorskip("huaweicloudsdkcpts.v1")
from huaweicloudsdkcpts.v1 import model as sdk_model  # noqa: E402
from huaweicloudsdkcpts.v1.cpts_client import CptsClient  # noqa: E402

# Chapter 4, copied by hand from the reference: name -> (method, path, success status, id location).
REFERENCE = {
    "ListProjectSets": ("GET", "/v1/{project_id}/test-suites", 200, None),
    "CreateProject": ("POST", "/v1/{project_id}/test-suites", 201, "project_id"),
    "ShowProject": ("GET", "/v1/{project_id}/test-suites/{test_suite_id}", 200, "project.id"),
    "UpdateProject": ("PUT", "/v1/{project_id}/test-suites/{test_suite_id}", 204, None),
    "DeleteProject": ("DELETE", "/v1/{project_id}/test-suites/{test_suite_id}", 204, None),
    "ShowProcess": ("GET", "/v1/{project_id}/test-suites/upload/processes", 200, None),
    "ShowTaskSet": ("GET", "/v1/{project_id}/all-tasks/{test_suite_id}", 200, None),
    "ShowTask": ("GET", "/v1/{project_id}/tasks/{task_id}", 200, None),
    "UpdateTask": ("PUT", "/v1/{project_id}/tasks/{task_id}", 200, None),
    "DeleteTask": ("DELETE", "/v1/{project_id}/tasks/{task_id}", 204, None),
    "CreateTask": ("POST", "/v1/{project_id}/tasks", 201, "task_id"),
    "UpdateTaskStatus": (
        "POST",
        "/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}",
        200,
        "result.task_run_id",
    ),
    "UpdateTaskRelatedTestCase": ("PUT", "/v3/{project_id}/tasks/{task_id}", 200, None),
    "CreateCase": ("POST", "/v1/{project_id}/task-cases", 201, "json.task_case_id"),
    "DeleteCase": ("DELETE", "/v1/{project_id}/task-cases/{case_id}", 204, None),
    "UpdateCase": ("PUT", "/v1/{project_id}/task-cases/{case_id}/target/{target}", 202, None),
    "DebugCase": (
        "POST",
        "/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}/cases/{case_id}/debug",
        200,
        None,
    ),
    "ListVariables": (
        "GET",
        "/v1/{project_id}/variables/{variable_type}/test-suites/{test_suite_id}",
        200,
        None,
    ),
    "CreateVariable": ("POST", "/v1/{project_id}/variables/{test_suite_id}", 201, "json.variable_id"),
    "UpdateVariable": ("PUT", "/v1/{project_id}/variables/{test_suite_id}", 201, "json.variable_id"),
    "DeleteVariable": ("DELETE", "/v1/{project_id}/variables", 200, None),
    "ShowTempSet": ("GET", "/v1/{project_id}/all-templates/{test_suite_id}", 200, None),
    "CreateTemp": ("POST", "/v1/{project_id}/templates", 201, "tempId"),
    "ShowTemp": ("GET", "/v1/{project_id}/templates/{template_id}", 200, "temp_info.id"),
    "UpdateTemp": ("PUT", "/v1/{project_id}/templates/{template_id}", 204, None),
    "DeleteTemp": ("DELETE", "/v1/{project_id}/templates/{template_id}", 200, None),
    "ShowReport": (
        "GET",
        "/v1/{project_id}/task-run-infos/{task_run_id}/case-run-infos/{case_run_id}/reports",
        200,
        None,
    ),
    "ShowHistoryRunInfo": ("GET", "/v1/{project_id}/tasks/history-run-list/{task_id}", 200, None),
    "ListProjectTestCase": ("GET", "/v1/{project_id}/test-suites/{test_suite_id}/directory", 200, None),
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_twenty_nine_operations_as_documented():
    assert len(api.OPERATIONS) == 29
    assert set(api.OPERATIONS) == set(REFERENCE)
    for name, (method, path, status, id_path) in REFERENCE.items():
        op = api.OPERATIONS[name]
        assert (op.name, op.method, op.path, op.success_status, op.id_path) == (
            name,
            method,
            path,
            status,
            id_path,
        )


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_method_path_and_query_agree_with_sdk(name):
    op = api.OPERATIONS[name]
    request_cls = getattr(sdk_model, f"{name}Request")
    info = getattr(CptsClient, f"_{snake(name)}_http_info")(request_cls())
    assert (info["method"], info["resource_path"]) == (op.method, op.path)
    sdk_query = set(request_cls.attribute_map) - set(op.path_params) - {"body"}
    assert sdk_query == {q.name for q in op.query}


# Request body model -> the SDK's body model.
BODIES = {
    "CreateProject": "CreateProjectRequestBody",
    "UpdateProject": "UpdateProjectRequestBody",
    "CreateTask": "CreateTaskRequestBody",
    "UpdateTask": "UpdateTaskRequestBody",
    "UpdateTaskStatus": "UpdateTaskStatusRequestBody",
    "UpdateTaskRelatedTestCase": "UpdateNewTaskRequestBody",
    "CreateCase": "CreateCaseRequestBody",
    "UpdateCase": "CaseInfoDetail",
    "DebugCase": "DebugCaseRequestBody",
    "CreateVariable": "CreateVariableRequestBody",
    "UpdateVariable": "UpdateVariableRequestBody",
    "CreateTemp": "CreateTempRequestBody",
    "UpdateTemp": "UpdateTempRequestBody",
}

NESTED = {
    api.ContentInfo: "ContentInfo",
    api.Content: "Content",
    api.ContentHeader: "ContentHeader",
    api.Contents: "Contents",
    api.TempContentInfo: "TempContentInfo",
    api.TestCaseStage: "TestCaseStage",
    api.StageKpiItems: "StageKpiItems",
    api.StageKpiItem: "StageKpiItem",
    api.CaseInfoDetail: "CaseInfoDetail",
    api.CaseDoc: "CaseDoc",
    api.CaseDocStep: "CaseDocSteps",
    api.TaskRunInfo: "TaskRunInfo",
    api.RelatedTempRunningData: "RelatedTempRunningData",
    api.TempRunningData: "TempRunningData",
    api.NetworkInfo: "NetworkInfo",
}


def test_operations_with_body_are_exactly_the_documented_ones():
    assert {n for n, op in api.OPERATIONS.items() if op.body is not None} == set(BODIES)
    assert {n for n, op in api.OPERATIONS.items() if op.body_is_array} == {"CreateVariable", "UpdateVariable"}


def _category(annotation: Any) -> str:
    """Our annotation reduced to the SDK's openapi type vocabulary."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # a documented value set or range on an integer (api.ProtocolType, ...)
        return _category(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        if len(args) == 2 and {a.__name__ for a in args} == {"ContentInfo", "FreeCard"}:
            return "ContentInfo"
        assert len(args) == 1, annotation
        return _category(args[0])
    if origin is list:
        return f"list[{_category(typing.get_args(annotation)[0])}]"
    if origin is dict or annotation is Any:
        return "object"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return NESTED.get(annotation, annotation.__name__)
    return {int: "int", str: "str", bool: "bool"}[annotation]


SDK_TYPE_ALIASES = {"datetime": "str"}


def _assert_same_fields(ours: type[BaseModel], theirs: type) -> None:
    sdk_fields = {json_name: theirs.openapi_types[attr] for attr, json_name in theirs.attribute_map.items()}
    assert set(ours.model_fields) == set(sdk_fields), ours.__name__
    for name, info in ours.model_fields.items():
        expected = SDK_TYPE_ALIASES.get(sdk_fields[name], sdk_fields[name])
        assert _category(info.annotation) == expected, f"{ours.__name__}.{name}"


@pytest.mark.parametrize("name", sorted(BODIES))
def test_request_body_fields_and_types_agree_with_sdk(name):
    _assert_same_fields(api.OPERATIONS[name].body, getattr(sdk_model, BODIES[name]))


@pytest.mark.parametrize("ours", list(NESTED), ids=lambda m: m.__name__)
def test_nested_fields_and_types_agree_with_sdk(ours):
    _assert_same_fields(ours, getattr(sdk_model, NESTED[ours]))


def test_documented_key_sets():
    card = api.documented_request_card_keys()
    assert len(card) == 21 and {"protocol_type", "url", "method", "headers", "bodys", "body_type"} <= card
    assert "body" not in card  # where a raw body lives is not documented
    assert api.documented_step_envelope_keys() == {
        "content_id",
        "content",
        "index",
        "selected_temp_name",
        "data",
        "data_type",
        "conditions",
        "is_disabled",
    }
    assert api.documented_temp_step_keys() == {"content_id", "content", "index", "data", "data_type"}
    assert api.documented_card_keys() == {"content_type", "content"}
    assert len(api.documented_stage_keys()) == 20 and "voltage_regulating_mode" in api.documented_stage_keys()
    assert api.documented_header_keys() == {"key", "value"}
    assert api.documented_variable_keys() == {"id", "name", "variable_type", "variable", "is_quoted"}
    assert len(api.documented_case_keys()) == 16


def test_id_locations_exist_in_sdk_response_models():
    def json_path(model: type, dotted: str) -> bool:
        head, _, rest = dotted.partition(".")
        for attr, json_name in model.attribute_map.items():
            if json_name == head:
                if not rest:
                    return True
                return json_path(getattr(sdk_model, model.openapi_types[attr]), rest)
        return False

    for op in api.OPERATIONS.values():
        if op.id_path:
            assert json_path(getattr(sdk_model, f"{op.name}Response"), op.id_path), op.name


def test_extract_id():
    op = api.OPERATIONS["CreateCase"]
    assert op.extract_id({"code": api.SUCCESS_CODE, "json": {"task_case_id": 7}}) == 7
    assert op.extract_id({"json": {"test_case_id": 7}}) is None
    assert op.extract_id({"json": {"task_case_id": "7"}}) is None
    assert api.OPERATIONS["CreateTemp"].extract_id({"tempId": 3}) == 3
    assert api.OPERATIONS["DeleteTask"].extract_id({"x": 1}) is None


# -- routing ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_rendered_paths_route_back(name):
    op = api.OPERATIONS[name]
    values = {
        p: ("content" if p == "target" else "proj-1" if p == "project_id" else 42) for p in op.path_params
    }
    routed = api.match(op.method, op.render(**values) + "?x=1")
    assert routed is not None
    assert routed[0] is op
    assert api.typed_path_params(routed[1]) == values


def test_match_rejects_and_prefers_literals():
    assert api.match("GET", "/v1/p/test-suites/upload/processes")[0].name == "ShowProcess"
    assert api.match("GET", "/v1/p/test-suites/5/directory")[0].name == "ListProjectTestCase"
    assert api.match("PATCH", "/v1/p/test-suites") is None
    assert api.match("GET", "/v1/p/test-suites/") is None
    assert api.match("GET", "/v2/p/test-suites") is None
    assert api.match("GET", "v1/p/test-suites") is None
    assert api.match("GET", "/v1//test-suites") is None
    routed = api.match("GET", "/v1/%E9%A1%B9%2F/test-suites")
    assert routed is not None and routed[1] == {"project_id": "项/"}


def test_typed_path_params_rejects_non_integers():
    with pytest.raises(ValueError, match="task_id"):
        api.typed_path_params({"project_id": "p", "task_id": "abc"})
    assert api.typed_path_params({"project_id": "12", "target": "stage"}) == {
        "project_id": "12",
        "target": "stage",
    }


def test_render_quotes_like_the_sdk():
    assert api.OPERATIONS["ShowTemp"].render(project_id="a/b c", template_id=1) == "/v1/a%2Fb%20c/templates/1"
    with pytest.raises(KeyError):
        api.OPERATIONS["ShowTemp"].render(project_id="p")


def test_regions_and_endpoint():
    assert len(api.REGIONS) == 12 and len(set(api.REGIONS)) == 12
    assert api.endpoint_for("cn-north-4") == "https://cpts.cn-north-4.myhuaweicloud.com"
    assert api.endpoint_for("sa-brazil-1") == "https://cpts.sa-brazil-1.myhuaweicloud.com"
    with pytest.raises(ValueError):
        api.endpoint_for("eu-west-0")


def test_constants():
    assert api.SUCCESS_CODE == "SVCSTG.CPTS.0000000"
    assert api.is_success_code("CPTS.00000000") and not api.is_success_code("CPTS.05001001")
    assert (api.NAME_MAX, api.MAX_REQUESTS_PER_TEMP, api.MAX_STEPS_PER_CASE, api.MAX_STAGES_PER_CASE) == (
        42,
        40,
        1024,
        1024,
    )
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} == api.ALLOWED_METHODS


# -- models -----------------------------------------------------------------------------------------------------

REQUEST_CARD = {
    "body_type": 0,
    "bodys": [],
    "check_end_length": None,
    "check_end_str": None,
    "check_end_type": None,
    "connect_timeout": 5000,
    "connect_type": 1,
    "headers": [{"key": "Content-Type", "value": "application/json"}],
    "http_version": "HTTP/1.1",
    "method": "GET",
    "name": "Msg-24642",
    "protocol_type": 1,
    "return_timeout": 5000,
    "return_timeout_param": None,
    "url": "http://1.1.1.1",
}
STEP = {
    "content_id": 0,
    "content": [{"content_type": 2, "content": REQUEST_CARD}],
    "index": 0,
    "selected_temp_name": "",
    "data": None,
    "data_type": 0,
    "conditions": None,
    "is_disabled": False,
}


def test_reference_examples_validate():
    api.CreateProjectRequestBody.model_validate({"name": "createProjectTest", "description": "description"})
    api.CreateTaskRequestBody.model_validate(
        {"name": "task", "project_id": 1, "temps": [], "operate_mode": 2, "bench_concurrent": 100}
    )
    api.UpdateCaseRequestBody.model_validate({"contents": [STEP]})
    api.UpdateCaseRequestBody.model_validate({"name": "testCase"})
    api.UpdateTempRequestBody.model_validate(
        {
            "contents": [
                {"content": [{"content": REQUEST_CARD, "content_type": 2}], "content_id": 2346, "index": 0}
            ],
            "description": "",
            "enable_pre": False,
            "for_loop_params": [],
            "id": 1,
            "name": "transaction_test",
            "project_id": 1,
            "temp_type": 0,
        }
    )
    api.OPERATIONS["UpdateVariable"].validate_body(
        [{"id": 1, "name": "varTest", "variable_type": 1, "variable": [1, 10]}]
    )
    api.UpdateTaskStatusRequestBody.model_validate(
        {
            "cluster_id": -1,
            "enterprise_project_id": "0",
            "cluster_type": "shared-cluster-internet",
            "network_info": {"network_type": "internet"},
            "status": 2,
            "without_package": 0,
        }
    )


def test_create_variable_example_lacks_the_required_id():
    example = [{"name": "varTest", "variable_type": 1, "variable": [1, 10], "is_quoted": False}]
    with pytest.raises(ValidationError, match="id"):
        api.OPERATIONS["CreateVariable"].validate_body(example)
    api.OPERATIONS["CreateVariable"].validate_body([{"id": 0, **example[0]}])


def test_top_level_unknown_fields_rejected_nested_kept():
    with pytest.raises(ValidationError, match="extra"):
        api.CreateProjectRequestBody.model_validate({"name": "p", "nme": "typo"})
    with pytest.raises(ValidationError, match="extra"):
        api.OPERATIONS["CreateVariable"].validate_body(
            [{"id": 0, "name": "v", "variable_type": 2, "variable": ["a"], "is_quoted": False, "mode": 1}]
        )
    card = {**REQUEST_CARD, "body": '{"raw": true}', "_addressValue": "x"}
    body = api.UpdateCaseRequestBody.model_validate(
        {"contents": [{**STEP, "content": [{"content_type": 2, "content": card}], "is_continue": False}]}
    )
    dumped = body.model_dump(exclude_unset=True)
    assert dumped["contents"][0]["content"][0]["content"]["body"] == '{"raw": true}'
    assert dumped["contents"][0]["is_continue"] is False


def test_strict_types_and_required_fields():
    bad = [
        (api.CreateProjectRequestBody, {}),
        (api.CreateProjectRequestBody, {"name": 5}),
        (api.CreateCaseRequestBody, {"name": "c", "type": "0", "task_id": 1}),
        (api.CreateCaseRequestBody, {"name": "c", "type": 0, "task_id": 1.0}),
        (
            api.UpdateTaskRelatedTestCaseRequestBody,
            {"name": "t", "parallel": 0, "project_id": 1, "operate_mode": 2, "case_id_list": []},
        ),
        (
            api.UpdateTaskRelatedTestCaseRequestBody,
            {"name": "t", "parallel": False, "project_id": 1, "operate_mode": 2},
        ),
        (
            api.UpdateTaskStatusRequestBody,
            {"cluster_id": 0, "cluster_type": "x", "without_package": 0, "network_info": {}, "status": 9},
        ),
        (
            api.UpdateCaseRequestBody,
            {"contents": [{"content": [{"content_type": 2, "content": {"connect_timeout": "5000"}}]}]},
        ),
        (api.UpdateCaseRequestBody, {"stages": [{"time": True}]}),
        (api.UpdateCaseRequestBody, {"contents": [{"data": [1, 2]}]}),
    ]
    for model, data in bad:
        with pytest.raises(ValidationError):
            model.model_validate(data)


def test_undocumented_cards_are_free_dicts():
    think = {"content_type": 1, "content": {"name": "think", "t": 1000}}
    check = {
        "content_type": 3,
        "content": {"headers": [{"key": "a", "condition": "equals", "value": 1}], "code": 200},
    }
    extract = {
        "content_type": 4,
        "content": {"name": "tok", "range": "body", "regexp": "(.*)", "match_index": 1},
    }
    step = api.Contents.model_validate(
        {"content": [think, check, extract, {"content_type": 2, "content": REQUEST_CARD}]}
    )
    assert [type(c.content).__name__ for c in step.content] == [
        "FreeCard",
        "FreeCard",
        "FreeCard",
        "ContentInfo",
    ]
    assert step.model_dump(exclude_unset=True)["content"][:3] == [think, check, extract]
    loop = api.Contents.model_validate(
        {"data_type": 201, "data": {"loop_count": 3}, "conditions": {"left": "a"}}
    )
    assert loop.data == {"loop_count": 3}


def test_stage_schema_form_and_broken_example_form():
    stage = {"name": "Stage-teeb", "time": 60, "issue_num": 10, "operate_mode": 0, "pressure_mode": 0}
    api.UpdateCaseRequestBody.model_validate({"stages": [stage]})
    api.UpdateCaseRequestBody.model_validate({"increase_setting": [{"stages": [stage]}]})
    kpis = {
        "average_response_time": {"comparison": "<=", "value": 60000},
        "success_rate": {"comparison": ">=", "value": 0},
    }
    api.TestCaseStage.model_validate({**stage, "peak_load_kpis": kpis})
    with pytest.raises(ValidationError):  # the example's array form of peak_load_kpis is not the schema
        api.TestCaseStage.model_validate(
            {**stage, "peak_load_kpis": [{"average_response_time": kpis["average_response_time"]}]}
        )


def test_rule_violations():
    assert api.rule_violations("CreateTemp", {"name": "x" * 42, "contents": [STEP]}) == []
    assert "1-42" in api.rule_violations("CreateTemp", {"name": "x" * 43})[0]
    assert api.rule_violations("CreateProject", {"name": ""})
    assert api.rule_violations("UpdateCase", {"contents": []}) == []  # no name: nothing to check
    head_card = {**STEP, "content": [{"content_type": 2, "content": {**REQUEST_CARD, "method": "HEAD"}}]}
    assert "HEAD" in api.rule_violations("UpdateCase", {"contents": [head_card]})[0]
    slow = {**STEP, "content": [{"content_type": 2, "content": {**REQUEST_CARD, "return_timeout": 300_001}}]}
    assert "return_timeout" in api.rule_violations("UpdateTemp", {"name": "t", "contents": [slow]})[0]
    fast = {**STEP, "content": [{"content_type": 2, "content": {**REQUEST_CARD, "return_timeout": 19}}]}
    assert api.rule_violations("UpdateTemp", {"name": "t", "contents": [fast]})
    nested = {"data_type": 202, "data": {"contents": [head_card]}}
    assert api.rule_violations("UpdateCase", {"contents": [nested]})
    assert api.rule_violations("UpdateTemp", {"name": "t", "contents": [STEP] * 41})
    assert api.rule_violations("UpdateTemp", {"name": "t", "contents": [STEP] * 40}) == []
    assert api.rule_violations("UpdateCase", {"contents": [{}] * 1025})
    assert api.rule_violations("UpdateCase", {"stages": [{}] * 1025})
    assert api.rule_violations("UpdateCase", {"contents": [{}] * 1024, "stages": [{}] * 1024}) == []
