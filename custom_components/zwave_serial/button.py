"""Buttons: the stick's *Back up the stick now* (its memory into a backup file) and, from
:mod:`.button_node`, the per-node buttons."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .button_node import async_setup_node_buttons
from .const import DOMAIN, signal_connection
from .coordinator import ZWaveCoordinator, ZWaveSerialConfigEntry
from .devices import controller_device_info
from .stick_backup import StickBackups, async_get, signal_backup
from .zwave import ZWaveError

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """The stick's backup button and the nodes' buttons."""
    backups = async_get(hass, entry.entry_id)
    if backups is not None:
        async_add_entities([StickBackupButton(entry.runtime_data.coordinator, backups)])
    async_setup_node_buttons(entry.runtime_data.coordinator, async_add_entities)  # ping, refresh per node


class StickBackupButton(ButtonEntity):
    """Reads the stick's memory (NVM) into a new backup file; the network waits meanwhile."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_entity_category = EntityCategory.CONFIG
    _attr_translation_key = "backup_stick"

    def __init__(self, coordinator: ZWaveCoordinator, backups: StickBackups) -> None:
        """Create the button of ``coordinator``'s stick."""
        self.coordinator = coordinator
        self.backups = backups
        self._attr_unique_id = f"{coordinator.home_id:08x}.controller.backup_stick"
        self._attr_device_info = controller_device_info(coordinator.driver.controller)

    @property
    def available(self) -> bool:
        """Available while the stick is connected and no backup or restore runs."""
        return self.coordinator.connected and self.backups.progress is None

    async def async_press(self) -> None:
        """Back up now."""
        try:
            await self.backups.async_backup()
        except (ZWaveError, OSError) as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="backup_failed", translation_placeholders={"error": str(err)}
            ) from err

    async def async_added_to_hass(self) -> None:
        """Follow the connection and the backup progress."""
        entry_id = self.coordinator.entry_id
        self.async_on_remove(async_dispatcher_connect(self.hass, signal_connection(entry_id), self._refresh))
        self.async_on_remove(async_dispatcher_connect(self.hass, signal_backup(entry_id), self._refresh))

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Opt in to entity_id changes in place (see ZWaveEntity.async_entity_id_changed)."""
        if (parent := getattr(super(), "async_entity_id_changed", None)) is not None:
            parent(old_entity_id)

    @callback
    def _refresh(self, *_args: object) -> None:
        self.async_write_ha_state()
