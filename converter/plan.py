"""The plan: the exact, ordered list of PerfTest API calls a conversion makes, and its JSON file format.

A value that an earlier call produces is written ``{"$ref": "temp:checkout.id"}`` inside a body and
``{temp:checkout.id}`` inside a path; ``{project_id}`` in a path is the cloud project, filled at upload.
The plan knows nothing of JMX or HAR; the uploader knows nothing else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import to_json

from converter import api
from converter.diagnostics import Diagnostic

FORMAT = "perftest-plan/1"

OperationName = Literal[
    "CreateProject",
    "CreateVariable",
    "CreateTemp",
    "UpdateTemp",
    "CreateTask",
    "CreateCase",
    "UpdateCase",
    "UpdateTaskRelatedTestCase",
]

_SAMPLE_REF = re.compile(r"\{[^{}]+\.[a-z_]+\}")  # a captured value in a path
_PATH_REF = re.compile(r"\{([a-z_]+:[^{}]*?|[a-z_]+)\.([a-z_]+)\}")


class Operation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    operation: OperationName
    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    body: Any = None
    expect: int
    capture: dict[str, str] = Field(default_factory=dict)
    depends_on: list[str] = Field(default_factory=list)
    # JSON pointers into ``body`` that the user fills at upload time (``--set NAME=VALUE``): pointer -> NAME.
    fill: dict[str, str] = Field(default_factory=dict)

    def refs(self) -> list[tuple[str, str]]:
        """Every (operation id, captured name) this operation reads, from its path and body."""
        found = [(m.group(1), m.group(2)) for m in _PATH_REF.finditer(self.path)]
        found.extend(_body_refs(self.body_json()))
        return found

    def body_json(self) -> bytes:
        """The body as compact JSON: where references are found, and what the contract check validates."""
        return to_json(self.body)

    def contract_problem(self) -> str | None:
        """What in this operation breaks the documented PerfTest contract (``api.py``): method, success status,
        route, body schema, and the user guide's limits the schema cannot express (``api.rule_violations``:
        names, methods, timeouts, requests per transaction, steps and stages per case); None when it follows
        it. Each ``{"$ref": ...}`` counts as the id it will be."""
        documented = api.OPERATIONS[self.operation]
        if (documented.method, documented.success_status) != (self.method, self.expect):
            return f"{self.method} -> {self.expect} is not {documented.name}'s contract"
        sample = _SAMPLE_REF.sub("1", self.path).replace("{project_id}", "0" * 32)
        routed = api.match(self.method, sample)
        if routed is None or routed[0].name != self.operation:
            return f"path {self.path} is not {documented.name}'s ({documented.path})"
        text = _BODY_REF.sub(b"1", self.body_json())
        try:
            documented.validate_body_json(text)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "/".join(str(p) for p in first["loc"]) or "the body"
            return f"body at {where}: {first['msg']}"
        problems = api.rule_violations(self.operation, json.loads(text))
        return "; ".join(problems) if problems else None


# In compact JSON an object holding nothing but a "$ref" string is exactly this text (a "$ref" inside a string
# value would have its quotes escaped, so it cannot match).
_BODY_REF = re.compile(rb'\{"\$ref":("(?:[^"\\]|\\.)*")\}')


def _body_refs(text: bytes) -> list[tuple[str, str]]:
    """Every {"$ref": "op.name"} in a body's compact JSON, in document order (fast on large bodies)."""
    out: list[tuple[str, str]] = []
    for quoted in _BODY_REF.findall(text):
        # (the common reference has no escape, so its text between the quotes is the value)
        value = quoted[1:-1].decode() if b"\\" not in quoted else json.loads(quoted)
        target, _, name = value.rpartition(".")
        out.append((target, name))
    return out


class PlanSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["har", "jmx"]
    path: str
    sha256: str


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["perftest-plan/1"] = "perftest-plan/1"
    source: PlanSource
    operations: list[Operation]
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    summary: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _well_formed(self) -> Plan:
        seen: dict[str, Operation] = {}
        for op in self.operations:
            if op.id in seen:
                raise ValueError(f"operation id {op.id!r} appears twice")
            for dep in op.depends_on:
                if dep not in seen:
                    raise ValueError(f"{op.id}: depends on {dep!r}, which is not an earlier operation")
            for target, name in op.refs():
                earlier = seen.get(target)
                if earlier is None:
                    raise ValueError(f"{op.id}: refers to {target!r}, which is not an earlier operation")
                if name not in earlier.capture:
                    raise ValueError(f"{op.id}: {target!r} captures no {name!r}")
                if target not in op.depends_on:
                    raise ValueError(f"{op.id}: refers to {target!r} without depending on it")
            seen[op.id] = op
        return self

    def to_json(self) -> str:
        """Deterministic text: the same plan always gives the same bytes."""
        return self.model_dump_json(indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        return cls.model_validate_json(text)


def load_plan(path: Path) -> Plan:
    """Read a plan file; raises ValueError with a readable message on anything malformed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    try:
        return Plan.from_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise ValueError(f"{path}: not a valid plan at {where}: {first['msg']}") from None


def ref(operation_id: str, name: str = "id") -> dict[str, str]:
    """The body form of a reference to a value captured by an earlier operation."""
    return {"$ref": f"{operation_id}.{name}"}


def path_ref(operation_id: str, name: str = "id") -> str:
    return "{" + f"{operation_id}.{name}" + "}"
