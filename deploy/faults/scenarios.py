"""Fault scenarios on the whole cluster shape in network namespaces, under a workload.

:func:`run_schedule` starts a :class:`~deploy.faults.stack.FaultStack` (3 nats nodes,
2 replicas of profiles, matcher and notifier, PostgreSQL, the SMTP sink), registers
the members, then runs each fault of the schedule in turn (:func:`run_fault`):

1. members keep editing their profiles (all along, until 2 s after the fault ends);
2. HR imports new members from a CSV file;
3. a groups round is computed and published: its announcements start;
4. the fault is injected, a mentoring round is asked for while it lasts, then the
   fault is ended;
5. the time to recover runs from the fault's end until the matcher's projection has
   every acknowledged write, the consumers have nothing pending, every announcement
   of the groups round is sent and the mentoring round is computed;
6. the checker (:func:`deploy.faults.history.check`, :mod:`deploy.faults.announcements`)
   counts lost, duplicated, stale and stuck items.

Used by ``tests/faults`` (the short schedule, one stack) and ``deploy/faults/run.py``
(the long schedule: a fresh stack per run).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy.faults import announcements
from deploy.faults.history import (
    CONSUMERS,
    History,
    Verdict,
    check,
    consumer_backlog,
    consumer_leaders,
    edit_until,
    register,
    retried,
)
from deploy.faults.stack import FaultStack
from deploy.faults.workload import (
    SETTLED,
    Replicas,
    create_round,
    import_members,
    publish,
    round_state,
    wait_state,
)
from deploy.local.cluster import ClusterNode, NatsCluster, stream_leader
from shared.auth import mint_token
from shared.nats_access import OPERATOR
from shared.settings import Settings
from shared.subjects import STREAM_MEMBERS

#: A fault: injects itself into the stack; names what it hit and how to end it.
Fault = Callable[[FaultStack], Awaitable[tuple[str, Callable[[], None]]]]
IMPORTED = 20


@dataclass
class Outcome:
    fault: str
    verdict: Verdict
    recovered_s: float
    #: what the fault hit (a node's name, a replica, postgresql, smtp)
    target: str = ""
    #: per durable consumer of :data:`CONSUMERS`: whether the node hit led it
    led: dict[str, bool] = field(default_factory=dict)
    #: why the run could not be completed (the checker could not read, a round never came)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.verdict.ok


def nodes(stack: FaultStack) -> NatsCluster:
    assert stack.cluster is not None
    return stack.cluster


async def leader(stack: FaultStack) -> ClusterNode:
    cluster = nodes(stack)
    urls = cluster.url_for(OPERATOR)
    return cluster.node(await retried(lambda: stream_leader(urls, STREAM_MEMBERS)))


async def follower(stack: FaultStack) -> ClusterNode:
    lead = await leader(stack)
    return next(n for n in nodes(stack).nodes if n is not lead)


async def kill_leader(stack: FaultStack) -> tuple[str, Callable[[], None]]:
    node = await leader(stack)
    nodes(stack).kill(node)
    return node.name, lambda: nodes(stack).start_node(node)


async def kill_follower(stack: FaultStack) -> tuple[str, Callable[[], None]]:
    node = await follower(stack)
    nodes(stack).kill(node)
    return node.name, lambda: nodes(stack).start_node(node)


async def partition(stack: FaultStack, node: ClusterNode) -> tuple[str, Callable[[], None]]:
    assert stack.net is not None
    stack.net.partition(node.netns)
    return node.name, stack.net.heal


async def partition_follower(stack: FaultStack) -> tuple[str, Callable[[], None]]:
    return await partition(stack, await follower(stack))


async def partition_leader(stack: FaultStack) -> tuple[str, Callable[[], None]]:
    return await partition(stack, await leader(stack))


async def pause_node(stack: FaultStack) -> tuple[str, Callable[[], None]]:
    node = await leader(stack)
    nodes(stack).pause(node)
    return node.name, lambda: nodes(stack).resume(node)


def kill_replica(key: str) -> Fault:
    """kill -9 one replica; the other carries on (shared durable consumers)."""

    async def fault(stack: FaultStack) -> tuple[str, Callable[[], None]]:
        stack.kill(key)
        return key, lambda: stack.restart(key)

    return fault


async def postgres_down(stack: FaultStack) -> tuple[str, Callable[[], None]]:
    postgres = stack.postgres
    assert postgres is not None
    postgres.stop()

    def start() -> None:
        postgres.start()  # the same data folder: started again as it was

    return "postgresql", start


async def smtp_down(stack: FaultStack) -> tuple[str, Callable[[], None]]:
    sink = stack.sink
    assert sink is not None
    sink.stop()

    def start() -> None:
        sink.start()  # the same port: the notifier's retries reach it again

    return "smtp", start


FAULTS: dict[str, Fault] = {
    "kill -9 stream leader, restart": kill_leader,
    "kill -9 follower, restart": kill_follower,
    "partition a follower": partition_follower,
    "partition the leader": partition_leader,
    "SIGSTOP/SIGCONT the leader": pause_node,
    # replica 2 of profiles: every replica calls profiles replica 1 (see deploy.faults.stack)
    "kill -9 a profiles replica, restart": kill_replica("profiles/2"),
    "kill -9 a matcher replica, restart": kill_replica("matcher/1"),
    "kill -9 a notifier replica, restart": kill_replica("notifier/1"),
    "PostgreSQL down, restarted": postgres_down,
    "SMTP down": smtp_down,
}


def settings_for(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"env": "test", "data_dir": data_dir, "stream_replicas": 3}
    return Settings(**{**values, **overrides})


@dataclass
class Workload:
    """The stack's clients and the members registered once for the whole schedule."""

    stack: FaultStack
    hr: dict[str, str]
    profiles: Replicas
    matcher: Replicas
    notifier: Replicas
    ids: list[str] = field(default_factory=list)
    #: the step of :func:`run_fault` under way (named when a run exceeds its budget)
    step: str = ""

    @classmethod
    def on(cls, stack: FaultStack) -> Workload:
        token = mint_token(stack.settings, "hr-faults", ("coordinator",))

        def replicas(service: str) -> Replicas:
            return Replicas.of([stack.url(k) for k in stack.keys if k.startswith(service + "/")])

        hr = {"Authorization": f"Bearer {token}"}
        return cls(stack, hr, replicas("profiles"), replicas("matcher"), replicas("notifier"))

    @property
    def operator(self) -> list[str]:
        return nodes(self.stack).url_for(OPERATOR)

    def member_headers(self, member_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_token(self.stack.settings, member_id)}"}

    async def projected(self, member_id: str) -> int:
        r = await self.matcher.until_ok("GET", f"/members/{member_id}", 60, headers=self.hr)
        return int(r["version"])

    async def close(self) -> None:
        for client in (self.profiles, self.matcher, self.notifier):
            await client.aclose()


