"""HTTP Request and HTTP config elements, as JMeter really sends them (each case checked against JMeter's sources):
the protocol, redirects, keep-alive, multipart and file Content-Types, DELETE bodies, ports and paths, URL
encoding of variables, header merging, CSV file names, Cookie Manager clearing and WebSocket connection reuse."""

from __future__ import annotations

import pathlib

from converter.emit.perftest import emit_plan
from converter.model import Request
from tests.test_jmx_support import b, codes, convert, el, http, plan, requests, s, tg


def _udv(*pairs: tuple[str, str]) -> str:
    items = "".join(
        f'<elementProp name="{k}" elementType="Argument">{s("Argument.name", k)}{s("Argument.value", v)}</elementProp>'
        for k, v in pairs
    )
    return el("Arguments", "vars", f'<collectionProp name="Arguments.arguments">{items}</collectionProp>')


def _headers(*pairs: tuple[str, str]) -> str:
    items = "".join(
        f'<elementProp name="" elementType="Header">{s("Header.name", k)}{s("Header.value", v)}</elementProp>'
        for k, v in pairs
    )
    return el("HeaderManager", "hm", f'<collectionProp name="HeaderManager.headers">{items}</collectionProp>')


def _files(*entries: tuple[str, str, str]) -> str:
    items = "".join(
        f'<elementProp name="{p}" elementType="HTTPFileArg">{s("File.path", p)}{s("File.paramname", n)}'
        f"{s('File.mimetype', m)}</elementProp>"
        for p, n, m in entries
    )
    return (
        '<elementProp name="HTTPsampler.Files" elementType="HTTPFileArgs">'
        f'<collectionProp name="HTTPFileArgs.files">{items}</collectionProp></elementProp>'
    )


def _one(tmp_path: pathlib.Path, xml: str, **kwargs: object) -> tuple[Request, set[str]]:
    sc = convert(tmp_path, xml, **kwargs)
    return requests(sc.cases[0].steps)[0], codes(sc)


# -- finding 1: the protocol ----------------------------------------------------------------------------


def test_protocol_variable_keeps_its_case_and_is_resolved_when_constant(tmp_path: pathlib.Path) -> None:
    proto = s("HTTPSampler.protocol", "${PROTOCOL}")
    known = plan(_udv(("PROTOCOL", "https")) + tg(http("r", "/a", domain="h", extra=proto)))
    req, found = _one(tmp_path, known)
    assert (req.protocol, req.url) == ("https", "https://h/a") and "JMX120" not in found
    # unknown at conversion time: the reference is kept as written (names are case-sensitive) and reported
    req, found = _one(tmp_path, plan(tg(http("r", "/a", domain="h", extra=proto))))
    assert (req.protocol, req.url) == ("http", "${PROTOCOL}://h/a") and "JMX120" in found
    # -J reaches it through __P; literal text is lower-cased
    via_p = s("HTTPSampler.protocol", "${__P(proto,http)}")
    req, _ = _one(tmp_path, plan(tg(http("r", "/a", domain="h", extra=via_p))), properties={"proto": "HTTPS"})
    assert (req.protocol, req.url) == ("https", "https://h/a")


# -- finding 7: redirects -------------------------------------------------------------------------------


def test_redirects_are_not_followed_when_the_flags_are_unset(tmp_path: pathlib.Path) -> None:
    xml = plan(
        tg(
            http("unset", "/login", method="POST", domain="h")
            + http("follow", "/a", domain="h", extra=b("HTTPSampler.follow_redirects", True))
            + http("auto", "/b", domain="h", extra=b("HTTPSampler.auto_redirects", True))
        )
    )
    sc = convert(tmp_path, xml)
    assert [r.follow_redirects for r in requests(sc.cases[0].steps)] == [False, True, True]
    redirect_warnings = [d for d in emit_plan(sc).plan.diagnostics if d.code == "PT012"]
    assert [d.location.name for d in redirect_warnings if d.location] == ["unset"]
