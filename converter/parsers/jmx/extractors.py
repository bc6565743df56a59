"""Extractors -> extraction on every request in scope: Regular Expression, JSON (built-in and plugin
JSONPath), Boundary, CSS/HTML, XPath/XPath2; scripted and other pre/post-processors are reported. Each
extraction keeps the extractor's location (``origin``), so that what PerfTest cannot extract is reported there."""

from __future__ import annotations

import re
from typing import Literal

from converter.diagnostics import define
from converter.model import Extract
from converter.parsers.jmx import props
from converter.parsers.jmx.assertions import applies_to_response
from converter.parsers.jmx.classify import normalise
from converter.parsers.jmx.context import Context
from converter.parsers.jmx.tree import Node

JMX_EXTRACT_UNSUPPORTED = define("JMX701", "error", "extractor not converted")
JMX_EXTRACT_APPROX = define("JMX702", "warning", "extractor converted approximately")
JMX_SCRIPT = define("JMX703", "error", "scripted pre/post-processor not converted")
JMX_PROCESSOR_UNSUPPORTED = define("JMX704", "error", "pre/post-processor not converted")
JMX_PROCESSOR_FILTERED = define("JMX705", "info", "debug post-processor skipped (no effect on load)")
JMX_EXTRACT_EMPTY = define("JMX706", "warning", "extractor without a variable name or expression: skipped")
JMX_JSON_MATCH_NOT_INT = define(
    "JMX740",
    "error",
    "JSON Extractor match number is not a whole number: JMeter sets none of its variables; not converted",
)
JMX_JSON_COUNTS = define(
    "JMX720",
    "error",
    "JSON Extractor's ';'-separated lists differ in length: JMeter sets none of its variables; not converted",
)

Source = Literal["body", "headers", "url", "status"]
_SCRIPTED = ("JSR223", "BeanShell", "BSF")


_SOURCES: dict[str, Source] = {
    "": "body",
    "false": "body",
    "body": "body",
    "unescaped": "body",
    "as_document": "body",
    "true": "headers",
    "url": "url",
    "code": "status",
}
# RegexExtractor/BoundaryExtractor.getInputString: what these read is not in a PerfTest extraction's reach
_UNREACHABLE = {"request_headers": "the request headers", "message": "the response message (reason phrase)"}


def _source(ctx: Context, node: Node, value: str) -> Source | None:
    """The part of the response an extractor reads (its "Field to check"); None, reported, when PerfTest
    cannot read it. Values JMeter does not know fall back to the body, as in getInputString."""
    value = value.strip().lower()
    if value in _UNREACHABLE:
        ctx.report(
            JMX_EXTRACT_UNSUPPORTED,
            node,
            f"extracts from {_UNREACHABLE[value]}, which a PerfTest extraction cannot read",
            action="not converted: PerfTest never sets the variable",
            hint="extract the value where it comes from (an earlier response), or set it as a variable",
        )
        return None
    if value == "unescaped":
        ctx.report(JMX_EXTRACT_APPROX, node, "unescaped body is matched as the raw body", action="body")
    elif value == "as_document":
        ctx.report(JMX_EXTRACT_APPROX, node, "document (Tika) text is matched as the raw body", action="body")
    elif value not in _SOURCES:
        ctx.report(JMX_EXTRACT_APPROX, node, f"field {value!r} matched as the body", action="body")
    return _SOURCES.get(value, "body")


def _match_no(ctx: Context, node: Node, text: str | None, empty: int) -> int:
    """JMeter's match number (0 random, -1 all, N the Nth) as the extractors' getMatchNumber reads it:
    getPropertyAsInt, i.e. Integer.parseInt of the text, 0 (a random match) when it is empty or not a Java
    int (" 1", "1.0": JMX224). ``empty`` is what an unset property gives: 0 for Regex, Boundary and CSS/HTML
    (getPropertyAsInt(name)); XPath/XPath2 getPropertyAsInt(name, -1), whose default applies to an unset
    property only and puts the first match in the variable (1 here). Known only at run time: read
    leniently, as before."""
    if text is None:
        return empty
    value = ctx.java_number(node, "match number", text, runtime=empty)
    return -1 if value < 0 else value


