"""A case's load profile as PerfTest stages (TestCaseStage): user ramps (up and down) and rate ramps as
staircases, iteration stages, limits, what is ignored. No stage lasts 0 seconds."""

from __future__ import annotations

import math
from typing import Any

from converter import api
from converter.diagnostics import Collector, define
from converter.emit import cards
from converter.model import Case, Stage

PT_STAGES = define("PT005", "error", "stages truncated: PerfTest allows at most 1024 stages per case")
PT_RAMP = define("PT007", "warning", "user ramp approximated by a staircase of concurrency stages")
PT_DELAY = define("PT013", "warning", "start delay not representable in PerfTest stages; ignored")
PT_RATE_RAMP = define(
    "PT020",
    "warning",
    "rate ramp approximated by a staircase of whole-TPS stages sending as many requests in all",
)
PT_COUNT_RAMP = define(
    "PT021", "warning", "ramp-up of an iteration-limited stage not reproduced: all users start at once"
)
PT_ZERO_TPS = define(
    "PT025", "warning", "stage with a 0 TPS target: what PerfTest does with it is undocumented"
)
PT_NO_TIME = define("PT022", "warning", "the load lasts 0 seconds: a 1-second stage was emitted")
PT_TOO_BIG = define(
    "PT047", "warning", "stage number beyond 2,147,483,647 (the reference's Integer): set to that maximum"
)
# The reference types the stage numbers (time, concurrency, count, TPS) as Integer: a 32-bit one, as the CLI bounds
# its own load options.
INTEGER_MAX = 2**31 - 1

MAX_STAGES_PER_CASE = api.MAX_STAGES_PER_CASE
STAIRCASE_MAX_STEPS = 10


def stages(case: Case, diag: Collector) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    previous = 0
    if case.load.delay_s:
        diag.report(
            PT_DELAY,
            case.source,
            f"case {case.name!r} starts after {case.load.delay_s} s",
            action="ignored",
        )
    for stage in case.load.stages:
        stage = _bounded(case, stage, diag)
        made = (
            [_counted(case, previous, stage, diag)]
            if stage.iterations
            else _timed(case, previous, stage, diag)
        )
        for item in made:  # staircase steps come named; the others are named by their position
            out.append(item if item["name"] else dict(item, name=f"Stage-{len(out) + 1}"))
        previous = stage.users
    if not out:  # every stage lasts 0 s: JMeter runs nothing, PerfTest needs a stage
        last = case.load.stages[-1]
        diag.report(
            PT_NO_TIME, case.source, f"case {case.name!r} has no stage longer than 0 s", action="1 s stage"
        )
        out.append(cards.stage(name="Stage-1", users=last.users, seconds=1, iterations=None, tps=last.tps))
    zero = [item for item in out if item.get("tps_value") == 0]
    if zero:
        steps = sum(1 for item in zero if item["name"].startswith("Stage-ramp-"))
        parts = []
        if len(zero) > steps:
            parts.append(
                f"{len(zero) - steps} hold(s) at a rate of 0 (a pause or a 0 rate in JMeter's schedule)"
            )
        if steps:
            parts.append(
                f"{steps} step(s) of a rate ramp's staircase rounded to 0 TPS (JMeter's rising or falling rate "
                "still sends a few requests there; the steps next to them make up the total)"
            )
        diag.report(
            PT_ZERO_TPS,
            case.source,
            f"case {case.name!r}: {len(zero)} stage(s) with a target of 0 TPS: " + "; ".join(parts),
            action="kept with tps_value 0",
            hint="the API reference does not say what a 0 TPS target does: check in PerfTest that such a stage "
            "sends nothing (some engines read 0 as no limit)",
        )
    if len(out) > MAX_STAGES_PER_CASE:
        diag.report(
            PT_STAGES,
            case.source,
            f"case {case.name!r} needs {len(out)} stages",
            action=f"only the first {MAX_STAGES_PER_CASE} are kept",
        )
        out = out[:MAX_STAGES_PER_CASE]
    return out


def _bounded(case: Case, stage: Stage, diag: Collector) -> Stage:
    """``stage`` with every number the API cannot take (above INTEGER_MAX) set to that maximum, said once per
    stage: a source can ask for any length or rate (JMeter reads them as longs or doubles)."""
    fields = ("users", "ramp_s", "hold_s", "iterations", "tps", "tps_start")
    big = {f: INTEGER_MAX for f in fields if (getattr(stage, f) or 0) > INTEGER_MAX}
    if not big:
        return stage
    diag.report(
        PT_TOO_BIG,
        case.source,
        f"case {case.name!r}: " + ", ".join(f"{f} {getattr(stage, f)}" for f in big),
        action=f"set to {INTEGER_MAX}",
        hint="a stage this long or this heavy is no test that ends: check the source's numbers",
    )
    return stage.model_copy(update=big)


