"""Device actions: set any value of the node, ping it, refresh its values."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_TYPE
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType, TemplateVarsType

from .const import DOMAIN
from .device_automation import (
    ATTR_COMMAND_CLASS,
    ATTR_ENDPOINT,
    ATTR_PROPERTY,
    ATTR_PROPERTY_KEY,
    ATTR_VALUE,
    async_node_of_device,
    cc_choices,
    parse_property_key,
)
from .zwave import CCEncodeError, ZWaveError

SET_VALUE = "set_value"
PING = "ping"
REFRESH_VALUES = "refresh_values"
ACTION_TYPES = [SET_VALUE, PING, REFRESH_VALUES]

ACTION_SCHEMA = cv.DEVICE_ACTION_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(ACTION_TYPES),
        vol.Optional(ATTR_COMMAND_CLASS): vol.All(vol.Coerce(int), vol.Range(min=0, max=255)),
        vol.Optional(ATTR_PROPERTY): cv.string,
        vol.Optional(ATTR_PROPERTY_KEY): vol.Any(None, int, str),
        vol.Optional(ATTR_ENDPOINT, default=0): vol.All(vol.Coerce(int), vol.Range(min=0, max=127)),
        vol.Optional(ATTR_VALUE): vol.Any(bool, int, float, str, dict),
    }
)


async def async_get_actions(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """Set value, ping and refresh for a node's device."""
    if async_node_of_device(hass, device_id) is None:
        return []
    return [{CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id, CONF_TYPE: kind} for kind in ACTION_TYPES]


async def async_get_action_capabilities(hass: HomeAssistant, config: ConfigType) -> dict[str, vol.Schema]:
    """Fields of *set value*: command class, property, key, endpoint, value."""
    if config[CONF_TYPE] != SET_VALUE:
        return {}
    found = async_node_of_device(hass, config[CONF_DEVICE_ID])
    return {
        "extra_fields": vol.Schema(
            {
                vol.Required(ATTR_COMMAND_CLASS): vol.In(cc_choices(found[1] if found else None)),
                vol.Required(ATTR_PROPERTY): cv.string,
                vol.Optional(ATTR_PROPERTY_KEY): cv.string,
                vol.Optional(ATTR_ENDPOINT): vol.Coerce(int),
                vol.Required(ATTR_VALUE): cv.string,
            }
        )
    }


def _typed(value: Any) -> Any:
    """A value typed in the editor as text: numbers and booleans become numbers and booleans."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return value


async def async_call_action_from_config(
    hass: HomeAssistant, config: ConfigType, variables: TemplateVarsType, context: Context | None
) -> None:
    """Run the action on the node."""
    found = async_node_of_device(hass, config[CONF_DEVICE_ID])
    if found is None:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_nodes_targeted")
    node = found[1]
    kind = config[CONF_TYPE]
    try:
        if kind == PING:
            await node.ping()
        elif kind == REFRESH_VALUES:
            await node.refresh_values()
        else:
            if ATTR_COMMAND_CLASS not in config or ATTR_PROPERTY not in config or ATTR_VALUE not in config:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="invalid_value",
                    translation_placeholders={"error": "command class, property and value are required"},
                )
            await node.set_value(
                config[ATTR_COMMAND_CLASS],
                config[ATTR_PROPERTY],
                _typed(config[ATTR_VALUE]),
                endpoint=config[ATTR_ENDPOINT],
                property_key=parse_property_key(config.get(ATTR_PROPERTY_KEY)),
            )
    except CCEncodeError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="invalid_value", translation_placeholders={"error": str(err)}
        ) from err
    except ZWaveError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="set_value_failed",
            translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
        ) from err
