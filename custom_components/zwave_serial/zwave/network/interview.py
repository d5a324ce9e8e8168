"""Node interview: a list of stages run in order, resumable (a sleeping node continues on wake-up).

Stages: node info (NIF) → security (granted class, secure CCs) → Manufacturer Specific → Version (CC versions) → Z-Wave Plus Info →
Multi Channel endpoints → lifeline association → Wake Up (battery devices) → current state of
every supported CC → configuration parameters (the device's own description, v3+, and the
device database's; then their values) → complete.  Results are cached; a node whose interview
completed is not interviewed again after a restart.

Like Z-Wave JS's interview attempts, a stage that fails is retried (``interview_attempts``
per node, with back-off), resuming at that stage.  A node that still fails ends in a
visible state (``Node.interview_failed``: the stage, and a NodeInterviewFailedEvent) and is
tried again when it is next heard from.  A sleeping node that falls asleep mid-interview
continues at its next wake-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from ..cc import CommandClass, cc_info
from ..errors import DriverNotReady, DriverStopped, NodeError, ZWaveError
from ..events import (
    InterviewStage,
    NodeInterviewFailedEvent,
    NodeInterviewStageEvent,
    NodeReadyEvent,
    NodeStatus,
)
from ..messaging import NodeMessenger
from ..node import Node
from .secure_interview import security_stage

_LOGGER = logging.getLogger(__name__)

# CCs handled by their own stage (not by the per-CC interview hooks).
_STAGE_CCS = {
    CommandClass.MANUFACTURER_SPECIFIC,
    CommandClass.VERSION,
    CommandClass.ZWAVEPLUS_INFO,
    CommandClass.MULTI_CHANNEL,
    CommandClass.ASSOCIATION,
    CommandClass.MULTI_CHANNEL_ASSOCIATION,
    CommandClass.WAKE_UP,
    CommandClass.SUPERVISION,
    CommandClass.MULTI_CMD,
    CommandClass.SECURITY,
    CommandClass.SECURITY_2,
    CommandClass.TIME,
    CommandClass.USER_CODE,
    CommandClass.CONFIGURATION,
}

LIFELINE_GROUP = 1


class InterviewHost(Protocol):
    """What the interview needs from the driver."""

    messenger: NodeMessenger
    security: Any  # SecurityManager
    options: Any  # DriverOptions: default_wake_up_interval, interview_attempts, interview_backoff

    @property
    def own_node_id(self) -> int: ...

    def emit(self, event: Any) -> None: ...

    def schedule_cache_save(self, *, immediate: bool = False) -> None: ...


Stage = Callable[[InterviewHost, Node], Awaitable[None]]


async def _node_info(driver: InterviewHost, node: Node) -> None:
    info = await driver.messenger.request_node_info(node)
    ccs = {cc: node.cc_version(cc) if node.supports(cc) else 1 for cc in info.supported_ccs}
    node.set_command_classes(0, ccs)
    node.controlled_ccs = list(info.controlled_ccs)


async def _manufacturer(driver: InterviewHost, node: Node) -> None:
    if node.supports(CommandClass.MANUFACTURER_SPECIFIC):
        await _run_cc(driver, node, CommandClass.MANUFACTURER_SPECIFIC, 0)
        node.manufacturer_id = node.get_value(CommandClass.MANUFACTURER_SPECIFIC, "manufacturer_id")
        node.product_type = node.get_value(CommandClass.MANUFACTURER_SPECIFIC, "product_type")
        node.product_id = node.get_value(CommandClass.MANUFACTURER_SPECIFIC, "product_id")


async def _versions(driver: InterviewHost, node: Node) -> None:
    if not node.supports(CommandClass.VERSION):
        return
    await _run_cc(driver, node, CommandClass.VERSION, 0)
    firmware = node.get_value(CommandClass.VERSION, "firmware_version")
    if firmware is not None:
        node.firmware_version = str(firmware)
    from ..cc.version import VersionCommandClassGet  # local: CC module

    for cc in sorted(node.command_classes(0)):
        try:
            report = await node.get(VersionCommandClassGet(cc))
        except NodeError as err:
            if node.status is NodeStatus.DEAD or NodeMessenger.asleep(node):
                raise
            _LOGGER.debug("Node %s: no version for CC 0x%02X (%s)", node.node_id, cc, err)
            continue
        version = getattr(report, "version", 0) or 0
        node.set_cc_version(cc, max(int(version), 1) if version else 1)


async def _zwave_plus(driver: InterviewHost, node: Node) -> None:
    if node.supports(CommandClass.ZWAVEPLUS_INFO):
        node.zwave_plus = True
        await _run_cc(driver, node, CommandClass.ZWAVEPLUS_INFO, 0)


async def _endpoints(driver: InterviewHost, node: Node) -> None:
    if not node.supports(CommandClass.MULTI_CHANNEL):
        return
    from ..cc.multi_channel import MultiChannelCapabilityGet, MultiChannelEndPointGet

    report = await node.get(MultiChannelEndPointGet())
    count = int(getattr(report, "individual_count", 0) or 0) + int(getattr(report, "aggregated_count", 0) or 0)
    for ep in range(1, count + 1):
        cap = await node.get(MultiChannelCapabilityGet(ep))
        supported = list(getattr(cap, "supported_ccs", []) or [])
        # Endpoint CC versions follow the root device's (Version CC is per node).
        node.set_command_classes(ep, {cc: node.cc_version(cc) for cc in supported})


async def _lifeline(driver: InterviewHost, node: Node) -> None:
    own = driver.own_node_id
    if node.supports(CommandClass.ASSOCIATION):
        from ..cc.association import AssociationGet, AssociationSet

        try:
            report = await node.get(AssociationGet(LIFELINE_GROUP))
            nodes = list(getattr(report, "node_ids", []) or [])
        except NodeError:
            nodes = []
        if own not in nodes:
            await driver.messenger.send_set(node, AssociationSet(LIFELINE_GROUP, [own]), supervise=False)
            try:
                await node.get(AssociationGet(LIFELINE_GROUP))
            except NodeError as err:
                _LOGGER.debug("Node %s: lifeline not confirmed (%s)", node.node_id, err)


async def _wake_up(driver: InterviewHost, node: Node) -> None:
    if not node.supports(CommandClass.WAKE_UP):
        return
    from ..cc.wake_up import WakeUpIntervalGet, WakeUpIntervalSet

    own = driver.own_node_id
    report = await node.get(WakeUpIntervalGet())
    interval = getattr(report, "seconds", None)
    target = getattr(report, "node_id", None)
    wanted = driver.options.default_wake_up_interval or interval
    if target != own or (wanted and interval != wanted):
        await driver.messenger.send_set(node, WakeUpIntervalSet(int(wanted or 3600), own), supervise=False)
        await node.get(WakeUpIntervalGet())


async def _cc_states(driver: InterviewHost, node: Node) -> None:
    for ep in node.endpoints:
        ccs = node.command_classes(ep)
        ordered = sorted(
            (info.interview_order, cc)
            for cc in ccs
            if cc not in _STAGE_CCS and (info := cc_info(cc)) is not None and info.interview is not None
        )
        for _order, cc in ordered:
            if ep > 0 and cc == CommandClass.BASIC:
                continue
            await _run_cc(driver, node, cc, ep)
    # User Code: read only how many users the lock has (codes are read on demand).
    if node.supports(CommandClass.USER_CODE):
        await _run_cc(driver, node, CommandClass.USER_CODE, 0)
    # CCs the node only controls, whose commands become events (Scene Activation of a remote).
    for cc in node.controlled_ccs:
        info = cc_info(cc)
        if info is not None and info.interview_controlled is not None and not node.supports(cc):
            await info.interview_controlled(driver.messenger.cc_context(node, 0, cc))


async def _config_params(driver: InterviewHost, node: Node) -> None:
    """Parameter descriptions from the device database, then the CC's walk and values."""
    from ..configparams import load_database_parameters

    for ep in node.endpoints:
        if node.supports(CommandClass.CONFIGURATION, ep):
            await load_database_parameters(node, ep)
            await _run_cc(driver, node, CommandClass.CONFIGURATION, ep)


