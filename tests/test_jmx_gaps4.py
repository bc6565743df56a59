"""Run-time user counts in every thread group kind, conditional WebSocket Close, ForEach variable sources
(separator, script files, CSV headers), 0 users from a missing -J property, the rendezvous wording, and a
Flow Control pause known only at run time. JMeter behaviour cited from the apache/jmeter and
undera/jmeter-plugins sources in each test."""

from __future__ import annotations

import pathlib

import pytest

from converter.model import Scenario, Stage
from tests.test_jmx_support import codes, convert, el, http, plan, s, tg

CTG = "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup"
ARRIVALS = "com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup"
STEPPING = "kg.apc.jmeter.threads.SteppingThreadGroup"
TST = "${__tstFeedback(blazemeter-timer,1,100,10)}"


def _stage(sc: Scenario) -> list[Stage]:
    return list(sc.cases[0].load.stages)


def _diag(sc: Scenario, code: str) -> list[str]:
    return [f"{d.message} | {d.action}" for d in sc.diagnostics if d.code == code]


# -- item 1: a user count known only at run time ------------------------------------------------------------


def test_concurrency_target_known_only_at_run_time_is_1_user(tmp_path: pathlib.Path) -> None:
    # AbstractDynamicThreadGroupModel.getTargetLevelAsInt = getPropertyAsInt(TARGET_LEVEL, 1) of the text
    # JMeter evaluates as the test runs (TeaStore's __tstFeedback gives 1..100 threads): the converter cannot
    # know it, so it keeps 1 user, as for a classic group's threads, and says so
    sc = convert(
        tmp_path, plan(el(CTG, "C", s("TargetLevel", TST) + s("Hold", "600"), http("a", domain="h")))
    )
    assert _stage(sc) == [Stage(users=1, hold_s=600)]
    assert _diag(sc, "JMX902") == [f"target concurrency {TST!r} is known only at run time | used 1"]


def test_every_group_kind_keeps_1_user_for_a_run_time_count(tmp_path: pathlib.Path) -> None:
    from tests.test_jmx_gaps import _utg

    groovy = "${__groovy(5)}"
    classic = convert(tmp_path, plan(tg(http("a", domain="h"), threads=groovy)))
    # UltimateThreadGroup.scheduleThread: the row's thread count is getIntValue of the evaluated cell
    ultimate = convert(tmp_path, plan(_utg(http("a", domain="h"), (groovy, "0", "0", "60", "0"))))
    # SteppingThreadGroup: users per step (getPropertyAsInt) known only at run time: 1 per step, as before
    stepping = convert(tmp_path, plan(el(STEPPING, "S",
        s("ThreadGroup.num_threads", "3") + s("Start users count", groovy) + s("Start users period", "10")
        + s("flighttime", "30"), http("a", domain="h"))))  # fmt: skip
    # ArrivalsThreadStarter: getTargetLevelFactored -> getTargetLevelAsInt, 1 when known only at run time
    arrivals = convert(tmp_path, plan(el(ARRIVALS, "A", s("TargetLevel", groovy) + s("Hold", "60"),
                                         http("a", domain="h"))))  # fmt: skip
    assert [st.users for st in _stage(classic)] == [1]
    assert [st.users for st in _stage(ultimate)] == [1]
    assert [st.users for st in _stage(stepping)] == [1, 2, 3]
    assert [(st.users, st.tps) for st in _stage(arrivals)] == [(1, 1)]
    for sc, label in ((classic, "number of threads"), (ultimate, "row 1 threads"),
                      (stepping, "users per step"), (arrivals, "target rate")):  # fmt: skip
        assert _diag(sc, "JMX902") == [f"{label} {groovy!r} is known only at run time | used 1"]


def test_concurrency_target_from_a_property_default_or_j_value(tmp_path: pathlib.Path) -> None:
    group = plan(el(CTG, "C", s("TargetLevel", "${__P(users,10)}") + s("Hold", "60"), http("a", domain="h")))
    assert [st.users for st in _stage(convert(tmp_path, group))] == [10]
    given = convert(tmp_path, group, properties={"users": "7"})
    assert [st.users for st in _stage(given)] == [7] and "JMX902" not in codes(given)


