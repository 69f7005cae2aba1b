"""Messages other services ask for directly (today: the portal's sign-in links)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from services.notifier.api.deps import CurrentPrincipal
from services.notifier.api.schemas import SignInLinkMessage
from services.notifier.service_layer.sign_in_links import send_sign_in_link
from shared.auth import Principal
from shared.errors import Forbidden
from shared.problems import problem_responses

router = APIRouter(prefix="/messages", tags=["messages"])


def _service_only(principal: CurrentPrincipal) -> Principal:
    if not principal.is_service:
        raise Forbidden("services_only")
    return principal


@router.post(
    "/sign-in-link",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 422, 503),
    summary="Envoyer un lien de connexion par e-mail (service interne : le portail)",
)
async def sign_in_link(
    body: SignInLinkMessage,
    request: Request,
    _: Annotated[Principal, Depends(_service_only)],
) -> None:
    channel = getattr(request.app.state, "email_channel", None)
    await send_sign_in_link(channel, body.email, body.language, body.link, body.expires_minutes)
