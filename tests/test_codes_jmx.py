"""One focused test per JMX diagnostic code that no other test made: each converts a small inline plan with the
real CLI and asserts the code, its severity, where it points (element path and testname), the ledger row, and
what the plan holds instead."""

from __future__ import annotations

import json
import pathlib
from typing import Any

from tests.conftest import request_cards, run_cli
from tests.test_jmx_support import b, el, http, i, plan, s, tg

TG = "jmx:/TestPlan/ThreadGroup[1]"


def run(tmp_path: pathlib.Path, xml: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Convert ``xml`` with ``perftest-convert jmx --dry-run --report``: (plan, report)."""
    source = tmp_path / "plan.jmx"
    source.write_text(xml, encoding="utf-8")
    out, report = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("jmx", str(source), "--dry-run", "-q", "-o", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text("utf-8")), json.loads(report.read_text("utf-8"))


def diagnostic(report: dict[str, Any], code: str, severity: str, source: str, name: str) -> dict[str, Any]:
    """The one diagnostic ``code`` of the report, checked for severity and location; its ledger row holds it."""
    found = [d for d in report["diagnostics"] if d["code"] == code]
    assert len(found) == 1, found
    diag = found[0]
    assert diag["severity"] == severity
    assert diag["location"] == {"source": source, "name": name}
    assert diag["action"], "every diagnostic says what was done instead"
    row = next(r for r in report["ledger"] if r["source"] == source)
    assert code in row["codes"]
    return diag


def status(report: dict[str, Any], source: str) -> str:
    return str(next(r["status"] for r in report["ledger"] if r["source"] == source))


def cards(plan_doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every request card of the plan (case contents and transactions), in document order."""
    return request_cards(plan_doc)


def variables(plan_doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        v["name"]: v
        for op in plan_doc["operations"]
        if op["operation"] == "CreateVariable"
        for v in op["body"]
    }


def stages(plan_doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [st for op in plan_doc["operations"] if op["id"].endswith(":stage") for st in op["body"]["stages"]]


def codes(report: dict[str, Any]) -> set[str]:
    return {d["code"] for d in report["diagnostics"]}


# -- samplers -------------------------------------------------------------------------------------


def test_jmx106_content_encoding_other_than_utf8(tmp_path: pathlib.Path) -> None:
    latin = http("latin", "/form", method="POST", domain="h", raw="name=café",
                 extra=s("HTTPSampler.contentEncoding", "ISO-8859-1"))  # fmt: skip
    utf8 = http(
        "utf8", "/form", method="POST", domain="h", raw="x", extra=s("HTTPSampler.contentEncoding", "utf-8")
    )
    plan_doc, report = run(tmp_path, plan(tg(latin + utf8)))
    diag = diagnostic(report, "JMX106", "warning", f"{TG}/HTTPSamplerProxy[1]", "latin")
    assert "ISO-8859-1" in diag["message"] and "UTF-8" in diag["action"]
    assert cards(plan_doc)[0]["body"] == "name=café"  # the text, sent as UTF-8 by PerfTest
    assert status(report, f"{TG}/HTTPSamplerProxy[2]") == "converted"  # utf-8 in any spelling is no JMX106


def test_jmx111_websocket_ping_pong_sampler_not_converted(tmp_path: pathlib.Path) -> None:
    # Luminis' Ping/Pong sampler sends a ping frame and waits for the pong: no WebSocket request card does that
    ping = el("eu.luminis.jmeter.wssampler.PingPongSampler", "ping", s("pongTimeout", "1000"),
              guiclass="eu.luminis.jmeter.wssampler.PingPongSamplerGui")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(ping + http("after", domain="h"))))
    source = f"{TG}/eu.luminis.jmeter.wssampler.PingPongSampler[1]"
    diag = diagnostic(report, "JMX111", "error", source, "ping")
    assert "PingPongSampler" in diag["message"] and diag["action"] == "not converted"
    assert status(report, source) == "not_converted"
    assert [c["name"] for c in cards(plan_doc)] == ["after"]


# -- thread groups --------------------------------------------------------------------------------


def test_jmx205_unknown_thread_group_gets_a_default_load(tmp_path: pathlib.Path) -> None:
    custom = el(
        "com.example.load.CustomThreadGroup",
        "custom",
        s("ThreadGroup.num_threads", "50"),
        http("a", domain="h"),
    )
    plan_doc, report = run(tmp_path, plan(custom))
    source = "jmx:/TestPlan/com.example.load.CustomThreadGroup[1]"
    diag = diagnostic(report, "JMX205", "error", source, "custom")
    assert "CustomThreadGroup" in diag["message"] and diag["action"] == "1 user for 60 s"
    assert stages(plan_doc) == [
        {
            "name": "Stage-1",
            "operate_mode": 0,
            "pressure_mode": 0,
            "issue_num": 1,
            "current_user_num": 1,
            "time": 60,
        }
    ]
    assert [c["name"] for c in cards(plan_doc)] == ["a"]  # its samplers are still converted


def test_jmx207_one_loop_and_a_scheduler_duration_keep_the_single_iteration(tmp_path: pathlib.Path) -> None:
    # JMeter stops a thread at whichever limit comes first; one loop next to a lifetime (the GUI's default) means
    # one iteration per thread: a count stage, not the whole lifetime repeated
    group = tg(http("a", domain="h"), threads="3", loops="1",
               extra=b("ThreadGroup.scheduler", True) + s("ThreadGroup.duration", "120"))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(group))
    diag = diagnostic(report, "JMX207", "warning", TG, "TG")
    assert diag["message"].startswith("1 loop and 120 s: JMeter stops each thread at whichever comes first")
    assert diag["action"] == "1 iteration per user, without the 120 s limit"
    [stage] = stages(plan_doc)
    assert (stage["issue_num"], stage["count"]) == (3, 3) and "time" not in stage


