"""Thread groups -> load profiles: ThreadGroup (threads, ramp-up, loops or forever, scheduler duration and
delay), setUp/tearDown groups, the plugin Stepping, Concurrency, Ultimate, Arrivals and Free-Form Arrivals
groups, and OpenModelThreadGroup; throughput timers that govern a whole group become TPS targets."""

from __future__ import annotations

import itertools
import math
import re
from typing import Literal

from converter.diagnostics import define
from converter.model import (
    Condition,
    LoadProfile,
    Loop,
    Request,
    Stage,
    Step,
    Throughput,
    Transaction,
    TransactionRef,
)
from converter.parsers.jmx import props
from converter.parsers.jmx.classify import normalise
from converter.parsers.jmx.context import JMX_BAD_NUMBER, Context
from converter.parsers.jmx.timers import TPS_UNIT_HINT, Pacing
from converter.parsers.jmx.tree import Node

JMX_FOREVER = define(
    "JMX201", "warning", "thread group loops forever without a duration: a fixed duration was used"
)
JMX_SETUP_TEARDOWN = define(
    "JMX202", "info", "setUp/tearDown thread group converted to a case run before/after the others"
)
JMX_STAIRCASE = define("JMX203", "info", "plugin thread group schedule converted to stages")
JMX_SCHEDULE_APPROX = define("JMX204", "warning", "thread group schedule converted approximately")
JMX_TG_UNSUPPORTED = define("JMX205", "error", "thread group type not converted: a default load was used")
JMX_ON_ERROR = define("JMX206", "warning", "thread group's action on sampler error is not reproduced")
JMX_BOTH_LIMITS = define(
    "JMX207",
    "warning",
    "thread group limited by both loops and duration (JMeter stops at whichever comes first): one limit was kept",
)
JMX_TPS_ROUNDED = define("JMX208", "warning", "a throughput target was rounded to a whole TPS")
JMX_NEW_USER = define(
    "JMX209", "warning", "'Same user on each iteration' off: a new user per iteration is not reproduced"
)
JMX_SHORT_RAMP = define(
    "JMX220", "info", "scheduler duration ends the ramp-up early: only the threads started by then are kept"
)
JMX_THREADS_NOT_INT = define(
    "JMX223",
    "warning",
    "number of threads is not a Java int: JMeter starts no thread, and the case has 0 users",
)
JMX_NO_LOOP = define(
    "JMX225", "warning", "loop count 0: JMeter runs the children no time (a thread group: no request at all)"
)
JMX_THREADS_UNSET = define(
    "JMX226", "warning", "number of threads not set: JMeter starts no thread, and the case has 0 users"
)
JMX_SCHEDULER_INVALID = define(
    "JMX240",
    "error",
    "scheduler on with a duration of 0 or less, or a negative startup delay: JMeter starts no thread of the "
    "group, and the case has 0 users",
)
JMX_NO_MAIN_CONTROLLER = define(
    "JMX241",
    "error",
    "thread group without a main controller: JMeter's threads fail at start, and the case has 0 users",
)
JMX_RATE_SCHEDULE = define(
    "JMX221",
    "warning",
    "throughput schedule replaces the thread group's own timeline: its users run from the start",
)

FOREVER_SECONDS = 600
# a schedule is built with at most this many steps (whatever its Steps or thread counts say), so that the reader
# stays bounded: a bound of the reader's own, far beyond any schedule written step by step; the target's limits
# (PerfTest's stages per case) are the emitter's to apply and report
MAX_SCHEDULE_STEPS = 1000

Role = Literal["main", "setup", "teardown"]


def role(node: Node) -> Role:
    kind = normalise(node.kind)
    return "setup" if kind == "SetupThreadGroup" else "teardown" if kind == "PostThreadGroup" else "main"


def _num(ctx: Context, node: Node, name: str, default: int, label: str | None = None) -> int:
    return ctx.number(node, label or name, node.text(name), default)


def _java(ctx: Context, node: Node, name: str, label: str, bits: int = 32, runtime: int = 0) -> int:
    """A thread group setting as JMeter's getPropertyAsInt (``bits=64``: getPropertyAsLong) reads it;
    ``runtime`` when it is known only at run time (a user count: 1, as a classic group's threads)."""
    text = node.given(name)
    return ctx.java_number(node, label, text, bits=bits, runtime=runtime)


def _unit(ctx: Context, node: Node, name: str = "Unit") -> int:
    """The plugin groups' time unit (AbstractDynamicThreadGroup.getUnitFactor): 60 when the property is
    exactly "M", seconds otherwise (a unit JMeter does not recognise is reported)."""
    unit = node.text(name)
    if unit not in ("M", "S", ""):
        ctx.report(
            JMX_SCHEDULE_APPROX,
            node,
            f"time unit {unit!r} is neither 'M' nor 'S': JMeter counts seconds (only an exact 'M' is minutes)",
            action="seconds, as in JMeter",
        )
    return 60 if unit == "M" else 1


def _plugin_seconds(ctx: Context, node: Node, name: str, unit: int, unset: str = "") -> int:
    """RampUp/Hold of the Concurrency and Arrivals groups (AbstractDynamicThreadGroupModel.getRampUpSeconds,
    getHoldSeconds): Math.round(Double.parseDouble(text) * unit), 0 when empty; ``unset`` is the getter's
    default for a missing property (Hold: "1"). Known only at run time: read as before."""
    text = node.text(name) if node.has(name) else unset
    value = ctx.value(node, text)
    if "${" in value:
        return _num(ctx, node, name, 0) * unit
    if not value:
        return 0
    number = props.number(value)
    if number is None:
        ctx.report(JMX_BAD_NUMBER, node, f"{name} {text!r} is not a number", action="used 0")
        return 0
    seconds = number * unit
    if not math.isfinite(seconds) or abs(seconds) >= 2.0**63:  # Math.round: Long.MAX_VALUE / MIN_VALUE
        return 2**63 - 1 if seconds > 0 else -(2**63)
    return math.floor(seconds + 0.5)


