"""What each indicator counts, as SQL: one row per counted thing and cell.

Every measure returns a SELECT with the columns ``nbh`` (the neighbourhood the thing belongs
to), ``key`` (its breakdown key, "" when the indicator has none), ``subject`` (what is counted
once: a person, a referral), ``num`` and ``den`` (1 or a quantity when the row counts towards
the numerator or the denominator, NULL otherwise). refresh.py groups them; nothing is counted
in Python."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, Select, and_, case, cast, func, literal, not_, null, or_, select, true
from sqlalchemy.orm import aliased

from ..buddies.models import BuddyPair, BuddySession
from ..contacts.models import Contact, contact_person
from ..extensions import db
from ..gatherings.models import Gathering
from ..outreach.models import OutreachRound
from ..people.models import Person
from ..referrals.models import Referral, ReferralStep
from ..services.models import Service
from ..signals.models import Signal
from ..welcome.models import Household
from .periods import Period


@dataclass(frozen=True)
class Scope:
    municipality_id: str
    period: Period
    now: datetime
    # Consent given on or before this day has expired (core/consent.py: its validity).
    consent_expired_by: date


def reportable(scope: Scope):
    """The consent rule: a person whose consent is withdrawn or has expired is left out of
    every figure (core/consent.py limits_processing); a public task or no basis yet is not."""
    withdrawn = and_(Person.consent_withdrawn_on.is_not(None),
                     or_(Person.consent_date.is_(None),
                         Person.consent_withdrawn_on >= Person.consent_date))
    expired = and_(Person.consent_basis.is_not(None), Person.consent_basis == "consent",
                   Person.consent_date.is_not(None),
                   Person.consent_date <= scope.consent_expired_by)
    return not_(or_(withdrawn, expired))


def _elements(column):
    """The items of a JSON list column, as a table to join (one row per item)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.json_array_elements_text(column).table_valued("value")
    return func.json_each(column).table_valued("value")


def _days(earlier, later):
    if db.session.get_bind().dialect.name == "postgresql":
        return later - earlier
    return func.julianday(later) - func.julianday(earlier)


def _row(nbh, key, subject, num=1, den=None) -> Select:
    # An empty measure is a typed NULL: PostgreSQL sums no text.
    value = lambda v: literal(v) if isinstance(v, int) else (  # noqa: E731
        cast(null(), Integer) if v is None else v)
    return select(nbh.label("nbh"), (literal("") if key is None else key).label("key"),
                  subject.label("subject"), value(num).label("num"), value(den).label("den"))


def _during(column, scope: Scope, moments: bool = True):
    period = scope.period
    if moments:
        return and_(column >= period.starts, column < period.ends)
    return and_(column >= period.first, column < period.after)


def people_reached(scope: Scope) -> Select:
    return (_row(Contact.neighbourhood_id, None, contact_person.c.person_id)
            .select_from(Contact).join(contact_person, contact_person.c.contact_id == Contact.id)
            .join(Person, Person.id == contact_person.c.person_id)
            .where(Contact.municipality_id == scope.municipality_id,
                   _during(Contact.occurred_at, scope), reportable(scope)))


def new_people(scope: Scope) -> Select:
    return (_row(Person.neighbourhood_id, None, Person.id)
            .where(Person.municipality_id == scope.municipality_id,
                   _during(Person.created_at, scope), reportable(scope)))


def contacts_by_domain(scope: Scope) -> Select:
    domain = _elements(Contact.domains)
    return (_row(Contact.neighbourhood_id, domain.c.value, Contact.id)
            .select_from(Contact).outerjoin(domain, true())
            .where(Contact.municipality_id == scope.municipality_id,
                   _during(Contact.occurred_at, scope)))


def _proposed(scope: Scope, select_: Select, proposed) -> Select:
    """Referrals proposed in the period (the cohort), with their person for the rule."""
    return (select_.select_from(Referral)
            .join(proposed, and_(proposed.referral_id == Referral.id,
                                 proposed.status == "proposed"))
            .join(Person, Person.id == Referral.person_id)
            .join(Service, Service.id == Referral.service_id)
            .where(Referral.municipality_id == scope.municipality_id,
                   _during(proposed.occurred_on, scope, moments=False), reportable(scope)))


def referrals_proposed(scope: Scope) -> Select:
    proposed = aliased(ReferralStep)
    return _proposed(scope, _row(Person.neighbourhood_id, Service.category, Referral.id),
                     proposed)


def referral_funnel(scope: Scope) -> Select:
    proposed, step = aliased(ReferralStep), aliased(ReferralStep)
    return (_proposed(scope, _row(Person.neighbourhood_id, step.status, Referral.id), proposed)
            .join(step, step.referral_id == Referral.id))


