"""HAR conversion speed and memory next to a plain ``json.load`` of the same file (a script; it asserts nothing).

Generates Chrome-like HARs of 1k, 10k and 50k entries (60 % static, 30 % POST bodies, one page per 50 entries)
and prints, for each size, wall time and peak RSS of the conversion and of ``json.load``, each measured in a
fresh child process so one does not inherit the other's memory (best of three runs each). The conversion's time
starts once the converter is imported; the import time is printed apart. The last columns show the converter's
JSON reading alone (pydantic-core's ``from_json`` with the collector paused, as the converter reads): the part of
the time budget that is spent before any entry is looked at. The very last ones are the conversion's main-thread
CPU time and its ratio to ``json.load``'s (the least of the three runs each): on a shared machine it moves less
than the wall time. The file's SHA-256, computed on a second thread while the JSON is parsed, is not in it.

    python benchmarks/har_bench.py            # all sizes
    python benchmarks/har_bench.py 1000 10000 # chosen sizes
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = [1_000, 10_000, 50_000]
# The children measure the converter of this checkout, whatever the working directory or the installed copy.
ROOT = Path(__file__).resolve().parent.parent
CHILD_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
}

# The converter's imports (pydantic, lxml, haralyzer...) are measured apart: a fixed start-up cost of the process,
# not of the conversion, and json.load's side pays none of it. Memory is the peak RSS of the whole process and the
# peak above what the process held once its imports were done (as benchmarks/jmx_bench.py reports it).
# Peak RSS is read from /proc/self/status (VmHWM): getrusage's ru_maxrss would carry over the high-water mark of
# the benchmark process that spawned the child, which holds the generated HAR.
CHILD = r"""
import json, sys, time
from pathlib import Path

def peak_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024

mode, path = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()
if mode == "convert":
    from converter.convert import convert_har
elif mode == "parse":
    import gc
    from pydantic_core import from_json
imported = time.perf_counter()
base_mb = peak_mb()
cpu = time.thread_time()
if mode == "json":
    with path.open(encoding="utf-8") as handle:
        json.load(handle)
elif mode == "parse":  # the converter's JSON reading alone, as it reads (pydantic-core, collector paused)
    gc.disable()
    from_json(path.read_bytes())
else:
    conversion = convert_har(path)
    conversion.plan.to_json()
    del conversion
elapsed = time.perf_counter() - imported
cpu = time.thread_time() - cpu
peak = peak_mb()
print(json.dumps({"seconds": elapsed, "cpu": cpu, "imports": imported - start, "peak_mb": peak,
                  "above_mb": peak - base_mb}))
"""


def make_har(count: int, path: Path) -> None:
    rng = random.Random(count)
    pages = []
    entries = []
    for index in range(count):
        page_number = index // 50
        if index % 50 == 0:
            pages.append(
                {"id": f"page_{page_number}", "title": f"Page {page_number}", "startedDateTime": _ts(index)}
            )
        roll = rng.random()
        static = roll < 0.6
        post = not static and roll < 0.9
        url = f"https://shop{page_number % 7}.example.test/" + (
            f"static/asset{index}.{rng.choice(['js', 'css', 'png', 'woff2'])}"
            if static
            else f"api/item/{index}?q={index}"
        )
        headers = [
            {"name": ":authority", "value": "shop.example.test"},
            {"name": "User-Agent", "value": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"},
            {"name": "Accept", "value": "*/*"},
            {"name": "Accept-Language", "value": "en-US,en;q=0.9"},
            {"name": "Cookie", "value": f"sid=session{page_number}abcdef; theme=dark"},
        ]
        entry = {
            "pageref": f"page_{page_number}",
            "startedDateTime": _ts(index),
            "time": 20 + rng.random() * 80,
            "request": {
                "method": "POST" if post else "GET",
                "url": url,
                "httpVersion": "h2",
                "headers": headers,
                "queryString": [],
                "cookies": [],
                "headersSize": -1,
                "bodySize": 0,
            },
            "response": {
                "status": 200,
                "statusText": "",
                "httpVersion": "h2",
                "headers": [{"name": "content-type", "value": "application/json"}] * 6,
                "cookies": [],
                "content": {
                    "size": 4000,
                    "mimeType": "image/png" if static else "application/json",
                    "text": "x" * 4000,
                },
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": 4000,
            },
            "cache": {},
            "timings": {"send": 1, "wait": 30, "receive": 5},
            "_resourceType": rng.choice(["script", "stylesheet", "image", "font"]) if static else "fetch",
        }
        if post:
            body = json.dumps(
                {"item": index, "quantity": rng.randint(1, 9), "note": "n" * rng.randint(10, 400)}
            )
            entry["request"]["postData"] = {"mimeType": "application/json", "text": body}
        entries.append(entry)
    doc = {
        "log": {
            "version": "1.2",
            "creator": {"name": "bench", "version": "1"},
            "pages": pages,
            "entries": entries,
        }
    }
    path.write_text(json.dumps(doc), encoding="utf-8")


def _ts(index: int) -> str:
    seconds = index * 0.15
    return f"2026-01-01T{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}:{seconds % 60:06.3f}Z"


def measure(mode: str, path: Path, runs: int = 3) -> dict[str, float]:
    """The fastest of ``runs`` fresh processes (the least disturbed by whatever else the machine does), with the
    least main-thread CPU time of them ("cpu"): on a busy machine that time moves less than the wall time."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, mode, str(path)],
            check=True,
            capture_output=True,
            text=True,
            env=CHILD_ENV,
        )
        results.append(json.loads(out.stdout))
    best = min(results, key=lambda r: r["seconds"])
    return {**best, "cpu": min(r["cpu"] for r in results)}


def main(sizes: list[int]) -> None:
    print(
        f"{'entries':>8} {'MB':>6} | {'json.load s':>11} {'convert s':>9} {'x time':>6} | "
        f"{'json MB':>7} {'conv MB':>7} {'x mem':>5} | {'json +MB':>8} {'conv +MB':>8} {'x mem':>5} | {'imports s':>9} | "
        f"{'parse s':>7} {'x time':>6} | {'conv cpu s':>10} {'x cpu':>5}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"bench-{size}.har"
            make_har(size, path)
            base = measure("json", path)
            conv = measure("convert", path)
            parse = measure("parse", path)
            print(
                f"{size:>8} {path.stat().st_size / 1e6:>6.1f} | {base['seconds']:>11.2f} {conv['seconds']:>9.2f} "
                f"{conv['seconds'] / base['seconds']:>6.2f} | {base['peak_mb']:>7.0f} {conv['peak_mb']:>7.0f} "
                f"{conv['peak_mb'] / base['peak_mb']:>5.2f} | {base['above_mb']:>8.0f} {conv['above_mb']:>8.0f} "
                f"{conv['above_mb'] / max(base['above_mb'], 1):>5.2f} | {conv['imports']:>9.2f} | "
                f"{parse['seconds']:>7.2f} {parse['seconds'] / base['seconds']:>6.2f} | "
                f"{conv['cpu']:>10.2f} {conv['cpu'] / base['cpu']:>5.2f}"
            )


def _size(text: str) -> int:
    """A size on the command line: a positive whole number."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cli.add_argument(
        "sizes",
        nargs="*",
        type=_size,
        metavar="N",
        help="numbers of entries (default: %(default)s)",
        default=SIZES,
    )
    main(cli.parse_args().sizes)
