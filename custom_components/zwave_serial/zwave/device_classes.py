"""Device classes: names of the basic, generic and specific device classes a node announces.

A node's information frame and GetNodeProtocolInfo carry ``[basic][generic][specific]``; the
specific class only means something together with its generic class.  Facts: the Z-Wave device
class registry (the list Z-Wave JS ships in core/registries/DeviceClasses.ts), in our own form;
labels in sentence case, with the 2020 spec wording ("end node" for the former "slave").
"""

from __future__ import annotations

#: Basic device class -> name.
BASIC_CLASSES: dict[int, str] = {
    0x01: "Controller",
    0x02: "Static controller",
    0x03: "End node",
    0x04: "Routing end node",
}

#: Generic device class -> (name, {specific device class: name}).
GENERIC_CLASSES: dict[int, tuple[str, dict[int, str]]] = {
    0x01: ("Remote controller", {
        0x01: "Portable remote controller",
        0x02: "Portable scene controller",
        0x03: "Portable installer tool",
        0x04: "AV remote control",
        0x06: "Simple remote control",
    }),
    0x02: ("Static controller", {
        0x01: "PC controller",
        0x02: "Scene controller",
        0x03: "Static installer tool",
        0x04: "Set top box",
        0x05: "Sub system controller",
        0x06: "TV",
        0x07: "Gateway",
    }),
    0x03: ("AV control point", {
        0x01: "Sound switch",
        0x04: "Satellite receiver",
        0x11: "Satellite receiver V2",
        0x12: "Doorbell",
    }),
    0x04: ("Display", {0x01: "Simple display"}),
    0x05: ("Network extender", {0x01: "Secure extender"}),
    0x06: ("Appliance", {
        0x01: "General appliance",
        0x02: "Kitchen appliance",
        0x03: "Laundry appliance",
    }),
    0x07: ("Notification sensor", {0x01: "Notification sensor"}),
    0x08: ("Thermostat", {
        0x01: "Heating thermostat",
        0x02: "General thermostat",
        0x03: "Setback schedule thermostat",
        0x04: "Setpoint thermostat",
        0x05: "Setback thermostat",
        0x06: "General thermostat V2",
    }),
    0x09: ("Window covering", {0x01: "Simple window covering control"}),
    0x0F: ("Repeater end node", {0x01: "Repeater end node", 0x03: "IR repeater"}),
    0x10: ("Binary switch", {
        0x01: "Binary power switch",
        0x02: "Tunable color switch",
        0x03: "Binary scene switch",
        0x04: "Power strip switch",
        0x05: "Siren",
        0x06: "Valve",
        0x07: "Irrigation control",
    }),
    0x11: ("Multilevel switch", {
        0x01: "Multilevel power switch",
        0x02: "Tunable color switch",
        0x03: "Multiposition motor",
        0x04: "Multilevel scene switch",
        0x05: "Motor control class A",
        0x06: "Motor control class B",
        0x07: "Motor control class C",
        0x08: "Fan switch",
    }),
    0x12: ("Remote switch", {
        0x01: "Binary remote switch",
        0x02: "Multilevel remote switch",
        0x03: "Binary toggle remote switch",
        0x04: "Multilevel toggle remote switch",
    }),
    0x13: ("Toggle switch", {0x01: "Binary toggle switch", 0x02: "Multilevel toggle switch"}),
    0x15: ("Z/IP node", {0x01: "Z/IP TUN node", 0x02: "Z/IP ADV node"}),
    0x16: ("Ventilation", {0x01: "Residential heat recovery ventilation"}),
    0x17: ("Security panel", {0x01: "Zoned security panel"}),
    0x18: ("Wall controller", {0x01: "Basic wall controller"}),
    0x20: ("Binary sensor", {0x01: "Routing binary sensor"}),
    0x21: ("Multilevel sensor", {0x01: "Routing multilevel sensor"}),
    0x30: ("Pulse meter", {}),
    0x31: ("Meter", {
        0x01: "Simple meter",
        0x02: "Advanced energy control",
        0x03: "Simple whole home meter",
    }),
    0x40: ("Entry control", {
        0x01: "Door lock",
        0x02: "Advanced door lock",
        0x03: "Secure keypad door lock",
        0x05: "Secure door",
        0x06: "Secure gate",
        0x07: "Secure barrier add-on",
        0x08: "Secure barrier open only",
        0x09: "Secure barrier close only",
        0x0A: "Lockbox",
        0x0B: "Secure keypad",
    }),
    0x50: ("Semi-interoperable", {0x01: "Energy production"}),
    0xA1: ("Alarm sensor", {
        0x01: "Basic routing alarm sensor",
        0x02: "Routing alarm sensor",
        0x03: "Basic zensor net alarm sensor",
        0x04: "Zensor net alarm sensor",
        0x05: "Advanced zensor net alarm sensor",
        0x06: "Basic routing smoke sensor",
        0x07: "Routing smoke sensor",
        0x08: "Basic zensor net smoke sensor",
        0x09: "Zensor net smoke sensor",
        0x0A: "Advanced zensor net smoke sensor",
    }),
    0xFF: ("Non-interoperable", {}),
}

#: Specific class 0 of any generic class: no specific class.
SPECIFIC_NOT_USED = 0x00


def basic_class_name(basic: int) -> str | None:
    """Name of a basic device class (``Routing end node``), None when unknown."""
    return BASIC_CLASSES.get(basic)


def generic_class_name(generic: int) -> str | None:
    """Name of a generic device class (``Binary switch``), None when unknown."""
    entry = GENERIC_CLASSES.get(generic)
    return entry[0] if entry else None


def specific_class_name(generic: int, specific: int) -> str | None:
    """Name of a specific device class within its generic class, None when unknown.

    Specific class 0 is "not used" under every generic class.
    """
    if specific == SPECIFIC_NOT_USED:
        return "Not used"
    entry = GENERIC_CLASSES.get(generic)
    return entry[1].get(specific) if entry else None
