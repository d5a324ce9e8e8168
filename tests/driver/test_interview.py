"""Interviews finish: failed stages are retried with back-off, resuming where they failed; a
node that keeps failing ends in a visible state and is tried again when next heard from."""

from __future__ import annotations

from custom_components.zwave_serial.zwave import Driver, DriverEvent
from custom_components.zwave_serial.zwave.events import (
    InterviewStage,
    NodeInterviewFailedEvent,
    NodeInterviewStageEvent,
)
from custom_components.zwave_serial.zwave.sim.demo import DemoStick

from .conftest import fast_options, wait_for


async def test_failed_stage_is_retried_and_the_interview_completes(demo: DemoStick) -> None:
    """Node 2 ACKs the node-info request but stays silent the first time (real firmware then
    sends nothing): the interview retries that stage and completes."""
    demo.stick.node(2).nif_silent = True
    events: list[DriverEvent] = []

    def on_event(event: DriverEvent) -> None:
        events.append(event)
        if isinstance(event, NodeInterviewFailedEvent) and event.node_id == 2:
            demo.stick.node(2).nif_silent = False

    driver = Driver(demo.port, options=fast_options(node_info_timeout=0.3))
    driver.subscribe(on_event)
    await driver.start()
    try:
        await driver.wait_for_nodes_ready(timeout=30)
        node = driver.nodes[2]
        assert node.ready and node.interview_failed is None
        failures = [e for e in events if isinstance(e, NodeInterviewFailedEvent)]
        assert [(e.node_id, e.stage, e.attempts, e.will_retry) for e in failures] == [
            (2, InterviewStage.NODE_INFO, 1, True)
        ]
        # The second attempt resumed at the failed stage (node info asked twice, nothing skipped).
        stages = [e.stage for e in events if isinstance(e, NodeInterviewStageEvent) and e.node_id == 2]
        assert stages.count(InterviewStage.NODE_INFO) == 2 and stages[-1] == InterviewStage.COMPLETE
    finally:
        await driver.stop()


async def test_node_that_keeps_failing_is_visible_and_retried_when_heard_from(demo: DemoStick) -> None:
    demo.stick.node(2).nif_silent = True
    events: list[DriverEvent] = []
    driver = Driver(demo.port, options=fast_options(node_info_timeout=0.2, interview_attempts=2))
    driver.subscribe(events.append)
    await driver.start()
    try:
        await driver.wait_for_nodes_ready(timeout=30)  # returns: a failed node is not "pending"
        node = driver.nodes[2]
        assert not node.ready and node.interview_failed is InterviewStage.NODE_INFO
        failures = [e for e in events if isinstance(e, NodeInterviewFailedEvent) and e.node_id == 2]
        assert [(e.attempts, e.will_retry) for e in failures] == [(1, True), (2, False)]
        assert all(n.ready for i, n in driver.nodes.items() if i != 2 and not n.is_sleeping_device)

        # The node is heard from (a local button press): the interview runs again and completes.
        demo.stick.node(2).nif_silent = False
        demo.stick.node(2).press()
        await wait_for(lambda: node.ready, timeout=15, what="node 2 interviewed after it was heard from")
        assert node.interview_failed is None
    finally:
        await driver.stop()
