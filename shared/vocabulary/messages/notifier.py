"""Messages of the notifier service (codes of its errors, reports and texts)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {}
