"""Behavioural-equivalence audit 6 (JMX): the Stepping group's timeline, extractors' match -1 and group
variables, a Module Controller aimed at a disabled controller, Response Assertions on the header block,
groups without a Cookie Manager. JMeter (and jmeter-plugins) behaviour is cited from their sources in each
test."""

from __future__ import annotations

import pathlib

from converter.model import Scenario
from tests.test_jmx_support import b, codes, convert, el, header_manager, http, plan, requests, row, s, tg

STEPPING = "kg.apc.jmeter.threads.SteppingThreadGroup"


def _stepping(**settings: object) -> str:
    props = "".join(s(name, value) for name, value in settings.items())
    return el(STEPPING, "S", props, http("a", domain="h"))


def _shape(sc: Scenario) -> list[tuple[int, int, int | None]]:
    return [(st.users, st.ramp_s, st.hold_s) for st in sc.cases[0].load.stages]


def _diag(sc: Scenario, code: str) -> list[str]:
    return [f"{d.message} | {d.action}" for d in sc.diagnostics if d.code == code]


# -- finding 1: the Stepping Thread Group's timeline ---------------------------------------------------------


def test_stepping_steps_last_period_plus_ramp_up_as_in_the_plugins_own_test(tmp_path: pathlib.Path) -> None:
    # SteppingThreadGroupTest.testScheduleThread: 10 threads, 5 per step, period 30, rampUp 10, delay 5: the
    # threads of a step start 2 s apart and thread 6 starts 34 s after thread 4 (iterationDuration = period +
    # rampUp); descentPoint = ascent + 1 * 40 s + 2 s * 5 + flighttime: only the flight time after the last step
    settings = {"ThreadGroup.num_threads": 10, "Start users count": 5, "Start users period": 30, "rampUp": 10}
    sc = convert(tmp_path, plan(_stepping(**settings, **{"Threads initial delay": 5, "flighttime": 60})))
    assert _shape(sc) == [(5, 10, 30), (10, 10, 60)]
    assert sc.cases[0].load.delay_s == 5
    assert codes(sc) & {"JMX203", "JMX204"} == {"JMX203"}


def test_stepping_gui_defaults_ramp_the_burst_hold_once_and_stop_gradually(tmp_path: pathlib.Path) -> None:
    # the GUI's defaults: 100 threads, 10 every 30 s each started over 5 s, hold 60 s, stop 5 every 1 s.
    # JMeter reaches 100 threads at 320 s, holds them to 380 s (descentPoint), then endTime = descentPoint +
    # 1 s * floor(threadNum / 5): 5 threads stop at 380 s, the last 5 at 399 s
    sc = convert(tmp_path, plan(_stepping(**{
        "ThreadGroup.num_threads": 100, "Start users count": 10, "Start users count burst": 0,
        "Start users period": 30, "rampUp": 5, "flighttime": 60, "Stop users count": 5, "Stop users period": 1,
    })))  # fmt: skip
    shape = _shape(sc)
    assert shape[:10] == [(10 * k, 5, 30) for k in range(1, 10)] + [(100, 5, 60)]
    assert shape[10:] == [(100 - 5 * j, 0, 1) for j in range(1, 20)]
    assert sum(ramp + (hold or 0) for _, ramp, hold in shape) == 399
    assert _diag(sc, "JMX203") == [
        "up to 100 users: 10 every 35 s (each step started over 5 s, then held 30 s), 60 s held after the last "
        "step; then 5 users stop every 1 s | 29 stage(s)"
    ]
    # a burst is spread over the ramp-up as well (additionalRampUp = rampUp / burst), then held the period
    burst = convert(tmp_path, plan(_stepping(**{
        "ThreadGroup.num_threads": 10, "Start users count": 4, "Start users count burst": 2,
        "Start users period": 30, "rampUp": 5, "flighttime": 60,
    })))  # fmt: skip
    assert _shape(burst) == [(2, 5, 30), (6, 5, 30), (10, 5, 60)]


