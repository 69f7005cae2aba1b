"""One pagination convention for every list: ``limit`` and ``offset``, bounded.

Every list route takes ``?limit=`` (1-500, 50 by default) and ``?offset=`` (0 to one
billion) and answers a :class:`Page` (``items``, ``total``, ``limit``, ``offset``). Out
of bounds is a 422 problem naming the parameter, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which slice of a list is asked for (plain data, for the service layer)."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0


def page_request(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1-500).")
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (0 or more).")
    ] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


Paging = Annotated[PageRequest, Depends(page_request)]


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int = Field(description="How many items the whole list has.")
    limit: int
    offset: int

    @classmethod
    def of(cls, items: list[T], total: int, request: PageRequest) -> Page[T]:
        return cls(items=items, total=total, limit=request.limit, offset=request.offset)
