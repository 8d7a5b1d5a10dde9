"""Reporting periods: a quarter written YYYY-Qn or a month written YYYY-MM, as local days."""

from dataclasses import dataclass
from datetime import date, datetime, time

from ..core.clock import LOCAL_TZ, parse_month


@dataclass(frozen=True)
class Period:
    code: str  # "2026-Q4" or "2026-11"
    first: date  # its first day
    after: date  # the first day after it

    @property
    def starts(self) -> datetime:
        """Local midnight of the first day: the moment it begins."""
        return datetime.combine(self.first, time.min, LOCAL_TZ)

    @property
    def ends(self) -> datetime:
        return datetime.combine(self.after, time.min, LOCAL_TZ)

    def closed_by(self, moment: datetime) -> bool:
        """Over at ``moment``: nothing recorded later can belong to it any more by date."""
        return moment >= self.ends


def _month_after(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_period(value: object) -> Period | None:
    """A quarter (2026-Q4) or a month (2026-11) within years 1900 to 9998; None otherwise."""
    if not isinstance(value, str):
        return None
    if len(value) == 7 and value[4:6] == "-Q" and value[6] in "1234":
        year = value[:4]
        if not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 9998):
            return None
        first = date(int(year), 3 * int(value[6]) - 2, 1)
        return Period(value, first, _month_after(first, 3))
    first = parse_month(value)
    return Period(value, first, _month_after(first, 1)) if first else None


def quarter_of(day: date) -> Period:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period(f"{day.year}-Q{(day.month - 1) // 3 + 1}", first, _month_after(first, 3))


def recent_quarters(today: date, count: int = 6) -> list[Period]:
    """The current quarter and the ones before it, newest first (the dashboard's choices)."""
    first = quarter_of(today).first
    return [quarter_of(_month_after(first, -3 * i)) for i in range(count)]
