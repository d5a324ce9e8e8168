"""Backup and restore of the stick's NVM through a running driver.

**Backup** holds the radio (a lease on the Serial API engine) only while reading: radio off,
read the whole NVM, radio on.  A 700/800 stick is soft-reset afterwards (its firmware leaves
the NVM "not properly closed" after a read), then start-up runs again.

**Restore** refuses before anything is written when the backup is corrupt, comes from the
other series and no conversion was asked, does not fit the stick, or belongs to another
network and that was not confirmed.  Then, under one lease: read the stick's current NVM
(the pre-restore backup, handed to ``on_pre_restore`` to be saved *before* any write),
convert the backup for this stick, write it, read it back and compare.  If the write or the
comparison fails, the pre-restore image is written back and verified.  Finally a soft reset,
and start-up runs with the restored memory.  Nothing is lost at any step: until the write
starts the stick is untouched; after that either the new image is verified, or the old one
is back and verified, or (the stick vanished) the pre-restore image is in the error.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import DriverNotReady, ZWaveError
from ..serialapi import FunctionType
from ..serialapi.engine import Priority
from .convert import ConversionReport, convert_for_target, parse_image
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
from .events import (
    PHASE_DONE,
    PHASE_FAILED,
    PHASE_READING,
    PHASE_RESTARTING,
    PHASE_ROLLING_BACK,
    PHASE_VERIFYING,
    PHASE_WRITING,
    NvmProgressEvent,
)
from .image import NvmDescription
from .serial import Nvm500Io, Nvm700Io

if TYPE_CHECKING:
    from ..events import DriverEvent
    from ..network.controller import Controller
    from ..serialapi.engine import RadioLease, SerialApi

_LOGGER = logging.getLogger(__name__)

PreRestoreHook = Callable[[bytes], Awaitable[None] | None]


class NvmHost(Protocol):
    """What the manager needs from the driver."""

    api: SerialApi | None
    controller: Controller
    options: Any  # DriverOptions: soft_reset_timeout

    def emit(self, event: DriverEvent) -> None: ...

    async def restart_after_reset(self) -> None: ...


@dataclass
class RestoreResult:
    """A verified restore: what was written, and the stick's image before it."""

    report: ConversionReport
    pre_restore: bytes = field(repr=False)  # a 500-series image holds the stick's S0 key
    written: int = 0
    restored: NvmDescription | None = None
    home_id: int = 0
    node_ids: list[int] = field(default_factory=list)


