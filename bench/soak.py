"""Soak test: the real driver against the virtual stick over a pty, under link faults.

Runs N operations (switch/dimmer sets and gets, unsolicited device reports, lock/unlock from
the hub and from the keypad, battery wake-ups with a queued command) while the stick corrupts
5 % of its frames, answers 2 % of the host's frames with CAN and 1 % with an ACK that comes after
the driver's ACK timeout; once it hangs for a few seconds and then stays hung until the driver
soft-resets it, and twice it is unplugged and replugged.

What is measured (see :class:`SoakReport`):

* every operation ends as *completed*, *failed* with a typed ``ZWaveError`` (counted by type) or
  *lost* (still unresolved when its guard timeout expires - must be 0);
* *duplicated* (must be 0): a Set the device carried out more than once for one call, or a frame
  from a device that the driver processed more often than the device sent it (a report turning
  into two events);
* after the run, with faults off and a final refresh, the driver's values must equal the devices'
  state for every node (0 mismatches).

``python bench/soak.py --ops 10000`` (or ``scripts/bench soak``); the test suite runs
:func:`run_soak` with 500 operations (tests/bench/test_soak_short.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import percentile, quiet_logging, table
from custom_components.zwave_serial.zwave import (
    CommandClass,
    ConnectedEvent,
    ConnectionLostEvent,
    Driver,
    DriverOptions,
    MemoryCache,
    NodeStatus,
    ZWaveError,
)
from custom_components.zwave_serial.zwave.cc.door_lock import DoorLockOperationGet
from custom_components.zwave_serial.zwave.cc.meter import MeterGet
from custom_components.zwave_serial.zwave.cc.sensor_multilevel import SensorMultilevelGet
from custom_components.zwave_serial.zwave.cc.switch_binary import SwitchBinaryGet
from custom_components.zwave_serial.zwave.cc.switch_multilevel import SwitchMultilevelGet
from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS, DemoStick, start_demo
from custom_components.zwave_serial.zwave.sim.faults import FaultConfig

CC = CommandClass
_LOGGER = logging.getLogger("bench.soak")

#: Driver timeouts of the soak: short, so that fault paths finish quickly (the late ACK of the
#: fault mix comes after ``ack_timeout``).
SOAK_DRIVER_OPTIONS: dict[str, Any] = {
    "ack_timeout": 0.5,
    "response_timeout": 2.0,
    "callback_timeout": 5.0,
    "send_data_abort_after": 3.0,
    "node_info_timeout": 2.0,
    "soft_reset_timeout": 1.0,
    "interview_backoff": 0.1,
    "report_timeout": 2.0,
    "reconnect_min_delay": 0.1,
    "reconnect_max_delay": 0.5,
    "verify_delay": 0.05,
    "send_to_sleep_delay": 0.1,
    "cache_save_delay": 0.5,
}

#: Set commands whose executions on the device are counted: (cc, command).
_SET_COMMANDS = {(0x25, 0x01), (0x26, 0x01), (0x62, 0x01), (0x70, 0x04)}
SENSOR_NODE, SWITCH_NODE, DIMMER_NODE, MOTION_NODE, PLUG_NODE, LOCK_NODE, MULTI_NODE = 4, 2, 3, 5, 6, 7, 8


# --------------------------------------------------------------------------- report


@dataclass
class SoakReport:
    """Outcome of one soak run."""

    ops: int = 0
    seed: int = 0
    attempted: int = 0
    completed: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    lost: int = 0
    lost_details: list[str] = field(default_factory=list)
    duplicated_sets: int = 0
    duplicated_frames: int = 0
    duplicate_details: list[str] = field(default_factory=list)
    undelivered_frames: int = 0
    undelivered_in_outage: int = 0
    queued_deferred: int = 0
    queued_dropped: int = 0
    sets_after_call: int = 0
    stale_after_get: int = 0
    mismatches: list[str] = field(default_factory=list)
    values_checked: int = 0
    op_types: Counter[str] = field(default_factory=Counter)
    op_seconds: dict[str, list[float]] = field(default_factory=dict)
    driver_stats: dict[str, int] = field(default_factory=dict)
    stick_link: dict[str, int] = field(default_factory=dict)
    faults_injected: dict[str, int] = field(default_factory=dict)
    unplug_recovery: list[float] = field(default_factory=list)
    hang_seconds: float = 0.0
    hang_until_reset: bool = True
    hang_reset_after: float | None = None
    hang_ready_after_reset: float | None = None
    hang_recovery: float | None = None
    soft_resets: int = 0
    driver_errors_logged: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def duplicated(self) -> int:
        """Sets carried out twice + device frames processed more often than sent."""
        return self.duplicated_sets + self.duplicated_frames

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    @property
    def ok(self) -> bool:
        """The soak's targets: nothing lost, nothing duplicated, no state mismatch."""
        return self.lost == 0 and self.queued_dropped == 0 and self.duplicated == 0 and not self.mismatches

    def _hang_rows(self) -> list[list[object]]:
        if not self.hang_until_reset:
            return [[f"hang of {self.hang_seconds:g} s, then the stick resumed by itself", ""]]

        def seconds(value: float | None) -> object:
            return "never" if value is None else value

        return [
            [
                f"hang ({self.hang_seconds:g} s, then stuck until reset): soft reset after (s)",
                seconds(self.hang_reset_after),
            ],
            ["hang: soft reset -> driver ready again (s)", seconds(self.hang_ready_after_reset)],
        ]

    def format(self) -> str:
        """Human-readable summary (tables)."""
        out = [f"Soak: {self.ops} operations, seed {self.seed}, {self.seconds:.1f} s"]
        rows: list[list[object]] = [
            ["attempted", self.attempted],
            ["completed", self.completed],
            ["failed (typed error)", self.failed_total],
            ["lost (unresolved at guard timeout)", self.lost],
            ["duplicated (sets applied twice)", self.duplicated_sets],
            ["duplicated (device frames processed twice)", self.duplicated_frames],
            ["state mismatches after final refresh", len(self.mismatches)],
            ["values compared", self.values_checked],
            ["stale value right after a successful get", self.stale_after_get],
            ["queued commands kept for the next wake-up (link failed while awake)", self.queued_deferred],
            ["queued commands dropped (counted as lost)", self.queued_dropped],
            ["Sets carried out after their call ended (failed/queued)", self.sets_after_call],
            ["device frames not delivered (in outage)", self.undelivered_in_outage],
            [
                "device frames not delivered (elsewhere)",
                self.undelivered_frames - self.undelivered_in_outage,
            ],
            ["driver errors logged", len(self.driver_errors_logged)],
            ["soft resets of the stick", self.soft_resets],
            *self._hang_rows(),
            [
                "hang: first operation completed after it ended (s)",
                self.hang_recovery if self.hang_recovery is not None else float("nan"),
            ],
        ]
        for i, seconds in enumerate(self.unplug_recovery, 1):
            rows.append([f"unplug {i}: replug -> connected (s)", seconds])
        out.append(table(["result", "value"], rows))
        if self.failed:
            out.append(table(["failed with", "count"], sorted(self.failed.items(), key=lambda kv: -kv[1])))
        out.append(
            table(
                ["operation", "count", "p50 ms", "p99 ms", "total s"],
                [
                    [
                        kind,
                        count,
                        1000 * percentile(self.op_seconds.get(kind, []), 50),
                        1000 * percentile(self.op_seconds.get(kind, []), 99),
                        sum(self.op_seconds.get(kind, [])),
                    ]
                    for kind, count in sorted(self.op_types.items())
                ],
            )
        )
        out.append(
            table(
                ["injected fault", "count"],
                [[k, v] for k, v in self.faults_injected.items() if v],
            )
        )
        keys = sorted(set(self.driver_stats) | set(self.stick_link))
        out.append(
            table(
                ["link counter", "driver", "stick"],
                [[k, self.driver_stats.get(k, "-"), self.stick_link.get(k, "-")] for k in keys],
            )
        )
        for title, items in (
            ("LOST", self.lost_details),
            ("DUPLICATES", self.duplicate_details),
            ("MISMATCHES", self.mismatches),
            ("DRIVER ERRORS", self.driver_errors_logged),
        ):
            if items:
                out.append(f"{title}:\n  " + "\n  ".join(items[:20]))
        out.append(
            f"RESULT: {'PASS' if self.ok else 'FAIL'} ({self.lost} lost, {self.queued_dropped} queued commands dropped, "
            f"{self.duplicated} duplicated, {len(self.mismatches)} mismatches; target 0 each)"
        )
        return "\n\n".join(out)


