"""Options-flow steps to add and remove devices: progress, grant, DSK PIN, result.

The driver runs the whole inclusion in one coroutine and asks the user through callbacks
(grant the security classes, enter the PIN). The flow runs that coroutine as a task and shows a
progress step until the task either finishes or asks something; the question becomes a form, and
the answer resolves the driver's callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.core import callback
from homeassistant.helpers import selector

from .const import DEFAULT_INCLUSION_TIMEOUT, OPT_INCLUSION_TIMEOUT
from .node_sensor import SECURITY_NONE, SECURITY_STATES
from .zwave import (
    ExclusionTimeout,
    InclusionBusy,
    InclusionGrant,
    InclusionResult,
    InclusionTimeout,
    InvalidQRCode,
    ProvisioningEntry,
    SecurityClass,
    ZWaveError,
    parse_pin,
    parse_qr_code,
)

_LOGGER = logging.getLogger(__name__)

CONF_GRANT = "security_classes"
CONF_PIN = "pin"
CONF_QR = "qr_code"
CONF_NAME = "name"

# What to tell the user after a bootstrapping failure (translation keys of the abort reasons).
FAILURE_REASONS: dict[str, str] = {
    "wrong_pin": "bootstrap_wrong_pin",
    "timeout": "bootstrap_timeout",
    "user_canceled": "bootstrap_canceled",
}


def class_label(cls: SecurityClass) -> str:
    """The selector option (and sensor state) of a security class."""
    return SECURITY_STATES.get(cls, SECURITY_NONE)


@dataclass
class _Session:
    """One add/remove operation: the driver task and the question it waits on."""

    task: asyncio.Task[Any] | None = None
    kind: str = "add"  # "add" | "smart_start" | "remove"
    question: str | None = None  # "grant" | "pin"
    request: Any = None
    answer: asyncio.Future[Any] | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def ask(self, question: str, request: Any) -> Any:
        """The driver asks the user (the flow shows the question's form)."""
        self.question, self.request = question, request
        answer = self.answer = asyncio.get_running_loop().create_future()
        self.changed.set()
        return await answer

    def reply(self, value: Any) -> None:
        """The user answered (None: cancel); the question is closed at once."""
        answer, self.answer, self.question = self.answer, None, None
        if answer is not None and not answer.done():
            answer.set_result(value)

    async def wait_change(self) -> None:
        """Until the driver asks something or finishes."""
        assert self.task is not None
        self.changed.clear()
        if self.question is not None or self.task.done():
            return
        waiter = asyncio.ensure_future(self.changed.wait())
        try:
            await asyncio.wait({self.task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()


class _FlowCallbacks:
    """The driver's user callbacks, answered by the flow's forms."""

    def __init__(self, session: _Session) -> None:
        self._session = session

    async def grant_security_classes(self, request: InclusionGrant) -> InclusionGrant | None:
        return await self._session.ask("grant", request)

    async def validate_dsk_and_enter_pin(self, dsk: str) -> str | None:
        return await self._session.ask("pin", dsk)

    def abort(self) -> None:
        self._session.reply(None)


class InclusionFlowMixin(OptionsFlow):
    """Add device, add device with a SmartStart QR code, remove device."""

    _session: _Session | None = None
    _progress: asyncio.Task[Any] | None = None

    # --- helpers --------------------------------------------------------------------------

    @property
    def _driver(self) -> Any:
        return self.config_entry.runtime_data.coordinator.driver

    def _timeout(self) -> float:
        return float(self.config_entry.options.get(OPT_INCLUSION_TIMEOUT, DEFAULT_INCLUSION_TIMEOUT))

    def _start(self, factory: Any, kind: str = "add") -> None:
        """Run ``factory(session)`` (the driver coroutine) as this flow's operation."""
        session = self._session = _Session(kind=kind)
        session.task = self.hass.async_create_background_task(factory(session), "zwave_serial inclusion flow")

    def _loaded(self) -> bool:
        runtime = getattr(self.config_entry, "runtime_data", None)
        return runtime is not None and getattr(runtime, "coordinator", None) is not None

    async def _progress_step(self, step_id: str, action: str) -> ConfigFlowResult:
        """Show ``action`` until the driver asks something or is done, then go on."""
        session = self._session
        assert session is not None and session.task is not None
        if self._progress is None:
            self._progress = self.hass.async_create_task(session.wait_change())
        if not self._progress.done():
            return self.async_show_progress(step_id=step_id, progress_action=action, progress_task=self._progress)
        self._progress = None
        if session.question == "grant":
            return self.async_show_progress_done(next_step_id="grant")
        if session.question == "pin":
            return self.async_show_progress_done(next_step_id="pin")
        return self.async_show_progress_done(next_step_id="finish")

    @callback
    def async_remove(self) -> None:
        """The dialog was closed: cancel a running inclusion/exclusion (the stick leaves add mode)."""
        session = self._session
        if session is None or session.task is None or session.task.done():
            return
        session.reply(None)
        task = session.task

        async def _cancel() -> None:
            with contextlib.suppress(ZWaveError):
                await self._driver.inclusion.stop()
            task.cancel()
            with contextlib.suppress(ZWaveError, asyncio.CancelledError):
                await task  # it ends with "stopped": nothing to tell, the dialog is gone

        self.hass.async_create_task(_cancel(), "zwave_serial inclusion flow closed")

    # --- add device -----------------------------------------------------------------------

    async def async_step_add_device(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Put the stick in inclusion mode and wait for the device's button."""
        if not self._loaded():
            return self.async_abort(reason="not_loaded")
        if self._session is None:
            self._start(
                lambda session: self._driver.inclusion.include(
                    callbacks=_FlowCallbacks(session), timeout=self._timeout()
                )
            )
        return await self._progress_step("add_device", "add_device")

    async def async_step_grant(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The device asks for security classes: the user grants all or some of them."""
        session = self._session
        assert session is not None
        request: InclusionGrant = session.request
        requested = [class_label(c) for c in request.security_classes]
        if user_input is not None:
            chosen = set(user_input.get(CONF_GRANT, []))
            granted = tuple(c for c in request.security_classes if class_label(c) in chosen)
            session.reply(InclusionGrant(granted, request.client_side_auth))
            return await self.async_step_bootstrap()
        schema = vol.Schema(
            {
                vol.Optional(CONF_GRANT, default=requested): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=requested,
                        multiple=True,
                        mode=selector.SelectSelectorMode.LIST,
                        translation_key="security_class",
                    )
                )
            }
        )
        return self.async_show_form(step_id="grant", data_schema=schema)

    async def async_step_pin(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """S2 Authenticated / Access Control: the first five digits of the device's DSK."""
        session = self._session
        assert session is not None
        errors: dict[str, str] = {}
        if user_input is not None:
            pin = str(user_input.get(CONF_PIN, "")).strip()
            try:
                parse_pin(pin)
            except (ValueError, ZWaveError):
                errors[CONF_PIN] = "invalid_pin"
            else:
                session.reply(pin)
                return await self.async_step_bootstrap()
        schema = vol.Schema({vol.Required(CONF_PIN): selector.TextSelector()})
        return self.async_show_form(
            step_id="pin",
            data_schema=schema,
            errors=errors,
            description_placeholders={
                "dsk": str(session.request),
                "demo_hint": demo_pin_hint(self.config_entry.runtime_data.demo, str(session.request)),
            },
        )

    async def async_step_bootstrap(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Key exchange with the device."""
        return await self._progress_step("bootstrap", "bootstrap")

    async def async_step_finish(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The result of the add/remove: what was added or removed, or what went wrong and what to do."""
        session = self._session
        assert session is not None and session.task is not None
        self._session = None
        try:
            result = session.task.result()
        except (InclusionTimeout, ExclusionTimeout):
            return self.async_abort(
                reason="smart_start_waiting" if session.kind == "smart_start" else "inclusion_timeout"
            )
        except InclusionBusy:
            return self.async_abort(reason="inclusion_busy")
        except ZWaveError as err:  # InclusionError and the driver's other typed errors
            _LOGGER.warning("Adding or removing a device failed: %s", err)
            return self.async_abort(reason="inclusion_failed", description_placeholders={"error": str(err)})
        if isinstance(result, InclusionResult):
            return self._added(result)
        if not result.node_id:
            return self.async_abort(reason="device_reset")
        return self.async_abort(reason="device_removed", description_placeholders={"node_id": str(result.node_id)})

    def _added(self, result: InclusionResult) -> ConfigFlowResult:
        placeholders = {
            "node_id": str(result.node_id),
            "security_class": class_label(result.security_class),
            "failure": str(result.failure or ""),
        }
        if result.failure is None:
            return self.async_abort(reason="device_added", description_placeholders=placeholders)
        failure = str(result.failure)
        if result.removed:
            reason = FAILURE_REASONS.get(failure, "bootstrap_failed")
            return self.async_abort(reason=reason, description_placeholders=placeholders)
        return self.async_abort(reason="added_insecure", description_placeholders=placeholders)

    # --- SmartStart ------------------------------------------------------------------------

    async def async_step_add_device_qr(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Scan or paste the SmartStart QR code (the "90…" digits) of a device."""
        if not self._loaded():
            return self.async_abort(reason="not_loaded")
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                info = parse_qr_code(str(user_input.get(CONF_QR, "")).strip())
            except (InvalidQRCode, ValueError):
                errors[CONF_QR] = "invalid_qr_code"
            else:
                name = str(user_input.get(CONF_NAME) or "").strip() or None
                entry = _entry_from(info, name)
                self._start(
                    lambda _s: self._driver.inclusion.include_smart_start(entry, timeout=self._timeout()),
                    "smart_start",
                )
                return await self.async_step_add_device_qr_wait()
        schema = vol.Schema(
            {vol.Required(CONF_QR): selector.TextSelector(), vol.Optional(CONF_NAME): selector.TextSelector()}
        )
        return self.async_show_form(step_id="add_device_qr", data_schema=schema, errors=errors)

    async def async_step_add_device_qr_wait(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Waiting for the SmartStart device to announce itself (power it up)."""
        return await self._progress_step("add_device_qr_wait", "add_device_qr")

    # --- remove device --------------------------------------------------------------------

    async def async_step_remove_device(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Put the stick in exclusion mode and wait for the device's button."""
        if not self._loaded():
            return self.async_abort(reason="not_loaded")
        if self._session is None:
            self._start(lambda _s: self._driver.inclusion.exclude(timeout=self._timeout()), "remove")
        return await self._progress_step("remove_device", "remove_device")


def _entry_from(info: Any, name: str | None) -> ProvisioningEntry:
    return ProvisioningEntry.from_qr(info, name=name)


def demo_pin_hint(demo: Any, dsk: str) -> str:
    """On the demo network, the PIN of the virtual device being added (it has no label to read)."""
    stick = getattr(demo, "stick", None)
    tail = dsk.split("-", 1)[-1]
    for node in [*getattr(stick, "waiting_nodes", ()), *getattr(stick, "nodes", {}).values()]:
        node_dsk = getattr(node, "dsk", None)
        if isinstance(node_dsk, str) and node_dsk.split("-", 1)[-1] == tail:
            return f" (demo network: the virtual device's PIN is {node.pin})"
    return ""
