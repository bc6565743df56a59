"""Numeric settings read as JMeter reads them (AbstractProperty.getIntValue/getLongValue: Integer.parseInt /
Long.parseLong, 0 when unset, empty or not a Java integer; LoopController.getLoops and endOfLoop; the
number of threads of a hand-written plan), grouped sampler warnings, wording, TPS rounding and the
rendezvous timeout convention. JMeter behaviour cited from the apache/jmeter sources in each test."""

from __future__ import annotations

import pathlib

import pytest

from converter.model import Loop, Rendezvous, Scenario, Stage
from tests.test_jmx_support import b, codes, convert, el, http, plan, row, s, tg

SCHED = b("ThreadGroup.scheduler", True)


def _stage(sc: Scenario) -> list[Stage]:
    return list(sc.cases[0].load.stages)


def _diag(sc: Scenario, code: str) -> list[str]:
    return [f"{d.message} | {d.action}" for d in sc.diagnostics if d.code == code]


@pytest.mark.parametrize("text", ["10.0", " 10", "10 ", "1e1", "3000000000"])
def test_ramp_up_that_is_not_a_java_int_is_read_as_0(tmp_path: pathlib.Path, text: str) -> None:
    # ThreadGroup.getRampUp: getPropertyAsInt -> Integer.parseInt, 0 on NumberFormatException (no trimming,
    # no decimal point, no exponent, 32-bit range)
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="4", ramp=text)))
    assert _stage(sc) == [Stage(users=4, ramp_s=0, iterations=1)]
    [message] = _diag(sc, "JMX224")
    assert (
        f"ramp-up {text!r}" in message and "JMeter reads it as 0" in message and "Integer.parseInt" in message
    )
    assert row(sc, "TG").codes == ["JMX224"]


def test_signed_and_plain_java_ints_are_read_without_a_diagnostic(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="+4", ramp="+8")))
    assert _stage(sc) == [Stage(users=4, ramp_s=8, iterations=1)]
    assert "JMX224" not in codes(sc) and "JMX902" not in codes(sc)


def test_duration_and_delay_are_read_as_java_longs(tmp_path: pathlib.Path) -> None:
    # ThreadGroup.getDuration/getDelay: getPropertyAsLong (Long.parseLong): a value beyond int is fine,
    # "60.0" is 0, and the scheduler then has no duration
    forever = "-1"
    long_ok = convert(
        tmp_path,
        plan(tg(http("a", domain="h"), threads="2", loops=forever,
                extra=SCHED + s("ThreadGroup.duration", "3000000000") + s("ThreadGroup.delay", "5"))),
    )  # fmt: skip
    assert _stage(long_ok) == [Stage(users=2, ramp_s=0, hold_s=3_000_000_000)]
    assert long_ok.cases[0].load.delay_s == 5 and "JMX224" not in codes(long_ok)
    decimal = convert(
        tmp_path,
        plan(tg(http("a", domain="h"), threads="2", loops=forever,
                extra=SCHED + s("ThreadGroup.duration", "60.0") + s("ThreadGroup.delay", " 5"))),
    )  # fmt: skip
    messages = _diag(decimal, "JMX224")
    assert len(messages) == 2 and all("Long.parseLong" in m for m in messages)
    assert any("duration '60.0'" in m and "not 60" in m for m in messages)
    assert any("startup delay ' 5'" in m for m in messages)
    assert decimal.cases[0].load.delay_s == 0
    # no duration left: ThreadGroup.scheduleThread throws "Invalid duration 0" and the group starts no thread
    assert "JMX240" in codes(decimal) and _stage(decimal)[0].users == 0


def test_value_known_only_at_run_time_is_read_as_before(tmp_path: pathlib.Path) -> None:
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="3", ramp="${__P(ramp,7)}")))
    assert _stage(sc)[0].ramp_s == 7 and "JMX224" not in codes(sc)


@pytest.mark.parametrize("loops", ["0", "1.0", " 2"])
def test_thread_group_loop_count_read_as_0_runs_nothing(tmp_path: pathlib.Path, loops: str) -> None:
    # LoopController.getLoops -> 0 (NumberFormatException -> 0); endOfLoop(): loops > -1 && loopCount >= loops
    # is true before the first sampler, and the thread group's controller is done: no request at all
    sc = convert(tmp_path, plan(tg(http("a", domain="h"), threads="5", loops=loops)))
    assert _stage(sc) == [Stage(users=0, ramp_s=0, iterations=1)]
    assert "loop count 0" in _diag(sc, "JMX225")[0] and "0 users" in _diag(sc, "JMX225")[0]
    assert ("JMX224" in codes(sc)) == (loops != "0")


