"""Reading and writing configuration parameters, with validation, as Z-Wave JS users know it.

- :func:`set_config_parameter`: one parameter or partial parameter, by number or name, the value
  by number or option label; checked against the parameter's range and options (a typed
  :class:`~..errors.CCEncodeError` otherwise). ``value_size``/``value_format`` write a
  parameter nobody described (no checks beyond the size).
- :func:`bulk_set_partial_config_parameters`: several partials of one parameter in one Set
  (a full value, or ``{bit mask or label: value}``; the other partials keep their value).
- :func:`reset_config_parameters`: one parameter, or all (Default Reset, v4) to the defaults.

A partial set needs the parameter's current value (its other bits): it is read first when not
known. After a set the value is read back from the device unless the device confirmed the set
with Supervision (then the set value is stored); a set queued for a sleeping device is read
back at its wake-up (the driver re-reads the parameters after delivering it). Devices before
Configuration v4 must not be sent the "default" flag (SDS14223): their parameters are reset by
writing the known default values.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..cc.configuration import (
    VALUE_SIZES,
    ConfigurationBulkGet,
    ConfigurationBulkSet,
    ConfigurationDefaultReset,
    ConfigurationGet,
    ConfigurationSet,
    encode_partial,
    encode_value,
    parse_partial,
    partial_is_signed,
    to_signed,
)
from ..errors import CCEncodeError, NodeError
from ..events import NodeStatus
from ..node import SetValueResult, SetValueStatus
from ..values import ValueUpdate
from .model import (
    CC,
    DATABASE,
    SUPPORTED,
    VALUE,
    ConfigParameter,
    config_parameters,
    database_records,
    raw_value,
)

if TYPE_CHECKING:
    from ..node import Node

_LOGGER = logging.getLogger(__name__)

ParameterRef = int | str
Value = int | str | bool


# --- validation (pure) ------------------------------------------------------------------------


def resolve_parameter(
    node: Node, parameter: ParameterRef, bitmask: int | None = None, endpoint: int = 0
) -> ConfigParameter:
    """The parameter a user means: a number (and bit mask), or a name (case-insensitive)."""
    params = config_parameters(node, endpoint)
    if isinstance(parameter, str) and not parameter.strip().isdigit():
        if bitmask is not None:
            raise CCEncodeError("Configuration: give a bit mask only with a parameter number, not a name")
        wanted = parameter.strip().casefold()
        found = next((p for p in params if p.label.casefold() == wanted), None)
        if found is None:
            raise CCEncodeError(f"Configuration: node {node.node_id} has no parameter named {parameter!r}")
        return found
    number = int(parameter)
    found = next((p for p in params if p.number == number and p.bitmask == bitmask), None)
    if found is not None:
        return found
    if bitmask is not None and any(p.number == number for p in params):
        masks = ", ".join(f"0x{p.bitmask:x}" for p in params if p.number == number and p.bitmask)
        raise CCEncodeError(
            f"Configuration: parameter {number} of node {node.node_id} has no partial 0x{bitmask:x}"
            + (f" (partials: {masks})" if masks else "")
        )
    if bitmask is None and any(p.number == number for p in params):
        raise CCEncodeError(
            f"Configuration: parameter {number} of node {node.node_id} is split into partial parameters: give a bit mask"
        )
    raise CCEncodeError(
        f"Configuration: parameter {number} of node {node.node_id} is not known; give value_size and value_format"
    )


def check_value(param: ConfigParameter, value: Any) -> int:
    """The integer to write for ``value`` (a number, an option label, or a bool for 0/1);
    :class:`CCEncodeError` when it is not allowed."""
    what = f"Configuration parameter {param.key} ({param.label})"
    if param.readonly:
        raise CCEncodeError(f"{what} is read-only")
    if isinstance(value, bool):
        value = int(value)
    elif isinstance(value, str):
        text = value.strip()
        label = next((v for v, lbl in param.options if lbl.casefold() == text.casefold()), None)
        if label is not None:
            value = label
        elif text.lstrip("-").isdigit():
            value = int(text)
        else:
            choices = ", ".join(lbl for _, lbl in param.options)
            raise CCEncodeError(f"{what}: {value!r} is not one of its options ({choices})" if choices else f"{what}: {value!r} is not a number")
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise CCEncodeError(f"{what}: {value!r} is not an integer")
    if param.options and not param.allow_manual_entry:
        if value not in {v for v, _ in param.options}:
            choices = ", ".join(f"{v} ({lbl})" for v, lbl in param.options)
            raise CCEncodeError(f"{what}: {value} is not one of its options: {choices}")
        return value
    low, high = param.value_range
    if not low <= value <= high:
        raise CCEncodeError(f"{what}: {value} is out of range {low}..{high}")
    return value


def _set_command(number: int, value: int | None, size: int, version: int) -> ConfigurationSet | ConfigurationBulkSet:
    """Set (or, ``value`` None, reset to default) one parameter; above 255 with BulkSet (v2+)."""
    if value is not None:
        encode_value(value, size)  # fits the size (CCEncodeError otherwise)
    if number > 0xFF:
        if version < 2:
            raise CCEncodeError("Configuration: parameters above 255 need Configuration version 2")
        if value is None:
            return ConfigurationBulkSet(number, (0,), 1, reset_to_default=True)
        return ConfigurationBulkSet(number, (value,), size)
    return ConfigurationSet(number, value, size, reset_to_default=value is None)


def _size_of(node: Node, param: ConfigParameter) -> int:
    size = param.size or (raw_value(node, param.number, param.endpoint) or (0, 0))[1]
    if size not in VALUE_SIZES:
        raise CCEncodeError(f"Configuration parameter {param.key} ({param.label}): its size is not known")
    return size


# --- device exchanges -----------------------------------------------------------------------


async def read_parameter(node: Node, number: int, endpoint: int = 0) -> None:
    """Ask the device for the current value of a parameter (stored when the report comes)."""
    if number > 0xFF:
        await node.get(ConfigurationBulkGet(number, 1), endpoint)
    else:
        await node.get(ConfigurationGet(number), endpoint)


async def _full_value(node: Node, param: ConfigParameter) -> int:
    """The current whole (unsigned) value a partial set starts from; read when unknown."""
    raw = raw_value(node, param.number, param.endpoint)
    if raw is None:
        await read_parameter(node, param.number, param.endpoint)
        raw = raw_value(node, param.number, param.endpoint)
    if raw is None:
        raise NodeError(f"node {node.node_id} did not report parameter {param.number}", node.node_id)
    return raw[0]


async def _write(node: Node, number: int, value: int | None, size: int, endpoint: int) -> SetValueResult:
    """Send the Set, then store (supervised success) or read back (unconfirmed) the value."""
    command = _set_command(number, value, size, node.cc_version(CC, endpoint))
    # Queued for a sleeping device: the driver re-reads the parameters after the set at its wake-up.
    asleep = node.is_sleeping_device and node.status is not NodeStatus.ALIVE
    result = await node.send_command(command, endpoint, verify=asleep)
    if result.status is SetValueStatus.SUCCESS and value is not None:
        stored = to_signed(value, size)  # as the device reports it
        node.apply_update(CC, endpoint, ValueUpdate(VALUE, stored, number, meta={"size": size}))
    elif result.status in (SetValueStatus.SENT, SetValueStatus.SUCCESS):
        try:
            await read_parameter(node, number, endpoint)
        except NodeError as err:
            _LOGGER.debug("Node %s: parameter %s not read back: %s", node.node_id, number, err)
    return result


async def set_config_parameter(
    node: Node,
    parameter: ParameterRef,
    value: Value,
    *,
    bitmask: int | None = None,
    endpoint: int = 0,
    value_size: int | None = None,
    value_format: int | None = None,
) -> SetValueResult:
    """Set one parameter (see the module docstring); returns how the set ended."""
    if value_size is not None or value_format is not None:
        return await _set_raw(node, parameter, value, endpoint, value_size, value_format, bitmask)
    param = resolve_parameter(node, parameter, bitmask, endpoint)
    new = check_value(param, value)
    size = _size_of(node, param)
    if param.bitmask is not None:
        new = encode_partial(await _full_value(node, param), new, param.bitmask)
    return await _write(node, param.number, new, size, endpoint)


async def _set_raw(
    node: Node, parameter: ParameterRef, value: Value, endpoint: int, size: int | None, fmt: int | None, bitmask: int | None
) -> SetValueResult:
    if bitmask is not None:
        raise CCEncodeError("Configuration: a bit mask cannot be combined with value_size/value_format")
    if size not in VALUE_SIZES or fmt not in (0, 1, 2, 3):
        raise CCEncodeError("Configuration: value_size must be 1, 2 or 4 and value_format 0..3 (both given)")
    if isinstance(parameter, str) and not parameter.strip().isdigit():
        raise CCEncodeError("Configuration: a raw set needs the parameter number")
    number = int(parameter)
    if not 1 <= number <= 0xFFFF:
        raise CCEncodeError("Configuration: the parameter number must be 1..65535")
    param = ConfigParameter(number, f"Parameter {number}", endpoint=endpoint, size=size, value_format=fmt, source="value")
    return await _write(node, number, check_value(param, value), size, endpoint)


async def bulk_set_partial_config_parameters(
    node: Node, parameter: int, value: int | Mapping[Any, Value], *, endpoint: int = 0
) -> SetValueResult:
    """Set several partials of ``parameter`` at once: ``value`` is the whole value (each partial
    it contains is checked), or ``{bit mask or partial name: value}`` (other partials keep
    their current value)."""
    params = [p for p in config_parameters(node, endpoint) if p.number == parameter]
    partials = [p for p in params if p.bitmask is not None]
    if not partials:
        if params:
            raise CCEncodeError(f"Configuration: parameter {parameter} of node {node.node_id} has no partial parameters")
        raise CCEncodeError(f"Configuration: parameter {parameter} of node {node.node_id} is not known")
    size = _size_of(node, partials[0])
    if isinstance(value, Mapping):
        full = await _full_value(node, partials[0])
        for key, partial_value in value.items():
            param = _partial_for(partials, key, parameter)
            assert param.bitmask is not None
            full = encode_partial(full, check_value(param, partial_value), param.bitmask)
    else:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CCEncodeError(f"Configuration: the value of parameter {parameter} must be an integer or a mapping")
        full = value
        encode_value(full, size)
        for param in partials:
            assert param.bitmask is not None
            check_value(param, parse_partial(full, param.bitmask, partial_is_signed(param.bitmask, param.value_format)))
    return await _write(node, parameter, full, size, endpoint)


def _partial_for(partials: list[ConfigParameter], key: Any, parameter: int) -> ConfigParameter:
    if isinstance(key, str) and not key.strip().lower().startswith("0x") and not key.strip().isdigit():
        found = next((p for p in partials if p.label.casefold() == key.strip().casefold()), None)
    else:
        mask = int(key, 16) if isinstance(key, str) and key.strip().lower().startswith("0x") else int(key)
        found = next((p for p in partials if p.bitmask == mask), None)
    if found is None:
        masks = ", ".join(f"0x{p.bitmask:x} ({p.label})" for p in partials if p.bitmask)
        raise CCEncodeError(f"Configuration: parameter {parameter} has no partial {key!r} (partials: {masks})")
    return found


async def reset_config_parameters(node: Node, parameter: int | None = None, *, endpoint: int = 0) -> None:
    """Reset one parameter, or all, to the default; then read the values back."""
    version = node.cc_version(CC, endpoint)
    params = config_parameters(node, endpoint)
    if parameter is None:
        if version >= 4:
            await node.send_command(ConfigurationDefaultReset(), endpoint, verify=False)
            await _read_back(node, sorted({p.number for p in params if not p.writeonly}), endpoint)
            return
        numbers = sorted({p.number for p in params if not p.readonly and not p.writeonly})
    else:
        numbers = [parameter]
        if not any(p.number == parameter for p in params) and version < 4:
            raise CCEncodeError(f"Configuration: parameter {parameter} of node {node.node_id} is not known")
    for number in numbers:
        own = [p for p in params if p.number == number]
        if version >= 4:
            size = own[0].size if own and own[0].size in VALUE_SIZES else 1
            await _write(node, number, None, size or 1, endpoint)  # then read back
            continue
        default = _default_value(own)
        if default is None:
            if parameter is not None:
                raise CCEncodeError(f"Configuration: the default of parameter {number} is not known")
            continue
        await _write(node, number, default, _size_of(node, own[0]), endpoint)


def _default_value(params: list[ConfigParameter]) -> int | None:
    """The whole default value of a parameter (its partials' defaults put together)."""
    whole = [p for p in params if p.bitmask is None]
    if whole:
        return whole[0].default
    if not params or any(p.default is None for p in params):
        return None
    full = 0
    for p in params:
        assert p.bitmask is not None and p.default is not None
        full = encode_partial(full, p.default, p.bitmask)
    return full


async def _read_back(node: Node, numbers: list[int], endpoint: int) -> None:
    for number in numbers:
        try:
            await read_parameter(node, number, endpoint)
        except NodeError as err:
            _LOGGER.debug("Node %s: parameter %s not read back: %s", node.node_id, number, err)
            return


# --- interview -----------------------------------------------------------------------------------


async def load_database_parameters(node: Node, endpoint: int = 0) -> None:
    """Store what the device database says about the node's parameters (file I/O in an
    executor); for a device before Configuration v3, also the list of parameters to read."""
    from .. import devicedb

    def lookup() -> list[dict[str, Any]]:
        info = devicedb.product(node.manufacturer_id, node.product_type, node.product_id, node.firmware_version)
        return database_records(info.params) if info is not None else []

    records = await asyncio.get_running_loop().run_in_executor(None, lookup) if endpoint == 0 else []
    if records or node.get_value(CC, DATABASE, endpoint=endpoint) is not None:
        node.apply_update(CC, endpoint, ValueUpdate(DATABASE, records))
    if node.cc_version(CC, endpoint) < 3:
        numbers = sorted({r["number"] for r in records if not r.get("write_only")})
        if numbers or node.get_value(CC, SUPPORTED, endpoint=endpoint) is not None:
            node.apply_update(CC, endpoint, ValueUpdate(SUPPORTED, numbers))


__all__ = [
    "bulk_set_partial_config_parameters",
    "check_value",
    "load_database_parameters",
    "read_parameter",
    "reset_config_parameters",
    "resolve_parameter",
    "set_config_parameter",
]
