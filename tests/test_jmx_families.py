"""One focused test per JMX element family, with small inline plans, asserting the fields that come out."""

from __future__ import annotations

import pathlib

import pytest

from converter.model import Condition, Loop, Rendezvous, Request, Think, Throughput, TransactionRef
from tests.test_jmx_support import args, b, codes, convert, el, http, i, plan, requests, row, s, tg

# -- thread groups --------------------------------------------------------------------------------


def test_thread_group_loops_ramp_and_scheduler(tmp_path: pathlib.Path) -> None:
    sc = convert(
        tmp_path,
        plan(
            tg(http("a", domain="h"), name="loops", threads="10", ramp="5", loops="3")
            + tg(http("b", domain="h"), name="timed", threads="4", ramp="20", loops="-1",
                 extra=b("ThreadGroup.scheduler", True) + s("ThreadGroup.duration", "120") + s("ThreadGroup.delay", "7"))
            + tg(http("c", domain="h"), name="forever", loops="-1"),
            b("TestPlan.serialize_threadgroups", True),
        ),
    )  # fmt: skip
    loops, timed, forever = sc.cases
    assert loops.load.stages[0].model_dump() == {
        "users": 10,
        "ramp_s": 5,
        "hold_s": None,
        "iterations": 3,
        "tps": None,
        "tps_start": None,
    }
    assert (timed.load.stages[0].users, timed.load.stages[0].ramp_s, timed.load.stages[0].hold_s) == (
        4,
        20,
        100,
    )
    assert timed.load.delay_s == 7
    assert forever.load.stages[0].hold_s == 600 and "JMX201" in row(sc, "forever").codes
    assert sc.parallel is False


def test_setup_and_teardown_groups_get_roles(tmp_path: pathlib.Path) -> None:
    sc = convert(
        tmp_path,
        plan(tg(http("a", domain="h"), tag="SetupThreadGroup", name="su") + tg(http("b", domain="h"), tag="PostThreadGroup", name="td")),
    )  # fmt: skip
    assert [c.role for c in sc.cases] == ["setup", "teardown"]
    assert "JMX202" in codes(sc)


def test_ultimate_thread_group_every_row(tmp_path: pathlib.Path) -> None:
    rows = "".join(
        f'<collectionProp name="r{n}">{"".join(s(str(k), v) for k, v in enumerate(r))}</collectionProp>'
        for n, r in enumerate([(10, 0, 10, 60, 5), (5, 100, 0, 30, 0)])
    )
    props = f'<collectionProp name="ultimatethreadgroupdata">{rows}</collectionProp>'
    sc = convert(
        tmp_path, plan(el("kg.apc.jmeter.threads.UltimateThreadGroup", "U", props, http("a", domain="h")))
    )
    stages = [(st.users, st.ramp_s, st.hold_s) for st in sc.cases[0].load.stages]
    assert stages == [(10, 10, 60), (0, 5, 25), (5, 0, 30)]


def test_concurrency_and_stepping_groups_become_staircases(tmp_path: pathlib.Path) -> None:
    conc = el(
        "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup", "C",
        s("TargetLevel", "30") + s("RampUp", "3") + s("Steps", "3") + s("Hold", "5") + s("Unit", "M"),
        http("a", domain="h"),
    )  # fmt: skip
    step = el(
        "kg.apc.jmeter.threads.SteppingThreadGroup", "S",
        s("ThreadGroup.num_threads", "10") + s("Start users count", "4") + s("Start users count burst", "2")
        + s("Start users period", "30") + s("rampUp", "5") + s("flighttime", "60"),
        http("b", domain="h"),
    )  # fmt: skip
    sc = convert(tmp_path, plan(conc + step))
    # the last step runs at the hold's level: one stage
    assert [(x.users, x.ramp_s, x.hold_s) for x in sc.cases[0].load.stages] == [
        (10, 0, 60),
        (20, 0, 60),
        (30, 0, 360),
    ]
    # SteppingThreadGroup.scheduleThread: each step lasts period + rampUp, the burst is spread over rampUp too,
    # and only the flight time is held after the last step
    assert [(x.users, x.ramp_s, x.hold_s) for x in sc.cases[1].load.stages] == [
        (2, 5, 30),
        (6, 5, 30),
        (10, 5, 60),
    ]


