"""Fault injection on the virtual stick's serial link, and ordering faults.

:class:`FaultConfig` describes rates (probabilities per frame); :class:`FaultInjector` applies
them with a seeded RNG and counts what it did in :class:`FaultCounters`.  Besides link faults
there is one ordering fault: ``premature_report_rate`` lets a node's answer reach the host
before the SendData callback of the frame that asked for it (Z-Wave JS calls this a
"premature node update"), as happens on real hardware.
"""

from __future__ import annotations

import logging
import random
from dataclasses import asdict, dataclass, fields

from ..frame import ACK, CAN, NAK

_LOGGER = logging.getLogger(__name__)


@dataclass
class FaultConfig:
    """Probabilities (0..1) of link faults; each is drawn independently per frame.

    * ``corrupt_rate`` - flip one byte of a frame the stick sends (host should NAK).
    * ``drop_rate`` - drop one byte of a frame the stick sends (host sees a partial frame).
    * ``nak_rate`` / ``can_rate`` - answer NAK / CAN instead of ACK to a host frame (frame discarded).
    * ``late_ack_rate`` - ACK a host frame only after ``late_ack_delay`` seconds.
    * ``premature_report_rate`` - a node's report to a SendData arrives before its callback.
    """

    corrupt_rate: float = 0.0
    drop_rate: float = 0.0
    nak_rate: float = 0.0
    can_rate: float = 0.0
    late_ack_rate: float = 0.0
    late_ack_delay: float = 2.0
    premature_report_rate: float = 0.0
    seed: int | None = None

    _ALIASES = {
        "corrupt": "corrupt_rate",
        "drop": "drop_rate",
        "nak": "nak_rate",
        "can": "can_rate",
        "late": "late_ack_rate",
        "late_ack": "late_ack_rate",
        "late_delay": "late_ack_delay",
        "late_ack_delay": "late_ack_delay",
        "premature": "premature_report_rate",
        "seed": "seed",
    }

    @classmethod
    def parse(cls, spec: str) -> FaultConfig:
        """Parse ``"corrupt=0.05,can=0.02,seed=1"`` (full field names are accepted too)."""
        config = cls()
        names = {f.name for f in fields(cls)}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"fault spec item {item!r} is not key=value")
            key = key.strip()
            name = cls._ALIASES.get(key, key)
            if name not in names:
                raise ValueError(f"unknown fault {key!r}")
            setattr(config, name, int(value) if name == "seed" else float(value))
        return config

    @property
    def any(self) -> bool:
        """True when at least one fault has a non-zero rate."""
        rates = (self.corrupt_rate, self.drop_rate, self.nak_rate, self.can_rate, self.late_ack_rate)
        return any((*rates, self.premature_report_rate))


@dataclass
class FaultCounters:
    """How many faults were injected (and manual controls used)."""

    corrupted: int = 0
    dropped: int = 0
    naks: int = 0
    cans: int = 0
    late_acks: int = 0
    premature_reports: int = 0
    hangs: int = 0
    unplugs: int = 0
    replugs: int = 0

    def as_dict(self) -> dict[str, int]:
        """Plain dict copy."""
        return asdict(self)


class FaultInjector:
    """Applies a :class:`FaultConfig` to link traffic."""

    KINDS = ("corrupt", "drop", "nak", "can", "late", "premature")

    def __init__(self, config: FaultConfig | None = None) -> None:
        self.counters = FaultCounters()
        self.config = config or FaultConfig()
        self._forced: dict[str, int] = dict.fromkeys(self.KINDS, 0)

    def force(self, kind: str, count: int = 1) -> None:
        """Inject fault ``kind`` (corrupt/drop: next stick frames; nak/can/late: next host
        frames; premature: next answered SendData) deterministically ``count`` times,
        regardless of the rates."""
        if kind not in self._forced:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(self.KINDS)}")
        self._forced[kind] += count

    def _take(self, kind: str) -> bool:
        if self._forced[kind] > 0:
            self._forced[kind] -= 1
            return True
        return False

    @property
    def config(self) -> FaultConfig:
        """The active configuration."""
        return self._config

    @config.setter
    def config(self, value: FaultConfig) -> None:
        self._config = value
        self._rng = random.Random(value.seed)

    def _hit(self, rate: float) -> bool:
        return rate > 0 and self._rng.random() < rate

    def outgoing(self, data: bytes) -> bytes:
        """Possibly corrupt or truncate a data frame the stick is about to send."""
        if len(data) < 5:
            return data
        if self._take("corrupt") or self._hit(self._config.corrupt_rate):
            index = self._rng.randrange(2, len(data))
            buf = bytearray(data)
            buf[index] ^= self._rng.randrange(1, 256)
            self.counters.corrupted += 1
            _LOGGER.debug("fault: corrupted byte %d of %s", index, data.hex())
            return bytes(buf)
        if self._take("drop") or self._hit(self._config.drop_rate):
            index = self._rng.randrange(1, len(data))
            self.counters.dropped += 1
            _LOGGER.debug("fault: dropped byte %d of %s", index, data.hex())
            return data[:index] + data[index + 1 :]
        return data

    def premature_report(self) -> bool:
        """Should the node's answer to this SendData overtake the SendData callback?"""
        if self._take("premature") or self._hit(self._config.premature_report_rate):
            self.counters.premature_reports += 1
            return True
        return False

    def ack_decision(self) -> tuple[int, float]:
        """How to acknowledge a valid host frame: ``(control byte, delay seconds)``."""
        if self._take("nak") or self._hit(self._config.nak_rate):
            self.counters.naks += 1
            return NAK, 0.0
        if self._take("can") or self._hit(self._config.can_rate):
            self.counters.cans += 1
            return CAN, 0.0
        if self._take("late") or self._hit(self._config.late_ack_rate):
            self.counters.late_acks += 1
            return ACK, self._config.late_ack_delay
        return ACK, 0.0
