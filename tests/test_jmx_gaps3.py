"""Grouped PT012, the classic thread group's invalid scheduler, numbers read as JMeter's getters read them
(extractor match numbers, Flow Control Action, Counter, Random Variable, ForEach), the Arrivals TargetLevel
and a thread group without a main controller. JMeter behaviour cited from the apache/jmeter and
undera/jmeter-plugins sources in each test."""

from __future__ import annotations

import pathlib

import pytest

from converter.emit.perftest import emit_plan
from converter.model import Loop, Scenario, Stage
from tests.test_jmx_support import b, codes, convert, el, http, plan, requests, row, s, tg

SCHED = b("ThreadGroup.scheduler", True)


def _stage(sc: Scenario) -> list[Stage]:
    return list(sc.cases[0].load.stages)


def _diag(sc: Scenario, code: str) -> list[str]:
    return [f"{d.message} | {d.action}" for d in sc.diagnostics if d.code == code]


# -- item 1: PT012 once per plan ---------------------------------------------------------------------------


def test_requests_without_redirects_get_one_pt012_and_each_row_the_code(tmp_path: pathlib.Path) -> None:
    names = ["a", "b", "c", "d", "e"]
    body = "".join(http(n, f"/{n}", domain="h", follow=False) for n in names) + http("ok", "/ok", domain="h")
    emitted = emit_plan(convert(tmp_path, plan(tg(body))))
    [warning] = [d for d in emitted.plan.diagnostics if d.code == "PT012"]
    assert warning.location is not None and warning.location.name == "a"
    assert warning.message == (
        "5 requests ('a', 'b', 'c' and 2 more) do not follow redirects; the first: GET http://h/a"
    )
    rows = {r.name: r for r in emitted.ledger}
    assert all("PT012" in rows[n].codes and rows[n].status == "approximated" for n in names)
    assert "PT012" not in rows["ok"].codes and rows["ok"].status == "converted"


def test_a_single_request_without_redirects_is_named_as_before(tmp_path: pathlib.Path) -> None:
    emitted = emit_plan(convert(tmp_path, plan(tg(http("one", "/x", domain="h", follow=False)))))
    [warning] = [d for d in emitted.plan.diagnostics if d.code == "PT012"]
    assert warning.message == "GET http://h/x" and warning.action == "sent as a plain request"


# -- item 2: the scheduler with a duration <= 0 or a negative delay ------------------------------------------


@pytest.mark.parametrize(
    ("duration", "delay", "what"),
    [("0", "0", "duration 0 s"), ("-5", "0", "duration -5 s"), ("60", "-1", "startup delay -1 s")],
)
def test_invalid_scheduler_starts_no_thread(
    tmp_path: pathlib.Path, duration: str, delay: str, what: str
) -> None:
    # ThreadGroup.scheduleThread (5.6): getDelay() < 0 -> "Invalid delay", getDuration() <= 0 -> "Invalid
    # duration" (JMeterStopTestException); StandardJMeterEngine.startThreadGroup catches it and returns: the
    # group starts no thread, the other groups run
    extra = SCHED + s("ThreadGroup.duration", duration) + s("ThreadGroup.delay", delay)
    other = tg(http("b", domain="h"), name="Other", threads="2")
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="4", loops="-1", extra=extra) + other))
    assert _stage(sc) == [Stage(users=0, ramp_s=0, iterations=1)] and sc.cases[0].load.delay_s == 0
    [message] = _diag(sc, "JMX240")
    assert (
        what in message and "JMeterStopTestException" in message and message.endswith("0 users, as in JMeter")
    )
    assert row(sc, "TG").status == "not_converted" and "JMX201" not in codes(sc)
    assert list(sc.cases[1].load.stages) == [Stage(users=2, ramp_s=0, iterations=1)]