def test_thread_group_without_a_loop_count_runs_nothing(tmp_path: pathlib.Path) -> None:
    # LoopControllerSchema: loops has no default, so an unset property reads as 0
    xml = plan(tg(http("a", domain="h"), threads="5")).replace(s("LoopController.loops", "1"), "")
    sc = convert(tmp_path, xml)
    assert _stage(sc) == [Stage(users=0, ramp_s=0, iterations=1)] and "JMX225" in codes(sc)


def test_loop_controller_count_read_as_java_int(tmp_path: pathlib.Path) -> None:
    def loop(name: str, count: str | None) -> str:
        props = b("LoopController.continue_forever", True)
        props += s("LoopController.loops", count) if count is not None else ""
        return el("LoopController", name, props, http(f"in {name}", domain="h"), guiclass="LoopControlPanel")

    sc = convert(tmp_path, plan(tg(loop("dec", "3.0") + loop("unset", None) + loop("three", "+3"))))
    counts = {step.name: step.count for step in sc.cases[0].steps if isinstance(step, Loop)}
    assert counts == {"dec": 0, "unset": 0, "three": 3}
    assert row(sc, "dec").codes == ["JMX224", "JMX225"] and row(sc, "unset").codes == ["JMX225"]
    assert row(sc, "three").codes == []


@pytest.mark.parametrize("threads", [None, "", "  "])
def test_unset_or_blank_number_of_threads_is_0_users(tmp_path: pathlib.Path, threads: str | None) -> None:
    # AbstractThreadGroupSchema: numThreads = int("ThreadGroup.num_threads") with no default: getNumThreads
    # of a missing (or blank) property is 0, and ThreadGroup.start starts no thread
    xml = plan(tg(http("a", domain="h"), threads="1" if threads is None else threads))
    if threads is None:
        xml = xml.replace(s("ThreadGroup.num_threads", "1"), "")
    sc = convert(tmp_path, xml)
    assert [st.users for st in _stage(sc)] == [0]
    [message] = _diag(sc, "JMX226")
    assert ("not set" if threads is None else "blank") in message and "0 users" in message


def test_sync_timer_sizes_read_as_testbean_ints(tmp_path: pathlib.Path) -> None:
    # SyncTimer is a TestBean: groupSize (int) and timeoutInMs (long) are set through Converter.getInt/getLong
    # (Integer.parseInt/Long.parseLong, 0 on NumberFormatException)
    sync = el("SyncTimer", "sync", s("groupSize", "5.0") + s("timeoutInMs", "2000"))
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=sync), threads="3")))
    [point] = [st for st in sc.cases[0].steps if isinstance(st, Rendezvous)]
    assert point.count == 3  # group size 0: all the group's users, as JMeter's 0
    assert "group size '5.0'" in _diag(sc, "JMX224")[0] and point.timeout_ms == 2000


def test_duration_assertion_read_as_java_long(tmp_path: pathlib.Path) -> None:
    # DurationAssertion.getAllowedDuration: getPropertyAsLong; 0 means the assertion is ignored
    slow = el("DurationAssertion", "slow", s("DurationAssertion.duration", "500.0"))
    sc = convert(tmp_path, plan(tg(http("a", domain="h", children=slow))))
    assert row(sc, "slow").codes == ["JMX224", "JMX604"]  # read as 0: nothing to check, as in JMeter
    assert "duration '500.0'" in _diag(sc, "JMX224")[0] and "Long.parseLong" in _diag(sc, "JMX224")[0]


@pytest.mark.parametrize(("per_minute", "tps"), [("150", 3), ("210", 4), ("30", 1), ("90", 2)])
def test_a_single_rate_rounds_half_up(tmp_path: pathlib.Path, per_minute: str, tps: int) -> None:
    # 2.5 -> 3 and 3.5 -> 4 (Python's round, half to even, gave 2 and 4); below 1 TPS: at least 1
    arrivals = el("com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup", "arrivals",
                  s("TargetLevel", per_minute) + s("RampUp", "0") + s("Hold", "1") + s("Unit", "M")
                  + s("ConcurrencyLimit", "4"), http("a", domain="h"))  # fmt: skip
    sc = convert(tmp_path, plan(arrivals))
    assert [st.tps for st in _stage(sc)] == [tps]
    assert _diag(sc, "JMX208") == [f"{int(per_minute) / 60:g} arrivals (iterations) per second | TPS {tps}"]


