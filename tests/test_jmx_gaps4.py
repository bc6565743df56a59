"""Run-time user counts in every thread group kind, conditional WebSocket Close, ForEach variable sources
(separator, script files, CSV headers), 0 users from a missing -J property, the rendezvous wording, and a
Flow Control pause known only at run time. JMeter behaviour cited from the apache/jmeter and
undera/jmeter-plugins sources in each test."""

from __future__ import annotations

import pathlib

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
    assert [st.users for st in _stage(stepping)] == [1, 2, 3, 3]
    assert [(st.users, st.tps) for st in _stage(arrivals)] == [(1, 1)]
    for sc, label in ((classic, "number of threads"), (ultimate, "row 1 threads"),
                      (stepping, "users per step"), (arrivals, "target rate")):  # fmt: skip
        assert _diag(sc, "JMX902") == [f"{label} {groovy!r} is known only at run time | used 1"]


def test_concurrency_target_from_a_property_default_or_j_value(tmp_path: pathlib.Path) -> None:
    group = plan(el(CTG, "C", s("TargetLevel", "${__P(users,10)}") + s("Hold", "60"), http("a", domain="h")))
    assert [st.users for st in _stage(convert(tmp_path, group))] == [10]
    given = convert(tmp_path, group, properties={"users": "7"})
    assert [st.users for st in _stage(given)] == [7] and "JMX902" not in codes(given)
