"""The Z-Wave Serial integration: a Z-Wave USB stick driven over its Serial API."""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ConfigEntryError, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.device_registry import DeviceEntry
from homeassistant.helpers.typing import ConfigType

from .cache import HomeAssistantCache
from .compat import ENTRY_OK, async_unload_platforms
from .const import (
    CONF_DEMO,
    CONF_PORT,
    DEFAULT_CONTROLLER_IS_SUC,
    DEFAULT_INCLUSION_TIMEOUT,
    DEFAULT_WAKE_UP_INTERVAL,
    DOMAIN,
    NETWORK_KEYS,
    OPT_CONTROLLER_IS_SUC,
    OPT_INCLUSION_TIMEOUT,
    OPT_WAKE_UP_INTERVAL,
    PLATFORMS,
)
from .coordinator import ZWaveCoordinator, ZWaveSerialConfigEntry, ZWaveSerialRuntime
from .dead_nodes import async_delete_dead_node_issues
from .demo import async_start_demo, async_stop_demo
from .devices import async_load_device_db, device_identifier
from .services import async_setup_services
from .stick_backup import async_setup_stick_backups
from .zwave import Driver, DriverOptions, InvalidNetworkKey, NetworkKeys, NotAZWaveStick, TransportError
from .zwave.transport import redact_url

_LOGGER = logging.getLogger(__name__)

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


def driver_options(entry: ConfigEntry) -> DriverOptions:
    """Driver options from the entry's options (the controller settings)."""
    opts = entry.options
    return DriverOptions(
        inclusion_timeout=float(opts.get(OPT_INCLUSION_TIMEOUT, DEFAULT_INCLUSION_TIMEOUT)),
        default_wake_up_interval=int(opts.get(OPT_WAKE_UP_INTERVAL, DEFAULT_WAKE_UP_INTERVAL)),
        controller_is_suc=bool(opts.get(OPT_CONTROLLER_IS_SUC, DEFAULT_CONTROLLER_IS_SUC)),
    )


def network_keys(entry: ConfigEntry) -> NetworkKeys | None:
    """The entry's network keys for the driver (None when none are set or they are invalid)."""
    data = {name.removesuffix("_key"): entry.data.get(name) for name in NETWORK_KEYS}
    if not any(data.values()):
        return None
    try:
        return NetworkKeys.from_dict(data)
    except InvalidNetworkKey as err:  # the message never contains a key
        _LOGGER.error("The network keys of %s are invalid (%s); secure devices stay unreachable", entry.title, err)
        return None


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the domain services."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ZWaveSerialConfigEntry) -> bool | None:
    """Start the driver on the entry's stick (or on a new demo stick)."""
    await async_load_device_db(hass)
    demo = None
    if entry.data.get(CONF_DEMO):
        demo = await async_start_demo()
        port = demo.port
    else:
        port = entry.data[CONF_PORT]
    options = driver_options(entry)
    options.time_zone = hass.config.time_zone  # the hub's zone: Time CC answers, device clocks
    driver = Driver(
        port,
        cache=HomeAssistantCache(hass, entry.entry_id),
        options=options,
        keys=network_keys(entry),
    )
    try:
        await driver.start()
    except (TransportError, NotAZWaveStick) as err:
        await driver.stop()
        await async_stop_demo(demo)
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"port": redact_url(port), "error": str(err)},
        ) from err
    home_id = f"{driver.controller.home_id:08x}"
    if entry.unique_id is not None and home_id != entry.unique_id:
        await driver.stop()
        await async_stop_demo(demo)
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="different_network",
            translation_placeholders={"port": redact_url(port), "home_id": home_id},
        )

    coordinator = ZWaveCoordinator(hass, entry, driver, demo)
    entry.runtime_data = ZWaveSerialRuntime(
        coordinator=coordinator, demo=demo, options=dict(entry.options), data=dict(entry.data)
    )
    coordinator.async_start()
    await async_setup_stick_backups(hass, entry)
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))

    async def _async_stop(_event: Event) -> None:
        await coordinator.async_stop()

    entry.async_on_unload(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _async_stop))
    try:
        await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    except BaseException:
        await coordinator.async_stop()
        raise
    coordinator.async_platforms_ready()
    return ENTRY_OK


async def async_unload_entry(hass: HomeAssistant, entry: ZWaveSerialConfigEntry) -> bool | None:
    """Unload the platforms, stop the driver (closes the port) and the demo stick."""
    if not await async_unload_platforms(hass, entry, PLATFORMS):
        return False  # only where a failed unload is reported by returning False
    await entry.runtime_data.coordinator.async_stop()
    return ENTRY_OK


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete the network cache of a removed entry (and its dead-node repair issues)."""
    await HomeAssistantCache(hass, entry.entry_id).remove()
    async_delete_dead_node_issues(hass, entry.entry_id)


async def _async_entry_updated(hass: HomeAssistant, entry: ZWaveSerialConfigEntry) -> None:
    """Data (the port) or options changed: reload so the driver gets them.

    The config flows leave reloading a loaded entry to this listener (Home Assistant
    deprecates flows reloading an entry that has an update listener).
    """
    runtime = entry.runtime_data
    if dict(entry.options) != runtime.options or dict(entry.data) != runtime.data:
        hass.config_entries.async_schedule_reload(entry.entry_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, device: DeviceEntry
) -> bool:
    """Allow removing a device only when its node is no longer in the network."""
    coordinator = entry.runtime_data.coordinator
    for node_id in list(coordinator.driver.nodes):
        if device_identifier(coordinator.home_id, node_id) in device.identifiers:
            return False
    return True
