"""The PerfTest (CodeArts PerfTest, formerly CPTS) REST API contract, in one place.

Source: ``perftest-api-reference.zh.txt`` chapter 4 (document version 01, 2025-12-01), cross-checked against the
official SDK models of ``huaweicloudsdkcpts`` (``attribute_map`` / ``openapi_types``). Three users read this
module: the emitter validates the bodies it builds, the uploader reads success statuses and id locations, the
emulator routes and validates requests. Nothing here performs I/O.

Conventions
- Field names, paths, methods and success statuses are copied from the reference; each model names its table.
- Top-level request bodies forbid unknown fields (the gateway rejects unknown top-level fields) and are strict
  about JSON types (the service is a Go JSON decoder: ``"1"`` is not an integer and ``1`` is not a boolean).
- Nested documented objects type their documented keys but keep undocumented keys (``extra="allow"``): the
  service stores and echoes nested keys it does not document (ShowTemp's example returns ``_addressValue`` and
  ``is_continue`` inside a step), and some inner card JSON is not documented at all (see ``FreeCard``).
- "Optional" means the reference marks the field 否 (not required); optional fields accept ``null`` because the
  reference's own examples send ``null`` for them.

SDK cross-check (huaweicloudsdkcpts 3.1.219, ``tests/test_api_contract.py``): every method, path and query
parameter, and every request-body and nested field name and type agree with the SDK. The SDK differs only in
names (``UpdateNewTaskRequestBody`` for UpdateTaskRelatedTestCase's body, ``CaseDocSteps`` for table 4-42
"steps", attribute ``temp_id`` for the JSON key ``tempId``) and types ``TaskInfo.create_time`` as datetime
where the reference says String (a response field). Contradictions inside the reference are noted next to the
field they touch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote, unquote

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, model_validator

# --------------------------------------------------------------------------------------------------------------
# Endpoints, codes and limits
# --------------------------------------------------------------------------------------------------------------

#: Success code carried by success bodies (``"code"``) in every chapter-4 example except one.
SUCCESS_CODE = "SVCSTG.CPTS.0000000"
#: ListProjectSets' example and the error-code table (6.2) show ``CPTS.00000000`` (eight zeros) as success.
LEGACY_SUCCESS_CODE = "CPTS.00000000"

#: Regions with a PerfTest endpoint (DESIGN section 4).
REGIONS: tuple[str, ...] = (
    "cn-north-1",
    "cn-north-4",
    "cn-south-1",
    "cn-east-2",
    "cn-east-3",
    "cn-southwest-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "af-south-1",
    "la-south-2",
    "sa-brazil-1",
)

# Error codes. The reference (6.2) lists only CPTS.00000000 (200), CPTS.04006025 (400, unrelated: resource group
# deletion) and CPTS.05001001 (500, unknown error); every operation documents only 501 "unknown error" as its
# failure status. APIGW.* codes are the API Gateway's public codes (3.3 sends readers to them). Codes marked
# INFERRED follow the CPTS.0{http status}{4 digits} pattern of the documented ones; the real values are unknown.
ERR_AUTH = "APIGW.0301"  # 401 Incorrect IAM authentication information (API Gateway)
ERR_NO_SUCH_API = "APIGW.0101"  # 404 The API does not exist or has not been published (API Gateway)
ERR_THROTTLED = "APIGW.0308"  # 429 The throttling threshold has been reached (API Gateway)
ERR_BAD_REQUEST = "CPTS.04001001"  # 400 invalid parameter -- INFERRED
ERR_NOT_FOUND = "CPTS.04041001"  # 404 resource not found -- INFERRED
ERR_MEDIA_TYPE = "CPTS.04151001"  # 415 Content-Type other than application/json (6.1: 415) -- INFERRED
ERR_UNKNOWN = "CPTS.05001001"  # 500 An unknown error occurred! (documented, 6.2)

#: PerfTest name rule (user guide): transaction, task, case and project names are 1-42 characters.
NAME_MAX = 42
#: Request methods a request card may use (user guide).
ALLOWED_METHODS: frozenset[str] = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
#: At most 40 requests per transaction (user guide).
MAX_REQUESTS_PER_TEMP = 40
#: At most 1024 steps and 1024 stages per case (user guide); steps as ``count_case_steps`` counts them.
MAX_STEPS_PER_CASE = 1024
MAX_STAGES_PER_CASE = 1024
#: Response timeout bounds (user guide): 20 ms - 5 min, default 5000 ms.
RETURN_TIMEOUT_MIN_MS = 20
RETURN_TIMEOUT_MAX_MS = 300_000
RETURN_TIMEOUT_DEFAULT_MS = 5000


def endpoint_for(region: str) -> str:
    """Base URL of the PerfTest API in ``region``; raises ``ValueError`` for an unknown region."""
    if region not in REGIONS:
        raise ValueError(f"unknown PerfTest region {region!r}; known: {', '.join(REGIONS)}")
    return f"https://cpts.{region}.myhuaweicloud.com"


def is_success_code(code: object) -> bool:
    """True for both documented spellings of the success code."""
    return code in (SUCCESS_CODE, LEGACY_SUCCESS_CODE)


# --------------------------------------------------------------------------------------------------------------
# Documented enumerations (tables 4-37..4-39, 4-34, 4-133, 4-106, 4-83)
# --------------------------------------------------------------------------------------------------------------

# Card types, Content.content_type (table 4-38).
CARD_THINK_TIME = 1
CARD_REQUEST = 2
CARD_CHECKPOINT = 3
CARD_EXTRACTION = 4
# Step types, Contents.data_type (table 4-37).
STEP_REQUEST = 0
STEP_DATA = 1
STEP_LOOP = 201
STEP_CONDITION = 202
STEP_VU_PERCENT = 203
STEP_THROUGHPUT = 204
STEP_RENDEZVOUS = 301
STEP_PLUGIN = 302
# ContentInfo.protocol_type (table 4-39).
PROTOCOL_HTTP = 1
PROTOCOL_HTTPS = 2
PROTOCOL_TCP = 3
PROTOCOL_UDP = 4
PROTOCOL_HLS_RTMP = 7
PROTOCOL_WEBSOCKET = 9
PROTOCOL_HTTP_FLV = 10
PROTOCOL_MQTT = 11
# ContentInfo.body_type (table 4-39): 0 string, 1 form-data, 3 x-www-form-urlencoded.
BODY_STRING = 0
BODY_FORM_DATA = 1
BODY_URLENCODED = 3
# Variable types (table 4-133): 1 integer, 2 enum, 3 file, 5 text.
VARIABLE_TYPES: frozenset[int] = frozenset({1, 2, 3, 5})
# CreateCase.type (table 4-106): 0 regular, 1 video stream, 2 preset.
CASE_TYPES: frozenset[int] = frozenset({0, 1, 2})
# UpdateTaskStatus.status (table 4-83): 9 start, 2 stop. DebugCase.status (table 4-125): 9 start debugging.
TASK_START = 9
TASK_STOP = 2
CLUSTER_TYPES: frozenset[str] = frozenset({"shared-cluster-internet", "private-cluster"})
NETWORK_TYPE_INTERNET = "internet"
# Every documented value of the enumerated fields the emitter writes (the emulator and the pre-upload check
# accept exactly these). Table numbers are those of UpdateCase's copy (4-114 .. 4-119); the same lists are
# repeated in every other copy of these tables.
#: ContentInfo.protocol_type (4-119): 1 HTTP, 2 HTTPS, 3 TCP, 4 UDP, 7 HLS/RTMP, 9 WebSocket, 10 HTTP-FLV, 11 MQTT.
PROTOCOL_TYPES: frozenset[int] = frozenset({1, 2, 3, 4, 7, 9, 10, 11})
#: ContentInfo.body_type (4-119): 0 string, 1 form-data, 3 x-www-form-urlencoded.
BODY_TYPES: frozenset[int] = frozenset({BODY_STRING, BODY_FORM_DATA, BODY_URLENCODED})
#: Content.content_type (4-118): 1 think time, 2 request, 3 checkpoint, 4 extraction.
CARD_TYPES: frozenset[int] = frozenset({CARD_THINK_TIME, CARD_REQUEST, CARD_CHECKPOINT, CARD_EXTRACTION})
#: Contents.data_type (4-117).
STEP_TYPES: frozenset[int] = frozenset(
    {
        STEP_REQUEST,
        STEP_DATA,
        STEP_LOOP,
        STEP_CONDITION,
        STEP_VU_PERCENT,
        STEP_THROUGHPUT,
        STEP_RENDEZVOUS,
        STEP_PLUGIN,
    }
)
#: TestCaseStage.operate_mode (4-114): 0 duration, 1 count.
STAGE_OPERATE_MODES: frozenset[int] = frozenset({0, 1})
#: TestCaseStage.pressure_mode (4-114): 0 concurrency, 1 TPS, 2 peak, 3/4 surge, 5/6 oscillation, 7 smart peak.
PRESSURE_MODES: frozenset[int] = frozenset(range(8))
#: CreateTask.operate_mode (4-79): 0 duration, 1 count, 2 mixed.
TASK_OPERATE_MODES: frozenset[int] = frozenset({0, 1, 2})
#: UpdateTaskRelatedTestCase.operate_mode (4-89): "pass the fixed value 2 here" (此处请传固定值：2).
TASK_LINK_OPERATE_MODES: frozenset[int] = frozenset({2})
#: CreateVariable / UpdateVariable variable_type 1 (整数, integer): its values are integers (the reference's
#: example, ``"variable": [1, 10]``).
VARIABLE_INTEGER = 1


def _one_of(allowed: frozenset[int]) -> AfterValidator:
    """A validator for an (already strict) integer field: one of the documented ``allowed`` values."""

    def check(value: int) -> int:
        if value not in allowed:
            raise ValueError(f"must be one of {sorted(allowed)}, got {value}")
        return value

    return AfterValidator(check)


ProtocolType = Annotated[int, _one_of(PROTOCOL_TYPES)]
BodyType = Annotated[int, _one_of(BODY_TYPES)]
CardType = Annotated[int, _one_of(CARD_TYPES)]
StepType = Annotated[int, _one_of(STEP_TYPES)]
StageOperateMode = Annotated[int, _one_of(STAGE_OPERATE_MODES)]
PressureMode = Annotated[int, _one_of(PRESSURE_MODES)]
TaskOperateMode = Annotated[int, _one_of(TASK_OPERATE_MODES)]
TaskLinkOperateMode = Annotated[int, _one_of(TASK_LINK_OPERATE_MODES)]
#: A duration, count, concurrency or timeout: the reference gives no range, but a negative one has no meaning.
NonNegative = Annotated[int, Field(ge=0)]

#: UpdateCase ``{target}`` values shown by the reference's examples (the path parameter is documented only as
#: "类型", a String). The emulator accepts exactly these.
CASE_TARGETS: tuple[str, ...] = ("content", "stage", "name")


# --------------------------------------------------------------------------------------------------------------
# Model bases
# --------------------------------------------------------------------------------------------------------------


class RequestBody(BaseModel):
    """A top-level request body: unknown fields are rejected, JSON types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class Nested(BaseModel):
    """A documented nested object: documented keys are typed, undocumented keys are kept (see module doc)."""

    model_config = ConfigDict(extra="allow", strict=True, defer_build=True)


