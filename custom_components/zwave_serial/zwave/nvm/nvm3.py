"""The NVM3 object store of 700/800-series controllers (protocol-facts §3.5), pure functions.

Flash pages (2 KiB on 700, up to 8 KiB on 800) each start with a 20-byte header; objects
follow, 4-byte aligned, each with a 4-byte (small) or 8-byte (large) little-endian header
protected by a Berger code (the count of zero bits).  Pages form a ring: objects are
appended, the newest copy of a key wins, a "deleted" object hides older copies, and large
objects may be split into fragments (first, next..., last) over consecutive pages.  A 700
image has two rings (application 0x0000-0x2FFF, protocol from 0x3000); an 800 image with the
shared file system has one.

:func:`read_store` returns the current value of every key; :func:`write_store` writes a
fresh, erased image and appends the objects in order, exactly the way Z-Wave JS's nvmedit
does (so the same content gives the same bytes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import NvmFormatError, NvmNotSupported, NvmTooBig

PAGE_HEADER_SIZE = 20
PAGE_MAGIC = 0xB29A
PAGE_COUNTER_BITS = 27
PAGE_COUNTER_MASK = (1 << PAGE_COUNTER_BITS) - 1
MIN_PAGE_SIZE = 512
APPLICATION_SIZE = 0x3000  # 700: application ring, then the protocol ring
SIZE_700 = 0xC000
SIZE_800_SHARED = 0xA000
MAX_PAGE_700 = 2048
MAX_PAGE_800 = 8192

TYPE_DATA_LARGE, TYPE_COUNTER_LARGE, TYPE_COUNTER_SMALL, TYPE_DELETED, TYPE_DATA_SMALL = 0, 1, 2, 3, 7
FRAG_NONE, FRAG_FIRST, FRAG_NEXT, FRAG_LAST = 0, 1, 2, 3
MAX_SMALL = 120
COUNTER_SIZE = 204
KEY_MASK = (1 << 20) - 1
LARGE_LEN_MASK = (1 << 26) - 1
#: Present only in an 800-series shared file system (ApplicationVersionFile800).
APP_VERSION_800_KEY = 0x41000

__all__ = ["Nvm3Meta", "Nvm3Store", "berger", "read_store", "write_store"]


def berger(word: int, bits: int = 32) -> int:
    """Berger code: the number of zero bits among the low ``bits`` bits of ``word``."""
    return bits - (word & ((1 << bits) - 1)).bit_count()


@dataclass
class Nvm3Meta:
    """How the flash is organised (kept from the target stick when converting)."""

    page_size: int = MAX_PAGE_700
    write_size: int = 1  # 1: 16-bit writes (two writes per word allowed)
    memory_mapped: bool = True
    device_family: int = 2047
    shared: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "page_size": self.page_size,
            "write_size": self.write_size,
            "memory_mapped": self.memory_mapped,
            "device_family": self.device_family,
            "shared": self.shared,
        }


@dataclass
class _Object:
    offset: int
    type: int
    key: int
    fragment: int
    header_size: int
    data_size: int

    @property
    def aligned_size(self) -> int:
        return self.header_size + ((self.data_size + 3) & ~3)


@dataclass
class _Page:
    offset: int
    erase_count: int
    page_size: int
    write_size: int
    memory_mapped: bool
    device_family: int
    objects: list[_Object] = field(default_factory=list)


def _u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset : offset + 4], "little")


def _page_header_ok(data: bytes, offset: int) -> int:
    """Validate the header's magic and erase counters; return the erase count."""
    if offset + PAGE_HEADER_SIZE > len(data):
        raise NvmFormatError("incomplete NVM3 page")
    if int.from_bytes(data[offset + 2 : offset + 4], "little") != PAGE_MAGIC:
        raise NvmFormatError(f"no NVM3 page at 0x{offset:04x}")
    version = int.from_bytes(data[offset : offset + 2], "little")
    if version != 0x01:
        raise NvmNotSupported(f"NVM3 page version {version} is not supported")
    count, inverse = _u32(data, offset + 4), _u32(data, offset + 8)
    for word in (count, inverse):
        if berger(word & PAGE_COUNTER_MASK, PAGE_COUNTER_BITS) != word >> PAGE_COUNTER_BITS:
            raise NvmFormatError(f"bad erase counter code in the NVM3 page at 0x{offset:04x}")
    if (count & PAGE_COUNTER_MASK) != (~inverse & PAGE_COUNTER_MASK):
        raise NvmFormatError(f"inconsistent erase counters in the NVM3 page at 0x{offset:04x}")
    return count & PAGE_COUNTER_MASK


