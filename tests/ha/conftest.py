"""Fixtures for the Home Assistant integration tests (virtual stick over a pty)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr

from custom_components.zwave_serial.compat import async_get_entry_device
from custom_components.zwave_serial.const import CONF_PORT, DOMAIN, PORT_DEMO
from custom_components.zwave_serial.zwave.sim import DEMO_NETWORK_KEYS, start_demo

OTHER_HOME_ID = 0xDEADBEEF


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: Any) -> None:
    """Load custom_components/zwave_serial in every test."""


@pytest.fixture(autouse=True)
def no_serial_ports() -> Any:
    """The test machine has no serial ports unless a test says otherwise."""
    with patch("custom_components.zwave_serial.config_flow.list_ports.comports", return_value=[]) as comports:
        yield comports


async def _start(**kwargs: Any) -> Any:
    """A demo stick in strict mode: it refuses overlapping radio jobs like Z-Wave JS's mock."""
    demo = start_demo(mode="pty", strict=True, **kwargs)
    if hasattr(demo, "__await__"):
        demo = await demo
    return demo


async def _stop(demo: Any) -> None:
    await demo.stop()
    assert demo.stick.overlap_refusals == 0, demo.stick.refused_jobs


@pytest.fixture
async def demo_stick() -> AsyncGenerator[Any]:
    """A virtual stick (home ID c0ffee01) on a pty, stopped after the test."""
    demo = await _start(home_id=0xC0FFEE01)
    yield demo
    await _stop(demo)


@pytest.fixture
async def moved_stick() -> AsyncGenerator[Any]:
    """A second virtual stick of the same network (c0ffee01): the stick seen on another port."""
    demo = await _start(home_id=0xC0FFEE01)
    yield demo
    await _stop(demo)


@pytest.fixture
async def other_stick() -> AsyncGenerator[Any]:
    """A virtual stick of another network."""
    demo = await _start(home_id=OTHER_HOME_ID)
    yield demo
    await _stop(demo)


async def wait_ready(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Wait until the interviews of the awake nodes are done and entities exist."""
    driver = entry.runtime_data.coordinator.driver
    await driver.wait_for_nodes_ready(timeout=60)
    await hass.async_block_till_done()


async def add_entry_via_flow(hass: HomeAssistant, choice: str) -> ConfigEntry:
    """Run the user flow with a port choice (or demo) and accept the generated keys (the demo
    entry gets the demo keys without asking)."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: choice})
    if result.get("step_id") == "manual":
        raise AssertionError("use add_manual_entry for manual ports")
    if choice != PORT_DEMO:
        assert result["type"] is FlowResultType.FORM, result
        assert result["step_id"] == "network_keys"
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


#: The demo network's keys as the config flow stores them (the demo locks use them).
DEMO_KEYS = {f"{name}_key": value for name, value in DEMO_NETWORK_KEYS.to_dict().items()}


async def add_manual_entry(hass: HomeAssistant, port: str) -> ConfigEntry:
    """Run the user flow with a manually entered port (a demo stick: enter the demo keys)."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: "manual"})
    assert result["step_id"] == "manual"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PORT: port})
    assert result["step_id"] == "network_keys", result
    result = await hass.config_entries.flow.async_configure(result["flow_id"], DEMO_KEYS)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return result["result"]


@pytest.fixture
async def demo_entry(hass: HomeAssistant) -> AsyncGenerator[ConfigEntry]:
    """The demo network added through the config flow, interviews done; unloaded after."""
    entry = await add_entry_via_flow(hass, PORT_DEMO)
    await wait_ready(hass, entry)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


@pytest.fixture
async def stick_entry(hass: HomeAssistant, demo_stick: Any) -> AsyncGenerator[ConfigEntry]:
    """A virtual stick on a pty added as a manual port (so tests can unplug it)."""
    entry = await add_manual_entry(hass, demo_stick.port)
    await wait_ready(hass, entry)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


def node_device(hass: HomeAssistant, entry: ConfigEntry, node_id: int) -> dr.DeviceEntry | None:
    """The registered device of a node of the entry's network (the unique id is the home ID)."""
    return async_get_entry_device(dr.async_get(hass), (DOMAIN, f"{entry.unique_id}-{node_id}"), entry.entry_id)


def remove_device_message(entry: ConfigEntry, device_id: str) -> dict[str, Any]:
    """The websocket command removing a device (config/device_registry/remove where it exists)."""
    from homeassistant.components.config import device_registry as config_device_registry

    if hasattr(config_device_registry, "websocket_remove_device"):
        return {"type": "config/device_registry/remove", "device_id": device_id}
    return {
        "type": "config/device_registry/remove_config_entry",
        "config_entry_id": entry.entry_id,
        "device_id": device_id,
    }


def entity_id_of(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    """Entity id of a registered entity, by unique id."""
    from homeassistant.helpers import entity_registry as er

    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, f"no {domain} entity {unique_id}"
    return entity_id


def entities_with(hass: HomeAssistant, domain: str, device_class: str | None = None) -> list[Any]:
    """Registry entries of this integration on a platform (optionally of a device class)."""
    from homeassistant.helpers import entity_registry as er

    return [
        e
        for e in er.async_get(hass).entities.values()
        if e.platform == DOMAIN
        and e.domain == domain
        and (device_class is None or e.original_device_class == device_class)
    ]


async def wait_for_state(hass: HomeAssistant, entity_id: str, predicate: Any, timeout: float = 60) -> Any:
    """Wait (event-driven; the timeout is only a safety net) until the entity's state matches."""
    import asyncio

    from homeassistant.helpers.event import async_track_state_change_event

    state = hass.states.get(entity_id)
    if state is not None and predicate(state):
        return state
    done: asyncio.Future[Any] = hass.loop.create_future()

    @callback
    def _changed(event: Any) -> None:
        new = event.data["new_state"]
        if new is not None and predicate(new) and not done.done():
            done.set_result(new)

    unsub = async_track_state_change_event(hass, [entity_id], _changed)
    try:
        async with asyncio.timeout(timeout):
            return await done
    finally:
        unsub()
