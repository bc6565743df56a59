"""The address a sampler sends to, read as JMeter reads it: HTTP Request Defaults and TCP Sampler Configs fill
only an empty setting (a blank one is kept), and a server name, protocol, port or path JMeter cannot build a
URL or socket address from makes its sample fail: said with JMX130, the request kept."""

from __future__ import annotations

import pathlib

from converter.diagnostics import Diagnostic
from converter.model import Request, Scenario
from tests.test_jmx_support import args, b, codes, convert, el, http, plan, requests, row, s, tg


def _defaults(**values: str) -> str:
    props = "".join(s(f"HTTPSampler.{k}", v) for k, v in values.items())
    return el("ConfigTestElement", "defaults", props, guiclass="HttpDefaultsGui")


def _tcp(name: str, server: str = "h", port: str = "9000", request: str = "PING") -> str:
    props = s("TCPSampler.server", server) + s("TCPSampler.port", port) + s("TCPSampler.request", request)
    return el("TCPSampler", name, props, guiclass="TCPSamplerGui")


def _tcp_config(**values: str) -> str:
    props = "".join(s(f"TCPSampler.{k}", v) for k, v in values.items())
    return el("ConfigTestElement", "tcp config", props, guiclass="TCPConfigGui")


def _messages(sc: Scenario, code: str) -> list[str]:
    return [d.message for d in sc.diagnostics if d.code == code]


def _diagnostics(sc: Scenario, code: str) -> list[Diagnostic]:
    return [d for d in sc.diagnostics if d.code == code]


def _urls(sc: Scenario) -> dict[str, str]:
    return {r.name: r.url for r in requests(sc.cases[0].steps)}


# -- item 1: a blank setting is kept, not replaced by the defaults ------------------------------------------


def test_a_blank_server_name_is_kept_over_the_defaults_and_fails_in_jmeter(tmp_path: pathlib.Path) -> None:
    # AbstractTestElement.addProperty merges a default only into a missing or empty string property: the
    # sampler keeps " ", getUrl builds "http:// /a", which url.toURI() refuses: the sample fails
    xml = plan(tg(_defaults(domain="example.com") + http("blank", "/a", domain=" ") + http("empty", "/b")))
    sc = convert(tmp_path, xml)
    assert _urls(sc) == {"blank": "/a", "empty": "http://example.com/b"}
    [message] = _messages(sc, "JMX130")
    assert "server name ' '" in message and "'example.com' only into an empty one" in message
    assert "sample fails" in message
    assert "JMX130" in row(sc, "blank").codes and "JMX101" not in row(sc, "blank").codes
    assert "JMX130" not in row(sc, "empty").codes


def test_a_server_name_with_spaces_fails_in_jmeter_and_is_sent_trimmed(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(http("padded", "/a", domain="h.example ") + http("ok", "/a", domain="h"))))
    assert _urls(sc) == {"padded": "http://h.example/a", "ok": "http://h/a"}
    assert "JMX130" in row(sc, "padded").codes and "JMX130" not in row(sc, "ok").codes


def test_a_blank_inner_default_hides_the_outer_one(tmp_path: pathlib.Path) -> None:
    # ConfigTestElement.addConfigElement is the same mergeIn: the nearest defaults' " " is not empty
    inner = el("ConfigTestElement", "inner", s("HTTPSampler.domain", " "), guiclass="HttpDefaultsGui")
    sc = convert(tmp_path, plan(_defaults(domain="outer.example") + tg(inner + http("r", "/a"))))
    assert _urls(sc) == {"r": "/a"}
    [message] = _messages(sc, "JMX130")
    assert "(from HTTP Request Defaults)" in message


def test_a_blank_path_is_kept_and_sent_as_an_encoded_space(tmp_path: pathlib.Path) -> None:
    # getPath is the text as it is, its spaces encoded (encodeSpaces): JMeter requests /%20, not the default
    sc = convert(
        tmp_path, plan(tg(_defaults(domain="h", path="/d") + http("blank", " ") + http("empty", "")))
    )
    assert _urls(sc) == {"blank": "http://h/%20", "empty": "http://h/d"}
    assert "JMX130" not in codes(sc)


def test_a_control_character_in_the_path_fails_in_jmeter(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(http("newline", "/a\n", domain="h"))))
    assert _urls(sc) == {"newline": "http://h/a"}
    [message] = _messages(sc, "JMX130")
    assert "control character" in message


