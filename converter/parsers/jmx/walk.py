"""The hashTree walk with JMeter's scoping: config elements, timers, assertions and pre/post-processors in a
``<hashTree>`` apply to every sampler below it (outer before inner); timers become steps placed before each
sampler, assertions its checks, extractors its extracts. Test plan -> thread groups -> cases."""

from __future__ import annotations

from dataclasses import dataclass

from converter.diagnostics import define, first_few
from converter.model import Case, Check, Extract, Rendezvous, Request, Step, Think
from converter.parsers.jmx import assertions, config, controllers, extractors, samplers, threadgroups, timers
from converter.parsers.jmx.classify import SCOPED, normalise
from converter.parsers.jmx.config import (
    JMX_SUPERSEDED,
    AuthSet,
    ConfigResult,
    HeaderSet,
    HttpDefaults,
    TcpDefaults,
)
from converter.parsers.jmx.context import Context
from converter.parsers.jmx.timers import Pacing
from converter.parsers.jmx.tree import Node

JMX_LISTENER = define("JMX801", "info", "listener or other non-load element skipped")
JMX_DISABLED = define("JMX802", "info", "disabled element skipped with its subtree")
JMX_MISPLACED = define("JMX803", "error", "element at a position where JMeter does not run it: not converted")
JMX_FRAGMENT_UNUSED = define(
    "JMX804", "info", "Test Fragment not referenced by any Module Controller: skipped"
)
JMX_WORKBENCH = define("JMX805", "info", "WorkBench content is not part of the test: skipped")
JMX_UNKNOWN = define("JMX806", "error", "unknown element class: not converted")
JMX_TIMERS_LEFT_OUT = define(
    "JMX133",
    "warning",
    "timers in scope of a sampler the JMX reader cannot convert: their pause before it is left out (a request "
    "PerfTest cannot send, PT002, keeps it)",
)
JMX_NO_COOKIE_MANAGER = define(
    "JMX227",
    "warning",
    "HTTP samplers without a Cookie Manager in scope: JMeter sends them no cookie at all, PerfTest may",
)
JMX_SYNC_OVER_PEAK = define(
    "JMX523",
    "warning",
    "Synchronizing Timer waits for more users than the case ever runs at once: the rendezvous waits its timeout",
)
JMX_SYNC_NO_BARRIER = define(
    "JMX525",
    "warning",
    "Synchronizing Timer with group size 0 in a group of 0 threads: JMeter cannot build its barrier: no rendezvous",
)


@dataclass(frozen=True)
class Scope:
    configs: tuple[ConfigResult, ...] = ()
    timers: tuple[list[Step], ...] = ()
    checks: tuple[Check, ...] = ()
    extracts: tuple[Extract, ...] = ()
    pacing: tuple[Pacing, ...] = ()
    in_transaction: bool = False


class _Level:
    """The scoped elements of one ``<hashTree>``, in document order."""

    __slots__ = ("checks", "configs", "extracts", "pacing", "timers")

    def __init__(self) -> None:
        self.configs: list[ConfigResult] = []
        self.timers: list[list[Step]] = []
        self.checks: list[Check] = []
        self.extracts: list[Extract] = []
        self.pacing: list[Pacing] = []