def test_jmx207_many_loops_and_a_scheduler_duration_keep_the_duration(tmp_path: pathlib.Path) -> None:
    # 100,000 loops next to a 10 s lifetime: the duration bounds the test (a count could run for hours)
    group = tg(http("a", domain="h"), threads="3", loops="100000",
               extra=b("ThreadGroup.scheduler", True) + s("ThreadGroup.duration", "10"))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(group))
    diag = diagnostic(report, "JMX207", "warning", TG, "TG")
    assert diag["message"] == "100000 loop(s) and 10 s: JMeter stops each thread at whichever comes first"
    assert diag["action"] == "runs 10 s, without the 100000-iteration limit"
    [stage] = stages(plan_doc)
    assert (stage["issue_num"], stage["time"]) == (3, 10) and "count" not in stage


def test_jmx207_ramp_longer_than_the_duration_keeps_the_duration(tmp_path: pathlib.Path) -> None:
    # the duration stops the ramp-up: only the threads started before it run (JMX220), the duration governs
    group = tg(http("a", domain="h"), threads="10", loops="5", ramp="100",
               extra=b("ThreadGroup.scheduler", True) + s("ThreadGroup.duration", "50"))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(group))
    diag = diagnostic(report, "JMX207", "warning", TG, "TG")
    assert diag["action"] == "runs 50 s"
    steps = stages(plan_doc)  # a staircase to the 5 threads started within the 50 s
    assert max(st["issue_num"] for st in steps) == 5 and sum(st["time"] for st in steps) == 50
    assert not any("count" in st for st in steps)


def test_jmx208_arrival_rate_rounded_to_whole_tps(tmp_path: pathlib.Path) -> None:
    arrivals = el("com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup", "arrivals",
                  s("TargetLevel", "90") + s("RampUp", "0") + s("Hold", "1") + s("Unit", "M") + s("ConcurrencyLimit", "4"),
                  http("a", domain="h"))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(arrivals))
    source = "jmx:/TestPlan/com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup[1]"
    diag = diagnostic(report, "JMX208", "warning", source, "arrivals")
    assert diag["message"] == "1.5 arrivals (iterations) per second" and diag["action"] == "TPS 2"
    assert [(st["pressure_mode"], st["tps_value"], st["time"]) for st in stages(plan_doc)] == [(1, 2, 60)]


# -- config elements ------------------------------------------------------------------------------


def _csv(name: str, filename: str) -> str:
    return el("CSVDataSet", name, s("filename", filename) + s("variableNames", "user,pass") + s("delimiter", ",")
              + b("quotedData", False) + b("recycle", True) + b("stopThread", False) + s("shareMode", "shareMode.all"),
              guiclass="TestBeanGUI")  # fmt: skip


def test_jmx305_csv_too_large_to_inline(tmp_path: pathlib.Path) -> None:
    (tmp_path / "many.csv").write_text("".join(f"u{n},p{n}\n" for n in range(10_001)), encoding="utf-8")
    (tmp_path / "big.csv").write_text("u," + "x" * 1_000_001 + "\n", encoding="utf-8")
    xml = plan(
        tg(
            _csv("many rows", "many.csv")
            + _csv("big file", "big.csv")
            + http("login", "/login?u=${user}", domain="h")
        )
    )
    plan_doc, report = run(tmp_path, xml)
    found = [d for d in report["diagnostics"] if d["code"] == "JMX305"]
    assert [(d["severity"], d["location"], d["action"]) for d in found] == [
        ("error", {"source": f"{TG}/CSVDataSet[1]", "name": "many rows"}, "not converted"),
        ("error", {"source": f"{TG}/CSVDataSet[2]", "name": "big file"}, "not converted"),
    ]
    assert found[0]["message"] == "many.csv has 10001 rows (limit 10000)"
    assert found[1]["message"] == f"big.csv is {(tmp_path / 'big.csv').stat().st_size} bytes (limit 1000000)"
    assert status(report, f"{TG}/CSVDataSet[1]") == status(report, f"{TG}/CSVDataSet[2]") == "not_converted"
    assert variables(plan_doc) == {}  # no variable half-filled from the file
    # at the limit, the file is read
    (tmp_path / "many.csv").write_text("".join(f"u{n},p{n}\n" for n in range(10_000)), encoding="utf-8")
    plan_doc, report = run(tmp_path, plan(tg(_csv("many rows", "many.csv") + http("login", domain="h"))))
    assert len(variables(plan_doc)["user"]["variable"]) == 10_000 and "JMX305" not in codes(report)


def _dns(
    name: str, *, custom: bool, servers: tuple[str, ...] = (), hosts: tuple[tuple[str, str], ...] = ()
) -> str:
    server_props = "".join(s(str(n), v) for n, v in enumerate(servers))
    host_props = "".join(
        f'<elementProp name="{h}" elementType="StaticHost">{s("StaticHost.Name", h)}{s("StaticHost.Address", a)}</elementProp>'
        for h, a in hosts
    )
    return el("DNSCacheManager", name, f'<collectionProp name="DNSCacheManager.servers">{server_props}</collectionProp>'
              f'<collectionProp name="DNSCacheManager.hosts">{host_props}</collectionProp>'
              + b("DNSCacheManager.clearEachIteration", False) + b("DNSCacheManager.isCustomResolver", custom),
              guiclass="DNSCachePanel")  # fmt: skip


