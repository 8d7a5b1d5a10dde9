"""Figures for the coordinator's overview, scoped to the municipality."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func

from ..contacts.models import Contact
from ..contacts.queries import visible_contacts
from ..core.access import Actor
from ..core.clock import LOCAL_TZ
from ..extensions import db
from ..org.models import Neighbourhood


def contacts_per_week(actor: Actor, today: date, weeks: int = 8) -> list[tuple[date, int]]:
    """(Monday, count) for the last ``weeks`` weeks, oldest first, zeros included."""
    monday = today - timedelta(days=today.weekday())
    mondays = [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    # Local midnights (a week may hold a change of summer time); counted in one statement.
    starts = [datetime.combine(day, time.min, LOCAL_TZ) for day in mondays]
    ends = [*starts[1:], datetime.combine(monday + timedelta(weeks=1), time.min, LOCAL_TZ)]
    counts = [func.count(case(((Contact.occurred_at >= start) & (Contact.occurred_at < end), 1)))
              for start, end in zip(starts, ends, strict=True)]
    row = db.session.execute(visible_contacts(actor).with_only_columns(*counts)
                             .where(Contact.occurred_at >= starts[0],
                                    Contact.occurred_at < ends[-1])).one()
    return list(zip(mondays, row, strict=True))


def my_contacts_by_neighbourhood(actor: Actor, today: date, days: int = 30) -> list[tuple[str, int]]:
    """(neighbourhood name, count) of the actor's own contacts of the last ``days`` days,
    busiest first; contacts without a neighbourhood are counted under ""."""
    since = datetime.combine(today - timedelta(days=days), time.min, LOCAL_TZ)
    rows = db.session.execute(
        visible_contacts(actor)
        .with_only_columns(Neighbourhood.name, func.count(Contact.id))
        .outerjoin(Neighbourhood, Neighbourhood.id == Contact.neighbourhood_id)
        .where(Contact.author_id == actor.user_id, Contact.occurred_at >= since)
        .group_by(Neighbourhood.name).order_by(func.count(Contact.id).desc()))
    return [(name or "", count) for name, count in rows]
