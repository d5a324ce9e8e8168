"""Encapsulation: wrap outgoing commands and unwrap incoming ones (pure functions, no I/O).

Out (inside → outside): command → Supervision GET → Multi Channel CmdEncap (source endpoint 0,
destination endpoint).  Security S0/S2 would go outside of that (not implemented).

In: Supervision GET, Multi Channel CmdEncap (v2+), Multi Instance Encap (v1), Multi Command and
CRC-16 Encapsulation (checksum verified) are peeled off in whatever nesting order the device used (devices send both supervision
outside multi channel and the reverse); each layer may appear once.  The innermost command is
decoded with :func:`~.cc.decode_command`; an unknown command class stays ``bytes`` (so a
supervised unknown command can be answered NO_SUPPORT) and a malformed one raises
:class:`~.errors.CCDecodeError`.  An outermost Transport Service command is decoded as it is
(:func:`~.cc.transport_service.decode_transport_service`; the receive path reassembles
segments before unwrapping, this is for tools that show single frames).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..cc import CCCommand, decode_command
from ..cc.crc16 import Crc16Encap
from ..cc.multi_channel import MultiChannelCmdEncap, MultiInstanceEncap
from ..cc.multi_command import MultiCommandEncap
from ..cc.supervision import SupervisionGet, SupervisionReport, SupervisionStatus, inner_summary
from ..cc.transport_service import CC as TRANSPORT_SERVICE
from ..cc.transport_service import decode_transport_service
from ..errors import CCDecodeError, UnknownCommandClass

#: At most this many encapsulation layers are peeled (supervision, multi channel, multi command).
MAX_DEPTH = 5


@dataclass(frozen=True, slots=True)
class SupervisionRequest:
    """What an incoming Supervision GET asked for: the session to answer and whether the
    sender wants status updates (WORKING first, then the final report)."""

    session_id: int
    status_updates: bool = False


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """An incoming frame without its encapsulation.

    ``command`` is the decoded innermost command, or its raw bytes when its command class is
    not implemented.  ``endpoint`` is the source endpoint (0 = root).  ``supervision`` is set
    when the frame was a Supervision GET (the hub must answer it).  For a Multi Command frame
    ``command`` is the :class:`MultiCommandEncap` and ``multi`` holds one ``Unwrapped`` per
    carried command (each with its own endpoint).
    """

    command: CCCommand | bytes
    endpoint: int = 0
    supervision: SupervisionRequest | None = None
    multi: list[Unwrapped] = field(default_factory=list)

    def __repr__(self) -> str:
        cmd = inner_summary(self.command) if isinstance(self.command, bytes) else repr(self.command)
        return (
            f"Unwrapped(command={cmd}, endpoint={self.endpoint}, supervision={self.supervision}, "
            f"multi={self.multi})"
        )

    @property
    def supervision_session(self) -> int | None:
        """Session id of the Supervision GET to answer, or None."""
        return self.supervision.session_id if self.supervision else None

    @property
    def supervision_status(self) -> SupervisionStatus:
        """Status the hub should answer the Supervision GET with: NO_SUPPORT when the
        supervised command is not implemented (still bytes), else SUCCESS."""
        if self.multi:
            ok = all(not isinstance(u.command, bytes) for u in self.multi)
        else:
            ok = not isinstance(self.command, bytes)
        return SupervisionStatus.SUCCESS if ok else SupervisionStatus.NO_SUPPORT

    @property
    def commands(self) -> Iterator[tuple[int, CCCommand]]:
        """Every decoded command with its endpoint, Multi Command flattened; raw bytes skipped."""
        if self.multi:
            for item in self.multi:
                yield from item.commands
        elif not isinstance(self.command, bytes):
            yield self.endpoint, self.command


def unwrap(data: bytes) -> Unwrapped:
    """Peel the encapsulation off an incoming command (see module docs)."""
    if data and data[0] == TRANSPORT_SERVICE:
        return Unwrapped(decode_transport_service(data))
    return _unwrap(bytes(data), 0, None, set())


def _unwrap(data: bytes, endpoint: int, supervision: SupervisionRequest | None, seen: set[str]) -> Unwrapped:
    for _ in range(MAX_DEPTH + 1):
        try:
            command = decode_command(data)
        except UnknownCommandClass:
            if not seen:
                raise  # a bare unknown command: nothing to answer
            return Unwrapped(data, endpoint, supervision)
        layer = _layer(command)
        if layer is None:
            return Unwrapped(command, endpoint, supervision)
        if layer in seen:
            raise CCDecodeError(f"nested {layer} encapsulation", command.cc_id, command.command_id)
        seen = seen | {layer}
        if isinstance(command, SupervisionGet):
            supervision = SupervisionRequest(command.session_id, command.status_updates)
            data = command.command
        elif isinstance(command, MultiChannelCmdEncap):
            endpoint = command.source
            data = command.command
        elif isinstance(command, MultiInstanceEncap):
            endpoint = command.instance
            data = command.command
        elif isinstance(command, Crc16Encap):
            data = command.command  # the checksum was verified when it was decoded
        else:
            assert isinstance(command, MultiCommandEncap)
            parts = [_unwrap(part, endpoint, None, seen) for part in command.commands]
            return Unwrapped(command, endpoint, supervision, parts)
    raise CCDecodeError("too many encapsulation layers")


def _layer(command: CCCommand) -> str | None:
    if isinstance(command, SupervisionGet):
        return "supervision"
    if isinstance(command, MultiChannelCmdEncap | MultiInstanceEncap):
        return "multi channel"
    if isinstance(command, MultiCommandEncap):
        return "multi command"
    if isinstance(command, Crc16Encap):
        return "crc16"
    return None


def wrap(
    command: CCCommand | bytes,
    *,
    endpoint: int = 0,
    supervision_session: int | None = None,
    status_updates: bool = False,
) -> bytes:
    """Encapsulate an outgoing command: Supervision GET (when a session is given) inside
    Multi Channel CmdEncap (when ``endpoint`` > 0).  Raises CCEncodeError on bad input."""
    data = command.to_bytes() if isinstance(command, CCCommand) else bytes(command)
    if supervision_session is not None:
        data = SupervisionGet(supervision_session, data, status_updates).to_bytes()
    if endpoint:
        data = MultiChannelCmdEncap(0, endpoint, data).to_bytes()
    return data


def supervision_report_for(
    get_session: int, status: SupervisionStatus | int = SupervisionStatus.SUCCESS, duration: float | None = 0.0
) -> bytes:
    """The hub's answer to an incoming Supervision GET, so the device does not retry."""
    return SupervisionReport(get_session, status, duration).to_bytes()
