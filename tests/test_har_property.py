"""Mutated HAR structures give either a clean conversion or a clean input error — nothing else."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from converter.convert import convert_har
from converter.errors import InputError
from converter.plan import Plan
from tests.conftest import har_doc, har_entry, ts

BASE = har_doc(
    [
        har_entry("https://a.test/", start=ts(0), pageref="p", headers=[("Cookie", "sid=abc123456")]),
        har_entry(
            "https://a.test/api",
            method="POST",
            start=ts(1),
            post={"mimeType": "application/json", "text": '{"password": "pw123456"}'},
            pageref="p",
        ),
        har_entry(
            "https://a.test/form",
            method="POST",
            start=ts(2),
            post={"mimeType": "multipart/form-data; boundary=b", "params": [{"name": "f", "fileName": "x"}]},
        ),
    ],
    [{"id": "p", "title": "Page", "startedDateTime": ts(0)}],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_paths(item, (*prefix, index)))
    return out


@st.composite
def mutated_hars(draw: st.DrawFn) -> dict[str, Any]:
    doc = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "replace"]))
        if action == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
        if not isinstance(doc, dict) or not isinstance(doc.get("log"), dict):
            break
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_hars())
def test_mutated_har_converts_cleanly_or_fails_cleanly(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.har"
        path.write_text(json.dumps(doc), encoding="utf-8")
        try:
            conversion = convert_har(path)
        except InputError as error:
            assert str(path) in str(error)
            return
        Plan.from_json(conversion.plan.to_json())
        entries = doc["log"]["entries"]
        assert len(conversion.ledger) == len(entries)


@settings(max_examples=300, deadline=None)
@given(mutated_hars())
def test_fast_entry_check_never_accepts_what_the_detailed_check_refuses(doc: dict[str, Any]) -> None:
    from converter.parsers.har.load import _check_entry, _entry_ok

    log = doc.get("log") if isinstance(doc, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if _entry_ok(entry):
            _check_entry(Path("x.har"), entry, "e")  # must not raise


@settings(max_examples=500, deadline=None)
@given(st.text(min_size=1, max_size=30))
@example("pa\u017f\u017fword")  # a long s is an "s" to a case-insensitive regular expression
@example("X-Auth-Token")
@example("twofa")  # a one-time code by the words of its name (secrets._credential_words)
@example("TwoFactor")
def test_quick_secret_name_test_never_misses_a_secret_field(name: str) -> None:
    from converter.parsers.har.secrets import is_secret_field, may_name_a_secret

    if is_secret_field(name):
        assert may_name_a_secret(json.dumps({name: "value"}, ensure_ascii=False))
        assert may_name_a_secret(json.dumps({name: "value"}))  # escaped non-ASCII names too
