"""Network keys, security classes and the S2 DSK.

:class:`NetworkKeys` holds up to four 16-byte keys, one per security class. Its ``repr``,
``str`` and every error it raises say only whether a key is set, never the key: the object
ends up in logs and diagnostics. Derived keys (S0 auth/enc, S2 CCM/personalization/MPAN)
are computed once per class and cached.

The DSK (device-specific key) is the first 16 bytes of a node's X25519 public key, shown as
eight 5-digit decimal groups (each a big-endian 16-bit number); its first group is the PIN
a user types to authenticate an S2 inclusion.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import IntEnum
from pathlib import Path
from typing import Any

from ..errors import InvalidNetworkKey, ZWaveError
from .crypto import KEY_SIZE, S0Keys, S2Keys, ckdf_network_key_expand, s0_derive_keys


class SecurityClass(IntEnum):
    """Security classes, with Z-Wave JS's names and values (values 0..2 and 7 are the bit
    numbers in the S2 KEX "granted keys" bit mask)."""

    TEMPORARY = -2  # the temporary key during S2 inclusion (internal)
    NONE = -1  # included without security
    S2_Unauthenticated = 0
    S2_Authenticated = 1
    S2_AccessControl = 2
    S0_Legacy = 7

    @property
    def is_s2(self) -> bool:
        return SecurityClass.S2_Unauthenticated <= self <= SecurityClass.S2_AccessControl

    @property
    def key_name(self) -> str:
        """The field of :class:`NetworkKeys` (and the JSON key) that holds this class's key."""
        try:
            return _KEY_NAMES[self]
        except KeyError:
            raise ValueError(f"{self.name} has no network key") from None

    @property
    def key_bit(self) -> int:
        """This class's bit in the KEX granted/requested keys mask."""
        if self < 0:
            raise ValueError(f"{self.name} has no key bit")
        return 1 << self


#: Highest first, as nodes are granted and commands are sent.
SECURITY_CLASS_ORDER: tuple[SecurityClass, ...] = (
    SecurityClass.S2_AccessControl,
    SecurityClass.S2_Authenticated,
    SecurityClass.S2_Unauthenticated,
    SecurityClass.S0_Legacy,
)

_KEY_NAMES: dict[SecurityClass, str] = {
    SecurityClass.S0_Legacy: "s0_legacy",
    SecurityClass.S2_Unauthenticated: "s2_unauthenticated",
    SecurityClass.S2_Authenticated: "s2_authenticated",
    SecurityClass.S2_AccessControl: "s2_access_control",
}
# JSON key names: ours ("s2_access_control") and Z-Wave JS's ("S2_AccessControl").
_CLASS_BY_NAME: dict[str, SecurityClass] = {name: cls for cls, name in _KEY_NAMES.items()} | {
    cls.name: cls for cls in _KEY_NAMES
}


def highest_security_class(classes: Iterable[SecurityClass]) -> SecurityClass:
    """The highest of ``classes``, or ``SecurityClass.NONE``."""
    present = set(classes)
    return next((cls for cls in SECURITY_CLASS_ORDER if cls in present), SecurityClass.NONE)


def security_classes_from_bits(mask: int) -> tuple[SecurityClass, ...]:
    """The classes in a KEX keys bit mask, highest first."""
    return tuple(cls for cls in SECURITY_CLASS_ORDER if mask & cls.key_bit)


def security_classes_to_bits(classes: Iterable[SecurityClass]) -> int:
    """The KEX keys bit mask of ``classes``."""
    mask = 0
    for cls in classes:
        mask |= cls.key_bit
    return mask


_HEX_KEY = re.compile(r"[0-9a-fA-F]{32}")


def parse_key_hex(text: str, name: str = "network key") -> bytes:
    """A 16-byte key from 32 hex digits (an optional ``0x`` prefix and surrounding blanks are
    ignored). The error message names ``name`` but never repeats the input."""
    if not isinstance(text, str):
        raise InvalidNetworkKey(f"{name} must be a string of 32 hex digits")
    text = text.strip()
    if text[:2].lower() == "0x":
        text = text[2:]
    if not _HEX_KEY.fullmatch(text):
        raise InvalidNetworkKey(f"{name} must be exactly 32 hex digits (16 bytes)")
    return bytes.fromhex(text)


