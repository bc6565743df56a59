"""JMX conversion speed and memory, next to a plain ``lxml.etree.parse`` of the same file.

Generates plans with 500 and 5,000 HTTP samplers under nested controllers, with header managers, HTTP
defaults, assertions, extractors, timers and a CSV data set; each measurement runs in a fresh interpreter
and reports wall time and peak RSS (total, and above the interpreter-with-imports baseline).
Prints figures; asserts nothing.   Usage: python benchmarks/jmx_bench.py [N ...]
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape


def _s(name: str, value: object) -> str:
    return f'<stringProp name="{name}">{escape(str(value))}</stringProp>'


def _el(tag: str, name: str, props: str = "", children: str = "") -> str:
    return (
        f'<{tag} guiclass="{tag}Gui" testclass="{tag}" testname="{name}" enabled="true">{props}</{tag}>'
        + (f"<hashTree>{children}</hashTree>" if children else "<hashTree/>")
    )


def _sampler(n: int) -> str:
    assertion = _el(
        "ResponseAssertion",
        f"check {n}",
        f'<collectionProp name="Asserion.test_strings">{_s("1", "ok")}</collectionProp>'
        + _s("Assertion.test_field", "Assertion.response_data")
        + '<intProp name="Assertion.test_type">16</intProp>',
    )
    extractor = _el(
        "RegexExtractor",
        f"extract {n}",
        _s("RegexExtractor.refname", f"v{n}")
        + _s("RegexExtractor.regex", 'id="(\\d+)"')
        + _s("RegexExtractor.template", "$1$"),
    )
    args = (
        '<elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments">'
        f'<elementProp name="q" elementType="HTTPArgument">{_s("Argument.name", "q")}{_s("Argument.value", "${user}")}'
        "</elementProp></collectionProp></elementProp>"
    )
    props = args + _s("HTTPSampler.path", f"/item/{n}") + _s("HTTPSampler.method", "GET" if n % 2 else "POST")
    return _el("HTTPSamplerProxy", f"req {n}", props, assertion + extractor)


def generate(samplers: int) -> str:
    headers = _el(
        "HeaderManager",
        "headers",
        '<collectionProp name="HeaderManager.headers"><elementProp name="" elementType="Header">'
        f"{_s('Header.name', 'Accept')}{_s('Header.value', 'application/json')}</elementProp></collectionProp>",
    )
    defaults = (
        '<ConfigTestElement guiclass="HttpDefaultsGui" testclass="ConfigTestElement" testname="defaults" enabled="true">'
        f"{_s('HTTPSampler.domain', 'bench.example')}{_s('HTTPSampler.protocol', 'https')}</ConfigTestElement><hashTree/>"
    )
    csv = _el(
        "CSVDataSet",
        "users",
        _s("filename", "users.csv") + _s("variableNames", "user,pass") + _s("delimiter", ","),
    )
    timer = _el("ConstantTimer", "think", _s("ConstantTimer.delay", "250"))
    blocks = []
    per_block = 10
    for b in range(0, samplers, per_block):
        inner = "".join(_sampler(n) for n in range(b, min(b + per_block, samplers)))
        loop = _el("LoopController", f"loop {b}", _s("LoopController.loops", "2"), headers + inner)
        blocks.append(
            _el("TransactionController", f"tx {b}", "", timer + _el("GenericController", f"g {b}", "", loop))
        )
    group = _el(
        "ThreadGroup",
        "group",
        _s("ThreadGroup.num_threads", "50") + _s("ThreadGroup.ramp_time", "60"),
        headers + "".join(blocks),
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3"><hashTree>'
        '<TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="bench" enabled="true"/>'
        f"<hashTree>{defaults}{csv}{group}</hashTree></hashTree></jmeterTestPlan>"
    )


_CHILD = """
import json, resource, sys, time, pathlib
mode, path = sys.argv[1], pathlib.Path(sys.argv[2])
from lxml import etree
if mode != "plain":
    from converter.convert import convert_jmx
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
if mode == "plain":
    etree.parse(str(path))
elif mode == "convert":  # the whole conversion: parse, emit the plan, serialise it
    convert_jmx(path).plan.to_json()
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"s": elapsed, "peak_kb": peak, "base_kb": base}))
"""


def measure(mode: str, path: pathlib.Path) -> dict[str, float]:
    runs = [
        json.loads(subprocess.check_output([sys.executable, "-c", _CHILD, mode, str(path)], text=True))
        for _ in range(3)
    ]
    return min(runs, key=lambda r: r["s"])


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        (folder / "users.csv").write_text("".join(f"user{n},pw{n}\n" for n in range(100)))
        print(f"{'samplers':>8} {'MB':>6} | {'parse s':>8} {'conv s':>8} {'ratio':>6} | "
              f"{'parse MB':>9} {'conv MB':>8} {'ratio':>6} (peak RSS above imports)")  # fmt: skip
        for n in sizes:
            path = folder / f"bench_{n}.jmx"
            path.write_text(generate(n))
            plain, conv = measure("plain", path), measure("convert", path)
            plain_mb = max(plain["peak_kb"] - plain["base_kb"], 1) / 1024
            conv_mb = max(conv["peak_kb"] - conv["base_kb"], 1) / 1024
            print(
                f"{n:>8} {path.stat().st_size / 1e6:>6.1f} | {plain['s']:>8.3f} {conv['s']:>8.3f} "
                f"{conv['s'] / plain['s']:>6.1f} | {plain_mb:>9.1f} {conv_mb:>8.1f} {conv_mb / plain_mb:>6.1f}"
                f"   (total peak RSS: parse {plain['peak_kb'] / 1024:.0f} MB, convert {conv['peak_kb'] / 1024:.0f} MB)"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 5000])
