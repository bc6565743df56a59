"""Builders for small inline JMX plans used by the JMX tests (plus a self-check of the builders)."""

from __future__ import annotations

import pathlib
from typing import Any
from xml.sax.saxutils import escape

from converter.model import Request, Scenario, Step
from converter.parsers.jmx import parse_jmx


def s(name: str, value: object) -> str:
    return f'<stringProp name="{name}">{escape(str(value))}</stringProp>'


def b(name: str, value: bool) -> str:
    return f'<boolProp name="{name}">{"true" if value else "false"}</boolProp>'


def i(name: str, value: int) -> str:
    return f'<intProp name="{name}">{value}</intProp>'


def el(
    tag: str,
    name: str,
    props: str = "",
    children: str | None = "",
    *,
    testclass: str | None = None,
    guiclass: str = "",
    enabled: bool = True,
) -> str:
    """An element followed by its hashTree (``children=None``: no hashTree at all)."""
    tc = testclass or tag
    head = f'<{tag} guiclass="{guiclass or tc + "Gui"}" testclass="{tc}" testname="{escape(name)}" enabled="{"true" if enabled else "false"}">{props}</{tag}>'
    if children is None:
        return head
    return head + (f"<hashTree>{children}</hashTree>" if children else "<hashTree/>")


def args(*pairs: tuple[str, str], encode: bool = False, name: str = "HTTPsampler.Arguments") -> str:
    items = "".join(
        f'<elementProp name="{escape(k)}" elementType="HTTPArgument">{s("Argument.name", k)}{s("Argument.value", v)}'
        f"{b('HTTPArgument.always_encode', encode)}{s('Argument.metadata', '=')}</elementProp>"
        for k, v in pairs
    )
    return f'<elementProp name="{name}" elementType="Arguments"><collectionProp name="Arguments.arguments">{items}</collectionProp></elementProp>'


def http(
    name: str,
    path: str = "/",
    *,
    method: str = "GET",
    domain: str = "",
    extra: str = "",
    children: str = "",
    params: tuple[tuple[str, str], ...] = (),
    raw: str | None = None,
    enabled: bool = True,
    follow: bool | None = True,
) -> str:
    """An HTTP Request as the GUI saves it: Follow Redirects and Use KeepAlive on unless ``extra`` sets them
    (``follow=None``: no follow_redirects property at all, which JMeter reads as off)."""
    props = s("HTTPSampler.domain", domain) + s("HTTPSampler.path", path) + s("HTTPSampler.method", method)
    if "HTTPSampler.use_keepalive" not in extra:  # as JMeter's GUI saves it (unset means off)
        props += b("HTTPSampler.use_keepalive", True)
    if follow is not None and "_redirects" not in extra:
        props += b("HTTPSampler.follow_redirects", follow)
    if raw is not None:
        props += b("HTTPSampler.postBodyRaw", True) + args(("", raw))
    else:
        props += args(*params)
    return el(
        "HTTPSamplerProxy", name, props + extra, children, guiclass="HttpTestSampleGui", enabled=enabled
    )


def tg(
    body: str,
    *,
    name: str = "TG",
    threads: str = "1",
    ramp: str = "0",
    loops: str = "1",
    extra: str = "",
    tag: str = "ThreadGroup",
) -> str:
    loop = (
        f'<elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" '
        f'testclass="LoopController" testname="Loop Controller" enabled="true">{b("LoopController.continue_forever", False)}'
        f"{s('LoopController.loops', loops)}</elementProp>"
    )
    props = loop + s("ThreadGroup.num_threads", threads) + s("ThreadGroup.ramp_time", ramp) + extra
    return el(tag, name, props, body)


def plan(body: str, plan_props: str = "", name: str = "Plan") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3"><hashTree>'
        f'<TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="{name}" enabled="true">{plan_props}</TestPlan>'
        f"<hashTree>{body}</hashTree></hashTree></jmeterTestPlan>"
    )


def convert(tmp_path: pathlib.Path, xml: str, **kwargs: Any) -> Scenario:
    path = tmp_path / "plan.jmx"
    path.write_text(xml, encoding="utf-8")
    return parse_jmx(path, **kwargs)


def requests(steps: list[Step]) -> list[Request]:
    """All requests in ``steps``, depth first (controllers included)."""
    out: list[Request] = []
    for step in steps:
        if isinstance(step, Request):
            out.append(step)
        elif hasattr(step, "steps"):
            out += requests(step.steps)
    return out


def codes(scenario: Scenario) -> set[str]:
    return {d.code for d in scenario.diagnostics}


def row(scenario: Scenario, name: str) -> Any:
    return next(r for r in scenario.ledger if r.name == name)


def test_builders_make_a_convertible_plan(tmp_path: pathlib.Path) -> None:
    scenario = convert(tmp_path, plan(tg(http("home", domain="example.com"))))
    assert [r.url for r in requests(scenario.cases[0].steps)] == ["http://example.com/"]
    assert [r.source for r in scenario.ledger] == [
        "jmx:/TestPlan",
        "jmx:/TestPlan/ThreadGroup[1]",
        "jmx:/TestPlan/ThreadGroup[1]/HTTPSamplerProxy[1]",
    ]


def header_manager(name: str, *pairs: tuple[str, str]) -> str:
    """A Header Manager element with ``(name, value)`` headers, in order."""
    items = "".join(
        f'<elementProp name="" elementType="Header">{s("Header.name", k)}{s("Header.value", v)}</elementProp>'
        for k, v in pairs
    )
    return el("HeaderManager", name, f'<collectionProp name="HeaderManager.headers">{items}</collectionProp>')


def files(*entries: tuple[str, str, str]) -> str:
    """An HTTP Request's Files Upload property: ``(path, parameter name, MIME type)`` rows."""
    items = "".join(
        f'<elementProp name="{p}" elementType="HTTPFileArg">{s("File.path", p)}{s("File.paramname", n)}'
        f"{s('File.mimetype', m)}</elementProp>"
        for p, n, m in entries
    )
    return (
        '<elementProp name="HTTPsampler.Files" elementType="HTTPFileArgs">'
        f'<collectionProp name="HTTPFileArgs.files">{items}</collectionProp></elementProp>'
    )
