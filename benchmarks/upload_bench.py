"""Upload speed against the emulator: a plan of 200 transactions and 10 cases, 50 ms latency per call.

Prints, per concurrency, the wall time of the upload next to the sequential bound (calls x latency) and their
ratio, the calls made, and the duplicate creates (expected: none); then the read-back verification time.
The goal is <= 0.2x the bound at the default concurrency (4). Prints figures; asserts nothing.
Usage: python benchmarks/upload_bench.py [--latency-ms 50] [--concurrency 4 8 16]
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from converter.convert import convert_jmx
from converter.plan import Plan
from converter.upload.client import PerfTestClient, RetryPolicy
from converter.upload.credentials import Credentials
from converter.upload.journal import Journal
from converter.upload.runner import Runner, UploadOptions
from converter.upload.verify import verify_upload
from tests.upload_support import synthetic_jmx  # the same plan shape the upload tests use

ROOT = str(Path(__file__).resolve().parent.parent)
TOKEN = "bench-token"
CLOUD_PROJECT = "bench"
KINDS = {"CreateProject": "projects", "CreateTemp": "temps", "CreateTask": "tasks", "CreateCase": "cases"}


def duplicates(client: PerfTestClient, plan: Plan, suite: int) -> int:
    """Resources beyond one per planned create, counted through the API (projects, transactions, tasks,
    cases by name)."""
    wanted: collections.Counter[tuple[str, str]] = collections.Counter(
        (KINDS[op.operation], op.body["name"]) for op in plan.operations if op.operation in KINDS
    )
    found: collections.Counter[tuple[str, str]] = collections.Counter()

    def get(operation: str, **params: object) -> dict[str, Any]:
        body = client.call(operation, "counting", client.op_path(operation, **params)).body
        return body if isinstance(body, dict) else {}

    found.update(("projects", p["name"]) for p in get("ListProjectSets")["projects"])
    found.update(("temps", t["name"]) for t in get("ShowTempSet", test_suite_id=suite)["temps"])
    for task in get("ShowTaskSet", test_suite_id=suite)["tasks"]:
        found[("tasks", task["name"])] += 1
        cases = get("ShowTask", task_id=task["id"])["taskInfo"]["case_list"]
        found.update(("cases", c["name"]) for c in cases)
    return sum(max(count - wanted[key], 0) for key, count in found.items())


@contextmanager
def emulator(latency_ms: int) -> Iterator[str]:
    """``perftest-convert emulator`` in its own process (so it does not share the uploader's GIL)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from converter.cli import main; main()",
            "emulator",
            "--latency-ms",
            str(latency_ms),
        ],
        env={
            **os.environ,
            # the emulator of this checkout, as the uploader (sys.path above), wherever the script runs from
            "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])),
            "PERFTEST_TOKEN": TOKEN,
            "HUAWEICLOUD_SDK_AK": "",
            "HUAWEICLOUD_SDK_SK": "",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def run(plan: Plan, latency_ms: int, concurrency: int, folder: Path) -> None:
    with emulator(latency_ms) as url:
        _upload(plan, url, latency_ms, concurrency, folder)


def _upload(plan: Plan, url: str, latency_ms: int, concurrency: int, folder: Path) -> None:
    client = PerfTestClient(
        url,
        CLOUD_PROJECT,
        Credentials(source="PERFTEST_TOKEN", token=TOKEN),
        retry=RetryPolicy(retries=6, base_delay=0.05),
        max_connections=concurrency + 2,
    )
    journal = Journal.create(folder / f"c{concurrency}.jsonl")
    try:
        started = time.perf_counter()
        result = Runner(plan, client, journal, UploadOptions(concurrency=concurrency)).run()
        wall = time.perf_counter() - started
        calls = client.stats.requests
        bound = calls * latency_ms / 1000
        started = time.perf_counter()
        differences = (
            verify_upload(plan, client, result.captured, concurrency=concurrency) if result.ok else []
        )
        verify_wall = time.perf_counter() - started
        verify_calls = client.stats.requests - calls
        extra = duplicates(client, plan, result.captured["project"]["id"]) if result.ok else -1
        print(
            f"{concurrency:>11}  {'ok' if result.ok else 'FAILED':>6}  {calls:>5}  {bound:>9.2f} s"
            f"  {wall:>8.2f} s  {wall / max(bound, 1e-9):>6.3f}x  {extra:>10}"
            f"  {verify_calls:>5} calls {verify_wall:>6.2f} s, {len(differences)} differences"
        )
    finally:
        journal.close()
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 8, 16])
    parser.add_argument("--cases", type=int, default=10)
    parser.add_argument("--transactions", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = synthetic_jmx(
            folder / "bench.jmx", args.cases, args.transactions // args.cases, users=10, ramp_s=0
        )
        plan = convert_jmx(source).plan
        counts = collections.Counter(op.operation for op in plan.operations)
        print(
            f"plan: {len(plan.operations)} operations ({dict(counts)}); emulator latency {args.latency_ms} ms"
        )
        print("concurrency  result  calls  sequential bound  wall time   ratio  duplicates  read-back")
        for concurrency in args.concurrency:
            run(plan, args.latency_ms, concurrency, folder)


if __name__ == "__main__":
    main()
