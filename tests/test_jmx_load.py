"""Load shape: what PerfTest stages a thread group (with its throughput timers) becomes, checked against how
JMeter runs it, and the think times and rendezvous its timers become. One focused test per audit finding."""

from __future__ import annotations

import pathlib
from typing import Any

from converter.convert import convert_jmx
from converter.emit.perftest import emit_plan
from converter.model import Rendezvous, Scenario, Think
from tests.test_jmx_support import b, codes, convert, el, http, plan, row, s, tg


def _stages(sc: Scenario, case: int = 0) -> list[dict[str, Any]]:
    ops = [op for op in emit_plan(sc).plan.operations if op.operation == "UpdateCase" and "stages" in op.body]
    stages: list[dict[str, Any]] = ops[case].body["stages"]
    return stages


def _emit_codes(sc: Scenario) -> list[str]:
    return [d.code for d in emit_plan(sc).plan.diagnostics]


def _shape(stages: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(st["issue_num"], st.get("time"), st.get("count"), st.get("tps_value")) for st in stages]


def _rows(name: str, rows: list[tuple[object, ...]]) -> str:
    inner = "".join(
        f'<collectionProp name="{n}">{"".join(s(str(k), v) for k, v in enumerate(r))}</collectionProp>'
        for n, r in enumerate(rows)
    )
    return f'<collectionProp name="{name}">{inner}</collectionProp>'


def _timed(threads: str, ramp: str, duration: str, body: str, name: str = "TG") -> str:
    scheduler = b("ThreadGroup.scheduler", True) + s("ThreadGroup.duration", duration)
    return tg(body, name=name, threads=threads, ramp=ramp, loops="-1", extra=scheduler)


# -- finding 13: huge step counts stay bounded ------------------------------------------------------------


def test_huge_concurrency_steps_and_stepping_counts_convert_quickly_and_bounded(
    tmp_path: pathlib.Path,
) -> None:
    conc = el(
        "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup", "C",
        s("TargetLevel", "10") + s("RampUp", "60") + s("Steps", "99999999999999999999") + s("Hold", "5"),
        http("a", domain="h"),
    )  # fmt: skip
    step = el(
        "kg.apc.jmeter.threads.SteppingThreadGroup", "S",
        s("ThreadGroup.num_threads", "1000000000") + s("Start users count", "1") + s("Start users period", "1")
        + s("flighttime", "10"),
        http("b", domain="h"),
    )  # fmt: skip
    sc = convert(
        tmp_path, plan(conc + step)
    )  # (it used to build a stage per step: a hang, then out of memory)
    conc_stages, step_stages = _stages(sc, 0), _stages(sc, 1)
    # one stage per level (6 s each), the last one running on through the hold; no 0-second stage
    assert _shape(conc_stages) == [(n, 6, None, None) for n in range(1, 10)] + [(10, 11, None, None)]
    assert len(step_stages) <= 1024 and step_stages[-1]["issue_num"] == 1_000_000_000
    assert all(st["time"] > 0 for st in conc_stages + step_stages)
    assert "JMX204" in row(sc, "C").codes and "JMX204" in row(sc, "S").codes


# -- finding 2: rate ramps keep the users and last their time ---------------------------------------------


def test_shaping_timer_ramps_the_rate_not_the_users(tmp_path: pathlib.Path) -> None:
    shaping = el(
        "kg.apc.jmeter.timers.VariableThroughputTimer", "shape",
        _rows("load_profile", [(1, 100, 60), (100, 100, 60), (100, 10, 30)]),
        guiclass="kg.apc.jmeter.timers.VariableThroughputTimerGui",
    )  # fmt: skip
    sc = convert(tmp_path, plan(_timed("50", "0", "150", http("a", domain="h") + shaping)))
    stages = _stages(sc)
    assert {st["issue_num"] for st in stages} == {50}  # JMeter runs the group's 50 threads from the start
    assert all(st["time"] > 0 for st in stages) and sum(st["time"] for st in stages) == 150
    up, hold, down = stages[:10], stages[10], stages[11:]
    # each 6 s step runs at about the mean rate of its interval (1 + 99 * (n - 0.5) / 10), rounded so that the
    # requests sent so far stay nearest to what JMeter's linear rate has sent: the totals are JMeter's
    assert [st["tps_value"] for st in up] == [6, 16, 26, 35, 46, 55, 66, 75, 85, 95]
    assert sum(st["tps_value"] * st["time"] for st in up) == (1 + 100) / 2 * 60
    assert (hold["time"], hold["tps_value"]) == (60, 100)
    assert [st["tps_value"] for st in down] == [96, 86, 78, 68, 60, 50, 42, 32, 24, 14]
    assert sum(st["tps_value"] * st["time"] for st in down) == (100 + 10) / 2 * 30
    assert all(st["current_tps"] == st["tps_value"] for st in stages)
    assert _emit_codes(sc).count("PT020") == 2 and "PT007" not in _emit_codes(sc)


