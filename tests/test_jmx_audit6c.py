"""Audit j6b, second pass: what a TPS target counts (arrivals vs samples), Open Model rate ramps, Boundary
Extractor boundaries, variables of the same name in different scopes, duplicate User Defined Variables, and
the Include Controller's fragment. JMeter behaviour cited from the apache/jmeter and undera/jmeter-plugins
sources in each test."""

from __future__ import annotations

import pathlib

from converter.emit.perftest import emit_plan
from converter.model import Scenario, Stage
from tests.test_jmx_support import codes, convert, el, http, plan, requests, row, s, tg

ARRIVALS = "com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup"


def _diag(sc: Scenario, code: str) -> list[str]:
    return [f"{d.message} | {d.action} | {d.hint}" for d in sc.diagnostics if d.code == code]


# -- finding 1: an arrival is an iteration, a throughput timer's sample a request ------------------------------


def test_arrivals_and_throughput_timer_say_what_their_rate_counts(tmp_path: pathlib.Path) -> None:
    # jmeter-plugins casutg VirtualUserController.next: one arrival runs the group's children once (3 samples
    # here); ConstantThroughputTimer.delay runs before every sampler in scope: 600/min = 10 samples/s. Both
    # become TPS 10 (PerfTest's TPS unit is not defined by the API reference), and both say what they count
    samplers = http("a", domain="h") + http("b", domain="h") + http("c", domain="h")
    arrivals = convert(tmp_path, plan(el(ARRIVALS, "A", s("TargetLevel", "10") + s("Hold", "60"), samplers)))
    ctt = el("ConstantThroughputTimer", "ctt", s("throughput", "600") + s("calcMode", "2"))
    timer = convert(tmp_path, plan(tg(samplers + ctt, threads="20")))
    assert [st.tps for st in arrivals.cases[0].load.stages] == [10]
    assert [st.tps for st in timer.cases[0].load.stages] == [10]
    [arrival_note] = _diag(arrivals, "JMX204")
    assert "JMeter counts iterations" in arrival_note
    assert "one pass through the case sends 3 request(s), so 3 times the rate in requests" in arrival_note
    assert "iterations per second, not requests" in arrival_note
    assert "multiply by the requests one iteration sends" in arrival_note
    [timer_note] = _diag(timer, "JMX505")
    assert "JMeter counts samples" in timer_note
    assert "divide by the requests one pass sends" in timer_note
    # the same statement of what is unknown in both
    unknown = "the API reference does not define what PerfTest's TPS counts"
    assert unknown in arrival_note and unknown in timer_note


def test_arrivals_with_a_condition_say_the_requests_per_iteration_vary(tmp_path: pathlib.Path) -> None:
    cond = el("IfController", "if", s("IfController.condition", "${go}"), http("b", domain="h"))
    sc = convert(tmp_path, plan(el(ARRIVALS, "A", s("TargetLevel", "10") + s("Hold", "60"),
                                   http("a", domain="h") + cond)))  # fmt: skip
    [note] = _diag(sc, "JMX204")
    assert "steps; a group of N requests sends N times the rate in requests (N varies here" in note


def test_rounded_arrival_rate_says_it_counts_iterations(tmp_path: pathlib.Path) -> None:
    # a Free-Form row of 150/min = 2.5 arrivals/s, rounded half up
    ff = "com.blazemeter.jmeter.threads.arrivals.FreeFormArrivalsThreadGroup"
    schedule = (
        '<collectionProp name="Schedule"><collectionProp name="r">'
        + "".join(f'<stringProp name="{v}">{v}</stringProp>' for v in ("150", "150", "1"))
        + "</collectionProp></collectionProp>"
    )
    sc = convert(tmp_path, plan(el(ff, "F", s("Unit", "M") + schedule, http("a", domain="h"))))
    assert [st.tps for st in sc.cases[0].load.stages] == [3]
    assert _diag(sc, "JMX208") == ["2.5 arrivals (iterations) per second | TPS 3 | "]


# -- finding 4: an Open Model rate(...) after an arrivals step is its end rate ------------------------------


def _open(tmp_path: pathlib.Path, schedule: str) -> Scenario:
    group = el(
        "OpenModelThreadGroup", "O", s("OpenModelThreadGroup.schedule", schedule), http("a", domain="h")
    )
    return convert(tmp_path, plan(group))