class FreeCard(BaseModel):
    """Inner JSON of a card whose shape the reference does NOT document: think time (content_type 1),
    checkpoint (3), extraction (4). Any keys are allowed; the inferred shapes live in ``emit/cards.py``."""

    model_config = ConfigDict(extra="allow", defer_build=True)


# --------------------------------------------------------------------------------------------------------------
# Nested documented structures
# --------------------------------------------------------------------------------------------------------------


class ContentHeader(Nested):
    """Request header of a request card (table 4-40)."""

    key: str | None = None
    value: str | None = None


class ContentInfo(Nested):
    """The request card (content_type 2), table 4-39. Same 21 keys as the SDK's ``ContentInfo``.

    Not documented: where a raw text body lives (an earlier SDK had ``body`` beside ``bodys``) -- it is an
    extra key here, see DESIGN section 5.
    """

    body_type: BodyType | None = None
    bodys: list[Any] | None = None  # "Array of objects" (SDK: list[object])
    check_end_length: Any = None  # "Object" -- TCP/UDP only
    check_end_str: Any = None  # "Object" -- TCP/UDP only
    check_end_type: Any = None  # "Object" -- TCP/UDP only
    connect_timeout: NonNegative | None = None
    connect_type: int | None = None  # "no longer used"; examples send 1
    headers: list[ContentHeader] | None = None
    http_version: str | None = None
    method: str | None = None
    name: str | None = None
    protocol_type: ProtocolType | None = None
    return_timeout: int | None = None
    return_timeout_param: str | None = None
    url: str | None = None
    rtmp_url: str | None = None
    flv_url: str | None = None
    bitrate_type: int | None = None
    duration: int | None = None
    retry_delay: int | None = None
    retry_time: int | None = None