def test_shaping_schedule_ends_with_the_groups_scheduler(tmp_path: pathlib.Path) -> None:
    shaping = el(
        "kg.apc.jmeter.timers.VariableThroughputTimer", "shape",
        _rows("load_profile", [(0, 100, 60), (100, 100, 60)]),
        guiclass="kg.apc.jmeter.timers.VariableThroughputTimerGui",
    )  # fmt: skip
    sc = convert(tmp_path, plan(_timed("5", "0", "90", http("a", domain="h") + shaping)))
    stages = _stages(sc)
    # the group's 90 s scheduler stops its threads: the second row runs 30 s, not 60
    assert sum(st["time"] for st in stages) == 90 and _shape(stages)[-1] == (5, 30, None, 100)
    assert "JMX221" in row(sc, "TG").codes


def test_arrivals_ramp_and_ultimate_ramp_down_are_not_zero_second_stages(tmp_path: pathlib.Path) -> None:
    arr = el(
        "com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup", "A",
        s("TargetLevel", "10") + s("RampUp", "10") + s("Hold", "20") + s("ConcurrencyLimit", "4"),
        http("a", domain="h"),
    )  # fmt: skip
    ult = el(
        "kg.apc.jmeter.threads.UltimateThreadGroup", "U",
        _rows("ultimatethreadgroupdata", [(10, 0, 0, 30, 10)]),
        http("b", domain="h"),
    )  # fmt: skip
    sc = convert(tmp_path, plan(arr + ult))
    arrivals, ultimate = _stages(sc, 0), _stages(sc, 1)
    ramp, hold = _shape(arrivals)[:-1], _shape(arrivals)[-1]
    assert [(users, seconds) for users, seconds, _, _ in ramp] == [(4, 1)] * 10 and hold == (4, 20, None, 10)
    # 0 -> 10 arrivals/s over 10 s: JMeter starts 50 iterations; each 1 s step's whole TPS keeps the total
    assert sum(tps for _, _, _, tps in ramp) == 50
    assert all(n - 1 <= tps <= n for n, (_, _, _, tps) in enumerate(ramp, start=1))
    assert _shape(ultimate) == [(10, 30, None, None)] + [(n, 1, None, None) for n in range(10, 0, -1)]


# -- finding 3: an iteration-limited group runs exactly users x loops -------------------------------------


def test_loop_limited_group_with_a_ramp_is_one_count_stage(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="10", ramp="100", loops="2")))
    assert _shape(_stages(sc)) == [(10, None, 20, None)]  # no duration stage lets users iterate freely
    assert "PT021" in _emit_codes(sc) and "PT007" not in _emit_codes(sc)


# -- finding 18: the scheduler ends the ramp-up early -------------------------------------------------------


def test_duration_shorter_than_the_ramp_keeps_only_the_threads_started(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(_timed("10", "100", "60", http("a", domain="h"))))
    # JMeter starts thread i at i * 10 s: threads 0..5 run before the 60 s scheduler stops the group
    assert _shape(_stages(sc)) == [(n, 10, None, None) for n in range(1, 7)]
    assert "JMX220" in row(sc, "TG").codes


# -- finding 10: timers read their delay as JMeter does ----------------------------------------------------


def _timer(kind: str, delay: str, spread: str | None = None) -> str:
    props = s("ConstantTimer.delay", delay) + ("" if spread is None else s("RandomTimer.range", spread))
    return el(kind, kind, props)


def test_timer_delays_are_java_longs_and_the_gaussian_mean_is_folded(tmp_path: pathlib.Path) -> None:
    samplers = (
        http("uniform", domain="h", children=_timer("UniformRandomTimer", "5627.5", "11255.0"))
        + http("gauss", domain="h", children=_timer("GaussianRandomTimer", "300", "500"))
        + http("constant", domain="h", children=_timer("ConstantTimer", "1000.5"))
        + http("plain", domain="h", children=_timer("ConstantTimer", "250"))
    )
    sc = convert(tmp_path, plan(tg(samplers)))
    thinks = [st.ms for st in sc.cases[0].steps if isinstance(st, Think)]
    # Long.parseLong("5627.5") fails and JMeter reads 0; E|300 + 500 Z| = 468.7
    assert thinks == [5627, 468, 0, 250]
    assert "JMX520" in codes(sc)


# -- finding 19: Synchronizing Timer defaults --------------------------------------------------------------