def test_arrivals_and_free_form_groups_become_tps_stages(tmp_path: pathlib.Path) -> None:
    arr = el(
        "com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup", "A",
        s("TargetLevel", "120") + s("RampUp", "1") + s("Hold", "2") + s("Unit", "M") + s("ConcurrencyLimit", "50"),
        http("a", domain="h"),
    )  # fmt: skip
    table = (
        '<collectionProp name="Schedule"><collectionProp name="1">'
        + s("0", "1")
        + s("1", "10")
        + s("2", "60")
    )
    table += "</collectionProp></collectionProp>"
    free = el(
        "com.blazemeter.jmeter.threads.arrivals.FreeFormArrivalsThreadGroup",
        "F",
        table,
        http("b", domain="h"),
    )
    sc = convert(tmp_path, plan(arr + free))
    assert [(x.users, x.ramp_s, x.hold_s, x.tps) for x in sc.cases[0].load.stages] == [
        (50, 60, 0, 2),
        (50, 0, 120, 2),
    ]
    assert [(x.ramp_s, x.tps) for x in sc.cases[1].load.stages] == [(60, 10)]


def test_open_model_thread_group(tmp_path: pathlib.Path) -> None:
    sched = "rate(10/sec) random_arrivals(2 min) rate(20/sec) random_arrivals(30 s) pause(10 s)"
    sc = convert(
        tmp_path,
        plan(
            el("OpenModelThreadGroup", "O", s("OpenModelThreadGroup.schedule", sched), http("a", domain="h"))
        ),
    )
    # ThreadScheduleProcessGenerator.findNextArrivalStep: the rate(20/sec) after the first arrivals step is
    # its end rate (a ramp 10 -> 20); pause(10 s) is parsed as [rate 20, rate 0, arrivals, rate 0, rate 20], so
    # the second arrivals step ends at 20 too, and the pause runs at 0
    assert [(x.ramp_s, x.hold_s, x.tps_start, x.tps) for x in sc.cases[0].load.stages] == [
        (120, 0, 10, 20),
        (0, 30, None, 20),
        (0, 10, None, 0),
    ]


def test_thread_count_from_property_and_variable(tmp_path: pathlib.Path) -> None:
    udv = el("Arguments", "vars", '<collectionProp name="Arguments.arguments">'
             '<elementProp name="n" elementType="Argument">' + s("Argument.name", "n") + s("Argument.value", "${__P(users,2)}")
             + "</elementProp></collectionProp>", guiclass="ArgumentsPanel")  # fmt: skip
    sc = convert(tmp_path, plan(udv + tg(http("a", domain="h"), threads="${n}")), properties={"users": "25"})
    assert sc.cases[0].load.stages[0].users == 25
    assert sc.properties_used == {"users": "25"}


# -- samplers -------------------------------------------------------------------------------------


def test_http_sampler_fields(tmp_path: pathlib.Path) -> None:
    extra = (s("HTTPSampler.port", "8443") + s("HTTPSampler.protocol", "https") + s("HTTPSampler.connect_timeout", "1000")
             + s("HTTPSampler.response_timeout", "3000") + b("HTTPSampler.follow_redirects", False)
             + b("HTTPSampler.image_parser", True))  # fmt: skip
    sc = convert(
        tmp_path,
        plan(tg(
            http("get", "/search", domain="ex.com", extra=extra, params=(("q", "a b"), ("n", "${n}")))
            + http("form", "/login", method="POST", domain="ex.com", params=(("user", "u1"),))
            + http("raw", "/api", method="PUT", domain="ex.com", raw='{"a": 1}')
            + http("abs", "https://other.org:444/x?y=1", method="DELETE")
        )),
    )  # fmt: skip
    get, form, raw, absolute = requests(sc.cases[0].steps)
    assert get.url == "https://ex.com:8443/search?q=a b&n=${n}"
    assert (get.protocol, get.method, get.connect_timeout_ms, get.response_timeout_ms) == (
        "https",
        "GET",
        1000,
        3000,
    )
    assert get.follow_redirects is False and "JMX102" in row(sc, "get").codes
    assert form.body is not None and form.body.kind == "form"
    assert [(f.name, f.value) for f in form.body.fields] == [("user", "u1")]
    assert raw.body is not None and (raw.body.kind, raw.body.text) == ("raw", '{"a": 1}')
    assert (absolute.url, absolute.method, absolute.protocol) == (
        "https://other.org:444/x?y=1",
        "DELETE",
        "https",
    )


