"""French messages for validation errors (pydantic error dicts are plain mappings)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MESSAGES = {
    "missing": "champ obligatoire",
    "extra_forbidden": "champ inconnu ou non modifiable : il n'est pas accepté ici",
    "string_too_short": "texte trop court (au moins {min_length} caractère(s))",
    "string_too_long": "texte trop long (au plus {max_length} caractères)",
    "string_pattern_mismatch": "format invalide",
    "string_type": "texte attendu",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_parsing": "valeur oui/non attendue",
    "bool_type": "valeur oui/non attendue",
    "less_than_equal": "valeur trop grande (au plus {le})",
    "greater_than_equal": "valeur trop petite (au moins {ge})",
    "literal_error": "valeur non autorisée ; valeurs possibles : {expected}",
    "date_from_datetime_parsing": "date invalide (format AAAA-MM-JJ)",
    "date_from_datetime_inexact": "date invalide (format AAAA-MM-JJ)",
    "date_parsing": "date invalide (format AAAA-MM-JJ)",
    "date_type": "date attendue (format AAAA-MM-JJ)",
    "too_long": "trop d'éléments (au plus {max_length})",
    "too_short": "pas assez d'éléments (au moins {min_length})",
    "list_type": "liste attendue",
    "dict_type": "objet attendu",
    "model_type": "objet attendu",
    "model_attributes_type": "objet attendu",
    "json_invalid": "JSON invalide",
    "json_type": "JSON invalide",
    "none_required": "valeur null attendue",
}


def french_message(error: Mapping[str, Any]) -> str:
    """The French message of one pydantic error (``type``, ``msg``, ``ctx``)."""
    kind = str(error.get("type", ""))
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = _MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", "valeur invalide"))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split(" (")[0]
