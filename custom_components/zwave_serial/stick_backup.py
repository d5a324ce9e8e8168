"""Stick (NVM) backups in Home Assistant: files, schedule, progress, repair issue, restore.

One :class:`StickBackups` per loaded entry (``hass.data[DATA_BACKUPS][entry_id]``).  Backups
are ``<config>/zwave_serial_backups/nvm_<home id>_<time>.bin`` with a JSON sidecar, the newest
``keep`` of each network kept; Home Assistant's own backups include that folder.  The radio is
held only while the stick's memory is read (backup) or rewritten (restore); progress goes to
the last-backup sensor.  A repair issue appears when the newest backup is older than the
configured number of days, or when nodes joined the network after it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers import selector
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_time_change, async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import CONF_PORT, DOMAIN
from .zwave import DriverEvent, NodeAddedEvent, NodeRemovedEvent
from .zwave.nvm import (
    BackupFile,
    NvmProgressEvent,
    RestoreResult,
    list_backups,
    load_backup,
    prune,
    save_backup,
)
from .zwave.nvm.files import KIND_BACKUP, KIND_PRE_RESTORE

_LOGGER = logging.getLogger(__name__)

DATA_BACKUPS = f"{DOMAIN}_stick_backups"
BACKUP_FOLDER = "zwave_serial_backups"
# Options (the "stick backup" section of the options flow)
OPT_BACKUP_HOUR = "backup_hour"
OPT_BACKUP_KEEP = "backup_keep"
OPT_BACKUP_MAX_AGE = "backup_max_age_days"
BACKUP_OFF = "off"
DEFAULT_BACKUP_HOUR = BACKUP_OFF
DEFAULT_BACKUP_KEEP = 5
DEFAULT_BACKUP_MAX_AGE = 30
ISSUE_OUTDATED = "stick_backup_outdated"
ISSUE_MISSING = "stick_backup_missing"
ISSUE_NODES_ADDED = "stick_backup_nodes_added"


OPTIONS_SECTION = "stick_backup"


def backup_options_schema(options: Mapping[str, Any]) -> dict[Any, Any]:
    """The options flow's "stick backup" section (a collapsed section of the settings form)."""
    fields = vol.Schema(
        {
            vol.Required(OPT_BACKUP_HOUR, default=options.get(OPT_BACKUP_HOUR, DEFAULT_BACKUP_HOUR)): (
                selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[BACKUP_OFF, *(str(h) for h in range(24))],
                        mode=selector.SelectSelectorMode.DROPDOWN,
                        translation_key=OPT_BACKUP_HOUR,
                    )
                )
            ),
            vol.Required(OPT_BACKUP_KEEP, default=options.get(OPT_BACKUP_KEEP, DEFAULT_BACKUP_KEEP)): (
                selector.NumberSelector(
                    selector.NumberSelectorConfig(min=1, max=100, step=1, mode=selector.NumberSelectorMode.BOX)
                )
            ),
            vol.Required(OPT_BACKUP_MAX_AGE, default=options.get(OPT_BACKUP_MAX_AGE, DEFAULT_BACKUP_MAX_AGE)): (
                selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=0, max=365, step=1, unit_of_measurement="d", mode=selector.NumberSelectorMode.BOX
                    )
                )
            ),
        }
    )
    return {vol.Required(OPTIONS_SECTION, default={}): section(fields, {"collapsed": True})}


