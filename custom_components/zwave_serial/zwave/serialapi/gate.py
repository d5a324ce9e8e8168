"""The network-management gate of the transaction engine: what may start while a neighbour
update runs.

A RequestNodeNeighborUpdate (0x48) keeps the engine's queue only until its callback 0x21
("started"); its final callback 0x22 (done) / 0x23 (failed) comes seconds later and is awaited
*outside* the queue (the transaction is "detached").  Why that is safe, from the 700/800
firmware (``cmd_handlers.c``) and Z-Wave JS:

* the firmware puts a SendData on the protocol TX queue and never refuses it because another
  job is in progress; SendData keeps its callback ID in its own global
  (``funcID_ComplHandler_ZW_SendData``), not network management's, so a SendData during a
  neighbour update gets its own, correct callback;
* the controller's radio use in a neighbour update is short (it tells the node to look for its
  neighbours, later asks for the node's range info); the seconds are the *node* probing its
  neighbours.  Z-Wave JS blocks its whole send queue meanwhile but marks that as a TODO
  ("Consider making this not block the send queue", ``Controller.ts`` discoverNodeNeighbors).

What stays held until the final callback (:func:`held_by`):

* every other network-management job (another 0x48, the return-route jobs, Add/Remove node,
  failed-node jobs, SUC, NVM, resets) and radio leases (the inclusion, failed-node and NVM
  sequences take one): the protocol runs one network-management job at a time;
* a SendData / RequestNodeInfo **to the node under update**: it is busy probing and would not
  answer (openHAB's binding saw such transactions fail, openhab/org.openhab.binding.zwave PR
  1174).  It keeps its place and priority in the queue and goes out right after the update.

If the stick sends 0x22 / 0x23 without 0x21 first, the transaction simply ends there (it never
detached).
"""

from __future__ import annotations

from typing import Any

from .functions import FunctionType

#: Functions whose transaction detaches from the queue after its first (progress) callback.
DETACH_AFTER_PROGRESS = frozenset({FunctionType.REQUEST_NODE_NEIGHBOR_UPDATE})

#: Functions that go on the protocol's TX queue like any frame to a node: they may start while
#: a neighbour update runs, unless they address the node under update.
NODE_FRAMES = frozenset(
    {
        FunctionType.SEND_DATA,
        FunctionType.SEND_DATA_BRIDGE,
        FunctionType.REQUEST_NODE_INFO,
    }
)
MULTICAST_FRAMES = frozenset({FunctionType.SEND_DATA_MULTICAST, FunctionType.SEND_DATA_MULTICAST_BRIDGE})


def target_node(function: int, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int | None:
    """The node a transaction addresses (its ``node_id`` argument), None if none."""
    node = kwargs.get("node_id", args[0] if args else None)
    return node if isinstance(node, int) else None


def multicast_nodes(args: tuple[Any, ...], kwargs: dict[str, Any]) -> set[int]:
    """The nodes of a SendDataMulticast."""
    nodes = kwargs.get("node_ids", args[0] if args else ())
    try:
        return {int(n) for n in nodes}
    except TypeError:
        return set()


def held_by(
    update_node: int | None, function: int, radio_job: bool, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> bool:
    """Must a transaction wait while a neighbour update of ``update_node`` runs?  Frames to
    other nodes and the functions that only talk to the stick (no radio job) go on."""
    if function in NODE_FRAMES:
        return target_node(function, args, kwargs) == update_node
    if function in MULTICAST_FRAMES:
        return update_node in multicast_nodes(args, kwargs)
    if function in (FunctionType.SOFT_RESET, FunctionType.HARD_RESET):
        return True  # a reset would lose the update (and its final callback)
    return radio_job
