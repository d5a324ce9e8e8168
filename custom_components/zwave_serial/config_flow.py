"""Config flow: pick the stick (or the demo network), test it, set the network keys."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import voluptuous as vol
from homeassistant.components import usb
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import selector
from homeassistant.helpers.service_info.usb import UsbServiceInfo
from serial.tools import list_ports

from .compat import async_set_confirm_only
from .const import (
    CONF_DEMO,
    CONF_PORT,
    DEFAULT_CONTROLLER_IS_SUC,
    DEFAULT_HEAL_HOUR,
    DEFAULT_INCLUSION_TIMEOUT,
    DEFAULT_WAKE_UP_INTERVAL,
    DOMAIN,
    HEAL_OFF,
    NETWORK_KEYS,
    OPT_CONTROLLER_IS_SUC,
    OPT_HEAL_HOUR,
    OPT_INCLUSION_TIMEOUT,
    OPT_WAKE_UP_INTERVAL,
    PORT_DEMO,
    PORT_MANUAL,
)
from .demo import async_start_demo, async_stop_demo
from .inclusion_flow import InclusionFlowMixin
from .replace_flow import ReplaceFlowMixin
from .stick_backup import backup_options_schema, flatten_backup_options
from .usb_sticks import is_zigbee_cp210x, stick_name
from .zwave import (
    Driver,
    InvalidPortUrl,
    MemoryCache,
    NotAZWaveStick,
    PortInUse,
    PortTypeUnsupported,
    TransportError,
    ZWaveError,
)
from .zwave.sim import DEMO_NETWORK_KEYS
from .zwave.transport import redact_url, validate_port_url

_LOGGER = logging.getLogger(__name__)


class CannotConnect(Exception):
    """The port could not be opened or probed; ``reason`` is the translation key."""

    def __init__(self, reason: str) -> None:
        """Carry the error key."""
        super().__init__(reason)
        self.reason = reason


def list_serial_ports() -> dict[str, str]:
    """Serial ports of the machine: by-id path -> description (runs in the executor)."""
    ports: dict[str, str] = {}
    for port in list_ports.comports():
        path = usb.get_serial_by_id(port.device)
        details = [d for d in (port.manufacturer, port.description) if d and d != "n/a"]
        label = f"{path} - {', '.join(details)}" if details else path
        ports[path] = label
    return ports


async def async_probe(hass: HomeAssistant, port: str | None, demo: bool = False) -> int:
    """Open the stick, read its home ID and close it again. Raises :class:`CannotConnect`."""
    demo_stick = None
    try:
        if demo:
            demo_stick = await async_start_demo()
            port = demo_stick.port
        assert port is not None
        # Read-only: identity and node list; nothing changes on the stick (no SUC, no interviews).
        controller = await Driver(port, cache=MemoryCache()).probe()
        return int(controller.home_id)
    except NotAZWaveStick as err:
        raise CannotConnect("not_a_zwave_stick") from err
    except InvalidPortUrl as err:
        raise CannotConnect("invalid_esphome_key" if err.reason == "esphome_key" else "invalid_port") from err
    except PortInUse as err:
        raise CannotConnect("port_in_use") from err
    except PortTypeUnsupported as err:
        _LOGGER.debug("Cannot open %s: %s", redact_url(port or ""), err)
        raise CannotConnect("esphome_unavailable") from err
    except (TransportError, ZWaveError, OSError) as err:
        _LOGGER.debug("Cannot connect to %s: %s", redact_url(port or ""), err)
        raise CannotConnect("cannot_connect") from err
    except Exception as err:
        _LOGGER.exception("Unexpected error while probing %s", redact_url(port or ""))
        raise CannotConnect("unknown") from err
    finally:
        await async_stop_demo(demo_stick)


def validate_keys(data: dict[str, Any]) -> dict[str, str]:
    """Check the network keys: 32 hex digits, not all zero, all different."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for name in NETWORK_KEYS:
        key = str(data.get(name, "")).strip().lower()
        try:
            raw = bytes.fromhex(key)
        except ValueError:
            raw = b""
        if len(key) != 32 or len(raw) != 16 or not any(raw):
            errors[name] = "invalid_key"
        elif key in seen:
            errors[name] = "duplicate_key"
        seen.add(key)
    return errors