class _Progress:
    """Emits NvmProgressEvent at phase changes and at most once per percent."""

    def __init__(self, host: NvmHost, operation: str) -> None:
        self.host = host
        self.operation = operation
        self._last: tuple[str, int] = ("", -1)

    def phase(self, phase: str, done: int = 0, total: int = 0) -> None:
        event = NvmProgressEvent(self.operation, phase, done, total)
        self._last = (phase, event.percent)
        self.host.emit(event)

    def callback(self, phase: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            event = NvmProgressEvent(self.operation, phase, done, total)
            if (phase, event.percent) != self._last:
                self._last = (phase, event.percent)
                self.host.emit(event)

        return report


class NvmManager:
    """NVM backup and restore of the driver's stick (``driver.nvm``)."""

    def __init__(self, host: NvmHost) -> None:
        self._host = host
        self._lock = asyncio.Lock()
        #: The operation running now ("backup" / "restore"), or None.
        self.running: str | None = None

    @property
    def series(self) -> str | None:
        """"500" or "700" (also for 800-series sticks) by the functions the stick offers,
        None when it offers neither NVM interface."""
        ctrl = self._host.controller
        functions = ctrl.supported_functions
        if {FunctionType.NVM_OPERATIONS, FunctionType.EXTENDED_NVM_OPERATIONS} & functions:
            return "700"
        if {FunctionType.GET_NVM_ID, FunctionType.EXT_NVM_READ_LONG_BUFFER} <= functions:
            return "500"
        return None

    def _api(self) -> SerialApi:
        api = self._host.api
        if api is None:
            raise DriverNotReady("the Z-Wave stick is not connected")
        if self.series is None:
            raise NvmNotSupported("the stick offers no NVM backup functions")
        return api

    def _io(self, api: SerialApi, lease: RadioLease) -> Nvm500Io | Nvm700Io:
        ctrl = self._host.controller
        if self.series == "700":
            return Nvm700Io(api, lease, extended=FunctionType.EXTENDED_NVM_OPERATIONS in ctrl.supported_functions)
        return Nvm500Io(api, lease, (ctrl.manufacturer_id, ctrl.product_type, ctrl.product_id))

    async def _call(self, api: SerialApi, lease: RadioLease, function: int, *args: Any, **kwargs: Any) -> Any:
        return await api.call(function, *args, lease=lease, **kwargs)

    async def _radio(self, api: SerialApi, lease: RadioLease, on: bool) -> None:
        if FunctionType.SET_RF_RECEIVE_MODE in self._host.controller.supported_functions:
            await self._call(api, lease, FunctionType.SET_RF_RECEIVE_MODE, on)

    async def _soft_reset(self, api: SerialApi, lease: RadioLease) -> None:
        await self._call(
            api,
            lease,
            FunctionType.SOFT_RESET,
            priority=Priority.CONTROLLER,
            callback_timeout=self._host.options.soft_reset_timeout,
        )

    async def _read_all(self, io: Nvm500Io | Nvm700Io, progress: _Progress) -> bytes:
        size = await io.open()
        progress.phase(PHASE_READING, 0, size)
        try:
            return await io.read(size, progress.callback(PHASE_READING))
        finally:
            await io.close()

    # --- backup ------------------------------------------------------------------------

    async def backup(self) -> bytes:
        """Read the whole NVM.  Raises DriverNotReady, NvmNotSupported, NvmError or a
        Serial API error; the stick's radio is on again afterwards in every case."""
        async with self._lock:
            self.running = "backup"
            progress = _Progress(self._host, "backup")
            try:
                data = await self._backup(progress)
            except BaseException:
                progress.phase(PHASE_FAILED)
                raise
            finally:
                self.running = None
            progress.phase(PHASE_DONE, len(data), len(data))
            return data

    async def _backup(self, progress: _Progress) -> bytes:
        api = self._api()
        reset = self.series == "700"
        async with api.reserve() as lease:
            io = self._io(api, lease)
            await self._radio(api, lease, False)
            try:
                data = await self._read_all(io, progress)
            finally:
                try:
                    if reset:
                        await self._soft_reset(api, lease)
                    else:
                        await self._radio(api, lease, True)
                except ZWaveError as err:
                    _LOGGER.warning("Could not restart the stick's radio after the NVM read: %s", err)
        if reset:
            progress.phase(PHASE_RESTARTING)
            await self._host.restart_after_reset()
        return data

    # --- restore -----------------------------------------------------------------------

    def check(self, data: bytes, *, confirm_other_network: bool = False, convert: bool = False) -> NvmDescription:
        """The checks a restore makes before touching the stick; returns the backup's
        description.  Raises NvmRestoreRefused."""
        try:
            desc = parse_image(data)
        except NvmFormatError as err:
            raise NvmRestoreRefused(f"the backup is not a valid NVM image: {err}", "corrupt") from err
        except NvmNotSupported as err:
            raise NvmRestoreRefused(f"the backup cannot be restored: {err}", "not_supported") from err
        series = self.series
        if series is None:
            raise NvmRestoreRefused("the stick offers no NVM restore functions", "not_supported")
        family = "500" if desc.series == "500" else "700"
        if family != series and not convert:
            raise NvmRestoreRefused(
                f"the backup is from a {desc.series}-series stick, this is a {series}-series stick: "
                "ask for a conversion to restore it here",
                "other_series",
            )
        home_id = self._host.controller.home_id
        if desc.home_id != home_id and not confirm_other_network:
            raise NvmRestoreRefused(
                f"the backup belongs to network {desc.home_id:08x}, the stick to {home_id:08x}: "
                "confirm to replace the stick's network",
                "other_network",
            )
        return desc

    async def restore(
        self,
        data: bytes,
        *,
        confirm_other_network: bool = False,
        convert: bool = False,
        on_pre_restore: PreRestoreHook | None = None,
    ) -> RestoreResult:
        """Restore ``data`` onto the stick (see the module docstring).  Raises
        NvmRestoreRefused (nothing was written), NvmRestoreFailed (``rolled_back`` says
        whether the old image is back and verified), DriverNotReady, Serial API errors
        before the write."""
        data = bytes(data)
        self.check(data, confirm_other_network=confirm_other_network, convert=convert)
        async with self._lock:
            self.running = "restore"
            progress = _Progress(self._host, "restore")
            try:
                result = await self._restore(data, convert, on_pre_restore, progress)
            except BaseException:
                progress.phase(PHASE_FAILED)
                raise
            finally:
                self.running = None
            progress.phase(PHASE_DONE, result.written, result.written)
            return result

    async def _restore(
        self, data: bytes, convert: bool, on_pre_restore: PreRestoreHook | None, progress: _Progress
    ) -> RestoreResult:
        api = self._api()
        reset = self.series == "700"  # after opening a 700's NVM the stick needs a soft reset
        wrote = False
        try:
            async with api.reserve() as lease:
                io = self._io(api, lease)
                await self._radio(api, lease, False)
                try:
                    current = await self._read_all(io, progress)
                    image, report = self._prepare(data, current, io.size, convert)
                    await self._save_pre_restore(on_pre_restore, current)
                    if isinstance(io, Nvm500Io):
                        image = self._pad_500(image, current)
                    wrote = True
                    await self._write_verified(io, image, current, progress)
                finally:
                    try:
                        if reset or wrote:
                            progress.phase(PHASE_RESTARTING)
                            await self._soft_reset(api, lease)
                        else:
                            await self._radio(api, lease, True)
                    except ZWaveError as err:
                        _LOGGER.warning("Restarting the stick after the NVM restore: %s", err)
        finally:
            if reset or wrote:
                await self._host.restart_after_reset()
        restored = parse_image(image)
        return RestoreResult(report, current, len(image), restored, restored.home_id, restored.node_ids)

    @staticmethod
    async def _save_pre_restore(hook: PreRestoreHook | None, current: bytes) -> None:
        if hook is None:
            return
        try:
            saved = hook(current)
            if inspect.isawaitable(saved):
                await saved
        except Exception as err:
            raise NvmRestoreRefused(f"the pre-restore backup could not be saved: {err}", "pre_restore") from err

    def _prepare(self, data: bytes, current: bytes, size: int, convert: bool) -> tuple[bytes, ConversionReport]:
        """The image to write for this stick (still nothing written).  Raises NvmRestoreRefused."""
        try:
            image, report = convert_for_target(data, current, allow_other_series=convert)
        except NvmTooBig as err:
            raise NvmRestoreRefused(str(err), "too_big") from err
        except NvmConversionError as err:
            raise NvmRestoreRefused(str(err), "other_series") from err
        except NvmFormatError as err:
            raise NvmRestoreRefused(f"the backup is not a valid NVM image: {err}", "corrupt") from err
        except NvmNotSupported as err:
            raise NvmRestoreRefused(str(err), "unknown_target") from err
        if len(image) > size:
            raise NvmRestoreRefused(
                f"the image needs {len(image)} bytes and the stick's NVM has {size}", "too_big"
            )
        if self.series == "700" and len(image) != size:
            raise NvmRestoreRefused(
                f"the image has {len(image)} bytes and the stick's NVM {size}: they must be equal", "too_big"
            )
        return image, report

    @staticmethod
    def _pad_500(image: bytes, current: bytes) -> bytes:
        """A 500-series image shorter than what the stick uses now is followed by 0xFF up to
        the old end (nvmTotalEnd + 1), so no stale data of the old layout remains."""
        old_end = int.from_bytes(current[0:2], "big") + 1 if len(current) >= 2 else 0
        if old_end > len(image) and old_end <= len(current):
            return image + b"\xff" * (old_end - len(image))
        return image

    async def _write_verified(self, io: Nvm500Io | Nvm700Io, image: bytes, current: bytes, progress: _Progress) -> None:
        try:
            await self._write_and_check(io, image, progress)
            return
        except NvmError as err:
            failure: Exception = err
        except ZWaveError as err:
            failure = err
        _LOGGER.warning("NVM restore failed (%s); writing the pre-restore image back", failure)
        rollback = current[: len(image)] if isinstance(io, Nvm500Io) else current
        try:
            progress.phase(PHASE_ROLLING_BACK, 0, len(rollback))
            await self._write_and_check(io, rollback, progress, phase=PHASE_ROLLING_BACK)
        except ZWaveError as err:
            raise NvmRestoreFailed(
                f"writing the NVM failed ({failure}) and so did restoring the previous image ({err})",
                rolled_back=False,
                pre_restore=current,
            ) from err
        raise NvmRestoreFailed(
            f"writing the NVM failed ({failure}); the previous image was written back and verified",
            rolled_back=True,
            pre_restore=current,
        ) from failure

    async def _write_and_check(
        self, io: Nvm500Io | Nvm700Io, image: bytes, progress: _Progress, phase: str = PHASE_WRITING
    ) -> None:
        progress.phase(phase, 0, len(image))
        await io.open()
        try:
            await io.write(image, progress.callback(phase))
        finally:
            await io.close()
        progress.phase(PHASE_VERIFYING, 0, len(image))
        await io.open()
        try:
            back = await io.read(len(image), progress.callback(PHASE_VERIFYING))
        finally:
            await io.close()
        if back != image:
            first = next((i for i, (a, b) in enumerate(zip(back, image)) if a != b), min(len(back), len(image)))
            raise NvmVerifyError(f"the NVM read back differs from what was written at offset 0x{first:06x}", first)
