"""The coordinators' member list: the filters a page sends, as profiles' query.

"Newcomers" are members who arrived less than :data:`NEWCOMER_DAYS` days ago (HR's
``start_date``); profiles filters them with ``arrived_since``. The status tells the members
still in the network from those marked as having left (``left_on``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final
from urllib.parse import urlencode

NEWCOMER_DAYS: Final = 90
PAGE_SIZE: Final = 50
OPT_INS: Final = ("mentor", "mentee", "groups", "seminars", "facilitator")
STATUSES: Final = ("active", "left")


@dataclass(frozen=True, slots=True)
class MemberQuery:
    """What the filter form of the member list holds (all optional)."""

    site: str = ""
    function: str = ""
    opt_in: str = ""
    newcomers: bool = False
    offset: int = 0
    status: str = ""

    @classmethod
    def of(cls, site: str = "", function: str = "", opt_in: str = "", newcomers: str = "",
           offset: int = 0, status: str = "") -> MemberQuery:  # fmt: skip
        """The query from the form's raw values; an unknown opt-in or status is ignored.

        >>> MemberQuery.of(" Lyon ", opt_in="nobody", newcomers="on", offset=-5, status="left")
        MemberQuery(site='Lyon', function='', opt_in='', newcomers=True, offset=0, status='left')
        """
        return cls(site.strip(), function.strip(), opt_in if opt_in in OPT_INS else "",
                   newcomers in ("on", "1", "true"), max(0, offset),
                   status if status in STATUSES else "")  # fmt: skip

    def params(self, today: date, limit: int = PAGE_SIZE) -> dict[str, str | int]:
        """Query parameters of profiles' ``GET /members``.

        >>> MemberQuery(site="Lyon", newcomers=True).params(date(2026, 12, 1))
        {'limit': 50, 'offset': 0, 'site': 'Lyon', 'arrived_since': '2026-09-02'}
        """
        found: dict[str, str | int] = {"limit": limit, "offset": self.offset}
        if self.site:
            found["site"] = self.site
        if self.function:
            found["function"] = self.function
        if self.opt_in:
            found["opt_in"] = self.opt_in
        if self.newcomers:
            found["arrived_since"] = (today - timedelta(days=NEWCOMER_DAYS)).isoformat()
        if self.status:
            found["status"] = self.status
        return found

    def filters(self) -> str:
        """The filters as a query string, for the paging links to keep them.

        >>> MemberQuery(site="Saint-Étienne", newcomers=True, offset=50).filters()
        'site=Saint-%C3%89tienne&newcomers=on'
        """
        pairs = [("site", self.site), ("function", self.function), ("opt_in", self.opt_in),
                 ("newcomers", "on" if self.newcomers else ""),
                 ("status", self.status)]  # fmt: skip
        return urlencode([(k, v) for k, v in pairs if v])


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a list sits: "1–50 of 10,000", previous and next offsets."""

    total: int
    limit: int
    offset: int

    @property
    def first(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.offset + self.limit)

    @property
    def previous(self) -> int | None:
        """
        >>> Pager(120, 50, 50).previous, Pager(120, 50, 0).previous, Pager(120, 50, 100).next
        (0, None, None)
        """
        return max(0, self.offset - self.limit) if self.offset > 0 else None

    @property
    def next(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None
