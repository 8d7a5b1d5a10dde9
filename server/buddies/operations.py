"""Every write of the buddy programme: a profile, a wish, a proposal and its answer, a pair's
lifecycle, and sessions planned, confirmed and logged (a log is an append-only fact)."""

from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from ..core.access import Actor
from ..core.changes import Change, record_change
from ..core.clock import LOCAL_TZ, now, today_local
from ..core.errors import N_, Forbidden, NotFound, ValidationFailed
from ..core.ids import new_id
from ..core.merge import check_base_version
from ..core.mutations import Mutation, Outcome
from ..core.validate import Checker
from ..extensions import db
from ..org.models import Neighbourhood
from ..org.operations import check_neighbourhood
from ..people import queries as people
from ..sync.registry import handles
from . import queries
from .fields import ANSWER, CONFIRM, CREATE_WISH, LOG, MOVE, PLAN, PROPOSE, REACH, SAVE_PROFILE
from .matching import next_suggestion
from .models import BuddyPair, BuddyProfile, BuddySession, BuddySessionLog, BuddyWish
from .vocab import PAIR_MOVES

NOT_ALLOWED = N_("not found or not allowed")


def _log(kind: str, record) -> None:
    record_change(db.session, Change(kind, record.id, record.municipality_id, record.version))


def _outcome(record) -> Outcome:
    return Outcome(record.id, record.version, record.municipality_id)


def _nearby(check: Checker, actor: Actor) -> list[str]:
    ids = check.idents("nearby_ids", max_items=20)
    found = set(db.session.scalars(select(Neighbourhood.id).where(
        Neighbourhood.id.in_(ids), Neighbourhood.municipality_id == actor.municipality_id)))
    if len(found) != len(ids):
        check.fail("nearby_ids", NOT_ALLOWED)
    return ids


@handles("buddy_profile.save")
def save_profile(actor: Actor, mutation: Mutation) -> Outcome:
    """A buddy's own profile, created the first time and edited after (the whole form)."""
    if not queries.is_buddy(actor):
        raise Forbidden
    values, check = SAVE_PROFILE.read(mutation.fields, readers={
        "neighbourhood_id": lambda c: check_neighbourhood(c, actor),
        "nearby_ids": lambda c: _nearby(c, actor)})
    check.done()
    profile = db.session.get(BuddyProfile, mutation.record_id)
    own = queries.own_profile(actor)
    if profile is not None and profile is not own or profile is None and own is not None:
        raise NotFound
    if profile is None:
        profile = BuddyProfile(id=mutation.record_id, municipality_id=actor.municipality_id,
                               user_id=actor.user_id, version=0)
        db.session.add(profile)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.version += 1
    db.session.flush()
    _log("buddy_profile", profile)
    return _outcome(profile)


@handles("buddy_wish.create")
def create_wish(actor: Actor, mutation: Mutation) -> Outcome:
    if not queries.matches(actor):
        raise Forbidden
    values, check = CREATE_WISH.read(mutation.fields)
    check.done()
    try:
        person = people.get_writable(actor, values.pop("person_id"))
    except NotFound:
        check.fail("person_id", NOT_ALLOWED)
        check.done()
    if db.session.get(BuddyWish, mutation.record_id) is not None:
        raise NotFound
    wish = BuddyWish(id=mutation.record_id, municipality_id=actor.municipality_id,
                     person_id=person.id, author_id=actor.user_id, status="open", version=1,
                     **values)
    db.session.add(wish)
    db.session.flush()
    if db.session.scalar(queries.visible_wishes(actor).where(BuddyWish.id == wish.id)) is None:
        raise NotFound  # a person the actor may edit but whose buddy is not theirs to match
    _log("buddy_wish", wish)
    return _outcome(wish)


def wish_from_welcome(actor: Actor, person_id: str, visit) -> None:
    """A household welcomed at a visit would like a buddy (server/welcome/hooks.py): an open
    wish for its person, in the languages heard at the door, for the team's workers to match.
    The visit is the ground: whoever logged it opens the wish; matching stays with workers
    and coordinators."""
    wish = BuddyWish(id=new_id(), municipality_id=actor.municipality_id, person_id=person_id,
                     author_id=actor.user_id, status="open", version=1,
                     languages=list(visit.languages or []))
    db.session.add(wish)
    db.session.flush()
    _log("buddy_wish", wish)