def test_open_model_rate_ramp_from_zero_is_a_staircase(tmp_path: pathlib.Path) -> None:
    # ThreadScheduleProcessGenerator.findNextArrivalStep: endRate = the RateStep right after the arrivals
    # step: 0 -> 10/s over 10 min (3,000 arrivals), then 10/s for 20 min
    sc = _open(
        tmp_path, "rate(0/min) random_arrivals(10 min) rate(600/min) random_arrivals(20 min) rate(600/min)"
    )
    assert list(sc.cases[0].load.stages) == [
        Stage(users=10, ramp_s=600, hold_s=0, tps=10, tps_start=0),
        Stage(users=10, hold_s=1200, tps=10),
    ]
    emitted = emit_plan(sc)
    stages = next(op.body["stages"] for op in emitted.plan.operations if "stages" in (op.body or {}))
    ramp = [st for st in stages if st["name"].startswith("Stage-ramp-")]
    assert len(ramp) == 10 and sum(st["tps_value"] * st["time"] for st in ramp) == 3000
    assert stages[-1]["time"] == 1200 and stages[-1]["tps_value"] == 10
    codes = [d.code for d in emitted.plan.diagnostics]
    assert "PT020" in codes and "PT025" not in codes
    assert "1 of them a rate ramp" in _diag(sc, "JMX204")[0]


def test_zero_tps_stages_say_whether_jmeter_sends_nothing(tmp_path: pathlib.Path) -> None:
    # a falling ramp 1 -> 0/s over 10 s: JMeter still sends 5 arrivals, some staircase steps round to 0;
    # pause(5 s) after rate(0) is arrivals at rate 0 (ScheduleParser.parsePause)
    sc = _open(tmp_path, "rate(1/s) random_arrivals(10 s) rate(0) pause(5 s)")
    assert [(st.ramp_s, st.hold_s, st.tps_start, st.tps) for st in sc.cases[0].load.stages] == [
        (10, 0, 1, 0),
        (0, 5, None, 0),
    ]
    emitted = emit_plan(sc)
    stages = next(op.body["stages"] for op in emitted.plan.operations if "stages" in (op.body or {}))
    assert sum(st["tps_value"] * st["time"] for st in stages) == 5
    zero_steps = sum(1 for st in stages if st["tps_value"] == 0 and st["name"].startswith("Stage-ramp-"))
    assert zero_steps > 0
    [pt025] = [d for d in emitted.plan.diagnostics if d.code == "PT025"]
    assert pt025.message == (
        f"case 'O': {zero_steps + 1} stage(s) with a target of 0 TPS: 1 hold(s) at a rate of 0 (a pause or a 0 "
        f"rate in JMeter's schedule); {zero_steps} step(s) of a rate ramp's staircase rounded to 0 TPS (JMeter's "
        "rising or falling rate still sends a few requests there; the steps next to them make up the total)"
    )
    assert "no request is sent" not in pt025.message


# -- finding 7: Boundary Extractor boundaries -------------------------------------------------------------------


def _jmeter_boundary(left: str, right: str, text: str) -> str | None:
    """BoundaryExtractor.extract (apache/jmeter src/components/.../extractor) for match number 1."""
    if not text.strip():
        return None
    if not left and not right:
        return text
    if not left and right in text:
        return text[: text.index(right)]
    if not right and left in text:
        return text[text.index(left) + len(left) :]
    start = text.find(left)
    end = text.find(right, start + len(left)) if start >= 0 else -1
    return text[start + len(left) : end] if end >= 0 else None


def _boundary(name: str, left: str, right: str, match: str = "1") -> str:
    return el("BoundaryExtractor", name, s("BoundaryExtractor.refname", name) + s("BoundaryExtractor.lboundary", left)
              + s("BoundaryExtractor.rboundary", right) + s("BoundaryExtractor.match_number", match))  # fmt: skip


def _extractions(tmp_path: pathlib.Path, *extractors: str) -> tuple[dict[str, dict[str, object]], list[str]]:
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children="".join(extractors)))))
    emitted = emit_plan(sc)
    cards: dict[str, dict[str, object]] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if "regexp" in value and "match_index" in value:
                cards[str(value["name"])] = value
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk([op.body for op in emitted.plan.operations])
    return cards, [f"{d.message} | {d.action}" for d in emitted.plan.diagnostics if d.code == "PT011"]


def test_boundary_regex_extracts_what_jmeter_extracts(tmp_path: pathlib.Path) -> None:
    import re

    cards, notes = _extractions(
        tmp_path,
        _boundary("token", "token=", ""),
        _boundary("head", "", ";"),
        _boundary("whole", "", ""),
        _boundary("pair", "[", "]"),
    )
    texts = ["a token=x1;y\nz", "ab;c;d", "line1\nline2", "p [q\nr] s [t]", "no boundary here"]
    for name, left, right in (
        ("token", "token=", ""),
        ("head", "", ";"),
        ("whole", "", ""),
        ("pair", "[", "]"),
    ):
        regexp = str(cards[name]["regexp"])
        for text in texts:
            found = re.search(regexp, text)
            assert (found.group(1) if found else None) == _jmeter_boundary(left, right, text), (name, text)
    assert cards["token"]["regexp"] == r"token=([\s\S]*)"
    assert cards["whole"]["regexp"] == r"^([\s\S]*)"
    # JMeter's blank input gives no match: only the whole-text extractor can tell, and says so
    assert notes == [
        "boundary extractor for ${whole} with both boundaries empty: JMeter takes the whole text, but nothing "
        "(the default) when the text is blank | extracted as the whole text, blank or not"
    ]


