"""What the JMX reader says: the JMeter element and what was done with it, not claims about PerfTest it cannot
check (Random Variable's format and seed, a Counter's increment and missing end, a ForEach JMeter runs 0
times)."""

from __future__ import annotations

import pathlib

from converter.model import Loop, Scenario
from tests.test_jmx_support import b, convert, el, http, plan, row, s, tg


def _diag(sc: Scenario, code: str) -> list[str]:
    return [f"{d.message} | {d.action}" for d in sc.diagnostics if d.code == code]


def test_random_variable_says_what_the_variable_lacks(tmp_path: pathlib.Path) -> None:
    rv = el("RandomVariableConfig", "rv", s("variableName", "uid") + s("minimumValue", "1")
            + s("maximumValue", "50") + s("outputFormat", "U_000") + s("randomSeed", "42") + b("perThread", True),
            guiclass="TestBeanGUI")  # fmt: skip
    sc = convert(tmp_path, plan(tg(rv + http("a", domain="h"))))
    assert _diag(sc, "JMX314") == [
        "uid in [1, 50]; dropped: output format 'U_000' (the int_range variable holds plain numbers), "
        "seed '42' (JMeter seeds its generator with it; the variable has no seed), per-thread generator"
        " | converted to an int_range variable"
    ]


def _counter(props: str) -> str:
    return el("CounterConfig", "cnt", s("CounterConfig.name", "n") + s("CounterConfig.start", "1") + props,
              guiclass="CounterConfigGui")  # fmt: skip


def test_counter_says_its_increment_is_not_kept_and_where_an_endless_one_stops(
    tmp_path: pathlib.Path,
) -> None:
    stepped = convert(tmp_path, plan(tg(_counter(s("CounterConfig.end", "9") + s("CounterConfig.incr", "2"))
                                        + http("a", domain="h"))))  # fmt: skip
    assert _diag(stepped, "JMX317") == [
        "n from 1 to 9; increment 2 not kept: JMeter adds 2 each time, the int_range variable has no step"
        " | converted to an int_range variable read in order"
    ]
    endless = convert(tmp_path, plan(tg(_counter(s("CounterConfig.end", "") + s("CounterConfig.incr", "1"))
                                        + http("a", domain="h"))))  # fmt: skip
    assert [v.values for v in endless.variables] == [[1, 2**31 - 1]]
    assert _diag(endless, "JMX317") == [
        "n from 1 without an end (JMeter counts up to Long.MAX_VALUE; the variable's range ends at 2147483647)"
        " | converted to an int_range variable read in order"
    ]


def test_foreach_with_an_empty_end_index_says_jmeter_runs_nothing(tmp_path: pathlib.Path) -> None:
    # ForeachController.isDone: loopCount (from the start index) >= getEndIndex(); an empty end index is
    # getIntValue's 0, so JMeter runs none of the children
    def each(name: str, start: str, end: str) -> str:
        props = s("ForeachController.inputVal", "ids") + s("ForeachController.returnVal", "id")
        props += s("ForeachController.startIndex", start) + s("ForeachController.endIndex", end)
        return el("ForeachController", name, props, http(f"in {name}", "/item/${id}", domain="h"))

    regex = el(
        "RegexExtractor", "re", s("RegexExtractor.refname", "ids") + s("RegexExtractor.match_number", "-1")
    )
    body = http("list", domain="h", children=regex) + each("empty", "0", "") + each("behind", "5", "3")
    sc = convert(tmp_path, plan(tg(body)))
    loops = [st for st in sc.cases[0].steps if isinstance(st, Loop)]
    assert [loop.count for loop in loops] == [0, 0]
    actions = [d.action for d in sc.diagnostics if d.code == "JMX420"]
    assert actions == [
        "a loop of 0 iterations: JMeter runs none of the children, as its end index is empty, which JMeter "
        "reads as 0",
        "a loop of 0 iterations: JMeter runs none of the children, as its end index 3 is not above its start "
        "index 5",
    ]
    assert row(sc, "empty").codes == ["JMX420"]


def test_per_iteration_resets_say_what_the_plan_does_not_claim_what_perftest_does(
    tmp_path: pathlib.Path,
) -> None:
    # 'Clear cookies each iteration' and 'Same user on each iteration' off: the plan has no per-iteration reset,
    # and the API reference says nothing of cookies or sessions between iterations
    cookies = el(
        "CookieManager", "cookies", b("CookieManager.clearEachIteration", True), guiclass="CookiePanel"
    )
    group = tg(
        cookies + http("r", domain="h"),
        name="fresh",
        extra=b("ThreadGroup.same_user_on_next_iteration", False),
    )
    sc = convert(tmp_path, plan(group))
    [cleared] = [d.action for d in sc.diagnostics if d.code == "JMX330"]
    [new_user] = [d.action for d in sc.diagnostics if d.code == "JMX209"]
    assert cleared == (
        "no per-iteration clearing in the plan (the API reference does not say what PerfTest does with cookies "
        "between iterations)"
    )
    assert new_user == (
        "no per-iteration reset in the plan (the API reference does not say what PerfTest does with a user's "
        "session between iterations)"
    )
