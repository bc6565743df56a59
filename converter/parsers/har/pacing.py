"""The recorded timeline as the plan replays it: the pause before each request, the requests that went on in the
background, and how much longer the plan's one-after-another run takes than the recording.

A browser runs requests side by side; a PerfTest user runs its steps one after another. The pause before a request
is the idle time the recording shows before it: from when every earlier request had ended (a folded redirect chain
when its last hop ended, as PerfTest follows the chain inside the request) to its start. It is measured once, in
recorded order, so it stays with its request when pages are regrouped. A long-lived request (a server-sent event
stream, or one open :data:`LONG_LIVED_MS` or more) during which later requests started does not count: the page went
on without waiting for it, and the pauses recorded meanwhile and after it are the user's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from converter.parsers.har.entry import Entry

#: A request open this long while later requests start is taken for a background one (long-poll, slow download).
LONG_LIVED_MS = 10_000
#: The plan's run is reported when it takes this many times the recorded span, and ...
SLOWER_RATIO = 1.5
#: ... at least this much longer (ms).
SLOWER_MS = 1_000


def chain_end(entry: Entry) -> float | None:
    """When the request ended in the recording, with the redirect hops folded into it (None: untimed)."""
    ends = [e.end for e in (entry, *entry.followed) if e.end is not None]
    return max(ends) if ends else None


@dataclass
class Background:
    """A long-lived request and how many later requests started while it was open."""

    entry: Entry
    end: float
    started_meanwhile: int = 0


@dataclass
class Timeline:
    #: the recorded idle time (ms) before each request, by source; negative when an earlier request was still
    #: running; absent for the first request and around untimed ones
    pauses: dict[str, float] = field(default_factory=dict)
    #: the same idle times, also right after an untimed request: what splits requests without pages into groups
    gaps: dict[str, float] = field(default_factory=dict)
    #: long-lived requests during which later requests started
    background: list[Background] = field(default_factory=list)
    #: requests that started while an earlier one was still running
    overlapping: int = 0


def timeline(kept: Sequence[Entry], long_lived: Callable[[Entry], bool]) -> Timeline:
    """The pauses of ``kept`` (in recorded order); ``long_lived`` says which requests are background ones whatever
    their length (event streams)."""
    out = Timeline(background=_background(kept, long_lived))
    ignored = {id(item.entry) for item in out.background}
    busy: float | None = None  # when every earlier request (but the background ones) had ended
    running: float | None = None  # when every earlier request had ended
    previous_timed = True
    for entry in kept:
        start, end = entry.start, chain_end(entry)
        if start is not None and busy is not None:
            out.gaps[entry.source] = (start - busy) * 1000
            if previous_timed:
                out.pauses[entry.source] = out.gaps[entry.source]
        previous_timed = start is not None and end is not None
        if start is None or end is None:
            continue
        if running is not None and start < running:
            out.overlapping += 1
        running = end if running is None else max(running, end)
        if id(entry) not in ignored:
            busy = end if busy is None else max(busy, end)
        elif busy is None:
            busy = start
    return out


def _background(kept: Sequence[Entry], long_lived: Callable[[Entry], bool]) -> list[Background]:
    """The long-lived requests during which later requests started (``kept`` is in recorded order)."""
    out = []
    for position, entry in enumerate(kept):
        start, end = entry.start, chain_end(entry)
        if start is None or end is None or not (long_lived(entry) or (end - start) * 1000 >= LONG_LIVED_MS):
            continue
        item = Background(entry=entry, end=end)
        for later in kept[position + 1 :]:
            if later.start is None:
                continue
            if later.start >= end:
                break
            item.started_meanwhile += 1
        if item.started_meanwhile:
            out.append(item)
    return out


@dataclass
class Span:
    """A run of requests: how long it lasted in the recording, and one after another with its pauses."""

    name: str
    recorded_ms: float
    serial_ms: float

    @property
    def much_slower(self) -> bool:
        return (
            self.serial_ms >= SLOWER_RATIO * self.recorded_ms
            and self.serial_ms - self.recorded_ms >= SLOWER_MS
        )


def span(name: str, entries: Sequence[Entry], pauses: dict[str, float], think_min_ms: int) -> Span | None:
    """The recorded span of ``entries`` (first start to last end) against their serial run: each request's
    recorded time plus the pauses kept between them (the first request's pause is not part of the run)."""
    timed = [(e, e.start, chain_end(e)) for e in entries if e.start is not None]
    if not timed:
        return None
    first = min(start for _, start, _ in timed if start is not None)
    last = max(end for _, _, end in timed if end is not None)
    serial = sum(((end or 0.0) - (start or 0.0)) * 1000 for _, start, end in timed)
    serial += sum(
        pauses[e.source]
        for e, _, _ in timed[1:]
        if e.source in pauses and pauses[e.source] >= max(think_min_ms, 0)
    )
    return Span(name=name, recorded_ms=(last - first) * 1000, serial_ms=serial)