def _read_page(data: bytes, offset: int) -> _Page:
    erase_count = _page_header_ok(data, offset)
    dev_info = int.from_bytes(data[offset + 16 : offset + 18], "little")
    page_size = MIN_PAGE_SIZE << ((dev_info >> 13) & 0x07)
    if page_size > 0xFFFF:  # no page size in the header: find the next page
        for bits in range(7):
            candidate = MIN_PAGE_SIZE << bits
            nxt = offset + candidate
            if nxt == len(data) or _is_page(data, nxt):
                page_size = candidate
                break
        else:
            raise NvmFormatError("cannot determine the NVM3 page size")
    if offset + page_size > len(data):
        raise NvmFormatError(f"incomplete NVM3 page at 0x{offset:04x}")
    return _Page(offset, erase_count, page_size, (dev_info >> 11) & 1, bool((dev_info >> 12) & 1), dev_info & 0x7FF)


def _is_page(data: bytes, offset: int) -> bool:
    try:
        _page_header_ok(data, offset)
    except (NvmFormatError, NvmNotSupported):
        return False
    return True


def _read_object(data: bytes, offset: int, end: int) -> _Object | None:
    if offset + 4 > end:
        return None
    hdr1 = _u32(data, offset)
    if hdr1 == 0xFFFFFFFF:
        return None  # the rest of the page is blank
    key = (hdr1 >> 7) & KEY_MASK
    kind = hdr1 & 0x7F
    if kind in (TYPE_DATA_LARGE, TYPE_COUNTER_LARGE):
        hdr2 = _u32(data, offset + 4)
        if berger(hdr1) + berger(hdr2, 26) != (hdr2 >> 26) & 0x3F:
            raise NvmFormatError(f"bad NVM3 object header code at 0x{offset:04x}")
        obj = _Object(offset, kind, key, (hdr1 >> 27) & 0x03, 8, hdr2 & LARGE_LEN_MASK)
    else:
        if berger(hdr1, 27) != hdr1 >> 27:
            raise NvmFormatError(f"bad NVM3 object header code at 0x{offset:04x}")
        size = 0
        if kind > TYPE_DATA_SMALL:
            size, kind = kind - TYPE_DATA_SMALL, TYPE_DATA_SMALL
        elif kind == TYPE_COUNTER_SMALL:
            size = COUNTER_SIZE
        obj = _Object(offset, kind, key, FRAG_NONE, 4, size)
    if offset + obj.header_size + obj.data_size > len(data):
        raise NvmFormatError(f"incomplete NVM3 object at 0x{offset:04x}")
    return obj


def _current_page(pages: list[_Page]) -> int:
    top = max(p.erase_count for p in pages)
    for predicate in (lambda p: p.erase_count == top and p.objects, lambda p: p.objects):
        for index in range(len(pages) - 1, -1, -1):
            if predicate(pages[index]):
                return index
    return 0


