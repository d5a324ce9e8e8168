"""NVM access functions for backup/restore (protocol-facts §2.6)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ._util import require, u16
from .capability import decode_bool
from .functions import FunctionDef, FunctionType


@dataclass(frozen=True, slots=True)
class NvmId:
    """GetNVMId (0x29) response (500 series)."""

    manufacturer_id: int
    memory_type: int
    memory_size_code: int

    @property
    def size(self) -> int | None:
        """NVM size in bytes, or None if the size code is unknown."""
        if 0x0E <= self.memory_size_code <= 0x18:
            return 1 << self.memory_size_code
        return None


def decode_nvm_id(payload: bytes) -> NvmId:
    require(payload, 4, "GetNVMId")
    return NvmId(payload[1], payload[2], payload[3])


def encode_ext_nvm_read_buffer(offset: int, length: int) -> bytes:
    return offset.to_bytes(3, "big") + length.to_bytes(2, "big")


def encode_ext_nvm_write_buffer(offset: int, data: bytes) -> bytes:
    return offset.to_bytes(3, "big") + len(data).to_bytes(2, "big") + bytes(data)


class NvmOperation(IntEnum):
    """NVMOperations (0x2E) / ExtendedNVMOperations (0x3D) sub-commands."""

    OPEN = 0x00
    READ = 0x01
    WRITE = 0x02
    CLOSE = 0x03


class NvmStatus(IntEnum):
    """NVMOperations result status."""

    OK = 0x00
    ERROR = 0x01
    OPERATION_MISMATCH = 0x02
    OPERATION_INTERFERENCE = 0x03
    SUBCOMMAND_NOT_SUPPORTED = 0x04
    END_OF_FILE = 0xFF


@dataclass(frozen=True, slots=True)
class NvmOperationResult:
    """NVMOperations response; ``offset_or_size`` is the NVM size after Open."""

    status: int
    offset_or_size: int
    data: bytes

    @property
    def ok(self) -> bool:
        return self.status in (NvmStatus.OK, NvmStatus.END_OF_FILE)


def _encode_nvm_op(op: int, length: int, offset: int, data: bytes, offset_size: int) -> bytes:
    if op in (NvmOperation.OPEN, NvmOperation.CLOSE):
        return bytes((op,))
    if op == NvmOperation.WRITE:
        length = len(data)
    if not 0 <= length <= 0xFF:
        raise ValueError("NVM chunk length must fit in one byte")
    return bytes((op, length)) + offset.to_bytes(offset_size, "big") + bytes(data)


def encode_nvm_operation(op: int, length: int = 0, offset: int = 0, data: bytes = b"") -> bytes:
    """``[op]`` or ``[op][len][offset u16][data]``."""
    return _encode_nvm_op(op, length, offset, data, 2)


def encode_extended_nvm_operation(op: int, length: int = 0, offset: int = 0, data: bytes = b"") -> bytes:
    """``[op]`` or ``[op][len][offset u32][data]``."""
    return _encode_nvm_op(op, length, offset, data, 4)


def decode_nvm_operation(payload: bytes) -> NvmOperationResult:
    require(payload, 4, "NVMOperations")
    length = payload[1]
    return NvmOperationResult(payload[0], u16(payload, 2), bytes(payload[4 : 4 + length]))


def decode_extended_nvm_operation(payload: bytes) -> NvmOperationResult:
    require(payload, 6, "ExtendedNVMOperations")
    length = payload[1]
    return NvmOperationResult(payload[0], int.from_bytes(payload[2:6], "big"), bytes(payload[6 : 6 + length]))


def _nvm_ok(result: NvmOperationResult) -> bool:
    return result.ok


DEFINITIONS: tuple[FunctionDef, ...] = (
    FunctionDef(FunctionType.GET_NVM_ID, "GetNVMId", decode_response=decode_nvm_id),
    FunctionDef(
        FunctionType.EXT_NVM_READ_LONG_BUFFER,
        "ExtNVMReadLongBuffer",
        encode_request=encode_ext_nvm_read_buffer,
        decode_response=bytes,
    ),
    FunctionDef(
        FunctionType.EXT_NVM_WRITE_LONG_BUFFER,
        "ExtNVMWriteLongBuffer",
        encode_request=encode_ext_nvm_write_buffer,
        decode_response=decode_bool,
    ),
    FunctionDef(
        FunctionType.NVM_OPERATIONS,
        "NVMOperations",
        encode_request=encode_nvm_operation,
        decode_response=decode_nvm_operation,
        response_ok=_nvm_ok,
    ),
    FunctionDef(
        FunctionType.EXTENDED_NVM_OPERATIONS,
        "ExtendedNVMOperations",
        encode_request=encode_extended_nvm_operation,
        decode_response=decode_extended_nvm_operation,
        response_ok=_nvm_ok,
    ),
)