class Content(Nested):
    """A card inside a step (table 4-38): ``content_type`` and its ``content``.

    The reference types ``content`` as ``ContentInfo`` (the request card) for every card type; only the request
    card's JSON is documented, so for content_type 1/3/4 (and any other) ``content`` is a ``FreeCard``.
    """

    content_type: CardType | None = None
    content: ContentInfo | FreeCard | None = None

    @model_validator(mode="before")
    @classmethod
    def _pick_card_model(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("content"), Mapping):
            inner = data["content"]
            model: type[BaseModel] = ContentInfo if data.get("content_type") == CARD_REQUEST else FreeCard
            data = {**data, "content": model.model_validate(inner)}
        return data


class Contents(Nested):
    """The step envelope of a case (table 4-37; same in 4-53, 4-67, 4-96, 4-117).

    ``data`` and ``conditions`` are documented only as "Object": their inner JSON (loop, condition, rendezvous,
    throughput controllers) is not published -- free dicts here, inferred shapes in ``emit/cards.py``.
    """

    content_id: int | None = None  # tempId of a referenced transaction; 0 = not a transaction
    content: list[Content] | None = None
    index: int | None = None
    selected_temp_name: str | None = None
    data: dict[str, Any] | None = None  # NOT documented inside
    data_type: StepType | None = None
    conditions: dict[str, Any] | None = None  # NOT documented inside
    is_disabled: bool | None = None


class TempContentInfo(Nested):
    """The step envelope of a transaction in UpdateTemp (table 4-166). Documents only five keys; ShowTemp's
    example returns the full ``Contents`` envelope (plus ``is_continue``), so the other keys pass as extras."""

    content_id: int | None = None
    content: list[Content] | None = None
    index: int | None = None
    data: dict[str, Any] | None = None  # NOT documented inside
    data_type: StepType | None = None


class StageKpiItem(Nested):
    """Table 4-36."""

    comparison: str | None = None
    value: int | None = None


class StageKpiItems(Nested):
    """Table 4-35 (peak-load KPIs)."""

    average_response_time: StageKpiItem | None = None
    success_rate: StageKpiItem | None = None


