"""Settings of every Entraide process, read from ``ENTRAIDE_*`` environment variables.

Safe local defaults: everything listens on 127.0.0.1 and stores its data under
``data_dir``. Outside ``env=development``/``test`` the default secrets are refused.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_JWT_SECRET = "entraide-dev-secret-change-me-please-0123456789"
DEFAULT_SESSION_SECRET = "entraide-dev-session-secret-change-me-0123456789"


class Settings(BaseSettings):
    """All settings; each service reads the part it needs."""

    # hide_input_in_errors: an error about a secret must never print it
    model_config = SettingsConfigDict(
        env_prefix="ENTRAIDE_", extra="ignore", frozen=True, hide_input_in_errors=True
    )

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(Path("var"), description="Folder for SQLite files and JetStream data.")
    host: str = Field("127.0.0.1", description="Interface the HTTP services bind to.")

    # -- logs and tracing ---------------------------------------------------------------
    log_level: str = Field("INFO", description="Lowest level logged (DEBUG, INFO, WARNING...).")
    log_format: Literal["json", "text", ""] = Field(
        "",
        description="'json' (one object per line) or 'text'; empty = json in production, "
        "text otherwise (readable in development and for the demo).",
    )
    otel_enabled: bool = Field(
        False, description="OpenTelemetry tracing of HTTP requests and NATS messages."
    )
    otel_exporter_endpoint: str = Field(
        "",
        description="OTLP/HTTP traces endpoint (e.g. http://127.0.0.1:4318/v1/traces); "
        "empty = OpenTelemetry's own OTEL_EXPORTER_OTLP_* variables or their default.",
    )

    # -- broker -------------------------------------------------------------------------
    nats_url: str = Field("", description="Broker URL; empty = the local nats-server.")
    nats_port: int = 4222
    nats_http_port: int = Field(8222, description="nats-server monitoring port (0 = off).")
    stream_max_age_days: float = Field(365.0, gt=0, description="JetStream MaxAge of streams.")
    stream_duplicate_window_s: float = Field(300.0, ge=120)
    stream_replicas: int = Field(1, ge=1, le=5)
    # Each service connects as its own NATS user (shared/nats_access.py) with the password
    # below; a deployment gives each process only its own. Empty = no credentials (the
    # local stack fills them from the passwords it generated; refused in production).
    profiles_nats_password: SecretStr = SecretStr("")
    matcher_nats_password: SecretStr = SecretStr("")
    notifier_nats_password: SecretStr = SecretStr("")
    operator_nats_password: SecretStr = Field(
        SecretStr(""), description="The operator's NATS password (entraide dlq, backups)."
    )

    # -- HTTP services ------------------------------------------------------------------
    profiles_port: int = 8101
    matcher_port: int = 8102
    notifier_port: int = 8103
    portal_port: int = 8104
    profiles_url: str = Field("", description="Base URL of profiles; empty = local default.")
    matcher_url: str = Field("", description="Base URL of the matcher; empty = local default.")
    notifier_url: str = Field("", description="Base URL of the notifier; empty = local default.")
    portal_url: str = Field(
        "", description="Public base URL of the portal (sign-in links); empty = local default."
    )
    max_body_bytes: int = Field(5 * 1024 * 1024, description="Larger request bodies get 413.")
    metrics_token: SecretStr = Field(
        SecretStr(""),
        description="Bearer token a Prometheus scraper must send to GET /metrics; "
        "empty = only clients on the loopback interface may scrape.",
    )
    metrics_refresh_s: float = Field(
        5.0,
        ge=0,
        description="Scrape-time gauges (lag, backlogs, states) are read at most "
        "this often, however many scrapers ask.",
    )

    # -- databases (SQLAlchemy URLs; empty = a SQLite file in data_dir) ------------------
    sqlite_synchronous: Literal["FULL", "NORMAL"] = Field(
        "FULL",
        description="FULL: a commit is on disk when it returns (a 2xx survives a power "
        "loss). NORMAL is about 2-3x faster for small writes and may lose the last commits "
        "on a power loss (never on a crash of the process).",
    )
    profiles_db_url: str = ""
    matcher_db_url: str = ""
    notifier_db_url: str = ""
    portal_db_url: str = ""

    # -- portal ---------------------------------------------------------------------------
    session_secret: SecretStr = SecretStr(DEFAULT_SESSION_SECRET)
    session_max_age_s: int = Field(8 * 3600, ge=300, description="A portal session's lifetime.")
    oidc_issuer: str = Field("", description="OpenID Connect issuer URL; empty = no SSO.")
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    coordinator_emails: str = Field(
        "", description="E-mails of HR coordinators (comma-separated) when SSO gives no role."
    )

    # -- auth ---------------------------------------------------------------------------
    jwt_secret: SecretStr = SecretStr(DEFAULT_JWT_SECRET)
    jwt_issuer: str = "entraide-local"
    jwt_audience: str = "entraide"
    jwks_url: str = Field("", description="External issuer's JWKS URL (production).")

    # -- notifier -------------------------------------------------------------------------
    smtp_url: str = Field("", description="apprise mailto:// URL of the SMTP relay.")
    mail_from: str = "entraide@localhost"
    max_attempts: int = Field(
        0, ge=0, description="Attempts of one delivery before giving up; 0 = the horizon decides."
    )
    retry_base_s: float = Field(2.0, gt=0, description="First wait after a failed attempt.")
    retry_cap_s: float = Field(60.0, gt=0, description="Longest wait between two attempts.")
    retry_horizon_s: float = Field(
        86_400.0, ge=0, description="A transient failure is retried this long (a day)."
    )
    webhook_allowed_hosts: str = Field(
        "",
        description=(
            "Chat webhook hosts IT allows, comma-separated ('.slack.com' allows its "
            "sub-domains); empty = any public host."
        ),
    )
    webhook_allow_private_addresses: bool = Field(
        False, description="Tests only: let webhooks reach loopback/private addresses."
    )

    # -- matcher --------------------------------------------------------------------------
    round_lease_s: float = Field(
        20.0, gt=1, le=300, description="A round's worker must renew its lease this often."
    )

    matcher_clock: Literal["system", "adjustable"] = Field(
        "system",
        description="'adjustable': tests and the demo move the matcher's clock forward "
        "(POST /_test/clock/advance); refused in production.",
    )
    life_timer_poll_s: float = Field(
        1.0, gt=0, le=60, description="How often the matcher looks for due timers."
    )
    health_refresh_debounce_s: float = Field(
        1.0,
        ge=0,
        le=60,
        description="The matcher computes the dashboard's reports again once no new health "
        "fact or member change arrived for this long.",
    )

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.env == "production":
            for name in placeholder_secrets(self):
                # the setting is named, never its value
                raise ValueError(
                    f"ENTRAIDE_{name.upper()} holds a placeholder shipped in deploy/ "
                    "(it contains 'change-me'): set a real secret in production"
                )
        if self.env == "production" and not self.jwks_url:
            if self.jwt_secret.get_secret_value() == DEFAULT_JWT_SECRET:
                raise ValueError(
                    "ENTRAIDE_JWT_SECRET must be set in production (or ENTRAIDE_JWKS_URL)"
                )
            if len(self.jwt_secret.get_secret_value()) < 32:
                raise ValueError("ENTRAIDE_JWT_SECRET must be at least 32 characters")
        if (
            self.env == "production"
            and self.session_secret.get_secret_value() == DEFAULT_SESSION_SECRET
        ):
            raise ValueError("ENTRAIDE_SESSION_SECRET must be set in production")
        if self.env == "production" and self.matcher_clock != "system":
            raise ValueError("ENTRAIDE_MATCHER_CLOCK=adjustable is refused in production")
        if self.env == "production" and self.webhook_allow_private_addresses:
            raise ValueError("ENTRAIDE_WEBHOOK_ALLOW_PRIVATE_ADDRESSES is refused in production")
        return self

    def nats_password(self, user: str) -> str:
        """The NATS password of ``user`` (a service name or ``operator``); may be empty."""
        secret = getattr(self, f"{user}_nats_password", None)
        return secret.get_secret_value() if isinstance(secret, SecretStr) else ""

    @property
    def allowed_webhook_hosts(self) -> tuple[str, ...]:
        return tuple(h.strip() for h in self.webhook_allowed_hosts.split(",") if h.strip())

    @cached_property
    def broker_url(self) -> str:
        return self.nats_url or f"nats://127.0.0.1:{self.nats_port}"

    @cached_property
    def profiles_base_url(self) -> str:
        return self.profiles_url or f"http://{self.host}:{self.profiles_port}"

    @cached_property
    def matcher_base_url(self) -> str:
        return self.matcher_url or f"http://{self.host}:{self.matcher_port}"

    @cached_property
    def notifier_base_url(self) -> str:
        return self.notifier_url or f"http://{self.host}:{self.notifier_port}"

    @cached_property
    def portal_base_url(self) -> str:
        return self.portal_url or f"http://{self.host}:{self.portal_port}"

    @property
    def coordinators(self) -> frozenset[str]:
        return frozenset(e.strip().lower() for e in self.coordinator_emails.split(",") if e.strip())

    def database_url(self, explicit: str, name: str) -> str:
        """A service's SQLAlchemy URL: ``explicit`` if set, else ``<data_dir>/<name>.db``."""
        if explicit:
            return explicit
        return f"sqlite:///{(self.data_dir / f'{name}.db').resolve()}"


#: Settings that hold a secret, alone or inside a URL; their placeholders are refused.
SECRET_SETTINGS = (
    "jwt_secret",
    "session_secret",
    "oidc_client_secret",
    "profiles_nats_password",
    "matcher_nats_password",
    "notifier_nats_password",
    "operator_nats_password",
    "profiles_db_url",
    "matcher_db_url",
    "notifier_db_url",
    "portal_db_url",
    "smtp_url",
    "metrics_token",
)
#: What every placeholder secret in ``deploy/`` contains (any case).
PLACEHOLDER_MARK = "change-me"


def placeholder_secrets(settings: Settings) -> list[str]:
    """Names of the secret settings still holding a placeholder (the development
    defaults included: they contain the same mark)."""
    found = []
    for name in SECRET_SETTINGS:
        if name == "jwt_secret" and settings.jwks_url:
            continue  # tokens are checked against the issuer's keys: the secret is unused
        value = getattr(settings, name)
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if PLACEHOLDER_MARK in text.lower():
            found.append(name)
    return found


def get_settings() -> Settings:
    """Read the settings from the environment (a new object per call; cheap)."""
    return Settings()
