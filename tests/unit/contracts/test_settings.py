"""Settings: safe local defaults, default secrets refused in production."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services import matcher
from shared.settings import Settings


def test_local_defaults_listen_on_loopback_and_use_sqlite_files(tmp_path) -> None:
    s = Settings(data_dir=tmp_path)
    assert s.host == "127.0.0.1"
    assert s.broker_url == "nats://127.0.0.1:4222"
    assert matcher.db_url(s) == f"sqlite:///{tmp_path.resolve() / 'matcher.db'}"


def test_production_refuses_the_default_jwt_secret() -> None:
    with pytest.raises(ValidationError, match="ENTRAIDE_JWT_SECRET"):
        Settings(env="production")


def test_production_accepts_a_real_secret_or_a_jwks_url() -> None:
    session = "k" * 40
    Settings(env="production", jwt_secret="s" * 40, session_secret=session)
    Settings(
        env="production",
        jwks_url="https://idp.example.com/.well-known/jwks.json",
        session_secret=session,
    )


def test_production_refuses_the_default_session_secret_without_printing_it() -> None:
    from shared.settings import DEFAULT_SESSION_SECRET

    with pytest.raises(ValidationError, match="ENTRAIDE_SESSION_SECRET") as caught:
        Settings(env="production", jwt_secret="s" * 40)
    assert DEFAULT_SESSION_SECRET not in str(caught.value)


def test_settings_come_from_entraide_environment_variables(monkeypatch) -> None:
    monkeypatch.setenv("ENTRAIDE_MATCHER_PORT", "9999")
    assert Settings().matcher_port == 9999
