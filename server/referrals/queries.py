"""Reads of referrals, scoped in SQL like the people they are about."""

from datetime import date

from sqlalchemy import Select, false, or_, select

from ..core.access import Actor
from ..core.values import jsonable
from ..core.vocab import REFERRAL_ENDS
from ..extensions import db, one_or_not_found
from ..people.models import Person
from .models import Referral


def visible_referrals(actor: Actor) -> Select[tuple[Referral]]:
    query = select(Referral).where(Referral.municipality_id == actor.municipality_id)
    if actor.is_coordinator:
        return query
    terms = [false(), Referral.author_id == actor.user_id]
    if actor.works_caseload and actor.team_ids:
        terms.append(Referral.person_id.in_(
            select(Person.id).where(Person.team_id.in_(actor.team_ids))))
    return query.where(or_(*terms))


def get_visible(actor: Actor, referral_id: str, *, for_update: bool = False) -> Referral:
    return one_or_not_found(visible_referrals(actor).where(Referral.id == referral_id),
                            for_update=for_update)


def open_referrals(actor: Actor, mine_only: bool = True) -> list[Referral]:
    query = visible_referrals(actor).where(Referral.status.not_in(REFERRAL_ENDS))
    if mine_only:
        query = query.where(Referral.author_id == actor.user_id)
    query = query.order_by(Referral.follow_up_due.is_(None), Referral.follow_up_due)
    return list(db.session.scalars(query))


def overdue(actor: Actor, today: date) -> list[Referral]:
    query = visible_referrals(actor).where(Referral.status.not_in(REFERRAL_ENDS),
                                           Referral.follow_up_due < today)
    return list(db.session.scalars(query.order_by(Referral.follow_up_due)))


def for_person(actor: Actor, person_id: str) -> list[Referral]:
    query = visible_referrals(actor).where(Referral.person_id == person_id)
    return list(db.session.scalars(query.order_by(Referral.created_at.desc())))


def sync_data(actor: Actor, referral: Referral) -> dict:
    data = {name: jsonable(getattr(referral, name)) for name in (
        "person_id", "service_id", "status", "status_on", "follow_up_due", "note", "author_id")}
    data["steps"] = [{"status": s.status, "occurred_on": s.occurred_on.isoformat()}
                     for s in referral.steps]
    return data
