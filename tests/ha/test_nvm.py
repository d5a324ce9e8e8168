"""Stick (NVM) backups in Home Assistant: services, button, sensor, repair issue, schedule,
options, and Home Assistant's own backups containing the stick backup."""

from __future__ import annotations

import asyncio
import json
import logging
import tarfile
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.zwave_serial.backup import async_post_backup, async_pre_backup
from custom_components.zwave_serial.const import DOMAIN
from custom_components.zwave_serial.stick_backup import (
    BACKUP_FOLDER,
    OPT_BACKUP_HOUR,
    OPT_BACKUP_KEEP,
    OPT_BACKUP_MAX_AGE,
    async_get,
)
from custom_components.zwave_serial.zwave.nvm import BackupFile, parse_image
from custom_components.zwave_serial.zwave.nvm.nvm700 import write_nvm700
from custom_components.zwave_serial.zwave.sim import BinarySwitch

from .conftest import add_manual_entry, wait_ready

BUTTON_UID = "c0ffee01.controller.backup_stick"
SENSOR_UID = "c0ffee01.controller.last_stick_backup"


@pytest.fixture
async def entry(hass: HomeAssistant, demo_stick: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[ConfigEntry]:
    """The demo stick set up through the config flow, with the configuration folder in tmp_path.

    A stick backup is hundreds of Serial API transactions: asyncio's debug mode (on in these
    tests) and debug log lines would make each one ten times slower."""
    caplog.set_level(logging.INFO, logger="custom_components.zwave_serial.zwave")
    caplog.set_level(logging.INFO, logger="serialx")
    hass.loop.set_debug(False)
    hass.config.config_dir = str(tmp_path)
    entry = await add_manual_entry(hass, demo_stick.port)
    await wait_ready(hass, entry)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


def _entity(hass: HomeAssistant, domain: str, uid: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, uid)
    assert entity_id is not None, uid
    return entity_id


def _issue(hass: HomeAssistant, entry: ConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"stick_backup_{entry.entry_id}")


async def test_backup_service_answers_with_the_file(
    hass: HomeAssistant, entry: ConfigEntry, demo_stick: Any, tmp_path: Path
) -> None:
    assert _issue(hass, entry).translation_key == "stick_backup_missing"  # no backup yet
    response = await hass.services.async_call(DOMAIN, "backup_nvm", {}, blocking=True, return_response=True)
    path = Path(response["file"])
    assert path.parent == tmp_path / BACKUP_FOLDER and path.exists()
    summary = response["summary"]
    assert summary["home_id"] == "c0ffee01" and summary["series"] == "700" and summary["size"] == 0xC000
    assert summary["nodes"] == [1, *sorted(demo_stick.stick.nodes)]
    assert json.loads(path.with_suffix(".json").read_text())["sha256"] == summary["sha256"]
    assert parse_image(path.read_bytes()).home_id == 0xC0FFEE01
    state = hass.states.get(_entity(hass, "sensor", SENSOR_UID))
    assert state.state not in ("unknown", "unavailable") and state.attributes["file"] == path.name
    assert state.attributes["progress"] is None
    assert _issue(hass, entry) is None  # the fresh backup cleared the repair issue
    assert entry.runtime_data.coordinator.driver.connected


async def test_button_backs_up_and_keeps_only_the_newest(hass: HomeAssistant, entry: ConfigEntry, tmp_path: Path) -> None:
    hass.config_entries.async_update_entry(entry, options={**entry.options, OPT_BACKUP_KEEP: 2})
    await hass.async_block_till_done()
    button = _entity(hass, "button", BUTTON_UID)
    progress: list[Any] = []
    sensor = _entity(hass, "sensor", SENSOR_UID)
    hass.bus.async_listen(
        "state_changed",
        lambda event: progress.append(event.data["new_state"].attributes.get("progress"))
        if event.data["entity_id"] == sensor
        else None,
    )
    for _ in range(3):
        await hass.services.async_call("button", "press", {"entity_id": button}, blocking=True)
    files = sorted((tmp_path / BACKUP_FOLDER).glob("*.bin"))
    assert len(files) == 2
    assert hass.states.get(sensor).attributes["file"] == files[-1].name
    assert any(p and p["operation"] == "backup" and p["phase"] == "reading" for p in progress)


async def test_restore_service(hass: HomeAssistant, entry: ConfigEntry, demo_stick: Any, tmp_path: Path) -> None:
    made = await hass.services.async_call(DOMAIN, "backup_nvm", {}, blocking=True, return_response=True)
    name = Path(made["file"]).name
    response = await hass.services.async_call(
        DOMAIN, "restore_nvm", {"file": name}, blocking=True, return_response=True
    )
    assert response["verified"] and response["home_id"] == "c0ffee01"
    assert response["nodes"] == [1, *sorted(demo_stick.stick.nodes)]
    assert response["report"]["method"] == "raw"
    assert Path(response["pre_restore_backup"]).name.endswith("_pre_restore.bin")
    await hass.async_block_till_done()  # the entry reloads on the restored memory
    assert entry.state is ConfigEntryState.LOADED and entry.unique_id == "c0ffee01"
    assert demo_stick.stick.home_id == 0xC0FFEE01


async def test_restore_refusals_write_nothing(hass: HomeAssistant, entry: ConfigEntry, demo_stick: Any, tmp_path: Path) -> None:
    made = await hass.services.async_call(DOMAIN, "backup_nvm", {}, blocking=True, return_response=True)
    folder = Path(made["file"]).parent
    desc = parse_image(Path(made["file"]).read_bytes())
    writes = demo_stick.stick.nvm.writes
    desc.controller.home_id = 0xABCD0001
    (folder / "other.bin").write_bytes(write_nvm700(desc, desc.application_version))
    (folder / "junk.bin").write_bytes(b"\x00" * 512)
    for data, key in (
        ({"file": "other.bin"}, "restore_refused"),
        ({"file": "junk.bin"}, "restore_refused"),
        ({"file": "missing.bin"}, "restore_file"),
        ({"file": "/etc/passwd"}, "restore_file"),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(DOMAIN, "restore_nvm", data, blocking=True, return_response=True)
        assert err.value.translation_key == key, data
    assert demo_stick.stick.nvm.writes == writes == 0  # nothing was written
    assert demo_stick.stick.home_id == 0xC0FFEE01


async def test_issue_when_nodes_were_added_since(hass: HomeAssistant, entry: ConfigEntry, demo_stick: Any) -> None:
    await hass.services.async_call(DOMAIN, "backup_nvm", {}, blocking=True, return_response=True)
    assert _issue(hass, entry) is None
    assert 100 not in demo_stick.stick.nodes
    demo_stick.stick.add_node(BinarySwitch(100))  # joins the network behind the backup's back
    driver = entry.runtime_data.coordinator.driver
    await driver.soft_reset()  # start-up sees node 100
    await hass.async_block_till_done()
    assert 100 in driver.nodes
    issue = _issue(hass, entry)
    assert issue is not None and issue.translation_key == "stick_backup_nodes_added"
    assert issue.translation_placeholders["nodes"] == "100"


async def test_issue_when_the_backup_is_too_old(hass: HomeAssistant, entry: ConfigEntry) -> None:
    response = await hass.services.async_call(DOMAIN, "backup_nvm", {}, blocking=True, return_response=True)
    backups = async_get(hass, entry.entry_id)
    assert backups is not None and _issue(hass, entry) is None
    # The newest backup is 31 days old (its sidecar says so); the periodic check notices.
    path = Path(response["file"])
    sidecar = json.loads(path.with_suffix(".json").read_text())
    sidecar["created"] = (dt_util.utcnow() - timedelta(days=31)).isoformat(timespec="seconds")
    backups.last = BackupFile(path, sidecar)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(hours=7))
    await hass.async_block_till_done()
    assert _issue(hass, entry).translation_key == "stick_backup_outdated"
    hass.config_entries.async_update_entry(entry, options={**entry.options, OPT_BACKUP_MAX_AGE: 0})
    await hass.async_block_till_done()
    entry = hass.config_entries.async_get_entry(entry.entry_id)
    await wait_ready(hass, entry)
    assert _issue(hass, entry) is None  # 0 days: never warn about the age


async def test_scheduled_backup(hass: HomeAssistant, entry: ConfigEntry, tmp_path: Path) -> None:
    hass.config_entries.async_update_entry(entry, options={**entry.options, OPT_BACKUP_HOUR: "4"})
    await hass.async_block_till_done()
    entry = hass.config_entries.async_get_entry(entry.entry_id)
    await wait_ready(hass, entry)
    next_run = (dt_util.now() + timedelta(days=1)).replace(hour=4, minute=30, second=0, microsecond=0)
    async_fire_time_changed(hass, next_run)
    await hass.async_block_till_done()
    async with asyncio.timeout(60):
        while not list((tmp_path / BACKUP_FOLDER).glob("*.bin")):
            await asyncio.sleep(0.05)


async def test_options_flow_stick_backup_section(hass: HomeAssistant, entry: ConfigEntry) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": "settings"})
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"heal_hour": "off", "stick_backup": {OPT_BACKUP_HOUR: "2", OPT_BACKUP_KEEP: 7, OPT_BACKUP_MAX_AGE: 14}},
    )
    assert result["type"] == "create_entry"
    assert entry.options[OPT_BACKUP_HOUR] == "2" and entry.options[OPT_BACKUP_KEEP] == 7
    assert entry.options[OPT_BACKUP_MAX_AGE] == 14 and "stick_backup" not in entry.options
    await hass.async_block_till_done()


