"""Timers: Constant / Uniform / Gaussian / Poisson -> think time before each sampler in scope, Synchronizing
Timer -> rendezvous, throughput timers -> TPS targets for the whole thread group (or reported)."""

from __future__ import annotations

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


@dataclass
class Pacing:
    """A throughput timer that governs a whole thread group: a constant target or a TPS schedule."""

    tps: float | None = None  # requests per second for the group
    per_user: bool = False  # ConstantThroughputTimer "this thread only": multiply by the users
    schedule: list[tuple[float, float, int]] | None = None  # (start rps, end rps, seconds) rows


TimerResult = list[Step] | Pacing | None


def _ms(ctx: Context, node: Node, name: str) -> float | None:
    text = ctx.value(node, node.text(name, "0"))
    value = props.number(text) if text.strip() else 0.0
    if value is None:
        ctx.report(JMX_TIMER_EXPRESSION, node, f"{name} = {text!r} is not a number", action="no think time")
    return value


def prepare(ctx: Context, node: Node, governs_group: bool) -> TimerResult:
    kind = normalise(node.kind)
    if kind == "ConstantTimer":
        delay = _ms(ctx, node, "ConstantTimer.delay")
        return None if delay is None else [Think(ms=max(int(delay), 0), source=node.loc)]
    if kind in ("UniformRandomTimer", "GaussianRandomTimer", "PoissonRandomTimer"):
        delay = _ms(ctx, node, "ConstantTimer.delay")
        spread = _ms(ctx, node, "RandomTimer.range")
        if delay is None or spread is None:
            return None
        mean = delay + (
            spread / 2 if kind == "UniformRandomTimer" else spread if kind == "PoissonRandomTimer" else 0
        )
        ctx.report(
            JMX_RANDOM_TIMER,
            node,
            f"{kind}: offset {delay:g} ms, range/deviation {spread:g} ms -> {int(mean)} ms",
            action="fixed think time at the mean",
        )
        return [Think(ms=max(int(mean), 0), source=node.loc)]
    if kind == "SyncTimer":
        count = ctx.number(node, "group size", node.text("groupSize", "0"), 0)
        timeout = ctx.number(node, "timeout", node.text("timeoutInMs", "0"), 0)
        ctx.report(JMX_SYNC_TIMER, node, f"rendezvous of {count or 'all'} users (timeout {timeout} ms)")
        return [
            Rendezvous(
                name=node.name or "rendezvous",
                count=max(count, 0),
                timeout_ms=max(timeout, 0),
                source=node.loc,
            )
        ]
    if kind in (
        "ConstantThroughputTimer",
        "PreciseThroughputTimer",
        "kg.apc.jmeter.timers.VariableThroughputTimer",
    ):
        return _throughput(ctx, node, kind, governs_group)
    ctx.report(JMX_SCRIPT_TIMER, node, f"{node.kind} computes its delay in a script", action="no think time")
    return None


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
    ctx.report(JMX_THROUGHPUT_GROUP, node, f"{kind}: {action}", action="TPS target on the case's stages")
    return pacing
