"""Reading and writing the whole NVM over the Serial API (protocol-facts §2.6, §3.2, §3.3).

* 500 series: GetNVMId (0x29) gives the size; ExtNVMReadLongBuffer / WriteLongBuffer
  (0x2A / 0x2B) take absolute offsets.  Reads start at 168 bytes (48 on the Z-Stick Gen5 and
  the UZB, which answer bigger reads with nothing); an empty answer drops the chunk to 48, a
  short one to its length.  Writes carry 5 bytes fewer than a read chunk.
* 700/800 series: NVMOperations (0x2E, 16-bit offsets) or ExtendedNVMOperations (0x3D,
  32-bit offsets, used when the stick offers it): Open (answers the size), Read, Write, Close.
  The first read asks for 255 bytes and keeps what the stick gives (real firmware: 64);
  writes use the same chunk.  Status 0xFF (end of file) ends a read early.

Every call runs under the caller's radio lease (:meth:`SerialApi.reserve`), so no other
transaction gets between the chunks.  ``progress(done, total)`` is called after each chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..serialapi import FunctionType
from ..serialapi.nvm import NvmOperation, NvmStatus
from .errors import NvmError, NvmNotSupported

if TYPE_CHECKING:
    from ..serialapi.engine import RadioLease, SerialApi

Progress = Callable[[int, int], None]

#: (manufacturer, product type, product id) of 500-series sticks that need 48-byte reads.
SMALL_CHUNK_500 = {(0x0086, 0x0001, 0x005A), (0x0115, 0x0400, 0x0001)}
INITIAL_CHUNK_500 = 168
FALLBACK_CHUNK = 48
MAX_CHUNK_700 = 255
WRITE_HEADER_500 = 5


class Nvm500Io:
    """The NVM of a 500-series stick."""

    series = "500"

    def __init__(self, api: SerialApi, lease: RadioLease, product: tuple[int, int, int]) -> None:
        self.api = api
        self.lease = lease
        self.chunk = FALLBACK_CHUNK if product in SMALL_CHUNK_500 else INITIAL_CHUNK_500
        self.size = 0

    async def _call(self, function: int, *args: Any) -> Any:
        return (await self.api.call(function, *args, lease=self.lease)).response

    async def open(self) -> int:
        """The NVM size in bytes (GetNVMId)."""
        nvm_id = await self._call(FunctionType.GET_NVM_ID)
        if nvm_id.size is None:
            raise NvmNotSupported(f"the stick reports an unknown NVM size (code 0x{nvm_id.memory_size_code:02x})")
        self.size = nvm_id.size
        return self.size

    async def close(self) -> None:
        """Nothing to close on a 500-series stick."""

    async def read(self, length: int, progress: Progress | None = None, start: int = 0) -> bytes:
        """``length`` bytes from ``start``."""
        out = bytearray()
        offset = start
        while offset < start + length:
            want = min(self.chunk, start + length - offset)
            data = bytes(await self._call(FunctionType.EXT_NVM_READ_LONG_BUFFER, offset, want))
            if not data:
                if self.chunk <= FALLBACK_CHUNK:
                    raise NvmError(f"the stick returned no data at NVM offset 0x{offset:06x}")
                self.chunk = FALLBACK_CHUNK
                continue
            if len(data) < want:
                self.chunk = len(data)
            out += data[:want]
            offset += len(data[:want])
            if progress is not None:
                progress(offset - start, length)
        return bytes(out)

    async def write(self, data: bytes, progress: Progress | None = None) -> None:
        """Write ``data`` at offset 0."""
        chunk = max(1, self.chunk - WRITE_HEADER_500)
        for offset in range(0, len(data), chunk):
            part = data[offset : offset + chunk]
            if not await self._call(FunctionType.EXT_NVM_WRITE_LONG_BUFFER, offset, part):
                raise NvmError(f"the stick did not write the NVM at offset 0x{offset:06x}")
            if progress is not None:
                progress(offset + len(part), len(data))


class Nvm700Io:
    """The NVM of a 700/800-series stick (0x2E, or 0x3D when ``extended``)."""

    series = "700"

    def __init__(self, api: SerialApi, lease: RadioLease, *, extended: bool) -> None:
        self.api = api
        self.lease = lease
        self.function = FunctionType.EXTENDED_NVM_OPERATIONS if extended else FunctionType.NVM_OPERATIONS
        self.chunk = MAX_CHUNK_700
        self.probed = False
        self.size = 0
        self.is_open = False

    async def _op(self, op: int, length: int = 0, offset: int = 0, data: bytes = b"") -> Any:
        return (await self.api.call(self.function, op, length, offset, data, lease=self.lease)).response

    async def open(self) -> int:
        """Open the NVM (the stick stops its radio); returns its size."""
        result = await self._op(NvmOperation.OPEN)
        self.is_open = True
        size = result.offset_or_size
        if self.function == FunctionType.NVM_OPERATIONS and size == 0:
            size = 0x10000  # a 64 KiB NVM is announced as 0 in the 16-bit field
        self.size = size
        return size

    async def close(self) -> None:
        if self.is_open:
            self.is_open = False
            await self._op(NvmOperation.CLOSE)

    async def read(self, length: int, progress: Progress | None = None, start: int = 0) -> bytes:
        out = bytearray()
        offset = start
        while offset < start + length:
            want = min(self.chunk, start + length - offset)
            result = await self._op(NvmOperation.READ, want, offset)
            data = result.data[:want]
            if not data:
                if self.probed or self.chunk <= FALLBACK_CHUNK:
                    if result.status == NvmStatus.END_OF_FILE:
                        break
                    raise NvmError(f"the stick returned no data at NVM offset 0x{offset:06x}")
                self.chunk = FALLBACK_CHUNK
                continue
            if not self.probed:
                self.probed = True
                self.chunk = min(self.chunk, len(data))
            elif len(data) < want and result.status != NvmStatus.END_OF_FILE:
                self.chunk = len(data)
            out += data
            offset += len(data)
            if progress is not None:
                progress(offset - start, length)
            if result.status == NvmStatus.END_OF_FILE:
                break
        return bytes(out)

    async def write(self, data: bytes, progress: Progress | None = None) -> None:
        """Write ``data`` from offset 0 (the stick must be open)."""
        if not self.probed:
            await self.read(min(MAX_CHUNK_700, len(data)))  # learn the chunk size
        offset = 0
        while offset < len(data):
            part = data[offset : offset + self.chunk]
            result = await self._op(NvmOperation.WRITE, len(part), offset, part)
            offset += len(part)
            if progress is not None:
                progress(offset, len(data))
            if result.status == NvmStatus.END_OF_FILE:
                break
        if offset < len(data):
            raise NvmError(f"the stick ended the NVM at 0x{offset:06x}, before the image's end")
