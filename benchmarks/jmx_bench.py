"""JMX conversion speed and memory, next to a plain ``lxml.etree.parse`` of the same file.

Generates plans with 500 and 5,000 HTTP samplers shaped the way JMeter 5.6 saves them: pretty-printed with
two spaces per level, and every element with the full property set the GUI writes (an HTTP Request with
domain, port, protocol, encoding, path, method, redirect/keep-alive/multipart flags, embedded-URL pattern,
timeouts and its HTTPArgument parameters; Response Assertions with message, field, 'ignore status' and test
type; Regular Expression Extractors with every field). The samplers sit ten by ten under Transaction >
Simple > Loop Controllers, with a Constant Timer per transaction, Header Managers at three levels (thread
group, loop, and one per POST sampler), HTTP Request Defaults and a CSV Data Set. One sampler in four POSTs
a raw JSON body; the others GET with query parameters. 5,000 samplers make about 20 MB.

Each measurement runs in a fresh interpreter and reports wall time and peak RSS (total, and above the
interpreter-with-imports baseline), and the ratio of the CPU times (least of three runs each), which moves less
than the wall time on a busy machine. Prints figures; asserts nothing.   Usage: python benchmarks/jmx_bench.py [N ...]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
from collections.abc import Callable
from xml.sax.saxutils import escape

_INDENT = "  "  # JMeter's SaveService (XStream) indents two spaces per level


def _java_hash(text: str) -> int:
    """Java's ``String.hashCode``: JMeter names Response Assertion pattern props by it."""
    h = 0
    for ch in text:
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


