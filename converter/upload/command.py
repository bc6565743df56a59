"""The upload half of the command line: options shared by ``upload``, ``har`` and ``jmx``, and ``run_upload``,
which resolves target and credentials, runs the plan with a progress bar, verifies, and prints the result.

Everything printed passes through ``redact`` with the credentials and the ``--set`` values: no secret is echoed.
Exit codes: 0 uploaded; 1 the upload failed or the credentials are missing or refused; 2 bad input or usage.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import click

from converter.files import write_atomic
from converter.plan import Plan
from converter.upload.client import PerfTestClient, RetryPolicy, TargetError, resolve_endpoint
from converter.upload.credentials import ENV_PROJECT_ID, CredentialsError, redact, resolve_credentials
from converter.upload.journal import Journal, JournalError, JournalState, read_journal
from converter.upload.runner import OnError, PlanError, Runner, UploadOptions, UploadResult, check_plan
from converter.upload.verify import verify_upload

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
_MAX_DIFFERENCES_SHOWN = 40


@dataclass
class UploadArgs:
    """The upload options as given on the command line."""

    region: str | None = None
    endpoint: str | None = None
    project_id: str | None = None
    token_file: Path | None = None
    test_suite_id: int | None = None
    concurrency: int = 4
    journal: Path | None = None
    resume: Path | None = None
    on_error: str = "keep"
    set_values: tuple[str, ...] = field(default=(), repr=False)
    set_file: Path | None = None
    no_verify: bool = False
    retries: int = 6
    retry_delay: float = 0.5
    timeout: float = 30.0

    @classmethod
    def pop_from(cls, kwargs: dict[str, Any]) -> UploadArgs:
        """Take this class's fields out of a click command's keyword arguments."""
        names = [name for name in cls.__dataclass_fields__ if name in kwargs]
        return cls(**{name: kwargs.pop(name) for name in names})


def upload_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The click options of an upload (see ``UploadArgs``)."""
    path = click.Path(dir_okay=False, path_type=Path)
    decorators = [
        click.option("--region", metavar="REGION", help="PerfTest region, e.g. cn-north-4."),
        click.option("--endpoint", metavar="URL", help="PerfTest base URL (or env PERFTEST_ENDPOINT)."),
        click.option("--project-id", metavar="ID", help=f"Cloud project id (or env {ENV_PROJECT_ID})."),
        click.option("--token-file", type=path, help="File holding an IAM token (or env PERFTEST_TOKEN)."),
        click.option(
            "--test-suite-id",
            type=click.IntRange(min=1),
            metavar="N",
            help="Upload into this existing PerfTest project instead of creating one.",
        ),
        click.option(
            "--concurrency",
            default=4,
            show_default=True,
            type=click.IntRange(1, 64),
            metavar="N",
            help="Calls in flight at once (1 to 64).",
        ),
        click.option("--journal", type=path, help="Journal file (default: ./<name>-upload-<time>.jsonl)."),
        click.option(
            "--resume", type=path, metavar="JOURNAL", help="Continue the upload this journal records."
        ),
        click.option(
            "--on-error",
            type=click.Choice(["keep", "rollback"]),
            default="keep",
            show_default=True,
            help="On failure keep what was created (resumable) or delete it.",
        ),
        click.option(
            "--set",
            "set_values",
            multiple=True,
            metavar="NAME=VALUE",
            help="Value for a plan fill (repeatable).",
        ),
        click.option("--set-file", type=path, help="File of NAME=VALUE lines for plan fills."),
        click.option("--no-verify", is_flag=True, help="Skip reading back what was created."),
        click.option(
            "--retries",
            default=6,
            show_default=True,
            type=click.IntRange(0, 50),
            metavar="N",
            help="Re-sends per call after 429, 5xx or a connection error (0 to 50).",
        ),
        click.option(
            "--retry-delay",
            default=0.5,
            show_default=True,
            type=click.FloatRange(0, 60),
            metavar="S",
            help="First backoff before a re-send, doubled each time (at most 30 s), with jitter; a longer Retry-After wins.",
        ),
        click.option(
            "--timeout",
            default=30.0,
            show_default=True,
            type=click.FloatRange(0.1, 600),
            metavar="S",
            help="Seconds to wait for each call's response (connecting: at most 10).",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


class _Usage(Exception):
    """A usage problem found while preparing the upload (exit 2)."""


def _read_values(args: UploadArgs) -> dict[str, str]:
    """``--set-file`` lines then ``--set`` options; messages never contain a value."""
    values: dict[str, str] = {}
    if args.set_file is not None:
        try:
            lines = args.set_file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            raise _Usage(f"--set-file {args.set_file}: cannot read it as UTF-8 text") from None
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise _Usage(f"--set-file {args.set_file}:{number}: expected NAME=VALUE")
            values[name.strip()] = value
    for number, item in enumerate(args.set_values, 1):
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise _Usage(f"--set (occurrence {number}): expected NAME=VALUE")
        values[name] = value
    return values


def _default_journal(plan: Plan) -> Path:
    """``./<input name>-upload-<time>.jsonl``, with a counter when that name is taken."""
    base = f"{Path(plan.source.path).stem or 'plan'}-upload-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    path, number = Path(f"{base}.jsonl"), 1
    while path.exists() or path.with_suffix(".plan.json").exists():
        number += 1
        path = Path(f"{base}-{number}.jsonl")
    return path


def run_upload(
    plan: Plan, plan_path: Path | None, args: UploadArgs, quiet: bool = False, stdout_taken: bool = False
) -> int:
    """Upload ``plan``; ``plan_path`` is where it is saved (None: save it beside the journal). Returns the
    exit code; prints progress and messages on stderr and the table of created resources on stdout (on stderr
    too when ``stdout_taken``: stdout already holds a document, the ``--report -``)."""
    secrets: list[str] = []

    def say(message: str, colour: str | None = None, prefix: str = "") -> None:
        head = click.style(prefix, fg=colour, bold=True) if prefix else ""
        click.echo(head + redact(message, secrets), err=True)

    try:
        values = _read_values(args)
        secrets.extend(values.values())
        on_error = cast(OnError, args.on_error)
        options = UploadOptions(args.concurrency, on_error, args.test_suite_id, values)
        unfilled = check_plan(plan, options)
        endpoint = resolve_endpoint(args.region, args.endpoint, os.environ)
        project_id = (args.project_id or os.environ.get(ENV_PROJECT_ID) or "").strip()
        if not project_id:
            raise _Usage(f"no cloud project id: pass --project-id or set {ENV_PROJECT_ID}")
        resume: JournalState | None = read_journal(args.resume) if args.resume else None
        if args.resume and args.journal and args.journal != args.resume:
            raise _Usage("--resume continues its own journal; drop --journal")
    except (_Usage, PlanError, TargetError, JournalError) as exc:
        say(str(exc), "red", "error: ")
        return EXIT_USAGE
    try:
        credentials = resolve_credentials(os.environ, args.token_file)
    except CredentialsError as exc:
        say(str(exc), "red", "error: ")
        return EXIT_FAILED
    secrets.extend(credentials.secrets())
    if unfilled and not quiet:
        say(
            f"no value given for {', '.join(unfilled)}: uploaded with the plan's placeholder "
            "(use --set NAME=VALUE or --set-file FILE)",
            "yellow",
            "warning: ",
        )
    retry = RetryPolicy(
        retries=args.retries, base_delay=args.retry_delay, max_delay=max(30.0, args.retry_delay)
    )
    client = PerfTestClient(
        endpoint,
        project_id,
        credentials,
        timeout=args.timeout,
        retry=retry,
        max_connections=args.concurrency + 2,
        extra_secrets=list(values.values()),
    )
    wrote_plan = False
    try:
        journal = (
            Journal.append_to(args.resume)
            if args.resume
            else Journal.create(args.journal or _default_journal(plan))
        )
        if plan_path is None:  # converted just now: keep the plan beside the journal, for --resume
            plan_path = journal.path.with_suffix(".plan.json")
            if not plan_path.exists():
                write_atomic(plan_path, plan.to_json())
                wrote_plan = True
    except (JournalError, OSError) as exc:
        say(str(exc), "red", "error: ")
        client.close()
        return EXIT_USAGE
    try:
        return _run(
            plan, plan_path, wrote_plan, args, options, client, journal, resume, quiet, say, stdout_taken
        )
    except JournalError as exc:
        say(str(exc), "red", "error: ")
        return EXIT_USAGE
    finally:
        journal.close()
        client.close()


def _run(
    plan: Plan,
    plan_path: Path | None,
    wrote_plan: bool,
    args: UploadArgs,
    options: UploadOptions,
    client: PerfTestClient,
    journal: Journal,
    resume: JournalState | None,
    quiet: bool,
    say: Callable[..., None],
    stdout_taken: bool,
) -> int:
    runner = Runner(plan, client, journal, options)
    total = runner.pending_count(resume)
    try:
        if quiet:
            result = runner.run(resume)
        else:
            with click.progressbar(length=total, label="uploading", file=sys.stderr, show_pos=True) as bar:
                runner.on_progress = lambda item: bar.update(1)
                result = runner.run(resume)
    except KeyboardInterrupt:
        say("interrupted", "red", "error: ")
        _resume_hint(plan_path, args, journal.path, bool(options.values), say)
        return EXIT_FAILED
    _print_table(result, client, options, err=stdout_taken)
    if not result.ok:
        say(result.error or "the upload failed", "red", "error: ")
        if not result.started:
            say("nothing was created")
            _discard(journal.path, plan_path if wrote_plan else None)
            return EXIT_FAILED
        _after_failure(result, plan_path, args, journal.path, bool(options.values), say)
        return EXIT_FAILED
    if not args.no_verify:
        differences = verify_upload(plan, client, result.captured, options.values, options.concurrency)
        if not differences:
            if not quiet:
                say("every field came back as sent", "green", "verified: ")
        else:
            say(f"{len(differences)} field(s) the server dropped or changed:", "yellow", "verify: ")
            for difference in differences[:_MAX_DIFFERENCES_SHOWN]:
                say(f"  {difference}")
            if len(differences) > _MAX_DIFFERENCES_SHOWN:
                say(f"  ... and {len(differences) - _MAX_DIFFERENCES_SHOWN} more")
    if not quiet:
        say(f"journal: {journal.path}")
    return EXIT_OK


def _discard(journal_path: Path, plan_path: Path | None) -> None:
    """Remove the journal (and the plan saved beside it) of an upload that created nothing."""
    journal_path.unlink(missing_ok=True)
    if plan_path is not None:
        plan_path.unlink(missing_ok=True)


def _print_table(result: UploadResult, client: PerfTestClient, options: UploadOptions, err: bool) -> None:
    """What was created, with ids, on stdout (``err``: on stderr)."""
    if not result.created and options.test_suite_id is None:
        return
    suite = options.test_suite_id or next(
        (c.id for c in result.created if c.operation == "CreateProject"), None
    )
    click.echo(
        f"PerfTest project (test suite) {suite} in cloud project {client.project_id} at {client.endpoint}",
        err=err,
    )
    rows = [("kind", "name", "id", "plan item", "note")]
    kinds = {
        "CreateProject": "project",
        "CreateVariable": "variable",
        "CreateTemp": "transaction",
        "CreateTask": "task",
        "CreateCase": "case",
    }
    for c in result.created:
        note = "adopted after a lost response" if c.adopted else ""
        rows.append((kinds.get(c.operation, c.operation), c.name, str(c.id), c.item, note))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        line = "  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4]
        click.echo(line, err=err)


def _after_failure(
    result: UploadResult,
    plan_path: Path | None,
    args: UploadArgs,
    journal_path: Path,
    had_values: bool,
    say: Callable[..., None],
) -> None:
    if args.on_error == "rollback":
        say(f"rollback: deleted {len(result.rolled_back)} resource(s), newest first")
        for problem in result.rollback_errors:
            say(f"  could not delete: {problem}", "red")
        return
    _resume_hint(plan_path, args, journal_path, had_values, say)


def _resume_hint(
    plan_path: Path | None, args: UploadArgs, journal_path: Path, had_values: bool, say: Callable[..., None]
) -> None:
    """Print the command that continues this upload (``--set`` values are never repeated in it)."""
    command = ["perftest-convert", "upload", str(plan_path), "--resume", str(journal_path)]
    if args.region:
        command += ["--region", args.region]
    if args.endpoint:
        command += ["--endpoint", args.endpoint]
    if args.project_id:
        command += ["--project-id", args.project_id]
    if args.token_file:
        command += ["--token-file", str(args.token_file)]
    say("what was created is kept; continue with:")
    say("  " + shlex.join(command) + ("  (plus your --set/--set-file options)" if had_values else ""))
