"""The state of one JMX conversion: collector and ledger, expression renderer, variables, transactions,
per-element caches, the set of elements reached, and the helpers every element family uses to report."""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable
from typing import Any, TypeVar

from converter.diagnostics import Collector, Location, define, first_few
from converter.expressions import Call, Issue, Rendered, Renderer, Text, Token, parse
from converter.model import Transaction, Variable
from converter.parsers.jmx.credentials import csv_column
from converter.parsers.jmx.props import (
    DECIMAL_FIELDS,
    DECIMAL_TAGS,
    NUMERIC_TAGS,
    UNKNOWN_TAGS,
    integer,
    java_decimal_text,
    java_int,
    java_number_text,
    prop_name,
    prop_value,
)
from converter.parsers.jmx.tree import Node
from converter.parsers.jmx.varscope import same, scope_of

T = TypeVar("T")

_PLAIN_INT = re.compile(r"-?[0-9]{1,9}")
_VAR_REF = re.compile(r"\$\{([^${}()]+)\}")

JMX_VARIABLE_REDEFINED = define(
    "JMX901",
    "warning",
    "variable defined more than once in one scope: the definition JMeter uses is kept (the last element's; "
    "the first row of one User Defined Variables table)",
)
JMX_BAD_NUMBER = define("JMX902", "warning", "a numeric setting is not a number: a default was used")
JMX_NOT_JAVA_NUMBER = define(
    "JMX224",
    "warning",
    "a numeric setting is not a whole number as Java reads it: JMeter reads it as 0, and so does the plan",
)

JMX_UNLOADABLE = define(
    "JMX132",
    "warning",
    "intProp, longProp, doubleProp or FloatProperty whose text Java cannot read as a number: JMeter cannot open "
    "the plan",
)
JMX_UNKNOWN_PROPERTY = define(
    "JMX134",
    "warning",
    "floatProp, a property tag JMeter's loader has no class for: JMeter cannot open the plan",
)

JMX_LITERAL_REFERENCE = define(
    "JMX141",
    "warning",
    "text JMeter sends with a literal '${' (an escaped '\\${'): PerfTest reads it as a variable reference",
)