def test_jmx310_dns_static_hosts_and_servers_not_converted(tmp_path: pathlib.Path) -> None:
    # DNSCacheManager.resolve looks static hosts up first, whichever resolver is selected; DNS servers are used
    # by the custom resolver; with neither, requestLookup falls back to the system resolver (JMX309, a warning)
    managers = (_dns("hosts", custom=False, hosts=(("api.example.com", "10.0.0.5"),))
                + _dns("servers", custom=True, servers=("10.0.0.53",)) + _dns("no servers", custom=True))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(managers + http("api", domain="api.example.com"))))
    found = [
        (d["severity"], d["location"]["name"], d["message"])
        for d in report["diagnostics"]
        if d["code"] == "JMX310"
    ]
    assert found == [
        (
            "error",
            "hosts",
            "custom DNS resolution (1 static host(s), 0 DNS server(s)) cannot be expressed in PerfTest",
        ),
        (
            "error",
            "servers",
            "custom DNS resolution (0 static host(s), 1 DNS server(s)) cannot be expressed in PerfTest",
        ),
    ]
    assert [status(report, f"{TG}/DNSCacheManager[{n}]") for n in (1, 2, 3)] == [
        "not_converted",
        "not_converted",
        "approximated",
    ]
    assert [d["location"]["name"] for d in report["diagnostics"] if d["code"] == "JMX309"] == ["no servers"]
    assert cards(plan_doc)[0]["url"] == "http://api.example.com/"  # the name, resolved by the load generators


def _auth(*rows: tuple[str, str, str]) -> str:
    items = "".join(
        f'<elementProp name="" elementType="Authorization">{s("Authorization.url", url)}'
        f"{s('Authorization.username', user)}{s('Authorization.password', 'pw-not-in-plan')}"
        f"{s('Authorization.domain', '')}{s('Authorization.realm', '')}{s('Authorization.mechanism', mech)}</elementProp>"
        for url, user, mech in rows
    )
    return el("AuthManager", "auth", f'<collectionProp name="AuthManager.auth_list">{items}</collectionProp>')


def test_jmx312_digest_and_kerberos_entries_not_converted(tmp_path: pathlib.Path) -> None:
    # AuthManager.Mechanism: BASIC_DIGEST (deprecated alias of BASIC), BASIC, DIGEST, KERBEROS
    manager = _auth(
        ("http://h/admin", "bob", "DIGEST"), ("http://h/sso", "kim", "KERBEROS"), ("", "amy", "BASIC")
    )
    plan_doc, report = run(tmp_path, plan(tg(manager + http("home", domain="h"))))
    source = f"{TG}/AuthManager[1]"
    found = [d for d in report["diagnostics"] if d["code"] == "JMX312"]
    assert [(d["severity"], d["location"], d["message"], d["action"]) for d in found] == [
        (
            "error",
            {"source": source, "name": "auth"},
            "entry 1 (http://h/admin) uses DIGEST",
            "not converted",
        ),
        (
            "error",
            {"source": source, "name": "auth"},
            "entry 2 (http://h/sso) uses KERBEROS",
            "not converted",
        ),
    ]
    assert status(report, source) == "not_converted"
    # the Basic entry still becomes a header; the digest/kerberos users leave no trace in the plan
    assert cards(plan_doc)[0]["headers"] == [{"key": "Authorization", "value": "Basic ${auth_basic_3}"}]
    text = json.dumps(plan_doc)
    assert "bob" not in text and "kim" not in text and "pw-not-in-plan" not in text


def test_jmx314_random_variable_becomes_int_range(tmp_path: pathlib.Path) -> None:
    rv = el("RandomVariableConfig", "user id", s("variableName", "uid") + s("outputFormat", "USER_000")
            + s("minimumValue", "1") + s("maximumValue", "50") + s("randomSeed", "") + b("perThread", False),
            guiclass="TestBeanGUI")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(rv + http("profile", "/u/${uid}", domain="h"))))
    diag = diagnostic(report, "JMX314", "warning", f"{TG}/RandomVariableConfig[1]", "user id")
    assert diag["message"].startswith("uid in [1, 50]") and "output format" in diag["message"]
    assert status(report, f"{TG}/RandomVariableConfig[1]") == "approximated"
    assert variables(plan_doc)["uid"]["variable_type"] == 1 and variables(plan_doc)["uid"]["variable"] == [
        1,
        50,
    ]
    assert cards(plan_doc)[0]["url"] == "http://h/u/${uid}"


def test_random_variable_with_maximum_below_minimum_is_not_converted(tmp_path: pathlib.Path) -> None:
    # RandomVariableConfig.init logs "maximum must be >= minimum" and iterationStart then never sets the variable
    rv = el("RandomVariableConfig", "upside down", s("variableName", "uid") + s("minimumValue", "50")
            + s("maximumValue", "1"), guiclass="TestBeanGUI")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(rv + http("profile", "/u/${uid}", domain="h"))))
    diag = diagnostic(report, "JMX313", "error", f"{TG}/RandomVariableConfig[1]", "upside down")
    assert diag["message"] == "Random Variable uid: maximum 1 is below minimum 50, so JMeter never sets it"
    assert "JMX314" not in codes(report) and variables(plan_doc) == {}
    assert cards(plan_doc)[0]["url"] == "http://h/u/${uid}"


def test_jmx315_property_display_is_filtered(tmp_path: pathlib.Path) -> None:
    display = el("ConfigTestElement", "Property Display", "", guiclass="PropertyControlGui")
    plan_doc, report = run(tmp_path, plan(display + tg(http("a", domain="h"))))
    source = "jmx:/TestPlan/ConfigTestElement[1]"
    diag = diagnostic(report, "JMX315", "info", source, "Property Display")
    assert diag["action"] == "skipped"
    assert status(report, source) == "filtered"
    assert "JMX313" not in codes(report)  # not reported as an unconverted config element
    assert [c["name"] for c in cards(plan_doc)] == ["a"]


