"""Audit j6b findings: JMeter's backslash escapes in compiled text (FunctionParser.compileString), variable read and
share modes carried to PerfTest, and the Throughput Shaping Timer shared by every thread group in its scope."""

from __future__ import annotations

import pathlib

from converter.convert import convert_jmx
from converter.model import Scenario
from converter.upload.verify import verify_upload
from tests.test_jmx_support import b, convert, el, header_manager, http, plan, requests, s, tg
from tests.upload_support import emulator, run_upload, token_client


def _udv(*pairs: tuple[str, str]) -> str:
    items = "".join(
        f'<elementProp name="{k}" elementType="Argument">{s("Argument.name", k)}{s("Argument.value", v)}</elementProp>'
        for k, v in pairs
    )
    return el("Arguments", "U", f'<collectionProp name="Arguments.arguments">{items}</collectionProp>')


def _headers(tmp_path: pathlib.Path, *pairs: tuple[str, str]) -> tuple[dict[str, str], Scenario]:
    sc = convert(
        tmp_path, plan(_udv(("v", "42")) + tg(header_manager("H", *pairs) + http("A", "/a", domain="h")))
    )
    return {h.name: h.value for h in requests(sc.cases[0].steps)[0].headers}, sc


def _diagnostics(sc: Scenario, code: str) -> list[str]:
    return [f"{d.message} | {d.action}" for d in sc.diagnostics if d.code == code]


def test_escapes_are_removed_from_text_that_holds_a_reference(tmp_path: pathlib.Path) -> None:
    headers, sc = _headers(
        tmp_path, ("X-List", "a\\,b;v=${v}"), ("X-Path", "C:\\\\data\\\\${v}.csv"), ("X-Keep", "a\\xb${v}")
    )
    # compileString drops the backslash before ",", "\" and "$" only, and keeps it before any other character
    assert headers == {"X-List": "a,b;v=${v}", "X-Path": "C:\\data\\${v}.csv", "X-Keep": "a\\xb${v}"}
    assert _diagnostics(sc, "JMX141") == []


def test_text_without_a_reference_keeps_its_backslashes(tmp_path: pathlib.Path) -> None:
    headers, sc = _headers(tmp_path, ("X-List", "a\\,b"), ("X-Path", "C:\\\\data"))
    assert headers == {
        "X-List": "a\\,b",
        "X-Path": "C:\\\\data",
    }  # JMeter compiles no reference: sent as written
    assert _diagnostics(sc, "JMX141") == []


def test_an_escaped_reference_is_literal_text_and_reported(tmp_path: pathlib.Path) -> None:
    headers, sc = _headers(tmp_path, ("X-Lit", "\\${v} is ${v}"))
    assert headers == {"X-Lit": "${v} is ${v}"}
    (found,) = _diagnostics(sc, "JMX141")
    assert "JMeter removes the backslash and sends '${v}' as text" in found and found.endswith(
        "sent as '${v}'"
    )


def test_an_escaped_reference_alone_is_sent_as_written_and_reported(tmp_path: pathlib.Path) -> None:
    headers, sc = _headers(tmp_path, ("X-Lit", "cost \\${v}"))
    assert headers == {"X-Lit": "cost \\${v}"}  # no reference: JMeter does not compile it, the "\" stays
    (found,) = _diagnostics(sc, "JMX141")
    assert "does not compile it and sends it as written, backslash included" in found


def test_an_escaped_comma_in_a_query_with_references_is_no_refused_character(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(_udv(("v", "42")) + tg(http("A", "/p?e=a\\,b&x=${v}", domain="h"))))
    assert requests(sc.cases[0].steps)[0].url == "http://h/p?e=a,b&x=${v}"
    assert _diagnostics(sc, "JMX130") == []


def _variable_bodies(tmp_path: pathlib.Path, config: str) -> dict[str, dict[str, object]]:
    xml = plan(tg(config + http("A", "/a?x=${x}", domain="h"), threads="5", loops="10"))
    (tmp_path / "t.jmx").write_text(xml, encoding="utf-8")
    plan_ = convert_jmx(tmp_path / "t.jmx").plan
    return {
        item["name"]: item for op in plan_.operations if op.operation == "CreateVariable" for item in op.body
    }


def _random(name: str) -> str:
    props = (
        s("variableName", name) + s("minimumValue", "1") + s("maximumValue", "1000") + b("perThread", False)
    )
    return el("RandomVariableConfig", "R", props, guiclass="TestBeanGUI")


def _counter(name: str, per_user: bool) -> str:
    props = (
        s("CounterConfig.start", "1")
        + s("CounterConfig.end", "100")
        + s("CounterConfig.incr", "1")
        + s("CounterConfig.name", name)
        + b("CounterConfig.per_user", per_user)
    )
    return el("CounterConfig", "C", props, guiclass="CounterConfigGui")


def _csv(tmp_path: pathlib.Path, share: str) -> str:
    (tmp_path / "users.csv").write_text("alice\nbob\n", encoding="utf-8")
    props = (
        s("filename", str(tmp_path / "users.csv"))
        + s("variableNames", "x")
        + s("delimiter", ",")
        + b("recycle", True)
        + s("shareMode", share)
    )
    return el("CSVDataSet", "D", props, guiclass="TestBeanGUI")


def _modes(body: dict[str, object]) -> tuple[object, object, object]:
    return body["variable_type"], body["variable_mode"], body["share_mode"]


def test_read_and_share_modes_reach_the_variable_bodies(tmp_path: pathlib.Path) -> None:
    # Random Variable: any value (random); a global Counter: one sequence all users take in turn (case mode);
    # a per-user Counter and a per-thread CSV: each user its own sequence from the first value (concurrency mode)
    assert _modes(_variable_bodies(tmp_path, _random("x"))["x"]) == (1, 1, 0)
    assert _modes(_variable_bodies(tmp_path, _counter("x", per_user=False))["x"]) == (1, 0, 0)
    assert _modes(_variable_bodies(tmp_path, _counter("x", per_user=True))["x"]) == (1, 0, 1)
    assert _modes(_variable_bodies(tmp_path, _csv(tmp_path, "shareMode.thread"))["x"]) == (2, 0, 1)
    assert _modes(_variable_bodies(tmp_path, _csv(tmp_path, "shareMode.group"))["x"]) == (2, 0, 0)
    assert _modes(_variable_bodies(tmp_path, _csv(tmp_path, "shareMode.all"))["x"]) == (2, 0, 0)


def test_the_emulator_takes_and_lists_the_modes(tmp_path: pathlib.Path) -> None:
    xml = plan(tg(_random("r") + _counter("c", per_user=True) + http("A", "/a?r=${r}&c=${c}", domain="h")))
    (tmp_path / "t.jmx").write_text(xml, encoding="utf-8")
    plan_ = convert_jmx(tmp_path / "t.jmx").plan
    with emulator() as (_, url):
        client = token_client(url)
        result = run_upload(plan_, client, tmp_path / "j.jsonl")
        assert result.ok, result.error
        assert verify_upload(plan_, client, result.captured) == []  # what was sent is what is listed
        client.close()
