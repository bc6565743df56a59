"""Assertions -> checks on every request in scope: Response Assertion (field, mode, NOT/OR), Duration, Size;
JSON Path (built-in and plugin), XPath, MD5/HTML/scripted and other assertions are reported. Each check keeps
the assertion's location (``origin``), so that what PerfTest cannot check is reported at the assertion."""

from __future__ import annotations

import re
from typing import Literal

from converter.diagnostics import define
from converter.model import Check
from converter.parsers.jmx.classify import normalise
from converter.parsers.jmx.context import Context
from converter.parsers.jmx.tree import Node

JMX_ASSERT_UNSUPPORTED = define("JMX601", "error", "assertion not converted")
JMX_ASSERT_FIELD = define(
    "JMX602", "error", "Response Assertion field not checkable in PerfTest: not converted"
)
JMX_ASSERT_APPROX = define("JMX603", "warning", "assertion converted approximately")
JMX_ASSERT_EMPTY = define("JMX604", "info", "assertion with nothing to check skipped")
JMX_ASSERT_PATH = define(
    "JMX620",
    "error",
    "JSON Path / XPath assertion not converted: PerfTest checkpoints cannot evaluate a path",
)
JMX_HEADER_BLOCK_APPROX = define(
    "JMX621",
    "warning",
    "Response Assertion on the response headers ('Name: value' patterns) converted to checks of named headers' "
    "values: approximated",
)
JMX_HEADER_BLOCK = define(
    "JMX622",
    "error",
    "Response Assertion on the response headers not converted: a PerfTest checkpoint tests one named header's "
    "value, not JMeter's whole header block",
)
_PATH_HINT = (
    "a PerfTest checkpoint compares the status code, a header or the whole body: add a body 'contains' check of "
    'a distinctive piece of the response (e.g. "status":"OK") in PerfTest, or as a Response Assertion'
)

_FIELDS: dict[str, Literal["status", "header", "body", "url", "message"]] = {
    "Assertion.response_data": "body",
    "Assertion.response_data_as_document": "body",
    "Assertion.response_code": "status",
    "Assertion.response_headers": "header",
    "Assertion.response_message": "message",
    "Assertion.sample_label": "url",
}

_MATCH, _CONTAINS, _NOT, _EQUALS, _SUBSTRING, _OR = 1, 2, 4, 8, 16, 32


def applies_to_response(
    ctx: Context, node: Node, scope_prop: str, not_converted: str, approximated: str
) -> bool:
    """JMeter's 'Apply to' (AbstractScopedTestElement): False when the element tests a JMeter variable
    (``variable``) rather than the response, which a PerfTest card cannot do; sub-samples only is reported."""
    scope = node.text(scope_prop, "parent").strip() or "parent"
    if scope == "variable":
        ctx.report(
            not_converted,
            node,
            f"applies to the JMeter variable {node.text('Scope.variable')!r}, not to the response",
            action="not converted",
        )
        return False
    if scope == "children":
        ctx.report(
            approximated,
            node,
            "applies to sub-samples only (redirect hops, embedded resources)",
            action="applied to the main response",
        )
    return True


def prepare(ctx: Context, node: Node) -> list[Check]:
    kind = normalise(node.kind)
    if not applies_to_response(ctx, node, "Assertion.scope", JMX_ASSERT_UNSUPPORTED, JMX_ASSERT_APPROX):
        return []
    if kind == "ResponseAssertion":
        return _response(ctx, node)
    if kind in (
        "JSONPathAssertion",
        "com.atlantbh.jmeter.plugins.jsonutils.jsonpathassertion.JSONPathAssertion",
    ):
        return _json_path(ctx, node)
    if kind == "DurationAssertion":
        # DurationAssertion.getAllowedDuration: getPropertyAsLong (0: the assertion is ignored)
        ms = ctx.java_number(node, "duration", node.given("DurationAssertion.duration"), bits=64)
        if ms <= 0:
            ctx.report(JMX_ASSERT_EMPTY, node, "no maximum duration set", action="skipped")
            return []
        return [Check(target="duration", operator="le", values=[str(ms)], origin=node.loc)]
    if kind == "SizeAssertion":
        return _size(ctx, node)
    if kind in ("XPathAssertion", "XPath2Assertion"):
        xpath = ctx.expr(node, node.text("XPath.xpath") or node.text("XPath2.xpath")) or "/"
        negate = node.flag("XPath.negate") or node.flag("XPath2.negate")
        ctx.report(
            JMX_ASSERT_PATH,
            node,
            f"XPath assertion: {xpath} {'finds nothing' if negate else 'finds a node'}",
            action="not converted",
            hint=_PATH_HINT,
        )
        return []
    ctx.report(
        JMX_ASSERT_UNSUPPORTED,
        node,
        f"{node.kind} has no PerfTest checkpoint equivalent",
        action="not converted",
    )
    return []