def test_stepping_with_a_million_stops_stays_bounded(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(_stepping(**{
        "ThreadGroup.num_threads": 1_000_000, "Start users count": 0, "flighttime": 10,
        "Stop users count": 1, "Stop users period": 1,
    })))  # fmt: skip
    shape = _shape(sc)
    assert shape[0] == (1_000_000, 0, 10) and len(shape) <= 1001
    assert sum(hold or 0 for _, _, hold in shape[1:]) == 999_999  # the last thread stops 999,999 s later
    assert "1000000 stops of 1 users every 1 s" in _diag(sc, "JMX204")[0]


# -- finding 2: match number -1 and the numbered / group variables -------------------------------------------


def _regex(ref: str, regex: str, match: str, default: str = "NONE", template: str = "$1$") -> str:
    props = (
        s("RegexExtractor.useHeaders", "false") + s("RegexExtractor.refname", ref)
        + s("RegexExtractor.regex", regex) + s("RegexExtractor.template", template)
        + s("RegexExtractor.default", default) + s("RegexExtractor.match_number", match)
    )  # fmt: skip
    return el("RegexExtractor", f"re {ref}", props, guiclass="RegexExtractorGui")


def _extracts(sc: Scenario, request: str) -> list[tuple[str, str, int, int, str]]:
    found = next(r for r in requests(sc.cases[0].steps) if r.name == request)
    return [(x.variable, x.expression, x.match_no, x.group, x.default) for x in found.extracts]


def test_regex_match_minus_one_extracts_into_name_1_and_the_numbered_groups_used(
    tmp_path: pathlib.Path,
) -> None:
    # RegexExtractor.extractWithJavaRegex: matchNumber < 0 puts match i in refName_i (and its groups in
    # refName_i_gK, saveGroups), the count in refName_matchNr, and leaves refName at the default
    body = http("list", "/list", domain="h", children=_regex("id", 'id="(\\d+)-(\\w+)"', "-1")) + http(
        "uses", "/i/${id_1}/${id_3}/${id_2_g2}/${id_2_g0}/${id_matchNr}/${id}", domain="h"
    )
    sc = convert(tmp_path, plan(tg(body)))
    regex = 'id="(\\d+)-(\\w+)"'
    assert _extracts(sc, "list") == [
        ("id_1", regex, 1, 1, ""),
        ("id_2_g0", f"({regex})", 2, 1, ""),  # the whole match: the expression as a group of its own
        ("id_2_g2", regex, 2, 2, ""),
        ("id_3", regex, 3, 1, ""),
    ]
    assert _diag(sc, "JMX741") == [
        "match number -1: JMeter puts every match in ${id_1}, ${id_2}... and their number in ${id_matchNr}; "
        "${id} keeps at most the default 'NONE' | the first match is extracted into ${id_1}"
    ]
    assert _diag(sc, "JMX743") == [
        "the plan uses ${id_2_g0}, ${id_2_g2}, ${id_3} | each extracted on its own: id_2_g0 = match 2, group 0 "
        "(whole match), id_2_g2 = match 2, group 2, id_3 = match 3, group 1"
    ]
    assert _diag(sc, "JMX742") == [
        "the plan uses ${id} (this extractor sets it only to its default 'NONE'), ${id_matchNr} (the number of "
        "matches): values only JMeter's RegexExtractor gives them | nothing in the plan sets them: the requests "
        "that use them do not get JMeter's value"
    ]
    assert row(sc, "re id").status == "approximated"