def load(ctx: Context, node: Node, pacing: list[Pacing], steps: list[Step] | None = None) -> LoadProfile:
    """The load profile of a thread group node, with the group-wide throughput timers applied; ``steps``:
    the group's, to say how many requests one arrival of an arrival-rate group sends."""
    kind = normalise(node.kind)
    short = kind.rsplit(".", 1)[-1]
    delay = 0
    if short in ("ThreadGroup", "SetupThreadGroup", "PostThreadGroup"):
        # a throughput schedule in scope sets the length of a group that loops forever (JMeter stops the test
        # at the schedule's end): then the fixed duration below is not what runs, and is not reported
        stages, delay = _classic(ctx, node, any(pace.schedule is not None for pace in pacing))
        if role(node) != "main":
            ctx.report(
                JMX_SETUP_TEARDOWN,
                node,
                f"{short} runs {'before' if role(node) == 'setup' else 'after'} the main cases",
                action=f"case with role {role(node)}",
            )
    elif short == "SteppingThreadGroup":
        stages, delay = _stepping(ctx, node)
    elif short == "ConcurrencyThreadGroup":
        stages = _concurrency(ctx, node)
    elif short == "UltimateThreadGroup":
        stages, delay = _ultimate(ctx, node)
    elif short == "ArrivalsThreadGroup":
        stages = _arrivals(ctx, node, steps)
    elif short == "FreeFormArrivalsThreadGroup":
        stages = _free_form(ctx, node, steps)
    elif short == "OpenModelThreadGroup":
        stages = _open_model(ctx, node, steps)
    else:
        ctx.report(
            JMX_TG_UNSUPPORTED, node, f"{node.kind} is not a known thread group", action="1 user for 60 s"
        )
        stages = [Stage(users=1, hold_s=60)]
    on_error = node.text("ThreadGroup.on_sample_error", "continue").strip()
    if on_error not in ("", "continue"):
        ctx.report(
            JMX_ON_ERROR, node, f"on sampler error: {on_error}", action="PerfTest's default error handling"
        )
    if not node.flag("ThreadGroup.same_user_on_next_iteration", True):
        # HTTPHC4Impl.notifyFirstSampleAfterLoopRestart resets the thread's connections and TLS state
        # (httpclient.reset_state_on_thread_group_iteration, true by default); CookieManager / CacheManager
        # .testIterationStart reset only when they follow the thread group (getControlledByThread), and then
        # their own 'clear each iteration' no longer counts
        ctx.report(
            JMX_NEW_USER,
            node,
            "'Same user on each iteration' is off: JMeter starts every iteration as a new user: its HTTP "
            "connections and TLS state are reset, and so are the cookies and cache of the Cookie and Cache "
            "Managers set to follow the thread group ('Use Thread Group configuration to control ...')",
            action="no per-iteration reset in the plan (the API reference does not say what PerfTest does with "
            "a user's session between iterations)",
            hint="clear the session explicitly if the test relies on it",
        )
    stages = _apply_pacing(ctx, node, stages, pacing)
    return LoadProfile(stages=stages or _no_stage(ctx, node), delay_s=max(delay, 0))


def _loops(ctx: Context, node: Node) -> int:
    """-1 = forever; 0 = no iteration. LoopController.getLoops: the ``LoopController.loops`` property through
    getIntValue (Integer.parseInt; 0 when unset, empty or not a Java int, JMX224), and endOfLoop ends the
    loop at once when it is 0, so the thread group's threads stop before their first sampler; any negative
    count loops forever."""
    main = node.element("ThreadGroup.main_controller")
    if main is None or main.get("elementType", "LoopController") != "LoopController":
        # (no main controller: _classic reports it first) another controller than a LoopController (written
        # by hand) runs its children once, then next() is null and the thread ends
        return 1
    found = props.child(main, "LoopController.loops")
    text = None if found is None else props.scalar(found)
    loops = ctx.java_number(node, "loop count", text, runtime=1)
    return -1 if loops < 0 else loops


def _threads(ctx: Context, node: Node) -> int:
    """``ThreadGroup.num_threads`` as JMeter reads it (AbstractThreadGroup.getNumThreads: getPropertyAsInt,
    i.e. Integer.parseInt of the text once variables and functions are replaced, and 0 on a
    NumberFormatException): "10.0" or " 10" start no thread at all, and neither does an unset or blank
    number (a hand-written plan: the property's schema has no default, so getNumThreads is 0), JMX226.
    Known only at run time: as before (the lenient reading, 1 when that fails, with JMX902)."""
    text = node.text("ThreadGroup.num_threads")
    value = ctx.value(node, text)
    if "${" in value:
        return _num(ctx, node, "ThreadGroup.num_threads", 1, "number of threads")
    if not value.strip():
        given = node.has("ThreadGroup.num_threads")
        ctx.report(
            JMX_THREADS_UNSET,
            node,
            "the number of threads "
            + (
                ("" if text == value else f"{ctx.reading(text, value)} ") + "is blank"
                if given
                else "is not set"
            )
            + ": JMeter reads it as 0 (getNumThreads) and starts no thread",
            action="0 users, as in JMeter",
            hint=ctx.property_hint(text, "set ThreadGroup.num_threads to the number of users wanted"),
        )
        return 0
    threads = props.java_int(value)
    if threads is None:
        ctx.report(
            JMX_THREADS_NOT_INT,
            node,
            f"number of threads {ctx.reading(text, value)} is not a whole number as Java reads it "
            "(Integer.parseInt): JMeter reads it as 0 and starts no thread",
            action="0 users, as in JMeter",
            hint=ctx.property_hint(text, "write the number of threads as digits only"),
        )
        return 0
    return threads


