"""Audit j6c findings: the Authorization Manager's entries matched per request as JMeter does, timers of samplers
that are not converted, the Counter's reset at each thread-group iteration, binary TCP/WebSocket payloads,
multipart parameters' Content-Type and IPv6 literal hosts."""

from __future__ import annotations

import pathlib

from converter.convert import convert_jmx
from converter.model import Scenario
from tests.test_jmx_support import b, convert, el, header_manager, http, plan, requests, row, s, tg


def _auth(*rows: tuple[str, str, str]) -> str:
    """An Authorization Manager with ``(url, user, mechanism)`` entries; every password is 'pw-secret'."""
    items = "".join(
        f'<elementProp name="" elementType="Authorization">{s("Authorization.url", url)}'
        f"{s('Authorization.username', user)}{s('Authorization.password', 'pw-secret')}"
        f"{s('Authorization.domain', '')}{s('Authorization.realm', '')}{s('Authorization.mechanism', mech)}"
        "</elementProp>"
        for url, user, mech in rows
    )
    return el("AuthManager", "auth", f'<collectionProp name="AuthManager.auth_list">{items}</collectionProp>')


def _found(sc: Scenario, code: str) -> list[tuple[str, str, str]]:
    return [(d.severity, d.message, d.action) for d in sc.diagnostics if d.code == code]


def _auth_headers(sc: Scenario) -> dict[str, str | None]:
    return {
        r.name: next((h.value for h in r.headers if h.name == "Authorization"), None)
        for r in requests(sc.cases[0].steps)
    }


# -- F1: each request gets the first entry whose URL starts its own (AuthManager.getAuthForURL) --------------


def test_each_request_gets_the_first_entry_whose_url_prefixes_its_own(tmp_path: pathlib.Path) -> None:
    manager = _auth(("http://api.example/", "apiuser", "BASIC"), ("http://admin.example/", "admin", "BASIC"))
    body = manager + http("api", "/p", domain="api.example") + http("admin", "/p", domain="admin.example")
    sc = convert(tmp_path, plan(tg(body + http("cdn", "/p", domain="cdn.example"))))
    # the CDN matches no entry: JMeter sends it no credentials at all
    assert _auth_headers(sc) == {"api": "Basic ${auth_basic}", "admin": "Basic ${auth_basic_2}", "cdn": None}
    assert [(v.name, v.secret) for v in sc.variables] == [("auth_basic", True), ("auth_basic_2", True)]
    assert [m for _, m, _ in _found(sc, "JMX311")] == [
        "entry 1 for http://api.example/ (user 'apiuser') became 'Authorization: Basic ${auth_basic}' on the 1 "
        "request(s) JMeter gives it ('api'): the first entry whose URL starts the request's "
        "(AuthManager.getAuthForURL)",
        "entry 2 for http://admin.example/ (user 'admin') became 'Authorization: Basic ${auth_basic_2}' on the 1 "
        "request(s) JMeter gives it ('admin'): the first entry whose URL starts the request's "
        "(AuthManager.getAuthForURL)",
    ]
    assert "pw-secret" not in sc.model_dump_json()


