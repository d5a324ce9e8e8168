"""Lock user code services (services_lock.py) through the config flow on the demo network."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID, MATCH_ALL
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component

from custom_components.zwave_serial.const import DOMAIN
from custom_components.zwave_serial.diagnostics import (
    async_get_config_entry_diagnostics,
    async_get_device_diagnostics,
)

from .conftest import entity_id_of, node_device, wait_for_state

LOCK_NODE = 7
LOCK_UID = f"c0ffee01.{LOCK_NODE}.0.98.current_mode"


def _lock(entry: ConfigEntry) -> Any:
    return entry.runtime_data.demo.stick.node(LOCK_NODE)


async def _call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True, return_response=True
    )


async def test_get_lock_usercodes_one_bulk_read(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """30 slots read in one chained exchange (3 reports of 4 codes); codes only when asked;
    a second read uses the cache (the checksum is unchanged)."""
    lock = _lock(demo_entry)
    for slot in range(1, 11):
        lock.user_codes[slot], lock.user_status[slot] = f"{2000 + slot}", 1
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    answer = (await _call(hass, "get_lock_usercodes", entity_id))["nodes"][str(LOCK_NODE)]
    assert lock.code_gets == 3 and answer["users_number"] == 30
    assert [s["slot"] for s in answer["slots"] if s["in_use"]] == list(range(1, 11))
    assert answer["slots"][0] == {"slot": 1, "status": "enabled", "in_use": True, "name": None}
    assert "2001" not in repr(answer)
    with_codes = (await _call(hass, "get_lock_usercodes", entity_id, include_codes=True))["nodes"][str(LOCK_NODE)]
    assert lock.code_gets == 3
    assert with_codes["slots"][0]["code"] == "2001" and with_codes["slots"][20]["code"] is None


async def test_set_duplicate_disable_enable_clear(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    lock = _lock(demo_entry)
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    await _call(hass, "get_lock_usercodes", entity_id)
    answer = await _call(hass, "set_lock_usercode", entity_id, code_slot=3, usercode="4321", name="Guest")
    assert answer["nodes"][str(LOCK_NODE)] == {"slot": 3, "status": "enabled", "in_use": True, "name": "Guest"}
    assert lock.user_codes[3] == "4321"

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_lock_usercode", entity_id, code_slot=4, usercode="4321")
    assert err.value.translation_key == "duplicate_user_code"
    assert err.value.translation_placeholders == {"slot": "4", "other_slot": "3"}
    assert "4321" not in str(err.value) and 4 not in lock.user_codes

    # a code the hub does not know yet: the lock itself says duplicate (Notification 0x0F)
    lock.user_codes[9], lock.user_status[9] = "8888", 1
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_lock_usercode", entity_id, code_slot=10, usercode="8888")
    assert err.value.translation_key == "duplicate_user_code_lock"

    await _call(hass, "disable_lock_usercode", entity_id, code_slot=3)
    assert lock.user_status[3] == 2 and not lock.keypad_enter("4321")
    slots = (await _call(hass, "get_lock_usercodes", entity_id, refresh=True))["nodes"][str(LOCK_NODE)]["slots"]
    assert slots[2] == {"slot": 3, "status": "disabled", "in_use": True, "name": "Guest"}
    await _call(hass, "enable_lock_usercode", entity_id, code_slot=3)
    assert lock.user_status[3] == 1 and lock.keypad_enter("4321")
    await wait_for_state(hass, entity_id, lambda s: s.state == "unlocked")  # the lock's reports are in

    await _call(hass, "clear_lock_usercode", entity_id, code_slot=3)
    assert 3 not in lock.user_codes

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_lock_usercode", entity_id, code_slot=300, usercode="1357")
    assert err.value.translation_key == "invalid_user_code"
    with pytest.raises(ServiceValidationError):
        await _call(hass, "enable_lock_usercode", entity_id, code_slot=12)


async def test_codes_never_logged_or_fired(
    hass: HomeAssistant, demo_entry: ConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """Set codes with DEBUG logging everywhere, unlock at the keypad, read them back: no code
    in any log record, bus event, diagnostics or service answer without include_codes."""
    caplog.set_level(logging.DEBUG)
    events: list[Any] = []

    @callback
    def _record(event: Any) -> None:
        # HA core's own call_service event echoes the service data (the caller's input)
        if event.event_type != "call_service":
            events.append(event)

    unsub = hass.bus.async_listen(MATCH_ALL, _record)
    lock = _lock(demo_entry)
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    codes = {1: "918273", 2: "5647382910", 3: "6060"}
    answers = []
    for slot, code in codes.items():
        answers.append(await _call(hass, "set_lock_usercode", entity_id, code_slot=slot, usercode=code))
    await _call(hass, "disable_lock_usercode", entity_id, code_slot=2)
    answers.append(await _call(hass, "get_lock_usercodes", entity_id, refresh=True))
    assert lock.keypad_enter("918273")
    await wait_for_state(hass, entity_id, lambda s: s.state == "unlocked")
    with pytest.raises(ServiceValidationError) as dup:
        await _call(hass, "set_lock_usercode", entity_id, code_slot=5, usercode="6060")
    await hass.async_block_till_done()
    diag = await async_get_config_entry_diagnostics(hass, demo_entry)
    dev_diag = await async_get_device_diagnostics(hass, demo_entry, node_device(hass, demo_entry, LOCK_NODE))
    unsub()
    node_diag = next(n for n in diag["nodes"] if n["node_id"] == LOCK_NODE)
    assert [s["slot"] for s in node_diag["user_codes"] if s["in_use"]] == [1, 2, 3]
    haystack = "\n".join(
        [caplog.text, repr([(e.event_type, e.data) for e in events]), repr(diag), repr(dev_diag), repr(answers),
         str(dup.value), repr(dup.value)]
        + [record.getMessage() for record in caplog.records]
    )
    for code in codes.values():
        assert code not in haystack


async def test_lock_services_registered_in_async_setup(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    for service in ("get_lock_usercodes", "set_lock_usercode", "clear_lock_usercode", "enable_lock_usercode",
                    "disable_lock_usercode"):
        assert hass.services.has_service(DOMAIN, service), service
