"""A virtual node's membership of a network: inclusion, leaving, and its security identity.

:class:`NetworkMember` is a base of :class:`~.node.VirtualNode`. Options: ``security`` (the
classes the device supports and requests: S2 classes and/or ``SecurityClass.S0_Legacy``),
``keys`` (:class:`NetworkKeys` of a device already included securely: it is then granted
``security``), ``private_key`` (its X25519 key, which gives the DSK), ``smart_start`` (it
announces itself to a stick listening for SmartStart). A device in no network yet is built with
``node_id=0`` and handed to :meth:`VirtualStick.add_waiting`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..security.keys import SecurityClass
    from .node import RxContext
    from .security import DeviceSecurity
    from .stick import VirtualStick

#: ``transmit(security=...)`` default: the node's highest granted class (plain when none).
DEFAULT_SECURITY: Any = object()


def _ignore(ctx: RxContext, cmd: int, payload: bytes) -> None:
    """CCs handled below the application (Security 2 / Security by :mod:`.security`)."""


class NetworkMember:
    """Inclusion state and security identity of a virtual node (see the module docs)."""

    node_id: int
    stick: VirtualStick | None
    awake: bool
    sec: DeviceSecurity | None

    def _setup_membership(self, options: dict[str, Any]) -> None:
        #: A waiting device that "presses its button" by itself (see VirtualStick.add_waiting).
        self.auto_join = False
        self.smart_start: bool = options.get("smart_start", False)
        self.sec = None
        if options.get("security"):
            from .security import S0_CC, S2_CC, DeviceSecurity

            self.sec = DeviceSecurity(self, tuple(options["security"]), options.get("keys"), options.get("private_key"))  # type: ignore[arg-type]
            if self.sec.s2_requested:
                self.register(S2_CC, _ignore, version=1)  # type: ignore[attr-defined]
            if self.sec.supports_s0:
                self.register(S0_CC, _ignore, version=1)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ security identity
    @property
    def dsk(self) -> str | None:
        """The DSK (``"xxxxx-…"``, 8 groups) of a secure device."""
        return self.sec.dsk if self.sec is not None else None

    @property
    def pin(self) -> str | None:
        """The 5-digit PIN (first DSK group) the user types for S2 Authenticated / Access Control."""
        return self.sec.pin if self.sec is not None else None

    @property
    def qr_code(self) -> str | None:
        """The S2 (or SmartStart, version 01) QR code text of an S2 device."""
        if self.sec is None or not self.sec.s2_requested:
            return None
        return self.sec.qr_code(self.smart_start)

    @property
    def granted(self) -> tuple[SecurityClass, ...]:
        """The security classes the device was granted (empty: not securely included)."""
        return self.sec.granted if self.sec is not None else ()

    # ------------------------------------------------------------------ membership
    def included(self, node_id: int) -> None:
        """The stick included this (waiting) device as ``node_id``; security bootstrapping may follow."""
        self.node_id = node_id
        if self.sec is not None:
            self.sec.on_included()

    def leave_network(self) -> None:
        """The device resets itself (failed bootstrapping): it no longer answers as its node
        ID and waits to be included again."""
        if self.stick is not None:
            self.stick.node_left(self)  # type: ignore[arg-type]

    def factory_reset(self) -> None:
        """Forget the network: node ID 0, no keys, no background tasks."""
        self.stop()  # type: ignore[attr-defined]
        if self.sec is not None:
            self.sec.clear_keys()
        self.node_id = 0
        self.awake = False
