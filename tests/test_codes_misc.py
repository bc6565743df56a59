"""One focused test per diagnostic code of the shared parts (JMeter expressions, the PerfTest emitter) that no
other test made. Inputs are small inline JMX plans converted with the real CLI; each test asserts the code, its
severity, where it points, the ledger row and what the plan holds instead."""

from __future__ import annotations

import pathlib

from converter.cli import codes_table
from converter.diagnostics import CATALOG
from tests.conftest import ROOT
from tests.test_codes_jmx import TG, cards, diagnostic, run, stages, status
from tests.test_jmx_support import b, el, http, plan, s, tg

# -- expressions ----------------------------------------------------------------------------------


def test_exp004_unterminated_reference_is_kept_as_literal_text(tmp_path: pathlib.Path) -> None:
    # JMeter's CompoundVariable leaves a "${" it cannot close as text; so does the plan, with a warning
    plan_doc, report = run(
        tmp_path, plan(tg(http("search", "/find?q=${term", domain="h") + http("ok", "/${x}", domain="h")))
    )
    diag = diagnostic(report, "EXP004", "warning", f"{TG}/HTTPSamplerProxy[1]", "search")
    assert "/find?q=${term" in diag["message"]
    assert [c["url"] for c in cards(plan_doc)] == ["http://h/find?q=${term", "http://h/${x}"]
    assert status(report, f"{TG}/HTTPSamplerProxy[2]") == "converted"  # a whole reference is no EXP004


def test_exp005_random_result_variable_is_dropped(tmp_path: pathlib.Path) -> None:
    # JMeter's __Random(min,max,name) also stores the number in ${name}; PerfTest's __Random stores nothing
    plan_doc, report = run(tmp_path, plan(tg(http("pick", "/item/${__Random(1,9,itemId)}", domain="h"))))
    diag = diagnostic(report, "EXP005", "warning", f"{TG}/HTTPSamplerProxy[1]", "pick")
    assert "${itemId}" in diag["message"]
    assert cards(plan_doc)[0]["url"] == "http://h/item/${__Random(1,9)}"
    assert status(report, f"{TG}/HTTPSamplerProxy[1]") == "approximated"


# -- emitter: PerfTest stages ---------------------------------------------------------------------


def test_pt013_thread_group_start_delay_ignored(tmp_path: pathlib.Path) -> None:
    group = tg(http("a", domain="h"), threads="2", loops="-1",
               extra=b("ThreadGroup.scheduler", True) + s("ThreadGroup.duration", "60") + s("ThreadGroup.delay", "7"))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(group))
    diag = diagnostic(report, "PT013", "warning", TG, "TG")
    assert diag["message"] == "case 'TG' starts after 7 s" and diag["action"] == "ignored"
    assert status(report, TG) == "approximated"
    assert [(st["issue_num"], st["time"]) for st in stages(plan_doc)] == [
        (2, 60)
    ]  # starts at once, lasts 60 s


def test_pt014_setup_and_teardown_cases_run_in_order_only_when_serial(tmp_path: pathlib.Path) -> None:
    # JMeter runs setUp groups before and tearDown groups after the others, whatever serialize_threadgroups says
    groups = (tg(http("main", domain="h"), name="main") + tg(http("login", domain="h"), tag="SetupThreadGroup", name="prepare")
              + tg(http("logout", domain="h"), tag="PostThreadGroup", name="clean up"))  # fmt: skip
    plan_doc, report = run(tmp_path, plan(groups))
    found = [
        (d["severity"], d["location"], d["message"], d["action"])
        for d in report["diagnostics"]
        if d["code"] == "PT014"
    ]
    assert found == [
        ("warning", {"source": "jmx:/TestPlan/SetupThreadGroup[1]", "name": "prepare"}, "setup case 'prepare'",
         "placed first in the task; cases run in parallel, so it does not run alone"),
        ("warning", {"source": "jmx:/TestPlan/PostThreadGroup[1]", "name": "clean up"}, "teardown case 'clean up'",
         "placed last in the task; cases run in parallel, so it does not run alone"),
    ]  # fmt: skip
    task = next(op for op in plan_doc["operations"] if op["operation"] == "UpdateTaskRelatedTestCase")["body"]
    assert task["parallel"] is True
    assert [ref["$ref"] for ref in task["case_id_list"]] == [
        "case:prepare.id",
        "case:main.id",
        "case:clean-up.id",
    ]
    # serial cases keep the order: the warning no longer says they run together
    _, report = run(tmp_path, plan(groups, b("TestPlan.serialize_threadgroups", True)))
    actions = [d["action"] for d in report["diagnostics"] if d["code"] == "PT014"]
    assert actions == ["placed first in the task", "placed last in the task"]


def test_pt015_thread_group_without_samplers_gives_an_empty_case(tmp_path: pathlib.Path) -> None:
    plan_doc, report = run(tmp_path, plan(tg("", name="idle") + tg(http("b", domain="h"), name="busy")))
    diag = diagnostic(report, "PT015", "warning", TG, "idle")
    assert diag["message"] == "case 'idle' has no steps" and diag["action"] == "created empty"
    assert status(report, TG) == "approximated"
    content = next(op for op in plan_doc["operations"] if op["id"] == "case:idle:content")
    assert content["body"] == {"contents": []}
    assert [c["name"] for c in cards(plan_doc)] == ["b"]


def test_pt001_long_transaction_name_shortened_and_kept_in_the_description(tmp_path: pathlib.Path) -> None:
    long_name = "Checkout with a saved card and a gift voucher applied"  # 53 characters, PerfTest allows 42
    tx = el("TransactionController", long_name, "", http("pay", domain="h"))
    plan_doc, report = run(tmp_path, plan(tg(tx)))
    diag = diagnostic(report, "PT001", "info", f"{TG}/TransactionController[1]", long_name)
    assert diag["action"] == "the original name is kept in the description"
    [temp] = [op["body"] for op in plan_doc["operations"] if op["operation"] == "CreateTemp"]
    assert temp["name"] == long_name[:42] and long_name in temp["description"]
    assert diag["message"] == f"name {long_name!r} became {long_name[:42]!r}"


def test_pt003_transaction_over_40_requests_is_split(tmp_path: pathlib.Path) -> None:
    tx = el(
        "TransactionController",
        "browse",
        "",
        "".join(http(f"r{n}", f"/p/{n}", domain="h") for n in range(41)),
    )
    plan_doc, report = run(tmp_path, plan(tg(tx)))
    diag = diagnostic(report, "PT003", "warning", f"{TG}/TransactionController[1]", "browse")
    assert diag["message"] == "transaction 'browse' has 41 requests"
    assert diag["action"] == "split into 2 consecutive transactions"
    temps = [op["body"]["name"] for op in plan_doc["operations"] if op["operation"] == "CreateTemp"]
    assert temps == ["browse part 1", "browse part 2"]
    assert len(cards(plan_doc)) == 41


def test_every_diagnostic_code_is_asserted_by_name_in_a_test() -> None:
    # the README promises a focused test per code: a new code without one fails here (a code's test names it)
    assert codes_table(markdown=True)  # (cli imports every module that defines codes)
    tests = "".join(path.read_text("utf-8") for path in sorted((ROOT / "tests").glob("test_*.py")))
    assert [code for code in sorted(CATALOG) if code not in tests] == []
