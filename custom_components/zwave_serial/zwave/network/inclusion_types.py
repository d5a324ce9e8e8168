"""Types of network management (adding and removing devices): states, strategies, the user's
part (granting classes, entering the PIN), results, bootstrap failures and typed errors.

What an application (the Home Assistant options flow, the CLI) sees of an inclusion:

* :class:`InclusionState` changes (``InclusionStateEvent``): idle → including → bootstrapping
  (a device was added; keys are being exchanged) → idle;
* the **grant step**: ``grant_security_classes(request)`` with the classes the device asks
  for; answer with the classes to grant (fewer is fine) or None to cancel;
* the **PIN step** (S2 Authenticated / Access Control only): ``validate_dsk_and_enter_pin(dsk)``
  with the device's DSK, its first group hidden as ``xxxxx``; answer with the 5-digit PIN
  printed on the device (the hidden group), or None to cancel;
* the :class:`InclusionResult`: node ID, the class granted, and on a failed key exchange the
  :class:`BootstrapFailure` with :attr:`InclusionResult.advice` (what to do).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from ..errors import ZWaveError
from ..security.keys import SecurityClass
from ..security.s2_kex import KEXFailType


class InclusionState(StrEnum):
    IDLE = "idle"
    INCLUDING = "including"  # the stick is in add mode (or adding a SmartStart device)
    EXCLUDING = "excluding"
    BOOTSTRAPPING = "bootstrapping"  # added; exchanging keys
    SMART_START = "smart_start"  # idle, listening for SmartStart devices on the provisioning list


class InclusionStrategy(StrEnum):
    """Z-Wave JS's strategies: DEFAULT uses S2 when the device supports it, S0 only when it
    does not (and lists Security), else no security."""

    DEFAULT = "default"
    INSECURE = "insecure"
    S0 = "s0"
    S2 = "s2"


class BootstrapFailure(StrEnum):
    """Why the key exchange failed (the device may then be removed, see InclusionResult)."""

    TIMEOUT = "timeout"  # a secure inclusion timer elapsed
    USER_CANCELED = "user_canceled"  # the grant or PIN step was cancelled (or timed out)
    WRONG_PIN = "wrong_pin"  # the device's frames did not decrypt with the PIN given
    NODE_CANCELED = "node_canceled"  # the device sent KEX Fail (cancel)
    NO_KEY_MATCH = "no_key_match"  # KEX Fail KEX_KEY: no common security class
    NO_SUPPORTED_SCHEME = "no_supported_scheme"  # KEX_SCHEME
    NO_SUPPORTED_CURVE = "no_supported_curve"  # KEX_CURVES
    DECRYPT = "decrypt"  # KEX Fail DECRYPT: the device could not decrypt our frame
    WRONG_SECURITY_LEVEL = "wrong_security_level"  # AUTH: a frame came with the wrong key
    KEY_NOT_GRANTED = "key_not_granted"  # GET: the device asked for a key it was not granted
    NO_VERIFY = "no_verify"  # VERIFY: a key was not verified
    DIFFERENT_KEY = "different_key"  # REPORT
    PARAMETER_MISMATCH = "parameter_mismatch"  # the device's KEX Report is not acceptable
    NO_KEYS = "no_keys"  # the driver has no network key for what the device needs
    S0_DOWNGRADE = "s0_downgrade"  # S2-capable device included with S0 only
    UNKNOWN = "unknown"

    @classmethod
    def from_kex_fail(cls, code: int) -> BootstrapFailure:
        return _KEX_FAIL.get(code, cls.NODE_CANCELED)


_KEX_FAIL: dict[int, BootstrapFailure] = {
    KEXFailType.NO_KEY_MATCH: BootstrapFailure.NO_KEY_MATCH,
    KEXFailType.NO_SUPPORTED_SCHEME: BootstrapFailure.NO_SUPPORTED_SCHEME,
    KEXFailType.NO_SUPPORTED_CURVE: BootstrapFailure.NO_SUPPORTED_CURVE,
    KEXFailType.DECRYPT: BootstrapFailure.DECRYPT,
    KEXFailType.BOOTSTRAPPING_CANCELED: BootstrapFailure.NODE_CANCELED,
    KEXFailType.WRONG_SECURITY_LEVEL: BootstrapFailure.WRONG_SECURITY_LEVEL,
    KEXFailType.KEY_NOT_GRANTED: BootstrapFailure.KEY_NOT_GRANTED,
    KEXFailType.NO_VERIFY: BootstrapFailure.NO_VERIFY,
    KEXFailType.DIFFERENT_KEY: BootstrapFailure.DIFFERENT_KEY,
}


@dataclass(frozen=True, slots=True)
class InclusionGrant:
    """The grant step: the classes the device requests (in a request) or the classes to grant
    (in the answer).  Client-side authentication is not supported (never granted)."""

    security_classes: tuple[SecurityClass, ...]
    client_side_auth: bool = False


class InclusionUserCallbacks(Protocol):
    """The user's part of an S2 inclusion (see the module docs)."""

    async def grant_security_classes(self, request: InclusionGrant) -> InclusionGrant | None: ...

    async def validate_dsk_and_enter_pin(self, dsk: str) -> str | None: ...

    def abort(self) -> None:
        """The inclusion was aborted (a timeout, the device cancelled): close any open prompt."""


@dataclass(frozen=True, slots=True)
class InclusionResult:
    """``security_class``: the highest class granted (``SecurityClass.NONE``: not secure).
    ``removed``: the key exchange failed and the device (which reset itself) was removed
    again: it is not part of the network.  ``dsk``: the device's DSK when S2 was used."""

    node_id: int
    security_class: SecurityClass
    failure: BootstrapFailure | None = None
    dsk: str | None = None
    removed: bool = False

    @property
    def advice(self) -> str | None:
        """What the user should do after a failed key exchange (None: nothing)."""
        if self.failure is None:
            return None
        if self.removed:
            return "The secure key exchange failed and the device was removed again: add it again."
        if self.failure == BootstrapFailure.S0_DOWNGRADE:
            return "The device supports S2 but was only included with S0: exclude it and add it again."
        return (
            "The secure key exchange failed; the device was added without security. "
            "Exclude (remove) it and add it again."
        )


@dataclass(frozen=True, slots=True)
class ExclusionResult:
    """``node_id``: the node removed (0: the device was not part of this network; it was
    reset anyway)."""

    node_id: int


class InclusionError(ZWaveError):
    """Adding or removing a device failed."""


class InclusionBusy(InclusionError):
    """Another inclusion or exclusion is running."""


class InclusionTimeout(InclusionError):
    """No device joined within the inclusion timeout (the stick left add mode)."""


class InclusionFailed(InclusionError):
    """The stick reported that adding (or removing) the device failed."""


class ExclusionTimeout(InclusionError):
    """No device left within the timeout (the stick left remove mode)."""


__all__ = [
    "BootstrapFailure",
    "ExclusionResult",
    "ExclusionTimeout",
    "InclusionBusy",
    "InclusionError",
    "InclusionFailed",
    "InclusionGrant",
    "InclusionResult",
    "InclusionState",
    "InclusionStrategy",
    "InclusionTimeout",
    "InclusionUserCallbacks",
]
