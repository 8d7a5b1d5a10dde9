"""Buddy sessions in the buddy's calendar: the first source of the calendar feature."""

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from ..auth.models import Membership
from ..calendar.events import Event
from ..core.access import Role
from ..core.clock import now
from ..extensions import db
from . import queries
from .models import BuddyPair, BuddySession

WINDOW_BACK, WINDOW_AHEAD = timedelta(days=366), timedelta(days=366)  # a year either way


def event_of(session: BuddySession, *, signed_in: bool) -> Event:
    """A session as an event. The person's first name and the place only in a download the
    signed-in buddy asked for: the feed is read without a session, by whatever calendar
    service the buddy subscribed with, so it says no more than when (and links to the app)."""
    from flask_babel import gettext as _

    summary = (_("Buddy session with %(name)s", name=queries.first_name(session.pair.person))
               if signed_in else _("Buddy session"))
    return Event(uid=f"buddy_session-{session.id}@handvast", starts_at=session.starts_at,
                 ends_at=queries.ends_at(session), summary=summary,
                 url=f"/buddies/sessions/{session.id}",
                 location=session.place if signed_in else None,
                 cancelled=session.status == "cancelled")


def buddy_sessions(user_id: str) -> Iterator[Event]:
    moment = now()
    still_buddy = select(Membership.municipality_id).where(
        Membership.user_id == user_id, Membership.role == Role.BUDDY.value)
    query = (select(BuddySession).join(BuddyPair)
             .where(BuddyPair.buddy_id == user_id, BuddyPair.status.in_(("active", "paused")),
                    BuddyPair.municipality_id.in_(still_buddy),
                    BuddySession.starts_at >= moment - WINDOW_BACK,
                    BuddySession.starts_at <= moment + WINDOW_AHEAD))
    for session in db.session.scalars(query):
        yield event_of(session, signed_in=False)