def answer_days() -> int:
    return int(current_app.config["BUDDY_ANSWER_DAYS"])


@handles("buddy_pair.propose")
def propose(actor: Actor, mutation: Mutation) -> Outcome:
    if not queries.matches(actor):
        raise Forbidden
    values, check = PROPOSE.read(mutation.fields)
    check.done()
    wish = _found(check, "wish_id", lambda: queries.get_wish(actor, values["wish_id"],
                                                           for_update=True))
    check.done()
    profile = db.session.scalar(queries.visible_profiles(actor).where(
        BuddyProfile.user_id == values["buddy_id"]))
    if profile is None:
        check.fail("buddy_id", NOT_ALLOWED)
    if wish.status != "open":
        check.fail("wish_id", N_("already has a buddy or a proposal waiting"))
    tried = db.session.scalar(select(func.count()).select_from(BuddyPair).where(
        BuddyPair.wish_id == wish.id, BuddyPair.buddy_id == values["buddy_id"]))
    if tried:
        check.fail("buddy_id", N_("was already proposed for this wish"))
    check.done()
    if db.session.get(BuddyPair, mutation.record_id) is not None:
        raise NotFound
    today = today_local()
    pair = BuddyPair(id=mutation.record_id, municipality_id=actor.municipality_id,
                     wish_id=wish.id, person_id=wish.person_id, buddy_id=profile.user_id,
                     proposed_by=actor.user_id, status="proposed", goals=list(wish.goals),
                     goals_reached=[], proposed_on=today,
                     answer_by=today + timedelta(days=answer_days()), version=1)
    db.session.add(pair)
    wish.status = "matched"
    wish.version += 1
    db.session.flush()
    _log("buddy_pair", pair)
    _log("buddy_wish", wish)
    return _outcome(pair)


def _found(check: Checker, name: str, load):
    try:
        return load()
    except NotFound:
        check.fail(name, NOT_ALLOWED)
        return None


def _reopen(wish: BuddyWish) -> None:
    wish.status = "open"
    wish.version += 1
    _log("buddy_wish", wish)


@handles("buddy_pair.answer")
def answer(actor: Actor, mutation: Mutation) -> Outcome:
    values, check = ANSWER.read(mutation.fields)
    check.done()
    pair = queries.get_pair(actor, mutation.record_id, for_update=True)
    if pair.buddy_id != actor.user_id:
        raise Forbidden
    if pair.status != "proposed":
        raise ValidationFailed.single("answer", N_("this proposal is no longer waiting for an "
                                                   "answer"))
    if values["answer"] == "accept":
        pair.status, pair.started_on = "active", today_local()
    else:
        pair.status = "declined"
        _reopen(pair.wish)
    pair.version += 1
    _log("buddy_pair", pair)
    return _outcome(pair)


@handles("buddy_pair.move")
def move(actor: Actor, mutation: Mutation) -> Outcome:
    """Pause, resume or end a pair: the buddy or whoever matches."""
    pair = queries.get_pair(actor, mutation.record_id, for_update=True)
    check_base_version(mutation.base_version, pair.version)
    values, check = MOVE.read(mutation.fields)
    status = values["status"]
    if status and status not in PAIR_MOVES.get(pair.status, ()):
        check.fail("status", N_("not a next step from the current status"))
    if status == "ended" and not values["end_reason"]:
        check.fail("end_reason", N_("required"))
    check.done()
    pair.status = status
    if status == "ended":
        pair.ended_on, pair.end_reason = today_local(), values["end_reason"]
        pair.evaluation = values["evaluation"]
    pair.version += 1
    _log("buddy_pair", pair)
    return _outcome(pair)


@handles("buddy_pair.goals")
def reach_goals(actor: Actor, mutation: Mutation) -> Outcome:
    """Tick goals off as reached; a tick is a fact, no conflict (the last list stands)."""
    pair = queries.get_pair(actor, mutation.record_id, for_update=True)
    values, check = REACH.read(mutation.fields)
    check.done()
    pair.goals_reached = values["goals_reached"]
    pair.version += 1
    _log("buddy_pair", pair)
    return _outcome(pair)


