"""The virtual 700/800-series stick's NVM: an NVM3 flash image (protocol file format 5).

Written independently of the driver's parser from the format facts (protocol-facts §3.5):
20-byte page headers (magic 0xB29A, erase counters with Berger codes), objects with
Berger-coded headers, little-endian file payloads.  The 700 image is 48 KiB (application
pages below 0x3000, protocol pages above); the 800 option uses the shared 40 KiB file
system with 8 KiB pages and the 800 application version file.
"""

from __future__ import annotations

from .ccutil import bitmask
from .nvm500 import NetworkFacts

SIZE_700, SIZE_800 = 0xC000, 0xA000
APP_AREA = 0x3000
SDK = (7, 19, 1)
PROTOCOL = (7, 19, 0)
FORMAT = 5


def _zeros(word: int, bits: int) -> int:
    return bits - (word & ((1 << bits) - 1)).bit_count()


def _page_header(page_size: int) -> bytes:
    count, inverse = 0, (1 << 27) - 1
    dev = 46 | 1 << 11 | 1 << 12 | ((page_size // 512).bit_length() - 1) << 13
    return (
        b"\x01\x00\x9a\xb2"
        + (count | _zeros(count, 27) << 27).to_bytes(4, "little")
        + (inverse | _zeros(inverse, 27) << 27).to_bytes(4, "little")
        + b"\xff\xff\xff\xff"
        + dev.to_bytes(2, "little")
        + b"\xff\xff"
    )


def _object(key: int, data: bytes) -> bytes:
    if len(data) <= 120:
        hdr = (7 + len(data)) | key << 7
        hdr |= _zeros(hdr, 27) << 27
        out = hdr.to_bytes(4, "little") + data
    else:
        hdr1 = key << 7  # data large, not fragmented
        hdr2 = len(data) | (_zeros(hdr1, 32) + _zeros(len(data), 26)) << 26
        out = hdr1.to_bytes(4, "little") + hdr2.to_bytes(4, "little") + data
    return out + b"\xff" * (-len(out) % 4)


def _files(facts: NetworkFacts, shared: bool) -> tuple[list[tuple[int, bytes]], list[tuple[int, bytes]]]:
    version = bytes((SDK[2], SDK[1], SDK[0], 0))
    app = [
        (0x41000 if shared else 0x51000, version),
        (0x66, bytes((0x01, 0x02, 0x01))),  # listening static PC controller
        (0x67, bytes(108)),
        (0x68, bytes((0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x8C, 0x00))),  # EU, 0 dBm, max 14 dBm
    ]
    proto = [(0x50000, bytes((PROTOCOL[2], PROTOCOL[1], PROTOCOL[0], FORMAT)))]
    infos: dict[int, bytearray] = {}
    for node_id, (info, generic, specific) in sorted(facts.nodes.items()):
        entry = info[:3] + bytes((generic, specific))
        entry += bitmask(sorted(facts.neighbors.get(node_id, ())), start=1, length=29)
        entry += b"\xff" if node_id == facts.own_node_id else b"\xfe"
        buf = infos.setdefault(0x50200 + (node_id - 1) // 4, bytearray(b"\xff" * 140))
        at = (node_id - 1) % 4 * 35
        buf[at : at + 35] = entry
    proto += [(key, bytes(buf)) for key, buf in infos.items()]
    proto.append((0x50005, bitmask(sorted(facts.nodes), start=1, length=29)))
    is_suc = facts.suc_node_id == facts.own_node_id
    config = 0x08 | (0x14 if is_suc else 0)
    info = (
        facts.home_id.to_bytes(4, "big")
        + facts.own_node_id.to_bytes(2, "little")
        + facts.suc_node_id.to_bytes(2, "little")
        + (0xFF).to_bytes(2, "little")  # last LR node id
        + bytes((facts.last_node_id, 0))
        + bytes(2)  # max LR node id
        + bytes((facts.last_node_id, config))
        + bytes(2)  # reserved LR id
        + bytes((0, 0, 1, 0xFF))  # reserved id, system state, LR channel, DC/DC
    )
    proto.append((0x50004, info))
    for key in (0x50006, 0x50007, 0x50008, 0x50009, 0x5000A, 0x5000B):
        proto.append((key, bytes(29)))
    proto.append((0x5000C, bytes(128)))
    return app, proto


def build(facts: NetworkFacts, *, shared: bool = False) -> bytes:
    """A fresh NVM3 image holding ``facts``."""
    size, page = (SIZE_800, 8192) if shared else (SIZE_700, 2048)
    img = bytearray(b"\xff" * size)
    for offset in range(0, size, page):
        img[offset : offset + 20] = _page_header(page)
    app, proto = _files(facts, shared)
    rings = [(0, size, app + proto)] if shared else [(0, APP_AREA, app), (APP_AREA, size, proto)]
    for start, end, objects in rings:
        page_start, pos = start, start + 20
        for key, data in objects:
            obj = _object(key, data)
            if pos + len(obj) > page_start + page:
                page_start += page
                pos = page_start + 20
                if page_start >= end:
                    raise ValueError("the virtual NVM is full")
            img[pos : pos + len(obj)] = obj
            pos += len(obj)
    return bytes(img)


def _objects(img: bytes) -> dict[int, bytes] | None:
    """The newest content of every key, or None when the image is not NVM3."""
    pages = []
    offset = 0
    while offset + 20 <= len(img):
        if img[offset + 2 : offset + 4] != b"\x9a\xb2":
            return None
        dev = int.from_bytes(img[offset + 16 : offset + 18], "little")
        size = 512 << (dev >> 13 & 7)
        erase = int.from_bytes(img[offset + 4 : offset + 8], "little") & ((1 << 27) - 1)
        pages.append((erase, offset, size))
        offset += size
    if not pages:
        return None
    values: dict[int, bytes] = {}
    parts: dict[int, bytes] = {}
    for _erase, start, size in sorted(pages):
        pos, end = start + 20, start + size
        while pos + 4 <= end:
            hdr = int.from_bytes(img[pos : pos + 4], "little")
            if hdr == 0xFFFFFFFF:
                break
            kind, key = hdr & 0x7F, hdr >> 7 & 0xFFFFF
            if kind in (0, 1):
                length = int.from_bytes(img[pos + 4 : pos + 8], "little") & ((1 << 26) - 1)
                frag = hdr >> 27 & 3
                data = bytes(img[pos + 8 : pos + 8 + length])
                if frag == 0:
                    values[key] = data
                elif frag == 1:
                    parts[key] = data
                else:
                    parts[key] = parts.get(key, b"") + data
                    if frag == 3:
                        values[key] = parts.pop(key)
                pos += 8 + length
            else:
                length = kind - 7 if kind > 7 else 204 if kind == 2 else 0
                if kind == 3:
                    values.pop(key, None)
                elif kind >= 7:
                    values[key] = bytes(img[pos + 4 : pos + 4 + length])
                pos += 4 + length
            pos += -pos % 4
    return values


def parse(img: bytes) -> NetworkFacts | None:
    """The network in a restored image, or None when it is not a usable NVM3 image."""
    files = _objects(img)
    if files is None or 0x50004 not in files or 0x50005 not in files:
        return None
    fmt = files.get(0x50000, b"\x00\x00\x00\x05")[3]
    info = files[0x50004]
    if len(info) == 22:
        own, suc, last = int.from_bytes(info[4:6], "little"), int.from_bytes(info[6:8], "little"), info[10]
    elif len(info) == 13:
        own, last, suc = info[4], info[5], info[6]
    else:
        return None
    facts = NetworkFacts(int.from_bytes(info[0:4], "big"), own, suc, last_node_id=last)
    mask = files[0x50005]
    for node_id in (i * 8 + b + 1 for i, byte in enumerate(mask) for b in range(8) if byte >> b & 1):
        if fmt < 1:
            entry = files.get(0x50100 + node_id - 1, b"")
        else:
            entry = files.get(0x50200 + (node_id - 1) // 4, b"")[(node_id - 1) % 4 * 35 :][:35]
        if len(entry) < 35:
            continue
        facts.nodes[node_id] = (bytes(entry[:3]), entry[3], entry[4])
        neighbors = entry[5:34]
        facts.neighbors[node_id] = {i * 8 + b + 1 for i, byte in enumerate(neighbors) for b in range(8) if byte >> b & 1}
    return facts
