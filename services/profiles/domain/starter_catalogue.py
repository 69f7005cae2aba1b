"""The French starter catalogue of assistant skills shipped with the service.

Savoir-faire (know-how: tools, travel, events, minutes, budgets, HR admin...) and
savoir-être (soft skills: communication, time management, stress...), as found in the
seed articles, and a starter list of themes. HR edits them through ``/skills`` and
``/themes``.
"""

from __future__ import annotations

#: (code, kind, French label, English label)
STARTER_SKILLS: tuple[tuple[str, str, str, str], ...] = (
    ("gestion_agenda", "savoir_faire", "Gestion d'agendas complexes", "Complex diary management"),
    (
        "organisation_deplacements",
        "savoir_faire",
        "Organisation des déplacements",
        "Travel planning",
    ),
    (
        "organisation_evenements",
        "savoir_faire",
        "Organisation d'événements et séminaires",
        "Event and seminar organisation",
    ),
    (
        "redaction_comptes_rendus",
        "savoir_faire",
        "Prise de notes et comptes rendus",
        "Minute taking",
    ),
    ("redaction_courriers", "savoir_faire", "Rédaction de courriers et notes", "Business writing"),
    (
        "suivi_budgetaire",
        "savoir_faire",
        "Suivi budgétaire et notes de frais",
        "Budget and expense follow-up",
    ),
    (
        "administration_rh",
        "savoir_faire",
        "Administration RH (absences, recrutements)",
        "HR administration",
    ),
    (
        "gestion_documentaire",
        "savoir_faire",
        "Gestion documentaire et classement",
        "Document management",
    ),
    (
        "outils_bureautiques",
        "savoir_faire",
        "Outils bureautiques (Word, Excel, PowerPoint)",
        "Office tools",
    ),
    (
        "outils_collaboratifs",
        "savoir_faire",
        "Outils collaboratifs (Teams, SharePoint)",
        "Collaboration tools",
    ),
    ("gestion_projet", "savoir_faire", "Gestion de projet", "Project management"),
    (
        "accueil_integration",
        "savoir_faire",
        "Accueil et intégration des nouveaux arrivants",
        "Onboarding newcomers",
    ),
    ("anglais_professionnel", "savoir_faire", "Anglais professionnel", "Business English"),
    (
        "achats_fournisseurs",
        "savoir_faire",
        "Achats et relations fournisseurs",
        "Purchasing and suppliers",
    ),
    ("communication_interne", "savoir_faire", "Communication interne", "Internal communication"),
    ("communication", "savoir_etre", "Communication et écoute", "Communication and listening"),
    (
        "gestion_temps",
        "savoir_etre",
        "Gestion du temps et des priorités",
        "Time and priority management",
    ),
    ("gestion_stress", "savoir_etre", "Gestion du stress", "Stress management"),
    ("affirmation_de_soi", "savoir_etre", "Affirmation de soi", "Assertiveness"),
    (
        "discretion_confidentialite",
        "savoir_etre",
        "Discrétion et confidentialité",
        "Discretion and confidentiality",
    ),
    ("adaptabilite", "savoir_etre", "Adaptabilité", "Adaptability"),
    ("travail_en_equipe", "savoir_etre", "Travail en équipe", "Teamwork"),
    ("anticipation", "savoir_etre", "Anticipation et organisation", "Anticipation"),
    (
        "diplomatie",
        "savoir_etre",
        "Diplomatie et gestion des conflits",
        "Diplomacy and conflict handling",
    ),
)

#: (code, French label, English label): themes of interest of the exchange groups; it
#: covers every theme of the demo's synthetic community (``deploy/local/synthetic.py``).
STARTER_THEMES: tuple[tuple[str, str, str], ...] = (
    ("organisation_evenements", "Organisation d'événements", "Event organisation"),
    ("deplacements", "Déplacements professionnels", "Business travel"),
    ("confidentialite", "Confidentialité", "Confidentiality"),
    ("outils_numeriques", "Outils numériques", "Digital tools"),
    ("travail_collaboratif", "Travail collaboratif", "Collaborative work"),
    ("classement", "Classement et archivage", "Filing and archiving"),
    ("services_generaux", "Services généraux", "Facilities management"),
    ("budget", "Budget et notes de frais", "Budget and expenses"),
    ("bien_etre_au_travail", "Bien-être au travail", "Well-being at work"),
    ("relation_client", "Relation client", "Customer relations"),
    ("rh_administration", "Administration RH", "HR administration"),
    ("integration_nouveaux", "Intégration des nouveaux arrivants", "Onboarding newcomers"),
    ("intelligence_artificielle", "Intelligence artificielle", "Artificial intelligence"),
    ("teletravail", "Télétravail et travail hybride", "Remote and hybrid work"),
    ("gestion_priorites", "Priorités et charge de travail", "Priorities and workload"),
    ("evolution_professionnelle", "Évolution professionnelle", "Career development"),
    ("communication_ecrite", "Communication écrite", "Written communication"),
    ("rse", "Responsabilité sociétale (RSE)", "Corporate social responsibility"),
)
