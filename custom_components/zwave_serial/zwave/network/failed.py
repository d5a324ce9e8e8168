"""Failed nodes: ask the stick, remove one, replace one (protocol-facts §2.5).

* ``IsFailedNode`` (0x62) ``[node]`` → RES ``[failed≠0]``: the stick's own failed-node list,
  which its firmware fills when a node does not acknowledge (it is not our DEAD status).
* ``RemoveFailedNode`` (0x61) ``[node][cb]`` → RES start flags (0 started; 0x08 not on the
  failed list / not found; 0x10 busy; 0x02 not primary; 0x20 remove failed) → callback
  ``[cb][0 node OK (it answered) / 1 removed / 2 not removed]``.  The firmware pings the node
  first: only a node that does not answer is removed.
* ``ReplaceFailedNode`` (0x63) ``[node][cb]`` → RES flags as 0x61 → callback ``[cb][0 node
  OK]``, or ``[cb][3 ready]`` (the stick is in replace mode: put the new device in inclusion
  mode now) then ``[cb][4 done]`` / ``[cb][5 failed]``.  The new device gets the same node ID.
  As Z-Wave JS: the old node is removed (NodeRemovedEvent), then the new one is bootstrapped
  with the strategy the user chose (the stick tells nothing of its CCs; we ask for its NIF so
  ``DEFAULT`` can pick S2/S0 like an inclusion), added (NodeAddedEvent) and interviewed.

Both jobs hold the radio (one :meth:`SerialApi.reserve` lease); the replacement also claims
network management like an inclusion (``InclusionBusy`` while one runs).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..errors import CallbackTimeout, JobRefused, NodeError, NodeNotFound, ZWaveError
from ..serialapi import FunctionType, RemoveFailedStatus, ReplaceFailedStatus
from ..serialapi.application import NodeInfoUpdate
from .bootstrap_s2 import Provisioned
from .inclusion_types import (
    InclusionBusy,
    InclusionFailed,
    InclusionResult,
    InclusionState,
    InclusionStrategy,
    InclusionTimeout,
    InclusionUserCallbacks,
)

if TYPE_CHECKING:
    from ..driver import Driver
    from .provisioning import ProvisioningEntry

_LOGGER = logging.getLogger(__name__)

#: RemoveFailedNode / ReplaceFailedNode start flags (the RES).
START_NOT_PRIMARY = 0x02
START_NO_CALLBACK = 0x04
START_NOT_FOUND = 0x08
START_BUSY = 0x10
START_FAILED = 0x20
S2_CC, S0_CC = 0x9F, 0x98


class NodeNotFailed(NodeError):
    """The node answers (or is not on the stick's failed-node list): it cannot be removed or
    replaced as a failed node; exclude it instead."""


class FailedNodeError(NodeError):
    """The stick could not remove or replace the failed node (busy, not primary, failed)."""


def start_error(node_id: int, flags: int, what: str) -> NodeError:
    """The typed error for a RemoveFailedNode / ReplaceFailedNode start flags byte."""
    if flags & START_NOT_FOUND:
        return NodeNotFailed(f"node {node_id} is not on the stick's failed-node list (it answers)", node_id)
    if flags & START_BUSY:
        return FailedNodeError(f"the stick is busy; {what} node {node_id} later", node_id)
    if flags & START_NOT_PRIMARY:
        return FailedNodeError(f"only the primary controller can {what} node {node_id}", node_id)
    return FailedNodeError(f"the stick refused to {what} node {node_id} (flags 0x{flags:02X})", node_id)


class FailedNodes:
    """``driver.failed_nodes``: is_failed / remove_failed / replace_failed (see the module docs)."""

    def __init__(self, driver: Driver) -> None:
        self._driver = driver

    def _api(self) -> Any:
        driver = self._driver
        if driver.api is None or not driver.connected:
            from ..errors import DriverNotReady

            raise DriverNotReady("the Z-Wave stick is not connected")
        return driver.api

    def _node(self, node_id: int) -> Any:
        node = self._driver.nodes.get(node_id)
        if node is None or node.node_id == self._driver.own_node_id:
            raise NodeNotFound(f"node {node_id} is not a device of this network", node_id)
        return node

    async def is_failed(self, node_id: int) -> bool:
        """Whether the stick has the node on its failed-node list."""
        self._node(node_id)
        result = await self._api().call(FunctionType.IS_FAILED_NODE, node_id=node_id)
        return bool(result.response)

    async def remove_failed(self, node_id: int) -> None:
        """Remove a node that no longer answers (the stick checks that first); the node is
        forgotten (NodeRemovedEvent).  Raises NodeNotFailed, FailedNodeError, NodeNotFound."""
        self._node(node_id)
        inclusion = self._driver.inclusion
        if inclusion.state not in (InclusionState.IDLE, InclusionState.SMART_START):
            raise InclusionBusy(f"the controller is busy ({inclusion.state})")
        api = self._api()
        try:
            async with api.reserve() as lease:
                result = await api.call(FunctionType.REMOVE_FAILED_NODE, node_id=node_id, lease=lease)
        except JobRefused as err:
            raise start_error(node_id, int(err.response or 0), "remove") from None
        status = result.callback.status
        if status == RemoveFailedStatus.NODE_OK:
            raise NodeNotFailed(f"node {node_id} answered: it is not failed", node_id)
        if status != RemoveFailedStatus.REMOVED:
            raise FailedNodeError(f"the stick could not remove node {node_id} (status {status})", node_id)
        _LOGGER.info("Failed node %s removed from the network", node_id)
        self._driver.forget_node(node_id)
        entry = self._driver.provisioning.find_by_node(node_id)
        if entry is not None:
            self._driver.provisioning.update(entry.dsk, node_id=None)

    async def replace_failed(
        self,
        node_id: int,
        strategy: InclusionStrategy = InclusionStrategy.DEFAULT,
        callbacks: InclusionUserCallbacks | None = None,
        *,
        provisioning: ProvisioningEntry | None = None,
        timeout: float | None = None,
    ) -> InclusionResult:
        """Replace a failed node by a new device with the same node ID: the stick enters
        replace mode (put the new device in inclusion mode), then the device is secured
        (``strategy``; ``provisioning``: its DSK and classes, S2 without asking) and
        interviewed.  Raises NodeNotFailed, FailedNodeError, InclusionBusy, InclusionTimeout,
        InclusionFailed, NodeNotFound."""
        self._node(node_id)
        driver = self._driver
        inclusion = driver.inclusion
        wait = timeout or driver.options.inclusion_timeout
        provisioned = (
            None if provisioning is None else Provisioned(provisioning.dsk, provisioning.security_classes)
        )
        async with inclusion._running(InclusionState.INCLUDING):
            api = self._api()

            def progress(cb: Any) -> None:
                if cb.status == ReplaceFailedStatus.READY_TO_REPLACE:
                    _LOGGER.info("Node %s can be replaced: put the new device in inclusion mode", node_id)
                    inclusion._set_state(InclusionState.INCLUDING, node_id)

            try:
                async with api.reserve() as lease:
                    await inclusion._leave_smart_start(lease)
                    result = await api.call(
                        FunctionType.REPLACE_FAILED_NODE,
                        node_id=node_id,
                        lease=lease,
                        callback_timeout=wait,
                        on_progress=progress,
                    )
            except JobRefused as err:
                raise start_error(node_id, int(err.response or 0), "replace") from None
            except CallbackTimeout:
                raise InclusionTimeout(f"no device replaced node {node_id} in time") from None
            status = result.callback.status
            if status == ReplaceFailedStatus.NODE_OK:
                raise NodeNotFailed(f"node {node_id} answered: it is not failed", node_id)
            if status != ReplaceFailedStatus.REPLACE_DONE:
                raise InclusionFailed(f"replacing node {node_id} failed (status {status})")
            _LOGGER.info("Node %s was replaced by a new device", node_id)
            driver.forget_node(node_id)  # the old device: NodeRemovedEvent, cache and keys gone
            nif = await self._node_info(node_id, strategy)
            return await inclusion._secure_and_add(node_id, nif, strategy, callbacks, provisioned)

    async def _node_info(self, node_id: int, strategy: InclusionStrategy) -> NodeInfoUpdate:
        """The new device's NIF; without it (it did not answer), the CCs the strategy needs."""
        nif = NodeInfoUpdate(node_id, 0, 0, 0, [], [])
        try:
            nif = await self._api().request_node_info(node_id, timeout=self._driver.options.node_info_timeout)
        except ZWaveError as err:
            _LOGGER.debug("Node info of the replacement %s: %s", node_id, err)
        wanted = {InclusionStrategy.S2: S2_CC, InclusionStrategy.S0: S0_CC}.get(strategy)
        if wanted is None or wanted in nif.supported_ccs:
            return nif
        # As Z-Wave JS: the strategy the user chose for the replacement is trusted.
        return NodeInfoUpdate(
            nif.node_id,
            nif.basic,
            nif.generic,
            nif.specific,
            [*nif.supported_ccs, wanted],
            nif.controlled_ccs,
        )


__all__ = ["FailedNodeError", "FailedNodes", "NodeNotFailed"]
