"""Door Lock configuration (Door Lock CC v1-v4 Configuration Set/Get/Report, Capabilities).

:class:`LockConfig` reads and changes a lock's operation type (constant / timed), lock
timeout, the outside/inside handles that can open the door, and (v4) auto-relock time,
hold-and-release time, twist assist and block-to-block.  A change is merged with the current
configuration, checked against the lock's Door Lock Capabilities (v4) and refused with
:class:`UnsupportedLockSetting` / :class:`InvalidLockSetting` before anything is sent; the
configuration is then read back from the lock (what it really applied).

Spec notes (SDS13781): the lock timeout only applies to timed operation (constant operation
sends 0xFE 0xFE); auto-relock only works in constant operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from .cc.door_lock import (
    DoorLockCapabilitiesGet,
    DoorLockCapabilitiesReport,
    DoorLockConfigurationGet,
    DoorLockConfigurationReport,
    DoorLockConfigurationSet,
    DoorLockValue,
    OperationType,
)
from .cc.ids import CommandClass
from .errors import NodeError, NodeNotFound
from .values import ValueUpdate

if TYPE_CHECKING:
    from .driver import Driver
    from .node import Node

CC = CommandClass.DOOR_LOCK
MAX_TIMEOUT = 0xFD * 60 + 59  # 253 min 59 s
MAX_U16 = 0xFFFF
OPERATION_TYPES = {"constant": OperationType.CONSTANT, "timed": OperationType.TIMED}
_CAPS_KEY = "lock_config_capabilities"  # the full Capabilities Report, cached with the node


class InvalidLockSetting(NodeError, ValueError):
    """A configuration value out of range or inconsistent (e.g. a timeout with constant operation)."""


class UnsupportedLockSetting(InvalidLockSetting):
    """The lock's Door Lock Capabilities (or its Door Lock version) do not offer this setting.
    ``setting`` names it (``twist_assist``, ``operation_type``...)."""

    def __init__(self, message: str, node_id: int | None, setting: str) -> None:
        super().__init__(message, node_id)
        self.setting = setting


def _handles(value: Iterable[Any]) -> tuple[bool, bool, bool, bool]:
    """Four booleans (handle 1 first), from booleans or handle numbers 1..4."""
    items = list(value)
    if all(isinstance(v, bool) for v in items) and len(items) == 4:
        return tuple(items)  # type: ignore[return-value]
    if not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 4 for v in items):
        raise InvalidLockSetting("handles: give 4 booleans or handle numbers 1..4")
    return tuple(n in items for n in range(1, 5))  # type: ignore[return-value]


def _numbers(handles: tuple[bool, ...]) -> list[int]:
    return [i + 1 for i, on in enumerate(handles) if on]


@dataclass(frozen=True, slots=True)
class LockConfiguration:
    """A lock's configuration; the v4 fields are None on older locks."""

    operation_type: str  # "constant" | "timed"
    lock_timeout: int | None = None  # s, timed operation only
    outside_handles: tuple[bool, bool, bool, bool] = (False, False, False, False)
    inside_handles: tuple[bool, bool, bool, bool] = (False, False, False, False)
    auto_relock_time: int | None = None
    hold_and_release_time: int | None = None
    twist_assist: bool | None = None
    block_to_block: bool | None = None

    @classmethod
    def from_report(cls, report: DoorLockConfigurationReport) -> LockConfiguration:
        op = "timed" if report.operation_type == OperationType.TIMED else "constant"
        return cls(
            op,
            report.lock_timeout,
            tuple(report.outside_handles),
            tuple(report.inside_handles),  # type: ignore[arg-type]
            report.auto_relock_time,
            report.hold_and_release_time,
            report.twist_assist,
            report.block_to_block,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-able; handles as the numbers (1..4) of the handles that can open the door."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["outside_handles"] = _numbers(self.outside_handles)
        out["inside_handles"] = _numbers(self.inside_handles)
        return out


@dataclass(frozen=True, slots=True)
class LockCapabilities:
    """What the lock offers (Door Lock v4 Capabilities Report; everything for v1-v3)."""

    version: int
    operation_types: tuple[str, ...] = ("constant", "timed")
    modes: tuple[int, ...] = ()
    outside_handles: tuple[bool, bool, bool, bool] = (True, True, True, True)
    inside_handles: tuple[bool, bool, bool, bool] = (True, True, True, True)
    auto_relock: bool = False
    hold_and_release: bool = False
    twist_assist: bool = False
    block_to_block: bool = False

    @classmethod
    def from_report(cls, version: int, report: DoorLockCapabilitiesReport) -> LockCapabilities:
        names = {v: k for k, v in OPERATION_TYPES.items()}
        return cls(
            version,
            tuple(names[t] for t in report.operation_types if t in names),
            tuple(report.modes),
            tuple(report.outside_handles),
            tuple(report.inside_handles),  # type: ignore[arg-type]
            report.auto_relock_supported,
            report.hold_and_release_supported,
            report.twist_assist_supported,
            report.block_to_block_supported,
        )

    def as_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["operation_types"] = list(self.operation_types)
        out["modes"] = list(self.modes)
        out["outside_handles"] = _numbers(self.outside_handles)
        out["inside_handles"] = _numbers(self.inside_handles)
        return out


class LockConfig:
    """Door Lock configuration of one lock (see the module docstring)."""

    def __init__(self, driver: Driver, node_id: int, endpoint: int = 0) -> None:
        node = driver.nodes.get(node_id)
        if node is None or not node.supports(CC, endpoint):
            raise NodeNotFound(f"node {node_id} is not a door lock", node_id)
        self.node: Node = node
        self.endpoint = endpoint

    def __repr__(self) -> str:
        return f"LockConfig(node={self.node.node_id}, version={self.version})"

    @property
    def version(self) -> int:
        return self.node.cc_version(CC, self.endpoint)

    # --- reading -----------------------------------------------------------------------------

    async def capabilities(self, *, refresh: bool = False) -> LockCapabilities:
        """The lock's capabilities (v4: asked once, then kept with the node's values)."""
        if self.version < 4:
            return LockCapabilities(self.version)
        cached = self.node.get_value(CC, _CAPS_KEY, endpoint=self.endpoint)
        if isinstance(cached, dict) and not refresh:
            return _caps_from_cache(self.version, cached)
        report = await self.node.get(DoorLockCapabilitiesGet(), self.endpoint)
        assert isinstance(report, DoorLockCapabilitiesReport)
        caps = LockCapabilities.from_report(self.version, report)
        self.node.apply_update(CC, self.endpoint, ValueUpdate(_CAPS_KEY, caps.as_dict()), emit=False)
        return caps

    def cached(self) -> LockConfiguration | None:
        """The configuration as last reported (None when never read)."""
        get = self._value
        op = get(DoorLockValue.OPERATION_TYPE)
        if op is None:
            return None
        outside = get(DoorLockValue.CONFIGURED_OUTSIDE_HANDLES)
        inside = get(DoorLockValue.CONFIGURED_INSIDE_HANDLES)
        return LockConfiguration(
            "timed" if op == OperationType.TIMED else "constant",
            get(DoorLockValue.LOCK_TIMEOUT_CONFIGURATION),
            tuple(outside) if isinstance(outside, list) else (False,) * 4,  # type: ignore[arg-type]
            tuple(inside) if isinstance(inside, list) else (False,) * 4,  # type: ignore[arg-type]
            get(DoorLockValue.AUTO_RELOCK_TIME),
            get(DoorLockValue.HOLD_AND_RELEASE_TIME),
            get(DoorLockValue.TWIST_ASSIST),
            get(DoorLockValue.BLOCK_TO_BLOCK),
        )

    def _value(self, prop: str) -> Any:
        return self.node.get_value(CC, prop, endpoint=self.endpoint)

    async def read(self) -> LockConfiguration:
        """Ask the lock for its configuration (Configuration Get)."""
        report = await self.node.get(DoorLockConfigurationGet(), self.endpoint)
        assert isinstance(report, DoorLockConfigurationReport)
        return LockConfiguration.from_report(report)  # (its values are stored by the receive path)

    # --- changing ----------------------------------------------------------------------------

    async def set(self, **changes: Any) -> LockConfiguration:
        """Change some settings (names of :class:`LockConfiguration`; handles as 4 booleans or
        handle numbers), keep the others; returns the configuration read back from the lock."""
        unknown = set(changes) - {f.name for f in fields(LockConfiguration)}
        if unknown:
            raise InvalidLockSetting(
                f"unknown lock settings: {', '.join(sorted(unknown))}", self.node.node_id
            )
        caps = await self.capabilities()
        current = await self.read()  # fresh: the lock may have been changed at its keypad
        target = self.validate(current, caps, changes)
        await self.node.send_command(_to_set(target, self.version), self.endpoint, verify=False)
        return await self.read()

    def validate(
        self, current: LockConfiguration, caps: LockCapabilities, changes: dict[str, Any]
    ) -> LockConfiguration:
        """The configuration to send: ``current`` with ``changes``, checked against ``caps``."""
        node_id = self.node.node_id
        changes = {k: v for k, v in changes.items() if v is not None}
        for name in ("outside_handles", "inside_handles"):
            if name in changes:
                changes[name] = _handles(changes[name])
        if "operation_type" in changes:
            op = str(changes["operation_type"]).lower()
            if op not in OPERATION_TYPES:
                raise InvalidLockSetting("operation_type must be constant or timed", node_id)
            if op not in caps.operation_types:
                raise UnsupportedLockSetting(
                    f"node {node_id} does not support {op} operation", node_id, "operation_type"
                )
            changes["operation_type"] = op
        target = replace(current, **changes)
        if target.operation_type == "constant":
            if changes.get("lock_timeout"):
                raise InvalidLockSetting("lock_timeout only applies to timed operation", node_id)
            target = replace(target, lock_timeout=None)
        else:
            timeout = target.lock_timeout
            if not isinstance(timeout, int) or not 1 <= timeout <= MAX_TIMEOUT:
                raise InvalidLockSetting(
                    f"timed operation needs a lock_timeout of 1..{MAX_TIMEOUT} s", node_id
                )
        for side in ("outside_handles", "inside_handles"):
            wanted, offered = getattr(target, side), getattr(caps, side)
            if side in changes and any(w and not o for w, o in zip(wanted, offered, strict=True)):
                raise UnsupportedLockSetting(
                    f"node {node_id} supports {side.replace('_', ' ')} {_numbers(offered) or 'none'} only",
                    node_id,
                    side,
                )
        v4 = {
            "auto_relock_time": "auto_relock",
            "hold_and_release_time": "hold_and_release",
            "twist_assist": "twist_assist",
            "block_to_block": "block_to_block",
        }
        for name, cap in v4.items():
            if name not in changes:
                continue
            value = changes[name]
            if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_U16:
                raise InvalidLockSetting(f"{name} must be 0..{MAX_U16} s", node_id)
            if value and (caps.version < 4 or not getattr(caps, cap)):
                raise UnsupportedLockSetting(
                    f"node {node_id} does not support {cap.replace('_', ' ')}", node_id, name
                )
        if changes.get("auto_relock_time") and target.operation_type != "constant":
            raise InvalidLockSetting("auto-relock only works with constant operation", node_id)
        return target


def _caps_from_cache(version: int, data: dict[str, Any]) -> LockCapabilities:
    def four(numbers: list[int]) -> tuple[bool, bool, bool, bool]:
        return tuple(n in numbers for n in range(1, 5))  # type: ignore[return-value]

    return LockCapabilities(
        version,
        tuple(data.get("operation_types") or ()),
        tuple(data.get("modes") or ()),
        four(data.get("outside_handles") or []),
        four(data.get("inside_handles") or []),
        bool(data.get("auto_relock")),
        bool(data.get("hold_and_release")),
        bool(data.get("twist_assist")),
        bool(data.get("block_to_block")),
    )


def _to_set(config: LockConfiguration, version: int) -> DoorLockConfigurationSet:
    """Configuration Set: the 9-byte v4 form to v4 locks (as Z-Wave JS does), else 4 bytes."""
    extra: dict[str, Any] = {}
    if version >= 4:
        extra = {
            "auto_relock_time": config.auto_relock_time or 0,
            "hold_and_release_time": config.hold_and_release_time or 0,
            "twist_assist": bool(config.twist_assist),
            "block_to_block": bool(config.block_to_block),
        }
    return DoorLockConfigurationSet(
        OPERATION_TYPES[config.operation_type],
        config.outside_handles,
        config.inside_handles,
        config.lock_timeout,
        **extra,
    )
