"""Assertions and extractors as PerfTest checkpoint and extraction cards (shapes in cards.py).

What a checkpoint cannot express (durations, sizes, negated regular expressions...) is reported, never dropped;
plain-text regular expressions are turned into the equivalent contains/equals comparisons first. A problem is
reported at the assertion or extractor it comes from, once: a scoped element applies to every sampler below it,
but it is one element, and the requests themselves are converted.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

from converter.diagnostics import Collector, Location, define
from converter.emit import cards
from converter.model import Check, Extract

PT_CHECK = define("PT008", "error", "assertion cannot be expressed as a PerfTest checkpoint")
PT_CHECK_APPROX = define("PT009", "warning", "assertion approximated as a PerfTest checkpoint")
PT_EXTRACT = define("PT010", "error", "extractor kind not supported by PerfTest extraction")
PT_EXTRACT_APPROX = define("PT011", "warning", "extractor approximated as a PerfTest extraction")
PT_EXTRACT_PATTERN = define(
    "PT046",
    "warning",
    "extractor pattern is not a valid regular expression: extraction left out, as in JMeter",
)


def check_cards(checks: list[Check], request: Location | None, diag: Collector) -> list[dict[str, Any]]:
    out = []
    for check in checks:
        card = check_card(check, request, diag)
        if card is not None:
            out.append(card)
    return out


def check_card(check: Check, request: Location | None, diag: Collector) -> dict[str, Any] | None:
    """The checkpoint card of ``check``, or None (reported at the assertion, else at the ``request``)."""
    target, negate, operator, values = check.target, check.negate, check.operator, check.values
    if operator == "equals" and target == "status" and not negate and len(values) == 1:
        # the common check (one recorded status), which nothing below would change or report
        return cards.check_card(code=values[0], headers=[], body=[], rule=check.combine)
    where = check.origin or request
    trimmed = False
    if operator == "regex":
        plain = _plain_regex(target, tuple(values))
        if plain is not None:
            operator, texts, trimmed = plain
            values = list(texts)

    def described() -> str:
        return f"{target} {'not ' if negate else ''}{operator} {values!r}"

    if trimmed:
        diag.report_once(
            PT_CHECK_APPROX,
            where,
            f"regular expression(s) ending in '.' checked as the text before it: {described()}",
            action="checked as plain text; differs only where the text ends right after it",
        )
    if target in ("duration", "size", "url", "message") or operator in ("lt", "le", "gt", "ge"):
        diag.report_once(
            PT_CHECK,
            where,
            f"check on {described()}",
            action="check left out",
            hint="PerfTest checkpoints test the status code, headers and body only",
        )
        return None
    if operator == "regex":
        broken = [v for v in values if not _compiles(v)]
        if broken:
            diag.report_once(
                PT_CHECK,
                where,
                f"not a valid regular expression: {broken[0]!r} in {described()}",
                action="check left out",
                hint="the pattern fails in JMeter too; fix it in the plan",
            )
            return None
    if negate and operator == "regex":
        diag.report_once(PT_CHECK, where, f"negated regex check {described()}", action="check left out")
        return None
    condition = _CONDITIONS[operator]
    if negate:
        condition = "not_" + condition
    rule = check.combine
    if target == "status":
        if operator == "equals" and not negate and len(values) == 1:
            return cards.check_card(code=values[0], headers=[], body=[], rule=rule)
        diag.report_once(
            PT_CHECK,
            where,
            f"status check {described()}",
            action="check left out",
            hint="a PerfTest checkpoint compares the status code with one exact value",
        )
        return None
    if target == "header":
        key = check.header or ""
        headers = [(key, condition, v) for v in values]
        return cards.check_card(code=None, headers=headers, body=[], rule=rule)
    body = [(condition, v) for v in values]
    return cards.check_card(code=None, headers=[], body=body, rule=rule)


_CONDITIONS = {"equals": "equals", "contains": "contains", "regex": "regex"}
_RANGES = {"body": "body", "headers": "header", "url": "url", "status": "code"}


def extract_card(extract: Extract, request: Location | None, diag: Collector) -> dict[str, Any] | None:
    """The extraction card of ``extract``, or None (reported at the extractor, else at the ``request``)."""
    where = extract.origin or request
    range_ = _RANGES[extract.source]
    regexp, json_key = "", ""
    if extract.kind == "regex":
        regexp = extract.expression
        if not _compiles(regexp):
            _broken_pattern(extract, where, diag)
            return None
    elif extract.kind == "jsonpath":
        range_, json_key = "json", extract.expression
    elif extract.kind == "boundary":
        regexp = _boundary_regex(extract, where, diag)
    else:
        diag.report_once(
            PT_EXTRACT,
            where,
            f"{extract.kind} extractor for ${{{extract.variable}}}: {extract.expression}",
            action="extraction left out: PerfTest never sets the variable",
            hint="rewrite it as a regular expression or JSONPath extractor",
        )
        return None
    if extract.match_no < 0:
        diag.report_once(
            PT_EXTRACT_APPROX,
            where,
            f"extractor for ${{{extract.variable}}} asks for all matches, which one extraction cannot keep",
            action=f"only the first match is extracted, into ${{{extract.variable}}}",
        )
    elif extract.match_no == 0:
        diag.report_once(
            PT_EXTRACT_APPROX,
            where,
            f"extractor for ${{{extract.variable}}} takes a random match",
            action="sent as match_index 0; PerfTest does not document a random match",
        )
    return cards.extract_card(
        name=extract.variable,
        range_=range_,
        regexp=regexp,
        match_index=max(extract.match_no, 0) if extract.match_no >= 0 else 1,
        group_index=extract.group,
        json_key=json_key,
        default=extract.default,
    )


def _boundary_regex(extract: Extract, where: Location | None, diag: Collector) -> str:
    """JMeter's BoundaryExtractor.extract as a regular expression: the text between the left boundary and the
    first right boundary after it (``indexOf``: across lines too, hence ``[\\s\\S]``); an empty right boundary
    takes the rest of the text, an empty left one the text from the start to the first right boundary, both
    empty the whole text (one match each). ``${...}`` references in a boundary stay references (JMeter
    substitutes them before searching); the rest is escaped. What the pattern does otherwise is reported."""
    left, right = extract.expression, extract.right or ""
    name = f"${{{extract.variable}}}"
    if not left and not right:
        regexp = r"^([\s\S]*)"
        diag.report_once(
            PT_EXTRACT_APPROX,
            where,
            f"boundary extractor for {name} with both boundaries empty: JMeter takes the whole text, but "
            "nothing (the default) when the text is blank",
            action="extracted as the whole text, blank or not",
        )
    elif not left:
        regexp = f"^([\\s\\S]*?){_literal(right)}"
    elif not right:
        regexp = f"{_literal(left)}([\\s\\S]*)"
    else:
        regexp = f"{_literal(left)}([\\s\\S]*?){_literal(right)}"
        if extract.match_no > 1:
            diag.report_once(
                PT_EXTRACT_APPROX,
                where,
                f"boundary extractor for {name} takes match {extract.match_no}: JMeter's scan resumes right "
                "after each left boundary, so its n-th match starts at the n-th left boundary even inside an "
                "earlier match (matches may overlap); a regular expression resumes after the right boundary",
                action=f"match_index {extract.match_no} of the regular expression: the same unless a value holds "
                "the left boundary",
            )
    if _VARIABLE.search(left + right):
        diag.report_once(
            PT_EXTRACT_APPROX,
            where,
            f"boundary extractor for {name}: a boundary holds a variable ({left!r}, {right!r}): JMeter "
            "searches for its value as plain text",
            action="the reference is kept in the regular expression: characters of its value that mean "
            "something in a regular expression (. * + ? ( ) [ ] { } | \\ ^ $) are not taken literally",
        )
    return regexp


def _literal(text: str) -> str:
    """``text`` as a regular expression that matches it literally, its ``${...}`` references kept."""
    out, last = [], 0
    for match in _VARIABLE.finditer(text):
        out += [re.escape(text[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join(out) + re.escape(text[last:])


def _broken_pattern(extract: Extract, where: Location | None, diag: Collector) -> None:
    """JMeter's RegexExtractor (process(), extractWithOroRegex / extractWithJavaRegex) first sets the variable to
    its default (when one is given), then fails to compile the pattern, logs "Error in pattern" and extracts
    nothing: PerfTest gets no extraction either; only JMeter's setting of the default is lost."""
    default = (
        f"JMeter sets ${{{extract.variable}}} to its default {extract.default!r} after each sample; "
        "PerfTest leaves the variable as it was"
        if extract.default
        else f"${{{extract.variable}}} keeps its value, as in JMeter"
    )
    diag.report_once(
        PT_EXTRACT_PATTERN,
        where,
        f"extractor for ${{{extract.variable}}}: {extract.expression!r} is not a valid regular expression",
        action=f"extraction left out (JMeter logs 'Error in pattern' and extracts nothing); {default}",
        hint="fix the pattern in the test plan, or add the extraction in PerfTest after the upload",
    )