def prepare(ctx: Context, node: Node) -> list[Extract]:
    kind = normalise(node.kind)
    if not applies_to_response(ctx, node, "Sample.scope", JMX_EXTRACT_UNSUPPORTED, JMX_EXTRACT_APPROX):
        return []
    if kind == "RegexExtractor":
        return _regex(ctx, node)
    if kind == "JSONPostProcessor":
        return _json(ctx, node)
    if kind == "com.atlantbh.jmeter.plugins.jsonutils.jsonpathextractor.JSONPathExtractor":
        if node.text("SUBJECT", "BODY").strip().upper() not in ("", "BODY"):
            ctx.report(
                JMX_EXTRACT_UNSUPPORTED,
                node,
                "extracting from a variable is not possible",
                action="not converted",
            )
            return []
        return _one(
            ctx,
            node,
            node.text("VAR"),
            "jsonpath",
            node.text("JSONPATH"),
            default=node.text("DEFAULT"),
            empty_match=1,
        )
    if kind == "BoundaryExtractor":
        source = _source(ctx, node, node.text("BoundaryExtractor.useHeaders"))
        if source is None:
            return []
        return _one(
            ctx,
            node,
            node.text("BoundaryExtractor.refname"),
            "boundary",
            node.text("BoundaryExtractor.lboundary"),
            right=node.text("BoundaryExtractor.rboundary"),
            default=node.text("BoundaryExtractor.default"),
            match=node.given("BoundaryExtractor.match_number"),
            source=source,
            allow_empty_expression=True,
        )
    if kind == "HtmlExtractor":
        return _one(
            ctx,
            node,
            node.text("HtmlExtractor.refname"),
            "css",
            node.text("HtmlExtractor.expr"),
            attribute=node.text("HtmlExtractor.attribute"),
            default=node.text("HtmlExtractor.default"),
            match=node.given("HtmlExtractor.match_number"),
        )
    if kind == "XPathExtractor":
        return _one(
            ctx,
            node,
            node.text("XPathExtractor.refname"),
            "xpath",
            node.text("XPathExtractor.xpathQuery"),
            default=node.text("XPathExtractor.default"),
            match=node.given("XPathExtractor.matchNumber"),
            empty_match=1,
        )
    if kind == "XPath2Extractor":
        return _one(
            ctx,
            node,
            node.text("XPathExtractor2.refname"),
            "xpath",
            node.text("XPathExtractor2.xpathQuery"),
            default=node.text("XPathExtractor2.default"),
            match=node.given("XPathExtractor2.matchNumber"),
            empty_match=1,
        )
    if kind == "JMESPathExtractor":
        ctx.report(
            JMX_EXTRACT_UNSUPPORTED,
            node,
            "JMESPath has no PerfTest extraction equivalent",
            action="not converted",
        )
        return []
    return not_converted(ctx, node)


def not_converted(ctx: Context, node: Node) -> list[Extract]:
    """Report a pre/post-processor that has no PerfTest equivalent (scripts quote their first line)."""
    kind = normalise(node.kind)
    if kind == "DebugPostProcessor":
        ctx.collector.set_status(node.path, "filtered")
        ctx.report(JMX_PROCESSOR_FILTERED, node, "Debug PostProcessor only shows variables", action="skipped")
        return []
    if kind.startswith(_SCRIPTED):
        script = node.text("script") or node.text("BeanShellSampler.query") or node.text("filename")
        first = next((line.strip() for line in script.splitlines() if line.strip()), "(empty script)")
        ctx.report(
            JMX_SCRIPT,
            node,
            f"{node.kind} ({node.text('scriptLanguage') or kind}) script not converted: {first[:120]}",
            action="not converted",
            hint="re-create the logic with PerfTest extraction/variables, or drop it",
        )
        return []
    ctx.report(
        JMX_PROCESSOR_UNSUPPORTED, node, f"{node.kind} has no PerfTest equivalent", action="not converted"
    )
    return []


def _one(
    ctx: Context,
    node: Node,
    variable: str,
    kind: Literal["regex", "jsonpath", "xpath", "boundary", "css"],
    expression: str,
    *,
    right: str | None = None,
    attribute: str | None = None,
    default: str = "",
    match: str | None = None,
    empty_match: int = 0,
    group: int = 1,
    source: Source = "body",
    allow_empty_expression: bool = False,
) -> list[Extract]:
    variable = ctx.expr(node, variable).strip()
    expression = ctx.expr(node, expression)
    if not variable or (not expression.strip() and not allow_empty_expression):
        ctx.report(JMX_EXTRACT_EMPTY, node, "no reference name or no expression", action="skipped")
        return []
    return [
        Extract(
            variable=variable,
            source=source,
            kind=kind,
            expression=expression,
            right=None if right is None else ctx.expr(node, right),
            attribute=None if attribute is None else ctx.expr(node, attribute),
            match_no=_match_no(ctx, node, match, empty_match),
            group=group,
            default=ctx.expr(node, default),
            origin=node.loc,
        )
    ]


_TEMPLATE_GROUP = re.compile(r"^\$(\d+)\$$")