def test_boundary_variable_stays_a_reference(tmp_path: pathlib.Path) -> None:
    # JMeter substitutes ${prefix} in the boundary before indexOf; escaping it would search for '${prefix}'
    cards, notes = _extractions(tmp_path, _boundary("sess", "sid=${prefix}.", "&"))
    assert cards["sess"]["regexp"] == r"sid=${prefix}\.([\s\S]*?)\&"
    assert len(notes) == 1 and "JMeter searches for its value as plain text" in notes[0]


def test_boundary_later_match_may_overlap_in_jmeter(tmp_path: pathlib.Path) -> None:
    # BoundaryExtractor.extract: startIndex += leftBoundaryLen after each left boundary, so in '[a[b]' the
    # matches are 'a[b' and 'b'; a regular expression resumes after ']' (one match)
    cards, notes = _extractions(tmp_path, _boundary("second", "[", "]", "2"), _boundary("edge", "", "]", "2"))
    assert cards["second"]["match_index"] == 2
    assert len(notes) == 1 and notes[0].startswith("boundary extractor for ${second} takes match 2")


# -- finding 2: variables of the same name in different thread groups ------------------------------------------


def _csv(name: str, filename: str, names: str = "user,pass") -> str:
    return el("CSVDataSet", name, s("filename", filename) + s("variableNames", names) + s("delimiter", ","))


def _udv(*pairs: tuple[str, str]) -> str:
    rows = "".join(
        f'<elementProp name="{n}" elementType="Argument">' + s("Argument.name", n) + s("Argument.value", v)
        + "</elementProp>"
        for n, v in pairs
    )  # fmt: skip
    return el("Arguments", "vars", f'<collectionProp name="Arguments.arguments">{rows}</collectionProp>',
              guiclass="ArgumentsPanel")  # fmt: skip


def test_csv_in_two_groups_keeps_each_groups_rows(tmp_path: pathlib.Path) -> None:
    # CSVDataSet.iterationStart puts the row in the thread's variables (context.getVariables()), for the
    # samplers in its scope: the Shoppers' threads log in as alice/bob, the Admins' as admin1..3
    (tmp_path / "users1.csv").write_text("alice,a1\nbob,b1\n")
    (tmp_path / "users2.csv").write_text("admin1,x\nadmin2,y\nadmin3,z\n")
    extractor = el("RegexExtractor", "again", s("RegexExtractor.refname", "user")
                   + s("RegexExtractor.regex", "u=(\\w+)") + s("RegexExtractor.template", "$1$"))  # fmt: skip
    shoppers = tg(
        _csv("csv1", "users1.csv")
        + http("Login", "/login?u=${user}&p=${pass}", domain="h", children=extractor),
        name="Shoppers",
    )
    admins = tg(_csv("csv2", "users2.csv") + http("Admin", "/admin?u=${user}", domain="h"), name="Admins")
    sc = convert(tmp_path, plan(shoppers + admins))
    variables = {v.name: v.values for v in sc.variables}
    assert variables == {
        "user": ["admin1", "admin2", "admin3"],
        "pass": ["x", "y", "z"],
        "user__shoppers": ["alice", "bob"],
        "pass__shoppers": ["a1", "b1"],
    }
    login, admin = (requests(case.steps)[0] for case in sc.cases)
    assert login.url.endswith("/login?u=${user__shoppers}&p=${pass__shoppers}")
    assert [x.variable for x in login.extracts] == [
        "user__shoppers"
    ]  # it overwrites the same thread variable
    assert admin.url.endswith("/admin?u=${user}")
    assert "JMX901" not in codes(sc)
    assert [d.action for d in sc.diagnostics if d.code == "JMX340"] == [
        "a variable of its own, 'user__shoppers': the references to ${user} in case 'Shoppers', and its "
        "extractors that set it, now use it",
        "a variable of its own, 'pass__shoppers': the references to ${pass} in case 'Shoppers', and its "
        "extractors that set it, now use it",
    ]


