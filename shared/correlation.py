"""The correlation id: one id per request, carried to every log line and message it causes.

* **HTTP**: :class:`CorrelationMiddleware` takes it from the ``X-Request-ID`` (or
  ``X-Correlation-ID``) request header when it is well formed, makes a new one
  otherwise, and returns it in the ``X-Request-ID`` response header.
* **In a process** it lives in a contextvar (:func:`current`). asyncio tasks,
  ``asyncio.to_thread`` and the thread pool of FastAPI's sync routes copy the context,
  so the log lines (:mod:`shared.logging`) and the outbox rows written while handling
  the request carry it without being passed around.
* **Between services**: forwarded in ``X-Request-ID`` on HTTP calls to another
  service (:data:`FORWARD`); written with each outbox row, published as the
  :data:`NATS_HEADER` header by the relay (:mod:`shared.outbox`), bound again by the
  consumers' middleware (:mod:`shared.broker`), and put in the notifier's e-mail as
  :data:`EMAIL_HEADER`.

An id is an opaque token (letters, digits, ``._:-``, 64 characters at most); anything
else a client sends is replaced, so a header can neither forge log lines nor carry
personal data into them.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Request headers read, in this order (lower case, as ASGI gives them).
HTTP_HEADERS = (b"x-request-id", b"x-correlation-id")
#: The response header that returns the id.
RESPONSE_HEADER = b"x-request-id"
#: The NATS message header the outbox relays publish it in.
NATS_HEADER = "Entraide-Correlation-Id"
#: The e-mail header the notifier adds.
EMAIL_HEADER = "X-Entraide-Correlation"
MAX_LENGTH = 64

_WELL_FORMED = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
_current: ContextVar[str | None] = ContextVar("entraide_correlation_id", default=None)


def current() -> str | None:
    """The correlation id of the work in progress, or ``None`` outside any."""
    return _current.get()


def new_id() -> str:
    """A fresh id: this process's random prefix and a counter (unique without a system
    call per request, which ``uuid4`` makes).

    >>> new_id() != new_id()
    True
    """
    return f"{_prefix}-{next(_counter):x}"


def _new_prefix() -> None:
    global _prefix, _counter
    _prefix, _counter = os.urandom(8).hex(), itertools.count(1)


_prefix, _counter = "", itertools.count(1)
_new_prefix()
os.register_at_fork(after_in_child=_new_prefix)  # a forked worker draws its own


def accepted(value: str | bytes | None) -> str | None:
    """``value`` if it is a well-formed id, else ``None``.

    >>> accepted("req-42"), accepted("two words"), accepted(b"a" * 65)
    ('req-42', None, None)
    """
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if value and _WELL_FORMED.fullmatch(value) else None


@contextmanager
def bound(value: str | None) -> Iterator[str | None]:
    """Make ``value`` the current id for the ``with`` block (``None`` clears it).

    >>> with bound("abc"):
    ...     current()
    'abc'
    >>> current() is None
    True
    """
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


def of_headers(headers: Mapping[str, str] | None) -> str | None:
    """The well-formed id a message's headers carry, if any."""
    return accepted(headers.get(NATS_HEADER)) if headers else None


def common(ids: Iterable[str | None]) -> str | None:
    """The one id shared by all of ``ids`` (a batch of messages), else ``None``.

    >>> common(["a", "a"]), common(["a", "b"]), common([])
    ('a', None, None)
    """
    found = set(ids)
    return found.pop() if len(found) == 1 else None


def headers_with(
    headers: dict[str, str], value: str | None, name: str = NATS_HEADER
) -> dict[str, str]:
    """``headers`` plus the ``name`` header (a NATS message's by default) when there
    is an id.

    >>> headers_with({"Nats-Msg-Id": "e1"}, "req-42")
    {'Nats-Msg-Id': 'e1', 'Entraide-Correlation-Id': 'req-42'}
    >>> headers_with({"Nats-Msg-Id": "e1"}, None)
    {'Nats-Msg-Id': 'e1'}
    """
    return {**headers, name: value} if value else headers


async def forward(request: httpx.Request) -> None:
    """httpx request hook: a call to another service carries the current id in
    ``X-Request-ID`` (so a page of the portal and the API calls it makes share one).
    Pass it as ``event_hooks=FORWARD`` to an ``httpx.AsyncClient``."""
    value = current()
    if value is not None and "x-request-id" not in request.headers:
        request.headers["X-Request-ID"] = value


#: ``event_hooks`` of the HTTP clients between services.
FORWARD: dict[str, list[Any]] = {"request": [forward]}


class CorrelationMiddleware:
    """Pure ASGI middleware: binds each HTTP request's id and returns it in the answer.

    Measured cost: see ``bench/bench_correlation.py`` (a few microseconds of CPU per
    request: one header scan, a contextvar set/reset and one extra response header).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        value = None
        for name, raw in scope["headers"]:
            if name in HTTP_HEADERS and (value := accepted(raw)) is not None:
                break
        value = value or new_id()
        encoded = value.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (RESPONSE_HEADER, encoded)]
            await send(message)

        token = _current.set(value)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _current.reset(token)