def _udv(name: str, var: str, value: str) -> str:
    item = f'<elementProp name="{var}" elementType="Argument">{s("Argument.name", var)}{s("Argument.value", value)}{s("Argument.metadata", "=")}</elementProp>'
    return el(
        "Arguments",
        name,
        f'<collectionProp name="Arguments.arguments">{item}</collectionProp>',
        guiclass="ArgumentsPanel",
    )


def test_jmx901_variable_defined_twice_last_wins(tmp_path: pathlib.Path) -> None:
    # JMeter's PreCompiler applies User Defined Variables in tree order: the later value replaces the earlier one
    xml = plan(_udv("defaults", "host", "one.example.com") + _udv("overrides", "host", "two.example.com")
               + _udv("same again", "host", "two.example.com") + tg(http("a", domain="${host}")))  # fmt: skip
    plan_doc, report = run(tmp_path, xml)
    diag = diagnostic(report, "JMX901", "warning", "jmx:/TestPlan/Arguments[2]", "overrides")
    assert "'host'" in diag["message"] and diag["action"].startswith("kept the last definition")
    assert variables(plan_doc)["host"]["variable"] == ["two.example.com"]
    assert cards(plan_doc)[0]["url"] == "http://${host}/"


# -- controllers, timers, assertions --------------------------------------------------------------


def test_jmx402_infinite_loop_controller_loops_while_true(tmp_path: pathlib.Path) -> None:
    loop = el("LoopController", "forever", b("LoopController.continue_forever", True) + s("LoopController.loops", "-1"),
              http("poll", domain="h"), guiclass="LoopControlPanel")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(loop)))
    diag = diagnostic(report, "JMX402", "warning", f"{TG}/LoopController[1]", "forever")
    assert diag["action"] == "loop while 'true'"
    content = next(op for op in plan_doc["operations"] if op["id"] == "case:tg:content")["body"]["contents"]
    assert [(step["data_type"], step["data"]["condition"]) for step in content] == [(201, "true")]
    assert [c["name"] for c in cards(plan_doc)] == ["poll"]


def test_jmx408_parameterized_controller_children_inlined(tmp_path: pathlib.Path) -> None:
    params = ('<elementProp name="ParameterizedController.user_defined_variables" elementType="Arguments">'
              '<collectionProp name="Arguments.arguments"/></elementProp>')  # fmt: skip
    ctrl = el("kg.apc.jmeter.control.ParameterizedController", "as admin", params, http("inner", domain="h"),
              guiclass="kg.apc.jmeter.control.ParameterizedControllerGui")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(ctrl)))
    source = f"{TG}/kg.apc.jmeter.control.ParameterizedController[1]"
    diag = diagnostic(report, "JMX408", "error", source, "as admin")
    assert "ParameterizedController" in diag["message"] and diag["action"] == "children inlined"
    assert status(report, source) == "not_converted"
    assert status(report, f"{source}/HTTPSamplerProxy[1]") == "converted"
    assert [c["name"] for c in cards(plan_doc)] == ["inner"]


def test_jmx502_timer_delay_known_only_at_run_time(tmp_path: pathlib.Path) -> None:
    timer = el("ConstantTimer", "think", s("ConstantTimer.delay", "${think_ms}"), guiclass="ConstantTimerGui")
    plan_doc, report = run(tmp_path, plan(tg(timer + http("a", domain="h"))))
    diag = diagnostic(report, "JMX502", "error", f"{TG}/ConstantTimer[1]", "think")
    assert "${think_ms}" in diag["message"] and diag["action"] == "no think time"
    assert status(report, f"{TG}/ConstantTimer[1]") == "not_converted"
    content = next(op for op in plan_doc["operations"] if op["id"] == "case:tg:content")["body"]["contents"]
    assert [item["content_type"] for step in content for item in step["content"]] == [2]  # no think-time card


def test_jmx502_only_for_expressions_a_range_of_plain_text_is_read_as_0(tmp_path: pathlib.Path) -> None:
    # RandomTimer.getRange is getPropertyAsDouble: text that is not a number is 0 (AbstractProperty), not dynamic
    timer = el(
        "UniformRandomTimer", "jitter", s("ConstantTimer.delay", "300") + s("RandomTimer.range", "abc")
    )
    plan_doc, report = run(tmp_path, plan(tg(timer + http("a", domain="h"))))
    assert "JMX502" not in codes(report)
    diag = diagnostic(report, "JMX520", "info", f"{TG}/UniformRandomTimer[1]", "jitter")
    assert "'abc'" in diag["message"] and diag["action"] == "0 ms"
    content = next(op for op in plan_doc["operations"] if op["id"] == "case:tg:content")["body"]["contents"]
    thinks = [
        item["content"]["t"] for step in content for item in step["content"] if item["content_type"] == 1
    ]
    assert thinks == [300]  # the offset, with no spread


def test_jmx602_response_assertion_on_request_headers_not_converted(tmp_path: pathlib.Path) -> None:
    assertion = el("ResponseAssertion", "sent trace header",
                   '<collectionProp name="Asserion.test_strings"><stringProp name="1">X-Trace</stringProp></collectionProp>'
                   + s("Assertion.test_field", "Assertion.request_headers") + b("Assertion.assume_success", False)
                   + i("Assertion.test_type", 16), guiclass="AssertionGui")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(http("a", domain="h", children=assertion))))
    source = f"{TG}/HTTPSamplerProxy[1]/ResponseAssertion[1]"
    diag = diagnostic(report, "JMX602", "error", source, "sent trace header")
    assert "Assertion.request_headers" in diag["message"] and diag["action"] == "not converted"
    assert status(report, source) == "not_converted"
    assert "X-Trace" not in json.dumps(plan_doc["operations"])  # no checkpoint made of it