def referrals_completed_60(scope: Scope) -> Select:
    proposed, completed = aliased(ReferralStep), aliased(ReferralStep)
    in_time = case((_days(proposed.occurred_on, completed.occurred_on) <= 60, 1))
    return (_proposed(scope, _row(Person.neighbourhood_id, Service.category, Referral.id,
                                  num=in_time, den=1), proposed)
            .outerjoin(completed, and_(completed.referral_id == Referral.id,
                                       completed.status == "completed")))


def follow_ups_done(scope: Scope) -> Select:
    return (_row(Contact.neighbourhood_id, None, Contact.id,
                 num=case((Contact.follow_up_done.is_(True), 1)), den=1)
            .where(Contact.municipality_id == scope.municipality_id,
                   _during(Contact.follow_up_on, scope, moments=False)))


def _pairs(scope: Scope, select_: Select) -> Select:
    return (select_.join(Person, Person.id == BuddyPair.person_id)
            .where(BuddyPair.municipality_id == scope.municipality_id, reportable(scope)))


def buddy_pairs_active(scope: Scope) -> Select:
    period = scope.period
    return _pairs(scope, _row(Person.neighbourhood_id, None, BuddyPair.id)
                  .select_from(BuddyPair)
                  .where(BuddyPair.started_on.is_not(None), BuddyPair.started_on < period.after,
                         or_(BuddyPair.ended_on.is_(None), BuddyPair.ended_on >= period.first)))


def _sessions(scope: Scope, select_: Select) -> Select:
    return _pairs(scope, select_.select_from(BuddySession)
                  .join(BuddyPair, BuddyPair.id == BuddySession.pair_id)
                  .where(BuddySession.status == "done",
                         _during(BuddySession.day, scope, moments=False)))


def buddy_sessions_held(scope: Scope) -> Select:
    return _sessions(scope, _row(Person.neighbourhood_id, None, BuddySession.id))


def buddy_minutes_confirmed(scope: Scope) -> Select:
    return _sessions(scope, _row(Person.neighbourhood_id, None, BuddySession.id,
                                 num=func.coalesce(BuddySession.minutes_spent, 0))
                     .where(BuddySession.hours_confirmed_by.is_not(None)))


def _gatherings(scope: Scope, select_: Select) -> Select:
    return select_.where(Gathering.municipality_id == scope.municipality_id,
                         _during(Gathering.starts_at, scope), Gathering.starts_at <= scope.now)


def gatherings_held(scope: Scope) -> Select:
    return _gatherings(scope, _row(Gathering.neighbourhood_id, Gathering.kind, Gathering.id))


def gathering_attendance(scope: Scope) -> Select:
    present = Gathering.residents + Gathering.newcomers + Gathering.children
    return _gatherings(scope, _row(Gathering.neighbourhood_id, Gathering.kind, Gathering.id,
                                   num=present))


def outreach_reached(scope: Scope) -> Select:
    return (_row(OutreachRound.neighbourhood_id, OutreachRound.kind, OutreachRound.id,
                 num=OutreachRound.reached)
            .where(OutreachRound.municipality_id == scope.municipality_id,
                   _during(OutreachRound.started_at, scope)))


def _welcomed_within(days: int):
    def measure(scope: Scope) -> Select:
        welcomed = case((and_(Household.welcomed_on.is_not(None),
                              _days(Household.registered_on, Household.welcomed_on) <= days), 1))
        return (_row(Household.neighbourhood_id, None, Household.id, num=welcomed, den=1)
                .where(Household.municipality_id == scope.municipality_id,
                       _during(Household.registered_on, scope, moments=False)))
    return measure


households_welcomed_30 = _welcomed_within(30)
households_welcomed_90 = _welcomed_within(90)


def signals_raised(scope: Scope) -> Select:
    return (_row(Signal.neighbourhood_id, Signal.theme, Signal.id)
            .where(Signal.municipality_id == scope.municipality_id,
                   _during(Signal.created_at, scope)))


def signals_by_status(scope: Scope) -> Select:
    return (_row(Signal.neighbourhood_id, Signal.status, Signal.id)
            .where(Signal.municipality_id == scope.municipality_id,
                   _during(Signal.created_at, scope)))


def signals_resolved(scope: Scope) -> Select:
    return (_row(Signal.neighbourhood_id, Signal.theme, Signal.id,
                 num=case((Signal.status == "resolved", 1)), den=1)
            .where(Signal.municipality_id == scope.municipality_id,
                   _during(Signal.created_at, scope)))
