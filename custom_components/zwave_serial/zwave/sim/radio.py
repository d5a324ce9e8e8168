"""Radio model: per-hop latency, dead nodes, sleeping/FLiRS reachability, TX reports."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field

_LOGGER = logging.getLogger(__name__)

TX_OK = 0x00
TX_NO_ACK = 0x01
TX_FAIL = 0x02


@dataclass
class RadioConfig:
    """Latencies of the simulated radio (seconds)."""

    hop_latency: float = 0.003
    jitter: float = 0.0
    noack_delay: float = 0.1  # time until a transmission to an unreachable node gives up
    flirs_delay: float = 0.02  # wake-up beam before a frame reaches a FLiRS node
    seed: int | None = None
    profile: str = "fast"  # the stick's default timing profile goes with the radio's

    @classmethod
    def fast(cls) -> RadioConfig:
        """Default for tests: a few ms per hop."""
        return cls()

    @classmethod
    def realistic(cls) -> RadioConfig:
        """20-40 ms per hop, ~1 s for a FLiRS beam, ~1.2 s before NoAck."""
        return cls(hop_latency=0.02, jitter=0.02, noack_delay=1.2, flirs_delay=1.0, profile="realistic")


@dataclass
class TxResult:
    """Outcome of one transmission."""

    status: int
    seconds: float
    hops: int = 0
    repeaters: list[int] = field(default_factory=list)
    rssi: int = -55

    @property
    def ticks(self) -> int:
        """Duration in 10 ms units."""
        return max(1, round(self.seconds * 100))


class Radio:
    """Decides whether and when frames reach nodes; knows which nodes are dead."""

    def __init__(self, config: RadioConfig | None = None) -> None:
        self.config = config or RadioConfig()
        self.dead: set[int] = set()
        self.hops: dict[int, int] = {}
        self._rng = random.Random(self.config.seed)
        self.transmissions = 0

    def latency(self, node_id: int) -> float:
        """One-way latency to/from a node (hops x per-hop latency + jitter)."""
        hops = self.hops.get(node_id, 1)
        jitter = self._rng.uniform(0, self.config.jitter) if self.config.jitter else 0.0
        return hops * (self.config.hop_latency + jitter)

    def set_dead(self, node_id: int, dead: bool = True) -> None:
        """Make a node unreachable (or reachable again)."""
        if dead:
            self.dead.add(node_id)
        else:
            self.dead.discard(node_id)

    def is_dead(self, node_id: int) -> bool:
        """True if the node was made dead."""
        return node_id in self.dead

    async def transmit(self, node_id: int, reachable: bool, flirs: bool, ack: bool = True) -> TxResult:
        """Simulate sending one frame; wait the air time; return the TX result."""
        self.transmissions += 1
        repeaters = list(range(2, 2 + max(0, self.hops.get(node_id, 1) - 1)))
        if not reachable or node_id in self.dead:
            if not ack:
                await asyncio.sleep(self.latency(node_id))
                return TxResult(TX_OK, self.latency(node_id))
            await asyncio.sleep(self.config.noack_delay)
            return TxResult(TX_NO_ACK, self.config.noack_delay, rssi=127)
        delay = self.latency(node_id) * (2 if ack else 1)
        if flirs:
            delay += self.config.flirs_delay
        await asyncio.sleep(delay)
        return TxResult(TX_OK, delay, hops=len(repeaters), repeaters=repeaters)


def tx_report_bytes(result: TxResult, extended: bool, flirs: bool = False) -> bytes:
    """TX report of a SendData callback: ``[txTicks u16]``, or the 24-byte extended report
    (protocol-facts §2.4) once the host enabled it with SerialAPISetup SetTxStatusReport."""
    ticks = result.ticks.to_bytes(2, "big")
    if not extended:
        return ticks
    reps = [*result.repeaters, 0, 0, 0, 0][:4]
    ack_rssi = result.rssi & 0xFF if result.status == TX_OK else 0x7F
    beam = 0x40 if flirs else 0x00
    return (
        ticks
        + bytes((len(result.repeaters), ack_rssi, 0x7F, 0x7F, 0x7F, 0x7F, 0, 0))
        + bytes((1 if not result.repeaters else 5, *reps, beam | 0x03, 1, 0, 0))
        + bytes((0, (-100) & 0xFF, 0, (-60) & 0xFF, (-100) & 0xFF))
    )
