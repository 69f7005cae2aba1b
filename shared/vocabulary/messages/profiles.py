"""Messages of the profiles service (codes of its errors, reports and texts)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    # Members.
    "member_not_found": {
        "fr": "Membre {member_id} introuvable.",
        "en": "Member {member_id} not found.",
    },
    "fields_owned_by_hr": {
        "fr": {
            "one": "Ce champ est tenu par les RH, pas par le membre : {fields}.",
            "other": "Ces {n} champs sont tenus par les RH, pas par le membre : {fields}.",
        },
        "en": {
            "one": "This field is kept by HR, not by the member: {fields}.",
            "other": "These {n} fields are kept by HR, not by the member: {fields}.",
        },
    },
    "field_owned_by_hr": {
        "fr": "champ tenu par les RH : demandez-leur de le modifier",
        "en": "field kept by HR: ask them to change it",
    },
    "registration_refused": {
        "fr": "Ce profil ne peut pas être créé ; si vous en avez déjà un, "
        "demandez aux RH de le relier à votre compte.",
        "en": "This profile cannot be created; if you already have one, "
        "ask HR to link it to your account.",
    },
    "member_not_found_by_key": {
        "fr": "Aucun membre n'a cet identifiant RH ou cette adresse.",
        "en": "No member has this HR id or address.",
    },
    "lookup_needs_one_key": {
        "fr": "Indiquez soit external_id, soit email.",
        "en": "Give either external_id or email.",
    },
    "organisation_import_refused": {
        "fr": {
            "one": "Organigramme refusé : {n} erreur ; rien n'a été enregistré.",
            "other": "Organigramme refusé : {n} erreurs ; rien n'a été enregistré.",
        },
        "en": {
            "one": "Organisation file refused: {n} error; nothing was stored.",
            "other": "Organisation file refused: {n} errors; nothing was stored.",
        },
    },
    "org.missing_key": {
        "fr": "identifiant RH du manager absent ou invalide (60 caractères, sans espace)",
        "en": "the manager's HR id is missing or invalid (60 characters, no spaces)",
    },
    "org.missing_name": {"fr": "nom du manager absent", "en": "the manager's name is missing"},
    "org.duplicate_key": {
        "fr": "manager déjà décrit à la ligne {row}",
        "en": "manager already described on row {row}",
    },
    "org.key_of_a_member": {
        "fr": "« {key} » est un membre du réseau, pas un manager hors réseau",
        "en": "“{key}” is a member of the network, not an outside manager",
    },
    "member_already_exists": {
        "fr": "Le profil {member_id} existe déjà.",
        "en": "Profile {member_id} already exists.",
    },
    "email_taken": {
        "fr": "Un membre avec l'adresse {email} existe déjà.",
        "en": "A member with the address {email} already exists.",
    },
    "member_created_concurrently": {
        "fr": "Ce membre vient d'être créé par une autre requête.",
        "en": "This member has just been created by another request.",
    },
    "email_taken_concurrently": {
        "fr": "Cette adresse vient d'être prise par un autre membre.",
        "en": "This address has just been taken by another member.",
    },
    "member_changed_concurrently": {
        "fr": "Le profil vient d'être modifié par une autre requête ; réessayez.",
        "en": "The profile has just been changed by another request; try again.",
    },
    "member_busy": {
        "fr": "Le profil change trop souvent en ce moment ; réessayez.",
        "en": "The profile is changing too often right now; try again.",
    },
    "invalid_profile": {
        "fr": {
            "one": "Le profil enfreint {n} règle ; voir la liste des champs.",
            "other": "Le profil enfreint {n} règles ; voir la liste des champs.",
        },
        "en": {
            "one": "The profile breaks {n} rule; see the list of fields.",
            "other": "The profile breaks {n} rules; see the list of fields.",
        },
    },
    # Rules on a profile (field errors).
    "unknown_skill": {
        "fr": "compétence « {code} » absente du catalogue ; entrées les plus proches : {closest}",
        "en": "skill “{code}” is not in the catalogue; closest entries: {closest}",
    },
    "unknown_skill_no_match": {
        "fr": "compétence « {code} » absente du catalogue ; consultez GET /skills",
        "en": "skill “{code}” is not in the catalogue; see GET /skills",
    },
    "mentor_capacity_range": {
        "fr": "un mentor accepte entre {min} et {max} mentorés",
        "en": "a mentor takes between {min} and {max} mentees",
    },
    "own_manager": {
        "fr": "un membre ne peut pas être son propre manager",
        "en": "a member cannot be their own manager",
    },
    "unknown_manager": {
        "fr": "aucun membre n'a l'identifiant {manager_id}",
        "en": "no member has the id {manager_id}",
    },
    "unknown_manager_reference": {
        "fr": "aucun membre ni manager n'a l'identifiant ou l'adresse « {manager} »",
        "en": "no member or manager has the id or address “{manager}”",
    },
    "external_id_taken": {
        "fr": "Un membre a déjà l'identifiant RH {external_id}.",
        "en": "A member already has the HR id {external_id}.",
    },
    "token_subject_unusable": {
        "fr": "identifiant de jeton inutilisable comme id",
        "en": "the token's subject cannot be used as an id",
    },
    "validation.chat_needs_webhook": {
        "fr": "le canal « chat » demande une adresse chat_webhook_url",
        "en": "the “chat” channel needs a chat_webhook_url address",
    },
    "validation.not_nullable": {
        "fr": "ces champs ne peuvent pas être null : {fields}",
        "en": "these fields cannot be null: {fields}",
    },
    # Skills catalogue.
    "skill_not_found": {
        "fr": "Compétence « {code} » absente du catalogue.",
        "en": "Skill “{code}” is not in the catalogue.",
    },
    "skill_already_exists": {
        "fr": "La compétence « {code} » existe déjà.",
        "en": "Skill “{code}” already exists.",
    },
    "skill_in_use": {
        "fr": {
            "one": "La compétence « {code} » est citée par {n} membre ; "
            "retirez-la de son profil avant de la supprimer.",
            "other": "La compétence « {code} » est citée par {n} membres ; "
            "retirez-la de leurs profils avant de la supprimer.",
        },
        "en": {
            "one": "Skill “{code}” is cited by {n} member; "
            "remove it from their profile before deleting it.",
            "other": "Skill “{code}” is cited by {n} members; "
            "remove it from their profiles before deleting it.",
        },
    },
    "skill_just_cited": {
        "fr": "La compétence « {code} » vient d'être citée par un membre.",
        "en": "Skill “{code}” has just been cited by a member.",
    },
    "invalid_skill": {
        "fr": "Compétence refusée ; voir la liste des champs.",
        "en": "Skill refused; see the list of fields.",
    },
    "skill_code_underivable": {
        "fr": "Impossible de dériver un code du libellé « {label} » ; indiquez « code ».",
        "en": "No code can be derived from the label “{label}”; give “code”.",
    },
    # Themes catalogue, near-duplicates and catalogue imports.
    "theme_not_found": {
        "fr": "Thème « {code} » absent du catalogue.",
        "en": "Theme “{code}” is not in the catalogue.",
    },
    "theme_already_exists": {
        "fr": "Le thème « {code} » existe déjà.",
        "en": "Theme “{code}” already exists.",
    },
    "theme_in_use": {
        "fr": {
            "one": "Le thème « {code} » est cité par {n} membre ; "
            "retirez-le de son profil avant de le supprimer.",
            "other": "Le thème « {code} » est cité par {n} membres ; "
            "retirez-le de leurs profils avant de le supprimer.",
        },
        "en": {
            "one": "Theme “{code}” is cited by {n} member; "
            "remove it from their profile before deleting it.",
            "other": "Theme “{code}” is cited by {n} members; "
            "remove it from their profiles before deleting it.",
        },
    },
    "theme_just_cited": {
        "fr": "Le thème « {code} » vient d'être cité par un membre.",
        "en": "Theme “{code}” has just been cited by a member.",
    },
    "invalid_theme": {
        "fr": "Thème refusé ; voir la liste des champs.",
        "en": "Theme refused; see the list of fields.",
    },
    "unknown_theme": {
        "fr": "thème « {code} » absent du catalogue ; entrées les plus proches : {closest}",
        "en": "theme “{code}” is not in the catalogue; closest entries: {closest}",
    },
    "unknown_theme_no_match": {
        "fr": "thème « {code} » absent du catalogue ; consultez GET /themes",
        "en": "theme “{code}” is not in the catalogue; see GET /themes",
    },
    "catalogue_near_duplicate": {
        "fr": "« {name} » désigne déjà l'entrée « {existing} » (à l'orthographe près) ; "
        "modifiez-la, ou ajoutez force=true pour créer quand même.",
        "en": "“{name}” already names the entry “{existing}” (give or take spelling); "
        "change that entry, or add force=true to create anyway.",
    },
    "csv.near_duplicate": {
        "fr": "« {name} » désigne déjà l'entrée « {existing} » (à l'orthographe près)",
        "en": "“{name}” already names the entry “{existing}” (give or take spelling)",
    },
    "csv.duplicate_entry": {
        "fr": "entrée déjà présente à la ligne {row}",
        "en": "entry already on row {row}",
    },
    # CSV import.
    "invalid_import": {
        "fr": "Fichier CSV refusé.",
        "en": "CSV file refused.",
    },
    "csv_encoding": {
        "fr": "Fichier illisible : encodez-le en UTF-8.",
        "en": "Unreadable file: encode it in UTF-8.",
    },
    "csv_empty": {
        "fr": "Fichier vide : la première ligne doit nommer les colonnes.",
        "en": "Empty file: the first line must name the columns.",
    },
    "csv_too_many_rows": {
        "fr": "Trop de lignes : {max_rows} au plus par fichier.",
        "en": "Too many rows: at most {max_rows} per file.",
    },
    "csv_unreadable": {
        "fr": "Fichier CSV illisible : {reason}.",
        "en": "Unreadable CSV file: {reason}.",
    },
    "import_member_created_concurrently": {
        "fr": "Un membre du fichier vient d'être créé par une autre requête ; relancez l'import.",
        "en": "A member of the file was just created by another request; run the import again.",
    },
    "import_refused": {
        "fr": {
            "one": "Import refusé : {n} erreur ; rien n'a été enregistré (voir « report »).",
            "other": "Import refusé : {n} erreurs ; rien n'a été enregistré (voir « report »).",
        },
        "en": {
            "one": "Import refused: {n} error; nothing was stored (see “report”).",
            "other": "Import refused: {n} errors; nothing was stored (see “report”).",
        },
    },
    "csv.unknown_column": {
        "fr": "colonne inconnue ; colonnes acceptées : {columns}",
        "en": "unknown column; accepted columns: {columns}",
    },
    "csv.missing_column": {
        "fr": "colonne obligatoire absente",
        "en": "required column missing",
    },
    "csv.duplicate_column": {"fr": "colonne en double", "en": "duplicate column"},
    "csv.extra_cells": {
        "fr": "plus de cellules que de colonnes",
        "en": "more cells than columns",
    },
    "csv.invalid_date": {
        "fr": "date invalide (AAAA-MM-JJ ou JJ/MM/AAAA)",
        "en": "invalid date (YYYY-MM-DD or DD/MM/YYYY)",
    },
    "csv.invalid_skill_item": {
        "fr": "« {item} » : format code:niveau attendu (niveau 0 à 4)",
        "en": "“{item}”: code:level expected (level 0 to 4)",
    },
    "csv.duplicate_email": {
        "fr": "adresse déjà présente à la ligne {row}",
        "en": "address already on row {row}",
    },
    "csv.id_mismatch": {
        "fr": "identifiant non modifiable : il ne correspond pas à cette adresse",
        "en": "the id cannot be changed: it does not match this address",
    },
    "csv.unknown_manager_email": {
        "fr": "aucun membre n'a l'adresse {email}",
        "en": "no member has the address {email}",
    },
    "csv.duplicate_external_id": {
        "fr": "identifiant RH déjà présent à la ligne {row}",
        "en": "HR id already on row {row}",
    },
    "csv.email_of_another_member": {
        "fr": "cette adresse est celle d'un autre membre",
        "en": "this address is another member's",
    },
    "csv.unknown_manager": {
        "fr": "aucun membre ni manager n'a l'identifiant ou l'adresse « {manager} » ; "
        "indiquez manager_name pour créer un manager hors réseau",
        "en": "no member or manager has the id or address “{manager}”; "
        "give manager_name to create a manager outside the network",
    },
    "csv.invalid_manager_key": {
        "fr": "« {manager} » ne peut pas servir d'identifiant RH de manager "
        "(60 caractères au plus, sans espace)",
        "en": "“{manager}” cannot be a manager's HR id (at most 60 characters, no spaces)",
    },
    "csv.manager_row_rejected": {
        "fr": "la ligne {row} du manager est rejetée",
        "en": "the manager's row {row} is rejected",
    },
    # Member CSV columns (GET /members/import/columns).
    "csv.column.email": {
        "fr": "Adresse professionnelle : la clé de la ligne (crée ou met à jour le membre).",
        "en": "Work address: the key of the row (creates or updates the member).",
    },
    "csv.column.external_id": {
        "fr": "Identifiant RH de la personne (unique).",
        "en": "HR's id of the person (unique).",
    },
    "csv.column.id": {
        "fr": "Identifiant Entraide, tel qu'exporté ; ne se modifie pas.",
        "en": "Entraide id, as exported; cannot be changed.",
    },
    "csv.column.display_name": {
        "fr": "Nom affiché.",
        "en": "Display name.",
    },
    "csv.column.site": {
        "fr": "Site de travail.",
        "en": "Work site.",
    },
    "csv.column.department": {
        "fr": "Direction ou service.",
        "en": "Department.",
    },
    "csv.column.function": {
        "fr": "Fonction.",
        "en": "Job function.",
    },
    "csv.column.manager_email": {
        "fr": "Adresse du manager, s'il est membre.",
        "en": "The manager's address, if a member.",
    },
    "csv.column.manager": {
        "fr": "Manager : identifiant RH ou adresse ; peut ne pas être membre.",
        "en": "Manager: HR id or address; need not be a member.",
    },
    "csv.column.manager_name": {
        "fr": "Nom du manager (s'il n'est pas membre).",
        "en": "The manager's name (if not a member).",
    },
    "csv.column.team": {
        "fr": "Code d'équipe RH (son nom vient du fichier de l'organisation).",
        "en": "HR's team code (its name comes from the organisation file).",
    },
    "csv.column.start_date": {
        "fr": "Date d'arrivée dans l'entreprise.",
        "en": "Start date in the company.",
    },
    "csv.column.preferred_language": {
        "fr": "Langue des messages.",
        "en": "Language of the messages.",
    },
    "csv.column.languages": {
        "fr": "Langues parlées.",
        "en": "Languages spoken.",
    },
    "csv.column.skills": {
        "fr": "Compétences (code, libellé ou alias) et niveau.",
        "en": "Skills (code, label or alias) and level.",
    },
    "csv.column.skills_wanted": {
        "fr": "Compétences recherchées (code, libellé ou alias).",
        "en": "Skills wanted (code, label or alias).",
    },
    "csv.column.themes": {
        "fr": "Thèmes d'intérêt (code, libellé ou alias).",
        "en": "Themes of interest (code, label or alias).",
    },
    "csv.column.availability_frequency": {
        "fr": "Fréquence de disponibilité.",
        "en": "How often available.",
    },
    "csv.column.availability_mode": {
        "fr": "À distance, sur site ou les deux.",
        "en": "Remote, on site or either.",
    },
    "csv.column.mentor": {
        "fr": "Volontaire pour être mentor.",
        "en": "Volunteers as a mentor.",
    },
    "csv.column.mentor_capacity": {
        "fr": "Nombre de mentorés au plus.",
        "en": "At most this many mentees.",
    },
    "csv.column.mentee": {
        "fr": "Souhaite un mentor.",
        "en": "Wants a mentor.",
    },
    "csv.column.groups": {
        "fr": "Volontaire pour les groupes d'échange.",
        "en": "Volunteers for exchange groups.",
    },
    "csv.column.seminars": {
        "fr": "Participe aux séminaires.",
        "en": "Attends seminars.",
    },
    "csv.column.facilitator": {
        "fr": "Volontaire pour animer un groupe.",
        "en": "Volunteers to facilitate a group.",
    },
    "csv.column.paused_until": {
        "fr": "Pas de mise en relation avant cette date.",
        "en": "No matching before this date.",
    },
    "csv.column.left_on": {
        "fr": "Parti·e de l'entreprise ce jour : le membre quitte les tours à venir et les "
        "mises en relation publiées sont réparées selon le tour. Vide : rien ne change ; "
        "un départ déjà enregistré est gardé.",
        "en": "Left the company on this day: the member leaves future rounds and published "
        "matches are repaired per the round's policy. Blank: nothing changes; a departure "
        "already recorded is kept.",
    },
    "csv.column.notification_channels": {
        "fr": "Canaux de notification.",
        "en": "Notification channels.",
    },
    "csv.column.chat_webhook_url": {
        "fr": "Webhook https du canal chat.",
        "en": "https webhook of the chat channel.",
    },
    "csv.expected": {"fr": "attendu : {format}", "en": "expected: {format}"},
}