def test_a_blank_protocol_is_kept_over_the_defaults_and_fails_in_jmeter(tmp_path: pathlib.Path) -> None:
    # new URL(" ", host, file): MalformedURLException, unknown protocol
    blank = http("blank", "/a", domain="h", extra=s("HTTPSampler.protocol", " "))
    sc = convert(tmp_path, plan(tg(_defaults(protocol="https") + blank + http("empty", "/a", domain="h"))))
    by_name = {r.name: r for r in requests(sc.cases[0].steps)}
    assert (by_name["blank"].protocol, by_name["blank"].url) == ("http", "http://h/a")
    assert (by_name["empty"].protocol, by_name["empty"].url) == ("https", "https://h/a")
    [message] = _messages(sc, "JMX130")
    assert "protocol ' '" in message and "unknown protocol" in message


def test_a_blank_port_is_kept_over_the_defaults_as_no_port(tmp_path: pathlib.Path) -> None:
    # getPortIfSpecified: Integer.parseInt(" ".trim()) throws: 0, the scheme's default; not a failure
    blank = http("blank", "/a", domain="h", extra=s("HTTPSampler.port", " "))
    sc = convert(tmp_path, plan(tg(_defaults(port="8080") + blank + http("empty", "/a", domain="h"))))
    assert _urls(sc) == {"blank": "http://h/a", "empty": "http://h:8080/a"}
    assert "JMX130" not in codes(sc)


# -- item 3: a negative HTTP port ------------------------------------------------------------------------


def test_a_negative_http_port_other_than_minus_one_fails_in_jmeter(tmp_path: pathlib.Path) -> None:
    # isProtocolDefaultPort is false for -2, so getUrl calls new URL(protocol, host, -2, file): "Invalid port
    # number :-2"; -1 is the URL's own "no port"; a whole-URL path never reads the port; above 65535 the URL
    # is built but HttpClient's InetSocketAddress throws
    body = (
        http("minus two", "/a", domain="h", extra=s("HTTPSampler.port", "-2"))
        + http("minus one", "/a", domain="h", extra=s("HTTPSampler.port", "-1"))
        + http("whole", "http://w/x", domain="h", extra=s("HTTPSampler.port", "-2"))
        + http("huge", "/a", domain="h", extra=s("HTTPSampler.port", "65536"))
        + http("top", "/a", domain="h", extra=s("HTTPSampler.port", "65535"))
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert _urls(sc) == {
        "minus two": "http://h/a",
        "minus one": "http://h/a",
        "whole": "http://w/x",
        "huge": "http://h/a",
        "top": "http://h:65535/a",
    }
    minus, huge = _messages(sc, "JMX130")
    assert "'Invalid port number :-2'" in minus and "'65536' is out of range" in huge
    assert "JMX130" in row(sc, "minus two").codes and "JMX130" not in row(sc, "top").codes
    assert "JMX130" not in row(sc, "minus one").codes and "JMX130" not in row(sc, "whole").codes


def test_an_http_port_java_does_not_read_is_reported_as_the_default_port(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(http("r", "/a", domain="h", extra=s("HTTPSampler.port", "8080.0")))))
    assert _urls(sc) == {"r": "http://h/a"}
    [message] = _messages(sc, "JMX224")
    assert "'8080.0'" in message and "not 8080" in message


# -- item 2: the TCP Sampler's port is a Java int --------------------------------------------------------