def _response(ctx: Context, node: Node) -> list[Check]:
    field = node.text("Assertion.test_field", "Assertion.response_data").strip()
    target = _FIELDS.get(field)
    if target is None:
        ctx.report(
            JMX_ASSERT_FIELD,
            node,
            f"field {field} (request side or other) is not checked",
            action="not converted",
        )
        return []
    # ResponseAssertion.getTestType: Contains when unset, else getIntValue (Integer.parseInt, 0 when the text is
    # empty or not a Java int: no mode bit, so Matches); known only at run time: Contains, as before
    test_type = node.given("Assertion.test_type")
    bits = (
        _CONTAINS if test_type is None else ctx.java_number(node, "test type", test_type, runtime=_CONTAINS)
    )
    strings = [ctx.expr(node, s.text or "") for s in node.collection("Asserion.test_strings")]
    strings += [ctx.expr(node, s.text or "") for s in node.collection("Assertion.test_strings")]
    if not strings:
        ctx.report(JMX_ASSERT_EMPTY, node, "no patterns to test", action="skipped")
        return []
    # ResponseAssertion.evaluateResponse tests the bits in this order: Contains (a regex find), Equals,
    # Substring, and otherwise Matches (the whole text matches the regex)
    operator: Literal["equals", "contains", "regex"]
    patterns = strings
    if bits & _CONTAINS:
        operator = "regex"
    elif bits & _EQUALS:
        operator = "equals"
    elif bits & _SUBSTRING:
        operator = "contains"
    else:
        operator = "regex"
        strings = [f"^(?:{s})$" for s in strings]
    if node.flag("Assertion.assume_success"):
        ctx.report(
            JMX_ASSERT_APPROX,
            node,
            "'Ignore status' is set",
            action="the HTTP status is still judged by PerfTest",
        )
    if target == "header":
        return _header_block(ctx, node, bits, patterns)
    if field == "Assertion.response_data_as_document":
        ctx.report(
            JMX_ASSERT_APPROX, node, "document (Tika) text is checked as the raw body", action="body check"
        )
    return [
        Check(
            target=target,
            operator=operator,
            values=strings,
            combine="or" if bits & _OR else "and",
            negate=bool(bits & _NOT),
            origin=node.loc,
        )
    ]


# 'Name: value' as a header line of JMeter's block: an HTTP header name (letters, digits, '-' and '_': no
# regular-expression syntax), ':', the space JMeter writes (or a pattern for it), the value part
_HEADER_LINE = re.compile(r"([A-Za-z0-9_-]+):(?: |\\s\*|\\s\+|\\s| \*| \+| \?)(.+)", re.DOTALL)
_HEADER_TEXT = re.compile(r"([A-Za-z0-9_-]+): (.+)", re.DOTALL)


