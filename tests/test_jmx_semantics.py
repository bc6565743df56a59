"""JMeter semantics the JMX reader must reproduce exactly (checked against JMeter's sources): how HTTP
parameters become a query, a form, a raw body or multipart parts; how HTTP Request Defaults and Header
Managers merge; expressions, CSV, assertions, extractors and controllers whose meaning is easy to get wrong."""

from __future__ import annotations

import pathlib

from tests.test_jmx_support import (
    args,
    b,
    convert,
    el,
    files,
    header_manager,
    http,
    plan,
    requests,
    row,
    s,
    tg,
)


def _defaults(name: str, props: str = "", params: str = "") -> str:
    return el("ConfigTestElement", name, props + params, guiclass="HttpDefaultsGui")


def test_defaults_raw_body_applies_to_a_sampler_without_parameters(tmp_path: pathlib.Path) -> None:
    defaults = _defaults(
        "d", s("HTTPSampler.domain", "h") + b("HTTPSampler.postBodyRaw", True), args(("", '{"k": 1}'))
    )
    post = el(
        "HTTPSamplerProxy",
        "post",
        s("HTTPSampler.path", "/p") + s("HTTPSampler.method", "POST") + args(),
        guiclass="HttpTestSampleGui",
    )
    sc = convert(tmp_path, plan(tg(defaults + post)))
    body = requests(sc.cases[0].steps)[0].body
    assert body is not None and (body.kind, body.text) == ("raw", '{"k": 1}')


def test_nameless_parameters_are_a_raw_body_even_without_the_raw_flag(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(http("p", "/p", method="POST", domain="h", params=(("", "<x/>"),)))))
    body = requests(sc.cases[0].steps)[0].body
    assert body is not None and (body.kind, body.text) == ("raw", "<x/>")


def test_defaults_parameters_are_appended_not_deduplicated(tmp_path: pathlib.Path) -> None:
    defaults = _defaults("d", s("HTTPSampler.domain", "h"), args(("a", "2"), ("b", "3")))
    sc = convert(tmp_path, plan(tg(defaults + http("g", "/s", params=(("a", "1"),)))))
    assert requests(sc.cases[0].steps)[0].url == "http://h/s?a=1&a=2&b=3"


def test_delete_parameters_go_to_the_query_and_a_form(tmp_path: pathlib.Path) -> None:
    sc = convert(
        tmp_path,
        plan(
            tg(
                http("del", "/r", method="DELETE", domain="h", params=(("id", "7"),))
                + http("put", "/r", method="PUT", domain="h", params=(("id", "7"),))
            )
        ),
    )
    delete, put = requests(sc.cases[0].steps)
    # HTTPSamplerBase.getUrl puts them in the query, and HTTPHC4Impl's HttpDelete carries them as a form too
    assert delete.url == "http://h/r?id=7"
    assert delete.body is not None and delete.body.kind == "form"
    assert [(f.name, f.value) for f in delete.body.fields] == [("id", "7")]
    assert put.url == "http://h/r"
    assert put.body is not None and put.body.kind == "form"
    assert [(f.name, f.value) for f in put.body.fields] == [("id", "7")]


def test_form_fields_not_marked_encode_are_decoded_once(tmp_path: pathlib.Path) -> None:
    sampler = el(
        "HTTPSamplerProxy",
        "f",
        s("HTTPSampler.domain", "h")
        + s("HTTPSampler.path", "/f")
        + s("HTTPSampler.method", "POST")
        + args(("q", "a%20b+c"), ("when", "${t}")),
        guiclass="HttpTestSampleGui",
    )
    encoded = el(
        "HTTPSamplerProxy",
        "e",
        s("HTTPSampler.domain", "h")
        + s("HTTPSampler.path", "/f")
        + s("HTTPSampler.method", "POST")
        + args(("r", "x+y & z"), encode=True),
        guiclass="HttpTestSampleGui",
    )
    sc = convert(tmp_path, plan(tg(sampler + encoded)))
    plain, enc = requests(sc.cases[0].steps)
    assert plain.body is not None and [(f.name, f.value) for f in plain.body.fields] == [
        ("q", "a b c"),
        ("when", "${t}"),
    ]
    # the field holds the value itself: PerfTest encodes form fields when it sends them
    assert enc.body is not None and [(f.name, f.value) for f in enc.body.fields] == [("r", "x+y & z")]


