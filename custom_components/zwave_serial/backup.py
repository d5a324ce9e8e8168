"""Home Assistant backup platform: HA's own backups include the latest stick (NVM) backup.

The stick backups live in ``<config>/zwave_serial_backups``, which every Home Assistant backup
contains.  Before a Home Assistant backup, each loaded network gets a fresh stick backup when
it has none, when its newest is more than a day old, or when nodes joined since.  These hooks
never raise: an exception here would abort the user's whole Home Assistant backup, so a
failed stick backup is logged and the existing files are kept.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from homeassistant.core import HomeAssistant

from .const import DOMAIN
from .stick_backup import async_get

_LOGGER = logging.getLogger(__name__)

FRESH_ENOUGH = timedelta(days=1)
#: A stick backup is seconds (700) to half a minute (256 KiB 500-series); never hold HA's backup longer.
PRE_BACKUP_TIMEOUT = 120.0


async def async_pre_backup(hass: HomeAssistant) -> None:
    """Bring the stick backups up to date (best effort, never raises)."""
    try:
        for entry in hass.config_entries.async_loaded_entries(DOMAIN):
            backups = async_get(hass, entry.entry_id)
            if backups is None or not backups.driver.connected or not backups.needs_backup(FRESH_ENOUGH):
                continue
            try:
                async with asyncio.timeout(PRE_BACKUP_TIMEOUT):
                    saved = await backups.async_backup()
            except Exception as err:
                _LOGGER.warning(
                    "No fresh stick backup of %s for the Home Assistant backup (%s); the older ones are included",
                    entry.title,
                    err or type(err).__name__,
                )
            else:
                _LOGGER.info("Stick backup %s included in the Home Assistant backup", saved.path.name)
    except Exception:
        _LOGGER.exception("Preparing the stick backups for the Home Assistant backup failed")


async def async_post_backup(hass: HomeAssistant) -> None:
    """Nothing to undo after a Home Assistant backup (both hooks must exist)."""
