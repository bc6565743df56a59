"""The PerfTest "dialect": every JSON shape the emitter sends, in one place.

Each builder is tagged with its evidence:

* DOCUMENTED — the shape is in the API reference (``shared/perftest-api``, chapter 4), and the official SDK
  model (``huaweicloudsdkcpts``) has the same keys.
* INFERRED — the reference does not publish the inner JSON; the shape comes from PerfTest's project export
  format or an earlier official SDK (see DESIGN.md section 5). Change an inferred shape only here, with the
  reason. The uploader's read-back verification reports any field the real service drops or changes, so a
  wrong guess shows on the first real upload.
"""

from __future__ import annotations

from typing import Any

from converter import api

# Card, step, protocol, body and variable type numbers are DOCUMENTED; api.py holds them with their tables.
CARD_THINK = api.CARD_THINK_TIME
CARD_REQUEST = api.CARD_REQUEST
CARD_CHECK = api.CARD_CHECKPOINT
CARD_EXTRACT = api.CARD_EXTRACTION

STEP_REQUEST = api.STEP_REQUEST
STEP_LOOP = api.STEP_LOOP
STEP_CONDITION = api.STEP_CONDITION
STEP_VU_PERCENT = api.STEP_VU_PERCENT
STEP_THROUGHPUT = api.STEP_THROUGHPUT
STEP_RENDEZVOUS = api.STEP_RENDEZVOUS

PROTOCOL_TYPES: dict[str, int] = {
    "http": api.PROTOCOL_HTTP,
    "https": api.PROTOCOL_HTTPS,
    "tcp": api.PROTOCOL_TCP,
    "websocket": api.PROTOCOL_WEBSOCKET,
    "mqtt": api.PROTOCOL_MQTT,
}

BODY_RAW = api.BODY_STRING
BODY_MULTIPART = api.BODY_FORM_DATA
BODY_URLENCODED = api.BODY_URLENCODED

VARIABLE_TYPES: dict[str, int] = {"int_range": 1, "enum": 2, "file": 3, "text": 5}  # table 4-137

DEFAULT_TIMEOUT_MS = api.RETURN_TIMEOUT_DEFAULT_MS
MIN_TIMEOUT_MS = api.RETURN_TIMEOUT_MIN_MS
MAX_TIMEOUT_MS = api.RETURN_TIMEOUT_MAX_MS
# The request card's connect timeout (ms) when the source sets none: the reference documents neither a default
# nor a range for connect_timeout (table 4-119: "Integer, timeout"); 5000 is the value of every example that
# sends one. The 20 ms - 5 min range (user guide) is the response timeout's: a source's connect timeout is sent
# as it is.
DEFAULT_CONNECT_TIMEOUT_MS = 5000

# Keys of the request card that are INFERRED rather than documented (see raw_body below).
INFERRED_REQUEST_KEYS = frozenset({"body"})


def request_card(
    *,
    name: str,
    protocol_type: int,
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    body_type: int,
    body: str | None,
    bodys: list[tuple[str, str]],
    connect_timeout_ms: int,
    return_timeout_ms: int,
) -> dict[str, Any]:
    """A request card (``content_type`` 2). DOCUMENTED: ContentInfo, tables 4-119 / 4-168, and the
    UpdateCase example (``http_version`` "HTTP/1.1", timeouts in ms, headers as ``[{key, value}]``, query
    string inside ``url``).

    INFERRED: a raw body travels in ``body`` (string) beside ``body_type`` 0 — the reference documents only
    ``bodys`` ("array of objects"); an earlier official SDK model had ``body`` (string) beside ``bodys`` (list).
    Form and multipart fields (``bodys``, given as pairs) go in ``bodys`` as ``[{key, value}]`` (the same key/value
    shape as headers), with
    DECODED values: both readers store what the user typed, and we expect PerfTest to URL-encode an
    x-www-form-urlencoded body as it sends it (also inferred; a double-encoded value would show in the debug run).
    """
    content: dict[str, Any] = {
        "name": name,
        "protocol_type": protocol_type,
        "method": method,
        "url": url,
        "http_version": "HTTP/1.1",
        "headers": [{"key": k, "value": v} for k, v in headers],
        "body_type": body_type,
        "bodys": [{"key": k, "value": v} for k, v in bodys],
        "connect_timeout": connect_timeout_ms,
        "return_timeout": return_timeout_ms,
    }
    if body is not None:
        content["body"] = body
    return {"content_type": CARD_REQUEST, "content": content}


