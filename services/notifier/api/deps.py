"""Dependencies of the notifier's routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from shared.pagination import Paging
from shared.problems import request_language
from shared.vocabulary import Language
from shared.web import Coordinator, CurrentPrincipal


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


DbEngine = Annotated[Engine, Depends(_engine)]
CallerLanguage = Annotated[Language, Depends(request_language)]

__all__ = ["CallerLanguage", "Coordinator", "CurrentPrincipal", "DbEngine", "Paging"]
