"""A member's chat webhook is checked when it is stored (server-side request forgery).

:func:`shared.safety.check_webhook_url`: https only, no loopback, private, link-local
or reserved address, and only the hosts IT allows (``ENTRAIDE_WEBHOOK_ALLOWED_HOSTS``)
when it names some. With ``ENTRAIDE_WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` (tests, never in
production) only https is required. The notifier checks again before it sends.
"""

from __future__ import annotations

from services.profiles.domain.errors import FieldError
from shared.safety import UnsafeUrl, check_webhook_url
from shared.settings import Settings

FIELD = "chat_webhook_url"


def webhook_problems(url: str | None, settings: Settings) -> list[FieldError]:
    """Why ``url`` may not be stored as a chat webhook (empty list: it may)."""
    if not url:
        return []
    if settings.webhook_allow_private_addresses:
        return [] if url.startswith("https://") else [FieldError(FIELD, "webhook_not_https")]
    try:
        check_webhook_url(url, settings.allowed_webhook_hosts)
    except UnsafeUrl as exc:
        return [FieldError(FIELD, exc.code, exc.params)]
    return []