class TestCaseStage(Nested):
    """A pressure stage (table 4-34 / 4-114). 20 keys, same as the SDK's ``TestCaseStage``."""

    __test__ = False  # not a pytest test class despite its name

    operate_mode: StageOperateMode | None = None  # 0 duration, 1 count
    name: str | None = None
    time: NonNegative | None = None  # seconds
    start_time: int | None = None
    end_time: int | None = None
    issue_num: NonNegative | None = None  # max concurrency
    count: NonNegative | None = None
    pressure_mode: PressureMode | None = (
        None  # 0 concurrency, 1 TPS, 2 peak, 3/4 surge, 5/6 oscillation, 7 smart peak
    )
    tps_value: NonNegative | None = None
    current_user_num: NonNegative | None = None
    current_tps: NonNegative | None = None
    voltage_regulating_mode: int | None = None
    maximum: int | None = None
    minimum: int | None = None
    loop_count: int | None = None
    max_duration: int | None = None
    ramp_up: int | None = None
    # The UpdateCase stage example sends peak_load_kpis as an ARRAY of one-key objects; the schema (and the
    # ShowTask example and the SDK) say object. Schema form accepted.
    peak_load_kpis: StageKpiItems | None = None
    step_duration: int | None = None
    step_size: int | None = None


class CaseDocStep(Nested):
    """Table 4-42 "steps" (SDK: ``CaseDocSteps``). The reference swaps the two descriptions."""

    expect_result: str | None = None
    test_step: str | None = None


class CaseDoc(Nested):
    """Table 4-41 (text case information)."""

    description: str | None = None
    label_names: list[str] | None = None
    preparation: str | None = None
    rank: int | None = None
    status_code: int | None = None
    steps: list[CaseDocStep] | None = None


class TaskRunInfo(Nested):
    """Table 4-48."""

    id: int | None = None
    run_type: int | None = None


class TempRunningData(Nested):
    """Table 4-60."""

    content_method_url: list[str] | None = None
    crawler_status: int | None = None
    related_temp_running_id: int | None = None
    task_run_info_id: int | None = None
    temp_id: int | None = None
    temp_name: str | None = None
    temp_running_status: int | None = None


class RelatedTempRunningData(Nested):
    """Table 4-59."""

    task_run_info_id: int | None = None
    related_temp_running_id: int | None = None
    temp_id: int | None = None
    temp_name: str | None = None
    content_method_url: list[str] | None = None
    related_temp_running_data: list[TempRunningData] | None = None


class NetworkInfo(Nested):
    """Table 4-84."""

    network_type: str  # required; fixed value "internet"


class CaseInfoDetail(Nested):
    """A case as a nested object (UpdateTask's ``case_list[]``, table 4-49). 16 keys, same as the SDK."""

    case_id: int | None = None
    name: str | None = None
    case_type: int | None = None
    contents: list[Contents] | None = None
    for_loop_params: list[Any] | None = None  # "no longer used"
    increase_setting: list[Any] | None = None
    stages: list[TestCaseStage] | None = None
    status: int | None = None
    temp_id: int | None = None
    sort: int | None = None
    directory_id: int | None = None
    setup_contents: list[Contents] | None = None
    user_replicas: int | None = None
    collect_log_policy: int | None = None
    link_app_list: list[int] | None = None
    case_info: CaseDoc | None = None


# --------------------------------------------------------------------------------------------------------------
# Top-level request bodies
# --------------------------------------------------------------------------------------------------------------


class CreateProjectRequestBody(RequestBody):
    """CreateProject, table 4-7."""

    name: str
    description: str | None = None


class UpdateProjectRequestBody(RequestBody):
    """UpdateProject, table 4-15."""

    id: int
    name: str
    description: str | None = None
    variables_no_file: list[str] | None = None
    source: int | None = None  # 0 PerfTest, 2 CloudTest
    external_params: dict[str, Any] | None = None


class CreateTaskRequestBody(RequestBody):
    """CreateTask, table 4-79."""

    name: str
    project_id: int
    temps: list[str] | None = None  # "Array of strings" (SDK agrees); examples send []
    operate_mode: TaskOperateMode | None = None  # 0 duration, 1 count, 2 mixed
    bench_concurrent: NonNegative | None = None


class UpdateTaskRequestBody(RequestBody):
    """UpdateTask (legacy), table 4-47."""

    id: int
    name: str
    description: str | None = None
    project_id: int
    run_status: int | None = None
    run_type: int | None = None
    task_run_info: TaskRunInfo | None = None
    case_list: list[CaseInfoDetail] | None = None
    operate_mode: int | None = None
    bench_concurrent: int | None = None
    related_temp_running_data: list[RelatedTempRunningData] | None = None


class UpdateTaskStatusRequestBody(RequestBody):
    """UpdateTaskStatus (legacy), table 4-83."""

    cluster_id: int
    cluster_type: str
    without_package: int  # "fixed value 0" -- yet DebugCase's example sends 1 for its own field
    network_info: NetworkInfo
    status: int  # 9 start, 2 stop
    enterprise_project_id: str | None = None