# -- codes only the corpus tests made -------------------------------------------------------------


def test_jmx101_sampler_without_a_host_keeps_a_relative_url(tmp_path: pathlib.Path) -> None:
    plan_doc, report = run(tmp_path, plan(tg(http("items", "api/items"))))
    diag = diagnostic(report, "JMX101", "warning", f"{TG}/HTTPSamplerProxy[1]", "items")
    assert diag["action"] == "relative URL kept"
    assert status(report, f"{TG}/HTTPSamplerProxy[1]") == "approximated"
    assert cards(plan_doc)[0]["url"] == "/api/items"


def test_jmx107_sampler_proxy_dropped(tmp_path: pathlib.Path) -> None:
    proxied = http(
        "via proxy",
        domain="h",
        extra=s("HTTPSampler.proxyHost", "proxy.corp") + s("HTTPSampler.proxyPort", "3128"),
    )
    plan_doc, report = run(tmp_path, plan(tg(proxied)))
    diag = diagnostic(report, "JMX107", "warning", f"{TG}/HTTPSamplerProxy[1]", "via proxy")
    assert diag["action"] == "dropped"
    assert "proxy.corp" not in json.dumps(plan_doc["operations"]) and cards(plan_doc)[0]["url"] == "http://h/"


def test_jmx206_action_on_sampler_error_not_reproduced(tmp_path: pathlib.Path) -> None:
    group = tg(http("a", domain="h"), extra=s("ThreadGroup.on_sample_error", "stopthread"))
    plan_doc, report = run(
        tmp_path,
        plan(
            group + tg(http("b", domain="h"), name="TG2", extra=s("ThreadGroup.on_sample_error", "continue"))
        ),
    )
    diag = diagnostic(report, "JMX206", "warning", TG, "TG")
    assert (
        diag["message"] == "on sampler error: stopthread"
        and diag["action"] == "PerfTest's default error handling"
    )
    assert [c["name"] for c in cards(plan_doc)] == ["a", "b"]  # "continue" (JMeter's default) is no JMX206


def test_jmx302_user_parameters_one_value_per_user(tmp_path: pathlib.Path) -> None:
    params = el("UserParameters", "per user",
                '<collectionProp name="UserParameters.names"><stringProp name="1">user</stringProp></collectionProp>'
                '<collectionProp name="UserParameters.thread_values">'
                '<collectionProp name="t1"><stringProp name="a">amy</stringProp></collectionProp>'
                '<collectionProp name="t2"><stringProp name="b">bob</stringProp></collectionProp></collectionProp>'
                + b("UserParameters.per_iteration", False), guiclass="UserParametersGui")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(params + http("a", "/u/${user}", domain="h"))))
    diag = diagnostic(report, "JMX302", "warning", f"{TG}/UserParameters[1]", "per user")
    assert diag["message"] == "1 parameter(s) became enum variables with one value per user"
    assert variables(plan_doc)["user"]["variable"] == ["amy", "bob"]
    assert cards(plan_doc)[0]["url"] == "http://h/u/${user}"


def test_jmx308_cache_manager_not_emulated(tmp_path: pathlib.Path) -> None:
    cache = el(
        "CacheManager",
        "cache",
        b("clearEachIteration", False) + b("useExpires", True),
        guiclass="CacheManagerGui",
    )
    plan_doc, report = run(tmp_path, plan(tg(cache + http("a", domain="h") + http("a again", domain="h"))))
    diag = diagnostic(report, "JMX308", "warning", f"{TG}/CacheManager[1]", "cache")
    assert diag["action"] == "every request is sent"
    assert [c["name"] for c in cards(plan_doc)] == ["a", "a again"]


def test_jmx409_children_of_a_resolved_module_controller_are_ignored(tmp_path: pathlib.Path) -> None:
    # JMeter.convertSubTree: tree.set(controller, replacementTree) replaces the Module Controller's own children
    fragment = el("TestFragmentController", "Frag", "", http("login", domain="h"))
    path = ('<collectionProp name="ModuleController.node_path">' + s("1", "Test Plan") + s("2", "Plan")
            + s("3", "Frag") + "</collectionProp>")  # fmt: skip
    module = el("ModuleController", "use", path, http("own child", domain="h"))
    plan_doc, report = run(tmp_path, plan(fragment + tg(module)))
    source = f"{TG}/ModuleController[1]/HTTPSamplerProxy[1]"
    diag = diagnostic(report, "JMX409", "info", source, "own child")
    assert diag["action"] == "skipped" and status(report, source) == "filtered"
    assert [c["name"] for c in cards(plan_doc)] == ["login"]


def test_jmx503_scripted_timer_not_converted(tmp_path: pathlib.Path) -> None:
    timer = el(
        "JSR223Timer",
        "script wait",
        s("scriptLanguage", "groovy") + s("script", "return 100"),
        guiclass="TestBeanGUI",
    )
    plan_doc, report = run(tmp_path, plan(tg(timer + http("a", domain="h"))))
    diag = diagnostic(report, "JMX503", "error", f"{TG}/JSR223Timer[1]", "script wait")
    assert diag["action"] == "no think time" and status(report, f"{TG}/JSR223Timer[1]") == "not_converted"
    content = next(op for op in plan_doc["operations"] if op["id"] == "case:tg:content")["body"]["contents"]
    assert [item["content_type"] for step in content for item in step["content"]] == [2]


