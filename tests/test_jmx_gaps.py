"""Open items of the JMX re-audit (N5-N10 and follow-ups): ForEach over variables nothing sets, Synchronizing
Timer sizes, empty plugin schedules, forever-loop wording under a shaping timer, WebSocket reuse through Module
Controllers, Java number parsing of thread counts, unset connect timeouts. JMeter behaviour cited from the
apache/jmeter and jmeter-plugins sources in each test."""

from __future__ import annotations

import pathlib

from converter.model import Loop, Request
from tests.test_jmx_support import codes, convert, el, http, plan, requests, row, s, tg


def _each(name: str, extra: str = "") -> str:
    props = s("ForeachController.inputVal", "ids") + s("ForeachController.returnVal", "id")
    props += s("ForeachController.startIndex", "7") + s("ForeachController.endIndex", "77") + extra
    return el("ForeachController", name, props, http(f"in {name}", "/item/${id}", domain="h"))


def test_foreach_over_variables_nothing_sets_runs_zero_times(tmp_path: pathlib.Path) -> None:
    # ForeachController.next/emptyList: when ${ids_8} (loopCount + 1 after startIndex 7) is not set, the
    # controller returns null before any child runs: 0 iterations, whatever the end index says
    sc = convert(tmp_path, plan(tg(_each("each") + http("after", domain="h"))))
    assert [r.name for r in requests(sc.cases[0].steps)] == ["after"]
    assert row(sc, "each").codes == ["JMX423"]
    assert row(sc, "in each").status == "filtered"
    message = next(d for d in sc.diagnostics if d.code == "JMX423")
    assert "${ids_8}" in message.message and "0 times" in message.action


def test_foreach_over_variables_an_extractor_or_script_sets_keeps_the_loop(tmp_path: pathlib.Path) -> None:
    regex = el(
        "RegexExtractor", "re", s("RegexExtractor.refname", "ids") + s("RegexExtractor.match_number", "-1")
    )
    script = el("JSR223PostProcessor", "js", s("script", "vars.put('ids_' + i, v)"))
    for producer in (regex, script):
        sc = convert(tmp_path, plan(tg(http("list", domain="h", children=producer) + _each("each"))))
        loop = sc.cases[0].steps[-1]
        assert isinstance(loop, Loop) and loop.count == 70, producer
        assert "JMX423" not in codes(sc) and row(sc, "each").codes == ["JMX420"]
        assert isinstance(loop.steps[0], Request)
