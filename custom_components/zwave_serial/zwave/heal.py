"""Network heal: refresh every node's neighbour list and its return routes to the controller.

Per node (listening and FLiRS nodes now, sleeping nodes when they next wake up):
RequestNodeNeighborUpdate (0x48) → AssignSUCReturnRoute (0x51, when the stick is SUC) →
AssignReturnRoute (0x46) from the node to the controller (its lifeline target).
Functions the stick does not support are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .api import Priority
from .errors import ZWaveError
from .events import NodeStatus
from .node import QueuedCommand
from .serialapi import FunctionType, NeighborUpdateStatus

if TYPE_CHECKING:
    from .driver import Driver
    from .node import Node

_LOGGER = logging.getLogger(__name__)

DONE = "done"
FAILED = "failed"
QUEUED = "queued"  # sleeping node: healed at its next wake-up


@dataclass(frozen=True, slots=True)
class HealResult:
    node_id: int
    status: str
    reason: str | None = None


def neighbor_discovery_timeout(driver: Driver) -> float:
    """Seconds the stick may take for a neighbour update (protocol-facts §2.5 formula)."""
    nodes = [n for n in driver.nodes.values() if not n.is_controller]
    listening = sum(1 for n in nodes if n.is_listening)
    flirs = sum(1 for n in nodes if n.is_frequent_listening)
    return (76000 + 217 * listening + 3517 * flirs) / 1000


async def heal_node(driver: Driver, node: Node) -> HealResult:
    """Heal one node now (it must be awake)."""
    api = driver.api
    ctrl = driver.controller
    if api is None or not driver.connected:
        return HealResult(node.node_id, FAILED, "the stick is not connected")
    try:
        if node.status is NodeStatus.DEAD and not await node.ping():
            return HealResult(node.node_id, FAILED, "the node does not answer")
        result = await api.call(
            FunctionType.REQUEST_NODE_NEIGHBOR_UPDATE,
            node.node_id,
            priority=Priority.BACKGROUND,
            callback_timeout=neighbor_discovery_timeout(driver),
        )
        if result.callback is None or result.callback.status != NeighborUpdateStatus.DONE:
            return HealResult(node.node_id, FAILED, "neighbour update failed")
        if ctrl.is_suc and ctrl.supports_function(FunctionType.ASSIGN_SUC_RETURN_ROUTE):
            await _route(driver, FunctionType.ASSIGN_SUC_RETURN_ROUTE, node.node_id)
        if ctrl.supports_function(FunctionType.ASSIGN_RETURN_ROUTE):
            await _route(driver, FunctionType.ASSIGN_RETURN_ROUTE, node.node_id, ctrl.own_node_id)
    except ZWaveError as err:
        return HealResult(node.node_id, FAILED, str(err))
    return HealResult(node.node_id, DONE)


async def _route(driver: Driver, function: int, *args: int) -> None:
    assert driver.api is not None
    result = await driver.api.call(function, *args, priority=Priority.BACKGROUND, callback_timeout=30.0)
    if result.callback is not None and result.callback.status != 0:
        raise ZWaveError(f"return route assignment failed (status {result.callback.status})")


async def heal_network(
    driver: Driver, on_progress: Callable[[HealResult], None] | None = None
) -> dict[int, HealResult]:
    """Heal every node in turn; sleeping nodes are queued for their next wake-up."""
    results: dict[int, HealResult] = {}
    for node_id, node in sorted(driver.nodes.items()):
        if node.is_controller:
            continue
        if node.is_sleeping_device and node.status is not NodeStatus.ALIVE:
            node.wakeup_queue.append(QueuedCommand(lambda n=node: heal_node(driver, n), "heal"))
            result = HealResult(node_id, QUEUED)
        else:
            result = await heal_node(driver, node)
        results[node_id] = result
        _LOGGER.info("Heal node %s: %s%s", node_id, result.status, f" ({result.reason})" if result.reason else "")
        if on_progress is not None:
            on_progress(result)
    return results
