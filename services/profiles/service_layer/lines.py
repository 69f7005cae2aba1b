"""Management lines kept in step with the organisation graph.

A member's stored profile carries its ``management_line`` (every manager above it,
direct first), computed from the organisation graph (members and outside managers,
:mod:`services.profiles.domain.organisation`). When an organisation change moves a
node, every member below it whose line changed gets a new version and one
``member.profile_updated`` in the outbox — and only those.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import networkx as nx
from sqlalchemy import Connection

from services.profiles import SERVICE
from services.profiles.adapters import member_queries as queries
from services.profiles.adapters import organisation_repository as org
from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_event
from services.profiles.api.schemas import MATCHING_FIELDS
from services.profiles.domain.errors import MemberChanged
from services.profiles.domain.organisation import (
    below,
    build_graph,
    is_outside,
    management_line,
    outside_node,
    set_manager,
)
from shared.events import MatchingProfile, MemberProfileUpdated

PRODUCER = SERVICE


def matching_of(data: dict[str, Any]) -> MatchingProfile:
    """The matching attributes of a stored profile (what events carry)."""
    return MatchingProfile.model_validate({k: v for k, v in data.items() if k in MATCHING_FIELDS})


def graph_of(conn: Connection) -> nx.DiGraph:
    """The organisation graph as stored: members and outside managers."""
    return build_graph(org.edges(conn))


def with_line(graph: nx.DiGraph, member_id: str, clean: dict[str, Any]) -> dict[str, Any]:
    """``clean`` with the member's line; the member's manager edge is set in ``graph``."""
    set_manager(graph, member_id, clean.get("manager_id"))
    return {**clean, "management_line": list(management_line(graph, member_id))}


def resolve_manager(conn: Connection, reference: str) -> str | None:
    """The organisation node named by a member id, HR external id or e-mail, or None.

    ``mgr:<key>`` names an outside manager directly; otherwise a member wins over an
    outside manager with the same key or e-mail.
    """
    if reference.startswith("mgr:"):
        key = org.find_outside_key(conn, reference.removeprefix("mgr:"))
        return reference if key == reference.removeprefix("mgr:") else None
    member_id = queries.find_member_id(conn, reference)
    if member_id is not None:
        return member_id
    key = org.find_outside_key(conn, reference)
    return outside_node(key) if key else None


def node_exists(conn: Connection, node: str) -> bool:
    if is_outside(node):
        return org.find_outside_key(conn, node.removeprefix("mgr:")) == node.removeprefix("mgr:")
    return repo.member_exists(conn, node)


def republish_below(
    conn: Connection, graph: nx.DiGraph, nodes: Iterable[str], now: datetime
) -> int:
    """Give every member below ``nodes`` whose line changed a new version and event.

    Compares the line in ``graph`` with the stored one; O(k) loads for k members below.
    Returns how many members were republished.
    """
    done = 0
    for member_id in sorted(n for n in below(graph, nodes) if not is_outside(n)):
        row = repo.load(conn, member_id)
        line = list(management_line(graph, member_id))
        if row is None or list(row.data.get("management_line") or ()) == line:
            continue
        data = {**row.data, "management_line": line}
        if not repo.update_member(conn, row, data, row.version + 1, now):
            raise MemberChanged()
        add_event(conn, updated_event(member_id, row.version + 1, data))
        done += 1
    return done


def updated_event(
    member_id: str, version: int, data: dict[str, Any], profile: MatchingProfile | None = None
) -> MemberProfileUpdated:
    """The event of a change of ``data``; ``profile`` when the caller has it already."""
    return MemberProfileUpdated(
        producer=PRODUCER,
        member_id=member_id,
        version=version,
        profile=matching_of(data) if profile is None else profile,
    )
