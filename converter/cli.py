"""The ``perftest-convert`` command line: convert HAR/JMX to a plan, upload plans, run the emulator.

Exit codes: 0 done; 1 ``--strict`` and something was not converted, or an upload failed; 2 bad input or
bad usage (one clear message, never a traceback, never a partial output file).
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from converter import __version__
from converter.convert import Conversion, convert_har, convert_jmx
from converter.diagnostics import CATALOG, SEVERITY_ORDER
from converter.errors import InputError, UsageError
from converter.files import write_atomic
from converter.model import scenario_json_schema
from converter.parsers.har import HarOptions
from converter.plan import load_plan
from converter.upload.command import UploadArgs, run_upload, upload_options

EXIT_STRICT = 1
EXIT_INPUT = 2


#: PerfTest's API types the load and think-time numbers as Integer (a Java int): nothing above this.
JAVA_INT_MAX = 2_147_483_647


def _fail(message: str, code: int = EXIT_INPUT) -> None:
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)
    sys.exit(code)


def _output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every converting command shares."""
    decorators = [
        click.option("--dry-run", is_flag=True, help="Write the plan as JSON instead of uploading it."),
        click.option(
            "-o",
            "--output",
            default="-",
            show_default=True,
            metavar="PLAN.json",
            help="Where the plan is written ('-': stdout, with --dry-run). Without --dry-run the plan is "
            "saved there before the upload; with '-', beside the journal.",
        ),
        click.option(
            "--report",
            type=click.Path(dir_okay=False),
            help="Write a JSON report: summary, every diagnostic, one ledger row per input item ('-': stdout).",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Exit 1, and upload nothing, when anything was not converted (an error diagnostic or a "
            "not_converted ledger row); --report, and the plan with --dry-run or -o FILE, are still written.",
        ),
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            help="No summary on stderr (when uploading, no progress bar or notes either).",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="perftest-convert")
def main() -> None:
    """Convert JMeter test plans (JMX) and browser recordings (HAR) into CodeArts PerfTest tests.

    \b
    Exit codes: 0 done; 1 --strict found something not converted, or an upload failed
    (credentials missing or refused included); 2 bad input or usage.

    \b
    Examples:
      perftest-convert har session.har --dry-run -o plan.json
      perftest-convert jmx suite.jmx --dry-run --report report.json --strict
      perftest-convert upload plan.json --region cn-north-4
    """


@main.command()
@click.argument("input_har", metavar="INPUT.har", type=click.Path(path_type=Path))
@_output_options
@click.option(
    "--keep-static",
    is_flag=True,
    help="Keep images, scripts, stylesheets, fonts, media, manifests, text tracks and beacons (ping), "
    "which are filtered out by default.",
)
@click.option(
    "--include-host",
    multiple=True,
    metavar="GLOB",
    help="Keep only the hosts matching one of these (repeatable; '*.shop.test', 'api.test:8443', '[::1]', "
    "Unicode or punycode).",
)
@click.option(
    "--exclude-host",
    multiple=True,
    metavar="GLOB",
    help="Drop the hosts matching one of these (repeatable; same forms; wins over --include-host).",
)
@click.option(
    "--exclude-url",
    multiple=True,
    metavar="REGEX",
    help="Drop the URLs this Python regular expression matches anywhere in (repeatable).",
)
@click.option(
    "--group-gap",
    default=1000,
    show_default=True,
    type=click.IntRange(min=0, max=JAVA_INT_MAX),
    metavar="MS",
    help="Without pages in the recording, an idle gap longer than this starts a new transaction.",
)
@click.option(
    "--think-time",
    default="recorded",
    show_default=True,
    metavar="recorded|none|fixed:MS",
    help="Think times: from the recorded gaps, none, or a fixed MS before every request but the first.",
)
@click.option(
    "--think-min",
    default=500,
    show_default=True,
    type=click.IntRange(min=0, max=JAVA_INT_MAX),
    metavar="MS",
    help="Recorded gaps shorter than this give no think time.",
)
@click.option(
    "--think-scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0, max=1000),
    callback=lambda _ctx, param, value: _finite(param, value),
    metavar="F",
    help="Multiply the recorded gaps by this (0 to 1000).",
)
@click.option(
    "--think-max",
    default=None,
    type=click.IntRange(min=0, max=JAVA_INT_MAX),
    metavar="MS",
    help="Cap recorded think times at this (after --think-scale; default: no cap).",
)
@click.option(
    "--no-status-checks", is_flag=True, help="Do not check each response's status against the recording."
)
@click.option(
    "--keep-secrets",
    is_flag=True,
    help="Keep recorded cookies, tokens and passwords in the plan (by default they become ${name} "
    "variables to fill at upload).",
)
@click.option(
    "--users",
    default=1,
    show_default=True,
    type=click.IntRange(min=1, max=JAVA_INT_MAX),
    metavar="N",
    help="Concurrent users.",
)
@click.option(
    "--ramp",
    default=0,
    show_default=True,
    type=click.IntRange(min=0, max=JAVA_INT_MAX),
    metavar="S",
    help="Seconds to reach --users (a staircase of stages).",
)
@click.option(
    "--duration",
    default=60,
    show_default=True,
    type=click.IntRange(min=1, max=JAVA_INT_MAX),
    metavar="S",
    help="Seconds at full load after the ramp (not together with --iterations).",
)
@click.option(
    "--iterations",
    default=None,
    type=click.IntRange(min=1, max=JAVA_INT_MAX),
    metavar="N",
    help="Run N iterations per user instead of a duration (all users start at once: no ramp).",
)
@upload_options
def har(
    input_har: Path,
    dry_run: bool,
    output: str,
    report: str | None,
    strict: bool,
    quiet: bool,
    keep_static: bool,
    include_host: tuple[str, ...],
    exclude_host: tuple[str, ...],
    exclude_url: tuple[str, ...],
    group_gap: int,
    think_time: str,
    think_min: int,
    think_scale: float,
    think_max: int | None,
    no_status_checks: bool,
    keep_secrets: bool,
    users: int,
    ramp: int,
    duration: int,
    iterations: int | None,
    **upload: Any,
) -> None:
    """Convert a browser recording (HAR 1.2) into a PerfTest test.

    \b
    Example:
      perftest-convert har session.har --dry-run -o plan.json --users 20 --ramp 60 --duration 600
    """
    import re

    try:
        think_mode, fixed = _think_option(think_time)
        for pattern in exclude_url:
            re.compile(pattern)
    except (UsageError, re.error) as exc:
        _fail(f"bad option: {exc}")
    for option, globs in (("--include-host", include_host), ("--exclude-host", exclude_host)):
        for glob in globs:
            if not glob.strip() or "/" in glob or any(c.isspace() for c in glob.strip()):
                _fail(
                    f"bad option: {option} {glob!r}: a host glob names a host, with or without a port "
                    "('*.shop.test', 'api.test:8443'): no scheme, path or spaces"
                )
    if iterations is not None and users * iterations > JAVA_INT_MAX:
        _fail(
            f"bad option: --users {users} x --iterations {iterations} = {users * iterations} iterations in all, "
            f"more than PerfTest's stage count can hold ({JAVA_INT_MAX})"
        )
    if iterations is not None and _given("duration"):
        _fail(
            "bad option: --duration and --iterations exclude each other: the test runs for a duration or for a "
            "number of iterations per user"
        )
    options = HarOptions(
        keep_static=keep_static,
        include_hosts=list(include_host),
        exclude_hosts=list(exclude_host),
        exclude_urls=list(exclude_url),
        group_gap_ms=group_gap,
        think=think_mode,  # type: ignore[arg-type]
        think_fixed_ms=fixed,
        think_min_ms=think_min,
        think_scale=think_scale,
        think_max_ms=think_max,
        status_checks=not no_status_checks,
        keep_secrets=keep_secrets,
        users=users,
        ramp_s=ramp,
        duration_s=duration,
        iterations=iterations,
    )
    upload_args = UploadArgs.pop_from(upload)
    _finish(
        lambda: convert_har(input_har, options),
        dry_run,
        output,
        report,
        strict,
        quiet,
        upload_args,
        input_har,
    )


@main.command()
@click.argument("input_jmx", metavar="INPUT.jmx", type=click.Path(path_type=Path))
@_output_options
@click.option(
    "-J",
    "properties",
    multiple=True,
    metavar="NAME=VALUE",
    help="A JMeter property, as JMeter's -J, for __P/__property (repeatable).",
)
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where relative data files (CSV) are looked up first, before the JMX's folder.",
)
@click.option(
    "--keep-secrets",
    is_flag=True,
    help="Keep credentials written in clear (passwords, tokens, cookies, Authorization values) in the plan "
    "(by default they become ${name} variables to fill at upload).",
)
@upload_options
def jmx(
    input_jmx: Path,
    dry_run: bool,
    output: str,
    report: str | None,
    strict: bool,
    quiet: bool,
    properties: tuple[str, ...],
    data_dir: Path | None,
    keep_secrets: bool,
    **upload: Any,
) -> None:
    """Migrate a JMeter test plan (JMX) into a PerfTest test.

    \b
    Example:
      perftest-convert jmx suite.jmx --dry-run -o plan.json -J host=staging.example.com --report report.json
    """
    props: dict[str, str] = {}
    for item in properties:
        name, sep, value = item.partition("=")
        if not sep or not name:
            _fail(f"bad -J {item!r}: expected NAME=VALUE")
        props[name] = value
    upload_args = UploadArgs.pop_from(upload)
    _finish(
        lambda: convert_jmx(input_jmx, props, data_dir, keep_secrets),
        dry_run,
        output,
        report,
        strict,
        quiet,
        upload_args,
        input_jmx,
    )