def test_delayed_start_ignores_a_negative_delay_but_not_a_zero_duration(tmp_path: pathlib.Path) -> None:
    # ThreadGroup.ThreadStarter.run: a delay is waited only when > 0; endtime = 0 when duration <= 0, and
    # "System.currentTimeMillis() > endtime" breaks before the first thread
    delayed = b("ThreadGroup.delayedStart", True)
    ok = SCHED + delayed + s("ThreadGroup.duration", "60") + s("ThreadGroup.delay", "-3")
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="2", loops="-1", extra=ok)))
    assert _stage(sc) == [Stage(users=2, ramp_s=0, hold_s=60)] and "JMX240" not in codes(sc)
    zero = SCHED + delayed + s("ThreadGroup.duration", "0")
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="2", loops="-1", extra=zero)))
    assert _stage(sc)[0].users == 0 and "ThreadStarter" in _diag(sc, "JMX240")[0]


def test_scheduler_settings_known_only_at_run_time_are_read_as_before(tmp_path: pathlib.Path) -> None:
    extra = SCHED + s("ThreadGroup.duration", "${dur}")
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="2", loops="-1", extra=extra)))
    assert "JMX240" not in codes(sc) and _stage(sc)[0].users == 2


def test_scheduler_without_threads_reports_nothing_new(tmp_path: pathlib.Path) -> None:
    extra = SCHED + s("ThreadGroup.duration", "0")
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="0", extra=extra)))
    assert "JMX240" not in codes(sc)


# -- item 3: numbers read as the getters read them ---------------------------------------------------------


def _extracted(tmp_path: pathlib.Path, extractor: str) -> tuple[Scenario, list[int]]:
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=extractor))))
    return sc, [e.match_no for e in requests(sc.cases[0].steps)[0].extracts]


def _regex(match: str | None) -> str:
    number = "" if match is None else s("RegexExtractor.match_number", match)
    return el(
        "RegexExtractor", "re", s("RegexExtractor.refname", "v") + s("RegexExtractor.regex", "(x)") + number
    )


@pytest.mark.parametrize(("match", "expected", "reported"), [("2", 2, False), ("+2", 2, False), (" 1", 0, True),
                                                              ("1.0", 0, True), (None, 0, False), ("-3", 1, False)])  # fmt: skip
def test_regex_match_number_is_read_as_integer_parseint(
    tmp_path: pathlib.Path, match: str | None, expected: int, reported: bool
) -> None:
    # RegexExtractor.getMatchNumber (5.6 schema int(): getIntValue): 0 (a random match) when not a Java int;
    # any negative number means every match, the first of which is extracted (into v_1)
    sc, numbers = _extracted(tmp_path, _regex(match))
    assert numbers == [expected]
    assert ("JMX224" in codes(sc)) is reported
    if reported:
        assert f"match number {match!r}" in _diag(sc, "JMX224")[0]


def test_boundary_and_css_match_numbers_are_read_as_java_ints(tmp_path: pathlib.Path) -> None:
    # BoundaryExtractor/HtmlExtractor.getMatchNumber: getPropertyAsInt(MATCH_NUMBER)
    boundary = el("BoundaryExtractor", "bd", s("BoundaryExtractor.refname", "v") + s("BoundaryExtractor.lboundary", "<")
                  + s("BoundaryExtractor.rboundary", ">") + s("BoundaryExtractor.match_number", "3 "))  # fmt: skip
    css = el("HtmlExtractor", "css", s("HtmlExtractor.refname", "w") + s("HtmlExtractor.expr", "a")
             + s("HtmlExtractor.match_number", "4"))  # fmt: skip
    sc, numbers = _extracted(tmp_path, boundary + css)
    assert numbers == [0, 4] and row(sc, "bd").codes == ["JMX224"]


@pytest.mark.parametrize(("match", "expected"), [(None, 1), ("", 0), (" 2", 0), ("2", 2), ("-1", -1)])
def test_xpath_match_number_defaults_only_when_unset(
    tmp_path: pathlib.Path, match: str | None, expected: int
) -> None:
    # XPathExtractor.getMatchNumber: getPropertyAsInt(MATCH_NUMBER, -1), whose default applies only to an unset
    # property (AbstractTestElement.getPropertyAsInt(key, default): NullProperty); -1 puts the first match in
    # the variable (process: matches.get(0)); an empty or " 2" text is getIntValue's 0, a random match
    number = "" if match is None else s("XPathExtractor.matchNumber", match)
    xpath = el(
        "XPathExtractor",
        "xp",
        s("XPathExtractor.refname", "v") + s("XPathExtractor.xpathQuery", "//a") + number,
    )
    _, numbers = _extracted(tmp_path, xpath)
    assert numbers == [expected]