def test_http_always_encode_keeps_variables(tmp_path: pathlib.Path) -> None:
    sampler = el("HTTPSamplerProxy", "enc", s("HTTPSampler.domain", "h") + s("HTTPSampler.path", "/") + s("HTTPSampler.method", "GET")
                 + args(("q", "a b&${v}"), encode=True))  # fmt: skip
    sc = convert(tmp_path, plan(tg(sampler)))
    assert requests(sc.cases[0].steps)[0].url == "http://h/?q=a+b%26${v}"


def test_http_file_upload_is_multipart_with_placeholder(tmp_path: pathlib.Path) -> None:
    files = ('<elementProp name="HTTPsampler.Files" elementType="HTTPFileArgs"><collectionProp name="HTTPFileArgs.files">'
             '<elementProp name="/data/a.png" elementType="HTTPFileArg">' + s("File.path", "/data/a.png")
             + s("File.paramname", "upload") + s("File.mimetype", "image/png") + "</elementProp></collectionProp></elementProp>")  # fmt: skip
    sc = convert(
        tmp_path, plan(tg(http("up", "/u", method="POST", domain="h", params=(("k", "v"),), extra=files)))
    )
    body = requests(sc.cases[0].steps)[0].body
    assert body is not None and body.kind == "multipart"
    assert [(p.name, p.value, p.filename, p.content_type) for p in body.parts] == [
        ("k", "v", None, None), ("upload", "", "a.png", "image/png")
    ]  # fmt: skip
    assert row(sc, "up").status == "approximated"


def test_tcp_websocket_and_unsupported_samplers(tmp_path: pathlib.Path) -> None:
    tcp = el(
        "TCPSampler",
        "tcp",
        s("TCPSampler.server", "10.0.0.1") + s("TCPSampler.port", "9000") + s("TCPSampler.request", "PING"),
    )
    ws = el("eu.luminis.jmeter.wssampler.RequestResponseWebSocketSampler", "ws",
            s("server", "chat.example") + s("port", "443") + s("path", "/ws") + b("TLS", True) + s("requestData", "hi") + b("createNewConnection", True))  # fmt: skip
    mqtt = el("net.xmeter.samplers.PubSampler", "mq")
    jsr = el("JSR223Sampler", "script", s("script", "log.info('x')"))
    sc = convert(tmp_path, plan(tg(tcp + ws + mqtt + jsr)))
    t, w = requests(sc.cases[0].steps)
    assert (t.protocol, t.url, t.body.text if t.body else None) == ("tcp", "tcp://10.0.0.1:9000", "PING")
    assert (w.protocol, w.url, w.method) == ("websocket", "wss://chat.example/ws", "SEND")
    assert row(sc, "mq").status == "not_converted" and "JMX105" in row(sc, "mq").codes
    assert row(sc, "script").status == "not_converted" and "JMX104" in row(sc, "script").codes


def test_flow_control_pause_becomes_think(tmp_path: pathlib.Path) -> None:
    pause = el("TestAction", "pause", i("ActionProcessor.action", 1) + s("ActionProcessor.duration", "1500"))
    sc = convert(tmp_path, plan(tg(pause)))
    assert sc.cases[0].steps == [Think(ms=1500, source=sc.cases[0].steps[0].source)]


# -- controllers ----------------------------------------------------------------------------------


def test_transaction_controller_becomes_referenced_transaction(tmp_path: pathlib.Path) -> None:
    inner = el("TransactionController", "inner", "", http("c", domain="h"))
    tx = el("TransactionController", "login", "", http("a", domain="h") + http("b", domain="h") + inner)
    sc = convert(
        tmp_path,
        plan(
            tg(tx + el("TransactionController", "login", "", http("d", domain="h")) + http("e", domain="h"))
        ),
    )
    steps = sc.cases[0].steps
    assert (
        isinstance(steps[0], TransactionRef)
        and isinstance(steps[1], TransactionRef)
        and isinstance(steps[2], Request)
    )
    assert list(sc.transactions) == ["login", "login (2)"]
    assert [r.name for r in requests(sc.transactions["login"].steps)] == ["a", "b", "c"]
    assert row(sc, "inner").status == "approximated"


