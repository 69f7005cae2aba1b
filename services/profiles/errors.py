"""Errors of the profiles service; the HTTP layer maps them to 4xx with a French message."""

from __future__ import annotations

from dataclasses import dataclass


class ProfilesError(Exception):
    """Base error of the profiles service."""

    status_code = 400


class MemberNotFound(ProfilesError):
    status_code = 404


class MemberAlreadyExists(ProfilesError):
    status_code = 409


class SkillNotFound(ProfilesError):
    status_code = 404


class SkillAlreadyExists(ProfilesError):
    status_code = 409


class InvalidSkill(ProfilesError):
    status_code = 422


class SkillInUse(ProfilesError):
    status_code = 409


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: which field, and why (in French)."""

    field: str
    message: str


class InvalidProfile(ProfilesError):
    """The profile breaks a business rule (unknown skill, mentor capacity, manager...)."""

    status_code = 422

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(" ; ".join(f"{p.field} : {p.message}" for p in problems))


class InvalidImport(ProfilesError):
    """The CSV file itself cannot be read (encoding, header)."""

    status_code = 422
