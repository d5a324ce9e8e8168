"""Entities about a node itself (status, security class, ping/refresh buttons), not one of its
values: created for every node the coordinator announces (``signal_new_node``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN, signal_connection, signal_new_node, signal_node
from .coordinator import ZWaveCoordinator
from .zwave import DriverEvent, Node, NodeStatusEvent


@callback
def async_setup_node_entities(
    coordinator: ZWaveCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factories: Iterable[Callable[[ZWaveCoordinator, int], Entity]],
) -> None:
    """Add one entity per factory for every node the coordinator announces."""
    factories = tuple(factories)

    @callback
    def _add(node_id: int) -> None:
        async_add_entities([factory(coordinator, node_id) for factory in factories])

    coordinator.entry.async_on_unload(
        async_dispatcher_connect(coordinator.hass, signal_new_node(coordinator.entry_id), _add)
    )


class NodeLevelEntity(Entity):
    """Base of the node-level entities: device, unique ID ``<home>.<node>.node.<key>``, updates
    on the node's events (``_relevant``) and on the stick's connection."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    key: str
    translation_prefix = ""

    def __init__(self, coordinator: ZWaveCoordinator, node_id: int) -> None:
        """Create the entity for ``node_id``."""
        self.coordinator = coordinator
        self.node_id = node_id
        self._attr_translation_key = f"{self.translation_prefix}{self.key}"
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
        """Available while the stick is connected and the node exists (also a dead node)."""
        return self.coordinator.connected and self.node is not None

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
        """Whether the event changes this entity (default: the node's status)."""
        return isinstance(event, NodeStatusEvent)

    @callback
    def _refresh(self, *_args: Any) -> None:
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