async def recovered(w: Workload, history: History, told: list[Any], rounds: list[str]) -> bool:
    """Whether everything acknowledged has arrived everywhere (see the module, step 5)."""
    for m, versions in history.acked.items():
        if await w.projected(m) < max(versions):
            return False
    for name in CONSUMERS:
        if await consumer_backlog(w.operator, name):
            return False
    for rid in rounds:
        if await round_state(w.matcher, w.hr, rid) not in SETTLED:
            return False
    return await announcements.settled(w.notifier, w.hr, rounds[0], told)


async def run_fault(
    w: Workload, name: str, fault_s: float, settle_s: float, history: History, tag: str
) -> Outcome:
    """One fault under the workload (see the module); its outcome."""
    stop = asyncio.Event()
    editing = asyncio.create_task(edit_until(w.profiles, w.hr, history, w.ids, stop.is_set))
    mentoring: asyncio.Task[str] | None = None
    try:
        w.step = "HR import"
        await import_members(w.profiles, w.hr, history, IMPORTED, tag)
        w.step = "groups round computed"
        groups = await create_round(w.matcher, w.hr, "groups", f"{tag}-groups")
        await wait_state(w.matcher, w.hr, groups, 240)
        w.step = "groups round published"
        await publish(w.matcher, w.hr, groups)
        leaders = await consumer_leaders(w.operator)
        w.step = "fault injected"
        target, end_fault = await FAULTS[name](w.stack)
        mentoring = asyncio.create_task(
            create_round(w.matcher, w.hr, "mentoring", f"{tag}-mentoring", fault_s + settle_s)
        )
        await asyncio.sleep(fault_s)
        w.step = "fault ended"
        await asyncio.to_thread(end_fault)
        ended = time.monotonic()
        await asyncio.sleep(2)
        w.step = "mentoring round asked during the fault"
        rounds = [groups, await mentoring]
    finally:
        stop.set()
        await editing
        if mentoring is not None:
            mentoring.cancel()
    w.step = "recovery"
    told = await announcements.expected(w.matcher, w.hr, groups)
    deadline = time.monotonic() + settle_s
    while not await recovered(w, history, told, rounds) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    recovered_s = time.monotonic() - ended
    w.step = "checker"
    verdict = await check(history, w.operator, w.projected)
    assert w.stack.sink is not None
    verdict.announcements = await announcements.check_round(
        w.matcher, w.notifier, w.stack.sink, w.hr, w.member_headers, groups
    )
    states = [await round_state(w.matcher, w.hr, r) for r in rounds]
    verdict.stuck_rounds = [
        r for r, state in zip(rounds, states, strict=True) if state not in SETTLED
    ]
    return Outcome(name, verdict, recovered_s, target, {c: leaders[c] == target for c in leaders})


