"""Assertions, extractors, logic controllers and timeouts: what PerfTest cannot do is reported at the element
that asks for it, once, and never turned into something that behaves differently (audit findings 4, 5, 8, 11,
17). JMeter behaviour cited from apache/jmeter sources."""

from __future__ import annotations

import pathlib
from typing import Any

from converter.convert import Conversion, convert_jmx
from converter.model import Loop, Request
from tests.test_jmx_support import b, convert, el, http, plan, requests, row, s, tg


def _conversion(tmp_path: pathlib.Path, xml: str) -> Conversion:
    path = tmp_path / "plan.jmx"
    path.write_text(xml, encoding="utf-8")
    return convert_jmx(path)


def _status(conv: Conversion, name: str) -> tuple[str, list[str]]:
    found = next(r for r in conv.ledger if r.name == name)
    return found.status, found.codes


def _cards(conv: Conversion) -> list[dict[str, Any]]:
    """Every card of the case's steps, in order."""
    steps = next(op for op in conv.plan.operations if op.id.endswith(":content")).body["contents"]
    return [card for step in steps for card in step["content"]]


def test_what_perftest_cannot_check_or_extract_is_reported_once_at_the_element(
    tmp_path: pathlib.Path,
) -> None:
    # finding 4: a Duration Assertion and an XPath Extractor in scope of two samplers
    scoped = el("DurationAssertion", "fast", s("DurationAssertion.duration", "800")) + el(
        "XPathExtractor", "author", s("XPathExtractor.refname", "a") + s("XPathExtractor.xpathQuery", "//a")
    )
    conv = _conversion(tmp_path, plan(tg(scoped + http("one", domain="h") + http("two", domain="h"))))
    assert _status(conv, "fast") == ("not_converted", ["PT008"])
    assert _status(conv, "author") == ("not_converted", ["PT010"])
    assert _status(conv, "one") == _status(conv, "two") == ("converted", [])
    located = [(d.code, d.location.name if d.location else None) for d in conv.plan.diagnostics]
    assert [x for x in located if x[0] in ("PT008", "PT010")] == [("PT008", "fast"), ("PT010", "author")]
    assert [c["content_type"] for c in _cards(conv)] == [2, 2]  # both requests, neither check nor extraction


def test_foreach_and_a_while_until_failure_are_not_turned_into_loops_on_unset_variables(
    tmp_path: pathlib.Path,
) -> None:
    # finding 5: ForeachController sets ${id} from ids_1..N, WhileController (blank or LAST) stops when
    # JMeterThread.last_sample_ok is "false": PerfTest provides neither variable
    def each(name: str, extra: str = "") -> str:
        props = s("ForeachController.inputVal", "ids") + s("ForeachController.returnVal", "id") + extra
        return el("ForeachController", name, props, http(f"in {name}", "/item/${id}", domain="h"))

    def loop_while(name: str, condition: str) -> str:
        return el(
            "WhileController", name, s("WhileController.condition", condition), http(f"in {name}", domain="h")
        )

    body = (
        each("each")
        + each("each 3", s("ForeachController.startIndex", "2") + s("ForeachController.endIndex", "5"))
        + loop_while("blank", "")
        + loop_while("last", "LAST")
        + loop_while("explicit", "${JMeterThread.last_sample_ok}")
        + loop_while("flag", "${more}")
    )
    # a regex extractor with match number -1 sets ids_1, ids_2...: the ForEach runs (see test_jmx_gaps for none)
    extract = el(
        "RegexExtractor", "ids", s("RegexExtractor.refname", "ids") + s("RegexExtractor.match_number", "-1")
    )
    sc = convert(tmp_path, plan(tg(body + http("list", domain="h", children=extract))))
    once, counted, blank, last, explicit, flag, _ = sc.cases[0].steps
    assert isinstance(once, Request) and once.url == "http://h/item/${id}"
    assert isinstance(counted, Loop) and counted.count == 3 and counted.condition is None
    assert all(isinstance(step, Request) for step in (blank, last, explicit))
    assert isinstance(flag, Loop) and flag.condition == "${more} != false"
    for name, code in [("each", "JMX420"), ("each 3", "JMX420"), ("blank", "JMX421"), ("last", "JMX421")]:
        assert row(sc, name).status == "not_converted" and row(sc, name).codes == [code]
    assert row(sc, "explicit").codes == ["JMX421"] and row(sc, "flag").status == "converted"


def test_a_json_path_or_xpath_assertion_is_not_turned_into_a_whole_body_check(tmp_path: pathlib.Path) -> None:
    # finding 8: JMeter compares the value AT the path; a checkpoint sees the whole body, which never equals it
    def json_path(name: str, props: str) -> str:
        return el("JSONPathAssertion", name, s("JSON_PATH", "$.status") + props)

    kids = (
        json_path("equals", s("EXPECTED_VALUE", "OK") + b("JSONVALIDATION", True) + b("ISREGEX", False))
        + json_path("null", b("JSONVALIDATION", True) + b("EXPECT_NULL", True) + b("INVERT", True))
        + json_path("exists", b("JSONVALIDATION", False))
        + el("XPathAssertion", "xpath", s("XPath.xpath", "//ok"))
        + el("ResponseAssertion", "text", s("Assertion.test_field", "Assertion.response_data")
             + '<collectionProp name="Asserion.test_strings"><stringProp name="1">"status":"OK"</stringProp>'
             "</collectionProp>" + s("Assertion.test_type", "16"))
    )  # fmt: skip
    conv = _conversion(tmp_path, plan(tg(http("api", domain="h", children=kids))))
    body_checks = [c["content"]["body"] for c in _cards(conv) if c["content_type"] == 3]
    assert body_checks == [[{"condition": "contains", "value": '"status":"OK"'}]]
    for name in ("equals", "null", "exists", "xpath"):
        assert _status(conv, name) == ("not_converted", ["JMX620"])
    messages = [d.message for d in conv.plan.diagnostics if d.code == "JMX620"]
    assert messages[:2] == [
        "JSON Path assertion: $.status equals 'OK'",
        "JSON Path assertion: $.status is null (inverted)",
    ]
    assert _status(conv, "api") == ("converted", [])