async def _run_cc(driver: InterviewHost, node: Node, cc: int, endpoint: int) -> None:
    info = cc_info(cc)
    if info is None or info.interview is None:
        return
    try:
        await info.interview(driver.messenger.cc_context(node, endpoint, cc))
    except NodeError as err:
        if node.is_sleeping_device and node.status is NodeStatus.ASLEEP:
            raise
        if node.status is NodeStatus.DEAD:
            raise
        _LOGGER.debug("Node %s: interview of %s (endpoint %s) incomplete: %s", node.node_id, info.name, endpoint, err)


STAGES: list[tuple[InterviewStage, Stage]] = [
    (InterviewStage.NODE_INFO, _node_info),
    (InterviewStage.SECURITY, security_stage),
    (InterviewStage.MANUFACTURER_SPECIFIC, _manufacturer),
    (InterviewStage.VERSIONS, _versions),
    (InterviewStage.ZWAVE_PLUS, _zwave_plus),
    (InterviewStage.ENDPOINTS, _endpoints),
    (InterviewStage.LIFELINE, _lifeline),
    (InterviewStage.WAKE_UP, _wake_up),
    (InterviewStage.CC_STATES, _cc_states),
    (InterviewStage.CONFIG_PARAMS, _config_params),
]
_STAGE_NAMES = [name for name, _ in STAGES]


