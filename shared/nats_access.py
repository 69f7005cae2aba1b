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

Each service package declares its own :class:`Access` (``NATS_ACCESS`` in
``services/<name>/__init__.py``; :func:`services.broker_access` gathers them). The
``operator`` user (the ``entraide dlq`` command, backups, tests) may do anything.
:func:`authorization_block` renders the table as nats-server configuration; the local
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

    #: Subjects it publishes (its events; its dead letters are added).
    publishes: tuple[str, ...]
    #: (stream, durable consumer) pairs it consumes.
    consumes: tuple[tuple[str, str], ...] = ()
    #: Streams it creates at start-up (the DLQ is added).
    streams: tuple[str, ...] = field(default=())


def inbox_prefix(user: str) -> str:
    """The reply subjects' prefix of ``user`` (nats-py ``inbox_prefix``)."""
    return f"_INBOX_{user}"


def streams_of(access: Access) -> tuple[str, ...]:
    """The streams a service makes sure exist at start-up (its own, then the DLQ)."""
    return (*access.streams, subjects.STREAM_DLQ)


def permissions(user: str, access: Access | None) -> dict[str, dict[str, list[str]]]:
    """nats-server ``permissions`` of ``user`` (allow lists; anything else is denied);
    ``access`` None is the operator: everything."""
    if access is None:
        return {"publish": {"allow": [">"]}, "subscribe": {"allow": [">"]}}
    publish = [*access.publishes, subjects.dead_letter_subject(user), "$JS.API.INFO"]
    for stream in streams_of(access):
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


def users(services: dict[str, Access]) -> dict[str, Access | None]:
    """Every user of the broker: the services (name -> access), then the operator."""
    return {**services, OPERATOR: None}


def authorization_block(services: dict[str, Access], passwords: dict[str, str]) -> str:
    """The ``authorization { users = [...] }`` block of a nats-server configuration."""
    entries = []
    for user, access in users(services).items():
        entry = {
            "user": user,
            "password": passwords[user],
            "permissions": permissions(user, access),
        }
        # JSON is valid nats-server configuration
        entries.append("\n".join("    " + line for line in json.dumps(entry, indent=2).split("\n")))
    return "authorization {\n  users = [\n" + ",\n".join(entries) + "\n  ]\n}\n"