def _compiles(pattern: str) -> bool:
    try:
        re.compile(_VARIABLE.sub("x", pattern))
    except re.error:
        return False
    return True


PlainOperator = Literal["equals", "contains"]
_REGEX_SYNTAX = re.compile(r"[.^$*+?{}\[\]\\|()]")
_VARIABLE = re.compile(r"\$\{[^{}]*\}")
_ANCHORED = re.compile(r"^\^\(\?:(.*)\)\$$", re.DOTALL)


@lru_cache(maxsize=1024)  # a scoped assertion applies to many samplers: the same patterns, again and again
def _plain_regex(
    target: str, patterns: tuple[str, ...]
) -> tuple[PlainOperator, tuple[str, ...], bool] | None:
    """A regular-expression check whose patterns are plain text is the same check as contains (a regex
    search) or equals (a whole-text match, ``^(?:text)$``), which PerfTest can negate and, for a status
    code, compare: that operator and those texts, or None when a pattern is a real regular expression.
    ``${var}`` references count as text (JMeter substitutes them before matching). An unanchored pattern whose
    only syntax is a final ``.`` (a sentence) is searched for without it: the third value returned says so
    (an approximation)."""
    texts, anchored, trimmed = [], set(), False
    for value in patterns:
        match = _ANCHORED.match(value)
        inner = match.group(1) if match else value
        if match is None and inner.endswith(".") and not _REGEX_SYNTAX.search(_VARIABLE.sub("", inner[:-1])):
            inner, trimmed = inner[:-1], True
        if not inner or _REGEX_SYNTAX.search(_VARIABLE.sub("", inner)):
            return None
        texts.append(inner)
        anchored.add(match is not None)
    if len(anchored) != 1:
        return None
    operator: PlainOperator = "equals" if anchored.pop() else "contains"
    if target == "status" and operator == "contains" and all(len(t) == 3 and t.isdigit() for t in texts):
        operator = "equals"  # a three-digit code contained in a three-digit status is that status
    return operator, tuple(texts), trimmed
