"""The collector pause used by readers and the emitter: it restores the collector and costs no pass afterwards."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from converter.gcpause import collector_paused
from tests.conftest import FIXTURES


class _Node:
    def __init__(self) -> None:
        self.children: list[_Node] = []


def test_pause_restores_the_collector_and_leaves_no_young_backlog() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        built = [{"n": n, "items": [n]} for n in range(50_000)]
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000  # what was built went to the oldest generation, not into a pending pass
    assert len(built) == 50_000


def test_nested_or_caller_disabled_pause_leaves_the_state_alone() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_built_while_paused_are_still_freed_and_cycles_still_collected() -> None:
    with collector_paused():
        plain = _Node()
        cyclic = _Node()
        cyclic.children.append(cyclic)
    plain_ref, cyclic_ref = weakref.ref(plain), weakref.ref(cyclic)
    del plain, cyclic
    assert plain_ref() is None  # reference counting
    gc.collect()
    assert cyclic_ref() is None  # the full collection still finds the cycle


@pytest.mark.parametrize(
    "path", sorted((FIXTURES / "har").glob("*.har")) + sorted((FIXTURES / "jmx").glob("*.jmx"))
)
def test_a_conversion_leaves_no_reference_cycles(path: Path) -> None:
    # What gcpause relies on: readers, models and the emitter build no cycles, so a finished conversion is
    # freed by reference counting at once (a recursive closure in a validator used to keep whole scenarios
    # alive until the next full collection, and made the command's exit walk them all).
    from converter.convert import convert_har, convert_jmx

    gc.collect()
    conversion = (convert_har if path.suffix == ".har" else convert_jmx)(path)
    conversion.plan.to_json()
    conversion.report_json()
    del conversion
    assert gc.collect() == 0
