"""Timers: Constant / Uniform / Gaussian / Poisson -> think time before each sampler in scope, Synchronizing
Timer -> rendezvous, throughput timers -> TPS targets for the whole thread group (or reported)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from converter.diagnostics import define
from converter.model import Rendezvous, Step, Think
from converter.parsers.jmx import props
from converter.parsers.jmx.classify import normalise
from converter.parsers.jmx.context import Context
from converter.parsers.jmx.tree import Node

JMX_RANDOM_TIMER = define("JMX501", "warning", "random timer converted to a fixed think time at its mean")
JMX_TIMER_EXPRESSION = define(
    "JMX502", "error", "timer delay is not a number at conversion time: not converted"
)
JMX_SCRIPT_TIMER = define("JMX503", "error", "scripted timer not converted")
JMX_SYNC_TIMER = define("JMX504", "info", "Synchronizing Timer converted to a rendezvous step")
JMX_THROUGHPUT_GROUP = define(
    "JMX505", "warning", "throughput timer converted to a TPS target of the thread group"
)
JMX_THROUGHPUT_EMPTY = define("JMX508", "error", "throughput schedule timer without rows: not converted")
JMX_THROUGHPUT_SHARED = define(
    "JMX507",
    "warning",
    "throughput shared by all thread groups in JMeter; each PerfTest case gets the full rate",
)
JMX_THROUGHPUT_PARTIAL = define(
    "JMX506", "error", "throughput timer governs only part of a group: not converted"
)
JMX_DELAY_NOT_LONG = define(
    "JMX520",
    "info",
    "timer delay is not a whole number of ms: JMeter reads it as 0, and so does the think time",
)
JMX_SYNC_NO_TIMEOUT = define(
    "JMX521",
    "warning",
    "Synchronizing Timer without a timeout: JMeter waits without limit, PerfTest's rendezvous needs one",
)
JMX_SYNC_OFF = define(
    "JMX522", "info", "Synchronizing Timer with a negative group size never waits in JMeter: no rendezvous"
)


@dataclass
class Pacing:
    """A throughput timer that governs a whole thread group: a constant target or a TPS schedule."""

    tps: float | None = None  # requests per second for the group
    per_user: bool = False  # ConstantThroughputTimer "this thread only": multiply by the users
    schedule: list[tuple[float, float, int]] | None = None  # (start rps, end rps, seconds) rows


TimerResult = list[Step] | Pacing | None

# What PerfTest's TPS counts is not defined by the API reference (TestCaseStage.tps_value: "TPS value in TPS
# mode"): requests, or passes through the case. JMeter's throughput timers count samples and the arrival-rate
# groups count iterations; the plan sends either number as it is and says which one it is (JMX505, JMX204).
TPS_UNIT_HINT = (
    "the API reference does not define what PerfTest's TPS counts (requests, or passes through the case): the "
    "plan sends JMeter's number as it is; check it in PerfTest and change tps_value in the case's stages"
)


def _ms(ctx: Context, node: Node, name: str) -> float | None:
    text = ctx.value(node, node.text(name, "0"))
    value = props.number(text) if text.strip() else 0.0
    if value is None and "${" not in text:  # getPropertyAsDouble reads any other text as 0 (AbstractProperty)
        ctx.report(
            JMX_DELAY_NOT_LONG, node, f"{name} {text!r} is not a number: JMeter reads it as 0", action="0 ms"
        )
        return 0.0
    if value is None:
        ctx.report(JMX_TIMER_EXPRESSION, node, f"{name} = {text!r} is not a number", action="no think time")
    return value


def _delay(ctx: Context, node: Node) -> int | None:
    """``ConstantTimer.delay`` as JMeter reads it for every timer: ``getPropertyAsLong``, i.e. Long.parseLong,
    which gives 0 for anything that is not a whole number (``1000.5``, ``" 100"``) or does not fit a long."""
    text = ctx.value(node, node.text("ConstantTimer.delay", ""))
    if "${" in text:
        ctx.report(JMX_TIMER_EXPRESSION, node, f"delay = {text!r} is not a number", action="no think time")
        return None
    if text == "":
        return 0
    delay = props.java_int(text, 64)
    if delay is not None:
        return delay
    ctx.report(
        JMX_DELAY_NOT_LONG,
        node,
        f"delay {text!r} is not a whole number of milliseconds: JMeter's timer reads it as 0",
        action="0 ms delay",
        hint="write the delay as a whole number of ms if a wait was meant",
    )
    return 0


def _folded_normal_mean(mean: float, deviation: float) -> float:
    """E|mean + deviation * Z|: GaussianRandomTimer waits abs(nextGaussian() * range + delay)."""
    sigma = abs(deviation)
    if sigma == 0:
        return abs(mean)
    tail = 0.5 * math.erfc(mean / (sigma * math.sqrt(2)))  # P(Z < -mean / sigma)
    return sigma * math.sqrt(2 / math.pi) * math.exp(-(mean**2) / (2 * sigma**2)) + mean * (1 - 2 * tail)


def prepare(ctx: Context, node: Node, governs_group: bool) -> TimerResult:
    kind = normalise(node.kind)
    if kind == "ConstantTimer":
        delay = _delay(ctx, node)
        return None if delay is None else [Think(ms=max(delay, 0), source=node.loc)]
    if kind in ("UniformRandomTimer", "GaussianRandomTimer", "PoissonRandomTimer"):
        delay = _delay(ctx, node)
        spread = _ms(ctx, node, "RandomTimer.range")  # getPropertyAsDouble: a fraction is kept
        if delay is None or spread is None:
            return None
        if kind == "GaussianRandomTimer":
            mean = _folded_normal_mean(delay, spread)
        else:
            mean = delay + (spread / 2 if kind == "UniformRandomTimer" else spread)
        ctx.report(
            JMX_RANDOM_TIMER,
            node,
            f"{kind}: offset {delay} ms, range/deviation {spread:g} ms -> {int(mean)} ms"
            + (
                " (the mean of abs(offset + deviation x N(0,1)), as JMeter draws it)"
                if kind == "GaussianRandomTimer"
                else ""
            ),
            action="fixed think time at the mean",
        )
        return [Think(ms=max(int(mean), 0), source=node.loc)]
    if kind == "SyncTimer":
        return _sync(ctx, node)
    if kind in (
        "ConstantThroughputTimer",
        "PreciseThroughputTimer",
        "kg.apc.jmeter.timers.VariableThroughputTimer",
    ):
        return _throughput(ctx, node, kind, governs_group)
    ctx.report(JMX_SCRIPT_TIMER, node, f"{node.kind} computes its delay in a script", action="no think time")
    return None


def _sync(ctx: Context, node: Node) -> TimerResult:
    """SyncTimer: group size 0 = every thread of the thread group (sized when a thread starts), a negative
    size disables it; timeout 0 = wait without limit."""
    # a TestBean: groupSize and timeoutInMs are set through Converter.getInt / getLong (Integer.parseInt /
    # Long.parseLong, 0 when unset or not a Java integer)
    count = ctx.java_number(node, "group size", node.given("groupSize"))
    timeout = ctx.java_number(node, "timeout", node.given("timeoutInMs"), bits=64)
    if count < 0:
        ctx.report(
            JMX_SYNC_OFF, node, f"group size {count}: JMeter never holds a thread", action="no rendezvous"
        )
        return []
    who = f"{count} users" if count else "all the users of the thread group (group size 0)"
    if timeout <= 0:
        ctx.report(
            JMX_SYNC_NO_TIMEOUT,
            node,
            f"rendezvous of {who}: "
            + (
                "JMeter waits without limit (timeout 0)"
                if timeout == 0
                else f"timeout {timeout} is negative, which makes JMeter's timer fail (IllegalArgumentException)"
            ),
            action="rendezvous without a timeout (0: no limit); the plan gives it a long fixed one (PT026)",
            hint="set the timeout JMeter's users would really wait",
        )
        timeout = 0  # the model's "no limit" (Rendezvous.timeout_ms); the emitter picks PerfTest's number
    else:
        ctx.report(
            JMX_SYNC_TIMER, node, f"rendezvous of {who} (timeout {timeout} ms)", action="rendezvous step"
        )
    # count 0 stays "all users": the case's user count is known only when the case is assembled
    return [Rendezvous(name=node.name or "rendezvous", count=count, timeout_ms=timeout, source=node.loc)]


def _throughput(ctx: Context, node: Node, kind: str, governs_group: bool) -> TimerResult:
    if not governs_group:
        ctx.report(
            JMX_THROUGHPUT_PARTIAL,
            node,
            f"{kind} sits below a controller or sampler; PerfTest sets TPS per stage of a whole case",
            action="not converted",
            hint="move the timer directly under the thread group to convert it",
        )
        return None
    if kind == "ConstantThroughputTimer":
        per_minute = props.number(ctx.value(node, node.text("throughput", "0"))) or 0.0
        mode = node.text("calcMode", "0").strip()
        pacing = Pacing(tps=per_minute / 60.0, per_user=mode in ("0", ""))
        action = f"{per_minute:g}/min -> TPS {'per user ' if pacing.per_user else ''}{per_minute / 60:g}"
        if mode in ("1", "3"):
            ctx.report(
                JMX_THROUGHPUT_SHARED,
                node,
                f"calcMode {mode} ('all active threads'): in JMeter {per_minute:g}/min is the total of every thread "
                "group this timer reaches",
                action="each case it reaches gets the full TPS target",
                hint="with several thread groups, divide the target between the cases",
            )
    elif kind == "PreciseThroughputTimer":
        samples = props.number(ctx.value(node, node.text("throughput", "0"))) or 0.0
        period = props.number(ctx.value(node, node.text("throughputPeriod", "3600"))) or 3600.0
        pacing = Pacing(tps=samples / period if period else 0.0)
        action = f"{samples:g} per {period:g} s -> TPS {pacing.tps:g}"
    else:
        schedule: list[tuple[float, float, int]] = []
        for row in node.rows("load_profile"):
            if len(row) >= 3:
                start, end, dur = props.number(row[0]), props.number(row[1]), props.integer(row[2])
                if start is not None and end is not None and dur is not None and dur > 0:
                    schedule.append((start, end, dur))
        if not schedule:
            ctx.report(
                JMX_THROUGHPUT_EMPTY,
                node,
                f"{kind} has no schedule rows",
                action="not converted: the case keeps its concurrency stages without a TPS target",
                hint="the plugin can read its schedule from the load_profile property at run time; "
                "set a TPS stage in PerfTest instead",
            )
            return None
        pacing = Pacing(schedule=schedule)
        action = f"{len(schedule)} schedule row(s) -> TPS stages"
    ctx.report(
        JMX_THROUGHPUT_GROUP,
        node,
        f"{kind}: {action}; JMeter counts samples: every sampler the timer governs counts once, so a pass "
        "through a group of N requests is N samples",
        action="TPS target on the case's stages: JMeter's samples per second, sent as the TPS as it is",
        hint=TPS_UNIT_HINT
        + " (if PerfTest counts passes through the case, divide by the requests one pass sends)",
    )
    return pacing
