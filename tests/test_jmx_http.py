"""HTTP Request and HTTP config elements, as JMeter really sends them (each case checked against JMeter's sources):
the protocol, redirects, keep-alive, multipart and file Content-Types, DELETE bodies, ports and paths, URL
encoding of variables, header merging, CSV file names, Cookie Manager clearing and WebSocket connection reuse."""

from __future__ import annotations

import pathlib

from converter.emit.perftest import emit_plan
from converter.model import Request
from tests.test_jmx_support import (
    args,
    b,
    codes,
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


def _udv(*pairs: tuple[str, str]) -> str:
    items = "".join(
        f'<elementProp name="{k}" elementType="Argument">{s("Argument.name", k)}{s("Argument.value", v)}</elementProp>'
        for k, v in pairs
    )
    return el("Arguments", "vars", f'<collectionProp name="Arguments.arguments">{items}</collectionProp>')


def _one(tmp_path: pathlib.Path, xml: str, **kwargs: object) -> tuple[Request, set[str]]:
    sc = convert(tmp_path, xml, **kwargs)
    return requests(sc.cases[0].steps)[0], codes(sc)


# -- finding 1: the protocol ----------------------------------------------------------------------------


def test_protocol_variable_keeps_its_case_and_is_resolved_when_constant(tmp_path: pathlib.Path) -> None:
    proto = s("HTTPSampler.protocol", "${PROTOCOL}")
    known = plan(_udv(("PROTOCOL", "https")) + tg(http("r", "/a", domain="h", extra=proto)))
    req, found = _one(tmp_path, known)
    assert (req.protocol, req.url) == ("https", "https://h/a") and "JMX120" not in found
    # unknown at conversion time: the reference is kept as written (names are case-sensitive) and reported
    req, found = _one(tmp_path, plan(tg(http("r", "/a", domain="h", extra=proto))))
    assert (req.protocol, req.url) == ("http", "${PROTOCOL}://h/a") and "JMX120" in found
    # -J reaches it through __P; literal text is lower-cased
    via_p = s("HTTPSampler.protocol", "${__P(proto,http)}")
    req, _ = _one(tmp_path, plan(tg(http("r", "/a", domain="h", extra=via_p))), properties={"proto": "HTTPS"})
    assert (req.protocol, req.url) == ("https", "https://h/a")


# -- finding 7: redirects -------------------------------------------------------------------------------


def test_redirects_are_not_followed_when_the_flags_are_unset(tmp_path: pathlib.Path) -> None:
    xml = plan(
        tg(
            http("unset", "/login", method="POST", domain="h", follow=None)
            + http("follow", "/a", domain="h", extra=b("HTTPSampler.follow_redirects", True))
            + http("auto", "/b", domain="h", extra=b("HTTPSampler.auto_redirects", True))
        )
    )
    sc = convert(tmp_path, xml)
    assert [r.follow_redirects for r in requests(sc.cases[0].steps)] == [False, True, True]
    redirect_warnings = [d for d in emit_plan(sc).plan.diagnostics if d.code == "PT012"]
    assert [d.location.name for d in redirect_warnings if d.location] == ["unset"]


# -- findings 6 and 15: Content-Type of multipart and file bodies ---------------------------------------


def test_multipart_drops_the_header_managers_content_type(tmp_path: pathlib.Path) -> None:
    recorded = header_manager("hm", ("Content-Type", "multipart/form-data; boundary=----X"), ("X-A", "1"))
    multipart = b("HTTPSampler.DO_MULTIPART_POST", True)
    xml = plan(
        tg(recorded + http("up", "/u", method="POST", domain="h", params=(("k", "v"),), extra=multipart))
    )
    req, found = _one(tmp_path, xml)
    assert [(h.name, h.value) for h in req.headers] == [("X-A", "1")]
    assert req.body is not None and req.body.kind == "multipart" and "JMX121" in found


def test_a_file_mime_type_becomes_the_content_type_unless_a_header_sets_one(tmp_path: pathlib.Path) -> None:
    body_file = files(("/data/b.json", "", "application/json"))
    put = http("put", "/blob", method="PUT", domain="h", extra=body_file)
    req, _ = _one(tmp_path, plan(tg(put)))
    assert req.body is not None and req.body.kind == "raw"
    assert [(h.name, h.value) for h in req.headers] == [("Content-Type", "application/json")]
    # raw parameters with a file listed: its MIME type too (the file is not sent)
    raw = http(
        "raw", "/r", method="POST", domain="h", raw="{}", extra=files(("/d/x", "", "application/json"))
    )
    req, _ = _one(tmp_path, plan(tg(raw)))
    assert [(h.name, h.value) for h in req.headers] == [("Content-Type", "application/json")]
    # a Header Manager's Content-Type wins, and is not repeated
    req, _ = _one(tmp_path, plan(tg(header_manager("hm", ("Content-Type", "text/plain")) + put)))
    assert [(h.name, h.value) for h in req.headers] == [("Content-Type", "text/plain")]


def test_file_parts_are_reported_as_empty_text_fields(tmp_path: pathlib.Path) -> None:
    up = http("up", "/u", method="POST", domain="h", extra=files(("/data/a.png", "upload", "image/png")))
    sc = convert(tmp_path, plan(tg(up)))
    [diag] = [d for d in sc.diagnostics if d.code == "JMX103"]
    assert "upload" in diag.message and "empty text" in diag.message and "name and MIME type" in diag.action


# -- finding 9: CSV file names --------------------------------------------------------------------------


def test_csv_filename_with_a_constant_variable_is_read(tmp_path: pathlib.Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "users.csv").write_text("alice\nbob\n", encoding="utf-8")
    csv = el("CSVDataSet", "csv", s("filename", "${dir}/users.csv") + s("variableNames", "user"))
    udv = _udv(("dir", "${__P(dir,CHANGE_ME)}"))
    sc = convert(
        tmp_path, plan(udv + csv + tg(http("r", domain="h"))), properties={"dir": str(tmp_path / "data")}
    )
    user = next(v for v in sc.variables if v.name == "user")
    assert user.values == ["alice", "bob"] and row(sc, "csv").status == "approximated"
    # without -J the folder is unknown: the message names the variable
    sc = convert(tmp_path, plan(csv + tg(http("r", domain="h"))))
    [diag] = [d for d in sc.diagnostics if d.code == "JMX304"]
    assert "no fixed value for dir" in diag.message and "-J" in diag.hint


# -- finding 12: 'URL Encode?' and variables ------------------------------------------------------------


def test_encoded_query_parameter_with_a_variable_is_reported(tmp_path: pathlib.Path) -> None:
    encoded = args(("q", "a b"), ("tok", "${token}"), encode=True)
    sampler = el(
        "HTTPSamplerProxy",
        "s",
        s("HTTPSampler.domain", "h")
        + s("HTTPSampler.path", "/s")
        + b("HTTPSampler.use_keepalive", True)
        + encoded,
        guiclass="HttpTestSampleGui",
    )
    sc = convert(tmp_path, plan(tg(sampler + http("plain", "/p", domain="h", params=(("tok", "${token}"),)))))
    plain_req = requests(sc.cases[0].steps)[0]
    assert plain_req.url == "http://h/s?q=a+b&tok=${token}"
    assert row(sc, "s").codes == ["JMX122"] and row(sc, "plain").codes == []


# -- finding 16: keep-alive, source address, Cookie Manager clearing --------------------------------------


def test_keepalive_off_or_unset_is_reported(tmp_path: pathlib.Path) -> None:
    off = http("off", domain="h", extra=b("HTTPSampler.use_keepalive", False))
    unset = el("HTTPSamplerProxy", "unset", s("HTTPSampler.domain", "h"), guiclass="HttpTestSampleGui")
    sc = convert(tmp_path, plan(tg(off + unset + http("on", domain="h"))))
    assert "JMX123" in row(sc, "off").codes and "JMX123" in row(sc, "unset").codes
    assert row(sc, "on").codes == []


def test_source_address_uses_jmeters_property_name(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(http("ip", domain="h", extra=s("HTTPSampler.ipSource", "10.1.2.3")))))
    assert row(sc, "ip").codes == ["JMX107"]


