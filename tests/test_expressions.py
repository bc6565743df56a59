"""JMeter ${...} expressions: parsing (nesting, escaped commas) and rendering as PerfTest text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.diagnostics import CATALOG
from converter.expressions import Call, Renderer, Text, Var, parse, render


def test_parse_variables_functions_nesting_and_escapes() -> None:
    tokens = parse("a ${x} b ${__P(host,${def})} ${__split(a\\,b,${v})}")
    assert tokens[0] == Text("a ") and tokens[1] == Var("x") and tokens[2] == Text(" b ")
    call = tokens[3]
    assert isinstance(call, Call) and call.name == "__P"
    assert call.args == ((Text("host"),), (Var("def"),))
    split = tokens[5]
    assert isinstance(split, Call) and split.args[0] == (Text("a,b"),) and split.args[1] == (Var("v"),)
    assert split.raw == "${__split(a\\,b,${v})}"


def test_parse_function_without_parentheses_and_nested_parentheses() -> None:
    (call,) = parse("${__threadNum}")
    assert isinstance(call, Call) and call.name == "__threadNum" and call.args == ()
    (js,) = parse("${__javaScript(Math.max(1\\,2) > (3),)}")
    assert isinstance(js, Call) and js.args[0] == (Text("Math.max(1,2) > (3)"),)


@pytest.mark.parametrize("text", ["${", "${unclosed", "${__P(a,b", "${__P(a)x}", "$", "${}", "${__f(}"])
def test_malformed_references_stay_literal(text: str) -> None:
    rendered = render(text)
    assert rendered.text == text


def test_variables_stay_variables() -> None:
    assert render("id=${id}&n=${ name }").text == "id=${id}&n=${ name }"
    assert render("no refs").issues == []


def test_properties_from_minus_j_and_defaults() -> None:
    r = Renderer({"host": "staging.example"})
    out = r.render("https://${__P(host,localhost)}:${__P(port,8080)}/${__property(path)}/${__P(x)}")
    assert out.text == "https://staging.example:8080/path/1"
    assert r.used == {"host": "staging.example", "port": "8080", "path": "path", "x": "1"}
    assert [i.code for i in out.issues] == ["EXP001", "EXP001", "EXP001"]


def test_random_and_constant_folding() -> None:
    assert render("${__Random(1,${max})}").text == "${__Random(1,${max})}"
    out = render("${__Random(1, 9, rnd)}")
    assert out.text == "${__Random(1,9)}" and [i.code for i in out.issues] == ["EXP005"]
    assert render("${__intSum(2,3,-1)}").text == "4"
    assert render("${__V(user_1)}").text == "${user_1}"
    env = render("${__env(HOME,/home/x)}")
    assert env.text == "/home/x" and env.issues[0].code == "EXP003"


@pytest.mark.parametrize(
    "fn",
    ["${__time()}", "${__UUID()}", "${__RandomString(5,abc)}", "${__counter(TRUE,)}", "${__threadNum}",
     "${__machineName()}", "${__CSVRead(f.csv,0)}", "${__javaScript(1+1)}", "${__groovy(1)}", "${__jexl3(1)}",
     "${__BeanShell(1)}", "${__intSum(1,${x})}", "${__V(a${b})}", "${__env(HOME)}", "${__nosuch(1)}"],
)  # fmt: skip
def test_functions_without_equivalent_are_left_as_text_with_an_error(fn: str) -> None:
    out = render(f"x{fn}y")
    assert out.text == f"x{fn}y"
    assert [i.code for i in out.issues] == ["EXP002"]
    name = fn[2:].split("(")[0].rstrip("}")
    assert name in out.issues[0].message


def test_codes_are_declared_with_severities() -> None:
    assert CATALOG["EXP001"].severity == "info" and CATALOG["EXP002"].severity == "error"


@given(st.text(alphabet="${}(),\\_aPx1 ", max_size=40))
def test_render_never_raises_and_plain_text_round_trips(text: str) -> None:
    out = render(text, {"a": "v"})
    assert isinstance(out.text, str)
    if "${" not in text:
        assert out.text == text


def _reference_text(s: str, i: int, in_arg: bool, escapes: bool = False) -> tuple[list[object], int, bool]:
    """The parser's text scan one character at a time (what the run-skipping fast path must match); a
    backslash takes the next character with it (JMeter's parseParams), and is dropped before "$", "," or
    another backslash (compileString) inside an argument, or at the top level with ``escapes``."""
    from converter.expressions import _Malformed, _Parser

    out: list[object] = []
    buf: list[str] = []
    depth, malformed = 0, False
    while i < len(s):
        c = s[i]
        if c == "$" and s.startswith("${", i):
            try:
                tok, i = _Parser(s).reference(i)
            except _Malformed:
                malformed = True
                buf.append(c)
                i += 1
                continue
            if buf:
                out.append(Text("".join(buf)))
                buf = []
            out.append(tok)
            continue
        if (in_arg or escapes) and c == "\\" and i + 1 < len(s):
            buf.append(s[i + 1] if s[i + 1] in ",\\$" else s[i : i + 2])
            i += 2
            continue
        if in_arg:
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                break
        buf.append(c)
        i += 1
    if buf:
        out.append(Text("".join(buf)))
    return out, i, malformed


@given(
    st.lists(
        st.sampled_from(["$", "{", "}", "(", ")", ",", "\\", "a", " x", "${", "${__P(", "__"]), max_size=16
    )
)
def test_text_scan_matches_a_character_by_character_scan(parts: list[str]) -> None:
    from converter.expressions import _Parser

    s = "".join(parts)
    for start, in_arg in ((0, False), (0, True), (len(s) // 2, True)):
        for escapes in (False, True):
            parser = _Parser(s, escapes=escapes)
            tokens, end = parser.text(start, in_arg=in_arg)
            expected, expected_end, _ = _reference_text(s, start, in_arg, escapes)
            assert (tokens, end) == (expected, expected_end)
    assert (
        parse(s + "plain tail without references")
        == _reference_text(s + "plain tail without references", 0, False)[0]
    )