def test_a_rate_ramp_rounds_each_step_half_up_and_keeps_jmeters_volume() -> None:
    # 0 -> 2 TPS over 2 s: JMeter's linear rate sends 0.5 requests by 1 s (half up: a first step of 1 TPS,
    # where round() gave a 0 TPS step) and 2 by 2 s (the second step makes up the difference: 1)
    from converter.emit.perftest import emit_plan
    from tests.test_emit import _req, _scenario

    scenario = _scenario([_req()], stages=[Stage(users=5, ramp_s=2, hold_s=0, tps_start=0, tps=2)])
    emitted = emit_plan(scenario)
    stages = next(op.body["stages"] for op in emitted.plan.operations if op.id == "case:main:stage")
    assert [(st["tps_value"], st["time"]) for st in stages] == [(1, 1), (1, 1)]
    assert "PT025" not in {d.code for d in emitted.plan.diagnostics}


def _random(extra: str) -> str:
    return el("RandomVariableConfig", "rv", s("variableName", "uid") + s("minimumValue", "1")
              + s("maximumValue", "50") + extra, guiclass="TestBeanGUI")  # fmt: skip


def test_random_variable_message_names_only_what_is_dropped(tmp_path: pathlib.Path) -> None:
    plain = convert(tmp_path, plan(tg(_random(s("outputFormat", "") + s("randomSeed", "") + b("perThread", False))
                                      + http("a", domain="h"))))  # fmt: skip
    assert _diag(plain, "JMX314") == ["uid in [1, 50] | converted to an int_range variable"]
    full = convert(tmp_path, plan(tg(_random(s("outputFormat", "U_000") + s("randomSeed", "42") + b("perThread", True))
                                     + http("a", domain="h"))))  # fmt: skip
    [message] = _diag(full, "JMX314")
    assert message.startswith("uid in [1, 50]; dropped: output format 'U_000'")
    assert "seed '42'" in message and "per-thread generator" in message


def test_parameterized_controller_says_its_variables_are_dropped(tmp_path: pathlib.Path) -> None:
    items = "".join(
        f'<elementProp name="{n}" elementType="Argument">{s("Argument.name", n)}{s("Argument.value", "v")}</elementProp>'
        for n in ("role", "tenant")
    )
    params = (
        '<elementProp name="ParameterizedController.user_defined_variables" elementType="Arguments">'
        f'<collectionProp name="Arguments.arguments">{items}</collectionProp></elementProp>'
    )
    ctrl = el("kg.apc.jmeter.control.ParameterizedController", "as admin", params, http("inner", domain="h"),
              guiclass="kg.apc.jmeter.control.ParameterizedControllerGui")  # fmt: skip
    sc = convert(tmp_path, plan(tg(ctrl)))
    [message] = _diag(sc, "JMX408")
    assert "its own variables (role, tenant) are dropped" in message and message.endswith(
        "| children inlined"
    )


def test_keepalive_off_is_one_diagnostic_per_setting_with_every_sampler_in_the_ledger(
    tmp_path: pathlib.Path,
) -> None:
    def unset(name: str) -> str:
        return el("HTTPSamplerProxy", name, s("HTTPSampler.domain", "h"), guiclass="HttpTestSampleGui")

    off = http("off", domain="h", extra=b("HTTPSampler.use_keepalive", False))
    disabled = unset("u9").replace('enabled="true"', 'enabled="false"', 1)
    body = "".join(unset(f"u{n}") for n in range(1, 6)) + off + http("on", domain="h") + disabled
    sc = convert(tmp_path, plan(tg(body)))
    found = [d for d in sc.diagnostics if d.code == "JMX123"]
    assert len(found) == 2  # one for the samplers that leave it unset, one for those that switch it off
    grouped = next(d for d in found if "not set" in d.message)
    assert grouped.message.startswith("5 samplers ('u1', 'u2', 'u3' and 2 more): 'Use KeepAlive' is not set")
    assert grouped.location is not None and grouped.location.name == "u1"
    single = next(d for d in found if "not set" not in d.message)
    assert single.message.startswith("'Use KeepAlive' is off:") and single.location.name == "off"  # type: ignore[union-attr]
    for name in ("u1", "u2", "u3", "u4", "u5", "off"):
        assert row(sc, name).codes == ["JMX123"] and row(sc, name).status == "approximated", name
    assert row(sc, "on").codes == [] and row(sc, "on").status == "converted"
    assert row(sc, "u9").status == "filtered" and "JMX123" not in row(sc, "u9").codes


