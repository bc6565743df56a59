"""Secure reading: XXE, external DTDs and entity bombs refused; bad input gives InputError, never a crash."""

from __future__ import annotations

import pathlib
import socket
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.errors import InputError
from converter.model import Scenario
from converter.parsers.jmx import parse_jmx
from tests.test_jmx_support import http, plan, s, tg


def write(tmp_path: pathlib.Path, data: str | bytes, name: str = "plan.jmx") -> pathlib.Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_xxe_file_read_is_refused_and_secret_never_appears(tmp_path: pathlib.Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    body = plan(tg(http("x", domain="&xxe;")))
    doc = body.replace(
        "<jmeterTestPlan",
        f'<!DOCTYPE jmeterTestPlan [<!ENTITY xxe SYSTEM "file://{secret}">]>\n<jmeterTestPlan',
        1,
    )
    with pytest.raises(InputError) as info:
        parse_jmx(write(tmp_path, doc))
    assert "TOP-SECRET-42" not in str(info.value)
    assert "DOCTYPE" in info.value.message


def test_external_dtd_is_refused_without_a_network_request(tmp_path: pathlib.Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    hits: list[bool] = []

    def accept() -> None:
        try:
            conn, _ = server.accept()
            hits.append(True)
            conn.close()
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    doc = plan(tg("")).replace(
        "<jmeterTestPlan",
        f'<!DOCTYPE jmeterTestPlan SYSTEM "http://127.0.0.1:{port}/evil.dtd">\n<jmeterTestPlan',
        1,
    )
    try:
        with pytest.raises(InputError):
            parse_jmx(write(tmp_path, doc))
    finally:
        thread.join()
        server.close()
    assert not hits


def test_billion_laughs_is_refused(tmp_path: pathlib.Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    doc = plan(tg(http("&lol9;"))).replace(
        "<jmeterTestPlan", f"<!DOCTYPE lolz [{entities}]>\n<jmeterTestPlan", 1
    )
    with pytest.raises(InputError):
        parse_jmx(write(tmp_path, doc))


def test_utf16_doctype_is_refused_too(tmp_path: pathlib.Path) -> None:
    doc = (
        plan(tg(""))
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .replace("<jmeterTestPlan", '<!DOCTYPE x [<!ENTITY a "b">]>\n<jmeterTestPlan', 1)
    )
    with pytest.raises(InputError):
        parse_jmx(write(tmp_path, doc.encode("utf-16")))


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "XML"),
        (b"not xml at all", "XML"),
        (b"<root/>", "jmeterTestPlan"),
        (b"<jmeterTestPlan/>", "hashTree"),
        (b"<jmeterTestPlan><hashTree><ThreadGroup/></hashTree></jmeterTestPlan>", "TestPlan"),
        (b"<jmeterTestPlan><hashTree>", "XML"),
    ],
)
def test_unusable_input_is_an_input_error(tmp_path: pathlib.Path, data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_jmx(write(tmp_path, data))
    assert fragment in info.value.message


def test_missing_file_is_an_input_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(InputError):
        parse_jmx(tmp_path / "nope.jmx")


def test_utf8_bom_is_accepted(tmp_path: pathlib.Path) -> None:
    scenario = parse_jmx(write(tmp_path, b"\xef\xbb\xbf" + plan(tg(http("a", domain="h"))).encode()))
    assert scenario.cases[0].steps[0].url == "http://h/"  # type: ignore[union-attr]


def test_jmeter2_style_file_without_declaration_and_int_props(tmp_path: pathlib.Path) -> None:
    doc = plan(tg(http("a", domain="h"), threads="3")).replace('<?xml version="1.0" encoding="UTF-8"?>\n', "")
    doc = doc.replace(
        s("ThreadGroup.num_threads", "3"), '<intProp name="ThreadGroup.num_threads">3</intProp>'
    )
    scenario = parse_jmx(write(tmp_path, doc))
    assert scenario.cases[0].load.stages[0].users == 3


# -- fuzzing: a Scenario or an InputError, nothing else ------------------------------------------

BASE = plan(
    tg(
        http(
            "a",
            domain="h",
            children="<ResponseAssertion testclass='ResponseAssertion' testname='r'/><hashTree/>",
        )
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(tmp_path: pathlib.Path, data: bytes) -> None:
    try:
        result = parse_jmx(write(tmp_path, data, "fuzz.jmx"))
    except InputError:
        return
    assert isinstance(result, Scenario)


TAGS = [
    "hashTree", "TestPlan", "ThreadGroup", "HTTPSamplerProxy", "TransactionController", "LoopController",
    "IfController", "ModuleController", "ConstantTimer", "ResponseAssertion", "RegexExtractor", "HeaderManager",
    "CSVDataSet", "stringProp", "boolProp", "intProp", "elementProp", "collectionProp", "Foo",
    "kg.apc.jmeter.threads.UltimateThreadGroup", "SwitchController", "SyncTimer", "JSONPostProcessor",
]  # fmt: skip
PROP_NAMES = [
    "ThreadGroup.num_threads", "LoopController.loops", "HTTPSampler.path", "HTTPSampler.domain", "ConstantTimer.delay",
    "Assertion.test_type", "ModuleController.node_path", "IfController.condition", "ultimatethreadgroupdata",
    "HTTPsampler.Arguments", "SwitchController.value", "Asserion.test_strings", "filename",
]  # fmt: skip


XML_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=20)


@st.composite
def mutated_plans(draw: st.DrawFn) -> bytes:
    root = etree.fromstring(BASE.encode())
    for _ in range(draw(st.integers(1, 8))):
        nodes = list(root.iter())
        target = nodes[draw(st.integers(0, len(nodes) - 1))]
        op = draw(st.sampled_from(["add", "remove", "text", "attr", "dup"]))
        if op == "add":
            child = etree.SubElement(target, draw(st.sampled_from(TAGS)))
            child.set("name", draw(st.sampled_from(PROP_NAMES)))
            child.set("testclass", draw(st.sampled_from(TAGS)))
            child.text = draw(
                st.sampled_from(["", "-1", "abc", "${x}", "${__P(a,", "99999999999999999999", "1e400"])
            )
        elif op == "remove" and target.getparent() is not None:
            target.getparent().remove(target)
        elif op == "text":
            target.text = draw(XML_TEXT)
        elif op == "attr":
            target.set(draw(st.sampled_from(["enabled", "testclass", "testname", "name"])), draw(XML_TEXT))
        elif op == "dup" and target.getparent() is not None:
            target.getparent().append(etree.fromstring(etree.tostring(target)))
    return etree.tostring(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_plans())
def test_fuzz_mutated_trees(tmp_path: pathlib.Path, data: bytes) -> None:
    try:
        result = parse_jmx(write(tmp_path, data, "fuzz.jmx"))
    except InputError:
        return
    assert isinstance(result, Scenario)
    assert len({r.source for r in result.ledger}) == len(result.ledger)


def test_a_syntax_error_message_is_one_line(tmp_path: pathlib.Path) -> None:
    """libxml2's message for a NUL character holds a line break; the error a user sees is one line."""
    path = tmp_path / "nul.jmx"
    path.write_bytes(
        b'<?xml version="1.0"?>\n<jmeterTestPlan><hashTree><TestPlan testname="a\x00b"/></hashTree>'
    )
    with pytest.raises(InputError) as caught:
        parse_jmx(path)
    assert "not well-formed XML" in str(caught.value) and "\n" not in str(caught.value)
