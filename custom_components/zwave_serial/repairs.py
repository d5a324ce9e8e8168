"""Repair flows: a device unreachable for more than a day (``dead_nodes.py``) can be removed
from the network (RemoveFailedNode: the stick checks it does not answer; its Home Assistant
device goes too) or pinged (if it answers, the issue goes)."""

from __future__ import annotations

from typing import Any

from homeassistant import data_entry_flow
from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .dead_nodes import ISSUE_DEAD_NODE
from .zwave import Node, NodeNotFailed, ZWaveError


class DeadNodeRepairFlow(RepairsFlow):
    """Remove the dead device, or ping it."""

    def __init__(self, entry_id: str, node_id: int) -> None:
        self._entry_id = entry_id
        self._node_id = node_id

    def _node(self) -> tuple[Any, Node] | None:
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        runtime = getattr(entry, "runtime_data", None) if entry is not None else None
        coordinator = getattr(runtime, "coordinator", None)
        if coordinator is None or not coordinator.connected:
            return None
        node = coordinator.driver.nodes.get(self._node_id)
        return None if node is None else (coordinator.driver, node)

    def _placeholders(self) -> dict[str, str]:
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        return (
            dict(issue.translation_placeholders or {})
            if issue is not None
            else {"node_id": str(self._node_id)}
        )

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> data_entry_flow.FlowResult:
        """What to do with the unreachable device."""
        return self.async_show_menu(
            step_id="init", menu_options=["remove", "ping"], description_placeholders=self._placeholders()
        )

    async def async_step_remove(self, user_input: dict[str, str] | None = None) -> data_entry_flow.FlowResult:
        """Remove the node from the network (only if it still does not answer)."""
        found = self._node()
        if found is None:
            return self.async_abort(reason="not_running")
        driver, node = found
        try:
            await driver.failed_nodes.remove_failed(node.node_id)
        except NodeNotFailed:
            await self._ping(node)  # it answered the stick: let the driver know it is alive
            return self.async_abort(reason="node_answers", description_placeholders=self._placeholders())
        except (ZWaveError, HomeAssistantError) as err:
            placeholders = self._placeholders() | {"error": str(err)}
            return self.async_abort(reason="remove_failed", description_placeholders=placeholders)
        return self.async_create_entry(data={})

    async def async_step_ping(self, user_input: dict[str, str] | None = None) -> data_entry_flow.FlowResult:
        """Ping the node: if it answers, it is alive again and the issue goes."""
        found = self._node()
        if found is None:
            return self.async_abort(reason="not_running")
        if not await self._ping(found[1]):
            return self.async_abort(reason="still_unreachable", description_placeholders=self._placeholders())
        return self.async_create_entry(data={})

    @staticmethod
    async def _ping(node: Node) -> bool:
        try:
            return bool(await node.ping())
        except ZWaveError:
            return False


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The fix flow of one of the integration's fixable issues."""
    if issue_id.startswith(f"{ISSUE_DEAD_NODE}_") and data and "entry_id" in data and "node_id" in data:
        return DeadNodeRepairFlow(str(data["entry_id"]), int(data["node_id"]))
    return ConfirmRepairFlow()
