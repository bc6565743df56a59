"""The upload commands end to end over loopback: ``upload``, ``har``/``jmx`` without --dry-run, ``emulator``;
exit codes, the resume command, a process killed mid-upload, and no secret in any output, log or journal."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from converter.cli import main
from converter.convert import convert_jmx
from converter.plan import Plan, load_plan
from tests.conftest import FIXTURES
from tests.upload_support import (
    AK,
    CP,
    CREDENTIAL_ENV,
    SECURITY_TOKEN,
    SK,
    TOKEN,
    clean_env,
    emulator,
    journal_records,
    planned,
    stored,
    synthetic_jmx,
)

SHOP_PLAN = FIXTURES / "har" / "shop.plan.json"
SHOP_HAR = FIXTURES / "har" / "shop.har"
FAST = ("--retries", "8", "--retry-delay", "0.005")


def cli(*args: str, cwd: Path, **env: str) -> Result:
    """Run perftest-convert in-process with only the given credential variables set."""
    environment: dict[str, str | None] = {name: None for name in CREDENTIAL_ENV}
    environment.update(env)
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)
    finally:
        os.chdir(old)


def target(url: str) -> tuple[str, ...]:
    return ("--endpoint", url, "--project-id", CP, *FAST)


def test_upload_prints_the_created_table_and_verifies(tmp_path: Path) -> None:
    with emulator() as (server, url):
        result = cli("upload", str(SHOP_PLAN), *target(url), cwd=tmp_path, PERFTEST_TOKEN=TOKEN)
        assert result.exit_code == 0, result.stderr
        assert stored(server) == planned(load_plan(SHOP_PLAN))
    assert "PerfTest project (test suite) 1 " in result.stdout
    assert "transaction  Checkout" in result.stdout and "case         shop" in result.stdout
    assert "verified: every field came back as sent" in result.stderr
    assert "no value given for authorization, cookie_sessionid, cookie_theme, password" in result.stderr
    journals = list(tmp_path.glob("shop-upload-*.jsonl"))
    assert len(journals) == 1 and journal_records(journals[0])[-1]["result"] == "ok"


def test_report_to_stdout_while_uploading_keeps_stdout_one_json_document(tmp_path: Path) -> None:
    """With --report -, stdout is the report: the table of what was created goes to stderr."""
    with emulator(ak=AK, sk=SK) as (_server, url):
        env = {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "HUAWEICLOUD_SDK_PROJECT_ID": CP}
        result = cli(
            "har", str(SHOP_HAR), "--endpoint", url, "-q", "--journal", "up.jsonl", "--report", "-",
            cwd=tmp_path, **env,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    assert set(json.loads(result.stdout)) == {"summary", "diagnostics", "ledger"}
    assert "PerfTest project (test suite) 1 " in result.stderr


def test_har_without_dry_run_converts_and_uploads(tmp_path: Path) -> None:
    with emulator(ak=AK, sk=SK) as (server, url):
        env = {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "HUAWEICLOUD_SDK_PROJECT_ID": CP}
        result = cli(
            "har", str(SHOP_HAR), "--endpoint", url, "-q", "--journal", "up.jsonl", cwd=tmp_path, **env
        )
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        plan = load_plan(tmp_path / "up.plan.json")  # saved beside the journal, for --resume
        assert stored(server) == planned(plan)
        result = cli("har", str(SHOP_HAR), "--endpoint", url, "-o", "mine.json", "-q", cwd=tmp_path, **env)
        assert result.exit_code == 0 and (tmp_path / "mine.json").exists()


def test_jmx_without_dry_run_uploads(tmp_path: Path) -> None:
    source = synthetic_jmx(tmp_path / "s.jmx", 2, 2)
    with emulator() as (server, url):
        result = cli("jmx", str(source), *target(url), "-q", cwd=tmp_path, PERFTEST_TOKEN=TOKEN)
        assert result.exit_code == 0, result.stderr
        assert stored(server) == planned(convert_jmx(source).plan)


def test_strict_refuses_to_upload_an_incomplete_conversion(tmp_path: Path) -> None:
    with emulator() as (server, url):
        junk = FIXTURES / "har" / "junk.har"
        result = cli("har", str(junk), *target(url), "--strict", cwd=tmp_path, PERFTEST_TOKEN=TOKEN)
        assert result.exit_code == 1 and "nothing uploaded" in result.stderr
        assert server.calls == 0


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"PERFTEST_TOKEN": "wrong-token-0000"}, "the IAM token from PERFTEST_TOKEN was refused"),
        (
            {"HUAWEICLOUD_SDK_AK": "AKWRONGWRONG", "HUAWEICLOUD_SDK_SK": SK},
            "HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK",
        ),
        ({"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": "wrong-secret-key"}, "clock is right"),
    ],
    ids=["token", "unknown-ak", "wrong-sk"],
)
def test_bad_credentials_exit_1_with_how_to_fix(tmp_path: Path, env: dict[str, str], needle: str) -> None:
    with emulator(token=TOKEN, ak=AK, sk=SK) as (server, url):
        result = cli("upload", str(SHOP_PLAN), *target(url), cwd=tmp_path, **env)
        assert result.exit_code == 1
        assert "HTTP 401 APIGW.0301" in result.stderr and needle in result.stderr
        assert "nothing was created" in result.stderr and not list(tmp_path.iterdir())
        output = result.stdout_bytes + result.stderr_bytes
        for value in env.values():
            assert value.encode() not in output
        assert stored(server)["projects"] == {}


def test_missing_credentials_exit_1(tmp_path: Path) -> None:
    result = cli(
        "upload", str(SHOP_PLAN), "--endpoint", "http://127.0.0.1:9", "--project-id", CP, cwd=tmp_path
    )
    assert result.exit_code == 1 and "no credentials: set HUAWEICLOUD_SDK_AK" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--endpoint", "http://127.0.0.1:9"), "no cloud project id: pass --project-id or set"),
        (("--project-id", CP), "no target: pass --region"),
        (("--region", "mars-1", "--project-id", CP), "unknown PerfTest region"),
        (("--endpoint", "http://example.com", "--project-id", CP), "plain http"),
        (("--region", "cn-north-4", "--project-id", CP, "--set", "s3cr3t-no-equals"), "--set (occurrence 1)"),
        (("--region", "cn-north-4", "--project-id", CP, "--set", "nosuch=s3cr3t-value"), "--set nosuch"),
        (
            ("--region", "cn-north-4", "--project-id", CP, "--resume", "missing.jsonl"),
            "cannot read the journal",
        ),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...], needle: str) -> None:
    result = cli("upload", str(SHOP_PLAN), *args, cwd=tmp_path, PERFTEST_TOKEN=TOKEN)
    assert result.exit_code == 2, result.stderr
    assert needle in result.stderr and "s3cr3t" not in result.stderr and "Traceback" not in result.stderr


def test_bad_plan_and_existing_journal_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{}")
    result = cli("upload", "bad.json", "--region", "cn-north-4", "--project-id", CP, cwd=tmp_path)
    assert result.exit_code == 2 and "not a valid plan" in result.stderr
    (tmp_path / "taken.jsonl").write_text("")
    args = ("--journal", "taken.jsonl", "--region", "cn-north-4", "--project-id", CP)
    result = cli("upload", str(SHOP_PLAN), *args, cwd=tmp_path, PERFTEST_TOKEN=TOKEN)
    assert result.exit_code == 2 and "exists: continue that upload with --resume" in result.stderr


def test_failure_prints_the_resume_command_which_completes(tmp_path: Path) -> None:
    with emulator(fail_nth={6}) as (server, url):
        args = ("--endpoint", url, "--project-id", CP, "--retries", "0", "--journal", "j.jsonl")
        result = cli(
            "upload",
            str(SHOP_PLAN),
            *args,
            "--set",
            "password=pw-value-1234",
            cwd=tmp_path,
            PERFTEST_TOKEN=TOKEN,
        )
        assert result.exit_code == 1 and "HTTP 500" in result.stderr
        command = f"perftest-convert upload {SHOP_PLAN} --resume j.jsonl --endpoint {url} --project-id {CP}"
        assert command + "  (plus your --set/--set-file options)" in result.stderr
        assert "pw-value-1234" not in result.stderr + result.stdout
        resumed = cli(
            *command.split()[1:], "--set", "password=pw-value-1234", cwd=tmp_path, PERFTEST_TOKEN=TOKEN
        )
        assert resumed.exit_code == 0, resumed.stderr
        assert stored(server) == planned(load_plan(SHOP_PLAN))


def test_rollback_from_the_command_line(tmp_path: Path) -> None:
    data = load_plan(SHOP_PLAN).model_dump(mode="json")
    data["operations"][-1]["body"]["name"] = "y" * 50
    (tmp_path / "plan.json").write_text(Plan.model_validate(data).to_json())
    with emulator() as (server, url):  # a name over the limit: refused before the first call
        result = cli("upload", "plan.json", *target(url), cwd=tmp_path, PERFTEST_TOKEN=TOKEN)
        assert result.exit_code == 2 and "name must be 1-42 characters" in result.stderr
        assert all(not names for names in stored(server).values())
    # the service fails its 14th call, the plan's last (a 501, not retried): what the upload created is deleted
    with emulator(fail_nth={14}, fail_status=501) as (server, url):
        result = cli(
            "upload",
            str(SHOP_PLAN),
            *target(url),
            "--on-error",
            "rollback",
            "--retries",
            "0",
            cwd=tmp_path,
            PERFTEST_TOKEN=TOKEN,
        )
        assert result.exit_code == 1 and "HTTP 501" in result.stderr, result.stderr
        assert "rollback: deleted 9 resource(s), newest first" in result.stderr
        assert all(not names for names in stored(server).values())


def test_no_secret_in_any_output_log_or_journal(tmp_path: Path) -> None:
    values = {"password": "Pa55w0rd-from-set-7781", "authorization": "Bearer eyJ-from-set-file-4410"}
    (tmp_path / "values.env").write_text(f"# secrets\nauthorization={values['authorization']}\n")
    env = {
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": SECURITY_TOKEN,
    }
    sets = ("--set", f"password={values['password']}", "--set-file", "values.env")
    outputs: list[bytes] = []
    with emulator(ak=AK, sk=SK, token=TOKEN) as (server, url):
        for extra in [(), ("--test-suite-id", "999"), ("--on-error", "rollback", "--retries", "0")]:
            if extra and extra[0] == "--on-error":
                server.config.fail_nth = frozenset({server.calls + 8})
            result = cli("upload", str(SHOP_PLAN), *target(url), *sets, *extra, cwd=tmp_path, **env)
            outputs += [result.stdout_bytes, result.stderr_bytes]
        (tmp_path / "tok").write_text(TOKEN)
        token_run = cli("upload", str(SHOP_PLAN), *target(url), "--token-file", "tok", cwd=tmp_path)
        assert token_run.exit_code == 0
        outputs += [token_run.stdout_bytes, token_run.stderr_bytes]
        wrong = cli("upload", str(SHOP_PLAN), *target(url), *sets, cwd=tmp_path, PERFTEST_TOKEN=TOKEN + "x")
        outputs += [wrong.stdout_bytes, wrong.stderr_bytes]
        stored_values = [v["variable"] for v in server.state.tables["variables"].values()]
    assert [values["password"]] in stored_values  # the values did reach the service
    files = [p for p in tmp_path.iterdir() if p.name not in ("values.env", "tok")]
    assert any(p.suffix == ".jsonl" for p in files)
    everything = b"".join(outputs) + b"".join(p.read_bytes() for p in files)
    for secret in (AK, SK, SECURITY_TOKEN, TOKEN, *values.values()):
        assert secret.encode() not in everything, secret


# -- subprocesses: a killed upload, the emulator command -----------------------------------------------------------


def _subprocess_env(**values: str) -> dict[str, str]:
    return clean_env(PYTHONUNBUFFERED="1", **values)


PERFTEST = [sys.executable, "-c", "from converter.cli import main; main()"]


def test_killed_mid_upload_then_resume_creates_everything_once(tmp_path: Path) -> None:
    plan = convert_jmx(synthetic_jmx(tmp_path / "s.jmx", 3, 8)).plan  # 61 operations
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.to_json())
    journal = tmp_path / "j.jsonl"
    latency = 0.1
    with emulator(latency_ms=int(latency * 1000)) as (server, url):
        args = [
            "upload",
            str(plan_file),
            "--endpoint",
            url,
            "--project-id",
            CP,
            "--journal",
            str(journal),
            "-q",
        ]
        process = subprocess.Popen(
            PERFTEST + args,
            env=_subprocess_env(PERFTEST_TOKEN=TOKEN),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        pending: set[str] = set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            records = _records(journal)
            done = {r["op"] for r in records if r["type"] == "done"}
            pending = {r["op"] for r in records if r["type"] == "begin"} - done
            if len(done) >= 12 and pending:
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        assert process.returncode == -signal.SIGKILL
        assert pending, "the kill should land while creates are in flight"
        time.sleep(latency * 3)  # let the emulator commit what the dead process sent
        before = stored(server)
        assert before != planned(plan)  # the upload really was cut short
        resumed = cli(
            "upload",
            str(plan_file),
            *target(url),
            "--resume",
            str(journal),
            cwd=tmp_path,
            PERFTEST_TOKEN=TOKEN,
        )
        assert resumed.exit_code == 0, resumed.stderr
        assert stored(server) == planned(plan)  # every resource exactly once
        assert "verified: every field came back as sent" in resumed.stderr
    records = journal_records(journal)
    assert [r["type"] for r in records].count("start") == 1 and records[-1]["result"] == "ok"


def _records(journal: Path) -> list[dict[str, Any]]:
    if not journal.exists():
        return []
    out = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):
            out.append(json.loads(line))
    return out


def test_emulator_command_prints_its_url_first_and_serves(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    process = subprocess.Popen(
        [*PERFTEST, "emulator", "--port", "0", "--state", str(state), "--latency-ms", "1", "--max-page", "1"],
        env=_subprocess_env(PERFTEST_TOKEN=TOKEN),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        result = cli("upload", str(SHOP_PLAN), *target(url), "-q", cwd=tmp_path, PERFTEST_TOKEN=TOKEN)
        assert result.exit_code == 0, result.stderr
        saved = json.loads(state.read_text())
        assert [p["name"] for p in saved["projects"]] == ["shop"]
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_emulator_command_rejects_bad_options(tmp_path: Path) -> None:
    result = cli("emulator", "--fail-nth", "two", cwd=tmp_path)
    assert result.exit_code == 2 and "--fail-nth 'two': expected call numbers" in result.stderr
    result = cli("emulator", "--max-page", "0", cwd=tmp_path)
    assert result.exit_code == 2 and "--max-page" in result.stderr


@pytest.mark.parametrize("command", ["upload", "emulator"])
def test_help_has_an_example(command: str, tmp_path: Path) -> None:
    result = cli(command, "--help", cwd=tmp_path)
    assert (
        result.exit_code == 0
        and "Example" in result.stdout
        and f"perftest-convert {command}" in result.stdout
    )


def test_no_verify_skips_the_read_back(tmp_path: Path) -> None:
    with emulator() as (server, url):
        result = cli(
            "upload", str(SHOP_PLAN), *target(url), "--no-verify", cwd=tmp_path, PERFTEST_TOKEN=TOKEN
        )
        assert result.exit_code == 0 and "verified" not in result.stderr
        assert server.calls == len(load_plan(SHOP_PLAN).operations) + 1  # + the name check before creating


def test_har_upload_resumes_with_the_plan_saved_beside_the_journal(tmp_path: Path) -> None:
    with emulator(fail_nth={5}) as (server, url):
        args = ("--endpoint", url, "--project-id", CP, "--retries", "0", "--journal", "h.jsonl")
        failed = cli("har", str(SHOP_HAR), *args, cwd=tmp_path, PERFTEST_TOKEN=TOKEN)
        assert failed.exit_code == 1
        assert f"perftest-convert upload h.plan.json --resume h.jsonl --endpoint {url}" in failed.stderr
        resumed = cli(
            "har", str(SHOP_HAR), *target(url), "--resume", "h.jsonl", cwd=tmp_path, PERFTEST_TOKEN=TOKEN
        )
        assert resumed.exit_code == 0, resumed.stderr
        assert stored(server) == planned(load_plan(tmp_path / "h.plan.json"))
