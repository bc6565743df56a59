"""JMeter scoping (defaults precedence, header merge, timer/assertion/extractor scope) and inlining of Module
Controllers, Include Controllers and Test Fragments, with cycle detection."""

from __future__ import annotations

import pathlib

from converter.model import Request, Think
from tests.test_jmx_support import codes, convert, el, http, plan, requests, row, s, tg


def defaults(name: str, **values: str) -> str:
    props = "".join(s(f"HTTPSampler.{k}", v) for k, v in values.items())
    return el("ConfigTestElement", name, props, guiclass="HttpDefaultsGui")


def headers(name: str, *pairs: tuple[str, str]) -> str:
    items = "".join(
        f'<elementProp name="" elementType="Header">{s("Header.name", k)}{s("Header.value", v)}</elementProp>'
        for k, v in pairs
    )
    return el("HeaderManager", name, f'<collectionProp name="HeaderManager.headers">{items}</collectionProp>')


def test_defaults_precedence_sampler_then_nearest_scope_then_plan(tmp_path: pathlib.Path) -> None:
    xml = plan(
        defaults("plan", domain="plan.example", port="8080", protocol="https", response_timeout="9000")
        + tg(
            defaults("group", domain="group.example")
            + el(
                "GenericController",
                "inner",
                "",
                defaults("ctl", port="9090")
                + http("nearest", "/a")
                + http("own", "/b", domain="own.example"),
            )
            + http("group-level", "/c")
        )
    )
    sc = convert(tmp_path, xml)
    urls = {r.name: (r.url, r.response_timeout_ms) for r in requests(sc.cases[0].steps)}
    assert urls == {
        "nearest": ("https://group.example:9090/a", 9000),
        "own": ("https://own.example:9090/b", 9000),
        "group-level": ("https://group.example:8080/c", 9000),
    }


def test_header_managers_merge_inner_first_inner_wins(tmp_path: pathlib.Path) -> None:
    xml = plan(
        headers("plan", ("Accept", "*/*"), ("User-Agent", "plan"))
        + tg(
            headers("group", ("user-agent", "group"), ("X-Group", "1"))
            + http("a", domain="h", children=headers("own", ("Accept", "application/json")))
            + http("b", domain="h")
        )
    )
    sc = convert(tmp_path, xml)
    a, b = requests(sc.cases[0].steps)
    # HeaderManager.merge: the innermost manager's headers, then the outer ones' new names
    assert [(h.name, h.value) for h in a.headers] == [
        ("Accept", "application/json"),
        ("user-agent", "group"),
        ("X-Group", "1"),
    ]
    assert [(h.name, h.value) for h in b.headers] == [
        ("user-agent", "group"),
        ("X-Group", "1"),
        ("Accept", "*/*"),
    ]


def test_timers_apply_before_each_sampler_in_scope_only(tmp_path: pathlib.Path) -> None:
    timer = el("ConstantTimer", "t100", s("ConstantTimer.delay", "100"))
    own = el("ConstantTimer", "t5", s("ConstantTimer.delay", "5"))
    xml = plan(
        tg(
            el(
                "GenericController",
                "g",
                "",
                timer + http("a", domain="h") + http("b", domain="h", children=own),
            )
            + http("c", domain="h")
        )
    )
    steps = convert(tmp_path, xml).cases[0].steps
    shape = [(type(st).__name__, st.ms if isinstance(st, Think) else st.name) for st in steps]  # type: ignore[union-attr]
    assert shape == [
        ("Think", 100),
        ("Request", "a"),
        ("Think", 100),
        ("Think", 5),
        ("Request", "b"),
        ("Request", "c"),
    ]


def test_timer_position_among_siblings_does_not_matter(tmp_path: pathlib.Path) -> None:
    timer = el("ConstantTimer", "late", s("ConstantTimer.delay", "50"))
    steps = convert(tmp_path, plan(tg(http("a", domain="h") + timer))).cases[0].steps
    assert isinstance(steps[0], Think) and steps[0].ms == 50 and isinstance(steps[1], Request)


