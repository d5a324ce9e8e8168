"""A meshed virtual network for heal tests and the heal benchmark: listening nodes at several
hop distances from the controller, a few sleeping sensors, and some direct associations.

``build_mesh(stick, listening=30, sleeping=3, layers=3)`` adds the nodes and sets
``stick.topology`` (who is in radio range of whom, what GetRoutingInfo reports and what the
neighbour-update time depends on) and ``stick.radio.hops`` (frames to a node in layer *n* take
*n* hops).  Node ids are shuffled over the layers, so "nearest first" is not "lowest id first".

Layer 1 is in range of the controller; a node of layer *k* is in range of its two neighbours
on each side in its own layer and of two nodes of layer *k-1*.  Every sleeping sensor is in
range of two nodes of the outer layer.  Every fifth switch has association group 2 pointing at
another switch (a switch that switches another one), so a heal must give it a return route to
that node as well.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .sensors import MotionSensor
from .stick import VirtualStick
from .switches import BinarySwitch, Dimmer, MeteringPlug

_KINDS = (BinarySwitch, Dimmer, MeteringPlug)


@dataclass
class Mesh:
    """What :func:`build_mesh` built."""

    layers: list[list[int]]  # node ids per hop distance (index 0 = 1 hop)
    sleeping: list[int]
    associations: dict[int, list[int]] = field(default_factory=dict)  # node -> group-2 targets

    @property
    def listening(self) -> list[int]:
        return [n for layer in self.layers for n in layer]

    def hops(self, node_id: int) -> int:
        """Hop distance of a listening node from the controller (0 if unknown)."""
        for depth, layer in enumerate(self.layers, start=1):
            if node_id in layer:
                return depth
        return 0


def _link(topology: dict[int, set[int]], a: int, b: int) -> None:
    if a != b:
        topology.setdefault(a, set()).add(b)
        topology.setdefault(b, set()).add(a)


def build_mesh(
    stick: VirtualStick,
    listening: int = 30,
    sleeping: int = 3,
    layers: int = 3,
    *,
    seed: int = 1,
    awake_timeout: float = 10.0,
) -> Mesh:
    """Add ``listening`` mains-powered switches over ``layers`` hop distances and ``sleeping``
    battery sensors to ``stick`` (ids from 2); return the layout."""
    if listening < layers or layers < 1:
        raise ValueError("need at least one listening node per layer")
    rng = random.Random(seed)
    ids = list(range(2, 2 + listening))
    rng.shuffle(ids)
    # Layers shrink outwards a little, like a house around its hub: ~40 %, ~35 %, rest.
    sizes = [max(1, round(listening / layers))] * layers
    sizes[-1] = listening - sum(sizes[:-1])
    mesh = Mesh([], [])
    start = 0
    for size in sizes:
        mesh.layers.append(ids[start : start + size])
        start += size
    own = stick.own_node_id
    topology: dict[int, set[int]] = {own: set()}
    for depth, layer in enumerate(mesh.layers):
        inner = mesh.layers[depth - 1] if depth else [own]
        for index, node_id in enumerate(layer):
            for step in (1, 2):
                _link(topology, node_id, layer[(index + step) % len(layer)])
            if depth == 0:
                _link(topology, node_id, own)
            else:
                _link(topology, node_id, inner[index % len(inner)])
                _link(topology, node_id, inner[(index + 1) % len(inner)])
            stick.radio.hops[node_id] = depth + 1
    for number, node_id in enumerate(sorted(ids)):
        node = stick.add_node(_KINDS[number % len(_KINDS)](node_id))
        if number % 5 == 4:
            target = sorted(ids)[(number + 7) % len(ids)]
            node.group_max[2] = 5
            node.associations[2] = [target]
            mesh.associations[node_id] = [target]
    outer = mesh.layers[-1]
    for number in range(sleeping):
        node_id = 2 + listening + number
        stick.add_node(MotionSensor(node_id, wake_up_interval=0, awake_timeout=awake_timeout))
        for step in (0, 1):
            _link(topology, node_id, outer[(number + step) % len(outer)])
        stick.radio.hops[node_id] = len(mesh.layers) + 1
        mesh.sleeping.append(node_id)
    stick.topology = topology
    return mesh