def test_cookie_manager_clearing_each_iteration_is_reported(tmp_path: pathlib.Path) -> None:
    clearing = el("CookieManager", "cm", b("CookieManager.clearEachIteration", True))
    keeping = el("CookieManager", "cm2", b("CookieManager.clearEachIteration", False))
    sc = convert(tmp_path, plan(tg(clearing + http("r", domain="h")) + tg(keeping + http("r2", domain="h"))))
    assert "JMX330" in row(sc, "cm").codes and "JMX330" not in row(sc, "cm2").codes


# -- finding 14: DELETE bodies --------------------------------------------------------------------------


def test_delete_with_a_file_is_multipart_and_keeps_its_query(tmp_path: pathlib.Path) -> None:
    delete = http(
        "del", "/m", method="DELETE", domain="h", params=(("a", "1"),), extra=files(("/d/x.bin", "f", ""))
    )
    req, _ = _one(tmp_path, plan(tg(delete)))
    assert req.url == "http://h/m?a=1"
    assert req.body is not None and [p.name for p in req.body.parts] == ["a", "f"]


# -- finding 20: port 0 and spaces in paths ---------------------------------------------------------------


def test_port_zero_is_no_port_and_spaces_in_paths_are_encoded(tmp_path: pathlib.Path) -> None:
    xml = plan(
        tg(
            http("zero", "/a", domain="h", extra=s("HTTPSampler.port", "0"))
            + http("spaces", "/a b/${x y}", domain="h", extra=s("HTTPSampler.port", "8080"))
            + http("var", "/c", domain="h", extra=s("HTTPSampler.port", "${PORT}"))
        )
    )
    sc = convert(tmp_path, xml)
    assert [r.url for r in requests(sc.cases[0].steps)] == [
        "http://h/a",
        "http://h:8080/a%20b/${x y}",
        "http://h:${PORT}/c",
    ]