def _counted(case: Case, previous: int, stage: Stage, diag: Collector) -> dict[str, Any]:
    """A count-mode stage. A duration-mode staircase before it would let the first users iterate freely while
    the others start (JMeter runs exactly users x iterations), so the ramp-up is dropped and reported."""
    iterations = stage.iterations or 1
    total = iterations * max(stage.users, 1)  # PerfTest's count is the total for the stage
    if stage.ramp_s > 0 and stage.users > previous + 1:
        diag.report(
            PT_COUNT_RAMP,
            case.source,
            f"case {case.name!r}: a ramp-up of {stage.ramp_s} s would start {stage.users} users one after another, "
            f"each stopping after {iterations} iteration(s)",
            action=f"one count stage of {total} iterations with all {stage.users} users from the start",
            hint="the total number of iterations is kept; the concurrency during the ramp-up is higher",
        )
    return cards.stage(name="", users=stage.users, seconds=None, iterations=total, tps=stage.tps)


def _timed(case: Case, previous: int, stage: Stage, diag: Collector) -> list[dict[str, Any]]:
    """A duration-mode stage: its ramp (as a staircase, or folded into the hold when nothing changes in
    steps) and its hold; parts of 0 seconds are left out (they do nothing in JMeter either)."""
    hold = stage.hold_s or 0
    rate_ramp = stage.tps_start is not None and stage.tps_start != stage.tps
    # one user more starts at once (JMeter starts thread 0 at the ramp's start): no ramp; any fall is one
    user_ramp = stage.tps_start is None and (stage.users > previous + 1 or stage.users < previous)
    if stage.ramp_s > 0 and (rate_ramp or user_ramp):
        out = staircase(case, previous, stage, diag)
    else:
        out, hold = [], stage.ramp_s + hold  # the ramp time still passes
    if hold > 0:
        out.append(cards.stage(name="", users=stage.users, seconds=hold, iterations=None, tps=stage.tps))
    return out


def staircase(case: Case, start: int, stage: Stage, diag: Collector) -> list[dict[str, Any]]:
    """At most STAIRCASE_MAX_STEPS steps of at least 1 s over ``stage.ramp_s``. A user ramp holds in each step
    the most users JMeter runs in it (the step's end going up, its start going down); a rate ramp keeps the
    users and gives each step the whole TPS that brings the requests sent so far nearest to what JMeter's
    linear rate has sent by the step's end (so the total stays within half a second's worth of requests)."""
    ramp = stage.ramp_s
    if stage.tps_start is not None and stage.tps is not None:
        tps_from, rise = stage.tps_start, stage.tps - stage.tps_start
        count = max(1, min(STAIRCASE_MAX_STEPS, ramp))
        diag.report(
            PT_RATE_RAMP,
            case.source,
            f"rate ramp from {tps_from} to {stage.tps} TPS over {ramp} s with {stage.users} users",
            action=f"{count} stages of constant TPS",
        )
    else:
        tps_from, rise = start, stage.users - start
        count = max(1, min(STAIRCASE_MAX_STEPS, abs(rise), ramp))
        diag.report(
            PT_RAMP,
            case.source,
            f"ramp from {start} to {stage.users} users over {ramp} s",
            action=f"{count} stages of {'rising' if rise > 0 else 'falling'} concurrency",
        )
    out: list[dict[str, Any]] = []
    elapsed = 0
    sent = 0  # requests the rate steps so far send; each step makes up what the steps before sent too much or few
    tps: int | None
    for number in range(1, count + 1):
        until = round(ramp * number / count)
        if until <= elapsed:
            continue
        if stage.tps_start is not None:
            wanted = tps_from * until + rise * until * until / (2 * ramp)  # JMeter's requests by then
            # half up, as a single rate is rounded (the next step makes up the difference either way)
            users, tps = stage.users, max(0, math.floor((wanted - sent) / (until - elapsed) + 0.5))
            sent += tps * (until - elapsed)
        elif rise > 0:
            users, tps = min(start + max(1, round(rise * number / count)), stage.users), stage.tps
        else:
            users, tps = start + round(rise * (number - 1) / count), stage.tps
        name = f"Stage-ramp-{len(out) + 1}"
        out.append(cards.stage(name=name, users=users, seconds=until - elapsed, iterations=None, tps=tps))
        elapsed = until
    return out