class UpdateTaskRelatedTestCaseRequestBody(RequestBody):
    """UpdateTaskRelatedTestCase, table 4-89 (SDK: ``UpdateNewTaskRequestBody``). All five fields required."""

    name: str
    parallel: bool
    project_id: int
    operate_mode: TaskLinkOperateMode  # "pass the fixed value 2"
    case_id_list: list[int]


class CreateCaseRequestBody(RequestBody):
    """CreateCase (legacy), table 4-106."""

    name: str
    type: int  # 0 regular, 1 video stream, 2 preset
    task_id: int


class UpdateCaseRequestBody(CaseInfoDetail):
    """UpdateCase (legacy), table 4-113: the body IS a ``CaseInfoDetail`` (all fields optional) and
    ``{target}`` (content | stage | name) says which part is updated.

    The stage example wraps stages as ``{"increase_setting": [{"stages": [...]}]}`` while the schema has
    ``stages`` at the top level; the schema form ``{"stages": [...]}`` is what the emitter sends (DESIGN section 5).
    The example form also validates (``increase_setting`` is a documented "Array of objects").
    """

    model_config = ConfigDict(extra="forbid", strict=True)


class DebugCaseRequestBody(RequestBody):
    """DebugCase (legacy), table 4-125."""

    status: int  # 9 start debugging
    cluster_id: int
    cluster_type: str
    without_package: int
    type: int | None = None  # 0 transaction (default), 1 case


class CreateVariableRequestBody(RequestBody):
    """One element of CreateVariable's ARRAY body, table 4-137.

    The table marks all five fields required, ``id`` included, although the request example omits ``id`` (it
    cannot be known before creation). Table form followed: send ``"id": 0``.
    """

    id: int
    name: str
    variable_type: int  # 1 integer, 2 enum, 3 file, 5 text
    variable: list[Any]  # "Array of objects"; examples: [1, 10] (integer range), ["test"] (enum)
    is_quoted: bool


class UpdateVariableRequestBody(RequestBody):
    """One element of UpdateVariable's ARRAY body, table 4-143."""

    id: int
    name: str
    variable_type: int
    variable: list[Any]


class CreateTempRequestBody(RequestBody):
    """CreateTemp, table 4-156. ``contents`` is only "Array of objects" here (SDK: list[object])."""

    project_id: int
    temp_type: int
    name: str
    description: str | None = None
    contents: list[dict[str, Any]] | None = None


class UpdateTempRequestBody(RequestBody):
    """UpdateTemp, table 4-165."""

    id: int
    project_id: int
    name: str
    temp_type: int | None = None
    description: str | None = None
    for_loop_params: list[Any] | None = None
    enable_pre: bool | None = None
    contents: list[TempContentInfo] | None = None


# --------------------------------------------------------------------------------------------------------------
# Operations
# --------------------------------------------------------------------------------------------------------------

#: Path parameters documented as Integer; every other path parameter (project_id, target) is a String.
INTEGER_PATH_PARAMS: frozenset[str] = frozenset(
    {"test_suite_id", "task_id", "case_id", "template_id", "variable_type", "task_run_id", "case_run_id"}
)

_PARAM = re.compile(r"^\{(\w+)\}$")


@dataclass(frozen=True)
class QueryParam:
    """A documented query parameter (all documented ones are Integer)."""

    name: str
    required: bool = False


@dataclass(frozen=True)
class Operation:
    """One documented operation of chapter 4.

    ``id_path`` is the dotted path of the created (or returned) id in the success body, e.g. ``"json.task_case_id"``;
    ``body`` is the request body model (for an array body, the element model, with ``body_is_array``);
    ``response_keys`` are the documented top-level keys of the success body (empty: no body).
    """

    name: str
    section: str
    method: str
    path: str
    success_status: int
    id_path: str | None = None
    query: tuple[QueryParam, ...] = ()
    body: type[BaseModel] | None = None
    body_is_array: bool = False
    response_keys: tuple[str, ...] = ()
    _segments: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_segments", tuple(self.path.lstrip("/").split("/")))

    @property
    def path_params(self) -> tuple[str, ...]:
        """Names of the path parameters, in path order."""
        return tuple(m.group(1) for s in self._segments if (m := _PARAM.match(s)))

    def render(self, **params: object) -> str:
        """The path with parameters substituted and URL-quoted (as the SDK does: ``quote(str(v), safe='')``)."""
        missing = set(self.path_params) - params.keys()
        if missing:
            raise KeyError(f"{self.name}: missing path parameter(s) {sorted(missing)}")
        parts = []
        for seg in self._segments:
            m = _PARAM.match(seg)
            parts.append(quote(str(params[m.group(1)]), safe="") if m else seg)
        return "/" + "/".join(parts)

    def extract_id(self, body: Any) -> int | None:
        """The id at ``id_path`` in a success body, or None when absent or not an integer."""
        if self.id_path is None:
            return None
        value = body
        for key in self.id_path.split("."):
            if not isinstance(value, Mapping) or key not in value:
                return None
            value = value[key]
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def validate_body(self, data: Any) -> Any:
        """Validate a parsed JSON body against the documented model (pydantic ``ValidationError`` on failure).
        Returns the model (or list of models for an array body); None when the operation takes no body."""
        if self.body is None:
            return None
        if self.body_is_array:
            return _array_adapter(self.body).validate_python(data, strict=True)
        return self.body.model_validate(data)

    def validate_body_json(self, text: str | bytes) -> Any:
        """As :meth:`validate_body`, for a body still in JSON text (faster on large bodies)."""
        if self.body is None:
            return None
        if self.body_is_array:
            return _array_adapter(self.body).validate_json(text, strict=True)
        return self.body.model_validate_json(text)

    def _match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self._segments):
            return None
        params: dict[str, str] = {}
        for tmpl, seg in zip(self._segments, segments, strict=True):
            m = _PARAM.match(tmpl)
            if m:
                if seg == "":
                    return None
                params[m.group(1)] = seg
            elif tmpl != seg:
                return None
        return params

    @property
    def literal_count(self) -> int:
        return sum(1 for s in self._segments if not _PARAM.match(s))


