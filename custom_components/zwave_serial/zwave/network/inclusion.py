"""Adding and removing devices (inclusion, exclusion, SmartStart), as Z-Wave JS does it.

Add (protocol-facts §2.5): AddNodeToNetwork Any|HighPower|NetworkWide → Ready → NodeFound →
AddingSlave/AddingController (the NIF) → ProtocolDone → Stop → Done(node ID) → a second Stop
with callback ID 0.  Failed → Stop.  No device within the timeout → Stop, InclusionTimeout.
The whole sequence holds the radio (one engine lease): nothing else is sent meanwhile.
Then the device is bootstrapped (S2, or S0 when it has no S2: :mod:`.bootstrap_s2`,
:mod:`.bootstrap_s0`), added to the driver with its security class known, and interviewed.
A failed key exchange removes the device again when it no longer answers (it reset itself:
RemoveFailedNode), else it stays without security and the result says what to do.

Remove: RemoveNodeFromNetwork Any|HighPower|NetworkWide → Ready → NodeFound →
RemovingSlave/Controller(node ID) → Done → Stop with callback ID 0; the node is forgotten.

SmartStart: while the provisioning list has devices waiting and nothing else runs, the stick
is in SmartStart listen mode (AddNodeToNetwork 0x09|NetworkWide, callback ID 0).  A device on
the list that asks to join (ApplicationUpdate "SmartStart home ID received", its NWI home ID
derived from the DSK) is added with mode 0x08 and the home IDs from its DSK, and bootstrapped
with the entry's classes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import CallbackTimeout, ZWaveError
from ..events import InclusionStateEvent
from ..security.keys import SecurityClass, auth_home_id_from_dsk, dsk_from_string, highest_security_class
from ..serialapi import (
    ADD_NODE_FLAG_HIGH_POWER,
    ADD_NODE_FLAG_NETWORK_WIDE,
    AddNodeMode,
    AddRemoveStatus,
    FunctionType,
)
from ..serialapi.application import NodeInfoUpdate, UpdateType
from ..serialapi.engine import RadioLease
from .bootstrap import BootstrapHost, BootstrapOutcome, remove_if_reset
from .bootstrap_s0 import S0Bootstrap
from .bootstrap_s2 import Provisioned, S2Bootstrap
from .inclusion_types import (
    ExclusionResult,
    ExclusionTimeout,
    InclusionBusy,
    InclusionError,
    InclusionFailed,
    InclusionResult,
    InclusionState,
    InclusionStrategy,
    InclusionTimeout,
    InclusionUserCallbacks,
)
from .provisioning import ProvisioningEntry, ProvisioningList, ProvisioningStatus

if TYPE_CHECKING:
    from .controller import Controller

_LOGGER = logging.getLogger(__name__)

_FLAGS = ADD_NODE_FLAG_HIGH_POWER
_STOP = AddNodeMode.STOP | ADD_NODE_FLAG_HIGH_POWER | ADD_NODE_FLAG_NETWORK_WIDE
_ADDING = (AddRemoveStatus.ADDING_REMOVING_END_NODE, AddRemoveStatus.ADDING_REMOVING_CONTROLLER)
S2_CC, S0_CC = 0x9F, 0x98


class InclusionHost(BootstrapHost, Protocol):
    """What network management needs from the driver."""

    controller: Controller
    provisioning: ProvisioningList
    connected: bool
    ready: bool

    @property
    def nodes(self) -> dict[int, Any]: ...

    def emit(self, event: Any) -> None: ...

    async def add_included_node(
        self, node_id: int, node_info: NodeInfoUpdate | None, security_class: SecurityClass | None, dsk: str | None
    ) -> Any:
        """Create the node (its class known), announce it, interview it, cache it."""

    def forget_node(self, node_id: int) -> None:
        """Drop the node (cache, security state) and announce it."""


class InclusionController:
    """``driver.inclusion``: include / exclude / SmartStart (see the module docs)."""

    def __init__(self, host: InclusionHost) -> None:
        self._host = host
        self.state = InclusionState.IDLE
        self._bootstrap: S2Bootstrap | S0Bootstrap | None = None
        self._call: asyncio.Future[Any] | None = None  # the add/remove mode call stop() cancels
        self._stop_requested = False
        self._smart_start_lock = asyncio.Lock()
        self._waiters: dict[str, asyncio.Future[InclusionResult]] = {}
        self._listening = False  # the stick is in SmartStart listen mode

    def __repr__(self) -> str:
        return f"InclusionController(state={self.state})"

    # --- public ---------------------------------------------------------------------------

    async def include(
        self,
        strategy: InclusionStrategy = InclusionStrategy.DEFAULT,
        callbacks: InclusionUserCallbacks | None = None,
        *,
        timeout: float | None = None,
        network_wide: bool = True,
        provisioning: ProvisioningEntry | None = None,
    ) -> InclusionResult:
        """Put the stick in add mode until a device joins (press its button), then secure and
        interview it.  ``provisioning``: the device's QR code was scanned (its DSK and the
        classes to grant): S2 without asking the user.  Raises InclusionBusy,
        InclusionTimeout, InclusionFailed, DriverNotReady."""
        mode = AddNodeMode.ANY | _FLAGS | (ADD_NODE_FLAG_NETWORK_WIDE if network_wide else 0)
        provisioned = None if provisioning is None else Provisioned(provisioning.dsk, provisioning.security_classes)
        async with self._running(InclusionState.INCLUDING):
            node_id, nif = await self._add(mode, (), timeout or self._host.options.inclusion_timeout)
            return await self._secure_and_add(node_id, nif, InclusionStrategy(strategy), callbacks, provisioned)

    async def exclude(self, *, timeout: float | None = None, network_wide: bool = True) -> ExclusionResult:
        """Put the stick in remove mode until a device leaves (press its button).  Raises
        InclusionBusy, ExclusionTimeout, InclusionFailed, DriverNotReady."""
        mode = AddNodeMode.ANY | _FLAGS | (ADD_NODE_FLAG_NETWORK_WIDE if network_wide else 0)
        async with self._running(InclusionState.EXCLUDING):
            api = self._api()
            removing: list[int] = []

            def progress(cb: Any) -> None:
                if cb.status in _ADDING and cb.node_id is not None:
                    removing.append(cb.node_id)

            async with api.reserve() as lease:
                await self._leave_smart_start(lease)
                try:
                    result = await self._mode_call(
                        FunctionType.REMOVE_NODE_FROM_NETWORK, lease, mode, timeout=timeout, on_progress=progress
                    )
                except CallbackTimeout:
                    await self._stop(FunctionType.REMOVE_NODE_FROM_NETWORK, lease, with_callback=True)
                    raise ExclusionTimeout("no device left the network (remove mode timed out)") from None
                status = result.callback.status
                await self._stop(FunctionType.REMOVE_NODE_FROM_NETWORK, lease, with_callback=status != AddRemoveStatus.DONE)
            if status != AddRemoveStatus.DONE:
                raise InclusionFailed(f"removing the device failed (status {status})")
            node_id = removing[-1] if removing else (result.callback.node_id or 0)
        if node_id in self._host.nodes:
            self._host.forget_node(node_id)
        entry = self._host.provisioning.find_by_node(node_id) if node_id else None
        if entry is not None:  # Z-Wave JS: the entry is disabled, not deleted
            self._host.provisioning.update(entry.dsk, status=ProvisioningStatus.INACTIVE, node_id=None)
        _LOGGER.info("Node %s left the network", node_id)
        return ExclusionResult(node_id)

    async def stop(self) -> None:
        """Leave add/remove mode now (the waiting include/exclude raises InclusionFailed)."""
        if self._call is not None and not self._call.done():
            self._stop_requested = True
            self._call.cancel()

    async def include_smart_start(
        self, entry: ProvisioningEntry, *, timeout: float | None = None
    ) -> InclusionResult:
        """Add ``entry`` to the provisioning list and wait until that device joined (it
        announces itself while the stick listens).  Raises InclusionTimeout."""
        if self._host.provisioning.get(entry.dsk) != entry:
            self._host.provisioning.add(entry)
        future: asyncio.Future[InclusionResult] = asyncio.get_running_loop().create_future()
        self._waiters[entry.dsk] = future
        try:
            await self.update_smart_start()
            async with asyncio.timeout(timeout or self._host.options.inclusion_timeout):
                return await asyncio.shield(future)
        except TimeoutError:
            raise InclusionTimeout(f"the SmartStart device {entry.dsk[:11]}… did not join in time") from None
        finally:
            if self._waiters.get(entry.dsk) is future:
                del self._waiters[entry.dsk]

    async def update_smart_start(self) -> None:
        """Enter SmartStart listen mode when devices are waiting and nothing else runs; leave
        it when none is waiting any more."""
        host = self._host
        async with self._smart_start_lock:
            if not (host.connected and host.ready) or host.api is None:
                return
            if not host.controller.supports_function(FunctionType.ADD_NODE_TO_NETWORK):
                return
            waiting = host.provisioning.waiting
            try:
                if waiting and self.state == InclusionState.IDLE and not self._listening:
                    await host.api.call(
                        FunctionType.ADD_NODE_TO_NETWORK,
                        AddNodeMode.SMART_START_LISTEN | ADD_NODE_FLAG_NETWORK_WIDE,
                        wait_callback=False,
                    )
                    self._listening = True
                    if self.state == InclusionState.IDLE:
                        self._set_state(InclusionState.SMART_START)
                elif not waiting and self._listening and self.state == InclusionState.SMART_START:
                    await host.api.call(FunctionType.ADD_NODE_TO_NETWORK, _STOP, wait_callback=False)
                    self._listening = False
                    self._set_state(InclusionState.IDLE)
            except ZWaveError as err:
                _LOGGER.warning("SmartStart listen mode could not be changed: %s", err)

    # --- from the driver --------------------------------------------------------------------

    def handle_command(self, source: int, data: bytes) -> bool:
        """A command from a node: True when it belongs to the device being bootstrapped."""
        bootstrap = self._bootstrap
        if bootstrap is None or source != bootstrap.node_id:
            return False
        bootstrap.handle(data)
        return True

    def handle_smart_start_request(self, update: Any) -> None:
        """ApplicationUpdate "SmartStart home ID received": include the device if it is on
        the provisioning list."""
        if update.update_type != UpdateType.SMART_START_HOME_ID_RECEIVED or update.nwi_home_id is None:
            _LOGGER.debug("SmartStart Long Range inclusion request ignored (not supported)")
            return
        if self.state not in (InclusionState.IDLE, InclusionState.SMART_START):
            _LOGGER.debug("SmartStart inclusion request ignored: busy (%s)", self.state)
            return
        entry = self._host.provisioning.find_by_nwi_home_id(update.nwi_home_id)
        if entry is None or entry.status != ProvisioningStatus.ACTIVE:
            _LOGGER.debug("SmartStart inclusion request from a device not on the provisioning list")
            return
        self._set_state(InclusionState.INCLUDING)  # claimed now: a second request waits
        self._host.create_task(self._smart_start_include(entry), f"SmartStart include {entry.dsk[:11]}")

    # --- sequences -----------------------------------------------------------------------------

    async def _smart_start_include(self, entry: ProvisioningEntry) -> None:
        dsk = dsk_from_string(entry.dsk)
        mode = AddNodeMode.SMART_START_DSK | _FLAGS | ADD_NODE_FLAG_NETWORK_WIDE
        try:
            async with self._running(InclusionState.INCLUDING, claimed=True):
                node_id, nif = await self._add(
                    mode, (entry.nwi_home_id, auth_home_id_from_dsk(dsk)), self._host.options.inclusion_timeout
                )
                provisioned = Provisioned(entry.dsk, entry.security_classes)
                result = await self._secure_and_add(node_id, nif, InclusionStrategy.S2, None, provisioned)
        except ZWaveError as err:
            _LOGGER.warning("SmartStart inclusion of %s failed: %s", entry.name or entry.dsk[:11], err)
            waiter = self._waiters.get(entry.dsk)
            if waiter is not None and not waiter.done():
                waiter.set_exception(err)
            return
        if not result.removed:
            self._host.provisioning.update(entry.dsk, node_id=result.node_id)
        waiter = self._waiters.get(entry.dsk)
        if waiter is not None and not waiter.done():
            waiter.set_result(result)

    async def _add(self, mode: int, extra: tuple[int, ...], timeout: float) -> tuple[int, NodeInfoUpdate | None]:
        """The add-mode sequence inside one lease: the new node ID and its NIF."""
        api = self._api()
        found: list[NodeInfoUpdate] = []

        def progress(cb: Any) -> None:
            if cb.status in _ADDING and cb.node_info is not None:
                found.append(cb.node_info)
            if cb.status == AddRemoveStatus.NODE_FOUND:
                _LOGGER.info("A device was found; adding it")

        async with api.reserve() as lease:
            await self._leave_smart_start(lease)
            try:
                result = await self._mode_call(
                    FunctionType.ADD_NODE_TO_NETWORK, lease, mode, *extra, timeout=timeout, on_progress=progress
                )
            except CallbackTimeout:
                await self._stop(FunctionType.ADD_NODE_TO_NETWORK, lease, with_callback=True)
                raise InclusionTimeout("no device joined (add mode timed out)") from None
            if result.callback.status == AddRemoveStatus.FAILED:
                await self._stop(FunctionType.ADD_NODE_TO_NETWORK, lease, with_callback=True)
                raise InclusionFailed("the stick could not add the device (Failed)")
            done = None
            try:
                done = (await api.call(FunctionType.ADD_NODE_TO_NETWORK, _STOP, lease=lease)).callback
            except ZWaveError as err:
                _LOGGER.debug("Finishing the inclusion failed: %s", err)
            try:  # "as recommended": a second Stop, without callback
                await api.call(FunctionType.ADD_NODE_TO_NETWORK, _STOP, wait_callback=False, lease=lease)
            except ZWaveError as err:
                _LOGGER.debug("Second Stop failed: %s", err)
        node_id = done.node_id if done is not None and done.status == AddRemoveStatus.DONE else None
        if not node_id:
            raise InclusionFailed("the stick did not confirm the new node")
        if node_id in self._host.nodes or node_id >= 0xFF:
            raise InclusionFailed(f"node {node_id} is already part of the network")
        nif = next((n for n in reversed(found) if n.node_id == node_id), found[-1] if found else None)
        _LOGGER.info("Node %s joined the network", node_id)
        return node_id, nif

    async def _mode_call(self, function: int, lease: RadioLease, *args: Any, timeout: float | None, on_progress: Any) -> Any:
        """The add/remove-mode call (a stream of callbacks, ended by the table's rule);
        :meth:`stop` cancels it."""
        api = self._api()
        self._stop_requested = False
        self._call = asyncio.ensure_future(
            api.call(
                function,
                *args,
                lease=lease,
                callback_timeout=timeout or self._host.options.inclusion_timeout,
                on_progress=on_progress,
            )
        )
        try:
            return await self._call
        except asyncio.CancelledError:
            if not self._stop_requested:
                raise
            await self._stop(function, lease, with_callback=True)
            raise InclusionFailed("stopped") from None
        finally:
            self._call = None

    async def _stop(self, function: int, lease: RadioLease, *, with_callback: bool) -> None:
        try:
            await self._api().call(function, _STOP, wait_callback=with_callback, lease=lease)
        except ZWaveError as err:
            _LOGGER.debug("Stop (function 0x%02X) not confirmed: %s", function, err)

    async def _leave_smart_start(self, lease: RadioLease) -> None:
        if self._listening:
            await self._stop(FunctionType.ADD_NODE_TO_NETWORK, lease, with_callback=False)
            self._listening = False

    def reset(self) -> None:
        """The stick restarted or was reopened: it is not in any mode any more."""
        self._listening = False
        if self.state == InclusionState.SMART_START:
            self._set_state(InclusionState.IDLE)

    async def _secure_and_add(
        self,
        node_id: int,
        nif: NodeInfoUpdate | None,
        strategy: InclusionStrategy,
        callbacks: InclusionUserCallbacks | None,
        provisioned: Provisioned | None,
    ) -> InclusionResult:
        host = self._host
        self._set_state(InclusionState.BOOTSTRAPPING, node_id)
        host.security.forget_node(node_id)  # nothing of an earlier node with this ID
        ccs = set(nif.supported_ccs) if nif is not None else set()
        bootstrap: S2Bootstrap | S0Bootstrap | None = None
        if (S2_CC in ccs or provisioned is not None) and strategy in (InclusionStrategy.DEFAULT, InclusionStrategy.S2):
            bootstrap = S2Bootstrap(host, node_id, callbacks, provisioned)
        elif S0_CC in ccs and strategy in (InclusionStrategy.DEFAULT, InclusionStrategy.S0):
            bootstrap = S0Bootstrap(host, node_id)
        outcome = BootstrapOutcome()
        if bootstrap is not None:
            self._bootstrap = bootstrap
            try:
                outcome = await bootstrap.run()
            finally:
                self._bootstrap = None
        removed = outcome.failure is not None and await remove_if_reset(host, node_id)
        cls = highest_security_class(outcome.granted)
        if not removed:
            await host.add_included_node(node_id, nif, None if cls is SecurityClass.NONE else cls, outcome.dsk)
        return InclusionResult(node_id, cls, outcome.failure, outcome.dsk, removed)

    # --- state -----------------------------------------------------------------------------------

    def _api(self) -> Any:
        api = self._host.api
        if api is None or not self._host.connected:
            from ..errors import DriverNotReady

            raise DriverNotReady("the Z-Wave stick is not connected")
        return api

    def _set_state(self, state: InclusionState, node_id: int | None = None) -> None:
        if state != self.state or node_id is not None:
            self.state = state
            self._host.emit(InclusionStateEvent(state.value, node_id))

    @asynccontextmanager
    async def _running(self, state: InclusionState, *, claimed: bool = False) -> AsyncIterator[None]:
        if not claimed and self.state not in (InclusionState.IDLE, InclusionState.SMART_START):
            raise InclusionBusy(f"the controller is busy ({self.state})")
        self._api()
        self._set_state(state)
        try:
            yield
        finally:
            self._set_state(InclusionState.IDLE)
            self._host.create_task(self.update_smart_start(), "SmartStart listen mode")


__all__ = ["InclusionController", "InclusionError", "InclusionHost"]
