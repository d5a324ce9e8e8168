"""Discovery by device class through the config flow: a shade is a cover that moves, a fan
switch a fan; colours of an RGBW bulb; a siren's tones; the per-device ping button."""

from __future__ import annotations

from typing import Any

from homeassistant.components.cover import ATTR_CURRENT_POSITION, ATTR_POSITION, CoverState
from homeassistant.components.fan import ATTR_PERCENTAGE
from homeassistant.components.light import ATTR_RGB_COLOR, ATTR_RGBW_COLOR
from homeassistant.components.siren import ATTR_AVAILABLE_TONES, ATTR_TONE, ATTR_VOLUME_LEVEL
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers.event import async_track_state_change_event

from custom_components.zwave_serial.cover import level_to_percent, percent_to_level
from custom_components.zwave_serial.fan import level_to_percentage, percentage_to_level

from .conftest import entities_with, entity_id_of, wait_for_state

SHADE, FAN, BULB, SIREN, SWITCH = 21, 22, 23, 24, 2
SHADE_UID = f"c0ffee01.{SHADE}.0.38.current_value"
FAN_UID = f"c0ffee01.{FAN}.0.38.current_value"
BULB_UID = f"c0ffee01.{BULB}.0.38.current_value"
SIREN_UID = f"c0ffee01.{SIREN}.0.121.tone_id"


def _node(entry: ConfigEntry, node_id: int) -> Any:
    return entry.runtime_data.demo.stick.node(node_id)