def _port_schema(ports: dict[str, str], default: str | None, with_demo: bool) -> vol.Schema:
    """The port list; the manual and demo entries are translated (``selector.port``)."""
    options = [selector.SelectOptionDict(value=path, label=label) for path, label in ports.items()]
    options.append(selector.SelectOptionDict(value=PORT_MANUAL, label=PORT_MANUAL))
    if with_demo:
        options.append(selector.SelectOptionDict(value=PORT_DEMO, label=PORT_DEMO))
    values = [option["value"] for option in options]
    if default not in values:
        default = values[0]
    return vol.Schema(
        {
            vol.Required(CONF_PORT, default=default): selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=options, mode=selector.SelectSelectorMode.LIST, translation_key=CONF_PORT
                )
            )
        }
    )


def _check_port(port: str) -> str:
    """A manually entered port, stripped; raises CannotConnect for a malformed URL."""
    try:
        return validate_port_url(port)
    except InvalidPortUrl as err:
        raise CannotConnect("invalid_esphome_key" if err.reason == "esphome_key" else "invalid_port") from err


class ZWaveSerialConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Z-Wave stick."""

    VERSION = 1

    def __init__(self) -> None:
        """Start a flow."""
        self._port: str | None = None
        self._demo = False
        self._home_id: int | None = None
        self._usb_name: str | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> ZWaveSerialOptionsFlow:
        """The controller settings."""
        return ZWaveSerialOptionsFlow()

    # --- user ------------------------------------------------------------------------

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Pick a serial port, enter one, or try the demo network."""
        errors: dict[str, str] = {}
        if user_input is not None:
            choice = user_input[CONF_PORT]
            if choice == PORT_MANUAL:
                return await self.async_step_manual()
            self._demo = choice == PORT_DEMO
            self._port = None if self._demo else choice
            try:
                return await self._async_connect()
            except CannotConnect as err:
                errors["base"] = err.reason
        ports = await self.hass.async_add_executor_job(list_serial_ports)
        return self.async_show_form(
            step_id="user", data_schema=_port_schema(ports, self._port, True), errors=errors
        )

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Enter a device path or a socket://, rfc2217:// or esphome:// URL."""
        errors: dict[str, str] = {}
        if user_input is not None:
            self._port = user_input[CONF_PORT].strip()
            self._demo = False
            try:
                self._port = _check_port(self._port)
                return await self._async_connect()
            except CannotConnect as err:
                errors["base"] = err.reason
        return self.async_show_form(
            step_id="manual",
            data_schema=vol.Schema({vol.Required(CONF_PORT, default=self._port or ""): str}),
            errors=errors,
        )

    async def _async_connect(self) -> ConfigFlowResult:
        """Probe the stick, claim its home ID, then ask for the network keys."""
        home_id = await async_probe(self.hass, self._port, self._demo)
        self._home_id = home_id
        await self.async_set_unique_id(f"{home_id:08x}", raise_on_progress=False)
        # a loaded entry's update listener reloads it with the new port
        self._abort_if_unique_id_configured(
            updates=None if self._demo else {CONF_PORT: self._port}, reload_on_update=False
        )
        if self._demo:
            # The demo's secure devices were included with the (published) demo keys: no
            # keys to choose, they are stored like entered keys.
            keys = {f"{name}_key": value for name, value in DEMO_NETWORK_KEYS.to_dict().items()}
            return self.async_create_entry(title="Z-Wave demo network", data={**keys, CONF_DEMO: True})
        return await self.async_step_network_keys()

    # --- keys -------------------------------------------------------------------------

    async def async_step_network_keys(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The S0 and S2 network keys (random by default)."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_keys(user_input)
            if not errors:
                data: dict[str, Any] = {k: user_input[k].strip().lower() for k in NETWORK_KEYS}
                data[CONF_PORT] = self._port
                return self.async_create_entry(title=f"Z-Wave network {self._home_id:08x}", data=data)
        defaults = user_input or {k: secrets.token_hex(16) for k in NETWORK_KEYS}
        schema = vol.Schema({vol.Required(k, default=defaults.get(k, "")): str for k in NETWORK_KEYS})
        return self.async_show_form(step_id="network_keys", data_schema=schema, errors=errors)

    # --- USB discovery -------------------------------------------------------------------

    async def async_step_usb(self, discovery_info: UsbServiceInfo) -> ConfigFlowResult:
        """A known stick was plugged in."""
        vid, pid = discovery_info.vid.upper(), discovery_info.pid.upper()
        description = discovery_info.description or ""
        if is_zigbee_cp210x(vid, pid, description):
            return self.async_abort(reason="not_zwave_device")
        dev_path = await self.hass.async_add_executor_job(usb.get_serial_by_id, discovery_info.device)
        for entry in self._async_current_entries(include_ignore=False):
            if entry.data.get(CONF_PORT) in (dev_path, discovery_info.device):
                return self.async_abort(reason="already_configured")
        await self.async_set_unique_id(
            f"usb:{vid}:{pid}_{discovery_info.serial_number}_{discovery_info.manufacturer}_{description}"
        )
        self._abort_if_unique_id_configured()
        self._port = dev_path
        # The card shows the stick's name; the confirm form adds its serial number and port.
        name = stick_name(vid, pid, discovery_info.description, discovery_info.manufacturer)
        self._usb_name = f"{name} (s/n {discovery_info.serial_number})" if discovery_info.serial_number else name
        self.context["title_placeholders"] = {"name": name}
        return await self.async_step_usb_confirm()

    async def async_step_usb_confirm(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Confirm adding the discovered stick."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                return await self._async_connect()
            except CannotConnect as err:
                errors["base"] = err.reason
        async_set_confirm_only(self)
        return self.async_show_form(
            step_id="usb_confirm",
            description_placeholders={"name": self._usb_name or "", "port": self._port or ""},
            errors=errors,
        )

    # --- reconfigure ----------------------------------------------------------------------

    async def async_step_reconfigure(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Move the network to another port (the same stick, re-plugged or re-enumerated)."""
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_DEMO):
            return self.async_abort(reason="demo_not_reconfigurable")
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input[CONF_PORT] == PORT_MANUAL:
                return await self.async_step_reconfigure_manual()
            try:
                return await self._async_reconfigure(entry, user_input[CONF_PORT])
            except CannotConnect as err:
                errors["base"] = err.reason
        ports = await self.hass.async_add_executor_job(list_serial_ports)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=_port_schema(ports, entry.data.get(CONF_PORT), False),
            errors=errors,
        )

    async def async_step_reconfigure_manual(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Enter the new port by hand."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                return await self._async_reconfigure(entry, _check_port(user_input[CONF_PORT]))
            except CannotConnect as err:
                errors["base"] = err.reason
        return self.async_show_form(
            step_id="reconfigure_manual",
            data_schema=vol.Schema({vol.Required(CONF_PORT, default=entry.data.get(CONF_PORT, "")): str}),
            errors=errors,
        )

    async def _async_reconfigure(self, entry: ConfigEntry, port: str) -> ConfigFlowResult:
        """Probe the new port with the entry unloaded (it may hold the same stick)."""
        if entry.state is ConfigEntryState.LOADED:
            await self.hass.config_entries.async_unload(entry.entry_id)
        try:
            home_id = await async_probe(self.hass, port)
        except CannotConnect:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
            raise
        if f"{home_id:08x}" != entry.unique_id:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
            return self.async_abort(reason="different_network")
        return self.async_update_reload_and_abort(entry, data_updates={CONF_PORT: port})


class ZWaveSerialOptionsFlow(ReplaceFlowMixin, InclusionFlowMixin, OptionsFlow):
    """The network's menu: add or remove devices, and the controller settings (nightly heal,
    inclusion timeout, wake-up interval, SUC, stick backups)."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """What to do: add a device (button or SmartStart QR code), remove one, or settings."""
        return self.async_show_menu(
            step_id="init",
            menu_options=["add_device", "add_device_qr", "remove_device", "replace_failed_node", "settings"],
        )

    async def async_step_settings(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and save the settings."""
        if user_input is not None:
            return self.async_create_entry(data=flatten_backup_options(user_input))
        opts = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(OPT_HEAL_HOUR, default=opts.get(OPT_HEAL_HOUR, DEFAULT_HEAL_HOUR)): (
                    selector.SelectSelector(
                        selector.SelectSelectorConfig(
                            options=[HEAL_OFF, *(str(h) for h in range(24))],
                            mode=selector.SelectSelectorMode.DROPDOWN,
                            translation_key=OPT_HEAL_HOUR,
                        )
                    )
                ),
                vol.Required(
                    OPT_INCLUSION_TIMEOUT,
                    default=opts.get(OPT_INCLUSION_TIMEOUT, DEFAULT_INCLUSION_TIMEOUT),
                ): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=10,
                        max=600,
                        step=1,
                        unit_of_measurement="s",
                        mode=selector.NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    OPT_WAKE_UP_INTERVAL,
                    default=opts.get(OPT_WAKE_UP_INTERVAL, DEFAULT_WAKE_UP_INTERVAL),
                ): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=0,
                        max=86400,
                        step=1,
                        unit_of_measurement="s",
                        mode=selector.NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    OPT_CONTROLLER_IS_SUC,
                    default=opts.get(OPT_CONTROLLER_IS_SUC, DEFAULT_CONTROLLER_IS_SUC),
                ): selector.BooleanSelector(),
                **backup_options_schema(opts),
            }
        )
        return self.async_show_form(step_id="settings", data_schema=schema)
