"""Config flow: every branch, against the virtual stick over a pty."""

from __future__ import annotations

import os
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USB,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.usb import UsbServiceInfo
from pytest_homeassistant_custom_component.common import MockConfigEntry
from serial.tools.list_ports_common import ListPortInfo

from custom_components.zwave_serial.compat import ENTRY_OK
from custom_components.zwave_serial.config_flow import validate_keys
from custom_components.zwave_serial.const import (
    CONF_DEMO,
    CONF_PORT,
    CONF_S0_LEGACY_KEY,
    CONF_S2_ACCESS_CONTROL_KEY,
    CONF_S2_AUTHENTICATED_KEY,
    CONF_S2_UNAUTHENTICATED_KEY,
    DOMAIN,
    NETWORK_KEYS,
    OPT_CONTROLLER_IS_SUC,
    OPT_HEAL_HOUR,
    OPT_INCLUSION_TIMEOUT,
    OPT_WAKE_UP_INTERVAL,
    PORT_DEMO,
    PORT_MANUAL,
)

from .conftest import add_entry_via_flow, add_manual_entry, wait_ready

MISSING_PORT = "/dev/serial/by-id/usb-does-not-exist-if00"
KEYS = {
    CONF_S0_LEGACY_KEY: "0102030405060708090A0B0C0D0E0F10",
    CONF_S2_UNAUTHENTICATED_KEY: "1112131415161718191a1b1c1d1e1f20",
    CONF_S2_AUTHENTICATED_KEY: "2122232425262728292a2b2c2d2e2f30",
    CONF_S2_ACCESS_CONTROL_KEY: "3132333435363738393a3b3c3d3e3f40",
}


def _port_info(device: str, description: str = "Z-Wave stick") -> ListPortInfo:
    info = ListPortInfo(device, skip_link_detection=True)
    info.description = description
    info.manufacturer = "Virtual"
    return info


def _choices(result: dict[str, Any]) -> dict[str, str]:
    """The port list of a form: value -> label."""
    return {o["value"]: o["label"] for o in result["data_schema"].schema[CONF_PORT].config["options"]}


async def _start_reconfigure(hass: HomeAssistant, entry: Any) -> dict[str, Any]:
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )


async def _start_user(hass: HomeAssistant) -> dict[str, Any]:
    return await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})


async def test_user_lists_ports_and_creates_entry(
    hass: HomeAssistant, demo_stick: Any, no_serial_ports: Any
) -> None:
    """A port from the list is probed; keys are generated; the entry gets the home ID."""
    no_serial_ports.return_value = [_port_info(demo_stick.port)]
    result = await _start_user(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    choices = _choices(result)
    assert demo_stick.port in choices
    assert "Z-Wave stick" in choices[demo_stick.port]
    assert PORT_MANUAL in choices and PORT_DEMO in choices
    # the fixed entries are translated (selector.port.options)
    assert result["data_schema"].schema[CONF_PORT].config["translation_key"] == CONF_PORT

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: demo_stick.port})
    assert result["step_id"] == "network_keys"
    defaults = {m.schema: m.default() for m in result["data_schema"].schema}
    assert len(set(defaults.values())) == 4
    assert not validate_keys(defaults)

    result = await hass.config_entries.flow.async_configure(result["flow_id"], KEYS)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.unique_id == "c0ffee01"
    assert entry.data[CONF_PORT] == demo_stick.port
    assert entry.data[CONF_S0_LEGACY_KEY] == KEYS[CONF_S0_LEGACY_KEY].lower()
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_manual_port(hass: HomeAssistant, demo_stick: Any) -> None:
    """A manually entered port works like a listed one."""
    entry = await add_manual_entry(hass, demo_stick.port)
    assert entry.unique_id == "c0ffee01"
    assert entry.data[CONF_PORT] == demo_stick.port
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_manual_cannot_connect(hass: HomeAssistant) -> None:
    """A missing port gives cannot_connect and the form again."""
    result = await _start_user(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: MISSING_PORT})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    assert result["errors"] == {"base": "cannot_connect"}


