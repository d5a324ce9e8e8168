"""Repair issues for devices that have been unreachable (dead) for more than a day.

One issue per node (``dead_node_<entry>_<node>``), fixable (``repairs.py``: remove the node
from the network, or ping it).  Checked when a node's status changes, every hour, and at
start-up; the dead-since time is the driver's ``Node.dead_since``, kept in the network cache,
so a restart does not reset the day.  The issue goes when the node answers again or leaves.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_utc_time_change
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .zwave import NodeRemovedEvent, NodeStatus, NodeStatusEvent

if TYPE_CHECKING:
    from .coordinator import ZWaveCoordinator

ISSUE_DEAD_NODE = "dead_node"
DEAD_ISSUE_AFTER = timedelta(days=1)


def dead_issue_id(entry_id: str, node_id: int) -> str:
    """The repair issue id of a dead node of a network."""
    return f"{ISSUE_DEAD_NODE}_{entry_id}_{node_id}"


class DeadNodeIssues:
    """Keeps the dead-node repair issues of one network in step with its nodes."""

    def __init__(self, coordinator: ZWaveCoordinator) -> None:
        self.coordinator = coordinator
        self.hass: HomeAssistant = coordinator.hass
        self._open: set[int] = set()

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Check now, on every status change and every hour; returns the stop function."""
        unsubs = [
            self.coordinator.driver.subscribe(self._on_event),
            # every hour, on the hour (the tracker passes the time it fires for)
            async_track_utc_time_change(self.hass, self._on_timer, minute=0, second=0),
        ]
        self._adopt_existing()
        self.async_check()

        @callback
        def stop() -> None:
            while unsubs:
                unsubs.pop()()

        return stop

    @callback
    def _adopt_existing(self) -> None:
        """Issues left from before a restart: ours to update or delete."""
        prefix = f"{ISSUE_DEAD_NODE}_{self.coordinator.entry_id}_"
        for domain, issue_id in list(ir.async_get(self.hass).issues):
            if domain == DOMAIN and issue_id.startswith(prefix) and issue_id[len(prefix) :].isdigit():
                self._open.add(int(issue_id[len(prefix) :]))

    @callback
    def _on_event(self, event: Any) -> None:
        if isinstance(event, NodeStatusEvent | NodeRemovedEvent):
            self.async_check()

    @callback
    def _on_timer(self, now: datetime) -> None:
        self.async_check(now)

    @callback
    def async_check(self, now: datetime | None = None) -> None:
        """Create the issues of nodes dead for more than a day; delete the others."""
        now = now or dt_util.utcnow()
        driver = self.coordinator.driver
        long_dead: dict[int, float] = {
            node.node_id: node.dead_since
            for node in driver.nodes.values()
            if node.status is NodeStatus.DEAD
            and node.dead_since is not None
            and now.timestamp() - node.dead_since >= DEAD_ISSUE_AFTER.total_seconds()
        }
        for node_id in self._open - set(long_dead):
            node = driver.nodes.get(node_id)
            if node is not None and node.status is NodeStatus.DEAD and node.dead_since is not None:
                continue  # dead, and its day is not over (e.g. the clock went back): keep it
            ir.async_delete_issue(self.hass, DOMAIN, dead_issue_id(self.coordinator.entry_id, node_id))
            self._open.discard(node_id)
        for node_id, since in long_dead.items():
            self._create(node_id, since)

    @callback
    def _create(self, node_id: int, since: float) -> None:
        device = self.coordinator.device_for_node(node_id)
        name = (device.name_by_user or device.name) if device is not None else None
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            dead_issue_id(self.coordinator.entry_id, node_id),
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_DEAD_NODE,
            translation_placeholders={
                "name": name or f"Node {node_id}",
                "node_id": str(node_id),
                "since": dt_util.as_local(datetime.fromtimestamp(since, UTC)).strftime("%Y-%m-%d %H:%M"),
            },
            data={"entry_id": self.coordinator.entry_id, "node_id": node_id},
        )
        self._open.add(node_id)


@callback
def async_track_dead_nodes(coordinator: ZWaveCoordinator) -> CALLBACK_TYPE:
    """Start the dead-node repair issues of a network; returns the stop function."""
    return DeadNodeIssues(coordinator).async_start()


@callback
def async_delete_dead_node_issues(hass: HomeAssistant, entry_id: str) -> None:
    """The network's entry was deleted: its dead-node issues go with it."""
    prefix = f"{ISSUE_DEAD_NODE}_{entry_id}_"
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
