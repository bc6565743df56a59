"""Open items of the JMX re-audit (N5-N10 and follow-ups): ForEach over variables nothing sets, Synchronizing
Timer sizes, empty plugin schedules, forever-loop wording under a shaping timer, WebSocket reuse through Module
Controllers, Java number parsing of thread counts, unset connect timeouts. JMeter behaviour cited from the
apache/jmeter and jmeter-plugins sources in each test."""

from __future__ import annotations

import pathlib

from converter.emit.perftest import emit_plan
from converter.model import Loop, Rendezvous, Request, Scenario
from converter.parsers.jmx.props import java_int
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
    jmes = el(
        "JMESPathExtractor",
        "jmes",
        s("JMESExtractor.referenceName", "ids") + s("JMESExtractor.matchNumber", "-1"),
    )
    for producer in (regex, script, jmes):
        sc = convert(tmp_path, plan(tg(http("list", domain="h", children=producer) + _each("each"))))
        loop = sc.cases[0].steps[-1]
        assert isinstance(loop, Loop) and loop.count == 70, producer
        assert "JMX423" not in codes(sc) and row(sc, "each").codes == ["JMX420"]
        assert isinstance(loop.steps[0], Request)


def _sync(size: str = "0") -> str:
    return el("SyncTimer", "sync", s("groupSize", size) + s("timeoutInMs", "0"))


def _rendezvous(sc: Scenario) -> list[Rendezvous]:
    return [step for step in sc.cases[0].steps if isinstance(step, Rendezvous)]


def _utg(body: str, *rows: tuple[object, ...]) -> str:
    table = "".join(
        '<collectionProp name="r">' + "".join(s(str(i), v) for i, v in enumerate(row)) + "</collectionProp>"
        for row in rows
    )
    prop = f'<collectionProp name="ultimatethreadgroupdata">{table}</collectionProp>'
    return el("kg.apc.jmeter.threads.UltimateThreadGroup", "utg", prop, body)


def test_sync_timer_group_size_0_waits_for_the_groups_configured_threads(tmp_path: pathlib.Path) -> None:
    # SyncTimer.threadStarted: group size 0 -> getThreadGroup().getNumThreads(); UltimateThreadGroup sums every
    # row's threads (kg.apc UltimateThreadGroup.getNumThreads), AbstractThreadGroup reads num_threads
    body = _sync() + http("a", domain="h")
    utg = convert(tmp_path, plan(_utg(body, (10, 0, 0, 60, 0), (10, 100, 0, 60, 0))))
    assert [r.count for r in _rendezvous(utg)] == [20]
    warning = next(d for d in utg.diagnostics if d.code == "JMX523")
    assert "20 users" in warning.message and "at most 10" in warning.message
    duration = s("ThreadGroup.duration", "60") + '<boolProp name="ThreadGroup.scheduler">true</boolProp>'
    short = convert(tmp_path, plan(tg(body, threads="10", ramp="100", extra=duration)))
    assert max(st.users for st in short.cases[0].load.stages) == 6  # only 6 threads start before 60 s
    assert [r.count for r in _rendezvous(short)] == [10] and "JMX523" in codes(short)
    plain = convert(tmp_path, plan(tg(body, threads="5")))
    assert [r.count for r in _rendezvous(plain)] == [5] and "JMX523" not in codes(plain)
    over = convert(tmp_path, plan(tg(_sync("20") + http("a", domain="h"), threads="5")))
    assert [r.count for r in _rendezvous(over)] == [20] and "JMX523" in codes(over)


def test_sync_timer_group_size_0_in_plugin_groups(tmp_path: pathlib.Path) -> None:
    # ConcurrencyThreadGroup.getNumThreads: the target level; ArrivalsThreadGroup.getNumThreads: threads.size()
    # when the first thread starts (1), so the barrier never holds (a rendezvous of 1); OpenModelThreadGroup:
    # no num_threads, 0, and new CyclicBarrier(0) throws
    body = _sync() + http("a", domain="h")
    kind = "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup"
    conc = convert(tmp_path, plan(el(kind, "c", s("TargetLevel", "8") + s("Hold", "60"), body)))
    assert [r.count for r in _rendezvous(conc)] == [8]
    kind = "com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup"
    arrivals = convert(tmp_path, plan(el(kind, "a", s("TargetLevel", "5") + s("Hold", "60"), body)))
    assert [r.count for r in _rendezvous(arrivals)] == [1]
    schedule = s("OpenModelThreadGroup.schedule", "rate(5/s) random_arrivals(60 s)")
    open_model = convert(tmp_path, plan(el("OpenModelThreadGroup", "o", schedule, body)))
    assert _rendezvous(open_model) == [] and "JMX525" in codes(open_model)


