"""A realistic synthetic community of assistants, for the demo and the benchmarks.

Pure: a seed and the skill codes of the catalogue in, member payloads (as the
profiles API takes them) out. Defaults follow the seed articles: 538 assistants over
5 French sites of unequal size, about 10% newcomers, 30% willing mentors, 5%
facilitators, and latent communities (a function pulls themes and skills with it) so
that clustering has something to find.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

SITES: dict[str, float] = {
    "Paris La Défense": 0.37,
    "Lyon Part-Dieu": 0.22,
    "Lille Euralille": 0.17,
    "Nantes": 0.13,
    "Marseille": 0.11,
}
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "assistante de direction": ("organisation_evenements", "deplacements", "confidentialite"),
    "assistante d'équipe": ("outils_numeriques", "travail_collaboratif", "classement"),
    "office manager": ("services_generaux", "budget", "bien_etre_au_travail"),
    "assistante commerciale": ("relation_client", "outils_numeriques", "budget"),
    "assistante RH": ("rh_administration", "integration_nouveaux", "bien_etre_au_travail"),
}
THEMES = sorted({t for ts in FUNCTIONS.values() for t in ts} | {"intelligence_artificielle"})
FIRST = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Emma",
    "Lucie",
    "Nadia",
    "Sophie",
    "Claire",
    "Aurélie",
    "Karine",
    "Nathalie",
    "Sandrine",
    "Isabelle",
    "Céline",
    "Amandine",
    "Yasmine",
    "Thomas",
    "Nicolas",
    "Julien",
    "Karim",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Benali",
    "Nguyen",
]


def community(
    n: int = 538,
    *,
    skill_codes: list[str],
    seed: int = 7,
    tag: str = "",
    today: date | None = None,
) -> list[dict[str, Any]]:
    """``n`` member payloads for ``POST /members``; the same seed gives the same people.

    About one in five members reports to an office manager of the same site: their
    payload has ``"manager_index"`` (the index of that manager in the list) for the
    caller to turn into ``manager_id`` once the manager exists.
    """
    rng = random.Random(seed)
    today = today or date.today()
    sites = list(SITES)
    counts = [round(n * w) for w in SITES.values()]
    counts[0] += n - sum(counts)
    site_of = [s for s, c in zip(sites, counts, strict=True) for _ in range(c)]
    rng.shuffle(site_of)
    skills_by_function = {f: rng.sample(skill_codes, min(6, len(skill_codes))) for f in FUNCTIONS}
    members = []
    for i in range(n):
        function = rng.choices(list(FUNCTIONS), weights=(30, 30, 15, 15, 10))[0]
        members.append(
            _member(rng, i, site_of[i], function, skills_by_function, skill_codes, today, tag)
        )
    leads: dict[str, list[int]] = {}
    for i, m in enumerate(members):
        if m["function"] == "office manager":
            leads.setdefault(m["site"], []).append(i)
    for i, m in enumerate(members):
        choices = [j for j in leads.get(m["site"], []) if j != i]
        if m["function"] != "office manager" and choices and rng.random() < 0.2:
            m["manager_index"] = rng.choice(choices)
    return members


def _member(
    rng: random.Random,
    i: int,
    site: str,
    function: str,
    skills_by_function: dict[str, list[str]],
    skill_codes: list[str],
    today: date,
    tag: str,
) -> dict[str, Any]:
    newcomer = rng.random() < 0.10
    years = rng.uniform(0.05, 0.5) if newcomer else rng.uniform(1, 30) ** 1.0
    first, last = rng.choice(FIRST), rng.choice(LAST)
    core = skills_by_function[function]
    owned = set(rng.sample(core, 4)) | set(rng.sample(skill_codes, 3))
    skills = {c: (rng.randint(0, 2) if newcomer else rng.randint(1, 4)) for c in sorted(owned)}
    weak = [c for c in skill_codes if skills.get(c, 0) <= 1]
    wanted = sorted(rng.sample(weak, min(len(weak), rng.randint(1, 3))))
    themes = set(rng.sample(FUNCTIONS[function], 2))
    if rng.random() < 0.3:
        themes.add(rng.choice(THEMES))
    mentor = not newcomer and years > 4 and rng.random() < 0.42
    groups = rng.random() < 0.65
    return {
        "display_name": f"{first} {last}",
        "email": f"{_ascii(first)}.{_ascii(last)}.{i}{tag}@exemple.fr",
        "preferred_language": "en" if rng.random() < 0.08 else "fr",
        "site": site,
        "department": rng.choice(
            ["Direction générale", "Finance", "Juridique", "Ventes", "RH", "IT"]
        ),
        "function": function,
        "start_date": (today - timedelta(days=round(years * 365.25))).isoformat(),
        "languages": ["fr", *(["en"] if rng.random() < 0.45 else [])],
        "skills": skills,
        "skills_wanted": wanted,
        "themes": sorted(themes),
        "opt_ins": {
            "mentor": mentor,
            "mentor_capacity": rng.randint(1, 3) if mentor else 0,
            "mentee": not mentor and (newcomer or rng.random() < 0.3),
            "groups": groups,
            "seminars": rng.random() < 0.47,
            "facilitator": groups and not newcomer and rng.random() < 0.09,
        },
    }


def _ascii(name: str) -> str:
    table = str.maketrans("éèêëïîôöüûàâç", "eeeeiioouuaac")
    return name.lower().translate(table)