class _Xml:
    """Lines of a pretty-printed JMX, the way JMeter 5.6 writes them."""

    def __init__(self) -> None:
        self.lines: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
        self.depth = 0

    def line(self, text: str) -> None:
        self.lines.append(_INDENT * self.depth + text)

    def open(self, tag: str, attrs: str = "") -> None:
        self.line(f"<{tag}{attrs}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.line(f"</{tag}>")

    def prop(self, kind: str, name: str, value: object = "") -> None:
        if isinstance(value, bool):
            value = "true" if value else "false"
        self.line(f'<{kind} name="{escape(name, _ATTR)}">{escape(str(value), _TEXT)}</{kind}>')

    def s(self, name: str, value: object = "") -> None:
        self.prop("stringProp", name, value)

    def b(self, name: str, value: bool) -> None:
        self.prop("boolProp", name, value)

    def i(self, name: str, value: int) -> None:
        self.prop("intProp", name, value)

    def element(self, tag: str, gui: str, name: str, body: Callable[[], None] | None = None) -> None:
        """A test element: ``<tag ...>props</tag>`` (the caller writes the ``<hashTree>`` that follows)."""
        attrs = f' guiclass="{gui}" testclass="{tag}" testname="{escape(name, _ATTR)}" enabled="true"'
        if body is None:
            self.line(f"<{tag}{attrs}/>")
            return
        self.open(tag, attrs)
        body()
        self.close(tag)

    def leaf(self, tag: str, gui: str, name: str, body: Callable[[], None] | None = None) -> None:
        """A test element with nothing below it: followed by ``<hashTree/>``."""
        self.element(tag, gui, name, body)
        self.line("<hashTree/>")

    def arguments(self, args: list[tuple[str, str]], *, http: bool) -> None:
        kind = "HTTPArgument" if http else "Argument"
        if not args:
            self.line(
                '<elementProp name="HTTPsampler.Arguments" elementType="Arguments" guiclass="HTTPArgumentsPanel" '
                'testclass="Arguments" testname="User Defined Variables" enabled="true">'
            )
            self.depth += 1
            self.line('<collectionProp name="Arguments.arguments"/>')
            self.close("elementProp")
            return
        self.open("elementProp", ' name="HTTPsampler.Arguments" elementType="Arguments"')
        self.open("collectionProp", ' name="Arguments.arguments"')
        for name, value in args:
            self.open("elementProp", f' name="{escape(name, _ATTR)}" elementType="{kind}"')
            if http:
                self.b("HTTPArgument.always_encode", bool(name) and not value.startswith("${"))
            if name:
                self.s("Argument.name", name)
            self.s("Argument.value", value)
            self.s("Argument.metadata", "=")
            if http and name:
                self.b("HTTPArgument.use_equals", True)
            self.close("elementProp")
        self.close("collectionProp")
        self.close("elementProp")


_ATTR = {'"': "&quot;"}
_TEXT = {'"': "&quot;", "\r": "&#xd;"}  # as JMeter writes text
_HEADERS = [
    ("Accept", "application/json, text/plain, */*"),
    ("Accept-Language", "en-US,en;q=0.9"),
    ("Accept-Encoding", "gzip, deflate, br"),
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
]


def _header_manager(x: _Xml, name: str, headers: list[tuple[str, str]]) -> None:
    def body() -> None:
        x.open("collectionProp", ' name="HeaderManager.headers"')
        for key, value in headers:
            x.open("elementProp", ' name="" elementType="Header"')
            x.s("Header.name", key)
            x.s("Header.value", value)
            x.close("elementProp")
        x.close("collectionProp")

    x.leaf("HeaderManager", "HeaderPanel", name, body)


def _sampler(x: _Xml, n: int) -> None:
    """One recorded-style HTTP Request: every property JMeter 5.6 saves, its own Header Manager, a Response
    Assertion and a Regular Expression Extractor below it. Every fourth one POSTs a raw JSON body to its own
    host; the others GET with query parameters from the HTTP Request Defaults' host."""
    post = n % 4 == 3
    if post:
        lines = ["{", f'  "id": ${{v{max(n - 1, 0)}}},', '  "user": "${user}",']
        lines += [f'  "items": [{n}, {n + 1}, {n + 2}],', f'  "comment": "order number {n}"', "}"]
        body = "\r\n".join(lines)  # the GUI's body editor saves CR LF line ends
        args = [("", body)]
    else:
        args = [("q", "${user}"), ("page", str(n % 7 + 1))]

    def props() -> None:
        if post:
            x.b("HTTPSampler.postBodyRaw", True)
        x.arguments(args, http=True)
        x.s("HTTPSampler.domain", "api.bench.example" if post else "")
        x.s("HTTPSampler.port", "8443" if post else "")
        x.s("HTTPSampler.protocol", "https" if post else "")
        x.s("HTTPSampler.contentEncoding", "UTF-8" if post else "")
        x.s("HTTPSampler.path", f"/api/v1/orders/{n}/items" if post else f"/catalog/item/{n}")
        x.s("HTTPSampler.method", "POST" if post else "GET")
        x.b("HTTPSampler.follow_redirects", True)
        x.b("HTTPSampler.auto_redirects", False)
        x.b("HTTPSampler.use_keepalive", True)
        x.b("HTTPSampler.DO_MULTIPART_POST", False)
        x.s("HTTPSampler.embedded_url_re")
        x.s("HTTPSampler.connect_timeout", "5000")
        x.s("HTTPSampler.response_timeout", "30000")

    def assertion() -> None:
        x.open("collectionProp", ' name="Asserion.test_strings"')
        for text in ("200",) if post else ('"id":', "in_stock"):
            x.s(str(_java_hash(text)), text)
        x.close("collectionProp")
        x.s("Assertion.custom_message")
        x.s("Assertion.test_field", "Assertion.response_code" if post else "Assertion.response_data")
        x.b("Assertion.assume_success", False)
        x.i("Assertion.test_type", 8 if post else 16 | 32 if n % 3 else 2)

    def extractor() -> None:
        x.s("RegexExtractor.useHeaders", "false")
        x.s("RegexExtractor.refname", f"v{n}")
        x.s("RegexExtractor.regex", '"id":\\s*(\\d+)')
        x.s("RegexExtractor.template", "$1$")
        x.s("RegexExtractor.default", "NOT_FOUND")
        x.s("RegexExtractor.match_number", "1")

    x.element("HTTPSamplerProxy", "HttpTestSampleGui", f"{'POST' if post else 'GET'} item {n}", props)
    x.open("hashTree")
    if post:
        _header_manager(x, "HTTP Header Manager", [("Content-Type", "application/json")])
    x.leaf("ResponseAssertion", "AssertionGui", f"Response Assertion {n}", assertion)
    x.leaf("RegexExtractor", "RegexExtractorGui", f"Extract id {n}", extractor)
    x.close("hashTree")


def generate(samplers: int) -> str:
    """A JMeter 5.6 plan: Test Plan > (HTTP Request Defaults, CSV Data Set, Thread Group > (Header Manager,
    per ten samplers: Transaction Controller > (Constant Timer, Simple Controller > Loop Controller >
    (Header Manager, ten samplers))))."""
    x = _Xml()
    x.open("jmeterTestPlan", ' version="1.2" properties="5.0" jmeter="5.6.3"')
    x.open("hashTree")

    def plan() -> None:
        x.b("TestPlan.functional_mode", False)
        x.b("TestPlan.tearDown_on_shutdown", True)
        x.b("TestPlan.serialize_threadgroups", False)
        x.line(
            '<elementProp name="TestPlan.user_defined_variables" elementType="Arguments" guiclass="ArgumentsPanel" '
            'testclass="Arguments" testname="User Defined Variables" enabled="true">'
        )
        x.depth += 1
        x.line('<collectionProp name="Arguments.arguments"/>')
        x.close("elementProp")
        x.s("TestPlan.user_define_classpath")

    x.element("TestPlan", "TestPlanGui", "bench", plan)
    x.open("hashTree")

    def defaults() -> None:
        x.arguments([], http=True)
        for key, value in (("domain", "bench.example"), ("port", ""), ("protocol", "https")):
            x.s(f"HTTPSampler.{key}", value)
        for key in ("contentEncoding", "path", "concurrentPool", "connect_timeout", "response_timeout"):
            x.s(f"HTTPSampler.{key}", "6" if key == "concurrentPool" else "")

    x.element("ConfigTestElement", "HttpDefaultsGui", "HTTP Request Defaults", defaults)
    x.line("<hashTree/>")

    def csv() -> None:
        x.s("delimiter", ",")
        x.s("fileEncoding", "UTF-8")
        x.s("filename", "users.csv")
        x.b("ignoreFirstLine", False)
        x.b("quotedData", False)
        x.b("recycle", True)
        x.s("shareMode", "shareMode.all")
        x.b("stopThread", False)
        x.s("variableNames", "user,pass")

    x.leaf("CSVDataSet", "TestBeanGUI", "CSV Data Set Config", csv)

    def group() -> None:
        x.s("ThreadGroup.on_sample_error", "continue")
        x.line(
            '<elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" '
            'testclass="LoopController" testname="Loop Controller" enabled="true">'
        )
        x.depth += 1
        x.b("LoopController.continue_forever", False)
        x.s("LoopController.loops", "-1")
        x.close("elementProp")
        x.s("ThreadGroup.num_threads", "50")
        x.s("ThreadGroup.ramp_time", "60")
        x.b("ThreadGroup.scheduler", True)
        x.s("ThreadGroup.duration", "600")
        x.s("ThreadGroup.delay", "")
        x.b("ThreadGroup.same_user_on_next_iteration", True)

    x.element("ThreadGroup", "ThreadGroupGui", "group", group)
    x.open("hashTree")
    _header_manager(x, "Common headers", [("X-Client", "bench")])
    per_block = 10
    for b in range(0, samplers, per_block):

        def tx() -> None:
            x.b("TransactionController.includeTimers", False)
            x.b("TransactionController.parent", False)

        def loop() -> None:
            x.b("LoopController.continue_forever", True)
            x.s("LoopController.loops", "2")

        x.element("TransactionController", "TransactionControllerGui", f"tx {b}", tx)
        x.open("hashTree")
        x.leaf("ConstantTimer", "ConstantTimerGui", "Think time", lambda: x.s("ConstantTimer.delay", "250"))
        x.element("GenericController", "LogicControllerGui", f"group {b}")
        x.open("hashTree")
        x.element("LoopController", "LoopControlPanel", f"loop {b}", loop)
        x.open("hashTree")
        _header_manager(x, "HTTP Header Manager", _HEADERS)
        for n in range(b, min(b + per_block, samplers)):
            _sampler(x, n)
        x.close("hashTree")
        x.close("hashTree")
        x.close("hashTree")
    x.close("hashTree")  # thread group
    x.close("hashTree")  # test plan
    x.close("hashTree")
    x.close("jmeterTestPlan")
    return "\n".join(x.lines) + "\n"


# Peak RSS is the process's own high-water mark (VmHWM). Not ru_maxrss: Linux carries that across exec, so a
# child would report at least its parent's peak (this script holds the generated file) as its "baseline".
_CHILD = """
import json, resource, sys, time, pathlib
def peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
mode, path = sys.argv[1], pathlib.Path(sys.argv[2])
from lxml import etree
if mode != "plain":
    from converter.convert import convert_jmx
base = peak_kb()
t = time.perf_counter()
cpu = time.thread_time()
if mode == "plain":
    etree.parse(str(path))
elif mode == "convert":  # the whole conversion: parse, emit the plan, serialise it
    convert_jmx(path).plan.to_json()
elapsed = time.perf_counter() - t
cpu = time.thread_time() - cpu
print(json.dumps({"s": elapsed, "cpu": cpu, "peak_kb": peak_kb(), "base_kb": base}))
"""


# The children measure the converter of this checkout, whatever the working directory or the installed copy.
ROOT = pathlib.Path(__file__).resolve().parent.parent
CHILD_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
}