# -- item 2: a WebSocket Close that may not run ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("controller", "props"),
    [
        ("IfController", s("IfController.condition", "${__jexl3(${failed} == 1)}")),
        ("LoopController", s("LoopController.loops", "${n}")),
        ("ThroughputController", s("ThroughputController.percentThroughput", "50.0")),
    ],
    ids=["if", "loop", "throughput"],
)
def test_websocket_reuse_after_a_conditional_close_is_kept(
    tmp_path: pathlib.Path, controller: str, props: str
) -> None:
    # Luminis CloseWebSocketSampler closes the thread's cached connection only when it runs: under an If (the
    # usual "close on error"), a Loop or a Throughput Controller it may not, and the later sampler then sends
    # over the open connection. Only a Close on an unconditional path (JMX127) makes the later sample fail.
    from tests.test_jmx_gaps import _ws
    from tests.test_jmx_support import requests

    body = (
        _ws("OpenWebSocketSampler", "open", "ws.example")
        + el(controller, "maybe", props, el("GenericController", "simple", "", _ws("CloseWebSocketSampler", "close")))
        + _ws("RequestResponseWebSocketSampler", "send")
    )  # fmt: skip
    sc = convert(tmp_path, plan(tg(body, loops="3")))
    assert [(r.name, r.url) for r in requests(sc.cases[0].steps)] == [
        ("open", "ws://ws.example/chat"),
        ("close", "ws://ws.example/chat"),
        ("send", "ws://ws.example/chat"),
    ]
    assert "JMX127" not in codes(sc)
    [reuse] = _diag(sc, "JMX124")
    assert "the Close sampler 'close' before it runs under a controller that may skip it" in reuse


def test_websocket_close_under_simple_and_transaction_controllers_still_closes(
    tmp_path: pathlib.Path,
) -> None:
    from tests.test_jmx_gaps import _ws

    close = el("TransactionController", "tx", "", el("GenericController", "simple", "",
                                                    _ws("CloseWebSocketSampler", "close")))  # fmt: skip
    body = (
        _ws("OpenWebSocketSampler", "open", "ws.example")
        + close
        + _ws("RequestResponseWebSocketSampler", "send")
    )
    sc = convert(tmp_path, plan(tg(body)))
    assert "JMX127" in codes(sc) and "JMX124" not in codes(sc)


# -- item 3: what may set a ForEach's variables ---------------------------------------------------------------


def _each(prefix: str, separator: bool = True) -> str:
    props = s("ForeachController.inputVal", prefix) + s("ForeachController.returnVal", "id")
    props += f'<boolProp name="ForeachController.useSeparator">{str(separator).lower()}</boolProp>'
    return el("ForeachController", "each", props, http("in", "/item/${id}", domain="h"))


def _kept(sc: Scenario) -> bool:
    from tests.test_jmx_support import requests

    return "in" in [r.name for r in requests(sc.cases[0].steps)] and "JMX423" not in codes(sc)


def test_foreach_without_separator_over_an_extractors_name_and_underscore(tmp_path: pathlib.Path) -> None:
    # ForeachController.isDone/emptyList read inputVal + getSeparator() + (loopCount + 1), the separator "" when
    # 'Add "_" before number' is unticked; a Regular Expression Extractor with match number -1 sets refname_1,
    # refname_2... (RegexExtractor.process: refName + "_" + i): input "idsX_" without separator reads idsX_1
    regex = el("RegexExtractor", "re", s("RegexExtractor.refname", "idsX") + s("RegexExtractor.regex", "(x)")
               + s("RegexExtractor.match_number", "-1"))  # fmt: skip
    body = http("get", domain="h", children=regex)
    assert _kept(convert(tmp_path, plan(tg(body + _each("idsX_", separator=False)))))
    # without the trailing "_" JMeter reads idsX1: nothing sets it
    assert "JMX423" in codes(convert(tmp_path, plan(tg(body + _each("idsX", separator=False)))))


