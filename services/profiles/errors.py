"""Errors of the profiles service; the HTTP layer maps them to 4xx."""


class ProfilesError(Exception):
    """Base error of the profiles service."""

    status_code = 400


class MemberNotFound(ProfilesError):
    status_code = 404


class MemberAlreadyExists(ProfilesError):
    status_code = 409
