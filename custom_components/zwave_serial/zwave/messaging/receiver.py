"""Receiving from nodes: the layers peeled in order, then the command carried out.

Transport Service (reassembly, :mod:`.transport_service`) → S0/S2 (decryption; S2 multicast
and its singlecast follow-up) → :func:`.encap.unwrap` → downgrade check (a CC the node supports
securely must arrive encrypted with its granted class) → Supervision answer → dispatch
(reports to values and waiters, Wake Up, hub answers like Time).

Multicast (Z-Wave JS): a Get by multicast/broadcast is dropped; a supervised S2 multicast is
answered on its singlecast follow-up, and a follow-up whose command was already carried out
from the multicast is not carried out again.  A follow-up of a group whose MPAN we lack is
answered with MOS: on its Supervision Report, else with a Nonce Report (MOS).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from ..cc import CCCommand, CommandClass, cc_info
from ..cc.notification import NotificationReport
from ..cc.supervision import SupervisionReport, SupervisionStatus
from ..cc.wake_up import WakeUpNotification
from ..errors import CCDecodeError, ZWaveError
from ..events import NodeStatus, NotificationEvent, SupervisionStatusEvent
from ..node import Node
from ..scene_events import handle_scene_command
from ..security.keys import SecurityClass
from ..serialapi.engine import Priority
from ..timekeeping import hub_time_answer
from . import encap

if TYPE_CHECKING:
    from .messenger import NodeMessenger

_LOGGER = logging.getLogger(__name__)

#: A Supervision GET repeating the node's previous one (same session and bytes) within this many
#: seconds is a retransmission: answered again, not processed again.
SUPERVISION_REPEAT_WINDOW = 10.0  # short: session ids wrap after 64 GETs of a chatty node


class Receiver:
    """The receive path of a :class:`~.messenger.NodeMessenger` (see module docs)."""

    def __init__(self, messenger: NodeMessenger) -> None:
        self._m = messenger
        self._supervision_seen: dict[int, dict[int, tuple[bytes, float]]] = {}  # node -> session -> GET
        self._decode_errors_logged: set[tuple[int | None, int | None]] = set()
        # (node, group) -> CC bytes of the node's last S2 multicast: its follow-up is not run twice
        self._multicast_seen: dict[tuple[int, int], bytes] = {}
        self.multicast_gets_dropped = 0

    def handle(self, source: int, data: bytes, *, multicast: bool = False) -> None:
        """A command from node ``source`` (``multicast``: it arrived as a multicast or broadcast
        frame, the ApplicationCommandHandler's receive status)."""
        node = self._m._host.nodes.get(source)
        if node is None:
            _LOGGER.debug("Command from unknown node %s ignored", source)
            return
        if data and data[0] == CommandClass.TRANSPORT_SERVICE:
            if not node.is_sleeping_device:
                node.mark_alive()
            reassembled = self._reassemble(source, data, multicast)
            if reassembled is None:
                return
            data = reassembled
        secure: SecurityClass | None = None  # the class the frame was received with
        message = None
        if data and data[0] in (CommandClass.SECURITY, CommandClass.SECURITY_2):
            message = None if self._m._security is None else self._m._security.receive(source, data, node, multicast=multicast)
            if not node.is_sleeping_device:
                node.mark_alive()
            if message is None:
                return  # a nonce exchange, or a frame that did not decrypt
            data, secure = message.payload, message.security_class
        try:
            unwrapped = encap.unwrap(data)
        except CCDecodeError as err:
            self._log_decode_error(source, err)
            if not multicast and len(data) >= 3 and data[0] == CommandClass.SUPERVISION and data[1] == 0x01:
                self._answer_supervision(node, data[2] & 0x3F, SupervisionStatus.NO_SUPPORT, 0, secure)
            return
        ccs = [cmd.cc_id for _, cmd in unwrapped.commands]
        if self._m._security is not None and self._m._security.refused(node, ccs, secure):
            return  # downgrade protection: a CC the node supports securely, in plain text
        if multicast and any(cmd.expects is not None for _, cmd in unwrapped.commands):
            self.multicast_gets_dropped += 1  # Z-Wave JS: a Get never comes by multicast
            _LOGGER.debug("Node %s sent a Get by multicast: dropped", source)
            return
        if not node.is_sleeping_device:
            node.mark_alive()
            if node.interview_failed is not None:
                self._m._host.resume_interview(node)  # heard from again: try the interview again
        elif node.status is NodeStatus.DEAD:
            node.set_status(NodeStatus.ASLEEP)  # a battery device heard from again: not dead
        group = message.multicast_group if message is not None else None
        mos = message is not None and message.mpan_out_of_sync
        repeat = False  # a singlecast follow-up of an S2 multicast we carried out already
        if group is not None:
            if multicast:
                self._multicast_seen[(source, group)] = bytes(data)
            else:
                repeat = self._multicast_seen.pop((source, group), None) == data
        if unwrapped.supervision_session is not None and not multicast:
            # (A supervised multicast is answered on its singlecast follow-up.)
            self._answer_supervision(
                node, unwrapped.supervision_session, unwrapped.supervision_status, unwrapped.endpoint, secure, mos
            )
            if repeat or self._duplicate_supervision(node, unwrapped.supervision_session, data):
                # The device did not get our Supervision Report in time and sent the same
                # session again: answer it again, but do not carry the command out twice.
                _LOGGER.debug("Node %s repeated supervision session %s: not processed again", source, unwrapped.supervision_session)
                return
        elif mos and self._m._security is not None:
            self._m._security.send_mos(source)  # an unsupervised follow-up of a group we lack
        if repeat:
            _LOGGER.debug("Node %s: follow-up of multicast group %s already carried out", source, group)
            return
        for endpoint, command in unwrapped.commands:
            try:
                self._m._dispatch(node, endpoint, command)
            except Exception:  # a handler bug must never break the receive path
                _LOGGER.exception("Error handling %s from node %s", command.describe(), source)

    def _reassemble(self, source: int, data: bytes, multicast: bool) -> bytes | None:
        """A Transport Service command: the complete datagram it finished, else None."""
        if multicast:
            _LOGGER.debug("Transport Service frame from node %s sent as multicast: dropped", source)
            self._m.transport.counters["transport_service_segments_dropped"] += 1
            return None
        datagram = self._m.transport.receive(source, data)
        if datagram is not None and datagram[0] == CommandClass.TRANSPORT_SERVICE:
            _LOGGER.debug("Transport Service datagram from node %s carries Transport Service: dropped", source)
            self._m.transport.counters["transport_service_segments_dropped"] += 1
            return None
        return datagram

    def _duplicate_supervision(self, node: Node, session: int, data: bytes) -> bool:
        """True when ``data`` repeats a Supervision GET of the node (same session, same bytes)
        received less than :data:`SUPERVISION_REPEAT_WINDOW` seconds ago: a retransmission."""
        now = asyncio.get_running_loop().time()
        seen = self._supervision_seen.setdefault(node.node_id, {})
        last = seen.get(session)
        seen[session] = (bytes(data), now)
        return last is not None and last[0] == data and now - last[1] < SUPERVISION_REPEAT_WINDOW

    def dispatch(self, node: Node, endpoint: int, command: CCCommand) -> None:
        """Carry out one received command (reports to values and waiters, hub answers)."""
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("Node %s ep %s: %s", node.node_id, endpoint, command.describe())
        if isinstance(command, SupervisionReport):
            self._on_supervision_report(node, command)
            return
        if isinstance(command, WakeUpNotification):
            self._m.on_wake_up(node)
            return
        # (Only a Time CC command can be a Time/Date GET: skip reading the clock otherwise.)
        answer = hub_time_answer(command, self._m._host) if command.cc_id == CommandClass.TIME else None
        if answer is not None:
            self._m._host.create_task(
                self._m.send_set(node, answer, endpoint=endpoint, supervise=False, verify=False, priority=Priority.CONTROLLER),
                f"answer time node {node.node_id}",
            )
            return
        # (a notification that answers our Get is the current state, not news: lock_activity.py)
        solicited = isinstance(command, NotificationReport) and any(
            p.endpoint == endpoint and not p.future.done() and command.answers(p.command) for p in node.pending_gets
        )
        node.apply_command(endpoint, command)
        if isinstance(command, NotificationReport):
            self._emit_notification(node, endpoint, command, solicited)
        elif command.cc_id in (CommandClass.CENTRAL_SCENE, CommandClass.SCENE_ACTIVATION):
            handle_scene_command(self._m._host.emit, node, endpoint, command)  # scene_events.py

    def _emit_notification(self, node: Node, endpoint: int, report: NotificationReport, solicited: bool = False) -> None:
        if report.notification_type is None and report.alarm_type is None:
            return
        self._m._host.emit(
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
                solicited=solicited,
            )
        )

    def _answer_supervision(
        self,
        node: Node,
        session: int,
        status: int,
        endpoint: int,
        secure: SecurityClass | None = None,
        mos: bool = False,
    ) -> None:
        """Supervision Report, encrypted as the Get came; ``mos``: with the S2 MOS extension
        (the Get was the follow-up of a multicast group whose MPAN we lack)."""
        data = encap.supervision_report_for(session, status)
        if endpoint:
            data = encap.wrap(data, endpoint=endpoint)

        async def answer() -> None:
            try:
                await self._m._send_data(node, data, Priority.CONTROLLER, secure=secure, mos=mos and secure is not None)
            except ZWaveError as err:
                _LOGGER.debug("Supervision report to node %s failed: %s", node.node_id, err)

        self._m._host.create_task(answer(), f"supervision report node {node.node_id}")

    def _on_supervision_report(self, node: Node, report: SupervisionReport) -> None:
        key = (node.node_id, report.session_id)
        future = self._m._supervision.get(key)
        status = SupervisionStatus(report.status) if report.status in SupervisionStatus._value2member_map_ else None
        if future is not None and not future.done():
            future.set_result(report)
        cc, endpoint = self._m._supervision_cc.get(key, (0, 0))
        if status is not None and cc:
            self._m._host.emit(SupervisionStatusEvent(node.node_id, endpoint, cc, status.name.lower(), report.duration))
        if not report.more_updates and future is not None and future.done():
            self._m._supervision.pop(key, None)
            self._m._supervision_cc.pop(key, None)
            if cc and status is SupervisionStatus.SUCCESS:
                info = cc_info(cc)
                if info is not None:
                    self._m._host.create_task(
                        info.run_refresh(self._m.cc_context(node, endpoint, cc, Priority.POLL)),
                        f"refresh after supervision node {node.node_id}",
                    )

    def _log_decode_error(self, source: int, err: CCDecodeError) -> None:
        key = (err.cc_id, err.command)
        if key in self._decode_errors_logged:
            _LOGGER.debug("Undecodable command from node %s: %s", source, err)
            return
        self._decode_errors_logged.add(key)
        _LOGGER.info("Undecodable command from node %s (logged once per command): %s", source, err)
