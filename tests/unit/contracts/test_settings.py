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


def _placeholders_in_deploy() -> dict[str, set[str]]:
    """Every ``ENTRAIDE_X: value`` in deploy/ whose value is a placeholder, and the NATS
    passwords of ``deploy/nats/users.inc``: setting name -> placeholder values."""
    import re
    from pathlib import Path

    deploy = Path(__file__).resolve().parents[3] / "deploy"
    found: dict[str, set[str]] = {}
    for path in [*deploy.rglob("*.yaml"), *deploy.rglob("*.inc")]:
        text = path.read_text()
        for name, value in re.findall(r"ENTRAIDE_([A-Z_]+):\s*(\S+)", text):
            if "change-me" in value.lower():
                found.setdefault(name.lower(), set()).add(value)
        for user, value in re.findall(r'"user": "(\w+)",\s*"password": "([^"]+)"', text):
            found.setdefault(f"{user}_nats_password", set()).add(value)
    return found


def test_deploy_files_ship_placeholders_for_every_nats_password_and_the_jwt_secret() -> None:
    found = _placeholders_in_deploy()
    for user in ("profiles", "matcher", "notifier", "operator"):
        assert f"{user}_nats_password" in found
    assert "jwt_secret" in found


@pytest.mark.parametrize(
    ("setting", "value"),
    sorted((name, value) for name, values in _placeholders_in_deploy().items() for value in values),
)
def test_production_refuses_each_placeholder_shipped_in_deploy_and_never_prints_it(
    setting: str, value: str
) -> None:
    real = {"jwt_secret": "s" * 40, "session_secret": "k" * 40}
    with pytest.raises(ValidationError, match=f"ENTRAIDE_{setting.upper()}") as caught:
        Settings(env="production", **(real | {setting: value}))  # type: ignore[arg-type]
    assert value not in str(caught.value)
    assert "change-me" not in str(caught.value).replace("'change-me'", "").lower()


def test_development_accepts_the_placeholders_so_the_local_stack_starts() -> None:
    Settings(env="development", operator_nats_password="CHANGE-ME-operator-nats-password")


def test_in_production_a_service_without_its_nats_password_does_not_start() -> None:
    from shared.broker import credentials

    real = {"jwt_secret": "s" * 40, "session_secret": "k" * 40}
    with pytest.raises(RuntimeError, match="ENTRAIDE_MATCHER_NATS_PASSWORD"):
        credentials(Settings(env="production", **real), "matcher")  # type: ignore[arg-type]
    options = credentials(
        Settings(env="production", matcher_nats_password="p" * 30, **real),  # type: ignore[arg-type]
        "matcher",
    )
    assert options["security"].username == "matcher"
    assert options["inbox_prefix"] == "_INBOX_matcher"