# --------------------------------------------------------------------------- monitors


def _frame_key(src: int, data: bytes) -> tuple[int, bytes]:
    """A device frame without its Supervision layer (a retry of the same session is the same frame)."""
    if len(data) >= 4 and data[0] == 0x6C and data[1] == 0x01:
        return src, bytes(data[4 : 4 + data[3]])
    return src, bytes(data)


@dataclass
class _Op:
    index: int
    kind: str
    node_id: int
    expects_set: bool = False
    sets: list[bytes] = field(default_factory=list)
    choice: int = 0


class _ErrorCounter(logging.Handler):
    """Collects ERROR records of the driver (a crash in a task, a handler that raised...)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


class _Monitor:
    """Hooks on both sides of the link that count what devices did and what the driver saw."""

    def __init__(self, demo: DemoStick, driver: Driver) -> None:
        self.stick = demo.stick
        self.driver = driver
        self.active: dict[int, _Op] = {}
        self.last_set_op: dict[int, _Op] = {}
        self.set_ops: list[_Op] = []
        self.late_sets = 0
        self.stray_sets: list[str] = []
        self.sent: Counter[tuple[int, bytes]] = Counter()
        self.sent_times: dict[tuple[int, bytes], list[float]] = {}
        self.processed: Counter[tuple[int, bytes]] = Counter()
        self._last_supervised: dict[tuple[int, bytes], float] = {}
        self.counting = False
        self._frame: tuple[int, bytes] | None = None
        self._dispatched = False
        self._install()

    def _install(self) -> None:
        stick = self.stick
        for node in stick.nodes.values():
            # Count the commands a device carries out: the innermost dispatch (after Supervision
            # and Multi Channel were peeled off, and after the device's duplicate-session check).
            original = node.dispatch

            def dispatch(ctx: Any, data: bytes, _node: Any = node, _orig: Any = original) -> bool:
                if len(data) >= 2 and data[0] not in (0x6C, 0x60):
                    self._device_executes(_node.node_id, ctx.endpoint, bytes(data))
                return _orig(ctx, data)

            node.dispatch = dispatch  # type: ignore[method-assign]

        deliver = stick.deliver_to_host

        def deliver_to_host(src: int, cc: bytes, rx_status: int = 0x00) -> None:
            self._device_sent(src, bytes(cc))
            deliver(src, cc, rx_status)

        stick.deliver_to_host = deliver_to_host  # type: ignore[method-assign]

        messenger = self.driver.messenger
        handle = messenger.handle_application_command
        dispatch = messenger._dispatch

        def handle_application_command(source: int, data: bytes, **kwargs: Any) -> None:
            self._frame, self._dispatched = _frame_key(source, bytes(data)), False
            try:
                handle(source, data, **kwargs)
            finally:
                self._frame = None

        def _dispatch(node: Any, endpoint: int, command: Any) -> None:
            if self._frame is not None and not self._dispatched and self.counting:
                self._dispatched = True
                self.processed[self._frame] += 1
            dispatch(node, endpoint, command)

        messenger.handle_application_command = handle_application_command  # type: ignore[method-assign]
        messenger._dispatch = _dispatch  # type: ignore[method-assign]

    def _device_executes(self, node_id: int, endpoint: int, inner: bytes) -> None:
        if not self.counting:
            return
        if len(inner) < 2 or (inner[0], inner[1]) not in _SET_COMMANDS:
            return
        op = self.active.get(node_id)
        if op is None or not op.expects_set:
            # After its operation: the Set of a call that failed (e.g. ConnectionLost while the
            # stick was still transmitting) or was queued - it belongs to the node's last Set.
            op = self.last_set_op.get(node_id)
            if op is not None:
                self.late_sets += 1
        if op is not None and op.expects_set:
            op.sets.append(bytes((endpoint,)) + inner)
        else:
            self.stray_sets.append(
                f"node {node_id} ep {endpoint}: Set {inner.hex()} outside of its operation"
            )

    def _device_sent(self, src: int, data: bytes) -> None:
        if not self.counting:
            return
        key = _frame_key(src, data)
        now = time.monotonic()
        if len(data) >= 4 and data[0] == 0x6C and data[1] == 0x01:
            # The device resends a Supervision GET it got no report for: same frame, not a new one.
            session_key = (src, bytes(data))
            last = self._last_supervised.get(session_key)
            self._last_supervised[session_key] = now
            if last is not None and now - last < 10:
                return
        self.sent[key] += 1
        self.sent_times.setdefault(key, []).append(now)


# --------------------------------------------------------------------------- the soak


class _Soak:
    def __init__(self, demo: DemoStick, driver: Driver, monitor: _Monitor, report: SoakReport, **cfg: Any):
        self.demo = demo
        self.stick = demo.stick
        self.driver = driver
        self.monitor = monitor
        self.report = report
        self.rng = random.Random(cfg["seed"])
        self.guard: float = cfg["guard"]
        self.report_wait: float = cfg["report_wait"]
        self.locks: dict[int, asyncio.Lock] = {n: asyncio.Lock() for n in self.stick.nodes}
        self.outages: list[list[float]] = []  # [start, end]
        self.connected_at: float | None = None
        self.hang_end: float | None = None
        self.config_value = 30
        self.config_accepted: int | None = None  # value of the last wake-up op, if set_value() returned
        self.ops = [
            ("switch_set", 8, self.op_switch_set),
            ("dimmer_set", 8, self.op_dimmer_set),
            ("multichannel_set", 4, self.op_multichannel_set),
            ("get", 16, self.op_get),
            ("sensor_report", 10, self.op_sensor_report),
            ("meter_report", 6, self.op_meter_report),
            ("button_press", 6, self.op_button_press),
            ("motion_report", 5, self.op_motion_report),
            ("lock_unlock", 6, self.op_lock),
            ("keypad", 3, self.op_keypad),
            ("wake_up", 3, self.op_wake_up),
        ]
        self._weights = [w for _, w, _ in self.ops]

    # ------------------------------------------------------------------ helpers
    def node(self, node_id: int) -> Any:
        return self.driver.nodes[node_id]

    def device(self, node_id: int) -> Any:
        return self.stick.node(node_id)

    async def until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    async def expect_report(self, predicate: Callable[[], bool]) -> None:
        """Wait for the driver to reflect a device-side change (a report from the device)."""
        if not await self.until(predicate, self.report_wait):
            raise _ReportNotDelivered

    # ------------------------------------------------------------------ operations
    # Each kind: (weight, picker of the node (and a variant), coroutine).  The node is picked
    # first so that the operation holds that node's lock: device-side counts belong to it.

    def _pick(self, kind: str) -> tuple[int, int]:
        rng = self.rng
        if kind == "get":
            choice = rng.randrange(6)
            return (SWITCH_NODE, DIMMER_NODE, SENSOR_NODE, PLUG_NODE, LOCK_NODE, MULTI_NODE)[choice], choice
        if kind == "button_press":
            return (SWITCH_NODE, 0) if rng.random() < 0.5 else (MULTI_NODE, rng.choice((1, 2)))
        if kind == "multichannel_set":
            return MULTI_NODE, rng.choice((1, 2))
        return {
            "switch_set": SWITCH_NODE,
            "dimmer_set": DIMMER_NODE,
            "sensor_report": SENSOR_NODE,
            "meter_report": PLUG_NODE,
            "motion_report": MOTION_NODE,
            "lock_unlock": LOCK_NODE,
            "keypad": LOCK_NODE,
            "wake_up": MOTION_NODE,
        }[kind], 0

    async def op_switch_set(self, op: _Op) -> None:
        op.expects_set = True
        await self.node(SWITCH_NODE).set_value(CC.SWITCH_BINARY, "target_value", self.rng.random() < 0.5)

    async def op_dimmer_set(self, op: _Op) -> None:
        op.expects_set = True
        await self.node(DIMMER_NODE).set_value(
            CC.SWITCH_MULTILEVEL, "target_value", self.rng.randrange(100), duration=0
        )

    async def op_multichannel_set(self, op: _Op) -> None:
        op.expects_set = True
        await self.node(MULTI_NODE).set_value(
            CC.SWITCH_BINARY, "target_value", self.rng.random() < 0.5, endpoint=op.choice
        )

    async def op_lock(self, op: _Op) -> None:
        op.expects_set = True
        device = self.device(LOCK_NODE)
        mode = 0x00 if device.mode == 0xFF else 0xFF
        await self.node(LOCK_NODE).set_value(CC.DOOR_LOCK, "target_mode", mode)
        # The call returns "working"; the bolt then moves and the lock reports.
        if not await self.until(lambda: device.mode == mode and not device.moving, 5.0):
            raise _DeviceDidNotAct
        await self.expect_report(lambda: self.node(LOCK_NODE).get_value(CC.DOOR_LOCK, "current_mode") == mode)

    async def op_get(self, op: _Op) -> None:
        node = self.node(op.node_id)
        device = self.device(op.node_id)
        if op.node_id == SWITCH_NODE:
            await node.get(SwitchBinaryGet())
            fresh = node.get_value(CC.SWITCH_BINARY, "current_value") == device.on
        elif op.node_id == DIMMER_NODE:
            await node.get(SwitchMultilevelGet())
            fresh = node.get_value(CC.SWITCH_MULTILEVEL, "current_value") == device.level
        elif op.node_id == SENSOR_NODE:
            await node.get(SensorMultilevelGet(0x01, 0))
            fresh = node.get_value(CC.SENSOR_MULTILEVEL, "air_temperature") == device.temperature
        elif op.node_id == PLUG_NODE:
            await node.get(MeterGet(scale=2))
            fresh = node.get_value(CC.METER, "value", "electric_w") == device.watts
        elif op.node_id == LOCK_NODE:
            await node.get(DoorLockOperationGet())
            fresh = node.get_value(CC.DOOR_LOCK, "current_mode") == device.mode
        else:
            ep = 1 + op.choice % 2
            await node.get(SwitchBinaryGet(), endpoint=ep)
            fresh = node.get_value(CC.SWITCH_BINARY, "current_value", endpoint=ep) == device.endpoint_on(ep)
        if not fresh:
            self.report.stale_after_get += 1

    async def op_sensor_report(self, op: _Op) -> None:
        device = self.device(SENSOR_NODE)
        value = device.temperature
        while value == device.temperature:
            value = round(10 + self.rng.randrange(250) / 10, 1)
        device.set_temperature(value)
        await self.expect_report(
            lambda: self.node(SENSOR_NODE).get_value(CC.SENSOR_MULTILEVEL, "air_temperature") == value
        )

    async def op_meter_report(self, op: _Op) -> None:
        device = self.device(PLUG_NODE)
        watts = device.watts
        while watts == device.watts:
            watts = self.rng.randrange(0, 30000) / 10
        device.set_power(watts)
        node = self.node(PLUG_NODE)
        await self.expect_report(
            lambda: node.get_value(CC.METER, "value", "electric_w") == watts
            and node.get_value(CC.METER, "value", "electric_a") == device.amps
        )

    async def op_button_press(self, op: _Op) -> None:
        device = self.device(op.node_id)
        node = self.node(op.node_id)
        if op.node_id == SWITCH_NODE:
            device.press()
            await self.expect_report(lambda: node.get_value(CC.SWITCH_BINARY, "current_value") == device.on)
        else:
            device.press(op.choice)
            await self.expect_report(
                lambda: node.get_value(CC.SWITCH_BINARY, "current_value", endpoint=op.choice)
                == device.endpoint_on(op.choice)
            )

    async def op_motion_report(self, op: _Op) -> None:
        device = self.device(MOTION_NODE)
        if device.motion:
            device.clear()
        else:
            device.trigger()
        await self.expect_report(
            lambda: self.node(MOTION_NODE).get_value(CC.SENSOR_BINARY, "state", "motion") == device.motion
        )

    async def op_keypad(self, op: _Op) -> None:
        device = self.device(LOCK_NODE)
        if device.mode == 0xFF:
            device.keypad_unlock(1)
        else:
            device.manual_lock()
        await self.expect_report(
            lambda: self.node(LOCK_NODE).get_value(CC.DOOR_LOCK, "current_mode") == device.mode
        )

    async def op_wake_up(self, op: _Op) -> None:
        """Queue a Configuration Set for the sleeping sensor, wake it up: the driver must send the
        queued command exactly once and then put the device back to sleep."""
        op.expects_set = True
        device = self.device(MOTION_NODE)
        self.config_value = 30 + (self.config_value - 29) % 200
        value = self.config_value
        try:
            result = await self.node(MOTION_NODE).set_value(
                CC.CONFIGURATION, "parameter", value, property_key=1, options={"size": 2}
            )
        except ZWaveError:
            self.config_accepted = None  # failed typed: the device may or may not have it
            raise
        self.config_accepted = value  # queued (or sent): it must reach the device eventually
        notification = (MOTION_NODE, bytes((0x84, 0x07)))
        seen_before = self.monitor.processed[notification]
        device.wake_up()
        # Awake until the driver's No More Information (or the device's own awake timeout).
        if not await self.until(lambda: not device.awake, self.report_wait):
            raise _DeviceDidNotAct
        if result.status == "queued" and device.config[1][1] != value:
            if self.monitor.processed[notification] == seen_before:
                # The Wake Up Notification was lost on the link: the command stays queued
                # for the next wake-up (the final check verifies it was carried out).
                raise _WakeUpNotificationLost
            if self.node(MOTION_NODE).wakeup_queue:
                # Not delivered while it was awake (link fault, outage): kept, first in line, for
                # the next wake-up; the final check verifies it is carried out then.
                self.report.queued_deferred += 1
                raise _QueuedDeferred
            self.report.queued_dropped += 1
            self.report.lost_details.append(
                f"op {op.index}: command queued for node 5 dropped at its wake-up"
            )
            raise _QueuedNotExecuted

    # ------------------------------------------------------------------ running
    async def run_op(self, index: int) -> None:
        kind, _, func = self.rng.choices(self.ops, self._weights)[0]
        node_id, choice = self._pick(kind)
        op = _Op(index, kind, node_id, choice=choice)
        self.report.op_types[kind] += 1
        self.report.attempted += 1
        async with self.locks[node_id]:
            self.monitor.active[node_id] = op
            began = time.monotonic()
            try:
                outcome = await self._guarded(op, func)
            finally:
                self.report.op_seconds.setdefault(kind, []).append(time.monotonic() - began)
                self.monitor.active.pop(node_id, None)
                if op.expects_set:
                    self.monitor.last_set_op[node_id] = op
                    self.monitor.set_ops.append(op)
        if outcome == "ok":
            self.report.completed += 1
            now = time.monotonic()
            if self.hang_end is not None and self.report.hang_recovery is None and now > self.hang_end:
                self.report.hang_recovery = now - self.hang_end
        elif outcome == "lost":
            self.report.lost += 1
        else:
            self.report.failed[outcome] += 1
            await asyncio.sleep(0.05)  # a client backs off a little after an error

    async def _guarded(self, op: _Op, func: Callable[[_Op], Awaitable[None]]) -> str:
        started = time.monotonic()
        task = asyncio.ensure_future(func(op))
        try:
            async with asyncio.timeout(self.guard):
                await asyncio.shield(task)
        except TimeoutError:
            self.report.lost_details.append(
                f"op {op.index} {op.kind} node {op.node_id}: unresolved after {time.monotonic() - started:.0f} s"
            )
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            return "lost"
        except ZWaveError as err:
            return type(err).__name__
        except _SoakFailure as err:
            return type(err).__name__.lstrip("_")
        return "ok"

    # ------------------------------------------------------------------ faults
    def mark_outage_start(self) -> list[float]:
        window = [time.monotonic(), float("inf")]
        self.outages.append(window)
        return window

    async def unplug_cycle(self, off_seconds: float) -> None:
        events: list[object] = []
        connected = asyncio.Event()

        def on_event(event: object) -> None:
            events.append(event)
            if isinstance(event, ConnectedEvent):
                connected.set()

        unsub = self.driver.subscribe(on_event)
        try:
            window = self.mark_outage_start()
            await self.stick.unplug()
            await asyncio.sleep(off_seconds)
            replugged = time.monotonic()
            await self.stick.replug()
            try:
                async with asyncio.timeout(60):
                    await connected.wait()
            except TimeoutError:
                self.report.mismatches.append("driver did not reconnect within 60 s of a replug")
            now = time.monotonic()
            window[1] = now
            self.report.unplug_recovery.append(now - replugged)
        finally:
            unsub()

    async def hang(self, seconds: float, until_reset: bool) -> None:
        """The stick hangs for ``seconds``; with ``until_reset`` it stays hung until the
        driver soft-resets it (the hang's end is then the reset)."""
        window = self.mark_outage_start()
        self.report.hang_seconds = seconds
        self.report.hang_until_reset = until_reset
        resets = self.stick.soft_resets
        connected: list[float] = []
        unsub = self.driver.subscribe(
            lambda e: connected.append(time.monotonic()) if isinstance(e, ConnectedEvent) else None
        )
        began = time.monotonic()
        self.stick.hang(seconds, until_reset=until_reset)
        try:
            await asyncio.sleep(seconds)
            if until_reset:
                if not await self.until(lambda: self.stick.soft_resets > resets, 120.0):
                    self.report.mismatches.append("the hung stick was not soft-reset within 120 s")
                else:
                    reset_at = time.monotonic()
                    self.report.hang_reset_after = reset_at - began
                    if await self.until(lambda: bool(connected), 60.0):
                        self.report.hang_ready_after_reset = connected[0] - reset_at
        finally:
            unsub()
        self.hang_end = time.monotonic()
        # The driver's recovery (start-up after the reset) may take a few more seconds.
        window[1] = self.hang_end + 10.0


class _SoakFailure(Exception):
    """An operation that did not complete for a reason other than a driver error."""


class _ReportNotDelivered(_SoakFailure):
    """A device's report did not reach the driver (dropped on the faulty link)."""


class _DeviceDidNotAct(_SoakFailure):
    """The device never carried out / finished the action."""


class _WakeUpNotificationLost(_SoakFailure):
    """The device's Wake Up Notification did not reach the driver (link fault / outage)."""


class _QueuedNotExecuted(_SoakFailure):
    """A command queued for a sleeping node was neither carried out at its wake-up nor kept."""


class _QueuedDeferred(_SoakFailure):
    """A command queued for a sleeping node could not be sent while it was awake; it is kept."""


# --------------------------------------------------------------------------- final check


async def _final_check(soak: _Soak, report: SoakReport) -> None:
    driver, stick = soak.driver, soak.stick
    stick.faults = FaultConfig()
    async with asyncio.timeout(60):
        while not driver.connected:
            await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # let late retransmissions and verify reads finish
    for node_id in (SWITCH_NODE, DIMMER_NODE, SENSOR_NODE, PLUG_NODE, LOCK_NODE, MULTI_NODE):
        for _attempt in range(3):
            try:
                async with asyncio.timeout(30):
                    await driver.nodes[node_id].refresh_values()
                break
            except (ZWaveError, TimeoutError):
                await asyncio.sleep(0.5)
    # The sleeping sensor: read it while it is awake.
    motion = stick.node(MOTION_NODE)
    node5 = driver.nodes[MOTION_NODE]
    for _attempt in range(3):
        motion.wake_up()
        if await soak.until(lambda: node5.status is NodeStatus.ALIVE, 5.0):
            try:
                await node5.get(_sensor_binary_get())
                await node5.get(_configuration_get(1))
                break
            except ZWaveError:
                pass
        await soak.until(lambda: not motion.awake, 10.0)
    await soak.until(lambda: not motion.awake, 10.0)
    await asyncio.sleep(0.5)

    def check(what: str, driver_value: Any, device_value: Any) -> None:
        report.values_checked += 1
        if driver_value != device_value:
            report.mismatches.append(f"{what}: driver {driver_value!r} != device {device_value!r}")

    n = driver.nodes
    check("node 2 switch", n[2].get_value(CC.SWITCH_BINARY, "current_value"), stick.node(2).on)
    check("node 3 dimmer", n[3].get_value(CC.SWITCH_MULTILEVEL, "current_value"), stick.node(3).level)
    sensor = stick.node(4)
    check("node 4 temperature", n[4].get_value(CC.SENSOR_MULTILEVEL, "air_temperature"), sensor.temperature)
    check("node 4 humidity", n[4].get_value(CC.SENSOR_MULTILEVEL, "humidity"), sensor.values[0x05])
    check("node 4 illuminance", n[4].get_value(CC.SENSOR_MULTILEVEL, "illuminance"), sensor.values[0x03])
    check("node 5 motion", n[5].get_value(CC.SENSOR_BINARY, "state", "motion"), motion.motion)
    check("node 5 parameter 1", n[5].get_value(CC.CONFIGURATION, "parameter", 1), motion.config[1][1])
    if soak.config_accepted is not None:
        # (device value, value of the last accepted set_value)
        check("node 5 parameter 1 vs. the last value accepted", motion.config[1][1], soak.config_accepted)
    check("node 5 commands still queued", len(node5.wakeup_queue), 0)
    plug = stick.node(6)
    check("node 6 switch", n[6].get_value(CC.SWITCH_BINARY, "current_value"), plug.on)
    for key, attr in (
        ("electric_kwh", "kwh"),
        ("electric_w", "watts"),
        ("electric_v", "volts"),
        ("electric_a", "amps"),
    ):
        check(f"node 6 meter {key}", n[6].get_value(CC.METER, "value", key), getattr(plug, attr))
    check("node 7 lock mode", n[7].get_value(CC.DOOR_LOCK, "current_mode"), stick.node(7).mode)
    for ep in (1, 2):
        check(
            f"node 8 endpoint {ep}",
            n[8].get_value(CC.SWITCH_BINARY, "current_value", endpoint=ep),
            stick.node(8).endpoint_on(ep),
        )


def _sensor_binary_get() -> Any:
    from custom_components.zwave_serial.zwave.cc.sensor_binary import SensorBinaryGet

    return SensorBinaryGet(0x0C)


def _configuration_get(param: int) -> Any:
    from custom_components.zwave_serial.zwave.cc.configuration import ConfigurationGet

    return ConfigurationGet(param)


# --------------------------------------------------------------------------- entry point


async def run_soak(
    ops: int = 10_000,
    seed: int = 1,
    *,
    corrupt_rate: float = 0.05,
    can_rate: float = 0.02,
    late_ack_rate: float = 0.01,
    late_ack_delay: float = 0.8,
    hang_seconds: float = 5.0,
    hang_until_reset: bool = True,
    unplugs: int = 2,
    unplug_seconds: float = 0.5,
    concurrency: int = 3,
    guard: float = 60.0,
    report_wait: float = 8.0,
    progress: Callable[[str], None] | None = None,
) -> SoakReport:
    """Run the soak and return its report (see the module docstring)."""
    report = SoakReport(ops=ops, seed=seed)
    errors = _ErrorCounter()
    pkg_logger = logging.getLogger("custom_components.zwave_serial")
    pkg_logger.addHandler(errors)
    started = time.monotonic()
    demo = await start_demo("pty", awake_timeout=3.0, bolt_time=0.1, seed=seed)
    driver = Driver(
        demo.port, cache=MemoryCache(), options=DriverOptions(**SOAK_DRIVER_OPTIONS), keys=DEMO_NETWORK_KEYS
    )
    try:
        await driver.start()
        await driver.wait_for_nodes_ready(timeout=60)
        # Interview the sleeping sensor now (it finishes on its first wake-up).
        demo.stick.node(MOTION_NODE).wake_up()
        await driver.wait_for_nodes_ready(timeout=60, include_sleeping=True)
        async with asyncio.timeout(30):
            while demo.stick.node(MOTION_NODE).awake:
                await asyncio.sleep(0.05)

        monitor = _Monitor(demo, driver)
        soak = _Soak(demo, driver, monitor, report, seed=seed, guard=guard, report_wait=report_wait)
        lost_events: list[float] = []
        driver.subscribe(
            lambda e: lost_events.append(time.monotonic()) if isinstance(e, ConnectionLostEvent) else None
        )
        stats_before = dict(driver.statistics())
        link_before = demo.stick.link_counters.as_dict()
        faults_before = demo.stick.fault_counters.as_dict()
        resets_before = demo.stick.soft_resets
        monitor.counting = True
        demo.stick.faults = FaultConfig(
            corrupt_rate=corrupt_rate,
            can_rate=can_rate,
            late_ack_rate=late_ack_rate,
            late_ack_delay=late_ack_delay,
            seed=seed,
        )

        # Fault events at fixed points of the run.
        events: dict[int, Callable[[], Awaitable[None]]] = {}
        if hang_seconds > 0:
            events[ops // 2] = lambda: soak.hang(hang_seconds, hang_until_reset)
        for i in range(unplugs):
            at = max(1, ops * (i + 1) // (unplugs + 1))
            while at in events:
                at += 1
            events[at] = lambda: soak.unplug_cycle(unplug_seconds)
        counter = iter(range(ops))
        background: set[asyncio.Task[None]] = set()

        async def worker() -> None:
            for index in counter:
                event = events.pop(index, None)
                if event is not None:
                    task = asyncio.ensure_future(event())
                    background.add(task)
                await soak.run_op(index)
                if progress is not None and index and index % 1000 == 0:
                    progress(f"{index} operations, {time.monotonic() - started:.0f} s")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        for task in background:
            await task
        monitor.counting = False

        await _final_check(soak, report)

        # Device frames vs. frames the driver processed.
        for key, processed in monitor.processed.items():
            extra = processed - monitor.sent.get(key, 0)
            if extra > 0:
                report.duplicated_frames += extra
                report.duplicate_details.append(
                    f"node {key[0]} frame {key[1].hex()} processed {processed}x, sent {monitor.sent[key]}x"
                )
        for key, sent in monitor.sent.items():
            missing = sent - monitor.processed.get(key, 0)
            if missing > 0:
                report.undelivered_frames += missing
                times = monitor.sent_times.get(key, [])
                in_outage = sum(
                    1 for t in times if any(start - 1 <= t <= end + 3 for start, end in soak.outages)
                )
                report.undelivered_in_outage += min(missing, in_outage)
        for op in monitor.set_ops:
            dups = len(op.sets) - len(set(op.sets))
            if dups > 0:
                report.duplicated_sets += dups
                report.duplicate_details.append(
                    f"op {op.index} {op.kind} node {op.node_id}: Sets received {[s.hex() for s in op.sets]}"
                )
        report.sets_after_call = monitor.late_sets
        report.duplicated_sets += len(monitor.stray_sets)
        report.duplicate_details += monitor.stray_sets

        stats_after = driver.statistics()
        report.driver_stats = {k: v - stats_before.get(k, 0) for k, v in stats_after.items()}
        report.stick_link = {
            k: v - link_before.get(k, 0) for k, v in demo.stick.link_counters.as_dict().items()
        }
        report.faults_injected = {
            k: v - faults_before.get(k, 0) for k, v in demo.stick.fault_counters.as_dict().items()
        }
        report.soft_resets = demo.stick.soft_resets - resets_before
    finally:
        await driver.stop()
        await demo.stop()
        pkg_logger.removeHandler(errors)
        report.driver_errors_logged = errors.messages
        report.seconds = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=10_000, help="operations (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang", type=float, default=5.0, help="seconds the stick hangs (default 5)")
    parser.add_argument(
        "--hang-resumes",
        action="store_true",
        help="the stick resumes by itself after the hang (default: it stays hung until a soft reset)",
    )
    parser.add_argument("--unplugs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=3, help="operations in flight (default 3)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    quiet_logging(args.verbose)
    report = asyncio.run(
        run_soak(
            args.ops,
            args.seed,
            hang_seconds=args.hang,
            hang_until_reset=not args.hang_resumes,
            unplugs=args.unplugs,
            concurrency=args.concurrency,
            progress=lambda msg: print(msg, file=sys.stderr, flush=True),
        )
    )
    print(report.format())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