# -- finding 21: WebSocket samplers on an existing connection ---------------------------------------------


def test_websocket_sampler_reusing_the_connection_targets_the_one_opened_before(
    tmp_path: pathlib.Path,
) -> None:
    ws = "eu.luminis.jmeter.wssampler."
    opener = el(
        ws + "OpenWebSocketSampler", "open", s("server", "chat") + s("port", "3000") + s("path", "/io")
    )
    send = el(
        ws + "RequestResponseWebSocketSampler",
        "send",
        b("createNewConnection", False) + s("requestData", "hi"),
    )
    sc = convert(tmp_path, plan(tg(opener + send) + tg(send, name="TG2")))
    first, second = (requests(case.steps) for case in sc.cases)
    assert [r.url for r in first] == ["ws://chat:3000/io", "ws://chat:3000/io"]
    assert [r.url for r in second] == ["/"]
    diags = [d for d in sc.diagnostics if d.code == "JMX124"]
    assert len(diags) == 2 and "no earlier sampler" in diags[1].message


# -- finding 22: header merge -----------------------------------------------------------------------------


def test_outer_header_manager_duplicates_collapse_to_the_first(tmp_path: pathlib.Path) -> None:
    outer = header_manager("hm", ("X-Dup", "a"), ("X-Dup", "b"), ("X-Plan", "1"))
    inner = header_manager("hm", ("X-In", "1"), ("X-In", "2"))
    req, _ = _one(tmp_path, plan(outer + tg(inner + http("r", domain="h"))))
    assert [(h.name, h.value) for h in req.headers] == [
        ("X-In", "1"),
        ("X-In", "2"),
        ("X-Dup", "a"),
        ("X-Plan", "1"),
    ]


