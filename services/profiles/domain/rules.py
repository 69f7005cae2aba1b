"""Business rules on a member profile, over plain data (no framework imports).

The catalogue is a mapping ``code -> label``; a profile is the plain dict of its
matching attributes. Every rule returns the problems it finds instead of raising, so
the HTTP layer and the CSV import report all of them at once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from shared.errors import FieldError

MAX_SUGGESTIONS = 3
MENTOR_CAPACITY = (1, 5)


def slugify(text: str) -> str:
    """Catalogue code of a label: ASCII, lower case, words joined by ``_``.

    >>> slugify("Gestion du stress !")
    'gestion_du_stress'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def closest_skills(unknown: str, catalogue: Mapping[str, str]) -> list[str]:
    """Catalogue codes closest to ``unknown``, comparing with codes and slugged labels.

    >>> closest_skills("organisation_deplacement", {"organisation_deplacements": "x", "b": "y"})
    ['organisation_deplacements']
    """
    key = slugify(unknown)
    by_form: dict[str, str] = {}
    for code, label in catalogue.items():
        by_form.setdefault(code, code)
        by_form.setdefault(slugify(label), code)
    found: list[str] = []
    for form in difflib.get_close_matches(key, list(by_form), n=MAX_SUGGESTIONS * 2, cutoff=0.5):
        if by_form[form] not in found:
            found.append(by_form[form])
    if not found:  # a word in common is still a useful hint
        words = set(key.split("_")) - {"de", "du", "des", "la", "le", "et", "d"}
        found = [c for c in catalogue if words & set(c.split("_"))]
    return found[:MAX_SUGGESTIONS]


def unknown_skill_problems(
    field: str, codes: Iterable[str], catalogue: Mapping[str, str]
) -> list[FieldError]:
    """One ``unknown_skill`` error per code absent from the catalogue, with the closest."""
    problems = []
    for code in codes:
        if code in catalogue:
            continue
        near = closest_skills(code, catalogue)
        if near:
            problems.append(
                FieldError(field, "unknown_skill", {"code": code, "closest": ", ".join(near)})
            )
        else:
            problems.append(FieldError(field, "unknown_skill_no_match", {"code": code}))
    return problems


def profile_problems(
    profile: Mapping[str, Any], catalogue: Mapping[str, str], member_id: str | None = None
) -> list[FieldError]:
    """Every business-rule violation of a matching profile (empty list = valid)."""
    problems = unknown_skill_problems("skills", profile.get("skills", {}), catalogue)
    problems += unknown_skill_problems("skills_wanted", profile.get("skills_wanted", ()), catalogue)
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
