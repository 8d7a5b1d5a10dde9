"""Reads of the audit trail for coordinators: their municipality's, filtered, and one person's."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import and_, or_, select

from ..audit.models import AuditEvent
from ..auth.models import Membership, User
from ..core.access import Actor
from ..core.clock import LOCAL_TZ
from ..extensions import db

ACTION_LABELS = {
    "sign_in": _l("Signed in"),
    "sign_in_password": _l("Password given, second factor not yet"),
    "sign_in_failed": _l("Failed sign-in"),
    "second_factor_failed": _l("Wrong second factor"),
    # Something done; the enrolment page's "Set up a second factor" is something to do.
    "second_factor_enrolled": lazy_pgettext("audit event", "Set up a second factor"),
    "sign_in_blocked": _l("Sign-in blocked (too many attempts)"),
    "read_sensitive_note": _l("Read a sensitive note"),
    "export_person": _l("Exported a person's data"),
    "erase_person": _l("Erased a person"),
    "break_glass": _l("Opened a person outside their caseload"),
    "retention": _l("Retention clean-up"),
    "set_roles": _l("Changed roles"),
    "request_role_grant": _l("Asked for a role"),
    "approve_role_grant": _l("Approved a role"),
    "deactivate": _l("Deactivated an account"),
    "activate": _l("Reactivated an account"),
    "remove_from_municipality": _l("Removed someone from the municipality"),
    "change_password": _l("Changed password"),
    "invite": _l("Invited someone"),
    "accept_invitation": _l("Accepted an invitation"),
    "create_team": _l("Created a team"),
    "rename_team": _l("Renamed a team"),
    "team_member": _l("Changed a team"),
    "recovery_codes_made": _l("Made new recovery codes"),
    "recovery_code_used": _l("Signed in with a recovery code"),
    "second_factor_removed": _l("Removed the authenticator app"),
    "passkey_added": _l("Added a passkey"),
    "passkey_removed": _l("Removed a passkey"),
    "create_municipality": _l("Created a municipality"),
    "rename_municipality": _l("Renamed a municipality"),
    "activate_municipality": _l("Reactivated a municipality"),
    "deactivate_municipality": _l("Deactivated a municipality"),
    "create_neighbourhood": _l("Created a neighbourhood"),
    "rename_neighbourhood": _l("Renamed a neighbourhood"),
    "activate_neighbourhood": _l("Reactivated a neighbourhood"),
    "deactivate_neighbourhood": _l("Deactivated a neighbourhood"),
    "create_service": _l("Added a service"),
    "update_service": _l("Changed a service"),
    "activate_service": _l("Reactivated a service"),
    "deactivate_service": _l("Deactivated a service"),
    "export_buddy_hours": _l("Exported volunteer hours"),
    "export_inflow": _l("Exported the inflow figures"),
    "welcome_import_staged": _l("Uploaded a register extract"),
    "welcome_import_done": _l("Imported a register extract"),
    "welcome_assign": _l("Assigned welcome visits"),
}
PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    user_id: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


def members(actor: Actor) -> list[User]:
    query = select(User).where(User.id.in_(select(Membership.user_id).where(
        Membership.municipality_id == actor.municipality_id))).order_by(User.display_name)
    return list(db.session.scalars(query))


def _here(actor: Actor):
    """This municipality's events, and the sign-ins of its members (those belong to no one
    municipality)."""
    member_ids = select(Membership.user_id).where(
        Membership.municipality_id == actor.municipality_id)
    return or_(AuditEvent.municipality_id == actor.municipality_id,
               and_(AuditEvent.municipality_id.is_(None), AuditEvent.user_id.in_(member_ids)))


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, LOCAL_TZ)


def log(actor: Actor, filters: Filters, *, limit: int = PAGE_SIZE) -> list[tuple[AuditEvent, str | None]]:
    query = select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.user_id)
    query = query.where(_here(actor))
    if filters.user_id:
        query = query.where(AuditEvent.user_id == filters.user_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.since:
        query = query.where(AuditEvent.at >= _start(filters.since))
    if filters.until:
        query = query.where(AuditEvent.at < _start(filters.until + timedelta(days=1)))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    return [(event, name) for event, name in db.session.execute(query)]


def about(actor: Actor, object_ids: list[str]) -> list[tuple[AuditEvent, str | None]]:
    """Who read, exported or opened this person (or their contacts and referrals)."""
    if not object_ids:
        return []
    query = (select(AuditEvent, User.display_name)
             .outerjoin(User, User.id == AuditEvent.user_id)
             .where(AuditEvent.municipality_id == actor.municipality_id,
                    AuditEvent.object_id.in_(object_ids))
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(500))
    return [(event, name) for event, name in db.session.execute(query)]


def subject_data(actor: Actor, person) -> list[dict]:
    """For the person's export: who accessed their data and when (roles' names, not notes)."""
    return [{"at": event.at.isoformat(), "action": event.action, "by": name}
            for event, name in about(actor, [person.id])]
