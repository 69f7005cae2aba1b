"""One e-mail asked for by the portal: a sign-in link, in the person's language.

It goes through the same e-mail channel as the announcements but is no delivery of
a match: nothing is stored, and a failure is reported to the caller (who says so).
"""

from __future__ import annotations

import asyncio
import hashlib

from services.notifier.adapters.channels import EmailChannel
from services.notifier.domain.errors import ChannelError, EmailNotConfigured
from services.notifier.domain.model import Contact, Rendered
from shared.errors import Unavailable
from shared.vocabulary import as_language, translate


async def send_sign_in_link(
    channel: EmailChannel | None, email: str, language: str, link: str, minutes: int
) -> None:
    if channel is None or not channel.configured:
        raise EmailNotConfigured(channel="email")
    lang = as_language(language)
    message = Rendered(
        subject=translate("portal.sign_in_mail_subject", lang),
        body=translate("portal.sign_in_mail_body", lang, link=link, minutes=minutes),
    )
    contact = Contact(member_id="", display_name=email, email=email, language=lang)
    key = "sign-in:" + hashlib.sha256(link.encode()).hexdigest()[:32]
    try:
        await asyncio.to_thread(channel.send, contact, message, key)
    except ChannelError as exc:
        raise Unavailable(exc.code, **exc.params) from exc