@dataclass(frozen=True, repr=False)
class NetworkKeys:
    """The network keys of one Z-Wave network, each 16 bytes or ``None`` (unset).

    The constructor also takes 32-hex-digit strings. Rejected with :class:`InvalidNetworkKey`:
    a wrong length, the all-zero key (S0's public inclusion key), one key for two classes."""

    s0_legacy: bytes | None = None
    s2_unauthenticated: bytes | None = None
    s2_authenticated: bytes | None = None
    s2_access_control: bytes | None = None
    _derived: dict[SecurityClass, S0Keys | S2Keys] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        seen: dict[bytes, str] = {}
        for name in _KEY_NAMES.values():
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, str):
                value = parse_key_hex(value, name)
            elif isinstance(value, bytes | bytearray | memoryview):
                value = bytes(value)
                if len(value) != KEY_SIZE:
                    raise InvalidNetworkKey(f"{name} must be 16 bytes, got {len(value)}")
            else:
                raise InvalidNetworkKey(f"{name} must be bytes or a hex string")
            if value == bytes(KEY_SIZE):
                # the all-zero key is the public S0 inclusion key: never a network key
                raise InvalidNetworkKey(f"{name} must not be all zeros")
            if value in seen:
                raise InvalidNetworkKey(
                    f"{name} is the same key as {seen[value]}; every class needs its own key"
                )
            seen[value] = name
            object.__setattr__(self, name, value)

    # --- construction -----------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NetworkKeys:
        """From a mapping of key names (``"s0_legacy"`` ... or Z-Wave JS's ``"S0_Legacy"`` ...)
        to 32-hex-digit strings; missing, ``None`` or empty values are unset."""
        if not isinstance(data, Mapping):
            raise InvalidNetworkKey("network keys must be a mapping of key names to hex strings")
        values: dict[str, bytes] = {}
        for raw_name, text in data.items():
            cls_ = _CLASS_BY_NAME.get(raw_name)
            if cls_ is None:
                known = ", ".join(_KEY_NAMES.values())
                raise InvalidNetworkKey(f"unknown network key name {str(raw_name)[:40]!r} (expected {known})")
            name = _KEY_NAMES[cls_]
            if name in values:
                raise InvalidNetworkKey(f"{name} is given twice")
            if text is None or text == "":
                continue
            values[name] = parse_key_hex(text, name)
        return cls(**values)

    @classmethod
    def from_json_file(cls, path: str | os.PathLike[str]) -> NetworkKeys:
        """From a JSON file holding an object like :meth:`from_dict` takes."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as err:
            raise InvalidNetworkKey(f"cannot read the network key file: {err.strerror}") from None
        except ValueError:
            # the JSON error message quotes the document, which holds the keys
            raise InvalidNetworkKey("the network key file is not valid JSON") from None
        return cls.from_dict(data)

    @classmethod
    def generate(cls, classes: Iterable[SecurityClass] = SECURITY_CLASS_ORDER) -> NetworkKeys:
        """Fresh random keys for ``classes`` (all four by default)."""
        return cls(**{cls_.key_name: os.urandom(KEY_SIZE) for cls_ in classes})

    def to_dict(self) -> dict[str, str | None]:
        """The keys as hex strings, for the owner to store: this output IS secret."""
        return {
            name: (value.hex() if (value := getattr(self, name)) else None) for name in _KEY_NAMES.values()
        }

    # --- access -----------------------------------------------------------------

    def get(self, security_class: SecurityClass) -> bytes | None:
        """The key of ``security_class``, or ``None``."""
        return getattr(self, security_class.key_name)

    def has(self, security_class: SecurityClass) -> bool:
        return security_class in _KEY_NAMES and self.get(security_class) is not None

    @property
    def security_classes(self) -> tuple[SecurityClass, ...]:
        """The classes that have a key, highest first."""
        return tuple(cls for cls in SECURITY_CLASS_ORDER if self.has(cls))

    def _key(self, security_class: SecurityClass) -> bytes:
        key = self.get(security_class)
        if key is None:
            raise InvalidNetworkKey(f"no network key is set for {security_class.name}")
        return key

    def s0_keys(self) -> S0Keys:
        """S0 authentication and encryption keys (cached)."""
        derived = self._derived.get(SecurityClass.S0_Legacy)
        if derived is None:
            derived = self._derived[SecurityClass.S0_Legacy] = s0_derive_keys(
                self._key(SecurityClass.S0_Legacy)
            )
        assert isinstance(derived, S0Keys)
        return derived

    def s2_keys(self, security_class: SecurityClass) -> S2Keys:
        """CCM key, personalization string and MPAN key of an S2 class (cached)."""
        if not security_class.is_s2:
            raise ValueError(f"{security_class.name} is not an S2 class")
        derived = self._derived.get(security_class)
        if derived is None:
            derived = self._derived[security_class] = ckdf_network_key_expand(self._key(security_class))
        assert isinstance(derived, S2Keys)
        return derived

    # --- never show the keys ----------------------------------------------------

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{f.name}={'<set>' if getattr(self, f.name) is not None else '<unset>'}"
            for f in fields(self)
            if f.init
        )
        return f"NetworkKeys({parts})"

    __str__ = __repr__


# --- DSK ------------------------------------------------------------------------

DSK_SIZE = 16
_DSK_TEXT = re.compile(r"\d{5}(?:-\d{5}){7}")


class InvalidDSK(ZWaveError, ValueError):
    """A DSK or PIN is malformed."""


def dsk_from_public_key(public_key: bytes) -> bytes:
    """The DSK: the first 16 bytes of an X25519 public key."""
    if len(public_key) != 32:
        raise InvalidDSK(f"a public key is 32 bytes, got {len(public_key)}")
    return bytes(public_key[:DSK_SIZE])


def dsk_to_string(dsk: bytes) -> str:
    """``"12345-12345-..."``: eight big-endian 16-bit numbers as 5 decimal digits each."""
    if len(dsk) != DSK_SIZE:
        raise InvalidDSK(f"a DSK is 16 bytes, got {len(dsk)}")
    return "-".join(f"{int.from_bytes(dsk[i : i + 2], 'big'):05d}" for i in range(0, DSK_SIZE, 2))


def dsk_from_string(text: str) -> bytes:
    """The 16 DSK bytes from ``"aaaaa-bbbbb-ccccc-ddddd-eeeee-fffff-11111-22222"``."""
    text = text.strip() if isinstance(text, str) else ""
    if not _DSK_TEXT.fullmatch(text):
        raise InvalidDSK("a DSK is eight groups of 5 digits separated by '-'")
    groups = [int(part) for part in text.split("-")]
    if any(group > 0xFFFF for group in groups):
        raise InvalidDSK("each DSK group must be at most 65535")
    return b"".join(group.to_bytes(2, "big") for group in groups)


def pin_from_dsk(dsk: bytes) -> str:
    """The 5-digit PIN: the DSK's first group (its first two bytes)."""
    return dsk_to_string(dsk)[:5]


