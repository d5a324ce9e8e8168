"""Interview stage for securely included nodes: which class was granted, which CCs are secure.

Like Z-Wave JS for a node included earlier: Security 2 Commands Supported Get encrypted with
each S2 key we have, highest first: the first class the node answers is its granted class;
then (no S2 class) Security Commands Supported Get over S0 when the node lists 0x98. The CCs
it supports securely join its CC list and are reached encrypted from then on. A node whose
class was known stays secure: when it does not answer, the stage fails (and is retried), it
never falls back to plain text.
"""

from __future__ import annotations

import logging
from typing import Any

from ..cc import CommandClass
from ..errors import NodeTimeout
from ..node import Node
from ..security.keys import SECURITY_CLASS_ORDER, SecurityClass

_LOGGER = logging.getLogger(__name__)


async def security_stage(driver: Any, node: Node) -> None:
    lists_s2 = node.supports(CommandClass.SECURITY_2)
    lists_s0 = node.supports(CommandClass.SECURITY)
    if not (lists_s2 or lists_s0):
        node.security_class = None
        node.secure_ccs = set()
        return
    security = driver.security
    candidates = [c for c in SECURITY_CLASS_ORDER if c.is_s2 and lists_s2 and security.has_key(c)]
    if lists_s0 and security.has_key(SecurityClass.S0_Legacy):
        candidates.append(SecurityClass.S0_Legacy)
    known = node.security_class
    if known is not None and known in candidates:
        candidates = [known]
    if not candidates:
        security.note_missing_keys(node)
        node.security_class = None
        node.secure_ccs = set()
        return
    for cls in candidates:
        ccs = await security.query_secure_ccs(node, cls)
        if ccs is None:
            _LOGGER.debug("Node %s: no answer with %s", node.node_id, cls.name)
            continue
        node.security_class = cls
        node.secure_ccs = set(ccs)
        merged = dict(node.command_classes(0))
        for cc in ccs:
            merged.setdefault(cc, node.cc_version(cc) if node.supports(cc) else 1)
        node.set_command_classes(0, merged)
        _LOGGER.info("Node %s is included with %s (%d secure command classes)", node.node_id, cls.name, len(ccs))
        return
    if known is not None:
        raise NodeTimeout(f"node {node.node_id} did not answer with its security class {known.name}", node.node_id)
    _LOGGER.info("Node %s lists security but answered with none of our keys: treated as not secure", node.node_id)
    node.security_class = None
    node.secure_ccs = set()
