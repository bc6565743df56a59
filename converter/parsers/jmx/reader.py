"""Secure JMX reading: file bytes -> the lxml root of a JMeter plan, or :class:`InputError`.

No entity resolution, no DTD loading, no network; any DOCTYPE or ENTITY declaration (XXE, external DTDs,
entity-expansion bombs) is refused outright, before and after parsing. A UTF-8 BOM is accepted.
"""

from __future__ import annotations

import hashlib
import pathlib
import re
from typing import Any

from lxml import etree

from converter.errors import InputError

_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# In UTF-8 (or ASCII) every entity reference starts with byte '&'; those of XML's five predefined entities and
# character references are replaced by the parser. Any other one is worth a look at the tree.
_OTHER_REFERENCE = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);|#)")


def _parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_bytes(data: bytes, path: str) -> Any:
    """Parse ``data`` as a JMeter plan and return its ``jmeterTestPlan`` root element."""
    flat = data.replace(b"\x00", b"") if b"\x00" in data else data  # no copy of a NUL-free file
    start = flat.find(b"<jmeterTestPlan")
    prolog = flat if start < 0 else flat[:start]  # declarations can only precede the root element
    if _DECLARATION.search(prolog):
        raise InputError(
            path, "DOCTYPE/ENTITY declarations are refused (XXE and entity expansion protection)"
        )
    del flat
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        message = " ".join(str(exc.msg).split())  # (libxml2's messages may hold a line break: one line)
        raise InputError(path, f"not well-formed XML: {message}", f"line {line}" if line else None) from None
    except (ValueError, TypeError) as exc:  # e.g. an empty document or a bad encoding declaration
        raise InputError(path, f"not XML: {exc}") from None
    if root is None:
        raise InputError(path, "empty document")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InputError(path, "DOCTYPE declarations are refused (XXE and entity expansion protection)")
    encoding = (docinfo.encoding or "").upper()
    if encoding not in ("UTF-8", "ASCII", "US-ASCII") or _OTHER_REFERENCE.search(data):
        for _ in root.iter(etree.Entity):
            raise InputError(path, "entity references are refused")
    if root.tag != "jmeterTestPlan":
        raise InputError(path, f"root element is <{root.tag}>, not <jmeterTestPlan>: not a JMeter plan")
    top = [ch for ch in root if isinstance(ch.tag, str)]
    if not top or top[0].tag != "hashTree":
        raise InputError(path, "no <hashTree> under <jmeterTestPlan>", "/jmeterTestPlan")
    if not any(ch.tag == "TestPlan" for ch in top[0]):
        raise InputError(path, "no <TestPlan> element in the top <hashTree>", "/jmeterTestPlan/hashTree")
    return root


def read(path: pathlib.Path) -> tuple[Any, str]:
    """Read and parse ``path``; returns ``(root, sha256 hex digest of the file)``.

    The raw bytes are dropped before this returns: only the element tree stays in memory.
    """
    root, digest, _ = read_plan(path)
    return root, digest


# an intProp / longProp whose text is not a plain number (or that has none), any doubleProp or FloatProperty (their
# value is a child element), a floatProp: only then is the tree searched for properties JMeter cannot load
# (Context.report_unloadable). A file not in UTF-8 (UTF-16: NULs) is always searched.
_ODD_NUMBER = re.compile(rb"<(?:(?:int|long)Prop\b[^>]*>(?!-?[0-9]{1,9}</)|(?:double|Float|float)Prop)")


def read_plan(path: pathlib.Path) -> tuple[Any, str, bool]:
    """:func:`read`, and whether the file may hold a numeric property JMeter cannot load (a quick look at the
    bytes, far cheaper than walking a large tree for it)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    odd = b"\x00" in data[:64] or _ODD_NUMBER.search(data) is not None
    return parse_bytes(data, str(path)), digest, odd
