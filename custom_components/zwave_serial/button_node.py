"""Per-device buttons: *Ping* (is the node reachable?) and *Refresh values* (read its state
again).  Registered from ``button.py``; created for every node the coordinator announces."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import ZWaveCoordinator
from .node_entity import NodeLevelEntity, async_setup_node_entities
from .zwave import ZWaveError


@callback
def async_setup_node_buttons(coordinator: ZWaveCoordinator, async_add_entities: AddConfigEntryEntitiesCallback) -> None:
    """Add the ping and refresh buttons of every node the coordinator announces."""
    async_setup_node_entities(
        coordinator, async_add_entities, (NodePingButton, NodeRefreshButton, NodeReinterviewButton)
    )


class _NodeButton(NodeLevelEntity, ButtonEntity):
    """A button acting on a node itself (not on one of its values)."""

    _attr_entity_category = EntityCategory.CONFIG


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


class NodeReinterviewButton(_NodeButton):
    """Forgets what the interview learned and interviews the node again (a battery device at its
    next wake-up); its entities follow what it reports then."""

    key = "reinterview"

    async def async_press(self) -> None:
        """Start the re-interview."""
        node = self._require_node()
        try:
            self.coordinator.driver.reinterview_node(node.node_id)
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="reinterview_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from err