def test_the_tcp_port_is_read_as_getpropertyasint(tmp_path: pathlib.Path) -> None:
    # TCPSampler.getPort: Integer.parseInt of the text as it is, 0 when it throws; port 0 is refused and a
    # port out of 0-65535 makes new InetSocketAddress throw: the sample fails either way
    body = (
        _tcp("ok", port="9000")
        + _tcp("plus", port="+9000")
        + _tcp("padded", port=" 80")
        + _tcp("decimal", port="80.0")
        + _tcp("zero", port="0")
        + _tcp("huge", port="70000")
        + _tcp("word", port="http")
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert _urls(sc) == {
        "ok": "tcp://h:9000",
        "plus": "tcp://h:9000",
        "padded": "tcp://h",
        "decimal": "tcp://h",
        "zero": "tcp://h",
        "huge": "tcp://h",
        "word": "tcp://h",
    }
    for name in ("padded", "decimal", "zero", "huge", "word"):
        assert "JMX130" in row(sc, name).codes, name
    assert "JMX130" not in row(sc, "ok").codes and "JMX130" not in row(sc, "plus").codes
    messages = _messages(sc, "JMX130")
    assert any("' 80'" in m and "not 80" in m for m in messages)
    assert any("'70000' is out of range" in m for m in messages)


def test_a_tcp_port_variable_stays_a_variable_and_is_checked_when_it_has_one_value(
    tmp_path: pathlib.Path,
) -> None:
    def udv(value: str) -> str:
        item = (
            '<elementProp name="port" elementType="Argument">'
            f"{s('Argument.name', 'port')}{s('Argument.value', value)}</elementProp>"
        )
        return el("Arguments", "vars", f'<collectionProp name="Arguments.arguments">{item}</collectionProp>')

    good = convert(tmp_path, plan(udv("2222") + tg(_tcp("r", port="${port}"))))
    assert _urls(good) == {"r": "tcp://h:${port}"} and "JMX130" not in codes(good)
    bad = convert(tmp_path, plan(udv("2222.0") + tg(_tcp("r", port="${port}"))))
    assert _urls(bad) == {"r": "tcp://h"}
    [message] = _messages(bad, "JMX130")
    assert "read as '2222.0'" in message


def _udv(**values: str) -> str:
    items = "".join(
        f'<elementProp name="{k}" elementType="Argument">{s("Argument.name", k)}{s("Argument.value", v)}</elementProp>'
        for k, v in values.items()
    )
    return el("Arguments", "vars", f'<collectionProp name="Arguments.arguments">{items}</collectionProp>')


def test_an_http_port_variable_is_checked_like_a_tcp_one_when_it_has_one_value(
    tmp_path: pathlib.Path,
) -> None:
    # getPortIfSpecified reads the text once JMeter has replaced the variable: 70000 makes the HTTP client
    # fail as a written 70000 does; 0 is "no port"; "8080.0" is 0 too (JMX224); a port stays the variable
    def run(value: str) -> Scenario:
        body = http("web", "/a", domain="h", extra=s("HTTPSampler.port", "${port}")) + _tcp(
            "tcp", port="${port}"
        )
        return convert(tmp_path, plan(_udv(port=value) + tg(body)))

    huge = run("70000")
    assert _urls(huge) == {"web": "http://h/a", "tcp": "tcp://h"}
    assert "JMX130" in row(huge, "web").codes and "JMX130" in row(huge, "tcp").codes
    assert any("port '${port}' (read as '70000') is out of range" in m for m in _messages(huge, "JMX130"))
    assert _messages(huge, "JMX108") == ["TCP request to h (no port)"]  # not ":${port}": the URL has none
    good = run("8080")
    assert _urls(good) == {"web": "http://h:${port}/a", "tcp": "tcp://h:${port}"}
    assert "JMX130" not in codes(good) and _messages(good, "JMX108") == ["TCP request to h:${port}"]
    zero = run("0")
    assert _urls(zero)["web"] == "http://h/a" and "JMX130" not in row(zero, "web").codes
    decimal = run("8080.0")
    assert _urls(decimal)["web"] == "http://h/a"
    [message] = _messages(decimal, "JMX224")
    assert "'${port}' (read as '8080.0')" in message and "not 8080" in message


def test_a_unicode_space_in_a_server_name_fails_in_jmeter(tmp_path: pathlib.Path) -> None:
    # String.trim and java.net.URI keep a no-break space (U+00A0) or an ideographic space (U+3000): the
    # lookup or the URI fails, as with an ASCII space; the request keeps the name trimmed
    body = (
        http("nbsp", "/a", domain="\u00a0h.test")
        + _tcp("tcp", server="h.test\u3000", port="80")
        + http("accent", "/a", domain="h\u00e9.test")
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert _urls(sc) == {
        "nbsp": "http://h.test/a",
        "tcp": "tcp://h.test:80",
        "accent": "http://h\u00e9.test/a",
    }
    assert "JMX130" in row(sc, "nbsp").codes and "JMX130" in row(sc, "tcp").codes
    assert "JMX130" not in row(sc, "accent").codes
    nbsp, tcp = _messages(sc, "JMX130")
    assert "'\\xa0h.test'" in nbsp and "space" in nbsp and "'h.test\\u3000'" in tcp


def test_a_server_name_variable_whose_one_value_holds_a_space_fails_in_jmeter(tmp_path: pathlib.Path) -> None:
    # JMeter replaces ${host} first, then builds the URL (HTTP) or looks the name up (TCP) with the value as
    # it is: the sample fails as with the text written out; the request keeps the reference
    body = http("web", "/a", domain="${host}") + _tcp("tcp", server="${host}")
    given = _udv(host="${__P(host,h.test)}")
    sc = convert(tmp_path, plan(given + tg(body)), properties={"host": "\u00a0h.test"})
    assert _urls(sc) == {"web": "http://${host}/a", "tcp": "tcp://${host}:9000"}
    web, tcp = _messages(sc, "JMX130")
    assert (
        web.startswith("server name '${host}' (read as '\\xa0h.test') holds a space")
        and "java.net.URI" in web
    )
    assert tcp.startswith("server '${host}' (read as '\\xa0h.test') holds a space")
    fine = convert(tmp_path, plan(given + tg(body)), properties={"host": "h.test"})
    assert "JMX130" not in codes(fine)


def test_a_protocol_other_than_http_or_https_is_not_converted(tmp_path: pathlib.Path) -> None:
    # HTTPSamplerBase.sample reads a "file" URL as a local file; getUrl's new URL(...) refuses a protocol
    # java.net.URL has no handler for; HTTPHC4Impl's client connects only for http and https: JMeter sends
    # nothing, and a PerfTest HTTP card cannot carry the scheme
    def proto(name: str, text: str) -> str:
        return http(name, "/a", domain="h", extra=s("HTTPSampler.protocol", text))

    body = (
        proto("ftp", "FTP")
        + proto("gopher", "gopher")
        + proto("file", "file")
        + proto("ws", "ws")
        + proto("property", "${__P(protocol,http)}")
        + proto("variable", "${PROTOCOL}")
        + proto("https", "https")
        + proto("empty", "")
        + proto("runtime", "${unknown}")
    )
    sc = convert(tmp_path, plan(_udv(PROTOCOL="ftp") + tg(body)), properties={"protocol": "ws"})
    assert _urls(sc) == {"https": "https://h/a", "empty": "http://h/a", "runtime": "${unknown}://h/a"}
    for name in ("ftp", "gopher", "file", "ws", "property", "variable"):
        assert row(sc, name).codes == ["JMX104"], name
        assert row(sc, name).status == "not_converted", name
    found = dict(
        zip(("ftp", "gopher", "file", "ws", "property", "variable"), _diagnostics(sc, "JMX104"), strict=True)
    )
    messages = {name: d.message for name, d in found.items()}
    assert "'ftp protocol is not supported'" in messages["ftp"]
    assert "unknown protocol: gopher" in messages["gopher"]
    assert "reads the file '/a'" in messages["file"]
    assert "unknown protocol: ws" in messages["ws"] and "unknown protocol: ws" in messages["property"]
    assert "'${PROTOCOL}' (read as 'ftp')" in messages["variable"]
    assert all("carries only http or https" in m for m in messages.values())
    assert "WebSocket sampler" in (found["ws"].hint or "") and "http or https" in (found["ftp"].hint or "")
    assert "JMX120" in row(sc, "runtime").codes
    inherited = convert(tmp_path, plan(tg(_defaults(protocol="ftp") + http("r", "/a", domain="h"))))
    assert requests(inherited.cases[0].steps) == []
    [message] = _messages(inherited, "JMX104")
    assert message.startswith("HTTP Request with protocol 'ftp' (from HTTP Request Defaults):")


def test_tcp_config_fills_only_empty_settings_and_the_payload_is_sent_as_it_is(
    tmp_path: pathlib.Path,
) -> None:
    config = _tcp_config(server="cfg", port="7000", request="CFG")
    body = _tcp("empty", server="", port="", request="") + _tcp(
        "blank", server=" ", port=" ", request="PING\n"
    )
    sc = convert(tmp_path, plan(tg(config + body)))
    by_name = {r.name: r for r in requests(sc.cases[0].steps)}
    assert by_name["empty"].url == "tcp://cfg:7000" and by_name["empty"].body is not None
    assert by_name["empty"].body.text == "CFG"
    assert by_name["blank"].url == "tcp://" and by_name["blank"].body is not None
    assert by_name["blank"].body.text == "PING\n"
    messages = _messages(sc, "JMX130")
    assert any("server ' ' is blank" in m for m in messages)
    assert any("port ' '" in m for m in messages)
    assert "JMX130" not in row(sc, "empty").codes


def test_no_tcp_port_at_all_is_port_zero(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(_tcp("r", port=""))))
    request: Request = requests(sc.cases[0].steps)[0]
    assert request.url == "tcp://h"
    [message] = _messages(sc, "JMX130")
    assert "no port is set" in message


def test_a_blank_content_encoding_is_kept_over_the_defaults(tmp_path: pathlib.Path) -> None:
    # the sampler keeps " "; HTTPHC4Impl.getContentEncoding(dflt) reads a blank one (isNullOrEmptyTrimmed) as
    # unset: the defaults' ISO-8859-1 is not used, so nothing is reported for it
    blank = http("blank", "/a", domain="h", extra=s("HTTPSampler.contentEncoding", " "))
    empty = http("empty", "/a", domain="h", extra=s("HTTPSampler.contentEncoding", ""))
    sc = convert(tmp_path, plan(tg(_defaults(contentEncoding="ISO-8859-1") + blank + empty)))
    assert "JMX106" not in row(sc, "blank").codes and "JMX106" in row(sc, "empty").codes


# -- no server name: JMeter's HttpClient has no host to send to -------------------------------------------


def test_no_server_name_says_that_jmeter_fails_and_the_plan_keeps_a_relative_url(
    tmp_path: pathlib.Path,
) -> None:
    # getUrl: new URL("http", "", "/items") prints as "http:/items"; HttpClient's determineTarget finds no
    # host in it: ClientProtocolException, the sample fails
    sc = convert(tmp_path, plan(tg(http("items", "items") + http("ok", "/a", domain="h"))))
    assert _urls(sc) == {"items": "/items", "ok": "http://h/a"}
    [diag] = [d for d in sc.diagnostics if d.code == "JMX101"]
    assert (diag.severity, diag.action) == ("warning", "relative URL kept")
    assert "'http:/items'" in diag.message and "URI does not specify a valid host name" in diag.message
    assert "sample fails" in diag.message and "set the server name" in diag.hint
    assert "JMX101" in row(sc, "items").codes and "JMX101" not in row(sc, "ok").codes


# -- an empty TCP server: JMeter connects to the loopback address ----------------------------------------


def test_an_empty_tcp_server_is_reported_as_jmeters_local_host(tmp_path: pathlib.Path) -> None:
    # TCPSampler.getSocket: new InetSocketAddress("", port): InetAddress.getByName("") is the loopback address
    body = _tcp("empty", server="") + _tcp("set", server="h")
    sc = convert(tmp_path, plan(tg(body)))
    assert _urls(sc) == {"empty": "tcp://:9000", "set": "tcp://h:9000"}
    [diag] = [d for d in sc.diagnostics if d.code == "JMX131"]
    assert diag.severity == "warning" and diag.location is not None and diag.location.name == "empty"
    assert "loopback address" in diag.message and "load generator itself" in diag.message
    assert diag.action == "request kept with no host in its URL"
    assert "JMX130" not in row(sc, "empty").codes and "JMX131" not in row(sc, "set").codes
    assert "TCP request to (no server):9000" in _messages(sc, "JMX108")


def test_a_tcp_server_from_a_tcp_sampler_config_is_no_empty_server(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(_tcp_config(server="cfg") + _tcp("r", server=""))))
    assert _urls(sc) == {"r": "tcp://cfg:9000"} and "JMX131" not in codes(sc)