def _regex(ctx: Context, node: Node) -> list[Extract]:
    template = node.text("RegexExtractor.template", "$1$").strip() or "$1$"
    m = _TEMPLATE_GROUP.match(template)
    group = int(m.group(1)) if m else 1
    if not m:
        ctx.report(
            JMX_EXTRACT_APPROX,
            node,
            f"template {template!r} is not a single $n$ group reference; group {group} is extracted",
            action=f"group {group}",
        )
    default = node.text("RegexExtractor.default")
    if node.flag("RegexExtractor.default_empty_value"):
        default = ""
    source = _source(ctx, node, node.text("RegexExtractor.useHeaders"))
    if source is None:
        return []
    return _one(
        ctx,
        node,
        node.text("RegexExtractor.refname"),
        "regex",
        node.text("RegexExtractor.regex"),
        default=default,
        match=node.given("RegexExtractor.match_number"),
        group=group,
        source=source,
    )


def _java_split(text: str) -> list[str]:
    """Java's ``text.split(";")``: trailing empty strings are dropped, and an empty text is one empty string."""
    if not text:
        return [""]
    parts = text.split(";")
    while parts and not parts[-1]:
        parts.pop()
    return parts


def _json_match_bad(ctx: Context, node: Node, text: str) -> bool:
    """A JSON Extractor match number Integer.parseInt rejects once trimmed (known only at run time: not)."""
    value = ctx.value(node, text)
    return "${" not in value and props.java_int(props.java_trim(value)) is None


# JSONPostProcessor.process throws (IllegalArgumentException, NumberFormatException) out of
# JMeterThread.runPostProcessors, which does not catch it; JMeterThread.processSampler does ("Error while processing
# sampler"), after executeSamplePackage has skipped the rest of the sample: the later post-processors,
# checkAssertions and notifyListeners
_JSON_THROWS = (
    "; the exception also ends JMeter's processing of that sample (JMeterThread.processSampler catches it): the "
    "post-processors after this one, the sampler's assertions and its listeners are skipped, so no result of "
    "that sample is recorded"
)
_JSON_ACTION = (
    "not converted: no variable is set, as in JMeter; the request's other extractions and checks are kept"
)


def _json(ctx: Context, node: Node) -> list[Extract]:
    names = _java_split(node.text("JSONPostProcessor.referenceNames"))
    exprs = _java_split(node.text("JSONPostProcessor.jsonPathExprs"))
    defaults = _java_split(node.text("JSONPostProcessor.defaultValues"))
    match_text = node.text("JSONPostProcessor.match_numbers")
    matches = _java_split(match_text) if match_text.strip() else []
    if not len(names) == len(exprs) == len(defaults) or len(matches) > len(defaults):
        # JSONPostProcessor.buildConfig throws (validateSameLengthOfArguments, or getMatchNumbersAsInt indexing
        # past the defaults) before it sets anything: in JMeter this extractor never extracts
        ctx.report(
            JMX_JSON_COUNTS,
            node,
            f"{len(names)} name(s), {len(exprs)} JSON path(s), {len(defaults)} default value(s) and "
            f"{len(matches)} match number(s) (split at ';' as JMeter does): JMeter's JSON Extractor fails on "
            "this before it sets any variable ('Number of JSON Path variables must match...')" + _JSON_THROWS,
            action=_JSON_ACTION,
            hint="give every variable its path and default value (e.g. 'a;b', '$.a;$.b', 'NONE;NONE'), if "
            "the extraction is meant to work",
        )
        return []
    bad = next((m for m in matches if _json_match_bad(ctx, node, m)), None)
    if bad is not None:
        # getMatchNumbersAsInt: Integer.parseInt(part.trim()) throws NumberFormatException in buildConfig,
        # before the extractor sets anything
        ctx.report(
            JMX_JSON_MATCH_NOT_INT,
            node,
            f"match number {bad!r} (of {match_text!r}, split at ';') is not a whole number as Java reads it "
            "(Integer.parseInt after trimming): JMeter's JSON Extractor fails before it sets any variable"
            + _JSON_THROWS,
            action=_JSON_ACTION,
            hint="write each match number as digits (0 random, -1 all, N the Nth), separated by ';'",
        )
        return []
    if node.flag("JSONPostProcessor.compute_concat"):
        ctx.report(
            JMX_EXTRACT_APPROX, node, "'Compute concatenation' (_ALL variable) dropped", action="dropped"
        )
    out: list[Extract] = []
    for i, name in enumerate(names):
        if not name.strip():
            continue
        out += _one(
            ctx,
            node,
            name,
            "jsonpath",
            exprs[i],
            default=defaults[i],
            match=props.java_trim(matches[i]) if i < len(matches) else None,
        )
    if not out and not any(n.strip() for n in names):
        ctx.report(JMX_EXTRACT_EMPTY, node, "no reference names", action="skipped")
    return out
