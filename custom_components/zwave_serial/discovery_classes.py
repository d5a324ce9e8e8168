"""Discovery by device class, and the event / siren entities (used by ``discovery.py``).

A Multilevel Switch becomes a cover on a motor control device (generic class 0x11 with a
motor specific class), a fan on a fan switch (0x11 / 0x08) and a light otherwise.  Central
Scene gives one event entity per scene (event types: the scene's key attributes), Scene
Activation one per endpoint, the Notification CC one per notification type that has momentary
events (beyond the binary sensors of its states); Sound Switch gives a siren.
"""

from __future__ import annotations

import re
from typing import Any

from homeassistant.components.cover import CoverDeviceClass, CoverEntityDescription
from homeassistant.components.event import EventDeviceClass, EventEntityDescription
from homeassistant.components.siren import SirenEntityDescription
from homeassistant.helpers.entity import EntityDescription

from .zwave import CentralSceneKey, StoredValue, ValueId
from .zwave.cc.notification import TYPES as NOTIFICATION_TYPES

GENERIC_MULTILEVEL_SWITCH = 0x11
#: Specific classes of a Multilevel Switch that drive a motor: multiposition motor, motor
#: control class A, B and C.
MOTOR_CONTROL_CLASSES = frozenset({0x03, 0x05, 0x06, 0x07})
SPECIFIC_FAN_SWITCH = 0x08

#: Event types of a scene: its key attributes (and "released" whenever keys can be held).
_HELD = int(CentralSceneKey.HELD)
_RELEASED = int(CentralSceneKey.RELEASED)


def is_motor_control(node: Any, value_id: ValueId) -> bool:
    """A Multilevel Switch of a motor control device (shades, blinds, awnings)."""
    return node.generic_class == GENERIC_MULTILEVEL_SWITCH and node.specific_class in MOTOR_CONTROL_CLASSES


def is_fan(node: Any, value_id: ValueId) -> bool:
    """A Multilevel Switch of a fan switch."""
    return node.generic_class == GENERIC_MULTILEVEL_SWITCH and node.specific_class == SPECIFIC_FAN_SWITCH


def _key(value_id: ValueId) -> str:
    return value_id.key()


def describe_cover(value_id: ValueId, stored: StoredValue) -> EntityDescription:
    """The motor of a shade: named after the device."""
    return CoverEntityDescription(key=_key(value_id), name=None, device_class=CoverDeviceClass.SHADE)


def describe_named_main(value_id: ValueId, stored: StoredValue) -> EntityDescription:
    """The device's main feature (fan): named after the device."""
    return EntityDescription(key=_key(value_id), name=None)


def describe_siren(value_id: ValueId, stored: StoredValue) -> EntityDescription:
    """Sound Switch: the siren, named after the device."""
    return SirenEntityDescription(key=_key(value_id), name=None)


def scene_event_types(attributes: Any) -> list[str]:
    """Event types of a Central Scene scene from its supported key attribute numbers."""
    keys = {int(k) for k in attributes or () if isinstance(k, int) and k in CentralSceneKey._value2member_map_}
    if _HELD in keys:
        keys.add(_RELEASED)  # a release is inferred when the refreshes of a held key stop
    return [CentralSceneKey(k).label for k in sorted(keys)]


def describe_central_scene(value_id: ValueId, stored: StoredValue) -> EntityDescription | None:
    """One event entity per scene: ``Scene 1`` with pressed, pressed_2x, held, released..."""
    types = scene_event_types(stored.value)
    if not types or not isinstance(value_id.property_key, int):
        return None
    return EventEntityDescription(
        key=_key(value_id),
        translation_key="central_scene",
        translation_placeholders={"scene": str(value_id.property_key)},
        device_class=EventDeviceClass.BUTTON,
        event_types=types,
    )


def describe_scene_activation(value_id: ValueId, stored: StoredValue) -> EntityDescription:
    """Scene Activation: one event entity, event type ``scene_activated`` (the scene id in its data)."""
    return EventEntityDescription(
        key=_key(value_id), translation_key="scene_activation", event_types=["scene_activated"]
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def notification_event_type(notification_type: int, event: int) -> str | None:
    """Event type of a momentary notification event (``keypad_unlock_operation``), None for a
    state (those are binary sensors / sensors) or idle."""
    if event in (0, 0xFE):
        return None
    known = NOTIFICATION_TYPES.get(notification_type)
    if known is None:
        return f"event_0x{event:02x}"
    if known.variable_of(event) is not None:
        return None
    label = known.events.get(event)
    return _slug(label) if label else f"event_0x{event:02x}"


def describe_notification_events(value_id: ValueId, stored: StoredValue) -> EntityDescription | None:
    """One event entity per notification type with momentary events (lock operations, ...)."""
    known = next((t for t in NOTIFICATION_TYPES.values() if t.name == value_id.property_key), None)
    if known is None or not isinstance(stored.value, list):
        return None
    types = sorted({t for e in stored.value if isinstance(e, int) and (t := notification_event_type(known.type_id, e))})
    if not types:
        return None
    return EventEntityDescription(
        key=_key(value_id),
        translation_key="notification",
        translation_placeholders={"type": known.label},
        event_types=types,
    )
