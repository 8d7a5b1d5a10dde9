"""Every write to an outreach round: start it, count, note topics, end it."""

from sqlalchemy import select

from ..core.access import Actor
from ..core.changes import Change, record_change
from ..core.clock import now
from ..core.errors import N_, Forbidden, NotFound
from ..core.mutations import Mutation, Outcome
from ..core.tallies import add_to_tally, check_delta
from ..extensions import db
from ..org.operations import check_neighbourhood
from ..sync.registry import handles
from . import queries
from .fields import END, INCREMENT, START, TOPIC
from .models import OutreachRound, RoundTopic


@handles("outreach_round.start")
def start_round(actor: Actor, mutation: Mutation) -> Outcome:
    if not actor.is_field_user:
        raise Forbidden
    values, check = START.read(mutation.fields, readers={
        "neighbourhood_id": lambda check: check_neighbourhood(check, actor)})
    check.done()
    if db.session.get(OutreachRound, mutation.record_id) is not None:
        raise NotFound
    outreach_round = OutreachRound(id=mutation.record_id, municipality_id=actor.municipality_id,
                                   started_by=actor.user_id, version=1, reached=0,
                                   conversations=0, flyers=0, referrals=0, **values)
    db.session.add(outreach_round)
    db.session.flush()
    _log(outreach_round)
    return Outcome(outreach_round.id, outreach_round.version, outreach_round.municipality_id)


@handles("outreach_round.end")
def end_round(actor: Actor, mutation: Mutation) -> Outcome:
    outreach_round = queries.get_visible(actor, mutation.record_id, for_update=True)
    if not queries.may_end(actor, outreach_round):
        raise NotFound
    values, check = END.read(mutation.fields)
    ended_at = values["ended_at"]
    if ended_at is None and "ended_at" not in {e.field for e in check.errors}:
        # An end without a time ends when the phone recorded it (the server's now when the
        # phone's clock runs ahead, or for a form without a time).
        ended_at = min(filter(None, (mutation.recorded_at, now())))
    if ended_at is not None and ended_at < outreach_round.started_at:
        check.fail("ended_at", N_("before the start"))
    check.done()
    outreach_round.ended_at = ended_at
    outreach_round.version += 1
    _log(outreach_round)
    return Outcome(outreach_round.id, outreach_round.version, outreach_round.municipality_id)


@handles("outreach_round.increment")
def increment(actor: Actor, mutation: Mutation) -> Outcome:
    """One tap: added in the database, so taps from two phones add up exactly. A tap that
    arrives after the round ended still counts: it happened during the round."""
    round_id = queries.countable_id(actor, mutation.record_id)
    if round_id is None:
        raise NotFound
    values, check = INCREMENT.read(mutation.fields)
    check_delta(check, values["delta"])
    check.done()
    version = add_to_tally(db.session, OutreachRound, round_id, values["counter"],
                           values["delta"])
    record_change(db.session, Change("outreach_round", round_id, actor.municipality_id, version))
    return Outcome(round_id, version, actor.municipality_id)


@handles("outreach_round.topic")
def add_topic(actor: Actor, mutation: Mutation) -> Outcome:
    if not queries.may_count(actor):
        raise NotFound
    outreach_round = queries.get_visible(actor, mutation.record_id, for_update=True)
    values, check = TOPIC.read(mutation.fields)
    if not values["domain"] and not values["text"] and not check.errors:
        check.fail("text", N_("required"))
    check.done()
    outreach_round.topics.append(RoundTopic(id=mutation.id, domain=values["domain"],
                                            text=values["text"], author_id=actor.user_id))
    outreach_round.version += 1
    _log(outreach_round)
    return Outcome(outreach_round.id, outreach_round.version, outreach_round.municipality_id)


def _log(outreach_round: OutreachRound) -> None:
    record_change(db.session, Change("outreach_round", outreach_round.id,
                                     outreach_round.municipality_id, outreach_round.version))


def anonymise(round_ids: list[str]) -> None:
    """Retention (docs/privacy.md): an old round keeps its counts and the topics' life domains
    and loses the topics' free text, which might name someone."""
    for outreach_round in db.session.scalars(select(OutreachRound).where(
            OutreachRound.id.in_(round_ids))):
        for topic in list(outreach_round.topics):
            topic.text = None
            if topic.domain is None:
                outreach_round.topics.remove(topic)  # nothing left to count
        outreach_round.version += 1
        _log(outreach_round)
    db.session.flush()
