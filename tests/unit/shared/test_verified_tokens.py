"""Verified tokens kept in memory (issue 14): never past their expiry, never for other keys."""

from __future__ import annotations

import time

import pytest

from shared import auth
from shared.auth import AuthError, known_token, mint_token, verify_token
from shared.settings import Settings


def test_a_kept_token_is_refused_once_it_has_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(env="test")
    token = mint_token(settings, "m-1", ttl_s=60)
    assert verify_token(settings, token).subject == "m-1"
    assert known_token(settings, token) is not None
    later = time.time() + 120
    monkeypatch.setattr(auth.time, "time", lambda: later)
    assert known_token(settings, token) is None

    def expired(_settings: Settings, _token: str) -> None:
        raise AuthError("Signature has expired")

    monkeypatch.setattr(auth, "_verify", expired)  # checked again, not taken from memory
    with pytest.raises(AuthError):
        verify_token(settings, token)


def test_a_token_verified_with_one_secret_is_not_taken_for_another_secret() -> None:
    first = Settings(env="test", jwt_secret="a" * 40)
    other = Settings(env="test", jwt_secret="b" * 40)
    token = mint_token(first, "m-2")
    assert verify_token(first, token).subject == "m-2"
    assert known_token(other, token) is None
    with pytest.raises(AuthError):
        verify_token(other, token)


def test_at_most_the_configured_number_of_tokens_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "VERIFIED_KEPT", 3)
    settings = Settings(env="test")
    tokens = [mint_token(settings, f"m-{i}") for i in range(5)]
    for token in tokens:
        verify_token(settings, token)
    assert known_token(settings, tokens[0]) is None
    assert known_token(settings, tokens[-1]) is not None
