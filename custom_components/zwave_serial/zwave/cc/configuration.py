"""Configuration CC (0x70), v4.

Value: ``parameter`` keyed by the parameter number, int (decoded as signed, as the spec says),
meta ``{"size": n}``.  The interview (v3+) walks the parameter list with PropertiesGet and
stores the static ``supported_parameters`` (list of numbers) and ``parameter_info`` keyed by
number (dict: ``size``, ``format``, ``min``, ``max``, ``default``, ``readonly``,
``alters_capabilities``, ``advanced``, ``no_bulk_support``, ``name``, ``info``).

DefaultReset 01; Set 04 ``[param][b7 default, size][value]``; Get 05 ``[param]``; Report 06
``[param][size][value]``; BulkSet 07 ``[first u16][n][b7 default, b6 handshake, size][values]``;
BulkGet 08 ``[first u16][n]``; BulkReport 09 ``[first u16][n][to follow][flags][values]``;
NameGet/Report 0A/0B and InfoGet/Report 0C/0D ``[param u16]([to follow][UTF-8])``;
PropertiesGet 0E ``[param u16]``; PropertiesReport 0F ``[param u16][b7 alters capabilities,
b6 read-only, b5..3 format, b2..0 size][min][max][default][next u16][b1 no bulk, b0 advanced]``.

A long name or description may come in several reports ("reports to follow" counting down):
the Get collects their texts and is answered by the last one.  Partial parameters (several
settings packed into one parameter's bits) use :func:`parse_partial` / :func:`encode_partial`,
with Z-Wave JS's rules (a partial is signed only when it spans more than one bit of a signed
parameter).  The typed parameter model, the device database fallback and setting with
validation live in ``configparams/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self

from ..errors import CCDecodeError, CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.CONFIGURATION

VALUE_SIZES = (1, 2, 4)

FORMAT_SIGNED = 0
FORMAT_UNSIGNED = 1
FORMAT_ENUMERATED = 2
FORMAT_BITFIELD = 3
#: Value format (Properties Report) -> name.
VALUE_FORMATS: dict[int, str] = {
    FORMAT_SIGNED: "signed",
    FORMAT_UNSIGNED: "unsigned",
    FORMAT_ENUMERATED: "enumerated",
    FORMAT_BITFIELD: "bit field",
}

#: Upper bound on the PropertiesGet walk (a device looping its "next parameter" list).
MAX_PARAMETERS = 1024
#: Before v3, reading the parameters the device database lists: the wait for each answer, and
#: how many unanswered ones in a row end the reading (the device has other parameters).
LEGACY_READ_TIMEOUT = 3.0
LEGACY_MISSES = 2


def _check_size(size: int, what: str) -> None:
    if size not in VALUE_SIZES:
        raise CCDecodeError(f"{what}: invalid value size {size}")


def encode_value(value: int, size: int) -> bytes:
    """A parameter value in ``size`` bytes; accepts the signed and the unsigned range."""
    if size not in VALUE_SIZES:
        raise CCEncodeError(f"Configuration: size must be 1, 2 or 4, not {size}")
    bits = 8 * size
    if isinstance(value, bool) or not isinstance(value, int) or not -(1 << (bits - 1)) <= value < (1 << bits):
        raise CCEncodeError(f"Configuration: value {value!r} does not fit in {size} byte(s)")
    return (value & ((1 << bits) - 1)).to_bytes(size, "big")


def decode_value(data: bytes, signed: bool = True) -> int:
    """A parameter value (big-endian, signed unless told otherwise)."""
    return int.from_bytes(data, "big", signed=signed)


def to_unsigned(value: int, size: int) -> int:
    """A value decoded as signed, read again as unsigned (``-1``, 1 byte -> 255)."""
    return value & ((1 << (8 * size)) - 1)


def to_signed(value: int, size: int) -> int:
    """A value decoded as unsigned, read again as signed (``255``, 1 byte -> -1)."""
    bits = 8 * size
    value &= (1 << bits) - 1
    return value - (1 << bits) if value & (1 << (bits - 1)) else value


def bitmask_shift(mask: int) -> int:
    """Position of the lowest set bit of a partial parameter's mask (``0x30`` -> 4)."""
    if mask <= 0:
        raise CCEncodeError(f"Configuration: invalid bit mask {mask!r}")
    return (mask & -mask).bit_length() - 1