class Context:
    def __init__(
        self,
        jmx_path: pathlib.Path,
        properties: dict[str, str] | None,
        data_dir: pathlib.Path | None,
        keep_secrets: bool = False,
    ) -> None:
        self.jmx_path = jmx_path
        self.data_dir = data_dir
        self.collector = Collector()
        self.renderer = Renderer(properties)
        self.variables: dict[str, Variable] = {}
        # name -> scope (varscope.scope_of) -> the definition kept there and its element, in definition order
        self.scoped_variables: dict[str, dict[str, tuple[Variable, Node]]] = {}
        self.udv_values: dict[str, str] = {}  # User Defined Variables so far: later ones may refer to them
        self.transactions: dict[str, Transaction] = {}
        self.visited: set[str] = set()
        self.cache: dict[tuple[str, str], Any] = {}
        self.module_stack: list[str] = []  # module/include targets being inlined (cycle detection)
        self.stats: dict[str, int] = {}
        self.nodes_by_path: dict[str, Node] = {}
        self.top: list[Node] = []
        # the WebSocket connection of the thread group being walked, in execution order (Luminis samplers)
        self.websocket: str | None = None
        self.websocket_closed: str | None = None  # the URL a Close sampler closed, while none is open
        self.websocket_may_close: str | None = None  # a Close sampler that may not run closed the connection
        # controllers around the element being walked that may skip it (If, Loop, Switch...; see controllers.py)
        self.conditional = 0
        self._seen: set[tuple[str, str | None, str]] = set()
        # one diagnostic for many elements (see report_grouped): (code, message) -> the elements, action, hint
        self._groups: dict[tuple[str, str], tuple[dict[str, Node], str, str]] = {}
        self._rendered: dict[str, tuple[str, list[Any]]] = {}  # text -> rendering and its issues
        # literal credentials (credentials.py): kept in clear (--keep-secrets), or each value's secret variable
        self.keep_secrets = keep_secrets
        self.secret_values: dict[str, str] = {}  # literal value -> its variable
        self.secret_names: dict[str, str] = {}  # credential name (and kind) -> its variable
        self.secrets_kept: dict[str, None] = {}  # where --keep-secrets kept one, in order (JMX361)
        self.secrets_said: dict[str, dict[str, Node]] = {}  # JMX360's message -> the elements, by path

    def release(self) -> None:
        """Drop every reference into the element trees once the scenario is built (they can be large)."""
        for node in self.nodes_by_path.values():
            node.release()
        self.nodes_by_path = {}
        self.top = []
        self.cache = {}

    # -- ledger and diagnostics -------------------------------------------------------------------
    def track(self, node: Node) -> None:
        self.nodes_by_path[node.path] = node
        self.collector.track(node.path, node.kind, node.name, "converted" if node.enabled else "filtered")

    def visit(self, node: Node) -> None:
        self.visited.add(node.path)

    def report(
        self, code: str, where: Node | Location | None, message: str, *, action: str = "", hint: str = ""
    ) -> None:
        loc = where.loc if isinstance(where, Node) else where
        key = (code, loc.source if loc else None, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.collector.report(code, loc, message, action=action, hint=hint)

    def report_grouped(
        self, code: str, node: Node, message: str, *, action: str = "", hint: str = ""
    ) -> None:
        """``code`` for ``node``, said once for all the elements that share ``message`` (a setting left off on
        every sampler of a hand-written plan): collected here, reported by :meth:`flush_groups`."""
        nodes, _, _ = self._groups.setdefault((code, message), ({}, action, hint))
        nodes.setdefault(node.path, node)

    def flush_groups(self) -> None:
        """One diagnostic per group of :meth:`report_grouped`, at its first element, naming the first few;
        every element of the group gets the code on its ledger row too, and the status its severity implies
        (as :meth:`Collector.report` gives the row it is located at)."""
        for (code, message), (nodes, action, hint) in self._groups.items():
            first, *others = nodes.values()
            if others:
                names = first_few([repr(n.name) for n in nodes.values()])
                message = f"{len(nodes)} samplers ({names}): {message}"
            self.collector.report(code, first.loc, message, action=action, hint=hint)
            for other in others:
                self.collector.track(other.path, other.kind, other.name)
                self.collector.mark(other.path, code)
        self._groups = {}

    def report_unloadable(self, root: Any) -> None:
        """What makes JMeter's loader (SaveService.loadTree) refuse the whole file, checked over all of it,
        disabled elements too (JMeter loads them as well), and said at the element that holds the property:

        - JMX132 for an ``intProp`` / ``longProp`` whose text it cannot read (empty, " 5", "1.5"): its XStream
          converters (IntegerPropertyConverter, LongPropertyConverter) parse the text as it is with
          Integer.parseInt / Long.parseLong, and the NumberFormatException, wrapped in a ConversionException
          that TestElementConverter does not catch, ends the load; the same for a ``doubleProp`` /
          ``FloatProperty`` whose ``<value>`` or ``<savedValue>`` Double.valueOf / Float.valueOf cannot read
          (XStream's reflection converter reads those fields: :data:`props.DECIMAL_TAGS`);
        - JMX134 for a ``floatProp``, which saveservice.properties has no alias for (CannotResolveClassException).
        """
        safe = _PLAIN_INT.fullmatch  # what nearly every one holds: fine for both tags
        bad: list[tuple[Any, str, str, str]] = [  # (property, code, what was read, why JMeter cannot)
            (p, JMX_UNLOADABLE, f"= {prop_value(p)!r}", f"JMeter reads it with {NUMERIC_TAGS[p.tag]}")
            for p in root.iter(*NUMERIC_TAGS)
            if not ((text := p.text) and safe(text)) and not java_number_text(p.tag, prop_value(p))
        ]
        for p in root.iter(*DECIMAL_TAGS):
            for field in p:
                if field.tag in DECIMAL_FIELDS and not java_decimal_text(field.text or ""):
                    why = f"JMeter's loader (XStream) reads its {field.tag} with {DECIMAL_TAGS[p.tag]}"
                    bad.append((p, JMX_UNLOADABLE, f"{field.tag} = {field.text or ''!r}", why))
        bad += [(p, JMX_UNKNOWN_PROPERTY, "", "") for p in root.iter(*UNKNOWN_TAGS)]
        if not bad:
            return
        owners = {node.el: node for node in self.nodes_by_path.values()}
        for p, code, read, why in bad:
            owner = p.getparent()
            while owner is not None and owner not in owners:
                owner = owner.getparent()
            where = owners[owner] if owner is not None else None
            if code == JMX_UNKNOWN_PROPERTY:
                self.report(
                    code,
                    where,
                    f"{p.tag} {prop_name(p) or ''!r}: JMeter's loader knows no such property tag "
                    "(saveservice.properties defines FloatProperty, not floatProp; CannotResolveClassException), "
                    "so JMeter refuses to open this plan",
                    action="converted anyway: the setting is read as its text",
                    hint="save a float as JMeter does (<FloatProperty><name>..</name><value>..</value></FloatProperty>) "
                    "or as a stringProp",
                )
                continue
            self.report(
                code,
                where,
                f"{p.tag} {prop_name(p) or ''!r} {read}: {why} as it loads the file, which throws "
                "(NumberFormatException), so JMeter refuses to open this plan",
                action="converted anyway: the setting is read as its text, an empty one as unset",
                hint="write a number there (as JMeter saves it), or open and save the plan in JMeter to check it",
            )

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    # -- text -------------------------------------------------------------------------------------
    def expr(self, node: Node, text: str) -> str:
        """Render JMeter ``${...}`` text as PerfTest text, reporting what could not be rendered."""
        if "${" not in text:
            return text
        done = self._rendered.get(text)
        if done is None:  # rendering is a pure function of the text (and the fixed -J properties)
            rendered = self.renderer.render(text)
            issues = rendered.issues + self._literal_references(rendered)
            done = self._rendered[text] = (rendered.text, issues)
        for issue in done[1]:
            self.report(issue.code, node, issue.message, action=issue.action, hint=issue.hint)
        return done[0]

    def _literal_references(self, rendered: Rendered) -> list[Any]:
        """JMX141 for the ``${...}`` JMeter sends as text (see :class:`Rendered`), as a rendering issue."""
        if not rendered.literal:
            return []
        refs = ", ".join(repr(ref) for ref in dict.fromkeys(rendered.literal))
        if rendered.compiled:
            message = (
                f"{refs} written with an escaped '$' ('\\${{'): JMeter removes the backslash and sends "
                f"{refs} as text, but PerfTest reads '${{...}}' as a variable or function reference"
            )
            action = f"sent as {refs}"
        else:
            message = (
                f"{refs} written with an escaped '$' ('\\${{') in text that holds no other reference: JMeter "
                "does not compile it and sends it as written, backslash included, but PerfTest reads "
                "'${...}' in it as a variable or function reference"
            )
            action = "sent as written"
        hint = (
            "the API reference documents no escape for '${' in PerfTest: if the text must reach the server as "
            "JMeter sends it, change it in PerfTest (or make sure no variable or function has that name)"
        )
        return [Issue(JMX_LITERAL_REFERENCE, message, action, hint)]

    def number(self, node: Node, label: str, text: str, default: int) -> int:
        """An integer setting (after expressions); ``default`` with a diagnostic when it is not one."""
        rendered = self.constant(self.expr(node, text))
        value = integer(rendered)
        if value is None:
            if "${" in rendered:  # a function or variable JMeter evaluates as the test runs
                self.report(
                    JMX_BAD_NUMBER,
                    node,
                    f"{label} {text!r} is known only at run time",
                    action=f"used {default}",
                    hint=f"set the {label} the test needs in PerfTest",
                )
            elif text.strip():
                self.report(
                    JMX_BAD_NUMBER, node, f"{label} {text!r} is not a number", action=f"used {default}"
                )
            return default
        return value

    def java_number(
        self, node: Node, label: str, text: str | None, *, bits: int = 32, runtime: int = 0
    ) -> int:
        """A numeric setting as JMeter reads it (``bits=32``: ``getPropertyAsInt``/``Converter.getInt``,
        ``64``: ``getPropertyAsLong``/``getLong``; AbstractProperty.getIntValue/getLongValue): the text, once
        variables and functions are replaced, through ``Integer.parseInt``/``Long.parseLong``, and 0 when it
        is unset (``text`` None), empty, or not a Java integer ("10.0", " 10", "1e3", beyond Java's range).
        When that 0 is not what the text says (JMX224), or the text is no number at all (JMX902), it is
        reported. Text known only at run time (a ``${...}`` left) is read leniently, ``runtime`` by default,
        as before."""
        if text is None:
            return 0
        value = self.value(node, text)
        if "${" in value:
            return self.number(node, label, text, runtime)
        number = java_int(value, bits)
        if number is not None:
            return number
        meant = integer(value)
        shown = self.reading(text, value)
        if meant is None:
            if value.strip() or self.missing_properties(text):
                self.report(
                    JMX_BAD_NUMBER,
                    node,
                    f"{label} {shown} is not a number",
                    action="used 0",
                    hint=self.property_hint(text, ""),
                )
        elif meant != 0:
            self.report(
                JMX_NOT_JAVA_NUMBER,
                node,
                f"{label} {shown} is not a whole number as Java reads it "
                f"({'Long.parseLong' if bits == 64 else 'Integer.parseInt'}: an optional sign and digits, "
                f"within {bits}-bit range): JMeter reads it as 0, not {meant}",
                action=f"{label} 0, as in JMeter",
                hint=self.property_hint(text, f"write the {label} as digits only if {meant} was meant"),
            )
        return 0

    def missing_properties(self, text: str) -> list[str]:
        """The properties ``text`` reads with __P/__property that no ``-J`` gave (JMeter then reads the
        function's default: "1" for __P(name), the name itself for __property(name), "" for __P(name,))."""
        if "${__" not in text:
            return []
        missing: list[str] = []

        def scan(tokens: list[Token] | tuple[Token, ...]) -> None:
            for tok in tokens:
                if not isinstance(tok, Call):
                    continue
                if tok.name in ("__P", "__property") and tok.args:
                    name = "".join(t.value for t in tok.args[0] if isinstance(t, Text)).strip()
                    if name and name not in self.renderer.properties and name not in missing:
                        missing.append(name)
                for arg in tok.args:
                    scan(arg)

        scan(parse(text))
        return missing

    def reading(self, text: str, value: str) -> str:
        """A numeric setting's text for a message, with what JMeter reads when that differs (a variable's
        value; the default of a -J property that was not given, named)."""
        missing = self.missing_properties(text)
        if missing:
            names = ", ".join(repr(name) for name in missing)
            return f"{text!r} (property {names} not given with -J: read as {value!r})"
        return repr(text) if value == text else f"{text!r} (read as {value!r})"

    def property_hint(self, text: str, otherwise: str) -> str:
        """``-J name=N`` for the properties ``text`` reads that were not given; ``otherwise`` when none."""
        missing = self.missing_properties(text)
        return "pass " + " and ".join(f"-J {name}=N" for name in missing) if missing else otherwise

    def value(self, node: Node, text: str) -> str:
        """Rendered text with single-valued variables substituted: for numeric settings."""
        return self.constant(self.expr(node, text))

    def constant(self, text: str) -> str:
        """Substitute ``${name}`` references to single-valued text/enum variables (for numeric settings)."""
        for _ in range(5):
            if "${" not in text:
                break
            replaced = _VAR_REF.sub(self._single_value, text)
            if replaced == text:
                break
            text = replaced
        return text

    def _single_value(self, match: re.Match[str]) -> str:
        var = self.variables.get(match.group(1))
        if var is not None and var.kind in ("enum", "text") and len(var.values) == 1 and not var.secret:
            return str(var.values[0])
        return match.group(0)

    def cached(self, node: Node, what: str, make: Callable[[], T]) -> T:
        key = (node.path, what)
        cache = self.cache
        if key in cache:
            result: T = cache[key]
            return result
        result = cache[key] = make()
        return result

    # -- results ----------------------------------------------------------------------------------
    def add_variable(self, var: Variable, node: Node) -> None:
        """A variable set by ``node``. Within one scope (varscope.scope_of: a thread group's threads, or the
        whole test) the last definition wins, as the element that sets it last in JMeter; definitions in
        different scopes are kept apart after the walk (varscope.separate)."""
        scope = scope_of(node)
        definitions = self.scoped_variables.setdefault(var.name, {})
        old = definitions.pop(scope, None)  # popped: the scope's latest definition goes last
        if old is not None and not same(old[0], var):
            group = self.nodes_by_path.get(scope)
            where = "the whole test" if group is None else f"the threads of thread group {group.name!r}"
            self.report(
                JMX_VARIABLE_REDEFINED,
                node,
                f"variable {var.name!r} is defined again with other values for {where} (first by "
                f"{old[1].name!r}, {old[1].path})",
                action="kept the last definition, as JMeter, where the element that sets it last wins",
            )
        definitions[scope] = (var, node)
        self.variables[var.name] = var
        if node.kind == "CSVDataSet":
            csv_column(self, node, var)

    def add_transaction(self, name: str, transaction: Transaction) -> str:
        key = name or "transaction"
        n = 1
        while key in self.transactions:
            n += 1
            key = f"{name} ({n})"
        self.transactions[key] = transaction
        return key

    def resolve_data_file(self, name: str) -> pathlib.Path | None:
        """A data file named in the plan: absolute, or relative to ``--data-dir`` then to the JMX's folder."""
        candidate = pathlib.Path(name)
        bases = [] if candidate.is_absolute() else [b for b in (self.data_dir, self.jmx_path.parent) if b]
        tries = [candidate] if candidate.is_absolute() else [b / candidate for b in bases]
        if self.data_dir is not None and not candidate.is_absolute():
            tries.append(self.data_dir / candidate.name)
        for path in tries:
            try:
                if path.is_file():
                    return path
            except OSError:
                continue
        return None
