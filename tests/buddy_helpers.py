"""Factories of the buddy programme, through its own operations (as factories.py does)."""

from datetime import timedelta

from server.core.clock import LOCAL_TZ, now
from server.extensions import db
from server.org.models import Neighbourhood

from . import factories


def neighbourhood(municipality, name: str) -> str:
    hood = db.session.scalar(db.select(Neighbourhood).where(
        Neighbourhood.municipality_id == municipality.id, Neighbourhood.name == name))
    if hood is None:
        hood = Neighbourhood(municipality_id=municipality.id, name=name)
        db.session.add(hood)
        db.session.flush()
    return hood.id


def make_profile(actor, **overrides) -> str:
    fields = {"languages": ["ar", "nl"], "interests": ["cooking"], "goals": ["language_practice"],
              "availability": ["sat_morning"], "capacity": 2, **overrides}
    return factories.apply(actor, "buddy_profile.save", fields)


def make_wish(actor, person_id: str, **overrides) -> str:
    fields = {"person_id": person_id, "goals": ["language_practice", "administration"],
              "languages": ["ar", "fr"], "availability": ["sat_morning", "wed_evening"],
              "interests": ["cooking"], **overrides}
    return factories.apply(actor, "buddy_wish.create", fields)


def propose(actor, wish_id: str, buddy_user_id: str) -> str:
    return factories.apply(actor, "buddy_pair.propose", {"wish_id": wish_id,
                                                         "buddy_id": buddy_user_id})


def local_slot(moment) -> dict:
    local = moment.astimezone(LOCAL_TZ)
    return {"day": local.date().isoformat(), "start_time": local.strftime("%H:%M")}


def plan(actor, pair_id: str, at, **overrides) -> str:
    return factories.apply(actor, "buddy_session.plan", {
        "pair_id": pair_id, **local_slot(at), "duration_minutes": 60, "place": "Bibliotheek",
        **overrides})


def active_pair(world) -> dict:
    """The world's buddy with a profile, a wish for the world's person, an active pair, a
    session an hour ago (to log) and one in three days; ids by name."""
    worker, buddy = world.actor("worker"), world.actor("buddy")
    ids = {"profile": make_profile(buddy)}
    ids["wish"] = make_wish(worker, world.records["person"])
    ids["pair"] = propose(worker, ids["wish"], buddy.user_id)
    factories.apply(buddy, "buddy_pair.answer", {"answer": "accept"}, record_id=ids["pair"])
    moment = now().replace(second=0, microsecond=0)
    # Two hours ago, but never before today, the day the pair started: after midnight too.
    midnight = moment.astimezone(LOCAL_TZ).replace(hour=0, minute=0)
    ids["past"] = plan(buddy, ids["pair"], max(moment - timedelta(hours=2), midnight))
    ids["future"] = plan(buddy, ids["pair"], moment + timedelta(days=3))
    return ids


def world_pair(world) -> dict:
    """Once per test, committed: the world's buddy with a profile, an active pair with the
    world's person, and a session begun two hours ago (records "buddy_<name>")."""
    if "buddy_pair" not in world.records:
        world.records.update({f"buddy_{name}": value for name, value in active_pair(world).items()})
        db.session.commit()
    return world.records