def test_an_ultimate_schedule_of_zero_length_rows_is_a_zero_second_load(tmp_path: pathlib.Path) -> None:
    # kg.apc UltimateThreadGroup.scheduleThread: row (5, 0, 0, 0, 0) starts 5 threads whose end time is their
    # start time: JMeter's load lasts 0 s. It used to become 1 user for 60 s.
    sc = convert(tmp_path, plan(_utg(http("a", domain="h"), (5, 0, 0, 0, 0))))
    assert [(st.users, st.ramp_s, st.hold_s) for st in sc.cases[0].load.stages] == [(5, 0, 0)]
    note = next(d for d in sc.diagnostics if d.code == "JMX204")
    assert "0 s" in note.action and "60" not in note.action
    assert "PT022" in [d.code for d in emit_plan(sc).plan.diagnostics]  # the emitter says what it emits
    # a cell that is not a number is 0 (getIntValue), as JMeter reads it (JMX902): a row of 0 threads
    unreadable = convert(tmp_path, plan(_utg(http("a", domain="h"), ("x", 0, 0, 0, 0))))
    assert [(st.users, st.hold_s) for st in unreadable.cases[0].load.stages] == [(1, 0)]
    assert "row 1 threads 'x' is not a number" in [d.message for d in unreadable.diagnostics]


def test_a_forever_group_paced_by_a_shaping_timer_is_not_said_to_hold_600_s(tmp_path: pathlib.Path) -> None:
    # the VariableThroughputTimer stops the test at the end of its schedule (30 s here): JMX201's "hold 600 s"
    # was false; a group that loops forever without a schedule still gets it
    rows = '<collectionProp name="r">' + s("0", "5") + s("1", "5") + s("2", "30") + "</collectionProp>"
    kind = "kg.apc.jmeter.timers.VariableThroughputTimer"
    shaping = el(kind, "shape", f'<collectionProp name="load_profile">{rows}</collectionProp>')
    paced = convert(tmp_path, plan(tg(http("a", domain="h") + shaping, threads="5", loops="-1")))
    assert [(st.users, st.hold_s, st.tps) for st in paced.cases[0].load.stages] == [(5, 30, 5)]
    assert "JMX201" not in codes(paced)
    plain = convert(tmp_path, plan(tg(http("a", domain="h"), threads="5", loops="-1")))
    assert "JMX201" in codes(plain)


_WS = "eu.luminis.jmeter.wssampler."


def _ws(kind: str, name: str, server: str = "", new: bool = False) -> str:
    props = (
        s("server", server) + s("port", "80") + s("path", "/chat" if server else "") + s("requestData", "hi")
    )
    return el(_WS + kind, name, props + f'<boolProp name="createNewConnection">{str(new).lower()}</boolProp>')


def test_websocket_reuse_follows_the_execution_path_and_a_close(tmp_path: pathlib.Path) -> None:
    # Luminis samplers keep one connection per thread: a reuse sampler in a Test Fragment run by a Module
    # Controller uses the connection its thread opened before (JMX124), per thread group; after a Close
    # sampler there is none, and JMeter's sample fails without sending (JMX127)
    fragment = el("TestFragmentController", "frag", "", el("GenericController", "shared", "", _ws(
        "RequestResponseWebSocketSampler", "reuse")))  # fmt: skip
    path = '<collectionProp name="ModuleController.node_path">'
    path += s("1", "Test Plan") + s("2", "Plan") + s("3", "frag") + s("4", "shared") + "</collectionProp>"
    module = el("ModuleController", "use", path)
    first = tg(
        _ws("OpenWebSocketSampler", "open", "ws.example") + module + _ws("CloseWebSocketSampler", "close")
        + _ws("RequestResponseWebSocketSampler", "after close"),
        name="tg",
    )  # fmt: skip
    second = tg(_ws("OpenWebSocketSampler", "open b", "other.example") + module, name="tg-b")
    sc = convert(tmp_path, plan(fragment + first + second))
    one, two = ([(r.name, r.method, r.url) for r in requests(case.steps)] for case in sc.cases)
    assert one == [
        ("open", "OPEN", "ws://ws.example/chat"),
        ("reuse", "SEND", "ws://ws.example/chat"),
        ("close", "CLOSE", "ws://ws.example/chat"),
    ]
    assert two == [
        ("open b", "OPEN", "ws://other.example/chat"),
        ("reuse", "SEND", "ws://other.example/chat"),
    ]
    reuse = [d.message for d in sc.diagnostics if d.code == "JMX124"]
    assert not any("no earlier sampler" in m for m in reuse)
    closed = next(d for d in sc.diagnostics if d.code == "JMX127")
    assert closed.location is not None and closed.location.name == "after close"
    assert "ws://ws.example/chat" in closed.message