def _classic(ctx: Context, node: Node, scheduled: bool = False) -> tuple[list[Stage], int]:
    # ThreadGroup.getRampUp: getPropertyAsInt; getDuration and getDelay: getPropertyAsLong
    users = max(_threads(ctx, node), 0)
    ramp = max(_java(ctx, node, "ThreadGroup.ramp_time", "ramp-up"), 0)
    scheduler = node.flag("ThreadGroup.scheduler")
    duration = _java(ctx, node, "ThreadGroup.duration", "duration", 64) if scheduler else 0
    delay = _java(ctx, node, "ThreadGroup.delay", "startup delay", 64) if scheduler else 0
    # ThreadGroup.start checks the schedule before any thread runs; a missing main controller fails in the
    # threads, and the loop count is read by them
    if scheduler and users > 0 and _invalid_schedule(ctx, node, duration, delay):
        return [Stage(users=0, ramp_s=0, iterations=1)], 0
    if node.element("ThreadGroup.main_controller") is None:
        return _no_main_controller(ctx, node, users), 0
    loops = _loops(ctx, node)
    if loops == 0:
        ctx.report(
            JMX_NO_LOOP,
            node,
            "loop count 0 (or unset, or read as 0): JMeter's LoopController ends at once, so each thread "
            "stops before its first sampler",
            action="0 users, as in JMeter",
            hint="set the loop count (or 'Infinite') the test needs",
        )
        return [Stage(users=0, ramp_s=0, iterations=1)], delay
    if scheduler and duration > 0:
        if ramp > duration and users > 1:
            if loops > 0:
                ctx.report(
                    JMX_BOTH_LIMITS, node, f"{loops} loop(s) and {duration} s", action=f"runs {duration} s"
                )
            return [_cut_ramp(ctx, node, users, ramp, duration)], delay
        if loops == 1:
            # Each thread stops after its loops or at the end of the duration, whichever comes first; a PerfTest
            # stage has one limit. One loop next to a lifetime is the GUI's default left as it was: JMeter then
            # runs one iteration per thread, so the count is kept (a duration stage would repeat it for the whole
            # lifetime). With more loops the duration is kept: it bounds the test's length, where a count could
            # run far longer than JMeter's lifetime (100,000 loops as "enough" next to a 10 s duration).
            ctx.report(
                JMX_BOTH_LIMITS,
                node,
                f"1 loop and {duration} s: JMeter stops each thread at whichever comes first, here after its "
                "single iteration unless that takes longer",
                action=f"1 iteration per user, without the {duration} s limit",
                hint="if the duration was meant to govern, tick 'Infinite' loops in JMeter or switch the stage "
                "to a duration in PerfTest",
            )
            return [Stage(users=users, ramp_s=ramp, iterations=1)], delay
        if loops > 0:
            ctx.report(
                JMX_BOTH_LIMITS,
                node,
                f"{loops} loop(s) and {duration} s: JMeter stops each thread at whichever comes first",
                action=f"runs {duration} s, without the {loops}-iteration limit",
                hint="if the iterations were meant to govern, untick the thread lifetime in JMeter or switch the "
                "stage to a count in PerfTest",
            )
        return [Stage(users=users, ramp_s=min(ramp, duration), hold_s=max(duration - ramp, 0))], delay
    if loops < 0 and scheduled:
        return [Stage(users=users, ramp_s=ramp, hold_s=FOREVER_SECONDS)], delay  # replaced by the schedule
    if loops < 0:
        ctx.report(
            JMX_FOREVER,
            node,
            "the group loops forever and has no scheduler duration",
            action=f"ramp {ramp} s then hold {FOREVER_SECONDS} s",
            hint="set the duration in PerfTest, or set the scheduler duration in JMeter",
        )
        return [Stage(users=users, ramp_s=ramp, hold_s=FOREVER_SECONDS)], delay
    return [Stage(users=users, ramp_s=ramp, iterations=loops)], delay


def _no_main_controller(ctx: Context, node: Node, users: int) -> list[Stage]:
    """A classic group without ``ThreadGroup.main_controller`` (the GUI always writes one; a hand-written or
    generated plan may not): AbstractThreadGroup.getSamplerController() is then null, and each thread fails
    as it starts (addTestElement or initialize: NullPointerException, logged by JMeterThread.run as 'Test
    failed!') before its first sampler. Nothing is sent."""
    if users > 0:
        ctx.report(
            JMX_NO_MAIN_CONTROLLER,
            node,
            "the thread group has no main controller (ThreadGroup.main_controller): JMeter's threads fail as "
            "they start (NullPointerException in AbstractThreadGroup, getSamplerController() is null) and send "
            "nothing",
            action="0 users, as in JMeter",
            hint="add the Loop Controller JMeter's GUI writes (LoopController.loops, continue_forever false)",
        )
    return [Stage(users=0, ramp_s=0, iterations=1)]


def _invalid_schedule(ctx: Context, node: Node, duration: int, delay: int) -> bool:
    """JMeter 5.6 ThreadGroup.scheduleThread, called before each thread starts, throws JMeterStopTestException
    ("Invalid delay"/"Invalid duration") when the delay is negative or the duration not positive;
    StandardJMeterEngine.startThreadGroup catches it, reports the error and starts no thread of the group (the
    other groups run). With 'Delay thread creation until needed' (ThreadStarter) a negative delay is no
    delay, but a duration of 0 or less ends the group before its first thread. Values known only at run time
    are read as before."""
    runtime = any(
        "${" in ctx.value(node, node.text(name)) for name in ("ThreadGroup.duration", "ThreadGroup.delay")
    )
    delayed = node.flag("ThreadGroup.delayedStart")
    if runtime or (duration > 0 and (delay >= 0 or delayed)):
        return False
    what = f"duration {duration} s" if duration <= 0 else f"startup delay {delay} s"
    ctx.report(
        JMX_SCHEDULER_INVALID,
        node,
        f"the scheduler is on with a {what}: JMeter stops the group before its first thread "
        + (
            "(ThreadStarter: no thread before the end time)"
            if delayed
            else "(JMeterStopTestException "
            f"'Invalid {'duration' if duration <= 0 else 'delay'}' from ThreadGroup.scheduleThread)"
        )
        + "; the other thread groups still run",
        action="0 users, as in JMeter",
        hint="set a positive scheduler duration (and a delay of 0 or more), or turn the scheduler off",
    )
    return True


