"""Grouped PT012, the classic thread group's invalid scheduler, numbers read as JMeter's getters read them
(extractor match numbers, Flow Control Action, Counter, Random Variable, ForEach), the Arrivals TargetLevel
and a thread group without a main controller. JMeter behaviour cited from the apache/jmeter and
undera/jmeter-plugins sources in each test."""

from __future__ import annotations

import pathlib

import pytest

from converter.emit.perftest import emit_plan
from converter.model import Scenario, Stage
from tests.test_jmx_support import b, codes, convert, http, plan, row, s, tg

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
