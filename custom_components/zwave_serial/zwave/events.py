"""Events the driver emits to its subscribers (the integration, the CLI, tests).

Subscribe with ``Driver.subscribe(callback)``; callbacks are plain functions called on the
event loop with one of the dataclasses below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .security.keys import SecurityClass
from .values import ValueId


class NodeStatus(StrEnum):
    """Reachability of a node."""

    UNKNOWN = "unknown"
    ALIVE = "alive"
    ASLEEP = "asleep"
    DEAD = "dead"


class InterviewStage(StrEnum):
    """Where a node's interview is; the stages run in this order, ``COMPLETE`` last."""

    NODE_INFO = "node_info"
    SECURITY = "security"
    MANUFACTURER_SPECIFIC = "manufacturer_specific"
    VERSIONS = "versions"
    ZWAVE_PLUS = "zwave_plus"
    ENDPOINTS = "endpoints"
    LIFELINE = "lifeline"
    WAKE_UP = "wake_up"
    CC_STATES = "cc_states"
    CONFIG_PARAMS = "config_params"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class DriverEvent:
    """Base class of every event."""


@dataclass(frozen=True, slots=True)
class ConnectionLostEvent(DriverEvent):
    """The port was lost; the driver retries in the background."""

    reason: str


@dataclass(frozen=True, slots=True)
class ConnectedEvent(DriverEvent):
    """The port is open and the stick has answered start-up again (after a loss or a reset)."""


@dataclass(frozen=True, slots=True)
class DriverReadyEvent(DriverEvent):
    """Start-up finished: controller identity and node list are known."""


@dataclass(frozen=True, slots=True)
class NodeAddedEvent(DriverEvent):
    """A node joined (``included``: it was just added to the network) or was found at
    start-up; ``security_class``: the class granted when it was just included (None: not
    secure, or not known)."""

    node_id: int
    security_class: SecurityClass | None = None
    included: bool = False


@dataclass(frozen=True, slots=True)
class NodeRemovedEvent(DriverEvent):
    node_id: int


@dataclass(frozen=True, slots=True)
class InclusionStateEvent(DriverEvent):
    """Network management changed state (``InclusionState`` values: idle, including,
    excluding, bootstrapping, smart_start); ``node_id``: the device being bootstrapped."""

    state: str
    node_id: int | None = None


@dataclass(frozen=True, slots=True)
class NodeStatusEvent(DriverEvent):
    node_id: int
    status: NodeStatus


@dataclass(frozen=True, slots=True)
class NodeInterviewStageEvent(DriverEvent):
    node_id: int
    stage: InterviewStage


@dataclass(frozen=True, slots=True)
class NodeInterviewFailedEvent(DriverEvent):
    """The interview stopped at ``stage`` after ``attempts`` attempts; it is tried again
    when the node is next heard from (``will_retry``: another attempt is scheduled now)."""

    node_id: int
    stage: InterviewStage
    reason: str
    attempts: int
    will_retry: bool


@dataclass(frozen=True, slots=True)
class NodeReadyEvent(DriverEvent):
    """The node's interview completed (or it was restored from the cache)."""

    node_id: int


@dataclass(frozen=True, slots=True)
class NodeWakeUpEvent(DriverEvent):
    node_id: int


@dataclass(frozen=True, slots=True)
class ValueUpdatedEvent(DriverEvent):
    value_id: ValueId
    value: Any
    previous: Any = None


@dataclass(frozen=True, slots=True)
class NotificationEvent(DriverEvent):
    """A Notification (Alarm) CC report; ``parameters`` is JSON-serialisable.

    For Access Control keypad events the parameters carry ``user_id`` (never the code).
    ``solicited``: the report answered the hub's Notification Get (an interview or refresh reading
    the current state), not something that just happened.
    """

    node_id: int
    endpoint: int
    notification_type: int
    event: int
    type_label: str
    event_label: str
    parameters: dict[str, Any] = field(default_factory=dict)
    alarm_type: int | None = None
    alarm_level: int | None = None
    solicited: bool = False


@dataclass(frozen=True, slots=True)
class SupervisionStatusEvent(DriverEvent):
    """A node reported progress of a supervised command (WORKING, SUCCESS, FAIL)."""

    node_id: int
    endpoint: int
    cc: int
    status: str
    duration: float | None = None


@dataclass(frozen=True, slots=True)
class HealProgressEvent(DriverEvent):
    """A network heal moved on: ``node_id`` finished with ``status`` (``reason`` when it
    failed); ``progress``: every node's heal status (pending, done, failed, queued, skipped)."""

    progress: dict[int, str]
    node_id: int | None = None
    status: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class HealDoneEvent(DriverEvent):
    """A network heal ended (``cancelled``: stopped by ``Driver.stop_heal``); ``results``: node
    id -> status (sleeping nodes stay "queued" until they wake up); ``seconds``: how long it ran."""

    results: dict[int, str]
    cancelled: bool = False
    seconds: float = 0.0
