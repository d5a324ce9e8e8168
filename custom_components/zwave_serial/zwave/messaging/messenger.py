"""Talking to nodes: sending commands (supervised, queued for sleeping nodes), waiting for
reports, and handling what nodes send (reports, Supervision GET, Wake Up, Time GET).

The driver owns one :class:`NodeMessenger` and hands it what it needs through the small
:class:`MessengerHost` interface, so the messenger can be tested with a fake host.

Layers in: Transport Service (reassembly, :mod:`.transport_service`) → S0/S2 (decryption,
multicast included) → :func:`.encap.unwrap`.  Out: encap → S0/S2 → Transport Service when the
frame is longer than :attr:`NodeMessenger.max_payload_size` and the node has Transport Service
v2 (otherwise the frame goes as it is and the stick decides).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any, Protocol

from ..cc import CCCommand, CommandClass, cc_info, cc_name
from ..cc.supervision import SupervisionReport, SupervisionStatus
from ..cc.transport_service import SUBSEQUENT_SEGMENT_OVERHEAD
from ..errors import (
    DriverNotReady,
    NodeError,
    NodeNoAck,
    NodeTimeout,
    SupervisionFailed,
    ZWaveError,
)
from ..events import NodeStatus
from ..node import Node, QueuedCommand, SetValueResult, SetValueStatus
from ..security.keys import SecurityClass
from ..security.manager import SecurityManager
from ..serialapi.engine import Priority
from . import encap
from .receiver import Receiver
from .transport_service import TransportService
from .wakeup import WakeUpService

_LOGGER = logging.getLogger(__name__)

NO_OPERATION = b"\x00"
#: Longest command a SendData carries (explorer frames; Z-Wave JS's default until the stick's
#: SerialAPISetup GetMaxPayloadSize answer is known).  Longer ones need Transport Service.
DEFAULT_MAX_PAYLOAD_SIZE = 46
#: Failed transmissions in a row after which a listening node is marked dead.
DEAD_AFTER_FAILURES = 3


class MessengerHost(Protocol):
    """What the messenger needs from its owner (the :class:`~..driver.Driver`)."""

    api: Any  # the SerialApi engine, None while disconnected
    options: Any  # DriverOptions: send_attempts, report_timeout, verify_delay, send_to_sleep_delay
    connected: bool
    security: SecurityManager | None  # S0/S2 sessions (None: plain text only)

    @property
    def nodes(self) -> dict[int, Node]: ...

    @property
    def own_node_id(self) -> int: ...

    def emit(self, event: Any) -> None: ...

    def create_task(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]: ...

    async def interview_node(self, node: Node) -> bool: ...

    def resume_interview(self, node: Node) -> None: ...


class NodeContext:
    """:class:`~.cc.CCContext` for one endpoint/CC of a node."""

    def __init__(self, messenger: NodeMessenger, node: Node, endpoint: int, cc: int, priority: Priority) -> None:
        self._messenger = messenger
        self._node = node
        self.node_id = node.node_id
        self.endpoint = endpoint
        self.cc = cc
        self.version = node.cc_version(cc, endpoint)
        self.controller_node_id = messenger.own_node_id
        self._priority = priority

    async def get(self, command: CCCommand, *, timeout: float | None = None) -> CCCommand:
        return await self._messenger.request(
            self._node, command, endpoint=self.endpoint, timeout=timeout, priority=self._priority
        )

    async def send(self, command: CCCommand) -> None:
        await self._messenger.send_set(self._node, command, endpoint=self.endpoint, supervise=False, verify=False)

    def value(self, property: str, property_key: Any = None) -> Any:
        return self._node.get_value(self.cc, property, property_key, self.endpoint)

    def set_static(self, property: str, value: Any, property_key: Any = None) -> None:
        from ..values import ValueUpdate

        self._node.apply_update(self.cc, self.endpoint, ValueUpdate(property, value, property_key))


class NodeMessenger:
    """Talks to nodes for the driver: commands out (supervised, retried, queued for sleeping
    nodes), reports in (waiters, supervision, hub answers, wake-ups)."""

    def __init__(self, host: MessengerHost) -> None:
        self._host = host
        self._supervision: dict[tuple[int, int], asyncio.Future[SupervisionReport]] = {}
        self._supervision_cc: dict[tuple[int, int], tuple[int, int]] = {}
        self._wakeup = WakeUpService(self)
        self._security: SecurityManager | None = host.security
        #: Longest frame one SendData carries (set it from the stick's answer when known).
        self.max_payload_size = DEFAULT_MAX_PAYLOAD_SIZE
        self.transport = TransportService(self._send_control, host.create_task)
        self._receiver = Receiver(self)
        if self._security is not None:
            self._security.send_frame = self._send_secure_frame

    @property
    def counters(self) -> dict[str, int]:
        """Transport Service and receive-path counters (for the driver's statistics)."""
        return {**self.transport.counters, "multicast_gets_dropped": self._receiver.multicast_gets_dropped}

    @property
    def own_node_id(self) -> int:
        return self._host.own_node_id

    def cc_context(self, node: Node, endpoint: int, cc: int, priority: Priority = Priority.BACKGROUND) -> NodeContext:
        return NodeContext(self, node, endpoint, cc, priority)

    # --- outgoing -------------------------------------------------------------------

    def _exchange_lock(self, node: Node, cc: int) -> tuple[contextlib.AbstractAsyncContextManager[Any], bool]:
        """For a command that waits for the node's answer (a Get, a supervised Set): the lock
        to hold until the answer, and whether it is the node's security lock.  Z-Wave JS's
        rule for secure nodes: the next frame to the node waits for the answer, so both sides
        draw their S2 nonces in the same order."""
        security = self._security
        if security is not None and security.encrypts(node, cc):
            return security.node_lock(node.node_id), True
        return contextlib.nullcontext(), False

    @staticmethod
    def asleep(node: Node) -> bool:
        """A sleeping device that is not awake now (commands are queued for its wake-up)."""
        return node.is_sleeping_device and node.status is not NodeStatus.ALIVE

    async def _send_data(
        self,
        node: Node,
        data: bytes,
        priority: Priority,
        cc: int | None = None,
        *,
        secure: SecurityClass | None = None,
        locked: bool = False,
        mos: bool = False,
    ) -> None:
        """SendData with retries; encrypted (S2/S0) when ``cc`` is one the node supports
        securely, or with ``secure`` (answering a frame received with that class; ``mos``: with
        the S2 MOS extension).  ``locked``: the caller holds the node's security lock already."""
        if not self._host.connected or self._host.api is None:
            raise DriverNotReady("the Z-Wave stick is not connected")
        security = self._security
        encrypt = security is not None and (secure is not None or security.encrypts(node, cc))
        attempts = 1 if node.status is NodeStatus.DEAD or node.is_sleeping_device else self._host.options.send_attempts
        for attempt in range(1, attempts + 1):
            try:
                if encrypt:
                    assert security is not None
                    # wrap + SendData under the node's lock, so its frames leave in nonce order
                    async with contextlib.nullcontext() if locked else security.node_lock(node.node_id):
                        frame = await security.wrap(node, data, security_class=secure, priority=priority, mos=mos)
                        await self._send_frame(node, frame, priority)
                        security.delivered(node.node_id)
                else:
                    await self._send_frame(node, data, priority)
            except NodeNoAck:
                if node.is_sleeping_device:
                    if node.status is not NodeStatus.DEAD:  # no answer is no sign of life
                        node.set_status(NodeStatus.ASLEEP)
                    raise
                # A listening node is dead after DEAD_AFTER_FAILURES transmissions in a row
                # (within one command or across several; any frame from it resets the count).
                node.failed_transmits += 1
                if node.failed_transmits >= DEAD_AFTER_FAILURES:
                    node.set_status(NodeStatus.DEAD)
                    raise
                if attempt < attempts:
                    continue
                raise
            break
        node.mark_alive()

    def _api(self) -> Any:
        if not self._host.connected or self._host.api is None:
            raise DriverNotReady("the Z-Wave stick is not connected")
        return self._host.api

    @staticmethod
    def uses_transport_service(node: Node) -> bool:
        """The node takes Transport Service v2 segments."""
        return node.supports(CommandClass.TRANSPORT_SERVICE) and node.cc_version(CommandClass.TRANSPORT_SERVICE) >= 2

    async def _send_frame(self, node: Node, frame: bytes, priority: Priority) -> None:
        """One frame (already encrypted if it must be) to ``node``: one SendData, or Transport
        Service segments when it is too long for one and the node supports them."""
        api = self._api()
        if len(frame) <= self.max_payload_size or not self.uses_transport_service(node):
            await api.send_data(node.node_id, frame, priority=priority)
            return

        async def send_segment(segment: bytes) -> None:
            await self._api().send_data(node.node_id, segment, priority=priority)

        segment_size = self.max_payload_size - SUBSEQUENT_SEGMENT_OVERHEAD
        await self.transport.send_datagram(node.node_id, frame, send_segment, segment_size)

    async def _send_secure_frame(self, node_id: int, frame: bytes, priority: Any = None) -> None:
        """For the security manager: an encapsulated frame it sends itself (a resend)."""
        node = self._host.nodes.get(node_id)
        if node is None:
            await self._api().send_data(node_id, frame, priority=priority or Priority.CONTROLLER)
            return
        await self._send_frame(node, frame, priority or Priority.CONTROLLER)

    async def _send_control(self, node_id: int, data: bytes) -> None:
        """A Transport Service control command (plain text, one attempt)."""
        await self._api().send_data(node_id, data, priority=Priority.CONTROLLER)

    async def send_set(
        self,
        node: Node,
        command: CCCommand,
        *,
        endpoint: int = 0,
        supervise: bool | None = None,
        verify: bool = True,
        priority: Priority = Priority.USER,
    ) -> SetValueResult:
        """Send a command; supervised when the node supports it; queued while a sleeping node sleeps."""
        if self.asleep(node):
            # Sent at the wake-up with controller priority: the node is awake only briefly.
            self._queue(
                node,
                lambda: self.send_set(
                    node, command, endpoint=endpoint, supervise=supervise, verify=verify, priority=Priority.CONTROLLER
                ),
                command,
            )
            return SetValueResult(SetValueStatus.QUEUED)
        if supervise is None:
            supervise = node.supports(CommandClass.SUPERVISION)
        if not supervise:
            await self._send_data(node, encap.wrap(command, endpoint=endpoint), priority, command.cc_id)
            if verify:
                self._schedule_verify(node, command, endpoint)
            return SetValueResult(SetValueStatus.SENT)
        session = node.next_supervision_session()
        key = (node.node_id, session)
        future: asyncio.Future[SupervisionReport] = asyncio.get_running_loop().create_future()
        self._supervision[key] = future
        lock, secure = self._exchange_lock(node, command.cc_id)
        try:
            data = encap.wrap(command, endpoint=endpoint, supervision_session=session, status_updates=True)
            async with lock:
                await self._send_data(node, data, priority, command.cc_id, locked=secure)
                try:
                    async with asyncio.timeout(self._host.options.report_timeout):
                        report = await future
                except TimeoutError:
                    raise NodeTimeout(
                        f"node {node.node_id} did not confirm {cc_name(command.cc_id)}", node.node_id
                    ) from None
        finally:
            if self._supervision.get(key) is future and future.done():
                self._supervision.pop(key, None)
        status = report.status
        if status == SupervisionStatus.SUCCESS:
            if verify:
                self._schedule_verify(node, command, endpoint)
            return SetValueResult(SetValueStatus.SUCCESS, report.duration)
        if status == SupervisionStatus.WORKING:
            # Keep listening for the final report of this session.
            self._supervision[key] = asyncio.get_running_loop().create_future()
            self._supervision_cc[key] = (command.cc_id, endpoint)
            return SetValueResult(SetValueStatus.WORKING, report.duration)
        raise SupervisionFailed(
            f"node {node.node_id} answered {SupervisionStatus(status).name} to {cc_name(command.cc_id)}", node.node_id
        )

    async def request(
        self,
        node: Node,
        command: CCCommand,
        *,
        endpoint: int = 0,
        timeout: float | None = None,
        priority: Priority = Priority.USER,
    ) -> CCCommand:
        """Send a Get and return the report that answers it."""
        if self.asleep(node):
            raise NodeError(f"node {node.node_id} is asleep", node.node_id)

        lock, secure = self._exchange_lock(node, command.cc_id)
        async with lock:
            return await self._request(node, command, endpoint, timeout, priority, locked=secure)

    async def _request(
        self, node: Node, command: CCCommand, endpoint: int, timeout: float | None, priority: Priority, locked: bool = False
    ) -> CCCommand:
        from ..node import PendingGet

        future: asyncio.Future[CCCommand] = asyncio.get_running_loop().create_future()
        pending = PendingGet(endpoint, command, future)
        node.pending_gets.append(pending)
        try:
            await self._send_data(node, encap.wrap(command, endpoint=endpoint), priority, command.cc_id, locked=locked)
            try:
                async with asyncio.timeout(timeout or self._host.options.report_timeout):
                    return await future
            except TimeoutError:
                raise NodeTimeout(
                    f"node {node.node_id} did not answer {type(command).__name__}", node.node_id
                ) from None
        finally:
            if pending in node.pending_gets:
                node.pending_gets.remove(pending)

    async def request_node_info(self, node: Node) -> Any:
        """Ask a node for its NIF (the engine stays busy until it arrives); a listening node
        that does not answer is marked dead."""
        if self.asleep(node):
            raise NodeError(f"node {node.node_id} is asleep", node.node_id)
        if not self._host.connected or self._host.api is None:
            raise DriverNotReady("the Z-Wave stick is not connected")
        try:
            info = await self._host.api.request_node_info(
                node.node_id, timeout=self._host.options.node_info_timeout, priority=Priority.BACKGROUND
            )
        except NodeNoAck:
            if not node.is_sleeping_device:
                node.set_status(NodeStatus.DEAD)
            raise
        node.mark_alive()
        return info

    async def ping(self, node: Node, priority: Priority = Priority.USER) -> bool:
        try:
            await self._send_data(node, NO_OPERATION, priority)
        except NodeNoAck:
            return False
        return True

    def _queue(self, node: Node, run: Any, command: CCCommand) -> None:
        node.wakeup_queue.append(QueuedCommand(run, command.describe()))
        _LOGGER.debug("Node %s is asleep: queued %s", node.node_id, command.describe())

    def _schedule_verify(self, node: Node, command: CCCommand, endpoint: int) -> None:
        """Read back the state a Set changed (devices without supervision may not report)."""
        info = cc_info(command.cc_id)
        if info is None or (info.refresh is None and info.interview is None):
            return
        delay = self._host.options.verify_delay
        duration = getattr(command, "duration", None)
        if isinstance(duration, (int, float)) and duration:
            delay += float(duration)

        async def verify() -> None:
            await asyncio.sleep(delay)
            try:
                await info.run_refresh(self.cc_context(node, endpoint, command.cc_id, Priority.POLL))
            except ZWaveError as err:
                _LOGGER.debug("Verify of %s on node %s failed: %s", info.name, node.node_id, err)

        self._host.create_task(verify(), f"verify node {node.node_id}")

    # --- incoming -------------------------------------------------------------------

    def handle_application_command(self, source: int, data: bytes, *, multicast: bool = False) -> None:
        """A command from node ``source`` (``multicast``: it arrived as a multicast or broadcast
        frame, the ApplicationCommandHandler's receive status); see :class:`.receiver.Receiver`."""
        self._receiver.handle(source, data, multicast=multicast)

    def _dispatch(self, node: Node, endpoint: int, command: CCCommand) -> None:
        """Carry out one received command (the receive path calls it here, so a test or the
        soak benchmark can watch every command carried out)."""
        self._receiver.dispatch(node, endpoint, command)

    def on_wake_up(self, node: Node) -> None:
        self._wakeup.on_wake_up(node)