def test_loop_while_foreach_if(tmp_path: pathlib.Path) -> None:
    body = (
        el("LoopController", "loop", s("LoopController.loops", "3"), http("a", domain="h"))
        + el("WhileController", "while", s("WhileController.condition", '${__jexl3("${more}" == "yes")}'), http("b", domain="h"))
        + el("ForeachController", "each", s("ForeachController.inputVal", "ids") + s("ForeachController.returnVal", "id"), http("c", domain="h"))
        + el("IfController", "if", s("IfController.condition", '"${status}" != "done"'), http("d", domain="h"))
        + el("IfController", "js", s("IfController.condition", "vars.get('a').length() > 2 && true"), http("e", domain="h"))
    )  # fmt: skip
    ids = '<elementProp name="TestPlan.user_defined_variables" elementType="Arguments"><collectionProp name="Arguments.arguments">'
    ids += f'<elementProp name="ids_1" elementType="Argument">{s("Argument.name", "ids_1")}{s("Argument.value", "7")}</elementProp>'
    sc = convert(
        tmp_path, plan(tg(body), ids + "</collectionProp></elementProp>")
    )  # ids_1 is set: ForEach runs
    loop, whl, each, cond, js = sc.cases[0].steps
    assert isinstance(loop, Loop) and loop.count == 3
    assert isinstance(whl, Loop) and whl.condition == "${more} == yes"
    # a ForEach without an end index: its children run once, and PerfTest never sets ${id} (JMX420)
    assert isinstance(each, Request) and row(sc, "each").status == "not_converted"
    assert isinstance(cond, Condition) and (cond.left, cond.operator, cond.right) == (
        "${status}",
        "!=",
        "done",
    )
    assert (
        isinstance(js, Condition) and js.operator == "expression" and row(sc, "js").status == "not_converted"
    )
    assert row(sc, "if").status == "converted"


def test_throughput_random_switch_once(tmp_path: pathlib.Path) -> None:
    body = (
        el("ThroughputController", "tp", i("ThroughputController.style", 1)
           + '<FloatProperty><name>ThroughputController.percentThroughput</name><value>25.0</value></FloatProperty>',
           http("a", domain="h"))
        + el("RandomController", "rnd", "", http("b", domain="h") + http("c", domain="h"))
        + el("SwitchController", "sw", s("SwitchController.value", "1"), http("d", domain="h") + http("e", domain="h"))
        + el("OnceOnlyController", "once", "", http("f", domain="h"))
    )  # fmt: skip
    sc = convert(tmp_path, plan(tg(body)))
    steps = sc.cases[0].steps
    assert (
        isinstance(steps[0], Throughput) and steps[0].percent == 25.0
    )  # JMeter's <FloatProperty><name>/<value> form
    assert isinstance(steps[1], Throughput) and isinstance(steps[2], Throughput) and steps[1].percent == 50.0
    assert isinstance(steps[3], Request) and steps[3].name == "e"
    assert isinstance(steps[4], Request) and row(sc, "once").status == "approximated"


def test_throughput_controller_percent_string_form(tmp_path: pathlib.Path) -> None:
    tp = el("ThroughputController", "tp", i("ThroughputController.style", 1) + s("ThroughputController.percentThroughput", "30"),
            http("a", domain="h"))  # fmt: skip
    sc = convert(tmp_path, plan(tg(tp)))
    step = sc.cases[0].steps[0]
    assert isinstance(step, Throughput) and step.percent == 30.0 and row(sc, "tp").status == "converted"


# -- config ---------------------------------------------------------------------------------------


