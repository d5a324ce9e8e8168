"""The stick itself: identity, capabilities, node list, SUC; and the start-up sequence.

Start-up (protocol-facts §1.6, trimmed to what this driver needs): Serial API capabilities →
init data (node list) → controller version → protocol version → controller capabilities →
TX status report → home ID / own node ID → SUC node (become SUC/SIS if wanted and none) →
application node info → protocol info of every node.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import CommandFailed, ControllerError, NotSupported
from ..serialapi import FunctionType, SetupCommand
from ..serialapi.engine import Priority

if TYPE_CHECKING:
    from ..node import Node
    from ..serialapi.engine import SerialApi

_LOGGER = logging.getLogger(__name__)

# Capability flags of GetControllerCapabilities (0x05)
CAP_SECONDARY = 0x01
CAP_ON_OTHER_NETWORK = 0x02
CAP_SIS_PRESENT = 0x04
CAP_REAL_PRIMARY = 0x08
CAP_SUC = 0x10

# What the hub tells the network it supports (SetApplicationNodeInformation).
HUB_GENERIC = 0x02  # static controller
HUB_SPECIFIC = 0x01  # PC controller
HUB_CCS = [0x5E, 0x6C, 0x8F, 0x8A, 0x86, 0x72]


@dataclass
class Controller:
    """The stick's identity and what it can do (see docs/driver-api.md)."""

    home_id: int = 0
    own_node_id: int = 1
    library_version: str = ""
    library_type: int = 0
    firmware_version: str = ""
    sdk_version: str | None = None
    protocol_version: str | None = None
    manufacturer_id: int = 0
    product_type: int = 0
    product_id: int = 0
    chip_type: str | None = None
    api_version: int = 0
    capabilities: int = 0
    suc_node_id: int | None = None
    supported_functions: set[int] = field(default_factory=set)
    nodes: dict[int, Node] = field(default_factory=dict)

    @property
    def is_primary(self) -> bool:
        return not self.capabilities & CAP_SECONDARY

    @property
    def is_suc(self) -> bool:
        return self.suc_node_id == self.own_node_id

    @property
    def is_sis(self) -> bool:
        return bool(self.capabilities & CAP_SIS_PRESENT) and self.is_suc

    def supports_function(self, function: int) -> bool:
        # Before capabilities are known, assume yes.
        return not self.supported_functions or function in self.supported_functions

    def as_dict(self) -> dict[str, Any]:
        return {
            "home_id": f"{self.home_id:08x}",
            "own_node_id": self.own_node_id,
            "library_version": self.library_version,
            "library_type": self.library_type,
            "firmware_version": self.firmware_version,
            "sdk_version": self.sdk_version,
            "protocol_version": self.protocol_version,
            "manufacturer_id": f"0x{self.manufacturer_id:04x}",
            "product_type": f"0x{self.product_type:04x}",
            "product_id": f"0x{self.product_id:04x}",
            "chip_type": self.chip_type,
            "api_version": self.api_version,
            "is_primary": self.is_primary,
            "is_suc": self.is_suc,
            "suc_node_id": self.suc_node_id,
        }


_CHIPS = {
    (0x01, 0x02): "ZW0102",
    (0x02, 0x01): "ZW0201",
    (0x03, 0x01): "ZW0301",
    (0x04, 0x01): "ZM0401",
    (0x05, 0x00): "ZW050x",
    (0x07, 0x00): "EFR32ZG14/ZGM130S",
    (0x08, 0x00): "EFR32ZG23/ZGM230S",
}


class StartupHost(Protocol):
    """What start-up needs from the driver."""

    api: SerialApi | None
    controller: Controller
    options: Any  # DriverOptions: controller_is_suc