def test_rendezvous_without_a_timeout_is_0_in_the_model_and_one_hour_in_the_plan(
    tmp_path: pathlib.Path,
) -> None:
    # SyncTimer.delay: timeoutInMs == 0 -> barrier.await(Long.MAX_VALUE ms): no limit. The model keeps 0 (no
    # limit, as Request.response_timeout_ms 0); PerfTest's rendezvous card documents no such value: 1 h, said
    # once per plan (PT026)
    from converter.emit.perftest import emit_plan

    def sync(name: str, timeout: str) -> str:
        return el("SyncTimer", name, s("groupSize", "2") + s("timeoutInMs", timeout))

    body = (http("a", domain="h", children=sync("s1", "0")) + http("b", domain="h", children=sync("s2", "0"))
            + http("c", domain="h", children=sync("s3", "1500")))  # fmt: skip
    sc = convert(tmp_path, plan(tg(body, threads="2")))
    assert [st.timeout_ms for st in sc.cases[0].steps if isinstance(st, Rendezvous)] == [0, 0, 1500]
    assert row(sc, "s1").codes == ["JMX521"] and "no limit" in _diag(sc, "JMX521")[0]
    emitted = emit_plan(sc)
    content = next(op.body["contents"] for op in emitted.plan.operations if op.id.endswith(":content"))
    assert [st["data"]["timeout"] for st in content if st["data_type"] == 301] == [3_600_000, 3_600_000, 1500]
    [once] = [d for d in emitted.plan.diagnostics if d.code == "PT026"]
    assert once.location is None and "3600000 ms" in once.action


def test_websocket_timeouts_read_as_java_ints_and_a_negative_one_does_not_crash(
    tmp_path: pathlib.Path,
) -> None:
    # Luminis samplers: Integer.parseInt(getReadTimeout()) after validateArguments; a negative read timeout
    # made the model reject the request (a traceback) before
    def ws(name: str, connect: str, read: str) -> str:
        return el("eu.luminis.jmeter.wssampler.RequestResponseWebSocketSampler", name,
                  s("server", "chat.example") + s("port", "443") + s("path", "/ws") + b("TLS", True)
                  + s("requestData", "hi") + b("createNewConnection", True) + s("connectTimeout", connect)
                  + s("readTimeout", read))  # fmt: skip

    sc = convert(tmp_path, plan(tg(ws("bad", "2000.0", "-5") + ws("good", "2000", "0"))))
    from tests.test_jmx_support import requests

    bad, good = requests(sc.cases[0].steps)
    assert (bad.connect_timeout_ms, bad.response_timeout_ms) == (None, None)
    assert (good.connect_timeout_ms, good.response_timeout_ms) == (2000, 0)
    assert len(_diag(sc, "JMX902")) == 2 and "JMX902" in row(sc, "bad").codes


CTG = "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup"


def test_concurrency_group_reads_its_settings_as_the_plugin_does(tmp_path: pathlib.Path) -> None:
    # AbstractDynamicThreadGroupModel: getRampUpSeconds/getHoldSeconds = Math.round(Double.parseDouble(text) *
    # unit factor), Hold "1" when unset; getUnitFactor: 60 only for exactly "M"
    conc = el(CTG, "C", s("TargetLevel", "4") + s("RampUp", "1.5") + s("Unit", "M"), http("a", domain="h"))
    sc = convert(tmp_path, plan(conc))
    assert _stage(sc) == [Stage(users=4, ramp_s=90, hold_s=0), Stage(users=4, hold_s=60)]
    lower = el(CTG, "C", s("TargetLevel", "4") + s("Hold", "30") + s("Unit", "m"), http("a", domain="h"))
    sc = convert(tmp_path, plan(lower))
    assert _stage(sc) == [Stage(users=4, hold_s=30)]
    assert any("time unit 'm'" in d for d in _diag(sc, "JMX204"))


