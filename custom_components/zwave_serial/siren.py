"""Sirens: the Sound Switch CC (tones by id or name, volume, stop)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.siren import ATTR_TONE, ATTR_VOLUME_LEVEL, SirenEntity, SirenEntityFeature
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import ZWaveSerialConfigEntry
from .entity import ZWaveEntity, async_listen_for_entities
from .zwave import SoundSwitchValue, ValueId

PARALLEL_UPDATES = 0

TONE_OFF = 0x00
TONE_DEFAULT = 0xFF


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up sirens discovered on the network."""
    async_listen_for_entities(entry.runtime_data.coordinator, Platform.SIREN, async_add_entities, ZWaveSiren)


class ZWaveSiren(ZWaveEntity, SirenEntity):
    """Plays the device's tones; on while a tone plays."""

    _attr_supported_features = (
        SirenEntityFeature.TURN_ON | SirenEntityFeature.TURN_OFF | SirenEntityFeature.TONES | SirenEntityFeature.VOLUME_SET
    )

    def _watches(self, value_id: ValueId) -> bool:
        return value_id.cc == self.value_id.cc and value_id.property in (
            SoundSwitchValue.TONE_ID,
            SoundSwitchValue.TONE_NAME,
        )

    def _update_from_values(self) -> None:
        tone = self.value()
        self._attr_is_on = None if tone is None else tone != TONE_OFF
        node = self.node
        tones: dict[int | str, str] = {}
        if node is not None:
            for vid, stored in node.values().items():
                if (
                    vid.cc == self.value_id.cc
                    and vid.endpoint == self.value_id.endpoint
                    and vid.property == SoundSwitchValue.TONE_NAME
                    and isinstance(vid.property_key, int)
                ):
                    tones[vid.property_key] = str(stored.value)
        self._attr_available_tones = dict(sorted(tones.items(), key=lambda item: int(item[0])))

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Play a tone (by id or name; default: the device's default tone) at a volume (0..1)."""
        tone = kwargs.get(ATTR_TONE)
        tone_id = TONE_DEFAULT if tone is None else self._tone_id(tone)
        volume = kwargs.get(ATTR_VOLUME_LEVEL)
        options = {} if volume is None else {"volume": max(1, min(100, round(float(volume) * 100)))}
        await self._set_tone(tone_id, options)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop the tone."""
        await self._set_tone(TONE_OFF, {})

    def _tone_id(self, tone: Any) -> int:
        tones = self.available_tones or {}
        if isinstance(tone, int) and tone in tones:
            return tone
        for tone_id, name in tones.items():
            if str(name) == str(tone) or str(tone_id) == str(tone):
                return int(tone_id)
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="invalid_value", translation_placeholders={"error": f"unknown tone {tone}"}
        )

    async def _set_tone(self, tone_id: int, options: dict[str, Any]) -> None:
        await self._set_value(SoundSwitchValue.TONE_ID, tone_id, options=options)