def test_regex_group_variables_of_one_match_are_extracted_and_a_random_ones_reported(
    tmp_path: pathlib.Path,
) -> None:
    # saveGroups: with matchNumber >= 0 refName_gK holds group K of the match refName comes from, refName_g
    # the number of groups; a random match (0) cannot be repeated by a second extraction
    body = (
        http("two", "/x", domain="h", children=_regex("pair", "(\\w+)=(\\w+)", "2"))
        + http("any", "/y", domain="h", children=_regex("r", "(\\w+)", "0"))
        + http("use", "/p/${pair}/${pair_g2}/${pair_g}/${r_g1}/${pair_1}", domain="h")
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert _extracts(sc, "two") == [
        ("pair", "(\\w+)=(\\w+)", 2, 1, "NONE"),
        ("pair_g2", "(\\w+)=(\\w+)", 2, 2, ""),
    ]  # (${pair_1} is not set by JMeter either with a match number of 2: nothing is said about it)
    assert _extracts(sc, "any") == [("r", "(\\w+)", 0, 1, "NONE")]
    messages = _diag(sc, "JMX742")
    assert messages[0].startswith("the plan uses ${pair_g} (the number of groups): ")
    assert messages[1].startswith("the plan uses ${r_g1} (a group of the random match: another extraction")
    assert "JMX741" not in codes(sc)


def test_json_and_boundary_match_minus_one_fill_name_1_to_n(tmp_path: pathlib.Path) -> None:
    # JSONPostProcessor.handleListResult / handleSingleResult: matchNumber < 0 puts the values in name_1..N
    # (name_1 even for one value) and their count in name_matchNr; BoundaryExtractor.saveAllMatches the same
    json = el("JSONPostProcessor", "ids", s("JSONPostProcessor.referenceNames", "id")
              + s("JSONPostProcessor.jsonPathExprs", "$.items[*].id") + s("JSONPostProcessor.match_numbers", "-1")
              + s("JSONPostProcessor.defaultValues", "NONE"), guiclass="JSONPostProcessorGui")  # fmt: skip
    boundary = el("BoundaryExtractor", "b", s("BoundaryExtractor.refname", "b")
                  + s("BoundaryExtractor.lboundary", "<") + s("BoundaryExtractor.rboundary", ">")
                  + s("BoundaryExtractor.match_number", "-1"), guiclass="BoundaryExtractorGui")  # fmt: skip
    body = http("list", "/list", domain="h", children=json + boundary) + http(
        "use", "/i/${id_1}/${id_2}/${id_matchNr}/${b_2}/${b_2_g1}", domain="h"
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert _extracts(sc, "list") == [
        ("id_1", "$.items[*].id", 1, 1, ""),
        ("id_2", "$.items[*].id", 2, 1, ""),
        ("b_1", "<", 1, 1, ""),
        ("b_2", "<", 2, 1, ""),
    ]  # (${b_2_g1}: a Boundary Extractor has no groups, JMeter does not set it either)
    assert [m.split(" | ")[1] for m in _diag(sc, "JMX741")] == [
        "the first match is extracted into ${id_1}",
        "the first match is extracted into ${b_1}",
    ]
    assert _diag(sc, "JMX742")[0].startswith("the plan uses ${id_matchNr} (the number of matches): ")


# -- finding 3: a Module Controller aimed at a disabled controller -------------------------------------------


def _module(*path: str) -> str:
    items = "".join(s(str(n), name) for n, name in enumerate(path))
    return el(
        "ModuleController",
        "call",
        f'<collectionProp name="ModuleController.node_path">{items}</collectionProp>',
    )


def test_module_controller_runs_a_disabled_target_enabled_without_its_disabled_children(
    tmp_path: pathlib.Path,
) -> None:
    # ModuleController.traverse matches the path's names whatever their enabled flag; getReplacementSubTree
    # clones a disabled target and enables the clone; convertSubTree then removes its disabled children
    library = el(
        "GenericController", "login library", "",
        http("login", "/login", method="POST", domain="h") + http("off", "/off", domain="h", enabled=False),
        enabled=False,
    )  # fmt: skip
    sc = convert(
        tmp_path,
        plan(tg(library + _module("Plan", "TG", "login library") + http("home", "/home", domain="h"))),
    )
    assert [(r.method, r.url) for r in requests(sc.cases[0].steps)] == [
        ("POST", "http://h/login"),
        ("GET", "http://h/home"),
    ]
    assert "JMX405" not in codes(sc)
    assert (
        "(a disabled controller: JMeter's Module Controller runs an enabled copy of it"
        in _diag(sc, "JMX407")[0]
    )
    # the library in its own place stays disabled: its rows are filtered, and JMX802 says the module runs it
    assert row(sc, "login library").status == "filtered" and row(sc, "login").status == "filtered"
    assert _diag(sc, "JMX802")[0] == (
        "GenericController is disabled: a Module Controller runs it all the same (JMX407) | skipped with its "
        "subtree in its own place"
    )
    assert row(sc, "call").status == "converted" and row(sc, "call").codes == ["JMX407"]
    # a target whose thread group is disabled is found through it too
    other = el("ThreadGroup", "lib group", "", el("GenericController", "c", "", http("x", "/x", domain="h")),
               enabled=False)  # fmt: skip
    sc = convert(tmp_path, plan(other + tg(_module("Plan", "lib group", "c"))))
    assert [r.url for r in requests(sc.cases[0].steps)] == ["http://h/x"] and "JMX405" not in codes(sc)


# -- finding 4: Response Assertion on the response headers ----------------------------------------------------


def _header_assertion(test_type: int, *patterns: str) -> str:
    strings = "".join(s(str(n), p) for n, p in enumerate(patterns))
    props = (
        s("Assertion.test_field", "Assertion.response_headers") + s("Assertion.test_type", test_type)
        + f'<collectionProp name="Asserion.test_strings">{strings}</collectionProp>'
    )  # fmt: skip
    return el("ResponseAssertion", "hdr", props, guiclass="AssertionGui")


def _checks(sc: Scenario) -> list[tuple[str | None, str, list[str], str, bool]]:
    return [
        (c.header, c.operator, c.values, c.combine, c.negate) for c in requests(sc.cases[0].steps)[0].checks
    ]


def test_header_assertion_name_value_patterns_become_named_header_checks(tmp_path: pathlib.Path) -> None:
    # ResponseAssertion.evaluateResponse tests SampleResult.getResponseHeaders(): the status line, then one
    # "Name: value" line per header (HTTPHC4Impl.getResponseHeaders); Substring = 16, Contains = 2, NOT = 4
    def run(assertion: str) -> Scenario:
        return convert(tmp_path, plan(tg(http("a", domain="h", children=assertion))))

    sc = run(_header_assertion(16, "Content-Type: application/json", "X-Id: 7", "content-type: utf-8"))
    assert _checks(sc) == [
        ("Content-Type", "contains", ["application/json", "utf-8"], "and", False),
        ("X-Id", "contains", ["7"], "and", False),
    ]
    [message] = _diag(sc, "JMX621")
    assert message.endswith(
        "| header Content-Type contains 'application/json' and 'utf-8'; header X-Id contains '7'"
    )
    assert row(sc, "hdr").status == "approximated"
    regex = run(_header_assertion(2 | 4, "Location:\\s*https://h/(home|start)"))
    assert _checks(regex) == [("Location", "regex", ["https://h/(home|start)"], "and", True)]


def test_header_assertion_on_the_whole_block_is_not_converted(tmp_path: pathlib.Path) -> None:
    # Equals (8) and Matches (1) compare the whole block; a pattern that is not 'Name: value' searches every
    # line (the status line too); OR over several headers cannot be one checkpoint
    for assertion, why in (
        (_header_assertion(8, "Content-Type: text/html"), "compares the whole header block"),
        (_header_assertion(1, "Content-Type: .*"), "compares the whole header block"),
        (_header_assertion(16, "application/json"), "'application/json' is not written 'Name: value'"),
        (_header_assertion(16 | 32, "A: 1", "B: 2"), "OR-ed over several headers"),
    ):
        sc = convert(tmp_path, plan(tg(http("a", domain="h", children=assertion))))
        assert _checks(sc) == []
        [message] = _diag(sc, "JMX622")
        assert why in message and message.endswith("| not converted")
        assert row(sc, "hdr").status == "not_converted"


# -- finding 5: thread groups without a Cookie Manager ---------------------------------------------------------


def test_http_samplers_without_a_cookie_manager_are_reported_at_their_thread_group(
    tmp_path: pathlib.Path,
) -> None:
    # HTTPHC4Impl.setupClient registers only the IgnoreSpecProvider cookie spec: HttpClient never keeps a
    # Set-Cookie; setConnectionCookie adds a Cookie header only from the sampler's CookieManager (none: null)
    manager = el(
        "CookieManager", "cookies", b("CookieManager.clearEachIteration", False), guiclass="CookiePanel"
    )
    with_manager = tg(manager + http("login", "/login", domain="h"), name="kept")
    without = tg(http("login B", "/login", domain="h") + http("account B", "/me", domain="h"), name="bare")
    partly = tg(
        el("GenericController", "c", "", manager + http("in", "/in", domain="h"))
        + http("out", "/out", domain="h"),
        name="partly",
    )
    no_http = tg(el("DebugSampler", "debug", ""), name="debug only")
    sc = convert(tmp_path, plan(with_manager + without + partly + no_http))
    assert row(sc, "kept").codes == [] and "JMX227" not in row(sc, "debug only").codes
    [bare, part] = _diag(sc, "JMX227")
    assert bare.startswith(
        "the 2 HTTP sampler(s) of this thread group ('login B', 'account B') run without an HTTP Cookie Manager in "
        "scope: JMeter sends them no cookie the server set"
    )
    assert part.startswith("1 of the 2 HTTP sampler(s) of this thread group ('out') run without")
    assert row(sc, "bare").status == "approximated"
    # the requests themselves are converted as they are
    assert [r.name for r in requests(sc.cases[1].steps)] == ["login B", "account B"]


def test_a_single_request_run_once_per_user_gets_no_cookie_warning(tmp_path: pathlib.Path) -> None:
    # nothing can be sent after the response: no cookie could be sent back, in JMeter or in PerfTest
    once = tg(http("only", "/", domain="h"), name="once", loops="1")
    looped = tg(http("again", "/", domain="h"), name="looped", loops="3")
    sc = convert(tmp_path, plan(once + looped))
    assert "JMX227" not in row(sc, "once").codes and "JMX227" in row(sc, "looped").codes


# -- finding 6: a raw body without a Content-Type header ----------------------------------------------------


def test_raw_body_without_content_type_is_sent_as_text_plain_in_the_samplers_encoding(
    tmp_path: pathlib.Path,
) -> None:
    # HTTPHC4Impl.setupHttpEntityEnclosingRequestData: StringEntity(postBody, contentEncoding), whose content type
    # is text/plain; charset=<encoding> (HTTPSamplerBaseSchema: UTF-8 when unset); HttpCore's RequestContent adds
    # it as the Content-Type when no header sets one
    def content_type(extra: str = "", children: str = "") -> list[str]:
        sampler = http("raw", method="POST", domain="h", raw='{"a": 1}', extra=extra, children=children)
        sc = convert(tmp_path, plan(tg(sampler)))
        [request] = requests(sc.cases[0].steps)
        return [h.value for h in request.headers if h.name.lower() == "content-type"]

    assert content_type() == ["text/plain; charset=UTF-8"]
    assert content_type(s("HTTPSampler.contentEncoding", "ISO-8859-1")) == ["text/plain; charset=ISO-8859-1"]
    manager = header_manager("h", ("Content-Type", "application/json"))
    assert content_type(children=manager) == ["application/json"]
    # (the Java implementation writes its own default: left as before)
    assert content_type(s("HTTPSampler.implementation", "Java")) == []
