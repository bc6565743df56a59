"""The diagnostics collector: ledger rows follow the worst diagnostic, also when one diagnostic speaks for many."""

from __future__ import annotations

from converter.diagnostics import Collector, Location, first_few
from converter.parsers.har import HAR_BODY_MISSING  # a warning code to report with


def test_first_few_names_three_then_a_count() -> None:
    assert first_few(["'a'"]) == "'a'"
    assert first_few(["'a'", "'b'", "'c'"]) == "'a', 'b', 'c'"
    assert first_few(["'a'", "'b'", "'c'", "'d'", "'e'"]) == "'a', 'b', 'c' and 2 more"


def test_mark_gives_a_row_the_code_and_the_worst_status_but_leaves_filtered_rows_filtered() -> None:
    collector = Collector()
    for source, status in (("x", "converted"), ("y", "not_converted"), ("z", "filtered")):
        collector.track(source, "entry", source, status)
    collector.report(HAR_BODY_MISSING, Location(source="x", name="x"), "said at x")
    for source in ("y", "z", "absent"):
        collector.mark(source, HAR_BODY_MISSING)
    rows = {row.source: (row.status, row.codes) for row in collector.ledger}
    assert rows == {
        "x": ("approximated", ["HAR017"]),
        "y": ("not_converted", ["HAR017"]),
        "z": ("filtered", ["HAR017"]),
    }
    assert len(collector.diagnostics) == 1
