"""Command-class framework: commands as frozen dataclasses, a registry, per-CC info.

Every command is a subclass of :class:`CCCommand` with ``cc_id``/``command_id`` class
attributes, ``encode_payload()`` and ``decode_payload()``; reports also implement
``value_updates()``.  A module per CC declares its commands with ``@register`` and one
:class:`CCInfo` with ``register_cc``.  See ``basic.py`` for the pattern.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, Self

from ..errors import CCDecodeError, UnknownCommandClass
from ..values import ValueUpdate
from .ids import cc_name

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CCCommand:
    """Base of every command-class command."""

    cc_id: ClassVar[int]
    command_id: ClassVar[int]
    #: For a Get: the report class that answers it (used to wait for the answer).
    expects: ClassVar[type[CCCommand] | None] = None
    #: True when the command's fields are secret (user codes, keys): never log them.
    secret: ClassVar[bool] = False

    def encode_payload(self) -> bytes:
        """Bytes after the CC id and command id."""
        return b""

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Inverse of :meth:`encode_payload`; raise :class:`CCDecodeError` on bad input."""
        return cls()

    def to_bytes(self) -> bytes:
        """The full command: CC id, command id, payload."""
        return bytes((self.cc_id, self.command_id)) + self.encode_payload()

    def value_updates(self) -> list[ValueUpdate]:
        """Values this command reports (empty for Gets and Sets)."""
        return []

    def answers(self, get: CCCommand) -> bool:
        """True when this report answers ``get`` (override to match e.g. a sensor type)."""
        return get.expects is not None and isinstance(self, get.expects)

    @property
    def carries_secret(self) -> bool:
        """True when this command's bytes must not be shown: a secret command, or one that
        embeds a secret in this instance (a keypad notification carrying a User Code report)."""
        return self.secret

    def describe(self) -> str:
        """Log-safe text: the command name and its fields unless secret."""
        if self.secret:
            return f"{type(self).__name__}(<redacted>)"
        return repr(self)


_COMMANDS: dict[tuple[int, int], type[CCCommand]] = {}


def register[T: type[CCCommand]](cls: T) -> T:
    """Class decorator: make ``decode_command`` know this command."""
    key = (cls.cc_id, cls.command_id)
    if key in _COMMANDS and _COMMANDS[key] is not cls:
        raise RuntimeError(f"duplicate command registration {key}")
    _COMMANDS[key] = cls
    return cls


def lookup(cc_id: int, command_id: int) -> type[CCCommand] | None:
    """The registered class for (cc, command), if any."""
    return _COMMANDS.get((cc_id, command_id))


def decode_command(data: bytes) -> CCCommand:
    """Decode CC id + command id + payload into a command object.

    Raises :class:`UnknownCommandClass` for an unknown CC/command and :class:`CCDecodeError`
    for a malformed payload; never any other exception.
    """
    if len(data) < 1:
        raise CCDecodeError("empty command")
    cc_id = data[0]
    if cc_id >= 0xF1:
        raise UnknownCommandClass(f"extended CC 0x{cc_id:02X}{data[1:2].hex()} not supported", cc_id)
    if len(data) < 2:
        raise CCDecodeError(f"{cc_name(cc_id)}: command byte missing", cc_id)
    command_id = data[1]
    cls = _COMMANDS.get((cc_id, command_id))
    if cls is None:
        if cc_id not in _CC_INFO:
            raise UnknownCommandClass(f"unknown command class {cc_name(cc_id)}", cc_id, command_id)
        raise UnknownCommandClass(f"{cc_name(cc_id)}: unknown command 0x{command_id:02X}", cc_id, command_id)
    try:
        return cls.decode_payload(bytes(data[2:]))
    except CCDecodeError as err:
        if err.cc_id is None:
            err.cc_id, err.command = cc_id, command_id
        raise
    except (IndexError, ValueError, KeyError, TypeError, OverflowError) as err:
        # A decoder bug must not escape the receive path as a crash.
        raise CCDecodeError(f"{cls.__name__}: malformed payload ({err})", cc_id, command_id) from err


class CCContext(Protocol):
    """What a CC's interview/refresh hook may do with one endpoint of a node."""

    node_id: int
    endpoint: int
    #: Version of this CC the endpoint supports (1 when unknown).
    version: int
    #: The controller's own node id (wake-up target, lifeline).
    controller_node_id: int

    async def get(self, command: CCCommand, *, timeout: float | None = None) -> CCCommand:
        """Send a Get and return its report (the report also updates the value DB).

        Raises a NodeError (NodeTimeout, NodeNoAck...) when no answer comes.
        """

    async def send(self, command: CCCommand) -> None:
        """Send a command without waiting for a report."""

    def value(self, property: str, property_key: Any = None) -> Any:
        """The cached value of this CC on this endpoint, or None."""

    def set_static(self, property: str, value: Any, property_key: Any = None) -> None:
        """Store a value that is not reported by a command (e.g. a capability)."""


RefreshHook = Callable[[CCContext], Awaitable[None]]
SetValueHook = Callable[[str, Any, Any, dict[str, Any], int], CCCommand]


@dataclass(frozen=True, slots=True)
class CCInfo:
    """What the driver knows about a command class as a whole.

    ``interview`` runs once per endpoint during the node interview (capabilities and
    current state); ``refresh`` re-reads current state (defaults to ``interview``).
    ``set_value(property, value, property_key, options, version)`` builds the command that
    sets a writable value (``options`` may carry ``duration``), raising CCEncodeError
    for an invalid value or property.
    """

    cc_id: int
    name: str
    version: int
    interview: RefreshHook | None = None
    refresh: RefreshHook | None = None
    set_value: SetValueHook | None = None
    #: Lower runs earlier in the interview (Manufacturer Specific, Version first).
    interview_order: int = 50
    #: Runs once for a node that only *controls* the CC (it sends us its commands, e.g.
    #: Scene Activation from a remote): values that must exist before the first command.
    interview_controlled: RefreshHook | None = None

    async def run_refresh(self, ctx: CCContext) -> None:
        hook = self.refresh or self.interview
        if hook is not None:
            await hook(ctx)


_CC_INFO: dict[int, CCInfo] = {}


def register_cc(info: CCInfo) -> CCInfo:
    """Declare a CC implementation."""
    _CC_INFO[info.cc_id] = info
    return info


def cc_info(cc_id: int) -> CCInfo | None:
    """The implementation info of a CC, or None when not implemented."""
    return _CC_INFO.get(cc_id)


def implemented_ccs() -> dict[int, CCInfo]:
    """All implemented CCs by id."""
    return dict(_CC_INFO)


def all_commands() -> dict[tuple[int, int], type[CCCommand]]:
    """Every registered command (for fuzzing and the CLI)."""
    return dict(_COMMANDS)
