"""Readable text for Serial API frames and command-class commands (``scripts/zwave decode``).

Every enumerated value is written with its name next to its number::

    function=0x13 (SendData)   status=0x00 (OK)   generic=0x10 (Binary switch)
    sensor_type=1 (air temperature) value=72.5 °F scale=1 (°F)

The names come from the tables the driver itself uses: the Serial API function table and the
enums of ``serialapi/*``, the CC registries (``cc/sensor_multilevel.SENSOR_TYPES``,
``cc/meter.METER_TYPES``, ``cc/notification.TYPES``...) and :mod:`.device_classes`.
Pure functions, no I/O.  Secrets stay hidden: a secret command (user code, authentication
data) shows no field, and a frame that carries one (or a keypad notification embedding a
code) shows no raw bytes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from .cc import (
    CCCommand,
    battery,
    cc_info,
    configuration,
    door_lock,
    manufacturer_specific,
    meter,
    multi_channel,
    notification,
    sensor_binary,
    sensor_multilevel,
    supervision,
    switch_multilevel,
    transport_service,
    user_code,
    version,
    zwave_plus_info,
)
from .cc import authentication as auth_cc
from .cc.base import lookup
from .cc.ids import UNIMPLEMENTED_NAMES
from .device_classes import basic_class_name, generic_class_name, specific_class_name
from .errors import ZWaveError
from .frame import Frame, FrameType, parse_frame
from .messaging import encap
from .serialapi import FUNCTIONS, application, capability, decode_frame, function_name, network, nvm, transmit
from .serialapi.functions import FunctionType

#: Render a field: ``(value, the object holding it) -> text``, or None to leave the field out.
Render = Callable[[Any, Any], str | None]
#: Name a value: ``(value, the object holding it) -> name``, or None when the table lacks it.
Namer = Callable[[Any, Any], str | None]

REDACTED = "<redacted>"

# --- names ---------------------------------------------------------------------------

#: Words written in capitals (or their own spelling) when a table key becomes text.
_WORDS = {
    "ok": "OK", "ack": "ACK", "id": "ID", "suc": "SUC", "sis": "SIS", "lr": "LR", "rf": "RF",
    "lwr": "LWR", "nlwr": "NLWR", "nvm": "NVM", "tx": "TX", "dsk": "DSK", "usb": "USB",
    "wut": "WUT", "av": "AV", "pc": "PC", "ip": "IP", "co": "CO", "co2": "CO2", "voc": "VOC",
    "pm1": "PM1", "pm10": "PM10", "pm25": "PM2.5", "dhw": "DHW", "rfid": "RFID", "zwave": "Z-Wave",
}


def humanize(key: str) -> str:
    """A table key as text: ``NODE_INFO_RECEIVED`` -> ``node info received``, ``NO_ACK`` ->
    ``no ack``... with acronyms kept (``OK``, ``SUC ID changed``, ``CO2 level``)."""
    return " ".join(_WORDS.get(word.lower(), word.lower()) for word in key.split("_") if word)


def enum_label(enum: type[IntEnum], value: int) -> str | None:
    """Humanized name of ``value`` in ``enum``, None when the enum lacks it."""
    try:
        return humanize(enum(value).name)
    except ValueError:
        return None


def cc_label(cc_id: int) -> str | None:
    """Name of a command class: its ``CCInfo`` name, else the driver's list of known ids."""
    info = cc_info(cc_id)
    if info is not None:
        return info.name
    return UNIMPLEMENTED_NAMES.get(cc_id)


def function_label(function_id: int) -> str | None:
    """Name of a Serial API function (``SendData``), None when the driver does not know it.

    Functions the driver only knows by id are named from their ``FunctionType`` member
    (``GET_RANDOM`` -> ``GetRandom``).
    """
    if function_id in FUNCTIONS:
        return function_name(function_id)
    try:
        member = FunctionType(function_id)
    except ValueError:
        return None
    return "".join(word.capitalize() for word in member.name.split("_"))


