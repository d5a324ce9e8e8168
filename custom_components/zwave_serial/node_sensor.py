"""Per-device diagnostic sensors: node status (alive/asleep/dead) and highest security class."""

from __future__ import annotations

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZWaveCoordinator
from .node_entity import NodeLevelEntity, async_setup_node_entities
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
    async_setup_node_entities(coordinator, async_add_entities, (NodeStatusSensor, NodeSecuritySensor))


class _NodeDiagnosticSensor(NodeLevelEntity, SensorEntity):
    """A diagnostic sensor about a node itself (not one of its values)."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.ENUM
    translation_prefix = "node_"


class NodeStatusSensor(_NodeDiagnosticSensor):
    """Alive, asleep, dead or unknown; stays available while the node is dead (that is the point)."""

    key = "status"
    _attr_options = [status.value for status in NodeStatus]

    @property
    def native_value(self) -> str | None:
        """The node's status."""
        node = self.node
        return None if node is None else str(node.status.value)


class NodeSecuritySensor(_NodeDiagnosticSensor):
    """The highest security class granted to the node (S2 Access Control … S0 Legacy, or none)."""

    key = "security_class"
    _attr_options = [*SECURITY_STATES.values(), SECURITY_NONE]

    @property
    def available(self) -> bool:
        """Available while the node exists."""
        return self.node is not None

    def _relevant(self, event: DriverEvent) -> bool:
        return not isinstance(event, NodeStatusEvent)  # interview stages, node ready

    @property
    def native_value(self) -> str | None:
        """The node's highest security class."""
        node = self.node
        return None if node is None else security_state(node)