def test_path_prefix_default_port_and_scheme_decide_the_match(tmp_path: pathlib.Path) -> None:
    manager = _auth(("http://h.example:80/admin", "alice", "BASIC"), ("https://h.example/", "bob", "BASIC"))
    body = (
        manager
        + http("admin", "/admin/x?q=1", domain="h.example")  # the default port written out matches too
        + http("public", "/public", domain="h.example")
        + http("secure", "/admin/y", domain="h.example", extra=s("HTTPSampler.protocol", "https"))
        + http("other port", "/admin", domain="h.example", extra=s("HTTPSampler.port", "8080"))
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert _auth_headers(sc) == {
        "admin": "Basic ${auth_basic}",
        "public": None,
        "secure": "Basic ${auth_basic_2}",
        "other port": None,
    }


def test_digest_entry_that_matches_first_leaves_the_request_without_credentials(
    tmp_path: pathlib.Path,
) -> None:
    manager = _auth(("http://h.example/admin", "alice", "BASIC"), ("http://other.example/", "bob", "DIGEST"))
    sc = convert(tmp_path, plan(tg(manager + http("other", "/z", domain="other.example"))))
    assert _auth_headers(sc) == {"other": None}
    assert [v.name for v in sc.variables] == []  # no card carries alice's header: no secret asked for
    assert _found(sc, "JMX312") == [
        (
            "error",
            "entry 2 (http://other.example/) uses DIGEST: JMeter answers the server's challenge with it for 1 "
            "request(s) ('other')",
            "not converted; those requests carry no credentials",
        )
    ]
    assert _found(sc, "JMX350") == [
        (
            "info",
            "entry 1 for http://h.example/admin (user 'alice') matches none of the converted requests in its "
            "scope (JMeter gives a request the first entry whose URL starts the request's)",
            "not used: no credentials sent for it",
        )
    ]
    assert row(sc, "auth").status == "not_converted"


def test_a_url_known_only_at_run_time_is_reported_with_the_entry_applied(tmp_path: pathlib.Path) -> None:
    manager = _auth(("http://api.example/", "apiuser", "BASIC"), ("", "anyone", "BASIC"))
    body = (
        manager + http("dyn", "/p", domain="${host}") + http("dyn path", "/items/${id}", domain="api.example")
    )
    sc = convert(tmp_path, plan(tg(body)))
    # ${host} may or may not be api.example: entry 1 is the first that can match; the path's ${id} decides nothing
    assert _auth_headers(sc) == {"dyn": "Basic ${auth_basic}", "dyn path": "Basic ${auth_basic}"}
    assert _found(sc, "JMX351") == [
        (
            "warning",
            "1 request(s) ('dyn'; the first to 'http://${host}/p'): JMeter gives each the first entry whose URL "
            "starts the request's, and a variable known only at run time (in the request's URL or an entry's) "
            "decides it",
            "entry 1 (http://api.example/), the first that can match, applied: 'Authorization: Basic "
            "${auth_basic}'",
        )
    ]
    assert _found(sc, "JMX350")[0][1].startswith("entry 2 for any URL (user 'anyone') matches none")


def test_a_variable_with_one_value_is_substituted_before_matching(tmp_path: pathlib.Path) -> None:
    udv = el(
        "Arguments",
        "udv",
        '<collectionProp name="Arguments.arguments"><elementProp name="host" elementType="Argument">'
        + s("Argument.name", "host")
        + s("Argument.value", "cdn.example")
        + "</elementProp></collectionProp>",
    )
    manager = _auth(("http://api.example/", "apiuser", "BASIC"))
    sc = convert(tmp_path, plan(udv + tg(manager + http("cdn", "/p", domain="${host}"))))
    assert _auth_headers(sc) == {"cdn": None}
    assert _found(sc, "JMX351") == [] and [v.name for v in sc.variables] == ["host"]


def test_an_entry_url_known_only_at_run_time_is_reported(tmp_path: pathlib.Path) -> None:
    sc = convert(
        tmp_path,
        plan(tg(_auth(("http://${apihost}/", "u", "BASIC")) + http("a", "/p", domain="api.example"))),
    )
    assert _auth_headers(sc) == {"a": "Basic ${auth_basic}"}
    ((_, message, action),) = _found(sc, "JMX351")
    assert message.startswith("1 request(s) ('a'; the first to 'http://api.example/p')")
    assert action.startswith("entry 1 (http://${apihost}/), the first that can match, applied")


def test_entries_of_two_managers_get_distinct_variables(tmp_path: pathlib.Path) -> None:
    first = tg(_auth(("", "alice", "BASIC")) + http("a", domain="h"), name="A")
    second = tg(_auth(("", "bob", "BASIC")) + http("b", domain="h"), name="B")
    sc = convert(tmp_path, plan(first + second))
    assert [v.name for v in sc.variables] == ["auth_basic", "auth_basic_2"]
    assert [r.headers[0].value for case in sc.cases for r in requests(case.steps)] == [
        "Basic ${auth_basic}",
        "Basic ${auth_basic_2}",
    ]


# -- F7: a Header Manager's Authorization header wins -----------------------------------------------------


def test_header_managers_authorization_supersedes_the_entry(tmp_path: pathlib.Path) -> None:
    sampler = http(
        "a", "/p", domain="h.example", children=header_manager("H", ("Authorization", "Bearer ${t}"))
    )
    sc = convert(
        tmp_path, plan(tg(_auth(("", "u", "BASIC")) + sampler + http("b", "/q", domain="h.example")))
    )
    assert _auth_headers(sc) == {"a": "Bearer ${t}", "b": "Basic ${auth_basic}"}
    assert _found(sc, "JMX352") == [
        (
            "info",
            "entry 1 for any URL (user 'u'): the 1 request(s) it applies to ('a') have an Authorization header "
            "from a Header Manager, which HttpClient sends instead",
            "not applied to them, as in JMeter; no secret variable for them",
        )
    ]
    assert "('b')" in _found(sc, "JMX311")[0][1]


def test_fully_superseded_entry_declares_no_variable_and_says_no_header(tmp_path: pathlib.Path) -> None:
    sampler = http(
        "a", "/p", domain="h.example", children=header_manager("H", ("Authorization", "Bearer ${t}"))
    )
    sc = convert(tmp_path, plan(tg(_auth(("", "u", "BASIC")) + sampler)))
    assert sc.variables == [] and _found(sc, "JMX311") == []
    assert [code for code in row(sc, "auth").codes] == ["JMX352"] and row(sc, "auth").status == "converted"


# -- F6: timers of samplers that are not converted ----------------------------------------------------------


def _timer(ms: str) -> str:
    return el("ConstantTimer", "ct", s("ConstantTimer.delay", ms), guiclass="ConstantTimerGui")


def test_the_timer_of_a_sampler_the_reader_drops_says_its_pause_is_left_out(tmp_path: pathlib.Path) -> None:
    jdbc = el("JDBCSampler", "db", s("query", "select 1"), _timer("300"), guiclass="TestBeanGUI")
    sc = convert(tmp_path, plan(tg(jdbc + http("get", domain="h"))))
    assert [step.kind for step in sc.cases[0].steps] == [
        "request"
    ]  # no pause left where the JDBC sampler was
    timer = next(r for r in sc.ledger if r.source.endswith("JDBCSampler[1]/ConstantTimer[1]"))
    assert (timer.status, timer.codes) == ("approximated", ["JMX133"])
    assert "JMX133" in row(sc, "db").codes


def test_the_timer_of_a_request_perftest_cannot_send_keeps_its_pause(tmp_path: pathlib.Path) -> None:
    xml = plan(tg(http("head", method="HEAD", domain="h", children=_timer("300")) + http("get", domain="h")))
    (tmp_path / "t.jmx").write_text(xml, encoding="utf-8")
    result = convert_jmx(tmp_path / "t.jmx")
    # JMeter pauses, then sends the HEAD; the plan keeps the pause and leaves the HEAD out (PT002), not JMX133
    assert [step.kind for step in result.scenario.cases[0].steps] == ["think", "request", "request"]
    (found,) = [d for d in result.plan.diagnostics if d.code == "PT002"]
    assert found.action == (
        "request left out of the PerfTest test; the think time before it is kept (the source pauses there before "
        "sending it)"
    )
    assert all(d.code != "JMX133" for d in result.plan.diagnostics)
    timer = next(r for r in result.ledger if r.source.endswith("HTTPSamplerProxy[1]/ConstantTimer[1]"))
    assert (timer.status, timer.codes) == ("converted", [])


# -- F3: the Counter's 'Reset counter on each Thread Group Iteration' ------------------------------------------


def _counter(reset: bool, per_user: bool = True) -> str:
    flags = b("CounterConfig.per_user", per_user) + b("CounterConfig.reset_on_tg_iteration", reset)
    props = s("CounterConfig.start", "1") + s("CounterConfig.end", "") + s("CounterConfig.incr", "1")
    return el(
        "CounterConfig", "C", props + s("CounterConfig.name", "page") + flags, guiclass="CounterConfigGui"
    )


def _loop(body: str) -> str:
    props = b("LoopController.continue_forever", True) + s("LoopController.loops", "3")
    return el("LoopController", "L", props, body, guiclass="LoopControlPanel")


def test_a_counter_reset_at_each_group_iteration_inside_a_loop_is_reported(tmp_path: pathlib.Path) -> None:
    sc = convert(
        tmp_path, plan(tg(_loop(_counter(True) + http("list", "/l?page=${page}", domain="h")), loops="5"))
    )
    (variable,) = sc.variables
    assert variable.values == [1, 2**31 - 1]  # the plan's variable goes on counting
    (found,) = _found(sc, "JMX317")
    assert found[1].endswith(
        "counted per user; 'Reset counter on each Thread Group Iteration': in JMeter each user starts again from 1 "
        "at each iteration of the thread group; the variable does not reset, it goes on from where it was"
    )


def test_a_counter_of_the_thread_group_reset_at_each_iteration_is_its_start(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(_counter(True) + http("list", "/l?page=${page}", domain="h"), loops="5")))
    (variable,) = sc.variables
    assert variable.values == [1, 1]  # JMeter sets the start at every iteration
    (found,) = _found(sc, "JMX317")
    assert "JMeter sets 1 at every iteration, and so does the variable" in found[1]
    assert found[1] == (
        "page from 1; 'Reset counter on each Thread Group Iteration' on a counter of the thread group itself: "
        "JMeter sets 1 at every iteration, and so does the variable; counted per user"
    )


