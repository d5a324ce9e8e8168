"""Talking to nodes: sending commands (supervised, queued for sleeping nodes), waiting for
reports, and handling what nodes send (reports, Supervision GET, Wake Up, Time GET).

The driver owns one :class:`NodeMessenger` and hands it what it needs through the small
:class:`MessengerHost` interface, so the messenger can be tested with a fake host.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from datetime import datetime
from typing import Any, Protocol

from ..cc import CCCommand, CommandClass, cc_info, cc_name
from ..cc.notification import NotificationReport
from ..cc.supervision import SupervisionReport, SupervisionStatus
from ..cc.time import answer_time_request
from ..cc.wake_up import WakeUpNotification
from ..errors import (
    CCDecodeError,
    DriverNotReady,
    NodeError,
    NodeNoAck,
    NodeTimeout,
    SupervisionFailed,
    ZWaveError,
)
from ..events import NodeStatus, NotificationEvent, SupervisionStatusEvent
from ..node import Node, QueuedCommand, SetValueResult, SetValueStatus
from ..security.keys import SecurityClass
from ..security.manager import SecurityManager
from ..serialapi.engine import Priority
from . import encap
from .wakeup import WakeUpService

_LOGGER = logging.getLogger(__name__)

NO_OPERATION = b"\x00"
#: A Supervision GET repeating the node's previous one (same session and bytes) within this many
#: seconds is a retransmission: answered again, not processed again.
SUPERVISION_REPEAT_WINDOW = 10.0  # short: session ids wrap after 64 GETs of a chatty node


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
        self._supervision_seen: dict[int, dict[int, tuple[bytes, float]]] = {}  # node -> session -> GET
        self._decode_errors_logged: set[tuple[int | None, int | None]] = set()
        self._wakeup = WakeUpService(self)
        self._security: SecurityManager | None = host.security

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
    ) -> None:
        """SendData with retries; encrypted (S2/S0) when ``cc`` is one the node supports
        securely, or with ``secure`` (answering a frame received with that class).
        ``locked``: the caller holds the node's security lock already."""
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
                        frame = await security.wrap(node, data, security_class=secure, priority=priority)
                        await self._host.api.send_data(node.node_id, frame, priority=priority)
                else:
                    await self._host.api.send_data(node.node_id, data, priority=priority)
            except NodeNoAck:
                if attempt < attempts:
                    continue
                node.set_status(NodeStatus.ASLEEP if node.is_sleeping_device else NodeStatus.DEAD)
                raise
            break
        node.mark_alive()

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

    async def ping(self, node: Node) -> bool:
        try:
            await self._send_data(node, NO_OPERATION, Priority.USER)
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

    def handle_application_command(self, source: int, data: bytes) -> None:
        node = self._host.nodes.get(source)
        if node is None:
            _LOGGER.debug("Command from unknown node %s ignored", source)
            return
        secure: SecurityClass | None = None  # the class the frame was received with
        if data and data[0] in (CommandClass.SECURITY, CommandClass.SECURITY_2):
            message = None if self._security is None else self._security.receive(source, data, node)
            if not node.is_sleeping_device:
                node.mark_alive()
            if message is None:
                return  # a nonce exchange, or a frame that did not decrypt
            data, secure = message.payload, message.security_class
        try:
            unwrapped = encap.unwrap(data)
        except CCDecodeError as err:
            self._log_decode_error(source, err)
            if len(data) >= 3 and data[0] == CommandClass.SUPERVISION and data[1] == 0x01:
                self._answer_supervision(node, data[2] & 0x3F, SupervisionStatus.NO_SUPPORT, 0, secure)
            return
        if (
            secure is None
            and self._security is not None
            and self._security.plaintext_refused(node, [cmd.cc_id for _, cmd in unwrapped.commands])
        ):
            return  # downgrade protection: a CC the node supports securely, in plain text
        if not node.is_sleeping_device:
            node.mark_alive()
            if node.interview_failed is not None:
                self._host.resume_interview(node)  # heard from again: try the interview again
        if unwrapped.supervision_session is not None:
            self._answer_supervision(
                node, unwrapped.supervision_session, unwrapped.supervision_status, unwrapped.endpoint, secure
            )
            if self._duplicate_supervision(node, unwrapped.supervision_session, data):
                # The device did not get our Supervision Report in time and sent the same
                # session again: answer it again, but do not carry the command out twice.
                _LOGGER.debug("Node %s repeated supervision session %s: not processed again", source, unwrapped.supervision_session)
                return
        for endpoint, command in unwrapped.commands:
            try:
                self._dispatch(node, endpoint, command)
            except Exception:  # a handler bug must never break the receive path
                _LOGGER.exception("Error handling %s from node %s", command.describe(), source)

    def _duplicate_supervision(self, node: Node, session: int, data: bytes) -> bool:
        """True when ``data`` repeats a Supervision GET of the node (same session, same bytes)
        received less than :data:`SUPERVISION_REPEAT_WINDOW` seconds ago: a retransmission."""
        now = asyncio.get_running_loop().time()
        seen = self._supervision_seen.setdefault(node.node_id, {})
        last = seen.get(session)
        seen[session] = (bytes(data), now)
        return last is not None and last[0] == data and now - last[1] < SUPERVISION_REPEAT_WINDOW

    def _dispatch(self, node: Node, endpoint: int, command: CCCommand) -> None:
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("Node %s ep %s: %s", node.node_id, endpoint, command.describe())
        if isinstance(command, SupervisionReport):
            self._on_supervision_report(node, command)
            return
        if isinstance(command, WakeUpNotification):
            self.on_wake_up(node)
            return
        # (Only a Time CC command can be a Time/Date GET: skip reading the clock otherwise.)
        answer = answer_time_request(command, datetime.now().astimezone()) if command.cc_id == CommandClass.TIME else None
        if answer is not None:
            self._host.create_task(
                self.send_set(node, answer, endpoint=endpoint, supervise=False, verify=False, priority=Priority.CONTROLLER),
                f"answer time node {node.node_id}",
            )
            return
        node.apply_command(endpoint, command)
        if isinstance(command, NotificationReport):
            self._emit_notification(node, endpoint, command)

    def _emit_notification(self, node: Node, endpoint: int, report: NotificationReport) -> None:
        if report.notification_type is None and report.alarm_type is None:
            return
        self._host.emit(
            NotificationEvent(
                node_id=node.node_id,
                endpoint=endpoint,
                notification_type=report.notification_type or 0,
                event=report.event or 0,
                type_label=report.type_label,
                event_label=report.event_label,
                parameters=dict(report.parameters or {}),
                alarm_type=report.alarm_type,
                alarm_level=report.alarm_level,
            )
        )

    def _answer_supervision(
        self, node: Node, session: int, status: int, endpoint: int, secure: SecurityClass | None = None
    ) -> None:
        data = encap.supervision_report_for(session, status)
        if endpoint:
            data = encap.wrap(data, endpoint=endpoint)

        async def answer() -> None:
            try:
                await self._send_data(node, data, Priority.CONTROLLER, secure=secure)
            except ZWaveError as err:
                _LOGGER.debug("Supervision report to node %s failed: %s", node.node_id, err)

        self._host.create_task(answer(), f"supervision report node {node.node_id}")

    def _on_supervision_report(self, node: Node, report: SupervisionReport) -> None:
        key = (node.node_id, report.session_id)
        future = self._supervision.get(key)
        status = SupervisionStatus(report.status) if report.status in SupervisionStatus._value2member_map_ else None
        if future is not None and not future.done():
            future.set_result(report)
        cc, endpoint = self._supervision_cc.get(key, (0, 0))
        if status is not None and cc:
            self._host.emit(SupervisionStatusEvent(node.node_id, endpoint, cc, status.name.lower(), report.duration))
        if not report.more_updates and future is not None and future.done():
            self._supervision.pop(key, None)
            self._supervision_cc.pop(key, None)
            if cc and status is SupervisionStatus.SUCCESS:
                info = cc_info(cc)
                if info is not None:
                    self._host.create_task(
                        info.run_refresh(self.cc_context(node, endpoint, cc, Priority.POLL)),
                        f"refresh after supervision node {node.node_id}",
                    )

    def on_wake_up(self, node: Node) -> None:
        self._wakeup.on_wake_up(node)

    def _log_decode_error(self, source: int, err: CCDecodeError) -> None:
        key = (err.cc_id, err.command)
        if key in self._decode_errors_logged:
            _LOGGER.debug("Undecodable command from node %s: %s", source, err)
            return
        self._decode_errors_logged.add(key)
        _LOGGER.info("Undecodable command from node %s (logged once per command): %s", source, err)
