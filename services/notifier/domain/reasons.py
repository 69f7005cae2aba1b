"""Reason codes of a match explanation, said in French or English.

The matcher's vocabulary is still moving, so unknown codes are shown as they are
rather than dropped, and codes with an argument (``skills:<code>``) render the
argument readably (``organisation_deplacements`` -> "organisation déplacements").

>>> describe("skills:organisation_deplacements", "fr")
'compétence en commun : organisation des déplacements'
>>> describe("themes:outils_numeriques", "en")
'shared interest: digital tools'
>>> describe("cross_site", "en")
'you work on different sites: a chance to widen your network'
>>> describe("mystery_code", "fr")
'mystery_code'
"""

from __future__ import annotations

from services.notifier.domain.model import Language

#: Well-known skill and theme codes (the profiles catalogue may hold more).
LABELS: dict[str, tuple[str, str]] = {
    "organisation_deplacements": ("organisation des déplacements", "travel arrangements"),
    "outils_numeriques": ("outils numériques", "digital tools"),
    "evenementiel": ("organisation d'événements", "event organisation"),
    "comptes_rendus": ("comptes rendus", "minutes"),
    "budget": ("suivi budgétaire", "budget follow-up"),
    "administration_rh": ("administration RH", "HR administration"),
    "communication": ("communication", "communication"),
    "gestion_du_temps": ("gestion du temps", "time management"),
    "gestion_du_stress": ("gestion du stress", "stress management"),
    "affirmation_de_soi": ("affirmation de soi", "assertiveness"),
}

FIXED: dict[str, tuple[str, str]] = {
    "cross_site": (
        "vous travaillez sur des sites différents : de quoi élargir votre réseau",
        "you work on different sites: a chance to widen your network",
    ),
    "newcomer": (
        "l'un de vous vient d'arriver : un accompagnement utile pour bien démarrer",
        "one of you has just joined: support that helps to get started",
    ),
    "seniority": (
        "une différence d'ancienneté propice à la transmission",
        "a difference in seniority that favours passing on know-how",
    ),
}

PREFIXED: dict[str, tuple[str, str]] = {
    "skills": ("compétence en commun : {}", "shared skill: {}"),
    "skill": ("compétence en commun : {}", "shared skill: {}"),
    "themes": ("intérêt commun : {}", "shared interest: {}"),
    "theme": ("thème du groupe : {}", "group theme: {}"),
    "sites": ("{} sites représentés", "{} sites represented"),
    "language": ("langue commune : {}", "common language: {}"),
}


def label(code: str, language: Language) -> str:
    """Readable label of a skill or theme code."""
    known = LABELS.get(code)
    if known:
        return known[0] if language == "fr" else known[1]
    return code.replace("_", " ").strip() or code


def describe(reason: str, language: Language) -> str:
    """One reason code in words; an unknown code is returned unchanged."""
    index = 0 if language == "fr" else 1
    if reason in FIXED:
        return FIXED[reason][index]
    prefix, sep, argument = reason.partition(":")
    if sep and prefix in PREFIXED and argument:
        return PREFIXED[prefix][index].format(label(argument, language))
    return reason


def describe_all(reasons: list[str] | tuple[str, ...], language: Language) -> list[str]:
    return [describe(r, language) for r in reasons]
