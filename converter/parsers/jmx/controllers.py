"""Logic controllers: Transaction -> a transaction referenced from the case; Simple/Recording inlined;
Loop/While/ForEach -> loop; If/Switch -> condition; Throughput/Random/Interleave -> throughput steps;
Once Only/Random Order/Runtime/Critical Section -> inlined with a diagnostic; Module and Include
Controllers and Test Fragments inlined, with cycles detected."""

from __future__ import annotations

import csv
import dataclasses
import re
from typing import TYPE_CHECKING, Literal

from converter.diagnostics import define
from converter.errors import InputError
from converter.model import Condition, Loop, Step, Think, Throughput, Transaction, TransactionRef
from converter.parsers.jmx import props, reader, tree
from converter.parsers.jmx.classify import SCOPED, family, normalise
from converter.parsers.jmx.context import Context
from converter.parsers.jmx.threadgroups import JMX_NO_LOOP
from converter.parsers.jmx.tree import Node

if TYPE_CHECKING:
    from converter.parsers.jmx.walk import Scope, Walker

JMX_NESTED_TRANSACTION = define(
    "JMX401", "warning", "nested Transaction Controller flattened into the outer transaction"
)
JMX_TRANSACTION_TIMERS = define(
    "JMX410",
    "warning",
    "Transaction Controller excludes timers from its time; PerfTest's rule is not documented",
)
JMX_TRANSACTION_PARENT = define(
    "JMX411", "info", "Transaction Controller 'generate parent sample': a PerfTest transaction"
)
JMX_LOOP_FOREVER = define("JMX402", "warning", "infinite loop converted to a loop while 'true'")
JMX_CONDITION_TEXT = define(
    "JMX403", "error", "condition not understood: kept as an expression PerfTest may not evaluate"
)
JMX_CONTROLLER_APPROX = define("JMX404", "warning", "controller approximated")
JMX_SWITCH_NOTHING = define(
    "JMX412", "info", "Switch Controller's fixed value selects no child: nothing runs"
)
JMX_SWITCH_UNSELECTED = define(
    "JMX413", "info", "Switch Controller child its fixed value never selects: left out, as in JMeter"
)
JMX_MODULE_UNRESOLVED = define("JMX405", "error", "Module/Include Controller target not found: not inlined")
JMX_MODULE_CYCLE = define("JMX406", "error", "Module/Include Controller cycle: not inlined again")
JMX_MODULE_INLINED = define("JMX407", "info", "Module/Include Controller target inlined")
JMX_INCLUDE_FRAGMENT = define(
    "JMX430",
    "warning",
    "Include Controller: JMeter includes only the children of the included plan's first Test Fragment",
)
JMX_CONTROLLER_UNSUPPORTED = define("JMX408", "error", "controller not converted: children inlined")
JMX_REPLACED_CHILDREN = define(
    "JMX409", "info", "children of a resolved Module/Include Controller are ignored (as in JMeter)"
)
JMX_FOREACH = define(
    "JMX420", "error", "ForEach Controller not converted: PerfTest sets no variable per iteration"
)
JMX_FOREACH_NOTHING = define(
    "JMX423",
    "info",
    "ForEach Controller over variables nothing in the plan sets: JMeter runs it 0 times, and so does the case",
)
JMX_WHILE_LAST_OK = define(
    "JMX421",
    "error",
    "While Controller looping until a sample fails not converted: children run once",
)

JMX_IF_UNSET = define(
    "JMX422", "error", "If Controller on a variable PerfTest never sets not converted: children run always"
)

# Variables JMeter sets by itself and PerfTest does not: the last sample's outcome, the match count of an
# extractor (PerfTest extractions keep one match and set no count).
_JMETER_ONLY_VAR = re.compile(r"\$\{(JMeterThread\.last_sample_ok|[^${}()]*_matchNr)\}")
_SCRIPT_CALL = re.compile(r"^\$\{__(?:jexl2|jexl3|groovy|javaScript)\((.*?)(?:,[^,()]*)?\)\}$", re.DOTALL)
_COMPARE = re.compile(r"^(.+?)\s*(===|!==|==|!=|>=|<=|>|<)\s*(.+?)$", re.DOTALL)
_BARE_VAR = re.compile(r"\$\{[^${}()]+\}")
_LAST_SAMPLE_OK = "JMeterThread.last_sample_ok"
_Op = Literal["==", "!=", ">", ">=", "<", "<="]