def test_the_reset_flag_of_a_shared_counter_is_ignored_as_jmeter_ignores_it(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(_counter(True, per_user=False) + http("list", domain="h"), loops="5")))
    assert sc.variables[0].values == [1, 2**31 - 1] and "Reset" not in _found(sc, "JMX317")[0][1]


# -- F4: binary TCP clients and binary WebSocket payloads ---------------------------------------------------


def _tcp(name: str, classname: str, request: str) -> str:
    props = (
        s("TCPSampler.server", "t.example") + s("TCPSampler.port", "9000") + s("TCPSampler.request", request)
    )
    return el("TCPSampler", name, props + s("TCPSampler.classname", classname), guiclass="TCPSamplerGui")


def test_a_binary_tcp_client_is_said_to_send_other_bytes(tmp_path: pathlib.Path) -> None:
    body = (
        _tcp("bin", "org.apache.jmeter.protocol.tcp.sampler.BinaryTCPClientImpl", "0a0b0c")
        + _tcp("prefixed", "LengthPrefixedBinaryTCPClientImpl", "0a0b0c")
        + _tcp("odd", "BinaryTCPClientImpl", "0a0")
        + _tcp("text", "TCPClientImpl", "0a0b0c")
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert [r.body.text for r in requests(sc.cases[0].steps) if r.body] == [
        "0a0b0c",
        "0a0b0c",
        "0a0",
        "0a0b0c",
    ]
    found = _found(sc, "JMX150")
    assert [m for _, m, _ in found] == [
        "JMeter's org.apache.jmeter.protocol.tcp.sampler.BinaryTCPClientImpl decodes the request '0a0b0c' from hex "
        "and writes those 3 byte(s); the response is read back as hex text for its assertions and extractors",
        "JMeter's LengthPrefixedBinaryTCPClientImpl decodes the request '0a0b0c' from hex and writes those 3 "
        "byte(s), after a length prefix; the response is read back as hex text for its assertions and extractors",
        "JMeter's BinaryTCPClientImpl cannot decode the request '0a0' from hex (hexStringToByteArray: an even "
        "number of hex digits), so its sample fails without sending anything; the response is read back as hex "
        "text for its assertions and extractors",
    ]
    assert found[0][0] == "error" and found[0][2].startswith(
        "sent as the text '0a0b0c' (6 byte(s) of text): the server receives other bytes"
    )
    assert row(sc, "bin").status == "not_converted" and "JMX150" not in row(sc, "text").codes


def _ws_write(name: str, payload_props: str) -> str:
    props = (
        s("server", "ws.example") + s("port", "80") + s("path", "/chat") + s("requestData", "0x01 0x02 0xff")
    )
    tag = "eu.luminis.jmeter.wssampler.SingleWriteWebSocketSampler"
    return el(tag, name, props + payload_props + b("createNewConnection", True), guiclass=tag + "Gui")


def test_a_binary_websocket_payload_is_said_to_go_as_a_text_frame(tmp_path: pathlib.Path) -> None:
    body = (
        _ws_write("legacy", b("binaryPayload", True))
        + _ws_write("typed", s("payloadType", "Binary"))
        + _ws_write("text", s("payloadType", "Text") + b("binaryPayload", True))  # payloadType wins
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert [r.body.text for r in requests(sc.cases[0].steps) if r.body] == ["0x01 0x02 0xff"] * 3
    found = _found(sc, "JMX150")
    assert len(found) == 2 and found[0] == (
        "error",
        "binary payload '0x01 0x02 0xff': JMeter parses it as bytes (BinaryUtils.parseBinaryString: '0xca 0xfe' "
        "or 'ca fe') and sends a binary frame",
        "sent as a text frame holding that text: the server receives other bytes, in a frame of another type",
    )
    assert "JMX150" in row(sc, "typed").codes and "JMX150" not in row(sc, "text").codes


# -- F5: a multipart parameter's own Content-Type --------------------------------------------------------------


def _typed_args(*rows: tuple[str, str, str | None]) -> str:
    items = "".join(
        f'<elementProp name="{k}" elementType="HTTPArgument">{s("Argument.name", k)}{s("Argument.value", v)}'
        + (s("HTTPArgument.content_type", t) if t is not None else "")
        + "</elementProp>"
        for k, v, t in rows
    )
    return f'<elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments">{items}</collectionProp></elementProp>'


def test_a_multipart_parameters_content_type_is_reported(tmp_path: pathlib.Path) -> None:
    params = _typed_args(
        ("meta", '{"k":1}', "application/json"),
        ("note", "hi", "text/plain; charset=UTF-8"),  # the default type: nothing lost
        ("old", "x", None),  # unset: text/plain
    )
    extra = b("HTTPSampler.DO_MULTIPART_POST", True) + params
    sampler = el(
        "HTTPSamplerProxy",
        "mp",
        s("HTTPSampler.domain", "h") + s("HTTPSampler.path", "/p") + s("HTTPSampler.method", "POST") + extra,
        guiclass="HttpTestSampleGui",
    )
    sc = convert(tmp_path, plan(tg(sampler)))
    (request,) = requests(sc.cases[0].steps)
    assert request.body is not None and [p.name for p in request.body.parts] == ["meta", "note", "old"]
    assert _found(sc, "JMX151") == [
        (
            "warning",
            "1 multipart parameter(s) with a Content-Type of their own: 'meta' (application/json); JMeter sends "
            "each part with that type",
            "sent as plain form items (a card's form item is a key and a value, no type): the part's type is left "
            "to PerfTest",
        )
    ]


def test_a_form_parameters_content_type_is_not_sent_by_jmeter_either(tmp_path: pathlib.Path) -> None:
    sampler = el(
        "HTTPSamplerProxy",
        "form",
        s("HTTPSampler.domain", "h")
        + s("HTTPSampler.method", "POST")
        + _typed_args(("meta", "1", "application/json")),
        guiclass="HttpTestSampleGui",
    )
    sc = convert(tmp_path, plan(tg(sampler)))
    assert _found(sc, "JMX151") == []  # a URL-encoded form has no parts


# -- F8: an IPv6 literal server name ------------------------------------------------------------------------


def test_an_ipv6_server_name_is_bracketed_as_java_net_url_does(tmp_path: pathlib.Path) -> None:
    body = (
        http("bare", "/v6", domain="::1")
        + http("port", "/v6", domain="2001:db8::7", extra=s("HTTPSampler.port", "8080"))
        + http("bracketed", "/v6", domain="[::1]")
        + http("name", "/", domain="h.example")
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert [r.url for r in requests(sc.cases[0].steps)] == [
        "http://[::1]/v6",
        "http://[2001:db8::7]:8080/v6",
        "http://[::1]/v6",
        "http://h.example/",
    ]
