"""The dead-letter stream, for the operator: list what was parked and replay it once.

A service parks a message it could not process on ``entraide.dlq.<service>`` with the
reason and the original subject in headers (:func:`shared.broker.publish_dead_letter`).
:func:`dead_letters` reads them back; :func:`replay` publishes each to its original
subject and then deletes it from the dead-letter stream. Exactly once:

* the replay carries ``Nats-Msg-Id: dlq-replay-<sequence>``, so publishing it again
  within the stream's de-duplication window (a crash before the delete, two operators at
  once) is dropped by JetStream;
* once replayed, the message is deleted from the dead-letter stream: a later
  ``replay --all`` does not see it;
* beyond both, every consumer is idempotent by event id (the body keeps its event id).

A message whose original subject is unknown or a wildcard is sent to the subject of
its event type (``"type": "member.registered"`` -> ``entraide.member.registered``), or
left in place with the reason why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from nats.js.client import JetStreamContext
from nats.js.errors import APIError, NotFoundError

from shared import subjects
from shared.events import ALL_EVENTS
from shared.life_events import LIFE_EVENTS

#: JetStream's error code for a message that is not (or no longer) in the stream.
NO_MESSAGE_FOUND = 10057
#: The subject of each event type (``member.registered`` -> ``entraide.member.registered``).
SUBJECT_OF_TYPE: dict[str, str] = {
    e.model_fields["type"].default: e.subject for e in (*ALL_EVENTS, *LIFE_EVENTS)
}


@dataclass(frozen=True)
class DeadLetter:
    """One parked message."""

    seq: int
    subject: str
    time: datetime | None
    reason: str
    original_subject: str
    body: bytes

    @property
    def service(self) -> str:
        return self.subject.removeprefix(subjects.DLQ_PREFIX + ".")

    @property
    def replay_subject(self) -> str | None:
        """Where a replay goes: the original subject, or its event type's subject."""
        original = self.original_subject
        if original and "*" not in original and ">" not in original:
            return original
        try:
            kind = json.loads(self.body).get("type")
        except (ValueError, AttributeError):
            return None
        return SUBJECT_OF_TYPE.get(kind) if isinstance(kind, str) else None


async def dead_letters(js: JetStreamContext) -> list[DeadLetter]:
    """Every message still in the dead-letter stream, oldest first."""
    found: list[DeadLetter] = []
    seq = 1
    while True:
        try:
            raw = await js.get_msg(subjects.STREAM_DLQ, seq=seq, subject=subjects.DLQ_ALL,
                                   next=True)  # fmt: skip
        except NotFoundError:
            return found
        headers = raw.headers or {}
        found.append(
            DeadLetter(
                seq=int(raw.seq or seq),
                subject=raw.subject or "",
                time=raw.time,
                reason=headers.get("Entraide-Reason", ""),
                original_subject=headers.get("Entraide-Original-Subject", ""),
                body=raw.data or b"",
            )
        )
        seq = found[-1].seq + 1


@dataclass(frozen=True)
class Replayed:
    """What became of one dead letter: ``replayed``, ``duplicate`` or ``kept`` (why)."""

    seq: int
    outcome: str
    subject: str = ""
    why: str = ""


async def replay(js: JetStreamContext, letters: list[DeadLetter]) -> list[Replayed]:
    """Publish each letter to its subject once, then delete it from the stream."""
    results = []
    for letter in letters:
        subject = letter.replay_subject
        if subject is None:
            results.append(Replayed(letter.seq, "kept", why="no original subject"))
            continue
        headers = {"Nats-Msg-Id": f"dlq-replay-{letter.seq}", "Entraide-Replay-Of": str(letter.seq)}
        ack = await js.publish(subject, letter.body, headers=headers)
        try:
            await js.delete_msg(subjects.STREAM_DLQ, letter.seq)
        except APIError as exc:  # already removed (a replay running at the same time)
            if exc.err_code != NO_MESSAGE_FOUND:
                raise
        results.append(Replayed(letter.seq, "duplicate" if ack.duplicate else "replayed", subject))
    return results