@pytest.mark.parametrize("kind", ["JSR223PreProcessor", "BeanShellPreProcessor"])
def test_foreach_after_a_script_file_is_kept(tmp_path: pathlib.Path, kind: str) -> None:
    # JSR223TestElement/BeanShellTestElement run the file named in 'filename' when it is set: its text (which may
    # vars.put("ids_1", ...)) is not in the plan, so the ForEach may run
    script = el(kind, "prepare", s("script", "") + s("filename", "prepare.groovy"))
    assert _kept(convert(tmp_path, plan(tg(script + _each("ids")))))
    inline = el(kind, "prepare", s("script", "log.info('hi')") + s("filename", ""))
    assert "JMX423" in codes(convert(tmp_path, plan(tg(inline + _each("ids")))))


def _csv(filename: str) -> str:
    return el("CSVDataSet", "csv", s("filename", filename) + s("variableNames", "") + s("delimiter", ","))


def test_foreach_over_a_csv_header_the_converter_cannot_read_is_kept(tmp_path: pathlib.Path) -> None:
    # CSVDataSet.iterationStart: blank Variable Names -> the file's first line names the variables; without the
    # file (no --data-dir) they may be anything
    assert _kept(convert(tmp_path, plan(tg(_csv("missing.csv") + _each("row")))))
    (tmp_path / "rows.csv").write_text("row_1,row_2\na,b\n", encoding="utf-8")
    assert _kept(convert(tmp_path, plan(tg(_csv("rows.csv") + _each("row")))))
    (tmp_path / "other.csv").write_text("name,mail\na,b\n", encoding="utf-8")
    assert "JMX423" in codes(convert(tmp_path, plan(tg(_csv("other.csv") + _each("row")))))


# -- items 4 and 5: 0 users from a missing -J property, a blank Concurrency target --------------------------------


def _said(sc: Scenario, code: str) -> list[tuple[str, str]]:
    return [(d.message, d.hint) for d in sc.diagnostics if d.code == code]


def test_zero_threads_from_a_property_not_given_names_it_and_hints_at_j(tmp_path: pathlib.Path) -> None:
    # __property(name) without -J returns the name, __P(name,) the empty default: AbstractThreadGroup
    # .getNumThreads (getPropertyAsInt) reads both as 0, as the plan does; the fix is to pass the property
    prop = convert(tmp_path, plan(tg(http("a", domain="h"), threads="${__property(threads)}")))
    assert [st.users for st in _stage(prop)] == [0]
    [(message, hint)] = _said(prop, "JMX223")
    assert "'${__property(threads)}' (property 'threads' not given with -J: read as 'threads')" in message
    assert hint == "pass -J threads=N"
    blank = convert(tmp_path, plan(tg(http("a", domain="h"), threads="${__P(threads,)}")))
    [(message, hint)] = _said(blank, "JMX226")
    assert message.startswith(
        "the number of threads '${__P(threads,)}' (property 'threads' not given with -J: read as '') is blank"
    )
    assert hint == "pass -J threads=N"
    given = convert(
        tmp_path, plan(tg(http("a", domain="h"), threads="${__P(threads,)}")), properties={"threads": "3"}
    )
    assert [st.users for st in _stage(given)] == [3] and "JMX226" not in codes(given)


def test_zero_threads_from_a_variable_quotes_its_value(tmp_path: pathlib.Path) -> None:
    udv = el("Arguments", "vars", '<collectionProp name="Arguments.arguments"><elementProp name="T" '
             f'elementType="Argument">{s("Argument.name", "T")}{s("Argument.value", " 4")}</elementProp>'
             "</collectionProp>", guiclass="ArgumentsPanel")  # fmt: skip
    sc = convert(tmp_path, plan(udv + tg(http("a", domain="h"), threads="${T}")))
    assert [st.users for st in _stage(sc)] == [0]
    [(message, _)] = _said(sc, "JMX223")
    assert message.startswith("number of threads '${T}' (read as ' 4') is not a whole number")