def _cut_ramp(ctx: Context, node: Node, users: int, ramp: int, duration: int) -> Stage:
    """JMeter starts thread i at i * ramp / users (ThreadGroup.scheduleThread), so when the scheduler stops the
    group at ``duration`` only the threads with i * ramp / users < duration have started."""
    started = min(users, math.ceil(duration * users / ramp))
    ctx.report(
        JMX_SHORT_RAMP,
        node,
        f"the {duration} s duration ends before the {ramp} s ramp-up: {started} of {users} threads start",
        action=f"ramp to {started} users over {duration} s",
    )
    return Stage(users=started, ramp_s=duration, hold_s=0)


def _stepping(ctx: Context, node: Node) -> tuple[list[Stage], int]:
    """SteppingThreadGroup.scheduleThread (jmeter-plugins; every setting getPropertyAsInt, 0 when unset or not
    a Java int). The first bucket is the burst ("Start users count burst", at most the thread count; when 0
    or less, "Start users count"), then buckets of "Start users count" (0: all the threads). Each bucket
    starts ``period + rampUp`` s after the one before, its threads spread over rampUp (rampUp / bucket
    size apart). After the last thread, only ``flighttime`` is held (descentPoint); then "Stop users
    count" threads stop every "Stop users period" s (endTime), the first of them at once. Times are JMeter's
    milliseconds, rounded to whole seconds at every boundary."""
    total = max(_threads(ctx, node), 0)
    delay = max(_java(ctx, node, "Threads initial delay", "initial delay"), 0)
    burst = _java(ctx, node, "Start users count burst", "users at first")
    step = _java(ctx, node, "Start users count", "users per step", runtime=1)
    period = max(_java(ctx, node, "Start users period", "step period"), 0)
    ramp = max(_java(ctx, node, "rampUp", "step ramp-up"), 0)
    hold = max(_java(ctx, node, "flighttime", "hold time"), 0)
    out_count = _java(ctx, node, "Stop users count", "users stopped at a time")
    out_period = max(_java(ctx, node, "Stop users period", "stop period"), 0)
    if total == 0:
        return [Stage(users=0, hold_s=hold)], delay
    step = step if step > 0 else total
    out_count = out_count if out_count > 0 else total
    first = min(burst, total) if burst > 0 else step
    ascent = _stepping_ascent(ctx, node, total, first, step, period, ramp, hold)
    descent = _stepping_descent(ctx, node, total, out_count, out_period)
    stages = ascent + descent
    ctx.report(
        JMX_STAIRCASE,
        node,
        f"up to {total} users: {f'{first} at first, then ' if burst > 0 else ''}{step} every "
        f"{period + ramp} s (each step started {f'over {ramp} s' if ramp else 'at once'}, then held {period} s), "
        f"{hold} s held after "
        "the last step; then "
        + (
            f"{out_count} users stop every {out_period} s"
            if out_count < total and out_period
            else "all users stop at once"
        ),
        action=f"{len(stages)} stage(s)",
    )
    return stages, delay


