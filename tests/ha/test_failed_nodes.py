"""Dead and failed devices in Home Assistant, on the demo network (strict virtual stick, real pty):
the repair issue of a device unreachable for more than a day and its fix flow (remove / ping),
the failed-node services, re-interview (service and button), and replacing a failed device
from the options flow."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from homeassistant.components.repairs import issue_handler, repairs_flow_manager
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.zwave_serial.const import DOMAIN
from custom_components.zwave_serial.dead_nodes import dead_issue_id
from custom_components.zwave_serial.zwave import InclusionStateEvent, NodeStatus

from .conftest import entity_id_of, node_device, wait_for_state

SWITCH, DIMMER = 2, 3


async def _wait(predicate: Any, timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


def _device_target(hass: HomeAssistant, entry: ConfigEntry, node_id: int) -> dict[str, Any]:
    device = node_device(hass, entry, node_id)
    assert device is not None
    return {"device_id": device.id}


async def _power_off(hass: HomeAssistant, entry: ConfigEntry, node_id: int) -> None:
    """The device loses power; a ping finds out (three failed transmissions: dead)."""
    entry.runtime_data.demo.stick.set_dead(node_id)
    response = await hass.services.async_call(
        DOMAIN, "ping", _device_target(hass, entry, node_id), blocking=True, return_response=True
    )
    assert response == {"nodes": {str(node_id): False}}
    status = entity_id_of(hass, "sensor", f"c0ffee01.{node_id}.node.status")
    await wait_for_state(hass, status, lambda s: s.state == "dead")


async def _a_day_later(hass: HomeAssistant) -> None:
    """Let the hourly check run as if a day and a bit had passed."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(days=1, hours=1))
    await hass.async_block_till_done()


def _repairs(hass: HomeAssistant) -> Any:
    """The repairs flow manager (the repairs integration without its websocket API)."""
    if repairs_flow_manager(hass) is None:
        hass.data.setdefault("repairs", {})
        issue_handler.async_setup(hass)
    return repairs_flow_manager(hass)


async def test_failed_node_removed_through_its_repair_issue(
    hass: HomeAssistant, demo_entry: ConfigEntry
) -> None:
    """A device dead for more than a day gets a repair issue; pinging it from the fix flow while
    it is still off keeps the issue; removing it removes the node and its device."""
    issues = ir.async_get(hass)
    issue_id = dead_issue_id(demo_entry.entry_id, SWITCH)
    await _power_off(hass, demo_entry, SWITCH)
    assert issues.async_get_issue(DOMAIN, issue_id) is None  # dead for a moment only

    response = await hass.services.async_call(
        DOMAIN,
        "is_failed_node",
        _device_target(hass, demo_entry, SWITCH),
        blocking=True,
        return_response=True,
    )
    assert response == {"nodes": {str(SWITCH): True}}

    await _a_day_later(hass)
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None and issue.is_fixable and issue.translation_key == "dead_node"
    assert issue.translation_placeholders["node_id"] == str(SWITCH)
    assert issue.translation_placeholders["name"] == node_device(hass, demo_entry, SWITCH).name

    manager = _repairs(hass)
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["type"] == FlowResultType.MENU and result["menu_options"] == ["remove", "ping"]
    result = await manager.async_configure(result["flow_id"], {"next_step_id": "ping"})
    assert result["type"] == FlowResultType.ABORT and result["reason"] == "still_unreachable"
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    result = await manager.async_configure(result["flow_id"], {"next_step_id": "remove"})
    assert result["type"] == FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    driver = demo_entry.runtime_data.coordinator.driver
    assert SWITCH not in driver.nodes and SWITCH not in demo_entry.runtime_data.demo.stick.nodes
    assert node_device(hass, demo_entry, SWITCH) is None
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def test_dead_node_issue_goes_when_a_ping_answers_and_survives_a_reload(
    hass: HomeAssistant, demo_entry: ConfigEntry
) -> None:
    issues = ir.async_get(hass)
    issue_id = dead_issue_id(demo_entry.entry_id, DIMMER)
    await _power_off(hass, demo_entry, DIMMER)
    await _a_day_later(hass)
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    # A restart keeps the dead-since time (network cache): the issue stays.
    assert await hass.config_entries.async_reload(demo_entry.entry_id)
    await hass.async_block_till_done()
    node = demo_entry.runtime_data.coordinator.driver.nodes[DIMMER]
    assert node.status is NodeStatus.DEAD and node.dead_since is not None
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    demo_entry.runtime_data.demo.stick.set_dead(DIMMER, False)  # power is back
    manager = _repairs(hass)
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    result = await manager.async_configure(result["flow_id"], {"next_step_id": "ping"})
    assert result["type"] == FlowResultType.CREATE_ENTRY
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    status = entity_id_of(hass, "sensor", f"c0ffee01.{DIMMER}.node.status")
    await wait_for_state(hass, status, lambda s: s.state == "alive")


