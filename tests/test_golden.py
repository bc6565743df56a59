"""Golden plans of the project's own fixtures (reviewed by eye), and byte-for-byte determinism.

Regenerate after a deliberate change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py``, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

HAR_FIXTURES = sorted((FIXTURES / "har").glob("*.har"))
JMX_FIXTURES = sorted((FIXTURES / "jmx").glob("*.jmx"))
GOLDEN = [(p, "har") for p in HAR_FIXTURES] + [
    (p, "jmx")
    for p in JMX_FIXTURES
    if p.with_suffix(".plan.json").exists() or os.environ.get("UPDATE_GOLDEN")
]


def _convert(path: Path, kind: str, out: Path) -> bytes:
    result = run_cli(kind, str(path), "--dry-run", "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    return out.read_bytes()


@pytest.mark.parametrize(("path", "kind"), GOLDEN, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_golden_plan(path: Path, kind: str, tmp_path: Path) -> None:
    produced = _convert(path, kind, tmp_path / "plan.json")
    golden = path.with_suffix(".plan.json")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(produced)
    assert golden.exists(), f"no golden plan for {path.name}"
    assert produced.decode() == golden.read_text(encoding="utf-8")


def test_at_least_three_har_goldens() -> None:
    assert sum(1 for p in HAR_FIXTURES if p.with_suffix(".plan.json").exists()) >= 3


@pytest.mark.parametrize(("path", "kind"), GOLDEN[:1] + [g for g in GOLDEN if g[1] == "jmx"][:1], ids=str)
def test_two_runs_give_identical_bytes(path: Path, kind: str, tmp_path: Path) -> None:
    assert _convert(path, kind, tmp_path / "a.json") == _convert(path, kind, tmp_path / "b.json")
