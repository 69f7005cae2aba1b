"""One logging set-up for every process: one line per record on stderr, JSON or text.

* ``json`` (the default in production): one JSON object per line with ``time`` (UTC,
  ISO 8601), ``level``, ``service``, ``logger``, ``message``, ``correlation_id`` (or
  ``null``) and, when there is one, ``exception`` (the traceback's text) — what a log
  collector indexes without a parsing rule.
* ``text`` (the default in development and for the demo): the same fields on one
  readable line, the correlation id in brackets (``-`` when none).

Chosen by ``ENTRAIDE_LOG_FORMAT`` (:class:`shared.settings.Settings`). Every record
gets the id of the work in progress (:func:`shared.correlation.current`) as
``correlation_id``, whatever logger emitted it (uvicorn's and FastStream's included).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal

from shared import correlation
from shared.settings import Settings

LogFormat = Literal["json", "text"]


class CorrelationFilter(logging.Filter):
    """Stamps each record with the current correlation id (``None`` outside any)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = correlation.current()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines in messages are escaped)."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time service LEVEL logger [correlation id]: message``."""

    def __init__(self, service: str) -> None:
        super().__init__(f"%(asctime)s {service} %(levelname)s %(name)s [%(cid)s]: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.cid = getattr(record, "correlation_id", None) or "-"
        return super().format(record)


def log_format(settings: Settings) -> LogFormat:
    """The format ``settings`` ask for: JSON in production unless told otherwise."""
    if settings.log_format:
        return settings.log_format
    return "json" if settings.env == "production" else "text"


def handler(service: str, fmt: LogFormat) -> logging.Handler:
    """A stderr handler writing ``fmt`` lines stamped with the correlation id."""
    out = logging.StreamHandler(sys.stderr)
    out.addFilter(CorrelationFilter())
    out.setFormatter(JsonFormatter(service) if fmt == "json" else TextFormatter(service))
    return out


def lean_records() -> None:
    """Stop gathering, for every record, what no format of ours prints: the caller's
    file, line and function (``findCaller`` walks the stack and normalises file names)
    and the thread's and process's names.

    These are the standard library's documented switches (``logging._srcfile``,
    ``logThreads``, ``logProcesses``, ``logMultiprocessing``). The lines are the same;
    uvicorn's access line per request costs less (``bench/bench_access_log.py``).
    """
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def configure_logging(service: str, settings: Settings | None = None) -> None:
    """Route every logger of the process to one stderr handler in the chosen format."""
    settings = settings or Settings()
    lean_records()
    logging.basicConfig(
        level=settings.log_level.upper(),
        handlers=[handler(service, log_format(settings))],
        force=True,
    )
