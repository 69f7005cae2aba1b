"""Why a match was made, in words: one message per reason code (``reason.<code>``).

Reasons travel as codes with an optional argument (``skills:budget``, ``sites:4``);
:func:`shared.vocabulary.explain.describe` renders them, with skill and theme labels
from the profiles catalogue passed in as ``label``.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "reason.skills": {"fr": "compétence en commun : {label}", "en": "shared skill: {label}"},
    "reason.skill": {"fr": "compétence en commun : {label}", "en": "shared skill: {label}"},
    "reason.themes": {"fr": "intérêt commun : {label}", "en": "shared interest: {label}"},
    "reason.theme": {"fr": "thème du groupe : {label}", "en": "group theme: {label}"},
    "reason.sites": {
        "fr": {"one": "{n} site représenté", "other": "{n} sites représentés"},
        "en": {"one": "{n} site represented", "other": "{n} sites represented"},
    },
    "reason.language": {"fr": "langue commune : {label}", "en": "common language: {label}"},
    "reason.new_colleagues": {
        "fr": {"one": "{n} nouvelle rencontre", "other": "{n} nouvelles rencontres"},
        "en": {"one": "{n} new colleague met", "other": "{n} new colleagues met"},
    },
    "reason.cross_site": {
        "fr": "vous travaillez sur des sites différents : de quoi élargir votre réseau",
        "en": "you work on different sites: a chance to widen your network",
    },
    "reason.newcomer": {
        "fr": "l'un de vous vient d'arriver : un accompagnement utile pour bien démarrer",
        "en": "one of you has just joined: support that helps to get started",
    },
    "reason.seniority": {
        "fr": "une différence d'ancienneté propice à la transmission",
        "en": "a difference in seniority that favours passing on know-how",
    },
    "explanation.intro": {"fr": "Pourquoi vous : ", "en": "Why you: "},
    "explanation.none": {
        "fr": "Mise en relation proposée (aucun critère particulier ne s'applique)",
        "en": "Match proposed (no particular criterion applies)",
    },
    "explanation.separator": {"fr": " ; ", "en": "; "},
}
