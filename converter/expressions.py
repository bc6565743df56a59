"""JMeter ``${...}`` expressions: parse variable and function references, render PerfTest text.

``parse`` turns text into tokens (literal text, ``${var}`` references, ``${__fn(args)}`` calls with nested
arguments and ``\\,`` escapes). ``Renderer.render`` reads text as JMeter compiles it (its ``\\$``, ``\\,``
and ``\\\\`` escapes removed once it holds a reference) and writes the PerfTest equivalent: variables stay
``${var}``, ``__P``/``__property`` take their value from ``-J`` properties (or their default) and are recorded
in ``Renderer.used``, ``__Random(a,b)`` stays a PerfTest function, a few functions fold to constants, and
every other function is left as text with an ``EXP`` diagnostic naming it. Knows nothing of JMX files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from converter.diagnostics import define

EXP_PROPERTY_DEFAULT = define("EXP001", "info", "JMeter property not given with -J: its default was used")
EXP_UNSUPPORTED = define("EXP002", "error", "JMeter function has no PerfTest equivalent: left as text")
EXP_APPROXIMATED = define(
    "EXP003", "warning", "JMeter function replaced by a value that may differ at run time"
)
EXP_MALFORMED = define("EXP004", "warning", "malformed ${...} reference kept as literal text")
EXP_RANDOM_VAR = define("EXP005", "warning", "__Random's result variable argument dropped")


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[tuple[Token, ...], ...]
    raw: str  # the exact source text, ``${__fn(...)}``


Token = Text | Var | Call

# FunctionParser.compileString: a backslash before "$", "," or another backslash is removed; before any other
# character it is kept (parseParams keeps both characters together, so an escaped "(", ")" or "," is no
# argument structure either)
_ESCAPABLE = {",", "\\", "$"}
# the characters an argument's text stops at: a reference, an escape, nesting and the separator
_ARG_SPECIAL = re.compile(r"[$\\(),]")
_TOP_SPECIAL = re.compile(r"[$\\]")  # at the top level: a reference or an escape
_NAME = re.compile(r"[^}(]*")  # a reference's name: up to its "}" or its argument list


class _Malformed(Exception):
    pass


class _Parser:
    """``escapes``: read the top level as JMeter compiles a property's text (FunctionParser.compileString),
    its escapes removed; otherwise (:func:`parse`) backslashes at the top level are plain text."""

    def __init__(self, text: str, *, escapes: bool = False) -> None:
        self.s = text
        self.malformed = False
        self.escapes = escapes
        self.escaped_refs: list[str] = []  # "${...}" texts written "\${...}": literal text for JMeter

    def text(self, i: int, *, in_arg: bool) -> tuple[list[Token], int]:
        """Tokens from ``i`` until end (top level) or an argument separator/closer (``in_arg``).

        Runs of ordinary characters are taken whole (``str.find`` / a regex search for the next character
        that matters), not one by one.
        """
        s = self.s
        out: list[Token] = []
        buf: list[str] = []
        depth = 0
        n = len(s)
        special = _ARG_SPECIAL.search
        top_special = _TOP_SPECIAL.search
        while i < n:
            if in_arg:
                m = special(s, i)
                j = n if m is None else m.start()
            elif self.escapes:
                m = top_special(s, i)
                j = n if m is None else m.start()
            else:
                j = s.find("$", i)
                if j < 0:
                    j = n
            if j > i:
                buf.append(s[i:j])
                i = j
                if i >= n:
                    break
            c = s[i]
            if c == "$":
                if s.startswith("${", i):
                    try:
                        tok, j = self.reference(i)
                    except _Malformed:
                        self.malformed = True
                        buf.append(c)
                        i += 1
                        continue
                    if buf:
                        out.append(Text("".join(buf)))
                        buf = []
                    out.append(tok)
                    i = j
                    continue
            elif c == "\\":  # inside an argument, or at the top level with ``escapes``
                if i + 1 < n:
                    escaped = s[i + 1]
                    buf.append(escaped if escaped in _ESCAPABLE else c + escaped)
                    if not in_arg and escaped == "$" and s.startswith("{", i + 2):
                        end = s.find("}", i + 2)
                        self.escaped_refs.append(s[i + 1 : end + 1] if end >= 0 else s[i + 1 : i + 3])
                    i += 2
                    continue
            elif c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                break
            buf.append(c)
            i += 1
        if buf:
            out.append(Text("".join(buf)))
        return out, i

    def reference(self, start: int) -> tuple[Token, int]:
        s = self.s
        i = start + 2
        m = _NAME.match(s, i)
        assert m is not None
        name = m.group(0)
        i = m.end()
        if i >= len(s):
            raise _Malformed
        if s[i] == "}":
            if name.startswith("__"):
                return Call(name, (), s[start : i + 1]), i + 1
            if not name:
                raise _Malformed
            return Var(name), i + 1
        # "(": a function call
        if not name.startswith("__"):
            raise _Malformed
        i += 1
        args: list[tuple[Token, ...]] = []
        while True:
            arg, i = self.text(i, in_arg=True)
            if i >= len(s):
                raise _Malformed
            args.append(tuple(arg))
            if s[i] == ",":
                i += 1
                continue
            break  # ")"
        i += 1
        if i >= len(s) or s[i] != "}":
            raise _Malformed
        if len(args) == 1 and not args[0]:
            args = []
        return Call(name, tuple(args), s[start : i + 1]), i + 1


def parse(text: str) -> list[Token]:
    """Split ``text`` into literal text, variable references and function calls (never raises)."""
    tokens, _ = _Parser(text).text(0, in_arg=False)
    return tokens


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    action: str = ""  # what the rendering did instead
    hint: str = ""


@dataclass
class Rendered:
    """``literal``: the ``${...}`` texts JMeter sends as they are (written ``\\${...}``, or in text it does not
    compile), which PerfTest would read as references: the caller reports them (the API reference documents
    no escape for ``${``). ``compiled``: JMeter compiles the text (it holds a reference), so its escapes were
    removed; otherwise the text is returned as written, backslashes included."""

    text: str
    issues: list[Issue] = field(default_factory=list)
    literal: list[str] = field(default_factory=list)
    compiled: bool = True


_INT = re.compile(r"^\s*-?\d+\s*$")


class Renderer:
    """Render JMeter text as PerfTest text; collects the properties consulted in ``used``."""

    def __init__(self, properties: Mapping[str, str] | None = None) -> None:
        self.properties = dict(properties or {})
        self.used: dict[str, str] = {}

    def render(self, text: str) -> Rendered:
        """JMeter compiles a property's text when it holds a reference (ReplaceStringWithFunctions: only when
        CompoundVariable.hasFunction), and compiling removes the escapes ``\\$``, ``\\,`` and ``\\\\``
        (FunctionParser.compileString), so ``\\${v} is ${v}`` sends ``${v} is 42``; text without a reference
        (``\\${v}`` alone) is sent as written, backslash included."""
        if "${" not in text:
            return Rendered(text)
        parser = _Parser(text, escapes=True)
        tokens, _ = parser.text(0, in_arg=False)
        issues: list[Issue] = []
        if parser.malformed:
            issues.append(
                Issue(EXP_MALFORMED, f"malformed reference in {text!r} kept as text", "kept as literal text")
            )
        if not any(isinstance(t, (Var, Call)) for t in tokens):
            return Rendered(text, issues, list(parser.escaped_refs), compiled=False)
        out = "".join(self._token(t, issues) for t in tokens)
        return Rendered(out, issues, list(parser.escaped_refs))

    def _args(self, call: Call, issues: list[Issue]) -> list[str]:
        return ["".join(self._token(t, issues) for t in arg) for arg in call.args]

    def _token(self, tok: Token, issues: list[Issue]) -> str:
        if isinstance(tok, Text):
            return tok.value
        if isinstance(tok, Var):
            return "${" + tok.name + "}"
        return self._call(tok, issues)

    def _call(self, call: Call, issues: list[Issue]) -> str:
        name = call.name
        if name in ("__P", "__property"):
            return self._property(call, issues)
        if name == "__Random":
            args = [a.strip() for a in self._args(call, issues)]
            if len(args) < 2:
                issues.append(
                    Issue(
                        EXP_UNSUPPORTED, f"{call.raw}: __Random needs a minimum and a maximum", "left as text"
                    )
                )
                return call.raw
            if len(args) > 2 and args[2]:
                issues.append(
                    Issue(
                        EXP_RANDOM_VAR,
                        f"{call.raw}: the value is not also stored in ${{{args[2]}}}",
                        f"${{__Random({args[0]},{args[1]})}} without the variable",
                    )
                )
            return "${__Random(" + args[0] + "," + args[1] + ")}"
        if name in ("__intSum", "__longSum"):
            args = [a.strip() for a in self._args(call, issues)]
            numbers = args if len(args) < 3 or _INT.match(args[-1]) else args[:-1]
            if len(numbers) >= 2 and all(_INT.match(a) for a in numbers):
                if len(numbers) != len(args):
                    issues.append(
                        Issue(
                            EXP_APPROXIMATED,
                            f"{call.raw}: the sum is not stored in a variable",
                            "replaced by the sum",
                        )
                    )
                return str(sum(int(a) for a in numbers))
        if name == "__V":
            args = self._args(call, issues)
            if len(args) == 1 and "${" not in args[0] and args[0]:
                return "${" + args[0] + "}"
        if name == "__env":
            args = self._args(call, issues)
            if len(args) >= 2 and args[1]:
                issues.append(
                    Issue(
                        EXP_APPROXIMATED,
                        f"{call.raw}: environment variable {args[0]!r} replaced by its default {args[1]!r}",
                        f"replaced by {args[1]!r}",
                    )
                )
                return args[1]
        issues.append(
            Issue(
                EXP_UNSUPPORTED,
                f"function {name} has no PerfTest equivalent: {call.raw} left as text",
                "left as text",
            )
        )
        return call.raw

    def _property(self, call: Call, issues: list[Issue]) -> str:
        args = self._args(call, issues)
        prop = args[0].strip() if args else ""
        # JMeter: __P(name[,default]) defaults to "1"; __property(name[,variable[,default]]) takes its default
        # from the THIRD argument (the second names a variable to store the value in) and falls back to the name
        default_at = 1 if call.name == "__P" else 2
        if call.name == "__property" and len(args) >= 2 and args[1].strip():
            issues.append(
                Issue(
                    EXP_APPROXIMATED,
                    f"{call.raw}: the value is not also stored in ${{{args[1].strip()}}}",
                    "the property's value used; the variable is not set",
                )
            )
        if prop in self.properties:
            value = self.properties[prop]
        else:
            default = "1" if call.name == "__P" else prop
            value = args[default_at].strip() if len(args) > default_at else default
            issues.append(
                Issue(
                    EXP_PROPERTY_DEFAULT,
                    f"property {prop!r} not given (-J {prop}=...): using {value!r}",
                    f"used {value!r}",
                )
            )
        self.used[prop] = value
        return value


def render(text: str, properties: Mapping[str, str] | None = None) -> Rendered:
    """One-shot rendering (see :class:`Renderer`)."""
    return Renderer(properties).render(text)