def starts_at(day: date, clock: str) -> datetime:
    """Brussels wall time of a session as an aware moment (DST decided by the date)."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


@handles("buddy_session.plan")
def plan(actor: Actor, mutation: Mutation) -> Outcome:
    values, check = PLAN.read(mutation.fields)
    check.done()
    pair = _found(check, "pair_id", lambda: queries.get_pair(actor, values["pair_id"]))
    if pair is not None and pair.status != "active":
        check.fail("pair_id", N_("the pair is not active"))
    elif pair is not None and (outside := _outside_pair(pair, values["day"])):
        check.fail("day", PLAN_OUTSIDE[outside])
    check.done()
    if db.session.get(BuddySession, mutation.record_id) is not None:
        raise NotFound
    session = BuddySession(
        id=mutation.record_id, municipality_id=pair.municipality_id, pair_id=pair.id,
        day=values["day"], start_time=values["start_time"],
        starts_at=starts_at(values["day"], values["start_time"]),
        duration_minutes=values["duration_minutes"], place=values["place"],
        status="planned", planned_by=actor.user_id, version=1)
    db.session.add(session)
    db.session.flush()
    _log("buddy_session", session)
    return _outcome(session)


def _outside_pair(pair: BuddyPair, day: date) -> str | None:
    """Why a session on this day does not count: only the pair's active days do."""
    if pair.started_on is not None and day < pair.started_on:
        return "before"
    if pair.ended_on is not None and day > pair.ended_on:
        return "after"
    return None


PLAN_OUTSIDE = {"before": N_("before the pair started"), "after": N_("after the pair ended")}
LOG_OUTSIDE = {"before": N_("the session is dated before the pair started"),
               "after": N_("the session is dated after the pair ended")}


def vouches_for_hours(actor: Actor, session: BuddySession) -> bool:
    """Whoever matches, and is not the pair's buddy, confirms the hours a buddy logged."""
    return queries.matches(actor) and session.pair.buddy_id != actor.user_id


@handles("buddy_session.confirm")
def confirm(actor: Actor, mutation: Mutation) -> Outcome:
    """Before the session: the buddy or the worker confirms it. After a "done" log: a worker
    or coordinator confirms its hours, as last seen (base_version). Twice changes nothing."""
    session = queries.get_session(actor, mutation.record_id, for_update=True)
    _values, check = CONFIRM.read(mutation.fields)
    if session.status == "done":
        return _confirm_hours(actor, mutation, session, check)
    if session.status not in ("planned", "confirmed"):
        check.fail("status", N_("the session is already logged"))
    check.done()
    if session.status == "planned":
        session.status, session.confirmed_by = "confirmed", actor.user_id
        session.version += 1
        _log("buddy_session", session)
    return _outcome(session)


def _confirm_hours(actor: Actor, mutation: Mutation, session: BuddySession,
                   check: Checker) -> Outcome:
    if not vouches_for_hours(actor, session):
        check.fail("status", N_("a worker or coordinator confirms the hours"))
    elif mutation.base_version is not None and mutation.base_version != session.version:
        check.fail("base_version", N_("the time logged changed since you saw it: look again"))
    check.done()
    if session.hours_confirmed_by is None:
        session.hours_confirmed_by = actor.user_id
        session.version += 1
        _log("buddy_session", session)
    return _outcome(session)


@handles("buddy_session.log")
def log_session(actor: Actor, mutation: Mutation) -> Outcome:
    """A log is appended, never overwritten: logged twice (two phones), both stay and the
    newest decides the status. No base_version: a fact about the past never conflicts.
    A buddy's "done" waits for a worker or coordinator to confirm its hours."""
    session = queries.get_session(actor, mutation.record_id, for_update=True)
    values, check = LOG.read(mutation.fields)
    if values["outcome"] in ("done", "no_show"):
        if session.starts_at > now():
            check.fail("outcome", N_("the session has not started yet"))
        if outside := _outside_pair(session.pair, session.day):
            check.fail("outcome", LOG_OUTSIDE[outside])
    check.done()
    spent = values["minutes_spent"]
    if values["outcome"] == "done" and spent is None:
        spent = session.duration_minutes
    session.logs.append(BuddySessionLog(author_id=actor.user_id, outcome=values["outcome"],
                                        note=values["note"], minutes_spent=spent))
    session.status, session.note, session.minutes_spent = values["outcome"], values["note"], spent
    vouched = values["outcome"] == "done" and vouches_for_hours(actor, session)
    session.hours_confirmed_by = actor.user_id if vouched else None
    session.version += 1
    _log("buddy_session", session)
    return _outcome(session)