def flatten_backup_options(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """The submitted settings with the "stick backup" section's fields at the top level."""
    data = dict(user_input)
    data.update(data.pop(OPTIONS_SECTION, None) or {})
    for key in (OPT_BACKUP_KEEP, OPT_BACKUP_MAX_AGE):
        if key in data:
            data[key] = int(data[key])
    return data


def signal_backup(entry_id: str) -> str:
    """Dispatcher signal: the entry's stick backup state changed (new backup, progress)."""
    return f"{DOMAIN}_{entry_id}_stick_backup"


def backup_folder(hass: HomeAssistant) -> Path:
    return Path(hass.config.path(BACKUP_FOLDER))


def software_version(hass: HomeAssistant) -> str:
    from homeassistant.loader import async_get_loaded_integration

    try:
        version = async_get_loaded_integration(hass, DOMAIN).version
    except Exception:  # the integration object is always there once set up
        version = None
    return f"{DOMAIN} {version or 'unknown'}"


class StickBackups:
    """Backups of one entry's stick."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        self.hass = hass
        self.entry = entry
        self.last: BackupFile | None = None
        #: The running operation: {"operation", "phase", "percent"}, or None.
        self.progress: dict[str, Any] | None = None
        self._unsubs: list[CALLBACK_TYPE] = []

    @property
    def driver(self) -> Any:
        return self.entry.runtime_data.coordinator.driver

    @property
    def home_id(self) -> str:
        return f"{self.driver.controller.home_id:08x}"

    @property
    def folder(self) -> Path:
        return backup_folder(self.hass)

    def option(self, key: str, default: Any) -> Any:
        return self.entry.options.get(key, default)

    # --- life cycle ---------------------------------------------------------------

    async def async_start(self) -> None:
        """Find the newest backup, follow the driver, schedule backups and checks."""
        await self._async_load_last()
        self._unsubs.append(self.driver.subscribe(self._on_event))
        hour = self.option(OPT_BACKUP_HOUR, DEFAULT_BACKUP_HOUR)
        if hour not in (None, BACKUP_OFF):
            self._unsubs.append(
                async_track_time_change(self.hass, self._scheduled, hour=int(hour), minute=30, second=0)
            )
        self._unsubs.append(async_track_time_interval(self.hass, self._periodic_check, timedelta(hours=6)))
        self.async_check_issue()

    @callback
    def async_stop(self) -> None:
        while self._unsubs:
            self._unsubs.pop()()

    async def _async_load_last(self) -> None:
        home_id = self.home_id
        backups = await self.hass.async_add_executor_job(lambda: list_backups(self.folder, home_id=home_id))
        regular = [b for b in backups if b.kind == KIND_BACKUP]
        self.last = regular[-1] if regular else None

    async def _scheduled(self, _now: datetime | None = None) -> None:
        if not self.driver.connected:
            _LOGGER.info("Scheduled stick backup skipped: the Z-Wave stick is not connected")
            return
        try:
            await self.async_backup()
        except Exception as err:  # a scheduled job logs and carries on
            _LOGGER.warning("Scheduled stick backup failed: %s", err)

    @callback
    def _periodic_check(self, _now: datetime | None = None) -> None:
        self.async_check_issue()

    @callback
    def _on_event(self, event: DriverEvent) -> None:
        if isinstance(event, NvmProgressEvent):
            running = event.phase not in ("done", "failed")
            self.progress = (
                {"operation": event.operation, "phase": event.phase, "percent": event.percent} if running else None
            )
            async_dispatcher_send(self.hass, signal_backup(self.entry.entry_id))
        elif isinstance(event, NodeAddedEvent | NodeRemovedEvent):
            self.async_check_issue()

    # --- backup -------------------------------------------------------------------

    async def async_backup(self) -> BackupFile:
        """Read the stick's memory into a new backup file (older ones pruned).  Raises ZWaveError."""
        data = await self.driver.nvm.backup()
        software = software_version(self.hass)
        keep = int(self.option(OPT_BACKUP_KEEP, DEFAULT_BACKUP_KEEP))
        folder, home_id = self.folder, self.home_id

        def write() -> BackupFile:
            saved = save_backup(folder, data, software=software)
            prune(folder, keep, home_id=home_id)
            return saved

        self.last = await self.hass.async_add_executor_job(write)
        _LOGGER.info("Stick backup written to %s", self.last.path)
        async_dispatcher_send(self.hass, signal_backup(self.entry.entry_id))
        self.async_check_issue()
        return self.last

    def needs_backup(self, max_age: timedelta) -> bool:
        """No backup, an older one, or nodes joined since."""
        if self.last is None:
            return True
        if dt_util.utcnow() - self.last.created > max_age:
            return True
        return bool(self.nodes_added())

    def nodes_added(self) -> list[int]:
        """Nodes in the network that the newest backup does not have."""
        if self.last is None:
            return []
        known = set(self.last.nodes)
        return sorted(n for n in self.driver.nodes if n not in known)

    @callback
    def async_check_issue(self) -> None:
        """Create or clear the repair issue about an outdated stick backup."""
        issue_id = f"stick_backup_{self.entry.entry_id}"
        days = int(self.option(OPT_BACKUP_MAX_AGE, DEFAULT_BACKUP_MAX_AGE))
        added = self.nodes_added()
        too_old = days > 0 and (self.last is None or dt_util.utcnow() - self.last.created > timedelta(days=days))
        if not too_old and not added:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        if self.last is None:
            key = ISSUE_MISSING
        elif added:
            key = ISSUE_NODES_ADDED
        else:
            key = ISSUE_OUTDATED
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=key,
            translation_placeholders={
                "network": self.entry.title,
                "last": dt_util.as_local(self.last.created).strftime("%Y-%m-%d %H:%M") if self.last else "",
                "days": str(days),
                "nodes": ", ".join(map(str, added)),
            },
        )

    # --- restore ------------------------------------------------------------------

    def resolve(self, file: str) -> Path:
        """A backup file name (in the backups folder) or a path inside the config directory /
        an allowed external directory.  Raises ValueError."""
        path = Path(file)
        if not path.is_absolute():
            path = self.folder / path
        path = path.resolve()
        config = Path(self.hass.config.config_dir).resolve()
        if not (path.is_relative_to(config) or self.hass.config.is_allowed_path(str(path))):
            raise ValueError(f"{file} is outside the configuration directory")
        return path

    async def async_restore(self, path: Path, *, confirm: bool, convert: bool) -> tuple[RestoreResult, BackupFile | None]:
        """Restore ``path`` onto the stick (see ``NvmManager.restore``); the pre-restore image is
        saved first.  Afterwards the entry follows the restored network and reloads."""
        data, _sidecar = await self.hass.async_add_executor_job(load_backup, path)
        folder, software = self.folder, software_version(self.hass)
        saved: list[BackupFile] = []

        async def keep_pre_restore(current: bytes) -> None:
            saved.append(
                await self.hass.async_add_executor_job(
                    lambda: save_backup(folder, current, kind=KIND_PRE_RESTORE, software=software)
                )
            )

        result = await self.driver.nvm.restore(
            data, confirm_other_network=confirm, convert=convert, on_pre_restore=keep_pre_restore
        )
        home_id = f"{result.home_id:08x}"
        owner = next(
            (
                e
                for e in self.hass.config_entries.async_entries(DOMAIN)
                if e.unique_id == home_id and e.entry_id != self.entry.entry_id
            ),
            None,
        )
        if owner is not None:
            # The stick now holds the network of another entry (its old stick died): that entry
            # moves to this stick's port and keeps its devices, entities and keys; this one goes.
            _LOGGER.warning("The stick on %s now holds network %s: moving %s to it", self.port, home_id, owner.title)
            self.hass.async_create_task(self._async_hand_over(owner), f"{DOMAIN} hand over {home_id}")
        else:
            if self.entry.unique_id not in (None, home_id):
                _LOGGER.warning("The stick now holds network %s (was %s)", home_id, self.entry.unique_id)
                self.hass.config_entries.async_update_entry(
                    self.entry, unique_id=home_id, title=f"Z-Wave network {home_id}"
                )
            self.hass.config_entries.async_schedule_reload(self.entry.entry_id)
        return result, saved[0] if saved else None

    @property
    def port(self) -> str | None:
        return self.entry.data.get(CONF_PORT)

    async def _async_hand_over(self, owner: ConfigEntry) -> None:
        """Give this entry's stick (port) to ``owner`` and remove this entry."""
        port = self.port
        await self.hass.config_entries.async_remove(self.entry.entry_id)
        if port is not None:
            self.hass.config_entries.async_update_entry(owner, data={**owner.data, CONF_PORT: port})
        await self.hass.config_entries.async_reload(owner.entry_id)


@callback
def async_get(hass: HomeAssistant, entry_id: str) -> StickBackups | None:
    return hass.data.get(DATA_BACKUPS, {}).get(entry_id)


async def async_setup_stick_backups(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Create the entry's backup manager (removed again when the entry unloads)."""
    backups = StickBackups(hass, entry)
    hass.data.setdefault(DATA_BACKUPS, {})[entry.entry_id] = backups

    @callback
    def _remove() -> None:
        backups.async_stop()
        if hass.data.get(DATA_BACKUPS, {}).get(entry.entry_id) is backups:
            del hass.data[DATA_BACKUPS][entry.entry_id]

    entry.async_on_unload(_remove)
    await backups.async_start()
