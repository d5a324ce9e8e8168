"""Configuration parameters as users see them: one :class:`ConfigParameter` per parameter or
partial parameter, merged from what the device reports and what the device database says.

Sources, best first (the values all live in the node's value DB, so they are cached with it):

- the device (Configuration v3/v4): ``parameter_info`` per number (size, format, range,
  default, flags, name, description), see ``cc/configuration.py``;
- the device database (``devicedb``, Z-Wave JS's device files): ``database_parameters``, a
  list of records stored by the interview's parameter stage. It names parameters of devices
  without Configuration v3, gives option labels ("Off", "On when load is on"), units, and the bit
  layout of partial parameters;
- a value alone (a parameter the host set raw or that the device reported unasked).

A device "bit field" parameter without a database layout is split into one-bit partials, one
per bit of its maximum, as Z-Wave JS does. Values are stored as the device sent them (decoded
as signed); :func:`parameter_value` reads them according to the parameter's format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..cc.configuration import (
    FORMAT_BITFIELD,
    FORMAT_ENUMERATED,
    FORMAT_SIGNED,
    FORMAT_UNSIGNED,
    VALUE_FORMATS,
    bitmask_width,
    parse_partial,
    partial_is_signed,
    to_signed,
    to_unsigned,
)
from ..cc.ids import CommandClass
from ..values import ValueId

if TYPE_CHECKING:
    from ..node import Node

CC = CommandClass.CONFIGURATION
#: Value DB properties of the Configuration CC.
VALUE = "parameter"
DEVICE_INFO = "parameter_info"
DATABASE = "database_parameters"
SUPPORTED = "supported_parameters"

#: An enumerated parameter the device describes only by its range gets one option per value
#: when the range is at most this wide (else it is a number).
MAX_GENERATED_OPTIONS = 32
_BOOLEAN_LABELS = (
    frozenset({"off", "disable", "disabled", "no", "false", "0"}),
    frozenset({"on", "enable", "enabled", "yes", "true", "1"}),
)


class ValueType(StrEnum):
    """How a parameter is best shown (Z-Wave JS's ConfigurationValueType, simplified)."""

    BOOLEAN = "boolean"  # 0/1: a switch
    ENUMERATED = "enumerated"  # one of named options: a select
    RANGE = "range"  # a number between min and max (options, if any, are only hints)


@dataclass(frozen=True, slots=True)
class ConfigParameter:
    """One configuration parameter (or partial parameter: ``bitmask`` set) of a node."""

    number: int
    label: str
    bitmask: int | None = None
    endpoint: int = 0
    description: str | None = None
    size: int | None = None
    value_format: int = FORMAT_SIGNED
    min: int | None = None
    max: int | None = None
    default: int | None = None
    unit: str | None = None
    options: tuple[tuple[int, str], ...] = ()
    allow_manual_entry: bool = True
    readonly: bool = False
    writeonly: bool = False
    advanced: bool = False
    alters_capabilities: bool = False
    no_bulk_support: bool = False
    #: "device" (Configuration v3+), "database" (device database) or "value" (only a value).
    source: str = "device"

    @property
    def key(self) -> str:
        """``"7"``, or ``"7[0x0f]"`` for a partial parameter (stable: used in unique IDs)."""
        return str(self.number) if self.bitmask is None else f"{self.number}[0x{self.bitmask:02x}]"

    @property
    def is_partial(self) -> bool:
        return self.bitmask is not None

    @property
    def format_name(self) -> str:
        return VALUE_FORMATS.get(self.value_format, str(self.value_format))

    @property
    def value_range(self) -> tuple[int, int]:
        """Allowed values: the declared min/max, else what the size (or bit mask) can hold."""
        low, high = _natural_range(self)
        return (low if self.min is None else self.min, high if self.max is None else self.max)

    @property
    def value_type(self) -> ValueType:
        if self.options and not self.allow_manual_entry:
            values = {value for value, _ in self.options}
            if values == {0, 1} and _boolean_labels(self.options):
                return ValueType.BOOLEAN
            return ValueType.ENUMERATED
        if not self.options and (self.min, self.max) == (0, 1):
            return ValueType.BOOLEAN
        return ValueType.RANGE

    def option_label(self, value: int | None) -> str | None:
        return next((label for option, label in self.options if option == value), None)


def _natural_range(param: ConfigParameter) -> tuple[int, int]:
    if param.bitmask is not None:
        width = bitmask_width(param.bitmask)
        if partial_is_signed(param.bitmask, param.value_format):
            return -(1 << (width - 1)), (1 << (width - 1)) - 1
        return 0, (1 << width) - 1
    bits = 8 * (param.size or 4)
    if param.value_format == FORMAT_SIGNED:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def _boolean_labels(options: Iterable[tuple[int, str]]) -> bool:
    labels = {value: label.strip().lower() for value, label in options}
    return labels.get(0) in _BOOLEAN_LABELS[0] and labels.get(1) in _BOOLEAN_LABELS[1]


# --- building the list --------------------------------------------------------------------


def config_parameters(node: Node, endpoint: int = 0) -> list[ConfigParameter]:
    """Every known parameter and partial parameter of an endpoint, by number then bit mask."""
    device: dict[int, Mapping[str, Any]] = {}
    for number in node.get_value(CC, SUPPORTED, endpoint=endpoint) or []:
        info = node.get_value(CC, DEVICE_INFO, number, endpoint=endpoint)
        if isinstance(info, Mapping) and isinstance(number, int):
            device[number] = info
    database: dict[int, list[Mapping[str, Any]]] = {}
    for record in node.get_value(CC, DATABASE, endpoint=endpoint) or []:
        if isinstance(record, Mapping) and isinstance(record.get("number"), int):
            database.setdefault(record["number"], []).append(record)
    sizes: dict[int, int] = {}
    for vid, stored in node.values().items():
        if vid.cc == CC and vid.endpoint == endpoint and vid.property == VALUE and isinstance(vid.property_key, int):
            sizes[vid.property_key] = int(stored.meta.get("size") or 0)
    result: list[ConfigParameter] = []
    for number in sorted(set(device) | set(database) | set(sizes)):
        if number in device:
            result.extend(_from_device(number, endpoint, device[number], database.get(number, [])))
        elif number in database:
            result.extend(_from_database(number, endpoint, database[number], sizes.get(number)))
        else:
            result.append(
                ConfigParameter(number, f"Parameter {number}", endpoint=endpoint, size=sizes[number] or None, source="value")
            )
    return result


def find_parameter(node: Node, number: int, bitmask: int | None = None, endpoint: int = 0) -> ConfigParameter | None:
    """The parameter (or the partial parameter with this mask), or None."""
    return next(
        (p for p in config_parameters(node, endpoint) if p.number == number and p.bitmask == bitmask),
        None,
    )


def _from_device(
    number: int, endpoint: int, info: Mapping[str, Any], records: list[Mapping[str, Any]]
) -> list[ConfigParameter]:
    size = int(info.get("size") or 0) or None
    value_format = int(info.get("format") or 0)
    whole = next((r for r in records if r.get("bitmask") is None), None)
    label = (info.get("name") or "").strip() or (whole or {}).get("label") or f"Parameter {number}"
    common: dict[str, Any] = {
        "endpoint": endpoint,
        "size": size,
        "value_format": value_format,
        "readonly": bool(info.get("readonly")),
        "advanced": bool(info.get("advanced")),
        "alters_capabilities": bool(info.get("alters_capabilities")),
        "no_bulk_support": bool(info.get("no_bulk_support")),
        "source": "device",
    }
    partials = [r for r in records if r.get("bitmask")]
    if partials:  # the database knows the bit layout; the device its size and flags
        return [_record_parameter(number, r, {**common, "source": "device"}) for r in partials]
    if value_format == FORMAT_BITFIELD and isinstance(info.get("max"), int) and info["max"] > 0:
        bits = to_unsigned(info["max"], size or 4)
        default = to_unsigned(info.get("default") or 0, size or 4)
        return [
            ConfigParameter(
                number,
                f"{label}: bit {bit}",
                bitmask=1 << bit,
                description=info.get("info"),
                min=0,
                max=1,
                default=1 if default & (1 << bit) else 0,
                **common,
            )
            for bit in range(bits.bit_length())
            if bits & (1 << bit)
        ]
    low, high, default = info.get("min"), info.get("max"), info.get("default")
    options: tuple[tuple[int, str], ...] = ()
    manual = True
    if whole is not None and whole.get("options"):
        candidates = _options(whole)
        if all((low is None or v >= low) and (high is None or v <= high) for v, _ in candidates):
            options, manual = candidates, whole.get("allow_manual_entry") is not False
    enumerated = value_format == FORMAT_ENUMERATED and isinstance(low, int) and isinstance(high, int)
    if not options and enumerated and 0 <= high - low < MAX_GENERATED_OPTIONS:
        options, manual = tuple((v, str(v)) for v in range(low, high + 1)), False
    return [
        ConfigParameter(
            number,
            label,
            description=info.get("info"),
            min=low,
            max=high,
            default=default,
            unit=(whole or {}).get("unit"),
            options=options,
            allow_manual_entry=manual,
            **common,
        )
    ]


def _from_database(
    number: int, endpoint: int, records: list[Mapping[str, Any]], stored_size: int | None
) -> list[ConfigParameter]:
    partials = [r for r in records if r.get("bitmask")]
    chosen = partials or [r for r in records if r.get("bitmask") is None][:1]
    return [_record_parameter(number, r, {"endpoint": endpoint, "source": "database"}, stored_size) for r in chosen]


def _record_parameter(
    number: int, record: Mapping[str, Any], common: dict[str, Any], stored_size: int | None = None
) -> ConfigParameter:
    fields = dict(common)
    fields.setdefault("size", record.get("size") or stored_size or None)
    fields.setdefault("value_format", FORMAT_UNSIGNED if record.get("unsigned") else FORMAT_SIGNED)
    fields.setdefault("readonly", bool(record.get("read_only")))
    options = _options(record)
    return ConfigParameter(
        number,
        str(record.get("label") or f"Parameter {number}"),
        bitmask=record.get("bitmask"),
        description=record.get("description"),
        min=_int(record.get("min")),
        max=_int(record.get("max")),
        default=_int(record.get("default")),
        unit=record.get("unit"),
        options=options,
        allow_manual_entry=not options or record.get("allow_manual_entry") is not False,
        writeonly=bool(record.get("write_only")),
        **fields,
    )


def _options(record: Mapping[str, Any]) -> tuple[tuple[int, str], ...]:
    return tuple(
        (int(value), str(label))
        for value, label in (record.get("options") or [])
        if isinstance(value, int | float) and float(value).is_integer()
    )


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


# --- values ------------------------------------------------------------------------------------


def value_id(node_id: int, number: int, endpoint: int = 0) -> ValueId:
    """Where the (whole) value of parameter ``number`` is stored."""
    return ValueId(node_id, endpoint, CC, VALUE, number)


def raw_value(node: Node, number: int, endpoint: int = 0) -> tuple[int, int] | None:
    """(unsigned value, size) of a whole parameter as last reported, or None."""
    stored = node.get_stored(value_id(node.node_id, number, endpoint))
    if stored is None or not isinstance(stored.value, int) or isinstance(stored.value, bool):
        return None
    size = int(stored.meta.get("size") or 4)
    return to_unsigned(stored.value, size), size


def parameter_value(node: Node, param: ConfigParameter) -> int | None:
    """The current value of a parameter, read by its format (a partial: its bits only)."""
    raw = raw_value(node, param.number, param.endpoint)
    if raw is None:
        return None
    value, size = raw
    if param.bitmask is not None:
        return parse_partial(value, param.bitmask, partial_is_signed(param.bitmask, param.value_format))
    return to_signed(value, size) if param.value_format == FORMAT_SIGNED else value


def database_records(params: Iterable[Any]) -> list[dict[str, Any]]:
    """``devicedb.ParamInfo`` items as the JSON records stored under ``database_parameters``."""
    records = []
    for info in params:
        record: dict[str, Any] = {"number": info.number, "label": info.label}
        if info.bitmask:
            record["bitmask"] = info.bitmask
        for name in ("size", "min", "max", "default", "unit"):
            if getattr(info, name) is not None:
                record[name] = getattr(info, name)
        for name in ("read_only", "write_only", "unsigned"):
            if getattr(info, name):
                record[name] = True
        if info.allow_manual_entry is not None:
            record["allow_manual_entry"] = info.allow_manual_entry
        if info.options:
            record["options"] = [[option.value, option.label] for option in info.options]
        records.append(record)
    return records


__all__ = [
    "FORMAT_BITFIELD",
    "FORMAT_ENUMERATED",
    "FORMAT_SIGNED",
    "FORMAT_UNSIGNED",
    "ConfigParameter",
    "ValueType",
    "config_parameters",
    "database_records",
    "find_parameter",
    "parameter_value",
    "raw_value",
    "value_id",
]
