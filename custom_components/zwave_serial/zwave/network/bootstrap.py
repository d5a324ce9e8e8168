"""What S0 and S2 bootstrapping share: the host interface, the inbox of frames from the device
being bootstrapped, and the outcome.

While a device is bootstrapped the driver hands every frame from it to the bootstrap (before
the messenger, which does not know the node yet), so the key exchange runs on its own security
sessions: an S2 session holding the temporary key, an S0 session with the all-zero key.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

from ..cc import CCCommand
from ..errors import NodeNoAck, ZWaveError
from ..security.keys import SecurityClass
from ..serialapi import FunctionType, RemoveFailedStatus
from ..serialapi.engine import Priority
from .inclusion_types import BootstrapFailure

_LOGGER = logging.getLogger(__name__)


class BootstrapHost(Protocol):
    """What bootstrapping needs from the driver."""

    api: Any  # SerialApi (None while disconnected)
    options: Any  # DriverOptions: bootstrap_timeout, bootstrap_user_timeout
    security: Any  # SecurityManager: .keys (NetworkKeys or None), .s2_session()

    @property
    def own_node_id(self) -> int: ...

    @property
    def home_id(self) -> int: ...

    async def send_raw(self, node_id: int, data: bytes, priority: Any = None) -> None: ...

    def create_task(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]: ...


@dataclass(frozen=True, slots=True)
class Received:
    """A command from the device: ``security_class`` is the key it came encrypted with (None:
    plain text).  ``command`` None: a frame that did not decrypt."""

    command: CCCommand | None
    security_class: SecurityClass | None = None


@dataclass(frozen=True, slots=True)
class BootstrapOutcome:
    """``granted``: the classes the device now holds (highest first); ``dsk``: its DSK (S2)."""

    granted: tuple[SecurityClass, ...] = ()
    failure: BootstrapFailure | None = None
    dsk: str | None = None


class Inbox:
    """Commands from the device, in arrival order; :meth:`wait` takes the next one that fits."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Received] = asyncio.Queue()

    def put(self, item: Received) -> None:
        self._queue.put_nowait(item)

    async def wait(self, accept: Callable[[Received], bool], timeout: float) -> Received | None:
        """The next item ``accept`` takes (others are dropped), or None after ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    item = await self._queue.get()
            except TimeoutError:
                return None
            if accept(item):
                return item
            _LOGGER.debug("Bootstrap: ignored %s", type(item.command).__name__)


def is_command(*types: type[CCCommand]) -> Callable[[Received], bool]:
    """An :meth:`Inbox.wait` filter: a command of one of ``types`` (or a frame that did not
    decrypt, which the caller must handle)."""
    return lambda item: item.command is None or isinstance(item.command, types)


async def remove_if_reset(host: BootstrapHost, node_id: int) -> bool:
    """After a failed key exchange: remove the device if it reset itself (True: removed).
    As Z-Wave JS: ping it up to three times (it may still be resetting); only a node that does
    not answer is on the stick's failed list, which RemoveFailedNode needs."""
    for attempt in range(3):
        try:
            await host.send_raw(node_id, b"\x00", Priority.CONTROLLER)  # No Operation
        except NodeNoAck:
            break
        except ZWaveError as err:
            _LOGGER.debug("Ping of node %s failed: %s", node_id, err)
            return False
        if attempt == 2:
            return False  # it answers: it stays, without security
        await asyncio.sleep(host.options.bootstrap_timeout / 5)
    if host.api is None:
        return False
    try:
        result = await host.api.call(FunctionType.REMOVE_FAILED_NODE, node_id=node_id)
    except ZWaveError as err:
        _LOGGER.debug("Node %s not removed: %s", node_id, err)
        return False
    removed = result.callback is not None and result.callback.status == RemoveFailedStatus.REMOVED
    if removed:
        _LOGGER.info("Node %s reset itself after the failed key exchange: removed", node_id)
    return removed


__all__ = ["BootstrapHost", "BootstrapOutcome", "Inbox", "Received", "is_command", "remove_if_reset"]
