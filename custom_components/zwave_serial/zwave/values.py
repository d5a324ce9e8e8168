"""Value identifiers and the updates command classes produce.

A value is addressed by (node, endpoint, command class, property, property key).  Command
class reports turn into :class:`ValueUpdate` items (pure data, no node); the node stamps them
with its id and endpoint and stores them in its value DB.  The naming of properties per CC is
documented in ``docs/values.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PropertyKey = int | str | None


@dataclass(frozen=True, slots=True)
class ValueId:
    """Address of one value in the network."""

    node_id: int
    endpoint: int
    cc: int
    property: str
    property_key: PropertyKey = None

    def key(self) -> str:
        """Stable string form, used in unique ids and in the cache: ``node-ep-cc-prop[-key]``."""
        base = f"{self.node_id}-{self.endpoint}-{self.cc:02x}-{self.property}"
        return base if self.property_key is None else f"{base}-{self.property_key}"

    @classmethod
    def from_key(cls, text: str) -> ValueId:
        """Inverse of :meth:`key`."""
        parts = text.split("-", 4)
        if len(parts) < 4:
            raise ValueError(f"not a value id: {text!r}")
        key: PropertyKey = None
        if len(parts) == 5:
            raw = parts[4]
            key = int(raw) if raw.lstrip("-").isdigit() else raw
        return cls(int(parts[0]), int(parts[1]), int(parts[2], 16), parts[3], key)


@dataclass(frozen=True, slots=True)
class ValueUpdate:
    """One value reported by a command (not yet tied to a node).

    ``unit`` is the unit of ``value`` when it has one ("°C", "W", "kWh", "%", "s"...).
    ``meta`` carries what the integration needs to pick an entity (e.g. sensor type and
    scale numbers); it must be JSON-serialisable.
    """

    property: str
    value: Any
    property_key: PropertyKey = None
    unit: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class StoredValue:
    """A value in a node's value DB."""

    value: Any
    unit: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    secret: bool = False
