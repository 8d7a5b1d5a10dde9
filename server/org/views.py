"""Coordinator pages: invite users, set roles, deactivate, form teams."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..auth import invitations, sessions
from ..auth import operations as accounts
from ..auth.current import require
from ..auth.links import public_link
from ..core.access import Role
from ..core.errors import ValidationFailed
from ..core.ids import parse_id
from ..labels import ROLE_LABELS
from ..web import form_errors, form_values, page
from . import operations, queries

bp = Blueprint("org", __name__, url_prefix="/manage", template_folder="templates")


def _manager():
    return require(Role.COORDINATOR, Role.ADMIN)


def _users_page(errors=None, invite_link=None, status=200):
    current = _manager()
    roles = [r.value for r in Role if r != Role.ADMIN or current.has(Role.ADMIN)]
    users = queries.users(current)
    return page("org/users.html", status=status, users=users,
                outranking=queries.outranking(current, [user.id for user, _ in users]),
                errors=errors or {}, invite_link=invite_link, form=request.form,
                roles=roles, grants=queries.waiting_grants(current),
                role_options=[(r, ROLE_LABELS[r]) for r in roles])


@bp.get("/users")
def users():
    return _users_page()


@bp.post("/users/invite")
def invite():
    current = _manager()
    try:
        token = invitations.invite(current, form_values("email", "role"))
    except ValidationFailed as exc:
        return _users_page(form_errors(exc), status=422)
    email = request.form.get("email", "")
    if token is None:  # an existing account: its owner accepts after signing in, no link
        invitations.send_mail(email, public_link("auth.pending_invitations"), existing=True)
        flash(_("The invitation is waiting for this person: they see it when they sign in."),
              "success")
        return _users_page()
    link = public_link("auth.accept_invite", token=token)
    if invitations.send_mail(email, link, existing=False):
        flash(_("The invitation was sent by e-mail."), "success")
    return _users_page(invite_link=link)


@bp.post("/users/<id:user_id>/roles")
def roles(user_id: str):
    current = _manager()
    user = queries.get_user(current, user_id)
    generation = user.session_generation
    try:
        accounts.set_roles(current, user, request.form.getlist("roles"))
    except ValidationFailed as exc:
        return _users_page(form_errors(exc), status=422)
    if user.id == current.user_id and user.session_generation != generation:
        sessions.start(user)  # their other devices were signed out; this one goes on
    flash(_("Roles saved. A role you give yourself as admin waits for a second admin.")
          if user.id == current.user_id and current.has(Role.ADMIN) else _("Roles saved."),
          "success")
    return redirect(url_for("org.users"), code=303)


@bp.post("/users/<id:user_id>/active")
def active(user_id: str):
    current = _manager()
    user = queries.get_user(current, user_id)
    try:
        accounts.set_active(current, user, request.form.get("active") == "1")
    except ValidationFailed as exc:
        return _users_page(form_errors(exc), status=422)
    flash(_("Account updated."), "success")
    return redirect(url_for("org.users"), code=303)


@bp.post("/grants/<id:grant_id>/approve")
def approve_grant(grant_id: str):
    current = require(Role.ADMIN)
    try:
        accounts.approve_grant(current, grant_id)
    except ValidationFailed as exc:
        return _users_page(form_errors(exc), status=422)
    flash(_("Role granted."), "success")
    return redirect(url_for("org.users"), code=303)


def _teams_page(errors=None, status=200):
    current = _manager()
    return page("org/teams.html", status=status, teams=queries.teams(current),
                users=queries.users(current), errors=errors or {}, form=request.form)


@bp.get("/teams")
def teams():
    return _teams_page()


@bp.post("/teams")
def create_team():
    try:
        operations.create_team(_manager(), form_values("name"))
    except ValidationFailed as exc:
        return _teams_page(form_errors(exc), status=422)
    flash(_("Team created."), "success")
    return redirect(url_for("org.teams"), code=303)


@bp.post("/teams/<id:team_id>/members")
def members(team_id: str):
    current = _manager()
    team = operations.get_team(current, team_id)
    try:
        operations.set_member(current, team, parse_id(request.form.get("user_id")) or "",
                              request.form.get("member") == "1")
    except ValidationFailed as exc:
        return _teams_page(form_errors(exc), status=422)
    flash(_("Team changed."), "success")
    return redirect(url_for("org.teams"), code=303)