@cache
def _array_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


_PAGE = (QueryParam("offset"), QueryParam("limit"))
_CODE_MSG = ("code", "message")


def _ops() -> Iterator[Operation]:
    # 4.1 projects (test suites)
    yield Operation(
        "ListProjectSets",
        "4.1.1",
        "GET",
        "/v1/{project_id}/test-suites",
        200,
        query=_PAGE,
        response_keys=(*_CODE_MSG, "projects"),
    )
    yield Operation(
        "CreateProject",
        "4.1.2",
        "POST",
        "/v1/{project_id}/test-suites",
        201,
        "project_id",
        body=CreateProjectRequestBody,
        response_keys=(*_CODE_MSG, "project_id"),
    )
    yield Operation(
        "ShowProject",
        "4.1.3",
        "GET",
        "/v1/{project_id}/test-suites/{test_suite_id}",
        200,
        "project.id",
        response_keys=(*_CODE_MSG, "project"),
    )
    yield Operation(
        "UpdateProject",
        "4.1.4",
        "PUT",
        "/v1/{project_id}/test-suites/{test_suite_id}",
        204,
        body=UpdateProjectRequestBody,
    )
    yield Operation("DeleteProject", "4.1.5", "DELETE", "/v1/{project_id}/test-suites/{test_suite_id}", 204)
    yield Operation(
        "ShowProcess",
        "4.1.6",
        "GET",
        "/v1/{project_id}/test-suites/upload/processes",
        200,
        response_keys=(*_CODE_MSG, "json", "extend"),
    )
    # 4.2 tasks
    yield Operation(
        "ShowTaskSet",
        "4.2.1",
        "GET",
        "/v1/{project_id}/all-tasks/{test_suite_id}",
        200,
        query=_PAGE,
        response_keys=("code", "extend", "message", "tasks"),
    )
    yield Operation(
        "ShowTask",
        "4.2.2",
        "GET",
        "/v1/{project_id}/tasks/{task_id}",
        200,
        response_keys=(*_CODE_MSG, "taskInfo"),
    )
    yield Operation(
        "UpdateTask",
        "4.2.3",
        "PUT",
        "/v1/{project_id}/tasks/{task_id}",
        200,
        body=UpdateTaskRequestBody,
        response_keys=(*_CODE_MSG, "taskInfo"),
    )
    yield Operation("DeleteTask", "4.2.4", "DELETE", "/v1/{project_id}/tasks/{task_id}", 204)
    yield Operation(
        "CreateTask",
        "4.2.5",
        "POST",
        "/v1/{project_id}/tasks",
        201,
        "task_id",
        body=CreateTaskRequestBody,
        response_keys=(*_CODE_MSG, "task_id"),
    )
    yield Operation(
        "UpdateTaskStatus",
        "4.2.6",
        "POST",
        "/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}",
        200,
        "result.task_run_id",
        body=UpdateTaskStatusRequestBody,
        response_keys=(*_CODE_MSG, "extend", "result"),
    )
    yield Operation(
        "UpdateTaskRelatedTestCase",
        "4.2.7",
        "PUT",
        "/v3/{project_id}/tasks/{task_id}",
        200,
        body=UpdateTaskRelatedTestCaseRequestBody,
        response_keys=(*_CODE_MSG, "taskInfo"),
    )
    # 4.3 cases
    yield Operation(
        "CreateCase",
        "4.3.1",
        "POST",
        "/v1/{project_id}/task-cases",
        201,
        "json.task_case_id",
        body=CreateCaseRequestBody,
        response_keys=("code", "json", "message"),
    )
    yield Operation("DeleteCase", "4.3.2", "DELETE", "/v1/{project_id}/task-cases/{case_id}", 204)
    yield Operation(
        "UpdateCase",
        "4.3.3",
        "PUT",
        "/v1/{project_id}/task-cases/{case_id}/target/{target}",
        202,
        body=UpdateCaseRequestBody,
    )
    yield Operation(
        "DebugCase",
        "4.3.4",
        "POST",
        "/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}/cases/{case_id}/debug",
        200,
        body=DebugCaseRequestBody,
        response_keys=(*_CODE_MSG, "extend", "result"),
    )
    # 4.4 global variables
    yield Operation(
        "ListVariables",
        "4.4.1",
        "GET",
        "/v1/{project_id}/variables/{variable_type}/test-suites/{test_suite_id}",
        200,
        response_keys=(*_CODE_MSG, "variable_list"),
    )
    yield Operation(
        "CreateVariable",
        "4.4.2",
        "POST",
        "/v1/{project_id}/variables/{test_suite_id}",
        201,
        "json.variable_id",
        body=CreateVariableRequestBody,
        body_is_array=True,
        response_keys=("code", "json", "message"),
    )
    yield Operation(
        "UpdateVariable",
        "4.4.3",
        "PUT",
        "/v1/{project_id}/variables/{test_suite_id}",
        201,
        "json.variable_id",
        body=UpdateVariableRequestBody,
        body_is_array=True,
        response_keys=("code", "json", "message"),
    )
    # DeleteVariable's 200 documents no body; the emulator sends code/message like DeleteTemp.
    yield Operation(
        "DeleteVariable",
        "4.4.4",
        "DELETE",
        "/v1/{project_id}/variables",
        200,
        query=(QueryParam("variable_id", True), QueryParam("test_suite_id", True)),
    )
    # 4.5 transactions (templates)
    yield Operation(
        "ShowTempSet",
        "4.5.1",
        "GET",
        "/v1/{project_id}/all-templates/{test_suite_id}",
        200,
        query=_PAGE,
        response_keys=(*_CODE_MSG, "temps"),
    )
    yield Operation(
        "CreateTemp",
        "4.5.2",
        "POST",
        "/v1/{project_id}/templates",
        201,
        "tempId",
        body=CreateTempRequestBody,
        response_keys=("code", "tempId", "message"),
    )
    yield Operation(
        "ShowTemp",
        "4.5.3",
        "GET",
        "/v1/{project_id}/templates/{template_id}",
        200,
        "temp_info.id",
        response_keys=(*_CODE_MSG, "temp_info"),
    )
    yield Operation(
        "UpdateTemp",
        "4.5.4",
        "PUT",
        "/v1/{project_id}/templates/{template_id}",
        204,
        body=UpdateTempRequestBody,
    )
    yield Operation(
        "DeleteTemp",
        "4.5.5",
        "DELETE",
        "/v1/{project_id}/templates/{template_id}",
        200,
        response_keys=_CODE_MSG,
    )
    # 4.6 reports
    yield Operation(
        "ShowReport",
        "4.6.1",
        "GET",
        "/v1/{project_id}/task-run-infos/{task_run_id}/case-run-infos/{case_run_id}/reports",
        200,
        query=(QueryParam("brokens_limit_count", True),),
        response_keys=(*_CODE_MSG, "extend", "result"),
    )
    yield Operation(
        "ShowHistoryRunInfo",
        "4.6.2",
        "GET",
        "/v1/{project_id}/tasks/history-run-list/{task_id}",
        200,
        response_keys=(*_CODE_MSG, "log_list"),
    )
    # 4.7 directories
    yield Operation(
        "ListProjectTestCase",
        "4.7.1",
        "GET",
        "/v1/{project_id}/test-suites/{test_suite_id}/directory",
        200,
        response_keys=(*_CODE_MSG, "directory"),
    )


