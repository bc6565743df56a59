"""Behavioural-equivalence audit 6 (JMX): the Stepping group's timeline, extractors' match -1 and group
variables, a Module Controller aimed at a disabled controller, Response Assertions on the header block,
groups without a Cookie Manager. JMeter (and jmeter-plugins) behaviour is cited from their sources in each
test."""

from __future__ import annotations

import pathlib

from converter.model import Scenario
from tests.test_jmx_support import codes, convert, el, http, plan, s

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
