"""Forms the portal reads (plain HTML forms, ``application/x-www-form-urlencoded``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SignInRequest(BaseModel):
    """The /connexion form: an e-mail address."""

    email: str = Field(max_length=320)


class LinkConfirmation(BaseModel):
    """The confirmation form of a sign-in link: the token, sent back with POST."""

    jeton: str = Field(max_length=200)
