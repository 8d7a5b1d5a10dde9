"""Bring the precomputed figures up to date: each indicator's measure grouped in SQL per
neighbourhood and breakdown key, written to indicator_value. A period that was over at its
last refresh is frozen: its figures stay as they were unless rebuilt."""

from datetime import date, datetime

from flask import current_app
from sqlalchemy import Select, delete, func, insert, literal, select

from ..contacts.models import Contact
from ..core import clock
from ..core.consent import add_months
from ..extensions import db
from ..people.models import Person
from ..welcome.models import Household
from .indicators import INDICATORS, Aggregate, Indicator
from .measures import Scope
from .models import ALL, UNPLACED, IndicatorValue
from .periods import Period, parse_period


def last_refresh(municipality_id: str, period: Period) -> datetime | None:
    moment = db.session.scalar(select(func.max(IndicatorValue.refreshed_at)).where(
        IndicatorValue.municipality_id == municipality_id,
        IndicatorValue.period == period.code))
    return clock.as_utc(moment) if moment else None


def refresh(municipality_id: str, period: Period, *, rebuild: bool = False) -> bool:
    """Recount the period's figures (False: frozen, left as they are). Flushes only."""
    moment = clock.now()
    last = last_refresh(municipality_id, period)
    if last is not None and period.closed_by(last) and not rebuild:
        return False
    valid = current_app.config["CONSENT_VALID_MONTHS"]
    scope = Scope(municipality_id, period, moment,
                  add_months(moment.astimezone(clock.LOCAL_TZ).date(), -valid))
    db.session.execute(delete(IndicatorValue).where(
        IndicatorValue.municipality_id == municipality_id, IndicatorValue.period == period.code))
    rows = [{"municipality_id": municipality_id, "period": period.code, "indicator": indicator.id,
             "neighbourhood": nbh, "breakdown": key, "numerator": int(num or 0),
             "denominator": None if not indicator.is_share else int(den or 0),
             "refreshed_at": moment}
            for indicator in INDICATORS for nbh, key, num, den in _cells(indicator, scope)]
    db.session.execute(insert(IndicatorValue), rows)
    db.session.flush()
    return True


def _cells(indicator: Indicator, scope: Scope) -> list[tuple]:
    """(neighbourhood, key, numerator, denominator) of every cell: per neighbourhood and key,
    per neighbourhood, per key, and over all; distinct subjects are counted once in each."""
    rows = indicator.measure(scope).subquery()
    nbh = func.coalesce(rows.c.nbh, UNPLACED)
    key = func.coalesce(rows.c.key, UNPLACED)
    if indicator.aggregate is Aggregate.DISTINCT:
        numerator = func.count(rows.c.subject.distinct()).filter(rows.c.num.is_not(None))
        denominator = func.count(rows.c.subject.distinct()).filter(rows.c.den.is_not(None))
    else:
        numerator, denominator = func.sum(rows.c.num), func.sum(rows.c.den)
    groupings: list[tuple] = [(nbh, None), (None, None)]
    if indicator.breakdown:
        groupings += [(nbh, key), (None, key)]
    cells = []
    for by_nbh, by_key in groupings:
        grouped = [column for column in (by_nbh, by_key) if column is not None]
        query: Select = select(
            by_nbh if by_nbh is not None else literal(ALL),
            by_key if by_key is not None else literal(""),
            numerator, denominator).select_from(rows)
        if grouped:
            query = query.group_by(*grouped)
        cells += db.session.execute(query).all()
    return cells


def periods_since(first: date, today: date) -> list[Period]:
    """Every month and quarter from the one holding ``first`` to the current one."""
    found: list[Period] = []
    year, month = first.year, (first.month - 1) // 3 * 3 + 1  # from the quarter's first month
    while (year, month) <= (today.year, today.month):
        found.append(parse_period(f"{year:04d}-{month:02d}"))  # type: ignore[arg-type]
        if month % 3 == 1:
            found.append(parse_period(f"{year:04d}-Q{(month - 1) // 3 + 1}"))  # type: ignore[arg-type]
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def first_day(municipality_id: str) -> date | None:
    """The day of the municipality's earliest record that any indicator counts."""
    days = [db.session.scalar(select(func.min(column)).where(model.municipality_id
                                                              == municipality_id))
            for model, column in ((Contact, Contact.occurred_at), (Person, Person.created_at),
                                  (Household, Household.registered_on))]
    found = [d.date() if isinstance(d, datetime) else d for d in days if d is not None]
    return min(found) if found else None
