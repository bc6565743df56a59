"""Audit j6b, second pass: what a TPS target counts (arrivals vs samples), Open Model rate ramps, Boundary
Extractor boundaries, variables of the same name in different scopes, duplicate User Defined Variables, and
the Include Controller's fragment. JMeter behaviour cited from the apache/jmeter and undera/jmeter-plugins
sources in each test."""

from __future__ import annotations

import pathlib

from converter.model import Scenario
from tests.test_jmx_support import convert, el, http, plan, s, tg

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
    assert "iterations per second, not requests" in arrival_note
    assert "multiply by the requests one iteration sends" in arrival_note
    [timer_note] = _diag(timer, "JMX505")
    assert "JMeter counts samples" in timer_note
    assert "divide by the requests one pass sends" in timer_note
    # the same statement of what is unknown in both
    unknown = "the API reference does not define what PerfTest's TPS counts"
    assert unknown in arrival_note and unknown in timer_note


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
