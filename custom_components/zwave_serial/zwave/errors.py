"""Typed errors raised by the driver.

Every failure the driver can report is a subclass of :class:`ZWaveError`, so callers
(the Home Assistant integration, the CLI) can catch one type.  Messages never contain
secrets (network keys, user codes).
"""

from __future__ import annotations


class ZWaveError(Exception):
    """Base class of every driver error."""


# --- transport / link -------------------------------------------------------


class TransportError(ZWaveError):
    """The serial port could not be opened or was lost."""


class PortNotFound(TransportError):
    """The serial port (tty path or URL) does not exist or cannot be opened."""


class PortInUse(TransportError):
    """Another program (or another driver in this one) holds the serial port's exclusive lock."""


class InvalidPortUrl(PortNotFound, ValueError):
    """The port is neither a device path nor a supported URL (socket://, rfc2217://, esphome://).

    ``reason``: ``"url"`` (scheme, host or TCP port) or ``"esphome_key"`` (a malformed API key).
    """

    def __init__(self, message: str, reason: str = "url") -> None:
        super().__init__(message)
        self.reason = reason


class PortTypeUnsupported(PortNotFound):
    """The kind of port needs a package that is not installed (esphome:// needs aioesphomeapi)."""


class ConnectionLost(TransportError):
    """The port went away (stick unplugged, TCP closed) while in use."""


class LinkError(ZWaveError):
    """A data frame was not acknowledged by the stick after all retransmissions."""


class FrameNotAcknowledged(LinkError):
    """The stick answered NAK/CAN or did not ACK within the ACK timeout, every attempt."""


# --- decoding ---------------------------------------------------------------


class DecodeError(ZWaveError, ValueError):
    """Bytes that could not be decoded."""


class FrameDecodeError(DecodeError):
    """A Serial API frame is malformed (bad length, bad checksum, truncated)."""


class MessageDecodeError(DecodeError):
    """A Serial API message payload does not match its function's layout."""


class CCDecodeError(DecodeError):
    """A command-class payload is malformed."""

    def __init__(self, message: str, cc_id: int | None = None, command: int | None = None) -> None:
        super().__init__(message)
        self.cc_id = cc_id
        self.command = command


class UnknownCommandClass(CCDecodeError):
    """The command class (or the command within it) is not implemented."""


class CCEncodeError(ZWaveError, ValueError):
    """A command cannot be encoded (value out of range, invalid user code...)."""


# --- Serial API transactions --------------------------------------------------


class ControllerError(ZWaveError):
    """A Serial API command to the stick failed."""


class ResponseTimeout(ControllerError):
    """The stick did not send the expected response in time."""


class CallbackTimeout(ControllerError):
    """The stick did not send the expected callback in time."""


class CommandFailed(ControllerError):
    """The stick answered with a negative response or callback."""


class JobRefused(CommandFailed):
    """The stick did not accept a radio job (its transmit queue is full, or it cannot start
    the job now); ``response`` is the decoded Response."""

    def __init__(self, message: str, response: object = None) -> None:
        super().__init__(message)
        self.response = response


class StickRestarted(ControllerError):
    """The stick restarted (a soft reset or its own) while the command was in flight: it was lost."""


class NotSupported(ControllerError):
    """The stick does not support this Serial API function."""


class DriverNotReady(ZWaveError):
    """The driver is not connected to a started stick."""


class DriverStopped(ZWaveError):
    """The driver was stopped while the command was pending."""


# --- nodes --------------------------------------------------------------------


class NodeError(ZWaveError):
    """A command to a node failed."""

    def __init__(self, message: str, node_id: int | None = None) -> None:
        super().__init__(message)
        self.node_id = node_id


class NodeNotFound(NodeError):
    """No such node in the network."""


class NodeNoAck(NodeError):
    """The node did not acknowledge the frame (TX status NoAck / Fail)."""


class NodeTimeout(NodeError):
    """The node acknowledged the Get but its Report did not arrive in time."""


class NodeDead(NodeError):
    """The node is marked dead; the command was not sent."""


class SupervisionFailed(NodeError):
    """The node answered a Supervision GET with FAIL or NO_SUPPORT."""


class DuplicateUserCode(NodeError, ValueError):
    """A user code is already in another slot of the lock (found in the cache before sending,
    or the lock answered with Notification Access Control 0x0F).  ``other_slot`` is that slot
    when known.  Never carries the code."""

    def __init__(self, node_id: int | None, slot: int, other_slot: int | None = None) -> None:
        where = f" (slot {other_slot})" if other_slot is not None else ""
        super().__init__(f"node {node_id}: the code for slot {slot} is already used in another slot{where}", node_id)
        self.slot = slot
        self.other_slot = other_slot


class NotAZWaveStick(TransportError):
    """The port opened, but nothing answered the Serial API (wrong device or wrong port)."""


# --- security -------------------------------------------------------------------


class InvalidNetworkKey(ZWaveError, ValueError):
    """A network key is malformed (not 16 bytes / 32 hex digits), reused, or missing.

    The message names the security class, never the key itself."""
