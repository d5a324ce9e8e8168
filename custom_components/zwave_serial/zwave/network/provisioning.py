"""SmartStart provisioning list: devices allowed to join by themselves.

Each :class:`ProvisioningEntry` holds a device's DSK (from its QR code), the security classes to
grant it, a name and a status.  While the list has active entries waiting to join and nothing
else is going on, the driver keeps the stick in SmartStart listen mode; a device on the list
that announces itself is included and bootstrapped with the entry's classes (its DSK is
checked against its public key: no PIN to type).

The list is saved with the network cache (no secrets in it: a DSK is printed on the device).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from ..security.keys import (
    SecurityClass,
    dsk_from_string,
    dsk_to_string,
    nwi_home_id_from_dsk,
)
from ..security.qr import QRProvisioningInformation


class ProvisioningStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # kept, but the device is not included when it announces itself


@dataclass(frozen=True, slots=True)
class ProvisioningEntry:
    """``security_classes``: the classes granted when the device joins; ``node_id``: set
    once it joined (the entry stays, as in Z-Wave JS)."""

    dsk: str
    security_classes: tuple[SecurityClass, ...]
    name: str | None = None
    status: ProvisioningStatus = ProvisioningStatus.ACTIVE
    node_id: int | None = None
    manufacturer_id: int | None = None
    product_type: int | None = None
    product_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dsk", dsk_to_string(dsk_from_string(self.dsk)))  # InvalidDSK
        classes = tuple(SecurityClass(c) for c in self.security_classes)
        if any(c < 0 for c in classes):
            raise ValueError("security classes to grant must be S2 classes or S0_Legacy")
        object.__setattr__(self, "security_classes", classes)
        object.__setattr__(self, "status", ProvisioningStatus(self.status))

    @classmethod
    def from_qr(
        cls,
        info: QRProvisioningInformation,
        *,
        name: str | None = None,
        security_classes: tuple[SecurityClass, ...] | None = None,
    ) -> ProvisioningEntry:
        """An entry for a parsed QR code; grants what the device requests unless told fewer."""
        granted = info.requested_security_classes if security_classes is None else tuple(
            c for c in info.requested_security_classes if c in security_classes
        )
        return cls(
            dsk=info.dsk,
            security_classes=granted,
            name=name,
            manufacturer_id=info.manufacturer_id,
            product_type=info.product_type,
            product_id=info.product_id,
        )

    @property
    def nwi_home_id(self) -> int:
        """The home ID the device uses when it asks to join (SmartStart inclusion request)."""
        return nwi_home_id_from_dsk(dsk_from_string(self.dsk))

    @property
    def waiting(self) -> bool:
        """Active and not included yet."""
        return self.status == ProvisioningStatus.ACTIVE and self.node_id is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "dsk": self.dsk,
            "security_classes": [c.name for c in self.security_classes],
            "name": self.name,
            "status": self.status.value,
            "node_id": self.node_id,
            "manufacturer_id": self.manufacturer_id,
            "product_type": self.product_type,
            "product_id": self.product_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProvisioningEntry:
        return cls(
            dsk=data["dsk"],
            security_classes=tuple(SecurityClass[name] for name in data.get("security_classes", [])),
            name=data.get("name"),
            status=ProvisioningStatus(data.get("status", ProvisioningStatus.ACTIVE)),
            node_id=data.get("node_id"),
            manufacturer_id=data.get("manufacturer_id"),
            product_type=data.get("product_type"),
            product_id=data.get("product_id"),
        )


class ProvisioningList:
    """The SmartStart provisioning entries by DSK; ``on_change()`` is called after every change."""

    def __init__(self, on_change: Callable[[], None] | None = None) -> None:
        self._entries: dict[str, ProvisioningEntry] = {}
        self.on_change = on_change

    def __repr__(self) -> str:
        return f"ProvisioningList({len(self._entries)} entries)"

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[ProvisioningEntry]:
        return iter(list(self._entries.values()))

    def __contains__(self, dsk: object) -> bool:
        return isinstance(dsk, str) and self.get(dsk) is not None

    def get(self, dsk: str) -> ProvisioningEntry | None:
        try:
            return self._entries.get(dsk_to_string(dsk_from_string(dsk)))
        except ValueError:
            return None

    def add(self, entry: ProvisioningEntry) -> ProvisioningEntry:
        """Add or replace (same DSK) an entry."""
        self._entries[entry.dsk] = entry
        self._changed()
        return entry

    def remove(self, dsk: str) -> ProvisioningEntry | None:
        entry = self.get(dsk)
        if entry is not None:
            del self._entries[entry.dsk]
            self._changed()
        return entry

    def update(self, dsk: str, **changes: Any) -> ProvisioningEntry | None:
        entry = self.get(dsk)
        if entry is None:
            return None
        return self.add(replace(entry, **changes))

    def find_by_nwi_home_id(self, home_id: int) -> ProvisioningEntry | None:
        return next((e for e in self._entries.values() if e.nwi_home_id == home_id), None)

    def find_by_node(self, node_id: int) -> ProvisioningEntry | None:
        return next((e for e in self._entries.values() if e.node_id == node_id), None)

    @property
    def waiting(self) -> bool:
        """Some active entry has not joined yet (SmartStart listen mode is wanted)."""
        return any(e.waiting for e in self._entries.values())

    def to_cache(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self._entries.values()]

    def restore(self, data: list[dict[str, Any]] | None) -> None:
        """Entries from the cache (unreadable entries are skipped); no change callback."""
        self._entries.clear()
        for item in data or []:
            try:
                entry = ProvisioningEntry.from_dict(item)
            except (KeyError, ValueError, TypeError):
                continue
            self._entries[entry.dsk] = entry

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


__all__ = ["ProvisioningEntry", "ProvisioningList", "ProvisioningStatus"]
