"""The plan file: validation of references and order, JSON round trip, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from converter.files import write_atomic
from converter.plan import Operation, Plan, PlanSource, load_plan, path_ref, ref

SOURCE = PlanSource(kind="har", path="x.har", sha256="0" * 64)


def _op(op_id: str, **kw) -> Operation:
    base = {"operation": "CreateTemp", "method": "POST", "path": "/v1/{project_id}/templates", "expect": 201}
    base.update(kw)
    return Operation(id=op_id, **base)


def test_valid_plan_round_trips_byte_for_byte() -> None:
    plan = Plan(
        source=SOURCE,
        operations=[
            _op(
                "project",
                operation="CreateProject",
                path="/v1/{project_id}/test-suites",
                capture={"id": "project_id"},
            ),
            _op(
                "temp:a",
                body={"project_id": ref("project")},
                capture={"id": "tempId"},
                depends_on=["project"],
            ),
            _op(
                "temp:a:steps",
                operation="UpdateTemp",
                method="PUT",
                path=f"/v1/{{project_id}}/templates/{path_ref('temp:a')}",
                body={"id": ref("temp:a"), "name": "é"},
                expect=204,
                depends_on=["temp:a"],
            ),
        ],
    )
    text = plan.to_json()
    assert '"é"' in text  # not escaped
    again = Plan.from_json(text)
    assert again.to_json() == text
    assert again.operations[2].refs() == [("temp:a", "id"), ("temp:a", "id")]


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        ([_op("a"), _op("a")], "appears twice"),
        ([_op("a", depends_on=["b"])], "not an earlier operation"),
        ([_op("a", body={"x": ref("b")})], "refers to 'b'"),
        ([_op("b"), _op("a", body={"x": ref("b")}, depends_on=["b"])], "captures no 'id'"),
        ([_op("b", capture={"id": "tempId"}), _op("a", body={"x": ref("b")})], "without depending"),
        (
            [_op("b", capture={"id": "tempId"}), _op("a", path="/v1/{project_id}/t/{b.id}")],
            "without depending",
        ),
    ],
)
def test_invalid_plans_are_refused(operations, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Plan(source=SOURCE, operations=operations)
    assert message in str(caught.value)


def test_load_plan_gives_readable_errors(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"format": "perftest-plan/2"}')
    with pytest.raises(ValueError, match="not a valid plan at"):
        load_plan(path)
    with pytest.raises(ValueError, match="cannot read"):
        load_plan(tmp_path / "missing.json")


def test_write_atomic_leaves_old_file_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("old")

    with pytest.raises(TypeError):
        write_atomic(path, 42)  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    write_atomic(path, "new")
    assert path.read_text() == "new"


def test_only_objects_holding_just_a_ref_are_references() -> None:
    body = {
        "a": ref("project"),
        "text": '{"$ref": "fake.id"}',
        "mixed": {"$ref": "other.id", "more": 1},
        "deep": [[{"x": ref("temp:é.x", "id")}]],
    }
    op = _op("t", body=body)
    assert op.refs() == [("project", "id"), ("temp:é.x", "id")]


def test_write_atomic_gives_new_files_the_umask_mode_and_keeps_an_existing_mode(tmp_path: Path) -> None:
    import os
    import stat

    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        write_atomic(fresh, "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        private = tmp_path / "private.json"
        private.write_text("old")
        private.chmod(0o600)
        write_atomic(private, "new")
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_write_atomic_follows_a_link_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_write_atomic_writes_into_a_named_pipe_instead_of_replacing_it(tmp_path: Path) -> None:
    """A device or pipe (-o /dev/null, /dev/stdout) is written to, not renamed over: as root, renaming a
    temporary file over /dev/null replaced the device with a regular file. A pipe stands in for the device."""
    import os
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text()))
    reader.start()
    try:
        write_atomic(pipe, "plan text")
    finally:
        if reader.is_alive():  # the write went elsewhere: release the reader
            with open(pipe, "w"):
                pass
        reader.join(timeout=10)
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert received == ["plan text"]
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]