#: The 29 documented operations of chapter 4, by name.
OPERATIONS: dict[str, Operation] = {op.name: op for op in _ops()}


def match(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """Route ``method`` + ``path`` (query string ignored) to a documented operation.

    Returns the operation and its path parameters (percent-decoded strings; types are checked by
    ``typed_path_params``), or None. Literal segments win over parameters when two templates fit.
    """
    raw = path.split("?", 1)[0]
    if not raw.startswith("/"):
        return None
    segments = [unquote(s) for s in raw[1:].split("/")]
    best: tuple[Operation, dict[str, str]] | None = None
    for op in OPERATIONS.values():
        if op.method != method.upper():
            continue
        params = op._match(segments)
        if params is not None and (best is None or op.literal_count > best[0].literal_count):
            best = (op, params)
    return best


def typed_path_params(params: Mapping[str, str]) -> dict[str, int | str]:
    """Convert documented Integer path parameters to int; raises ``ValueError`` naming the bad one."""
    out: dict[str, int | str] = {}
    for name, value in params.items():
        if name in INTEGER_PATH_PARAMS:
            if not re.fullmatch(r"-?\d{1,18}", value):
                raise ValueError(f"path parameter {name} must be an integer, got {value!r}")
            out[name] = int(value)
        else:
            out[name] = value
    return out


# --------------------------------------------------------------------------------------------------------------
# Documented key sets (for conformance tests) and rules from the user guide
# --------------------------------------------------------------------------------------------------------------


def _keys(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(model.model_fields)


def documented_request_card_keys() -> frozenset[str]:
    """Keys of the request card (``ContentInfo``, table 4-39)."""
    return _keys(ContentInfo)


def documented_card_keys() -> frozenset[str]:
    """Keys of a card (``Content``, table 4-38): content_type, content."""
    return _keys(Content)


def documented_step_envelope_keys() -> frozenset[str]:
    """Keys of a case step (``Contents``, table 4-37)."""
    return _keys(Contents)


def documented_temp_step_keys() -> frozenset[str]:
    """Keys of a transaction step in UpdateTemp (``TempContentInfo``, table 4-166)."""
    return _keys(TempContentInfo)


def documented_stage_keys() -> frozenset[str]:
    """Keys of a stage (``TestCaseStage``, table 4-34)."""
    return _keys(TestCaseStage)


def documented_header_keys() -> frozenset[str]:
    """Keys of a request-card header (``ContentHeader``, table 4-40)."""
    return _keys(ContentHeader)


def documented_variable_keys() -> frozenset[str]:
    """Keys of a CreateVariable array element (table 4-137)."""
    return _keys(CreateVariableRequestBody)


def documented_case_keys() -> frozenset[str]:
    """Keys of ``CaseInfoDetail`` (table 4-33), the UpdateCase body."""
    return _keys(CaseInfoDetail)


#: Operations whose top-level ``name`` is a PerfTest resource name (1..NAME_MAX characters).
_NAMED = frozenset(
    {
        "CreateProject",
        "UpdateProject",
        "CreateTask",
        "UpdateTask",
        "UpdateTaskRelatedTestCase",
        "CreateCase",
        "UpdateCase",
        "CreateTemp",
        "UpdateTemp",
    }
)


def iter_request_cards(node: Any) -> Iterator[Mapping[str, Any]]:
    """Every request card's inner content found under ``node`` (steps, nested controller data included)."""
    if isinstance(node, Mapping):
        if node.get("content_type") == CARD_REQUEST and isinstance(node.get("content"), Mapping):
            yield node["content"]
        for value in node.values():
            yield from iter_request_cards(value)
    elif isinstance(node, list):
        for item in node:
            yield from iter_request_cards(item)


def count_case_steps(contents: Any) -> int:
    """The steps of a case's ``contents`` as the user guide's "at most 1024 steps per case" counts them: its
    top-level steps. DECIDED (the guide does not say whether a controller's child steps count): the documented
    field the limit can apply to is the case's ``contents`` (table 4-117, "Array of Contents"); child steps live
    inside a controller's ``data``, whose JSON the reference does not publish (an inferred placement, see
    ``Contents``), so no documented limit can be read onto them. A transaction step counts once, however many
    requests its transaction holds (those are limited per transaction: ``MAX_REQUESTS_PER_TEMP``). The emitter's
    PT004 check and ``rule_violations`` (the emulator, the pre-upload check) both count with this function."""
    return len(contents) if isinstance(contents, list) else 0


def rule_violations(operation: str, body: Any) -> list[str]:
    """PerfTest rules from the user guide that the JSON schema does not express, checked on an already
    schema-valid body: name length, request-card methods and response timeouts, requests per transaction, steps
    and stages per case.
    Returns human-readable violations (empty when the body complies)."""
    problems: list[str] = []
    if operation in _NAMED and isinstance(body, Mapping) and isinstance(body.get("name"), str):
        name = body["name"]
        if not 1 <= len(name) <= NAME_MAX:
            problems.append(f"name must be 1-{NAME_MAX} characters, got {len(name)}")
    cards = list(iter_request_cards(body))
    for card in cards:
        method = card.get("method")
        if method is not None and method not in ALLOWED_METHODS:
            problems.append(
                f"request method {method!r} not allowed (allowed: {', '.join(sorted(ALLOWED_METHODS))})"
            )
        timeout = card.get("return_timeout")
        if isinstance(timeout, int) and not RETURN_TIMEOUT_MIN_MS <= timeout <= RETURN_TIMEOUT_MAX_MS:
            problems.append(
                f"return_timeout must be {RETURN_TIMEOUT_MIN_MS}-{RETURN_TIMEOUT_MAX_MS} ms, got {timeout}"
            )
    if operation in ("CreateVariable", "UpdateVariable") and isinstance(body, list):
        problems.extend(_integer_variable_problems(body))
    if operation in ("CreateTemp", "UpdateTemp") and len(cards) > MAX_REQUESTS_PER_TEMP:
        problems.append(f"a transaction holds at most {MAX_REQUESTS_PER_TEMP} requests, got {len(cards)}")
    if operation == "UpdateCase" and isinstance(body, Mapping):
        steps = count_case_steps(body.get("contents"))
        if steps > MAX_STEPS_PER_CASE:
            problems.append(f"a case holds at most {MAX_STEPS_PER_CASE} steps, got {steps}")
        stages = body.get("stages") or []
        if len(stages) > MAX_STAGES_PER_CASE:
            problems.append(f"a case holds at most {MAX_STAGES_PER_CASE} stages, got {len(stages)}")
    return problems


def _integer_variable_problems(items: list[Any]) -> list[str]:
    """An integer variable (``variable_type`` 1) holds integers (the reference's example: ``[1, 10]``)."""
    problems = []
    for item in items:
        if not isinstance(item, Mapping) or item.get("variable_type") != VARIABLE_INTEGER:
            continue
        values = item.get("variable") or []
        wrong = [v for v in values if not isinstance(v, int) or isinstance(v, bool)]
        if wrong:
            problems.append(
                f"integer variable {item.get('name')!r} (variable_type 1) holds integers only, got {wrong[0]!r}"
            )
    return problems