async def test_pre_backup_hook_makes_a_fresh_backup_and_never_raises(
    hass: HomeAssistant, entry: ConfigEntry, demo_stick: Any, tmp_path: Path
) -> None:
    await async_pre_backup(hass)
    files = list((tmp_path / BACKUP_FOLDER).glob("*.bin"))
    assert len(files) == 1
    await async_pre_backup(hass)  # fresh enough: no second one
    assert len(list((tmp_path / BACKUP_FOLDER).glob("*.bin"))) == 1
    await async_post_backup(hass)
    backups = async_get(hass, entry.entry_id)
    backups.last = None  # a new backup is due, but the stick is gone
    await demo_stick.stick.unplug()
    await async_pre_backup(hass)  # logs, does not raise
    await demo_stick.stick.replug()


async def test_home_assistant_backup_contains_the_stick_backup(
    hass: HomeAssistant, entry: ConfigEntry, tmp_path: Path
) -> None:
    from homeassistant.setup import async_setup_component

    try:  # Home Assistant 2025.x: its start-up does this before any integration; gone in 2026.x
        from homeassistant.helpers.backup import async_initialize_backup
    except ImportError:
        pass
    else:
        async_initialize_backup(hass)
    assert await async_setup_component(hass, "backup", {})
    await hass.async_block_till_done()
    await hass.services.async_call("backup", "create", {}, blocking=True)
    await hass.async_block_till_done()
    archives = list((tmp_path / "backups").glob("*.tar"))
    assert len(archives) == 1
    with tarfile.open(archives[0]) as outer:
        inner_name = next(n for n in outer.getnames() if n.startswith("homeassistant.tar"))
        inner = outer.extractfile(inner_name)
        assert inner is not None
        with tarfile.open(fileobj=inner) as content:
            names = content.getnames()
    stick = [n for n in names if BACKUP_FOLDER in n and n.endswith(".bin")]
    assert stick, names[:20]
    assert any(n.endswith(".json") and BACKUP_FOLDER in n for n in names)


