"""Heal one node: refresh its neighbour list, then its return routes (as Z-Wave JS's
"rebuild routes").

Per node (listening and FLiRS nodes when asked, sleeping nodes when they next wake up):

1. RequestNodeNeighborUpdate (0x48), up to :data:`NEIGHBOR_UPDATE_ATTEMPTS` times;
2. when the stick is the SUC: DeleteSUCReturnRoute (0x55) then AssignSUCReturnRoute (0x51);
3. DeleteReturnRoute (0x47): drops every return route, stale (priority) ones included;
4. AssignReturnRoute (0x46) to each association target of the node (its groups are read
   again first: Association and Multi Channel Association, any group), and to the controller
   when it is not the SUC (then step 2 did not give the node a route to it).

Every step is one Serial API call at :attr:`Priority.HEAL`, the lowest priority, so any other
command queued meanwhile goes first.  A step already on the radio is never abandoned (a
neighbour update takes seconds and cannot be interrupted): stopping withdraws
a queued step and lets the running one finish (``finish_on_cancel``); between steps a
:class:`HealControl` asked to stop ends the node's heal with :class:`HealStopped`.  Functions
the stick does not support are skipped.

**User commands to other nodes go out while a neighbour update runs.**  The engine ends the
0x48 transaction at its "started" callback and waits for "done"/"failed" outside its queue
(:mod:`..serialapi.gate`): the firmware queues a SendData meanwhile and answers it under
SendData's own callback id, and the update's seconds are spent by the *node* probing its
neighbours, not by the controller.  Until the final callback the engine holds:

* commands to the node under update (it is busy probing; openHAB's binding saw transactions
  started during an update fail, openhab/org.openhab.binding.zwave PR 1174): they keep their
  priority and go out right after the update;
* every other network-management job (the next heal step, a route job, an inclusion...).

Z-Wave JS blocks its whole send queue instead ("TODO: Consider making this not block the send
queue", ``Controller.discoverNodeNeighbors``).  So a user command to another node waits for no
heal step longer than a route job or the update's short opening exchange.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from ..cc.base import cc_info
from ..cc.ids import CommandClass
from ..errors import ZWaveError
from ..events import DriverEvent, NodeStatus
from ..serialapi import FunctionType, NeighborUpdateStatus
from ..serialapi.engine import Priority

if TYPE_CHECKING:
    from ..network.controller import Controller
    from ..node import Node
    from ..serialapi.engine import CallResult, SerialApi

_LOGGER = logging.getLogger(__name__)

#: Z-Wave JS tries each step up to 5 times; a neighbour update that fails three times in a row
#: will not succeed on the fourth try in the same minute, so we stop earlier.
NEIGHBOR_UPDATE_ATTEMPTS = 3
ROUTE_ATTEMPTS = 2
_ASSOCIATION_CCS = (CommandClass.ASSOCIATION, CommandClass.MULTI_CHANNEL_ASSOCIATION)


class HealStatus(StrEnum):
    """Heal status of one node."""

    PENDING = "pending"  # waiting for its turn
    DONE = "done"
    FAILED = "failed"
    QUEUED = "queued"  # sleeping node: healed at its next wake-up
    SKIPPED = "skipped"  # not healed (the heal was stopped before its turn)


PENDING, DONE, FAILED, QUEUED, SKIPPED = (
    HealStatus.PENDING,
    HealStatus.DONE,
    HealStatus.FAILED,
    HealStatus.QUEUED,
    HealStatus.SKIPPED,
)


class HealHost(Protocol):
    """What the heal needs from the driver."""

    api: SerialApi | None
    controller: Controller
    connected: bool

    @property
    def nodes(self) -> dict[int, Node]: ...

    def emit(self, event: DriverEvent) -> None: ...


@dataclass(frozen=True, slots=True)
class HealResult:
    node_id: int
    status: HealStatus
    reason: str | None = None


class HealStepFailed(ZWaveError):
    """One step of a node's heal failed (the node's heal stops there)."""


class HealStopped(Exception):
    """The heal was stopped between two steps of a node."""


class HealControl:
    """Stop request of a running heal, and whether its current wait may be cancelled (a heal
    step queued or on the radio with ``finish_on_cancel``) or must be let finish (a command to
    the node, e.g. reading its associations)."""

    def __init__(self) -> None:
        self.stop_requested = False
        self.cancellable = False

    def check(self) -> None:
        if self.stop_requested:
            raise HealStopped


def neighbor_discovery_timeout(driver: HealHost) -> float:
    """Seconds the stick may take for a neighbour update: Z-Wave JS's formula for a
    controller (76 s + 217 ms per listening node + 3517 ms per FLiRS node + 732 ms per node)."""
    nodes = [n for n in driver.nodes.values() if not n.is_controller]
    listening = sum(1 for n in nodes if n.is_listening)
    flirs = sum(1 for n in nodes if n.is_frequent_listening)
    return (76000 + 217 * listening + 3517 * flirs + 732 * len(driver.nodes)) / 1000


def association_targets(node: Node, own_node_id: int) -> list[int]:
    """Node ids the node sends to (every association group, any end point), without itself and
    the controller (the controller's route is the SUC return route)."""
    targets: set[int] = set()
    for vid, stored in node.values().items():
        if vid.cc not in _ASSOCIATION_CCS or vid.property not in ("nodes", "endpoints"):
            continue
        for item in getattr(stored, "value", None) or []:
            target = item[0] if isinstance(item, list | tuple) and item else item
            if isinstance(target, int) and 0 < target <= 232:
                targets.add(target)
    targets.discard(node.node_id)
    targets.discard(own_node_id)
    return sorted(targets)


async def _call(
    driver: HealHost, function: int, control: HealControl | None = None, **args: Any
) -> CallResult:
    if control is not None:
        control.check()
    if driver.api is None or not driver.connected:
        raise HealStepFailed("the stick is not connected")
    if control is not None:
        control.cancellable = True
    try:
        return await driver.api.call(function, priority=Priority.HEAL, finish_on_cancel=True, **args)
    finally:
        if control is not None:
            control.cancellable = False


async def _route(
    driver: HealHost, control: HealControl | None, function: int, what: str, **args: int
) -> None:
    """One return-route job (retried once); HealStepFailed when the node did not take it."""
    reason = ""
    for _ in range(ROUTE_ATTEMPTS):
        try:
            result = await _call(driver, function, control, **args)
        except ZWaveError as err:
            reason = str(err)
            continue
        status = getattr(result.callback, "status", 0) if result.callback is not None else 0
        if status == 0:
            return
        reason = f"transmit status {status}"
    raise HealStepFailed(f"{what} failed ({reason})")


async def update_neighbors(driver: HealHost, node: Node, control: HealControl | None = None) -> bool:
    """RequestNodeNeighborUpdate until it reports done (a few attempts); True on success."""
    for attempt in range(1, NEIGHBOR_UPDATE_ATTEMPTS + 1):
        try:
            result = await _call(
                driver,
                FunctionType.REQUEST_NODE_NEIGHBOR_UPDATE,
                control,
                node_id=node.node_id,
                callback_timeout=neighbor_discovery_timeout(driver),
            )
        except ZWaveError as err:
            _LOGGER.debug("Node %s: neighbour update attempt %d: %s", node.node_id, attempt, err)
            continue
        if result.callback is not None and result.callback.status == NeighborUpdateStatus.DONE:
            return True
        _LOGGER.debug("Node %s: neighbour update attempt %d failed", node.node_id, attempt)
    return False


async def read_associations(driver: HealHost, node: Node, control: HealControl | None = None) -> None:
    """Read the node's association groups again (the interview reads only the lifeline), so
    the return routes go to today's targets.  Errors are logged: routes to known targets only."""
    messenger = getattr(driver, "messenger", None)
    if messenger is None:
        return
    for cc in _ASSOCIATION_CCS:
        info = cc_info(cc)
        if not node.supports(cc) or info is None or info.interview is None:
            continue
        if control is not None:
            control.check()
        try:
            await info.interview(messenger.cc_context(node, 0, cc, Priority.HEAL))
        except ZWaveError as err:
            _LOGGER.debug("Node %s: association groups not read (%s)", node.node_id, err)
        return  # Multi Channel Association's groups are Association's too


async def heal_node(driver: HealHost, node: Node, control: HealControl | None = None) -> HealResult:
    """Heal one node now (it must be awake); never raises ZWaveError (a failed result instead).
    Raises HealStopped when ``control`` was asked to stop between two steps."""
    node_id = node.node_id
    ctrl = driver.controller
    if driver.api is None or not driver.connected:
        return HealResult(node_id, FAILED, "the stick is not connected")
    try:
        if node.status is NodeStatus.DEAD and not await node.ping():
            return HealResult(node_id, FAILED, "the node does not answer")
        if not await update_neighbors(driver, node, control):
            return HealResult(node_id, FAILED, "neighbour update failed")
        own = ctrl.own_node_id
        suc_route = ctrl.is_suc and ctrl.supports_function(FunctionType.ASSIGN_SUC_RETURN_ROUTE)
        if suc_route:
            if ctrl.supports_function(FunctionType.DELETE_SUC_RETURN_ROUTE):
                await _route(
                    driver,
                    control,
                    FunctionType.DELETE_SUC_RETURN_ROUTE,
                    "deleting the SUC route",
                    node_id=node_id,
                )
            await _route(
                driver, control, FunctionType.ASSIGN_SUC_RETURN_ROUTE, "the SUC return route", node_id=node_id
            )
        if ctrl.supports_function(FunctionType.ASSIGN_RETURN_ROUTE):
            await read_associations(driver, node, control)
            targets = association_targets(node, own)
            if not suc_route:
                targets.insert(0, own)
            if ctrl.supports_function(FunctionType.DELETE_RETURN_ROUTE):
                await _route(
                    driver,
                    control,
                    FunctionType.DELETE_RETURN_ROUTE,
                    "deleting the return routes",
                    node_id=node_id,
                )
            for target in targets:
                what = f"the return route to node {target}"
                await _route(
                    driver,
                    control,
                    FunctionType.ASSIGN_RETURN_ROUTE,
                    what,
                    node_id=node_id,
                    destination_id=target,
                )
    except ZWaveError as err:
        return HealResult(node_id, FAILED, str(err))
    return HealResult(node_id, DONE)


async def routing_info(driver: HealHost, node_id: int) -> set[int] | None:
    """The stick's neighbour list of a node (GetRoutingInfo 0x80), None if it cannot be read."""
    if not driver.controller.supports_function(FunctionType.GET_ROUTING_INFO):
        return None
    try:
        result = await _call(driver, FunctionType.GET_ROUTING_INFO, node_id=node_id)
    except ZWaveError as err:
        _LOGGER.debug("GetRoutingInfo of node %s: %s", node_id, err)
        return None
    return set(result.response or ())
