"""Services for configuration parameters and values, with Z-Wave JS's semantics:
``set_config_parameter``, ``bulk_set_partial_config_parameters``, ``reset_config_parameters``
and the generic ``set_value`` (for what has no entity).

All take a ``target`` (entities, devices, areas, floors, labels: the Z-Wave devices behind
them). A value the parameter does not allow (out of range, not an option, read-only) raises
``ServiceValidationError``; a device that does not answer, ``HomeAssistantError``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import voluptuous as vol
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .const import DOMAIN
from .service_targets import HAS_TARGET, TARGET_FIELDS, target_nodes
from .zwave import CCEncodeError, CommandClass, Node, SetValueResult, ZWaveError

SERVICE_SET_CONFIG_PARAMETER = "set_config_parameter"
SERVICE_BULK_SET_PARTIAL_CONFIG_PARAMETERS = "bulk_set_partial_config_parameters"
SERVICE_RESET_CONFIG_PARAMETERS = "reset_config_parameters"
SERVICE_SET_VALUE = "set_value"

ATTR_ENDPOINT = "endpoint"
ATTR_PARAMETER = "parameter"
ATTR_BITMASK = "bitmask"
ATTR_VALUE = "value"
ATTR_VALUE_SIZE = "value_size"
ATTR_VALUE_FORMAT = "value_format"
ATTR_COMMAND_CLASS = "command_class"
ATTR_PROPERTY = "property"
ATTR_PROPERTY_KEY = "property_key"
ATTR_OPTIONS = "options"

#: A bit mask or value written in hex ("0x0f"), as Z-Wave JS's services accept it.
HEX = vol.All(cv.string, vol.Lower, vol.Match(r"^0x[0-9a-f]+$"), lambda value: int(value, 16))
NUMBER = vol.Any(vol.Coerce(int), HEX)
#: Any value ``set_value`` may write: true/false, numbers (also as text), text, a mapping.
VALUE = vol.Any(bool, int, float, vol.Coerce(int), vol.Coerce(float), HEX, cv.string, dict)

SET_CONFIG_PARAMETER_SCHEMA = vol.All(
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Optional(ATTR_ENDPOINT, default=0): vol.Coerce(int),
            vol.Required(ATTR_PARAMETER): vol.Any(vol.Coerce(int), cv.string),
            vol.Optional(ATTR_BITMASK): NUMBER,
            vol.Required(ATTR_VALUE): vol.Any(NUMBER, cv.string),
            vol.Inclusive(ATTR_VALUE_SIZE, "raw"): vol.All(vol.Coerce(int), vol.In((1, 2, 4))),
            vol.Inclusive(ATTR_VALUE_FORMAT, "raw"): vol.All(vol.Coerce(int), vol.Range(min=0, max=3)),
        }
    ),
    HAS_TARGET,
    cv.has_at_most_one_key(ATTR_BITMASK, ATTR_VALUE_SIZE),
)
BULK_SET_SCHEMA = vol.All(
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Optional(ATTR_ENDPOINT, default=0): vol.Coerce(int),
            vol.Required(ATTR_PARAMETER): vol.Coerce(int),
            vol.Required(ATTR_VALUE): vol.Any(NUMBER, {vol.Any(NUMBER, cv.string): vol.Any(NUMBER, cv.string)}),
        }
    ),
    HAS_TARGET,
)
RESET_SCHEMA = vol.All(
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Optional(ATTR_ENDPOINT, default=0): vol.Coerce(int),
            vol.Optional(ATTR_PARAMETER): vol.Coerce(int),
        }
    ),
    HAS_TARGET,
)
SET_VALUE_SCHEMA = vol.All(
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Required(ATTR_COMMAND_CLASS): NUMBER,
            vol.Required(ATTR_PROPERTY): vol.Any(vol.Coerce(int), cv.string),
            vol.Optional(ATTR_PROPERTY_KEY): vol.Any(vol.Coerce(int), cv.string),
            vol.Optional(ATTR_ENDPOINT, default=0): vol.Coerce(int),
            vol.Required(ATTR_VALUE): VALUE,
            vol.Optional(ATTR_OPTIONS): {cv.string: VALUE},
        }
    ),
    HAS_TARGET,
)


async def _each_node(
    hass: HomeAssistant, call: ServiceCall, action: Callable[[Node], Awaitable[SetValueResult | None]]
) -> ServiceResponse:
    """Run ``action`` on each targeted node in turn (the radio does one job at a time);
    answers how each set ended ("success", "sent" and read back, "queued" until wake-up)."""
    results: dict[str, Any] = {}
    for node in target_nodes(hass, call):
        try:
            result = await action(node)
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
        results[str(node.node_id)] = "done" if result is None else str(result.status)
    return {"nodes": results}


# --- services ----------------------------------------------------------------------------------


async def _set_config_parameter(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    data = call.data
    options = {
        "bitmask": data.get(ATTR_BITMASK),
        "endpoint": data[ATTR_ENDPOINT],
        "value_size": data.get(ATTR_VALUE_SIZE),
        "value_format": data.get(ATTR_VALUE_FORMAT),
    }
    return await _each_node(
        hass, call, lambda node: node.set_config_parameter(data[ATTR_PARAMETER], data[ATTR_VALUE], **options)
    )


async def _bulk_set_partial(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    data = call.data
    return await _each_node(
        hass,
        call,
        lambda node: node.bulk_set_partial_config_parameters(data[ATTR_PARAMETER], data[ATTR_VALUE], data[ATTR_ENDPOINT]),
    )


async def _reset(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    data = call.data
    return await _each_node(
        hass, call, lambda node: node.reset_config_parameters(data.get(ATTR_PARAMETER), data[ATTR_ENDPOINT])
    )


def _snake(name: str) -> str:
    """Z-Wave JS property names ("targetValue") as the driver's ("target_value")."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