def test_global_variable_stays_for_the_groups_without_their_own(tmp_path: pathlib.Path) -> None:
    # a User Defined Variable is global wherever it sits (PreCompiler.addNode puts it in the test's variables);
    # a CSV Data Set in one group overrides it for that group's threads only
    (tmp_path / "u.csv").write_text("carol\n")
    one = tg(_csv("csv", "u.csv", "user") + http("A", "/a?u=${user}", domain="h"), name="One")
    two = tg(http("B", "/b?u=${user}", domain="h"), name="Two")
    sc = convert(tmp_path, plan(_udv(("user", "guest")) + one + two))
    assert {v.name: v.values for v in sc.variables} == {"user": ["guest"], "user__one": ["carol"]}
    assert [requests(case.steps)[0].url.split("?")[1] for case in sc.cases] == ["u=${user__one}", "u=${user}"]


def test_redefinition_in_one_scope_keeps_the_last(tmp_path: pathlib.Path) -> None:
    # two CSV Data Sets of one group set the same thread variable: the one that sets it last wins
    (tmp_path / "a.csv").write_text("a\n")
    (tmp_path / "b.csv").write_text("b\n")
    sc = convert(tmp_path, plan(tg(_csv("first", "a.csv", "v") + _csv("second", "b.csv", "v")
                                   + http("A", "/a?v=${v}", domain="h"))))  # fmt: skip
    assert {v.name: v.values for v in sc.variables} == {"v": ["b"]}
    assert [d.message for d in sc.diagnostics if d.code == "JMX901"] == [
        "variable 'v' is defined again with other values for the threads of thread group 'TG' (first by "
        "'first', jmx:/TestPlan/ThreadGroup[1]/CSVDataSet[1])"
    ]


# -- finding 9: a name twice in one User Defined Variables table -------------------------------------------------


def test_udv_table_keeps_the_first_row_of_a_name(tmp_path: pathlib.Path) -> None:
    # Arguments.getArgumentsAsMap: if (!argMap.containsKey(arg.getName())) argMap.put(...): the first row wins
    # within one element; PreCompiler.addNode puts each element's map in the variables in tree order, so
    # between elements the last one wins
    sc = convert(tmp_path, plan(_udv(("env", "prod"), ("env", "staging"), ("env", "prod"), ("host", "a"))
                                + _udv(("host", "b")) + tg(http("A", "/", domain="${env}.${host}"))))  # fmt: skip
    assert {v.name: v.values for v in sc.variables} == {"env": ["prod"], "host": ["b"]}
    assert [f"{d.message} | {d.action}" for d in sc.diagnostics if d.code == "JMX901"] == [
        "variable 'env' is listed again in this table with the value 'staging': JMeter keeps the first row of "
        "a name (Arguments.getArgumentsAsMap) | kept the first value, 'prod', as JMeter",
        "variable 'host' is defined again with other values for the whole test (first by 'vars', "
        "jmx:/TestPlan/Arguments[1]) | kept the last definition, as JMeter, where the element that sets it last "
        "wins",
    ]


# -- finding 6: the Include Controller takes the first Test Fragment's children ----------------------------------


def _include(tmp_path: pathlib.Path, included: str) -> Scenario:
    (tmp_path / "part.jmx").write_text(included)
    return convert(
        tmp_path, plan(tg(el("IncludeController", "inc", s("IncludeController.includepath", "part.jmx"))))
    )


def test_include_takes_only_the_first_fragment(tmp_path: pathlib.Path) -> None:
    # IncludeController.getProperBranch returns the subtree of the first TestFragmentController under the Test
    # Plan, whatever its enabled flag (TestFragmentControllerGui.createTestElement: setEnabled(false)), then
    # removeDisabledItems drops its disabled children
    first = el("TestFragmentController", "F1", "", http("f1", "/f1", domain="h") + http("off", "/off", domain="h",
               enabled=False), enabled=False)  # fmt: skip
    second = el("TestFragmentController", "F2", "", http("f2", "/f2", domain="h"))
    sc = _include(tmp_path, plan(http("direct", "/direct", domain="h") + first + second, name="Part"))
    assert [r.url for r in requests(sc.cases[0].steps)] == ["http://h/f1"]
    assert _diag(sc, "JMX430") == [
        "include file 'part.jmx': JMeter includes only the children of its first Test Fragment, 'F1'; 3 other "
        "element(s) of the file are not run | only 'F1' inlined, as JMeter (the others are listed as not "
        "executed) | "
    ]


def test_include_without_fragment_includes_nothing(tmp_path: pathlib.Path) -> None:
    # getProperBranch: "No Test Fragment was found in included Test Plan, returning empty HashTree"
    sc = _include(
        tmp_path, plan(el("GenericController", "lib", "", http("lib", "/lib", domain="h")), name="Part")
    )
    assert requests(sc.cases[0].steps) == []
    [note] = _diag(sc, "JMX430")
    assert note.startswith(
        "include file 'part.jmx' has no Test Fragment under its Test Plan: JMeter includes nothing"
    )
    assert row(sc, "lib").status == "not_converted"
