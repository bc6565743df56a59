"""The command line: help, version, outputs, summary, strictness, schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from converter.plan import Plan
from tests.conftest import FIXTURES, ROOT, run_cli

SHOP = FIXTURES / "har" / "shop.har"
JUNK = FIXTURES / "har" / "junk.har"


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0 and "perftest-convert, version" in result.stdout


@pytest.mark.parametrize("module", ["converter", "converter.cli"])
def test_python_dash_m_runs_the_command(module: str, tmp_path: Path) -> None:
    # for environments without the console script on PATH
    plan = tmp_path / "plan.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            module,
            "har",
            str(ROOT / "fixtures" / "har" / "shop.har"),
            "--dry-run",
            "-o",
            str(plan),
            "-q",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(plan.read_text(encoding="utf-8"))["format"] == "perftest-plan/1"


@pytest.mark.parametrize("command", ["har", "jmx", "schema", "codes"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "perftest-convert " + command in result.stdout


def test_plan_to_stdout_and_summary_to_stderr() -> None:
    result = run_cli("har", str(SHOP), "--dry-run", "-o", "-")
    assert result.exit_code == 0
    plan = Plan.from_json(result.stdout)
    assert plan.summary["requests"] == 4
    assert "filtered.static" in result.stderr and "diagnostics" in result.stderr
    assert "\x1b[" not in result.stderr  # no colour when not on a terminal


def test_quiet_prints_no_summary(tmp_path: Path) -> None:
    result = run_cli("har", str(SHOP), "--dry-run", "-o", str(tmp_path / "p.json"), "-q")
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""


def test_strict_exits_1_when_something_was_not_converted(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    result = run_cli(
        "har", str(JUNK), "--dry-run", "-o", str(tmp_path / "p.json"), "--report", str(report), "--strict"
    )
    assert result.exit_code == 1
    assert "not converted" in result.stderr
    ledger = json.loads(report.read_text())["ledger"]
    assert sorted(r["source"] for r in ledger if r["status"] == "not_converted") == [
        "har:entries[6]",
        "har:entries[7]",
        "har:entries[8]",
    ]
    assert (tmp_path / "p.json").exists()  # the plan is still written for review
    assert run_cli("har", str(SHOP), "--dry-run", "-o", str(tmp_path / "s.json"), "--strict").exit_code == 0


def test_report_shape(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    assert (
        run_cli(
            "har", str(SHOP), "--dry-run", "-o", str(tmp_path / "p.json"), "--report", str(report)
        ).exit_code
        == 0
    )
    document = json.loads(report.read_text())
    assert set(document) == {"summary", "diagnostics", "ledger"}
    assert document["summary"]["ledger"] == {
        "converted": 4,
        "approximated": 0,
        "not_converted": 0,
        "filtered": 5,
    }
    row = document["ledger"][0]
    assert row == {
        "source": "har:entries[0]",
        "kind": "entry",
        "name": "GET https://shop.example.test/",
        "status": "converted",
        "codes": ["HAR003", "HAR004"],
    }
    for diagnostic in document["diagnostics"]:
        assert set(diagnostic) == {"code", "severity", "location", "message", "action", "hint"}


@pytest.mark.parametrize(
    "args",
    [
        ["--think-time", "sometimes"],
        ["--exclude-url", "("],
        ["--users", "0"],
    ],
)
def test_bad_options_exit_2(args: list[str]) -> None:
    result = run_cli("har", str(SHOP), "--dry-run", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_unwritable_output_is_a_clean_error_naming_the_users_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "p.json"
    result = run_cli("har", str(SHOP), "--dry-run", "-o", str(missing))
    assert result.exit_code == 2
    assert f"cannot write the plan to {missing}: No such file or directory" in result.stderr
    assert ".tmp" not in result.stderr  # not the temporary file the plan is first written to
    result = run_cli("har", str(SHOP), "--dry-run", "-o", str(tmp_path))
    assert result.exit_code == 2 and f"cannot write the plan to {tmp_path}: Is a directory" in result.stderr
    result = run_cli("har", str(SHOP), "--dry-run", "-o", "-", "--report", str(missing))
    assert result.exit_code == 2 and f"cannot write the report to {missing}" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_to_stdout(tmp_path: Path) -> None:
    plan = tmp_path / "p.json"
    result = run_cli("har", str(SHOP), "--dry-run", "-o", str(plan), "--report", "-", "-q")
    assert result.exit_code == 0
    assert set(json.loads(result.stdout)) == {"summary", "diagnostics", "ledger"}
    assert Plan.from_json(plan.read_text()).summary["requests"] == 4
    assert not Path("-").exists()  # not a file called '-'
    both = run_cli("har", str(SHOP), "--dry-run", "-o", "-", "--report", "-")
    assert both.exit_code == 2 and both.stdout == ""
    assert "-o and --report cannot both be '-'" in both.stderr


def test_plan_and_report_must_be_two_files_with_names(tmp_path: Path) -> None:
    same = tmp_path / "out.json"
    result = run_cli(
        "har", str(SHOP), "--dry-run", "-o", str(same), "--report", str(tmp_path / "." / "out.json")
    )
    assert result.exit_code == 2 and "-o and --report name the same file" in result.stderr
    assert not same.exists()
    result = run_cli("har", str(SHOP), "--dry-run", "-o", str(tmp_path / "p.json"), "--report", "")
    assert result.exit_code == 2 and "--report needs a file name ('-': stdout)" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_strict_without_a_report_says_how_to_get_the_list(tmp_path: Path) -> None:
    result = run_cli("har", str(JUNK), "--dry-run", "-o", str(tmp_path / "p.json"), "--strict")
    assert result.exit_code == 1
    assert "3 item(s) not converted (--report FILE lists them)" in result.stderr
    report = tmp_path / "r.json"
    result = run_cli("har", str(JUNK), "--dry-run", "-o", "-", "--report", str(report), "--strict", "-q")
    assert result.exit_code == 1 and "3 item(s) not converted (see the report)" in result.stderr


def test_a_data_dir_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    jmx = FIXTURES / "jmx" / "shop.jmx"
    result = run_cli(
        "jmx", str(jmx), "--dry-run", "-o", str(tmp_path / "p.json"), "--data-dir", "/nonexistent"
    )
    assert result.exit_code == 2 and "'/nonexistent' does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_schema_is_the_scenario_schema() -> None:
    result = run_cli("schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "Scenario"
    assert {"Request", "Loop", "Stage", "Variable"} <= set(schema["$defs"])


def test_emulator_refuses_to_start_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PERFTEST_TOKEN", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"):
        monkeypatch.delenv(name, raising=False)
    result = run_cli("emulator", "--port", "0")
    assert result.exit_code == 2
    assert "PERFTEST_TOKEN" in result.stderr and "--open" in result.stderr
    assert result.stdout == ""


def test_upload_options_with_dry_run_get_a_note_and_values_stay_out_of_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    result = run_cli("har", str(SHOP), "--dry-run", "-o", str(out), "--set", "password=V4lue-Not-In-Plan")
    assert result.exit_code == 0
    assert "no effect with --dry-run" in result.stderr
    assert "V4lue-Not-In-Plan" not in out.read_text() + result.stderr
    plain = run_cli("har", str(SHOP), "--dry-run", "-o", str(out))
    assert "no effect" not in plain.stderr


def test_summary_names_the_tool_that_wrote_the_input(tmp_path: Path) -> None:
    result = run_cli("har", str(SHOP), "--dry-run", "-o", str(tmp_path / "p.json"))
    assert re.search(r"recorded with +WebInspector 537.36", result.stderr)
    assert json.loads((tmp_path / "p.json").read_text())["summary"]["producer"] == "WebInspector 537.36"
    jmx = run_cli("jmx", str(FIXTURES / "jmx" / "shop.jmx"), "--dry-run", "-o", str(tmp_path / "j.json"))
    assert jmx.exit_code == 0
    assert json.loads((tmp_path / "j.json").read_text())["summary"]["producer"].startswith("JMeter ")


def test_report_text_holds_every_diagnostic_and_ledger_row_as_their_models_dump() -> None:
    from converter.convert import convert_har

    conversion = convert_har(FIXTURES / "har" / "shop.har")
    text = conversion.report_json()
    assert text.endswith("}\n") and '\n  "summary": {' in text  # indented like the plan
    report = json.loads(text)
    assert report["diagnostics"] == [d.model_dump(mode="json") for d in conversion.plan.diagnostics]
    assert report["ledger"] == [row.model_dump(mode="json") for row in conversion.ledger]
    assert report["summary"]["ledger"]["converted"] == sum(r.status == "converted" for r in conversion.ledger)


def test_data_dir_is_looked_up_first_then_the_jmx_folder_then_by_bare_name(tmp_path: Path) -> None:
    # the README and --help: relative CSV files are looked up in --data-dir, then in the JMX's folder, then by
    # their bare file name in --data-dir
    from tests.test_jmx_support import el, http, plan, s, tg

    csv = el("CSVDataSet", "csv", s("filename", "sub/users.csv") + s("variableNames", "user"))
    jmx = tmp_path / "tests" / "t.jmx"
    data = tmp_path / "data"
    for folder in (jmx.parent / "sub", data / "sub"):
        folder.mkdir(parents=True)
    jmx.write_text(plan(csv + tg(http("a", domain="h"))), encoding="utf-8")
    (data / "sub" / "users.csv").write_text("value-one\n")
    (jmx.parent / "sub" / "users.csv").write_text("value-two\n")
    (data / "users.csv").write_text("value-three\n")

    def user_values() -> list[str]:
        out = tmp_path / "p.json"
        result = run_cli("jmx", str(jmx), "--data-dir", str(data), "--dry-run", "-q", "-o", str(out))
        assert result.exit_code == 0, result.stderr
        text = out.read_text(encoding="utf-8")
        return [v for v in ("value-one", "value-two", "value-three") if v in text]

    assert user_values() == ["value-one"]  # in --data-dir
    (data / "sub" / "users.csv").unlink()
    assert user_values() == ["value-two"]  # beside the JMX
    (jmx.parent / "sub" / "users.csv").unlink()
    assert user_values() == ["value-three"]  # bare name in --data-dir


def test_set_file_skips_comments_and_blank_lines_and_names_a_bad_line(tmp_path: Path) -> None:
    # read before anything else of the upload: a good file gets as far as the missing target
    values = tmp_path / "values.env"
    values.write_text("# fills for the shop plan\n\npassword=x=y\n", encoding="utf-8")
    plan = FIXTURES / "har" / "shop.plan.json"
    result = run_cli("upload", str(plan), "--set-file", str(values), "--project-id", "p")
    assert result.exit_code == 2 and "no target" in result.stderr
    values.write_text("# fills\npassword=x\njust-a-name\n", encoding="utf-8")
    result = run_cli("upload", str(plan), "--set-file", str(values), "--project-id", "p")
    assert result.exit_code == 2 and f"--set-file {values}:3: expected NAME=VALUE" in result.stderr


def test_an_output_naming_the_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    """-o or --report on the input file (even through './') would replace the user's recording with the plan."""
    har = tmp_path / "session.har"
    har.write_bytes(SHOP.read_bytes())
    result = run_cli("har", str(har), "--dry-run", "-o", str(tmp_path / "." / "session.har"))
    assert result.exit_code == 2 and "-o names the input file" in result.stderr
    jmx = tmp_path / "plan.jmx"
    jmx.write_bytes((FIXTURES / "jmx" / "shop.jmx").read_bytes())
    result = run_cli("jmx", str(jmx), "--dry-run", "-o", str(tmp_path / "p.json"), "--report", str(jmx))
    assert result.exit_code == 2 and "--report names the input file" in result.stderr
    assert har.read_bytes() == SHOP.read_bytes()
    assert jmx.read_bytes() == (FIXTURES / "jmx" / "shop.jmx").read_bytes()
    assert not (tmp_path / "p.json").exists()