async def test_remove_failed_node_service_refuses_a_node_that_answers(
    hass: HomeAssistant, demo_entry: ConfigEntry
) -> None:
    from homeassistant.exceptions import HomeAssistantError

    target = _device_target(hass, demo_entry, SWITCH)
    try:
        await hass.services.async_call(DOMAIN, "remove_failed_node", target, blocking=True)
    except HomeAssistantError as err:
        assert err.translation_key == "node_not_failed"
    else:
        raise AssertionError("a node that answers must not be removed")
    assert SWITCH in demo_entry.runtime_data.coordinator.driver.nodes

    await _power_off(hass, demo_entry, SWITCH)
    await hass.services.async_call(DOMAIN, "remove_failed_node", target, blocking=True)
    await hass.async_block_till_done()
    assert node_device(hass, demo_entry, SWITCH) is None


async def test_reinterview_service_and_button(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    driver = demo_entry.runtime_data.coordinator.driver
    stages: list[Any] = []
    driver.subscribe(
        lambda e: stages.append((e.node_id, e.stage))
        if type(e).__name__ == "NodeInterviewStageEvent"
        else None
    )

    await hass.services.async_call(
        DOMAIN, "reinterview_node", _device_target(hass, demo_entry, SWITCH), blocking=True
    )
    assert not driver.nodes[SWITCH].ready
    await _wait(lambda: driver.nodes[SWITCH].ready)
    assert (SWITCH, "node_info") in stages and (SWITCH, "complete") in stages

    button = entity_id_of(hass, "button", f"c0ffee01.{DIMMER}.node.reinterview")
    await hass.services.async_call("button", "press", {"entity_id": button}, blocking=True)
    assert not driver.nodes[DIMMER].ready
    await _wait(lambda: driver.nodes[DIMMER].ready)
    assert (DIMMER, "complete") in stages
    light = entity_id_of(hass, "light", f"c0ffee01.{DIMMER}.0.38.current_value")
    assert hass.states.get(light).state != "unavailable"


async def _advance(hass: HomeAssistant, result: dict[str, Any]) -> dict[str, Any]:
    """Follow progress steps until the flow shows a form, a menu or ends."""
    for _ in range(400):
        if result["type"] not in (FlowResultType.SHOW_PROGRESS, FlowResultType.SHOW_PROGRESS_DONE):
            return result
        if result["type"] == FlowResultType.SHOW_PROGRESS:
            await asyncio.sleep(0.05)
            await hass.async_block_till_done()
        result = await hass.config_entries.options.async_configure(result["flow_id"])
    raise AssertionError(f"flow stuck in {result}")


async def test_replace_failed_device_from_the_options_flow(
    hass: HomeAssistant, demo_entry: ConfigEntry
) -> None:
    """Options → Replace a failed device: only dead nodes are offered; the stick checks the old
    device is gone, the new one (its button pressed) takes node 2; the device stays node 2."""
    demo = demo_entry.runtime_data.demo
    driver = demo_entry.runtime_data.coordinator.driver
    demo.stick.timing.replace_wait = 60.0
    result = await hass.config_entries.options.async_init(demo_entry.entry_id)
    assert "replace_failed_node" in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "replace_failed_node"}
    )
    assert result["type"] == FlowResultType.ABORT and result["reason"] == "no_failed_nodes"

    await _power_off(hass, demo_entry, SWITCH)
    ready = asyncio.Event()
    unsub = driver.subscribe(
        lambda e: ready.set() if isinstance(e, InclusionStateEvent) and e.node_id == SWITCH else None
    )
    result = await hass.config_entries.options.async_init(demo_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "replace_failed_node"}
    )
    assert result["type"] == FlowResultType.FORM and result["step_id"] == "replace_failed_node"
    offered = [o["value"] for o in result["data_schema"].schema["node"].config["options"]]
    assert offered == [str(SWITCH)]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"node": str(SWITCH), "security": "none"}
    )
    assert (
        result["type"] == FlowResultType.SHOW_PROGRESS and result["progress_action"] == "replace_failed_node"
    )

    await asyncio.wait_for(ready.wait(), 60)
    unsub()
    new_switch = next(n for n in demo.stick.waiting_nodes if n.dsk is None)  # the plain switch
    demo.stick.press_button(new_switch)
    result = await _advance(hass, result)
    assert result["type"] == FlowResultType.ABORT and result["reason"] == "device_replaced", result
    assert result["description_placeholders"]["node_id"] == str(SWITCH)
    assert demo.stick.nodes[SWITCH] is new_switch
    await _wait(lambda: driver.nodes[SWITCH].ready)
    await hass.async_block_till_done()
    assert node_device(hass, demo_entry, SWITCH) is not None
    status = entity_id_of(hass, "sensor", f"c0ffee01.{SWITCH}.node.status")
    await wait_for_state(hass, status, lambda s: s.state == "alive")