def test_an_empty_tcp_server_and_port_as_in_jmeters_own_gentest(tmp_path: pathlib.Path) -> None:
    # GenTest3_0.jmx: both empty; port 0 is refused, so this sample fails in JMeter too (JMX130)
    sc = convert(tmp_path, plan(tg(_tcp("r", server="", port=""))))
    assert _urls(sc) == {"r": "tcp://"}
    assert {"JMX130", "JMX131"} <= set(row(sc, "r").codes)


# -- characters java.net.URI refuses: url.toURI() in HTTPHC4Impl.sample, nothing escaped before --------------


def test_characters_java_uri_refuses_in_the_path_fail_in_jmeter(tmp_path: pathlib.Path) -> None:
    body = (
        http("pipe", "/a|b", domain="h")
        + http("braces", "/items/{id}", domain="h")
        + http("others", '/"<>^\\`', domain="h")
        + http("brackets", "/a[1]", domain="h")
        + http("percent", "/100%", domain="h")
        + http("whole", "http://w/x^y", domain="h")
        + http("no host", "/a|b")
    )
    sc = convert(tmp_path, plan(tg(body)))
    by_name = {d.location.name: d for d in sc.diagnostics if d.code == "JMX130" and d.location}
    assert set(by_name) == {"pipe", "braces", "others", "brackets", "percent", "whole", "no host"}
    assert "'|'" in by_name["pipe"].message and "'{', '}'" in by_name["braces"].message
    for c in '"<>^\\`':
        assert repr(c) in by_name["others"].message
    assert "'[', ']'" in by_name["brackets"].message
    assert "'%' that starts no escape pair" in by_name["percent"].message
    assert "'/x^y'" in by_name["whole"].message
    assert all("url.toURI()" in d.message and d.action == "URL kept as written" for d in by_name.values())
    assert _urls(sc)["braces"] == "http://h/items/{id}"  # kept as written


