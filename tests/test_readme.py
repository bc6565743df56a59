"""The README's promises: the quick start commands and the list of diagnostic codes."""

from __future__ import annotations

import re

from converter.cli import codes_table
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_diagnostic_code() -> None:
    block = README.split("<!-- codes:start -->\n", 1)[1].split("<!-- codes:end -->", 1)[0]
    assert block == codes_table(markdown=True), "regenerate with: perftest-convert codes --markdown"


def test_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    quick = README.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in quick.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "--dry-run" in commands[0] and "fixtures/har/" in commands[0]
    test_command = commands[1].split("&&", 1)[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(test_command)}$", ci, re.M)
    example = commands[0].split("perftest-convert har ", 1)[1].split()[0]
    assert (ROOT / example).is_file()