def test_udv_csv_auth_cookie(tmp_path: pathlib.Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "users.csv").write_text("alice,pw1\nbob,pw2\n")
    csv = el("CSVDataSet", "csv", s("filename", "users.csv") + s("variableNames", "user,pass") + s("delimiter", ",")
             + s("shareMode", "shareMode.thread"))  # fmt: skip
    missing = el("CSVDataSet", "missing", s("filename", "nope.csv") + s("variableNames", "x"))
    auth = el("AuthManager", "auth", '<collectionProp name="AuthManager.auth_list"><elementProp name="" elementType="Authorization">'
              + s("Authorization.url", "") + s("Authorization.username", "u") + s("Authorization.password", "SECRETPW")
              + s("Authorization.mechanism", "BASIC") + "</elementProp></collectionProp>")  # fmt: skip
    cookie = el("CookieManager", "cookies", '<collectionProp name="CookieManager.cookies"><elementProp name="sid" elementType="Cookie">'
                + s("Cookie.value", "42") + "</elementProp></collectionProp>")  # fmt: skip
    udv = el("Arguments", "udv", '<collectionProp name="Arguments.arguments"><elementProp name="host" elementType="Argument">'
             + s("Argument.name", "host") + s("Argument.value", "h.example") + "</elementProp></collectionProp>")  # fmt: skip
    sc = convert(
        tmp_path,
        plan(udv + csv + missing + tg(auth + cookie + http("a", domain="${host}"))),
        data_dir=tmp_path / "data",
    )
    variables = {v.name: v for v in sc.variables}
    assert variables["host"].values == ["h.example"] and variables["host"].kind == "enum"
    assert variables["user"].values == ["alice", "bob"] and variables["pass"].values == ["pw1", "pw2"]
    assert variables["user"].share_mode == "user" and row(sc, "csv").status == "approximated"
    assert row(sc, "missing").status == "not_converted"
    assert variables["auth_basic"].secret and "SECRETPW" not in sc.model_dump_json()
    headers = [(h.name, h.value) for h in requests(sc.cases[0].steps)[0].headers]
    assert headers == [("Authorization", "Basic ${auth_basic}"), ("Cookie", "sid=${cookie_sid}")]  # (JMX360)
    assert requests(sc.cases[0].steps)[0].url == "http://${host}/"


def test_unsupported_config_elements_are_reported(tmp_path: pathlib.Path) -> None:
    sc = convert(
        tmp_path, plan(el("KeystoreConfig", "ks") + el("CounterConfig", "cnt") + tg(http("a", domain="h")))
    )
    assert row(sc, "ks").status == "not_converted" and row(sc, "cnt").status == "not_converted"


# -- timers ---------------------------------------------------------------------------------------


def test_timers(tmp_path: pathlib.Path) -> None:
    timers = (
        el("ConstantTimer", "const", s("ConstantTimer.delay", "300"))
        + el("UniformRandomTimer", "uni", s("ConstantTimer.delay", "100") + s("RandomTimer.range", "50"))
        + el("GaussianRandomTimer", "gauss", s("ConstantTimer.delay", "200") + s("RandomTimer.range", "80"))
        + el("PoissonRandomTimer", "poisson", s("ConstantTimer.delay", "10") + s("RandomTimer.range", "90"))
        + el("SyncTimer", "sync", s("groupSize", "5") + s("timeoutInMs", "2000"))
    )
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=timers))))
    steps = sc.cases[0].steps
    assert [st.ms for st in steps[:4] if isinstance(st, Think)] == [300, 125, 200, 100]
    assert isinstance(steps[4], Rendezvous) and (steps[4].count, steps[4].timeout_ms) == (5, 2000)
    assert isinstance(steps[5], Request)
    assert row(sc, "const").status == "converted" and row(sc, "uni").status == "approximated"


def test_throughput_timers_govern_group_or_are_reported(tmp_path: pathlib.Path) -> None:
    ctt = el("ConstantThroughputTimer", "ctt", "<doubleProp><name>throughput</name><value>600.0</value>"
             "<savedValue>0.0</savedValue></doubleProp>" + i("calcMode", 1))  # fmt: skip
    nested = el("PreciseThroughputTimer", "nested", s("throughput", "10") + s("throughputPeriod", "1"))
    shaping = el("kg.apc.jmeter.timers.VariableThroughputTimer", "shape",
                 '<collectionProp name="load_profile"><collectionProp name="1">' + s("0", "1") + s("1", "5") + s("2", "30")
                 + '</collectionProp></collectionProp>')  # fmt: skip
    sc = convert(
        tmp_path,
        plan(tg(ctt + el("GenericController", "g", "", nested + http("a", domain="h")), name="one", threads="4")
             + tg(shaping + http("b", domain="h"), name="two", threads="8", loops="-1")),
    )  # fmt: skip
    assert sc.cases[0].load.stages[0].tps == 10
    assert row(sc, "nested").status == "not_converted"
    assert [(x.users, x.ramp_s, x.tps) for x in sc.cases[1].load.stages] == [(8, 30, 5)]


# -- assertions -----------------------------------------------------------------------------------


def _strings(*values: str) -> str:
    return (
        '<collectionProp name="Asserion.test_strings">'
        + "".join(s(str(hash(v)), v) for v in values)
        + "</collectionProp>"
    )


