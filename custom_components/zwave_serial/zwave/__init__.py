"""Embedded Z-Wave Serial API driver (no Home Assistant imports; relative imports only).

The public API (docs/driver-api.md) is exported lazily, so importing one submodule (e.g.
``zwave.frame``) does not load the whole driver.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    # driver, controller, nodes
    "Driver": "driver",
    "DriverOptions": "driver",
    "SecurityClass": "security.keys",
    "NetworkKeys": "security.keys",
    "InvalidNetworkKey": "errors",
    "Controller": "network.controller",
    "Node": "node",
    "SetValueResult": "node",
    "SetValueStatus": "node",
    "InterviewStage": "events",
    "NodeInterviewFailedEvent": "events",
    "JobRefused": "errors",
    # network management: adding / removing devices, SmartStart (network/inclusion_types.py)
    "InclusionState": "network.inclusion_types",
    "InclusionStrategy": "network.inclusion_types",
    "NodeNotFailed": "network.failed",
    "FailedNodeError": "network.failed",
    "InclusionGrant": "network.inclusion_types",
    "InclusionUserCallbacks": "network.inclusion_types",
    "InclusionResult": "network.inclusion_types",
    "ExclusionResult": "network.inclusion_types",
    "BootstrapFailure": "network.inclusion_types",
    "InclusionError": "network.inclusion_types",
    "InclusionBusy": "network.inclusion_types",
    "InclusionTimeout": "network.inclusion_types",
    "InclusionFailed": "network.inclusion_types",
    "ExclusionTimeout": "network.inclusion_types",
    "InclusionStateEvent": "events",
    "ProvisioningEntry": "network.provisioning",
    "ProvisioningList": "network.provisioning",
    "ProvisioningStatus": "network.provisioning",
    "QRProvisioningInformation": "security.qr",
    "InvalidQRCode": "security.qr",
    "parse_qr_code": "security.qr",
    "InvalidDSK": "security.keys",
    "parse_pin": "security.keys",
    # values and command classes
    "ValueId": "values",
    "StoredValue": "values",
    "ValueUpdate": "values",
    "CommandClass": "cc.ids",
    "ConfigParameter": "configparams",
    # value names the CCs declare (platforms and discovery use these, not strings)
    "SwitchValue": "cc.primitives",
    "DoorLockValue": "cc.door_lock",
    "UserCodeValue": "cc.user_code",
    "MeterValue": "cc.meter",
    "BatteryValue": "cc.battery",
    "SensorBinaryValue": "cc.sensor_binary",
    "CentralSceneKey": "cc.central_scene",
    "CentralSceneValue": "cc.central_scene",
    "SceneActivationValue": "cc.scene_activation",
    "ColorSwitchValue": "cc.switch_color",
    "ColorComponent": "cc.switch_color",
    "SoundSwitchValue": "cc.sound_switch",
    # cache
    "CacheStore": "store",
    "JsonFileCache": "store",
    "MemoryCache": "store",
    # events
    "NodeStatus": "events",
    "DriverEvent": "events",
    "ConnectedEvent": "events",
    "ConnectionLostEvent": "events",
    "DriverReadyEvent": "events",
    "NodeAddedEvent": "events",
    "NodeRemovedEvent": "events",
    "NodeStatusEvent": "events",
    "NodeReadyEvent": "events",
    "NodeWakeUpEvent": "events",
    "NodeInterviewStageEvent": "events",
    "ValueUpdatedEvent": "events",
    "NotificationEvent": "events",
    "SupervisionStatusEvent": "events",
    "HealProgressEvent": "events",
    "HealDoneEvent": "events",
    # scenes (zwave/scene_events.py)
    "CentralSceneEvent": "scene_events",
    "SceneActivationEvent": "scene_events",
    # errors
    "ZWaveError": "errors",
    "DuplicateUserCode": "errors",
    # lock user codes (zwave/locks.py)
    "LockCodes": "locks",
    "CodeSlot": "locks",
    # lock schedules (zwave/lock_schedules.py, lock_schedule_model.py)
    "LockSchedules": "lock_schedules",
    "LockSchedule": "lock_schedule_model",
    "ScheduleSlotEmpty": "lock_schedules",
    "InvalidLockSchedule": "lock_schedule_model",
    "LockScheduleFull": "lock_schedule_model",
    "LockScheduleUnsupported": "lock_schedule_model",
    "TransportError": "errors",
    "PortNotFound": "errors",
    "PortInUse": "errors",
    "InvalidPortUrl": "errors",
    "PortTypeUnsupported": "errors",
    "ConnectionLost": "errors",
    "NotAZWaveStick": "errors",
    "DriverNotReady": "errors",
    "DriverStopped": "errors",
    "StickRestarted": "errors",
    "FrameNotAcknowledged": "errors",
    "NodeError": "errors",
    "NodeNotFound": "errors",
    "NodeNoAck": "errors",
    "NodeTimeout": "errors",
    "NodeDead": "errors",
    "CCEncodeError": "errors",
    "CCDecodeError": "errors",
    "SupervisionFailed": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
