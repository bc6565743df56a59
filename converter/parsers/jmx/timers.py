"""Timers: Constant / Uniform / Gaussian / Poisson -> think time before each sampler in scope, Synchronizing
Timer -> rendezvous, throughput timers -> TPS targets for the whole thread group (or reported)."""

from __future__ import annotations

import math
import re
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
JMX_LOAD_PROFILE = define(
    "JMX526",
    "info",
    "Throughput Shaping Timer: the load_profile property given with -J replaces its rows, as in JMeter",
)
JMX_LOAD_PROFILE_CHUNK = define(
    "JMX527",
    "warning",
    "load_profile property: a part the Throughput Shaping Timer cannot read is ignored, as in JMeter",
)
JMX_SHAPING_SHARED = define(
    "JMX528",
    "warning",
    "Throughput Shaping Timer shared by several thread groups: its rate is their total, split between the cases",
)

# the property the Throughput Shaping Timer reads its rows from when it is set (VariableThroughputTimer.DATA_PROPERTY)
LOAD_PROFILE = "load_profile"
_THREAD_GROUPS_APART = ("SetupThreadGroup", "PostThreadGroup")  # run before / after the others


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
        given = _property_schedule(ctx, node, len(schedule))
        if given is not None:
            if not given:
                return None
            schedule = given
        if not schedule:
            ctx.report(
                JMX_THROUGHPUT_EMPTY,
                node,
                f"{kind} has no schedule rows",
                action="not converted: the case keeps its concurrency stages without a TPS target",
                hint="the plugin can read its schedule from the load_profile property at run time; "
                "give it with -J load_profile=... (const/line/step) or set a TPS stage in PerfTest instead",
            )
            return None
        schedule = _shared_schedule(ctx, node, schedule)
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


def _property_schedule(ctx: Context, node: Node, gui_rows: int) -> list[tuple[float, float, int]] | None:
    """The rows of the ``load_profile`` property when ``-J`` gives it (None otherwise): the timer's
    constructor (VariableThroughputTimer.trySettingLoadFromProperty) reads it whenever it is not empty and
    then ignores the rows saved in the plan, even when no part of it can be read (its schedule is then empty
    and the timer stops the test at the first sample: [] here, reported, not converted)."""
    text = ctx.renderer.properties.get(LOAD_PROFILE)
    if not text:  # StringUtils.isEmpty
        return None
    ctx.renderer.used[LOAD_PROFILE] = text
    rows, ignored = parse_load_profile(text)
    if ignored:
        ctx.report(
            JMX_LOAD_PROFILE_CHUNK,
            node,
            f"{LOAD_PROFILE} parts {', '.join(repr(chunk) for chunk in ignored)} are not const(rps,duration), "
            "line(from,to,duration) or step(from,to,increment,duration) with whole numbers: the timer leaves "
            "them out (parseChunk throws, 'Wrong load chunk ... will be ignored')",
            action="left out, as in JMeter",
            hint="durations are whole seconds or shorthand such as 90s, 5m, 1h30m (a step of 0 from a higher to a "
            "lower rate never ends in JMeter: its timer cannot be built)",
        )
    if not rows:
        ctx.report(
            JMX_LOAD_PROFILE_CHUNK,
            node,
            f"{LOAD_PROFILE} {text!r} gives no row: JMeter's timer ignores the {gui_rows} row(s) in the plan "
            "all the same, finds no rate and stops the test at the first sample",
            action="not converted: the case keeps its concurrency stages without a TPS target",
            hint=f"give a readable {LOAD_PROFILE}, e.g. const(50,300s)",
        )
        return []
    ctx.report(
        JMX_LOAD_PROFILE,
        node,
        f"-J {LOAD_PROFILE}={text!r} gives {len(rows)} row(s); the {gui_rows} row(s) saved in the plan are ignored "
        "(VariableThroughputTimer.trySettingLoadFromProperty)",
        action="TPS stages from the property's rows",
    )
    return [(float(a), float(b), d) for a, b, d in rows if d > 0]


def parse_load_profile(text: str) -> tuple[list[tuple[int, int, int]], list[str]]:
    """``load_profile`` as the plugin reads it (VariableThroughputTimer.parseChunk): the text split at ")",
    each part at "(" and ","; ``const(rps, duration)``, ``line(from, to, duration)`` and ``step(from, to,
    increment, duration)`` (one constant row per step from ``from`` towards ``to``; ``to`` itself is left out
    when it is below ``from``), rates as Integer.parseInt, durations as JMeterPluginsUtils
    .getSecondsForShortString. Returns the rows (start rps, end rps, seconds) and the parts it cannot read."""
    rows: list[tuple[int, int, int]] = []
    ignored: list[str] = []
    for chunk in _java_split(r"\)", text):
        try:
            rows += _chunk_rows(chunk)
        except (ValueError, IndexError):
            ignored.append(chunk.strip())
    return rows, ignored