def test_concurrency_target_that_is_not_a_java_int_is_0(tmp_path: pathlib.Path) -> None:
    # getTargetLevelAsInt: getPropertyAsInt(TargetLevel, 1): "10.0" is 0, unset is 1
    conc = el(CTG, "C", s("TargetLevel", "10.0") + s("Hold", "5"), http("a", domain="h"))
    sc = convert(tmp_path, plan(conc))
    assert [st.users for st in _stage(sc)] == [0]
    assert "target concurrency '10.0'" in _diag(sc, "JMX224")[0]
    unset = convert(tmp_path, plan(el(CTG, "C", s("Hold", "5"), http("a", domain="h"))))
    assert [st.users for st in _stage(unset)] == [1] and "JMX224" not in codes(unset)


def test_stepping_group_settings_are_java_ints_and_0_users_per_step_start_all(tmp_path: pathlib.Path) -> None:
    # SteppingThreadGroup: getPropertyAsInt for every setting; scheduleThread: a "Start users count" of 0 is
    # getNumThreads(), so every thread starts in the first step (and, as the last, holds only the flight time:
    # '30.0' is 0, so the threads stop at once)
    def stepping(count: str) -> str:
        return el("kg.apc.jmeter.threads.SteppingThreadGroup", "S",
                  s("ThreadGroup.num_threads", "6") + s("Start users count", count) + s("Start users period", "10")
                  + s("flighttime", "30.0"), http("a", domain="h"))  # fmt: skip

    sc = convert(tmp_path, plan(stepping("2.0")))
    assert [(st.users, st.hold_s) for st in _stage(sc)] == [(6, 0)]
    messages = _diag(sc, "JMX224")
    assert any("users per step '2.0'" in m for m in messages) and any(
        "hold time '30.0'" in m for m in messages
    )
    two = convert(tmp_path, plan(stepping("2")))
    assert [(st.users, st.hold_s) for st in _stage(two)] == [(2, 10), (4, 10), (6, 0)]


def test_ultimate_rows_are_read_as_java_ints(tmp_path: pathlib.Path) -> None:
    # UltimateThreadGroup.scheduleThread: currentRecord.get(n).getIntValue() for every cell
    from tests.test_jmx_gaps import _utg

    sc = convert(tmp_path, plan(_utg(http("a", domain="h"), ("4", "0", "10.0", "60", "0"))))
    assert [(st.users, st.ramp_s, st.hold_s) for st in _stage(sc)] == [(4, 0, 60)]
    assert "row 1 startup time '10.0'" in _diag(sc, "JMX224")[0]


def test_arrivals_concurrency_limit_that_is_not_a_java_long_is_no_limit(tmp_path: pathlib.Path) -> None:
    # ArrivalsThreadGroup.canCreateMoreThreads: Long.parseLong(getConcurrencyLimit()); NumberFormatException
    # -> no limit (as a limit <= 0)
    arrivals = el("com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup", "arrivals",
                  s("TargetLevel", "6") + s("Hold", "60") + s("ConcurrencyLimit", "4.0"),
                  http("a", domain="h"))  # fmt: skip
    sc = convert(tmp_path, plan(arrivals))
    assert [(st.users, st.tps) for st in _stage(sc)] == [(6, 6)]  # users = TPS when there is no limit
    assert "concurrency limit '4.0'" in _diag(sc, "JMX224")[0]


def test_flow_control_pause_read_as_a_java_long(tmp_path: pathlib.Path) -> None:
    # TestAction.pause: Long.parseLong(duration), NumberFormatException -> 0 ms
    from converter.model import Think

    def pause(name: str, ms: str) -> str:
        return el("TestAction", name, s("ActionProcessor.action", "1") + s("ActionProcessor.target", "0")
                  + s("ActionProcessor.duration", ms), guiclass="TestActionGui")  # fmt: skip

    sc = convert(tmp_path, plan(tg(pause("p1", "1500.0") + pause("p2", "1500") + http("a", domain="h"))))
    assert [st.ms for st in sc.cases[0].steps if isinstance(st, Think)] == [0, 1500]
    assert "pause duration '1500.0'" in _diag(sc, "JMX224")[0] and row(sc, "p1").codes == ["JMX224"]