def test_what_java_uri_accepts_is_not_reported(tmp_path: pathlib.Path) -> None:
    # references are replaced before the URL is built; "[" "]" are fine in a query; escapes, sub-delimiters
    # and visible non-ASCII characters are fine; a "%" followed by a reference may start an escape pair
    body = (
        http("refs", "/a/${id}/${__Random(1,${max})}/${__time(|)}", domain="h")
        + http("query", "/a?f[]=1&g=[x]#[y]", domain="h")
        + http("marks", "/a-b_c.d!e~f*g'h(i):j@k&l=m+n$o,p;q/%7C", domain="h")
        + http("unicode", "/café/日本", domain="h")
        + http("escape", "/a%${hex}", domain="h")
        + http("spaces", "/a b", domain="h")
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert "JMX130" not in codes(sc)


def test_refused_characters_in_the_query_jmeter_builds(tmp_path: pathlib.Path) -> None:
    # getQueryString sends a parameter not marked 'URL Encode?' as it is; a marked one is encoded; a second
    # "#" (in the fragment) and a non-ASCII space are refused too
    encoded = el(
        "HTTPSamplerProxy",
        "encoded",
        s("HTTPSampler.domain", "h") + s("HTTPSampler.path", "/a") + s("HTTPSampler.method", "GET")
        + args(("q", '{"a":1}'), encode=True),
        guiclass="HttpTestSampleGui",
    )  # fmt: skip
    body = (
        http("raw", "/a", domain="h", params=(("q", '{"a":1}'),))
        + encoded
        + http("fragment", "/a#b#c", domain="h")
        + http("nbsp", "/a\u00a0b", domain="h")
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert _urls(sc)["encoded"] == "http://h/a?q=%7B%22a%22%3A1%7D"
    flagged = {d.location.name for d in sc.diagnostics if d.code == "JMX130" and d.location}
    assert flagged == {"raw", "fragment", "nbsp"}
    [raw] = [
        d.message for d in sc.diagnostics if d.code == "JMX130" and d.location and d.location.name == "raw"
    ]
    assert "its query holds '{'" in raw and "'/a'" in raw and '"a":1' not in raw  # the query is not echoed


def test_the_java_implementation_sends_the_url_as_it_is(tmp_path: pathlib.Path) -> None:
    # HTTPSamplerFactory: "Java" (or "HTTPSampler") is HTTPJavaImpl, which opens the URL with
    # url.openConnection(): no java.net.URI, no HttpClient; blank and "HttpClient3.1" are HttpClient4
    def sampler(name: str, path: str, implementation: str, domain: str = "h") -> str:
        return http(name, path, domain=domain, extra=s("HTTPSampler.implementation", implementation))

    body = (
        sampler("java", "/a|b", "Java")
        + sampler("alias", "/a|b", "HTTPSampler")
        + sampler("hc31", "/a|b", "HttpClient3.1")
        + sampler("default", "/a|b", "")
        + sampler("java no host", "/a", "Java", domain="")
    )
    sc = convert(tmp_path, plan(tg(body)))
    flagged = {d.location.name for d in sc.diagnostics if d.code == "JMX130" and d.location}
    assert flagged == {"hc31", "default"}
    [diag] = [d for d in sc.diagnostics if d.code == "JMX101"]
    assert "HttpURLConnection" in diag.message and "ClientProtocolException" not in diag.message


def test_the_implementation_may_come_from_the_defaults(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(_defaults(implementation="Java") + http("r", "/a|b", domain="h"))))
    assert "JMX130" not in codes(sc)


def test_a_default_port_is_left_out_per_scheme_of_http_and_websocket_samplers(tmp_path: pathlib.Path) -> None:
    # http and https leave out 80 and 443; a Luminis sampler's ws (TLS off) and wss (TLS on) the same: another
    # scheme's default port is a port like any other and stays in the URL
    def ws(name: str, port: str, tls: bool) -> str:
        props = s("server", "w") + s("port", port) + s("path", "/chat") + b("TLS", tls)
        return el("eu.luminis.jmeter.wssampler.OpenWebSocketSampler", name, props)

    def web(name: str, protocol: str, port: str) -> str:
        extra = s("HTTPSampler.protocol", protocol) + s("HTTPSampler.port", port)
        return http(name, "/a", domain="h", extra=extra)

    body = (
        web("http 80", "http", "80")
        + web("https 443", "https", "443")
        + web("https 80", "https", "80")
        + ws("ws 80", "80", False)
        + ws("ws 443", "443", False)
        + ws("wss 443", "443", True)
        + ws("wss 80", "80", True)
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert _urls(sc) == {
        "http 80": "http://h/a",
        "https 443": "https://h/a",
        "https 80": "https://h:80/a",
        "ws 80": "ws://w/chat",
        "ws 443": "ws://w:443/chat",
        "wss 443": "wss://w/chat",
        "wss 80": "wss://w:80/chat",
    }


def test_a_protocol_not_converted_is_shown_as_written_and_as_jmeter_reads_it(tmp_path: pathlib.Path) -> None:
    # the message shows the sampler's (or the defaults') text as the user wrote it, then what JMeter reads from
    # it: the -J property's default when it was not given, its value when it was, a variable's one value
    def proto(name: str, text: str) -> str:
        return http(name, "/a", domain="h", extra=s("HTTPSampler.protocol", text))

    body = proto("property", "${__P(proto,ftp)}") + proto("variable", "${PROTOCOL}") + proto("upper", "FTP")
    xml = plan(_udv(PROTOCOL="Gopher") + tg(body))

    def messages(**properties: str) -> dict[str, str]:
        sc = convert(tmp_path, xml, properties=properties)
        return {d.location.name: d.message for d in _diagnostics(sc, "JMX104") if d.location}

    missing = messages()
    assert missing["property"].startswith(
        "HTTP Request with protocol '${__P(proto,ftp)}' (property 'proto' not given with -J: read as 'ftp'): "
    )
    assert missing["variable"].startswith("HTTP Request with protocol '${PROTOCOL}' (read as 'gopher'): ")
    assert "unknown protocol: gopher" in missing["variable"]
    assert missing["upper"].startswith("HTTP Request with protocol 'FTP' (read as 'ftp'): ")
    given = messages(proto="file")
    assert given["property"].startswith("HTTP Request with protocol '${__P(proto,ftp)}' (read as 'file'): ")
    assert "reads the file '/a'" in given["property"]
    defaults = convert(
        tmp_path, plan(tg(_defaults(protocol="${__P(proto,ftp)}") + http("r", "/a", domain="h")))
    )
    [message] = _messages(defaults, "JMX104")
    assert message.startswith(
        "HTTP Request with protocol '${__P(proto,ftp)}' (property 'proto' not given with -J: read as 'ftp') "
        "(from HTTP Request Defaults): "
    )


def test_a_protocol_variable_whose_one_value_holds_a_space_fails_as_the_text_written_out(
    tmp_path: pathlib.Path,
) -> None:
    # getUrl's new URL(" http", ...) knows no such protocol once JMeter has replaced the variable, as with
    # " http" written out: both JMX130, both sent as http
    body = http("variable", "/a", domain="h", extra=s("HTTPSampler.protocol", "${proto}")) + http(
        "literal", "/a", domain="h", extra=s("HTTPSampler.protocol", " http")
    )
    sc = convert(tmp_path, plan(_udv(proto=" http") + tg(body)))
    assert _urls(sc) == {"variable": "http://h/a", "literal": "http://h/a"}
    variable, literal = _messages(sc, "JMX130")
    assert variable.startswith("protocol '${proto}' (read as ' http') holds a space or control character: ")
    assert literal.startswith("protocol ' http' holds a space or control character: ")
    assert "JMX104" not in codes(sc)


def test_messages_say_what_the_java_implementation_does_where_it_differs(tmp_path: pathlib.Path) -> None:
    # HTTPJavaImpl.setupConnection: (HttpURLConnection) url.openConnection(), no java.net.URI and no
    # HttpClient: an ftp URL's connection is no HttpURLConnection (ClassCastException), a server name is
    # connected to as it is; HttpClient4 (the default) refuses the scheme, and java.net.URI the name or path
    def sampler(
        name: str, implementation: str, protocol: str = "http", domain: str = "h", path: str = "/a"
    ) -> str:
        extra = s("HTTPSampler.implementation", implementation) + s("HTTPSampler.protocol", protocol)
        return http(name, path, domain=domain, extra=extra)

    body = (
        sampler("java ftp", "Java", protocol="ftp")
        + sampler("hc4 ftp", "HttpClient4", protocol="ftp")
        + sampler("java host", "Java", domain="h .test")
        + sampler("hc4 host", "", domain="h .test")
        + sampler("java path", "Java", path="/a\tb")
        + sampler("hc4 path", "", path="/a\tb")
    )
    sc = convert(tmp_path, plan(tg(body)))
    by_name = {
        d.location.name: d.message for d in sc.diagnostics if d.code in ("JMX104", "JMX130") and d.location
    }
    assert (
        "ClassCastException" in by_name["java ftp"] and "HTTPJavaImpl.setupConnection" in by_name["java ftp"]
    )
    assert "HttpClient" not in by_name["java ftp"]
    assert "UnsupportedSchemeException 'ftp protocol is not supported'" in by_name["hc4 ftp"]
    assert "'Java' implementation connects to that name" in by_name["java host"]
    assert "java.net.URI" not in by_name["java host"] and "java.net.URI refuses" in by_name["hc4 host"]
    assert (
        "no HTTP request line can carry it" in by_name["java path"]
        and "no java.net.URI" in by_name["java path"]
    )
    assert "java.net.URI refuses it" in by_name["hc4 path"]


def test_a_port_variable_whose_value_is_no_port_is_left_out_of_the_url_as_the_text_written_out(
    tmp_path: pathlib.Path,
) -> None:
    # DECIDED: ${port} = 70000 is read as JMeter reads 70000 written out (JMX130, the protocol's default port):
    # the request card's URL has no ${port} (it would send to a port PerfTest cannot use either), and the plan
    # still declares the variable with its value (JMeter defines it; a body or header may use it); the action
    # says both. getPortIfSpecified reads text that is no number at all ("abc") as 0: default port, JMX902
    def run(value: str) -> Scenario:
        body = http("web", "/a", domain="h", extra=s("HTTPSampler.port", "${port}")) + _tcp(
            "tcp", port="${port}"
        )
        literal = http("literal", "/a", domain="h", extra=s("HTTPSampler.port", value))
        return convert(tmp_path, plan(_udv(port=value) + tg(body + literal)))

    huge = run("70000")
    assert _urls(huge) == {"web": "http://h/a", "tcp": "tcp://h", "literal": "http://h/a"}
    assert [(v.name, v.values) for v in huge.variables] == [("port", ["70000"])]
    actions = {d.location.name: d.action for d in _diagnostics(huge, "JMX130") if d.location}
    assert actions == {
        "web": "request kept with the protocol's default port; the URL leaves out '${port}', the plan's "
        "variables keep their values",
        "tcp": "the URL has no port; the URL leaves out '${port}', the plan's variables keep their values",
        "literal": "request kept with the protocol's default port",
    }
    word = run("abc")
    assert _urls(word) == {"web": "http://h/a", "tcp": "tcp://h", "literal": "http://h/a"}
    messages = {d.location.name: d.message for d in _diagnostics(word, "JMX902") if d.location}
    assert messages["web"].startswith("port '${port}' (read as 'abc') is not a number: JMeter reads it as 0")
    assert messages["literal"].startswith("port 'abc' is not a number: JMeter reads it as 0")