def expire_proposals(today: date) -> int:
    """Proposals unanswered past their answer-by day lapse, and each wish falls back to the
    next suggestion: a proposal to the best buddy not yet tried for it, in the name of whoever
    made the first, with a new answer-by day. With nobody left the wish opens again for its
    workers. Idempotent: a lapsed proposal is not touched again (the rows are locked, so two
    runners at once lapse each proposal once)."""
    lapsed = list(db.session.scalars(select(BuddyPair).where(
        BuddyPair.status == "proposed", BuddyPair.answer_by < today).with_for_update(of=BuddyPair)))
    for pair in lapsed:
        pair.status = "lapsed"
        pair.version += 1
        _log("buddy_pair", pair)
        db.session.flush()
        if pair.wish.status == "matched" and not _propose_next(pair, today):
            _reopen(pair.wish)
    db.session.flush()
    return len(lapsed)


def _propose_next(lapsed: BuddyPair, today: date) -> BuddyPair | None:
    profile = next_suggestion(lapsed.wish)
    if profile is None:
        return None
    pair = BuddyPair(id=new_id(), municipality_id=lapsed.municipality_id,
                     wish_id=lapsed.wish_id, person_id=lapsed.person_id,
                     buddy_id=profile.user_id, proposed_by=lapsed.proposed_by,
                     status="proposed", goals=list(lapsed.wish.goals), goals_reached=[],
                     proposed_on=today, answer_by=today + timedelta(days=answer_days()),
                     version=1)
    db.session.add(pair)
    db.session.flush()
    _log("buddy_pair", pair)
    return pair


def relog_for_person(person_id: str) -> None:
    """Who sees a person's pairs and sessions follows the person's caseload."""
    for pair in db.session.scalars(select(BuddyPair).where(BuddyPair.person_id == person_id)):
        _log("buddy_pair", pair)
        for session in db.session.scalars(select(BuddySession).where(
                BuddySession.pair_id == pair.id)):
            _log("buddy_session", session)
    for wish in db.session.scalars(select(BuddyWish).where(BuddyWish.person_id == person_id)):
        _log("buddy_wish", wish)


# --- privacy: erasure and retention (docs/privacy.md) -------------------------------------

def _drop(kind: str, record) -> None:
    """A record goes; phones holding it receive ``deleted: true`` at their next pull."""
    record_change(db.session, Change(kind, record.id, record.municipality_id,
                                     record.version + 1, deleted=True))
    db.session.delete(record)


def erase_pairs(pair_ids: list[str]) -> None:
    """Pairs go with their sessions and the sessions' logs; a wish left without any pair and
    no longer open goes with them (it was answered). Retention and erasure both come here."""
    wish_ids: set[str] = set()
    for pair in db.session.scalars(select(BuddyPair).where(BuddyPair.id.in_(pair_ids))):
        for session in db.session.scalars(select(BuddySession).where(
                BuddySession.pair_id == pair.id)):
            _drop("buddy_session", session)  # its logs go with it (delete-orphan)
        db.session.flush()
        wish_ids.add(pair.wish_id)
        _drop("buddy_pair", pair)
    db.session.flush()
    left = select(BuddyPair.wish_id).where(BuddyPair.wish_id.in_(wish_ids))
    for wish in db.session.scalars(select(BuddyWish).where(
            BuddyWish.id.in_(wish_ids), BuddyWish.id.not_in(left), BuddyWish.status != "open")):
        _drop("buddy_wish", wish)
    db.session.flush()


def erase_person_buddies(person_id: str) -> None:
    """A person is erased: their pairs, those pairs' sessions and logs, and their wishes go."""
    erase_pairs(list(db.session.scalars(select(BuddyPair.id).where(
        BuddyPair.person_id == person_id))))
    for wish in db.session.scalars(select(BuddyWish).where(BuddyWish.person_id == person_id)):
        _drop("buddy_wish", wish)
    db.session.flush()


def erase_profiles(profile_ids: list[str]) -> None:
    """Retention: the profiles of people who stopped being buddies long ago."""
    for profile in db.session.scalars(select(BuddyProfile).where(
            BuddyProfile.id.in_(profile_ids))):
        _drop("buddy_profile", profile)
    db.session.flush()
