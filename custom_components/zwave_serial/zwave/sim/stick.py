"""The virtual Z-Wave controller stick: link + Serial API + radio jobs + virtual nodes.

Usage::

    stick = VirtualStick()              # VirtualStick(strict=True) for Z-Wave JS's strictness
    stick.add_node(BinarySwitch(2))
    path = await stick.start_pty()      # or: host, port = await stick.start_tcp()
    ...
    assert stick.overlap_refusals == 0  # strict mode: the host never overlapped radio jobs
    await stick.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Coroutine
from dataclasses import replace
from typing import Any

from ..frame import Frame
from .endpoints import PtyEndpoint, TcpEndpoint
from .faults import FaultConfig, FaultCounters, FaultInjector
from .jobs import DEFAULT_TX_QUEUE_SIZE, JobQueue, RefusedJob
from .link import LinkConfig, LinkCounters, StickLink
from .node import VirtualNode
from .nvm import SimNvm
from .radio import Radio, RadioConfig
from .serialapi import SerialApi
from .timing import TimingProfile

_LOGGER = logging.getLogger(__name__)

DEFAULT_HOME_ID = 0xC0FFEE01
# Controller NIF until the host calls SetApplicationNodeInformation: listening, static controller.
DEFAULT_APP_NODE_INFO = bytes((0x01, 0x02, 0x01, 0x03, 0x5E, 0x86, 0x72))


class VirtualStick:
    """A 700/800-series-like controller stick speaking the Serial API over a pty or TCP.

    Options: ``home_id``, ``radio`` (:class:`RadioConfig` or ``"fast"``/``"realistic"``),
    ``timing`` (:class:`TimingProfile` or ``"fast"``/``"realistic"``; default: the radio's
    profile), ``faults`` (:class:`FaultConfig`), ``link`` (:class:`LinkConfig`), ``pace`` (pace
    output at 115200 baud), ``strict`` (refuse overlapping radio jobs like Z-Wave JS's mock and
    record them in :attr:`refused_jobs`; default False: queue them like the firmware),
    ``tx_queue_size`` (queued radio jobs before RES 0), ``reboot_time`` (s of silence between
    SoftReset and SerialAPIStarted; ``reset_delay`` is an alias), ``neighbor_update_time``
    (fixed duration of every neighbour update, overriding the profile), ``started_on_replug``
    (send SerialAPIStarted after replug), ``series`` ("500", "700" or "800": the NVM functions
    and, for "500", a 500-series identity; see :mod:`.nvm`), ``nvm`` (options of
    :class:`~.nvm.SimNvm`: ``profile``, ``nvm_size``, ``chunk_limit``).
    """

    def __init__(
        self,
        *,
        home_id: int = DEFAULT_HOME_ID,
        radio: RadioConfig | str | None = None,
        timing: TimingProfile | str | None = None,
        faults: FaultConfig | None = None,
        link: LinkConfig | None = None,
        pace: bool = False,
        strict: bool = False,
        tx_queue_size: int = DEFAULT_TX_QUEUE_SIZE,
        reboot_time: float | None = None,
        reset_delay: float | None = None,
        neighbor_update_time: float | None = None,
        started_on_replug: bool = True,
        seed: int | None = None,
        series: str = "700",
        nvm: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(radio, str):
            radio = RadioConfig.realistic() if radio == "realistic" else RadioConfig.fast()
        radio = radio or RadioConfig.fast()
        if timing is None:
            timing = radio.profile
        self.timing = TimingProfile.named(timing) if isinstance(timing, str) else replace(timing)
        if reboot_time is None:
            reboot_time = reset_delay
        if reboot_time is not None:
            self.timing.reboot_time = reboot_time
        self.home_id = home_id
        self.own_node_id = 1
        self.suc_node_id = 0
        self.rf_on = True
        self.rf_region = 0x00
        self.app_node_info = DEFAULT_APP_NODE_INFO
        self.neighbor_update_time = neighbor_update_time
        #: Who is in radio range of whom (node id -> neighbour ids, both ways); None: everyone
        #: listening is a neighbour of everyone (see ``NetworkFunctions.neighbors``).
        self.topology: dict[int, set[int]] | None = None
        self.started_on_replug = started_on_replug
        self.rng = random.Random(seed)
        self.radio = Radio(radio)
        self.injector = FaultInjector(faults)
        link_config = link or LinkConfig()
        if pace and link_config.pace_baud is None:
            link_config.pace_baud = 115200
        self.link = StickLink(self._on_frame, link_config, self.injector)
        self.jobs = JobQueue(strict=strict, capacity=tx_queue_size)
        self.api = SerialApi(self)
        self.nodes: dict[int, VirtualNode] = {}
        self.failed_nodes: set[int] = set()
        self.endpoint: PtyEndpoint | TcpEndpoint | None = None
        self.running = False
        self.plugged = True
        self.rebooting = False
        self.soft_resets = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._reboot_task: asyncio.Task[Any] | None = None
        self._last_delivery: dict[int, float] = {}
        self._channel_free_at = 0.0
        self._timers: set[asyncio.TimerHandle] = set()
        self.series = series
        self.nvm = SimNvm(self, series, **(nvm or {}))
        self.nvm.install()

    # ------------------------------------------------------------------ nodes
    def add_node(self, node: VirtualNode) -> VirtualNode:
        """Include a virtual node (no inclusion protocol; it simply is in the network)."""
        if node.node_id in (self.own_node_id, 0) or node.node_id > 232:
            raise ValueError(f"invalid node id {node.node_id}")
        self.nodes[node.node_id] = node
        self.api.inclusion.last_node_id = max(self.api.inclusion.last_node_id, node.node_id)
        node.attach(self)
        if self.running:
            node.start()
        return node

    def remove_node(self, node_id: int) -> None:
        """Remove a node from the network."""
        node = self.nodes.pop(node_id, None)
        self.failed_nodes.discard(node_id)
        if node is not None:
            node.stop()

    # ------------------------------------------------------------------ inclusion
    def add_waiting(self, node: VirtualNode, *, auto_join: bool = False) -> VirtualNode:
        """A device that is in no network yet (built with ``node_id=0``): AddNodeToNetwork
        includes it when its button is pressed (:meth:`press_button`), or by itself with
        ``auto_join`` (~``timing.auto_join_delay`` after the stick enters classic add mode; it
        also leaves by itself in remove mode when it is the latest auto-joined node still
        included); a ``smart_start`` device announces itself while the stick listens."""
        return self.api.inclusion.add_waiting(node, auto_join)

    def press_button(self, node: VirtualNode) -> None:
        """The user presses the device's button: included in add mode, excluded in remove
        mode (it resets and waits again), otherwise it sends its NIF."""
        self.api.inclusion.press_button(node)

    def node_left(self, node: VirtualNode) -> None:
        """``node`` reset itself: it waits again; its old ID stays listed and never answers."""
        self.api.inclusion.node_left(node)

    @property
    def waiting_nodes(self) -> list[VirtualNode]:
        """Devices not included yet, in the order they join."""
        return self.api.inclusion.waiting

    @property
    def inclusion_mode(self) -> str:
        """``idle``, ``add``, ``adding``, ``added``, ``smart_start_listen``, ``smart_start_dsk``,
        ``remove`` or ``removing``."""
        return self.api.inclusion.mode

    @property
    def in_add_mode(self) -> bool:
        return self.inclusion_mode in ("add", "adding", "added", "smart_start_dsk")

    @property
    def in_remove_mode(self) -> bool:
        return self.inclusion_mode in ("remove", "removing")

    def node(self, node_id: int) -> Any:
        """The virtual node with this id (typed ``Any`` so tests can reach device attributes)."""
        return self.nodes[node_id]

    def set_dead(self, node_id: int, dead: bool = True) -> None:
        """Make a node unreachable (it neither receives nor sends) or bring it back."""
        self.radio.set_dead(node_id, dead)
        if not dead:
            self.failed_nodes.discard(node_id)

    def offer_replacement(self, node: VirtualNode) -> bool:
        """A new device in learn mode while ReplaceFailedNode waits: it takes over the failed
        node's ID (whatever ``node.node_id`` was).  False if no replacement is waited for."""
        return self.api.network.offer_replacement(node)

    # ------------------------------------------------------------------ strict mode
    @property
    def strict(self) -> bool:
        """Refuse (ACK, never answer) a radio job while another one is pending, like Z-Wave
        JS's mock controller; False: queue it like the firmware."""
        return self.jobs.strict

    @strict.setter
    def strict(self, value: bool) -> None:
        self.jobs.strict = value

    @property
    def overlap_refusals(self) -> int:
        """How many radio jobs strict mode refused (a well-behaved host: 0)."""
        return len(self.jobs.refused)

    @property
    def refused_jobs(self) -> list[RefusedJob]:
        """What strict mode refused: function, node, and the job that was pending."""
        return self.jobs.refused

    # ------------------------------------------------------------------ faults / controls
    @property
    def faults(self) -> FaultConfig:
        """Active fault configuration (assign a new :class:`FaultConfig` to change it)."""
        return self.injector.config

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        self.injector.config = config

    @property
    def fault_counters(self) -> FaultCounters:
        """Counters of injected faults."""
        return self.injector.counters

    @property
    def link_counters(self) -> LinkCounters:
        """Link-level counters."""
        return self.link.counters

    def hang(self, seconds: float, *, until_reset: bool = False) -> None:
        """Stop answering anything for ``seconds`` (bytes from the host are lost); with
        ``until_reset`` stay hung afterwards until the host sends a soft reset."""
        self.link.hang(seconds, until_reset=until_reset)

    async def unplug(self) -> None:
        """The host sees the port vanish (pty closed / TCP dropped and not listening)."""
        self.injector.counters.unplugs += 1
        self.plugged = False
        self._power_loss()
        self.link.reset()
        if self.endpoint is not None:
            await self.endpoint.unplug()

    async def replug(self) -> None:
        """The port comes back at the same path / port."""
        self.injector.counters.replugs += 1
        if self.endpoint is not None:
            await self.endpoint.replug()
        self.link.restore_timeouts()
        self.plugged = True
        if self.started_on_replug and isinstance(self.endpoint, PtyEndpoint):
            self.api.serial_api_started(0x00)

    @property
    def reboot_time(self) -> float:
        """Seconds between SoftReset and SerialAPIStarted (the stick is deaf meanwhile)."""
        return self.timing.reboot_time

    @reboot_time.setter
    def reboot_time(self, value: float) -> None:
        self.timing.reboot_time = value

    def _power_loss(self) -> None:
        """RAM is gone: every pending radio job (no callback, no NIF will come) and the
        volatile Serial API state."""
        self.jobs.clear()
        self.api.reset_state()

    def soft_reset(self) -> None:
        """SoftReset (0x08), ACKed before this runs: the stick reboots for ``reboot_time``
        seconds, losing every pending job and queued frame and ignoring the host meanwhile,
        then sends SerialAPIStarted (reason 7) with the default link timeouts."""
        self.soft_resets += 1
        self.rebooting = True
        self._power_loss()
        self.link.power_down()
        if self._reboot_task is not None:
            self._reboot_task.cancel()

        async def _reboot() -> None:
            await asyncio.sleep(self.timing.reboot_time)
            self.rebooting = False
            self.link.power_up()
            self.api.serial_api_started(0x07)

        self._reboot_task = self.spawn(_reboot())

    # ------------------------------------------------------------------ lifecycle
    async def start_pty(self, symlink_dir: str | None = None) -> str:
        """Serve on a pty; return the stable symlink path the host should open."""
        endpoint = PtyEndpoint(self.link, symlink_dir)
        self.endpoint = endpoint
        self._start()
        try:
            return await endpoint.start()
        except BaseException:
            await self.stop()
            raise

    async def start_tcp(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        """Serve on TCP (one host at a time); return ``(host, port)``."""
        endpoint = TcpEndpoint(self.link, host, port)
        self.endpoint = endpoint
        self._start()
        try:
            return await endpoint.start()
        except BaseException:
            await self.stop()
            raise

    @property
    def port(self) -> str:
        """What the driver should open: the pty symlink path or ``socket://host:port``."""
        return self.endpoint.url if self.endpoint is not None else ""

    def _start(self) -> None:
        if self.running:
            raise RuntimeError("virtual stick already started")
        self.running = True
        self.link.start()
        for node in self.nodes.values():
            node.start()

    async def stop(self) -> None:
        """Stop everything and close the endpoint."""
        self.running = False
        await self.jobs.stop()
        tasks = list(self._tasks)
        for node in [*self.nodes.values(), *self.waiting_nodes]:
            tasks.extend(node.tasks)
            node.stop()
        for handle in self._timers:
            handle.cancel()
        self._timers.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.link.stop()
        if self.endpoint is not None:
            await self.endpoint.stop()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a background task owned by the stick."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # ------------------------------------------------------------------ traffic
    def _on_frame(self, frame: Frame) -> None:
        self.api.handle(frame)

    def emit(self, frame: Frame) -> None:
        """Queue a frame for the host (lost while unplugged or rebooting)."""
        if not self.plugged or self.rebooting:
            return
        self.link.send(frame)

    def deliver_to_host(self, src: int, cc: bytes, rx_status: int = 0x00) -> None:
        """A node transmits ``cc`` to the controller: arrives as ApplicationCommandHandler (0x04)
        after the radio latency, in order per source node, one frame on the channel at a time
        (``timing.rx_frame_gap`` apart)."""
        loop = asyncio.get_running_loop()
        at = max(
            loop.time() + self.radio.latency(src),
            self._last_delivery.get(src, 0.0) + 1e-4,
            self._channel_free_at,
        )
        self._last_delivery[src] = at
        self._channel_free_at = at + self.timing.rx_frame_gap

        def _deliver() -> None:
            self._timers.discard(handle)
            if not self.running:
                return
            if self.rebooting:
                _LOGGER.debug("frame from node %d lost (stick rebooting)", src)
                return
            if self.radio.is_dead(src) or not self.rf_on:
                _LOGGER.debug("frame from node %d lost (dead or RF off)", src)
                return
            payload = bytes((rx_status,)) + self.api.node_bytes(src) + bytes((len(cc),)) + cc
            self.emit(Frame.request(0x04, payload))

        # call_at (not sleep) so frames from one node keep their order.
        handle = loop.call_at(at, _deliver)
        self._timers.add(handle)

    async def settle_reports(self, src: int, limit: float = 2.0) -> None:
        """Wait until the frames node ``src`` has on the air reached the host and were
        acknowledged (for the premature-report ordering fault)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        at = self._last_delivery.get(src, 0.0)
        if at > loop.time():
            await asyncio.sleep(at - loop.time() + 1e-3)
        while self.link.pending_unsolicited and loop.time() < deadline:
            await asyncio.sleep(0.002)
