"""The synthetic region's records, row by row as each feature's operations write them."""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from ..buddies.models import BuddyPair, BuddyProfile, BuddyWish
from ..buddies.vocab import GOALS, INTERESTS, SLOTS
from ..contacts.fields import FIELDS as CONTACT_FIELDS
from ..contacts.models import Contact, ContactVersion, contact_person
from ..core.vocab import CHANNELS, CONSENT_METHODS, DOMAINS, next_referral_steps
from ..gatherings.fields import INVITATION_LANGUAGES, KINDS, PLAN
from ..gatherings.models import Gathering, gathering_host
from ..people.fields import EDITABLE
from ..people.models import Person
from ..referrals.models import Referral, ReferralStep
from ..signals.fields import THEMES, URGENCIES
from ..signals.models import Signal, SignalStep
from ..welcome.fields import AGE_BANDS
from ..welcome.importing import household_key, street_key
from ..welcome.models import Household
from .scale_data import (
    COMMUNITIES,
    CONTACT_NOTES,
    GATHERING_TITLES,
    REFERRAL_NOTES,
    SENSITIVE_NOTES,
    SIGNAL_TEXTS,
    STREETS,
)

if TYPE_CHECKING:
    from .scale import Place, Region, Seat

CHUNK = 20_000
CASELOAD = 300  # people on each team's caseload; the worker's team has exactly this many
UNASSIGNED_SHARE = 0.02  # people entered but not on a team yet
CONTACTS_PER_CASE = (25, 37)  # the worker's own caseload: about 31 contacts a person
DAYS = 700  # how far back the region goes: within the 24 months consent stays valid


@dataclass(slots=True)
class Case:
    id: str
    place: "Place"
    seat: "Seat | None"
    created_by: str
    created_at: datetime
    hood: str


def _ago(region: "Region", low: float, high: float) -> datetime:
    return region.loader.stamp - timedelta(days=region.rng.uniform(low, high))


