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

JMX_MATCH_ALL = define(
    "JMX741",
    "warning",
    "extractor with match number -1: JMeter puts the matches in name_1, name_2... (not in name): the first is "
    "extracted into name_1",
)
JMX_JMETER_ONLY_VARIABLES = define(
    "JMX742",
    "warning",
    "the plan uses variables only JMeter's extractor sets (match count, group count, a random match's group, "
    "the default left in the name): nothing in the plan sets them",
)
JMX_MORE_EXTRACTIONS = define(
    "JMX743",
    "info",
    "extractor's numbered or group variables the plan uses (name_2, name_g1...) extracted one by one",
)

Source = Literal["body", "headers", "url", "status"]
Family = Literal["regex", "boundary", "json"]
# what follows "name_" in the variables an extractor sets besides its name: name_N (a match number -1),
# name_N_gK / name_N_g (regex: a group of match N, their count), name_gK / name_g (regex, one match),
# name_matchNr, name_ALL (JSON, concatenation); JMeter writes the numbers without leading zeros
_SUFFIX = re.compile(
    r"(?P<n>[1-9][0-9]*)(?:_g(?P<ng>0|[1-9][0-9]*)|(?P<ngc>_g))?|g(?P<g>0|[1-9][0-9]*)|(?P<gc>g)"
    r"|(?P<nr>matchNr)|(?P<all>ALL)"
)
_REFERENCE = re.compile(r"\$\{([^${}()\s,]+)\}")
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
        found = _one(
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
        # BoundaryExtractor.process: the default goes into the name when it is not blank, or an empty default is
        # asked for
        defaulted = bool(node.text("BoundaryExtractor.default").strip()) or node.flag(
            "BoundaryExtractor.default_empty_value"
        )
        return [x for base in found for x in _jmeter_variables(ctx, node, base, "boundary", defaulted)]
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
    found = _one(
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
    # RegexExtractor.process puts the default into the name when it is given or 'Use empty default value' is on
    defaulted = bool(default) or node.flag("RegexExtractor.default_empty_value")
    return [x for base in found for x in _jmeter_variables(ctx, node, base, "regex", defaulted)]


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
        found = _one(
            ctx,
            node,
            name,
            "jsonpath",
            exprs[i],
            default=defaults[i],
            match=props.java_trim(matches[i]) if i < len(matches) else None,
        )
        # JSONPostProcessor.handleEmptyResult: the default goes into the name when nothing matches
        out += [x for base in found for x in _jmeter_variables(ctx, node, base, "json", True)]
    if not out and not any(n.strip() for n in names):
        ctx.report(JMX_EXTRACT_EMPTY, node, "no reference names", action="skipped")
    return out


def _referenced(ctx: Context) -> tuple[frozenset[str], dict[str, list[str]]]:
    """Every variable the enabled elements of the plan reference as a plain ``${name}`` (inside function calls
    too), once per conversion: by name, and by each prefix before an ``_`` (``a_1_g2`` under ``a`` and ``a_1``),
    where an extractor looks up the numbered and group variables of its own name without a scan of all names."""

    def scan() -> tuple[frozenset[str], dict[str, list[str]]]:
        names: set[str] = set()
        for root in ctx.top:
            for node in root.walk():
                if node.enabled and node.el is not None:
                    for text in node.el.itertext():
                        if "${" in text:
                            names.update(_REFERENCE.findall(text))
        index: dict[str, list[str]] = {}
        for name in sorted(names):
            cut = name.find("_")
            while cut > 0:
                index.setdefault(name[:cut], []).append(name)
                cut = name.find("_", cut + 1)
        return frozenset(names), index

    return ctx.cached(ctx.top[0], "referenced-names", scan) if ctx.top else (frozenset(), {})


def _jmeter_variables(
    ctx: Context, node: Node, base: Extract, family: Family, defaulted: bool
) -> list[Extract]:
    """``base`` as JMeter fills its variables, with the numbered and group variables the plan uses.

    RegexExtractor (extractWithJavaRegex/extractWithOroRegex, saveGroups), BoundaryExtractor (saveAllMatches)
    and JSONPostProcessor (handleListResult/handleSingleResult): with a match number below 0 every match goes
    into name_1..name_N and their count into name_matchNr, and the name itself keeps the default at most; the
    Regex Extractor also sets name_N_gK (group K of match N), and with one match name_gK. Each of these the
    plan references becomes an extraction of its own (the same expression, that match and group); counts, a
    random match's groups and the default left in the name are reported (JMX742)."""
    ref = base.variable
    every = base.match_no < 0
    first = base.model_copy(update={"variable": f"{ref}_1", "match_no": 1, "default": ""}) if every else base
    extra: list[Extract] = []
    unset: list[str] = []
    used, numbered = _referenced(ctx)
    if every and ref in used:
        unset.append(
            f"${{{ref}}} (this extractor sets it only to its default {base.default!r})"
            if defaulted
            else f"${{{ref}}} (this extractor does not set it)"
        )
    for name in numbered.get(ref, ()):  # (sorted; each starts with ref + "_")
        m = _SUFFIX.fullmatch(name[len(ref) + 1 :])
        meaning = None if m is None else _meaning(m, family, base)
        if isinstance(meaning, str):
            unset.append(f"${{{name}}} ({meaning})")
        elif meaning is not None:
            extra.append(_nth(base, name, *meaning))
    if every:
        ctx.report(
            JMX_MATCH_ALL,
            node,
            f"match number -1: JMeter puts every match in ${{{ref}_1}}, ${{{ref}_2}}... and their number in "
            f"${{{ref}_matchNr}}; ${{{ref}}} "
            + (f"keeps at most the default {base.default!r}" if defaulted else "is not set by it"),
            action=f"the first match is extracted into ${{{ref}_1}}",
            hint=f"use ${{{ref}_1}} (or a match number of 1) where the first match is meant",
        )
    if extra:
        ctx.report(
            JMX_MORE_EXTRACTIONS,
            node,
            "the plan uses " + ", ".join(f"${{{x.variable}}}" for x in extra),
            action="each extracted on its own: "
            + ", ".join(f"{x.variable} = match {x.match_no}, group {_group_name(base, x)}" for x in extra),
        )
    if unset:
        ctx.report(
            JMX_JMETER_ONLY_VARIABLES,
            node,
            f"the plan uses {', '.join(unset)}: values only JMeter's {node.kind} gives them",
            action="nothing in the plan sets them: the requests that use them do not get JMeter's value",
            hint="replace them with extracted values, or set them as variables",
        )
    return [first, *extra]


def _meaning(m: re.Match[str], family: Family, base: Extract) -> tuple[int, int] | str | None:
    """What JMeter puts in the variable ``name_<suffix>`` (``m``: the suffix's parts): the match and group to
    extract, what it holds when no extraction can give it, or None when it is the base extraction or JMeter
    does not set it either."""
    if base.match_no < 0:
        if m["n"]:
            number = int(m["n"])
            if m["ngc"]:
                return "the number of groups" if family == "regex" else None
            if m["ng"] is not None:
                return (number, int(m["ng"])) if family == "regex" else None
            return None if number == 1 else (number, base.group)
        if m["nr"]:
            return "the number of matches"
        return "every match, concatenated" if m["all"] and family == "json" else None
    if family == "regex" and m["gc"]:
        return "the number of groups"
    if family == "regex" and m["g"] is not None:
        if base.match_no == 0:
            return "a group of the random match: another extraction would pick another match"
        return base.match_no, int(m["g"])
    if family == "json" and m["nr"] and base.match_no > 0:
        return "the number of matches"
    return None


def _nth(base: Extract, name: str, match: int, group: int) -> Extract:
    """An extraction of match ``match``, group ``group`` of ``base``'s expression into ``name``; group 0 (the
    whole match) as group 1 of the expression put in a group. JMeter gives these variables no default."""
    if base.kind != "regex" or group == 0:
        expression = f"({base.expression})" if base.kind == "regex" else base.expression
        group = 1 if base.kind == "regex" else base.group
    else:
        expression = base.expression
    return base.model_copy(
        update={"variable": name, "match_no": match, "group": group, "expression": expression, "default": ""}
    )


def _group_name(base: Extract, x: Extract) -> str:
    return "0 (whole match)" if x.kind == "regex" and x.expression != base.expression else str(x.group)