def _json_extractor(matches: str) -> str:
    return el("JSONPostProcessor", "json", s("JSONPostProcessor.referenceNames", "a;b")
              + s("JSONPostProcessor.jsonPathExprs", "$.a;$.b") + s("JSONPostProcessor.defaultValues", "x;y")
              + s("JSONPostProcessor.match_numbers", matches))  # fmt: skip


def test_json_match_numbers_are_trimmed_then_parsed(tmp_path: pathlib.Path) -> None:
    # JSONPostProcessor.getMatchNumbersAsInt: Integer.parseInt(part.trim())
    sc, numbers = _extracted(tmp_path, _json_extractor(" 1; -1 "))
    # (-1: every match, the first of which is extracted into name_1, JMX741)
    assert numbers == [1, 1] and "JMX224" not in codes(sc) and "JMX740" not in codes(sc)
    assert "JMX741" in codes(sc)


@pytest.mark.parametrize("matches", ["1;x", "1;1.5", "1;"])
def test_json_match_number_java_rejects_means_no_extraction(tmp_path: pathlib.Path, matches: str) -> None:
    # a NumberFormatException in buildConfig: the extractor fails before it sets any variable ("1;" splits to
    # ["1"] in Java: the second variable takes 0, fine)
    sc, numbers = _extracted(tmp_path, _json_extractor(matches))
    if matches == "1;":
        assert numbers == [1, 0] and "JMX740" not in codes(sc)
        return
    assert numbers == []
    [message] = _diag(sc, "JMX740")
    assert "Integer.parseInt" in message and "no variable is set" in message
    # JMeterThread.runPostProcessors does not catch the exception: the rest of the sample is skipped
    assert "the sampler's assertions and its listeners are skipped" in message
    assert row(sc, "json").status == "not_converted"


def _flow(action: str, target: str | None = None, duration: str = "") -> str:
    props = s("ActionProcessor.action", action) + s("ActionProcessor.duration", duration)
    if target is not None:
        props += s("ActionProcessor.target", target)
    return el("TestAction", "fca", props, guiclass="TestActionGui")


def test_flow_control_action_is_read_as_integer_parseint(tmp_path: pathlib.Path) -> None:
    # TestAction.getAction/getTarget: getPropertyAsInt -> " 1" is 0, STOP (not the pause it looks like)
    sc = convert(tmp_path, plan(tg(_flow(" 1", "0", "500") + http("a", domain="h"))))
    assert "action ' 1'" in _diag(sc, "JMX224")[0]
    [stop] = _diag(sc, "JMX110")
    assert stop.startswith("Flow Control Action 0 (stop the thread) not converted")
    pause = convert(tmp_path, plan(tg(_flow("1", None, "500") + http("a", domain="h"))))
    assert "JMX110" not in codes(pause) and row(pause, "fca").status == "converted"


@pytest.mark.parametrize(("action", "target"), [("7", "0"), ("0", "1"), ("2", "5")])
def test_flow_control_action_jmeter_does_not_know_does_nothing(
    tmp_path: pathlib.Path, action: str, target: str
) -> None:
    # TestAction.sample: only PAUSE(1), STOP(0)/STOP_NOW(2) on THREAD(0)/TEST(2), and 3, 4, 5 act
    sc = convert(tmp_path, plan(tg(_flow(action, target) + http("a", domain="h"))))
    [message] = _diag(sc, "JMX140")
    assert f"Flow Control Action {action} with target {target}" in message and "no step" in message
    assert "JMX110" not in codes(sc) and row(sc, "fca").status == "converted"


def _counter(props: str) -> str:
    return el("CounterConfig", "cnt", s("CounterConfig.name", "n") + props, guiclass="CounterConfigGui")


def _variable(sc: Scenario, name: str) -> list[int]:
    return next(v.values for v in sc.variables if v.name == name)


