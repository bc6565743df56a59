"""Variables of the same name set in different thread groups: in JMeter a CSV Data Set, Random Variable,
Counter or User Parameters element sets the variables of the threads of the group it sits in (its scope),
so each group reads its own values; User Defined Variables are global wherever they sit (PreCompiler puts
them in the test's variables before any thread starts). PerfTest variables are global, so each group's own
definition that differs from the global one becomes a variable of its own, and the references in that
group's case are rewritten to it."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from converter.diagnostics import define
from converter.model import Case, Step, Transaction, TransactionRef, Variable
from converter.parsers.jmx.classify import normalise
from converter.parsers.jmx.tree import Node

if TYPE_CHECKING:
    from converter.parsers.jmx.context import Context

JMX_SCOPED_VARIABLE = define(
    "JMX340",
    "info",
    "variable set by an element of one thread group only: renamed for that group's case, as JMeter gives "
    "each group's threads their own values",
)

GLOBAL = ""  # the scope of User Defined Variables and of elements outside any thread group


def scope_of(node: Node) -> str:
    """The path of the thread group whose threads a variable set by ``node`` reaches; GLOBAL for User Defined
    Variables (wherever they sit) and for elements at the Test Plan level or in a Test Fragment."""
    if node.tag == "TestPlan" or normalise(node.kind) == "Arguments":
        return GLOBAL
    group = next((n for n in node.walk_up() if n.family == "threadgroup"), None)
    return GLOBAL if group is None else group.path


def same(a: Variable, b: Variable) -> bool:
    return a.kind == b.kind and a.values == b.values


def separate(ctx: Context, cases: list[Case]) -> list[Case]:
    """Give each thread group's own definition that differs from the one the other cases read a name of its
    own, and rewrite the references of that group's case (and of the transactions it runs); JMX340 says so
    at the element. The plain name keeps the global definition, or the last group's when there is none."""
    variables = ctx.variables
    for name, definitions in ctx.scoped_variables.items():
        if len(definitions) < 2:
            continue
        plain_scope = GLOBAL if GLOBAL in definitions else list(definitions)[-1]
        plain, plain_node = definitions[plain_scope]
        variables[name] = plain
        for scope, (var, node) in definitions.items():
            if scope == plain_scope or same(var, plain):
                continue
            index = next(
                (i for i, case in enumerate(cases) if case.source and case.source.source == scope), None
            )
            if index is None:
                continue
            case = cases[index]
            new = _unique(variables, f"{name}__{_slug(case.name)}")
            variables[new] = var.model_copy(update={"name": new})
            cases[index] = _rewrite_case(case, name, new, ctx.transactions)
            ctx.report(
                JMX_SCOPED_VARIABLE,
                node,
                f"variable {name!r} is set here for the threads of {case.name!r} only; the other cases read "
                f"the values {plain_node.name!r} ({plain_node.path}) sets",
                action=f"a variable of its own, {new!r}: the references to ${{{name}}} in case {case.name!r}, "
                "and its extractors that set it, now use it",
            )
    return cases


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower() or "group"


def _unique(variables: dict[str, Variable], name: str) -> str:
    candidate, n = name, 1
    while candidate in variables:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _json(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)[1:-1]


def _rewrite_case(case: Case, old: str, new: str, transactions: dict[str, Transaction]) -> Case:
    """``case`` (and the transactions it runs) with every ``${old}`` reference, and every extractor that sets
    ``old`` (in JMeter it overwrites the same thread variable), moved to ``new``. Extract.variable is the only
    field of the model named ``variable``."""
    pattern = re.compile(
        re.escape("${" + _json(old) + "}") + "|" + re.escape('"variable":"' + _json(old) + '"')
    )

    def replace(match: re.Match[str]) -> str:
        return ("${" + _json(new) + "}") if match.group(0).startswith("$") else f'"variable":"{_json(new)}"'

    for key in _transactions_of(case.steps, transactions, set()):
        transactions[key] = Transaction.model_validate_json(
            pattern.sub(replace, transactions[key].model_dump_json())
        )
    return Case.model_validate_json(pattern.sub(replace, case.model_dump_json()))


def _transactions_of(steps: list[Step], transactions: dict[str, Transaction], seen: set[str]) -> set[str]:
    """The keys of the transactions ``steps`` run, nested ones included."""
    for step in steps:
        if isinstance(step, TransactionRef):
            if step.transaction in transactions and step.transaction not in seen:
                seen.add(step.transaction)
                _transactions_of(transactions[step.transaction].steps, transactions, seen)
        else:
            _transactions_of(getattr(step, "steps", []), transactions, seen)
    return seen
