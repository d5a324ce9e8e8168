"""Lock schedule services: ``set_lock_schedule``, ``clear_lock_schedule``, ``get_lock_schedules``
(driver: ``zwave/lock_schedules.py``).

A schedule limits the code of one slot to weekly windows (``days`` + ``start_time``/``end_time``,
or several ``windows``), a date range (``start``/``end``) or a daily window (``start_time``/
``end_time`` alone).  Times are in Home Assistant's time zone.  The integration picks the method
per lock (the lock's Generic Schedule, its Schedule Entry Lock, or hub-managed) and answers which.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from .const import ATTR_CODE_SLOT, DOMAIN
from .service_targets import HAS_TARGET, TARGET_FIELDS, target_nodes
from .zwave import (
    CCEncodeError,
    InvalidLockSchedule,
    LockSchedule,
    LockScheduleFull,
    LockSchedules,
    LockScheduleUnsupported,
    Node,
    ScheduleSlotEmpty,
    ZWaveError,
)
from .zwave.lock_schedule_model import DAYS
from .zwave.lock_schedules import METHODS
from .zwave.locks import has_lock_codes

SERVICE_SET_LOCK_SCHEDULE = "set_lock_schedule"
SERVICE_CLEAR_LOCK_SCHEDULE = "clear_lock_schedule"
SERVICE_GET_LOCK_SCHEDULES = "get_lock_schedules"
ATTR_DAYS = "days"
ATTR_START_TIME = "start_time"
ATTR_END_TIME = "end_time"
ATTR_WINDOWS = "windows"
ATTR_START = "start"
ATTR_END = "end"
ATTR_METHOD = "method"
METHOD_AUTO = "auto"

SLOT = vol.All(vol.Coerce(int), vol.Range(min=1, max=0xFFFF))
DAY = vol.All(cv.string, vol.Lower, vol.In(DAYS))
WINDOW = vol.Schema(
    {
        vol.Required(ATTR_DAYS): vol.All(cv.ensure_list, [DAY], vol.Length(min=1)),
        vol.Required(ATTR_START_TIME): cv.time,
        vol.Required(ATTR_END_TIME): cv.time,
    }
)


def _schema(fields: dict[Any, Any]) -> vol.All:
    return vol.All(vol.Schema({**TARGET_FIELDS, **fields}), HAS_TARGET)


SET_SCHEMA = _schema(
    {
        vol.Required(ATTR_CODE_SLOT): SLOT,
        vol.Optional(ATTR_DAYS): vol.All(cv.ensure_list, [DAY], vol.Length(min=1)),
        vol.Optional(ATTR_START_TIME): cv.time,
        vol.Optional(ATTR_END_TIME): cv.time,
        vol.Optional(ATTR_WINDOWS): vol.All(cv.ensure_list, [WINDOW], vol.Length(min=1)),
        vol.Optional(ATTR_START): cv.datetime,
        vol.Optional(ATTR_END): cv.datetime,
        vol.Optional(ATTR_METHOD, default=METHOD_AUTO): vol.In([METHOD_AUTO, *METHODS]),
    }
)
CLEAR_SCHEMA = _schema({vol.Required(ATTR_CODE_SLOT): SLOT})
GET_SCHEMA = _schema({})


def _local(moment: datetime) -> datetime:
    """A datetime as naive local wall-clock time in Home Assistant's zone."""
    if moment.tzinfo is not None:
        moment = dt_util.as_local(moment)
    return moment.replace(tzinfo=None)


def _invalid(message: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="invalid_lock_schedule",
        translation_placeholders={"error": message},
    )


def schedule_from_call(data: dict[str, Any]) -> LockSchedule:
    """The schedule a call describes: weekly (``days``/``windows``), date range
    (``start``/``end``) or daily (``start_time``/``end_time`` alone)."""
    has = {
        key
        for key in (ATTR_DAYS, ATTR_WINDOWS, ATTR_START, ATTR_END, ATTR_START_TIME, ATTR_END_TIME)
        if data.get(key) is not None
    }
    try:
        if has & {ATTR_START, ATTR_END}:
            if has - {ATTR_START, ATTR_END} or has != {ATTR_START, ATTR_END}:
                raise _invalid("a date range takes start and end, nothing else")
            return LockSchedule.date_range(_local(data[ATTR_START]), _local(data[ATTR_END]))
        windows = [(w[ATTR_DAYS], w[ATTR_START_TIME], w[ATTR_END_TIME]) for w in data.get(ATTR_WINDOWS) or []]
        if ATTR_DAYS in has:
            if not {ATTR_START_TIME, ATTR_END_TIME} <= has:
                raise _invalid("weekdays need start_time and end_time")
            windows.append((data[ATTR_DAYS], data[ATTR_START_TIME], data[ATTR_END_TIME]))
        elif windows and has & {ATTR_START_TIME, ATTR_END_TIME}:
            raise _invalid("start_time and end_time go with days")
        if windows:
            return LockSchedule.weekly(*windows)
        if {ATTR_START_TIME, ATTR_END_TIME} <= has:
            return LockSchedule.daily(data[ATTR_START_TIME], data[ATTR_END_TIME])
    except InvalidLockSchedule as err:
        raise _invalid(str(err)) from None
    raise _invalid("give days with start_time/end_time, windows, start/end, or start_time/end_time")