# INFERRED: a request card always carries one of the five HTTP methods (user guide; the emulator enforces it), and
# the reference says nothing of how TCP (3) or WebSocket (9) cards name their action. We send the action as the
# HTTP method closest to it: opening or reading a connection as GET (a WebSocket opens with a GET handshake),
# sending a payload as POST, closing as DELETE. Read-back verification shows what the service keeps.
NON_HTTP_METHODS: dict[str, str] = {"OPEN": "GET", "READ": "GET", "SEND": "POST", "CLOSE": "DELETE"}


def think_card(name: str, ms: int) -> dict[str, Any]:
    """Think time (``content_type`` 1). INFERRED: ``{name, t}`` with ``t`` in ms, from PerfTest's
    project export format."""
    return {"content_type": CARD_THINK, "content": {"name": name, "t": ms}}


def check_card(
    *,
    code: str | None,
    headers: list[tuple[str, str, str]],
    body: list[tuple[str, str]],
    rule: str,
) -> dict[str, Any]:
    """Checkpoint (``content_type`` 3). INFERRED (DESIGN.md section 5): ``enable``, retries, ``code``,
    ``headers`` as ``[{key, condition, value}]`` (given as triples), ``body`` as ``[{condition, value}]`` (pairs),
    ``rule`` and/or;
    conditions ``equals``, ``not_equals``, ``contains``, ``not_contains``, ``regex``."""
    return {
        "content_type": CARD_CHECK,
        "content": {
            "enable": True,
            "retry_times": 0,
            "retry_interval": 0,
            "code": code,
            "headers": [{"key": k, "condition": c, "value": v} for k, c, v in headers],
            "body": [{"condition": c, "value": v} for c, v in body],
            "rule": rule,
        },
    }


def extract_card(
    *,
    name: str,
    range_: str,
    regexp: str,
    match_index: int,
    group_index: int,
    json_key: str,
    default: str,
) -> dict[str, Any]:
    """Extraction (``content_type`` 4). INFERRED: ``name``, ``range``, ``regexp``, ``match_index`` are
    PerfTest export keys; ``group_index``, ``json_key``, ``default`` complete them (DESIGN.md section 5).
    ``range`` is one of ``body``, ``header``, ``url``, ``json``, ``code``."""
    return {
        "content_type": CARD_EXTRACT,
        "content": {
            "name": name,
            "range": range_,
            "regexp": regexp,
            "match_index": match_index,
            "group_index": group_index,
            "json_key": json_key,
            "default": default,
        },
    }


def step(
    *,
    index: int,
    cards: list[dict[str, Any]],
    data_type: int = STEP_REQUEST,
    data: Any = None,
    conditions: Any = None,
    content_id: Any = 0,
    selected_temp_name: str = "",
) -> dict[str, Any]:
    """The step envelope (``Contents``). DOCUMENTED: table 4-117, keys and order of the UpdateCase example."""
    return {
        "content_id": content_id,
        "content": cards,
        "index": index,
        "selected_temp_name": selected_temp_name,
        "data": data,
        "data_type": data_type,
        "conditions": conditions,
        "is_disabled": False,
    }


def temp_step(*, index: int, cards: list[dict[str, Any]]) -> dict[str, Any]:
    """A step inside a transaction (``TempContentInfo``). DOCUMENTED: table 4-166 has only
    ``content_id``, ``content``, ``index``, ``data``, ``data_type``."""
    return {"content_id": 0, "content": cards, "index": index, "data": None, "data_type": STEP_REQUEST}