async def test_listed_port_cannot_connect(hass: HomeAssistant, no_serial_ports: Any) -> None:
    """A listed port that cannot be opened gives cannot_connect on the user step."""
    no_serial_ports.return_value = [_port_info(MISSING_PORT)]
    result = await _start_user(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: MISSING_PORT})
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "cannot_connect"}


async def test_not_a_zwave_stick(hass: HomeAssistant) -> None:
    """A port that opens but never answers the Serial API: not_a_zwave_stick."""
    master, slave = os.openpty()
    try:
        result = await _start_user(hass)
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PORT: os.ttyname(slave)}
        )
        assert result["errors"] == {"base": "not_a_zwave_stick"}
    finally:
        os.close(master)
        os.close(slave)


async def test_demo_network(hass: HomeAssistant) -> None:
    """The demo choice stores {"demo": true}; setup restarts the virtual stick."""
    entry = await add_entry_via_flow(hass, PORT_DEMO)
    assert entry.data[CONF_DEMO] is True
    assert CONF_PORT not in entry.data
    assert entry.unique_id == "c0ffee01"
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    # a reload starts a fresh virtual stick
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_already_configured(hass: HomeAssistant, demo_stick: Any) -> None:
    """The same network cannot be added twice (unique id = home ID)."""
    entry = await add_manual_entry(hass, demo_stick.port)
    assert await hass.config_entries.async_unload(entry.entry_id)
    result = await _start_user(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: demo_stick.port})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_moved_port_reloads_loaded_entry(hass: HomeAssistant, demo_stick: Any, moved_stick: Any) -> None:
    """The user flow finding a loaded network on another port stores the port; the entry reloads on it."""
    entry = await add_manual_entry(hass, demo_stick.port)
    await wait_ready(hass, entry)
    result = await _start_user(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: moved_stick.port})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    await hass.async_block_till_done()
    assert entry.data[CONF_PORT] == moved_stick.port
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator.driver.port == moved_stick.port
    await wait_ready(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (CONF_S0_LEGACY_KEY, "0102", "invalid_key"),
        (CONF_S0_LEGACY_KEY, "zz" * 16, "invalid_key"),
        (CONF_S2_AUTHENTICATED_KEY, "00" * 16, "invalid_key"),
        (CONF_S2_ACCESS_CONTROL_KEY, KEYS[CONF_S0_LEGACY_KEY], "duplicate_key"),
    ],
)
async def test_invalid_keys(hass: HomeAssistant, demo_stick: Any, field: str, value: str, error: str) -> None:
    """Keys are validated: 32 hex digits, not all zero, all distinct."""
    result = await _start_user(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: demo_stick.port})
    assert result["step_id"] == "network_keys"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {**KEYS, field: value})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    # fixing the key finishes the flow
    result = await hass.config_entries.flow.async_configure(result["flow_id"], KEYS)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(result["result"].entry_id)


def test_validate_keys_all_fields() -> None:
    """Every key field is checked."""
    assert validate_keys(KEYS) == {}
    assert validate_keys({}) == dict.fromkeys(NETWORK_KEYS, "invalid_key")


def _usb_info(device: str, vid: str = "0658", pid: str = "0200", description: str = "UZB") -> UsbServiceInfo:
    return UsbServiceInfo(
        device=device,
        vid=vid,
        pid=pid,
        serial_number="1234",
        manufacturer="Virtual",
        description=description,
    )


async def test_usb_discovery(hass: HomeAssistant, demo_stick: Any) -> None:
    """A discovered stick is confirmed, probed and set up."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USB}, data=_usb_info(demo_stick.port)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "usb_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["step_id"] == "network_keys"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "c0ffee01"
    await hass.async_block_till_done()
    # the same stick discovered again is already configured
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USB}, data=_usb_info(demo_stick.port)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert await hass.config_entries.async_unload(result_entry_id(hass))


def result_entry_id(hass: HomeAssistant) -> str:
    """The single entry of the domain."""
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    return entry.entry_id


async def test_usb_discovery_cannot_connect(hass: HomeAssistant) -> None:
    """A discovered stick that does not answer shows the error on the confirm form."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USB}, data=_usb_info(MISSING_PORT)
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["step_id"] == "usb_confirm"
    assert result["errors"] == {"base": "cannot_connect"}


