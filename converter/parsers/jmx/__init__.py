"""JMX (JMeter test plan) -> Scenario.

``parse_jmx`` reads the file securely, builds the element tree, registers every test element in the
ledger, walks the plan with JMeter's scoping (see ``walk``), then sweeps: any element the walk did not
reach gets a diagnostic, so nothing is dropped silently.
"""

from __future__ import annotations

import pathlib
from typing import Any

from converter.errors import InputError
from converter.gcpause import collector_paused
from converter.model import Scenario, SourceInfo
from converter.parsers.jmx import credentials, reader, tree, varscope
from converter.parsers.jmx.context import Context
from converter.parsers.jmx.walk import Walker

__all__ = ["parse_jmx"]


def parse_jmx(
    path: pathlib.Path,
    *,
    properties: dict[str, str] | None = None,
    data_dir: pathlib.Path | None = None,
    keep_secrets: bool = False,
) -> Scenario:
    """Convert the JMeter plan at ``path``; ``properties`` are the ``-J name=value`` pairs; ``keep_secrets``
    keeps literal credentials in clear (by default each becomes a secret variable: ``credentials``).

    Raises :class:`converter.errors.InputError` when the file cannot be converted at all.
    """
    path = pathlib.Path(path)
    root, sha256, odd_numbers = reader.read_plan(path)
    ctx = Context(path, properties, data_dir, keep_secrets)
    with collector_paused():  # the walk allocates many small objects and no garbage cycles
        try:
            ctx.top = tree.build(root)
            for top in ctx.top:
                for node in top.walk():
                    ctx.track(node)
            if odd_numbers:
                ctx.report_unloadable(root)
            plan = next(node for node in ctx.top if node.tag == "TestPlan")
            walker = Walker(ctx)
            cases = varscope.separate(ctx, walker.plan(plan))
            walker.sweep(ctx.top)
            ctx.flush_groups()
            credentials.report_secrets(ctx)
            ctx.count("elements", len(ctx.collector.ledger))
            scenario = Scenario(
                name=plan.name or path.stem,
                source=SourceInfo(kind="jmx", path=path.name, sha256=sha256),
                variables=list(ctx.variables.values()),
                transactions=ctx.transactions,
                cases=cases,
                parallel=not plan.flag("TestPlan.serialize_threadgroups"),
                diagnostics=ctx.collector.diagnostics,
                ledger=ctx.collector.ledger,
                stats=ctx.stats,
                properties_used=dict(ctx.renderer.used),
                producer=_producer(root),
            )
            credentials.scrub_scenario(ctx, scenario)
            return scenario
        except RecursionError:
            raise InputError(str(path), "the test tree is nested too deeply to convert") from None
        finally:
            ctx.release()  # the element tree can be freed now, before the plan is emitted
            del root


def _producer(root: Any) -> str:
    """The JMeter version that saved the plan (``<jmeterTestPlan jmeter="5.5">``), if it says."""
    version = str(root.get("jmeter") or "").strip()
    return f"JMeter {version}" if version else ""
