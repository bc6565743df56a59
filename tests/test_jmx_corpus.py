"""Every JMX of ../shared/corpus converts, validates, and accounts for every test element exactly once.

The expected elements are computed here by an independent lxml walk of the source (every child of a
``<hashTree>`` that is not itself a ``<hashTree>``), with the ledger's path scheme re-derived locally.
"""

from __future__ import annotations

import collections
import pathlib

import pytest
from lxml import etree

from converter.model import Scenario
from converter.parsers.jmx import parse_jmx

CORPUS = pathlib.Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
JMX_DIR = CORPUS / "jmx"
FILES = sorted(JMX_DIR.glob("*.jmx")) if JMX_DIR.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="shared corpus not present")


def expected_elements(path: pathlib.Path) -> list[tuple[str, str, str]]:
    """(path, kind, name) of every test element, computed straight from the XML."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    out: list[tuple[str, str, str]] = []

    def walk(hash_tree: etree._Element, prefix: str, top: bool) -> None:
        counts: collections.Counter[str] = collections.Counter()
        kids = [k for k in hash_tree if isinstance(k.tag, str)]
        for i, el in enumerate(kids):
            if el.tag == "hashTree":
                continue
            counts[el.tag] += 1
            step = (
                "TestPlan"
                if top and el.tag == "TestPlan" and counts[el.tag] == 1
                else f"{el.tag}[{counts[el.tag]}]"
            )
            here = f"{prefix}/{step}"
            out.append((here, el.get("testclass") or el.tag, el.get("testname") or ""))
            if i + 1 < len(kids) and kids[i + 1].tag == "hashTree":
                walk(kids[i + 1], here, False)

    walk(root.find("hashTree"), "jmx:", True)
    return out


def data_dir_for(tmp_path: pathlib.Path) -> pathlib.Path:
    """The corpus stores companions as ``owner__repo__name.csv``; expose them under their plain names."""
    for csv in JMX_DIR.glob("*.csv"):
        link = tmp_path / csv.name.rsplit("__", 1)[-1]
        if not link.exists():
            link.symlink_to(csv)
    return tmp_path


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_corpus_plan_converts_and_drops_nothing(path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    scenario = parse_jmx(path, data_dir=data_dir_for(tmp_path))
    Scenario.model_validate(scenario.model_dump())  # round trip validates

    expected = expected_elements(path)
    rows = [r for r in scenario.ledger if "/@include:" not in r.source]
    seen = collections.Counter(r.source for r in rows)
    assert not [s for s, n in seen.items() if n > 1], "ledger rows duplicated"
    missing = [e for e in expected if e[0] not in seen]
    assert not missing, f"silently dropped: {missing[:5]}"
    extra = set(seen) - {e[0] for e in expected}
    assert not extra, f"ledger rows for elements that are not in the file: {sorted(extra)[:5]}"
    by_source = {r.source: r for r in rows}
    for source, kind, name in expected:
        assert (by_source[source].kind, by_source[source].name) == (kind, name)
    # every row that is not simply converted says why
    for row in rows:
        if row.status in ("approximated", "not_converted"):
            assert row.codes, row
    # no case is empty of load
    for case in scenario.cases:
        assert case.load.stages


def test_corpus_disabled_subtrees_are_filtered() -> None:
    path = JMX_DIR / "Blazemeter__taurus__disabled.jmx"
    if not path.exists():
        pytest.skip("file not in corpus")
    scenario = parse_jmx(path)
    root = etree.parse(str(path)).getroot()
    disabled = [el for el in root.iter() if el.get("enabled") == "false"]
    assert disabled
    statuses = {r.name: r.status for r in scenario.ledger}
    for el in disabled:
        assert statuses[el.get("testname")] == "filtered"


def test_corpus_csv_companion_is_read_with_data_dir(tmp_path: pathlib.Path) -> None:
    path = JMX_DIR / "Azure-Samples__azure-load-testing-samples__demo-podcast-test.jmx"
    if not path.exists():
        pytest.skip("file not in corpus")
    without = parse_jmx(path)
    assert "JMX304" in {d.code for d in without.diagnostics}
    with_dir = parse_jmx(path, data_dir=data_dir_for(tmp_path))
    assert "JMX304" not in {d.code for d in with_dir.diagnostics}
    csv_vars = [v for v in with_dir.variables if v.source and "CSVDataSet" in v.source.source]
    assert csv_vars and all(len(v.values) > 1 for v in csv_vars)
