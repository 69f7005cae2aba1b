"""Who may do what on the broker: one NATS user per service, each with its own subjects.

The broker is closed: a client without credentials is refused, and each service's user
may publish only the events it produces (and its own dead letters), consume only its
own durable consumers, and reach only the JetStream API calls those need:

* ``$JS.API.INFO`` and ``$JS.API.STREAM.{INFO,CREATE,UPDATE}.<stream>`` for the streams it
  touches (:func:`shared.broker.ensure_streams` creates them at start-up). Never
  ``DELETE``, ``PURGE`` or ``MSG.DELETE``: no service can erase the history;
* ``$JS.API.CONSUMER.{INFO,CREATE,DURABLE.CREATE,MSG.NEXT}.<stream>.<durable>`` and
  ``$JS.ACK.<stream>.<durable>.>`` for each of its durable consumers;
* replies on its own inbox prefix, ``_INBOX_<user>.>`` (:func:`inbox_prefix`), so a
  service cannot read another's replies.

The ``operator`` user (the ``entraide dlq`` command, backups, tests) may do anything.
:func:`authorization_block` renders this table as nats-server configuration; the local
stack writes it with generated passwords, and ``deploy/nats/users.inc`` is the same
table with placeholder passwords (a test checks they agree).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from shared import subjects

OPERATOR = "operator"


@dataclass(frozen=True)
class Access:
    """What one service does on the broker."""

    publishes: tuple[str, ...]
    #: (stream, durable consumer) pairs it consumes.
    consumes: tuple[tuple[str, str], ...] = ()
    streams: tuple[str, ...] = field(default=())


ACCESS: dict[str, Access] = {
    "profiles": Access(
        publishes=(subjects.MEMBERS_ALL,),
        streams=(subjects.STREAM_MEMBERS,),
    ),
    "matcher": Access(
        publishes=(subjects.ROUNDS_ALL, subjects.MATCHES_ALL),
        consumes=(
            (subjects.STREAM_MEMBERS, subjects.DURABLE_MATCHER_MEMBERS),
            (subjects.STREAM_ROUNDS, subjects.DURABLE_MATCHER_ROUND_REQUESTS),
        ),
        streams=(subjects.STREAM_ROUNDS, subjects.STREAM_MATCHES, subjects.STREAM_MEMBERS),
    ),
    "notifier": Access(
        publishes=(subjects.NOTIFICATIONS_ALL,),
        consumes=(
            (subjects.STREAM_MATCHES, subjects.DURABLE_NOTIFIER_MATCHES),
            (subjects.STREAM_MEMBERS, subjects.DURABLE_NOTIFIER_ERASURES),
        ),
        streams=(subjects.STREAM_NOTIFICATIONS, subjects.STREAM_MATCHES, subjects.STREAM_MEMBERS),
    ),
}

#: Every user of the broker, services first.
USERS: tuple[str, ...] = (*ACCESS, OPERATOR)


def inbox_prefix(user: str) -> str:
    """The reply subjects' prefix of ``user`` (nats-py ``inbox_prefix``)."""
    return f"_INBOX_{user}"


def consumer_owner(stream: str, durable: str) -> str:
    """The user whose durable consumer this is (its replies use that user's inbox)."""
    for user, access in ACCESS.items():
        if (stream, durable) in access.consumes:
            return user
    raise KeyError(f"no service consumes {stream}/{durable}: add it to shared.nats_access")


def streams_of(service: str) -> tuple[str, ...]:
    """The streams ``service`` makes sure exist at start-up (its own, then the DLQ)."""
    access = ACCESS.get(service)
    if access is None:
        return tuple(subjects.STREAM_SUBJECTS)
    return (*access.streams, subjects.STREAM_DLQ)


def permissions(user: str) -> dict[str, dict[str, list[str]]]:
    """nats-server ``permissions`` of ``user`` (allow lists; anything else is denied)."""
    if user == OPERATOR:
        return {"publish": {"allow": [">"]}, "subscribe": {"allow": [">"]}}
    access = ACCESS[user]
    publish = [*access.publishes, subjects.dead_letter_subject(user), "$JS.API.INFO"]
    for stream in streams_of(user):
        publish += [f"$JS.API.STREAM.{op}.{stream}" for op in ("INFO", "CREATE", "UPDATE")]
    for stream, durable in access.consumes:
        publish += [
            f"$JS.API.CONSUMER.INFO.{stream}.{durable}",
            f"$JS.API.CONSUMER.CREATE.{stream}.{durable}",
            f"$JS.API.CONSUMER.CREATE.{stream}.{durable}.>",
            f"$JS.API.CONSUMER.DURABLE.CREATE.{stream}.{durable}",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{durable}",
            f"$JS.ACK.{stream}.{durable}.>",
        ]
    return {
        "publish": {"allow": publish},
        "subscribe": {"allow": [f"{inbox_prefix(user)}.>"]},
    }


def placeholder_password(user: str) -> str:
    """The password ``deploy/`` files ship for ``user``: refused in production."""
    return f"CHANGE-ME-{user}-nats-password"


def authorization_block(passwords: dict[str, str]) -> str:
    """The ``authorization { users = [...] }`` block of a nats-server configuration."""
    entries = []
    for user in USERS:
        entry = {"user": user, "password": passwords[user], "permissions": permissions(user)}
        # JSON is valid nats-server configuration
        entries.append("\n".join("    " + line for line in json.dumps(entry, indent=2).split("\n")))
    return "authorization {\n  users = [\n" + ",\n".join(entries) + "\n  ]\n}\n"
