"""The demo network's scene and motor devices, nodes 20-24.

20 scene controller (4 buttons, Central Scene v3; sends Scene Activation), 21 shade (motor
control Multilevel Switch), 22 ceiling fan (fan switch), 23 RGBW bulb (Color Switch), 24 siren
(Sound Switch).
"""

from __future__ import annotations

from typing import Any

from .color import RgbwBulb, Siren
from .covers import Fan, Shade
from .scene import SceneController

SCENE_CONTROLLER_NODE, SHADE_NODE, FAN_NODE, BULB_NODE, SIREN_NODE = 20, 21, 22, 23, 24


def add_scene_devices(stick: Any, time_scale: float = 1.0, **options: Any) -> None:
    """Add nodes 20-24 to ``stick`` (``time_scale`` scales the shade's travel, the bulb's
    transitions and the siren's tones; other options go to every device)."""
    stick.add_node(SceneController(SCENE_CONTROLLER_NODE, buttons=4, **options))
    stick.add_node(Shade(SHADE_NODE, time_scale=time_scale, **options))
    stick.add_node(Fan(FAN_NODE, time_scale=time_scale, **options))
    stick.add_node(RgbwBulb(BULB_NODE, time_scale=time_scale, **options))
    stick.add_node(Siren(SIREN_NODE, time_scale=time_scale, **options))
