"""The one source of "now", so tests and the server agree on time zones."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Brussels")

# How far this process's clock runs from the real one: zero, except in tests that live on
# another day (travel_to). Every reading of "now" in the server goes through now() below.
_offset = timedelta(0)


def now() -> datetime:
    """Timezone-aware UTC now."""
    return datetime.now(UTC) + _offset


def travel_to(moment: datetime | None) -> None:
    """From here on the clock reads `moment` and runs on from it (None: the real time again).
    For tests of a given day: a first of the month, a change to summer time, 31 December."""
    global _offset
    _offset = timedelta(0) if moment is None else moment - datetime.now(UTC)


def today_local() -> date:
    return now().astimezone(LOCAL_TZ).date()


def as_utc(value: datetime) -> datetime:
    """Normalise a datetime to aware UTC; naive values are taken as UTC (as SQLite returns them)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_iso_datetime(value: object) -> datetime | None:
    """Parse an ISO 8601 timestamp that carries an offset; None when it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        # Year 1 or 9999 with an offset has no UTC equivalent: not a usable time either.
        return parsed.astimezone(UTC) if parsed.tzinfo is not None else None
    except (ValueError, OverflowError):
        return None


def parse_iso_date(value: object) -> date | None:
    if not isinstance(value, str) or len(value) > 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_month(value: object) -> date | None:
    """The first day of a month written YYYY-MM, within years 1900 to 9998 (its next month
    must exist too); None for anything else."""
    if not isinstance(value, str) or len(value) != 7 or value[4] != "-":
        return None
    year, month = value[:4], value[5:]
    if not (year.isascii() and year.isdigit() and month.isascii() and month.isdigit()):
        return None
    if not (1900 <= int(year) <= 9998 and 1 <= int(month) <= 12):
        return None
    return date(int(year), int(month), 1)