def loop_data(*, count: int | None, condition: str | None, children: list[dict[str, Any]]) -> dict[str, Any]:
    """Loop step data (``data_type`` 201). INFERRED: ``{loop_count}`` or, for a while-style loop,
    ``{condition}``; the child steps in ``contents`` (as the condition step keeps them)."""
    data: dict[str, Any] = {"loop_count": count} if condition is None else {"condition": condition}
    data["contents"] = children
    return data


def condition_parts(
    *, left: str, operator: str, right: str, children: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Condition step (``data_type`` 202). INFERRED: ``conditions: {left, operator, right}`` and the
    children in ``data: {contents}``. Returns (data, conditions)."""
    return {"contents": children}, {"left": left, "operator": operator, "right": right}


def rendezvous_data(*, name: str, count: int, timeout_ms: int) -> dict[str, Any]:
    """Rendezvous step (``data_type`` 301). INFERRED: ``{name, count, timeout}``, timeout in ms."""
    return {"name": name, "count": count, "timeout": timeout_ms}


def percent_data(*, percent: float, children: list[dict[str, Any]]) -> dict[str, Any]:
    """Throughput (204) / VU-percent (203) controller. INFERRED: ``{percent}`` and the children in
    ``contents``."""
    return {"percent": percent, "contents": children}


def stage(
    *,
    name: str,
    users: int,
    seconds: int | None,
    iterations: int | None,
    tps: int | None,
) -> dict[str, Any]:
    """A load stage (``TestCaseStage``). DOCUMENTED: table 4-114 — ``operate_mode`` 0 duration / 1 count,
    ``time`` s, ``issue_num`` max concurrency, ``current_user_num`` starting concurrency, ``count`` ("the total
    number of sends in count mode": ``iterations`` here is that total), ``pressure_mode`` 0 concurrency / 1 TPS,
    ``tps_value``. ``current_user_num`` / ``current_tps`` are documented only as the "starting" concurrency /
    TPS; whether PerfTest ramps from them to ``issue_num`` / ``tps_value`` within a stage is not, so they
    always equal the stage's value and every ramp is a staircase of constant stages (emit/stages.py)."""
    out: dict[str, Any] = {
        "name": name,
        "operate_mode": 0 if iterations is None else 1,
        "pressure_mode": 0 if tps is None else 1,
        "issue_num": users,
        "current_user_num": users,
    }
    if iterations is None:
        out["time"] = seconds or 0
    else:
        out["count"] = iterations
    if tps is not None:
        out["tps_value"] = tps
        out["current_tps"] = tps
    return out


def stages_body(stages: list[dict[str, Any]]) -> dict[str, Any]:
    """UpdateCase with target ``stage``. INFERRED placement: the reference's example (broken across a page)
    shows ``{"increase_setting": [{"stages": [...]}]}``, the ``CaseInfoDetail`` schema has ``stages`` at the
    top level; we send the schema form and let read-back verification tell."""
    return {"stages": stages}


def contents_body(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """UpdateCase with target ``content``. DOCUMENTED: table 4-113 / the UpdateCase example."""
    return {"contents": steps}


def variable_body(*, name: str, kind: str, values: list[Any]) -> list[dict[str, Any]]:
    """CreateVariable: the body is an ARRAY. DOCUMENTED: table 4-137 (``id`` is required even on create;
    0 asks the service to assign one)."""
    return [
        {
            "id": 0,
            "name": name,
            "variable_type": VARIABLE_TYPES[kind],
            "variable": values,
            "is_quoted": True,
        }
    ]


def project_body(*, name: str, description: str) -> dict[str, Any]:
    """CreateProject. DOCUMENTED: ``{name, description}``."""
    return {"name": name, "description": description}


def temp_create_body(*, project: Any, name: str, description: str) -> dict[str, Any]:
    """CreateTemp. DOCUMENTED: ``{project_id, temp_type: 0, name, description, contents: []}``."""
    return {"project_id": project, "temp_type": 0, "name": name, "description": description, "contents": []}


def temp_update_body(
    *, temp: Any, project: Any, name: str, description: str, steps: list[dict[str, Any]]
) -> dict[str, Any]:
    """UpdateTemp. DOCUMENTED: ``{id, project_id, name, temp_type, description, contents}``."""
    return {
        "id": temp,
        "project_id": project,
        "name": name,
        "temp_type": 0,
        "description": description,
        "contents": steps,
    }


def task_create_body(*, project: Any, name: str, bench_concurrent: int) -> dict[str, Any]:
    """CreateTask. DOCUMENTED: ``{name, project_id, temps: [], operate_mode: 2, bench_concurrent}``."""
    return {
        "name": name,
        "project_id": project,
        "temps": [],
        "operate_mode": 2,
        "bench_concurrent": bench_concurrent,
    }


def case_create_body(*, task: Any, name: str) -> dict[str, Any]:
    """CreateCase. DOCUMENTED: ``{name, type: 0, task_id}``."""
    return {"name": name, "type": 0, "task_id": task}


def task_link_body(*, project: Any, name: str, parallel: bool, cases: list[Any]) -> dict[str, Any]:
    """UpdateTaskRelatedTestCase. DOCUMENTED: ``{name, parallel, project_id, operate_mode: 2, case_id_list}``."""
    return {
        "name": name,
        "parallel": parallel,
        "project_id": project,
        "operate_mode": 2,
        "case_id_list": cases,
    }


# What the plan's summary counts as resting on inference (``summary["inferred"]``): each INFERRED shape above,
# by the name the README's "What is inferred" uses.
_INFERRED_CARDS = {CARD_THINK: "think_time", CARD_CHECK: "checkpoint", CARD_EXTRACT: "extraction"}
_INFERRED_STEPS = {
    STEP_LOOP: "loop",
    STEP_CONDITION: "condition",
    STEP_RENDEZVOUS: "rendezvous",
    STEP_THROUGHPUT: "throughput",
    STEP_VU_PERCENT: "vu_percent",
}
_INFERRED_PROTOCOLS = {
    api.PROTOCOL_TCP: "tcp_websocket_method",
    api.PROTOCOL_WEBSOCKET: "tcp_websocket_method",
}


def inferred_shapes(body: Any) -> set[str]:
    """The INFERRED shapes an operation's body uses: think-time, checkpoint and extraction cards, a raw body
    (``body`` beside ``bodys``), a TCP/WebSocket card's method, controller step data, and the stage placement
    (``{"stages"}``, see stages_body). Empty for a body that rests on documented shapes only."""
    found: set[str] = set()
    if isinstance(body, dict):
        if "stages" in body:
            found.add("stage_placement")
        _inferred_in_steps(body.get("contents"), found)
    return found


def _inferred_in_steps(steps: Any, found: set[str]) -> None:
    if not isinstance(steps, list):
        return
    for envelope in steps:
        if not isinstance(envelope, dict):
            continue
        kind = _INFERRED_STEPS.get(envelope.get("data_type", STEP_REQUEST))
        if kind is not None:
            found.add(kind)
        for card in envelope.get("content") or ():
            content_type = card.get("content_type")
            if content_type in _INFERRED_CARDS:
                found.add(_INFERRED_CARDS[content_type])
            elif content_type == CARD_REQUEST:
                content = card.get("content") or {}
                if "body" in content:
                    found.add("raw_body")
                if content.get("protocol_type") in _INFERRED_PROTOCOLS:
                    found.add(_INFERRED_PROTOCOLS[content["protocol_type"]])
        data = envelope.get("data")
        if isinstance(data, dict):
            _inferred_in_steps(data.get("contents"), found)
