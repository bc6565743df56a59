"""The JMeter test tree: pair each element with the ``<hashTree>`` that follows it and give it a stable path.

A path is ``jmx:/TestPlan/ThreadGroup[1]/HTTPSamplerProxy[3]``: each step is the element's tag and its
1-based position among same-tag siblings in that ``<hashTree>`` (the root Test Plan is just ``/TestPlan``).

A node reads its element's properties once, in one pass (``Node._load``): scalar properties are kept as
text, only structured ones (``elementProp``, ``collectionProp``...) as elements. Lookups are then dict reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from converter.diagnostics import Location
from converter.parsers.jmx import props
from converter.parsers.jmx.classify import family_of
from converter.parsers.jmx.props import SCALARS


class Node:
    __slots__ = (
        "_elements",
        "_loc",
        "_plain",
        "_typed",
        "_values",
        "children",
        "el",
        "enabled",
        "family",
        "guiclass",
        "kind",
        "name",
        "parent",
        "path",
        "tag",
    )

    def __init__(
        self,
        el: Any,  # the lxml element
        tag: str,
        kind: str,  # testclass (or tag)
        guiclass: str,
        name: str,  # testname
        path: str,
        enabled: bool,  # False when this element or an ancestor is disabled
        parent: Node | None = None,
    ) -> None:
        self.el = el
        self.tag = tag
        self.kind = kind
        self.guiclass = guiclass
        self.name = name
        self.path = path
        self.enabled = enabled
        self.family = family_of(kind)  # read for every node, often several times, by the walk
        self.children: list[Node] = []
        self.parent = parent
        self._values: dict[str, str | None] | None = None  # name -> text (None: the first is not scalar)
        self._elements: dict[str, Any] = {}  # name -> first non-scalar property element
        self._plain = True  # every property has a name attribute, once, and is scalar or an elementProp
        self._typed: dict[str, str] = {}  # name -> tag of the scalar properties that are not stringProps
        self._loc: Location | None = None

    def __repr__(self) -> str:
        return f"Node({self.path!r})"

    @property
    def loc(self) -> Location:
        if self._loc is None:
            self._loc = Location(source=self.path, name=self.name)
        return self._loc

    def _load(self) -> dict[str, str | None]:
        """Index the properties in one pass; the first property of a name wins (as ``props.child``)."""
        values: dict[str, str | None] = {}
        elements: dict[str, Any] = {}
        typed: dict[str, str] = {}
        plain = True
        for ch in self.el:
            name = ch.get("name")  # None for comments (and any non-element) too
            tag = ch.tag
            if tag in SCALARS and name is not None and name not in values:  # the common case, first
                values[name] = ch.text or ""
                if tag != "stringProp":
                    typed[name] = tag
                continue
            if tag.__class__ is not str:
                continue
            if name is None:
                plain = False
                name = props.prop_name(ch)
                if name is None or name in values:
                    continue
                if tag in SCALARS:
                    values[name] = props.prop_value(ch)
                    typed[name] = tag
                else:
                    values[name] = None
                    elements[name] = ch
                continue
            if name in values:
                plain = False
                continue
            values[name] = None  # not a scalar (those are handled above)
            elements[name] = ch
            if tag != "elementProp":
                plain = False
        self._values = values
        self._elements = elements
        self._typed = typed
        self._plain = plain
        return values

    def has(self, name: str) -> bool:
        """Whether the element has a property called ``name`` (of any kind)."""
        values = self._values if self._values is not None else self._load()
        return name in values

    def prop(self, name: str) -> Any:
        """The property child called ``name`` (None when absent)."""
        values = self._values if self._values is not None else self._load()
        if name not in values:
            return None
        if values[name] is None:
            return self._elements[name]
        return props.child(self.el, name)

    def text(self, name: str, default: str = "") -> str:
        values = self._values if self._values is not None else self._load()
        value = values.get(name)
        return default if value is None else value

    def given(self, name: str) -> str | None:
        """A property's text, None when the element does not have it (JMeter's NullProperty: a getter's default
        applies, where an empty text is read as it is)."""
        return self.text(name) if self.has(name) else None

    def tag_of(self, name: str) -> str | None:
        """The tag of the first property called ``name`` (``stringProp``, ``boolProp``...; None when absent)."""
        values = self._values if self._values is not None else self._load()
        if name not in values:
            return None
        if values[name] is None:
            return str(self._elements[name].tag)
        return self._typed.get(name, "stringProp")

    def flag(self, name: str, default: bool = False) -> bool:
        values = self._values if self._values is not None else self._load()
        return props.value_flag(values.get(name), default)

    def element(self, name: str) -> Any:
        if self._values is None:
            self._load()
        p = self._elements.get(name)
        return p if p is not None and p.tag == "elementProp" else None

    def collection(self, name: str) -> list[Any]:
        if self._values is None:
            self._load()
        return props.items(self._elements.get(name))

    def rows(self, name: str) -> list[list[str]]:
        if self._values is None:
            self._load()
        return props.table(self._elements.get(name))

    def plain_values(self) -> dict[str, str | None] | None:
        """Name -> text of every property (None: an elementProp) when that is all there is to it: each name
        once, only scalars and elementProps, as :meth:`named` then reads them. None otherwise."""
        values = self._values if self._values is not None else self._load()
        return values if self._plain else None

    def named(self, prefix: str) -> list[tuple[str, str]]:
        """``(name, raw text)`` of the properties whose ``name`` attribute starts with ``prefix``, in document
        order, elementProps excepted: what JMeter's HTTP/TCP samplers and their defaults read by name."""
        values = self._values if self._values is not None else self._load()
        if self._plain:
            return [(k, v) for k, v in values.items() if v is not None and k.startswith(prefix)]
        return [
            (ch.get("name"), ch.text or "")
            for ch in self.el
            if isinstance(ch.tag, str)
            and (ch.get("name") or "").startswith(prefix)
            and ch.tag != "elementProp"
        ]

    def release(self) -> None:
        """Drop the references into the element tree (and to the other nodes), so the tree can be freed."""
        self.el = None
        self._values = {}
        self._elements = {}
        self.parent = None
        self.children = []

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def walk_up(self) -> Iterator[Node]:
        """This node, then its ancestors up to the root."""
        yield self
        yield from self.ancestors()

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def _children(hash_tree: Any, prefix: str, enabled: bool, parent: Node | None, root: bool) -> list[Node]:
    out: list[Node] = []
    counts: dict[str, int] = {}
    node: Node | None = None  # the element waiting for its <hashTree>
    for el in hash_tree:
        tag = el.tag
        if tag == "hashTree":
            if node is not None:
                node.children = _children(el, node.path, node.enabled, node, False)
                node = None
            continue
        if tag.__class__ is not str:
            continue
        index = counts[tag] = counts.get(tag, 0) + 1
        get = el.get
        if enabled:
            flag = get("enabled")
            on = flag is None or flag.strip().lower() != "false"
        else:
            on = False
        node = Node(
            el,
            tag,
            get("testclass") or tag,
            get("guiclass") or "",
            get("testname") or "",
            f"{prefix}/TestPlan" if root and index == 1 and tag == "TestPlan" else f"{prefix}/{tag}[{index}]",
            on,
            parent,
        )
        out.append(node)
    return out


def build(root: Any, prefix: str = "jmx:") -> list[Node]:
    """The top-level nodes (normally the one Test Plan) of a ``jmeterTestPlan`` root."""
    top = next(ch for ch in root if isinstance(ch.tag, str) and ch.tag == "hashTree")
    return _children(top, prefix, True, None, True)