def test_jmx603_and_jmx604_assertions_approximated_or_empty(tmp_path: pathlib.Path) -> None:
    empty = el(
        "DurationAssertion", "no max", s("DurationAssertion.duration", ""), guiclass="DurationAssertionGui"
    )
    document = el("ResponseAssertion", "doc",
                  '<collectionProp name="Asserion.test_strings"><stringProp name="1">Welcome</stringProp></collectionProp>'
                  + s("Assertion.test_field", "Assertion.response_data_as_document") + i("Assertion.test_type", 16),
                  guiclass="AssertionGui")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(http("a", domain="h", children=empty + document))))
    sampler = f"{TG}/HTTPSamplerProxy[1]"
    skipped = diagnostic(report, "JMX604", "info", f"{sampler}/DurationAssertion[1]", "no max")
    assert skipped["message"] == "no maximum duration set" and skipped["action"] == "skipped"
    approx = diagnostic(report, "JMX603", "warning", f"{sampler}/ResponseAssertion[1]", "doc")
    assert "Tika" in approx["message"] and approx["action"] == "body check"
    assert status(report, f"{sampler}/ResponseAssertion[1]") == "approximated"
    content = next(op for op in plan_doc["operations"] if op["id"] == "case:tg:content")["body"]["contents"]
    checks = [item["content"] for step in content for item in step["content"] if item["content_type"] == 3]
    assert [c["body"] for c in checks] == [[{"condition": "contains", "value": "Welcome"}]]  # on the raw body


def test_jmx704_jmx705_jmx706_processors_not_converted_skipped_or_empty(tmp_path: pathlib.Path) -> None:
    action = el("ResultAction", "stop on error", i("OnError.action", 2), guiclass="ResultActionGui")
    debug = el("DebugPostProcessor", "debug", b("displayJMeterVariables", True), guiclass="TestBeanGUI")
    nameless = el("RegexExtractor", "no name", s("RegexExtractor.refname", "") + s("RegexExtractor.regex", "id=(\\d+)")
                  + s("RegexExtractor.template", "$1$"), guiclass="RegexExtractorGui")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(http("a", domain="h", children=action + debug + nameless))))
    sampler = f"{TG}/HTTPSamplerProxy[1]"
    unsupported = diagnostic(report, "JMX704", "error", f"{sampler}/ResultAction[1]", "stop on error")
    assert unsupported["message"] == "ResultAction has no PerfTest equivalent"
    assert status(report, f"{sampler}/ResultAction[1]") == "not_converted"
    diagnostic(report, "JMX705", "info", f"{sampler}/DebugPostProcessor[1]", "debug")
    assert status(report, f"{sampler}/DebugPostProcessor[1]") == "filtered"
    empty = diagnostic(report, "JMX706", "warning", f"{sampler}/RegexExtractor[1]", "no name")
    assert empty["action"] == "skipped"
    assert "id=(" not in json.dumps(plan_doc["operations"])  # no extraction made of it


def test_jmx803_samplers_where_jmeter_does_not_run_them(tmp_path: pathlib.Path) -> None:
    xml = plan(http("outside", domain="h") + tg(http("a", domain="h", children=http("nested", domain="h"))))
    plan_doc, report = run(tmp_path, xml)
    found = [
        (d["severity"], d["location"], d["message"], d["action"])
        for d in report["diagnostics"]
        if d["code"] == "JMX803"
    ]
    assert found == [
        ("error", {"source": "jmx:/TestPlan/HTTPSamplerProxy[1]", "name": "outside"},
         "HTTPSamplerProxy outside a thread group is not run by JMeter", "not converted"),
        ("error", {"source": f"{TG}/HTTPSamplerProxy[1]/HTTPSamplerProxy[1]", "name": "nested"},
         "HTTPSamplerProxy under a sampler is not run by JMeter", "not converted"),
    ]  # fmt: skip
    assert status(report, "jmx:/TestPlan/HTTPSamplerProxy[1]") == "not_converted"
    assert [c["name"] for c in cards(plan_doc)] == ["a"]


def test_jmx805_workbench_content_is_skipped(tmp_path: pathlib.Path) -> None:
    # JMeter 2.x/3.x files hold a WorkBench next to the Test Plan; it is never run
    bench = el(
        "WorkBench",
        "WorkBench",
        b("WorkBench.save", True),
        http("scratch", domain="h"),
        guiclass="WorkBenchGui",
    )
    xml = plan(tg(http("a", domain="h"))).replace(
        "</hashTree></hashTree></jmeterTestPlan>", "</hashTree>" + bench + "</hashTree></jmeterTestPlan>"
    )
    plan_doc, report = run(tmp_path, xml)
    diag = diagnostic(report, "JMX805", "info", "jmx:/WorkBench[1]", "WorkBench")
    assert diag["action"] == "skipped"
    assert status(report, "jmx:/WorkBench[1]/HTTPSamplerProxy[1]") == "filtered"
    assert [c["name"] for c in cards(plan_doc)] == ["a"]


def test_jmx902_numeric_setting_that_is_not_a_number(tmp_path: pathlib.Path) -> None:
    # (the number of threads has its own code, JMX223: JMeter starts no thread then)
    plan_doc, report = run(tmp_path, plan(tg(http("a", domain="h"), threads="4", ramp="ten")))
    diag = diagnostic(report, "JMX902", "warning", TG, "TG")
    assert diag["message"] == "ramp-up 'ten' is not a number" and diag["action"] == "used 0"
    assert [st["issue_num"] for st in stages(plan_doc)] == [4]


# -- codes some test made but none asserted -------------------------------------------------------