def people(region: "Region") -> None:
    rng, cases = region.rng, []
    for place in region.places:
        unassigned = math.ceil(place.share * UNASSIGNED_SHARE)
        workers = [t.worker for t in place.teams]
        for n in range(place.share):
            seat = None if n < unassigned else place.teams[(n - unassigned) // CASELOAD]
            author = (rng.choice(workers) if seat is None else
                      seat.worker if rng.random() < 0.7 else seat.volunteer)
            case = Case(region.new_id(), place, seat, author, _ago(region, 7, DAYS),
                        rng.choice(place.hoods))
            if seat is not None:
                seat.people.append(case.id)
            cases.append(case)
    region.cases = cases
    for start in range(0, len(cases), CHUNK):
        chunk = cases[start:start + CHUNK]
        region.loader.write(Person.__table__, PERSON_COLUMNS, [_person(rng, c) for c in chunk])
        region.loader.log("person", ((c.id, c.place.id, 1) for c in chunk))


PERSON_COLUMNS = ("id", "municipality_id", "team_id", "created_by", "created_at", "updated_at",
                  "version", "field_versions", "field_authors", *EDITABLE)


def _person(rng, case: Case) -> tuple:
    given, family, languages, preferred = COMMUNITIES[rng.randrange(len(COMMUNITIES))]
    basis = "consent" if rng.random() < 0.85 else "public_task"
    values = {
        "display_name": f"{rng.choice(given)} {rng.choice(family)}",
        "phone": f"+32 4{rng.randint(60, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                 f"{rng.randint(10, 99)}" if rng.random() < 0.8 else None,
        "email": f"persoon{rng.getrandbits(32):x}@example.net" if rng.random() < 0.2 else None,
        "reach_note": "Liefst 's avonds bellen." if rng.random() < 0.1 else None,
        "neighbourhood_id": case.hood,
        "languages": list(languages),
        "preferred_language": preferred,
        "consent_basis": basis,
        "consent_purpose": "Begeleiding en toeleiding",
        "consent_date": case.created_at.date() if basis == "consent" else None,
        "consent_method": rng.choice(CONSENT_METHODS) if basis == "consent" else None,
        "consent_withdrawn_on": None,
    }
    return (case.id, case.place.id, case.seat.id if case.seat else None, case.created_by,
            case.created_at, case.created_at, 1, {name: 1 for name in EDITABLE},
            {name: case.created_by for name in EDITABLE}, *values.values())


CONTACT_COLUMNS = ("id", "municipality_id", "author_id", "version", "created_at",
                   *CONTACT_FIELDS[:3], *CONTACT_FIELDS[4:])


def contacts(region: "Region", total: int) -> None:
    """The worker's team first (about 31 each), the rest spread over everyone else; a tenth
    with nobody in particular (a street talk), a few with two people of one caseload."""
    rng = region.rng
    team = region.places[0].teams[0]
    per_case = (CONTACTS_PER_CASE if total >= 2 * sum(CONTACTS_PER_CASE) // 2 * len(team.people)
                else (0, total // len(team.people)))
    plan = [case for case in region.cases if case.seat is team
            for _ in range(rng.randint(*per_case))]
    others = [case for case in region.cases if case.seat is not team]
    by_id = {case.id: case for case in region.cases}
    for start in range(0, total, CHUNK):
        rows, links, versions = [], [], []
        for n in range(start, min(total, start + CHUNK)):
            case = plan[n] if n < len(plan) else rng.choice(others)
            with_people = n < len(plan) or rng.random() >= 0.1
            people = [case.id] if with_people else []
            if with_people and case.seat is not None and rng.random() < 0.04:
                people.append(rng.choice(case.seat.people))
            people = sorted(set(people))
            row, data = _contact(region, case, people, by_id)
            rows.append(row)
            links += [(row[0], p) for p in people]
            versions.append((row[0], 1, row[2], row[4], data))
        loader = region.loader
        loader.write(Contact.__table__, CONTACT_COLUMNS, rows)
        loader.write(contact_person, ("contact_id", "person_id"), links)
        loader.write(ContactVersion.__table__, ("contact_id", "version", "author_id",
                                                "recorded_at", "data"), versions)
        loader.log("contact", ((r[0], r[1], 1) for r in rows))


def _contact(region: "Region", case: Case, people: list[str], by_id: dict) -> tuple:
    rng, stamp = region.rng, region.loader.stamp
    place = case.place
    if not people:
        author = rng.choice(place.field_users)
    elif case.seat is None:
        author = case.created_by
    else:
        author = case.seat.worker if rng.random() < 0.7 else case.seat.volunteer
    since = max(by_id[p].created_at for p in people) if people else stamp - timedelta(days=DAYS)
    occurred = since + (stamp - since) * rng.random()
    occurred = occurred.replace(microsecond=0)
    visibility = rng.choices(("team", "private", "sensitive"), (93, 4, 3))[0]
    note = None
    if rng.random() < 0.6 or visibility != "team":
        note = rng.choice(SENSITIVE_NOTES if visibility == "sensitive" else CONTACT_NOTES)
    follow_up = None
    if stamp - occurred < timedelta(days=60) and rng.random() < 0.1:
        follow_up = occurred.date() + timedelta(days=rng.randint(3, 21))
    values = {
        "occurred_at": occurred, "channel": rng.choice(CHANNELS),
        "domains": rng.sample(DOMAINS, rng.choice((1, 1, 2, 2, 3))),
        "duration_minutes": rng.choice((5, 10, 15, 20, 30, 45, 60)),
        "note": note, "note_visibility": visibility,
        "neighbourhood_id": case.hood if rng.random() < 0.7 else rng.choice(place.hoods),
        "place": None, "follow_up_on": follow_up, "follow_up_done": False,
    }
    contact_id = region.new_id()
    logged = min(stamp, occurred + timedelta(minutes=rng.randint(1, 180)))
    data = {name: value.isoformat() if isinstance(value, datetime | date) else value
            for name, value in values.items()}
    data["person_ids"] = people
    return (contact_id, place.id, author, 1, logged, *values.values()), data


REFERRAL_COLUMNS = ("id", "municipality_id", "person_id", "service_id", "author_id", "status",
                    "status_on", "follow_up_due", "note", "note_visibility", "version",
                    "created_at")
STEP_COLUMNS = ("referral_id", "status", "occurred_on", "author_id", "note", "note_visibility")


def referrals(region: "Region", total: int) -> None:
    rng = region.rng
    today = region.loader.stamp.date()
    for start in range(0, total, CHUNK):
        rows, steps = [], []
        for _ in range(start, min(total, start + CHUNK)):
            case = rng.choice(region.cases)
            author = case.seat.worker if case.seat else case.created_by
            opened = (case.created_at + (region.loader.stamp - case.created_at) * rng.random())
            day = opened.date()
            visibility = "sensitive" if rng.random() < 0.03 else "team"
            note = rng.choice(REFERRAL_NOTES)
            referral_id = region.new_id()
            steps.append((referral_id, "proposed", day, author, note, visibility))
            status, version = "proposed", 1
            for _ in range(rng.choice((0, 1, 1, 2, 3, 3, 4, 4))):
                options = next_referral_steps(status)
                if not options:
                    break
                status = options[0] if rng.random() < 0.9 else rng.choice(options[1:])
                day = min(day + timedelta(days=rng.randint(2, 9)), today)
                steps.append((referral_id, status, day, author, None, "team"))
                version += 1
            due = opened.date() + timedelta(days=rng.randint(10, 60))
            rows.append((referral_id, case.place.id, case.id, rng.choice(case.place.services),
                         author, status, day, due, note, visibility, version, opened))
        region.loader.write(Referral.__table__, REFERRAL_COLUMNS, rows)
        region.loader.write(ReferralStep.__table__, STEP_COLUMNS, steps)
        region.loader.log("referral", ((r[0], r[1], r[10]) for r in rows))


def buddies(region: "Region") -> None:
    """A profile per buddy; a wish for one person in a hundred, half of them paired."""
    rng, loader = region.rng, region.loader
    today = loader.stamp.date()
    profiles, wishes, pairs = [], [], []
    for place in region.places:
        for buddy in place.buddies:
            profiles.append((region.new_id(), place.id, buddy, ["nl", rng.choice(("fr", "en"))],
                             rng.choice(place.hoods), [], rng.sample(INTERESTS, 3),
                             rng.sample(GOALS, 2), rng.sample(SLOTS, 4), rng.randint(1, 3), 1))
    for case in region.cases[::100]:
        if case.seat is None:
            continue
        wish_id, matched = region.new_id(), rng.random() < 0.5
        wishes.append((wish_id, case.place.id, case.id, case.seat.worker,
                       rng.sample(GOALS, 2), ["nl"], rng.sample(SLOTS, 3), rng.sample(INTERESTS, 2),
                       rng.choice(("normal", "normal", "high", "low")),
                       "matched" if matched else "open", 1, case.created_at))
        if matched:
            proposed = today - timedelta(days=rng.randint(30, 300))
            pairs.append((region.new_id(), case.place.id, wish_id, case.id,
                          rng.choice(case.place.buddies), case.seat.worker, "active",
                          wishes[-1][4], [], proposed, proposed + timedelta(days=14),
                          proposed + timedelta(days=rng.randint(2, 10)), 1))
    loader.write(BuddyProfile.__table__, (
        "id", "municipality_id", "user_id", "languages", "neighbourhood_id", "nearby_ids",
        "interests", "goals", "availability", "capacity", "version"), profiles)
    loader.write(BuddyWish.__table__, (
        "id", "municipality_id", "person_id", "author_id", "goals", "languages", "availability",
        "interests", "urgency", "status", "version", "created_at"), wishes)
    loader.write(BuddyPair.__table__, (
        "id", "municipality_id", "wish_id", "person_id", "buddy_id", "proposed_by", "status",
        "goals", "goals_reached", "proposed_on", "answer_by", "started_on", "version"), pairs)
    for kind, rows in (("buddy_profile", profiles), ("buddy_wish", wishes),
                       ("buddy_pair", pairs)):
        loader.log(kind, ((r[0], r[1], 1) for r in rows))


def gatherings(region: "Region") -> None:
    """About one a week per municipality over the region's two years."""
    rng, loader = region.rng, region.loader
    rows, hosts = [], []
    plan = [name for name in PLAN if name != "host_ids"]
    for place in region.places:
        for week in range(DAYS // 7):
            starts = (loader.stamp - timedelta(days=week * 7 + rng.randint(0, 6))).replace(
                hour=rng.choice((9, 13, 17)), minute=0, second=0, microsecond=0)
            creator = rng.choice(place.field_users[:-1])
            past = starts < loader.stamp
            gathering_id = region.new_id()
            rows.append((gathering_id, place.id, creator, rng.choice(KINDS),
                         rng.choice(GATHERING_TITLES), starts, "Buurthuis", rng.choice(place.hoods),
                         rng.sample(INVITATION_LANGUAGES, 3), ["nl", "fr", "ar"] if past else [],
                         rng.randint(5, 40) if past else 0, rng.randint(0, 10) if past else 0,
                         rng.randint(0, 15) if past else 0, 1, {name: 1 for name in plan},
                         {name: creator for name in plan}, starts - timedelta(days=14),
                         starts - timedelta(days=14)))
            hosts.append((gathering_id, creator))
    loader.write(Gathering.__table__, (
        "id", "municipality_id", "created_by", "kind", "title", "starts_at", "place",
        "neighbourhood_id", "invitation_languages", "languages_heard", "residents", "newcomers",
        "children", "version", "field_versions", "field_authors", "created_at", "updated_at"),
        rows)
    loader.write(gathering_host, ("gathering_id", "user_id"), hosts)
    loader.log("gathering", ((r[0], r[1], 1) for r in rows))


def signals(region: "Region") -> None:
    """One signal per hundred people, triaged as far as their age allows."""
    rng, loader = region.rng, region.loader
    rows, steps = [], []
    for place in region.places:
        for _ in range(max(5, place.share // 100)):
            reporter = rng.choice(place.field_users)
            raised = _ago(region, 1, DAYS)
            signal_id = region.new_id()
            trail = ["new"] + ["acknowledged", "forwarded", "resolved"][:rng.randint(0, 3)]
            forwarded = "Technische dienst" if "forwarded" in trail else None
            for n, status in enumerate(trail):
                steps.append((signal_id, status, forwarded if status == "forwarded" else None,
                              None, reporter if n == 0 else place.coordinator,
                              min(loader.stamp, raised + timedelta(days=2 * n))))
            rows.append((signal_id, place.id, reporter, rng.choice(THEMES), rng.choice(URGENCIES),
                         rng.choice(SIGNAL_TEXTS), rng.choice(place.hoods), trail[-1], forwarded,
                         len(trail), len(trail), raised))
    loader.write(Signal.__table__, (
        "id", "municipality_id", "reporter_id", "theme", "urgency", "description",
        "neighbourhood_id", "status", "forwarded_to", "reporter_seen", "version", "created_at"),
        rows)
    loader.write(SignalStep.__table__, ("signal_id", "status", "forwarded_to", "note",
                                        "author_id", "at"), steps)
    loader.log("signal", ((r[0], r[1], r[10]) for r in rows))


def households(region: "Region") -> None:
    """The register's inflow: one household per ten people, imported, not yet visited."""
    rng, loader = region.rng, region.loader
    rows = []
    for place in region.places:
        for n in range(max(10, place.share // 10)):
            given, family, languages, _ = COMMUNITIES[rng.randrange(len(COMMUNITIES))]
            street, number = rng.choice(STREETS), str(n + 1)
            registered = (loader.stamp - timedelta(days=rng.randint(1, DAYS))).date()
            seat = rng.choice(place.teams)
            rows.append((region.new_id(), place.id,
                         household_key(street, number, "1700", registered),
                         f"{rng.choice(given)} {rng.choice(family)}", street, street_key(street),
                         number, "1700", registered, rng.randint(1, 6),
                         sorted(rng.sample(AGE_BANDS, 2)), list(languages),
                         rng.choice(place.hoods), seat.id, "visit", "new", 0, False,
                         datetime.combine(registered, datetime.min.time(), UTC), 1))
    loader.write(Household.__table__, (
        "id", "municipality_id", "household_key", "names", "street", "street_key",
        "house_number", "postcode", "registered_on", "household_size", "age_bands", "languages",
        "neighbourhood_id", "assigned_team_id", "approach", "status", "attempts",
        "agrees_to_contact", "imported_at", "version"), rows)
    loader.log("household", ((r[0], r[1], 1) for r in rows))