def test_timeouts_read_as_jmeter_reads_them(tmp_path: pathlib.Path) -> None:
    """A one-valued variable is replaced; a run-time one is reported; "1000.5" is 0 for getPropertyAsInt."""

    def timed(name: str, connect: str, response: str) -> str:
        extra = s("HTTPSampler.connect_timeout", connect) + s("HTTPSampler.response_timeout", response)
        return http(name, domain="h", extra=extra)

    body = (
        timed("constant", "${CT}", "${TO}")
        + timed("runtime", "", "${later}")
        + timed("decimal", "", "1000.5")
    )
    sc = convert(tmp_path, plan(_udv(("CT", "250"), ("TO", "1234")) + tg(body)))
    got = [(r.connect_timeout_ms, r.response_timeout_ms) for r in requests(sc.cases[0].steps)]
    assert got == [(250, 1234), (None, None), (None, 0)]  # 0: JMeter waits without limit
    assert row(sc, "runtime").codes == ["JMX125"] and row(sc, "constant").codes == []


def test_parameters_of_a_whole_url_path_are_ignored_as_in_jmeter(tmp_path: pathlib.Path) -> None:
    """HTTPSamplerBase.getUrl returns a path starting with http(s):// as it is, without the query parameters."""
    whole = http("whole", "https://api.test/v1/items?page=2", params=(("q", "x"),))
    split = http("split", "/v1/items", domain="api.test", params=(("q", "x"),))
    sc = convert(tmp_path, plan(tg(whole + split)))
    assert [r.url for r in requests(sc.cases[0].steps)] == [
        "https://api.test/v1/items?page=2",
        "http://api.test/v1/items?q=x",
    ]
    assert row(sc, "whole").codes == ["JMX126"] and row(sc, "split").codes == []


def test_clearing_each_iteration_restores_the_managers_own_cookies(tmp_path: pathlib.Path) -> None:
    # CookieManager.testIterationStart puts back initialCookies: an iteration starts with the user-defined
    # cookies, without those responses set (without any when the manager defines none)
    cookie = (
        '<collectionProp name="CookieManager.cookies"><elementProp name="lang" elementType="Cookie">'
        + s("Cookie.value", "en")
        + "</elementProp></collectionProp>"
    )
    own = el("CookieManager", "own", b("CookieManager.clearEachIteration", True) + cookie)
    bare = el("CookieManager", "bare", b("CookieManager.clearEachIteration", True))
    sc = convert(tmp_path, plan(tg(own + http("r", domain="h")) + tg(bare + http("r2", domain="h"))))
    messages = {d.location.name: d.message for d in sc.diagnostics if d.code == "JMX330" and d.location}
    assert "starts with only the manager's 1 user-defined cookie(s)" in messages["own"]
    assert "without those responses set" in messages["own"]
    assert "every iteration starts without cookies" in messages["bare"]


def test_a_cookie_manager_that_follows_the_thread_group_ignores_its_clear_flag(
    tmp_path: pathlib.Path,
) -> None:
    # CookieManager.testIterationStart: (controlledByThread && !sameUser) || (!controlledByThread && clear):
    # with 'Use Thread Group configuration to control cookie clearing' on, 'Clear cookies each iteration' is
    # not read, and the thread group's 'Same user on each iteration' (JMX209) decides
    def manager(name: str, controlled: bool) -> str:
        flags = b("CookieManager.clearEachIteration", True) + b(
            "CookieManager.controlledByThreadGroup", controlled
        )
        return el("CookieManager", name, flags)

    sc = convert(
        tmp_path,
        plan(
            tg(manager("follows", True) + http("r", domain="h"))
            + tg(manager("own", False) + http("r2", domain="h"))
        ),
    )
    assert "JMX330" not in row(sc, "follows").codes and "JMX330" in row(sc, "own").codes


def test_a_new_user_each_iteration_says_what_jmeter_resets(tmp_path: pathlib.Path) -> None:
    # HTTPHC4Impl.notifyFirstSampleAfterLoopRestart resets connections and TLS state; Cookie / Cache Managers
    # reset only when they follow the thread group
    group = tg(http("r", domain="h"), name="fresh", extra=b("ThreadGroup.same_user_on_next_iteration", False))
    sc = convert(tmp_path, plan(group))
    [message] = [d.message for d in sc.diagnostics if d.code == "JMX209"]
    assert "HTTP connections and TLS state are reset" in message
    assert "Cookie and Cache Managers set to follow the thread group" in message
