"""Numbers JMeter parses itself, read the way its getters read them (one Java integer reader,
props.java_int): the HTTP and TCP timeouts (getPropertyAsInt: Integer.parseInt of the text as it is, not
trimmed), the HTTP port (getPortIfSpecified: Integer.parseInt of the text after String.trim) and the
Response Assertion's test type (getTestType: Contains when unset, else getIntValue). A sampler's own text is
kept unless it is empty: AbstractTestElement.addProperty merges a default only into a missing or empty
property. Sources: apache/jmeter AbstractProperty.getIntValue, AbstractTestElement.addProperty,
HTTPSamplerBase.getPortIfSpecified, TCPSampler.getTimeout/getConnectTimeout, ResponseAssertion.getTestType."""

from __future__ import annotations

import pathlib

from converter.model import Scenario
from tests.test_jmx_support import codes, convert, el, http, plan, requests, row, s, tg


def _defaults(props: str) -> str:
    return el("ConfigTestElement", "defaults", props, guiclass="HttpDefaultsGui")


def _diag(sc: Scenario, code: str) -> list[str]:
    return [d.message for d in sc.diagnostics if d.code == code]


def test_http_timeouts_are_not_trimmed_before_integer_parseint(tmp_path: pathlib.Path) -> None:
    # " 5000" and "30000 " throw NumberFormatException in getIntValue: 0, so no connect timeout (JMeter waits
    # as long as the OS does) and no response timeout; said with JMX224, as for "1000.5"
    padded = s("HTTPSampler.connect_timeout", " 5000") + s("HTTPSampler.response_timeout", "30000 ")
    exact = s("HTTPSampler.connect_timeout", "5000") + s("HTTPSampler.response_timeout", "30000")
    sc = convert(
        tmp_path, plan(tg(http("padded", domain="h", extra=padded) + http("exact", domain="h", extra=exact)))
    )
    got = [(r.connect_timeout_ms, r.response_timeout_ms) for r in requests(sc.cases[0].steps)]
    assert got == [(None, 0), (5000, 30000)]
    assert row(sc, "padded").codes == ["JMX224"] and row(sc, "exact").codes == []
    assert "JMX128" in codes(sc)  # no connect timeout: said once for the plan
    assert _diag(sc, "JMX224") == [
        "connect timeout ' 5000' is not a whole number as Java reads it (Integer.parseInt: an optional sign and "
        "digits, within 32-bit range): JMeter reads it as 0, not 5000",
        "response timeout '30000 ' is not a whole number as Java reads it (Integer.parseInt: an optional sign "
        "and digits, within 32-bit range): JMeter reads it as 0, not 30000",
    ]


def test_a_blank_sampler_timeout_is_not_replaced_by_the_defaults(tmp_path: pathlib.Path) -> None:
    # the sampler's " " is not empty: the defaults' 5000 is not merged, and " " reads as 0 (no timeout);
    # an empty one takes the defaults' value
    defaults = _defaults(s("HTTPSampler.connect_timeout", "5000") + s("HTTPSampler.response_timeout", "7000"))
    blank = s("HTTPSampler.connect_timeout", " ") + s("HTTPSampler.response_timeout", " ")
    empty = s("HTTPSampler.connect_timeout", "") + s("HTTPSampler.response_timeout", "")
    body = http("blank", domain="h", extra=blank) + http("empty", domain="h", extra=empty)
    sc = convert(tmp_path, plan(tg(defaults + body)))
    got = [(r.connect_timeout_ms, r.response_timeout_ms) for r in requests(sc.cases[0].steps)]
    assert got == [(None, 0), (5000, 7000)]


def test_tcp_timeouts_are_not_trimmed_before_integer_parseint(tmp_path: pathlib.Path) -> None:
    def tcp(name: str, connect: str, response: str) -> str:
        return el("TCPSampler", name, s("TCPSampler.server", "10.0.0.1") + s("TCPSampler.port", "9000")
                  + s("TCPSampler.request", "PING") + s("TCPSampler.ctimeout", connect)
                  + s("TCPSampler.timeout", response))  # fmt: skip

    sc = convert(tmp_path, plan(tg(tcp("padded", "2000 ", " 3000") + tcp("exact", "2000", "3000"))))
    got = [(r.connect_timeout_ms, r.response_timeout_ms) for r in requests(sc.cases[0].steps)]
    assert got == [(None, 0), (2000, 3000)]
    assert "JMX224" in row(sc, "padded").codes and "JMX224" not in row(sc, "exact").codes


def test_the_port_is_trimmed_as_java_trims_and_a_blank_one_keeps_the_scheme_default(
    tmp_path: pathlib.Path,
) -> None:
    # String.trim takes spaces and control characters off, not a no-break space: "\u00a08080" fails
    # Integer.parseInt (the scheme's default port); a blank sampler port is not replaced by the defaults' 8080
    urls = []
    for own in (" 8080\t", "\u00a08080", " "):
        body = _defaults(s("HTTPSampler.port", "8080")) + http(
            "a", "/p", domain="h", extra=s("HTTPSampler.port", own)
        )
        urls.append(requests(convert(tmp_path, plan(tg(body))).cases[0].steps)[0].url)
    assert urls == ["http://h:8080/p", "http://h/p", "http://h/p"]
    body = _defaults(s("HTTPSampler.port", "8080")) + http(
        "a", "/p", domain="h", extra=s("HTTPSampler.port", "")
    )
    assert requests(convert(tmp_path, plan(tg(body))).cases[0].steps)[0].url == "http://h:8080/p"


def test_response_assertion_test_type_is_read_as_getintvalue(tmp_path: pathlib.Path) -> None:
    # getTestType: unset is Contains (2); otherwise Integer.parseInt of the text, 0 when that throws (" 8",
    # "") and 0 has no mode bit, so JMeter tests Matches (the whole text matches the pattern)
    def assertion(name: str, test_type: str | None) -> str:
        props = '<collectionProp name="Asserion.test_strings"><stringProp name="1">ok</stringProp></collectionProp>'
        props += s("Assertion.test_field", "Assertion.response_data")
        if test_type is not None:
            props += s("Assertion.test_type", test_type)
        return el("ResponseAssertion", name, props, guiclass="AssertionGui")

    children = (
        assertion("unset", None)
        + assertion("padded", " 8")
        + assertion("empty", "")
        + assertion("equals", "8")
    )
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=children))))
    checks = [(c.operator, c.values) for c in requests(sc.cases[0].steps)[0].checks]
    assert checks == [("regex", ["ok"]), ("regex", ["^(?:ok)$"]), ("regex", ["^(?:ok)$"]), ("equals", ["ok"])]
    assert _diag(sc, "JMX224") == [
        "test type ' 8' is not a whole number as Java reads it (Integer.parseInt: an optional sign and digits, "
        "within 32-bit range): JMeter reads it as 0, not 8"
    ]