def measure(mode: str, path: pathlib.Path) -> dict[str, float]:
    runs = [
        json.loads(
            subprocess.check_output([sys.executable, "-c", _CHILD, mode, str(path)], text=True, env=CHILD_ENV)
        )
        for _ in range(3)
    ]
    best = min(runs, key=lambda r: r["s"])
    return {
        **best,
        "cpu": min(r["cpu"] for r in runs),
    }  # CPU time moves less than wall time on a busy machine


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        (folder / "users.csv").write_text("".join(f"user{n},pw{n}\n" for n in range(100)))
        print(f"{'samplers':>8} {'MB':>6} | {'parse s':>8} {'conv s':>8} {'ratio':>6} | "
              f"{'parse MB':>9} {'conv MB':>8} {'ratio':>6} | {'cpu ratio':>9} (peak RSS above imports)")  # fmt: skip
        for n in sizes:
            path = folder / f"bench_{n}.jmx"
            path.write_text(generate(n))
            plain, conv = measure("plain", path), measure("convert", path)
            plain_mb = max(plain["peak_kb"] - plain["base_kb"], 1) / 1024
            conv_mb = max(conv["peak_kb"] - conv["base_kb"], 1) / 1024
            print(
                f"{n:>8} {path.stat().st_size / 1e6:>6.1f} | {plain['s']:>8.3f} {conv['s']:>8.3f} "
                f"{conv['s'] / plain['s']:>6.1f} | {plain_mb:>9.1f} {conv_mb:>8.1f} {conv_mb / plain_mb:>6.1f} | "
                f"{conv['cpu'] / plain['cpu']:>9.1f}   (total peak RSS: parse {plain['peak_kb'] / 1024:.0f} MB, convert {conv['peak_kb'] / 1024:.0f} MB)"
            )


def _size(text: str) -> int:
    """A size on the command line: a positive whole number."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cli.add_argument(
        "sizes",
        nargs="*",
        type=_size,
        metavar="N",
        help="numbers of samplers (default: %(default)s)",
        default=[500, 5000],
    )
    main(cli.parse_args().sizes)
