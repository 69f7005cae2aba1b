"""Same input, same groups: the server's generated ids never steer a groups round."""

from __future__ import annotations

import dataclasses
import random
import uuid
from datetime import date

from deploy.local.synthetic import community
from services.matcher.algorithms.groups import form_groups
from services.matcher.algorithms.model import Person


def load(ids: list[str]) -> list[Person]:
    """The same 300 people, each under the id the server happened to give them."""
    members = community(
        300, skill_codes=[f"s{i}" for i in range(12)], seed=5, today=date(2025, 1, 1)
    )
    return [
        Person(
            id=ids[i], site=m["site"], function=m["function"], department=m["department"],
            skills=m["skills"], themes=frozenset(m["themes"]),
            seniority_years=(date(2025, 1, 1) - date.fromisoformat(m["start_date"])).days / 365,
            groups=m["opt_ins"]["groups"], facilitator=m["opt_ins"]["facilitator"],
        )
        for i, m in enumerate(members)
    ]  # fmt: skip


def signature(p: Person) -> tuple[object, ...]:
    """What a person is, without their id."""
    return tuple(v for k, v in dataclasses.asdict(p).items() if k != "id").__repr__()


def as_content(people: list[Person], groups) -> set[frozenset[str]]:
    by_id = {p.id: p for p in people}
    return {frozenset(signature(by_id[m]) for m in g.members) for g in groups}


def test_the_same_community_loaded_twice_with_other_ids_gets_the_same_groups():
    rng = random.Random(1)
    first = load([uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(300)])
    second = load([uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(300)])
    a, b = form_groups(first, seed=4), form_groups(second, seed=4)
    assert as_content(first, a.groups) == as_content(second, b.groups)
    facilitators = [{signature(p) for p in ps if p.id in {g.facilitator for g in r.groups}}
                    for ps, r in ((first, a), (second, b))]  # fmt: skip
    assert facilitators[0] == facilitators[1]