# Controllers that run each of their children once, in order, whenever they run themselves: an element under
# only these (up to the thread group) runs on every iteration. Any other (If, Loop, While, ForEach, Switch,
# Throughput, Random, Once Only, Runtime, Random Order, an unknown one) may skip or reorder its children.
_UNCONDITIONAL = frozenset(
    ("GenericController", "RecordingController", "TransactionController", "CriticalSectionController",
     "ModuleController", "IncludeController")
)  # fmt: skip


def convert(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    """The steps of a controller; ``ctx.conditional`` counts the controllers around its children that may
    skip them (a WebSocket Close under one does not surely close the connection)."""
    ctx = walker.ctx
    if normalise(node.kind) in _UNCONDITIONAL:
        return _convert(walker, node, scope)
    ctx.conditional += 1
    try:
        return _convert(walker, node, scope)
    finally:
        ctx.conditional -= 1


def _convert(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    kind = normalise(node.kind)
    handler = _HANDLERS.get(kind)
    if handler is None:
        ctx.report(
            JMX_CONTROLLER_UNSUPPORTED,
            node,
            f"{node.kind} has no PerfTest equivalent" + _own_variables(node),
            action="children inlined",
        )
        return walker.steps(node.children, scope)
    return handler(walker, node, scope)


def _own_variables(node: Node) -> str:
    """What a Parameterized Controller (jmeter-plugins) loses with it: the variables it sets for its
    children ("" for any other controller)."""
    if not normalise(node.kind).endswith("ParameterizedController"):
        return ""
    names = [
        name for name, _, _ in props.arguments(node.element("ParameterizedController.user_defined_variables"))
    ]
    if not names:
        return " (it defines no variable)"
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"; its own variables ({shown}) are dropped: the children see their values from outside it"


def _inline(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    return walker.steps(node.children, scope)


def _approx(message: str, action: str = "children inlined, run every iteration"):  # type: ignore[no-untyped-def]
    def handler(walker: Walker, node: Node, scope: Scope) -> list[Step]:
        walker.ctx.report(JMX_CONTROLLER_APPROX, node, message, action=action)
        return walker.steps(node.children, scope)

    return handler


def _transaction(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    if scope.in_transaction:
        ctx.report(
            JMX_NESTED_TRANSACTION,
            node,
            f"transaction {node.name!r} is inside another transaction",
            action="its steps are part of the outer transaction",
        )
        return walker.steps(node.children, scope)
    inner = dataclasses.replace(scope, in_transaction=True)
    steps = walker.steps(node.children, inner)
    if not node.flag("TransactionController.includeTimers", True) and _has_think(steps):
        ctx.report(
            JMX_TRANSACTION_TIMERS,
            node,
            f"transaction {node.name!r}: JMeter leaves the timers' pauses out of the transaction's time",
            action="the pauses are think-time steps inside the PerfTest transaction",
            hint="compare transaction times with care: PerfTest may count think time in them",
        )
    if node.flag("TransactionController.parent"):
        ctx.report(
            JMX_TRANSACTION_PARENT,
            node,
            f"transaction {node.name!r} generates a parent sample",
            action="PerfTest reports the transaction as one unit with its requests inside",
        )
    key = ctx.add_transaction(
        node.name, Transaction(name=node.name or "transaction", steps=steps, source=node.loc)
    )
    return [TransactionRef(transaction=key, source=node.loc)]


def _has_think(steps: list[Step]) -> bool:
    for step in steps:
        if isinstance(step, Think):
            return True
        if isinstance(step, Loop | Condition | Throughput) and _has_think(step.steps):
            return True
    return False


def _loop(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    steps = walker.steps(node.children, scope)
    # LoopController.getLoops: getIntValue of the property (0 when unset, empty or not a Java int); a
    # negative count never ends, 0 ends the loop before its children run (endOfLoop)
    text = node.given("LoopController.loops")
    loops = ctx.java_number(node, "loop count", text, runtime=1)
    if loops == 0:
        ctx.report(
            JMX_NO_LOOP,
            node,
            "loop count 0 (or unset, or read as 0): JMeter never runs the loop's children",
            action="loop of 0 iterations",
        )
    if loops < 0:
        ctx.report(JMX_LOOP_FOREVER, node, "the loop never ends on its own", action="loop while 'true'")
        return [Loop(name=node.name, condition="true", steps=steps, source=node.loc)]
    return [Loop(name=node.name, count=loops, steps=steps, source=node.loc)]


def _while(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    steps = walker.steps(node.children, scope)
    raw = node.text("WhileController.condition").strip()
    if not raw or raw.upper() == "LAST" or _LAST_SAMPLE_OK in raw:
        # WhileController.endOfLoop: blank or LAST ends the loop once JMeterThread.last_sample_ok is "false";
        # PerfTest sets no such variable, so a loop on it would never end (or never start)
        ctx.report(
            JMX_WHILE_LAST_OK,
            node,
            f"While condition {raw or '(empty)'!r}: JMeter repeats the children until one of its samples "
            "fails; PerfTest has no 'last sample OK' variable",
            action="children inlined, run once",
            hint="give the loop a count or a condition on a variable an extraction sets",
        )
        return steps
    if _BARE_VAR.fullmatch(raw) or raw.lower() in ("true", "false"):
        # WhileController.endOfLoop: the loop goes on while the condition is NOT "false" (any other value
        # keeps it going), where an If Controller needs "true"
        condition = f"{ctx.expr(node, raw) if raw.startswith('${') else raw.lower()} != false"
    else:
        parts = _comparison(ctx, node, raw)
        condition = f"{parts[0]} {parts[1]} {parts[2]}" if parts else _as_text(ctx, node, raw)
        if parts is not None and _SCRIPT_CALL.match(raw) is None:
            # JMeter evaluates no operator here: "3 < 5" (once ${i} is replaced) is not "false", so the loop
            # never ends there; the comparison it spells is most likely what was meant
            ctx.report(
                JMX_CONTROLLER_APPROX,
                node,
                f"condition {raw!r} is not a function or variable: in JMeter it never equals 'false', so the "
                "loop never ends",
                action="converted as the comparison it spells",
                hint="wrap it in ${__jexl3(...)} in JMeter, or check the intent",
            )
    return [Loop(name=node.name, condition=condition, steps=steps, source=node.loc)]


def _index(ctx: Context, node: Node, name: str, label: str) -> int | None:
    """ForeachController.getStartIndex/getEndIndex: getPropertyAsInt(name, default), the default (0, or no end)
    only when the property is unset: an empty or " 5" index is 0 (Integer.parseInt, JMX224). None: unset, or
    known only at run time (read as before)."""
    if not node.has(name):
        return None
    text = node.text(name)
    if "${" in ctx.value(node, text):
        return props.integer(ctx.expr(node, text))
    return ctx.java_number(node, label, text)


def _foreach(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    """ForeachController puts ``{inputVal}_{i}`` into ``returnVal`` for each i after startIndex, up to endIndex
    or the first variable missing (``isDone``/``emptyList``: a missing first one ends it before any child runs).
    When nothing in the plan sets such variables, JMeter runs the children 0 times: they are left out. Otherwise
    PerfTest loops set no variable, so the children could never see the value; with an end index the number of
    iterations is kept (JMeter's most), otherwise the children run once."""
    ctx = walker.ctx
    prefix = ctx.expr(node, node.text("ForeachController.inputVal"))
    sep = "_" if node.flag("ForeachController.useSeparator", True) else ""
    out = ctx.expr(node, node.text("ForeachController.returnVal"))
    start = _index(ctx, node, "ForeachController.startIndex", "start index")
    if not _may_be_set(ctx, prefix, sep):
        first = (start or 0) + 1
        ctx.report(
            JMX_FOREACH_NOTHING,
            node,
            f"ForEach over ${{{prefix}{sep}{first}}}, ${{{prefix}{sep}{first + 1}}}...: no extractor, variable, "
            "CSV Data Set, "
            "script or function in the plan sets them, so JMeter finds no first value and never runs the children",
            action="left out with its subtree, as JMeter runs it 0 times",
            hint=f"check the input variable prefix {prefix!r}",
        )
        for below in node.walk():
            if below is not node:
                ctx.visit(below)
                ctx.collector.set_status(below.path, "filtered")
        return []
    steps = walker.steps(node.children, scope)
    end = _index(ctx, node, "ForeachController.endIndex", "end index")
    count = max(end - (start or 0), 0) if end is not None else None
    if count is None:
        action = "children inlined, run once"
    elif count == 0:  # ForeachController.isDone: loopCount (from the start index) >= getEndIndex()
        end_text = node.text("ForeachController.endIndex")
        reason = (
            f"its end index is {'empty' if not end_text else 'blank'}, which JMeter reads as 0"
            if not end_text.strip()
            else f"its end index {end} is not above its start index {start or 0}"
        )
        action = f"a loop of 0 iterations: JMeter runs none of the children, as {reason}"
    else:
        action = f"a loop of {count} iteration(s) (JMeter's most) whose children never see ${{{out}}}"
    ctx.report(
        JMX_FOREACH,
        node,
        f"ForEach over ${{{prefix}{sep}1}}, ${{{prefix}{sep}2}}... into ${{{out}}}: PerfTest never sets "
        f"${{{out}}} (nor {prefix}{sep}N from an extraction: it keeps one match)",
        action=action,
        hint="request the values one by one (an extraction per match number), or use a CSV Data Set",
    )
    if count is None:
        return steps
    return [Loop(name=node.name, count=count, steps=steps, source=node.loc)]


# Properties whose text names the variables an element sets: extractors (a match number of -1 sets name_1,
# name_2...; the name itself is taken as the prefix), CSV Data Set / JDBC (variableNames), Random Variable,
# Counter, User Defined Variables and User Parameters (their names must then be prefix_N themselves).
_EXTRACTOR_NAMES = frozenset({
    "RegexExtractor.refname", "JSONPostProcessor.referenceNames", "XPathExtractor.refname",
    "XPathExtractor2.refname", "BoundaryExtractor.refname", "HtmlExtractor.refname", "VAR",
    "JMESExtractor.referenceName",
})  # fmt: skip
_VARIABLE_NAMES = frozenset({"variableNames", "variableName", "CounterConfig.name", "Argument.name"})
_SCRIPT_KINDS = ("JSR223", "BeanShell", "BSF", "JDBC")


def _may_be_set(ctx: Context, prefix: str, sep: str) -> bool:
    """Whether anything enabled in the plan may set ``{prefix}{sep}N``: conservative (a script or function
    call that mentions the prefix counts), so that only plans that certainly set nothing lose the children."""
    if "${" in prefix:
        return True
    numbered = re.compile(re.escape(prefix + sep) + r"[0-9]+")
    if any(numbered.fullmatch(name) for name in ctx.variables):
        return True
    if not ctx.top:
        return True
    names, scripts = ctx.cached(ctx.top[0], "variable-sources", lambda: _variable_sources(ctx))
    if scripts is None:  # an Include Controller brings elements this scan does not see
        return True
    for name, extractor in names:
        # an extractor with match number -1 sets name_1, name_2...: always with "_", which the ForEach's
        # prefix holds itself when its separator box is unticked (isDone reads inputVal + separator + N)
        if numbered.fullmatch(name) or (extractor and name + "_" == prefix + sep):
            return True
    return any(prefix in text for text in scripts)


def _variable_sources(ctx: Context) -> tuple[list[tuple[str, bool]], list[str] | None]:
    """Every variable name an enabled element of the plan declares (and whether an extractor declares it), and
    the texts of scripts and function calls, which may set any variable (None: something may set any variable
    this scan cannot see: an included file, a script file, a CSV header it cannot read)."""
    names: list[tuple[str, bool]] = []
    scripts: list[str] = []
    for root in ctx.top:
        for node in root.walk():
            if not node.enabled or node.el is None:
                continue
            kind = normalise(node.kind)
            if kind == "IncludeController" and node.text("IncludeController.includepath").strip():
                return names, None
            script = any(mark in node.kind for mark in _SCRIPT_KINDS)
            if script and _runs_script_file(node):
                return names, None
            if kind == "CSVDataSet" and not node.text("variableNames").strip():
                header = _csv_header(ctx, node)
                if header is None:
                    return names, None
                names += [(name, False) for name in header]
            for p in node.el.iter(*props.SCALARS):
                name = props.prop_name(p) or ""
                text = props.prop_value(p)
                holder = p.getparent()
                if name in _EXTRACTOR_NAMES or name in _VARIABLE_NAMES:
                    if name != "Argument.name" or node.family != "sampler":
                        names += [(part.strip(), name in _EXTRACTOR_NAMES) for part in re.split("[,;]", text)]
                elif holder is not None and holder.get("name") == "UserParameters.names":
                    names.append((text.strip(), False))
                if script or "${__" in text:
                    scripts.append(text)
    return names, scripts


def _runs_script_file(node: Node) -> bool:
    """A JSR223/BeanShell/BSF element that names a script file (``filename``, ``BeanShellSampler.filename``):
    JMeter runs the file, whose text this scan does not read, so it may set any variable."""
    return node.el is not None and any(
        (props.prop_name(p) or "").endswith("filename") and props.prop_value(p).strip()
        for p in node.el.iter(*props.SCALARS)
    )


def _csv_header(ctx: Context, node: Node) -> list[str] | None:
    """The names a CSV Data Set with blank Variable Names takes from its file's first line (CSVDataSet
    .iterationStart reads the header when variableNames is empty); None when the file cannot be read here
    (not found without --data-dir, a name known only at run time): the header may name any variable."""
    filename = ctx.value(node, node.text("filename")).strip()
    path = ctx.resolve_data_file(filename) if filename and "${" not in filename else None
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(_CSV_HEADER_BYTES)
    except OSError:
        return None
    encoding = node.text("fileEncoding").strip() or "utf-8"
    try:
        text = head.decode(encoding, errors="replace")
    except LookupError:
        text = head.decode("utf-8", errors="replace")
    line = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    delimiter = node.text("delimiter", ",")
    delimiter = "\t" if delimiter == "\\t" else delimiter or ","
    return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter[0]), [])]


_CSV_HEADER_BYTES = (
    65536  # a header line longer than this is cut: the names read are a prefix of the real ones
)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _comparison(ctx: Context, node: Node, raw: str) -> tuple[str, _Op, str] | None:
    """``left op right`` out of a JMeter condition (a bare comparison or one wrapped in __jexl3/__groovy...)."""
    text = raw.strip()
    m = _SCRIPT_CALL.match(text)
    if m:
        text = m.group(1).replace("\\,", ",").strip()
    if "&&" in text or "||" in text:
        return None
    c = _COMPARE.match(text)
    if c is None:
        if _BARE_VAR.fullmatch(text):
            return ctx.expr(node, text), "==", "true"
        if text.lower() in ("true", "false"):
            return text.lower(), "==", "true"
        return None
    left, op, right = c.group(1), c.group(2)[:2], c.group(3)  # JavaScript === / !== compare like == / !=
    for side in (left, right):
        if "(" in side or "${__" in side:
            return None
    return ctx.expr(node, _unquote(left)), op, ctx.expr(node, _unquote(right))  # type: ignore[return-value]


def _as_text(ctx: Context, node: Node, raw: str) -> str:
    ctx.report(
        JMX_CONDITION_TEXT,
        node,
        f"condition {raw!r} is a script expression",
        action="kept as text",
        hint="rewrite it as a simple comparison in PerfTest",
    )
    return raw


def _if(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    steps = walker.steps(node.children, scope)
    raw = node.text("IfController.condition").strip()
    if node.flag("IfController.evaluateAll"):
        ctx.report(
            JMX_CONTROLLER_APPROX, node, "'Evaluate for all children' dropped", action="evaluated once"
        )
    unset = _JMETER_ONLY_VAR.search(raw)
    if unset is not None:
        ctx.report(
            JMX_IF_UNSET,
            node,
            f"If condition {raw!r} reads ${{{unset.group(1)}}}, which JMeter sets and PerfTest does not: the "
            "condition could never hold there",
            action="children inlined, run every time",
            hint="rewrite the condition on a variable an extraction sets",
        )
        return steps
    parts = _comparison(ctx, node, raw)
    if (
        parts is not None
        and node.flag("IfController.useExpression")
        and not raw.startswith("${")
        and raw.lower() not in ("true", "false")
    ):
        # with 'Interpret Condition as Variable Expression' JMeter runs the children only when the text,
        # once its ${...} are replaced, is "true": a bare comparison like "${x}" == "a" never is
        ctx.report(
            JMX_CONTROLLER_APPROX,
            node,
            f"condition {raw!r} is not a function or variable: in JMeter it never equals 'true'",
            action="converted as the comparison it spells (JMeter never runs these children)",
            hint="wrap it in ${__jexl3(...)} in JMeter, or check the intent",
        )
    if parts is None:
        return [
            Condition(
                name=node.name,
                left=_as_text(ctx, node, raw),
                operator="expression",
                steps=steps,
                source=node.loc,
            )
        ]
    left, op, right = parts
    return [Condition(name=node.name, left=left, operator=op, right=right, steps=steps, source=node.loc)]


def _throughput(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    steps = walker.steps(node.children, scope)
    style = node.text("ThroughputController.style", "0").strip()
    if style == "1":
        text = node.text("ThroughputController.percentThroughput")
        percent = props.number(ctx.expr(node, text)) if text.strip() else 100.0
        if percent is None:
            ctx.report(JMX_CONTROLLER_APPROX, node, f"percentage {text!r} unknown", action="100 %")
            percent = 100.0
        return [
            Throughput(name=node.name, percent=min(max(percent, 0.0), 100.0), steps=steps, source=node.loc)
        ]
    ctx.report(
        JMX_CONTROLLER_APPROX,
        node,
        "'Total executions' mode has no PerfTest equivalent",
        action="children run every iteration",
    )
    return steps


def _each_child(walker: Walker, node: Node, scope: Scope) -> list[tuple[Node, list[Step]]]:
    inner = walker.extend(scope, node.children)
    return [
        (ch, walker.executable(ch, inner)) for ch in node.children if ch.enabled and family(ch) not in SCOPED
    ]


def _pick_one(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    """Random / Interleave: one child per iteration -> each child runs for its share of the iterations."""
    children = [(ch, steps) for ch, steps in _each_child(walker, node, scope) if steps]
    if not children:
        return []
    share = round(100.0 / len(children), 4)
    walker.ctx.report(
        JMX_CONTROLLER_APPROX,
        node,
        f"one of {len(children)} children per iteration",
        action=f"each child wrapped in a {share:g} % throughput step",
    )
    return [Throughput(name=ch.name, percent=share, steps=steps, source=ch.loc) for ch, steps in children]


def _switch(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    value = ctx.expr(node, node.text("SwitchController.value"))
    children = _each_child(walker, node, scope)
    if not children:
        return []
    if "${" not in value:  # a fixed value: the same child every iteration, chosen as JMeter chooses it
        index = switch_choice(value, [ch.name for ch, _ in children])
        if index is None:
            ctx.report(
                JMX_SWITCH_NOTHING,
                node,
                f"switch value {value!r} is no child's index or name and no child is called 'default'",
                action="nothing runs here, as in JMeter",
            )
        for i, (child, _) in enumerate(children):
            if i != index:  # never run by JMeter: left out, and said so
                for below in child.walk():
                    ctx.collector.set_status(below.path, "filtered")
                ctx.report(
                    JMX_SWITCH_UNSELECTED,
                    child,
                    f"never selected by the Switch Controller's fixed value {value!r}",
                    action="left out with its subtree, as JMeter never runs it",
                )
        return [] if index is None else children[index][1]
    value = value.strip()
    ctx.report(
        JMX_CONTROLLER_APPROX,
        node,
        f"switch on {value!r}",
        action="each child under a condition on its index (names and out-of-range fallbacks not reproduced)",
    )
    return [
        Condition(name=ch.name, left=value, operator="==", right=str(i), steps=steps, source=ch.loc)
        for i, (ch, steps) in enumerate(children)
    ]


def switch_choice(value: str, names: list[str]) -> int | None:
    """The child a Switch Controller runs for a fixed ``value`` (JMeter's SwitchController.getSelectionAsInt):
    an empty value, or a whole number out of range, selects the first child; a whole number (digits only) its
    index; otherwise the first child with exactly that name, else the last one named "default" in any case,
    else none."""
    if not value:
        return 0
    # StringUtils.isNumeric (digits only: no sign), then Integer.parseInt: a larger one is taken as a name
    index = props.java_int(value) if value.isdecimal() else None
    if index is not None:
        return index if index < len(names) else 0
    if value in names:
        return names.index(value)
    defaults = [i for i, name in enumerate(names) if name.lower() == "default"]
    return defaults[-1] if defaults else None


def _module(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    names = [(item.text or "") for item in node.collection("ModuleController.node_path")]
    target = _find(ctx, names)
    if target is None:
        ctx.report(
            JMX_MODULE_UNRESOLVED,
            node,
            f"target {' > '.join(names) or '(none selected)'} not found",
            action="its own children are converted instead" if node.children else "nothing inlined",
        )
        return walker.steps(node.children, scope)
    if target.enabled:
        return _inline_target(walker, node, scope, target.path, lambda: walker.executable(target, scope))
    return _inline_target(
        walker, node, scope, target.path, lambda: _run_enabled(walker, target, scope), disabled=True
    )


def _run_enabled(walker: Walker, target: Node, scope: Scope) -> list[Step]:
    """A disabled target as ModuleController.getReplacementSubTree runs it: cloned and enabled (with every
    subtree below it whose own element is enabled; JMeter.convertSubTree removes the disabled ones from the
    replacement). The nodes are enabled for this walk only: in its own place the target stays disabled (JMX802,
    its ledger rows filtered)."""
    saved: list[tuple[Node, bool]] = []

    def enable(node: Node, on: bool) -> None:
        saved.append((node, node.enabled))
        node.enabled = on
        for child in node.children:
            own = child.el is None or (child.el.get("enabled") or "").strip().lower() != "false"
            enable(child, on and own)

    enable(target, True)
    walker.module_run.add(target.path)
    try:
        return walker.executable(target, scope)
    finally:
        for node, enabled in saved:
            node.enabled = enabled


def _find(ctx: Context, names: list[str]) -> Node | None:
    if not names:
        return None
    for candidate in (names[1:], names):
        if not candidate:
            continue
        for root in ctx.top:
            found = _descend(root, candidate)
            if found is not None:
                return found
    return None


def _descend(node: Node, names: list[str]) -> Node | None:
    """ModuleController.traverse: the path's names, enabled or not (a disabled target is run enabled)."""
    if node.name != names[0]:
        return None
    if len(names) == 1:
        return node if family(node) in ("controller", "fragment") else None
    for ch in node.children:
        found = _descend(ch, names[1:])
        if found is not None:
            return found
    return None


def _inline_target(
    walker: Walker, node: Node, scope: Scope, key: str, run, disabled: bool = False
) -> list[Step]:  # type: ignore[no-untyped-def]
    ctx = walker.ctx
    if key in ctx.module_stack:
        ctx.report(JMX_MODULE_CYCLE, node, f"{key} is already being inlined", action="not inlined again")
        return []
    for ch in node.children:
        for sub in ch.walk():
            ctx.visit(sub)
            ctx.collector.set_status(sub.path, "filtered")
        ctx.report(JMX_REPLACED_CHILDREN, ch, "replaced by the module/include target", action="skipped")
    ctx.module_stack.append(key)
    try:
        steps: list[Step] = run()
    finally:
        ctx.module_stack.pop()
    ctx.report(
        JMX_MODULE_INLINED,
        node,
        f"inlined {key}"
        + (
            " (a disabled controller: JMeter's Module Controller runs an enabled copy of it, without its "
            "disabled children)"
            if disabled
            else ""
        ),
        action="the target's steps are inlined here",
    )
    return steps


def _include(walker: Walker, node: Node, scope: Scope) -> list[Step]:
    ctx = walker.ctx
    name = ctx.expr(node, node.text("IncludeController.includepath")).strip()
    path = ctx.resolve_data_file(name) if name and "${" not in name else None
    if path is None:
        ctx.report(
            JMX_MODULE_UNRESOLVED,
            node,
            f"include file {name or '(none)'!r} not found",
            action="its own children are converted instead" if node.children else "nothing inlined",
        )
        return walker.steps(node.children, scope)
    key = str(path.resolve())

    def run() -> list[Step]:
        try:
            root, _ = reader.read(path)
        except InputError as exc:
            ctx.report(
                JMX_MODULE_UNRESOLVED,
                node,
                f"include file {name!r} refused: {exc.message}",
                action="nothing inlined",
            )
            return []
        tops = tree.build(root, prefix=f"{node.path}/@include:")
        fragment = _proper_branch(tops)
        if fragment is not None and not fragment.enabled:
            _enable(fragment)  # before tracking: the ledger takes each element's status from it
        for top in tops:
            for sub in top.walk():
                ctx.track(sub)
        for top in tops:
            if family(top) == "testplan":
                ctx.visit(top)
        if fragment is None:
            ctx.report(
                JMX_INCLUDE_FRAGMENT,
                node,
                f"include file {name!r} has no Test Fragment under its Test Plan: JMeter includes nothing "
                "(IncludeController.getProperBranch: 'No Test Fragment was found in included Test Plan, returning "
                "empty HashTree')",
                action="nothing inlined, as JMeter",
                hint="put the elements to include in a Test Fragment of the included plan",
            )
            walker.sweep(tops)
            return []
        ctx.visit(fragment)
        steps = walker.steps(fragment.children, scope)
        left = sum(1 for top in tops for sub in top.walk() if sub.path not in ctx.visited and sub.enabled)
        if left:
            ctx.report(
                JMX_INCLUDE_FRAGMENT,
                node,
                f"include file {name!r}: JMeter includes only the children of its first Test Fragment, "
                f"{fragment.name!r}; {left} other element(s) of the file are not run",
                action=f"only {fragment.name!r} inlined, as JMeter (the others are listed as not executed)",
            )
        walker.sweep(tops)
        return steps

    return _inline_target(walker, node, scope, key, run)


def _proper_branch(tops: list[Node]) -> Node | None:
    """IncludeController.getProperBranch: the first Test Fragment among the top elements, or among the
    children of the Test Plan when that comes first; enabled or not (the GUI creates Test Fragments
    disabled, and JMeter takes the first one whatever its flag, then removes its disabled children)."""
    for top in tops:
        if family(top) == "testplan":
            return _proper_branch(top.children)
        if family(top) == "fragment":
            return top
    return None


def _enable(fragment: Node) -> None:
    """Read a disabled Test Fragment's subtree as JMeter's Include Controller does: the fragment counts as
    enabled, and each element below it is enabled unless it, or an element between, is disabled."""
    fragment.enabled = True
    for sub in fragment.walk():
        if sub is not fragment and sub.parent is not None:
            flag = sub.el.get("enabled") if sub.el is not None else None
            sub.enabled = sub.parent.enabled and (flag is None or flag.strip().lower() != "false")


_HANDLERS = {
    "GenericController": _inline,
    "RecordingController": _inline,
    "TransactionController": _transaction,
    "LoopController": _loop,
    "WhileController": _while,
    "ForeachController": _foreach,
    "IfController": _if,
    "ThroughputController": _throughput,
    "RandomController": _pick_one,
    "InterleaveControl": _pick_one,
    "SwitchController": _switch,
    "OnceOnlyController": _approx("Once Only: PerfTest has no first-iteration-only step"),
    "RandomOrderController": _approx(
        "Random Order: children keep their saved order", "children inlined in order"
    ),
    "RunTime": _approx(
        "Runtime Controller: children are not repeated for a fixed time", "children inlined once"
    ),
    "CriticalSectionController": _approx(
        "Critical Section: the lock between users is dropped", "children inlined"
    ),
    "ModuleController": _module,
    "IncludeController": _include,
}