def _stepping_ascent(
    ctx: Context, node: Node, total: int, first: int, step: int, period: int, ramp: int, hold: int
) -> list[Stage]:
    """The Stepping group's buckets up to its descent point, one stage each (ramp, then hold); more buckets
    than MAX_SCHEDULE_STEPS are merged, each merged stage starting its users at once."""
    iteration = 1000 * (period + ramp)
    # (iterationCountTotal and lastIterationUserCount, with Java's remainder: negative when the first bucket
    # is larger than the group)
    count = 1 if total < first else math.ceil((total - first) / step)
    last = int(math.fmod(total - first, step)) or step
    descent = count * iteration + (1000 * ramp // step) * last + 1000 * hold
    buckets = 1 + max(0, math.ceil((total - first) / step))
    merge = max(
        1, math.ceil(buckets / MAX_SCHEDULE_STEPS)
    )  # buckets per stage, so that the loop stays bounded
    if merge > 1:
        ctx.report(
            JMX_SCHEDULE_APPROX,
            node,
            f"{buckets} steps of {step} users every {period + ramp} s",
            action=f"stages of {step * merge} users every {(period + ramp) * merge} s, each started at once",
        )

    def level(k: int) -> int:  # threads started once bucket k has started them all
        return min(total, first + k * step)

    def size(k: int) -> int:
        return level(k) - (level(k - 1) if k else 0)

    stages: list[Stage] = []
    for g in range(0, buckets, merge):
        end_bucket = min(g + merge, buckets) - 1
        start = g * iteration
        ramped = start + (0 if merge > 1 else size(g) * (1000 * ramp // (step if g else first)))
        until = descent if end_bucket == buckets - 1 else (end_bucket + 1) * iteration
        a, b, c = (_whole_s(t) for t in (start, ramped, max(until, ramped)))
        stages.append(Stage(users=level(end_bucket), ramp_s=b - a, hold_s=c - b))
    return stages


def _stepping_descent(ctx: Context, node: Node, total: int, out_count: int, out_period: int) -> list[Stage]:
    """After the descent point thread i stops at ``out_period * floor(i / out_count)`` s: ``out_count``
    threads at once, then as many every ``out_period`` s. One stage per level left (more than
    MAX_SCHEDULE_STEPS are merged, each holding the most users of the levels it covers)."""
    if not out_period or out_count >= total:
        return []
    drops = math.ceil(total / out_count) - 1  # the levels left after each stop but the last
    merge = max(1, math.ceil(drops / MAX_SCHEDULE_STEPS))
    if merge > 1:
        ctx.report(
            JMX_SCHEDULE_APPROX,
            node,
            f"{drops + 1} stops of {out_count} users every {out_period} s",
            action=f"stages of {out_period * merge} s, each at the most users of the stops it covers",
        )
    return [
        Stage(users=total - j * out_count, ramp_s=0, hold_s=out_period * min(merge, drops + 1 - j))
        for j in range(1, drops + 1, merge)
    ]


def _whole_s(ms: int) -> int:
    return (ms + 500) // 1000


def _concurrency(ctx: Context, node: Node) -> list[Stage]:
    # ConcurrencyThreadGroup: getTargetLevelAsInt is getPropertyAsInt(TargetLevel, 1) (1 when unset, 0 when
    # not a Java int); RampUp and Hold are decimals in the unit (Hold "1" when unset). Steps (Long.parseLong,
    # which throws in the thread starter rather than give 0) stays read leniently, bounded below
    unit = _unit(ctx, node)
    target = 1  # unset: getPropertyAsInt's default
    if node.has("TargetLevel"):
        # blank: 0 (JMX226); known only at run time (__tstFeedback, __P without -J): 1
        blank = _blank_target(ctx, node)
        target = 0 if blank else max(_java(ctx, node, "TargetLevel", "target concurrency", runtime=1), 0)
    ramp = max(_plugin_seconds(ctx, node, "RampUp", unit), 0)
    steps = max(_num(ctx, node, "Steps", 0), 0)
    hold = max(_plugin_seconds(ctx, node, "Hold", unit, "1"), 0)
    stages: list[Stage] = []
    if steps and ramp:
        stages = _concurrency_steps(ctx, node, target, ramp, steps)
    elif ramp:
        stages.append(Stage(users=target, ramp_s=ramp, hold_s=0))
    if stages and stages[-1].users == target and not stages[-1].ramp_s:  # the last step is the hold's level
        stages[-1] = Stage(users=target, hold_s=(stages[-1].hold_s or 0) + hold)
    else:
        stages.append(Stage(users=target, hold_s=hold))
    ctx.report(
        JMX_STAIRCASE,
        node,
        f"target {target} users, ramp {ramp} s in {steps or 'smooth'} step(s), hold {hold} s",
        action=f"{len(stages)} stage(s)",
    )
    return stages


def _blank_target(ctx: Context, node: Node) -> bool:
    """A Concurrency group's TargetLevel present but blank (once variables and -J properties are replaced):
    getPropertyAsInt(TARGET_LEVEL, 1) is then getIntValue of "", 0, and no thread starts: said as a classic
    group's blank number of threads (JMX226)."""
    text = node.text("TargetLevel")
    value = ctx.value(node, text)
    if value.strip():
        return False
    ctx.report(
        JMX_THREADS_UNSET,
        node,
        "the target concurrency "
        + ("" if text == value else f"{ctx.reading(text, value)} ")
        + "is blank: JMeter reads it as 0 (getTargetLevelAsInt) and starts no thread",
        action="0 users, as in JMeter",
        hint=ctx.property_hint(text, "set the target concurrency to the number of users wanted"),
    )
    return True


def _concurrency_steps(ctx: Context, node: Node, target: int, ramp: int, steps: int) -> list[Stage]:
    """Step i (1..steps) runs target * i / steps users for ramp / steps seconds. PerfTest counts whole seconds
    and the plan stays bounded, so more steps than seconds (or than MAX_SCHEDULE_STEPS) are merged: each
    stage then holds the highest level JMeter reaches within it."""
    count = min(steps, ramp, MAX_SCHEDULE_STEPS)
    stages: list[Stage] = []
    for k in range(1, count + 1):
        start, end = round(ramp * (k - 1) / count), round(ramp * k / count)
        level = math.ceil(target * math.ceil(k * steps / count) / steps)
        if stages and stages[-1].users == level:  # more steps than users: the level repeats
            stages[-1] = Stage(users=level, hold_s=(stages[-1].hold_s or 0) + end - start)
        else:
            stages.append(Stage(users=level, ramp_s=0, hold_s=end - start))
    if count < steps:
        ctx.report(
            JMX_SCHEDULE_APPROX,
            node,
            f"{steps} steps in a {ramp} s ramp-up",
            action=f"{len(stages)} stage(s) of at least 1 s, each at the highest level of the steps it covers",
        )
    return stages


def _ultimate(ctx: Context, node: Node) -> tuple[list[Stage], int]:
    # UltimateThreadGroup.scheduleThread: every cell is getIntValue (Integer.parseInt, 0 otherwise)
    rows = []
    labels = ("threads", "initial delay", "startup time", "hold time", "shutdown time")
    for number, row in enumerate(node.rows("ultimatethreadgroupdata"), 1):
        if len(row) < 4:  # (the plugin reads four or five cells of every row: a shorter one cannot run)
            ctx.report(
                JMX_SCHEDULE_APPROX,
                node,
                f"schedule row {number} has {len(row)} cell(s), not the threads, delay, startup and hold a row needs",
                action="row left out",
            )
            continue
        cells = [  # a thread count known only at run time: 1, as a classic group's
            ctx.java_number(node, f"row {number} {label}", c, runtime=int(label == "threads"))
            for label, c in zip(labels, row[:5], strict=False)
        ]
        users, start, ramp, hold = (max(c, 0) for c in cells[:4])
        down = max(cells[4], 0) if len(cells) > 4 else 0
        rows.append((users, start, ramp, hold, down))
    if not rows:
        ctx.report(JMX_SCHEDULE_APPROX, node, "no usable schedule rows", action="1 user for 60 s")
        return [Stage(users=1, hold_s=60)], 0

    def users_at(t: float) -> float:
        total = 0.0
        for users, start, ramp, hold, down in rows:
            if t <= start:
                continue
            if t < start + ramp:
                total += users * (t - start) / ramp
            elif t <= start + ramp + hold:
                total += users
            elif down and t < start + ramp + hold + down:
                total += users * (1 - (t - start - ramp - hold) / down)
        return total

    points = sorted(
        {
            p
            for users, start, ramp, hold, down in rows
            for p in (start, start + ramp, start + ramp + hold, start + ramp + hold + down)
        }
    )
    delay = points[0]
    stages: list[Stage] = []
    for a, b in itertools.pairwise(points):
        before, level = round(users_at(a + 1e-9)), round(users_at(b - 1e-9))
        if level == before:
            stages.append(Stage(users=level, ramp_s=0, hold_s=b - a))
        else:
            stages.append(Stage(users=level, ramp_s=b - a, hold_s=0))
    merged: list[Stage] = []
    for st in stages:
        if merged and st.ramp_s == 0 and merged[-1].users == st.users and merged[-1].hold_s is not None:
            merged[-1] = Stage(
                users=st.users, ramp_s=merged[-1].ramp_s, hold_s=(merged[-1].hold_s or 0) + (st.hold_s or 0)
            )
        else:
            merged.append(st)
    overlapping = any(
        r1 is not r2 and r1[1] < r2[1] + r2[2] + r2[3] + r2[4] and r2[1] < r1[1] + r1[2] + r1[3] + r1[4]
        for r1 in rows
        for r2 in rows
    )
    if not merged:  # every row lasts 0 s: JMeter starts and stops the threads at once
        return _no_stage(ctx, node, max(1, sum(row[0] for row in rows))), delay
    ctx.report(
        JMX_SCHEDULE_APPROX if overlapping else JMX_STAIRCASE,
        node,
        f"{len(rows)} schedule row(s) -> {len(merged)} stage(s){' (overlapping rows summed)' if overlapping else ''}",
        action="piecewise stages of the total user count",
    )
    return merged, delay


def _no_stage(ctx: Context, node: Node, users: int = 1) -> list[Stage]:
    """What a group whose settings give no stage at all runs: JMeter's load lasts 0 s, and so does the one
    stage kept (a load profile needs one; the target's shortest stage is the emitter's to choose and say)."""
    ctx.report(
        JMX_SCHEDULE_APPROX,
        node,
        "the thread group's settings give no load stage (every row or step lasts 0 s or has no users): "
        "JMeter's load lasts 0 s",
        action=f"one stage of {users} user(s) for 0 s",
        hint="check the schedule: JMeter runs nothing for it",
    )
    return [Stage(users=users, hold_s=0)]


ARRIVALS = "arrivals (iterations) per second"


def requests_per_pass(steps: list[Step], transactions: dict[str, Transaction]) -> int | None:
    """The requests one pass through ``steps`` sends, or None when that varies (a condition, a throughput
    share, a loop without a fixed count)."""
    total = 0
    for step in steps:
        inner: int | None = 0
        if isinstance(step, Request):
            inner = 1
        elif isinstance(step, Loop):
            inner = None if step.count is None else requests_per_pass(step.steps, transactions)
            inner = None if inner is None or step.count is None else inner * step.count
        elif isinstance(step, Condition | Throughput):
            inner = None
        elif isinstance(step, TransactionRef) and step.transaction in transactions:
            inner = requests_per_pass(transactions[step.transaction].steps, transactions)
        if inner is None:
            return None
        total += inner
    return total


def _tps(ctx: Context, node: Node, value: float, unit: str = "samples per second") -> int:
    """A rate as a whole TPS: half up (2.5 -> 3, 3.5 -> 4; Python's round would send 2 and 4), at least 1
    when there is a rate at all. A rate that changes over a ramp is the emitter's to spread (its staircase
    carries each step's rounding into the next, so the ramp's volume stays JMeter's). ``unit``: what JMeter's
    rate counts (a throughput timer's samples, an arrival-rate group's iterations)."""
    rounded = max(math.floor(value + 0.5), 1) if value > 0 else 0
    if abs(rounded - value) > 1e-9:
        ctx.report(JMX_TPS_ROUNDED, node, f"{value:g} {unit}", action=f"TPS {rounded}")
    return rounded


def _arrivals_note(ctx: Context, node: Node, message: str, action: str, steps: list[Step] | None) -> None:
    """JMX204 for an arrival-rate group: what its rate counts (with the requests one pass sends, when that
    is fixed), and that the plan takes it as is."""
    count = None if steps is None else requests_per_pass(steps, ctx.transactions)
    per_pass = (
        "a group of N requests sends N times the rate in requests (N varies here: a condition, a throughput "
        "share or a loop without a fixed count)"
        if count is None
        else "the case sends no request"
        if count == 0
        else f"one pass through the case sends {count} request(s), so {count} times the rate in requests"
    )
    ctx.report(
        JMX_SCHEDULE_APPROX,
        node,
        f"{message}; JMeter counts iterations: an arrival is one thread starting one pass through the group's "
        f"steps; {per_pass}",
        action=f"{action}; the arrival rate is sent as the TPS as it is (iterations per second, not requests)",
        hint=TPS_UNIT_HINT + " (if PerfTest counts requests, multiply by the requests one iteration sends)",
    )


def _target_rate(ctx: Context, node: Node) -> float:
    """The Arrivals group's TargetLevel as jmeter-plugins casutg 2.x (the Plugins Manager release) reads it:
    ArrivalsThreadStarter.getCurrentRate takes getTargetLevelFactored, i.e. getTargetLevelAsDouble() /
    unit, and AbstractDynamicThreadGroupModel.getTargetLevelAsDouble returns getTargetLevelAsInt(), which is
    getPropertyAsInt("TargetLevel", 1): 1 when unset, 0 when not a Java int ("2.5", " 5": JMX224), so no
    arrivals at all."""
    if not node.has("TargetLevel"):
        return 1
    # known only at run time: 1, as a thread count (it was 0 arrivals, silently)
    return ctx.java_number(node, "target rate", node.text("TargetLevel"), runtime=1)


def _arrivals(ctx: Context, node: Node, steps: list[Step] | None) -> list[Stage]:
    unit = _unit(ctx, node)
    rate = float(_target_rate(ctx, node))
    ramp = max(_plugin_seconds(ctx, node, "RampUp", unit), 0)
    hold = max(_plugin_seconds(ctx, node, "Hold", unit, "1"), 0)
    limit = _java(ctx, node, "ConcurrencyLimit", "concurrency limit", 64)  # Long.parseLong; invalid: no limit
    tps = _tps(ctx, node, rate / unit, ARRIVALS)
    users = limit if limit > 0 else max(tps, 1)
    _arrivals_note(
        ctx,
        node,
        f"open model: {rate:g} arrivals per {'minute' if unit == 60 else 'second'}",
        f"TPS {tps} with {users} users (concurrency limit{'' if limit > 0 else ' unset: assumed = TPS'})",
        steps,
    )
    # the arrival rate rises linearly from 0 to the target over the ramp-up
    stages = [Stage(users=users, ramp_s=ramp, hold_s=0, tps=tps, tps_start=0)] if ramp else []
    stages.append(Stage(users=users, hold_s=hold, tps=tps))
    return stages


def _free_form(ctx: Context, node: Node, steps: list[Step] | None) -> list[Stage]:
    unit = _unit(ctx, node)
    limit = _java(ctx, node, "ConcurrencyLimit", "concurrency limit", 64)  # Long.parseLong; invalid: no limit
    stages: list[Stage] = []
    for row in node.rows("Schedule"):
        if len(row) < 3:
            continue
        start, end, dur = (props.number(ctx.value(node, c)) for c in row[:3])
        if start is None or end is None or dur is None or dur <= 0:
            continue
        tps = _tps(ctx, node, end / unit, ARRIVALS)
        first = _tps(ctx, node, start / unit, ARRIVALS) if start != end else tps
        users = limit if limit > 0 else max(tps, first, 1)
        seconds = int(dur * unit)
        if first != tps:  # a rate ramp: the users stay, the rate moves from start to end
            stages.append(Stage(users=users, ramp_s=seconds, hold_s=0, tps=tps, tps_start=first))
        else:
            stages.append(Stage(users=users, hold_s=seconds, tps=tps))
    _arrivals_note(
        ctx,
        node,
        f"{len(stages)} arrival-rate row(s) -> TPS stages",
        "users = concurrency limit or TPS",
        steps,
    )
    return stages or _no_stage(ctx, node)


_OPEN_TOKEN = re.compile(r"(rate|random_arrivals|even_arrivals|pause)\s*\(\s*([^)]*)\)", re.IGNORECASE)
_DURATION = {
    "ms": 0.001,
    "s": 1,
    "sec": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


def _seconds(text: str) -> float | None:
    m = re.fullmatch(r"\s*([\d.]+)\s*([a-z]*)\s*", text.lower())
    if not m:
        return None
    return float(m.group(1)) * _DURATION.get(m.group(2) or "s", 1)


def _open_steps(schedule: str) -> list[tuple[str, float]]:
    """The schedule's steps as JMeter's ScheduleParser makes them: ("rate", per second) and ("arrivals",
    seconds); a pause(d) is arrivals at rate 0 between the last rate and itself again (parsePause:
    [last, 0, arrivals, 0, last], or [arrivals, last] when the last rate is 0)."""
    steps: list[tuple[str, float]] = []
    last = 0.0  # ScheduleParser.lastRate: the last rate(...) written, RateStep(0.0) before any
    for name, arg in _OPEN_TOKEN.findall(schedule):
        name = name.lower()
        if name == "rate":
            m = re.fullmatch(r"\s*([\d.]+)\s*(?:/\s*([a-z]+))?\s*", arg.lower())
            if m:
                last = float(m.group(1)) / (_seconds("1 " + (m.group(2) or "s")) or 1)
                steps.append(("rate", last))
            continue
        seconds = _seconds(arg)
        if seconds is None:
            continue
        if name != "pause":
            steps.append(("arrivals", seconds))
        elif last == 0:
            steps += [("arrivals", seconds), ("rate", last)]
        else:
            steps += [("rate", last), ("rate", 0.0), ("arrivals", seconds), ("rate", 0.0), ("rate", last)]
    return steps


def _open_model(ctx: Context, node: Node, steps: list[Step] | None) -> list[Stage]:
    """ThreadScheduleProcessGenerator.findNextArrivalStep: an arrivals step starts at the last rate before it
    and ends at the rate(...) right after it (the same rate when none follows): the rate ramps linearly, a
    TPS ramp the emitter turns into a staircase (PT020)."""
    schedule = ctx.value(node, node.text("OpenModelThreadGroup.schedule"))
    timeline = _open_steps(schedule)
    begin = 0.0
    stages: list[Stage] = []
    for pos, (kind, value) in enumerate(timeline):
        if kind == "rate":
            begin = value
            continue
        after = timeline[pos + 1] if pos + 1 < len(timeline) else None
        end = after[1] if after is not None and after[0] == "rate" else begin
        tps, first = _tps(ctx, node, end, ARRIVALS), _tps(ctx, node, begin, ARRIVALS)
        seconds = int(value)
        if first != tps and seconds > 0:
            stages.append(Stage(users=max(tps, first, 1), ramp_s=seconds, hold_s=0, tps=tps, tps_start=first))
        else:
            stages.append(Stage(users=max(tps, 1), hold_s=seconds, tps=tps))
    ramps = sum(1 for stage in stages if stage.tps_start is not None)
    _arrivals_note(
        ctx,
        node,
        f"open-model schedule {schedule!r} -> {len(stages)} TPS stage(s)"
        + (
            f", {ramps} of them a rate ramp (a rate(...) after an arrivals step is its end rate)"
            if ramps
            else ""
        ),
        "each arrivals step becomes a TPS stage, a rate ramp a staircase of TPS stages",
        steps,
    )
    return stages or _no_stage(ctx, node)


def _apply_pacing(ctx: Context, node: Node, stages: list[Stage], pacing: list[Pacing]) -> list[Stage]:
    for pace in pacing:
        if pace.schedule is not None:
            stages = _rate_schedule(ctx, node, stages, pace.schedule)
        elif pace.tps is not None:
            stages = [
                s.model_copy(update={"tps": _tps(ctx, node, pace.tps * (s.users if pace.per_user else 1))})
                for s in stages
            ]
    return stages


def _rate_schedule(
    ctx: Context, node: Node, stages: list[Stage], schedule: list[tuple[float, float, int]]
) -> list[Stage]:
    """A Throughput Shaping Timer's rows as TPS stages: the timer only paces the group's threads along the
    rate line (interpolated within each row), so the users stay at the group's count and only the rate
    ramps. The rows are the timeline: JMeter stops the test when the schedule ends, or earlier when the
    group itself stops (its scheduler duration, or the end of a plugin group's schedule)."""
    peak_users = max((s.users for s in stages), default=1)
    if any(s.iterations is not None for s in stages):
        # the group stops when its threads have run their iterations, whatever the schedule still says: the
        # count is kept and the schedule only caps the rate (its first row: where an iteration-limited group is)
        first_start, first_end, _ = schedule[0]
        cap = _tps(ctx, node, (first_start + first_end) / 2)
        ctx.report(
            JMX_RATE_SCHEDULE,
            node,
            f"the group stops after its iterations ({', '.join(str(s.iterations) for s in stages)} per user); "
            f"the {len(schedule)} schedule row(s) ({sum(row[2] for row in schedule)} s) only pace it",
            action=f"count stage(s) kept, capped at {cap} TPS (the first row's mean rate)",
            hint="later rows apply in JMeter only if the iterations last that long",
        )
        return [stage.model_copy(update={"tps": cap}) for stage in stages]
    length = _own_length(ctx, node, stages)
    total = sum(row[2] for row in schedule)
    plain = len(stages) == 1 and not stages[0].ramp_s and stages[0].iterations is None
    rows = _cut_schedule(schedule, length) if length is not None and length < total else schedule
    cut = rows is not schedule
    if not plain or cut:
        ctx.report(
            JMX_RATE_SCHEDULE,
            node,
            f"the group's own timeline ({len(stages)} stage(s), up to {peak_users} users"
            + (f", {length} s" if length is not None else "")
            + f") is replaced by the {len(schedule)} schedule row(s) ({total} s)",
            action=f"{peak_users} users from the start, paced by the schedule's TPS"
            + (f", for the group's {length} s" if cut else ""),
            hint="JMeter stops the test at the end of the schedule; the group's ramp and limits are not kept",
        )
    out: list[Stage] = []
    for start, end, seconds in rows:
        tps, first = _tps(ctx, node, end), _tps(ctx, node, start)
        if first != tps:
            out.append(Stage(users=peak_users, ramp_s=seconds, hold_s=0, tps=tps, tps_start=first))
        else:
            out.append(Stage(users=peak_users, hold_s=seconds, tps=tps))
    return out or stages


def _own_length(ctx: Context, node: Node, stages: list[Stage]) -> int | None:
    """Seconds after which the group stops by itself; None when it runs iterations or until stopped (a
    classic group that loops forever without a scheduler duration: the schedule's end stops it)."""
    if any(s.hold_s is None for s in stages):
        return None
    if role(node) != "main" or normalise(node.kind) == "ThreadGroup":
        duration = props.java_int(ctx.value(node, node.text("ThreadGroup.duration", "0")), 64) or 0
        if not node.flag("ThreadGroup.scheduler") or duration <= 0:
            return None
    return sum(s.ramp_s + (s.hold_s or 0) for s in stages)


def _cut_schedule(schedule: list[tuple[float, float, int]], length: int) -> list[tuple[float, float, int]]:
    """The rows within the first ``length`` seconds; a row cut short ends at its rate at that moment."""
    out: list[tuple[float, float, int]] = []
    left = length
    for start, end, seconds in schedule:
        if left <= 0:
            break
        if seconds > left:
            end, seconds = start + (end - start) * left / seconds, left
        out.append((start, end, seconds))
        left -= seconds
    return out


def barrier_size(ctx: Context, node: Node) -> int | None:
    """The number of threads a Synchronizing Timer with group size 0 waits for in this group: JMeter's
    ``getThreadGroup().getNumThreads()`` when the first thread starts (SyncTimer.threadStarted). None when it
    is only known at run time (a variable), or for a group class this reader does not know.

    * ThreadGroup, setUp/tearDown and Stepping: the configured ``ThreadGroup.num_threads``
      (AbstractThreadGroup: ``getPropertyAsInt``, 0 when it is not a Java int), not the threads a short
      scheduler duration lets start;
    * Ultimate: the sum of every row's thread count (UltimateThreadGroup.getNumThreads), overlapping or not;
    * Concurrency: the target level (ConcurrencyThreadGroup.getNumThreads, ``getPropertyAsInt(TargetLevel, 1)``);
    * Arrivals and Free-Form Arrivals: the threads alive at that moment (``threads.size()``), normally 1;
    * OpenModelThreadGroup: none of its own (``num_threads`` unset), so 0."""
    short = normalise(node.kind).rsplit(".", 1)[-1]

    def configured(text: str, default: int | None = 0) -> int | None:
        text = ctx.value(node, text)
        if "${" in text:
            return None
        return default if text == "" else (props.java_int(text) or 0)

    if short in ("ThreadGroup", "SetupThreadGroup", "PostThreadGroup", "SteppingThreadGroup"):
        # unset: 0, as the case's users (JMX226)
        return configured(node.text("ThreadGroup.num_threads"))
    if short == "UltimateThreadGroup":
        counts = [configured(row[0]) for row in node.rows("ultimatethreadgroupdata") if row]
        return None if any(c is None for c in counts) else sum(c or 0 for c in counts)
    if short == "ConcurrencyThreadGroup":
        return configured(node.text("TargetLevel"), 1)
    if short in ("ArrivalsThreadGroup", "FreeFormArrivalsThreadGroup"):
        return 1
    if short == "OpenModelThreadGroup":
        return 0
    return None
