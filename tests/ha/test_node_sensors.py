"""Per-device diagnostic sensors: node status and highest security class."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import entity_id_of, wait_for_state

SWITCH_NODE, MOTION_NODE, LOCK_NODE = 2, 5, 7


async def test_node_status_sensor(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Every device has a status sensor: a listening switch is alive, the PIR sensor asleep, and a
    node that stops answering turns dead."""
    switch_status = entity_id_of(hass, "sensor", f"c0ffee01.{SWITCH_NODE}.node.status")
    motion_status = entity_id_of(hass, "sensor", f"c0ffee01.{MOTION_NODE}.node.status")
    entry = er.async_get(hass).async_get(switch_status)
    assert entry is not None and entry.entity_category is EntityCategory.DIAGNOSTIC
    assert hass.states.get(switch_status).state == "alive"
    assert hass.states.get(motion_status).state == "asleep"

    demo = demo_entry.runtime_data.demo
    demo.stick.set_dead(SWITCH_NODE)
    switch = entity_id_of(hass, "switch", f"c0ffee01.{SWITCH_NODE}.0.37.current_value")
    await hass.services.async_call("switch", "turn_on", {"entity_id": switch}, blocking=False)
    await wait_for_state(hass, switch_status, lambda s: s.state == "dead")


async def test_node_security_sensor(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Each device shows its highest security class; a plain switch shows none."""
    switch_security = entity_id_of(hass, "sensor", f"c0ffee01.{SWITCH_NODE}.node.security_class")
    assert hass.states.get(switch_security).state == "none"
    lock_security = entity_id_of(hass, "sensor", f"c0ffee01.{LOCK_NODE}.node.security_class")
    state = hass.states.get(lock_security)
    assert state.state == "s2_access_control"  # the demo lock 7 is included with S2 Access Control
    s0_lock = entity_id_of(hass, "sensor", "c0ffee01.9.node.security_class")
    assert hass.states.get(s0_lock).state == "s0_legacy"
    assert state.attributes["options"][0] == "s2_access_control"
