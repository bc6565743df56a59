"""Typed properties as JMeter loads and merges them: HTTP Request Defaults and TCP Sampler Configs replace only
a missing property or an empty string property of the sampler (AbstractTestElement.addProperty), so an empty
boolProp (false) or intProp is kept; and a numeric property whose text Java cannot read makes JMeter refuse the
whole plan (JMX132)."""

from __future__ import annotations

import pathlib

from converter.model import Scenario
from tests.test_jmx_support import codes, convert, el, http, plan, requests, row, s, tg


def _defaults(props: str, name: str = "defaults") -> str:
    return el("ConfigTestElement", name, props, guiclass="HttpDefaultsGui")


def _urls(sc: Scenario) -> dict[str, str]:
    return {r.name: r.url for r in requests(sc.cases[0].steps)}


def _empty(tag: str, name: str) -> str:
    return f'<{tag} name="{name}"></{tag}>'


def test_an_empty_boolprop_on_the_sampler_is_false_not_the_defaults_value(tmp_path: pathlib.Path) -> None:
    # BooleanPropertyConverter: Boolean.valueOf("") is false, a BooleanProperty the defaults do not replace
    defaults = _defaults('<boolProp name="HTTPSampler.image_parser">true</boolProp>')
    body = (
        http("empty bool", "/a", domain="h", extra=_empty("boolProp", "HTTPSampler.image_parser"))
        + http("empty string", "/a", domain="h", extra=s("HTTPSampler.image_parser", ""))
        + http("unset", "/a", domain="h")
    )
    sc = convert(tmp_path, plan(tg(defaults + body)))
    assert "JMX102" not in row(sc, "empty bool").codes
    assert "JMX102" in row(sc, "empty string").codes and "JMX102" in row(sc, "unset").codes


def test_an_empty_keepalive_boolprop_is_off_whatever_the_defaults_say(tmp_path: pathlib.Path) -> None:
    defaults = _defaults('<boolProp name="HTTPSampler.use_keepalive">true</boolProp>')
    body = http("empty", "/a", domain="h", extra=_empty("boolProp", "HTTPSampler.use_keepalive")) + http(
        "on", "/a", domain="h"
    )
    sc = convert(tmp_path, plan(tg(defaults + body)))
    [message] = [d.message for d in sc.diagnostics if d.code == "JMX123"]
    assert "'Use KeepAlive' is off" in message
    assert "JMX123" in row(sc, "empty").codes and "JMX123" not in row(sc, "on").codes


def test_an_empty_boolprop_in_inner_defaults_hides_the_outer_value(tmp_path: pathlib.Path) -> None:
    outer = _defaults('<boolProp name="HTTPSampler.image_parser">true</boolProp>', "outer")
    inner = _defaults(_empty("boolProp", "HTTPSampler.image_parser"), "inner")
    sc = convert(tmp_path, plan(outer + tg(inner + http("r", "/a", domain="h"))))
    assert "JMX102" not in codes(sc)


def test_an_empty_intprop_is_not_replaced_and_jmeter_cannot_load_it(tmp_path: pathlib.Path) -> None:
    defaults = _defaults(s("HTTPSampler.port", "8080"))
    body = http("empty int", "/a", domain="h", extra=_empty("intProp", "HTTPSampler.port")) + http(
        "empty string", "/a", domain="h", extra=s("HTTPSampler.port", "")
    )
    sc = convert(tmp_path, plan(tg(defaults + body)))
    assert _urls(sc) == {"empty int": "http://h/a", "empty string": "http://h:8080/a"}
    [diag] = [d for d in sc.diagnostics if d.code == "JMX132"]
    assert diag.severity == "warning" and diag.location is not None and diag.location.name == "empty int"
    assert "intProp 'HTTPSampler.port' = ''" in diag.message and "Integer.parseInt" in diag.message
    assert "refuses to open this plan" in diag.message


def test_tcp_sampler_config_does_not_replace_an_empty_intprop(tmp_path: pathlib.Path) -> None:
    config = el("ConfigTestElement", "tcp config", s("TCPSampler.port", "7000"), guiclass="TCPConfigGui")
    empty = _empty("intProp", "TCPSampler.port")
    body = el("TCPSampler", "int", s("TCPSampler.server", "h") + empty, guiclass="TCPSamplerGui") + el(
        "TCPSampler",
        "string",
        s("TCPSampler.server", "h") + s("TCPSampler.port", ""),
        guiclass="TCPSamplerGui",
    )
    sc = convert(tmp_path, plan(tg(config + body)))
    assert _urls(sc) == {"int": "tcp://h", "string": "tcp://h:7000"}
    assert "JMX132" in row(sc, "int").codes and "JMX132" not in row(sc, "string").codes


def test_int_and_long_properties_java_cannot_read_anywhere_in_the_file(tmp_path: pathlib.Path) -> None:
    # IntegerPropertyConverter / LongPropertyConverter parse the text as it is: Integer.parseInt(" 5") throws;
    # a disabled element is loaded too; a doubleProp has no such converter (its value is a <value> child)
    good = (
        '<intProp name="a">-5</intProp><intProp name="b">+7</intProp><longProp name="c">9000000000</longProp>'
        "<doubleProp><name>d</name><value>0.5</value><savedValue>0.0</savedValue></doubleProp>"
    )
    bad_props = '<intProp name="x"> 5</intProp><longProp name="y">1.5</longProp><intProp name="z">3000000000</intProp>'
    disabled = el("ConstantTimer", "off", '<longProp name="w"/>', enabled=False)
    body = el("ConstantTimer", "good", s("ConstantTimer.delay", "10") + good) + el(
        "ConstantTimer", "bad", s("ConstantTimer.delay", "10") + bad_props
    )
    sc = convert(tmp_path, plan(tg(body + disabled + http("r", "/a", domain="h"))))
    found = sorted((d.location.name, d.message.split(":")[0]) for d in sc.diagnostics if d.code == "JMX132")
    assert found == [
        ("bad", "intProp 'x' = ' 5'"),
        ("bad", "intProp 'z' = '3000000000'"),
        ("bad", "longProp 'y' = '1.5'"),
        ("off", "longProp 'w' = ''"),
    ]
    assert "JMX132" not in row(sc, "good").codes