async def schedule(
    stack: FaultStack,
    faults: list[tuple[str, float]],
    members: int,
    settle_s: float,
    report: Callable[[Outcome], None] = lambda outcome: None,
    budget_s: float | None = None,
) -> list[Outcome]:
    """Each fault in turn (:func:`run_fault`). With ``budget_s``, the schedule ends by
    then whatever happens: a run still going is stopped and reported with the step it
    was stuck in, and the faults not yet run are reported as not run (a test gets a
    failure to read, not a worker killed by its timeout with nothing said)."""
    w = Workload.on(stack)
    end = None if budget_s is None else time.monotonic() + budget_s
    try:
        history = History()
        run = stack.data_dir.name
        w.ids = await register(w.profiles, w.hr, history, members, run)
        outcomes = []
        for i, (name, fault_s) in enumerate(faults):
            left = None if end is None else end - time.monotonic()
            try:
                if left is not None and left <= 0:
                    raise TimeoutError("not run: the schedule's time budget was spent")
                outcome = await asyncio.wait_for(
                    run_fault(w, name, fault_s, settle_s, history, f"{run}-{i}"), left
                )
            except TimeoutError as exc:
                error = str(exc) or f"stopped at the schedule's time budget, in: {w.step}"
                outcome = Outcome(name, Verdict(0, [], [], [], 0), float("nan"), error=error)
            except Exception as exc:  # reported as the run's failure; the schedule goes on
                outcome = Outcome(name, Verdict(0, [], [], [], 0), float("nan"), error=repr(exc))
            outcomes.append(outcome)
            report(outcome)
            history = History()
        return outcomes
    finally:
        await w.close()


def run_schedule(
    faults: list[tuple[str, float]],
    data_dir: Path,
    members: int = 100,
    settle_s: float = 120.0,
    report: Callable[[Outcome], None] = lambda outcome: None,
    budget_s: float | None = None,
    **settings: Any,
) -> list[Outcome]:
    """Start a fault stack in ``data_dir``, run each (fault, seconds) in turn (``report``
    is told each outcome as it comes; ``budget_s``: see :func:`schedule`), stop the stack."""
    stack = FaultStack(settings_for(data_dir, **settings))
    stack.start()
    try:
        return asyncio.run(schedule(stack, faults, members, settle_s, report, budget_s))
    finally:
        stack.stop()
