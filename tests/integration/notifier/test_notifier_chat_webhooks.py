"""Chat announcements through apprise to a real local HTTP webhook receiver.

Profiles is a small local HTTP stand-in here: the real service only accepts https
webhook URLs, and this receiver speaks plain http on 127.0.0.1."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from shared.events import Explanation, GroupMatched
from tests.integration.notifier.receivers import HttpReceiver, wait_until
from tests.support import bearer, operator_jetstream, running

pytestmark = pytest.mark.nats

FAST = DispatcherOptions(settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0)


async def test_a_group_is_told_once_on_each_members_webhook_even_after_a_failing_hook(
    make_settings: Any,
) -> None:
    with HttpReceiver() as profiles, HttpReceiver() as hooks:
        ids = [f"chat-{uuid.uuid4().hex[:8]}" for _ in range(4)]
        for i, member_id in enumerate(ids):
            profiles.members[member_id] = {
                "display_name": f"Membre {i}", "email": f"{member_id}@example.com",
                "preferred_language": "en" if i == 0 else "fr",
                "notification_channels": ["chat", "inapp"],
                "chat_webhook_url": f"{hooks.base}/hook/{member_id}",
            }  # fmt: skip
        hooks.failures_left[f"/hook/{ids[1]}"] = 2  # answers 503 twice, then accepts
        settings = make_settings(
            profiles_url=profiles.base, retry_base_s=0.1, max_attempts=5,
            webhook_allow_private_addresses=True,  # the receiver listens on 127.0.0.1
        )  # fmt: skip
        round_id = f"round-chat-{uuid.uuid4().hex[:8]}"
        event = GroupMatched(
            producer="matcher", match_id=f"{round_id}-g", round_id=round_id, members=tuple(ids),
            facilitator_id=ids[3], theme="outils_numeriques",
            explanation=Explanation(reasons=("theme:outils_numeriques",)),
        )  # fmt: skip
        async with running(notifier_app(settings, FAST)) as notifier:
            js = operator_jetstream(notifier)
            for _ in range(2):
                await js.publish(event.subject, event.model_dump_json().encode())

            async def settled() -> dict[str, Any] | None:
                r = await notifier.get(
                    f"/rounds/{round_id}/deliveries", headers=bearer(settings, "hr", "coordinator")
                )
                c = r.json().get("counts", {}) if r.status_code == 200 else {}
                return r.json() if c and c["pending"] + c["claimed"] + c["sending"] == 0 else None

            log = await wait_until(settled, timeout=20, what="chat delivered")

    paths = sorted(path for path, _, _ in hooks.posts)
    assert paths == sorted(f"/hook/{m}" for m in ids), "one message per member"
    chat = {d["member_id"]: d for d in log["items"] if d["channel"] == "chat"}
    assert {d["status"] for d in chat.values()} == {"sent"}
    assert chat[ids[1]]["attempts"] == 3
    first = next(body for path, _, body in hooks.posts if path.endswith(ids[0]))
    facilitator = next(body for path, _, body in hooks.posts if path.endswith(ids[3]))
    assert (
        "practice-exchange group" in first["title"] and "Membre 3 (facilitator)" in first["message"]
    )
    assert "vous animez" in facilitator["title"]
    keys = {h.get("Idempotency-Key") for _, h, _ in hooks.posts}
    assert len(keys) == 4 and None not in keys
    email = [d for d in log["items"] if d["channel"] == "email"]
    assert all(d["status"] == "skipped" for d in email)