def test_query_skips_nameless_parameters_and_keeps_the_metadata(tmp_path: pathlib.Path) -> None:
    items = (
        '<elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments">'
        '<elementProp name="flag" elementType="HTTPArgument">'
        + s("Argument.name", "flag")
        + s("Argument.value", "")
        + s("Argument.metadata", "")
        + "</elementProp>"
        '<elementProp name="k" elementType="HTTPArgument">'
        + s("Argument.name", "k")
        + s("Argument.value", "v")
        + s("Argument.metadata", "=")
        + "</elementProp>"
        "</collectionProp></elementProp>"
    )
    sampler = el(
        "HTTPSamplerProxy",
        "g",
        s("HTTPSampler.domain", "h") + s("HTTPSampler.path", "/q") + s("HTTPSampler.method", "GET") + items,
        guiclass="HttpTestSampleGui",
    )
    sc = convert(tmp_path, plan(tg(sampler)))
    assert requests(sc.cases[0].steps)[0].url == "http://h/q?flag&k=v"


def test_a_single_unnamed_file_is_the_whole_body(tmp_path: pathlib.Path) -> None:
    upload = files(("/data/order.json", "", "application/json"))
    sc = convert(tmp_path, plan(tg(http("up", "/o", method="POST", domain="h", extra=upload))))
    body = requests(sc.cases[0].steps)[0].body
    assert body is not None and (body.kind, body.text, body.content_type) == ("raw", "", "application/json")
    assert "JMX103" in row(sc, "up").codes


def test_multipart_flag_on_a_get_keeps_the_query(tmp_path: pathlib.Path) -> None:
    extra = b("HTTPSampler.DO_MULTIPART_POST", True)
    sc = convert(tmp_path, plan(tg(http("g", "/s", domain="h", params=(("a", "1"),), extra=extra))))
    request = requests(sc.cases[0].steps)[0]
    assert (request.url, request.body) == ("http://h/s?a=1", None)


def test_same_level_managers_and_defaults_first_one_wins(tmp_path: pathlib.Path) -> None:
    xml = plan(
        tg(
            _defaults("d1", s("HTTPSampler.domain", "first.example"))
            + _defaults("d2", s("HTTPSampler.domain", "second.example") + s("HTTPSampler.port", "8080"))
            + header_manager("h1", ("Accept", "text/html"))
            + header_manager("h2", ("accept", "application/json"), ("X-Two", "2"))
            + http("r", "/")
        )
    )
    sc = convert(tmp_path, xml)
    request = requests(sc.cases[0].steps)[0]
    assert request.url == "http://first.example:8080/"
    assert {h.name.lower(): h.value for h in request.headers} == {"accept": "text/html", "x-two": "2"}


# -- expressions and variables ----------------------------------------------------------------------------


def test_property_default_is_the_third_argument_of___property() -> None:
    from converter.expressions import render

    assert render("${__property(threads,,25)}").text == "25"
    assert render("${__property(threads)}").text == "threads"
    assert render("${__P(threads,25)}").text == "25"
    stored = render("${__property(threads,T,25)}")
    assert stored.text == "25" and "EXP003" in {i.code for i in stored.issues}
    assert render("${__property(threads,,25)}", {"threads": "9"}).text == "9"


def test_udv_values_use_earlier_variables_and_flag_functions(tmp_path: pathlib.Path) -> None:
    udv = el(
        "Arguments",
        "vars",
        '<collectionProp name="Arguments.arguments">'
        + "".join(
            f'<elementProp name="{k}" elementType="Argument">{s("Argument.name", k)}{s("Argument.value", v)}</elementProp>'
            for k, v in (("host", "api.example"), ("base", "https://${host}/v1"), ("run", "${__time()}"))
        )
        + "</collectionProp>",
        guiclass="ArgumentsPanel",
    )
    sc = convert(tmp_path, plan(udv + tg(http("r", "/", domain="${host}"))))
    values = {v.name: v.values for v in sc.variables}
    assert values["base"] == ["https://api.example/v1"]
    assert values["run"] == ["${__time()}"]
    assert "EXP003" in row(sc, "vars").codes


def _csv_node(name: str, file: str, **props: str | bool) -> str:
    body = s("filename", file)
    for key, value in props.items():
        body += b(key, value) if isinstance(value, bool) else s(key, value)
    return el("CSVDataSet", name, body, testclass="CSVDataSet", guiclass="TestBeanGUI")