def rx_status_label(rx_status: int) -> str:
    """RX status flags: the frame type (single cast/broadcast/multicast), then each set flag."""
    kinds = {
        0: "single cast",
        application.RX_STATUS_BROADCAST: "broadcast",
        application.RX_STATUS_MULTICAST: "multicast",
    }
    kind = rx_status & application.RX_STATUS_TYPE_MASK
    names = [kinds.get(kind, f"frame type 0x{kind:02X}")]
    flags = (
        (application.RX_STATUS_ROUTED_BUSY, "routed busy"),
        (application.RX_STATUS_LOW_POWER, "low power"),
        (application.RX_STATUS_EXPLORE, "explore"),
        (application.RX_STATUS_FOREIGN_FRAME, "foreign frame"),
        (application.RX_STATUS_FOREIGN_HOME_ID, "foreign home ID"),
    )
    names += [name for bit, name in flags if rx_status & bit]
    return ", ".join(names)


def tx_options_label(tx_options: int) -> str:
    """SendData transmit options: the name of each set bit (``ACK, auto route, explore``)."""
    names = [humanize(option.name) for option in transmit.TxOptions if tx_options & option]
    rest = tx_options & ~sum(transmit.TxOptions)
    if rest:
        names.append(f"0x{rest:02X}")
    return ", ".join(names) or "none"


#: RSSI bytes that are not measurements (Serial API RSSI encoding).
RSSI_SPECIAL: dict[int, str] = {127: "not available", 126: "receiver saturated", 125: "no signal detected"}


def _dbm(value: int, _owner: Any = None) -> str:
    special = RSSI_SPECIAL.get(value)
    return f"{value} ({special})" if special else f"{value} dBm"


# --- rendering helpers -----------------------------------------------------------------


def _number(value: int, digits: int) -> str:
    return f"0x{value:0{digits}X}" if digits else str(value)


def _named(namer: Namer, digits: int = 0) -> Render:
    """Render a number (or each number of a list or set) as ``number (name)``."""

    def one(value: Any, owner: Any) -> str:
        if not isinstance(value, int):
            return _plain(value)
        name = namer(value, owner)
        return f"{_number(value, digits)} ({'unknown' if name is None else name})"

    def render(value: Any, owner: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, (set, frozenset)):
            return "[" + ", ".join(one(v, owner) for v in sorted(value)) + "]"
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(one(v, owner) for v in value) + "]"
        return one(value, owner)

    return render


def _table(table: Mapping[int, str], *, human: bool = False) -> Namer:
    """Namer from a dict (``human``: the names are snake_case keys to humanize)."""

    def name(value: int, _owner: Any) -> str | None:
        found = table.get(value)
        return humanize(found) if human and found is not None else found

    return name


def _enum(enum: type[IntEnum]) -> Namer:
    return lambda value, _owner: enum_label(enum, value)


def _hex(digits: int) -> Render:
    return lambda value, _owner: None if value is None else _number(value, digits)


def _unit(unit: str | Callable[[Any], str | None]) -> Render:
    """A measured value followed by its unit (``unit`` may depend on the holding object)."""

    def render(value: Any, owner: Any) -> str | None:
        if value is None:
            return None
        text = unit(owner) if callable(unit) else unit
        return f"{_plain(value)} {text}" if text else _plain(value)

    return render


def _hidden(_value: Any, _owner: Any) -> None:
    return None


