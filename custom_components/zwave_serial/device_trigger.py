"""Device triggers: scene buttons ("Scene 1 pressed twice"), Scene Activation, notifications,
lock operations and the node status, as the automation editor offers them.

Scene and lock triggers are event triggers on the integration's bus events (``bus_events.py``,
``lock_events.py``'s ``zwave_serial_lock_event`` with an optional user slot, and the
coordinator's ``zwave_serial_notification``); the node status trigger is a state trigger on the
device's status sensor.
"""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.components.homeassistant.triggers import state as state_trigger
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_ENTITY_ID, CONF_PLATFORM, CONF_TYPE
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN, EVENT_CENTRAL_SCENE, EVENT_LOCK, EVENT_NOTIFICATION, EVENT_SCENE_ACTIVATION
from .device_automation import (
    ATTR_ENDPOINT,
    CONF_SUBTYPE,
    NODE_STATUSES,
    async_node_of_device,
    async_status_entity_id,
)
from .discovery_classes import scene_event_types
from .zwave import CentralSceneKey, CentralSceneValue, CommandClass, Node
from .zwave.lock_activity import LOCK_EVENTS

ATTR_SCENE = "scene"
ATTR_SCENE_ID = "scene_id"
ATTR_NOTIFICATION_TYPE = "notification_type"
ATTR_EVENT = "event"

#: "scene_pressed", "scene_pressed_2x" ... "scene_held", "scene_released"
SCENE_TRIGGERS = {f"scene_{key.label}": key.label for key in CentralSceneKey}
SCENE_ACTIVATED = "scene_activated"
NOTIFICATION = "notification"
NODE_STATUS = "node_status"
ATTR_USER_SLOT = "user_slot"
#: Lock events (``zwave_serial_lock_event``, lock_events.py): "lock_keypad_unlock" ...
LOCK_TRIGGERS: dict[str, str] = {f"lock_{event}": event for event in LOCK_EVENTS}
#: Lock triggers that can name a user slot ("Front door unlocked by user 3").
LOCK_USER_TRIGGERS = frozenset(
    f"lock_{e}" for e in ("keypad_unlock", "keypad_lock", "code_added", "code_deleted", "duplicate_code")
)
TRIGGER_TYPES = {*SCENE_TRIGGERS, SCENE_ACTIVATED, NOTIFICATION, NODE_STATUS, *LOCK_TRIGGERS}

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(TRIGGER_TYPES),
        vol.Optional(ATTR_SCENE): vol.All(vol.Coerce(int), vol.Range(min=1, max=255)),
        vol.Optional(ATTR_ENDPOINT, default=0): vol.All(vol.Coerce(int), vol.Range(min=0, max=127)),
        vol.Optional(CONF_SUBTYPE): cv.string,
        vol.Optional(ATTR_SCENE_ID): vol.All(vol.Coerce(int), vol.Range(min=1, max=255)),
        vol.Optional(ATTR_NOTIFICATION_TYPE): vol.All(vol.Coerce(int), vol.Range(min=0, max=255)),
        vol.Optional(ATTR_EVENT): vol.All(vol.Coerce(int), vol.Range(min=0, max=255)),
        vol.Optional(ATTR_USER_SLOT): vol.All(vol.Coerce(int), vol.Range(min=1, max=65535)),
        vol.Optional(CONF_ENTITY_ID): cv.entity_id_or_uuid,
        vol.Optional(state_trigger.CONF_FROM): vol.In(NODE_STATUSES),
        vol.Optional(state_trigger.CONF_TO): vol.In(NODE_STATUSES),
        vol.Optional(state_trigger.CONF_FOR): cv.positive_time_period_dict,
    }
)


def _subtype(scene: int, endpoint: int) -> str:
    return f"Scene {scene}" if not endpoint else f"Scene {scene} (endpoint {endpoint})"


def _is_lock(node: Node) -> bool:
    return any(node.supports(CommandClass.DOOR_LOCK, ep) for ep in node.endpoints)


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """The triggers of a device: every key of every scene, scene activation, notifications,
    lock operations, node status."""
    found = async_node_of_device(hass, device_id)
    if found is None:
        return []
    coordinator, node = found
    base = {CONF_PLATFORM: "device", CONF_DEVICE_ID: device_id, CONF_DOMAIN: DOMAIN}
    triggers: list[dict[str, Any]] = []
    entity_id = async_status_entity_id(hass, coordinator, node.node_id)
    entity = er.async_get(hass).async_get(entity_id) if entity_id else None
    if entity is not None and not entity.disabled:  # the registry id, as Home Assistant's own triggers
        triggers.append({**base, CONF_TYPE: NODE_STATUS, CONF_ENTITY_ID: entity.id})
    scenes = sorted(
        (vid.endpoint, vid.property_key, stored.value)
        for vid, stored in node.values().items()
        if vid.cc == CommandClass.CENTRAL_SCENE
        and vid.property == CentralSceneValue.SUPPORTED_KEY_ATTRIBUTES
        and isinstance(vid.property_key, int)
    )
    for endpoint, scene, attributes in scenes:
        triggers += [
            {
                **base,
                CONF_TYPE: f"scene_{label}",
                ATTR_SCENE: scene,
                ATTR_ENDPOINT: endpoint,
                CONF_SUBTYPE: _subtype(scene, endpoint),
            }
            for label in scene_event_types(attributes)
        ]
    if node.supports(CommandClass.SCENE_ACTIVATION) or CommandClass.SCENE_ACTIVATION in node.controlled_ccs:
        triggers.append({**base, CONF_TYPE: SCENE_ACTIVATED, ATTR_ENDPOINT: 0})
    if any(node.supports(CommandClass.NOTIFICATION, ep) for ep in node.endpoints):
        triggers.append({**base, CONF_TYPE: NOTIFICATION})
    if _is_lock(node):
        triggers += [{**base, CONF_TYPE: kind} for kind in LOCK_TRIGGERS]
    return triggers