def bitmask_width(mask: int) -> int:
    """Number of bits from the lowest to the highest set bit of a mask (``0x30`` -> 2)."""
    return (mask >> bitmask_shift(mask)).bit_length()


def partial_is_signed(mask: int, value_format: int | None) -> bool:
    """A partial is signed only if it spans more than one bit of a signed parameter (a one-bit
    partial must read 0/1)."""
    return bitmask_width(mask) > 1 and (value_format or FORMAT_SIGNED) == FORMAT_SIGNED


def parse_partial(value: int, mask: int, signed: bool) -> int:
    """The partial value under ``mask`` of a full parameter value."""
    width = bitmask_width(mask)
    result = (value & mask) >> bitmask_shift(mask)
    if signed and result & (1 << (width - 1)):
        result -= 1 << width
    return result


def encode_partial(full: int, partial: int, mask: int) -> int:
    """``full`` with the bits under ``mask`` replaced by ``partial`` (unsigned result)."""
    shifted = (partial << bitmask_shift(mask)) & mask
    return ((full & ~mask) | shifted) & 0xFFFFFFFF


@register
@dataclass(frozen=True, slots=True)
class ConfigurationDefaultReset(CCCommand):
    """Reset every parameter to its default (v4)."""

    cc_id = CC
    command_id = 0x01


@register
@dataclass(frozen=True, slots=True)
class ConfigurationSet(CCCommand):
    """Set one parameter (1..255), or reset it to its default."""

    cc_id = CC
    command_id = 0x04
    parameter: int
    value: int | None
    size: int = 1
    reset_to_default: bool = False

    def encode_payload(self) -> bytes:
        if not 0 <= self.parameter <= 0xFF:
            raise CCEncodeError("Configuration Set: parameter must be 0..255 (use BulkSet above)")
        if self.reset_to_default:
            return bytes((self.parameter, 0x80 | 0x01, 0x00))
        if self.value is None:
            raise CCEncodeError("Configuration Set: a value is required unless resetting to default")
        return bytes((self.parameter, self.size & 0x07)) + encode_value(self.value, self.size)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Configuration Set")
        size = payload[1] & 0x07
        if payload[1] & 0x80:
            return cls(payload[0], None, size, reset_to_default=True)
        _check_size(size, "Configuration Set")
        require(payload, 2 + size, "Configuration Set value")
        return cls(payload[0], decode_value(payload[2 : 2 + size]), size)


@register
@dataclass(frozen=True, slots=True)
class ConfigurationReport(CCCommand):
    """The value of one parameter."""

    cc_id = CC
    command_id = 0x06
    parameter: int
    value: int
    size: int

    def encode_payload(self) -> bytes:
        if not 0 <= self.parameter <= 0xFF:
            raise CCEncodeError("Configuration Report: parameter must be 0..255")
        return bytes((self.parameter, self.size)) + encode_value(self.value, self.size)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Configuration Report")
        size = payload[1] & 0x07
        _check_size(size, "Configuration Report")
        require(payload, 2 + size, "Configuration Report value")
        return cls(payload[0], decode_value(payload[2 : 2 + size]), size)

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate("parameter", self.value, self.parameter, meta={"size": self.size})]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, ConfigurationGet) and get.parameter == self.parameter