@pytest.mark.parametrize(
    ("field", "bits", "target", "operator", "negate", "combine", "values"),
    [
        ("Assertion.response_data", 2, "body", "regex", False, "and", ["ok.*"]),
        ("Assertion.response_code", 8, "status", "equals", False, "and", ["ok.*"]),
        # (on the header block a pattern is a 'Name: value' line: tests/test_jmx_audit6.py)
        ("Assertion.response_headers", 16 | 4, "header", "contains", True, "and", ["ok.*"]),
        ("Assertion.response_message", 1 | 32, "message", "regex", False, "or", ["^(?:ok.*)$", "^(?:x)$"]),
        ("Assertion.sample_label", 16, "url", "contains", False, "and", ["ok.*"]),
    ],
)
def test_response_assertion(tmp_path: pathlib.Path, field: str, bits: int, target: str, operator: str, negate: bool,
                            combine: str, values: list[str]) -> None:  # fmt: skip
    strings = _strings("ok.*", "x") if bits & 32 else _strings("X: ok.*" if target == "header" else "ok.*")
    ra = el(
        "ResponseAssertion", "ra", strings + s("Assertion.test_field", field) + i("Assertion.test_type", bits)
    )
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=ra))))
    check = requests(sc.cases[0].steps)[0].checks[0]
    assert check.header == ("X" if target == "header" else None)
    assert (check.target, check.operator, check.negate, check.combine, check.values) == (
        target,
        operator,
        negate,
        combine,
        values,
    )


def test_other_assertions(tmp_path: pathlib.Path) -> None:
    kids = (
        el("JSONPathAssertion", "json", s("JSON_PATH", "$.id") + s("EXPECTED_VALUE", "7") + b("JSONVALIDATION", True) + b("ISREGEX", False))
        + el("DurationAssertion", "dur", s("DurationAssertion.duration", "500"))
        + el("SizeAssertion", "size", s("SizeAssertion.size", "100") + s("SizeAssertion.operator", "2"))
        + el("XPathAssertion", "xp", s("XPath.xpath", "//ok"))
        + el("MD5HexAssertion", "md5", s("MD5HexAssertion.size", "abc"))
    )  # fmt: skip
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=kids))))
    checks = requests(sc.cases[0].steps)[0].checks
    assert [(c.target, c.operator, c.values, c.negate) for c in checks] == [
        ("duration", "le", ["500"], False),
        ("size", "equals", ["100"], True),
    ]
    assert all(row(sc, name).status == "not_converted" for name in ("json", "xp", "md5"))


# -- extractors -----------------------------------------------------------------------------------


def test_extractors(tmp_path: pathlib.Path) -> None:
    kids = (
        el("RegexExtractor", "re", s("RegexExtractor.refname", "tok") + s("RegexExtractor.regex", 'id="(\\d+)"(x)')
           + s("RegexExtractor.template", "$2$") + s("RegexExtractor.default", "NONE") + s("RegexExtractor.match_number", "-1")
           + s("RegexExtractor.useHeaders", "true"))
        + el("JSONPostProcessor", "json", s("JSONPostProcessor.referenceNames", "a;b") + s("JSONPostProcessor.jsonPathExprs", "$.a;$.b")
             + s("JSONPostProcessor.match_numbers", "1;2") + s("JSONPostProcessor.defaultValues", "da;db"))
        + el("BoundaryExtractor", "bd", s("BoundaryExtractor.refname", "v") + s("BoundaryExtractor.lboundary", "<b>")
             + s("BoundaryExtractor.rboundary", "</b>") + s("BoundaryExtractor.match_number", "1"))
        + el("HtmlExtractor", "css", s("HtmlExtractor.refname", "c") + s("HtmlExtractor.expr", "a.x") + s("HtmlExtractor.attribute", "href"))
        + el("XPath2Extractor", "xp2", s("XPathExtractor2.refname", "x") + s("XPathExtractor2.xpathQuery", "//a"))
        + el("JSR223PostProcessor", "script", s("scriptLanguage", "groovy") + s("script", "\n  vars.put('a', 'b')\nmore"))
    )  # fmt: skip
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=kids))))
    ex = requests(sc.cases[0].steps)[0].extracts
    got = [
        (e.variable, e.kind, e.source, e.expression, e.group, e.match_no, e.default, e.right, e.attribute)
        for e in ex
    ]
    assert got == [
        # match -1: JMeter puts the first match in tok_1 (RegexExtractor: refName_1), and none by default
        ("tok_1", "regex", "headers", 'id="(\\d+)"(x)', 2, 1, "", None, None),
        ("a", "jsonpath", "body", "$.a", 1, 1, "da", None, None),
        ("b", "jsonpath", "body", "$.b", 1, 2, "db", None, None),
        ("v", "boundary", "body", "<b>", 1, 1, "", "</b>", None),
        ("c", "css", "body", "a.x", 1, 0, "", None, "href"),
        ("x", "xpath", "body", "//a", 1, 1, "", None, None),
    ]
    script = next(d for d in sc.diagnostics if d.code == "JMX703")
    assert "vars.put('a', 'b')" in script.message and "more" not in script.message


