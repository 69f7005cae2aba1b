"""Errors of the portal: a message code and its parameters, shown as an HTML page."""

from __future__ import annotations

from shared.errors import EntraideError, FieldError


class PortalError(EntraideError):
    """Base of the portal's errors (rendered as a page in the reader's language)."""

    status = 400
    code = "portal.error"


class NotSignedIn(PortalError):
    """No valid session: the pages answer with a redirection to ``/connexion``."""

    status = 401
    code = "portal.not_signed_in"


class CsrfRefused(PortalError):
    status = 403
    code = "portal.csrf_refused"


class CoordinatorsOnly(PortalError):
    status = 403
    code = "portal.coordinators_only"


class TooManyAttempts(PortalError):
    status = 429
    code = "portal.too_many_attempts"


class LinkUnusable(PortalError):
    """A sign-in link that is unknown, already used or expired (``code`` says which)."""

    status = 410
    code = "portal.link_unknown"


class PageNotFound(PortalError):
    status = 404
    code = "portal.page_not_found"


class ServiceUnavailable(PortalError):
    status = 503
    code = "portal.service_unavailable"


class ProfileRejected(PortalError):
    """Profiles refused the changes: one field error per field, shown next to it."""

    status = 422
    code = "portal.profile_rejected"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(field_errors=errors)


class Refused(PortalError):
    """A service refused what a coordinator sent (409 or 422): its problem ``detail``
    in the reader's language, one error per field, and the report it joined if any
    (an import refused row by row). The page shows all of it next to the form."""

    status = 422
    code = "portal.upstream_refused"

    def __init__(
        self,
        upstream_status: int,
        detail: str,
        errors: list[FieldError],
        report: dict[str, object] | None = None,
    ) -> None:
        super().__init__(field_errors=errors, detail=detail)
        self.upstream_status = upstream_status
        self.detail = detail
        self.report = report

    def by_field(self) -> dict[str, list[FieldError]]:
        """Each field's errors, for the form to show next to the field."""
        found: dict[str, list[FieldError]] = {}
        for e in self.field_errors:
            found.setdefault(e.field, []).append(e)
        return found
