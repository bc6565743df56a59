"""Read JMeter's saved properties (``stringProp``, ``boolProp``, ``intProp``, ``longProp``, ``doubleProp``,
``floatProp``, ``elementProp``, ``collectionProp``) off an element, tolerant of every JMeter 2.x-5.6 form."""

from __future__ import annotations

import re
from typing import Any

Element = Any  # lxml.etree._Element; kept loose so mypy does not need lxml-stubs here

SCALARS = frozenset({
    "stringProp", "boolProp", "intProp", "longProp", "doubleProp", "floatProp",
    "FloatProperty", "DoubleProperty", "LongProperty", "IntegerProperty", "StringProperty", "BooleanProperty",
})  # fmt: skip
_SCALARS = SCALARS


def prop_name(ch: Element) -> str | None:
    """A property's name: the ``name`` attribute, or a ``<name>`` child (``<doubleProp><name>..<value>..``)."""
    name = ch.get("name")
    if name is None and len(ch):
        first = ch[0]
        if first.tag == "name":
            return str(first.text or "")
    return name  # type: ignore[no-any-return]


def prop_value(p: Element) -> str:
    if p.get("name") is None and len(p):
        for part in p:
            if part.tag == "value":
                return str(part.text or "")
    return str(p.text or "")


def child(el: Element, name: str) -> Element | None:
    """The direct property child called ``name`` (any property tag)."""
    for ch in el:
        if ch.tag.__class__ is not str:
            continue
        found = ch.get("name")
        if found is None:
            found = prop_name(ch)
        if found == name:
            return ch
    return None


def scalars(el: Element) -> dict[str, str | None]:
    """Name -> text of every scalar property child in one pass; None where the first child of that name is
    not scalar. ``scalars(el).get(name)`` is ``text(el, name)`` without a scan per name."""
    out: dict[str, str | None] = {}
    for ch in el:
        name = ch.get("name")  # None for comments (and any non-element) too
        if name is None:
            tag = ch.tag
            if tag.__class__ is not str:
                continue
            name = prop_name(ch)
            if name is None or name in out:
                continue
            out[name] = prop_value(ch) if tag in SCALARS else None
        elif name not in out:
            tag = ch.tag
            if tag in SCALARS:
                out[name] = ch.text or ""
            elif tag.__class__ is str:  # not a processing instruction's pseudo-attribute
                out[name] = None
    return out


def scalar(p: Element | None, default: str = "") -> str:
    """The text of a scalar property element (``default`` when absent or not scalar)."""
    if p is None or p.tag not in _SCALARS:
        return default
    return prop_value(p)


def as_flag(p: Element | None, default: bool = False) -> bool:
    """A boolean property as JMeter's getters read it (see :func:`value_flag`)."""
    return value_flag(None if p is None or p.tag not in _SCALARS else prop_value(p), default)


def items(p: Element | None) -> list[Element]:
    """The items of a ``collectionProp`` element (empty when absent)."""
    if p is None or p.tag != "collectionProp":
        return []
    return [ch for ch in p if isinstance(ch.tag, str)]


def table(p: Element | None) -> list[list[str]]:
    """A table saved as a ``collectionProp`` of ``collectionProp`` rows of scalars (Ultimate/Shaping/Free-Form)."""
    return [
        [(cell.text or "") for cell in row if isinstance(cell.tag, str) and cell.tag in _SCALARS]
        for row in items(p)
        if row.tag == "collectionProp"
    ]


def text(el: Element, name: str, default: str = "") -> str:
    """A scalar property as text (``default`` when absent); an ``elementProp``/``collectionProp`` gives ``default``."""
    return scalar(child(el, name), default)


def flag(el: Element, name: str, default: bool = False) -> bool:
    return as_flag(child(el, name), default)


# Integer.parseInt / Long.parseLong: one optional sign, then digits as Character.digit(c, 10) reads them (any
# Unicode decimal digit, which is what ``\d`` matches in a str pattern and what int() reads); nothing else (no
# spaces, no "_", no decimal point, no exponent).
_JAVA_INTEGER = re.compile(r"[+-]?\d+")
_JAVA_SPACE = "".join(chr(c) for c in range(33))


def java_int(value: str, bits: int = 32) -> int | None:
    """The one reading of a Java integer in this reader: ``Integer.parseInt`` (``bits=64``:
    ``Long.parseLong``) of a property's text, as JMeter reads most numbers (``getPropertyAsInt`` /
    ``getPropertyAsLong``, AbstractProperty.getIntValue / getLongValue): an optional sign and digits, within
    Java's range; None for anything else ("10.0", " 10", "1e3", "²"), where JMeter's NumberFormatException
    gives 0 (or the caller's default). A getter that trims first is :func:`java_trim` then this."""
    if _JAVA_INTEGER.fullmatch(value):
        number = int(value)
        if -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
            return number
    return None


_STRING_TAGS = frozenset({"stringProp", "StringProperty"})
_BOOLEAN_TAGS = frozenset({"boolProp", "BooleanProperty"})


