"""Dependencies of the matcher's routes: unit of work, caller's language, labels, paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.timers import Clock
from shared.catalogue import CatalogueLabels
from shared.pagination import Paging
from shared.problems import request_language
from shared.vocabulary import Language
from shared.vocabulary.explain import Labeler
from shared.web import Coordinator, CurrentPrincipal


def unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(request.app.state.engine)


async def labels(request: Request) -> Labeler:
    """Skill and theme labels from the profiles catalogue (refreshed when stale)."""
    catalogue: CatalogueLabels = request.app.state.labels
    await catalogue.refresh()
    return catalogue.label


def notify_worker(request: Request) -> None:
    """Wake the round worker and the outbox relay once the route has changed something."""
    request.app.state.worker.notify()
    request.app.state.relay.notify()


Uow = Annotated[UnitOfWork, Depends(unit_of_work)]
Lang = Annotated[Language, Depends(request_language)]
Labels = Annotated[Labeler, Depends(labels)]


def clock(request: Request) -> Clock:
    """The service's clock (the system's; adjustable only in tests and the demo)."""
    found: Clock = request.app.state.clock
    return found


def notify_timers(request: Request) -> None:
    """Wake the timer worker and the relay after an answer or a move of the clock."""
    request.app.state.timers.notify()
    request.app.state.relay.notify()


Now = Annotated[Clock, Depends(clock)]

__all__ = [
    "Coordinator", "CurrentPrincipal", "Labels", "Lang", "Now", "Paging", "Uow",
    "notify_timers", "notify_worker",
]  # fmt: skip