def _section_values(data: bytes, pages: list[_Page]) -> dict[int, bytes]:
    """The current value of every key of one ring (scanning back from the current page)."""
    if not pages:
        return {}
    current = _current_page(pages)
    values: dict[int, bytes] = {}
    done: set[int] = set()
    # Fragment chains are read backwards: LAST, NEXT..., FIRST.
    parts: dict[int, list[bytes]] = {}
    for step in range(len(pages)):
        page = pages[(current - step) % len(pages)]
        for obj in reversed(page.objects):
            key = obj.key
            if key in done:
                continue
            for other in [k for k in parts if k != key]:
                del parts[other]  # a different key interrupts a fragment chain
            payload = data[obj.offset + obj.header_size : obj.offset + obj.header_size + obj.data_size]
            if obj.type == TYPE_DELETED:
                done.add(key)
            elif obj.fragment == FRAG_NONE:
                values[key] = payload
                done.add(key)
            elif obj.fragment == FRAG_LAST:
                parts[key] = [payload]
            elif key in parts:
                parts[key].insert(0, payload)
                if obj.fragment == FRAG_FIRST:
                    values[key] = b"".join(parts.pop(key))
                    done.add(key)
    return values


@dataclass
class Nvm3Store:
    """The decoded object store: current values per ring and the flash organisation."""

    meta: Nvm3Meta
    application: dict[int, bytes]
    protocol: dict[int, bytes]

    def get(self, key: int) -> bytes | None:
        return self.protocol.get(key, self.application.get(key))


def read_store(data: bytes) -> Nvm3Store:
    """Parse an NVM3 image.  Raises NvmFormatError (not NVM3 / corrupt), NvmNotSupported."""
    data = bytes(data)
    if not data or len(data) % MIN_PAGE_SIZE:
        raise NvmFormatError("an NVM3 image is a whole number of flash pages")
    pages: list[_Page] = []
    offset = 0
    while offset < len(data):
        page = _read_page(data, offset)
        pages.append(page)
        offset += page.page_size
    shared = False
    for page in pages:
        pos = page.offset + PAGE_HEADER_SIZE
        end = page.offset + page.page_size
        while pos < end:
            obj = _read_object(data, pos, end)
            if obj is None:
                break
            page.objects.append(obj)
            shared |= obj.key == APP_VERSION_800_KEY
            pos += obj.aligned_size
    first = pages[0] if shared else next((p for p in pages if p.offset >= APPLICATION_SIZE), pages[0])
    meta = Nvm3Meta(first.page_size, first.write_size, first.memory_mapped, first.device_family, shared)
    if shared:
        return Nvm3Store(meta, _section_values(data, pages), {})
    return Nvm3Store(
        meta,
        _section_values(data, [p for p in pages if p.offset < APPLICATION_SIZE]),
        _section_values(data, [p for p in pages if p.offset >= APPLICATION_SIZE]),
    )


