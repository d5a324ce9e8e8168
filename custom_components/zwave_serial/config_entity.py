"""Entities of configuration parameters: number, select, switch and read-only sensor.

The state is the parameter's value as the device reported it (a partial parameter: its bits);
a change goes through ``node.set_config_parameter`` (validated, then read back from the device
or confirmed by Supervision), so the state follows the device, not the request.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.number import NumberEntity
from homeassistant.components.select import SelectEntity
from homeassistant.components.sensor import SensorEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .config_discovery import (
    ZWaveConfigNumberDescription,
    ZWaveConfigSelectDescription,
    ZWaveConfigSensorDescription,
    ZWaveConfigSwitchDescription,
)
from .const import DOMAIN
from .coordinator import ZWaveCoordinator
from .discovery import DiscoveryInfo
from .entity import ZWaveEntity
from .zwave import CCEncodeError, ZWaveError
from .zwave.configparams import ConfigParameter, parameter_value


class ZWaveConfigEntity(ZWaveEntity):
    """Base: one parameter (``entity_description.parameter``) of the node."""

    def __init__(self, coordinator: ZWaveCoordinator, info: DiscoveryInfo) -> None:
        """Initialise; a partial parameter's unique ID adds its bit mask."""
        self._param: ConfigParameter = info.description.parameter  # type: ignore[attr-defined]
        super().__init__(coordinator, info)
        if self._param.bitmask is not None:
            self._attr_unique_id = f"{self._attr_unique_id}.0x{self._param.bitmask:x}"

    def config_value(self) -> int | None:
        """The parameter's current value (None: not known)."""
        node = self.node
        return None if node is None else parameter_value(node, self._param)

    async def _set_config(self, value: int) -> None:
        node = self.node
        if node is None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="node_not_found",
                translation_placeholders={"node_id": str(self.value_id.node_id)},
            )
        param = self._param
        try:
            await node.set_config_parameter(param.number, value, bitmask=param.bitmask, endpoint=param.endpoint)
        except CCEncodeError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="invalid_value", translation_placeholders={"error": str(err)}
            ) from err
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="set_value_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from err


class ZWaveConfigNumber(ZWaveConfigEntity, NumberEntity):
    """A numeric parameter."""

    entity_description: ZWaveConfigNumberDescription
    # NumberEntity's state reads the ``value`` property, which ZWaveEntity.value() would hide.
    value = NumberEntity.value  # type: ignore[assignment]

    def _update_from_values(self) -> None:
        self._attr_native_value = self.config_value()

    async def async_set_native_value(self, value: float) -> None:
        """Write the parameter."""
        if not float(value).is_integer():
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_value",
                translation_placeholders={"error": f"{value} is not a whole number"},
            )
        await self._set_config(int(value))


class ZWaveConfigSelect(ZWaveConfigEntity, SelectEntity):
    """A parameter with named options."""

    entity_description: ZWaveConfigSelectDescription

    def _update_from_values(self) -> None:
        self._attr_current_option = self._param.option_label(self.config_value())

    async def async_select_option(self, option: str) -> None:
        """Write the option's value."""
        value = next((v for v, label in self._param.options if label == option), None)
        if value is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_value",
                translation_placeholders={"error": f"{option!r} is not an option"},
            )
        await self._set_config(value)


class ZWaveConfigSwitch(ZWaveConfigEntity, SwitchEntity):
    """A 0/1 parameter or one bit of a bit field."""

    entity_description: ZWaveConfigSwitchDescription

    def _update_from_values(self) -> None:
        value = self.config_value()
        self._attr_is_on = None if value is None else bool(value)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Write 1."""
        await self._set_config(1)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Write 0."""
        await self._set_config(0)


class ZWaveConfigSensor(ZWaveConfigEntity, SensorEntity):
    """A read-only parameter (its option label when it has options)."""

    entity_description: ZWaveConfigSensorDescription

    def _update_from_values(self) -> None:
        value = self.config_value()
        self._attr_native_value = self._param.option_label(value) if self._param.options else value