async def _run_stages(driver: InterviewHost, node: Node) -> None:
    start = _STAGE_NAMES.index(node.interview_stage) if node.interview_stage in _STAGE_NAMES else 0
    for name, stage in STAGES[start:]:
        node.interview_stage = name
        driver.emit(NodeInterviewStageEvent(node.node_id, name))
        await stage(driver, node)


async def interview(driver: InterviewHost, node: Node) -> bool:
    """Run the remaining stages of the node's interview, with retries. True when it completed.

    Returns False when a sleeping node fell asleep (it continues at its next wake-up) or
    when every attempt failed (``node.interview_failed`` says where).
    """
    if node.ready:
        return True
    attempts = max(1, int(driver.options.interview_attempts))
    for attempt in range(1, attempts + 1):
        try:
            await _run_stages(driver, node)
        except (DriverStopped, DriverNotReady):
            raise
        except ZWaveError as err:
            stage = InterviewStage(node.interview_stage or InterviewStage.NODE_INFO)
            if NodeMessenger.asleep(node):
                _LOGGER.info("Interview of node %s paused at %s (asleep): %s", node.node_id, stage, err)
                return False
            will_retry = attempt < attempts
            _LOGGER.info(
                "Interview of node %s failed at %s (attempt %d/%d): %s",
                node.node_id, stage, attempt, attempts, err,
            )
            node.interview_failed = stage
            driver.emit(NodeInterviewFailedEvent(node.node_id, stage, str(err), attempt, will_retry))
            if not will_retry:
                driver.schedule_cache_save()
                return False
            await asyncio.sleep(float(driver.options.interview_backoff) * attempt)
            continue
        break
    node.interview_failed = None
    node.interview_stage = InterviewStage.COMPLETE
    driver.emit(NodeInterviewStageEvent(node.node_id, InterviewStage.COMPLETE))
    driver.emit(NodeReadyEvent(node.node_id))
    driver.schedule_cache_save(immediate=True)
    _LOGGER.info("Node %s interview complete", node.node_id)
    return True