def test_csv_variable_names_are_comma_separated_whatever_the_delimiter(tmp_path: pathlib.Path) -> None:
    (tmp_path / "users.csv").write_text("alice;s3cret\nbob;pa;ss\n", encoding="utf-8")
    (tmp_path / "multi.csv").write_text("a||b\nc||d\n", encoding="utf-8")
    csv1 = _csv_node("c1", "users.csv", delimiter=";", variableNames="user,pass", shareMode="shareMode.all")
    csv2 = _csv_node("c2", "multi.csv", delimiter="||", variableNames="x,y")
    sc = convert(tmp_path, plan(tg(csv1 + csv2 + http("r", "/", domain="h"))))
    values = {v.name: v.values for v in sc.variables}
    assert values["user"] == ["alice", "bob"] and values["pass"] == ["s3cret", "pa"]
    assert values["x"] == ["a", "c"] and values["y"] == ["b", "d"]


def test_csv_end_of_file_settings_are_reported(tmp_path: pathlib.Path) -> None:
    (tmp_path / "once.csv").write_text("u1\nu2\n", encoding="utf-8")
    stop = _csv_node("stop", "once.csv", variableNames="u", recycle=False, stopThread=True)
    eof = _csv_node("eof", "once.csv", variableNames="v", recycle=False, stopThread=False)
    sc = convert(tmp_path, plan(tg(stop + eof + http("r", "/", domain="h"))))
    messages = [d.message for d in sc.diagnostics if d.code == "JMX316"]
    assert any("Stop thread on EOF" in m for m in messages)
    assert any("'<EOF>'" in m for m in messages)


# -- assertions, extractors, controllers ------------------------------------------------------------------


def _ra(name: str, bits: int, *patterns: str, extra: str = "") -> str:
    strings = "".join(f'<stringProp name="{i}">{p}</stringProp>' for i, p in enumerate(patterns))
    return el(
        "ResponseAssertion",
        name,
        f'<collectionProp name="Asserion.test_strings">{strings}</collectionProp>'
        + s("Assertion.test_field", "Assertion.response_data")
        + f'<intProp name="Assertion.test_type">{bits}</intProp>'
        + extra,
        guiclass="AssertionGui",
    )


def test_response_assertion_mode_priority_follows_jmeter(tmp_path: pathlib.Path) -> None:
    sc = convert(
        tmp_path,
        plan(
            tg(http("a", domain="h", children=_ra("not-only", 4, "ok") + _ra("contains+equals", 2 | 8, "ok")))
        ),
    )
    not_only, both = requests(sc.cases[0].steps)[0].checks
    assert (not_only.operator, not_only.values, not_only.negate) == ("regex", ["^(?:ok)$"], True)
    assert (both.operator, both.values) == ("regex", ["ok"])


def test_assertion_and_extractor_on_a_variable_are_not_applied_to_the_response(
    tmp_path: pathlib.Path,
) -> None:
    on_var = _ra("on-var", 2, "ok", extra=s("Assertion.scope", "variable") + s("Scope.variable", "token"))
    regex = el(
        "RegexExtractor",
        "rx",
        s("RegexExtractor.refname", "id")
        + s("RegexExtractor.regex", "id=(\\d+)")
        + s("Sample.scope", "variable")
        + s("Scope.variable", "payload"),
        guiclass="RegexExtractorGui",
    )
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=on_var + regex))))
    request = requests(sc.cases[0].steps)[0]
    assert (request.checks, request.extracts) == ([], [])
    assert row(sc, "on-var").status == "not_converted" and "JMX601" in row(sc, "on-var").codes
    assert row(sc, "rx").status == "not_converted" and "JMX701" in row(sc, "rx").codes


def test_conditions_strict_equality_and_while_on_a_variable(tmp_path: pathlib.Path) -> None:
    if_js = el(
        "IfController",
        "if",
        s("IfController.condition", '"${role}" === "admin"'),
        http("x", domain="h"),
        guiclass="IfControllerPanel",
    )
    while_var = el(
        "WhileController",
        "while",
        s("WhileController.condition", "${more}"),
        http("y", domain="h"),
        guiclass="WhileControllerGui",
    )
    sc = convert(tmp_path, plan(tg(if_js + while_var)))
    cond, loop = sc.cases[0].steps
    assert (cond.left, cond.operator, cond.right) == ("${role}", "==", "admin")
    assert loop.condition == "${more} != false"


def test_if_with_variable_expression_flag_and_bare_comparison_is_reported(tmp_path: pathlib.Path) -> None:
    node = el(
        "IfController",
        "if",
        s("IfController.condition", '"${role}" == "admin"') + b("IfController.useExpression", True),
        http("x", domain="h"),
        guiclass="IfControllerPanel",
    )
    sc = convert(tmp_path, plan(tg(node)))
    assert "JMX404" in row(sc, "if").codes


