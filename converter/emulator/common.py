"""Shared vocabulary of the emulator's handlers: the parsed call, the reply, the API error, small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from converter import api
from converter.emulator.state import Record, State

#: The service reports times in China Standard Time (examples: "2022-01-18T15:20:42.373585+08:00").
_CST = timezone(timedelta(hours=8))


class ApiError(Exception):
    """An error reply: HTTP status and the documented error body ``{"error_code", "error_msg"}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, str]:
        return {"error_code": self.code, "error_msg": self.message}


@dataclass
class Call:
    """One validated request: its operation, the IAM project of the path, typed path and query parameters
    and the parsed JSON body (already schema- and rule-checked; None for operations without a body)."""

    op: api.Operation
    state: State
    cloud_project: str
    params: dict[str, int | str]
    query: dict[str, int] = field(default_factory=dict)
    body: Any = None
    max_page: int | None = None  # most rows a paged list returns per call (None: no cap)

    def int_param(self, name: str) -> int:
        value = self.params[name]
        assert isinstance(value, int)
        return value


@dataclass
class Reply:
    """A success reply; ``body`` None means no body (204 / 202)."""

    status: int
    body: dict[str, Any] | None = None


def now() -> str:
    return datetime.now(_CST).isoformat()


def ok(status: int, **fields: Any) -> Reply:
    """A success reply carrying ``code`` and ``message`` plus ``fields``."""
    return Reply(status, {"code": api.SUCCESS_CODE, "message": "success", **fields})


def bad_request(message: str) -> ApiError:
    return ApiError(400, api.ERR_BAD_REQUEST, message)


def not_found(kind: str, record_id: object) -> ApiError:
    return ApiError(404, api.ERR_NOT_FOUND, f"{kind} {record_id} does not exist")


def need(call: Call, kind: str, record_id: int, label: str) -> Record:
    """The record or a 404."""
    record = call.state.get(kind, record_id, call.cloud_project)
    if record is None:
        raise not_found(label, record_id)
    return record


def page(rows: list[Any], call: Call) -> list[Any]:
    """Apply ``offset`` (rows skipped) and ``limit``, then the emulator's page cap (``--max-page``: a service
    may return fewer rows than asked). The reference does not say whether offset counts rows or pages (its
    example sends offset=1 for a first query); rows is assumed, as Huawei's Terraform provider pages."""
    offset = max(call.query.get("offset", 0), 0)
    limit = call.query.get("limit")
    rows = rows[offset:]
    if limit is not None and limit > 0:
        rows = rows[:limit]
    return rows if call.max_page is None else rows[: call.max_page]
