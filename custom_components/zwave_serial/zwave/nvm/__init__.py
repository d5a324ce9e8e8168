"""The stick's memory (NVM): backup, restore, inspection and conversion between series.

* formats, as data and pure functions: :mod:`.nvm500_layouts` / :mod:`.nvm500` (500 series,
  one layout per SDK family), :mod:`.nvm3` (the 700/800 NVM3 object store) and
  :mod:`.nvm700` (its files); both parse to one :class:`NvmDescription` (:mod:`.image`);
* :mod:`.convert`: any image to a description, and a backup converted for a target stick;
* :mod:`.serial`: the Serial API functions that read and write the NVM;
* :mod:`.manager`: :class:`NvmManager` (``driver.nvm``), backup and verified restore;
* :mod:`.files`: backup files with their JSON sidecar, retention.
"""

from __future__ import annotations

from .convert import ConversionReport, convert_for_target, convert_to, parse_image
from .errors import (
    NvmConversionError,
    NvmError,
    NvmFormatError,
    NvmNotSupported,
    NvmRestoreFailed,
    NvmRestoreRefused,
    NvmTooBig,
    NvmVerifyError,
)
from .events import NvmProgressEvent
from .files import BackupFile, list_backups, load_backup, prune, save_backup, save_pair, sidecar_for
from .image import LongRangeNode, NodeEntry, NvmDescription
from .manager import NvmManager, RestoreResult

__all__ = [
    "BackupFile",
    "ConversionReport",
    "LongRangeNode",
    "NodeEntry",
    "NvmConversionError",
    "NvmDescription",
    "NvmError",
    "NvmFormatError",
    "NvmManager",
    "NvmNotSupported",
    "NvmProgressEvent",
    "NvmRestoreFailed",
    "NvmRestoreRefused",
    "NvmTooBig",
    "NvmVerifyError",
    "RestoreResult",
    "convert_for_target",
    "convert_to",
    "list_backups",
    "load_backup",
    "parse_image",
    "prune",
    "save_backup",
    "save_pair",
    "sidecar_for",
]
