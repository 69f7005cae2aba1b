"""The error base every service derives from: a code, parameters and an HTTP status.

Errors carry a message *code* and its parameters, never a sentence: the app factory
(:func:`shared.web.problem_handlers`) renders them as RFC 9457 ``application/problem+json``
in the caller's language from the one message catalogue. Plain Python, so a service's
``domain/`` can raise them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


@dataclasses.dataclass(frozen=True, slots=True)
class FieldError:
    """One thing wrong with one field of the input: where, the message code, its values."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class EntraideError(Exception):
    """Base of every service error.

    Subclasses set ``status`` (the HTTP status it maps to) and ``code`` (the default
    message code). An instance may name another code and pass the message parameters::

        raise MemberNotFound(member_id="m1")
        raise Conflict("round_state_conflict", state="published", action="cancel")
    """

    status: ClassVar[int] = 400
    code: str = "http.400"

    def __init__(
        self,
        code: str | None = None,
        /,
        *,
        field_errors: Sequence[FieldError] = (),
        extensions: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> None:
        self.code = code or type(self).code
        self.params: dict[str, Any] = params
        self.field_errors: tuple[FieldError, ...] = tuple(field_errors)
        #: Extra members of the problem document (RFC 9457 extensions), e.g. a report.
        self.extensions: dict[str, Any] = dict(extensions or {})
        super().__init__(self.code, params)

    def __str__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.code}({shown})" if shown else self.code


class BadRequest(EntraideError):
    status = 400
    code = "http.400"


class Unauthorized(EntraideError):
    status = 401
    code = "auth_required"


class Forbidden(EntraideError):
    status = 403
    code = "http.403"


class NotFound(EntraideError):
    status = 404
    code = "http.404"


class Conflict(EntraideError):
    status = 409
    code = "http.409"


class TooLarge(EntraideError):
    status = 413
    code = "body_too_large"


class Invalid(EntraideError):
    """The input breaks a rule; ``field_errors`` say which fields and why."""

    status = 422
    code = "http.422"


class Unavailable(EntraideError):
    """A dependency (database, broker, another service) cannot answer now: retry later."""

    status = 503
    code = "http.503"
