"""Virtual sensors: a mains-powered multilevel sensor and a sleeping battery PIR motion sensor."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from .ccutil import (
    CC_BATTERY,
    CC_NOTIFICATION,
    CC_SENSOR_BINARY,
    CC_SENSOR_MULTILEVEL,
    CC_WAKE_UP,
    bitmask,
    encode_float,
    notification_report,
    u24,
)
from .common import add_config_param
from .node import NodeInfo, RxContext, VirtualNode

_LOGGER = logging.getLogger(__name__)

SENSOR_AIR_TEMPERATURE = 0x01
SENSOR_ILLUMINANCE = 0x03
SENSOR_HUMIDITY = 0x05

NOTIFICATION_HOME_SECURITY = 0x07
EVENT_MOTION = 0x08
SENSOR_BINARY_MOTION = 0x0C


class MultilevelSensor(VirtualNode):
    """Multilevel Sensor v11: air temperature (°C/°F), humidity (%), illuminance (lux)."""

    # type -> (supported scales, default scale, precision)
    SENSORS = {
        SENSOR_AIR_TEMPERATURE: ({0, 1}, 0, 1),
        SENSOR_ILLUMINANCE: ({1}, 1, 0),
        SENSOR_HUMIDITY: ({0}, 0, 0),
    }

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x21, 0x01, product_id=0x0031, name="Multisensor", icon=0x0C01),
            **options,
        )
        self.values: dict[int, float] = {
            SENSOR_AIR_TEMPERATURE: 21.5,
            SENSOR_HUMIDITY: 45.0,
            SENSOR_ILLUMINANCE: 120.0,
        }
        self.register(CC_SENSOR_MULTILEVEL, self._handle, version=11)
        add_config_param(self, 1, 2, 300)  # report interval seconds

    @property
    def temperature(self) -> float:
        """Air temperature in °C."""
        return self.values[SENSOR_AIR_TEMPERATURE]

    def report_bytes(self, sensor_type: int, scale: int | None = None) -> bytes:
        """``31 05 [type][float-with-scale]``."""
        scales, default_scale, precision = self.SENSORS[sensor_type]
        if scale not in scales:
            scale = default_scale
        value = self.values[sensor_type]
        if sensor_type == SENSOR_AIR_TEMPERATURE and scale == 1:
            value = value * 9 / 5 + 32
        return bytes((CC_SENSOR_MULTILEVEL, 0x05, sensor_type)) + encode_float(value, scale, precision)

    def _handle(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01:
            ctx.reply(bytes((CC_SENSOR_MULTILEVEL, 0x02)) + bitmask(set(self.SENSORS), start=1))
        elif cmd == 0x03 and payload:
            scales = self.SENSORS.get(payload[0], (set(), 0, 0))[0]
            ctx.reply(bytes((CC_SENSOR_MULTILEVEL, 0x06, payload[0], bitmask(scales, length=1)[0])))
        elif cmd == 0x04:
            sensor_type = payload[0] if payload and payload[0] in self.SENSORS else SENSOR_AIR_TEMPERATURE
            scale = (payload[1] >> 3) & 0x03 if len(payload) > 1 else None
            ctx.reply(self.report_bytes(sensor_type, scale))

    def set_value(self, sensor_type: int, value: float) -> None:
        """Change a reading and send an unsolicited report."""
        self.values[sensor_type] = float(value)
        self.send_report(self.report_bytes(sensor_type))

    def set_temperature(self, celsius: float) -> None:
        """Local temperature change (reported)."""
        self.set_value(SENSOR_AIR_TEMPERATURE, celsius)

    def set_humidity(self, percent: float) -> None:
        """Local humidity change (reported)."""
        self.set_value(SENSOR_HUMIDITY, percent)

    def set_illuminance(self, lux: float) -> None:
        """Local illuminance change (reported)."""
        self.set_value(SENSOR_ILLUMINANCE, lux)


class BatteryMixin:
    """Battery CC v1 handler for battery devices."""

    battery_level: int

    def _battery(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x02:
            ctx.reply(bytes((CC_BATTERY, 0x03, self.battery_level)))


class MotionSensor(BatteryMixin, VirtualNode):
    """Sleeping battery PIR sensor: Battery, Wake Up v2, Notification v8, Sensor Binary v2.

    Options: ``wake_up_interval`` (s, 0 = no periodic wake-up), ``awake_timeout`` (s awake
    after a Wake Up Notification unless NoMoreInformation arrives), ``motion_clear_after``
    (s, None = stays in motion until :meth:`clear`).
    """

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info
            or NodeInfo(
                0x07, 0x01, listening=False, role_type=6, product_id=0x0071, name="Motion sensor", icon=0x0C07
            ),
            **options,
        )
        self.battery_level = options.get("battery_level", 90)
        self.wake_up_interval: int = options.get("wake_up_interval", 3600)
        self.wake_up_node = 1
        self.awake_timeout: float = options.get("awake_timeout", 10.0)
        self.motion_clear_after: float | None = options.get("motion_clear_after")
        self.motion = False
        self.notifications_enabled = True
        self.wake_ups = 0
        self._awake_timer: asyncio.Task[Any] | None = None
        self._periodic: asyncio.Task[Any] | None = None
        self.register(CC_BATTERY, self._battery, version=1)
        self.register(CC_WAKE_UP, self._wake_up_cc, version=2)
        self.register(CC_NOTIFICATION, self._notification, version=8)
        self.register(CC_SENSOR_BINARY, self._sensor_binary, version=2)
        add_config_param(self, 1, 2, 30)  # motion clear delay

    # ----------------------------------------------------------------- wake-up
    def start(self) -> None:
        """Start the periodic wake-up timer."""
        self._restart_periodic()

    def _restart_periodic(self) -> None:
        if self._periodic is not None:
            self._periodic.cancel()
            self._periodic = None
        if self.wake_up_interval > 0 and self.stick is not None:
            self._periodic = self.spawn(self._periodic_loop())

    async def _periodic_loop(self) -> None:
        while True:
            await asyncio.sleep(self.wake_up_interval)
            self.wake_up()

    def wake_up(self) -> None:
        """Wake up now: send Wake Up Notification and stay awake for ``awake_timeout``."""
        self.awake = True
        self.wake_ups += 1
        self.transmit(self.wake_up_node, bytes((CC_WAKE_UP, 0x07)))
        self._restart_awake_timer()

    def go_to_sleep(self) -> None:
        """Fall asleep (frames to this node now fail with NoAck)."""
        self.awake = False
        if self._awake_timer is not None:
            self._awake_timer.cancel()
            self._awake_timer = None

    def _restart_awake_timer(self) -> None:
        if self._awake_timer is not None:
            self._awake_timer.cancel()
        self._awake_timer = self.later(self.awake_timeout, self.go_to_sleep)

    def on_frame_received(self) -> None:
        """Any frame keeps the device awake a little longer."""
        if self.awake:
            self._restart_awake_timer()

    def _wake_up_cc(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x04 and len(payload) >= 4:
            self.wake_up_interval = int.from_bytes(payload[0:3], "big")
            self.wake_up_node = payload[3]
            self._restart_periodic()
        elif cmd == 0x05:
            ctx.reply(bytes((CC_WAKE_UP, 0x06)) + u24(self.wake_up_interval) + bytes((self.wake_up_node,)))
        elif cmd == 0x08:
            self.go_to_sleep()
        elif cmd == 0x09:
            ctx.reply(bytes((CC_WAKE_UP, 0x0A)) + u24(1) + u24(86400) + u24(3600) + u24(1))

    # ----------------------------------------------------------------- motion
    def _motion_reports(self) -> list[bytes]:
        if self.motion:
            note = notification_report(NOTIFICATION_HOME_SECURITY, EVENT_MOTION)
        else:
            note = notification_report(NOTIFICATION_HOME_SECURITY, 0x00, bytes((EVENT_MOTION,)))
        value = 0xFF if self.motion else 0x00
        return [note, bytes((CC_SENSOR_BINARY, 0x03, value, SENSOR_BINARY_MOTION))]

    def trigger(self) -> None:
        """Motion detected: send Notification (event 8) and Sensor Binary report."""
        self.motion = True
        self._send_motion()
        if self.motion_clear_after is not None:
            self.later(self.motion_clear_after, self.clear)

    def clear(self) -> None:
        """Motion over: Notification idle (event 0, param 8) and Sensor Binary off."""
        self.motion = False
        self._send_motion()

    def _send_motion(self) -> None:
        reports = self._motion_reports()
        if not self.notifications_enabled:
            reports = reports[1:]
        for report in reports:
            self.send_report(report)

    def set_battery(self, level: int) -> None:
        """Change the battery level and report it."""
        self.battery_level = level
        self.send_report(bytes((CC_BATTERY, 0x03, level)))

    def _notification(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x04:
            ntype = payload[1] if len(payload) > 1 else NOTIFICATION_HOME_SECURITY
            if ntype in (NOTIFICATION_HOME_SECURITY, 0xFF):
                ctx.reply(self._motion_reports()[0])
        elif cmd == 0x01 and payload:
            if payload[0] == NOTIFICATION_HOME_SECURITY:
                mask = bitmask({EVENT_MOTION})
                ctx.reply(bytes((CC_NOTIFICATION, 0x02, payload[0], len(mask))) + mask)
            else:
                ctx.reply(bytes((CC_NOTIFICATION, 0x02, payload[0], 0)))
        elif cmd == 0x06 and len(payload) >= 2:
            self.notifications_enabled = payload[1] == 0xFF
        elif cmd == 0x07:
            ctx.reply(bytes((CC_NOTIFICATION, 0x08, 1)) + bitmask({NOTIFICATION_HOME_SECURITY}, length=1))

    def _sensor_binary(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01:
            ctx.reply(bytes((CC_SENSOR_BINARY, 0x04)) + bitmask({SENSOR_BINARY_MOTION}))
        elif cmd == 0x02:
            ctx.reply(self._motion_reports()[1])
