"""Demo content of the buddy programme, through the same operations the app uses: the demo
buddy has an active pair with sessions held, to log and planned, and a proposal waiting; two
more buddies and an open wish make the matching page worth a look."""

from datetime import timedelta

from sqlalchemy import select

from ..auth.models import Membership, User
from ..core.access import Actor, Role
from ..core.clock import LOCAL_TZ, now, today_local
from ..core.ids import new_id
from ..core.mutations import Mutation
from ..extensions import db
from ..org.models import Municipality, Neighbourhood, Team
from ..people.models import Person
from ..sync.apply import apply_one
from .models import BuddyPair

OTHER_BUDDIES = [  # (e-mail, name, languages, neighbourhood index, slots, interests, goals)
    ("marie.buddy@example.org", "Marie Van Damme", ["nl", "fr", "ar"], 1,
     ["sat_morning", "sun_afternoon"], ["cooking", "children"], ["school", "leisure"]),
    ("pieter.buddy@example.org", "Pieter Janssens", ["nl", "en", "uk"], 2,
     ["tue_evening", "thu_evening"], ["sport", "technology"], ["work", "language_practice"]),
]


def _apply(actor: Actor, mutation_type: str, fields: dict, record_id: str | None = None) -> str:
    result = apply_one(actor, Mutation(id=new_id(), type=mutation_type,
                                       record_id=record_id or new_id(), fields=fields))
    if result.status != "applied":
        raise RuntimeError(f"demo seed: {mutation_type} {result.status} {result.errors}")
    return result.record_id


def _buddy(user: User, municipality: Municipality) -> Actor:
    return Actor(user.id, municipality.id, frozenset({Role.BUDDY}))


def seed_buddies(municipality: Municipality, users: dict[str, User], team: Team) -> None:
    hoods = list(db.session.scalars(select(Neighbourhood.id).where(
        Neighbourhood.municipality_id == municipality.id).order_by(Neighbourhood.name)))
    worker = Actor(users["worker"].id, municipality.id, frozenset({Role.WORKER}),
                   frozenset({team.id}))
    jan = _buddy(users["buddy"], municipality)
    _apply(jan, "buddy_profile.save", {
        "languages": ["nl", "fr", "en"], "neighbourhood_id": hoods[0], "nearby_ids": hoods[1:3],
        "availability": ["wed_evening", "sat_morning", "sat_afternoon"],
        "interests": ["cooking", "nature", "reading"],
        "goals": ["language_practice", "administration"], "capacity": 3,
        "preferences": "Liefst op zaterdag."})
    for email, name, languages, hood, slots, interests, goals in OTHER_BUDDIES:
        user = User(email=email, display_name=name, password_hash=users["buddy"].password_hash)
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, municipality_id=municipality.id, role="buddy"))
        _apply(_buddy(user, municipality), "buddy_profile.save", {
            "languages": languages, "neighbourhood_id": hoods[hood], "availability": slots,
            "interests": interests, "goals": goals, "capacity": 2})
    people = list(db.session.scalars(select(Person).where(
        Person.team_id == team.id).order_by(Person.created_at)))
    _active_pair(worker, jan, people[0].id)
    waiting = _apply(worker, "buddy_wish.create", {
        "person_id": people[2].id, "goals": ["language_practice", "leisure"],
        "languages": ["tr", "nl"], "availability": ["sat_morning"], "interests": ["cooking"]})
    _apply(worker, "buddy_pair.propose", {"wish_id": waiting, "buddy_id": jan.user_id})
    _apply(worker, "buddy_wish.create", {  # open: the matching page shows suggestions
        "person_id": people[1].id, "goals": ["work", "language_practice"],
        "languages": ["uk", "en"], "availability": ["tue_evening", "sat_morning"],
        "interests": ["technology"], "urgency": "high"})


def _active_pair(worker: Actor, jan: Actor, person_id: str) -> None:
    wish = _apply(worker, "buddy_wish.create", {
        "person_id": person_id, "goals": ["language_practice", "administration", "leisure"],
        "languages": ["fr", "nl"], "availability": ["sat_morning", "wed_evening"],
        "interests": ["cooking"]})
    pair_id = _apply(worker, "buddy_pair.propose", {"wish_id": wish, "buddy_id": jan.user_id})
    _apply(jan, "buddy_pair.answer", {"answer": "accept"}, record_id=pair_id)
    db.session.get(BuddyPair, pair_id).started_on = today_local() - timedelta(days=60)
    _apply(jan, "buddy_pair.goals", {"goals_reached": ["administration"]}, record_id=pair_id)
    notes = ["Samen de brief van de mutualiteit gelezen.", "Koffie in de bib, Nederlands "
             "geoefend.", "Wandeling in het park, over school gepraat."]
    moment = now().astimezone(LOCAL_TZ)
    for weeks, note in zip((6, 4, 2), notes, strict=True):
        day = (moment - timedelta(weeks=weeks)).date()
        session = _apply(jan, "buddy_session.plan", {
            "pair_id": pair_id, "day": day.isoformat(), "start_time": "10:00",
            "duration_minutes": 90, "place": "Bibliotheek"})
        _apply(jan, "buddy_session.log", {"outcome": "done", "note": note, "minutes_spent": 90},
               record_id=session)
        if weeks > 2:  # the newest hours still wait for the worker to confirm them
            _apply(worker, "buddy_session.confirm", {}, record_id=session)
    for days, clock in ((-1, "18:30"), (2, "10:00"), (9, "14:00")):
        day = (moment + timedelta(days=days)).date()
        session = _apply(jan, "buddy_session.plan", {
            "pair_id": pair_id, "day": day.isoformat(), "start_time": clock,
            "duration_minutes": 60, "place": "Gemeenschapscentrum"})
        if days == 2:
            _apply(worker, "buddy_session.confirm", {}, record_id=session)
