"""The upload journal: JSON lines, flushed one by one, from which an interrupted upload resumes.

Records (``type``): ``start`` (plan digest, endpoint, cloud project, test suite, the ids that existed before
the upload), ``begin`` (a create is about to be sent), ``done`` (an operation completed, with the ids it
produced and whether they were adopted after a lost response), ``deleted`` (a rollback removed what an
operation created), ``failed`` and ``end``. Only ids, names of plan items and redacted messages are written:
never a credential, never a ``--set`` value, never a request body.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

FORMAT = "perftest-upload-journal/1"


class JournalError(ValueError):
    """The journal cannot be read or does not belong to this upload."""


@dataclass
class JournalState:
    """What a journal says: the start record, the ids of completed operations, and pending creates."""

    start: dict[str, Any]
    done: dict[str, dict[str, Any]] = field(default_factory=dict)  # plan item -> its ``done`` record
    order: list[str] = field(default_factory=list)  # plan items in completion order
    pending: set[str] = field(default_factory=set)  # creates begun but never done


def read_journal(path: Path) -> JournalState:
    """Replay a journal; a torn last line (the process died while writing it) is ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise JournalError(f"{path}: cannot read the journal: {reason}") from None
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            if number == len(lines):
                break
            raise JournalError(f"{path}:{number}: not a journal line") from None
        if not isinstance(record, dict) or "type" not in record:
            raise JournalError(f"{path}:{number}: not a journal line")
        records.append(record)
    if not records or records[0].get("type") != "start" or records[0].get("format") != FORMAT:
        raise JournalError(f"{path}: not an upload journal ({FORMAT})")
    state = JournalState(start=records[0])
    for record in records[1:]:
        kind, item = record["type"], record.get("op")
        if not isinstance(item, str):
            continue
        if kind == "begin":
            state.pending.add(item)
        elif kind == "done":
            state.pending.discard(item)
            state.done[item] = record
            state.order = [i for i in state.order if i != item] + [item]
        elif kind == "deleted":
            state.done.pop(item, None)
            state.order = [i for i in state.order if i != item]
    return state


class Journal:
    """Appends records to the journal file, one flushed line each (thread-safe)."""

    def __init__(self, path: Path, handle: TextIO) -> None:
        self.path = path
        self._handle = handle
        self._lock = threading.Lock()

    @classmethod
    def create(cls, path: Path) -> Journal:
        """A new journal; refuses to overwrite an existing file (it may record another upload)."""
        try:
            handle = path.open("x", encoding="utf-8", newline="\n")
        except FileExistsError:
            raise JournalError(
                f"{path} exists: continue that upload with --resume {path}, or choose another --journal"
            ) from None
        except OSError as exc:
            raise JournalError(f"{path}: cannot create the journal: {exc.strerror or exc}") from None
        return cls(path, handle)

    @classmethod
    def append_to(cls, path: Path) -> Journal:
        """Continue an existing journal (``--resume``)."""
        try:
            raw = path.read_bytes()
            handle = path.open("a", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise JournalError(f"{path}: cannot open the journal: {exc.strerror or exc}") from None
        if raw and not raw.endswith(b"\n"):
            handle.write("\n")  # end a torn last line so the next record starts clean
        return cls(path, handle)

    def write(self, kind: str, **fields: Any) -> None:
        record = {
            "type": kind,
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            **fields,
        }
        line = json.dumps(record, ensure_ascii=False, sort_keys=False)
        with self._lock:
            self._handle.write(line + "\n")
            self._handle.flush()

    def close(self) -> None:
        with self._lock:
            self._handle.close()
