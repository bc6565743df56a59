"""``python -m converter.emulator``: run the PerfTest emulator in the foreground (URL on the first stdout line).

Credentials come from HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK / PERFTEST_TOKEN; without any, every request is
accepted.
"""

from __future__ import annotations

import argparse

from converter.emulator.server import EmulatorConfig, run_forever


def _numbers(text: str) -> frozenset[int]:
    return frozenset(int(part) for part in text.split(",") if part.strip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m converter.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--state", dest="state_path", help="JSON file to load and persist the state")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of calls failing, 0..1 (seeded)")
    parser.add_argument("--fail-status", type=int, default=500, choices=(500, 501, 429, 503))
    parser.add_argument("--retry-after", type=int, default=0, choices=(0, 1))
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--fail-nth", type=_numbers, default=frozenset(), help="call numbers that fail: 2,5")
    parser.add_argument(
        "--drop-nth", type=_numbers, default=frozenset(), help="call numbers committed, unanswered"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--max-page", type=int, default=None, help="most rows a paged list call returns, whatever its limit"
    )
    args = parser.parse_args(argv)
    options = vars(args)
    host, port = options.pop("host"), options.pop("port")
    run_forever(host, port, EmulatorConfig.from_env(**options))


if __name__ == "__main__":
    main()