async def async_get_trigger_capabilities(hass: HomeAssistant, config: ConfigType) -> dict[str, vol.Schema]:
    """Extra fields in the editor: a scene id, a notification type/event, node status changes."""
    kind = config[CONF_TYPE]
    if kind == SCENE_ACTIVATED:
        return {"extra_fields": vol.Schema({vol.Optional(ATTR_SCENE_ID): vol.All(vol.Coerce(int), vol.Range(1, 255))})}
    if kind == NOTIFICATION:
        return {
            "extra_fields": vol.Schema(
                {
                    vol.Optional(ATTR_NOTIFICATION_TYPE): vol.All(vol.Coerce(int), vol.Range(0, 255)),
                    vol.Optional(ATTR_EVENT): vol.All(vol.Coerce(int), vol.Range(0, 255)),
                }
            )
        }
    if kind in LOCK_USER_TRIGGERS:
        return {"extra_fields": vol.Schema({vol.Optional(ATTR_USER_SLOT): vol.All(vol.Coerce(int), vol.Range(1, 65535))})}
    if kind == NODE_STATUS:
        return {
            "extra_fields": vol.Schema(
                {
                    vol.Optional(state_trigger.CONF_FROM): vol.In(NODE_STATUSES),
                    vol.Optional(state_trigger.CONF_TO): vol.In(NODE_STATUSES),
                    vol.Optional(state_trigger.CONF_FOR): cv.positive_time_period_dict,
                }
            )
        }
    return {}


def _event_config(config: ConfigType) -> dict[str, Any]:
    """The event trigger (bus event, event data) a device trigger stands for."""
    kind = config[CONF_TYPE]
    data: dict[str, Any] = {CONF_DEVICE_ID: config[CONF_DEVICE_ID]}
    if kind in SCENE_TRIGGERS:
        event_type = EVENT_CENTRAL_SCENE
        data.update(scene=config[ATTR_SCENE], endpoint=config[ATTR_ENDPOINT], key_attribute=SCENE_TRIGGERS[kind])
    elif kind == SCENE_ACTIVATED:
        event_type = EVENT_SCENE_ACTIVATION
        data[ATTR_ENDPOINT] = config[ATTR_ENDPOINT]
        if ATTR_SCENE_ID in config:
            data[ATTR_SCENE_ID] = config[ATTR_SCENE_ID]
    elif kind in LOCK_TRIGGERS:
        event_type = EVENT_LOCK
        data["event"] = LOCK_TRIGGERS[kind]
        if ATTR_USER_SLOT in config:
            data[ATTR_USER_SLOT] = config[ATTR_USER_SLOT]
    else:  # NOTIFICATION
        event_type = EVENT_NOTIFICATION
        if ATTR_NOTIFICATION_TYPE in config:
            data["type"] = config[ATTR_NOTIFICATION_TYPE]
        if ATTR_EVENT in config:
            data["event"] = config[ATTR_EVENT]
    return {
        event_trigger.CONF_PLATFORM: "event",
        event_trigger.CONF_EVENT_TYPE: event_type,
        event_trigger.CONF_EVENT_DATA: data,
    }


async def async_attach_trigger(
    hass: HomeAssistant, config: ConfigType, action: TriggerActionType, trigger_info: TriggerInfo
) -> CALLBACK_TYPE:
    """Attach the event (or, for the node status, the state) trigger behind a device trigger."""
    if config[CONF_TYPE] == NODE_STATUS:
        state_config: dict[str, Any] = {CONF_PLATFORM: "state", CONF_ENTITY_ID: config[CONF_ENTITY_ID]}
        for key in (state_trigger.CONF_FROM, state_trigger.CONF_TO, state_trigger.CONF_FOR):
            if key in config:
                state_config[key] = config[key]
        state_config = await state_trigger.async_validate_trigger_config(hass, state_config)
        return await state_trigger.async_attach_trigger(hass, state_config, action, trigger_info, platform_type="device")
    event_config = event_trigger.TRIGGER_SCHEMA(_event_config(config))
    return await event_trigger.async_attach_trigger(hass, event_config, action, trigger_info, platform_type="device")