def parse_pin(pin: str | int) -> int:
    """A PIN ("01234" or 1234) as the 16-bit number it stands for."""
    if isinstance(pin, str):
        if not re.fullmatch(r"\d{5}", pin.strip()):
            raise InvalidDSK("a PIN is 5 digits")
        pin = int(pin)
    if not isinstance(pin, int) or not 0 <= pin <= 0xFFFF:
        raise InvalidDSK("a PIN is a number from 00000 to 65535")
    return pin


def public_key_with_pin(public_key: bytes, pin: str | int) -> bytes:
    """The joining node's full public key: for S2 Authenticated/Access Control it arrives
    with bytes 0-1 zeroed, and the user's PIN fills them in."""
    if len(public_key) != 32:
        raise InvalidDSK(f"a public key is 32 bytes, got {len(public_key)}")
    return parse_pin(pin).to_bytes(2, "big") + bytes(public_key[2:])


def nwi_home_id_from_dsk(dsk: bytes) -> int:
    """The SmartStart NWI home ID: DSK bytes 8..11, bits 7-6 of the first byte set and bit 0
    of the last byte cleared."""
    if len(dsk) != DSK_SIZE:
        raise InvalidDSK(f"a DSK is 16 bytes, got {len(dsk)}")
    home = bytearray(dsk[8:12])
    home[0] |= 0xC0
    home[3] &= 0xFE
    return int.from_bytes(home, "big")


def auth_home_id_from_dsk(dsk: bytes) -> int:
    """The SmartStart auth home ID (AddNodeToNetwork mode 8): DSK bytes 12..15, bits 7-6 of
    the first byte cleared and bit 0 of the last byte set (as Z-Wave JS does)."""
    if len(dsk) != DSK_SIZE:
        raise InvalidDSK(f"a DSK is 16 bytes, got {len(dsk)}")
    home = bytearray(dsk[12:16])
    home[0] &= 0x3F
    home[3] |= 0x01
    return int.from_bytes(home, "big")


def dsk_with_hidden_pin(dsk: bytes) -> str:
    """The DSK as a user checks it on the device label before typing the PIN: the first group
    (the PIN) as ``"xxxxx"``, the rest as :func:`dsk_to_string` shows it."""
    return "xxxxx" + dsk_to_string(dsk)[5:]
