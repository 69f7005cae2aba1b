"""Who owns which field of a profile: HR owns identity and organisation.

HR (coordinators, the CSV import) owns ``email, external_id, site, department,
function, manager, team, start_date``; a member owns the rest of their profile
(skills, wishes, themes, languages, availability, opt-ins, capacity, pause, channels,
webhook, language, display name). At self-registration a member gives the identity
a profile needs (e-mail, site...) but never HR's key nor a place in the organisation.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.errors import FieldError

HR_OWNED = frozenset(
    {
        "email",
        "external_id",
        "site",
        "department",
        "function",
        "manager",
        "manager_id",
        "team",
        "start_date",
    }
)
#: What a member may not give when creating their own profile.
HR_ONLY_AT_REGISTRATION = frozenset({"external_id", "manager", "manager_id", "team"})


def hr_owned_problems(fields: Iterable[str], owned: frozenset[str] = HR_OWNED) -> list[FieldError]:
    """One ``field_owned_by_hr`` error per HR-owned field among ``fields``, sorted.

    >>> [p.field for p in hr_owned_problems(["skills", "site", "email"])]
    ['email', 'site']
    """
    return [FieldError(f, "field_owned_by_hr") for f in sorted(set(fields) & owned)]
