"""The lock code services work unchanged on a lock speaking User Credential CC (0x83): a virtual
credential lock (node 2) on its own stick, added through the config flow as a manual port."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, MATCH_ALL
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError

from custom_components.zwave_serial.const import DOMAIN
from custom_components.zwave_serial.diagnostics import (
    async_get_config_entry_diagnostics,
    async_get_device_diagnostics,
)
from custom_components.zwave_serial.zwave.sim.lock_credential import CredentialLock, start_credential_demo

from .conftest import add_manual_entry, entity_id_of, node_device, wait_for_state, wait_ready

LOCK_NODE = 2
LOCK_UID = f"c0ffee83.{LOCK_NODE}.0.98.current_mode"


@pytest.fixture
async def credential_stick() -> AsyncGenerator[Any]:
    """A strict virtual stick (home ID c0ffee83) with one User Credential lock."""
    demo = await start_credential_demo(bolt_time=0.1)
    yield demo
    await demo.stop()
    assert demo.stick.overlap_refusals == 0, demo.stick.refused_jobs


@pytest.fixture
async def credential_entry(hass: HomeAssistant, credential_stick: Any) -> AsyncGenerator[ConfigEntry]:
    entry = await add_manual_entry(hass, credential_stick.port)
    await wait_ready(hass, entry)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


def _lock(stick: Any) -> CredentialLock:
    lock = stick.stick.node(LOCK_NODE)
    assert isinstance(lock, CredentialLock)
    return lock


async def _call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True, return_response=True
    )


async def test_get_lock_usercodes_chained_and_cached(
    hass: HomeAssistant, credential_entry: ConfigEntry, credential_stick: Any
) -> None:
    lock = _lock(credential_stick)
    for slot in (1, 2, 5):
        lock.add_pin(slot, f"{3000 + slot}", name=f"User {slot}")
    lock.users[5].active = False
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    answer = (await _call(hass, "get_lock_usercodes", entity_id))["nodes"][str(LOCK_NODE)]
    assert lock.credential_gets == 3 and answer["users_number"] == 20
    assert [s["slot"] for s in answer["slots"] if s["in_use"]] == [1, 2, 5]
    assert answer["slots"][0] == {"slot": 1, "status": "enabled", "in_use": True, "name": "User 1"}
    assert answer["slots"][4]["status"] == "disabled" and answer["slots"][2]["status"] == "available"
    assert "3001" not in repr(answer)
    with_codes = (await _call(hass, "get_lock_usercodes", entity_id, include_codes=True))["nodes"][
        str(LOCK_NODE)
    ]
    assert lock.credential_gets == 3  # the checksum did not change: the cache answers
    assert with_codes["slots"][0]["code"] == "3001" and with_codes["slots"][2]["code"] is None


async def test_set_duplicate_disable_enable_clear(
    hass: HomeAssistant, credential_entry: ConfigEntry, credential_stick: Any
) -> None:
    lock = _lock(credential_stick)
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    await _call(hass, "get_lock_usercodes", entity_id)
    answer = await _call(hass, "set_lock_usercode", entity_id, code_slot=3, usercode="4321", name="Guest")
    assert answer["nodes"][str(LOCK_NODE)] == {
        "slot": 3,
        "status": "enabled",
        "in_use": True,
        "name": "Guest",
    }
    assert lock.pin(3) == "4321" and lock.users[3].name == b"Guest"

    with pytest.raises(ServiceValidationError) as err:  # known to the hub: refused before sending
        await _call(hass, "set_lock_usercode", entity_id, code_slot=4, usercode="4321")
    assert err.value.translation_key == "duplicate_user_code"
    assert err.value.translation_placeholders == {"slot": "4", "other_slot": "3"}
    assert "4321" not in str(err.value) and 4 not in lock.users

    lock.add_pin(9, "8888")  # programmed at the keypad: the lock itself reports the duplicate
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_lock_usercode", entity_id, code_slot=10, usercode="8888")
    assert err.value.translation_placeholders == {"slot": "10", "other_slot": "9"}
    assert 10 not in lock.users

    await _call(hass, "disable_lock_usercode", entity_id, code_slot=3)
    assert not lock.users[3].active and not lock.keypad_enter("4321")
    slots = (await _call(hass, "get_lock_usercodes", entity_id, refresh=True))["nodes"][str(LOCK_NODE)][
        "slots"
    ]
    assert slots[2] == {"slot": 3, "status": "disabled", "in_use": True, "name": "Guest"}
    await _call(hass, "enable_lock_usercode", entity_id, code_slot=3)
    assert lock.users[3].active and lock.keypad_enter("4321")
    await wait_for_state(hass, entity_id, lambda s: s.state == "unlocked")

    await _call(hass, "clear_lock_usercode", entity_id, code_slot=3)
    assert lock.pin(3) is None and 3 not in lock.users

    with pytest.raises(ServiceValidationError) as err:  # User Credential has no messaging status
        await _call(hass, "set_lock_usercode", entity_id, code_slot=3, usercode="1357", status="messaging")
    assert err.value.translation_key == "invalid_user_code"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_lock_usercode", entity_id, code_slot=21, usercode="1357")
    assert err.value.translation_key == "invalid_user_code"
    with pytest.raises(ServiceValidationError):
        await _call(hass, "enable_lock_usercode", entity_id, code_slot=12)


async def test_codes_never_logged_or_fired(
    hass: HomeAssistant,
    credential_entry: ConfigEntry,
    credential_stick: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """DEBUG logging everywhere: no PIN in any log record, bus event, diagnostics or answer."""
    caplog.set_level(logging.DEBUG)
    events: list[Any] = []

    @callback
    def _record(event: Any) -> None:
        if event.event_type != "call_service":  # HA echoes the caller's own service data
            events.append(event)

    unsub = hass.bus.async_listen(MATCH_ALL, _record)
    lock = _lock(credential_stick)
    lock.add_pin(7, "7140")
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    codes = {1: "918273", 2: "5647382910", 3: "6060"}
    answers = [await _call(hass, "get_lock_usercodes", entity_id)]
    for slot, code in codes.items():
        answers.append(await _call(hass, "set_lock_usercode", entity_id, code_slot=slot, usercode=code))
    await _call(hass, "disable_lock_usercode", entity_id, code_slot=2)
    answers.append(await _call(hass, "get_lock_usercodes", entity_id, refresh=True))
    assert lock.keypad_enter("918273")
    await wait_for_state(hass, entity_id, lambda s: s.state == "unlocked")
    with pytest.raises(ServiceValidationError) as dup:
        await _call(hass, "set_lock_usercode", entity_id, code_slot=5, usercode="7140")
    await hass.async_block_till_done()
    diag = await async_get_config_entry_diagnostics(hass, credential_entry)
    dev_diag = await async_get_device_diagnostics(
        hass, credential_entry, node_device(hass, credential_entry, LOCK_NODE)
    )
    unsub()
    node_diag = next(n for n in diag["nodes"] if n["node_id"] == LOCK_NODE)
    assert [s["slot"] for s in node_diag["user_codes"] if s["in_use"]] == [1, 2, 3, 7]
    haystack = "\n".join(
        [
            caplog.text,
            repr([(e.event_type, e.data) for e in events]),
            repr(diag),
            repr(dev_diag),
            repr(answers),
            str(dup.value),
            repr(dup.value),
        ]
        + [record.getMessage() for record in caplog.records]
    )
    assert "redacted" in caplog.text  # the frames were logged, masked
    for code in (*codes.values(), "7140"):
        assert code not in haystack and code.encode().hex(" ") not in haystack