# a step of 0 downwards never ends in JMeter (``n > to`` stays true, n does not move); a bound here
_MAX_STEP_ROWS = 10_000


def _chunk_rows(chunk: str) -> list[tuple[int, int, int]]:
    parts = _java_split(r"[(,]", chunk)
    kind = parts[0].strip().lower()
    if kind == "const":
        rate = _java_int(parts[1])
        return [(rate, rate, _short_seconds(parts[2]))]
    if kind == "line":
        return [(_java_int(parts[1]), _java_int(parts[2]), _short_seconds(parts[3]))]
    if kind == "step":
        start, end = _java_int(parts[1]), _java_int(parts[2])
        step = _java_int(parts[3]) * (-1 if start > end else 1)
        seconds = _short_seconds(parts[4])
        rows: list[tuple[int, int, int]] = []
        n = start
        while (n <= end if step > 0 else n > end) and len(rows) <= _MAX_STEP_ROWS:
            rows.append((n, n, seconds))
            n += step
        if len(rows) > _MAX_STEP_ROWS:
            raise ValueError("a step that never ends")
        return rows
    raise ValueError(f"unknown load type {kind!r}")


def _java_split(pattern: str, text: str) -> list[str]:
    """Java's ``String.split(regex)``: trailing empty strings removed (a text without a match: itself)."""
    parts = re.split(pattern, text)
    if len(parts) == 1:
        return parts
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _java_int(text: str) -> int:
    """``Integer.parseInt(text.trim())``; ValueError when Java would throw."""
    value = props.java_int(props.java_trim(text))
    if value is None:
        raise ValueError(text)
    return value


def _short_seconds(text: str) -> int:
    """JMeterPluginsUtils.getSecondsForShortString: digits, each run ended by s, m, h or d (any case) as a
    unit; digits left at the end are seconds; anything else throws."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    total, digits = 0, ""
    for c in props.java_trim(text):
        if "0" <= c <= "9":
            digits += c
        elif c.lower() in units:
            total += _java_int(digits) * units[c.lower()]
            digits = ""
        else:
            raise ValueError(text)
    if digits:
        total += _java_int(digits)
    return total


def _shared_schedule(
    ctx: Context, node: Node, schedule: list[tuple[float, float, int]]
) -> list[tuple[float, float, int]]:
    """A Throughput Shaping Timer directly under the Test Plan is one object for every thread group
    (VariableThroughputTimer implements NoThreadClone and its delay() is synchronized): its rate is the total of
    all their samples. With several groups running side by side each case gets an equal share of the rows;
    with groups run one after another (serialize_threadgroups) each gets the whole schedule, reported."""
    plan = node.parent
    if plan is None or normalise(plan.kind) != "TestPlan":
        return schedule
    groups = [
        g.name or g.kind
        for g in plan.children
        if g.enabled and g.family == "threadgroup" and normalise(g.kind) not in _THREAD_GROUPS_APART
    ]
    if len(groups) < 2:
        return schedule
    names = ", ".join(repr(name) for name in groups)
    if plan.flag("TestPlan.serialize_threadgroups"):
        ctx.report(
            JMX_SHAPING_SHARED,
            node,
            f"the timer under the Test Plan paces the {len(groups)} thread groups ({names}), which run one after "
            "another: JMeter runs its schedule once, from the first sample, so a later group gets the rows that "
            "are due by the time it starts (or none: the timer then stops the test)",
            action="each case gets the whole schedule",
            hint="give each case the part of the schedule that falls in its time",
        )
        return schedule
    n = len(groups)
    ctx.report(
        JMX_SHAPING_SHARED,
        node,
        f"the timer under the Test Plan is one for the {n} thread groups ({names}): in JMeter its rate is the "
        "total of their samples (NoThreadClone, synchronized delay), handed to whichever threads ask first, so "
        "a group's share follows its thread count",
        action=f"each case gets 1/{n} of every row's rate (the sum is JMeter's total)",
        hint="with groups of different sizes, move the shares between the cases' TPS targets in PerfTest",
    )
    return [(start / n, end / n, seconds) for start, end, seconds in schedule]
