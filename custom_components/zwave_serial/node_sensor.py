"""Per-device diagnostic sensors: node status (alive/asleep/dead) and highest security class."""

from __future__ import annotations

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import signal_connection, signal_new_node, signal_node
from .coordinator import ZWaveCoordinator
from .zwave import DriverEvent, Node, NodeStatus, NodeStatusEvent, SecurityClass

# State of the security sensor for each class (the names Z-Wave JS users know), "none" if insecure.
SECURITY_STATES: dict[SecurityClass, str] = {
    SecurityClass.S2_AccessControl: "s2_access_control",
    SecurityClass.S2_Authenticated: "s2_authenticated",
    SecurityClass.S2_Unauthenticated: "s2_unauthenticated",
    SecurityClass.S0_Legacy: "s0_legacy",
}
SECURITY_NONE = "none"


def security_state(node: Node) -> str:
    """Sensor state of a node's highest granted security class ("none": included without)."""
    cls = node.security_class
    return SECURITY_NONE if cls is None else SECURITY_STATES.get(cls, SECURITY_NONE)


@callback
def async_setup_node_sensors(coordinator: ZWaveCoordinator, async_add_entities: AddConfigEntryEntitiesCallback) -> None:
    """Add the status and security sensors of every node the coordinator announces."""

    @callback
    def _add(node_id: int) -> None:
        async_add_entities([NodeStatusSensor(coordinator, node_id), NodeSecuritySensor(coordinator, node_id)])

    coordinator.entry.async_on_unload(
        async_dispatcher_connect(coordinator.hass, signal_new_node(coordinator.entry_id), _add)
    )


class _NodeDiagnosticSensor(SensorEntity):
    """A diagnostic sensor about a node itself (not one of its values)."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.ENUM
    key: str

    def __init__(self, coordinator: ZWaveCoordinator, node_id: int) -> None:
        """Create the sensor for ``node_id``."""
        self.coordinator = coordinator
        self.node_id = node_id
        self._attr_translation_key = f"node_{self.key}"
        self._attr_unique_id = f"{coordinator.home_id:08x}.{node_id}.node.{self.key}"
        node = coordinator.node(node_id)
        if node is not None:
            self._attr_device_info = coordinator.node_device_info(node)

    @property
    def node(self) -> Node | None:
        """The node (None once removed)."""
        return self.coordinator.node(self.node_id)

    async def async_added_to_hass(self) -> None:
        """Follow the node's events and the stick's connection."""
        entry_id = self.coordinator.entry_id
        self.async_on_remove(
            async_dispatcher_connect(self.hass, signal_node(entry_id, self.node_id), self._handle_node_event)
        )
        self.async_on_remove(async_dispatcher_connect(self.hass, signal_connection(entry_id), self._refresh))

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Opt in to entity_id changes in place (see ZWaveEntity.async_entity_id_changed)."""
        if (parent := getattr(super(), "async_entity_id_changed", None)) is not None:
            parent(old_entity_id)

    @callback
    def _handle_node_event(self, event: DriverEvent) -> None:
        if self._relevant(event):
            self.async_write_ha_state()

    def _relevant(self, event: DriverEvent) -> bool:
        return not isinstance(event, NodeStatusEvent)

    @callback
    def _refresh(self, *_args: object) -> None:
        self.async_write_ha_state()


class NodeStatusSensor(_NodeDiagnosticSensor):
    """Alive, asleep, dead or unknown; stays available while the node is dead (that is the point)."""

    key = "status"
    _attr_options = [status.value for status in NodeStatus]

    @property
    def available(self) -> bool:
        """Available while the stick is connected."""
        return self.coordinator.connected and self.node is not None

    @property
    def native_value(self) -> str | None:
        """The node's status."""
        node = self.node
        return None if node is None else str(node.status.value)

    def _relevant(self, event: DriverEvent) -> bool:
        return isinstance(event, NodeStatusEvent)


class NodeSecuritySensor(_NodeDiagnosticSensor):
    """The highest security class granted to the node (S2 Access Control … S0 Legacy, or none)."""

    key = "security_class"
    _attr_options = [*SECURITY_STATES.values(), SECURITY_NONE]

    @property
    def available(self) -> bool:
        """Available while the node exists."""
        return self.node is not None

    @property
    def native_value(self) -> str | None:
        """The node's highest security class."""
        node = self.node
        return None if node is None else security_state(node)