def empty_typed(tag: str | None) -> str | None:
    """What JMeter holds for a property of tag ``tag`` saved with empty text, when a config element's value
    cannot replace it (AbstractTestElement.addProperty replaces only a missing property or an empty
    StringProperty): "false" for a boolProp (BooleanPropertyConverter: Boolean.valueOf("")), "" for any other
    (an empty intProp / longProp JMeter cannot load at all: :func:`java_number_text`); None for a string
    property or none at all, which a config element does fill."""
    if tag is None or tag in _STRING_TAGS or tag not in SCALARS:
        return None
    return "false" if tag in _BOOLEAN_TAGS else ""


# the numeric properties JMeter's loader parses itself (saveservice.properties registers IntegerPropertyConverter
# and LongPropertyConverter, which parse the element's text as it is)
NUMERIC_TAGS = {"intProp": "Integer.parseInt", "longProp": "Long.parseLong"}


def java_number_text(tag: str, text: str) -> bool:
    """Whether JMeter's loader reads ``text`` as the value of an ``intProp`` / ``longProp``; when it does not,
    the NumberFormatException makes JMeter refuse the whole plan."""
    return java_int(text, 64 if tag == "longProp" else 32) is not None


# the decimal properties JMeter loads by reflection (saveservice.properties registers no converter of their own):
# XStream reads their <value> and <savedValue> children (DoubleProperty's and FloatProperty's double / float
# fields) with its DoubleConverter / FloatConverter, which are Double.valueOf / Float.valueOf of the text
DECIMAL_TAGS = {"doubleProp": "Double.valueOf", "FloatProperty": "Float.valueOf"}
DECIMAL_FIELDS = ("value", "savedValue")
# a property tag saveservice.properties has no alias for: "#floatProp=..." is commented out there ("already defined
# as FloatProperty"), so XStream's mapper cannot resolve it (CannotResolveClassException)
UNKNOWN_TAGS = ("floatProp",)

# Double.valueOf / Float.valueOf (FloatingDecimal.readJavaFormatString) of the text String.trim leaves: a sign,
# then NaN, Infinity, decimal digits with an optional point and exponent, or a hexadecimal significand with a
# binary exponent; then an optional type suffix (f, F, d, D). ASCII digits only.
_JAVA_DECIMAL = re.compile(
    r"[+-]?(?:NaN|Infinity"
    r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?"
    r"|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+[fFdD]?)"
)


def java_decimal_text(text: str) -> bool:
    """Whether Java's Double.valueOf / Float.valueOf reads ``text`` ("0.5", " 1e3 ", "2f", "NaN", "0x1p4"; not
    "", "1,5", "nan", "1_0" or "١"): what JMeter's loader needs of a doubleProp's or FloatProperty's value."""
    return _JAVA_DECIMAL.fullmatch(java_trim(text)) is not None


def java_trim(text: str) -> str:
    """Java's ``String.trim``: every character up to U+0020 off both ends (not Python's whitespace: a
    no-break space stays)."""
    return text.strip(_JAVA_SPACE)


def integer(value: str) -> int | None:
    """An integer out of property text (``"10"``, ``" 10 "``, ``"10.0"``); None when it is not one."""
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            return None
        if number != number or number in (float("inf"), float("-inf")):
            return None
        return int(number)


def number(value: str) -> float | None:
    try:
        result = float(value.strip())
    except ValueError:
        return None
    if result != result or result in (float("inf"), float("-inf")):
        return None
    return result


def element(el: Element, name: str) -> Element | None:
    p = child(el, name)
    return p if p is not None and p.tag == "elementProp" else None


def collection(el: Element, name: str) -> list[Element]:
    """The items of a ``collectionProp`` (empty when absent)."""
    return items(child(el, name))


def arguments(
    el: Element | None, collection_name: str = "Arguments.arguments"
) -> list[tuple[str, str, dict[str, str | None]]]:
    """``(name, value, scalars)`` for each ``Argument`` of an ``Arguments`` element (UDV, sampler parameters);
    ``scalars`` is the item's :func:`scalars` (its other settings, e.g. ``HTTPArgument.always_encode``)."""
    if el is None:
        return []
    out: list[tuple[str, str, dict[str, str | None]]] = []
    for item in collection(el, collection_name):
        if item.tag != "elementProp":
            continue
        values = scalars(item)
        name = values.get("Argument.name")
        if name is None:
            name = item.get("name") or ""
        out.append((name, values.get("Argument.value") or "", values))
    return out


def value_flag(value: str | None, default: bool = False) -> bool:
    """A boolean property's text (None: absent or not scalar) as JMeter reads it: ``getPropertyAsBoolean(name,
    default)`` gives the default only for an absent property; a present one is true only for the text "true"
    in any case, untrimmed (``Boolean.parseBoolean``; AbstractProperty.getBooleanValue: "" is false), so an
    empty or misspelt flag is off even where the getter's default is on. A text with a ``${...}`` reference is
    known only at run time: the default stands for it."""
    if value is None or "${" in value:
        return default
    return value.lower() == "true"


def rows(el: Element, name: str) -> list[list[str]]:
    return table(child(el, name))
