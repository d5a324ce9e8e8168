"""Re-interview: forget what a node's interview learned so it runs again from the start.

Kept: the protocol data, the granted security class and DSK (they come from inclusion, not from
the interview), the values (entities keep their state until the new interview reads them
again) and the dead-since time.  Dropped: CCs and endpoints, identity (manufacturer, product,
firmware), Z-Wave Plus, the interview stage and failure.
"""

from __future__ import annotations

from typing import Any

_FORGET: dict[str, Any] = {
    "interview_stage": None,
    "ccs": {},
    "controlled_ccs": [],
    "manufacturer_id": None,
    "product_type": None,
    "product_id": None,
    "firmware_version": None,
    "zwave_plus": False,
    "values": [],  # restore_cache adds values: the stored ones stay
}


def reset_interview(node: Any) -> None:
    """Reset ``node`` (a :class:`~..node.Node`) to "not interviewed" (see the module docs)."""
    data = node.to_cache()
    data.update(_FORGET)
    node.restore_cache(data)
    node.interview_failed = None


__all__ = ["reset_interview"]
