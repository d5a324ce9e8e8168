"""Device conditions: the node's status (alive, asleep, dead) and any value of the node."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.const import CONF_CONDITION, CONF_DEVICE_ID, CONF_DOMAIN, CONF_TYPE
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.condition import ConditionCheckerType
from homeassistant.helpers.typing import ConfigType, TemplateVarsType

from .const import DOMAIN
from .device_automation import (
    ATTR_COMMAND_CLASS,
    ATTR_ENDPOINT,
    ATTR_PROPERTY,
    ATTR_PROPERTY_KEY,
    ATTR_STATUS,
    ATTR_VALUE,
    NODE_STATUSES,
    async_node_of_device,
    cc_choices,
    parse_property_key,
    values_equal,
)

NODE_STATUS = "node_status"
VALUE = "value"

CONDITION_SCHEMA = cv.DEVICE_CONDITION_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In([NODE_STATUS, VALUE]),
        vol.Optional(ATTR_STATUS): vol.In(NODE_STATUSES),
        vol.Optional(ATTR_COMMAND_CLASS): vol.All(vol.Coerce(int), vol.Range(min=0, max=255)),
        vol.Optional(ATTR_PROPERTY): cv.string,
        vol.Optional(ATTR_PROPERTY_KEY): vol.Any(None, int, str),
        vol.Optional(ATTR_ENDPOINT, default=0): vol.All(vol.Coerce(int), vol.Range(min=0, max=127)),
        vol.Optional(ATTR_VALUE): vol.Any(bool, int, float, str),
    }
)


async def async_get_conditions(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """Node status and value conditions of a node's device."""
    if async_node_of_device(hass, device_id) is None:
        return []
    base = {CONF_CONDITION: "device", CONF_DEVICE_ID: device_id, CONF_DOMAIN: DOMAIN}
    return [{**base, CONF_TYPE: NODE_STATUS}, {**base, CONF_TYPE: VALUE}]


async def async_get_condition_capabilities(hass: HomeAssistant, config: ConfigType) -> dict[str, vol.Schema]:
    """Fields in the editor: the status, or the command class, property, key, endpoint and value."""
    if config[CONF_TYPE] == NODE_STATUS:
        return {"extra_fields": vol.Schema({vol.Required(ATTR_STATUS): vol.In(NODE_STATUSES)})}
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


@callback
def async_condition_from_config(hass: HomeAssistant, config: ConfigType) -> ConditionCheckerType:
    """The checker: read the node's status or value when the condition is evaluated."""
    device_id = config[CONF_DEVICE_ID]
    kind = config[CONF_TYPE]

    @callback
    def test(hass: HomeAssistant, variables: TemplateVarsType = None) -> bool:
        found = async_node_of_device(hass, device_id)
        if found is None:
            return False
        node = found[1]
        if kind == NODE_STATUS:
            return node.status.value == config.get(ATTR_STATUS)
        if ATTR_COMMAND_CLASS not in config or ATTR_PROPERTY not in config:
            return False
        current = node.get_value(
            config[ATTR_COMMAND_CLASS],
            config[ATTR_PROPERTY],
            parse_property_key(config.get(ATTR_PROPERTY_KEY)),
            endpoint=config[ATTR_ENDPOINT],
        )
        return current is not None and values_equal(current, config.get(ATTR_VALUE))

    return test