# -- non-load and unknown elements ----------------------------------------------------------------


def test_listeners_disabled_and_unknown(tmp_path: pathlib.Path) -> None:
    body = (
        el("ResultCollector", "view", "", None)
        + "<hashTree/>"
        + el("kg.apc.jmeter.reporters.AutoStop", "autostop")
        + el("com.example.MagicElement", "magic")
        + tg(http("off", domain="h", enabled=False, children=el("ConstantTimer", "t", s("ConstantTimer.delay", "1"))) + http("on", domain="h"))
    )  # fmt: skip
    sc = convert(tmp_path, plan(body))
    assert row(sc, "view").status == "filtered" and row(sc, "autostop").status == "filtered"
    assert row(sc, "magic").status == "not_converted" and "JMX806" in row(sc, "magic").codes
    assert row(sc, "off").status == "filtered" and row(sc, "t").status == "filtered"
    assert [r.name for r in requests(sc.cases[0].steps)] == ["on"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ["zero"]),  # empty: the first child
        ("1", ["one"]),
        ("7", ["zero"]),  # out of range: the first child
        ("99999999999", ["Default"]),  # beyond Java's int: taken as a name, then the default
        ("one", ["one"]),  # by name
        (" 1", ["Default"]),  # not digits only (JMeter does not trim): a name, then the default
        ("nope", ["Default"]),  # no such name: the (last) child called "default", in any case
    ],
)
def test_switch_with_a_fixed_value_runs_the_child_jmeter_runs(
    tmp_path: pathlib.Path, value: str, expected: list[str]
) -> None:
    children = http("zero", domain="h") + http("one", domain="h") + http("Default", domain="h")
    sc = convert(
        tmp_path, plan(tg(el("SwitchController", "sw", s("SwitchController.value", value), children)))
    )
    assert [r.name for r in requests(sc.cases[0].steps)] == expected
    assert row(sc, "sw").status == "converted"
    for name in {"zero", "one", "Default"} - set(expected):  # the others are in the ledger, left out
        assert row(sc, name).status == "filtered" and "JMX413" in row(sc, name).codes
    for name in expected:
        assert row(sc, name).status == "converted"


def test_switch_whose_fixed_value_selects_nothing_runs_nothing_and_says_so(tmp_path: pathlib.Path) -> None:
    children = http("zero", domain="h") + http("one", domain="h")
    sc = convert(
        tmp_path, plan(tg(el("SwitchController", "sw", s("SwitchController.value", "nope"), children)))
    )
    assert requests(sc.cases[0].steps) == []
    assert "JMX412" in row(sc, "sw").codes and row(sc, "sw").status == "converted"
    assert row(sc, "zero").status == row(sc, "one").status == "filtered"


def test_timers_before_a_sampler_that_is_not_converted_are_reported(tmp_path: pathlib.Path) -> None:
    """JMeter pauses before every sampler in a timer's scope, one it cannot convert too (JMX133)."""
    timer = el("ConstantTimer", "wait", s("ConstantTimer.delay", "300"))
    jsr = el("JSR223Sampler", "script", s("script", "log.info('x')"))
    sc = convert(tmp_path, plan(tg(timer + jsr + http("page", "/a", domain="h"))))
    [request] = requests(sc.cases[0].steps)
    assert request.name == "page"
    assert [type(step).__name__ for step in sc.cases[0].steps] == ["Think", "Request"]  # the page's own pause
    [left] = [d for d in sc.diagnostics if d.code == "JMX133"]
    assert left.location is not None and left.location.name == "script"
    assert "(300 ms of pauses)" in left.message and left.action == "left out with the sampler"
    assert "JMX133" in row(sc, "script").codes
    quiet = convert(tmp_path, plan(tg(jsr + http("page", "/a", domain="h"))))
    assert "JMX133" not in codes(quiet)  # no timer, nothing left out
