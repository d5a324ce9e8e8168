"""Per-device buttons: *Ping* (is the node reachable?) and *Refresh values* (read its state
again).  Registered from ``button.py``; created for every node the coordinator announces."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN, signal_connection, signal_new_node, signal_node
from .coordinator import ZWaveCoordinator
from .zwave import DriverEvent, Node, NodeStatusEvent, ZWaveError


@callback
def async_setup_node_buttons(coordinator: ZWaveCoordinator, async_add_entities: AddConfigEntryEntitiesCallback) -> None:
    """Add the ping and refresh buttons of every node the coordinator announces."""

    @callback
    def _add(node_id: int) -> None:
        async_add_entities([NodePingButton(coordinator, node_id), NodeRefreshButton(coordinator, node_id)])

    coordinator.entry.async_on_unload(
        async_dispatcher_connect(coordinator.hass, signal_new_node(coordinator.entry_id), _add)
    )


class _NodeButton(ButtonEntity):
    """A button acting on a node itself (not on one of its values)."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_entity_category = EntityCategory.CONFIG
    key: str

    def __init__(self, coordinator: ZWaveCoordinator, node_id: int) -> None:
        """Create the button for ``node_id``."""
        self.coordinator = coordinator
        self.node_id = node_id
        self._attr_translation_key = self.key
        self._attr_unique_id = f"{coordinator.home_id:08x}.{node_id}.node.{self.key}"
        node = coordinator.node(node_id)
        if node is not None:
            self._attr_device_info = coordinator.node_device_info(node)

    @property
    def node(self) -> Node | None:
        """The node (None once removed)."""
        return self.coordinator.node(self.node_id)

    @property
    def available(self) -> bool:
        """Available while the stick is connected and the node exists (a dead node can be pinged)."""
        return self.coordinator.connected and self.node is not None

    async def async_added_to_hass(self) -> None:
        """Follow the connection and the node's status."""
        entry_id = self.coordinator.entry_id
        self.async_on_remove(async_dispatcher_connect(self.hass, signal_connection(entry_id), self._refresh))
        self.async_on_remove(async_dispatcher_connect(self.hass, signal_node(entry_id, self.node_id), self._on_node))

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Opt in to entity_id changes in place (see ZWaveEntity.async_entity_id_changed)."""
        if (parent := getattr(super(), "async_entity_id_changed", None)) is not None:
            parent(old_entity_id)

    @callback
    def _on_node(self, event: DriverEvent) -> None:
        if isinstance(event, NodeStatusEvent):
            self.async_write_ha_state()

    @callback
    def _refresh(self, *_args: object) -> None:
        self.async_write_ha_state()

    def _require_node(self) -> Node:
        node = self.node
        if node is None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="node_not_found",
                translation_placeholders={"node_id": str(self.node_id)},
            )
        return node


class NodePingButton(_NodeButton):
    """Sends a No Operation frame: the node's status becomes alive or dead by its answer."""

    key = "ping"

    async def async_press(self) -> None:
        """Ping the node (a failed ping marks it dead, it is no error here)."""
        node = self._require_node()
        try:
            await node.ping()
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="ping_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from err


class NodeRefreshButton(_NodeButton):
    """Reads the node's current values again (queued until a sleeping node wakes up)."""

    key = "refresh_values"

    async def async_press(self) -> None:
        """Refresh every value of the node."""
        node = self._require_node()
        try:
            await node.refresh_values()
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="refresh_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from err