@register
@dataclass(frozen=True, slots=True)
class ConfigurationGet(CCCommand):
    """Ask for one parameter (1..255)."""

    cc_id = CC
    command_id = 0x05
    expects = ConfigurationReport
    parameter: int

    def encode_payload(self) -> bytes:
        if not 0 <= self.parameter <= 0xFF:
            raise CCEncodeError("Configuration Get: parameter must be 0..255 (use BulkGet above)")
        return bytes((self.parameter,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Configuration Get")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class ConfigurationBulkSet(CCCommand):
    """Set consecutive parameters starting at ``first_parameter`` (v2+)."""

    cc_id = CC
    command_id = 0x07
    first_parameter: int
    values: tuple[int, ...]
    size: int = 1
    reset_to_default: bool = False
    handshake: bool = False

    def encode_payload(self) -> bytes:
        if not 0 <= self.first_parameter <= 0xFFFF or not 0 <= len(self.values) <= 0xFF:
            raise CCEncodeError("Configuration BulkSet: parameter or count out of range")
        size = 1 if self.reset_to_default else self.size
        flags = (0x80 if self.reset_to_default else 0) | (0x40 if self.handshake else 0) | (size & 0x07)
        out = self.first_parameter.to_bytes(2, "big") + bytes((len(self.values), flags))
        if self.reset_to_default:
            return out + bytes(len(self.values))
        return out + b"".join(encode_value(v, size) for v in self.values)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "Configuration BulkSet")
        first = int.from_bytes(payload[0:2], "big")
        count, flags = payload[2], payload[3]
        size = flags & 0x07
        _check_size(size, "Configuration BulkSet")
        require(payload, 4 + count * size, "Configuration BulkSet values")
        values = tuple(decode_value(payload[4 + i * size : 4 + (i + 1) * size]) for i in range(count))
        return cls(first, values, size, bool(flags & 0x80), bool(flags & 0x40))


@register
@dataclass(frozen=True, slots=True)
class ConfigurationBulkReport(CCCommand):
    """Values of consecutive parameters (v2+)."""

    cc_id = CC
    command_id = 0x09
    first_parameter: int
    values: tuple[int, ...]
    size: int
    reports_to_follow: int = 0
    default_values: bool = False
    handshake: bool = False

    def encode_payload(self) -> bytes:
        flags = (0x80 if self.default_values else 0) | (0x40 if self.handshake else 0) | (self.size & 0x07)
        out = self.first_parameter.to_bytes(2, "big")
        out += bytes((len(self.values), self.reports_to_follow, flags))
        return out + b"".join(encode_value(v, self.size) for v in self.values)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 5, "Configuration BulkReport")
        first = int.from_bytes(payload[0:2], "big")
        count, to_follow, flags = payload[2], payload[3], payload[4]
        size = flags & 0x07
        if count == 0:
            return cls(first, (), size, to_follow, bool(flags & 0x80), bool(flags & 0x40))
        _check_size(size, "Configuration BulkReport")
        require(payload, 5 + count * size, "Configuration BulkReport values")
        values = tuple(decode_value(payload[5 + i * size : 5 + (i + 1) * size]) for i in range(count))
        return cls(first, values, size, to_follow, bool(flags & 0x80), bool(flags & 0x40))

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate("parameter", value, self.first_parameter + i, meta={"size": self.size})
            for i, value in enumerate(self.values)
        ]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, ConfigurationBulkGet) and get.first_parameter == self.first_parameter


@register
@dataclass(frozen=True, slots=True)
class ConfigurationBulkGet(CCCommand):
    """Ask for consecutive parameters (v2+)."""

    cc_id = CC
    command_id = 0x08
    expects = ConfigurationBulkReport
    first_parameter: int
    count: int = 1

    def encode_payload(self) -> bytes:
        if not 0 <= self.first_parameter <= 0xFFFF or not 0 <= self.count <= 0xFF:
            raise CCEncodeError("Configuration BulkGet: parameter or count out of range")
        return self.first_parameter.to_bytes(2, "big") + bytes((self.count,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Configuration BulkGet")
        return cls(int.from_bytes(payload[0:2], "big"), payload[2])


@dataclass(frozen=True, slots=True)
class _TextReport(CCCommand):
    """Shared layout of NameReport and InfoReport: ``[param u16][to follow][UTF-8 text]``."""

    parameter: int
    text: str
    reports_to_follow: int = 0

    def encode_payload(self) -> bytes:
        return self.parameter.to_bytes(2, "big") + bytes((self.reports_to_follow,)) + self.text.encode()

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, f"Configuration {cls.__name__}")
        text = payload[3:].decode("utf-8", errors="replace")
        return cls(int.from_bytes(payload[0:2], "big"), text, payload[2])

    def answers(self, get: CCCommand) -> bool:
        """Collects this part's text on the Get; only the last report ("0 to follow") answers it."""
        if not (isinstance(get, _ParamGet) and get.expects is type(self) and get.parameter == self.parameter):
            return False
        get.parts.append(self.text)
        return self.reports_to_follow == 0


@dataclass(frozen=True, slots=True)
class _ParamGet(CCCommand):
    """Shared layout of NameGet, InfoGet and PropertiesGet: ``[param u16]``."""

    parameter: int
    #: Texts of the reports received so far for this Get (a long name or description comes in
    #: several reports); bookkeeping, not part of the command.
    parts: list[str] = field(default_factory=list, compare=False, repr=False)

    def encode_payload(self) -> bytes:
        if not 0 <= self.parameter <= 0xFFFF:
            raise CCEncodeError("Configuration: parameter must be 0..65535")
        return self.parameter.to_bytes(2, "big")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, f"Configuration {cls.__name__}")
        return cls(int.from_bytes(payload[0:2], "big"))


