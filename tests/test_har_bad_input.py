"""Bad HAR input and bad HAR options: exit 2 with one clear message (file and JSON path), or a diagnostic.

Never a traceback, never a partial plan: NaN/Infinity (the standard library's JSON reads them), statuses that are
no HTTP status, URLs the URL parser refuses, and think options that make no sense.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converter.errors import InputError
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import FIXTURES, har_doc, har_entry, run_cli, ts


def _one_entry(**changes: object) -> str:
    """A one-entry HAR with ``changes`` applied ("request.cookies" = value), written as the stdlib writes NaN."""
    entry = har_entry("https://a.test/x")
    for dotted, value in changes.items():
        target = entry
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    return json.dumps(har_doc([entry]), allow_nan=True)


@pytest.mark.parametrize(
    ("changes", "where", "fragment"),
    [
        ({"time": float("nan")}, "log.entries[0].time", "found NaN"),
        ({"time": float("inf")}, "log.entries[0].time", "found Infinity"),
        ({"response__status": float("nan")}, "log.entries[0].response.status", "found NaN"),
        ({"response__status": float("-inf")}, "log.entries[0].response.status", "found -Infinity"),
        ({"response__status": 1e300}, "log.entries[0].response.status", "from 0 to 999, found 1e+300"),
        ({"response__status": 302.7}, "log.entries[0].response.status", "found 302.7"),
        ({"response__status": 1000}, "log.entries[0].response.status", "found 1000"),
        ({"time": 10**400}, "log.entries[0].time", "found an integer of 401 digits"),
        ({"response__status": 10**400}, "log.entries[0].response.status", "an integer of 401 digits"),
        ({"request__cookies": 1.5}, "log.entries[0].request.cookies", "expected a list"),
        ({"request__cookies": [{"name": "a", "value": {}}]}, "log.entries[0].request.cookies[0].value", ""),
        ({"request__url": "https://[::1/bad"}, "log.entries[0].request.url", "Invalid IPv6 URL"),
    ],
)
def test_unusable_numbers_urls_and_cookies_are_one_clear_error(
    write_har, tmp_path: Path, changes: dict, where: str, fragment: str
) -> None:
    path = write_har(_one_entry(**changes))
    with pytest.raises(InputError) as caught:
        parse_har(path)
    assert caught.value.where == where and fragment in caught.value.message
    out = tmp_path / "plan.json"
    result = run_cli("har", str(path), "--dry-run", "-o", str(out))
    assert result.exit_code == 2 and f"{path} at {where}" in result.stderr
    assert not out.exists()


def test_a_whole_float_status_is_a_status(write_har) -> None:
    scenario = parse_har(write_har(_one_entry(response__status=201.0)))
    request = next(iter(scenario.transactions.values())).steps[0]
    assert request.checks[0].values == ["201"]


def test_an_infinite_body_size_is_no_missing_body(write_har) -> None:
    for size in (float("inf"), float("nan")):
        scenario = parse_har(write_har(_one_entry(request__bodySize=size)))
        assert not [d for d in scenario.diagnostics if d.code == "HAR017"]


def test_an_unusable_location_is_a_redirect_to_nowhere_not_a_traceback(write_har) -> None:
    start = har_entry("https://a.test/a", status=302, start=ts(0))
    start["response"]["headers"] = [{"name": "Location", "value": "http://[bad/x"}]
    scenario = parse_har(write_har(har_doc([start, har_entry("https://a.test/b", start=ts(1))])))
    [open_redirect] = [d for d in scenario.diagnostics if d.code == "HAR018"]
    assert "http://[bad/x" in open_redirect.message and open_redirect.location.source == "har:entries[0]"


SHOP = FIXTURES / "har" / "shop.har"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--think-scale", "nan"),
        ("--think-scale", "inf"),
        ("--think-scale", "-1"),
        ("--think-scale", "1e308"),
        ("--think-max", "-5"),
        ("--think-min", "-1"),
        ("--group-gap", "-1"),
    ],
)
def test_nonsensical_think_and_gap_options_exit_2(tmp_path: Path, option: str, value: str) -> None:
    out = tmp_path / "plan.json"
    result = run_cli("har", str(SHOP), "--dry-run", "-o", str(out), option, value)
    assert result.exit_code == 2 and option in result.stderr
    assert not out.exists()


def test_a_non_finite_scale_given_through_the_api_gives_no_think_time(write_har) -> None:
    doc = har_doc([har_entry("https://a.test/1", start=ts(0)), har_entry("https://a.test/2", start=ts(3))])
    scenario = parse_har(write_har(doc), HarOptions(think_scale=float("nan")))
    assert scenario.stats.get("think_steps") is None
