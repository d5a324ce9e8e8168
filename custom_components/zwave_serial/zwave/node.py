"""A node of the network: identity, command classes per endpoint, value DB, status.

Sending is delegated to the driver's messenger through the small :class:`NodeHost`
interface; this module holds state and the public per-node API described in
docs/driver-api.md.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from .cc import CCCommand, cc_info
from .errors import CCEncodeError, NodeError
from .events import InterviewStage, NodeStatus, NodeStatusEvent, ValueUpdatedEvent
from .security.keys import SecurityClass
from .values import StoredValue, ValueId, ValueUpdate

if TYPE_CHECKING:
    from .configparams import ConfigParameter
    from .messaging import NodeMessenger

_LOGGER = logging.getLogger(__name__)

INTERVIEW_DONE = InterviewStage.COMPLETE


class SetValueStatus(StrEnum):
    """How a set ended (see :class:`SetValueResult`)."""

    SUCCESS = "success"
    WORKING = "working"
    SENT = "sent"
    QUEUED = "queued"


@dataclass(frozen=True, slots=True)
class SetValueResult:
    """Outcome of :meth:`Node.set_value`.

    ``status``: "success" / "working" (supervised), "sent" (acknowledged, verified by a
    read-back), "queued" (sleeping node: sent when it wakes up).
    """

    status: SetValueStatus
    duration: float | None = None


@dataclass(slots=True)
class ProtocolData:
    """What GetNodeProtocolInfo says about a node."""

    listening: bool = True
    frequent_listening: int | None = None
    routing: bool = True
    beaming: bool = False
    is_controller: bool = False
    security: bool = False
    protocol_version: int = 0
    basic: int | None = None
    generic: int | None = None
    specific: int | None = None


@dataclass(slots=True)
class PendingGet:
    endpoint: int
    command: CCCommand
    future: asyncio.Future[CCCommand]


@dataclass(slots=True)
class QueuedCommand:
    """A command waiting for a sleeping node to wake up."""

    run: Callable[[], Awaitable[Any]]
    description: str
    future: asyncio.Future[Any] | None = None


class NodeHost(Protocol):
    """What a node needs from the driver that owns it."""

    messenger: NodeMessenger

    @property
    def own_node_id(self) -> int: ...

    def emit(self, event: Any) -> None: ...

    def schedule_cache_save(self) -> None: ...

    def resume_interview(self, node: Node) -> None: ...


class Node:
    """One Z-Wave node (see docs/driver-api.md)."""

    def __init__(self, driver: NodeHost, node_id: int) -> None:
        self._driver = driver
        self.node_id = node_id
        self.protocol = ProtocolData()
        self.status = NodeStatus.UNKNOWN
        self.interview_stage: InterviewStage | None = None
        #: The stage where the last interview attempt failed (None: not failed).  The
        #: interview is tried again when the node is next heard from.
        self.interview_failed: InterviewStage | None = None
        self.manufacturer_id: int | None = None
        self.product_type: int | None = None
        self.product_id: int | None = None
        self.firmware_version: str | None = None
        self.zwave_plus: bool = False
        # endpoint -> {cc id: version}; endpoint 0 is the root device
        self._ccs: dict[int, dict[int, int]] = {0: {}}
        self.controlled_ccs: list[int] = []
        #: Highest granted security class (None: not secure, or not known: no key) and the
        #: CCs the node supports securely (root endpoint); set by the security interview stage.
        self.security_class: SecurityClass | None = None
        self.secure_ccs: set[int] = set()
        #: The device's DSK when it was included with S2 here (not secret: it is on its label).
        self.dsk: str | None = None
        self._values: dict[ValueId, StoredValue] = {}
        self.pending_gets: list[PendingGet] = []
        self.wakeup_queue: list[QueuedCommand] = []
        self.supervision_session = 0
        self.interview_task: asyncio.Task[None] | None = None
        #: Failed transmissions in a row (network/liveness.py: DEAD after DEAD_AFTER_FAILURES)
        #: and since when the node is dead (epoch seconds; cached, so it survives restarts).
        self.failed_transmits = 0
        self.dead_since: float | None = None

    # --- identity ---------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self.interview_stage == INTERVIEW_DONE

    @property
    def is_controller(self) -> bool:
        return self.protocol.is_controller or self.node_id == self._driver.own_node_id

    @property
    def is_listening(self) -> bool:
        return self.protocol.listening

    @property
    def is_frequent_listening(self) -> bool:
        return self.protocol.frequent_listening is not None

    @property
    def is_routing(self) -> bool:
        return self.protocol.routing

    @property
    def is_secure(self) -> bool:
        return self.security_class is not None

    @property
    def is_sleeping_device(self) -> bool:
        """A battery device that is only reachable after its Wake Up Notification."""
        return not self.protocol.listening and self.protocol.frequent_listening is None and not self.is_controller

    @property
    def basic_class(self) -> int | None:
        return self.protocol.basic

    @property
    def generic_class(self) -> int | None:
        return self.protocol.generic

    @property
    def specific_class(self) -> int | None:
        return self.protocol.specific

    @property
    def endpoints(self) -> list[int]:
        return sorted(self._ccs)

    def command_classes(self, endpoint: int = 0) -> dict[int, int]:
        return dict(self._ccs.get(endpoint, {}))

    def supports(self, cc: int, endpoint: int = 0) -> bool:
        return cc in self._ccs.get(endpoint, {})

    def cc_version(self, cc: int, endpoint: int = 0) -> int:
        version = self._ccs.get(endpoint, {}).get(cc) or self._ccs.get(0, {}).get(cc) or 1
        return max(version, 1)

    def set_command_classes(self, endpoint: int, ccs: dict[int, int]) -> None:
        self._ccs[endpoint] = dict(ccs)

    def set_cc_version(self, cc: int, version: int, endpoint: int = 0) -> None:
        self._ccs.setdefault(endpoint, {})[cc] = version

    # --- status -------------------------------------------------------------------

    def set_status(self, status: NodeStatus) -> None:
        if status is self.status:
            return
        previous = self.status
        self.status = status
        if status is NodeStatus.DEAD and self.dead_since is None:
            self.dead_since = time.time()
            self._driver.schedule_cache_save()
        elif self.dead_since is not None and (status is NodeStatus.ALIVE or previous is NodeStatus.DEAD):
            self.dead_since = None
            self._driver.schedule_cache_save()
        if status is NodeStatus.DEAD or previous is NodeStatus.DEAD:
            _LOGGER.info("Node %s is now %s (was %s)", self.node_id, status.value, previous.value)
        else:
            _LOGGER.debug("Node %s is now %s", self.node_id, status.value)
        self._driver.emit(NodeStatusEvent(self.node_id, status))
        if previous is NodeStatus.DEAD and status is NodeStatus.ALIVE and not self.ready:
            # The node was unreachable during its interview: carry on where it stopped.
            self._driver.resume_interview(self)

    def mark_alive(self) -> None:
        self.failed_transmits = 0
        if self.status in (NodeStatus.UNKNOWN, NodeStatus.DEAD) or (
            self.status is NodeStatus.ASLEEP and not self.is_sleeping_device
        ):
            self.set_status(NodeStatus.ALIVE)

    # --- values -------------------------------------------------------------------

    def values(self) -> dict[ValueId, StoredValue]:
        return dict(self._values)

    def get_stored(self, value_id: ValueId) -> StoredValue | None:
        return self._values.get(value_id)

    def get_value(self, cc: int, property: str, property_key: Any = None, endpoint: int = 0) -> Any:
        stored = self._values.get(ValueId(self.node_id, endpoint, cc, property, property_key))
        return None if stored is None else stored.value

    def apply_update(self, cc: int, endpoint: int, update: ValueUpdate, *, emit: bool = True) -> None:
        """Store one reported value and emit a ValueUpdatedEvent."""
        vid = ValueId(self.node_id, endpoint, cc, update.property, update.property_key)
        old = self._values.get(vid)
        if old is None and update.meta.get("idle_reset"):
            return  # resetting a state the device never reported would invent a value
        secret = bool(update.meta.get("secret"))
        self._values[vid] = StoredValue(update.value, update.unit, dict(update.meta), secret)
        if emit:
            self._driver.emit(ValueUpdatedEvent(vid, update.value, None if old is None else old.value))
        self._driver.schedule_cache_save()

    def apply_command(self, endpoint: int, command: CCCommand) -> None:
        """A command (usually a report) arrived from this node: update values, resolve waiters."""
        for update in command.value_updates():
            self.apply_update(command.cc_id, endpoint, update)
        for pending in list(self.pending_gets):
            if pending.endpoint == endpoint and not pending.future.done() and command.answers(pending.command):
                pending.future.set_result(command)
                self.pending_gets.remove(pending)

    def restore_value(self, vid: ValueId, stored: StoredValue) -> None:
        self._values[vid] = stored

    # --- commands -------------------------------------------------------------------

    def next_supervision_session(self) -> int:
        self.supervision_session = (self.supervision_session + 1) % 64
        return self.supervision_session

    async def set_value(
        self,
        cc: int,
        property: str,
        value: Any,
        *,
        endpoint: int = 0,
        property_key: Any = None,
        duration: float | None = None,
        options: dict[str, Any] | None = None,
    ) -> SetValueResult:
        """Set a writable value; see docs/driver-api.md."""
        info = cc_info(cc)
        if info is None or info.set_value is None:
            raise CCEncodeError(f"command class 0x{cc:02X} has no writable values")
        opts: dict[str, Any] = dict(options or {})
        if duration is not None:
            opts["duration"] = duration
        opts.setdefault("controller_node_id", self._driver.own_node_id)
        command = info.set_value(property, value, property_key, opts, self.cc_version(cc, endpoint))
        return await self._driver.messenger.send_set(self, command, endpoint=endpoint)

    async def send_command(self, command: CCCommand, endpoint: int = 0, *, verify: bool = True) -> SetValueResult:
        """Send any command (supervised when the node supports it); ``verify`` False: the caller
        reads the changed state back itself."""
        return await self._driver.messenger.send_set(self, command, endpoint=endpoint, verify=verify)

    async def get(self, command: CCCommand, endpoint: int = 0, *, timeout: float | None = None) -> CCCommand:
        """Send a Get and wait for its report."""
        return await self._driver.messenger.request(self, command, endpoint=endpoint, timeout=timeout)

    async def refresh_values(self, cc: int | None = None, endpoint: int | None = None) -> None:
        """Re-read the current state of one CC or all (queued while a sleeping node sleeps)."""
        endpoints = [endpoint] if endpoint is not None else self.endpoints
        for ep in endpoints:
            for cc_id in sorted(self._ccs.get(ep, {})) if cc is None else [cc]:
                info = cc_info(cc_id)
                if info is None or (info.refresh is None and info.interview is None) or not self.supports(cc_id, ep):
                    continue
                ctx = self._driver.messenger.cc_context(self, ep, cc_id)
                try:
                    await info.run_refresh(ctx)
                except NodeError as err:
                    _LOGGER.debug("Refresh of %s on node %s failed: %s", info.name, self.node_id, err)
                    if self.status is NodeStatus.DEAD:
                        return

    async def ping(self) -> bool:
        """Send a No Operation frame; True when the node acknowledged it."""
        return await self._driver.messenger.ping(self)

    # --- configuration parameters (configparams/: model, validation, partials) ------------

    def config_parameters(self, endpoint: int = 0) -> list[ConfigParameter]:
        """Known parameters and partial parameters (device description, else device database)."""
        from .configparams import config_parameters

        return config_parameters(self, endpoint)

    async def set_config_parameter(self, parameter: int | str, value: Any, **options: Any) -> SetValueResult:
        """Set a parameter (number or name; ``bitmask``, ``endpoint``, ``value_size``/``value_format``)."""
        from .configparams import set_config_parameter

        return await set_config_parameter(self, parameter, value, **options)

    async def bulk_set_partial_config_parameters(self, parameter: int, value: Any, endpoint: int = 0) -> SetValueResult:
        """Set several partials of a parameter in one Set (a whole value or ``{mask: value}``)."""
        from .configparams import bulk_set_partial_config_parameters

        return await bulk_set_partial_config_parameters(self, parameter, value, endpoint=endpoint)

    async def reset_config_parameters(self, parameter: int | None = None, endpoint: int = 0) -> None:
        """Reset one parameter or all to the default values (then read back)."""
        from .configparams import reset_config_parameters

        await reset_config_parameters(self, parameter, endpoint=endpoint)

    # --- cache ---------------------------------------------------------------------------

    def to_cache(self) -> dict[str, Any]:
        return {
            "protocol": {
                "listening": self.protocol.listening,
                "frequent_listening": self.protocol.frequent_listening,
                "routing": self.protocol.routing,
                "beaming": self.protocol.beaming,
                "is_controller": self.protocol.is_controller,
                "security": self.protocol.security,
                "protocol_version": self.protocol.protocol_version,
                "basic": self.protocol.basic,
                "generic": self.protocol.generic,
                "specific": self.protocol.specific,
            },
            "interview_stage": self.interview_stage,
            "manufacturer_id": self.manufacturer_id,
            "product_type": self.product_type,
            "product_id": self.product_id,
            "firmware_version": self.firmware_version,
            "zwave_plus": self.zwave_plus,
            "ccs": {str(ep): {str(cc): v for cc, v in ccs.items()} for ep, ccs in self._ccs.items()},
            "controlled_ccs": self.controlled_ccs,
            # The granted class and the secure CC list only: no keys, no nonces.
            "security_class": None if self.security_class is None else self.security_class.name,
            "secure_ccs": sorted(self.secure_ccs),
            "dsk": self.dsk,
            "dead_since": self.dead_since,
            "values": [
                {"id": vid.key(), "value": sv.value, "unit": sv.unit, "meta": sv.meta, "secret": sv.secret}
                for vid, sv in self._values.items()
            ],
        }

    def restore_cache(self, data: dict[str, Any]) -> None:
        proto = data.get("protocol") or {}
        self.protocol = ProtocolData(**{k: proto[k] for k in ProtocolData.__slots__ if k in proto})
        stage = data.get("interview_stage")
        self.interview_stage = InterviewStage(stage) if stage in InterviewStage._value2member_map_ else None
        self.manufacturer_id = data.get("manufacturer_id")
        self.product_type = data.get("product_type")
        self.product_id = data.get("product_id")
        self.firmware_version = data.get("firmware_version")
        self.zwave_plus = bool(data.get("zwave_plus"))
        self._ccs = {int(ep): {int(cc): int(v) for cc, v in ccs.items()} for ep, ccs in data.get("ccs", {}).items()}
        self._ccs.setdefault(0, {})
        self.controlled_ccs = list(data.get("controlled_ccs", []))
        cls = data.get("security_class")
        self.security_class = SecurityClass[cls] if cls in SecurityClass.__members__ else None
        self.secure_ccs = {int(cc) for cc in data.get("secure_ccs", [])}
        self.dsk = data.get("dsk")
        dead_since = data.get("dead_since")
        self.dead_since = float(dead_since) if isinstance(dead_since, (int, float)) else None
        for item in data.get("values", []):
            try:
                vid = ValueId.from_key(item["id"])
            except (KeyError, ValueError):
                continue
            self._values[vid] = StoredValue(item.get("value"), item.get("unit"), item.get("meta") or {}, bool(item.get("secret")))

    def __repr__(self) -> str:
        return f"Node({self.node_id}, {self.status.value}, stage={self.interview_stage})"


__all__ = ["Node", "ProtocolData", "QueuedCommand", "SetValueResult", "SetValueStatus"]
