"""How the JMX reader reads saved properties: each element is indexed once, so the odd forms JMeter and
hand edits produce must still read as before (first property of a name for settings, the last one for the
HTTP fields read by name, ``<name>``/``<value>`` children, non-scalar properties giving the default)."""

from __future__ import annotations

import pathlib

from tests.test_jmx_support import convert, el, http, plan, requests, s, tg


def test_http_fields_read_by_name_take_the_last_duplicate(tmp_path: pathlib.Path) -> None:
    sampler = http("dup", "/first", domain="example.com", extra=s("HTTPSampler.path", "/second"))
    scenario = convert(tmp_path, plan(tg(sampler)))
    assert [r.url for r in requests(scenario.cases[0].steps)] == ["http://example.com/second"]


def test_a_setting_saved_twice_reads_its_first_value(tmp_path: pathlib.Path) -> None:
    timer = el("ConstantTimer", "t", s("ConstantTimer.delay", "300") + s("ConstantTimer.delay", "900"))
    scenario = convert(tmp_path, plan(tg(timer + http("a", domain="example.com"))))
    thinks = [step for step in scenario.cases[0].steps if step.kind == "think"]
    assert [t.ms for t in thinks] == [300]


def test_name_and_value_children_and_structured_properties(tmp_path: pathlib.Path) -> None:
    # <stringProp><name>..</name><value>..</value></stringProp> reads like name="..."; a collectionProp where
    # a scalar is expected gives the default
    timer = el(
        "ConstantTimer",
        "t",
        "<stringProp><name>ConstantTimer.delay</name><value>450</value></stringProp>",
    )
    odd = el("ConstantTimer", "u", '<collectionProp name="ConstantTimer.delay"/>')
    scenario = convert(tmp_path, plan(tg(timer + odd + http("a", domain="example.com"))))
    assert [step.ms for step in scenario.cases[0].steps if step.kind == "think"] == [450, 0]


def test_samplers_sharing_a_scope_each_get_their_own_headers_and_checks(tmp_path: pathlib.Path) -> None:
    headers = el(
        "HeaderManager",
        "h",
        '<collectionProp name="HeaderManager.headers"><elementProp name="" elementType="Header">'
        f"{s('Header.name', 'Accept')}{s('Header.value', 'text/html')}</elementProp></collectionProp>",
    )
    own = el(
        "HeaderManager",
        "own",
        '<collectionProp name="HeaderManager.headers"><elementProp name="" elementType="Header">'
        f"{s('Header.name', 'Accept')}{s('Header.value', 'application/json')}</elementProp></collectionProp>",
    )
    body = headers + http("a", domain="example.com", children=own) + http("b", domain="example.com")
    found = requests(convert(tmp_path, plan(tg(body))).cases[0].steps)
    assert [[(h.name, h.value) for h in r.headers] for r in found] == [
        [("Accept", "application/json")],
        [("Accept", "text/html")],
    ]
    found[0].headers.clear()
    assert found[1].headers  # no list is shared between requests


def test_header_rows_read_their_first_name_and_value_in_any_form(tmp_path: pathlib.Path) -> None:
    # each Header row is read in one pass: the first property of a name wins, <name>/<value> children count,
    # a structured property where a scalar is expected reads as empty (a row without a name is skipped)
    rows = (
        '<elementProp name="" elementType="Header">'
        f"{s('Header.name', 'X-One')}{s('Header.name', 'X-Ignored')}{s('Header.value', 'v1')}</elementProp>"
        '<elementProp name="" elementType="Header">'
        "<stringProp><name>Header.name</name><value>X-Two</value></stringProp>"
        '<collectionProp name="Header.value"/></elementProp>'
        '<elementProp name="" elementType="Header">'
        f'<collectionProp name="Header.name"/>{s("Header.value", "lost")}</elementProp>'
    )
    headers = el(
        "HeaderManager", "h", f'<collectionProp name="HeaderManager.headers">{rows}</collectionProp>'
    )
    (request,) = requests(
        convert(tmp_path, plan(tg(headers + http("a", domain="example.com")))).cases[0].steps
    )
    assert [(h.name, h.value) for h in request.headers] == [("X-One", "v1"), ("X-Two", "")]


def test_http_fields_with_and_without_expressions_read_alike(tmp_path: pathlib.Path) -> None:
    # a sampler's texts are its settings as they are unless one holds an expression (then all are rendered);
    # an elementProp under an HTTPSampler.* name leaves that setting unset (the defaults' value applies)
    defaults = el(
        "ConfigTestElement",
        "d",
        s("HTTPSampler.domain", "defaults.example") + s("HTTPSampler.path", "/from-defaults"),
        guiclass="HttpDefaultsGui",
    )
    plain = http("plain", "/a", domain="example.com", extra=s("HTTPSampler.port", " 8080 "))
    rendered = http("rendered", "/b/${__P(id,7)}", domain="${__P(host,example.org)}")
    structured = http("structured", domain="example.net", extra='<elementProp name="HTTPSampler.path"/>')
    structured = structured.replace(s("HTTPSampler.path", "/"), "")
    scenario = convert(tmp_path, plan(tg(defaults + plain + rendered + structured)), properties={"id": "9"})
    assert [r.url for r in requests(scenario.cases[0].steps)] == [
        "http://example.com:8080/a",
        "http://example.org/b/9",
        "http://example.net/from-defaults",
    ]
