"""Business rules on a member profile, over plain data (no framework imports).

Catalogues are :class:`~services.profiles.domain.catalogue.Catalogue` objects; a
profile is the plain dict of its matching attributes. Every rule returns the problems
it finds instead of raising, so the HTTP layer and the CSV import report all of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from services.profiles.domain.catalogue import Catalogue, Entry, resolved  # noqa: F401 (Entry: doctests)
from shared.errors import FieldError

MENTOR_CAPACITY = (1, 5)


def slugify(text: str) -> str:
    """Catalogue code of a label: ASCII, lower case, words joined by ``_``.

    >>> slugify("Gestion du stress !")
    'gestion_du_stress'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def unknown_problems(
    field: str, codes: Iterable[str], catalogue: Catalogue, what: str = "skill"
) -> list[FieldError]:
    """One ``unknown_<what>`` error per code absent from the catalogue, with the closest.

    >>> c = Catalogue([Entry("budget", "Budget")])
    >>> [(p.code, dict(p.params)) for p in unknown_problems("themes", ["budgte"], c, "theme")]
    [('unknown_theme', {'code': 'budgte', 'closest': 'budget'})]
    """
    problems = []
    for code in codes:
        if code in catalogue:
            continue
        near = catalogue.closest(code)
        if near:
            params = {"code": code, "closest": ", ".join(near)}
            problems.append(FieldError(field, f"unknown_{what}", params))
        else:
            problems.append(FieldError(field, f"unknown_{what}_no_match", {"code": code}))
    return problems


def resolve_terms(profile: dict[str, Any], skills: Catalogue, themes: Catalogue) -> dict[str, Any]:
    """The profile with skills and themes named by label or alias replaced by their codes.

    >>> c = Catalogue([Entry("gestion_stress", "Gestion du stress")])
    >>> resolve_terms({"skills": {"Gestion du Stress": 2}, "themes": ["x"]}, c, c)
    {'skills': {'gestion_stress': 2}, 'themes': ['x']}
    """
    out = dict(profile)
    if isinstance(out.get("skills"), dict):
        out["skills"] = {(skills.resolve(str(k)) or k): v for k, v in out["skills"].items()}
    for key, catalogue in (("skills_wanted", skills), ("themes", themes)):
        if isinstance(out.get(key), list):
            out[key] = resolved([str(t) for t in out[key]], catalogue)
    return out


def catalogue_problems(
    profile: Mapping[str, Any], skills: Catalogue, themes: Catalogue
) -> list[FieldError]:
    """Unknown skills and themes of a profile that may break other rules (any shape)."""
    problems: list[FieldError] = []
    for key, catalogue, what in (
        ("skills", skills, "skill"),
        ("skills_wanted", skills, "skill"),
        ("themes", themes, "theme"),
    ):
        value = profile.get(key)
        if isinstance(value, dict | list):
            problems += unknown_problems(key, [str(v) for v in value], catalogue, what)
    return problems


def profile_problems(
    profile: Mapping[str, Any],
    catalogue: Catalogue,
    member_id: str | None = None,
    themes: Catalogue | None = None,
) -> list[FieldError]:
    """Every business-rule violation of a matching profile (empty list = valid).

    ``catalogue`` is the skills catalogue; themes are checked when ``themes`` is given.
    """
    problems = unknown_problems("skills", profile.get("skills", {}), catalogue)
    problems += unknown_problems("skills_wanted", profile.get("skills_wanted", ()), catalogue)
    if themes is not None:
        problems += unknown_problems("themes", profile.get("themes", ()), themes, "theme")
    opt_ins = profile.get("opt_ins") or {}
    low, high = MENTOR_CAPACITY
    if opt_ins.get("mentor") and not low <= int(opt_ins.get("mentor_capacity", 0)) <= high:
        problems.append(
            FieldError(
                "opt_ins.mentor_capacity", "mentor_capacity_range", {"min": low, "max": high}
            )
        )
    if member_id is not None and profile.get("manager_id") == member_id:
        problems.append(FieldError("manager_id", "own_manager"))
    return problems


def normalise_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """Canonical form: no capacity without the mentor opt-in, de-duplicated lists."""
    opt_ins = dict(profile.get("opt_ins") or {})
    if not opt_ins.get("mentor"):
        opt_ins["mentor_capacity"] = 0
    out = dict(profile, opt_ins=opt_ins)
    for key in ("languages", "skills_wanted", "themes"):
        if key in out:
            out[key] = list(dict.fromkeys(out[key]))
    return out