def test_jmx108_jmx109_tcp_and_websocket_samplers_converted(tmp_path: pathlib.Path) -> None:
    tcp = el("TCPSampler", "tcp", s("TCPSampler.server", "10.0.0.1") + s("TCPSampler.port", "9000")
             + s("TCPSampler.request", "PING") + s("TCPSampler.classname", "BinaryTCPClientImpl"))  # fmt: skip
    ws = el("eu.luminis.jmeter.wssampler.RequestResponseWebSocketSampler", "ws",
            s("server", "chat.example") + s("port", "443") + s("path", "/ws") + b("TLS", True) + s("requestData", "hi")
            + b("createNewConnection", True))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(tcp + ws)))
    tcp_diag = diagnostic(report, "JMX108", "warning", f"{TG}/TCPSampler[1]", "tcp")
    assert tcp_diag["message"] == "TCP request to 10.0.0.1:9000" and "client class" in tcp_diag["action"]
    source = f"{TG}/eu.luminis.jmeter.wssampler.RequestResponseWebSocketSampler[1]"
    ws_diag = diagnostic(report, "JMX109", "warning", source, "ws")
    assert ws_diag["message"] == "RequestResponseWebSocketSampler -> WebSocket SEND wss://chat.example/ws"
    assert [(c["protocol_type"], c["url"]) for c in cards(plan_doc)] == [
        (3, "tcp://10.0.0.1:9000"),
        (9, "wss://chat.example/ws"),
    ]


def test_jmx203_concurrency_thread_group_schedule(tmp_path: pathlib.Path) -> None:
    group = el("com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup", "conc",
               s("TargetLevel", "10") + s("RampUp", "") + s("Steps", "") + s("Hold", "2") + s("Unit", "M"),
               http("c", domain="h"))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(group))
    source = "jmx:/TestPlan/com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup[1]"
    diag = diagnostic(report, "JMX203", "info", source, "conc")
    assert (
        diag["message"] == "target 10 users, ramp 0 s in smooth step(s), hold 120 s"
        and diag["action"] == "1 stage(s)"
    )
    assert [(st["issue_num"], st["time"]) for st in stages(plan_doc)] == [(10, 120)]


def test_jmx301_jmx303_jmx306_jmx307_variables_csv_and_cookies(tmp_path: pathlib.Path) -> None:
    (tmp_path / "users.csv").write_text("amy,pw1\nbob,pw2\n", encoding="utf-8")
    csv = _csv("users", "users.csv")
    cookie = el("CookieManager", "cookies",
                '<collectionProp name="CookieManager.cookies"><elementProp name="lang" elementType="Cookie">'
                + s("Cookie.value", "en") + s("Cookie.domain", "h") + s("Cookie.path", "/") + "</elementProp></collectionProp>"
                + b("CookieManager.clearEachIteration", False), guiclass="CookiePanel")  # fmt: skip
    xml = plan(
        _udv("vars", "host", "shop.example")
        + tg(cookie + csv + http("login", "/login?u=${user}", domain="${host}"))
    )
    plan_doc, report = run(tmp_path, xml)
    udv = diagnostic(report, "JMX301", "info", "jmx:/TestPlan/Arguments[1]", "vars")
    assert udv["message"] == "1 variable(s) converted to enum variables"
    rows = diagnostic(report, "JMX303", "warning", f"{TG}/CSVDataSet[1]", "users")
    assert rows["message"] == "users.csv: 2 row(s) became 2 enum variable(s) (user, pass)"
    engine = diagnostic(report, "JMX306", "warning", f"{TG}/CookieManager[1]", "cookies")
    assert engine["action"] == "no explicit cookie handling in the plan"
    header = diagnostic(report, "JMX307", "warning", f"{TG}/CookieManager[1]", "cookies")
    assert header["action"] == "a Cookie header on every request in scope"
    found = variables(plan_doc)
    assert (found["host"]["variable"], found["user"]["variable"], found["pass"]["variable"]) == (
        ["shop.example"], ["amy", "bob"], ["pw1", "pw2"],
    )  # fmt: skip
    assert cards(plan_doc)[0]["url"] == "http://${host}/login?u=${user}"
    assert cards(plan_doc)[0]["headers"] == [{"key": "Cookie", "value": "lang=en"}]


def test_jmx401_nested_transaction_flattened(tmp_path: pathlib.Path) -> None:
    inner = el("TransactionController", "inner", "", http("c", domain="h"))
    outer = el("TransactionController", "outer", "", http("a", domain="h") + inner)
    plan_doc, report = run(tmp_path, plan(tg(outer)))
    source = f"{TG}/TransactionController[1]/TransactionController[1]"
    diag = diagnostic(report, "JMX401", "warning", source, "inner")
    assert diag["action"] == "its steps are part of the outer transaction"
    temps = [op["body"]["name"] for op in plan_doc["operations"] if op["operation"] == "CreateTemp"]
    assert temps == ["outer"] and [c["name"] for c in cards(plan_doc)] == ["a", "c"]


def test_jmx403_if_condition_in_a_script_language(tmp_path: pathlib.Path) -> None:
    cond = el(
        "IfController",
        "js",
        s("IfController.condition", "vars.get('a').length() > 2 && true"),
        http("e", domain="h"),
    )
    plan_doc, report = run(tmp_path, plan(tg(cond)))
    diag = diagnostic(report, "JMX403", "error", f"{TG}/IfController[1]", "js")
    assert "script expression" in diag["message"] and diag["action"] == "kept as text"
    assert status(report, f"{TG}/IfController[1]") == "not_converted"
    assert [c["name"] for c in cards(plan_doc)] == ["e"]