def test_counter_settings_are_read_as_java_longs(tmp_path: pathlib.Path) -> None:
    # CounterConfig.getStart/getIncrement: getPropertyAsLong; getEnd: Long.MAX_VALUE only for an empty text
    normal = convert(tmp_path, plan(tg(_counter(s("CounterConfig.start", "3") + s("CounterConfig.end", "9")
                                               + s("CounterConfig.incr", "1")) + http("a", domain="h"))))  # fmt: skip
    assert _variable(normal, "n") == [3, 9] and "JMX224" not in codes(normal)
    # increment unset: 0, the counter never moves (iterationStart adds 0)
    still = convert(tmp_path, plan(tg(_counter(s("CounterConfig.start", "3")) + http("a", domain="h"))))
    assert _variable(still, "n") == [3, 3]
    assert "increment 0: JMeter sets 3 every time" in _diag(still, "JMX317")[0]
    # end " 9" is 0: below the start, so every iteration resets to the start
    below = convert(tmp_path, plan(tg(_counter(s("CounterConfig.start", "3") + s("CounterConfig.end", " 9")
                                              + s("CounterConfig.incr", "1")) + http("a", domain="h"))))  # fmt: skip
    assert _variable(below, "n") == [3, 3] and "end ' 9'" in _diag(below, "JMX224")[0]


def test_random_variable_bounds_are_read_as_long_parselong(tmp_path: pathlib.Path) -> None:
    # RandomVariableConfig.init: Long.parseLong, 0 on NumberFormatException: maximum "50.0" is 0 < minimum 1,
    # range 0, and the variable is never set
    rv = el("RandomVariableConfig", "rv", s("variableName", "uid") + s("minimumValue", "1")
            + s("maximumValue", "50.0"), guiclass="TestBeanGUI")  # fmt: skip
    sc = convert(tmp_path, plan(tg(rv + http("a", domain="h"))))
    assert "maximum '50.0'" in _diag(sc, "JMX224")[0]
    assert "maximum 0 is below minimum 1" in _diag(sc, "JMX313")[0]
    assert not sc.variables


def _each(extra: str) -> str:
    props = s("ForeachController.inputVal", "ids") + s("ForeachController.returnVal", "id") + extra
    regex = el("RegexExtractor", "re", s("RegexExtractor.refname", "ids") + s("RegexExtractor.regex", "(x)")
               + s("RegexExtractor.match_number", "-1"))  # fmt: skip
    return http("list", domain="h", children=regex) + el(
        "ForeachController", "each", props, http("in", domain="h")
    )


@pytest.mark.parametrize(
    ("start", "end", "count"), [("2", "5", 3), (None, "4", 4), ("2", " 5", 0), ("", "3", 3)]
)
def test_foreach_indices_are_read_as_getpropertyasint(
    tmp_path: pathlib.Path, start: str | None, end: str, count: int
) -> None:
    # ForeachController.getStartIndex/getEndIndex: getPropertyAsInt(name, 0 / Integer.MAX_VALUE): the default
    # only when unset; " 5" is 0, so loopCount (the start) >= 0 ends the loop at once
    extra = ("" if start is None else s("ForeachController.startIndex", start)) + s(
        "ForeachController.endIndex", end
    )
    sc = convert(tmp_path, plan(tg(_each(extra))))
    loop = sc.cases[0].steps[-1]
    assert isinstance(loop, Loop) and loop.count == count
    assert ("JMX224" in codes(sc)) is (end == " 5")


# -- item 4: the Arrivals TargetLevel ---------------------------------------------------------------------


def _arrivals(target: str | None, unit: str = "S") -> str:
    level = "" if target is None else s("TargetLevel", target)
    return el("com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup", "arr",
              level + s("RampUp", "0") + s("Hold", "60") + s("Unit", unit) + s("ConcurrencyLimit", "4"),
              http("a", domain="h"))  # fmt: skip


@pytest.mark.parametrize(("target", "unit", "tps", "reported"),
                         [("5", "S", 5, False), (None, "S", 1, False), ("2.5", "S", 0, True), (" 5", "S", 0, True),
                          ("150", "M", 3, False)])  # fmt: skip
