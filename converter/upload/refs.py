"""Turning a plan operation into the request actually sent: captured ids for references, user values for fills.

``{"$ref": "item.name"}`` in a body and ``{item.name}`` in a path take the value that plan item captured.
``fill`` maps JSON pointers (RFC 6901) in the body to value names given with ``--set``/``--set-file``; values
are put into a copy of the body at send time only, so they never reach the plan, the journal or a message.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from converter.plan import Operation

Captured = Mapping[str, Mapping[str, Any]]
_PATH_REF = re.compile(r"\{([a-z_]+:[^{}]*?|[a-z_]+)\.([a-z_]+)\}")


def resolve_body(value: Any, captured: Captured) -> Any:
    """A copy of ``value`` with every ``{"$ref": "item.name"}`` replaced by the captured value."""
    if isinstance(value, dict):
        if set(value) == {"$ref"} and isinstance(value["$ref"], str):
            target, _, name = value["$ref"].rpartition(".")
            return captured[target][name]
        return {key: resolve_body(item, captured) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_body(item, captured) for item in value]
    return value


def resolve_path(path: str, captured: Captured) -> str:
    """``path`` with every ``{item.name}`` replaced by the captured value (URL-quoted); ``{project_id}`` stays."""
    return _PATH_REF.sub(lambda m: quote(str(captured[m.group(1)][m.group(2)]), safe=""), path)


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer {pointer!r} must start with '/'")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _step(container: Any, token: str, pointer: str) -> tuple[Any, Any]:
    """(container, key) for ``token`` inside ``container``; ValueError when it does not exist."""
    if isinstance(container, dict) and token in container:
        return container, token
    if isinstance(container, list) and token.isdigit() and int(token) < len(container):
        return container, int(token)
    raise ValueError(f"JSON pointer {pointer!r} does not point into the body")


def check_fill(body: Any, pointer: str) -> None:
    """ValueError unless ``pointer`` names an existing place in ``body``."""
    tokens = _tokens(pointer)
    if not tokens:
        raise ValueError("a fill pointer cannot replace the whole body")
    node = body
    for token in tokens:
        container, key = _step(node, token, pointer)
        node = container[key]


def apply_fills(body: Any, fill: Mapping[str, str], values: Mapping[str, str]) -> Any:
    """A copy of ``body`` with each pointer of ``fill`` set to the value of its name (names without a value
    keep the plan's placeholder)."""
    chosen = {p: values[name] for p, name in fill.items() if name in values}
    if not chosen:
        return body
    body = copy.deepcopy(body)
    for pointer, value in chosen.items():
        tokens = _tokens(pointer)
        node = body
        for token in tokens[:-1]:
            container, key = _step(node, token, pointer)
            node = container[key]
        container, key = _step(node, tokens[-1], pointer)
        container[key] = value
    return body


def request_for(op: Operation, captured: Captured, values: Mapping[str, str]) -> tuple[str, Any]:
    """(path with refs resolved, body to send) of ``op``."""
    body = apply_fills(resolve_body(op.body, captured), op.fill, values)
    return resolve_path(op.path, captured), body