def _header_block(ctx: Context, node: Node, bits: int, strings: list[str]) -> list[Check]:
    """ResponseAssertion.evaluateResponse tests ``SampleResult.getResponseHeaders()``: the whole block, the
    status line then a "Name: value" line per header (HTTPHC4Impl.getResponseHeaders). A PerfTest header
    checkpoint tests the value of one named header. Substring and Contains (a regex find) patterns written as
    "Name: value" become a check of header Name's value (what differs is reported, JMX621); Equals and Matches
    compare the whole block, and other patterns search every line: those are not converted (JMX622)."""
    negate, any_of = bool(bits & _NOT), bool(bits & _OR)
    mode = (
        "Contains"
        if bits & _CONTAINS
        else "Equals"
        if bits & _EQUALS
        else "Substring"
        if bits & _SUBSTRING
        else "Matches"
    )
    shown = ", ".join(repr(x) for x in strings)
    if mode in ("Equals", "Matches"):
        ctx.report(
            JMX_HEADER_BLOCK,
            node,
            f"{mode} {shown} on the response headers: JMeter compares the whole header block (the status line and "
            "every 'Name: value' line) with the pattern"
            + ("" if negate else ", which fails unless the pattern spells out that whole block"),
            action="not converted",
            hint="to check one header, use Substring (or Contains) with a 'Name: value' pattern",
        )
        return []
    # (a Substring pattern is plain text: only the space JMeter writes after the colon can be found)
    lines = [_HEADER_LINE.fullmatch(x) if mode == "Contains" else _HEADER_TEXT.fullmatch(x) for x in strings]
    names = {m.group(1).lower() for m in lines if m is not None}
    if any(m is None for m in lines) or (any_of and len(names) > 1):
        bad = [x for x, m in zip(strings, lines, strict=True) if m is None]
        why = (
            f"{', '.join(repr(x) for x in bad)} {'is' if len(bad) == 1 else 'are'} not written 'Name: value', so "
            "JMeter searches every line of the header block (the status line too)"
            if bad
            else "the patterns are OR-ed over several headers, which one checkpoint cannot combine"
        )
        ctx.report(
            JMX_HEADER_BLOCK,
            node,
            f"{mode} {shown} on the response headers: {why}",
            action="not converted",
            hint="write each pattern as 'Name: value' for the header it is about",
        )
        return []
    operator: Literal["contains", "regex"] = "regex" if mode == "Contains" else "contains"
    checks: dict[str, Check] = {}
    for m in lines:
        assert m is not None
        name, value = m.group(1), m.group(2)
        key = name.lower()
        if key in checks:
            checks[key].values.append(value)
        else:
            checks[key] = Check(
                target="header",
                header=name,
                operator=operator,
                values=[value],
                combine="or" if any_of else "and",
                negate=negate,
                origin=node.loc,
            )
    done = "; ".join(
        f"header {c.header} {'not ' if negate else ''}{'matches' if operator == 'regex' else 'contains'} "
        + f" {c.combine} ".join(repr(v) for v in c.values)
        for c in checks.values()
    )
    ctx.report(
        JMX_HEADER_BLOCK_APPROX,
        node,
        f"{mode} {shown} on the response headers: JMeter searches the whole header block, where 'Name: value' "
        "is found on a line whose name ends with Name (case-sensitive) and whose value starts with the value part; "
        "the checkpoint looks for the value part anywhere in the value of header Name",
        action=done,
    )
    return list(checks.values())


def _json_path(ctx: Context, node: Node) -> list[Check]:
    """JMeter compares the value found at the path (JSONPathAssertion); a PerfTest checkpoint only sees the
    whole body, where "equals the value" always fails and "the path exists" always passes: not converted."""
    path = ctx.expr(node, node.text("JSON_PATH")).strip()
    if not path:
        ctx.report(JMX_ASSERT_EMPTY, node, "no JSON path set", action="skipped")
        return []
    expected = ctx.expr(node, node.text("EXPECTED_VALUE"))
    if not node.flag("JSONVALIDATION"):
        test = "exists"
    elif node.flag("EXPECT_NULL"):
        test = "is null"
    else:
        test = f"{'matches' if node.flag('ISREGEX', True) else 'equals'} {expected!r}"
    ctx.report(
        JMX_ASSERT_PATH,
        node,
        f"JSON Path assertion: {path} {test}" + (" (inverted)" if node.flag("INVERT") else ""),
        action="not converted",
        hint=_PATH_HINT,
    )
    return []


def _size(ctx: Context, node: Node) -> list[Check]:
    # SizeAssertion.getAllowedSize: getPropertyAsLong
    size = ctx.java_number(node, "size", node.given("SizeAssertion.size"), bits=64)
    op_code = node.text("SizeAssertion.operator", "1").strip()
    ops: dict[str, tuple[Literal["equals", "gt", "lt", "ge", "le"], bool]] = {
        "1": ("equals", False),
        "2": ("equals", True),
        "3": ("gt", False),
        "4": ("lt", False),
        "5": ("ge", False),
        "6": ("le", False),
    }
    operator, negate = ops.get(op_code, ("equals", False))
    field = node.text("Assertion.test_field", "SizeAssertion.response_network_size")
    if field not in ("", "SizeAssertion.response_network_size", "SizeAssertion.response_data"):
        ctx.report(
            JMX_ASSERT_APPROX, node, f"size of {field} checked as the response size", action="size check"
        )
    return [Check(target="size", operator=operator, values=[str(size)], negate=negate, origin=node.loc)]
