"""Typed errors of NVM backup, restore and conversion (all :class:`~..errors.ZWaveError`)."""

from __future__ import annotations

from ..errors import DecodeError, ZWaveError


class NvmError(ZWaveError):
    """Base class of the NVM errors."""


class NvmFormatError(NvmError, DecodeError):
    """The bytes are not a valid NVM image of any known format (corrupt or truncated)."""


class NvmNotSupported(NvmError):
    """A valid-looking image whose layout or file format this driver cannot handle, or a stick
    without the NVM functions."""


class NvmConversionError(NvmError):
    """The image cannot be converted to the target (it would not fit, or data would be lost
    that the caller did not allow to drop)."""


class NvmTooBig(NvmConversionError):
    """The network does not fit into the target's NVM."""


class NvmRestoreRefused(NvmError):
    """A restore was refused before anything was written to the stick.

    ``reason`` is one of ``corrupt``, ``other_series``, ``too_big``, ``other_network``,
    ``checksum``, ``unknown_target``, ``not_supported``."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class NvmVerifyError(NvmError):
    """What was read back from the stick differs from what was written."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


class NvmRestoreFailed(NvmError):
    """Writing the image failed.  ``rolled_back``: the pre-restore image was written back and
    verified (the stick is as before); otherwise ``pre_restore`` is the image to restore by hand."""

    def __init__(self, message: str, *, rolled_back: bool, pre_restore: bytes | None = None) -> None:
        super().__init__(message)
        self.rolled_back = rolled_back
        self.pre_restore = pre_restore
