"""The README's promises: the quick start commands, the list of diagnostic codes, and a command-line reference
that matches the commands (every option, and only real ones, with the defaults they really have)."""

from __future__ import annotations

import re

import click

from converter.api import OPERATIONS
from converter.cli import codes_table, main
from converter.plan import Operation
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


# --- The command-line reference against the commands themselves (click's objects, not a list kept by hand) ---

_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z](?:[\w-]*\w)?)")  # -J, -o, --dry-run (in a code span)
_LONG_OPTION = re.compile(r"(?<![\w-])--\w[\w-]*")


def _chapter(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _contexts() -> dict[str, click.Context]:
    """Each command ("" for ``perftest-convert`` itself) with its defaults resolved, as if run with no arguments."""
    top = main.make_context("perftest-convert", [], resilient_parsing=True)
    out = {"": top}
    for name, command in main.commands.items():
        out[name] = command.make_context(name, [], parent=top, resilient_parsing=True)
    return out


def _options(ctx: click.Context) -> list[click.Option]:
    """The command's options, ``-h, --help`` (and ``--version``) included."""
    return [p for p in ctx.command.get_params(ctx) if isinstance(p, click.Option)]


def _sections() -> list[tuple[set[str], str]]:
    """The "Command line" chapter's sections, each with the commands its heading names (`perftest-convert X`);
    the chapter's introduction, before the first heading, speaks of every command."""
    intro, *rest = _chapter("Command line").split("\n### ")
    out = [({"", *main.commands}, intro)]
    for section in rest:
        heading = section.split("\n", 1)[0]
        out.append((set(re.findall(r"perftest-convert (\w+)", heading)), section))
    return out


def _code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def _documented_in(text: str) -> set[str]:
    return {m for span in _code_spans(text) for m in _OPTION.findall(span)}


def _table_rows(text: str) -> list[tuple[str, str]]:
    """(option cell, meaning) of every row of the tables of options."""
    rows = [line.split(" | ", 1) for line in text.splitlines() if line.startswith("| `")]
    return [(row[0], row[1]) for row in rows if len(row) == 2]


def test_readme_documents_every_option_of_every_command() -> None:
    """Every option (long and short spelling) is in a code span of a section whose heading names its command."""
    sections = _sections()
    missing = []
    for name, ctx in _contexts().items():
        documented = _documented_in("\n".join(body for names, body in sections if name in names))
        for option in _options(ctx):
            missing += [f"{name or 'perftest-convert'} {opt}" for opt in option.opts if opt not in documented]
    assert not missing, "document these in the README's 'Command line' chapter, in their command's section"


def test_readme_documents_no_option_that_does_not_exist() -> None:
    """A long option in a section is one of the commands its heading names; anywhere else, of some command."""
    real = {name: {o for opt in _options(ctx) for o in opt.opts} for name, ctx in _contexts().items()}
    unknown = []
    for names, body in _sections():
        known = set().union(*(real.get(name, set()) for name in names))
        for span in _code_spans(body):
            unknown += [
                f"{opt} in '{body.splitlines()[0]}'" for opt in _LONG_OPTION.findall(span) if opt not in known
            ]
    everywhere = set().union(*real.values())
    for span in _code_spans(README):
        unknown += [f"{opt} in `{span}`" for opt in _LONG_OPTION.findall(span) if opt not in everywhere]
    assert not unknown


def test_readme_and_help_give_every_default() -> None:
    """An option with a default (not a flag, not repeatable) shows it in --help, and its README table row says
    "default" with the same value."""
    rows = [row for _, body in _sections() for row in _table_rows(body)]
    problems = []
    for name, ctx in _contexts().items():
        for option in _options(ctx):
            value = ctx.params.get(option.name or "")
            if option.is_flag or option.multiple or value in (None, ""):
                continue
            long = max(option.opts, key=len)
            if not option.show_default:
                problems.append(f"{name} {long}: --help does not show its default")
            meaning = next((m for cell, m in rows if long in _documented_in(cell)), None)
            if meaning is None:
                problems.append(f"{name} {long}: no README table row")
                continue
            default = f"{value:g}" if isinstance(value, float) else str(value)
            if not re.search(rf"default[^|]*?[ `]{re.escape(default)}(?![\w.])", meaning):
                problems.append(f"{name} {long}: its README row does not say 'default {default}'")
    assert not problems


def test_every_option_has_help_text() -> None:
    silent = {
        max(o.opts, key=len)
        for ctx in _contexts().values()
        for o in _options(ctx)
        if not (o.help or "").strip()
    }
    assert silent == set()


def test_how_it_works_counts_the_api_operations_and_names_the_plan_fields() -> None:
    how = _chapter("How it works")
    assert f"({len(OPERATIONS)} operations," in how
    listed = re.search(r"operations with (.+?) \(JSON pointers", how, re.S)
    assert listed is not None
    assert re.findall(r"`(\w+)`", listed.group(1)) == list(Operation.model_fields)
