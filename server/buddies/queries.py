"""Reads of the buddy programme, scoped in SQL: a buddy their own profile, pairs and sessions;
a worker the wishes and pairs of people on their teams' caseloads; a coordinator the
municipality. A person's case (notes, contacts) is never read here."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, false, func, or_, select

from ..auth.models import Membership
from ..core.access import Actor, Role
from ..core.clock import LOCAL_TZ as LOCAL
from ..core.records import Read
from ..core.values import jsonable
from ..extensions import db, one_or_not_found
from ..people.models import Person
from .fields import PAIR, PROFILE, SESSION, WISH
from .models import BuddyPair, BuddyProfile, BuddySession, BuddyWish
from .vocab import PAIR_OPEN


def matches(actor: Actor) -> bool:
    """Whoever matches buddies to people: workers and coordinators."""
    return actor.is_coordinator or actor.has(Role.WORKER)


def is_buddy(actor: Actor) -> bool:
    return actor.has(Role.BUDDY)


def takes_part(actor: Actor) -> bool:
    return matches(actor) or is_buddy(actor)


def _caseload(actor: Actor):
    """People whose buddy matters a worker may handle: their teams' caseload, or people they
    entered who are not on a team yet."""
    terms = [false()]
    if actor.has(Role.WORKER):
        if actor.team_ids:
            terms.append(Person.team_id.in_(actor.team_ids))
        terms.append(and_(Person.team_id.is_(None), Person.created_by == actor.user_id))
    return select(Person.id).where(Person.municipality_id == actor.municipality_id, or_(*terms))


def buddies_here(municipality_id: str):
    """Users who hold the buddy role in the municipality now (a profile outlives the role)."""
    return select(Membership.user_id).where(Membership.municipality_id == municipality_id,
                                            Membership.role == Role.BUDDY.value)


def visible_profiles(actor: Actor) -> Select[tuple[BuddyProfile]]:
    query = select(BuddyProfile).where(BuddyProfile.municipality_id == actor.municipality_id)
    if matches(actor):
        return query.where(BuddyProfile.user_id.in_(buddies_here(actor.municipality_id)))
    return query.where(BuddyProfile.user_id == actor.user_id)


def own_profile(actor: Actor) -> BuddyProfile | None:
    return db.session.scalar(visible_profiles(actor).where(BuddyProfile.user_id == actor.user_id))


def visible_wishes(actor: Actor) -> Select[tuple[BuddyWish]]:
    query = select(BuddyWish).where(BuddyWish.municipality_id == actor.municipality_id)
    if actor.is_coordinator:
        return query
    return query.where(BuddyWish.person_id.in_(_caseload(actor)))


def get_wish(actor: Actor, wish_id: str, *, for_update: bool = False) -> BuddyWish:
    return one_or_not_found(visible_wishes(actor).where(BuddyWish.id == wish_id),
                            for_update=for_update)


def visible_pairs(actor: Actor) -> Select[tuple[BuddyPair]]:
    query = select(BuddyPair).where(BuddyPair.municipality_id == actor.municipality_id)
    if actor.is_coordinator:
        return query
    return query.where(or_(BuddyPair.buddy_id == actor.user_id,
                           BuddyPair.person_id.in_(_caseload(actor))))


def get_pair(actor: Actor, pair_id: str, *, for_update: bool = False) -> BuddyPair:
    return one_or_not_found(visible_pairs(actor).where(BuddyPair.id == pair_id),
                            for_update=for_update)


def visible_sessions(actor: Actor) -> Select[tuple[BuddySession]]:
    return select(BuddySession).where(BuddySession.pair_id.in_(
        visible_pairs(actor).with_only_columns(BuddyPair.id)))


def get_session(actor: Actor, session_id: str, *, for_update: bool = False) -> BuddySession:
    return one_or_not_found(visible_sessions(actor).where(BuddySession.id == session_id),
                            for_update=for_update)


def first_name(person: Person) -> str:
    """What a buddy, a calendar or a list for buddies shows of a person: the first name."""
    return (person.display_name or "").split(" ")[0]


def shown_name(actor: Actor, pair: BuddyPair) -> str:
    """The full name for the matching side, the first name for the buddy."""
    return pair.person.display_name if matches(actor) else first_name(pair.person)


def pairs_of_buddy(actor: Actor) -> list[BuddyPair]:
    query = visible_pairs(actor).where(BuddyPair.buddy_id == actor.user_id,
                                       BuddyPair.status.in_(PAIR_OPEN))
    return list(db.session.scalars(query.order_by(BuddyPair.proposed_on.desc())))


def pairs_for(actor: Actor, *, statuses=PAIR_OPEN, wish_id: str | None = None) -> list[BuddyPair]:
    query = open_pairs(actor, statuses=statuses)
    if wish_id is not None:
        query = query.where(BuddyPair.wish_id == wish_id)
    return list(db.session.scalars(query))


def open_pairs(actor: Actor, *, statuses=PAIR_OPEN) -> Select[tuple[BuddyPair]]:
    """Pairs in these statuses, the newest proposal first (to page)."""
    query = visible_pairs(actor).where(BuddyPair.status.in_(statuses))
    return query.order_by(BuddyPair.proposed_on.desc(), BuddyPair.id)


def open_wishes(actor: Actor) -> list[BuddyWish]:
    query = visible_wishes(actor).where(BuddyWish.status == "open")
    return list(db.session.scalars(query.order_by(BuddyWish.created_at)))


def sessions_of_pair(actor: Actor, pair_id: str) -> list[BuddySession]:
    query = visible_sessions(actor).where(BuddySession.pair_id == pair_id)
    return list(db.session.scalars(query.order_by(BuddySession.starts_at.desc())))


def buddy_sessions(actor: Actor) -> list[BuddySession]:
    """The buddy's sessions still to come or still to log, soonest first."""
    query = visible_sessions(actor).join(BuddyPair).where(
        BuddyPair.buddy_id == actor.user_id, BuddySession.status.in_(("planned", "confirmed")))
    return list(db.session.scalars(query.order_by(BuddySession.starts_at)))


