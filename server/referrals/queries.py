"""Reads of referrals, scoped in SQL like the people they are about; their notes shown only
to whom they are for (the rule of contact notes)."""

from datetime import date, datetime

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.access import Actor, holds_case, may_read_note, note_shown, referral_steps_allowed
from ..core.errors import Forbidden
from ..core.records import Read
from ..core.values import jsonable
from ..core.vocab import REFERRAL_ENDS, next_referral_steps
from ..extensions import db, one_or_not_found
from ..people.models import Person
from ..people.timeline import Entry
from ..services import service_name
from .fields import REFERRAL
from .models import Referral, ReferralStep


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


def get_advanceable(actor: Actor, referral_id: str, *, for_update: bool = False) -> Referral:
    """A referral the actor may move along; a closed one too (it then refuses the step)."""
    referral = get_visible(actor, referral_id, for_update=for_update)
    if next_referral_steps(referral.status) and not steps_allowed(actor, referral):
        raise Forbidden
    return referral


def pulled_referrals(actor: Actor) -> Select[tuple[Referral]]:
    """What a phone receives: visible_referrals with their steps (sync_data sends them)."""
    return visible_referrals(actor).options(selectinload(Referral.steps))


def open_referrals(actor: Actor, mine_only: bool = True) -> Select[tuple[Referral]]:
    """Open referrals, the first to follow up first (to page or to limit)."""
    query = visible_referrals(actor).where(Referral.status.not_in(REFERRAL_ENDS))
    if mine_only:
        query = query.where(Referral.author_id == actor.user_id)
    # NULLS LAST as the index ix_referral_municipality_due keeps them (PostgreSQL's default).
    return query.order_by(Referral.follow_up_due.asc().nulls_last(), Referral.id)


def first_open(actor: Actor, limit: int) -> list[Referral]:
    """The actor's own open referrals to follow up first (their home shows a few)."""
    return list(db.session.scalars(open_referrals(actor).limit(limit)))


def overdue(actor: Actor, today: date, limit: int = 10) -> tuple[list[Referral], int]:
    """The ``limit`` most overdue open referrals, and how many are overdue in all."""
    query = visible_referrals(actor).where(Referral.status.not_in(REFERRAL_ENDS),
                                           Referral.follow_up_due < today)
    total = db.session.scalar(query.with_only_columns(func.count(),
                                                      maintain_column_froms=True))
    shown = db.session.scalars(query.order_by(Referral.follow_up_due, Referral.id).limit(limit))
    return list(shown), total or 0


def for_person(actor: Actor, person_id: str, *, with_steps: bool = False) -> list[Referral]:
    query = visible_referrals(actor).where(Referral.person_id == person_id)
    if with_steps:
        query = query.options(selectinload(Referral.steps))
    return list(db.session.scalars(query.order_by(Referral.created_at.desc())))


def timeline(actor: Actor, person_id: str) -> list[Entry]:
    return [Entry("referral", r.status_on, r) for r in for_person(actor, person_id)]


def _holds_case(actor: Actor, referral: Referral) -> bool:
    return holds_case(actor, referral.person.team_id, referral.person.created_by)


def steps_allowed(actor: Actor, referral: Referral) -> tuple[str, ...]:
    return referral_steps_allowed(actor, referral.status, on_case=_holds_case(actor, referral),
                                  is_author=referral.author_id == actor.user_id)


def step_note_shown(actor: Actor, referral: Referral, step: ReferralStep) -> str | None:
    """How the referral page shows a step's note (core.access.note_shown); None without one."""
    if not step.note:
        return None
    return note_shown(actor, step.author_id, step.note_visibility,
                      on_case=_holds_case(actor, referral))


def readable_step_note(actor: Actor, referral: Referral, step: ReferralStep) -> str | None:
    """A step's note for a person's explicit read (never a page or a pull a phone may keep):
    the view records the read (audit.note_read) before rendering."""
    if not step.note or not may_read_note(actor, step.author_id, step.note_visibility,
                                          on_case=_holds_case(actor, referral)):
        return None
    return step.note


def readable_note(actor: Actor, referral: Referral) -> str | None:
    """The note the referral was proposed with, for phones: only a team note the reader may
    read (private ones are read live, sensitive ones never leave the server)."""
    if not referral.note:
        return None
    shown = note_shown(actor, referral.author_id, referral.note_visibility,
                       on_case=_holds_case(actor, referral))
    return referral.note if shown == "text" else None


def sync_data(actor: Actor, referral: Referral) -> dict:
    data = {name: jsonable(getattr(referral, name)) for name in REFERRAL.pulled(Read.BASIC)}
    data["note"] = readable_note(actor, referral)
    data["steps"] = [{"status": s.status, "occurred_on": s.occurred_on.isoformat()}
                     for s in referral.steps]
    return data


def expired(cutoff: datetime) -> list[str]:
    """Referrals whose last step is older than the cut-off, and that were made before it."""
    return list(db.session.scalars(select(Referral.id).where(
        Referral.status_on < cutoff.date(), Referral.created_at < cutoff)))


def people_active_since(cutoff: datetime) -> Select:
    return select(Referral.person_id).where(Referral.status_on >= cutoff.date())


def subject_data(actor: Actor, person: Person) -> list[dict]:
    """The person's referrals for their export, with every step; notes where the reader may
    read them (core.access.may_read_note)."""
    out = []
    for referral in for_person(actor, person.id, with_steps=True):
        data = {name: jsonable(getattr(referral, name)) for name in REFERRAL.pulled(Read.BASIC)}
        data.update(id=referral.id, service=service_name(referral.service),
                    note=readable_step_note(actor, referral, referral.steps[0])
                    if referral.steps else None)
        data["steps"] = [{"status": s.status, "occurred_on": s.occurred_on.isoformat(),
                          "note": readable_step_note(actor, referral, s)} for s in referral.steps]
        out.append(data)
    return out