def test_new_user_on_each_iteration_is_reported(tmp_path: pathlib.Path) -> None:
    group = tg(http("r", domain="h"), name="fresh", extra=b("ThreadGroup.same_user_on_next_iteration", False))
    sc = convert(tmp_path, plan(group))
    assert "JMX209" in row(sc, "fresh").codes
    same = convert(tmp_path, plan(tg(http("r", domain="h"), name="same")))
    assert "JMX209" not in row(same, "same").codes


def test_flow_control_action_without_an_action_is_a_stop(tmp_path: pathlib.Path) -> None:
    node = el("TestAction", "fca", s("ActionProcessor.duration", "500"), guiclass="TestActionGui")
    sc = convert(tmp_path, plan(tg(node + http("r", domain="h"))))
    assert "JMX110" in row(sc, "fca").codes
    assert [type(step).__name__ for step in sc.cases[0].steps] == ["Request"]


def test_transaction_timer_exclusion_and_parent_sample_are_reported(tmp_path: pathlib.Path) -> None:
    timer = el("ConstantTimer", "wait", s("ConstantTimer.delay", "300"), guiclass="ConstantTimerGui")
    excluding = el(
        "TransactionController",
        "excl",
        b("TransactionController.includeTimers", False) + b("TransactionController.parent", True),
        timer + http("r", domain="h"),
        guiclass="TransactionControllerGui",
    )
    including = el(
        "TransactionController",
        "incl",
        b("TransactionController.includeTimers", True),
        timer + http("q", domain="h"),
        guiclass="TransactionControllerGui",
    )
    no_timer = el(
        "TransactionController",
        "bare",
        b("TransactionController.includeTimers", False),
        http("p", domain="h"),
        guiclass="TransactionControllerGui",
    )
    sc = convert(tmp_path, plan(tg(excluding + including + no_timer)))
    assert {"JMX410", "JMX411"} <= set(row(sc, "excl").codes)
    assert row(sc, "excl").status == "approximated"
    assert "JMX410" not in row(sc, "incl").codes and "JMX411" not in row(sc, "incl").codes
    assert row(sc, "bare").codes == []


def test_throughput_shared_by_all_threads_is_reported(tmp_path: pathlib.Path) -> None:
    def ctt(name: str, mode: str) -> str:
        return el(
            "ConstantThroughputTimer",
            name,
            f"<doubleProp><name>throughput</name><value>600.0</value><savedValue>0.0</savedValue></doubleProp>"
            f'<intProp name="calcMode">{mode}</intProp>',
            guiclass="TestBeanGUI",
        )

    shared = convert(tmp_path, plan(tg(ctt("all", "1") + http("r", domain="h"))))
    assert "JMX507" in row(shared, "all").codes
    own = convert(tmp_path, plan(tg(ctt("mine", "0") + http("r", domain="h"))))
    assert "JMX507" not in row(own, "mine").codes


def test_counter_becomes_an_integer_range_variable(tmp_path: pathlib.Path) -> None:
    counter = el(
        "CounterConfig",
        "count",
        s("CounterConfig.start", "10")
        + s("CounterConfig.end", "")
        + s("CounterConfig.incr", "2")
        + s("CounterConfig.name", "n")
        + b("CounterConfig.per_user", True),
        guiclass="CounterConfigGui",
    )
    sc = convert(tmp_path, plan(tg(counter + http("r", "/item/${n}", domain="h"))))
    variable = next(v for v in sc.variables if v.name == "n")
    assert (variable.kind, variable.values, variable.read_mode, variable.share_mode) == (
        "int_range",
        [10, 2**31 - 1],
        "sequential",
        "user",
    )
    assert row(sc, "count").status == "approximated" and "JMX317" in row(sc, "count").codes
    nameless = el("CounterConfig", "bad", s("CounterConfig.start", "1"), guiclass="CounterConfigGui")
    assert row(convert(tmp_path, plan(tg(nameless + http("r", domain="h")))), "bad").status == "not_converted"


def test_throughput_schedule_without_rows_is_not_converted(tmp_path: pathlib.Path) -> None:
    timer = el(
        "kg.apc.jmeter.timers.VariableThroughputTimer",
        "vtt",
        '<collectionProp name="load_profile"/>',
        guiclass="kg.apc.jmeter.timers.VariableThroughputTimerGui",
    )
    sc = convert(tmp_path, plan(tg(timer + http("r", domain="h"))))
    assert row(sc, "vtt").status == "not_converted" and "JMX508" in row(sc, "vtt").codes
    assert all(stage.tps is None for stage in sc.cases[0].load.stages)
