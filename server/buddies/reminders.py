"""The buddy programme's reminders (server/push runs and sends them): sessions 24 h and 1 h
before, a nudge to log a session after it, a nudge to answer a proposal, and to the worker
who proposed a pair a notice when it stalls. Texts name no person and no place."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.clock import LOCAL_TZ
from ..extensions import db
from ..push.reminders import Reminder, before_round, reminder_source
from . import queries
from .models import BuddyPair, BuddySession

LOG_WITHIN = timedelta(days=7)  # after that a session waits on the buddy's home, unnagged


def _session_url(session: BuddySession) -> str:
    return f"/buddies/sessions/{session.id}"


@reminder_source
def session_reminders(now: datetime) -> Iterator[Reminder]:
    """24 h and 1 h before a planned or confirmed session; after it, until logged, a nudge."""
    query = select(BuddySession).where(
        BuddySession.status.in_(("planned", "confirmed")),
        BuddySession.starts_at > now - LOG_WITHIN - timedelta(hours=8),
        BuddySession.starts_at <= now + timedelta(hours=24))
    for session in db.session.scalars(query):
        buddy, url, start = session.pair.buddy_id, _session_url(session), session.starts_at
        if session.pair.status != "active":
            continue
        if start - timedelta(hours=24) <= now < start - timedelta(hours=1):
            yield Reminder(f"buddy_session:{session.id}:24h", buddy, _l("Buddy session tomorrow"),
                           _l("You have a buddy session in less than a day."), url)
        elif start - timedelta(hours=1) <= now < start:
            yield Reminder(f"buddy_session:{session.id}:1h", buddy, _l("Buddy session soon"),
                           _l("Your buddy session starts within the hour."), url)
        elif queries.ends_at(session) <= now < queries.ends_at(session) + LOG_WITHIN:
            yield Reminder(f"buddy_session:{session.id}:log", buddy, _l("How did it go?"),
                           _l("Log your buddy session: it takes two taps."), url)


@before_round
def lapse_proposals(now: datetime) -> None:
    """Unanswered proposals lapse and fall back to the next buddy (also `flask buddies
    expire-proposals`), so that the reminder runner is the only daily job buddies need."""
    from .operations import expire_proposals

    expire_proposals(now.astimezone(LOCAL_TZ).date())


@reminder_source
def proposal_reminders(now: datetime) -> Iterator[Reminder]:
    """The last day to answer a proposal: a nudge to the buddy."""
    today = now.astimezone(LOCAL_TZ).date()
    query = select(BuddyPair).where(BuddyPair.status == "proposed",
                                    BuddyPair.answer_by >= today,
                                    BuddyPair.answer_by <= today + timedelta(days=1))
    for pair in db.session.scalars(query):
        yield Reminder(f"buddy_pair:{pair.id}:answer", pair.buddy_id,
                       _l("A buddy proposal waits for you"),
                       _l("Please accept or decline the proposal."), f"/buddies/pairs/{pair.id}")


def stalled_days() -> int:
    return int(current_app.config["BUDDY_STALLED_DAYS"])


@reminder_source
def stalled_pairs(now: datetime) -> Iterator[Reminder]:
    """An active pair without a session held for BUDDY_STALLED_DAYS: a notice to the worker who
    proposed it, once per quiet spell (the key names the day the spell began)."""
    today = now.astimezone(LOCAL_TZ).date()
    pairs = list(db.session.scalars(select(BuddyPair).where(BuddyPair.status == "active")))
    last = queries.last_session_day([p.id for p in pairs])
    for pair in pairs:
        since = max(filter(None, (pair.started_on,
                                  last[pair.id].astimezone(LOCAL_TZ).date() if pair.id in last
                                  else None)))
        if (today - since).days >= stalled_days():
            yield Reminder(f"buddy_pair:{pair.id}:stalled:{since.isoformat()}", pair.proposed_by,
                           _l("A buddy pair has gone quiet"),
                           _l("No buddy session was held for a while. Check in with the pair."),
                           f"/buddies/pairs/{pair.id}")
