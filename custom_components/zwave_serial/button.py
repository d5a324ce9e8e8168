"""Buttons: the stick's *Back up the stick now* (its memory into a backup file) and, from
:mod:`.button_node`, the per-node buttons."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .button_node import async_setup_node_buttons
from .const import DOMAIN, signal_connection
from .coordinator import ZWaveCoordinator, ZWaveSerialConfigEntry
from .stick_backup import StickBackups, async_get, signal_backup
from .stick_entity import StickEntity
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


class StickBackupButton(StickEntity, ButtonEntity):
    """Reads the stick's memory (NVM) into a new backup file; the network waits meanwhile."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_translation_key = "backup_stick"
    _signals = (signal_connection, signal_backup)

    def __init__(self, coordinator: ZWaveCoordinator, backups: StickBackups) -> None:
        """Create the button of ``coordinator``'s stick."""
        super().__init__(coordinator, "backup_stick")
        self.backups = backups

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

