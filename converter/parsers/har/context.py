"""What the parts of the HAR reader share while they read one file: the options, the diagnostics collector,
the book of recorded credentials, the OAuth callbacks, the counters, and how an entry is named in a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from converter.diagnostics import Collector, Location
from converter.parsers.har.entry import Entry
from converter.parsers.har.oauth import Callbacks
from converter.parsers.har.secrets import SecretBook

if TYPE_CHECKING:
    from converter.parsers.har import HarOptions


@dataclass
class Context:
    options: HarOptions
    diag: Collector = field(default_factory=Collector)
    book: SecretBook = field(default_factory=SecretBook)
    callbacks: Callbacks = field(
        default_factory=Callbacks
    )  # where an OAuth authorization response may arrive
    stats: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, number: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + number

    def loc(self, entry: Entry) -> Location:
        """Where an entry is, for a message: its source and its method and URL (credentials replaced)."""
        if entry.location is None:
            entry.location = Location(
                source=entry.source, name=self.book.scrub(f"{entry.method} {entry.url}")
            )
        return entry.location

    def status(self, entry: Entry) -> str:
        """The entry's ledger status ("filtered" once left out)."""
        return self.diag.status_of(entry.source)

    def sent(self, text: str) -> str:
        """A recorded text as the plan sends it: the recorded credentials in it replaced by their variables
        (left as recorded with --keep-secrets)."""
        return text if self.options.keep_secrets else self.book.scrub(text)
