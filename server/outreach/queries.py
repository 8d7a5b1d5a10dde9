"""Reads of outreach rounds: the municipality's for workers, officers and coordinators; their
own for volunteers."""

from datetime import datetime

from sqlalchemy import Select, false, select
from sqlalchemy.orm import lazyload

from ..core.access import Actor, Role
from ..core.records import Read
from ..core.tallies import tallies
from ..core.values import jsonable
from ..extensions import db, one_or_not_found
from .fields import COUNTERS, ROUND
from .models import OutreachRound, RoundTopic

ALL_ROUNDS = frozenset({Role.COORDINATOR, Role.WORKER, Role.OFFICER})


def visible_rounds(actor: Actor) -> Select[tuple[OutreachRound]]:
    query = select(OutreachRound).where(OutreachRound.municipality_id == actor.municipality_id)
    if actor.roles & ALL_ROUNDS:
        return query
    if not actor.is_field_user:
        return query.where(false())
    return query.where(OutreachRound.started_by == actor.user_id)


def get_visible(actor: Actor, round_id: str, *, for_update: bool = False) -> OutreachRound:
    return one_or_not_found(visible_rounds(actor).where(OutreachRound.id == round_id),
                            for_update=for_update)


def may_count(actor: Actor) -> bool:
    return actor.is_field_user


def may_end(actor: Actor, outreach_round: OutreachRound) -> bool:
    return outreach_round.started_by == actor.user_id or actor.is_coordinator


def countable_id(actor: Actor, round_id: str) -> str | None:
    if not may_count(actor):
        return None
    return db.session.scalar(visible_rounds(actor).with_only_columns(OutreachRound.id)
                             .where(OutreachRound.id == round_id))


def open_round(actor: Actor) -> OutreachRound | None:
    """The actor's own round that has not ended, the latest."""
    return db.session.scalar(visible_rounds(actor).where(
        OutreachRound.started_by == actor.user_id, OutreachRound.ended_at.is_(None))
        .order_by(OutreachRound.started_at.desc()).limit(1))


def recent(actor: Actor, limit: int = 50) -> list[OutreachRound]:
    # A list of rounds shows none of their topics: not loaded.
    return list(db.session.scalars(visible_rounds(actor).options(lazyload(OutreachRound.topics))
                                   .order_by(OutreachRound.started_at.desc()).limit(limit)))


def since(actor: Actor, moment: datetime) -> list[OutreachRound]:
    return list(db.session.scalars(visible_rounds(actor).where(
        OutreachRound.started_at >= moment)))


def sync_data(actor: Actor, outreach_round: OutreachRound) -> dict:
    data = {name: jsonable(getattr(outreach_round, name)) for name in ROUND.pulled(Read.BASIC)}
    data["tallies"] = tallies(outreach_round, COUNTERS)
    data["topics"] = [{"id": t.id, "domain": t.domain, "text": t.text}
                      for t in outreach_round.topics]
    return data


def expired(cutoff: datetime) -> list[str]:
    """Rounds started before the cut-off with a topic that still holds free text."""
    worded = select(RoundTopic.round_id).where(RoundTopic.text.is_not(None))
    return list(db.session.scalars(select(OutreachRound.id).where(
        OutreachRound.started_at < cutoff, OutreachRound.created_at < cutoff,
        OutreachRound.id.in_(worded))))
