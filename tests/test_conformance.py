"""Every key the emitter sends is one the reference documents, checked against the official SDK's models.

Inferred shapes (think-time, checkpoint and extraction cards, controller data) are listed in
``converter.emit.cards`` and set aside here; the raw ``body`` string of a request card is the one inferred key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from converter.emit import cards
from converter.plan import Plan
from tests.conftest import CORPUS, FIXTURES, run_cli

sdk = pytest.importorskip("huaweicloudsdkcpts.v1.model")


def _keys(model: str) -> set[str]:
    return set(getattr(sdk, model).attribute_map.values())


BODY_MODELS = {
    "CreateProject": "CreateProjectRequestBody",
    "CreateTemp": "CreateTempRequestBody",
    "UpdateTemp": "UpdateTempRequestBody",
    "CreateTask": "CreateTaskRequestBody",
    "CreateCase": "CreateCaseRequestBody",
}


def _inputs() -> list[tuple[str, Path]]:
    found = [("har", p) for p in sorted((FIXTURES / "har").glob("*.har"))]
    found += [("jmx", p) for p in sorted((FIXTURES / "jmx").glob("*.jmx"))]
    if (CORPUS / "har").is_dir():
        found += [("har", p) for p in sorted((CORPUS / "har").glob("*.har"))[:6]]
    if (CORPUS / "jmx").is_dir():
        found += [("jmx", p) for p in sorted((CORPUS / "jmx").glob("*.jmx"))]
    return found


def _check_steps(
    steps: list[dict[str, Any]], envelope_keys: set[str], problems: list[str], where: str
) -> None:
    for step in steps:
        extra = set(step) - envelope_keys
        if extra:
            problems.append(f"{where}: envelope keys {sorted(extra)}")
        for card in step["content"]:
            if set(card) - _keys("Content"):
                problems.append(f"{where}: card keys {sorted(set(card) - _keys('Content'))}")
            if card["content_type"] == cards.CARD_REQUEST:
                extra = set(card["content"]) - _keys("ContentInfo") - cards.INFERRED_REQUEST_KEYS
                if extra:
                    problems.append(f"{where}: request card keys {sorted(extra)}")
                for header in card["content"]["headers"]:
                    if set(header) != _keys("ContentHeader"):
                        problems.append(f"{where}: header keys {sorted(header)}")
            else:
                assert card["content_type"] in (cards.CARD_THINK, cards.CARD_CHECK, cards.CARD_EXTRACT)
        data = step.get("data")
        if isinstance(data, dict) and isinstance(data.get("contents"), list):
            _check_steps(data["contents"], envelope_keys, problems, where)


@pytest.mark.parametrize(("kind", "path"), _inputs(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_emitted_keys_are_documented(kind: str, path: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = run_cli(kind, str(path), "--dry-run", "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    plan = Plan.from_json(out.read_text(encoding="utf-8"))
    problems: list[str] = []
    for op in plan.operations:
        if op.operation in BODY_MODELS:
            extra = set(op.body) - _keys(BODY_MODELS[op.operation])
            if extra:
                problems.append(f"{op.id}: body keys {sorted(extra)}")
        if op.operation == "CreateVariable":
            for item in op.body:
                if set(item) != _keys("CreateVariableRequestBody"):
                    problems.append(f"{op.id}: variable keys {sorted(item)}")
        if op.operation == "UpdateTemp":
            _check_steps(op.body["contents"], _keys("TempContentInfo"), problems, op.id)
        if op.operation == "UpdateCase" and op.path.endswith("/content"):
            assert set(op.body) == {"contents"}
            _check_steps(op.body["contents"], _keys("Contents"), problems, op.id)
        if op.operation == "UpdateCase" and op.path.endswith("/stage"):
            assert set(op.body) == {"stages"}
            for stage in op.body["stages"]:
                extra = set(stage) - _keys("TestCaseStage")
                if extra:
                    problems.append(f"{op.id}: stage keys {sorted(extra)}")
        if op.operation == "UpdateTaskRelatedTestCase":
            assert set(op.body) == {"name", "parallel", "project_id", "operate_mode", "case_id_list"}
    assert problems == []


def test_inferred_request_keys_are_really_undocumented() -> None:
    assert not (cards.INFERRED_REQUEST_KEYS & _keys("ContentInfo"))
