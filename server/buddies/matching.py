"""Suggested buddies for a wish, ranked, each with the reasons it scored.

The score is a plain sum so that a worker can follow it: every reason says what it added.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from ..core.access import Actor
from ..extensions import db
from . import queries
from .models import BuddyPair, BuddyProfile, BuddyWish

# Points per reason: shared language weighs most (the point of most pairs), then place.
LANGUAGE, SAME_PLACE, NEARBY, SLOT, INTEREST, GOAL, PER_PAIR = 4, 3, 1, 2, 1, 2, 2
MAX_SLOTS, MAX_INTERESTS = 3, 3


@dataclass
class Reason:
    kind: str  # languages, same_neighbourhood, nearby_neighbourhood, availability, ...
    points: int
    codes: list[str] = field(default_factory=list)


@dataclass
class Suggestion:
    profile: BuddyProfile
    load: int
    reasons: list[Reason]

    @property
    def score(self) -> int:
        return sum(r.points for r in self.reasons)

    @property
    def free(self) -> int:
        return max(self.profile.capacity - self.load, 0)


def _shared(a: list[str], b: list[str]) -> list[str]:
    return [x for x in a if x in set(b)]


def reasons_for(profile: BuddyProfile, wish: BuddyWish, neighbourhood_id: str | None,
                load: int) -> list[Reason]:
    reasons = []
    if languages := _shared(wish.languages, profile.languages):
        reasons.append(Reason("languages", LANGUAGE * len(languages), languages))
    if neighbourhood_id and neighbourhood_id == profile.neighbourhood_id:
        reasons.append(Reason("same_neighbourhood", SAME_PLACE))
    elif neighbourhood_id and neighbourhood_id in (profile.nearby_ids or []):
        reasons.append(Reason("nearby_neighbourhood", NEARBY))
    if slots := _shared(wish.availability, profile.availability):
        reasons.append(Reason("availability", SLOT * min(len(slots), MAX_SLOTS), slots))
    if interests := _shared(wish.interests, profile.interests):
        reasons.append(Reason("interests", INTEREST * min(len(interests), MAX_INTERESTS),
                              interests))
    if goals := _shared(wish.goals, profile.goals):
        reasons.append(Reason("goals", GOAL * len(goals), goals))
    if load:
        reasons.append(Reason("load", -PER_PAIR * load))
    return reasons


def rank(profiles: list[BuddyProfile], wish: BuddyWish, neighbourhood_id: str | None,
         loads: dict[str, int], tried: set[str]) -> list[Suggestion]:
    """Buddies with a free place who were not proposed for this wish before, best first;
    ties by name, so the list is the same for everyone."""
    suggestions = [Suggestion(p, loads.get(p.user_id, 0),
                              reasons_for(p, wish, neighbourhood_id, loads.get(p.user_id, 0)))
                   for p in profiles if p.user_id not in tried]
    suggestions = [s for s in suggestions if s.free > 0]
    return sorted(suggestions, key=lambda s: (-s.score, s.profile.user.display_name.lower()))


def suggestions(actor: Actor, wish: BuddyWish) -> list[Suggestion]:
    return _ranked(list(db.session.scalars(queries.visible_profiles(actor))), wish)


def next_suggestion(wish: BuddyWish) -> BuddyProfile | None:
    """Where an unanswered proposal falls back to: the best buddy of the wish's municipality not
    yet proposed for it, as its matchers see the list, if any reason speaks for them."""
    profiles = list(db.session.scalars(select(BuddyProfile).where(
        BuddyProfile.municipality_id == wish.municipality_id,
        BuddyProfile.user_id.in_(queries.buddies_here(wish.municipality_id)))))
    best = next(iter(_ranked(profiles, wish)), None)
    return best.profile if best and best.score > 0 else None


def _ranked(profiles: list[BuddyProfile], wish: BuddyWish) -> list[Suggestion]:
    tried = set(db.session.scalars(select(BuddyPair.buddy_id).where(
        BuddyPair.wish_id == wish.id)))
    return rank(profiles, wish, wish.person.neighbourhood_id,
                queries.active_load(wish.municipality_id), tried)