def ends_at(session: BuddySession) -> datetime:
    return session.starts_at + timedelta(minutes=session.duration_minutes)


def active_load(municipality_id: str) -> dict[str, int]:
    """Open pairs (proposed, active, paused) per buddy: their current load."""
    rows = db.session.execute(select(BuddyPair.buddy_id, func.count()).where(
        BuddyPair.municipality_id == municipality_id, BuddyPair.status.in_(PAIR_OPEN))
        .group_by(BuddyPair.buddy_id))
    return {buddy_id: count for buddy_id, count in rows}


def last_session_day(pair_ids: list[str]) -> dict[str, datetime]:
    if not pair_ids:
        return {}
    rows = db.session.execute(select(BuddySession.pair_id, func.max(BuddySession.starts_at))
                              .where(BuddySession.pair_id.in_(pair_ids),
                                     BuddySession.status == "done")
                              .group_by(BuddySession.pair_id))
    return {pair_id: when for pair_id, when in rows}


def _data(record, names: tuple[str, ...]) -> dict:
    return {name: jsonable(getattr(record, name)) for name in names}


def profile_data(actor: Actor, profile: BuddyProfile) -> dict:
    return _data(profile, PROFILE.pulled(Read.BASIC))


def wish_data(actor: Actor, wish: BuddyWish) -> dict:
    return _data(wish, WISH.pulled(Read.BASIC))


def pair_data(actor: Actor, pair: BuddyPair) -> dict:
    data = _data(pair, PAIR.pulled(Read.BASIC))
    if not matches(actor):
        data["wish_id"] = None  # a buddy never reads the worker's wish
        data["evaluation"] = None
    data["first_name"] = first_name(pair.person)
    return data


def session_data(actor: Actor, session: BuddySession) -> dict:
    data = _data(session, SESSION.pulled(Read.BASIC))
    data["logs"] = [{"outcome": log.outcome, "logged_at": log.logged_at.isoformat()}
                    for log in session.logs]
    data["hours_confirmed"] = session.hours_confirmed_by is not None
    return data


def session_minutes(session: BuddySession) -> int:
    """The time a session held counts for: as logged, else as planned."""
    return session.minutes_spent if session.minutes_spent is not None \
        else session.duration_minutes


@dataclass
class Hours:
    """A buddy's month: sessions held, and their minutes confirmed by a worker or coordinator
    or logged by the buddy alone (unconfirmed)."""

    name: str
    sessions: int = 0
    confirmed: int = 0
    unconfirmed: int = 0

    @property
    def minutes(self) -> int:
        return self.confirmed + self.unconfirmed


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    first = datetime(month.year, month.month, 1, tzinfo=LOCAL)
    return first, datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=LOCAL)


def hours_by_month(actor: Actor, month: date, *, only_own: bool) -> list[Hours]:
    """One row per buddy for the month, by name."""
    first, nxt = _month_bounds(month)
    query = (visible_sessions(actor).join(BuddyPair)
             .where(BuddySession.status == "done", BuddySession.starts_at >= first,
                    BuddySession.starts_at < nxt))
    if only_own:
        query = query.where(BuddyPair.buddy_id == actor.user_id)
    totals: dict[str, Hours] = {}
    for session in db.session.scalars(query):
        row = totals.setdefault(session.pair.buddy_id, Hours(session.pair.buddy.display_name))
        row.sessions += 1
        if session.hours_confirmed_by is None:
            row.unconfirmed += session_minutes(session)
        else:
            row.confirmed += session_minutes(session)
    return sorted(totals.values(), key=lambda row: row.name.lower())


