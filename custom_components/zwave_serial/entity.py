"""Base entity of the Z-Wave Serial integration."""

from __future__ import annotations

from typing import Any

from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity

from .const import DOMAIN, signal_add_entities, signal_connection, signal_node
from .coordinator import ZWaveCoordinator
from .discovery import DiscoveryInfo
from .zwave import (
    CCEncodeError,
    DriverEvent,
    Node,
    NodeStatus,
    NodeStatusEvent,
    SetValueResult,
    ValueUpdatedEvent,
    ZWaveError,
)


class ZWaveEntity(Entity):
    """An entity backed by one primary value of a node (and maybe sibling values)."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, coordinator: ZWaveCoordinator, info: DiscoveryInfo) -> None:
        """Initialise from a discovery result."""
        self.coordinator = coordinator
        self.info = info
        self.value_id = info.value_id
        self.entity_description = info.description
        self._attr_unique_id = coordinator.unique_id(info)
        if info.value_id.endpoint > 0 and info.description.name is None:
            # a multi-channel device's main features: "Endpoint 1", "Endpoint 2", ...
            self._attr_translation_key = "endpoint"
            self._attr_translation_placeholders = {"endpoint": str(info.value_id.endpoint)}
        node = coordinator.node(info.node_id)
        if node is not None:
            self._attr_device_info = coordinator.node_device_info(node)

    @property
    def node(self) -> Node | None:
        """The node of this entity (None once removed)."""
        return self.coordinator.node(self.value_id.node_id)

    @property
    def available(self) -> bool:
        """Unavailable while the stick is gone or the node is dead."""
        node = self.node
        return self.coordinator.connected and node is not None and node.status != NodeStatus.DEAD

    def value(self, prop: str | None = None, key: Any = None, cc: int | None = None) -> Any:
        """Current value of the primary value, or of a sibling value on the same endpoint."""
        node = self.node
        if node is None:
            return None
        if prop is None:
            vid = self.value_id
            return node.get_value(vid.cc, vid.property, vid.property_key, endpoint=vid.endpoint)
        return node.get_value(
            self.value_id.cc if cc is None else cc, prop, key, endpoint=self.value_id.endpoint
        )

    async def async_added_to_hass(self) -> None:
        """Follow node events and the stick's connection."""
        entry_id = self.coordinator.entry_id
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, signal_node(entry_id, self.value_id.node_id), self._handle_node_event
            )
        )
        self.async_on_remove(
            async_dispatcher_connect(self.hass, signal_connection(entry_id), self._handle_connection)
        )
        self._update_from_values()

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Opt in to entity_id changes in place: nothing here is keyed on the entity_id.

        Home Assistant versions without this hook remove and re-add the entity instead.
        """
        if (parent := getattr(super(), "async_entity_id_changed", None)) is not None:
            parent(old_entity_id)

    @callback
    def _handle_connection(self, _connected: bool) -> None:
        self._update_from_values()
        self.async_write_ha_state()

    @callback
    def _handle_node_event(self, event: DriverEvent) -> None:
        if isinstance(event, ValueUpdatedEvent):
            vid = event.value_id
            if vid.endpoint != self.value_id.endpoint or not self._watches(vid):
                return
        elif not isinstance(event, NodeStatusEvent) and not self._handle_other_event(event):
            return
        self._update_from_values()
        self.async_write_ha_state()

    def _watches(self, value_id: Any) -> bool:
        """Whether an update of this value (same endpoint) changes the entity."""
        return value_id == self.value_id

    def _handle_other_event(self, event: DriverEvent) -> bool:
        """Hook for platform-specific events; True to write state."""
        return False

    def _update_from_values(self) -> None:
        """Recompute cached attributes from the node's values (platforms override)."""

    async def _set_value(
        self,
        prop: str,
        value: Any,
        *,
        cc: int | None = None,
        key: Any = None,
        duration: float | None = None,
        options: dict[str, Any] | None = None,
    ) -> SetValueResult:
        """Write a value on this entity's endpoint, translating driver errors (``options``: the
        CC's set options, e.g. a Sound Switch volume)."""
        node = self.node
        if node is None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="node_not_found",
                translation_placeholders={"node_id": str(self.value_id.node_id)},
            )
        try:
            return await node.set_value(
                self.value_id.cc if cc is None else cc,
                prop,
                value,
                endpoint=self.value_id.endpoint,
                property_key=key,
                duration=duration,
                options=options,
            )
        except CCEncodeError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_value",
                translation_placeholders={"error": str(err)},
            ) from err
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="set_value_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from err


@callback
def async_listen_for_entities(
    coordinator: ZWaveCoordinator,
    platform: str,
    async_add_entities: Any,
    factory: Any,
) -> None:
    """Add the platform's entities whenever discovery finds new values."""

    @callback
    def _add(infos: list[DiscoveryInfo]) -> None:
        async_add_entities([(info.entity_factory or factory)(coordinator, info) for info in infos])

    coordinator.entry.async_on_unload(
        async_dispatcher_connect(coordinator.hass, signal_add_entities(coordinator.entry_id, platform), _add)
    )