def _schedules(hass: HomeAssistant, node: Node) -> LockSchedules:
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is ConfigEntryState.LOADED:
            driver = entry.runtime_data.coordinator.driver
            if driver.nodes.get(node.node_id) is node:
                return driver.lock_schedules
    raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")


async def _each_lock(
    hass: HomeAssistant, call: ServiceCall, action: Callable[[LockSchedules, Node], Awaitable[Any]]
) -> dict[str, Any]:
    """Run ``action`` on each targeted lock; driver errors become translated HA errors."""
    nodes = [node for node in target_nodes(hass, call) if has_lock_codes(node)]
    if not nodes:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_user_code_lock")
    results: dict[str, Any] = {}
    for node in nodes:
        slot = str(call.data.get(ATTR_CODE_SLOT))
        node_id = str(node.node_id)
        try:
            results[node_id] = await action(_schedules(hass, node), node)
        except ScheduleSlotEmpty:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="lock_schedule_slot_empty",
                translation_placeholders={"node_id": node_id, "slot": slot},
            ) from None
        except LockScheduleFull as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="lock_schedule_full",
                translation_placeholders={
                    "node_id": node_id,
                    "what": err.what,
                    "needed": str(err.needed),
                    "available": str(err.available),
                },
            ) from None
        except LockScheduleUnsupported as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="lock_schedule_unsupported",
                translation_placeholders={"node_id": node_id, "error": str(err)},
            ) from None
        except (InvalidLockSchedule, CCEncodeError) as err:
            raise _invalid(str(err)) from None
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="lock_schedule_failed",
                translation_placeholders={"node_id": node_id, "error": str(err)},
            ) from None
    return results


async def _set(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    schedule = schedule_from_call(dict(call.data))
    slot = call.data[ATTR_CODE_SLOT]
    method = None if call.data[ATTR_METHOD] == METHOD_AUTO else call.data[ATTR_METHOD]

    async def action(schedules: LockSchedules, node: Node) -> dict[str, Any]:
        used = await schedules.set_schedule(node, slot, schedule, method=method)
        return {"slot": slot, "method": used, **schedules.get_schedules(node)[slot]}

    results = await _each_lock(hass, call, action)
    methods = {r["method"] for r in results.values()}
    return {"method": methods.pop() if len(methods) == 1 else "mixed", "nodes": results}


async def _clear(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    slot = call.data[ATTR_CODE_SLOT]

    async def action(schedules: LockSchedules, node: Node) -> dict[str, Any]:
        return {"slot": slot, "cleared": await schedules.clear_schedule(node, slot)}

    return {"nodes": await _each_lock(hass, call, action)}


async def _get(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    async def action(schedules: LockSchedules, node: Node) -> dict[str, Any]:
        return {
            "method": schedules.method_for(node),
            "methods": schedules.methods(node),
            "slots": {str(slot): info for slot, info in schedules.get_schedules(node).items()},
        }

    return {"nodes": await _each_lock(hass, call, action)}


@callback
def async_setup_lock_schedule_services(hass: HomeAssistant) -> None:
    """Register the lock schedule services (from ``services.async_setup_services``)."""
    handlers: list[tuple[str, Callable[[HomeAssistant, ServiceCall], Awaitable[ServiceResponse]], Any]] = [
        (SERVICE_SET_LOCK_SCHEDULE, _set, SET_SCHEMA),
        (SERVICE_CLEAR_LOCK_SCHEDULE, _clear, CLEAR_SCHEMA),
        (SERVICE_GET_LOCK_SCHEDULES, _get, GET_SCHEMA),
    ]
    for name, handler, schema in handlers:

        async def service(call: ServiceCall, handler: Any = handler) -> ServiceResponse:
            return await handler(hass, call)

        support = SupportsResponse.ONLY if name == SERVICE_GET_LOCK_SCHEDULES else SupportsResponse.OPTIONAL
        hass.services.async_register(DOMAIN, name, service, schema=schema, supports_response=support)