def _size(value: Any, _owner: Any) -> str:
    """Encapsulated bytes: their length only (they are decoded on a line of their own)."""
    return f"<{len(value)} bytes>"


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, IntEnum):
        return f"{int(value)} ({humanize(value.name)})"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray)):
        return f"<{bytes(value).hex(' ')}>" if value else "<>"
    if isinstance(value, str):
        return value if value and " " not in value and "=" not in value else repr(value)
    if isinstance(value, (set, frozenset)):
        return "[" + ", ".join(_plain(v) for v in sorted(value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + " ".join(f"{k}={_plain(v)}" for k, v in value.items()) + "}"
    if _is_record(value):
        return "{" + " ".join(_fields(value)) + "}"
    return str(value)


# --- per-type field renderers --------------------------------------------------------


def _generic_of(owner: Any) -> int | None:
    return getattr(owner, "generic", getattr(owner, "generic_class", None))


_CC = _named(lambda v, _o: cc_label(v), 2)
_DEVICE_CLASSES: dict[str, Render] = {
    "basic": _named(lambda v, _o: basic_class_name(v), 2),
    "generic": _named(lambda v, _o: generic_class_name(v), 2),
    "specific": _named(lambda v, o: specific_class_name(_generic_of(o) or 0, v), 2),
}

#: Renderers by field name, for any type that has the field.
_COMMON: dict[str, Render] = {
    **_DEVICE_CLASSES,
    "generic_class": _DEVICE_CLASSES["generic"],
    "specific_class": _DEVICE_CLASSES["specific"],
    "supported_ccs": _CC,
    "controlled_ccs": _CC,
    "command_class": _CC,
    "manufacturer_id": _hex(4),
    "product_type": _hex(4),
    "product_id": _hex(4),
    "home_id": _hex(8),
    "nwi_home_id": _hex(8),
    "duration": _unit("s"),
    "rx_status": _named(lambda v, _o: rx_status_label(v), 2),
    "tx_options": _named(lambda v, _o: tx_options_label(v), 2),
}

# Multilevel Sensor


def _sensor_type(sensor_type: int, _owner: Any = None) -> str | None:
    entry = sensor_multilevel.SENSOR_TYPES.get(sensor_type)
    return humanize(entry[0]) if entry else None


def _sensor_scale(scale: int, owner: Any) -> str | None:
    entry = sensor_multilevel.SENSOR_TYPES.get(owner.sensor_type)
    if entry is None or scale >= len(entry[1]):
        return None
    return entry[1][scale] or "no unit"


# Meter


def _meter_type(meter_type: int, _owner: Any = None) -> str | None:
    entry = meter.METER_TYPES.get(meter_type)
    return entry[0] if entry else None


def _meter_scale(scale: int, owner: Any) -> str | None:
    entry = meter.METER_TYPES.get(owner.meter_type) if owner.meter_type is not None else None
    scale_entry = entry[1].get(scale) if entry else None
    if scale_entry is None:
        return None
    return scale_entry[1] or humanize(scale_entry[0])


def _meter_unit(owner: Any) -> str | None:
    return meter.meter_unit(owner.meter_type, owner.scale)


# Notification


def _notification_type(notification_type: int, _owner: Any = None) -> str | None:
    known = notification.TYPES.get(notification_type)
    return known.label if known else None


def _notification_event(event: int, owner: Any) -> str | None:
    if event == notification.EVENT_IDLE:
        return "idle"
    known = notification.TYPES.get(owner.notification_type)
    return known.event_label(event) if known else None


def _notification_parameters(_raw: Any, owner: notification.NotificationReport) -> str | None:
    """Decoded event parameters (a user id, never a code); the raw bytes are never shown."""
    parameters = owner.parameters
    if not parameters:
        return None
    status = parameters.get("user_id_status")
    shown = {**parameters}
    if isinstance(status, int):
        shown["user_id_status"] = f"{status} ({enum_label(user_code.UserIdStatus, status) or 'unknown'})"
    return "{" + " ".join(f"{k}={v if k == 'user_id_status' else _plain(v)}" for k, v in shown.items()) + "}"


def _sensor_binary_type(sensor_type: int, _owner: Any = None) -> str | None:
    name = sensor_binary.SENSOR_TYPES.get(sensor_type)
    return humanize(name) if name else None


def _battery_level(level: int, _owner: Any) -> str:
    return f"{level} (low battery warning)" if level == battery.LOW_BATTERY else f"{level} %"


def _battery_temperature_scale(scale: int, _owner: Any) -> str | None:
    return battery.TEMPERATURE_UNITS[scale] if scale < len(battery.TEMPERATURE_UNITS) else None


def _switch_type(switch_type: int, _owner: Any) -> str | None:
    directions = switch_multilevel.SWITCH_TYPES.get(switch_type)
    return "/".join(directions) if directions else None


def _endpoint_find_generic(generic: int, owner: Any) -> str | None:
    return "any" if generic == 0xFF else generic_class_name(generic)


def _endpoint_find_specific(specific: int, owner: Any) -> str | None:
    return "any" if specific == 0xFF else specific_class_name(owner.generic_class, specific)


def _device_specific_data(data: bytes, owner: Any) -> str:
    if owner.data_format == manufacturer_specific.FORMAT_UTF8:
        return _plain(data.decode("utf-8", "replace"))
    return _plain(data)


def _tx_ticks(ticks: int, _owner: Any) -> str:
    return f"{ticks} ({ticks * 10} ms)"


def _rssi_list(values: Iterable[int], _owner: Any) -> str:
    return "[" + ", ".join(_dbm(v) for v in values) + "]"


_SENSOR_SCALE = _named(_sensor_scale)
_METER: dict[str, Render] = {
    "meter_type": _named(_meter_type),
    "scale": _named(_meter_scale),
    "rate_type": _named(_table(meter.RATE_TYPES)),
    "value": _unit(_meter_unit),
    "previous_value": _unit(_meter_unit),
}
_NOTIFICATION: dict[str, Render] = {
    "notification_type": _named(_notification_type, 2),
    "event": _named(_notification_event, 2),
    "notification_status": _named(_table(notification.STATUSES), 2),
    "event_parameters": _notification_parameters,
    "supported_types": _named(_notification_type, 2),
    "supported_events": _named(_notification_event, 2),
}
_DOOR_LOCK_MODE = _named(_enum(door_lock.DoorLockMode), 2)
_OPERATION_TYPE = _named(_enum(door_lock.OperationType))
_USER_ID_STATUS = _named(_enum(user_code.UserIdStatus))
_KEYPAD_MODE = _named(_enum(user_code.KeypadMode))
_SECONDS = _unit("s")
_SEGMENT: dict[str, Render] = {
    "partial_datagram": _size,
    "header_extension": lambda v, o: _size(v, o) if v else None,
}
_LIBRARY_TYPE = _named(_enum(capability.LibraryType))
_STATUS_BY_FUNCTION: dict[int, type[IntEnum]] = {
    FunctionType.REQUEST_NODE_NEIGHBOR_UPDATE: network.NeighborUpdateStatus,
    FunctionType.SET_SUC_NODE_ID: network.SetSucStatus,
    FunctionType.REMOVE_FAILED_NODE: network.RemoveFailedStatus,
    FunctionType.REPLACE_FAILED_NODE: network.ReplaceFailedStatus,
    FunctionType.ASSIGN_RETURN_ROUTE: transmit.TransmitStatus,
    FunctionType.DELETE_RETURN_ROUTE: transmit.TransmitStatus,
    FunctionType.ASSIGN_SUC_RETURN_ROUTE: transmit.TransmitStatus,
    FunctionType.DELETE_SUC_RETURN_ROUTE: transmit.TransmitStatus,
}

#: Renderers by type, then field name (before :data:`_COMMON`).
_BY_TYPE: dict[type, dict[str, Render]] = {
    # Serial API messages
    application.ApplicationCommand: {"command": _hidden, "rssi": lambda v, o: None if v is None else _dbm(v)},
    application.ApplicationUpdate: {"update_type": _named(_enum(application.UpdateType), 2), "raw": _hidden},
    transmit.TxReport: {
        "status": _named(_enum(transmit.TransmitStatus), 2),
        "tx_ticks": lambda v, o: None if v is None else _tx_ticks(v, o),
        "ack_rssi": lambda v, o: None if v is None else _dbm(v),
        "ack_repeater_rssi": lambda v, o: None if v is None else _rssi_list(v, o),
        "route_scheme": _named(_enum(transmit.RouteScheme)),
        "route_speed": _named(_table(transmit.ROUTE_SPEEDS)),
        "tx_power": lambda v, o: None if v is None else f"{v} dBm",
        "measured_noise_floor": lambda v, o: None if v is None else _dbm(v),
        "destination_ack_tx_power": lambda v, o: None if v is None else f"{v} dBm",
        "destination_ack_rssi": lambda v, o: None if v is None else _dbm(v),
        "destination_ack_noise_floor": lambda v, o: None if v is None else _dbm(v),
    },
    network.AddRemoveNodeStatus: {"status": _named(_enum(network.AddRemoveStatus), 2)},
    network.ProtocolInfo: {
        "frequent_listening": lambda v, o: None if v is None else f"{v} ms",
        "speeds": lambda v, o: "[" + ", ".join(f"{s / 1000:g} kbit/s" for s in v) + "]",
    },
    capability.InitData: {"chip_type": _named(lambda v, o: o.chip_name, 2), "chip_version": _hex(2)},
    capability.ControllerCapabilities: {"raw": _hex(2)},
    capability.SerialApiCapabilities: {"supported_functions": _named(lambda v, _o: function_label(v), 2)},
    capability.ProtocolVersion: {"protocol_type": _named(_table(capability.PROTOCOL_TYPES))},
    capability.SerialApiStarted: {"wake_up_reason": _named(_enum(capability.WakeUpReason), 2)},
    capability.SetupResponse: {"subcommand": _named(_enum(capability.SetupCommand), 2)},
    capability.ControllerVersion: {"library_type": _LIBRARY_TYPE},
    nvm.NvmOperationResult: {"status": _named(_enum(nvm.NvmStatus), 2)},
    # command classes
    sensor_multilevel.SensorMultilevelReport: {
        "sensor_type": _named(_sensor_type),
        "scale": _SENSOR_SCALE,
        "value": _unit(lambda o: sensor_multilevel.sensor_unit(o.sensor_type, o.scale)),
    },
    sensor_multilevel.SensorMultilevelGet: {
        "sensor_type": _named(_sensor_type),
        "scale": lambda v, o: None if o.sensor_type is None else _SENSOR_SCALE(v, o),
    },
    sensor_multilevel.SensorMultilevelSupportedSensorReport: {"sensor_types": _named(_sensor_type)},
    sensor_multilevel.SensorMultilevelSupportedScaleGet: {"sensor_type": _named(_sensor_type)},
    sensor_multilevel.SensorMultilevelSupportedScaleReport: {
        "sensor_type": _named(_sensor_type),
        "scales": _SENSOR_SCALE,
    },
    meter.MeterReport: {**_METER, "delta_time": lambda v, o: None if v is None else (
        f"{v} (unknown)" if v == meter.DELTA_UNKNOWN else f"{v} s")},
    meter.MeterGet: {"rate_type": _METER["rate_type"]},
    meter.MeterSupportedReport: {
        "meter_type": _METER["meter_type"],
        "scales": _METER["scale"],
        "rate_types": _METER["rate_type"],
    },
    meter.MeterReset: _METER,
    notification.NotificationReport: _NOTIFICATION,
    notification.NotificationGet: _NOTIFICATION,
    notification.NotificationSet: _NOTIFICATION,
    notification.NotificationSupportedReport: _NOTIFICATION,
    notification.NotificationEventSupportedGet: _NOTIFICATION,
    notification.NotificationEventSupportedReport: _NOTIFICATION,
    sensor_binary.SensorBinaryReport: {"sensor_type": _named(_sensor_binary_type)},
    sensor_binary.SensorBinaryGet: {"sensor_type": _named(_sensor_binary_type)},
    sensor_binary.SensorBinarySupportedReport: {"sensor_types": _named(_sensor_binary_type)},
    supervision.SupervisionReport: {"status": _named(_enum(supervision.SupervisionStatus), 2)},
    supervision.SupervisionGet: {"command": _size},
    multi_channel.MultiChannelCmdEncap: {"command": _size},
    multi_channel.MultiInstanceEncap: {"command": _size},
    multi_channel.MultiChannelEndPointFind: {
        "generic_class": _named(_endpoint_find_generic, 2),
        "specific_class": _named(_endpoint_find_specific, 2),
    },
    multi_channel.MultiChannelEndPointFindReport: {
        "generic_class": _named(_endpoint_find_generic, 2),
        "specific_class": _named(_endpoint_find_specific, 2),
    },
    door_lock.DoorLockOperationSet: {"mode": _DOOR_LOCK_MODE},
    door_lock.DoorLockOperationReport: {
        "current_mode": _DOOR_LOCK_MODE,
        "target_mode": _DOOR_LOCK_MODE,
        "lock_timeout": _SECONDS,
    },
    door_lock.DoorLockConfigurationSet: {
        "operation_type": _OPERATION_TYPE,
        "lock_timeout": _SECONDS,
        "auto_relock_time": _SECONDS,
        "hold_and_release_time": _SECONDS,
    },
    door_lock.DoorLockConfigurationReport: {
        "operation_type": _OPERATION_TYPE,
        "lock_timeout": _SECONDS,
        "auto_relock_time": _SECONDS,
        "hold_and_release_time": _SECONDS,
    },
    door_lock.DoorLockCapabilitiesReport: {"operation_types": _OPERATION_TYPE, "modes": _DOOR_LOCK_MODE},
    user_code.UserCodeCapabilitiesReport: {"statuses": _USER_ID_STATUS, "keypad_modes": _KEYPAD_MODE},
    user_code.KeypadModeSet: {"mode": _KEYPAD_MODE},
    user_code.KeypadModeReport: {"mode": _KEYPAD_MODE},
    battery.BatteryReport: {"level": _battery_level},
    battery.BatteryStatus: {
        "charging_status": _named(_table(battery.CHARGING_STATUSES)),
        "replace_recharge": _named(_table(battery.REPLACE_RECHARGE)),
    },
    battery.BatteryHealthReport: {
        "max_capacity": _unit("%"),
        "temperature": _unit(lambda o: _battery_temperature_scale(o.scale, o)),
        "scale": _named(_battery_temperature_scale),
    },
    switch_multilevel.SwitchMultilevelSupportedReport: {
        "primary_type": _named(_switch_type, 2),
        "secondary_type": _named(_switch_type, 2),
    },
    zwave_plus_info.ZWavePlusInfoReport: {
        "role_type": _named(_table(zwave_plus_info.ROLE_TYPES, human=True)),
        "node_type": _named(_table(zwave_plus_info.NODE_TYPES, human=True)),
        "installer_icon": _hex(4),
        "user_icon": _hex(4),
    },
    version.VersionReport: {"library_type": _LIBRARY_TYPE},
    configuration.ConfigurationPropertiesReport: {
        "value_format": _named(_table(configuration.VALUE_FORMATS)),
    },
    manufacturer_specific.DeviceSpecificGet: {"id_type": _named(_table(manufacturer_specific.ID_TYPES))},
    manufacturer_specific.DeviceSpecificReport: {
        "id_type": _named(_table(manufacturer_specific.ID_TYPES)),
        "data_format": _named(_table(manufacturer_specific.DATA_FORMATS)),
        "data": _device_specific_data,
    },
    auth_cc.AuthenticationCapabilityReport: {
        "technologies": _named(_table(auth_cc.TECHNOLOGIES)),
        "fallback_statuses": _USER_ID_STATUS,
    },
    auth_cc.AuthenticationChecksumGet: {"technology": _named(_table(auth_cc.TECHNOLOGIES))},
    auth_cc.AuthenticationChecksumReport: {"technology": _named(_table(auth_cc.TECHNOLOGIES))},
    auth_cc.TechnologiesCombination: {"fallback_status": _USER_ID_STATUS},
    # Transport Service: the segment's bytes are only part of a command (maybe a secret one)
    transport_service.TransportServiceFirstSegment: _SEGMENT,
    transport_service.TransportServiceSubsequentSegment: _SEGMENT,
}


def _is_record(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _fields(obj: Any, overrides: Mapping[str, Render] | None = None, *, nested: bool = True) -> list[str]:
    """``name=value`` for each field of a dataclass (fields that render to None left out;
    with ``nested`` False, fields holding a dataclass too)."""
    specs = _BY_TYPE.get(type(obj), {})
    out = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if not nested and _is_record(value):
            continue
        render = (overrides or {}).get(f.name) or specs.get(f.name) or _COMMON.get(f.name)
        if render is not None:
            text = render(value, obj)
        elif value is None:
            text = None
        else:
            text = _plain(value)
        if text is not None:
            out.append(f"{f.name}={text}")
    return out


# --- public API ------------------------------------------------------------------------


def describe_command(command: CCCommand) -> str:
    """One command: ``cc=0x31 (Multilevel Sensor) command=0x05 (SensorMultilevelReport) ...``.

    A secret command (user code, authentication data) shows ``<redacted>`` instead of fields.
    """
    head = f"cc={_CC(command.cc_id, command)} command=0x{command.command_id:02X} ({type(command).__name__})"
    if command.secret:
        return f"{head} {REDACTED}"
    return " ".join([head, *_fields(command)])


def describe_unknown_command(data: bytes, reason: str | None = None) -> str:
    """Command bytes the driver could not decode: CC and command id named as far as known."""
    cc_text = _CC(data[0], None) if data else "?"
    parts = [f"cc={cc_text}"]
    if len(data) >= 2:
        cls = lookup(data[0], data[1])
        parts.append(f"command=0x{data[1]:02X} ({cls.__name__ if cls else 'unknown'})")
    if reason:
        parts.append(f"error={reason!r}")
    elif len(data) > 2:
        parts.append(f"payload={_plain(data[2:])}")
    return " ".join(parts)


def describe_message(function_id: int, message: Any) -> str:
    """A decoded Serial API message (a dataclass, or a bool/int/bytes result) as text."""
    if _is_record(message):
        overrides: dict[str, Render] = {}
        status_enum = _STATUS_BY_FUNCTION.get(function_id)
        if isinstance(message, network.StatusCallback) and status_enum is not None:
            overrides["status"] = _named(_enum(status_enum), 2)
        return " ".join(_fields(message, overrides, nested=False))
    if isinstance(message, list) and all(isinstance(v, int) for v in message):
        return f"node_ids={_plain(message)}"
    return f"result={_plain(message)}"


@dataclass(frozen=True, slots=True)
class SendDataRequest:
    """A host-to-stick SendData request (decoded for display; the stick never sends one)."""

    node_id: int
    tx_options: int
    callback_id: int


@dataclass(frozen=True, slots=True)
class DecodedFrame:
    """One frame taken apart: the Serial API message and the commands it carries.

    ``message`` is the decoded payload (None when the driver has no decoder for it);
    ``command_bytes`` the CC bytes the frame carries, ``unwrapped`` their decoding (None with
    ``command_error`` set when they do not decode).
    """

    frame: Frame
    name: str
    message: Any | None
    host_to_stick: bool = False
    command_bytes: bytes | None = None
    unwrapped: encap.Unwrapped | None = None
    command_error: str | None = None

    @property
    def secret(self) -> bool:
        """True when a carried command holds a secret: the raw bytes must not be shown."""
        if self.unwrapped is None:
            return False
        return any(cmd.carries_secret for _, cmd in self.unwrapped.commands)

    def items(self) -> list[tuple[int, CCCommand | bytes]]:
        """Every carried command with its endpoint (Multi Command flattened), unknown ones as
        bytes."""
        if self.unwrapped is None:
            return []
        parts = self.unwrapped.multi or [self.unwrapped]
        return [(part.endpoint, part.command) for part in parts]


def _is_send_data_request(frame: Frame) -> bool:
    p = frame.payload
    return (
        frame.function == FunctionType.SEND_DATA
        and frame.type == FrameType.REQUEST
        and len(p) >= 4
        and len(p) == p[1] + 4
    )


def decode_frame_parts(data: bytes) -> DecodedFrame:
    """Parse and decode one raw frame; raises :class:`ZWaveError` for a malformed frame."""
    frame = parse_frame(bytes(data))
    name, message = decode_frame(frame)
    host_to_stick = _is_send_data_request(frame)
    if host_to_stick:
        # [node][len][command][tx options][callback id]
        p = frame.payload
        message = SendDataRequest(p[0], p[-2], p[-1])
        command = p[2 : 2 + p[1]]
    else:
        command = getattr(message, "command", None)
    if not isinstance(command, (bytes, bytearray)):
        return DecodedFrame(frame, name, message, host_to_stick)
    command = bytes(command)
    try:
        unwrapped = encap.unwrap(command)
    except ZWaveError as err:
        return DecodedFrame(frame, name, message, host_to_stick, command, command_error=str(err))
    return DecodedFrame(frame, name, message, host_to_stick, command, unwrapped)


def describe_decoded(decoded: DecodedFrame) -> list[str]:
    """Lines of text for a decoded frame: header, payload, message, one line per command."""
    frame = decoded.frame
    kind = "request" if frame.type == FrameType.REQUEST else "response"
    direction = " (host to stick)" if decoded.host_to_stick else ""
    name = function_label(frame.function) or "unknown"
    lines = [f"{kind}{direction} function=0x{frame.function:02X} ({name})"]
    payload = REDACTED if decoded.secret else (frame.payload.hex(" ") or "(empty)")
    lines.append(f"  payload: {payload}")
    if decoded.message is not None:
        text = describe_message(frame.function, decoded.message)
        nested = _nested_lines(decoded.message)
        if text:
            lines.append(f"  message: {text}")
        lines += nested
    elif frame.payload:
        lines.append("  message: not decoded (no decoder for this function and frame type)")
    supervision = decoded.unwrapped.supervision if decoded.unwrapped else None
    for endpoint, command in decoded.items():
        where = [f"endpoint={endpoint}"] if endpoint else []
        if supervision is not None:
            where.append(f"supervision_session={supervision.session_id}")
        prefix = "  command" + (f" ({' '.join(where)})" if where else "") + ": "
        if isinstance(command, bytes):
            lines.append(prefix + describe_unknown_command(command, "command class not implemented"))
        else:
            lines.append(prefix + describe_command(command))
    if decoded.command_error is not None and decoded.command_bytes is not None:
        lines.append("  command: " + describe_unknown_command(decoded.command_bytes, decoded.command_error))
    return lines


def _nested_lines(message: Any) -> list[str]:
    """A message's nested dataclass (the node information of an update) on a line of its own."""
    if not _is_record(message):
        return []
    out = []
    for f in dataclasses.fields(message):
        value = getattr(message, f.name)
        if _is_record(value):
            out.append(f"  {f.name}: " + " ".join(_fields(value)))
    return out


def describe_frame(data: bytes) -> list[str]:
    """Lines of readable text for one raw frame; raises :class:`ZWaveError` if malformed."""
    return describe_decoded(decode_frame_parts(data))


__all__ = [
    "REDACTED",
    "RSSI_SPECIAL",
    "DecodedFrame",
    "SendDataRequest",
    "cc_label",
    "decode_frame_parts",
    "describe_command",
    "describe_decoded",
    "describe_frame",
    "describe_message",
    "describe_unknown_command",
    "enum_label",
    "function_label",
    "humanize",
    "rx_status_label",
    "tx_options_label",
]
