"""Virtual node base: CC dispatch, Supervision and Multi Channel encapsulation, reporting.

A :class:`VirtualNode` is endpoint 0 of a device; :class:`Endpoint` objects are its Multi
Channel end points.  Both are :class:`CCContainer`\\ s holding CC handlers.  Handlers get an
:class:`RxContext` (who sent the command, through which endpoint, under which Supervision
session) and answer with :meth:`RxContext.reply`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .ccutil import (
    CC_BASIC,
    CC_MULTI_CHANNEL,
    CC_SUPERVISION,
    SUPERVISION_FAIL,
    SUPERVISION_NO_SUPPORT,
    SUPERVISION_SUCCESS,
    SUPERVISION_WORKING,
    multi_channel_encap,
    supervision_get,
    supervision_report,
)
from .membership import DEFAULT_SECURITY, NetworkMember

if TYPE_CHECKING:
    from ..security.keys import SecurityClass
    from .stick import VirtualStick

_LOGGER = logging.getLogger(__name__)

Handler = Callable[["RxContext", int, bytes], None]


@dataclass
class SupervisionState:
    """Supervision session of one received Supervision GET (shared by nested contexts)."""

    session: int
    status_updates: bool
    reply_ctx: RxContext
    status: int = SUPERVISION_SUCCESS
    duration: int = 0


@dataclass
class RxContext:
    """Where a received command came from and how to answer it."""

    node: VirtualNode
    src: int = 1
    endpoint: int = 0
    src_endpoint: int = 0
    sup: SupervisionState | None = None
    #: The security class the command arrived with (None: plain text); answers use it too.
    security: SecurityClass | None = None

    def reply(self, cc: bytes) -> None:
        """Send ``cc`` back to the sender, from the addressed endpoint, as securely as it came."""
        self.node.transmit(
            self.src, cc, endpoint=self.endpoint, dest_endpoint=self.src_endpoint, security=self.security
        )

    @property
    def supervised(self) -> bool:
        """True when the command arrived inside a Supervision GET."""
        return self.sup is not None

    def fail(self) -> None:
        """Mark the supervised command as failed."""
        if self.sup is not None:
            self.sup.status = SUPERVISION_FAIL

    def working(self, duration: int) -> Callable[[int], None]:
        """Answer WORKING now; return ``finish(status)`` that sends the final report if asked."""
        sup = self.sup
        if sup is None:
            return lambda status: None
        sup.status = SUPERVISION_WORKING
        sup.duration = duration

        def finish(status: int) -> None:
            if sup.status_updates:
                sup.reply_ctx.reply(supervision_report(sup.session, status, 0))

        return finish


class CCContainer:
    """Something that owns CC handlers: a node's root (endpoint 0) or an end point."""

    def __init__(self) -> None:
        self._handlers: dict[int, Handler] = {}
        self.cc_versions: dict[int, int] = {}
        self.nif_ccs: list[int] = []
        self.basic_get: Callable[[], bytes] | None = None
        self.basic_set: Callable[[RxContext, int], None] | None = None

    def register(self, cc: int, handler: Handler, version: int = 1, nif: bool = True) -> None:
        """Add a CC handler (``nif`` lists it in the node information frame)."""
        self._handlers[cc] = handler
        self.cc_versions[cc] = version
        if nif and cc not in self.nif_ccs:
            self.nif_ccs.append(cc)

    def supports(self, cc: int) -> bool:
        """True if a handler is registered (Basic counts when mapped)."""
        return cc in self._handlers or (cc == CC_BASIC and self.basic_get is not None)

    def handle(self, ctx: RxContext, data: bytes) -> bool:
        """Dispatch one plain command; return False if the CC is not supported."""
        cc, cmd, payload = data[0], data[1] if len(data) > 1 else -1, bytes(data[2:])
        if cc == CC_BASIC and self.basic_get is not None:
            self._handle_basic(ctx, cmd, payload)
            return True
        handler = self._handlers.get(cc)
        if handler is None:
            return False
        handler(ctx, cmd, payload)
        return True

    def _handle_basic(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and payload and self.basic_set is not None:
            self.basic_set(ctx, payload[0])
        elif cmd == 0x02 and self.basic_get is not None:
            ctx.reply(bytes((CC_BASIC, 0x03)) + self.basic_get())


class Endpoint(CCContainer):
    """A Multi Channel end point of a node."""

    def __init__(self, node: VirtualNode, index: int, generic: int, specific: int) -> None:
        super().__init__()
        self.node = node
        self.index = index
        self.generic = generic
        self.specific = specific

    def send_report(self, cc: bytes, supervised: bool = False) -> None:
        """Unsolicited report from this end point to the lifeline."""
        self.node.send_report(cc, endpoint=self.index, supervised=supervised)


@dataclass
class NodeInfo:
    """Static identity of a virtual node."""

    generic: int
    specific: int
    basic: int = 0x04
    listening: bool = True
    flirs: int = 0  # 0, 250 or 1000 (ms)
    manufacturer_id: int = 0x7A5E
    product_type: int = 0x0001
    product_id: int = 0x0001
    firmware: tuple[int, int] = (1, 0)
    role_type: int = 5  # Z-Wave Plus role: 5 always-on, 6 sleeping reporting, 7 listening sleeping
    icon: int = 0x0700
    name: str = ""


class VirtualNode(NetworkMember, CCContainer):
    """Base of every virtual device (endpoint 0); its network membership and security options
    are described in :class:`~.membership.NetworkMember`."""

    def __init__(self, node_id: int, info: NodeInfo, **options: Any) -> None:
        super().__init__()
        self.node_id = node_id
        self.info = info
        self.options = options
        self.stick: VirtualStick | None = None
        self.endpoints: dict[int, Endpoint] = {}
        self.awake = False
        self.received: deque[bytes] = deque(maxlen=200)
        self.sent: deque[bytes] = deque(maxlen=200)
        self.supervision_results: dict[int, int] = {}
        self.supervision_timeout: float = options.get("supervision_timeout", 2.0)
        self.supervision_retries: int = options.get("supervision_retries", 1)
        #: True: the node ACKs a RequestNodeInfo but never sends its NIF (the stick stays silent).
        self.nif_silent: bool = options.get("nif_silent", False)
        self._session = options.get("first_session", 0)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._held: list[tuple[int, bytes, Any]] | None = None
        # Last Supervision GET per source: (session, encapsulated command, report sent back).
        self._last_supervision: dict[int, tuple[int, bytes, bytes]] = {}
        self.associations: dict[int, list[int]] = {1: [1]}
        self.mc_associations: dict[int, list[tuple[int, int]]] = {1: []}
        self.group_max: dict[int, int] = {1: 5}
        self.config: dict[int, list[int]] = {}  # param -> [size, value, default]
        self.register(CC_SUPERVISION, self._cc_supervision, version=2)
        from .common import install_common  # local import: common imports this module

        install_common(self)
        self._setup_membership(options)

    # ------------------------------------------------------------------ identity
    @property
    def listening(self) -> bool:
        """Always listening (mains powered)."""
        return self.info.listening

    @property
    def flirs(self) -> bool:
        """Frequently listening (wake-up beam)."""
        return bool(self.info.flirs)

    @property
    def sleeping(self) -> bool:
        """Neither listening nor FLiRS."""
        return not self.listening and not self.flirs

    @property
    def reachable(self) -> bool:
        """Can a frame reach the node right now (ignoring dead)?"""
        return self.listening or self.flirs or self.awake

    def protocol_info(self) -> bytes:
        """6-byte GetNodeProtocolInfo payload."""
        cap = 0x40 | 0x18 | 0x03 | (0x80 if self.listening else 0)
        sec = 0x80 | 0x10 | 0x08 | 0x04
        if self.info.flirs == 1000:
            sec |= 0x40
        elif self.info.flirs == 250:
            sec |= 0x20
        return bytes((cap, sec, 0x01, self.info.basic, self.info.generic, self.info.specific))

    def nif(self) -> bytes:
        """``[basic][generic][specific][CC list]`` (a securely included device lists only the
        CCs it supports without security)."""
        ccs = self.sec.nif_ccs(self.nif_ccs) if self.sec is not None else self.nif_ccs
        return bytes((self.info.basic, self.info.generic, self.info.specific, *ccs))

    # ------------------------------------------------------------------ lifecycle
    def attach(self, stick: VirtualStick) -> None:
        """Called when added to a stick."""
        self.stick = stick

    def start(self) -> None:
        """Start background behaviour (timers); the stick calls this once it runs."""

    @property
    def tasks(self) -> list[asyncio.Task[Any]]:
        """Background tasks currently owned by the node."""
        return list(self._tasks)

    def stop(self) -> None:
        """Cancel every background task (and a security bootstrapping in progress)."""
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
        if self.sec is not None:
            self.sec.cancel_bootstrap()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a background task owned by this node."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def later(self, seconds: float, func: Callable[[], None]) -> asyncio.Task[Any]:
        """Call ``func`` after ``seconds``."""

        async def _run() -> None:
            await asyncio.sleep(seconds)
            func()

        return self.spawn(_run())

    # ------------------------------------------------------------------ receive
    def receive(self, data: bytes, src: int = 1) -> None:
        """A frame from ``src`` arrived over the radio."""
        self.received.append(bytes(data))
        self.on_frame_received()
        if not data:
            return
        security: SecurityClass | None = None
        if self.sec is not None:
            secured = self.sec.receive(bytes(data), src)
            if secured is None:
                return  # nonce exchange, key exchange, or a frame that did not decrypt
            data, security = secured
        ctx = RxContext(self, src=src, security=security)
        if not self.dispatch(ctx, bytes(data)):
            _LOGGER.debug("node %d: unsupported command %s", self.node_id, data.hex())

    def on_frame_received(self) -> None:
        """Hook (sleeping devices restart their stay-awake timer)."""

    def container(self, endpoint: int) -> CCContainer | None:
        """The CC container of an endpoint (0 = root)."""
        return self if endpoint == 0 else self.endpoints.get(endpoint)

    def dispatch(self, ctx: RxContext, data: bytes) -> bool:
        """Route a command (possibly encapsulated) to the addressed container."""
        if data[0] == CC_SUPERVISION:
            return self.handle(ctx, data)
        if data[0] == CC_MULTI_CHANNEL and len(data) > 1 and data[1] == 0x0D and self.endpoints:
            self._multi_channel_encap(ctx, data[2:])
            return True
        if ctx.security is None and self.sec is not None and self.sec.secure_only(data[0]):
            _LOGGER.debug("node %d: plain-text command of secure CC 0x%02X ignored", self.node_id, data[0])
            handled = False
        else:
            container = self.container(ctx.endpoint)
            handled = container is not None and container.handle(ctx, data)
        if not handled and ctx.sup is not None:
            ctx.sup.status = SUPERVISION_NO_SUPPORT
        return handled

    def _multi_channel_encap(self, ctx: RxContext, body: bytes) -> None:
        if len(body) < 3:
            return
        src_ep, dst, inner = body[0] & 0x7F, body[1], body[2:]
        targets = [i + 1 for i in range(7) if dst & (1 << i)] if dst & 0x80 else [dst & 0x7F]
        for ep in targets:
            if self.container(ep) is None:
                continue
            self.dispatch(replace(ctx, endpoint=ep, src_endpoint=src_ep), inner)

    def _cc_supervision(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and len(payload) >= 2:
            props, length = payload[0], payload[1]
            inner = payload[2 : 2 + length]
            last = self._last_supervision.get(ctx.src)
            if last is not None and last[0] == props & 0x3F and last[1] == bytes(inner):
                # The same session again (e.g. the stick retransmitted the frame): answer as
                # before, do not carry the command out twice (Supervision CC).
                ctx.reply(last[2])
                return
            sup = SupervisionState(props & 0x3F, bool(props & 0x80), ctx)
            inner_ctx = replace(ctx, sup=sup)
            # Frames the command triggers go out after the Supervision REPORT, as on a device.
            outer_hold, self._held = self._held, []
            try:
                if not inner or not self.dispatch(inner_ctx, inner):
                    sup.status = SUPERVISION_NO_SUPPORT
            finally:
                held, self._held = self._held, outer_hold
            more = sup.status == SUPERVISION_WORKING and sup.status_updates
            report = supervision_report(sup.session, sup.status, sup.duration, more)
            self._last_supervision[ctx.src] = (sup.session, bytes(inner), report)
            ctx.reply(report)
            for dest, frame, security in held:
                self._transmit_now(dest, frame, security)
        elif cmd == 0x02 and len(payload) >= 2:
            session = payload[0] & 0x3F
            self.supervision_results[session] = payload[1]

    # ------------------------------------------------------------------ send
    def transmit(
        self, dest: int, cc: bytes, endpoint: int = 0, dest_endpoint: int = 0, security: Any = DEFAULT_SECURITY
    ) -> None:
        """Send a command to ``dest`` (only node 1, the stick, is modelled), encrypted with
        ``security`` (default: the node's highest granted class; None: plain text)."""
        if endpoint or dest_endpoint:
            cc = multi_channel_encap(endpoint, dest_endpoint, cc)
        if security is DEFAULT_SECURITY:
            security = self.sec.highest if self.sec is not None else None
        if self._held is not None:
            self._held.append((dest, cc, security))
            return
        self._transmit_now(dest, cc, security)

    def _transmit_now(self, dest: int, cc: bytes, security: SecurityClass | None = None) -> None:
        self.sent.append(bytes(cc))
        if self.stick is None or dest != 1:
            return
        if security is not None and self.sec is not None:
            self.sec.send(cc, security)
            return
        self.deliver(cc)

    def deliver(self, frame: bytes) -> None:
        """Put ``frame`` on the air to the controller as it is."""
        if self.stick is not None and self.node_id:
            self.stick.deliver_to_host(self.node_id, frame)

    def lifeline_targets(self) -> list[tuple[int, int]]:
        """(node, endpoint) pairs in association group 1."""
        targets = [(n, 0) for n in self.associations.get(1, [])]
        targets += self.mc_associations.get(1, [])
        return targets

    def send_report(self, cc: bytes, endpoint: int = 0, supervised: bool = False) -> None:
        """Unsolicited report to the lifeline (optionally wrapped in Supervision GET)."""
        targets = self.lifeline_targets()
        if not targets:
            _LOGGER.debug("node %d: no lifeline, report %s not sent", self.node_id, cc.hex())
            return
        for dest, dest_ep in targets:
            cc_out = multi_channel_encap(endpoint, dest_ep, cc) if endpoint or dest_ep else cc
            if supervised:
                self.send_supervised(dest, cc_out)
            else:
                self.transmit(dest, cc_out)

    def next_session(self) -> int:
        """Next Supervision session id (0..63, wrapping)."""
        self._session = (self._session + 1) & 0x3F
        return self._session

    def send_supervised(self, dest: int, cc: bytes) -> int:
        """Send ``cc`` wrapped in Supervision GET; resend if no report arrives in time."""
        session = self.next_session()
        self.supervision_results.pop(session, None)
        frame = supervision_get(session, cc)
        self.transmit(dest, frame)
        if self.supervision_retries > 0 and self.stick is not None:
            self.spawn(self._supervision_retry(dest, session, frame))
        return session

    async def _supervision_retry(self, dest: int, session: int, frame: bytes) -> None:
        for _ in range(self.supervision_retries):
            await asyncio.sleep(self.supervision_timeout)
            if session in self.supervision_results:
                return
            _LOGGER.debug("node %d: no Supervision REPORT for session %d, resending", self.node_id, session)
            self.transmit(dest, frame)


def success_status(ok: bool) -> int:
    """SUCCESS or FAIL."""
    return SUPERVISION_SUCCESS if ok else SUPERVISION_FAIL


__all__ = ["CCContainer", "Endpoint", "NodeInfo", "RxContext", "VirtualNode"]
