"""Figures for the coordinator's overview, scoped to the municipality."""

from datetime import date, datetime, time, timedelta

from ..contacts.models import Contact
from ..contacts.queries import visible_contacts
from ..core.access import Actor
from ..core.clock import LOCAL_TZ
from ..extensions import db


def contacts_per_week(actor: Actor, today: date, weeks: int = 8) -> list[tuple[date, int]]:
    """(Monday, count) for the last ``weeks`` weeks, oldest first, zeros included."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, time.min, LOCAL_TZ)
    stamps = db.session.scalars(visible_contacts(actor).with_only_columns(Contact.occurred_at)
                                .where(Contact.occurred_at >= since))
    counts = {first + timedelta(weeks=i): 0 for i in range(weeks)}
    for stamp in stamps:
        day = stamp.astimezone(LOCAL_TZ).date()
        counts[day - timedelta(days=day.weekday())] += 1
    return sorted(counts.items())
