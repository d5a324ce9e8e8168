"""The coordinator: owns the driver, turns its events into dispatcher signals.

Push-based: values arrive as driver events; the only timer refreshes the controller's
link statistics sensors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_time_change, async_track_time_interval

from .bus_events import ROOT_ONLY_CCS, SCENE_EVENTS, async_fire_node_event, async_fire_scene_event
from .compat import (
    async_get_entry_device,
    async_get_or_create_device,
    async_remove_entry_device,
    async_via_device_fields,
)
from .config_discovery import CONFIGURATION, discover_config_parameter
from .const import (
    DEFAULT_HEAL_HOUR,
    DOMAIN,
    EVENT_NOTIFICATION,
    HEAL_OFF,
    OPT_HEAL_HOUR,
    STATISTICS_INTERVAL,
    signal_add_entities,
    signal_connection,
    signal_new_node,
    signal_node,
    signal_statistics,
)
from .dead_nodes import async_track_dead_nodes
from .demo import async_stop_demo
from .devices import controller_device_info, controller_identifier, device_identifier, node_device_info
from .discovery import DiscoveryInfo, discover_value
from .heal_events import HEAL_EVENTS, async_handle_heal_event
from .lock_events import async_handle_lock_notification
from .time_zone import async_track_hub_time_zone
from .zwave import (
    ConnectedEvent,
    ConnectionLostEvent,
    Driver,
    DriverEvent,
    Node,
    NodeAddedEvent,
    NodeReadyEvent,
    NodeRemovedEvent,
    NodeStatusEvent,
    NodeWakeUpEvent,
    NotificationEvent,
    SupervisionStatusEvent,
    ValueUpdatedEvent,
)
from .zwave.transport import redact_url

_LOGGER = logging.getLogger(__name__)

type ZWaveSerialConfigEntry = ConfigEntry[ZWaveSerialRuntime]


@dataclass
class ZWaveSerialRuntime:
    """What a loaded entry keeps: the coordinator, the demo stick (if any), the settings it runs with."""

    coordinator: ZWaveCoordinator
    demo: Any = None
    options: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _NodeState:
    """Per-node bookkeeping of the coordinator."""

    values: set[Any] = field(default_factory=set)
    announced: bool = False


class ZWaveCoordinator:
    """Owns one driver for one config entry."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, driver: Driver, demo: Any = None) -> None:
        """Wrap a started driver (and the demo stick it runs on, if any)."""
        self.hass = hass
        self.entry = entry
        self.driver = driver
        self.demo = demo
        self._stopped = False
        self.home_id: int = driver.controller.home_id
        self._nodes: dict[int, _NodeState] = {}
        self._unsubs: list[CALLBACK_TYPE] = []
        self._platforms_ready = False
        self._was_connected = True

    @property
    def entry_id(self) -> str:
        """Config entry id."""
        return self.entry.entry_id

    @property
    def connected(self) -> bool:
        """Whether the stick is connected and answering."""
        return bool(self.driver.connected)

    def unique_id(self, info: DiscoveryInfo) -> str:
        """Unique id of a discovered entity: home ID, node, endpoint, CC, property, key."""
        vid = info.value_id
        base = f"{self.home_id:08x}.{vid.node_id}.{vid.endpoint}.{vid.cc}.{vid.property}"
        return base if vid.property_key is None else f"{base}.{vid.property_key}"

    def node(self, node_id: int) -> Node | None:
        """A node of the network, or None."""
        return self.driver.nodes.get(node_id)

    # --- life cycle -------------------------------------------------------------------

    @callback
    def async_start(self) -> None:
        """Subscribe to driver events and start the statistics timer."""
        self._unsubs.append(self.driver.subscribe(self._handle_event))
        self._unsubs.append(async_track_hub_time_zone(self))  # time_zone.py: Time CC answers, device clocks
        self._unsubs.append(
            async_track_time_interval(
                self.hass,
                self._refresh_statistics,
                STATISTICS_INTERVAL,
                name=f"{DOMAIN} statistics",
                cancel_on_shutdown=True,
            )
        )
        self._register_controller_device()
        self._unsubs.append(async_track_dead_nodes(self))  # repair issues (dead_nodes.py)
        heal_hour = self.entry.options.get(OPT_HEAL_HOUR, DEFAULT_HEAL_HOUR)
        if heal_hour not in (None, HEAL_OFF):
            self._unsubs.append(
                async_track_time_change(self.hass, self._nightly_heal, hour=int(heal_hour), minute=0, second=0)
            )

    async def _nightly_heal(self, _now: datetime | None = None) -> None:
        """The nightly network heal chosen in the options."""
        if not self.driver.connected:
            _LOGGER.info("Nightly heal skipped: the Z-Wave stick is not connected")
            return
        await self.async_heal_network()

    async def async_heal_network(self) -> dict[int, str]:
        """Heal the network now; returns node id -> "done" / "failed" / "queued"."""
        results = await self.driver.heal_network()
        failed = sorted(n for n, status in results.items() if status == "failed")
        _LOGGER.info(
            "Network heal finished: %d done, %d queued until wake-up, %d skipped, failed: %s",
            sum(1 for s in results.values() if s == "done"),
            sum(1 for s in results.values() if s == "queued"),
            sum(1 for s in results.values() if s == "skipped"),
            failed or "none",
        )
        return results

    async def async_stop(self) -> None:
        """Unsubscribe and stop the driver (closes the port) and the demo stick; idempotent."""
        while self._unsubs:
            self._unsubs.pop()()
        if self._stopped:
            return
        self._stopped = True
        await self.driver.stop()
        await async_stop_demo(self.demo)

    @callback
    def async_platforms_ready(self) -> None:
        """All platforms listen for new entities: discover every known node."""
        self._platforms_ready = True
        self._remove_stale_devices()
        for node in list(self.driver.nodes.values()):
            self._discover_node(node)

    @callback
    def _remove_stale_devices(self) -> None:
        """Remove the devices of nodes that left the network while Home Assistant was away."""
        dev_reg = dr.async_get(self.hass)
        prefix = f"{self.home_id:08x}-"
        for device in dr.async_entries_for_config_entry(dev_reg, self.entry_id):
            node_ids = {
                ident[len(prefix) :]
                for domain, ident in device.identifiers
                if domain == DOMAIN and ident.startswith(prefix)
            }
            if node_ids and not any(n.isdigit() and int(n) in self.driver.nodes for n in node_ids):
                _LOGGER.info("Removing device %s: its node left the network", device.name)
                async_remove_entry_device(dev_reg, device, self.entry_id)

    # --- devices and discovery -----------------------------------------------------------

    @callback
    def device_for_node(self, node_id: int) -> dr.DeviceEntry | None:
        """The registered device of a node of this network, or None."""
        return async_get_entry_device(
            dr.async_get(self.hass), device_identifier(self.home_id, node_id), self.entry_id
        )

    @callback
    def node_device_info(self, node: Node) -> DeviceInfo:
        """Device info of a node, linked to the (registered) controller device."""
        controller = self.driver.controller
        via = async_via_device_fields(self.hass, controller_identifier(controller), self.entry_id)
        return node_device_info(controller, node, via)

    @callback
    def _register_controller_device(self) -> None:
        async_get_or_create_device(
            dr.async_get(self.hass), self.entry_id, controller_device_info(self.driver.controller)
        )

    @callback
    def _register_node_device(self, node: Node) -> None:
        async_get_or_create_device(dr.async_get(self.hass), self.entry_id, self.node_device_info(node))

    @callback
    def _discover_node(self, node: Node) -> None:
        """Create the device of a node and the entities of its values not seen yet."""
        if not self._platforms_ready:
            return
        if node.node_id != self.driver.controller.own_node_id:
            self._register_node_device(node)
            state = self._nodes.setdefault(node.node_id, _NodeState())
            if not state.announced:
                state.announced = True
                async_dispatcher_send(self.hass, signal_new_node(self.entry_id), node.node_id)
        for value_id, stored in node.values().items():
            self._discover_value(value_id, stored)

    @callback
    def _discover_value(self, value_id: Any, stored: Any) -> None:
        state = self._nodes.setdefault(value_id.node_id, _NodeState())
        if value_id in state.values:
            return
        state.values.add(value_id)
        node = self.node(value_id.node_id)
        if (
            node is not None
            and value_id.endpoint == 0
            and value_id.cc not in ROOT_ONLY_CCS
            and any(node.supports(value_id.cc, ep) for ep in node.endpoints if ep > 0)
        ):
            return  # the root mirrors an end point: the end points get the entities
        if value_id.cc == CONFIGURATION:  # parameters (and their partials): config_discovery.py
            for config_info in discover_config_parameter(node, value_id):
                async_dispatcher_send(self.hass, signal_add_entities(self.entry_id, config_info.platform), [config_info])
            return
        info = discover_value(value_id, stored, node)
        if info is None:
            return
        _LOGGER.debug("Discovered %s entity for %s", info.platform, value_id.key())
        async_dispatcher_send(self.hass, signal_add_entities(self.entry_id, info.platform), [info])

    @callback
    def _remove_node(self, node_id: int) -> None:
        self._nodes.pop(node_id, None)
        device = self.device_for_node(node_id)
        if device is not None:
            async_remove_entry_device(dr.async_get(self.hass), device, self.entry_id)

    # --- events -----------------------------------------------------------------------------

    @callback
    def _handle_event(self, event: DriverEvent) -> None:
        """Driver event -> dispatcher signals (and bus events for notifications)."""
        if isinstance(event, ValueUpdatedEvent):
            node_id = event.value_id.node_id
            state = self._nodes.get(node_id)
            if self._platforms_ready and (state is None or event.value_id not in state.values):
                node = self.node(node_id)
                stored = node.get_stored(event.value_id) if node else None
                if stored is not None:
                    self._discover_value(event.value_id, stored)
            async_dispatcher_send(self.hass, signal_node(self.entry_id, node_id), event)
        elif isinstance(event, NodeStatusEvent | SupervisionStatusEvent | NodeWakeUpEvent):
            async_dispatcher_send(self.hass, signal_node(self.entry_id, event.node_id), event)
        elif isinstance(event, NotificationEvent):
            self._fire_notification(event)
            async_dispatcher_send(self.hass, signal_node(self.entry_id, event.node_id), event)  # event entities
            async_handle_lock_notification(self, event)  # lock_events.py: zwave_serial_lock_event
        elif isinstance(event, SCENE_EVENTS):
            async_fire_scene_event(self, event)  # bus_events.py
        elif isinstance(event, HEAL_EVENTS):
            async_handle_heal_event(self, event)  # heal_events.py
        elif isinstance(event, NodeAddedEvent | NodeReadyEvent):
            node = self.node(event.node_id)
            if node is not None:
                self._discover_node(node)
            if isinstance(event, NodeAddedEvent):
                async_fire_node_event(self, event)
            async_dispatcher_send(self.hass, signal_node(self.entry_id, event.node_id), event)
        elif isinstance(event, NodeRemovedEvent):
            async_fire_node_event(self, event)  # before its device goes
            self._remove_node(event.node_id)
        elif isinstance(event, ConnectionLostEvent):
            if self._was_connected:  # once at info (quality scale: log-when-unavailable)
                _LOGGER.info("Z-Wave stick %s lost: %s", redact_url(self.driver.port), event.reason)
            self._was_connected = False
            async_dispatcher_send(self.hass, signal_connection(self.entry_id), False)
        elif isinstance(event, ConnectedEvent):
            if not self._was_connected:
                _LOGGER.info("Z-Wave stick %s is back", redact_url(self.driver.port))
            self._was_connected = True
            for node in list(self.driver.nodes.values()):
                self._discover_node(node)
            async_dispatcher_send(self.hass, signal_connection(self.entry_id), True)

    @callback
    def _fire_notification(self, event: NotificationEvent) -> None:
        device = self.device_for_node(event.node_id)
        data: dict[str, Any] = {
            "home_id": f"{self.home_id:08x}",
            "device_id": device.id if device else None,
            "node_id": event.node_id,
            "endpoint": event.endpoint,
            "type": event.notification_type,
            "event": event.event,
            "type_label": event.type_label,
            "event_label": event.event_label,
            "parameters": dict(event.parameters),
        }
        if "user_id" in event.parameters:
            data["user_id"] = event.parameters["user_id"]
        if event.alarm_type is not None:
            data["alarm_type"] = event.alarm_type
            data["alarm_level"] = event.alarm_level
        self.hass.bus.async_fire(EVENT_NOTIFICATION, data)

    @callback
    def _refresh_statistics(self, _now: datetime | None = None) -> None:
        async_dispatcher_send(self.hass, signal_statistics(self.entry_id))

    @callback
    def async_refresh_statistics(self) -> None:
        """Push fresh link statistics to the diagnostic sensors now."""
        self._refresh_statistics()