async def run_startup(driver: StartupHost, *, read_only: bool = False, first: bool = True) -> list[int]:
    """Query the stick; return the ids of the nodes in its node list (own node included).

    ``first``: the first start-up of this driver (the controller's identity is logged at INFO
    then, at DEBUG after a reconnect or a reset).

    ``read_only`` (the config flow's probe) reads the stick's identity and node list and
    changes nothing on it: no SUC change, no TX status reports, no node information set.
    """
    api = driver.api
    assert api is not None
    ctrl = driver.controller
    prio = Priority.CONTROLLER

    caps = (await api.call(FunctionType.GET_SERIAL_API_CAPABILITIES, priority=prio)).response
    ctrl.firmware_version = caps.firmware_version
    ctrl.manufacturer_id = caps.manufacturer_id
    ctrl.product_type = caps.product_type
    ctrl.product_id = caps.product_id
    ctrl.supported_functions = set(caps.supported_functions)

    init = (await api.call(FunctionType.GET_SERIAL_API_INIT_DATA, priority=prio)).response
    ctrl.api_version = init.api_version
    if init.chip_type is not None:
        chip = (init.chip_type, init.chip_version or 0)
        ctrl.chip_type = _CHIPS.get(chip, f"{chip[0]:02x}{chip[1]:02x}")
    node_ids = list(init.node_ids)

    version = (await api.call(FunctionType.GET_CONTROLLER_VERSION, priority=prio)).response
    ctrl.library_version = version.library_version
    ctrl.library_type = version.library_type

    if ctrl.supports_function(FunctionType.GET_PROTOCOL_VERSION):
        try:
            proto = (await api.call(FunctionType.GET_PROTOCOL_VERSION, priority=prio)).response
            ctrl.protocol_version = proto.version
            if int(proto.version.split(".")[0] or 0) >= 7:
                ctrl.sdk_version = ctrl.protocol_version
        except (ControllerError, NotSupported) as err:
            _LOGGER.debug("GetProtocolVersion failed: %s", err)

    ctrl.capabilities = (await api.call(FunctionType.GET_CONTROLLER_CAPABILITIES, priority=prio)).response.raw

    if not read_only and ctrl.supports_function(FunctionType.SERIAL_API_SETUP):
        try:
            # Enable the extended TX status report in SendData callbacks.
            await api.call(
                FunctionType.SERIAL_API_SETUP, subcommand=SetupCommand.SET_TX_STATUS_REPORT, args=b"\xff", priority=prio
            )
        except ControllerError as err:
            _LOGGER.debug("Enabling TX status reports failed: %s", err)

    ident = (await api.call(FunctionType.GET_CONTROLLER_ID, priority=prio)).response
    ctrl.home_id = ident.home_id
    ctrl.own_node_id = ident.own_node_id

    suc = (await api.call(FunctionType.GET_SUC_NODE_ID, priority=prio)).response
    ctrl.suc_node_id = suc or None
    if (
        not read_only
        and driver.options.controller_is_suc
        and ctrl.suc_node_id is None
        and ctrl.is_primary
        and ctrl.supports_function(FunctionType.SET_SUC_NODE_ID)
    ):
        try:
            await api.call(
                FunctionType.SET_SUC_NODE_ID,
                node_id=ctrl.own_node_id,
                enable_suc=True,
                enable_sis=True,
                priority=prio,
            )
            ctrl.suc_node_id = ctrl.own_node_id
            _LOGGER.info("The controller is now the network's SUC/SIS")
        except (ControllerError, CommandFailed) as err:
            _LOGGER.warning("Could not make the controller SUC: %s", err)

    if not read_only and ctrl.supports_function(FunctionType.SET_APPLICATION_NODE_INFORMATION):
        try:
            await api.call(
                FunctionType.SET_APPLICATION_NODE_INFORMATION,
                listening=True,
                generic=HUB_GENERIC,
                specific=HUB_SPECIFIC,
                ccs=HUB_CCS,
                priority=prio,
            )
        except ControllerError as err:
            _LOGGER.debug("SetApplicationNodeInformation failed: %s", err)

    _LOGGER.log(
        logging.INFO if first else logging.DEBUG,
        "Controller %s: home ID %08x, node %s, %s, %d nodes",
        ctrl.chip_type,
        ctrl.home_id,
        ctrl.own_node_id,
        ctrl.library_version,
        len(node_ids),
    )
    return node_ids