async def _set_value(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    data = call.data
    cc, prop, key, endpoint = data[ATTR_COMMAND_CLASS], data[ATTR_PROPERTY], data.get(ATTR_PROPERTY_KEY), data[ATTR_ENDPOINT]

    async def action(node: Node) -> SetValueResult:
        if endpoint not in node.endpoints or not node.supports(cc, endpoint):
            raise CCEncodeError(f"node {node.node_id} endpoint {endpoint} does not support command class 0x{cc:02X}")
        if cc == CommandClass.CONFIGURATION and (isinstance(prop, int) or prop == "parameter"):
            # Z-Wave JS addresses a parameter as property = number, key = bit mask
            number, bitmask = (prop, key) if isinstance(prop, int) else (key, None)
            if not isinstance(number, int) or (bitmask is not None and not isinstance(bitmask, int)):
                raise CCEncodeError("Configuration: give the parameter number (and bit mask) as numbers")
            return await node.set_config_parameter(number, data[ATTR_VALUE], bitmask=bitmask, endpoint=endpoint)
        if isinstance(prop, int):
            raise CCEncodeError(f"command class 0x{cc:02X} has no property {prop}")
        return await node.set_value(
            cc, _snake(prop), data[ATTR_VALUE], endpoint=endpoint, property_key=key, options=data.get(ATTR_OPTIONS)
        )

    return await _each_node(hass, call, action)


@callback
def async_setup_config_services(hass: HomeAssistant) -> None:
    """Register the configuration and value services (from ``services.async_setup_services``)."""
    handlers: list[tuple[str, Callable[[HomeAssistant, ServiceCall], Awaitable[ServiceResponse]], Any]] = [
        (SERVICE_SET_CONFIG_PARAMETER, _set_config_parameter, SET_CONFIG_PARAMETER_SCHEMA),
        (SERVICE_BULK_SET_PARTIAL_CONFIG_PARAMETERS, _bulk_set_partial, BULK_SET_SCHEMA),
        (SERVICE_RESET_CONFIG_PARAMETERS, _reset, RESET_SCHEMA),
        (SERVICE_SET_VALUE, _set_value, SET_VALUE_SCHEMA),
    ]
    for name, handler, schema in handlers:

        async def service(call: ServiceCall, handler: Any = handler) -> ServiceResponse:
            return await handler(hass, call)

        hass.services.async_register(DOMAIN, name, service, schema=schema, supports_response=SupportsResponse.OPTIONAL)
