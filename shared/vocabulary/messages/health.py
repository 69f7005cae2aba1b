"""Messages of the network's health: the API's errors and the coordinator's dashboard."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "health_period_invalid": {
        "fr": "Période invalide : du {start} au {end} (le début doit précéder la fin, "
        "et la période durer moins de {days} jours).",
        "en": "Invalid period: {start} to {end} (the start must come before the end, "
        "and the period last less than {days} days).",
    },
    "health.title": {
        "fr": "Tableau de bord — santé du réseau",
        "en": "Dashboard — the network's health",
    },
    "health.nav": {"fr": "Tableau de bord", "en": "Dashboard"},
    "health.nav_intro": {
        "fr": "Membres actifs, acceptation, rencontres, satisfaction, équité entre sites "
        "et liens entre sites, mois par mois ; export CSV.",
        "en": "Active members, acceptance, meetings, satisfaction, fairness between sites "
        "and links between sites, month by month; CSV export.",
    },
    "health.intro": {
        "fr": "Du {start} au {end}. Un membre est actif s'il a participé (accepté, rencontré, "
        "assisté à une séance, donné son avis) dans les 90 jours qui précèdent la fin du mois.",
        "en": "From {start} to {end}. A member is active after taking part (accepting, meeting, "
        "attending a session, giving feedback) in the 90 days up to the month's end.",
    },
    "health.as_of": {
        "fr": "Chiffres arrêtés au {time}.",
        "en": "Figures as of {time}.",
    },
    "health.refreshing": {
        "fr": "Chiffres arrêtés au {time} : de nouveaux faits sont arrivés depuis, un rapport "
        "plus récent est en cours de calcul.",
        "en": "Figures as of {time}: new facts arrived since, a newer report is being "
        "computed.",
    },
    "health.reload": {"fr": "Recharger la page", "en": "Reload the page"},
    "health.filters": {"fr": "Période et périmètre", "en": "Period and scope"},
    "health.from": {"fr": "Du", "en": "From"},
    "health.to": {"fr": "Au", "en": "To"},
    "health.site": {"fr": "Site", "en": "Site"},
    "health.function": {"fr": "Fonction", "en": "Function"},
    "health.all_sites": {"fr": "Tous les sites", "en": "All sites"},
    "health.all_functions": {"fr": "Toutes les fonctions", "en": "All functions"},
    "health.show": {"fr": "Afficher", "en": "Show"},
    "health.export_csv": {"fr": "Exporter (CSV)", "en": "Export (CSV)"},
    "health.latest": {"fr": "Dernier mois : {month}", "en": "Latest month: {month}"},
    "health.month": {"fr": "Mois", "en": "Month"},
    "health.members": {"fr": "Membres", "en": "Members"},
    "health.active": {"fr": "membres actifs", "en": "active members"},
    "health.accepted": {"fr": "acceptations", "en": "acceptances"},
    "health.declined": {"fr": "refus", "en": "declines"},
    "health.unanswered": {"fr": "sans réponse", "en": "unanswered"},
    "health.acceptance_rate": {"fr": "taux d'acceptation", "en": "acceptance rate"},
    "health.meetings": {
        "fr": "rencontres (binômes et séances)",
        "en": "meetings (pairs and sessions)",
    },
    "health.pairs_met": {"fr": "binômes rencontrés", "en": "pairs that met"},
    "health.sessions": {"fr": "séances de groupe", "en": "group sessions"},
    "health.satisfaction": {"fr": "satisfaction (1–5)", "en": "satisfaction (1–5)"},
    "health.satisfaction_of": {
        "fr": {"one": "satisfaction (1–5, {n} avis)", "other": "satisfaction (1–5, {n} avis)"},
        "en": {"one": "satisfaction (1–5, {n} answer)", "other": "satisfaction (1–5, {n} answers)"},
    },
    "health.newcomers_mentored": {
        "fr": "nouveaux arrivants avec un mentor sous 30 jours",
        "en": "newcomers with a mentor within 30 days",
    },
    "health.newcomers_share": {
        "fr": "part des nouveaux arrivants avec un mentor sous 30 jours",
        "en": "share of newcomers with a mentor within 30 days",
    },
    "health.by_month": {"fr": "Mois par mois", "en": "Month by month"},
    "health.chart_activity": {
        "fr": "Membres actifs, rencontres et acceptations par mois",
        "en": "Active members, meetings and acceptances per month",
    },
    "health.chart_rates": {
        "fr": "Taux d'acceptation et nouveaux arrivants accompagnés par mois",
        "en": "Acceptance rate and newcomers mentored per month",
    },
    "health.table_alternative": {
        "fr": "Voir les chiffres en tableau",
        "en": "See the figures as a table",
    },
    "health.by_site": {"fr": "Par site", "en": "By site"},
    "health.chart_sites": {
        "fr": "Part des membres actifs par site ({month})",
        "en": "Share of active members by site ({month})",
    },
    "health.chart_quality": {
        "fr": "Qualité moyenne des binômes par site, et moyenne générale",
        "en": "Mean quality of the mentoring pairs by site, and the overall mean",
    },
    "health.overall_quality": {"fr": "moyenne générale : {value}", "en": "overall mean: {value}"},
    "health.mean_quality": {"fr": "qualité moyenne", "en": "mean quality"},
    "health.gap": {"fr": "écart à la moyenne (équité)", "en": "gap to the mean (fairness)"},
    "health.network": {"fr": "Le réseau : qui a rencontré qui", "en": "The network: who met whom"},
    "health.network_intro": {
        "fr": "Du {start} au {end} : binômes qui se sont rencontrés, participants d'une même "
        "séance de groupe, voisins de table d'un séminaire.",
        "en": "From {start} to {end}: pairs that met, people at one group session, "
        "seminar tablemates.",
    },
    "health.isolated": {
        "fr": "membres isolés (aucune rencontre)",
        "en": "isolated members (met nobody)",
    },
    "health.largest_share": {
        "fr": "dans le plus grand ensemble relié",
        "en": "in the largest connected part",
    },
    "health.links": {"fr": "liens entre membres", "en": "links between members"},
    "health.matrix": {
        "fr": "Liens entre sites (nombre de paires, et part des paires possibles)",
        "en": "Links between sites (pairs, and share of the possible pairs)",
    },
    "health.matrix_help": {
        "fr": "Plus la case est foncée, plus les deux sites sont liés.",
        "en": "The darker the cell, the more the two sites are linked.",
    },
    "health.bridges": {"fr": "Qui relie les sites", "en": "Who bridges sites"},
    "health.bridges_help": {
        "fr": "Les membres dont les contacts sont sur le plus d'autres sites ; « point de "
        "passage » : sans eux, une partie du réseau serait coupée.",
        "en": "Members whose contacts are on the most other sites; 'cut point': without them "
        "part of the network would be cut off.",
    },
    "health.member": {"fr": "Membre", "en": "Member"},
    "health.other_sites": {"fr": "autres sites", "en": "other sites"},
    "health.cross_contacts": {"fr": "contacts sur d'autres sites", "en": "contacts on other sites"},
    "health.cut_vertex": {"fr": "point de passage", "en": "cut point"},
    "health.yes": {"fr": "oui", "en": "yes"},
    "health.no": {"fr": "non", "en": "no"},
    "health.none": {"fr": "Aucun pour l'instant.", "en": "None yet."},
}