def unconfirmed_sessions(actor: Actor, *, limit: int = 50) -> list[BuddySession]:
    """Sessions held whose time the buddy alone logged, newest first: for the matching side
    to confirm (never the actor's own pairs as a buddy)."""
    query = visible_sessions(actor).join(BuddyPair).where(
        BuddySession.status == "done", BuddySession.hours_confirmed_by.is_(None),
        BuddyPair.buddy_id != actor.user_id)
    return list(db.session.scalars(query.order_by(BuddySession.starts_at.desc()).limit(limit)))


# --- privacy: retention, activity, the person's export (docs/privacy.md) -----------------

def _last_session_day():
    return (select(BuddySession.pair_id, func.max(BuddySession.day).label("day"))
            .group_by(BuddySession.pair_id).subquery())


def expired_pairs(cutoff: datetime) -> list[str]:
    """Pairs that are over (ended, declined, lapsed) whose last activity, the end (or the
    answer-by day) and the last session, is before the cut-off."""
    last = _last_session_day()
    day = cutoff.astimezone(LOCAL).date()
    return list(db.session.scalars(
        select(BuddyPair.id).outerjoin(last, last.c.pair_id == BuddyPair.id).where(
            BuddyPair.status.not_in(PAIR_OPEN),
            func.coalesce(BuddyPair.ended_on, BuddyPair.answer_by) < day,
            or_(last.c.day.is_(None), last.c.day < day))))


def expired_profiles(cutoff: datetime) -> list[str]:
    """Profiles of users who no longer hold the buddy role there, whose roles were last
    changed before the cut-off and who have no pair left there (retention takes old ones)."""
    from ..audit.models import AuditEvent

    role_changed = select(AuditEvent.object_id).where(
        AuditEvent.object_type == "user", AuditEvent.municipality_id == BuddyProfile.municipality_id,
        AuditEvent.action.in_(("set_roles", "approve_role_grant")), AuditEvent.at >= cutoff)
    buddy = select(Membership.user_id).where(
        Membership.municipality_id == BuddyProfile.municipality_id,
        Membership.role == Role.BUDDY.value)
    paired = select(BuddyPair.buddy_id).where(
        BuddyPair.municipality_id == BuddyProfile.municipality_id)
    return list(db.session.scalars(select(BuddyProfile.id).where(
        BuddyProfile.user_id.not_in(buddy), BuddyProfile.user_id.not_in(role_changed),
        BuddyProfile.user_id.not_in(paired))))


def people_active_since(cutoff: datetime) -> Select:
    """People with a wish, a pair still running, or a pair or session event since the
    cut-off: their retention period runs on."""
    day = cutoff.astimezone(LOCAL).date()
    recent_session = select(BuddySession.pair_id).where(BuddySession.day >= day)
    wishes = select(BuddyWish.person_id).where(BuddyWish.created_at >= cutoff)
    pairs = select(BuddyPair.person_id).where(or_(
        BuddyPair.status.in_(("active", "paused")), BuddyPair.proposed_on >= day,
        BuddyPair.ended_on >= day, BuddyPair.id.in_(recent_session)))
    return select(Person.id).where(or_(Person.id.in_(wishes), Person.id.in_(pairs)))


def subject_data(actor: Actor, person: Person) -> dict:
    """What the buddy programme holds about the person, for their export: their wishes, their
    pairs (the buddy by first name), and each session as logged, with its notes."""
    wishes = db.session.scalars(visible_wishes(actor).where(BuddyWish.person_id == person.id)
                                .order_by(BuddyWish.created_at))
    pairs = db.session.scalars(visible_pairs(actor).where(BuddyPair.person_id == person.id)
                               .order_by(BuddyPair.proposed_on))
    out: dict = {"wishes": [], "pairs": []}
    for wish in wishes:
        data = _data(wish, WISH.pulled(Read.BASIC))
        data.update(id=wish.id, created_at=jsonable(wish.created_at))
        out["wishes"].append(data)
    for pair in pairs:
        data = _data(pair, PAIR.pulled(Read.BASIC))
        data.update(id=pair.id, buddy=first_name(pair.buddy), sessions=[])
        data.pop("buddy_id", None)
        data.pop("proposed_by", None)
        for session in sessions_of_pair(actor, pair.id)[::-1]:
            item = _data(session, SESSION.pulled(Read.BASIC))
            item.update(id=session.id, logs=[
                {"outcome": log.outcome, "logged_at": jsonable(log.logged_at), "note": log.note,
                 "minutes_spent": log.minutes_spent} for log in session.logs])
            data["sessions"].append(item)
        out["pairs"].append(data)
    return out
