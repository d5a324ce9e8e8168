"""Options-flow step to replace a failed device: pick the dead node and the security of the new
device; the stick enters replace mode, the new device is included under the same node ID, and
the add-device steps follow (grant, PIN, key exchange, result)."""

from __future__ import annotations

import logging
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.helpers import selector

from .inclusion_flow import InclusionFlowMixin, _FlowCallbacks, class_label
from .services_network import SECURITY_STRATEGIES
from .zwave import NodeNotFailed, NodeStatus

_LOGGER = logging.getLogger(__name__)

CONF_NODE = "node"
CONF_SECURITY = "security"


class ReplaceFlowMixin(InclusionFlowMixin):
    """``replace_failed_node``: choose a dead node, then include its replacement."""

    def _dead_nodes(self) -> dict[str, str]:
        """Dead nodes (selector value -> label with the device's name)."""
        coordinator = self.config_entry.runtime_data.coordinator
        options: dict[str, str] = {}
        for node_id, node in sorted(coordinator.driver.nodes.items()):
            if node.status is not NodeStatus.DEAD or node_id == coordinator.driver.own_node_id:
                continue
            device = coordinator.device_for_node(node_id)
            name = (device.name_by_user or device.name) if device is not None else None
            options[str(node_id)] = f"{name or 'Node'} (node {node_id})"
        return options

    async def async_step_replace_failed_node(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the failed (dead) device to replace and the security of the new one."""
        if not self._loaded():
            return self.async_abort(reason="not_loaded")
        dead = self._dead_nodes()
        if not dead:
            return self.async_abort(reason="no_failed_nodes")
        if user_input is not None and user_input.get(CONF_NODE) in dead:
            node_id = int(user_input[CONF_NODE])
            strategy = SECURITY_STRATEGIES[user_input.get(CONF_SECURITY, "s2")]
            self._start(
                lambda session: self._driver.failed_nodes.replace_failed(
                    node_id, strategy, _FlowCallbacks(session), timeout=self._timeout()
                ),
                "replace",
            )
            return await self.async_step_replace_failed_node_wait()
        schema = vol.Schema(
            {
                vol.Required(CONF_NODE): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[selector.SelectOptionDict(value=k, label=v) for k, v in dead.items()],
                        mode=selector.SelectSelectorMode.LIST,
                    )
                ),
                vol.Required(CONF_SECURITY, default="s2"): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=list(SECURITY_STRATEGIES),
                        mode=selector.SelectSelectorMode.LIST,
                        translation_key="replace_security",
                    )
                ),
            }
        )
        return self.async_show_form(step_id="replace_failed_node", data_schema=schema)

    async def async_step_replace_failed_node_wait(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The stick checks the node is gone, then waits for the new device's inclusion."""
        return await self._progress_step("replace_failed_node_wait", "replace_failed_node")

    async def async_step_finish(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The replacement's result (other operations: the add/remove result)."""
        session = self._session
        if session is None or session.kind != "replace" or session.task is None or session.task.cancelled():
            return await super().async_step_finish(user_input)
        error = session.task.exception()
        if isinstance(error, NodeNotFailed):
            self._session = None
            return self.async_abort(
                reason="node_not_failed", description_placeholders={"node_id": str(error.node_id)}
            )
        if error is None and session.task.result().failure is None:
            self._session = None
            result = session.task.result()
            return self.async_abort(
                reason="device_replaced",
                description_placeholders={
                    "node_id": str(result.node_id),
                    "security_class": class_label(result.security_class),
                },
            )
        return await super().async_step_finish(user_input)