def _page_header(page: _Page) -> bytes:
    count = page.erase_count & PAGE_COUNTER_MASK
    inverse = ~page.erase_count & PAGE_COUNTER_MASK
    dev_info = (
        (page.device_family & 0x7FF)
        | ((page.write_size & 1) << 11)
        | (int(page.memory_mapped) << 12)
        | ((page.page_size // MIN_PAGE_SIZE).bit_length() - 1) << 13
    )
    return (
        (0x01).to_bytes(2, "little")
        + PAGE_MAGIC.to_bytes(2, "little")
        + (count | berger(count, PAGE_COUNTER_BITS) << PAGE_COUNTER_BITS).to_bytes(4, "little")
        + (inverse | berger(inverse, PAGE_COUNTER_BITS) << PAGE_COUNTER_BITS).to_bytes(4, "little")
        + (0xFFFFFFFF).to_bytes(4, "little")
        + dev_info.to_bytes(2, "little")
        + (0xFFFF).to_bytes(2, "little")
    )


def _object_bytes(key: int, data: bytes, fragment: int, large: bool) -> bytes:
    if large:
        hdr1 = TYPE_DATA_LARGE | (key & KEY_MASK) << 7 | (fragment & 0x03) << 27
        hdr2 = len(data) & LARGE_LEN_MASK
        hdr2 |= (berger(hdr1) + berger(hdr2, 26)) << 26
        header = hdr1.to_bytes(4, "little") + hdr2.to_bytes(4, "little")
    else:
        hdr1 = (TYPE_DATA_SMALL + len(data)) & 0x7F | (key & KEY_MASK) << 7
        hdr1 |= berger(hdr1, 27) << 27
        header = hdr1.to_bytes(4, "little")
    return header + data


class _Ring:
    """Appends objects to one freshly erased ring of pages (nvmedit's ``writeObjects``)."""

    def __init__(self, image: bytearray, pages: list[_Page]) -> None:
        self.image = image
        self.pages = pages
        self.current = 0
        self.offset_in_page = PAGE_HEADER_SIZE
        self.remaining = 0

    def batch(self, objects: list[tuple[int, bytes]]) -> None:
        """One ``writeObjects`` call.  nvmedit computes the space left at the start of each
        call as page size - header - offset, counting the header twice; kept so the bytes match."""
        self.remaining = self.pages[self.current].page_size - PAGE_HEADER_SIZE - self.offset_in_page
        for key, data in objects:
            self.append(key, data)

    def _next_page(self) -> None:
        self.current += 1
        if self.current >= len(self.pages):
            raise NvmTooBig("the network does not fit into the NVM3 area")
        self.offset_in_page = PAGE_HEADER_SIZE
        self.remaining = self.pages[self.current].page_size - PAGE_HEADER_SIZE

    def _write(self, key: int, data: bytes, fragment: int, large: bool) -> None:
        page = self.pages[self.current]
        raw = _object_bytes(key, data, fragment, large)
        at = page.offset + self.offset_in_page
        self.image[at : at + len(raw)] = raw
        needed = (8 if large else 4) + ((len(data) + 3) & ~3)
        self.offset_in_page += needed
        self.remaining -= needed

    def append(self, key: int, data: bytes) -> None:
        if len(data) <= MAX_SMALL:
            if 4 + ((len(data) + 3) & ~3) > self.remaining:
                self._next_page()
            self._write(key, data, FRAG_NONE, False)
            return
        if self.remaining <= 8:
            self._next_page()
        first_max = self.remaining - 8
        if len(data) <= first_max:
            self._write(key, data, FRAG_NONE, True)
            return
        next_max = self.pages[self.current].page_size - PAGE_HEADER_SIZE - 8
        pos = 0
        while pos < len(data):
            size = first_max if pos == 0 else next_max
            chunk = data[pos : pos + size]
            last = pos + size >= len(data)
            if pos:
                self._next_page()
            self._write(key, chunk, FRAG_FIRST if pos == 0 else FRAG_LAST if last else FRAG_NEXT, True)
            pos += size


Batches = list[list[tuple[int, bytes]]]


def write_store(size: int, meta: Nvm3Meta, application: Batches, protocol: Batches) -> bytes:
    """A fresh image of ``size`` bytes holding the objects, appended in the given order.

    Each ring gets a list of batches of ``(key, data)`` (a batch is one write call of the
    firmware's or nvmedit's NVM3 code).  For a shared file system everything goes into one
    ring, the application batches first."""
    max_page = MAX_PAGE_800 if meta.shared else MAX_PAGE_700
    page_size = min(meta.page_size, max_page)
    if size % page_size or (not meta.shared and (APPLICATION_SIZE % page_size)):
        raise NvmNotSupported(f"an NVM3 area of {size} bytes cannot hold pages of {page_size} bytes")
    image = bytearray(b"\xff" * size)
    pages = []
    for offset in range(0, size, page_size):
        page = _Page(offset, 0, page_size, meta.write_size, meta.memory_mapped, meta.device_family)
        image[offset : offset + PAGE_HEADER_SIZE] = _page_header(page)
        pages.append(page)
    if meta.shared:
        rings = [(pages, application + protocol)]
    else:
        rings = [
            ([p for p in pages if p.offset < APPLICATION_SIZE], application),
            ([p for p in pages if p.offset >= APPLICATION_SIZE], protocol),
        ]
    for ring_pages, batches in rings:
        ring = _Ring(image, ring_pages)
        for batch in batches:
            if batch:
                ring.batch(batch)
    return bytes(image)