def test_a_number_of_threads_java_cannot_parse_starts_no_thread(tmp_path: pathlib.Path) -> None:
    # AbstractThreadGroup.getNumThreads = getPropertyAsInt(num_threads); AbstractProperty.getIntValue returns 0
    # on a NumberFormatException ("10.0", " 10"); a variable or __P holding digits is fine
    for text in ("10.0", " 10", "1e1"):
        sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads=text)))
        assert {st.users for st in sc.cases[0].load.stages} == {0}, text
        assert row(sc, "TG").codes == ["JMX223"]
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="${__P(users,10)}")))
    assert {st.users for st in sc.cases[0].load.stages} == {10} and "JMX223" not in codes(sc)


def test_an_unset_connect_timeout_is_said_once(tmp_path: pathlib.Path) -> None:
    # HTTPHC4Impl sets the connect timeout only when getConnectTimeout() > 0: unset, JMeter waits as long as
    # the socket does; PerfTest applies its default, and the report says so once per plan
    timed = s("HTTPSampler.connect_timeout", "2000")
    sc = convert(
        tmp_path, plan(tg(http("a", domain="h") + http("b", domain="h") + http("c", domain="h", extra=timed)))
    )
    notes = [d for d in sc.diagnostics if d.code == "JMX128"]
    assert len(notes) == 1 and notes[0].location is None and "default connect timeout" in notes[0].action
    assert [r.connect_timeout_ms for r in requests(sc.cases[0].steps)] == [None, None, 2000]
    timed_only = convert(tmp_path, plan(tg(http("c", domain="h", extra=timed))))
    assert "JMX128" not in codes(timed_only)


def test_only_a_lower_case_scheme_makes_the_path_a_whole_url(tmp_path: pathlib.Path) -> None:
    # HTTPSamplerBase.getUrl: path.startsWith("http://") || path.startsWith("https://"), case-sensitive
    body = http("upper", "HTTP://x.example/c", domain="h") + http("lower", "http://x.example/c", domain="h")
    sc = convert(tmp_path, plan(tg(body)))
    assert [r.url for r in requests(sc.cases[0].steps)] == [
        "http://h/HTTP://x.example/c",
        "http://x.example/c",
    ]
    assert row(sc, "upper").codes == ["JMX129"] and row(sc, "lower").codes == []


def test_java_number_parsing_is_one_helper_with_javas_rules() -> None:
    # Integer.parseInt / Long.parseLong: a sign and Unicode decimal digits (Character.digit), in range
    assert [java_int(t) for t in ("+8080", "-1", "080", "\u0668\u0660", "2147483647")] == [
        8080,
        -1,
        80,
        80,
        2**31 - 1,
    ]
    assert [java_int(t) for t in ("2147483648", " 10", "10.0", "1e3", "1_000", "\u00b2", "+", "")] == [
        None
    ] * 8
    assert java_int("2147483648", 64) == 2**31 and java_int("9223372036854775808", 64) is None


def test_ports_are_read_as_getportifspecified_does(tmp_path: pathlib.Path) -> None:
    # HTTPSamplerBase.getPortIfSpecified = getPropertyAsInt(port, 0): "+8080" is 8080; "-1", "0" and what
    # Integer.parseInt refuses ("\u00b2", which used to crash the reader) are the protocol's default port
    urls = []
    for port in ("+8080", "-1", "0", "\u00b2", "8080.0"):
        sc = convert(tmp_path, plan(tg(http("a", "/p", domain="h", extra=s("HTTPSampler.port", port)))))
        urls.append(requests(sc.cases[0].steps)[0].url)
    assert urls == ["http://h:8080/p"] + ["http://h/p"] * 4


def test_sync_timer_group_size_0_with_a_thread_count_java_reads_as_0(tmp_path: pathlib.Path) -> None:
    # "10.0" threads: getNumThreads() is 0, new CyclicBarrier(0) throws: no rendezvous (JMX525); so does an
    # unset number of threads (getNumThreads of a missing property is 0 too: the case has 0 users, JMX226)
    body = _sync() + http("a", domain="h")
    bad = convert(tmp_path, plan(tg(body, threads="10.0")))
    assert _rendezvous(bad) == [] and {"JMX223", "JMX525"} <= codes(bad)
    unset = el("ThreadGroup", "TG", "", body)
    sc = convert(tmp_path, plan(unset))
    assert _rendezvous(sc) == [] and {"JMX226", "JMX525"} <= codes(sc)