@main.command()
def schema() -> None:
    """Print the JSON Schema of the scenario model.

    \b
    Example:
      perftest-convert schema > scenario.schema.json
    """
    click.echo(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.option(
    "--markdown", is_flag=True, help="A Markdown table (as in the README) instead of tab-separated lines."
)
def codes(markdown: bool) -> None:
    """List every diagnostic code with its severity and meaning.

    \b
    Example:
      perftest-convert codes --markdown
    """
    click.echo(codes_table(markdown), nl=False)


def codes_table(markdown: bool) -> str:
    rows = sorted(CATALOG.values(), key=lambda c: c.code)
    if not markdown:
        return "".join(f"{i.code}\t{i.severity}\t{i.title}\n" for i in rows)
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{i.code}` | {i.severity} | {i.title} |" for i in rows]
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("plan_file", metavar="PLAN.json", type=click.Path(dir_okay=False, path_type=Path))
@upload_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or notes on stderr.")
def upload(plan_file: Path, quiet: bool, **options: Any) -> None:
    """Upload a plan written earlier with --dry-run (the bodies sent are exactly the plan's).

    \b
    Credentials come from the environment, never from the command line:
      HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK (+ HUAWEICLOUD_SDK_SECURITY_TOKEN), or
      PERFTEST_TOKEN / --token-file FILE (an IAM token).
    The cloud project: --project-id or HUAWEICLOUD_SDK_PROJECT_ID.

    \b
    Examples:
      perftest-convert upload plan.json --region cn-north-4 --set password=...
      perftest-convert upload plan.json --region cn-north-4 --resume plan-upload-20260101-120000.jsonl
    """
    try:
        plan = load_plan(plan_file)
    except ValueError as exc:
        _fail(str(exc))
        return
    sys.exit(run_upload(plan, plan_file, UploadArgs.pop_from(options), quiet))


@main.command()
@click.option(
    "--port",
    default=0,
    show_default=True,
    type=click.IntRange(0, 65535),
    metavar="PORT",
    help="The port to listen on; 0 picks a free one.",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False),
    help="JSON file the state is loaded from and saved to (default: in memory only).",
)
@click.option(
    "--fail-rate",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    metavar="R",
    help="Share of calls that fail, nothing committed (drawn from --seed).",
)
@click.option(
    "--fail-status",
    default="500",
    type=click.Choice(["500", "501", "429", "503"]),
    show_default=True,
    help="Status of failed calls (501: the reference's documented failure, a plain-text reply).",
)
@click.option(
    "--retry-after",
    default=0,
    show_default=True,
    type=click.IntRange(0, 1),
    metavar="S",
    help="Retry-After seconds sent with a failed call's 429/503 (0 or 1).",
)
@click.option(
    "--latency-ms",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="MS",
    help="Delay before each reply.",
)
@click.option(
    "--fail-nth", default="", metavar="N,N", help="Call numbers (from 1) that fail, nothing committed."
)
@click.option(
    "--drop-nth",
    default="",
    metavar="N,N",
    help="Call numbers (from 1) committed but never answered (the connection is closed).",
)
@click.option("--seed", default=0, show_default=True, type=int, metavar="N", help="Seed of --fail-rate.")
@click.option(
    "--max-page",
    default=None,
    type=click.IntRange(min=1),
    metavar="N",
    help="Most rows a paged list call returns, whatever limit it asks for (default: no cap).",
)
@click.option(
    "--open", "open_", is_flag=True, help="With no credentials set, accept every request (demos only)."
)
def emulator(
    port: int,
    state: str | None,
    fail_rate: float,
    fail_status: str,
    retry_after: int,
    latency_ms: int,
    fail_nth: str,
    drop_nth: str,
    seed: int,
    max_page: int | None,
    open_: bool,
) -> None:
    """Run a local emulator of the PerfTest API on 127.0.0.1; its URL is the first line of stdout.

    \b
    It accepts the AK/SK in HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK and/or the token in PERFTEST_TOKEN, and answers
    anything else with 401. With none of them set it refuses to start, unless --open.

    \b
    Example:
      perftest-convert emulator --port 8086 --state emulator.json --latency-ms 50
    """
    from converter.emulator import EmulatorConfig, run_forever

    try:
        config = EmulatorConfig.from_env(
            state_path=state,
            fail_rate=fail_rate,
            fail_status=int(fail_status),
            retry_after=retry_after,
            latency_ms=latency_ms,
            fail_nth=_call_numbers("--fail-nth", fail_nth),
            drop_nth=_call_numbers("--drop-nth", drop_nth),
            seed=seed,
            max_page=max_page,
        )
        if config.open_mode and not open_:
            raise UsageError(
                "no credentials to accept: set PERFTEST_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK "
                "(or pass --open to accept every request)"
            )
        run_forever("127.0.0.1", port, config)
    except (UsageError, ValueError, OSError) as exc:
        _fail(f"emulator: {exc}")


def _call_numbers(option: str, text: str) -> frozenset[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not all(p.isdigit() and int(p) > 0 for p in parts):
        raise UsageError(f"{option} {text!r}: expected call numbers like 2,5")
    return frozenset(int(p) for p in parts)


def _finite(param: click.Parameter, value: float) -> float:
    """A float option that is a number (click's ranges let NaN through: it compares false with any bound)."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number.", param=param)
    return value


def _given(name: str) -> bool:
    """Whether the option was given (on the command line or through its environment variable), not defaulted."""
    source = click.get_current_context().get_parameter_source(name)
    return source in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)


def _think_option(value: str) -> tuple[str, int]:
    if value in ("recorded", "none"):
        return value, 0
    kind, _, number = value.partition(":")
    if kind == "fixed" and number.isdigit() and int(number) <= JAVA_INT_MAX:
        return "fixed", int(number)
    if kind == "fixed" and number.isdigit():
        raise UsageError(f"--think-time {value!r}: at most {JAVA_INT_MAX} ms")
    raise UsageError(f"--think-time {value!r}: use recorded, none or fixed:MS")


def _finish(
    run: Callable[[], Conversion],
    dry_run: bool,
    output: str,
    report: str | None,
    strict: bool,
    quiet: bool,
    upload: UploadArgs | None = None,
    source: Path | None = None,
) -> None:
    if report == "-" and output == "-" and dry_run:
        _fail("-o and --report cannot both be '-': only one of them can go to stdout")
    if report == "" or output == "":
        _fail(f"{'--report' if report == '' else '-o'} needs a file name ('-': stdout)")
    if report and report != "-" and output != "-" and _same_file(report, output):
        _fail(f"-o and --report name the same file ({output}): the plan would overwrite the report")
    for target, what in ((output, "-o"), (report, "--report")):
        if source is not None and target and target != "-" and _same_file(target, str(source)):
            _fail(f"{what} names the input file ({target}): the conversion would overwrite it")
    try:
        conversion = run()
    except InputError as exc:
        _fail(str(exc))
        return
    text = conversion.plan.to_json()
    if report:
        _write(report, conversion.report_json(), "report")
    if output == "-":
        if dry_run:
            click.echo(text, nl=False)
    else:
        _write(output, text, "plan")
    if not quiet:
        _print_summary(conversion)
    if dry_run and upload is not None and upload != UploadArgs():
        click.echo(
            click.style("note: ", fg="yellow", bold=True)
            + "upload options have no effect with --dry-run; --set values are applied at upload, never written "
            "to the plan (give them to 'perftest-convert upload')",
            err=True,
        )
    if strict and conversion.not_converted():
        click.echo(
            click.style("strict: ", fg="red", bold=True)
            + f"{conversion.not_converted()} item(s) not converted "
            + ("(see the report)" if report else "(--report FILE lists them)")
            + ("" if dry_run else "; nothing uploaded"),
            err=True,
        )
        sys.exit(EXIT_STRICT)
    if not dry_run:
        plan_path = None if output == "-" else Path(output)
        stdout_taken = report == "-"
        sys.exit(run_upload(conversion.plan, plan_path, upload or UploadArgs(), quiet, stdout_taken))


def _same_file(first: str, second: str) -> bool:
    """Whether two output paths end at the same file (through links or "./" too)."""
    return os.path.realpath(first) == os.path.realpath(second)


def _write(target: str, text: str, what: str) -> None:
    """Write the plan or the report to ``target`` ('-': stdout) whole or not at all; a failure names the
    user's path, not the temporary file beside it."""
    if target == "-":
        click.echo(text, nl=False)
        return
    try:
        write_atomic(Path(target), text)
    except OSError as exc:
        _fail(f"cannot write the {what} to {target}: {exc.strerror or exc}")


def _print_summary(conversion: Conversion) -> None:
    summary = conversion.plan.summary
    rows: list[tuple[str, str]] = []
    for key, value in summary.get("input", {}).items():
        rows.append((f"input {key}", str(value)))
    for key in ("transactions", "cases", "requests", "variables", "operations"):
        rows.append((key, str(summary.get(key, 0))))
    inferred = summary.get("inferred")
    if isinstance(inferred, dict):  # (absent from plans written before it was added)
        shapes = ", ".join(inferred.get("shapes", {}))
        rows.append(
            ("inferred", f"{inferred.get('operations', 0)} operations" + (f": {shapes}" if shapes else ""))
        )
    if summary.get("producer"):
        rows.insert(0, ("recorded with", str(summary["producer"])))
    width = max(len(k) for k, _ in rows)
    click.echo(click.style(f"perftest-convert: {conversion.plan.source.path}", bold=True), err=True)
    for key, value in rows:
        click.echo(f"  {key.ljust(width)}  {value}", err=True)
    counts = summary.get("diagnostics", {})
    colours = {"info": "blue", "warning": "yellow", "error": "red"}
    parts = [click.style(f"{counts.get(s, 0)} {s}", fg=colours[s]) for s in ("error", "warning", "info")]
    click.echo("  diagnostics  " + ", ".join(parts), err=True)
    by_code: dict[str, int] = {}
    for diag in conversion.plan.diagnostics:
        if SEVERITY_ORDER[diag.severity] >= 1:
            by_code[diag.code] = by_code.get(diag.code, 0) + 1
    for code, number in sorted(by_code.items()):
        info = CATALOG[code]
        click.echo(f"    {code} x{number}  {info.title}", err=True)


if __name__ == "__main__":  # python -m converter.cli
    main(prog_name="perftest-convert")
