"""Managers named by a member CSV import: a member, an outside manager, or a new one.

The ``manager`` column (or the older ``manager_email``) names the manager by HR
external id or e-mail: a row of the same file, a stored member, or an outside
manager. An unknown name with a ``manager_name`` cell creates an outside manager on
the fly (organisation reference data, never a member).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from services.profiles.adapters import organisation_repository as org
from services.profiles.api.schemas import HR_KEY_PATTERN
from services.profiles.domain.errors import FieldError
from services.profiles.domain.organisation import outside_node
from services.profiles.service_layer.lines import resolve_manager

if TYPE_CHECKING:
    from services.profiles.service_layer.imports import Line


def manager_column(header: Sequence[str]) -> str | None:
    """The column naming managers in this file, if any (``manager`` first)."""
    return next((c for c in ("manager", "manager_email") if c in header), None)


def resolve(
    conn: Connection, lines: list[Line], refs: dict[str, str], column: str
) -> dict[str, org.ManagerRecord]:
    """Set each row's ``manager_id``; return the outside managers to create."""
    new: dict[str, org.ManagerRecord] = {}
    for line in lines:
        if not line.member_id:
            continue
        ref = (line.manager_ref or "").strip()
        node = _node(conn, ref, refs, new) if ref else None
        if ref and node is None and line.manager_name:
            node = _new_outside(ref, line.manager_name, new)
        if ref and node is None:
            code = "csv.unknown_manager" if line.manager_name is None else "csv.invalid_manager_key"
            line.problems.append(FieldError(column, code, {"manager": ref}))
        line.fields["manager_id"] = node
    return new


def _node(
    conn: Connection, ref: str, refs: dict[str, str], new: dict[str, org.ManagerRecord]
) -> str | None:
    found = refs.get(ref) or refs.get(ref.lower())
    if found is None and ref in new:
        found = outside_node(ref)
    return found or resolve_manager(conn, ref)


def _new_outside(ref: str, name: str, new: dict[str, org.ManagerRecord]) -> str | None:
    if not re.fullmatch(HR_KEY_PATTERN, ref):
        return None
    email = ref.lower() if "@" in ref else None
    new[ref] = org.ManagerRecord(ref, name[:200], email, None, None)
    return outside_node(ref)