@register
@dataclass(frozen=True, slots=True)
class ConfigurationNameReport(_TextReport):
    """The name of a parameter (v3+), possibly split over several reports."""

    cc_id = CC
    command_id = 0x0B


@register
@dataclass(frozen=True, slots=True)
class ConfigurationNameGet(_ParamGet):
    """Ask for the name of a parameter (v3+)."""

    cc_id = CC
    command_id = 0x0A
    expects = ConfigurationNameReport


@register
@dataclass(frozen=True, slots=True)
class ConfigurationInfoReport(_TextReport):
    """The description of a parameter (v3+), possibly split over several reports."""

    cc_id = CC
    command_id = 0x0D


@register
@dataclass(frozen=True, slots=True)
class ConfigurationInfoGet(_ParamGet):
    """Ask for the description of a parameter (v3+)."""

    cc_id = CC
    command_id = 0x0C
    expects = ConfigurationInfoReport


@register
@dataclass(frozen=True, slots=True)
class ConfigurationPropertiesReport(CCCommand):
    """Format, size and range of a parameter and the next parameter number (v3+).

    ``size`` 0 means the parameter does not exist (min/max/default are then None).  The
    ``readonly``/``alters_capabilities``/``advanced``/``no_bulk_support`` flags are v4.
    """

    cc_id = CC
    command_id = 0x0F
    parameter: int
    size: int
    value_format: int = FORMAT_SIGNED
    min_value: int | None = None
    max_value: int | None = None
    default_value: int | None = None
    next_parameter: int = 0
    readonly: bool = False
    alters_capabilities: bool = False
    advanced: bool = False
    no_bulk_support: bool = False

    def encode_payload(self) -> bytes:
        flags = (
            (0x80 if self.alters_capabilities else 0)
            | (0x40 if self.readonly else 0)
            | ((self.value_format & 0x07) << 3)
            | (self.size & 0x07)
        )
        out = self.parameter.to_bytes(2, "big") + bytes((flags,))
        if self.size:
            for value in (self.min_value, self.max_value, self.default_value):
                out += encode_value(value or 0, self.size)
        out += self.next_parameter.to_bytes(2, "big")
        return out + bytes(((0x02 if self.no_bulk_support else 0) | (0x01 if self.advanced else 0),))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Configuration PropertiesReport")
        parameter = int.from_bytes(payload[0:2], "big")
        flags = payload[2]
        value_format = (flags >> 3) & 0x07
        size = flags & 0x07
        if size == 0 and len(payload) < 5:
            # Some devices answer parameter 0 with nothing after the flags.
            return cls(parameter, 0, value_format)
        if size:
            _check_size(size, "Configuration PropertiesReport")
        next_offset = 3 + 3 * size
        require(payload, next_offset + 2, "Configuration PropertiesReport")
        signed = value_format == FORMAT_SIGNED
        values: list[int | None] = [None, None, None]
        if size:
            values = [decode_value(payload[3 + i * size : 3 + (i + 1) * size], signed) for i in range(3)]
        next_parameter = int.from_bytes(payload[next_offset : next_offset + 2], "big")
        options = payload[next_offset + 2] if len(payload) > next_offset + 2 else 0
        return cls(
            parameter,
            size,
            value_format,
            *values,
            next_parameter=next_parameter,
            readonly=bool(flags & 0x40),
            alters_capabilities=bool(flags & 0x80),
            advanced=bool(options & 0x01),
            no_bulk_support=bool(options & 0x02),
        )

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, ConfigurationPropertiesGet) and get.parameter == self.parameter

    def info(self) -> dict[str, Any]:
        """The parameter description stored under ``parameter_info`` (JSON-serialisable)."""
        return {
            "size": self.size,
            "format": self.value_format,
            "min": self.min_value,
            "max": self.max_value,
            "default": self.default_value,
            "readonly": self.readonly,
            "alters_capabilities": self.alters_capabilities,
            "advanced": self.advanced,
            "no_bulk_support": self.no_bulk_support,
        }


