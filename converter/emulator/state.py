"""In-memory store of the PerfTest emulator: thread-safe, optionally persisted to a JSON file.

Records are plain JSON dicts kept per kind (projects, tasks, cases, temps, variables, runs) and keyed by their
integer id; every record carries ``cloud_project``, the IAM project id of the request path that created it, so
that another project sees nothing of it. Ids come from one counter shared by all kinds, so an id used as the
wrong kind of id is a 404 rather than a silent hit. Persistence writes the whole state to a temporary file
beside the target and renames it over the target (``os.replace``), so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from converter.files import write_atomic

KINDS: tuple[str, ...] = ("projects", "tasks", "cases", "temps", "variables", "runs")
Record = dict[str, Any]


class State:
    """The emulator's data. Callers hold ``lock`` around a whole operation (the server does)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.lock = threading.RLock()
        self.path = Path(path) if path is not None else None
        self.next_id = 1
        self.tables: dict[str, dict[int, Record]] = {kind: {} for kind in KINDS}
        if self.path is not None and self.path.exists() and self.path.stat().st_size > 0:
            self._load(self.path)

    # -- ids and records --------------------------------------------------------------------------------------

    def new_id(self) -> int:
        with self.lock:
            value = self.next_id
            self.next_id += 1
            return value

    def add(self, kind: str, record: Record) -> Record:
        """Store ``record`` (which must carry ``id`` and ``cloud_project``)."""
        with self.lock:
            self.tables[kind][int(record["id"])] = record
            return record

    def get(self, kind: str, record_id: int, cloud_project: str) -> Record | None:
        """The record of ``kind`` with ``record_id`` visible to ``cloud_project``, or None."""
        with self.lock:
            record = self.tables[kind].get(record_id)
            if record is None or record.get("cloud_project") != cloud_project:
                return None
            return record

    def remove(self, kind: str, record_id: int) -> Record | None:
        with self.lock:
            return self.tables[kind].pop(record_id, None)

    def select(self, kind: str, cloud_project: str, **equal: Any) -> Iterator[Record]:
        """Records of ``kind`` in ``cloud_project`` whose fields equal ``equal``, in id order."""
        with self.lock:
            rows = sorted(self.tables[kind].items())
        for _, record in rows:
            if record.get("cloud_project") == cloud_project and all(
                record.get(k) == v for k, v in equal.items()
            ):
                yield record

    # -- persistence ------------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "next_id": self.next_id,
                **{kind: [self.tables[kind][i] for i in sorted(self.tables[kind])] for kind in KINDS},
            }

    def save(self) -> None:
        """Write the state to ``path`` atomically (temp file + ``os.replace``); no-op without a path."""
        if self.path is None:
            return
        with self.lock:
            text = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
            write_atomic(self.path, text)

    def _load(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("next_id"), int):
            raise ValueError(f"{path}: not an emulator state file")
        self.next_id = data["next_id"]
        for kind in KINDS:
            self.tables[kind] = {int(r["id"]): r for r in data.get(kind, [])}