def test_blank_concurrency_target_is_a_warning_as_a_blank_thread_count(tmp_path: pathlib.Path) -> None:
    # getTargetLevelAsInt = getPropertyAsInt(TARGET_LEVEL, 1): a present but blank TargetLevel is getIntValue of
    # "", 0: no thread starts (JMX226, as a classic group's blank num_threads); unset stays 1
    sc = convert(tmp_path, plan(el(CTG, "C", s("TargetLevel", "") + s("Hold", "60"), http("a", domain="h"))))
    assert _stage(sc) == [Stage(users=0, hold_s=60)]
    [(message, _)] = _said(sc, "JMX226")
    assert message.startswith("the target concurrency is blank: JMeter reads it as 0")
    assert [d.severity for d in sc.diagnostics if d.code == "JMX226"] == ["warning"]


# -- item 6: the rendezvous wording, and no JMX523 in a case of 0 users -------------------------------------------


def _sync(size: str = "0", timeout: str = "0") -> str:
    return el("SyncTimer", "sync", s("groupSize", size) + s("timeoutInMs", timeout))


def test_jmx523_for_a_rendezvous_without_limit_says_so(tmp_path: pathlib.Path) -> None:
    # SyncTimer.delay: timeoutInMs 0 -> barrier.await() without limit (the model's 0; the emitter writes 1 h)
    sc = convert(tmp_path, plan(tg(_sync("20", timeout="0") + http("a", domain="h"), threads="5")))
    [action] = [d.action for d in sc.diagnostics if d.code == "JMX523"]
    assert action == (
        "rendezvous of 20 users kept: they wait without limit, as JMeter's timeout 0 (the plan gives it a long "
        "fixed one, PT026)"
    )
    timed = convert(tmp_path, plan(tg(_sync("20", timeout="500") + http("a", domain="h"), threads="5")))
    assert [d.action for d in timed.diagnostics if d.code == "JMX523"] == [
        "rendezvous of 20 users kept: they wait until its timeout (500 ms)"
    ]


def test_no_jmx523_in_a_group_jmeter_starts_no_thread_of(tmp_path: pathlib.Path) -> None:
    # ThreadGroup.scheduleThread throws for a duration of 0 (JMX240) and a group without a main controller fails
    # its threads at start (JMX241): no thread reaches the Synchronizing Timer, so none waits
    body = _sync() + http("a", domain="h")
    invalid = '<boolProp name="ThreadGroup.scheduler">true</boolProp>' + s("ThreadGroup.duration", "0")
    sc = convert(tmp_path, plan(tg(body, threads="10", extra=invalid)))
    assert [st.users for st in _stage(sc)] == [0]
    assert "JMX240" in codes(sc) and "JMX523" not in codes(sc)
    no_main = el("ThreadGroup", "TG", s("ThreadGroup.num_threads", "10"), body)
    sc = convert(tmp_path, plan(no_main))
    assert "JMX241" in codes(sc) and "JMX523" not in codes(sc)


# -- item 7: a Flow Control pause known only at run time ----------------------------------------------------------


def test_flow_control_pause_known_only_at_run_time_is_reported_as_a_timer_delay(
    tmp_path: pathlib.Path,
) -> None:
    # TestAction.pause: Long.parseLong of the duration JMeter evaluates as the test runs (a random 1-3 s here):
    # not 0 ms, but a delay the converter cannot know, reported as a timer's (JMX502) and left out
    from converter.model import Think

    pause = el("TestAction", "pause", s("ActionProcessor.action", "1") + s("ActionProcessor.target", "0")
               + s("ActionProcessor.duration", "${__Random(1000,3000)}"), guiclass="TestActionGui")  # fmt: skip
    sc = convert(tmp_path, plan(tg(http("a", domain="h") + pause + http("b", domain="h"))))
    assert not [step for step in sc.cases[0].steps if isinstance(step, Think)]
    assert [(d.message, d.severity) for d in sc.diagnostics if d.code == "JMX502"] == [
        ("pause duration = '${__Random(1000,3000)}' is known only at run time", "error")
    ]
    assert "JMX902" not in codes(sc)
