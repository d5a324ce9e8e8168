"""CCs every virtual node supports: Manufacturer Specific, Version, Z-Wave Plus Info,
Association, Multi Channel Association, Configuration, and Multi Channel (for nodes with
end points)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .ccutil import (
    CC_ASSOCIATION,
    CC_CONFIGURATION,
    CC_MANUFACTURER_SPECIFIC,
    CC_MULTI_CHANNEL,
    CC_MULTI_CHANNEL_ASSOCIATION,
    CC_VERSION,
    CC_ZWAVEPLUS_INFO,
    u16,
)

if TYPE_CHECKING:
    from .node import RxContext, VirtualNode

_LOGGER = logging.getLogger(__name__)

LIBRARY_ENHANCED_SLAVE = 0x03
PROTOCOL_VERSION = (7, 18)


def install_common(node: VirtualNode) -> None:
    """Register the common CCs on ``node`` and initialise their state."""
    node.register(CC_ZWAVEPLUS_INFO, _zwave_plus, version=2)
    node.register(CC_ASSOCIATION, _association, version=2)
    node.register(CC_MULTI_CHANNEL_ASSOCIATION, _mc_association, version=3)
    node.register(CC_VERSION, _version, version=3)
    node.register(CC_MANUFACTURER_SPECIFIC, _manufacturer, version=2)
    node.register(CC_CONFIGURATION, _configuration, version=1)


def add_config_param(node: VirtualNode, param: int, size: int, default: int) -> None:
    """Declare a Configuration parameter."""
    node.config[param] = [size, default, default]


def _zwave_plus(ctx: RxContext, cmd: int, payload: bytes) -> None:
    if cmd == 0x01:
        info = ctx.node.info
        ctx.reply(bytes((CC_ZWAVEPLUS_INFO, 0x02, 2, info.role_type, 0)) + u16(info.icon) + u16(info.icon))


def _manufacturer(ctx: RxContext, cmd: int, payload: bytes) -> None:
    info = ctx.node.info
    if cmd == 0x04:
        ctx.reply(
            bytes((CC_MANUFACTURER_SPECIFIC, 0x05))
            + u16(info.manufacturer_id)
            + u16(info.product_type)
            + u16(info.product_id)
        )
    elif cmd == 0x06:
        serial = f"SIM{ctx.node.node_id:05d}".encode()
        id_type = payload[0] & 0x07 if payload else 0
        ctx.reply(bytes((CC_MANUFACTURER_SPECIFIC, 0x07, id_type, len(serial))) + serial)


def _version(ctx: RxContext, cmd: int, payload: bytes) -> None:
    node = ctx.node
    fw = node.info.firmware
    if cmd == 0x11:
        ctx.reply(bytes((CC_VERSION, 0x12, LIBRARY_ENHANCED_SLAVE, *PROTOCOL_VERSION, fw[0], fw[1], 1, 0)))
    elif cmd == 0x13 and payload:
        cc = payload[0]
        container = node.container(ctx.endpoint) or node
        version = container.cc_versions.get(cc, node.cc_versions.get(cc, 0))
        if cc == 0x20 and container.basic_get is not None:
            version = 2
        ctx.reply(bytes((CC_VERSION, 0x14, cc, version)))
    elif cmd == 0x15:
        ctx.reply(bytes((CC_VERSION, 0x16, 0x07)))
    elif cmd == 0x17:
        body = bytearray(23)
        body[0:3] = bytes((7, 18, 2))
        body[13:16] = bytes((7, 18, 2))
        body[18:21] = bytes((fw[0], fw[1], 0))
        ctx.reply(bytes((CC_VERSION, 0x18)) + bytes(body))


def _association(ctx: RxContext, cmd: int, payload: bytes) -> None:
    node = ctx.node
    groups: dict[int, list[int]] = node.associations
    maxes: dict[int, int] = node.group_max
    if cmd == 0x01 and payload:
        group = payload[0]
        if group not in maxes:
            ctx.fail()
            return
        members = groups.setdefault(group, [])
        for nid in payload[1:]:
            if nid not in members and len(members) < maxes[group]:
                members.append(nid)
    elif cmd == 0x02:
        group = payload[0] if payload and payload[0] in maxes else 1
        members = groups.get(group, [])
        ctx.reply(bytes((CC_ASSOCIATION, 0x03, group, maxes[group], 0, *members)))
    elif cmd == 0x04:
        _remove(groups, payload[0] if payload else 0, list(payload[1:]))
    elif cmd == 0x05:
        ctx.reply(bytes((CC_ASSOCIATION, 0x06, len(maxes))))
    elif cmd == 0x0B:
        ctx.reply(bytes((CC_ASSOCIATION, 0x0C, 0)))


def _remove(groups: dict, group: int, items: list) -> None:
    selected = list(groups) if group == 0 else [group]
    for g in selected:
        if g not in groups:
            continue
        if items:
            groups[g] = [m for m in groups[g] if m not in items]
        else:
            groups[g] = []


def _mc_association(ctx: RxContext, cmd: int, payload: bytes) -> None:
    node = ctx.node
    groups: dict[int, list[int]] = node.associations
    eps: dict[int, list[tuple[int, int]]] = node.mc_associations
    maxes: dict[int, int] = node.group_max
    if cmd in (0x01, 0x04):
        group = payload[0] if payload else 0
        nodes, pairs = _split_mc(payload[1:])
        if cmd == 0x04:
            _remove(groups, group, nodes)
            _remove(eps, group, pairs)
            if not nodes and not pairs:
                _remove(eps, group, [])
            return
        if group not in maxes:
            ctx.fail()
            return
        members = groups.setdefault(group, [])
        targets = eps.setdefault(group, [])
        for nid in nodes:
            if nid not in members and len(members) + len(targets) < maxes[group]:
                members.append(nid)
        for pair in pairs:
            if pair not in targets and len(members) + len(targets) < maxes[group]:
                targets.append(pair)
    elif cmd == 0x02:
        group = payload[0] if payload and payload[0] in maxes else 1
        body = bytes(groups.get(group, []))
        pairs = eps.get(group, [])
        if pairs:
            body += b"\x00" + b"".join(bytes((n, e)) for n, e in pairs)
        ctx.reply(bytes((CC_MULTI_CHANNEL_ASSOCIATION, 0x03, group, maxes[group], 0)) + body)
    elif cmd == 0x05:
        ctx.reply(bytes((CC_MULTI_CHANNEL_ASSOCIATION, 0x06, len(maxes))))


def _split_mc(data: bytes) -> tuple[list[int], list[tuple[int, int]]]:
    if 0 in data:
        idx = data.index(0)
        nodes, rest = list(data[:idx]), data[idx + 1 :]
    else:
        nodes, rest = list(data), b""
    pairs = [(rest[i], rest[i + 1]) for i in range(0, len(rest) - 1, 2)]
    return nodes, pairs


def _configuration(ctx: RxContext, cmd: int, payload: bytes) -> None:
    params: dict[int, list[int]] = ctx.node.config
    if cmd == 0x04 and len(payload) >= 2:
        param, flags = payload[0], payload[1]
        entry = params.get(param)
        if entry is None:
            ctx.fail()
            return
        if flags & 0x80:
            entry[1] = entry[2]
            return
        size = flags & 0x07
        if size not in (1, 2, 4) or len(payload) < 2 + size:
            ctx.fail()
            return
        entry[1] = int.from_bytes(payload[2 : 2 + size], "big", signed=True)
    elif cmd == 0x05 and payload:
        param = payload[0]
        entry = params.get(param)
        if entry is None:
            return
        size, value = entry[0], entry[1]
        ctx.reply(bytes((CC_CONFIGURATION, 0x06, param, size)) + value.to_bytes(size, "big", signed=True))


def install_multi_channel(node: VirtualNode, identical: bool = True) -> None:
    """Register Multi Channel v4 (EndPoint/Capability/Find) on a node with end points."""

    def handler(ctx: RxContext, cmd: int, payload: bytes) -> None:
        eps = node.endpoints
        if cmd == 0x07:
            flags = 0x40 if identical else 0x00
            ctx.reply(bytes((CC_MULTI_CHANNEL, 0x08, flags, len(eps), 0)))
        elif cmd == 0x09 and payload:
            ep = eps.get(payload[0] & 0x7F)
            if ep is not None:
                ctx.reply(bytes((CC_MULTI_CHANNEL, 0x0A, ep.index, ep.generic, ep.specific, *ep.nif_ccs)))
        elif cmd == 0x0B and len(payload) >= 2:
            generic, specific = payload[0], payload[1]
            found = [
                e.index
                for e in eps.values()
                if generic in (0xFF, e.generic) and specific in (0xFF, e.specific)
            ]
            ctx.reply(bytes((CC_MULTI_CHANNEL, 0x0C, 0, generic, specific, *(found or [0]))))

    node.register(CC_MULTI_CHANNEL, handler, version=4)
