"""The whole product as a user runs it: the stack's processes, HTTP only, real SMTP sink.

Members are created on profiles, reach the matcher through JetStream, HR runs and
publishes a mentoring round, a groups round and a seminar rotation over HTTP, and every
member in them is told exactly once per round and channel (SMTP sink and in-app inbox).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from deploy.local.nats_server import free_port
from deploy.local.smtp_sink import SmtpSink
from deploy.local.stack import Stack
from deploy.local.synthetic import community
from shared.auth import mint_token
from shared.settings import Settings
from tests.support import local_stack_settings

pytestmark = [pytest.mark.e2e, pytest.mark.nats]


def wait(check, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_rounds_run_end_to_end_and_everyone_is_told_once(tmp_path: Path) -> None:
    with SmtpSink(port=free_port()) as sink:
        settings = local_stack_settings(tmp_path, sink.port)
        stack = Stack(settings)
        import os

        os.environ["ENTRAIDE_SMTP_URL"] = settings.smtp_url
        try:
            stack.start(timeout=30)
            run_flow(stack, settings, sink)
        finally:
            stack.stop()
            os.environ.pop("ENTRAIDE_SMTP_URL", None)


def run_flow(stack: Stack, settings: Settings, sink: SmtpSink) -> None:
    hr = {"Authorization": f"Bearer {mint_token(settings, 'hr', ('coordinator',))}"}
    http = httpx.Client(timeout=30, headers=hr)
    catalogue = http.get(stack.url("profiles") + "/skills", params={"limit": 500}).json()
    skills = [s["code"] for s in catalogue["items"]]
    people = [
        {k: v for k, v in p.items() if k != "manager_index"}
        for p in community(80, skill_codes=skills, seed=5)
    ]
    ids = []
    for p in people:
        r = http.post(stack.url("profiles") + "/members", json=p)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    wait(lambda: http.get(stack.url("matcher") + "/members/count").json()["members"] >= 80)

    told: dict[str, set[str]] = {}
    for kind, params in (
        ("mentoring", {"mode": "max_mentees"}),
        ("groups", {}),
        ("rotations", {"table_size": 6, "rounds": 3}),
    ):
        body = {"client_request_id": f"e2e-{kind}", "kind": kind, "parameters": params}
        rid = http.post(stack.url("matcher") + "/rounds", json=body).json()["id"]
        state = wait(
            lambda rid=rid: (
                (r := http.get(stack.url("matcher") + f"/rounds/{rid}").json())
                and r["state"] in ("proposed", "failed")
                and r
            )
        )
        assert state["state"] == "proposed", state
        published = http.post(stack.url("matcher") + f"/rounds/{rid}/publish").json()
        assert published["state"] == "published"
        page = http.get(stack.url("matcher") + f"/rounds/{rid}/matches?limit=500").json()
        matches = page["items"]
        told[rid] = {m for match in matches for m in match["members"]}
        assert told[rid]

        def settled(rid: str = rid) -> dict | None:
            r = http.get(stack.url("notifier") + f"/rounds/{rid}/deliveries?limit=500")
            if r.status_code == 404:  # nothing recorded for this round yet
                return None
            log = r.json()
            members = {d["member_id"] for d in log["items"]}
            busy = sum(log["counts"].get(s, 0) for s in ("pending", "claimed", "sending"))
            return log if members >= told[rid] and busy == 0 else None

        log = wait(settled, timeout=120)
        assert not log["counts"].get("failed"), log["counts"]

    # Every member told once per (round, channel): e-mails counted by idempotency key.
    keys = sink.per_key()
    assert keys and max(keys.values()) == 1, "an e-mail was sent twice"
    assert max(sink.per_recipient().values()) <= len(told)  # at most one e-mail per round each
    member = next(iter(told[next(iter(told))]))
    token = mint_token(settings, member, ("member",))
    inbox = httpx.get(
        stack.url("notifier") + "/inbox", headers={"Authorization": f"Bearer {token}"}
    ).json()["items"]
    rounds_of_member = sum(member in t for t in told.values())
    assert len({e["round_id"] for e in inbox}) == rounds_of_member
