"""The JMeter test tree: pair each element with the ``<hashTree>`` that follows it and give it a stable path.

A path is ``jmx:/TestPlan/ThreadGroup[1]/HTTPSamplerProxy[3]``: each step is the element's tag and its
1-based position among same-tag siblings in that ``<hashTree>`` (the root Test Plan is just ``/TestPlan``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from converter.diagnostics import Location
from converter.parsers.jmx import props


@dataclass(eq=False)
class Node:
    el: Any  # the lxml element
    tag: str
    kind: str  # testclass (or tag)
    guiclass: str
    name: str  # testname
    path: str
    enabled: bool  # False when this element or an ancestor is disabled
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    _index: dict[str, Any] | None = field(default=None, repr=False)
    _loc: Location | None = field(default=None, repr=False)

    @property
    def loc(self) -> Location:
        if self._loc is None:
            self._loc = Location(source=self.path, name=self.name)
        return self._loc

    def prop(self, name: str) -> Any:
        """The property child called ``name`` (None when absent)."""
        if self._index is None:
            self._index = props.index(self.el)
        return self._index.get(name)

    def text(self, name: str, default: str = "") -> str:
        return props.scalar(self.prop(name), default)

    def flag(self, name: str, default: bool = False) -> bool:
        return props.as_flag(self.prop(name), default)

    def element(self, name: str) -> Any:
        p = self.prop(name)
        return p if p is not None and p.tag == "elementProp" else None

    def collection(self, name: str) -> list[Any]:
        return props.items(self.prop(name))

    def rows(self, name: str) -> list[list[str]]:
        return props.table(self.prop(name))

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
    items = [ch for ch in hash_tree if isinstance(ch.tag, str)]
    for i, el in enumerate(items):
        if el.tag == "hashTree":
            continue
        tag = el.tag
        counts[tag] = counts.get(tag, 0) + 1
        index = counts[tag]
        step = "TestPlan" if root and tag == "TestPlan" and index == 1 else f"{tag}[{index}]"
        on = enabled and (el.get("enabled") or "true").strip().lower() != "false"
        node = Node(
            el=el,
            tag=tag,
            kind=el.get("testclass") or tag,
            guiclass=el.get("guiclass") or "",
            name=el.get("testname") or "",
            path=f"{prefix}/{step}",
            enabled=on,
            parent=parent,
        )
        following = items[i + 1] if i + 1 < len(items) else None
        if following is not None and following.tag == "hashTree":
            node.children = _children(following, node.path, on, node, False)
        out.append(node)
    return out


def build(root: Any, prefix: str = "jmx:") -> list[Node]:
    """The top-level nodes (normally the one Test Plan) of a ``jmeterTestPlan`` root."""
    top = next(ch for ch in root if isinstance(ch.tag, str) and ch.tag == "hashTree")
    return _children(top, prefix, True, None, True)
