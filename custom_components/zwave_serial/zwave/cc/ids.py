"""Command class identifiers."""

from __future__ import annotations

from enum import IntEnum


class CommandClass(IntEnum):
    """Command class ids (protocol-facts §4)."""

    NO_OPERATION = 0x00
    BASIC = 0x20
    SWITCH_BINARY = 0x25
    SWITCH_MULTILEVEL = 0x26
    SWITCH_ALL = 0x27
    SCENE_ACTIVATION = 0x2B
    SENSOR_BINARY = 0x30
    SENSOR_MULTILEVEL = 0x31
    METER = 0x32
    SWITCH_COLOR = 0x33
    THERMOSTAT_MODE = 0x40
    THERMOSTAT_SETPOINT = 0x43
    SCHEDULE_ENTRY_LOCK = 0x4E
    ASSOCIATION_GROUP_INFO = 0x59
    DEVICE_RESET_LOCALLY = 0x5A
    CENTRAL_SCENE = 0x5B
    ZWAVEPLUS_INFO = 0x5E
    MULTI_CHANNEL = 0x60
    DOOR_LOCK = 0x62
    USER_CODE = 0x63
    SUPERVISION = 0x6C
    CONFIGURATION = 0x70
    NOTIFICATION = 0x71
    MANUFACTURER_SPECIFIC = 0x72
    POWERLEVEL = 0x73
    SOUND_SWITCH = 0x79
    FIRMWARE_UPDATE_MD = 0x7A
    BATTERY = 0x80
    CLOCK = 0x81
    USER_CREDENTIAL = 0x83
    WAKE_UP = 0x84
    ASSOCIATION = 0x85
    VERSION = 0x86
    INDICATOR = 0x87
    TIME = 0x8A
    TIME_PARAMETERS = 0x8B
    MULTI_CHANNEL_ASSOCIATION = 0x8E
    MULTI_CMD = 0x8F
    SECURITY = 0x98
    AUTHENTICATION = 0xA1
    GENERIC_SCHEDULE = 0xA3
    SECURITY_2 = 0x9F
    TRANSPORT_SERVICE = 0x55
    CRC_16_ENCAP = 0x56
    APPLICATION_STATUS = 0x22
    MARK = 0xEF


#: Names of the CCs the driver knows by id but does not implement (an implemented CC names
#: itself in its ``CCInfo``; see :func:`..describe.cc_label`).
UNIMPLEMENTED_NAMES: dict[int, str] = {
    CommandClass.NO_OPERATION: "No Operation",
    CommandClass.SWITCH_ALL: "All Switch",
    CommandClass.THERMOSTAT_MODE: "Thermostat Mode",
    CommandClass.THERMOSTAT_SETPOINT: "Thermostat Setpoint",
    CommandClass.SCHEDULE_ENTRY_LOCK: "Schedule Entry Lock",
    CommandClass.ASSOCIATION_GROUP_INFO: "Association Group Information",
    CommandClass.DEVICE_RESET_LOCALLY: "Device Reset Locally",
    CommandClass.POWERLEVEL: "Powerlevel",
    CommandClass.FIRMWARE_UPDATE_MD: "Firmware Update Meta Data",
    CommandClass.CLOCK: "Clock",
    CommandClass.INDICATOR: "Indicator",
    CommandClass.TIME_PARAMETERS: "Time Parameters",
    CommandClass.SECURITY: "Security",
    CommandClass.SECURITY_2: "Security 2",
    CommandClass.TRANSPORT_SERVICE: "Transport Service",
    CommandClass.CRC_16_ENCAP: "CRC-16 Encapsulation",
    CommandClass.APPLICATION_STATUS: "Application Status",
    CommandClass.MARK: "support/control mark",
}


def cc_name(cc_id: int) -> str:
    """Human name of a CC id, e.g. ``SWITCH_BINARY`` or ``0x9A``."""
    try:
        return CommandClass(cc_id).name
    except ValueError:
        return f"0x{cc_id:02X}"
