"""Every write to a referral: propose one, move it along its loop."""

from sqlalchemy import select

from ..core import privacy
from ..core.access import Actor
from ..core.changes import Change, record_change
from ..core.clock import today_local
from ..core.consent import limits_processing
from ..core.errors import N_, Forbidden, NotFound
from ..core.merge import check_base_version
from ..core.mutations import Mutation, Outcome
from ..core.validate import Checker
from ..extensions import db
from ..people import queries as people
from ..services import queries as services
from ..sync.registry import handles
from . import queries
from .fields import ADVANCE, CREATE
from .models import Referral, ReferralStep


@handles("referral.create")
def create_referral(actor: Actor, mutation: Mutation) -> Outcome:
    if not actor.is_field_user:
        raise Forbidden
    values, check = CREATE.read(mutation.fields)
    person_id, service_id = values["person_id"], values["service_id"]
    note, visibility = values["note"], values["note_visibility"]
    follow_up_due, occurred_on = values["follow_up_due"], values["occurred_on"] or today_local()
    check.done()
    person = _found(check, "person_id", lambda: people.get_writable(actor, person_id))
    service = _found(check, "service_id", lambda: services.get(actor, service_id))
    if person is not None and limits_processing(people.consent(person)):
        check.fail("person_id", CONSENT_LIMITED)
    check.done()
    if db.session.get(Referral, mutation.record_id) is not None:
        raise NotFound
    referral = Referral(id=mutation.record_id, municipality_id=actor.municipality_id,
                        person_id=person.id, service_id=service.id, author_id=actor.user_id,
                        status="proposed", status_on=occurred_on, follow_up_due=follow_up_due,
                        note=note, note_visibility=visibility, version=1)
    referral.steps.append(ReferralStep(status="proposed", occurred_on=occurred_on,
                                       author_id=actor.user_id, note=note,
                                       note_visibility=visibility))
    db.session.add(referral)
    db.session.flush()
    _log(referral)
    return Outcome(referral.id, referral.version, referral.municipality_id)


# I18N: why a referral is refused: the person's consent was withdrawn or expired
CONSENT_LIMITED = N_("consent withdrawn or expired: renew it on the person's page before "
                     "referring them")


def _found(check: Checker, name: str, load):
    try:
        return load()
    except NotFound:
        check.fail(name, N_("not found or not allowed"))
        return None


@handles("referral.advance")
def advance_referral(actor: Actor, mutation: Mutation) -> Outcome:
    """One step along proposed → sent → accepted → started → completed, or out of it, by
    whoever may record it (see core.access.referral_steps_allowed)."""
    referral = queries.get_advanceable(actor, mutation.record_id, for_update=True)
    check_base_version(mutation.base_version, referral.version)
    allowed = queries.steps_allowed(actor, referral)
    values, check = ADVANCE.read(mutation.fields)
    status, note, visibility = values["status"], values["note"], values["note_visibility"]
    occurred_on, follow_up_due = values["occurred_on"] or today_local(), values["follow_up_due"]
    if status and status not in allowed:
        check.fail("status", N_("not a next step from the current status"))
    if occurred_on and occurred_on > today_local():
        check.fail("occurred_on", N_("in the future"))
    check.done()
    referral.status, referral.status_on = status, occurred_on
    if "follow_up_due" in mutation.fields:
        referral.follow_up_due = follow_up_due
    referral.steps.append(ReferralStep(status=status, occurred_on=occurred_on,
                                       author_id=actor.user_id, note=note,
                                       note_visibility=visibility))
    referral.version += 1
    _log(referral)
    return Outcome(referral.id, referral.version, referral.municipality_id)


def _log(referral: Referral) -> None:
    record_change(db.session, Change("referral", referral.id, referral.municipality_id,
                                     referral.version))


def relog_for_person(person_id: str) -> None:
    for referral in db.session.scalars(select(Referral).where(Referral.person_id == person_id)):
        _log(referral)


def erase(referral_ids: list[str]) -> None:
    """Referrals go with their steps and notes; phones receive deletions. Retention and a
    person's erasure both come here. Features linking to them let go first (a welcome visit)."""
    privacy.forgetting("referral", referral_ids)
    for referral in db.session.scalars(select(Referral).where(Referral.id.in_(referral_ids))):
        record_change(db.session, Change("referral", referral.id, referral.municipality_id,
                                         referral.version + 1, deleted=True))
        db.session.delete(referral)
    db.session.flush()


def erase_person_referrals(person_id: str) -> None:
    erase(list(db.session.scalars(select(Referral.id).where(Referral.person_id == person_id))))