async def test_shade_is_a_cover_and_moves(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Motor control Multilevel Switch -> cover (not a light): it opens while moving, stops where
    it is, goes to a position, closes."""
    entity_id = entity_id_of(hass, "cover", SHADE_UID)
    assert not [e for e in entities_with(hass, "light") if e.unique_id == SHADE_UID]
    shade = _node(demo_entry, SHADE)
    state = hass.states.get(entity_id)
    assert state.state == CoverState.CLOSED
    assert state.attributes["device_class"] == "shade"

    seen: list[State] = []

    @callback
    def _record(event: Any) -> None:
        if event.data["new_state"] is not None:
            seen.append(event.data["new_state"])

    unsub = async_track_state_change_event(hass, [entity_id], _record)
    shade.travel_time = 120.0  # slow: it is still moving when we stop it
    await hass.services.async_call("cover", "open_cover", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == CoverState.OPENING)
    assert shade.moving
    await hass.services.async_call("cover", "stop_cover", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    assert not shade.moving
    stopped = await wait_for_state(hass, entity_id, lambda s: s.state in (CoverState.OPEN, CoverState.CLOSED))
    assert stopped.attributes.get(ATTR_CURRENT_POSITION, 0) == level_to_percent(shade.position) < 100

    shade.travel_time = 0.5
    await hass.services.async_call(
        "cover", "set_cover_position", {ATTR_ENTITY_ID: entity_id, ATTR_POSITION: 60}, blocking=True
    )
    state = await wait_for_state(
        hass, entity_id, lambda s: s.state == CoverState.OPEN and s.attributes.get(ATTR_CURRENT_POSITION) == 60
    )
    assert shade.position == percent_to_level(60)
    await hass.services.async_call("cover", "close_cover", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == CoverState.CLOSED)
    assert shade.position == 0
    unsub()
    assert CoverState.OPENING in [s.state for s in seen]


def test_position_conversion() -> None:
    """Z-Wave 0..99 <-> 0..100 %; a non-zero percentage never closes."""
    assert [level_to_percent(level) for level in (0, 1, 50, 99)] == [0, 1, 51, 100]
    assert [percent_to_level(p) for p in (0, 1, 50, 100)] == [0, 1, 50, 99]


async def test_fan_speed(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Fan switch Multilevel Switch -> fan with a percentage speed."""
    entity_id = entity_id_of(hass, "fan", FAN_UID)
    fan = _node(demo_entry, FAN)
    assert hass.states.get(entity_id).state == STATE_OFF
    await hass.services.async_call(
        "fan", "set_percentage", {ATTR_ENTITY_ID: entity_id, ATTR_PERCENTAGE: 50}, blocking=True
    )
    state = await wait_for_state(hass, entity_id, lambda s: s.state == STATE_ON)
    assert fan.speed == percentage_to_level(50)
    assert state.attributes[ATTR_PERCENTAGE] == level_to_percentage(fan.speed)
    await hass.services.async_call("fan", "turn_off", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_OFF)
    assert fan.speed == 0
    await hass.services.async_call("fan", "turn_on", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_ON)
    assert fan.speed == percentage_to_level(50)  # back to the last speed


def test_fan_speed_conversion() -> None:
    assert [percentage_to_level(p) for p in (0, 1, 50, 100)] == [0, 1, 50, 99]
    assert [level_to_percentage(level) for level in (0, 1, 99)] == [0, 1, 100]


async def test_rgbw_light_colours(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Color Switch with R, G, B and warm white -> an RGBW light; an RGB colour reaches the bulb."""
    entity_id = entity_id_of(hass, "light", BULB_UID)
    bulb = _node(demo_entry, BULB)
    assert hass.states.get(entity_id).attributes["supported_color_modes"] == ["rgbw"]

    await hass.services.async_call(
        "light", "turn_on", {ATTR_ENTITY_ID: entity_id, ATTR_RGB_COLOR: (255, 0, 0)}, blocking=True
    )
    state = await wait_for_state(
        hass, entity_id, lambda s: s.state == STATE_ON and s.attributes.get(ATTR_RGBW_COLOR) == (255, 0, 0, 0)
    )
    assert bulb.rgb == (255, 0, 0) and bulb.colors[0] == 0
    assert state.attributes["color_mode"] == "rgbw"

    await hass.services.async_call(
        "light", "turn_on", {ATTR_ENTITY_ID: entity_id, ATTR_RGBW_COLOR: (0, 0, 255, 128)}, blocking=True
    )
    await wait_for_state(hass, entity_id, lambda s: s.attributes.get(ATTR_RGBW_COLOR) == (0, 0, 255, 128))
    assert bulb.rgb == (0, 0, 255)

    bulb.set_color_local(green=200)  # a change made elsewhere is reported and shown
    await wait_for_state(hass, entity_id, lambda s: s.attributes.get(ATTR_RGBW_COLOR) == (0, 200, 255, 128))


async def test_siren_tones(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Sound Switch -> siren: its tones by name, a volume, stop."""
    entity_id = entity_id_of(hass, "siren", SIREN_UID)
    siren = _node(demo_entry, SIREN)
    state = hass.states.get(entity_id)
    assert state.state == STATE_OFF
    assert state.attributes[ATTR_AVAILABLE_TONES] == {1: "Beep", 2: "Doorbell", 3: "Intruder alarm"}

    await hass.services.async_call(
        "siren", "turn_on", {ATTR_ENTITY_ID: entity_id, ATTR_TONE: "Intruder alarm", ATTR_VOLUME_LEVEL: 0.8}, blocking=True
    )
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_ON)
    assert siren.played[-1] == (3, 80)
    await hass.services.async_call("siren", "turn_off", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_OFF)
    assert siren.tone == 0

    await hass.services.async_call("siren", "turn_on", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_ON)
    assert siren.played[-1] == (1, 50)  # the default tone at the default volume
    await hass.services.async_call("siren", "turn_off", {ATTR_ENTITY_ID: entity_id}, blocking=True)


async def test_ping_and_refresh_buttons(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Every device has Ping and Refresh values buttons; a ping of an unreachable node marks it
    dead, a ping once it is back alive."""
    ping = entity_id_of(hass, "button", f"c0ffee01.{SWITCH}.node.ping")
    refresh = entity_id_of(hass, "button", f"c0ffee01.{SWITCH}.node.refresh_values")
    status = entity_id_of(hass, "sensor", f"c0ffee01.{SWITCH}.node.status")
    switch_entity = entity_id_of(hass, "switch", f"c0ffee01.{SWITCH}.0.37.current_value")
    stick = demo_entry.runtime_data.demo.stick

    stick.set_dead(SWITCH)
    await hass.services.async_call("button", "press", {ATTR_ENTITY_ID: ping}, blocking=True)
    await wait_for_state(hass, status, lambda s: s.state == "dead")
    assert hass.states.get(ping).state != "unavailable"  # a dead node can still be pinged

    stick.set_dead(SWITCH, False)
    await hass.services.async_call("button", "press", {ATTR_ENTITY_ID: ping}, blocking=True)
    await wait_for_state(hass, status, lambda s: s.state == "alive")

    stick.node(SWITCH).switch.on = True  # changed without a report: only a refresh sees it
    await hass.services.async_call("button", "press", {ATTR_ENTITY_ID: refresh}, blocking=True)
    await wait_for_state(hass, switch_entity, lambda s: s.state == STATE_ON)