def test_a_present_flag_is_on_only_for_the_text_true_even_where_the_getter_defaults_to_on(
    tmp_path: pathlib.Path,
) -> None:
    """getPropertyAsBoolean(name, true) gives true only for an absent property; a present one is
    Boolean.parseBoolean of its untrimmed text: "" or " true " is false, "TRUE" is true."""

    def new_user(text: str | None) -> bool:
        flag = (
            ""
            if text is None
            else f'<boolProp name="ThreadGroup.same_user_on_next_iteration">{text}</boolProp>'
        )
        sc = convert(tmp_path, plan(tg(http("r", "/a", domain="h"), extra=flag)))
        return "JMX209" in codes(sc)

    assert not new_user(None) and not new_user("true") and not new_user("TRUE")
    assert new_user("") and new_user(" true ") and new_user("yes") and new_user("false")
    assert not new_user("${SAME_USER}")  # known only at run time: the getter's default stands


def test_a_spaced_true_keepalive_is_off_as_in_jmeter(tmp_path: pathlib.Path) -> None:
    spaced = http(
        "spaced", "/a", domain="h", extra='<boolProp name="HTTPSampler.use_keepalive"> true </boolProp>'
    )
    sc = convert(tmp_path, plan(tg(spaced)))
    assert "JMX123" in row(sc, "spaced").codes


def test_decimal_properties_java_cannot_read_and_floatprop_make_jmeter_refuse_the_file(
    tmp_path: pathlib.Path,
) -> None:
    # saveservice.properties: doubleProp is DoubleProperty and FloatProperty its own alias, both loaded by
    # XStream's reflection converter, whose DoubleConverter / FloatConverter are Double.valueOf / Float.valueOf
    # of the <value> / <savedValue> text (trimmed, "2f", "1e3", "NaN" read; "", "1,5", "nan" throw); floatProp
    # is commented out there ("already defined as FloatProperty"): no class, the load fails
    def decimal(tag: str, name: str, value: str, saved: str = "0.0") -> str:
        return f"<{tag}><name>{name}</name><value>{value}</value><savedValue>{saved}</savedValue></{tag}>"

    good = (
        decimal("doubleProp", "a", " 1e3 ")
        + decimal("doubleProp", "b", "NaN")
        + decimal("FloatProperty", "c", "2f")
        + decimal("doubleProp", "d", "0x1p4")
        + decimal("doubleProp", "e", "-.5", saved="Infinity")
    )
    bad = (
        decimal("doubleProp", "x", "")
        + decimal("FloatProperty", "y", "1,5")
        + decimal("doubleProp", "z", "0.5", saved="nan")
        + '<floatProp name="f">0.5</floatProp>'
    )
    body = el("ConstantTimer", "good", s("ConstantTimer.delay", "10") + good) + el(
        "ConstantTimer", "bad", s("ConstantTimer.delay", "10") + bad
    )
    sc = convert(tmp_path, plan(tg(body + http("r", "/a", domain="h"))))
    found = sorted(
        (d.code, d.location.name, d.message.split(":")[0])
        for d in sc.diagnostics
        if d.code in ("JMX132", "JMX134") and d.location
    )
    assert found == [
        ("JMX132", "bad", "FloatProperty 'y' value = '1,5'"),
        ("JMX132", "bad", "doubleProp 'x' value = ''"),
        ("JMX132", "bad", "doubleProp 'z' savedValue = 'nan'"),
        ("JMX134", "bad", "floatProp 'f'"),
    ]
    messages = {d.message.split(":")[0]: d.message for d in sc.diagnostics}
    assert "Float.valueOf" in messages["FloatProperty 'y' value = '1,5'"]
    assert "Double.valueOf" in messages["doubleProp 'x' value = ''"]
    assert "refuses to open this plan" in messages["floatProp 'f'"]
    assert "CannotResolveClassException" in messages["floatProp 'f'"]
    assert "JMX132" not in row(sc, "good").codes


def test_a_floatprop_alone_is_enough_to_look_for_what_jmeter_cannot_load(tmp_path: pathlib.Path) -> None:
    # the quick look at the bytes (reader._ODD_NUMBER) must not skip a file whose only odd property is a floatProp
    timer = el("ConstantTimer", "t", s("ConstantTimer.delay", "10") + '<floatProp name="f">1.0</floatProp>')
    sc = convert(tmp_path, plan(tg(timer + http("r", "/a", domain="h"))))
    assert "JMX134" in row(sc, "t").codes


def test_a_bad_doubleprop_alone_is_enough_to_look_for_what_jmeter_cannot_load(tmp_path: pathlib.Path) -> None:
    double = "<doubleProp><name>throughput</name><value>six</value><savedValue>0.0</savedValue></doubleProp>"
    timer = el("ConstantThroughputTimer", "t", double)
    sc = convert(tmp_path, plan(tg(timer + http("r", "/a", domain="h"))))
    assert "JMX132" in row(sc, "t").codes