def test_sync_timer_zero_timeout_waits_long_and_negative_size_does_nothing(tmp_path: pathlib.Path) -> None:
    sync = el("SyncTimer", "all", s("groupSize", "0") + s("timeoutInMs", "0"))
    off = el("SyncTimer", "off", s("groupSize", "-1") + s("timeoutInMs", "100"))
    sc = convert(
        tmp_path, plan(tg(http("a", domain="h", children=sync) + http("b", domain="h", children=off)))
    )
    points = [st for st in sc.cases[0].steps if isinstance(st, Rendezvous)]
    # group size 0: the thread group's 1 thread (getNumThreads), a rendezvous that never holds, as in JMeter
    # timeout 0: the model's "no limit" (Rendezvous.timeout_ms), which the emitter makes 1 h (PT026)
    assert [(p.name, p.count, p.timeout_ms) for p in points] == [("all", 1, 0)]
    assert row(sc, "all").codes == ["JMX521"] and row(sc, "off").codes == ["JMX522"]


def test_a_load_of_zero_seconds_and_a_fall_by_one_user_keep_time(tmp_path: pathlib.Path) -> None:
    empty = el(
        "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup", "C",
        s("TargetLevel", "3") + s("RampUp", "0") + s("Hold", "0"), http("a", domain="h"),
    )  # fmt: skip
    ult = el(
        "kg.apc.jmeter.threads.UltimateThreadGroup", "U",
        _rows("ultimatethreadgroupdata", [(1, 0, 0, 10, 5)]), http("b", domain="h"),
    )  # fmt: skip
    sc = convert(tmp_path, plan(empty + ult))
    assert _shape(_stages(sc, 0)) == [(3, 1, None, None)] and "PT022" in _emit_codes(sc)
    # the last user stops somewhere in the 5 s ramp-down: the step keeps it
    assert _shape(_stages(sc, 1)) == [(1, 10, None, None), (1, 5, None, None)]


def test_a_shaping_timer_only_paces_an_iteration_limited_group(tmp_path: pathlib.Path) -> None:
    """5 threads x 10 loops: JMeter runs 50 iterations and stops, however long the schedule is."""
    shaping = el(
        "kg.apc.jmeter.timers.VariableThroughputTimer", "shape",
        _rows("load_profile", [(1, 20, 30), (20, 20, 30)]),
        guiclass="kg.apc.jmeter.timers.VariableThroughputTimerGui",
    )  # fmt: skip
    sc = convert(tmp_path, plan(tg(http("a", domain="h") + shaping, threads="5", loops="10")))
    # the count kept, capped at the first row's mean rate (10.5 TPS: 11, whole TPS round half up)
    assert _shape(_stages(sc)) == [(5, None, 50, 11)]
    assert "JMX221" in row(sc, "TG").codes


def test_a_schedule_that_gives_no_stage_is_said_so(tmp_path: pathlib.Path) -> None:
    ult = el(
        "kg.apc.jmeter.threads.UltimateThreadGroup", "U",
        _rows("ultimatethreadgroupdata", [(5, 0, 0, 0, 0)]),  # a row that lasts 0 s
        http("b", domain="h"),
    )  # fmt: skip
    sc = convert(tmp_path, plan(ult))
    # JMeter's load lasts 0 s: a 0-second stage of the row's users, which the emitter makes 1 s (PT022)
    assert _shape(_stages(sc)) == [(5, 1, None, None)] and "PT022" in _emit_codes(sc)
    assert any("give no load stage" in d.message for d in sc.diagnostics if d.code == "JMX204")


def test_an_ultimate_row_with_too_few_cells_is_reported_not_skipped_in_silence(
    tmp_path: pathlib.Path,
) -> None:
    ult = el(
        "kg.apc.jmeter.threads.UltimateThreadGroup", "U",
        _rows("ultimatethreadgroupdata", [(5, 0, 0, 20, 0), (9, 5)]),
        http("b", domain="h"),
    )  # fmt: skip
    sc = convert(tmp_path, plan(ult))
    assert max(users for users, _, _, _ in _shape(_stages(sc))) == 5
    [note] = [d for d in sc.diagnostics if d.code == "JMX204"]
    assert note.message.startswith("schedule row 2 has 2 cell(s)") and note.action == "row left out"


def test_a_concurrency_hold_beyond_a_long_is_read_as_java_rounds_it(tmp_path: pathlib.Path) -> None:
    """Math.round(1e308 * 60) is Long.MAX_VALUE in JMeter (it was an OverflowError here, found by fuzzing); the
    plan's stage takes the API's Integer at most (PT047)."""
    conc = el(
        "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup", "C",
        s("TargetLevel", "2") + s("RampUp", "0") + s("Hold", "1e308") + s("Unit", "M"),
        http("a", domain="h"),
    )  # fmt: skip
    (tmp_path / "t.jmx").write_text(plan(conc), encoding="utf-8")
    result = convert_jmx(tmp_path / "t.jmx")
    assert [st.hold_s for st in result.scenario.cases[0].load.stages] == [2**63 - 1]
    stages = [op.body["stages"] for op in result.plan.operations if op.id.endswith(":stage")]
    assert [st["time"] for st in stages[0]] == [2**31 - 1]
    assert [d.code for d in result.plan.diagnostics if d.code == "PT047"] == ["PT047"]