async def test_usb_discovery_zigbee_cp210x(hass: HomeAssistant) -> None:
    """A CP210x Zigbee (2652) dongle is not offered."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_USB},
        data=_usb_info(MISSING_PORT, "10C4", "EA60", "Sonoff Zigbee 3.0 USB Dongle Plus 2652P"),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_zwave_device"


async def test_usb_discovery_updates_moved_port(hass: HomeAssistant, demo_stick: Any) -> None:
    """A configured network found on a new port gets its port updated."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="c0ffee01", data={CONF_PORT: "/dev/old", **KEYS})
    entry.add_to_hass(hass)
    with patch("custom_components.zwave_serial.async_setup_entry", return_value=ENTRY_OK):
        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USB}, data=_usb_info(demo_stick.port)
        )
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_PORT] == demo_stick.port


async def test_reconfigure(hass: HomeAssistant, demo_stick: Any, no_serial_ports: Any) -> None:
    """Reconfigure moves the entry to another port with the same network."""
    entry = await add_manual_entry(hass, demo_stick.port)
    no_serial_ports.return_value = [_port_info(demo_stick.port)]
    result = await _start_reconfigure(hass, entry)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: demo_stick.port})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_reconfigure_manual_different_network(
    hass: HomeAssistant, demo_stick: Any, other_stick: Any
) -> None:
    """A stick of another network is refused; the entry is loaded again."""
    entry = await add_manual_entry(hass, demo_stick.port)
    result = await _start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    assert result["step_id"] == "reconfigure_manual"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: other_stick.port})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "different_network"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data[CONF_PORT] == demo_stick.port
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_reconfigure_cannot_connect(hass: HomeAssistant, demo_stick: Any) -> None:
    """A missing port shows cannot_connect; the entry is loaded again."""
    entry = await add_manual_entry(hass, demo_stick.port)
    result = await _start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: MISSING_PORT})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    # and from the list step as well
    result = await _start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: demo_stick.port})
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_reconfigure_list_cannot_connect(hass: HomeAssistant, no_serial_ports: Any) -> None:
    """The list step of reconfigure shows cannot_connect too."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="c0ffee01", data={CONF_PORT: MISSING_PORT, **KEYS})
    entry.add_to_hass(hass)
    no_serial_ports.return_value = [_port_info(MISSING_PORT)]
    result = await _start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: MISSING_PORT})
    assert result["errors"] == {"base": "cannot_connect"}
    await hass.async_block_till_done()


async def test_reconfigure_demo_refused(hass: HomeAssistant) -> None:
    """The demo network has no port to change."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="c0ffee01", data={CONF_DEMO: True, **KEYS})
    entry.add_to_hass(hass)
    result = await _start_reconfigure(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "demo_not_reconfigurable"


async def test_options_flow(hass: HomeAssistant) -> None:
    """The controller settings are stored in the entry options and reach the driver."""
    entry = await add_entry_via_flow(hass, PORT_DEMO)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": "settings"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "settings"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            OPT_HEAL_HOUR: "3",
            OPT_INCLUSION_TIMEOUT: 120,
            OPT_WAKE_UP_INTERVAL: 7200,
            OPT_CONTROLLER_IS_SUC: False,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options[OPT_HEAL_HOUR] == "3"
    assert entry.state is ConfigEntryState.LOADED
    options = entry.runtime_data.coordinator.driver.options
    assert options.inclusion_timeout == 120
    assert options.default_wake_up_interval == 7200
    assert options.controller_is_suc is False
    assert await hass.config_entries.async_unload(entry.entry_id)
