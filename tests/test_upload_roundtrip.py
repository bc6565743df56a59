"""Every corpus file and fixture converts, uploads to the emulator over loopback, and reads back as planned."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from converter.convert import convert_har, convert_jmx
from converter.emulator import EmulatorServer
from converter.plan import Plan, load_plan
from converter.upload.verify import verify_upload
from tests.conftest import CORPUS, FIXTURES
from tests.upload_support import (
    assert_uploaded_as_planned,
    emulator,
    journal_records,
    planned,
    run_upload,
    stored,
    token_client,
)

INPUTS = sorted(CORPUS.glob("har/*.har")) + sorted(CORPUS.glob("jmx/*.jmx")) if CORPUS.is_dir() else []
FIXTURE_PLANS = sorted(FIXTURES.glob("**/*.plan.json"))
_counter = itertools.count(1)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[EmulatorServer, str]]:
    with emulator() as running:
        yield running


def _convert(path: Path) -> Plan:
    if path.suffix == ".har":
        return convert_har(path).plan
    return convert_jmx(path).plan


def _upload_and_check(plan: Plan, server: tuple[EmulatorServer, str], tmp_path: Path) -> None:
    emu, url = server
    # every operation the converter planned follows the documented contract, before the emulator says so too
    assert [(op.id, op.contract_problem()) for op in plan.operations if op.contract_problem()] == []
    client = token_client(url)
    before = stored(emu)
    result = run_upload(plan, client, tmp_path / f"j{next(_counter)}.jsonl")
    assert result.ok, result.error
    after = stored(emu)
    for kind, names in planned(plan).items():  # each planned resource exists exactly once more than before
        assert after[kind] - before[kind] == names, kind
    assert_uploaded_as_planned(plan, client, result)
    assert verify_upload(plan, client, result.captured) == []
    client.close()


@pytest.mark.skipif(not INPUTS, reason="shared corpus not present")
@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_corpus_file_uploads_and_reads_back(path: Path, server, tmp_path: Path) -> None:
    _upload_and_check(_convert(path), server, tmp_path)


@pytest.mark.parametrize("path", FIXTURE_PLANS, ids=[p.name for p in FIXTURE_PLANS])
def test_fixture_plan_uploads_and_reads_back(path: Path, server, tmp_path: Path) -> None:
    _upload_and_check(load_plan(path), server, tmp_path)


def test_journal_records_every_operation_with_its_ids(server, tmp_path: Path) -> None:
    plan = load_plan(FIXTURES / "har" / "shop.plan.json")
    journal = tmp_path / "j.jsonl"
    result = run_upload(plan, token_client(server[1]), journal)
    assert result.ok
    records = journal_records(journal)
    assert records[0]["type"] == "start" and records[-1] == {**records[-1], "type": "end", "result": "ok"}
    done = {r["op"]: r for r in records if r["type"] == "done"}
    assert set(done) == {op.id for op in plan.operations}
    for op in plan.operations:
        assert set(done[op.id]["ids"]) == set(op.capture)
        assert done[op.id]["ids"] == result.captured[op.id]
    begun = [r["op"] for r in records if r["type"] == "begin"]
    assert sorted(begun) == sorted(op.id for op in plan.operations if op.operation.startswith("Create"))