def test_arrivals_target_level_is_read_as_an_int(
    tmp_path: pathlib.Path, target: str | None, unit: str, tps: int, reported: bool
) -> None:
    # jmeter-plugins casutg: ArrivalsThreadStarter.getCurrentRate uses getTargetLevelFactored =
    # getTargetLevelAsDouble() / unit, and AbstractDynamicThreadGroupModel.getTargetLevelAsDouble returns
    # getTargetLevelAsInt() = getPropertyAsInt("TargetLevel", 1): a decimal rate is 0 arrivals
    sc = convert(tmp_path, plan(_arrivals(target, unit)))
    assert [st.tps for st in _stage(sc)] == [tps]
    assert ("JMX224" in codes(sc)) is reported
    if reported:
        assert f"target rate {target!r}" in _diag(sc, "JMX224")[0]


# -- item 5: a classic thread group without a main controller -------------------------------------------


def _bare_group(props: str, tag: str = "ThreadGroup") -> str:
    return el(tag, "TG", props + s("ThreadGroup.ramp_time", "0"), http("a", domain="h"))


@pytest.mark.parametrize("tag", ["ThreadGroup", "SetupThreadGroup"])
@pytest.mark.parametrize("threads", ["3", ""])
def test_thread_group_without_main_controller_sends_nothing(
    tmp_path: pathlib.Path, tag: str, threads: str
) -> None:
    # AbstractThreadGroup.getSamplerController: (Controller) getProperty(MAIN_CONTROLLER).getObjectValue() is
    # null for a NullProperty; addTestElement/initialize then throw NullPointerException in every thread
    sc = convert(tmp_path, plan(_bare_group(s("ThreadGroup.num_threads", threads), tag)))
    assert _stage(sc) == [Stage(users=0, ramp_s=0, iterations=1)]
    assert "JMX201" not in codes(sc)
    if threads:
        [message] = _diag(sc, "JMX241")
        assert "NullPointerException" in message and message.endswith("0 users, as in JMeter")
        assert row(sc, "TG").status == "not_converted"
    else:
        assert "JMX241" not in codes(sc) and "JMX226" in codes(sc)


def test_thread_group_whose_main_controller_is_not_a_loop_runs_once(tmp_path: pathlib.Path) -> None:
    # a GenericController as main controller: one pass over the children, then next() is null
    main = ('<elementProp name="ThreadGroup.main_controller" elementType="GenericController" '
            'guiclass="LogicControllerGui" testclass="GenericController" testname="main" enabled="true"/>')  # fmt: skip
    sc = convert(tmp_path, plan(_bare_group(main + s("ThreadGroup.num_threads", "2"))))
    assert _stage(sc) == [Stage(users=2, ramp_s=0, iterations=1)] and "JMX241" not in codes(sc)


def test_invalid_scheduler_is_reported_before_a_missing_main_controller(tmp_path: pathlib.Path) -> None:
    # ThreadGroup.start -> startNewThread -> scheduleThread throws before any JMeterThread runs (and fails)
    props = s("ThreadGroup.num_threads", "2") + SCHED + s("ThreadGroup.duration", "0")
    sc = convert(tmp_path, plan(_bare_group(props)))
    assert "JMX240" in codes(sc) and "JMX241" not in codes(sc) and _stage(sc)[0].users == 0


@pytest.mark.parametrize(
    ("start", "end", "incr", "said"),
    [
        ("10", "5", "-1", "end 5 below the start: JMeter sets 10 every time"),  # 9 > 5: back to 10
        (
            "10",
            "5",
            "-10",
            "increment -10: JMeter counts down from 10 (10, 0, ...) and never goes back to it",
        ),
        ("0", "10", "-1", "increment -1: JMeter counts down from 0 (0, -1, ...) and never goes back to it"),
        ("10", "5", "2", "end 5 below the start: JMeter sets 10 every time"),
        ("1", "10", "2", "increment 2 not kept: JMeter adds 2 each time"),
    ],
)
def test_a_counter_with_a_negative_increment_counts_down_without_end(
    tmp_path: pathlib.Path, start: str, end: str, incr: str, said: str
) -> None:
    # CounterConfig.iterationStart puts the value, adds the increment, and goes back to the start only when the
    # value is above the end: a negative increment never gets there unless its first step does
    props = s("CounterConfig.start", start) + s("CounterConfig.end", end) + s("CounterConfig.incr", incr)
    sc = convert(tmp_path, plan(tg(_counter(props) + http("a", domain="h"))))
    [message] = _diag(sc, "JMX317")
    assert said in message