def test_assertion_and_extractor_scope(tmp_path: pathlib.Path) -> None:
    group_assert = el(
        "ResponseAssertion",
        "group-check",
        '<collectionProp name="Asserion.test_strings">'
        + s("1", "200")
        + "</collectionProp>"
        + s("Assertion.test_field", "Assertion.response_code")
        + '<intProp name="Assertion.test_type">8</intProp>',
    )
    own_extract = el(
        "RegexExtractor",
        "own-extract",
        s("RegexExtractor.refname", "v")
        + s("RegexExtractor.regex", "(.)")
        + s("RegexExtractor.template", "$1$"),
    )
    xml = plan(
        tg(group_assert + http("a", domain="h", children=own_extract) + http("b", domain="h"))
        + tg(http("c", domain="h"))
    )
    sc = convert(tmp_path, xml)
    a, b = requests(sc.cases[0].steps)
    (c,) = requests(sc.cases[1].steps)
    assert [ch.values for ch in a.checks] == [["200"]] and [ch.values for ch in b.checks] == [["200"]]
    assert c.checks == []
    assert [e.variable for e in a.extracts] == ["v"] and b.extracts == [] and c.extracts == []


def test_module_controller_inlines_a_test_fragment(tmp_path: pathlib.Path) -> None:
    fragment = el(
        "TestFragmentController", "Frag", "", el("GenericController", "Login", "", http("login", domain="h"))
    )
    unused = el("TestFragmentController", "Unused", "", http("never", domain="h"))
    path = (
        '<collectionProp name="ModuleController.node_path">'
        + s("1", "Test Plan")
        + s("2", "Plan")
        + s("3", "Frag")
        + s("4", "Login")
        + "</collectionProp>"
    )
    xml = plan(fragment + unused + tg(el("ModuleController", "use", path) + http("after", domain="h")))
    sc = convert(tmp_path, xml)
    assert [r.name for r in requests(sc.cases[0].steps)] == ["login", "after"]
    assert row(sc, "login").status == "converted"
    assert row(sc, "never").status == "filtered" and row(sc, "Unused").status == "filtered"
    assert "JMX804" in codes(sc)


def test_module_controller_cycle_is_detected(tmp_path: pathlib.Path) -> None:
    path = (
        '<collectionProp name="ModuleController.node_path">'
        + s("1", "Test Plan")
        + s("2", "Plan")
        + s("3", "TG")
        + s("4", "Loop")
        + "</collectionProp>"
    )
    body = el("GenericController", "Loop", "", http("x", domain="h") + el("ModuleController", "self", path))
    sc = convert(tmp_path, plan(tg(body)))
    assert "JMX406" in codes(sc)
    assert [r.name for r in requests(sc.cases[0].steps)] == ["x", "x"]  # inlined once, then the cycle is cut


def test_module_controller_with_missing_target_is_reported(tmp_path: pathlib.Path) -> None:
    path = '<collectionProp name="ModuleController.node_path">' + s("1", "Nowhere") + "</collectionProp>"
    sc = convert(tmp_path, plan(tg(el("ModuleController", "lost", path))))
    assert row(sc, "lost").status == "not_converted"


def test_include_controller_inlines_another_file_and_detects_cycles(tmp_path: pathlib.Path) -> None:
    included = plan(
        el("TestFragmentController", "Part", "", http("from-include", domain="inc.example")), name="Included"
    )
    (tmp_path / "part.jmx").write_text(included)
    loop_back = plan(  # IncludeController.getProperBranch: only a Test Fragment's children are included
        el(
            "TestFragmentController",
            "F",
            "",
            el("IncludeController", "again", s("IncludeController.includepath", "self.jmx")),
        ),
        name="SelfIncluding",
    )
    (tmp_path / "self.jmx").write_text(loop_back)
    xml = plan(
        tg(
            el("IncludeController", "inc", s("IncludeController.includepath", "part.jmx"))
            + el("IncludeController", "cyc", s("IncludeController.includepath", "self.jmx"))
            + el("IncludeController", "gone", s("IncludeController.includepath", "missing.jmx"))
        )
    )
    sc = convert(tmp_path, xml)
    assert [r.url for r in requests(sc.cases[0].steps)] == ["http://inc.example/"]
    assert row(sc, "inc").status == "converted"
    assert "JMX406" in codes(sc)
    assert row(sc, "gone").status == "not_converted"
    included_rows = [r for r in sc.ledger if "/@include:" in r.source]
    assert {r.name for r in included_rows} >= {"Included", "Part", "from-include"}


