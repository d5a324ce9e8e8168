"""Virtual colour devices: an RGBW bulb (Multilevel Switch + Color Switch v3) and a siren
(Sound Switch v2).

The bulb is a dimmer with warm white, red, green and blue components (0..255 each); a Color
Switch Set changes them at once (its duration is accepted, the change is immediate).  The siren
plays numbered tones for their duration (multiplied by ``time_scale``), then reports that it
stopped.
"""

from __future__ import annotations

import asyncio
from typing import Any

from .node import NodeInfo, RxContext, VirtualNode
from .switches import Dimmer

CC_SWITCH_COLOR = 0x33
CC_SOUND_SWITCH = 0x79

WARM_WHITE, COLD_WHITE, RED, GREEN, BLUE = 0, 1, 2, 3, 4
COMPONENT_NAMES = {"warm_white": WARM_WHITE, "cold_white": COLD_WHITE, "red": RED, "green": GREEN, "blue": BLUE}


class RgbwBulb(Dimmer):
    """Colour bulb: Multilevel Switch v4 (brightness) and Color Switch v3 (W, R, G, B)."""

    COMPONENTS = (WARM_WHITE, RED, GREEN, BLUE)

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x11, 0x02, product_id=0x0090, name="RGBW bulb", icon=0x0600),
            **options,
        )
        self.colors: dict[int, int] = {c: 0 for c in self.COMPONENTS}
        self.colors[WARM_WHITE] = 255
        self.register(CC_SWITCH_COLOR, self._color, version=3)

    @property
    def rgb(self) -> tuple[int, int, int]:
        return self.colors[RED], self.colors[GREEN], self.colors[BLUE]

    def color_report(self, component: int) -> bytes:
        """``33 04 [component][current][target][duration 0]``."""
        value = self.colors[component]
        return bytes((CC_SWITCH_COLOR, 0x04, component, value, value, 0))

    def set_color_local(self, **components: int) -> None:
        """Local change (e.g. by the manufacturer's app): new levels, each reported."""
        for name, value in components.items():
            component = COMPONENT_NAMES[name]
            self.colors[component] = value
            self.send_report(self.color_report(component))

    def _color(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01:  # Supported Get
            mask = sum(1 << c for c in self.COMPONENTS)
            ctx.reply(bytes((CC_SWITCH_COLOR, 0x02, mask & 0xFF, mask >> 8)))
        elif cmd == 0x03 and payload:
            if payload[0] in self.colors:
                ctx.reply(self.color_report(payload[0]))
        elif cmd == 0x05 and payload:
            count = payload[0] & 0x1F
            pairs = [(payload[1 + 2 * i], payload[2 + 2 * i]) for i in range(count) if 2 + 2 * i < len(payload)]
            if any(c not in self.colors for c, _ in pairs):
                ctx.fail()
                return
            for component, value in pairs:
                self.colors[component] = value


class Siren(VirtualNode):
    """Siren (binary switch, specific class siren) with Sound Switch v2 tones."""

    TONES: tuple[tuple[str, int], ...] = (("Beep", 2), ("Doorbell", 4), ("Intruder alarm", 30))

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x10, 0x05, product_id=0x00A0, name="Siren", icon=0x0700),
            **options,
        )
        self.time_scale: float = options.get("time_scale", 1.0)
        self.default_volume = 50
        self.default_tone = 1
        self.tone = 0
        self.volume = 0
        self.played: list[tuple[int, int]] = []  # (tone, volume) of every tone started
        self._task: asyncio.Task[Any] | None = None
        self.register(CC_SOUND_SWITCH, self._sound, version=2)

    def play_report(self) -> bytes:
        """``79 0A [tone][volume]``."""
        return bytes((CC_SOUND_SWITCH, 0x0A, self.tone, self.volume if self.tone else 0))

    def play(self, tone: int, volume: int = 0) -> bool:
        """Start a tone (0xFF: the default tone; volume 0: the default volume); False if unknown."""
        if tone == 0xFF:
            tone = self.default_tone
        if not 1 <= tone <= len(self.TONES):
            return False
        self.stop(notify=False)
        self.tone = tone
        self.volume = volume or self.default_volume
        self.played.append((self.tone, self.volume))
        seconds = self.TONES[tone - 1][1] * self.time_scale

        async def _run() -> None:
            await asyncio.sleep(seconds)
            self._task = None
            self.tone = 0
            self.send_report(self.play_report())

        self._task = self.spawn(_run())
        return True

    def stop(self, notify: bool = True) -> None:
        """Stop the tone playing."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        was_playing, self.tone = self.tone, 0
        if was_playing and notify:
            self.send_report(self.play_report())

    def _sound(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01:
            ctx.reply(bytes((CC_SOUND_SWITCH, 0x02, len(self.TONES))))
        elif cmd == 0x03 and payload:
            tone = payload[0]
            if 1 <= tone <= len(self.TONES):
                name, duration = self.TONES[tone - 1]
                data = name.encode()
                ctx.reply(bytes((CC_SOUND_SWITCH, 0x04, tone)) + duration.to_bytes(2, "big") + bytes((len(data),)) + data)
        elif cmd == 0x05 and len(payload) >= 2:
            if payload[0] != 0xFF:
                self.default_volume = min(payload[0], 100)
            if payload[1] != 0:
                self.default_tone = payload[1]
        elif cmd == 0x06:
            ctx.reply(bytes((CC_SOUND_SWITCH, 0x07, self.default_volume, self.default_tone)))
        elif cmd == 0x08 and payload:
            if payload[0] == 0:
                self.stop(notify=False)
            elif not self.play(payload[0], payload[1] if len(payload) > 1 else 0):
                ctx.fail()
        elif cmd == 0x09:
            ctx.reply(self.play_report())