def test_jmx405_jmx407_module_controller_target_missing_or_inlined(tmp_path: pathlib.Path) -> None:
    fragment = el("TestFragmentController", "Frag", "", http("login", domain="h"))
    found = (
        '<collectionProp name="ModuleController.node_path">'
        + s("1", "Test Plan")
        + s("2", "Plan")
        + s("3", "Frag")
        + "</collectionProp>"
    )
    lost = '<collectionProp name="ModuleController.node_path">' + s("1", "Nowhere") + "</collectionProp>"
    plan_doc, report = run(
        tmp_path,
        plan(fragment + tg(el("ModuleController", "use", found) + el("ModuleController", "lost", lost))),
    )
    inlined = diagnostic(report, "JMX407", "info", f"{TG}/ModuleController[1]", "use")
    assert inlined["message"] == "inlined jmx:/TestPlan/TestFragmentController[1]"
    missing = diagnostic(report, "JMX405", "error", f"{TG}/ModuleController[2]", "lost")
    assert missing["message"] == "target Nowhere not found" and missing["action"] == "nothing inlined"
    assert status(report, f"{TG}/ModuleController[2]") == "not_converted"
    assert [c["name"] for c in cards(plan_doc)] == ["login"]


def test_jmx501_jmx504_random_timer_mean_and_synchronizing_timer(tmp_path: pathlib.Path) -> None:
    uniform = el("UniformRandomTimer", "uni", s("ConstantTimer.delay", "100") + s("RandomTimer.range", "50"))
    sync = el("SyncTimer", "sync", s("groupSize", "5") + s("timeoutInMs", "2000"))
    plan_doc, report = run(tmp_path, plan(tg(http("t", domain="h", children=uniform + sync))))
    sampler = f"{TG}/HTTPSamplerProxy[1]"
    mean = diagnostic(report, "JMX501", "warning", f"{sampler}/UniformRandomTimer[1]", "uni")
    assert mean["message"].endswith("-> 125 ms") and mean["action"] == "fixed think time at the mean"
    rendezvous = diagnostic(report, "JMX504", "info", f"{sampler}/SyncTimer[1]", "sync")
    assert rendezvous["message"] == "rendezvous of 5 users (timeout 2000 ms)"
    content = next(op for op in plan_doc["operations"] if op["id"] == "case:tg:content")["body"]["contents"]
    assert [step["data_type"] for step in content] == [0, 301, 0]  # think time, rendezvous, request
    assert content[0]["content"][0] == {"content_type": 1, "content": {"name": "think_time", "t": 125}}


def test_jmx505_jmx506_throughput_timers_whole_group_or_part(tmp_path: pathlib.Path) -> None:
    ctt = el("ConstantThroughputTimer", "ctt", "<doubleProp><name>throughput</name><value>600.0</value>"
             "<savedValue>0.0</savedValue></doubleProp>" + i("calcMode", 2))  # fmt: skip
    nested = el("PreciseThroughputTimer", "nested", s("throughput", "10") + s("throughputPeriod", "1"))
    group = tg(
        ctt + el("GenericController", "g", "", nested + http("a", domain="h")), threads="4", loops="-1"
    )
    plan_doc, report = run(tmp_path, plan(group))
    paced = diagnostic(report, "JMX505", "warning", f"{TG}/ConstantThroughputTimer[1]", "ctt")
    assert paced["message"].startswith("ConstantThroughputTimer: 600/min -> TPS 10; JMeter counts samples")
    partial = diagnostic(
        report, "JMX506", "error", f"{TG}/GenericController[1]/PreciseThroughputTimer[1]", "nested"
    )
    assert partial["action"] == "not converted"
    assert [(st["pressure_mode"], st["tps_value"]) for st in stages(plan_doc)] == [(1, 10)]


def test_jmx702_regex_template_of_several_groups_extracts_one(tmp_path: pathlib.Path) -> None:
    regex = el("RegexExtractor", "pair", s("RegexExtractor.refname", "pair") + s("RegexExtractor.regex", "(\\w+)=(\\d+)")
               + s("RegexExtractor.template", "$1$-$2$") + s("RegexExtractor.default", "") + s("RegexExtractor.match_number", "1"),
               guiclass="RegexExtractorGui")  # fmt: skip
    plan_doc, report = run(tmp_path, plan(tg(http("a", domain="h", children=regex))))
    diag = diagnostic(report, "JMX702", "warning", f"{TG}/HTTPSamplerProxy[1]/RegexExtractor[1]", "pair")
    assert diag["action"] == "group 1" and "$1$-$2$" in diag["message"]
    assert "(\\\\w+)=(\\\\d+)" in json.dumps(plan_doc["operations"])  # the extraction is made, of group 1


def test_jmx801_jmx802_listener_and_disabled_element_filtered(tmp_path: pathlib.Path) -> None:
    listener = el("ResultCollector", "View Results Tree", b("ResultCollector.error_logging", False),
                  guiclass="ViewResultsFullVisualizer")  # fmt: skip
    plan_doc, report = run(
        tmp_path, plan(tg(http("on", domain="h") + listener + http("off", domain="h", enabled=False)))
    )
    skipped = diagnostic(report, "JMX801", "info", f"{TG}/ResultCollector[1]", "View Results Tree")
    assert skipped["action"] == "skipped" and status(report, f"{TG}/ResultCollector[1]") == "filtered"
    disabled = diagnostic(report, "JMX802", "info", f"{TG}/HTTPSamplerProxy[2]", "off")
    assert (
        disabled["action"] == "skipped with its subtree"
        and status(report, f"{TG}/HTTPSamplerProxy[2]") == "filtered"
    )
    assert [c["name"] for c in cards(plan_doc)] == ["on"]
