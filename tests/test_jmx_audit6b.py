"""Audit j6b findings: JMeter's backslash escapes in compiled text (FunctionParser.compileString), variable read and
share modes carried to PerfTest, and the Throughput Shaping Timer shared by every thread group in its scope."""

from __future__ import annotations

import pathlib

from converter.convert import convert_jmx
from converter.model import Scenario
from tests.test_jmx_support import b, convert, el, header_manager, http, plan, requests, s, tg


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


def _mode_notes(tmp_path: pathlib.Path, config: str) -> tuple[dict[str, object], list[str]]:
    xml = plan(tg(config + http("A", "/a?x=${x}", domain="h"), threads="5", loops="10"))
    (tmp_path / "t.jmx").write_text(xml, encoding="utf-8")
    result = convert_jmx(tmp_path / "t.jmx")
    [body] = [item for op in result.plan.operations if op.operation == "CreateVariable" for item in op.body]
    return body, [d.message for d in result.plan.diagnostics if d.code == "PT030"]


def test_read_and_share_modes_the_api_cannot_set_are_reported(tmp_path: pathlib.Path) -> None:
    # the create body (table 4-137) has no mode field: none is sent, and a mode other than in-order reading of
    # one shared sequence is said, so the user sets it in PerfTest
    body, notes = _mode_notes(tmp_path, _random("x"))
    assert set(body) == {"id", "name", "variable_type", "variable", "is_quoted"}
    assert notes == ["${x} wants values taken at random (read mode: random)"]
    _, notes = _mode_notes(tmp_path, _counter("x", per_user=True))
    assert notes == [
        "${x} wants each virtual user reading its own sequence from the first value (share mode: concurrency)"
    ]
    _, notes = _mode_notes(tmp_path, _csv(tmp_path, "shareMode.thread"))
    assert len(notes) == 1 and "share mode: concurrency" in notes[0]
    for in_order in (_counter("x", per_user=False), _csv(tmp_path, "shareMode.all")):
        assert _mode_notes(tmp_path, in_order)[1] == []


def _shaping(*rows: tuple[str, str, str]) -> str:
    items = "".join(
        f'<collectionProp name="r{n}">{s("0", a)}{s("1", b_)}{s("2", d)}</collectionProp>'
        for n, (a, b_, d) in enumerate(rows)
    )
    tag = "kg.apc.jmeter.timers.VariableThroughputTimer"
    return el(
        tag, "Shape", f'<collectionProp name="load_profile">{items}</collectionProp>', guiclass=tag + "Gui"
    )


def _tps(sc: Scenario) -> list[list[tuple[float | None, float | None, int, int | None]]]:
    return [[(st.tps_start, st.tps, st.ramp_s, st.hold_s) for st in case.load.stages] for case in sc.cases]


def _forever(name: str, path: str, threads: str = "10") -> str:
    return tg(http(name, path, domain="h"), name=name, threads=threads, loops="-1")


def test_a_shaping_timer_under_the_test_plan_splits_its_rate_between_the_groups(
    tmp_path: pathlib.Path,
) -> None:
    sc = convert(tmp_path, plan(_shaping(("10", "10", "60")) + _forever("G1", "/a") + _forever("G2", "/b")))
    assert _tps(sc) == [[(None, 5.0, 0, 60)], [(None, 5.0, 0, 60)]]  # 10 rps in total, as in JMeter
    (found,) = _diagnostics(sc, "JMX528")
    assert "one for the 2 thread groups ('G1', 'G2')" in found and "each case gets 1/2" in found


def test_a_shaping_timer_in_one_group_keeps_its_rate(tmp_path: pathlib.Path) -> None:
    one = tg(_shaping(("10", "10", "60")) + http("A", "/a", domain="h"), name="G1", threads="10", loops="-1")
    sc = convert(tmp_path, plan(one + _forever("G2", "/b")))
    assert _tps(sc)[0] == [(None, 10.0, 0, 60)] and _diagnostics(sc, "JMX528") == []


def test_serialized_groups_each_get_the_whole_schedule_and_are_told(tmp_path: pathlib.Path) -> None:
    body = _shaping(("10", "10", "60")) + _forever("G1", "/a") + _forever("G2", "/b")
    sc = convert(tmp_path, plan(body, b("TestPlan.serialize_threadgroups", True)))
    assert _tps(sc) == [[(None, 10.0, 0, 60)], [(None, 10.0, 0, 60)]]
    (found,) = _diagnostics(sc, "JMX528")
    assert "run one after another" in found and found.endswith("each case gets the whole schedule")


def test_the_load_profile_property_replaces_the_rows(tmp_path: pathlib.Path) -> None:
    body = plan(_shaping(("10", "10", "60")) + _forever("G", "/a"))
    sc = convert(
        tmp_path, body, properties={"load_profile": "line(10,50,1m) const(50,1m30s) step(5,15,5,10)"}
    )
    assert _tps(sc) == [
        [
            (10.0, 50.0, 60, 0),
            (None, 50.0, 0, 90),
            (None, 5.0, 0, 10),
            (None, 10.0, 0, 10),
            (None, 15.0, 0, 10),
        ]
    ]
    (found,) = _diagnostics(sc, "JMX526")
    assert "gives 5 row(s); the 1 row(s) saved in the plan are ignored" in found
    assert sc.properties_used["load_profile"].startswith("line(")


def test_load_profile_parts_the_plugin_cannot_read_are_left_out(tmp_path: pathlib.Path) -> None:
    body = plan(_shaping(("10", "10", "60")) + _forever("G", "/a"))
    sc = convert(tmp_path, body, properties={"load_profile": "const(20,1x) wave(1,2,3) const(30,2m)"})
    assert _tps(sc) == [[(None, 30.0, 0, 120)]]
    (found,) = _diagnostics(sc, "JMX527")
    assert "'const(20,1x', 'wave(1,2,3'" in found
    nothing = convert(tmp_path, body, properties={"load_profile": "bogus"})
    assert [st[1] for st in _tps(nothing)[0]] == [None]  # no rate: the group's own stage, no TPS target
    assert any("gives no row" in d and "stops the test" in d for d in _diagnostics(nothing, "JMX527"))


def test_a_descending_step_leaves_out_its_end_as_the_plugin_does() -> None:
    from converter.parsers.jmx.timers import parse_load_profile

    assert parse_load_profile("step(30,10,10,1h)") == ([(30, 30, 3600), (20, 20, 3600)], [])
    assert parse_load_profile("step(1,5,0,1s)") == ([], [])  # an increment of 0 upwards: no row
    assert parse_load_profile("step(5,1,0,1s)") == (
        [],
        ["step(5,1,0,1s"],
    )  # downwards: JMeter's loop never ends
