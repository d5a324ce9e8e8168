"""Ports in the config flow: a port held by another program, URL validation, translations."""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zwave_serial.const import CONF_PORT, DOMAIN, NETWORK_KEYS, PORT_MANUAL
from custom_components.zwave_serial.zwave.transport import open_serial

INTEGRATION = Path(__file__).resolve().parents[2] / "custom_components" / "zwave_serial"
KEY = base64.b64encode(bytes(range(32))).decode()
KEYS = {name: f"{i + 1:02x}" * 16 for i, name in enumerate(NETWORK_KEYS)}


async def _manual(hass: HomeAssistant, port: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    assert result["step_id"] == "manual"
    return await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: port})


async def test_port_held_by_another_program(hass: HomeAssistant, demo_stick: Any) -> None:
    """The flow says port_in_use; set-up retries with a clear message; both work once it is free."""
    other, _ = await open_serial(demo_stick.port, asyncio.Protocol)  # "Z-Wave JS" holds the stick
    try:
        result = await _manual(hass, demo_stick.port)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "port_in_use"}

        entry = MockConfigEntry(domain=DOMAIN, unique_id="c0ffee01", data={CONF_PORT: demo_stick.port, **KEYS})
        entry.add_to_hass(hass)
        assert not await hass.config_entries.async_setup(entry.entry_id)
        assert entry.state is ConfigEntryState.SETUP_RETRY
        assert "another program is using the serial port" in (entry.reason or "")
    finally:
        other.close()
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(
    ("port", "error"),
    [
        ("http://example.com:80", "invalid_port"),
        ("socket://zwave-bridge", "invalid_port"),
        ("rfc2217://:4001", "invalid_port"),
        ("esphome://proxy/?port_name=zwave&key=short", "invalid_esphome_key"),
    ],
)
async def test_manual_port_url_errors(hass: HomeAssistant, port: str, error: str) -> None:
    result = await _manual(hass, port)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    assert result["errors"] == {"base": error}


async def test_manual_url_ports_are_probed(hass: HomeAssistant, socket_enabled: None) -> None:
    """Well-formed socket:// and rfc2217:// URLs are opened (nothing listens here: cannot_connect);
    an esphome:// port needs aioesphomeapi, which this test environment may lack."""
    for port in ("socket://127.0.0.1:1", "rfc2217://127.0.0.1:1"):
        result = await _manual(hass, port)
        assert result["errors"] == {"base": "cannot_connect"}, port
    result = await _manual(hass, f"esphome://127.0.0.1:1/?port_name=zwave&key={KEY}")
    if importlib.util.find_spec("aioesphomeapi") is None:
        assert result["errors"] == {"base": "esphome_unavailable"}
    else:
        assert result["errors"]["base"] in ("esphome_unavailable", "cannot_connect")


async def test_reconfigure_manual_validates_the_url(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(domain=DOMAIN, unique_id="c0ffee01", data={CONF_PORT: "/dev/old", **KEYS})
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: PORT_MANUAL})
    assert result["step_id"] == "reconfigure_manual"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: "ftp://x:1"})
    assert result["errors"] == {"base": "invalid_port"}
    assert entry.data[CONF_PORT] == "/dev/old"


def _translations() -> dict[str, Any]:
    return json.loads((INTEGRATION / "translations" / "en.json").read_text())


def test_config_flow_texts_are_translated() -> None:
    """Every step, error and abort reason the config flow uses has its text in en.json."""
    source = (INTEGRATION / "config_flow.py").read_text()
    texts = _translations()
    config, options = texts["config"], texts["options"]
    steps = set(re.findall(r'step_id="(\w+)"', source))
    errors = set(re.findall(r'CannotConnect\("(\w+)"\)', source))
    errors |= set(re.findall(r'"(\w+)" if err\.reason', source)) | set(re.findall(r'else "(\w+)"', source))
    errors |= {"invalid_key", "duplicate_key"}  # validate_keys
    aborts = set(re.findall(r'reason="(\w+)"', source))
    # reasons Home Assistant's helpers abort with
    aborts |= {"already_configured", "already_in_progress", "reconfigure_successful"}
    assert errors >= {"port_in_use", "invalid_port", "invalid_esphome_key", "esphome_unavailable"}
    for step in steps:
        body = config["step"].get(step) or options["step"].get(step)
        assert body is not None, step
        assert body.get("title") or step in ("init",), step
        for field in body.get("data", {}):  # the quality scale's config-flow rule: data_description
            assert field in body.get("data_description", {}), (step, field)
    assert errors <= set(config["error"]), errors - set(config["error"])
    assert aborts <= set(config["abort"]), aborts - set(config["abort"])
    assert set(texts["selector"]["port"]["options"]) == {"manual", "demo"}
    assert set(texts["selector"]["heal_hour"]["options"]) == {"off", *(str(h) for h in range(24))}
    assert "{name}" in config["flow_title"]


def test_strings_json_matches_en_json() -> None:
    strings = INTEGRATION / "strings.json"
    if strings.exists():
        assert json.loads(strings.read_text())["config"] == _translations()["config"]
