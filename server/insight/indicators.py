"""Every indicator, declared once: what it counts and in which unit, how a period bounds it,
which consent rule and disclosure rule apply. The dashboard, the API and the refresh read
these declarations; measures.py holds the SQL of each."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from . import measures
from .measures import Scope


class Unit(StrEnum):
    PEOPLE = "people"
    HOUSEHOLDS = "households"
    CONTACTS = "contacts"
    REFERRALS = "referrals"
    PAIRS = "pairs"
    SESSIONS = "sessions"
    MINUTES = "minutes"
    GATHERINGS = "gatherings"
    ATTENDANCES = "attendances"  # heads counted at the door: one person twice is two
    SIGNALS = "signals"


class Boundary(StrEnum):
    EVENT = "event"  # counted in the period its event falls in
    COHORT = "cohort"  # the things that began in the period, followed however long it takes
    OVERLAP = "overlap"  # what was going on at some time during the period


class Consent(StrEnum):
    PERSON = "person"  # people whose consent is withdrawn or expired are left out
    NONE = "none"  # work done, register data under the public task: nobody's consent counts


class Disclosure(StrEnum):
    SMALL_COUNTS = "small_counts"  # outside the coordinator's screen: core/disclosure.py


class Aggregate(StrEnum):
    DISTINCT = "distinct"  # each subject once per cell
    SUM = "sum"  # the quantities added up


@dataclass(frozen=True)
class Indicator:
    id: str
    label: object  # a lazy string
    section: str
    unit: Unit
    measure: Callable[[Scope], Select]
    boundary: Boundary = Boundary.EVENT
    consent: Consent = Consent.NONE
    disclosure: Disclosure = Disclosure.SMALL_COUNTS
    aggregate: Aggregate = Aggregate.DISTINCT
    breakdown: str | None = None  # what the breakdown keys are: "domain", "step", ...
    denominator: object | None = None  # for a share: what the denominator counts

    @property
    def is_share(self) -> bool:
        return self.denominator is not None


SECTIONS = {
    "reach": _l("People reached"),
    "contacts": _l("Contacts"),
    "referrals": _l("Referrals"),
    "buddies": _l("Buddies"),
    "gatherings": _l("Gatherings and outreach"),
    "welcome": _l("Inflow reached"),
    "signals": _l("Signals"),
}

INDICATORS: tuple[Indicator, ...] = (
    Indicator("people_reached", _l("People reached (at least one contact)"), "reach",
              Unit.PEOPLE, measures.people_reached, consent=Consent.PERSON),
    Indicator("new_people", _l("New people"), "reach", Unit.PEOPLE, measures.new_people,
              consent=Consent.PERSON),
    Indicator("contacts", _l("Contacts"), "contacts", Unit.CONTACTS,
              measures.contacts_by_domain, breakdown="domain"),
    Indicator("follow_ups_done", _l("Follow-ups due in the period and done"), "contacts",
              Unit.CONTACTS, measures.follow_ups_done, denominator=_l("follow-ups due")),
    Indicator("referrals_proposed", _l("Referrals proposed"), "referrals", Unit.REFERRALS,
              measures.referrals_proposed, consent=Consent.PERSON,
              breakdown="service_category"),
    Indicator("referral_funnel", _l("Referrals proposed in the period, by step reached"),
              "referrals", Unit.REFERRALS, measures.referral_funnel, boundary=Boundary.COHORT,
              consent=Consent.PERSON, breakdown="step"),
    Indicator("referrals_completed_60", _l("Referrals completed within 60 days of proposal"),
              "referrals", Unit.REFERRALS, measures.referrals_completed_60,
              boundary=Boundary.COHORT, consent=Consent.PERSON, breakdown="service_category",
              denominator=_l("referrals proposed")),
    Indicator("buddy_pairs_active", _l("Active buddy pairs"), "buddies", Unit.PAIRS,
              measures.buddy_pairs_active, boundary=Boundary.OVERLAP, consent=Consent.PERSON),
    Indicator("buddy_sessions_held", _l("Buddy sessions held"), "buddies", Unit.SESSIONS,
              measures.buddy_sessions_held, consent=Consent.PERSON),
    Indicator("buddy_minutes_confirmed", _l("Buddy time confirmed"), "buddies", Unit.MINUTES,
              measures.buddy_minutes_confirmed, consent=Consent.PERSON,
              aggregate=Aggregate.SUM),
    Indicator("gatherings_held", _l("Gatherings held"), "gatherings", Unit.GATHERINGS,
              measures.gatherings_held, breakdown="gathering_kind"),
    Indicator("gathering_attendance", _l("Attendance at gatherings"), "gatherings",
              Unit.ATTENDANCES, measures.gathering_attendance, aggregate=Aggregate.SUM,
              breakdown="gathering_kind"),
    Indicator("outreach_reached", _l("People met on outreach rounds"), "gatherings",
              Unit.ATTENDANCES, measures.outreach_reached, aggregate=Aggregate.SUM,
              breakdown="outreach_kind"),
    Indicator("households_welcomed_30", _l("Households welcomed within 30 days"), "welcome",
              Unit.HOUSEHOLDS, measures.households_welcomed_30, boundary=Boundary.COHORT,
              denominator=_l("households registered")),
    Indicator("households_welcomed_90", _l("Households welcomed within 90 days"), "welcome",
              Unit.HOUSEHOLDS, measures.households_welcomed_90, boundary=Boundary.COHORT,
              denominator=_l("households registered")),
    Indicator("signals_raised", _l("Signals raised"), "signals", Unit.SIGNALS,
              measures.signals_raised, breakdown="theme"),
    Indicator("signals_by_status", _l("Signals raised in the period, by where they stand"),
              "signals", Unit.SIGNALS, measures.signals_by_status, boundary=Boundary.COHORT,
              breakdown="signal_status"),
    Indicator("signals_resolved", _l("Signals raised in the period and resolved"), "signals",
              Unit.SIGNALS, measures.signals_resolved, boundary=Boundary.COHORT,
              breakdown="theme", denominator=_l("signals raised")),
)
BY_ID = {indicator.id: indicator for indicator in INDICATORS}