def test_json_extractor_counts_follow_java_split_and_a_mismatch_extracts_nothing(
    tmp_path: pathlib.Path,
) -> None:
    # finding 17: JSONPostProcessor.buildConfig throws when the ';'-separated counts differ ("".split(";") is one
    # empty string, trailing empty strings are dropped), so JMeter sets none of the variables
    def json(name: str, names: str, paths: str, defaults: str | None) -> str:
        props = s("JSONPostProcessor.referenceNames", names) + s("JSONPostProcessor.jsonPathExprs", paths)
        if defaults is not None:
            props += s("JSONPostProcessor.defaultValues", defaults)
        return el("JSONPostProcessor", name, props)

    def regex(name: str, field: str) -> str:
        props = s("RegexExtractor.refname", name) + s("RegexExtractor.regex", "H: (.*)")
        return el("RegexExtractor", name, props + s("RegexExtractor.useHeaders", field))

    kids = (
        json("no defaults", "a;b", "$.a;$.b", None)
        + json("one default", "c;d", "$.c;$.d", "x")
        + json("trailing", "e;f;", "$.e;$.f", "1;2")
        + regex("request", "request_headers")
        + regex("message", "message")
        + regex("document", "as_document")
    )
    sc = convert(tmp_path, plan(tg(http("r", domain="h", children=kids))))
    extracts = requests(sc.cases[0].steps)[0].extracts
    assert [(e.variable, e.expression, e.default, e.source) for e in extracts] == [
        ("e", "$.e", "1", "body"),
        ("f", "$.f", "2", "body"),
        ("document", "H: (.*)", "", "body"),
    ]
    for name, code in [
        ("no defaults", "JMX720"),
        ("one default", "JMX720"),
        ("request", "JMX701"),
        ("message", "JMX701"),
    ]:
        assert row(sc, name).status == "not_converted" and row(sc, name).codes == [code]
    assert row(sc, "trailing").status == "converted" and row(sc, "document").status == "approximated"


def test_an_unset_response_timeout_waits_perftests_maximum_and_is_said_once(tmp_path: pathlib.Path) -> None:
    # finding 11: HTTPHC4Impl sets a socket timeout only when response_timeout > 0: JMeter waits without limit
    timed = http("timed", domain="h", extra=s("HTTPSampler.response_timeout", "2000"))
    conv = _conversion(tmp_path, plan(tg(http("a", domain="h") + http("b", domain="h") + timed)))
    timeouts = [c["content"]["return_timeout"] for c in _cards(conv)]
    assert timeouts == [300_000, 300_000, 2000]
    notes = [d for d in conv.plan.diagnostics if d.code == "PT023"]
    assert len(notes) == 1 and notes[0].location is None and notes[0].severity == "warning"
    assert _status(conv, "a") == _status(conv, "timed") == ("converted", [])


def test_an_if_on_a_variable_only_jmeter_sets_is_not_converted(tmp_path: pathlib.Path) -> None:
    """`${JMeterThread.last_sample_ok}` and an extractor's `_matchNr` are never set in PerfTest."""

    def when(name: str, condition: str) -> str:
        return el(
            "IfController", name, s("IfController.condition", condition), http(f"in {name}", domain="h")
        )

    body = (
        when("ok", "${JMeterThread.last_sample_ok}")
        + when("found", "${__jexl3(${ids_matchNr} > 0)}")
        + when("role", '"${role}" == "admin"')
    )
    sc = convert(tmp_path, plan(tg(body)))
    ok, found, role = sc.cases[0].steps
    assert isinstance(ok, Request) and isinstance(found, Request)  # the children run every time
    assert not isinstance(role, Request) and role.kind == "condition"
    for name in ("ok", "found"):
        assert row(sc, name).status == "not_converted" and row(sc, name).codes == ["JMX422"]
    assert row(sc, "role").status == "converted"


def test_a_while_on_a_bare_comparison_never_ends_in_jmeter_and_is_said_so(tmp_path: pathlib.Path) -> None:
    def loop_while(name: str, condition: str) -> str:
        return el(
            "WhileController", name, s("WhileController.condition", condition), http(f"in {name}", domain="h")
        )

    sc = convert(
        tmp_path, plan(tg(loop_while("bare", "${i} < 5") + loop_while("jexl", "${__jexl3(${i} < 5)}")))
    )
    bare, jexl = sc.cases[0].steps
    assert isinstance(bare, Loop) and isinstance(jexl, Loop) and bare.condition == jexl.condition
    assert row(sc, "bare").status == "approximated" and row(sc, "bare").codes == ["JMX404"]
    assert row(sc, "jexl").status == "converted"