async def test_replace_failed_lock_with_s2_grant_and_pin(
    hass: HomeAssistant, demo_entry: ConfigEntry
) -> None:
    """Replacing the S2 lock: the add-device steps follow (grant Access Control, PIN), the new
    lock gets node 7 with S2 Access Control. The service without a DSK refuses S2."""
    from homeassistant.exceptions import ServiceValidationError

    demo = demo_entry.runtime_data.demo
    driver = demo_entry.runtime_data.coordinator.driver
    demo.stick.timing.replace_wait = 60.0
    lock_node = 7
    await _power_off(hass, demo_entry, lock_node)
    try:
        await hass.services.async_call(
            DOMAIN,
            "replace_failed_node",
            {**_device_target(hass, demo_entry, lock_node), "security": "s2"},
            blocking=True,
        )
    except ServiceValidationError as err:
        assert err.translation_key == "replace_needs_dsk"
    else:
        raise AssertionError("S2 without a DSK must be refused")

    ready = asyncio.Event()
    unsub = driver.subscribe(
        lambda e: ready.set() if isinstance(e, InclusionStateEvent) and e.node_id == lock_node else None
    )
    result = await hass.config_entries.options.async_init(demo_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "replace_failed_node"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"node": str(lock_node), "security": "s2"}
    )
    await asyncio.wait_for(ready.wait(), 60)
    unsub()
    new_lock = next(n for n in demo.stick.waiting_nodes if n.dsk is not None and not n.smart_start)
    demo.stick.press_button(new_lock)
    result = await _advance(hass, result)
    assert result["type"] == FlowResultType.FORM and result["step_id"] == "grant", result
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"security_classes": result["data_schema"].schema["security_classes"].config["options"]},
    )
    result = await _advance(hass, result)
    assert result["type"] == FlowResultType.FORM and result["step_id"] == "pin", result
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"pin": new_lock.pin})
    result = await _advance(hass, result)
    assert result["type"] == FlowResultType.ABORT and result["reason"] == "device_replaced", result
    assert result["description_placeholders"]["security_class"] == "s2_access_control"
    assert demo.stick.nodes[lock_node] is new_lock
    node = driver.nodes[lock_node]
    assert node.dsk == new_lock.dsk
    await _wait(lambda: node.ready)