class Walker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._applied: dict[tuple[int, ...], samplers.Applied] = {}
        self.group: Node | None = None  # the thread group being walked
        self.rendezvous: list[Rendezvous] = []  # the rendezvous the case's steps hold, as sized
        self.module_run: set[str] = set()  # disabled elements a Module Controller runs (enabled) all the same
        self.cookieless: list[str] = []  # the case's HTTP samplers that have no Cookie Manager in scope
        self.http_samplers = 0  # the case's HTTP samplers
        self.auth_managers: dict[str, AuthSet] = {}  # every Authorization Manager the walk met, by path

    # -- scope ------------------------------------------------------------------------------------
    def extend(self, scope: Scope, children: list[Node], *, governs_group: bool = False) -> Scope:
        """The scope below a ``<hashTree>``: its scoped elements added after (inside) the outer ones."""
        level = self.level(children, governs_group)
        if level is None:
            return scope
        return Scope(
            # ascending precedence: inner levels after outer ones; within one level JMeter lets the FIRST
            # element win (TestCompiler adds them in document order and a merge keeps what is already set)
            configs=scope.configs + tuple(reversed(level.configs)),
            timers=scope.timers + tuple(level.timers),
            checks=scope.checks + tuple(level.checks),
            extracts=scope.extracts + tuple(level.extracts),
            pacing=scope.pacing + tuple(level.pacing),
            in_transaction=scope.in_transaction,
        )

    def level(self, children: list[Node], governs_group: bool) -> _Level | None:
        """The scoped elements among ``children``, prepared (None when there is none that contributes)."""
        level: _Level | None = None
        for node in children:
            if not node.enabled:
                continue
            fam = node.family
            if fam not in SCOPED:
                continue
            self.ctx.visit(node)
            if level is None:
                level = _Level()
            self._prepare(node, fam, governs_group, level)
        if level is None or not (
            level.configs or level.timers or level.checks or level.extracts or level.pacing
        ):
            return None
        return level

    def _prepare(self, node: Node, fam: str, governs_group: bool, level: _Level) -> None:
        ctx = self.ctx
        if fam == "config":
            result = ctx.cached(node, "config", lambda: config.prepare(ctx, node))
            if result is not None:
                level.configs.append(result)
                if isinstance(result, AuthSet):
                    self.auth_managers[node.path] = result
        elif fam == "timer":
            timer = ctx.cached(node, "timer", lambda: timers.prepare(ctx, node, governs_group))
            if isinstance(timer, Pacing):
                level.pacing.append(timer)
            elif timer:
                level.timers.append(timer)
        elif fam == "assertion":
            level.checks += ctx.cached(node, "assertion", lambda: assertions.prepare(ctx, node))
        elif fam == "postprocessor":
            level.extracts += ctx.cached(node, "extract", lambda: extractors.prepare(ctx, node))
        elif fam == "preprocessor":
            if normalise(node.kind) == "UserParameters":
                ctx.cached(node, "vars", lambda: config.user_parameters(ctx, node))
            else:
                ctx.cached(node, "pre", lambda: extractors.not_converted(ctx, node))

    # -- steps ------------------------------------------------------------------------------------
    def steps(self, children: list[Node], scope: Scope) -> list[Step]:
        """The steps of a controller's children, in order, with this level's scoped elements applied."""
        return self.steps_in(children, self.extend(scope, children))

    def steps_in(self, children: list[Node], inner: Scope) -> list[Step]:
        """The steps of ``children`` in a scope that already holds their level's scoped elements."""
        out: list[Step] = []
        for node in children:
            if node.enabled and node.family not in SCOPED:
                out += self.executable(node, inner)
        return out

    def executable(self, node: Node, scope: Scope) -> list[Step]:
        ctx = self.ctx
        ctx.visit(node)
        fam = node.family
        if fam == "sampler":
            return self.sampler(node, scope)
        if fam == "controller":
            return controllers.convert(self, node, scope)
        if fam == "fragment":  # reached through a Module or Include Controller
            return self.steps(node.children, scope)
        if fam == "listener":
            self.filtered(node)
            return []
        if fam == "unknown":
            ctx.report(JMX_UNKNOWN, node, f"unknown element class {node.kind}", action="not converted")
            return []
        ctx.report(
            JMX_MISPLACED,
            node,
            f"{node.kind} inside a thread group is not run by JMeter",
            action="not converted",
        )
        return []

    def filtered(self, node: Node) -> None:
        self.ctx.visit(node)
        self.ctx.collector.set_status(node.path, "filtered")
        self.ctx.report(JMX_LISTENER, node, f"{node.kind} does not generate load", action="skipped")

    def sampler(self, node: Node, scope: Scope) -> list[Step]:
        ctx = self.ctx
        children = node.children
        level = self.level(children, False) if children else None
        configs, timers = scope.configs, scope.timers
        checks, extracts = list(scope.checks), list(scope.extracts)
        if level is not None:  # as extend() would, without building the Scope
            if level.configs:
                configs = configs + tuple(reversed(level.configs))
            if level.timers:
                timers = timers + tuple(level.timers)
            checks += level.checks
            extracts += level.extracts
        for child in children:
            if not child.enabled:
                continue
            fam = child.family
            if fam not in SCOPED:
                ctx.visit(child)
                if fam == "listener":
                    self.filtered(child)
                else:
                    ctx.report(
                        JMX_MISPLACED,
                        child,
                        f"{child.kind} under a sampler is not run by JMeter",
                        action="not converted",
                    )
        applied = self.applied(configs)
        produced = samplers.convert(ctx, node, applied, checks, extracts)
        if any(isinstance(step, Request) and step.protocol in ("http", "https") for step in produced):
            self.http_samplers += 1
            if samplers.kept_manager(applied.headers, "cookie") is None:
                self.cookieless.append(node.name or node.kind)
        if not produced:
            if timers:
                self.report_timers_left_out(node, timers)
            return []
        if not timers:
            return produced
        return self.timer_steps(timers) + produced

    def report_timers_left_out(self, node: Node, timers: tuple[list[Step], ...]) -> None:
        """JMX133 at a sampler that is not converted: JMeter runs the timers in its scope before it all the same
        (their pauses and rendezvous pace the thread), and they go with it."""
        steps = [step for timer in timers for step in timer]
        pause = sum(step.ms for step in steps if isinstance(step, Think))
        waits = sum(1 for step in steps if isinstance(step, Rendezvous))
        if not pause and not waits:
            return
        for step in steps:  # each timer's own row says its pause is left out here (applied elsewhere or not)
            if step.source is not None and (
                isinstance(step, Rendezvous) or (isinstance(step, Think) and step.ms)
            ):
                self.ctx.collector.mark(step.source.source, JMX_TIMERS_LEFT_OUT)
        what = [f"{pause} ms of pauses"] if pause else []
        what += [f"{waits} rendezvous"] if waits else []
        self.ctx.report(
            JMX_TIMERS_LEFT_OUT,
            node,
            f"JMeter runs the timers in scope before this sampler ({' and '.join(what)}) even though it cannot be "
            "converted",
            action="left out with the sampler",
            hint="where the sampler's work is replaced in PerfTest, add a think time before it to keep the pacing",
        )

    def timer_steps(self, timers: tuple[list[Step], ...]) -> list[Step]:
        """The steps of the timers in scope; a Synchronizing Timer's group size 0 becomes the case's size."""
        out: list[Step] = []
        for timer in timers:
            for step in timer:
                if isinstance(step, Rendezvous):
                    sized = self.sized(step)
                    if sized is None:
                        continue
                    self.rendezvous.append(sized)
                    step = sized
                out.append(step)
        return out

    def sized(self, step: Rendezvous) -> Rendezvous | None:
        """SyncTimer.threadStarted sizes a group-size-0 barrier with the thread group's getNumThreads()."""
        group, ctx = self.group, self.ctx
        if step.count or group is None:
            return step
        barrier = ctx.cached(group, "barrier", lambda: threadgroups.barrier_size(ctx, group))
        if barrier is None:
            return step
        if barrier <= 0:
            ctx.report(
                JMX_SYNC_NO_BARRIER,
                step.source,
                "group size 0 in a thread group whose thread count JMeter reads as 0 (OpenModelThreadGroup, or "
                "a number of threads that is not a whole number): new CyclicBarrier(0) fails as each thread starts",
                action="no rendezvous",
                hint="give the Synchronizing Timer an explicit group size",
            )
            return None
        return step.model_copy(update={"count": barrier})

    def applied(self, configs: tuple[ConfigResult, ...]) -> samplers.Applied:
        """The config elements in scope, by kind: one shared ``Applied`` per combination (they are cached
        results, alive for the whole walk, so their ids identify them)."""
        key = tuple(map(id, configs))
        applied = self._applied.get(key)
        if applied is None:
            applied = self._applied[key] = samplers.Applied(
                http=[c for c in configs if isinstance(c, HttpDefaults)],
                tcp=[c for c in configs if isinstance(c, TcpDefaults)],
                headers=[c for c in configs if isinstance(c, HeaderSet)],
            )
            self.managers_used(applied.headers)
        return applied

    def managers_used(self, sets: list[HeaderSet]) -> None:
        """The Cookie / Authorization Manager that samplers of this scope use: its notes and variables; and
        the ones JMeter ignores there because another one wins."""
        ctx = self.ctx
        for role, what in (("cookie", "Cookie Manager"), ("auth", "Authorization Manager")):
            kept = samplers.kept_manager(sets, role)
            if kept is None or kept.node is None:
                continue
            if isinstance(kept, AuthSet):
                kept.kept = True
            for variable in kept.variables:
                ctx.add_variable(variable, kept.node)
            for code, message, action, hint in kept.notes:
                ctx.report(code, kept.node, message, action=action, hint=hint)
            for hs in sets:
                if hs.role == role and hs is not kept and hs.node is not None:
                    if isinstance(hs, AuthSet):
                        hs.superseded_by = True
                    ctx.report(
                        JMX_SUPERSEDED,
                        hs.node,
                        f"{what} superseded by {kept.node.name!r} ({kept.node.path}) for the samplers in its "
                        "scope: JMeter keeps the outermost one",
                        action="not applied, as in JMeter",
                        hint="merge the managers into one if both sets of values were meant to apply",
                    )

    # -- plan -------------------------------------------------------------------------------------
    def plan(self, plan: Node) -> list[Case]:
        ctx = self.ctx
        ctx.visit(plan)
        config.plan_variables(ctx, plan)
        plan_scope = self.extend(Scope(), plan.children, governs_group=True)
        cases: list[Case] = []
        for node in plan.children:
            if not node.enabled:
                continue
            fam = node.family
            if fam in SCOPED or fam == "fragment":
                continue
            if fam == "threadgroup":
                cases.append(self.case(node, plan_scope))
            elif fam == "listener":
                self.filtered(node)
            elif fam == "workbench":
                continue  # swept as filtered
            elif fam == "unknown":
                ctx.visit(node)
                ctx.report(JMX_UNKNOWN, node, f"unknown element class {node.kind}", action="not converted")
            else:
                ctx.visit(node)
                ctx.report(
                    JMX_MISPLACED,
                    node,
                    f"{node.kind} outside a thread group is not run by JMeter",
                    action="not converted",
                )
        for auth in self.auth_managers.values():  # once every request has been matched against them
            if auth.kept or not auth.superseded_by:
                config.report_auth(ctx, auth)
        return cases

    def case(self, node: Node, plan_scope: Scope) -> Case:
        ctx = self.ctx
        ctx.visit(node)
        scope = self.extend(plan_scope, node.children, governs_group=True)
        self.group, self.rendezvous = node, []
        self.cookieless, self.http_samplers = [], 0
        # each thread starts without a WebSocket connection
        ctx.websocket = ctx.websocket_closed = ctx.websocket_may_close = None
        steps = self.steps_in(node.children, scope)
        load = threadgroups.load(ctx, node, list(scope.pacing), steps)
        self.check_rendezvous(node, max(stage.users for stage in load.stages))
        self.check_cookies(node, any(st.iterations is None or st.iterations > 1 for st in load.stages))
        return Case(
            name=node.name or node.kind, steps=steps, load=load, role=threadgroups.role(node), source=node.loc
        )

    def check_cookies(self, node: Node, repeats: bool) -> None:
        """JMX227 at a thread group whose HTTP samplers (some or all) have no Cookie Manager in scope. JMeter's
        HttpClient 4 is built with only the IgnoreSpecProvider cookie spec (HTTPHC4Impl.setupClient): it never
        stores a Set-Cookie nor sends one back; a Cookie header is added only from the sampler's Cookie Manager
        (setConnectionCookie, nothing when it is null). Each such request goes without the cookies the earlier
        responses set, where PerfTest's engine may keep and send them (JMX306). Said only where a user can
        send a request after a response: two HTTP samplers or more, or more than one iteration per user."""
        if not self.cookieless or (self.http_samplers < 2 and not repeats):
            return
        count, total = len(self.cookieless), self.http_samplers
        self.ctx.report(
            JMX_NO_COOKIE_MANAGER,
            node,
            (f"the {count}" if count == total else f"{count} of the {total}")
            + f" HTTP sampler(s) of this thread group ({first_few([repr(n) for n in self.cookieless])}) "
            "run without an HTTP Cookie Manager in scope: JMeter sends them no cookie the server set (HttpClient "
            "ignores Set-Cookie; only a Cookie Manager adds a Cookie header), so each of these requests is "
            "anonymous to a cookie session",
            action="requests converted as they are: what PerfTest does with the cookies responses set is not "
            "documented, and it may send them back (a session JMeter never had)",
            hint="if the test is meant to keep a session, add an HTTP Cookie Manager in JMeter; if it is meant "
            "to stay anonymous, check that PerfTest sends no cookies back",
        )

    def check_rendezvous(self, node: Node, peak: int) -> None:
        """A rendezvous of more users than ever run at once holds the first ones until its timeout (in JMeter,
        for a timeout of 0, until the test ends). A case of 0 users (a group JMeter starts no thread of:
        JMX223/226/240/241, loop count 0) has nobody to hold."""
        if peak <= 0:
            return
        for step in self.rendezvous:
            if step.count > peak:
                until = (
                    f"until its timeout ({step.timeout_ms} ms)"
                    if step.timeout_ms
                    else "without limit, as JMeter's timeout 0 (the plan gives it a long fixed one, PT026)"
                )
                self.ctx.report(
                    JMX_SYNC_OVER_PEAK,
                    step.source,
                    f"the rendezvous waits for {step.count} users, but at most {peak} users of "
                    f"{node.name or node.kind!r} run at once: JMeter's threads wait for users that never arrive",
                    action=f"rendezvous of {step.count} users kept: they wait {until}",
                    hint="set the timer's group size to the users that really run together",
                )

    # -- the sweep: nothing is dropped silently ---------------------------------------------------
    def sweep(self, roots: list[Node]) -> None:
        ctx = self.ctx
        for root in roots:
            for node in root.walk():
                if not node.enabled:
                    if node.parent is None or node.parent.enabled:
                        ctx.report(
                            JMX_DISABLED,
                            node,
                            f"{node.kind} is disabled"
                            + (
                                ": a Module Controller runs it all the same (JMX407)"
                                if node.path in self.module_run
                                else ""
                            ),
                            action="skipped with its subtree"
                            + (" in its own place" if node.path in self.module_run else ""),
                        )
                        ctx.count("filtered.disabled", sum(1 for _ in node.walk()))
                    continue
                if node.path in ctx.visited:
                    continue
                holder = next((a for a in node.walk_up() if a.family in ("fragment", "workbench")), None)
                if holder is not None:
                    ctx.collector.set_status(node.path, "filtered")
                    code = JMX_WORKBENCH if holder.family == "workbench" else JMX_FRAGMENT_UNUSED
                    if holder is node:
                        ctx.report(code, node, f"{node.kind} {node.name!r} is not executed", action="skipped")
                    continue
                ctx.report(
                    JMX_MISPLACED,
                    node,
                    f"{node.kind} sits where JMeter does not use it (under {node.parent.kind if node.parent else 'the root'})",
                    action="not converted",
                )
