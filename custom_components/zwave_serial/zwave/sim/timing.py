"""Timing profiles of the virtual stick: how long the firmware and the network take.

:meth:`TimingProfile.fast` keeps unit tests quick (everything within a fraction of a second);
:meth:`TimingProfile.realistic` is what a 700/800 stick and real nodes take, for benchmarks and
the demo: a ~1 s reboot after SoftReset and neighbour updates of 2.5-12 s per node.

Neighbour updates (RequestNodeNeighborUpdate): the node sends a NOP to every candidate and waits
for each ACK, so the time grows with the nodes around it.  Figures: a Z-Wave JS log of a real
700-series network (zwave-js/zwave-js-ui issue 739, 2022-01-03) shows a node's update taking
10.3 s (and its return-route jobs 2-6 s each on that busy network); Z-Wave JS allows up to
76 s + 217 ms per listening node + 3517 ms per FLiRS node (its timeout, ``Controller.ts``
``computeNeighborDiscoveryTimeout``); openHAB's binding author reports a whole node heal
"takes a minute" (openhab/openhab-addons PR 991).  The profile: 2 s + 0.5 s per neighbour, at
most 12 s (8 neighbours: 6 s; 20 and more: 12 s).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TimingProfile:
    """Durations (seconds) of stick-side procedures.

    * ``reboot_time`` - SoftReset until SerialAPIStarted; the stick is deaf meanwhile.
    * ``neighbor_update_base`` + ``neighbor_update_per_neighbor`` x neighbours, capped at
      ``neighbor_update_max`` - one RequestNodeNeighborUpdate of a reachable node.
    * ``replace_wait`` - how long ReplaceFailedNode waits for the replacement device.
    * ``rx_frame_gap`` - minimum spacing of frames arriving over the radio (the channel carries
      one frame at a time), so a burst of reports cannot outrun a host that ACKs promptly.
    * ``add_node_step`` / ``remove_node_step`` - time between the callbacks of an inclusion
      (NodeFound, AddingSlave, ProtocolDone) or exclusion (NodeFound, RemovingSlave, Done).
    * ``auto_join_delay`` - how long an ``auto_join`` device waits before "pressing its button"
      once the stick entered add / remove mode.
    * ``smart_start_interval`` - how often a waiting SmartStart device announces itself while the
      stick listens (AddNode mode 9); ``smart_start_find_time`` - how long AddNode mode 8 looks
      for the device before it reports Failed.
    * ``bootstrap_scale`` - factor on the devices' security bootstrapping timers (TB1 30 s,
      TB2 240 s, TB3/TB5/TB7 10 s, S0 10 s); 1.0 = the specification's (also in ``fast``, so a
      person has the full time to grant keys and type a PIN in the demo).
    """

    name: str = "fast"
    reboot_time: float = 0.1
    neighbor_update_base: float = 0.05
    neighbor_update_per_neighbor: float = 0.005
    neighbor_update_max: float = 0.2
    replace_wait: float = 1.0
    rx_frame_gap: float = 0.002
    add_node_step: float = 0.01
    remove_node_step: float = 0.01
    auto_join_delay: float = 0.1
    smart_start_interval: float = 0.2
    smart_start_find_time: float = 1.0
    bootstrap_scale: float = 1.0

    @classmethod
    def fast(cls) -> TimingProfile:
        """Unit tests: a reboot of 0.1 s, neighbour updates of 0.05-0.2 s."""
        return cls()

    @classmethod
    def realistic(cls) -> TimingProfile:
        """Benchmarks and the demo: a 1 s reboot, neighbour updates of 2.5-12 s per node."""
        return cls(
            name="realistic",
            reboot_time=1.0,
            neighbor_update_base=2.0,
            neighbor_update_per_neighbor=0.5,
            neighbor_update_max=12.0,
            replace_wait=60.0,
            rx_frame_gap=0.01,
            add_node_step=0.4,
            remove_node_step=0.3,
            auto_join_delay=0.3,
            smart_start_interval=2.0,
            smart_start_find_time=10.0,
        )

    @classmethod
    def named(cls, name: str) -> TimingProfile:
        """``"fast"`` or ``"realistic"``."""
        if name not in ("fast", "realistic"):
            raise ValueError(f"unknown timing profile {name!r} (fast or realistic)")
        return cls.realistic() if name == "realistic" else cls.fast()

    def neighbor_update_time(self, neighbors: int) -> float:
        """Duration of a neighbour update of a node that has ``neighbors`` neighbours."""
        return min(
            self.neighbor_update_max,
            self.neighbor_update_base + self.neighbor_update_per_neighbor * max(0, neighbors),
        )
