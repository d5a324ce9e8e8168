"""Virtual scene controller: a wall controller with scene buttons (Central Scene v3) that also
sends Scene Activation (a CC it only controls, listed after the 0xEF mark of its NIF).

Test API: :meth:`SceneController.press` (a key attribute per press: pressed 1x..5x, held,
released), :meth:`SceneController.hold` / :meth:`SceneController.release`,
:meth:`SceneController.repeat_last` (the same sequence number again, as a retransmission) and
:meth:`SceneController.activate_scene`.
"""

from __future__ import annotations

from typing import Any

from .node import NodeInfo, RxContext, VirtualNode

CC_SCENE_ACTIVATION = 0x2B
CC_CENTRAL_SCENE = 0x5B
CC_MARK = 0xEF

# Central Scene key attributes
KEY_PRESSED, KEY_RELEASED, KEY_HELD = 0x00, 0x01, 0x02
KEY_NAMES = {
    "pressed": 0x00,
    "released": 0x01,
    "held": 0x02,
    "pressed_2x": 0x03,
    "pressed_3x": 0x04,
    "pressed_4x": 0x05,
    "pressed_5x": 0x06,
}
#: Every button supports every key attribute (bitmask bits 0..6).
ALL_KEYS_MASK = 0x7F


class SceneController(VirtualNode):
    """Mains-powered wall controller with ``buttons`` scene buttons (Central Scene v3,
    identical key attributes for every scene, slow refresh supported)."""

    def __init__(self, node_id: int, buttons: int = 4, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x18, 0x01, product_id=0x0070, name="Scene controller", icon=0x1500),
            **options,
        )
        self.buttons = buttons
        self.slow_refresh = False
        self.sequence = 0
        self._last: bytes | None = None
        self.register(CC_CENTRAL_SCENE, self._handle, version=3)

    def nif(self) -> bytes:
        """Supported CCs, then the mark and the controlled Scene Activation CC."""
        return super().nif() + bytes((CC_MARK, CC_SCENE_ACTIVATION))

    def press(self, scene: int, attribute: int | str = KEY_PRESSED) -> int:
        """Send a Central Scene Notification for button ``scene`` with a key attribute (a number,
        or ``pressed``, ``pressed_2x`` ... ``pressed_5x``, ``held``, ``released``) to the
        lifeline; returns its sequence number."""
        key = KEY_NAMES[attribute] if isinstance(attribute, str) else attribute
        if not 1 <= scene <= self.buttons or not 0 <= key <= 6:
            raise ValueError(f"no button {scene} / key attribute {attribute!r}")
        self.sequence = (self.sequence + 1) & 0xFF
        flags = key | (0x80 if key == KEY_HELD and self.slow_refresh else 0)
        self._last = bytes((CC_CENTRAL_SCENE, 0x03, self.sequence, flags, scene))
        self.send_report(self._last)
        return self.sequence

    def hold(self, scene: int) -> int:
        """Key Held Down (the first one, or a refresh while the button stays down)."""
        return self.press(scene, KEY_HELD)

    def release(self, scene: int) -> int:
        """Key Released."""
        return self.press(scene, KEY_RELEASED)

    def repeat_last(self) -> None:
        """Send the last notification again, same sequence number (a retransmission)."""
        if self._last is not None:
            self.send_report(self._last)

    def activate_scene(self, scene_id: int, duration: int = 0xFF) -> None:
        """Scene Activation Set ``[scene id][dimming duration byte]`` to the lifeline."""
        self.send_report(bytes((CC_SCENE_ACTIVATION, 0x01, scene_id & 0xFF, duration & 0xFF)))

    def _handle(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01:  # Supported Get: slow refresh, 1 bitmask byte, identical for all scenes
            ctx.reply(bytes((CC_CENTRAL_SCENE, 0x02, self.buttons, 0x80 | (1 << 1) | 0x01, ALL_KEYS_MASK)))
        elif cmd == 0x04 and payload:  # Configuration Set
            self.slow_refresh = bool(payload[0] & 0x80)
        elif cmd == 0x05:  # Configuration Get
            ctx.reply(bytes((CC_CENTRAL_SCENE, 0x06, 0x80 if self.slow_refresh else 0x00)))