async def test_dead_stick_replaced_in_home_assistant(
    hass: HomeAssistant, entry: ConfigEntry, demo_stick: Any, tmp_path: Path
) -> None:
    """The user story: the 700 stick dies; its backup goes onto a new 500-series stick added as a
    second entry; the old entry moves to the new stick with its devices, and they obey it."""
    from custom_components.zwave_serial.const import CONF_PORT
    from custom_components.zwave_serial.zwave.sim import VirtualStick

    made = await hass.services.async_call(DOMAIN, "backup_nvm", {}, blocking=True, return_response=True)
    switch = _entity(hass, "switch", "c0ffee01.2.0.37.current_value")
    await demo_stick.stick.unplug()  # the old stick dies
    new = VirtualStick(home_id=0x0BADF00D, series="500", strict=True)
    new.nvm.devices_in_range.update(demo_stick.stick.nodes)  # the devices are still in the house
    port = await new.start_pty()
    try:
        temporary = await add_manual_entry(hass, port)
        assert temporary.unique_id == "0badf00d"
        with pytest.raises(ServiceValidationError):  # another series: refused without "convert"
            await hass.services.async_call(
                DOMAIN, "restore_nvm", {"config_entry_id": temporary.entry_id, "file": made["file"], "confirm": True},
                blocking=True, return_response=True,
            )  # fmt: skip
        response = await hass.services.async_call(
            DOMAIN,
            "restore_nvm",
            {"config_entry_id": temporary.entry_id, "file": made["file"], "confirm": True, "convert": True},
            blocking=True,
            return_response=True,
        )
        assert response["home_id"] == "c0ffee01" and response["report"]["method"] == "converted"
        await hass.async_block_till_done()
        assert hass.config_entries.async_get_entry(temporary.entry_id) is None
        assert entry.state is ConfigEntryState.LOADED and entry.data[CONF_PORT] == port
        assert entry.runtime_data.coordinator.driver.controller.home_id == 0xC0FFEE01
        await hass.services.async_call("switch", "turn_on", {"entity_id": switch}, blocking=True)
        assert new.nodes[2].on is True  # the same device, no re-pairing
    finally:
        if entry.state is ConfigEntryState.LOADED:
            assert await hass.config_entries.async_unload(entry.entry_id)
        await new.stop()
        await demo_stick.stick.replug()
