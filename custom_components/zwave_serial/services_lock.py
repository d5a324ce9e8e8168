"""Lock user code services: ``get_lock_usercodes``, ``set_lock_usercode``, ``clear_lock_usercode``,
``enable_lock_usercode``, ``disable_lock_usercode`` (driver: ``zwave/locks.py``).

All take a ``target`` (lock entities, or devices, areas...).  Codes never appear in logs or
errors; ``get_lock_usercodes`` answers them only with ``include_codes: true``.  Slot names are
kept in the network cache (not in the lock).  A code already in another slot raises
``ServiceValidationError`` naming that slot.  Locks speaking User Credential (0x83) work the
same (``zwave/locks_credential.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .const import (
    ATTR_CODE_SLOT,
    ATTR_USERCODE,
    DOMAIN,
    SERVICE_CLEAR_LOCK_USERCODE,
    SERVICE_SET_LOCK_USERCODE,
)
from .service_targets import HAS_TARGET, TARGET_FIELDS, target_nodes
from .zwave import CCEncodeError, DuplicateUserCode, LockCodes, Node, ZWaveError
from .zwave.cc.user_code import UserIdStatus
from .zwave.locks import has_lock_codes

SERVICE_GET_LOCK_USERCODES = "get_lock_usercodes"
SERVICE_ENABLE_LOCK_USERCODE = "enable_lock_usercode"
SERVICE_DISABLE_LOCK_USERCODE = "disable_lock_usercode"
ATTR_STATUS = "status"
ATTR_NAME = "name"
ATTR_INCLUDE_CODES = "include_codes"
ATTR_REFRESH = "refresh"

STATUSES = {
    "enabled": UserIdStatus.ENABLED,
    "disabled": UserIdStatus.DISABLED,
    "messaging": UserIdStatus.MESSAGING,
    "passage_mode": UserIdStatus.PASSAGE_MODE,
}
SLOT = vol.All(vol.Coerce(int), vol.Range(min=1, max=0xFFFF))


def _schema(fields: dict[Any, Any]) -> vol.All:
    return vol.All(vol.Schema({**TARGET_FIELDS, **fields}), HAS_TARGET)


GET_SCHEMA = _schema({vol.Optional(ATTR_INCLUDE_CODES, default=False): cv.boolean,
                      vol.Optional(ATTR_REFRESH, default=False): cv.boolean})
SET_SCHEMA = _schema({
    vol.Required(ATTR_CODE_SLOT): SLOT,
    vol.Required(ATTR_USERCODE): vol.All(cv.string, vol.Match(r"^[\x21-\x7e]{4,10}$")),
    vol.Optional(ATTR_STATUS, default="enabled"): vol.In(STATUSES),
    vol.Optional(ATTR_NAME): vol.Any(None, cv.string),
})
SLOT_SCHEMA = _schema({vol.Required(ATTR_CODE_SLOT): SLOT})


def _lock_codes(hass: HomeAssistant, node: Node) -> LockCodes:
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is ConfigEntryState.LOADED:
            driver = entry.runtime_data.coordinator.driver
            if driver.nodes.get(node.node_id) is node:
                return LockCodes(driver, node.node_id)
    raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")


def _lock_nodes(hass: HomeAssistant, call: ServiceCall) -> list[Node]:
    nodes = [node for node in target_nodes(hass, call) if has_lock_codes(node)]
    if not nodes:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_user_code_lock")
    return nodes


async def _each_lock(
    hass: HomeAssistant, call: ServiceCall, action: Callable[[LockCodes], Awaitable[Any]]
) -> ServiceResponse:
    """Run ``action`` on each targeted lock in turn; errors become translated HA errors."""
    results: dict[str, Any] = {}
    for node in _lock_nodes(hass, call):
        codes = _lock_codes(hass, node)
        slot = call.data.get(ATTR_CODE_SLOT)
        try:
            results[str(node.node_id)] = await action(codes)
        except DuplicateUserCode as err:
            if err.other_slot is None:
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="duplicate_user_code_lock",
                    translation_placeholders={"slot": str(err.slot)},
                ) from None
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="duplicate_user_code",
                translation_placeholders={"slot": str(err.slot), "other_slot": str(err.other_slot)},
            ) from None
        except CCEncodeError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="invalid_user_code",
                translation_placeholders={"slot": str(slot), "error": str(err)},
            ) from None
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="user_code_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from None
    return {"nodes": results}


async def _get(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    include = call.data[ATTR_INCLUDE_CODES]

    async def action(codes: LockCodes) -> dict[str, Any]:
        slots = await codes.read_all(force=call.data[ATTR_REFRESH])
        return {"users_number": len(slots), "slots": [s.as_dict(include_code=include) for s in slots]}

    return await _each_lock(hass, call, action)


async def _set(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    async def action(codes: LockCodes) -> dict[str, Any]:
        slot = await codes.set_code(call.data[ATTR_CODE_SLOT], call.data[ATTR_USERCODE],
                                    status=STATUSES[call.data[ATTR_STATUS]], name=call.data.get(ATTR_NAME))
        return slot.as_dict()

    return await _each_lock(hass, call, action)


async def _clear(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    async def action(codes: LockCodes) -> dict[str, Any]:
        return (await codes.clear_code(call.data[ATTR_CODE_SLOT])).as_dict()

    return await _each_lock(hass, call, action)


def _status_service(status: int) -> Callable[[HomeAssistant, ServiceCall], Awaitable[ServiceResponse]]:
    async def handler(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
        async def action(codes: LockCodes) -> dict[str, Any]:
            return (await codes.set_status(call.data[ATTR_CODE_SLOT], status)).as_dict()

        return await _each_lock(hass, call, action)

    return handler


@callback
def async_setup_lock_services(hass: HomeAssistant) -> None:
    """Register the lock code services (from ``services.async_setup_services``)."""
    handlers: list[tuple[str, Callable[[HomeAssistant, ServiceCall], Awaitable[ServiceResponse]], Any]] = [
        (SERVICE_GET_LOCK_USERCODES, _get, GET_SCHEMA),
        (SERVICE_SET_LOCK_USERCODE, _set, SET_SCHEMA),
        (SERVICE_CLEAR_LOCK_USERCODE, _clear, SLOT_SCHEMA),
        (SERVICE_ENABLE_LOCK_USERCODE, _status_service(UserIdStatus.ENABLED), SLOT_SCHEMA),
        (SERVICE_DISABLE_LOCK_USERCODE, _status_service(UserIdStatus.DISABLED), SLOT_SCHEMA),
    ]
    for name, handler, schema in handlers:

        async def service(call: ServiceCall, handler: Any = handler) -> ServiceResponse:
            return await handler(hass, call)

        support = SupportsResponse.ONLY if name == SERVICE_GET_LOCK_USERCODES else SupportsResponse.OPTIONAL
        hass.services.async_register(DOMAIN, name, service, schema=schema, supports_response=support)
