"""Notification CC (0x71, formerly Alarm), v8.

Reports carry either a v1 alarm (``alarm_type``/``alarm_level``, payload < 6 bytes) or a
notification type + event (v2+).  Events that are *states* update a state variable value:
property = notification type name (``home_security``), key = variable (``motion_sensor_status``),
value = the event (0 = idle).  Other events are momentary: the node turns the report into a
``NotificationEvent`` using :attr:`NotificationReport.type_label`, ``event_label`` and the
JSON-able ``parameters`` (a keypad event gives ``{"user_id": n}``, never the code).

The tables below are facts from the zwave-js notification registry, in our own form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self

from ..errors import NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, decode_duration, require, set_to_bitmask

CC = CommandClass.NOTIFICATION

STATUS_DISABLED = 0x00
STATUS_NO_PENDING = 0xFE
STATUS_ENABLED = 0xFF
#: Report notification status -> name.
STATUSES: dict[int, str] = {
    STATUS_DISABLED: "disabled", STATUS_NO_PENDING: "no pending notification", STATUS_ENABLED: "enabled"
}
EVENT_IDLE = 0x00
EVENT_UNKNOWN = 0xFE


# --- registry ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotificationType:
    """One notification type: its value name, label, state variables and momentary events."""

    type_id: int
    name: str
    label: str
    #: state variable -> {event: label}
    variables: dict[str, dict[int, str]] = field(default_factory=dict)
    #: momentary events (no state): {event: label}
    events: dict[int, str] = field(default_factory=dict)
    #: variables a blanket "idle" (event 0 without parameter) must not reset
    no_idle: frozenset[str] = frozenset()

    def variable_of(self, event: int) -> str | None:
        """The state variable an event belongs to, or None for a momentary event."""
        for var, states in self.variables.items():
            if event in states:
                return var
        return None

    def event_label(self, event: int) -> str | None:
        """Label of a state or event, None when unknown."""
        var = self.variable_of(event)
        if var is not None:
            return self.variables[var][event]
        return self.events.get(event)


def _t(type_id: int, name: str, label: str, variables: dict[str, dict[int, str]] | None = None,
       events: dict[int, str] | None = None, no_idle: tuple[str, ...] = ()) -> NotificationType:
    return NotificationType(type_id, name, label, variables or {}, events or {}, frozenset(no_idle))


_LOC = " (location provided)"
_INSPECTION = "Maintenance required, planned periodic inspection"
_DUST = "Maintenance required, dust in device"
_REPL = "Replacement required"
_EOL = "Replacement required, End-of-life"
_SILENCED = "Alarm silenced"

TYPES: dict[int, NotificationType] = {t.type_id: t for t in (
    _t(0x01, "smoke_alarm", "Smoke Alarm", {
        "sensor_status": {1: "Smoke detected" + _LOC, 2: "Smoke detected"},
        "alarm_status": {3: "Smoke alarm test", 6: _SILENCED},
        "maintenance_status": {4: _REPL, 5: _EOL},
        "periodic_inspection_status": {7: _INSPECTION},
        "dust_in_device_status": {8: _DUST},
    }),
    _t(0x02, "co_alarm", "CO Alarm", {
        "sensor_status": {1: "Carbon monoxide detected" + _LOC, 2: "Carbon monoxide detected"},
        "test_status": {3: "Carbon monoxide test"},
        "maintenance_status": {4: _REPL, 5: _EOL},
        "alarm_status": {6: _SILENCED},
        "periodic_inspection_status": {7: _INSPECTION},
    }, no_idle=("test_status",)),
    _t(0x03, "co2_alarm", "CO2 Alarm", {
        "sensor_status": {1: "Carbon dioxide detected" + _LOC, 2: "Carbon dioxide detected"},
        "test_status": {3: "Carbon dioxide test"},
        "maintenance_status": {4: _REPL, 5: _EOL},
        "alarm_status": {6: _SILENCED},
        "periodic_inspection_status": {7: _INSPECTION},
    }, no_idle=("test_status",)),
    _t(0x04, "heat_alarm", "Heat Alarm", {
        "heat_sensor_status": {1: "Overheat detected" + _LOC, 2: "Overheat detected",
                               5: "Underheat detected" + _LOC, 6: "Underheat detected"},
        "alarm_status": {7: "Heat alarm test", 9: _SILENCED},
        "maintenance_status": {8: _EOL},
        "periodic_inspection_status": {11: _INSPECTION},
        "dust_in_device_status": {10: _DUST},
    }, events={3: "Rapid temperature rise" + _LOC, 4: "Rapid temperature rise",
               12: "Rapid temperature fall" + _LOC, 13: "Rapid temperature fall"}),
    _t(0x05, "water_alarm", "Water Alarm", {
        "sensor_status": {1: "Water leak detected" + _LOC, 2: "Water leak detected"},
        "maintenance_status": {5: "Replace water filter"},
        "water_flow_alarm_status": {6: "Water flow alarm"},
        "water_pressure_alarm_status": {7: "Water pressure alarm"},
        "water_temperature_alarm_status": {8: "Water temperature alarm"},
        "water_level_alarm_status": {9: "Water level alarm"},
        "pump_status": {10: "Sump pump active", 11: "Sump pump failure"},
    }, events={3: "Water level dropped" + _LOC, 4: "Water level dropped"}),
    _t(0x06, "access_control", "Access Control", {
        "lock_state": {0x0B: "Lock jammed"},
        "keypad_state": {0x10: "Keypad temporary disabled", 0x11: "Keypad busy"},
        "door_state": {0x16: "Window/door is open", 0x17: "Window/door is closed"},
        "door_handle_state": {0x18: "Window/door handle is open", 0x19: "Window/door handle is closed"},
        "barrier_initialization_status": {0x40: "Barrier performing initialization process"},
        "barrier_ul_disabling_status": {
            0x45: "Barrier unattended operation has been disabled per UL requirements"},
        "barrier_vacation_mode_status": {0x47: "Barrier vacation mode"},
        "barrier_safety_beam_obstacle_status": {0x48: "Barrier safety beam obstacle"},
        "barrier_sensor_status": {0x49: "Barrier sensor not detected / supervisory error"},
        "barrier_battery_status": {0x4A: "Barrier sensor low battery warning"},
        "barrier_short_circuit_status": {0x4B: "Barrier detected short in wall station wires"},
        "barrier_control_status": {0x4C: "Barrier associated with non Z-Wave remote control"},
    }, events={
        0x01: "Manual lock operation", 0x02: "Manual unlock operation",
        0x03: "RF lock operation", 0x04: "RF unlock operation",
        0x05: "Keypad lock operation", 0x06: "Keypad unlock operation",
        0x07: "Manual not fully locked operation", 0x08: "RF not fully locked operation",
        0x09: "Auto lock locked operation", 0x0A: "Auto lock not fully locked operation",
        0x0C: "All user codes deleted", 0x0D: "Single user code deleted",
        0x0E: "New user code added", 0x0F: "New user code not added due to duplicate code",
        0x12: "New program code entered: unique code for lock configuration",
        0x13: "Manually enter user access code exceeds code limit",
        0x14: "Unlock by RF with invalid user code", 0x15: "Locked by RF with invalid user code",
        0x20: "Messaging User Code entered via keypad",
        0x21: "Lock operation with User Code", 0x22: "Unlock operation with User Code",
        0x23: "Credential lock/open operation", 0x24: "Credential unlock/close operation",
        0x2F: "Valid credential access denied: User Active State set to Occupied Disabled",
        0x30: "Valid credential access denied: Schedule inactive",
        0x31: "Valid credential access denied: Not enough credentials entered",
        0x32: "Invalid credential used", 0x33: "Non-Access credential entered via local interface",
        0x41: "Barrier operation (open/close) force has been exceeded",
        0x42: "Barrier motor has exceeded manufacturer's operational time limit",
        0x43: "Barrier operation has exceeded physical mechanical limits",
        0x44: "Barrier unable to perform requested operation due to UL requirements",
        0x46: "Barrier failed to perform requested operation, device malfunction",
    }, no_idle=("door_state", "door_handle_state", "barrier_initialization_status",
                "barrier_vacation_mode_status", "barrier_safety_beam_obstacle_status")),
    _t(0x07, "home_security", "Home Security", {
        "sensor_status": {1: "Intrusion" + _LOC, 2: "Intrusion"},
        "cover_status": {3: "Tampering, product cover removed"},
        "motion_sensor_status": {7: "Motion detection" + _LOC, 8: "Motion detection"},
        "magnetic_interference_status": {11: "Magnetic field interference detected"},
    }, events={4: "Tampering, invalid code", 5: "Glass breakage" + _LOC, 6: "Glass breakage",
               9: "Tampering, product moved", 10: "Impact detected", 12: "RF Jamming detected"}),
    _t(0x08, "power_management", "Power Management", {
        "power_status": {1: "Power has been applied"},
        "mains_status": {2: "AC mains disconnected", 3: "AC mains re-connected"},
        "over_current_status": {6: "Over-current detected"},
        "over_voltage_status": {7: "Over-voltage detected"},
        "over_load_status": {8: "Over-load detected"},
        "load_error_status": {9: "Load error"},
        "battery_maintenance_status": {10: "Replace battery soon", 11: "Replace battery now",
                                       17: "Battery fluid is low"},
        "battery_load_status": {12: "Battery is charging"},
        "battery_level_status": {13: "Battery is fully charged", 14: "Charge battery soon",
                                 15: "Charge battery now"},
        "backup_battery_level_status": {16: "Back-up battery is low", 18: "Back-up battery disconnected"},
    }, events={4: "Surge detected", 5: "Voltage drop/drift"}, no_idle=("mains_status",)),
    _t(0x09, "system", "System", {
        "hardware_status": {1: "System hardware failure", 3: "System hardware failure (with failure code)"},
        "software_status": {2: "System software failure", 4: "System software failure (with failure code)"},
        "cover_status": {6: "Tampering, product cover removed"},
        "emergency_shutoff_status": {7: "Emergency shutoff"},
    }, events={5: "Heartbeat"}),
    _t(0x0A, "emergency", "Emergency Alarm", events={
        1: "Contact police", 2: "Contact fire service", 3: "Contact medical service", 4: "Panic alert"}),
    _t(0x0B, "clock", "Clock", events={1: "Wake up alert", 2: "Timer ended", 3: "Time remaining"}),
    _t(0x0C, "appliance", "Appliance", {
        "program_status": {1: "Program started", 2: "Program in progress", 3: "Program completed"},
        "maintenance_status": {4: "Replace main filter"},
        "appliance_status": {6: "Supplying water", 8: "Boiling", 10: "Washing", 12: "Rinsing",
                             14: "Draining", 16: "Spinning", 18: "Drying"},
        "target_temperature_failure_status": {5: "Failure to set target temperature"},
        "water_supply_failure_status": {7: "Water supply failure"},
        "boiling_failure_status": {9: "Boiling failure"},
        "washing_failure_status": {11: "Washing failure"},
        "rinsing_failure_status": {13: "Rinsing failure"},
        "draining_failure_status": {15: "Draining failure"},
        "spinning_failure_status": {17: "Spinning failure"},
        "drying_failure_status": {19: "Drying failure"},
        "fan_failure_status": {20: "Fan failure"},
        "compressor_failure_status": {21: "Compressor failure"},
    }),
    _t(0x0D, "home_health", "Home Health", {
        "position_status": {1: "Leaving bed", 2: "Sitting on bed", 3: "Lying on bed", 5: "Sitting on bed edge"},
        "voc_level_status": {6: "Volatile Organic Compound level"},
        "sleep_apnea_status": {7: "Sleep apnea detected"},
        "sleep_stage_status": {8: "Sleep stage 0 detected (Dreaming/REM)",
                               9: "Sleep stage 1 detected (Light sleep, non-REM 1)",
                               10: "Sleep stage 2 detected (Medium sleep, non-REM 2)",
                               11: "Sleep stage 3 detected (Deep sleep, non-REM 3)"},
    }, events={4: "Posture changed", 12: "Fall detected"}, no_idle=("voc_level_status",)),
    _t(0x0E, "siren", "Siren", {"siren_status": {1: "Siren active"}}),
    _t(0x0F, "water_valve", "Water Valve", {
        "valve_operation_status": {1: "Valve operation"},
        "master_valve_operation_status": {2: "Master valve operation"},
        "valve_short_circuit_status": {3: "Valve short circuit"},
        "master_valve_short_circuit_status": {4: "Master valve short circuit"},
        "valve_current_alarm_status": {5: "Valve current alarm"},
        "master_valve_current_alarm_status": {6: "Master valve current alarm"},
        "valve_jammed_status": {7: "Valve jammed"},
    }, no_idle=("valve_operation_status", "master_valve_operation_status")),
    _t(0x10, "weather_alarm", "Weather Alarm", {
        "rain_alarm_status": {1: "Rain alarm"},
        "moisture_alarm_status": {2: "Moisture alarm"},
        "freeze_alarm_status": {3: "Freeze alarm"},
    }),
    _t(0x11, "irrigation", "Irrigation", {
        "schedule_status": {1: "Schedule started", 2: "Schedule finished"},
        "valve_run_status": {3: "Valve table run started", 4: "Valve table run finished"},
        "device_configuration_status": {5: "Device is not configured"},
    }, no_idle=("schedule_status", "valve_run_status")),
    _t(0x12, "gas_alarm", "Gas alarm", {
        "combustible_gas_status": {1: "Combustible gas detected" + _LOC, 2: "Combustible gas detected"},
        "toxic_gas_status": {3: "Toxic gas detected" + _LOC, 4: "Toxic gas detected"},
        "alarm_status": {5: "Gas alarm test"},
        "maintenance_status": {6: _REPL},
    }),
    _t(0x13, "pest_control", "Pest Control", {
        "trap_status": {1: "Trap armed" + _LOC, 2: "Trap armed",
                        3: "Trap re-arm required" + _LOC, 4: "Trap re-arm required"},
    }, events={5: "Pest detected" + _LOC, 6: "Pest detected",
               7: "Pest exterminated" + _LOC, 8: "Pest exterminated"}),
    _t(0x14, "light_sensor", "Light sensor", {"light_detection_status": {1: "Light detected"}},
       events={2: "Light color transition detected"}),
    _t(0x15, "water_quality", "Water Quality Monitoring", {
        "chlorine_alarm_status": {1: "Chlorine alarm"},
        "acidity_status": {2: "Acidity (pH) alarm"},
        "water_oxidation_alarm_status": {3: "Water Oxidation alarm"},
        "chlorine_sensor_status": {4: "Chlorine empty"},
        "acidity_sensor_status": {5: "Acidity (pH) empty"},
        "waterflow_measuring_station_sensor": {6: "Waterflow measuring station shortage detected"},
        "waterflow_clear_water_sensor": {7: "Waterflow clear water shortage detected"},
        "disinfection_system_status": {8: "Disinfection system error detected"},
        "filter_cleaning_status": {9: "Filter cleaning ongoing"},
        "heating_status": {10: "Heating operation ongoing"},
        "filter_pump_status": {11: "Filter pump operation ongoing"},
        "freshwater_flow_status": {12: "Freshwater operation ongoing"},
        "dry_protection_status": {13: "Dry protection operation active"},
        "water_tank_status": {14: "Water tank is empty", 15: "Water tank level is unknown",
                              16: "Water tank is full"},
        "collective_disorder_status": {17: "Collective disorder"},
    }, no_idle=("water_tank_status",)),
    _t(0x16, "home_monitoring", "Home monitoring", {
        "home_occupancy_status": {1: "Home occupied" + _LOC, 2: "Home occupied"},
    }),
)}

_THRESHOLDS = {1: "No data", 2: "Below low threshold", 3: "Above high threshold", 4: "Max"}
_LOW_HIGH = {1: "Below low threshold", 2: "Above high threshold"}
_TEST = {1: "Test OK", 2: "Test failed"}
_OFF_ON = {0: "Off / Closed", 1: "On / Open"}
_DISABLED_ENABLED = {0: "Mode disabled", 255: "Mode enabled"}

#: How an event's parameter bytes are decoded: ("user",) embedded User Code report / user id;
#: ("credential",) embedded User Credential CC (not decoded); ("value", name) unsigned int;
#: ("enum", labels, default) one byte; ("duration",) one duration byte.
_PARAMS: dict[tuple[int, int], tuple[Any, ...]] = {
    (0x02, 3): ("enum", _TEST, None),
    (0x03, 3): ("enum", _TEST, None),
    (0x05, 6): ("enum", _THRESHOLDS, 1),
    (0x05, 7): ("enum", _THRESHOLDS, 1),
    (0x05, 8): ("enum", {k: v for k, v in _THRESHOLDS.items() if k < 4}, 1),
    (0x05, 9): ("enum", {k: v for k, v in _THRESHOLDS.items() if k < 4}, 1),
    **{(0x06, e): ("user",) for e in (0x05, 0x06, 0x0D, 0x0E, 0x0F)},
    **{(0x06, e): ("credential",) for e in (0x23, 0x24, 0x2F, 0x30, 0x33)},
    (0x06, 0x16): ("enum", {0: "Window/door is open in regular position",
                            1: "Window/door is open in tilt position"}, None),
    (0x06, 0x20): ("value", "user_id"),
    (0x06, 0x21): ("value", "user_id"),
    (0x06, 0x22): ("value", "user_id"),
    (0x06, 0x40): ("enum", {0: "Process completed", 255: "Performing process"}, None),
    (0x06, 0x42): ("duration",),
    (0x06, 0x47): ("enum", _DISABLED_ENABLED, None),
    (0x06, 0x48): ("enum", {0: "No obstruction", 255: "Obstruction"}, None),
    (0x06, 0x49): ("value", "sensor_id"),
    (0x06, 0x4A): ("value", "sensor_id"),
    (0x07, 12): ("value", "rssi"),
    (0x0D, 6): ("enum", {1: "Clean", 2: "Slightly polluted", 3: "Moderately polluted",
                         4: "Highly polluted"}, None),
    (0x0D, 7): ("enum", {1: "Low breath", 2: "No breath at all"}, None),
    (0x0F, 1): ("enum", _OFF_ON, None),
    (0x0F, 2): ("enum", _OFF_ON, None),
    (0x0F, 5): ("enum", _THRESHOLDS, 1),
    (0x0F, 6): ("enum", _THRESHOLDS, 1),
    (0x11, 1): ("value", "schedule_id"),
    (0x11, 2): ("value", "schedule_id"),
    (0x11, 3): ("value", "valve_table_id"),
    (0x11, 4): ("value", "valve_table_id"),
    (0x15, 1): ("enum", _LOW_HIGH, None),
    (0x15, 2): ("enum", {**_LOW_HIGH, 3: "Decreasing pH", 4: "Increasing pH"}, None),
    (0x15, 3): ("enum", _LOW_HIGH, None),
    (0x15, 9): ("value", "filter_number"),
}

#: Momentary events that also put state variables back to idle (lock operations end a jam...).
_CLEARS: dict[tuple[int, int], tuple[str, ...]] = {
    **{(0x06, e): ("lock_state",) for e in (0x01, 0x02, 0x03, 0x04, 0x09, 0x21, 0x22)},
    **{(0x06, e): ("lock_state", "keypad_state") for e in (0x05, 0x06, 0x23, 0x24)},
    (0x06, 0x20): ("keypad_state",),
}

_USER_CODE_CC = 0x63
_NODE_NAMING_CC = 0x77


def type_name(notification_type: int) -> str:
    """Value property of a notification type (``home_security``; unknown: ``notification_0x2a``)."""
    known = TYPES.get(notification_type)
    return known.name if known else f"notification_0x{notification_type:02x}"


def type_label(notification_type: int) -> str:
    known = TYPES.get(notification_type)
    return known.label if known else f"Unknown (0x{notification_type:02x})"


def event_label(notification_type: int, event: int) -> str:
    if event == EVENT_IDLE:
        return "idle"
    known = TYPES.get(notification_type)
    label = known.event_label(event) if known else None
    return label or f"Unknown (0x{event:02x})"


def _user_params(params: bytes) -> dict[str, Any]:
    """User id from an embedded User Code report (or a bare user id) — never the code."""
    if len(params) == 1:
        return {"user_id": params[0]}
    if len(params) >= 3 and params[0] == _USER_CODE_CC and params[1] == 0x03:
        out: dict[str, Any] = {"user_id": params[2]}
        if len(params) >= 4:
            out["user_id_status"] = params[3]
        return out
    if len(params) >= 5 and params[0] == _USER_CODE_CC and params[1] == 0x0D:
        # Extended User Code Report: [n][user id u16][status]...
        return {"user_id": int.from_bytes(params[3:5], "big")}
    return {}


def decode_parameters(notification_type: int, event: int, params: bytes) -> dict[str, Any]:
    """Event parameter bytes -> JSON-able dict.  Access Control never exposes raw bytes."""
    if event == EVENT_IDLE:
        return {"cleared_event": params[0]} if len(params) == 1 else {}
    spec = _PARAMS.get((notification_type, event))
    kind = spec[0] if spec else None
    if kind == "enum":
        labels, default = spec[1], spec[2]  # type: ignore[index]
        value = params[0] if len(params) == 1 else default
        return {} if value is None else {"value": value, "label": labels.get(value)}
    if not params:
        return {}
    if kind == "user":
        return _user_params(params)
    if kind == "credential":
        return {"command_class": params[0]}
    if kind == "value" and len(params) <= 6:
        return {spec[1]: int.from_bytes(params, "big")}  # type: ignore[index]
    if kind == "duration":
        return {"duration": decode_duration(params[0])}
    if len(params) >= 3 and params[0] == _NODE_NAMING_CC and params[1] == 0x06:
        # "(location provided)": a Node Naming Location Report [charset][text]
        return {"location": params[3:].decode("utf-8", "replace").rstrip("\x00")}
    if notification_type == 0x06:
        # Unknown Access Control payloads may carry codes: never expose the bytes.
        return {"length": len(params)}
    return {"raw": params.hex()}


# --- commands ----------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class NotificationReport(CCCommand):
    """Report 05: ``[v1 type][v1 level][reserved][status][type][event][seq|len][params][seq]``."""

    cc_id = CC
    command_id = 0x05
    alarm_type: int = 0
    alarm_level: int = 0
    notification_type: int | None = None
    event: int | None = None
    notification_status: int = STATUS_ENABLED
    event_parameters: bytes = b""
    sequence: int | None = None

    def encode_payload(self) -> bytes:
        head = bytes((self.alarm_type, self.alarm_level))
        if self.notification_type is None:
            return head
        control = (0x80 if self.sequence is not None else 0) | len(self.event_parameters)
        out = head + bytes((0, self.notification_status, self.notification_type, self.event or 0, control))
        out += self.event_parameters
        return out + (bytes((self.sequence,)) if self.sequence is not None else b"")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Notification Report")
        if len(payload) < 6 or payload[4] == 0:
            return cls(payload[0], payload[1])
        status, ntype, event = payload[3], payload[4], payload[5]
        if len(payload) == 6:
            # Alarm v2 layout (no properties byte); zwave-js would drop type/event here.
            return cls(payload[0], payload[1], ntype, event, status)
        n_params = payload[6] & 0x1F
        require(payload, 7 + n_params, "Notification Report parameters")
        params = payload[7 : 7 + n_params]
        seq = None
        if payload[6] & 0x80:
            require(payload, 8 + n_params, "Notification Report sequence number")
            seq = payload[7 + n_params]
        return cls(payload[0], payload[1], ntype, event, status, params, seq)

    @property
    def is_v1_alarm(self) -> bool:
        return self.notification_type is None

    @property
    def type_label(self) -> str:
        return "" if self.notification_type is None else type_label(self.notification_type)

    @property
    def event_label(self) -> str:
        if self.notification_type is None or self.event is None:
            return ""
        return event_label(self.notification_type, self.event)

    @property
    def parameters(self) -> dict[str, Any]:
        """Decoded, JSON-able event parameters (``{"user_id": 3}`` for keypad events)."""
        if self.notification_type is None or self.event is None:
            return {}
        return decode_parameters(self.notification_type, self.event, self.event_parameters)

    @property
    def carries_secret(self) -> bool:
        """Access Control parameters longer than a bare user id (an embedded User Code report,
        credential data, unknown bytes) may hold a code: never show the raw bytes."""
        return self.notification_type == 0x06 and len(self.event_parameters) > 1

    @property
    def is_state(self) -> bool:
        """True when the event sets a state variable (not a momentary event)."""
        known = TYPES.get(self.notification_type or 0)
        return bool(known and self.event and known.variable_of(self.event))

    def value_updates(self) -> list[ValueUpdate]:
        updates: list[ValueUpdate] = []
        if self.is_v1_alarm or self.alarm_type:
            updates += [ValueUpdate("alarm_type", self.alarm_type), ValueUpdate("alarm_level", self.alarm_level)]
        known = TYPES.get(self.notification_type or 0)
        if known is None or self.notification_type is None or self.event in (None, EVENT_UNKNOWN):
            return updates
        prop = known.name
        meta = {"notification_type": self.notification_type}
        idle_meta = {**meta, "idle_reset": True}
        if self.event == EVENT_IDLE:
            if len(self.event_parameters) == 1:
                var = known.variable_of(self.event_parameters[0])
                if var is not None and var not in known.no_idle:
                    updates.append(ValueUpdate(prop, 0, var, meta=meta))
            else:
                # Blanket idle: the node should only reset values it already has ("idle_reset").
                updates += [ValueUpdate(prop, 0, var, meta=idle_meta)
                            for var in known.variables if var not in known.no_idle]
            return updates
        var = known.variable_of(self.event or 0)
        if var is not None:
            updates.append(ValueUpdate(prop, self.event, var, meta=meta))
        for cleared in _CLEARS.get((self.notification_type, self.event or 0), ()):
            updates.append(ValueUpdate(prop, 0, cleared, meta=idle_meta))
        return updates

    def answers(self, get: CCCommand) -> bool:
        if not isinstance(get, NotificationGet):
            return False
        if get.notification_type in (None, 0x00, 0xFF):
            return True
        return self.notification_type in (get.notification_type, 0x00, 0xFE, None)

    def __repr__(self) -> str:
        # Never show the raw parameter bytes: keypad events embed the user code.
        if self.notification_type is None:
            return f"NotificationReport(alarm_type={self.alarm_type}, alarm_level={self.alarm_level})"
        return (
            f"NotificationReport(type={self.notification_type} {self.type_label!r}, event={self.event} "
            f"{self.event_label!r}, status=0x{self.notification_status:02X}, parameters={self.parameters}, "
            f"sequence={self.sequence}, alarm_type={self.alarm_type}, alarm_level={self.alarm_level})"
        )


@register
@dataclass(frozen=True, slots=True)
class NotificationGet(CCCommand):
    """Get 04: ``[v1 alarm type]`` (v1) ``[type]`` (v2, 0xFF any) ``[event]`` (v3+)."""

    cc_id = CC
    command_id = 0x04
    expects = NotificationReport
    alarm_type: int = 0
    notification_type: int | None = None
    event: int | None = None

    def encode_payload(self) -> bytes:
        out = bytes((self.alarm_type,))
        if self.notification_type is not None:
            out += bytes((self.notification_type,))
            if self.event is not None:
                out += bytes((self.event,))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Notification Get")
        ntype = payload[1] if len(payload) >= 2 else None
        event = payload[2] if len(payload) >= 3 else None
        return cls(payload[0], ntype, event)


@register
@dataclass(frozen=True, slots=True)
class NotificationSet(CCCommand):
    """Set 06: ``[type][0x00 disable / 0xFF enable]`` (push-mode reporting)."""

    cc_id = CC
    command_id = 0x06
    notification_type: int
    enabled: bool

    def encode_payload(self) -> bytes:
        return bytes((self.notification_type, STATUS_ENABLED if self.enabled else STATUS_DISABLED))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Notification Set")
        return cls(payload[0], payload[1] != 0)


@register
@dataclass(frozen=True, slots=True)
class NotificationSupportedReport(CCCommand):
    """SupportedReport 08: ``[b7 v1 alarm | n][bitmask, bit k = type k]``."""

    cc_id = CC
    command_id = 0x08
    supports_v1_alarm: bool
    supported_types: tuple[int, ...]

    def encode_payload(self) -> bytes:
        mask = set_to_bitmask(set(self.supported_types))
        return bytes(((0x80 if self.supports_v1_alarm else 0) | len(mask),)) + mask

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Notification Supported Report")
        n = payload[0] & 0x1F
        require(payload, 1 + n, "Notification Supported Report bitmask")
        types = sorted(bitmask_to_set(payload[1 : 1 + n]) - {0})
        return cls(bool(payload[0] & 0x80), tuple(types))


@register
@dataclass(frozen=True, slots=True)
class NotificationSupportedGet(CCCommand):
    cc_id = CC
    command_id = 0x07
    expects = NotificationSupportedReport


@register
@dataclass(frozen=True, slots=True)
class NotificationEventSupportedReport(CCCommand):
    """EventSupportedReport 02: ``[type][n (low 5 bits)][bitmask, bit k = event k]``."""

    cc_id = CC
    command_id = 0x02
    notification_type: int
    supported_events: tuple[int, ...]

    def encode_payload(self) -> bytes:
        mask = set_to_bitmask(set(self.supported_events))
        return bytes((self.notification_type, len(mask))) + mask

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Notification Event Supported Report")
        n = payload[1] & 0x1F if len(payload) >= 2 else 0
        require(payload, 2 + n, "Notification Event Supported Report bitmask")
        events = sorted(bitmask_to_set(payload[2 : 2 + n]) - {0})
        return cls(payload[0], tuple(events))

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, NotificationEventSupportedGet) and get.notification_type == self.notification_type


@register
@dataclass(frozen=True, slots=True)
class NotificationEventSupportedGet(CCCommand):
    cc_id = CC
    command_id = 0x01
    expects = NotificationEventSupportedReport
    notification_type: int

    def encode_payload(self) -> bytes:
        return bytes((self.notification_type,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Notification Event Supported Get")
        return cls(payload[0])


# --- interview ---------------------------------------------------------------------


async def _interview(ctx: CCContext) -> None:
    """v2+: supported types, v3+: supported events per type, then the current states."""
    if ctx.version < 2:
        return
    try:
        supported = await ctx.get(NotificationSupportedGet())
    except NodeError:
        return
    assert isinstance(supported, NotificationSupportedReport)
    ctx.set_static("supported_notification_types", list(supported.supported_types))
    ctx.set_static("supports_v1_alarm", supported.supports_v1_alarm)
    if ctx.version >= 3:
        for ntype in supported.supported_types:
            try:
                rep = await ctx.get(NotificationEventSupportedGet(ntype))
            except NodeError:
                continue
            assert isinstance(rep, NotificationEventSupportedReport)
            ctx.set_static("supported_events", list(rep.supported_events), type_name(ntype))
    await _refresh(ctx)
    _init_idle(ctx, supported.supported_types)


def _init_idle(ctx: CCContext, types: tuple[int, ...]) -> None:
    """Variables the node supports that are still unknown start as idle (0)."""
    for ntype in types:
        known = TYPES.get(ntype)
        events = ctx.value("supported_events", type_name(ntype))
        if known is None or not events:
            continue
        for var, states in known.variables.items():
            if var in known.no_idle or not set(states) & set(events):
                continue
            if ctx.value(known.name, var) is None:
                ctx.set_static(known.name, 0, var)


async def _refresh(ctx: CCContext) -> None:
    """Ask each supported type for its current state (pull-mode nodes answer with it)."""
    if ctx.version < 2:
        return
    for ntype in ctx.value("supported_notification_types") or []:
        try:
            await ctx.get(NotificationGet(0, ntype, 0x00 if ctx.version >= 3 else None))
        except NodeError:
            continue


INFO = register_cc(CCInfo(CC, "Notification", 8, interview=_interview, refresh=_refresh, interview_order=60))
