"""Messages every service uses: HTTP titles, access, request and validation errors."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    # Titles of RFC 9457 problems, one per status.
    "http.400": {"fr": "Requête invalide", "en": "Bad request"},
    "http.401": {"fr": "Authentification requise", "en": "Authentication required"},
    "http.403": {"fr": "Accès refusé", "en": "Forbidden"},
    "http.404": {"fr": "Introuvable", "en": "Not found"},
    "http.405": {"fr": "Méthode non autorisée", "en": "Method not allowed"},
    "http.409": {"fr": "Conflit", "en": "Conflict"},
    "http.413": {"fr": "Contenu trop volumineux", "en": "Content too large"},
    "http.415": {"fr": "Type de contenu non pris en charge", "en": "Unsupported media type"},
    "http.422": {"fr": "Données refusées", "en": "Unprocessable content"},
    "http.429": {"fr": "Trop de requêtes", "en": "Too many requests"},
    "http.500": {"fr": "Erreur interne", "en": "Internal error"},
    "http.503": {"fr": "Service indisponible", "en": "Service unavailable"},
    # Access.
    "auth_required": {
        "fr": "Authentification requise (en-tête Authorization: Bearer <jeton>).",
        "en": "Authentication required (header Authorization: Bearer <token>).",
    },
    "invalid_token": {
        "fr": "Jeton invalide : {reason}",
        "en": "Invalid token: {reason}",
    },
    "account_erased": {
        "fr": "Ce compte a été effacé : ses jetons ne sont plus acceptés.",
        "en": "This account was erased: its tokens are no longer accepted.",
    },
    "coordinators_only": {
        "fr": "Réservé aux coordinateurs.",
        "en": "Coordinators only.",
    },
    "services_only": {
        "fr": "Réservé aux services internes.",
        "en": "Internal services only.",
    },
    "metrics_token_required": {
        "fr": "Les métriques demandent le jeton de collecte "
        "(en-tête Authorization: Bearer <ENTRAIDE_METRICS_TOKEN>).",
        "en": "Metrics need the scrape token "
        "(header Authorization: Bearer <ENTRAIDE_METRICS_TOKEN>).",
    },
    "metrics_loopback_only": {
        "fr": "Sans jeton de collecte (ENTRAIDE_METRICS_TOKEN), les métriques ne sont "
        "lisibles que depuis cette machine (127.0.0.1).",
        "en": "Without a scrape token (ENTRAIDE_METRICS_TOKEN), metrics can only be read "
        "from this machine (127.0.0.1).",
    },
    # Requests.
    "body_too_large": {
        "fr": "Corps de requête trop volumineux (maximum {max_bytes} octets).",
        "en": "Request body too large (at most {max_bytes} bytes).",
    },
    "body_unreadable": {
        "fr": "Corps de requête illisible (JSON UTF-8 attendu).",
        "en": "Unreadable request body (UTF-8 JSON expected).",
    },
    "invalid_request": {
        "fr": "La requête contient {n} erreur(s) ; voir la liste des champs.",
        "en": "The request has {n} error(s); see the list of fields.",
    },
    "internal_error": {
        "fr": "Une erreur inattendue s'est produite ; elle a été journalisée.",
        "en": "An unexpected error occurred; it has been logged.",
    },
    "storage_unavailable": {
        "fr": "Le disque des données refuse les écritures (plein ou en lecture seule) : "
        "rien n'a été enregistré. Réessayez dans quelques minutes.",
        "en": "The data disk refuses writes (full or read-only): nothing was saved. "
        "Try again in a few minutes.",
    },
    "route_not_found": {
        "fr": "Aucune ressource à cette adresse.",
        "en": "Nothing at this address.",
    },
    "method_not_allowed": {
        "fr": "Méthode non autorisée sur cette adresse.",
        "en": "Method not allowed at this address.",
    },
    # What members type (shared/safety.py).
    "webhook_not_https": {
        "fr": "l'adresse du webhook doit commencer par https://",
        "en": "the webhook address must start with https://",
    },
    "webhook_malformed": {"fr": "adresse de webhook invalide", "en": "invalid webhook address"},
    "webhook_host_not_allowed": {
        "fr": "l'hôte {host} n'est pas autorisé par le service informatique",
        "en": "the host {host} is not allowed by IT",
    },
    "webhook_unresolvable": {
        "fr": "l'hôte {host} est introuvable",
        "en": "the host {host} cannot be found",
    },
    "webhook_private_address": {
        "fr": "l'hôte {host} désigne une adresse interne ({address}) : refusé",
        "en": "the host {host} points to an internal address ({address}): refused",
    },
    # Field validation (pydantic error types, prefixed ``validation.``).
    "validation.missing": {"fr": "champ obligatoire", "en": "required field"},
    "validation.extra_forbidden": {
        "fr": "champ inconnu ou non modifiable : il n'est pas accepté ici",
        "en": "unknown or read-only field: not accepted here",
    },
    "validation.string_too_short": {
        "fr": "texte trop court (au moins {min_length} caractère(s))",
        "en": "text too short (at least {min_length} character(s))",
    },
    "validation.string_too_long": {
        "fr": "texte trop long (au plus {max_length} caractères)",
        "en": "text too long (at most {max_length} characters)",
    },
    "validation.string_pattern_mismatch": {"fr": "format invalide", "en": "invalid format"},
    "validation.string_type": {"fr": "texte attendu", "en": "text expected"},
    "validation.int_parsing": {"fr": "nombre entier attendu", "en": "whole number expected"},
    "validation.int_type": {"fr": "nombre entier attendu", "en": "whole number expected"},
    "validation.int_from_float": {"fr": "nombre entier attendu", "en": "whole number expected"},
    "validation.float_parsing": {"fr": "nombre attendu", "en": "number expected"},
    "validation.float_type": {"fr": "nombre attendu", "en": "number expected"},
    "validation.bool_parsing": {"fr": "valeur oui/non attendue", "en": "yes/no value expected"},
    "validation.bool_type": {"fr": "valeur oui/non attendue", "en": "yes/no value expected"},
    "validation.less_than_equal": {
        "fr": "valeur trop grande (au plus {le})",
        "en": "value too large (at most {le})",
    },
    "validation.less_than": {
        "fr": "valeur trop grande (moins de {lt})",
        "en": "value too large (less than {lt})",
    },
    "validation.greater_than_equal": {
        "fr": "valeur trop petite (au moins {ge})",
        "en": "value too small (at least {ge})",
    },
    "validation.greater_than": {
        "fr": "valeur trop petite (plus de {gt})",
        "en": "value too small (more than {gt})",
    },
    "validation.literal_error": {
        "fr": "valeur non autorisée ; valeurs possibles : {expected}",
        "en": "value not allowed; possible values: {expected}",
    },
    "validation.enum": {
        "fr": "valeur non autorisée ; valeurs possibles : {expected}",
        "en": "value not allowed; possible values: {expected}",
    },
    "validation.date_from_datetime_parsing": {
        "fr": "date invalide (format AAAA-MM-JJ)",
        "en": "invalid date (format YYYY-MM-DD)",
    },
    "validation.date_from_datetime_inexact": {
        "fr": "date invalide (format AAAA-MM-JJ)",
        "en": "invalid date (format YYYY-MM-DD)",
    },
    "validation.date_parsing": {
        "fr": "date invalide (format AAAA-MM-JJ)",
        "en": "invalid date (format YYYY-MM-DD)",
    },
    "validation.date_type": {
        "fr": "date attendue (format AAAA-MM-JJ)",
        "en": "date expected (format YYYY-MM-DD)",
    },
    "validation.datetime_parsing": {
        "fr": "date et heure invalides (format ISO 8601)",
        "en": "invalid date and time (ISO 8601 format)",
    },
    "validation.too_long": {
        "fr": "trop d'éléments (au plus {max_length})",
        "en": "too many items (at most {max_length})",
    },
    "validation.too_short": {
        "fr": "pas assez d'éléments (au moins {min_length})",
        "en": "not enough items (at least {min_length})",
    },
    "validation.list_type": {"fr": "liste attendue", "en": "list expected"},
    "validation.dict_type": {"fr": "objet attendu", "en": "object expected"},
    "validation.model_type": {"fr": "objet attendu", "en": "object expected"},
    "validation.model_attributes_type": {"fr": "objet attendu", "en": "object expected"},
    "validation.json_invalid": {"fr": "JSON invalide", "en": "invalid JSON"},
    "validation.json_type": {"fr": "JSON invalide", "en": "invalid JSON"},
    "validation.none_required": {"fr": "valeur null attendue", "en": "null expected"},
    "validation.unknown": {"fr": "valeur invalide", "en": "invalid value"},
}
