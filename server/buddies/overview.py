"""What the coordinator (and a worker, for their caseload) sees of the programme: pairs that
need attention, how many pairs are active and sessions held, and the hours buddies logged
alone that wait for confirmation."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from ..core.access import Actor
from ..core.clock import LOCAL_TZ
from ..extensions import db
from . import queries
from .models import BuddyPair, BuddySession

ENDING_NOTICE = timedelta(days=30)


@dataclass
class Attention:
    stalled: list[tuple[BuddyPair, date]]
    waiting: list[BuddyPair]
    ending: list[tuple[BuddyPair, date]]
    active: int
    held_this_month: int
    held_this_year: int
    unconfirmed: list[BuddySession]  # held, the time logged by the buddy alone


def planned_end(pair: BuddyPair) -> date | None:
    if pair.started_on is None:
        return None
    months = int(current_app.config["BUDDY_PAIR_MONTHS"])
    year, month = divmod(pair.started_on.month - 1 + months, 12)
    return pair.started_on.replace(year=pair.started_on.year + year, month=month + 1, day=1)


def attention(actor: Actor, today: date) -> Attention:
    active = queries.pairs_for(actor, statuses=("active",))
    last = queries.last_session_day([p.id for p in active])
    stalled, ending = [], []
    for pair in active:
        since = last[pair.id].astimezone(LOCAL_TZ).date() if pair.id in last else pair.started_on
        if since and (today - since).days >= int(current_app.config["BUDDY_STALLED_DAYS"]):
            stalled.append((pair, since))
        end = planned_end(pair)
        if end and end - today <= ENDING_NOTICE:
            ending.append((pair, end))
    waiting = list(db.session.scalars(queries.open_pairs(actor, statuses=("proposed",))
                                      .where(BuddyPair.answer_by <= today)))
    return Attention(stalled, waiting, ending, len(active), _held(actor, today.replace(day=1)),
                     _held(actor, today - timedelta(days=365)),
                     queries.unconfirmed_sessions(actor))


def _held(actor: Actor, since: date) -> int:
    start = datetime.combine(since, time.min, LOCAL_TZ)
    query = queries.visible_sessions(actor).where(BuddySession.status == "done",
                                                  BuddySession.starts_at >= start)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
