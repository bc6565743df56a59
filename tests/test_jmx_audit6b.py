"""Audit j6b findings: JMeter's backslash escapes in compiled text (FunctionParser.compileString), variable read and
share modes carried to PerfTest, and the Throughput Shaping Timer shared by every thread group in its scope."""

from __future__ import annotations

import pathlib

from converter.model import Scenario
from tests.test_jmx_support import convert, el, header_manager, http, plan, requests, s, tg


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
