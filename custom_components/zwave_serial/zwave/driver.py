"""The driver: owns the port, the Serial API engine, the controller, the nodes and the cache.

Lifecycle: ``start()`` opens the port and runs the controller start-up, then interviews nodes
in the background.  When the port is lost the driver fails pending commands with
``ConnectionLost``, reconnects with back-off and re-runs start-up.  A stick that stops
answering is recovered with a soft reset, then by reopening the port.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from .errors import (
    ConnectionLost,
    ControllerError,
    DriverNotReady,
    DriverStopped,
    FrameNotAcknowledged,
    NodeNotFound,
    NotAZWaveStick,
    StickRestarted,
    TransportError,
    ZWaveError,
)
from .events import (
    ConnectedEvent,
    ConnectionLostEvent,
    DriverEvent,
    DriverReadyEvent,
    NodeAddedEvent,
    NodeRemovedEvent,
    NodeStatus,
)
from .frame import NAK, Frame
from .link import Link, connect
from .lock_schedules import LockSchedules
from .messaging import NodeMessenger
from .network import interview as interview_mod
from .network.controller import Controller, run_startup
from .network.failed import FailedNodes
from .network.heal_run import HealManager
from .network.inclusion import InclusionController
from .network.liveness import NodeLiveness
from .network.provisioning import ProvisioningList
from .network.reinterview import reset_interview
from .node import INTERVIEW_DONE, Node
from .nvm.manager import NvmManager
from .redact import frame_text
from .security.keys import NetworkKeys, SecurityClass
from .security.manager import SecurityManager
from .serialapi import FunctionType
from .serialapi.application import NodeInfoUpdate, UpdateType
from .serialapi.engine import Priority, SerialApi
from .store import CACHE_VERSION, CacheStore, migrate_cache
from .timekeeping import TimeKeeper
from .transport import redact_url

_LOGGER = logging.getLogger(__name__)


@dataclass
class DriverOptions:
    """Tunables; defaults follow protocol-facts §1.5."""

    ack_timeout: float = 1.6
    response_timeout: float = 10.0
    #: Z-Wave JS's timeouts: a SendData is aborted after 20 s and its callback awaited
    #: until 30 s; every other callback 30 s unless the function declares a longer one.
    callback_timeout: float = 30.0
    send_data_abort_after: float = 20.0
    #: RequestNodeInfo holds the radio until the NIF: a node that ACKs but never answers
    #: costs this long (the firmware then sends nothing at all).
    node_info_timeout: float = 10.0
    report_timeout: float = 10.0
    reconnect_min_delay: float = 1.0
    reconnect_max_delay: float = 30.0
    default_wake_up_interval: int = 3600
    controller_is_suc: bool = True
    #: How long add/remove mode waits for a device (and include_smart_start for its request).
    inclusion_timeout: float = 60.0
    #: Key exchange timers (protocol-facts §5.2): each step (S2 TA1-TA5, S0's 10 s) and the
    #: user's grant / PIN steps (S2 TAI1/TAI2, 240 s).
    bootstrap_timeout: float = 10.0
    bootstrap_user_timeout: float = 240.0
    #: SendData attempts per command (Z-Wave JS: 3); a listening node is dead after 3 failed
    #: transmissions in a row (network/liveness.py).
    send_attempts: int = 3
    #: Back-off of the pings of a dead listening node (1 min, 2, 4 … capped at 1 h), and the
    #: slack after two missed wake-ups before a battery device is marked dead.
    dead_ping_min_interval: float = 60.0
    dead_ping_max_interval: float = 3600.0
    wake_up_grace: float = 60.0
    verify_delay: float = 1.0
    send_to_sleep_delay: float = 1.0
    cache_save_delay: float = 5.0
    startup_timeout: float = 5.0
    #: How long a soft reset waits for the stick's SerialAPIStarted (500 series: none).
    soft_reset_timeout: float = 5.0
    #: Interview attempts per node (each resumes at the stage that failed) and the wait
    #: before attempt n+1 (``interview_backoff * n`` seconds).
    interview_attempts: int = 3
    interview_backoff: float = 5.0
    #: The hub's time zone (IANA name) for Time CC answers and device clocks (timekeeping.py);
    #: None = the system's zone.
    time_zone: str | None = None


class Driver:
    """Z-Wave driver over one stick (see docs/driver-api.md): lifecycle and composition.

    It owns the link and the Serial API engine, the :class:`Controller`, the nodes, and a
    :class:`NodeMessenger` that talks to them; start-up, interview and heal live in
    ``network/`` and reach the driver through small interfaces.
    """

    def __init__(
        self,
        port: str,
        *,
        cache: CacheStore | None = None,
        options: DriverOptions | None = None,
        keys: NetworkKeys | None = None,
    ) -> None:
        self.port = port
        self.options = options or DriverOptions()
        self._cache = cache
        self.controller = Controller()
        self.api: SerialApi | None = None
        self._link: Link | None = None
        self.connected = False
        self.ready = False
        self._stopping = False
        self._subscribers: list[Callable[[DriverEvent], None]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._reconnect_task: asyncio.Task[None] | None = None
        self._recovery_task: asyncio.Task[None] | None = None
        self._save_handle: asyncio.TimerHandle | None = None
        # Cache entries of nodes not restored yet (released as nodes are created).
        self._cached_nodes: dict[str, Any] = {}
        self._cached_home_id: str | None = None
        self._stats_base: dict[str, int] = {}
        #: S0/S2 with securely included nodes (``keys``: the network keys, None = none).
        self.security = SecurityManager(self, keys)
        self.messenger = NodeMessenger(self)
        self._interview_tasks: dict[int, asyncio.Task[bool]] = {}
        self._restart_lock = asyncio.Lock()
        self._in_startup = False  # a SerialAPIStarted now (e.g. right after a replug) needs no restart
        self._heal: HealManager | None = None
        #: Optional tap on every frame: ``observer("in" | "out", frame)`` (the CLI's monitor).
        self.frame_observer: Callable[[str, Frame], None] | None = None
        #: SmartStart provisioning list (saved with the cache) and network management.
        self.provisioning = ProvisioningList(on_change=self._provisioning_changed)
        self.inclusion = InclusionController(self)
        #: Backup and restore of the stick's memory (NVM).
        self.nvm = NvmManager(self)
        #: Failed nodes (is/remove/replace) and dead-node detection (network/failed.py, liveness.py).
        self.failed_nodes = FailedNodes(self)
        self.liveness = NodeLiveness(self)
        #: The hub's time duties: device clocks after interviews and DST changes (timekeeping.py).
        self.timekeeper = TimeKeeper(self)
        #: Lock code schedules (in the lock or hub-managed; lock_schedules.py), started after start-up.
        self.lock_schedules = LockSchedules(self)

    # --- public -----------------------------------------------------------------

    @property
    def nodes(self) -> dict[int, Node]:
        return self.controller.nodes

    @property
    def own_node_id(self) -> int:
        return self.controller.own_node_id

    @property
    def home_id(self) -> int:
        return self.controller.home_id

    async def send_raw(self, node_id: int, data: bytes, priority: Priority | None = None) -> None:
        """SendData of ``data`` as is (the security manager's nonce exchange)."""
        if not self.connected or self.api is None:
            raise DriverNotReady("the Z-Wave stick is not connected")
        await self.api.send_data(node_id, data, priority=priority or Priority.CONTROLLER)

    def subscribe(self, callback: Callable[[DriverEvent], None]) -> Callable[[], None]:
        """Call ``callback(event)`` for every driver event; returns the unsubscribe function."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def emit(self, event: DriverEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:
                _LOGGER.exception("Event subscriber failed on %s", type(event).__name__)

    def statistics(self) -> dict[str, int]:
        stats = dict(self._stats_base)
        if self._link is not None:
            for key, value in self._link.counters.as_dict().items():
                stats[key] = stats.get(key, 0) + value
        stats.update(self.security.counters)
        stats.update(self.messenger.counters)
        return stats

    async def start(self) -> None:
        """Open the port, run start-up; node interviews continue in the background."""
        self._stopping = False
        if self._cache is not None:
            data = migrate_cache(await self._cache.load()) or {}
            if data.get("version") == CACHE_VERSION:
                self._cached_nodes = data.get("nodes") or {}
                self._cached_home_id = data.get("home_id")
                self.provisioning.restore(data.get("provisioning"))
        await self._open()
        try:
            await self._startup(first=True)
        except (ControllerError, FrameNotAcknowledged) as err:
            await self._close_link()
            raise NotAZWaveStick(f"no Z-Wave Serial API answered on {redact_url(self.port)}: {err}") from err
        except BaseException:
            await self._close_link()
            raise
        self.ready = True
        self.emit(DriverReadyEvent())
        self._start_interviews()
        self.create_task(self.inclusion.update_smart_start(), "SmartStart listen mode")
        self.lock_schedules.start()  # applies hub-managed schedule boundaries missed while stopped

    async def probe(self) -> Controller:
        """Open the port, read the stick's identity and node list, close it again.

        Changes nothing on the stick (no SUC change, no node information, no interviews):
        for a setup wizard checking what is plugged in.  Raises NotAZWaveStick / TransportError.
        """
        await self._open()
        try:
            self._in_startup = True
            async with asyncio.timeout(self.options.startup_timeout * 6):
                await run_startup(self, read_only=True)
        except (ControllerError, FrameNotAcknowledged, TimeoutError) as err:
            raise NotAZWaveStick(f"no Z-Wave Serial API answered on {redact_url(self.port)}: {err}") from err
        finally:
            self._in_startup = False
            self._stopping = True
            await self._close_link()
        return self.controller

    async def stop(self) -> None:
        """Close the port and cancel background work; pending commands fail with DriverStopped."""
        self._stopping = True
        self.liveness.stop()
        if self._save_handle is not None:
            self._save_handle.cancel()
            self._save_handle = None
        for task in [*self._tasks, self._reconnect_task, self._recovery_task]:
            if task is not None and not task.done():
                task.cancel()
        await asyncio.gather(*[t for t in self._tasks if t is not None], return_exceptions=True)
        self._tasks.clear()
        self._retire_api(DriverStopped("the driver was stopped"))
        await self._close_link()
        if self.ready and self._cache is not None:
            await self._save_cache()
        self.connected = False

    async def wait_for_nodes_ready(self, timeout: float | None = None, include_sleeping: bool = False) -> None:
        """Wait until every (listening, or all) node's interview has finished."""

        async def wait() -> None:
            while True:
                pending = [
                    n
                    for n in self.nodes.values()
                    if not n.ready
                    and (include_sleeping or not n.is_sleeping_device)
                    and n.status is not NodeStatus.DEAD
                    and (n.interview_failed is None or self._interviewing(n))
                ]
                if not pending:
                    return
                await asyncio.sleep(0.05)

        async with asyncio.timeout(timeout):
            await wait()

    @property
    def heal(self) -> HealManager:
        """The network heal (network/heal_run.py): ``progress``, ``running``, ``reasons``."""
        if self._heal is None:
            self._heal = HealManager(self)
        return self._heal

    async def heal_network(self) -> dict[int, str]:
        """Refresh neighbours and return routes of every node, nearest to the controller
        first; returns node id -> "done", "failed", "queued" (sleeping nodes heal at their next
        wake-up) or "skipped" (stopped).  A second caller shares the running heal."""
        results = await asyncio.shield(self.heal.start())
        return {node_id: str(r.status) for node_id, r in results.items()}

    def start_heal(self) -> bool:
        """Start a network heal in the background; False if one is running already."""
        if self.heal.running:
            return False
        self.heal.start()
        return True

    def stop_heal(self) -> bool:
        """Stop the network heal (the step on the radio finishes); False if none was running."""
        return self.heal.stop()

    async def heal_node(self, node_id: int) -> str:
        """Heal one node now; returns "done", "failed" or "queued" (asleep: at its wake-up)."""
        return str((await self.heal.heal_one(self.nodes[node_id])).status)

    async def soft_reset(self) -> None:
        """Restart the stick's firmware through the transaction queue (never inside a radio
        job), wait for it to come back, then run start-up again."""
        if self.api is None or not self.connected:
            raise DriverNotReady("the Z-Wave stick is not connected")
        await self._reset_and_restart(self.api)

    async def restart_after_reset(self) -> None:
        """Run start-up again after a caller holding the radio reset the stick (NVM backup/restore)."""
        await self._restart()

    async def _reset_and_restart(self, api: SerialApi) -> None:
        self._in_startup = True  # its SerialAPIStarted is the reset's result, not a surprise
        try:
            await api.soft_reset(started_timeout=self.options.soft_reset_timeout)
        finally:
            self._in_startup = False
        await self._restart()

    # --- connection ---------------------------------------------------------------

    async def _open(self) -> None:
        opened: list[Link] = []
        link = await connect(
            self.port,
            self._on_frame,
            # A link closed earlier may report its loss late (after a quick stop/start): only
            # the current link's loss counts.
            lambda exc: self._on_lost(exc, opened[0] if opened else None),
            ack_timeout=self.options.ack_timeout,
            formatter=frame_text,
        )
        opened.append(link)
        if self.frame_observer is not None:
            link.send = self._observed_send(link.send)  # type: ignore[method-assign]
        self._link = link
        self.api = SerialApi(
            link,
            response_timeout=self.options.response_timeout,
            callback_timeout=self.options.callback_timeout,
            send_data_abort_after=self.options.send_data_abort_after,
        )
        self.api.add_listener(self._on_unsolicited)
        self.api.on_unresponsive = self.note_unresponsive
        link.write_raw(bytes((NAK,)))  # host init: NAK clears the stick's receive state
        self.connected = True

    async def _close_link(self) -> None:
        link, self._link = self._link, None
        self.connected = False
        self._retire_api()
        if link is not None:
            self._keep_counters(link)
            link.close()
        # Let cancelled workers and the closed transport finish their callbacks.
        for _ in range(3):
            await asyncio.sleep(0)

    def _retire_api(self, exc: BaseException | None = None) -> None:
        """Fail the engine's pending calls and stop it."""
        api = self.api
        if api is None:
            return
        if exc is not None:
            api.fail_all(exc)
        api.stop()
        self.api = None

    def _keep_counters(self, link: Link) -> None:
        """Add a retired link's counters (the API counts its timeouts there too) to the totals."""
        for key, value in link.counters.as_dict().items():
            self._stats_base[key] = self._stats_base.get(key, 0) + value

    def _observed_send(self, send: Callable[[Frame], Coroutine[Any, Any, None]]) -> Callable[[Frame], Coroutine[Any, Any, None]]:
        async def observed(frame: Frame) -> None:
            if self.frame_observer is not None:
                self.frame_observer("out", frame)
            await send(frame)

        return observed

    def _on_frame(self, frame: Frame) -> None:
        if self.frame_observer is not None:
            self.frame_observer("in", frame)
        if self.api is not None:
            self.api.handle_frame(frame)

    def _on_lost(self, exc: Exception | None, link: Link | None = None) -> None:
        if self._stopping or self._link is None or (link is not None and link is not self._link):
            return
        reason = str(exc) if exc else "port closed"
        _LOGGER.debug("Lost the Z-Wave stick on %s: %s", redact_url(self.port), reason)
        self._retire_api(ConnectionLost(f"lost the Z-Wave stick: {reason}"))
        link, self._link = self._link, None
        self._keep_counters(link)
        self.connected = False
        self.emit(ConnectionLostEvent(reason))
        if self._reconnect_task is None or self._reconnect_task.done():
            self._reconnect_task = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        delay = self.options.reconnect_min_delay
        while not self._stopping:
            await asyncio.sleep(delay)
            try:
                await self._open()
                await self._startup(first=False)
            except (TransportError, ZWaveError) as err:
                _LOGGER.debug("Reconnect to %s failed: %s", redact_url(self.port), err)
                await self._close_link()
                delay = min(delay * 2, self.options.reconnect_max_delay)
                continue
            _LOGGER.debug("Reconnected to the Z-Wave stick on %s", redact_url(self.port))
            self.emit(ConnectedEvent())
            self._start_interviews()
            self.create_task(self.inclusion.update_smart_start(), "SmartStart listen mode")
            return

    def _on_unsolicited(self, function: int, message: Any) -> None:
        if function in (0x04, 0xA8):  # ApplicationCommandHandler (and the bridge variant)
            if self.inclusion.handle_command(message.source_node_id, message.command):
                return  # the device being bootstrapped: its key exchange takes it
            self.messenger.handle_application_command(
                message.source_node_id, message.command, multicast=message.is_multicast or message.is_broadcast
            )
        elif function == 0x49:  # ApplicationUpdate
            self._on_application_update(message)
        elif function == 0x0A and self.ready and not self._stopping and not self._in_startup:  # SerialAPIStarted
            _LOGGER.warning("The stick restarted (SerialAPIStarted); running start-up again")
            # It forgot the request in flight: fail it now instead of waiting out its timeouts.
            if self.api is not None:
                self.api.abort_current(StickRestarted("the stick restarted while the command was in flight"))
            # Eager: start-up's first request is queued (controller priority) before the aborted
            # transaction hands the stick to the next queued command.
            self.create_task(self._restart(), "restart after SerialAPIStarted", eager=True)

    def _on_application_update(self, update: Any) -> None:
        kind = getattr(update, "update_type", None)
        node_id = getattr(update, "node_id", None)
        if kind in (UpdateType.SMART_START_HOME_ID_RECEIVED, UpdateType.SMART_START_LR_HOME_ID_RECEIVED):
            self.inclusion.handle_smart_start_request(update)
            return
        if node_id is None:
            return
        node = self.nodes.get(node_id)
        if kind == 0x40 and node is None:
            self._add_node(node_id, interview=True)
        elif kind == 0x20 and node is not None:
            self._remove_node(node_id)
        elif kind == 0x84 and node is not None and node.is_sleeping_device:
            # A sleeping node that sends its NIF is awake for a moment.
            self.messenger.on_wake_up(node)

    async def _restart(self) -> None:
        async with self._restart_lock:
            if self.api is None or not self.connected:
                return  # the port was lost meanwhile: the reconnect runs start-up
            try:
                await self._startup(first=False)
            except ZWaveError as err:
                _LOGGER.warning("Start-up after a stick reset failed: %s", err)
                return
            self.emit(ConnectedEvent())
            self.create_task(self.inclusion.update_smart_start(), "SmartStart listen mode")

    def note_unresponsive(self) -> None:
        """The stick did not ACK a frame after all retries: try a soft reset, then reopen the port.

        (Before the first start-up completed, :meth:`start` reports the failure instead.)"""
        if not self.ready or self._stopping:
            return
        if self._recovery_task is None or self._recovery_task.done():
            self._recovery_task = asyncio.get_running_loop().create_task(self._recover())

    async def _recover(self) -> None:
        for attempt, delay in enumerate((0.5, 2.0, 5.0)):
            await asyncio.sleep(delay)
            if self._link is None or self.api is None:
                return
            if attempt == 0:
                # A frame can go unacknowledged three times on a noisy link while the stick is
                # fine: check first, because a reset loses the frames the stick still holds.
                try:
                    await self.api.call(FunctionType.GET_CONTROLLER_VERSION, priority=Priority.CONTROLLER)
                except ZWaveError as err:
                    _LOGGER.debug("The stick does not answer: %s; soft reset", err)
                else:
                    _LOGGER.debug("The stick answers again; no reset needed")
                    return
                if self._link is None or self.api is None:
                    return
            # The reset loses the job in flight: fail it now rather than after its timeouts.
            self.api.abort_current(StickRestarted("the stick was soft-reset while the command was in flight"))
            try:
                await self._reset_and_restart(self.api)
            except ZWaveError as err:
                # A wedged stick may take the reset without ACKing it: give it time, then ask.
                _LOGGER.debug("Soft reset not confirmed (%s); probing the stick", err)
                try:
                    await asyncio.sleep(1.5)
                    if self.api is None:
                        return
                    await self.api.call(FunctionType.GET_CONTROLLER_VERSION, priority=Priority.CONTROLLER)
                except ZWaveError as err2:
                    _LOGGER.debug("Stick still unresponsive: %s", err2)
                    continue
            _LOGGER.info("The stick answers again after a soft reset")
            return
        if self._link is not None:
            _LOGGER.warning("The stick does not answer; reopening %s", redact_url(self.port))
            self._link.close()

    # --- start-up and nodes ---------------------------------------------------------

    async def _startup(self, *, first: bool) -> None:
        self.inclusion.reset()  # a restarted or reopened stick is in no add/listen mode
        self._in_startup = True
        try:
            async with asyncio.timeout(self.options.startup_timeout * 6):
                node_ids = await run_startup(self, first=first)
        finally:
            self._in_startup = False
        ctrl = self.controller
        if self._cached_home_id not in (None, f"{ctrl.home_id:08x}"):
            _LOGGER.warning("Cache belongs to another network; ignoring it")
            self._cached_nodes = {}
        for node_id in node_ids:
            if node_id not in self.nodes:
                self._add_node(node_id, interview=False, announce=not first)
        for node_id in [n for n in self.nodes if n not in node_ids]:
            self._remove_node(node_id)
        self._cached_nodes.clear()  # what was not restored belongs to nodes no longer in the network
        for node in self.nodes.values():
            if node.node_id == ctrl.own_node_id:
                continue
            if node.interview_stage is None or node.protocol.basic is None:
                await self._query_protocol_info(node)
            if node.is_sleeping_device:
                node.set_status(NodeStatus.ASLEEP)

    def _add_node(self, node_id: int, *, interview: bool, announce: bool = True) -> Node:
        node = Node(self, node_id)
        cached = self._cached_nodes.pop(str(node_id), None)
        if cached:
            node.restore_cache(cached)
        if node_id == self.controller.own_node_id:
            node.protocol.is_controller = True
            node.interview_stage = INTERVIEW_DONE
            node.status = NodeStatus.ALIVE
        self.nodes[node_id] = node
        if announce:
            self.emit(NodeAddedEvent(node_id))
        if interview:
            self._start_interview(node)
        return node

    def _remove_node(self, node_id: int) -> None:
        node = self.nodes.pop(node_id, None)
        if node is None:
            return
        task = self._interview_tasks.pop(node_id, None)
        if task is not None:
            task.cancel()
        self.security.forget_node(node_id)
        self.emit(NodeRemovedEvent(node_id))
        self.schedule_cache_save()

    # --- network management (the InclusionController's host) ----------------------------

    async def add_included_node(
        self, node_id: int, node_info: NodeInfoUpdate | None, security_class: SecurityClass | None, dsk: str | None
    ) -> Node:
        """A device just joined (and was bootstrapped): create it with its granted class
        known, announce it, interview it and cache it."""
        node = Node(self, node_id)
        node.security_class = security_class
        node.dsk = dsk
        if node_info is not None:
            node.set_command_classes(0, dict.fromkeys(node_info.supported_ccs, 1))
            node.controlled_ccs = list(node_info.controlled_ccs)
        self.nodes[node_id] = node
        try:
            await self._query_protocol_info(node)
        except ZWaveError as err:
            _LOGGER.debug("Protocol info of the new node %s: %s", node_id, err)
        self.emit(NodeAddedEvent(node_id, security_class, included=True))
        node.mark_alive()
        self._start_interview(node)
        self.schedule_cache_save(immediate=True)
        return node

    def forget_node(self, node_id: int) -> None:
        """A node left the network: drop it, its cache entry and its security state."""
        self._remove_node(node_id)
        self.schedule_cache_save(immediate=True)

    def _provisioning_changed(self) -> None:
        self.schedule_cache_save(immediate=True)
        if self.ready and self.connected:
            self.create_task(self.inclusion.update_smart_start(), "SmartStart listen mode")

    async def _query_protocol_info(self, node: Node) -> None:
        assert self.api is not None
        info = (await self.api.call(FunctionType.GET_NODE_PROTOCOL_INFO, node_id=node.node_id)).response
        p = node.protocol
        p.listening = info.listening
        p.frequent_listening = info.frequent_listening
        p.routing = info.routing
        p.beaming = info.beaming
        p.is_controller = info.is_controller
        p.security = info.security
        p.protocol_version = info.protocol_version
        p.basic, p.generic, p.specific = info.basic, info.generic, info.specific

    def _start_interviews(self) -> None:
        for node in list(self.nodes.values()):
            if not node.ready and not (node.is_sleeping_device and node.status is NodeStatus.ASLEEP):
                self._start_interview(node)

    def _start_interview(self, node: Node) -> None:
        task = self._interview_tasks.get(node.node_id)
        if task is None or task.done():
            self._interview_tasks[node.node_id] = self.create_task(self.interview_node(node), f"interview {node.node_id}")

    def _interviewing(self, node: Node) -> bool:
        task = self._interview_tasks.get(node.node_id)
        return task is not None and not task.done()

    def reinterview_node(self, node_id: int) -> None:
        """Forget the node's interview and run it again (progress: NodeInterviewStageEvent; a
        sleeping node is interviewed at its next wake-up).  Raises NodeNotFound."""
        node = self.nodes.get(node_id)
        if node is None or node_id == self.own_node_id:
            raise NodeNotFound(f"node {node_id} is not a device of this network", node_id)
        task = self._interview_tasks.pop(node_id, None)
        if task is not None:
            task.cancel()
        reset_interview(node)
        self.schedule_cache_save()
        if self.ready and self.connected and not (node.is_sleeping_device and node.status is not NodeStatus.ALIVE):
            self._start_interview(node)

    def resume_interview(self, node: Node) -> None:
        """Continue an unfinished interview (a dead node came back)."""
        if self.ready and self.connected and not node.ready:
            self._start_interview(node)

    async def interview_node(self, node: Node) -> bool:
        return await interview_mod.interview(self, node)

    # --- tasks and cache ------------------------------------------------------------

    def create_task[T](self, coro: Coroutine[Any, Any, T], name: str, *, eager: bool = False) -> asyncio.Task[T]:
        """Run ``coro`` as a tracked task (``eager``: its first step runs now)."""
        loop = asyncio.get_running_loop()
        task = asyncio.eager_task_factory(loop, coro, name=name) if eager else loop.create_task(coro, name=name)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and (exc := t.exception()) is not None:
                if isinstance(exc, ZWaveError):
                    _LOGGER.debug("Task %s failed: %s", name, exc)
                else:
                    _LOGGER.error("Task %s crashed", name, exc_info=exc)

        task.add_done_callback(done)
        return task

    def schedule_cache_save(self, *, immediate: bool = False) -> None:
        if self._cache is None or not self.ready or self._stopping:  # stop() saves the cache itself
            return
        if immediate:
            if self._save_handle is not None:
                self._save_handle.cancel()
                self._save_handle = None
            self.create_task(self._save_cache(), "save cache")
            return
        if self._save_handle is None:
            loop = asyncio.get_running_loop()
            self._save_handle = loop.call_later(
                self.options.cache_save_delay, lambda: self.create_task(self._save_cache(), "save cache")
            )

    def cache_data(self) -> dict[str, Any]:
        own = self.controller.own_node_id
        nodes = {str(node_id): node.to_cache() for node_id, node in self.nodes.items() if node_id != own}
        return {
            "version": CACHE_VERSION,
            "home_id": f"{self.controller.home_id:08x}",
            "nodes": nodes,
            "provisioning": self.provisioning.to_cache(),
        }

    async def _save_cache(self) -> None:
        if self._save_handle is not None:  # this save covers a delayed one armed meanwhile
            self._save_handle.cancel()
        self._save_handle = None
        if self._cache is None:
            return
        try:
            await self._cache.save(self.cache_data())
        except Exception:
            _LOGGER.exception("Saving the network cache failed")
