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
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from ..errors import ZWaveError
from ..events import NodeStatus
from ..node import QueuedCommand
from ..serialapi import FunctionType, NeighborUpdateStatus
from ..serialapi.engine import Priority

if TYPE_CHECKING:
    from ..network.controller import Controller
    from ..node import Node
    from ..serialapi.engine import SerialApi

_LOGGER = logging.getLogger(__name__)

class HealStatus(StrEnum):
    """Outcome of healing one node."""

    DONE = "done"
    FAILED = "failed"
    QUEUED = "queued"  # sleeping node: healed at its next wake-up


DONE, FAILED, QUEUED = HealStatus.DONE, HealStatus.FAILED, HealStatus.QUEUED


class HealHost(Protocol):
    """What the heal needs from the driver."""

    api: SerialApi | None
    controller: Controller
    connected: bool

    @property
    def nodes(self) -> dict[int, Node]: ...




@dataclass(frozen=True, slots=True)
class HealResult:
    node_id: int
    status: HealStatus
    reason: str | None = None


def neighbor_discovery_timeout(driver: HealHost) -> float:
    """Seconds the stick may take for a neighbour update: Z-Wave JS's formula
    (76 s + 217 ms per listening node + 3517 ms per FLiRS node + 732 ms per node)."""
    nodes = [n for n in driver.nodes.values() if not n.is_controller]
    listening = sum(1 for n in nodes if n.is_listening)
    flirs = sum(1 for n in nodes if n.is_frequent_listening)
    return (76000 + 217 * listening + 3517 * flirs + 732 * len(driver.nodes)) / 1000


async def heal_node(driver: HealHost, node: Node) -> HealResult:
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
            node_id=node.node_id,
            priority=Priority.BACKGROUND,
            callback_timeout=neighbor_discovery_timeout(driver),
        )
        if result.callback is None or result.callback.status != NeighborUpdateStatus.DONE:
            return HealResult(node.node_id, FAILED, "neighbour update failed")
        if ctrl.is_suc and ctrl.supports_function(FunctionType.ASSIGN_SUC_RETURN_ROUTE):
            await _route(driver, FunctionType.ASSIGN_SUC_RETURN_ROUTE, node_id=node.node_id)
        if ctrl.supports_function(FunctionType.ASSIGN_RETURN_ROUTE):
            await _route(
                driver, FunctionType.ASSIGN_RETURN_ROUTE, node_id=node.node_id, destination_id=ctrl.own_node_id
            )
    except ZWaveError as err:
        return HealResult(node.node_id, FAILED, str(err))
    return HealResult(node.node_id, DONE)


async def _route(driver: HealHost, function: int, **args: int) -> None:
    assert driver.api is not None
    result = await driver.api.call(function, priority=Priority.BACKGROUND, **args)
    if result.callback is not None and result.callback.status != 0:
        raise ZWaveError(f"return route assignment failed (status {result.callback.status})")


async def heal_network(
    driver: HealHost, on_progress: Callable[[HealResult], None] | None = None
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
