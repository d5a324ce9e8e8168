"""Per-lock diagnostics (added to a node's diagnostics by ``diagnostics.py``): the Door Lock
configuration and capabilities as last reported, the code schedules if the driver keeps them,
and when the hub last set the lock's clock.  No codes (the user code slots, without codes, are
the node's ``user_codes``)."""

from __future__ import annotations

from typing import Any

from .zwave import CommandClass, Driver, Node
from .zwave.lock_config import LockConfig


def lock_diagnostics(driver: Driver, node: Node) -> dict[str, Any] | None:
    """None for a node that is not a door lock."""
    if not node.supports(CommandClass.DOOR_LOCK) or node.node_id not in driver.nodes:
        return None
    config = LockConfig(driver, node.node_id)
    cached = config.cached()
    caps = node.get_value(CommandClass.DOOR_LOCK, "lock_config_capabilities")
    out: dict[str, Any] = {
        "door_lock_version": config.version,
        "configuration": cached.as_dict() if cached is not None else None,
        "capabilities": caps if isinstance(caps, dict) else None,
    }
    try:
        from .zwave.lock_schedules import cached_schedules
    except ImportError:  # a driver without code schedules
        pass
    else:
        out["schedules"] = {str(slot): record for slot, record in cached_schedules(node).items()}
    synced = driver.timekeeper.last_sync.get(node.node_id)
    out["clock_set"] = {"via": synced[0], "at": synced[1].isoformat()} if synced else None
    return out
