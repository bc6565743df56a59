"""A case's load profile as PerfTest stages (TestCaseStage): ramps as staircases, limits, what is ignored."""

from __future__ import annotations

from typing import Any

from converter import api
from converter.diagnostics import Collector, define
from converter.emit import cards
from converter.model import Case, Stage

PT_STAGES = define("PT005", "error", "stages truncated: PerfTest allows at most 1024 stages per case")
PT_RAMP = define("PT007", "warning", "ramp-up approximated by a staircase of concurrency stages")
PT_DELAY = define("PT013", "warning", "start delay not representable in PerfTest stages; ignored")

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
        if stage.ramp_s > 0 and stage.users > previous + 1:  # one user more starts at once: no ramp
            out.extend(staircase(case, previous, stage, diag))
        out.append(
            cards.stage(
                name=f"Stage-{len(out) + 1}",
                users=stage.users,
                seconds=stage.hold_s,
                # the model counts iterations per user; PerfTest's count is the total for the stage
                iterations=None if stage.iterations is None else stage.iterations * max(stage.users, 1),
                tps=stage.tps,
            )
        )
        previous = stage.users
    if len(out) > MAX_STAGES_PER_CASE:
        diag.report(
            PT_STAGES,
            case.source,
            f"case {case.name!r} needs {len(out)} stages",
            action=f"only the first {MAX_STAGES_PER_CASE} are kept",
        )
        out = out[:MAX_STAGES_PER_CASE]
    return out


def staircase(case: Case, start: int, stage: Stage, diag: Collector) -> list[dict[str, Any]]:
    rise = stage.users - start
    count = max(1, min(STAIRCASE_MAX_STEPS, rise, stage.ramp_s))
    diag.report(
        PT_RAMP,
        case.source,
        f"ramp from {start} to {stage.users} users over {stage.ramp_s} s",
        action=f"{count} stages of rising concurrency",
    )
    out = []
    elapsed = 0
    for number in range(1, count + 1):
        until = round(stage.ramp_s * number / count)
        users = start + max(1, round(rise * number / count))
        out.append(
            cards.stage(
                name="ramp",
                users=min(users, stage.users),
                seconds=until - elapsed,
                iterations=None,
                tps=None,
            )
        )
        elapsed = until
    return [dict(s, name=f"Stage-ramp-{n}") for n, s in enumerate(out, start=1)]