def test_include_controller_refuses_unsafe_files(tmp_path: pathlib.Path) -> None:
    evil = plan(tg("")).replace(
        "<jmeterTestPlan", '<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><jmeterTestPlan', 1
    )
    (tmp_path / "evil.jmx").write_text(evil)
    sc = convert(
        tmp_path, plan(tg(el("IncludeController", "inc", s("IncludeController.includepath", "evil.jmx"))))
    )
    assert row(sc, "inc").status == "not_converted" and "root:" not in sc.model_dump_json()


def cookie_manager(name: str, cookie: str, value: str) -> str:
    return el(
        "CookieManager",
        name,
        f'<collectionProp name="CookieManager.cookies"><elementProp name="{cookie}" elementType="Cookie">'
        f"{s('Cookie.value', value)}</elementProp></collectionProp>",
    )


def auth_manager(name: str, user: str) -> str:
    return el(
        "AuthManager",
        name,
        '<collectionProp name="AuthManager.auth_list"><elementProp name="" elementType="Authorization">'
        + s("Authorization.url", "")
        + s("Authorization.username", user)
        + s("Authorization.password", "pw")
        + s("Authorization.mechanism", "BASIC")
        + "</elementProp></collectionProp>",
    )


def test_nested_cookie_and_auth_managers_the_outermost_wins_as_in_jmeter(tmp_path: pathlib.Path) -> None:
    # JMeter hands a sampler its config elements innermost first; each further Cookie/Authorization Manager
    # supersedes the one it has (HTTPSamplerBase.setCookieManager / setAuthManager): the outermost one wins.
    xml = plan(
        cookie_manager("outer cookies", "sid", "outer")
        + tg(
            cookie_manager("inner cookies", "sid", "inner")
            + auth_manager("inner auth", "bob")
            + http("a", domain="h")
        )
    )
    sc = convert(tmp_path, xml, keep_secrets=True)  # (the cookies' values tell the managers apart)
    (request,) = requests(sc.cases[0].steps)
    assert [(h.name, h.value) for h in request.headers] == [
        ("Authorization", "Basic ${auth_basic}"),
        ("Cookie", "sid=outer"),
    ]
    inner = row(sc, "inner cookies")
    assert "JMX318" in inner.codes and "JMX307" not in inner.codes  # reported, and not said to be sent
    assert "JMX307" in row(sc, "outer cookies").codes and "JMX318" not in row(sc, "outer cookies").codes
    assert "JMX311" in row(sc, "inner auth").codes  # the only Authorization Manager in scope is used


def test_same_level_managers_the_last_one_wins(tmp_path: pathlib.Path) -> None:
    xml = plan(
        tg(cookie_manager("first", "a", "1") + cookie_manager("second", "b", "2") + http("r", domain="h"))
    )
    sc = convert(tmp_path, xml)
    (request,) = requests(sc.cases[0].steps)
    assert [(h.name, h.value) for h in request.headers] == [("Cookie", "b=2")]
    assert "JMX318" in row(sc, "first").codes


def test_superseded_authorization_manager_declares_no_variable(tmp_path: pathlib.Path) -> None:
    xml = plan(
        auth_manager("outer auth", "alice")
        + tg(el("GenericController", "g", "", auth_manager("inner auth", "bob") + http("r", domain="h")))
    )
    sc = convert(tmp_path, xml)
    assert [v.name for v in sc.variables] == ["auth_basic"]
    assert "JMX318" in row(sc, "inner auth").codes and "JMX311" not in row(sc, "inner auth").codes
    assert any("alice" in d.message for d in sc.diagnostics if d.code == "JMX311")