@register
@dataclass(frozen=True, slots=True)
class ConfigurationPropertiesGet(_ParamGet):
    """Ask for the properties of a parameter (0 = the first one) (v3+)."""

    cc_id = CC
    command_id = 0x0E
    expects = ConfigurationPropertiesReport


async def _optional_text(ctx: CCContext, get: _ParamGet) -> str | None:
    """The whole text (all reports joined); what arrived when the rest never comes; None
    when nothing arrives."""
    try:
        await ctx.get(get)
    except NodeError:
        pass
    return "".join(get.parts) or None


async def _get_parameter(ctx: CCContext, parameter: int, timeout: float | None = None) -> None:
    if parameter <= 0xFF:
        await ctx.get(ConfigurationGet(parameter), timeout=timeout)
    else:
        await ctx.get(ConfigurationBulkGet(parameter, 1), timeout=timeout)


async def _interview(ctx: CCContext) -> None:
    """v3+: walk the parameters (PropertiesGet 0 names the first one, each report the next),
    read names, descriptions and values.

    As in Z-Wave JS: when parameter 0 names no first parameter, #1 is tried anyway; the walk
    stops at a "next" that is not higher than the current one (devices that loop back).
    Earlier versions cannot list their parameters: for them the values of the parameters in
    ``supported_parameters`` are read, which the interview's parameter stage fills from the
    device database.
    """
    if ctx.version < 3:
        await _refresh(ctx)
        return
    first = await ctx.get(ConfigurationPropertiesGet(0))  # no answer at all: the interview reports it
    number = getattr(first, "next_parameter", 0) or 1
    parameters: list[int] = []
    for _ in range(MAX_PARAMETERS):
        if not number:
            break
        try:
            props = await ctx.get(ConfigurationPropertiesGet(number))
        except NodeError:
            break  # keep what was found so far
        if not isinstance(props, ConfigurationPropertiesReport):
            break
        if props.size:
            info = props.info()
            info["name"] = await _optional_text(ctx, ConfigurationNameGet(number))
            info["info"] = await _optional_text(ctx, ConfigurationInfoGet(number))
            ctx.set_static("parameter_info", info, number)
            parameters.append(number)
        number = props.next_parameter if props.next_parameter > number else 0
    ctx.set_static("supported_parameters", parameters)
    await _refresh(ctx)


async def _refresh(ctx: CCContext) -> None:
    """Read the values of ``supported_parameters``.

    Before v3 that list is the device database's, which may describe another firmware: a
    parameter the device does not have is never answered, so those reads wait at most
    :data:`LEGACY_READ_TIMEOUT` and stop after :data:`LEGACY_MISSES` misses in a row.
    """
    legacy = ctx.version < 3
    misses = 0
    for parameter in ctx.value("supported_parameters") or []:
        if parameter > 0xFF and ctx.version < 2:
            continue  # only BulkGet (v2) reads parameters above 255
        try:
            await _get_parameter(ctx, parameter, LEGACY_READ_TIMEOUT if legacy else None)
        except NodeError:
            misses += 1
            if legacy and misses >= LEGACY_MISSES:
                break
            continue
        misses = 0


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    """``parameter`` with key = number and ``options['size']``; value None resets to default."""
    if prop != "parameter":
        raise CCEncodeError(f"Configuration: property {prop!r} is not writable")
    if isinstance(key, bool) or not isinstance(key, int) or not 1 <= key <= 0xFFFF:
        raise CCEncodeError("Configuration: the property key must be a parameter number 1..65535")
    size = options.get("size")
    if size not in VALUE_SIZES:
        raise CCEncodeError("Configuration: options['size'] must be 1, 2 or 4")
    if value is not None:
        encode_value(value, size)  # validate now rather than at send time
    if key > 0xFF:
        if version < 2:
            raise CCEncodeError("Configuration: parameters above 255 need version 2")
        if value is None:
            return ConfigurationBulkSet(key, (0,), size, reset_to_default=True)
        return ConfigurationBulkSet(key, (value,), size)
    return ConfigurationSet(key, value, size, reset_to_default=value is None)


INFO = register_cc(
    CCInfo(CC, "Configuration", 4, interview=_interview, refresh=_refresh, set_value=_set_value)
)
