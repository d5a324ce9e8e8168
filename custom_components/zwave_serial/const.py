"""Constants of the Z-Wave Serial integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from homeassistant.const import Platform

DOMAIN: Final = "zwave_serial"
TITLE: Final = "Z-Wave Serial"

# Config entry data
CONF_PORT: Final = "port"
CONF_DEMO: Final = "demo"
CONF_S0_LEGACY_KEY: Final = "s0_legacy_key"
CONF_S2_UNAUTHENTICATED_KEY: Final = "s2_unauthenticated_key"
CONF_S2_AUTHENTICATED_KEY: Final = "s2_authenticated_key"
CONF_S2_ACCESS_CONTROL_KEY: Final = "s2_access_control_key"
NETWORK_KEYS: Final = (
    CONF_S0_LEGACY_KEY,
    CONF_S2_UNAUTHENTICATED_KEY,
    CONF_S2_AUTHENTICATED_KEY,
    CONF_S2_ACCESS_CONTROL_KEY,
)

# Config flow choices in the port list
PORT_MANUAL: Final = "manual"
PORT_DEMO: Final = "demo"

# Options
OPT_HEAL_HOUR: Final = "heal_hour"
OPT_INCLUSION_TIMEOUT: Final = "inclusion_timeout"
OPT_WAKE_UP_INTERVAL: Final = "default_wake_up_interval"
OPT_CONTROLLER_IS_SUC: Final = "controller_is_suc"
HEAL_OFF: Final = "off"
DEFAULT_HEAL_HOUR: Final = HEAL_OFF
DEFAULT_INCLUSION_TIMEOUT: Final = 60
DEFAULT_WAKE_UP_INTERVAL: Final = 3600
DEFAULT_CONTROLLER_IS_SUC: Final = True

# The virtual stick of the demo network
DEMO_HOME_ID: Final = 0xC0FFEE01

# Events fired on the Home Assistant bus
EVENT_NOTIFICATION: Final = f"{DOMAIN}_notification"
EVENT_CENTRAL_SCENE: Final = f"{DOMAIN}_central_scene"
EVENT_SCENE_ACTIVATION: Final = f"{DOMAIN}_scene_activation"
EVENT_NODE_ADDED: Final = f"{DOMAIN}_node_added"
EVENT_NODE_REMOVED: Final = f"{DOMAIN}_node_removed"
EVENT_LOCK: Final = f"{DOMAIN}_lock_event"  # lock_events.py

# Services
SERVICE_SET_LOCK_USERCODE: Final = "set_lock_usercode"
SERVICE_CLEAR_LOCK_USERCODE: Final = "clear_lock_usercode"
SERVICE_REFRESH_VALUES: Final = "refresh_values"
SERVICE_PING: Final = "ping"
SERVICE_HEAL_NETWORK: Final = "heal_network"
SERVICE_HEAL_NODE: Final = "heal_node"
SERVICE_STOP_HEAL: Final = "stop_heal"
EVENT_HEAL_PROGRESS: Final = f"{DOMAIN}_heal_progress"
EVENT_HEAL_DONE: Final = f"{DOMAIN}_heal_done"
ATTR_CODE_SLOT: Final = "code_slot"
ATTR_USERCODE: Final = "usercode"

# Link statistics refresh (the only timer of the integration; values are pushed)
STATISTICS_INTERVAL: Final = timedelta(seconds=60)

PLATFORMS: Final = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.COVER,
    Platform.EVENT,
    Platform.FAN,
    Platform.LIGHT,
    Platform.LOCK,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SIREN,
    Platform.SWITCH,
]


def signal_add_entities(entry_id: str, platform: Platform | str) -> str:
    """Dispatcher signal: new discovered entities for a platform."""
    return f"{DOMAIN}_{entry_id}_add_{platform}"


def signal_new_node(entry_id: str) -> str:
    """Dispatcher signal: a node got its device (node-level entities are created once)."""
    return f"{DOMAIN}_{entry_id}_new_node"


def signal_node(entry_id: str, node_id: int) -> str:
    """Dispatcher signal: an event about one node (value, status, supervision)."""
    return f"{DOMAIN}_{entry_id}_node_{node_id}"


def signal_connection(entry_id: str) -> str:
    """Dispatcher signal: the stick was lost or is back."""
    return f"{DOMAIN}_{entry_id}_connection"


def signal_statistics(entry_id: str) -> str:
    """Dispatcher signal: link statistics refreshed."""
    return f"{DOMAIN}_{entry_id}_statistics"
