"""Coordinator pages: invite users, set roles, deactivate, form teams."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..auth import operations as accounts
from ..auth.current import require
from ..core.access import Role
from ..core.errors import ValidationFailed
from ..core.ids import parse_id
from ..extensions import db
from ..labels import ROLE_LABELS
from ..web import form_errors, form_values, page
from . import operations, queries

bp = Blueprint("org", __name__, url_prefix="/manage", template_folder="templates")


def _manager():
    return require(Role.COORDINATOR, Role.ADMIN)


def _users_page(errors=None, invite_link=None, status=200):
    current = _manager()
    roles = [r.value for r in Role if r != Role.ADMIN or current.has(Role.ADMIN)]
    return page("org/users.html", status=status, users=queries.users(current),
                errors=errors or {}, invite_link=invite_link, form=request.form,
                roles=roles,
                role_options=[(r, ROLE_LABELS[r]) for r in roles])


@bp.get("/users")
def users():
    return _users_page()


@bp.post("/users/invite")
def invite():
    current = _manager()
    try:
        token = accounts.invite(current, form_values("email", "role"))
    except ValidationFailed as exc:
        return _users_page(form_errors(exc), status=422)
    link = url_for("auth.accept_invite", token=token, _external=True)
    if accounts.send_invitation_mail(request.form.get("email", ""), link):
        flash(_("The invitation was sent by e-mail."), "success")
    return _users_page(invite_link=link)


@bp.post("/users/<id:user_id>/roles")
def roles(user_id: str):
    current = _manager()
    user = queries.get_user(current, user_id)
    try:
        accounts.set_roles(current, user, request.form.getlist("roles"))
    except ValidationFailed as exc:
        db.session.rollback()
        return _users_page(form_errors(exc), status=422)
    flash(_("Roles saved."), "success")
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
    return redirect(url_for("org.teams"), code=303)
